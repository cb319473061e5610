/*
 * hostmem.c: the abstract memory-backend type (see sysemu/hostmem.h).
 *
 * complete() validates the properties, lets the subclass map the memory,
 * then applies, in this order, madvise (merge, dump), mbind (so that the
 * pages land on the chosen host nodes) and preallocation.
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"
#include "hw/boards.h"
#include "qapi/error.h"
#include "qapi/util.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"
#include "qemu/thread.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <setjmp.h>
#include <signal.h>
#include <dirent.h>
#include <sys/vfs.h>
#include <linux/magic.h>

/* mbind() numbers from <linux/mempolicy.h>. */
#define HOSTMEM_MPOL_MF_STRICT  (1 << 0)
#define HOSTMEM_MPOL_MF_MOVE    (1 << 1)

#define BITS_PER_ULONG (8 * sizeof(unsigned long))

static const char *const host_mem_policy_names[] = {
    [HOST_MEM_POLICY_DEFAULT] = "default",
    [HOST_MEM_POLICY_PREFERRED] = "preferred",
    [HOST_MEM_POLICY_BIND] = "bind",
    [HOST_MEM_POLICY_INTERLEAVE] = "interleave",
};

const QEnumLookup HostMemPolicy_lookup = {
    .array = host_mem_policy_names,
    .size = HOST_MEM_POLICY__MAX,
};

static bool mask_test(const unsigned long *mask, int bit)
{
    return mask[bit / BITS_PER_ULONG] & (1UL << (bit % BITS_PER_ULONG));
}

static void mask_set(unsigned long *mask, int bit)
{
    mask[bit / BITS_PER_ULONG] |= 1UL << (bit % BITS_PER_ULONG);
}

/* Highest set bit of the host-nodes mask, or -1 when it is empty. */
static int host_nodes_last(HostMemoryBackend *backend)
{
    for (int n = HOST_MEM_MAX_NODES - 1; n >= 0; n--) {
        if (mask_test(backend->host_nodes, n)) {
            return n;
        }
    }
    return -1;
}

static bool backend_prealloc(HostMemoryBackend *backend, Error **errp);

/* ---- Properties ---- */

static const char *backend_type(HostMemoryBackend *backend)
{
    return object_get_typename(OBJECT(backend));
}

static bool refuse_after_complete(HostMemoryBackend *backend,
                                  const char *name, Error **errp)
{
    if (backend->completed) {
        error_setg(errp, "cannot change property '%s' of %s", name,
                   backend_type(backend));
        return true;
    }
    return false;
}

static uint64_t get_size(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->size;
}

static void set_size(Object *obj, uint64_t value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (refuse_after_complete(backend, "size", errp)) {
        return;
    }
    if (!value) {
        error_setg(errp, "property 'size' of %s doesn't take value '0'",
                   backend_type(backend));
        return;
    }
    backend->size = value;
}

static bool get_merge(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->merge;
}

/* merge and dump may change at any time: they are only advice. */
static void set_merge(Object *obj, bool value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (backend->completed && value != backend->merge) {
        madvise(backend->host_ptr, backend->map_size,
                value ? MADV_MERGEABLE : MADV_UNMERGEABLE);
    }
    backend->merge = value;
}

static bool get_dump(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->dump;
}

static void set_dump(Object *obj, bool value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (backend->completed && value != backend->dump) {
        madvise(backend->host_ptr, backend->map_size,
                value ? MADV_DODUMP : MADV_DONTDUMP);
    }
    backend->dump = value;
}

static unsigned effective_prealloc_threads(HostMemoryBackend *backend)
{
    MachineState *ms = qdev_get_machine_state();

    if (backend->prealloc_threads) {
        return backend->prealloc_threads;
    }
    return ms && ms->smp.cpus ? ms->smp.cpus : 1;
}

static bool get_prealloc(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->prealloc;
}

/* prealloc=on after creation (qom-set) touches the pages now. */
static void set_prealloc(Object *obj, bool value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (backend->completed && value && !backend->prealloc &&
        !backend_prealloc(backend, errp)) {
        return;
    }
    backend->prealloc = value;
}

static uint64_t get_prealloc_threads(Object *obj, Error **errp)
{
    return effective_prealloc_threads(MEMORY_BACKEND(obj));
}

static void set_prealloc_threads(Object *obj, uint64_t value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (!value) {
        error_setg(errp,
                   "property 'prealloc-threads' of %s doesn't take value '0'",
                   backend_type(backend));
        return;
    }
    backend->prealloc_threads = value;
}

static bool get_share(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->share;
}

static void set_share(Object *obj, bool value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (!refuse_after_complete(backend, "share", errp)) {
        backend->share = value;
    }
}

static bool get_reserve(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->reserve;
}

static void set_reserve(Object *obj, bool value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (!refuse_after_complete(backend, "reserve", errp)) {
        backend->reserve = value;
    }
}

static bool get_canonical(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->use_canonical_path;
}

static void set_canonical(Object *obj, bool value, Error **errp)
{
    MEMORY_BACKEND(obj)->use_canonical_path = value;
}

static int get_policy(Object *obj, Error **errp)
{
    return MEMORY_BACKEND(obj)->policy;
}

static void set_policy(Object *obj, int value, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (!refuse_after_complete(backend, "policy", errp)) {
        backend->policy = value;
    }
}

static GArray *get_host_nodes(Object *obj, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    GArray *list = g_array_new(false, false, sizeof(uint64_t));

    for (uint64_t n = 0; n < HOST_MEM_MAX_NODES; n++) {
        if (mask_test(backend->host_nodes, n)) {
            g_array_append_val(list, n);
        }
    }
    return list;
}

static void set_host_nodes(Object *obj, GArray *list, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    unsigned long mask[G_N_ELEMENTS(backend->host_nodes)] = { 0 };

    if (refuse_after_complete(backend, "host-nodes", errp)) {
        return;
    }
    for (guint i = 0; i < list->len; i++) {
        uint64_t n = g_array_index(list, uint64_t, i);

        if (n >= HOST_MEM_MAX_NODES) {
            error_setg(errp, "Invalid host-nodes value: %" PRIu64, n);
            return;
        }
        mask_set(mask, n);
    }
    memcpy(backend->host_nodes, mask, sizeof(mask));
}

/* ---- Host NUMA nodes ---- */

int host_numa_online_nodes(unsigned long *mask, int max_nodes)
{
    DIR *dir = opendir("/sys/devices/system/node");
    struct dirent *de;
    int count = 0;

    memset(mask, 0, DIV_ROUND_UP(max_nodes, BITS_PER_ULONG) *
           sizeof(unsigned long));
    if (!dir) {
        /* A kernel without NUMA: everything is on node 0. */
        mask_set(mask, 0);
        return 1;
    }
    while ((de = readdir(dir))) {
        unsigned long n;
        char *end;

        if (strncmp(de->d_name, "node", 4) ||
            !g_ascii_isdigit(de->d_name[4])) {
            continue;
        }
        n = strtoul(de->d_name + 4, &end, 10);
        if (!*end && n < (unsigned long)max_nodes) {
            mask_set(mask, n);
            count = MAX(count, (int)n + 1);
        }
    }
    closedir(dir);
    return count;
}

/* ---- complete() steps ---- */

static bool check_policy(HostMemoryBackend *backend, Error **errp)
{
    int last = host_nodes_last(backend);
    const char *name = host_mem_policy_names[backend->policy];

    if (backend->policy == HOST_MEM_POLICY_DEFAULT && last >= 0) {
        error_setg(errp, "host-nodes must be empty for policy default,"
                   " or you should explicitly specify a policy other"
                   " than default");
        return false;
    }
    if (backend->policy != HOST_MEM_POLICY_DEFAULT && last < 0) {
        error_setg(errp, "host-nodes must be set for policy %s", name);
        return false;
    }
    if (backend->prealloc && !backend->reserve) {
        error_setg(errp, "'prealloc=on' and 'reserve=off' are incompatible");
        return false;
    }
    return true;
}

static void apply_madvise(HostMemoryBackend *backend)
{
    /* Advice only: a kernel without KSM refuses MADV_MERGEABLE, harmless. */
    if (backend->merge) {
        madvise(backend->host_ptr, backend->map_size, MADV_MERGEABLE);
    }
    if (!backend->dump) {
        madvise(backend->host_ptr, backend->map_size, MADV_DONTDUMP);
    }
    /*
     * Transparent huge pages where the host allows them on request: one
     * fault per 2 MiB instead of per 4 KiB makes prealloc and first
     * touches much cheaper, and costs nothing until a page is touched.
     */
    madvise(backend->host_ptr, backend->map_size, MADV_HUGEPAGE);
}

/*
 * Nodes the host does not have are refused here with the words the
 * kernel's EINVAL gives (QEMU 7.2 prints the same), so the message does
 * not depend on whether this kernel was built with NUMA.
 */
static bool apply_mbind(HostMemoryBackend *backend, Error **errp)
{
    unsigned long online[G_N_ELEMENTS(backend->host_nodes)];
    int last = host_nodes_last(backend);
    unsigned flags = 0;

    if (backend->policy == HOST_MEM_POLICY_DEFAULT) {
        return true;
    }
    host_numa_online_nodes(online, HOST_MEM_MAX_NODES);
    for (int n = 0; n <= last; n++) {
        if (mask_test(backend->host_nodes, n) && !mask_test(online, n)) {
            error_setg(errp, "cannot bind memory to host NUMA nodes: %s",
                       strerror(EINVAL));
            error_append_hint(errp, "The host has no NUMA node %d (see"
                              " /sys/devices/system/node/).\n", n);
            return false;
        }
    }

    /* Move pages already there (a file backend's) to the chosen nodes. */
    if (backend->policy == HOST_MEM_POLICY_BIND) {
        flags = HOSTMEM_MPOL_MF_STRICT | HOSTMEM_MPOL_MF_MOVE;
    }
    /* maxnode counts bits and the kernel ignores the last one. */
    if (syscall(SYS_mbind, backend->host_ptr, backend->map_size,
                (unsigned long)backend->policy, backend->host_nodes,
                (unsigned long)last + 2, flags)) {
        error_setg_errno(errp, errno,
                         "cannot bind memory to host NUMA nodes");
        return false;
    }
    return true;
}

static void host_memory_backend_complete(UserCreatable *uc, Error **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(uc);
    HostMemoryBackendClass *bc = MEMORY_BACKEND_GET_CLASS(uc);

    if (!check_policy(backend, errp) || !bc->alloc(backend, errp)) {
        return;
    }
    apply_madvise(backend);
    if (!apply_mbind(backend, errp)) {
        return;
    }
    if (backend->prealloc && !backend_prealloc(backend, errp)) {
        return;
    }
    backend->completed = true;
}

static bool host_memory_backend_can_be_deleted(UserCreatable *uc)
{
    return !host_memory_backend_is_mapped(MEMORY_BACKEND(uc));
}

/* ---- Preallocation ---- */

typedef struct PreallocJob {
    char *start;
    size_t size;
    size_t pagesize;
    bool write;                 /* false: read-only mapping, read faults */
    int err;                    /* 0, or a positive errno */
    QemuThread thread;
} PreallocJob;

static __thread sigjmp_buf *prealloc_jmp;

/*
 * A page the host cannot back (full tmpfs, no huge page left) raises
 * SIGBUS on the first write; the touching thread jumps out of its loop.
 * Any other SIGBUS is a real crash: restore the default and re-raise.
 */
static void prealloc_sigbus(int sig)
{
    if (prealloc_jmp) {
        siglongjmp(*prealloc_jmp, 1);
    }
    signal(SIGBUS, SIG_DFL);
    raise(SIGBUS);
}

/* Write one byte per page, keeping the page's contents. */
static int prealloc_touch(PreallocJob *job)
{
    sigjmp_buf env;
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    if (sigsetjmp(env, 1)) {
        prealloc_jmp = NULL;
        return EFAULT;
    }
    prealloc_jmp = &env;
    for (size_t off = 0; off < job->size; off += job->pagesize) {
        volatile char *p = job->start + off;
        char c = *p;

        if (job->write) {
            *p = c;
        }
    }
    prealloc_jmp = NULL;
    return 0;
}

static void *prealloc_thread(void *opaque)
{
    PreallocJob *job = opaque;

    /* The kernel faults the range in and reports failures as errors. */
    if (!madvise(job->start, job->size,
                 job->write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ)) {
        job->err = 0;
    } else if (errno == EINVAL) {
        /* Kernel older than 5.14, or a mapping it can't populate. */
        job->err = prealloc_touch(job);
    } else {
        job->err = errno;
    }
    return NULL;
}

static const char *prealloc_strerror(int err)
{
    if (err == EFAULT || err == EHWPOISON) {
        return "the host could not back a page (file system or huge "
               "page pool full?)";
    }
    return strerror(err);
}

static bool prealloc_area(void *area, size_t size, size_t pagesize,
                          unsigned threads, bool write, Error **errp)
{
    size_t pages = size / pagesize;
    size_t per_thread;
    PreallocJob *jobs;
    struct sigaction sa = { .sa_handler = prealloc_sigbus }, old;
    int err = 0;

    threads = MAX(1, MIN(threads, pages));
    per_thread = DIV_ROUND_UP(pages, threads);
    jobs = g_new0(PreallocJob, threads);
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &old);

    /* Each thread takes a contiguous run of whole pages. */
    for (unsigned i = 0; i < threads; i++) {
        size_t first = i * per_thread;

        jobs[i].start = (char *)area + first * pagesize;
        jobs[i].size = MIN(per_thread, pages - MIN(first, pages)) * pagesize;
        jobs[i].pagesize = pagesize;
        jobs[i].write = write;
        qemu_thread_create(&jobs[i].thread, "touch_pages", prealloc_thread,
                           &jobs[i], QEMU_THREAD_JOINABLE);
    }
    for (unsigned i = 0; i < threads; i++) {
        qemu_thread_join(&jobs[i].thread);
        err = err ? err : jobs[i].err;
    }

    sigaction(SIGBUS, &old, NULL);
    g_free(jobs);
    if (err) {
        error_setg(errp, "Couldn't preallocate memory: %s",
                   prealloc_strerror(err));
        return false;
    }
    return true;
}

bool qemu_prealloc_mem(void *area, size_t size, size_t pagesize,
                       unsigned threads, Error **errp)
{
    return prealloc_area(area, size, pagesize, threads, true, errp);
}

/* A read-only backend can only be faulted in for reading. */
static bool backend_prealloc(HostMemoryBackend *backend, Error **errp)
{
    return prealloc_area(backend->host_ptr, backend->map_size,
                         host_memory_backend_pagesize(backend),
                         effective_prealloc_threads(backend),
                         !backend->readonly, errp);
}

/* ---- Mapping a file ---- */

size_t host_memory_fd_pagesize(int fd)
{
    struct statfs fs;

    /* hugetlbfs reports its huge page size as the block size. */
    if (fd >= 0 && !fstatfs(fd, &fs) && fs.f_type == HUGETLBFS_MAGIC) {
        return fs.f_bsize;
    }
    return getpagesize();
}

/*
 * mmap cannot be asked for an alignment: reserve @align more bytes of
 * address space, then place the mapping at the aligned address inside
 * it and give the rest back.
 */
void *host_memory_mmap_aligned(size_t size, size_t align, int prot,
                               int flags, int fd)
{
    char *guard, *aligned;
    size_t total = size + align;
    void *ptr;

    guard = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
                 MAP_NORESERVE, -1, 0);
    if (guard == MAP_FAILED) {
        return MAP_FAILED;
    }
    aligned = (char *)ROUND_UP((uintptr_t)guard, align);
    ptr = mmap(aligned, size, prot, flags | MAP_FIXED, fd, 0);
    if (ptr == MAP_FAILED) {
        munmap(guard, total);
        return MAP_FAILED;
    }
    if (aligned > guard) {
        munmap(guard, aligned - guard);
    }
    munmap(aligned + size, guard + total - (aligned + size));
    return ptr;
}

bool host_memory_backend_map_fd(HostMemoryBackend *backend, int fd,
                                uint64_t align, int extra_flags,
                                Error **errp)
{
    size_t pagesize = host_memory_fd_pagesize(fd);
    int prot = backend->readonly ? PROT_READ : PROT_READ | PROT_WRITE;
    int flags = extra_flags;
    void *ptr;

    flags |= backend->share ? MAP_SHARED : MAP_PRIVATE;
    flags |= backend->reserve ? 0 : MAP_NORESERVE;
    ptr = host_memory_mmap_aligned(backend->size, MAX(align, pagesize),
                                   prot, flags, fd);
    if (ptr == MAP_FAILED) {
        error_setg_errno(errp, errno,
                         "unable to map backing store for guest RAM");
        return false;
    }
    backend->host_ptr = ptr;
    backend->map_size = backend->size;
    backend->pagesize = pagesize;
    return true;
}

/* ---- Consumers ---- */

const char *host_memory_backend_id(HostMemoryBackend *backend)
{
    return object_get_canonical_path_component(OBJECT(backend));
}

const char *host_memory_backend_name(HostMemoryBackend *backend)
{
    const char *id = host_memory_backend_id(backend);

    return id ? id : backend_type(backend);
}

MemoryRegion *host_memory_backend_get_memory(HostMemoryBackend *backend)
{
    g_autofree char *path = NULL;
    const char *name;

    if (!backend->completed) {
        return NULL;
    }
    if (!backend->mr_initialized) {
        if (backend->use_canonical_path) {
            path = object_get_canonical_path(OBJECT(backend));
        }
        name = path ? path : host_memory_backend_id(backend);
        memory_region_init_ram_ptr(&backend->mr, OBJECT(backend),
                                   name ? name : "memory-backend",
                                   backend->size, backend->host_ptr);
        backend->mr_initialized = true;
    }
    return &backend->mr;
}

bool host_memory_backend_is_mapped(HostMemoryBackend *backend)
{
    return backend->is_mapped;
}

void host_memory_backend_set_mapped(HostMemoryBackend *backend, bool mapped)
{
    backend->is_mapped = mapped;
}

size_t host_memory_backend_pagesize(HostMemoryBackend *backend)
{
    return backend->pagesize ? backend->pagesize : (size_t)getpagesize();
}

/* ---- Introspection ---- */

/* Backends of /objects, newest first (the order QEMU 7.2 lists them). */
static int collect_backend(Object *child, void *opaque)
{
    GSList **list = opaque;

    if (object_dynamic_cast(child, TYPE_MEMORY_BACKEND)) {
        *list = g_slist_prepend(*list, child);
    }
    return 0;
}

static GSList *backend_list(void)
{
    GSList *list = NULL;

    object_child_foreach(object_get_objects_root(), collect_backend, &list);
    return list;
}

QList *qmp_query_memdev_list(void)
{
    GSList *list = backend_list();
    QList *result = qlist_new();

    for (GSList *l = list; l; l = l->next) {
        HostMemoryBackend *backend = l->data;
        QDict *d = qdict_new();
        QList *nodes = qlist_new();

        qdict_put_str(d, "id", host_memory_backend_id(backend));
        qdict_put_int(d, "size", backend->size);
        qdict_put_bool(d, "merge", backend->merge);
        qdict_put_bool(d, "dump", backend->dump);
        qdict_put_bool(d, "prealloc", backend->prealloc);
        qdict_put_bool(d, "share", backend->share);
        qdict_put_bool(d, "reserve", backend->reserve);
        for (int n = 0; n < HOST_MEM_MAX_NODES; n++) {
            if (mask_test(backend->host_nodes, n)) {
                qlist_append_int(nodes, n);
            }
        }
        qdict_put_obj(d, "host-nodes", QOBJECT(nodes));
        qdict_put_str(d, "policy", host_mem_policy_names[backend->policy]);
        qlist_append_obj(result, QOBJECT(d));
    }
    g_slist_free(list);
    return result;
}

/* "0-1,4": runs of consecutive nodes as ranges, as QEMU prints lists. */
static void append_node_ranges(GString *out, HostMemoryBackend *backend)
{
    bool first = true;

    for (int n = 0; n < HOST_MEM_MAX_NODES; n++) {
        int end = n;

        if (!mask_test(backend->host_nodes, n)) {
            continue;
        }
        while (end + 1 < HOST_MEM_MAX_NODES &&
               mask_test(backend->host_nodes, end + 1)) {
            end++;
        }
        g_string_append_printf(out, first ? "%d" : ",%d", n);
        if (end > n) {
            g_string_append_printf(out, "-%d", end);
        }
        first = false;
        n = end;
    }
}

static const char *bool_str(bool b)
{
    return b ? "true" : "false";
}

char *hmp_info_memdev_text(void)
{
    GSList *list = backend_list();
    GString *out = g_string_new("");

    for (GSList *l = list; l; l = l->next) {
        HostMemoryBackend *b = l->data;

        g_string_append_printf(out, "memory backend: %s\n",
                               host_memory_backend_id(b));
        g_string_append_printf(out, "  size:  %" PRIu64 "\n", b->size);
        g_string_append_printf(out, "  merge: %s\n", bool_str(b->merge));
        g_string_append_printf(out, "  dump: %s\n", bool_str(b->dump));
        g_string_append_printf(out, "  prealloc: %s\n",
                               bool_str(b->prealloc));
        g_string_append_printf(out, "  share: %s\n", bool_str(b->share));
        g_string_append_printf(out, "  reserve: %s\n", bool_str(b->reserve));
        g_string_append_printf(out, "  policy: %s\n",
                               host_mem_policy_names[b->policy]);
        g_string_append(out, "  host nodes: ");
        append_node_ranges(out, b);
        g_string_append(out, "\n");
    }
    g_string_append(out, "\n");
    g_slist_free(list);
    return g_string_free(out, false);
}

/* ---- Type ---- */

static void host_memory_backend_init(Object *obj)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    MachineState *ms = qdev_get_machine_state();

    /* -machine mem-merge / dump-guest-core give the defaults. */
    backend->merge = ms ? ms->mem_merge : true;
    backend->dump = ms ? ms->dump_guest_core : true;
    backend->reserve = true;
}

static void host_memory_backend_finalize(Object *obj)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    HostMemoryBackendClass *bc = MEMORY_BACKEND_GET_CLASS(obj);

    if (backend->mr_initialized) {
        if (backend->mr.container) {
            memory_region_del_subregion(backend->mr.container, &backend->mr);
        }
        memory_region_finalize(&backend->mr);
    }
    if (bc->release) {
        bc->release(backend);
    } else if (backend->host_ptr) {
        munmap(backend->host_ptr, backend->map_size);
    }
    backend->host_ptr = NULL;
}

static void add_bool(ObjectClass *oc, const char *name,
                     bool (*get)(Object *, Error **),
                     void (*set)(Object *, bool, Error **),
                     bool def, const char *desc)
{
    ObjectProperty *prop = object_class_property_add_bool(oc, name, get,
                                                          set);

    object_property_set_default_bool(prop, def);
    object_class_property_set_description(oc, name, desc);
}

static void host_memory_backend_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);
    ObjectProperty *prop;

    ucc->complete = host_memory_backend_complete;
    ucc->can_be_deleted = host_memory_backend_can_be_deleted;

    add_bool(oc, "merge", get_merge, set_merge, true,
             "Mark memory as mergeable");
    add_bool(oc, "dump", get_dump, set_dump, true,
             "Set to 'off' to exclude from core dump");
    add_bool(oc, "prealloc", get_prealloc, set_prealloc, false,
             "Preallocate memory");
    add_bool(oc, "share", get_share, set_share, false,
             "Mark the memory as private to QEMU or shared");
    add_bool(oc, "reserve", get_reserve, set_reserve, true,
             "Reserve swap space (or huge pages) if applicable");
    add_bool(oc, "x-use-canonical-path-for-ramblock-id", get_canonical,
             set_canonical, false, "Use the canonical path as the RAM "
             "block id");

    object_class_property_add_uint(oc, "prealloc-threads", "uint32", false,
                                   get_prealloc_threads,
                                   set_prealloc_threads);
    object_class_property_set_description(oc, "prealloc-threads",
        "Number of CPU threads to use for prealloc (default: the "
        "machine's CPU count)");
    object_class_property_add_uint(oc, "size", "int", true, get_size,
                                   set_size);
    object_class_property_set_description(oc, "size",
        "Size of the memory region (ex: 500M)");
    object_class_property_set_required(oc, "size");
    object_class_property_add_uint_list(oc, "host-nodes", "int",
                                        get_host_nodes, set_host_nodes);
    object_class_property_set_description(oc, "host-nodes",
        "Binds memory to the list of NUMA host nodes");
    prop = object_class_property_add_enum(oc, "policy", "HostMemPolicy",
                                          &HostMemPolicy_lookup,
                                          get_policy, set_policy);
    object_property_set_default_str(prop, "default");
    object_class_property_set_description(oc, "policy",
                                          "Set the NUMA policy");
}

static const TypeInfo host_memory_backend_info = {
    .name = TYPE_MEMORY_BACKEND,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .class_size = sizeof(HostMemoryBackendClass),
    .class_init = host_memory_backend_class_init,
    .instance_size = sizeof(HostMemoryBackend),
    .instance_init = host_memory_backend_init,
    .instance_finalize = host_memory_backend_finalize,
    .interfaces = (InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { }
    },
};

static void host_memory_backend_register_types(void)
{
    type_register_static(&host_memory_backend_info);
}

type_init(host_memory_backend_register_types)
