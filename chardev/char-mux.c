/*
 * char-mux.c: several front ends sharing one chardev (mon:stdio,
 * mux=on).
 *
 * Output from every front end goes to the shared backend.  Input goes to
 * the front end with the focus; Ctrl-a is an escape: Ctrl-a c moves the
 * focus to the next front end, Ctrl-a x quits, Ctrl-a h prints the keys,
 * Ctrl-a t toggles timestamps on output, Ctrl-a b sends a break, Ctrl-a
 * Ctrl-a sends one Ctrl-a.  Ctrl-a s (commit -snapshot disks) is not
 * available: there is no snapshot mode yet; the key is ignored.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "sysemu/runstate.h"
#include "chardev-internal.h"

/* Ctrl-a */
#define MUX_ESCAPE_CHAR 0x01

typedef struct MuxChardev {
    Chardev parent;
    CharBackend *backends[MAX_MUX];
    CharBackend chr;            /* our front end on the shared chardev */
    int focus;                  /* index in backends, -1: none */
    int mux_cnt;
    bool term_got_escape;

    /* Input held for each front end while it cannot read. */
    uint8_t buffer[MAX_MUX][MUX_BUFFER_SIZE];
    unsigned prod[MAX_MUX];
    unsigned cons[MAX_MUX];

    /* Timestamps (Ctrl-a t) */
    bool timestamps;
    bool linestart;             /* next output byte starts a line */
    int64_t timestamps_start_ms;   /* -1: not started yet */
} MuxChardev;

/* Lines the help prints; '%' stands for the escape key's name. */
static const char *const mux_help[] = {
    "% h    print this help\n\r",
    "% x    exit emulator\n\r",
    "% s    save disk data back to file (if -snapshot)\n\r",
    "% t    toggle console timestamps\n\r",
    "% b    send break (magic sysrq)\n\r",
    "% c    switch between console and monitor\n\r",
    "% %  sends %\n\r",
    NULL
};

static MuxChardev *mux(Chardev *chr)
{
    return (MuxChardev *)chr;
}

/* Write to the shared backend directly (help text, "Terminated"). */
static void mux_write_base(MuxChardev *d, const char *text)
{
    qemu_chr_fe_write_all(&d->chr, (const uint8_t *)text, strlen(text));
}

static void mux_print_help(MuxChardev *d)
{
    mux_write_base(d, "\n\r");
    for (int i = 0; mux_help[i]; i++) {
        for (const char *p = mux_help[i]; *p; p++) {
            char c[2] = { *p, 0 };

            mux_write_base(d, *p == '%' ? "C-a" : c);
        }
    }
}

static void mux_send_event(MuxChardev *d, int tag, QEMUChrEvent event)
{
    CharBackend *be = d->backends[tag];

    if (be && be->chr_event) {
        be->chr_event(be->opaque, event);
    }
}

void mux_set_focus(Chardev *chr, int focus)
{
    MuxChardev *d = mux(chr);

    assert(focus >= 0 && focus < d->mux_cnt);
    if (d->focus != -1) {
        mux_send_event(d, d->focus, CHR_EVENT_MUX_OUT);
    }
    d->focus = focus;
    chr->be = d->backends[focus];
    mux_send_event(d, focus, CHR_EVENT_MUX_IN);
    chr_wake(chr);
}

/* Output */

static void mux_write_timestamp(MuxChardev *d)
{
    int64_t now_ms = g_get_monotonic_time() / 1000;
    int64_t ms, secs;
    char stamp[64];

    if (d->timestamps_start_ms == -1) {
        d->timestamps_start_ms = now_ms;
    }
    ms = now_ms - d->timestamps_start_ms;
    secs = ms / 1000;
    snprintf(stamp, sizeof(stamp), "[%02d:%02d:%02d.%03d] ",
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
             (int)(ms % 1000));
    mux_write_base(d, stamp);
}

static int mux_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    MuxChardev *d = mux(chr);

    if (!d->timestamps) {
        return qemu_chr_fe_write(&d->chr, buf, len);
    }

    /* Timestamps: one byte at a time, a stamp at each line start. */
    for (int i = 0; i < len; i++) {
        if (d->linestart) {
            mux_write_timestamp(d);
            d->linestart = false;
        }
        qemu_chr_fe_write_all(&d->chr, buf + i, 1);
        d->linestart = buf[i] == '\n';
    }
    return len;
}

/* Input */

/* Act on an escape key; true if @ch is a byte for the front end. */
static bool mux_proc_byte(MuxChardev *d, uint8_t ch)
{
    if (!d->term_got_escape) {
        if (ch == MUX_ESCAPE_CHAR) {
            d->term_got_escape = true;
            return false;
        }
        return true;
    }
    d->term_got_escape = false;
    switch (ch) {
    case MUX_ESCAPE_CHAR:
        return true;
    case '?':
    case 'h':
        mux_print_help(d);
        break;
    case 'x':
        mux_write_base(d, "QEMU: Terminated\n\r");
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
        break;
    case 'b':
        mux_send_event(d, d->focus, CHR_EVENT_BREAK);
        break;
    case 'c':
        if (d->mux_cnt > 0) {
            mux_set_focus(&d->parent, (d->focus + 1) % d->mux_cnt);
        }
        break;
    case 't':
        d->timestamps = !d->timestamps;
        d->timestamps_start_ms = -1;
        d->linestart = false;
        break;
    default:
        /* Ctrl-a s and unknown keys: nothing (see the file comment). */
        break;
    }
    return false;
}

/* Hand buffered input to the focused front end while it takes it. */
static void mux_chr_accept_input(Chardev *chr)
{
    MuxChardev *d = mux(chr);
    int m = d->focus;
    CharBackend *be = m >= 0 ? d->backends[m] : NULL;

    while (be && d->prod[m] != d->cons[m] && be->chr_can_read &&
           be->chr_can_read(be->opaque) > 0) {
        uint8_t c = d->buffer[m][d->cons[m]++ % MUX_BUFFER_SIZE];

        be->chr_read(be->opaque, &c, 1);
    }
}

static int mux_chr_can_read(void *opaque)
{
    MuxChardev *d = opaque;
    int m = d->focus;
    CharBackend *be = m >= 0 ? d->backends[m] : NULL;

    int room, fe_room;

    if (!be) {
        return 0;
    }
    room = MUX_BUFFER_SIZE - (d->prod[m] - d->cons[m]);
    fe_room = be->chr_can_read ? be->chr_can_read(be->opaque) : 0;
    return MAX(room, fe_room);
}

static void mux_chr_read(void *opaque, const uint8_t *buf, int size)
{
    MuxChardev *d = opaque;

    mux_chr_accept_input(&d->parent);
    for (int i = 0; i < size; i++) {
        int m = d->focus;
        CharBackend *be;

        /* Escape keys may move the focus, so look it up per byte. */
        if (!mux_proc_byte(d, buf[i]) || m < 0 || !(be = d->backends[m])) {
            continue;
        }
        if (d->prod[m] == d->cons[m] && be->chr_can_read &&
            be->chr_can_read(be->opaque) > 0) {
            be->chr_read(be->opaque, &buf[i], 1);
        } else if (d->prod[m] - d->cons[m] < MUX_BUFFER_SIZE) {
            d->buffer[m][d->prod[m]++ % MUX_BUFFER_SIZE] = buf[i];
        }
    }
}

/*
 * False until the machine is built (qemu_chr_open_muxes).  Until then a
 * mux tells its front ends nothing about the host side being open: they
 * attach one after the other, and each would otherwise see OPENED while
 * it briefly had the focus (a monitor would print its greeting on a
 * console that then goes to the serial port).
 */
static bool muxes_opened;

/* Events from the shared backend go to every front end. */
static void mux_chr_event(void *opaque, QEMUChrEvent event)
{
    MuxChardev *d = opaque;

    if (event == CHR_EVENT_OPENED && !muxes_opened) {
        return;
    }
    if (event == CHR_EVENT_OPENED || event == CHR_EVENT_CLOSED) {
        qemu_chr_be_event(&d->parent, event);
        return;
    }
    for (int i = 0; i < d->mux_cnt; i++) {
        mux_send_event(d, i, event);
    }
}

static void mux_chr_be_event(Chardev *chr, QEMUChrEvent event)
{
    MuxChardev *d = mux(chr);

    for (int i = 0; i < d->mux_cnt; i++) {
        mux_send_event(d, i, event);
    }
}

/*
 * Our handlers on the shared chardev.  Only redone when the context
 * changes: redoing them would replay OPENED to every front end, and a
 * monitor prints its greeting on each.
 */
void mux_chr_set_handlers(Chardev *chr, GMainContext *context)
{
    MuxChardev *d = mux(chr);

    if (d->chr.chr_read && d->chr.chr->gcontext == context) {
        return;
    }
    qemu_chr_fe_set_handlers(&d->chr, mux_chr_can_read, mux_chr_read,
                             mux_chr_event, NULL, d, context, true);
}

bool mux_chr_attach_frontend(Chardev *chr, CharBackend *be, Error **errp)
{
    MuxChardev *d = mux(chr);

    if (d->mux_cnt >= MAX_MUX) {
        error_setg(errp, "too many uses of multiplexed chardev '%s' "
                   "(maximum is %d)", chr->label, MAX_MUX);
        return false;
    }
    be->tag = d->mux_cnt;
    d->backends[d->mux_cnt++] = be;
    return true;
}

void mux_chr_detach_frontend(Chardev *chr, CharBackend *be)
{
    MuxChardev *d = mux(chr);

    d->backends[be->tag] = NULL;
    if (chr->be == be) {
        chr->be = NULL;
    }
}

static GSource *mux_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    Chardev *base = mux(chr)->chr.chr;

    if (!base || !base->cls->chr_add_watch) {
        return NULL;
    }
    return base->cls->chr_add_watch(base, cond);
}

static int mux_chr_get_write_fd(Chardev *chr)
{
    Chardev *base = mux(chr)->chr.chr;

    if (!base || !base->cls->chr_get_write_fd) {
        return -1;
    }
    return base->cls->chr_get_write_fd(base);
}

static bool mux_chr_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                         Error **errp)
{
    MuxChardev *d = mux(chr);
    const char *base_id = chardev_opts_get(opts, "chardev");
    Chardev *base = base_id ? qemu_chr_find(base_id) : NULL;

    if (!base) {
        error_setg(errp, "mux: chardev '%s' not found (set chardev=ID)",
                   base_id ? base_id : "");
        return false;
    }
    d->focus = -1;
    d->timestamps_start_ms = -1;
    if (!qemu_chr_fe_init(&d->chr, base, errp)) {
        return false;
    }
    *be_opened = false;
    mux_chr_set_handlers(chr, chr->gcontext);
    return true;
}

static void mux_chr_finalize(Chardev *chr)
{
    MuxChardev *d = mux(chr);

    for (int i = 0; i < d->mux_cnt; i++) {
        if (d->backends[i]) {
            d->backends[i]->chr = NULL;
        }
    }
    qemu_chr_fe_deinit(&d->chr, false);
}

static const char *const mux_opts[] = { "chardev", NULL };

static void mux_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->opts = mux_opts;
    cc->open = mux_chr_open;
    cc->chr_write = mux_chr_write;
    cc->chr_add_watch = mux_chr_add_watch;
    cc->chr_accept_input = mux_chr_accept_input;
    cc->chr_be_event = mux_chr_be_event;
    cc->chr_get_write_fd = mux_chr_get_write_fd;
    cc->finalize = mux_chr_finalize;
}

const TypeInfo chr_mux_type_info = {
    .name = TYPE_CHARDEV_MUX,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(MuxChardev),
    .class_init = mux_chr_class_init,
};

Chardev *mux_chr_new(const char *id, Chardev *base, GMainContext *context,
                     Error **errp)
{
    ChardevOpts *opts = chardev_opts_new();
    Chardev *chr;

    chardev_opts_set(opts, "backend", "mux");
    chardev_opts_set(opts, "id", id);
    chardev_opts_set(opts, "chardev", base->label);
    chr = qemu_chardev_new_opts(opts, context, errp);
    chardev_opts_free(opts);
    return chr;
}

static void mux_open_one(Chardev *chr, void *opaque)
{
    Chardev *base;

    if (!qemu_chr_is_type(chr, "mux")) {
        return;
    }
    base = mux(chr)->chr.chr;
    if (base && base->be_open && !chr->be_open) {
        qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    }
}

void qemu_chr_open_muxes(void)
{
    if (!muxes_opened) {
        muxes_opened = true;
        qemu_chr_foreach(mux_open_one, NULL);
    }
}
