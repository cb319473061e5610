/*
 * Threads and synchronisation primitives over pthreads (qemu/thread.h).
 */
#include "qemu/osdep.h"
#include "qemu/thread.h"
#include "qemu/atomic.h"
#include <sys/syscall.h>

#define EV_SET  0
#define EV_FREE 1

/* A pthread call failed: the program cannot go on in a known state. */
static void QEMU_NORETURN error_exit(int err, const char *fn)
{
    fprintf(stderr, "%s: %s\n", fn, strerror(err));
    abort();
}

static void check(int err, const char *fn)
{
    if (unlikely(err)) {
        error_exit(err, fn);
    }
}

void qemu_mutex_init(QemuMutex *mutex)
{
    check(pthread_mutex_init(&mutex->lock, NULL), __func__);
    mutex->initialized = true;
}

void qemu_mutex_destroy(QemuMutex *mutex)
{
    assert(mutex->initialized);
    mutex->initialized = false;
    check(pthread_mutex_destroy(&mutex->lock), __func__);
}

void qemu_mutex_lock(QemuMutex *mutex)
{
    assert(mutex->initialized);
    check(pthread_mutex_lock(&mutex->lock), __func__);
}

int qemu_mutex_trylock(QemuMutex *mutex)
{
    int err;

    assert(mutex->initialized);
    err = pthread_mutex_trylock(&mutex->lock);
    if (err == EBUSY) {
        return -EBUSY;
    }
    check(err, __func__);
    return 0;
}

void qemu_mutex_unlock(QemuMutex *mutex)
{
    assert(mutex->initialized);
    check(pthread_mutex_unlock(&mutex->lock), __func__);
}

void qemu_rec_mutex_init(QemuRecMutex *mutex)
{
    pthread_mutexattr_t attr;

    check(pthread_mutexattr_init(&attr), __func__);
    check(pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE),
          __func__);
    check(pthread_mutex_init(&mutex->lock, &attr), __func__);
    pthread_mutexattr_destroy(&attr);
    mutex->initialized = true;
}

/* Once made, a recursive mutex is used like any other. */
void qemu_rec_mutex_destroy(QemuRecMutex *mutex)
{
    qemu_mutex_destroy(mutex);
}

void qemu_rec_mutex_lock(QemuRecMutex *mutex)
{
    qemu_mutex_lock(mutex);
}

int qemu_rec_mutex_trylock(QemuRecMutex *mutex)
{
    return qemu_mutex_trylock(mutex);
}

void qemu_rec_mutex_unlock(QemuRecMutex *mutex)
{
    qemu_mutex_unlock(mutex);
}

void qemu_cond_init(QemuCond *cond)
{
    pthread_condattr_t attr;

    /* Timed waits count on the monotonic clock (see the header). */
    check(pthread_condattr_init(&attr), __func__);
    check(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC), __func__);
    check(pthread_cond_init(&cond->cond, &attr), __func__);
    pthread_condattr_destroy(&attr);
    cond->initialized = true;
}

void qemu_cond_destroy(QemuCond *cond)
{
    assert(cond->initialized);
    cond->initialized = false;
    check(pthread_cond_destroy(&cond->cond), __func__);
}

void qemu_cond_signal(QemuCond *cond)
{
    assert(cond->initialized);
    check(pthread_cond_signal(&cond->cond), __func__);
}

void qemu_cond_broadcast(QemuCond *cond)
{
    assert(cond->initialized);
    check(pthread_cond_broadcast(&cond->cond), __func__);
}

void qemu_cond_wait(QemuCond *cond, QemuMutex *mutex)
{
    assert(cond->initialized && mutex->initialized);
    check(pthread_cond_wait(&cond->cond, &mutex->lock), __func__);
}

/* Absolute CLOCK_MONOTONIC time @ms milliseconds from now. */
static struct timespec deadline_after_ms(int ms)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    return ts;
}

bool qemu_cond_timedwait(QemuCond *cond, QemuMutex *mutex, int ms)
{
    struct timespec ts = deadline_after_ms(ms);
    int err;

    assert(cond->initialized && mutex->initialized);
    err = pthread_cond_timedwait(&cond->cond, &mutex->lock, &ts);
    if (err == ETIMEDOUT) {
        return false;
    }
    check(err, __func__);
    return true;
}

void qemu_sem_init(QemuSemaphore *sem, int init)
{
    assert(init >= 0);
    qemu_mutex_init(&sem->mutex);
    qemu_cond_init(&sem->cond);
    sem->count = init;
}

void qemu_sem_destroy(QemuSemaphore *sem)
{
    qemu_cond_destroy(&sem->cond);
    qemu_mutex_destroy(&sem->mutex);
}

void qemu_sem_post(QemuSemaphore *sem)
{
    qemu_mutex_lock(&sem->mutex);
    if (sem->count == UINT_MAX) {
        error_exit(EINVAL, __func__);
    }
    sem->count++;
    qemu_cond_signal(&sem->cond);
    qemu_mutex_unlock(&sem->mutex);
}

void qemu_sem_wait(QemuSemaphore *sem)
{
    qemu_mutex_lock(&sem->mutex);
    while (sem->count == 0) {
        qemu_cond_wait(&sem->cond, &sem->mutex);
    }
    sem->count--;
    qemu_mutex_unlock(&sem->mutex);
}

int qemu_sem_timedwait(QemuSemaphore *sem, int ms)
{
    struct timespec ts = deadline_after_ms(ms);
    int err = 0;

    /* One absolute deadline, so spurious wake-ups do not extend the wait. */
    qemu_mutex_lock(&sem->mutex);
    while (sem->count == 0 && err != ETIMEDOUT) {
        err = pthread_cond_timedwait(&sem->cond.cond, &sem->mutex.lock, &ts);
        if (err && err != ETIMEDOUT) {
            error_exit(err, __func__);
        }
    }
    if (sem->count == 0) {
        qemu_mutex_unlock(&sem->mutex);
        return -1;
    }
    sem->count--;
    qemu_mutex_unlock(&sem->mutex);
    return 0;
}

void qemu_event_init(QemuEvent *ev, bool init)
{
    qemu_mutex_init(&ev->mutex);
    qemu_cond_init(&ev->cond);
    ev->value = init ? EV_SET : EV_FREE;
    ev->initialized = true;
}

void qemu_event_destroy(QemuEvent *ev)
{
    assert(ev->initialized);
    ev->initialized = false;
    qemu_cond_destroy(&ev->cond);
    qemu_mutex_destroy(&ev->mutex);
}

void qemu_event_set(QemuEvent *ev)
{
    /*
     * Fast path: already set.  The barrier orders the caller's earlier
     * stores before the waiter's return, paired with the acquire load in
     * qemu_event_wait().
     */
    smp_mb();
    if (qatomic_read(&ev->value) == EV_SET) {
        return;
    }
    qemu_mutex_lock(&ev->mutex);
    qatomic_store_release(&ev->value, EV_SET);
    qemu_cond_broadcast(&ev->cond);
    qemu_mutex_unlock(&ev->mutex);
}

void qemu_event_reset(QemuEvent *ev)
{
    qatomic_set(&ev->value, EV_FREE);
    smp_mb();
}

void qemu_event_wait(QemuEvent *ev)
{
    if (qatomic_load_acquire(&ev->value) == EV_SET) {
        return;
    }
    qemu_mutex_lock(&ev->mutex);
    while (qatomic_read(&ev->value) != EV_SET) {
        qemu_cond_wait(&ev->cond, &ev->mutex);
    }
    qemu_mutex_unlock(&ev->mutex);
}

void qemu_thread_create(QemuThread *thread, const char *name,
                        void *(*start_routine)(void *), void *arg,
                        int mode)
{
    sigset_t all, old;
    pthread_attr_t attr;
    char short_name[16];

    check(pthread_attr_init(&attr), __func__);
    if (mode == QEMU_THREAD_DETACHED) {
        check(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED),
              __func__);
    }

    /* The child inherits this mask: asynchronous signals stay with main. */
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    check(pthread_create(&thread->thread, &attr, start_routine, arg),
          __func__);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);

    /* The kernel limits names to 15 characters plus the terminator. */
    if (name) {
        g_strlcpy(short_name, name, sizeof(short_name));
        pthread_setname_np(thread->thread, short_name);
    }
}

void *qemu_thread_join(QemuThread *thread)
{
    void *ret;

    check(pthread_join(thread->thread, &ret), __func__);
    return ret;
}

void qemu_thread_get_self(QemuThread *thread)
{
    thread->thread = pthread_self();
}

bool qemu_thread_is_self(QemuThread *thread)
{
    return pthread_equal(pthread_self(), thread->thread);
}

void qemu_thread_exit(void *retval)
{
    pthread_exit(retval);
}

int qemu_get_thread_id(void)
{
    return syscall(SYS_gettid);
}
