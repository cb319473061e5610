/*
 * aio.h: AioContext, bottom halves and per-context fd handlers.
 *
 * An AioContext is an event source: a set of fd handlers, a list of
 * scheduled bottom halves and a timer list group.  It is a GSource, so it
 * runs inside a GLib main context; the main loop attaches one to GLib's
 * default context (qemu_get_aio_context(); iohandler_get_aio_context(),
 * QEMU's separate context for qemu_set_fd_handler(), is the same one in
 * Machina).  Callbacks of a context run in the thread that
 * iterates its GMainContext ("home thread"): for the main loop's
 * contexts, the main thread with the big lock held.
 *
 * One dispatch of a context runs, in order: the bottom halves that were
 * scheduled when it started, the fd handlers whose fds were ready, the
 * expired timers of the context's timer list group.
 */
#ifndef BLOCK_AIO_H
#define BLOCK_AIO_H

#include "qemu/thread.h"
#include "qemu/timer.h"
#include "qemu/event_notifier.h"

typedef struct Error Error;
typedef struct AioHandler AioHandler;
typedef struct QEMUBH QEMUBH;

typedef void QEMUBHFunc(void *opaque);
typedef void IOHandler(void *opaque);
/* Read-poll callback: return 0 to keep the fd out of the read set. */
typedef int IOCanReadHandler(void *opaque);
typedef bool AioPollFn(void *opaque);

typedef struct AioContext {
    GSource source;             /* must be first: a GSource is cast to it */

    /* Optional lock for code shared with other threads (acquire/release). */
    QemuRecMutex lock;

    /*
     * Scheduled bottom halves, newest first.  Any thread pushes with a
     * compare-and-swap; only the home thread takes the whole list.
     */
    QEMUBH *bh_list;

    /*
     * notify_me is 1 from prepare until check, i.e. while the home thread
     * may be about to sleep in poll; aio_notify() writes the eventfd only
     * then.  notified avoids a second write before the loop has read the
     * first.  Both are atomics (see aio_notify() for the ordering).
     */
    unsigned int notify_me;
    bool notified;
    EventNotifier notifier;
    GPollFD notifier_pfd;       /* revents: as harvested from the set */

    /* fd handlers; home thread (big lock for the main loop's contexts). */
    AioHandler *handlers;
    int walking_handlers;       /* > 0 while a dispatch or wait may use
                                   the nodes: none is freed */
    bool handlers_deleted;      /* nodes to free once nobody walks */

    /*
     * The epoll set of the handlers' fds, the notifier and the extra fd
     * (util/aio-posix.c); GLib polls epoll_pfd.  Home thread.
     */
    int epollfd;
    GPollFD epoll_pfd;
    GPollFD extra_pfd;          /* aio_epoll_add_extra(); fd -1: none */
    bool epoll_harvested;       /* this poll's events are noted */
    bool epoll_stale;           /* a registration may outlive its node */

    QEMUTimerListGroup tlg;

    /* Poll timeout in ns computed by the last prepare (-1: none). */
    int64_t prepare_timeout_ns;
} AioContext;

/* ---- contexts ---- */

/*
 * Create a context (reference count 1).  Returns NULL with @errp set if
 * the eventfd cannot be created.  Attach it with
 * g_source_attach(aio_get_g_source(ctx), gcontext).
 */
AioContext *aio_context_new(Error **errp);
void aio_context_ref(AioContext *ctx);
/* Dropping the last reference frees the context and its pending BHs. */
void aio_context_unref(AioContext *ctx);
/* The context's GSource, with a new reference for the caller. */
GSource *aio_get_g_source(AioContext *ctx);

/*
 * Recursive lock for code that touches the context's state from a thread
 * other than its home thread.  The main loop's contexts are covered by
 * the big lock instead.
 */
void aio_context_acquire(AioContext *ctx);
void aio_context_release(AioContext *ctx);

/*
 * Wake the home thread if it sleeps in (or is about to enter) poll, so
 * it re-evaluates BHs, fds and timers.  Any thread; wait-free and
 * async-signal-safe (atomics and one write()).
 */
void aio_notify(AioContext *ctx);
/*
 * Home thread only: consume a wake-up seen by poll.  Called by the
 * context's check; exposed for loops that poll the notifier themselves.
 */
void aio_notify_accept(AioContext *ctx);

/* Timeout in ns the home thread may sleep for this context (-1: none). */
int64_t aio_compute_timeout(AioContext *ctx);

/* ---- bottom halves ---- */

/*
 * Allocate a bottom half of @ctx that calls @cb(@opaque).  @name (the
 * callback's name for the macro form) is kept for diagnostics.  Home
 * thread (big lock for the main loop's contexts).
 */
QEMUBH *aio_bh_new_full(AioContext *ctx, QEMUBHFunc *cb, void *opaque,
                        const char *name);
#define aio_bh_new(ctx, cb, opaque) \
    aio_bh_new_full((ctx), (cb), (opaque), stringify(cb))

/*
 * Allocate, schedule and, after its single run, free a bottom half.
 * There is no handle, so it cannot be cancelled.  Any thread.
 */
void aio_bh_schedule_oneshot_full(AioContext *ctx, QEMUBHFunc *cb,
                                  void *opaque, const char *name);
#define aio_bh_schedule_oneshot(ctx, cb, opaque) \
    aio_bh_schedule_oneshot_full((ctx), (cb), (opaque), stringify(cb))

/*
 * Run the bottom halves scheduled so far (one pass; BHs scheduled by these
 * callbacks wait for the next pass) and free deleted ones.  Home thread.
 * Returns true if a callback ran.
 */
bool aio_bh_poll(AioContext *ctx);

/*
 * Run @bh's callback soon in its context's home thread.  Wait-free,
 * thread-safe and async-signal-safe.  Scheduling a BH that is already
 * scheduled does nothing: it runs once.  A scheduled BH makes the next
 * poll timeout 0.  A BH that schedules itself from its callback runs
 * again in the next loop iteration, not in this one.
 */
void qemu_bh_schedule(QEMUBH *bh);

/*
 * Like qemu_bh_schedule(), but the BH only needs to run within 10 ms: it
 * does not make the poll timeout 0, it caps it at 10 ms.  Any thread.
 */
void qemu_bh_schedule_idle(QEMUBH *bh);

/*
 * Unschedule @bh; it stays allocated and may be scheduled again.  Any
 * thread, but only the home thread (big lock) is sure that a callback
 * already starting does not run.
 */
void qemu_bh_cancel(QEMUBH *bh);

/*
 * Cancel and free @bh.  The memory is released later by the home thread,
 * so this is safe from inside @bh's own callback.  Home thread.
 */
void qemu_bh_delete(QEMUBH *bh);

/* ---- fd handlers ---- */

/*
 * Register, replace (same @fd) or, with @io_read and @io_write both NULL,
 * remove the handlers of @fd.  Level-triggered: @io_read runs whenever the
 * fd is readable (or has hung up / has an error) when polled, @io_write
 * whenever it is writable, again on every iteration until the handler
 * drains or fills it.  @io_poll/@io_poll_ready are QEMU's busy-polling
 * hooks; Machina's contexts do not busy-poll (as QEMU's main loop
 * contexts do not), so they are recorded but not called.  Home thread
 * (big lock for the main loop's contexts); wakes the loop.
 */
void aio_set_fd_handler(AioContext *ctx, int fd, IOHandler *io_read,
                        IOHandler *io_write, AioPollFn *io_poll,
                        IOHandler *io_poll_ready, void *opaque);

/*
 * aio_set_fd_handler() with a read-poll predicate: while @io_can_read
 * returns 0 (it is asked before each poll), the fd is not polled for
 * reading and @io_read does not run.  The handler stays registered.
 */
void aio_set_fd_handler_can_read(AioContext *ctx, int fd,
                                 IOCanReadHandler *io_can_read,
                                 IOHandler *io_read, IOHandler *io_write,
                                 void *opaque);

/* Run @io_read(@e) whenever @e is set; NULL removes.  Home thread. */
void aio_set_event_notifier(AioContext *ctx, EventNotifier *e,
                            EventNotifierHandler *io_read,
                            AioPollFn *io_poll,
                            EventNotifierHandler *io_poll_ready);

/* ---- timers ---- */

static inline QEMUTimer *aio_timer_new_with_attrs(AioContext *ctx,
                                                  QEMUClockType type,
                                                  int scale, int attributes,
                                                  QEMUTimerCB *cb,
                                                  void *opaque)
{
    return timer_new_full(&ctx->tlg, type, scale, attributes, cb, opaque);
}

/* A timer run by @ctx's dispatch (after its BHs and fd handlers). */
static inline QEMUTimer *aio_timer_new(AioContext *ctx, QEMUClockType type,
                                       int scale, QEMUTimerCB *cb,
                                       void *opaque)
{
    return timer_new_full(&ctx->tlg, type, scale, 0, cb, opaque);
}

static inline void aio_timer_init(AioContext *ctx, QEMUTimer *ts,
                                  QEMUClockType type, int scale,
                                  QEMUTimerCB *cb, void *opaque)
{
    timer_init_full(ts, &ctx->tlg, type, scale, 0, cb, opaque);
}

/* ---- internal: the fd-handler half, in util/aio-posix.c ---- */

/* Before poll: set each handler's poll events (asks read-poll). */
void aio_handlers_prepare(AioContext *ctx);
/* After poll: true if some handler's fd is ready. */
bool aio_handlers_pending(AioContext *ctx);
/* Run the handlers whose fds are ready; true if one ran. */
bool aio_handlers_dispatch(AioContext *ctx);
/*
 * The epoll set: created (negative errno on failure) with the context,
 * closed when it is freed.  aio_epoll_check() is the GSource check's
 * part: it notes the ready fds if GLib's poll found the set readable.
 */
int aio_epoll_init(AioContext *ctx);
void aio_epoll_cleanup(AioContext *ctx);
void aio_epoll_check(AioContext *ctx);
/*
 * Also wait for @fd readable in @ctx's set (once per context; the main
 * loop puts GLib's own wake-up fd there).  Its readiness lands in
 * ctx->extra_pfd.revents.  Negative errno if epoll refuses @fd.
 */
int aio_epoll_add_extra(AioContext *ctx, int fd);
/*
 * Waiting on the set instead of GLib's poll, for a loop whose GLib poll
 * array holds nothing but the set and the extra fd: after prepare,
 * aio_epoll_wait_begin() (lock held; keeps every handler record alive
 * and returns the set's fd), aio_epoll_wait() (lock may be released;
 * @timeout_ns -1: no limit; returns the event count or negative errno),
 * then aio_epoll_wait_end() (lock held) notes what was ready, before
 * GLib's check.
 */
struct epoll_event;
int aio_epoll_wait_begin(AioContext *ctx);
int aio_epoll_wait(int epollfd, struct epoll_event *ev, int max,
                   int64_t timeout_ns);
void aio_epoll_wait_end(AioContext *ctx, struct epoll_event *ev, int n);
/*
 * After aio_epoll_wait_end(), lock held: if only fd handlers were woken
 * (no BH scheduled, no wake-up of the context or of GLib), run them now,
 * ahead of GLib's check; the context's dispatch then has no fd left to
 * run.  Call it only if no GLib source was ready at prepare time, so no
 * source that GLib would have run first is overtaken.  True if one ran.
 */
bool aio_epoll_dispatch_early(AioContext *ctx);
/* Free every handler (context finalisation). */
void aio_handlers_free_all(AioContext *ctx);
/* The handler set as GPollFDs appended to @pollfds; see main-loop.h. */
void aio_handlers_fill(AioContext *ctx, GArray *pollfds);
/* Dispatch from @pollfds as filled by aio_handlers_fill(). */
void aio_handlers_poll(AioContext *ctx, GArray *pollfds, int ret);

#endif /* BLOCK_AIO_H */
