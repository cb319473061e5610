/*
 * qdev.c: devices, buses, GPIO lines (see hw/qdev-core.h).
 */
#include "qemu/osdep.h"
#include "hw/qdev-core.h"
#include "hw/qdev-globals.h"
#include "hw/qdev-properties.h"
#include "qapi/error.h"

/* ---- Tree ---- */

Object *qdev_get_machine(void)
{
    return container_get(object_get_root(), "/machine");
}

/*
 * QEMU numbers unattached devices with a counter that only goes back on
 * a failed realize, so an unplugged device[3] leaves a gap.  The counter
 * restarts with a new /machine/unattached (unit tests rebuild /machine).
 */
static int unattached_count;

Object *machine_get_container_unattached(void)
{
    Object *machine = qdev_get_machine();

    if (!object_resolve_path_component(machine, "unattached")) {
        unattached_count = 0;
    }
    return container_get(machine, "/unattached");
}

DeviceState *qdev_try_new(const char *name)
{
    ObjectClass *oc = object_class_by_name(name);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        return NULL;
    }
    return DEVICE(object_new_with_class(oc));
}

DeviceState *qdev_new(const char *name)
{
    DeviceState *dev = qdev_try_new(name);

    if (!dev) {
        fprintf(stderr, "unknown device type '%s'\n", name);
        abort();
    }
    return dev;
}

/* ---- Buses ---- */

static void bus_remove_child(BusState *bus, DeviceState *dev)
{
    for (GList *l = bus->children; l; l = l->next) {
        BusChild *kid = l->data;

        if (kid->child == dev) {
            bus->children = g_list_delete_link(bus->children, l);
            bus->num_children--;
            g_free(kid);
            dev->parent_bus = NULL;
            object_unref(bus);
            object_unref(dev);
            return;
        }
    }
}

bool qdev_set_parent_bus(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    BusChild *kid;

    if (dc->bus_type && !object_dynamic_cast(OBJECT(bus), dc->bus_type)) {
        error_setg(errp, "Bus '%s' is not of type '%s'", bus->name,
                   dc->bus_type);
        return false;
    }
    if (dev->parent_bus) {
        bus_remove_child(dev->parent_bus, dev);
    }

    /* Newest first, as QEMU's bus lists (reset walks this order). */
    kid = g_new0(BusChild, 1);
    kid->child = dev;
    kid->index = bus->num_children++;
    bus->children = g_list_prepend(bus->children, kid);
    object_ref(dev);
    dev->parent_bus = bus;
    object_ref(bus);
    return true;
}

BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name)
{
    BusState *bus = BUS(object_new(typename));

    bus->parent = parent;
    bus->name = g_strdup(name);
    if (parent) {
        parent->child_bus = g_slist_append(parent->child_bus, bus);
        parent->num_child_bus++;
        object_property_add_child(OBJECT(parent), name, OBJECT(bus));
        object_unref(bus);
    } else if (name) {
        object_property_add_child(machine_get_container_unattached(),
                                  name, OBJECT(bus));
        object_unref(bus);
    }
    return bus;
}

BusState *qdev_get_parent_bus(DeviceState *dev)
{
    return dev->parent_bus;
}

BusState *qdev_get_child_bus(DeviceState *dev, const char *name)
{
    for (GSList *l = dev->child_bus; l; l = l->next) {
        BusState *bus = l->data;

        if (!strcmp(bus->name, name)) {
            return bus;
        }
    }
    return NULL;
}

/* A bus leaving the tree takes its devices with it. */
static void bus_unparent(Object *obj)
{
    BusState *bus = BUS(obj);

    while (bus->children) {
        object_unparent(OBJECT(((BusChild *)bus->children->data)->child));
    }
    if (bus->parent) {
        bus->parent->child_bus = g_slist_remove(bus->parent->child_bus, bus);
        bus->parent->num_child_bus--;
        bus->parent = NULL;
    }
}

static void bus_class_init(ObjectClass *oc, void *data)
{
    oc->unparent = bus_unparent;
}

static void bus_finalize(Object *obj)
{
    BusState *bus = BUS(obj);

    g_assert(!bus->children);
    g_free(bus->name);
}

/* ---- Reset ---- */

void bus_cold_reset(BusState *bus)
{
    BusClass *bc = BUS_GET_CLASS(bus);

    for (GList *l = bus->children; l; l = l->next) {
        BusChild *kid = l->data;

        device_cold_reset(kid->child);
    }
    if (bc->reset) {
        bc->reset(bus);
    }
}

void device_cold_reset(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    for (GSList *l = dev->child_bus; l; l = l->next) {
        bus_cold_reset(l->data);
    }
    if (dc->reset) {
        dc->reset(dev);
    }
}

void device_class_set_category(DeviceClass *dc, DeviceCategory cat)
{
    dc->categories |= 1ul << cat;
}

void device_class_set_legacy_reset(DeviceClass *dc, DeviceReset reset)
{
    dc->reset = reset;
}

/* ---- Realize ---- */

static bool device_get_realized(Object *obj, Error **errp)
{
    return DEVICE(obj)->realized;
}

static void device_unrealize_now(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    /* Devices on our buses go first: they may use us. */
    for (GSList *l = dev->child_bus; l; l = l->next) {
        BusState *bus = l->data;

        for (GList *c = bus->children; c; c = c->next) {
            qdev_unrealize(((BusChild *)c->data)->child);
        }
        bus->realized = false;
    }
    if (dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
}

static void unattached_add(Object *obj)
{
    Object *container = machine_get_container_unattached();
    g_autofree char *name = g_strdup_printf("device[%d]",
                                            unattached_count++);

    object_property_add_child(container, name, obj);
}

static void device_set_realized(Object *obj, bool value, Error **errp)
{
    DeviceState *dev = DEVICE(obj);
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    Error *err = NULL;
    bool unattached = false;

    if (value == dev->realized) {
        return;
    }
    if (!value) {
        device_unrealize_now(dev);
        return;
    }

    if (!obj->parent) {
        unattached_add(obj);
        unattached = true;
    }
    if (dc->realize) {
        dc->realize(dev, &err);
    }
    if (err) {
        /* Leave no trace: the device[N] slot is free again. */
        if (unattached) {
            object_unparent(obj);
            unattached_count--;
        }
        error_propagate(errp, err);
        return;
    }
    for (GSList *l = dev->child_bus; l; l = l->next) {
        ((BusState *)l->data)->realized = true;
    }
    dev->realized = true;
}

bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (bus) {
        if (!qdev_set_parent_bus(dev, bus, errp)) {
            return false;
        }
    } else if (dc->bus_type && !dev->parent_bus) {
        error_setg(errp, "Device '%s' needs a bus of type '%s'",
                   object_get_typename(OBJECT(dev)), dc->bus_type);
        return false;
    }
    return object_property_set_bool(OBJECT(dev), "realized", true, errp);
}

bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, Error **errp)
{
    bool ok = qdev_realize(dev, bus, errp);

    object_unref(dev);
    return ok;
}

void qdev_unrealize(DeviceState *dev)
{
    object_property_set_bool(OBJECT(dev), "realized", false, &error_abort);
}

/* Leaving the tree: unrealize and leave the bus. */
static void device_unparent(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    if (dev->realized) {
        qdev_unrealize(dev);
    }
    while (dev->child_bus) {
        object_unparent(OBJECT(dev->child_bus->data));
    }
    if (dev->parent_bus) {
        bus_remove_child(dev->parent_bus, dev);
    }
}

/* ---- GPIO ---- */

struct GPIOIntercept {
    qemu_irq_handler handler;       /* the observer */
    void *opaque;
    qemu_irq_handler orig_handler;  /* inputs: the device's handler */
    void *orig_opaque;
    qemu_irq orig_irq;              /* outputs: the real connection */
};

NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev,
                                        const char *name)
{
    for (NamedGPIOList *gl = dev->gpios; gl; gl = gl->next) {
        if (g_strcmp0(gl->name, name) == 0) {
            return gl;
        }
    }
    return NULL;
}

static NamedGPIOList *gpio_list_get(DeviceState *dev, const char *name)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(dev, name);
    NamedGPIOList **tail = &dev->gpios;

    if (gl) {
        return gl;
    }
    gl = g_new0(NamedGPIOList, 1);
    gl->name = g_strdup(name);
    while (*tail) {
        tail = &(*tail)->next;
    }
    *tail = gl;
    return gl;
}

void qdev_init_gpio_in_named_with_opaque(DeviceState *dev,
                                         qemu_irq_handler handler,
                                         void *opaque, const char *name,
                                         int n)
{
    NamedGPIOList *gl = gpio_list_get(dev, name);

    gl->in = g_renew(qemu_irq, gl->in, gl->num_in + n);
    gl->in_icpt = g_renew(GPIOIntercept *, gl->in_icpt, gl->num_in + n);
    for (int i = 0; i < n; i++) {
        gl->in[gl->num_in + i] = qemu_allocate_irq(handler, opaque,
                                                   gl->num_in + i);
        gl->in_icpt[gl->num_in + i] = NULL;
    }
    gl->num_in += n;
}

void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler,
                             const char *name, int n)
{
    qdev_init_gpio_in_named_with_opaque(dev, handler, dev, name, n);
}

void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n)
{
    qdev_init_gpio_in_named(dev, handler, NULL, n);
}

void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins,
                              const char *name, int n)
{
    NamedGPIOList *gl = gpio_list_get(dev, name);

    gl->out = g_renew(qemu_irq *, gl->out, gl->num_out + n);
    gl->out_icpt = g_renew(GPIOIntercept *, gl->out_icpt,
                           gl->num_out + n);
    for (int i = 0; i < n; i++) {
        gl->out[gl->num_out + i] = &pins[i];
        gl->out_icpt[gl->num_out + i] = NULL;
    }
    gl->num_out += n;
}

void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n)
{
    qdev_init_gpio_out_named(dev, pins, NULL, n);
}

static NamedGPIOList *gpio_list_checked(DeviceState *dev, const char *name,
                                        int n, bool out)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(dev, name);

    if (!gl || n < 0 || n >= (out ? gl->num_out : gl->num_in)) {
        fprintf(stderr, "%s: device '%s' has no GPIO %s line '%s'[%d]\n",
                __func__, object_get_typename(OBJECT(dev)),
                out ? "output" : "input", name ? name : "unnamed", n);
        abort();
    }
    return gl;
}

qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n)
{
    return gpio_list_checked(dev, name, n, false)->in[n];
}

qemu_irq qdev_get_gpio_in(DeviceState *dev, int n)
{
    return qdev_get_gpio_in_named(dev, NULL, n);
}

void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                 qemu_irq input_pin)
{
    NamedGPIOList *gl = gpio_list_checked(dev, name, n, true);

    /* An intercepted line keeps its interceptor in front. */
    if (gl->out_icpt[n]) {
        gl->out_icpt[n]->orig_irq = input_pin;
    } else {
        *gl->out[n] = input_pin;
    }
}

void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq input_pin)
{
    qdev_connect_gpio_out_named(dev, NULL, n, input_pin);
}

qemu_irq qdev_get_gpio_out_connector(DeviceState *dev, const char *name,
                                     int n)
{
    NamedGPIOList *gl = gpio_list_checked(dev, name, n, true);

    return gl->out_icpt[n] ? gl->out_icpt[n]->orig_irq : *gl->out[n];
}

static void intercept_in_fwd(void *opaque, int n, int level)
{
    GPIOIntercept *icpt = opaque;

    icpt->orig_handler(icpt->orig_opaque, n, level);
    icpt->handler(icpt->opaque, n, level);
}

static void intercept_out_fwd(void *opaque, int n, int level)
{
    GPIOIntercept *icpt = opaque;

    qemu_set_irq(icpt->orig_irq, level);
    icpt->handler(icpt->opaque, n, level);
}

bool qdev_intercept_gpio_in(DeviceState *dev, qemu_irq_handler handler,
                            void *opaque)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(dev, NULL);

    if (!gl || !gl->num_in) {
        return false;
    }
    for (int i = 0; i < gl->num_in; i++) {
        GPIOIntercept *icpt = gl->in_icpt[i];

        if (!icpt) {
            icpt = gl->in_icpt[i] = g_new0(GPIOIntercept, 1);
            icpt->orig_handler = gl->in[i]->handler;
            icpt->orig_opaque = gl->in[i]->opaque;
            gl->in[i]->handler = intercept_in_fwd;
            gl->in[i]->opaque = icpt;
        }
        icpt->handler = handler;
        icpt->opaque = opaque;
    }
    return true;
}

bool qdev_intercept_gpio_out(DeviceState *dev, qemu_irq_handler handler,
                             void *opaque)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(dev, NULL);

    if (!gl || !gl->num_out) {
        return false;
    }
    for (int i = 0; i < gl->num_out; i++) {
        GPIOIntercept *icpt = gl->out_icpt[i];

        if (!icpt) {
            icpt = gl->out_icpt[i] = g_new0(GPIOIntercept, 1);
            icpt->orig_irq = *gl->out[i];
            *gl->out[i] = qemu_allocate_irq(intercept_out_fwd, icpt, i);
        }
        icpt->handler = handler;
        icpt->opaque = opaque;
    }
    return true;
}

static void gpio_list_free(NamedGPIOList *gl)
{
    for (int i = 0; i < gl->num_in; i++) {
        qemu_free_irq(gl->in[i]);
        g_free(gl->in_icpt[i]);
    }
    for (int i = 0; i < gl->num_out; i++) {
        if (gl->out_icpt[i]) {
            qemu_free_irq(*gl->out[i]);
            *gl->out[i] = gl->out_icpt[i]->orig_irq;
            g_free(gl->out_icpt[i]);
        }
    }
    g_free(gl->in);
    g_free(gl->in_icpt);
    g_free(gl->out);
    g_free(gl->out_icpt);
    g_free(gl->name);
    g_free(gl);
}

/* ---- Help ---- */

bool qdev_device_print_help(const char *type)
{
    static const char *const skip[] = {
        "type", "realized", "hotpluggable", "hotplugged", "parent_bus",
        NULL
    };
    ObjectClass *oc = object_class_by_name(type);
    g_autofree char *lines = NULL;

    if (!oc || !object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        return false;
    }
    lines = object_class_properties_help(oc, skip);
    if (*lines) {
        printf("%s options:\n%s", type, lines);
    } else {
        printf("There are no options for %s.\n", type);
    }
    return true;
}

/* ---- Types ---- */

static void device_finalize(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    while (dev->gpios) {
        NamedGPIOList *gl = dev->gpios;

        dev->gpios = gl->next;
        gpio_list_free(gl);
    }
    g_free(dev->id);
}

static bool device_get_hotpluggable(Object *obj, Error **errp)
{
    return DEVICE_GET_CLASS(obj)->hotpluggable;
}

static bool device_get_hotplugged(Object *obj, Error **errp)
{
    return DEVICE(obj)->hotplugged;
}

static void device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    oc->unparent = device_unparent;
    dc->user_creatable = true;
    dc->hotpluggable = true;
    object_class_property_add_bool(oc, "realized", device_get_realized,
                                   device_set_realized);
    object_class_property_add_bool(oc, "hotpluggable",
                                   device_get_hotpluggable, NULL);
    object_class_property_add_bool(oc, "hotplugged",
                                   device_get_hotplugged, NULL);
    object_class_property_add_link(oc, "parent_bus", TYPE_BUS,
                                   offsetof(DeviceState, parent_bus),
                                   NULL, 0);
}

/* Globals come after the type's own defaults and before the creator's
 * properties. */
static void device_post_init(Object *obj)
{
    qdev_prop_set_globals(DEVICE(obj));
}

static const TypeInfo device_type_info = {
    .name = TYPE_DEVICE,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(DeviceState),
    .instance_post_init = device_post_init,
    .instance_finalize = device_finalize,
    .abstract = true,
    .class_size = sizeof(DeviceClass),
    .class_init = device_class_init,
};

static const TypeInfo bus_info = {
    .name = TYPE_BUS,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(BusState),
    .instance_finalize = bus_finalize,
    .abstract = true,
    .class_size = sizeof(BusClass),
    .class_init = bus_class_init,
};

static void qdev_register_types(void)
{
    type_register_static(&device_type_info);
    type_register_static(&bus_info);
}

type_init(qdev_register_types)
