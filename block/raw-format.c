/*
 * raw-format.c: the "raw" format: the guest sees the file's bytes,
 * optionally a window of them ("offset", "size").
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "qemu/cutils.h"

static const char *const raw_fmt_opts[] = { "offset", "size", NULL };

typedef struct BDRVRawFormatState {
    uint64_t offset;
    uint64_t size;
    bool has_size;
} BDRVRawFormatState;

static bool raw_take_size(GHashTable *opts, const char *key, uint64_t *val,
                          bool *present, Error **errp)
{
    const char *str = g_hash_table_lookup(opts, key);

    *present = str != NULL;
    if (!str) {
        return true;
    }
    if (qemu_strtosz(str, NULL, val) < 0) {
        error_setg(errp, "Parameter '%s' expects a size", key);
        return false;
    }
    g_hash_table_remove(opts, key);
    return true;
}

static int raw_fmt_open(BlockDriverState *bs, GHashTable *opts, int flags,
                        Error **errp)
{
    BDRVRawFormatState *s = bs->opaque;
    int64_t file_len = bdrv_getlength(bs->file->bs);
    bool has_offset;

    if (!raw_take_size(opts, "offset", &s->offset, &has_offset, errp) ||
        !raw_take_size(opts, "size", &s->size, &s->has_size, errp)) {
        return -EINVAL;
    }
    if (file_len < 0) {
        error_setg_errno(errp, -file_len, "Could not get the size of '%s'",
                         bs->filename);
        return file_len;
    }
    if (s->offset > (uint64_t)file_len) {
        error_setg(errp, "The sum of offset (%" PRIu64 ") and size (0) "
                   "has to be smaller or equal to the actual size of the "
                   "containing file (%" PRId64 ")", s->offset, file_len);
        return -EINVAL;
    }
    if (s->has_size && s->offset + s->size > (uint64_t)file_len) {
        error_setg(errp, "The sum of offset (%" PRIu64 ") and size (%"
                   PRIu64 ") has to be smaller or equal to the actual size"
                   " of the containing file (%" PRId64 ")", s->offset,
                   s->size, file_len);
        return -EINVAL;
    }
    return 0;
}

static int raw_fmt_probe(const uint8_t *buf, int buf_size,
                         const char *filename)
{
    return 1;   /* anything is raw, as a last resort */
}

/*
 * A probed raw image must not turn itself into another format: a guest
 * that writes a qcow2 header to sector 0 would otherwise make the next
 * start read the host file named in it.  The check looks at sector 0 as
 * it would be after the write (old bytes where the write does not reach).
 */
static bool raw_write_changes_format(BlockDriverState *bs, int64_t offset,
                                     QEMUIOVector *qiov)
{
    BDRVRawFormatState *s = bs->opaque;
    uint8_t head[512];
    size_t n;

    if (!bs->probed || offset >= (int64_t)sizeof(head)) {
        return false;
    }
    memset(head, 0, sizeof(head));
    if (bdrv_pread(bs->file, s->offset, sizeof(head), head, 0) < 0) {
        return true;    /* cannot tell: refuse */
    }
    n = MIN(sizeof(head) - offset, qiov->size);
    qemu_iovec_to_buf(qiov, 0, head + offset, n);
    return bdrv_probe_format(head, sizeof(head), bs->filename) != bs->drv;
}

static int raw_fmt_preadv(BlockDriverState *bs, int64_t offset,
                          int64_t bytes, QEMUIOVector *qiov,
                          BdrvRequestFlags flags)
{
    BDRVRawFormatState *s = bs->opaque;

    return bdrv_preadv(bs->file, s->offset + offset, bytes, qiov, flags);
}

static int raw_fmt_pwritev(BlockDriverState *bs, int64_t offset,
                           int64_t bytes, QEMUIOVector *qiov,
                           BdrvRequestFlags flags)
{
    BDRVRawFormatState *s = bs->opaque;

    if (raw_write_changes_format(bs, offset, qiov)) {
        return -EPERM;
    }
    return bdrv_pwritev(bs->file, s->offset + offset, bytes, qiov, flags);
}

static int raw_fmt_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                                 int64_t bytes, BdrvRequestFlags flags)
{
    BDRVRawFormatState *s = bs->opaque;

    return bdrv_pwrite_zeroes(bs->file, s->offset + offset, bytes, flags);
}

static int raw_fmt_pdiscard(BlockDriverState *bs, int64_t offset,
                            int64_t bytes)
{
    BDRVRawFormatState *s = bs->opaque;

    return bdrv_pdiscard(bs->file, s->offset + offset, bytes);
}

static int64_t raw_fmt_getlength(BlockDriverState *bs)
{
    BDRVRawFormatState *s = bs->opaque;
    int64_t len;

    if (s->has_size) {
        return s->size;
    }
    len = bdrv_getlength(bs->file->bs);
    return len < 0 ? len : len - (int64_t)s->offset;
}

static int raw_fmt_truncate(BlockDriverState *bs, int64_t offset,
                            Error **errp)
{
    BDRVRawFormatState *s = bs->opaque;

    if (s->has_size || s->offset) {
        error_setg(errp, "Cannot resize a raw image with offset or size");
        return -ENOTSUP;
    }
    return bdrv_truncate(bs->file, offset, errp);
}

BlockDriver bdrv_raw = {
    .format_name = "raw",
    .instance_size = sizeof(BDRVRawFormatState),
    .is_format = true,
    .runtime_opts = raw_fmt_opts,
    .bdrv_probe = raw_fmt_probe,
    .bdrv_open = raw_fmt_open,
    .bdrv_preadv = raw_fmt_preadv,
    .bdrv_pwritev = raw_fmt_pwritev,
    .bdrv_pwrite_zeroes = raw_fmt_pwrite_zeroes,
    .bdrv_pdiscard = raw_fmt_pdiscard,
    .bdrv_getlength = raw_fmt_getlength,
    .bdrv_truncate = raw_fmt_truncate,
};
