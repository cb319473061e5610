/*
 * libqtest.h: the client side of qtest, for device and machine tests.
 *
 * A test starts the emulator named by $QTEST_QEMU_BINARY with
 * qtest_init("extra arguments") and then drives it over two sockets:
 * the qtest line protocol (memory, I/O, clock and GPIO commands, see
 * docs/qtest.md) and QMP.  The names and signatures are QEMU's, so a
 * test written for QEMU's libqtest builds against this one.
 *
 * Contracts shared by every function below:
 *  - A QTestState belongs to the thread that created it.
 *  - Any unexpected reply (FAIL, a closed connection, a QMP message that
 *    is not JSON) aborts the test: the emulator is killed first (see
 *    qtest_add_abrt_handler()), so a failed test leaves no process.
 *  - Addresses are guest physical; values are in the guest's byte order
 *    (little-endian on RISC-V) as the device sees them.
 *  - Clock functions return QEMU_CLOCK_VIRTUAL in ns after the command.
 *  - QDicts returned are new references the caller unrefs.
 *
 * Environment: QTEST_QEMU_BINARY (required: the emulator, whose name ends
 * in -system-ARCH), QTEST_LOG (set: protocol and QMP traffic on stderr),
 * QTEST_STOP (set: SIGSTOP the emulator after start, to attach gdb).
 */
#ifndef LIBQTEST_H
#define LIBQTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <glib.h>

#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qstring.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qbool.h"

typedef struct QTestState QTestState;

/* ---- lifecycle ---- */

/*
 * Start the emulator with @extra_args appended to the qtest arguments
 * (-qtest, -qtest-log, the QMP monitor, -display none, -accel qtest),
 * connect both sockets, read the QMP greeting and negotiate
 * capabilities.  @extra_args go through /bin/sh, so quote as in a shell.
 */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
QTestState *qtest_vinitf(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);

/* The same without reading the greeting or sending qmp_capabilities. */
QTestState *qtest_init_without_qmp_handshake(const char *extra_args);

/*
 * Terminate the emulator (SIGTERM, then SIGKILL after a timeout), check
 * that it exited with the expected status (0 unless set below; death by a
 * signal always fails), close the sockets and free @s.
 */
void qtest_quit(QTestState *s);

/* Terminate and reap the emulator and check its status; @s stays valid. */
void qtest_kill_qemu(QTestState *s);

/* Wait for the emulator to exit by itself and check its status. */
void qtest_wait_qemu(QTestState *s);

/*
 * True while the emulator runs; once it has exited, reap it and check
 * its status (like qtest_wait_qemu()) and return false.
 */
bool qtest_probe_child(QTestState *s);

/* The exit status qtest_quit()/qtest_wait_qemu() accept (default 0). */
void qtest_set_expected_status(QTestState *s, int status);

pid_t qtest_pid(QTestState *s);

/*
 * Run @fn(@data) when the test process aborts (a failed assertion), in
 * signal context: only async-signal-safe calls.  qtest_init() uses it to
 * kill the emulator it started.
 */
void qtest_add_abrt_handler(GHookFunc fn, const void *data);
void qtest_remove_abrt_handler(void *data);

/* ---- QMP ---- */

/*
 * Send a QMP command built from @fmt (JSON with single-quoted strings
 * allowed and %s %d %i %u %ld %lld PRId64 %f %p interpolation, see
 * qapi/qmp/qjson.h) and return the reply.  Events received meanwhile are
 * queued for qtest_qmp_eventwait() / qtest_qmp_event_ref().
 */
QDict *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
QDict *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);
void qtest_qmp_send(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
void qtest_qmp_vsend(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);
/* Send printf-formatted text as is (for malformed-input tests). */
void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* Next message that is not an event (events are queued). */
QDict *qtest_qmp_receive(QTestState *s);
/* Next message of any kind, events included (the queue is not used). */
QDict *qtest_qmp_receive_dict(QTestState *s);

/* Wait for event @event and drop it / return it. */
void qtest_qmp_eventwait(QTestState *s, const char *event);
QDict *qtest_qmp_eventwait_ref(QTestState *s, const char *event);
/* Remove and return the first queued event @event, or NULL. */
QDict *qtest_qmp_event_ref(QTestState *s, const char *event);

/*
 * Called for each event as it arrives; return true to drop the event
 * instead of queueing it.
 */
typedef bool (*QTestQMPEventCallback)(QTestState *s, const char *name,
                                      QDict *event, void *opaque);
void qtest_qmp_set_event_callback(QTestState *s, QTestQMPEventCallback cb,
                                  void *opaque);

/* Send a command and assert the reply is a success (has "return"). */
void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* Same, returning a reference to the "return" dict (NULL if not one). */
QDict *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* True if @rsp is an error reply; unrefs @rsp. */
bool qmp_rsp_is_err(QDict *rsp);
/* Assert @rsp is an error of @class with a description; unrefs @rsp. */
void qmp_expect_error_and_unref(QDict *rsp, const char *class);

/* HMP through human-monitor-command; returns the output (caller frees). */
char *qtest_hmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
char *qtest_vhmp(QTestState *s, const char *fmt, va_list ap)
    G_GNUC_PRINTF(2, 0);

/* ---- memory, I/O ports, clock, GPIO ---- */

uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t value);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t value);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value);

/* Byte ranges: hex ("read"/"write") and base64 ("b64read"/"b64write"). */
void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size);
void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern,
                  size_t size);

/* I/O ports (RISC-V has none: reads return all ones). */
uint8_t qtest_inb(QTestState *s, uint16_t addr);
uint16_t qtest_inw(QTestState *s, uint16_t addr);
uint32_t qtest_inl(QTestState *s, uint16_t addr);
void qtest_outb(QTestState *s, uint16_t addr, uint8_t value);
void qtest_outw(QTestState *s, uint16_t addr, uint16_t value);
void qtest_outl(QTestState *s, uint16_t addr, uint32_t value);

/* clock_step to the next VIRTUAL deadline (stays put if none). */
int64_t qtest_clock_step_next(QTestState *s);
int64_t qtest_clock_step(QTestState *s, int64_t step);
int64_t qtest_clock_set(QTestState *s, int64_t val);

/*
 * Intercept the unnamed GPIO inputs / outputs of the device at QOM path
 * @string; afterwards qtest_get_irq(s, n) is the level of line n.
 */
void qtest_irq_intercept_in(QTestState *s, const char *string);
void qtest_irq_intercept_out(QTestState *s, const char *string);
bool qtest_get_irq(QTestState *s, int num);
/* Drive input line @num of GPIO list @name (NULL: the unnamed list). */
void qtest_set_irq_in(QTestState *s, const char *string, const char *name,
                      int num, int level);

/*
 * Machina extension: send one protocol line (printf-formatted, without
 * the newline) and return what the server sent up to and including the
 * reply line, without the final newline: "FAIL Unknown command 'foo'",
 * or "IRQ raise 7\nOK" when an IRQ line came first (such lines are also
 * recorded for qtest_get_irq()).  Caller frees.  For tests of the
 * protocol itself; everything else uses the typed calls above.
 */
char *qtest_raw_command(QTestState *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

bool qtest_big_endian(QTestState *s);

/* ---- test registration and environment ---- */

/* "riscv64" for .../machina-system-riscv64; exits if the variable is unset. */
const char *qtest_get_arch(void);

/* Register "/ARCH/@str" (e.g. /riscv64/numa/...) with GLib's g_test_*. */
void qtest_add_func(const char *str, void (*fn)(void));
void qtest_add_data_func(const char *str, const void *data,
                         void (*fn)(const void *));
void qtest_add_data_func_full(const char *str, void *data,
                              void (*fn)(const void *),
                              GDestroyNotify data_free_func);

#define qtest_add(testpath, Fixture, tdata, fsetup, ftest, fteardown) \
    do { \
        char *path_ = g_strdup_printf("/%s/%s", qtest_get_arch(), \
                                      testpath); \
        g_test_add(path_, Fixture, tdata, fsetup, ftest, fteardown); \
        g_free(path_); \
    } while (0)

/* Whether the emulator knows machine / device type @name. */
bool qtest_has_machine(const char *machine);
bool qtest_has_device(const char *device);

#endif /* LIBQTEST_H */
