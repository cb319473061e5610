/*
 * qobject.c: type dispatch for destruction, downcasts and equality.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnull.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

static void (*const qobject_destroy_fn[QTYPE__MAX])(QObject *) = {
    [QTYPE_QNUM] = qnum_destroy_obj,
    [QTYPE_QSTRING] = qstring_destroy_obj,
    [QTYPE_QDICT] = qdict_destroy_obj,
    [QTYPE_QLIST] = qlist_destroy_obj,
    [QTYPE_QBOOL] = qbool_destroy_obj,
};

static bool (*const qobject_is_equal_fn[QTYPE__MAX])(const QObject *,
                                                      const QObject *) = {
    [QTYPE_QNULL] = qnull_is_equal,
    [QTYPE_QNUM] = qnum_is_equal,
    [QTYPE_QSTRING] = qstring_is_equal,
    [QTYPE_QDICT] = qdict_is_equal,
    [QTYPE_QLIST] = qlist_is_equal,
    [QTYPE_QBOOL] = qbool_is_equal,
};

void qobject_destroy(QObject *obj)
{
    QType type = qobject_type(obj);

    /* The null singleton is static and its count never reaches zero. */
    assert(type > QTYPE_QNULL && type < QTYPE__MAX);
    assert(obj->base.refcnt == 0);
    qobject_destroy_fn[type](obj);
}

const QObject *qobject_check_type(const QObject *obj, QType type)
{
    if (!obj || qobject_type(obj) != type) {
        return NULL;
    }
    return obj;
}

bool qobject_is_equal(const QObject *x, const QObject *y)
{
    if (x == y) {
        return true;
    }
    if (!x || !y || qobject_type(x) != qobject_type(y)) {
        return false;
    }
    return qobject_is_equal_fn[qobject_type(x)](x, y);
}
