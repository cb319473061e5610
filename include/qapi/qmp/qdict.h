/*
 * qdict.h: a JSON object, a map from string keys to QObject references.
 *
 * Lookup is by hash; iteration (qdict_first/qdict_next, and therefore the
 * JSON writer) follows insertion order, so the code building a reply
 * decides the order in which its members appear on the wire.  Replacing
 * the value of an existing key keeps the key's position.
 */
#ifndef QAPI_QMP_QDICT_H
#define QAPI_QMP_QDICT_H

#include "qapi/qmp/qobject.h"

typedef struct QDictEntry {
    char *key;
    QObject *value;
    struct QDictEntry *prev;
    struct QDictEntry *next;
} QDictEntry;

struct QDict {
    struct QObjectBase_ base;
    GHashTable *table;          /* key -> QDictEntry, owns the entries */
    QDictEntry *first;
    QDictEntry *last;
};

QDict *qdict_new(void);
size_t qdict_size(const QDict *qdict);
bool qdict_haskey(const QDict *qdict, const char *key);

/* Store @value under @key, taking over the reference; replaces any old. */
void qdict_put_obj(QDict *qdict, const char *key, QObject *value);
/* Store any QObject subtype pointer, taking over its reference. */
#define qdict_put(qdict, key, obj) qdict_put_obj(qdict, key, QOBJECT(obj))
void qdict_put_int(QDict *qdict, const char *key, int64_t value);
void qdict_put_bool(QDict *qdict, const char *key, bool value);
void qdict_put_str(QDict *qdict, const char *key, const char *value);
void qdict_put_null(QDict *qdict, const char *key);

/* Remove @key (no-op when absent), dropping the dict's reference. */
void qdict_del(QDict *qdict, const char *key);

/* Borrowed value of @key, or NULL. */
QObject *qdict_get(const QDict *qdict, const char *key);
/* Typed getters; the member must exist with that type (else abort). */
int64_t qdict_get_int(const QDict *qdict, const char *key);
bool qdict_get_bool(const QDict *qdict, const char *key);
const char *qdict_get_str(const QDict *qdict, const char *key);
/* Borrowed typed values, NULL when absent or of another type. */
QDict *qdict_get_qdict(const QDict *qdict, const char *key);
QList *qdict_get_qlist(const QDict *qdict, const char *key);
/* Value when present with the right type, else @def_value / NULL. */
int64_t qdict_get_try_int(const QDict *qdict, const char *key,
                          int64_t def_value);
bool qdict_get_try_bool(const QDict *qdict, const char *key, bool def_value);
const char *qdict_get_try_str(const QDict *qdict, const char *key);

/* Iteration in insertion order; do not modify the dict meanwhile. */
const QDictEntry *qdict_first(const QDict *qdict);
const QDictEntry *qdict_next(const QDict *qdict, const QDictEntry *entry);

static inline const char *qdict_entry_key(const QDictEntry *entry)
{
    return entry->key;
}

static inline QObject *qdict_entry_value(const QDictEntry *entry)
{
    return entry->value;
}

/* Shallow copy: new dict, same values with one more reference each. */
QDict *qdict_clone_shallow(const QDict *src);

bool qdict_is_equal(const QObject *x, const QObject *y);
void qdict_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QDict)

#endif /* QAPI_QMP_QDICT_H */
