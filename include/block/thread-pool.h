/*
 * thread-pool.h: blocking block I/O on worker threads, completions in the
 * main thread.
 *
 * thread_pool_submit_aio() is called in the main thread with the big
 * lock held.  The work function runs on one of the pool's workers (it may
 * block in host syscalls and must not touch device state); the completion
 * callback runs later in the main thread with the big lock held, from
 * thread_pool_run_completions(): a bottom half of the main AioContext
 * calls it once qemu_init_main_loop() has run, and drain loops call it
 * through thread_pool_wait_completions().
 */
#ifndef BLOCK_THREAD_POOL_H
#define BLOCK_THREAD_POOL_H

typedef int ThreadPoolFunc(void *arg);
/* @ret: 0 or a negative errno. */
typedef void BlockCompletionFunc(void *opaque, int ret);
typedef struct BlockAIOCB BlockAIOCB;

/* Number of worker threads (started on first use). */
#define THREAD_POOL_WORKERS 8

/*
 * Queue @func(@arg); call @cb(@opaque, result) in the main thread.  The
 * returned handle is valid until @cb has run.
 */
BlockAIOCB *thread_pool_submit_aio(ThreadPoolFunc *func, void *arg,
                                   BlockCompletionFunc *cb, void *opaque);

/* Run every finished request's callback; returns how many ran. */
int thread_pool_run_completions(void);

/*
 * Block until at least one request has finished or @timeout_ms passed
 * (for drain loops and tests that have no main loop); then run them.
 * Returns the number of callbacks run.
 */
int thread_pool_wait_completions(int timeout_ms);

/* Requests submitted whose callback has not run yet.  Main thread. */
unsigned thread_pool_in_flight(void);

#endif /* BLOCK_THREAD_POOL_H */
