/*
 * qcow2.c: the qcow2 format, versions 2 and 3: opening and validating
 * the header, guest reads and writes cluster by cluster, zero and
 * discard, and image creation for snapshot=on overlays.
 */
#include "qemu/osdep.h"
#include "qcow2.h"
#include "qemu/error-report.h"
#include <zlib.h>

static int qcow2_probe(const uint8_t *buf, int buf_size,
                       const char *filename)
{
    if (buf_size >= 8 && ldl_be_p(buf) == QCOW_MAGIC &&
        ldl_be_p(buf + 4) >= 2) {
        return 100;
    }
    return 0;
}

/* ---- header ---- */

static void header_from_be(QCowHeader *h, const uint8_t *buf)
{
    h->magic = ldl_be_p(buf + 0);
    h->version = ldl_be_p(buf + 4);
    h->backing_file_offset = ldq_be_p(buf + 8);
    h->backing_file_size = ldl_be_p(buf + 16);
    h->cluster_bits = ldl_be_p(buf + 20);
    h->size = ldq_be_p(buf + 24);
    h->crypt_method = ldl_be_p(buf + 32);
    h->l1_size = ldl_be_p(buf + 36);
    h->l1_table_offset = ldq_be_p(buf + 40);
    h->refcount_table_offset = ldq_be_p(buf + 48);
    h->refcount_table_clusters = ldl_be_p(buf + 56);
    h->nb_snapshots = ldl_be_p(buf + 60);
    h->snapshots_offset = ldq_be_p(buf + 64);
    if (h->version >= 3) {
        h->incompatible_features = ldq_be_p(buf + 72);
        h->compatible_features = ldq_be_p(buf + 80);
        h->autoclear_features = ldq_be_p(buf + 88);
        h->refcount_order = ldl_be_p(buf + 96);
        h->header_length = ldl_be_p(buf + 100);
    } else {
        h->incompatible_features = 0;
        h->compatible_features = 0;
        h->autoclear_features = 0;
        h->refcount_order = 4;
        h->header_length = QCOW2_HDR_V2_LENGTH;
    }
}

/* A table [offset, offset + bytes) must be cluster aligned and in the file */
static bool check_table(BDRVQcow2State *s, const char *what,
                        uint64_t offset, uint64_t bytes, int64_t file_len,
                        Error **errp)
{
    if (offset & (s->cluster_size - 1)) {
        error_setg(errp, "%s offset 0x%" PRIx64 " is not aligned to the "
                   "cluster size", what, offset);
        return false;
    }
    if (offset + bytes < offset || offset + bytes > (uint64_t)file_len) {
        error_setg(errp, "%s (offset 0x%" PRIx64 ", %" PRIu64 " bytes) is "
                   "beyond the end of the file (%" PRId64 " bytes); the "
                   "image is truncated or corrupt", what, offset, bytes,
                   file_len);
        return false;
    }
    return true;
}

static bool check_features(BlockDriverState *bs, QCowHeader *h,
                           Error **errp)
{
    uint64_t incompat = h->incompatible_features;
    uint64_t known = QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT;

    if (h->crypt_method) {
        error_setg(errp, "encrypted qcow2 images are not supported; "
                   "decrypt it with 'qemu-img convert'");
        return false;
    }
    if (incompat & ~known) {
        error_setg(errp, "Unsupported qcow2 feature(s): incompatible "
                   "feature bits 0x%" PRIx64 " (external data file, "
                   "compression type or extended L2 are not supported)",
                   incompat & ~known);
        return false;
    }
    if ((incompat & QCOW2_INCOMPAT_CORRUPT) && !bs->read_only) {
        error_setg(errp, "qcow2: Image is corrupt; cannot be opened "
                   "read/write");
        return false;
    }
    if ((incompat & QCOW2_INCOMPAT_DIRTY) && !bs->read_only) {
        error_setg(errp, "the image has the dirty bit set (lazy refcounts "
                   "not flushed); repair it with 'qemu-img check -r all'");
        return false;
    }
    return true;
}

/* Check the geometry fields and derive the driver's constants from them. */
static bool check_geometry(BlockDriverState *bs, QCowHeader *h,
                           Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    if (h->cluster_bits < QCOW2_MIN_CLUSTER_BITS ||
        h->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
        error_setg(errp, "Unsupported cluster size: 2^%" PRIu32,
                   h->cluster_bits);
        return false;
    }
    if (h->refcount_order > 6) {
        error_setg(errp, "Reference count entry width too large; may not "
                   "exceed 64 bits (refcount_order %" PRIu32 ")",
                   h->refcount_order);
        return false;
    }
    if (h->version >= 3 && h->header_length < QCOW2_HDR_V3_LENGTH) {
        error_setg(errp, "qcow2 header too short (%" PRIu32 " bytes)",
                   h->header_length);
        return false;
    }
    s->version = h->version;
    s->cluster_bits = h->cluster_bits;
    s->cluster_size = INT64_C(1) << h->cluster_bits;
    s->l2_bits = h->cluster_bits - 3;
    s->l2_size = INT64_C(1) << s->l2_bits;
    s->size = h->size;
    s->refcount_order = h->refcount_order;
    s->refcount_bits = 1 << h->refcount_order;
    s->refcount_block_size = s->cluster_size * 8 / s->refcount_bits;
    s->refcount_max = s->refcount_bits == 64 ? UINT64_MAX :
                      (UINT64_C(1) << s->refcount_bits) - 1;
    s->csize_shift = 62 - (s->cluster_bits - 8);
    s->csize_mask = (UINT64_C(1) << (s->cluster_bits - 8)) - 1;
    s->cluster_offset_mask = (UINT64_C(1) << s->csize_shift) - 1;

    if (h->header_length > s->cluster_size) {
        error_setg(errp, "qcow2 header exceeds cluster size");
        return false;
    }
    if (h->size > (UINT64_C(1) << 62) ||
        DIV_ROUND_UP(h->size, s->cluster_size << s->l2_bits) >
        h->l1_size) {
        error_setg(errp, "L1 table is too small (%" PRIu32 " entries) for "
                   "the virtual size %" PRIu64, h->l1_size, h->size);
        return false;
    }
    return true;
}

static int read_table(BlockDriverState *bs, uint64_t offset,
                      uint64_t entries, uint64_t **table)
{
    int ret;

    *table = g_new0(uint64_t, MAX(entries, 1));
    ret = bdrv_pread(bs->file, offset, entries * 8, *table, 0);
    for (uint64_t i = 0; i < entries; i++) {
        (*table)[i] = be64_to_cpu((*table)[i]);
    }
    return ret;
}

/* Header extensions: the backing format is the only one we use. */
static bool read_extensions(BlockDriverState *bs, const uint8_t *buf,
                            uint64_t start, uint64_t end, Error **errp)
{
    uint64_t off = start;

    while (off + 8 <= end) {
        uint32_t type = ldl_be_p(buf + off);
        uint32_t len = ldl_be_p(buf + off + 4);

        off += 8;
        if (type == QCOW2_EXT_END) {
            return true;
        }
        if (len > end - off) {
            error_setg(errp, "header extension 0x%08" PRIx32 " is longer "
                       "than the header cluster", type);
            return false;
        }
        if (type == QCOW2_EXT_BACKING_FORMAT) {
            g_free(bs->backing_format);
            bs->backing_format = g_strndup((const char *)buf + off, len);
        }
        off += ROUND_UP(len, 8);
    }
    return true;
}

static bool read_backing_name(BlockDriverState *bs, QCowHeader *h,
                              const uint8_t *buf, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    if (!h->backing_file_offset) {
        return true;
    }
    if (h->backing_file_size > 1023 ||
        h->backing_file_offset + h->backing_file_size >
        (uint64_t)s->cluster_size) {
        error_setg(errp, "backing file name (offset 0x%" PRIx64 ", %" PRIu32
                   " bytes) is not inside the header cluster",
                   h->backing_file_offset, h->backing_file_size);
        return false;
    }
    bs->backing_file = g_strndup((const char *)buf + h->backing_file_offset,
                                 h->backing_file_size);
    return true;
}

/* Clear autoclear bits: we do not maintain what they announce. */
static int clear_autoclear(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t zero = 0;

    if (bs->read_only || s->version < 3 || !s->autoclear_features) {
        return 0;
    }
    s->autoclear_features = 0;
    return bdrv_pwrite(bs->file, QCOW2_HDR_AUTOCLEAR, 8, &zero, 0);
}

/* Every L1 and refcount table entry must name a cluster in the file. */
static bool check_table_entries(BDRVQcow2State *s, const char *what,
                                const uint64_t *table, uint64_t n,
                                uint64_t mask, int64_t file_len,
                                Error **errp)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t off = table[i] & mask;

        if ((off & (s->cluster_size - 1)) ||
            off + s->cluster_size > (uint64_t)ROUND_UP(file_len,
                                                       s->cluster_size)) {
            error_setg(errp, "%s entry %" PRIu64 " (offset 0x%" PRIx64
                       ") is unaligned or beyond the end of the file; the "
                       "image is corrupt", what, i, off);
            return false;
        }
    }
    return true;
}

/* Read cluster 0 into @buf (2 MiB) and check the header fields. */
static int qcow2_read_header(BlockDriverState *bs, int64_t file_len,
                             uint8_t *buf, QCowHeader *h, Error **errp)
{
    int ret;

    if (file_len < QCOW2_HDR_V2_LENGTH) {
        error_setg(errp, "file is too short (%" PRId64 " bytes) to hold a "
                   "qcow2 header", MAX(file_len, 0));
        return -EINVAL;
    }
    ret = bdrv_pread(bs->file, 0, MIN(file_len, 1 << QCOW2_MAX_CLUSTER_BITS),
                     buf, 0);
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read qcow2 header");
        return ret;
    }
    header_from_be(h, buf);
    if (h->magic != QCOW_MAGIC) {
        error_setg(errp, "Image is not in qcow2 format");
        return -EINVAL;
    }
    if (h->version < 2 || h->version > 3) {
        error_setg(errp, "Unsupported qcow2 version %" PRIu32, h->version);
        return -ENOTSUP;
    }
    if (!check_geometry(bs, h, errp) || !check_features(bs, h, errp)) {
        return -EINVAL;
    }
    if (h->version >= 3 && (uint64_t)file_len < h->header_length) {
        error_setg(errp, "file is too short to hold its qcow2 header");
        return -EINVAL;
    }
    return 0;
}

/* Tables inside the file; extensions and backing name readable. */
static bool qcow2_check_layout(BlockDriverState *bs, QCowHeader *h,
                               const uint8_t *buf, int64_t file_len,
                               Error **errp)
{
    BDRVQcow2State *s = bs->opaque;

    if (!check_table(s, "L1 table", h->l1_table_offset,
                     (uint64_t)h->l1_size * 8, file_len, errp) ||
        !check_table(s, "Reference count table", h->refcount_table_offset,
                     (uint64_t)h->refcount_table_clusters * s->cluster_size,
                     file_len, errp)) {
        return false;
    }
    if (!h->refcount_table_clusters) {
        error_setg(errp, "Reference count table is empty");
        return false;
    }
    return read_extensions(bs, buf, h->header_length, s->cluster_size,
                           errp) &&
           read_backing_name(bs, h, buf, errp);
}

/* Load the L1 and refcount tables and check where their entries point. */
static int qcow2_load_tables(BlockDriverState *bs, QCowHeader *h,
                             int64_t file_len, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    s->incompatible_features = h->incompatible_features;
    s->autoclear_features = h->autoclear_features;
    s->nb_snapshots = h->nb_snapshots;
    s->snapshots_offset = h->snapshots_offset;
    s->l1_size = h->l1_size;
    s->l1_table_offset = h->l1_table_offset;
    s->refcount_table_offset = h->refcount_table_offset;
    s->refcount_table_clusters = h->refcount_table_clusters;
    s->refcount_table_size = (uint64_t)h->refcount_table_clusters *
                             s->cluster_size / 8;
    s->host_end = ROUND_UP(file_len, s->cluster_size);

    ret = read_table(bs, s->l1_table_offset, s->l1_size, &s->l1_table);
    if (ret == 0) {
        ret = read_table(bs, s->refcount_table_offset,
                         s->refcount_table_size, &s->refcount_table);
    }
    if (ret < 0) {
        error_setg_errno(errp, -ret, "Could not read qcow2 tables");
        return ret;
    }
    if (!check_table_entries(s, "L1 table", s->l1_table, s->l1_size,
                             L1E_OFFSET_MASK, file_len, errp) ||
        !check_table_entries(s, "Reference count table",
                             s->refcount_table, s->refcount_table_size,
                             UINT64_MAX, file_len, errp)) {
        return -EINVAL;
    }
    return 0;
}

static int qcow2_do_open(BlockDriverState *bs, Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t file_len = bdrv_getlength(bs->file->bs);
    g_autofree uint8_t *buf = g_malloc0(1 << QCOW2_MAX_CLUSTER_BITS);
    QCowHeader h;
    int ret;

    ret = qcow2_read_header(bs, file_len, buf, &h, errp);
    if (ret < 0) {
        return ret;
    }
    if (!qcow2_check_layout(bs, &h, buf, file_len, errp)) {
        return -EINVAL;
    }
    ret = qcow2_load_tables(bs, &h, file_len, errp);
    if (ret < 0) {
        return ret;
    }
    if (s->nb_snapshots && !bs->read_only) {
        error_setg(errp, "images with internal snapshots can only be "
                   "opened read-only");
        return -ENOTSUP;
    }
    return clear_autoclear(bs);
}

static int qcow2_open(BlockDriverState *bs, GHashTable *opts, int flags,
                      Error **errp)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    pthread_mutex_init(&s->lock, NULL);
    pthread_rwlock_init(&s->free_lock, NULL);
    ret = qcow2_do_open(bs, errp);
    if (ret < 0) {
        error_prepend(errp, "Could not open '%s': ", bs->filename);
        g_free(s->l1_table);
        g_free(s->refcount_table);
        pthread_mutex_destroy(&s->lock);
        pthread_rwlock_destroy(&s->free_lock);
    }
    return ret;
}

static void qcow2_close(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    if (!bs->read_only) {
        qcow2_cache_flush(bs, &s->refblock_cache);
    }
    qcow2_cache_free(&s->l2_cache);
    qcow2_cache_free(&s->refblock_cache);
    g_free(s->l1_table);
    g_free(s->refcount_table);
    pthread_mutex_destroy(&s->lock);
    pthread_rwlock_destroy(&s->free_lock);
}

/* ---- reading ---- */

static int read_compressed(BlockDriverState *bs, uint64_t l2e,
                           uint8_t *out)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t coffset = l2e & s->cluster_offset_mask;
    uint64_t start, len, csize;
    g_autofree uint8_t *in = NULL;
    z_stream zs = { 0 };
    int ret;

    qcow2_compressed_range(s, l2e, &start, &len);
    csize = start + len - coffset;
    in = g_malloc(csize);
    ret = bdrv_pread(bs->file, coffset, csize, in, 0);
    if (ret < 0) {
        return ret;
    }

    /* Raw deflate (no zlib header), 4 KiB window, as qemu-img writes. */
    if (inflateInit2(&zs, -12) != Z_OK) {
        return -ENOMEM;
    }
    zs.next_in = in;
    zs.avail_in = csize;
    zs.next_out = out;
    zs.avail_out = s->cluster_size;
    ret = inflate(&zs, Z_FINISH);
    inflateEnd(&zs);
    if ((ret != Z_STREAM_END && ret != Z_BUF_ERROR) || zs.avail_out) {
        return -EIO;
    }
    return 0;
}

/* Read @bytes at @offset of a cluster that the image does not hold. */
static int read_backing(BlockDriverState *bs, uint64_t offset,
                        uint64_t bytes, QEMUIOVector *qiov, size_t qoff)
{
    QEMUIOVector sub;
    int ret;

    if (!bs->backing) {
        qemu_iovec_memset(qiov, qoff, 0, bytes);
        return 0;
    }
    qemu_iovec_init(&sub, qiov->niov);
    qemu_iovec_concat(&sub, qiov, qoff, bytes);
    ret = bdrv_preadv(bs->backing, offset, bytes, &sub, 0);
    qemu_iovec_destroy(&sub);
    return ret;
}

static int read_chunk(BlockDriverState *bs, uint64_t l2e, uint64_t offset,
                      uint64_t bytes, QEMUIOVector *qiov, size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t in_cluster = offset & (s->cluster_size - 1);
    g_autofree uint8_t *buf = NULL;
    QEMUIOVector sub;
    int ret;

    switch (qcow2_entry_type(s, l2e)) {
    case QCOW2_CLUSTER_UNALLOCATED:
        return read_backing(bs, offset, bytes, qiov, qoff);
    case QCOW2_CLUSTER_ZERO_PLAIN:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        qemu_iovec_memset(qiov, qoff, 0, bytes);
        return 0;
    case QCOW2_CLUSTER_COMPRESSED:
        buf = g_malloc(s->cluster_size);
        ret = read_compressed(bs, l2e, buf);
        if (ret == 0) {
            qemu_iovec_from_buf(qiov, qoff, buf + in_cluster, bytes);
        }
        return ret;
    case QCOW2_CLUSTER_NORMAL:
    default:
        qemu_iovec_init(&sub, qiov->niov);
        qemu_iovec_concat(&sub, qiov, qoff, bytes);
        ret = bdrv_preadv(bs->file, (l2e & L2E_OFFSET_MASK) + in_cluster,
                          bytes, &sub, 0);
        qemu_iovec_destroy(&sub);
        return ret;
    }
}

/*
 * A data cluster must be aligned and below the allocation frontier;
 * otherwise the image is corrupt, and using the entry could make two
 * guest clusters (or a guest cluster and a table) share a host cluster.
 */
static int check_host_cluster(BlockDriverState *bs, uint64_t l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t host = l2e & L2E_OFFSET_MASK;
    Qcow2ClusterType type = qcow2_entry_type(s, l2e);

    if (type != QCOW2_CLUSTER_NORMAL && type != QCOW2_CLUSTER_ZERO_ALLOC) {
        return 0;
    }
    if (!(host & (s->cluster_size - 1)) && host < s->host_end) {
        return 0;
    }
    if (!s->corrupt_reported) {
        s->corrupt_reported = true;
        error_report("qcow2 image '%s' is corrupt: data cluster offset "
                     "0x%" PRIx64 " is unaligned or past the end of the "
                     "file; requests to it fail", bs->filename, host);
    }
    return -EIO;
}

static int qcow2_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                        QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    BDRVQcow2State *s = bs->opaque;
    size_t qoff = 0;
    int ret = 0;

    while (bytes > 0 && ret == 0) {
        uint64_t in_cluster = offset & (s->cluster_size - 1);
        uint64_t n = MIN((uint64_t)bytes, s->cluster_size - in_cluster);
        uint64_t l2e;
        bool pinned;

        /* Look the cluster up under the lock; move data without it. */
        pthread_mutex_lock(&s->lock);
        ret = qcow2_get_l2_entry(bs, offset, &l2e);
        if (ret == 0) {
            ret = check_host_cluster(bs, l2e);
        }
        pinned = ret == 0 && (l2e & L2E_OFFSET_MASK);
        if (pinned) {
            pthread_rwlock_rdlock(&s->free_lock);
        }
        pthread_mutex_unlock(&s->lock);
        if (ret == 0) {
            ret = read_chunk(bs, l2e, offset, n, qiov, qoff);
        }
        if (pinned) {
            pthread_rwlock_unlock(&s->free_lock);
        }
        offset += n;
        bytes -= n;
        qoff += n;
    }
    return ret;
}

/* ---- writing ---- */

/* Old contents of the whole guest cluster, for a partial write. */
static int read_old_cluster(BlockDriverState *bs, uint64_t l2e,
                            uint64_t cluster_start, uint8_t *buf)
{
    BDRVQcow2State *s = bs->opaque;
    QEMUIOVector qiov;
    int ret;

    qemu_iovec_init_buf(&qiov, buf, s->cluster_size);
    ret = read_chunk(bs, l2e, cluster_start, s->cluster_size, &qiov, 0);
    qemu_iovec_destroy(&qiov);
    return ret;
}

/*
 * Write into a cluster that has no host cluster of its own yet (or only
 * a compressed or zero one): build the full cluster (copy-on-write from
 * the old contents), write it to a fresh host cluster, then point the L2
 * entry at it and release what the old entry held.  s->lock held.
 */
static int write_allocating(BlockDriverState *bs, uint64_t l2e,
                            uint64_t offset, uint64_t bytes,
                            QEMUIOVector *qiov, size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t cluster_start = offset & ~(s->cluster_size - 1);
    Qcow2ClusterType type = qcow2_entry_type(s, l2e);
    g_autofree uint8_t *buf = g_malloc(s->cluster_size);
    int64_t host;
    int ret;

    if (bytes < (uint64_t)s->cluster_size) {
        ret = read_old_cluster(bs, l2e, cluster_start, buf);
        if (ret < 0) {
            return ret;
        }
    }
    qemu_iovec_to_buf(qiov, qoff, buf + (offset - cluster_start), bytes);

    /* A zero cluster that kept its host cluster is reused in place. */
    if (type == QCOW2_CLUSTER_ZERO_ALLOC && (l2e & QCOW_OFLAG_COPIED)) {
        host = l2e & L2E_OFFSET_MASK;
    } else {
        host = qcow2_alloc_clusters(bs, 1);
        if (host < 0) {
            return host;
        }
    }
    ret = bdrv_pwrite(bs->file, host, s->cluster_size, buf, 0);
    if (ret == 0) {
        ret = qcow2_set_l2_entry(bs, offset, host | QCOW_OFLAG_COPIED);
    }
    if (ret == 0 && (uint64_t)host != (l2e & L2E_OFFSET_MASK)) {
        ret = qcow2_free_entry(bs, l2e);
    }
    if (ret == 0) {
        ret = qcow2_cache_flush(bs, &s->refblock_cache);
    }
    return ret;
}

static int write_chunk(BlockDriverState *bs, uint64_t offset,
                       uint64_t bytes, QEMUIOVector *qiov, size_t qoff)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t in_cluster = offset & (s->cluster_size - 1);
    QEMUIOVector sub;
    uint64_t l2e;
    int ret;

    pthread_mutex_lock(&s->lock);
    ret = qcow2_get_l2_entry(bs, offset, &l2e);
    if (ret == 0) {
        ret = check_host_cluster(bs, l2e);
    }
    if (ret == 0 && (qcow2_entry_type(s, l2e) != QCOW2_CLUSTER_NORMAL ||
                     !(l2e & QCOW_OFLAG_COPIED))) {
        ret = write_allocating(bs, l2e, offset, bytes, qiov, qoff);
        pthread_mutex_unlock(&s->lock);
        return ret;
    }
    if (ret < 0) {
        pthread_mutex_unlock(&s->lock);
        return ret;
    }
    pthread_rwlock_rdlock(&s->free_lock);
    pthread_mutex_unlock(&s->lock);

    /* Allocated and ours alone: overwrite in place, without the lock. */
    qemu_iovec_init(&sub, qiov->niov);
    qemu_iovec_concat(&sub, qiov, qoff, bytes);
    ret = bdrv_pwritev(bs->file, (l2e & L2E_OFFSET_MASK) + in_cluster,
                       bytes, &sub, 0);
    qemu_iovec_destroy(&sub);
    pthread_rwlock_unlock(&s->free_lock);
    return ret;
}

static int qcow2_pwritev(BlockDriverState *bs, int64_t offset,
                         int64_t bytes, QEMUIOVector *qiov,
                         BdrvRequestFlags flags)
{
    BDRVQcow2State *s = bs->opaque;
    size_t qoff = 0;
    int ret = 0;

    while (bytes > 0 && ret == 0) {
        uint64_t in_cluster = offset & (s->cluster_size - 1);
        uint64_t n = MIN((uint64_t)bytes, s->cluster_size - in_cluster);

        ret = write_chunk(bs, offset, n, qiov, qoff);
        offset += n;
        bytes -= n;
        qoff += n;
    }
    return ret;
}

/* ---- zero and discard ---- */

/*
 * Replace the L2 entry of one whole cluster by @new_l2e and release what
 * the old entry held (unless @new_l2e keeps the same host cluster).
 */
static int replace_cluster(BlockDriverState *bs, uint64_t offset,
                           uint64_t new_l2e)
{
    uint64_t l2e;
    int ret;

    ret = qcow2_get_l2_entry(bs, offset, &l2e);
    if (ret < 0 || l2e == new_l2e) {
        return ret;
    }
    ret = qcow2_set_l2_entry(bs, offset, new_l2e);
    if (ret == 0 && (new_l2e & L2E_OFFSET_MASK) != (l2e & L2E_OFFSET_MASK)) {
        ret = qcow2_free_entry(bs, l2e);
    }
    return ret;
}

/* The new entry for a zeroed cluster: keep an allocation if asked to. */
static int zero_entry(BlockDriverState *bs, uint64_t offset, bool unmap,
                      uint64_t *new_l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l2e;
    int ret = qcow2_get_l2_entry(bs, offset, &l2e);

    *new_l2e = QCOW_OFLAG_ZERO;
    if (ret < 0) {
        return ret;
    }
    if (qcow2_entry_type(s, l2e) == QCOW2_CLUSTER_UNALLOCATED &&
        !bs->backing) {
        *new_l2e = l2e;     /* already reads as zeros */
    } else if (!unmap && (l2e & QCOW_OFLAG_COPIED) &&
               qcow2_entry_type(s, l2e) == QCOW2_CLUSTER_NORMAL) {
        *new_l2e = (l2e & L2E_OFFSET_MASK) | QCOW_OFLAG_COPIED |
                   QCOW_OFLAG_ZERO;
    }
    return ret;
}

/* Zero (@zero) or discard each whole cluster of the range. */
static int for_whole_clusters(BlockDriverState *bs, int64_t offset,
                              int64_t bytes, bool zero, bool unmap)
{
    BDRVQcow2State *s = bs->opaque;
    int ret = 0;

    pthread_mutex_lock(&s->lock);
    for (; bytes > 0 && ret == 0; offset += s->cluster_size,
                                  bytes -= s->cluster_size) {
        uint64_t new_l2e = 0;

        if (zero) {
            ret = zero_entry(bs, offset, unmap, &new_l2e);
        } else if (bs->backing) {
            new_l2e = QCOW_OFLAG_ZERO;  /* must not expose the backing */
        }
        if (ret == 0) {
            ret = replace_cluster(bs, offset, new_l2e);
        }
    }
    if (ret == 0) {
        ret = qcow2_cache_flush(bs, &s->refblock_cache);
    }
    pthread_mutex_unlock(&s->lock);
    return ret;
}

/* Zero part of a cluster by writing zeros through the normal path. */
static int write_zeroes_plain(BlockDriverState *bs, int64_t offset,
                              int64_t bytes)
{
    g_autofree void *zeros = NULL;
    QEMUIOVector qiov;
    int ret;

    if (bytes <= 0) {
        return 0;
    }
    zeros = g_malloc0(bytes);
    qemu_iovec_init_buf(&qiov, zeros, bytes);
    ret = qcow2_pwritev(bs, offset, bytes, &qiov, 0);
    qemu_iovec_destroy(&qiov);
    return ret;
}

static int qcow2_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                               int64_t bytes, BdrvRequestFlags flags)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t end = offset + bytes;
    int64_t head = MIN(ROUND_UP(offset, s->cluster_size), end);
    int64_t tail = QEMU_ALIGN_DOWN(end, s->cluster_size);
    int ret;

    /* Version 2 has no zero flag: the generic layer writes zeros. */
    if (s->version < 3) {
        return -ENOTSUP;
    }
    /* The last cluster counts as whole when the disk ends inside it. */
    if (end == (int64_t)s->size) {
        tail = ROUND_UP(end, s->cluster_size);
    }
    tail = MAX(tail, head);

    ret = write_zeroes_plain(bs, offset, head - offset);
    if (ret == 0 && tail > head) {
        ret = for_whole_clusters(bs, head, tail - head, true,
                                 flags & BDRV_REQ_MAY_UNMAP);
    }
    if (ret == 0) {
        ret = write_zeroes_plain(bs, tail, end - tail);
    }
    return ret;
}

static int qcow2_pdiscard(BlockDriverState *bs, int64_t offset,
                          int64_t bytes)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t start = ROUND_UP(offset, s->cluster_size);
    int64_t end = offset + bytes;

    /* Only whole clusters; the last one may be cut by the disk's end. */
    end = end == (int64_t)s->size ? ROUND_UP(end, s->cluster_size)
                                  : QEMU_ALIGN_DOWN(end, s->cluster_size);
    if (end <= start || (s->version < 3 && bs->backing)) {
        return 0;   /* discard is advisory */
    }
    return for_whole_clusters(bs, start, end - start, false, true);
}

/* ---- the rest ---- */

static int qcow2_flush(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    pthread_mutex_lock(&s->lock);
    ret = qcow2_cache_flush(bs, &s->refblock_cache);
    pthread_mutex_unlock(&s->lock);
    return ret;
}

static int64_t qcow2_getlength(BlockDriverState *bs)
{
    BDRVQcow2State *s = bs->opaque;

    return s->size;
}

static int qcow2_check(BlockDriverState *bs, BdrvCheckResult *res)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    pthread_mutex_lock(&s->lock);
    ret = qcow2_check_refcounts(bs, res);
    pthread_mutex_unlock(&s->lock);
    return ret;
}

BlockDriver bdrv_qcow2 = {
    .format_name = "qcow2",
    .instance_size = sizeof(BDRVQcow2State),
    .is_format = true,
    .bdrv_probe = qcow2_probe,
    .bdrv_open = qcow2_open,
    .bdrv_close = qcow2_close,
    .bdrv_preadv = qcow2_preadv,
    .bdrv_pwritev = qcow2_pwritev,
    .bdrv_pwrite_zeroes = qcow2_pwrite_zeroes,
    .bdrv_pdiscard = qcow2_pdiscard,
    .bdrv_flush = qcow2_flush,
    .bdrv_getlength = qcow2_getlength,
    .bdrv_check = qcow2_check,
};
