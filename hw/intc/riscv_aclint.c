/*
 * riscv_aclint.c: RISC-V ACLINT MTIMER and MSWI/SSWI devices.
 *
 * mtime is not stored: it is derived from QEMU_CLOCK_VIRTUAL plus an
 * offset that a guest write to mtime adjusts, so it stops with the VM
 * and moves exactly with qtest's clock_step.  Each hart's MTIP is
 * recomputed whenever mtime or its mtimecmp is written, and a VIRTUAL
 * timer is armed at the first nanosecond at which mtime reaches mtimecmp.
 */
#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/intc/riscv_aclint.h"

#define NS_PER_SEC 1000000000ULL
#define MTIMER_REG_SIZE 8

/* Harts served by an MTIMER created with provide_rdtime, by hart id. */
static DeviceState *rdtime_mtimers[RISCV_ACLINT_MAX_HARTS + 1];

/* ---- MTIMER --------------------------------------------------------- */

static uint64_t ns_to_ticks(int64_t ns, uint32_t freq)
{
    return (unsigned __int128)(uint64_t)ns * freq / NS_PER_SEC;
}

/* mtime at virtual time @now_ns. */
static uint64_t mtimer_ticks_at(RISCVAclintMTimerState *s, int64_t now_ns)
{
    return ns_to_ticks(now_ns, s->timebase_freq)
           + (uint64_t)qatomic_read(&s->time_delta);
}

/*
 * The time CSR path: no QOM type check (a type lookup by name), the
 * caller got @dev from riscv_aclint_mtimer_find() or the board.
 */
static RISCVAclintMTimerState *mtimer_of(DeviceState *dev)
{
    return container_of(dev, RISCVAclintMTimerState, parent_obj.parent_obj);
}

uint64_t riscv_aclint_mtimer_get_ticks(DeviceState *dev)
{
    RISCVAclintMTimerState *s = mtimer_of(dev);

    return mtimer_ticks_at(s, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

DeviceState *riscv_aclint_mtimer_find(uint32_t hartid)
{
    return hartid <= RISCV_ACLINT_MAX_HARTS ? rdtime_mtimers[hartid] : NULL;
}

int64_t riscv_aclint_mtimer_deadline_ns(DeviceState *dev, uint64_t ticks)
{
    RISCVAclintMTimerState *s = mtimer_of(dev);
    /* Counter ticks (without the offset) at which mtime == @ticks. */
    __int128 raw_ticks = (__int128)ticks - qatomic_read(&s->time_delta);
    unsigned __int128 ns;

    if (raw_ticks <= 0) {
        return 0;
    }
    /* Round up: the first nanosecond at which the count has reached it. */
    ns = ((unsigned __int128)raw_ticks * NS_PER_SEC + s->timebase_freq - 1)
         / s->timebase_freq;
    return ns > INT64_MAX ? -1 : (int64_t)ns;
}

/*
 * Set MTIP of hart @h from mtime and mtimecmp, and arm its timer at the
 * first virtual nanosecond where mtime reaches mtimecmp.  A deadline past
 * INT64_MAX ns (e.g. mtimecmp = UINT64_MAX, how guests disable the
 * timer) can never be reached, so no timer is armed for it.
 */
static void mtimer_update_hart(RISCVAclintMTimerHart *h)
{
    RISCVAclintMTimerState *s = h->mtimer;
    int idx = h - s->harts;
    int64_t now_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int64_t deadline_ns;

    if (mtimer_ticks_at(s, now_ns) >= h->timecmp) {
        timer_del(&h->timer);
        qemu_irq_raise(s->timer_irqs[idx]);
        return;
    }
    qemu_irq_lower(s->timer_irqs[idx]);

    deadline_ns = riscv_aclint_mtimer_deadline_ns(DEVICE(s), h->timecmp);
    if (deadline_ns < 0) {
        timer_del(&h->timer);
        return;
    }
    timer_mod_ns(&h->timer, deadline_ns);
}

static void mtimer_timer_cb(void *opaque)
{
    mtimer_update_hart(opaque);
}

static void mtimer_update_all(RISCVAclintMTimerState *s)
{
    for (uint32_t i = 0; i < s->num_harts; i++) {
        mtimer_update_hart(&s->harts[i]);
    }
}

/*
 * Find the 64-bit register at @addr: *reg_off = offset inside it.
 * Returns the hart index, MTIMER_REG_MTIME, or MTIMER_REG_NONE.
 */
enum { MTIMER_REG_MTIME = -1, MTIMER_REG_NONE = -2 };

static int mtimer_decode(RISCVAclintMTimerState *s, hwaddr addr,
                         unsigned size, unsigned *reg_off)
{
    int reg = MTIMER_REG_NONE;

    if (addr >= s->time_base && addr - s->time_base < MTIMER_REG_SIZE) {
        *reg_off = addr - s->time_base;
        reg = MTIMER_REG_MTIME;
    } else if (addr >= s->timecmp_base &&
               addr - s->timecmp_base < (hwaddr)s->num_harts * 8) {
        *reg_off = (addr - s->timecmp_base) % MTIMER_REG_SIZE;
        reg = (addr - s->timecmp_base) / MTIMER_REG_SIZE;
    }
    if (reg != MTIMER_REG_NONE && *reg_off + size > MTIMER_REG_SIZE) {
        return MTIMER_REG_NONE;
    }
    return reg;
}

static uint64_t mtimer_read(void *opaque, hwaddr addr, unsigned size)
{
    RISCVAclintMTimerState *s = opaque;
    unsigned off = 0;
    int reg = mtimer_decode(s, addr, size, &off);
    uint64_t val;

    switch (reg) {
    case MTIMER_REG_NONE:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: invalid read at offset 0x%"
                      PRIx64 ", size %u\n", __func__, addr, size);
        return 0;
    case MTIMER_REG_MTIME:
        val = riscv_aclint_mtimer_get_ticks(DEVICE(s));
        break;
    default:
        val = s->harts[reg].timecmp;
        break;
    }
    val >>= off * 8;
    return size == 8 ? val : val & 0xffffffffu;
}

/* @old with @size bytes at byte @off replaced by @val. */
static uint64_t deposit_bytes(uint64_t old, unsigned off, unsigned size,
                              uint64_t val)
{
    uint64_t mask = size == 8 ? UINT64_MAX
                              : ((UINT64_C(1) << (size * 8)) - 1) << (off * 8);

    return (old & ~mask) | ((val << (off * 8)) & mask);
}

static void mtimer_write(void *opaque, hwaddr addr, uint64_t val,
                         unsigned size)
{
    RISCVAclintMTimerState *s = opaque;
    unsigned off = 0;
    int reg = mtimer_decode(s, addr, size, &off);
    RISCVAclintMTimerHart *h;
    int64_t now_ns;
    uint64_t mtime;

    switch (reg) {
    case MTIMER_REG_NONE:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: invalid write at offset 0x%"
                      PRIx64 ", size %u, value 0x%" PRIx64 "\n", __func__,
                      addr, size, val);
        return;
    case MTIMER_REG_MTIME:
        /* A new mtime is a new offset from the virtual clock. */
        now_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        mtime = deposit_bytes(mtimer_ticks_at(s, now_ns), off, size, val);
        qatomic_set(&s->time_delta,
                    (int64_t)(mtime - ns_to_ticks(now_ns, s->timebase_freq)));
        mtimer_update_all(s);
        return;
    default:
        h = &s->harts[reg];
        h->timecmp = deposit_bytes(h->timecmp, off, size, val);
        mtimer_update_hart(h);
        return;
    }
}

static const MemoryRegionOps mtimer_ops = {
    .read = mtimer_read,
    .write = mtimer_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 8,
    .impl.min_access_size = 4,
    .impl.max_access_size = 8,
};

static bool mtimer_check_props(RISCVAclintMTimerState *s, Error **errp)
{
    if (s->num_harts == 0 || s->num_harts > RISCV_ACLINT_MAX_HARTS) {
        error_setg(errp, "riscv.aclint.mtimer: property 'num-harts' must "
                   "be between 1 and %d", RISCV_ACLINT_MAX_HARTS);
        return false;
    }
    if ((uint64_t)s->hartid_base + s->num_harts >
        RISCV_ACLINT_MAX_HARTS + 1) {
        error_setg(errp, "riscv.aclint.mtimer: hart ids 'hartid-base' + "
                   "'num-harts' - 1 must not exceed %d",
                   RISCV_ACLINT_MAX_HARTS);
        return false;
    }
    if (s->timebase_freq == 0) {
        error_setg(errp, "riscv.aclint.mtimer: property 'timebase-freq' "
                   "must not be 0");
        return false;
    }
    if ((uint64_t)s->timecmp_base + 8ULL * s->num_harts > s->aperture_size
        || (uint64_t)s->time_base + 8 > s->aperture_size) {
        error_setg(errp, "riscv.aclint.mtimer: the mtimecmp and mtime "
                   "registers must fit in 'aperture-size' (0x%x)",
                   s->aperture_size);
        return false;
    }
    return true;
}

static void mtimer_realize(DeviceState *dev, Error **errp)
{
    RISCVAclintMTimerState *s = RISCV_ACLINT_MTIMER(dev);

    if (!mtimer_check_props(s, errp)) {
        return;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &mtimer_ops, s,
                          TYPE_RISCV_ACLINT_MTIMER, s->aperture_size);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);

    s->timer_irqs = g_new0(qemu_irq, s->num_harts);
    qdev_init_gpio_out(dev, s->timer_irqs, s->num_harts);

    s->harts = g_new0(RISCVAclintMTimerHart, s->num_harts);
    for (uint32_t i = 0; i < s->num_harts; i++) {
        s->harts[i].mtimer = s;
        timer_init_ns(&s->harts[i].timer, QEMU_CLOCK_VIRTUAL,
                      mtimer_timer_cb, &s->harts[i]);
    }
}

static void mtimer_unrealize(DeviceState *dev)
{
    RISCVAclintMTimerState *s = RISCV_ACLINT_MTIMER(dev);

    for (uint32_t i = 0; i < s->num_harts; i++) {
        timer_deinit(&s->harts[i].timer);
        if (rdtime_mtimers[s->hartid_base + i] == dev) {
            rdtime_mtimers[s->hartid_base + i] = NULL;
        }
    }
    g_free(s->harts);
    g_free(s->timer_irqs);
    if (!memory_region_is_mapped(&s->mmio)) {
        memory_region_finalize(&s->mmio);
    }
}

/*
 * The ACLINT specification clears mtime on reset; mtimecmp is left
 * unspecified and QEMU 7.2 has it 0, so MTIP is pending after reset
 * (firmware sees mip.MTIP = 1 before it programs the timer).
 */
static void mtimer_reset(DeviceState *dev)
{
    RISCVAclintMTimerState *s = RISCV_ACLINT_MTIMER(dev);
    int64_t now_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    qatomic_set(&s->time_delta,
                -(int64_t)ns_to_ticks(now_ns, s->timebase_freq));
    for (uint32_t i = 0; i < s->num_harts; i++) {
        s->harts[i].timecmp = 0;
    }
    mtimer_update_all(s);
}

static Property mtimer_props[] = {
    DEFINE_PROP_UINT32("hartid-base", RISCVAclintMTimerState,
                       hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", RISCVAclintMTimerState, num_harts, 1),
    DEFINE_PROP_UINT32("timecmp-base", RISCVAclintMTimerState,
                       timecmp_base, RISCV_ACLINT_DEFAULT_MTIMECMP),
    DEFINE_PROP_UINT32("time-base", RISCVAclintMTimerState, time_base,
                       RISCV_ACLINT_DEFAULT_MTIME),
    DEFINE_PROP_UINT32("aperture-size", RISCVAclintMTimerState,
                       aperture_size, RISCV_ACLINT_DEFAULT_MTIMER_SIZE),
    DEFINE_PROP_UINT32("timebase-freq", RISCVAclintMTimerState,
                       timebase_freq, RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ),
    DEFINE_PROP_END_OF_LIST(),
};

static void mtimer_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = mtimer_realize;
    dc->unrealize = mtimer_unrealize;
    dc->user_creatable = false;
    device_class_set_legacy_reset(dc, mtimer_reset);
    device_class_set_props(dc, mtimer_props);
}

DeviceState *riscv_aclint_mtimer_create(hwaddr addr, hwaddr size,
                                        uint32_t hartid_base,
                                        uint32_t num_harts,
                                        uint32_t timecmp_base,
                                        uint32_t time_base,
                                        uint32_t timebase_freq,
                                        bool provide_rdtime)
{
    DeviceState *dev = qdev_new(TYPE_RISCV_ACLINT_MTIMER);

    qdev_prop_set_uint32(dev, "hartid-base", hartid_base);
    qdev_prop_set_uint32(dev, "num-harts", num_harts);
    qdev_prop_set_uint32(dev, "timecmp-base", timecmp_base);
    qdev_prop_set_uint32(dev, "time-base", time_base);
    qdev_prop_set_uint32(dev, "aperture-size", size);
    qdev_prop_set_uint32(dev, "timebase-freq", timebase_freq);
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);

    if (provide_rdtime) {
        RISCV_ACLINT_MTIMER(dev)->provide_rdtime = true;
        for (uint32_t i = 0; i < num_harts; i++) {
            rdtime_mtimers[hartid_base + i] = dev;
        }
    }
    return dev;
}

/* ---- MSWI / SSWI ---------------------------------------------------- */

#define ACLINT_SWI_REG_SIZE 4
#define ACLINT_SWI_PENDING  0x1     /* msip / setssip bit */

static uint64_t swi_read(void *opaque, hwaddr addr, unsigned size)
{
    RISCVAclintSwiState *s = opaque;
    hwaddr idx = addr / ACLINT_SWI_REG_SIZE;

    if (idx >= s->num_harts) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: invalid read at offset 0x%"
                      PRIx64 "\n", __func__, addr);
        return 0;
    }
    /* SSWI's SETSSIP reads as zero. */
    return s->sswi ? 0 : s->pending[idx];
}

static void swi_write(void *opaque, hwaddr addr, uint64_t val,
                      unsigned size)
{
    RISCVAclintSwiState *s = opaque;
    hwaddr idx = addr / ACLINT_SWI_REG_SIZE;
    bool set = val & ACLINT_SWI_PENDING;

    if (idx >= s->num_harts) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: invalid write at offset 0x%"
                      PRIx64 ", value 0x%" PRIx64 "\n", __func__, addr, val);
        return;
    }
    if (s->sswi) {
        /* SETSSIP only sets; the hart clears SSIP in its own mip. */
        if (set) {
            qemu_irq_raise(s->soft_irqs[idx]);
        }
        return;
    }
    s->pending[idx] = set;
    qemu_set_irq(s->soft_irqs[idx], set);
}

static const MemoryRegionOps swi_ops = {
    .read = swi_read,
    .write = swi_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

static void swi_realize(DeviceState *dev, Error **errp)
{
    RISCVAclintSwiState *s = RISCV_ACLINT_SWI(dev);

    if (s->num_harts == 0 || s->num_harts > RISCV_ACLINT_MAX_HARTS) {
        error_setg(errp, "riscv.aclint.swi: property 'num-harts' must be "
                   "between 1 and %d", RISCV_ACLINT_MAX_HARTS);
        return;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &swi_ops, s,
                          TYPE_RISCV_ACLINT_SWI, RISCV_ACLINT_SWI_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);

    s->pending = g_new0(uint8_t, s->num_harts);
    s->soft_irqs = g_new0(qemu_irq, s->num_harts);
    qdev_init_gpio_out(dev, s->soft_irqs, s->num_harts);
}

static void swi_unrealize(DeviceState *dev)
{
    RISCVAclintSwiState *s = RISCV_ACLINT_SWI(dev);

    g_free(s->pending);
    g_free(s->soft_irqs);
    if (!memory_region_is_mapped(&s->mmio)) {
        memory_region_finalize(&s->mmio);
    }
}

static void swi_reset(DeviceState *dev)
{
    RISCVAclintSwiState *s = RISCV_ACLINT_SWI(dev);

    for (uint32_t i = 0; i < s->num_harts; i++) {
        s->pending[i] = 0;
        qemu_irq_lower(s->soft_irqs[i]);
    }
}

static Property swi_props[] = {
    DEFINE_PROP_UINT32("hartid-base", RISCVAclintSwiState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", RISCVAclintSwiState, num_harts, 1),
    DEFINE_PROP_BOOL("sswi", RISCVAclintSwiState, sswi, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void swi_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = swi_realize;
    dc->unrealize = swi_unrealize;
    dc->user_creatable = false;
    device_class_set_legacy_reset(dc, swi_reset);
    device_class_set_props(dc, swi_props);
}

DeviceState *riscv_aclint_swi_create(hwaddr addr, uint32_t hartid_base,
                                     uint32_t num_harts, bool sswi)
{
    DeviceState *dev = qdev_new(TYPE_RISCV_ACLINT_SWI);

    qdev_prop_set_uint32(dev, "hartid-base", hartid_base);
    qdev_prop_set_uint32(dev, "num-harts", num_harts);
    qdev_prop_set_bit(dev, "sswi", sswi);
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    return dev;
}

static const TypeInfo aclint_types[] = {
    {
        .name = TYPE_RISCV_ACLINT_MTIMER,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(RISCVAclintMTimerState),
        .class_init = mtimer_class_init,
    }, {
        .name = TYPE_RISCV_ACLINT_SWI,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(RISCVAclintSwiState),
        .class_init = swi_class_init,
    },
};

DEFINE_TYPES(aclint_types)
