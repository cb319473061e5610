/*
 * sysbus.c: system bus devices (see hw/sysbus.h).
 */
#include "qemu/osdep.h"
#include "hw/sysbus.h"
#include "sysemu/reset.h"
#include "qapi/error.h"

static void main_bus_reset(void *opaque)
{
    bus_cold_reset(opaque);
}

/*
 * The bus lives for the whole run (the reset list points at it): we keep
 * our own reference, and put it back in the tree if /machine was torn
 * down and rebuilt (unit tests do that).
 */
BusState *sysbus_get_default(void)
{
    static BusState *main_system_bus;

    if (!main_system_bus) {
        main_system_bus = qbus_new(TYPE_SYSTEM_BUS, NULL, "sysbus");
        object_ref(main_system_bus);
        main_system_bus->realized = true;
        qemu_register_reset(main_bus_reset, main_system_bus);
    } else if (!OBJECT(main_system_bus)->parent) {
        object_property_add_child(machine_get_container_unattached(),
                                  "sysbus", OBJECT(main_system_bus));
    }
    return main_system_bus;
}

void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *memory)
{
    int n = dev->num_mmio++;

    g_assert(n < QDEV_MAX_MMIO);
    dev->mmio[n].addr = (hwaddr)-1;
    dev->mmio[n].memory = memory;
}

MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    return dev->mmio[n].memory;
}

bool sysbus_has_mmio(SysBusDevice *dev, unsigned int n)
{
    return n < (unsigned int)dev->num_mmio;
}

void sysbus_mmio_unmap(SysBusDevice *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    if (dev->mmio[n].addr != (hwaddr)-1) {
        memory_region_del_subregion(get_system_memory(),
                                    dev->mmio[n].memory);
        dev->mmio[n].addr = (hwaddr)-1;
    }
}

static void mmio_map(SysBusDevice *dev, int n, hwaddr addr, bool overlap,
                     int priority)
{
    g_assert(n >= 0 && n < dev->num_mmio);
    if (dev->mmio[n].addr == addr) {
        return;
    }
    sysbus_mmio_unmap(dev, n);
    dev->mmio[n].addr = addr;
    if (overlap) {
        memory_region_add_subregion_overlap(get_system_memory(), addr,
                                            dev->mmio[n].memory, priority);
    } else {
        memory_region_add_subregion(get_system_memory(), addr,
                                    dev->mmio[n].memory);
    }
}

void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr)
{
    mmio_map(dev, n, addr, false, 0);
}

void sysbus_mmio_map_overlap(SysBusDevice *dev, int n, hwaddr addr,
                             int priority)
{
    mmio_map(dev, n, addr, true, priority);
}

void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p)
{
    qdev_init_gpio_out_named(DEVICE(dev), p, SYSBUS_DEVICE_GPIO_IRQ, 1);
}

void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq)
{
    qdev_connect_gpio_out_named(DEVICE(dev), SYSBUS_DEVICE_GPIO_IRQ, n,
                                irq);
}

qemu_irq sysbus_get_connected_irq(SysBusDevice *dev, int n)
{
    return qdev_get_gpio_out_connector(DEVICE(dev), SYSBUS_DEVICE_GPIO_IRQ,
                                       n);
}

bool sysbus_has_irq(SysBusDevice *dev, int n)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(DEVICE(dev),
                                                 SYSBUS_DEVICE_GPIO_IRQ);

    return gl && n >= 0 && n < gl->num_out;
}

/* @dev's interrupt outputs become @target's (for wrapper devices). */
void sysbus_pass_irq(SysBusDevice *dev, SysBusDevice *target)
{
    NamedGPIOList *gl = qdev_get_named_gpio_list(DEVICE(target),
                                                 SYSBUS_DEVICE_GPIO_IRQ);

    for (int i = 0; gl && i < gl->num_out; i++) {
        qdev_init_gpio_out_named(DEVICE(dev), gl->out[i],
                                 SYSBUS_DEVICE_GPIO_IRQ, 1);
    }
}

bool sysbus_realize(SysBusDevice *dev, Error **errp)
{
    return qdev_realize(DEVICE(dev), sysbus_get_default(), errp);
}

bool sysbus_realize_and_unref(SysBusDevice *dev, Error **errp)
{
    return qdev_realize_and_unref(DEVICE(dev), sysbus_get_default(), errp);
}

DeviceState *sysbus_create_varargs(const char *name, hwaddr addr, ...)
{
    DeviceState *dev = qdev_new(name);
    SysBusDevice *s = SYS_BUS_DEVICE(dev);
    va_list va;
    qemu_irq irq;

    sysbus_realize_and_unref(s, &error_fatal);
    if (addr != (hwaddr)-1) {
        sysbus_mmio_map(s, 0, addr);
    }
    va_start(va, addr);
    for (int n = 0; (irq = va_arg(va, qemu_irq)); n++) {
        sysbus_connect_irq(s, n, irq);
    }
    va_end(va);
    return dev;
}

static void sysbus_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_SYSTEM_BUS;
    /* Boards place sysbus devices; -device cannot map them. */
    dc->user_creatable = false;
}

static const TypeInfo sysbus_types[] = {
    {
        .name = TYPE_SYSTEM_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(BusState),
    }, {
        .name = TYPE_SYS_BUS_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(SysBusDevice),
        .abstract = true,
        .class_size = sizeof(SysBusDeviceClass),
        .class_init = sysbus_device_class_init,
    },
};

DEFINE_TYPES(sysbus_types)
