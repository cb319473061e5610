/*
 * main-loop.h: the main loop, its fd handlers and the big lock.
 *
 * The main loop is GLib's default GMainContext, iterated by
 * main_loop_wait().  The main AioContext is attached to it as a GSource:
 * it holds the bottom halves from qemu_bh_new(), the qemu_set_fd_handler()
 * handlers and aio_* users (QEMU puts fd handlers in a second "iohandler"
 * context; here iohandler_get_aio_context() returns the same one, because
 * Machina has no nested aio_poll() to keep them away from, and one source
 * less makes every iteration cheaper).  Because it is GLib's
 * default context, plain GLib sources (g_idle_add(), g_timeout_add(),
 * GIOChannel watches, g_child_watch_add()) run in the same loop.
 *
 * Threads and locks:
 *  - The main thread holds the big lock ("BQL", iothread mutex) at all
 *    times except while main_loop_wait() sleeps in poll, so every fd
 *    handler, timer callback, bottom half and GLib source of the main loop
 *    runs with it held.
 *  - qemu_bh_schedule() is wait-free, thread-safe and signal-safe;
 *    qemu_notify_event(), timer_mod() and timer_del() are thread-safe.
 *    Everything else here needs the big lock.
 *  - The big lock is the outermost lock: take it before any other.
 *
 * Left out on purpose: QEMU's Windows-only functions
 * (qemu_add_wait_object(), qemu_del_wait_object(), qemu_fd_register()'s
 * WSAEventSelect work, the Win32 polling notifiers) have no POSIX meaning
 * and are not declared.
 */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include "block/aio.h"

typedef struct Error Error;

/*
 * Create the main loop's AioContexts and attach them to GLib's default
 * context, which the calling thread then owns (g_main_context_acquire())
 * for good: only it may iterate the loop, and g_main_context_invoke()
 * from other threads always queues to it.  Call once from the main
 * thread before other threads start and before anything else in this
 * header.  Returns 0, or -1 with @errp set.
 * The caller then takes the big lock (qemu_mutex_lock_iothread()) and
 * keeps it in the main thread.
 */
int qemu_init_main_loop(Error **errp);

/*
 * One iteration of the main loop.  The thread that called
 * qemu_init_main_loop(), big lock held.
 *  1. GLib prepare: every source (the AioContext included) reports the
 *     fds it waits for and a timeout; a scheduled BH makes it 0, an idle
 *     BH at most 10 ms.  @nonblocking forces 0.
 *  2. The timeout is the soonest of those and of the main-loop timers'
 *     deadlines, in ns.
 *  3. The big lock is released, ppoll() waits with ns precision, the
 *     lock is taken again.
 *  4. GLib check + dispatch: each ready source runs; an AioContext runs
 *     its BHs, then its ready fd handlers, then its expired timers.
 *  5. Expired main-loop timers (timer_new_*()) run, clock by clock.
 */
void main_loop_wait(int nonblocking);

/* The main AioContext.  Any thread (the pointer never changes). */
AioContext *qemu_get_aio_context(void);
/* The context behind qemu_set_fd_handler() (the main one).  Any thread. */
AioContext *iohandler_get_aio_context(void);
/* Its GSource (no new reference). */
GSource *iohandler_get_g_source(void);

/*
 * Make a main_loop_wait() that sleeps in poll return (or the next one
 * not sleep), so that it re-evaluates fds and timeouts.  Any thread.
 * Scheduling a BH, timer_mod() and changing fd handlers wake the loop by
 * themselves; this is for state the loop cannot see (a read-poll
 * callback that would now return non-zero).
 */
void qemu_notify_event(void);

/* True in the thread that called qemu_init_main_loop(). */
bool qemu_in_main_thread(void);

/*
 * Register, replace or (both NULL) remove the handlers of @fd in the main
 * loop.  Level-triggered: @fd_read runs on every iteration in which @fd
 * is readable (or hung up / in error), @fd_write on every iteration in
 * which it is writable, until the handler drains or fills it.  One set of
 * handlers per fd.  Remove the handlers before closing @fd (if @fd is
 * closed first and its number reused, set the handlers again: the new
 * file is then polled).  Big lock held.
 */
void qemu_set_fd_handler(int fd, IOHandler *fd_read, IOHandler *fd_write,
                         void *opaque);

/*
 * qemu_set_fd_handler() with @fd_read_poll asked before each poll: while
 * it returns 0, @fd is not polled for reading and @fd_read does not run,
 * but the handler stays registered.  When the answer may have turned
 * non-zero from outside the loop, call qemu_notify_event().  Big lock.
 */
void qemu_set_fd_handler2(int fd, IOCanReadHandler *fd_read_poll,
                          IOHandler *fd_read, IOHandler *fd_write,
                          void *opaque);

/*
 * Have the main loop reap child @pid with waitpid() when it exits, so it
 * leaves no zombie (uses a GLib child watch).  Returns 0.  Big lock held.
 */
int qemu_add_child_watch(pid_t pid);

/*
 * Declare @fd as used by the main loop.  On Windows QEMU must bind a
 * socket to an event here; on POSIX there is nothing to do, so it is a
 * no-op kept so that portable code reads the same.
 */
void qemu_fd_register(int fd);

/*
 * For code that polls by itself instead of calling main_loop_wait():
 * qemu_iohandler_fill() appends one GPollFD per active
 * qemu_set_fd_handler() entry to @pollfds (read-poll callbacks are asked
 * here); after polling that array, qemu_iohandler_poll() runs the
 * handlers whose entries are ready (@ret is poll()'s result; nothing runs
 * if it is <= 0).  Do not change the array between the two calls.
 * Main thread, big lock held.
 */
void qemu_iohandler_fill(GArray *pollfds);
void qemu_iohandler_poll(GArray *pollfds, int ret);

/* Bottom halves of the main AioContext (see block/aio.h).  Big lock. */
QEMUBH *qemu_bh_new_full(QEMUBHFunc *cb, void *opaque, const char *name);
#define qemu_bh_new(cb, opaque) \
    qemu_bh_new_full((cb), (opaque), stringify(cb))

/* ---- the big lock ---- */

/* Take the big lock; the caller must not hold it already. */
void qemu_mutex_lock_iothread(void);
/* Release the big lock; the caller must hold it. */
void qemu_mutex_unlock_iothread(void);
/* Whether the calling thread holds the big lock. */
bool qemu_mutex_iothread_locked(void);
/* qemu_cond_wait()/timedwait() with the big lock as the mutex. */
void qemu_cond_wait_iothread(QemuCond *cond);
/* Returns false on timeout after @ms milliseconds. */
bool qemu_cond_timedwait_iothread(QemuCond *cond, int ms);

static inline void qemu_iothread_guard_unlock(bool *locked)
{
    if (*locked) {
        qemu_mutex_unlock_iothread();
    }
}

/*
 * Hold the big lock until the end of the enclosing scope (taken only if
 * the thread does not hold it already).
 */
#define QEMU_IOTHREAD_LOCK_GUARD()                                       \
    bool qemu_iothread_guard_                                            \
        __attribute__((cleanup(qemu_iothread_guard_unlock), unused)) =   \
        !qemu_mutex_iothread_locked() &&                                 \
        (qemu_mutex_lock_iothread(), true)

#endif /* QEMU_MAIN_LOOP_H */
