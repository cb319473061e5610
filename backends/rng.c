/*
 * rng.c: the abstract entropy backend (see sysemu/rng.h).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qom/object_interfaces.h"
#include "sysemu/rng.h"

void rng_backend_request_entropy(RngBackend *s, size_t size,
                                 EntropyReceiveFunc *receive_entropy,
                                 void *opaque)
{
    RngBackendClass *k = RNG_BACKEND_GET_CLASS(s);
    RngRequest *req = g_new0(RngRequest, 1);

    assert(size > 0);
    req->receive_entropy = receive_entropy;
    req->opaque = opaque;
    req->data = g_malloc(size);
    req->size = size;
    g_queue_push_tail(&s->requests, req);
    k->request_entropy(s, req);
}

static void rng_request_free(RngRequest *req)
{
    g_free(req->data);
    g_free(req);
}

void rng_backend_finalize_request(RngBackend *s, RngRequest *req,
                                  size_t len)
{
    g_queue_remove(&s->requests, req);
    req->receive_entropy(req->opaque, req->data, len);
    rng_request_free(req);
}

void rng_backend_cancel_requests(RngBackend *s, void *opaque)
{
    GList *l = s->requests.head;

    while (l) {
        GList *next = l->next;
        RngRequest *req = l->data;

        if (req->opaque == opaque) {
            g_queue_delete_link(&s->requests, l);
            rng_request_free(req);
        }
        l = next;
    }
}

static void rng_backend_complete(UserCreatable *uc, Error **errp)
{
    RngBackend *s = RNG_BACKEND(uc);
    RngBackendClass *k = RNG_BACKEND_GET_CLASS(s);
    Error *err = NULL;

    if (k->opened) {
        k->opened(s, &err);
        if (err) {
            error_propagate(errp, err);
            return;
        }
    }
    s->opened = true;
}

static void rng_backend_init(Object *obj)
{
    g_queue_init(&RNG_BACKEND(obj)->requests);
}

static void rng_backend_finalize(Object *obj)
{
    RngBackend *s = RNG_BACKEND(obj);
    RngRequest *req;

    while ((req = g_queue_pop_head(&s->requests))) {
        rng_request_free(req);
    }
}

static void rng_backend_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = rng_backend_complete;
}

static const TypeInfo rng_backend_info = {
    .name = TYPE_RNG_BACKEND,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(RngBackend),
    .instance_init = rng_backend_init,
    .instance_finalize = rng_backend_finalize,
    .class_size = sizeof(RngBackendClass),
    .class_init = rng_backend_class_init,
    .abstract = true,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    },
};

static void rng_backend_register_types(void)
{
    type_register_static(&rng_backend_info);
}

type_init(rng_backend_register_types)
