/*
 * test-goldfish-rtc.c: -rtc option parsing and the goldfish RTC.
 *
 * Most tests use "-rtc base=DATE,clock=vm": the counter then starts at
 * DATE and follows the manual virtual clock, so every value is exact.
 */
#include "device-test.h"
#include "hw/rtc/goldfish_rtc.h"
#include "sysemu/rtc.h"

#define TIME_LOW        0x00
#define TIME_HIGH       0x04
#define ALARM_LOW       0x08
#define ALARM_HIGH      0x0c
#define IRQ_ENABLED     0x10
#define CLEAR_ALARM     0x14
#define ALARM_STATUS    0x18
#define CLEAR_INTERRUPT 0x1c

#define NS_PER_SEC INT64_C(1000000000)
/* 2006-06-17T16:01:21Z */
#define BASE_S INT64_C(1150560081)

typedef struct RtcFixture {
    DeviceState *dev;
    AddressSpace *as;
    IrqProbe irq;
} RtcFixture;

static void rtc_setup(RtcFixture *f, const char *opt)
{
    static hwaddr next_base = 0x70000000;

    memset(&f->irq, 0, sizeof(f->irq));
    rtc_parse_option(opt, &error_abort);
    f->dev = goldfish_rtc_create(next_base, dt_probe_line(&f->irq, 0));
    next_base += 0x1000;
    f->as = dt_private_as(SYS_BUS_DEVICE(f->dev), 0);
    device_cold_reset(f->dev);
}

static uint64_t rtc_read_time(RtcFixture *f)
{
    uint64_t lo = dt_rd32(f->as, TIME_LOW);

    return lo | (uint64_t)dt_rd32(f->as, TIME_HIGH) << 32;
}

static void test_parse_errors(void)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        { "base=foo", "base: invalid datetime format; use utc, localtime, "
          "'2006-06-17T16:01:21' or '2006-06-17'" },
        { "clock=foo", "clock: invalid option value 'foo' (use host, rt or "
          "vm)" },
        { "driftfix=foo", "driftfix: invalid option value 'foo' (use none "
          "or slew)" },
        { "foo=1", "Invalid parameter 'foo'" },
        { "base=utc,bar", "Invalid parameter 'bar'" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Error *err = NULL;

        g_assert_false(rtc_parse_option(cases[i].text, &err));
        g_assert_cmpstr(error_get_pretty(err), ==, cases[i].msg);
        error_free(err);
    }
    g_assert_true(rtc_parse_option("base=2006-06-17,clock=rt,driftfix=slew",
                                   &error_abort));
    g_assert_true(rtc_parse_option("base=utc,clock=host", &error_abort));
}

static void test_time_from_base(void)
{
    RtcFixture f;

    rtc_setup(&f, "base=2006-06-17T16:01:21,clock=vm");
    g_assert_cmpuint(rtc_read_time(&f), ==, BASE_S * NS_PER_SEC);
    dt_step_ns(1234567);
    g_assert_cmpuint(rtc_read_time(&f), ==, BASE_S * NS_PER_SEC + 1234567);
}

static void test_time_latch(void)
{
    RtcFixture f;
    uint64_t lo, hi;

    rtc_setup(&f, "base=2006-06-17T16:01:21,clock=vm");

    /* The high half read after LOW is the one latched by LOW. */
    lo = dt_rd32(f.as, TIME_LOW);
    dt_step_ns(INT64_C(1) << 33);
    hi = dt_rd32(f.as, TIME_HIGH);
    g_assert_cmpuint(lo | hi << 32, ==, BASE_S * NS_PER_SEC);
    g_assert_cmpuint(rtc_read_time(&f), ==,
                     BASE_S * NS_PER_SEC + (INT64_C(1) << 33));
}

static void test_time_write(void)
{
    RtcFixture f;

    rtc_setup(&f, "base=2006-06-17,clock=vm");
    g_assert_cmpuint(rtc_read_time(&f), ==,
                     (BASE_S - (16 * 3600 + 60 + 21)) * NS_PER_SEC);

    /* Setting the time: high half, then low half. */
    dt_wr32(f.as, TIME_HIGH, 0x12);
    dt_wr32(f.as, TIME_LOW, 0x34);
    g_assert_cmpuint(rtc_read_time(&f), ==, 0x1200000034ULL);
    dt_step_ns(10);
    g_assert_cmpuint(rtc_read_time(&f), ==, 0x120000003eULL);
}

static void test_alarm(void)
{
    RtcFixture f;
    uint64_t at;

    rtc_setup(&f, "base=2006-06-17T16:01:21,clock=vm");
    dt_wr32(f.as, IRQ_ENABLED, 1);
    at = rtc_read_time(&f) + 5000;
    dt_wr32(f.as, ALARM_HIGH, at >> 32);
    dt_wr32(f.as, ALARM_LOW, (uint32_t)at);
    g_assert_cmphex(dt_rd32(f.as, ALARM_STATUS), ==, 1);
    g_assert_cmphex(dt_rd32(f.as, ALARM_LOW), ==, (uint32_t)at);

    /* Fires exactly at the alarm time. */
    dt_step_ns(4999);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(1);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    g_assert_cmphex(dt_rd32(f.as, ALARM_STATUS), ==, 0);

    /* The interrupt stays until cleared; IRQ_ENABLED gates it. */
    dt_wr32(f.as, IRQ_ENABLED, 0);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_wr32(f.as, IRQ_ENABLED, 1);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    dt_wr32(f.as, CLEAR_INTERRUPT, 1);
    g_assert_cmpint(f.irq.level[0], ==, 0);
}

static void test_alarm_past_and_clear(void)
{
    RtcFixture f;
    uint64_t now;

    rtc_setup(&f, "base=2006-06-17T16:01:21,clock=vm");
    dt_wr32(f.as, IRQ_ENABLED, 1);
    now = rtc_read_time(&f);

    /* An alarm in the past fires at once. */
    dt_wr32(f.as, ALARM_HIGH, now >> 32);
    dt_wr32(f.as, ALARM_LOW, (uint32_t)now - 1);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    g_assert_cmphex(dt_rd32(f.as, ALARM_STATUS), ==, 0);
    dt_wr32(f.as, CLEAR_INTERRUPT, 1);

    /* CLEAR_ALARM disarms a pending one. */
    dt_wr32(f.as, ALARM_LOW, (uint32_t)now + 100);
    g_assert_cmphex(dt_rd32(f.as, ALARM_STATUS), ==, 1);
    dt_wr32(f.as, CLEAR_ALARM, 1);
    g_assert_cmphex(dt_rd32(f.as, ALARM_STATUS), ==, 0);
    dt_step_ns(1000);
    g_assert_cmpint(f.irq.level[0], ==, 0);
}

static void test_base_utc_localtime(void)
{
    int64_t host_ns = g_get_real_time() * 1000;
    RtcFixture utc, local;
    int64_t diff;

    /* Host clock: close to the host's wall clock. */
    rtc_setup(&utc, "base=utc,clock=host");
    diff = (int64_t)rtc_read_time(&utc) - host_ns;
    g_assert_cmpint(llabs(diff), <, 5 * NS_PER_SEC);

    /* localtime = UTC + the zone's offset (here 3 hours east). */
    setenv("TZ", "XYZ-3", 1);
    tzset();
    rtc_setup(&local, "base=localtime,clock=host");
    diff = (int64_t)rtc_read_time(&local) - (int64_t)rtc_read_time(&utc);
    g_assert_cmpint(llabs(diff - 3 * 3600 * NS_PER_SEC), <,
                    5 * NS_PER_SEC);
}

static void test_bad_offsets(void)
{
    RtcFixture f;

    rtc_setup(&f, "base=2006-06-17,clock=vm");
    g_assert_cmphex(dt_rd32(f.as, 0x20), ==, 0);
    g_assert_cmphex(dt_rd32(f.as, CLEAR_ALARM), ==, 0);
    dt_wr32(f.as, 0x20, 1);
    /* Byte accesses are refused. */
    g_assert_cmphex(dt_rd8(f.as, TIME_LOW), ==, 0);
}

int main(int argc, char **argv)
{
    dt_init(&argc, &argv);
    g_test_add_func("/goldfish-rtc/parse-errors", test_parse_errors);
    g_test_add_func("/goldfish-rtc/time-from-base", test_time_from_base);
    g_test_add_func("/goldfish-rtc/time-latch", test_time_latch);
    g_test_add_func("/goldfish-rtc/time-write", test_time_write);
    g_test_add_func("/goldfish-rtc/alarm", test_alarm);
    g_test_add_func("/goldfish-rtc/alarm-past-and-clear",
                    test_alarm_past_and_clear);
    g_test_add_func("/goldfish-rtc/base-utc-localtime",
                    test_base_utc_localtime);
    g_test_add_func("/goldfish-rtc/bad-offsets", test_bad_offsets);
    return g_test_run();
}
