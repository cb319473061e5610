/*
 * object.c: QOM types, classes, instances and the composition tree
 * (see qom/object.h).  Properties live in object-property.c.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom/object-internal.h"
#include "qemu/error-report.h"
#include "qapi/error.h"

typedef struct TypeImpl TypeImpl;

struct TypeImpl {
    const char *name;
    const char *parent_name;
    TypeImpl *parent;

    size_t class_size;
    size_t instance_size;
    void (*class_init)(ObjectClass *klass, void *data);
    void (*class_base_init)(ObjectClass *klass, void *data);
    void *class_data;
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
    bool abstract;

    const char **interfaces;    /* NULL ended */
    ObjectClass *class;
};

static GHashTable *type_table;

static GHashTable *type_table_get(void)
{
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    return type_table;
}

/* ---- Registration ---- */

static const char **copy_interface_names(const InterfaceInfo *ifs)
{
    int n = 0;
    const char **names;

    while (ifs && ifs[n].type) {
        n++;
    }
    names = g_new0(const char *, n + 1);
    for (int i = 0; i < n; i++) {
        names[i] = ifs[i].type;
    }
    return names;
}

Type type_register_static(const TypeInfo *info)
{
    TypeImpl *ti;

    if (g_hash_table_lookup(type_table_get(), info->name)) {
        fprintf(stderr, "Registering '%s' which already exists\n",
                info->name);
        abort();
    }
    ti = g_new0(TypeImpl, 1);
    ti->name = info->name;
    ti->parent_name = info->parent;
    ti->class_size = info->class_size;
    ti->instance_size = info->instance_size;
    ti->class_init = info->class_init;
    ti->class_base_init = info->class_base_init;
    ti->class_data = info->class_data;
    ti->instance_init = info->instance_init;
    ti->instance_post_init = info->instance_post_init;
    ti->instance_finalize = info->instance_finalize;
    ti->abstract = info->abstract;
    ti->interfaces = copy_interface_names(info->interfaces);
    g_hash_table_insert(type_table, (gpointer)ti->name, ti);
    return ti;
}

Type type_register(const TypeInfo *info)
{
    return type_register_static(info);
}

void type_register_static_array(const TypeInfo *infos, int nr)
{
    for (int i = 0; i < nr; i++) {
        type_register_static(&infos[i]);
    }
}

static TypeImpl *type_get_by_name(const char *name)
{
    return name ? g_hash_table_lookup(type_table_get(), name) : NULL;
}

static TypeImpl *type_get_parent(TypeImpl *ti)
{
    if (ti->parent_name && !ti->parent) {
        ti->parent = type_get_by_name(ti->parent_name);
        if (!ti->parent) {
            fprintf(stderr, "Type '%s' is missing its parent '%s'\n",
                    ti->name, ti->parent_name);
            abort();
        }
    }
    return ti->parent;
}

static bool type_is_ancestor(TypeImpl *type, TypeImpl *target)
{
    for (; type; type = type_get_parent(type)) {
        if (type == target) {
            return true;
        }
    }
    return false;
}

static size_t type_class_size(TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->class_size) {
            return ti->class_size;
        }
    }
    return sizeof(ObjectClass);
}

static size_t type_instance_size(TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->instance_size) {
            return ti->instance_size;
        }
    }
    return sizeof(Object);
}

/* ---- Class construction ---- */

static void type_initialize(TypeImpl *ti);

/*
 * Give @ti's class its own copy of @iface's class, starting from @from
 * (the parent's copy) or from the interface type's class itself.
 */
static void class_add_interface(TypeImpl *ti, TypeImpl *iface,
                                InterfaceClass *from)
{
    size_t size;
    InterfaceClass *ic;

    type_initialize(iface);
    size = type_class_size(iface);
    ic = g_malloc0(size);
    memcpy(ic, from ? (void *)from : (void *)iface->class, size);
    ic->parent_class.type = iface;
    ic->parent_class.interfaces = NULL;
    ic->parent_class.properties = g_ptr_array_new();
    ic->concrete_class = ti->class;
    ic->interface_type = iface;
    ti->class->interfaces = g_slist_append(ti->class->interfaces, ic);
}

static bool class_has_interface(ObjectClass *klass, TypeImpl *iface)
{
    for (GSList *l = klass->interfaces; l; l = l->next) {
        InterfaceClass *ic = l->data;

        if (type_is_ancestor(ic->interface_type, iface)) {
            return true;
        }
    }
    return false;
}

static void class_inherit(TypeImpl *ti, TypeImpl *parent)
{
    type_initialize(parent);
    memcpy(ti->class, parent->class, type_class_size(parent));
    ti->class->interfaces = NULL;
    ti->class->properties = g_ptr_array_new();
    ti->class->type = ti;

    for (GSList *l = parent->class->interfaces; l; l = l->next) {
        InterfaceClass *ic = l->data;

        class_add_interface(ti, ic->interface_type, ic);
    }
}

static void type_initialize(TypeImpl *ti)
{
    TypeImpl *parent;

    if (ti->class) {
        return;
    }
    ti->class_size = type_class_size(ti);
    ti->instance_size = type_instance_size(ti);
    ti->class = g_malloc0(ti->class_size);
    ti->class->type = ti;
    ti->class->properties = g_ptr_array_new();

    parent = type_get_parent(ti);
    if (parent) {
        class_inherit(ti, parent);
    }
    /* Interfaces have no instances of their own. */
    if (type_is_ancestor(ti, type_get_by_name(TYPE_INTERFACE))) {
        ti->abstract = true;
    }

    /* Interfaces this type adds (inherited ones are already copied). */
    for (int i = 0; ti->interfaces[i]; i++) {
        TypeImpl *iface = type_get_by_name(ti->interfaces[i]);

        if (!iface) {
            fprintf(stderr, "Type '%s' implements unknown interface "
                    "'%s'\n", ti->name, ti->interfaces[i]);
            abort();
        }
        if (!class_has_interface(ti->class, iface)) {
            class_add_interface(ti, iface, NULL);
        }
    }

    /* Ancestors' class_base_init, nearest first, then our class_init. */
    for (parent = type_get_parent(ti); parent;
         parent = type_get_parent(parent)) {
        if (parent->class_base_init) {
            parent->class_base_init(ti->class, ti->class_data);
        }
    }
    if (ti->class_init) {
        ti->class_init(ti->class, ti->class_data);
    }
}

/* ---- Classes ---- */

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->class;
}

ObjectClass *object_class_get_parent(ObjectClass *klass)
{
    TypeImpl *parent = type_get_parent(klass->type);

    if (!parent) {
        return NULL;
    }
    type_initialize(parent);
    return parent->class;
}

const char *object_class_get_name(ObjectClass *klass)
{
    return klass->type->name;
}

bool object_class_is_abstract(ObjectClass *klass)
{
    return klass->type->abstract;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename)
{
    TypeImpl *target = type_get_by_name(typename);
    ObjectClass *found = NULL;

    if (!klass || !target) {
        return NULL;
    }
    if (type_is_ancestor(klass->type, target)) {
        return klass;
    }

    /* An interface: unique match among the class's interface copies. */
    for (GSList *l = klass->interfaces; l; l = l->next) {
        InterfaceClass *ic = l->data;

        if (type_is_ancestor(ic->interface_type, target)) {
            if (found) {
                return NULL;
            }
            found = &ic->parent_class;
        }
    }
    return found;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line,
                                              const char *func)
{
    ObjectClass *ret = object_class_dynamic_cast(klass, typename);

    if (!ret && klass) {
        fprintf(stderr, "%s:%d:%s: Class of type '%s' is not an instance "
                "of type '%s'\n", file, line, func,
                object_class_get_name(klass), typename);
        abort();
    }
    return ret;
}

typedef struct ClassListData {
    TypeImpl *implements;
    bool include_abstract;
    GSList *list;
} ClassListData;

static void collect_class(gpointer key, gpointer value, gpointer opaque)
{
    TypeImpl *ti = value;
    ClassListData *data = opaque;

    type_initialize(ti);
    if (ti->abstract && !data->include_abstract) {
        return;
    }
    if (data->implements &&
        !object_class_dynamic_cast(ti->class, data->implements->name)) {
        return;
    }
    data->list = g_slist_prepend(data->list, ti->class);
}

GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract)
{
    ClassListData data = {
        .implements = type_get_by_name(implements_type),
        .include_abstract = include_abstract,
    };

    if (implements_type && !data.implements) {
        return NULL;
    }
    g_hash_table_foreach(type_table_get(), collect_class, &data);
    return data.list;
}

static gint class_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a),
                  object_class_get_name((ObjectClass *)b));
}

GSList *object_class_get_list_sorted(const char *implements_type,
                                     bool include_abstract)
{
    return g_slist_sort(object_class_get_list(implements_type,
                                              include_abstract),
                        class_name_cmp);
}

void object_class_foreach(void (*fn)(ObjectClass *klass, void *opaque),
                          const char *implements_type,
                          bool include_abstract, void *opaque)
{
    GSList *list = object_class_get_list_sorted(implements_type,
                                                include_abstract);

    for (GSList *l = list; l; l = l->next) {
        fn(l->data, opaque);
    }
    g_slist_free(list);
}

/* ---- Instances ---- */

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    if (type_get_parent(ti)) {
        object_init_with_type(obj, type_get_parent(ti));
    }
    if (ti->instance_init) {
        ti->instance_init(obj);
    }
}

static void object_post_init_with_type(Object *obj, TypeImpl *ti)
{
    if (ti->instance_post_init) {
        ti->instance_post_init(obj);
    }
    if (type_get_parent(ti)) {
        object_post_init_with_type(obj, type_get_parent(ti));
    }
}

static TypeImpl *type_for_new(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        fprintf(stderr, "missing object type '%s'\n", typename);
        abort();
    }
    type_initialize(ti);
    if (ti->abstract) {
        fprintf(stderr, "cannot instantiate abstract type '%s'\n",
                typename);
        abort();
    }
    return ti;
}

static void object_initialize_with_type(Object *obj, size_t size,
                                        TypeImpl *ti)
{
    g_assert(size >= ti->instance_size);
    memset(obj, 0, ti->instance_size);
    obj->class = ti->class;
    obj->ref = 1;
    obj->properties = g_ptr_array_new();

    object_property_init_defaults(obj);
    object_init_with_type(obj, ti);
    object_post_init_with_type(obj, ti);
}

void object_initialize(void *data, size_t size, const char *typename)
{
    object_initialize_with_type(data, size, type_for_new(typename));
}

Object *object_new_with_class(ObjectClass *klass)
{
    TypeImpl *ti = type_for_new(klass->type->name);
    Object *obj = g_malloc(ti->instance_size);

    object_initialize_with_type(obj, ti->instance_size, ti);
    obj->free = g_free;
    return obj;
}

Object *object_new(const char *typename)
{
    return object_new_with_class(type_for_new(typename)->class);
}

void object_initialize_child_internal(Object *parent, const char *propname,
                                      void *child, size_t size,
                                      const char *type)
{
    object_initialize(child, size, type);
    object_property_add_child(parent, propname, OBJECT(child));
    /* The parent's child property now holds the only reference. */
    object_unref(child);
}

Object *object_ref(void *objptr)
{
    Object *obj = objptr;

    if (obj) {
        g_assert(obj->ref > 0);
        obj->ref++;
    }
    return obj;
}

static void object_finalize(Object *obj)
{
    object_property_del_all(obj);
    for (TypeImpl *ti = obj->class->type; ti; ti = type_get_parent(ti)) {
        if (ti->instance_finalize) {
            ti->instance_finalize(obj);
        }
    }
    g_ptr_array_free(obj->properties, true);
    obj->properties = NULL;
    if (obj->free) {
        obj->free(obj);
    }
}

void object_unref(void *objptr)
{
    Object *obj = objptr;

    if (!obj) {
        return;
    }
    g_assert(obj->ref > 0);
    if (--obj->ref == 0) {
        g_assert(!obj->parent);
        object_finalize(obj);
    }
}

ObjectClass *object_get_class(Object *obj)
{
    return obj->class;
}

const char *object_get_typename(const Object *obj)
{
    return obj->class->type->name;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    if (obj && object_class_dynamic_cast(obj->class, typename)) {
        return obj;
    }
    return NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line,
                                   const char *func)
{
    if (obj && !object_dynamic_cast(obj, typename)) {
        fprintf(stderr, "%s:%d:%s: Object %p of type '%s' is not an "
                "instance of type '%s'\n", file, line, func, (void *)obj,
                object_get_typename(obj), typename);
        abort();
    }
    return obj;
}

/* ---- Root types ---- */

static char *object_get_type(Object *obj, Error **errp)
{
    return g_strdup(object_get_typename(obj));
}

/* Every object shows its type name, as "qom-list" does in QEMU. */
static void object_class_init(ObjectClass *klass, void *data)
{
    object_class_property_add_str(klass, "type", object_get_type, NULL);
}

static const TypeInfo object_info = {
    .name = TYPE_OBJECT,
    .instance_size = sizeof(Object),
    .class_size = sizeof(ObjectClass),
    .class_init = object_class_init,
    .abstract = true,
};

static const TypeInfo interface_info = {
    .name = TYPE_INTERFACE,
    .class_size = sizeof(InterfaceClass),
    .abstract = true,
};

static const TypeInfo container_info = {
    .name = TYPE_CONTAINER,
    .parent = TYPE_OBJECT,
};

static void register_root_types(void)
{
    type_register_static(&object_info);
    type_register_static(&interface_info);
    type_register_static(&container_info);
}

type_init(register_root_types)
