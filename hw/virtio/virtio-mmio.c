/*
 * virtio-mmio.c: the virtio-mmio transport, modern (Version 2) and
 * legacy (Version 1) register layouts (see hw/virtio/virtio-mmio.h).
 *
 * Registers are 32 bits wide; narrower accesses to them are guest
 * errors that read as 0 and are ignored on write.  The device
 * configuration at 0x100 takes 8-, 16- and 32-bit accesses.  A slot with
 * no device answers the identification registers (magic, version, device
 * ID 0, vendor) and ignores everything else, which is how a driver
 * probing the eight slots of riscv virt tells an empty one.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio-mmio.h"

/* Ring alignment a legacy driver gets unless it writes QueueAlign. */
#define VIRTIO_MMIO_LEGACY_ALIGN 4096

/* The realized device in the slot, or NULL. */
static VirtIODevice *proxy_vdev(VirtIOMMIOProxy *proxy)
{
    VirtIODevice *vdev = proxy->bus ? virtio_bus_get_device(proxy->bus)
                                    : NULL;

    return vdev && DEVICE(vdev)->realized ? vdev : NULL;
}

static void virtio_mmio_update_irq(VirtIOMMIOProxy *proxy)
{
    VirtIODevice *vdev = proxy_vdev(proxy);

    qemu_set_irq(proxy->irq, vdev && vdev->isr);
}

/* Register state back to power-on (the device is reset separately). */
static void virtio_mmio_reset_regs(VirtIOMMIOProxy *proxy)
{
    proxy->host_features_sel = 0;
    proxy->guest_features_sel = 0;
    proxy->guest_features[0] = proxy->guest_features[1] = 0;
    proxy->queue_sel = 0;
    proxy->guest_page_shift = 0;
    memset(proxy->vqs, 0, sizeof(proxy->vqs));
    for (int i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        proxy->vqs[i].align = VIRTIO_MMIO_LEGACY_ALIGN;
    }
}

static bool is_legacy_only(hwaddr offset)
{
    return offset == VIRTIO_MMIO_GUEST_PAGE_SIZE ||
           offset == VIRTIO_MMIO_QUEUE_ALIGN ||
           offset == VIRTIO_MMIO_QUEUE_PFN;
}

static bool is_modern_only(hwaddr offset)
{
    switch (offset) {
    case VIRTIO_MMIO_QUEUE_READY:
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return true;
    default:
        return false;
    }
}

/* ---- Reads ------------------------------------------------------------- */

static uint32_t read_features(VirtIOMMIOProxy *proxy, VirtIODevice *vdev)
{
    switch (proxy->host_features_sel) {
    case 0:
        return (uint32_t)vdev->host_features;
    case 1:
        return proxy->legacy ? 0 : (uint32_t)(vdev->host_features >> 32);
    default:
        return 0;
    }
}

static uint32_t read_queue_reg(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                               hwaddr offset)
{
    uint32_t sel = proxy->queue_sel;

    switch (offset) {
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return virtio_queue_get_max_num(vdev, sel);
    case VIRTIO_MMIO_QUEUE_PFN:
        return proxy->vqs[sel].pfn;
    case VIRTIO_MMIO_QUEUE_READY:
        return virtio_queue_get_ready(vdev, sel);
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        return proxy->vqs[sel].desc[0];
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        return proxy->vqs[sel].desc[1];
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
        return proxy->vqs[sel].avail[0];
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
        return proxy->vqs[sel].avail[1];
    case VIRTIO_MMIO_QUEUE_USED_LOW:
        return proxy->vqs[sel].used[0];
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        return proxy->vqs[sel].used[1];
    default:
        g_assert_not_reached();
    }
}

static uint32_t read_reg(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                         hwaddr offset)
{
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return read_features(proxy, vdev);
    case VIRTIO_MMIO_QUEUE_NUM_MAX:
    case VIRTIO_MMIO_QUEUE_PFN:
    case VIRTIO_MMIO_QUEUE_READY:
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        return read_queue_reg(proxy, vdev, offset);
    case VIRTIO_MMIO_INTERRUPT_STATUS:
        return vdev->isr;
    case VIRTIO_MMIO_STATUS:
        return vdev->status;
    case VIRTIO_MMIO_CONFIG_GENERATION:
        return vdev->generation;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: read of write-only or "
                      "unknown register 0x%" HWADDR_PRIx "\n", __func__,
                      offset);
        return 0;
    }
}

static uint64_t virtio_mmio_read(void *opaque, hwaddr offset, unsigned size)
{
    VirtIOMMIOProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy);

    if (offset >= VIRTIO_MMIO_CONFIG) {
        return vdev ? virtio_config_read(vdev, offset - VIRTIO_MMIO_CONFIG,
                                         size) : 0;
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: %u-byte read of register 0x%"
                      HWADDR_PRIx " (registers are 32-bit)\n", __func__,
                      size, offset);
        return 0;
    }

    /* Identification works on an empty slot too. */
    switch (offset) {
    case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION:
        return proxy->legacy ? VIRTIO_MMIO_VERSION_LEGACY
                             : VIRTIO_MMIO_VERSION_MODERN;
    case VIRTIO_MMIO_DEVICE_ID:
        return vdev ? vdev->device_id : VIRTIO_ID_NONE;
    case VIRTIO_MMIO_VENDOR_ID:
        return VIRTIO_MMIO_VENDOR;
    }
    if (!vdev) {
        return 0;
    }
    if ((proxy->legacy && is_modern_only(offset)) ||
        (!proxy->legacy && is_legacy_only(offset))) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: read of %s-only register 0x%"
                      HWADDR_PRIx "\n", __func__,
                      proxy->legacy ? "modern" : "legacy", offset);
        return 0;
    }
    return read_reg(proxy, vdev, offset);
}

/* ---- Writes ------------------------------------------------------------ */

static void write_driver_features(VirtIOMMIOProxy *proxy,
                                  VirtIODevice *vdev, uint32_t val)
{
    uint64_t features;

    if (proxy->guest_features_sel > 1) {
        if (val) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: features 0x%x for "
                          "selector %u ignored\n", __func__, val,
                          proxy->guest_features_sel);
        }
        return;
    }
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: DriverFeatures written after "
                      "FEATURES_OK\n", __func__);
        return;
    }
    proxy->guest_features[proxy->guest_features_sel] = val;

    /* Legacy has no FEATURES_OK: the last write is the choice. */
    features = ((uint64_t)proxy->guest_features[1] << 32) |
               proxy->guest_features[0];
    if (proxy->legacy) {
        virtio_set_features(vdev, features);
    }
}

static void write_status(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                         uint32_t val)
{
    bool features_ok = (val & VIRTIO_CONFIG_S_FEATURES_OK) &&
                       !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK);

    if (!proxy->legacy && features_ok) {
        virtio_set_features(vdev,
                            ((uint64_t)proxy->guest_features[1] << 32) |
                            proxy->guest_features[0]);
    }
    virtio_set_status(vdev, val & 0xff);
    if (val == 0) {
        /*
         * Linux's legacy driver writes GuestPageSize once, at probe,
         * before it resets the device: a driver reset keeps it (QEMU
         * does too), only a system reset clears it.
         */
        uint32_t page_shift = proxy->guest_page_shift;

        virtio_mmio_reset_regs(proxy);
        proxy->guest_page_shift = page_shift;
    }
    virtio_mmio_update_irq(proxy);
}

/* A modern queue register; refused while the queue is enabled. */
static void write_queue_modern(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                               hwaddr offset, uint32_t val)
{
    uint32_t sel = proxy->queue_sel;
    typeof(proxy->vqs[0]) *q = &proxy->vqs[sel];

    if (offset == VIRTIO_MMIO_QUEUE_READY) {
        virtio_queue_set_num(vdev, sel, q->num);
        virtio_queue_set_rings(vdev, sel,
                               ((uint64_t)q->desc[1] << 32) | q->desc[0],
                               ((uint64_t)q->avail[1] << 32) | q->avail[0],
                               ((uint64_t)q->used[1] << 32) | q->used[0]);
        virtio_queue_set_ready(vdev, sel, val & 1);
        q->enabled = virtio_queue_get_ready(vdev, sel);
        return;
    }
    if (q->enabled) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: register 0x%" HWADDR_PRIx
                      " written while queue %u is ready\n", __func__,
                      offset, sel);
        return;
    }
    switch (offset) {
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        q->desc[offset == VIRTIO_MMIO_QUEUE_DESC_HIGH] = val;
        break;
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
        q->avail[offset == VIRTIO_MMIO_QUEUE_AVAIL_HIGH] = val;
        break;
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        q->used[offset == VIRTIO_MMIO_QUEUE_USED_HIGH] = val;
        break;
    }
}

static void write_queue_legacy(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                               hwaddr offset, uint32_t val)
{
    uint32_t sel = proxy->queue_sel;
    typeof(proxy->vqs[0]) *q = &proxy->vqs[sel];

    switch (offset) {
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        if (val == 0 || (val & (val - 1))) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: GuestPageSize 0x%x is not "
                          "a power of two\n", __func__, val);
            return;
        }
        proxy->guest_page_shift = __builtin_ctz(val);
        break;
    case VIRTIO_MMIO_QUEUE_ALIGN:
        if (val == 0 || (val & (val - 1))) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: QueueAlign 0x%x is not a "
                          "power of two\n", __func__, val);
            return;
        }
        q->align = val;
        break;
    case VIRTIO_MMIO_QUEUE_PFN:
        q->pfn = val;
        virtio_queue_set_legacy_ring(vdev, sel,
                                     (hwaddr)val << proxy->guest_page_shift,
                                     q->align);
        q->enabled = virtio_queue_get_ready(vdev, sel);
        break;
    }
}

static void write_reg(VirtIOMMIOProxy *proxy, VirtIODevice *vdev,
                      hwaddr offset, uint32_t val)
{
    switch (offset) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        proxy->host_features_sel = val;
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        write_driver_features(proxy, vdev, val);
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        proxy->guest_features_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_SEL:
        if (val >= VIRTIO_QUEUE_MAX) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: QueueSel %u out of range\n",
                          __func__, val);
            return;
        }
        proxy->queue_sel = val;
        break;
    case VIRTIO_MMIO_QUEUE_NUM:
        if (proxy->vqs[proxy->queue_sel].enabled) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: QueueNum written while "
                          "queue %u is ready\n", __func__, proxy->queue_sel);
            return;
        }
        proxy->vqs[proxy->queue_sel].num = val;
        virtio_queue_set_num(vdev, proxy->queue_sel, val);
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        virtio_queue_notify(vdev, val & 0xffff);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        vdev->isr &= ~val;
        virtio_mmio_update_irq(proxy);
        break;
    case VIRTIO_MMIO_STATUS:
        write_status(proxy, vdev, val);
        break;
    case VIRTIO_MMIO_GUEST_PAGE_SIZE:
    case VIRTIO_MMIO_QUEUE_ALIGN:
    case VIRTIO_MMIO_QUEUE_PFN:
        write_queue_legacy(proxy, vdev, offset, val);
        break;
    case VIRTIO_MMIO_QUEUE_READY:
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
    case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
    case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
    case VIRTIO_MMIO_QUEUE_USED_LOW:
    case VIRTIO_MMIO_QUEUE_USED_HIGH:
        write_queue_modern(proxy, vdev, offset, val);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write of read-only or unknown "
                      "register 0x%" HWADDR_PRIx "\n", __func__, offset);
    }
}

static void virtio_mmio_write(void *opaque, hwaddr offset, uint64_t val,
                              unsigned size)
{
    VirtIOMMIOProxy *proxy = opaque;
    VirtIODevice *vdev = proxy_vdev(proxy);

    /* An empty slot ignores writes: drivers probe every slot. */
    if (!vdev) {
        return;
    }
    if (offset >= VIRTIO_MMIO_CONFIG) {
        virtio_config_write(vdev, offset - VIRTIO_MMIO_CONFIG, val, size);
        return;
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: %u-byte write of register 0x%"
                      HWADDR_PRIx " (registers are 32-bit)\n", __func__,
                      size, offset);
        return;
    }
    if ((proxy->legacy && is_modern_only(offset)) ||
        (!proxy->legacy && is_legacy_only(offset))) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write of %s-only register 0x%"
                      HWADDR_PRIx "\n", __func__,
                      proxy->legacy ? "modern" : "legacy", offset);
        return;
    }
    write_reg(proxy, vdev, offset, val);
}

static const MemoryRegionOps virtio_mmio_ops = {
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- The bus seen from the device -------------------------------------- */

static void virtio_mmio_bus_notify(DeviceState *transport)
{
    virtio_mmio_update_irq(VIRTIO_MMIO(transport));
}

static AddressSpace *virtio_mmio_bus_dma_as(DeviceState *transport)
{
    return VIRTIO_MMIO(transport)->dma_as;
}

static bool virtio_mmio_bus_is_legacy(DeviceState *transport)
{
    return VIRTIO_MMIO(transport)->legacy;
}

static void virtio_mmio_bus_plugged(DeviceState *transport, Error **errp)
{
    virtio_mmio_reset_regs(VIRTIO_MMIO(transport));
}

static void virtio_mmio_bus_class_init(ObjectClass *oc, void *data)
{
    BusClass *bc = BUS_CLASS(oc);
    VirtioBusClass *k = VIRTIO_BUS_CLASS(oc);

    bc->max_dev = 1;
    k->notify = virtio_mmio_bus_notify;
    k->get_dma_as = virtio_mmio_bus_dma_as;
    k->is_legacy = virtio_mmio_bus_is_legacy;
    k->device_plugged = virtio_mmio_bus_plugged;
}

/* ---- The transport device ---------------------------------------------- */

void virtio_mmio_set_dma_as(VirtIOMMIOProxy *proxy, AddressSpace *as)
{
    proxy->dma_as = as;
}

static void virtio_mmio_init(Object *obj)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(obj);

    proxy->dma_as = &address_space_memory;
    memory_region_init_io(&proxy->iomem, obj, &virtio_mmio_ops, proxy,
                          TYPE_VIRTIO_MMIO, VIRTIO_MMIO_REGION_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &proxy->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &proxy->irq);
    virtio_mmio_reset_regs(proxy);
}

static void virtio_mmio_finalize(Object *obj)
{
    memory_region_finalize(&VIRTIO_MMIO(obj)->iomem);
}

static void virtio_mmio_realize(DeviceState *dev, Error **errp)
{
    /* QEMU's automatic bus names: one counter for all transports. */
    static unsigned bus_count;
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(dev);
    g_autofree char *name = g_strdup_printf("%s.%u", TYPE_VIRTIO_MMIO_BUS,
                                            bus_count++);

    proxy->bus = VIRTIO_BUS(qbus_new(TYPE_VIRTIO_MMIO_BUS, dev, name));
}

static void virtio_mmio_reset(DeviceState *dev)
{
    VirtIOMMIOProxy *proxy = VIRTIO_MMIO(dev);

    virtio_mmio_reset_regs(proxy);
    virtio_mmio_update_irq(proxy);
}

static Property virtio_mmio_properties[] = {
    DEFINE_PROP_BOOL("force-legacy", VirtIOMMIOProxy, legacy, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_mmio_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = virtio_mmio_realize;
    device_class_set_legacy_reset(dc, virtio_mmio_reset);
    device_class_set_props(dc, virtio_mmio_properties);
}

static const TypeInfo virtio_mmio_types[] = {
    {
        .name = TYPE_VIRTIO_MMIO,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(VirtIOMMIOProxy),
        .instance_init = virtio_mmio_init,
        .instance_finalize = virtio_mmio_finalize,
        .class_init = virtio_mmio_class_init,
    },
    {
        .name = TYPE_VIRTIO_MMIO_BUS,
        .parent = TYPE_VIRTIO_BUS,
        .instance_size = sizeof(VirtioBusState),
        .class_init = virtio_mmio_bus_class_init,
    },
};

DEFINE_TYPES(virtio_mmio_types)
