/*
 * qmp-session.c: QMP conversations over any byte transport, events, and
 * the commands that belong to the protocol itself (qmp_capabilities,
 * query-version, query-commands).
 */
#include "qemu/osdep.h"
#include "monitor/qmp.h"
#include "qapi/qmp/dispatch.h"
#include "qapi/qmp/json-parser.h"
#include "qapi/qmp/qjson.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qstring.h"

struct QmpSession {
    JSONMessageParser parser;
    QmpSessionWriteFunc *write;
    void *opaque;
    bool pretty;
    bool negotiated;
    bool oob_enabled;
    bool closed;            /* qmp_session_free() called */
    int feeding;            /* nesting depth of qmp_session_feed() */
    QmpSession *next;       /* in qmp_sessions */
};

/* Every open session, for events.  Protected by the big lock. */
static QmpSession *qmp_sessions;

/* The session whose request is being run, for qmp_capabilities. */
static QmpSession *qmp_cur_session;

/* One JSON object and "\r\n"; pretty output gets "\r\n" on every line. */
static void qmp_session_send(QmpSession *s, QDict *msg)
{
    GString *json = qobject_to_json_pretty(QOBJECT(msg), s->pretty);
    GString *out;

    if (s->closed) {
        g_string_free(json, TRUE);
        return;
    }
    if (s->pretty) {
        out = g_string_sized_new(json->len + 64);
        for (const char *p = json->str; *p; p++) {
            if (*p == '\n') {
                g_string_append_c(out, '\r');
            }
            g_string_append_c(out, *p);
        }
        g_string_free(json, TRUE);
    } else {
        out = json;
    }
    g_string_append(out, "\r\n");
    s->write(s->opaque, out->str, out->len);
    g_string_free(out, TRUE);
}

static void qmp_session_handle(void *opaque, QObject *req, Error *err)
{
    QmpSession *s = opaque;
    QmpSession *prev = qmp_cur_session;
    QDict *resp;

    /* Closed by an earlier request of the same chunk: run nothing more. */
    if (s->closed) {
        qobject_unref(req);
        error_free(err);
        return;
    }
    if (err) {
        resp = qmp_error_response(err, NULL);
    } else {
        qmp_cur_session = s;
        resp = qmp_dispatch(req, s->negotiated, s->oob_enabled);
        qmp_cur_session = prev;
        qobject_unref(req);
    }
    qmp_session_send(s, resp);
    qobject_unref(resp);
}

QmpSession *qmp_session_new(QmpSessionWriteFunc *write, void *opaque)
{
    QmpSession *s = g_new0(QmpSession, 1);

    s->write = write;
    s->opaque = opaque;
    json_message_parser_init(&s->parser, qmp_session_handle, s, NULL);
    s->next = qmp_sessions;
    qmp_sessions = s;
    return s;
}

void qmp_session_set_pretty(QmpSession *s, bool pretty)
{
    s->pretty = pretty;
}

QDict *qmp_version_info(void)
{
    int major = 0, minor = 0, micro = 0;
    QDict *qemu = qdict_new();
    QDict *info = qdict_new();

    sscanf(MACHINA_VERSION, "%d.%d.%d", &major, &minor, &micro);
    qdict_put_int(qemu, "micro", micro);
    qdict_put_int(qemu, "minor", minor);
    qdict_put_int(qemu, "major", major);
    qdict_put(info, "qemu", qemu);
    qdict_put_str(info, "package", "Machina " MACHINA_VERSION);
    return info;
}

void qmp_session_start(QmpSession *s)
{
    QDict *greeting = qdict_new();
    QDict *qmp = qdict_new();
    QList *caps = qlist_new();

    qlist_append_str(caps, "oob");
    qdict_put(qmp, "version", qmp_version_info());
    qdict_put(qmp, "capabilities", caps);
    qdict_put(greeting, "QMP", qmp);
    qmp_session_send(s, greeting);
    qobject_unref(greeting);
}

static void qmp_session_release(QmpSession *s)
{
    QmpSession **p;

    for (p = &qmp_sessions; *p; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            break;
        }
    }
    json_message_parser_destroy(&s->parser);
    g_free(s);
}

void qmp_session_feed(QmpSession *s, const void *buf, size_t len)
{
    s->feeding++;
    if (!s->closed) {
        json_message_parser_feed(&s->parser, buf, len);
    }
    s->feeding--;

    /* Freed from inside a command or callback: finish the job now. */
    if (s->closed && !s->feeding) {
        qmp_session_release(s);
    }
}

bool qmp_session_is_negotiated(const QmpSession *s)
{
    return s->negotiated;
}

void qmp_session_free(QmpSession *s)
{
    if (!s) {
        return;
    }
    s->closed = true;
    if (!s->feeding) {
        qmp_session_release(s);
    }
}

void qapi_event_emit(const char *name, QDict *data)
{
    gint64 now_us = g_get_real_time();
    QDict *event = qdict_new();
    QDict *timestamp = qdict_new();
    QmpSession *s;

    qdict_put_int(timestamp, "seconds", now_us / G_USEC_PER_SEC);
    qdict_put_int(timestamp, "microseconds", now_us % G_USEC_PER_SEC);
    qdict_put(event, "timestamp", timestamp);
    qdict_put_str(event, "event", name);
    if (data) {
        qdict_put(event, "data", data);
    }

    for (s = qmp_sessions; s; s = s->next) {
        if (s->negotiated) {
            qmp_session_send(s, event);
        }
    }
    qobject_unref(event);
}

/* --- Protocol commands --- */

static void qmp_capabilities(QDict *args, QObject **ret, Error **errp)
{
    QmpSession *s = qmp_cur_session;
    QList *enable = qdict_get_qlist(args, "enable");

    if (!s) {
        error_setg(errp, "qmp_capabilities is only valid in a QMP session");
        return;
    }
    /* The spec admits only "oob", so any entry enables it. */
    s->oob_enabled = enable && !qlist_empty(enable);
    s->negotiated = true;
}

static void qmp_query_version(QDict *args, QObject **ret, Error **errp)
{
    *ret = QOBJECT(qmp_version_info());
}

static void qmp_query_commands(QDict *args, QObject **ret, Error **errp)
{
    GPtrArray *names = qmp_command_names();
    QList *list = qlist_new();
    guint i;

    for (i = 0; i < names->len; i++) {
        QDict *info = qdict_new();

        qdict_put_str(info, "name", g_ptr_array_index(names, i));
        qlist_append(list, info);
    }
    g_ptr_array_unref(names);
    *ret = QOBJECT(list);
}

static void __attribute__((constructor)) qmp_session_register_commands(void)
{
    qmp_register_command("qmp_capabilities", qmp_capabilities,
                         "enable:l(e(oob))?", QCO_NO_OPTIONS);
    qmp_register_command("query-version", qmp_query_version, "",
                         QCO_NO_OPTIONS);
    qmp_register_command("query-commands", qmp_query_commands, "",
                         QCO_NO_OPTIONS);
}
