/*
 * block.h: the block node graph (BlockDriverState) seen from outside.
 *
 * A node is an instance of a BlockDriver: a format (raw, qcow2) that
 * interprets the bytes of its "file" child, or a protocol (file) that
 * reaches the host.  A format node may also have a "backing" child that
 * supplies the data of clusters it has not allocated.
 *
 * Threads: nodes are opened, closed and looked up in the main thread with
 * the big lock held.  The I/O functions (bdrv_preadv() ... bdrv_flush())
 * block the calling thread and may be called from any thread, in
 * particular from the block worker pool, for several requests at once:
 * every driver is safe for concurrent requests.
 *
 * Options are a flat string table (GHashTable, char * -> char *) with
 * dotted keys for children, as on the -blockdev command line:
 * "driver", "node-name", "read-only", "cache.direct", "cache.no-flush",
 * "file.driver", "file.filename", "backing" (node name or "null") ...
 * Functions that take an options table consume the keys they understand;
 * a key left over is an error ("does not support the option").
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "qemu/iov.h"
#include "qapi/error.h"

typedef struct BlockDriver BlockDriver;
typedef struct BlockDriverState BlockDriverState;
typedef struct BdrvChild BdrvChild;

/* Open flags (values as in QEMU). */
#define BDRV_O_RDWR         0x0002  /* open for writing */
#define BDRV_O_SNAPSHOT     0x0008  /* writes go to a temporary overlay */
#define BDRV_O_NOCACHE      0x0020  /* bypass the host page cache */
#define BDRV_O_NO_BACKING   0x0100  /* do not open the backing file */
#define BDRV_O_NO_FLUSH     0x0200  /* flush is a no-op (cache=unsafe) */
#define BDRV_O_PROTOCOL     0x8000  /* @filename names a protocol node */
/* Machina: every write is durable when it completes (O_DSYNC). */
#define BDRV_O_DSYNC        0x100000

/* Request flags. */
typedef enum BdrvRequestFlags {
    BDRV_REQ_ZERO_WRITE   = 0x2,  /* pwrite_zeroes: buffer is NULL */
    BDRV_REQ_MAY_UNMAP    = 0x4,  /* pwrite_zeroes may deallocate */
    BDRV_REQ_FUA          = 0x10, /* durable on completion */
} BdrvRequestFlags;

/* Largest byte count accepted by one request. */
#define BDRV_REQUEST_MAX_BYTES (INT64_C(1) << 30)

/* Result of bdrv_check(): counts of problems found. */
typedef struct BdrvCheckResult {
    int corruptions;    /* refcount too low, bad offsets, ... */
    int leaks;          /* clusters with a refcount no one uses */
    int check_errors;   /* I/O errors while checking */
} BdrvCheckResult;

/*
 * Open a node.  @filename may be NULL when @options name the file.  Takes
 * ownership of @options (may be NULL).  Main thread, big lock.
 */
BlockDriverState *bdrv_open(const char *filename, GHashTable *options,
                            int flags, Error **errp);
void bdrv_ref(BlockDriverState *bs);
/* Drop a reference; the last one closes the node and its children. */
void bdrv_unref(BlockDriverState *bs);

BlockDriverState *bdrv_find_node(const char *node_name);
BlockDriver *bdrv_find_format(const char *format_name);
/* Guess the format from the first bytes of @filename (raw as fallback). */
BlockDriver *bdrv_probe_format(const uint8_t *buf, int buf_size,
                               const char *filename);

/* Byte-granular I/O on a child.  Negative errno on failure. */
int bdrv_preadv(BdrvChild *child, int64_t offset, int64_t bytes,
                QEMUIOVector *qiov, BdrvRequestFlags flags);
int bdrv_pwritev(BdrvChild *child, int64_t offset, int64_t bytes,
                 QEMUIOVector *qiov, BdrvRequestFlags flags);
int bdrv_pread(BdrvChild *child, int64_t offset, int64_t bytes,
               void *buf, BdrvRequestFlags flags);
int bdrv_pwrite(BdrvChild *child, int64_t offset, int64_t bytes,
                const void *buf, BdrvRequestFlags flags);
int bdrv_pwrite_zeroes(BdrvChild *child, int64_t offset, int64_t bytes,
                       BdrvRequestFlags flags);
int bdrv_pdiscard(BdrvChild *child, int64_t offset, int64_t bytes);
int bdrv_flush(BlockDriverState *bs);
int64_t bdrv_getlength(BlockDriverState *bs);
int bdrv_truncate(BdrvChild *child, int64_t offset, Error **errp);
int bdrv_check(BlockDriverState *bs, BdrvCheckResult *res);

/* Node-level variants (for the BlockBackend and tests). */
int bdrv_node_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                     QEMUIOVector *qiov, BdrvRequestFlags flags);
int bdrv_node_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      QEMUIOVector *qiov, BdrvRequestFlags flags);
int bdrv_node_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                            int64_t bytes, BdrvRequestFlags flags);
int bdrv_node_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes);

const char *bdrv_get_node_name(const BlockDriverState *bs);
const char *bdrv_get_format_name(const BlockDriverState *bs);
const char *bdrv_get_filename(const BlockDriverState *bs);
const char *bdrv_get_backing_filename(const BlockDriverState *bs);
bool bdrv_is_read_only(const BlockDriverState *bs);
BlockDriverState *bdrv_backing_bs(const BlockDriverState *bs);

/* Options-table helpers. */
GHashTable *bdrv_opts_new(void);
void bdrv_opts_set(GHashTable *opts, const char *key, const char *value);
/* Move "prefix.x" entries of @src into a new table as "x". */
GHashTable *bdrv_opts_extract_prefix(GHashTable *src, const char *prefix);

/* Create a qcow2 image of @size bytes, optionally over @backing_file. */
bool qcow2_create_file(const char *filename, int64_t size,
                       const char *backing_file, const char *backing_fmt,
                       Error **errp);

#endif /* BLOCK_BLOCK_H */
