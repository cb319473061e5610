/*
 * mainloop-bench: Machina's main loop against plain GLib and libuv.
 *
 * One run measures, for each engine in the same process:
 *  - bottom halves: schedule + dispatch throughput in one thread, as a
 *    chain (each callback schedules the next: one per loop iteration)
 *    and as batches of BH_BATCH callbacks dispatched together; and the
 *    latency from a schedule in a second thread to the callback;
 *  - timers: lateness of TIMERS timers with random deadlines within ~1 s;
 *  - fd events: latency from a write on a pipe in a second thread to the
 *    handler in the loop.
 * The references are GLib (idle sources, g_main_context_invoke(),
 * g_source_set_ready_time(), a GIOChannel watch) on a private
 * GMainContext, and libuv (uv_async_send(), uv_timer, uv_poll).  Every
 * time is CLOCK_MONOTONIC in ns.  Usage: mainloop-bench [-q] (-q: fewer
 * samples, for a smoke run).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/atomic.h"
#include "qemu/main-loop.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include <sys/resource.h>
#include <uv.h>

enum { ENG_MACHINA, ENG_GLIB, ENG_UV, ENG_MAX };
static const char *const engine_names[ENG_MAX] = {
    "machina", "glib", "libuv",
};

enum {
    M_BH_CHAIN, M_BH_BATCH, M_BH_LAT_MED, M_BH_LAT_P99,
    M_TIMER_MED, M_TIMER_P99, M_TIMER_MAX,
    M_FD_LAT_MED, M_FD_LAT_P99, M_MAX
};

static const struct {
    const char *name;
    const char *unit;
    bool higher_is_better;
} metrics[M_MAX] = {
    [M_BH_CHAIN]   = { "bh-throughput-chain", "ops/s", true },
    [M_BH_BATCH]   = { "bh-throughput-batch", "ops/s", true },
    [M_BH_LAT_MED] = { "bh-latency-median", "ns", false },
    [M_BH_LAT_P99] = { "bh-latency-p99", "ns", false },
    [M_TIMER_MED]  = { "timer-lateness-median", "ns", false },
    [M_TIMER_P99]  = { "timer-lateness-p99", "ns", false },
    [M_TIMER_MAX]  = { "timer-lateness-max", "ns", false },
    [M_FD_LAT_MED] = { "fd-latency-median", "ns", false },
    [M_FD_LAT_P99] = { "fd-latency-p99", "ns", false },
};

#define BH_BATCH 1000
#define TIMER_SPREAD_NS NANOSECONDS_PER_SECOND
/* Arming 10k timers must finish before the first deadline. */
#define TIMER_START_NS (200 * NANOSECONDS_PER_MS)

/* Per round; latency samples are pooled over ROUNDS rounds. */
static int chain_ops = 300000;
static int batch_rounds = 300;
static int lat_samples = 40000;
static int fd_samples = 40000;
static int n_timers = 10000;

#define ROUNDS 3

/* Throughputs: best round.  Latencies: samples pooled over the rounds. */
static double results[ENG_MAX][M_MAX];
static GArray *pools[ENG_MAX][M_MAX];

/* ---- shared helpers ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Sort @v and return its @pct-th percentile. */
static int64_t percentile(int64_t *v, int n, double pct)
{
    int idx = (int)(pct / 100.0 * (n - 1) + 0.5);

    qsort(v, n, sizeof(*v), cmp_i64);
    return v[idx];
}

static void keep_best(int eng, int m, double ops)
{
    results[eng][m] = MAX(results[eng][m], ops);
}

static void pool_samples(int eng, int m, int64_t *v, int n)
{
    if (!pools[eng][m]) {
        pools[eng][m] = g_array_new(false, false, sizeof(int64_t));
    }
    g_array_append_vals(pools[eng][m], v, n);
}

static void store_latency(int eng, int m_med, int64_t *v, int n)
{
    pool_samples(eng, m_med, v, n);
}

/*
 * Where a timer's lateness goes.  Each callback also notes how much CPU
 * time the loop thread used since the previous callback: the loop's own
 * code (timer list walk, allocation, lock, GLib bookkeeping) can only
 * have delayed a callback by time the thread spent on a CPU, so for a
 * late sample that figure bounds our share, and the rest is the thread
 * waiting for the host's scheduler.  Involuntary context switches of the
 * loop thread over the phase are counted too.
 */
typedef struct TimerWorst {
    int64_t late_ns;            /* the worst lateness seen */
    int64_t cpu_ns;             /* loop CPU time before that callback */
    int64_t iters;              /* loop iterations before that callback */
    int64_t n_over_1ms;         /* samples later than 1 ms */
    int64_t cpu_over_1ms_ns;    /* max loop CPU time before any of them */
    int64_t busy_cpu_ns;        /* the most loop CPU before any sample */
    int64_t busy_iters;         /* ... in that many iterations */
    int64_t busy_late_ns;       /* ... and that sample's lateness */
    long nivcsw;                /* involuntary switches, all rounds */
} TimerWorst;

static TimerWorst timer_worst[ENG_MAX];
static int64_t *timer_late_base;    /* the phase's lateness array */
static int64_t *timer_cpu;          /* parallel: CPU ns since last cb */
static int64_t *timer_iters;        /* parallel: iterations since then */
static int64_t timer_last_cpu_ns;
static int64_t timer_loop_iters;    /* each engine's loop counts here */
static int64_t timer_last_iters;
static long timer_nivcsw0;

static int64_t thread_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

static long thread_nivcsw(void)
{
    struct rusage ru;

    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_nivcsw;
}

/* Just before an engine's loop runs the phase's timers. */
static void timer_phase_begin(int64_t *late, int n)
{
    timer_late_base = late;
    timer_cpu = g_new0(int64_t, n);
    timer_iters = g_new0(int64_t, n);
    timer_loop_iters = timer_last_iters = 0;
    timer_nivcsw0 = thread_nivcsw();
    timer_last_cpu_ns = thread_cpu_ns();
}

/* In a timer callback: its lateness, then the CPU note. */
static void timer_stamp(int64_t *late, int64_t deadline_ns)
{
    int64_t cpu_ns;

    *late = get_clock() - deadline_ns;
    cpu_ns = thread_cpu_ns();
    timer_cpu[late - timer_late_base] = cpu_ns - timer_last_cpu_ns;
    timer_iters[late - timer_late_base] = timer_loop_iters - timer_last_iters;
    timer_last_cpu_ns = cpu_ns;
    timer_last_iters = timer_loop_iters;
}

static void store_lateness(int eng, int64_t *v, int n)
{
    TimerWorst *w = &timer_worst[eng];

    w->nivcsw += thread_nivcsw() - timer_nivcsw0;
    for (int i = 0; i < n; i++) {
        if (v[i] > w->late_ns) {
            w->late_ns = v[i];
            w->cpu_ns = timer_cpu[i];
            w->iters = timer_iters[i];
        }
        if (timer_cpu[i] > w->busy_cpu_ns) {
            w->busy_cpu_ns = timer_cpu[i];
            w->busy_iters = timer_iters[i];
            w->busy_late_ns = v[i];
        }
        if (v[i] > NANOSECONDS_PER_MS) {
            w->n_over_1ms++;
            w->cpu_over_1ms_ns = MAX(w->cpu_over_1ms_ns, timer_cpu[i]);
        }
    }
    g_free(timer_cpu);
    g_free(timer_iters);
    pool_samples(eng, M_TIMER_MED, v, n);
}

/* Percentiles of the pooled samples into results[][]. */
static void finish_pools(void)
{
    for (int e = 0; e < ENG_MAX; e++) {
        for (int m = 0; m < M_MAX; m++) {
            GArray *a = pools[e][m];
            int64_t *v;

            if (!a) {
                continue;
            }
            v = (int64_t *)a->data;
            results[e][m] = percentile(v, a->len, 50);
            results[e][m + 1] = percentile(v, a->len, 99);
            if (m == M_TIMER_MED) {
                results[e][M_TIMER_MAX] = v[a->len - 1];
            }
            g_array_free(a, true);
        }
    }
}

/* Random deadlines, absolute CLOCK_MONOTONIC ns, from @base. */
static int64_t *make_deadlines(int64_t base)
{
    int64_t *d = g_new(int64_t, n_timers);
    GRand *rand = g_rand_new_with_seed(42);

    for (int i = 0; i < n_timers; i++) {
        d[i] = base + TIMER_START_NS +
               (int64_t)(g_rand_double(rand) * TIMER_SPREAD_NS);
    }
    g_rand_free(rand);
    return d;
}

/*
 * The latency driver: a second thread that, @n times, stamps the time,
 * fires the engine's event with @fire and waits for the loop's callback
 * to post @done.
 */
typedef struct LatencyDriver {
    void (*fire)(void *opaque);
    void *opaque;
    int n;
    int64_t t0;                 /* stamp of the event in flight */
    int64_t *samples;
    int count;                  /* loop thread only */
    QemuSemaphore done;
    bool finished;              /* set by the loop after the last one */
} LatencyDriver;

static void *latency_thread(void *opaque)
{
    LatencyDriver *d = opaque;

    for (int i = 0; i < d->n; i++) {
        qatomic_store_release(&d->t0, get_clock());
        d->fire(d->opaque);
        qemu_sem_wait(&d->done);
    }
    return NULL;
}

/* In the loop's callback: one sample; true after the last one. */
static bool latency_sample(LatencyDriver *d)
{
    d->samples[d->count++] = get_clock() - qatomic_load_acquire(&d->t0);
    if (d->count == d->n) {
        qatomic_set(&d->finished, true);
    }
    qemu_sem_post(&d->done);
    return d->count == d->n;
}

static void latency_start(LatencyDriver *d, QemuThread *t,
                          void (*fire)(void *), void *opaque, int n)
{
    d->fire = fire;
    d->opaque = opaque;
    d->n = n;
    d->count = 0;
    d->finished = false;
    d->samples = g_new(int64_t, n);
    qemu_sem_init(&d->done, 0);
    qemu_thread_create(t, "bench-driver", latency_thread, d,
                       QEMU_THREAD_JOINABLE);
}

static void latency_finish(LatencyDriver *d, QemuThread *t, int eng,
                           int m_med)
{
    qemu_thread_join(t);
    store_latency(eng, m_med, d->samples, d->n);
    g_free(d->samples);
    qemu_sem_destroy(&d->done);
}

/* The fd driver writes one byte on a pipe. */
static int bench_pipe[2];

static void fire_pipe(void *opaque)
{
    ssize_t r = write(bench_pipe[1], "x", 1);

    g_assert(r == 1);
}

static void drain_pipe_byte(void)
{
    char c;
    ssize_t r = read(bench_pipe[0], &c, 1);

    g_assert(r == 1);
}

static double ops_per_s(int ops, int64_t start)
{
    return ops / ((get_clock() - start) / 1e9);
}

/* ---- Machina ---- */

static int m_count;
static QEMUBH *m_chain_bh;

static void m_chain_cb(void *opaque)
{
    if (++m_count < chain_ops) {
        qemu_bh_schedule(m_chain_bh);
    }
}

static void m_batch_cb(void *opaque)
{
    m_count++;
}

static LatencyDriver m_lat;
static QEMUBH *m_lat_bh;

static void m_lat_cb(void *opaque)
{
    latency_sample(&m_lat);
}

static void m_fire_bh(void *opaque)
{
    qemu_bh_schedule(m_lat_bh);
}

static void m_fd_cb(void *opaque)
{
    drain_pipe_byte();
    latency_sample(&m_lat);
}

typedef struct MTimer {
    QEMUTimer timer;
    int64_t deadline;
    int64_t *lateness;
} MTimer;

static void m_timer_cb(void *opaque)
{
    MTimer *mt = opaque;

    timer_stamp(mt->lateness, mt->deadline);
    m_count++;
}

static void machina_bh_throughput(void)
{
    QEMUBH *bhs[BH_BATCH];
    int64_t start;

    m_chain_bh = qemu_bh_new(m_chain_cb, NULL);
    m_count = 0;
    start = get_clock();
    qemu_bh_schedule(m_chain_bh);
    while (m_count < chain_ops) {
        main_loop_wait(false);
    }
    keep_best(ENG_MACHINA, M_BH_CHAIN, ops_per_s(chain_ops, start));
    qemu_bh_delete(m_chain_bh);

    for (int i = 0; i < BH_BATCH; i++) {
        bhs[i] = qemu_bh_new(m_batch_cb, NULL);
    }
    m_count = 0;
    start = get_clock();
    for (int r = 0; r < batch_rounds; r++) {
        for (int i = 0; i < BH_BATCH; i++) {
            qemu_bh_schedule(bhs[i]);
        }
        while (m_count < (r + 1) * BH_BATCH) {
            main_loop_wait(false);
        }
    }
    keep_best(ENG_MACHINA, M_BH_BATCH, ops_per_s(m_count, start));
    for (int i = 0; i < BH_BATCH; i++) {
        qemu_bh_delete(bhs[i]);
    }
}

static void machina_latencies(void)
{
    QemuThread t;

    m_lat_bh = qemu_bh_new(m_lat_cb, NULL);
    latency_start(&m_lat, &t, m_fire_bh, NULL, lat_samples);
    while (!qatomic_read(&m_lat.finished)) {
        main_loop_wait(false);
    }
    latency_finish(&m_lat, &t, ENG_MACHINA, M_BH_LAT_MED);
    qemu_bh_delete(m_lat_bh);

    qemu_set_fd_handler(bench_pipe[0], m_fd_cb, NULL, NULL);
    latency_start(&m_lat, &t, fire_pipe, NULL, fd_samples);
    while (!qatomic_read(&m_lat.finished)) {
        main_loop_wait(false);
    }
    latency_finish(&m_lat, &t, ENG_MACHINA, M_FD_LAT_MED);
    qemu_set_fd_handler(bench_pipe[0], NULL, NULL, NULL);
}

static void machina_timers(void)
{
    MTimer *mt = g_new(MTimer, n_timers);
    int64_t *late = g_new(int64_t, n_timers);
    int64_t *deadlines = make_deadlines(get_clock());

    for (int i = 0; i < n_timers; i++) {
        mt[i].deadline = deadlines[i];
        mt[i].lateness = &late[i];
        timer_init_ns(&mt[i].timer, QEMU_CLOCK_REALTIME, m_timer_cb, &mt[i]);
        timer_mod_ns(&mt[i].timer, deadlines[i]);
    }
    m_count = 0;
    timer_phase_begin(late, n_timers);
    while (m_count < n_timers) {
        main_loop_wait(false);
        timer_loop_iters++;
    }
    store_lateness(ENG_MACHINA, late, n_timers);
    g_free(mt);
    g_free(late);
    g_free(deadlines);
}

static void machina_setup(void)
{
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();
}

/* ---- GLib ---- */

static GMainContext *g_ctx;
static int g_count;

static void g_add_idle(GSourceFunc fn, void *data)
{
    GSource *s = g_idle_source_new();

    g_source_set_callback(s, fn, data, NULL);
    g_source_attach(s, g_ctx);
    g_source_unref(s);
}

static gboolean g_chain_cb(gpointer data)
{
    if (++g_count < chain_ops) {
        g_add_idle(g_chain_cb, NULL);
    }
    return G_SOURCE_REMOVE;
}

static gboolean g_batch_cb(gpointer data)
{
    g_count++;
    return G_SOURCE_REMOVE;
}

static LatencyDriver g_lat;

static gboolean g_lat_cb(gpointer data)
{
    latency_sample(&g_lat);
    return G_SOURCE_REMOVE;
}

static void g_fire_invoke(void *opaque)
{
    g_main_context_invoke(g_ctx, g_lat_cb, NULL);
}

static gboolean g_fd_cb(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    drain_pipe_byte();
    latency_sample(&g_lat);
    return G_SOURCE_CONTINUE;
}

typedef struct GlibTimer {
    int64_t deadline;
    int64_t *lateness;
} GlibTimer;

static gboolean g_timer_dispatch(GSource *s, GSourceFunc cb, gpointer data)
{
    GlibTimer *gt = data;

    timer_stamp(gt->lateness, gt->deadline);
    g_count++;
    return G_SOURCE_REMOVE;
}

static GSourceFuncs g_timer_funcs = { .dispatch = g_timer_dispatch };

static void glib_bh_throughput(void)
{
    int64_t start;

    g_count = 0;
    start = get_clock();
    g_add_idle(g_chain_cb, NULL);
    while (g_count < chain_ops) {
        g_main_context_iteration(g_ctx, TRUE);
    }
    keep_best(ENG_GLIB, M_BH_CHAIN, ops_per_s(chain_ops, start));

    g_count = 0;
    start = get_clock();
    for (int r = 0; r < batch_rounds; r++) {
        for (int i = 0; i < BH_BATCH; i++) {
            g_add_idle(g_batch_cb, NULL);
        }
        while (g_count < (r + 1) * BH_BATCH) {
            g_main_context_iteration(g_ctx, TRUE);
        }
    }
    keep_best(ENG_GLIB, M_BH_BATCH, ops_per_s(g_count, start));
}

static void glib_latencies(void)
{
    GIOChannel *ch = g_io_channel_unix_new(bench_pipe[0]);
    GSource *watch;
    QemuThread t;

    latency_start(&g_lat, &t, g_fire_invoke, NULL, lat_samples);
    while (!qatomic_read(&g_lat.finished)) {
        g_main_context_iteration(g_ctx, TRUE);
    }
    latency_finish(&g_lat, &t, ENG_GLIB, M_BH_LAT_MED);

    watch = g_io_create_watch(ch, G_IO_IN);
    g_source_set_callback(watch, (GSourceFunc)(void (*)(void))g_fd_cb,
                          NULL, NULL);
    g_source_attach(watch, g_ctx);
    latency_start(&g_lat, &t, fire_pipe, NULL, fd_samples);
    while (!qatomic_read(&g_lat.finished)) {
        g_main_context_iteration(g_ctx, TRUE);
    }
    latency_finish(&g_lat, &t, ENG_GLIB, M_FD_LAT_MED);
    g_source_destroy(watch);
    g_source_unref(watch);
    g_io_channel_unref(ch);
}

static void glib_timers(void)
{
    GlibTimer *gt = g_new(GlibTimer, n_timers);
    int64_t *late = g_new(int64_t, n_timers);
    int64_t *deadlines = make_deadlines(get_clock());

    /* Ready times are in us of the same clock; round up, never early. */
    for (int i = 0; i < n_timers; i++) {
        GSource *s = g_source_new(&g_timer_funcs, sizeof(GSource));

        gt[i].deadline = deadlines[i];
        gt[i].lateness = &late[i];
        g_source_set_callback(s, NULL, &gt[i], NULL);
        g_source_set_ready_time(s, DIV_ROUND_UP(deadlines[i], 1000));
        g_source_attach(s, g_ctx);
        g_source_unref(s);
    }
    g_count = 0;
    timer_phase_begin(late, n_timers);
    while (g_count < n_timers) {
        g_main_context_iteration(g_ctx, TRUE);
        timer_loop_iters++;
    }
    store_lateness(ENG_GLIB, late, n_timers);
    g_free(gt);
    g_free(late);
    g_free(deadlines);
}

static void glib_setup(void)
{
    /* Owned by this thread, as the Machina loop owns the default one. */
    g_ctx = g_main_context_new();
    g_main_context_acquire(g_ctx);
}

/* ---- libuv ---- */

static uv_loop_t uv_loop;
static int uv_count;
static uv_async_t uv_chain;
static uv_async_t uv_batch[BH_BATCH];

static void uv_chain_cb(uv_async_t *h)
{
    if (++uv_count < chain_ops) {
        uv_async_send(h);
    }
}

static void uv_batch_cb(uv_async_t *h)
{
    uv_count++;
}

static LatencyDriver uv_lat;
static uv_async_t uv_lat_async;

static void uv_lat_cb(uv_async_t *h)
{
    latency_sample(&uv_lat);
}

static void uv_fire_async(void *opaque)
{
    uv_async_send(&uv_lat_async);
}

static void uv_fd_cb(uv_poll_t *h, int status, int events)
{
    drain_pipe_byte();
    latency_sample(&uv_lat);
}

typedef struct UvTimer {
    uv_timer_t timer;
    int64_t deadline;
    int64_t *lateness;
} UvTimer;

static void uvb_timer_cb(uv_timer_t *h)
{
    UvTimer *ut = (UvTimer *)h;

    timer_stamp(ut->lateness, ut->deadline);
    uv_count++;
}

static void uv_close_all(void)
{
    uv_close((uv_handle_t *)&uv_chain, NULL);
    uv_close((uv_handle_t *)&uv_lat_async, NULL);
    uv_run(&uv_loop, UV_RUN_DEFAULT);
}

static void uv_bh_throughput(void)
{
    int64_t start;

    uv_count = 0;
    start = get_clock();
    uv_async_send(&uv_chain);
    while (uv_count < chain_ops) {
        uv_run(&uv_loop, UV_RUN_ONCE);
    }
    keep_best(ENG_UV, M_BH_CHAIN, ops_per_s(chain_ops, start));

    /*
     * libuv scans every async handle on each wake-up, so the batch handles
     * exist only during this phase (they would slow the others down).
     */
    for (int i = 0; i < BH_BATCH; i++) {
        uv_async_init(&uv_loop, &uv_batch[i], uv_batch_cb);
    }
    uv_count = 0;
    start = get_clock();
    for (int r = 0; r < batch_rounds; r++) {
        for (int i = 0; i < BH_BATCH; i++) {
            uv_async_send(&uv_batch[i]);
        }
        while (uv_count < (r + 1) * BH_BATCH) {
            uv_run(&uv_loop, UV_RUN_ONCE);
        }
    }
    keep_best(ENG_UV, M_BH_BATCH, ops_per_s(uv_count, start));
    for (int i = 0; i < BH_BATCH; i++) {
        uv_close((uv_handle_t *)&uv_batch[i], NULL);
    }
    uv_run(&uv_loop, UV_RUN_NOWAIT);
}

static void uv_latencies(void)
{
    uv_poll_t poll;
    QemuThread t;

    latency_start(&uv_lat, &t, uv_fire_async, NULL, lat_samples);
    while (!qatomic_read(&uv_lat.finished)) {
        uv_run(&uv_loop, UV_RUN_ONCE);
    }
    latency_finish(&uv_lat, &t, ENG_UV, M_BH_LAT_MED);

    uv_poll_init(&uv_loop, &poll, bench_pipe[0]);
    uv_poll_start(&poll, UV_READABLE, uv_fd_cb);
    latency_start(&uv_lat, &t, fire_pipe, NULL, fd_samples);
    while (!qatomic_read(&uv_lat.finished)) {
        uv_run(&uv_loop, UV_RUN_ONCE);
    }
    latency_finish(&uv_lat, &t, ENG_UV, M_FD_LAT_MED);
    uv_poll_stop(&poll);
    uv_close((uv_handle_t *)&poll, NULL);
    uv_run(&uv_loop, UV_RUN_NOWAIT);
}

static void uv_timers(void)
{
    UvTimer *ut = g_new(UvTimer, n_timers);
    int64_t *late = g_new(int64_t, n_timers);
    int64_t *deadlines = make_deadlines(get_clock());
    uint64_t now_ms;

    /*
     * libuv fires when its ms loop time reaches start + timeout, so the
     * smallest timeout that is never early is ceil(deadline) - now, in ms.
     */
    uv_update_time(&uv_loop);
    now_ms = uv_now(&uv_loop);
    for (int i = 0; i < n_timers; i++) {
        /* A starved process may arm past the deadline: then at once. */
        int64_t timeout_ms = (int64_t)DIV_ROUND_UP(deadlines[i], SCALE_MS) -
                             (int64_t)now_ms;

        ut[i].deadline = deadlines[i];
        ut[i].lateness = &late[i];
        uv_timer_init(&uv_loop, &ut[i].timer);
        uv_timer_start(&ut[i].timer, uvb_timer_cb, MAX(timeout_ms, 0), 0);
    }
    uv_count = 0;
    timer_phase_begin(late, n_timers);
    while (uv_count < n_timers) {
        uv_run(&uv_loop, UV_RUN_ONCE);
        timer_loop_iters++;
    }
    store_lateness(ENG_UV, late, n_timers);
    for (int i = 0; i < n_timers; i++) {
        uv_close((uv_handle_t *)&ut[i].timer, NULL);
    }
    uv_run(&uv_loop, UV_RUN_NOWAIT);
    g_free(ut);
    g_free(late);
    g_free(deadlines);
}

static void uv_setup(void)
{
    uv_loop_init(&uv_loop);
    uv_async_init(&uv_loop, &uv_chain, uv_chain_cb);
    uv_async_init(&uv_loop, &uv_lat_async, uv_lat_cb);
}

/* ---- the schedule ---- */

static void (*const phases[3][ENG_MAX])(void) = {
    { machina_bh_throughput, glib_bh_throughput, uv_bh_throughput },
    { machina_latencies, glib_latencies, uv_latencies },
    { machina_timers, glib_timers, uv_timers },
};

/*
 * The host is shared, so its load drifts: every phase runs ROUNDS times,
 * with the engines in a rotating order, so that each sees the same
 * conditions on average.
 */
static void run_all(void)
{
    machina_setup();
    glib_setup();
    uv_setup();
    for (int round = 0; round < ROUNDS; round++) {
        for (int p = 0; p < 3; p++) {
            for (int k = 0; k < ENG_MAX; k++) {
                phases[p][(round + k) % ENG_MAX]();
            }
        }
    }
    finish_pools();
    uv_close_all();
    uv_loop_close(&uv_loop);
    g_main_context_release(g_ctx);
    g_main_context_unref(g_ctx);
    qemu_mutex_unlock_iothread();
}

/* ---- report ---- */

static void print_table(void)
{
    printf("%-24s %14s %14s %14s  %s\n", "metric", engine_names[0],
           engine_names[1], engine_names[2], "unit");
    for (int m = 0; m < M_MAX; m++) {
        printf("%-24s", metrics[m].name);
        for (int e = 0; e < ENG_MAX; e++) {
            printf(" %14.0f", results[e][m]);
        }
        printf("  %s\n", metrics[m].unit);
    }
    printf("\n");
}

/* What the worst timer samples were made of (see TimerWorst). */
static void print_timer_detail(void)
{
    for (int e = 0; e < ENG_MAX; e++) {
        TimerWorst *w = &timer_worst[e];

        printf("timer-max %-8s %9" PRId64 " ns late, loop on CPU %7" PRId64
               " ns in %" PRId64 " iterations before it; %4" PRId64
               " samples > 1 ms (loop on CPU <= %7" PRId64
               " ns before each); %ld preemptions\n",
               engine_names[e], w->late_ns, w->cpu_ns, w->iters,
               w->n_over_1ms, w->cpu_over_1ms_ns, w->nivcsw);
        printf("timer-busy %-8s most loop CPU before one callback: %" PRId64
               " ns in %" PRId64 " iterations (that one %" PRId64
               " ns late)\n", engine_names[e], w->busy_cpu_ns,
               w->busy_iters, w->busy_late_ns);
    }
    printf("\n");
}

/* Machina / best reference; >= 1.0 wins for throughput, <= 1.0 else. */
static void print_ratios(void)
{
    for (int m = 0; m < M_MAX; m++) {
        bool hib = metrics[m].higher_is_better;
        int best = ENG_GLIB;
        double ratio;
        bool ok;

        if (hib ? results[ENG_UV][m] > results[ENG_GLIB][m]
                : results[ENG_UV][m] < results[ENG_GLIB][m]) {
            best = ENG_UV;
        }
        ratio = results[ENG_MACHINA][m] / MAX(results[best][m], 1.0);
        ok = hib ? ratio >= 1.0 : ratio <= 1.0;
        printf("ratio %-24s machina/%-5s = %6.3f  (target %s 1.0) %s\n",
               metrics[m].name, engine_names[best], ratio,
               hib ? ">=" : "<=", ok ? "ok" : "MISS");
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "-q")) {
        chain_ops = 20000;
        batch_rounds = 20;
        lat_samples = fd_samples = 2000;
        n_timers = 1000;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (pipe2(bench_pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        perror("pipe2");
        return 1;
    }
    printf("mainloop-bench: %d rounds of: bh chain %d ops, batch %d x %d, "
           "latency %d samples, fd %d samples, %d timers over %.1f s\n"
           "(throughput: best round; latencies: all rounds pooled)\n\n",
           ROUNDS, chain_ops, batch_rounds, BH_BATCH, lat_samples,
           fd_samples, n_timers, TIMER_SPREAD_NS / 1e9);
    run_all();
    print_table();
    print_timer_detail();
    print_ratios();
    return 0;
}
