/*
 * char-pty.c: the pty backend.
 *
 * The emulator holds the master side; a user attaches a terminal program
 * to the slave (/dev/pts/N), printed at start as QEMU prints it.  While no
 * one has the slave open the master reports POLLHUP: output is then
 * dropped (as QEMU does, so a guest never stalls on an unwatched console)
 * and a timer checks for a connection every PTY_POLL_MS.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

#include <poll.h>
#include <termios.h>

/* How often an unconnected pty is checked for a reader (QEMU: 1 s). */
#define PTY_POLL_MS 100

typedef struct PtyChardev {
    Chardev parent;
    int fd;                     /* master */
    bool connected;
    GSource *read_src;
    GSource *timer_src;
} PtyChardev;

static void pty_chr_state(Chardev *chr, bool connected);

/* Someone has the slave open iff the master does not report a hangup. */
static bool pty_slave_open(PtyChardev *s)
{
    struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };

    return poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP);
}

static gboolean pty_chr_read(Chardev *chr, GIOCondition cond)
{
    PtyChardev *s = (PtyChardev *)chr;
    uint8_t buf[CHR_READ_BUF_LEN];
    int len = MIN(qemu_chr_be_can_write(chr), (int)sizeof(buf));
    ssize_t n = len > 0 ? read(s->fd, buf, len) : 0;

    if (len > 0 && n > 0) {
        qemu_chr_be_write(chr, buf, n);
        return G_SOURCE_CONTINUE;
    }
    if ((n < 0 && (errno == EAGAIN || errno == EINTR)) ||
        (len <= 0 && !(cond & G_IO_HUP))) {
        return G_SOURCE_CONTINUE;
    }
    /* EIO / HUP: the last holder of the slave closed it. */
    g_source_unref(s->read_src);
    s->read_src = NULL;
    pty_chr_state(chr, false);
    return G_SOURCE_REMOVE;
}

static gboolean pty_chr_timer(gpointer opaque)
{
    Chardev *chr = opaque;
    PtyChardev *s = opaque;

    if (!pty_slave_open(s)) {
        return G_SOURCE_CONTINUE;
    }
    g_source_unref(s->timer_src);
    s->timer_src = NULL;
    pty_chr_state(chr, true);
    return G_SOURCE_REMOVE;
}

static void pty_start_timer(Chardev *chr)
{
    PtyChardev *s = (PtyChardev *)chr;

    chr_source_remove(&s->timer_src);
    s->timer_src = g_timeout_source_new(PTY_POLL_MS);
    g_source_set_callback(s->timer_src, pty_chr_timer, chr, NULL);
    g_source_attach(s->timer_src, qemu_chr_context(chr));
}

static void pty_chr_update_read_handler(Chardev *chr)
{
    PtyChardev *s = (PtyChardev *)chr;

    chr_source_remove(&s->read_src);
    if (s->connected) {
        s->read_src = chr_fd_source_add(chr, s->fd, G_IO_IN, true,
                                        pty_chr_read);
    } else {
        pty_start_timer(chr);
    }
}

static void pty_chr_state(Chardev *chr, bool connected)
{
    PtyChardev *s = (PtyChardev *)chr;

    if (s->connected == connected) {
        return;
    }
    s->connected = connected;
    chr_source_remove(&s->timer_src);
    pty_chr_update_read_handler(chr);
    qemu_chr_be_event(chr, connected ? CHR_EVENT_OPENED : CHR_EVENT_CLOSED);
}

static int pty_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    PtyChardev *s = (PtyChardev *)chr;

    /* Nobody listening: drop the output rather than fill the pty. */
    if (!s->connected && !pty_slave_open(s)) {
        return len;
    }
    return chr_fd_write(s->fd, buf, len);
}

static GSource *pty_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    PtyChardev *s = (PtyChardev *)chr;

    return s->connected ? chr_fd_watch_new(s->fd, cond) : NULL;
}

static int pty_chr_get_write_fd(Chardev *chr)
{
    return ((PtyChardev *)chr)->fd;
}

/* Raw mode on the slave, so bytes pass through unchanged. */
static void pty_make_raw(int master)
{
    struct termios tty;
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);

    if (slave < 0) {
        return;
    }
    if (tcgetattr(slave, &tty) == 0) {
        cfmakeraw(&tty);
        tcsetattr(slave, TCSAFLUSH, &tty);
    }
    close(slave);
}

static bool pty_chr_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                         Error **errp)
{
    PtyChardev *s = (PtyChardev *)chr;
    g_autofree char *name = NULL;
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

    s->fd = -1;
    if (fd < 0 || grantpt(fd) < 0 || unlockpt(fd) < 0) {
        error_setg_errno(errp, errno, "Failed to create PTY");
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    chr_set_nonblock(fd, true);
    pty_make_raw(fd);
    s->fd = fd;

    /* QEMU prints this on stdout; scripts parse it for the path. */
    name = g_strdup_printf("pty:%s", ptsname(fd));
    qemu_chr_set_filename(chr, name);
    printf("char device redirected to %s (label %s)\n", ptsname(fd),
           chr->label);
    fflush(stdout);

    *be_opened = false;
    pty_chr_update_read_handler(chr);
    return true;
}

static void pty_chr_finalize(Chardev *chr)
{
    PtyChardev *s = (PtyChardev *)chr;

    chr_source_remove(&s->read_src);
    chr_source_remove(&s->timer_src);
    if (s->fd >= 0) {
        close(s->fd);
    }
}

static void pty_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->open = pty_chr_open;
    cc->chr_write = pty_chr_write;
    cc->chr_add_watch = pty_chr_add_watch;
    cc->chr_update_read_handler = pty_chr_update_read_handler;
    cc->chr_get_write_fd = pty_chr_get_write_fd;
    cc->finalize = pty_chr_finalize;
}

const TypeInfo chr_pty_type_info = {
    .name = TYPE_CHARDEV_PTY,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(PtyChardev),
    .class_init = pty_chr_class_init,
};
