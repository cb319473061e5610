/*
 * qobject.h: the reference-counted value type behind QMP and JSON.
 *
 * A QObject is one of QNull, QNum, QString, QDict, QList or QBool.  Every
 * concrete type embeds a QObject as its first member named "base", so
 * QOBJECT(x) converts up and qobject_to(Type, obj) converts down (NULL when
 * obj is NULL or of another type).
 *
 * Ownership: a function returning a new QObject gives the caller one
 * reference; the container put/append functions take over the reference
 * passed to them; the get functions return borrowed pointers that stay
 * valid as long as the container holds them.
 *
 * Threads: the reference count is not atomic.  QObjects are used by one
 * thread at a time (in Machina, under the big lock, or private to a test).
 */
#ifndef QAPI_QMP_QOBJECT_H
#define QAPI_QMP_QOBJECT_H

typedef enum QType {
    QTYPE_NONE,
    QTYPE_QNULL,
    QTYPE_QNUM,
    QTYPE_QSTRING,
    QTYPE_QDICT,
    QTYPE_QLIST,
    QTYPE_QBOOL,
    QTYPE__MAX,
} QType;

/* The header every QObject type starts with (as its member "base"). */
struct QObjectBase_ {
    QType type;
    size_t refcnt;
};

typedef struct QObject {
    struct QObjectBase_ base;
} QObject;

typedef struct QNull QNull;
typedef struct QNum QNum;
typedef struct QString QString;
typedef struct QDict QDict;
typedef struct QList QList;
typedef struct QBool QBool;

/* The QType each concrete type carries, for qobject_to(). */
#define QTYPE_CAST_TO_QNull     QTYPE_QNULL
#define QTYPE_CAST_TO_QNum      QTYPE_QNUM
#define QTYPE_CAST_TO_QString   QTYPE_QSTRING
#define QTYPE_CAST_TO_QDict     QTYPE_QDICT
#define QTYPE_CAST_TO_QList     QTYPE_QLIST
#define QTYPE_CAST_TO_QBool     QTYPE_QBOOL

/* Upcast any QObject subtype (or NULL) to QObject *. */
#define QOBJECT(obj) ({                                         \
    typeof(obj) _qo = (obj);                                    \
    _qo ? container_of(&_qo->base, QObject, base) : NULL;       \
})

/* Base of @obj if it has type @type, else NULL. */
const QObject *qobject_check_type(const QObject *obj, QType type);

/* Downcast: the @type pointer if @obj is of that type, else NULL. */
#define qobject_to(type, obj) \
    ((type *)qobject_check_type((obj), QTYPE_CAST_TO_##type))

/* Initialise the header of a freshly allocated object (refcount 1). */
static inline void qobject_init(QObject *obj, QType type)
{
    obj->base.refcnt = 1;
    obj->base.type = type;
}

static inline void qobject_ref_impl(QObject *obj)
{
    if (obj) {
        obj->base.refcnt++;
    }
}

/* Free @obj through its type's destructor; called at refcount zero. */
void qobject_destroy(QObject *obj);

static inline void qobject_unref_impl(QObject *obj)
{
    if (obj && --obj->base.refcnt == 0) {
        qobject_destroy(obj);
    }
}

/* Take a reference; accepts any subtype or NULL and returns its argument. */
#define qobject_ref(obj) ({                     \
    typeof(obj) _o = (obj);                     \
    qobject_ref_impl(QOBJECT(_o));              \
    _o;                                         \
})

/* Drop a reference (NULL is fine); frees the object at zero. */
#define qobject_unref(obj) qobject_unref_impl(QOBJECT(obj))

static inline QType qobject_type(const QObject *obj)
{
    return obj->base.type;
}

/*
 * Deep equality.  Numbers compare by value across representations
 * (1 equals 1.0, never 1.1); dictionaries ignore key order; NULL pointers
 * are equal only to each other.
 */
bool qobject_is_equal(const QObject *x, const QObject *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(QObject, qobject_unref_impl)

/* g_autoptr() support for a subtype: g_autoptr(QDict) d = qdict_new(); */
#define QOBJECT_DEFINE_AUTOPTR(Type)                            \
    static inline void Type##_autounref(Type *obj)              \
    {                                                           \
        qobject_unref(obj);                                     \
    }                                                           \
    G_DEFINE_AUTOPTR_CLEANUP_FUNC(Type, Type##_autounref)

#endif /* QAPI_QMP_QOBJECT_H */
