/*
 * virtio-blk-powerloss-test.c: what a flush acknowledged survives SIGKILL.
 *
 * The test program is the guest: through libqtest and libqos it puts
 * virtio-blk requests in guest RAM, kicks the queue and polls the used
 * ring.  It writes 4 KiB blocks (each written once, with a pattern that
 * names the write) and flushes, several requests in flight, for a random
 * few hundred milliseconds; then it submits one more write and flush and
 * kills the emulator with SIGKILL without waiting for them.
 *
 * A write is acknowledged when the driver saw it complete before it
 * submitted a flush, and then saw that flush complete (virtio 1.2,
 * 5.2.6.1: a flush covers the writes completed before it).  Afterwards,
 * on the host: every acknowledged block holds its pattern; any other
 * block written holds its pattern or zeros (never garbage); a block
 * never written is zero; a qcow2 image passes `qemu-img check` (leaked
 * clusters allowed).
 *
 * SIGKILL loses nothing the emulator has handed to the host kernel, so
 * what this proves is that a completed flush leaves nothing needed
 * behind in the emulator (qcow2 metadata caches, queued writes).
 *
 * libqtest treats an emulator killed by a signal as a failure, so each
 * run drives the emulator from a forked child that kills and reaps it;
 * the child reports through shared memory.
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include <sys/wait.h>
#include "libqtest.h"
#include "libqos/virtio-mmio.h"

/* virtio-blk (virtio 1.2, 5.2). */
#define VIRTIO_BLK_F_FLUSH      9
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_T_FLUSH      4
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_HDR_SIZE     16
#define VIRTIO_BLK_SECTOR_BITS  9

#define DISK_BYTES              (64 * 1024 * 1024)
#define BLOCK_SIZE              4096
#define NBLOCKS                 (DISK_BYTES / BLOCK_SIZE)
/* Odd, so write i goes to block i * stride mod NBLOCKS: each once. */
#define BLOCK_STRIDE            7919

#define RAM_BASE                0x80000000ULL
#define RAM_SIZE                (256 * 1024 * 1024)
#define NSLOTS                  8           /* requests in flight, max */
#define DESC_PER_SLOT           3
#define STATUS_PENDING          0xff

#define RUNS_PER_FORMAT         3
#define RUN_MIN_MS              100
#define RUN_MAX_MS              400
#define POLL_TIMEOUT_US         (10 * 1000 * 1000)

/* What the child saw of each write; filled in shared memory. */
typedef struct WriteRecord {
    uint32_t block;
    int32_t completed_epoch;    /* flushes submitted when seen done; -1 */
} WriteRecord;

typedef struct RunLog {
    uint32_t nwrites;           /* records used (write i has seq i + 1) */
    uint32_t flushes_done_max;  /* highest flush number seen complete */
    WriteRecord writes[NBLOCKS];
} RunLog;

/* A request slot: its header, data and status in guest RAM. */
typedef struct Slot {
    uint64_t hdr;
    uint64_t data;
    uint64_t status;
    bool busy;
    bool is_flush;
    uint32_t seq;               /* write: index into writes[] */
} Slot;

typedef struct Driver {
    QTestState *qts;
    QVirtioDevice dev;
    QVirtQueue *vq;
    Slot slots[NSLOTS];
    unsigned inflight;
    uint32_t flushes_submitted;
    RunLog *log;
} Driver;

/* ---- the pattern ---- */

static void fill_pattern(uint8_t *buf, uint32_t seq, uint32_t block)
{
    for (unsigned k = 0; k < BLOCK_SIZE / 8; k++) {
        uint64_t w = (uint64_t)seq << 40 | (uint64_t)block << 16 | k;

        w = GUINT64_TO_LE(w);
        memcpy(buf + 8 * k, &w, 8);
    }
}

/* ---- the guest driver ---- */

static void driver_init(Driver *d)
{
    QGuestAllocator alloc;
    uint64_t features;

    guest_alloc_init(&alloc, RAM_BASE + 0x100000, RAM_BASE + RAM_SIZE);
    g_assert(qvirtio_mmio_find(d->qts, VIRTIO_ID_BLOCK, &d->dev));
    qvirtio_reset(&d->dev);
    qvirtio_set_acknowledge(&d->dev);
    qvirtio_set_driver(&d->dev);

    /* FLUSH keeps the write cache on: flushes are what make data safe. */
    features = qvirtio_get_features(&d->dev);
    g_assert(features & (1ull << VIRTIO_BLK_F_FLUSH));
    features &= 1ull << VIRTIO_BLK_F_FLUSH |
                (d->dev.version == 2 ? 1ull << VIRTIO_F_VERSION_1 : 0);
    g_assert(qvirtio_set_features(&d->dev, features));
    d->vq = qvirtqueue_setup(&d->dev, &alloc, 0);
    g_assert_cmpuint(d->vq->size, >=, NSLOTS * DESC_PER_SLOT);
    qvirtio_set_driver_ok(&d->dev);

    for (unsigned i = 0; i < NSLOTS; i++) {
        d->slots[i].hdr = guest_alloc(&alloc, VIRTIO_BLK_HDR_SIZE);
        d->slots[i].data = guest_alloc_aligned(&alloc, BLOCK_SIZE,
                                               BLOCK_SIZE);
        d->slots[i].status = guest_alloc(&alloc, 1);
    }
}

static void put_desc(uint8_t *p, uint64_t addr, uint32_t len,
                     uint16_t flags, uint16_t next)
{
    addr = GUINT64_TO_LE(addr);
    len = GUINT32_TO_LE(len);
    flags = GUINT16_TO_LE(flags);
    next = GUINT16_TO_LE(next);
    memcpy(p, &addr, 8);
    memcpy(p + 8, &len, 4);
    memcpy(p + 12, &flags, 2);
    memcpy(p + 14, &next, 2);
}

/*
 * Slot @i owns descriptors 3i..3i+2: header, data, status.  A flush
 * chains the header straight to the status.
 */
static void slot_submit(Driver *d, unsigned i, uint32_t type,
                        uint64_t sector)
{
    Slot *sl = &d->slots[i];
    unsigned head = i * DESC_PER_SLOT;
    uint8_t desc[DESC_PER_SLOT * 16];
    uint8_t hdr[VIRTIO_BLK_HDR_SIZE] = { 0 };
    uint32_t type_le = GUINT32_TO_LE(type);
    uint64_t sector_le = GUINT64_TO_LE(sector);
    bool flush = type == VIRTIO_BLK_T_FLUSH;

    memcpy(hdr, &type_le, 4);
    memcpy(hdr + 8, &sector_le, 8);
    qtest_memwrite(d->qts, sl->hdr, hdr, sizeof(hdr));
    qtest_writeb(d->qts, sl->status, STATUS_PENDING);

    put_desc(desc, sl->hdr, VIRTIO_BLK_HDR_SIZE, VRING_DESC_F_NEXT,
             head + (flush ? 2 : 1));
    put_desc(desc + 16, sl->data, BLOCK_SIZE, VRING_DESC_F_NEXT, head + 2);
    put_desc(desc + 32, sl->status, 1, VRING_DESC_F_WRITE, 0);
    qtest_memwrite(d->qts, d->vq->desc + 16 * head, desc, sizeof(desc));

    sl->busy = true;
    sl->is_flush = flush;
    d->inflight++;
    qvirtqueue_kick(d->qts, &d->dev, d->vq, head);
}

static unsigned free_slot(Driver *d)
{
    for (unsigned i = 0; i < NSLOTS; i++) {
        if (!d->slots[i].busy) {
            return i;
        }
    }
    g_assert_not_reached();
}

static void submit_write(Driver *d)
{
    unsigned i = free_slot(d);
    uint32_t seq = d->log->nwrites;
    uint32_t block = (uint64_t)seq * BLOCK_STRIDE % NBLOCKS;
    uint8_t buf[BLOCK_SIZE];

    g_assert_cmpuint(seq, <, NBLOCKS);
    d->log->writes[seq].block = block;
    d->log->writes[seq].completed_epoch = -1;
    d->log->nwrites++;

    fill_pattern(buf, seq + 1, block);
    qtest_bufwrite(d->qts, d->slots[i].data, buf, sizeof(buf));
    d->slots[i].seq = seq;
    slot_submit(d, i, VIRTIO_BLK_T_OUT,
                (uint64_t)block * BLOCK_SIZE >> VIRTIO_BLK_SECTOR_BITS);
}

/* Flush number n covers writes seen complete while n - 1 were submitted. */
static void submit_flush(Driver *d)
{
    unsigned i = free_slot(d);

    d->slots[i].seq = ++d->flushes_submitted;
    slot_submit(d, i, VIRTIO_BLK_T_FLUSH, 0);
}

static void complete(Driver *d, uint32_t head)
{
    Slot *sl;

    g_assert_cmpuint(head % DESC_PER_SLOT, ==, 0);
    g_assert_cmpuint(head / DESC_PER_SLOT, <, NSLOTS);
    sl = &d->slots[head / DESC_PER_SLOT];
    g_assert(sl->busy);
    g_assert_cmpuint(qtest_readb(d->qts, sl->status), ==, VIRTIO_BLK_S_OK);

    if (sl->is_flush) {
        d->log->flushes_done_max = MAX(d->log->flushes_done_max, sl->seq);
    } else {
        d->log->writes[sl->seq].completed_epoch = d->flushes_submitted;
    }
    sl->busy = false;
    d->inflight--;
}

/* Poll the used ring (each read is a main-loop turn) for one entry. */
static void wait_one(Driver *d)
{
    gint64 deadline = g_get_monotonic_time() + POLL_TIMEOUT_US;
    uint32_t head;

    while (!qvirtqueue_get_buf(d->qts, d->vq, &head, NULL)) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
    }
    complete(d, head);
}

/*
 * Random traffic until @run_us pass: up to NSLOTS requests in flight,
 * about one flush for three writes.
 */
static void driver_run(Driver *d, gint64 run_us)
{
    gint64 end = g_get_monotonic_time() + run_us;

    while (g_get_monotonic_time() < end) {
        unsigned n = g_test_rand_int_range(1, NSLOTS - d->inflight + 1);

        for (unsigned k = 0; k < n; k++) {
            if (g_test_rand_int_range(0, 3) == 0) {
                submit_flush(d);
            } else {
                submit_write(d);
            }
        }
        do {
            wait_one(d);
        } while (d->inflight > 0 && g_test_rand_bit());
    }
}

/* Child: drive the emulator, then kill it with requests in flight. */
static void child_run(const char *fmt, const char *img, RunLog *log)
{
    Driver d = { .log = log };
    pid_t pid;
    int status;

    d.qts = qtest_initf("-M virt -nodefaults -bios none -m 256M "
                        "-drive file=%s,format=%s,if=none,id=hd0,"
                        "cache=writeback "
                        "-device virtio-blk-device,drive=hd0", img, fmt);
    driver_init(&d);
    driver_run(&d, g_test_rand_int_range(RUN_MIN_MS, RUN_MAX_MS) * 1000);

    while (d.inflight > NSLOTS - 2) {
        wait_one(&d);
    }
    submit_write(&d);
    submit_flush(&d);
    g_usleep(g_test_rand_int_range(0, 300));

    pid = qtest_pid(d.qts);
    g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* ---- the host side ---- */

static int run_cmd(const char *cmd)
{
    g_autoptr(GError) err = NULL;
    int status;

    g_assert(g_spawn_command_line_sync(cmd, NULL, NULL, &status, &err));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void run_in_child(const char *fmt, const char *img, RunLog *log)
{
    pid_t pid = fork();
    int status;

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        child_run(fmt, img, log);
        _exit(0);
    }
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* The disk's contents as the guest sees them (qcow2 through qemu-img). */
static uint8_t *read_disk(const char *fmt, const char *img, const char *dir)
{
    g_autofree char *raw = g_build_filename(dir, "disk.raw", NULL);
    g_autofree char *cmd = NULL;
    g_autoptr(GError) err = NULL;
    gchar *contents;
    gsize len;

    if (g_str_equal(fmt, "qcow2")) {
        int rc;

        /* 0: clean, 3: leaked clusters only (allowed after a crash). */
        cmd = g_strdup_printf("qemu-img check -q -f qcow2 %s", img);
        rc = run_cmd(cmd);

        g_assert_true(rc == 0 || rc == 3);
        g_free(cmd);
        cmd = g_strdup_printf("qemu-img convert -f qcow2 -O raw %s %s",
                              img, raw);
        g_assert_cmpint(run_cmd(cmd), ==, 0);
        img = raw;
    }
    g_assert(g_file_get_contents(img, &contents, &len, &err));
    g_assert_cmpuint(len, ==, DISK_BYTES);
    return (uint8_t *)contents;
}

/* Returns the number of acknowledged writes checked. */
static unsigned check_disk(const RunLog *log, const uint8_t *disk)
{
    g_autofree bool *written = g_new0(bool, NBLOCKS);
    uint8_t want[BLOCK_SIZE], zero[BLOCK_SIZE] = { 0 };
    unsigned acked = 0;

    for (uint32_t seq = 0; seq < log->nwrites; seq++) {
        const WriteRecord *w = &log->writes[seq];
        const uint8_t *got = disk + (size_t)w->block * BLOCK_SIZE;

        fill_pattern(want, seq + 1, w->block);
        written[w->block] = true;
        if (w->completed_epoch >= 0 &&
            (uint32_t)w->completed_epoch < log->flushes_done_max) {
            g_assert_cmpmem(got, BLOCK_SIZE, want, BLOCK_SIZE);
            acked++;
        } else if (memcmp(got, want, BLOCK_SIZE)) {
            g_assert_cmpmem(got, BLOCK_SIZE, zero, BLOCK_SIZE);
        }
    }
    for (uint32_t b = 0; b < NBLOCKS; b++) {
        if (!written[b]) {
            g_assert_cmpmem(disk + (size_t)b * BLOCK_SIZE, BLOCK_SIZE,
                            zero, BLOCK_SIZE);
        }
    }
    return acked;
}

static void test_powerloss(const void *opaque)
{
    const char *fmt = opaque;
    g_autofree char *dir = g_dir_make_tmp("powerloss-XXXXXX", NULL);
    g_autofree char *img = g_build_filename(dir, "disk.img", NULL);
    g_autofree char *qemu_img = g_find_program_in_path("qemu-img");
    g_autofree char *rm = g_strdup_printf("rm -rf %s", dir);
    RunLog *log;

    if (!qemu_img) {
        g_test_skip("qemu-img not installed (Debian: qemu-utils)");
        return;
    }
    log = mmap(NULL, sizeof(*log), PROT_READ | PROT_WRITE,
               MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    g_assert(log != MAP_FAILED);

    for (int run = 0; run < RUNS_PER_FORMAT; run++) {
        g_autofree char *cmd = g_strdup_printf(
            "qemu-img create -q -f %s %s %d", fmt, img, DISK_BYTES);
        g_autofree uint8_t *disk = NULL;
        unsigned acked;

        g_assert_cmpint(run_cmd(cmd), ==, 0);
        memset(log, 0, sizeof(*log));
        run_in_child(fmt, img, log);

        disk = read_disk(fmt, img, dir);
        acked = check_disk(log, disk);
        g_test_message("%s run %d: %u writes, %u flushes done, "
                       "%u acknowledged", fmt, run, log->nwrites,
                       log->flushes_done_max, acked);
        /* The run must have acknowledged something to prove anything. */
        g_assert_cmpuint(acked, >, 0);
    }
    munmap(log, sizeof(*log));
    run_cmd(rm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_data_func("virtio-blk/powerloss/raw", "raw", test_powerloss);
    qtest_add_data_func("virtio-blk/powerloss/qcow2", "qcow2",
                        test_powerloss);
    return g_test_run();
}
