/*
 * rtc-test.c: the goldfish RTC at 0x101000 (PLIC source 11).  With
 * -rtc clock=vm the counter follows the virtual clock, so qtest steps it
 * exactly; with the default host clock it reads the host's date.  The
 * alarm is watched on the PLIC's input line 11 (irq_intercept_in).
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "riscv-virt.h"

#define RTC_TIME_LOW        (VIRT_RTC_BASE + 0x00)
#define RTC_TIME_HIGH       (VIRT_RTC_BASE + 0x04)
#define RTC_ALARM_LOW       (VIRT_RTC_BASE + 0x08)
#define RTC_ALARM_HIGH      (VIRT_RTC_BASE + 0x0c)
#define RTC_IRQ_ENABLED     (VIRT_RTC_BASE + 0x10)
#define RTC_CLEAR_ALARM     (VIRT_RTC_BASE + 0x14)
#define RTC_ALARM_STATUS    (VIRT_RTC_BASE + 0x18)
#define RTC_CLEAR_INTERRUPT (VIRT_RTC_BASE + 0x1c)

/* 2020-01-01T00:00:00Z in ns since the epoch. */
#define BASE_2020_NS        (1577836800ULL * 1000000000ULL)

/* Reading TIME_LOW latches TIME_HIGH. */
static uint64_t rtc_time_ns(QTestState *qts)
{
    uint64_t low = qtest_readl(qts, RTC_TIME_LOW);

    return (uint64_t)qtest_readl(qts, RTC_TIME_HIGH) << 32 | low;
}

static void rtc_set_alarm(QTestState *qts, uint64_t ns)
{
    qtest_writel(qts, RTC_ALARM_HIGH, ns >> 32);
    qtest_writel(qts, RTC_ALARM_LOW, (uint32_t)ns);
}

static QTestState *start_vm_clock(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults "
                                 "-rtc base=2020-01-01T00:00:00,clock=vm");
    char *plic = virt_find_device(qts, "/machine/unattached",
                                  "riscv.sifive.plic");

    qtest_irq_intercept_in(qts, plic);
    g_free(plic);
    return qts;
}

static void test_host_time(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults");
    int64_t host_ns = g_get_real_time() * 1000;
    int64_t rtc_ns = rtc_time_ns(qts);

    g_assert_cmpint(llabs(rtc_ns - host_ns), <, 60LL * 1000000000LL);
    qtest_quit(qts);
}

static void test_vm_time(void)
{
    QTestState *qts = start_vm_clock();
    uint64_t start = rtc_time_ns(qts);

    /* The base date, give or take the start-up time (whole seconds). */
    g_assert_cmpuint(start, >, BASE_2020_NS - 1000000000ULL);
    g_assert_cmpuint(start, <, BASE_2020_NS + 1000000000ULL);

    /* Then it moves exactly with the virtual clock, and only with it. */
    g_usleep(20 * 1000);
    g_assert_cmpuint(rtc_time_ns(qts), ==, start);
    qtest_clock_step(qts, 1500000000);
    g_assert_cmpuint(rtc_time_ns(qts), ==, start + 1500000000);

    /* The guest sets the date: high half first, then low. */
    qtest_writel(qts, RTC_TIME_HIGH, 0x1);
    qtest_writel(qts, RTC_TIME_LOW, 0x10);
    qtest_clock_step(qts, 7);
    g_assert_cmpuint(rtc_time_ns(qts), ==, 0x100000017ULL);
    qtest_quit(qts);
}

static void test_alarm(void)
{
    QTestState *qts = start_vm_clock();
    uint64_t now = rtc_time_ns(qts);

    qtest_writel(qts, RTC_IRQ_ENABLED, 1);
    rtc_set_alarm(qts, now + 5000);
    g_assert_cmpuint(qtest_readl(qts, RTC_ALARM_STATUS), ==, 1);
    g_assert_cmpuint(qtest_readl(qts, RTC_ALARM_LOW), ==,
                     (uint32_t)(now + 5000));

    /* Fires exactly at its time; a step without argument lands there. */
    g_assert_cmpint(qtest_clock_step(qts, 4999), ==, 4999);
    g_assert_false(qtest_get_irq(qts, VIRT_RTC_IRQ));
    g_assert_cmpint(qtest_clock_step_next(qts), ==, 5000);
    g_assert_true(qtest_get_irq(qts, VIRT_RTC_IRQ));
    g_assert_cmpuint(qtest_readl(qts, RTC_ALARM_STATUS), ==, 0);
    qtest_writel(qts, RTC_CLEAR_INTERRUPT, 1);
    g_assert_false(qtest_get_irq(qts, VIRT_RTC_IRQ));

    /* A cleared alarm never fires. */
    rtc_set_alarm(qts, now + 10000);
    qtest_writel(qts, RTC_CLEAR_ALARM, 1);
    g_assert_cmpuint(qtest_readl(qts, RTC_ALARM_STATUS), ==, 0);
    qtest_clock_step(qts, 100000);
    g_assert_false(qtest_get_irq(qts, VIRT_RTC_IRQ));

    /* Interrupt disabled: the alarm expires without raising the line. */
    qtest_writel(qts, RTC_IRQ_ENABLED, 0);
    rtc_set_alarm(qts, rtc_time_ns(qts) + 100);
    qtest_clock_step(qts, 200);
    g_assert_cmpuint(qtest_readl(qts, RTC_ALARM_STATUS), ==, 0);
    g_assert_false(qtest_get_irq(qts, VIRT_RTC_IRQ));

    /* An alarm in the past fires at once. */
    qtest_writel(qts, RTC_IRQ_ENABLED, 1);
    rtc_set_alarm(qts, 1);
    g_assert_true(qtest_get_irq(qts, VIRT_RTC_IRQ));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("rtc/host-time", test_host_time);
    qtest_add_func("rtc/vm-time", test_vm_time);
    qtest_add_func("rtc/alarm", test_alarm);
    return g_test_run();
}
