/*
 * qcow2-cluster.c: table caches and the guest-to-host cluster mapping
 * (L1 and L2 tables).  Every function runs with s->lock held.
 */
#include "qemu/osdep.h"
#include "qcow2.h"

/* ---- table cache ---- */

static Qcow2CacheEntry *cache_find(Qcow2Cache *c, uint64_t offset)
{
    for (int i = 0; i < QCOW2_CACHE_ENTRIES; i++) {
        if (c->entries[i].offset == offset) {
            return &c->entries[i];
        }
    }
    return NULL;
}

static int cache_write_entry(BlockDriverState *bs, Qcow2CacheEntry *e)
{
    int ret;

    if (!e->dirty) {
        return 0;
    }
    /* Only the changed bytes: usually one entry of a refcount block. */
    ret = bdrv_pwrite(bs->file, e->offset + e->dirty_start,
                      e->dirty_end - e->dirty_start,
                      e->data + e->dirty_start, 0);
    if (ret == 0) {
        e->dirty = false;
    }
    return ret;
}

/* Pick the least recently used slot, writing it back if dirty. */
static int cache_evict(BlockDriverState *bs, Qcow2Cache *c,
                       Qcow2CacheEntry **out)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2CacheEntry *victim = &c->entries[0];
    int ret;

    for (int i = 1; i < QCOW2_CACHE_ENTRIES; i++) {
        if (c->entries[i].last_use < victim->last_use) {
            victim = &c->entries[i];
        }
    }
    ret = cache_write_entry(bs, victim);
    if (ret < 0) {
        return ret;
    }
    if (!victim->data) {
        victim->data = g_malloc(s->cluster_size);
    }
    victim->offset = 0;
    *out = victim;
    return 0;
}

/*
 * Get the table at host @offset.  @fresh: the cluster was just allocated,
 * start from zeros instead of reading it.
 */
int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                    bool fresh, uint8_t **table)
{
    BDRVQcow2State *s = bs->opaque;
    Qcow2CacheEntry *e = cache_find(c, offset);
    int ret;

    if (!e) {
        ret = cache_evict(bs, c, &e);
        if (ret < 0) {
            return ret;
        }
        if (fresh) {
            memset(e->data, 0, s->cluster_size);
        } else {
            ret = bdrv_pread(bs->file, offset, s->cluster_size, e->data, 0);
            if (ret < 0) {
                return ret;
            }
        }
        e->offset = offset;
        e->dirty = false;
    } else if (fresh) {
        memset(e->data, 0, s->cluster_size);
    }
    e->last_use = ++c->use_counter;
    *table = e->data;
    return 0;
}

void qcow2_cache_mark_dirty(Qcow2Cache *c, uint8_t *table, uint32_t start,
                            uint32_t len)
{
    for (int i = 0; i < QCOW2_CACHE_ENTRIES; i++) {
        Qcow2CacheEntry *e = &c->entries[i];

        if (e->data != table) {
            continue;
        }
        if (!e->dirty) {
            e->dirty_start = start;
            e->dirty_end = start + len;
        } else {
            e->dirty_start = MIN(e->dirty_start, start);
            e->dirty_end = MAX(e->dirty_end, start + len);
        }
        e->dirty = true;
    }
}

int qcow2_cache_flush(BlockDriverState *bs, Qcow2Cache *c)
{
    for (int i = 0; i < QCOW2_CACHE_ENTRIES; i++) {
        int ret = cache_write_entry(bs, &c->entries[i]);

        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

void qcow2_cache_free(Qcow2Cache *c)
{
    for (int i = 0; i < QCOW2_CACHE_ENTRIES; i++) {
        g_free(c->entries[i].data);
        c->entries[i].data = NULL;
        c->entries[i].offset = 0;
    }
}

/* ---- mapping ---- */

Qcow2ClusterType qcow2_entry_type(BDRVQcow2State *s, uint64_t l2e)
{
    if (l2e & QCOW_OFLAG_COMPRESSED) {
        return QCOW2_CLUSTER_COMPRESSED;
    }
    if ((l2e & QCOW_OFLAG_ZERO) && s->version >= 3) {
        return (l2e & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_ZERO_ALLOC
                                       : QCOW2_CLUSTER_ZERO_PLAIN;
    }
    return (l2e & L2E_OFFSET_MASK) ? QCOW2_CLUSTER_NORMAL
                                   : QCOW2_CLUSTER_UNALLOCATED;
}

void qcow2_compressed_range(BDRVQcow2State *s, uint64_t l2e,
                            uint64_t *start, uint64_t *len)
{
    uint64_t coffset = l2e & s->cluster_offset_mask;
    uint64_t nb_sectors = ((l2e >> s->csize_shift) & s->csize_mask) + 1;

    *start = QEMU_ALIGN_DOWN(coffset, QCOW2_COMPRESSED_SECTOR);
    *len = nb_sectors * QCOW2_COMPRESSED_SECTOR;
}

static void l2_index(BDRVQcow2State *s, uint64_t guest_offset,
                     uint64_t *l1_idx, uint64_t *l2_idx)
{
    uint64_t cluster = guest_offset >> s->cluster_bits;

    *l1_idx = cluster >> s->l2_bits;
    *l2_idx = cluster & (s->l2_size - 1);
}

int qcow2_get_l2_entry(BlockDriverState *bs, uint64_t guest_offset,
                       uint64_t *l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_idx, l2_idx, l2_offset;
    uint8_t *table;
    int ret;

    l2_index(s, guest_offset, &l1_idx, &l2_idx);
    l2_offset = l1_idx < s->l1_size ?
                s->l1_table[l1_idx] & L1E_OFFSET_MASK : 0;
    if (!l2_offset) {
        *l2e = 0;
        return 0;
    }
    ret = qcow2_cache_get(bs, &s->l2_cache, l2_offset, false, &table);
    if (ret < 0) {
        return ret;
    }
    *l2e = ldq_be_p(table + 8 * l2_idx);
    return 0;
}

/* Allocate a zeroed L2 table for @l1_idx and point the L1 entry at it. */
static int alloc_l2_table(BlockDriverState *bs, uint64_t l1_idx,
                          uint64_t *l2_offset)
{
    BDRVQcow2State *s = bs->opaque;
    int64_t off = qcow2_alloc_clusters(bs, 1);
    uint8_t *table;
    uint64_t be;
    int ret;

    if (off < 0) {
        return off;
    }
    ret = qcow2_cache_get(bs, &s->l2_cache, off, true, &table);
    if (ret == 0) {
        ret = bdrv_pwrite(bs->file, off, s->cluster_size, table, 0);
    }
    if (ret < 0) {
        return ret;
    }

    /* The table is on disk before the L1 entry that points at it. */
    s->l1_table[l1_idx] = off | QCOW_OFLAG_COPIED;
    be = cpu_to_be64(s->l1_table[l1_idx]);
    ret = bdrv_pwrite(bs->file, s->l1_table_offset + 8 * l1_idx, 8, &be, 0);
    *l2_offset = off;
    return ret;
}

int qcow2_set_l2_entry(BlockDriverState *bs, uint64_t guest_offset,
                       uint64_t l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t l1_idx, l2_idx, l2_offset, be;
    uint8_t *table;
    int ret;

    l2_index(s, guest_offset, &l1_idx, &l2_idx);
    assert(l1_idx < s->l1_size);
    l2_offset = s->l1_table[l1_idx] & L1E_OFFSET_MASK;
    if (!l2_offset) {
        ret = alloc_l2_table(bs, l1_idx, &l2_offset);
        if (ret < 0) {
            return ret;
        }
    }
    ret = qcow2_cache_get(bs, &s->l2_cache, l2_offset, false, &table);
    if (ret < 0) {
        return ret;
    }
    stq_be_p(table + 8 * l2_idx, l2e);
    be = cpu_to_be64(l2e);
    return bdrv_pwrite(bs->file, l2_offset + 8 * l2_idx, 8, &be, 0);
}

int qcow2_free_entry(BlockDriverState *bs, uint64_t l2e)
{
    BDRVQcow2State *s = bs->opaque;
    uint64_t start = l2e & L2E_OFFSET_MASK;
    uint64_t len = s->cluster_size;
    int ret;

    switch (qcow2_entry_type(s, l2e)) {
    case QCOW2_CLUSTER_COMPRESSED:
        qcow2_compressed_range(s, l2e, &start, &len);
        break;
    case QCOW2_CLUSTER_NORMAL:
    case QCOW2_CLUSTER_ZERO_ALLOC:
        break;
    default:
        return 0;
    }

    /* Wait for I/O that still uses the old mapping (see qcow2.h). */
    pthread_rwlock_wrlock(&s->free_lock);
    ret = qcow2_update_refcount(bs, start, len, -1);
    pthread_rwlock_unlock(&s->free_lock);
    return ret;
}
