/*
 * test-virtio.c: virtio-mmio + virtio-blk / virtio-rng driven in process.
 *
 * A private address space holds 16 MiB of RAM at 0x80000000 and the
 * transports at 0x10001000 + n * 0x1000; a small driver in this file
 * speaks the modern or legacy register interface, builds split rings
 * in RAM, and polls the used ring while running the main loop (block
 * completions and the rng backends need it).
 */
#include "block-test-common.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "qom/object_interfaces.h"
#include "hw/sysbus.h"
#include "hw/qdev-properties.h"
#include "hw/virtio/virtio-mmio.h"
#include "hw/virtio/virtio-blk.h"
#include "hw/virtio/virtio-rng.h"
#include "sysemu/runstate.h"
#include <sys/resource.h>

#define RAM_BASE        0x80000000ULL
#define RAM_SIZE        (16 * MiB)
#define MMIO_BASE       0x10001000ULL
#define HOLE_ADDR       0x40000000ULL   /* nothing mapped here */
#define RING_ADDR       (RAM_BASE + 0x10000)
#define DATA_ADDR       (RAM_BASE + 0x100000)
#define SLOT_SIZE       0x20000         /* per request buffers */
#define QSIZE           64
#define DISK_SIZE       (4 * MiB)

static MemoryRegion root, ram;
static AddressSpace as;
static int irq_level;
static char *log_path;

/* ---- The in-test driver ---------------------------------------------- */

typedef struct TDev {
    DeviceState *proxy;
    DeviceState *dev;
    qemu_irq irq;
    hwaddr base;
    hwaddr ring;                /* this transport's ring area */
    bool legacy;
    unsigned num;
    hwaddr desc, avail, used;
    uint16_t avail_idx;
    uint16_t used_seen;
    uint16_t next_desc;
} TDev;

static uint32_t rd(TDev *t, hwaddr off)
{
    return address_space_ldl_le(&as, t->base + off, MEMTXATTRS_UNSPECIFIED,
                                NULL);
}

static void wr(TDev *t, hwaddr off, uint32_t val)
{
    address_space_stl_le(&as, t->base + off, val, MEMTXATTRS_UNSPECIFIED,
                         NULL);
}

static void gw16(hwaddr a, uint16_t v)
{
    address_space_stw_le(&as, a, v, MEMTXATTRS_UNSPECIFIED, NULL);
}

static uint16_t gr16(hwaddr a)
{
    return address_space_lduw_le(&as, a, MEMTXATTRS_UNSPECIFIED, NULL);
}

static uint32_t gr32(hwaddr a)
{
    return address_space_ldl_le(&as, a, MEMTXATTRS_UNSPECIFIED, NULL);
}

static void gwrite(hwaddr a, const void *buf, size_t len)
{
    address_space_write(&as, a, MEMTXATTRS_UNSPECIFIED, buf, len);
}

static void gread(hwaddr a, void *buf, size_t len)
{
    address_space_read(&as, a, MEMTXATTRS_UNSPECIFIED, buf, len);
}

static void irq_handler(void *opaque, int n, int level)
{
    irq_level = level;
}

/* A transport in slot @slot (legacy or modern), nothing plugged. */
static TDev *tdev_new(int slot, bool legacy)
{
    TDev *t = g_new0(TDev, 1);
    SysBusDevice *sbd;

    t->proxy = qdev_new(TYPE_VIRTIO_MMIO);
    t->base = MMIO_BASE + slot * 0x1000;
    t->ring = RING_ADDR + slot * 0x8000;
    t->legacy = legacy;
    qdev_prop_set_bit(t->proxy, "force-legacy", legacy);
    sbd = SYS_BUS_DEVICE(t->proxy);
    sysbus_realize_and_unref(sbd, &error_abort);
    virtio_mmio_set_dma_as(VIRTIO_MMIO(t->proxy), &as);
    memory_region_add_subregion(&root, t->base,
                                sysbus_mmio_get_region(sbd, 0));
    t->irq = qemu_allocate_irq(irq_handler, NULL, 0);
    sysbus_connect_irq(sbd, 0, t->irq);
    return t;
}

/* Plug @type with "name=value" pairs into @t's bus. */
static bool tdev_plug(TDev *t, const char *type, const char *const *props,
                      Error **errp)
{
    BusState *bus = BUS(VIRTIO_MMIO(t->proxy)->bus);

    t->dev = qdev_new(type);
    for (int i = 0; props && props[i]; i += 2) {
        object_property_parse(OBJECT(t->dev), props[i], props[i + 1],
                              &error_abort);
    }
    if (!qdev_realize_and_unref(t->dev, bus, errp)) {
        t->dev = NULL;
        return false;
    }
    return true;
}

static void tdev_free(TDev *t)
{
    if (t->dev) {
        object_unparent(OBJECT(t->dev));
    }
    memory_region_del_subregion(&root,
                                sysbus_mmio_get_region(
                                    SYS_BUS_DEVICE(t->proxy), 0));
    object_unparent(OBJECT(t->proxy));
    qemu_free_irq(t->irq);
    g_free(t);
}

/* Feature negotiation; returns the features the device offered. */
static uint64_t tdev_negotiate(TDev *t, uint64_t want)
{
    uint64_t offered;

    wr(t, VIRTIO_MMIO_STATUS, 0);
    wr(t, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    wr(t, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                              VIRTIO_CONFIG_S_DRIVER);
    wr(t, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    offered = rd(t, VIRTIO_MMIO_DEVICE_FEATURES);
    wr(t, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    offered |= (uint64_t)rd(t, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
    want &= offered;
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)want);
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(t, VIRTIO_MMIO_DRIVER_FEATURES, want >> 32);
    if (!t->legacy) {
        wr(t, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE |
           VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
    }
    return offered;
}

/* Queue 0 with @num entries at t->ring (legacy layout in both modes). */
static void tdev_setup_queue(TDev *t, unsigned num)
{
    wr(t, VIRTIO_MMIO_QUEUE_SEL, 0);
    num = MIN(num, rd(t, VIRTIO_MMIO_QUEUE_NUM_MAX));
    g_assert_cmpuint(num, >, 0);
    t->num = num;
    t->desc = t->ring;
    t->avail = t->desc + 16 * num;
    t->used = QEMU_ALIGN_UP(t->avail + 6 + 2 * num, 4096);
    t->avail_idx = t->used_seen = t->next_desc = 0;
    memset((uint8_t *)memory_region_get_ram_ptr(&ram) +
           (t->ring - RAM_BASE), 0, 0x8000);

    wr(t, VIRTIO_MMIO_QUEUE_NUM, num);
    if (t->legacy) {
        wr(t, VIRTIO_MMIO_GUEST_PAGE_SIZE, 4096);
        wr(t, VIRTIO_MMIO_QUEUE_ALIGN, 4096);
        wr(t, VIRTIO_MMIO_QUEUE_PFN, t->desc >> 12);
        return;
    }
    wr(t, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)t->desc);
    wr(t, VIRTIO_MMIO_QUEUE_DESC_HIGH, t->desc >> 32);
    wr(t, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)t->avail);
    wr(t, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, t->avail >> 32);
    wr(t, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)t->used);
    wr(t, VIRTIO_MMIO_QUEUE_USED_HIGH, t->used >> 32);
    wr(t, VIRTIO_MMIO_QUEUE_READY, 1);
}

static void tdev_driver_ok(TDev *t)
{
    uint32_t st = rd(t, VIRTIO_MMIO_STATUS);

    wr(t, VIRTIO_MMIO_STATUS, st | VIRTIO_CONFIG_S_DRIVER_OK);
}

/* Negotiate @want, one queue of QSIZE, DRIVER_OK. */
static void tdev_start(TDev *t, uint64_t want)
{
    tdev_negotiate(t, want);
    tdev_setup_queue(t, QSIZE);
    tdev_driver_ok(t);
}

typedef struct Buf {
    hwaddr addr;
    uint32_t len;
    bool dev_writes;
} Buf;

static void put_desc(hwaddr table, unsigned i, uint64_t addr, uint32_t len,
                     uint16_t flags, uint16_t next)
{
    uint8_t d[16];

    addr = GUINT64_TO_LE(addr);
    len = GUINT32_TO_LE(len);
    flags = GUINT16_TO_LE(flags);
    next = GUINT16_TO_LE(next);
    memcpy(d, &addr, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memcpy(d + 14, &next, 2);
    gwrite(table + 16 * i, d, 16);
}

/* Make head descriptor @head available (no notification). */
static void tdev_publish(TDev *t, uint16_t head)
{
    gw16(t->avail + 4 + 2 * (t->avail_idx % t->num), head);
    t->avail_idx++;
    gw16(t->avail + 2, t->avail_idx);
}

/* Chain @n buffers from the ring's table and publish them. */
static uint16_t tdev_add(TDev *t, const Buf *b, int n)
{
    uint16_t head = t->next_desc;

    for (int i = 0; i < n; i++) {
        unsigned d = (head + i) % t->num;

        put_desc(t->desc, d, b[i].addr, b[i].len,
                 (b[i].dev_writes ? VRING_DESC_F_WRITE : 0) |
                 (i + 1 < n ? VRING_DESC_F_NEXT : 0), (d + 1) % t->num);
    }
    t->next_desc = (head + n) % t->num;
    tdev_publish(t, head);
    return head;
}

static void tdev_kick(TDev *t)
{
    wr(t, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

static uint16_t used_idx(TDev *t)
{
    return gr16(t->used + 2);
}

/* Run the main loop until @n more used entries appeared (or 10 s). */
static void tdev_wait_used(TDev *t, int n)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while ((uint16_t)(used_idx(t) - t->used_seen) < n &&
           g_get_monotonic_time() < deadline) {
        main_loop_wait(true);
        g_usleep(100);
    }
    g_assert_cmpuint((uint16_t)(used_idx(t) - t->used_seen), >=, n);
}

/* Take the next used element: its id and length. */
static void tdev_take_used(TDev *t, uint32_t *id, uint32_t *len)
{
    hwaddr e = t->used + 4 + 8 * (t->used_seen % t->num);

    *id = gr32(e);
    *len = gr32(e + 4);
    t->used_seen++;
}

static bool tdev_broken(TDev *t)
{
    return rd(t, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_NEEDS_RESET;
}

/* ---- guest_errors capture -------------------------------------------- */

static void log_start(void)
{
    if (!log_path) {
        log_path = test_path("guest-errors.log");
    }
    g_assert_true(g_file_set_contents(log_path, "", 0, NULL));
    qemu_set_log_filename_flags(log_path, LOG_GUEST_ERROR, &error_abort);
}

/* True if the log since log_start() contains @needle. */
static bool log_has(const char *needle)
{
    g_autofree char *text = NULL;

    qemu_set_log_filename_flags(NULL, 0, &error_abort);
    g_assert_true(g_file_get_contents(log_path, &text, NULL, NULL));
    return strstr(text, needle) != NULL;
}

/* ---- Identification and negotiation ---------------------------------- */

static void test_ident_empty(void)
{
    TDev *legacy = tdev_new(0, true), *modern = tdev_new(1, false);

    g_assert_cmphex(rd(legacy, VIRTIO_MMIO_MAGIC_VALUE), ==, 0x74726976);
    g_assert_cmpuint(rd(legacy, VIRTIO_MMIO_VERSION), ==, 1);
    g_assert_cmpuint(rd(legacy, VIRTIO_MMIO_DEVICE_ID), ==, 0);
    g_assert_cmphex(rd(legacy, VIRTIO_MMIO_VENDOR_ID), ==, 0x554d4551);
    g_assert_cmpuint(rd(modern, VIRTIO_MMIO_VERSION), ==, 2);
    g_assert_cmpuint(rd(modern, VIRTIO_MMIO_DEVICE_ID), ==, 0);

    /* Writes to an empty slot change nothing. */
    wr(modern, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
    g_assert_cmpuint(rd(modern, VIRTIO_MMIO_STATUS), ==, 0);
    tdev_free(legacy);
    tdev_free(modern);
}

static void test_qemu_default_is_legacy(void)
{
    DeviceState *dev = qdev_new(TYPE_VIRTIO_MMIO);

    g_assert_true(object_property_get_bool(OBJECT(dev), "force-legacy",
                                           &error_abort));
    object_unref(dev);
}

static char *make_disk(const char *name, uint32_t seed)
{
    char *path = test_path(name);

    make_raw_file(path, DISK_SIZE, seed);
    return path;
}

static BlockBackend *open_drive(const char *id, const char *path,
                                const char *fmt, const char *extra)
{
    g_autofree char *opts = g_strdup_printf("file=%s,format=%s,if=none,"
                                            "id=%s%s%s", path, fmt, id,
                                            extra ? "," : "",
                                            extra ? extra : "");
    BlockBackend *blk = drive_new_from_opts(opts, &error_abort);

    return blk;
}

static void test_features(void)
{
    g_autofree char *disk = make_disk("feat.raw", 1);
    BlockBackend *blk = open_drive("feat", disk, "raw", "readonly=on");
    TDev *t = tdev_new(0, false);
    const char *props[] = { "drive", "feat", NULL };
    uint64_t f;

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_BLOCK);
    f = tdev_negotiate(t, UINT64_MAX);
    g_assert_true(f & (1ULL << VIRTIO_F_VERSION_1));
    g_assert_true(f & (1ULL << VIRTIO_RING_F_INDIRECT_DESC));
    g_assert_true(f & (1ULL << VIRTIO_RING_F_EVENT_IDX));
    g_assert_true(f & (1ULL << VIRTIO_BLK_F_SEG_MAX));
    g_assert_true(f & (1ULL << VIRTIO_BLK_F_BLK_SIZE));
    g_assert_true(f & (1ULL << VIRTIO_BLK_F_FLUSH));
    g_assert_true(f & (1ULL << VIRTIO_BLK_F_RO));
    g_assert_true(f & (1ULL << VIRTIO_BLK_F_DISCARD));
    g_assert_true(f & (1ULL << VIRTIO_BLK_F_WRITE_ZEROES));
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_STATUS) &
                     VIRTIO_CONFIG_S_FEATURES_OK, !=, 0);

    /* Without VERSION_1 a modern device refuses FEATURES_OK. */
    log_start();
    tdev_negotiate(t, 1ULL << VIRTIO_BLK_F_FLUSH);
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_STATUS) &
                     VIRTIO_CONFIG_S_FEATURES_OK, ==, 0);
    g_assert_true(log_has("VIRTIO_F_VERSION_1"));

    /* Config: capacity in sectors, seg_max = queue-size - 2. */
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY),
                     ==, DISK_SIZE / 512);
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_SEG_MAX),
                     ==, 254);
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_BLK_SIZE),
                     ==, 512);
    tdev_free(t);
    blk_unref(blk);
}

static void test_features_legacy(void)
{
    g_autofree char *disk = make_disk("featl.raw", 1);
    BlockBackend *blk = open_drive("featl", disk, "raw", NULL);
    TDev *t = tdev_new(0, true);
    const char *props[] = { "drive", "featl", NULL };
    uint64_t f;

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    f = tdev_negotiate(t, UINT64_MAX);
    g_assert_cmphex(f >> 32, ==, 0);
    g_assert_false(f & (1ULL << VIRTIO_BLK_F_RO));
    g_assert_true(f & (1ULL << VIRTIO_RING_F_INDIRECT_DESC));
    tdev_free(t);
    blk_unref(blk);
}

/* ---- virtio-blk requests --------------------------------------------- */

/* Buffers of request slot @slot: header, data, status. */
#define SLOT_HDR(slot)      (DATA_ADDR + (slot) * SLOT_SIZE)
#define SLOT_STATUS(slot)   (SLOT_HDR(slot) + 16)
#define SLOT_DATA(slot)     (SLOT_HDR(slot) + 0x1000)

/* Queue a request in slot @slot (data already in place); no kick. */
static void blk_queue(TDev *t, int slot, uint32_t type, uint64_t sector,
                      uint32_t len, bool dev_writes)
{
    uint8_t hdr[16] = { 0 };
    uint32_t type_le = GUINT32_TO_LE(type);
    uint64_t sector_le = GUINT64_TO_LE(sector);
    uint8_t poison = 0xee;
    Buf b[3] = {
        { SLOT_HDR(slot), 16, false },
        { SLOT_DATA(slot), len, dev_writes },
        { SLOT_STATUS(slot), 1, true },
    };

    memcpy(hdr, &type_le, 4);
    memcpy(hdr + 8, &sector_le, 8);
    gwrite(SLOT_HDR(slot), hdr, 16);
    gwrite(SLOT_STATUS(slot), &poison, 1);
    if (len) {
        tdev_add(t, b, 3);
    } else {
        b[1] = b[2];
        tdev_add(t, b, 2);
    }
}

static uint8_t slot_status(int slot)
{
    uint8_t st;

    gread(SLOT_STATUS(slot), &st, 1);
    return st;
}

/* One request, waited for; returns the status byte. */
static uint8_t blk_req(TDev *t, uint32_t type, uint64_t sector, void *buf,
                       uint32_t len, bool dev_writes)
{
    uint32_t id, ulen;

    if (len && !dev_writes) {
        gwrite(SLOT_DATA(0), buf, len);
    }
    blk_queue(t, 0, type, sector, len, dev_writes);
    tdev_kick(t);
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &ulen);
    if (len && dev_writes) {
        gread(SLOT_DATA(0), buf, len);
    }
    return slot_status(0);
}

static uint8_t blk_dwz(TDev *t, uint32_t type, uint64_t sector,
                       uint32_t num, uint32_t flags)
{
    uint8_t seg[16];

    sector = GUINT64_TO_LE(sector);
    num = GUINT32_TO_LE(num);
    flags = GUINT32_TO_LE(flags);
    memcpy(seg, &sector, 8);
    memcpy(seg + 8, &num, 4);
    memcpy(seg + 12, &flags, 4);
    return blk_req(t, type, 0, seg, 16, false);
}

static void assert_file_range(const char *path, off_t off, const void *buf,
                              size_t len)
{
    g_autofree uint8_t *got = g_malloc(len);
    int fd = open(path, O_RDONLY);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pread(fd, got, len, off), ==, len);
    close(fd);
    g_assert_cmpmem(got, len, buf, len);
}

/* Accesses the spec forbids are logged and ignored; the device works. */
static void test_mmio_wrong_state(gconstpointer opaque)
{
    bool legacy = GPOINTER_TO_INT(opaque);
    g_autofree char *disk = make_disk("ws.raw", 2);
    BlockBackend *blk = open_drive("wsd", disk, "raw", NULL);
    TDev *t = tdev_new(3, legacy);
    const char *props[] = { "drive", "wsd", NULL };
    uint8_t buf[512];

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    log_start();
    if (legacy) {
        g_assert_cmphex(rd(t, VIRTIO_MMIO_QUEUE_PFN), ==, t->desc >> 12);
        g_assert_cmpuint(rd(t, VIRTIO_MMIO_QUEUE_READY), ==, 0);
        g_assert_true(log_has("modern-only register 0x44"));
        log_start();
        wr(t, VIRTIO_MMIO_GUEST_PAGE_SIZE, 3);
        g_assert_true(log_has("GuestPageSize 0x3"));
        log_start();
        wr(t, VIRTIO_MMIO_QUEUE_NUM, 8);
    } else {
        g_assert_cmpuint(rd(t, VIRTIO_MMIO_QUEUE_READY), ==, 1);
        g_assert_cmpuint(rd(t, VIRTIO_MMIO_CONFIG_GENERATION), ==, 0);
        g_assert_cmpuint(rd(t, VIRTIO_MMIO_QUEUE_PFN), ==, 0);
        g_assert_true(log_has("legacy-only register 0x40"));
        log_start();
        wr(t, VIRTIO_MMIO_QUEUE_NUM, 8);
        wr(t, VIRTIO_MMIO_DRIVER_FEATURES, 0);
        g_assert_true(log_has("DriverFeatures written after FEATURES_OK"));
    }
    g_assert_true(log_has("QueueNum written while queue 0 is ready"));

    log_start();
    g_assert_cmpuint(address_space_lduw_le(&as, t->base +
                                           VIRTIO_MMIO_MAGIC_VALUE,
                                           MEMTXATTRS_UNSPECIFIED, NULL),
                     ==, 0);
    wr(t, VIRTIO_MMIO_QUEUE_NOTIFY, 5);
    g_assert_true(log_has("registers are 32-bit"));
    g_assert_true(log_has("queue 5, which does not exist"));

    /* Nothing of that broke the device. */
    g_assert_false(tdev_broken(t));
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 0, buf, sizeof(buf), true),
                     ==, VIRTIO_BLK_S_OK);
    tdev_free(t);
    blk_unref(blk);
}

/* num-queues=2: VIRTIO_BLK_F_MQ, num_queues 2, queues 0 and 1 exist. */
static void test_blk_multiqueue(void)
{
    g_autofree char *disk = make_disk("mq.raw", 3);
    BlockBackend *blk = open_drive("mqd", disk, "raw", NULL);
    TDev *t = tdev_new(4, false);
    const char *props[] = { "drive", "mqd", "num-queues", "2", NULL };
    uint64_t f;

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    f = tdev_negotiate(t, UINT64_MAX);
    g_assert_true(f & (1ULL << VIRTIO_BLK_F_MQ));
    g_assert_cmpuint(address_space_lduw_le(&as, t->base +
                                           VIRTIO_MMIO_CONFIG +
                                           VIRTIO_BLK_CFG_NUM_QUEUES,
                                           MEMTXATTRS_UNSPECIFIED, NULL),
                     ==, 2);
    wr(t, VIRTIO_MMIO_QUEUE_SEL, 1);
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 256);
    wr(t, VIRTIO_MMIO_QUEUE_SEL, 2);
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_QUEUE_NUM_MAX), ==, 0);
    tdev_free(t);
    blk_unref(blk);
}

/* Write, read back, flush, get-id, discard, write-zeroes, errors. */
static void run_blk_basic(TDev *t, const char *disk, bool raw)
{
    uint8_t wbuf[8192], rbuf[8192], zero[4096] = { 0 }, id[20];

    fill_pattern(wbuf, sizeof(wbuf), 77);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_OUT, 24, wbuf, sizeof(wbuf),
                             false), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 24, rbuf, sizeof(rbuf),
                             true), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpmem(rbuf, sizeof(rbuf), wbuf, sizeof(wbuf));
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, false),
                     ==, VIRTIO_BLK_S_OK);
    if (raw) {
        assert_file_range(disk, 24 * 512, wbuf, sizeof(wbuf));
    }

    memset(id, 0xff, sizeof(id));
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_GET_ID, 0, id, sizeof(id),
                             true), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpmem(id, 6, "SER123", 6);
    g_assert_cmpuint(id[6], ==, 0);

    /* Write zeroes then discard over the data just written. */
    g_assert_cmpuint(blk_dwz(t, VIRTIO_BLK_T_WRITE_ZEROES, 24, 8, 0), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 24, rbuf, 4096, true), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpmem(rbuf, 4096, zero, 4096);
    g_assert_cmpuint(blk_dwz(t, VIRTIO_BLK_T_DISCARD, 32, 8, 0), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(blk_dwz(t, VIRTIO_BLK_T_DISCARD, 32, 8, 1), ==,
                     VIRTIO_BLK_S_UNSUPP);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, false),
                     ==, VIRTIO_BLK_S_OK);
    if (raw) {
        assert_file_range(disk, 24 * 512, zero, 4096);
    }

    /* A type nobody knows; a read past the end; a partial sector. */
    g_assert_cmpuint(blk_req(t, 99, 0, NULL, 0, false), ==,
                     VIRTIO_BLK_S_UNSUPP);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, DISK_SIZE / 512 - 1, rbuf,
                             1024, true), ==, VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 0, rbuf, 100, true), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_false(tdev_broken(t));
}

static void test_blk_raw(gconstpointer opaque)
{
    bool legacy = GPOINTER_TO_INT(opaque);
    g_autofree char *disk = make_disk(legacy ? "l.raw" : "m.raw", 5);
    BlockBackend *blk = open_drive("rawd", disk, "raw", NULL);
    TDev *t = tdev_new(2, legacy);
    const char *props[] = { "drive", "rawd", "serial", "SER123", NULL };

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    run_blk_basic(t, disk, true);
    tdev_free(t);
    blk_unref(blk);
}

static void test_blk_qcow2(void)
{
    g_autofree char *img = test_path("v.qcow2");
    g_autofree char *ref = test_path("v-ref.raw");
    uint8_t wbuf[65536], discarded[4096];
    BlockBackend *blk;
    TDev *t;
    const char *props[] = { "drive", "q", "serial", "SER123", NULL };

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' %"
                            PRId64, img, (int64_t)DISK_SIZE), ==, 0);
    blk = open_drive("q", img, "qcow2", NULL);
    t = tdev_new(3, false);
    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    run_blk_basic(t, img, false);
    /* A discard inside a 64 KiB cluster may leave the data: take it. */
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 32, discarded,
                             sizeof(discarded), true), ==, VIRTIO_BLK_S_OK);

    /* A 64 KiB write across clusters, then compare with qemu-img. */
    fill_pattern(wbuf, sizeof(wbuf), 9);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_OUT, 1000, wbuf, sizeof(wbuf),
                             false), ==, VIRTIO_BLK_S_OK);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, false),
                     ==, VIRTIO_BLK_S_OK);
    tdev_free(t);
    blk_unref(blk);

    {
        g_autofree uint8_t *disk = g_malloc0(DISK_SIZE);
        FILE *f = fopen(ref, "wb");

        memcpy(disk + 1000 * 512, wbuf, sizeof(wbuf));
        memcpy(disk + 32 * 512, discarded, sizeof(discarded));
        g_assert_nonnull(f);
        g_assert_cmpuint(fwrite(disk, 1, DISK_SIZE, f), ==, DISK_SIZE);
        fclose(f);
    }
    assert_qemu_img_ok(img, ref);
}

/* Sixteen writes in flight from one kick; nothing completes inline. */
static void test_blk_inflight(void)
{
    enum { N = 16 };    /* three descriptors each */
    g_autofree char *disk = make_disk("if.raw", 6);
    BlockBackend *blk = open_drive("ifd", disk, "raw", NULL);
    TDev *t = tdev_new(4, false);
    const char *props[] = { "drive", "ifd", NULL };
    uint8_t buf[4096], rbuf[4096];
    uint32_t id, len;

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    for (int i = 0; i < N; i++) {
        fill_pattern(buf, sizeof(buf), 100 + i);
        gwrite(SLOT_DATA(i), buf, sizeof(buf));
        blk_queue(t, i, VIRTIO_BLK_T_OUT, i * 8, sizeof(buf), false);
    }
    tdev_kick(t);
    g_assert_cmpuint(used_idx(t), ==, 0);
    tdev_wait_used(t, N);
    for (int i = 0; i < N; i++) {
        tdev_take_used(t, &id, &len);
        g_assert_cmpuint(len, ==, 1);
        g_assert_cmpuint(slot_status(i), ==, VIRTIO_BLK_S_OK);
    }
    for (int i = 0; i < N; i++) {
        fill_pattern(buf, sizeof(buf), 100 + i);
        g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, i * 8, rbuf,
                                 sizeof(rbuf), true), ==, VIRTIO_BLK_S_OK);
        g_assert_cmpmem(rbuf, sizeof(rbuf), buf, sizeof(buf));
    }
    tdev_free(t);
    blk_unref(blk);
}

/*
 * A qcow2 image whose first data cluster points past the end of the
 * file: the driver refuses the read with -EIO.
 */
static char *make_failing_qcow2(void)
{
    char *img = test_path("bad.qcow2");
    uint64_t l1_off, l2_off, entry;
    int fd;

    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 4M && "
                            "qemu-io -c 'write -P 7 0 64k' '%s' >/dev/null",
                            img, img), ==, 0);
    fd = open(img, O_RDWR);
    g_assert_cmpint(pread(fd, &l1_off, 8, 40), ==, 8);
    l1_off = GUINT64_FROM_BE(l1_off);
    g_assert_cmpint(pread(fd, &l2_off, 8, l1_off), ==, 8);
    l2_off = GUINT64_FROM_BE(l2_off) & 0x00fffffffffffe00ULL;
    entry = GUINT64_TO_BE((1ULL << 63) | (1ULL << 40));
    g_assert_cmpint(pwrite(fd, &entry, 8, l2_off), ==, 8);
    close(fd);
    return img;
}

static void test_blk_ioerr(void)
{
    g_autofree char *img = NULL;
    BlockBackend *blk;
    TDev *t;
    const char *props[] = { "drive", "bad", NULL };
    uint8_t buf[4096];

    if (!have_qemu_tools()) {
        return;
    }
    img = make_failing_qcow2();
    blk = open_drive("bad", img, "qcow2", NULL);
    t = tdev_new(5, false);
    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 0, buf, sizeof(buf), true),
                     ==, VIRTIO_BLK_S_IOERR);
    /* The rest of the disk still works. */
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 1024, buf, sizeof(buf),
                             true), ==, VIRTIO_BLK_S_OK);
    g_assert_false(tdev_broken(t));
    tdev_free(t);
    blk_unref(blk);
}

/*
 * Writes fail with EFBIG while RLIMIT_FSIZE is below their offset (the
 * limit applies to the block worker threads too).
 */
static void limit_file_size(rlim_t bytes)
{
    struct rlimit rl;

    g_assert_cmpint(getrlimit(RLIMIT_FSIZE, &rl), ==, 0);
    rl.rlim_cur = MIN(bytes, rl.rlim_max);
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &rl), ==, 0);
}

static void run_until_io_error(void)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (!runstate_check(RUN_STATE_IO_ERROR) &&
           g_get_monotonic_time() < deadline) {
        main_loop_wait(true);
        g_usleep(100);
    }
    g_assert_true(runstate_check(RUN_STATE_IO_ERROR));
}

/* rerror=stop: the VM stops in io-error; "cont" retries the request. */
static void test_blk_rerror_stop(void)
{
    g_autofree char *img = NULL;
    BlockBackend *blk;
    TDev *t;
    const char *props[] = { "drive", "bads", NULL };
    uint8_t buf[4096];

    if (!have_qemu_tools()) {
        return;
    }
    img = make_failing_qcow2();
    blk = open_drive("bads", img, "qcow2", "rerror=stop");
    t = tdev_new(6, false);
    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    vm_start();

    blk_queue(t, 0, VIRTIO_BLK_T_IN, 0, sizeof(buf), true);
    tdev_kick(t);
    run_until_io_error();
    g_assert_cmpuint(used_idx(t), ==, 0);

    /* Resuming resubmits; the image is still bad, so it stops again. */
    vm_start();
    g_assert_true(runstate_is_running());
    run_until_io_error();
    g_assert_cmpuint(used_idx(t), ==, 0);

    /* A device reset drops the held request. */
    wr(t, VIRTIO_MMIO_STATUS, 0);
    vm_start();
    for (int i = 0; i < 20; i++) {
        main_loop_wait(true);
    }
    g_assert_true(runstate_is_running());
    tdev_free(t);
    blk_unref(blk);
}

/* werror=: report gives IOERR, ignore gives OK, stop retries on cont. */
static void test_blk_werror(void)
{
    g_autofree char *disk = make_disk("we.raw", 15);
    BlockBackend *rep = open_drive("werep", disk, "raw",
                                   "werror=report,file.locking=off");
    BlockBackend *ign = open_drive("weign", disk, "raw",
                                   "werror=ignore,file.locking=off");
    BlockBackend *stp = open_drive("westop", disk, "raw",
                                   "werror=stop,file.locking=off");
    TDev *t[3] = { tdev_new(0, false), tdev_new(1, false),
                   tdev_new(2, false) };
    const char *names[3] = { "werep", "weign", "westop" };
    uint8_t buf[4096];
    uint32_t id, len;

    signal(SIGXFSZ, SIG_IGN);
    for (int i = 0; i < 3; i++) {
        const char *props[] = { "drive", names[i], NULL };

        g_assert_true(tdev_plug(t[i], TYPE_VIRTIO_BLK, props,
                                &error_abort));
        tdev_start(t[i], UINT64_MAX);
    }
    fill_pattern(buf, sizeof(buf), 16);
    vm_start();
    limit_file_size(1 * MiB);
    g_assert_cmpuint(blk_req(t[0], VIRTIO_BLK_T_OUT, 4096, buf,
                             sizeof(buf), false), ==, VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(blk_req(t[1], VIRTIO_BLK_T_OUT, 4096, buf,
                             sizeof(buf), false), ==, VIRTIO_BLK_S_OK);

    /* stop: held, VM paused; after the limit is lifted "cont" works. */
    gwrite(SLOT_DATA(0), buf, sizeof(buf));
    blk_queue(t[2], 0, VIRTIO_BLK_T_OUT, 4096, sizeof(buf), false);
    tdev_kick(t[2]);
    run_until_io_error();
    g_assert_cmpuint(used_idx(t[2]), ==, 0);
    limit_file_size(RLIM_INFINITY);
    vm_start();
    tdev_wait_used(t[2], 1);
    tdev_take_used(t[2], &id, &len);
    g_assert_cmpuint(slot_status(0), ==, VIRTIO_BLK_S_OK);
    g_assert_true(runstate_is_running());
    assert_file_range(disk, 4096 * 512, buf, sizeof(buf));

    for (int i = 0; i < 3; i++) {
        tdev_free(t[i]);
    }
    blk_unref(rep);
    blk_unref(ign);
    blk_unref(stp);
}

/* ---- Guest misbehaviour ---------------------------------------------- */

typedef void (*Misbehave)(TDev *t);

static void bad_outside_ram(TDev *t)
{
    Buf b[3] = { { SLOT_HDR(0), 16, false }, { HOLE_ADDR, 512, true },
                 { SLOT_STATUS(0), 1, true } };

    tdev_add(t, b, 3);
    tdev_kick(t);
}

static void bad_mmio_buffer(TDev *t)
{
    Buf b[3] = { { SLOT_HDR(0), 16, false }, { t->base, 512, true },
                 { SLOT_STATUS(0), 1, true } };

    tdev_add(t, b, 3);
    tdev_kick(t);
}

static void bad_loop(TDev *t)
{
    put_desc(t->desc, 0, SLOT_HDR(0), 16, VRING_DESC_F_NEXT, 1);
    put_desc(t->desc, 1, SLOT_DATA(0), 512, VRING_DESC_F_NEXT, 0);
    tdev_publish(t, 0);
    tdev_kick(t);
}

static void bad_oversize(TDev *t)
{
    Buf b[3] = { { SLOT_HDR(0), 16, false },
                 { RAM_BASE + RAM_SIZE - 4096, 0x10000, true },
                 { SLOT_STATUS(0), 1, true } };

    tdev_add(t, b, 3);
    tdev_kick(t);
}

static void bad_zero_len(TDev *t)
{
    Buf b[2] = { { SLOT_HDR(0), 0, false }, { SLOT_STATUS(0), 1, true } };

    tdev_add(t, b, 2);
    tdev_kick(t);
}

static void bad_head_index(TDev *t)
{
    tdev_publish(t, QSIZE + 3);
    tdev_kick(t);
}

static void bad_avail_jump(TDev *t)
{
    gw16(t->avail + 2, QSIZE + 5);
    tdev_kick(t);
}

static void bad_indirect_len(TDev *t)
{
    put_desc(t->desc, 0, SLOT_DATA(0), 24, VRING_DESC_F_INDIRECT, 0);
    tdev_publish(t, 0);
    tdev_kick(t);
}

static void bad_indirect_nested(TDev *t)
{
    hwaddr table = SLOT_DATA(1);

    put_desc(table, 0, SLOT_DATA(2), 16, VRING_DESC_F_INDIRECT, 0);
    put_desc(t->desc, 0, table, 16, VRING_DESC_F_INDIRECT, 0);
    tdev_publish(t, 0);
    tdev_kick(t);
}

static void bad_indirect_next(TDev *t)
{
    put_desc(t->desc, 0, SLOT_DATA(1), 32,
             VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
    tdev_publish(t, 0);
    tdev_kick(t);
}

static void bad_indirect_outside(TDev *t)
{
    put_desc(t->desc, 0, HOLE_ADDR, 32, VRING_DESC_F_INDIRECT, 0);
    tdev_publish(t, 0);
    tdev_kick(t);
}

static void bad_order(TDev *t)
{
    Buf b[3] = { { SLOT_STATUS(0), 1, true }, { SLOT_HDR(0), 16, false },
                 { SLOT_DATA(0), 16, true } };

    tdev_add(t, b, 3);
    tdev_kick(t);
}

static void bad_no_header(TDev *t)
{
    Buf b[1] = { { SLOT_STATUS(0), 1, true } };

    tdev_add(t, b, 1);
    tdev_kick(t);
}

/* Re-set queue 0 with size 100 (not a power of two). */
static void bad_queue_size(TDev *t)
{
    wr(t, VIRTIO_MMIO_QUEUE_READY, 0);
    wr(t, VIRTIO_MMIO_QUEUE_NUM, 100);
    wr(t, VIRTIO_MMIO_QUEUE_READY, 1);
}

static void bad_ring_outside(TDev *t)
{
    wr(t, VIRTIO_MMIO_QUEUE_READY, 0);
    wr(t, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)HOLE_ADDR);
    wr(t, VIRTIO_MMIO_QUEUE_READY, 1);
}

typedef struct BadCase {
    const char *name;
    Misbehave fn;
    const char *log;
} BadCase;

static const BadCase bad_cases[] = {
    { "outside-ram", bad_outside_ram, "not in guest RAM" },
    { "mmio-buffer", bad_mmio_buffer, "not in guest RAM" },
    { "loop", bad_loop, "loops" },
    { "oversize", bad_oversize, "not in guest RAM" },
    { "zero-length", bad_zero_len, "length 0" },
    { "head-index", bad_head_index, "out of range" },
    { "avail-jump", bad_avail_jump, "ahead of" },
    { "indirect-length", bad_indirect_len, "indirect table length" },
    { "indirect-nested", bad_indirect_nested, "inside a chain" },
    { "indirect-next", bad_indirect_next, "NEXT set" },
    { "indirect-outside", bad_indirect_outside, "not in guest RAM" },
    { "readable-after-writable", bad_order, "after a device-writable" },
    { "no-header", bad_no_header, "without header" },
    { "queue-size", bad_queue_size, "not a power of two" },
    { "ring-outside", bad_ring_outside, "ring not in guest RAM" },
};

static void test_bad(gconstpointer opaque)
{
    const BadCase *c = opaque;
    g_autofree char *disk = make_disk("bad.raw", 8);
    BlockBackend *blk = open_drive("badd", disk, "raw", NULL);
    TDev *t = tdev_new(7, false);
    const char *props[] = { "drive", "badd", NULL };
    uint8_t buf[512];

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    irq_level = 0;
    log_start();
    c->fn(t);
    for (int i = 0; i < 10; i++) {
        main_loop_wait(true);
    }

    /* Broken: NEEDS_RESET, config interrupt, logged, nothing used. */
    g_assert_true(tdev_broken(t));
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_INTERRUPT_STATUS) &
                     VIRTIO_ISR_CONFIG, !=, 0);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_true(log_has(c->log));
    g_assert_cmpuint(used_idx(t), ==, 0);

    /* Still broken: a good request now is ignored. */
    blk_queue(t, 1, VIRTIO_BLK_T_FLUSH, 0, 0, false);
    tdev_kick(t);
    main_loop_wait(true);
    g_assert_cmpuint(used_idx(t), ==, 0);

    /* A reset brings the device back. */
    wr(t, VIRTIO_MMIO_STATUS, 0);
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_STATUS), ==, 0);
    g_assert_cmpint(irq_level, ==, 0);
    tdev_start(t, UINT64_MAX);
    g_assert_false(tdev_broken(t));
    g_assert_cmpuint(blk_req(t, VIRTIO_BLK_T_IN, 0, buf, sizeof(buf), true),
                     ==, VIRTIO_BLK_S_OK);
    tdev_free(t);
    blk_unref(blk);
}

/* ---- Indirect descriptors and event index ---------------------------- */

static void test_indirect_ok(void)
{
    g_autofree char *disk = make_disk("ind.raw", 12);
    BlockBackend *blk = open_drive("indd", disk, "raw", NULL);
    TDev *t = tdev_new(0, false);
    const char *props[] = { "drive", "indd", NULL };
    hwaddr table = SLOT_DATA(3);
    uint8_t hdr[16] = { 0 }, got[1024], st = 0xee;
    uint32_t id, len;

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);
    /* Read sectors 0-1 into two 512-byte buffers through a table. */
    gwrite(SLOT_HDR(0), hdr, 16);
    gwrite(SLOT_STATUS(0), &st, 1);
    put_desc(table, 0, SLOT_HDR(0), 16, VRING_DESC_F_NEXT, 1);
    put_desc(table, 1, SLOT_DATA(0), 512,
             VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    put_desc(table, 2, SLOT_DATA(1), 512,
             VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 3);
    put_desc(table, 3, SLOT_STATUS(0), 1, VRING_DESC_F_WRITE, 0);
    put_desc(t->desc, 0, table, 64, VRING_DESC_F_INDIRECT, 0);
    tdev_publish(t, 0);
    tdev_kick(t);
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &len);
    g_assert_cmpuint(id, ==, 0);
    g_assert_cmpuint(len, ==, 1025);
    g_assert_cmpuint(slot_status(0), ==, VIRTIO_BLK_S_OK);
    gread(SLOT_DATA(0), got, 512);
    gread(SLOT_DATA(1), got + 512, 512);
    {
        g_autofree uint8_t *file = g_malloc(1024);
        int fd = open(disk, O_RDONLY);

        g_assert_cmpint(pread(fd, file, 1024, 0), ==, 1024);
        close(fd);
        g_assert_cmpmem(got, 1024, file, 1024);
    }
    tdev_free(t);
    blk_unref(blk);
}

/* EVENT_IDX: no interrupt until used_event is crossed. */
static void test_event_idx(void)
{
    g_autofree char *disk = make_disk("ev.raw", 13);
    BlockBackend *blk = open_drive("evd", disk, "raw", NULL);
    TDev *t = tdev_new(1, false);
    const char *props[] = { "drive", "evd", NULL };
    uint32_t id, len;

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, UINT64_MAX);

    /* The first completion always interrupts. */
    irq_level = 0;
    blk_queue(t, 0, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    tdev_kick(t);
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &len);
    g_assert_cmpint(irq_level, ==, 1);
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_INTERRUPT_STATUS), ==,
                     VIRTIO_ISR_QUEUE);
    wr(t, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_ISR_QUEUE);
    g_assert_cmpint(irq_level, ==, 0);

    /* used_event = 2: used index 1 -> 2 does not cross it. */
    gw16(t->avail + 4 + 2 * QSIZE, 2);
    blk_queue(t, 1, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    tdev_kick(t);
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &len);
    g_assert_cmpint(irq_level, ==, 0);
    /* The device asks to be kicked at the next avail index. */
    g_assert_cmpuint(gr16(t->used + 4 + 8 * QSIZE), ==, 2);

    /* 2 -> 3 crosses it. */
    blk_queue(t, 2, VIRTIO_BLK_T_GET_ID, 0, 20, true);
    tdev_kick(t);
    tdev_wait_used(t, 1);
    g_assert_cmpint(irq_level, ==, 1);
    tdev_free(t);
    blk_unref(blk);
}

/* Without EVENT_IDX, VRING_AVAIL_F_NO_INTERRUPT silences completions. */
static void test_no_interrupt_flag(void)
{
    g_autofree char *disk = make_disk("ni.raw", 14);
    BlockBackend *blk = open_drive("nid", disk, "raw", NULL);
    TDev *t = tdev_new(1, true);
    const char *props[] = { "drive", "nid", NULL };
    uint32_t id, len;

    g_assert_true(tdev_plug(t, TYPE_VIRTIO_BLK, props, &error_abort));
    tdev_start(t, 1ULL << VIRTIO_BLK_F_FLUSH);
    gw16(t->avail, VRING_AVAIL_F_NO_INTERRUPT);
    irq_level = 0;
    blk_queue(t, 0, VIRTIO_BLK_T_FLUSH, 0, 0, false);
    tdev_kick(t);
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &len);
    g_assert_cmpint(irq_level, ==, 0);

    gw16(t->avail, 0);
    blk_queue(t, 1, VIRTIO_BLK_T_FLUSH, 0, 0, false);
    tdev_kick(t);
    tdev_wait_used(t, 1);
    g_assert_cmpint(irq_level, ==, 1);
    tdev_free(t);
    blk_unref(blk);
}

/* ---- virtio-rng ------------------------------------------------------ */

static void rng_post(TDev *t, int slot, uint32_t len)
{
    Buf b = { SLOT_DATA(slot), len, true };

    tdev_add(t, &b, 1);
    tdev_kick(t);
}

static void test_rng_delivers(gconstpointer opaque)
{
    const char *backend = opaque;
    TDev *t = tdev_new(2, false);
    const char *props_builtin[] = { NULL };
    const char *props_random[] = { "rng", "rng-test", NULL };
    uint8_t buf[64], zero[64] = { 0 };
    uint32_t id, len;
    Object *obj = NULL;

    if (!strcmp(backend, TYPE_RNG_RANDOM)) {
        obj = user_creatable_add_type(TYPE_RNG_RANDOM, "rng-test", NULL,
                                      &error_abort);
        g_assert_true(tdev_plug(t, TYPE_VIRTIO_RNG, props_random,
                                &error_abort));
    } else {
        g_assert_true(tdev_plug(t, TYPE_VIRTIO_RNG, props_builtin,
                                &error_abort));
    }
    g_assert_cmpuint(rd(t, VIRTIO_MMIO_DEVICE_ID), ==, VIRTIO_ID_RNG);
    tdev_start(t, UINT64_MAX);
    gwrite(SLOT_DATA(0), zero, sizeof(zero));
    rng_post(t, 0, sizeof(buf));
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &len);
    g_assert_cmpuint(len, >, 0);
    g_assert_cmpuint(len, <=, sizeof(buf));
    gread(SLOT_DATA(0), buf, sizeof(buf));
    g_assert_true(memcmp(buf, zero, len));
    tdev_free(t);
    if (obj) {
        g_assert_true(user_creatable_del("rng-test", &error_abort));
    }
}

static void test_rng_rate_limit(void)
{
    TDev *t = tdev_new(3, false);
    const char *props[] = { "max-bytes", "16", "period", "1000", NULL };
    uint32_t id, len;

    qemu_clock_set_virtual_manual(true);
    g_assert_true(tdev_plug(t, TYPE_VIRTIO_RNG, props, &error_abort));
    tdev_start(t, UINT64_MAX);

    /* 64 bytes asked, the period allows 16. */
    rng_post(t, 0, 64);
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &len);
    g_assert_cmpuint(len, ==, 16);

    /* Quota spent: nothing more until the period ends. */
    rng_post(t, 1, 64);
    for (int i = 0; i < 50; i++) {
        main_loop_wait(true);
        g_usleep(100);
    }
    g_assert_cmpuint(used_idx(t), ==, 1);
    qemu_clock_advance_virtual_ns(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                  999 * SCALE_MS);
    main_loop_wait(true);
    g_assert_cmpuint(used_idx(t), ==, 1);
    qemu_clock_advance_virtual_ns(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                                  2 * SCALE_MS);
    tdev_wait_used(t, 1);
    tdev_take_used(t, &id, &len);
    g_assert_cmpuint(len, ==, 16);
    tdev_free(t);
    qemu_clock_set_virtual_manual(false);
}

static void test_rng_bad_props(void)
{
    TDev *t = tdev_new(4, false);
    const char *zero_period[] = { "period", "0", NULL };
    Error *err = NULL;

    g_assert_false(tdev_plug(t, TYPE_VIRTIO_RNG, zero_period, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'period' parameter expects a positive integer");
    error_free(err);
    tdev_free(t);
}

static void test_blk_bad_props(void)
{
    TDev *t = tdev_new(4, false);
    const char *no_drive[] = { NULL };
    const char *unknown[] = { "drive", "nosuch", NULL };
    Error *err = NULL;

    g_assert_false(tdev_plug(t, TYPE_VIRTIO_BLK, no_drive, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "drive property not set");
    error_free(err);
    err = NULL;
    g_assert_false(tdev_plug(t, TYPE_VIRTIO_BLK, unknown, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Cannot find device='nosuch' nor node-name='nosuch'");
    error_free(err);
    tdev_free(t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();
    memory_region_init(&root, NULL, "test-root", UINT64_MAX);
    memory_region_init_ram(&ram, NULL, "test-ram", RAM_SIZE, &error_abort);
    memory_region_add_subregion(&root, RAM_BASE, &ram);
    address_space_init(&as, &root, "test-as");

    g_test_add_func("/virtio/mmio/ident-empty", test_ident_empty);
    g_test_add_func("/virtio/mmio/default-legacy",
                    test_qemu_default_is_legacy);
    g_test_add_func("/virtio/mmio/features", test_features);
    g_test_add_func("/virtio/mmio/features-legacy", test_features_legacy);
    g_test_add_data_func("/virtio/mmio/wrong-state/modern",
                         GINT_TO_POINTER(0), test_mmio_wrong_state);
    g_test_add_data_func("/virtio/mmio/wrong-state/legacy",
                         GINT_TO_POINTER(1), test_mmio_wrong_state);
    g_test_add_func("/virtio/blk/multiqueue", test_blk_multiqueue);
    g_test_add_data_func("/virtio/blk/raw/modern", GINT_TO_POINTER(0),
                         test_blk_raw);
    g_test_add_data_func("/virtio/blk/raw/legacy", GINT_TO_POINTER(1),
                         test_blk_raw);
    g_test_add_func("/virtio/blk/qcow2", test_blk_qcow2);
    g_test_add_func("/virtio/blk/in-flight", test_blk_inflight);
    g_test_add_func("/virtio/blk/ioerr", test_blk_ioerr);
    g_test_add_func("/virtio/blk/rerror-stop", test_blk_rerror_stop);
    g_test_add_func("/virtio/blk/werror", test_blk_werror);
    g_test_add_func("/virtio/blk/bad-props", test_blk_bad_props);
    g_test_add_func("/virtio/ring/indirect", test_indirect_ok);
    g_test_add_func("/virtio/ring/event-idx", test_event_idx);
    g_test_add_func("/virtio/ring/no-interrupt", test_no_interrupt_flag);
    for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        g_autofree char *name = g_strdup_printf("/virtio/broken/%s",
                                                bad_cases[i].name);

        g_test_add_data_func(name, &bad_cases[i], test_bad);
    }
    g_test_add_data_func("/virtio/rng/builtin", TYPE_RNG_BUILTIN,
                         test_rng_delivers);
    g_test_add_data_func("/virtio/rng/random", TYPE_RNG_RANDOM,
                         test_rng_delivers);
    g_test_add_func("/virtio/rng/rate-limit", test_rng_rate_limit);
    g_test_add_func("/virtio/rng/bad-props", test_rng_bad_props);
    return g_test_run();
}
