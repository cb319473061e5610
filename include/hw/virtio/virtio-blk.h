/*
 * virtio-blk.h: the virtio block device (virtio 1.x section 5.2).
 *
 * "-device virtio-blk-device,drive=ID" on a virtio bus.  Requests run
 * asynchronously on the block layer's worker pool: the queue handler
 * (vCPU thread, big lock) only parses and submits, and each completion
 * (main thread, big lock) writes the status byte, pushes the used
 * element and interrupts the guest.  Errors follow the drive's
 * rerror=/werror= policy: report (VIRTIO_BLK_S_IOERR), ignore, enospc,
 * or stop (the VM pauses in state io-error; "cont" retries the request).
 */
#ifndef HW_VIRTIO_VIRTIO_BLK_H
#define HW_VIRTIO_VIRTIO_BLK_H

#include "hw/virtio/virtio.h"
#include "sysemu/block-backend.h"

#define TYPE_VIRTIO_BLK "virtio-blk-device"
OBJECT_DECLARE_SIMPLE_TYPE(VirtIOBlock, VIRTIO_BLK)

/* Feature bits. */
#define VIRTIO_BLK_F_SIZE_MAX       1
#define VIRTIO_BLK_F_SEG_MAX        2
#define VIRTIO_BLK_F_GEOMETRY       4
#define VIRTIO_BLK_F_RO             5
#define VIRTIO_BLK_F_BLK_SIZE       6
#define VIRTIO_BLK_F_FLUSH          9
#define VIRTIO_BLK_F_TOPOLOGY       10
#define VIRTIO_BLK_F_CONFIG_WCE     11
#define VIRTIO_BLK_F_MQ             12
#define VIRTIO_BLK_F_DISCARD        13
#define VIRTIO_BLK_F_WRITE_ZEROES   14

/* Request types and status values. */
#define VIRTIO_BLK_T_IN             0
#define VIRTIO_BLK_T_OUT            1
#define VIRTIO_BLK_T_FLUSH          4
#define VIRTIO_BLK_T_GET_ID         8
#define VIRTIO_BLK_T_DISCARD        11
#define VIRTIO_BLK_T_WRITE_ZEROES   13
#define VIRTIO_BLK_S_OK             0
#define VIRTIO_BLK_S_IOERR          1
#define VIRTIO_BLK_S_UNSUPP         2

/* Flag of a discard/write-zeroes segment. */
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 1

#define VIRTIO_BLK_SECTOR_BITS      9
#define VIRTIO_BLK_SECTOR_SIZE      512
#define VIRTIO_BLK_ID_BYTES         20
/* Bytes of the request header (type, reserved, sector). */
#define VIRTIO_BLK_OUTHDR_SIZE      16
/* Bytes of one discard/write-zeroes segment (sector, num, flags). */
#define VIRTIO_BLK_DWZ_SEG_SIZE     16

/* Configuration space offsets (little-endian fields). */
#define VIRTIO_BLK_CFG_CAPACITY             0   /* le64, sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX             8   /* le32 */
#define VIRTIO_BLK_CFG_SEG_MAX              12  /* le32 */
#define VIRTIO_BLK_CFG_GEOMETRY             16  /* le16 + 2 x u8 */
#define VIRTIO_BLK_CFG_BLK_SIZE             20  /* le32 */
#define VIRTIO_BLK_CFG_TOPOLOGY             24  /* 8 bytes */
#define VIRTIO_BLK_CFG_WRITEBACK            32  /* u8 */
#define VIRTIO_BLK_CFG_NUM_QUEUES           34  /* le16 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS  36  /* le32 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SEG      40  /* le32 */
#define VIRTIO_BLK_CFG_DISCARD_ALIGNMENT    44  /* le32, sectors */
#define VIRTIO_BLK_CFG_MAX_WZ_SECTORS       48  /* le32 */
#define VIRTIO_BLK_CFG_MAX_WZ_SEG           52  /* le32 */
#define VIRTIO_BLK_CFG_WZ_MAY_UNMAP         56  /* u8 */
#define VIRTIO_BLK_CFG_SIZE                 60

struct VirtIOBlock {
    VirtIODevice parent_obj;

    /* Properties. */
    char *drive;
    char *serial;
    uint16_t num_queues;        /* 65535: automatic (1) */
    uint16_t queue_size;
    bool config_wce;
    bool discard;
    bool write_zeroes;
    uint32_t max_discard_sectors;
    uint32_t max_write_zeroes_sectors;

    BlockBackend *blk;
    unsigned int nqueues;
    GQueue retry;               /* VirtIOBlockReq * held by werror=stop */
    unsigned int inflight;      /* submitted to the block layer */
};

#endif /* HW_VIRTIO_VIRTIO_BLK_H */
