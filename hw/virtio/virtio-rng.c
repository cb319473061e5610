/*
 * virtio-rng.c: the virtio entropy device (see hw/virtio/virtio-rng.h).
 *
 * One buffer is served at a time: pop it, ask the backend for as many
 * bytes as it holds (capped by the quota), and push it when the bytes
 * arrive.  The rate-limit period starts with the first request after a
 * refill, as in QEMU, so an idle device costs no timer wake-ups.
 */
#include "qemu/osdep.h"
#include "qemu/iov.h"
#include "qapi/error.h"
#include "qom/object_interfaces.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio-rng.h"

static bool is_guest_ready(VirtIORNG *vrng)
{
    return virtio_device_started(VIRTIO_DEVICE(vrng)) &&
           virtio_queue_ready(vrng->vq);
}

static void virtio_rng_process(VirtIORNG *vrng);

static void chr_read(void *opaque, const void *buf, size_t size)
{
    VirtIORNG *vrng = opaque;
    VirtQueueElement *elem = vrng->pending;
    size_t len;

    vrng->pending = NULL;
    if (!elem) {
        return;
    }
    len = iov_from_buf(elem->in_sg, elem->in_num, 0, buf, size);
    vrng->quota_remaining -= len;
    virtqueue_push(vrng->vq, elem, len);
    virtio_notify(VIRTIO_DEVICE(vrng), vrng->vq);
    g_free(elem);
    virtio_rng_process(vrng);
}

static void virtio_rng_process(VirtIORNG *vrng)
{
    VirtQueueElement *elem;
    size_t size;

    if (!is_guest_ready(vrng) || vrng->pending ||
        vrng->quota_remaining <= 0) {
        return;
    }
    if (vrng->activate_timer) {
        timer_mod(vrng->rate_limit_timer,
                  qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL) + vrng->period_ms);
        vrng->activate_timer = false;
    }

    /* Buffers the driver made read-only get nothing. */
    while ((elem = virtqueue_pop(vrng->vq, sizeof(*elem)))) {
        size = MIN(iov_size(elem->in_sg, elem->in_num),
                   (uint64_t)vrng->quota_remaining);
        if (size) {
            vrng->pending = elem;
            rng_backend_request_entropy(vrng->rng, size, chr_read, vrng);
            return;
        }
        virtqueue_push(vrng->vq, elem, 0);
        virtio_notify(VIRTIO_DEVICE(vrng), vrng->vq);
        g_free(elem);
    }
}

static void handle_input(VirtIODevice *vdev, VirtQueue *vq)
{
    virtio_rng_process(VIRTIO_RNG(vdev));
}

/* A new period: full quota again. */
static void check_rate_limit(void *opaque)
{
    VirtIORNG *vrng = opaque;

    vrng->quota_remaining = vrng->max_bytes;
    vrng->activate_timer = true;
    virtio_rng_process(vrng);
}

static void virtio_rng_set_status(VirtIODevice *vdev, uint8_t status)
{
    virtio_rng_process(VIRTIO_RNG(vdev));
}

static uint64_t get_features(VirtIODevice *vdev, uint64_t f, Error **errp)
{
    return f;
}

/* The element in the backend's hands belongs to rings being reset. */
static void virtio_rng_reset(VirtIODevice *vdev)
{
    VirtIORNG *vrng = VIRTIO_RNG(vdev);

    if (vrng->rng) {
        rng_backend_cancel_requests(vrng->rng, vrng);
    }
    g_free(vrng->pending);
    vrng->pending = NULL;
}

static bool virtio_rng_use_default_backend(VirtIORNG *vrng, Error **errp)
{
    Object *b = object_new(TYPE_RNG_BUILTIN);

    if (!user_creatable_complete(USER_CREATABLE(b), errp)) {
        object_unref(b);
        return false;
    }
    object_property_add_child(OBJECT(vrng), "default-backend", b);
    object_unref(b);
    vrng->default_backend = RNG_BACKEND(b);
    return object_property_set_link(OBJECT(vrng), "rng", b, errp);
}

static void virtio_rng_device_realize(DeviceState *dev, Error **errp)
{
    VirtIORNG *vrng = VIRTIO_RNG(dev);
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);

    if (vrng->period_ms == 0) {
        error_setg(errp, "'period' parameter expects a positive integer");
        return;
    }
    if (vrng->max_bytes > INT64_MAX) {
        error_setg(errp, "'max-bytes' parameter must be non-negative, "
                   "and less than 2^63");
        return;
    }
    if (!vrng->rng && !virtio_rng_use_default_backend(vrng, errp)) {
        return;
    }

    virtio_init(vdev, VIRTIO_ID_RNG, 0);
    vrng->vq = virtio_add_queue(vdev, VIRTIO_RNG_QUEUE_SIZE, handle_input);
    vrng->quota_remaining = vrng->max_bytes;
    vrng->activate_timer = true;
    vrng->rate_limit_timer = timer_new_ms(QEMU_CLOCK_VIRTUAL,
                                          check_rate_limit, vrng);
}

static void virtio_rng_device_unrealize(DeviceState *dev)
{
    VirtIORNG *vrng = VIRTIO_RNG(dev);

    virtio_rng_reset(VIRTIO_DEVICE(dev));
    timer_free(vrng->rate_limit_timer);
    vrng->rate_limit_timer = NULL;
    virtio_cleanup(VIRTIO_DEVICE(dev));
}

static Property virtio_rng_properties[] = {
    DEFINE_PROP_UINT64("max-bytes", VirtIORNG, max_bytes, INT64_MAX),
    DEFINE_PROP_UINT32("period", VirtIORNG, period_ms, 1 << 16),
    DEFINE_PROP_LINK("rng", VirtIORNG, rng, TYPE_RNG_BACKEND,
                     RngBackend *),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_rng_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->desc = "Virtio entropy source";
    device_class_set_category(dc, DEVICE_CATEGORY_MISC);
    device_class_set_props(dc, virtio_rng_properties);
    vdc->realize = virtio_rng_device_realize;
    vdc->unrealize = virtio_rng_device_unrealize;
    vdc->get_features = get_features;
    vdc->set_status = virtio_rng_set_status;
    vdc->reset = virtio_rng_reset;
}

static const TypeInfo virtio_rng_info = {
    .name = TYPE_VIRTIO_RNG,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIORNG),
    .class_init = virtio_rng_class_init,
};

static void virtio_rng_register_types(void)
{
    type_register_static(&virtio_rng_info);
}

type_init(virtio_rng_register_types)
