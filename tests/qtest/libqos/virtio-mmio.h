/*
 * virtio-mmio.h: a small virtio driver over libqtest.
 *
 * Enough of a guest driver to test virtio devices behind the virtio-mmio
 * transport (legacy version 1 and modern version 2) from a qtest
 * program: find a device by id, reset and negotiate features, place split
 * virtqueues in guest RAM, add direct and indirect descriptor chains,
 * notify, and wait for the used ring.  Register and bit names follow the
 * virtio 1.2 specification (4.2.2, 2.7).
 *
 * Guest memory comes from a bump allocator: nothing is ever freed, each
 * test starts a new emulator.
 */
#ifndef LIBQOS_VIRTIO_MMIO_H
#define LIBQOS_VIRTIO_MMIO_H

#include "../libqtest.h"

/* virtio-mmio registers (offsets from the transport base). */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028   /* legacy only */
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c   /* legacy only */
#define VIRTIO_MMIO_QUEUE_PFN           0x040   /* legacy only */
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW     0x090
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH    0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW      0x0a0
#define VIRTIO_MMIO_QUEUE_USED_HIGH     0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC               0x74726976  /* "virt" */

/* Device status bits (2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE     1
#define VIRTIO_CONFIG_S_DRIVER          2
#define VIRTIO_CONFIG_S_DRIVER_OK       4
#define VIRTIO_CONFIG_S_FEATURES_OK     8
#define VIRTIO_CONFIG_S_NEEDS_RESET     0x40
#define VIRTIO_CONFIG_S_FAILED          0x80

/* Interrupt status bits (4.2.2). */
#define VIRTIO_MMIO_INT_VRING           1
#define VIRTIO_MMIO_INT_CONFIG          2

/* Feature bits of the transport and ring (6). */
#define VIRTIO_RING_F_INDIRECT_DESC     28
#define VIRTIO_RING_F_EVENT_IDX         29
#define VIRTIO_F_VERSION_1              32

/* Descriptor flags (2.7.5). */
#define VRING_DESC_F_NEXT               1
#define VRING_DESC_F_WRITE              2
#define VRING_DESC_F_INDIRECT           4

/* Device ids (5). */
#define VIRTIO_ID_NET                   1
#define VIRTIO_ID_BLOCK                 2
#define VIRTIO_ID_CONSOLE               3
#define VIRTIO_ID_RNG                   4

/* The transports of the riscv virt board. */
#define VIRT_VIRTIO_MMIO_BASE           0x10001000
#define VIRT_VIRTIO_MMIO_STRIDE         0x1000
#define VIRT_VIRTIO_MMIO_COUNT          8

/* Legacy queues: the page size given to the device and the ring align. */
#define QVIRTIO_LEGACY_PAGE_SIZE        4096
#define QVIRTIO_LEGACY_ALIGN            4096

typedef struct QGuestAllocator {
    uint64_t next;              /* first free byte */
    uint64_t end;               /* one past the last usable byte */
} QGuestAllocator;

/* Allocate from [@start, @end) of guest RAM. */
void guest_alloc_init(QGuestAllocator *alloc, uint64_t start, uint64_t end);
/* @size bytes aligned to @align (a power of two); aborts when full. */
uint64_t guest_alloc_aligned(QGuestAllocator *alloc, size_t size,
                             size_t align);
uint64_t guest_alloc(QGuestAllocator *alloc, size_t size);

typedef struct QVirtioDevice {
    QTestState *qts;
    uint64_t base;              /* transport registers */
    uint32_t version;           /* 1 legacy, 2 modern */
    uint32_t device_id;
    uint64_t features;          /* offered by the device */
} QVirtioDevice;

typedef struct QVirtQueue {
    QVirtioDevice *dev;
    uint32_t index;
    uint32_t size;              /* entries */
    uint64_t desc;              /* guest addresses of the three parts */
    uint64_t avail;
    uint64_t used;
    uint32_t free_head;         /* next unused descriptor */
    uint32_t num_free;
    uint16_t avail_idx;         /* driver's copy of avail->idx */
    uint16_t last_used_idx;     /* used entries consumed so far */
} QVirtQueue;

/* An indirect table being filled (qvring_indirect_desc_*). */
typedef struct QVRingIndirectDesc {
    uint64_t desc;              /* guest address of the table */
    uint16_t index;             /* entries added */
    uint16_t elem;              /* capacity */
} QVRingIndirectDesc;

/*
 * Find the first transport on the virt board whose device id is
 * @device_id; false if none.  @dev is filled for use with the calls
 * below.
 */
bool qvirtio_mmio_find(QTestState *qts, uint32_t device_id,
                       QVirtioDevice *dev);
void qvirtio_mmio_init(QVirtioDevice *dev, QTestState *qts, uint64_t base);

/* Status: reset (write 0), then ACKNOWLEDGE, DRIVER, ..., DRIVER_OK. */
void qvirtio_reset(QVirtioDevice *dev);
void qvirtio_set_acknowledge(QVirtioDevice *dev);
void qvirtio_set_driver(QVirtioDevice *dev);
void qvirtio_set_driver_ok(QVirtioDevice *dev);
uint8_t qvirtio_get_status(QVirtioDevice *dev);

/* The device's 64 feature bits (also kept in dev->features). */
uint64_t qvirtio_get_features(QVirtioDevice *dev);
/*
 * Write the driver's features; on version 2 also set FEATURES_OK and
 * return whether the device kept it (it clears it when it refuses the
 * set).  Version 1 has no FEATURES_OK: always true.
 */
bool qvirtio_set_features(QVirtioDevice *dev, uint64_t features);

/* Device-specific configuration space, little-endian (modern layout). */
uint8_t qvirtio_config_readb(QVirtioDevice *dev, uint64_t offset);
uint16_t qvirtio_config_readw(QVirtioDevice *dev, uint64_t offset);
uint32_t qvirtio_config_readl(QVirtioDevice *dev, uint64_t offset);
uint64_t qvirtio_config_readq(QVirtioDevice *dev, uint64_t offset);

/*
 * Set up queue @index with the device's maximum size (capped at 256) in
 * memory from @alloc, and enable it.  Free with g_free().
 */
QVirtQueue *qvirtqueue_setup(QVirtioDevice *dev, QGuestAllocator *alloc,
                             uint32_t index);

/*
 * Append one descriptor to the chain being built: guest buffer @data of
 * @len bytes, device-writable if @write; @next says another descriptor
 * follows.  Returns the descriptor's index (the first one heads the
 * chain, to pass to qvirtqueue_kick()).
 */
uint32_t qvirtqueue_add(QTestState *qts, QVirtQueue *vq, uint64_t data,
                        uint32_t len, bool write, bool next);
/* An indirect table of @elem entries, filled with _add_desc. */
QVRingIndirectDesc *qvring_indirect_desc_setup(QTestState *qts,
                                               QVirtioDevice *dev,
                                               QGuestAllocator *alloc,
                                               uint16_t elem);
void qvring_indirect_desc_add(QVirtioDevice *dev, QTestState *qts,
                              QVRingIndirectDesc *indirect, uint64_t data,
                              uint32_t len, bool write);
/* A descriptor that points at @indirect; returns its index. */
uint32_t qvirtqueue_add_indirect(QTestState *qts, QVirtQueue *vq,
                                 QVRingIndirectDesc *indirect);

/* Publish chain @free_head in the avail ring and notify the device. */
void qvirtqueue_kick(QTestState *qts, QVirtioDevice *dev, QVirtQueue *vq,
                     uint32_t free_head);

/*
 * Wait (stepping the virtual clock 100 us at a time, up to
 * @timeout_us of host time) until the device puts a new entry in the
 * used ring; consume it and return true with its id and length.
 */
bool qvirtqueue_get_buf(QTestState *qts, QVirtQueue *vq, uint32_t *desc_idx,
                        uint32_t *len);
bool qvirtio_wait_used_elem(QTestState *qts, QVirtioDevice *dev,
                            QVirtQueue *vq, uint32_t desc_idx, uint32_t *len,
                            gint64 timeout_us);

/* InterruptStatus, and acknowledge the bits in @bits. */
uint32_t qvirtio_isr(QVirtioDevice *dev);
void qvirtio_isr_ack(QVirtioDevice *dev, uint32_t bits);

#define QVIRTIO_DEFAULT_TIMEOUT_US (30 * 1000 * 1000)

#endif /* LIBQOS_VIRTIO_MMIO_H */
