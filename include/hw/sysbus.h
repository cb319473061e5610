/*
 * sysbus.h: devices on the system bus (memory-mapped registers and
 * interrupt outputs, no discovery).
 *
 *   instance_init:  memory_region_init_io(&s->iomem, OBJECT(s), ...);
 *                   sysbus_init_mmio(sbd, &s->iomem);
 *                   sysbus_init_irq(sbd, &s->irq);
 *   board:          dev = qdev_new(TYPE_FOO);
 *                   sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &err);
 *                   sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, 0x10000000);
 *                   sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, plic_in);
 *
 * Interrupt outputs are the named GPIO list "sysbus-irq" (not the
 * unnamed one: qtest's irq_intercept_out sees only devices' own
 * qdev_init_gpio_out lines, as in QEMU).  The main system bus is
 * /machine/unattached/sysbus; a system reset resets its devices, newest
 * first.  Big lock held throughout.
 */
#ifndef HW_SYSBUS_H
#define HW_SYSBUS_H

#include "hw/qdev-core.h"
#include "exec/memory.h"

#define TYPE_SYSTEM_BUS "System"
#define TYPE_SYS_BUS_DEVICE "sys-bus-device"
#define SYSBUS_DEVICE_GPIO_IRQ "sysbus-irq"
#define QDEV_MAX_MMIO 32

OBJECT_DECLARE_TYPE(SysBusDevice, SysBusDeviceClass, SYS_BUS_DEVICE)

struct SysBusDeviceClass {
    DeviceClass parent_class;
};

struct SysBusDevice {
    DeviceState parent_obj;

    int num_mmio;
    struct {
        hwaddr addr;            /* (hwaddr)-1 while unmapped */
        MemoryRegion *memory;
    } mmio[QDEV_MAX_MMIO];
};

/* The main system bus (created on first use). */
BusState *sysbus_get_default(void);

/* Declare the device's next MMIO region (index 0, 1, ...). */
void sysbus_init_mmio(SysBusDevice *dev, MemoryRegion *memory);
MemoryRegion *sysbus_mmio_get_region(SysBusDevice *dev, int n);
bool sysbus_has_mmio(SysBusDevice *dev, unsigned int n);
/* Map region @n at @addr in get_system_memory() (moving it if mapped). */
void sysbus_mmio_map(SysBusDevice *dev, int n, hwaddr addr);
void sysbus_mmio_map_overlap(SysBusDevice *dev, int n, hwaddr addr,
                             int priority);
void sysbus_mmio_unmap(SysBusDevice *dev, int n);

/* Declare the device's next interrupt output, raised through *@p. */
void sysbus_init_irq(SysBusDevice *dev, qemu_irq *p);
void sysbus_pass_irq(SysBusDevice *dev, SysBusDevice *target);
void sysbus_connect_irq(SysBusDevice *dev, int n, qemu_irq irq);
qemu_irq sysbus_get_connected_irq(SysBusDevice *dev, int n);
bool sysbus_has_irq(SysBusDevice *dev, int n);

bool sysbus_realize(SysBusDevice *dev, Error **errp);
bool sysbus_realize_and_unref(SysBusDevice *dev, Error **errp);
/*
 * Create, realize (errors are fatal), map region 0 at @addr (unless -1)
 * and connect outputs to the NULL-terminated list of lines after @addr.
 */
DeviceState *sysbus_create_varargs(const char *name, hwaddr addr, ...);
static inline DeviceState *sysbus_create_simple(const char *name,
                                                hwaddr addr, qemu_irq irq)
{
    return sysbus_create_varargs(name, addr, irq, NULL);
}

#endif /* HW_SYSBUS_H */
