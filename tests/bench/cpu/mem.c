/*
 * Memory kernel: word copies between two 4 MiB buffers and a dependent
 * pointer chase through an 8 MiB random cycle (Sattolo's algorithm).
 */
#include "bench.h"

#define COPY_WORDS  (512 * 1024)            /* 4 MiB of uint64_t */
#define COPY_ROUNDS 60
#define CHASE_NODES (1024 * 1024)           /* 8 MiB of indices */
#define CHASE_STEPS (20 * 1000 * 1000)

const char bench_name[] = "mem";

static uint64_t src[COPY_WORDS];
static uint64_t dst[COPY_WORDS];
static uint64_t next[CHASE_NODES];

static void copy_words(uint64_t *d, const uint64_t *s, size_t n)
{
    for (size_t i = 0; i < n; i += 4) {
        d[i] = s[i];
        d[i + 1] = s[i + 1];
        d[i + 2] = s[i + 2];
        d[i + 3] = s[i + 3];
    }
}

static uint64_t copy_phase(void)
{
    uint64_t seed = 42, sum = 0;

    for (size_t i = 0; i < COPY_WORDS; i++) {
        src[i] = bench_rand(&seed);
    }
    for (int r = 0; r < COPY_ROUNDS; r++) {
        if (r & 1) {
            copy_words(src, dst, COPY_WORDS);
        } else {
            copy_words(dst, src, COPY_WORDS);
        }
        src[r] ^= r;
    }
    for (size_t i = 0; i < COPY_WORDS; i += 1024) {
        sum += dst[i] ^ src[i];
    }
    return sum;
}

static uint64_t chase_phase(void)
{
    uint64_t seed = 7, p = 0, sum = 0;

    for (size_t i = 0; i < CHASE_NODES; i++) {
        next[i] = i;
    }
    for (size_t i = CHASE_NODES - 1; i > 0; i--) {
        size_t j = bench_rand(&seed) % i;
        uint64_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    for (uint32_t s = 0; s < CHASE_STEPS; s++) {
        p = next[p];
        sum += p;
    }
    return sum;
}

uint64_t bench_run(void)
{
    return copy_phase() * 31 + chase_phase();
}
