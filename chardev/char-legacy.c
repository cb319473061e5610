/*
 * char-legacy.c: the short chardev specs of -serial, -monitor, -qmp and
 * -qtest ("stdio", "unix:PATH,server=on", "tcp:HOST:PORT", "mon:stdio").
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "chardev-internal.h"

/*
 * An HMP monitor on a chardev, for "mon:" specs.  Weak: the monitor is
 * another part of the tree, and a program without it (the unit tests)
 * refuses "mon:" instead.
 */
extern void monitor_init_hmp(Chardev *chr, bool use_readline, Error **errp)
    __attribute__((weak));

/* "HOST:PORT[,opts]" -> host=, port=, then the options. */
static bool legacy_tcp(ChardevOpts *opts, const char *rest, Error **errp)
{
    const char *comma = strchr(rest, ',');
    g_autofree char *addr = g_strndup(rest, comma ? comma - rest
                                                  : (long)strlen(rest));
    char *colon = strrchr(addr, ':');

    if (!colon) {
        error_setg(errp, "tcp: expected HOST:PORT, got '%s'", addr);
        return false;
    }
    *colon = '\0';
    chardev_opts_set(opts, "host", addr);
    chardev_opts_set(opts, "port", colon + 1);
    return true;
}

/* Merge "key=value,..." (after the address) into @opts. */
static void legacy_merge(ChardevOpts *opts, const char *rest)
{
    const char *comma = strchr(rest, ',');
    g_autofree char *tail = NULL;
    ChardevOpts *extra;

    if (!comma) {
        return;
    }
    /* A dummy first item keeps the parser from taking a bare key as the
     * backend name. */
    tail = g_strdup_printf("x%s", comma);
    extra = chardev_opts_parse(tail, NULL);
    for (guint i = 0; i < extra->keys->len; i++) {
        const char *k = g_ptr_array_index(extra->keys, i);

        if (strcmp(k, "backend")) {
            chardev_opts_set(opts, k, g_ptr_array_index(extra->values, i));
        }
    }
    chardev_opts_free(extra);
}

/* Turn a legacy spec into -chardev options. */
static ChardevOpts *legacy_parse(const char *label, const char *spec,
                                 Error **errp)
{
    ChardevOpts *opts = chardev_opts_new();
    static const char *const plain[] = { "null", "stdio", "pty", NULL };
    const char *rest = NULL;

    chardev_opts_set(opts, "id", label);
    for (int i = 0; plain[i]; i++) {
        if (!strcmp(spec, plain[i])) {
            chardev_opts_set(opts, "backend", spec);
            return opts;
        }
    }
    if (g_str_has_prefix(spec, "file:") || g_str_has_prefix(spec, "pipe:")) {
        g_autofree char *backend = g_strndup(spec, 4);

        chardev_opts_set(opts, "backend", backend);
        chardev_opts_set(opts, "path", spec + 5);
        return opts;
    }
    if (g_str_has_prefix(spec, "unix:")) {
        const char *comma;

        rest = spec + 5;
        comma = strchr(rest, ',');
        g_autofree char *path = g_strndup(rest, comma ? comma - rest
                                                      : (long)strlen(rest));
        chardev_opts_set(opts, "backend", "socket");
        chardev_opts_set(opts, "path", path);
    } else if (g_str_has_prefix(spec, "tcp:")) {
        rest = spec + 4;
        chardev_opts_set(opts, "backend", "socket");
        if (!legacy_tcp(opts, rest, errp)) {
            chardev_opts_free(opts);
            return NULL;
        }
    } else {
        error_setg(errp, "'%s' is not a supported character device (use "
                   "stdio, null, pty, file:, pipe:, unix:, tcp:, mon: or "
                   "chardev:)", spec);
        chardev_opts_free(opts);
        return NULL;
    }
    legacy_merge(opts, rest);
    return opts;
}

Chardev *qemu_chr_new_legacy(const char *label, const char *filename,
                             bool *is_mon, GMainContext *context,
                             Error **errp)
{
    ChardevOpts *opts;
    Chardev *chr;

    *is_mon = false;
    if (g_str_has_prefix(filename, "chardev:")) {
        chr = qemu_chr_find(filename + 8);
        if (!chr) {
            error_setg(errp, "chardev '%s' not found", filename + 8);
        }
        return chr;
    }
    if (g_str_has_prefix(filename, "mon:")) {
        *is_mon = true;
        filename += 4;
    }
    opts = legacy_parse(label, filename, errp);
    if (!opts) {
        return NULL;
    }
    if (*is_mon) {
        chardev_opts_set(opts, "mux", "on");
    }
    chr = qemu_chardev_new_opts(opts, context, errp);
    chardev_opts_free(opts);
    return chr;
}

Chardev *qemu_chr_new(const char *label, const char *filename,
                      GMainContext *context)
{
    Error *err = NULL;
    bool is_mon;
    Chardev *chr = qemu_chr_new_legacy(label, filename, &is_mon, context,
                                       &err);

    if (chr && is_mon) {
        if (monitor_init_hmp) {
            monitor_init_hmp(chr, true, &err);
        } else {
            error_setg(&err, "'mon:' needs the monitor, which is not part "
                       "of this program");
        }
        if (err) {
            /* The mux and the backend under it, made together above. */
            g_autofree char *base_id = g_strdup_printf("%s-base", label);
            Chardev *base;

            qemu_chr_delete(chr);
            base = qemu_chr_find(base_id);
            if (base) {
                qemu_chr_delete(base);
            }
            chr = NULL;
        }
    }
    if (err) {
        error_report_err(err);
    }
    return chr;
}
