/*
 * Unit tests of clocks and timers (qemu/timer.h) in the main loop.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/atomic.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"

#define WATCHDOG_NS (5 * NANOSECONDS_PER_SECOND)
#define MAX_FIRED 64

/* What fired, in order, and the clock each callback read. */
typedef struct Record {
    int ids[MAX_FIRED];
    int64_t clock_ns[MAX_FIRED];
    int n;
} Record;

typedef struct TestTimer {
    QEMUTimer *timer;
    QEMUClockType type;
    int id;
    int64_t deadline_ns;
    Record *rec;
    bool early;                 /* fired before its deadline */
    struct TestTimer *other;    /* acted on by some callbacks */
    int64_t period_ns;
} TestTimer;

static void record(TestTimer *tt)
{
    int64_t now = qemu_clock_get_ns(tt->type);

    g_assert_cmpint(tt->rec->n, <, MAX_FIRED);
    tt->rec->ids[tt->rec->n] = tt->id;
    tt->rec->clock_ns[tt->rec->n] = now;
    tt->rec->n++;
    if (now < tt->deadline_ns) {
        tt->early = true;
    }
}

static void record_cb(void *opaque)
{
    record(opaque);
}

static void tt_init(TestTimer *tt, QEMUClockType type, int id, Record *rec,
                    QEMUTimerCB *cb)
{
    memset(tt, 0, sizeof(*tt));
    tt->type = type;
    tt->id = id;
    tt->rec = rec;
    tt->timer = timer_new_ns(type, cb, tt);
}

static void tt_arm(TestTimer *tt, int64_t deadline_ns)
{
    tt->deadline_ns = deadline_ns;
    timer_mod_ns(tt->timer, deadline_ns);
}

static void run_until_count(Record *rec, int n)
{
    int64_t deadline = get_clock() + WATCHDOG_NS;

    while (rec->n < n && get_clock() < deadline) {
        main_loop_wait(false);
    }
}

static void test_deadline_order(void)
{
    static const int offsets_ms[] = { 7, 3, 12, 1, 9, 4, 15, 2, 11, 6 };
    TestTimer tt[ARRAY_SIZE(offsets_ms)];
    Record rec = { 0 };
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

    for (int i = 0; i < ARRAY_SIZE(tt); i++) {
        tt_init(&tt[i], QEMU_CLOCK_REALTIME, offsets_ms[i], &rec, record_cb);
        tt_arm(&tt[i], base + offsets_ms[i] * NANOSECONDS_PER_MS);
    }
    run_until_count(&rec, ARRAY_SIZE(tt));

    /* All fired, in deadline order, none before its deadline. */
    g_assert_cmpint(rec.n, ==, ARRAY_SIZE(tt));
    for (int i = 1; i < rec.n; i++) {
        g_assert_cmpint(rec.ids[i - 1], <, rec.ids[i]);
    }
    for (int i = 0; i < ARRAY_SIZE(tt); i++) {
        g_assert_false(tt[i].early);
        g_assert_false(timer_pending(tt[i].timer));
        timer_free(tt[i].timer);
    }
}

static void test_ns_precision(void)
{
    Record rec = { 0 };
    TestTimer tt;
    int64_t best_late = INT64_MAX;

    /*
     * A deadline 1.1 ms away fires well before 2 ms (0.9 ms late), which
     * a poll timeout rounded up to whole milliseconds could not do.  The
     * best of several tries is taken so a busy host does not fail the
     * test.
     */
    tt_init(&tt, QEMU_CLOCK_REALTIME, 0, &rec, record_cb);
    for (int i = 0; i < 20; i++) {
        rec.n = 0;
        tt_arm(&tt, get_clock() + 1100 * SCALE_US);
        run_until_count(&rec, 1);
        g_assert_false(tt.early);
        best_late = MIN(best_late, rec.clock_ns[0] - tt.deadline_ns);
    }
    g_assert_cmpint(best_late, <, 700 * SCALE_US);
    timer_free(tt.timer);
}

static void enter_manual(void)
{
    qemu_clock_set_virtual_manual(true);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, 0);
}

static void test_equal_deadlines_fifo(void)
{
    TestTimer tt[5];
    Record rec = { 0 };

    enter_manual();
    for (int i = 0; i < ARRAY_SIZE(tt); i++) {
        tt_init(&tt[i], QEMU_CLOCK_VIRTUAL, i, &rec, record_cb);
        tt_arm(&tt[i], 100);
    }
    /* Re-arming moves a timer behind the others at the same expiry. */
    tt_arm(&tt[1], 100);
    qemu_clock_advance_virtual_ns(100);

    g_assert_cmpint(rec.n, ==, 5);
    g_assert_cmpint(rec.ids[0], ==, 0);
    g_assert_cmpint(rec.ids[1], ==, 2);
    g_assert_cmpint(rec.ids[2], ==, 3);
    g_assert_cmpint(rec.ids[3], ==, 4);
    g_assert_cmpint(rec.ids[4], ==, 1);
    for (int i = 0; i < ARRAY_SIZE(tt); i++) {
        timer_free(tt[i].timer);
    }
    qemu_clock_set_virtual_manual(false);
}

/* Timer A moves timer B later and deletes timer C, all due together. */
static void mod_others_cb(void *opaque)
{
    TestTimer *a = opaque;

    record(a);
    a->other->deadline_ns = 200;
    timer_mod_ns(a->other->timer, 200);
    timer_del(a->other->other->timer);
}

static void test_modify_in_callback(void)
{
    TestTimer a, b, c;
    Record rec = { 0 };

    enter_manual();
    tt_init(&a, QEMU_CLOCK_VIRTUAL, 1, &rec, mod_others_cb);
    tt_init(&b, QEMU_CLOCK_VIRTUAL, 2, &rec, record_cb);
    tt_init(&c, QEMU_CLOCK_VIRTUAL, 3, &rec, record_cb);
    a.other = &b;
    b.other = &c;
    tt_arm(&a, 100);
    tt_arm(&b, 100);
    tt_arm(&c, 100);

    qemu_clock_advance_virtual_ns(150);
    g_assert_cmpint(rec.n, ==, 1);
    g_assert_cmpint(rec.ids[0], ==, 1);
    g_assert_false(timer_pending(c.timer));
    g_assert_cmpint(timer_expire_time_ns(b.timer), ==, 200);

    qemu_clock_advance_virtual_ns(1000);
    g_assert_cmpint(rec.n, ==, 2);
    g_assert_cmpint(rec.ids[1], ==, 2);
    g_assert_cmpint(rec.clock_ns[1], ==, 200);

    timer_free(a.timer);
    timer_free(b.timer);
    timer_free(c.timer);
    qemu_clock_set_virtual_manual(false);
}

static void periodic_cb(void *opaque)
{
    TestTimer *tt = opaque;

    record(tt);
    tt->deadline_ns += tt->period_ns;
    timer_mod_ns(tt->timer, tt->deadline_ns);
}

static void test_rearm_in_own_callback(void)
{
    Record rec = { 0 };
    TestTimer tt;

    enter_manual();
    tt_init(&tt, QEMU_CLOCK_VIRTUAL, 0, &rec, periodic_cb);
    tt.period_ns = 10;
    tt_arm(&tt, 10);
    g_assert_cmpint(qemu_clock_advance_virtual_ns(55), ==, 55);

    g_assert_cmpint(rec.n, ==, 5);
    for (int i = 0; i < rec.n; i++) {
        g_assert_cmpint(rec.clock_ns[i], ==, 10 * (i + 1));
    }
    g_assert_cmpint(timer_expire_time_ns(tt.timer), ==, 60);
    timer_free(tt.timer);
    qemu_clock_set_virtual_manual(false);
}

/* The 10 ns timer arms a 15 ns one while the clock is being advanced. */
static void arm_other_cb(void *opaque)
{
    TestTimer *tt = opaque;

    record(tt);
    tt->other->deadline_ns = 15;
    timer_mod_ns(tt->other->timer, 15);
}

static void test_manual_advance(void)
{
    TestTimer t10, t15, t20, t30;
    Record rec = { 0 };

    enter_manual();
    tt_init(&t10, QEMU_CLOCK_VIRTUAL, 10, &rec, arm_other_cb);
    tt_init(&t15, QEMU_CLOCK_VIRTUAL, 15, &rec, record_cb);
    tt_init(&t20, QEMU_CLOCK_VIRTUAL, 20, &rec, record_cb);
    tt_init(&t30, QEMU_CLOCK_VIRTUAL, 30, &rec, record_cb);
    t10.other = &t15;
    tt_arm(&t30, 30);
    tt_arm(&t20, 20);
    tt_arm(&t10, 10);
    g_assert_cmpint(qemu_clock_virtual_next_deadline_ns(), ==, 10);

    /* Manual time does not move by itself. */
    main_loop_wait(true);
    g_assert_cmpint(rec.n, ==, 0);

    g_assert_cmpint(qemu_clock_advance_virtual_ns(25), ==, 25);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, 25);
    g_assert_cmpint(rec.n, ==, 3);
    for (int i = 0; i < 3; i++) {
        /* Each callback saw the clock exactly at its own deadline. */
        g_assert_cmpint(rec.clock_ns[i], ==, rec.ids[i]);
    }
    g_assert_cmpint(rec.ids[0], ==, 10);
    g_assert_cmpint(rec.ids[1], ==, 15);
    g_assert_cmpint(rec.ids[2], ==, 20);
    g_assert_cmpint(qemu_clock_virtual_next_deadline_ns(), ==, 30);

    /* Never backwards. */
    g_assert_cmpint(qemu_clock_advance_virtual_ns(5), ==, 25);
    g_assert_cmpint(rec.n, ==, 3);

    /* A timer exactly at the destination runs. */
    g_assert_cmpint(qemu_clock_advance_virtual_ns(30), ==, 30);
    g_assert_cmpint(rec.n, ==, 4);
    g_assert_cmpint(rec.clock_ns[3], ==, 30);
    g_assert_cmpint(qemu_clock_virtual_next_deadline_ns(), ==, -1);

    timer_free(t10.timer);
    timer_free(t15.timer);
    timer_free(t20.timer);
    timer_free(t30.timer);
    qemu_clock_set_virtual_manual(false);
}

/* Random arm/re-arm/delete traffic: what fires, and when, is exact. */
#define STRESS_TIMERS 2000

static int stress_fired[STRESS_TIMERS];
static int stress_n;

static void stress_cb(void *opaque)
{
    stress_fired[stress_n++] = GPOINTER_TO_INT(opaque);
}

static void test_random_traffic(void)
{
    static QEMUTimer t[STRESS_TIMERS];
    static int64_t expire[STRESS_TIMERS];
    static uint64_t armed_at[STRESS_TIMERS];
    GRand *rand = g_rand_new_with_seed(7);
    int pending = 0;

    enter_manual();
    for (int i = 0; i < STRESS_TIMERS; i++) {
        timer_init_ns(&t[i], QEMU_CLOCK_VIRTUAL, stress_cb,
                      GINT_TO_POINTER(i));
        expire[i] = -1;
    }
    for (uint64_t k = 0; k < 20000; k++) {
        int i = g_rand_int_range(rand, 0, STRESS_TIMERS);

        if (g_rand_int_range(rand, 0, 4) == 0) {
            timer_del(&t[i]);
            expire[i] = -1;
        } else {
            expire[i] = g_rand_int_range(rand, 1, 500);
            armed_at[i] = k;
            timer_mod_ns(&t[i], expire[i]);
        }
    }
    for (int i = 0; i < STRESS_TIMERS; i++) {
        pending += expire[i] >= 0;
    }

    /* Every pending timer fires once, by expiry then arming order. */
    stress_n = 0;
    qemu_clock_advance_virtual_ns(1000);
    g_assert_cmpint(stress_n, ==, pending);
    for (int k = 1; k < stress_n; k++) {
        int a = stress_fired[k - 1], b = stress_fired[k];

        g_assert_true(expire[a] < expire[b] ||
                      (expire[a] == expire[b] && armed_at[a] < armed_at[b]));
    }
    g_rand_free(rand);
    qemu_clock_set_virtual_manual(false);
}

static void test_manual_advance_disabled(void)
{
    Record rec = { 0 };
    TestTimer tt;

    enter_manual();
    tt_init(&tt, QEMU_CLOCK_VIRTUAL, 10, &rec, record_cb);
    tt_arm(&tt, 10);

    /* Disabled: time moves, the timer waits. */
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, false);
    g_assert_cmpint(qemu_clock_advance_virtual_ns(20), ==, 20);
    g_assert_cmpint(rec.n, ==, 0);

    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    g_assert_cmpint(qemu_clock_advance_virtual_ns(20), ==, 20);
    g_assert_cmpint(rec.n, ==, 1);
    g_assert_cmpint(rec.clock_ns[0], ==, 20);
    timer_free(tt.timer);
    qemu_clock_set_virtual_manual(false);
}

static void test_mod_anticipate(void)
{
    QEMUTimer *t = timer_new_us(QEMU_CLOCK_VIRTUAL, record_cb, NULL);

    enter_manual();
    timer_mod_anticipate(t, 100);
    g_assert_cmpint(timer_expire_time_ns(t), ==, 100 * SCALE_US);
    timer_mod_anticipate(t, 200);
    g_assert_cmpint(timer_expire_time_ns(t), ==, 100 * SCALE_US);
    timer_mod_anticipate_ns(t, 50 * SCALE_US);
    g_assert_cmpint(timer_expire_time_ns(t), ==, 50 * SCALE_US);
    g_assert_true(timer_pending(t));
    g_assert_true(timer_expired(t, 50));
    g_assert_false(timer_expired(t, 49));

    timer_del(t);
    g_assert_false(timer_pending(t));
    g_assert_cmpint(timer_expire_time_ns(t), ==, -1);
    timer_free(t);
    qemu_clock_set_virtual_manual(false);
}

static void test_virtual_stops_while_disabled(void)
{
    Record rec = { 0 };
    TestTimer tt;
    int64_t v1, v2, v3, r;

    tt_init(&tt, QEMU_CLOCK_VIRTUAL, 0, &rec, record_cb);
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, false);
    v1 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    tt_arm(&tt, v1 + NANOSECONDS_PER_MS);
    g_assert_cmpint(qemu_clock_deadline_ns_all(QEMU_CLOCK_VIRTUAL,
                                               QEMU_TIMER_ATTR_ALL), ==, -1);

    /* 30 ms of host time pass; virtual time and its timers stand still. */
    g_usleep(30 * 1000);
    main_loop_wait(true);
    v2 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpint(v2, ==, v1);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL_RT), ==, v1);
    g_assert_cmpint(rec.n, ==, 0);

    /* Resumes from the value it stopped at. */
    r = get_clock();
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    g_usleep(10 * 1000);
    v3 = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    g_assert_cmpint(v3 - v2, >=, 10 * NANOSECONDS_PER_MS);
    g_assert_cmpint(v3 - v2, <=, get_clock() - r);
    run_until_count(&rec, 1);
    g_assert_cmpint(rec.n, ==, 1);
    g_assert_false(tt.early);
    timer_free(tt.timer);
}

typedef struct ModThread {
    QEMUTimer *timer;
} ModThread;

static void *mod_thread(void *opaque)
{
    ModThread *mt = opaque;

    g_usleep(30 * 1000);
    timer_mod_ns(mt->timer, get_clock() + NANOSECONDS_PER_MS);
    return NULL;
}

static void test_mod_from_thread_wakes_loop(void)
{
    Record rec = { 0 };
    TestTimer tt, guard;
    ModThread mt;
    QemuThread thread;

    /* A far guard timer bounds the wait if the wake-up is lost. */
    tt_init(&guard, QEMU_CLOCK_REALTIME, 99, &rec, record_cb);
    tt_arm(&guard, get_clock() + WATCHDOG_NS);
    tt_init(&tt, QEMU_CLOCK_REALTIME, 1, &rec, record_cb);
    mt.timer = tt.timer;
    for (int i = 0; i < 5; i++) {
        main_loop_wait(true);
    }

    qemu_thread_create(&thread, "timer-mod", mod_thread, &mt,
                       QEMU_THREAD_JOINABLE);
    run_until_count(&rec, 1);
    qemu_thread_join(&thread);
    g_assert_cmpint(rec.n, ==, 1);
    g_assert_cmpint(rec.ids[0], ==, 1);
    timer_free(tt.timer);
    timer_free(guard.timer);
}

static void test_timeouts(void)
{
    g_assert_cmpint(qemu_timeout_ns_to_ms(-1), ==, -1);
    g_assert_cmpint(qemu_timeout_ns_to_ms(0), ==, 0);
    g_assert_cmpint(qemu_timeout_ns_to_ms(1), ==, 1);
    g_assert_cmpint(qemu_timeout_ns_to_ms(NANOSECONDS_PER_MS), ==, 1);
    g_assert_cmpint(qemu_timeout_ns_to_ms(NANOSECONDS_PER_MS + 1), ==, 2);
    g_assert_cmpint(qemu_soonest_timeout(-1, 5), ==, 5);
    g_assert_cmpint(qemu_soonest_timeout(7, -1), ==, 7);
    g_assert_cmpint(qemu_soonest_timeout(-1, -1), ==, -1);
    g_assert_cmpint(qemu_soonest_timeout(3, 0), ==, 0);
}

static void test_clocks_monotonic(void)
{
    int64_t a = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    int64_t h = qemu_clock_get_ns(QEMU_CLOCK_HOST);

    g_usleep(1000);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_REALTIME), >, a);
    g_assert_cmpint(qemu_clock_get_ms(QEMU_CLOCK_REALTIME), >=,
                    a / SCALE_MS);
    /* HOST is the wall clock: within a second of time(). */
    g_assert_cmpint(llabs(h / NANOSECONDS_PER_SECOND - time(NULL)), <=, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();

    g_test_add_func("/timer/clocks", test_clocks_monotonic);
    g_test_add_func("/timer/timeouts", test_timeouts);
    g_test_add_func("/timer/deadline-order-never-early", test_deadline_order);
    g_test_add_func("/timer/ns-precision", test_ns_precision);
    g_test_add_func("/timer/equal-deadlines-fifo", test_equal_deadlines_fifo);
    g_test_add_func("/timer/modify-delete-in-callback",
                    test_modify_in_callback);
    g_test_add_func("/timer/rearm-in-own-callback",
                    test_rearm_in_own_callback);
    g_test_add_func("/timer/mod-anticipate", test_mod_anticipate);
    g_test_add_func("/timer/random-traffic-order", test_random_traffic);
    g_test_add_func("/timer/virtual-stops-while-disabled",
                    test_virtual_stops_while_disabled);
    g_test_add_func("/timer/manual-virtual-advance", test_manual_advance);
    g_test_add_func("/timer/manual-virtual-advance-disabled",
                    test_manual_advance_disabled);
    g_test_add_func("/timer/mod-from-thread-wakes-loop",
                    test_mod_from_thread_wakes_loop);
    return g_test_run();
}
