/*
 * qdev-monitor.c: -device / device_add (see qdev_device_add() in
 * hw/qdev-core.h).
 */
#include "qemu/osdep.h"
#include "hw/qdev-core.h"
#include "hw/sysbus.h"
#include "qapi/error.h"

bool qbus_is_full(BusState *bus)
{
    BusClass *bc = BUS_GET_CLASS(bus);

    return bc->max_dev && bus->num_children >= bc->max_dev;
}

/*
 * Depth first from @bus, children newest first: the first bus matching
 * @name and/or @type that is not full, else the first full match.
 */
static BusState *qbus_find_recursive(BusState *bus, const char *name,
                                     const char *type)
{
    bool match = (!name || !strcmp(bus->name, name)) &&
                 (!type || object_dynamic_cast(OBJECT(bus), type));
    BusState *pick = match ? bus : NULL;

    if (match && !qbus_is_full(bus)) {
        return bus;
    }
    for (GList *l = bus->children; l; l = l->next) {
        DeviceState *dev = ((BusChild *)l->data)->child;

        for (GSList *b = dev->child_bus; b; b = b->next) {
            BusState *ret = qbus_find_recursive(b->data, name, type);

            if (ret && !qbus_is_full(ret)) {
                return ret;
            }
            pick = pick ? pick : ret;
        }
    }
    return pick;
}

BusState *qbus_find(const char *name, Error **errp)
{
    BusState *bus;

    if (name[0] == '/') {
        Object *obj = object_resolve_path(name, NULL);

        bus = obj ? (BusState *)object_dynamic_cast(obj, TYPE_BUS) : NULL;
    } else {
        bus = qbus_find_recursive(sysbus_get_default(), name, NULL);
    }
    if (!bus) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Bus '%s' not found",
                  name);
    }
    return bus;
}

static DeviceClass *device_class_for(const char *driver, Error **errp)
{
    ObjectClass *oc = object_class_by_name(driver);
    DeviceClass *dc;

    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        error_setg(errp, "'%s' is not a valid device model name", driver);
        return NULL;
    }
    if (object_class_is_abstract(oc)) {
        error_setg(errp, "Parameter 'driver' expects a non-abstract device "
                   "type");
        return NULL;
    }
    dc = DEVICE_CLASS(oc);
    if (!dc->user_creatable) {
        error_setg(errp, "Parameter 'driver' expects a pluggable device "
                   "type");
        return NULL;
    }
    return dc;
}

static BusState *bus_for(DeviceClass *dc, const char *driver,
                         const char *path, Error **errp)
{
    BusState *bus;

    if (path) {
        bus = qbus_find(path, errp);
        if (bus && (!dc->bus_type ||
                    !object_dynamic_cast(OBJECT(bus), dc->bus_type))) {
            error_setg(errp, "Device '%s' can't go on %s bus", driver,
                       object_get_typename(OBJECT(bus)));
            return NULL;
        }
        if (bus && qbus_is_full(bus)) {
            error_setg(errp, "Bus '%s' is full", path);
            return NULL;
        }
        return bus;
    }
    if (!dc->bus_type) {
        return NULL;
    }
    bus = qbus_find_recursive(sysbus_get_default(), NULL, dc->bus_type);
    if (!bus || qbus_is_full(bus)) {
        error_setg(errp, "No '%s' bus found for device '%s'", dc->bus_type,
                   driver);
        return NULL;
    }
    return bus;
}

/* /machine/peripheral/ID or /machine/peripheral-anon/device[N]. */
static bool device_place(DeviceState *dev, const char *id, Error **errp)
{
    static int anon_count;
    g_autofree char *name = NULL;
    Object *parent;

    if (id) {
        parent = container_get(qdev_get_machine(), "/peripheral");
        if (!object_property_try_add_child(parent, id, OBJECT(dev),
                                           NULL)) {
            error_setg(errp, "Duplicate ID '%s' for device", id);
            return false;
        }
        dev->id = g_strdup(id);
        return true;
    }
    /* A counter, as QEMU's: failed devices use up their number too. */
    if (!object_resolve_path_component(qdev_get_machine(),
                                       "peripheral-anon")) {
        anon_count = 0;
    }
    parent = container_get(qdev_get_machine(), "/peripheral-anon");
    name = g_strdup_printf("device[%d]", anon_count++);
    object_property_add_child(parent, name, OBJECT(dev));
    return true;
}

static bool is_reserved_key(const char *key)
{
    return !strcmp(key, "driver") || !strcmp(key, "bus") ||
           !strcmp(key, "id");
}

static bool device_set_opts(DeviceState *dev, QemuOpts *opts,
                            Error **errp)
{
    for (guint i = 0; i < qemu_opt_count(opts); i++) {
        const QemuOpt *opt = qemu_opt_nth(opts, i);

        if (!is_reserved_key(opt->name) &&
            !object_property_parse_keyval(OBJECT(dev), opt->name, opt->str,
                                          errp)) {
            return false;
        }
    }
    return true;
}

DeviceState *qdev_device_add(QemuOpts *opts, Error **errp)
{
    const char *driver = qemu_opt_get(opts, "driver");
    DeviceClass *dc;
    BusState *bus = NULL;
    Error *err = NULL;
    DeviceState *dev;

    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    dc = device_class_for(driver, errp);
    if (!dc) {
        return NULL;
    }
    bus = bus_for(dc, driver, qemu_opt_get(opts, "bus"), &err);
    if (err) {
        error_propagate(errp, err);
        return NULL;
    }

    dev = qdev_new(driver);
    if (!device_place(dev, qemu_opts_id(opts), errp)) {
        object_unref(dev);
        return NULL;
    }
    if (!device_set_opts(dev, opts, errp) ||
        !qdev_realize(dev, bus, errp)) {
        object_unparent(OBJECT(dev));
        object_unref(dev);
        return NULL;
    }
    object_unref(dev);
    return dev;
}

/* ---- -device help ---- */

static const char *const category_names[DEVICE_CATEGORY_MAX + 1] = {
    [DEVICE_CATEGORY_BRIDGE] = "Controller/Bridge/Hub",
    [DEVICE_CATEGORY_USB] = "USB",
    [DEVICE_CATEGORY_STORAGE] = "Storage",
    [DEVICE_CATEGORY_NETWORK] = "Network",
    [DEVICE_CATEGORY_INPUT] = "Input",
    [DEVICE_CATEGORY_DISPLAY] = "Display",
    [DEVICE_CATEGORY_SOUND] = "Sound",
    [DEVICE_CATEGORY_MISC] = "Misc",
    [DEVICE_CATEGORY_CPU] = "CPU",
    [DEVICE_CATEGORY_WATCHDOG] = "Watchdog",
    [DEVICE_CATEGORY_MAX] = "Uncategorized",
};

static void print_devinfo(DeviceClass *dc)
{
    printf("name \"%s\"", object_class_get_name(OBJECT_CLASS(dc)));
    if (dc->bus_type) {
        printf(", bus %s", dc->bus_type);
    }
    if (dc->desc) {
        printf(", desc \"%s\"", dc->desc);
    }
    printf("\n");
}

static bool in_category(DeviceClass *dc, int cat)
{
    if (cat == DEVICE_CATEGORY_MAX) {
        return dc->categories == 0;
    }
    return dc->categories & (1ul << cat);
}

void qdev_print_device_list(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_DEVICE, false);

    for (int cat = 0; cat <= DEVICE_CATEGORY_MAX; cat++) {
        bool printed = false;

        for (GSList *l = list; l; l = l->next) {
            DeviceClass *dc = DEVICE_CLASS(l->data);

            if (!dc->user_creatable || !in_category(dc, cat)) {
                continue;
            }
            if (!printed) {
                printf("%s%s devices:\n", cat ? "\n" : "",
                       category_names[cat]);
                printed = true;
            }
            print_devinfo(dc);
        }
    }
    g_slist_free(list);
}
