/*
 * char-stdio.c: the stdio backend (the emulator's own stdin/stdout).
 *
 * When stdin is a terminal it is put in raw mode, so that every key
 * (Ctrl-a for the mux, arrows for the monitor) reaches the front end
 * unbuffered and unechoed.  Output processing (OPOST) stays on, as in
 * QEMU, so "\n" still moves to the start of the next line.  The terminal
 * is restored at exit, and when the process is continued after a stop
 * (SIGCONT) raw mode is put back, because the shell restored cooked mode.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

#include <termios.h>

typedef struct StdioChardev {
    FDChardev parent;
} StdioChardev;

/* Only one stdio chardev may exist: the terminal is one resource. */
static Chardev *stdio_owner;
/* Saved terminal state; valid when stdio_tty_saved. */
static struct termios stdio_saved_tty;
static int stdio_saved_flags;
static volatile sig_atomic_t stdio_tty_saved;
static bool stdio_allow_signals;

/* Apply raw mode to fd 0 (only called when stdin is a tty). */
static void stdio_set_raw(void)
{
    struct termios tty = stdio_saved_tty;

    tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                     ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!stdio_allow_signals) {
        tty.c_lflag &= ~ISIG;
    }
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &tty);
}

/*
 * Put the terminal back as it was.  Async-signal-safe (tcsetattr and
 * fcntl only), so a fatal-signal handler may call it too.
 */
static void stdio_restore_tty(void)
{
    if (stdio_tty_saved) {
        tcsetattr(0, TCSANOW, &stdio_saved_tty);
        fcntl(0, F_SETFL, stdio_saved_flags);
    }
}

static void stdio_sigcont(int sig)
{
    if (stdio_tty_saved) {
        stdio_set_raw();
    }
}

static void stdio_setup_tty(bool allow_signals)
{
    static bool atexit_done;
    struct sigaction act = { .sa_handler = stdio_sigcont };

    stdio_allow_signals = allow_signals;
    if (!isatty(0) || tcgetattr(0, &stdio_saved_tty) < 0) {
        return;
    }
    stdio_saved_flags = fcntl(0, F_GETFL);
    stdio_tty_saved = 1;
    if (!atexit_done) {
        atexit(stdio_restore_tty);
        atexit_done = true;
    }
    sigemptyset(&act.sa_mask);
    act.sa_flags = SA_RESTART;
    sigaction(SIGCONT, &act, NULL);
    stdio_set_raw();
}

static bool stdio_chr_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                           Error **errp)
{
    bool allow_signals;

    if (stdio_owner) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    if (!chardev_opts_get_bool(opts, "signal", true, &allow_signals,
                               errp)) {
        return false;
    }
    stdio_owner = chr;
    stdio_setup_tty(allow_signals);
    chr_fd_attach(chr, 0, 1, false);
    return true;
}

static void stdio_chr_finalize(Chardev *chr)
{
    if (stdio_owner != chr) {
        return;
    }
    chr_fd_finalize(chr);
    stdio_restore_tty();
    stdio_tty_saved = 0;
    signal(SIGCONT, SIG_DFL);
    stdio_owner = NULL;
}

static const char *const stdio_opts[] = { "signal", NULL };

static void stdio_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->opts = stdio_opts;
    cc->open = stdio_chr_open;
    cc->chr_write = chr_fd_chr_write;
    cc->chr_add_watch = chr_fd_add_watch;
    cc->chr_update_read_handler = chr_fd_update_read_handler;
    cc->chr_get_write_fd = chr_fd_get_write_fd;
    cc->finalize = stdio_chr_finalize;
}

const TypeInfo chr_stdio_type_info = {
    .name = TYPE_CHARDEV_STDIO,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(StdioChardev),
    .class_init = stdio_chr_class_init,
};

void qemu_chr_stdio_restore_tty(void)
{
    stdio_restore_tty();
}
