/*
 * test-hostmem.c: memory-backend-ram/file/memfd created as -object does,
 * checked from the host side: file contents (pread), page residency
 * (mincore), /proc/self/smaps VmFlags (madvise, MAP_NORESERVE),
 * /proc/self/numa_maps (mbind), memfd seals, and the error messages of
 * QEMU 7.2 (facts file §2.3 rows 46-60).
 */
#include "qemu/osdep.h"
#include "sysemu/hostmem.h"
#include "qom/object_interfaces.h"
#include "qapi/error.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qdict.h"

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

static QemuOptsList object_opts = {
    .name = "object",
    .implied_opt_name = "qom-type",
    .desc = { { } },
};

static char *tmpdir;

/* -object TEXT; NULL with @errp set on failure. */
static HostMemoryBackend *make(const char *text, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&object_opts, text, true, errp);
    Object *obj;

    if (!opts) {
        return NULL;
    }
    obj = user_creatable_add_opts(opts, errp);
    qemu_opts_del(opts);
    return obj ? MEMORY_BACKEND(obj) : NULL;
}

static HostMemoryBackend *make_ok(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static HostMemoryBackend *make_ok(const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return make(text, &error_abort);
}

static void expect_error(const char *text, const char *message)
{
    Error *err = NULL;

    g_test_message("-object %s", text);
    g_assert_null(make(text, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, message);
    error_free(err);
    g_assert_null(object_resolve_path("/objects/m0", NULL));
}

static void drop(HostMemoryBackend *b)
{
    object_unparent(OBJECT(b));
}

static void *ptr_of(HostMemoryBackend *b)
{
    return memory_region_get_ram_ptr(host_memory_backend_get_memory(b));
}

/* The /proc/self/smaps block of the mapping starting at @addr. */
static char *smaps_block(void *addr)
{
    g_autofree char *all = NULL;
    g_autofree char *head = g_strdup_printf("%lx-", (unsigned long)addr);
    char *start, *end;

    g_assert_true(g_file_get_contents("/proc/self/smaps", &all, NULL, NULL));
    start = strstr(all, head);
    g_assert_nonnull(start);
    end = strstr(start, "VmFlags:");
    g_assert_nonnull(end);
    end = strchr(end, '\n');
    return g_strndup(start, end - start);
}

static bool has_vmflag(void *addr, const char *flag)
{
    g_autofree char *block = smaps_block(addr);
    char *flags = strstr(block, "VmFlags:");
    g_auto(GStrv) words = g_strsplit(flags + 8, " ", -1);

    return g_strv_contains((const char *const *)words, flag);
}

static size_t resident_pages(void *addr, size_t size)
{
    size_t pages = size / getpagesize(), count = 0;
    g_autofree unsigned char *vec = g_malloc(pages);

    g_assert_cmpint(mincore(addr, size, vec), ==, 0);
    for (size_t i = 0; i < pages; i++) {
        count += vec[i] & 1;
    }
    return count;
}

/* ---- ram ---- */

static void test_ram_defaults(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=4M");
    MemoryRegion *mr = host_memory_backend_get_memory(b);
    Object *o = OBJECT(b);

    g_assert_cmpuint(memory_region_size(mr), ==, 4 << 20);
    g_assert_cmpstr(memory_region_name(mr), ==, "m0");
    g_assert_true(object_property_get_bool(o, "merge", &error_abort));
    g_assert_true(object_property_get_bool(o, "dump", &error_abort));
    g_assert_true(object_property_get_bool(o, "reserve", &error_abort));
    g_assert_false(object_property_get_bool(o, "share", &error_abort));
    g_assert_false(object_property_get_bool(o, "prealloc", &error_abort));
    g_assert_cmpint(object_property_get_enum(o, "policy", "HostMemPolicy",
                                             &error_abort), ==, 0);
    /* No machine: one prealloc thread. */
    g_assert_cmpuint(object_property_get_uint(o, "prealloc-threads",
                                              &error_abort), ==, 1);

    /* Private anonymous memory, writable, zero-filled. */
    g_assert_cmpint(((uint8_t *)ptr_of(b))[4095], ==, 0);
    ((uint8_t *)ptr_of(b))[4095] = 0x5a;
    g_assert_false(has_vmflag(ptr_of(b), "sh"));
    g_assert_false(has_vmflag(ptr_of(b), "nr"));

    /* Properties that shape the mapping are fixed once it exists. */
    g_assert_false(object_property_set_uint(o, "size", 1 << 20, NULL));
    drop(b);
}

static void test_ram_share_and_reserve(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=4M,"
                                   "share=on,reserve=off");

    g_assert_true(has_vmflag(ptr_of(b), "sh"));
    g_assert_true(has_vmflag(ptr_of(b), "nr"));
    drop(b);
}

static void test_dump_off(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=4M,"
                                   "dump=off");

    g_assert_true(has_vmflag(ptr_of(b), "dd"));
    drop(b);
    b = make_ok("memory-backend-ram,id=m0,size=4M");
    g_assert_false(has_vmflag(ptr_of(b), "dd"));
    drop(b);
}

/* MADV_MERGEABLE needs KSM in the host kernel; skip without it. */
static void test_merge(void)
{
    void *probe = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    bool ksm = !madvise(probe, 4096, MADV_MERGEABLE);
    HostMemoryBackend *b;

    munmap(probe, 4096);
    if (!ksm) {
        g_test_skip("host kernel without KSM");
        return;
    }
    b = make_ok("memory-backend-ram,id=m0,size=4M");
    g_assert_true(has_vmflag(ptr_of(b), "mg"));
    drop(b);
    b = make_ok("memory-backend-ram,id=m0,size=4M,merge=off");
    g_assert_false(has_vmflag(ptr_of(b), "mg"));
    drop(b);
}

/* prealloc=on with 4 threads makes every page resident at creation. */
static void test_prealloc_threads(void)
{
    size_t size = 64 << 20;
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=64M");

    g_assert_cmpuint(resident_pages(ptr_of(b), size), <, 16);
    drop(b);

    b = make_ok("memory-backend-ram,id=m0,size=64M,prealloc=on,"
                "prealloc-threads=4");
    g_assert_cmpuint(resident_pages(ptr_of(b), size), ==,
                     size / getpagesize());
    g_assert_cmpuint(object_property_get_uint(OBJECT(b), "prealloc-threads",
                                              &error_abort), ==, 4);
    drop(b);
}

/* More threads than pages, and an odd size, still cover every page. */
static void test_prealloc_direct(void)
{
    size_t size = 3 * getpagesize();
    void *area = mmap(NULL, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    g_assert_true(qemu_prealloc_mem(area, size, getpagesize(), 8,
                                    &error_abort));
    g_assert_cmpuint(resident_pages(area, size), ==, 3);
    munmap(area, size);
}

/* ---- file ---- */

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* share=on: what the guest writes is in the file. */
static void test_file_share(void)
{
    g_autofree char *path = tmp_path("share.img");
    HostMemoryBackend *b = make_ok("memory-backend-file,id=m0,size=2M,"
                                   "mem-path=%s,share=on", path);
    uint8_t *p = ptr_of(b);
    char buf[8] = { 0 };
    struct stat st;
    int fd;

    memcpy(p + 0x1234, "machina", 7);
    fd = open(path, O_RDONLY);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, buf, 7, 0x1234), ==, 7);
    g_assert_cmpstr(buf, ==, "machina");
    g_assert_cmpint(fstat(fd, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 2 << 20);
    close(fd);
    drop(b);

    /* The file is kept, contents and all. */
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    unlink(path);
}

/* share=off: a private copy; the file is left alone. */
static void test_file_private(void)
{
    g_autofree char *path = tmp_path("private.img");
    HostMemoryBackend *b = make_ok("memory-backend-file,id=m0,size=1M,"
                                   "mem-path=%s", path);
    char buf[4] = { 1, 1, 1, 1 };
    int fd;

    memcpy(ptr_of(b), "abc", 4);
    fd = open(path, O_RDONLY);
    g_assert_cmpint(pread(fd, buf, 4, 0), ==, 4);
    g_assert_cmpint(buf[0], ==, 0);
    close(fd);
    drop(b);
    unlink(path);
}

/* A directory gets an unlinked temporary file. */
static void test_file_directory(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-file,id=m0,size=1M,"
                                   "mem-path=%s,share=on", tmpdir);
    g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
    g_autofree char *block = smaps_block(ptr_of(b));

    g_assert_null(g_dir_read_name(dir));        /* nothing left behind */
    g_assert_nonnull(strstr(block, "machina_back_mem.m0."));
    g_assert_nonnull(strstr(block, "(deleted)"));
    ((char *)ptr_of(b))[0] = 1;
    drop(b);
}

static void test_file_readonly(void)
{
    g_autofree char *path = tmp_path("ro.img");
    g_autofree char *data = g_malloc0(1 << 20);
    HostMemoryBackend *b;
    g_autofree char *block = NULL;

    strcpy(data + 100, "firmware");
    g_assert_true(g_file_set_contents(path, data, 1 << 20, NULL));
    b = make_ok("memory-backend-file,id=m0,size=1M,mem-path=%s,readonly=on,"
                "share=on,prealloc=on", path);
    g_assert_cmpstr((char *)ptr_of(b) + 100, ==, "firmware");
    block = smaps_block(ptr_of(b));
    g_assert_nonnull(strstr(block, " r--s "));
    /* prealloc on a read-only mapping faults it in for reading. */
    g_assert_cmpuint(resident_pages(ptr_of(b), 1 << 20), ==,
                     (1 << 20) / getpagesize());
    drop(b);
    unlink(path);
}

/* An existing file with data that is smaller than size is refused. */
static void test_file_too_small(void)
{
    g_autofree char *path = tmp_path("small.img");
    g_autofree char *text = g_strdup_printf("memory-backend-file,id=m0,"
                                            "size=1M,mem-path=%s", path);

    g_autofree char *page = g_malloc0(4096);

    g_assert_true(g_file_set_contents(path, page, 4096, NULL));
    expect_error(text, "backing store size 0x1000 does not match 'size' "
                 "option 0x100000");
    unlink(path);
}

static void test_file_align(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-file,id=m0,size=1M,"
                                   "mem-path=%s,align=2M", tmpdir);

    g_assert_cmpuint((uintptr_t)ptr_of(b) % (2 << 20), ==, 0);
    drop(b);
}

/* discard-data=on punches the contents out when the backend goes. */
static void test_file_discard(void)
{
    g_autofree char *path = tmp_path("discard.img");
    HostMemoryBackend *b = make_ok("memory-backend-file,id=m0,size=1M,"
                                   "mem-path=%s,share=on,discard-data=on",
                                   path);
    char c = 1;
    struct stat st;
    int fd;

    memset(ptr_of(b), 0xaa, 1 << 20);
    drop(b);
    fd = open(path, O_RDONLY);
    g_assert_cmpint(pread(fd, &c, 1, 4096), ==, 1);
    g_assert_cmpint(c, ==, 0);
    g_assert_cmpint(fstat(fd, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 1 << 20);     /* size kept */
    g_assert_cmpint(st.st_blocks, ==, 0);
    close(fd);
    unlink(path);
}

/*
 * prealloc on a tmpfs too small for the backend: an error, not a SIGBUS.
 * Needs a tmpfs mount of our own (root); skipped when mount is refused.
 */
static void test_file_prealloc_full_tmpfs(void)
{
    g_autofree char *mnt = tmp_path("small-tmpfs");
    g_autofree char *text = NULL;
    Error *err = NULL;

    g_assert_cmpint(mkdir(mnt, 0700), ==, 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=1M")) {
        g_test_skip("cannot mount a tmpfs here");
        rmdir(mnt);
        return;
    }
    text = g_strdup_printf("memory-backend-file,id=m0,size=8M,mem-path=%s,"
                           "share=on,prealloc=on,prealloc-threads=2", mnt);
    g_assert_null(make(text, &err));
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(error_get_pretty(err),
                                   "Couldn't preallocate memory: "));
    error_free(err);
    g_assert_null(object_resolve_path("/objects/m0", NULL));
    umount(mnt);
    rmdir(mnt);
}

/* ---- memfd ---- */

/* The fd of our memfd "memfd:NAME", found through /proc/self/fd. */
static int find_memfd(const char *name)
{
    g_autofree char *want = g_strdup_printf("/memfd:%s (deleted)", name);
    g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
    const char *ent;

    while ((ent = g_dir_read_name(dir))) {
        g_autofree char *link = g_strdup_printf("/proc/self/fd/%s", ent);
        g_autofree char *target = g_file_read_link(link, NULL);

        if (target && !strcmp(target, want)) {
            return atoi(ent);
        }
    }
    return -1;
}

static void test_memfd(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-memfd,id=m0,size=2M");
    int fd = find_memfd("m0");
    int seals;

    g_assert_true(object_property_get_bool(OBJECT(b), "share",
                                           &error_abort));
    g_assert_true(has_vmflag(ptr_of(b), "sh"));
    g_assert_cmpint(fd, >=, 0);
    seals = fcntl(fd, F_GET_SEALS);
    g_assert_cmpint(seals & (F_SEAL_GROW | F_SEAL_SHRINK), ==,
                    F_SEAL_GROW | F_SEAL_SHRINK);

    /* Shared: a write through the fd shows in guest memory. */
    g_assert_cmpint(pwrite(fd, "xy", 2, 4096), ==, 2);
    g_assert_cmpint(((char *)ptr_of(b))[4097], ==, 'y');
    drop(b);
    g_assert_cmpint(find_memfd("m0"), ==, -1);   /* fd closed */

    b = make_ok("memory-backend-memfd,id=m0,size=2M,seal=off");
    g_assert_cmpint(fcntl(find_memfd("m0"), F_GET_SEALS), ==, F_SEAL_SEAL);
    drop(b);
}

/* memfd hugetlb=on on a host without huge pages (row 58). */
static void test_memfd_hugetlb_none(void)
{
    g_autofree char *nr = NULL;

    if (!g_file_get_contents("/proc/sys/vm/nr_hugepages", &nr, NULL, NULL)
        || atoi(nr) != 0) {
        g_test_skip("host has huge pages configured");
        return;
    }
    expect_error("memory-backend-memfd,id=m0,size=2M,hugetlb=on",
                 "unable to map backing store for guest RAM: Cannot "
                 "allocate memory");
}

/* ---- host nodes ---- */

static void test_bind_node0(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=4M,"
                                   "host-nodes=0,policy=bind,prealloc=on");
    g_autofree char *maps = NULL;
    g_autofree char *head = g_strdup_printf("%lx bind:0",
                                            (unsigned long)ptr_of(b));
    g_autofree char *nodes = NULL;

    if (!g_file_get_contents("/proc/self/numa_maps", &maps, NULL, NULL)) {
        drop(b);
        g_test_skip("no /proc/self/numa_maps (kernel without NUMA)");
        return;
    }
    g_assert_nonnull(strstr(maps, head));
    nodes = object_property_print(OBJECT(b), "host-nodes", false,
                                  &error_abort);
    g_assert_cmpstr(nodes, ==, "0");
    drop(b);

    b = make_ok("memory-backend-ram,id=m0,size=4M,host-nodes=0,"
                "policy=interleave");
    g_free(maps);
    g_free(head);
    g_assert_true(g_file_get_contents("/proc/self/numa_maps", &maps, NULL,
                                      NULL));
    head = g_strdup_printf("%lx interleave:0", (unsigned long)ptr_of(b));
    g_assert_nonnull(strstr(maps, head));
    drop(b);
}

static void test_online_nodes(void)
{
    unsigned long mask[HOST_MEM_MAX_NODES / (8 * sizeof(long))];
    int n = host_numa_online_nodes(mask, HOST_MEM_MAX_NODES);

    g_assert_cmpint(n, >=, 1);
    g_assert_true(mask[0] & 1);
}

/* ---- errors (rows 46-60) ---- */

static void test_errors(void)
{
    unsigned long mask[HOST_MEM_MAX_NODES / (8 * sizeof(long))];
    int nodes = host_numa_online_nodes(mask, HOST_MEM_MAX_NODES);
    g_autofree char *absent = g_strdup_printf(
        "memory-backend-ram,id=m0,size=64M,host-nodes=%d,policy=bind",
        nodes);

    expect_error("memory-backend-ram,id=m0", "Parameter 'size' is missing");
    expect_error("memory-backend-ram,id=m0,size=0",
                 "property 'size' of memory-backend-ram doesn't take value "
                 "'0'");
    expect_error("memory-backend-ram,id=m0,size=64M,policy=foo",
                 "Parameter 'policy' does not accept value 'foo'");
    expect_error("memory-backend-ram,id=m0,size=64M,policy=bind",
                 "host-nodes must be set for policy bind");
    expect_error("memory-backend-ram,id=m0,size=64M,host-nodes=0",
                 "host-nodes must be empty for policy default, or you "
                 "should explicitly specify a policy other than default");
    expect_error("memory-backend-ram,id=m0,size=64M,host-nodes=200,"
                 "policy=bind", "Invalid host-nodes value: 200");
    expect_error(absent, "cannot bind memory to host NUMA nodes: Invalid "
                 "argument");
    expect_error("memory-backend-ram,id=m0,size=64M,prealloc-threads=0",
                 "property 'prealloc-threads' of memory-backend-ram doesn't "
                 "take value '0'");
    expect_error("memory-backend-ram,id=m0,size=64M,prealloc=on,reserve=off",
                 "'prealloc=on' and 'reserve=off' are incompatible");
    expect_error("memory-backend-file,id=m0,size=64M",
                 "Parameter 'mem-path' is missing");
    expect_error("memory-backend-file,id=m0,size=64M,"
                 "mem-path=/nonexistent/dir/x",
                 "can't open backing store /nonexistent/dir/x for guest RAM: "
                 "No such file or directory");
    expect_error("memory-backend-foo,id=m0,size=64M",
                 "Parameter 'qom-type' does not accept value "
                 "'memory-backend-foo'");
    expect_error("memory-backend-memfd,id=m0,size=64M,hugetlbsize=3M,"
                 "hugetlb=on", "hugetlbsize 0x300000 is not a power of two");
}

static void test_error_align(void)
{
    g_autofree char *text = g_strdup_printf("memory-backend-file,id=m0,"
                                            "size=64M,mem-path=%s,align=3",
                                            tmpdir);

    expect_error(text, "alignment 0x3 must be multiples of page size 0x1000");
}

static void test_error_duplicate(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=64M");
    Error *err = NULL;

    g_assert_null(make("memory-backend-ram,id=m0,size=64M", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Duplicate ID 'm0' for object");
    error_free(err);
    drop(b);
}

/* A consumer holds the backend: object-del refuses to remove it. */
static void test_in_use(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=4M");
    Error *err = NULL;

    host_memory_backend_set_mapped(b, true);
    g_assert_true(host_memory_backend_is_mapped(b));
    g_assert_false(user_creatable_del("m0", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "object 'm0' is in use, can not be deleted");
    error_free(err);
    host_memory_backend_set_mapped(b, false);
    g_assert_true(user_creatable_del("m0", &error_abort));
}

static void test_canonical_name(void)
{
    HostMemoryBackend *b = make_ok("memory-backend-ram,id=m0,size=4M,"
                                   "x-use-canonical-path-for-ramblock-id=on");

    g_assert_cmpstr(memory_region_name(host_memory_backend_get_memory(b)),
                    ==, "/objects/m0");
    drop(b);
}

/* ---- introspection ---- */

static void test_info_memdev(void)
{
    HostMemoryBackend *a = make_ok("memory-backend-ram,id=m0,size=64M,"
                                   "host-nodes=0,policy=bind");
    HostMemoryBackend *z = make_ok("memory-backend-memfd,id=zz,size=64M");
    g_autofree char *text = hmp_info_memdev_text();
    g_autoptr(QList) list = qmp_query_memdev_list();
    QDict *d;

    /* Newest first, one blank line at the very end, as 7.2 prints. */
    g_assert_cmpstr(text, ==,
                    "memory backend: zz\n  size:  67108864\n  merge: true\n"
                    "  dump: true\n  prealloc: false\n  share: true\n"
                    "  reserve: true\n  policy: default\n  host nodes: \n"
                    "memory backend: m0\n  size:  67108864\n  merge: true\n"
                    "  dump: true\n  prealloc: false\n  share: false\n"
                    "  reserve: true\n  policy: bind\n  host nodes: 0\n\n");
    g_assert_cmpuint(qlist_size(list), ==, 2);
    d = qobject_to(QDict, qlist_peek(list));
    g_assert_cmpstr(qdict_get_str(d, "id"), ==, "zz");
    g_assert_true(qdict_get_bool(d, "share"));
    g_assert_cmpstr(qdict_get_str(d, "policy"), ==, "default");
    g_assert_cmpuint(qlist_size(qobject_to(QList, qdict_get(d, "host-nodes"))),
                     ==, 0);
    drop(z);
    drop(a);
}

/* ---- through the emulator binary ---- */

static char *binary;

/*
 * Start the emulator with -daemonize (its parent exits once the machine
 * is built) and return the daemon's pid, or 0 with the exit status and
 * stderr in *@status and *@err.
 */
static pid_t start_daemon(const char *args, int *status, char **err)
{
    g_autofree char *pidfile = tmp_path("machina.pid");
    g_autofree char *cmd = g_strdup_printf("%s -M none -display none -S "
                                           "-nodefaults %s -daemonize "
                                           "-pidfile %s", binary, args,
                                           pidfile);
    g_autofree char *pidtext = NULL;
    g_auto(GStrv) argv = g_strsplit(cmd, " ", -1);
    pid_t pid;

    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, err, status, NULL));
    if (!g_spawn_check_wait_status(*status, NULL)) {
        return 0;
    }
    g_assert_true(g_file_get_contents(pidfile, &pidtext, NULL, NULL));
    pid = atoi(pidtext);
    g_assert_cmpint(pid, >, 0);
    return pid;
}

static void stop_daemon(pid_t pid)
{
    g_autofree char *proc = g_strdup_printf("/proc/%d", pid);

    kill(pid, SIGKILL);
    while (g_file_test(proc, G_FILE_TEST_EXISTS)) {
        g_usleep(10000);
    }
}

static bool binary_missing(void)
{
    if (!binary || !g_file_test(binary, G_FILE_TEST_IS_EXECUTABLE)) {
        g_test_skip("emulator binary not built");
        return true;
    }
    return false;
}

/* -machine memory-backend with host-nodes=0,policy=bind: pages on node 0. */
static void test_binary_bind(void)
{
    g_autofree char *err = NULL;
    g_autofree char *maps = NULL;
    g_autofree char *path = NULL;
    g_auto(GStrv) lines = NULL;
    bool found = false;
    int status;
    pid_t pid;

    if (binary_missing()) {
        return;
    }
    pid = start_daemon("-m 64M -object memory-backend-ram,id=m0,size=64M,"
                       "host-nodes=0,policy=bind,prealloc=on "
                       "-machine memory-backend=m0", &status, &err);
    g_assert_cmpint(pid, >, 0);
    path = g_strdup_printf("/proc/%d/numa_maps", pid);
    if (!g_file_get_contents(path, &maps, NULL, NULL)) {
        stop_daemon(pid);
        g_test_skip("no numa_maps (kernel without NUMA)");
        return;
    }
    lines = g_strsplit(maps, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        found |= strstr(lines[i], " bind:0 ") && strstr(lines[i], " anon=")
                 && strstr(lines[i], " N0=");
    }
    stop_daemon(pid);
    g_assert_true(found);
}

/* A shared file backend, preallocated: the file holds every block. */
static void test_binary_file_prealloc(void)
{
    g_autofree char *img = tmp_path("guest.img");
    g_autofree char *args = g_strdup_printf(
        "-m 16M -object memory-backend-file,id=m0,size=16M,mem-path=%s,"
        "share=on,prealloc=on,prealloc-threads=2 -machine memory-backend=m0",
        img);
    g_autofree char *err = NULL;
    struct stat st;
    int status;
    pid_t pid;

    if (binary_missing()) {
        return;
    }
    pid = start_daemon(args, &status, &err);
    g_assert_cmpint(pid, >, 0);
    g_assert_cmpint(stat(img, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 16 << 20);
    g_assert_cmpint((uint64_t)st.st_blocks * 512, >=, 16 << 20);
    stop_daemon(pid);
    unlink(img);
}

/* A bad backend stops the emulator with exit 1 and the message. */
static void test_binary_error(void)
{
    g_autofree char *err = NULL;
    int status;

    if (binary_missing()) {
        return;
    }
    g_assert_cmpint(start_daemon("-object memory-backend-ram,id=m0,"
                                 "size=64M,prealloc=on,reserve=off",
                                 &status, &err), ==, 0);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_nonnull(strstr(err, ": 'prealloc=on' and 'reserve=off' are "
                            "incompatible\n"));
}

int main(int argc, char **argv)
{
    g_autofree char *dir = g_path_get_dirname(argv[0]);
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("test-hostmem-XXXXXX", NULL);

    g_test_add_func("/hostmem/ram/defaults", test_ram_defaults);
    g_test_add_func("/hostmem/ram/share-reserve", test_ram_share_and_reserve);
    g_test_add_func("/hostmem/ram/dump-off", test_dump_off);
    g_test_add_func("/hostmem/ram/merge", test_merge);
    g_test_add_func("/hostmem/prealloc/threads", test_prealloc_threads);
    g_test_add_func("/hostmem/prealloc/direct", test_prealloc_direct);
    g_test_add_func("/hostmem/file/share", test_file_share);
    g_test_add_func("/hostmem/file/private", test_file_private);
    g_test_add_func("/hostmem/file/directory", test_file_directory);
    g_test_add_func("/hostmem/file/readonly", test_file_readonly);
    g_test_add_func("/hostmem/file/too-small", test_file_too_small);
    g_test_add_func("/hostmem/file/align", test_file_align);
    g_test_add_func("/hostmem/file/discard-data", test_file_discard);
    g_test_add_func("/hostmem/file/prealloc-full-tmpfs",
                    test_file_prealloc_full_tmpfs);
    g_test_add_func("/hostmem/memfd/seal-share", test_memfd);
    g_test_add_func("/hostmem/memfd/hugetlb-none", test_memfd_hugetlb_none);
    g_test_add_func("/hostmem/numa/bind", test_bind_node0);
    g_test_add_func("/hostmem/numa/online", test_online_nodes);
    g_test_add_func("/hostmem/errors/table", test_errors);
    g_test_add_func("/hostmem/errors/align", test_error_align);
    g_test_add_func("/hostmem/errors/duplicate", test_error_duplicate);
    g_test_add_func("/hostmem/in-use", test_in_use);
    g_test_add_func("/hostmem/canonical-name", test_canonical_name);
    g_test_add_func("/hostmem/info-memdev", test_info_memdev);

    /* build/tests/unit/test-hostmem -> build/machina-system-riscv64 */
    binary = g_build_filename(dir, "..", "..", "machina-system-riscv64",
                              NULL);
    g_test_add_func("/hostmem/binary/bind", test_binary_bind);
    g_test_add_func("/hostmem/binary/file-prealloc",
                    test_binary_file_prealloc);
    g_test_add_func("/hostmem/binary/error", test_binary_error);
    ret = g_test_run();
    rmdir(tmpdir);
    return ret;
}
