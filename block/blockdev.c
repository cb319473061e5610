/*
 * blockdev.c: -drive and -blockdev option text to block nodes and
 * backends, including the temporary overlay of snapshot=on.
 *
 * The key=value splitter is local (block_parse_keyval) so that it can be
 * swapped for the common option parser in one place.
 */
#include "qemu/osdep.h"
#include "sysemu/block-backend.h"
#include "block/block_int.h"
#include "qemu/cutils.h"
#include "qemu/option.h"

/* Per-interface counters for default drive ids ("none0", "virtio1"). */
static unsigned drive_auto_id[2];

GHashTable *block_parse_keyval(const char *text, Error **errp)
{
    GHashTable *opts = bdrv_opts_new();
    GString *key = g_string_new(NULL);
    GString *val = g_string_new(NULL);
    GString *cur = key;
    const char *p = text;

    for (;; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(cur, ',');        /* ",," is a comma */
            p++;
        } else if (*p == '=' && cur == key) {
            cur = val;
        } else if (*p == ',' || !*p) {
            if (key->len) {
                bdrv_opts_set(opts, key->str, cur == val ? val->str : "on");
            } else if (*p || cur == val) {
                error_setg(errp, "Invalid parameter ''");
                break;
            }
            g_string_truncate(key, 0);
            g_string_truncate(val, 0);
            cur = key;
            if (!*p) {
                g_string_free(key, TRUE);
                g_string_free(val, TRUE);
                return opts;
            }
        } else {
            g_string_append_c(cur, *p);
        }
    }
    g_string_free(key, TRUE);
    g_string_free(val, TRUE);
    g_hash_table_unref(opts);
    return NULL;
}

/* Remove @key from @opts and return its value (caller frees). */
static char *take(GHashTable *opts, const char *key)
{
    gpointer okey, value;

    if (!g_hash_table_steal_extended(opts, key, &okey, &value)) {
        return NULL;
    }
    g_free(okey);
    return value;
}

static bool parse_if(const char *str, BlockInterfaceType *type,
                     Error **errp)
{
    static const char *const qemu_ifs[] = {
        "ide", "scsi", "floppy", "pflash", "mtd", "sd", "xen", NULL
    };

    if (!str || !strcmp(str, "none")) {
        *type = IF_NONE;
        return true;
    }
    if (!strcmp(str, "virtio")) {
        *type = IF_VIRTIO;
        return true;
    }
    if (g_strv_contains(qemu_ifs, str)) {
        error_setg(errp, "interface 'if=%s' is not available on this "
                   "machine; use if=virtio, or if=none with -device", str);
    } else {
        error_setg(errp, "unsupported bus type '%s'", str);
    }
    return false;
}

/* cache= to open flags and the guest-visible write cache. */
static bool parse_cache(const char *mode, int *flags, bool *wce,
                        Error **errp)
{
    *wce = true;
    if (!mode || !strcmp(mode, "writeback")) {
        return true;
    }
    if (!strcmp(mode, "writethrough")) {
        *flags |= BDRV_O_DSYNC;
        *wce = false;
    } else if (!strcmp(mode, "none")) {
        *flags |= BDRV_O_NOCACHE;
    } else if (!strcmp(mode, "directsync")) {
        *flags |= BDRV_O_NOCACHE | BDRV_O_DSYNC;
        *wce = false;
    } else if (!strcmp(mode, "unsafe")) {
        *flags |= BDRV_O_NO_FLUSH;
    } else {
        error_setg(errp, "invalid cache option");
        return false;
    }
    return true;
}

static bool parse_error_action(const char *str, bool is_read,
                               BlockdevOnError *action, Error **errp)
{
    if (!str) {
        *action = is_read ? BLOCKDEV_ON_ERROR_REPORT
                          : BLOCKDEV_ON_ERROR_ENOSPC;
    } else if (!strcmp(str, "ignore")) {
        *action = BLOCKDEV_ON_ERROR_IGNORE;
    } else if (!is_read && !strcmp(str, "enospc")) {
        *action = BLOCKDEV_ON_ERROR_ENOSPC;
    } else if (!strcmp(str, "stop")) {
        *action = BLOCKDEV_ON_ERROR_STOP;
    } else if (!strcmp(str, "report")) {
        *action = BLOCKDEV_ON_ERROR_REPORT;
    } else {
        error_setg(errp, "'%s' invalid %s error action", str,
                   is_read ? "read" : "write");
        return false;
    }
    return true;
}

static bool parse_bool_opt(const char *name, const char *str, bool *val,
                           Error **errp)
{
    *val = false;
    if (str && qemu_parse_bool(str, val) < 0) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

/*
 * snapshot=on: put a temporary qcow2 overlay over @base; writes go there
 * and vanish with the process (the file is unlinked once open).
 */
static BlockDriverState *open_snapshot_overlay(BlockDriverState *base,
                                               int flags, Error **errp)
{
    g_autofree char *tmp = NULL;
    g_autofree char *backing = NULL;
    GHashTable *opts;
    BlockDriverState *bs;
    int fd = g_file_open_tmp("machina-snapshot-XXXXXX", &tmp, NULL);

    if (fd < 0) {
        error_setg(errp, "Could not create a temporary overlay for "
                   "snapshot=on in %s", g_get_tmp_dir());
        return NULL;
    }
    close(fd);
    backing = g_canonicalize_filename(bdrv_get_filename(base), NULL);
    if (!qcow2_create_file(tmp, bdrv_getlength(base), backing,
                           bdrv_get_format_name(base), errp)) {
        unlink(tmp);
        return NULL;
    }
    opts = bdrv_opts_new();
    bdrv_opts_set(opts, "driver", "qcow2");
    bdrv_opts_set(opts, "backing", bdrv_get_node_name(base));
    /* Flushing a file deleted at exit is pointless (QEMU agrees). */
    bs = bdrv_open(tmp, opts, flags | BDRV_O_RDWR | BDRV_O_SNAPSHOT |
                   BDRV_O_NO_FLUSH, errp);
    unlink(tmp);
    return bs;
}

static BlockDriverState *drive_open_root(const char *file, GHashTable *opts,
                                         int flags, bool snapshot,
                                         Error **errp)
{
    BlockDriverState *base, *top;

    if (!snapshot) {
        return bdrv_open(file, opts, flags, errp);
    }
    base = bdrv_open(file, opts, flags & ~BDRV_O_RDWR, errp);
    if (!base) {
        return NULL;
    }
    top = open_snapshot_overlay(base, flags, errp);
    bdrv_unref(base);   /* the overlay holds it now */
    return top;
}

typedef struct DriveOpts {
    char *file, *format, *iface, *id, *cache, *snapshot, *readonly;
    char *werror, *rerror;
} DriveOpts;

static void drive_opts_take(GHashTable *opts, DriveOpts *d)
{
    d->file = take(opts, "file");
    d->format = take(opts, "format");
    d->iface = take(opts, "if");
    d->id = take(opts, "id");
    d->cache = take(opts, "cache");
    d->snapshot = take(opts, "snapshot");
    d->readonly = take(opts, "readonly");
    d->werror = take(opts, "werror");
    d->rerror = take(opts, "rerror");
    /* Accepted and ignored: requests always use the worker pool and
     * discard requests are always passed down. */
    g_hash_table_remove(opts, "aio");
    g_hash_table_remove(opts, "discard");
    g_hash_table_remove(opts, "media");
}

static void drive_opts_free(DriveOpts *d)
{
    g_free(d->file);
    g_free(d->format);
    g_free(d->iface);
    g_free(d->id);
    g_free(d->cache);
    g_free(d->snapshot);
    g_free(d->readonly);
    g_free(d->werror);
    g_free(d->rerror);
}

/* Check every -drive setting before anything is opened. */
static bool drive_check(DriveOpts *d, BlockInterfaceType *type, int *flags,
                        bool *wce, bool *snapshot, BlockdevOnError *rerr,
                        BlockdevOnError *werr, Error **errp)
{
    bool ro;

    if (d->id && !id_wellformed(d->id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    if (!parse_if(d->iface, type, errp) ||
        !parse_cache(d->cache, flags, wce, errp) ||
        !parse_error_action(d->werror, false, werr, errp) ||
        !parse_error_action(d->rerror, true, rerr, errp) ||
        !parse_bool_opt("snapshot", d->snapshot, snapshot, errp) ||
        !parse_bool_opt("read-only", d->readonly, &ro, errp)) {
        return false;
    }
    if (d->id && blk_by_name(d->id)) {
        error_setg(errp, "Duplicate ID '%s' for drive", d->id);
        return false;
    }
    if (!d->file) {
        error_setg(errp, "A block device must be specified for \"file\"");
        return false;
    }
    *flags |= ro ? 0 : BDRV_O_RDWR;
    return true;
}

/* Open a drive from its options (consumed). */
static BlockBackend *drive_new_from_table(GHashTable *opts, Error **errp)
{
    DriveOpts d = { 0 };
    BlockInterfaceType type;
    BlockdevOnError rerr, werr;
    bool wce, snapshot;
    int flags = 0;
    BlockDriverState *bs;
    BlockBackend *blk = NULL;
    g_autofree char *id = NULL;

    drive_opts_take(opts, &d);
    if (!drive_check(&d, &type, &flags, &wce, &snapshot, &rerr, &werr,
                     errp)) {
        g_hash_table_unref(opts);
        goto out;
    }
    if (d.format) {
        bdrv_opts_set(opts, "driver", d.format);
    }
    bs = drive_open_root(d.file, opts, flags, snapshot, errp);
    if (!bs) {
        goto out;
    }

    blk = blk_new_with_bs(bs);
    bdrv_unref(bs);
    id = d.id ? g_strdup(d.id) : g_strdup_printf("%s%u",
                                                 type == IF_NONE ? "none"
                                                 : "virtio",
                                                 drive_auto_id[type]++);
    blk_set_name(blk, id, &error_abort);
    blk_set_enable_write_cache(blk, wce);
    blk_set_on_error(blk, rerr, werr);
    blk_set_if_type(blk, type);
out:
    drive_opts_free(&d);
    return blk;
}

BlockBackend *drive_new_from_opts(const char *drive_text, Error **errp)
{
    GHashTable *opts = block_parse_keyval(drive_text, errp);

    return opts ? drive_new_from_table(opts, errp) : NULL;
}

static int drive_opt_to_table(void *opaque, const char *name,
                              const char *value, Error **errp)
{
    bdrv_opts_set(opaque, name, value);
    return 0;
}

BlockBackend *drive_new_from_qemu_opts(QemuOpts *qopts, Error **errp)
{
    GHashTable *opts = bdrv_opts_new();

    qemu_opt_foreach(qopts, drive_opt_to_table, opts, NULL);
    if (qemu_opts_id(qopts)) {
        bdrv_opts_set(opts, "id", qemu_opts_id(qopts));
    }
    return drive_new_from_table(opts, errp);
}

/*
 * -blockdev names every key: refuse one that neither the generic layer
 * nor the driver knows (children's keys are checked when they open).
 */
static bool blockdev_check_keys(BlockDriver *drv, GHashTable *opts,
                                Error **errp)
{
    static const char *const generic[] = {
        "driver", "node-name", "read-only", "cache.direct",
        "cache.no-flush", "file", "backing", "discard", NULL
    };
    GHashTableIter it;
    gpointer key;

    g_hash_table_iter_init(&it, opts);
    while (g_hash_table_iter_next(&it, &key, NULL)) {
        const char *k = key;

        if (g_str_has_prefix(k, "file.") || g_str_has_prefix(k, "backing.")
            || g_strv_contains(generic, k) ||
            (drv->runtime_opts && g_strv_contains(drv->runtime_opts, k))) {
            continue;
        }
        error_setg(errp, "Parameter '%s' is unexpected", k);
        return false;
    }
    g_hash_table_remove(opts, "discard");
    return true;
}

BlockDriverState *blockdev_new_from_opts(const char *blockdev_text,
                                         Error **errp)
{
    GHashTable *opts = block_parse_keyval(blockdev_text, errp);
    const char *driver;
    BlockDriver *drv;

    if (!opts) {
        return NULL;
    }
    driver = g_hash_table_lookup(opts, "driver");
    drv = driver ? bdrv_find_format(driver) : NULL;
    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
    } else if (!drv) {
        error_setg(errp, "Parameter 'driver' does not accept value '%s'",
                   driver);
    } else if (!g_hash_table_contains(opts, "node-name")) {
        error_setg(errp, "'node-name' must be specified for the root node");
    } else if (drv->is_format && !g_hash_table_contains(opts, "file") &&
               !g_hash_table_contains(opts, "file.filename") &&
               !g_hash_table_contains(opts, "file.driver")) {
        error_setg(errp, "Parameter 'file' is missing");
    } else if (blockdev_check_keys(drv, opts, errp)) {
        /* -blockdev nodes are read-write unless read-only=on. */
        return bdrv_open(NULL, opts, BDRV_O_RDWR, errp);
    }
    g_hash_table_unref(opts);
    return NULL;
}
