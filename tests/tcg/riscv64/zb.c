/*
 * Zba, Zbb and Zbs: every instruction with edge values.
 */
#include "runtime.h"

#define OP_RR(insn, a, b) ({ uint64_t r_; \
    asm volatile(insn " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); r_; })
#define OP_RI(insn, a, imm) ({ uint64_t r_; \
    asm volatile(insn " %0, %1, " #imm : "=r"(r_) : "r"(a)); r_; })
#define OP_R(insn, a) ({ uint64_t r_; \
    asm volatile(insn " %0, %1" : "=r"(r_) : "r"(a)); r_; })

static void test_zba(void)
{
    CHECK_EQ(OP_RR("add.uw", 0xffffffff80000000UL, 1), 0x80000001UL);
    CHECK_EQ(OP_RR("add.uw", -1UL, -1UL), 0xfffffffeUL);
    CHECK_EQ(OP_RR("sh1add", 3, 10), 16);
    CHECK_EQ(OP_RR("sh1add", 0x8000000000000001UL, 0), 2);
    CHECK_EQ(OP_RR("sh2add", 3, 10), 22);
    CHECK_EQ(OP_RR("sh3add", 3, 10), 34);
    CHECK_EQ(OP_RR("sh3add", -1UL, 0), -8UL);
    CHECK_EQ(OP_RR("sh1add.uw", 0xffffffff00000003UL, 1), 7);
    CHECK_EQ(OP_RR("sh2add.uw", 0xffffffffUL, 0), 0x3fffffffcUL);
    CHECK_EQ(OP_RR("sh3add.uw", 0x1ffffffffUL, 8), 0x800000000UL);
    CHECK_EQ(OP_RI("slli.uw", 0xffffffff80000001UL, 4), 0x800000010UL);
    CHECK_EQ(OP_RI("slli.uw", 0xffffffffUL, 63), 0x8000000000000000UL);
}

static void test_zbb_logic(void)
{
    CHECK_EQ(OP_RR("andn", 0xff, 0x0f), 0xf0);
    CHECK_EQ(OP_RR("andn", -1UL, -1UL), 0);
    CHECK_EQ(OP_RR("orn", 0, 0xf), ~0xfUL);
    CHECK_EQ(OP_RR("xnor", 0xff, 0x0f), ~0xf0UL);
    CHECK_EQ(OP_RR("xnor", 0, 0), -1UL);
}

static void test_zbb_count(void)
{
    CHECK_EQ(OP_R("clz", 0), 64);
    CHECK_EQ(OP_R("clz", 1), 63);
    CHECK_EQ(OP_R("clz", -1UL), 0);
    CHECK_EQ(OP_R("clzw", 0xffffffff00000000UL), 32);
    CHECK_EQ(OP_R("clzw", 0x8000UL), 16);
    CHECK_EQ(OP_R("clzw", 0x80000000UL), 0);
    CHECK_EQ(OP_R("ctz", 0), 64);
    CHECK_EQ(OP_R("ctz", 0x8000000000000000UL), 63);
    CHECK_EQ(OP_R("ctz", 6), 1);
    CHECK_EQ(OP_R("ctzw", 0x100000000UL), 32);
    CHECK_EQ(OP_R("ctzw", 0x80000000UL), 31);
    CHECK_EQ(OP_R("cpop", 0), 0);
    CHECK_EQ(OP_R("cpop", -1UL), 64);
    CHECK_EQ(OP_R("cpop", 0x8000000000000001UL), 2);
    CHECK_EQ(OP_R("cpopw", -1UL), 32);
    CHECK_EQ(OP_R("cpopw", 0xffff000000000001UL), 1);
}

static void test_zbb_minmax(void)
{
    CHECK_EQ(OP_RR("max", -1UL, 1), 1);
    CHECK_EQ(OP_RR("max", 0x8000000000000000UL, 0x7fffffffffffffffUL),
             0x7fffffffffffffffUL);
    CHECK_EQ(OP_RR("maxu", -1UL, 1), -1UL);
    CHECK_EQ(OP_RR("min", -1UL, 1), -1UL);
    CHECK_EQ(OP_RR("min", 0x8000000000000000UL, 0), 0x8000000000000000UL);
    CHECK_EQ(OP_RR("minu", -1UL, 1), 1);
    CHECK_EQ(OP_RR("minu", 0, -1UL), 0);
}

static void test_zbb_ext(void)
{
    CHECK_EQ(OP_R("sext.b", 0x80), -128UL);
    CHECK_EQ(OP_R("sext.b", 0x1234567f), 0x7f);
    CHECK_EQ(OP_R("sext.h", 0x8000), 0xffffffffffff8000UL);
    CHECK_EQ(OP_R("sext.h", 0xffff7fffUL), 0x7fff);
    CHECK_EQ(OP_R("zext.h", -1UL), 0xffff);
    CHECK_EQ(OP_R("zext.h", 0x12345678UL), 0x5678);
}

static void test_zbb_rotate(void)
{
    CHECK_EQ(OP_RR("rol", 0x8000000000000001UL, 1), 3);
    CHECK_EQ(OP_RR("rol", 0x8000000000000001UL, 64), 0x8000000000000001UL);
    CHECK_EQ(OP_RR("ror", 3, 1), 0x8000000000000001UL);
    CHECK_EQ(OP_RR("ror", 0x1234, 68), 0x4000000000000123UL);
    CHECK_EQ(OP_RI("rori", 1, 63), 2);
    CHECK_EQ(OP_RI("rori", 0xf0, 4), 0xf);
    CHECK_EQ(OP_RR("rolw", 0x80000001UL, 1), 3);
    CHECK_EQ(OP_RR("rolw", 0x40000000UL, 1), 0xffffffff80000000UL);
    CHECK_EQ(OP_RR("rorw", 1, 1), 0xffffffff80000000UL);
    CHECK_EQ(OP_RR("rorw", 0xffffffff00000002UL, 33), 1);
    CHECK_EQ(OP_RI("roriw", 0x10, 4), 1);
    CHECK_EQ(OP_RI("roriw", 1, 1), 0xffffffff80000000UL);
}

static void test_zbb_bytes(void)
{
    CHECK_EQ(OP_R("orc.b", 0x0100200000000080UL), 0xff00ff00000000ffUL);
    CHECK_EQ(OP_R("orc.b", 0), 0);
    CHECK_EQ(OP_R("rev8", 0x0102030405060708UL), 0x0807060504030201UL);
    CHECK_EQ(OP_R("rev8", 0xff), 0xff00000000000000UL);
}

static void test_zbs(void)
{
    CHECK_EQ(OP_RR("bclr", -1UL, 63), 0x7fffffffffffffffUL);
    CHECK_EQ(OP_RR("bclr", -1UL, 64), -2UL);          /* index mod 64 */
    CHECK_EQ(OP_RI("bclri", 0xff, 3), 0xf7);
    CHECK_EQ(OP_RR("bext", 0x8000000000000000UL, 63), 1);
    CHECK_EQ(OP_RR("bext", 0x8000000000000000UL, 62), 0);
    CHECK_EQ(OP_RI("bexti", 0x10, 4), 1);
    CHECK_EQ(OP_RR("binv", 0, 63), 0x8000000000000000UL);
    CHECK_EQ(OP_RR("binv", 1, 0), 0);
    CHECK_EQ(OP_RI("binvi", 0, 32), 0x100000000UL);
    CHECK_EQ(OP_RR("bset", 0, 65), 2);
    CHECK_EQ(OP_RI("bseti", 0, 63), 0x8000000000000000UL);
    CHECK_EQ(OP_RI("bseti", 1, 0), 1);
}

int main(void)
{
    test_zba();
    test_zbb_logic();
    test_zbb_count();
    test_zbb_minmax();
    test_zbb_ext();
    test_zbb_rotate();
    test_zbb_bytes();
    test_zbs();
    return 0;
}
