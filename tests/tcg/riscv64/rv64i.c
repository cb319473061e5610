/*
 * RV64I: every base instruction, with sign extension, W forms, shift
 * amounts, branches, jal/jalr and lui/auipc.
 */
#include "runtime.h"

#define OP_RR(insn, a, b) ({ uint64_t r_; \
    asm volatile(insn " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); r_; })
#define OP_RI(insn, a, imm) ({ uint64_t r_; \
    asm volatile(insn " %0, %1, " #imm : "=r"(r_) : "r"(a)); r_; })

static void test_arith(void)
{
    CHECK_EQ(OP_RR("add", 1, 2), 3);
    CHECK_EQ(OP_RR("add", -1UL, 1), 0);
    CHECK_EQ(OP_RR("add", 0x7fffffffffffffffUL, 1), 0x8000000000000000UL);
    CHECK_EQ(OP_RR("sub", 0, 1), -1UL);
    CHECK_EQ(OP_RR("sub", 0x8000000000000000UL, 1), 0x7fffffffffffffffUL);
    CHECK_EQ(OP_RI("addi", 5, -6), -1UL);
    CHECK_EQ(OP_RI("addi", 0, 2047), 2047);
    CHECK_EQ(OP_RI("addi", 0, -2048), -2048UL);
    CHECK_EQ(OP_RR("addw", 0x7fffffff, 1), 0xffffffff80000000UL);
    CHECK_EQ(OP_RR("addw", 0x1234567800000001UL, 1), 2);
    CHECK_EQ(OP_RR("subw", 0, 1), -1UL);
    CHECK_EQ(OP_RR("subw", 0x80000000UL, 1), 0x7fffffff);
    CHECK_EQ(OP_RI("addiw", 0x7fffffff, 1), 0xffffffff80000000UL);
    CHECK_EQ(OP_RI("addiw", 0xffffffff00000000UL, 0), 0);
    CHECK_EQ(OP_RI("addiw", 0x80000000UL, 0), 0xffffffff80000000UL);
}

static void test_logic(void)
{
    CHECK_EQ(OP_RR("and", 0xff00ff00ff00ff00UL, 0x0ff00ff00ff00ff0UL),
             0x0f000f000f000f00UL);
    CHECK_EQ(OP_RR("or", 0xff00UL, 0x00ffUL), 0xffff);
    CHECK_EQ(OP_RR("xor", 0xffUL, 0x0fUL), 0xf0);
    CHECK_EQ(OP_RI("andi", -1UL, -16), -16UL);
    CHECK_EQ(OP_RI("andi", 0x1234, 0x0ff), 0x34);
    CHECK_EQ(OP_RI("ori", 0x1000, -2048), 0xfffffffffffff800UL);
    CHECK_EQ(OP_RI("xori", 0x5555, -1), ~0x5555UL);
}

static void test_compare(void)
{
    CHECK_EQ(OP_RR("slt", -1UL, 1), 1);
    CHECK_EQ(OP_RR("slt", 1, -1UL), 0);
    CHECK_EQ(OP_RR("slt", 5, 5), 0);
    CHECK_EQ(OP_RR("sltu", -1UL, 1), 0);
    CHECK_EQ(OP_RR("sltu", 1, -1UL), 1);
    CHECK_EQ(OP_RI("slti", -5UL, -4), 1);
    CHECK_EQ(OP_RI("slti", 0, -1), 0);
    CHECK_EQ(OP_RI("sltiu", 0, -1), 1);   /* imm sign-extends then unsigned */
    CHECK_EQ(OP_RI("sltiu", -1UL, -1), 0);
    CHECK_EQ(OP_RI("sltiu", 0, 1), 1);
}

static void test_shifts(void)
{
    CHECK_EQ(OP_RR("sll", 1, 63), 0x8000000000000000UL);
    CHECK_EQ(OP_RR("sll", 1, 64), 1);              /* only 6 bits used */
    CHECK_EQ(OP_RR("srl", 0x8000000000000000UL, 63), 1);
    CHECK_EQ(OP_RR("sra", 0x8000000000000000UL, 63), -1UL);
    CHECK_EQ(OP_RR("sra", 0x8000000000000000UL, 65), 0xc000000000000000UL);
    CHECK_EQ(OP_RI("slli", 3, 62), 0xc000000000000000UL);
    CHECK_EQ(OP_RI("srli", -1UL, 60), 0xf);
    CHECK_EQ(OP_RI("srai", 0xf000000000000000UL, 60), -1UL);
    CHECK_EQ(OP_RR("sllw", 1, 31), 0xffffffff80000000UL);
    CHECK_EQ(OP_RR("sllw", 1, 32), 1);             /* only 5 bits used */
    CHECK_EQ(OP_RR("srlw", 0xffffffff80000000UL, 31), 1);
    CHECK_EQ(OP_RR("srlw", 0x80000000UL, 0), 0xffffffff80000000UL);
    CHECK_EQ(OP_RR("sraw", 0x80000000UL, 4), 0xfffffffff8000000UL);
    CHECK_EQ(OP_RR("sraw", 0x1234567880000000UL, 33), 0xffffffffc0000000UL);
    CHECK_EQ(OP_RI("slliw", 0x12345678, 4), 0x23456780);
    CHECK_EQ(OP_RI("slliw", 1, 31), 0xffffffff80000000UL);
    CHECK_EQ(OP_RI("srliw", -1UL, 28), 0xf);
    CHECK_EQ(OP_RI("srliw", -1UL, 0), -1UL);
    CHECK_EQ(OP_RI("sraiw", 0x80000000UL, 31), -1UL);
    CHECK_EQ(OP_RI("sraiw", 0x7fffffff00000000UL, 1), 0);
}

static uint64_t lui_val(void)
{
    uint64_t r;
    asm volatile("lui %0, 0x80000" : "=r"(r));
    return r;
}

static void test_upper(void)
{
    uint64_t r, pc;

    CHECK_EQ(lui_val(), 0xffffffff80000000UL);
    asm volatile("lui %0, 0x7ffff" : "=r"(r));
    CHECK_EQ(r, 0x7ffff000);
    asm volatile("1: auipc %0, 0\n la %1, 1b" : "=r"(r), "=r"(pc));
    CHECK_EQ(r, pc);
    asm volatile("1: auipc %0, 1\n la %1, 1b" : "=r"(r), "=r"(pc));
    CHECK_EQ(r, pc + 4096);
    asm volatile("1: auipc %0, 0xfffff\n la %1, 1b" : "=r"(r), "=r"(pc));
    CHECK_EQ(r, pc - 4096);
}

static void test_loads_stores(void)
{
    static volatile uint64_t buf[2];
    uint64_t r;

    buf[0] = 0x8081828384858687UL;
    buf[1] = 0;
    asm volatile("lb %0, 0(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0xffffffffffffff87UL);
    asm volatile("lbu %0, 0(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0x87);
    asm volatile("lh %0, 6(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0xffffffffffff8081UL);
    asm volatile("lhu %0, 6(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0x8081);
    asm volatile("lw %0, 4(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0xffffffff80818283UL);
    asm volatile("lwu %0, 4(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0x80818283UL);
    asm volatile("ld %0, 0(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0x8081828384858687UL);
    asm volatile("ld %0, -8(%1)" : "=r"(r) : "r"(&buf[1]));
    CHECK_EQ(r, 0x8081828384858687UL);

    asm volatile("sb %0, 8(%1)" :: "r"(0x1122334455667788UL), "r"(buf)
                 : "memory");
    CHECK_EQ(buf[1], 0x88);
    asm volatile("sh %0, 10(%1)" :: "r"(0xaabbUL), "r"(buf) : "memory");
    CHECK_EQ(buf[1], 0xaabb0088UL);
    asm volatile("sw %0, 12(%1)" :: "r"(0xdeadbeefUL), "r"(buf) : "memory");
    CHECK_EQ(buf[1], 0xdeadbeefaabb0088UL);
    asm volatile("sd %0, 8(%1)" :: "r"(-2UL), "r"(buf) : "memory");
    CHECK_EQ(buf[1], -2UL);

    /* misaligned accesses to RAM are performed by QEMU 7.2, not trapped */
    asm volatile("ld %0, 3(%1)" : "=r"(r) : "r"(buf));
    CHECK_EQ(r, 0xfffffe8081828384UL);
    asm volatile("sw %0, 1(%1)" :: "r"(0x01020304UL), "r"(buf) : "memory");
    CHECK_EQ(buf[0], 0x8081820102030487UL);
}

#define BR_TAKEN(insn, a, b) ({ uint64_t t_; \
    asm volatile("li %0, 1\n " insn " %1, %2, 1f\n li %0, 0\n1:" \
                 : "=&r"(t_) : "r"(a), "r"(b)); t_; })

static void test_branches(void)
{
    CHECK_EQ(BR_TAKEN("beq", 3, 3), 1);
    CHECK_EQ(BR_TAKEN("beq", 3, 4), 0);
    CHECK_EQ(BR_TAKEN("bne", 3, 4), 1);
    CHECK_EQ(BR_TAKEN("bne", 3, 3), 0);
    CHECK_EQ(BR_TAKEN("blt", -1UL, 0), 1);
    CHECK_EQ(BR_TAKEN("blt", 0, -1UL), 0);
    CHECK_EQ(BR_TAKEN("blt", 5, 5), 0);
    CHECK_EQ(BR_TAKEN("bge", 5, 5), 1);
    CHECK_EQ(BR_TAKEN("bge", -1UL, 0), 0);
    CHECK_EQ(BR_TAKEN("bltu", 0, -1UL), 1);
    CHECK_EQ(BR_TAKEN("bltu", -1UL, 0), 0);
    CHECK_EQ(BR_TAKEN("bgeu", -1UL, 0), 1);
    CHECK_EQ(BR_TAKEN("bgeu", 0, -1UL), 0);
    CHECK_EQ(BR_TAKEN("bgeu", 7, 7), 1);
}

static void test_jumps(void)
{
    uint64_t link, target, r;

    /* jal writes pc + 4 */
    asm volatile("jal %0, 1f\n 2: nop\n 1: la %1, 2b"
                 : "=r"(link), "=r"(target));
    CHECK_EQ(link, target);

    /* jalr clears bit 0 of the target; link is pc + 4 */
    asm volatile("la t0, 1f\n addi t0, t0, 1\n li %0, 0\n"
                 "jalr %1, 0(t0)\n li %0, 99\n"
                 ".balign 4\n 1: addi %0, %0, 7\n"
                 : "=&r"(r), "=&r"(link) :: "t0");
    CHECK_EQ(r, 7);

    /* jalr with rd == rs1 uses the old rs1 */
    asm volatile("la %0, 1f\n jalr %0, 0(%0)\n nop\n 1:"
                 : "=&r"(r));
    asm volatile("la %0, 1f\n 1:" : "=r"(target));
    CHECK(r != 0);

    /* jalr with a negative offset */
    asm volatile("la t0, 1f + 8\n li %0, 0\n jalr zero, -8(t0)\n"
                 "li %0, 5\n 1: addi %0, %0, 3" : "=&r"(r) :: "t0");
    CHECK_EQ(r, 3);

    /* writes to x0 are discarded */
    asm volatile("addi zero, zero, 5\n mv %0, zero" : "=r"(r));
    CHECK_EQ(r, 0);
}

static void test_misc(void)
{
    uint64_t r = 1;

    asm volatile("fence\n fence.tso\n fence r, w\n nop" ::: "memory");
    CHECK_EQ(r, 1);
}

int main(void)
{
    test_arith();
    test_logic();
    test_compare();
    test_shifts();
    test_upper();
    test_loads_stores();
    test_branches();
    test_jumps();
    test_misc();
    return 0;
}
