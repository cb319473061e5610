/*
 * C extension: every RV64 compressed form, written with explicit c.
 * mnemonics so the assembler emits the 16-bit encodings.
 */
#include "runtime.h"

/* Run body with a0 = x, a1 = y; the result is a0. */
#define C2(body, x, y) ({ \
    register uint64_t a0_ asm("a0") = (uint64_t)(x); \
    register uint64_t a1_ asm("a1") = (uint64_t)(y); \
    asm volatile(body : "+r"(a0_) : "r"(a1_) \
                 : "memory", "a2", "t0", "fa0", "fa1"); \
    a0_; })

static void test_alu(void)
{
    CHECK_EQ(C2("c.li a0, -32", 0, 0), -32UL);
    CHECK_EQ(C2("c.li a0, 31", 0, 0), 31);
    CHECK_EQ(C2("c.lui a0, 0xfffff", 0, 0), 0xfffffffffffff000UL);
    CHECK_EQ(C2("c.lui a0, 1", 0, 0), 0x1000);
    CHECK_EQ(C2("c.lui a0, 0x1f", 0, 0), 0x1f000);
    CHECK_EQ(C2("c.addi a0, -1", 0, 0), -1UL);
    CHECK_EQ(C2("c.addi a0, 31", 1, 0), 32);
    CHECK_EQ(C2("c.addiw a0, 1", 0x7fffffff, 0), 0xffffffff80000000UL);
    CHECK_EQ(C2("c.addiw a0, 0", 0x1ffffffffUL, 0), -1UL);  /* sext.w */
    CHECK_EQ(C2("c.slli a0, 63", 1, 0), 0x8000000000000000UL);
    CHECK_EQ(C2("c.srli a0, 63", -1UL, 0), 1);
    CHECK_EQ(C2("c.srai a0, 63", 0x8000000000000000UL, 0), -1UL);
    CHECK_EQ(C2("c.srai a0, 4", 0x80, 0), 0x8);
    CHECK_EQ(C2("c.andi a0, -2", 0xff, 0), 0xfe);
    CHECK_EQ(C2("c.andi a0, 15", 0xff, 0), 0xf);
    CHECK_EQ(C2("c.mv a0, a1", 0, 42), 42);
    CHECK_EQ(C2("c.add a0, a1", 40, 2), 42);
    CHECK_EQ(C2("c.sub a0, a1", 40, 42), -2UL);
    CHECK_EQ(C2("c.xor a0, a1", 0xf0, 0xff), 0x0f);
    CHECK_EQ(C2("c.or a0, a1", 0xf0, 0x0f), 0xff);
    CHECK_EQ(C2("c.and a0, a1", 0xf0, 0x3c), 0x30);
    CHECK_EQ(C2("c.addw a0, a1", 0x7fffffff, 1), 0xffffffff80000000UL);
    CHECK_EQ(C2("c.subw a0, a1", 0, 0x100000001UL), -1UL);
    CHECK_EQ(C2("c.nop", 9, 0), 9);
}

static void test_sp(void)
{
    uint64_t delta = C2("mv t0, sp\n c.addi16sp sp, -64\n"
                        "sub a0, t0, sp\n c.addi16sp sp, 64", 0, 0);
    CHECK_EQ(delta, 64);
    CHECK_EQ(C2("c.addi4spn a0, sp, 16\n sub a0, a0, sp", 0, 0), 16);
    CHECK_EQ(C2("c.addi4spn a0, sp, 1020\n sub a0, a0, sp", 0, 0), 1020);

    /* sp-relative loads and stores on a scratch area below sp */
    CHECK_EQ(C2("c.addi16sp sp, -32\n c.sdsp a1, 8(sp)\n c.ldsp a0, 8(sp)\n"
                "c.addi16sp sp, 32", 0, 0x1122334455667788UL),
             0x1122334455667788UL);
    CHECK_EQ(C2("c.addi16sp sp, -32\n c.swsp a1, 4(sp)\n c.lwsp a0, 4(sp)\n"
                "c.addi16sp sp, 32", 0, 0x80000000UL), 0xffffffff80000000UL);
    CHECK_EQ(C2("c.addi16sp sp, -32\n fmv.d.x fa0, a1\n c.fsdsp fa0, 16(sp)\n"
                "c.ldsp a0, 16(sp)\n c.fldsp fa1, 16(sp)\n fmv.x.d a2, fa1\n"
                "sub a0, a0, a2\n c.addi16sp sp, 32",
                0, 0x400921fb54442d18UL), 0);
}

static volatile uint64_t buf[4];

static void test_mem(void)
{
    buf[0] = 0x8000000180000002UL;
    CHECK_EQ(C2("c.lw a0, 0(a1)", 0, buf), 0xffffffff80000002UL);
    CHECK_EQ(C2("c.lw a0, 4(a1)", 0, buf), 0xffffffff80000001UL);
    CHECK_EQ(C2("c.ld a0, 0(a1)", 0, buf), 0x8000000180000002UL);
    C2("c.sw a0, 8(a1)", 0x12345678, buf);
    CHECK_EQ(buf[1], 0x12345678);
    C2("c.sd a0, 16(a1)", -3UL, buf);
    CHECK_EQ(buf[2], -3UL);
    buf[3] = 0x3ff0000000000000UL;
    CHECK_EQ(C2("c.fld fa0, 24(a1)\n fmv.x.d a0, fa0", 0, buf),
             0x3ff0000000000000UL);
    C2("fmv.d.x fa0, a0\n c.fsd fa0, 0(a1)", 0x4000000000000000UL, buf);
    CHECK_EQ(buf[0], 0x4000000000000000UL);
}

static void test_control(void)
{
    CHECK_EQ(C2("li a0, 0\n c.j 1f\n li a0, 1\n 1:", 0, 0), 0);
    CHECK_EQ(C2("c.beqz a0, 1f\n li a0, 5\n 1:", 0, 0), 0);
    CHECK_EQ(C2("c.beqz a0, 1f\n li a0, 5\n 1:", 3, 0), 5);
    CHECK_EQ(C2("c.bnez a0, 1f\n li a0, 5\n 1:", 3, 0), 3);
    CHECK_EQ(C2("c.bnez a0, 1f\n li a0, 5\n 1:", 0, 0), 5);
    CHECK_EQ(C2("la t0, 1f\n li a0, 0\n c.jr t0\n li a0, 1\n 1:", 0, 0), 0);

    /* c.jalr links pc + 2 */
    CHECK_EQ(C2("mv a2, ra\n la t0, 1f\n c.jalr t0\n 2: j 3f\n"
                "1: la a0, 2b\n sub a0, ra, a0\n c.jr ra\n 3: mv ra, a2",
                0, 0), 0);
}

static void test_ebreak(void)
{
    trap_reset();
    asm volatile("c.ebreak" ::: "memory");
    CHECK_EQ(mtrap.count, 1);
    CHECK_EQ(mtrap.cause, CAUSE_BREAKPOINT);
    CHECK_EQ(mtrap.tval, 0);

    /* the all-zero parcel is a defined illegal instruction */
    trap_reset();
    asm volatile(".2byte 0" ::: "memory");
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    CHECK_EQ(mtrap.tval, 0);

    /* reserved encodings: mtval holds the 16 instruction bits */
    trap_reset();
    asm volatile(".2byte 0x6101" ::: "memory");     /* c.addi16sp sp, 0 */
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    CHECK_EQ(mtrap.tval, 0x6101);
    trap_reset();
    asm volatile(".2byte 0x4002" ::: "memory");     /* c.lwsp x0, 0(sp) */
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    CHECK_EQ(mtrap.tval, 0x4002);
    trap_reset();
    asm volatile(".2byte 0x8002" ::: "memory");     /* c.jr x0 */
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    CHECK_EQ(mtrap.tval, 0x8002);
    CHECK_EQ(mtrap.count, 1);
}

int main(void)
{
    test_alu();
    test_sp();
    test_mem();
    test_control();
    test_ebreak();
    return 0;
}
