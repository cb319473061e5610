/*
 * virtio-blk.c: the virtio block device (see hw/virtio/virtio-blk.h).
 *
 * A request is a chain: a 16-byte header the device reads (type,
 * reserved, sector), the data (read for OUT, written for IN), and a
 * status byte the device writes last.  A chain too short to hold the
 * header and the status is a protocol error that breaks the device; a
 * well-formed request the device cannot serve gets a status instead.
 */
#include "qemu/osdep.h"
#include "qemu/iov.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/cutils.h"
#include "qapi/error.h"
#include "qapi/qmp/qdict.h"
#include "monitor/qmp.h"
#include "hw/qdev-properties.h"
#include "sysemu/runstate.h"
#include "hw/virtio/virtio-blk.h"

/* QEMU's defaults for the discard/write-zeroes limits (sectors). */
#define VIRTIO_BLK_DEFAULT_MAX_DWZ_SECTORS  (BDRV_REQUEST_MAX_BYTES / \
                                             VIRTIO_BLK_SECTOR_SIZE - 1)
#define VIRTIO_BLK_AUTO_NUM_QUEUES          UINT16_MAX
/* Largest block request made by merging guest requests. */
#define VIRTIO_BLK_MERGE_MAX_BYTES          (1024 * 1024)

typedef struct VirtIOBlockReq {
    VirtQueueElement elem;      /* first: virtqueue_pop allocates it */
    VirtIOBlock *dev;
    VirtQueue *vq;
    uint32_t type;
    uint64_t sector;
    size_t in_len;              /* device-writable bytes, status included */
    QEMUIOVector qiov;          /* data buffers (IN/OUT) */
    int64_t offset;             /* bytes (discard / write zeroes) */
    int64_t bytes;
    BdrvRequestFlags flags;
    struct VirtIOBlockReq *mr_next;     /* next member of a merged run */
} VirtIOBlockReq;

/*
 * Reads or writes taken from the ring in one pass, contiguous on the
 * disk and in ring order, gathered to go down as one block request.
 */
typedef struct MultiReqBuffer {
    VirtIOBlockReq *head;
    VirtIOBlockReq *tail;
    unsigned num;
    int niov;                   /* data buffers of all members */
    size_t bytes;
} MultiReqBuffer;

/* A merged run in flight: the members' buffers as one vector. */
typedef struct MergedReq {
    QEMUIOVector qiov;
    VirtIOBlockReq *first;
} MergedReq;

/* Devices with requests held by werror=stop, retried on "cont". */
static GSList *stopped_devices;

static void virtio_blk_submit(VirtIOBlockReq *req);

/* ---- Completion ------------------------------------------------------- */

static void virtio_blk_req_complete(VirtIOBlockReq *req, uint8_t status)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(req->dev);

    iov_from_buf(req->elem.in_sg, req->elem.in_num, req->in_len - 1,
                 &status, 1);
    virtqueue_push(req->vq, &req->elem, req->in_len);
    virtio_notify(vdev, req->vq);
    qemu_iovec_destroy(&req->qiov);
    g_free(req);
}

static bool req_is_read(const VirtIOBlockReq *req)
{
    return req->type == VIRTIO_BLK_T_IN;
}

static void emit_io_error(VirtIOBlockReq *req, const char *action, int ret)
{
    QDict *data = qdict_new();

    qdict_put_str(data, "device", blk_name(req->dev->blk));
    qdict_put_str(data, "node-name",
                  bdrv_get_node_name(blk_bs(req->dev->blk)));
    qdict_put_str(data, "operation", req_is_read(req) ? "read" : "write");
    qdict_put_str(data, "action", action);
    qdict_put_bool(data, "nospace", ret == -ENOSPC);
    qdict_put_str(data, "reason", strerror(-ret));
    qapi_event_emit("BLOCK_IO_ERROR", data);
}

/*
 * Apply the drive's error policy to a failed request.  Returns true
 * when the request was taken care of (held for retry, or ignored).
 */
static bool virtio_blk_handle_error(VirtIOBlockReq *req, int ret)
{
    VirtIOBlock *s = req->dev;
    BlockdevOnError action = blk_get_on_error(s->blk, req_is_read(req));

    if (action == BLOCKDEV_ON_ERROR_STOP ||
        (action == BLOCKDEV_ON_ERROR_ENOSPC && ret == -ENOSPC)) {
        emit_io_error(req, "stop", ret);
        g_queue_push_tail(&s->retry, req);
        if (!g_slist_find(stopped_devices, s)) {
            stopped_devices = g_slist_prepend(stopped_devices, s);
        }
        vm_stop(RUN_STATE_IO_ERROR);
        return true;
    }
    if (action == BLOCKDEV_ON_ERROR_IGNORE) {
        emit_io_error(req, "ignore", ret);
        virtio_blk_req_complete(req, VIRTIO_BLK_S_OK);
        return true;
    }
    emit_io_error(req, "report", ret);
    return false;
}

static void virtio_blk_req_finish(VirtIOBlockReq *req, int ret)
{
    if (ret < 0 && virtio_blk_handle_error(req, ret)) {
        return;
    }
    virtio_blk_req_complete(req, ret < 0 ? VIRTIO_BLK_S_IOERR
                                         : VIRTIO_BLK_S_OK);
}

static void virtio_blk_io_done(void *opaque, int ret)
{
    VirtIOBlockReq *req = opaque;

    req->dev->inflight--;
    virtio_blk_req_finish(req, ret);
}

/*
 * Every member of a merged run gets the run's result; a held one
 * (werror=stop) is retried on its own.
 */
static void virtio_blk_mr_done(void *opaque, int ret)
{
    MergedReq *mr = opaque;
    VirtIOBlockReq *req = mr->first, *next;

    req->dev->inflight--;
    qemu_iovec_destroy(&mr->qiov);
    g_free(mr);
    for (; req; req = next) {
        next = req->mr_next;
        req->mr_next = NULL;
        virtio_blk_req_finish(req, ret);
    }
}

/* The VM runs again: resubmit what werror=stop held, oldest first. */
static void virtio_blk_retry_held(void *opaque, bool running,
                                  RunState state)
{
    GSList *devs;

    if (!running) {
        return;
    }
    devs = stopped_devices;
    stopped_devices = NULL;
    for (GSList *l = devs; l; l = l->next) {
        VirtIOBlock *s = l->data;
        VirtIOBlockReq *req;

        while ((req = g_queue_pop_head(&s->retry))) {
            virtio_blk_submit(req);
        }
    }
    g_slist_free(devs);
}

/* ---- Submission ------------------------------------------------------- */

static void virtio_blk_submit(VirtIOBlockReq *req)
{
    BlockBackend *blk = req->dev->blk;

    req->dev->inflight++;
    switch (req->type) {
    case VIRTIO_BLK_T_IN:
        blk_aio_preadv(blk, req->offset, &req->qiov, 0, virtio_blk_io_done,
                       req);
        break;
    case VIRTIO_BLK_T_OUT:
        blk_aio_pwritev(blk, req->offset, &req->qiov, req->flags,
                        virtio_blk_io_done, req);
        break;
    case VIRTIO_BLK_T_FLUSH:
        blk_aio_flush(blk, virtio_blk_io_done, req);
        break;
    case VIRTIO_BLK_T_DISCARD:
        blk_aio_pdiscard(blk, req->offset, req->bytes, virtio_blk_io_done,
                         req);
        break;
    case VIRTIO_BLK_T_WRITE_ZEROES:
        blk_aio_pwrite_zeroes(blk, req->offset, req->bytes, req->flags,
                              virtio_blk_io_done, req);
        break;
    default:
        g_assert_not_reached();
    }
}

/* Send the gathered run down, as one request if it has several. */
static void mrb_submit(VirtIOBlock *s, MultiReqBuffer *mrb)
{
    VirtIOBlockReq *first = mrb->head;
    MergedReq *mr;

    if (mrb->num == 0) {
        return;
    }
    mrb->head = mrb->tail = NULL;
    if (mrb->num == 1) {
        mrb->num = 0;
        virtio_blk_submit(first);
        return;
    }

    mr = g_new(MergedReq, 1);
    mr->first = first;
    qemu_iovec_init(&mr->qiov, mrb->niov);
    for (VirtIOBlockReq *m = first; m; m = m->mr_next) {
        qemu_iovec_concat(&mr->qiov, &m->qiov, 0, m->qiov.size);
    }
    mrb->num = 0;
    s->inflight++;
    if (first->type == VIRTIO_BLK_T_IN) {
        blk_aio_preadv(s->blk, first->offset, &mr->qiov, 0,
                       virtio_blk_mr_done, mr);
    } else {
        blk_aio_pwritev(s->blk, first->offset, &mr->qiov, first->flags,
                        virtio_blk_mr_done, mr);
    }
}

/* Append @req to the run if it continues it; else start a new run. */
static void mrb_add(VirtIOBlock *s, MultiReqBuffer *mrb, VirtIOBlockReq *req)
{
    VirtIOBlockReq *last = mrb->tail;

    if (last && (last->type != req->type || last->flags != req->flags ||
                 last->offset + (int64_t)last->qiov.size != req->offset ||
                 mrb->bytes + req->qiov.size > VIRTIO_BLK_MERGE_MAX_BYTES ||
                 mrb->niov + req->qiov.niov > IOV_MAX)) {
        mrb_submit(s, mrb);
        last = NULL;
    }
    if (last) {
        last->mr_next = req;
    } else {
        mrb->head = req;
        mrb->niov = 0;
        mrb->bytes = 0;
    }
    req->mr_next = NULL;
    mrb->tail = req;
    mrb->num++;
    mrb->niov += req->qiov.niov;
    mrb->bytes += req->qiov.size;
}

static uint64_t capacity_sectors(VirtIOBlock *s)
{
    int64_t len = blk_getlength(s->blk);

    return len > 0 ? (uint64_t)len >> VIRTIO_BLK_SECTOR_BITS : 0;
}

/* @nsectors at @sector lie inside the disk. */
static bool sector_range_ok(VirtIOBlock *s, uint64_t sector,
                            uint64_t nsectors)
{
    uint64_t cap = capacity_sectors(s);

    return sector <= cap && nsectors <= cap - sector;
}

/* Data buffers: @bytes of @iov from @skip, as req->qiov. */
static void req_take_data(VirtIOBlockReq *req, struct iovec *iov,
                          unsigned cnt, size_t skip, size_t bytes)
{
    QEMUIOVector src;

    qemu_iovec_init_external(&src, iov, cnt);
    qemu_iovec_concat(&req->qiov, &src, skip, bytes);
}

/* IN and OUT: returns a status to complete with, or -1 once queued. */
static int virtio_blk_rw(VirtIOBlock *s, VirtIOBlockReq *req,
                         MultiReqBuffer *mrb)
{
    VirtQueueElement *e = &req->elem;
    bool is_write = req->type == VIRTIO_BLK_T_OUT;
    size_t bytes = is_write
        ? iov_size(e->out_sg, e->out_num) - VIRTIO_BLK_OUTHDR_SIZE
        : req->in_len - 1;

    if (bytes % VIRTIO_BLK_SECTOR_SIZE || bytes > BDRV_REQUEST_MAX_BYTES ||
        !sector_range_ok(s, req->sector, bytes >> VIRTIO_BLK_SECTOR_BITS)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: %s of %zu bytes at sector %"
                      PRIu64 " outside the disk or not whole sectors\n",
                      __func__, is_write ? "write" : "read", bytes,
                      req->sector);
        return VIRTIO_BLK_S_IOERR;
    }
    if (is_write && blk_is_read_only(s->blk)) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (is_write) {
        req_take_data(req, e->out_sg, e->out_num, VIRTIO_BLK_OUTHDR_SIZE,
                      bytes);
        /* Write cache off (writethrough): durable before completion. */
        req->flags = blk_enable_write_cache(s->blk) ? 0 : BDRV_REQ_FUA;
    } else {
        req_take_data(req, e->in_sg, e->in_num, 0, bytes);
    }
    req->offset = req->sector << VIRTIO_BLK_SECTOR_BITS;
    mrb_add(s, mrb, req);
    return -1;
}

/* DISCARD and WRITE_ZEROES with their one segment. */
static int virtio_blk_dwz(VirtIOBlock *s, VirtIOBlockReq *req)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    VirtQueueElement *e = &req->elem;
    bool wz = req->type == VIRTIO_BLK_T_WRITE_ZEROES;
    size_t len = iov_size(e->out_sg, e->out_num) - VIRTIO_BLK_OUTHDR_SIZE;
    uint8_t seg[VIRTIO_BLK_DWZ_SEG_SIZE];
    uint64_t sector;
    uint32_t num, flags, max;

    if (!virtio_vdev_has_feature(vdev, wz ? VIRTIO_BLK_F_WRITE_ZEROES
                                          : VIRTIO_BLK_F_DISCARD) ||
        len != VIRTIO_BLK_DWZ_SEG_SIZE) {
        return VIRTIO_BLK_S_UNSUPP;     /* max_*_seg is 1 */
    }
    iov_to_buf(e->out_sg, e->out_num, VIRTIO_BLK_OUTHDR_SIZE, seg, len);
    memcpy(&sector, seg, 8);
    memcpy(&num, seg + 8, 4);
    memcpy(&flags, seg + 12, 4);
    sector = GUINT64_FROM_LE(sector);
    num = GUINT32_FROM_LE(num);
    flags = GUINT32_FROM_LE(flags);

    /* Unmap is only meaningful for write zeroes; other bits reserved. */
    if (flags & ~(uint32_t)(wz ? VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP : 0)) {
        return VIRTIO_BLK_S_UNSUPP;
    }
    max = wz ? s->max_write_zeroes_sectors : s->max_discard_sectors;
    if (num > max || !sector_range_ok(s, sector, num) ||
        blk_is_read_only(s->blk)) {
        return VIRTIO_BLK_S_IOERR;
    }
    req->offset = (int64_t)sector << VIRTIO_BLK_SECTOR_BITS;
    req->bytes = (int64_t)num << VIRTIO_BLK_SECTOR_BITS;
    req->flags = (flags & VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP)
                 ? BDRV_REQ_MAY_UNMAP : 0;
    if (num == 0) {
        return VIRTIO_BLK_S_OK;
    }
    virtio_blk_submit(req);
    return -1;
}

static int virtio_blk_get_id(VirtIOBlock *s, VirtIOBlockReq *req)
{
    char id[VIRTIO_BLK_ID_BYTES] = "";

    if (s->serial) {
        memcpy(id, s->serial, MIN(strlen(s->serial), sizeof(id)));
    }
    iov_from_buf(req->elem.in_sg, req->elem.in_num, 0, id,
                 MIN(sizeof(id), req->in_len - 1));
    return VIRTIO_BLK_S_OK;
}

static void virtio_blk_handle_request(VirtIOBlock *s, VirtQueue *vq,
                                      VirtIOBlockReq *req,
                                      MultiReqBuffer *mrb)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(s);
    VirtQueueElement *e = &req->elem;
    uint8_t hdr[VIRTIO_BLK_OUTHDR_SIZE];
    int status;

    req->dev = s;
    req->vq = vq;
    qemu_iovec_init(&req->qiov, 1);
    req->in_len = iov_size(e->in_sg, e->in_num);
    if (iov_size(e->out_sg, e->out_num) < VIRTIO_BLK_OUTHDR_SIZE ||
        req->in_len < 1) {
        virtio_error(vdev, "request without header or status byte");
        virtqueue_detach_element(vq, e, 0);
        qemu_iovec_destroy(&req->qiov);
        g_free(req);
        return;
    }
    iov_to_buf(e->out_sg, e->out_num, 0, hdr, sizeof(hdr));
    memcpy(&req->type, hdr, 4);
    memcpy(&req->sector, hdr + 8, 8);
    req->type = GUINT32_FROM_LE(req->type);
    req->sector = GUINT64_FROM_LE(req->sector);

    /* Anything but a read or write goes down after the run before it. */
    if (req->type != VIRTIO_BLK_T_IN && req->type != VIRTIO_BLK_T_OUT) {
        mrb_submit(s, mrb);
    }
    switch (req->type) {
    case VIRTIO_BLK_T_IN:
    case VIRTIO_BLK_T_OUT:
        status = virtio_blk_rw(s, req, mrb);
        break;
    case VIRTIO_BLK_T_FLUSH:
        virtio_blk_submit(req);
        status = -1;
        break;
    case VIRTIO_BLK_T_GET_ID:
        status = virtio_blk_get_id(s, req);
        break;
    case VIRTIO_BLK_T_DISCARD:
    case VIRTIO_BLK_T_WRITE_ZEROES:
        status = virtio_blk_dwz(s, req);
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
    }
    if (status >= 0) {
        virtio_blk_req_complete(req, status);
    }
}

static void virtio_blk_handle_output(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    MultiReqBuffer mrb = { 0 };
    VirtIOBlockReq *req;

    /*
     * Take everything; ask for a kick again only once the ring is dry.
     * Contiguous reads or writes in a row go down merged, as in QEMU.
     */
    do {
        virtio_queue_set_notification(vq, 0);
        while ((req = virtqueue_pop(vq, sizeof(VirtIOBlockReq)))) {
            virtio_blk_handle_request(s, vq, req, &mrb);
        }
        mrb_submit(s, &mrb);
        virtio_queue_set_notification(vq, 1);
    } while (!virtio_queue_empty(vq));
}

/* ---- Configuration and features --------------------------------------- */

static void put_le32(uint8_t *config, unsigned off, uint32_t val)
{
    val = GUINT32_TO_LE(val);
    memcpy(config + off, &val, 4);
}

static void virtio_blk_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);
    uint64_t cap = GUINT64_TO_LE(capacity_sectors(s));
    uint16_t nq = GUINT16_TO_LE(s->nqueues);

    memset(config, 0, VIRTIO_BLK_CFG_SIZE);
    memcpy(config + VIRTIO_BLK_CFG_CAPACITY, &cap, 8);
    put_le32(config, VIRTIO_BLK_CFG_SEG_MAX, s->queue_size - 2);
    put_le32(config, VIRTIO_BLK_CFG_BLK_SIZE, VIRTIO_BLK_SECTOR_SIZE);
    config[VIRTIO_BLK_CFG_WRITEBACK] = blk_enable_write_cache(s->blk);
    memcpy(config + VIRTIO_BLK_CFG_NUM_QUEUES, &nq, 2);
    put_le32(config, VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS,
             s->max_discard_sectors);
    put_le32(config, VIRTIO_BLK_CFG_MAX_DISCARD_SEG, 1);
    put_le32(config, VIRTIO_BLK_CFG_DISCARD_ALIGNMENT, 1);
    put_le32(config, VIRTIO_BLK_CFG_MAX_WZ_SECTORS,
             s->max_write_zeroes_sectors);
    put_le32(config, VIRTIO_BLK_CFG_MAX_WZ_SEG, 1);
    config[VIRTIO_BLK_CFG_WZ_MAY_UNMAP] = 1;
}

/* Only "writeback" is writable (with VIRTIO_BLK_F_CONFIG_WCE). */
static void virtio_blk_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (!virtio_vdev_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE)) {
        return;
    }
    blk_set_enable_write_cache(s->blk, config[VIRTIO_BLK_CFG_WRITEBACK]);
}

/* A driver that cannot toggle the cache gets one iff it can flush. */
static void virtio_blk_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (!virtio_has_feature(features, VIRTIO_BLK_F_CONFIG_WCE)) {
        blk_set_enable_write_cache(s->blk,
                                   virtio_has_feature(features,
                                                      VIRTIO_BLK_F_FLUSH));
    }
}

static uint64_t virtio_blk_get_features(VirtIODevice *vdev,
                                        uint64_t features, Error **errp)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    virtio_add_feature(&features, VIRTIO_BLK_F_SEG_MAX);
    virtio_add_feature(&features, VIRTIO_BLK_F_BLK_SIZE);
    virtio_add_feature(&features, VIRTIO_BLK_F_FLUSH);
    if (s->config_wce) {
        virtio_add_feature(&features, VIRTIO_BLK_F_CONFIG_WCE);
    }
    if (blk_is_read_only(s->blk)) {
        virtio_add_feature(&features, VIRTIO_BLK_F_RO);
    }
    if (s->nqueues > 1) {
        virtio_add_feature(&features, VIRTIO_BLK_F_MQ);
    }
    if (s->discard) {
        virtio_add_feature(&features, VIRTIO_BLK_F_DISCARD);
    }
    if (s->write_zeroes) {
        virtio_add_feature(&features, VIRTIO_BLK_F_WRITE_ZEROES);
    }
    return features;
}

/* ---- Life cycle ------------------------------------------------------- */

/* Drop requests held for a retry (their queue is going away). */
static void virtio_blk_drop_held(VirtIOBlock *s)
{
    VirtIOBlockReq *req;

    while ((req = g_queue_pop_head(&s->retry))) {
        qemu_iovec_destroy(&req->qiov);
        g_free(req);
    }
    stopped_devices = g_slist_remove(stopped_devices, s);
}

/* Requests in flight complete into the rings before they are reset. */
static void virtio_blk_reset(VirtIODevice *vdev)
{
    VirtIOBlock *s = VIRTIO_BLK(vdev);

    if (s->blk) {
        blk_drain(s->blk);
    }
    virtio_blk_drop_held(s);
}

static bool virtio_blk_check_props(VirtIOBlock *s, Error **errp)
{
    if (!s->drive) {
        error_setg(errp, "drive property not set");
        return false;
    }
    if (s->queue_size <= 2 || !is_power_of_2(s->queue_size) ||
        s->queue_size > VIRTQUEUE_MAX_SIZE) {
        error_setg(errp, "invalid queue-size property (%u), must be a "
                   "power of 2 between 4 and %d", s->queue_size,
                   VIRTQUEUE_MAX_SIZE);
        return false;
    }
    s->nqueues = s->num_queues == VIRTIO_BLK_AUTO_NUM_QUEUES
                 ? 1 : s->num_queues;
    if (s->nqueues == 0 || s->nqueues > VIRTIO_QUEUE_MAX) {
        error_setg(errp, "num-queues property must be between 1 and %d",
                   VIRTIO_QUEUE_MAX);
        return false;
    }
    if (!s->max_discard_sectors || !s->max_write_zeroes_sectors ||
        s->max_discard_sectors > VIRTIO_BLK_DEFAULT_MAX_DWZ_SECTORS ||
        s->max_write_zeroes_sectors > VIRTIO_BLK_DEFAULT_MAX_DWZ_SECTORS) {
        error_setg(errp, "max-discard-sectors and max-write-zeroes-sectors "
                   "must be between 1 and %" PRId64,
                   (int64_t)VIRTIO_BLK_DEFAULT_MAX_DWZ_SECTORS);
        return false;
    }
    return true;
}

static void virtio_blk_device_realize(DeviceState *dev, Error **errp)
{
    static bool retry_handler_added;
    VirtIOBlock *s = VIRTIO_BLK(dev);
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    g_autofree char *path = NULL;

    if (!virtio_blk_check_props(s, errp)) {
        return;
    }
    s->blk = blk_for_device(s->drive, errp);
    if (!s->blk) {
        return;
    }
    path = object_get_canonical_path(OBJECT(dev));
    blk_set_attached_path(s->blk, path);
    g_queue_init(&s->retry);
    if (!retry_handler_added) {
        qemu_add_vm_change_state_handler(virtio_blk_retry_held, NULL);
        retry_handler_added = true;
    }

    virtio_init(vdev, VIRTIO_ID_BLOCK, VIRTIO_BLK_CFG_SIZE);
    for (unsigned i = 0; i < s->nqueues; i++) {
        virtio_add_queue(vdev, s->queue_size, virtio_blk_handle_output);
    }
}

static void virtio_blk_device_unrealize(DeviceState *dev)
{
    VirtIOBlock *s = VIRTIO_BLK(dev);

    blk_drain(s->blk);
    virtio_blk_drop_held(s);
    blk_set_attached_path(s->blk, NULL);
    blk_unref(s->blk);
    s->blk = NULL;
    virtio_cleanup(VIRTIO_DEVICE(dev));
}

static Property virtio_blk_properties[] = {
    DEFINE_PROP_STRING("drive", VirtIOBlock, drive),
    DEFINE_PROP_STRING("serial", VirtIOBlock, serial),
    DEFINE_PROP_UINT16("num-queues", VirtIOBlock, num_queues,
                       VIRTIO_BLK_AUTO_NUM_QUEUES),
    DEFINE_PROP_UINT16("queue-size", VirtIOBlock, queue_size, 256),
    DEFINE_PROP_BOOL("config-wce", VirtIOBlock, config_wce, true),
    DEFINE_PROP_BOOL("discard", VirtIOBlock, discard, true),
    DEFINE_PROP_BOOL("write-zeroes", VirtIOBlock, write_zeroes, true),
    DEFINE_PROP_UINT32("max-discard-sectors", VirtIOBlock,
                       max_discard_sectors,
                       VIRTIO_BLK_DEFAULT_MAX_DWZ_SECTORS),
    DEFINE_PROP_UINT32("max-write-zeroes-sectors", VirtIOBlock,
                       max_write_zeroes_sectors,
                       VIRTIO_BLK_DEFAULT_MAX_DWZ_SECTORS),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_blk_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->desc = "Virtio block device";
    device_class_set_category(dc, DEVICE_CATEGORY_STORAGE);
    device_class_set_props(dc, virtio_blk_properties);
    vdc->realize = virtio_blk_device_realize;
    vdc->unrealize = virtio_blk_device_unrealize;
    vdc->get_features = virtio_blk_get_features;
    vdc->set_features = virtio_blk_set_features;
    vdc->get_config = virtio_blk_get_config;
    vdc->set_config = virtio_blk_set_config;
    vdc->reset = virtio_blk_reset;
}

static const TypeInfo virtio_blk_info = {
    .name = TYPE_VIRTIO_BLK,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOBlock),
    .class_init = virtio_blk_class_init,
};

static void virtio_blk_register_types(void)
{
    type_register_static(&virtio_blk_info);
}

type_init(virtio_blk_register_types)
