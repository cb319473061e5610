/*
 * block-backend.h: the front of a block node graph that devices use.
 *
 * A BlockBackend holds the root node of a drive, its name (-drive id=),
 * its error policy and write-cache mode.  Threads: everything here runs
 * in the main thread with the big lock held, except the synchronous I/O
 * functions (blk_pread ... blk_flush, blk_getlength), which block until
 * done and may run on any thread (the worker pool uses them); the
 * blk_aio_* functions
 * queue the request on the block worker pool and call @cb later, in the
 * main thread under the big lock (see block/thread-pool.h).  Byte offsets
 * and lengths throughout; results are 0 or a negative errno.
 */
#ifndef SYSEMU_BLOCK_BACKEND_H
#define SYSEMU_BLOCK_BACKEND_H

#include "block/block.h"
#include "block/thread-pool.h"

typedef struct BlockBackend BlockBackend;

/* -drive werror=/rerror= policy. */
typedef enum BlockdevOnError {
    BLOCKDEV_ON_ERROR_REPORT,
    BLOCKDEV_ON_ERROR_IGNORE,
    BLOCKDEV_ON_ERROR_ENOSPC,
    BLOCKDEV_ON_ERROR_STOP,
    BLOCKDEV_ON_ERROR_AUTO,
} BlockdevOnError;

/* -drive if= */
typedef enum BlockInterfaceType {
    IF_NONE,
    IF_VIRTIO,
} BlockInterfaceType;

/* Open @filename with @options (owned; may be NULL) and BDRV_O_* @flags. */
BlockBackend *blk_new_open(const char *filename, GHashTable *options,
                           int flags, Error **errp);
/* A backend over an existing node (takes a new reference on @bs). */
BlockBackend *blk_new_with_bs(BlockDriverState *bs);
void blk_ref(BlockBackend *blk);
/* Drop a reference; the last one drains, flushes and closes. */
void blk_unref(BlockBackend *blk);

/* Give @blk the name @name (-drive id=); false if taken. */
bool blk_set_name(BlockBackend *blk, const char *name, Error **errp);
BlockBackend *blk_by_name(const char *name);
const char *blk_name(const BlockBackend *blk);
BlockDriverState *blk_bs(BlockBackend *blk);
/* Iterate: NULL gives the first backend. */
BlockBackend *blk_next(BlockBackend *blk);
/*
 * The backend a device's drive=NAME property means: a named backend, or
 * else a new backend over the node called NAME (-blockdev node-name=).
 */
BlockBackend *blk_for_device(const char *name, Error **errp);

int blk_pread(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf,
              BdrvRequestFlags flags);
int blk_pwrite(BlockBackend *blk, int64_t offset, int64_t bytes,
               const void *buf, BdrvRequestFlags flags);
int blk_preadv(BlockBackend *blk, int64_t offset, int64_t bytes,
               QEMUIOVector *qiov, BdrvRequestFlags flags);
int blk_pwritev(BlockBackend *blk, int64_t offset, int64_t bytes,
                QEMUIOVector *qiov, BdrvRequestFlags flags);
int blk_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BdrvRequestFlags flags);
int blk_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes);
int blk_flush(BlockBackend *blk);
int64_t blk_getlength(BlockBackend *blk);
bool blk_is_read_only(BlockBackend *blk);

/* @qiov must stay valid until @cb runs. */
BlockAIOCB *blk_aio_preadv(BlockBackend *blk, int64_t offset,
                           QEMUIOVector *qiov, BdrvRequestFlags flags,
                           BlockCompletionFunc *cb, void *opaque);
BlockAIOCB *blk_aio_pwritev(BlockBackend *blk, int64_t offset,
                            QEMUIOVector *qiov, BdrvRequestFlags flags,
                            BlockCompletionFunc *cb, void *opaque);
BlockAIOCB *blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb,
                          void *opaque);
BlockAIOCB *blk_aio_pdiscard(BlockBackend *blk, int64_t offset,
                             int64_t bytes, BlockCompletionFunc *cb,
                             void *opaque);
BlockAIOCB *blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset,
                                  int64_t bytes, BdrvRequestFlags flags,
                                  BlockCompletionFunc *cb, void *opaque);
/* Wait until every request on @blk has completed (callbacks run). */
void blk_drain(BlockBackend *blk);
void blk_drain_all(void);
/* Drain and flush every backend (at exit); first error or 0. */
int blk_flush_all(void);

/* Guest-visible write cache (false for writethrough and directsync). */
bool blk_enable_write_cache(BlockBackend *blk);
void blk_set_enable_write_cache(BlockBackend *blk, bool wce);
void blk_set_on_error(BlockBackend *blk, BlockdevOnError on_read_error,
                      BlockdevOnError on_write_error);
BlockdevOnError blk_get_on_error(BlockBackend *blk, bool is_read);
BlockInterfaceType blk_get_if_type(BlockBackend *blk);
void blk_set_if_type(BlockBackend *blk, BlockInterfaceType type);

/*
 * -drive and -blockdev (block/blockdev.c).  Errors use QEMU's texts; the
 * caller adds the option prefix (error_report with a Location).
 */
BlockBackend *drive_new_from_opts(const char *drive_text, Error **errp);
/* The same from an already parsed -drive (QemuOpts; its id is id=). */
typedef struct QemuOpts QemuOpts;
BlockBackend *drive_new_from_qemu_opts(QemuOpts *opts, Error **errp);
BlockDriverState *blockdev_new_from_opts(const char *blockdev_text,
                                         Error **errp);
/* Split "a=b,c=d" (",," escapes a comma) into a new options table. */
GHashTable *block_parse_keyval(const char *text, Error **errp);

/* query-block / info block: one record per named backend. */
typedef struct BlockInfo {
    char *device;               /* -drive id */
    char *node_name;
    char *file;                 /* image path */
    char *format;               /* "raw", "qcow2" */
    char *backing_file;         /* or NULL */
    bool read_only;
    bool encrypted;
    bool snapshot;              /* snapshot=on */
    char *cache_mode;           /* the -drive cache= name: "none", ... */
    bool cache_writeback;       /* query-block "cache" members */
    bool cache_direct;
    bool cache_no_flush;
    int backing_depth;          /* backing files below the top image */
    char *attached_to;          /* device path, or NULL */
    int64_t size;               /* virtual size in bytes */
} BlockInfo;

/* List of BlockInfo *, in creation order; free with block_info_list_free */
GList *blk_query_all(void);
void block_info_list_free(GList *list);
/* HMP "info block" text, in QEMU 7.2's layout (caller frees). */
char *blk_hmp_info_block(void);

/* The device (QOM path) a backend is attached to; NULL to detach. */
void blk_set_attached_path(BlockBackend *blk, const char *qom_path);

#endif /* SYSEMU_BLOCK_BACKEND_H */
