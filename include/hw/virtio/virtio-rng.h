/*
 * virtio-rng.h: the virtio entropy device (virtio 1.x section 5.4).
 *
 * "-device virtio-rng-device[,rng=ID][,max-bytes=N][,period=MS]": the
 * guest posts device-writable buffers on its one queue and the device
 * fills them from an entropy backend (rng=, or an internal rng-builtin
 * when absent).  At most max-bytes are delivered per period
 * milliseconds of virtual time.  Big lock throughout.
 */
#ifndef HW_VIRTIO_VIRTIO_RNG_H
#define HW_VIRTIO_VIRTIO_RNG_H

#include "hw/virtio/virtio.h"
#include "sysemu/rng.h"
#include "qemu/timer.h"

#define TYPE_VIRTIO_RNG "virtio-rng-device"
OBJECT_DECLARE_SIMPLE_TYPE(VirtIORNG, VIRTIO_RNG)

/* Entries of the request queue (QEMU's size). */
#define VIRTIO_RNG_QUEUE_SIZE 8

struct VirtIORNG {
    VirtIODevice parent_obj;

    /* Properties. */
    RngBackend *rng;
    uint64_t max_bytes;
    uint32_t period_ms;

    RngBackend *default_backend;    /* when rng= is not given */
    VirtQueue *vq;
    VirtQueueElement *pending;      /* waiting for the backend */
    int64_t quota_remaining;        /* bytes left in this period */
    bool activate_timer;            /* the period starts at next use */
    QEMUTimer *rate_limit_timer;    /* QEMU_CLOCK_VIRTUAL, ms */
};

#endif /* HW_VIRTIO_VIRTIO_RNG_H */
