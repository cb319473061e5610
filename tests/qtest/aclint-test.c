/*
 * aclint-test.c: the CLINT (ACLINT MTIMER + MSWI) of the virt board
 * under qtest: mtime follows the virtual clock exactly (10 MHz: one tick
 * per 100 ns), mtimecmp raises MTIP at the step that reaches it and
 * lowers it when moved ahead, msip drives MSIP, per hart.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "riscv-virt.h"

#define CLINT_MSIP(h)       (VIRT_CLINT_BASE + 4 * (h))
#define CLINT_MTIMECMP(h)   (VIRT_CLINT_BASE + 0x4000 + 8 * (h))
#define CLINT_MTIME         (VIRT_CLINT_BASE + 0xbff8)
#define NS_PER_TICK         100     /* 10 MHz timebase */

static QTestState *start(const char *hart)
{
    QTestState *qts = qtest_init("-M virt -smp 2 -nodefaults");

    qtest_irq_intercept_in(qts, hart);
    return qts;
}

/* mtime = virtual ns / 100, read whole and as two 32-bit halves. */
static void test_mtime_steps(void)
{
    QTestState *qts = start("/machine/soc0/harts[0]");

    g_assert_cmpuint(qtest_readq(qts, CLINT_MTIME), ==, 0);
    qtest_clock_step(qts, 99);
    g_assert_cmpuint(qtest_readq(qts, CLINT_MTIME), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(qtest_readq(qts, CLINT_MTIME), ==, 1);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(qtest_readq(qts, CLINT_MTIME), ==, 10001);

    /* Past 2^32 ticks: the high half counts. */
    qtest_clock_set(qts, 0x100000000ULL * NS_PER_TICK + 5 * NS_PER_TICK);
    g_assert_cmphex(qtest_readl(qts, CLINT_MTIME), ==, 5);
    g_assert_cmphex(qtest_readl(qts, CLINT_MTIME + 4), ==, 1);

    /* Writing mtime moves it; it keeps counting from there. */
    qtest_writeq(qts, CLINT_MTIME, 1000);
    qtest_clock_step(qts, 250);
    g_assert_cmpuint(qtest_readq(qts, CLINT_MTIME), ==, 1002);
    qtest_quit(qts);
}

/* MTIP rises exactly when mtime reaches mtimecmp, not a step before. */
static void test_mtimecmp_deadline(void)
{
    QTestState *qts = start("/machine/soc0/harts[0]");

    /* After reset mtimecmp = 0 <= mtime: move it out of the way. */
    qtest_writeq(qts, CLINT_MTIMECMP(0), UINT64_MAX);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MTIP));

    qtest_writeq(qts, CLINT_MTIMECMP(0), 500);    /* at 50000 ns */
    g_assert_cmpint(qtest_clock_step(qts, 49999), ==, 49999);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MTIP));
    g_assert_cmpint(qtest_clock_step(qts, 1), ==, 50000);
    g_assert_true(qtest_get_irq(qts, HART_IRQ_MTIP));

    /* Moving mtimecmp ahead lowers it at once; next deadline exact. */
    qtest_writeq(qts, CLINT_MTIMECMP(0), 1234);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MTIP));
    g_assert_cmpint(qtest_clock_step_next(qts), ==, 123400);
    g_assert_true(qtest_get_irq(qts, HART_IRQ_MTIP));
    g_assert_cmpuint(qtest_readq(qts, CLINT_MTIME), ==, 1234);

    /* A value in the past raises it during the write. */
    qtest_writeq(qts, CLINT_MTIMECMP(0), UINT64_MAX);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MTIP));
    qtest_writel(qts, CLINT_MTIMECMP(0), 3);
    qtest_writel(qts, CLINT_MTIMECMP(0) + 4, 0);
    g_assert_true(qtest_get_irq(qts, HART_IRQ_MTIP));

    /* UINT64_MAX arms nothing: clock_step without argument stays put. */
    qtest_writeq(qts, CLINT_MTIMECMP(0), UINT64_MAX);
    g_assert_cmpint(qtest_clock_step_next(qts), ==, 123400);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MTIP));
    qtest_quit(qts);
}

/* Each hart has its own mtimecmp and msip; hart 1's lines on hart 1. */
static void test_per_hart(void)
{
    QTestState *qts = start("/machine/soc0/harts[1]");

    qtest_writeq(qts, CLINT_MTIMECMP(0), UINT64_MAX);
    qtest_writeq(qts, CLINT_MTIMECMP(1), UINT64_MAX);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MTIP));

    /* Hart 0's timer firing leaves hart 1 alone. */
    qtest_writeq(qts, CLINT_MTIMECMP(0), 10);
    qtest_writeq(qts, CLINT_MTIMECMP(1), 20);
    g_assert_cmpint(qtest_clock_step_next(qts), ==, 1000);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MTIP));
    g_assert_cmpint(qtest_clock_step_next(qts), ==, 2000);
    g_assert_true(qtest_get_irq(qts, HART_IRQ_MTIP));

    qtest_writel(qts, CLINT_MSIP(0), 1);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MSIP));
    qtest_writel(qts, CLINT_MSIP(1), 1);
    g_assert_true(qtest_get_irq(qts, HART_IRQ_MSIP));
    g_assert_cmphex(qtest_readl(qts, CLINT_MSIP(1)), ==, 1);

    /* Only bit 0 of msip exists. */
    qtest_writel(qts, CLINT_MSIP(1), 0xfffffffe);
    g_assert_false(qtest_get_irq(qts, HART_IRQ_MSIP));
    g_assert_cmphex(qtest_readl(qts, CLINT_MSIP(1)), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("aclint/mtime-steps", test_mtime_steps);
    qtest_add_func("aclint/mtimecmp-deadline", test_mtimecmp_deadline);
    qtest_add_func("aclint/per-hart", test_per_hart);
    return g_test_run();
}
