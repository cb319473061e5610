/*
 * qdev-properties.c: field-backed device properties (see
 * hw/qdev-properties.h).
 */
#include "qemu/osdep.h"
#include "hw/qdev-properties.h"
#include "qapi/error.h"

static void *field_ptr(Object *obj, const Property *prop)
{
    return (char *)obj + prop->offset;
}

void qdev_prop_set_after_realize(DeviceState *dev, const char *name,
                                 Error **errp)
{
    if (dev->id) {
        error_setg(errp, "Attempt to set property '%s' on device '%s' "
                   "(type '%s') after it was realized", name, dev->id,
                   object_get_typename(OBJECT(dev)));
    } else {
        error_setg(errp, "Attempt to set property '%s' on anonymous device "
                   "(type '%s') after it was realized", name,
                   object_get_typename(OBJECT(dev)));
    }
}

void qdev_prop_allow_set_link_before_realize(const Object *obj,
                                             const char *name,
                                             Object *val, Error **errp)
{
    DeviceState *dev = DEVICE(obj);

    if (dev->realized) {
        error_setg(errp, "Attempt to set link property '%s' on device '%s' "
                   "(type '%s') after it was realized", name,
                   dev->id ? dev->id : "<anonymous>",
                   object_get_typename(OBJECT(obj)));
    }
}

/* ---- Field access by kind and width ---- */

static uint64_t load_uint(const void *p, unsigned size)
{
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2:
        return *(const uint16_t *)p;
    case 4:
        return *(const uint32_t *)p;
    default:
        return *(const uint64_t *)p;
    }
}

static void store_uint(void *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1:
        *(uint8_t *)p = v;
        break;
    case 2:
        *(uint16_t *)p = v;
        break;
    case 4:
        *(uint32_t *)p = v;
        break;
    default:
        *(uint64_t *)p = v;
        break;
    }
}

static bool field_get(Object *obj, ObjectProperty *op,
                      ObjectPropertyValue *v, Error **errp)
{
    const Property *prop = op->opaque;
    const PropertyInfo *info = prop->info;
    void *p = field_ptr(obj, prop);

    switch (info->kind) {
    case OBJ_PROP_KIND_BOOL:
        v->b = info->is_bit ? (*(uint32_t *)p >> prop->bitnr) & 1
                            : *(bool *)p;
        return true;
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        v->u = load_uint(p, info->field_size);
        return true;
    case OBJ_PROP_KIND_INT:
        v->i = info->field_size == 4 ? *(int32_t *)p : *(int64_t *)p;
        return true;
    case OBJ_PROP_KIND_ENUM:
        v->i = *(int *)p;
        return true;
    case OBJ_PROP_KIND_STR:
        v->str = g_strdup(*(char **)p);
        return true;
    default:
        g_assert_not_reached();
    }
}

static void field_store(void *p, const Property *prop,
                        const ObjectPropertyValue *v)
{
    const PropertyInfo *info = prop->info;

    switch (info->kind) {
    case OBJ_PROP_KIND_BOOL:
        if (!info->is_bit) {
            *(bool *)p = v->b;
        } else if (v->b) {
            *(uint32_t *)p |= 1u << prop->bitnr;
        } else {
            *(uint32_t *)p &= ~(1u << prop->bitnr);
        }
        break;
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        store_uint(p, info->field_size, v->u);
        break;
    case OBJ_PROP_KIND_INT:
        if (info->field_size == 4) {
            *(int32_t *)p = v->i;
        } else {
            *(int64_t *)p = v->i;
        }
        break;
    case OBJ_PROP_KIND_ENUM:
        *(int *)p = v->i;
        break;
    case OBJ_PROP_KIND_STR:
        g_free(*(char **)p);
        *(char **)p = g_strdup(v->str);
        break;
    default:
        g_assert_not_reached();
    }
}

static bool field_set(Object *obj, ObjectProperty *op,
                      const ObjectPropertyValue *v, Error **errp)
{
    const Property *prop = op->opaque;

    if (DEVICE(obj)->realized) {
        qdev_prop_set_after_realize(DEVICE(obj), op->name, errp);
        return false;
    }
    field_store(field_ptr(obj, prop), prop, v);
    return true;
}

static void string_release(Object *obj, const char *name, void *opaque)
{
    char **p = field_ptr(obj, opaque);

    g_free(*p);
    *p = NULL;
}

/* ---- Arrays ---- */

static void element_release(Object *obj, const char *name, void *opaque)
{
    g_free(opaque);
}

static bool arraylen_set(Object *obj, ObjectProperty *op,
                         const ObjectPropertyValue *v, Error **errp)
{
    const Property *prop = op->opaque;
    uint32_t *len = field_ptr(obj, prop);
    void **array = (void **)((char *)obj + prop->arrayoffset);

    if (DEVICE(obj)->realized) {
        qdev_prop_set_after_realize(DEVICE(obj), op->name, errp);
        return false;
    }
    if (*array) {
        error_setg(errp, "array size property %s may not be set more "
                   "than once", op->name);
        return false;
    }
    *len = v->u;
    if (!*len) {
        return true;
    }

    /* One property per element, named after the array ("foo[3]"). */
    *array = g_malloc0(*len * prop->arrayfieldsize);
    for (uint32_t i = 0; i < *len; i++) {
        Property *elem = g_new0(Property, 1);
        g_autofree char *name = g_strdup_printf("%s[%u]",
                        op->name + strlen(PROP_ARRAY_LEN_PREFIX), i);

        elem->info = prop->arrayinfo;
        elem->offset = (char *)*array + i * prop->arrayfieldsize -
                       (char *)obj;
        object_property_add(obj, name, elem->info->name, elem->info->kind,
                            field_get, field_set, element_release, elem);
    }
    return true;
}

static void arraylen_release(Object *obj, const char *name, void *opaque)
{
    const Property *prop = opaque;
    void **array = (void **)((char *)obj + prop->arrayoffset);

    g_free(*array);
    *array = NULL;
}

/* ---- Infos ---- */

const PropertyInfo qdev_prop_bit = {
    .name = "bool", .description = "on/off",
    .kind = OBJ_PROP_KIND_BOOL, .is_bit = true,
};
const PropertyInfo qdev_prop_bool = {
    .name = "bool", .description = "on/off", .kind = OBJ_PROP_KIND_BOOL,
};
const PropertyInfo qdev_prop_uint8 = {
    .name = "uint8", .kind = OBJ_PROP_KIND_UINT, .field_size = 1,
};
const PropertyInfo qdev_prop_uint16 = {
    .name = "uint16", .kind = OBJ_PROP_KIND_UINT, .field_size = 2,
};
const PropertyInfo qdev_prop_uint32 = {
    .name = "uint32", .kind = OBJ_PROP_KIND_UINT, .field_size = 4,
};
const PropertyInfo qdev_prop_int32 = {
    .name = "int32", .kind = OBJ_PROP_KIND_INT, .field_size = 4,
};
const PropertyInfo qdev_prop_uint64 = {
    .name = "uint64", .kind = OBJ_PROP_KIND_UINT, .field_size = 8,
};
const PropertyInfo qdev_prop_int64 = {
    .name = "int64", .kind = OBJ_PROP_KIND_INT, .field_size = 8,
};
const PropertyInfo qdev_prop_size = {
    .name = "size", .kind = OBJ_PROP_KIND_SIZE, .field_size = 8,
};
const PropertyInfo qdev_prop_string = {
    .name = "str", .kind = OBJ_PROP_KIND_STR,
};
const PropertyInfo qdev_prop_link = {
    .name = "link", .kind = OBJ_PROP_KIND_LINK,
};
const PropertyInfo qdev_prop_arraylen = {
    .name = "uint32", .kind = OBJ_PROP_KIND_UINT, .field_size = 4,
};

static void set_default(ObjectProperty *op, const Property *prop)
{
    switch (prop->info->kind) {
    case OBJ_PROP_KIND_BOOL:
        object_property_set_default_bool(op, prop->defval.u);
        break;
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        object_property_set_default_uint(op, prop->defval.u);
        break;
    case OBJ_PROP_KIND_INT:
        object_property_set_default_int(op, prop->defval.i);
        break;
    case OBJ_PROP_KIND_ENUM:
        object_property_set_default_str(op,
            qapi_enum_lookup(prop->info->enum_table, prop->defval.i));
        break;
    default:
        break;
    }
}

static void qdev_class_add_property(DeviceClass *dc, Property *prop)
{
    ObjectClass *oc = OBJECT_CLASS(dc);
    const PropertyInfo *info = prop->info;
    ObjectProperty *op;

    if (info == &qdev_prop_link) {
        object_class_property_add_link(oc, prop->name, prop->link_type,
                                       prop->offset,
                                       qdev_prop_allow_set_link_before_realize,
                                       OBJ_PROP_LINK_STRONG);
        return;
    }
    op = object_class_property_add(oc, prop->name, info->name, info->kind,
                                   field_get,
                                   info == &qdev_prop_arraylen
                                       ? arraylen_set : field_set,
                                   info == &qdev_prop_string
                                       ? string_release
                                       : info == &qdev_prop_arraylen
                                           ? arraylen_release : NULL,
                                   prop);
    op->enum_table = info->enum_table;
    if (info->description) {
        op->description = g_strdup(info->description);
    }
    if (prop->set_default) {
        set_default(op, prop);
    }
}

void device_class_set_props(DeviceClass *dc, Property *props)
{
    dc->props_ = props;
    for (Property *prop = props; prop->name; prop++) {
        qdev_class_add_property(dc, prop);
    }
}

/* ---- Board setters ---- */

void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value)
{
    object_property_set_bool(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint16(DeviceState *dev, const char *name,
                          uint16_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint32(DeviceState *dev, const char *name,
                          uint32_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value)
{
    object_property_set_int(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_uint64(DeviceState *dev, const char *name,
                          uint64_t value)
{
    object_property_set_uint(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_string(DeviceState *dev, const char *name,
                          const char *value)
{
    object_property_set_str(OBJECT(dev), name, value, &error_abort);
}

void qdev_prop_set_enum(DeviceState *dev, const char *name, int value)
{
    ObjectProperty *op = object_property_find_err(OBJECT(dev), name,
                                                  &error_abort);

    object_property_set_str(OBJECT(dev), name,
                            qapi_enum_lookup(op->enum_table, value),
                            &error_abort);
}
