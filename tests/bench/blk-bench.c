/*
 * blk-bench: virtio-blk 4 KiB throughput, Machina against QEMU 7.2.
 *
 * The program is the guest driver of both emulators, through libqtest
 * and libqos: it places a batch of DEPTH requests in guest RAM (fixed
 * descriptor chains, header / 4 KiB data / status each), publishes them
 * in the available ring with one notify, polls the used ring until all
 * of them are back, checks their status bytes, and starts the next
 * batch.  No guest code runs: Machina uses the qtest accelerator, QEMU
 * (whose Debian build has no qtest accelerator) TCG with -S; in both,
 * the requests go through the virtio-mmio and virtio-blk models, the
 * block layer and its worker threads.
 *
 * Workloads: sequential and random reads and writes of 4 KiB blocks on a
 * raw image (default on /dev/shm, filled with data first), cache=
 * writeback, no flushes.  The data stays in guest RAM (fixed buffers,
 * not copied over the qtest socket); the qtest round trips that build
 * each batch and poll for it (about 5 + polls per batch) are part of the
 * cost for both emulators.
 *
 * Every round runs both emulators, one after the other, over the four
 * workloads; the summary gives the median of the rounds and the ratio
 * Machina/QEMU (> 1: Machina is faster).
 *
 * Usage: blk-bench [--machina BIN] [--qemu BIN] [--baseline BIN]
 *                  [--mib N] [--depth N] [--rounds N] [--image PATH]
 * (--baseline: a third emulator, another Machina build, measured in the
 * same rounds, to show what a change did.)
 */
#include "qemu/osdep.h"
#include "../qtest/libqtest.h"
#include "../qtest/libqos/virtio-mmio.h"

/* virtio-blk (virtio 1.2, 5.2). */
#define VIRTIO_BLK_T_IN         0
#define VIRTIO_BLK_T_OUT        1
#define VIRTIO_BLK_S_OK         0
#define VIRTIO_BLK_HDR_SIZE     16
#define VIRTIO_BLK_SECTOR_BITS  9

#define VRING_AVAIL_IDX         2
#define VRING_AVAIL_RING        4
#define VRING_USED_IDX          2
#define DESC_PER_REQ            3

#define BLOCK_SIZE              4096
#define RAM_BASE                0x80000000ULL
#define RAM_SIZE                (256 * 1024 * 1024)
#define MAX_DEPTH               64
#define MAX_ROUNDS              64
#define WARMUP_BATCHES          8
#define POLL_TIMEOUT_US         (10 * 1000 * 1000)
#define STATUS_PENDING          0xff

typedef enum { WL_SEQ_READ, WL_SEQ_WRITE, WL_RAND_READ, WL_RAND_WRITE,
               WL_MAX } Workload;

static const char *const workload_names[WL_MAX] = {
    "seq-read", "seq-write", "rand-read", "rand-write",
};

/* The baseline, optional, is another Machina build (before a change). */
enum { EMU_MACHINA, EMU_QEMU, EMU_BASELINE, EMU_MAX };
static const char *const emu_names[EMU_MAX] = {
    "machina", "qemu", "baseline",
};

typedef struct Options {
    const char *bin[EMU_MAX];
    int nemu;                   /* 3 with a baseline, else 2 */
    int mib;
    int depth;
    int rounds;
    char *image_base;
    char *image[EMU_MAX];       /* one each: all hold a write lock */
} Options;

typedef struct Bench {
    QTestState *qts;
    QVirtioDevice dev;
    QVirtQueue *vq;
    int depth;
    uint64_t nblocks;           /* 4 KiB blocks on the disk */
    uint64_t ctl;               /* depth headers, then depth status bytes */
    uint64_t data;              /* depth 4 KiB buffers */
    uint16_t avail_idx;
    uint64_t next_block;        /* sequential workloads */
    uint64_t polls;             /* used-ring reads that found it short */
    double cpu_secs;            /* emulator CPU time of the last run */
    GRand *rand;
} Bench;

/* ---- driver ---- */

static void put_le16(uint8_t *p, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    memcpy(p, &v, 2);
}

static void put_le32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, 8);
}

static void bench_setup(Bench *b)
{
    QGuestAllocator alloc;
    uint64_t features;

    guest_alloc_init(&alloc, RAM_BASE + 0x100000, RAM_BASE + RAM_SIZE);
    g_assert(qvirtio_mmio_find(b->qts, VIRTIO_ID_BLOCK, &b->dev));
    qvirtio_reset(&b->dev);
    qvirtio_set_acknowledge(&b->dev);
    qvirtio_set_driver(&b->dev);

    /* No ring features: the plain split ring, as both offer it. */
    features = qvirtio_get_features(&b->dev);
    features &= b->dev.version == 2 ? 1ull << VIRTIO_F_VERSION_1 : 0;
    g_assert(qvirtio_set_features(&b->dev, features));
    b->vq = qvirtqueue_setup(&b->dev, &alloc, 0);
    g_assert_cmpuint(b->vq->size, >=, b->depth * DESC_PER_REQ);
    g_assert_cmpuint(b->vq->size % b->depth, ==, 0);
    qvirtio_set_driver_ok(&b->dev);

    b->ctl = guest_alloc(&alloc, b->depth * (VIRTIO_BLK_HDR_SIZE + 1));
    b->data = guest_alloc_aligned(&alloc, b->depth * BLOCK_SIZE,
                                  BLOCK_SIZE);
    qtest_memset(b->qts, b->data, 0x5a, b->depth * BLOCK_SIZE);
}

/* Request k: descriptors 3k (header), 3k+1 (data), 3k+2 (status). */
static void bench_write_descs(Bench *b, bool is_read)
{
    size_t len = b->depth * DESC_PER_REQ * 16;
    g_autofree uint8_t *t = g_malloc0(len);
    uint64_t status = b->ctl + b->depth * VIRTIO_BLK_HDR_SIZE;

    for (int k = 0; k < b->depth; k++) {
        uint8_t *d = t + k * DESC_PER_REQ * 16;
        uint16_t head = k * DESC_PER_REQ;

        put_le64(d, b->ctl + k * VIRTIO_BLK_HDR_SIZE);
        put_le32(d + 8, VIRTIO_BLK_HDR_SIZE);
        put_le16(d + 12, VRING_DESC_F_NEXT);
        put_le16(d + 14, head + 1);
        put_le64(d + 16, b->data + k * BLOCK_SIZE);
        put_le32(d + 24, BLOCK_SIZE);
        put_le16(d + 28, VRING_DESC_F_NEXT |
                         (is_read ? VRING_DESC_F_WRITE : 0));
        put_le16(d + 30, head + 2);
        put_le64(d + 32, status + k);
        put_le32(d + 40, 1);
        put_le16(d + 44, VRING_DESC_F_WRITE);
    }
    qtest_bufwrite(b->qts, b->vq->desc, t, len);
}

static uint64_t next_block(Bench *b, Workload wl)
{
    if (wl == WL_RAND_READ || wl == WL_RAND_WRITE) {
        return g_rand_int_range(b->rand, 0, b->nblocks);
    }
    b->next_block++;
    return (b->next_block - 1) % b->nblocks;
}

/* One batch: headers and pending statuses, avail entries, one notify. */
static void bench_batch(Bench *b, Workload wl)
{
    bool is_read = wl == WL_SEQ_READ || wl == WL_RAND_READ;
    size_t hdrs = b->depth * VIRTIO_BLK_HDR_SIZE;
    uint8_t ctl[MAX_DEPTH * (VIRTIO_BLK_HDR_SIZE + 1)] = { 0 };
    uint8_t ring[MAX_DEPTH * 2], status[MAX_DEPTH];
    uint16_t slot = b->avail_idx % b->vq->size;
    uint16_t used_want = b->avail_idx + b->depth;
    gint64 deadline;

    for (int k = 0; k < b->depth; k++) {
        uint64_t sector = next_block(b, wl) * BLOCK_SIZE >>
                          VIRTIO_BLK_SECTOR_BITS;

        put_le32(ctl + k * VIRTIO_BLK_HDR_SIZE,
                 is_read ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT);
        put_le64(ctl + k * VIRTIO_BLK_HDR_SIZE + 8, sector);
        put_le16(ring + 2 * k, k * DESC_PER_REQ);
    }
    memset(ctl + hdrs, STATUS_PENDING, b->depth);
    qtest_bufwrite(b->qts, b->ctl, ctl, hdrs + b->depth);
    qtest_bufwrite(b->qts, b->vq->avail + VRING_AVAIL_RING + 2 * slot,
                   ring, 2 * b->depth);
    b->avail_idx += b->depth;
    qtest_writew(b->qts, b->vq->avail + VRING_AVAIL_IDX, b->avail_idx);
    qtest_writel(b->qts, b->dev.base + VIRTIO_MMIO_QUEUE_NOTIFY, 0);

    /* Each read is a main-loop turn in the emulator: poll, no clock. */
    deadline = g_get_monotonic_time() + POLL_TIMEOUT_US;
    while (qtest_readw(b->qts, b->vq->used + VRING_USED_IDX) != used_want) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        b->polls++;
    }
    qtest_bufread(b->qts, b->ctl + hdrs, status, b->depth);
    for (int k = 0; k < b->depth; k++) {
        g_assert_cmpuint(status[k], ==, VIRTIO_BLK_S_OK);
    }
}

/* CPU time (user + system, all threads) the emulator used, in seconds. */
static double emulator_cpu_secs(Bench *b)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat",
                                            qtest_pid(b->qts));
    g_autofree char *stat = NULL;
    g_auto(GStrv) f = NULL;

    /* Fields after the command name: state is field 3, utime 14. */
    g_assert(g_file_get_contents(path, &stat, NULL, NULL));
    f = g_strsplit(strrchr(stat, ')') + 2, " ", 0);
    g_assert_cmpuint(g_strv_length(f), >, 12);
    return (g_ascii_strtod(f[11], NULL) + g_ascii_strtod(f[12], NULL)) /
           sysconf(_SC_CLK_TCK);
}

/* Seconds for @bytes of workload @wl, after a few untimed batches. */
static double bench_run(Bench *b, Workload wl, uint64_t bytes)
{
    uint64_t batches = bytes / ((uint64_t)b->depth * BLOCK_SIZE);
    gint64 start;

    b->rand = g_rand_new_with_seed(42 + wl);
    b->next_block = 0;
    bench_write_descs(b, wl == WL_SEQ_READ || wl == WL_RAND_READ);
    for (int i = 0; i < WARMUP_BATCHES; i++) {
        bench_batch(b, wl);
    }
    b->polls = 0;
    b->cpu_secs = emulator_cpu_secs(b);
    start = g_get_monotonic_time();
    for (uint64_t i = 0; i < batches; i++) {
        bench_batch(b, wl);
    }
    b->cpu_secs = emulator_cpu_secs(b) - b->cpu_secs;
    g_rand_free(b->rand);
    return (g_get_monotonic_time() - start) / 1e6;
}

/* ---- emulators ---- */

static void start_emulator(const Options *o, int emu, Bench *b)
{
    /* libqtest appends -accel qtest; QEMU takes the first that works. */
    const char *accel = emu == EMU_QEMU ? "-accel tcg -S" : "";

    b->depth = o->depth;
    b->nblocks = (uint64_t)o->mib * 1024 * 1024 / BLOCK_SIZE;
    g_setenv("QTEST_QEMU_BINARY", o->bin[emu], true);
    b->qts = qtest_initf("-M virt -nodefaults -bios none -m 256M %s "
                         "-drive file=%s,format=raw,if=none,id=hd0,"
                         "cache=writeback "
                         "-device virtio-blk-device,drive=hd0",
                         accel, o->image[emu]);
    bench_setup(b);
}

static void stop_emulator(Bench *b)
{
    qtest_quit(b->qts);
    g_free(b->vq);
}

/* Allocated, non-zero data: reads must not hit holes. */
static void make_image(const Options *o, const char *path)
{
    size_t chunk = 1024 * 1024;
    g_autofree uint8_t *buf = g_malloc(chunk);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    if (fd < 0) {
        fprintf(stderr, "blk-bench: cannot create %s: %s\n", path,
                strerror(errno));
        exit(1);
    }
    for (size_t i = 0; i < chunk; i++) {
        buf[i] = i * 7 + 1;
    }
    for (int i = 0; i < o->mib; i++) {
        g_assert_cmpint(write(fd, buf, chunk), ==, chunk);
    }
    close(fd);
}

/* ---- report ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Throughput, and when known polls per batch and CPU us per request. */
static void print_line(const Options *o, const char *what, int wl,
                       double secs, const Bench *b)
{
    double mib = o->mib / secs;
    double reqs = (double)o->mib * 1024 * 1024 / BLOCK_SIZE;

    printf("%-12s %-10s %9.1f MiB/s %9.0f IOPS", what,
           workload_names[wl], mib, reqs / secs);
    if (b) {
        printf(" %6.1f polls/batch %6.2f cpu-us/req",
               b->polls * o->depth / reqs, b->cpu_secs * 1e6 / reqs);
    }
    printf("\n");
}

static void parse_args(Options *o, int argc, char **argv)
{
    GOptionEntry entries[] = {
        { "machina", 0, 0, G_OPTION_ARG_STRING, &o->bin[EMU_MACHINA],
          "Machina binary", "BIN" },
        { "qemu", 0, 0, G_OPTION_ARG_STRING, &o->bin[EMU_QEMU],
          "QEMU binary (default qemu-system-riscv64)", "BIN" },
        { "baseline", 0, 0, G_OPTION_ARG_STRING, &o->bin[EMU_BASELINE],
          "another Machina binary to compare with (optional)", "BIN" },
        { "mib", 0, 0, G_OPTION_ARG_INT, &o->mib,
          "MiB per workload, also the disk size (default 64)", "N" },
        { "depth", 0, 0, G_OPTION_ARG_INT, &o->depth,
          "requests per batch (default 32)", "N" },
        { "rounds", 0, 0, G_OPTION_ARG_INT, &o->rounds,
          "rounds, median reported (default 5)", "N" },
        { "image", 0, 0, G_OPTION_ARG_FILENAME, &o->image_base,
          "raw images to create, PATH.machina and PATH.qemu (default "
          "/dev/shm/blk-bench-PID)", "PATH" },
        { NULL }
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
    g_autoptr(GError) err = NULL;

    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "blk-bench: %s\n", err->message);
        exit(1);
    }
    if (o->depth < 1 || o->depth > MAX_DEPTH || 256 % o->depth ||
        o->mib < 1 || o->rounds < 1 || o->rounds > MAX_ROUNDS) {
        fprintf(stderr, "blk-bench: --depth must divide 256 (at most %d),"
                " --mib must be positive, --rounds from 1 to %d\n",
                MAX_DEPTH, MAX_ROUNDS);
        exit(1);
    }
    if (!o->image_base) {
        o->image_base = g_strdup_printf("/dev/shm/blk-bench-%d", getpid());
    }
    o->nemu = o->bin[EMU_BASELINE] ? 3 : 2;
    for (int emu = 0; emu < o->nemu; emu++) {
        o->image[emu] = g_strdup_printf("%s.%s", o->image_base,
                                        emu_names[emu]);
    }
}

/*
 * Both emulators stay up for the whole run; each workload runs on one
 * and then on the other (the order alternates by round), so a change
 * in the load of the host hits both alike.
 */
int main(int argc, char **argv)
{
    Options o = { .bin = { MACHINA_BINARY, "qemu-system-riscv64" },
                  .mib = 64, .depth = 32, .rounds = 5 };
    uint64_t bytes;
    double secs[EMU_MAX][WL_MAX][MAX_ROUNDS], ratio[WL_MAX][MAX_ROUNDS];
    double ratio_base[WL_MAX][MAX_ROUNDS];
    double cpu[EMU_MAX][WL_MAX][MAX_ROUNDS];
    Bench b[EMU_MAX] = { 0 };

    parse_args(&o, argc, argv);
    bytes = (uint64_t)o.mib * 1024 * 1024;
    printf("blk-bench: %d MiB per workload, 4 KiB requests, %d per batch, "
           "raw images %s.*, %d rounds\n", o.mib, o.depth, o.image_base,
           o.rounds);
    fflush(stdout);
    for (int emu = 0; emu < o.nemu; emu++) {
        make_image(&o, o.image[emu]);
        start_emulator(&o, emu, &b[emu]);
    }

    for (int r = 0; r < o.rounds; r++) {
        for (int wl = 0; wl < WL_MAX; wl++) {
            for (int i = 0; i < o.nemu; i++) {
                int emu = (i + r) % o.nemu;
                g_autofree char *what = g_strdup_printf("r%d %s", r,
                                                        emu_names[emu]);

                secs[emu][wl][r] = bench_run(&b[emu], wl, bytes);
                print_line(&o, what, wl, secs[emu][wl][r], &b[emu]);
                cpu[emu][wl][r] = b[emu].cpu_secs;
            }
            ratio[wl][r] = secs[EMU_QEMU][wl][r] / secs[EMU_MACHINA][wl][r];
            if (o.nemu == EMU_MAX) {
                ratio_base[wl][r] = secs[EMU_BASELINE][wl][r] /
                                    secs[EMU_MACHINA][wl][r];
            }
            fflush(stdout);
        }
    }
    for (int emu = 0; emu < o.nemu; emu++) {
        stop_emulator(&b[emu]);
        unlink(o.image[emu]);
    }

    printf("\nmedian of %d rounds (ratio: Machina/QEMU throughput, "
           "median of the per-round ratios):\n", o.rounds);
    for (int wl = 0; wl < WL_MAX; wl++) {
        double reqs = (double)bytes / BLOCK_SIZE;

        print_line(&o, "machina", wl, median(secs[EMU_MACHINA][wl], o.rounds),
                   NULL);
        print_line(&o, "qemu", wl, median(secs[EMU_QEMU][wl], o.rounds),
                   NULL);
        printf("%-12s %-10s %9.2f   emulator CPU per request: Machina "
               "%.2f us, QEMU %.2f us\n", "ratio", workload_names[wl],
               median(ratio[wl], o.rounds),
               median(cpu[EMU_MACHINA][wl], o.rounds) * 1e6 / reqs,
               median(cpu[EMU_QEMU][wl], o.rounds) * 1e6 / reqs);
        if (o.nemu == EMU_MAX) {
            print_line(&o, "baseline", wl,
                       median(secs[EMU_BASELINE][wl], o.rounds), NULL);
            printf("%-12s %-10s %9.2f   baseline CPU per request: "
                   "%.2f us\n", "vs-baseline", workload_names[wl],
                   median(ratio_base[wl], o.rounds),
                   median(cpu[EMU_BASELINE][wl], o.rounds) * 1e6 / reqs);
        }
    }
    return 0;
}
