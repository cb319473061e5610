/*
 * qdev-properties.h: device properties backed by fields of the device
 * state struct.
 *
 *   static Property foo_props[] = {
 *       DEFINE_PROP_UINT32("num-irqs", FooState, num_irqs, 32),
 *       DEFINE_PROP_BOOL("big-endian", FooState, big_endian, false),
 *       DEFINE_PROP_LINK("memdev", FooState, memdev,
 *                        TYPE_MEMORY_BACKEND, HostMemoryBackend *),
 *       DEFINE_PROP_END_OF_LIST(),
 *   };
 *   device_class_set_props(dc, foo_props);      (in class_init)
 *
 * Each becomes a class property of the type the macro names ("uint32",
 * "bool", "str", "size", "link<T>"...), with its default applied at
 * instance creation and shown by "-device TYPE,help".  Setting one after
 * realize fails with "Attempt to set property 'x' on device 'id' (type
 * 'T') after it was realized".
 */
#ifndef HW_QDEV_PROPERTIES_H
#define HW_QDEV_PROPERTIES_H

#include "hw/qdev-core.h"

typedef struct PropertyInfo {
    const char *name;           /* the property's type string */
    const char *description;
    ObjectPropertyKind kind;
    unsigned field_size;        /* bytes of the field (UINT/INT/BOOL) */
    bool is_bit;                /* BOOL: bit bitnr of a uint32_t field */
    const QEnumLookup *enum_table;  /* ENUM: values of an int field */
} PropertyInfo;

struct Property {
    const char *name;
    const PropertyInfo *info;
    ptrdiff_t offset;
    uint8_t bitnr;
    bool set_default;
    union {
        int64_t i;
        uint64_t u;
    } defval;
    /* DEFINE_PROP_ARRAY */
    int arrayoffset;
    const PropertyInfo *arrayinfo;
    int arrayfieldsize;
    /* DEFINE_PROP_LINK */
    const char *link_type;
};

extern const PropertyInfo qdev_prop_bit;
extern const PropertyInfo qdev_prop_bool;
extern const PropertyInfo qdev_prop_uint8;
extern const PropertyInfo qdev_prop_uint16;
extern const PropertyInfo qdev_prop_uint32;
extern const PropertyInfo qdev_prop_int32;
extern const PropertyInfo qdev_prop_uint64;
extern const PropertyInfo qdev_prop_int64;
extern const PropertyInfo qdev_prop_size;
extern const PropertyInfo qdev_prop_string;
extern const PropertyInfo qdev_prop_link;
extern const PropertyInfo qdev_prop_arraylen;

/* Compile-time check that a field has the type the macro expects. */
#define qdev_type_check(t1, t2) \
    (0 * sizeof(char[__builtin_types_compatible_p(t1, t2) ? 1 : -1]))
#define qdev_field_type(_state, _field) typeof(((_state *)0)->_field)

#define DEFINE_PROP(_name, _state, _field, _prop, _type, ...) { \
        .name = (_name), \
        .info = &(_prop), \
        .offset = offsetof(_state, _field) \
            + qdev_type_check(_type, qdev_field_type(_state, _field)), \
        __VA_ARGS__ \
    }

#define DEFINE_PROP_SIGNED(_name, _state, _field, _defval, _prop, _type) \
    DEFINE_PROP(_name, _state, _field, _prop, _type, \
                .set_default = true, .defval.i = (_type)_defval)
#define DEFINE_PROP_UNSIGNED(_name, _state, _field, _defval, _prop, _type) \
    DEFINE_PROP(_name, _state, _field, _prop, _type, \
                .set_default = true, .defval.u = (_type)_defval)

#define DEFINE_PROP_BIT(_name, _state, _field, _bit, _defval) \
    DEFINE_PROP(_name, _state, _field, qdev_prop_bit, uint32_t, \
                .bitnr = (_bit), .set_default = true, \
                .defval.u = (bool)_defval)
#define DEFINE_PROP_BOOL(_name, _state, _field, _defval) \
    DEFINE_PROP(_name, _state, _field, qdev_prop_bool, bool, \
                .set_default = true, .defval.u = (bool)_defval)
#define DEFINE_PROP_UINT8(_n, _s, _f, _d) \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint8, uint8_t)
#define DEFINE_PROP_UINT16(_n, _s, _f, _d) \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint16, uint16_t)
#define DEFINE_PROP_UINT32(_n, _s, _f, _d) \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint32, uint32_t)
#define DEFINE_PROP_UINT64(_n, _s, _f, _d) \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_uint64, uint64_t)
#define DEFINE_PROP_INT32(_n, _s, _f, _d) \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_int32, int32_t)
#define DEFINE_PROP_INT64(_n, _s, _f, _d) \
    DEFINE_PROP_SIGNED(_n, _s, _f, _d, qdev_prop_int64, int64_t)
#define DEFINE_PROP_SIZE(_n, _s, _f, _d) \
    DEFINE_PROP_UNSIGNED(_n, _s, _f, _d, qdev_prop_size, uint64_t)
/* A char * field; freed with the device.  No default (NULL). */
#define DEFINE_PROP_STRING(_n, _s, _f) \
    DEFINE_PROP(_n, _s, _f, qdev_prop_string, char *)
/* A strong link<_type> held in an (_ptr_type) field. */
#define DEFINE_PROP_LINK(_name, _state, _field, _type, _ptr_type) { \
        .name = (_name), \
        .info = &qdev_prop_link, \
        .link_type = (_type), \
        .offset = offsetof(_state, _field) \
            + qdev_type_check(_ptr_type, qdev_field_type(_state, _field)), \
    }

/*
 * A variable-length array, QEMU style: the uint32_t property
 * "len-NAME" (field _field_count) must be set first; it allocates
 * _field_array (freed with the device) and creates the properties
 * "NAME[0]".."NAME[len-1]" of type _arrayprop.
 */
#define PROP_ARRAY_LEN_PREFIX "len-"
#define DEFINE_PROP_ARRAY(_name, _state, _field_count, _field_array, \
                          _arrayprop, _arraytype) { \
        .name = (PROP_ARRAY_LEN_PREFIX _name), \
        .info = &qdev_prop_arraylen, \
        .set_default = true, \
        .defval.u = 0, \
        .offset = offsetof(_state, _field_count) \
            + qdev_type_check(uint32_t, \
                              qdev_field_type(_state, _field_count)), \
        .arrayinfo = &(_arrayprop), \
        .arrayfieldsize = sizeof(_arraytype), \
        .arrayoffset = offsetof(_state, _field_array) \
            + qdev_type_check(_arraytype *, \
                              qdev_field_type(_state, _field_array)), \
    }

#define DEFINE_PROP_END_OF_LIST() { }

/* Register @props (ending with DEFINE_PROP_END_OF_LIST) on @dc. */
void device_class_set_props(DeviceClass *dc, Property *props);

/*
 * Setters for boards (before realize); a failure is a board bug and
 * aborts.
 */
void qdev_prop_set_bit(DeviceState *dev, const char *name, bool value);
void qdev_prop_set_uint8(DeviceState *dev, const char *name, uint8_t value);
void qdev_prop_set_uint16(DeviceState *dev, const char *name,
                          uint16_t value);
void qdev_prop_set_uint32(DeviceState *dev, const char *name,
                          uint32_t value);
void qdev_prop_set_int32(DeviceState *dev, const char *name, int32_t value);
void qdev_prop_set_uint64(DeviceState *dev, const char *name,
                          uint64_t value);
void qdev_prop_set_string(DeviceState *dev, const char *name,
                          const char *value);
void qdev_prop_set_enum(DeviceState *dev, const char *name, int value);

/* The error for a change after realize (for custom setters). */
void qdev_prop_set_after_realize(DeviceState *dev, const char *name,
                                 Error **errp);
/* Link check for DEFINE_PROP_LINK-style links: refused after realize. */
void qdev_prop_allow_set_link_before_realize(const Object *obj,
                                             const char *name,
                                             Object *val, Error **errp);

#endif /* HW_QDEV_PROPERTIES_H */
