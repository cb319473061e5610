/*
 * error.c: the Error object (see qapi/error.h for the rules).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"

struct Error {
    char *msg;
    ErrorClass err_class;
    const char *src;            /* where it was set, for &error_abort */
    const char *func;
    int line;
    GString *hint;
};

/* Sentinels: their addresses are compared, their values never used. */
Error *error_fatal;
Error *error_abort;

static void error_handle(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(stderr, "Unexpected error in %s() at %s:%d:\n",
                err->func, err->src, err->line);
        error_report("%s", err->msg);
        abort();
    }
    if (errp == &error_fatal) {
        error_report_err(err);
        exit(1);
    }
    if (!errp) {
        error_free(err);
        return;
    }
    assert(*errp == NULL);
    *errp = err;
}

static void error_setv(Error **errp, const char *src, int line,
                       const char *func, ErrorClass cls,
                       const char *fmt, va_list ap, const char *suffix)
{
    Error *err;

    if (!errp) {
        return;
    }
    err = g_new0(Error, 1);
    err->msg = g_strdup_vprintf(fmt, ap);
    if (suffix) {
        char *full = g_strconcat(err->msg, ": ", suffix, NULL);

        g_free(err->msg);
        err->msg = full;
    }
    err->err_class = cls;
    err->src = src;
    err->line = line;
    err->func = func;
    error_handle(errp, err);
}

void error_setg_internal(Error **errp, const char *src, int line,
                         const char *func, ErrorClass cls,
                         const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, src, line, func, cls, fmt, ap, NULL);
    va_end(ap);
}

void error_setg_errno_internal(Error **errp, const char *src, int line,
                               const char *func, int os_errno,
                               const char *fmt, ...)
{
    int saved_errno = errno;
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, src, line, func, ERROR_CLASS_GENERIC_ERROR, fmt, ap,
               os_errno ? g_strerror(os_errno) : NULL);
    va_end(ap);
    errno = saved_errno;
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

ErrorClass error_get_class(const Error *err)
{
    return err->err_class;
}

void error_append_hint(Error *const *errp, const char *fmt, ...)
{
    va_list ap;
    Error *err;

    if (!errp || errp == &error_fatal || errp == &error_abort || !*errp) {
        return;
    }
    err = *errp;
    if (!err->hint) {
        err->hint = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf(err->hint, fmt, ap);
    va_end(ap);
}

static void error_vprepend(Error *const *errp, const char *fmt, va_list ap)
{
    Error *err;
    char *prefix, *full;

    if (!errp || !*errp) {
        return;
    }
    err = *errp;
    prefix = g_strdup_vprintf(fmt, ap);
    full = g_strconcat(prefix, err->msg, NULL);
    g_free(prefix);
    g_free(err->msg);
    err->msg = full;
}

void error_prepend(Error *const *errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vprepend(errp, fmt, ap);
    va_end(ap);
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (!local_err) {
        return;
    }
    if (dst_errp && dst_errp != &error_abort && dst_errp != &error_fatal
        && *dst_errp) {
        /* The first error wins; later ones are dropped. */
        error_free(local_err);
        return;
    }
    error_handle(dst_errp, local_err);
}

void error_propagate_prepend(Error **dst_errp, Error *local_err,
                             const char *fmt, ...)
{
    va_list ap;

    if (local_err) {
        va_start(ap, fmt);
        error_vprepend(&local_err, fmt, ap);
        va_end(ap);
    }
    error_propagate(dst_errp, local_err);
}

Error *error_copy(const Error *err)
{
    Error *copy = g_new0(Error, 1);

    copy->msg = g_strdup(err->msg);
    copy->err_class = err->err_class;
    copy->src = err->src;
    copy->line = err->line;
    copy->func = err->func;
    if (err->hint) {
        copy->hint = g_string_new(err->hint->str);
    }
    return copy;
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        if (err->hint) {
            g_string_free(err->hint, TRUE);
        }
        g_free(err);
    }
}

void error_free_or_abort(Error **errp)
{
    assert(errp && *errp);
    error_free(*errp);
    *errp = NULL;
}

void error_report_err(Error *err)
{
    error_report("%s", err->msg);
    if (err->hint) {
        error_printf("%s", err->hint->str);
    }
    error_free(err);
}

void warn_report_err(Error *err)
{
    warn_report("%s", err->msg);
    if (err->hint) {
        error_printf("%s", err->hint->str);
    }
    error_free(err);
}
