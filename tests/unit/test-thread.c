/*
 * Unit tests of the thread wrappers (qemu/thread.h) and of the big lock
 * used as a condition-variable mutex.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/atomic.h"
#include "qemu/main-loop.h"
#include "qemu/thread.h"
#include "qemu/timer.h"

static int64_t elapsed_ms_since(int64_t start_ns)
{
    return (get_clock() - start_ns) / SCALE_MS;
}

typedef struct Shared {
    QemuMutex mutex;
    QemuCond cond;
    QemuSemaphore sem;
    QemuEvent ev;
    bool flag;
    int result;
} Shared;

static void *sem_poster(void *opaque)
{
    Shared *s = opaque;

    g_usleep(20 * 1000);
    qemu_sem_post(&s->sem);
    qemu_sem_post(&s->sem);
    return NULL;
}

static void test_semaphore(void)
{
    Shared s;
    QemuThread t;
    int64_t start;

    qemu_sem_init(&s.sem, 1);
    g_assert_cmpint(qemu_sem_timedwait(&s.sem, 0), ==, 0);

    /* Empty: a timed wait gives up after the timeout, not before. */
    start = get_clock();
    g_assert_cmpint(qemu_sem_timedwait(&s.sem, 30), ==, -1);
    g_assert_cmpint(elapsed_ms_since(start), >=, 30);

    /* Two posts from another thread satisfy two waits. */
    qemu_thread_create(&t, "sem", sem_poster, &s, QEMU_THREAD_JOINABLE);
    qemu_sem_wait(&s.sem);
    g_assert_cmpint(qemu_sem_timedwait(&s.sem, 5000), ==, 0);
    qemu_thread_join(&t);
    g_assert_cmpint(qemu_sem_timedwait(&s.sem, 0), ==, -1);
    qemu_sem_destroy(&s.sem);
}

static void *event_waiter(void *opaque)
{
    Shared *s = opaque;

    qemu_event_wait(&s->ev);
    qatomic_set(&s->flag, true);
    return NULL;
}

static void test_event(void)
{
    Shared s = { 0 };
    QemuThread t;

    qemu_event_init(&s.ev, false);
    qemu_thread_create(&t, "event", event_waiter, &s, QEMU_THREAD_JOINABLE);
    g_usleep(20 * 1000);
    g_assert_false(qatomic_read(&s.flag));

    qemu_event_set(&s.ev);
    qemu_thread_join(&t);
    g_assert_true(s.flag);

    /* Set: waits return at once; reset: they would block again. */
    qemu_event_set(&s.ev);
    qemu_event_wait(&s.ev);
    qemu_event_reset(&s.ev);
    s.flag = false;
    qemu_thread_create(&t, "event", event_waiter, &s, QEMU_THREAD_JOINABLE);
    g_usleep(20 * 1000);
    g_assert_false(qatomic_read(&s.flag));
    qemu_event_set(&s.ev);
    qemu_thread_join(&t);
    g_assert_true(s.flag);
    qemu_event_destroy(&s.ev);
}

static void *cond_signaller(void *opaque)
{
    Shared *s = opaque;

    g_usleep(20 * 1000);
    qemu_mutex_lock(&s->mutex);
    s->flag = true;
    qemu_cond_signal(&s->cond);
    qemu_mutex_unlock(&s->mutex);
    return NULL;
}

static void test_cond_timedwait(void)
{
    Shared s = { 0 };
    QemuThread t;
    int64_t start;
    bool woken = true;

    qemu_mutex_init(&s.mutex);
    qemu_cond_init(&s.cond);

    qemu_mutex_lock(&s.mutex);
    start = get_clock();
    g_assert_false(qemu_cond_timedwait(&s.cond, &s.mutex, 30));
    g_assert_cmpint(elapsed_ms_since(start), >=, 30);

    qemu_thread_create(&t, "cond", cond_signaller, &s, QEMU_THREAD_JOINABLE);
    while (!s.flag && woken) {
        woken = qemu_cond_timedwait(&s.cond, &s.mutex, 5000);
    }
    g_assert_true(woken);
    g_assert_true(s.flag);
    qemu_mutex_unlock(&s.mutex);
    qemu_thread_join(&t);

    qemu_cond_destroy(&s.cond);
    qemu_mutex_destroy(&s.mutex);
}

static void *try_lock(void *opaque)
{
    Shared *s = opaque;

    s->result = qemu_mutex_trylock(&s->mutex);
    if (s->result == 0) {
        qemu_mutex_unlock(&s->mutex);
    }
    return NULL;
}

static void test_mutex_trylock(void)
{
    Shared s = { 0 };
    QemuThread t;

    qemu_mutex_init(&s.mutex);
    qemu_mutex_lock(&s.mutex);
    qemu_thread_create(&t, "trylock", try_lock, &s, QEMU_THREAD_JOINABLE);
    qemu_thread_join(&t);
    g_assert_cmpint(s.result, ==, -EBUSY);
    qemu_mutex_unlock(&s.mutex);

    qemu_thread_create(&t, "trylock", try_lock, &s, QEMU_THREAD_JOINABLE);
    qemu_thread_join(&t);
    g_assert_cmpint(s.result, ==, 0);
    qemu_mutex_destroy(&s.mutex);
}

static void test_rec_mutex(void)
{
    QemuRecMutex m;

    qemu_rec_mutex_init(&m);
    qemu_rec_mutex_lock(&m);
    qemu_rec_mutex_lock(&m);
    g_assert_cmpint(qemu_rec_mutex_trylock(&m), ==, 0);
    qemu_rec_mutex_unlock(&m);
    qemu_rec_mutex_unlock(&m);
    qemu_rec_mutex_unlock(&m);
    qemu_rec_mutex_destroy(&m);
}

static void *report_self(void *opaque)
{
    char *name = opaque;

    pthread_getname_np(pthread_self(), name, 32);
    return GINT_TO_POINTER(qemu_get_thread_id());
}

static void test_thread_name_and_id(void)
{
    char name[32] = "";
    QemuThread t, self;
    int tid;

    qemu_thread_create(&t, "a-rather-long-thread-name", report_self, name,
                       QEMU_THREAD_JOINABLE);
    g_assert_false(qemu_thread_is_self(&t));
    tid = GPOINTER_TO_INT(qemu_thread_join(&t));

    /* The name is cut to the kernel's 15 characters. */
    g_assert_cmpstr(name, ==, "a-rather-long-t");
    g_assert_cmpint(tid, >, 0);
    g_assert_cmpint(tid, !=, qemu_get_thread_id());

    qemu_thread_get_self(&self);
    g_assert_true(qemu_thread_is_self(&self));
}

static void *take_bql(void *opaque)
{
    Shared *s = opaque;

    qemu_mutex_lock_iothread();
    s->flag = true;
    qemu_cond_signal(&s->cond);
    qemu_mutex_unlock_iothread();
    return NULL;
}

static void test_cond_wait_iothread(void)
{
    Shared s = { 0 };
    QemuThread t;
    bool woken = true;

    qemu_cond_init(&s.cond);
    qemu_mutex_lock_iothread();

    /* Waiting releases the big lock, so the other thread can take it. */
    qemu_thread_create(&t, "bql", take_bql, &s, QEMU_THREAD_JOINABLE);
    while (!s.flag && woken) {
        woken = qemu_cond_timedwait_iothread(&s.cond, 5000);
        g_assert_true(qemu_mutex_iothread_locked());
    }
    g_assert_true(s.flag);
    g_assert_false(qemu_cond_timedwait_iothread(&s.cond, 10));

    qemu_mutex_unlock_iothread();
    qemu_thread_join(&t);
    qemu_cond_destroy(&s.cond);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/thread/semaphore", test_semaphore);
    g_test_add_func("/thread/event", test_event);
    g_test_add_func("/thread/cond-timedwait", test_cond_timedwait);
    g_test_add_func("/thread/mutex-trylock", test_mutex_trylock);
    g_test_add_func("/thread/rec-mutex", test_rec_mutex);
    g_test_add_func("/thread/name-and-id", test_thread_name_and_id);
    g_test_add_func("/thread/cond-wait-iothread", test_cond_wait_iothread);
    return g_test_run();
}
