/*
 * rng-builtin.c: entropy from the host kernel's getrandom(), delivered
 * from a bottom half.  virtio-rng uses one when no rng= is given.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qom/object_interfaces.h"
#include "sysemu/rng.h"
#include <sys/random.h>

typedef struct RngBuiltin {
    RngBackend parent_obj;
    QEMUBH *bh;
} RngBuiltin;

DECLARE_INSTANCE_CHECKER(RngBuiltin, RNG_BUILTIN, TYPE_RNG_BUILTIN)

/* Fill @buf; getrandom() may return less than asked or be interrupted. */
static void fill_random(uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = getrandom(buf, len, 0);

        if (n < 0) {
            assert(errno == EINTR);
            continue;
        }
        buf += n;
        len -= n;
    }
}

static void rng_builtin_bh(void *opaque)
{
    RngBackend *s = opaque;
    RngRequest *req;

    while ((req = g_queue_peek_head(&s->requests))) {
        fill_random(req->data, req->size);
        rng_backend_finalize_request(s, req, req->size);
    }
}

static void rng_builtin_request_entropy(RngBackend *s, RngRequest *req)
{
    qemu_bh_schedule(RNG_BUILTIN(s)->bh);
}

static void rng_builtin_init(Object *obj)
{
    RNG_BUILTIN(obj)->bh = qemu_bh_new(rng_builtin_bh, obj);
}

static void rng_builtin_finalize(Object *obj)
{
    qemu_bh_delete(RNG_BUILTIN(obj)->bh);
}

static void rng_builtin_class_init(ObjectClass *oc, void *data)
{
    RNG_BACKEND_CLASS(oc)->request_entropy = rng_builtin_request_entropy;
}

static const TypeInfo rng_builtin_info = {
    .name = TYPE_RNG_BUILTIN,
    .parent = TYPE_RNG_BACKEND,
    .instance_size = sizeof(RngBuiltin),
    .instance_init = rng_builtin_init,
    .instance_finalize = rng_builtin_finalize,
    .class_init = rng_builtin_class_init,
};

static void rng_builtin_register_types(void)
{
    type_register_static(&rng_builtin_info);
}

type_init(rng_builtin_register_types)
