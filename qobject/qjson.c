/*
 * qjson.c: one-shot parsing of a JSON text or format string.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/json-parser.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qjson.h"

typedef struct JSONParsingState {
    JSONMessageParser parser;
    QObject *result;
    Error *err;
} JSONParsingState;

static void consume_json(void *opaque, QObject *json, Error *err)
{
    JSONParsingState *s = opaque;

    /* Keep the first error, or complain about a second value. */
    if (s->result || s->err) {
        qobject_unref(json);
        if (!s->err) {
            qobject_unref(s->result);
            s->result = NULL;
            error_setg(&s->err, "Expecting at most one JSON value");
        }
        error_free(err);
        return;
    }
    s->result = json;
    s->err = err;
}

static QObject *qobject_from_jsonv(const char *string, va_list *ap,
                                   Error **errp)
{
    JSONParsingState s = { 0 };

    json_message_parser_init(&s.parser, consume_json, &s, ap);
    json_message_parser_feed(&s.parser, string, strlen(string));
    json_message_parser_flush(&s.parser);
    json_message_parser_destroy(&s.parser);

    if (s.err) {
        qobject_unref(s.result);
        error_propagate(errp, s.err);
        return NULL;
    }
    return s.result;
}

QObject *qobject_from_json(const char *string, Error **errp)
{
    return qobject_from_jsonv(string, NULL, errp);
}

QObject *qobject_from_vjsonf_nofail(const char *fmt, va_list ap)
{
    va_list ap_copy;
    QObject *obj;

    /* A va_list parameter cannot be passed on by address portably. */
    va_copy(ap_copy, ap);
    obj = qobject_from_jsonv(fmt, &ap_copy, &error_abort);
    va_end(ap_copy);

    assert(obj);
    return obj;
}

QObject *qobject_from_jsonf_nofail(const char *fmt, ...)
{
    QObject *obj;
    va_list ap;

    va_start(ap, fmt);
    obj = qobject_from_vjsonf_nofail(fmt, ap);
    va_end(ap);
    return obj;
}

QDict *qdict_from_vjsonf_nofail(const char *fmt, va_list ap)
{
    QDict *dict = qobject_to(QDict, qobject_from_vjsonf_nofail(fmt, ap));

    assert(dict);
    return dict;
}

QDict *qdict_from_jsonf_nofail(const char *fmt, ...)
{
    QDict *dict;
    va_list ap;

    va_start(ap, fmt);
    dict = qdict_from_vjsonf_nofail(fmt, ap);
    va_end(ap);
    return dict;
}
