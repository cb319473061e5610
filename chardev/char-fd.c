/*
 * char-fd.c: backends over plain file descriptors: file and pipe, and the
 * shared code stdio uses.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

/* Input: read what the front end can take; EOF stops reading. */
static gboolean chr_fd_read(Chardev *chr, GIOCondition cond)
{
    FDChardev *s = (FDChardev *)chr;
    uint8_t buf[CHR_READ_BUF_LEN];
    int len = MIN(qemu_chr_be_can_write(chr), (int)sizeof(buf));
    ssize_t n;

    if (len <= 0) {
        return G_SOURCE_CONTINUE;
    }
    n = read(s->fd_in, buf, len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        /* End of input (or a dead fd): the host side is gone. */
        g_source_unref(s->read_src);
        s->read_src = NULL;
        qemu_chr_be_event(chr, CHR_EVENT_CLOSED);
        return G_SOURCE_REMOVE;
    }
    qemu_chr_be_write(chr, buf, n);
    return G_SOURCE_CONTINUE;
}

void chr_fd_update_read_handler(Chardev *chr)
{
    FDChardev *s = (FDChardev *)chr;

    chr_source_remove(&s->read_src);
    if (s->fd_in >= 0 && chr->be_open) {
        s->read_src = chr_fd_source_add(chr, s->fd_in, G_IO_IN, true,
                                        chr_fd_read);
    }
}

void chr_fd_attach(Chardev *chr, int fd_in, int fd_out, bool own_fds)
{
    FDChardev *s = (FDChardev *)chr;

    s->fd_in = fd_in;
    s->fd_out = fd_out;
    s->own_fds = own_fds;
    if (fd_in >= 0) {
        chr_set_nonblock(fd_in, true);
    }
    /* be_open is set after open returns; start reading then. */
    chr->be_open = 1;
    chr_fd_update_read_handler(chr);
}

int chr_fd_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    return chr_fd_write(((FDChardev *)chr)->fd_out, buf, len);
}

GSource *chr_fd_add_watch(Chardev *chr, GIOCondition cond)
{
    return chr_fd_watch_new(((FDChardev *)chr)->fd_out, cond);
}

int chr_fd_get_write_fd(Chardev *chr)
{
    return ((FDChardev *)chr)->fd_out;
}

void chr_fd_finalize(Chardev *chr)
{
    FDChardev *s = (FDChardev *)chr;

    chr_source_remove(&s->read_src);
    if (s->own_fds) {
        if (s->fd_in >= 0 && s->fd_in != s->fd_out) {
            close(s->fd_in);
        }
        if (s->fd_out >= 0) {
            close(s->fd_out);
        }
    }
}

/* file: output appended to or replacing a file; no input. */

static bool file_chr_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                          Error **errp)
{
    const char *path = chardev_opts_get(opts, "path");
    bool append;
    int fd;

    if (!path) {
        error_setg(errp, "chardev: file: no filename given (add path=FILE)");
        return false;
    }
    if (!chardev_opts_get_bool(opts, "append", false, &append, errp)) {
        return false;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
              (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", path);
        return false;
    }
    chr_fd_attach(chr, -1, fd, true);
    return true;
}

static const char *const file_opts[] = { "path", "append", NULL };

static void file_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->opts = file_opts;
    cc->open = file_chr_open;
    cc->chr_write = chr_fd_chr_write;
    cc->chr_add_watch = chr_fd_add_watch;
    cc->chr_update_read_handler = chr_fd_update_read_handler;
    cc->chr_get_write_fd = chr_fd_get_write_fd;
    cc->finalize = chr_fd_finalize;
}

const TypeInfo chr_file_type_info = {
    .name = TYPE_CHARDEV_FILE,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(FDChardev),
    .class_init = file_chr_class_init,
};

/*
 * pipe: PATH.in (read) and PATH.out (written) if both exist, else PATH
 * both ways.  Opened read-write so that opening a FIFO does not block
 * waiting for the other end, and the other end closing is no EOF.
 */
static bool pipe_chr_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                          Error **errp)
{
    const char *path = chardev_opts_get(opts, "path");
    g_autofree char *in = NULL;
    g_autofree char *out = NULL;
    int fd_in, fd_out;

    if (!path) {
        error_setg(errp, "chardev: pipe: no filename given (add path=FILE)");
        return false;
    }
    in = g_strdup_printf("%s.in", path);
    out = g_strdup_printf("%s.out", path);
    fd_in = open(in, O_RDWR | O_CLOEXEC);
    fd_out = open(out, O_RDWR | O_CLOEXEC);
    if (fd_in < 0 || fd_out < 0) {
        if (fd_in >= 0) {
            close(fd_in);
        }
        if (fd_out >= 0) {
            close(fd_out);
        }
        fd_in = fd_out = open(path, O_RDWR | O_CLOEXEC);
        if (fd_in < 0) {
            error_setg_errno(errp, errno, "Could not open '%s'", path);
            return false;
        }
    }
    chr_fd_attach(chr, fd_in, fd_out, true);
    return true;
}

static const char *const pipe_opts[] = { "path", NULL };

static void pipe_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->opts = pipe_opts;
    cc->open = pipe_chr_open;
    cc->chr_write = chr_fd_chr_write;
    cc->chr_add_watch = chr_fd_add_watch;
    cc->chr_update_read_handler = chr_fd_update_read_handler;
    cc->chr_get_write_fd = chr_fd_get_write_fd;
    cc->finalize = chr_fd_finalize;
}

const TypeInfo chr_pipe_type_info = {
    .name = TYPE_CHARDEV_PIPE,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(FDChardev),
    .class_init = pipe_chr_class_init,
};
