/*
 * qdev-core.h: devices (TYPE_DEVICE), buses and GPIO lines.
 *
 * Life of a device:
 *   dev = qdev_new(TYPE_FOO);              instance_init: props, MMIO,
 *                                          GPIO lines
 *   qdev_prop_set_uint32(dev, "num", 4);   configuration (before realize)
 *   qdev_realize_and_unref(dev, bus, &error_fatal);
 *                                          realize(): checks, resources
 *   ... device_cold_reset() at every system reset (via its bus) ...
 *   object_unparent(OBJECT(dev));          unrealize(), then freed
 *
 * A device realized without a parent in the composition tree is added as
 * /machine/unattached/device[N], N counting up from 0 as in QEMU.
 * Properties declared with device_class_set_props() refuse changes after
 * realize.  Everything here runs under the big lock.
 */
#ifndef HW_QDEV_CORE_H
#define HW_QDEV_CORE_H

#include "qom/object.h"
#include "qemu/option.h"
#include "hw/irq.h"

#define TYPE_DEVICE "device"
#define TYPE_BUS "bus"

typedef struct Property Property;
typedef struct BusState BusState;
typedef struct BusClass BusClass;
OBJECT_DECLARE_TYPE(DeviceState, DeviceClass, DEVICE)
DECLARE_OBJ_CHECKERS(BusState, BusClass, BUS, TYPE_BUS)

/* Sections of "-device help", in QEMU's order. */
typedef enum DeviceCategory {
    DEVICE_CATEGORY_BRIDGE,
    DEVICE_CATEGORY_USB,
    DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK,
    DEVICE_CATEGORY_INPUT,
    DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_SOUND,
    DEVICE_CATEGORY_MISC,
    DEVICE_CATEGORY_CPU,
    DEVICE_CATEGORY_WATCHDOG,
    DEVICE_CATEGORY_MAX
} DeviceCategory;

typedef void (*DeviceRealize)(DeviceState *dev, Error **errp);
typedef void (*DeviceUnrealize)(DeviceState *dev);
typedef void (*DeviceReset)(DeviceState *dev);

struct DeviceClass {
    ObjectClass parent_class;

    const char *desc;           /* "-device help" text */
    unsigned long categories;   /* 1 << DeviceCategory; see below */
    const char *fw_name;
    Property *props_;           /* set by device_class_set_props() */
    /* False for devices only boards create ("-device" refuses them). */
    bool user_creatable;
    bool hotpluggable;

    /*
     * realize: check properties, allocate, connect; on failure set *errp
     * and leave no side effect.  unrealize undoes it.  reset returns the
     * device to its power-on state (called at every system reset).
     */
    DeviceRealize realize;
    DeviceUnrealize unrealize;
    DeviceReset reset;

    /* The bus type the device plugs into (NULL: none). */
    const char *bus_type;
};

/*
 * GPIO lines of a device, one list per name (NULL = the unnamed list,
 * which qtest's irq_intercept_in/out and set_irq_in "unnamed-gpio-in"
 * address).  in[i] are the device's input lines; out[i] point at the
 * device's qemu_irq fields that its outputs are raised through.
 */
typedef struct GPIOIntercept GPIOIntercept;
typedef struct NamedGPIOList NamedGPIOList;
struct NamedGPIOList {
    char *name;
    qemu_irq *in;
    int num_in;
    qemu_irq **out;
    int num_out;
    GPIOIntercept **in_icpt;    /* per line, NULL if not intercepted */
    GPIOIntercept **out_icpt;
    NamedGPIOList *next;
};

struct DeviceState {
    Object parent_obj;

    char *id;                   /* -device id=, or NULL */
    bool realized;
    bool pending_deleted_event;
    int hotplugged;
    BusState *parent_bus;
    NamedGPIOList *gpios;
    GSList *child_bus;          /* BusState * */
    int num_child_bus;
};

struct BusClass {
    ObjectClass parent_class;
    /* Extra reset work of the bus itself (children are reset anyway). */
    void (*reset)(BusState *bus);
    /* Devices the bus can hold (0: no limit); -device skips full buses. */
    int max_dev;
};

typedef struct BusChild {
    DeviceState *child;
    int index;
} BusChild;

struct BusState {
    Object obj;
    DeviceState *parent;        /* NULL for the main system bus */
    char *name;
    GList *children;            /* BusChild *, newest first (as QEMU) */
    int num_children;
    bool realized;
};

/* ---- Creation and realize ---- */

/* A new device of @name (aborts if no such device type). */
DeviceState *qdev_new(const char *name);
/* NULL if @name is not a known device type. */
DeviceState *qdev_try_new(const char *name);
/*
 * Plug @dev into @bus (if not NULL) and realize it.  A device whose
 * class has a bus_type needs that bus (sysbus devices:
 * sysbus_realize()).  Errors from realize() are passed on; the device is
 * then left unrealized.
 */
bool qdev_realize(DeviceState *dev, BusState *bus, Error **errp);
/* qdev_realize() then drop the caller's reference (the composition tree
 * keeps the device). */
bool qdev_realize_and_unref(DeviceState *dev, BusState *bus,
                            Error **errp);
void qdev_unrealize(DeviceState *dev);
bool qdev_set_parent_bus(DeviceState *dev, BusState *bus, Error **errp);

/* /machine (a container until a machine is created). */
Object *qdev_get_machine(void);
/* qdev_get_machine()'s /unattached container. */
Object *machine_get_container_unattached(void);

/* The device's reset and its buses' devices (children first). */
void device_cold_reset(DeviceState *dev);
void bus_cold_reset(BusState *bus);
/* List the device under @cat in "-device help" (QEMU: set_bit()). */
void device_class_set_category(DeviceClass *dc, DeviceCategory cat);
/* Set dc->reset (QEMU's name for the single-phase reset hook). */
void device_class_set_legacy_reset(DeviceClass *dc, DeviceReset reset);

/*
 * A new bus of @typename named @name, child of @parent (or unattached
 * when @parent is NULL).
 */
BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name);
BusState *qdev_get_parent_bus(DeviceState *dev);
BusState *qdev_get_child_bus(DeviceState *dev, const char *name);

/* ---- GPIO ---- */

/* @n input lines; the handler gets (@dev, line number, level). */
void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n);
void qdev_init_gpio_in_named(DeviceState *dev, qemu_irq_handler handler,
                             const char *name, int n);
void qdev_init_gpio_in_named_with_opaque(DeviceState *dev,
                                         qemu_irq_handler handler,
                                         void *opaque, const char *name,
                                         int n);
/* @n output lines raised through pins[0..n-1] (fields of the device). */
void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n);
void qdev_init_gpio_out_named(DeviceState *dev, qemu_irq *pins,
                              const char *name, int n);
/* Input line @n; aborts when out of range (a board bug). */
qemu_irq qdev_get_gpio_in(DeviceState *dev, int n);
qemu_irq qdev_get_gpio_in_named(DeviceState *dev, const char *name, int n);
/* Drive input line @input_pin from output line @n of @dev. */
void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq input_pin);
void qdev_connect_gpio_out_named(DeviceState *dev, const char *name, int n,
                                 qemu_irq input_pin);
/* What output line @n is connected to (NULL: nothing). */
qemu_irq qdev_get_gpio_out_connector(DeviceState *dev, const char *name,
                                     int n);
/* The list of lines named @name (NULL: unnamed), or NULL if none. */
NamedGPIOList *qdev_get_named_gpio_list(DeviceState *dev,
                                        const char *name);

/*
 * qtest interception.  qdev_intercept_gpio_in(): every unnamed input
 * line of @dev also calls @handler(@opaque, line, level) after the
 * device's own handler.  qdev_intercept_gpio_out(): every unnamed output
 * line of @dev calls @handler(@opaque, line, level) after passing the
 * level on to whatever it is connected to (connections made later are
 * honoured).  Calling again replaces the observer.  Return false (doing
 * nothing) when the device has no such unnamed lines.
 */
bool qdev_intercept_gpio_in(DeviceState *dev, qemu_irq_handler handler,
                            void *opaque);
bool qdev_intercept_gpio_out(DeviceState *dev, qemu_irq_handler handler,
                             void *opaque);

/*
 * -device / device_add: create, configure and realize a device from
 * @opts (keys: "driver", optional "bus" (a bus name or QOM path) and
 * the device's properties; the QemuOpts id becomes /machine/peripheral/ID,
 * without one /machine/peripheral-anon/device[N]).  Without "bus", a
 * device that needs a bus goes on the first non-full bus of its type
 * found from the main system bus, newest devices first (so on riscv virt
 * the last virtio-mmio transport, as QEMU).  Errors are QEMU 7.2's:
 * "Parameter 'driver' is missing", "'x' is not a valid device model
 * name", "Parameter 'driver' expects a non-abstract device type",
 * "Parameter 'driver' expects a pluggable device type", "Bus 'b' not
 * found", "Device 'x' can't go on T bus", "No 'T' bus found for device
 * 'x'", "Duplicate ID 'id' for device", property errors ("Property
 * 'x.p' not found", "Parameter 'p' expects integer") and realize errors.
 * Returns the device (owned by the tree) or NULL.
 */
DeviceState *qdev_device_add(QemuOpts *opts, Error **errp);
/* The bus named @name (or at QOM path @name), searched from the main
 * system bus; NULL if none. */
BusState *qbus_find(const char *name, Error **errp);
bool qbus_is_full(BusState *bus);

/*
 * "-device help": every user creatable device by category, sorted:
 * "Storage devices:" then lines 'name "virtio-blk-device", bus
 * virtio-bus, desc "..."', a blank line between categories, devices
 * without a category last under "Uncategorized devices:".
 */
void qdev_print_device_list(void);

/*
 * "-device TYPE,help": print "TYPE options:" and the property lines
 * (user-visible properties only).  False if @type is not a device type.
 */
bool qdev_device_print_help(const char *type);

#endif /* HW_QDEV_CORE_H */
