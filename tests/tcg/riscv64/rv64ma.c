/*
 * M and A extensions: multiply/divide edge cases (division by zero and
 * signed overflow), LR/SC reservation rules and every AMO in .w and .d.
 */
#include "runtime.h"

#define OP_RR(insn, a, b) ({ uint64_t r_; \
    asm volatile(insn " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); r_; })

#define INT64_MIN_ 0x8000000000000000UL

static void test_mul(void)
{
    CHECK_EQ(OP_RR("mul", 7, -3UL), -21UL);
    CHECK_EQ(OP_RR("mul", INT64_MIN_, -1UL), INT64_MIN_);
    CHECK_EQ(OP_RR("mulh", -1UL, -1UL), 0);
    CHECK_EQ(OP_RR("mulh", INT64_MIN_, INT64_MIN_), 0x4000000000000000UL);
    CHECK_EQ(OP_RR("mulh", -2UL, 3), -1UL);
    CHECK_EQ(OP_RR("mulhu", -1UL, -1UL), 0xfffffffffffffffeUL);
    CHECK_EQ(OP_RR("mulhu", 1UL << 32, 1UL << 32), 1);
    CHECK_EQ(OP_RR("mulhsu", -1UL, -1UL), -1UL);
    CHECK_EQ(OP_RR("mulhsu", 2, -1UL), 1);
    CHECK_EQ(OP_RR("mulw", 0x10000, 0x10000), 0);
    CHECK_EQ(OP_RR("mulw", 0x8000, 0x10000), 0xffffffff80000000UL);
    CHECK_EQ(OP_RR("mulw", 0x100000003UL, 5), 15);
}

static void test_div(void)
{
    CHECK_EQ(OP_RR("div", 20, -3UL), -6UL);
    CHECK_EQ(OP_RR("div", -20UL, 3), -6UL);
    CHECK_EQ(OP_RR("div", 5, 0), -1UL);
    CHECK_EQ(OP_RR("div", INT64_MIN_, -1UL), INT64_MIN_);
    CHECK_EQ(OP_RR("divu", -1UL, 2), 0x7fffffffffffffffUL);
    CHECK_EQ(OP_RR("divu", 5, 0), -1UL);
    CHECK_EQ(OP_RR("rem", 20, -3UL), 2);
    CHECK_EQ(OP_RR("rem", -20UL, 3), -2UL);
    CHECK_EQ(OP_RR("rem", 5, 0), 5);
    CHECK_EQ(OP_RR("rem", INT64_MIN_, -1UL), 0);
    CHECK_EQ(OP_RR("remu", 20, 3), 2);
    CHECK_EQ(OP_RR("remu", -1UL, 0), -1UL);
    CHECK_EQ(OP_RR("divw", 0x80000000UL, -1UL), 0xffffffff80000000UL);
    CHECK_EQ(OP_RR("divw", 7, 0), -1UL);
    CHECK_EQ(OP_RR("divw", 0x100000014UL, 0x3), 6);
    CHECK_EQ(OP_RR("divuw", 0xffffffffUL, 1), -1UL);
    CHECK_EQ(OP_RR("divuw", 7, 0), -1UL);
    CHECK_EQ(OP_RR("divuw", 0x80000000UL, 2), 0x40000000);
    CHECK_EQ(OP_RR("remw", 0x80000000UL, -1UL), 0);
    CHECK_EQ(OP_RR("remw", 0xffffffff00000007UL, 0), 7);
    CHECK_EQ(OP_RR("remw", -7UL, 2), -1UL);
    CHECK_EQ(OP_RR("remuw", 0x80000007UL, 0), 0xffffffff80000007UL);
    CHECK_EQ(OP_RR("remuw", 0xffffffffUL, 0x10), 0xf);
}

static volatile uint64_t mem64 __attribute__((aligned(64)));
static volatile uint64_t other64 __attribute__((aligned(64)));

static void test_lrsc(void)
{
    uint64_t old, fail;

    /* a successful pair */
    mem64 = 10;
    asm volatile("lr.d %0, (%2)\n sc.d %1, %3, (%2)"
                 : "=&r"(old), "=&r"(fail) : "r"(&mem64), "r"(11UL)
                 : "memory");
    CHECK_EQ(old, 10);
    CHECK_EQ(fail, 0);
    CHECK_EQ(mem64, 11);

    /* a second sc without a new lr has no reservation */
    asm volatile("sc.d %0, %2, (%1)" : "=&r"(fail) : "r"(&mem64), "r"(99UL)
                 : "memory");
    CHECK(fail != 0);
    CHECK_EQ(mem64, 11);

    /* an sc.w after lr.w with a sign-extended load */
    mem64 = 0x00000000ffffffffUL;
    asm volatile("lr.w %0, (%2)\n sc.w %1, %3, (%2)"
                 : "=&r"(old), "=&r"(fail) : "r"(&mem64), "r"(5UL)
                 : "memory");
    CHECK_EQ(old, -1UL);
    CHECK_EQ(fail, 0);
    CHECK_EQ(mem64, 5);

    /* sc to a different address than the lr fails */
    asm volatile("lr.d %0, (%2)\n sc.d %1, %3, (%4)"
                 : "=&r"(old), "=&r"(fail)
                 : "r"(&mem64), "r"(1UL), "r"(&other64) : "memory");
    CHECK(fail != 0);

    /* aq/rl variants behave the same on one hart */
    asm volatile("lr.d.aqrl %0, (%2)\n sc.d.aqrl %1, %3, (%2)"
                 : "=&r"(old), "=&r"(fail) : "r"(&mem64), "r"(77UL)
                 : "memory");
    CHECK_EQ(fail, 0);
    CHECK_EQ(mem64, 77);
}

/*
 * A store by the same hart between lr and sc: the specification allows
 * sc to succeed, QEMU 7.2 compares the loaded value (cmpxchg), so a store
 * of a different value makes sc fail while the same value lets it pass.
 */
static void test_lrsc_store(void)
{
    uint64_t old, fail;

    mem64 = 1;
    asm volatile("lr.d %0, (%2)\n sd %4, 0(%2)\n sc.d %1, %3, (%2)"
                 : "=&r"(old), "=&r"(fail)
                 : "r"(&mem64), "r"(3UL), "r"(2UL) : "memory");
    CHECK(fail != 0);
    CHECK_EQ(mem64, 2);
}

#define AMO(insn, addr, val) ({ uint64_t r_; \
    asm volatile(insn " %0, %2, (%1)" : "=r"(r_) : "r"(addr), "r"(val) \
                 : "memory"); r_; })

static void test_amo_d(void)
{
    mem64 = 5;
    CHECK_EQ(AMO("amoswap.d", &mem64, 7), 5);
    CHECK_EQ(mem64, 7);
    CHECK_EQ(AMO("amoadd.d", &mem64, -8UL), 7);
    CHECK_EQ(mem64, -1UL);
    CHECK_EQ(AMO("amoand.d", &mem64, 0xf0f0UL), -1UL);
    CHECK_EQ(mem64, 0xf0f0);
    CHECK_EQ(AMO("amoor.d", &mem64, 0x0f00UL), 0xf0f0);
    CHECK_EQ(mem64, 0xfff0);
    CHECK_EQ(AMO("amoxor.d", &mem64, 0xffffUL), 0xfff0);
    CHECK_EQ(mem64, 0xf);
    CHECK_EQ(AMO("amomax.d", &mem64, -5UL), 0xf);
    CHECK_EQ(mem64, 0xf);
    CHECK_EQ(AMO("amomin.d", &mem64, -5UL), 0xf);
    CHECK_EQ(mem64, -5UL);
    CHECK_EQ(AMO("amomaxu.d", &mem64, 3), -5UL);
    CHECK_EQ(mem64, -5UL);
    CHECK_EQ(AMO("amominu.d", &mem64, 3), -5UL);
    CHECK_EQ(mem64, 3);
    CHECK_EQ(AMO("amoadd.d.aq", &mem64, 1), 3);
    CHECK_EQ(AMO("amoadd.d.rl", &mem64, 1), 4);
    CHECK_EQ(AMO("amoadd.d.aqrl", &mem64, 1), 5);
    CHECK_EQ(mem64, 6);
}

static void test_amo_w(void)
{
    /* the upper word must be left alone and results sign-extended */
    mem64 = 0xaaaaaaaa80000000UL;
    CHECK_EQ(AMO("amoswap.w", &mem64, 0x7fffffffUL), 0xffffffff80000000UL);
    CHECK_EQ(mem64, 0xaaaaaaaa7fffffffUL);
    CHECK_EQ(AMO("amoadd.w", &mem64, 1), 0x7fffffff);
    CHECK_EQ(mem64, 0xaaaaaaaa80000000UL);
    CHECK_EQ(AMO("amoand.w", &mem64, 0xc0000001UL), 0xffffffff80000000UL);
    CHECK_EQ(mem64, 0xaaaaaaaa80000000UL);
    CHECK_EQ(AMO("amoor.w", &mem64, 0x1UL), 0xffffffff80000000UL);
    CHECK_EQ(AMO("amoxor.w", &mem64, 0x80000000UL), 0xffffffff80000001UL);
    CHECK_EQ(mem64, 0xaaaaaaaa00000001UL);
    CHECK_EQ(AMO("amomax.w", &mem64, 0xfffffffeUL), 1);  /* -2 < 1 */
    CHECK_EQ(mem64, 0xaaaaaaaa00000001UL);
    CHECK_EQ(AMO("amomin.w", &mem64, 0xfffffffeUL), 1);
    CHECK_EQ(mem64, 0xaaaaaaaafffffffeUL);
    CHECK_EQ(AMO("amomaxu.w", &mem64, 5), -2UL);
    CHECK_EQ(mem64, 0xaaaaaaaafffffffeUL);
    CHECK_EQ(AMO("amominu.w", &mem64, 5), -2UL);
    CHECK_EQ(mem64, 0xaaaaaaaa00000005UL);
    CHECK_EQ(AMO("amomin.w", &mem64, 0x100000009UL), 5);  /* rs2 low word */
    CHECK_EQ(mem64, 0xaaaaaaaa00000005UL);
    CHECK_EQ(AMO("amoswap.w.aqrl", &mem64, 9), 5);
    CHECK_EQ(mem64, 0xaaaaaaaa00000009UL);
}

/* An AMO with rd = x0 still performs the write. */
static void test_amo_x0(void)
{
    mem64 = 1;
    asm volatile("amoadd.d zero, %1, (%0)" :: "r"(&mem64), "r"(2UL)
                 : "memory");
    CHECK_EQ(mem64, 3);
}

int main(void)
{
    test_mul();
    test_div();
    test_lrsc();
    test_lrsc_store();
    test_amo_d();
    test_amo_w();
    test_amo_x0();
    return 0;
}
