/*
 * CPU benchmark kernels: each kernel file defines bench_name and
 * bench_run(), which does a fixed, deterministic amount of work and
 * returns a checksum.  The same source builds as a bare-metal RISC-V
 * program (bench-riscv.c) and as a host program (bench-host.c).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stddef.h>

extern const char bench_name[];
uint64_t bench_run(void);

static inline double bench_sqrt(double x)
{
#ifdef __riscv
    double r;
    asm("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
#else
    return __builtin_sqrt(x);
#endif
}

/* xorshift64: the deterministic input generator every kernel uses */
static inline uint64_t bench_rand(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

#endif
