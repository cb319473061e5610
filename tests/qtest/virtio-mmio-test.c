/*
 * virtio-mmio-test.c: the virt board's eight virtio-mmio transports:
 * identification of empty slots, where -device puts devices, feature
 * negotiation on the legacy and modern interfaces, reset, and the
 * used-buffer interrupt on the PLIC (source 1 + slot).
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "libqos/virtio-mmio.h"
#include "riscv-virt.h"

#define ALLOC_START (VIRT_DRAM_BASE + 16 * 1024 * 1024)
#define ALLOC_END   (VIRT_DRAM_BASE + 64 * 1024 * 1024)
#define VIRTIO_VENDOR_QEMU 0x554d4551

static uint64_t slot_base(int n)
{
    return VIRT_VIRTIO_MMIO_BASE + n * VIRT_VIRTIO_MMIO_STRIDE;
}

static void test_empty_slots(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults");
    int n;

    for (n = 0; n < VIRT_VIRTIO_MMIO_COUNT; n++) {
        uint64_t base = slot_base(n);

        g_assert_cmphex(qtest_readl(qts, base + VIRTIO_MMIO_MAGIC_VALUE),
                        ==, VIRTIO_MMIO_MAGIC);
        g_assert_cmpuint(qtest_readl(qts, base + VIRTIO_MMIO_VERSION), ==, 1);
        g_assert_cmpuint(qtest_readl(qts, base + VIRTIO_MMIO_DEVICE_ID),
                         ==, 0);
        g_assert_cmphex(qtest_readl(qts, base + VIRTIO_MMIO_VENDOR_ID), ==,
                        VIRTIO_VENDOR_QEMU);

        /* Writes to an empty slot are ignored. */
        qtest_writel(qts, base + VIRTIO_MMIO_STATUS, 0xf);
        g_assert_cmpuint(qtest_readl(qts, base + VIRTIO_MMIO_STATUS), ==, 0);
    }
    qtest_quit(qts);
}

static uint32_t slot_device(QTestState *qts, int n)
{
    return qtest_readl(qts, slot_base(n) + VIRTIO_MMIO_DEVICE_ID);
}

/* First free slot from the highest address; bus= picks one. */
static void test_placement(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults "
                                 "-device virtio-rng-device "
                                 "-device virtio-rng-device "
                                 "-device virtio-rng-device,"
                                 "bus=virtio-mmio-bus.2");
    int n;

    for (n = 0; n < VIRT_VIRTIO_MMIO_COUNT; n++) {
        bool used = n == 7 || n == 6 || n == 2;

        g_assert_cmpuint(slot_device(qts, n), ==, used ? VIRTIO_ID_RNG : 0);
    }
    qtest_quit(qts);
}

static QTestState *start_rng(bool modern, QVirtioDevice *dev)
{
    QTestState *qts = qtest_initf("-M virt -nodefaults "
                                  "-global virtio-mmio.force-legacy=%s "
                                  "-device virtio-rng-device",
                                  modern ? "off" : "on");

    g_assert_true(qvirtio_mmio_find(qts, VIRTIO_ID_RNG, dev));
    g_assert_cmphex(dev->base, ==, slot_base(7));
    g_assert_cmpuint(dev->version, ==, modern ? 2 : 1);
    return qts;
}

/* VERSION_1 is offered by the modern interface only. */
static void test_features(const void *data)
{
    bool modern = GPOINTER_TO_INT(data);
    QVirtioDevice dev;
    QTestState *qts = start_rng(modern, &dev);
    uint64_t features;

    qvirtio_reset(&dev);
    qvirtio_set_acknowledge(&dev);
    qvirtio_set_driver(&dev);
    g_assert_cmphex(qvirtio_get_status(&dev), ==,
                    VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
    features = qvirtio_get_features(&dev);
    g_assert_cmpint(!!(features & (1ULL << VIRTIO_F_VERSION_1)), ==,
                    modern);
    g_assert_true(features & (1ULL << VIRTIO_RING_F_INDIRECT_DESC));
    g_assert_true(features & (1ULL << VIRTIO_RING_F_EVENT_IDX));
    g_assert_true(qvirtio_set_features(&dev, features));
    if (modern) {
        g_assert_cmphex(qvirtio_get_status(&dev), ==,
                        VIRTIO_CONFIG_S_ACKNOWLEDGE |
                        VIRTIO_CONFIG_S_DRIVER |
                        VIRTIO_CONFIG_S_FEATURES_OK);
    }
    qtest_quit(qts);
}

/* Writing 0 to Status resets the device and its queues. */
static void test_reset(const void *data)
{
    bool modern = GPOINTER_TO_INT(data);
    QVirtioDevice dev;
    QTestState *qts = start_rng(modern, &dev);
    QGuestAllocator alloc;
    QVirtQueue *vq;
    uint32_t reg = modern ? VIRTIO_MMIO_QUEUE_READY : VIRTIO_MMIO_QUEUE_PFN;

    guest_alloc_init(&alloc, ALLOC_START, ALLOC_END);
    qvirtio_reset(&dev);
    qvirtio_set_acknowledge(&dev);
    qvirtio_set_driver(&dev);
    qvirtio_set_features(&dev, qvirtio_get_features(&dev));
    vq = qvirtqueue_setup(&dev, &alloc, 0);
    qvirtio_set_driver_ok(&dev);
    g_assert_cmpuint(qtest_readl(qts, dev.base + reg), !=, 0);
    g_assert_true(qvirtio_get_status(&dev) & VIRTIO_CONFIG_S_DRIVER_OK);

    qvirtio_reset(&dev);
    qtest_writel(qts, dev.base + VIRTIO_MMIO_QUEUE_SEL, 0);
    g_assert_cmpuint(qtest_readl(qts, dev.base + reg), ==, 0);
    g_assert_cmpuint(qtest_readl(qts, dev.base + VIRTIO_MMIO_QUEUE_NUM_MAX),
                     >, 0);
    g_free(vq);
    qtest_quit(qts);
}

/* A used buffer raises PLIC source 1 + slot; ACK lowers it. */
static void test_interrupt(const void *data)
{
    bool modern = GPOINTER_TO_INT(data);
    QVirtioDevice dev;
    QTestState *qts = start_rng(modern, &dev);
    QGuestAllocator alloc;
    QVirtQueue *vq;
    char *plic = virt_find_device(qts, "/machine/unattached",
                                  "riscv.sifive.plic");
    uint64_t buf;
    uint32_t head;

    qtest_irq_intercept_in(qts, plic);
    guest_alloc_init(&alloc, ALLOC_START, ALLOC_END);
    qvirtio_reset(&dev);
    qvirtio_set_acknowledge(&dev);
    qvirtio_set_driver(&dev);
    qvirtio_get_features(&dev);
    qvirtio_set_features(&dev, modern ? 1ULL << VIRTIO_F_VERSION_1 : 0);
    vq = qvirtqueue_setup(&dev, &alloc, 0);
    qvirtio_set_driver_ok(&dev);
    g_assert_false(qtest_get_irq(qts, VIRT_VIRTIO_IRQ(7)));

    buf = guest_alloc(&alloc, 32);
    head = qvirtqueue_add(qts, vq, buf, 32, true, false);
    qvirtqueue_kick(qts, &dev, vq, head);
    g_assert_true(qvirtio_wait_used_elem(qts, &dev, vq, head, NULL,
                                         QVIRTIO_DEFAULT_TIMEOUT_US));
    g_assert_true(qtest_get_irq(qts, VIRT_VIRTIO_IRQ(7)));
    g_assert_cmphex(qvirtio_isr(&dev), ==, VIRTIO_MMIO_INT_VRING);
    qvirtio_isr_ack(&dev, VIRTIO_MMIO_INT_VRING);
    g_assert_false(qtest_get_irq(qts, VIRT_VIRTIO_IRQ(7)));
    g_assert_cmphex(qvirtio_isr(&dev), ==, 0);
    g_free(plic);
    g_free(vq);
    qtest_quit(qts);
}

static void add_both(const char *name, void (*fn)(const void *))
{
    char *path = g_strdup_printf("virtio-mmio/legacy/%s", name);

    qtest_add_data_func(path, GINT_TO_POINTER(false), fn);
    g_free(path);
    path = g_strdup_printf("virtio-mmio/modern/%s", name);
    qtest_add_data_func(path, GINT_TO_POINTER(true), fn);
    g_free(path);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("virtio-mmio/empty-slots", test_empty_slots);
    qtest_add_func("virtio-mmio/placement", test_placement);
    add_both("features", test_features);
    add_both("reset", test_reset);
    add_both("interrupt", test_interrupt);
    return g_test_run();
}
