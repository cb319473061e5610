/*
 * virtio-mmio.c: a small virtio driver over libqtest (see the header).
 *
 * Split virtqueue layout (virtio 1.2, 2.7): a descriptor table of 16-byte
 * entries, the available ring (flags, idx, ring[size], used_event) and
 * the used ring (flags, idx, ring[size] of {id, len}, avail_event).  All
 * fields are little-endian in guest memory.
 */
#include "qemu/osdep.h"
#include "virtio-mmio.h"

#define VRING_DESC_SIZE         16
#define VRING_AVAIL_IDX         2
#define VRING_AVAIL_RING        4
#define VRING_USED_IDX          2
#define VRING_USED_RING         4
#define VRING_USED_ELEM_SIZE    8
#define QVIRTQUEUE_MAX_SIZE     256

/* ---- guest memory ---- */

void guest_alloc_init(QGuestAllocator *alloc, uint64_t start, uint64_t end)
{
    alloc->next = start;
    alloc->end = end;
}

uint64_t guest_alloc_aligned(QGuestAllocator *alloc, size_t size,
                             size_t align)
{
    uint64_t addr = (alloc->next + align - 1) & ~(uint64_t)(align - 1);

    g_assert_cmpuint(addr + size, <=, alloc->end);
    alloc->next = addr + size;
    return addr;
}

uint64_t guest_alloc(QGuestAllocator *alloc, size_t size)
{
    return guest_alloc_aligned(alloc, size, 16);
}

/* ---- transport ---- */

static uint32_t mmio_readl(QVirtioDevice *dev, uint64_t reg)
{
    return qtest_readl(dev->qts, dev->base + reg);
}

static void mmio_writel(QVirtioDevice *dev, uint64_t reg, uint32_t val)
{
    qtest_writel(dev->qts, dev->base + reg, val);
}

void qvirtio_mmio_init(QVirtioDevice *dev, QTestState *qts, uint64_t base)
{
    dev->qts = qts;
    dev->base = base;
    g_assert_cmphex(mmio_readl(dev, VIRTIO_MMIO_MAGIC_VALUE), ==,
                    VIRTIO_MMIO_MAGIC);
    dev->version = mmio_readl(dev, VIRTIO_MMIO_VERSION);
    dev->device_id = mmio_readl(dev, VIRTIO_MMIO_DEVICE_ID);
    dev->features = 0;
}

bool qvirtio_mmio_find(QTestState *qts, uint32_t device_id,
                       QVirtioDevice *dev)
{
    int i;

    for (i = 0; i < VIRT_VIRTIO_MMIO_COUNT; i++) {
        uint64_t base = VIRT_VIRTIO_MMIO_BASE + i * VIRT_VIRTIO_MMIO_STRIDE;

        if (qtest_readl(qts, base + VIRTIO_MMIO_MAGIC_VALUE) ==
                VIRTIO_MMIO_MAGIC &&
            qtest_readl(qts, base + VIRTIO_MMIO_DEVICE_ID) == device_id) {
            qvirtio_mmio_init(dev, qts, base);
            return true;
        }
    }
    return false;
}

uint8_t qvirtio_get_status(QVirtioDevice *dev)
{
    return mmio_readl(dev, VIRTIO_MMIO_STATUS);
}

static void qvirtio_add_status(QVirtioDevice *dev, uint8_t bits)
{
    mmio_writel(dev, VIRTIO_MMIO_STATUS, qvirtio_get_status(dev) | bits);
}

void qvirtio_reset(QVirtioDevice *dev)
{
    mmio_writel(dev, VIRTIO_MMIO_STATUS, 0);
    g_assert_cmpuint(qvirtio_get_status(dev), ==, 0);
}

void qvirtio_set_acknowledge(QVirtioDevice *dev)
{
    qvirtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
}

void qvirtio_set_driver(QVirtioDevice *dev)
{
    qvirtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER);
}

void qvirtio_set_driver_ok(QVirtioDevice *dev)
{
    qvirtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER_OK);
}

uint64_t qvirtio_get_features(QVirtioDevice *dev)
{
    uint64_t lo, hi;

    mmio_writel(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    lo = mmio_readl(dev, VIRTIO_MMIO_DEVICE_FEATURES);
    mmio_writel(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    hi = mmio_readl(dev, VIRTIO_MMIO_DEVICE_FEATURES);
    dev->features = hi << 32 | lo;
    return dev->features;
}

bool qvirtio_set_features(QVirtioDevice *dev, uint64_t features)
{
    mmio_writel(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    mmio_writel(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    mmio_writel(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    mmio_writel(dev, VIRTIO_MMIO_DRIVER_FEATURES, features >> 32);
    if (dev->version == 1) {
        return true;
    }

    /* The device clears FEATURES_OK again if it refuses the set (3.1.1). */
    qvirtio_add_status(dev, VIRTIO_CONFIG_S_FEATURES_OK);
    return qvirtio_get_status(dev) & VIRTIO_CONFIG_S_FEATURES_OK;
}

uint8_t qvirtio_config_readb(QVirtioDevice *dev, uint64_t offset)
{
    return qtest_readb(dev->qts, dev->base + VIRTIO_MMIO_CONFIG + offset);
}

uint16_t qvirtio_config_readw(QVirtioDevice *dev, uint64_t offset)
{
    return qtest_readw(dev->qts, dev->base + VIRTIO_MMIO_CONFIG + offset);
}

uint32_t qvirtio_config_readl(QVirtioDevice *dev, uint64_t offset)
{
    return qtest_readl(dev->qts, dev->base + VIRTIO_MMIO_CONFIG + offset);
}

uint64_t qvirtio_config_readq(QVirtioDevice *dev, uint64_t offset)
{
    /* Two 32-bit halves: the transport need not take 64-bit accesses. */
    return (uint64_t)qvirtio_config_readl(dev, offset + 4) << 32 |
           qvirtio_config_readl(dev, offset);
}

uint32_t qvirtio_isr(QVirtioDevice *dev)
{
    return mmio_readl(dev, VIRTIO_MMIO_INTERRUPT_STATUS);
}

void qvirtio_isr_ack(QVirtioDevice *dev, uint32_t bits)
{
    mmio_writel(dev, VIRTIO_MMIO_INTERRUPT_ACK, bits);
}

/* ---- queues ---- */

static void qvirtqueue_init_desc(QTestState *qts, QVirtQueue *vq)
{
    uint32_t i;

    /* Free list: each descriptor's next is the following one. */
    for (i = 0; i < vq->size; i++) {
        qtest_writew(qts, vq->desc + VRING_DESC_SIZE * i + 14,
                     (i + 1) % vq->size);
    }
    qtest_writew(qts, vq->avail, 0);
    qtest_writew(qts, vq->avail + VRING_AVAIL_IDX, 0);
    qtest_writew(qts, vq->used, 0);
    qtest_writew(qts, vq->used + VRING_USED_IDX, 0);
}

/* Legacy: one block at a page frame; used ring aligned to QueueAlign. */
static void qvirtqueue_setup_legacy(QVirtioDevice *dev, QVirtQueue *vq,
                                    QGuestAllocator *alloc)
{
    uint64_t avail_end, used_size, base;

    avail_end = VRING_DESC_SIZE * vq->size + VRING_AVAIL_RING +
                2 * vq->size + 2;
    used_size = VRING_USED_RING + VRING_USED_ELEM_SIZE * vq->size + 2;
    base = guest_alloc_aligned(alloc,
                               ROUND_UP(avail_end, QVIRTIO_LEGACY_ALIGN) +
                               used_size, QVIRTIO_LEGACY_PAGE_SIZE);
    vq->desc = base;
    vq->avail = base + VRING_DESC_SIZE * vq->size;
    vq->used = base + ROUND_UP(avail_end, QVIRTIO_LEGACY_ALIGN);

    mmio_writel(dev, VIRTIO_MMIO_GUEST_PAGE_SIZE, QVIRTIO_LEGACY_PAGE_SIZE);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_NUM, vq->size);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_ALIGN, QVIRTIO_LEGACY_ALIGN);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_PFN, base / QVIRTIO_LEGACY_PAGE_SIZE);
}

/* Modern: three separately placed parts, then QueueReady. */
static void qvirtqueue_setup_modern(QVirtioDevice *dev, QVirtQueue *vq,
                                    QGuestAllocator *alloc)
{
    vq->desc = guest_alloc_aligned(alloc, VRING_DESC_SIZE * vq->size, 16);
    vq->avail = guest_alloc_aligned(alloc,
                                    VRING_AVAIL_RING + 2 * vq->size + 2, 2);
    vq->used = guest_alloc_aligned(alloc, VRING_USED_RING +
                                   VRING_USED_ELEM_SIZE * vq->size + 2, 4);

    mmio_writel(dev, VIRTIO_MMIO_QUEUE_NUM, vq->size);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)vq->desc);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_DESC_HIGH, vq->desc >> 32);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)vq->avail);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, vq->avail >> 32);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)vq->used);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_USED_HIGH, vq->used >> 32);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_READY, 1);
}

QVirtQueue *qvirtqueue_setup(QVirtioDevice *dev, QGuestAllocator *alloc,
                             uint32_t index)
{
    QVirtQueue *vq = g_new0(QVirtQueue, 1);
    uint32_t max;

    mmio_writel(dev, VIRTIO_MMIO_QUEUE_SEL, index);
    max = mmio_readl(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
    g_assert_cmpuint(max, >, 0);
    vq->dev = dev;
    vq->index = index;
    vq->size = MIN(max, QVIRTQUEUE_MAX_SIZE);
    vq->num_free = vq->size;

    if (dev->version == 1) {
        qvirtqueue_setup_legacy(dev, vq, alloc);
    } else {
        qvirtqueue_setup_modern(dev, vq, alloc);
    }
    qvirtqueue_init_desc(dev->qts, vq);
    return vq;
}

static void qvring_write_desc(QTestState *qts, uint64_t table, uint32_t i,
                              uint64_t addr, uint32_t len, uint16_t flags,
                              uint16_t next)
{
    uint64_t d = table + VRING_DESC_SIZE * i;

    qtest_writeq(qts, d, addr);
    qtest_writel(qts, d + 8, len);
    qtest_writew(qts, d + 12, flags);
    qtest_writew(qts, d + 14, next);
}

uint32_t qvirtqueue_add(QTestState *qts, QVirtQueue *vq, uint64_t data,
                        uint32_t len, bool write, bool next)
{
    uint32_t i = vq->free_head;
    uint16_t flags = (write ? VRING_DESC_F_WRITE : 0) |
                     (next ? VRING_DESC_F_NEXT : 0);

    g_assert_cmpuint(vq->num_free, >, 0);
    vq->num_free--;
    vq->free_head = (i + 1) % vq->size;
    qvring_write_desc(qts, vq->desc, i, data, len, flags, vq->free_head);
    return i;
}

QVRingIndirectDesc *qvring_indirect_desc_setup(QTestState *qts,
                                               QVirtioDevice *dev,
                                               QGuestAllocator *alloc,
                                               uint16_t elem)
{
    QVRingIndirectDesc *indirect = g_new0(QVRingIndirectDesc, 1);

    indirect->desc = guest_alloc(alloc, VRING_DESC_SIZE * elem);
    indirect->elem = elem;
    return indirect;
}

void qvring_indirect_desc_add(QVirtioDevice *dev, QTestState *qts,
                              QVRingIndirectDesc *indirect, uint64_t data,
                              uint32_t len, bool write)
{
    uint16_t i = indirect->index;
    uint16_t flags = write ? VRING_DESC_F_WRITE : 0;

    g_assert_cmpuint(i, <, indirect->elem);

    /* Chain it to the previous entry of the table. */
    if (i > 0) {
        uint64_t prev = indirect->desc + VRING_DESC_SIZE * (i - 1) + 12;
        qtest_writew(qts, prev,
                     qtest_readw(qts, prev) | VRING_DESC_F_NEXT);
    }
    qvring_write_desc(qts, indirect->desc, i, data, len, flags, i + 1);
    indirect->index++;
}

uint32_t qvirtqueue_add_indirect(QTestState *qts, QVirtQueue *vq,
                                 QVRingIndirectDesc *indirect)
{
    uint32_t i = vq->free_head;

    g_assert_cmpuint(vq->num_free, >, 0);
    vq->num_free--;
    vq->free_head = (i + 1) % vq->size;
    qvring_write_desc(qts, vq->desc, i, indirect->desc,
                      VRING_DESC_SIZE * indirect->index,
                      VRING_DESC_F_INDIRECT, vq->free_head);
    return i;
}

void qvirtqueue_kick(QTestState *qts, QVirtioDevice *dev, QVirtQueue *vq,
                     uint32_t free_head)
{
    uint64_t slot = vq->avail + VRING_AVAIL_RING +
                    2 * (vq->avail_idx % vq->size);

    /* Entry first, then idx: the device reads idx to find entries. */
    qtest_writew(qts, slot, free_head);
    vq->avail_idx++;
    qtest_writew(qts, vq->avail + VRING_AVAIL_IDX, vq->avail_idx);
    mmio_writel(dev, VIRTIO_MMIO_QUEUE_NOTIFY, vq->index);
}

bool qvirtqueue_get_buf(QTestState *qts, QVirtQueue *vq, uint32_t *desc_idx,
                        uint32_t *len)
{
    uint16_t used_idx = qtest_readw(qts, vq->used + VRING_USED_IDX);
    uint64_t elem;

    if (used_idx == vq->last_used_idx) {
        return false;
    }
    elem = vq->used + VRING_USED_RING +
           VRING_USED_ELEM_SIZE * (vq->last_used_idx % vq->size);
    if (desc_idx) {
        *desc_idx = qtest_readl(qts, elem);
    }
    if (len) {
        *len = qtest_readl(qts, elem + 4);
    }
    vq->last_used_idx++;
    return true;
}

bool qvirtio_wait_used_elem(QTestState *qts, QVirtioDevice *dev,
                            QVirtQueue *vq, uint32_t desc_idx, uint32_t *len,
                            gint64 timeout_us)
{
    gint64 deadline = g_get_monotonic_time() + timeout_us;
    uint32_t got;

    /*
     * Block requests complete in worker threads and a bottom half: give
     * the main loop turns (each qtest command is one) and virtual time.
     */
    for (;;) {
        if (qvirtqueue_get_buf(qts, vq, &got, len)) {
            g_assert_cmpuint(got, ==, desc_idx);
            return true;
        }
        if (g_get_monotonic_time() > deadline) {
            return false;
        }
        qtest_clock_step(qts, 100 * 1000);
    }
}
