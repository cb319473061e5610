/*
 * fd handlers of an AioContext (block/aio.h), Linux epoll flavour.
 *
 * The context keeps its handlers' fds and its wake-up eventfd in one
 * epoll set, and GLib polls only the set's own fd.  Every registration
 * change is known here (qemu_set_fd_handler(), a read-poll answer that
 * changed), so the kernel keeps its wait-queue entries from one poll to
 * the next, where poll() builds and tears them down per fd per call.
 * The main loop may also wait on the set directly (aio_epoll_wait()).
 *
 * Each ready handler's events land in its pfd.revents ("harvest"), and
 * dispatch runs the callbacks from there, so an event never outlives the
 * handler record it was reported for.  A handler whose fd epoll refuses
 * (a regular file, say) keeps a GPollFD in GLib's array instead.
 */
#include "qemu/osdep.h"
#include <sys/epoll.h>
#include "qemu/atomic.h"
#include "qemu/error-report.h"
#include "block/aio.h"

#define READ_EVENTS  (G_IO_IN | G_IO_HUP | G_IO_ERR)
#define WRITE_EVENTS (G_IO_OUT | G_IO_ERR)

/* Events fetched per epoll wait; more stay ready for the next one. */
#define HARVEST_MAX 64

struct AioHandler {
    GPollFD pfd;                /* revents: harvested, or GLib's (gpoll) */
    int fd;
    IOHandler *io_read;
    IOHandler *io_write;
    AioPollFn *io_poll;         /* recorded, see aio_set_fd_handler() */
    IOHandler *io_poll_ready;
    IOCanReadHandler *io_can_read;
    void *opaque;
    int pollfds_idx;            /* slot in qemu_iohandler_fill()'s array */
    uint32_t epoll_events;      /* wanted in the epoll set; 0: not in it */
    bool gpoll;                 /* epoll refused the fd: GLib polls pfd */
    bool read_muted;            /* io_can_read said 0 before this poll */
    bool polled;                /* pfd registered with the GSource */
    bool deleted;               /* freed once no dispatch walks the list */
    AioHandler *next;
};

static AioHandler *find_handler(AioContext *ctx, int fd)
{
    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        if (node->fd == fd && !node->deleted) {
            return node;
        }
    }
    return NULL;
}

/*
 * Free deleted nodes, unless a dispatch walks the list, a wait in
 * progress may report them (aio_epoll_wait()), or a registration that
 * could not be removed may still name them (epoll_stale).
 */
static void handlers_sweep(AioContext *ctx)
{
    AioHandler **pnode = &ctx->handlers;

    if (ctx->walking_handlers || ctx->epoll_stale ||
        !ctx->handlers_deleted) {
        return;
    }
    while (*pnode) {
        AioHandler *node = *pnode;

        if (node->deleted) {
            *pnode = node->next;
            g_free(node);
        } else {
            pnode = &node->next;
        }
    }
    ctx->handlers_deleted = false;
}

/* Register @node's GPollFD with the GSource, or unregister it. */
static void handler_set_polled(AioContext *ctx, AioHandler *node,
                               bool polled)
{
    if (polled && !node->polled) {
        g_source_add_poll(&ctx->source, &node->pfd);
    } else if (!polled && node->polled) {
        g_source_remove_poll(&ctx->source, &node->pfd);
    }
    node->polled = polled;
}

/* ---- the epoll set ---- */

static uint32_t gio_to_epoll(gushort events)
{
    return (events & G_IO_IN ? EPOLLIN : 0) |
           (events & G_IO_OUT ? EPOLLOUT : 0);
}

static gushort epoll_to_gio(uint32_t events)
{
    return (events & EPOLLIN ? G_IO_IN : 0) |
           (events & EPOLLOUT ? G_IO_OUT : 0) |
           (events & EPOLLPRI ? G_IO_PRI : 0) |
           (events & EPOLLHUP ? G_IO_HUP : 0) |
           (events & EPOLLERR ? G_IO_ERR : 0);
}

/* epoll_ctl() on @fd tagged with @tag; negative errno on failure. */
static int epoll_ctl_tag(int epollfd, int op, int fd, uint32_t events,
                         void *tag)
{
    struct epoll_event ev = { .events = events, .data.ptr = tag };

    return epoll_ctl(epollfd, op, fd, &ev) < 0 ? -errno : 0;
}

/* Add @node to @epollfd; if epoll refuses the fd, GLib polls it. */
static void handler_epoll_add(AioContext *ctx, int epollfd,
                              AioHandler *node)
{
    if (epoll_ctl_tag(epollfd, EPOLL_CTL_ADD, node->fd,
                      node->epoll_events, node) < 0) {
        node->gpoll = true;
        node->epoll_events = 0;
        handler_set_polled(ctx, node, node->pfd.events != 0);
    }
}

/*
 * Make @node wait for @events (G_IO_*).  A muted fd with nothing else to
 * wait for leaves the set altogether: epoll reports hang-ups even for no
 * events, and a hung-up muted fd must not spin the loop.
 */
static void handler_set_events(AioContext *ctx, AioHandler *node,
                               gushort events)
{
    uint32_t old = node->epoll_events;
    int ret = 0;

    node->pfd.events = events;
    if (node->gpoll) {
        handler_set_polled(ctx, node, events != 0);
        return;
    }
    node->epoll_events = gio_to_epoll(events);
    if (node->epoll_events == old) {
        return;
    }
    if (!old) {
        handler_epoll_add(ctx, ctx->epollfd, node);
        return;
    }
    ret = epoll_ctl_tag(ctx->epollfd,
                        node->epoll_events ? EPOLL_CTL_MOD : EPOLL_CTL_DEL,
                        node->fd, node->epoll_events, node);
    if (ret < 0) {
        /*
         * The fd was closed, or its number reused, while registered: its
         * old registration may live on (another descriptor shares the
         * file) and report @node.  The next prepare rebuilds the set.
         */
        ctx->epoll_stale = true;
    }
}

/*
 * Replace the epoll set by a fresh one holding the live registrations;
 * home thread.  Closing the old set drops any registration that could
 * not be removed, so deleted nodes can be freed afterwards.
 */
static void epoll_rebuild(AioContext *ctx)
{
    int epollfd = epoll_create1(EPOLL_CLOEXEC);

    if (epollfd < 0) {
        error_report("cannot rebuild an AioContext epoll set: %s",
                     strerror(errno));
        abort();
    }
    epoll_ctl_tag(epollfd, EPOLL_CTL_ADD, ctx->notifier_pfd.fd, EPOLLIN,
                  &ctx->notifier_pfd);
    if (ctx->extra_pfd.fd >= 0) {
        epoll_ctl_tag(epollfd, EPOLL_CTL_ADD, ctx->extra_pfd.fd, EPOLLIN,
                      &ctx->extra_pfd);
    }
    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        if (!node->deleted && node->epoll_events) {
            handler_epoll_add(ctx, epollfd, node);
        }
    }

    g_source_remove_poll(&ctx->source, &ctx->epoll_pfd);
    close(ctx->epollfd);
    ctx->epollfd = epollfd;
    ctx->epoll_pfd.fd = epollfd;
    g_source_add_poll(&ctx->source, &ctx->epoll_pfd);
    ctx->epoll_stale = false;
}

int aio_epoll_init(AioContext *ctx)
{
    int ret;

    ctx->notifier_pfd.fd = event_notifier_get_fd(&ctx->notifier);
    ctx->notifier_pfd.events = G_IO_IN;
    ctx->extra_pfd.fd = -1;
    ctx->epollfd = epoll_create1(EPOLL_CLOEXEC);
    if (ctx->epollfd < 0) {
        return -errno;
    }
    ret = epoll_ctl_tag(ctx->epollfd, EPOLL_CTL_ADD, ctx->notifier_pfd.fd,
                        EPOLLIN, &ctx->notifier_pfd);
    if (ret < 0) {
        close(ctx->epollfd);
        ctx->epollfd = -1;
        return ret;
    }
    ctx->epoll_pfd.fd = ctx->epollfd;
    ctx->epoll_pfd.events = G_IO_IN;
    g_source_add_poll(&ctx->source, &ctx->epoll_pfd);
    return 0;
}

void aio_epoll_cleanup(AioContext *ctx)
{
    if (ctx->epollfd >= 0) {
        g_source_remove_poll(&ctx->source, &ctx->epoll_pfd);
        close(ctx->epollfd);
    }
}

int aio_epoll_add_extra(AioContext *ctx, int fd)
{
    int ret;

    g_assert(ctx->extra_pfd.fd < 0);
    ret = epoll_ctl_tag(ctx->epollfd, EPOLL_CTL_ADD, fd, EPOLLIN,
                        &ctx->extra_pfd);
    if (ret == 0) {
        ctx->extra_pfd.fd = fd;
        ctx->extra_pfd.events = G_IO_IN;
    }
    return ret;
}

/* Note the events of one epoll wait; home thread, lock held. */
static void epoll_harvest(AioContext *ctx, struct epoll_event *ev, int n)
{
    for (int i = 0; i < n; i++) {
        void *tag = ev[i].data.ptr;
        gushort revents = epoll_to_gio(ev[i].events);

        if (tag == &ctx->notifier_pfd) {
            ctx->notifier_pfd.revents = revents;
        } else if (tag == &ctx->extra_pfd) {
            ctx->extra_pfd.revents = revents;
        } else if (!ctx->epoll_stale) {
            /*
             * A node deleted since the wait simply does not run.  While
             * the set may hold an outdated registration, handler events
             * are dropped: it is rebuilt before the next wait, and
             * level-triggered fds report again.
             */
            AioHandler *node = tag;

            node->pfd.revents = revents;
        }
    }
    ctx->epoll_harvested = true;
}

void aio_epoll_check(AioContext *ctx)
{
    struct epoll_event ev[HARVEST_MAX];
    int n;

    if (ctx->epoll_harvested || !(ctx->epoll_pfd.revents & G_IO_IN)) {
        return;
    }
    n = epoll_wait(ctx->epollfd, ev, HARVEST_MAX, 0);
    epoll_harvest(ctx, ev, MAX(n, 0));
}

int aio_epoll_wait_begin(AioContext *ctx)
{
    /* Pins every node (no sweep) until aio_epoll_wait_end(). */
    ctx->walking_handlers++;
    return ctx->epollfd;
}

int aio_epoll_wait(int epollfd, struct epoll_event *ev, int max,
                   int64_t timeout_ns)
{
    struct timespec ts = {
        .tv_sec = timeout_ns / NANOSECONDS_PER_SECOND,
        .tv_nsec = timeout_ns % NANOSECONDS_PER_SECOND,
    };
    int n = epoll_pwait2(epollfd, ev, max, timeout_ns < 0 ? NULL : &ts,
                         NULL);

    return n < 0 ? -errno : n;
}

void aio_epoll_wait_end(AioContext *ctx, struct epoll_event *ev, int n)
{
    epoll_harvest(ctx, ev, MAX(n, 0));
    ctx->walking_handlers--;
}

bool aio_epoll_dispatch_early(AioContext *ctx)
{
    /*
     * Only handlers were woken: no BH is waiting to run before them, and
     * no other thread asked GLib or this context to look at anything.
     */
    if (!ctx->epoll_harvested || ctx->notifier_pfd.revents ||
        ctx->extra_pfd.revents || qatomic_read(&ctx->bh_list)) {
        return false;
    }
    return aio_handlers_dispatch(ctx);
}

/* ---- handler records ---- */

static void handler_remove(AioContext *ctx, AioHandler *node)
{
    /* The set and GLib forget the fd now; the node may still be walked. */
    handler_set_events(ctx, node, 0);
    node->deleted = true;
    ctx->handlers_deleted = true;
    handlers_sweep(ctx);
}

static AioHandler *handler_add(AioContext *ctx, int fd)
{
    AioHandler *node = g_new0(AioHandler, 1);

    node->fd = fd;
    node->pfd.fd = fd;
    node->pollfds_idx = -1;
    node->next = ctx->handlers;
    ctx->handlers = node;
    return node;
}

/* Events to poll @node for; asks the read-poll callback. */
static gushort handler_events(AioHandler *node)
{
    gushort events = 0;

    node->read_muted = node->io_read && node->io_can_read &&
                       node->io_can_read(node->opaque) == 0;
    if (node->io_read && !node->read_muted) {
        events |= READ_EVENTS;
    }
    if (node->io_write) {
        events |= WRITE_EVENTS;
    }
    return events;
}

/*
 * Check that @node's registration still names the fd's current file: if
 * the fd was closed and its number reused without the handler being
 * removed first, MOD fails and the set is rebuilt, so the new file is
 * polled as poll() would.  One syscall per handler change.
 */
static void handler_revalidate(AioContext *ctx, AioHandler *node)
{
    if (node->epoll_events &&
        epoll_ctl_tag(ctx->epollfd, EPOLL_CTL_MOD, node->fd,
                      node->epoll_events, node) < 0) {
        ctx->epoll_stale = true;
    }
}

static void set_fd_handler(AioContext *ctx, int fd,
                           IOCanReadHandler *io_can_read,
                           IOHandler *io_read, IOHandler *io_write,
                           AioPollFn *io_poll, IOHandler *io_poll_ready,
                           void *opaque)
{
    AioHandler *node = find_handler(ctx, fd);

    if (!io_read && !io_write) {
        if (node) {
            handler_remove(ctx, node);
        }
    } else {
        /* A new node joins the set in the next prepare. */
        if (!node) {
            node = handler_add(ctx, fd);
        } else {
            handler_revalidate(ctx, node);
        }
        node->io_can_read = io_can_read;
        node->io_read = io_read;
        node->io_write = io_write;
        node->io_poll = io_poll;
        node->io_poll_ready = io_poll_ready;
        node->opaque = opaque;
    }

    /* The home thread may be polling the old set. */
    aio_notify(ctx);
}

void aio_set_fd_handler(AioContext *ctx, int fd, IOHandler *io_read,
                        IOHandler *io_write, AioPollFn *io_poll,
                        IOHandler *io_poll_ready, void *opaque)
{
    set_fd_handler(ctx, fd, NULL, io_read, io_write, io_poll,
                   io_poll_ready, opaque);
}

void aio_set_fd_handler_can_read(AioContext *ctx, int fd,
                                 IOCanReadHandler *io_can_read,
                                 IOHandler *io_read, IOHandler *io_write,
                                 void *opaque)
{
    set_fd_handler(ctx, fd, io_can_read, io_read, io_write, NULL, NULL,
                   opaque);
}

void aio_set_event_notifier(AioContext *ctx, EventNotifier *e,
                            EventNotifierHandler *io_read,
                            AioPollFn *io_poll,
                            EventNotifierHandler *io_poll_ready)
{
    /* The handlers take the notifier itself as their argument. */
    set_fd_handler(ctx, event_notifier_get_fd(e), NULL,
                   (IOHandler *)io_read, NULL, io_poll,
                   (IOHandler *)io_poll_ready, e);
}

void aio_handlers_prepare(AioContext *ctx)
{
    /* Nothing harvested yet for this poll. */
    ctx->epoll_harvested = false;
    ctx->notifier_pfd.revents = 0;
    ctx->extra_pfd.revents = 0;

    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        if (node->deleted) {
            continue;
        }
        node->pfd.revents = 0;
        handler_set_events(ctx, node, handler_events(node));
    }

    /* A registration could not be removed: start a clean set. */
    if (ctx->epoll_stale) {
        epoll_rebuild(ctx);
        handlers_sweep(ctx);
    }
}

bool aio_handlers_pending(AioContext *ctx)
{
    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        if (!node->deleted && node->pfd.revents) {
            return true;
        }
    }
    return false;
}

/* Run @node's callbacks for @revents; true if one ran. */
static bool handler_dispatch(AioHandler *node, gushort revents)
{
    bool progress = false;

    if ((revents & READ_EVENTS) && node->io_read && !node->read_muted) {
        node->io_read(node->opaque);
        progress = true;
    }
    /* The read callback may have removed the handler. */
    if (!node->deleted && (revents & WRITE_EVENTS) && node->io_write) {
        node->io_write(node->opaque);
        progress = true;
    }
    return progress;
}

bool aio_handlers_dispatch(AioContext *ctx)
{
    bool progress = false;

    ctx->walking_handlers++;
    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        gushort revents = node->pfd.revents;

        node->pfd.revents = 0;
        if (!node->deleted && revents) {
            progress |= handler_dispatch(node, revents);
        }
    }
    ctx->walking_handlers--;
    handlers_sweep(ctx);
    return progress;
}

void aio_handlers_free_all(AioContext *ctx)
{
    AioHandler *node, *next;

    for (node = ctx->handlers; node; node = next) {
        next = node->next;
        handler_set_polled(ctx, node, false);
        g_free(node);
    }
    ctx->handlers = NULL;
}

void aio_handlers_fill(AioContext *ctx, GArray *pollfds)
{
    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        GPollFD pfd = { .fd = node->fd };

        node->pollfds_idx = -1;
        if (node->deleted) {
            continue;
        }
        pfd.events = handler_events(node);
        if (pfd.events) {
            node->pollfds_idx = pollfds->len;
            g_array_append_val(pollfds, pfd);
        }
    }
}

void aio_handlers_poll(AioContext *ctx, GArray *pollfds, int ret)
{
    if (ret <= 0) {
        return;
    }
    ctx->walking_handlers++;
    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        int idx = node->pollfds_idx;

        if (node->deleted || idx < 0 || idx >= (int)pollfds->len) {
            continue;
        }
        node->pollfds_idx = -1;
        handler_dispatch(node, g_array_index(pollfds, GPollFD, idx).revents);
    }
    ctx->walking_handlers--;
    handlers_sweep(ctx);
}
