/*
 * qtest.h: the qtest accelerator and the qtest protocol server.
 *
 * qtest lets a test program drive the machine's devices over a chardev
 * with a line protocol (docs/qtest.md) while no guest code runs, and
 * move the virtual clock by exact amounts.  Two independent pieces:
 *
 *  - the accelerator (-accel qtest, -machine accel=qtest): no vCPU runs
 *    guest code, the VM is "running" from the start, and
 *    QEMU_CLOCK_VIRTUAL is a manual counter starting at 0 that only the
 *    protocol's clock_step / clock_set move;
 *  - the server (-qtest CHARDEV, -qtest-log FILE|none): a chardev front
 *    end that executes one command per line in the main thread with the
 *    big lock held, so commands are serialised with device callbacks and
 *    timers.  It also works without the accelerator (under TCG with -S),
 *    but then clock_step and clock_set are unknown commands, as in QEMU.
 *
 * Everything here runs in the main thread with the big lock held.
 */
#ifndef SYSEMU_QTEST_H
#define SYSEMU_QTEST_H

#include "qapi/error.h"

/*
 * True once qtest_accel_init() ran: vl.c must then start no vCPU thread
 * that runs guest code, and put the VM in "running" without -S.
 * Any thread (the flag is set once, before any vCPU exists).
 */
bool qtest_enabled(void);

/*
 * Select the qtest accelerator: switch QEMU_CLOCK_VIRTUAL to the manual
 * counter (at 0).  Call once, while parsing -accel / -machine accel=,
 * before the machine and its devices (and their timers) are created.
 */
void qtest_accel_init(void);

/*
 * Start the protocol server on @chardev_spec, a legacy chardev spec as
 * -qtest takes it: "unix:PATH" (connect to a socket the test listens
 * on), "unix:PATH,server=on,wait=off", "tcp:HOST:PORT[,...]", "stdio".
 * @qtest_log: NULL = log the protocol to stderr, "none" = no log, else a
 * file to (over)write.  Only one server per process.  Returns false with
 * @errp set (naming the option) when the chardev or the log cannot be
 * opened or a server already exists.
 */
bool qtest_server_init(const char *chardev_spec, const char *qtest_log,
                       Error **errp);

/* True if qtest_server_init() succeeded (a test drives the machine). */
bool qtest_driver(void);

#endif /* SYSEMU_QTEST_H */
