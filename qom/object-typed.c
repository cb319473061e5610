/*
 * object-typed.c: the typed property adders of qom/object.h.
 *
 * Each wraps callbacks of QEMU's signatures (bool (*get)(Object *,
 * Error **), ...) into the kind-generic ObjectPropertyGet/Set form.  The
 * wrapped callbacks are kept in a small struct in prop->opaque, freed by
 * the release hook for instance properties and kept forever for class
 * ones (classes are never freed).
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qapi/error.h"

typedef struct TypedAccessors {
    union {
        char *(*str)(Object *, Error **);
        bool (*b)(Object *, Error **);
        int (*e)(Object *, Error **);
        int64_t (*i)(Object *, Error **);
        uint64_t (*u)(Object *, Error **);
        GArray *(*list)(Object *, Error **);
    } get;
    union {
        void (*str)(Object *, const char *, Error **);
        void (*b)(Object *, bool, Error **);
        void (*e)(Object *, int, Error **);
        void (*i)(Object *, int64_t, Error **);
        void (*u)(Object *, uint64_t, Error **);
        void (*list)(Object *, GArray *, Error **);
    } set;
    bool has_get;
    bool has_set;
} TypedAccessors;

static bool typed_get(Object *obj, ObjectProperty *prop,
                      ObjectPropertyValue *v, Error **errp)
{
    TypedAccessors *acc = prop->opaque;
    Error *err = NULL;

    switch (prop->kind) {
    case OBJ_PROP_KIND_STR:
        v->str = acc->get.str(obj, &err);
        break;
    case OBJ_PROP_KIND_BOOL:
        v->b = acc->get.b(obj, &err);
        break;
    case OBJ_PROP_KIND_ENUM:
        v->i = acc->get.e(obj, &err);
        break;
    case OBJ_PROP_KIND_INT:
        v->i = acc->get.i(obj, &err);
        break;
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        v->u = acc->get.u(obj, &err);
        break;
    case OBJ_PROP_KIND_UINT_LIST:
        v->list = acc->get.list(obj, &err);
        break;
    default:
        g_assert_not_reached();
    }
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}

static bool typed_set(Object *obj, ObjectProperty *prop,
                      const ObjectPropertyValue *v, Error **errp)
{
    TypedAccessors *acc = prop->opaque;
    Error *err = NULL;

    switch (prop->kind) {
    case OBJ_PROP_KIND_STR:
        acc->set.str(obj, v->str, &err);
        break;
    case OBJ_PROP_KIND_BOOL:
        acc->set.b(obj, v->b, &err);
        break;
    case OBJ_PROP_KIND_ENUM:
        acc->set.e(obj, v->i, &err);
        break;
    case OBJ_PROP_KIND_INT:
        acc->set.i(obj, v->i, &err);
        break;
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        acc->set.u(obj, v->u, &err);
        break;
    case OBJ_PROP_KIND_UINT_LIST:
        acc->set.list(obj, v->list, &err);
        break;
    default:
        g_assert_not_reached();
    }
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}

static void typed_release(Object *obj, const char *name, void *opaque)
{
    g_free(opaque);
}

/* Add with the wrappers; @klass or @obj says where. */
static ObjectProperty *add_typed(Object *obj, ObjectClass *klass,
                                 const char *name, const char *type,
                                 ObjectPropertyKind kind,
                                 TypedAccessors *acc)
{
    ObjectPropertyGet get = acc->has_get ? typed_get : NULL;
    ObjectPropertySet set = acc->has_set ? typed_set : NULL;

    if (klass) {
        return object_class_property_add(klass, name, type, kind, get, set,
                                         NULL, acc);
    }
    return object_property_add(obj, name, type, kind, get, set,
                               typed_release, acc);
}

#define NEW_ACC(field, getter, setter) ({ \
    TypedAccessors *acc_ = g_new0(TypedAccessors, 1); \
    acc_->get.field = (getter); \
    acc_->set.field = (setter); \
    acc_->has_get = (getter) != NULL; \
    acc_->has_set = (setter) != NULL; \
    acc_; })

ObjectProperty *object_property_add_str(Object *obj, const char *name,
                           char *(*get)(Object *, Error **),
                           void (*set)(Object *, const char *, Error **))
{
    return add_typed(obj, NULL, name, "string", OBJ_PROP_KIND_STR,
                     NEW_ACC(str, get, set));
}

ObjectProperty *object_class_property_add_str(ObjectClass *klass,
                           const char *name,
                           char *(*get)(Object *, Error **),
                           void (*set)(Object *, const char *, Error **))
{
    return add_typed(NULL, klass, name, "string", OBJ_PROP_KIND_STR,
                     NEW_ACC(str, get, set));
}

ObjectProperty *object_property_add_bool(Object *obj, const char *name,
                           bool (*get)(Object *, Error **),
                           void (*set)(Object *, bool, Error **))
{
    return add_typed(obj, NULL, name, "bool", OBJ_PROP_KIND_BOOL,
                     NEW_ACC(b, get, set));
}

ObjectProperty *object_class_property_add_bool(ObjectClass *klass,
                           const char *name,
                           bool (*get)(Object *, Error **),
                           void (*set)(Object *, bool, Error **))
{
    return add_typed(NULL, klass, name, "bool", OBJ_PROP_KIND_BOOL,
                     NEW_ACC(b, get, set));
}

ObjectProperty *object_property_add_enum(Object *obj, const char *name,
                           const char *typename,
                           const QEnumLookup *lookup,
                           int (*get)(Object *, Error **),
                           void (*set)(Object *, int, Error **))
{
    ObjectProperty *prop = add_typed(obj, NULL, name, typename,
                                     OBJ_PROP_KIND_ENUM,
                                     NEW_ACC(e, get, set));

    prop->enum_table = lookup;
    return prop;
}

ObjectProperty *object_class_property_add_enum(ObjectClass *klass,
                           const char *name, const char *typename,
                           const QEnumLookup *lookup,
                           int (*get)(Object *, Error **),
                           void (*set)(Object *, int, Error **))
{
    ObjectProperty *prop = add_typed(NULL, klass, name, typename,
                                     OBJ_PROP_KIND_ENUM,
                                     NEW_ACC(e, get, set));

    prop->enum_table = lookup;
    return prop;
}

ObjectProperty *object_property_add_int(Object *obj, const char *name,
                           const char *type,
                           int64_t (*get)(Object *, Error **),
                           void (*set)(Object *, int64_t, Error **))
{
    return add_typed(obj, NULL, name, type, OBJ_PROP_KIND_INT,
                     NEW_ACC(i, get, set));
}

ObjectProperty *object_class_property_add_int(ObjectClass *klass,
                           const char *name, const char *type,
                           int64_t (*get)(Object *, Error **),
                           void (*set)(Object *, int64_t, Error **))
{
    return add_typed(NULL, klass, name, type, OBJ_PROP_KIND_INT,
                     NEW_ACC(i, get, set));
}

ObjectProperty *object_property_add_uint(Object *obj, const char *name,
                           const char *type, bool is_size,
                           uint64_t (*get)(Object *, Error **),
                           void (*set)(Object *, uint64_t, Error **))
{
    return add_typed(obj, NULL, name, type,
                     is_size ? OBJ_PROP_KIND_SIZE : OBJ_PROP_KIND_UINT,
                     NEW_ACC(u, get, set));
}

ObjectProperty *object_class_property_add_uint(ObjectClass *klass,
                           const char *name, const char *type,
                           bool is_size,
                           uint64_t (*get)(Object *, Error **),
                           void (*set)(Object *, uint64_t, Error **))
{
    return add_typed(NULL, klass, name, type,
                     is_size ? OBJ_PROP_KIND_SIZE : OBJ_PROP_KIND_UINT,
                     NEW_ACC(u, get, set));
}

ObjectProperty *object_property_add_uint_list(Object *obj, const char *name,
                           const char *type,
                           GArray *(*get)(Object *, Error **),
                           void (*set)(Object *, GArray *, Error **))
{
    return add_typed(obj, NULL, name, type, OBJ_PROP_KIND_UINT_LIST,
                     NEW_ACC(list, get, set));
}

ObjectProperty *object_class_property_add_uint_list(ObjectClass *klass,
                           const char *name, const char *type,
                           GArray *(*get)(Object *, Error **),
                           void (*set)(Object *, GArray *, Error **))
{
    return add_typed(NULL, klass, name, type, OBJ_PROP_KIND_UINT_LIST,
                     NEW_ACC(list, get, set));
}

/* ---- Field-backed properties ---- */

typedef struct FieldRef {
    void *ptr;
    unsigned size;      /* bytes; 0 for bool */
} FieldRef;

static bool field_get(Object *obj, ObjectProperty *prop,
                      ObjectPropertyValue *v, Error **errp)
{
    FieldRef *f = prop->opaque;

    switch (f->size) {
    case 0:
        v->b = *(bool *)f->ptr;
        break;
    case 1:
        v->u = *(uint8_t *)f->ptr;
        break;
    case 2:
        v->u = *(uint16_t *)f->ptr;
        break;
    case 4:
        v->u = *(uint32_t *)f->ptr;
        break;
    default:
        v->u = *(uint64_t *)f->ptr;
        break;
    }
    return true;
}

static bool field_set(Object *obj, ObjectProperty *prop,
                      const ObjectPropertyValue *v, Error **errp)
{
    FieldRef *f = prop->opaque;

    switch (f->size) {
    case 0:
        *(bool *)f->ptr = v->b;
        break;
    case 1:
        *(uint8_t *)f->ptr = v->u;
        break;
    case 2:
        *(uint16_t *)f->ptr = v->u;
        break;
    case 4:
        *(uint32_t *)f->ptr = v->u;
        break;
    default:
        *(uint64_t *)f->ptr = v->u;
        break;
    }
    return true;
}

static ObjectProperty *add_field(Object *obj, const char *name,
                                 const char *type, const void *ptr,
                                 unsigned size, ObjectPropertyFlags flags)
{
    FieldRef *f = g_new0(FieldRef, 1);

    f->ptr = (void *)ptr;
    f->size = size;
    return object_property_add(obj, name, type,
                               size ? OBJ_PROP_KIND_UINT
                                    : OBJ_PROP_KIND_BOOL,
                               flags & OBJ_PROP_FLAG_READ ? field_get : NULL,
                               flags & OBJ_PROP_FLAG_WRITE ? field_set
                                                           : NULL,
                               typed_release, f);
}

ObjectProperty *object_property_add_uint8_ptr(Object *obj, const char *name,
                           const uint8_t *v, ObjectPropertyFlags flags)
{
    return add_field(obj, name, "uint8", v, 1, flags);
}

ObjectProperty *object_property_add_uint16_ptr(Object *obj,
                           const char *name, const uint16_t *v,
                           ObjectPropertyFlags flags)
{
    return add_field(obj, name, "uint16", v, 2, flags);
}

ObjectProperty *object_property_add_uint32_ptr(Object *obj,
                           const char *name, const uint32_t *v,
                           ObjectPropertyFlags flags)
{
    return add_field(obj, name, "uint32", v, 4, flags);
}

ObjectProperty *object_property_add_uint64_ptr(Object *obj,
                           const char *name, const uint64_t *v,
                           ObjectPropertyFlags flags)
{
    return add_field(obj, name, "uint64", v, 8, flags);
}

ObjectProperty *object_property_add_bool_ptr(Object *obj, const char *name,
                           const bool *v, ObjectPropertyFlags flags)
{
    return add_field(obj, name, "bool", v, 0, flags);
}
