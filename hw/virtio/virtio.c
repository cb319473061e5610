/*
 * virtio.c: the virtio device core: feature negotiation, status, config
 * space and split virtqueues (virtio 1.x section 2.7, and the legacy
 * ring layout of 0.9.5).
 *
 * Every ring field and every buffer is reached through a host pointer
 * obtained from address_space_translate() on the device's DMA address
 * space, and only when the whole range lies in one RAM region; anything
 * else is a guest error that breaks the device (virtio_error()).
 */
#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio.h"

/* Size of one split-ring descriptor and one used element, in bytes. */
#define VRING_DESC_SIZE         16
#define VRING_USED_ELEM_SIZE    8

/* Most iovecs one element may have (descriptors split across regions). */
#define VIRTQUEUE_MAX_SG        (2 * VIRTQUEUE_MAX_SIZE)

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

struct VirtQueue {
    VirtIODevice *vdev;
    VirtIOHandleOutput handle_output;
    uint16_t queue_index;
    unsigned int num_max;       /* 0: no such queue */
    unsigned int num;           /* size chosen by the driver */
    bool ready;
    bool notification;          /* driver notifications wanted */
    hwaddr desc;
    hwaddr avail;
    hwaddr used;
    uint16_t last_avail_idx;    /* next avail entry the device takes */
    uint16_t shadow_avail_idx;  /* avail->idx as last read */
    uint16_t used_idx;          /* next used entry the device writes */
    uint16_t signalled_used;    /* used_idx at the last interrupt */
    bool signalled_used_valid;
    unsigned int inuse;         /* popped, not yet pushed */
};

/* ---- Guest memory ------------------------------------------------------ */

/*
 * Host pointer for [@addr, @addr + @len) when it lies in one RAM region
 * of @as (and is writable RAM when @is_write); NULL otherwise.
 */
static void *ram_ptr(AddressSpace *as, hwaddr addr, hwaddr len,
                     bool is_write)
{
    hwaddr xlat, plen;
    MemoryRegion *mr;

    if (len == 0 || addr + len < addr) {
        return NULL;
    }
    mr = address_space_translate(as, addr, &xlat, &plen, is_write,
                                 MEMTXATTRS_UNSPECIFIED);
    if (!mr || !memory_region_is_ram(mr) || plen < len ||
        (is_write && memory_region_is_rom(mr))) {
        return NULL;
    }
    return (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
}

/*
 * Ring fields.  The ring parts are aligned (checked when the queue is
 * enabled), so 16- and 32-bit fields are naturally aligned and read and
 * written as single accesses; the driver runs concurrently on another
 * vCPU.  Values are little-endian (legacy too: RISC-V is little-endian).
 */
static bool ring_load16(VirtQueue *vq, hwaddr addr, uint16_t *val)
{
    uint16_t *p = ram_ptr(vq->vdev->dma_as, addr, 2, false);

    if (!p) {
        virtio_error(vq->vdev, "queue %u: ring at 0x%" HWADDR_PRIx
                     " is not in RAM", vq->queue_index, addr);
        return false;
    }
    *val = GUINT16_FROM_LE(qatomic_read(p));
    return true;
}

static bool ring_store16(VirtQueue *vq, hwaddr addr, uint16_t val)
{
    uint16_t *p = ram_ptr(vq->vdev->dma_as, addr, 2, true);

    if (!p) {
        virtio_error(vq->vdev, "queue %u: ring at 0x%" HWADDR_PRIx
                     " is not in writable RAM", vq->queue_index, addr);
        return false;
    }
    qatomic_set(p, GUINT16_TO_LE(val));
    return true;
}

static bool ring_store32(VirtQueue *vq, hwaddr addr, uint32_t val)
{
    uint32_t *p = ram_ptr(vq->vdev->dma_as, addr, 4, true);

    if (!p) {
        virtio_error(vq->vdev, "queue %u: ring at 0x%" HWADDR_PRIx
                     " is not in writable RAM", vq->queue_index, addr);
        return false;
    }
    qatomic_set(p, GUINT32_TO_LE(val));
    return true;
}

/* Offsets inside the avail and used rings. */
#define AVAIL_FLAGS(vq)         ((vq)->avail)
#define AVAIL_IDX(vq)           ((vq)->avail + 2)
#define AVAIL_RING(vq, i)       ((vq)->avail + 4 + 2 * (hwaddr)(i))
#define USED_EVENT(vq)          AVAIL_RING(vq, (vq)->num)
#define USED_FLAGS(vq)          ((vq)->used)
#define USED_IDX(vq)            ((vq)->used + 2)
#define USED_RING(vq, i)        ((vq)->used + 4 + \
                                 VRING_USED_ELEM_SIZE * (hwaddr)(i))
#define AVAIL_EVENT(vq)         USED_RING(vq, (vq)->num)

/* Bytes of each ring part for @num entries (with the event fields). */
static hwaddr desc_bytes(unsigned num)
{
    return (hwaddr)VRING_DESC_SIZE * num;
}

static hwaddr avail_bytes(unsigned num)
{
    return 6 + 2 * (hwaddr)num;
}

static hwaddr used_bytes(unsigned num)
{
    return 6 + (hwaddr)VRING_USED_ELEM_SIZE * num;
}

/* ---- Features, status, errors ----------------------------------------- */

bool virtio_vdev_has_feature(const VirtIODevice *vdev, unsigned int fbit)
{
    return virtio_has_feature(vdev->guest_features, fbit);
}

bool virtio_host_has_feature(const VirtIODevice *vdev, unsigned int fbit)
{
    return virtio_has_feature(vdev->host_features, fbit);
}

bool virtio_device_started(const VirtIODevice *vdev)
{
    return (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vdev->broken;
}

static void virtio_bus_notify(VirtIODevice *vdev)
{
    BusState *bus = qdev_get_parent_bus(DEVICE(vdev));
    VirtioBusClass *k;

    if (!bus || !bus->parent) {
        return;
    }
    k = VIRTIO_BUS_GET_CLASS(bus);
    if (k->notify) {
        k->notify(bus->parent);
    }
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_CONFIG;
    vdev->generation++;
    virtio_bus_notify(vdev);
}

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_log_mask(LOG_GUEST_ERROR, "%s: %s (device broken until reset)\n",
                  vdev->name, msg);
    if (vdev->broken) {
        return;
    }
    vdev->broken = true;
    vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
    virtio_notify_config(vdev);
}

bool virtio_set_features(VirtIODevice *vdev, uint64_t val)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: features written after "
                      "FEATURES_OK\n", vdev->name);
        return false;
    }
    if (val & ~vdev->host_features) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: driver accepted features 0x%"
                      PRIx64 " that were not offered\n", vdev->name,
                      val & ~vdev->host_features);
    }
    vdev->guest_features = val & vdev->host_features;
    if (vdc->set_features) {
        vdc->set_features(vdev, vdev->guest_features);
    }
    return true;
}

bool virtio_set_status(VirtIODevice *vdev, uint8_t val)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    bool ok = true;

    if (val == 0) {
        virtio_reset(vdev);
        return true;
    }

    /* A modern device cannot work for a driver without VERSION_1. */
    if (!vdev->legacy && (val & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: FEATURES_OK refused: the "
                      "driver did not accept VIRTIO_F_VERSION_1\n",
                      vdev->name);
        val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
        ok = false;
    }

    /* NEEDS_RESET stays until the reset the driver owes us. */
    vdev->status = val | (vdev->broken ? VIRTIO_CONFIG_S_NEEDS_RESET : 0);
    if (vdc->set_status) {
        vdc->set_status(vdev, vdev->status);
    }
    return ok;
}

/* ---- Queues: set-up ---------------------------------------------------- */

static void virtqueue_reset_one(VirtQueue *vq)
{
    vq->num = vq->num_max;
    vq->ready = false;
    vq->notification = true;
    vq->desc = vq->avail = vq->used = 0;
    vq->last_avail_idx = vq->shadow_avail_idx = vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->inuse = 0;
}

void virtio_reset(VirtIODevice *vdev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    /* The device first: it finishes (or drops) requests in flight. */
    if (vdc->reset) {
        vdc->reset(vdev);
    }
    vdev->status = 0;
    vdev->isr = 0;
    vdev->guest_features = 0;
    vdev->broken = false;
    vdev->generation = 0;
    for (int i = 0; vdev->vq && i < VIRTIO_QUEUE_MAX; i++) {
        virtqueue_reset_one(&vdev->vq[i]);
    }
    virtio_bus_notify(vdev);
}

VirtQueue *virtio_add_queue(VirtIODevice *vdev, int queue_size,
                            VirtIOHandleOutput handle_output)
{
    int i;

    assert(queue_size > 0 && queue_size <= VIRTQUEUE_MAX_SIZE &&
           is_power_of_2(queue_size));
    for (i = 0; i < VIRTIO_QUEUE_MAX && vdev->vq[i].num_max; i++) {
        continue;
    }
    assert(i < VIRTIO_QUEUE_MAX);
    vdev->vq[i].num_max = queue_size;
    vdev->vq[i].handle_output = handle_output;
    virtqueue_reset_one(&vdev->vq[i]);
    return &vdev->vq[i];
}

VirtQueue *virtio_get_queue(VirtIODevice *vdev, int n)
{
    return &vdev->vq[n];
}

int virtio_get_queue_index(VirtQueue *vq)
{
    return vq->queue_index;
}

VirtIODevice *virtio_queue_get_vdev(VirtQueue *vq)
{
    return vq->vdev;
}

static VirtQueue *queue_or_null(VirtIODevice *vdev, int n)
{
    if (n < 0 || n >= VIRTIO_QUEUE_MAX || !vdev->vq[n].num_max) {
        return NULL;
    }
    return &vdev->vq[n];
}

int virtio_queue_get_max_num(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    return vq ? vq->num_max : 0;
}

int virtio_queue_get_num(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    return vq ? vq->num : 0;
}

void virtio_queue_set_num(VirtIODevice *vdev, int n, int num)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    if (vq) {
        vq->num = num;
    }
}

void virtio_queue_set_rings(VirtIODevice *vdev, int n, hwaddr desc,
                            hwaddr avail, hwaddr used)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    if (vq) {
        vq->desc = desc;
        vq->avail = avail;
        vq->used = used;
    }
}

void virtio_queue_get_rings(VirtIODevice *vdev, int n, hwaddr *desc,
                            hwaddr *avail, hwaddr *used)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    *desc = vq ? vq->desc : 0;
    *avail = vq ? vq->avail : 0;
    *used = vq ? vq->used : 0;
}

void virtio_queue_set_legacy_ring(VirtIODevice *vdev, int n, hwaddr desc,
                                  unsigned int align)
{
    VirtQueue *vq = queue_or_null(vdev, n);
    hwaddr avail;

    if (!vq) {
        return;
    }
    if (desc == 0) {
        virtqueue_reset_one(vq);
        return;
    }
    /* 0.9.5 layout: descriptors, avail ring, used ring at @align. */
    avail = desc + desc_bytes(vq->num);
    virtio_queue_set_rings(vdev, n, desc, avail,
                           QEMU_ALIGN_UP(avail + avail_bytes(vq->num),
                                         align));
    virtio_queue_set_ready(vdev, n, true);
}

/* Size and placement the driver chose for @vq; breaks the device if bad. */
static bool virtqueue_check_layout(VirtQueue *vq)
{
    VirtIODevice *vdev = vq->vdev;
    AddressSpace *as = vdev->dma_as;

    if (vq->num == 0 || vq->num > vq->num_max || !is_power_of_2(vq->num)) {
        virtio_error(vdev, "queue %u: size %u is not a power of two "
                     "between 1 and %u", vq->queue_index, vq->num,
                     vq->num_max);
        return false;
    }
    if (!QEMU_IS_ALIGNED(vq->desc, VRING_DESC_ALIGN_SIZE) ||
        !QEMU_IS_ALIGNED(vq->avail, VRING_AVAIL_ALIGN_SIZE) ||
        !QEMU_IS_ALIGNED(vq->used, VRING_USED_ALIGN_SIZE)) {
        virtio_error(vdev, "queue %u: misaligned ring (desc 0x%"
                     HWADDR_PRIx " avail 0x%" HWADDR_PRIx " used 0x%"
                     HWADDR_PRIx ")", vq->queue_index, vq->desc,
                     vq->avail, vq->used);
        return false;
    }
    if (!ram_ptr(as, vq->desc, desc_bytes(vq->num), false) ||
        !ram_ptr(as, vq->avail, avail_bytes(vq->num), false) ||
        !ram_ptr(as, vq->used, used_bytes(vq->num), true)) {
        virtio_error(vdev, "queue %u: ring not in guest RAM (desc 0x%"
                     HWADDR_PRIx " avail 0x%" HWADDR_PRIx " used 0x%"
                     HWADDR_PRIx ")", vq->queue_index, vq->desc,
                     vq->avail, vq->used);
        return false;
    }
    return true;
}

void virtio_queue_set_ready(VirtIODevice *vdev, int n, bool ready)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    if (!vq) {
        return;
    }
    if (!ready) {
        vq->ready = false;
        return;
    }
    if (vdev->broken || !virtqueue_check_layout(vq)) {
        return;
    }
    vq->ready = true;
    vq->notification = true;
}

bool virtio_queue_get_ready(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    return vq && vq->ready;
}

bool virtio_queue_ready(VirtQueue *vq)
{
    return vq->ready;
}

/* ---- Queues: taking requests ------------------------------------------- */

/* Read avail->idx; an index more than a ring ahead breaks the device. */
static bool vring_read_avail_idx(VirtQueue *vq)
{
    uint16_t idx;

    if (!ring_load16(vq, AVAIL_IDX(vq), &idx)) {
        return false;
    }
    if ((uint16_t)(idx - vq->last_avail_idx) > vq->num) {
        virtio_error(vq->vdev, "queue %u: avail index %u is more than %u "
                     "ahead of %u", vq->queue_index, idx, vq->num,
                     vq->last_avail_idx);
        return false;
    }
    vq->shadow_avail_idx = idx;
    return true;
}

bool virtio_queue_empty(VirtQueue *vq)
{
    if (!vq->ready || vq->vdev->broken) {
        return true;
    }
    if (vq->shadow_avail_idx != vq->last_avail_idx) {
        return false;
    }
    if (!vring_read_avail_idx(vq)) {
        return true;
    }
    return vq->shadow_avail_idx == vq->last_avail_idx;
}

static bool read_desc(VirtQueue *vq, hwaddr table, unsigned i,
                      VRingDesc *d)
{
    hwaddr addr = table + (hwaddr)i * VRING_DESC_SIZE;
    const uint8_t *p = ram_ptr(vq->vdev->dma_as, addr, VRING_DESC_SIZE,
                               false);

    if (!p) {
        virtio_error(vq->vdev, "queue %u: descriptor table at 0x%"
                     HWADDR_PRIx " is not in RAM", vq->queue_index, table);
        return false;
    }
    memcpy(&d->addr, p, 8);
    memcpy(&d->len, p + 8, 4);
    memcpy(&d->flags, p + 12, 2);
    memcpy(&d->next, p + 14, 2);
    d->addr = GUINT64_FROM_LE(d->addr);
    d->len = GUINT32_FROM_LE(d->len);
    d->flags = GUINT16_FROM_LE(d->flags);
    d->next = GUINT16_FROM_LE(d->next);
    return true;
}

/* The buffers of one chain while it is walked. */
typedef struct SgList {
    struct iovec out[VIRTQUEUE_MAX_SG];
    struct iovec in[VIRTQUEUE_MAX_SG];
    unsigned out_num;
    unsigned in_num;
} SgList;

/*
 * Add the buffer of descriptor @d: split at RAM region boundaries, all
 * of it in RAM (writable RAM for a device-writable buffer).
 */
static bool sg_add(VirtQueue *vq, SgList *sg, const VRingDesc *d)
{
    bool is_write = d->flags & VRING_DESC_F_WRITE;
    hwaddr addr = d->addr, left = d->len;

    while (left) {
        hwaddr xlat, plen;
        MemoryRegion *mr = address_space_translate(vq->vdev->dma_as, addr,
                                                   &xlat, &plen, is_write,
                                                   MEMTXATTRS_UNSPECIFIED);
        unsigned *n = is_write ? &sg->in_num : &sg->out_num;
        struct iovec *iov = is_write ? sg->in : sg->out;

        if (!mr || !memory_region_is_ram(mr) ||
            (is_write && memory_region_is_rom(mr)) || addr + left < addr) {
            virtio_error(vq->vdev, "queue %u: buffer 0x%" HWADDR_PRIx
                         "+0x%x is not in guest RAM", vq->queue_index,
                         d->addr, d->len);
            return false;
        }
        if (*n == VIRTQUEUE_MAX_SG) {
            virtio_error(vq->vdev, "queue %u: too many buffers in one "
                         "request", vq->queue_index);
            return false;
        }
        iov[*n].iov_base = (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
        iov[*n].iov_len = MIN(plen, left);
        addr += iov[*n].iov_len;
        left -= iov[*n].iov_len;
        (*n)++;
    }
    return true;
}

/* Switch from the ring's table to the indirect table @d points at. */
static bool enter_indirect(VirtQueue *vq, const VRingDesc *d,
                           hwaddr *table, unsigned *table_num)
{
    VirtIODevice *vdev = vq->vdev;

    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC)) {
        virtio_error(vdev, "queue %u: indirect descriptor without "
                     "VIRTIO_RING_F_INDIRECT_DESC", vq->queue_index);
        return false;
    }
    if (d->flags & VRING_DESC_F_NEXT) {
        virtio_error(vdev, "queue %u: indirect descriptor with NEXT set",
                     vq->queue_index);
        return false;
    }
    if (d->len == 0 || d->len % VRING_DESC_SIZE ||
        d->len / VRING_DESC_SIZE > VIRTQUEUE_MAX_SIZE) {
        virtio_error(vdev, "queue %u: indirect table length 0x%x is not "
                     "a multiple of %d up to %d entries", vq->queue_index,
                     d->len, VRING_DESC_SIZE, VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (!ram_ptr(vdev->dma_as, d->addr, d->len, false)) {
        virtio_error(vdev, "queue %u: indirect table 0x%" HWADDR_PRIx
                     "+0x%x is not in guest RAM", vq->queue_index,
                     (hwaddr)d->addr, d->len);
        return false;
    }
    *table = d->addr;
    *table_num = d->len / VRING_DESC_SIZE;
    return true;
}

/* Walk the chain starting at @head into @sg; false: device broken. */
static bool virtqueue_walk(VirtQueue *vq, unsigned head, SgList *sg)
{
    hwaddr table = vq->desc;
    unsigned table_num = vq->num, i = head, count = 0;
    bool indirect = false;
    VRingDesc d;

    for (;;) {
        if (!read_desc(vq, table, i, &d)) {
            return false;
        }
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (indirect || count) {
                virtio_error(vq->vdev, "queue %u: indirect descriptor "
                             "inside a chain", vq->queue_index);
                return false;
            }
            if (!enter_indirect(vq, &d, &table, &table_num)) {
                return false;
            }
            indirect = true;
            i = 0;
            continue;
        }

        /* More descriptors than the table holds means a loop. */
        if (++count > table_num) {
            virtio_error(vq->vdev, "queue %u: descriptor chain from %u "
                         "loops", vq->queue_index, head);
            return false;
        }
        if (d.len == 0) {
            virtio_error(vq->vdev, "queue %u: descriptor %u has length 0",
                         vq->queue_index, i);
            return false;
        }
        if (!(d.flags & VRING_DESC_F_WRITE) && sg->in_num) {
            virtio_error(vq->vdev, "queue %u: device-readable descriptor "
                         "after a device-writable one", vq->queue_index);
            return false;
        }
        if (!sg_add(vq, sg, &d)) {
            return false;
        }

        if (!(d.flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        if (d.next >= table_num) {
            virtio_error(vq->vdev, "queue %u: next descriptor %u out of "
                         "range (%u entries)", vq->queue_index, d.next,
                         table_num);
            return false;
        }
        i = d.next;
    }
}

static VirtQueueElement *element_new(size_t sz, unsigned head,
                                     const SgList *sg)
{
    size_t off = QEMU_ALIGN_UP(sz, sizeof(void *));
    size_t iov_bytes = (sg->out_num + sg->in_num) * sizeof(struct iovec);
    VirtQueueElement *elem = g_malloc0(off + iov_bytes);

    elem->index = head;
    elem->out_num = sg->out_num;
    elem->in_num = sg->in_num;
    elem->out_sg = (struct iovec *)((uint8_t *)elem + off);
    elem->in_sg = elem->out_sg + sg->out_num;
    memcpy(elem->out_sg, sg->out, sg->out_num * sizeof(struct iovec));
    memcpy(elem->in_sg, sg->in, sg->in_num * sizeof(struct iovec));
    return elem;
}

void *virtqueue_pop(VirtQueue *vq, size_t sz)
{
    g_autofree SgList *sg = NULL;
    VirtQueueElement *elem;
    uint16_t head;

    assert(sz >= sizeof(VirtQueueElement));
    if (virtio_queue_empty(vq)) {
        return NULL;
    }
    /* Ring entries are read only after avail->idx (driver's wmb). */
    smp_rmb();

    if (!ring_load16(vq, AVAIL_RING(vq, vq->last_avail_idx % vq->num),
                     &head)) {
        return NULL;
    }
    if (head >= vq->num) {
        virtio_error(vq->vdev, "queue %u: head descriptor %u out of range "
                     "(%u entries)", vq->queue_index, head, vq->num);
        return NULL;
    }
    sg = g_new(SgList, 1);
    sg->out_num = sg->in_num = 0;
    if (!virtqueue_walk(vq, head, sg)) {
        return NULL;
    }

    vq->last_avail_idx++;
    vq->inuse++;
    if (virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX) &&
        vq->notification) {
        ring_store16(vq, AVAIL_EVENT(vq), vq->last_avail_idx);
    }
    elem = element_new(sz, head, sg);
    return elem;
}

void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem,
                     unsigned int len)
{
    vq->last_avail_idx--;
    vq->inuse--;
}

void virtqueue_detach_element(VirtQueue *vq, const VirtQueueElement *elem,
                              unsigned int len)
{
    vq->inuse--;
}

/* ---- Queues: returning requests ---------------------------------------- */

void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len, unsigned int idx)
{
    hwaddr slot;

    if (vq->vdev->broken || !vq->ready) {
        return;
    }
    slot = USED_RING(vq, (uint16_t)(vq->used_idx + idx) % vq->num);
    if (ring_store32(vq, slot, elem->index)) {
        ring_store32(vq, slot + 4, len);
    }
}

void virtqueue_flush(VirtQueue *vq, unsigned int count)
{
    uint16_t old = vq->used_idx, new = old + count;

    vq->inuse -= count;
    if (vq->vdev->broken || !vq->ready) {
        return;
    }
    /* The used elements are visible before the index that covers them. */
    smp_wmb();
    if (!ring_store16(vq, USED_IDX(vq), new)) {
        return;
    }
    vq->used_idx = new;
    /* signalled_used is stale once the index wraps past it. */
    if ((uint16_t)(new - vq->signalled_used) < (uint16_t)(new - old)) {
        vq->signalled_used_valid = false;
    }
}

void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len)
{
    virtqueue_fill(vq, elem, len, 0);
    virtqueue_flush(vq, 1);
}

/* ---- Notifications ----------------------------------------------------- */

void virtio_queue_set_notification(VirtQueue *vq, int enable)
{
    VirtIODevice *vdev = vq->vdev;
    uint16_t flags;

    vq->notification = enable;
    if (!vq->ready || vdev->broken) {
        return;
    }
    if (virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        if (enable && vring_read_avail_idx(vq)) {
            ring_store16(vq, AVAIL_EVENT(vq), vq->shadow_avail_idx);
        }
    } else if (ring_load16(vq, USED_FLAGS(vq), &flags)) {
        flags = enable ? flags & ~VRING_USED_F_NO_NOTIFY
                       : flags | VRING_USED_F_NO_NOTIFY;
        ring_store16(vq, USED_FLAGS(vq), flags);
    }
    /* Publish the request before checking the ring again. */
    if (enable) {
        smp_mb();
    }
}

/* used_event crossed between @old and @new (spec's vring_need_event). */
static bool vring_need_event(uint16_t event, uint16_t new, uint16_t old)
{
    return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t flags, event, old, new;
    bool valid;

    if (vdev->broken || !vq->ready) {
        return false;
    }
    /* The used index is written before the driver's wishes are read. */
    smp_mb();
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) &&
        !vq->inuse && virtio_queue_empty(vq)) {
        return true;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return ring_load16(vq, AVAIL_FLAGS(vq), &flags) &&
               !(flags & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->signalled_used_valid;
    old = vq->signalled_used;
    new = vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    if (!ring_load16(vq, USED_EVENT(vq), &event)) {
        return false;
    }
    return !valid || vring_need_event(event, new, old);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (!virtio_should_notify(vdev, vq)) {
        return;
    }
    vdev->isr |= VIRTIO_ISR_QUEUE;
    virtio_bus_notify(vdev);
}

void virtio_queue_notify(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = queue_or_null(vdev, n);

    if (!vq) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: notify for queue %d, which "
                      "does not exist\n", vdev->name, n);
        return;
    }
    if (vdev->broken) {
        return;
    }
    if (!vq->ready) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: notify for queue %d, which "
                      "is not ready\n", vdev->name, n);
        return;
    }
    if (vq->handle_output) {
        vq->handle_output(vdev, vq);
    }
}

/* ---- Configuration space ---------------------------------------------- */

uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr,
                            unsigned size)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    uint32_t val = 0;

    if (addr + size > vdev->config_len || size > sizeof(val)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: config read of %u bytes at "
                      "0x%x beyond %zu bytes\n", vdev->name, size, addr,
                      vdev->config_len);
        return 0;
    }
    if (vdc->get_config) {
        vdc->get_config(vdev, vdev->config);
    }
    memcpy(&val, vdev->config + addr, size);
    return GUINT32_FROM_LE(val);
}

void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint32_t val,
                         unsigned size)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (addr + size > vdev->config_len || size > sizeof(val)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: config write of %u bytes at "
                      "0x%x beyond %zu bytes\n", vdev->name, size, addr,
                      vdev->config_len);
        return;
    }
    val = GUINT32_TO_LE(val);
    memcpy(vdev->config + addr, &val, size);
    if (vdc->set_config) {
        vdc->set_config(vdev, vdev->config);
    }
}

/* ---- The device base type ---------------------------------------------- */

void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_len)
{
    vdev->device_id = device_id;
    vdev->name = object_get_typename(OBJECT(vdev));
    vdev->config_len = config_len;
    vdev->config = config_len ? g_malloc0(config_len) : NULL;
    vdev->vq = g_new0(VirtQueue, VIRTIO_QUEUE_MAX);
    for (int i = 0; i < VIRTIO_QUEUE_MAX; i++) {
        vdev->vq[i].vdev = vdev;
        vdev->vq[i].queue_index = i;
    }
}

void virtio_cleanup(VirtIODevice *vdev)
{
    g_free(vdev->config);
    vdev->config = NULL;
    g_free(vdev->vq);
    vdev->vq = NULL;
}

VirtIODevice *virtio_bus_get_device(VirtioBusState *bus)
{
    BusState *b = BUS(bus);

    if (!b->children) {
        return NULL;
    }
    return VIRTIO_DEVICE(((BusChild *)b->children->data)->child);
}

/* Features every device offers, from the common properties. */
static uint64_t virtio_base_features(VirtIODevice *vdev)
{
    uint64_t f = 0;

    if (!vdev->legacy) {
        virtio_add_feature(&f, VIRTIO_F_VERSION_1);
    }
    if (vdev->indirect_desc) {
        virtio_add_feature(&f, VIRTIO_RING_F_INDIRECT_DESC);
    }
    if (vdev->event_idx) {
        virtio_add_feature(&f, VIRTIO_RING_F_EVENT_IDX);
    }
    return f;
}

static void virtio_device_realize(DeviceState *dev, Error **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);
    BusState *bus = qdev_get_parent_bus(dev);
    VirtioBusClass *k = VIRTIO_BUS_GET_CLASS(bus);
    Error *err = NULL;

    vdev->legacy = k->is_legacy && k->is_legacy(bus->parent);
    vdev->dma_as = k->get_dma_as ? k->get_dma_as(bus->parent)
                                 : &address_space_memory;
    vdc->realize(dev, &err);
    if (err) {
        error_propagate(errp, err);
        return;
    }
    vdev->host_features = vdc->get_features(vdev,
                                            virtio_base_features(vdev),
                                            &err);
    if (!err && k->device_plugged) {
        k->device_plugged(bus->parent, &err);
    }
    if (err) {
        error_propagate(errp, err);
        if (vdc->unrealize) {
            vdc->unrealize(dev);
        }
    }
}

static void virtio_device_unrealize(DeviceState *dev)
{
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);
    BusState *bus = qdev_get_parent_bus(dev);
    VirtioBusClass *k = VIRTIO_BUS_GET_CLASS(bus);

    if (k->device_unplugged) {
        k->device_unplugged(bus->parent);
    }
    if (vdc->unrealize) {
        vdc->unrealize(dev);
    }
}

static void virtio_device_reset(DeviceState *dev)
{
    virtio_reset(VIRTIO_DEVICE(dev));
}

static Property virtio_properties[] = {
    DEFINE_PROP_BOOL("indirect_desc", VirtIODevice, indirect_desc, true),
    DEFINE_PROP_BOOL("event_idx", VirtIODevice, event_idx, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = virtio_device_realize;
    dc->unrealize = virtio_device_unrealize;
    dc->bus_type = TYPE_VIRTIO_BUS;
    device_class_set_legacy_reset(dc, virtio_device_reset);
    device_class_set_props(dc, virtio_properties);
}

static const TypeInfo virtio_types[] = {
    {
        .name = TYPE_VIRTIO_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(VirtIODevice),
        .abstract = true,
        .class_size = sizeof(VirtioDeviceClass),
        .class_init = virtio_device_class_init,
    },
    {
        .name = TYPE_VIRTIO_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(VirtioBusState),
        .abstract = true,
        .class_size = sizeof(VirtioBusClass),
    },
};

DEFINE_TYPES(virtio_types)
