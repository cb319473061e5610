/*
 * virtio-rng-test.c: virtio-rng behind virtio-mmio, driven by libqos.
 * With an rng-random backend reading a file of known bytes, the device
 * must hand exactly those bytes to the guest, in order, through direct
 * and indirect descriptors, on both transport versions.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "libqos/virtio-mmio.h"
#include "riscv-virt.h"

#define ALLOC_START (VIRT_DRAM_BASE + 16 * 1024 * 1024)
#define ALLOC_END   (VIRT_DRAM_BASE + 64 * 1024 * 1024)
#define POOL_SIZE   4096

typedef struct RngTest {
    QTestState *qts;
    QVirtioDevice dev;
    QGuestAllocator alloc;
    QVirtQueue *vq;
    char *dir;
    char *pool_path;
    uint8_t pool[POOL_SIZE];    /* the backend file's bytes */
} RngTest;

static void rng_start(RngTest *t, bool modern)
{
    uint64_t features;
    int i;

    t->dir = g_dir_make_tmp("virtio-rng-XXXXXX", NULL);
    t->pool_path = g_build_filename(t->dir, "pool", NULL);
    for (i = 0; i < POOL_SIZE; i++) {
        t->pool[i] = (i * 131 + 7) ^ (i >> 8);
    }
    g_assert_true(g_file_set_contents(t->pool_path, (char *)t->pool,
                                      POOL_SIZE, NULL));
    t->qts = qtest_initf("-M virt -nodefaults "
                         "-global virtio-mmio.force-legacy=%s "
                         "-object rng-random,id=rng0,filename=%s "
                         "-device virtio-rng-device,rng=rng0",
                         modern ? "off" : "on", t->pool_path);
    g_assert_true(qvirtio_mmio_find(t->qts, VIRTIO_ID_RNG, &t->dev));
    g_assert_cmpuint(t->dev.version, ==, modern ? 2 : 1);

    /* Driver bring-up (virtio 1.2, 3.1.1). */
    guest_alloc_init(&t->alloc, ALLOC_START, ALLOC_END);
    qvirtio_reset(&t->dev);
    qvirtio_set_acknowledge(&t->dev);
    qvirtio_set_driver(&t->dev);
    features = qvirtio_get_features(&t->dev);
    g_assert_true(features & (1ULL << VIRTIO_RING_F_INDIRECT_DESC));
    features &= 1ULL << VIRTIO_RING_F_INDIRECT_DESC |
                1ULL << VIRTIO_F_VERSION_1;
    g_assert_true(qvirtio_set_features(&t->dev, features));
    t->vq = qvirtqueue_setup(&t->dev, &t->alloc, 0);
    qvirtio_set_driver_ok(&t->dev);
}

static void rng_end(RngTest *t)
{
    qtest_quit(t->qts);
    g_free(t->vq);
    unlink(t->pool_path);
    rmdir(t->dir);
    g_free(t->pool_path);
    g_free(t->dir);
}

/* One device-writable buffer of @len: must get the next pool bytes. */
static void check_direct(RngTest *t, size_t len, size_t *consumed)
{
    uint64_t buf = guest_alloc(&t->alloc, len);
    uint8_t *got = g_malloc(len);
    uint32_t head, used_len;

    head = qvirtqueue_add(t->qts, t->vq, buf, len, true, false);
    qvirtqueue_kick(t->qts, &t->dev, t->vq, head);
    g_assert_true(qvirtio_wait_used_elem(t->qts, &t->dev, t->vq, head,
                                         &used_len,
                                         QVIRTIO_DEFAULT_TIMEOUT_US));
    g_assert_cmpuint(used_len, ==, len);
    qtest_memread(t->qts, buf, got, len);
    g_assert_cmpmem(got, len, t->pool + *consumed, len);
    *consumed += len;
    g_free(got);
}

static void test_rng(const void *data)
{
    bool modern = GPOINTER_TO_INT(data);
    RngTest t;
    size_t consumed = 0;
    QVRingIndirectDesc *ind;
    uint64_t a, b;
    uint32_t head, used_len;
    uint8_t got[48];

    rng_start(&t, modern);
    check_direct(&t, 64, &consumed);
    check_direct(&t, 1, &consumed);
    check_direct(&t, 300, &consumed);

    /* Indirect table of two buffers: filled in order. */
    ind = qvring_indirect_desc_setup(t.qts, &t.dev, &t.alloc, 2);
    a = guest_alloc(&t.alloc, 16);
    b = guest_alloc(&t.alloc, 32);
    qvring_indirect_desc_add(&t.dev, t.qts, ind, a, 16, true);
    qvring_indirect_desc_add(&t.dev, t.qts, ind, b, 32, true);
    head = qvirtqueue_add_indirect(t.qts, t.vq, ind);
    qvirtqueue_kick(t.qts, &t.dev, t.vq, head);
    g_assert_true(qvirtio_wait_used_elem(t.qts, &t.dev, t.vq, head,
                                         &used_len,
                                         QVIRTIO_DEFAULT_TIMEOUT_US));
    g_assert_cmpuint(used_len, ==, 48);
    qtest_memread(t.qts, a, got, 16);
    qtest_memread(t.qts, b, got + 16, 32);
    g_assert_cmpmem(got, 48, t.pool + consumed, 48);

    /* The used-buffer interrupt is flagged; ACK clears it. */
    g_assert_cmphex(qvirtio_isr(&t.dev) & VIRTIO_MMIO_INT_VRING, ==,
                    VIRTIO_MMIO_INT_VRING);
    qvirtio_isr_ack(&t.dev, VIRTIO_MMIO_INT_VRING);
    g_assert_cmphex(qvirtio_isr(&t.dev) & VIRTIO_MMIO_INT_VRING, ==, 0);
    g_free(ind);
    rng_end(&t);
}

/* The default backend (rng-builtin) delivers bytes too. */
static void test_builtin(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults "
                                 "-device virtio-rng-device");
    QVirtioDevice dev;
    QGuestAllocator alloc;
    QVirtQueue *vq;
    uint8_t buf[256];
    uint64_t addr;
    uint32_t head, len;
    size_t i, nonzero = 0;

    g_assert_true(qvirtio_mmio_find(qts, VIRTIO_ID_RNG, &dev));
    guest_alloc_init(&alloc, ALLOC_START, ALLOC_END);
    qvirtio_reset(&dev);
    qvirtio_set_acknowledge(&dev);
    qvirtio_set_driver(&dev);
    qvirtio_get_features(&dev);
    g_assert_true(qvirtio_set_features(&dev, 0));
    vq = qvirtqueue_setup(&dev, &alloc, 0);
    qvirtio_set_driver_ok(&dev);
    addr = guest_alloc(&alloc, sizeof(buf));
    qtest_memset(qts, addr, 0, sizeof(buf));
    head = qvirtqueue_add(qts, vq, addr, sizeof(buf), true, false);
    qvirtqueue_kick(qts, &dev, vq, head);
    g_assert_true(qvirtio_wait_used_elem(qts, &dev, vq, head, &len,
                                         QVIRTIO_DEFAULT_TIMEOUT_US));
    g_assert_cmpuint(len, >, 0);
    qtest_memread(qts, addr, buf, len);
    for (i = 0; i < len; i++) {
        nonzero += buf[i] != 0;
    }
    /* 256 random bytes with fewer than 200 non-zero: not random. */
    g_assert_cmpuint(nonzero, >, len * 3 / 4);
    g_free(vq);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_data_func("virtio-rng/legacy", GINT_TO_POINTER(false),
                        test_rng);
    qtest_add_data_func("virtio-rng/modern", GINT_TO_POINTER(true),
                        test_rng);
    qtest_add_func("virtio-rng/builtin", test_builtin);
    return g_test_run();
}
