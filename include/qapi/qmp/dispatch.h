/*
 * dispatch.h: the QMP command registry and the dispatcher of one request.
 *
 * Transport independent: the session layer (monitor/qmp.h) feeds the
 * dispatcher parsed requests and writes its replies.
 *
 * Threads: registration happens at start-up (constructors or init code);
 * dispatch runs commands and so must be called with the big lock held.
 */
#ifndef QAPI_QMP_DISPATCH_H
#define QAPI_QMP_DISPATCH_H

#include "qapi/error.h"
#include "qapi/qmp/qdict.h"

/*
 * A command.  @args is the request's "arguments" (an empty dict when
 * absent), already checked against the command's argument spec, and
 * borrowed for the duration of the call.  On success the command may set
 * *@ret to a new reference (the reply's "return"; left NULL it becomes
 * {}); on failure it sets *@errp, whose class and message become the
 * reply's "error".
 */
typedef void QmpCommandFunc(QDict *args, QObject **ret, Error **errp);

typedef enum QmpCommandOptions {
    QCO_NO_OPTIONS = 0,
    /* May be run with "exec-oob" (it never blocks on the big lock). */
    QCO_ALLOW_OOB = 1 << 0,
} QmpCommandOptions;

/*
 * Register @name.  @args_spec lists the accepted arguments as
 * comma-separated "name:TYPE" entries, with a trailing '?' for optional
 * ones, and a final "*" entry to accept members not listed (passed on
 * unchecked).  TYPE is one of
 *   s  string            i  integer (int64)     u  integer (uint64)
 *   n  number            b  boolean             d  object (any dict)
 *   l  array (any)       o  any value, null included
 *   l(TYPE)              array whose elements all have TYPE
 *   e(a|b|c)             string that must be one of the listed values
 * e.g. "command-line:s,cpu-index:i?" or "device:s,size:i,format:e(utf8|
 * base64)?".  "" accepts no arguments.  A malformed spec or a name
 * registered twice aborts (programming errors).
 *
 * The checks give QEMU's messages: "Parameter 'x' is missing",
 * "Invalid parameter type for 'x', expected: integer", "Parameter 'x'
 * does not accept value 'v'", "Parameter 'x' is unexpected".
 */
void qmp_register_command(const char *name, QmpCommandFunc *fn,
                          const char *args_spec, unsigned options);
void qmp_unregister_command(const char *name);
bool qmp_command_is_registered(const char *name);

/* Check @args against @args_spec as the dispatcher does. */
bool qmp_check_args(const char *args_spec, const QDict *args, Error **errp);

/* Names of the registered commands, in registration order (free with
 * g_ptr_array_unref; the strings are borrowed). */
GPtrArray *qmp_command_names(void);

/* "GenericError", "CommandNotFound", "DeviceNotFound", ... */
const char *qmp_error_class_name(ErrorClass cls);

/*
 * The reply {"error": {"class": ..., "desc": ...}} for @err, which is
 * freed.  @id (borrowed, may be NULL) is echoed first, as QEMU does.
 */
QDict *qmp_error_response(Error *err, QObject *id);

/*
 * Validate and run one request.  @negotiated: capabilities negotiation is
 * complete (before it only qmp_capabilities runs; after it
 * qmp_capabilities is refused).  @allow_oob: the "oob" capability is
 * enabled, so "exec-oob" is accepted.  Always returns a reply (new
 * reference): {"return": ...[, "id": ...]} or {["id": ..., ]"error":
 * ...}.
 */
QDict *qmp_dispatch(QObject *request, bool negotiated, bool allow_oob);

#endif /* QAPI_QMP_DISPATCH_H */
