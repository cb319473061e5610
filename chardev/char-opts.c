/*
 * char-opts.c: -chardev through the command-line option parser
 * (QemuOpts).  Every option in the group is handed to the backend, which
 * refuses the ones it does not know.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "chardev-internal.h"

QemuOptsList qemu_chardev_opts = {
    .name = "chardev",
    .implied_opt_name = "backend",
    .desc = { { NULL } },
};

static int chr_copy_opt(void *opaque, const char *name, const char *value,
                        Error **errp)
{
    chardev_opts_set(opaque, name, value);
    return 0;
}

Chardev *qemu_chr_new_from_opts(QemuOpts *opts, GMainContext *context,
                                Error **errp)
{
    ChardevOpts *copts = chardev_opts_new();
    const char *id = qemu_opts_id(opts);
    Chardev *chr = NULL;

    if (id) {
        chardev_opts_set(copts, "id", id);
    }
    if (qemu_opt_foreach(opts, chr_copy_opt, copts, errp) == 0) {
        chr = qemu_chardev_new_opts(copts, context, errp);
    }
    chardev_opts_free(copts);
    return chr;
}
