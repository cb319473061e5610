/*
 * rng-random.c: entropy read from a host file or device
 * (-object rng-random,id=ID,filename=/dev/urandom).
 *
 * The file is opened non-blocking when the object is completed; while
 * requests are queued a read handler in the main loop serves them, so a
 * slow /dev/random never blocks a vCPU or the main loop.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qapi/error.h"
#include "qom/object_interfaces.h"
#include "sysemu/rng.h"

typedef struct RngRandom {
    RngBackend parent_obj;
    char *filename;
    int fd;                     /* -1 until opened */
} RngRandom;

DECLARE_INSTANCE_CHECKER(RngRandom, RNG_RANDOM, TYPE_RNG_RANDOM)

static void rng_random_readable(void *opaque)
{
    RngRandom *s = opaque;
    RngBackend *b = RNG_BACKEND(s);
    RngRequest *req = g_queue_peek_head(&b->requests);
    ssize_t n;

    if (!req) {
        qemu_set_fd_handler(s->fd, NULL, NULL, NULL);
        return;
    }
    n = read(s->fd, req->data, req->size);
    if (n <= 0) {
        /* EAGAIN, EINTR or end of a regular file: try again later. */
        return;
    }
    rng_backend_finalize_request(b, req, n);
    if (g_queue_is_empty(&b->requests)) {
        qemu_set_fd_handler(s->fd, NULL, NULL, NULL);
    }
}

static void rng_random_request_entropy(RngBackend *b, RngRequest *req)
{
    RngRandom *s = RNG_RANDOM(b);

    qemu_set_fd_handler(s->fd, rng_random_readable, NULL, s);
}

static void rng_random_opened(RngBackend *b, Error **errp)
{
    RngRandom *s = RNG_RANDOM(b);

    if (!s->filename || !*s->filename) {
        error_setg(errp, "Parameter 'filename' expects a file name");
        return;
    }
    s->fd = open(s->filename, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (s->fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", s->filename);
    }
}

static char *rng_random_get_filename(Object *obj, Error **errp)
{
    return g_strdup(RNG_RANDOM(obj)->filename);
}

static void rng_random_set_filename(Object *obj, const char *filename,
                                    Error **errp)
{
    RngRandom *s = RNG_RANDOM(obj);

    if (RNG_BACKEND(obj)->opened) {
        error_setg(errp, "Property 'filename' can no longer be set");
        return;
    }
    g_free(s->filename);
    s->filename = g_strdup(filename);
}

static void rng_random_init(Object *obj)
{
    RngRandom *s = RNG_RANDOM(obj);

    s->fd = -1;
    s->filename = g_strdup("/dev/urandom");
}

static void rng_random_finalize(Object *obj)
{
    RngRandom *s = RNG_RANDOM(obj);

    if (s->fd >= 0) {
        qemu_set_fd_handler(s->fd, NULL, NULL, NULL);
        close(s->fd);
    }
    g_free(s->filename);
}

static void rng_random_class_init(ObjectClass *oc, void *data)
{
    RngBackendClass *k = RNG_BACKEND_CLASS(oc);

    k->opened = rng_random_opened;
    k->request_entropy = rng_random_request_entropy;
    object_class_property_add_str(oc, "filename", rng_random_get_filename,
                                  rng_random_set_filename);
}

static const TypeInfo rng_random_info = {
    .name = TYPE_RNG_RANDOM,
    .parent = TYPE_RNG_BACKEND,
    .instance_size = sizeof(RngRandom),
    .instance_init = rng_random_init,
    .instance_finalize = rng_random_finalize,
    .class_init = rng_random_class_init,
};

static void rng_random_register_types(void)
{
    type_register_static(&rng_random_info);
}

type_init(rng_random_register_types)
