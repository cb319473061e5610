/*
 * thread.h: threads and synchronisation primitives over pthreads.
 *
 * Every wrapper checks the pthread result; a failure is a programming or
 * resource error that the caller cannot handle, so it prints
 * "qemu_mutex_lock: Invalid argument" (the wrapper's name and strerror)
 * and aborts.  None of these functions needs the big lock; all may be
 * called from any thread.  Timed waits count milliseconds on
 * CLOCK_MONOTONIC, so a change of the wall clock does not disturb them.
 */
#ifndef QEMU_THREAD_H
#define QEMU_THREAD_H

#include <pthread.h>

typedef struct QemuMutex {
    pthread_mutex_t lock;
    bool initialized;
} QemuMutex;

/* A mutex that the owning thread may take again (counted). */
/* A recursive mutex is a QemuMutex made with the recursive attribute. */
typedef QemuMutex QemuRecMutex;

typedef struct QemuCond {
    pthread_cond_t cond;
    bool initialized;
} QemuCond;

/* Counting semaphore. */
typedef struct QemuSemaphore {
    QemuMutex mutex;
    QemuCond cond;
    unsigned int count;
} QemuSemaphore;

/*
 * Manual-reset event: qemu_event_wait() returns at once while the event is
 * set and blocks while it is reset.  Setting an already-set event is a
 * cheap atomic read.
 */
typedef struct QemuEvent {
    QemuMutex mutex;
    QemuCond cond;
    unsigned int value;         /* EV_SET or EV_FREE; read without lock */
    bool initialized;
} QemuEvent;

typedef struct QemuThread {
    pthread_t thread;
} QemuThread;

#define QEMU_THREAD_JOINABLE 0
#define QEMU_THREAD_DETACHED 1

void qemu_mutex_init(QemuMutex *mutex);
void qemu_mutex_destroy(QemuMutex *mutex);
void qemu_mutex_lock(QemuMutex *mutex);
/* Returns 0 when the lock was taken, -EBUSY when another thread holds it. */
int qemu_mutex_trylock(QemuMutex *mutex);
void qemu_mutex_unlock(QemuMutex *mutex);

void qemu_rec_mutex_init(QemuRecMutex *mutex);
void qemu_rec_mutex_destroy(QemuRecMutex *mutex);
void qemu_rec_mutex_lock(QemuRecMutex *mutex);
int qemu_rec_mutex_trylock(QemuRecMutex *mutex);
void qemu_rec_mutex_unlock(QemuRecMutex *mutex);

void qemu_cond_init(QemuCond *cond);
void qemu_cond_destroy(QemuCond *cond);
void qemu_cond_signal(QemuCond *cond);
void qemu_cond_broadcast(QemuCond *cond);
/* @mutex must be held; it is released while waiting and held on return. */
void qemu_cond_wait(QemuCond *cond, QemuMutex *mutex);
/*
 * Like qemu_cond_wait() for at most @ms milliseconds.  Returns false on
 * timeout, true when woken (possibly spuriously: re-check the predicate).
 */
bool qemu_cond_timedwait(QemuCond *cond, QemuMutex *mutex, int ms);

void qemu_sem_init(QemuSemaphore *sem, int init);
void qemu_sem_destroy(QemuSemaphore *sem);
void qemu_sem_post(QemuSemaphore *sem);
void qemu_sem_wait(QemuSemaphore *sem);
/* Returns 0 when the count was taken, -1 after @ms milliseconds without. */
int qemu_sem_timedwait(QemuSemaphore *sem, int ms);

void qemu_event_init(QemuEvent *ev, bool init);
void qemu_event_destroy(QemuEvent *ev);
void qemu_event_set(QemuEvent *ev);
void qemu_event_reset(QemuEvent *ev);
void qemu_event_wait(QemuEvent *ev);

/*
 * Start @start_routine(@arg) in a new thread called @name (the kernel
 * keeps the first 15 characters; they show in top -H and gdb).  @mode is
 * QEMU_THREAD_JOINABLE (reap it with qemu_thread_join()) or
 * QEMU_THREAD_DETACHED.  The new thread starts with every signal blocked
 * except the synchronous ones, so that signals go to the main thread.
 */
void qemu_thread_create(QemuThread *thread, const char *name,
                        void *(*start_routine)(void *), void *arg,
                        int mode);
/* Wait for a joinable thread and return its start routine's result. */
void *qemu_thread_join(QemuThread *thread);
void qemu_thread_get_self(QemuThread *thread);
bool qemu_thread_is_self(QemuThread *thread);
void qemu_thread_exit(void *retval) QEMU_NORETURN;
/* The kernel's id of the calling thread (gettid), for logs. */
int qemu_get_thread_id(void);

#endif /* QEMU_THREAD_H */
