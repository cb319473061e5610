/*
 * hostmem-file.c: memory-backend-file, guest RAM in a host file
 * (tmpfs, hugetlbfs, a DAX device or any regular file).
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"
#include "qapi/error.h"
#include "qemu/error-report.h"

#include <sys/mman.h>
#include <sys/stat.h>

#define TYPE_FILE_BACKEND TYPE_MEMORY_BACKEND_FILE
OBJECT_DECLARE_SIMPLE_TYPE(FileBackend, FILE_BACKEND)

struct FileBackend {
    HostMemoryBackend parent_obj;

    char *mem_path;
    uint64_t align;             /* bytes; 0: the file's page size */
    bool discard_data;          /* drop the contents when destroyed */
    bool pmem;                  /* MAP_SYNC: persistent memory */
    bool readonly;
    int fd;                     /* -1 until complete() */
};

/* ---- Opening the backing store ---- */

/*
 * A directory gets a fresh file that is unlinked at once, so nothing is
 * left behind; an existing file is used as is; a missing file is created
 * (and kept, as QEMU does) unless readonly=on.
 */
static int open_backing_store(FileBackend *fb, Error **errp)
{
    struct stat st;
    int fd;

    if (!stat(fb->mem_path, &st) && S_ISDIR(st.st_mode)) {
        g_autofree char *tmpl = g_strdup_printf("%s/machina_back_mem.%s."
                                                "XXXXXX", fb->mem_path,
            host_memory_backend_name(MEMORY_BACKEND(fb)));

        fd = mkstemp(tmpl);
        if (fd >= 0) {
            unlink(tmpl);
        }
    } else if (fb->readonly) {
        fd = open(fb->mem_path, O_RDONLY | O_CLOEXEC);
    } else {
        fd = open(fb->mem_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't open backing store %s for "
                         "guest RAM", fb->mem_path);
    }
    return fd;
}

/*
 * An empty file grows to the backend's size.  A smaller file that holds
 * data is refused, as in QEMU: growing it would silently give the guest
 * a different disk image of memory than the user prepared.
 */
static bool size_backing_store(FileBackend *fb, int fd, Error **errp)
{
    uint64_t size = MEMORY_BACKEND(fb)->size;
    struct stat st;

    if (fstat(fd, &st)) {
        error_setg_errno(errp, errno, "can't stat backing store %s",
                         fb->mem_path);
        return false;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size >= size) {
        return true;
    }
    if (st.st_size > 0 || fb->readonly) {
        error_setg(errp, "backing store size 0x%" PRIx64 " does not match "
                   "'size' option 0x%" PRIx64, (uint64_t)st.st_size, size);
        return false;
    }
    if (ftruncate(fd, size)) {
        error_setg_errno(errp, errno, "can't grow backing store %s to 0x%"
                         PRIx64, fb->mem_path, size);
        return false;
    }
    return true;
}

/* pmem=on asks for MAP_SYNC; a host that can't do it gets a warning. */
static bool map_backing_store(FileBackend *fb, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(fb);

    if (fb->pmem && backend->share) {
        if (host_memory_backend_map_fd(backend, fb->fd, fb->align,
                                       MAP_SHARED_VALIDATE | MAP_SYNC,
                                       NULL)) {
            return true;
        }
        warn_report("'%s' does not support MAP_SYNC; writes to the guest "
                    "memory are not guaranteed to be persistent",
                    fb->mem_path);
    }
    return host_memory_backend_map_fd(backend, fb->fd, fb->align, 0, errp);
}

static bool file_backend_alloc(HostMemoryBackend *backend, Error **errp)
{
    FileBackend *fb = FILE_BACKEND(backend);
    size_t pagesize;

    backend->readonly = fb->readonly;
    fb->fd = open_backing_store(fb, errp);
    if (fb->fd < 0) {
        return false;
    }
    pagesize = host_memory_fd_pagesize(fb->fd);
    if (fb->align % pagesize) {
        error_setg(errp, "alignment 0x%" PRIx64 " must be multiples of page "
                   "size 0x%zx", fb->align, pagesize);
        goto fail;
    }
    if (backend->size % pagesize) {
        error_setg(errp, "memory size 0x%" PRIx64 " must be a multiple of "
                   "the backing store page size 0x%zx", backend->size,
                   pagesize);
        goto fail;
    }
    if (size_backing_store(fb, fb->fd, errp) && map_backing_store(fb, errp)) {
        return true;
    }
fail:
    close(fb->fd);
    fb->fd = -1;
    return false;
}

/*
 * discard-data=on: the contents are garbage once the VM is gone, so they
 * need not be written back.  Done when the object leaves /objects (at
 * exit, or object-del), even if a NUMA node still holds a reference.
 */
static void file_backend_unparent(Object *obj)
{
    FileBackend *fb = FILE_BACKEND(obj);
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (fb->fd >= 0 && fb->discard_data && !fb->readonly) {
        fallocate(fb->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
                  backend->size);
    }
}

static void file_backend_release(HostMemoryBackend *backend)
{
    FileBackend *fb = FILE_BACKEND(backend);

    if (backend->host_ptr) {
        munmap(backend->host_ptr, backend->map_size);
    }
    if (fb->fd >= 0) {
        close(fb->fd);
    }
    fb->fd = -1;
}

/* ---- Properties ---- */

static bool file_refuse_change(Object *obj, const char *name, Error **errp)
{
    if (MEMORY_BACKEND(obj)->completed) {
        error_setg(errp, "cannot change property '%s' of %s", name,
                   object_get_typename(obj));
        return true;
    }
    return false;
}

static char *get_mem_path(Object *obj, Error **errp)
{
    return g_strdup(FILE_BACKEND(obj)->mem_path);
}

static void set_mem_path(Object *obj, const char *value, Error **errp)
{
    FileBackend *fb = FILE_BACKEND(obj);

    if (!file_refuse_change(obj, "mem-path", errp)) {
        g_free(fb->mem_path);
        fb->mem_path = g_strdup(value);
    }
}

static uint64_t get_align(Object *obj, Error **errp)
{
    return FILE_BACKEND(obj)->align;
}

static void set_align(Object *obj, uint64_t value, Error **errp)
{
    if (!file_refuse_change(obj, "align", errp)) {
        FILE_BACKEND(obj)->align = value;
    }
}

static bool get_discard(Object *obj, Error **errp)
{
    return FILE_BACKEND(obj)->discard_data;
}

static void set_discard(Object *obj, bool value, Error **errp)
{
    FILE_BACKEND(obj)->discard_data = value;
}

static bool get_pmem(Object *obj, Error **errp)
{
    return FILE_BACKEND(obj)->pmem;
}

static void set_pmem(Object *obj, bool value, Error **errp)
{
    if (!file_refuse_change(obj, "pmem", errp)) {
        FILE_BACKEND(obj)->pmem = value;
    }
}

static bool get_readonly(Object *obj, Error **errp)
{
    return FILE_BACKEND(obj)->readonly;
}

static void set_readonly(Object *obj, bool value, Error **errp)
{
    if (!file_refuse_change(obj, "readonly", errp)) {
        FILE_BACKEND(obj)->readonly = value;
    }
}

static void file_backend_instance_init(Object *obj)
{
    FILE_BACKEND(obj)->fd = -1;
}

static void file_backend_finalize(Object *obj)
{
    g_free(FILE_BACKEND(obj)->mem_path);
}

static void add_bool(ObjectClass *oc, const char *name,
                     bool (*get)(Object *, Error **),
                     void (*set)(Object *, bool, Error **), const char *desc)
{
    ObjectProperty *prop = object_class_property_add_bool(oc, name, get,
                                                          set);

    object_property_set_default_bool(prop, false);
    object_class_property_set_description(oc, name, desc);
}

static void file_backend_class_init(ObjectClass *oc, void *data)
{
    HostMemoryBackendClass *bc = MEMORY_BACKEND_CLASS(oc);

    bc->alloc = file_backend_alloc;
    bc->release = file_backend_release;
    oc->unparent = file_backend_unparent;

    object_class_property_add_str(oc, "mem-path", get_mem_path,
                                  set_mem_path);
    object_class_property_set_description(oc, "mem-path",
        "Path to the file (or directory) backing the memory");
    object_class_property_set_required(oc, "mem-path");
    object_class_property_add_uint(oc, "align", "int", true, get_align,
                                   set_align);
    object_class_property_set_description(oc, "align",
        "Alignment of the mapping (a multiple of the page size)");
    add_bool(oc, "discard-data", get_discard, set_discard,
             "Discard the file's contents on exit");
    add_bool(oc, "pmem", get_pmem, set_pmem,
             "Set to 'on' if the file is on persistent memory");
    add_bool(oc, "readonly", get_readonly, set_readonly,
             "Map the file read-only");
}

static const TypeInfo file_backend_info = {
    .name = TYPE_MEMORY_BACKEND_FILE,
    .parent = TYPE_MEMORY_BACKEND,
    .class_init = file_backend_class_init,
    .instance_size = sizeof(FileBackend),
    .instance_init = file_backend_instance_init,
    .instance_finalize = file_backend_finalize,
};

static void file_backend_register_types(void)
{
    type_register_static(&file_backend_info);
}

type_init(file_backend_register_types)
