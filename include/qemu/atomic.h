/*
 * atomic.h: the few atomic operations the main loop needs, over the
 * compiler's __atomic builtins.
 *
 * qatomic_read/qatomic_set are relaxed (they only stop the compiler from
 * tearing or caching the access); ordering comes from the explicit
 * barriers or from the sequentially consistent read-modify-write
 * operations, which are full barriers.
 */
#ifndef QEMU_ATOMIC_H
#define QEMU_ATOMIC_H

#define qatomic_read(ptr)       __atomic_load_n(ptr, __ATOMIC_RELAXED)
#define qatomic_set(ptr, val)   __atomic_store_n(ptr, val, __ATOMIC_RELAXED)
#define qatomic_load_acquire(ptr)  __atomic_load_n(ptr, __ATOMIC_ACQUIRE)
#define qatomic_store_release(ptr, val) \
    __atomic_store_n(ptr, val, __ATOMIC_RELEASE)

/* Read-modify-write operations; each one is a full barrier. */
#define qatomic_xchg(ptr, val)  __atomic_exchange_n(ptr, val, __ATOMIC_SEQ_CST)
#define qatomic_fetch_or(ptr, v)  __atomic_fetch_or(ptr, v, __ATOMIC_SEQ_CST)
#define qatomic_fetch_and(ptr, v) __atomic_fetch_and(ptr, v, __ATOMIC_SEQ_CST)
#define qatomic_fetch_add(ptr, v) __atomic_fetch_add(ptr, v, __ATOMIC_SEQ_CST)
#define qatomic_fetch_sub(ptr, v) __atomic_fetch_sub(ptr, v, __ATOMIC_SEQ_CST)
#define qatomic_inc(ptr)          ((void)qatomic_fetch_add(ptr, 1))
#define qatomic_dec(ptr)          ((void)qatomic_fetch_sub(ptr, 1))
/* Returns the value found at *ptr; the swap happened iff it equals old. */
#define qatomic_cmpxchg(ptr, old, new) ({                                 \
    __typeof__(*(ptr)) _old = (old);                                      \
    __atomic_compare_exchange_n(ptr, &_old, new, false,                   \
                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);      \
    _old; })

#define smp_mb()    __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_wmb()   __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb()   __atomic_thread_fence(__ATOMIC_ACQUIRE)

#endif /* QEMU_ATOMIC_H */
