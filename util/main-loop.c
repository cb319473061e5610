/*
 * The main loop and the big lock (qemu/main-loop.h).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/thread.h"
#include "qemu/timer.h"

/* Set once by qemu_init_main_loop(); read from any thread afterwards. */
static AioContext *qemu_aio_context;
static AioContext *iohandler_ctx;
static QemuThread main_thread;

/* The big lock, and whether this thread holds it. */
static QemuMutex qemu_global_mutex;
static __thread bool iothread_locked;

/* main_loop_wait()'s poll array, reused across iterations; main thread. */
static GPollFD *gpollfds;
static int gpollfds_alloc;

static void init_global_mutex(void) __attribute__((constructor));
static void init_global_mutex(void)
{
    qemu_mutex_init(&qemu_global_mutex);
}

/* ---- the big lock ---- */

void qemu_mutex_lock_iothread(void)
{
    g_assert(!iothread_locked);
    qemu_mutex_lock(&qemu_global_mutex);
    iothread_locked = true;
}

void qemu_mutex_unlock_iothread(void)
{
    g_assert(iothread_locked);
    iothread_locked = false;
    qemu_mutex_unlock(&qemu_global_mutex);
}

bool qemu_mutex_iothread_locked(void)
{
    return iothread_locked;
}

void qemu_cond_wait_iothread(QemuCond *cond)
{
    g_assert(iothread_locked);
    iothread_locked = false;
    qemu_cond_wait(cond, &qemu_global_mutex);
    iothread_locked = true;
}

bool qemu_cond_timedwait_iothread(QemuCond *cond, int ms)
{
    bool woken;

    g_assert(iothread_locked);
    iothread_locked = false;
    woken = qemu_cond_timedwait(cond, &qemu_global_mutex, ms);
    iothread_locked = true;
    return woken;
}

/* ---- set-up ---- */

static AioContext *attach_new_context(const char *name, Error **errp)
{
    AioContext *ctx = aio_context_new(errp);
    GSource *src;

    if (!ctx) {
        return NULL;
    }
    src = aio_get_g_source(ctx);
    g_source_set_name(src, name);
    g_source_attach(src, NULL);
    g_source_unref(src);
    return ctx;
}

int qemu_init_main_loop(Error **errp)
{
    g_assert(!qemu_aio_context);

    qemu_aio_context = attach_new_context("aio-context", errp);
    if (!qemu_aio_context) {
        return -1;
    }
    /*
     * QEMU keeps qemu_set_fd_handler() users in a second context so that
     * the block layer's nested aio_poll() of the main context does not
     * run them.  Machina has no nested aio_poll(), and each extra GSource
     * costs every iteration a prepare, a check and one more fd to poll,
     * so both names refer to the one context.
     */
    iohandler_ctx = qemu_aio_context;
    qemu_thread_get_self(&main_thread);

    /*
     * The main thread owns GLib's default context for good.  Besides
     * saving two lock round trips per iteration, this makes
     * g_main_context_invoke() from another thread always queue the call
     * to the loop: with the context unowned between iterations, GLib
     * would run the function at once in the calling thread, without the
     * big lock.
     */
    if (!g_main_context_acquire(g_main_context_default())) {
        error_setg(errp, "another thread owns GLib's default main context");
        return -1;
    }
    return 0;
}

AioContext *qemu_get_aio_context(void)
{
    return qemu_aio_context;
}

AioContext *iohandler_get_aio_context(void)
{
    return iohandler_ctx;
}

GSource *iohandler_get_g_source(void)
{
    return &iohandler_ctx->source;
}

bool qemu_in_main_thread(void)
{
    return qemu_aio_context && qemu_thread_is_self(&main_thread);
}

void qemu_notify_event(void)
{
    if (qemu_aio_context) {
        aio_notify(qemu_aio_context);
    }
}

QEMUBH *qemu_bh_new_full(QEMUBHFunc *cb, void *opaque, const char *name)
{
    return aio_bh_new_full(qemu_aio_context, cb, opaque, name);
}

/* ---- fd handlers ---- */

void qemu_set_fd_handler(int fd, IOHandler *fd_read, IOHandler *fd_write,
                         void *opaque)
{
    aio_set_fd_handler(iohandler_ctx, fd, fd_read, fd_write, NULL, NULL,
                       opaque);
}

void qemu_set_fd_handler2(int fd, IOCanReadHandler *fd_read_poll,
                          IOHandler *fd_read, IOHandler *fd_write,
                          void *opaque)
{
    aio_set_fd_handler_can_read(iohandler_ctx, fd, fd_read_poll, fd_read,
                                fd_write, opaque);
}

void qemu_fd_register(int fd)
{
    /* Nothing to do on POSIX; see the header. */
}

void qemu_iohandler_fill(GArray *pollfds)
{
    aio_handlers_fill(iohandler_ctx, pollfds);
}

void qemu_iohandler_poll(GArray *pollfds, int ret)
{
    aio_handlers_poll(iohandler_ctx, pollfds, ret);
}

static void child_exited(GPid pid, gint status, gpointer data)
{
    /* GLib has already reaped the child with waitpid(). */
    g_spawn_close_pid(pid);
}

int qemu_add_child_watch(pid_t pid)
{
    g_child_watch_add(pid, child_exited, NULL);
    return 0;
}

/* ---- one iteration ---- */

/* g_main_context_query() into gpollfds, growing it; returns the count. */
static int glib_query(GMainContext *context, int max_priority,
                      int *timeout_ms)
{
    int n;

    for (;;) {
        n = g_main_context_query(context, max_priority, timeout_ms,
                                 gpollfds, gpollfds_alloc);
        if (n <= gpollfds_alloc) {
            return n;
        }
        gpollfds_alloc = MAX(n, 2 * gpollfds_alloc);
        gpollfds = g_renew(GPollFD, gpollfds, gpollfds_alloc);
    }
}

/*
 * The poll timeout in ns.  GLib's answer is in ms, rounded up; the
 * AioContexts and the main-loop timers know their deadlines to the ns,
 * so the soonest of all of them is exact.
 */
static int64_t loop_timeout_ns(int glib_timeout_ms, int nonblocking)
{
    int64_t timeout_ns;

    if (nonblocking) {
        return 0;
    }
    timeout_ns = glib_timeout_ms < 0 ? -1
                 : (int64_t)glib_timeout_ms * NANOSECONDS_PER_MS;
    timeout_ns = qemu_soonest_timeout(timeout_ns,
                                      qemu_aio_context->prepare_timeout_ns);
    return qemu_soonest_timeout(timeout_ns,
                                timerlistgroup_deadline_ns(&main_loop_tlg));
}

void main_loop_wait(int nonblocking)
{
    GMainContext *context = g_main_context_default();
    int max_priority, timeout_ms, n;
    int64_t timeout_ns;

    g_assert(iothread_locked);
    g_assert(qemu_thread_is_self(&main_thread));

    /*
     * Prepare first: it tells the AioContexts that the loop may sleep,
     * so a timer_mod() from another thread after this point wakes the
     * poll below, and the main-loop deadline read after it is current.
     */
    g_main_context_prepare(context, &max_priority);
    n = glib_query(context, max_priority, &timeout_ms);
    timeout_ns = loop_timeout_ns(timeout_ms, nonblocking);

    /* Other threads get the big lock while this one sleeps. */
    qemu_mutex_unlock_iothread();
    qemu_poll_ns(gpollfds, n, timeout_ns);
    qemu_mutex_lock_iothread();

    /* AioContexts run BHs, fd handlers, timers; then other sources. */
    g_main_context_check(context, max_priority, gpollfds, n);
    g_main_context_dispatch(context);

    qemu_clock_run_all_timers();
}
