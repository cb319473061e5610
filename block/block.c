/*
 * block.c: the node graph: opening nodes from options, probing formats,
 * children, and the generic checks around every driver call.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "qemu/error-report.h"
#include "qemu/cutils.h"

/* Registered drivers and every open node; main thread only. */
static GSList *bdrv_drivers;
static GList *bdrv_nodes;
static unsigned bdrv_anon_node_count;

void bdrv_register(BlockDriver *drv)
{
    bdrv_drivers = g_slist_append(bdrv_drivers, drv);
}

BlockDriver *bdrv_find_format(const char *format_name)
{
    static bool registered;

    /*
     * Static library linking may drop constructor-only objects, so the
     * built-in drivers are registered here on first use.
     */
    if (!registered) {
        registered = true;
        bdrv_register(&bdrv_file);
        bdrv_register(&bdrv_raw);
        bdrv_register(&bdrv_qcow2);
    }
    for (GSList *l = bdrv_drivers; l; l = l->next) {
        BlockDriver *drv = l->data;

        if (!strcmp(drv->format_name, format_name)) {
            return drv;
        }
    }
    return NULL;
}

BlockDriver *bdrv_probe_format(const uint8_t *buf, int buf_size,
                               const char *filename)
{
    BlockDriver *best = bdrv_find_format("raw");
    int best_score = 0;

    for (GSList *l = bdrv_drivers; l; l = l->next) {
        BlockDriver *drv = l->data;
        int score;

        if (!drv->bdrv_probe) {
            continue;
        }
        score = drv->bdrv_probe(buf, buf_size, filename);
        if (score > best_score) {
            best = drv;
            best_score = score;
        }
    }
    return best;
}

BlockDriverState *bdrv_find_node(const char *node_name)
{
    for (GList *l = bdrv_nodes; l; l = l->next) {
        BlockDriverState *bs = l->data;

        if (!strcmp(bs->node_name, node_name)) {
            return bs;
        }
    }
    return NULL;
}

/* ---- options tables ---- */

GHashTable *bdrv_opts_new(void)
{
    return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

void bdrv_opts_set(GHashTable *opts, const char *key, const char *value)
{
    g_hash_table_insert(opts, g_strdup(key), g_strdup(value));
}

GHashTable *bdrv_opts_extract_prefix(GHashTable *src, const char *prefix)
{
    GHashTable *dst = bdrv_opts_new();
    size_t plen = strlen(prefix);
    GHashTableIter it;
    gpointer key, value;

    g_hash_table_iter_init(&it, src);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const char *k = key;

        if (!strncmp(k, prefix, plen) && k[plen] == '.') {
            bdrv_opts_set(dst, k + plen + 1, value);
            g_hash_table_iter_remove(&it);
        }
    }
    return dst;
}

/* Remove @key and return its value (caller frees), or NULL. */
static char *opts_take(GHashTable *opts, const char *key)
{
    gpointer orig_key, value;

    if (!g_hash_table_steal_extended(opts, key, &orig_key, &value)) {
        return NULL;
    }
    g_free(orig_key);
    return value;
}

/* Take a boolean option; false with @errp set when it is malformed. */
static bool opts_take_bool(GHashTable *opts, const char *key, bool *val,
                           Error **errp)
{
    g_autofree char *str = opts_take(opts, key);

    if (str && qemu_parse_bool(str, val) < 0) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

char *bdrv_path_combine(const char *base, const char *name)
{
    g_autofree char *dir = NULL;

    if (g_path_is_absolute(name) || !base) {
        return g_strdup(name);
    }
    dir = g_path_get_dirname(base);
    return g_build_filename(dir, name, NULL);
}

/* ---- opening ---- */

/* Apply the generic options (read-only, cache.*) to @flags. */
static bool bdrv_take_generic_opts(GHashTable *opts, int *flags,
                                   Error **errp)
{
    bool ro = !(*flags & BDRV_O_RDWR);
    bool direct = *flags & BDRV_O_NOCACHE;
    bool no_flush = *flags & BDRV_O_NO_FLUSH;

    if (!opts_take_bool(opts, "read-only", &ro, errp) ||
        !opts_take_bool(opts, "cache.direct", &direct, errp) ||
        !opts_take_bool(opts, "cache.no-flush", &no_flush, errp)) {
        return false;
    }
    *flags = (*flags & ~(BDRV_O_RDWR | BDRV_O_NOCACHE | BDRV_O_NO_FLUSH)) |
             (ro ? 0 : BDRV_O_RDWR) | (direct ? BDRV_O_NOCACHE : 0) |
             (no_flush ? BDRV_O_NO_FLUSH : 0);
    return true;
}

static bool bdrv_check_leftover(BlockDriver *drv, GHashTable *opts,
                                Error **errp)
{
    GHashTableIter it;
    gpointer key;

    g_hash_table_iter_init(&it, opts);
    if (g_hash_table_iter_next(&it, &key, NULL)) {
        error_setg(errp, "Block %s '%s' does not support the option '%s'",
                   drv->is_format ? "format" : "protocol",
                   drv->format_name, (const char *)key);
        return false;
    }
    return true;
}

static bool bdrv_set_node_name(BlockDriverState *bs, const char *name,
                               Error **errp)
{
    if (!name) {
        snprintf(bs->node_name, sizeof(bs->node_name), "#block%03u",
                 bdrv_anon_node_count++);
        return true;
    }
    if (!g_ascii_isalpha(name[0]) || strlen(name) >= sizeof(bs->node_name)
        || strspn(name, "abcdefghijklmnopqrstuvwxyz"
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
           != strlen(name)) {
        error_setg(errp, "Invalid node-name: '%s'", name);
        return false;
    }
    if (bdrv_find_node(name)) {
        error_setg(errp, "Duplicate nodes with node-name='%s'", name);
        return false;
    }
    g_strlcpy(bs->node_name, name, sizeof(bs->node_name));
    return true;
}

static void bdrv_delete(BlockDriverState *bs)
{
    if (bs->drv && bs->drv->bdrv_close && bs->opaque) {
        bs->drv->bdrv_close(bs);
    }
    if (bs->backing) {
        bdrv_unref_child(bs, bs->backing);
    }
    if (bs->file) {
        bdrv_unref_child(bs, bs->file);
    }
    bdrv_nodes = g_list_remove(bdrv_nodes, bs);
    g_free(bs->opaque);
    g_free(bs->filename);
    g_free(bs->backing_file);
    g_free(bs->backing_format);
    g_free(bs);
}

void bdrv_ref(BlockDriverState *bs)
{
    bs->refcnt++;
}

void bdrv_unref(BlockDriverState *bs)
{
    if (bs && --bs->refcnt == 0) {
        bdrv_delete(bs);
    }
}

static BdrvChild *bdrv_attach_child(BlockDriverState *parent,
                                    BlockDriverState *child,
                                    const char *name)
{
    BdrvChild *c = g_new0(BdrvChild, 1);

    c->bs = child;
    c->parent = parent;
    c->name = name;
    return c;
}

void bdrv_unref_child(BlockDriverState *parent, BdrvChild *child)
{
    if (parent->file == child) {
        parent->file = NULL;
    }
    if (parent->backing == child) {
        parent->backing = NULL;
    }
    bdrv_unref(child->bs);
    g_free(child);
}

/* Read the first bytes of the protocol node and pick a format. */
static BlockDriver *bdrv_probe_child(BlockDriverState *file, Error **errp)
{
    uint8_t buf[2048] = { 0 };
    int64_t len = bdrv_getlength(file);
    QEMUIOVector qiov;
    int ret;

    if (len < 0) {
        error_setg_errno(errp, -len, "Could not get the size of '%s'",
                         file->filename);
        return NULL;
    }
    qemu_iovec_init_buf(&qiov, buf, MIN(len, (int64_t)sizeof(buf)));
    ret = bdrv_node_preadv(file, 0, qiov.size, &qiov, 0);
    qemu_iovec_destroy(&qiov);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read image for determining "
                         "its format");
        return NULL;
    }
    return bdrv_probe_format(buf, MIN(len, (int64_t)sizeof(buf)),
                             file->filename);
}

/* Tell the user that a raw image was guessed (QEMU prints the same). */
static void bdrv_warn_probed_raw(const char *filename)
{
    error_printf("WARNING: Image format was not specified for '%s' and "
                 "probing guessed raw.\n"
                 "         Automatically detecting the format is dangerous"
                 " for raw images, write operations on block 0 will be "
                 "restricted.\n"
                 "         Specify the 'raw' format explicitly to remove "
                 "the restrictions.\n", filename);
}

/* Create the node and run the driver's open. */
static BlockDriverState *bdrv_open_driver(BlockDriver *drv,
                                          const char *filename,
                                          const char *node_name,
                                          BdrvChild *file, GHashTable *opts,
                                          int flags, Error **errp)
{
    BlockDriverState *bs = g_new0(BlockDriverState, 1);
    int ret;

    bs->refcnt = 1;
    bs->drv = drv;
    bs->open_flags = flags;
    bs->read_only = !(flags & BDRV_O_RDWR);
    bs->filename = g_strdup(filename ? filename :
                            file ? file->bs->filename : "");
    bs->file = file;
    if (file) {
        file->parent = bs;
    }
    if (!bdrv_set_node_name(bs, node_name, errp)) {
        bs->drv = NULL;
        bdrv_delete(bs);
        return NULL;
    }
    bdrv_nodes = g_list_append(bdrv_nodes, bs);

    bs->opaque = g_malloc0(MAX(drv->instance_size, 1));
    ret = drv->bdrv_open(bs, opts, flags, errp);
    if (ret < 0) {
        bs->drv = NULL;
        bdrv_delete(bs);
        return NULL;
    }
    return bs;
}

/*
 * Open the protocol child of a format node: a reference to an existing
 * node ("file=NODE"), a "file.*" description, or @filename.
 */
static BdrvChild *bdrv_open_file_child(const char *filename,
                                       GHashTable *opts, int flags,
                                       Error **errp)
{
    g_autofree char *ref = opts_take(opts, "file");
    GHashTable *fopts = bdrv_opts_extract_prefix(opts, "file");
    BlockDriverState *fbs;

    if (ref) {
        g_hash_table_unref(fopts);
        fbs = bdrv_find_node(ref);
        if (!fbs) {
            error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                       ref, ref);
            return NULL;
        }
        bdrv_ref(fbs);
        return bdrv_attach_child(NULL, fbs, "file");
    }
    if (!filename && !g_hash_table_contains(fopts, "filename")) {
        g_hash_table_unref(fopts);
        error_setg(errp, "A block device must be specified for \"file\"");
        return NULL;
    }
    return bdrv_open_child(filename, fopts, "file", NULL,
                           flags | BDRV_O_PROTOCOL, false, errp);
}

BdrvChild *bdrv_open_child(const char *filename, GHashTable *options,
                           const char *name, BlockDriverState *parent,
                           int flags, bool allow_none, Error **errp)
{
    BlockDriverState *bs;
    BdrvChild *child;

    if (!filename && (!options || !g_hash_table_size(options))) {
        if (options) {
            g_hash_table_unref(options);
        }
        if (!allow_none) {
            error_setg(errp, "A block device must be specified for \"%s\"",
                       name);
        }
        return NULL;
    }
    bs = bdrv_open(filename, options, flags, errp);
    if (!bs) {
        return NULL;
    }
    child = bdrv_attach_child(parent, bs, name);
    return child;
}

bool bdrv_open_backing(BlockDriverState *bs, GHashTable *options,
                       Error **errp)
{
    g_autofree char *ref = opts_take(options, "backing");
    GHashTable *bopts = bdrv_opts_extract_prefix(options, "backing");
    g_autofree char *path = NULL;
    int flags = bs->open_flags & (BDRV_O_NOCACHE | BDRV_O_NO_FLUSH);
    BlockDriverState *back;
    Error *local_err = NULL;

    /* "backing=null" or no backing file: nothing to open. */
    if ((ref && !strcmp(ref, "null")) || (bs->open_flags & BDRV_O_NO_BACKING)
        || (!ref && !bs->backing_file && !g_hash_table_size(bopts))) {
        g_hash_table_unref(bopts);
        return true;
    }
    if (ref) {
        g_hash_table_unref(bopts);
        back = bdrv_find_node(ref);
        if (!back) {
            error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                       ref, ref);
            return false;
        }
        bdrv_ref(back);
        bs->backing = bdrv_attach_child(bs, back, "backing");
        return true;
    }

    /* Backing files are opened read-only, format from the header. */
    if (bs->backing_file && !g_hash_table_contains(bopts, "filename") &&
        !g_hash_table_contains(bopts, "file.filename")) {
        path = bdrv_path_combine(bs->filename, bs->backing_file);
    }
    if (bs->backing_format && !g_hash_table_contains(bopts, "driver")) {
        bdrv_opts_set(bopts, "driver", bs->backing_format);
    }
    back = bdrv_open(path, bopts, flags, &local_err);
    if (!back) {
        error_propagate_prepend(errp, local_err,
                                "Could not open backing file: ");
        return false;
    }
    bs->backing = bdrv_attach_child(bs, back, "backing");
    return true;
}

/* Open a protocol node (file) straight from @opts. */
static BlockDriverState *bdrv_open_protocol(BlockDriver *drv,
                                            const char *filename,
                                            const char *node_name,
                                            GHashTable *opts, int flags,
                                            Error **errp)
{
    if (filename && !g_hash_table_contains(opts, "filename")) {
        bdrv_opts_set(opts, "filename", filename);
    }
    return bdrv_open_driver(drv, NULL, node_name, NULL, opts, flags, errp);
}

/* Open a format node over its file child, then its backing file. */
static BlockDriverState *bdrv_open_format(BlockDriver *drv,
                                          const char *filename,
                                          const char *node_name,
                                          GHashTable *opts, int flags,
                                          Error **errp)
{
    BdrvChild *file = bdrv_open_file_child(filename, opts, flags, errp);
    BlockDriverState *bs;
    bool probed = !drv;

    if (!file) {
        return NULL;
    }
    if (!drv) {
        drv = bdrv_probe_child(file->bs, errp);
        if (!drv) {
            bdrv_unref(file->bs);
            g_free(file);
            return NULL;
        }
    }
    if (!drv->is_format) {
        /* "driver=file" on the top node: the file child is the node. */
        BlockDriverState *fbs = file->bs;

        g_free(file);
        return fbs;
    }
    bs = bdrv_open_driver(drv, NULL, node_name, file, opts, flags, errp);
    if (!bs) {
        return NULL;
    }
    bs->probed = probed;
    if (probed && !strcmp(drv->format_name, "raw")) {
        bdrv_warn_probed_raw(bs->filename);
    }
    return bs;
}

BlockDriverState *bdrv_open(const char *filename, GHashTable *options,
                            int flags, Error **errp)
{
    GHashTable *opts = options ? options : bdrv_opts_new();
    g_autofree char *driver = opts_take(opts, "driver");
    g_autofree char *node_name = opts_take(opts, "node-name");
    g_autofree char *fname = filename ? NULL : opts_take(opts, "filename");
    BlockDriver *drv = NULL;
    BlockDriverState *bs = NULL;

    if (fname) {
        filename = fname;
    }
    if (!bdrv_take_generic_opts(opts, &flags, errp)) {
        goto out;
    }
    if (driver) {
        drv = bdrv_find_format(driver);
        if (!drv) {
            error_setg(errp, "Unknown driver '%s'", driver);
            goto out;
        }
    } else if (flags & BDRV_O_PROTOCOL) {
        drv = bdrv_find_format("file");
    } else {
        bdrv_find_format("raw");    /* registers the drivers */
    }

    if (drv && !drv->is_format) {
        bs = bdrv_open_protocol(drv, filename, node_name, opts,
                                flags & ~BDRV_O_PROTOCOL, errp);
    } else {
        bs = bdrv_open_format(drv, filename, node_name, opts,
                              flags & ~BDRV_O_PROTOCOL, errp);
    }
    if (bs && bs->drv->is_format && !bdrv_open_backing(bs, opts, errp)) {
        bdrv_unref(bs);
        bs = NULL;
    }
    if (bs && !bdrv_check_leftover(bs->drv, opts, errp)) {
        bdrv_unref(bs);
        bs = NULL;
    }
out:
    g_hash_table_unref(opts);
    return bs;
}

/* ---- I/O ---- */

/* Format nodes refuse requests outside the image; protocols may grow. */
static int bdrv_check_request(BlockDriverState *bs, int64_t offset,
                              int64_t bytes)
{
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    if (offset < 0 || bytes < 0 || bytes > BDRV_REQUEST_MAX_BYTES) {
        return -EIO;
    }
    return 0;
}

int bdrv_node_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                     QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    int64_t len;
    int ret = bdrv_check_request(bs, offset, bytes);

    if (ret < 0 || !bytes) {
        return ret;
    }
    if (!bs->drv->is_format) {
        return bs->drv->bdrv_preadv(bs, offset, bytes, qiov, flags);
    }

    /*
     * Past the end of a format node reads as zeros: a backing file may
     * be shorter than the image that uses it.
     */
    len = bdrv_getlength(bs);
    if (len < 0) {
        return len;
    }
    if (offset + bytes > len) {
        int64_t valid = MAX(len - offset, 0);

        qemu_iovec_memset(qiov, valid, 0, bytes - valid);
        bytes = valid;
    }
    if (!bytes) {
        return 0;
    }
    return bs->drv->bdrv_preadv(bs, offset, bytes, qiov, flags);
}

static int bdrv_check_write(BlockDriverState *bs, int64_t offset,
                            int64_t bytes)
{
    int ret = bdrv_check_request(bs, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    if (bs->read_only) {
        return -EPERM;
    }
    if (bs->drv->is_format && offset + bytes > bdrv_getlength(bs)) {
        return -EIO;
    }
    return 0;
}

/* FUA is done with a flush after the write when the driver has no FUA. */
static int bdrv_finish_fua(BlockDriverState *bs, int ret,
                           BdrvRequestFlags flags)
{
    if (ret >= 0 && (flags & BDRV_REQ_FUA)) {
        ret = bdrv_flush(bs);
    }
    return ret;
}

int bdrv_node_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    int ret = bdrv_check_write(bs, offset, bytes);

    if (ret < 0 || !bytes) {
        return ret;
    }
    ret = bs->drv->bdrv_pwritev(bs, offset, bytes, qiov,
                                flags & ~BDRV_REQ_FUA);
    return bdrv_finish_fua(bs, ret, flags);
}

/* Zeroes through an ordinary write of a zero buffer, chunk by chunk. */
static int bdrv_write_zero_buffer(BlockDriverState *bs, int64_t offset,
                                  int64_t bytes)
{
    int64_t chunk = MIN(bytes, 1 * MiB);
    g_autofree void *zeros = g_malloc0(chunk);
    int ret = 0;

    while (bytes > 0 && ret >= 0) {
        int64_t n = MIN(bytes, chunk);
        QEMUIOVector qiov;

        qemu_iovec_init_buf(&qiov, zeros, n);
        ret = bs->drv->bdrv_pwritev(bs, offset, n, &qiov, 0);
        qemu_iovec_destroy(&qiov);
        offset += n;
        bytes -= n;
    }
    return ret;
}

int bdrv_node_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                            int64_t bytes, BdrvRequestFlags flags)
{
    int ret = bdrv_check_write(bs, offset, bytes);

    if (ret < 0 || !bytes) {
        return ret;
    }
    ret = -ENOTSUP;
    if (bs->drv->bdrv_pwrite_zeroes) {
        ret = bs->drv->bdrv_pwrite_zeroes(bs, offset, bytes,
                                          flags & ~BDRV_REQ_FUA);
    }
    if (ret == -ENOTSUP) {
        ret = bdrv_write_zero_buffer(bs, offset, bytes);
    }
    return bdrv_finish_fua(bs, ret, flags);
}

int bdrv_node_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    int ret = bdrv_check_write(bs, offset, bytes);

    if (ret < 0 || !bytes) {
        return ret;
    }
    if (!bs->drv->bdrv_pdiscard) {
        return 0;   /* discard is advisory */
    }
    ret = bs->drv->bdrv_pdiscard(bs, offset, bytes);
    return ret == -ENOTSUP ? 0 : ret;
}

int bdrv_preadv(BdrvChild *child, int64_t offset, int64_t bytes,
                QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    return bdrv_node_preadv(child->bs, offset, bytes, qiov, flags);
}

int bdrv_pwritev(BdrvChild *child, int64_t offset, int64_t bytes,
                 QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    return bdrv_node_pwritev(child->bs, offset, bytes, qiov, flags);
}

int bdrv_pread(BdrvChild *child, int64_t offset, int64_t bytes,
               void *buf, BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    int ret;

    qemu_iovec_init_buf(&qiov, buf, bytes);
    ret = bdrv_preadv(child, offset, bytes, &qiov, flags);
    qemu_iovec_destroy(&qiov);
    return ret;
}

int bdrv_pwrite(BdrvChild *child, int64_t offset, int64_t bytes,
                const void *buf, BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    int ret;

    qemu_iovec_init_buf(&qiov, (void *)buf, bytes);
    ret = bdrv_pwritev(child, offset, bytes, &qiov, flags);
    qemu_iovec_destroy(&qiov);
    return ret;
}

int bdrv_pwrite_zeroes(BdrvChild *child, int64_t offset, int64_t bytes,
                       BdrvRequestFlags flags)
{
    return bdrv_node_pwrite_zeroes(child->bs, offset, bytes, flags);
}

int bdrv_pdiscard(BdrvChild *child, int64_t offset, int64_t bytes)
{
    return bdrv_node_pdiscard(child->bs, offset, bytes);
}

/* Driver caches first, then the file below (which reaches the disk). */
int bdrv_flush(BlockDriverState *bs)
{
    int ret = 0;

    if (!bs || !bs->drv || bs->read_only) {
        return 0;
    }
    if (bs->drv->bdrv_flush) {
        ret = bs->drv->bdrv_flush(bs);
    }
    if (ret >= 0 && bs->file) {
        ret = bdrv_flush(bs->file->bs);
    }
    return ret;
}

int64_t bdrv_getlength(BlockDriverState *bs)
{
    if (!bs->drv) {
        return -ENOMEDIUM;
    }
    return bs->drv->bdrv_getlength(bs);
}

int bdrv_truncate(BdrvChild *child, int64_t offset, Error **errp)
{
    BlockDriverState *bs = child->bs;

    if (!bs->drv->bdrv_truncate) {
        error_setg(errp, "Image format '%s' does not support resizing",
                   bs->drv->format_name);
        return -ENOTSUP;
    }
    return bs->drv->bdrv_truncate(bs, offset, errp);
}

int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res)
{
    memset(res, 0, sizeof(*res));
    if (!bs->drv->bdrv_check) {
        return -ENOTSUP;
    }
    return bs->drv->bdrv_check(bs, res);
}

const char *bdrv_get_node_name(const BlockDriverState *bs)
{
    return bs->node_name;
}

const char *bdrv_get_format_name(const BlockDriverState *bs)
{
    return bs->drv ? bs->drv->format_name : NULL;
}

const char *bdrv_get_filename(const BlockDriverState *bs)
{
    return bs->filename;
}

const char *bdrv_get_backing_filename(const BlockDriverState *bs)
{
    return bs->backing_file;
}

bool bdrv_is_read_only(const BlockDriverState *bs)
{
    return bs->read_only;
}

BlockDriverState *bdrv_backing_bs(const BlockDriverState *bs)
{
    return bs->backing ? bs->backing->bs : NULL;
}
