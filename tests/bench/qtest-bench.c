/*
 * qtest-bench.c: qtest protocol throughput, Machina against QEMU.
 *
 *   qtest-bench [--machina PATH] [--qemu PATH] [--requests N]
 *
 * 1. Round-trip rate: N "readl" of a device register (the virtio-mmio
 *    magic at 0x10001000) through libqtest, one request in flight, on
 *    both emulators with the same options: "-M virt -S -accel tcg
 *    -nodefaults -bios none" (Debian's QEMU 7.2 has no qtest
 *    accelerator, and -qtest works under a stopped TCG machine).
 *    Machina is also measured under its qtest accelerator.
 * 2. clock_step rate with many armed VIRTUAL timers, Machina only: QEMU
 *    answers clock_step only under the qtest accelerator, which Debian's
 *    build lacks.  The timers are the CLINT mtimecmp of each of 512 harts
 *    (the board's maximum), armed at distinct far deadlines: (a) N
 *    "clock_step 100" that fire nothing (the cost of finding the next
 *    deadline among 512), (b) rounds of 512 "clock_step" without
 *    argument, each firing exactly one timer, then re-arming it.
 *
 * Rates are requests per second of wall time; ratios are Machina/QEMU
 * (higher is better for Machina).
 */
#include "qemu/osdep.h"
#include "../qtest/libqtest.h"

#define TCG_ARGS        "-M virt -S -accel tcg -nodefaults -bios none"
#define VIRTIO_MAGIC    0x10001000ULL
#define CLINT_MTIMECMP  0x2004000ULL
#define NUM_HARTS       512

static double now_s(void)
{
    return g_get_monotonic_time() / 1e6;
}

static QTestState *start(const char *binary, const char *args)
{
    g_setenv("QTEST_QEMU_BINARY", binary, true);
    return qtest_init(args);
}

/* readl round trips per second. */
static double readl_rate(const char *binary, const char *args, int n)
{
    QTestState *qts = start(binary, args);
    double t0;
    int i;

    t0 = now_s();
    for (i = 0; i < n; i++) {
        if (qtest_readl(qts, VIRTIO_MAGIC) != 0x74726976) {
            fprintf(stderr, "%s: wrong virtio magic\n", binary);
            exit(1);
        }
    }
    t0 = now_s() - t0;
    qtest_quit(qts);
    return n / t0;
}

/* Hart h's timer at @ticks. */
static void arm(QTestState *qts, int h, uint64_t ticks)
{
    qtest_writeq(qts, CLINT_MTIMECMP + 8 * h, ticks);
}

static void clock_step_rates(const char *machina, int n)
{
    char *args = g_strdup_printf("-M virt -nodefaults -smp %d", NUM_HARTS);
    QTestState *qts = start(machina, args);
    int rounds = MAX(1, n / NUM_HARTS / 10);
    double t0, idle_rate, fire_rate;
    int64_t now;
    int h, i, r;

    /* (a) 512 timers far away; steps that fire nothing. */
    for (h = 0; h < NUM_HARTS; h++) {
        arm(qts, h, 1000000000ULL + h);
    }
    t0 = now_s();
    for (i = 0; i < n; i++) {
        qtest_clock_step(qts, 100);
    }
    idle_rate = n / (now_s() - t0);

    /* (b) each step lands on the next deadline and fires one timer. */
    t0 = now_s();
    for (r = 0; r < rounds; r++) {
        now = qtest_clock_step(qts, 0) / 100;
        for (h = 0; h < NUM_HARTS; h++) {
            arm(qts, h, now + 1 + h);
        }
        for (h = 0; h < NUM_HARTS; h++) {
            qtest_clock_step_next(qts);
        }
    }
    fire_rate = rounds * NUM_HARTS / (now_s() - t0);
    qtest_quit(qts);
    g_free(args);

    printf("clock_step 100 ns, %d timers armed, none due: %10.0f /s "
           "(Machina; QEMU: no qtest accelerator)\n", NUM_HARTS, idle_rate);
    printf("clock_step to next deadline, firing 1 of %d "
           "(+1 re-arm writeq): %10.0f /s\n", NUM_HARTS, fire_rate);
}

int main(int argc, char **argv)
{
    const char *machina = "build/machina-system-riscv64";
    const char *qemu = "qemu-system-riscv64";
    int n = 100000;
    double m_tcg, m_qtest, q_tcg;
    int i;

    for (i = 1; i + 1 < argc; i += 2) {
        if (g_str_equal(argv[i], "--machina")) {
            machina = argv[i + 1];
        } else if (g_str_equal(argv[i], "--qemu")) {
            qemu = argv[i + 1];
        } else if (g_str_equal(argv[i], "--requests")) {
            n = atoi(argv[i + 1]);
        }
    }

    /* Interleave the runs so both see the same machine load. */
    q_tcg = readl_rate(qemu, TCG_ARGS, n);
    m_tcg = readl_rate(machina, TCG_ARGS, n);
    m_qtest = readl_rate(machina, "-M virt -nodefaults", n);

    printf("readl round trips, %d requests:\n", n);
    printf("  QEMU 7.2 (-S -accel tcg):      %10.0f /s\n", q_tcg);
    printf("  Machina  (-S -accel tcg):      %10.0f /s  ratio %.2f\n",
           m_tcg, m_tcg / q_tcg);
    printf("  Machina  (-accel qtest):       %10.0f /s  ratio %.2f\n",
           m_qtest, m_qtest / q_tcg);
    clock_step_rates(machina, n);
    return 0;
}
