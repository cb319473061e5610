/*
 * qcow2-create.c: write a new, empty qcow2 version 3 image (used for the
 * temporary overlay of snapshot=on and by tests).
 *
 * Layout, 64 KiB clusters: 0 header (+ extensions, backing name),
 * 1 refcount table, 2 refcount block 0, 3.. L1 table.
 */
#include "qemu/osdep.h"
#include "qcow2.h"

#define CREATE_CLUSTER_BITS 16

/* Header extensions and the backing name, after the v3 header. */
static size_t put_backing(uint8_t *hdr, const char *backing_file,
                          const char *backing_fmt)
{
    size_t off = QCOW2_HDR_V3_LENGTH;
    size_t name_len;

    if (backing_fmt) {
        size_t len = strlen(backing_fmt);

        stl_be_p(hdr + off, QCOW2_EXT_BACKING_FORMAT);
        stl_be_p(hdr + off + 4, len);
        memcpy(hdr + off + 8, backing_fmt, len);
        off += 8 + ROUND_UP(len, 8);
    }
    off += 8;                           /* end-of-extensions marker */
    if (backing_file) {
        name_len = strlen(backing_file);
        memcpy(hdr + off, backing_file, name_len);
        stq_be_p(hdr + 8, off);
        stl_be_p(hdr + 16, name_len);
        off += name_len;
    }
    return off;
}

bool qcow2_create_file(const char *filename, int64_t size,
                       const char *backing_file, const char *backing_fmt,
                       Error **errp)
{
    const int64_t cs = INT64_C(1) << CREATE_CLUSTER_BITS;
    uint64_t l1_entries = MAX(DIV_ROUND_UP(size, cs * (cs / 8)), 1);
    uint64_t l1_clusters = DIV_ROUND_UP(l1_entries * 8, cs);
    uint64_t n = 3 + l1_clusters;
    g_autofree uint8_t *img = g_malloc0(n * cs);
    ssize_t written;
    int fd;

    if ((backing_file && strlen(backing_file) > 1023) ||
        (backing_fmt && strlen(backing_fmt) > 64)) {
        error_setg(errp, "backing file name too long");
        return false;
    }

    /* Header (version 3, 16-bit refcounts, no features). */
    stl_be_p(img + 0, QCOW_MAGIC);
    stl_be_p(img + 4, 3);
    stl_be_p(img + 20, CREATE_CLUSTER_BITS);
    stq_be_p(img + 24, size);
    stl_be_p(img + 36, l1_entries);
    stq_be_p(img + 40, 3 * cs);
    stq_be_p(img + QCOW2_HDR_REFCOUNT_TABLE, cs);
    stl_be_p(img + 56, 1);
    stl_be_p(img + 96, 4);
    stl_be_p(img + 100, QCOW2_HDR_V3_LENGTH);
    put_backing(img, backing_file, backing_fmt);

    /* One refcount block, counting the image's own clusters. */
    stq_be_p(img + cs, 2 * cs);
    for (uint64_t i = 0; i < n; i++) {
        img[2 * cs + 2 * i + 1] = 1;
    }

    fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not create '%s'", filename);
        return false;
    }
    written = pwrite(fd, img, n * cs, 0);
    if (written != (ssize_t)(n * cs)) {
        error_setg_errno(errp, written < 0 ? errno : EIO,
                         "Could not write '%s'", filename);
        close(fd);
        return false;
    }
    close(fd);
    return true;
}
