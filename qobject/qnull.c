/*
 * qnull.c: the null singleton.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/qnull.h"

/* One reference held by the program forever, so it is never freed. */
QNull qnull_ = {
    .base = {
        .type = QTYPE_QNULL,
        .refcnt = 1,
    },
};

bool qnull_is_equal(const QObject *x, const QObject *y)
{
    return true;
}
