/*
 * Unit tests of the main loop: bottom halves, fd handlers, wake-ups, the
 * big lock and GLib sources (qemu/main-loop.h, block/aio.h).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/atomic.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include <sys/wait.h>

#define WATCHDOG_MS 5000

static int64_t now_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
}

/* Run nonblocking iterations until nothing is left from earlier tests. */
static void drain_loop(void)
{
    for (int i = 0; i < 5; i++) {
        main_loop_wait(true);
    }
}

static void watchdog_cb(void *opaque)
{
    *(bool *)opaque = true;
}

/*
 * Iterate main_loop_wait(false) until *@flag is set or @timeout_ms passed
 * (a REALTIME timer guarantees the loop wakes).  Returns the iterations.
 */
static int run_until(bool *flag, int timeout_ms)
{
    bool expired = false;
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_REALTIME, watchdog_cb, &expired);
    int iterations = 0;

    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + timeout_ms);
    while (!qatomic_read(flag) && !expired) {
        main_loop_wait(false);
        iterations++;
    }
    timer_free(t);
    return iterations;
}

/* ---- bottom halves ---- */

typedef struct BHState {
    int count;
    bool ran;
    bool locked;                /* big lock held in the callback */
    QEMUBH *bh;
} BHState;

static void count_cb(void *opaque)
{
    BHState *s = opaque;

    s->count++;
    s->ran = true;
    s->locked = qemu_mutex_iothread_locked();
}

static void test_bh_schedule_twice(void)
{
    BHState s = { 0 };
    QEMUBH *bh = qemu_bh_new(count_cb, &s);

    qemu_bh_schedule(bh);
    qemu_bh_schedule(bh);
    drain_loop();
    g_assert_cmpint(s.count, ==, 1);
    qemu_bh_delete(bh);
}

typedef struct CrossThread {
    QEMUBH *bh;
    int delay_ms;
    bool got_bql;               /* the thread took the big lock */
} CrossThread;

static void *schedule_thread(void *opaque)
{
    CrossThread *ct = opaque;

    g_usleep(ct->delay_ms * 1000);

    /* Possible only if the main thread released the lock to poll. */
    qemu_mutex_lock_iothread();
    ct->got_bql = qemu_mutex_iothread_locked();
    qemu_mutex_unlock_iothread();

    if (ct->bh) {
        qemu_bh_schedule(ct->bh);
    } else {
        qemu_notify_event();
    }
    return NULL;
}

static void test_bh_cross_thread(void)
{
    BHState s = { 0 };
    CrossThread ct = { .bh = qemu_bh_new(count_cb, &s), .delay_ms = 50 };
    QemuThread thread;
    int64_t start;
    int iterations;

    drain_loop();
    start = now_ns();
    qemu_thread_create(&thread, "bh-sched", schedule_thread, &ct,
                       QEMU_THREAD_JOINABLE);
    iterations = run_until(&s.ran, WATCHDOG_MS);
    qemu_thread_join(&thread);

    /* The loop slept until the BH woke it, then ran it under the lock. */
    g_assert_true(s.ran);
    g_assert_true(s.locked);
    g_assert_true(ct.got_bql);
    g_assert_cmpint(now_ns() - start, >=, 40 * NANOSECONDS_PER_MS);
    g_assert_cmpint(now_ns() - start, <,
                    (WATCHDOG_MS / 2) * NANOSECONDS_PER_MS);
    g_assert_cmpint(iterations, <=, 3);
    qemu_bh_delete(ct.bh);
}

static void resched_cb(void *opaque)
{
    BHState *s = opaque;

    s->count++;
    qemu_bh_schedule(s->bh);
}

static void test_bh_self_reschedule(void)
{
    BHState s = { 0 };

    s.bh = qemu_bh_new(resched_cb, &s);
    qemu_bh_schedule(s.bh);
    for (int i = 1; i <= 5; i++) {
        main_loop_wait(true);
        g_assert_cmpint(s.count, ==, i);
    }
    qemu_bh_delete(s.bh);
    main_loop_wait(true);
    g_assert_cmpint(s.count, ==, 5);
}

static void test_bh_schedule_idle(void)
{
    BHState s = { 0 };
    QEMUBH *bh = qemu_bh_new(count_cb, &s);
    int64_t start, elapsed, best = INT64_MAX;

    /*
     * Never at once (nothing else wakes the loop here); within 10 ms plus
     * scheduling noise, judged on the best of five so that a loaded host
     * does not fail the test.
     */
    for (int i = 1; i <= 5; i++) {
        drain_loop();
        s.ran = false;
        qemu_bh_schedule_idle(bh);

        /* It caps the poll timeout at 10 ms instead of making it 0. */
        g_assert_cmpint(aio_compute_timeout(qemu_get_aio_context()), ==,
                        10 * NANOSECONDS_PER_MS);
        start = now_ns();
        run_until(&s.ran, WATCHDOG_MS);
        elapsed = now_ns() - start;
        g_assert_cmpint(s.count, ==, i);
        g_assert_cmpint(elapsed, >=, 5 * NANOSECONDS_PER_MS);
        best = MIN(best, elapsed);
    }
    g_assert_cmpint(best, <, 15 * NANOSECONDS_PER_MS);
    qemu_bh_delete(bh);
}

static void test_bh_cancel(void)
{
    BHState s = { 0 };
    QEMUBH *bh = qemu_bh_new(count_cb, &s);

    qemu_bh_schedule(bh);
    qemu_bh_cancel(bh);
    drain_loop();
    g_assert_cmpint(s.count, ==, 0);

    /* Still usable after a cancel. */
    qemu_bh_schedule(bh);
    drain_loop();
    g_assert_cmpint(s.count, ==, 1);
    qemu_bh_delete(bh);
}

static void test_bh_delete(void)
{
    BHState s = { 0 };
    QEMUBH *bh = qemu_bh_new(count_cb, &s);

    qemu_bh_schedule(bh);
    qemu_bh_delete(bh);
    drain_loop();
    g_assert_cmpint(s.count, ==, 0);
}

static void delete_self_cb(void *opaque)
{
    BHState *s = opaque;

    s->count++;
    qemu_bh_delete(s->bh);
    /* Freed later by the loop: still valid here (ASan checks). */
    qemu_bh_schedule(s->bh);
}

static void test_bh_delete_in_callback(void)
{
    BHState s = { 0 };

    s.bh = qemu_bh_new(delete_self_cb, &s);
    qemu_bh_schedule(s.bh);
    drain_loop();
    g_assert_cmpint(s.count, ==, 1);
}

static void test_bh_oneshot(void)
{
    BHState s = { 0 };

    aio_bh_schedule_oneshot(qemu_get_aio_context(), count_cb, &s);
    drain_loop();
    g_assert_cmpint(s.count, ==, 1);
    g_assert_true(s.locked);
}

/* Within one dispatch of a context: BHs, then fd handlers, then timers. */
static GString *order;

static void order_bh(void *opaque)
{
    g_string_append_c(order, 'b');
}

static void order_fd(void *opaque)
{
    int *fds = opaque;
    char c;

    g_assert_cmpint(read(fds[0], &c, 1), ==, 1);
    g_string_append_c(order, 'f');
}

static void order_timer(void *opaque)
{
    g_string_append_c(order, 't');
}

static void test_aio_dispatch_order(void)
{
    AioContext *ctx = qemu_get_aio_context();
    QEMUBH *bh = aio_bh_new(ctx, order_bh, NULL);
    QEMUTimer *t = aio_timer_new(ctx, QEMU_CLOCK_REALTIME, SCALE_NS,
                                 order_timer, NULL);
    int fds[2];

    g_assert_cmpint(pipe(fds), ==, 0);
    order = g_string_new("");
    drain_loop();

    /* All three ready before the iteration starts. */
    aio_set_fd_handler(ctx, fds[0], order_fd, NULL, NULL, NULL, fds);
    g_assert_cmpint(write(fds[1], "x", 1), ==, 1);
    timer_mod_ns(t, now_ns() - 1);
    qemu_bh_schedule(bh);
    main_loop_wait(true);
    g_assert_cmpstr(order->str, ==, "bft");

    aio_set_fd_handler(ctx, fds[0], NULL, NULL, NULL, NULL, NULL);
    timer_free(t);
    qemu_bh_delete(bh);
    g_string_free(order, true);
    close(fds[0]);
    close(fds[1]);
}

/* ---- fd handlers ---- */

typedef struct FdState {
    int fds[2];
    int reads;
    int writes;
    bool can_read;
    bool locked;
} FdState;

static void read_one_byte(void *opaque)
{
    FdState *s = opaque;
    char c;

    g_assert_cmpint(read(s->fds[0], &c, 1), ==, 1);
    s->reads++;
    s->locked = qemu_mutex_iothread_locked();
}

static int can_read(void *opaque)
{
    return ((FdState *)opaque)->can_read;
}

static void fd_state_init(FdState *s, const char *data)
{
    memset(s, 0, sizeof(*s));
    g_assert_cmpint(pipe2(s->fds, O_NONBLOCK), ==, 0);
    g_assert_cmpint(write(s->fds[1], data, strlen(data)), ==, strlen(data));
}

static void fd_state_fini(FdState *s)
{
    qemu_set_fd_handler(s->fds[0], NULL, NULL, NULL);
    qemu_set_fd_handler(s->fds[1], NULL, NULL, NULL);
    close(s->fds[0]);
    close(s->fds[1]);
}

static void test_fd_level_triggered(void)
{
    FdState s;

    fd_state_init(&s, "abc");
    qemu_set_fd_handler(s.fds[0], read_one_byte, NULL, &s);

    /* One byte per call: called again on each iteration until drained. */
    for (int i = 1; i <= 5; i++) {
        main_loop_wait(true);
        g_assert_cmpint(s.reads, ==, MIN(i, 3));
    }
    g_assert_true(s.locked);
    fd_state_fini(&s);
}

static void test_fd_read_poll_mutes(void)
{
    FdState s;

    fd_state_init(&s, "ab");
    qemu_set_fd_handler2(s.fds[0], can_read, read_one_byte, NULL, &s);
    for (int i = 0; i < 3; i++) {
        main_loop_wait(true);
    }
    g_assert_cmpint(s.reads, ==, 0);

    /* Unmuted, it reads again; still registered all along. */
    s.can_read = true;
    main_loop_wait(true);
    g_assert_cmpint(s.reads, ==, 1);
    s.can_read = false;
    main_loop_wait(true);
    g_assert_cmpint(s.reads, ==, 1);
    fd_state_fini(&s);
}

static void count_write(void *opaque)
{
    FdState *s = opaque;

    if (++s->writes == 3) {
        qemu_set_fd_handler(s->fds[1], NULL, NULL, NULL);
    }
}

static void test_fd_write_handler(void)
{
    FdState s;

    fd_state_init(&s, "");
    qemu_set_fd_handler(s.fds[1], NULL, count_write, &s);
    for (int i = 0; i < 5; i++) {
        main_loop_wait(true);
    }
    /* Removed from inside its own callback on the third call. */
    g_assert_cmpint(s.writes, ==, 3);
    fd_state_fini(&s);
}

static void test_iohandler_fill_poll(void)
{
    GArray *pollfds = g_array_new(false, false, sizeof(GPollFD));
    FdState s;
    int ret;

    fd_state_init(&s, "a");
    qemu_set_fd_handler(s.fds[0], read_one_byte, NULL, &s);
    qemu_iohandler_fill(pollfds);
    g_assert_cmpint(pollfds->len, ==, 1);
    g_assert_cmpint(g_array_index(pollfds, GPollFD, 0).fd, ==, s.fds[0]);

    ret = g_poll((GPollFD *)pollfds->data, pollfds->len, 1000);
    g_assert_cmpint(ret, ==, 1);
    qemu_iohandler_poll(pollfds, ret);
    g_assert_cmpint(s.reads, ==, 1);

    /* A muted fd is left out of the array. */
    qemu_set_fd_handler2(s.fds[0], can_read, read_one_byte, NULL, &s);
    g_array_set_size(pollfds, 0);
    qemu_iohandler_fill(pollfds);
    g_assert_cmpint(pollfds->len, ==, 0);

    g_array_free(pollfds, true);
    fd_state_fini(&s);
}

/*
 * fd reuse within one iteration.  @victim and @killer are both readable
 * when the loop polls; @killer's callback runs first (the newest handler
 * is dispatched first), removes @victim's handler, closes its fd, puts a
 * new, empty pipe at the same fd number and registers @reused on it.
 * The event polled for @victim must reach neither @victim nor @reused.
 */
/* Give the file of @from the number @to (closed), and close @from. */
static void move_fd(int from, int to)
{
    if (from != to) {
        g_assert_cmpint(dup2(from, to), ==, to);
        close(from);
    }
}

typedef struct ReuseState {
    FdState victim, killer, reused;
} ReuseState;

static void reuse_victim_cb(void *opaque)
{
    ReuseState *rs = opaque;

    rs->victim.reads++;
}

static void reuse_cb(void *opaque)
{
    ReuseState *rs = opaque;

    read_one_byte(&rs->reused);
}

static void reuse_killer_cb(void *opaque)
{
    ReuseState *rs = opaque;
    int fd = rs->victim.fds[0];
    int fds[2];

    read_one_byte(&rs->killer);
    if (rs->killer.reads > 1) {
        return;
    }
    qemu_set_fd_handler(fd, NULL, NULL, NULL);
    close(fd);
    close(rs->victim.fds[1]);

    g_assert_cmpint(pipe2(fds, O_NONBLOCK), ==, 0);
    move_fd(fds[0], fd);
    rs->reused.fds[0] = fd;
    rs->reused.fds[1] = fds[1];
    qemu_set_fd_handler(fd, reuse_cb, NULL, rs);
}

static void test_fd_reused_in_iteration(void)
{
    ReuseState rs;

    drain_loop();
    fd_state_init(&rs.victim, "v");
    fd_state_init(&rs.killer, "k");
    memset(&rs.reused, 0, sizeof(rs.reused));
    qemu_set_fd_handler(rs.victim.fds[0], reuse_victim_cb, NULL, &rs);
    qemu_set_fd_handler(rs.killer.fds[0], reuse_killer_cb, NULL, &rs);

    main_loop_wait(true);
    g_assert_cmpint(rs.killer.reads, ==, 1);
    g_assert_cmpint(rs.victim.reads, ==, 0);
    g_assert_cmpint(rs.reused.reads, ==, 0);

    /* Nothing stale later either, and the new pipe is polled. */
    drain_loop();
    g_assert_cmpint(rs.reused.reads, ==, 0);
    g_assert_cmpint(write(rs.reused.fds[1], "r", 1), ==, 1);
    drain_loop();
    g_assert_cmpint(rs.reused.reads, ==, 1);
    g_assert_cmpint(rs.victim.reads, ==, 0);

    fd_state_fini(&rs.killer);
    fd_state_fini(&rs.reused);
}

/*
 * An fd closed without removing its handler, its number reused by a new
 * pipe, and the handler set again: the new pipe is polled (as poll() by
 * fd number would), and the old pipe, still open through a duplicate
 * and readable, does not call the handler.
 */
static void test_fd_closed_reused_without_removal(void)
{
    FdState old, cur;
    int fd, old_dup, fds[2];

    drain_loop();
    fd_state_init(&old, "");
    qemu_set_fd_handler(old.fds[0], read_one_byte, NULL, &old);
    main_loop_wait(true);

    fd = old.fds[0];
    old_dup = dup(fd);
    close(fd);
    g_assert_cmpint(pipe2(fds, O_NONBLOCK), ==, 0);
    move_fd(fds[0], fd);
    memset(&cur, 0, sizeof(cur));
    cur.fds[0] = fd;
    cur.fds[1] = fds[1];
    qemu_set_fd_handler(fd, read_one_byte, NULL, &cur);

    /* The old pipe readable: no call (it would read the empty new one). */
    g_assert_cmpint(write(old.fds[1], "o", 1), ==, 1);
    drain_loop();
    g_assert_cmpint(cur.reads, ==, 0);
    g_assert_cmpint(old.reads, ==, 0);

    g_assert_cmpint(write(cur.fds[1], "c", 1), ==, 1);
    drain_loop();
    g_assert_cmpint(cur.reads, ==, 1);

    fd_state_fini(&cur);
    close(old_dup);
    close(old.fds[1]);
}

/* A regular file (which epoll refuses) is always readable, as poll says. */
static void test_fd_regular_file(void)
{
    char path[] = "/tmp/test-main-loop-XXXXXX";
    FdState s;

    memset(&s, 0, sizeof(s));
    s.fds[0] = mkstemp(path);
    g_assert_cmpint(s.fds[0], >=, 0);
    unlink(path);
    g_assert_cmpint(write(s.fds[0], "ab", 2), ==, 2);
    lseek(s.fds[0], 0, SEEK_SET);
    qemu_set_fd_handler(s.fds[0], read_one_byte, NULL, &s);
    main_loop_wait(true);
    main_loop_wait(true);
    g_assert_cmpint(s.reads, ==, 2);
    qemu_set_fd_handler(s.fds[0], NULL, NULL, NULL);
    close(s.fds[0]);
}

/*
 * fd handlers and GLib sources with fds in one loop: a GIOChannel watch
 * puts a second fd in GLib's poll array, so the loop polls the array;
 * once the watch is gone it waits on the epoll set alone; both ways the
 * handler and the watch run, on the same iteration when both are ready.
 */
static gboolean watch_cb(GIOChannel *ch, GIOCondition cond, gpointer opaque)
{
    FdState *s = opaque;
    char c;

    g_assert_cmpint(read(s->fds[0], &c, 1), ==, 1);
    s->reads++;
    s->locked = qemu_mutex_iothread_locked();
    return G_SOURCE_CONTINUE;
}

static void test_fd_and_glib_watch(void)
{
    FdState h, w;
    GIOChannel *ch;
    guint id;

    drain_loop();
    fd_state_init(&h, "h");
    fd_state_init(&w, "w");
    qemu_set_fd_handler(h.fds[0], read_one_byte, NULL, &h);
    ch = g_io_channel_unix_new(w.fds[0]);
    id = g_io_add_watch(ch, G_IO_IN, watch_cb, &w);

    main_loop_wait(true);
    g_assert_cmpint(h.reads, ==, 1);
    g_assert_cmpint(w.reads, ==, 1);
    g_assert_true(w.locked);

    g_assert_cmpint(write(h.fds[1], "h", 1), ==, 1);
    g_assert_cmpint(write(w.fds[1], "w", 1), ==, 1);
    main_loop_wait(false);
    main_loop_wait(true);
    g_assert_cmpint(h.reads, ==, 2);
    g_assert_cmpint(w.reads, ==, 2);

    /* Without the watch: the handler alone, then the watch again. */
    g_source_remove(id);
    g_assert_cmpint(write(h.fds[1], "h", 1), ==, 1);
    main_loop_wait(false);
    g_assert_cmpint(h.reads, ==, 3);
    id = g_io_add_watch(ch, G_IO_IN, watch_cb, &w);
    g_assert_cmpint(write(w.fds[1], "w", 1), ==, 1);
    main_loop_wait(false);
    main_loop_wait(true);
    g_assert_cmpint(w.reads, ==, 3);

    g_source_remove(id);
    g_io_channel_unref(ch);
    fd_state_fini(&h);
    fd_state_fini(&w);
}

/*
 * A loop blocked with only fd handlers (waiting on the epoll set) still
 * wakes for GLib's own wake-up: g_main_context_invoke() from another
 * thread.
 */
static gboolean invoked_cb(gpointer opaque)
{
    qatomic_set((bool *)opaque, qemu_mutex_iothread_locked());
    return G_SOURCE_REMOVE;
}

static void *invoke_thread(void *opaque)
{
    g_usleep(50 * 1000);
    g_main_context_invoke(NULL, invoked_cb, opaque);
    return NULL;
}

static void test_glib_invoke_wakes_epoll_wait(void)
{
    bool invoked = false;
    QemuThread thread;
    FdState h;
    int64_t start;

    drain_loop();
    fd_state_init(&h, "");
    qemu_set_fd_handler(h.fds[0], read_one_byte, NULL, &h);
    qemu_thread_create(&thread, "invoke", invoke_thread, &invoked,
                       QEMU_THREAD_JOINABLE);
    start = now_ns();
    run_until(&invoked, WATCHDOG_MS);
    qemu_thread_join(&thread);
    g_assert_true(invoked);
    g_assert_cmpint(now_ns() - start, <, (int64_t)WATCHDOG_MS / 2 * SCALE_MS);
    fd_state_fini(&h);
}

static int notifier_calls;

static void notifier_cb(EventNotifier *e)
{
    g_assert_true(event_notifier_test_and_clear(e));
    notifier_calls++;
}

static void test_event_notifier_handler(void)
{
    EventNotifier e;

    g_assert_cmpint(event_notifier_init(&e, false), ==, 0);
    g_assert_false(event_notifier_test_and_clear(&e));
    event_notifier_set_handler(&e, notifier_cb);
    event_notifier_set(&e);
    event_notifier_set(&e);
    drain_loop();
    g_assert_cmpint(notifier_calls, ==, 1);
    event_notifier_set_handler(&e, NULL);
    event_notifier_cleanup(&e);
}

/* ---- wake-ups and the big lock ---- */

static void test_notify_event_wakes_loop(void)
{
    CrossThread ct = { .bh = NULL, .delay_ms = 50 };
    QemuThread thread;
    bool expired = false;
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_REALTIME, watchdog_cb, &expired);
    int64_t start;

    drain_loop();
    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + WATCHDOG_MS);
    start = now_ns();
    qemu_thread_create(&thread, "notify", schedule_thread, &ct,
                       QEMU_THREAD_JOINABLE);

    /* Nothing else is pending: only the notification ends this wait. */
    main_loop_wait(false);
    qemu_thread_join(&thread);
    g_assert_false(expired);
    g_assert_true(ct.got_bql);
    g_assert_cmpint(now_ns() - start, >=, 40 * NANOSECONDS_PER_MS);
    timer_free(t);
}

typedef struct LockCheck {
    bool bh, timer, aio_timer, idle;
} LockCheck;

static void lock_bh(void *opaque)
{
    ((LockCheck *)opaque)->bh = qemu_mutex_iothread_locked();
}

static void lock_timer(void *opaque)
{
    ((LockCheck *)opaque)->timer = qemu_mutex_iothread_locked();
}

static void lock_aio_timer(void *opaque)
{
    ((LockCheck *)opaque)->aio_timer = qemu_mutex_iothread_locked();
}

static gboolean lock_idle(gpointer opaque)
{
    ((LockCheck *)opaque)->idle = qemu_mutex_iothread_locked();
    return G_SOURCE_REMOVE;
}

static void test_bql_held_in_dispatch(void)
{
    LockCheck lc = { 0 };
    QEMUBH *bh = qemu_bh_new(lock_bh, &lc);
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_REALTIME, lock_timer, &lc);
    QEMUTimer *at = aio_timer_new(qemu_get_aio_context(), QEMU_CLOCK_REALTIME,
                                  SCALE_NS, lock_aio_timer, &lc);
    FdState s;

    fd_state_init(&s, "z");
    qemu_set_fd_handler(s.fds[0], read_one_byte, NULL, &s);
    qemu_bh_schedule(bh);
    timer_mod_ns(t, now_ns());
    timer_mod_ns(at, now_ns());
    g_idle_add(lock_idle, &lc);
    drain_loop();

    g_assert_true(lc.bh);
    g_assert_cmpint(s.reads, ==, 1);
    g_assert_true(s.locked);
    g_assert_true(lc.timer);
    g_assert_true(lc.aio_timer);
    g_assert_true(lc.idle);

    fd_state_fini(&s);
    timer_free(t);
    timer_free(at);
    qemu_bh_delete(bh);
}

static void test_bql_guard(void)
{
    qemu_mutex_unlock_iothread();
    g_assert_false(qemu_mutex_iothread_locked());
    {
        QEMU_IOTHREAD_LOCK_GUARD();
        g_assert_true(qemu_mutex_iothread_locked());
    }
    g_assert_false(qemu_mutex_iothread_locked());
    qemu_mutex_lock_iothread();
    {
        /* Already held: the guard neither takes nor releases it. */
        QEMU_IOTHREAD_LOCK_GUARD();
        g_assert_true(qemu_mutex_iothread_locked());
    }
    g_assert_true(qemu_mutex_iothread_locked());
}

/* ---- GLib sources and child processes ---- */

static gboolean timeout_cb(gpointer opaque)
{
    *(bool *)opaque = qemu_mutex_iothread_locked();
    return G_SOURCE_REMOVE;
}

static void test_glib_timeout(void)
{
    bool fired = false;
    int64_t start = now_ns();

    g_timeout_add(20, timeout_cb, &fired);
    run_until(&fired, WATCHDOG_MS);
    g_assert_true(fired);

    /*
     * GLib counts the 20 ms from its cached loop time, which may be a
     * little older than @start, so only part of the delay is certain.
     */
    g_assert_cmpint(now_ns() - start, >=, 10 * NANOSECONDS_PER_MS);
}

typedef struct ChildState {
    bool exited;
    int status;
} ChildState;

static void glib_child_cb(GPid pid, gint status, gpointer opaque)
{
    ChildState *cs = opaque;

    cs->status = status;
    cs->exited = qemu_mutex_iothread_locked();
}

static pid_t spawn_exiting_child(int code)
{
    pid_t pid = fork();

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        _exit(code);
    }
    return pid;
}

static void test_glib_child_watch(void)
{
    ChildState cs = { 0 };
    pid_t pid = spawn_exiting_child(7);

    g_child_watch_add(pid, glib_child_cb, &cs);
    run_until(&cs.exited, WATCHDOG_MS);
    g_assert_true(cs.exited);
    g_assert_true(WIFEXITED(cs.status));
    g_assert_cmpint(WEXITSTATUS(cs.status), ==, 7);
}

/* True once @pid has been reaped (not merely exited). */
static bool child_reaped(pid_t pid)
{
    siginfo_t info = { 0 };

    /* WNOWAIT: look without reaping, so the test does not do the work. */
    return waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 &&
           errno == ECHILD;
}

static void test_add_child_watch(void)
{
    pid_t pid = spawn_exiting_child(0);
    int64_t deadline = now_ns() + WATCHDOG_MS * NANOSECONDS_PER_MS;

    g_assert_cmpint(qemu_add_child_watch(pid), ==, 0);
    while (!child_reaped(pid) && now_ns() < deadline) {
        main_loop_wait(true);
        g_usleep(1000);
    }
    g_assert_true(child_reaped(pid));
    g_assert_cmpint(kill(pid, 0), ==, -1);
    g_assert_cmpint(errno, ==, ESRCH);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();

    g_test_add_func("/main-loop/bh/schedule-twice-runs-once",
                    test_bh_schedule_twice);
    g_test_add_func("/main-loop/bh/cross-thread-wakes-loop",
                    test_bh_cross_thread);
    g_test_add_func("/main-loop/bh/self-reschedule-once-per-iteration",
                    test_bh_self_reschedule);
    g_test_add_func("/main-loop/bh/schedule-idle-within-10ms",
                    test_bh_schedule_idle);
    g_test_add_func("/main-loop/bh/cancel-prevents-call", test_bh_cancel);
    g_test_add_func("/main-loop/bh/delete-prevents-call", test_bh_delete);
    g_test_add_func("/main-loop/bh/delete-in-own-callback",
                    test_bh_delete_in_callback);
    g_test_add_func("/main-loop/bh/oneshot", test_bh_oneshot);
    g_test_add_func("/main-loop/aio/dispatch-order", test_aio_dispatch_order);
    g_test_add_func("/main-loop/fd/level-triggered", test_fd_level_triggered);
    g_test_add_func("/main-loop/fd/read-poll-mutes", test_fd_read_poll_mutes);
    g_test_add_func("/main-loop/fd/write-handler", test_fd_write_handler);
    g_test_add_func("/main-loop/fd/iohandler-fill-poll",
                    test_iohandler_fill_poll);
    g_test_add_func("/main-loop/fd/reused-in-iteration-no-stale-call",
                    test_fd_reused_in_iteration);
    g_test_add_func("/main-loop/fd/closed-reused-without-removal",
                    test_fd_closed_reused_without_removal);
    g_test_add_func("/main-loop/fd/regular-file", test_fd_regular_file);
    g_test_add_func("/main-loop/fd/with-glib-watch", test_fd_and_glib_watch);
    g_test_add_func("/main-loop/glib/invoke-wakes-epoll-wait",
                    test_glib_invoke_wakes_epoll_wait);
    g_test_add_func("/main-loop/fd/event-notifier-handler",
                    test_event_notifier_handler);
    g_test_add_func("/main-loop/notify/wakes-blocked-loop",
                    test_notify_event_wakes_loop);
    g_test_add_func("/main-loop/bql/held-in-every-dispatch",
                    test_bql_held_in_dispatch);
    g_test_add_func("/main-loop/bql/guard", test_bql_guard);
    g_test_add_func("/main-loop/glib/timeout-add", test_glib_timeout);
    g_test_add_func("/main-loop/glib/child-watch", test_glib_child_watch);
    g_test_add_func("/main-loop/child-watch/reaps", test_add_child_watch);
    return g_test_run();
}
