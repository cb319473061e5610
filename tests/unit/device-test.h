/*
 * device-test.h: helpers for device model unit tests.
 *
 * Tests run as the emulator's main thread does (big lock held, main loop
 * initialised) with QEMU_CLOCK_VIRTUAL in manual mode, so virtual time
 * moves only through dt_step_ns().  Interrupt lines are observed with an
 * IrqProbe: one qemu_irq per line number that records levels and edges.
 */
#ifndef TESTS_UNIT_DEVICE_TEST_H
#define TESTS_UNIT_DEVICE_TEST_H

#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "hw/sysbus.h"
#include "hw/qdev-properties.h"
#include "exec/memory.h"
#include "qapi/error.h"

#define DT_PROBE_LINES 64

typedef struct IrqProbe {
    int level[DT_PROBE_LINES];
    int raises[DT_PROBE_LINES];
    int lowers[DT_PROBE_LINES];
} IrqProbe;

static inline void dt_probe_handler(void *opaque, int n, int level)
{
    IrqProbe *p = opaque;

    if (level && !p->level[n]) {
        p->raises[n]++;
    } else if (!level && p->level[n]) {
        p->lowers[n]++;
    }
    p->level[n] = level;
}

static inline qemu_irq dt_probe_line(IrqProbe *p, int n)
{
    g_assert_cmpint(n, <, DT_PROBE_LINES);
    return qemu_allocate_irq(dt_probe_handler, p, n);
}

/* Connect the first @n unnamed GPIO outputs of @dev to probe lines. */
static inline void dt_probe_gpio_out(IrqProbe *p, DeviceState *dev, int n)
{
    for (int i = 0; i < n; i++) {
        qdev_connect_gpio_out(dev, i, dt_probe_line(p, i));
    }
}

/* A private address space holding region 0 of @sbd at @base. */
static inline AddressSpace *dt_private_as(SysBusDevice *sbd, hwaddr base)
{
    MemoryRegion *root = g_new0(MemoryRegion, 1);
    MemoryRegion *alias = g_new0(MemoryRegion, 1);
    MemoryRegion *mr = sysbus_mmio_get_region(sbd, 0);
    AddressSpace *as = g_new0(AddressSpace, 1);

    /* An alias, so a region the board helper mapped can be seen too. */
    memory_region_init(root, NULL, "test-root", UINT64_MAX);
    memory_region_init_alias(alias, NULL, "test-alias", mr, 0,
                             memory_region_size(mr));
    memory_region_add_subregion(root, base, alias);
    address_space_init(as, root, "test-as");
    return as;
}

static inline uint32_t dt_rd32(AddressSpace *as, hwaddr a)
{
    return address_space_ldl_le(as, a, MEMTXATTRS_UNSPECIFIED, NULL);
}

static inline uint64_t dt_rd64(AddressSpace *as, hwaddr a)
{
    return address_space_ldq_le(as, a, MEMTXATTRS_UNSPECIFIED, NULL);
}

static inline uint8_t dt_rd8(AddressSpace *as, hwaddr a)
{
    return address_space_ldub(as, a, MEMTXATTRS_UNSPECIFIED, NULL);
}

static inline void dt_wr32(AddressSpace *as, hwaddr a, uint32_t v)
{
    address_space_stl_le(as, a, v, MEMTXATTRS_UNSPECIFIED, NULL);
}

static inline void dt_wr64(AddressSpace *as, hwaddr a, uint64_t v)
{
    address_space_stq_le(as, a, v, MEMTXATTRS_UNSPECIFIED, NULL);
}

static inline void dt_wr8(AddressSpace *as, hwaddr a, uint8_t v)
{
    address_space_stb(as, a, v, MEMTXATTRS_UNSPECIFIED, NULL);
}

static inline int64_t dt_now_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

/* Advance virtual time by @ns, running the timers that fall due. */
static inline int64_t dt_step_ns(int64_t ns)
{
    return qemu_clock_advance_virtual_ns(dt_now_ns() + ns);
}

static inline void dt_init(int *argc, char ***argv)
{
    g_test_init(argc, argv, NULL);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();
    qemu_clock_set_virtual_manual(true);
}

#endif /* TESTS_UNIT_DEVICE_TEST_H */
