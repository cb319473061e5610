/*
 * chardev-internal.h: helpers shared by the backends in chardev/.
 * Not for use outside chardev/.
 */
#ifndef CHARDEV_INTERNAL_H
#define CHARDEV_INTERNAL_H

#include "chardev/char-fe.h"

/* Front ends one mux can carry (QEMU's limit). */
#define MAX_MUX 4
/* Input a mux buffers per front end while that front end cannot read. */
#define MUX_BUFFER_SIZE 32
/* Largest read a backend does at once. */
#define CHR_READ_BUF_LEN 4096

/*
 * Called when the watched fd is ready.  Return G_SOURCE_REMOVE to stop
 * watching (the source is then destroyed; drop any pointer to it).
 */
typedef gboolean (*ChrFdFunc)(Chardev *chr, GIOCondition cond);

/*
 * A GSource on @fd for @cond, attached to @chr's context.  With @gated
 * the fd is polled only while qemu_chr_be_can_write(@chr) > 0, which is
 * how a front end that cannot read holds input back in the kernel.
 * Returns the attached source (one reference, owned by the caller).
 */
GSource *chr_fd_source_add(Chardev *chr, int fd, GIOCondition cond,
                           bool gated, ChrFdFunc func);

/* A GSource for qemu_chr_fe_add_watch on @fd (not attached). */
GSource *chr_fd_watch_new(int fd, GIOCondition cond);

/* Destroy and release *@src if set, and clear the pointer. */
void chr_source_remove(GSource **src);

/* Wake the chardev's context so gated sources re-check can_write. */
void chr_wake(Chardev *chr);

/* Set O_NONBLOCK on @fd; returns false with errno on failure. */
bool chr_set_nonblock(int fd, bool on);

/* write() that returns -1/EAGAIN instead of blocking, EINTR retried. */
int chr_fd_write(int fd, const uint8_t *buf, int len);

/*
 * The fd backends (file, pipe, stdio): input from fd_in (-1: none),
 * output to fd_out.
 */
typedef struct FDChardev {
    Chardev parent;
    int fd_in;
    int fd_out;
    bool own_fds;               /* close the fds at finalize */
    GSource *read_src;          /* gated watch on fd_in */
} FDChardev;

/* Attach @fd_in/@fd_out to @chr, which embeds an FDChardev. */
void chr_fd_attach(Chardev *chr, int fd_in, int fd_out, bool own_fds);
int chr_fd_chr_write(Chardev *chr, const uint8_t *buf, int len);
GSource *chr_fd_add_watch(Chardev *chr, GIOCondition cond);
void chr_fd_update_read_handler(Chardev *chr);
int chr_fd_get_write_fd(Chardev *chr);
void chr_fd_finalize(Chardev *chr);

/* The mux's hooks, used by the front-end code. */
bool mux_chr_attach_frontend(Chardev *mux, CharBackend *be, Error **errp);
void mux_chr_detach_frontend(Chardev *mux, CharBackend *be);
void mux_chr_set_handlers(Chardev *mux, GMainContext *context);
void mux_set_focus(Chardev *mux, int focus);
/* Create mux @id over the chardev @base. */
Chardev *mux_chr_new(const char *id, Chardev *base, GMainContext *context,
                     Error **errp);

/* The built-in backend types, registered by char.c. */
extern const TypeInfo chr_ringbuf_type_info, chr_memory_type_info,
    chr_mux_type_info, chr_pipe_type_info, chr_null_type_info,
    chr_socket_type_info, chr_file_type_info, chr_pty_type_info,
    chr_stdio_type_info;

/* Parallel arrays of owned strings, in the order first set. */
struct ChardevOpts {
    GPtrArray *keys;
    GPtrArray *values;
};

/* Keys every backend accepts (id, backend, mux). */
extern const char *const chardev_common_opts[];

#endif /* CHARDEV_INTERNAL_H */
