/*
 * char-fe.h: the front-end side of a character device.
 *
 * A device (UART, virtio-console) or a monitor embeds a CharBackend and
 * connects it to a Chardev with qemu_chr_fe_init().  Input arrives through
 * the handlers given to qemu_chr_fe_set_handlers(): the backend asks
 * fd_can_read how much the front end can take, reads at most that much
 * from the host and hands it to fd_read.  When fd_can_read returns 0 the
 * host side is not read at all (the bytes stay in the kernel, so the
 * sender feels backpressure) until the front end calls
 * qemu_chr_fe_accept_input().
 *
 * Threads: everything here runs with the big lock held.  Handlers run in
 * the main loop thread, from the GMainContext given to set_handlers.
 */
#ifndef CHARDEV_CHAR_FE_H
#define CHARDEV_CHAR_FE_H

#include "chardev/char.h"

/* Same types as in qemu/main-loop.h (C11 allows the repeat). */
typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);
/* The backend was replaced under the front end; return 0 if handled. */
typedef int BackendChangeHandler(void *opaque);
/* Callback of qemu_chr_fe_add_watch; @do_not_use is always NULL. */
typedef gboolean (*FEWatchFunc)(void *do_not_use, GIOCondition condition,
                                void *data);

/* Embedded in the front end's state; zero-initialised is "not connected". */
struct CharBackend {
    Chardev *chr;
    IOEventHandler *chr_event;
    IOCanReadHandler *chr_can_read;
    IOReadHandler *chr_read;
    BackendChangeHandler *chr_be_change;
    void *opaque;
    int tag;                    /* index among a mux's front ends */
    int fe_open;
};

/*
 * Connect @be to @chr (which may be NULL: a front end with no host side,
 * whose writes are dropped).  Fails if @chr already has a front end,
 * unless it is a mux with room for one more (at most 4).
 */
bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp);

/* Disconnect; with @del also destroy the chardev. */
void qemu_chr_fe_deinit(CharBackend *be, bool del);

/*
 * Install the front end's handlers (any may be NULL) and the context the
 * backend's I/O sources live in (NULL = GLib's default context).  With
 * @set_open the front end is marked open if any handler is non-NULL and
 * closed otherwise.  If the host side is already open, fd_event gets
 * CHR_EVENT_OPENED at once.  On a mux, the front end takes the focus.
 */
void qemu_chr_fe_set_handlers(CharBackend *be,
                              IOCanReadHandler *fd_can_read,
                              IOReadHandler *fd_read,
                              IOEventHandler *fd_event,
                              BackendChangeHandler *be_change,
                              void *opaque,
                              GMainContext *context,
                              bool set_open);

/*
 * Non-blocking write: returns the bytes the host side accepted, which may
 * be fewer than @len; -1 with errno EAGAIN when it took none (wait with
 * qemu_chr_fe_add_watch(G_IO_OUT)), -1 with another errno on failure.
 * With no chardev, returns 0.  A disconnected socket or pty accepts and
 * drops everything, as in QEMU.
 */
int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len);

/*
 * Blocking write of all @len bytes (monitors, help text): waits for the
 * host side to drain.  Returns @len, or -1 with errno on a hard error.
 */
int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len);

/* printf to the host side, blocking like qemu_chr_fe_write_all. */
void qemu_chr_fe_printf(CharBackend *be, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/*
 * Call @func once @cond (G_IO_OUT and/or G_IO_HUP) holds on the host side,
 * in the front end's context, until it returns G_SOURCE_REMOVE.  Returns
 * the GSource id (remove it with g_source_remove), or 0 if there is
 * nothing to wait for: the backend never blocks (null, ringbuf) or is
 * disconnected (a socket or pty with no peer drops output).
 */
guint qemu_chr_fe_add_watch(CharBackend *be, GIOCondition cond,
                            FEWatchFunc func, void *user_data);

/* The front end can take input again: re-enable reading the host side. */
void qemu_chr_fe_accept_input(CharBackend *be);

/* Mark the front end's side open or closed (e.g. a guest opened a port). */
void qemu_chr_fe_set_open(CharBackend *be, int fe_open);

/* On a mux, give this front end the input focus. */
void qemu_chr_fe_take_focus(CharBackend *be);

/* The chardev behind @be, or NULL. */
Chardev *qemu_chr_fe_get_driver(CharBackend *be);

/* True if @be has a chardev (it may still be disconnected). */
bool qemu_chr_fe_backend_connected(CharBackend *be);

/* True if the host side is open (a socket peer is connected, ...). */
bool qemu_chr_fe_backend_open(CharBackend *be);

#endif /* CHARDEV_CHAR_FE_H */
