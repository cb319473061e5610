/*
 * error-report.h: messages for the human at the terminal.
 *
 * Every message is one line on stderr, prefixed with the program name and,
 * while a command-line option is being processed, with that option's text
 * ("machina-system-riscv64: -numa node,cpus=9: CPU index (9) ...").  Use
 * error_report() for failures, warn_report() for things that still work,
 * info_report() for plain information.  Guest misbehaviour goes to
 * qemu_log_mask(LOG_GUEST_ERROR, ...) instead (see qemu/log.h).
 *
 * Not thread-safe with respect to the location stack; the messages
 * themselves may be printed from any thread.
 */
#ifndef QEMU_ERROR_REPORT_H
#define QEMU_ERROR_REPORT_H

/*
 * Location: the option text being processed, for the message prefix.
 * Push one before handling an option and pop it afterwards.
 */
typedef struct Location {
    const char *text;           /* e.g. "-numa node,cpus=9"; not owned */
    struct Location *prev;
} Location;

void loc_push(Location *loc, const char *text);
void loc_pop(Location *loc);
/* Set or clear the text of the innermost location (NULL clears). */
void loc_set_text(const char *text);
const char *loc_get_text(void);

/* Program name used as the message prefix; defaults to g_get_prgname(). */
void error_set_progname(const char *name);
const char *error_get_progname(void);

void error_vreport(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
void warn_vreport(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);
void info_vreport(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);

void error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void info_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

/* Print without any prefix (for multi-line help text and the like). */
void error_printf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void error_vprintf(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);

#endif /* QEMU_ERROR_REPORT_H */
