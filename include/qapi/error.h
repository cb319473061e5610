/*
 * error.h: the Error object for functions that can fail.
 *
 * Convention (configuration, realize, backends, option handling):
 *  - the failing function takes "Error **errp" as its last parameter and
 *    returns bool (true on success) or a pointer (NULL on failure);
 *  - on failure it sets *errp exactly once with error_setg(); on success it
 *    leaves *errp alone;
 *  - callers pass NULL to ignore the error, &error_fatal to report it and
 *    exit(1), or &error_abort when failure is a programming error;
 *  - an error received from a callee is passed up with error_propagate()
 *    or reported with error_report_err(), which also frees it.
 * Messages are one line, written for the user: name the option or property,
 * what was wrong, and what is allowed.  No trailing newline or period.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
    ERROR_CLASS_KVM_MISSING_CAP,
} ErrorClass;

typedef struct Error Error;

extern Error *error_fatal;
extern Error *error_abort;

#define error_setg(errp, fmt, ...) \
    error_setg_internal((errp), __FILE__, __LINE__, __func__, \
                        ERROR_CLASS_GENERIC_ERROR, (fmt), ## __VA_ARGS__)
#define error_set(errp, cls, fmt, ...) \
    error_setg_internal((errp), __FILE__, __LINE__, __func__, \
                        (cls), (fmt), ## __VA_ARGS__)
/* Like error_setg(), with ": strerror(os_errno)" appended. */
#define error_setg_errno(errp, os_errno, fmt, ...) \
    error_setg_errno_internal((errp), __FILE__, __LINE__, __func__, \
                              (os_errno), (fmt), ## __VA_ARGS__)

void error_setg_internal(Error **errp, const char *src, int line,
                         const char *func, ErrorClass cls,
                         const char *fmt, ...) G_GNUC_PRINTF(6, 7);
void error_setg_errno_internal(Error **errp, const char *src, int line,
                               const char *func, int os_errno,
                               const char *fmt, ...) G_GNUC_PRINTF(6, 7);

const char *error_get_pretty(const Error *err);
ErrorClass error_get_class(const Error *err);
/* Extra text printed after the message by error_report_err(). */
void error_append_hint(Error *const *errp, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Prepend text to the message: "PREFIX" + old message. */
void error_prepend(Error *const *errp, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* Move @local_err into @dst_errp (or handle fatal/abort/NULL). */
void error_propagate(Error **dst_errp, Error *local_err);
/* Like error_propagate() with a prefix added to the message. */
void error_propagate_prepend(Error **dst_errp, Error *local_err,
                             const char *fmt, ...) G_GNUC_PRINTF(3, 4);
Error *error_copy(const Error *err);
void error_free(Error *err);
void error_free_or_abort(Error **errp);

/* Print with error_report() (so with the option prefix) and free. */
void error_report_err(Error *err);
void warn_report_err(Error *err);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Error, error_free)

/*
 * ERRP_GUARD(): lets a function dereference errp safely even when the
 * caller passed NULL or &error_fatal.  Not needed here because callers in
 * Machina check return values; kept for code written in QEMU's style.
 */
#define ERRP_GUARD() do { } while (0)

#endif /* QAPI_ERROR_H */
