/*
 * qdev-globals.c: -global DRIVER.PROP=VALUE, default property values for
 * every device of a type (and of its subtypes), applied when the device
 * is created, before any property the creator sets.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "hw/qdev-core.h"
#include "hw/qdev-globals.h"

typedef struct GlobalProperty {
    char *driver;
    char *property;
    char *value;
    bool used;
} GlobalProperty;

/* Registered at start-up, read when devices are created; big lock. */
static GPtrArray *global_props;

void qdev_prop_register_global(const char *driver, const char *property,
                               const char *value)
{
    GlobalProperty *g = g_new0(GlobalProperty, 1);

    g->driver = g_strdup(driver);
    g->property = g_strdup(property);
    g->value = g_strdup(value);
    if (!global_props) {
        global_props = g_ptr_array_new();
    }
    g_ptr_array_add(global_props, g);
}

bool qdev_global_parse(const char *text, Error **errp)
{
    const char *dot = strchr(text, '.');
    const char *eq = dot ? strchr(dot, '=') : NULL;
    g_autofree char *driver = NULL, *property = NULL;

    if (!dot || !eq || dot == text || eq == dot + 1) {
        error_setg(errp, "expected DRIVER.PROPERTY=VALUE "
                   "(e.g. virtio-mmio.force-legacy=off)");
        return false;
    }
    driver = g_strndup(text, dot - text);
    property = g_strndup(dot + 1, eq - dot - 1);
    qdev_prop_register_global(driver, property, eq + 1);
    return true;
}

void qdev_prop_set_globals(DeviceState *dev)
{
    Object *obj = OBJECT(dev);

    for (guint i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);
        Error *err = NULL;

        if (!object_dynamic_cast(obj, g->driver)) {
            continue;
        }
        g->used = true;
        if (!object_property_parse(obj, g->property, g->value, &err)) {
            error_report("can't apply global %s.%s=%s: %s", g->driver,
                         g->property, g->value, error_get_pretty(err));
            error_free(err);
            exit(1);
        }
    }
}

void qdev_prop_check_globals(void)
{
    for (guint i = 0; global_props && i < global_props->len; i++) {
        GlobalProperty *g = g_ptr_array_index(global_props, i);

        if (g->used) {
            continue;
        }
        if (!object_class_by_name(g->driver)) {
            warn_report("global %s.%s has invalid class name", g->driver,
                        g->property);
        } else {
            warn_report("global %s.%s=%s not used", g->driver,
                        g->property, g->value);
        }
    }
}
