/*
 * SMP (run with -smp 8): harts hammer shared counters with LR/SC, AMOs
 * and an AMO spinlock and must get exact totals; harts sleeping in wfi
 * are woken by CLINT software interrupts.
 */
#include "runtime.h"

#define EXPECTED_HARTS  8
#define ITERATIONS      100000

static volatile uint64_t lrsc_counter __attribute__((aligned(64)));
static volatile uint64_t amo_counter __attribute__((aligned(64)));
static volatile uint32_t amo_counter_w __attribute__((aligned(64)));
static volatile uint64_t lock_word __attribute__((aligned(64)));
static volatile uint64_t locked_counter __attribute__((aligned(64)));
static volatile uint64_t go __attribute__((aligned(64)));
static volatile uint64_t woken __attribute__((aligned(64)));
static volatile uint64_t sleeping __attribute__((aligned(64)));
static volatile uint64_t max_seen __attribute__((aligned(64)));

static void lrsc_inc(volatile uint64_t *p)
{
    uint64_t tmp, fail;

    asm volatile("1: lr.d %0, (%2)\n"
                 "addi %0, %0, 1\n"
                 "sc.d %1, %0, (%2)\n"
                 "bnez %1, 1b"
                 : "=&r"(tmp), "=&r"(fail) : "r"(p) : "memory");
}

static void lock(void)
{
    uint64_t old;

    do {
        asm volatile("amoswap.d.aq %0, %1, (%2)"
                     : "=r"(old) : "r"(1UL), "r"(&lock_word) : "memory");
    } while (old);
}

static void unlock(void)
{
    asm volatile("amoswap.d.rl zero, zero, (%0)" :: "r"(&lock_word)
                 : "memory");
}

static void hammer(int hartid)
{
    while (!go) {
    }
    for (int i = 0; i < ITERATIONS; i++) {
        lrsc_inc(&lrsc_counter);
        asm volatile("amoadd.d zero, %0, (%1)" :: "r"(1UL),
                     "r"(&amo_counter) : "memory");
        asm volatile("amoadd.w zero, %0, (%1)" :: "r"(3UL),
                     "r"(&amo_counter_w) : "memory");
        asm volatile("amomaxu.d zero, %0, (%1)" :: "r"((uint64_t)hartid),
                     "r"(&max_seen) : "memory");
        if ((i & 7) == 0) {
            lock();
            locked_counter = locked_counter + 1;
            unlock();
        }
    }
}

static void test_counters(int harts)
{
    for (int h = 1; h < harts; h++) {
        start_hart(h, hammer);
    }
    asm volatile("fence rw, rw" ::: "memory");
    go = 1;
    hammer(0);
    for (int h = 1; h < harts; h++) {
        wait_hart(h);
    }
    CHECK_EQ(lrsc_counter, (uint64_t)harts * ITERATIONS);
    CHECK_EQ(amo_counter, (uint64_t)harts * ITERATIONS);
    CHECK_EQ(amo_counter_w, (uint32_t)(harts * ITERATIONS * 3));
    CHECK_EQ(locked_counter, (uint64_t)harts * (ITERATIONS / 8));
    CHECK_EQ(max_seen, harts - 1);
    CHECK_EQ(lock_word, 0);
}

/*
 * Sleep in wfi with only MSIP enabled (and mstatus.MIE clear, so the
 * interrupt wakes the hart without trapping) until the IPI is pending.
 */
static void sleeper(int hartid)
{
    csr_write(mie, MIP_MSIP);
    asm volatile("amoadd.d zero, %0, (%1)" :: "r"(1UL), "r"(&sleeping)
                 : "memory");
    while (!(csr_read(mip) & MIP_MSIP)) {
        asm volatile("wfi" ::: "memory");
    }
    mmio_write32(CLINT_MSIP(hartid), 0);
    csr_write(mie, 0);
    asm volatile("amoadd.d zero, %0, (%1)" :: "r"(1UL), "r"(&woken)
                 : "memory");
}

static void test_wfi_wakeup(int harts)
{
    uint64_t start;

    for (int h = 1; h < harts; h++) {
        start_hart(h, sleeper);
    }

    /* wait until all sleep, then 20 ms: none may leave before the IPI */
    while (sleeping < (uint64_t)harts - 1) {
    }
    start = mmio_read64(CLINT_MTIME);
    while (mmio_read64(CLINT_MTIME) - start < 200000) {
    }
    CHECK_EQ(woken, 0);

    for (int h = 1; h < harts; h++) {
        mmio_write32(CLINT_MSIP(h), 1);
    }
    for (int h = 1; h < harts; h++) {
        wait_hart(h);
    }
    CHECK_EQ(woken, (uint64_t)harts - 1);
    for (int h = 1; h < harts; h++) {
        CHECK_EQ(mmio_read32(CLINT_MSIP(h)), 0);
    }
}

/*
 * A store by another hart between lr and sc must make the sc fail.
 * Hart 1 takes the reservation and waits (the wait loop may itself cost
 * the reservation on some implementations; the sc fails either way).
 */
static volatile uint64_t resv_word __attribute__((aligned(64)));
static volatile uint64_t resv_taken __attribute__((aligned(64)));
static volatile uint64_t resv_stored __attribute__((aligned(64)));
static volatile uint64_t resv_sc_result __attribute__((aligned(64)));

static void reserver(int hartid)
{
    uint64_t old, fail;

    (void)hartid;
    asm volatile("lr.d %0, (%2)\n"
                 "sd %3, 0(%4)\n"              /* resv_taken = 1 */
                 "1: ld t0, 0(%5)\n"           /* wait for resv_stored */
                 "beqz t0, 1b\n"
                 "sc.d %1, %6, (%2)"
                 : "=&r"(old), "=&r"(fail)
                 : "r"(&resv_word), "r"(1UL), "r"(&resv_taken),
                   "r"(&resv_stored), "r"(777UL)
                 : "t0", "memory");
    resv_sc_result = fail;
}

static void test_reservation_broken(void)
{
    resv_word = 5;
    resv_sc_result = 99;
    start_hart(1, reserver);
    while (!resv_taken) {
    }
    resv_word = 6;
    asm volatile("fence rw, rw" ::: "memory");
    resv_stored = 1;
    wait_hart(1);
    CHECK(resv_sc_result != 0 && resv_sc_result != 99);
    CHECK_EQ(resv_word, 6);
}

/* Each hart reports its own mhartid. */
static volatile uint64_t seen_id[MAX_HARTS];

static void report_id(int hartid)
{
    seen_id[hartid] = csr_read(mhartid) + 100;
}

int main(void)
{
    int harts = hart_count();

    CHECK_EQ(harts, EXPECTED_HARTS);
    for (int h = 1; h < harts; h++) {
        start_hart(h, report_id);
        wait_hart(h);
        CHECK_EQ(seen_id[h], h + 100);
    }
    test_counters(harts);
    test_reservation_broken();
    test_wfi_wakeup(harts);
    return 0;
}
