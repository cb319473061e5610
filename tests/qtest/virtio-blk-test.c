/*
 * virtio-blk-test.c: virtio-blk behind virtio-mmio, driven by libqos,
 * against a raw image made at test time: configuration space, read,
 * write (checked in the image file on the host), flush, get-id,
 * indirect descriptors and out-of-range requests, on both transports.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "libqos/virtio-mmio.h"
#include "riscv-virt.h"

#define ALLOC_START (VIRT_DRAM_BASE + 16 * 1024 * 1024)
#define ALLOC_END   (VIRT_DRAM_BASE + 64 * 1024 * 1024)

#define SECTOR_SIZE         512
#define DISK_SECTORS        2048            /* 1 MiB */
#define DISK_SERIAL         "machina-disk-7"

/* virtio 1.2, 5.2 */
#define VIRTIO_BLK_F_FLUSH  9
#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTIO_BLK_ID_BYTES 20
#define VIRTIO_BLK_CFG_CAPACITY 0
#define VIRTIO_BLK_CFG_BLK_SIZE 20

typedef struct BlkTest {
    QTestState *qts;
    QVirtioDevice dev;
    QGuestAllocator alloc;
    QVirtQueue *vq;
    char *dir;
    char *image;
} BlkTest;

/* Byte @i of sector @s in the initial image. */
static uint8_t pattern(uint64_t s, size_t i)
{
    return (uint8_t)(s * 7 + i * 3 + (i >> 5));
}

static void make_image(BlkTest *t)
{
    size_t size = DISK_SECTORS * SECTOR_SIZE;
    uint8_t *data = g_malloc(size);
    size_t i;

    for (i = 0; i < size; i++) {
        data[i] = pattern(i / SECTOR_SIZE, i % SECTOR_SIZE);
    }
    t->dir = g_dir_make_tmp("virtio-blk-XXXXXX", NULL);
    t->image = g_build_filename(t->dir, "disk.raw", NULL);
    g_assert_true(g_file_set_contents(t->image, (char *)data, size, NULL));
    g_free(data);
}

static void blk_start(BlkTest *t, bool modern)
{
    uint64_t features;

    make_image(t);
    t->qts = qtest_initf("-M virt -nodefaults "
                         "-global virtio-mmio.force-legacy=%s "
                         "-drive file=%s,if=none,format=raw,id=d0 "
                         "-device virtio-blk-device,drive=d0,serial=%s",
                         modern ? "off" : "on", t->image, DISK_SERIAL);
    g_assert_true(qvirtio_mmio_find(t->qts, VIRTIO_ID_BLOCK, &t->dev));
    g_assert_cmpuint(t->dev.version, ==, modern ? 2 : 1);

    guest_alloc_init(&t->alloc, ALLOC_START, ALLOC_END);
    qvirtio_reset(&t->dev);
    qvirtio_set_acknowledge(&t->dev);
    qvirtio_set_driver(&t->dev);
    features = qvirtio_get_features(&t->dev);
    g_assert_true(features & (1ULL << VIRTIO_BLK_F_FLUSH));
    features &= 1ULL << VIRTIO_BLK_F_FLUSH |
                1ULL << VIRTIO_RING_F_INDIRECT_DESC |
                1ULL << VIRTIO_F_VERSION_1;
    g_assert_true(qvirtio_set_features(&t->dev, features));
    t->vq = qvirtqueue_setup(&t->dev, &t->alloc, 0);
    qvirtio_set_driver_ok(&t->dev);
}

static void blk_end(BlkTest *t)
{
    qtest_quit(t->qts);
    g_free(t->vq);
    unlink(t->image);
    rmdir(t->dir);
    g_free(t->image);
    g_free(t->dir);
}

/* Request header in guest memory: type, reserved, sector. */
static uint64_t put_header(BlkTest *t, uint32_t type, uint64_t sector)
{
    uint64_t hdr = guest_alloc(&t->alloc, 16);

    qtest_writel(t->qts, hdr, type);
    qtest_writel(t->qts, hdr + 4, 0);
    qtest_writeq(t->qts, hdr + 8, sector);
    return hdr;
}

/*
 * Submit header + optional data buffer + status byte as a direct chain;
 * wait for it and return the status the device wrote.
 */
static uint8_t blk_request(BlkTest *t, uint32_t type, uint64_t sector,
                           uint64_t data, uint32_t len, bool data_in)
{
    uint64_t hdr = put_header(t, type, sector);
    uint64_t status = guest_alloc(&t->alloc, 1);
    uint32_t head;

    qtest_writeb(t->qts, status, 0xff);
    head = qvirtqueue_add(t->qts, t->vq, hdr, 16, false, true);
    if (len) {
        qvirtqueue_add(t->qts, t->vq, data, len, data_in, true);
    }
    qvirtqueue_add(t->qts, t->vq, status, 1, true, false);
    qvirtqueue_kick(t->qts, &t->dev, t->vq, head);
    g_assert_true(qvirtio_wait_used_elem(t->qts, &t->dev, t->vq, head, NULL,
                                         QVIRTIO_DEFAULT_TIMEOUT_US));
    return qtest_readb(t->qts, status);
}

static void check_sector_pattern(const uint8_t *buf, uint64_t s)
{
    size_t i;

    for (i = 0; i < SECTOR_SIZE; i++) {
        if (buf[i] != pattern(s, i)) {
            g_error("sector %" PRIu64 " byte %zu: 0x%02x, expected 0x%02x",
                    s, i, buf[i], pattern(s, i));
        }
    }
}

static void test_config(const void *data)
{
    BlkTest t;

    blk_start(&t, GPOINTER_TO_INT(data));
    g_assert_cmpuint(qvirtio_config_readq(&t.dev, VIRTIO_BLK_CFG_CAPACITY),
                     ==, DISK_SECTORS);
    g_assert_cmpuint(qvirtio_config_readl(&t.dev, VIRTIO_BLK_CFG_BLK_SIZE),
                     ==, SECTOR_SIZE);
    blk_end(&t);
}

static void test_read_write_flush(const void *data)
{
    BlkTest t;
    uint8_t buf[2 * SECTOR_SIZE], out[SECTOR_SIZE];
    uint64_t gbuf;
    char *file;
    gsize file_len;
    size_t i;

    blk_start(&t, GPOINTER_TO_INT(data));
    gbuf = guest_alloc(&t.alloc, sizeof(buf));

    /* Read two sectors. */
    g_assert_cmpuint(blk_request(&t, VIRTIO_BLK_T_IN, 5, gbuf, sizeof(buf),
                                 true), ==, VIRTIO_BLK_S_OK);
    qtest_memread(t.qts, gbuf, buf, sizeof(buf));
    check_sector_pattern(buf, 5);
    check_sector_pattern(buf + SECTOR_SIZE, 6);

    /* Write sector 7, read it back through the device. */
    for (i = 0; i < SECTOR_SIZE; i++) {
        out[i] = 0xa0 ^ i;
    }
    qtest_memwrite(t.qts, gbuf, out, SECTOR_SIZE);
    g_assert_cmpuint(blk_request(&t, VIRTIO_BLK_T_OUT, 7, gbuf, SECTOR_SIZE,
                                 false), ==, VIRTIO_BLK_S_OK);
    qtest_memset(t.qts, gbuf, 0, sizeof(buf));
    g_assert_cmpuint(blk_request(&t, VIRTIO_BLK_T_IN, 6, gbuf, sizeof(buf),
                                 true), ==, VIRTIO_BLK_S_OK);
    qtest_memread(t.qts, gbuf, buf, sizeof(buf));
    check_sector_pattern(buf, 6);
    g_assert_cmpmem(buf + SECTOR_SIZE, SECTOR_SIZE, out, SECTOR_SIZE);

    /* Flush; then the host file holds the write. */
    g_assert_cmpuint(blk_request(&t, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false),
                     ==, VIRTIO_BLK_S_OK);
    g_assert_true(g_file_get_contents(t.image, &file, &file_len, NULL));
    g_assert_cmpuint(file_len, ==, DISK_SECTORS * SECTOR_SIZE);
    g_assert_cmpmem(file + 7 * SECTOR_SIZE, SECTOR_SIZE, out, SECTOR_SIZE);
    check_sector_pattern((uint8_t *)file + 8 * SECTOR_SIZE, 8);
    g_free(file);
    blk_end(&t);
}

static void test_get_id_and_errors(const void *data)
{
    BlkTest t;
    char id[VIRTIO_BLK_ID_BYTES + 1] = "";
    uint64_t gbuf;

    blk_start(&t, GPOINTER_TO_INT(data));
    gbuf = guest_alloc(&t.alloc, SECTOR_SIZE);
    g_assert_cmpuint(blk_request(&t, VIRTIO_BLK_T_GET_ID, 0, gbuf,
                                 VIRTIO_BLK_ID_BYTES, true), ==,
                     VIRTIO_BLK_S_OK);
    qtest_memread(t.qts, gbuf, id, VIRTIO_BLK_ID_BYTES);
    g_assert_cmpstr(id, ==, DISK_SERIAL);

    /* Past the end of the disk; an unknown request type. */
    g_assert_cmpuint(blk_request(&t, VIRTIO_BLK_T_IN, DISK_SECTORS, gbuf,
                                 SECTOR_SIZE, true), ==, VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(blk_request(&t, 0x7e, 0, gbuf, SECTOR_SIZE, true), ==,
                     VIRTIO_BLK_S_UNSUPP);

    /* The device still works. */
    g_assert_cmpuint(blk_request(&t, VIRTIO_BLK_T_IN, DISK_SECTORS - 1,
                                 gbuf, SECTOR_SIZE, true), ==,
                     VIRTIO_BLK_S_OK);
    blk_end(&t);
}

/* A read whose header, data and status sit in an indirect table. */
static void test_indirect(const void *data)
{
    BlkTest t;
    QVRingIndirectDesc *ind;
    uint64_t hdr, gbuf, status;
    uint8_t buf[SECTOR_SIZE];
    uint32_t head;

    blk_start(&t, GPOINTER_TO_INT(data));
    hdr = put_header(&t, VIRTIO_BLK_T_IN, 100);
    gbuf = guest_alloc(&t.alloc, SECTOR_SIZE);
    status = guest_alloc(&t.alloc, 1);
    qtest_writeb(t.qts, status, 0xff);
    ind = qvring_indirect_desc_setup(t.qts, &t.dev, &t.alloc, 3);
    qvring_indirect_desc_add(&t.dev, t.qts, ind, hdr, 16, false);
    qvring_indirect_desc_add(&t.dev, t.qts, ind, gbuf, SECTOR_SIZE, true);
    qvring_indirect_desc_add(&t.dev, t.qts, ind, status, 1, true);
    head = qvirtqueue_add_indirect(t.qts, t.vq, ind);
    qvirtqueue_kick(t.qts, &t.dev, t.vq, head);
    g_assert_true(qvirtio_wait_used_elem(t.qts, &t.dev, t.vq, head, NULL,
                                         QVIRTIO_DEFAULT_TIMEOUT_US));
    g_assert_cmpuint(qtest_readb(t.qts, status), ==, VIRTIO_BLK_S_OK);
    qtest_memread(t.qts, gbuf, buf, SECTOR_SIZE);
    check_sector_pattern(buf, 100);
    g_free(ind);
    blk_end(&t);
}

static void add_both(const char *name, void (*fn)(const void *))
{
    char *path = g_strdup_printf("virtio-blk/legacy/%s", name);

    qtest_add_data_func(path, GINT_TO_POINTER(false), fn);
    g_free(path);
    path = g_strdup_printf("virtio-blk/modern/%s", name);
    qtest_add_data_func(path, GINT_TO_POINTER(true), fn);
    g_free(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    add_both("config", test_config);
    add_both("read-write-flush", test_read_write_flush);
    add_both("get-id-errors", test_get_id_and_errors);
    add_both("indirect", test_indirect);
    return g_test_run();
}
