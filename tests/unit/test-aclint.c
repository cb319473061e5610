/*
 * test-aclint.c: ACLINT MTIMER and MSWI/SSWI device models.
 *
 * The MTIMER is 10 MHz: one tick is 100 ns of QEMU_CLOCK_VIRTUAL.
 */
#include "device-test.h"
#include "hw/intc/riscv_aclint.h"
#include "hw/riscv/virt.h"

#define MTIMECMP(h)   (0x0 + 8 * (h))
#define MTIME         0x7ff8

typedef struct MTimerFixture {
    DeviceState *dev;
    AddressSpace *as;
    IrqProbe irq;
} MTimerFixture;

static void mtimer_setup(MTimerFixture *f, uint32_t hartid_base,
                         int harts)
{
    static hwaddr next_base = 0x40000000;

    memset(&f->irq, 0, sizeof(f->irq));
    f->dev = riscv_aclint_mtimer_create(next_base,
                                        RISCV_ACLINT_DEFAULT_MTIMER_SIZE,
                                        hartid_base, harts,
                                        RISCV_ACLINT_DEFAULT_MTIMECMP,
                                        RISCV_ACLINT_DEFAULT_MTIME,
                                        VIRT_TIMEBASE_FREQ, true);
    next_base += 0x100000;
    dt_probe_gpio_out(&f->irq, f->dev, harts);
    f->as = dt_private_as(SYS_BUS_DEVICE(f->dev), 0);

    /* Start on a tick boundary so deadlines are whole 100 ns steps. */
    dt_step_ns((100 - dt_now_ns() % 100) % 100);
    device_cold_reset(f->dev);
}

static void test_mtime_advances(void)
{
    MTimerFixture f;

    mtimer_setup(&f, 0, 1);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 0);

    /* 1 ms = 10000 ticks, exactly. */
    dt_step_ns(1000000);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 10000);
    dt_step_ns(99);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 10000);
    dt_step_ns(1);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 10001);
    g_assert_cmphex(riscv_aclint_mtimer_get_ticks(f.dev), ==, 10001);

    /* 32-bit halves. */
    g_assert_cmphex(dt_rd32(f.as, MTIME), ==, 10001);
    g_assert_cmphex(dt_rd32(f.as, MTIME + 4), ==, 0);
}

static void test_mtime_write(void)
{
    MTimerFixture f;

    mtimer_setup(&f, 0, 1);

    /* Writing mtime moves the offset; it keeps counting from there. */
    dt_wr32(f.as, MTIME + 4, 1);
    dt_wr32(f.as, MTIME, 0xfffffffe);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 0x1fffffffeULL);
    dt_step_ns(300);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 0x200000001ULL);
    g_assert_cmphex(dt_rd32(f.as, MTIME + 4), ==, 2);

    /* Reset clears mtime again. */
    device_cold_reset(f.dev);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 0);
}

static void test_mtimecmp_reset_state(void)
{
    MTimerFixture f;

    /* mtimecmp = 0 <= mtime after reset: MTIP is pending (QEMU 7.2). */
    mtimer_setup(&f, 0, 2);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    g_assert_cmpint(f.irq.level[1], ==, 1);
    g_assert_cmphex(dt_rd64(f.as, MTIMECMP(1)), ==, 0);
}

static void test_mtimecmp_deadline(void)
{
    MTimerFixture f;
    int64_t start;

    mtimer_setup(&f, 0, 2);
    start = dt_now_ns();

    /* mtimecmp in the future lowers MTIP at once. */
    dt_wr64(f.as, MTIMECMP(0), 10500);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    g_assert_cmpint(f.irq.level[1], ==, 1);

    /* The timer is armed at exactly 10500 ticks * 100 ns. */
    g_assert_cmpint(riscv_aclint_mtimer_deadline_ns(f.dev, 10500), ==,
                    start + 1050000);
    g_assert_cmpint(qemu_clock_virtual_next_deadline_ns(), ==,
                    start + 1050000);
    dt_step_ns(1050000 - 1);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(1);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    g_assert_cmphex(dt_rd64(f.as, MTIME), ==, 10500);

    /* Moving mtimecmp ahead lowers it synchronously and re-arms. */
    dt_wr64(f.as, MTIMECMP(0), 20000);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(900000);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(200000);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    /* One edge per deadline (the first came from reset). */
    g_assert_cmpint(f.irq.raises[0], ==, 3);

    /* mtimecmp <= mtime raises synchronously. */
    dt_wr64(f.as, MTIMECMP(0), UINT64_MAX);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_wr64(f.as, MTIMECMP(0), dt_rd64(f.as, MTIME));
    g_assert_cmpint(f.irq.level[0], ==, 1);
}

static void test_mtimecmp_disable(void)
{
    MTimerFixture f;

    mtimer_setup(&f, 0, 1);

    /* UINT64_MAX can never be reached: no timer is armed for it. */
    dt_wr64(f.as, MTIMECMP(0), UINT64_MAX);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    g_assert_cmpint(qemu_clock_virtual_next_deadline_ns(), ==, -1);
    dt_step_ns(1000000000);
    g_assert_cmpint(f.irq.level[0], ==, 0);
}

static void test_mtimecmp_halves(void)
{
    MTimerFixture f;
    uint64_t now;

    mtimer_setup(&f, 0, 1);
    now = dt_rd64(f.as, MTIME);

    /* High half first (to a far value), then the low half. */
    dt_wr32(f.as, MTIMECMP(0) + 4, 0xffffffff);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_wr32(f.as, MTIMECMP(0) + 4, (now + 50) >> 32);
    dt_wr32(f.as, MTIMECMP(0), (uint32_t)(now + 50));
    g_assert_cmphex(dt_rd64(f.as, MTIMECMP(0)), ==, now + 50);
    g_assert_cmphex(dt_rd32(f.as, MTIMECMP(0)), ==, (uint32_t)(now + 50));
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(50 * 100);
    g_assert_cmpint(f.irq.level[0], ==, 1);
}

static void test_mtime_write_fires(void)
{
    MTimerFixture f;

    mtimer_setup(&f, 0, 1);
    dt_wr64(f.as, MTIMECMP(0), 1000000);
    g_assert_cmpint(f.irq.level[0], ==, 0);

    /* Jumping mtime past mtimecmp raises MTIP without waiting. */
    dt_wr64(f.as, MTIME, 1000000);
    g_assert_cmpint(f.irq.level[0], ==, 1);

    /* And back before it lowers MTIP and re-arms for 10 ticks later. */
    dt_wr64(f.as, MTIME, 1000000 - 10);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(10 * 100);
    g_assert_cmpint(f.irq.level[0], ==, 1);
}

static void test_mtimer_rdtime_lookup(void)
{
    MTimerFixture f;

    mtimer_setup(&f, 8, 2);
    g_assert_true(riscv_aclint_mtimer_find(8) == f.dev);
    g_assert_true(riscv_aclint_mtimer_find(9) == f.dev);
    g_assert_null(riscv_aclint_mtimer_find(10));
    g_assert_cmphex(dt_rd64(f.as, MTIMECMP(1)), ==, 0);
    g_assert_cmphex(dt_rd64(f.as, MTIMECMP(2)), ==, 0);  /* no hart 2 */
}

static void test_mtimer_bad_props(void)
{
    DeviceState *dev = qdev_new(TYPE_RISCV_ACLINT_MTIMER);
    Error *err = NULL;

    qdev_prop_set_uint32(dev, "num-harts", 4);
    qdev_prop_set_uint32(dev, "aperture-size", 0x10);
    g_assert_false(sysbus_realize(SYS_BUS_DEVICE(dev), &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "aperture-size"));
    error_free(err);
    object_unref(OBJECT(dev));
}

static void test_mswi(void)
{
    DeviceState *dev = riscv_aclint_swi_create(0x50000000, 0, 2, false);
    AddressSpace *as = dt_private_as(SYS_BUS_DEVICE(dev), 0);
    IrqProbe irq = { 0 };

    dt_probe_gpio_out(&irq, dev, 2);
    device_cold_reset(dev);

    /* msip of hart 1: bit 0 only, read back, drives line 1. */
    dt_wr32(as, 4, 0xffffffff);
    g_assert_cmpint(irq.level[1], ==, 1);
    g_assert_cmpint(irq.level[0], ==, 0);
    g_assert_cmphex(dt_rd32(as, 4), ==, 1);
    g_assert_cmphex(dt_rd32(as, 0), ==, 0);
    dt_wr32(as, 4, 0xfffffffe);
    g_assert_cmpint(irq.level[1], ==, 0);
    g_assert_cmphex(dt_rd32(as, 4), ==, 0);

    /* No hart 2: ignored, reads 0. */
    dt_wr32(as, 8, 1);
    g_assert_cmphex(dt_rd32(as, 8), ==, 0);

    /* Reset clears msip. */
    dt_wr32(as, 0, 1);
    g_assert_cmpint(irq.level[0], ==, 1);
    device_cold_reset(dev);
    g_assert_cmpint(irq.level[0], ==, 0);
}

static void test_sswi(void)
{
    DeviceState *dev = riscv_aclint_swi_create(0x50100000, 0, 1, true);
    AddressSpace *as = dt_private_as(SYS_BUS_DEVICE(dev), 0);
    IrqProbe irq = { 0 };

    dt_probe_gpio_out(&irq, dev, 1);

    /* SETSSIP: 1 raises SSIP, 0 leaves it; reads are 0. */
    dt_wr32(as, 0, 1);
    g_assert_cmpint(irq.level[0], ==, 1);
    dt_wr32(as, 0, 0);
    g_assert_cmpint(irq.level[0], ==, 1);
    g_assert_cmphex(dt_rd32(as, 0), ==, 0);
}

int main(int argc, char **argv)
{
    dt_init(&argc, &argv);
    g_test_add_func("/aclint/mtime/advances", test_mtime_advances);
    g_test_add_func("/aclint/mtime/write", test_mtime_write);
    g_test_add_func("/aclint/mtime/write-fires", test_mtime_write_fires);
    g_test_add_func("/aclint/mtimecmp/reset-state",
                    test_mtimecmp_reset_state);
    g_test_add_func("/aclint/mtimecmp/deadline", test_mtimecmp_deadline);
    g_test_add_func("/aclint/mtimecmp/disable", test_mtimecmp_disable);
    g_test_add_func("/aclint/mtimecmp/halves", test_mtimecmp_halves);
    g_test_add_func("/aclint/mtimer/rdtime-lookup",
                    test_mtimer_rdtime_lookup);
    g_test_add_func("/aclint/mtimer/bad-props", test_mtimer_bad_props);
    g_test_add_func("/aclint/mswi", test_mswi);
    g_test_add_func("/aclint/sswi", test_sswi);
    return g_test_run();
}
