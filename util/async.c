/*
 * AioContext as a GSource, bottom halves, wake-ups (block/aio.h).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/atomic.h"
#include "qemu/error-report.h"
#include "block/aio.h"

/* Poll at least this often while an idle BH waits (see header). */
#define IDLE_BH_TIMEOUT_NS (10 * NANOSECONDS_PER_MS)

enum {
    BH_PENDING   = 1 << 0,      /* on ctx->bh_list (or a pass's slice) */
    BH_SCHEDULED = 1 << 1,      /* the callback should run */
    BH_DELETED   = 1 << 2,      /* free when taken off the list */
    BH_ONESHOT   = 1 << 3,      /* free after the callback */
    BH_IDLE      = 1 << 4,      /* scheduled with schedule_idle */
};

struct QEMUBH {
    AioContext *ctx;
    const char *name;
    QEMUBHFunc *cb;
    void *opaque;
    QEMUBH *next;               /* ctx->bh_list link */
    unsigned int flags;         /* BH_*; atomic */
};

/* ---- wake-ups ---- */

void aio_notify(AioContext *ctx)
{
    /*
     * Order the caller's stores (a pushed BH, a moved timer) before the
     * read of notify_me; pairs with the barrier after prepare sets
     * notify_me and before it looks at BHs and timers.  Either prepare
     * sees the new work, or we see notify_me and write the eventfd.
     */
    smp_mb();
    if (!qatomic_read(&ctx->notify_me)) {
        return;
    }
    if (!qatomic_xchg(&ctx->notified, true)) {
        event_notifier_set(&ctx->notifier);
    }
}

void aio_notify_accept(AioContext *ctx)
{
    /*
     * Read the eventfd before clearing notified: a notifier that saw
     * notified still set skipped its write, and the caller looks at
     * BHs/timers after this, so its work is not lost.
     */
    event_notifier_test_and_clear(&ctx->notifier);
    qatomic_set(&ctx->notified, false);
    smp_mb();
}

/* ---- bottom halves ---- */

/* Push @bh on the pending list unless it is there, then wake the loop. */
static void aio_bh_enqueue(QEMUBH *bh, unsigned int new_flags, bool notify)
{
    AioContext *ctx = bh->ctx;
    unsigned int old_flags;
    QEMUBH *head;

    /* The fetch-or is a full barrier: the flags are set before the push. */
    old_flags = qatomic_fetch_or(&bh->flags, BH_PENDING | new_flags);
    if (!(old_flags & BH_PENDING)) {
        do {
            head = qatomic_read(&ctx->bh_list);
            bh->next = head;
        } while (qatomic_cmpxchg(&ctx->bh_list, head, bh) != head);
    }
    if (notify) {
        aio_notify(ctx);
    }
}

QEMUBH *aio_bh_new_full(AioContext *ctx, QEMUBHFunc *cb, void *opaque,
                        const char *name)
{
    QEMUBH *bh = g_new(QEMUBH, 1);

    *bh = (QEMUBH) {
        .ctx = ctx,
        .name = name,
        .cb = cb,
        .opaque = opaque,
    };
    return bh;
}

void aio_bh_schedule_oneshot_full(AioContext *ctx, QEMUBHFunc *cb,
                                  void *opaque, const char *name)
{
    QEMUBH *bh = aio_bh_new_full(ctx, cb, opaque, name);

    bh->flags = BH_ONESHOT;
    aio_bh_enqueue(bh, BH_SCHEDULED, true);
}

void qemu_bh_schedule(QEMUBH *bh)
{
    aio_bh_enqueue(bh, BH_SCHEDULED, true);
}

void qemu_bh_schedule_idle(QEMUBH *bh)
{
    /*
     * aio_notify() writes only while the loop may be asleep (never from
     * the loop's own callbacks).  A sleeping loop wakes to recompute its
     * timeout, which an idle BH caps at 10 ms instead of making it 0, so
     * the BH still waits for the next poll rather than running at once.
     */
    aio_bh_enqueue(bh, BH_SCHEDULED | BH_IDLE, true);
}

void qemu_bh_cancel(QEMUBH *bh)
{
    qatomic_fetch_and(&bh->flags, ~BH_SCHEDULED);
}

void qemu_bh_delete(QEMUBH *bh)
{
    /* The poller frees it; no wake-up needed for that. */
    aio_bh_enqueue(bh, BH_DELETED, false);
}

/* Reverse a newest-first list so a pass runs BHs in scheduling order. */
static QEMUBH *bh_list_reverse(QEMUBH *bh)
{
    QEMUBH *prev = NULL;

    while (bh) {
        QEMUBH *next = bh->next;

        bh->next = prev;
        prev = bh;
        bh = next;
    }
    return prev;
}

bool aio_bh_poll(AioContext *ctx)
{
    QEMUBH *slice, *bh;
    unsigned int flags;
    bool progress = false;

    /* Take everything scheduled so far; later schedules start a new list. */
    slice = bh_list_reverse(qatomic_xchg(&ctx->bh_list, NULL));

    while ((bh = slice) != NULL) {
        /*
         * Read the link before clearing PENDING: from then on another
         * thread may push @bh again and overwrite bh->next.  The
         * fetch-and is a full barrier, so the read stays before it.
         */
        slice = bh->next;
        flags = qatomic_fetch_and(&bh->flags,
                                  ~(BH_PENDING | BH_SCHEDULED | BH_IDLE));

        if ((flags & (BH_SCHEDULED | BH_DELETED)) == BH_SCHEDULED) {
            bh->cb(bh->opaque);
            progress = true;
        }
        if (flags & (BH_DELETED | BH_ONESHOT)) {
            g_free(bh);
        }
    }
    return progress;
}

/* 0 if a BH must run now, 10 ms if only idle BHs wait, else -1. */
static int64_t aio_bh_timeout_ns(AioContext *ctx)
{
    int64_t timeout = -1;

    /* Nodes leave the list only in this thread, so walking it is safe. */
    for (QEMUBH *bh = qatomic_load_acquire(&ctx->bh_list); bh;
         bh = qatomic_read(&bh->next)) {
        unsigned int flags = qatomic_read(&bh->flags);

        if ((flags & (BH_SCHEDULED | BH_DELETED)) != BH_SCHEDULED) {
            continue;
        }
        if (!(flags & BH_IDLE)) {
            return 0;
        }
        timeout = IDLE_BH_TIMEOUT_NS;
    }
    return timeout;
}

static bool aio_bh_pending(AioContext *ctx)
{
    return aio_bh_timeout_ns(ctx) >= 0;
}

int64_t aio_compute_timeout(AioContext *ctx)
{
    int64_t timeout = aio_bh_timeout_ns(ctx);

    if (timeout == 0) {
        return 0;
    }
    return qemu_soonest_timeout(timeout,
                                timerlistgroup_deadline_ns(&ctx->tlg));
}

/* ---- the GSource ---- */

static gboolean aio_ctx_prepare(GSource *source, gint *timeout)
{
    AioContext *ctx = (AioContext *)source;

    /* Announce the sleep first; pairs with the barrier in aio_notify(). */
    qatomic_set(&ctx->notify_me, 1);
    smp_mb();

    aio_handlers_prepare(ctx);
    ctx->prepare_timeout_ns = aio_compute_timeout(ctx);
    *timeout = qemu_timeout_ns_to_ms(ctx->prepare_timeout_ns);

    /* Always FALSE so that check() runs and resets notify_me. */
    return FALSE;
}

static gboolean aio_ctx_check(GSource *source)
{
    AioContext *ctx = (AioContext *)source;

    qatomic_store_release(&ctx->notify_me, 0);
    aio_epoll_check(ctx);
    if (ctx->notifier_pfd.revents & G_IO_IN) {
        aio_notify_accept(ctx);
    }
    ctx->notifier_pfd.revents = 0;

    return aio_bh_pending(ctx) || aio_handlers_pending(ctx) ||
           timerlistgroup_deadline_ns(&ctx->tlg) == 0;
}

static gboolean aio_ctx_dispatch(GSource *source, GSourceFunc callback,
                                 gpointer user_data)
{
    AioContext *ctx = (AioContext *)source;

    aio_bh_poll(ctx);
    aio_handlers_dispatch(ctx);
    timerlistgroup_run_timers(&ctx->tlg);
    return G_SOURCE_CONTINUE;
}

static void aio_ctx_finalize(GSource *source)
{
    AioContext *ctx = (AioContext *)source;
    QEMUBH *bh, *next;

    /* BHs still listed: free them, naming any that would have run. */
    for (bh = qatomic_xchg(&ctx->bh_list, NULL); bh; bh = next) {
        next = bh->next;
        if ((bh->flags & (BH_SCHEDULED | BH_DELETED)) == BH_SCHEDULED) {
            warn_report("AioContext freed with BH '%s' still scheduled",
                        bh->name);
        }
        g_free(bh);
    }

    aio_handlers_free_all(ctx);
    timerlistgroup_deinit(&ctx->tlg);
    aio_epoll_cleanup(ctx);
    event_notifier_cleanup(&ctx->notifier);
    qemu_rec_mutex_destroy(&ctx->lock);
}

static GSourceFuncs aio_source_funcs = {
    .prepare = aio_ctx_prepare,
    .check = aio_ctx_check,
    .dispatch = aio_ctx_dispatch,
    .finalize = aio_ctx_finalize,
};

/* Timer lists of a context wake that context. */
static void aio_timerlist_notify(void *opaque, QEMUClockType type)
{
    aio_notify(opaque);
}

AioContext *aio_context_new(Error **errp)
{
    EventNotifier notifier;
    AioContext *ctx;
    int ret;

    ret = event_notifier_init(&notifier, false);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot create an AioContext eventfd");
        return NULL;
    }

    ctx = (AioContext *)g_source_new(&aio_source_funcs, sizeof(AioContext));
    g_source_set_name(&ctx->source, "aio-context");

    /*
     * GLib "blocks" a non-recursive source while dispatching it, which
     * removes and re-adds its poll fds and signals the context's wake-up
     * eventfd twice per dispatch: two syscalls on every BH.  The
     * dispatch code below tolerates nesting (BH slices are taken
     * atomically, handler walks are counted), so allow recursion.
     */
    g_source_set_can_recurse(&ctx->source, true);
    qemu_rec_mutex_init(&ctx->lock);
    ctx->notifier = notifier;
    timerlistgroup_init(&ctx->tlg, aio_timerlist_notify, ctx);
    ctx->prepare_timeout_ns = -1;

    /* On failure, finalisation undoes the above. */
    ret = aio_epoll_init(ctx);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "cannot create an AioContext epoll set");
        g_source_unref(&ctx->source);
        return NULL;
    }
    return ctx;
}

void aio_context_ref(AioContext *ctx)
{
    g_source_ref(&ctx->source);
}

void aio_context_unref(AioContext *ctx)
{
    g_source_unref(&ctx->source);
}

GSource *aio_get_g_source(AioContext *ctx)
{
    aio_context_ref(ctx);
    return &ctx->source;
}

void aio_context_acquire(AioContext *ctx)
{
    qemu_rec_mutex_lock(&ctx->lock);
}

void aio_context_release(AioContext *ctx)
{
    qemu_rec_mutex_unlock(&ctx->lock);
}
