/*
 * qom-qmp.c: QOM over the monitors: qom-list, qom-get, qom-set,
 * object-add, object-del, qom-list-types, and the conversions between
 * property values and JSON that they share with the human commands.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qapi/qmp/dispatch.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"
#include "qom/object_interfaces.h"
#include "qom-qmp.h"

Object *qom_resolve(const char *path, Error **errp)
{
    bool ambiguous = false;
    Object *obj = object_resolve_path(path, &ambiguous);

    if (obj) {
        return obj;
    }
    if (ambiguous) {
        error_setg(errp, "Path '%s' is ambiguous", path);
    } else {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", path);
    }
    return NULL;
}

GPtrArray *qom_property_list(Object *obj)
{
    GPtrArray *groups = g_ptr_array_new_with_free_func(
        (GDestroyNotify)g_ptr_array_unref);
    GPtrArray *props = g_ptr_array_new();
    GPtrArray *group = NULL;
    ObjectPropertyIterator iter;
    ObjectProperty *prop;
    const void *current = NULL;

    /* The iterator walks instance, then classes up to "object". */
    object_property_iter_init(&iter, obj);
    while ((prop = object_property_iter_next(&iter))) {
        if (!group || iter.current != current) {
            group = g_ptr_array_new();
            g_ptr_array_add(groups, group);
            current = iter.current;
        }
        g_ptr_array_add(group, prop);
    }

    /* QEMU lists them the other way round: base class first. */
    for (guint i = groups->len; i-- > 0;) {
        GPtrArray *g = g_ptr_array_index(groups, i);

        for (guint j = 0; j < g->len; j++) {
            g_ptr_array_add(props, g_ptr_array_index(g, j));
        }
    }
    g_ptr_array_unref(groups);
    return props;
}

/* ---- Property value <-> JSON ---- */

static QObject *qom_list_to_json(GArray *list)
{
    QList *json = qlist_new();

    for (guint i = 0; i < list->len; i++) {
        qlist_append(json, qnum_from_uint(g_array_index(list, uint64_t, i)));
    }
    return QOBJECT(json);
}

QObject *qom_get_json(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    ObjectPropertyValue v = { 0 };
    QObject *ret;
    char *str;

    if (!prop) {
        return NULL;
    }
    switch (prop->kind) {
    case OBJ_PROP_KIND_STR:
    case OBJ_PROP_KIND_ENUM:
    case OBJ_PROP_KIND_LINK:
    case OBJ_PROP_KIND_CHILD:
        str = object_property_print(obj, name, false, errp);
        ret = str ? QOBJECT(qstring_from_str(str)) : NULL;
        g_free(str);
        return ret;
    default:
        break;
    }
    if (!object_property_get(obj, name, &v, errp)) {
        return NULL;
    }
    switch (prop->kind) {
    case OBJ_PROP_KIND_BOOL:
        return QOBJECT(qbool_from_bool(v.b));
    case OBJ_PROP_KIND_INT:
        return QOBJECT(qnum_from_int(v.i));
    case OBJ_PROP_KIND_UINT_LIST:
        ret = qom_list_to_json(v.list);
        g_array_unref(v.list);
        return ret;
    default:    /* UINT, SIZE */
        return QOBJECT(qnum_from_uint(v.u));
    }
}

static void qom_type_error(const char *name, const char *expected,
                           Error **errp)
{
    error_setg(errp, "Invalid parameter type for '%s', expected: %s",
               name, expected);
}

static GArray *qom_json_to_list(const char *name, QList *json, Error **errp)
{
    GArray *list = g_array_new(FALSE, FALSE, sizeof(uint64_t));

    for (const QListEntry *e = qlist_first(json); e; e = qlist_next(e)) {
        QNum *n = qobject_to(QNum, qlist_entry_obj(e));
        uint64_t u;

        if (!n || !qnum_get_try_uint(n, &u)) {
            qom_type_error(name, "integer", errp);
            g_array_unref(list);
            return NULL;
        }
        g_array_append_val(list, u);
    }
    return list;
}

/* Numbers: INT takes int64, UINT and SIZE take uint64. */
static bool qom_json_to_number(ObjectProperty *prop, QObject *value,
                               ObjectPropertyValue *v, Error **errp)
{
    QNum *n = qobject_to(QNum, value);

    if (!n) {
        qom_type_error(prop->name, "integer", errp);
        return false;
    }
    if (prop->kind == OBJ_PROP_KIND_INT ? !qnum_get_try_int(n, &v->i)
                                        : !qnum_get_try_uint(n, &v->u)) {
        error_setg(errp, "Parameter '%s' expects %s", prop->name,
                   prop->range_name ? prop->range_name : "integer");
        return false;
    }
    return true;
}

bool qom_set_json(Object *obj, const char *name, QObject *value,
                  Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    ObjectPropertyValue v = { 0 };
    QString *s = qobject_to(QString, value);
    QBool *b = qobject_to(QBool, value);
    QList *l = qobject_to(QList, value);
    bool ok;

    if (!prop) {
        return false;
    }
    switch (prop->kind) {
    case OBJ_PROP_KIND_BOOL:
        if (!b) {
            qom_type_error(name, "boolean", errp);
            return false;
        }
        v.b = qbool_get_bool(b);
        return object_property_set(obj, name, &v, errp);
    case OBJ_PROP_KIND_INT:
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        return qom_json_to_number(prop, value, &v, errp) &&
               object_property_set(obj, name, &v, errp);
    case OBJ_PROP_KIND_UINT_LIST:
        if (!l) {
            qom_type_error(name, "array", errp);
            return false;
        }
        v.list = qom_json_to_list(name, l, errp);
        ok = v.list && object_property_set(obj, name, &v, errp);
        if (v.list) {
            g_array_unref(v.list);
        }
        return ok;
    default:    /* STR, ENUM, LINK (by path), CHILD (refused by QOM) */
        if (!s) {
            qom_type_error(name, "string", errp);
            return false;
        }
        return object_property_parse(obj, name, qstring_get_str(s), errp);
    }
}

/* ---- object-add arguments as -object text ---- */

static QemuOptsList qom_add_opts = {
    .name = "object",
    .implied_opt_name = "qom-type",
    .desc = { { NULL } },
};

/* A JSON member as property text, or NULL (error set). */
static char *qom_json_to_text(const char *key, QObject *value, Error **errp)
{
    switch (qobject_type(value)) {
    case QTYPE_QSTRING:
        return g_strdup(qstring_get_str(qobject_to(QString, value)));
    case QTYPE_QBOOL:
        return g_strdup(qbool_get_bool(qobject_to(QBool, value)) ?
                        "on" : "off");
    case QTYPE_QNUM:
        return qnum_to_string(qobject_to(QNum, value));
    default:
        qom_type_error(key, "scalar", errp);
        return NULL;
    }
}

/* One member; a list becomes repeated keys (host-nodes). */
static bool qom_add_member(QemuOpts *opts, const char *key, QObject *value,
                           Error **errp)
{
    QList *list = qobject_to(QList, value);
    char *text;
    bool ok;

    if (list) {
        for (const QListEntry *e = qlist_first(list); e;
             e = qlist_next(e)) {
            if (!qom_add_member(opts, key, qlist_entry_obj(e), errp)) {
                return false;
            }
        }
        return true;
    }
    text = qom_json_to_text(key, value, errp);
    ok = text && qemu_opt_set(opts, key, text, errp);
    g_free(text);
    return ok;
}

Object *qom_object_add_qdict(QDict *args, Error **errp)
{
    QemuOpts *opts = qemu_opts_create(&qom_add_opts, NULL, 0, errp);
    Object *obj = NULL;
    bool ok = true;

    if (!opts) {
        return NULL;
    }
    for (const QDictEntry *e = qdict_first(args); e && ok;
         e = qdict_next(args, e)) {
        const char *key = qdict_entry_key(e);

        if (strcmp(key, "qom-type") && strcmp(key, "id")) {
            ok = qom_add_member(opts, key, qdict_entry_value(e), errp);
        }
    }
    if (ok) {
        obj = user_creatable_add_type(qdict_get_str(args, "qom-type"),
                                      qdict_get_str(args, "id"), opts,
                                      errp);
    }
    qemu_opts_del(opts);
    return obj;
}

Object *qom_object_add_text(const char *text, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&qom_add_opts, text, true, errp);
    Object *obj;

    if (!opts) {
        return NULL;
    }
    obj = user_creatable_add_opts(opts, errp);
    qemu_opts_del(opts);
    return obj;
}

/* ---- QMP commands ---- */

static void qmp_qom_list(QDict *args, QObject **ret, Error **errp)
{
    Object *obj = qom_resolve(qdict_get_str(args, "path"), errp);
    g_autoptr(GPtrArray) props = NULL;
    QList *list;

    if (!obj) {
        return;
    }
    list = qlist_new();
    props = qom_property_list(obj);
    for (guint i = 0; i < props->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(props, i);
        QDict *info = qdict_new();

        qdict_put_str(info, "name", prop->name);
        qdict_put_str(info, "type", prop->type);
        qlist_append(list, info);
    }
    *ret = QOBJECT(list);
}

static void qmp_qom_get(QDict *args, QObject **ret, Error **errp)
{
    Object *obj = qom_resolve(qdict_get_str(args, "path"), errp);

    if (obj) {
        *ret = qom_get_json(obj, qdict_get_str(args, "property"), errp);
    }
}

static void qmp_qom_set(QDict *args, QObject **ret, Error **errp)
{
    Object *obj = qom_resolve(qdict_get_str(args, "path"), errp);

    if (obj) {
        qom_set_json(obj, qdict_get_str(args, "property"),
                     qdict_get(args, "value"), errp);
    }
}

static void qmp_object_add(QDict *args, QObject **ret, Error **errp)
{
    qom_object_add_qdict(args, errp);
}

static void qmp_object_del(QDict *args, QObject **ret, Error **errp)
{
    user_creatable_del(qdict_get_str(args, "id"), errp);
}

static void qom_type_info(ObjectClass *klass, void *opaque)
{
    QList *list = opaque;
    QDict *info = qdict_new();
    ObjectClass *parent = object_class_get_parent(klass);

    qdict_put_str(info, "name", object_class_get_name(klass));
    if (object_class_is_abstract(klass)) {
        qdict_put_bool(info, "abstract", true);
    }
    if (parent) {
        qdict_put_str(info, "parent", object_class_get_name(parent));
    }
    qlist_append(list, info);
}

static void qmp_qom_list_types(QDict *args, QObject **ret, Error **errp)
{
    QList *list = qlist_new();

    object_class_foreach(qom_type_info, qdict_get_try_str(args, "implements"),
                         qdict_get_try_bool(args, "abstract", false), list);
    *ret = QOBJECT(list);
}

void qom_qmp_register_commands(void)
{
    qmp_register_command("qom-list", qmp_qom_list, "path:s",
                         QCO_NO_OPTIONS);
    qmp_register_command("qom-get", qmp_qom_get, "path:s,property:s",
                         QCO_NO_OPTIONS);
    qmp_register_command("qom-set", qmp_qom_set,
                         "path:s,property:s,value:o", QCO_NO_OPTIONS);
    qmp_register_command("object-add", qmp_object_add,
                         "qom-type:s,id:s,*", QCO_NO_OPTIONS);
    qmp_register_command("object-del", qmp_object_del, "id:s",
                         QCO_NO_OPTIONS);
    qmp_register_command("qom-list-types", qmp_qom_list_types,
                         "implements:s?,abstract:b?", QCO_NO_OPTIONS);
}
