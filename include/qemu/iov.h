/*
 * iov.h: scatter/gather vectors (struct iovec) and QEMUIOVector.
 *
 * A QEMUIOVector owns its iovec array (not the buffers it points to).
 * None of these functions take locks; a vector is used by one thread at a
 * time (the block layer hands it to a worker and gets it back on
 * completion).  Offsets and sizes are in bytes.
 */
#ifndef QEMU_IOV_H
#define QEMU_IOV_H

#include <sys/uio.h>

/* Total bytes described by @iov[0..iov_cnt). */
size_t iov_size(const struct iovec *iov, unsigned int iov_cnt);

/* Copy between a vector (starting @offset bytes in) and a flat buffer. */
size_t iov_from_buf(const struct iovec *iov, unsigned int iov_cnt,
                    size_t offset, const void *buf, size_t bytes);
size_t iov_to_buf(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, void *buf, size_t bytes);
/* Fill @bytes of the vector from @offset with @fillc; returns bytes set. */
size_t iov_memset(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, int fillc, size_t bytes);

typedef struct QEMUIOVector {
    struct iovec *iov;
    int niov;       /* entries in use */
    int nalloc;     /* entries allocated; -1 for an external array */
    size_t size;    /* sum of iov_len */
} QEMUIOVector;

void qemu_iovec_init(QEMUIOVector *qiov, int alloc_hint);
/* Wrap a caller-owned array; _add() is then not allowed. */
void qemu_iovec_init_external(QEMUIOVector *qiov, struct iovec *iov,
                              int niov);
/* One-element vector over @buf (the iovec array is allocated). */
void qemu_iovec_init_buf(QEMUIOVector *qiov, void *buf, size_t len);
void qemu_iovec_add(QEMUIOVector *qiov, void *base, size_t len);
/* Append @bytes of @src starting at @soffset (same buffers, no copy). */
void qemu_iovec_concat(QEMUIOVector *dst, QEMUIOVector *src,
                       size_t soffset, size_t bytes);
void qemu_iovec_destroy(QEMUIOVector *qiov);
/* Drop all entries, keep the allocation. */
void qemu_iovec_reset(QEMUIOVector *qiov);

size_t qemu_iovec_to_buf(QEMUIOVector *qiov, size_t offset,
                         void *buf, size_t bytes);
size_t qemu_iovec_from_buf(QEMUIOVector *qiov, size_t offset,
                           const void *buf, size_t bytes);
size_t qemu_iovec_memset(QEMUIOVector *qiov, size_t offset,
                         int fillc, size_t bytes);
/* True if every byte of the vector is zero. */
bool qemu_iovec_is_zero(QEMUIOVector *qiov);

#endif /* QEMU_IOV_H */
