/*
 * object_interfaces.c: user creatable objects (see
 * qom/object_interfaces.h).
 */
#include "qemu/osdep.h"
#include "qom/object_interfaces.h"
#include "qemu/error-report.h"
#include "qapi/error.h"

bool user_creatable_complete(UserCreatable *uc, Error **errp)
{
    UserCreatableClass *ucc = USER_CREATABLE_GET_CLASS(uc);
    Error *err = NULL;

    if (ucc->complete) {
        ucc->complete(uc, &err);
    }
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}

bool user_creatable_can_be_deleted(UserCreatable *uc)
{
    UserCreatableClass *ucc = USER_CREATABLE_GET_CLASS(uc);

    return !ucc->can_be_deleted || ucc->can_be_deleted(uc);
}

static ObjectClass *user_creatable_class(const char *type, Error **errp)
{
    ObjectClass *klass = object_class_by_name(type);

    if (!klass || object_class_is_abstract(klass) ||
        !object_class_dynamic_cast(klass, TYPE_USER_CREATABLE)) {
        error_setg(errp, "Parameter 'qom-type' does not accept value '%s'",
                   type);
        return NULL;
    }
    return klass;
}

static bool is_reserved_key(const char *key)
{
    return !strcmp(key, "qom-type") || !strcmp(key, "id");
}

/* Every required property of @klass must be a key of @opts. */
static bool check_required(ObjectClass *klass, QemuOpts *opts,
                           Error **errp)
{
    ObjectPropertyIterator iter;
    ObjectProperty *prop;

    object_class_property_iter_init(&iter, klass);
    while ((prop = object_property_iter_next(&iter))) {
        if (prop->required && !qemu_opt_has(opts, prop->name)) {
            error_setg(errp, "Parameter '%s' is missing", prop->name);
            return false;
        }
    }
    return true;
}

static bool check_known(Object *obj, QemuOpts *opts, Error **errp)
{
    for (guint i = 0; opts && i < qemu_opt_count(opts); i++) {
        const QemuOpt *opt = qemu_opt_nth(opts, i);

        if (!is_reserved_key(opt->name) &&
            !object_property_find(obj, opt->name)) {
            error_setg(errp, "Invalid parameter '%s'", opt->name);
            return false;
        }
    }
    return true;
}

/* The value to set for @name: the last one, or all joined for lists. */
static char *opts_value_for(Object *obj, QemuOpts *opts, const char *name)
{
    ObjectProperty *prop = object_property_find(obj, name);
    QemuOptsIter it;
    const char *val;
    GString *joined;

    if (prop->kind != OBJ_PROP_KIND_UINT_LIST) {
        return g_strdup(qemu_opt_get(opts, name));
    }
    joined = g_string_new(NULL);
    qemu_opt_iter_init(&it, opts, name);
    while ((val = qemu_opt_iter_next(&it))) {
        g_string_append_printf(joined, "%s%s", joined->len ? "," : "",
                               val);
    }
    return g_string_free(joined, false);
}

static bool set_props_from_opts(Object *obj, QemuOpts *opts, Error **errp)
{
    g_autoptr(GHashTable) done = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; opts && i < qemu_opt_count(opts); i++) {
        const QemuOpt *opt = qemu_opt_nth(opts, i);
        g_autofree char *value = NULL;

        if (is_reserved_key(opt->name) ||
            g_hash_table_contains(done, opt->name)) {
            continue;
        }
        g_hash_table_add(done, opt->name);
        value = opts_value_for(obj, opts, opt->name);
        if (!object_property_parse(obj, opt->name, value, errp)) {
            return false;
        }
    }
    return true;
}

Object *user_creatable_add_type(const char *type, const char *id,
                                QemuOpts *opts, Error **errp)
{
    ObjectClass *klass = user_creatable_class(type, errp);
    Object *obj;

    if (!klass) {
        return NULL;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return NULL;
    }
    if (object_resolve_path_component(object_get_objects_root(), id)) {
        error_setg(errp, "Duplicate ID '%s' for object", id);
        return NULL;
    }
    if (opts && !check_required(klass, opts, errp)) {
        return NULL;
    }

    obj = object_new_with_class(klass);
    if (!check_known(obj, opts, errp) ||
        !set_props_from_opts(obj, opts, errp)) {
        object_unref(obj);
        return NULL;
    }

    /* complete() may name the object by its id (memory backends do). */
    object_property_add_child(object_get_objects_root(), id, obj);
    object_unref(obj);
    if (!user_creatable_complete(USER_CREATABLE(obj), errp)) {
        object_unparent(obj);
        return NULL;
    }
    return obj;
}

Object *user_creatable_add_opts(QemuOpts *opts, Error **errp)
{
    const char *type = qemu_opt_get(opts, "qom-type");
    const char *id = qemu_opts_id(opts);

    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return NULL;
    }
    if (!id) {
        id = qemu_opt_get(opts, "id");
    }
    if (!user_creatable_class(type, errp)) {
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    return user_creatable_add_type(type, id, opts, errp);
}

bool user_creatable_del(const char *id, Error **errp)
{
    Object *obj = object_resolve_path_component(object_get_objects_root(),
                                                id);

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    if (!user_creatable_can_be_deleted(USER_CREATABLE(obj))) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    object_unparent(obj);
    return true;
}

static int unparent_one(Object *obj, void *opaque)
{
    g_ptr_array_add(opaque, obj);
    return 0;
}

void user_creatable_cleanup(void)
{
    g_autoptr(GPtrArray) objs = g_ptr_array_new();

    object_child_foreach(object_get_objects_root(), unparent_one, objs);
    for (guint i = 0; i < objs->len; i++) {
        object_unparent(g_ptr_array_index(objs, i));
    }
}

static void print_type_name(ObjectClass *klass, void *opaque)
{
    printf("  %s\n", object_class_get_name(klass));
}

bool user_creatable_print_help(const char *type, QemuOpts *opts)
{
    static const char *const skip[] = { "type", NULL };
    ObjectClass *klass;
    g_autofree char *lines = NULL;

    if (is_help_option(type)) {
        printf("List of user creatable objects:\n");
        object_class_foreach(print_type_name, TYPE_USER_CREATABLE, false,
                             NULL);
        return true;
    }
    klass = object_class_by_name(type);
    if (!opts || !qemu_opt_has_help_opt(opts) || !klass ||
        !object_class_dynamic_cast(klass, TYPE_USER_CREATABLE)) {
        return false;
    }
    lines = object_class_properties_help(klass, skip);
    if (*lines) {
        printf("%s options:\n%s", type, lines);
    } else {
        printf("There are no options for %s.\n", type);
    }
    return true;
}

Object *object_new_with_props(const char *typename, Object *parent,
                              const char *id, Error **errp, ...)
{
    Object *obj = object_new(typename);
    va_list ap;
    const char *name;

    va_start(ap, errp);
    while ((name = va_arg(ap, const char *))) {
        const char *value = va_arg(ap, const char *);

        if (!object_property_parse(obj, name, value, errp)) {
            goto fail;
        }
    }
    if (object_dynamic_cast(obj, TYPE_USER_CREATABLE) &&
        !user_creatable_complete(USER_CREATABLE(obj), errp)) {
        goto fail;
    }
    va_end(ap);
    if (!object_property_try_add_child(parent, id, obj, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_unref(obj);
    return obj;

fail:
    va_end(ap);
    object_unref(obj);
    return NULL;
}

static const TypeInfo user_creatable_info = {
    .name = TYPE_USER_CREATABLE,
    .parent = TYPE_INTERFACE,
    .class_size = sizeof(UserCreatableClass),
};

static void register_user_creatable(void)
{
    type_register_static(&user_creatable_info);
}

type_init(register_user_creatable)
