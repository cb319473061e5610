/*
 * virtio-mmio.h: the virtio-mmio transport (virtio 1.x section 4.2),
 * one memory-mapped slot that carries at most one virtio device.
 *
 * Board use (riscv virt creates eight):
 *   dev = qdev_new(TYPE_VIRTIO_MMIO);
 *   sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
 *   sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
 *   sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, plic_input);
 * Realize creates the child bus "virtio-mmio-bus.N" (N counts the
 * transports created, from 0, as QEMU names them); "-device
 * virtio-blk-device" then goes into the first free one found from the
 * newest transport.  The interrupt output is sysbus IRQ 0, level
 * triggered: high while InterruptStatus is not zero.
 *
 * Property "force-legacy" (default true, as QEMU 7.2): the slot speaks
 * the legacy interface (Version 1, GuestPageSize/QueuePFN); false gives
 * the modern one (Version 2).  Register accesses run with the big lock
 * held; queue notifications are handled synchronously in the write.
 */
#ifndef HW_VIRTIO_VIRTIO_MMIO_H
#define HW_VIRTIO_VIRTIO_MMIO_H

#include "hw/sysbus.h"
#include "hw/virtio/virtio.h"

#define TYPE_VIRTIO_MMIO "virtio-mmio"
#define TYPE_VIRTIO_MMIO_BUS "virtio-mmio-bus"

OBJECT_DECLARE_SIMPLE_TYPE(VirtIOMMIOProxy, VIRTIO_MMIO)

/* Register offsets. */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028   /* legacy */
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c   /* legacy */
#define VIRTIO_MMIO_QUEUE_PFN           0x040   /* legacy */
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW     0x090   /* spec: QueueDriver */
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH    0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW      0x0a0   /* spec: QueueDevice */
#define VIRTIO_MMIO_QUEUE_USED_HIGH     0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC               0x74726976  /* "virt" */
#define VIRTIO_MMIO_VENDOR              0x554d4551  /* "QEMU" */
#define VIRTIO_MMIO_VERSION_LEGACY      1
#define VIRTIO_MMIO_VERSION_MODERN      2
#define VIRTIO_MMIO_REGION_SIZE         0x200

struct VirtIOMMIOProxy {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    qemu_irq irq;
    VirtioBusState *bus;
    AddressSpace *dma_as;       /* default: address_space_memory */
    bool legacy;                /* property force-legacy */

    /* Driver-visible register state. */
    uint32_t host_features_sel;
    uint32_t guest_features_sel;
    uint32_t guest_features[2];     /* modern: latched until FEATURES_OK */
    uint32_t queue_sel;
    uint32_t guest_page_shift;      /* legacy */
    struct {
        uint32_t num;
        uint32_t desc[2], avail[2], used[2];
        uint32_t align;             /* legacy */
        uint32_t pfn;               /* legacy */
        bool enabled;
    } vqs[VIRTIO_QUEUE_MAX];
};

/*
 * Make the device on this transport reach rings and buffers through
 * @as instead of address_space_memory (tests with a private address
 * space).  Call before a device is plugged.
 */
void virtio_mmio_set_dma_as(VirtIOMMIOProxy *proxy, AddressSpace *as);

#endif /* HW_VIRTIO_VIRTIO_MMIO_H */
