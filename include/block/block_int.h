/*
 * block_int.h: what block drivers implement and see.
 *
 * Driver callbacks are synchronous: they block the calling thread until
 * the request is done and return 0 or a negative errno.  I/O callbacks
 * (preadv ... check) may run on several worker threads at once for the
 * same node, so a driver protects its own metadata (qcow2 holds a
 * per-node mutex around table updates).  open/close run in the main
 * thread with the big lock held and no request in flight.
 */
#ifndef BLOCK_BLOCK_INT_H
#define BLOCK_BLOCK_INT_H

#include "block/block.h"

struct BlockDriver {
    const char *format_name;
    size_t instance_size;       /* bytes of bs->opaque */
    bool is_format;             /* false: a protocol (reaches the host) */
    /* Option keys (after the generic ones) that bdrv_open accepts. */
    const char *const *runtime_opts;

    /* Score 0..100 that @buf (first bytes of the file) is this format. */
    int (*bdrv_probe)(const uint8_t *buf, int buf_size,
                      const char *filename);
    /* @options holds this driver's own keys; consume what is used. */
    int (*bdrv_open)(BlockDriverState *bs, GHashTable *options, int flags,
                     Error **errp);
    void (*bdrv_close)(BlockDriverState *bs);

    int (*bdrv_preadv)(BlockDriverState *bs, int64_t offset, int64_t bytes,
                       QEMUIOVector *qiov, BdrvRequestFlags flags);
    int (*bdrv_pwritev)(BlockDriverState *bs, int64_t offset,
                        int64_t bytes, QEMUIOVector *qiov,
                        BdrvRequestFlags flags);
    int (*bdrv_pwrite_zeroes)(BlockDriverState *bs, int64_t offset,
                              int64_t bytes, BdrvRequestFlags flags);
    int (*bdrv_pdiscard)(BlockDriverState *bs, int64_t offset,
                         int64_t bytes);
    /* Write back driver caches; the generic layer then flushes "file". */
    int (*bdrv_flush)(BlockDriverState *bs);
    int64_t (*bdrv_getlength)(BlockDriverState *bs);
    int (*bdrv_truncate)(BlockDriverState *bs, int64_t offset,
                         Error **errp);
    int (*bdrv_check)(BlockDriverState *bs, BdrvCheckResult *res);
};

struct BdrvChild {
    BlockDriverState *bs;       /* the child node (one reference) */
    BlockDriverState *parent;
    const char *name;           /* "file" or "backing" */
};

struct BlockDriverState {
    BlockDriver *drv;
    void *opaque;               /* drv->instance_size bytes */
    char *filename;             /* host path this node ends in */
    char node_name[32];
    int open_flags;             /* BDRV_O_* */
    bool read_only;
    bool probed;                /* format was guessed, not given */

    BdrvChild *file;
    BdrvChild *backing;
    /* Backing file named by the image header (formats set these). */
    char *backing_file;
    char *backing_format;

    int refcnt;                 /* main thread only */
    /* Requests in flight on this node and its parents (atomic). */
    int in_flight;
};

/* Open @filename (or the node named by @options) as child @name of @bs. */
BdrvChild *bdrv_open_child(const char *filename, GHashTable *options,
                           const char *name, BlockDriverState *parent,
                           int flags, bool allow_none, Error **errp);
void bdrv_unref_child(BlockDriverState *parent, BdrvChild *child);
/* Open the backing file named by bs->backing_file, if any. */
bool bdrv_open_backing(BlockDriverState *bs, GHashTable *options,
                       Error **errp);

/* Register a driver (called from constructors). */
void bdrv_register(BlockDriver *drv);

/* Driver tables. */
extern BlockDriver bdrv_file;
extern BlockDriver bdrv_raw;
extern BlockDriver bdrv_qcow2;

/* Join a relative backing name to the directory of @base. */
char *bdrv_path_combine(const char *base, const char *name);

#endif /* BLOCK_BLOCK_INT_H */
