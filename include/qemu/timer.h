/*
 * timer.h: clocks and timers.
 *
 * Four clocks, all read in nanoseconds:
 *  - QEMU_CLOCK_REALTIME: host monotonic time; runs while the VM is
 *    stopped.  For things that do not change guest state (UI, monitor).
 *  - QEMU_CLOCK_VIRTUAL: guest time.  Host monotonic time minus an offset
 *    that grows while the clock is disabled, so it stops while the VM is
 *    stopped and resumes from the value it stopped at.  Under qtest it is
 *    a manual counter instead (qemu_clock_set_virtual_manual()).
 *  - QEMU_CLOCK_HOST: host wall clock (CLOCK_REALTIME); may jump.  For
 *    RTC emulation.
 *  - QEMU_CLOCK_VIRTUAL_RT: the ticking virtual time base (same value as
 *    VIRTUAL outside manual mode; keeps following host time in manual
 *    mode).  Machina has no icount, so it never differs otherwise.
 *
 * Timers belong to a timer list (one per clock per QEMUTimerListGroup).
 * The main loop owns main_loop_tlg (timers made by timer_new_*()); each
 * AioContext owns one (aio_timer_new()).  A list is a binary heap ordered
 * by (expiry, arming order): arming and deleting cost O(log n), finding
 * the next deadline O(1).  A timer's callback runs in the
 * thread that runs its list: main-loop timers in the main thread with the
 * big lock held.  Lists are kept sorted by expiry; timers with equal
 * expiry run in the order they were armed.  A timer is unlinked before
 * its callback runs, so the callback may re-arm it, and may modify,
 * delete or free any other timer.  A timer never fires before its expiry
 * as read from its clock.
 *
 * timer_mod*() and timer_del() may be called from any thread (each list
 * has its own mutex); when they make a timer the earliest of its list,
 * they wake the loop that runs the list.  Creating and freeing timers,
 * qemu_clock_enable() and the manual virtual clock need the big lock.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include "qemu/thread.h"

#define NANOSECONDS_PER_MS INT64_C(1000000)

/* Timer scales: how many ns one unit of timer_mod()'s argument is. */
#define SCALE_MS 1000000
#define SCALE_US 1000
#define SCALE_NS 1

/*
 * Timer attributes.  QEMU_TIMER_ATTR_EXTERNAL marks timers that serve
 * external events (network, block I/O) rather than guest devices;
 * qemu_clock_deadline_ns_all() can filter on it.
 */
#define QEMU_TIMER_ATTR_EXTERNAL (1 << 0)
#define QEMU_TIMER_ATTR_ALL      0xffffffff

typedef enum QEMUClockType {
    QEMU_CLOCK_REALTIME = 0,
    QEMU_CLOCK_VIRTUAL = 1,
    QEMU_CLOCK_HOST = 2,
    QEMU_CLOCK_VIRTUAL_RT = 3,
    QEMU_CLOCK_MAX
} QEMUClockType;

typedef struct QEMUTimerList QEMUTimerList;
typedef void QEMUTimerCB(void *opaque);
/* Called when a list's earliest deadline moved earlier; any thread. */
typedef void QEMUTimerListNotifyCB(void *opaque, QEMUClockType type);

typedef struct QEMUTimerListGroup {
    QEMUTimerList *tl[QEMU_CLOCK_MAX];
} QEMUTimerListGroup;

typedef struct QEMUTimer {
    int64_t expire_time;        /* ns; -1 when not pending; list mutex */
    QEMUTimerList *timer_list;
    QEMUTimerCB *cb;
    void *opaque;
    uint64_t seq;               /* arming order, breaks ties; list mutex */
    int heap_index;             /* slot in the list's heap; list mutex */
    int attributes;
    int scale;
} QEMUTimer;

/* The main loop's timers; initialised before main() runs. */
extern QEMUTimerListGroup main_loop_tlg;

/* ---- clocks ---- */

/* Current value of @type in ns.  Any thread. */
int64_t qemu_clock_get_ns(QEMUClockType type);

static inline int64_t qemu_clock_get_us(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_US;
}

static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_MS;
}

/* Host monotonic time in ns (what QEMU_CLOCK_REALTIME reads). */
int64_t get_clock(void);
/* Host wall-clock time in ns. */
int64_t get_clock_realtime(void);

/*
 * Enable or disable @type.  The timers of a disabled clock do not run and
 * do not count in deadlines.  Disabling QEMU_CLOCK_VIRTUAL also stops
 * virtual time (and VIRTUAL_RT, which reads the same time base) until it
 * is enabled again.  Big lock held.
 */
void qemu_clock_enable(QEMUClockType type, bool enabled);
bool qemu_clock_is_enabled(QEMUClockType type);

/* True if any timer of @type is pending / has expired, on any list. */
bool qemu_clock_has_timers(QEMUClockType type);
bool qemu_clock_expired(QEMUClockType type);

/*
 * ns from now until the earliest pending timer of @type whose attributes
 * intersect @attr_mask, over every timer list; 0 if one has expired, -1
 * if there is none or the clock is disabled.
 */
int64_t qemu_clock_deadline_ns_all(QEMUClockType type, int attr_mask);

/*
 * Run the expired timers of @type on the main loop's list / on the main
 * loop's lists of every clock.  Main thread, big lock held.  Return true
 * if any callback ran.
 */
bool qemu_clock_run_timers(QEMUClockType type);
bool qemu_clock_run_all_timers(void);

/* Wake every loop that runs a list of @type (e.g. after enabling it). */
void qemu_clock_notify(QEMUClockType type);

/*
 * The manual virtual clock for qtest.
 *
 * qemu_clock_set_virtual_manual(true) makes QEMU_CLOCK_VIRTUAL read a
 * counter that starts at 0 and moves only through
 * qemu_clock_advance_virtual_ns(); false returns to host-derived time
 * (continuing from the counter's value).  Big lock held.
 *
 * qemu_clock_advance_virtual_ns(dest_ns) moves the counter forward to
 * @dest_ns, never backwards, and runs every VIRTUAL timer (on every timer
 * list) that falls due on the way, in deadline order: the counter jumps
 * to the earliest deadline <= @dest_ns, the timers expired at that value
 * run, and this repeats, so a callback always reads the clock equal to its
 * own deadline and a timer armed by a callback at a time <= @dest_ns also
 * runs.  While QEMU_CLOCK_VIRTUAL is disabled the counter moves but no
 * timer runs (they run once it is enabled and time moves again).
 * Returns the new counter value.  Main thread, big lock held, in manual
 * mode only.
 *
 * qemu_clock_virtual_next_deadline_ns() is the absolute expiry in ns of
 * the earliest pending VIRTUAL timer, or -1 if none (qtest's clock_step
 * without an argument steps to it).
 */
void qemu_clock_set_virtual_manual(bool manual);
bool qemu_clock_virtual_is_manual(void);
int64_t qemu_clock_advance_virtual_ns(int64_t dest_ns);
int64_t qemu_clock_virtual_next_deadline_ns(void);

/* ---- timer lists and groups (for code that runs its own loop) ---- */

QEMUTimerList *timerlist_new(QEMUClockType type,
                             QEMUTimerListNotifyCB *cb, void *opaque);
/* The list must have no pending timer. */
void timerlist_free(QEMUTimerList *timer_list);
bool timerlist_has_timers(QEMUTimerList *timer_list);
bool timerlist_expired(QEMUTimerList *timer_list);
/* ns until the list's first expiry, 0 if expired, -1 if none/disabled. */
int64_t timerlist_deadline_ns(QEMUTimerList *timer_list);
QEMUClockType timerlist_get_clock(QEMUTimerList *timer_list);
/* Run expired timers; in the thread that owns the list. */
bool timerlist_run_timers(QEMUTimerList *timer_list);
void timerlist_notify(QEMUTimerList *timer_list);

void timerlistgroup_init(QEMUTimerListGroup *tlg,
                         QEMUTimerListNotifyCB *cb, void *opaque);
void timerlistgroup_deinit(QEMUTimerListGroup *tlg);
bool timerlistgroup_run_timers(QEMUTimerListGroup *tlg);
/* Soonest deadline over the group's enabled clocks, in ns, or -1. */
int64_t timerlistgroup_deadline_ns(QEMUTimerListGroup *tlg);

/* ---- timers ---- */

/*
 * Initialise caller-owned @ts on @tlg (NULL: the main loop's group).
 * The timer starts unarmed; call timer_deinit() before freeing it.
 */
void timer_init_full(QEMUTimer *ts, QEMUTimerListGroup *tlg,
                     QEMUClockType type, int scale, int attributes,
                     QEMUTimerCB *cb, void *opaque);

static inline void timer_init(QEMUTimer *ts, QEMUClockType type, int scale,
                              QEMUTimerCB *cb, void *opaque)
{
    timer_init_full(ts, NULL, type, scale, 0, cb, opaque);
}

static inline void timer_init_ns(QEMUTimer *ts, QEMUClockType type,
                                 QEMUTimerCB *cb, void *opaque)
{
    timer_init(ts, type, SCALE_NS, cb, opaque);
}

static inline void timer_init_us(QEMUTimer *ts, QEMUClockType type,
                                 QEMUTimerCB *cb, void *opaque)
{
    timer_init(ts, type, SCALE_US, cb, opaque);
}

static inline void timer_init_ms(QEMUTimer *ts, QEMUClockType type,
                                 QEMUTimerCB *cb, void *opaque)
{
    timer_init(ts, type, SCALE_MS, cb, opaque);
}

/* Allocate a timer; free it with timer_free().  Big lock held. */
QEMUTimer *timer_new_full(QEMUTimerListGroup *tlg, QEMUClockType type,
                          int scale, int attributes,
                          QEMUTimerCB *cb, void *opaque);

static inline QEMUTimer *timer_new(QEMUClockType type, int scale,
                                   QEMUTimerCB *cb, void *opaque)
{
    return timer_new_full(NULL, type, scale, 0, cb, opaque);
}

static inline QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_NS, cb, opaque);
}

static inline QEMUTimer *timer_new_us(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_US, cb, opaque);
}

static inline QEMUTimer *timer_new_ms(QEMUClockType type, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(type, SCALE_MS, cb, opaque);
}

/* Disarm; the memory stays the caller's. */
void timer_deinit(QEMUTimer *ts);
/* Disarm and free a timer from timer_new*(); NULL is ignored. */
void timer_free(QEMUTimer *ts);

/* Disarm.  Any thread. */
void timer_del(QEMUTimer *ts);
/*
 * Arm to expire at @expire_time ns on its clock (re-arming moves it);
 * a time in the past fires on the next run.  Any thread.
 */
void timer_mod_ns(QEMUTimer *ts, int64_t expire_time);
/* Like timer_mod_ns(), but only ever moves the expiry earlier. */
void timer_mod_anticipate_ns(QEMUTimer *ts, int64_t expire_time);
/* Same, with @expire_time in the timer's scale units. */
void timer_mod(QEMUTimer *ts, int64_t expire_time);
void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time);

bool timer_pending(QEMUTimer *ts);
/* True if @ts is pending and due at @current_time (scale units). */
bool timer_expired(QEMUTimer *ts, int64_t current_time);
/* Expiry in ns if pending, else -1. */
int64_t timer_expire_time_ns(QEMUTimer *ts);

/* ---- timeouts and polling ---- */

/* The sooner of two ns timeouts, where -1 means "never". */
static inline int64_t qemu_soonest_timeout(int64_t timeout1,
                                           int64_t timeout2)
{
    /* -1 as unsigned is the largest value, so it loses every min. */
    return ((uint64_t)timeout1 < (uint64_t)timeout2) ? timeout1 : timeout2;
}

/* ns timeout to poll()'s ms, rounded up; -1 stays -1. */
int qemu_timeout_ns_to_ms(int64_t ns);

/*
 * poll() with a timeout in ns (-1: forever, 0: do not block), through
 * ppoll(), so deadlines are not rounded to milliseconds.  Returns as
 * poll() does.
 */
int qemu_poll_ns(GPollFD *fds, guint nfds, int64_t timeout);

#endif /* QEMU_TIMER_H */
