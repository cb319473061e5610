/*
 * qdict.c: JSON objects, hashed for lookup and linked for order.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnull.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

static void qdict_entry_free(gpointer data)
{
    QDictEntry *entry = data;

    qobject_unref(entry->value);
    g_free(entry->key);
    g_free(entry);
}

QDict *qdict_new(void)
{
    QDict *qdict = g_new0(QDict, 1);

    qobject_init(QOBJECT(qdict), QTYPE_QDICT);
    /* The entry owns its key, so the table frees only the entry. */
    qdict->table = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                         qdict_entry_free);
    return qdict;
}

size_t qdict_size(const QDict *qdict)
{
    return g_hash_table_size(qdict->table);
}

static QDictEntry *qdict_find(const QDict *qdict, const char *key)
{
    return g_hash_table_lookup(qdict->table, key);
}

bool qdict_haskey(const QDict *qdict, const char *key)
{
    return qdict_find(qdict, key) != NULL;
}

void qdict_put_obj(QDict *qdict, const char *key, QObject *value)
{
    QDictEntry *entry = qdict_find(qdict, key);

    assert(value);
    if (entry) {
        qobject_unref(entry->value);
        entry->value = value;
        return;
    }

    entry = g_new0(QDictEntry, 1);
    entry->key = g_strdup(key);
    entry->value = value;
    entry->prev = qdict->last;
    if (qdict->last) {
        qdict->last->next = entry;
    } else {
        qdict->first = entry;
    }
    qdict->last = entry;
    g_hash_table_insert(qdict->table, entry->key, entry);
}

void qdict_put_int(QDict *qdict, const char *key, int64_t value)
{
    qdict_put(qdict, key, qnum_from_int(value));
}

void qdict_put_bool(QDict *qdict, const char *key, bool value)
{
    qdict_put(qdict, key, qbool_from_bool(value));
}

void qdict_put_str(QDict *qdict, const char *key, const char *value)
{
    qdict_put(qdict, key, qstring_from_str(value));
}

void qdict_put_null(QDict *qdict, const char *key)
{
    qdict_put(qdict, key, qnull());
}

void qdict_del(QDict *qdict, const char *key)
{
    QDictEntry *entry = qdict_find(qdict, key);

    if (!entry) {
        return;
    }
    if (entry->prev) {
        entry->prev->next = entry->next;
    } else {
        qdict->first = entry->next;
    }
    if (entry->next) {
        entry->next->prev = entry->prev;
    } else {
        qdict->last = entry->prev;
    }
    g_hash_table_remove(qdict->table, key);
}

QObject *qdict_get(const QDict *qdict, const char *key)
{
    QDictEntry *entry = qdict_find(qdict, key);

    return entry ? entry->value : NULL;
}

int64_t qdict_get_int(const QDict *qdict, const char *key)
{
    return qnum_get_int(qobject_to(QNum, qdict_get(qdict, key)));
}

bool qdict_get_bool(const QDict *qdict, const char *key)
{
    return qbool_get_bool(qobject_to(QBool, qdict_get(qdict, key)));
}

const char *qdict_get_str(const QDict *qdict, const char *key)
{
    return qstring_get_str(qobject_to(QString, qdict_get(qdict, key)));
}

QDict *qdict_get_qdict(const QDict *qdict, const char *key)
{
    return qobject_to(QDict, qdict_get(qdict, key));
}

QList *qdict_get_qlist(const QDict *qdict, const char *key)
{
    return qobject_to(QList, qdict_get(qdict, key));
}

int64_t qdict_get_try_int(const QDict *qdict, const char *key,
                          int64_t def_value)
{
    QNum *qn = qobject_to(QNum, qdict_get(qdict, key));
    int64_t val;

    if (!qn || !qnum_get_try_int(qn, &val)) {
        return def_value;
    }
    return val;
}

bool qdict_get_try_bool(const QDict *qdict, const char *key, bool def_value)
{
    QBool *qb = qobject_to(QBool, qdict_get(qdict, key));

    return qb ? qbool_get_bool(qb) : def_value;
}

const char *qdict_get_try_str(const QDict *qdict, const char *key)
{
    QString *qs = qobject_to(QString, qdict_get(qdict, key));

    return qs ? qstring_get_str(qs) : NULL;
}

const QDictEntry *qdict_first(const QDict *qdict)
{
    return qdict->first;
}

const QDictEntry *qdict_next(const QDict *qdict, const QDictEntry *entry)
{
    return entry->next;
}

QDict *qdict_clone_shallow(const QDict *src)
{
    QDict *dst = qdict_new();
    const QDictEntry *e;

    for (e = qdict_first(src); e; e = qdict_next(src, e)) {
        qdict_put_obj(dst, e->key, qobject_ref(e->value));
    }
    return dst;
}

bool qdict_is_equal(const QObject *x, const QObject *y)
{
    const QDict *a = qobject_to(QDict, x);
    const QDict *b = qobject_to(QDict, y);
    const QDictEntry *e;

    if (qdict_size(a) != qdict_size(b)) {
        return false;
    }
    for (e = qdict_first(a); e; e = qdict_next(a, e)) {
        if (!qobject_is_equal(e->value, qdict_get(b, e->key))) {
            return false;
        }
    }
    return true;
}

void qdict_destroy_obj(QObject *obj)
{
    QDict *qdict = qobject_to(QDict, obj);

    g_hash_table_destroy(qdict->table);
    g_free(qdict);
}
