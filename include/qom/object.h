/*
 * object.h: QOM, the object model (types, classes, properties, the
 * composition tree).
 *
 * Types are registered by name (type_register_static() from a type_init()
 * constructor).  A type's class is built on first use: the parent's class
 * is copied, every ancestor's class_base_init runs, then class_init.
 * Instances are zeroed, get their class-property defaults applied, then
 * instance_init runs from the root type down, then instance_post_init.
 *
 * Interfaces are abstract types derived from TYPE_INTERFACE; a type lists
 * the ones it implements in TypeInfo.interfaces.  Each class gets its own
 * copy of every interface class (InterfaceClass) so class_init can fill
 * in the interface's methods: USER_CREATABLE_CLASS(oc)->complete = ...
 *
 * Objects are reference counted (object_new() returns one reference).
 * The composition tree starts at object_get_root() ("/"); a "child<T>"
 * property holds a reference on the child, and object_unparent() removes
 * an object from its parent.  Paths are canonical ("/machine/soc0") or
 * partial (any unique suffix, "soc0/harts[0]").
 *
 * Properties have a name, a type string (what qom-list shows: "bool",
 * "uint32", "link<memory-backend>", "child<container>", an enum's type
 * name...), a kind that fixes the C representation of values (see
 * ObjectPropertyKind), a description and an optional default.  Every
 * property can be set from text (object_property_parse) and printed
 * (object_property_print) using its kind.
 *
 * Threads: all of QOM runs under the big lock (or before threads exist).
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include "qapi/util.h"

typedef struct Error Error;
typedef struct TypeImpl *Type;
typedef struct Object Object;
typedef struct ObjectClass ObjectClass;
typedef struct InterfaceClass InterfaceClass;
typedef struct ObjectProperty ObjectProperty;

#define TYPE_OBJECT "object"
#define TYPE_INTERFACE "interface"
#define TYPE_CONTAINER "container"

/* ---- Types ---- */

typedef struct InterfaceInfo {
    const char *type;
} InterfaceInfo;

typedef struct TypeInfo {
    const char *name;
    const char *parent;

    size_t instance_size;       /* 0: the parent's */
    size_t instance_align;      /* unused; kept for QEMU source shape */
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);

    bool abstract;
    size_t class_size;          /* 0: the parent's */
    void (*class_init)(ObjectClass *klass, void *data);
    void (*class_base_init)(ObjectClass *klass, void *data);
    void *class_data;

    InterfaceInfo *interfaces;  /* ends with { NULL } */
} TypeInfo;

/* Register @info (which must stay valid); duplicate names abort. */
Type type_register_static(const TypeInfo *info);
Type type_register(const TypeInfo *info);
/* Register every entry of an array of @nr infos. */
void type_register_static_array(const TypeInfo *infos, int nr);

/* Run @function before main(), to register types. */
#define type_init(function) \
    static void __attribute__((constructor)) qom_type_init_##function(void) \
    { \
        function(); \
    }

/* Register an array of TypeInfo from a constructor (QEMU's name). */
#define DEFINE_TYPES(type_array) \
    static void do_qemu_init_##type_array(void) \
    { \
        type_register_static_array(type_array, ARRAY_SIZE(type_array)); \
    } \
    type_init(do_qemu_init_##type_array)

/* ---- Objects and classes ---- */

typedef void (ObjectUnparent)(Object *obj);
typedef void (ObjectFree)(void *obj);

struct ObjectClass {
    Type type;
    GSList *interfaces;         /* InterfaceClass *, private */
    GPtrArray *properties;      /* ObjectProperty *, private */
    ObjectUnparent *unparent;
};

struct Object {
    ObjectClass *class;
    ObjectFree *free;           /* g_free for object_new(), else NULL */
    GPtrArray *properties;      /* ObjectProperty *, in creation order */
    uint32_t ref;
    Object *parent;
};

struct InterfaceClass {
    ObjectClass parent_class;
    ObjectClass *concrete_class;    /* the class implementing it */
    Type interface_type;
};

/*
 * Checked casts.  A failing check prints "Object 0x.. of type 'A' is not
 * an instance of type 'B'" (or the class form) and aborts: a failed cast
 * is a programming error.
 */
Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line,
                                   const char *func);
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line,
                                              const char *func);

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(class) ((ObjectClass *)(class))
#define OBJECT_CHECK(type, obj, name) \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (name), \
                                        __FILE__, __LINE__, __func__))
#define OBJECT_CLASS_CHECK(class_type, class, name) \
    ((class_type *)object_class_dynamic_cast_assert(OBJECT_CLASS(class), \
                       (name), __FILE__, __LINE__, __func__))
#define OBJECT_GET_CLASS(class, obj, name) \
    OBJECT_CLASS_CHECK(class, object_get_class(OBJECT(obj)), name)
#define INTERFACE_CHECK(interface, obj, name) \
    ((interface *)object_dynamic_cast_assert(OBJECT((obj)), (name), \
                                             __FILE__, __LINE__, __func__))
#define INTERFACE_CLASS(klass) \
    OBJECT_CLASS_CHECK(InterfaceClass, klass, TYPE_INTERFACE)

/* Declare the cast helpers of a type: NAME(obj) -> InstanceType *. */
#define DECLARE_INSTANCE_CHECKER(InstanceType, OBJ_NAME, TYPENAME) \
    static inline G_GNUC_UNUSED InstanceType *OBJ_NAME(const void *obj) \
    { return OBJECT_CHECK(InstanceType, obj, TYPENAME); }

#define DECLARE_CLASS_CHECKERS(ClassType, OBJ_NAME, TYPENAME) \
    static inline G_GNUC_UNUSED ClassType *OBJ_NAME##_GET_CLASS( \
        const void *obj) \
    { return OBJECT_GET_CLASS(ClassType, obj, TYPENAME); } \
    static inline G_GNUC_UNUSED ClassType *OBJ_NAME##_CLASS( \
        const void *klass) \
    { return OBJECT_CLASS_CHECK(ClassType, klass, TYPENAME); }

#define DECLARE_OBJ_CHECKERS(InstanceType, ClassType, OBJ_NAME, TYPENAME) \
    DECLARE_INSTANCE_CHECKER(InstanceType, OBJ_NAME, TYPENAME) \
    DECLARE_CLASS_CHECKERS(ClassType, OBJ_NAME, TYPENAME)

/*
 * OBJECT_DECLARE_TYPE(MyDevice, MyDeviceClass, MY_DEVICE): typedefs for
 * both structs and MY_DEVICE(), MY_DEVICE_CLASS(), MY_DEVICE_GET_CLASS(),
 * all checked against TYPE_MY_DEVICE.
 */
#define OBJECT_DECLARE_TYPE(InstanceType, ClassType, MODULE_OBJ_NAME) \
    typedef struct InstanceType InstanceType; \
    typedef struct ClassType ClassType; \
    G_DEFINE_AUTOPTR_CLEANUP_FUNC(InstanceType, object_unref) \
    DECLARE_OBJ_CHECKERS(InstanceType, ClassType, MODULE_OBJ_NAME, \
                         TYPE_##MODULE_OBJ_NAME)

/* Same for a type without its own class struct. */
#define OBJECT_DECLARE_SIMPLE_TYPE(InstanceType, MODULE_OBJ_NAME) \
    typedef struct InstanceType InstanceType; \
    G_DEFINE_AUTOPTR_CLEANUP_FUNC(InstanceType, object_unref) \
    DECLARE_INSTANCE_CHECKER(InstanceType, MODULE_OBJ_NAME, \
                             TYPE_##MODULE_OBJ_NAME)

/* A new instance (refcount 1) of a registered non-abstract type. */
Object *object_new(const char *typename);
Object *object_new_with_class(ObjectClass *klass);
/*
 * object_new() then set each "name", "value" string pair (NULL ended)
 * with object_property_parse(), complete it if user creatable, and add it
 * as child @id of @parent.  Returns NULL (and frees it) on error.
 */
Object *object_new_with_props(const char *typename, Object *parent,
                              const char *id, Error **errp, ...)
    G_GNUC_NULL_TERMINATED;
/* Initialise an object embedded in a larger struct (@size bytes). */
void object_initialize(void *data, size_t size, const char *typename);
/*
 * Initialise @child (embedded in @parent's state) and add it as
 * child<@type> @propname of @parent.  The tree holds the only reference.
 */
void object_initialize_child_internal(Object *parent, const char *propname,
                                      void *child, size_t size,
                                      const char *type);
#define object_initialize_child(parent, propname, child, type) \
    object_initialize_child_internal(OBJECT(parent), propname, \
                                     child, sizeof(*(child)), type)

Object *object_ref(void *obj);
/* Drop a reference; the last one finalizes and frees the object. */
void object_unref(void *obj);

/* @obj if it is (or implements) @typename, else NULL. */
Object *object_dynamic_cast(Object *obj, const char *typename);
ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename);
ObjectClass *object_get_class(Object *obj);
const char *object_get_typename(const Object *obj);

ObjectClass *object_class_by_name(const char *typename);
ObjectClass *object_class_get_parent(ObjectClass *klass);
const char *object_class_get_name(ObjectClass *klass);
bool object_class_is_abstract(ObjectClass *klass);
/*
 * Every class implementing @implements_type (NULL: all), abstract ones
 * only if @include_abstract; caller frees the list (not the classes).
 */
GSList *object_class_get_list(const char *implements_type,
                              bool include_abstract);
/* The same, sorted by type name. */
GSList *object_class_get_list_sorted(const char *implements_type,
                                     bool include_abstract);
void object_class_foreach(void (*fn)(ObjectClass *klass, void *opaque),
                          const char *implements_type,
                          bool include_abstract, void *opaque);

/* ---- Properties ---- */

/*
 * The C representation of a property's values, by kind:
 *   STR        v->str       getter returns a new string (caller frees);
 *                           setter borrows it
 *   BOOL       v->b
 *   INT        v->i         range from the type string (int8..int64)
 *   UINT       v->u         range from the type string (uint8..uint64)
 *   SIZE       v->u         parsed by qemu_strtosz (suffixes K, M, G...)
 *   ENUM       v->i         index into prop->enum_table
 *   LINK       v->obj       borrowed; setter gets NULL to clear
 *   CHILD      v->obj       read-only
 *   UINT_LIST  v->list      GArray of uint64_t; getter returns a new
 *                           array (caller frees), setter borrows it.
 *                           Text form "0-1,4" (ranges allowed).
 */
typedef enum ObjectPropertyKind {
    OBJ_PROP_KIND_STR,
    OBJ_PROP_KIND_BOOL,
    OBJ_PROP_KIND_INT,
    OBJ_PROP_KIND_UINT,
    OBJ_PROP_KIND_SIZE,
    OBJ_PROP_KIND_ENUM,
    OBJ_PROP_KIND_LINK,
    OBJ_PROP_KIND_CHILD,
    OBJ_PROP_KIND_UINT_LIST,
} ObjectPropertyKind;

typedef union ObjectPropertyValue {
    char *str;
    bool b;
    int64_t i;
    uint64_t u;
    Object *obj;
    GArray *list;
} ObjectPropertyValue;

typedef bool (*ObjectPropertyGet)(Object *obj, ObjectProperty *prop,
                                  ObjectPropertyValue *v, Error **errp);
typedef bool (*ObjectPropertySet)(Object *obj, ObjectProperty *prop,
                                  const ObjectPropertyValue *v,
                                  Error **errp);
typedef void (*ObjectPropertyRelease)(Object *obj, const char *name,
                                      void *opaque);
/* Class properties: called on each new instance to apply the default. */
typedef void (*ObjectPropertyInit)(Object *obj, ObjectProperty *prop);

struct ObjectProperty {
    char *name;
    char *type;
    char *description;
    ObjectPropertyKind kind;
    ObjectPropertyGet get;      /* NULL: write-only */
    ObjectPropertySet set;      /* NULL: read-only */
    ObjectPropertyRelease release;
    void *opaque;

    int64_t min;                /* INT: allowed range */
    int64_t max;
    uint64_t umax;              /* UINT: upper bound */
    const char *range_name;     /* "uint8_t" etc. for range errors */
    const QEnumLookup *enum_table;  /* ENUM */
    char *link_type;            /* LINK/CHILD: the T of link<T> */

    bool has_default;           /* class properties: value at init */
    ObjectPropertyValue defval; /* (str owned by the property) */
    char *default_text;         /* JSON-ish text for help ("auto" quoted) */
    bool required;              /* user_creatable_add: must be given */
};

typedef enum ObjectPropertyFlags {
    OBJ_PROP_FLAG_READ = 1 << 0,
    OBJ_PROP_FLAG_WRITE = 1 << 1,
    OBJ_PROP_FLAG_READWRITE = (OBJ_PROP_FLAG_READ | OBJ_PROP_FLAG_WRITE),
} ObjectPropertyFlags;

/*
 * The generic adders.  @type is the type string; min/max/umax/range_name
 * are filled in from it for INT and UINT ("int8".."int64", "int",
 * "uint8".."uint64").  Adding a name the object (or its class) already
 * has aborts: two properties with one name is a programming error.  Use
 * object_property_try_add() when the name comes from the user.
 */
ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type,
                                    ObjectPropertyKind kind,
                                    ObjectPropertyGet get,
                                    ObjectPropertySet set,
                                    ObjectPropertyRelease release,
                                    void *opaque);
ObjectProperty *object_property_try_add(Object *obj, const char *name,
                                        const char *type,
                                        ObjectPropertyKind kind,
                                        ObjectPropertyGet get,
                                        ObjectPropertySet set,
                                        ObjectPropertyRelease release,
                                        void *opaque, Error **errp);
ObjectProperty *object_class_property_add(ObjectClass *klass,
                                          const char *name,
                                          const char *type,
                                          ObjectPropertyKind kind,
                                          ObjectPropertyGet get,
                                          ObjectPropertySet set,
                                          ObjectPropertyRelease release,
                                          void *opaque);
void object_property_del(Object *obj, const char *name);

/* Typed adders with QEMU's signatures (NULL getter/setter allowed). */
ObjectProperty *object_property_add_str(Object *obj, const char *name,
                           char *(*get)(Object *, Error **),
                           void (*set)(Object *, const char *, Error **));
ObjectProperty *object_class_property_add_str(ObjectClass *klass,
                           const char *name,
                           char *(*get)(Object *, Error **),
                           void (*set)(Object *, const char *, Error **));
ObjectProperty *object_property_add_bool(Object *obj, const char *name,
                           bool (*get)(Object *, Error **),
                           void (*set)(Object *, bool, Error **));
ObjectProperty *object_class_property_add_bool(ObjectClass *klass,
                           const char *name,
                           bool (*get)(Object *, Error **),
                           void (*set)(Object *, bool, Error **));
ObjectProperty *object_property_add_enum(Object *obj, const char *name,
                           const char *typename,
                           const QEnumLookup *lookup,
                           int (*get)(Object *, Error **),
                           void (*set)(Object *, int, Error **));
ObjectProperty *object_class_property_add_enum(ObjectClass *klass,
                           const char *name, const char *typename,
                           const QEnumLookup *lookup,
                           int (*get)(Object *, Error **),
                           void (*set)(Object *, int, Error **));
/* Signed integers; @type "int", "int8".."int64" fixes the range. */
ObjectProperty *object_property_add_int(Object *obj, const char *name,
                           const char *type,
                           int64_t (*get)(Object *, Error **),
                           void (*set)(Object *, int64_t, Error **));
ObjectProperty *object_class_property_add_int(ObjectClass *klass,
                           const char *name, const char *type,
                           int64_t (*get)(Object *, Error **),
                           void (*set)(Object *, int64_t, Error **));
/*
 * Unsigned integers; @type "uint8".."uint64" fixes the range.  With
 * @is_size, text is parsed as a size ("64M"); @type is then free (QEMU's
 * memory backends show "size=<int>").
 */
ObjectProperty *object_property_add_uint(Object *obj, const char *name,
                           const char *type, bool is_size,
                           uint64_t (*get)(Object *, Error **),
                           void (*set)(Object *, uint64_t, Error **));
ObjectProperty *object_class_property_add_uint(ObjectClass *klass,
                           const char *name, const char *type,
                           bool is_size,
                           uint64_t (*get)(Object *, Error **),
                           void (*set)(Object *, uint64_t, Error **));
/* A list of unsigned numbers ("host-nodes=0-1"). */
ObjectProperty *object_property_add_uint_list(Object *obj, const char *name,
                           const char *type,
                           GArray *(*get)(Object *, Error **),
                           void (*set)(Object *, GArray *, Error **));
ObjectProperty *object_class_property_add_uint_list(ObjectClass *klass,
                           const char *name, const char *type,
                           GArray *(*get)(Object *, Error **),
                           void (*set)(Object *, GArray *, Error **));

/* Properties backed by a field: @v must outlive the object. */
ObjectProperty *object_property_add_uint8_ptr(Object *obj, const char *name,
                           const uint8_t *v, ObjectPropertyFlags flags);
ObjectProperty *object_property_add_uint16_ptr(Object *obj,
                           const char *name, const uint16_t *v,
                           ObjectPropertyFlags flags);
ObjectProperty *object_property_add_uint32_ptr(Object *obj,
                           const char *name, const uint32_t *v,
                           ObjectPropertyFlags flags);
ObjectProperty *object_property_add_uint64_ptr(Object *obj,
                           const char *name, const uint64_t *v,
                           ObjectPropertyFlags flags);
ObjectProperty *object_property_add_bool_ptr(Object *obj, const char *name,
                           const bool *v, ObjectPropertyFlags flags);

/* ---- Links and children ---- */

typedef enum ObjectPropertyLinkFlags {
    OBJ_PROP_LINK_STRONG = 0x1,     /* the link holds a reference */
    OBJ_PROP_LINK_DIRECT = 0x2,     /* private */
    OBJ_PROP_LINK_CLASS = 0x4,      /* private */
} ObjectPropertyLinkFlags;

/*
 * link<@type> property pointing at *@targetp.  Setting it checks the
 * target's type ("Invalid parameter type for 'x', expected: T") and
 * calls @check (NULL: read-only; object_property_allow_set_link
 * allows any change).
 */
ObjectProperty *object_property_add_link(Object *obj, const char *name,
                           const char *type, Object **targetp,
                           void (*check)(const Object *obj,
                                         const char *name,
                                         Object *val, Error **errp),
                           ObjectPropertyLinkFlags flags);
/* Class form: the target pointer lives at @offset in the instance. */
ObjectProperty *object_class_property_add_link(ObjectClass *oc,
                           const char *name, const char *type,
                           ptrdiff_t offset,
                           void (*check)(const Object *obj,
                                         const char *name,
                                         Object *val, Error **errp),
                           ObjectPropertyLinkFlags flags);
void object_property_allow_set_link(const Object *obj, const char *name,
                                    Object *val, Error **errp);
ObjectProperty *object_property_add_const_link(Object *obj,
                                               const char *name,
                                               Object *target);

/*
 * Add @child as child<type> @name of @obj (taking a reference).  A name
 * ending in "[*]" gets the lowest free index ("device[3]").  Aborts if
 * @child already has a parent or the name is taken; the try_ form
 * returns NULL with "attempt to add duplicate property 'x' to object
 * (type 'y')" instead.
 */
ObjectProperty *object_property_add_child(Object *obj, const char *name,
                                          Object *child);
ObjectProperty *object_property_try_add_child(Object *obj,
                                              const char *name,
                                              Object *child, Error **errp);
/* Remove @obj from its parent (dropping the parent's reference). */
void object_unparent(Object *obj);

/* @name of @obj is another name for @target_name of @target_obj. */
ObjectProperty *object_property_add_alias(Object *obj, const char *name,
                                          Object *target_obj,
                                          const char *target_name);

void object_property_set_description(Object *obj, const char *name,
                                     const char *description);
void object_class_property_set_description(ObjectClass *klass,
                                           const char *name,
                                           const char *description);
/* Defaults of class properties, applied to every new instance. */
void object_property_set_default_bool(ObjectProperty *prop, bool value);
void object_property_set_default_str(ObjectProperty *prop,
                                     const char *value);
void object_property_set_default_int(ObjectProperty *prop, int64_t value);
void object_property_set_default_uint(ObjectProperty *prop,
                                      uint64_t value);
/* Mark a class property as mandatory for user_creatable_add_type(). */
void object_class_property_set_required(ObjectClass *klass,
                                        const char *name);

/* ---- Lookup and iteration ---- */

/* NULL if @obj has no property @name (instance, then class chain). */
ObjectProperty *object_property_find(Object *obj, const char *name);
/* Same with error "Property 'TYPE.name' not found". */
ObjectProperty *object_property_find_err(Object *obj, const char *name,
                                         Error **errp);
ObjectProperty *object_class_property_find(ObjectClass *klass,
                                           const char *name);
const char *object_property_get_type(Object *obj, const char *name,
                                     Error **errp);

/*
 * Iteration: instance properties in creation order, then the class's
 * and its ancestors'.  Properties must not be added or removed while
 * iterating.
 */
typedef struct ObjectPropertyIterator {
    GPtrArray *current;
    guint index;
    ObjectClass *nextclass;
} ObjectPropertyIterator;
void object_property_iter_init(ObjectPropertyIterator *iter, Object *obj);
void object_class_property_iter_init(ObjectPropertyIterator *iter,
                                     ObjectClass *klass);
ObjectProperty *object_property_iter_next(ObjectPropertyIterator *iter);

/* ---- Generic access ---- */

/*
 * Set or get through the kind's C value (see ObjectPropertyKind).
 * Errors: "Property 'T.x' not found", "Property 'x' is not writable"
 * ("... readable"), range errors "Parameter 'x' expects uint8_t".
 */
bool object_property_set(Object *obj, const char *name,
                         const ObjectPropertyValue *v, Error **errp);
bool object_property_get(Object *obj, const char *name,
                         ObjectPropertyValue *v, Error **errp);

/*
 * Typed convenience forms.  _str works on STR, ENUM (by name) and LINK
 * (by path) properties; _int on INT and on UINT/SIZE up to INT64_MAX;
 * _uint on UINT/SIZE and non-negative INT.  A property of another kind
 * gives "Invalid parameter type for 'x', expected: T".
 */
bool object_property_set_str(Object *obj, const char *name,
                             const char *value, Error **errp);
char *object_property_get_str(Object *obj, const char *name, Error **errp);
bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp);
bool object_property_get_bool(Object *obj, const char *name, Error **errp);
bool object_property_set_int(Object *obj, const char *name, int64_t value,
                             Error **errp);
int64_t object_property_get_int(Object *obj, const char *name,
                                Error **errp);
bool object_property_set_uint(Object *obj, const char *name,
                              uint64_t value, Error **errp);
uint64_t object_property_get_uint(Object *obj, const char *name,
                                  Error **errp);
bool object_property_set_link(Object *obj, const char *name,
                              Object *value, Error **errp);
Object *object_property_get_link(Object *obj, const char *name,
                                 Error **errp);
/* Enum index; -1 on error (also when @typename is not the enum's). */
int object_property_get_enum(Object *obj, const char *name,
                             const char *typename, Error **errp);

/*
 * Set from text, with QEMU 7.2's messages: "Parameter 'x' expects 'on'
 * or 'off'", "... expects a uint64 value", "... expects an int64 value",
 * "... expects a size value", "... does not accept value 'v'",
 * "... expects a uint64 value or range".  Links take a QOM path.
 */
bool object_property_parse(Object *obj, const char *name,
                           const char *string, Error **errp);
/*
 * The same with -device's wording (QEMU 7.2 sets device properties
 * through its keyval visitor): "Parameter 'x' expects integer", "...
 * expects size", "... expects uint16_t" (also for negative values).
 */
bool object_property_parse_keyval(Object *obj, const char *name,
                                  const char *string, Error **errp);
/*
 * Value as text (caller frees): numbers in decimal, bools "on"/"off",
 * enums by name, links by canonical path ("" when unset), lists
 * "0,1,4".  @human is accepted for QEMU source compatibility.
 */
char *object_property_print(Object *obj, const char *name, bool human,
                            Error **errp);

/* ---- Composition tree ---- */

Object *object_get_root(void);
/* "/objects", holding -object instances. */
Object *object_get_objects_root(void);
/* "/machine/..." ; NULL if @obj is not in the tree. Caller frees. */
char *object_get_canonical_path(const Object *obj);
/* The last component of the canonical path (not a copy). */
const char *object_get_canonical_path_component(const Object *obj);

/*
 * Resolve an absolute ("/machine/soc0") or partial ("soc0") path; a
 * partial path matches anywhere in the tree and is ambiguous if it
 * matches twice (*@ambiguous set, NULL returned).  Links are followed.
 */
Object *object_resolve_path(const char *path, bool *ambiguous);
Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous);
Object *object_resolve_path_at(Object *parent, const char *path);
/* The child (or link target) @part of @parent, else NULL. */
Object *object_resolve_path_component(Object *parent, const char *part);

/*
 * Call @fn on each child of @obj in creation order (recursively,
 * depth-first, parent before children); stop at the first non-zero
 * return and return it.
 */
int object_child_foreach(Object *obj, int (*fn)(Object *child,
                                                void *opaque),
                         void *opaque);
int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque);

/* The container at @path under @root, created (with its parents) if
 * missing: container_get(object_get_root(), "/machine/unattached"). */
Object *container_get(Object *root, const char *path);

/*
 * "TYPE options:" help lines for @klass's properties, sorted by name:
 * "  name=<type>", then (if there is a description or a default) padded
 * to 24 columns, " - description" and " (default: X)".  Properties named
 * in @skip (NULL ended, may be NULL) are left out.  Caller frees.
 */
char *object_class_properties_help(ObjectClass *klass,
                                   const char *const *skip);

#endif /* QOM_OBJECT_H */
