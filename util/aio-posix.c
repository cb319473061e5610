/*
 * fd handlers of an AioContext (block/aio.h), POSIX poll flavour.
 *
 * Each handler owns a GPollFD registered with the context's GSource, so
 * GLib's query/poll/check fill in its revents; prepare sets the events
 * it waits for, and dispatch runs the callbacks.
 */
#include "qemu/osdep.h"
#include "block/aio.h"

#define READ_EVENTS  (G_IO_IN | G_IO_HUP | G_IO_ERR)
#define WRITE_EVENTS (G_IO_OUT | G_IO_ERR)

struct AioHandler {
    GPollFD pfd;                /* registered with the GSource */
    int fd;
    IOHandler *io_read;
    IOHandler *io_write;
    AioPollFn *io_poll;         /* recorded, see aio_set_fd_handler() */
    IOHandler *io_poll_ready;
    IOCanReadHandler *io_can_read;
    void *opaque;
    int pollfds_idx;            /* slot in qemu_iohandler_fill()'s array */
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

/* Free deleted nodes, unless a dispatch is walking the list. */
static void handlers_sweep(AioContext *ctx)
{
    AioHandler **pnode = &ctx->handlers;

    if (ctx->walking_handlers || !ctx->handlers_deleted) {
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

static void handler_remove(AioContext *ctx, AioHandler *node)
{
    /* GLib forgets the GPollFD now; the node itself may still be walked. */
    handler_set_polled(ctx, node, false);
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
    handler_set_polled(ctx, node, true);
    return node;
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
        if (!node) {
            node = handler_add(ctx, fd);
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

void aio_handlers_prepare(AioContext *ctx)
{
    for (AioHandler *node = ctx->handlers; node; node = node->next) {
        if (node->deleted) {
            continue;
        }
        node->pfd.events = handler_events(node);
        node->pfd.revents = 0;

        /*
         * poll() reports hang-ups even for events == 0, so a muted fd is
         * taken out of GLib's set (it must stay sorted by fd, so -1 is
         * not an option); that way a hung-up muted fd cannot spin.
         */
        handler_set_polled(ctx, node, node->pfd.events != 0);
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
