/*
 * char-fe.c: the front-end API (CharBackend).
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

bool qemu_chr_fe_init(CharBackend *be, Chardev *chr, Error **errp)
{
    if (!chr) {
        be->chr = NULL;
        return true;
    }
    if (qemu_chr_is_type(chr, "mux")) {
        if (!mux_chr_attach_frontend(chr, be, errp)) {
            return false;
        }
    } else if (chr->be) {
        error_setg(errp, "chardev '%s' is already in use (a chardev has one "
                   "front end; use mux=on to share it)", chr->label);
        return false;
    } else {
        be->tag = 0;
        chr->be = be;
    }
    be->chr = chr;
    return true;
}

void qemu_chr_fe_deinit(CharBackend *be, bool del)
{
    Chardev *chr = be->chr;

    if (!chr) {
        return;
    }
    qemu_chr_fe_set_handlers(be, NULL, NULL, NULL, NULL, NULL, NULL, true);
    if (chr->be == be) {
        chr->be = NULL;
    }
    if (qemu_chr_is_type(chr, "mux")) {
        mux_chr_detach_frontend(chr, be);
    }
    be->chr = NULL;
    if (del) {
        qemu_chr_delete(chr);
    }
}

void qemu_chr_fe_set_handlers(CharBackend *be,
                              IOCanReadHandler *fd_can_read,
                              IOReadHandler *fd_read,
                              IOEventHandler *fd_event,
                              BackendChangeHandler *be_change,
                              void *opaque,
                              GMainContext *context,
                              bool set_open)
{
    Chardev *chr = be->chr;
    bool fe_open = fd_can_read || fd_read || fd_event;

    if (!chr) {
        return;
    }
    be->chr_can_read = fd_can_read;
    be->chr_read = fd_read;
    be->chr_event = fd_event;
    be->chr_be_change = be_change;
    be->opaque = opaque;

    /* Move the I/O sources to the new context and re-check can_read. */
    chr->gcontext = context;
    if (qemu_chr_is_type(chr, "mux")) {
        mux_chr_set_handlers(chr, context);
    }
    if (chr->cls->chr_update_read_handler) {
        chr->cls->chr_update_read_handler(chr);
    }
    if (set_open) {
        qemu_chr_fe_set_open(be, fe_open);
    }
    if (fe_open) {
        qemu_chr_fe_take_focus(be);
        /* Attaching to a host side that is already open: say so. */
        if (chr->be_open && fd_event) {
            fd_event(opaque, CHR_EVENT_OPENED);
        }
    }
}

int qemu_chr_fe_write(CharBackend *be, const uint8_t *buf, int len)
{
    if (!be->chr) {
        return 0;
    }
    return qemu_chr_write(be->chr, buf, len, false);
}

int qemu_chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len)
{
    if (!be->chr) {
        return 0;
    }
    return qemu_chr_write(be->chr, buf, len, true);
}

void qemu_chr_fe_printf(CharBackend *be, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *text = NULL;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qemu_chr_fe_write_all(be, (const uint8_t *)text, strlen(text));
}

guint qemu_chr_fe_add_watch(CharBackend *be, GIOCondition cond,
                            FEWatchFunc func, void *user_data)
{
    Chardev *chr = be->chr;
    GSource *src;
    guint tag;

    if (!chr || !chr->cls->chr_add_watch) {
        return 0;
    }
    src = chr->cls->chr_add_watch(chr, cond);
    if (!src) {
        return 0;
    }
    g_source_set_callback(src, (GSourceFunc)(void (*)(void))func,
                          user_data, NULL);
    tag = g_source_attach(src, qemu_chr_context(chr));
    g_source_unref(src);
    return tag;
}

void qemu_chr_fe_accept_input(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (!chr) {
        return;
    }
    if (chr->cls->chr_accept_input) {
        chr->cls->chr_accept_input(chr);
    }
    chr_wake(chr);
}

void qemu_chr_fe_set_open(CharBackend *be, int fe_open)
{
    Chardev *chr = be->chr;

    if (!chr || be->fe_open == fe_open) {
        return;
    }
    be->fe_open = fe_open;
    if (chr->cls->chr_set_fe_open) {
        chr->cls->chr_set_fe_open(chr, fe_open);
    }
}

void qemu_chr_fe_take_focus(CharBackend *be)
{
    if (be->chr && qemu_chr_is_type(be->chr, "mux")) {
        mux_set_focus(be->chr, be->tag);
    }
}

Chardev *qemu_chr_fe_get_driver(CharBackend *be)
{
    return be->chr;
}

bool qemu_chr_fe_backend_connected(CharBackend *be)
{
    return be->chr != NULL;
}

bool qemu_chr_fe_backend_open(CharBackend *be)
{
    return be->chr && be->chr->be_open;
}
