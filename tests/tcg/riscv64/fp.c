/*
 * F and D: rounding modes (static and dynamic), exception flags,
 * NaN-boxing, canonical NaNs, fmin/fmax, fcvt edge cases, fclass,
 * sign injection, fused multiply-add, compares, moves and mstatus.FS.
 */
#include "runtime.h"

#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01

#define S_ONE       0x3f800000UL
#define S_TWO       0x40000000UL
#define S_QNAN      0x7fc00000UL     /* canonical */
#define S_SNAN      0x7f800001UL
#define S_QNAN_PAY  0x7fc12345UL
#define S_INF       0x7f800000UL
#define S_NINF      0xff800000UL
#define S_MAX       0x7f7fffffUL
#define S_MIN_NORM  0x00800000UL
#define S_NZERO     0x80000000UL
#define D_ONE       0x3ff0000000000000UL
#define D_QNAN      0x7ff8000000000000UL
#define D_SNAN      0x7ff0000000000001UL
#define D_INF       0x7ff0000000000000UL
#define D_NINF      0xfff0000000000000UL
#define D_NZERO     0x8000000000000000UL

#define BOX(s)      (0xffffffff00000000UL | (uint32_t)(s))

/* Binary single op: body uses ft0, ft1 and writes ft2. */
#define FS2(body, a, b) ({ uint64_t r_; \
    asm volatile("fmv.w.x ft0, %1\n fmv.w.x ft1, %2\n" body "\n" \
                 "fmv.x.w %0, ft2" : "=r"(r_) : "r"(a), "r"(b) \
                 : "ft0", "ft1", "ft2"); (uint32_t)r_; })
#define FD2(body, a, b) ({ uint64_t r_; \
    asm volatile("fmv.d.x ft0, %1\n fmv.d.x ft1, %2\n" body "\n" \
                 "fmv.x.d %0, ft2" : "=r"(r_) : "r"(a), "r"(b) \
                 : "ft0", "ft1", "ft2"); r_; })
/* Fused: ft0 * ft1 + ft3 style, result ft2 */
#define FS3(body, a, b, c) ({ uint64_t r_; \
    asm volatile("fmv.w.x ft0, %1\n fmv.w.x ft1, %2\n fmv.w.x ft3, %3\n" \
                 body "\n fmv.x.w %0, ft2" : "=r"(r_) \
                 : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3"); \
    (uint32_t)r_; })
#define FD3(body, a, b, c) ({ uint64_t r_; \
    asm volatile("fmv.d.x ft0, %1\n fmv.d.x ft1, %2\n fmv.d.x ft3, %3\n" \
                 body "\n fmv.x.d %0, ft2" : "=r"(r_) \
                 : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3"); \
    r_; })
/* Single/double to integer register: body uses ft0, writes a0-like %0 */
#define FS2X(body, a, b) ({ uint64_t r_; \
    asm volatile("fmv.w.x ft0, %1\n fmv.w.x ft1, %2\n" body \
                 : "=r"(r_) : "r"(a), "r"(b) : "ft0", "ft1"); r_; })
#define FD2X(body, a, b) ({ uint64_t r_; \
    asm volatile("fmv.d.x ft0, %1\n fmv.d.x ft1, %2\n" body \
                 : "=r"(r_) : "r"(a), "r"(b) : "ft0", "ft1"); r_; })

static uint64_t flags(void)
{
    uint64_t f;

    asm volatile("csrrw %0, fflags, zero" : "=r"(f) :: "memory");
    return f;
}

static void clear_flags(void)
{
    asm volatile("csrw fflags, zero" ::: "memory");
}

/* 1 + 0.75 ulp, 1 + 0.5 ulp (a tie) and their negatives */
#define S_075ULP    0x33c00000UL
#define S_050ULP    0x33800000UL

static void test_static_rounding(void)
{
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rne", S_ONE, S_075ULP), 0x3f800001);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rtz", S_ONE, S_075ULP), 0x3f800000);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rdn", S_ONE, S_075ULP), 0x3f800000);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rup", S_ONE, S_075ULP), 0x3f800001);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rmm", S_ONE, S_075ULP), 0x3f800001);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rne", S_ONE, S_050ULP), 0x3f800000);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rmm", S_ONE, S_050ULP), 0x3f800001);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rdn", 0xbf800000, 0xb3c00000),
             0xbf800001);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rup", 0xbf800000, 0xb3c00000),
             0xbf800000);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rtz", 0xbf800000, 0xb3c00000),
             0xbf800000);

    /* 1/3 and -1/3 */
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1, rne", S_ONE, 0x40400000), 0x3eaaaaab);
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1, rtz", S_ONE, 0x40400000), 0x3eaaaaaa);
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1, rdn", S_ONE, 0x40400000), 0x3eaaaaaa);
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1, rup", S_ONE, 0x40400000), 0x3eaaaaab);
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1, rdn", 0xbf800000, 0x40400000),
             0xbeaaaaab);
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1, rup", 0xbf800000, 0x40400000),
             0xbeaaaaaa);

    /* sqrt(2) lies above the nearest single */
    CHECK_EQ(FS2("fsqrt.s ft2, ft0, rne", S_TWO, 0), 0x3fb504f3);
    CHECK_EQ(FS2("fsqrt.s ft2, ft0, rup", S_TWO, 0), 0x3fb504f4);
    CHECK_EQ(FS2("fsqrt.s ft2, ft0, rtz", S_TWO, 0), 0x3fb504f3);

    CHECK_EQ(FD2("fdiv.d ft2, ft0, ft1, rne", D_ONE, 0x4008000000000000UL),
             0x3fd5555555555555UL);
    CHECK_EQ(FD2("fdiv.d ft2, ft0, ft1, rup", D_ONE, 0x4008000000000000UL),
             0x3fd5555555555556UL);
    CHECK_EQ(FD2("fsqrt.d ft2, ft0, rup", 0x4000000000000000UL, 0),
             0x3ff6a09e667f3bcdUL);
    CHECK_EQ(FD2("fsqrt.d ft2, ft0, rdn", 0x4000000000000000UL, 0),
             0x3ff6a09e667f3bccUL);
}

#define S_2_5   0x40200000UL
#define S_M2_5  0xc0200000UL

static void test_fcvt_rounding(void)
{
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rne", S_2_5, 0), 2);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rtz", S_2_5, 0), 2);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rdn", S_2_5, 0), 2);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rup", S_2_5, 0), 3);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rmm", S_2_5, 0), 3);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rne", S_M2_5, 0), -2UL);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rtz", S_M2_5, 0), -2UL);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rdn", S_M2_5, 0), -3UL);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rup", S_M2_5, 0), -2UL);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rmm", S_M2_5, 0), -3UL);
    CHECK_EQ(FD2X("fcvt.l.d %0, ft0, rne", 0x4004000000000000UL, 0), 2);
    CHECK_EQ(FD2X("fcvt.l.d %0, ft0, rmm", 0x4004000000000000UL, 0), 3);
}

static uint64_t dyn_add(uint64_t rm)
{
    uint64_t old;

    asm volatile("fsrm %0, %1" : "=r"(old) : "r"(rm));
    return FS2("fadd.s ft2, ft0, ft1", S_ONE, S_075ULP);
}

static void test_dynamic_rounding(void)
{
    CHECK_EQ(dyn_add(0), 0x3f800001);           /* RNE */
    CHECK_EQ(dyn_add(1), 0x3f800000);           /* RTZ */
    CHECK_EQ(dyn_add(2), 0x3f800000);           /* RDN */
    CHECK_EQ(dyn_add(3), 0x3f800001);           /* RUP */
    CHECK_EQ(dyn_add(4), 0x3f800001);           /* RMM */
    CHECK_EQ(csr_read(frm), 4);
    CHECK_EQ(csr_read(fcsr) >> 5, 4);

    /* dynamic mode on a conversion */
    asm volatile("fsrmi 2");
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0", S_2_5, 0), 2);
    asm volatile("fsrmi 3");
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0", S_2_5, 0), 3);

    /* a reserved frm value makes dynamic-rounding instructions illegal */
    asm volatile("fsrmi 5");
    trap_reset();
    FS2("fadd.s ft2, ft0, ft1", S_ONE, S_ONE);
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    /* but a static mode still works */
    trap_reset();
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1, rne", S_ONE, S_ONE), S_TWO);
    CHECK_EQ(mtrap.count, 0);
    asm volatile("fsrmi 0");

    /* fcsr packs frm and fflags; the upper bits read zero */
    asm volatile("fscsr %0" :: "r"(0xffffffffUL));
    CHECK_EQ(csr_read(fcsr), 0xff);
    CHECK_EQ(csr_read(fflags), 0x1f);
    CHECK_EQ(csr_read(frm), 7);
    csr_write(fcsr, 0);
}

static void test_flags(void)
{
    clear_flags();
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1", S_ONE, 0), S_INF);
    CHECK_EQ(flags(), DZ);
    CHECK_EQ(FS2("fdiv.s ft2, ft0, ft1", 0, 0), S_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2("fsqrt.s ft2, ft0", 0xbf800000, 0), S_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2("fmul.s ft2, ft0, ft1", S_MAX, S_TWO), S_INF);
    CHECK_EQ(flags(), OF | NX);
    CHECK_EQ(FS2("fmul.s ft2, ft0, ft1, rtz", S_MAX, S_TWO), S_MAX);
    CHECK_EQ(flags(), OF | NX);
    CHECK_EQ(FS2("fmul.s ft2, ft0, ft1", 0x00800001, 0x3f000000),
             0x00400000);
    CHECK_EQ(flags(), UF | NX);
    /* an exact tiny result raises no underflow */
    CHECK_EQ(FS2("fmul.s ft2, ft0, ft1", S_MIN_NORM, 0x3f000000),
             0x00400000);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1", S_ONE, S_050ULP), S_ONE);
    CHECK_EQ(flags(), NX);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1", S_INF, S_NINF), S_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2("fdiv.d ft2, ft0, ft1", D_NZERO | D_ONE, 0), D_NINF);
    CHECK_EQ(flags(), DZ);
    CHECK_EQ(FD2("fmul.d ft2, ft0, ft1", D_INF, 0), D_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2("fmul.d ft2, ft0, ft1", 0x0010000000000001UL,
                 0x3fe0000000000000UL), 0x0008000000000000UL);
    CHECK_EQ(flags(), UF | NX);
    /* subnormal inputs are not flushed */
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1", 1, 1), 2);
    CHECK_EQ(flags(), 0);
    /* flags accumulate */
    FS2("fdiv.s ft2, ft0, ft1", S_ONE, 0);
    FS2("fadd.s ft2, ft0, ft1", S_ONE, S_050ULP);
    CHECK_EQ(flags(), DZ | NX);
}

static void test_nan(void)
{
    clear_flags();
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1", S_SNAN, S_ONE), S_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2("fadd.s ft2, ft0, ft1", S_QNAN_PAY, S_ONE), S_QNAN);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FS2("fmul.s ft2, ft0, ft1", 0xffc00001, S_ONE), S_QNAN);
    CHECK_EQ(FD2("fadd.d ft2, ft0, ft1", D_SNAN, D_ONE), D_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2("fsub.d ft2, ft0, ft1", 0xfff8000000000123UL, D_ONE),
             D_QNAN);
    CHECK_EQ(flags(), 0);
    /* conversions between widths canonicalize too */
    CHECK_EQ(FD2("fcvt.d.s ft2, ft0", BOX(S_SNAN), 0), D_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2("fcvt.s.d ft2, ft0\n fmv.x.d t0, ft2\n fmv.d.x ft2, t0",
                 D_SNAN, 0), BOX(S_QNAN));
    CHECK_EQ(flags(), NV);
}

static void test_nanbox(void)
{
    uint64_t r;

    /* an improperly boxed single reads as the canonical NaN */
    CHECK_EQ(FD2("fadd.s ft2, ft0, ft1\n fmv.x.d t0, ft2\n fmv.d.x ft2, t0",
                  S_ONE, BOX(S_ONE)), BOX(S_QNAN));
    CHECK_EQ(FD2("fadd.s ft2, ft0, ft1", BOX(S_ONE), BOX(S_ONE)),
             BOX(S_TWO));
    CHECK_EQ(FD2("fadd.s ft2, ft0, ft1", 0xfffffffe3f800000UL, BOX(S_ONE)),
             BOX(S_QNAN));
    CHECK_EQ(FD2("fcvt.d.s ft2, ft0", 0x000000003f800000UL, 0), D_QNAN);

    /* single results, flw and fmv.w.x write boxed values */
    asm volatile("fmv.w.x ft0, %1\n fmv.x.d %0, ft0" : "=r"(r)
                 : "r"(0x12345678UL) : "ft0");
    CHECK_EQ(r, BOX(0x12345678));
    static volatile uint32_t word = 0x40490fdb;
    asm volatile("flw ft0, 0(%1)\n fmv.x.d %0, ft0" : "=r"(r)
                 : "r"(&word) : "ft0");
    CHECK_EQ(r, BOX(0x40490fdb));

    /* fmv.x.w and fsw move the low bits regardless of boxing */
    asm volatile("fmv.d.x ft0, %1\n fmv.x.w %0, ft0" : "=r"(r)
                 : "r"(0x00000000c0000000UL) : "ft0");
    CHECK_EQ(r, 0xffffffffc0000000UL);
    asm volatile("fmv.d.x ft0, %0\n fsw ft0, 0(%1)"
                 :: "r"(0x1234567800abcdefUL), "r"(&word) : "ft0", "memory");
    CHECK_EQ(word, 0x00abcdef);
}

static void test_minmax(void)
{
    clear_flags();
    CHECK_EQ(FS2("fmin.s ft2, ft0, ft1", S_SNAN, S_ONE), S_ONE);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2("fmax.s ft2, ft0, ft1", S_ONE, S_SNAN), S_ONE);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2("fmin.s ft2, ft0, ft1", S_QNAN_PAY, S_ONE), S_ONE);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FS2("fmax.s ft2, ft0, ft1", S_QNAN_PAY, S_QNAN_PAY), S_QNAN);
    CHECK_EQ(FS2("fmin.s ft2, ft0, ft1", S_SNAN, S_QNAN_PAY), S_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2("fmin.s ft2, ft0, ft1", S_NZERO, 0), S_NZERO);
    CHECK_EQ(FS2("fmin.s ft2, ft0, ft1", 0, S_NZERO), S_NZERO);
    CHECK_EQ(FS2("fmax.s ft2, ft0, ft1", S_NZERO, 0), 0);
    CHECK_EQ(FS2("fmax.s ft2, ft0, ft1", 0, S_NZERO), 0);
    CHECK_EQ(FS2("fmax.s ft2, ft0, ft1", S_NINF, S_MAX), S_MAX);
    CHECK_EQ(FD2("fmin.d ft2, ft0, ft1", D_SNAN, D_ONE), D_ONE);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2("fmax.d ft2, ft0, ft1", D_QNAN, D_QNAN), D_QNAN);
    CHECK_EQ(FD2("fmin.d ft2, ft0, ft1", D_NZERO, 0), D_NZERO);
    CHECK_EQ(FD2("fmax.d ft2, ft0, ft1", D_NZERO, 0), 0);
    CHECK_EQ(flags(), 0);
}

static void test_fcvt_edges(void)
{
    clear_flags();
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rtz", S_QNAN, 0), 0x7fffffff);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rtz", S_INF, 0), 0x7fffffff);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rtz", S_NINF, 0), 0xffffffff80000000UL);
    CHECK_EQ(FS2X("fcvt.w.s %0, ft0, rtz", 0x4f400000, 0), 0x7fffffff);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2X("fcvt.wu.s %0, ft0, rtz", S_QNAN, 0), -1UL);
    CHECK_EQ(FS2X("fcvt.wu.s %0, ft0, rtz", 0xbf800000, 0), 0);
    CHECK_EQ(flags(), NV);
    /* -0.5 rounds to zero: only inexact, not invalid */
    CHECK_EQ(FS2X("fcvt.wu.s %0, ft0, rtz", 0xbf000000, 0), 0);
    CHECK_EQ(flags(), NX);
    CHECK_EQ(FS2X("fcvt.wu.s %0, ft0, rne", 0xbf000000, 0), 0);
    CHECK_EQ(flags(), NX);
    CHECK_EQ(FS2X("fcvt.wu.s %0, ft0, rtz", 0x4f800000, 0), -1UL);
    CHECK_EQ(flags(), NV);
    /* wu results are sign-extended from 32 bits */
    CHECK_EQ(FS2X("fcvt.wu.s %0, ft0, rtz", 0x4f000000, 0),
             0xffffffff80000000UL);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FS2X("fcvt.l.s %0, ft0, rtz", S_NINF, 0), 0x8000000000000000UL);
    CHECK_EQ(FS2X("fcvt.lu.s %0, ft0, rtz", S_INF, 0), -1UL);
    CHECK_EQ(FS2X("fcvt.lu.s %0, ft0, rtz", S_NINF, 0), 0);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2X("fcvt.l.d %0, ft0, rtz", D_QNAN, 0), 0x7fffffffffffffffUL);
    CHECK_EQ(FD2X("fcvt.l.d %0, ft0, rtz", 0x43e0000000000000UL, 0),
             0x7fffffffffffffffUL);
    CHECK_EQ(FD2X("fcvt.lu.d %0, ft0, rtz", 0x43f0000000000000UL, 0), -1UL);
    CHECK_EQ(FD2X("fcvt.lu.d %0, ft0, rtz", D_NINF, 0), 0);
    CHECK_EQ(FD2X("fcvt.w.d %0, ft0, rtz", 0x41e0000000000000UL, 0),
             0x7fffffff);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2X("fcvt.wu.d %0, ft0, rtz", 0x41efffffffe00000UL, 0), -1UL);
    CHECK_EQ(FD2X("fcvt.l.d %0, ft0, rtz", 0xc3e0000000000000UL, 0),
             0x8000000000000000UL);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FD2X("fcvt.lu.d %0, ft0, rtz", 0xbfe0000000000000UL, 0), 0);
    CHECK_EQ(flags(), NX);

    /* integer to float */
    uint64_t r;
    asm volatile("fcvt.s.l ft0, %1\n fmv.x.w %0, ft0" : "=r"(r)
                 : "r"((1UL << 24) + 1) : "ft0");
    CHECK_EQ(r, 0x4b800000);
    CHECK_EQ(flags(), NX);
    asm volatile("fcvt.s.lu ft0, %1, rup\n fmv.x.w %0, ft0" : "=r"(r)
                 : "r"((1UL << 24) + 1) : "ft0");
    CHECK_EQ(r, 0x4b800001);
    asm volatile("fcvt.d.w ft0, %1\n fmv.x.d %0, ft0" : "=r"(r)
                 : "r"(0xffffffff80000000UL) : "ft0");
    CHECK_EQ(r, 0xc1e0000000000000UL);
    asm volatile("fcvt.d.wu ft0, %1\n fmv.x.d %0, ft0" : "=r"(r)
                 : "r"(0xffffffff80000000UL) : "ft0");
    CHECK_EQ(r, 0x41e0000000000000UL);
    asm volatile("fcvt.s.w ft0, %1\n fmv.x.w %0, ft0" : "=r"(r)
                 : "r"(0x12345678ffffffffUL) : "ft0");
    CHECK_EQ(r, 0xffffffffbf800000UL);
    asm volatile("fcvt.d.lu ft0, %1\n fmv.x.d %0, ft0" : "=r"(r)
                 : "r"(-1UL) : "ft0");
    CHECK_EQ(r, 0x43f0000000000000UL);
    CHECK_EQ(flags(), NX);
    /* double to single overflow and rounding */
    CHECK_EQ(FD2("fcvt.s.d ft2, ft0", 0x47f0000000000000UL, 0),
             BOX(S_INF));
    CHECK_EQ(flags(), OF | NX);
    CHECK_EQ(FD2("fcvt.d.s ft2, ft0", BOX(0x3eaaaaab), 0),
             0x3fd5555560000000UL);
    CHECK_EQ(flags(), 0);
}

#define FCLASS_S(v) FS2X("fclass.s %0, ft0", v, 0)
#define FCLASS_D(v) FD2X("fclass.d %0, ft0", v, 0)

static void test_fclass(void)
{
    CHECK_EQ(FCLASS_S(S_NINF), 1 << 0);
    CHECK_EQ(FCLASS_S(0xbf800000), 1 << 1);
    CHECK_EQ(FCLASS_S(0x80000001), 1 << 2);
    CHECK_EQ(FCLASS_S(S_NZERO), 1 << 3);
    CHECK_EQ(FCLASS_S(0), 1 << 4);
    CHECK_EQ(FCLASS_S(0x007fffff), 1 << 5);
    CHECK_EQ(FCLASS_S(S_ONE), 1 << 6);
    CHECK_EQ(FCLASS_S(S_INF), 1 << 7);
    CHECK_EQ(FCLASS_S(S_SNAN), 1 << 8);
    CHECK_EQ(FCLASS_S(S_QNAN), 1 << 9);
    CHECK_EQ(FD2X("fclass.s %0, ft0", 0x3f800000UL, 0), 1 << 9);
    CHECK_EQ(FCLASS_D(D_NINF), 1 << 0);
    CHECK_EQ(FCLASS_D(0xbff0000000000000UL), 1 << 1);
    CHECK_EQ(FCLASS_D(0x800fffffffffffffUL), 1 << 2);
    CHECK_EQ(FCLASS_D(D_NZERO), 1 << 3);
    CHECK_EQ(FCLASS_D(0), 1 << 4);
    CHECK_EQ(FCLASS_D(1), 1 << 5);
    CHECK_EQ(FCLASS_D(D_ONE), 1 << 6);
    CHECK_EQ(FCLASS_D(D_INF), 1 << 7);
    CHECK_EQ(FCLASS_D(D_SNAN), 1 << 8);
    CHECK_EQ(FCLASS_D(0xfff8000000000000UL), 1 << 9);
}

static void test_sgnj(void)
{
    CHECK_EQ(FS2("fsgnj.s ft2, ft0, ft1", S_ONE, 0x80000000), 0xbf800000);
    CHECK_EQ(FS2("fsgnj.s ft2, ft0, ft1", 0xbf800000, 0), S_ONE);
    CHECK_EQ(FS2("fsgnjn.s ft2, ft0, ft1", S_ONE, 0), 0xbf800000);
    CHECK_EQ(FS2("fsgnjn.s ft2, ft0, ft1", S_ONE, 0x80000000), S_ONE);
    CHECK_EQ(FS2("fsgnjx.s ft2, ft0, ft1", 0xbf800000, 0x80000000), S_ONE);
    CHECK_EQ(FS2("fsgnjx.s ft2, ft0, ft1", 0xbf800000, 0), 0xbf800000);
    /* sign injection never touches NaN payloads or raises flags */
    clear_flags();
    CHECK_EQ(FS2("fsgnjn.s ft2, ft0, ft0", S_SNAN, 0), 0xff800001);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FD2("fsgnj.d ft2, ft0, ft1", D_ONE, D_NZERO),
             0xbff0000000000000UL);
    CHECK_EQ(FD2("fsgnjn.d ft2, ft0, ft1", D_ONE, D_NZERO), D_ONE);
    CHECK_EQ(FD2("fsgnjx.d ft2, ft0, ft1", D_NZERO | D_ONE, D_NZERO), D_ONE);
    CHECK_EQ(FD2("fabs.d ft2, ft0", D_NINF, 0), D_INF);
    CHECK_EQ(FD2("fneg.d ft2, ft0", D_SNAN, 0), 0xfff0000000000001UL);
}

#define S_A 0x3f800800UL                /* 1 + 2^-12 */
#define D_A 0x3ff0000002000000UL        /* 1 + 2^-27 */

static void test_fma(void)
{
    /* fused: (1 + 2^-12)^2 - 1 keeps the 2^-24 term */
    CHECK_EQ(FS3("fmadd.s ft2, ft0, ft1, ft3", S_A, S_A, 0xbf800000),
             0x3a000400);
    CHECK_EQ(FS3("fmul.s ft2, ft0, ft1\n fadd.s ft2, ft2, ft3",
                 S_A, S_A, 0xbf800000), 0x3a000000);
    CHECK_EQ(FS3("fmsub.s ft2, ft0, ft1, ft3", S_A, S_A, S_ONE), 0x3a000400);
    CHECK_EQ(FS3("fnmsub.s ft2, ft0, ft1, ft3", S_A, S_A, S_ONE),
             0xba000400);
    CHECK_EQ(FS3("fnmadd.s ft2, ft0, ft1, ft3", S_A, S_A, 0xbf800000),
             0xba000400);
    CHECK_EQ(FD3("fmadd.d ft2, ft0, ft1, ft3", D_A, D_A,
                 0xbff0000000000000UL), 0x3e50000001000000UL);
    CHECK_EQ(FD3("fmsub.d ft2, ft0, ft1, ft3", D_A, D_A, D_ONE),
             0x3e50000001000000UL);
    CHECK_EQ(FD3("fnmsub.d ft2, ft0, ft1, ft3", D_A, D_A, D_ONE),
             0xbe50000001000000UL);
    CHECK_EQ(FD3("fnmadd.d ft2, ft0, ft1, ft3", D_A, D_A,
                 0xbff0000000000000UL), 0xbe50000001000000UL);
    /* static rounding applies to the single rounding step */
    CHECK_EQ(FS3("fmadd.s ft2, ft0, ft1, ft3, rup", S_ONE, S_ONE,
                 S_075ULP), 0x3f800001);
    CHECK_EQ(FS3("fmadd.s ft2, ft0, ft1, ft3, rdn", S_ONE, S_ONE,
                 S_075ULP), 0x3f800000);
    /* inf * 0 + qNaN is invalid */
    clear_flags();
    CHECK_EQ(FS3("fmadd.s ft2, ft0, ft1, ft3", S_INF, 0, S_QNAN), S_QNAN);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD3("fmadd.d ft2, ft0, ft1, ft3", D_ONE, D_ONE, D_NINF),
             D_NINF);
    CHECK_EQ(flags(), 0);
}

static void test_compare(void)
{
    clear_flags();
    CHECK_EQ(FS2X("feq.s %0, ft0, ft1", S_QNAN, S_QNAN), 0);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FS2X("feq.s %0, ft0, ft1", S_SNAN, S_ONE), 0);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2X("flt.s %0, ft0, ft1", S_QNAN, S_ONE), 0);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2X("fle.s %0, ft0, ft1", S_ONE, S_QNAN), 0);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FS2X("feq.s %0, ft0, ft1", S_NZERO, 0), 1);
    CHECK_EQ(FS2X("flt.s %0, ft0, ft1", S_NZERO, 0), 0);
    CHECK_EQ(FS2X("fle.s %0, ft0, ft1", S_NZERO, 0), 1);
    CHECK_EQ(FS2X("flt.s %0, ft0, ft1", S_NINF, S_ONE), 1);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FD2X("feq.d %0, ft0, ft1", D_ONE, D_ONE), 1);
    CHECK_EQ(FD2X("feq.d %0, ft0, ft1", D_QNAN, D_ONE), 0);
    CHECK_EQ(flags(), 0);
    CHECK_EQ(FD2X("flt.d %0, ft0, ft1", D_ONE, D_QNAN), 0);
    CHECK_EQ(flags(), NV);
    CHECK_EQ(FD2X("fle.d %0, ft0, ft1", D_NINF, D_INF), 1);
    CHECK_EQ(FD2X("feq.d %0, ft0, ft1", D_SNAN, D_SNAN), 0);
    CHECK_EQ(flags(), NV);
}

static void test_moves(void)
{
    uint64_t r;
    static volatile uint64_t dword;

    CHECK_EQ(FS2X("fmv.x.w %0, ft0", 0x80000000UL, 0), 0xffffffff80000000UL);
    CHECK_EQ(FS2X("fmv.x.w %0, ft0", 0x7fffffffUL, 0), 0x7fffffff);
    CHECK_EQ(FD2X("fmv.x.d %0, ft0", D_SNAN, 0), D_SNAN);
    asm volatile("fmv.d.x ft0, %1\n fsd ft0, 0(%2)\n fld ft1, 0(%2)\n"
                 "fmv.x.d %0, ft1" : "=r"(r) : "r"(D_SNAN), "r"(&dword)
                 : "ft0", "ft1", "memory");
    CHECK_EQ(r, D_SNAN);
    CHECK_EQ(dword, D_SNAN);
}

static void test_fs_field(void)
{
    uint64_t st;

    /* writing an FP register makes FS dirty and sets SD */
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, MSTATUS_FS_INITIAL);
    asm volatile("fmv.w.x ft0, zero" ::: "ft0");
    st = csr_read(mstatus);
    CHECK_EQ(st & MSTATUS_FS, MSTATUS_FS_DIRTY);
    CHECK(st & MSTATUS_SD);

    /* so does writing an FP CSR */
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, MSTATUS_FS_CLEAN);
    asm volatile("fsflags zero" ::: "memory");
    CHECK_EQ(csr_read(mstatus) & MSTATUS_FS, MSTATUS_FS_DIRTY);

    /* fsflags/frflags swap the flags */
    asm volatile("fsflags %0, %1" : "=r"(st) : "r"(0x1fUL));
    CHECK_EQ(st, 0);
    asm volatile("frflags %0" : "=r"(st));
    CHECK_EQ(st, 0x1f);
    asm volatile("fsflagsi %0, 3" : "=r"(st));
    CHECK_EQ(st, 0x1f);
    CHECK_EQ(csr_read(fflags), 3);
    csr_write(fflags, 0);

    /* with FS = Off, FP instructions and FP CSRs are illegal */
    csr_clear(mstatus, MSTATUS_FS);
    CHECK_EQ(csr_read(mstatus) & MSTATUS_SD, 0);
    trap_reset();
    asm volatile("fadd.s ft0, ft0, ft0" ::: "ft0");
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    trap_reset();
    asm volatile("fmv.x.d %0, ft0" : "=r"(st));
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    trap_reset();
    asm volatile("csrr %0, fcsr" : "=r"(st));
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    trap_reset();
    asm volatile("fld ft0, 0(sp)" ::: "ft0");
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    CHECK_EQ(mtrap.count, 1);
    csr_set(mstatus, MSTATUS_FS_INITIAL);
}

int main(void)
{
    test_static_rounding();
    test_fcvt_rounding();
    test_dynamic_rounding();
    test_flags();
    test_nan();
    test_nanbox();
    test_minmax();
    test_fcvt_edges();
    test_fclass();
    test_sgnj();
    test_fma();
    test_compare();
    test_moves();
    test_fs_field();
    return 0;
}
