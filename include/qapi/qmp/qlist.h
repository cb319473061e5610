/*
 * qlist.h: a JSON array, an ordered list of QObject references.
 */
#ifndef QAPI_QMP_QLIST_H
#define QAPI_QMP_QLIST_H

#include "qapi/qmp/qobject.h"

typedef struct QListEntry {
    QObject *value;
    struct QListEntry *next;
} QListEntry;

struct QList {
    struct QObjectBase_ base;
    QListEntry *head;
    QListEntry *tail;
    size_t size;
};

/* Iterate over the entries; @var is a QListEntry pointer. */
#define QLIST_FOREACH_ENTRY(qlist, var) \
    for ((var) = (qlist)->head; (var); (var) = (var)->next)

QList *qlist_new(void);
QList *qlist_copy(QList *src);

/* Append, taking over the caller's reference to @value. */
void qlist_append_obj(QList *qlist, QObject *value);
void qlist_append_int(QList *qlist, int64_t value);
void qlist_append_bool(QList *qlist, bool value);
void qlist_append_str(QList *qlist, const char *value);
void qlist_append_null(QList *qlist);
/* Append any QObject subtype pointer, taking over its reference. */
#define qlist_append(qlist, obj) qlist_append_obj(qlist, QOBJECT(obj))

/* Remove the first element and return its reference (NULL if empty). */
QObject *qlist_pop(QList *qlist);
/* The first element, borrowed (NULL if empty). */
QObject *qlist_peek(QList *qlist);
bool qlist_empty(const QList *qlist);
size_t qlist_size(const QList *qlist);

static inline const QListEntry *qlist_first(const QList *qlist)
{
    return qlist->head;
}

static inline const QListEntry *qlist_next(const QListEntry *entry)
{
    return entry->next;
}

static inline QObject *qlist_entry_obj(const QListEntry *entry)
{
    return entry->value;
}

bool qlist_is_equal(const QObject *x, const QObject *y);
void qlist_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QList)

#endif /* QAPI_QMP_QLIST_H */
