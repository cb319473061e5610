/*
 * test-sifive-test.c: the sifive_test finisher's requests, observed
 * through the run-state code the main loop runs (main_loop_should_exit)
 * and the QMP events a monitor would see.
 */
#include "device-test.h"
#include "hw/misc/sifive_test.h"
#include "sysemu/runstate.h"
#include "sysemu/reset.h"
#include "monitor/qmp.h"

static AddressSpace *as;
static int resets;
static GString *qmp_out;

static void count_reset(void *opaque)
{
    resets++;
}

static void qmp_write(void *opaque, const char *data, size_t len)
{
    g_string_append_len(qmp_out, data, len);
}

static void test_pass(void)
{
    int status = -1;

    dt_wr32(as, 0, FINISHER_PASS);
    g_assert_true(main_loop_should_exit(&status));
    g_assert_cmpint(status, ==, 0);
    g_assert_null(strstr(qmp_out->str, "SHUTDOWN"));
}

static void test_fail_code(void)
{
    int status = -1;

    dt_wr32(as, 0, (5 << 16) | FINISHER_FAIL);
    g_assert_true(main_loop_should_exit(&status));
    g_assert_cmpint(status, ==, 5);

    /* 16-bit writes are valid too: code 0. */
    address_space_stw_le(as, 0, FINISHER_FAIL, MEMTXATTRS_UNSPECIFIED,
                         NULL);
    g_assert_true(main_loop_should_exit(&status));
    g_assert_cmpint(status, ==, 0);
}

static void test_reset(void)
{
    int status = -1;
    int before = resets;

    g_string_truncate(qmp_out, 0);
    dt_wr32(as, 0, FINISHER_RESET);
    g_assert_false(main_loop_should_exit(&status));
    g_assert_cmpint(resets, ==, before + 1);
    g_assert_nonnull(strstr(qmp_out->str, "\"event\": \"RESET\""));
    g_assert_nonnull(strstr(qmp_out->str, "\"guest\": true"));
    g_assert_nonnull(strstr(qmp_out->str, "\"reason\": \"guest-reset\""));
}

static void test_reset_no_reboot(void)
{
    int status = -1;
    int before = resets;

    /* -no-reboot: the guest's reset becomes a shutdown. */
    no_reboot = true;
    g_string_truncate(qmp_out, 0);
    dt_wr32(as, 0, FINISHER_RESET);
    g_assert_true(main_loop_should_exit(&status));
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpint(resets, ==, before);
    g_assert_nonnull(strstr(qmp_out->str, "\"event\": \"SHUTDOWN\""));
    no_reboot = false;
}

static void test_ignored(void)
{
    int status = -1;
    int before = resets;

    /* Unknown values, other offsets and byte writes change nothing. */
    dt_wr32(as, 0, 0x1234);
    dt_wr32(as, 4, FINISHER_PASS);
    dt_wr8(as, 0, 0x55);
    g_assert_false(main_loop_should_exit(&status));
    g_assert_cmpint(resets, ==, before);
    g_assert_cmphex(dt_rd32(as, 0), ==, 0);
}

int main(int argc, char **argv)
{
    DeviceState *dev;
    QmpSession *qmp;

    dt_init(&argc, &argv);
    dev = sifive_test_create(0x100000);
    as = dt_private_as(SYS_BUS_DEVICE(dev), 0);
    qemu_register_reset(count_reset, NULL);

    qmp_out = g_string_new(NULL);
    qmp = qmp_session_new(qmp_write, NULL);
    qmp_session_start(qmp);
    qmp_session_feed(qmp, "{\"execute\": \"qmp_capabilities\"}\n", 32);
    g_assert_true(qmp_session_is_negotiated(qmp));

    g_test_add_func("/sifive-test/pass", test_pass);
    g_test_add_func("/sifive-test/fail-code", test_fail_code);
    g_test_add_func("/sifive-test/reset", test_reset);
    g_test_add_func("/sifive-test/reset-no-reboot", test_reset_no_reboot);
    g_test_add_func("/sifive-test/ignored", test_ignored);
    return g_test_run();
}
