/*
 * hostmem-ram.c: memory-backend-ram, anonymous host memory.
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"
#include "qapi/error.h"

#include <sys/mman.h>

#define RAM_HUGEPAGE_ALIGN (2 * 1024 * 1024)

/*
 * Private unless share=on (then MAP_SHARED, which a forked helper or
 * vhost-user process could see); MAP_NORESERVE with reserve=off lets the
 * host overcommit.
 */
static bool ram_backend_alloc(HostMemoryBackend *backend, Error **errp)
{
    int flags = MAP_ANONYMOUS;
    void *ptr;

    flags |= backend->share ? MAP_SHARED : MAP_PRIVATE;
    flags |= backend->reserve ? 0 : MAP_NORESERVE;
    /* 2 MiB alignment lets the host back the RAM with huge pages. */
    ptr = host_memory_mmap_aligned(backend->size, RAM_HUGEPAGE_ALIGN,
                                   PROT_READ | PROT_WRITE, flags, -1);
    if (ptr == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot set up guest memory '%s'",
                         host_memory_backend_name(backend));
        return false;
    }
    backend->host_ptr = ptr;
    backend->map_size = backend->size;
    return true;
}

static void ram_backend_class_init(ObjectClass *oc, void *data)
{
    HostMemoryBackendClass *bc = MEMORY_BACKEND_CLASS(oc);

    bc->alloc = ram_backend_alloc;
}

static const TypeInfo ram_backend_info = {
    .name = TYPE_MEMORY_BACKEND_RAM,
    .parent = TYPE_MEMORY_BACKEND,
    .class_init = ram_backend_class_init,
};

static void ram_backend_register_types(void)
{
    type_register_static(&ram_backend_info);
}

type_init(ram_backend_register_types)
