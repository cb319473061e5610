/*
 * qnum.c: JSON numbers.
 */
#include "qemu/osdep.h"
#include <math.h>
#include "qapi/qmp/qnum.h"

static QNum *qnum_new(QNumKind kind)
{
    QNum *qn = g_new(QNum, 1);

    qobject_init(QOBJECT(qn), QTYPE_QNUM);
    qn->kind = kind;
    return qn;
}

QNum *qnum_from_int(int64_t value)
{
    QNum *qn = qnum_new(QNUM_I64);

    qn->u.i64 = value;
    return qn;
}

QNum *qnum_from_uint(uint64_t value)
{
    QNum *qn = qnum_new(QNUM_U64);

    qn->u.u64 = value;
    return qn;
}

QNum *qnum_from_double(double value)
{
    QNum *qn = qnum_new(QNUM_DOUBLE);

    qn->u.dbl = value;
    return qn;
}

bool qnum_get_try_int(const QNum *qn, int64_t *val)
{
    switch (qn->kind) {
    case QNUM_I64:
        *val = qn->u.i64;
        return true;
    case QNUM_U64:
        if (qn->u.u64 > INT64_MAX) {
            return false;
        }
        *val = qn->u.u64;
        return true;
    case QNUM_DOUBLE:
        return false;
    }
    g_assert_not_reached();
}

int64_t qnum_get_int(const QNum *qn)
{
    int64_t val;
    bool ok = qnum_get_try_int(qn, &val);

    assert(ok);
    return val;
}

bool qnum_get_try_uint(const QNum *qn, uint64_t *val)
{
    switch (qn->kind) {
    case QNUM_I64:
        if (qn->u.i64 < 0) {
            return false;
        }
        *val = qn->u.i64;
        return true;
    case QNUM_U64:
        *val = qn->u.u64;
        return true;
    case QNUM_DOUBLE:
        return false;
    }
    g_assert_not_reached();
}

uint64_t qnum_get_uint(const QNum *qn)
{
    uint64_t val;
    bool ok = qnum_get_try_uint(qn, &val);

    assert(ok);
    return val;
}

double qnum_get_double(const QNum *qn)
{
    switch (qn->kind) {
    case QNUM_I64:
        return qn->u.i64;
    case QNUM_U64:
        return qn->u.u64;
    case QNUM_DOUBLE:
        return qn->u.dbl;
    }
    g_assert_not_reached();
}

/*
 * Doubles are printed with 17 significant digits, enough to read back
 * the same value, and always with a '.' or an exponent so that they read
 * back as doubles, not integers.  JSON cannot express infinities and NaN;
 * they come only from program code (the parser refuses out-of-range
 * literals) and are written as null rather than as invalid JSON.
 */
static char *qnum_double_to_string(double dbl)
{
    char *str;

    if (!isfinite(dbl)) {
        return g_strdup("null");
    }
    str = g_strdup_printf("%.17g", dbl);
    if (!strpbrk(str, ".e")) {
        char *with_point = g_strconcat(str, ".0", NULL);

        g_free(str);
        str = with_point;
    }
    return str;
}

char *qnum_to_string(QNum *qn)
{
    switch (qn->kind) {
    case QNUM_I64:
        return g_strdup_printf("%" PRId64, qn->u.i64);
    case QNUM_U64:
        return g_strdup_printf("%" PRIu64, qn->u.u64);
    case QNUM_DOUBLE:
        return qnum_double_to_string(qn->u.dbl);
    }
    g_assert_not_reached();
}

/* Is double @d exactly the integer @i / @u? */
static bool qnum_double_is_int(double d, int64_t i)
{
    /* -2^63 <= d < 2^63, so the conversion is defined. */
    return d >= -0x1p63 && d < 0x1p63 && d == trunc(d) && (int64_t)d == i;
}

static bool qnum_double_is_uint(double d, uint64_t u)
{
    return d >= 0 && d < 0x1p64 && d == trunc(d) && (uint64_t)d == u;
}

bool qnum_is_equal(const QObject *x, const QObject *y)
{
    const QNum *a = qobject_to(QNum, x);
    const QNum *b = qobject_to(QNum, y);
    int64_t ia, ib;
    uint64_t ua, ub;

    /* Put the double, if any, in @b. */
    if (a->kind == QNUM_DOUBLE) {
        const QNum *t = a;

        a = b;
        b = t;
    }
    if (b->kind == QNUM_DOUBLE) {
        if (a->kind == QNUM_DOUBLE) {
            return a->u.dbl == b->u.dbl;
        }
        return a->kind == QNUM_I64 ? qnum_double_is_int(b->u.dbl, a->u.i64)
                                   : qnum_double_is_uint(b->u.dbl, a->u.u64);
    }

    /* Two integers: equal when both fit int64 or both fit uint64. */
    if (qnum_get_try_int(a, &ia) && qnum_get_try_int(b, &ib)) {
        return ia == ib;
    }
    if (qnum_get_try_uint(a, &ua) && qnum_get_try_uint(b, &ub)) {
        return ua == ub;
    }
    return false;
}

void qnum_destroy_obj(QObject *obj)
{
    g_free(qobject_to(QNum, obj));
}
