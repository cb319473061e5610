/*
 * char-io.c: the GSources that drive chardev I/O from the main loop.
 *
 * Input flow control works by polling: a gated source asks the front end
 * how much it can take in every prepare phase and leaves the fd out of the
 * poll set while the answer is 0.  Unread bytes then stay in the kernel
 * (socket buffer, pty, pipe) and the peer is slowed down, instead of the
 * emulator buffering without bound.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

#include <poll.h>

typedef struct ChrFdSource {
    GSource source;
    Chardev *chr;               /* NULL for a front-end watch */
    int fd;
    GIOCondition cond;
    bool gated;
    gpointer tag;               /* from g_source_add_unix_fd, or NULL */
    ChrFdFunc func;
} ChrFdSource;

/* Add or drop the fd from the poll set as the front end's room changes. */
static gboolean chr_fd_source_prepare(GSource *source, gint *timeout)
{
    ChrFdSource *s = (ChrFdSource *)source;
    bool want = !s->gated || qemu_chr_be_can_write(s->chr) > 0;

    if (want && !s->tag) {
        s->tag = g_source_add_unix_fd(source, s->fd, s->cond);
    } else if (!want && s->tag) {
        g_source_remove_unix_fd(source, s->tag);
        s->tag = NULL;
    }
    *timeout = -1;
    return FALSE;
}

static gboolean chr_fd_source_check(GSource *source)
{
    ChrFdSource *s = (ChrFdSource *)source;

    return s->tag && (g_source_query_unix_fd(source, s->tag) & s->cond);
}

static gboolean chr_fd_source_dispatch(GSource *source, GSourceFunc cb,
                                       gpointer user_data)
{
    ChrFdSource *s = (ChrFdSource *)source;
    GIOCondition got = s->tag ? g_source_query_unix_fd(source, s->tag) : 0;

    got &= s->cond;
    if (s->func) {
        return s->func(s->chr, got);
    }
    if (!cb) {
        return G_SOURCE_REMOVE;
    }
    /* A front-end watch: cb is really an FEWatchFunc. */
    return ((FEWatchFunc)(void (*)(void))cb)(NULL, got, user_data);
}

static GSourceFuncs chr_fd_source_funcs = {
    .prepare = chr_fd_source_prepare,
    .check = chr_fd_source_check,
    .dispatch = chr_fd_source_dispatch,
};

static ChrFdSource *chr_fd_source_new(Chardev *chr, int fd,
                                      GIOCondition cond, bool gated)
{
    GSource *src = g_source_new(&chr_fd_source_funcs, sizeof(ChrFdSource));
    ChrFdSource *s = (ChrFdSource *)src;

    s->chr = chr;
    s->fd = fd;
    s->cond = cond | G_IO_HUP | G_IO_ERR;
    s->gated = gated;
    if (!gated) {
        s->tag = g_source_add_unix_fd(src, fd, s->cond);
    }
    return s;
}

GSource *chr_fd_source_add(Chardev *chr, int fd, GIOCondition cond,
                           bool gated, ChrFdFunc func)
{
    ChrFdSource *s = chr_fd_source_new(chr, fd, cond, gated);

    s->func = func;
    g_source_attach(&s->source, qemu_chr_context(chr));
    return &s->source;
}

GSource *chr_fd_watch_new(int fd, GIOCondition cond)
{
    return &chr_fd_source_new(NULL, fd, cond, false)->source;
}

void chr_source_remove(GSource **src)
{
    if (*src) {
        g_source_destroy(*src);
        g_source_unref(*src);
        *src = NULL;
    }
}

void chr_wake(Chardev *chr)
{
    g_main_context_wakeup(qemu_chr_context(chr));
}

bool chr_set_nonblock(int fd, bool on)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0) {
        return false;
    }
    flags = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, flags) == 0;
}

int chr_fd_write(int fd, const uint8_t *buf, int len)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    ssize_t n;

    /*
     * The fd may be blocking (stdout, a file): only write when poll says
     * there is room, so a front end never stalls the main loop.
     */
    if (poll(&pfd, 1, 0) == 0) {
        errno = EAGAIN;
        return -1;
    }
    if (!(fcntl(fd, F_GETFL) & O_NONBLOCK)) {
        /* A blocking fd: stay within what POLLOUT promises to fit. */
        len = MIN(len, PIPE_BUF);
    }
    do {
        n = write(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}
