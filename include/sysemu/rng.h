/*
 * rng.h: entropy backends for virtio-rng (-object rng-random,
 * -object rng-builtin).
 *
 * A backend is a user-creatable object (TYPE_RNG_BACKEND subclass).  A
 * device asks for @size bytes with rng_backend_request_entropy(); the
 * backend calls @receive_entropy(@opaque, data, n) later, from the main
 * loop (never from inside the request call), with 1 <= n <= size bytes.
 * Requests are served in order.  Everything runs under the big lock.
 */
#ifndef SYSEMU_RNG_H
#define SYSEMU_RNG_H

#include "qom/object.h"

#define TYPE_RNG_BACKEND "rng-backend"
#define TYPE_RNG_RANDOM "rng-random"
#define TYPE_RNG_BUILTIN "rng-builtin"

typedef struct RngBackend RngBackend;
typedef struct RngBackendClass RngBackendClass;
DECLARE_OBJ_CHECKERS(RngBackend, RngBackendClass, RNG_BACKEND,
                     TYPE_RNG_BACKEND)

typedef void (EntropyReceiveFunc)(void *opaque, const void *data,
                                  size_t size);

typedef struct RngRequest {
    EntropyReceiveFunc *receive_entropy;
    void *opaque;
    uint8_t *data;
    size_t size;
} RngRequest;

struct RngBackendClass {
    ObjectClass parent_class;

    /* Acquire resources (complete() of -object); errp on failure. */
    void (*opened)(RngBackend *s, Error **errp);
    /* A request was queued at the tail of s->requests. */
    void (*request_entropy)(RngBackend *s, RngRequest *req);
};

struct RngBackend {
    Object parent_obj;

    bool opened;
    GQueue requests;            /* RngRequest *, oldest first */
};

/* Queue a request for @size (> 0) bytes. */
void rng_backend_request_entropy(RngBackend *s, size_t size,
                                 EntropyReceiveFunc *receive_entropy,
                                 void *opaque);
/* Drop every queued request made with @opaque (device going away). */
void rng_backend_cancel_requests(RngBackend *s, void *opaque);

/* For backends: deliver @len bytes of @req->data and drop the request. */
void rng_backend_finalize_request(RngBackend *s, RngRequest *req,
                                  size_t len);

#endif /* SYSEMU_RNG_H */
