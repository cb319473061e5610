/*
 * virtio.h: the virtio device core (devices, split virtqueues, feature
 * negotiation) shared by every transport and device model.
 *
 * A virtio device (TYPE_VIRTIO_DEVICE subclass: virtio-blk-device,
 * virtio-rng-device) plugs into a virtio bus (TYPE_VIRTIO_BUS) that a
 * transport (virtio-mmio) creates.  The transport decodes the guest's
 * register accesses and calls the functions below; the device model
 * adds its queues at realize, pops requests from them in its
 * handle_output callback and pushes completions back.
 *
 * Guest memory: every descriptor and ring is translated through the
 * device's DMA address space and must lie entirely in guest RAM.
 * Anything else (MMIO, a hole, a loop in a descriptor chain, a bad
 * index...) marks the device broken: DEVICE_NEEDS_RESET is set in the
 * status, a configuration interrupt is raised, a guest_errors line is
 * logged and the device processes nothing until the driver resets it.
 * The emulator never reads or writes outside guest RAM.
 *
 * Threads: everything here runs with the big lock held (MMIO handlers,
 * bottom halves, block completions).  Host pointers in a popped element
 * stay valid until the element is pushed (guest RAM is never unmapped
 * while the machine runs), so a device may hand them to the block worker
 * threads.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include "hw/qdev-core.h"
#include "exec/memory.h"
#include <sys/uio.h>

#define TYPE_VIRTIO_DEVICE "virtio-device"
#define TYPE_VIRTIO_BUS "virtio-bus"

/* Device status bits (virtio 1.x section 2.1). */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE     1
#define VIRTIO_CONFIG_S_DRIVER          2
#define VIRTIO_CONFIG_S_DRIVER_OK       4
#define VIRTIO_CONFIG_S_FEATURES_OK     8
#define VIRTIO_CONFIG_S_NEEDS_RESET     0x40
#define VIRTIO_CONFIG_S_FAILED          0x80

/* Reserved feature bits (section 6). */
#define VIRTIO_F_NOTIFY_ON_EMPTY        24
#define VIRTIO_F_ANY_LAYOUT             27
#define VIRTIO_RING_F_INDIRECT_DESC     28
#define VIRTIO_RING_F_EVENT_IDX         29
#define VIRTIO_F_VERSION_1              32

/* Interrupt status bits (ISR). */
#define VIRTIO_ISR_QUEUE                1   /* used buffer notification */
#define VIRTIO_ISR_CONFIG               2   /* configuration change */

/* Split virtqueue descriptor flags and ring flags (section 2.7). */
#define VRING_DESC_F_NEXT               1
#define VRING_DESC_F_WRITE              2
#define VRING_DESC_F_INDIRECT           4
#define VRING_AVAIL_F_NO_INTERRUPT      1
#define VRING_USED_F_NO_NOTIFY          1

/* Alignment the driver must give each part of a split ring (bytes). */
#define VRING_DESC_ALIGN_SIZE           16
#define VRING_AVAIL_ALIGN_SIZE          2
#define VRING_USED_ALIGN_SIZE           4

/* Limits of this implementation. */
#define VIRTIO_QUEUE_MAX                8
#define VIRTQUEUE_MAX_SIZE              1024

/* Device IDs (section 5). */
#define VIRTIO_ID_NONE                  0
#define VIRTIO_ID_BLOCK                 2
#define VIRTIO_ID_RNG                   4

typedef struct VirtQueue VirtQueue;
typedef struct VirtIODevice VirtIODevice;
typedef struct VirtioBusState VirtioBusState;

/*
 * One request taken from a queue: the device-readable buffers (out_sg)
 * and device-writable buffers (in_sg) as host pointers into guest RAM.
 * A descriptor that straddles two RAM regions gives two iovecs.  The
 * element (and its arrays, allocated with it) is freed with g_free().
 */
typedef struct VirtQueueElement {
    unsigned int index;         /* head descriptor index */
    unsigned int len;           /* filled by the device */
    unsigned int out_num;
    unsigned int in_num;
    struct iovec *out_sg;
    struct iovec *in_sg;
} VirtQueueElement;

typedef void (*VirtIOHandleOutput)(VirtIODevice *vdev, VirtQueue *vq);

OBJECT_DECLARE_TYPE(VirtIODevice, VirtioDeviceClass, VIRTIO_DEVICE)

struct VirtIODevice {
    DeviceState parent_obj;

    const char *name;
    uint16_t device_id;
    uint8_t status;
    uint8_t isr;                /* VIRTIO_ISR_* pending for the driver */
    uint64_t host_features;     /* offered (set at plug time) */
    uint64_t guest_features;    /* accepted by the driver */
    size_t config_len;
    uint8_t *config;            /* config_len bytes, device byte layout */
    uint32_t generation;        /* ConfigGeneration */
    VirtQueue *vq;              /* VIRTIO_QUEUE_MAX entries */
    bool broken;                /* guest misbehaved: wait for a reset */
    bool legacy;                /* transport is virtio 0.9.5 (legacy) */
    AddressSpace *dma_as;       /* where rings and buffers live */

    /* Properties common to every virtio device (QEMU's names). */
    bool indirect_desc;
    bool event_idx;
};

struct VirtioDeviceClass {
    DeviceClass parent_class;

    /* Subclass realize/unrealize (the base class plugs into the bus). */
    DeviceRealize realize;
    DeviceUnrealize unrealize;
    /* Add device features to @features (the core's); return the set. */
    uint64_t (*get_features)(VirtIODevice *vdev, uint64_t features,
                             Error **errp);
    /* The driver accepted @val (already masked to the offer). */
    void (*set_features)(VirtIODevice *vdev, uint64_t val);
    /* Fill / consume vdev->config (device byte layout). */
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    /* Device part of a reset (queues are reset by the core after it). */
    void (*reset)(VirtIODevice *vdev);
    /* The driver wrote @status (after the core stored it). */
    void (*set_status)(VirtIODevice *vdev, uint8_t status);
};

/*
 * The virtio bus, and what a transport implements for its devices.
 * The transport is the bus's parent device.
 */
typedef struct VirtioBusClass {
    BusClass parent_class;

    /* Raise the transport's interrupt for the current vdev->isr. */
    void (*notify)(DeviceState *transport);
    /* A device was plugged / unplugged. */
    void (*device_plugged)(DeviceState *transport, Error **errp);
    void (*device_unplugged)(DeviceState *transport);
    /* The address space device DMA goes to. */
    AddressSpace *(*get_dma_as)(DeviceState *transport);
    /* True when the transport speaks the legacy (0.9.5) interface. */
    bool (*is_legacy)(DeviceState *transport);
} VirtioBusClass;

struct VirtioBusState {
    BusState parent_obj;
};

DECLARE_OBJ_CHECKERS(VirtioBusState, VirtioBusClass, VIRTIO_BUS,
                     TYPE_VIRTIO_BUS)

/* The device on @bus, or NULL (an empty transport). */
VirtIODevice *virtio_bus_get_device(VirtioBusState *bus);

/* ---- Device model side ---- */

/* Call from the subclass realize before adding queues. */
void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_len);
void virtio_cleanup(VirtIODevice *vdev);
/*
 * Add a queue of at most @queue_size entries (a power of two, up to
 * VIRTQUEUE_MAX_SIZE); @handle_output runs when the driver notifies it.
 */
VirtQueue *virtio_add_queue(VirtIODevice *vdev, int queue_size,
                            VirtIOHandleOutput handle_output);
VirtQueue *virtio_get_queue(VirtIODevice *vdev, int n);
int virtio_get_queue_index(VirtQueue *vq);
VirtIODevice *virtio_queue_get_vdev(VirtQueue *vq);

/*
 * Take the next available request, as a new element of @sz bytes
 * (sz >= sizeof(VirtQueueElement): the device's request struct starting
 * with the element).  NULL when the queue is empty, not ready, or the
 * device is (or just became) broken.
 */
void *virtqueue_pop(VirtQueue *vq, size_t sz);
/* Put a popped element back (it will be popped again). */
void virtqueue_unpop(VirtQueue *vq, const VirtQueueElement *elem,
                     unsigned int len);
/* Give the element back unused (no used-ring entry). */
void virtqueue_detach_element(VirtQueue *vq, const VirtQueueElement *elem,
                              unsigned int len);
/*
 * Return @elem with @len bytes written into its in_sg: fill writes the
 * used-ring entry at slot @idx past the used index, flush publishes
 * @count entries; push is fill(0) + flush(1).  The caller still frees
 * @elem and calls virtio_notify().
 */
void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len, unsigned int idx);
void virtqueue_flush(VirtQueue *vq, unsigned int count);
void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len);
/* True when the driver has made no new buffer available. */
bool virtio_queue_empty(VirtQueue *vq);
bool virtio_queue_ready(VirtQueue *vq);
/*
 * Ask the driver to notify (or not) when it adds buffers: the used
 * ring's NO_NOTIFY flag, or avail_event with EVENT_IDX.
 */
void virtio_queue_set_notification(VirtQueue *vq, int enable);
/* Interrupt the driver for @vq unless it suppressed it (flags or
 * used_event). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
/* The configuration changed: bump generation, config interrupt. */
void virtio_notify_config(VirtIODevice *vdev);
/*
 * The guest broke the protocol: log (guest_errors, with the device
 * name), mark broken, set NEEDS_RESET and send a config interrupt.
 */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
bool virtio_vdev_has_feature(const VirtIODevice *vdev, unsigned int fbit);
bool virtio_host_has_feature(const VirtIODevice *vdev, unsigned int fbit);
static inline void virtio_add_feature(uint64_t *features, unsigned int fbit)
{
    *features |= UINT64_C(1) << fbit;
}
static inline void virtio_clear_feature(uint64_t *features,
                                        unsigned int fbit)
{
    *features &= ~(UINT64_C(1) << fbit);
}
static inline bool virtio_has_feature(uint64_t features, unsigned int fbit)
{
    return features & (UINT64_C(1) << fbit);
}
/* Status has DRIVER_OK and the device is not broken. */
bool virtio_device_started(const VirtIODevice *vdev);

/* ---- Transport side ---- */

void virtio_reset(VirtIODevice *vdev);
/* Store a status write; 0 resets.  Returns false (and logs) if
 * FEATURES_OK was refused. */
bool virtio_set_status(VirtIODevice *vdev, uint8_t status);
/* The driver's feature choice; false if refused (after FEATURES_OK). */
bool virtio_set_features(VirtIODevice *vdev, uint64_t val);
/* The driver notified queue @n (runs handle_output synchronously). */
void virtio_queue_notify(VirtIODevice *vdev, int n);

int virtio_queue_get_max_num(VirtIODevice *vdev, int n);  /* 0: none */
int virtio_queue_get_num(VirtIODevice *vdev, int n);
void virtio_queue_set_num(VirtIODevice *vdev, int n, int num);
/* Modern: the three ring addresses chosen by the driver. */
void virtio_queue_set_rings(VirtIODevice *vdev, int n, hwaddr desc,
                            hwaddr avail, hwaddr used);
void virtio_queue_get_rings(VirtIODevice *vdev, int n, hwaddr *desc,
                            hwaddr *avail, hwaddr *used);
/* Legacy: one contiguous ring at @desc with the used ring at @align. */
void virtio_queue_set_legacy_ring(VirtIODevice *vdev, int n, hwaddr desc,
                                  unsigned int align);
/*
 * Enable (checking size and ring placement; a bad queue breaks the
 * device) or disable queue @n.
 */
void virtio_queue_set_ready(VirtIODevice *vdev, int n, bool ready);
bool virtio_queue_get_ready(VirtIODevice *vdev, int n);

/* Configuration space accessors (offset from the config base). */
uint32_t virtio_config_read(VirtIODevice *vdev, uint32_t addr,
                            unsigned size);
void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint32_t val,
                         unsigned size);

#endif /* HW_VIRTIO_VIRTIO_H */
