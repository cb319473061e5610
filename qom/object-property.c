/*
 * object-property.c: QOM properties (see qom/object.h).
 *
 * Every property stores its values in the C form its kind names; the
 * typed adders wrap callbacks of QEMU's signatures in small accessor
 * structs kept in prop->opaque.  Text parsing and printing are shared by
 * all properties of a kind, so every property accepts "-object k=v"
 * style text with the same (QEMU 7.2) error messages.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom/object-internal.h"
#include "qemu/cutils.h"
#include "qapi/error.h"

/* ---- Adding and removing ---- */

/* Range of an INT/UINT property from its type string. */
static void prop_set_range(ObjectProperty *prop)
{
    static const struct {
        const char *type;
        int64_t min, max;
        uint64_t umax;
    } ranges[] = {
        { "int8", INT8_MIN, INT8_MAX, 0 },
        { "int16", INT16_MIN, INT16_MAX, 0 },
        { "int32", INT32_MIN, INT32_MAX, 0 },
        { "uint8", 0, 0, UINT8_MAX },
        { "uint16", 0, 0, UINT16_MAX },
        { "uint32", 0, 0, UINT32_MAX },
    };

    prop->min = INT64_MIN;
    prop->max = INT64_MAX;
    prop->umax = UINT64_MAX;
    for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
        if (!strcmp(prop->type, ranges[i].type)) {
            prop->min = ranges[i].min;
            prop->max = ranges[i].max;
            prop->umax = ranges[i].umax;
            prop->range_name = ranges[i].type;
        }
    }
}

static ObjectProperty *prop_new(const char *name, const char *type,
                                ObjectPropertyKind kind,
                                ObjectPropertyGet get,
                                ObjectPropertySet set,
                                ObjectPropertyRelease release,
                                void *opaque)
{
    ObjectProperty *prop = g_new0(ObjectProperty, 1);

    prop->name = g_strdup(name);
    prop->type = g_strdup(type);
    prop->kind = kind;
    prop->get = get;
    prop->set = set;
    prop->release = release;
    prop->opaque = opaque;
    prop_set_range(prop);
    return prop;
}

static void prop_free(ObjectProperty *prop)
{
    if (prop->kind == OBJ_PROP_KIND_STR) {
        g_free(prop->defval.str);
    }
    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    g_free(prop->link_type);
    g_free(prop->default_text);
    g_free(prop);
}

static ObjectProperty *find_in(GPtrArray *props, const char *name)
{
    for (guint i = 0; props && i < props->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(props, i);

        if (!strcmp(prop->name, name)) {
            return prop;
        }
    }
    return NULL;
}

ObjectProperty *object_class_property_find(ObjectClass *klass,
                                           const char *name)
{
    for (; klass; klass = object_class_get_parent(klass)) {
        ObjectProperty *prop = find_in(klass->properties, name);

        if (prop) {
            return prop;
        }
    }
    return NULL;
}

ObjectProperty *object_property_find(Object *obj, const char *name)
{
    ObjectProperty *prop = object_class_property_find(obj->class, name);

    return prop ? prop : find_in(obj->properties, name);
}

ObjectProperty *object_property_find_err(Object *obj, const char *name,
                                         Error **errp)
{
    ObjectProperty *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
    }
    return prop;
}

const char *object_property_get_type(Object *obj, const char *name,
                                     Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    return prop ? prop->type : NULL;
}

/* "foo[*]": the first "foo[N]" not yet taken. */
static char *expand_star_name(Object *obj, const char *name)
{
    size_t len = strlen(name);
    g_autofree char *prefix = NULL;

    if (len < 3 || strcmp(name + len - 3, "[*]")) {
        return g_strdup(name);
    }
    prefix = g_strndup(name, len - 3);
    for (int i = 0;; i++) {
        char *candidate = g_strdup_printf("%s[%d]", prefix, i);

        if (!object_property_find(obj, candidate)) {
            return candidate;
        }
        g_free(candidate);
    }
}

ObjectProperty *object_property_try_add(Object *obj, const char *name,
                                        const char *type,
                                        ObjectPropertyKind kind,
                                        ObjectPropertyGet get,
                                        ObjectPropertySet set,
                                        ObjectPropertyRelease release,
                                        void *opaque, Error **errp)
{
    g_autofree char *real_name = expand_star_name(obj, name);
    ObjectProperty *prop;

    if (object_property_find(obj, real_name)) {
        error_setg(errp, "attempt to add duplicate property '%s' to "
                   "object (type '%s')", real_name,
                   object_get_typename(obj));
        return NULL;
    }
    prop = prop_new(real_name, type, kind, get, set, release, opaque);
    g_ptr_array_add(obj->properties, prop);
    return prop;
}

ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type,
                                    ObjectPropertyKind kind,
                                    ObjectPropertyGet get,
                                    ObjectPropertySet set,
                                    ObjectPropertyRelease release,
                                    void *opaque)
{
    return object_property_try_add(obj, name, type, kind, get, set,
                                   release, opaque, &error_abort);
}

ObjectProperty *object_class_property_add(ObjectClass *klass,
                                          const char *name,
                                          const char *type,
                                          ObjectPropertyKind kind,
                                          ObjectPropertyGet get,
                                          ObjectPropertySet set,
                                          ObjectPropertyRelease release,
                                          void *opaque)
{
    ObjectProperty *prop;

    if (object_class_property_find(klass, name)) {
        fprintf(stderr, "attempt to add duplicate property '%s' to class "
                "(type '%s')\n", name, object_class_get_name(klass));
        abort();
    }
    prop = prop_new(name, type, kind, get, set, release, opaque);
    g_ptr_array_add(klass->properties, prop);
    return prop;
}

void object_property_del(Object *obj, const char *name)
{
    ObjectProperty *prop = find_in(obj->properties, name);

    if (!prop) {
        return;
    }
    g_ptr_array_remove(obj->properties, prop);
    if (prop->release) {
        prop->release(obj, prop->name, prop->opaque);
    }
    prop_free(prop);
}

void object_property_del_all(Object *obj)
{
    ObjectPropertyIterator iter;
    ObjectProperty *prop;

    /* Instance properties, newest first, so children go before links. */
    while (obj->properties->len) {
        prop = g_ptr_array_index(obj->properties, obj->properties->len - 1);
        object_property_del(obj, prop->name);
    }

    /* Class properties release what they hold in this instance. */
    object_class_property_iter_init(&iter, obj->class);
    while ((prop = object_property_iter_next(&iter))) {
        if (prop->release) {
            prop->release(obj, prop->name, prop->opaque);
        }
    }
}

void object_property_init_defaults(Object *obj)
{
    ObjectPropertyIterator iter;
    ObjectProperty *prop;

    object_class_property_iter_init(&iter, obj->class);
    while ((prop = object_property_iter_next(&iter))) {
        if (prop->has_default && prop->set) {
            prop->set(obj, prop, &prop->defval, &error_abort);
        }
    }
}

/* ---- Iteration ---- */

void object_property_iter_init(ObjectPropertyIterator *iter, Object *obj)
{
    iter->current = obj->properties;
    iter->index = 0;
    iter->nextclass = obj->class;
}

void object_class_property_iter_init(ObjectPropertyIterator *iter,
                                     ObjectClass *klass)
{
    iter->current = klass->properties;
    iter->index = 0;
    iter->nextclass = object_class_get_parent(klass);
}

ObjectProperty *object_property_iter_next(ObjectPropertyIterator *iter)
{
    while (iter->index >= iter->current->len) {
        if (!iter->nextclass) {
            return NULL;
        }
        iter->current = iter->nextclass->properties;
        iter->index = 0;
        iter->nextclass = object_class_get_parent(iter->nextclass);
    }
    return g_ptr_array_index(iter->current, iter->index++);
}

/* ---- Descriptions, defaults ---- */

void object_property_set_description(Object *obj, const char *name,
                                     const char *description)
{
    ObjectProperty *prop = object_property_find_err(obj, name,
                                                    &error_abort);

    g_free(prop->description);
    prop->description = g_strdup(description);
}

void object_class_property_set_description(ObjectClass *klass,
                                           const char *name,
                                           const char *description)
{
    ObjectProperty *prop = object_class_property_find(klass, name);

    g_assert(prop);
    g_free(prop->description);
    prop->description = g_strdup(description);
}

void object_property_set_default_bool(ObjectProperty *prop, bool value)
{
    g_assert(prop->kind == OBJ_PROP_KIND_BOOL);
    prop->has_default = true;
    prop->defval.b = value;
    g_free(prop->default_text);
    prop->default_text = g_strdup(value ? "true" : "false");
}

void object_property_set_default_str(ObjectProperty *prop,
                                     const char *value)
{
    g_assert(prop->kind == OBJ_PROP_KIND_STR ||
             prop->kind == OBJ_PROP_KIND_ENUM);
    prop->has_default = true;
    if (prop->kind == OBJ_PROP_KIND_ENUM) {
        prop->defval.i = qapi_enum_parse(prop->enum_table, value, -1,
                                         &error_abort);
    } else {
        g_free(prop->defval.str);
        prop->defval.str = g_strdup(value);
    }
    g_free(prop->default_text);
    prop->default_text = g_strdup_printf("\"%s\"", value);
}

void object_property_set_default_int(ObjectProperty *prop, int64_t value)
{
    g_assert(prop->kind == OBJ_PROP_KIND_INT);
    prop->has_default = true;
    prop->defval.i = value;
    g_free(prop->default_text);
    prop->default_text = g_strdup_printf("%" PRId64, value);
}

void object_property_set_default_uint(ObjectProperty *prop,
                                      uint64_t value)
{
    g_assert(prop->kind == OBJ_PROP_KIND_UINT ||
             prop->kind == OBJ_PROP_KIND_SIZE);
    prop->has_default = true;
    prop->defval.u = value;
    g_free(prop->default_text);
    prop->default_text = g_strdup_printf("%" PRIu64, value);
}

void object_class_property_set_required(ObjectClass *klass,
                                        const char *name)
{
    ObjectProperty *prop = object_class_property_find(klass, name);

    g_assert(prop);
    prop->required = true;
}

/* ---- Generic get/set ---- */

static bool check_range(ObjectProperty *prop, const ObjectPropertyValue *v,
                        Error **errp)
{
    bool ok = true;

    if (prop->kind == OBJ_PROP_KIND_INT) {
        ok = v->i >= prop->min && v->i <= prop->max;
    } else if (prop->kind == OBJ_PROP_KIND_UINT) {
        ok = v->u <= prop->umax;
    } else if (prop->kind == OBJ_PROP_KIND_ENUM) {
        ok = v->i >= 0 && v->i < prop->enum_table->size;
    }
    if (!ok) {
        error_setg(errp, "Parameter '%s' expects %s_t", prop->name,
                   prop->range_name ? prop->range_name : "int64");
    }
    return ok;
}

static bool prop_set(Object *obj, ObjectProperty *prop,
                     const ObjectPropertyValue *v, Error **errp)
{
    if (!prop->set) {
        error_setg(errp, "Property '%s.%s' is not writable",
                   object_get_typename(obj), prop->name);
        return false;
    }
    if (!check_range(prop, v, errp)) {
        return false;
    }
    return prop->set(obj, prop, v, errp);
}

static bool prop_get(Object *obj, ObjectProperty *prop,
                     ObjectPropertyValue *v, Error **errp)
{
    if (!prop->get) {
        error_setg(errp, "Property '%s.%s' is not readable",
                   object_get_typename(obj), prop->name);
        return false;
    }
    memset(v, 0, sizeof(*v));
    return prop->get(obj, prop, v, errp);
}

bool object_property_set(Object *obj, const char *name,
                         const ObjectPropertyValue *v, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    return prop && prop_set(obj, prop, v, errp);
}

bool object_property_get(Object *obj, const char *name,
                         ObjectPropertyValue *v, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    return prop && prop_get(obj, prop, v, errp);
}

static const char *kind_expected(ObjectPropertyKind kind)
{
    switch (kind) {
    case OBJ_PROP_KIND_STR:
    case OBJ_PROP_KIND_ENUM:
    case OBJ_PROP_KIND_LINK:
    case OBJ_PROP_KIND_CHILD:
        return "string";
    case OBJ_PROP_KIND_BOOL:
        return "boolean";
    case OBJ_PROP_KIND_INT:
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        return "integer";
    case OBJ_PROP_KIND_UINT_LIST:
        return "array";
    }
    g_assert_not_reached();
}

/* Find @name and check that a @kinds_mask kind is acceptable. */
static ObjectProperty *find_kind(Object *obj, const char *name,
                                 unsigned kinds_mask, const char *given,
                                 Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (prop && !(kinds_mask & (1u << prop->kind))) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   name, kind_expected(prop->kind));
        return NULL;
    }
    return prop;
}

#define KIND(k) (1u << OBJ_PROP_KIND_##k)

static Object *resolve_link_path(const char *path, const char *name,
                                 Error **errp)
{
    bool ambiguous = false;
    Object *target;

    if (!*path) {
        return NULL;
    }
    target = object_resolve_path(path, &ambiguous);
    if (!target) {
        if (ambiguous) {
            error_setg(errp, "Path '%s' does not uniquely identify an "
                       "object", path);
        } else {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                      "Device '%s' not found", path);
        }
    }
    return target;
}

bool object_property_set_str(Object *obj, const char *name,
                             const char *value, Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, KIND(STR) | KIND(ENUM) |
                                     KIND(LINK), "string", errp);
    ObjectPropertyValue v = { 0 };
    Error *err = NULL;

    if (!prop) {
        return false;
    }
    if (prop->kind == OBJ_PROP_KIND_ENUM) {
        v.i = qapi_enum_parse(prop->enum_table, value, -1, NULL);
        if (v.i < 0) {
            error_setg(errp, "Parameter '%s' does not accept value '%s'",
                       name, value);
            return false;
        }
    } else if (prop->kind == OBJ_PROP_KIND_LINK) {
        v.obj = resolve_link_path(value, name, &err);
        if (err) {
            error_propagate(errp, err);
            return false;
        }
    } else {
        v.str = (char *)value;
    }
    return prop_set(obj, prop, &v, errp);
}

char *object_property_get_str(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, KIND(STR) | KIND(ENUM) |
                                     KIND(LINK) | KIND(CHILD), "string",
                                     errp);
    ObjectPropertyValue v;

    if (!prop || !prop_get(obj, prop, &v, errp)) {
        return NULL;
    }
    switch (prop->kind) {
    case OBJ_PROP_KIND_ENUM:
        return g_strdup(qapi_enum_lookup(prop->enum_table, v.i));
    case OBJ_PROP_KIND_LINK:
    case OBJ_PROP_KIND_CHILD:
        return v.obj ? object_get_canonical_path(v.obj) : g_strdup("");
    default:
        /* An unset string reads as "", as it does through QMP. */
        return v.str ? v.str : g_strdup("");
    }
}

bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp)
{
    ObjectPropertyValue v = { .b = value };
    ObjectProperty *prop = find_kind(obj, name, KIND(BOOL), "boolean",
                                     errp);

    return prop && prop_set(obj, prop, &v, errp);
}

bool object_property_get_bool(Object *obj, const char *name, Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, KIND(BOOL), "boolean",
                                     errp);
    ObjectPropertyValue v;

    return prop && prop_get(obj, prop, &v, errp) && v.b;
}

#define NUMBER_KINDS (KIND(INT) | KIND(UINT) | KIND(SIZE))

bool object_property_set_int(Object *obj, const char *name, int64_t value,
                             Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, NUMBER_KINDS, "integer",
                                     errp);
    ObjectPropertyValue v = { .i = value };

    if (!prop) {
        return false;
    }
    if (prop->kind != OBJ_PROP_KIND_INT && value < 0) {
        error_setg(errp, "Parameter '%s' expects uint64_t", name);
        return false;
    }
    return prop_set(obj, prop, &v, errp);
}

int64_t object_property_get_int(Object *obj, const char *name,
                                Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, NUMBER_KINDS, "integer",
                                     errp);
    ObjectPropertyValue v;

    if (!prop || !prop_get(obj, prop, &v, errp)) {
        return -1;
    }
    return v.i;
}

bool object_property_set_uint(Object *obj, const char *name,
                              uint64_t value, Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, NUMBER_KINDS, "integer",
                                     errp);
    ObjectPropertyValue v = { .u = value };

    if (!prop) {
        return false;
    }
    if (prop->kind == OBJ_PROP_KIND_INT && value > INT64_MAX) {
        error_setg(errp, "Parameter '%s' expects int64_t", name);
        return false;
    }
    return prop_set(obj, prop, &v, errp);
}

uint64_t object_property_get_uint(Object *obj, const char *name,
                                  Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, NUMBER_KINDS, "integer",
                                     errp);
    ObjectPropertyValue v;

    if (!prop || !prop_get(obj, prop, &v, errp)) {
        return 0;
    }
    return v.u;
}

bool object_property_set_link(Object *obj, const char *name,
                              Object *value, Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, KIND(LINK), "link", errp);
    ObjectPropertyValue v = { .obj = value };

    return prop && prop_set(obj, prop, &v, errp);
}

Object *object_property_get_link(Object *obj, const char *name,
                                 Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, KIND(LINK) | KIND(CHILD),
                                     "link", errp);
    ObjectPropertyValue v;

    if (!prop || !prop_get(obj, prop, &v, errp)) {
        return NULL;
    }
    return v.obj;
}

int object_property_get_enum(Object *obj, const char *name,
                             const char *typename, Error **errp)
{
    ObjectProperty *prop = find_kind(obj, name, KIND(ENUM), "enum", errp);
    ObjectPropertyValue v;

    if (!prop) {
        return -1;
    }
    if (strcmp(prop->type, typename)) {
        error_setg(errp, "Property '%s' on object '%s' is not '%s' enum "
                   "type", name, object_get_typename(obj), typename);
        return -1;
    }
    if (!prop_get(obj, prop, &v, errp)) {
        return -1;
    }
    return v.i;
}

/* ---- Text ---- */

static bool parse_uint_list(const char *name, const char *text,
                            GArray *list, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(text, ",", -1);

    for (int i = 0; parts[i]; i++) {
        const char *end;
        uint64_t lo, hi;

        if (qemu_strtou64(parts[i], &end, 0, &lo) < 0) {
            goto bad;
        }
        hi = lo;
        if (*end == '-' &&
            (qemu_strtou64(end + 1, &end, 0, &hi) < 0 || hi < lo)) {
            goto bad;
        }
        if (*end) {
            goto bad;
        }
        for (uint64_t n = lo; n <= hi; n++) {
            g_array_append_val(list, n);
            if (n == UINT64_MAX) {
                break;
            }
        }
    }
    return true;

bad:
    error_setg(errp, "Parameter '%s' expects a uint64 value or range",
               name);
    return false;
}

/* Text to a value of @prop's kind.  Owned parts are put in @list. */
static bool parse_value(ObjectProperty *prop, const char *s,
                        ObjectPropertyValue *v, Error **errp)
{
    const char *name = prop->name;
    int err;

    switch (prop->kind) {
    case OBJ_PROP_KIND_STR:
        v->str = (char *)s;
        return true;
    case OBJ_PROP_KIND_BOOL:
        if (qemu_parse_bool(s, &v->b) < 0) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
            return false;
        }
        return true;
    case OBJ_PROP_KIND_INT:
        if (qemu_strtoi64(s, NULL, 0, &v->i) < 0) {
            error_setg(errp, "Parameter '%s' expects an int64 value",
                       name);
            return false;
        }
        return true;
    case OBJ_PROP_KIND_UINT:
        if (qemu_strtou64(s, NULL, 0, &v->u) < 0) {
            error_setg(errp, "Parameter '%s' expects a uint64 value", name);
            return false;
        }
        return true;
    case OBJ_PROP_KIND_SIZE:
        err = qemu_strtosz(s, NULL, &v->u);
        if (err < 0) {
            error_setg(errp, "Parameter '%s' expects a size value", name);
            return false;
        }
        return true;
    case OBJ_PROP_KIND_ENUM:
        v->i = qapi_enum_parse(prop->enum_table, s, -1, NULL);
        if (v->i < 0) {
            error_setg(errp, "Parameter '%s' does not accept value '%s'",
                       name, s);
            return false;
        }
        return true;
    default:
        g_assert_not_reached();
    }
}

/*
 * -device flavour (QEMU 7.2's keyval visitor): numbers that do not parse
 * say "expects integer", sizes "expects size"; a negative value for an
 * unsigned property is a range error.  @prop is INT, UINT or SIZE.
 */
static bool parse_number_keyval(ObjectProperty *prop, const char *s,
                                ObjectPropertyValue *v, Error **errp)
{
    if (prop->kind == OBJ_PROP_KIND_SIZE) {
        if (qemu_strtosz(s, NULL, &v->u) < 0) {
            error_setg(errp, "Parameter '%s' expects size", prop->name);
            return false;
        }
        return true;
    }
    if (qemu_strtoi64(s, NULL, 0, &v->i) == 0) {
        if (prop->kind == OBJ_PROP_KIND_UINT && v->i < 0) {
            error_setg(errp, "Parameter '%s' expects %s_t", prop->name,
                       prop->range_name ? prop->range_name : "uint64");
            return false;
        }
        return true;
    }
    if (prop->kind == OBJ_PROP_KIND_UINT &&
        qemu_strtou64(s, NULL, 0, &v->u) == 0) {
        return true;
    }
    error_setg(errp, "Parameter '%s' expects integer", prop->name);
    return false;
}

static bool parse_and_set(Object *obj, const char *name, const char *string,
                          bool keyval, Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    ObjectPropertyValue v = { 0 };
    bool ok;

    if (!prop) {
        return false;
    }
    switch (prop->kind) {
    case OBJ_PROP_KIND_LINK:
        return object_property_set_str(obj, name, string, errp);
    case OBJ_PROP_KIND_CHILD:
        return prop_set(obj, prop, &v, errp);
    case OBJ_PROP_KIND_UINT_LIST:
        v.list = g_array_new(false, false, sizeof(uint64_t));
        ok = parse_uint_list(name, string, v.list, errp) &&
             prop_set(obj, prop, &v, errp);
        g_array_free(v.list, true);
        return ok;
    case OBJ_PROP_KIND_INT:
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        if (keyval) {
            return parse_number_keyval(prop, string, &v, errp) &&
                   prop_set(obj, prop, &v, errp);
        }
        break;
    default:
        break;
    }
    return parse_value(prop, string, &v, errp) &&
           prop_set(obj, prop, &v, errp);
}

bool object_property_parse(Object *obj, const char *name,
                           const char *string, Error **errp)
{
    return parse_and_set(obj, name, string, false, errp);
}

bool object_property_parse_keyval(Object *obj, const char *name,
                                  const char *string, Error **errp)
{
    return parse_and_set(obj, name, string, true, errp);
}

static char *print_list(GArray *list)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < list->len; i++) {
        g_string_append_printf(out, "%s%" PRIu64, i ? "," : "",
                               g_array_index(list, uint64_t, i));
    }
    g_array_free(list, true);
    return g_string_free(out, false);
}

char *object_property_print(Object *obj, const char *name, bool human,
                            Error **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);
    ObjectPropertyValue v;

    if (!prop || !prop_get(obj, prop, &v, errp)) {
        return NULL;
    }
    switch (prop->kind) {
    case OBJ_PROP_KIND_STR:
        return v.str ? v.str : g_strdup("");
    case OBJ_PROP_KIND_BOOL:
        return g_strdup(v.b ? "on" : "off");
    case OBJ_PROP_KIND_INT:
        return g_strdup_printf("%" PRId64, v.i);
    case OBJ_PROP_KIND_UINT:
    case OBJ_PROP_KIND_SIZE:
        return g_strdup_printf("%" PRIu64, v.u);
    case OBJ_PROP_KIND_ENUM:
        return g_strdup(qapi_enum_lookup(prop->enum_table, v.i));
    case OBJ_PROP_KIND_LINK:
    case OBJ_PROP_KIND_CHILD:
        return v.obj ? object_get_canonical_path(v.obj) : g_strdup("");
    case OBJ_PROP_KIND_UINT_LIST:
        return print_list(v.list);
    }
    g_assert_not_reached();
}

/* ---- Help ---- */

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool name_in(const char *name, const char *const *skip)
{
    for (; skip && *skip; skip++) {
        if (!strcmp(name, *skip)) {
            return true;
        }
    }
    return false;
}

static char *help_line(ObjectProperty *prop)
{
    GString *line = g_string_new(NULL);

    g_string_append_printf(line, "  %s=<%s>", prop->name, prop->type);
    if (prop->description || prop->default_text) {
        g_string_append_printf(line, "%*s - %s",
                               MAX(0, 24 - (int)line->len), "",
                               prop->description ? prop->description : "");
    }
    if (prop->default_text) {
        g_string_append_printf(line, " (default: %s)", prop->default_text);
    }
    return g_string_free(line, false);
}

char *object_class_properties_help(ObjectClass *klass,
                                   const char *const *skip)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    ObjectPropertyIterator iter;
    ObjectProperty *prop;
    GString *out = g_string_new(NULL);

    object_class_property_iter_init(&iter, klass);
    while ((prop = object_property_iter_next(&iter))) {
        if (!name_in(prop->name, skip)) {
            g_ptr_array_add(lines, help_line(prop));
        }
    }
    g_ptr_array_sort(lines, compare_strings);
    for (guint i = 0; i < lines->len; i++) {
        g_string_append_printf(out, "%s\n",
                               (char *)g_ptr_array_index(lines, i));
    }
    return g_string_free(out, false);
}
