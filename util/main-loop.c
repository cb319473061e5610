/*
 * The main loop and the big lock (qemu/main-loop.h).
 */
#include "qemu/osdep.h"
#include <sys/epoll.h>
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

/*
 * GLib's own wake-up fd for the default context, also watched in the
 * main AioContext's epoll set, or -1: then main_loop_wait() always polls
 * GLib's array (see glib_wakeup_fd_find()).  Main thread.
 */
static int glib_wakeup_fd = -1;

/* Events fetched per wait on the epoll set; more stay for the next. */
#define LOOP_EPOLL_MAX 64

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

/*
 * GLib's wake-up fd of @context, if it has no other fd to poll yet: the
 * only entry of its poll array then.  -1 otherwise.  GLib writes it when
 * another thread attaches a source, invokes a function or moves a ready
 * time, so a loop that waits without GLib's array must wait on it too.
 */
static int glib_wakeup_fd_find(GMainContext *context)
{
    GPollFD pfds[2];
    int max_priority, timeout_ms, n;

    g_main_context_prepare(context, &max_priority);
    n = g_main_context_query(context, max_priority, &timeout_ms, pfds, 2);
    g_main_context_check(context, max_priority, pfds, MIN(n, 2));
    return n == 1 && pfds[0].events == G_IO_IN ? pfds[0].fd : -1;
}

int qemu_init_main_loop(Error **errp)
{
    int wakeup_fd;

    g_assert(!qemu_aio_context);

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
    wakeup_fd = glib_wakeup_fd_find(g_main_context_default());

    qemu_aio_context = attach_new_context("aio-context", errp);
    if (!qemu_aio_context) {
        g_main_context_release(g_main_context_default());
        return -1;
    }
    if (wakeup_fd >= 0 &&
        aio_epoll_add_extra(qemu_aio_context, wakeup_fd) == 0) {
        glib_wakeup_fd = wakeup_fd;
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

/*
 * True if GLib's poll array (@n entries) holds only the main context's
 * epoll set and GLib's wake-up fd, both of which the set covers: then
 * the loop can wait on the set alone.
 */
static bool epoll_covers_gpollfds(int n)
{
    int epollfd = qemu_aio_context->epoll_pfd.fd;

    if (glib_wakeup_fd < 0 || n != 2 || gpollfds[0].fd == gpollfds[1].fd) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        if ((gpollfds[i].fd != epollfd && gpollfds[i].fd != glib_wakeup_fd) ||
            gpollfds[i].events != G_IO_IN) {
            return false;
        }
    }
    return true;
}

/*
 * Sleep on the main context's epoll set instead of poll()ing GLib's
 * array: the kernel keeps the set's wait-queue entries from one call to
 * the next, and the ready handlers are noted straight from the wait.
 * GLib's array then gets the revents poll() would have given it.
 */
static void epoll_wait_unlocked(int n, int64_t timeout_ns, bool early)
{
    AioContext *ctx = qemu_aio_context;
    struct epoll_event ev[LOOP_EPOLL_MAX];
    int epollfd, ret;
    bool set_ready;

    epollfd = aio_epoll_wait_begin(ctx);
    qemu_mutex_unlock_iothread();
    ret = aio_epoll_wait(epollfd, ev, LOOP_EPOLL_MAX, timeout_ns);
    qemu_mutex_lock_iothread();
    if (ret == -ENOSYS) {
        glib_wakeup_fd = -1;    /* no epoll_pwait2(): poll from now on */
    }
    aio_epoll_wait_end(ctx, ev, ret);

    /* Ready handlers run straight away, not after GLib's check. */
    if (early) {
        aio_epoll_dispatch_early(ctx);
    }

    set_ready = ret > (ctx->extra_pfd.revents ? 1 : 0);
    for (int i = 0; i < n; i++) {
        gpollfds[i].revents = gpollfds[i].fd == glib_wakeup_fd
                              ? ctx->extra_pfd.revents
                              : (set_ready ? G_IO_IN : 0);
    }
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
    if (epoll_covers_gpollfds(n)) {
        epoll_wait_unlocked(n, timeout_ns, timeout_ms != 0);
    } else {
        qemu_mutex_unlock_iothread();
        qemu_poll_ns(gpollfds, n, timeout_ns);
        qemu_mutex_lock_iothread();
    }

    /* AioContexts run BHs, fd handlers, timers; then other sources. */
    g_main_context_check(context, max_priority, gpollfds, n);
    g_main_context_dispatch(context);

    qemu_clock_run_all_timers();
}
