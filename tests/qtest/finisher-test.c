/*
 * finisher-test.c: the sifive_test finisher at 0x100000.  0x5555 ends
 * the emulator with status 0, 0x3333 | code << 16 with status code,
 * 0x7777 resets the machine (QMP RESET event, still running); other
 * values are ignored.
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "riscv-virt.h"

#define FINISHER_FAIL       0x3333
#define FINISHER_PASS       0x5555
#define FINISHER_RESET      0x7777

/*
 * Machina answers the write before it exits (the exit request is carried
 * out by the main loop after the command); QEMU 7.2 exits without
 * answering.
 */
static void finisher_write(QTestState *qts, uint32_t value)
{
    qtest_writel(qts, VIRT_TEST_BASE, value);
}

static void test_pass(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults");

    finisher_write(qts, FINISHER_PASS);
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

static void test_fail_code(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults -no-shutdown");

    qtest_set_expected_status(qts, 5);
    finisher_write(qts, 5 << 16 | FINISHER_FAIL);
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

/* Reset: RESET event, devices back to reset state, still running. */
static void test_reset(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults");
    QDict *ev, *rsp;

    /* Leave visible state in two devices: UART SCR and CLINT msip. */
    qtest_writeb(qts, VIRT_UART0_BASE + 7, 0x5a);
    qtest_writel(qts, VIRT_CLINT_BASE, 1);

    /* Ignored values first: nothing happens. */
    qtest_writel(qts, VIRT_TEST_BASE, 0x1234);
    qtest_writel(qts, VIRT_TEST_BASE + 4, FINISHER_PASS);
    g_assert_cmphex(qtest_readb(qts, VIRT_UART0_BASE + 7), ==, 0x5a);

    finisher_write(qts, FINISHER_RESET);
    ev = qtest_qmp_eventwait_ref(qts, "RESET");
    g_assert_true(qdict_get_bool(qdict_get_qdict(ev, "data"), "guest"));
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(ev, "data"), "reason"),
                    ==, "guest-reset");
    qobject_unref(ev);

    g_assert_cmphex(qtest_readb(qts, VIRT_UART0_BASE + 7), ==, 0);
    g_assert_cmphex(qtest_readl(qts, VIRT_CLINT_BASE), ==, 0);
    rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(rsp, "return"), "status"),
                    ==, "running");
    qobject_unref(rsp);
    qtest_quit(qts);
}

/* -no-reboot turns the guest reset into a shutdown (exit status 0). */
static void test_reset_no_reboot(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults -no-reboot");
    QDict *ev;

    finisher_write(qts, FINISHER_RESET);
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(ev, "data"), "reason"),
                    ==, "guest-reset");
    qobject_unref(ev);
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("finisher/pass", test_pass);
    qtest_add_func("finisher/fail-code", test_fail_code);
    qtest_add_func("finisher/reset", test_reset);
    qtest_add_func("finisher/reset-no-reboot", test_reset_no_reboot);
    return g_test_run();
}
