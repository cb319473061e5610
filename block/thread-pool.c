/*
 * thread-pool.c: the block worker pool.
 *
 * Requests wait in a FIFO for one of THREAD_POOL_WORKERS threads, run
 * there, and move to a done list.
 *
 * Idle workers are woken one at a time: a submission wakes one only if
 * no wake-up is under way, and a worker that takes a request and still
 * sees a queue wakes the next.  A burst of requests that take long
 * (a real disk) thus spreads over all the workers, one wake-up latency
 * apart, while a burst of short ones (the page cache, tmpfs) is drained
 * by the few already running instead of waking every worker to contend
 * for the lock and the host's CPUs.  The main thread collects the done
 * list and runs the callbacks, so completions are always under the big
 * lock, in the order they finished.  With the main loop running, a
 * bottom half of the main AioContext does that; without it (unit tests,
 * drain loops) thread_pool_wait_completions() does.
 */
#include "qemu/osdep.h"
#include "block/thread-pool.h"
#include "qemu/main-loop.h"
#include "qemu/thread.h"

struct BlockAIOCB {
    ThreadPoolFunc *func;
    void *arg;
    BlockCompletionFunc *cb;
    void *opaque;
    int ret;
};

typedef struct ThreadPool {
    QemuMutex lock;
    QemuCond work_cond;         /* a request was queued */
    QemuCond done_cond;         /* a request finished */
    GQueue pending;             /* lock */
    GQueue done;                /* lock */
    bool started;               /* main thread */
    unsigned in_flight;         /* lock */
    unsigned idle;              /* lock: workers waiting for work */
    bool waking;                /* lock: an idle worker was signalled */
    QEMUBH *completion_bh;      /* set in the main thread, then read-only */
} ThreadPool;

static ThreadPool pool;

static void completion_bh(void *opaque)
{
    thread_pool_run_completions();
}

/*
 * The single completion point, called by a worker with pool.lock held
 * when a request has finished: wake drain loops and have the main loop
 * run the callbacks.
 */
static void thread_pool_completion_ready(void)
{
    qemu_cond_broadcast(&pool.done_cond);
    if (pool.completion_bh) {
        qemu_bh_schedule(pool.completion_bh);
    }
}

/* With pool.lock: wake an idle worker unless one is waking already. */
static void thread_pool_wake_one_locked(void)
{
    if (pool.idle > 0 && !pool.waking) {
        pool.waking = true;
        qemu_cond_signal(&pool.work_cond);
    }
}

static void *worker_thread(void *unused)
{
    qemu_mutex_lock(&pool.lock);
    for (;;) {
        BlockAIOCB *acb;

        while (g_queue_is_empty(&pool.pending)) {
            pool.idle++;
            qemu_cond_wait(&pool.work_cond, &pool.lock);
            pool.idle--;
            pool.waking = false;
        }
        acb = g_queue_pop_head(&pool.pending);
        if (!g_queue_is_empty(&pool.pending)) {
            thread_pool_wake_one_locked();
        }
        qemu_mutex_unlock(&pool.lock);

        acb->ret = acb->func(acb->arg);

        qemu_mutex_lock(&pool.lock);
        g_queue_push_tail(&pool.done, acb);
        thread_pool_completion_ready();
    }
    return NULL;
}

static void thread_pool_start(void)
{
    qemu_mutex_init(&pool.lock);
    qemu_cond_init(&pool.work_cond);
    qemu_cond_init(&pool.done_cond);
    g_queue_init(&pool.pending);
    g_queue_init(&pool.done);
    for (int i = 0; i < THREAD_POOL_WORKERS; i++) {
        g_autofree char *name = g_strdup_printf("block-worker-%d", i);
        QemuThread thread;

        /* Workers live as long as the process. */
        qemu_thread_create(&thread, name, worker_thread, NULL,
                           QEMU_THREAD_DETACHED);
    }
    pool.started = true;
}

BlockAIOCB *thread_pool_submit_aio(ThreadPoolFunc *func, void *arg,
                                   BlockCompletionFunc *cb, void *opaque)
{
    BlockAIOCB *acb = g_new0(BlockAIOCB, 1);

    if (!pool.started) {
        thread_pool_start();
    }
    /* Completions go through the main loop once it exists. */
    if (!pool.completion_bh && qemu_get_aio_context()) {
        pool.completion_bh = qemu_bh_new(completion_bh, NULL);
    }
    acb->func = func;
    acb->arg = arg;
    acb->cb = cb;
    acb->opaque = opaque;

    qemu_mutex_lock(&pool.lock);
    pool.in_flight++;
    g_queue_push_tail(&pool.pending, acb);
    thread_pool_wake_one_locked();
    qemu_mutex_unlock(&pool.lock);
    return acb;
}

int thread_pool_run_completions(void)
{
    int count = 0;

    if (!pool.started) {
        return 0;
    }
    for (;;) {
        BlockAIOCB *acb;

        qemu_mutex_lock(&pool.lock);
        acb = g_queue_pop_head(&pool.done);
        if (acb) {
            pool.in_flight--;
        }
        qemu_mutex_unlock(&pool.lock);
        if (!acb) {
            return count;
        }

        /* The callback may submit more requests; the lock is not held. */
        acb->cb(acb->opaque, acb->ret);
        g_free(acb);
        count++;
    }
}

int thread_pool_wait_completions(int timeout_ms)
{
    gint64 deadline = g_get_monotonic_time() + timeout_ms * 1000LL;

    if (!pool.started) {
        return 0;
    }
    qemu_mutex_lock(&pool.lock);
    while (g_queue_is_empty(&pool.done)) {
        gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;

        if (left_ms <= 0 ||
            !qemu_cond_timedwait(&pool.done_cond, &pool.lock, left_ms)) {
            break;
        }
    }
    qemu_mutex_unlock(&pool.lock);
    return thread_pool_run_completions();
}

unsigned thread_pool_in_flight(void)
{
    unsigned n;

    if (!pool.started) {
        return 0;
    }
    qemu_mutex_lock(&pool.lock);
    n = pool.in_flight;
    qemu_mutex_unlock(&pool.lock);
    return n;
}
