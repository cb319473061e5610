/*
 * qcow2.h: on-disk layout of qcow2 (versions 2 and 3) and the driver's
 * private state.  All multi-byte fields on disk are big-endian.
 *
 * Locking: BDRVQcow2State.lock protects the caches, the in-memory L1 and
 * refcount tables and every metadata write.  Guest data of a cluster that
 * is already allocated is read and written without the lock, so requests
 * to different clusters overlap; allocating writes hold the lock from the
 * refcount update to the L2 update.
 *
 * BDRVQcow2State.free_lock pins host clusters: data I/O that runs without
 * s->lock on a cluster it looked up holds it for reading (taken before
 * s->lock is dropped); lowering a host cluster's refcount holds it for
 * writing (under s->lock).  So a cluster freed by a racing discard or
 * rewrite is not handed out again (as data or as a metadata table) while
 * stale I/O to it is still in flight.  Order: s->lock, then free_lock.
 */
#ifndef BLOCK_QCOW2_H
#define BLOCK_QCOW2_H

#include "block/block_int.h"
#include <pthread.h>

#define QCOW_MAGIC 0x514649fbu          /* "QFI\xfb" */

/* Header field offsets. */
#define QCOW2_HDR_BACKING_OFFSET    8
#define QCOW2_HDR_REFCOUNT_TABLE    48
#define QCOW2_HDR_AUTOCLEAR         88
#define QCOW2_HDR_V2_LENGTH         72
#define QCOW2_HDR_V3_LENGTH         104

typedef struct QEMU_PACKED QCowHeader {
    uint32_t magic;
    uint32_t version;
    uint64_t backing_file_offset;
    uint32_t backing_file_size;
    uint32_t cluster_bits;
    uint64_t size;                      /* virtual size in bytes */
    uint32_t crypt_method;
    uint32_t l1_size;                   /* entries */
    uint64_t l1_table_offset;
    uint64_t refcount_table_offset;
    uint32_t refcount_table_clusters;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;
    /* version 3 */
    uint64_t incompatible_features;
    uint64_t compatible_features;
    uint64_t autoclear_features;
    uint32_t refcount_order;
    uint32_t header_length;
} QCowHeader;

/* Incompatible feature bits. */
#define QCOW2_INCOMPAT_DIRTY        (1ULL << 0)
#define QCOW2_INCOMPAT_CORRUPT      (1ULL << 1)
#define QCOW2_INCOMPAT_DATA_FILE    (1ULL << 2)
#define QCOW2_INCOMPAT_COMPRESSION  (1ULL << 3)
#define QCOW2_INCOMPAT_EXTL2        (1ULL << 4)

/* Header extension types. */
#define QCOW2_EXT_END               0x00000000u
#define QCOW2_EXT_BACKING_FORMAT    0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE     0x6803f857u

/* L1 and L2 entries. */
#define QCOW_OFLAG_COPIED           (1ULL << 63)  /* refcount is exactly 1 */
#define QCOW_OFLAG_COMPRESSED       (1ULL << 62)
#define QCOW_OFLAG_ZERO             (1ULL << 0)   /* v3: reads as zeros */
#define L1E_OFFSET_MASK             0x00fffffffffffe00ULL
#define L2E_OFFSET_MASK             0x00fffffffffffe00ULL

#define QCOW2_MIN_CLUSTER_BITS      9
#define QCOW2_MAX_CLUSTER_BITS      21
#define QCOW2_CACHE_ENTRIES         16
#define QCOW2_COMPRESSED_SECTOR     512

/* What one guest cluster maps to. */
typedef enum Qcow2ClusterType {
    QCOW2_CLUSTER_UNALLOCATED,  /* backing file, or zeros */
    QCOW2_CLUSTER_ZERO_PLAIN,   /* zero flag, no host cluster */
    QCOW2_CLUSTER_ZERO_ALLOC,   /* zero flag, host cluster kept */
    QCOW2_CLUSTER_NORMAL,
    QCOW2_CLUSTER_COMPRESSED,
} Qcow2ClusterType;

/* A table cached in memory: an L2 table or a refcount block. */
typedef struct Qcow2CacheEntry {
    uint64_t offset;            /* host offset, 0 = free slot */
    uint8_t *data;              /* cluster_size bytes */
    bool dirty;                 /* refcount blocks only; L2 is write-through */
    uint32_t dirty_start;       /* bytes [dirty_start, dirty_end) changed */
    uint32_t dirty_end;
    uint64_t last_use;
} Qcow2CacheEntry;

typedef struct Qcow2Cache {
    Qcow2CacheEntry entries[QCOW2_CACHE_ENTRIES];
    uint64_t use_counter;
} Qcow2Cache;

typedef struct BDRVQcow2State {
    pthread_mutex_t lock;       /* see the top of this file */
    pthread_rwlock_t free_lock; /* see the top of this file */

    int version;                /* 2 or 3 */
    int cluster_bits;
    int64_t cluster_size;
    int l2_bits;                /* log2 of entries per L2 table */
    int64_t l2_size;            /* entries per L2 table */
    uint64_t size;              /* virtual disk size in bytes */
    int refcount_order;
    int refcount_bits;
    int64_t refcount_block_size;    /* entries per refcount block */
    uint64_t refcount_max;
    int csize_shift;            /* compressed descriptor: size field */
    uint64_t csize_mask;
    uint64_t cluster_offset_mask;
    uint64_t incompatible_features;
    uint64_t autoclear_features;
    uint32_t nb_snapshots;
    uint64_t snapshots_offset;

    uint64_t *l1_table;         /* host order; lock */
    uint32_t l1_size;
    uint64_t l1_table_offset;

    uint64_t *refcount_table;   /* host order; lock */
    uint64_t refcount_table_size;   /* entries in memory */
    uint64_t refcount_table_offset;
    uint32_t refcount_table_clusters;

    Qcow2Cache l2_cache;        /* lock */
    Qcow2Cache refblock_cache;  /* lock */
    uint64_t free_cluster_index;    /* first cluster that may be free */
    uint64_t host_end;          /* allocation at the end starts here */
    bool corrupt_reported;      /* a bad data cluster was reported */
} BDRVQcow2State;

/* Big-endian loads and stores of on-disk fields. */
static inline uint64_t ldq_be_p(const void *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT64_FROM_BE(v);
}

static inline void stq_be_p(void *p, uint64_t v)
{
    v = GUINT64_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

static inline uint32_t ldl_be_p(const void *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return GUINT32_FROM_BE(v);
}

static inline void stl_be_p(void *p, uint32_t v)
{
    v = GUINT32_TO_BE(v);
    memcpy(p, &v, sizeof(v));
}

#define cpu_to_be64(v) GUINT64_TO_BE(v)
#define be64_to_cpu(v) GUINT64_FROM_BE(v)

/* qcow2-cluster.c (all with s->lock held unless said otherwise) */
int qcow2_cache_get(BlockDriverState *bs, Qcow2Cache *c, uint64_t offset,
                    bool fresh, uint8_t **table);
int qcow2_cache_flush(BlockDriverState *bs, Qcow2Cache *c);
/* Bytes [@start, @start + @len) of @table must be written back. */
void qcow2_cache_mark_dirty(Qcow2Cache *c, uint8_t *table, uint32_t start,
                            uint32_t len);
void qcow2_cache_free(Qcow2Cache *c);
Qcow2ClusterType qcow2_entry_type(BDRVQcow2State *s, uint64_t l2e);
int qcow2_get_l2_entry(BlockDriverState *bs, uint64_t guest_offset,
                       uint64_t *l2e);
int qcow2_set_l2_entry(BlockDriverState *bs, uint64_t guest_offset,
                       uint64_t l2e);
/* Host range [start, start + len) of a compressed cluster. */
void qcow2_compressed_range(BDRVQcow2State *s, uint64_t l2e,
                            uint64_t *start, uint64_t *len);
/* Drop the reference an L2 entry held on its host cluster(s). */
int qcow2_free_entry(BlockDriverState *bs, uint64_t l2e);

/* qcow2-refcount.c (s->lock held) */
int qcow2_get_refcount(BlockDriverState *bs, uint64_t cluster_index,
                       uint64_t *refcount);
int qcow2_update_refcount(BlockDriverState *bs, uint64_t offset,
                          uint64_t length, int delta);
/* Allocate @n contiguous clusters with refcount 1; host offset or -errno */
int64_t qcow2_alloc_clusters(BlockDriverState *bs, uint64_t n);
int qcow2_check_refcounts(BlockDriverState *bs, BdrvCheckResult *res);

#endif /* BLOCK_QCOW2_H */
