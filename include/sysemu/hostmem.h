/*
 * hostmem.h: host memory backends (-object memory-backend-ram|file|memfd).
 *
 * A backend is a user-creatable object that owns one block of host memory
 * (mmap'ed in complete()) and hands it to exactly one consumer (the
 * machine's RAM, or a NUMA node) as a RAM MemoryRegion.  Properties and
 * their defaults are QEMU 7.2's; see docs/devel/memory.md.
 *
 * Threads: everything here runs in the main thread with the big lock,
 * except the prealloc workers, which complete() starts and joins before
 * it returns (they touch only the backend's pages).
 */
#ifndef SYSEMU_HOSTMEM_H
#define SYSEMU_HOSTMEM_H

#include "qom/object.h"
#include "qom/object_interfaces.h"
#include "exec/memory.h"

#define TYPE_MEMORY_BACKEND         "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM     "memory-backend-ram"
#define TYPE_MEMORY_BACKEND_FILE    "memory-backend-file"
#define TYPE_MEMORY_BACKEND_MEMFD   "memory-backend-memfd"

OBJECT_DECLARE_TYPE(HostMemoryBackend, HostMemoryBackendClass,
                    MEMORY_BACKEND)

/* Host nodes a backend may name (bits of the host-nodes mask). */
#define HOST_MEM_MAX_NODES 128

/* mbind() policies; the values are the kernel's MPOL_* numbers. */
typedef enum HostMemPolicy {
    HOST_MEM_POLICY_DEFAULT = 0,
    HOST_MEM_POLICY_PREFERRED = 1,
    HOST_MEM_POLICY_BIND = 2,
    HOST_MEM_POLICY_INTERLEAVE = 3,
    HOST_MEM_POLICY__MAX,
} HostMemPolicy;

extern const QEnumLookup HostMemPolicy_lookup;

struct HostMemoryBackend {
    Object parent_obj;

    /* Properties (fixed once complete() succeeded). */
    uint64_t size;                  /* bytes */
    bool merge;                     /* MADV_MERGEABLE */
    bool dump;                      /* false: MADV_DONTDUMP */
    bool share;                     /* MAP_SHARED */
    bool prealloc;
    bool reserve;                   /* false: MAP_NORESERVE */
    bool use_canonical_path;
    uint32_t prealloc_threads;      /* 0: not set, use the machine's CPUs */
    HostMemPolicy policy;
    unsigned long host_nodes[HOST_MEM_MAX_NODES / (8 * sizeof(long))];

    /* Set by the subclass's alloc(). */
    void *host_ptr;                 /* NULL until complete() */
    uint64_t map_size;              /* bytes mapped at host_ptr */
    size_t pagesize;                /* host page size; 0: getpagesize() */
    bool readonly;                  /* file backends: PROT_READ only */

    /* State. */
    bool completed;
    bool is_mapped;                 /* a consumer took the memory */
    bool mr_initialized;
    MemoryRegion mr;
};

struct HostMemoryBackendClass {
    ObjectClass parent_class;

    /*
     * Map @backend->size bytes: set host_ptr and map_size, or return
     * false with @errp set.  Runs in complete(), properties validated.
     */
    bool (*alloc)(HostMemoryBackend *backend, Error **errp);
    /* Undo alloc() (instance finalize); NULL: munmap host_ptr. */
    void (*release)(HostMemoryBackend *backend);
};

/*
 * The backend's RAM region, named after its id (or its canonical path
 * with x-use-canonical-path-for-ramblock-id=on).  NULL before complete().
 * The region is created on the first call, once the object sits in
 * /objects and so has its id.
 */
MemoryRegion *host_memory_backend_get_memory(HostMemoryBackend *backend);

/* True once a consumer claimed the backend (it can't be used twice). */
bool host_memory_backend_is_mapped(HostMemoryBackend *backend);
void host_memory_backend_set_mapped(HostMemoryBackend *backend, bool mapped);

/* ---- Helpers for subclasses (file and memfd) ---- */

/*
 * mmap(@size) at an address aligned to @align (a power of two, at least
 * the page size); MAP_FAILED and errno on failure.
 */
void *host_memory_mmap_aligned(size_t size, size_t align, int prot,
                               int flags, int fd);

/* Page size of the file system holding @fd (huge page size on hugetlbfs). */
size_t host_memory_fd_pagesize(int fd);
/*
 * Map @backend->size bytes of @fd at offset 0 with the backend's share,
 * reserve and readonly settings, aligned to @align (0: page size); set
 * host_ptr, map_size and pagesize.  Error: "unable to map backing store
 * for guest RAM: <errno text>".
 */
bool host_memory_backend_map_fd(HostMemoryBackend *backend, int fd,
                                uint64_t align, int extra_flags,
                                Error **errp);

/* Host page size of the mapping (huge page size for hugetlbfs/memfd). */
size_t host_memory_backend_pagesize(HostMemoryBackend *backend);

/* The id (last component of the canonical path) or NULL. */
const char *host_memory_backend_id(HostMemoryBackend *backend);
/* For messages: the id, or the type name before the object has one. */
const char *host_memory_backend_name(HostMemoryBackend *backend);

/*
 * Touch every page of [area, area + size) with @threads threads so that
 * the host commits it now.  Returns false with "Couldn't preallocate
 * memory: ..." when the host cannot back a page (a full tmpfs or
 * hugetlbfs: the error comes back from MADV_POPULATE_WRITE, or from a
 * SIGBUS caught in the touching thread) instead of dying.
 */
bool qemu_prealloc_mem(void *area, size_t size, size_t pagesize,
                       unsigned threads, Error **errp);

/*
 * Host NUMA nodes that exist: bit n set when /sys/devices/system/node/
 * has nodeN (node 0 only when the directory is missing, i.e. a kernel
 * without NUMA).  Returns the number of bits considered (highest + 1).
 */
int host_numa_online_nodes(unsigned long *mask, int max_nodes);

/* ---- Introspection (monitor) ---- */

/*
 * QMP query-memdev: one dict per backend in /objects: id, size, merge,
 * dump, prealloc, share, reserve, host-nodes (list), policy.  Caller
 * owns the list.
 */
typedef struct QList QList;
QList *qmp_query_memdev_list(void);

/*
 * HMP info memdev: per backend "memory backend: ID" then the indented
 * size/merge/dump/prealloc/share/reserve/policy/host nodes lines and a
 * blank line, lines ending "\n" (the monitor converts to "\r\n").
 * Caller frees.
 */
char *hmp_info_memdev_text(void);

#endif /* SYSEMU_HOSTMEM_H */
