/*
 * rtc.h: the guest's wall clock (-rtc base=...,clock=...).
 *
 * RTC devices read the date the guest should see from
 * qemu_rtc_now_ns() once (at realize) and then follow rtc_clock.  The
 * command line calls rtc_parse_option() for each -rtc before machine
 * creation.  Big lock held (or before the main loop starts).
 */
#ifndef SYSEMU_RTC_H
#define SYSEMU_RTC_H

#include "qemu/timer.h"

/* The clock RTCs run on: host (default), rt or vm (-rtc clock=). */
extern QEMUClockType rtc_clock;

/*
 * Apply "-rtc" text: base=utc|localtime|YYYY-MM-DD[THH:MM:SS],
 * clock=host|rt|vm, driftfix=none|slew (accepted, no effect on RISC-V).
 * Errors are QEMU 7.2's: "Invalid parameter 'KEY'", "invalid option
 * value 'V'", "invalid datetime format" (with a hint listing the
 * formats).  On error nothing is changed.
 */
bool rtc_parse_option(const char *text, Error **errp);

/*
 * The guest's date now, in ns since 1970-01-01 00:00 UTC: the base
 * (host UTC or local time, or the given date, taken when configured)
 * plus the time rtc_clock has run since.
 */
int64_t qemu_rtc_now_ns(void);

#endif /* SYSEMU_RTC_H */
