/*
 * fpu_helper.c: F and D on the host FPU.
 *
 * Arithmetic runs on the host (x86-64 SSE and ARM both round and raise
 * flags as IEEE 754 says, with tininess after rounding like RISC-V), in
 * the instruction's rounding mode.  The host's accrued flags are folded
 * into fflags lazily, when the guest reads fflags/fcsr or the hart stops
 * running on this thread.  What the host does differently is handled
 * explicitly here: NaN results are replaced by the canonical NaN,
 * round-to-nearest-max-magnitude (no host mode) is derived from a
 * round-to-nearest result, and comparisons, min/max, classification and
 * float-to-integer conversions are computed on the bits with the flags
 * set by hand.  Helper code must not run host floating-point operations
 * on signaling NaNs except where the guest operation itself raises.
 */
#include "qemu/osdep.h"

#include <fenv.h>
#include <math.h>
#include "internals.h"

#define CANON_NAN_S 0x7fc00000U
#define CANON_NAN_D 0x7ff8000000000000ULL
#define BOX_S       0xffffffff00000000ULL

/* ---- Bits ---- */

static inline float bits_f(uint32_t v)
{
    float f;
    memcpy(&f, &v, 4);
    return f;
}

static inline uint32_t f_bits(float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    return v;
}

static inline double bits_d(uint64_t v)
{
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static inline uint64_t d_bits(double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    return v;
}

static inline bool nan_s(uint32_t v)
{
    return (v & 0x7fffffff) > 0x7f800000;
}

static inline bool snan_s(uint32_t v)
{
    return nan_s(v) && !(v & 0x00400000);
}

static inline bool nan_d(uint64_t v)
{
    return (v & ~(1ULL << 63)) > 0x7ff0000000000000ULL;
}

static inline bool snan_d(uint64_t v)
{
    return nan_d(v) && !(v & 0x0008000000000000ULL);
}

/* A single in a 64-bit register must be NaN-boxed, else it is a NaN. */
static inline uint32_t unbox(uint64_t v)
{
    return (v >> 32) == 0xffffffff ? (uint32_t)v : CANON_NAN_S;
}

static inline uint64_t box(uint32_t v)
{
    return BOX_S | v;
}

static inline uint64_t box_f(float f)
{
    uint32_t v = f_bits(f);
    return box(nan_s(v) ? CANON_NAN_S : v);
}

static inline uint64_t res_d(double d)
{
    uint64_t v = d_bits(d);
    return nan_d(v) ? CANON_NAN_D : v;
}

/* ---- Flags and rounding ---- */

void riscv_fpu_clear_host_flags(void)
{
    feclearexcept(FE_ALL_EXCEPT);
}

void riscv_fpu_sync_flags(CPURISCVState *env)
{
    int h = fetestexcept(FE_ALL_EXCEPT);

    if (h) {
        env->fflags |= ((h & FE_INEXACT) ? FSR_NXA : 0) |
                       ((h & FE_UNDERFLOW) ? FSR_UFA : 0) |
                       ((h & FE_OVERFLOW) ? FSR_OFA : 0) |
                       ((h & FE_DIVBYZERO) ? FSR_DZA : 0) |
                       ((h & FE_INVALID) ? FSR_NVA : 0);
        feclearexcept(FE_ALL_EXCEPT);
    }
}

/* Resolve the instruction's rm field; -1 if reserved (illegal). */
static int resolve_rm(CPURISCVState *env, int rm)
{
    if (rm == RISCV_FRM_DYN) {
        rm = env->frm;
    }
    return rm <= RISCV_FRM_RMM ? rm : -1;
}

static const int host_modes[5] = {
    FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD, FE_TONEAREST,
};

/* ---- Round to nearest, ties to max magnitude ---- */

/*
 * @r is the round-to-nearest-even result and @err = exact - r, exactly.
 * On a tie that even-rounding broke toward zero, step away from zero.
 */
static double rmm_fix_d(double r, double err)
{
    double half_ulp;

    if (err == 0 || isinf(r) || isnan(r)) {
        return r;
    }
    half_ulp = fabs(nextafter(r, copysign(INFINITY, r)) - r) / 2;
    if (fabs(err) == half_ulp && signbit(err) == signbit(r)) {
        return nextafter(r, copysign(INFINITY, r));
    }
    return r;
}

/* Round a double to float with ties away from zero. */
static float rmm_to_float(double d)
{
    float f = (float)d, g;
    double mid;

    if (isnan(d) || (double)f == d || isinf(f)) {
        return f;
    }
    g = nextafterf(f, d > f ? INFINITY : -INFINITY);
    mid = ((double)f + (double)g) / 2;
    if (d == mid) {
        return fabsf(f) > fabsf(g) ? f : g;
    }
    return f;
}

/* ---- Arithmetic ---- */

enum { FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV, FOP_SQRT };

/*
 * Square roots must be the bare host instruction: the C library's
 * errno path for negative inputs raises inexact as well as invalid.
 */
static inline double host_sqrt(double a)
{
#if defined(__x86_64__)
    asm("sqrtsd %1, %0" : "=x"(a) : "x"(a));
    return a;
#elif defined(__aarch64__)
    asm("fsqrt %d0, %d1" : "=w"(a) : "w"(a));
    return a;
#else
    return sqrt(a);
#endif
}

static inline float host_sqrtf(float a)
{
#if defined(__x86_64__)
    asm("sqrtss %1, %0" : "=x"(a) : "x"(a));
    return a;
#elif defined(__aarch64__)
    asm("fsqrt %s0, %s1" : "=w"(a) : "w"(a));
    return a;
#else
    return sqrtf(a);
#endif
}

static double arith_d(int op, double a, double b)
{
    switch (op) {
    case FOP_ADD: return a + b;
    case FOP_SUB: return a - b;
    case FOP_MUL: return a * b;
    case FOP_DIV: return a / b;
    default:      return host_sqrt(a);
    }
}

static float arith_s(int op, float a, float b)
{
    switch (op) {
    case FOP_ADD: return a + b;
    case FOP_SUB: return a - b;
    case FOP_MUL: return a * b;
    case FOP_DIV: return a / b;
    default:      return host_sqrtf(a);
    }
}

/* Exact error of the round-to-nearest result @r of a op b. */
static double arith_err_d(int op, double a, double b, double r)
{
    switch (op) {
    case FOP_ADD: case FOP_SUB: {
        double bb = op == FOP_SUB ? -b : b;
        double z = r - a;
        return (a - (r - z)) + (bb - z);       /* TwoSum */
    }
    case FOP_MUL:
        return fma(a, b, -r);
    case FOP_DIV: {
        /* exact - r = rem / b; only its comparison with ulp/2 matters. */
        double rem = fma(-r, b, a);
        return rem / b;
    }
    }
    return 0;   /* a square root is never exactly halfway */
}

static uint64_t do_arith(CPURISCVState *env, int op, bool dbl, int rm,
                         uint64_t ra, uint64_t rb)
{
    if (dbl) {
        double a = bits_d(ra), b = bits_d(rb), r = arith_d(op, a, b);
        if (rm == RISCV_FRM_RMM && !isnan(r)) {
            fenv_t fe;
            feholdexcept(&fe);      /* the error terms raise nothing */
            r = rmm_fix_d(r, arith_err_d(op, a, b, r));
            fesetenv(&fe);
        }
        return res_d(r);
    }
    if (rm == RISCV_FRM_RMM) {
        double a = bits_f(unbox(ra)), b = bits_f(unbox(rb));
        return box_f(rmm_to_float(arith_d(op, a, b)));
    }
    return box_f(arith_s(op, bits_f(unbox(ra)), bits_f(unbox(rb))));
}

/* fmadd family: @neg_prod negates a*b, @neg_add negates c. */
static uint64_t do_fma(CPURISCVState *env, bool dbl, uint64_t ra,
                       uint64_t rb, uint64_t rc, bool neg_prod, bool neg_add)
{
    bool inf_zero;

    if (dbl) {
        double a = bits_d(ra), b = bits_d(rb), c = bits_d(rc);
        /* inf * 0 is invalid even when c is a quiet NaN. */
        inf_zero = (isinf(a) && (ra << 1) == 0) ||
                   (isinf(a) && (rb << 1) == 0) ||
                   ((ra << 1) == 0 && isinf(b));
        if (inf_zero && nan_d(rc)) {
            env->fflags |= FSR_NVA;
        }
        return res_d(fma(neg_prod ? -a : a, b, neg_add ? -c : c));
    } else {
        uint32_t ua = unbox(ra), ub = unbox(rb), uc = unbox(rc);
        float a = bits_f(ua), b = bits_f(ub), c = bits_f(uc);
        inf_zero = (isinf(a) && (ub << 1) == 0) ||
                   ((ua << 1) == 0 && isinf(b));
        if (inf_zero && nan_s(uc)) {
            env->fflags |= FSR_NVA;
        }
        return box_f(fmaf(neg_prod ? -a : a, b, neg_add ? -c : c));
    }
}

/* ---- Sign injection, min/max, compare, classify ---- */

static uint64_t do_sgnj(int f3, bool dbl, uint64_t ra, uint64_t rb)
{
    if (dbl) {
        uint64_t s = 1ULL << 63, sb = rb & s;
        sb = f3 == 0 ? sb : f3 == 1 ? sb ^ s : (ra ^ rb) & s;
        return (ra & ~s) | sb;
    } else {
        uint32_t a = unbox(ra), b = unbox(rb), s = 1U << 31, sb = b & s;
        sb = f3 == 0 ? sb : f3 == 1 ? sb ^ s : (a ^ b) & s;
        return box((a & ~s) | sb);
    }
}

/* Total order for non-NaN values given as sign-magnitude bits. */
static bool less_bits(uint64_t a, uint64_t b, int sign_bit)
{
    uint64_t s = 1ULL << sign_bit;
    bool na = a & s, nb = b & s;

    if (na != nb) {
        return na;          /* -0 < +0 as fmin/fmax require */
    }
    return na ? a > b : a < b;
}

static uint64_t do_minmax(CPURISCVState *env, bool is_max, bool dbl,
                          uint64_t ra, uint64_t rb)
{
    uint64_t a = dbl ? ra : unbox(ra), b = dbl ? rb : unbox(rb);
    bool (*isnan_)(uint64_t) = NULL;
    bool an, bn;
    uint64_t r;

    (void)isnan_;
    an = dbl ? nan_d(a) : nan_s(a);
    bn = dbl ? nan_d(b) : nan_s(b);
    if ((dbl && (snan_d(a) || snan_d(b))) ||
        (!dbl && (snan_s(a) || snan_s(b)))) {
        env->fflags |= FSR_NVA;
    }
    if (an && bn) {
        r = dbl ? CANON_NAN_D : CANON_NAN_S;
    } else if (an) {
        r = b;
    } else if (bn) {
        r = a;
    } else {
        bool lt = less_bits(a, b, dbl ? 63 : 31);
        r = (lt != is_max) ? a : b;
    }
    return dbl ? r : box(r);
}

/* feq (f3 2), flt (1), fle (0). */
static uint64_t do_compare(CPURISCVState *env, int f3, bool dbl,
                           uint64_t ra, uint64_t rb)
{
    uint64_t a = dbl ? ra : unbox(ra), b = dbl ? rb : unbox(rb);
    bool an = dbl ? nan_d(a) : nan_s(a), bn = dbl ? nan_d(b) : nan_s(b);
    bool as = dbl ? snan_d(a) : snan_s(a), bs = dbl ? snan_d(b) : snan_s(b);
    double da, db;

    if (an || bn) {
        /* feq is quiet (only sNaN raises); flt/fle signal on any NaN. */
        if (f3 != 2 || as || bs) {
            env->fflags |= FSR_NVA;
        }
        return 0;
    }
    da = dbl ? bits_d(a) : bits_f(a);
    db = dbl ? bits_d(b) : bits_f(b);
    return f3 == 2 ? da == db : f3 == 1 ? da < db : da <= db;
}

static uint64_t do_class(bool dbl, uint64_t r)
{
    uint64_t v = dbl ? r : unbox(r);
    int sb = dbl ? 63 : 31, mb = dbl ? 52 : 23;
    uint64_t emax = dbl ? 0x7ff : 0xff;
    bool neg = (v >> sb) & 1;
    uint64_t exp = (v >> mb) & emax, man = v & ((1ULL << mb) - 1);

    if (exp == emax) {
        if (man == 0) {
            return neg ? 1 << 0 : 1 << 7;
        }
        return (man >> (mb - 1)) ? 1 << 9 : 1 << 8;
    }
    if (exp == 0) {
        if (man == 0) {
            return neg ? 1 << 3 : 1 << 4;
        }
        return neg ? 1 << 2 : 1 << 5;
    }
    return neg ? 1 << 1 : 1 << 6;
}

/* ---- Conversions ---- */

static double round_int(double a, int rm)
{
    switch (rm) {
    case RISCV_FRM_RTZ: return trunc(a);
    case RISCV_FRM_RDN: return floor(a);
    case RISCV_FRM_RUP: return ceil(a);
    case RISCV_FRM_RMM: return round(a);
    default:            return nearbyint(a);    /* host mode is RNE */
    }
}

/*
 * Float to integer: @kind = rs2 (0 w, 1 wu, 2 l, 3 lu).  NaN and
 * out-of-range inputs saturate and raise only NV; inexact raises NX.
 */
static uint64_t do_cvt_to_int(CPURISCVState *env, int kind, int rm,
                              bool dbl, uint64_t r)
{
    static const double lo[4] = { -2147483648.0, 0, -9223372036854775808.0,
                                  0 };
    static const double hi[4] = { 2147483648.0, 4294967296.0,
                                  9223372036854775808.0,
                                  18446744073709551616.0 };
    static const uint64_t min[4] = { (uint64_t)INT32_MIN, 0,
                                     (uint64_t)INT64_MIN, 0 };
    static const uint64_t max[4] = { INT32_MAX, UINT64_MAX,
                                     INT64_MAX, UINT64_MAX };
    uint64_t v = dbl ? r : unbox(r);
    double a, i;

    if (dbl ? nan_d(v) : nan_s(v)) {
        env->fflags |= FSR_NVA;
        return max[kind];
    }
    a = dbl ? bits_d(v) : (double)bits_f(v);
    i = round_int(a, rm);
    if (i < lo[kind] || i >= hi[kind]) {
        env->fflags |= FSR_NVA;
        return signbit(a) ? min[kind] : max[kind];
    }
    if (i != a) {
        env->fflags |= FSR_NXA;
    }
    switch (kind) {
    case 0: return (int64_t)(int32_t)i;
    case 1: return (int64_t)(int32_t)(uint32_t)i;
    case 2: return (uint64_t)(int64_t)i;
    default: return (uint64_t)i;
    }
}

/* Integer to float: @kind = rs2 (0 w, 1 wu, 2 l, 3 lu). */
static uint64_t do_cvt_from_int(CPURISCVState *env, int kind, int rm,
                                bool dbl, uint64_t x)
{
    bool neg = false;
    uint64_t mag;
    double d;

    switch (kind) {
    case 0: x = (int64_t)(int32_t)x; neg = (int64_t)x < 0; break;
    case 1: x = (uint32_t)x; break;
    case 2: neg = (int64_t)x < 0; break;
    }
    mag = neg ? -x : x;
    if (rm == RISCV_FRM_RMM) {
        /* Nearest with ties away: round the magnitude by hand. */
        int bits = dbl ? 53 : 24;
        int top = mag ? 63 - __builtin_clzll(mag) : 0;
        if (top >= bits) {
            int drop = top - bits + 1;
            uint64_t rest = mag & ((1ULL << drop) - 1);
            mag >>= drop;
            if (rest >= (1ULL << (drop - 1))) {
                mag++;
            }
            if (rest) {
                env->fflags |= FSR_NXA;
            }
            d = ldexp((double)mag, drop);
            d = neg ? -d : d;
            return dbl ? d_bits(d) : box(f_bits((float)d));
        }
    }
    if (dbl) {
        d = neg ? -(double)mag : (double)mag;
        if (kind == 2 && x == (uint64_t)INT64_MIN) {
            d = -9223372036854775808.0;
        }
        return d_bits(d);
    } else {
        float f = neg ? -(float)mag : (float)mag;
        if (kind == 2 && x == (uint64_t)INT64_MIN) {
            f = -9223372036854775808.0f;
        }
        return box(f_bits(f));
    }
}

static uint64_t do_cvt_fp(CPURISCVState *env, bool to_dbl, int rm,
                          uint64_t r)
{
    if (to_dbl) {
        return res_d((double)bits_f(unbox(r)));
    }
    if (rm == RISCV_FRM_RMM) {
        return box_f(rmm_to_float(bits_d(r)));
    }
    return box_f((float)bits_d(r));
}

/* ---- Dispatch ---- */

static bool exec_op_fp(CPURISCVState *env, uint32_t insn, int rm_raw,
                       uint64_t *out, bool *to_int)
{
    uint32_t f7 = insn >> 25, rs2 = (insn >> 20) & 31, f3 = rm_raw;
    uint64_t a = env->fpr[(insn >> 15) & 31], b = env->fpr[rs2];
    uint64_t xs = env->gpr[(insn >> 15) & 31];
    bool dbl = f7 & 1;
    int rm = resolve_rm(env, rm_raw);

    *to_int = false;
    switch (f7 >> 2) {
    case 0x00: case 0x01: case 0x02: case 0x03: case 0x0b:
        if (rm < 0 || ((f7 >> 2) == 0x0b && rs2 != 0)) {
            return false;
        }
        *out = do_arith(env, (f7 >> 2) == 0x0b ? FOP_SQRT : f7 >> 2, dbl,
                        rm, a, b);
        return true;
    case 0x04:
        if (f3 > 2) {
            return false;
        }
        *out = do_sgnj(f3, dbl, a, b);
        return true;
    case 0x05:
        if (f3 > 1) {
            return false;
        }
        *out = do_minmax(env, f3 == 1, dbl, a, b);
        return true;
    case 0x08:
        if (rm < 0 || rs2 != (dbl ? 0u : 1u)) {
            return false;
        }
        *out = do_cvt_fp(env, dbl, rm, a);
        return true;
    case 0x14:
        if (f3 > 2) {
            return false;
        }
        *to_int = true;
        *out = do_compare(env, f3, dbl, a, b);
        return true;
    case 0x18:
        if (rm < 0 || rs2 > 3) {
            return false;
        }
        *to_int = true;
        *out = do_cvt_to_int(env, rs2, rm, dbl, a);
        return true;
    case 0x1a:
        if (rm < 0 || rs2 > 3) {
            return false;
        }
        *out = do_cvt_from_int(env, rs2, rm, dbl, xs);
        return true;
    case 0x1c:
        if (rs2 != 0 || f3 > 1) {
            return false;
        }
        *to_int = true;
        *out = f3 == 1 ? do_class(dbl, a)
                       : dbl ? a : (uint64_t)(int64_t)(int32_t)a;
        return true;
    case 0x1e:
        if (rs2 != 0 || f3 != 0) {
            return false;
        }
        *out = dbl ? xs : box((uint32_t)xs);
        return true;
    }
    return false;
}

bool riscv_fpu_exec(CPURISCVState *env, uint32_t insn)
{
    uint32_t opc = insn & 0x7f, rd = (insn >> 7) & 31;
    int rm_raw = (insn >> 12) & 7, rm;
    bool to_int = false, ok;
    uint64_t out = 0;

    if (opc == 0x53) {
        rm = resolve_rm(env, rm_raw);
        if (rm > 0) {
            fesetround(host_modes[rm]);
        }
        ok = exec_op_fp(env, insn, rm_raw, &out, &to_int);
        if (rm > 0) {
            fesetround(FE_TONEAREST);
        }
    } else {
        /* fmadd 0x43, fmsub 0x47, fnmsub 0x4b, fnmadd 0x4f */
        uint64_t a = env->fpr[(insn >> 15) & 31];
        uint64_t b = env->fpr[(insn >> 20) & 31];
        uint64_t c = env->fpr[insn >> 27];
        bool dbl = ((insn >> 25) & 3) == 1;
        rm = resolve_rm(env, rm_raw);
        if (rm < 0) {
            return false;
        }
        if (rm > 0) {
            fesetround(host_modes[rm]);
        }
        out = do_fma(env, dbl, a, b, c, opc == 0x4b || opc == 0x4f,
                     opc == 0x47 || opc == 0x4f);
        if (rm > 0) {
            fesetround(FE_TONEAREST);
        }
        ok = true;
    }
    if (!ok) {
        return false;
    }
    if (to_int) {
        if (rd) {
            env->gpr[rd] = out;
        }
    } else {
        env->fpr[rd] = out;
    }
    riscv_fs_dirty(env);
    return true;
}
