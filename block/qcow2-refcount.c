/*
 * qcow2-refcount.c: reference counts, cluster allocation and the
 * consistency check.  Every function runs with s->lock held.
 *
 * Order of updates, so that a process killed at any point leaves at worst
 * leaked clusters and never a cluster in use with a refcount of zero:
 * a refcount is raised (and its block written) before anything points at
 * the cluster, and lowered only after the pointer is gone.  New refcount
 * blocks and tables go at the end of the file.
 */
#include "qemu/osdep.h"
#include "qcow2.h"

static uint64_t refblock_get(BDRVQcow2State *s, const uint8_t *table,
                             uint64_t i)
{
    if (s->refcount_bits >= 8) {
        int width = s->refcount_bits / 8;
        uint64_t v = 0;

        for (int b = 0; b < width; b++) {
            v = (v << 8) | table[i * width + b];
        }
        return v;
    }
    /* Sub-byte widths: entry 0 in the least significant bits. */
    int per_byte = 8 / s->refcount_bits;
    int shift = (i % per_byte) * s->refcount_bits;

    return (table[i / per_byte] >> shift) & s->refcount_max;
}

static void refblock_set(BDRVQcow2State *s, uint8_t *table, uint64_t i,
                         uint64_t v)
{
    if (s->refcount_bits >= 8) {
        int width = s->refcount_bits / 8;

        for (int b = width - 1; b >= 0; b--) {
            table[i * width + b] = v & 0xff;
            v >>= 8;
        }
        return;
    }
    int per_byte = 8 / s->refcount_bits;
    int shift = (i % per_byte) * s->refcount_bits;
    uint8_t *p = &table[i / per_byte];

    *p = (*p & ~(s->refcount_max << shift)) | (v << shift);
}

static int write_refcount_table_entry(BlockDriverState *bs, uint64_t b)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t disk_entries = s->refcount_table_clusters * s->cluster_size / 8;
    uint64_t be = cpu_to_be64(s->refcount_table[b]);

    /* While the table grows, entries past the old one land with it. */
    if (b >= disk_entries) {
        return 0;
    }
    return bdrv_pwrite(bs->file, s->refcount_table_offset + 8 * b, 8,
                       &be, 0);
}

static int grow_refcount_table(BlockDriverState *bs, uint64_t min_block);

/* Put a new refcount block for block index @b at the end of the file. */
static int alloc_refblock(BlockDriverState *bs, uint64_t b)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t off = s->host_end;
    uint64_t self = off >> s->cluster_bits;
    uint8_t *table;
    int ret;

    s->host_end += s->cluster_size;
    ret = qcow2_cache_get(bs, &s->refblock_cache, off, true, &table);
    if (ret < 0) {
        return ret;
    }
    s->refcount_table[b] = off;
    qcow2_cache_mark_dirty(&s->refblock_cache, table, 0, s->cluster_size);

    /* The block counts itself when it falls in its own range. */
    if (self / s->refcount_block_size == b) {
        refblock_set(s, table, self % s->refcount_block_size, 1);
    } else {
        ret = qcow2_update_refcount(bs, off, s->cluster_size, 1);
        if (ret < 0) {
            return ret;
        }
    }
    ret = qcow2_cache_flush(bs, &s->refblock_cache);
    if (ret < 0) {
        return ret;
    }
    return write_refcount_table_entry(bs, b);
}

/* The refcount block covering block index @b; NULL if there is none. */
static int get_refblock(BlockDriverState *bs, uint64_t b, bool alloc,
                        uint8_t **table)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    *table = NULL;
    if (b >= s->refcount_table_size || !s->refcount_table[b]) {
        if (!alloc) {
            return 0;
        }
        if (b >= s->refcount_table_size) {
            ret = grow_refcount_table(bs, b);
            if (ret < 0) {
                return ret;
            }
        }
        if (!s->refcount_table[b]) {
            ret = alloc_refblock(bs, b);
            if (ret < 0) {
                return ret;
            }
        }
    }
    return qcow2_cache_get(bs, &s->refblock_cache, s->refcount_table[b],
                           false, table);
}

/*
 * Move the refcount table to a larger one at the end of the file, big
 * enough for block @min_block and for the clusters the move itself needs.
 */
static int grow_refcount_table(BlockDriverState *bs, uint64_t min_block)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t old_off = s->refcount_table_offset;
    uint64_t old_clusters = s->refcount_table_clusters;
    uint64_t end_block = (s->host_end >> s->cluster_bits) /
                         s->refcount_block_size;
    uint64_t entries = MAX(MAX(min_block, end_block) + 9,
                           2 * s->refcount_table_size);
    uint64_t clusters = DIV_ROUND_UP(entries * 8, s->cluster_size);
    uint64_t new_off = s->host_end;
    g_autofree uint64_t *be = NULL;
    uint8_t hdr[12];
    int ret;

    if (clusters > UINT32_MAX) {
        return -EFBIG;
    }
    entries = clusters * s->cluster_size / 8;
    s->refcount_table = g_renew(uint64_t, s->refcount_table, entries);
    memset(s->refcount_table + s->refcount_table_size, 0,
           (entries - s->refcount_table_size) * 8);
    s->refcount_table_size = entries;
    s->host_end += clusters * s->cluster_size;

    /* Count the new table; this may add refcount blocks (in memory). */
    ret = qcow2_update_refcount(bs, new_off, clusters * s->cluster_size, 1);
    if (ret == 0) {
        ret = qcow2_cache_flush(bs, &s->refblock_cache);
    }
    if (ret < 0) {
        return ret;
    }

    /* Write the table, then switch the header to it. */
    be = g_new(uint64_t, entries);
    for (uint64_t i = 0; i < entries; i++) {
        be[i] = cpu_to_be64(s->refcount_table[i]);
    }
    ret = bdrv_pwrite(bs->file, new_off, entries * 8, be, 0);
    if (ret < 0) {
        return ret;
    }
    stq_be_p(hdr, new_off);
    stl_be_p(hdr + 8, clusters);
    ret = bdrv_pwrite(bs->file, QCOW2_HDR_REFCOUNT_TABLE, sizeof(hdr),
                      hdr, 0);
    if (ret < 0) {
        return ret;
    }
    s->refcount_table_offset = new_off;
    s->refcount_table_clusters = clusters;

    /* Now nothing points at the old table. */
    return qcow2_update_refcount(bs, old_off, old_clusters * s->cluster_size,
                                 -1);
}

int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index,
                       uint64_t *refcount)
{
    BDRVQcow2State *s = bs->opaque;
    uint8_t *table;
    int ret;

    ret = get_refblock(bs, cluster_index / s->refcount_block_size, false,
                       &table);
    if (ret < 0) {
        return ret;
    }
    *refcount = table ? refblock_get(s, table, cluster_index %
                                     s->refcount_block_size) : 0;
    return 0;
}

/* Change one cluster's refcount by @delta. */
static int update_one(BlockDriverState *bs, uint64_t idx, int delta)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t i = idx % s->refcount_block_size;
    uint8_t *table;
    uint64_t r;
    int ret;

    ret = get_refblock(bs, idx / s->refcount_block_size, delta > 0, &table);
    if (ret < 0) {
        return ret;
    }
    if (!table) {
        return -EIO;    /* lowering a count that does not exist */
    }
    r = refblock_get(s, table, i);
    if ((delta < 0 && r < (uint64_t)-delta) ||
        (delta > 0 && r + delta > s->refcount_max)) {
        return delta < 0 ? -EIO : -ERANGE;
    }
    refblock_set(s, table, i, r + delta);
    qcow2_cache_mark_dirty(&s->refblock_cache, table,
                           i * s->refcount_bits / 8,
                           MAX(s->refcount_bits / 8, 1));
    if (r + delta == 0 && idx < s->free_cluster_index) {
        s->free_cluster_index = idx;
    }
    return 0;
}

int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset,
                          uint64_t length, int delta)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t first, last;

    if (!length) {
        return 0;
    }
    first = offset >> s->cluster_bits;
    last = (offset + length - 1) >> s->cluster_bits;
    for (uint64_t idx = first; idx <= last; idx++) {
        int ret = update_one(bs, idx, delta);

        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t end_idx = s->host_end >> s->cluster_bits;
    uint64_t start = s->free_cluster_index;
    uint64_t idx = start;
    int ret;

    /* First run of @n free clusters; everything past the end is free. */
    while (idx < end_idx && idx - start < n) {
        uint64_t r;

        ret = qcow2_get_refcount(bs, idx, &r);
        if (ret < 0) {
            return ret;
        }
        idx++;
        if (r) {
            start = idx;
        }
    }
    /*
     * Everything before the run is in use when the run is a single
     * cluster (a shorter free run would have been taken): skip it next
     * time, or every allocation rescans the whole image.
     */
    if (n == 1 || start == s->free_cluster_index) {
        s->free_cluster_index = start + n;
    }
    if (start + n > end_idx) {
        s->host_end = (start + n) << s->cluster_bits;
    }

    ret = qcow2_update_refcount(bs, start << s->cluster_bits,
                                n << s->cluster_bits, 1);
    if (ret == 0) {
        ret = qcow2_cache_flush(bs, &s->refblock_cache);
    }
    return ret < 0 ? ret : (int64_t)(start << s->cluster_bits);
}

/* ---- check ---- */

typedef struct CheckState {
    uint32_t *expected;         /* references found, per cluster */
    uint64_t nb_clusters;
    BdrvCheckResult *res;
} CheckState;

static void check_ref(BDRVQcow2State *s, CheckState *cs, uint64_t offset,
                      uint64_t length)
{
    uint64_t first = offset >> s->cluster_bits;
    uint64_t last = (offset + length - 1) >> s->cluster_bits;

    for (uint64_t idx = first; length && idx <= last; idx++) {
        if (idx >= cs->nb_clusters) {
            cs->res->corruptions++;     /* points past the end */
        } else {
            cs->expected[idx]++;
        }
    }
}

static int check_l2(BlockDriverState *bs, CheckState *cs, uint64_t l2_off)
{
    BDRVQcow2State *s = bs->opaque;
    g_autofree uint8_t *l2 = g_malloc(s->cluster_size);
    uint64_t start, len;
    int ret;

    ret = bdrv_pread(bs->file, l2_off, s->cluster_size, l2, 0);
    if (ret < 0) {
        return ret;
    }
    for (int64_t i = 0; i < s->l2_size; i++) {
        uint64_t e = ldq_be_p(l2 + 8 * i);

        switch (qcow2_entry_type(s, e)) {
        case QCOW2_CLUSTER_COMPRESSED:
            qcow2_compressed_range(s, e, &start, &len);
            check_ref(s, cs, start, len);
            break;
        case QCOW2_CLUSTER_NORMAL:
        case QCOW2_CLUSTER_ZERO_ALLOC:
            check_ref(s, cs, e & L2E_OFFSET_MASK, s->cluster_size);
            break;
        default:
            break;
        }
    }
    return 0;
}

/* Count every reference the metadata makes. */
static int check_collect(BlockDriverState *bs, CheckState *cs)
{
    BDRVQcow2State *s = bs->opaque;
    int ret;

    check_ref(s, cs, 0, s->cluster_size);
    check_ref(s, cs, s->l1_table_offset, (uint64_t)s->l1_size * 8);
    for (uint32_t i = 0; i < s->l1_size; i++) {
        uint64_t l2_off = s->l1_table[i] & L1E_OFFSET_MASK;

        if (l2_off) {
            check_ref(s, cs, l2_off, s->cluster_size);
            ret = check_l2(bs, cs, l2_off);
            if (ret < 0) {
                return ret;
            }
        }
    }
    check_ref(s, cs, s->refcount_table_offset,
              (uint64_t)s->refcount_table_clusters * s->cluster_size);
    for (uint64_t b = 0; b < s->refcount_table_size; b++) {
        if (s->refcount_table[b]) {
            check_ref(s, cs, s->refcount_table[b], s->cluster_size);
        }
    }
    return 0;
}

int qcow2_check_refcounts(BlockDriverState *bs, BdrvCheckResult *res)
{
    BDRVQcow2State *s = bs->opaque;
    CheckState cs = { .res = res };
    int ret;

    if (s->nb_snapshots) {
        return -ENOTSUP;    /* snapshot tables are not walked */
    }
    cs.nb_clusters = s->host_end >> s->cluster_bits;
    cs.expected = g_new0(uint32_t, cs.nb_clusters);
    ret = check_collect(bs, &cs);

    /* Compare with the stored counts. */
    for (uint64_t idx = 0; ret == 0 && idx < cs.nb_clusters; idx++) {
        uint64_t r;

        ret = qcow2_get_refcount(bs, idx, &r);
        if (ret == 0 && r < cs.expected[idx]) {
            res->corruptions++;
        } else if (ret == 0 && r > cs.expected[idx]) {
            res->leaks++;
        }
    }
    if (ret < 0) {
        res->check_errors++;
    }
    g_free(cs.expected);
    return ret;
}
