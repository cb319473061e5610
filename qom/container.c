/*
 * container.c: the composition tree: children, links, aliases, paths
 * (see qom/object.h).
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qapi/error.h"

/* ---- Children ---- */

static bool child_get(Object *obj, ObjectProperty *prop,
                      ObjectPropertyValue *v, Error **errp)
{
    v->obj = prop->opaque;
    return true;
}

/* The parent lets go: device unrealize (class unparent), then unref. */
static void child_release(Object *obj, const char *name, void *opaque)
{
    Object *child = opaque;

    if (child->class->unparent) {
        child->class->unparent(child);
    }
    child->parent = NULL;
    object_unref(child);
}

ObjectProperty *object_property_try_add_child(Object *obj,
                                              const char *name,
                                              Object *child, Error **errp)
{
    g_autofree char *type = NULL;
    ObjectProperty *prop;

    g_assert(!child->parent);
    type = g_strdup_printf("child<%s>", object_get_typename(child));
    prop = object_property_try_add(obj, name, type, OBJ_PROP_KIND_CHILD,
                                   child_get, NULL, child_release, child,
                                   errp);
    if (!prop) {
        return NULL;
    }
    prop->link_type = g_strdup(object_get_typename(child));
    object_ref(child);
    child->parent = obj;
    return prop;
}

ObjectProperty *object_property_add_child(Object *obj, const char *name,
                                          Object *child)
{
    return object_property_try_add_child(obj, name, child, &error_abort);
}

static ObjectProperty *find_child_prop(Object *obj, Object *child)
{
    for (guint i = 0; i < obj->properties->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(obj->properties, i);

        if (prop->kind == OBJ_PROP_KIND_CHILD && prop->opaque == child) {
            return prop;
        }
    }
    return NULL;
}

void object_unparent(Object *obj)
{
    ObjectProperty *prop;

    if (!obj->parent) {
        return;
    }
    prop = find_child_prop(obj->parent, obj);
    g_assert(prop);
    object_property_del(obj->parent, prop->name);
}

int object_child_foreach(Object *obj, int (*fn)(Object *child,
                                                void *opaque),
                         void *opaque)
{
    for (guint i = 0; i < obj->properties->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(obj->properties, i);
        int rc;

        if (prop->kind != OBJ_PROP_KIND_CHILD) {
            continue;
        }
        rc = fn(prop->opaque, opaque);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

typedef struct RecurseData {
    int (*fn)(Object *child, void *opaque);
    void *opaque;
} RecurseData;

static int recurse_one(Object *child, void *opaque)
{
    RecurseData *data = opaque;
    int rc = data->fn(child, data->opaque);

    return rc ? rc : object_child_foreach(child, recurse_one, data);
}

int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque)
{
    RecurseData data = { fn, opaque };

    return object_child_foreach(obj, recurse_one, &data);
}

/* ---- Links ---- */

typedef struct LinkProperty {
    Object **targetp;           /* instance links */
    ptrdiff_t offset;           /* class links: field in the instance */
    void (*check)(const Object *, const char *, Object *, Error **);
    ObjectPropertyLinkFlags flags;
} LinkProperty;

static Object **link_slot(Object *obj, LinkProperty *lp)
{
    if (lp->flags & OBJ_PROP_LINK_CLASS) {
        return (Object **)((char *)obj + lp->offset);
    }
    return lp->targetp;
}

static bool link_get(Object *obj, ObjectProperty *prop,
                     ObjectPropertyValue *v, Error **errp)
{
    v->obj = *link_slot(obj, prop->opaque);
    return true;
}

static bool link_set(Object *obj, ObjectProperty *prop,
                     const ObjectPropertyValue *v, Error **errp)
{
    LinkProperty *lp = prop->opaque;
    Object **slot = link_slot(obj, lp);
    Object *old = *slot;
    Error *err = NULL;

    if (v->obj && !object_dynamic_cast(v->obj, prop->link_type)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   prop->name, prop->link_type);
        return false;
    }
    lp->check(obj, prop->name, v->obj, &err);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    *slot = v->obj;
    if (lp->flags & OBJ_PROP_LINK_STRONG) {
        object_ref(v->obj);
        object_unref(old);
    }
    return true;
}

static void link_release(Object *obj, const char *name, void *opaque)
{
    LinkProperty *lp = opaque;
    Object **slot = link_slot(obj, lp);

    if ((lp->flags & OBJ_PROP_LINK_STRONG) && *slot) {
        object_unref(*slot);
        *slot = NULL;
    }
    if (!(lp->flags & OBJ_PROP_LINK_CLASS)) {
        g_free(lp);
    }
}

void object_property_allow_set_link(const Object *obj, const char *name,
                                    Object *val, Error **errp)
{
}

static ObjectProperty *finish_link(ObjectProperty *prop, const char *type)
{
    prop->link_type = g_strdup(type);
    return prop;
}

ObjectProperty *object_property_add_link(Object *obj, const char *name,
                           const char *type, Object **targetp,
                           void (*check)(const Object *obj,
                                         const char *name,
                                         Object *val, Error **errp),
                           ObjectPropertyLinkFlags flags)
{
    LinkProperty *lp = g_new0(LinkProperty, 1);
    g_autofree char *full_type = g_strdup_printf("link<%s>", type);

    lp->targetp = targetp;
    lp->check = check;
    lp->flags = flags & ~OBJ_PROP_LINK_CLASS;
    return finish_link(object_property_add(obj, name, full_type,
                                           OBJ_PROP_KIND_LINK, link_get,
                                           check ? link_set : NULL,
                                           link_release, lp), type);
}

ObjectProperty *object_class_property_add_link(ObjectClass *oc,
                           const char *name, const char *type,
                           ptrdiff_t offset,
                           void (*check)(const Object *obj,
                                         const char *name,
                                         Object *val, Error **errp),
                           ObjectPropertyLinkFlags flags)
{
    LinkProperty *lp = g_new0(LinkProperty, 1);
    g_autofree char *full_type = g_strdup_printf("link<%s>", type);

    lp->offset = offset;
    lp->check = check;
    lp->flags = flags | OBJ_PROP_LINK_CLASS;
    return finish_link(object_class_property_add(oc, name, full_type,
                                                 OBJ_PROP_KIND_LINK,
                                                 link_get,
                                                 check ? link_set : NULL,
                                                 link_release, lp), type);
}

static bool const_link_get(Object *obj, ObjectProperty *prop,
                           ObjectPropertyValue *v, Error **errp)
{
    v->obj = prop->opaque;
    return true;
}

ObjectProperty *object_property_add_const_link(Object *obj,
                                               const char *name,
                                               Object *target)
{
    g_autofree char *full_type =
        g_strdup_printf("link<%s>", object_get_typename(target));

    return finish_link(object_property_add(obj, name, full_type,
                                           OBJ_PROP_KIND_LINK,
                                           const_link_get, NULL, NULL,
                                           target),
                       object_get_typename(target));
}

/* ---- Aliases ---- */

typedef struct AliasProperty {
    Object *target_obj;
    char *target_name;
} AliasProperty;

static bool alias_get(Object *obj, ObjectProperty *prop,
                      ObjectPropertyValue *v, Error **errp)
{
    AliasProperty *ap = prop->opaque;

    return object_property_get(ap->target_obj, ap->target_name, v, errp);
}

static bool alias_set(Object *obj, ObjectProperty *prop,
                      const ObjectPropertyValue *v, Error **errp)
{
    AliasProperty *ap = prop->opaque;

    return object_property_set(ap->target_obj, ap->target_name, v, errp);
}

static void alias_release(Object *obj, const char *name, void *opaque)
{
    AliasProperty *ap = opaque;

    g_free(ap->target_name);
    g_free(ap);
}

ObjectProperty *object_property_add_alias(Object *obj, const char *name,
                                          Object *target_obj,
                                          const char *target_name)
{
    ObjectProperty *target = object_property_find_err(target_obj,
                                                      target_name,
                                                      &error_abort);
    AliasProperty *ap = g_new0(AliasProperty, 1);
    ObjectProperty *prop;

    ap->target_obj = target_obj;
    ap->target_name = g_strdup(target_name);
    prop = object_property_add(obj, name, target->type, target->kind,
                               alias_get, target->set ? alias_set : NULL,
                               alias_release, ap);
    prop->description = g_strdup(target->description);
    prop->enum_table = target->enum_table;
    prop->link_type = g_strdup(target->link_type);
    prop->min = target->min;
    prop->max = target->max;
    prop->umax = target->umax;
    prop->range_name = target->range_name;
    /* A child seen through an alias is a link, as in QEMU. */
    if (target->kind == OBJ_PROP_KIND_CHILD) {
        g_free(prop->type);
        prop->type = g_strdup_printf("link<%s>", target->link_type);
        prop->kind = OBJ_PROP_KIND_LINK;
    }
    return prop;
}

/* ---- Paths ---- */

Object *object_get_root(void)
{
    static Object *root;

    if (!root) {
        root = object_new(TYPE_CONTAINER);
    }
    return root;
}

Object *object_get_objects_root(void)
{
    return container_get(object_get_root(), "/objects");
}

Object *object_resolve_path_component(Object *parent, const char *part)
{
    ObjectProperty *prop = object_property_find(parent, part);
    ObjectPropertyValue v;

    if (!prop) {
        return NULL;
    }
    if (prop->kind == OBJ_PROP_KIND_CHILD) {
        return prop->opaque;
    }
    if (prop->kind == OBJ_PROP_KIND_LINK && prop->get &&
        prop->get(parent, prop, &v, NULL)) {
        return v.obj;
    }
    return NULL;
}

Object *container_get(Object *root, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    Object *obj = root;

    for (int i = 0; parts[i]; i++) {
        Object *child;

        if (!*parts[i]) {
            continue;
        }
        child = object_resolve_path_component(obj, parts[i]);
        if (!child) {
            child = object_new(TYPE_CONTAINER);
            object_property_add_child(obj, parts[i], child);
            object_unref(child);
        }
        obj = child;
    }
    return obj;
}

const char *object_get_canonical_path_component(const Object *obj)
{
    ObjectProperty *prop;

    if (!obj->parent) {
        return NULL;
    }
    prop = find_child_prop(obj->parent, (Object *)obj);
    return prop ? prop->name : NULL;
}

char *object_get_canonical_path(const Object *obj)
{
    Object *root = object_get_root();
    GString *path;
    GPtrArray *names = g_ptr_array_new();

    for (; obj != root; obj = obj->parent) {
        const char *name = object_get_canonical_path_component(obj);

        if (!name) {
            g_ptr_array_free(names, true);
            return NULL;
        }
        g_ptr_array_add(names, (char *)name);
    }

    path = g_string_new(NULL);
    for (guint i = names->len; i > 0; i--) {
        g_string_append_printf(path, "/%s",
                               (char *)g_ptr_array_index(names, i - 1));
    }
    g_ptr_array_free(names, true);
    return path->len ? g_string_free(path, false)
                     : (g_string_free(path, true), g_strdup("/"));
}

/* Follow @parts (empty ones skipped) from @parent; check the type. */
static Object *resolve_abs(Object *parent, char **parts,
                           const char *typename)
{
    for (int i = 0; parent && parts[i]; i++) {
        if (*parts[i]) {
            parent = object_resolve_path_component(parent, parts[i]);
        }
    }
    return parent ? object_dynamic_cast(parent, typename) : NULL;
}

static Object *resolve_partial(Object *parent, char **parts,
                               const char *typename, bool *ambiguous)
{
    Object *found = resolve_abs(parent, parts, typename);

    for (guint i = 0; i < parent->properties->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(parent->properties, i);
        Object *obj;

        if (prop->kind != OBJ_PROP_KIND_CHILD) {
            continue;
        }
        obj = resolve_partial(prop->opaque, parts, typename, ambiguous);
        if (*ambiguous) {
            return NULL;
        }
        if (obj && found && obj != found) {
            *ambiguous = true;
            return NULL;
        }
        found = obj ? obj : found;
    }
    return found;
}

Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguousp)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    bool ambiguous = false;
    Object *obj;

    if (path[0] == '/') {
        obj = resolve_abs(object_get_root(), parts, typename);
    } else {
        obj = resolve_partial(object_get_root(), parts, typename,
                              &ambiguous);
    }
    if (ambiguousp) {
        *ambiguousp = ambiguous;
    }
    return obj;
}

Object *object_resolve_path(const char *path, bool *ambiguous)
{
    return object_resolve_path_type(path, TYPE_OBJECT, ambiguous);
}

Object *object_resolve_path_at(Object *parent, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);

    if (path[0] == '/') {
        return resolve_abs(object_get_root(), parts, TYPE_OBJECT);
    }
    return resolve_abs(parent, parts, TYPE_OBJECT);
}
