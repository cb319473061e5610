/*
 * iov.c: scatter/gather helpers.
 */
#include "qemu/osdep.h"
#include "qemu/iov.h"

size_t iov_size(const struct iovec *iov, unsigned int iov_cnt)
{
    size_t total = 0;

    for (unsigned int i = 0; i < iov_cnt; i++) {
        total += iov[i].iov_len;
    }
    return total;
}

/*
 * Walk the vector from @offset for @bytes, calling @fn on each piece.
 * @fn gets the piece's address, its length and the running byte count.
 */
typedef void IovPieceFn(void *base, size_t len, size_t done, void *opaque);

static size_t iov_walk(const struct iovec *iov, unsigned int iov_cnt,
                       size_t offset, size_t bytes, IovPieceFn *fn,
                       void *opaque)
{
    size_t done = 0;

    for (unsigned int i = 0; i < iov_cnt && done < bytes; i++) {
        size_t len = iov[i].iov_len;

        if (offset >= len) {
            offset -= len;
            continue;
        }
        len = MIN(len - offset, bytes - done);
        fn((char *)iov[i].iov_base + offset, len, done, opaque);
        done += len;
        offset = 0;
    }
    return done;
}

static void piece_from_buf(void *base, size_t len, size_t done, void *op)
{
    memcpy(base, (const char *)op + done, len);
}

static void piece_to_buf(void *base, size_t len, size_t done, void *op)
{
    memcpy((char *)op + done, base, len);
}

static void piece_memset(void *base, size_t len, size_t done, void *op)
{
    memset(base, *(int *)op, len);
}

size_t iov_from_buf(const struct iovec *iov, unsigned int iov_cnt,
                    size_t offset, const void *buf, size_t bytes)
{
    return iov_walk(iov, iov_cnt, offset, bytes, piece_from_buf,
                    (void *)buf);
}

size_t iov_to_buf(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, void *buf, size_t bytes)
{
    return iov_walk(iov, iov_cnt, offset, bytes, piece_to_buf, buf);
}

size_t iov_memset(const struct iovec *iov, unsigned int iov_cnt,
                  size_t offset, int fillc, size_t bytes)
{
    return iov_walk(iov, iov_cnt, offset, bytes, piece_memset, &fillc);
}

void qemu_iovec_init(QEMUIOVector *qiov, int alloc_hint)
{
    qiov->nalloc = MAX(alloc_hint, 1);
    qiov->iov = g_new(struct iovec, qiov->nalloc);
    qiov->niov = 0;
    qiov->size = 0;
}

void qemu_iovec_init_external(QEMUIOVector *qiov, struct iovec *iov,
                              int niov)
{
    qiov->iov = iov;
    qiov->niov = niov;
    qiov->nalloc = -1;
    qiov->size = iov_size(iov, niov);
}

void qemu_iovec_init_buf(QEMUIOVector *qiov, void *buf, size_t len)
{
    qemu_iovec_init(qiov, 1);
    qemu_iovec_add(qiov, buf, len);
}

void qemu_iovec_add(QEMUIOVector *qiov, void *base, size_t len)
{
    assert(qiov->nalloc != -1);

    if (qiov->niov == qiov->nalloc) {
        qiov->nalloc = 2 * qiov->nalloc + 1;
        qiov->iov = g_renew(struct iovec, qiov->iov, qiov->nalloc);
    }
    qiov->iov[qiov->niov].iov_base = base;
    qiov->iov[qiov->niov].iov_len = len;
    qiov->niov++;
    qiov->size += len;
}

static void piece_concat(void *base, size_t len, size_t done, void *op)
{
    qemu_iovec_add(op, base, len);
}

void qemu_iovec_concat(QEMUIOVector *dst, QEMUIOVector *src,
                       size_t soffset, size_t bytes)
{
    iov_walk(src->iov, src->niov, soffset, bytes, piece_concat, dst);
}

void qemu_iovec_destroy(QEMUIOVector *qiov)
{
    if (qiov->nalloc != -1) {
        g_free(qiov->iov);
    }
    memset(qiov, 0, sizeof(*qiov));
}

void qemu_iovec_reset(QEMUIOVector *qiov)
{
    assert(qiov->nalloc != -1);
    qiov->niov = 0;
    qiov->size = 0;
}

size_t qemu_iovec_to_buf(QEMUIOVector *qiov, size_t offset,
                         void *buf, size_t bytes)
{
    return iov_to_buf(qiov->iov, qiov->niov, offset, buf, bytes);
}

size_t qemu_iovec_from_buf(QEMUIOVector *qiov, size_t offset,
                           const void *buf, size_t bytes)
{
    return iov_from_buf(qiov->iov, qiov->niov, offset, buf, bytes);
}

size_t qemu_iovec_memset(QEMUIOVector *qiov, size_t offset,
                         int fillc, size_t bytes)
{
    return iov_memset(qiov->iov, qiov->niov, offset, fillc, bytes);
}

bool qemu_iovec_is_zero(QEMUIOVector *qiov)
{
    for (int i = 0; i < qiov->niov; i++) {
        const unsigned char *p = qiov->iov[i].iov_base;
        size_t len = qiov->iov[i].iov_len;

        if (len && (p[0] || memcmp(p, p + 1, len - 1))) {
            return false;
        }
    }
    return true;
}
