/*
 * qmp.h: QMP sessions and events, independent of the transport.
 *
 * A session is one QMP conversation: the transport (a chardev front end,
 * a test) feeds it the bytes it receives and gets back, through the write
 * callback, the greeting, the replies and the events, each one JSON
 * object terminated by "\r\n" as QEMU writes them.
 *
 *     s = qmp_session_new(my_write, my_chardev);
 *     qmp_session_start(s);             -- on connect: writes the greeting
 *     qmp_session_feed(s, buf, len);    -- for each chunk received
 *     qmp_session_free(s);              -- on disconnect
 *
 * Requests are handled synchronously inside qmp_session_feed(): a
 * command runs and its reply is written before feed returns, after any
 * event the command emitted.  Malformed input, over-limit messages and
 * wrong arguments get error replies; the session stays usable.
 *
 * Threads and locks: every function here (and every command and event)
 * runs with the big lock held; the main-loop fd handlers that call them
 * hold it already, other threads take it first.
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include "qapi/qmp/qdict.h"

typedef struct QmpSession QmpSession;

/*
 * Transport output.  Must accept all @len bytes (buffer them if the peer
 * is slow); must not free the session (qmp_session_free() defers itself
 * when called from inside a callback, but the transport should rather
 * notice a dead peer on its read side).
 */
typedef void QmpSessionWriteFunc(void *opaque, const char *data, size_t len);

QmpSession *qmp_session_new(QmpSessionWriteFunc *write, void *opaque);
/* Pretty-printed output (-mon ...,pretty=on): indented, lines "\r\n". */
void qmp_session_set_pretty(QmpSession *s, bool pretty);
/* Write the greeting; the session then waits for qmp_capabilities. */
void qmp_session_start(QmpSession *s);
/* Bytes from the peer, split anywhere. */
void qmp_session_feed(QmpSession *s, const void *buf, size_t len);
/* Capabilities negotiation done: the session receives events. */
bool qmp_session_is_negotiated(const QmpSession *s);
/*
 * Close the session (no more output).  Safe to call from a command or
 * the write callback: the memory is then released when the current
 * qmp_session_feed() returns.
 */
void qmp_session_free(QmpSession *s);

/*
 * Send the event @name, with the member "data" if @data is not NULL, to
 * every negotiated session, stamped with the host wall-clock time:
 * {"timestamp": {"seconds": S, "microseconds": U}, "event": "NAME",
 * "data": {...}}.  Takes over the reference to @data.  Synchronous: when
 * called from a command, the event precedes that command's reply.
 */
void qapi_event_emit(const char *name, QDict *data);

/* {"qemu": {"micro": M, "minor": m, "major": M}, "package": "..."} */
QDict *qmp_version_info(void);

#endif /* MONITOR_QMP_H */
