/*
 * Clocks and timers (qemu/timer.h).
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "qemu/atomic.h"
#include "qemu/main-loop.h"
#include <poll.h>

typedef struct QEMUClock {
    QEMUClockType type;
    bool enabled;               /* big lock; read anywhere */
    GSList *timerlists;         /* clocks_lock */
} QEMUClock;

/*
 * The pending timers form a binary min-heap on (expire_time, seq): O(1)
 * to the earliest, O(log n) to arm or delete.  A sorted list (QEMU's
 * choice) costs O(n) per arming, which made 10k random timers take
 * longer to arm than the first deadline was away.
 */
struct QEMUTimerList {
    QEMUClock *clock;
    QemuMutex active_timers_lock;
    QEMUTimer **heap;           /* active_timers_lock */
    int heap_len;               /* active_timers_lock; read atomically */
    int heap_alloc;
    uint64_t next_seq;          /* active_timers_lock */
    QEMUTimerListNotifyCB *notify_cb;
    void *notify_opaque;
};

QEMUTimerListGroup main_loop_tlg;

static QEMUClock qemu_clocks[QEMU_CLOCK_MAX];
/* Protects every clock's list of timer lists. */
static QemuMutex clocks_lock;

/*
 * The virtual time base.  While running it is host monotonic time minus
 * offset_ns; while stopped it holds stopped_at_ns; in manual (qtest) mode
 * QEMU_CLOCK_VIRTUAL reads manual_ns instead.
 */
static struct {
    QemuMutex lock;             /* offset_ns, stopped, stopped_at_ns */
    int64_t offset_ns;
    int64_t stopped_at_ns;
    bool stopped;
    bool manual;                /* big lock; read anywhere */
    int64_t manual_ns;          /* written under the big lock */
} vtime;

static QEMUClock *clock_of(QEMUClockType type)
{
    assert(type >= 0 && type < QEMU_CLOCK_MAX);
    return &qemu_clocks[type];
}

int64_t get_clock(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t get_clock_realtime(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

/* The ticking virtual time: stops while QEMU_CLOCK_VIRTUAL is disabled. */
static int64_t vtime_get_ticking(void)
{
    int64_t ns;

    qemu_mutex_lock(&vtime.lock);
    ns = vtime.stopped ? vtime.stopped_at_ns : get_clock() - vtime.offset_ns;
    qemu_mutex_unlock(&vtime.lock);
    return ns;
}

static void vtime_set_running(bool running)
{
    qemu_mutex_lock(&vtime.lock);
    if (running && vtime.stopped) {
        /* The offset grows by the time spent stopped. */
        vtime.offset_ns = get_clock() - vtime.stopped_at_ns;
        vtime.stopped = false;
    } else if (!running && !vtime.stopped) {
        vtime.stopped_at_ns = get_clock() - vtime.offset_ns;
        vtime.stopped = true;
    }
    qemu_mutex_unlock(&vtime.lock);
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    switch (type) {
    case QEMU_CLOCK_REALTIME:
        return get_clock();
    case QEMU_CLOCK_VIRTUAL:
        if (qatomic_read(&vtime.manual)) {
            return qatomic_read(&vtime.manual_ns);
        }
        return vtime_get_ticking();
    case QEMU_CLOCK_HOST:
        return get_clock_realtime();
    case QEMU_CLOCK_VIRTUAL_RT:
        return vtime_get_ticking();
    default:
        abort();
    }
}

/* ---- timer lists ---- */

QEMUTimerList *timerlist_new(QEMUClockType type,
                             QEMUTimerListNotifyCB *cb, void *opaque)
{
    QEMUClock *clock = clock_of(type);
    QEMUTimerList *tl = g_new0(QEMUTimerList, 1);

    tl->clock = clock;
    tl->notify_cb = cb;
    tl->notify_opaque = opaque;
    qemu_mutex_init(&tl->active_timers_lock);

    qemu_mutex_lock(&clocks_lock);
    clock->timerlists = g_slist_prepend(clock->timerlists, tl);
    qemu_mutex_unlock(&clocks_lock);
    return tl;
}

void timerlist_free(QEMUTimerList *tl)
{
    assert(!timerlist_has_timers(tl));
    qemu_mutex_lock(&clocks_lock);
    tl->clock->timerlists = g_slist_remove(tl->clock->timerlists, tl);
    qemu_mutex_unlock(&clocks_lock);
    qemu_mutex_destroy(&tl->active_timers_lock);
    g_free(tl->heap);
    g_free(tl);
}

bool timerlist_has_timers(QEMUTimerList *tl)
{
    return qatomic_read(&tl->heap_len) > 0;
}

/* ---- the heap; all under active_timers_lock ---- */

static bool timer_before(const QEMUTimer *a, const QEMUTimer *b)
{
    return a->expire_time < b->expire_time ||
           (a->expire_time == b->expire_time && a->seq < b->seq);
}

static void heap_place(QEMUTimerList *tl, QEMUTimer *ts, int i)
{
    tl->heap[i] = ts;
    ts->heap_index = i;
}

static void heap_sift_up(QEMUTimerList *tl, int i)
{
    QEMUTimer *ts = tl->heap[i];

    while (i > 0 && timer_before(ts, tl->heap[(i - 1) / 2])) {
        heap_place(tl, tl->heap[(i - 1) / 2], i);
        i = (i - 1) / 2;
    }
    heap_place(tl, ts, i);
}

static void heap_sift_down(QEMUTimerList *tl, int i)
{
    QEMUTimer *ts = tl->heap[i];

    for (;;) {
        int child = 2 * i + 1;

        if (child >= tl->heap_len) {
            break;
        }
        if (child + 1 < tl->heap_len &&
            timer_before(tl->heap[child + 1], tl->heap[child])) {
            child++;
        }
        if (!timer_before(tl->heap[child], ts)) {
            break;
        }
        heap_place(tl, tl->heap[child], i);
        i = child;
    }
    heap_place(tl, ts, i);
}

/* Returns true when @ts became the earliest timer of the list. */
static bool heap_insert(QEMUTimerList *tl, QEMUTimer *ts)
{
    if (tl->heap_len == tl->heap_alloc) {
        tl->heap_alloc = MAX(16, 2 * tl->heap_alloc);
        tl->heap = g_renew(QEMUTimer *, tl->heap, tl->heap_alloc);
    }
    ts->seq = tl->next_seq++;
    heap_place(tl, ts, tl->heap_len);
    qatomic_set(&tl->heap_len, tl->heap_len + 1);
    heap_sift_up(tl, ts->heap_index);
    return ts->heap_index == 0;
}

static void heap_remove(QEMUTimerList *tl, QEMUTimer *ts)
{
    int i = ts->heap_index;
    QEMUTimer *last = tl->heap[tl->heap_len - 1];

    qatomic_set(&tl->heap_len, tl->heap_len - 1);
    if (last != ts) {
        /* The last timer fills the hole and moves to its place. */
        heap_place(tl, last, i);
        heap_sift_down(tl, i);
        heap_sift_up(tl, last->heap_index);
    }
    ts->heap_index = -1;
}

/* Expiry of the first timer, or -1; takes the list mutex. */
static int64_t timerlist_first_expiry(QEMUTimerList *tl)
{
    int64_t expire = -1;

    if (!timerlist_has_timers(tl)) {
        return -1;
    }
    qemu_mutex_lock(&tl->active_timers_lock);
    if (tl->heap_len) {
        expire = tl->heap[0]->expire_time;
    }
    qemu_mutex_unlock(&tl->active_timers_lock);
    return expire;
}

bool timerlist_expired(QEMUTimerList *tl)
{
    int64_t expire = timerlist_first_expiry(tl);

    return expire >= 0 && expire <= qemu_clock_get_ns(tl->clock->type);
}

int64_t timerlist_deadline_ns(QEMUTimerList *tl)
{
    int64_t expire, now;

    if (!qatomic_read(&tl->clock->enabled)) {
        return -1;
    }
    expire = timerlist_first_expiry(tl);
    if (expire < 0) {
        return -1;
    }
    now = qemu_clock_get_ns(tl->clock->type);
    if (expire <= now) {
        return 0;
    }

    /* Manual virtual time does not move by itself: no point waking up. */
    if (tl->clock->type == QEMU_CLOCK_VIRTUAL &&
        qatomic_read(&vtime.manual)) {
        return -1;
    }
    return expire - now;
}

QEMUClockType timerlist_get_clock(QEMUTimerList *tl)
{
    return tl->clock->type;
}

void timerlist_notify(QEMUTimerList *tl)
{
    if (tl->notify_cb) {
        tl->notify_cb(tl->notify_opaque, tl->clock->type);
    } else {
        qemu_notify_event();
    }
}

/* Unlink and return the first timer if it expired at @now, else NULL. */
static QEMUTimer *timerlist_pop_expired(QEMUTimerList *tl, int64_t now)
{
    QEMUTimer *ts;

    qemu_mutex_lock(&tl->active_timers_lock);
    ts = tl->heap_len ? tl->heap[0] : NULL;
    if (ts && ts->expire_time <= now) {
        heap_remove(tl, ts);
        qatomic_set(&ts->expire_time, -1);
    } else {
        ts = NULL;
    }
    qemu_mutex_unlock(&tl->active_timers_lock);
    return ts;
}

bool timerlist_run_timers(QEMUTimerList *tl)
{
    QEMUTimer *ts;
    int64_t now;
    bool progress = false;

    if (!qatomic_read(&tl->clock->enabled) || !timerlist_has_timers(tl)) {
        return false;
    }

    /*
     * One reading of the clock for the whole pass: a timer armed by a
     * callback for a time after it waits for the next pass, so a
     * periodic timer cannot starve the loop.  The callback runs with the
     * list unlocked so it may call timer_mod()/timer_del() on any timer.
     */
    now = qemu_clock_get_ns(tl->clock->type);
    while ((ts = timerlist_pop_expired(tl, now)) != NULL) {
        ts->cb(ts->opaque);
        progress = true;
    }
    return progress;
}

void timerlistgroup_init(QEMUTimerListGroup *tlg,
                         QEMUTimerListNotifyCB *cb, void *opaque)
{
    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        tlg->tl[type] = timerlist_new(type, cb, opaque);
    }
}

void timerlistgroup_deinit(QEMUTimerListGroup *tlg)
{
    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        timerlist_free(tlg->tl[type]);
        tlg->tl[type] = NULL;
    }
}

bool timerlistgroup_run_timers(QEMUTimerListGroup *tlg)
{
    bool progress = false;

    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        progress |= timerlist_run_timers(tlg->tl[type]);
    }
    return progress;
}

int64_t timerlistgroup_deadline_ns(QEMUTimerListGroup *tlg)
{
    int64_t deadline = -1;

    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        deadline = qemu_soonest_timeout(deadline,
                                        timerlist_deadline_ns(tlg->tl[type]));
    }
    return deadline;
}

/* ---- clocks ---- */

static void init_clocks(void) __attribute__((constructor));
static void init_clocks(void)
{
    qemu_mutex_init(&clocks_lock);
    qemu_mutex_init(&vtime.lock);
    vtime.offset_ns = get_clock();      /* virtual time starts near 0 */
    for (int type = 0; type < QEMU_CLOCK_MAX; type++) {
        qemu_clocks[type].type = type;
        qemu_clocks[type].enabled = true;
    }
    timerlistgroup_init(&main_loop_tlg, NULL, NULL);
}

void qemu_clock_notify(QEMUClockType type)
{
    QEMUClock *clock = clock_of(type);

    qemu_mutex_lock(&clocks_lock);
    for (GSList *l = clock->timerlists; l; l = l->next) {
        timerlist_notify(l->data);
    }
    qemu_mutex_unlock(&clocks_lock);
}

void qemu_clock_enable(QEMUClockType type, bool enabled)
{
    QEMUClock *clock = clock_of(type);
    bool old = clock->enabled;

    if (type == QEMU_CLOCK_VIRTUAL) {
        vtime_set_running(enabled);
    }
    qatomic_set(&clock->enabled, enabled);

    /* The loops' deadlines may now be earlier than what they sleep for. */
    if (enabled && !old) {
        qemu_clock_notify(type);
    }
}

bool qemu_clock_is_enabled(QEMUClockType type)
{
    return qatomic_read(&clock_of(type)->enabled);
}

/* Apply @fn to each timer list of @type; stop at the first true. */
static bool clock_any_list(QEMUClockType type,
                           bool (*fn)(QEMUTimerList *tl))
{
    QEMUClock *clock = clock_of(type);
    bool found = false;

    qemu_mutex_lock(&clocks_lock);
    for (GSList *l = clock->timerlists; l && !found; l = l->next) {
        found = fn(l->data);
    }
    qemu_mutex_unlock(&clocks_lock);
    return found;
}

bool qemu_clock_has_timers(QEMUClockType type)
{
    return clock_any_list(type, timerlist_has_timers);
}

bool qemu_clock_expired(QEMUClockType type)
{
    return clock_any_list(type, timerlist_expired);
}

/* Earliest expiry (absolute ns) on @tl among timers matching @attr_mask. */
static int64_t timerlist_first_expiry_attr(QEMUTimerList *tl, int attr_mask)
{
    int64_t expire = -1;

    qemu_mutex_lock(&tl->active_timers_lock);
    if (attr_mask == QEMU_TIMER_ATTR_ALL) {
        expire = tl->heap_len ? tl->heap[0]->expire_time : -1;
    } else {
        /* Rare: a scan of the heap for matching attributes. */
        for (int i = 0; i < tl->heap_len; i++) {
            QEMUTimer *ts = tl->heap[i];

            if ((ts->attributes & attr_mask) &&
                (expire < 0 || ts->expire_time < expire)) {
                expire = ts->expire_time;
            }
        }
    }
    qemu_mutex_unlock(&tl->active_timers_lock);
    return expire;
}

/* Earliest absolute expiry over every list of @type, or -1. */
static int64_t clock_first_expiry(QEMUClockType type, int attr_mask)
{
    QEMUClock *clock = clock_of(type);
    int64_t first = -1;

    qemu_mutex_lock(&clocks_lock);
    for (GSList *l = clock->timerlists; l; l = l->next) {
        int64_t expire = timerlist_first_expiry_attr(l->data, attr_mask);

        first = qemu_soonest_timeout(first, expire);
    }
    qemu_mutex_unlock(&clocks_lock);
    return first;
}

int64_t qemu_clock_deadline_ns_all(QEMUClockType type, int attr_mask)
{
    int64_t first, now;

    if (!qemu_clock_is_enabled(type)) {
        return -1;
    }
    first = clock_first_expiry(type, attr_mask);
    if (first < 0) {
        return -1;
    }
    now = qemu_clock_get_ns(type);
    return first <= now ? 0 : first - now;
}

bool qemu_clock_run_timers(QEMUClockType type)
{
    return timerlist_run_timers(main_loop_tlg.tl[type]);
}

bool qemu_clock_run_all_timers(void)
{
    return timerlistgroup_run_timers(&main_loop_tlg);
}

/* ---- manual virtual clock ---- */

void qemu_clock_set_virtual_manual(bool manual)
{
    if (manual == vtime.manual) {
        return;
    }
    if (manual) {
        qatomic_set(&vtime.manual_ns, 0);
    } else {
        /* Continue ticking from the counter's value. */
        qemu_mutex_lock(&vtime.lock);
        vtime.offset_ns = get_clock() - vtime.manual_ns;
        vtime.stopped_at_ns = vtime.manual_ns;
        qemu_mutex_unlock(&vtime.lock);
    }
    qatomic_set(&vtime.manual, manual);
    qemu_clock_notify(QEMU_CLOCK_VIRTUAL);
}

bool qemu_clock_virtual_is_manual(void)
{
    return qatomic_read(&vtime.manual);
}

int64_t qemu_clock_virtual_next_deadline_ns(void)
{
    return clock_first_expiry(QEMU_CLOCK_VIRTUAL, QEMU_TIMER_ATTR_ALL);
}

/* Run the expired VIRTUAL timers of every list (not just the main one). */
static void run_all_virtual_lists(void)
{
    QEMUClock *clock = clock_of(QEMU_CLOCK_VIRTUAL);
    GSList *lists;

    /* Copy: a callback may create or free timer lists. */
    qemu_mutex_lock(&clocks_lock);
    lists = g_slist_copy(clock->timerlists);
    qemu_mutex_unlock(&clocks_lock);
    for (GSList *l = lists; l; l = l->next) {
        timerlist_run_timers(l->data);
    }
    g_slist_free(lists);
}

int64_t qemu_clock_advance_virtual_ns(int64_t dest_ns)
{
    int64_t next;

    assert(qemu_clock_virtual_is_manual());

    /*
     * Jump from deadline to deadline, running what expires at each.  A
     * disabled clock runs no timers, so time just moves (and the loop
     * below would never see its deadlines go).
     */
    while (qemu_clock_is_enabled(QEMU_CLOCK_VIRTUAL)) {
        run_all_virtual_lists();
        next = qemu_clock_virtual_next_deadline_ns();
        if (next < 0 || next > dest_ns) {
            break;
        }
        if (next > vtime.manual_ns) {
            qatomic_set(&vtime.manual_ns, next);
        }
    }

    if (dest_ns > vtime.manual_ns) {
        qatomic_set(&vtime.manual_ns, dest_ns);
    }
    return vtime.manual_ns;
}

/* ---- timers ---- */

void timer_init_full(QEMUTimer *ts, QEMUTimerListGroup *tlg,
                     QEMUClockType type, int scale, int attributes,
                     QEMUTimerCB *cb, void *opaque)
{
    if (!tlg) {
        tlg = &main_loop_tlg;
    }
    ts->timer_list = tlg->tl[type];
    ts->cb = cb;
    ts->opaque = opaque;
    ts->scale = scale;
    ts->attributes = attributes;
    ts->expire_time = -1;
    ts->heap_index = -1;
}

QEMUTimer *timer_new_full(QEMUTimerListGroup *tlg, QEMUClockType type,
                          int scale, int attributes,
                          QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *ts = g_new0(QEMUTimer, 1);

    timer_init_full(ts, tlg, type, scale, attributes, cb, opaque);
    return ts;
}

void timer_deinit(QEMUTimer *ts)
{
    timer_del(ts);
    ts->timer_list = NULL;
}

void timer_free(QEMUTimer *ts)
{
    if (ts) {
        timer_del(ts);
        g_free(ts);
    }
}

static void timer_del_locked(QEMUTimerList *tl, QEMUTimer *ts)
{
    if (ts->heap_index >= 0) {
        heap_remove(tl, ts);
    }
    qatomic_set(&ts->expire_time, -1);
}

/*
 * Arm @ts; timers with equal expiry keep their arming order.  Returns
 * true when @ts became the list's first timer, i.e. the loop must
 * recompute its timeout.
 */
static bool timer_mod_ns_locked(QEMUTimerList *tl, QEMUTimer *ts,
                                int64_t expire_time)
{
    qatomic_set(&ts->expire_time, MAX(expire_time, 0));
    return heap_insert(tl, ts);
}

void timer_del(QEMUTimer *ts)
{
    QEMUTimerList *tl = ts->timer_list;

    if (tl) {
        qemu_mutex_lock(&tl->active_timers_lock);
        timer_del_locked(tl, ts);
        qemu_mutex_unlock(&tl->active_timers_lock);
    }
}

void timer_mod_ns(QEMUTimer *ts, int64_t expire_time)
{
    QEMUTimerList *tl = ts->timer_list;
    bool rearm;

    qemu_mutex_lock(&tl->active_timers_lock);
    timer_del_locked(tl, ts);
    rearm = timer_mod_ns_locked(tl, ts, expire_time);
    qemu_mutex_unlock(&tl->active_timers_lock);

    if (rearm) {
        timerlist_notify(tl);
    }
}

void timer_mod_anticipate_ns(QEMUTimer *ts, int64_t expire_time)
{
    QEMUTimerList *tl = ts->timer_list;
    bool rearm = false;

    qemu_mutex_lock(&tl->active_timers_lock);
    if (ts->expire_time == -1 || ts->expire_time > expire_time) {
        timer_del_locked(tl, ts);
        rearm = timer_mod_ns_locked(tl, ts, expire_time);
    }
    qemu_mutex_unlock(&tl->active_timers_lock);

    if (rearm) {
        timerlist_notify(tl);
    }
}

void timer_mod(QEMUTimer *ts, int64_t expire_time)
{
    timer_mod_ns(ts, expire_time * ts->scale);
}

void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time)
{
    timer_mod_anticipate_ns(ts, expire_time * ts->scale);
}

bool timer_pending(QEMUTimer *ts)
{
    return qatomic_read(&ts->expire_time) >= 0;
}

bool timer_expired(QEMUTimer *ts, int64_t current_time)
{
    int64_t expire = qatomic_read(&ts->expire_time);

    return expire >= 0 && expire <= current_time * ts->scale;
}

int64_t timer_expire_time_ns(QEMUTimer *ts)
{
    return qatomic_read(&ts->expire_time);
}

/* ---- timeouts and polling ---- */

int qemu_timeout_ns_to_ms(int64_t ns)
{
    int64_t ms;

    if (ns < 0) {
        return -1;
    }
    ms = DIV_ROUND_UP(ns, NANOSECONDS_PER_MS);
    return ms > INT_MAX ? INT_MAX : (int)ms;
}

int qemu_poll_ns(GPollFD *fds, guint nfds, int64_t timeout)
{
    struct timespec ts;

    QEMU_BUILD_BUG_ON(sizeof(GPollFD) != sizeof(struct pollfd));
    if (timeout < 0) {
        return ppoll((struct pollfd *)fds, nfds, NULL, NULL);
    }
    ts.tv_sec = timeout / NANOSECONDS_PER_SECOND;
    ts.tv_nsec = timeout % NANOSECONDS_PER_SECOND;
    return ppoll((struct pollfd *)fds, nfds, &ts, NULL);
}
