/*
 * qnum.h: a JSON number, held as int64_t, uint64_t or double.
 *
 * The parser stores an integer literal as int64 when it fits, as uint64
 * when it is positive and fits there (above INT64_MAX), and as double
 * otherwise; literals with a fraction or exponent are doubles.
 */
#ifndef QAPI_QMP_QNUM_H
#define QAPI_QMP_QNUM_H

#include "qapi/qmp/qobject.h"

typedef enum {
    QNUM_I64,
    QNUM_U64,
    QNUM_DOUBLE,
} QNumKind;

struct QNum {
    struct QObjectBase_ base;
    QNumKind kind;
    union {
        int64_t i64;
        uint64_t u64;
        double dbl;
    } u;
};

QNum *qnum_from_int(int64_t value);
QNum *qnum_from_uint(uint64_t value);
QNum *qnum_from_double(double value);

/* Integer value if it is an integer representable as int64_t. */
bool qnum_get_try_int(const QNum *qn, int64_t *val);
/* As above; aborts when not representable (a caller bug). */
int64_t qnum_get_int(const QNum *qn);
/* Integer value if it is a non-negative integer (int64 or uint64). */
bool qnum_get_try_uint(const QNum *qn, uint64_t *val);
uint64_t qnum_get_uint(const QNum *qn);
/* Any number, converted to double (large integers lose precision). */
double qnum_get_double(const QNum *qn);

/* Text as the JSON writer prints it (caller frees). */
char *qnum_to_string(QNum *qn);

bool qnum_is_equal(const QObject *x, const QObject *y);
void qnum_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QNum)

#endif /* QAPI_QMP_QNUM_H */
