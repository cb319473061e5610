/*
 * qnull.h: the JSON null value.  There is a single shared instance.
 */
#ifndef QAPI_QMP_QNULL_H
#define QAPI_QMP_QNULL_H

#include "qapi/qmp/qobject.h"

struct QNull {
    struct QObjectBase_ base;
};

extern QNull qnull_;

/* A new reference to the null singleton. */
static inline QNull *qnull(void)
{
    return qobject_ref(&qnull_);
}

bool qnull_is_equal(const QObject *x, const QObject *y);

#endif /* QAPI_QMP_QNULL_H */
