/*
 * qjson.h: convert between QObjects and JSON text.
 *
 * Input follows RFC 8259 plus two QEMU extensions: strings may be
 * single-quoted ('it\'s'), and the "f" variants interpolate C values
 * where the format text has a conversion (see below).
 *
 * Interpolation (format strings written by programmers, never input from
 * outside): %d -> int; %i -> bool (an int argument, as QEMU); %u ->
 * unsigned; %ld %li %lu, %lld %lli %llu
 * (and so PRId64 / PRIu64) -> the matching integer; %f -> double;
 * %s -> const char * copied into a QString; %p -> a QObject * whose
 * reference the result takes over.  Inside a string literal of the
 * format, "%%" stands for one '%', and a lone '%' is an error.
 */
#ifndef QAPI_QMP_QJSON_H
#define QAPI_QMP_QJSON_H

#include "qapi/error.h"
#include "qapi/qmp/qobject.h"

/*
 * Parse exactly one JSON value.  Returns NULL with *errp set on a syntax
 * error or when @string holds more than one value; returns NULL without
 * an error when @string holds only whitespace.
 */
QObject *qobject_from_json(const char *string, Error **errp);

/* Parse @fmt with interpolation; the format must be valid (else abort). */
QObject *qobject_from_jsonf_nofail(const char *fmt, ...);
QObject *qobject_from_vjsonf_nofail(const char *fmt, va_list ap);
/* As above, and the value must be a JSON object. */
QDict *qdict_from_jsonf_nofail(const char *fmt, ...);
QDict *qdict_from_vjsonf_nofail(const char *fmt, va_list ap);

/*
 * Serialise @obj.  The compact form puts ", " between members and ": "
 * after keys, as QEMU's QMP output does; the pretty form indents by four
 * spaces with one member per line.  Output is pure ASCII: characters
 * outside it are written as \uXXXX escapes.  The caller frees the result
 * with g_string_free().
 */
GString *qobject_to_json(const QObject *obj);
GString *qobject_to_json_pretty(const QObject *obj, bool pretty);

#endif /* QAPI_QMP_QJSON_H */
