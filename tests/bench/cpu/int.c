/*
 * Integer kernel: table-driven CRC-32 over a generated buffer, a sieve
 * of Eratosthenes and a multiply/rotate hash loop.
 */
#include "bench.h"

#define BUF_SIZE    (64 * 1024)
#define CRC_ROUNDS  2700
#define SIEVE_N     (1 << 20)
#define SIEVE_ROUNDS 220
#define HASH_STEPS  (500 * 1000 * 1000)

const char bench_name[] = "int";

static uint8_t buf[BUF_SIZE];
static uint32_t crc_table[256];
static uint8_t composite[SIEVE_N];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    while (n--) {
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    }
    return ~crc;
}

static uint64_t sieve(void)
{
    uint64_t count = 0;

    for (uint32_t i = 0; i < SIEVE_N; i++) {
        composite[i] = 0;
    }
    for (uint32_t i = 2; (uint64_t)i * i < SIEVE_N; i++) {
        if (!composite[i]) {
            for (uint32_t j = i * i; j < SIEVE_N; j += i) {
                composite[j] = 1;
            }
        }
    }
    for (uint32_t i = 2; i < SIEVE_N; i++) {
        count += !composite[i];
    }
    return count;
}

static uint64_t hash_loop(uint64_t h)
{
    for (uint32_t i = 0; i < HASH_STEPS; i++) {
        h ^= i;
        h *= 0x9e3779b97f4a7c15ull;
        h = (h << 29) | (h >> 35);
    }
    return h;
}

uint64_t bench_run(void)
{
    uint64_t seed = 0x1234567, sum = 0;
    uint32_t crc = 0;

    for (size_t i = 0; i < BUF_SIZE; i++) {
        buf[i] = (uint8_t)bench_rand(&seed);
    }
    crc_init();
    for (int r = 0; r < CRC_ROUNDS; r++) {
        crc = crc32(buf, BUF_SIZE, crc);
    }
    for (int r = 0; r < SIEVE_ROUNDS; r++) {
        sum += sieve();
    }
    return sum ^ crc ^ hash_loop(seed);
}
