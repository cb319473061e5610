/*
 * hostmem-memfd.c: memory-backend-memfd, guest RAM in an anonymous
 * memory file (memfd_create), shareable with other processes by fd.
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"
#include "qapi/error.h"

#include <sys/mman.h>
#include <linux/memfd.h>
#include "qemu/cutils.h"

#define TYPE_MEMFD_BACKEND TYPE_MEMORY_BACKEND_MEMFD
OBJECT_DECLARE_SIMPLE_TYPE(MemfdBackend, MEMFD_BACKEND)

struct MemfdBackend {
    HostMemoryBackend parent_obj;

    bool hugetlb;
    uint64_t hugetlbsize;       /* bytes; 0: the host's default */
    bool seal;                  /* forbid growing/shrinking the file */
    int fd;                     /* -1 until complete() */
};

/* MFD_HUGETLB takes log2 of the huge page size in bits 26..31. */
static bool memfd_flags(MemfdBackend *m, unsigned *flags, Error **errp)
{
    *flags = MFD_CLOEXEC | (m->seal ? MFD_ALLOW_SEALING : 0);
    if (!m->hugetlb) {
        return true;
    }
    *flags |= MFD_HUGETLB;
    if (m->hugetlbsize) {
        if (!is_power_of_2(m->hugetlbsize)) {
            error_setg(errp, "hugetlbsize 0x%" PRIx64 " is not a power of"
                       " two", m->hugetlbsize);
            return false;
        }
        *flags |= (unsigned)__builtin_ctzll(m->hugetlbsize) << MFD_HUGE_SHIFT;
    }
    return true;
}

static bool memfd_backend_alloc(HostMemoryBackend *backend, Error **errp)
{
    MemfdBackend *m = MEMFD_BACKEND(backend);
    unsigned flags;

    if (!memfd_flags(m, &flags, errp)) {
        return false;
    }
    m->fd = memfd_create(host_memory_backend_name(backend), flags);
    if (m->fd < 0) {
        error_setg_errno(errp, errno, "failed to create memfd");
        return false;
    }
    if (ftruncate(m->fd, backend->size)) {
        error_setg_errno(errp, errno, "failed to resize memfd to 0x%"
                         PRIx64, backend->size);
        goto fail;
    }

    /* Sealed: a process sharing the fd can't truncate it under us. */
    if (m->seal && fcntl(m->fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK |
                         F_SEAL_SEAL)) {
        error_setg_errno(errp, errno, "failed to seal memfd");
        goto fail;
    }
    if (host_memory_backend_map_fd(backend, m->fd, 0, 0, errp)) {
        return true;
    }
fail:
    close(m->fd);
    m->fd = -1;
    return false;
}

static void memfd_backend_release(HostMemoryBackend *backend)
{
    MemfdBackend *m = MEMFD_BACKEND(backend);

    if (backend->host_ptr) {
        munmap(backend->host_ptr, backend->map_size);
    }
    if (m->fd >= 0) {
        close(m->fd);
    }
    m->fd = -1;
}

/* ---- Properties ---- */

static bool memfd_refuse_change(Object *obj, const char *name,
                                Error **errp)
{
    if (MEMORY_BACKEND(obj)->completed) {
        error_setg(errp, "cannot change property '%s' of %s", name,
                   object_get_typename(obj));
        return true;
    }
    return false;
}

static bool get_hugetlb(Object *obj, Error **errp)
{
    return MEMFD_BACKEND(obj)->hugetlb;
}

static void set_hugetlb(Object *obj, bool value, Error **errp)
{
    if (!memfd_refuse_change(obj, "hugetlb", errp)) {
        MEMFD_BACKEND(obj)->hugetlb = value;
    }
}

static uint64_t get_hugetlbsize(Object *obj, Error **errp)
{
    return MEMFD_BACKEND(obj)->hugetlbsize;
}

static void set_hugetlbsize(Object *obj, uint64_t value, Error **errp)
{
    if (!memfd_refuse_change(obj, "hugetlbsize", errp)) {
        MEMFD_BACKEND(obj)->hugetlbsize = value;
    }
}

static bool get_seal(Object *obj, Error **errp)
{
    return MEMFD_BACKEND(obj)->seal;
}

static void set_seal(Object *obj, bool value, Error **errp)
{
    if (!memfd_refuse_change(obj, "seal", errp)) {
        MEMFD_BACKEND(obj)->seal = value;
    }
}

/* memfd memory exists to be shared: share and seal default to on. */
static void memfd_backend_instance_init(Object *obj)
{
    MemfdBackend *m = MEMFD_BACKEND(obj);

    m->fd = -1;
    m->seal = true;
    MEMORY_BACKEND(obj)->share = true;
}

static void memfd_backend_class_init(ObjectClass *oc, void *data)
{
    HostMemoryBackendClass *bc = MEMORY_BACKEND_CLASS(oc);
    ObjectProperty *prop;

    bc->alloc = memfd_backend_alloc;
    bc->release = memfd_backend_release;

    prop = object_class_property_add_bool(oc, "hugetlb", get_hugetlb,
                                          set_hugetlb);
    object_property_set_default_bool(prop, false);
    object_class_property_set_description(oc, "hugetlb",
                                          "Use huge pages");
    object_class_property_add_uint(oc, "hugetlbsize", "int", true,
                                   get_hugetlbsize, set_hugetlbsize);
    object_class_property_set_description(oc, "hugetlbsize",
        "Huge pages size (ex: 2M, 1G)");
    prop = object_class_property_add_bool(oc, "seal", get_seal, set_seal);
    object_property_set_default_bool(prop, true);
    object_class_property_set_description(oc, "seal",
                                          "Seal growing & shrinking");
}

static const TypeInfo memfd_backend_info = {
    .name = TYPE_MEMORY_BACKEND_MEMFD,
    .parent = TYPE_MEMORY_BACKEND,
    .class_init = memfd_backend_class_init,
    .instance_size = sizeof(MemfdBackend),
    .instance_init = memfd_backend_instance_init,
};

static void memfd_backend_register_types(void)
{
    type_register_static(&memfd_backend_info);
}

type_init(memfd_backend_register_types)
