/*
 * block-backend.c: BlockBackend, the device-facing end of a drive, and
 * the asynchronous request path through the worker pool.
 */
#include "qemu/osdep.h"
#include "sysemu/block-backend.h"
#include "block/block_int.h"

struct BlockBackend {
    char *name;                 /* -drive id, or NULL */
    BlockDriverState *root;
    int refcnt;
    bool enable_write_cache;
    BlockdevOnError on_read_error;
    BlockdevOnError on_write_error;
    BlockInterfaceType if_type;
    unsigned in_flight;         /* async requests not yet completed */
    char *attached_path;        /* device using it, for info block */
};

/* Every backend, in creation order; main thread. */
static GList *block_backends;

BlockBackend *blk_new_with_bs(BlockDriverState *bs)
{
    BlockBackend *blk = g_new0(BlockBackend, 1);

    blk->refcnt = 1;
    blk->root = bs;
    blk->enable_write_cache = true;
    blk->on_write_error = BLOCKDEV_ON_ERROR_ENOSPC;
    blk->on_read_error = BLOCKDEV_ON_ERROR_REPORT;
    bdrv_ref(bs);
    block_backends = g_list_append(block_backends, blk);
    return blk;
}

BlockBackend *blk_new_open(const char *filename, GHashTable *options,
                           int flags, Error **errp)
{
    BlockDriverState *bs = bdrv_open(filename, options, flags, errp);
    BlockBackend *blk;

    if (!bs) {
        return NULL;
    }
    blk = blk_new_with_bs(bs);
    bdrv_unref(bs);
    return blk;
}

void blk_ref(BlockBackend *blk)
{
    blk->refcnt++;
}

void blk_unref(BlockBackend *blk)
{
    if (!blk || --blk->refcnt > 0) {
        return;
    }
    blk_drain(blk);
    bdrv_flush(blk->root);
    bdrv_unref(blk->root);
    block_backends = g_list_remove(block_backends, blk);
    g_free(blk->attached_path);
    g_free(blk->name);
    g_free(blk);
}

bool blk_set_name(BlockBackend *blk, const char *name, Error **errp)
{
    if (blk_by_name(name)) {
        error_setg(errp, "Duplicate ID '%s' for drive", name);
        return false;
    }
    g_free(blk->name);
    blk->name = g_strdup(name);
    return true;
}

BlockBackend *blk_by_name(const char *name)
{
    for (GList *l = block_backends; l; l = l->next) {
        BlockBackend *blk = l->data;

        if (blk->name && !strcmp(blk->name, name)) {
            return blk;
        }
    }
    return NULL;
}

const char *blk_name(const BlockBackend *blk)
{
    return blk->name ? blk->name : "";
}

BlockDriverState *blk_bs(BlockBackend *blk)
{
    return blk->root;
}

BlockBackend *blk_next(BlockBackend *blk)
{
    GList *l = blk ? g_list_find(block_backends, blk) : NULL;

    if (!blk) {
        return block_backends ? block_backends->data : NULL;
    }
    return l && l->next ? l->next->data : NULL;
}

BlockBackend *blk_for_device(const char *name, Error **errp)
{
    BlockBackend *blk = blk_by_name(name);
    BlockDriverState *bs;

    if (blk) {
        blk_ref(blk);
        return blk;
    }
    bs = bdrv_find_node(name);
    if (!bs) {
        error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
                   name, name);
        return NULL;
    }
    return blk_new_with_bs(bs);
}

/* ---- synchronous I/O ---- */

/* Requests must lie inside the disk (guests get -EIO, as in QEMU). */
static int blk_check_byte_request(BlockBackend *blk, int64_t offset,
                                  int64_t bytes)
{
    int64_t len = bdrv_getlength(blk->root);

    if (len < 0) {
        return len;
    }
    if (offset < 0 || bytes < 0 || offset > len || len - offset < bytes) {
        return -EIO;
    }
    return 0;
}

int blk_preadv(BlockBackend *blk, int64_t offset, int64_t bytes,
               QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    int ret = blk_check_byte_request(blk, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    return bdrv_node_preadv(blk->root, offset, bytes, qiov, flags);
}

int blk_pwritev(BlockBackend *blk, int64_t offset, int64_t bytes,
                QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    int ret = blk_check_byte_request(blk, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    return bdrv_node_pwritev(blk->root, offset, bytes, qiov, flags);
}

int blk_pread(BlockBackend *blk, int64_t offset, int64_t bytes, void *buf,
              BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    int ret;

    qemu_iovec_init_buf(&qiov, buf, bytes);
    ret = blk_preadv(blk, offset, bytes, &qiov, flags);
    qemu_iovec_destroy(&qiov);
    return ret;
}

int blk_pwrite(BlockBackend *blk, int64_t offset, int64_t bytes,
               const void *buf, BdrvRequestFlags flags)
{
    QEMUIOVector qiov;
    int ret;

    qemu_iovec_init_buf(&qiov, (void *)buf, bytes);
    ret = blk_pwritev(blk, offset, bytes, &qiov, flags);
    qemu_iovec_destroy(&qiov);
    return ret;
}

int blk_pwrite_zeroes(BlockBackend *blk, int64_t offset, int64_t bytes,
                      BdrvRequestFlags flags)
{
    int ret = blk_check_byte_request(blk, offset, bytes);

    if (ret < 0) {
        return ret;
    }
    return bdrv_node_pwrite_zeroes(blk->root, offset, bytes, flags);
}

int blk_pdiscard(BlockBackend *blk, int64_t offset, int64_t bytes)
{
    int ret = blk_check_byte_request(blk, offset, bytes);

    return ret < 0 ? ret : bdrv_node_pdiscard(blk->root, offset, bytes);
}

int blk_flush(BlockBackend *blk)
{
    return bdrv_flush(blk->root);
}

int64_t blk_getlength(BlockBackend *blk)
{
    return bdrv_getlength(blk->root);
}

bool blk_is_read_only(BlockBackend *blk)
{
    return bdrv_is_read_only(blk->root);
}

/* ---- asynchronous I/O ---- */

typedef enum BlkAioOp {
    BLK_AIO_READ,
    BLK_AIO_WRITE,
    BLK_AIO_FLUSH,
    BLK_AIO_DISCARD,
    BLK_AIO_ZEROES,
} BlkAioOp;

typedef struct BlkAioReq {
    BlockBackend *blk;
    BlkAioOp op;
    int64_t offset;
    int64_t bytes;
    QEMUIOVector *qiov;
    BdrvRequestFlags flags;
    BlockCompletionFunc *cb;
    void *opaque;
} BlkAioReq;

/* Runs on a worker thread. */
static int blk_aio_work(void *arg)
{
    BlkAioReq *req = arg;
    BlockBackend *blk = req->blk;

    switch (req->op) {
    case BLK_AIO_READ:
        return blk_preadv(blk, req->offset, req->bytes, req->qiov,
                          req->flags);
    case BLK_AIO_WRITE:
        return blk_pwritev(blk, req->offset, req->bytes, req->qiov,
                           req->flags);
    case BLK_AIO_FLUSH:
        return bdrv_flush(blk->root);
    case BLK_AIO_DISCARD:
        return blk_pdiscard(blk, req->offset, req->bytes);
    case BLK_AIO_ZEROES:
        return blk_pwrite_zeroes(blk, req->offset, req->bytes, req->flags);
    }
    return -EINVAL;
}

/* Main thread, big lock: account, then hand the result to the device. */
static void blk_aio_complete(void *opaque, int ret)
{
    BlkAioReq *req = opaque;

    req->blk->in_flight--;
    req->cb(req->opaque, ret);
    blk_unref(req->blk);
    g_free(req);
}

static BlockAIOCB *blk_aio_submit(BlockBackend *blk, BlkAioOp op,
                                  int64_t offset, int64_t bytes,
                                  QEMUIOVector *qiov, BdrvRequestFlags flags,
                                  BlockCompletionFunc *cb, void *opaque)
{
    BlkAioReq *req = g_new0(BlkAioReq, 1);

    req->blk = blk;
    req->op = op;
    req->offset = offset;
    req->bytes = bytes;
    req->qiov = qiov;
    req->flags = flags;
    req->cb = cb;
    req->opaque = opaque;
    blk_ref(blk);
    blk->in_flight++;
    return thread_pool_submit_aio(blk_aio_work, req, blk_aio_complete, req);
}

BlockAIOCB *blk_aio_preadv(BlockBackend *blk, int64_t offset,
                           QEMUIOVector *qiov, BdrvRequestFlags flags,
                           BlockCompletionFunc *cb, void *opaque)
{
    return blk_aio_submit(blk, BLK_AIO_READ, offset, qiov->size, qiov,
                          flags, cb, opaque);
}

BlockAIOCB *blk_aio_pwritev(BlockBackend *blk, int64_t offset,
                            QEMUIOVector *qiov, BdrvRequestFlags flags,
                            BlockCompletionFunc *cb, void *opaque)
{
    return blk_aio_submit(blk, BLK_AIO_WRITE, offset, qiov->size, qiov,
                          flags, cb, opaque);
}

BlockAIOCB *blk_aio_flush(BlockBackend *blk, BlockCompletionFunc *cb,
                          void *opaque)
{
    return blk_aio_submit(blk, BLK_AIO_FLUSH, 0, 0, NULL, 0, cb, opaque);
}

BlockAIOCB *blk_aio_pdiscard(BlockBackend *blk, int64_t offset,
                             int64_t bytes, BlockCompletionFunc *cb,
                             void *opaque)
{
    return blk_aio_submit(blk, BLK_AIO_DISCARD, offset, bytes, NULL, 0,
                          cb, opaque);
}

BlockAIOCB *blk_aio_pwrite_zeroes(BlockBackend *blk, int64_t offset,
                                  int64_t bytes, BdrvRequestFlags flags,
                                  BlockCompletionFunc *cb, void *opaque)
{
    return blk_aio_submit(blk, BLK_AIO_ZEROES, offset, bytes, NULL, flags,
                          cb, opaque);
}

void blk_drain(BlockBackend *blk)
{
    while (blk->in_flight > 0) {
        thread_pool_wait_completions(100);
    }
}

void blk_drain_all(void)
{
    while (thread_pool_in_flight() > 0) {
        thread_pool_wait_completions(100);
    }
}

int blk_flush_all(void)
{
    int result = 0;

    blk_drain_all();
    for (GList *l = block_backends; l; l = l->next) {
        BlockBackend *blk = l->data;
        int ret = blk_is_read_only(blk) ? 0 : blk_flush(blk);

        if (ret < 0 && result == 0) {
            result = ret;
        }
    }
    return result;
}

/* ---- settings ---- */

bool blk_enable_write_cache(BlockBackend *blk)
{
    return blk->enable_write_cache;
}

void blk_set_enable_write_cache(BlockBackend *blk, bool wce)
{
    blk->enable_write_cache = wce;
}

void blk_set_on_error(BlockBackend *blk, BlockdevOnError on_read_error,
                      BlockdevOnError on_write_error)
{
    blk->on_read_error = on_read_error;
    blk->on_write_error = on_write_error;
}

BlockdevOnError blk_get_on_error(BlockBackend *blk, bool is_read)
{
    return is_read ? blk->on_read_error : blk->on_write_error;
}

BlockInterfaceType blk_get_if_type(BlockBackend *blk)
{
    return blk->if_type;
}

void blk_set_if_type(BlockBackend *blk, BlockInterfaceType type)
{
    blk->if_type = type;
}

/* ---- query-block ---- */

static const char *blk_cache_mode(BlockBackend *blk)
{
    int flags = blk->root->open_flags;

    if (flags & BDRV_O_NO_FLUSH) {
        return "unsafe";
    }
    if (flags & BDRV_O_NOCACHE) {
        return blk->enable_write_cache ? "none" : "directsync";
    }
    return blk->enable_write_cache ? "writeback" : "writethrough";
}

void blk_set_attached_path(BlockBackend *blk, const char *qom_path)
{
    g_free(blk->attached_path);
    blk->attached_path = g_strdup(qom_path);
}

static int backing_depth(BlockDriverState *bs)
{
    int depth = 0;

    while ((bs = bdrv_backing_bs(bs))) {
        depth++;
    }
    return depth;
}

GList *blk_query_all(void)
{
    GList *list = NULL;

    for (GList *l = block_backends; l; l = l->next) {
        BlockBackend *blk = l->data;
        BlockDriverState *bs = blk->root;
        BlockInfo *info;

        if (!blk->name) {
            continue;
        }
        info = g_new0(BlockInfo, 1);
        info->device = g_strdup(blk->name);
        info->node_name = g_strdup(bs->node_name);
        info->file = g_strdup(bs->filename);
        info->format = g_strdup(bdrv_get_format_name(bs));
        info->backing_file = g_strdup(bs->backing_file);
        info->read_only = bs->read_only;
        info->snapshot = bs->open_flags & BDRV_O_SNAPSHOT;
        info->cache_mode = g_strdup(blk_cache_mode(blk));
        info->cache_writeback = blk->enable_write_cache;
        info->cache_direct = bs->open_flags & BDRV_O_NOCACHE;
        info->cache_no_flush = bs->open_flags & BDRV_O_NO_FLUSH;
        info->backing_depth = backing_depth(bs);
        info->attached_to = g_strdup(blk->attached_path);
        info->size = bdrv_getlength(bs);
        list = g_list_append(list, info);
    }
    return list;
}

static void block_info_free(gpointer p)
{
    BlockInfo *info = p;

    g_free(info->device);
    g_free(info->node_name);
    g_free(info->file);
    g_free(info->format);
    g_free(info->backing_file);
    g_free(info->cache_mode);
    g_free(info->attached_to);
    g_free(info);
}

void block_info_list_free(GList *list)
{
    g_list_free_full(list, block_info_free);
}

static void hmp_info_one(GString *out, BlockInfo *info)
{
    g_string_append_printf(out, "%s (%s): %s (%s%s)\n", info->device,
                           info->node_name, info->file, info->format,
                           info->read_only ? ", read-only" : "");
    if (info->attached_to) {
        g_string_append_printf(out, "    Attached to:      %s\n",
                               info->attached_to);
    } else {
        g_string_append(out, "    Removable device: not locked, "
                        "tray closed\n");
    }
    g_string_append_printf(out, "    Cache mode:       %s%s%s\n",
                           info->cache_writeback ? "writeback"
                                                 : "writethrough",
                           info->cache_direct ? ", direct" : "",
                           info->cache_no_flush ? ", ignore flushes" : "");
    if (info->backing_file) {
        g_string_append_printf(out, "    Backing file:     %s (chain "
                               "depth: %d)\n", info->backing_file,
                               info->backing_depth);
    }
}

char *blk_hmp_info_block(void)
{
    GList *list = blk_query_all();
    GString *out = g_string_new(NULL);

    for (GList *l = list; l; l = l->next) {
        if (l != list) {
            g_string_append_c(out, '\n');
        }
        hmp_info_one(out, l->data);
    }
    block_info_list_free(list);
    return g_string_free(out, FALSE);
}
