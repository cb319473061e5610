/*
 * file-posix.c: the "file" protocol: a host file or block device.
 *
 * Every callback is a blocking syscall wrapper, run on a block worker
 * thread; several may run at once on the same fd (pread/pwrite carry
 * their own offset).  With cache.direct (O_DIRECT) requests whose buffer,
 * offset or length is not aligned go through an aligned bounce buffer;
 * those read-modify-write cycles take the node's rmw_lock exclusively so
 * that no aligned request races with them on the same sectors.
 */
#include "qemu/osdep.h"
#include "block/block_int.h"
#include "qemu/error-report.h"
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <linux/falloc.h>

/*
 * Image locking, byte layout as QEMU uses it so that Machina and QEMU see
 * each other's locks: a shared (read) OFD lock on byte PERM_BASE + n says
 * "I use permission n"; one on SHARED_BASE + n says "I do not let others
 * use permission n".
 */
#define RAW_LOCK_PERM_BASE      100
#define RAW_LOCK_SHARED_BASE    200

enum {
    BLK_PERM_CONSISTENT_READ = 0,
    BLK_PERM_WRITE = 1,
    BLK_PERM_WRITE_UNCHANGED = 2,
    BLK_PERM_RESIZE = 3,
    BLK_PERM_COUNT = 4,
};

static const char *const perm_names[BLK_PERM_COUNT] = {
    [BLK_PERM_CONSISTENT_READ] = "consistent read",
    [BLK_PERM_WRITE] = "write",
    [BLK_PERM_WRITE_UNCHANGED] = "write unchanged",
    [BLK_PERM_RESIZE] = "resize",
};

typedef struct BDRVRawState {
    int fd;
    bool direct;
    bool no_flush;
    uint32_t align;             /* O_DIRECT alignment, 1 when buffered */
    int64_t length;             /* file size (atomic); see raw_note_end() */
    pthread_rwlock_t rmw_lock;
} BDRVRawState;

static const char *const raw_file_opts[] = { "filename", "locking", "aio",
                                             NULL };

/* One OFD lock operation on one byte; negative errno on failure. */
static int raw_lock_byte(int fd, int cmd, short type, off_t byte)
{
    struct flock fl = {
        .l_whence = SEEK_SET,
        .l_start = byte,
        .l_len = 1,
        .l_type = type,
    };

    if (fcntl(fd, cmd, &fl) < 0) {
        return -errno;
    }
    if (cmd == F_OFD_GETLK && fl.l_type != F_UNLCK) {
        return -EAGAIN;         /* another holder has it */
    }
    return 0;
}

static void raw_lock_error(Error **errp, const char *filename,
                           const char *shared, int perm)
{
    error_setg(errp, "Failed to get %s\"%s\" lock", shared,
               perm_names[perm]);
    error_append_hint(errp, "Is another process using the image [%s]?\n",
                      filename);
}

/*
 * Take our locks, then test for conflicting ones held by other open file
 * descriptions: a permission we use that someone refuses to share, or a
 * permission we refuse that someone uses.  Locking first means two
 * racing openers cannot both pass the test.
 */
static int raw_apply_locks(int fd, const char *filename, bool rdwr,
                           Error **errp)
{
    uint32_t perm = (1u << BLK_PERM_CONSISTENT_READ) |
                    (rdwr ? (1u << BLK_PERM_WRITE) |
                            (1u << BLK_PERM_WRITE_UNCHANGED) : 0);
    uint32_t unshared = (1u << BLK_PERM_WRITE) | (1u << BLK_PERM_RESIZE);
    int ret;

    for (int i = 0; i < BLK_PERM_COUNT; i++) {
        if (perm & (1u << i)) {
            ret = raw_lock_byte(fd, F_OFD_SETLK, F_RDLCK,
                                RAW_LOCK_PERM_BASE + i);
        } else {
            ret = 0;
        }
        if (ret == 0 && (unshared & (1u << i))) {
            ret = raw_lock_byte(fd, F_OFD_SETLK, F_RDLCK,
                                RAW_LOCK_SHARED_BASE + i);
        }
        if (ret < 0) {
            raw_lock_error(errp, filename, (perm & (1u << i)) ? "" :
                           "shared ", i);
            return ret;
        }
    }
    for (int i = 0; i < BLK_PERM_COUNT; i++) {
        if ((perm & (1u << i)) &&
            raw_lock_byte(fd, F_OFD_GETLK, F_WRLCK,
                          RAW_LOCK_SHARED_BASE + i) == -EAGAIN) {
            raw_lock_error(errp, filename, "", i);
            return -EAGAIN;
        }
    }
    for (int i = 0; i < BLK_PERM_COUNT; i++) {
        if ((unshared & (1u << i)) &&
            raw_lock_byte(fd, F_OFD_GETLK, F_WRLCK,
                          RAW_LOCK_PERM_BASE + i) == -EAGAIN) {
            raw_lock_error(errp, filename, "shared ", i);
            return -EAGAIN;
        }
    }
    return 0;
}

static void *raw_memalign(size_t align, size_t size)
{
    void *p;

    if (posix_memalign(&p, MAX(align, sizeof(void *)), size)) {
        abort();    /* out of memory, as g_malloc() would */
    }
    return p;
}

/* Find the O_DIRECT alignment: the smallest size an aligned read takes. */
static uint32_t raw_probe_alignment(int fd)
{
    static const uint32_t sizes[] = { 512, 4096 };
    void *buf = raw_memalign(4096, 4096);
    uint32_t align = 4096;

    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        if (pread(fd, buf, sizes[i], 0) >= 0) {
            align = sizes[i];
            break;
        }
    }
    free(buf);
    return align;
}

/* Size of the file or block device behind @fd. */
static int64_t raw_query_length(int fd)
{
    struct stat st;
    uint64_t size;

    if (fstat(fd, &st) < 0) {
        return -errno;
    }
    if (S_ISBLK(st.st_mode)) {
        return ioctl(fd, BLKGETSIZE64, &size) < 0 ? -errno : (int64_t)size;
    }
    return st.st_size;
}

/*
 * The size is cached (every request checks it): requests that may extend
 * the file raise it to their end.  Other processes cannot change it while
 * we hold our locks (they would need the write or resize permission).
 */
static void raw_note_end(BDRVRawState *s, int64_t end)
{
    int64_t cur = __atomic_load_n(&s->length, __ATOMIC_ACQUIRE);

    while (end > cur &&
           !__atomic_compare_exchange_n(&s->length, &cur, end, false,
                                        __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
        /* cur was reloaded; try again */
    }
}

static bool raw_take_locking(GHashTable *opts, bool *use_lock,
                             Error **errp)
{
    g_autofree char *locking = NULL;
    gpointer okey;

    if (g_hash_table_steal_extended(opts, "locking", &okey,
                                    (gpointer *)&locking)) {
        g_free(okey);
    }
    g_hash_table_remove(opts, "aio");
    *use_lock = true;
    if (!locking || !strcmp(locking, "on") || !strcmp(locking, "auto")) {
        return true;
    }
    if (!strcmp(locking, "off")) {
        *use_lock = false;
        return true;
    }
    error_setg(errp, "Parameter 'locking' does not accept value '%s'",
               locking);
    return false;
}

static int raw_open(BlockDriverState *bs, GHashTable *opts, int flags,
                    Error **errp)
{
    BDRVRawState *s = bs->opaque;
    const char *filename = g_hash_table_lookup(opts, "filename");
    int oflags = O_CLOEXEC | ((flags & BDRV_O_RDWR) ? O_RDWR : O_RDONLY);
    bool use_lock;
    int ret;

    if (!filename) {
        error_setg(errp, "Parameter 'filename' is missing");
        return -EINVAL;
    }
    g_free(bs->filename);
    bs->filename = g_strdup(filename);
    g_hash_table_remove(opts, "filename");
    if (!raw_take_locking(opts, &use_lock, errp)) {
        return -EINVAL;
    }

    oflags |= (flags & BDRV_O_NOCACHE) ? O_DIRECT : 0;
    oflags |= (flags & BDRV_O_DSYNC) ? O_DSYNC : 0;
    s->fd = open(bs->filename, oflags);
    if (s->fd < 0) {
        ret = -errno;
        error_setg_errno(errp, errno, "Could not open '%s'", bs->filename);
        return ret;
    }
    if (use_lock) {
        ret = raw_apply_locks(s->fd, bs->filename, flags & BDRV_O_RDWR,
                              errp);
        if (ret < 0) {
            close(s->fd);
            return ret;
        }
    }
    s->length = raw_query_length(s->fd);
    if (s->length < 0) {
        ret = s->length;
        error_setg_errno(errp, -ret, "Could not get the size of '%s'",
                         bs->filename);
        close(s->fd);
        return ret;
    }
    s->direct = flags & BDRV_O_NOCACHE;
    s->no_flush = flags & BDRV_O_NO_FLUSH;
    s->align = s->direct ? raw_probe_alignment(s->fd) : 1;
    pthread_rwlock_init(&s->rmw_lock, NULL);
    return 0;
}

static void raw_close(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;

    /* Closing the fd drops its OFD locks. */
    close(s->fd);
    pthread_rwlock_destroy(&s->rmw_lock);
}

static bool raw_qiov_aligned(BDRVRawState *s, int64_t offset,
                             int64_t bytes, QEMUIOVector *qiov)
{
    if (!QEMU_IS_ALIGNED(offset | bytes, s->align)) {
        return false;
    }
    for (int i = 0; i < qiov->niov; i++) {
        if (!QEMU_IS_ALIGNED((uintptr_t)qiov->iov[i].iov_base |
                             qiov->iov[i].iov_len, s->align)) {
            return false;
        }
    }
    return true;
}

/*
 * Plain vectored I/O at @offset, retried on EINTR and short transfers.
 * A read that reaches the end of the file fills the rest with zeros.
 */
static int raw_rw_vector(BDRVRawState *s, bool is_write, int64_t offset,
                         int64_t bytes, QEMUIOVector *qiov)
{
    QEMUIOVector cur;
    int64_t done = 0;
    int ret = 0;

    qemu_iovec_init(&cur, qiov->niov);
    while (done < bytes) {
        ssize_t n;

        qemu_iovec_reset(&cur);
        qemu_iovec_concat(&cur, qiov, done, bytes - done);
        n = is_write ? pwritev(s->fd, cur.iov, cur.niov, offset + done)
                     : preadv(s->fd, cur.iov, cur.niov, offset + done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            ret = -errno;
            break;
        }
        if (n == 0) {
            if (is_write) {
                ret = -EIO;
            } else {
                qemu_iovec_memset(qiov, done, 0, bytes - done);
            }
            break;
        }
        done += n;
    }
    qemu_iovec_destroy(&cur);
    return ret;
}

/* Unaligned O_DIRECT request through an aligned bounce buffer. */
static int raw_rw_bounce(BDRVRawState *s, bool is_write, int64_t offset,
                         int64_t bytes, QEMUIOVector *qiov)
{
    int64_t start = QEMU_ALIGN_DOWN(offset, s->align);
    int64_t len = QEMU_ALIGN_UP(offset + bytes, s->align) - start;
    void *buf = raw_memalign(s->align, len);
    QEMUIOVector bq;
    int ret;

    qemu_iovec_init_buf(&bq, buf, len);
    pthread_rwlock_wrlock(&s->rmw_lock);
    ret = raw_rw_vector(s, false, start, len, &bq);
    if (ret >= 0 && is_write) {
        qemu_iovec_to_buf(qiov, 0, (char *)buf + (offset - start), bytes);
        ret = raw_rw_vector(s, true, start, len, &bq);
    } else if (ret >= 0) {
        qemu_iovec_from_buf(qiov, 0, (char *)buf + (offset - start), bytes);
    }
    pthread_rwlock_unlock(&s->rmw_lock);
    qemu_iovec_destroy(&bq);
    free(buf);
    return ret;
}

static int raw_rw(BlockDriverState *bs, bool is_write, int64_t offset,
                  int64_t bytes, QEMUIOVector *qiov)
{
    BDRVRawState *s = bs->opaque;
    int ret;

    if (!s->direct) {
        return raw_rw_vector(s, is_write, offset, bytes, qiov);
    }
    if (!raw_qiov_aligned(s, offset, bytes, qiov)) {
        return raw_rw_bounce(s, is_write, offset, bytes, qiov);
    }
    pthread_rwlock_rdlock(&s->rmw_lock);
    ret = raw_rw_vector(s, is_write, offset, bytes, qiov);
    pthread_rwlock_unlock(&s->rmw_lock);
    return ret;
}

static int raw_preadv(BlockDriverState *bs, int64_t offset, int64_t bytes,
                      QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    return raw_rw(bs, false, offset, bytes, qiov);
}

static int raw_pwritev(BlockDriverState *bs, int64_t offset, int64_t bytes,
                       QEMUIOVector *qiov, BdrvRequestFlags flags)
{
    int ret = raw_rw(bs, true, offset, bytes, qiov);

    if (ret == 0) {
        raw_note_end(bs->opaque, offset + bytes);
    }
    return ret;
}

static int raw_fallocate(BDRVRawState *s, int mode, int64_t offset,
                         int64_t bytes)
{
    int ret;

    do {
        ret = fallocate(s->fd, mode, offset, bytes);
    } while (ret < 0 && errno == EINTR);
    if (ret < 0) {
        return (errno == EOPNOTSUPP || errno == ENOSYS) ? -ENOTSUP : -errno;
    }
    return 0;
}

/* Zero a range in place; punch a hole when unmapping is allowed. */
static int raw_pwrite_zeroes(BlockDriverState *bs, int64_t offset,
                             int64_t bytes, BdrvRequestFlags flags)
{
    BDRVRawState *s = bs->opaque;
    int ret = -ENOTSUP;

    if (s->direct && !QEMU_IS_ALIGNED(offset | bytes, s->align)) {
        return -ENOTSUP;    /* the generic layer writes a zero buffer */
    }
    if (flags & BDRV_REQ_MAY_UNMAP) {
        ret = raw_fallocate(s, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            offset, bytes);
        if (ret == 0 && offset + bytes > bdrv_getlength(bs)) {
            ret = ftruncate(s->fd, offset + bytes) < 0 ? -errno : 0;
        }
    }
    if (ret == -ENOTSUP) {
        ret = raw_fallocate(s, FALLOC_FL_ZERO_RANGE, offset, bytes);
    }
    if (ret == 0) {
        raw_note_end(s, offset + bytes);
    }
    return ret;
}

static int raw_pdiscard(BlockDriverState *bs, int64_t offset, int64_t bytes)
{
    BDRVRawState *s = bs->opaque;

    return raw_fallocate(s, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                         offset, bytes);
}

static int raw_flush(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;

    if (s->no_flush) {
        return 0;
    }
    return fdatasync(s->fd) < 0 ? -errno : 0;
}

static int64_t raw_getlength(BlockDriverState *bs)
{
    BDRVRawState *s = bs->opaque;

    return __atomic_load_n(&s->length, __ATOMIC_ACQUIRE);
}

static int raw_truncate(BlockDriverState *bs, int64_t offset, Error **errp)
{
    BDRVRawState *s = bs->opaque;

    if (ftruncate(s->fd, offset) < 0) {
        error_setg_errno(errp, errno, "Failed to resize '%s'",
                         bs->filename);
        return -errno;
    }
    __atomic_store_n(&s->length, offset, __ATOMIC_RELEASE);
    return 0;
}

BlockDriver bdrv_file = {
    .format_name = "file",
    .instance_size = sizeof(BDRVRawState),
    .is_format = false,
    .runtime_opts = raw_file_opts,
    .bdrv_open = raw_open,
    .bdrv_close = raw_close,
    .bdrv_preadv = raw_preadv,
    .bdrv_pwritev = raw_pwritev,
    .bdrv_pwrite_zeroes = raw_pwrite_zeroes,
    .bdrv_pdiscard = raw_pdiscard,
    .bdrv_flush = raw_flush,
    .bdrv_getlength = raw_getlength,
    .bdrv_truncate = raw_truncate,
};
