/*
 * rtc-base.c: -rtc base= and clock=, the date RTC devices start from.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "sysemu/rtc.h"

#define NS_PER_SEC INT64_C(1000000000)

typedef enum RTCBaseKind {
    RTC_BASE_UTC,
    RTC_BASE_LOCALTIME,
    RTC_BASE_DATETIME,
} RTCBaseKind;

QEMUClockType rtc_clock = QEMU_CLOCK_HOST;

static RTCBaseKind rtc_base_kind = RTC_BASE_UTC;
static int64_t rtc_base_date_s;     /* RTC_BASE_DATETIME */
/* The guest date and rtc_clock's value when the base was fixed. */
static bool rtc_ref_valid;
static int64_t rtc_ref_date_ns;
static int64_t rtc_ref_clock_ns;

/* Host UTC now, or host local time read as if it were UTC. */
static int64_t rtc_host_date_ns(bool local)
{
    int64_t now_ns = get_clock_realtime();
    time_t now_s = now_ns / NS_PER_SEC;
    struct tm tm;

    if (!local) {
        return now_ns;
    }
    localtime_r(&now_s, &tm);
    return (int64_t)timegm(&tm) * NS_PER_SEC + now_ns % NS_PER_SEC;
}

static void rtc_fix_reference(void)
{
    switch (rtc_base_kind) {
    case RTC_BASE_DATETIME:
        rtc_ref_date_ns = rtc_base_date_s * NS_PER_SEC;
        break;
    default:
        rtc_ref_date_ns = rtc_host_date_ns(rtc_base_kind ==
                                           RTC_BASE_LOCALTIME);
        break;
    }
    rtc_ref_clock_ns = qemu_clock_get_ns(rtc_clock);
    rtc_ref_valid = true;
}

int64_t qemu_rtc_now_ns(void)
{
    if (!rtc_ref_valid) {
        rtc_fix_reference();
    }
    return rtc_ref_date_ns + qemu_clock_get_ns(rtc_clock) - rtc_ref_clock_ns;
}

/* "2006-06-17T16:01:21" or "2006-06-17" (QEMU's sscanf formats). */
static bool rtc_parse_date(const char *text, int64_t *date_s, Error **errp)
{
    struct tm tm = { 0 };
    time_t t;

    if (sscanf(text, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon,
               &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        if (sscanf(text, "%d-%d-%d", &tm.tm_year, &tm.tm_mon,
                   &tm.tm_mday) != 3) {
            goto fail;
        }
    }
    tm.tm_year -= 1900;
    tm.tm_mon--;
    t = timegm(&tm);
    if (t == (time_t)-1) {
        goto fail;
    }
    *date_s = t;
    return true;

fail:
    error_setg(errp, "base: invalid datetime format; use utc, localtime, "
               "'2006-06-17T16:01:21' or '2006-06-17'");
    return false;
}

typedef struct RTCOptions {
    RTCBaseKind kind;
    int64_t date_s;
    QEMUClockType clock;
} RTCOptions;

static bool rtc_parse_pair(RTCOptions *o, const char *key, const char *val,
                           Error **errp)
{
    if (!strcmp(key, "base")) {
        if (!strcmp(val, "utc")) {
            o->kind = RTC_BASE_UTC;
            return true;
        } else if (!strcmp(val, "localtime")) {
            o->kind = RTC_BASE_LOCALTIME;
            return true;
        }
        o->kind = RTC_BASE_DATETIME;
        return rtc_parse_date(val, &o->date_s, errp);
    }
    if (!strcmp(key, "clock")) {
        if (!strcmp(val, "host")) {
            o->clock = QEMU_CLOCK_HOST;
        } else if (!strcmp(val, "rt")) {
            o->clock = QEMU_CLOCK_REALTIME;
        } else if (!strcmp(val, "vm")) {
            o->clock = QEMU_CLOCK_VIRTUAL;
        } else {
            error_setg(errp, "clock: invalid option value '%s' (use host, "
                       "rt or vm)", val);
            return false;
        }
        return true;
    }
    if (!strcmp(key, "driftfix")) {
        /* Only x86's mc146818 slews; accepted for compatibility. */
        if (strcmp(val, "none") && strcmp(val, "slew")) {
            error_setg(errp, "driftfix: invalid option value '%s' (use none "
                       "or slew)", val);
            return false;
        }
        return true;
    }
    error_setg(errp, "Invalid parameter '%s'", key);
    return false;
}

bool rtc_parse_option(const char *text, Error **errp)
{
    RTCOptions o = { rtc_base_kind, rtc_base_date_s, rtc_clock };
    g_auto(GStrv) items = g_strsplit(text, ",", -1);

    for (char **it = items; *it; it++) {
        char *eq = strchr(*it, '=');
        g_autofree char *key = g_strndup(*it, eq ? eq - *it : strlen(*it));

        if (!**it) {
            continue;
        }
        if (!rtc_parse_pair(&o, key, eq ? eq + 1 : "on", errp)) {
            return false;
        }
    }
    rtc_base_kind = o.kind;
    rtc_base_date_s = o.date_s;
    rtc_clock = o.clock;
    rtc_fix_reference();
    return true;
}
