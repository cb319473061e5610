/*
 * Unit tests of the memory API: flattening (overlaps, priorities,
 * aliases, containers, removal), RAM and MMIO dispatch, access-size
 * adjustment and "info mtree".
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "exec/memory.h"

/* A device with 4-byte registers that records what it saw. */
typedef struct TestDev {
    MemoryRegion mr;
    uint32_t regs[16];
    unsigned last_size;
    hwaddr last_addr;
    int reads, writes;
} TestDev;

static uint64_t testdev_read(void *opaque, hwaddr addr, unsigned size)
{
    TestDev *d = opaque;

    d->reads++;
    d->last_size = size;
    d->last_addr = addr;
    return d->regs[addr / 4];
}

static void testdev_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    TestDev *d = opaque;

    d->writes++;
    d->last_size = size;
    d->last_addr = addr;
    d->regs[addr / 4] = val;
}

/* Accepts 1..8 byte accesses but implements only aligned 4-byte ones. */
static const MemoryRegionOps testdev_ops = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* Only 4-byte aligned accesses are valid. */
static const MemoryRegionOps strict_ops = {
    .read = testdev_read,
    .write = testdev_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static MemoryRegion root;
static AddressSpace as;

static void setup(void)
{
    memory_region_init(&root, NULL, "root", UINT64_MAX);
    address_space_init(&as, &root, "test");
}

static void teardown(void)
{
    address_space_destroy(&as);
    memory_region_finalize(&root);
}

/* Which region backs @addr, or NULL. */
static MemoryRegion *at(hwaddr addr, hwaddr *xlat)
{
    hwaddr x, len;
    MemoryRegion *mr = address_space_translate(&as, addr, &x, &len, false,
                                               MEMTXATTRS_UNSPECIFIED);

    if (xlat) {
        *xlat = x;
    }
    return mr;
}

static void test_flat_ram_and_gaps(void)
{
    MemoryRegion ram;
    uint32_t v = 0x11223344, got = 0;

    setup();
    g_assert_true(memory_region_init_ram(&ram, NULL, "ram", 0x10000,
                                         &error_abort));
    memory_region_add_subregion(&root, 0x80000000, &ram);

    g_assert_true(at(0x80000000, NULL) == &ram);
    g_assert_true(at(0x8000ffff, NULL) == &ram);
    g_assert_null(at(0x80010000, NULL));
    g_assert_null(at(0x7fffffff, NULL));

    g_assert_cmpint(address_space_write(&as, 0x80000100,
                                        MEMTXATTRS_UNSPECIFIED, &v, 4),
                    ==, MEMTX_OK);
    g_assert_cmpint(address_space_read(&as, 0x80000100,
                                       MEMTXATTRS_UNSPECIFIED, &got, 4),
                    ==, MEMTX_OK);
    g_assert_cmphex(got, ==, v);
    g_assert_cmphex(*(uint32_t *)((uint8_t *)memory_region_get_ram_ptr(&ram)
                                  + 0x100), ==, v);

    /* Unassigned reads give zero and a decode error. */
    got = 0xffffffff;
    g_assert_cmpint(address_space_read(&as, 0x1000, MEMTXATTRS_UNSPECIFIED,
                                       &got, 4), ==, MEMTX_DECODE_ERROR);
    g_assert_cmphex(got, ==, 0);

    memory_region_del_subregion(&root, &ram);
    g_assert_null(at(0x80000000, NULL));
    teardown();
    memory_region_finalize(&ram);
}

static void test_flat_priorities(void)
{
    MemoryRegion low, high;
    hwaddr xlat;

    setup();
    memory_region_init_ram(&low, NULL, "low", 0x3000, &error_abort);
    memory_region_init_ram(&high, NULL, "high", 0x1000, &error_abort);
    memory_region_add_subregion_overlap(&root, 0x10000, &low, 0);
    memory_region_add_subregion_overlap(&root, 0x11000, &high, 1);

    /* low | high | low, with low's offsets continuing underneath. */
    g_assert_true(at(0x10fff, &xlat) == &low);
    g_assert_cmphex(xlat, ==, 0xfff);
    g_assert_true(at(0x11000, &xlat) == &high);
    g_assert_cmphex(xlat, ==, 0);
    g_assert_true(at(0x12000, &xlat) == &low);
    g_assert_cmphex(xlat, ==, 0x2000);

    /* Disabling the winner uncovers the one below. */
    memory_region_set_enabled(&high, false);
    g_assert_true(at(0x11000, &xlat) == &low);
    g_assert_cmphex(xlat, ==, 0x1000);
    memory_region_set_enabled(&high, true);

    /* Re-adding with a lower priority makes it lose. */
    memory_region_del_subregion(&root, &high);
    memory_region_add_subregion_overlap(&root, 0x11000, &high, -1);
    g_assert_true(at(0x11000, NULL) == &low);

    memory_region_del_subregion(&root, &high);
    memory_region_del_subregion(&root, &low);
    teardown();
    memory_region_finalize(&high);
    memory_region_finalize(&low);
}

static void test_flat_alias_and_container(void)
{
    MemoryRegion ram, alias, box, inner;
    hwaddr xlat;

    setup();
    memory_region_init_ram(&ram, NULL, "ram", 0x10000, &error_abort);
    memory_region_init_alias(&alias, NULL, "win", &ram, 0x4000, 0x2000);
    memory_region_init(&box, NULL, "box", 0x10000);
    memory_region_init_ram(&inner, NULL, "inner", 0x1000, &error_abort);

    memory_region_add_subregion(&root, 0x80000000, &ram);
    memory_region_add_subregion(&root, 0x1000, &alias);
    memory_region_add_subregion(&box, 0x2000, &inner);
    memory_region_add_subregion(&root, 0x40000000, &box);

    /* The alias shows ram[0x4000..0x6000) at 0x1000. */
    g_assert_true(at(0x1000, &xlat) == &ram);
    g_assert_cmphex(xlat, ==, 0x4000);
    g_assert_true(at(0x2fff, &xlat) == &ram);
    g_assert_cmphex(xlat, ==, 0x5fff);
    g_assert_null(at(0x3000, NULL));

    /* Writes through the alias land in the target. */
    address_space_stl_le(&as, 0x1010, 0xcafef00d, MEMTXATTRS_UNSPECIFIED,
                         NULL);
    g_assert_cmphex(address_space_ldl_le(&as, 0x80004010,
                                         MEMTXATTRS_UNSPECIFIED, NULL),
                    ==, 0xcafef00d);

    /* Containers contribute only their subregions. */
    g_assert_null(at(0x40000000, NULL));
    g_assert_true(at(0x40002000, &xlat) == &inner);
    g_assert_cmphex(xlat, ==, 0);

    /* Moving the container moves its content. */
    memory_region_set_address(&box, 0x50000000);
    g_assert_null(at(0x40002000, NULL));
    g_assert_true(at(0x50002fff, NULL) == &inner);

    memory_region_del_subregion(&box, &inner);
    memory_region_del_subregion(&root, &box);
    memory_region_del_subregion(&root, &alias);
    memory_region_del_subregion(&root, &ram);
    teardown();
    memory_region_finalize(&inner);
    memory_region_finalize(&box);
    memory_region_finalize(&alias);
    memory_region_finalize(&ram);
}

static void test_transaction_batches(void)
{
    MemoryRegion a, b;

    setup();
    memory_region_init_ram(&a, NULL, "a", 0x1000, &error_abort);
    memory_region_init_ram(&b, NULL, "b", 0x1000, &error_abort);

    memory_region_transaction_begin();
    memory_region_add_subregion(&root, 0x1000, &a);
    memory_region_add_subregion(&root, 0x2000, &b);
    /* Not rendered until the outermost commit. */
    g_assert_null(at(0x1000, NULL));
    memory_region_transaction_commit();

    g_assert_true(at(0x1000, NULL) == &a);
    g_assert_true(at(0x2000, NULL) == &b);
    memory_region_del_subregion(&root, &a);
    memory_region_del_subregion(&root, &b);
    teardown();
    memory_region_finalize(&a);
    memory_region_finalize(&b);
}

static void test_mmio_adjust(void)
{
    TestDev d = { 0 };
    uint64_t v;

    setup();
    memory_region_init_io(&d.mr, NULL, &testdev_ops, &d, "dev", 0x40);
    memory_region_add_subregion(&root, 0x10000000, &d.mr);

    /* An 8-byte access is split into two 4-byte ones, low word first. */
    address_space_stq_le(&as, 0x10000008, 0x1111111122222222ULL,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    g_assert_cmpint(d.writes, ==, 2);
    g_assert_cmphex(d.regs[2], ==, 0x22222222);
    g_assert_cmphex(d.regs[3], ==, 0x11111111);

    /* A byte read is widened to the aligned word and the byte extracted. */
    d.regs[1] = 0xaabbccdd;
    v = address_space_ldub(&as, 0x10000006, MEMTXATTRS_UNSPECIFIED, NULL);
    g_assert_cmphex(v, ==, 0xbb);
    g_assert_cmpuint(d.last_size, ==, 4);
    g_assert_cmphex(d.last_addr, ==, 4);

    memory_region_del_subregion(&root, &d.mr);
    teardown();
    memory_region_finalize(&d.mr);
}

static void test_mmio_invalid_access(void)
{
    TestDev d = { .regs = { 0x12345678 } };
    MemTxResult r;
    uint32_t v;

    setup();
    memory_region_init_io(&d.mr, NULL, &strict_ops, &d, "strict", 0x10);
    memory_region_add_subregion(&root, 0x20000000, &d.mr);

    /* Unaligned or too small: refused, the device is not called. */
    v = address_space_ldl_le(&as, 0x20000002, MEMTXATTRS_UNSPECIFIED, &r);
    g_assert_cmpint(r, ==, MEMTX_ACCESS_ERROR);
    g_assert_cmphex(v, ==, 0);
    address_space_stb(&as, 0x20000000, 1, MEMTXATTRS_UNSPECIFIED, &r);
    g_assert_cmpint(r, ==, MEMTX_ACCESS_ERROR);
    g_assert_cmpint(d.reads + d.writes, ==, 0);

    v = address_space_ldl_le(&as, 0x20000000, MEMTXATTRS_UNSPECIFIED, &r);
    g_assert_cmpint(r, ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x12345678);

    memory_region_del_subregion(&root, &d.mr);
    teardown();
    memory_region_finalize(&d.mr);
}

static void test_rom_is_read_only(void)
{
    MemoryRegion rom;
    uint32_t v = 0xdeadbeef, got;

    setup();
    memory_region_init_rom(&rom, NULL, "rom", 0x1000, &error_abort);
    memory_region_add_subregion(&root, 0x1000, &rom);

    /* Guest writes are dropped; loaders write with _write_rom. */
    address_space_write(&as, 0x1000, MEMTXATTRS_UNSPECIFIED, &v, 4);
    address_space_read(&as, 0x1000, MEMTXATTRS_UNSPECIFIED, &got, 4);
    g_assert_cmphex(got, ==, 0);
    address_space_write_rom(&as, 0x1000, MEMTXATTRS_UNSPECIFIED, &v, 4);
    address_space_read(&as, 0x1000, MEMTXATTRS_UNSPECIFIED, &got, 4);
    g_assert_cmphex(got, ==, v);
    g_assert_true(memory_region_is_rom(&rom));

    memory_region_del_subregion(&root, &rom);
    teardown();
    memory_region_finalize(&rom);
}

static int notified;

static void count_notify(AddressSpace *space, void *opaque)
{
    notified++;
}

static void test_topology_notifier(void)
{
    MemoryRegion ram;

    setup();
    address_space_add_topology_notifier(&as, count_notify, NULL);
    memory_region_init_ram(&ram, NULL, "ram", 0x1000, &error_abort);
    notified = 0;
    memory_region_add_subregion(&root, 0, &ram);
    g_assert_cmpint(notified, ==, 1);
    memory_region_del_subregion(&root, &ram);
    g_assert_cmpint(notified, ==, 2);
    teardown();
    memory_region_finalize(&ram);
}

static void test_mtree_format(void)
{
    MemoryRegion ram, rom, alias, io;
    TestDev d = { 0 };
    g_autofree char *tree = NULL, *flat = NULL;

    setup();
    memory_region_init_ram(&ram, NULL, "board.ram", 0x8000000, &error_abort);
    memory_region_init_rom(&rom, NULL, "board.mrom", 0xf000, &error_abort);
    memory_region_init_io(&io, NULL, &testdev_ops, &d, "serial", 0x8);
    memory_region_init_alias(&alias, NULL, "win", &ram, 0x1000, 0x1000);
    memory_region_add_subregion(&root, 0x80000000, &ram);
    memory_region_add_subregion(&root, 0x1000, &rom);
    memory_region_add_subregion(&root, 0x10000000, &io);
    memory_region_add_subregion(&root, 0x40000000, &alias);

    tree = memory_mtree_info(false);
    g_assert_nonnull(strstr(tree, "address-space: test\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): root\n"
        "    0000000000001000-000000000000ffff (prio 0, rom): board.mrom\n"
        "    0000000010000000-0000000010000007 (prio 0, i/o): serial\n"
        "    0000000040000000-0000000040000fff (prio 0, ram): alias win "
        "@board.ram 0000000000001000-0000000000001fff\n"
        "    0000000080000000-0000000087ffffff (prio 0, ram): board.ram\n"));

    flat = memory_mtree_info(true);
    g_assert_nonnull(strstr(flat, " AS \"test\", root: root\n"
        " Root memory region: root\n"
        "  0000000000001000-000000000000ffff (prio 0, rom): board.mrom\n"
        "  0000000010000000-0000000010000007 (prio 0, i/o): serial\n"
        "  0000000040000000-0000000040000fff (prio 0, ram): board.ram "
        "@0000000000001000\n"
        "  0000000080000000-0000000087ffffff (prio 0, ram): board.ram\n"));

    memory_region_del_subregion(&root, &alias);
    memory_region_del_subregion(&root, &io);
    memory_region_del_subregion(&root, &rom);
    memory_region_del_subregion(&root, &ram);
    teardown();
    memory_region_finalize(&alias);
    memory_region_finalize(&io);
    memory_region_finalize(&rom);
    memory_region_finalize(&ram);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_mutex_lock_iothread();
    g_test_add_func("/memory/flat/ram-and-gaps", test_flat_ram_and_gaps);
    g_test_add_func("/memory/flat/priorities", test_flat_priorities);
    g_test_add_func("/memory/flat/alias-container",
                    test_flat_alias_and_container);
    g_test_add_func("/memory/flat/transaction", test_transaction_batches);
    g_test_add_func("/memory/mmio/adjust", test_mmio_adjust);
    g_test_add_func("/memory/mmio/invalid", test_mmio_invalid_access);
    g_test_add_func("/memory/rom", test_rom_is_read_only);
    g_test_add_func("/memory/notifier", test_topology_notifier);
    g_test_add_func("/memory/mtree", test_mtree_format);
    return g_test_run();
}
