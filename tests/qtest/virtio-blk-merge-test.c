/*
 * virtio-blk-merge-test.c: batches of requests made available with one
 * notify, as the device merges them.
 *
 * virtio-blk sends contiguous reads or writes taken from the ring in a
 * row down as one block request.  These tests put whole batches in the
 * available ring before the notify and check, per request, the status
 * and the data (in guest RAM for reads, in the raw image for writes):
 * runs that merge, runs cut by a gap, by a change of direction, by a
 * flush and by the size limit, and a bad request inside a run.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "libqos/virtio-mmio.h"

/* virtio-blk (virtio 1.2, 5.2). */
#define VIRTIO_BLK_F_FLUSH      9
#define VIRTIO_BLK_T_IN         0
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_T_FLUSH      4
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_S_IOERR      1
#define VIRTIO_BLK_HDR_SIZE     16
#define SECTOR_SIZE             512

#define DISK_BYTES              (4 * 1024 * 1024)
#define RAM_BASE                0x80000000ULL
#define RAM_SIZE                (256 * 1024 * 1024)
#define DESC_PER_REQ            3
#define MAX_REQS                80          /* 3 descriptors each, of 256 */
#define STATUS_PENDING          0xff
#define POLL_TIMEOUT_US         (10 * 1000 * 1000)

typedef struct Req {
    uint32_t type;
    uint64_t sector;
    uint32_t len;               /* data bytes (0 for a flush) */
    uint8_t want_status;
} Req;

typedef struct Fixture {
    QTestState *qts;
    QVirtioDevice dev;
    QVirtQueue *vq;
    QGuestAllocator alloc;
    char *dir;
    char *img;
    uint64_t ctl;               /* MAX_REQS headers, then status bytes */
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    uint64_t features;
    int fd;

    f->dir = g_dir_make_tmp("blk-merge-XXXXXX", NULL);
    f->img = g_build_filename(f->dir, "disk.raw", NULL);
    fd = open(f->img, O_RDWR | O_CREAT, 0644);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, DISK_BYTES), ==, 0);
    close(fd);

    f->qts = qtest_initf("-M virt -nodefaults -bios none -m 256M "
                         "-drive file=%s,format=raw,if=none,id=hd0 "
                         "-device virtio-blk-device,drive=hd0", f->img);
    guest_alloc_init(&f->alloc, RAM_BASE + 0x100000, RAM_BASE + RAM_SIZE);
    g_assert(qvirtio_mmio_find(f->qts, VIRTIO_ID_BLOCK, &f->dev));
    qvirtio_reset(&f->dev);
    qvirtio_set_acknowledge(&f->dev);
    qvirtio_set_driver(&f->dev);
    features = qvirtio_get_features(&f->dev) &
               (1ull << VIRTIO_BLK_F_FLUSH |
                (f->dev.version == 2 ? 1ull << VIRTIO_F_VERSION_1 : 0));
    g_assert(qvirtio_set_features(&f->dev, features));
    f->vq = qvirtqueue_setup(&f->dev, &f->alloc, 0);
    g_assert_cmpuint(f->vq->size, >=, MAX_REQS * DESC_PER_REQ);
    qvirtio_set_driver_ok(&f->dev);
    f->ctl = guest_alloc(&f->alloc, MAX_REQS * (VIRTIO_BLK_HDR_SIZE + 1));
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    qtest_quit(f->qts);
    g_free(f->vq);
    unlink(f->img);
    rmdir(f->dir);
    g_free(f->img);
    g_free(f->dir);
}

static void put_desc(uint8_t *p, uint64_t addr, uint32_t len,
                     uint16_t flags, uint16_t next)
{
    addr = GUINT64_TO_LE(addr);
    len = GUINT32_TO_LE(len);
    flags = GUINT16_TO_LE(flags);
    next = GUINT16_TO_LE(next);
    memcpy(p, &addr, 8);
    memcpy(p + 8, &len, 4);
    memcpy(p + 12, &flags, 2);
    memcpy(p + 14, &next, 2);
}

/* The byte at @off of the disk as written by the tests: never zero. */
static uint8_t pattern_byte(uint64_t off, uint8_t seed)
{
    return (off / SECTOR_SIZE * 31 + off % 251 + seed) % 255 + 1;
}

static void fill_pattern(uint8_t *buf, uint64_t off, size_t len,
                         uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = pattern_byte(off + i, seed);
    }
}

/*
 * Put all of @reqs in the ring, notify once, wait for all and check
 * each status.  Writes carry the pattern of @seed; returns the guest
 * address of request i's data in @data.
 */
static void run_batch(Fixture *f, const Req *reqs, int n, uint8_t seed,
                      uint64_t *data)
{
    g_autofree uint8_t *desc = g_malloc0(n * DESC_PER_REQ * 16);
    uint8_t hdr[MAX_REQS * (VIRTIO_BLK_HDR_SIZE + 1)] = { 0 };
    uint64_t status = f->ctl + MAX_REQS * VIRTIO_BLK_HDR_SIZE;
    uint16_t ring[MAX_REQS];
    uint16_t used_want = f->vq->avail_idx + n;
    gint64 deadline = g_get_monotonic_time() + POLL_TIMEOUT_US;

    g_assert_cmpint(n, <=, MAX_REQS);
    for (int i = 0; i < n; i++) {
        const Req *r = &reqs[i];
        uint16_t head = i * DESC_PER_REQ;
        uint32_t type = GUINT32_TO_LE(r->type);
        uint64_t sector = GUINT64_TO_LE(r->sector);
        bool is_read = r->type == VIRTIO_BLK_T_IN;

        memcpy(hdr + i * VIRTIO_BLK_HDR_SIZE, &type, 4);
        memcpy(hdr + i * VIRTIO_BLK_HDR_SIZE + 8, &sector, 8);
        data[i] = 0;
        if (r->len) {
            g_autofree uint8_t *buf = g_malloc(r->len);

            data[i] = guest_alloc(&f->alloc, r->len);
            fill_pattern(buf, r->sector * SECTOR_SIZE, r->len, seed);
            qtest_bufwrite(f->qts, data[i], buf, r->len);
        }
        put_desc(desc + head * 16, f->ctl + i * VIRTIO_BLK_HDR_SIZE,
                 VIRTIO_BLK_HDR_SIZE, VRING_DESC_F_NEXT,
                 head + (r->len ? 1 : 2));
        put_desc(desc + (head + 1) * 16, data[i], r->len,
                 VRING_DESC_F_NEXT | (is_read ? VRING_DESC_F_WRITE : 0),
                 head + 2);
        put_desc(desc + (head + 2) * 16, status + i, 1, VRING_DESC_F_WRITE,
                 0);
        ring[i] = head;
    }
    memset(hdr + MAX_REQS * VIRTIO_BLK_HDR_SIZE, STATUS_PENDING, MAX_REQS);
    qtest_bufwrite(f->qts, f->ctl, hdr, sizeof(hdr));
    qtest_bufwrite(f->qts, f->vq->desc, desc, n * DESC_PER_REQ * 16);

    /* All entries first, then idx, then one notify. */
    for (int i = 0; i < n; i++) {
        qtest_writew(f->qts, f->vq->avail + 4 +
                     2 * ((f->vq->avail_idx + i) % f->vq->size), ring[i]);
    }
    f->vq->avail_idx += n;
    qtest_writew(f->qts, f->vq->avail + 2, f->vq->avail_idx);
    qtest_writel(f->qts, f->dev.base + VIRTIO_MMIO_QUEUE_NOTIFY, 0);

    while (qtest_readw(f->qts, f->vq->used + 2) != used_want) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
    }
    f->vq->last_used_idx = used_want;
    for (int i = 0; i < n; i++) {
        g_assert_cmpuint(qtest_readb(f->qts, status + i), ==,
                         reqs[i].want_status);
    }
}

/* Read request i's data back from guest RAM and compare. */
static void check_read(Fixture *f, const Req *r, uint64_t data,
                       uint8_t seed)
{
    g_autofree uint8_t *got = g_malloc(r->len);
    g_autofree uint8_t *want = g_malloc(r->len);

    qtest_bufread(f->qts, data, got, r->len);
    fill_pattern(want, r->sector * SECTOR_SIZE, r->len, seed);
    g_assert_cmpmem(got, r->len, want, r->len);
}

/* The image holds @seed's pattern at [@off, @off + @len). */
static void check_image(Fixture *f, uint64_t off, size_t len, uint8_t seed)
{
    g_autofree uint8_t *got = g_malloc(len);
    g_autofree uint8_t *want = g_malloc(len);
    int fd = open(f->img, O_RDONLY);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, got, len, off), ==, len);
    close(fd);
    fill_pattern(want, off, len, seed);
    g_assert_cmpmem(got, len, want, len);
}

/* 32 contiguous 4 KiB writes, then 32 contiguous reads, one batch each. */
static void test_contiguous(Fixture *f, gconstpointer data)
{
    Req w[32], r[32];
    uint64_t wdata[32], rdata[32];

    for (int i = 0; i < 32; i++) {
        w[i] = (Req){ VIRTIO_BLK_T_OUT, 64 + 8 * i, 4096, VIRTIO_BLK_S_OK };
        r[i] = (Req){ VIRTIO_BLK_T_IN, 64 + 8 * i, 4096, VIRTIO_BLK_S_OK };
    }
    run_batch(f, w, 32, 1, wdata);
    check_image(f, 64 * SECTOR_SIZE, 32 * 4096, 1);
    run_batch(f, r, 32, 0, rdata);
    for (int i = 0; i < 32; i++) {
        check_read(f, &r[i], rdata[i], 1);
    }
}

/*
 * Runs cut by a gap, a read between writes, a flush, odd sizes; a read
 * of data written earlier in the same batch is not ordered, so reads
 * look only at data from the batch before.
 */
static void test_mixed(Fixture *f, gconstpointer data)
{
    const Req first[] = {
        { VIRTIO_BLK_T_OUT, 0, 8192, VIRTIO_BLK_S_OK },
    };
    const Req batch[] = {
        { VIRTIO_BLK_T_OUT, 100, 512, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_OUT, 101, 1536, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_IN, 0, 4096, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_IN, 8, 4096, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_OUT, 104, 512, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_FLUSH, 0, 0, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_OUT, 105, 2048, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_OUT, 200, 4096, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_OUT, 208, 4096, VIRTIO_BLK_S_OK },
    };
    uint64_t d[G_N_ELEMENTS(batch)];

    run_batch(f, first, 1, 7, d);
    run_batch(f, batch, G_N_ELEMENTS(batch), 7, d);
    check_read(f, &batch[2], d[2], 7);
    check_read(f, &batch[3], d[3], 7);
    check_image(f, 0, 8192, 7);
    check_image(f, 100 * SECTOR_SIZE, 9 * SECTOR_SIZE, 7);
    check_image(f, 200 * SECTOR_SIZE, 16 * SECTOR_SIZE, 7);
}

/* A request past the end fails alone; its neighbours still succeed. */
static void test_bad_in_run(Fixture *f, gconstpointer data)
{
    uint64_t last = DISK_BYTES / SECTOR_SIZE - 8;
    const Req batch[] = {
        { VIRTIO_BLK_T_OUT, last - 16, 4096, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_OUT, last - 8, 4096, VIRTIO_BLK_S_OK },
        { VIRTIO_BLK_T_OUT, last, 8192, VIRTIO_BLK_S_IOERR },
        { VIRTIO_BLK_T_OUT, last, 4096, VIRTIO_BLK_S_OK },
    };
    uint64_t d[G_N_ELEMENTS(batch)];

    run_batch(f, batch, G_N_ELEMENTS(batch), 3, d);
    check_image(f, (last - 16) * SECTOR_SIZE, 24 * SECTOR_SIZE, 3);
}

/* 40 contiguous 32 KiB writes (1.25 MiB): more than one merged run. */
static void test_large_run(Fixture *f, gconstpointer data)
{
    Req w[40], r[40];
    uint64_t wdata[40], rdata[40];

    for (int i = 0; i < 40; i++) {
        w[i] = (Req){ VIRTIO_BLK_T_OUT, 64 * i, 32768, VIRTIO_BLK_S_OK };
        r[i] = (Req){ VIRTIO_BLK_T_IN, 64 * i, 32768, VIRTIO_BLK_S_OK };
    }
    run_batch(f, w, 40, 5, wdata);
    check_image(f, 0, 40 * 32768, 5);
    run_batch(f, r, 40, 0, rdata);
    for (int i = 0; i < 40; i++) {
        check_read(f, &r[i], rdata[i], 5);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add("virtio-blk/merge/contiguous", Fixture, NULL, fixture_setup,
              test_contiguous, fixture_teardown);
    qtest_add("virtio-blk/merge/mixed", Fixture, NULL, fixture_setup,
              test_mixed, fixture_teardown);
    qtest_add("virtio-blk/merge/bad-request-in-run", Fixture, NULL,
              fixture_setup, test_bad_in_run, fixture_teardown);
    qtest_add("virtio-blk/merge/large-run", Fixture, NULL, fixture_setup,
              test_large_run, fixture_teardown);
    return g_test_run();
}
