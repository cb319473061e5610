/*
 * test-block-raw.c: the file protocol (locking, cache modes, errors), the
 * raw format, -drive/-blockdev parsing, snapshot=on, query data and the
 * asynchronous request path.
 */
#include "block-test-common.h"
#include "block/block_int.h"
#include "qemu/iov.h"
#include <sys/wait.h>
#include "qemu/option.h"

static BlockBackend *open_raw(const char *path, int flags, Error **errp)
{
    GHashTable *opts = bdrv_opts_new();

    bdrv_opts_set(opts, "driver", "raw");
    return blk_new_open(path, opts, flags, errp);
}

static void test_iov(void)
{
    uint8_t a[10], b[7], flat[17];
    QEMUIOVector qiov;

    qemu_iovec_init(&qiov, 1);
    qemu_iovec_add(&qiov, a, sizeof(a));
    qemu_iovec_add(&qiov, b, sizeof(b));
    g_assert_cmpint(qiov.size, ==, 17);
    for (int i = 0; i < 17; i++) {
        flat[i] = i;
    }
    g_assert_cmpint(qemu_iovec_from_buf(&qiov, 0, flat, 17), ==, 17);
    g_assert_cmpint(a[9], ==, 9);
    g_assert_cmpint(b[0], ==, 10);
    g_assert_cmpint(qemu_iovec_memset(&qiov, 8, 0xee, 4), ==, 4);
    g_assert_cmpint(a[8], ==, 0xee);
    g_assert_cmpint(b[1], ==, 0xee);
    g_assert_cmpint(b[2], ==, 12);
    memset(flat, 0, sizeof(flat));
    g_assert_cmpint(qemu_iovec_to_buf(&qiov, 9, flat, 100), ==, 8);
    g_assert_cmpint(flat[0], ==, 0xee);
    g_assert_cmpint(flat[3], ==, 12);
    g_assert_false(qemu_iovec_is_zero(&qiov));
    qemu_iovec_memset(&qiov, 0, 0, 17);
    g_assert_true(qemu_iovec_is_zero(&qiov));
    qemu_iovec_reset(&qiov);
    g_assert_cmpint(qiov.size, ==, 0);
    qemu_iovec_destroy(&qiov);
}

static void test_missing_file(void)
{
    Error *err = NULL;

    g_assert_null(open_raw("/nonexistent/disk.img", BDRV_O_RDWR, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Could not open "
                    "'/nonexistent/disk.img': No such file or directory");
    error_free(err);
}

/* Read, write, zero and discard on raw, buffered and with O_DIRECT. */
static void raw_io(const char *cache_direct)
{
    g_autofree char *path = test_path("io.raw");
    g_autofree char *ref = test_path("io.ref");
    g_autofree uint8_t *buf = g_malloc(70000);
    g_autofree uint8_t *got = g_malloc(70000);
    GHashTable *opts = bdrv_opts_new();
    Error *err = NULL;
    BlockBackend *blk;
    int fd;

    make_raw_file(path, 1 << 20, 5);
    make_raw_file(ref, 1 << 20, 5);
    bdrv_opts_set(opts, "driver", "raw");
    bdrv_opts_set(opts, "cache.direct", cache_direct);
    blk = blk_new_open(path, opts, BDRV_O_RDWR, &err);
    g_assert_null(err);

    /* Unaligned write, aligned zeroes, discard; mirror into the ref. */
    fd = open(ref, O_RDWR);
    fill_pattern(buf, 70000, 9);
    g_assert_cmpint(blk_pwrite(blk, 1001, 70000, buf, 0), ==, 0);
    g_assert_cmpint(pwrite(fd, buf, 70000, 1001), ==, 70000);
    memset(buf, 0, 70000);
    g_assert_cmpint(blk_pwrite_zeroes(blk, 4096, 8192, 0), ==, 0);
    g_assert_cmpint(blk_pwrite_zeroes(blk, 300, 11, 0), ==, 0);
    g_assert_cmpint(blk_pdiscard(blk, 65536, 65536), ==, 0);
    g_assert_cmpint(pwrite(fd, buf, 8192, 4096), ==, 8192);
    g_assert_cmpint(pwrite(fd, buf, 11, 300), ==, 11);
    g_assert_cmpint(pwrite(fd, buf, 65536, 65536), ==, 65536);
    close(fd);
    g_assert_cmpint(blk_flush(blk), ==, 0);

    /* Odd-sized reads at odd offsets. */
    g_assert_cmpint(blk_pread(blk, 999, 3, got, 0), ==, 0);
    assert_blk_matches_file(blk, ref);

    /* Out of range. */
    g_assert_cmpint(blk_pread(blk, (1 << 20) - 1, 2, got, 0), ==, -EIO);
    blk_unref(blk);
}

static void test_raw_buffered(void)
{
    raw_io("off");
}

static void test_raw_direct(void)
{
    raw_io("on");
}

static void test_raw_offset_size(void)
{
    g_autofree char *path = test_path("win.raw");
    GHashTable *opts = bdrv_opts_new();
    uint8_t all[4096], got[100];
    Error *err = NULL;
    BlockBackend *blk;

    make_raw_file(path, sizeof(all), 8);
    fill_pattern(all, sizeof(all), 8);
    bdrv_opts_set(opts, "driver", "raw");
    bdrv_opts_set(opts, "offset", "1000");
    bdrv_opts_set(opts, "size", "100");
    blk = blk_new_open(path, opts, 0, &err);
    g_assert_null(err);
    g_assert_cmpint(blk_getlength(blk), ==, 100);
    g_assert_cmpint(blk_pread(blk, 0, 100, got, 0), ==, 0);
    g_assert_cmpmem(got, 100, all + 1000, 100);
    blk_unref(blk);

    /* A window past the end of the file is refused. */
    opts = bdrv_opts_new();
    bdrv_opts_set(opts, "driver", "raw");
    bdrv_opts_set(opts, "offset", "4000");
    bdrv_opts_set(opts, "size", "200");
    g_assert_null(blk_new_open(path, opts, 0, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "smaller or equal"));
    error_free(err);
}

/* A probed raw image may not become a qcow2 image by a guest write. */
static void test_raw_probe_restriction(void)
{
    g_autofree char *path = test_path("probe.raw");
    uint8_t magic[512] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    uint8_t plain[512] = { 1, 2, 3 };
    Error *err = NULL;
    BlockBackend *blk;

    make_raw_file(path, 65536, 1);
    blk = blk_new_open(path, NULL, BDRV_O_RDWR, &err);
    g_assert_null(err);
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)), ==, "raw");
    g_assert_cmpint(blk_pwrite(blk, 0, 512, magic, 0), ==, -EPERM);
    g_assert_cmpint(blk_pwrite(blk, 0, 512, plain, 0), ==, 0);

    /* Piece by piece: the version after the magic is already there. */
    g_assert_cmpint(blk_pwrite(blk, 4, 4, magic + 4, 0), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, 0, 4, magic, 0), ==, -EPERM);
    blk_unref(blk);

    /* With format=raw the write is allowed. */
    blk = open_raw(path, BDRV_O_RDWR, &err);
    g_assert_cmpint(blk_pwrite(blk, 0, 512, magic, 0), ==, 0);
    blk_unref(blk);
}

static void expect_lock_error(const char *path, int flags, const char *msg)
{
    Error *err = NULL;

    g_assert_null(open_raw(path, flags, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_lock_in_process(void)
{
    g_autofree char *path = test_path("lock.raw");
    Error *err = NULL;
    BlockBackend *rw, *ro1, *ro2;

    make_raw_file(path, 65536, 2);

    /* Two read-only users share the image. */
    ro1 = open_raw(path, 0, &err);
    ro2 = open_raw(path, 0, &err);
    g_assert_null(err);
    expect_lock_error(path, BDRV_O_RDWR, "Failed to get \"write\" lock");
    blk_unref(ro1);
    blk_unref(ro2);

    /* A writer excludes other writers and readers. */
    rw = open_raw(path, BDRV_O_RDWR, &err);
    g_assert_null(err);
    expect_lock_error(path, BDRV_O_RDWR, "Failed to get \"write\" lock");
    expect_lock_error(path, 0, "Failed to get shared \"write\" lock");
    blk_unref(rw);

    /* Released on close; locking=off skips it. */
    rw = open_raw(path, BDRV_O_RDWR, &err);
    g_assert_null(err);
    blk_unref(rw);
}

/* True if some process holds a lock on byte @byte of @path. */
static bool byte_is_locked(const char *path, off_t byte)
{
    struct flock fl = {
        .l_whence = SEEK_SET, .l_start = byte, .l_len = 1,
        .l_type = F_WRLCK,
    };
    int fd = open(path, O_RDONLY);
    bool locked;

    g_assert_cmpint(fcntl(fd, F_OFD_GETLK, &fl), ==, 0);
    locked = fl.l_type != F_UNLCK;
    close(fd);
    return locked;
}

/* Machina and QEMU see each other's locks. */
static void test_lock_against_qemu(void)
{
    g_autofree char *path = test_path("qlock.qcow2");
    g_autofree char *err_text = NULL;
    GHashTable *opts;
    Error *err = NULL;
    BlockBackend *blk;
    GPid pid;
    char *argv[] = { (char *)"qemu-io", (char *)"-c", (char *)"sleep 20000",
                     NULL, NULL };

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 1M",
                            path), ==, 0);

    /* Machina holds it: qemu-img info is refused. */
    opts = bdrv_opts_new();
    bdrv_opts_set(opts, "driver", "qcow2");
    blk = blk_new_open(path, opts, BDRV_O_RDWR, &err);
    g_assert_null(err);
    g_assert_cmpint(run_cmd(&err_text, "qemu-img info '%s'", path), !=, 0);
    g_assert_nonnull(strstr(err_text, "Failed to get shared \"write\" "
                            "lock"));
    blk_unref(blk);

    /* qemu-io holds it: Machina is refused, with QEMU's hint. */
    argv[3] = path;
    g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
                                G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                &pid, NULL));
    /* Wait, without locking anything, until qemu-io holds its locks. */
    for (int i = 0; i < 500 && !byte_is_locked(path, 201); i++) {
        g_usleep(10000);
    }
    opts = bdrv_opts_new();
    bdrv_opts_set(opts, "driver", "qcow2");
    blk = blk_new_open(path, opts, BDRV_O_RDWR, &err);
    g_assert_null(blk);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    g_spawn_close_pid(pid);
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Failed to get \"write\" lock");
    error_free(err);
}

static void expect_drive_error(const char *text, const char *msg)
{
    Error *err = NULL;

    g_assert_null(drive_new_from_opts(text, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void test_drive_errors(void)
{
    g_autofree char *path = test_path("drv.raw");
    g_autofree char *t = NULL;

    make_raw_file(path, 65536, 3);
    expect_drive_error("file=/nonexistent,if=none",
                       "Could not open '/nonexistent': No such file or "
                       "directory");
    expect_drive_error("file=/tmp,format=bogus,if=none",
                       "Unknown driver 'bogus'");
    t = g_strdup_printf("if=none,id=x,cache=foo,file=%s", path);
    expect_drive_error(t, "invalid cache option");
    g_free(t);
    t = g_strdup_printf("if=floppy2,file=%s", path);
    expect_drive_error(t, "unsupported bus type 'floppy2'");
    g_free(t);
    t = g_strdup_printf("if=none,file=%s,readonly=maybe", path);
    expect_drive_error(t, "Parameter 'read-only' expects 'on' or 'off'");
    g_free(t);
    t = g_strdup_printf("if=none,file=%s,werror=x", path);
    expect_drive_error(t, "'x' invalid write error action");
    g_free(t);
    t = g_strdup_printf("if=none,file=%s,rerror=enospc", path);
    expect_drive_error(t, "'enospc' invalid read error action");
    g_free(t);
    t = g_strdup_printf("if=none,file=%s,format=raw,bogus=1", path);
    expect_drive_error(t, "Block format 'raw' does not support the option "
                       "'bogus'");
    g_free(t);
    t = g_strdup_printf("if=none,file=%s,format=raw,id=a b", path);
    expect_drive_error(t, "Parameter 'id' expects an identifier");
    g_free(t);
    t = g_strdup_printf("if=none,file=%s,snapshot=maybe", path);
    expect_drive_error(t, "Parameter 'snapshot' expects 'on' or 'off'");
    expect_drive_error("if=none,format=raw",
                       "A block device must be specified for \"file\"");
}

static void test_drive_options(void)
{
    g_autofree char *path = test_path("opt.raw");
    g_autofree char *t = NULL;
    Error *err = NULL;
    BlockBackend *a, *b;
    GList *info;
    BlockInfo *bi;
    uint8_t buf[512] = { 0 };
    g_autofree char *hmp = NULL;
    g_autofree char *want = NULL;

    make_raw_file(path, 65536, 4);
    t = g_strdup_printf("file=%s,format=raw,if=none,id=disk0,readonly=on,"
                        "cache=none,werror=stop,rerror=report", path);
    a = drive_new_from_opts(t, &err);
    g_assert_null(err);
    g_assert_true(blk_by_name("disk0") == a);
    g_assert_true(blk_is_read_only(a));
    g_assert_cmpint(blk_pwrite(a, 0, 512, buf, 0), <, 0);
    g_assert_cmpint(blk_get_on_error(a, false), ==, BLOCKDEV_ON_ERROR_STOP);
    g_assert_true(blk_enable_write_cache(a));

    /* Same id again is refused; a second read-only user is fine. */
    expect_drive_error(t, "Duplicate ID 'disk0' for drive");
    g_free(t);
    t = g_strdup_printf("file=%s,format=raw,if=virtio,readonly=on,"
                        "cache=writethrough", path);
    b = drive_new_from_opts(t, &err);
    g_assert_null(err);
    g_assert_cmpstr(blk_name(b), ==, "virtio0");
    g_assert_cmpint(blk_get_if_type(b), ==, IF_VIRTIO);
    g_assert_false(blk_enable_write_cache(b));

    /* query-block data. */
    info = blk_query_all();
    g_assert_cmpint(g_list_length(info), ==, 2);
    bi = info->data;
    g_assert_cmpstr(bi->device, ==, "disk0");
    g_assert_cmpstr(bi->file, ==, path);
    g_assert_cmpstr(bi->format, ==, "raw");
    g_assert_cmpstr(bi->cache_mode, ==, "none");
    g_assert_true(bi->read_only);
    g_assert_cmpint(bi->size, ==, 65536);
    bi = info->next->data;
    g_assert_cmpstr(bi->cache_mode, ==, "writethrough");
    block_info_list_free(info);

    /* info block, QEMU's layout. */
    blk_set_attached_path(b, "/machine/peripheral-anon/device[0]");
    hmp = blk_hmp_info_block();
    want = g_strdup_printf("disk0 (%s): %s (raw, read-only)\n"
                           "    Removable device: not locked, tray closed\n"
                           "    Cache mode:       writeback, direct\n"
                           "\n"
                           "virtio0 (%s): %s (raw, read-only)\n"
                           "    Attached to:      "
                           "/machine/peripheral-anon/device[0]\n"
                           "    Cache mode:       writethrough\n",
                           bdrv_get_node_name(blk_bs(a)), path,
                           bdrv_get_node_name(blk_bs(b)), path);
    g_assert_cmpstr(hmp, ==, want);
    blk_unref(a);
    blk_unref(b);
    g_assert_null(blk_by_name("disk0"));
}

/* snapshot=on: the guest writes, the file keeps its contents. */
static void test_drive_snapshot(void)
{
    g_autofree char *path = test_path("snap.raw");
    g_autofree char *t = NULL;
    g_autofree uint8_t *orig = g_malloc(65536);
    uint8_t buf[4096], got[4096];
    Error *err = NULL;
    BlockBackend *blk;
    gchar *after;
    gsize len;

    make_raw_file(path, 65536, 6);
    fill_pattern(orig, 65536, 6);
    t = g_strdup_printf("file=%s,format=raw,if=none,id=snap,snapshot=on",
                        path);
    blk = drive_new_from_opts(t, &err);
    if (err) {
        g_test_message("%s", error_get_pretty(err));
    }
    g_assert_null(err);
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)), ==, "qcow2");
    g_assert_false(blk_is_read_only(blk));

    memset(buf, 0x5a, sizeof(buf));
    g_assert_cmpint(blk_pwrite(blk, 1000, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmpint(blk_pread(blk, 1000, sizeof(got), got, 0), ==, 0);
    g_assert_cmpmem(got, sizeof(got), buf, sizeof(buf));
    g_assert_cmpint(blk_pread(blk, 20000, 100, got, 0), ==, 0);
    g_assert_cmpmem(got, 100, orig + 20000, 100);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    blk_unref(blk);

    g_assert_true(g_file_get_contents(path, &after, &len, NULL));
    g_assert_cmpmem(after, len, orig, 65536);
    g_free(after);
}

static void test_blockdev(void)
{
    g_autofree char *path = test_path("bd.raw");
    g_autofree char *t = NULL;
    BlockDriverState *bs, *fmt;
    BlockBackend *blk;
    Error *err = NULL;
    uint8_t buf[16];

    make_raw_file(path, 65536, 10);
    t = g_strdup_printf("driver=raw,node-name=disk1,file.driver=file,"
                        "file.filename=%s", path);
    bs = blockdev_new_from_opts(t, &err);
    g_assert_null(err);
    g_assert_cmpstr(bdrv_get_node_name(bs), ==, "disk1");
    g_assert_false(bdrv_is_read_only(bs));

    /* A device's drive=disk1 finds the node. */
    blk = blk_for_device("disk1", &err);
    g_assert_null(err);
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf, 0), ==, 0);
    blk_unref(blk);
    bdrv_unref(bs);

    /* Two nodes: a protocol node, and a format node referring to it. */
    g_free(t);
    t = g_strdup_printf("driver=file,node-name=proto1,filename=%s,"
                        "locking=off", path);
    bs = blockdev_new_from_opts(t, &err);
    g_assert_null(err);
    fmt = blockdev_new_from_opts("driver=raw,node-name=fmt1,file=proto1,"
                                 "read-only=on", &err);
    g_assert_null(err);
    g_assert_true(bdrv_is_read_only(fmt));
    g_assert_cmpint(bdrv_getlength(fmt), ==, 65536);
    bdrv_unref(fmt);
    bdrv_unref(bs);
    g_assert_null(bdrv_find_node("proto1"));

    g_assert_null(blockdev_new_from_opts("driver=file,filename=/x", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'node-name' must be specified for the root node");
    error_free(err);
    err = NULL;
    g_assert_null(blockdev_new_from_opts("driver=bogus,node-name=a", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'driver' does not accept value 'bogus'");
    error_free(err);
    err = NULL;
    g_assert_null(blockdev_new_from_opts("driver=raw,node-name=a", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Parameter 'file' is missing");
    error_free(err);
    err = NULL;
    g_assert_null(blockdev_new_from_opts("driver=raw,node-name=a,file=x,"
                                         "bogus=2", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Parameter 'bogus' is unexpected");
    error_free(err);
    err = NULL;
    g_assert_null(blockdev_new_from_opts("driver=raw,node-name=a,"
                                         "file=nothere", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Cannot find device='nothere' nor node-name='nothere'");
    error_free(err);
}

/* The bridge from a QemuOpts-parsed -drive. */
static QemuOptsList drive_opts_list = {
    .name = "drive",
    .desc = { { 0 } },
};

static void test_drive_qemu_opts(void)
{
    g_autofree char *path = test_path("qo.raw");
    g_autofree char *t = NULL;
    Error *err = NULL;
    BlockBackend *blk;
    QemuOpts *opts;

    make_raw_file(path, 8192, 12);
    t = g_strdup_printf("file=%s,format=raw,id=qo0,readonly=on", path);
    opts = qemu_opts_parse(&drive_opts_list, t, false, &err);
    g_assert_null(err);
    blk = drive_new_from_qemu_opts(opts, &err);
    g_assert_null(err);
    g_assert_true(blk_by_name("qo0") == blk);
    g_assert_true(blk_is_read_only(blk));
    g_assert_cmpint(blk_getlength(blk), ==, 8192);
    blk_unref(blk);
    qemu_opts_del(opts);
}

static void test_keyval(void)
{
    Error *err = NULL;
    GHashTable *kv = block_parse_keyval("file=a,,b,if=none,snapshot", &err);

    g_assert_null(err);
    g_assert_cmpstr(g_hash_table_lookup(kv, "file"), ==, "a,b");
    g_assert_cmpstr(g_hash_table_lookup(kv, "if"), ==, "none");
    g_assert_cmpstr(g_hash_table_lookup(kv, "snapshot"), ==, "on");
    g_hash_table_unref(kv);
}

/* Asynchronous requests: callbacks in the calling (main) thread. */
typedef struct AioState {
    GThread *main_thread;
    int done;
    int last_ret;
    bool wrong_thread;
} AioState;

static void aio_done(void *opaque, int ret)
{
    AioState *st = opaque;

    st->done++;
    st->last_ret = ret;
    st->wrong_thread |= g_thread_self() != st->main_thread;
}

static void test_aio(void)
{
    g_autofree char *path = test_path("aio.raw");
    enum { N = 32, LEN = 4096 };
    static uint8_t wbuf[N][LEN], rbuf[N][LEN];
    QEMUIOVector wq[N], rq[N];
    AioState st = { .main_thread = g_thread_self() };
    Error *err = NULL;
    BlockBackend *blk;

    make_raw_file(path, N * LEN, 11);
    blk = open_raw(path, BDRV_O_RDWR, &err);
    g_assert_null(err);
    for (int i = 0; i < N; i++) {
        fill_pattern(wbuf[i], LEN, 200 + i);
        qemu_iovec_init_buf(&wq[i], wbuf[i], LEN);
        blk_aio_pwritev(blk, (int64_t)i * LEN, &wq[i], 0, aio_done, &st);
    }
    blk_aio_flush(blk, aio_done, &st);
    blk_drain(blk);
    g_assert_cmpint(st.done, ==, N + 1);
    g_assert_cmpint(blk_flush_all(), ==, 0);

    for (int i = 0; i < N; i++) {
        qemu_iovec_init_buf(&rq[i], rbuf[i], LEN);
        blk_aio_preadv(blk, (int64_t)i * LEN, &rq[i], 0, aio_done, &st);
    }
    blk_aio_pwrite_zeroes(blk, N * LEN - 100, 100, 0, aio_done, &st);
    blk_drain(blk);
    g_assert_cmpint(st.done, ==, 2 * N + 2);
    g_assert_false(st.wrong_thread);
    for (int i = 0; i < N; i++) {
        g_assert_cmpmem(rbuf[i], LEN, wbuf[i], LEN);
        qemu_iovec_destroy(&wq[i]);
        qemu_iovec_destroy(&rq[i]);
    }

    /* Errors reach the callback. */
    qemu_iovec_init_buf(&rq[0], rbuf[0], LEN);
    blk_aio_preadv(blk, N * LEN, &rq[0], 0, aio_done, &st);
    blk_drain(blk);
    g_assert_cmpint(st.done, ==, 2 * N + 3);
    g_assert_cmpint(st.last_ret, ==, -EIO);
    blk_aio_pdiscard(blk, 0, LEN, aio_done, &st);
    blk_drain(blk);
    g_assert_cmpint(st.done, ==, 2 * N + 4);
    g_assert_cmpint(st.last_ret, ==, 0);
    qemu_iovec_destroy(&rq[0]);
    blk_unref(blk);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/block/iov", test_iov);
    g_test_add_func("/block/file/missing", test_missing_file);
    g_test_add_func("/block/raw/buffered", test_raw_buffered);
    g_test_add_func("/block/raw/direct", test_raw_direct);
    g_test_add_func("/block/raw/offset-size", test_raw_offset_size);
    g_test_add_func("/block/raw/probe-restriction",
                    test_raw_probe_restriction);
    g_test_add_func("/block/file/lock", test_lock_in_process);
    g_test_add_func("/block/file/lock-qemu", test_lock_against_qemu);
    g_test_add_func("/block/drive/errors", test_drive_errors);
    g_test_add_func("/block/drive/options", test_drive_options);
    g_test_add_func("/block/drive/snapshot", test_drive_snapshot);
    g_test_add_func("/block/blockdev", test_blockdev);
    g_test_add_func("/block/keyval", test_keyval);
    g_test_add_func("/block/drive/qemu-opts", test_drive_qemu_opts);
    g_test_add_func("/block/aio", test_aio);
    return g_test_run();
}
