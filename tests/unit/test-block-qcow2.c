/*
 * test-block-qcow2.c: the qcow2 driver against images made by qemu-img.
 *
 * Each test builds its images at run time with qemu-img/qemu-io, reads
 * them through Machina and compares with a raw reference; write tests
 * apply the same operations to the image (through Machina) and to a raw
 * reference (plain pwrite), then require `qemu-img check` to find no
 * error and `qemu-img compare` to find both identical.
 */
#include "block-test-common.h"
#include "block/block_int.h"
#include <sys/wait.h>

#define MB (1024 * 1024)

/* An image under test and its raw reference, written side by side. */
typedef struct Mirror {
    BlockBackend *blk;
    int ref_fd;
    int64_t cluster_size;
} Mirror;

/* cache.direct for images opened by open_img() (set per test). */
static const char *test_cache_direct = "off";

static BlockBackend *open_img(const char *path, const char *fmt, int flags)
{
    GHashTable *opts = bdrv_opts_new();
    Error *err = NULL;
    BlockBackend *blk;

    bdrv_opts_set(opts, "driver", fmt);
    bdrv_opts_set(opts, "cache.direct", test_cache_direct);
    blk = blk_new_open(path, opts, flags, &err);
    if (!blk) {
        g_test_message("open %s: %s", path, error_get_pretty(err));
    }
    g_assert_null(err);
    return blk;
}

/* Open @img (rw) and its reference; the reference starts as @ref_init. */
static void mirror_open(Mirror *m, const char *img, const char *ref,
                        int64_t cluster_size)
{
    m->blk = open_img(img, "qcow2", BDRV_O_RDWR);
    m->ref_fd = open(ref, O_RDWR);
    g_assert_cmpint(m->ref_fd, >=, 0);
    m->cluster_size = cluster_size;
}

static void mirror_close(Mirror *m)
{
    BdrvCheckResult res;

    g_assert_cmpint(blk_flush(m->blk), ==, 0);
    g_assert_cmpint(bdrv_check(blk_bs(m->blk), &res), ==, 0);
    g_assert_cmpint(res.corruptions, ==, 0);
    g_assert_cmpint(res.leaks, ==, 0);
    blk_unref(m->blk);
    close(m->ref_fd);
}

static void ref_pwrite(Mirror *m, const void *buf, int64_t len,
                       int64_t offset)
{
    g_assert_cmpint(pwrite(m->ref_fd, buf, len, offset), ==, len);
}

static void m_write(Mirror *m, int64_t offset, int64_t len, uint32_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);

    fill_pattern(buf, len, seed);
    g_assert_cmpint(blk_pwrite(m->blk, offset, len, buf, 0), ==, 0);
    ref_pwrite(m, buf, len, offset);
}

static void m_zero(Mirror *m, int64_t offset, int64_t len, int flags)
{
    g_autofree uint8_t *buf = g_malloc0(len);

    g_assert_cmpint(blk_pwrite_zeroes(m->blk, offset, len, flags), ==, 0);
    ref_pwrite(m, buf, len, offset);
}

/* Discard reads back as zeros in qcow2 unless v2 with a backing file. */
static void m_discard(Mirror *m, int64_t offset, int64_t len)
{
    g_autofree uint8_t *buf = g_malloc0(len);

    g_assert_cmpint(blk_pdiscard(m->blk, offset, len), ==, 0);
    ref_pwrite(m, buf, len, offset);
}

/*
 * The common write workload: aligned, unaligned, cross-cluster, into
 * the last cluster, write-zeroes (partial and whole, with and without
 * unmap), discard, and rewrites of what was just changed.
 */
static void run_workload(Mirror *m, int64_t size, bool discard)
{
    int64_t cs = m->cluster_size;

    m_write(m, 0, cs, 1);
    m_write(m, cs - 100, 300, 2);
    m_write(m, 3 * cs + 1000, 17, 3);
    m_write(m, 5 * cs + 512, 3 * cs + 777, 4);
    m_write(m, size - 1000, 1000, 5);
    m_zero(m, 10 * cs + 50, 2 * cs + 100, 0);
    m_zero(m, 13 * cs, 2 * cs, BDRV_REQ_MAY_UNMAP);
    m_write(m, 13 * cs + 10, 20, 6);
    if (discard) {
        m_discard(m, 16 * cs, 2 * cs);
        m_write(m, 17 * cs + 4000, 100, 7);
    }
    m_write(m, 100, 50, 8);
    m_write(m, 6 * cs, 1, 9);
}

/* A raw file of random data converted to qcow2 with @qemu_img_opts. */
static void make_converted(const char *raw, const char *img,
                           int64_t size, const char *qemu_img_opts)
{
    make_raw_file(raw, size, 42);
    g_assert_cmpint(run_cmd(NULL, "qemu-img convert -f raw -O qcow2 %s "
                            "'%s' '%s'", qemu_img_opts, raw, img), ==, 0);
}

static void test_converted(const char *opts, bool check_compressed)
{
    g_autofree char *raw = test_path("conv.raw");
    g_autofree char *img = test_path("conv.qcow2");
    BlockBackend *blk;
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    make_converted(raw, img, 4 * MB, opts);

    /* Read back everything qemu-img wrote, then unaligned pieces. */
    blk = open_img(img, "qcow2", 0);
    assert_blk_matches_file(blk, raw);
    blk_unref(blk);

    mirror_open(&m, img, raw, 65536);
    run_workload(&m, 4 * MB, true);
    mirror_close(&m);
    assert_qemu_img_ok(img, raw);
    if (check_compressed) {
        /* The rewrite freed compressed clusters without leaks. */
        g_assert_cmpint(run_cmd(NULL, "qemu-img check '%s' | grep -q "
                                "compressed", img), ==, 0);
    }
}

static void test_v2(void)
{
    test_converted("-o compat=0.10", false);
}

static void test_v3(void)
{
    test_converted("-o compat=1.1", false);
}

/* O_DIRECT: metadata updates of a few bytes go through bounce buffers. */
static void test_direct(void)
{
    test_cache_direct = "on";
    test_converted("-o compat=1.1", false);
    test_cache_direct = "off";
}

static void test_compressed(void)
{
    test_converted("-c -o compat=1.1", true);
}

/* Image with zero-flag clusters written by qemu-io. */
static void test_zero_clusters(void)
{
    g_autofree char *img = test_path("zero.qcow2");
    g_autofree char *ref = test_path("zero.raw");
    BlockBackend *blk;
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o compat=1.1"
                            " '%s' 4M && qemu-io -c 'write -P 0xaa 0 4M' "
                            "-c 'write -z 1M 1M' -c 'write -z -u 3M 64k' "
                            "'%s' >/dev/null", img, img), ==, 0);
    g_assert_cmpint(run_cmd(NULL, "qemu-img convert -O raw '%s' '%s'",
                            img, ref), ==, 0);

    blk = open_img(img, "qcow2", 0);
    assert_blk_matches_file(blk, ref);
    blk_unref(blk);

    /* Partial writes into zero clusters must keep the rest zero. */
    mirror_open(&m, img, ref, 65536);
    m_write(&m, 1 * MB + 300, 5000, 11);
    m_write(&m, 3 * MB + 100, 10, 12);
    run_workload(&m, 4 * MB, true);
    mirror_close(&m);
    assert_qemu_img_ok(img, ref);
}

/* base.raw <- mid.qcow2 (v2) <- top.qcow2 (v3, larger than mid). */
static void make_chain(const char *base, const char *mid, const char *top)
{
    make_raw_file(base, 4 * MB, 7);
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o "
                            "compat=0.10 -b '%s' -F raw '%s' && qemu-io "
                            "-c 'write -P 0x11 64k 128k' -c 'write -P 0x22"
                            " 1M 64k' '%s' >/dev/null", base, mid, mid),
                    ==, 0);
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o "
                            "compat=1.1 -b '%s' -F qcow2 '%s' 6M && "
                            "qemu-io -c 'write -P 0x33 100k 10k' -c "
                            "'write -z 2M 64k' '%s' >/dev/null",
                            mid, top, top), ==, 0);
}

static void test_backing_chain(void)
{
    g_autofree char *base = test_path("base.raw");
    g_autofree char *mid = test_path("mid.qcow2");
    g_autofree char *top = test_path("top.qcow2");
    g_autofree char *ref = test_path("chain.raw");
    g_autofree char *base_sum = NULL;
    g_autofree char *base_sum2 = NULL;
    BlockBackend *blk;
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    make_chain(base, mid, top);
    g_assert_cmpint(run_cmd(NULL, "qemu-img convert -O raw '%s' '%s'",
                            top, ref), ==, 0);
    g_assert_cmpint(run_cmd(&base_sum, "md5sum < '%s' >&2", base), ==, 0);

    /* The chain reads as qemu-img reads it; backing format from header. */
    blk = open_img(top, "qcow2", 0);
    g_assert_cmpstr(bdrv_get_backing_filename(blk_bs(blk)), ==, mid);
    g_assert_nonnull(bdrv_backing_bs(bdrv_backing_bs(blk_bs(blk))));
    assert_blk_matches_file(blk, ref);
    blk_unref(blk);

    /* Writes copy the backing data of partial clusters into top. */
    mirror_open(&m, top, ref, 65536);
    m_write(&m, 64 * 1024 + 10, 100, 21);
    m_write(&m, 1 * MB + 65000, 1000, 22);
    m_write(&m, 4 * MB - 50, 100, 23);   /* across the end of mid */
    run_workload(&m, 6 * MB, true);
    mirror_close(&m);
    assert_qemu_img_ok(top, ref);

    /* The backing files were not touched. */
    g_assert_cmpint(run_cmd(NULL, "qemu-img check -q '%s'", mid), ==, 0);
    g_assert_cmpint(run_cmd(&base_sum2, "md5sum < '%s' >&2", base), ==, 0);
    g_assert_cmpstr(base_sum, ==, base_sum2);
}

/* v2 cannot say "zero": discard over a backing file changes nothing. */
static void test_v2_backing_discard(void)
{
    g_autofree char *base = test_path("v2b.raw");
    g_autofree char *img = test_path("v2b.qcow2");
    g_autofree char *ref = test_path("v2b.ref");
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    make_raw_file(base, 2 * MB, 13);
    make_raw_file(ref, 2 * MB, 13);
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o "
                            "compat=0.10 -b '%s' -F raw '%s'", base, img),
                    ==, 0);
    mirror_open(&m, img, ref, 65536);
    m_write(&m, 65536, 65536, 14);
    g_assert_cmpint(blk_pdiscard(m.blk, 0, 2 * MB), ==, 0);
    m_zero(&m, 3 * 65536, 2 * 65536, BDRV_REQ_MAY_UNMAP);
    mirror_close(&m);
    assert_qemu_img_ok(img, ref);
}

static void test_missing_backing(void)
{
    g_autofree char *base = test_path("gone.raw");
    g_autofree char *img = test_path("orphan.qcow2");
    g_autofree char *want = NULL;
    GHashTable *opts = bdrv_opts_new();
    Error *err = NULL;

    if (!have_qemu_tools()) {
        return;
    }
    make_raw_file(base, 1 * MB, 1);
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -b '%s' "
                            "-F raw '%s' && rm '%s'", base, img, base),
                    ==, 0);
    bdrv_opts_set(opts, "driver", "qcow2");
    g_assert_null(blk_new_open(img, opts, 0, &err));
    want = g_strdup_printf("Could not open backing file: Could not open "
                           "'%s': No such file or directory", base);
    g_assert_cmpstr(error_get_pretty(err), ==, want);
    error_free(err);
}

/* Backing file named relative to the image's directory. */
static void test_relative_backing(void)
{
    g_autofree char *base = test_path("relbase.raw");
    g_autofree char *img = test_path("rel.qcow2");
    BlockBackend *blk;

    if (!have_qemu_tools()) {
        return;
    }
    make_raw_file(base, 1 * MB, 3);
    g_assert_cmpint(run_cmd(NULL, "cd '%s' && qemu-img create -q -f qcow2 "
                            "-b relbase.raw -F raw rel.qcow2", test_dir()),
                    ==, 0);
    blk = open_img(img, "qcow2", 0);
    assert_blk_matches_file(blk, base);
    blk_unref(blk);
}

static uint32_t header_u32(const char *path, off_t off)
{
    uint32_t v = 0;
    int fd = open(path, O_RDONLY);

    g_assert_cmpint(pread(fd, &v, 4, off), ==, 4);
    close(fd);
    return GUINT32_FROM_BE(v);
}

/*
 * 512-byte clusters: one refcount block covers 128 KiB and the first
 * refcount table 8 MiB, so 12 MiB of writes allocate many L2 tables and
 * refcount blocks and must grow the refcount table.
 */
static void test_refcount_growth(void)
{
    g_autofree char *img = test_path("grow.qcow2");
    g_autofree char *ref = test_path("grow.raw");
    uint32_t rt_clusters;
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o "
                            "cluster_size=512 '%s' 16M && truncate -s 16M "
                            "'%s'", img, ref), ==, 0);
    rt_clusters = header_u32(img, 56);

    mirror_open(&m, img, ref, 512);
    for (int64_t off = 0; off < 12 * MB; off += 64 * 1024) {
        m_write(&m, off, 64 * 1024, off / 4096);
    }
    run_workload(&m, 16 * MB, true);
    mirror_close(&m);

    g_assert_cmpint(header_u32(img, 56), >, rt_clusters);
    assert_qemu_img_ok(img, ref);
}

static void test_refcount_width(const char *bits)
{
    g_autofree char *img = test_path("width.qcow2");
    g_autofree char *ref = test_path("width.raw");
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o "
                            "refcount_bits=%s,cluster_size=4096 '%s' 2M && "
                            "truncate -s 2M '%s'", bits, img, ref), ==, 0);
    mirror_open(&m, img, ref, 4096);
    run_workload(&m, 2 * MB, true);
    mirror_close(&m);
    assert_qemu_img_ok(img, ref);
}

static void test_refcount_1bit(void)
{
    test_refcount_width("1");
}

static void test_refcount_64bit(void)
{
    test_refcount_width("64");
}

/* Patch @len bytes at @off of a fresh image, then expect open to fail. */
static void expect_corrupt(const char *name, off_t off, const void *val,
                           size_t len, const char *truncate_to,
                           const char *msg)
{
    g_autofree char *img = test_path(name);
    GHashTable *opts = bdrv_opts_new();
    Error *err = NULL;
    BlockBackend *blk;
    int fd;

    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 1M && "
                            "qemu-io -c 'write 0 64k' '%s' >/dev/null",
                            img, img), ==, 0);
    fd = open(img, O_RDWR);
    if (val) {
        g_assert_cmpint(pwrite(fd, val, len, off), ==, len);
    }
    if (truncate_to) {
        g_assert_cmpint(ftruncate(fd, g_ascii_strtoll(truncate_to, NULL,
                                                      0)), ==, 0);
    }
    close(fd);

    bdrv_opts_set(opts, "driver", "qcow2");
    blk = blk_new_open(img, opts, BDRV_O_RDWR, &err);
    g_assert_null(blk);
    g_assert_nonnull(err);
    g_test_message("%s", error_get_pretty(err));
    g_assert_nonnull(strstr(error_get_pretty(err), img));
    g_assert_nonnull(strstr(error_get_pretty(err), msg));
    error_free(err);
}

static void test_corrupt(void)
{
    uint8_t l1_far[8] = { 0, 0, 0, 0, 0x40, 0, 0, 0 };  /* 1 GiB */
    uint8_t l1_odd[8] = { 0, 0, 0, 0, 0, 0x03, 0x02, 0 };
    uint8_t bits[4] = { 0, 0, 0, 30 };
    uint8_t crypt[4] = { 0, 0, 0, 1 };
    uint8_t incompat[8] = { 0, 0, 0, 0, 0, 0, 0, 0x20 };
    uint8_t version[4] = { 0, 0, 0, 4 };
    uint8_t l1_entry[8] = { 0x80, 0, 0, 0x10, 0, 0, 0, 0 };

    if (!have_qemu_tools()) {
        return;
    }
    expect_corrupt("c1.qcow2", 40, l1_far, 8, NULL, "L1 table");
    expect_corrupt("c2.qcow2", 40, l1_odd, 8, NULL, "not aligned");
    expect_corrupt("c3.qcow2", 20, bits, 4, NULL,
                   "Unsupported cluster size: 2^30");
    expect_corrupt("c4.qcow2", 32, crypt, 4, NULL, "encrypted");
    expect_corrupt("c5.qcow2", 72, incompat, 8, NULL,
                   "incompatible feature bits 0x20");
    expect_corrupt("c6.qcow2", 4, version, 4, NULL,
                   "Unsupported qcow2 version 4");
    expect_corrupt("c7.qcow2", 0, NULL, 0, "200", "beyond the end");
    expect_corrupt("c8.qcow2", 0, NULL, 0, "40", "too short");
    expect_corrupt("c9.qcow2", 0x30000, l1_entry, 8, NULL,
                   "L1 table entry 0 (offset 0x1000000000)");
}

/* Open @img read-write (must fail with @msg) and read-only (works). */
static void expect_rw_refused(const char *img, const char *msg)
{
    GHashTable *opts = bdrv_opts_new();
    Error *err = NULL;
    BlockBackend *blk;
    uint8_t buf[512];

    bdrv_opts_set(opts, "driver", "qcow2");
    g_assert_null(blk_new_open(img, opts, BDRV_O_RDWR, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), msg));
    error_free(err);

    blk = open_img(img, "qcow2", 0);
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmphex(buf[0], ==, 0xcd);   /* qemu-io's default pattern */
    blk_unref(blk);
}

/* Lazy refcounts left dirty by a killed qemu-io; internal snapshots. */
static void test_dirty_and_snapshots(void)
{
    g_autofree char *dirty = test_path("dirty.qcow2");
    g_autofree char *snap = test_path("snap.qcow2");

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o "
                            "lazy_refcounts=on '%s' 1M; qemu-io -c 'write "
                            "0 64k' -c 'sigraise 9' '%s' >/dev/null; true",
                            dirty, dirty), ==, 0);
    expect_rw_refused(dirty, "dirty bit");

    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 1M && "
                            "qemu-io -c 'write 0 64k' '%s' >/dev/null && "
                            "qemu-img snapshot -c s1 '%s'", snap, snap,
                            snap), ==, 0);
    expect_rw_refused(snap, "internal snapshots");
}

/* An L2 entry past the end of the file: requests to it fail, no more. */
static void test_bad_data_cluster(void)
{
    g_autofree char *img = test_path("badl2.qcow2");
    uint8_t be[8], buf[512];
    uint64_t l1, l2;
    BlockBackend *blk;
    int fd;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 1M && "
                            "qemu-io -c 'write 0 128k' '%s' >/dev/null",
                            img, img), ==, 0);

    /* Follow L1[0] to the L2 table and point entry 0 at 256 MiB. */
    fd = open(img, O_RDWR);
    g_assert_cmpint(pread(fd, be, 8, 40), ==, 8);
    l1 = GUINT64_FROM_BE(*(uint64_t *)be);
    g_assert_cmpint(pread(fd, be, 8, l1), ==, 8);
    l2 = GUINT64_FROM_BE(*(uint64_t *)be) & 0x00fffffffffffe00ULL;
    *(uint64_t *)be = GUINT64_TO_BE(0x8000000010000000ULL);
    g_assert_cmpint(pwrite(fd, be, 8, l2), ==, 8);
    close(fd);

    blk = open_img(img, "qcow2", BDRV_O_RDWR);
    g_assert_cmpint(blk_pread(blk, 0, sizeof(buf), buf, 0), ==, -EIO);
    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(buf), buf, 0), ==, -EIO);
    g_assert_cmpint(blk_pread(blk, 65536, sizeof(buf), buf, 0), ==, 0);
    g_assert_cmphex(buf[0], ==, 0xcd);
    blk_unref(blk);
}

/* Probing: qcow2 recognised without format=, backing format probed. */
static void test_probe(void)
{
    g_autofree char *img = test_path("probe.qcow2");
    BlockBackend *blk;
    Error *err = NULL;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 1M",
                            img), ==, 0);
    blk = blk_new_open(img, NULL, 0, &err);
    g_assert_null(err);
    g_assert_cmpstr(bdrv_get_format_name(blk_bs(blk)), ==, "qcow2");
    g_assert_cmpint(blk_getlength(blk), ==, 1 * MB);
    blk_unref(blk);
}

/* Many allocating writes in flight at once on worker threads. */
typedef struct AioCount {
    int done;
    int errors;
} AioCount;

static void aio_cb(void *opaque, int ret)
{
    AioCount *c = opaque;

    c->done++;
    c->errors += ret < 0;
}

static void test_parallel_writes(void)
{
    g_autofree char *img = test_path("par.qcow2");
    g_autofree char *ref = test_path("par.raw");
    enum { N = 96, LEN = 6000, STRIDE = 20000 };
    QEMUIOVector qiov[N];
    uint8_t *bufs[N];
    AioCount count = { 0 };
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 4M && "
                            "truncate -s 4M '%s'", img, ref), ==, 0);
    mirror_open(&m, img, ref, 65536);

    /* Disjoint ranges, several per cluster, so allocations race. */
    for (int i = 0; i < N; i++) {
        bufs[i] = g_malloc(LEN);
        fill_pattern(bufs[i], LEN, 100 + i);
        qemu_iovec_init_buf(&qiov[i], bufs[i], LEN);
        blk_aio_pwritev(m.blk, (int64_t)i * STRIDE, &qiov[i], 0, aio_cb,
                        &count);
        ref_pwrite(&m, bufs[i], LEN, (int64_t)i * STRIDE);
    }
    blk_drain(m.blk);
    g_assert_cmpint(count.done, ==, N);
    g_assert_cmpint(count.errors, ==, 0);
    for (int i = 0; i < N; i++) {
        qemu_iovec_destroy(&qiov[i]);
        g_free(bufs[i]);
    }
    mirror_close(&m);
    assert_qemu_img_ok(img, ref);
}

/*
 * Discards, in-place writes and allocating writes to different clusters
 * in flight together, so freed clusters are reused while other I/O runs.
 */
static void test_parallel_mixed(void)
{
    g_autofree char *img = test_path("mix.qcow2");
    g_autofree char *ref = test_path("mix.raw");
    enum { CS = 65536, N = 64, LEN = 3000 };
    static uint8_t bufs[2 * N][LEN];
    QEMUIOVector qiov[2 * N];
    g_autofree uint8_t *zeros = g_malloc0(CS);
    AioCount count = { 0 };
    int ops = 0;
    Mirror m;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 16M && "
                            "truncate -s 16M '%s'", img, ref), ==, 0);
    mirror_open(&m, img, ref, CS);
    for (int i = 0; i < N; i++) {
        m_write(&m, (int64_t)i * CS, CS, 500 + i);
    }

    for (int i = 0; i < N; i++) {
        int64_t own = (int64_t)i * CS;
        int64_t fresh = (int64_t)(N + i) * CS + 777;

        if (i % 2 == 0) {
            blk_aio_pdiscard(m.blk, own, CS, aio_cb, &count);
            ref_pwrite(&m, zeros, CS, own);
        } else {
            fill_pattern(bufs[i], LEN, 600 + i);
            qemu_iovec_init_buf(&qiov[i], bufs[i], LEN);
            blk_aio_pwritev(m.blk, own + 100, &qiov[i], 0, aio_cb, &count);
            ref_pwrite(&m, bufs[i], LEN, own + 100);
        }
        fill_pattern(bufs[N + i], LEN, 700 + i);
        qemu_iovec_init_buf(&qiov[N + i], bufs[N + i], LEN);
        blk_aio_pwritev(m.blk, fresh, &qiov[N + i], 0, aio_cb, &count);
        ref_pwrite(&m, bufs[N + i], LEN, fresh);
        ops += 2;
    }
    blk_drain(m.blk);
    g_assert_cmpint(count.done, ==, ops);
    g_assert_cmpint(count.errors, ==, 0);
    for (int i = 0; i < 2 * N; i++) {
        if (i >= N || i % 2) {
            qemu_iovec_destroy(&qiov[i]);
        }
    }
    mirror_close(&m);
    assert_qemu_img_ok(img, ref);
}

/*
 * Killed mid-write: a child writes numbered records into new clusters
 * and flushes every few writes, telling the parent the last flushed
 * number; the parent kills it with SIGKILL.  Every flushed record must
 * be in the image and qemu-img check may find leaks but no corruption.
 */
enum { KILL_SLOTS = 1024, KILL_REC = 4096, KILL_FLUSH_EVERY = 3 };

static int64_t kill_slot_offset(uint32_t seq)
{
    /* A permutation of the slots, so allocation is not sequential. */
    return (int64_t)((seq * 389u) % KILL_SLOTS) * 2 * KILL_REC + 512;
}

static void QEMU_NORETURN kill_child(const char *img, int fd)
{
    GHashTable *opts = bdrv_opts_new();
    uint32_t rec[KILL_REC / 4];
    BlockBackend *blk;

    bdrv_opts_set(opts, "driver", "qcow2");
    blk = blk_new_open(img, opts, BDRV_O_RDWR, NULL);
    if (!blk) {
        _exit(1);
    }
    for (uint32_t seq = 0; seq < KILL_SLOTS; seq++) {
        for (size_t i = 0; i < G_N_ELEMENTS(rec); i++) {
            rec[i] = seq ^ (uint32_t)i;
        }
        if (blk_pwrite(blk, kill_slot_offset(seq), KILL_REC, rec, 0) < 0) {
            _exit(2);
        }
        if (seq % KILL_FLUSH_EVERY == KILL_FLUSH_EVERY - 1) {
            if (blk_flush(blk) < 0 || write(fd, &seq, 4) != 4) {
                _exit(3);
            }
        }
    }
    for (;;) {
        pause();    /* wait for the signal */
    }
}

static void test_killed_writer(void)
{
    g_autofree char *img = test_path("kill.qcow2");
    uint32_t rec[KILL_REC / 4], seq, last = 0;
    int fds[2], status, reports = 0;
    BlockBackend *blk;
    pid_t pid;

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 -o "
                            "cluster_size=4096 '%s' 16M", img), ==, 0);
    g_assert_cmpint(pipe(fds), ==, 0);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        kill_child(img, fds[1]);
    }
    close(fds[1]);

    /* Let it get some way, then kill it between two syscalls. */
    while (reports < 60 && read(fds[0], &seq, 4) == 4) {
        last = seq;
        reports++;
    }
    kill(pid, SIGKILL);
    while (read(fds[0], &seq, 4) == 4) {
        last = seq;
        reports++;
    }
    close(fds[0]);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_cmpint(reports, >, 0);
    g_test_message("killed after record %u (%d flushes)", last, reports);

    /* Exit 0 is clean, 3 is leaked clusters only. */
    status = run_cmd(NULL, "qemu-img check -q '%s'", img);
    g_assert_true(status == 0 || status == 3);
    blk = open_img(img, "qcow2", 0);
    for (uint32_t s = 0; s <= last; s++) {
        g_assert_cmpint(blk_pread(blk, kill_slot_offset(s), KILL_REC, rec,
                                  0), ==, 0);
        for (size_t i = 0; i < G_N_ELEMENTS(rec); i++) {
            g_assert_cmphex(rec[i], ==, s ^ (uint32_t)i);
        }
    }
    blk_unref(blk);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/block/qcow2/v2", test_v2);
    g_test_add_func("/block/qcow2/v3", test_v3);
    g_test_add_func("/block/qcow2/direct", test_direct);
    g_test_add_func("/block/qcow2/compressed", test_compressed);
    g_test_add_func("/block/qcow2/zero-clusters", test_zero_clusters);
    g_test_add_func("/block/qcow2/backing-chain", test_backing_chain);
    g_test_add_func("/block/qcow2/relative-backing", test_relative_backing);
    g_test_add_func("/block/qcow2/v2-backing-discard",
                    test_v2_backing_discard);
    g_test_add_func("/block/qcow2/missing-backing", test_missing_backing);
    g_test_add_func("/block/qcow2/refcount-growth", test_refcount_growth);
    g_test_add_func("/block/qcow2/refcount-1bit", test_refcount_1bit);
    g_test_add_func("/block/qcow2/refcount-64bit", test_refcount_64bit);
    g_test_add_func("/block/qcow2/corrupt", test_corrupt);
    g_test_add_func("/block/qcow2/probe", test_probe);
    g_test_add_func("/block/qcow2/bad-data-cluster", test_bad_data_cluster);
    g_test_add_func("/block/qcow2/dirty-and-snapshots",
                    test_dirty_and_snapshots);
    g_test_add_func("/block/qcow2/parallel-writes", test_parallel_writes);
    g_test_add_func("/block/qcow2/parallel-mixed", test_parallel_mixed);
    g_test_add_func("/block/qcow2/killed-writer", test_killed_writer);
    return g_test_run();
}
