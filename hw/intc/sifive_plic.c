/*
 * sifive_plic.c: SiFive Platform-Level Interrupt Controller.
 *
 * Each source has a level-triggered gateway: a high line makes the
 * source pending unless it is in service (claimed and not yet
 * completed); a low line withdraws a pending request (as QEMU does, so a
 * device that lowers its line before the claim causes no spurious
 * claim); completing a source whose line is still high makes it pending
 * again.  Every context's output is recomputed after any change, enable
 * writes included (QEMU 7.2 forgot those: clearing an enable bit left
 * the line high until the next other update).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/intc/sifive_plic.h"
#include "hw/riscv/virt.h"

#define PLIC_CONTEXT_THRESHOLD  0x0
#define PLIC_CONTEXT_CLAIM      0x4     /* complete on write */
#define PLIC_MAX_SOURCES        1024
#define PLIC_MAX_CONTEXTS       15872

static bool bit_test(const uint32_t *map, uint32_t n)
{
    return map[n / 32] & (1u << (n % 32));
}

static void bit_assign(uint32_t *map, uint32_t n, bool on)
{
    if (on) {
        map[n / 32] |= 1u << (n % 32);
    } else {
        map[n / 32] &= ~(1u << (n % 32));
    }
}

/* The source context @ctx would claim now (0: none), threshold applied. */
static uint32_t plic_best_source(SiFivePLICState *s, uint32_t ctx)
{
    const uint32_t *en = &s->enable[ctx * s->bitfield_words];
    uint32_t best = 0, best_prio = s->target_priority[ctx];

    for (uint32_t w = 0; w < s->bitfield_words; w++) {
        uint32_t cand = s->pending[w] & en[w];

        while (cand) {
            uint32_t src = w * 32 + __builtin_ctz(cand);

            cand &= cand - 1;
            /* Strictly greater: ties go to the lowest source id. */
            if (src != 0 && s->source_priority[src] > best_prio) {
                best = src;
                best_prio = s->source_priority[src];
            }
        }
    }
    return best;
}

static void plic_update(SiFivePLICState *s)
{
    for (uint32_t ctx = 0; ctx < s->num_addrs; ctx++) {
        uint32_t hart = s->addr_config[ctx].hartid - s->hartid_base;
        int level = plic_best_source(s, ctx) != 0;

        switch (s->addr_config[ctx].mode) {
        case PLICMode_M:
            qemu_set_irq(s->m_external_irqs[hart], level);
            break;
        case PLICMode_S:
            qemu_set_irq(s->s_external_irqs[hart], level);
            break;
        default:
            break;
        }
    }
}

/* Gateway: the pending bit follows the line while not in service. */
static void plic_irq_request(void *opaque, int src, int level)
{
    SiFivePLICState *s = opaque;

    bit_assign(s->level, src, level > 0);
    if (!bit_test(s->claimed, src)) {
        bit_assign(s->pending, src, level > 0);
    }
    plic_update(s);
}

static uint32_t plic_claim(SiFivePLICState *s, uint32_t ctx)
{
    uint32_t src = plic_best_source(s, ctx);

    if (src) {
        bit_assign(s->pending, src, false);
        bit_assign(s->claimed, src, true);
        plic_update(s);
    }
    return src;
}

/*
 * The specification ignores a completion for a source not enabled for
 * the context; otherwise the gateway reopens and a still-high line
 * requests again.
 */
static void plic_complete(SiFivePLICState *s, uint32_t ctx, uint32_t src)
{
    if (src == 0 || src >= s->num_sources ||
        !bit_test(&s->enable[ctx * s->bitfield_words], src)) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: context %u completes source %u, "
                      "which is not enabled for it; ignored\n", __func__,
                      ctx, src);
        return;
    }
    bit_assign(s->claimed, src, false);
    if (bit_test(s->level, src)) {
        bit_assign(s->pending, src, true);
    }
    plic_update(s);
}

/* Priority values: a mask when num-priorities is 2^n - 1, else a cap. */
static uint32_t plic_clip_priority(SiFivePLICState *s, uint32_t val)
{
    if (((s->num_priorities + 1) & s->num_priorities) == 0) {
        return val & s->num_priorities;
    }
    return MIN(val, s->num_priorities);
}

typedef enum PLICRegion {
    PLIC_REG_NONE,
    PLIC_REG_PRIORITY,
    PLIC_REG_PENDING,
    PLIC_REG_ENABLE,
    PLIC_REG_CONTEXT,
} PLICRegion;

/* Which register @addr is: *idx = source/word, *ctx and *off as needed. */
static PLICRegion plic_decode(SiFivePLICState *s, hwaddr addr,
                              uint32_t *idx, uint32_t *ctx, uint32_t *off)
{
    if (addr >= s->priority_base &&
        addr - s->priority_base < s->num_sources * 4ULL) {
        *idx = (addr - s->priority_base) / 4;
        return PLIC_REG_PRIORITY;
    }
    if (addr >= s->pending_base &&
        addr - s->pending_base < s->bitfield_words * 4ULL) {
        *idx = (addr - s->pending_base) / 4;
        return PLIC_REG_PENDING;
    }
    if (addr >= s->enable_base &&
        addr - s->enable_base < (uint64_t)s->num_addrs * s->enable_stride) {
        *ctx = (addr - s->enable_base) / s->enable_stride;
        *idx = (addr - s->enable_base) % s->enable_stride / 4;
        return *idx < s->bitfield_words ? PLIC_REG_ENABLE : PLIC_REG_NONE;
    }
    if (addr >= s->context_base &&
        addr - s->context_base < (uint64_t)s->num_addrs * s->context_stride) {
        *ctx = (addr - s->context_base) / s->context_stride;
        *off = (addr - s->context_base) % s->context_stride;
        return *off == PLIC_CONTEXT_THRESHOLD || *off == PLIC_CONTEXT_CLAIM
               ? PLIC_REG_CONTEXT : PLIC_REG_NONE;
    }
    return PLIC_REG_NONE;
}

static uint64_t plic_read(void *opaque, hwaddr addr, unsigned size)
{
    SiFivePLICState *s = opaque;
    uint32_t idx = 0, ctx = 0, off = 0;

    switch (plic_decode(s, addr, &idx, &ctx, &off)) {
    case PLIC_REG_PRIORITY:
        return s->source_priority[idx];
    case PLIC_REG_PENDING:
        return s->pending[idx];
    case PLIC_REG_ENABLE:
        return s->enable[ctx * s->bitfield_words + idx];
    case PLIC_REG_CONTEXT:
        return off == PLIC_CONTEXT_THRESHOLD ? s->target_priority[ctx]
                                             : plic_claim(s, ctx);
    case PLIC_REG_NONE:
        break;
    }
    qemu_log_mask(LOG_GUEST_ERROR, "%s: invalid register read at offset "
                  "0x%" PRIx64 "\n", __func__, addr);
    return 0;
}

static void plic_write(void *opaque, hwaddr addr, uint64_t val,
                       unsigned size)
{
    SiFivePLICState *s = opaque;
    uint32_t idx = 0, ctx = 0, off = 0;

    switch (plic_decode(s, addr, &idx, &ctx, &off)) {
    case PLIC_REG_PRIORITY:
        s->source_priority[idx] = plic_clip_priority(s, val);
        break;
    case PLIC_REG_PENDING:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: pending bits are read-only "
                      "(offset 0x%" PRIx64 ", value 0x%" PRIx64 ")\n",
                      __func__, addr, val);
        return;
    case PLIC_REG_ENABLE:
        s->enable[ctx * s->bitfield_words + idx] = val;
        break;
    case PLIC_REG_CONTEXT:
        if (off == PLIC_CONTEXT_CLAIM) {
            plic_complete(s, ctx, val);
            return;
        }
        s->target_priority[ctx] = plic_clip_priority(s, val);
        break;
    case PLIC_REG_NONE:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: invalid register write at "
                      "offset 0x%" PRIx64 ", value 0x%" PRIx64 "\n",
                      __func__, addr, val);
        return;
    }
    plic_update(s);
}

static const MemoryRegionOps plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

static bool plic_char_to_mode(char c, PLICMode *mode)
{
    switch (c) {
    case 'U':
        *mode = PLICMode_U;
        return true;
    case 'S':
        *mode = PLICMode_S;
        return true;
    case 'H':
        *mode = PLICMode_H;
        return true;
    case 'M':
        *mode = PLICMode_M;
        return true;
    default:
        return false;
    }
}

/* Build addr_config from "MS,MS,...": one context per mode letter. */
static bool plic_parse_hart_config(SiFivePLICState *s, Error **errp)
{
    const char *p;
    uint32_t hart = 0, ctx = 0;

    if (!s->hart_config || !*s->hart_config) {
        error_setg(errp, "riscv.sifive.plic: property 'hart-config' must "
                   "be set, e.g. \"MS,MS\" for two harts");
        return false;
    }
    for (p = s->hart_config; *p; p++) {
        ctx += *p != ',';
    }
    s->addr_config = g_new0(PLICAddr, ctx + 1);
    ctx = 0;
    for (p = s->hart_config; *p; p++) {
        if (*p == ',') {
            hart++;
            continue;
        }
        if (!plic_char_to_mode(*p, &s->addr_config[ctx].mode)) {
            error_setg(errp, "riscv.sifive.plic: invalid mode '%c' in "
                       "'hart-config' (use M, S, H or U)", *p);
            return false;
        }
        s->addr_config[ctx].addrid = ctx;
        s->addr_config[ctx].hartid = s->hartid_base + hart;
        ctx++;
    }
    s->num_addrs = ctx;
    s->num_harts = hart + 1;
    return true;
}

static bool plic_check_props(SiFivePLICState *s, Error **errp)
{
    if (s->num_sources < 2 || s->num_sources > PLIC_MAX_SOURCES) {
        error_setg(errp, "riscv.sifive.plic: property 'num-sources' must "
                   "be between 2 and %d", PLIC_MAX_SOURCES);
        return false;
    }
    if (s->num_addrs == 0 || s->num_addrs > PLIC_MAX_CONTEXTS) {
        error_setg(errp, "riscv.sifive.plic: 'hart-config' must give "
                   "between 1 and %d contexts", PLIC_MAX_CONTEXTS);
        return false;
    }
    if (s->enable_stride < ((s->num_sources + 31) / 32) * 4 ||
        s->context_stride < 8) {
        error_setg(errp, "riscv.sifive.plic: 'enable-stride' must hold "
                   "one bit per source and 'context-stride' be at least 8");
        return false;
    }
    if ((uint64_t)s->context_base +
        (uint64_t)s->num_addrs * s->context_stride > s->aperture_size) {
        error_setg(errp, "riscv.sifive.plic: %u contexts do not fit in "
                   "'aperture-size' 0x%x", s->num_addrs, s->aperture_size);
        return false;
    }
    return true;
}

static void plic_realize(DeviceState *dev, Error **errp)
{
    SiFivePLICState *s = SIFIVE_PLIC(dev);
    uint32_t words;

    if (!plic_parse_hart_config(s, errp) || !plic_check_props(s, errp)) {
        g_clear_pointer(&s->addr_config, g_free);
        return;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &plic_ops, s,
                          TYPE_SIFIVE_PLIC, s->aperture_size);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);

    words = s->bitfield_words = (s->num_sources + 31) / 32;
    s->source_priority = g_new0(uint32_t, s->num_sources);
    s->target_priority = g_new0(uint32_t, s->num_addrs);
    s->pending = g_new0(uint32_t, words);
    s->claimed = g_new0(uint32_t, words);
    s->level = g_new0(uint32_t, words);
    s->enable = g_new0(uint32_t, (size_t)s->num_addrs * words);

    /* Sources in; outputs S-mode lines first, then M-mode (QEMU 7.2). */
    qdev_init_gpio_in(dev, plic_irq_request, s->num_sources);
    s->s_external_irqs = g_new0(qemu_irq, s->num_harts);
    s->m_external_irqs = g_new0(qemu_irq, s->num_harts);
    qdev_init_gpio_out(dev, s->s_external_irqs, s->num_harts);
    qdev_init_gpio_out(dev, s->m_external_irqs, s->num_harts);
}

static void plic_unrealize(DeviceState *dev)
{
    SiFivePLICState *s = SIFIVE_PLIC(dev);

    g_free(s->addr_config);
    g_free(s->source_priority);
    g_free(s->target_priority);
    g_free(s->pending);
    g_free(s->claimed);
    g_free(s->level);
    g_free(s->enable);
    g_free(s->s_external_irqs);
    g_free(s->m_external_irqs);
    if (!memory_region_is_mapped(&s->mmio)) {
        memory_region_finalize(&s->mmio);
    }
}

/*
 * Registers return to zero.  Input levels are kept: they belong to the
 * devices, which lower their lines in their own reset (a still-high line
 * is pending again, as a real gateway would see it).
 */
static void plic_reset(DeviceState *dev)
{
    SiFivePLICState *s = SIFIVE_PLIC(dev);
    size_t words = s->bitfield_words;

    memset(s->source_priority, 0, s->num_sources * sizeof(uint32_t));
    memset(s->target_priority, 0, s->num_addrs * sizeof(uint32_t));
    memset(s->claimed, 0, words * sizeof(uint32_t));
    memset(s->enable, 0, s->num_addrs * words * sizeof(uint32_t));
    memcpy(s->pending, s->level, words * sizeof(uint32_t));
    for (uint32_t i = 0; i < s->num_harts; i++) {
        qemu_irq_lower(s->m_external_irqs[i]);
        qemu_irq_lower(s->s_external_irqs[i]);
    }
}

static Property plic_props[] = {
    DEFINE_PROP_STRING("hart-config", SiFivePLICState, hart_config),
    DEFINE_PROP_UINT32("hartid-base", SiFivePLICState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-sources", SiFivePLICState, num_sources,
                       VIRT_IRQCHIP_NUM_SOURCES),
    DEFINE_PROP_UINT32("num-priorities", SiFivePLICState, num_priorities,
                       (1 << VIRT_IRQCHIP_NUM_PRIO_BITS) - 1),
    DEFINE_PROP_UINT32("priority-base", SiFivePLICState, priority_base,
                       VIRT_PLIC_PRIORITY_BASE),
    DEFINE_PROP_UINT32("pending-base", SiFivePLICState, pending_base,
                       VIRT_PLIC_PENDING_BASE),
    DEFINE_PROP_UINT32("enable-base", SiFivePLICState, enable_base,
                       VIRT_PLIC_ENABLE_BASE),
    DEFINE_PROP_UINT32("enable-stride", SiFivePLICState, enable_stride,
                       VIRT_PLIC_ENABLE_STRIDE),
    DEFINE_PROP_UINT32("context-base", SiFivePLICState, context_base,
                       VIRT_PLIC_CONTEXT_BASE),
    DEFINE_PROP_UINT32("context-stride", SiFivePLICState, context_stride,
                       VIRT_PLIC_CONTEXT_STRIDE),
    DEFINE_PROP_UINT32("aperture-size", SiFivePLICState, aperture_size,
                       0x600000),
    DEFINE_PROP_END_OF_LIST(),
};

static void plic_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = plic_realize;
    dc->unrealize = plic_unrealize;
    dc->user_creatable = false;
    device_class_set_legacy_reset(dc, plic_reset);
    device_class_set_props(dc, plic_props);
}

DeviceState *sifive_plic_create(hwaddr addr, char *hart_config,
                                uint32_t num_harts, uint32_t hartid_base,
                                uint32_t num_sources,
                                uint32_t num_priorities,
                                uint32_t priority_base,
                                uint32_t pending_base,
                                uint32_t enable_base,
                                uint32_t enable_stride,
                                uint32_t context_base,
                                uint32_t context_stride,
                                uint32_t aperture_size)
{
    DeviceState *dev = qdev_new(TYPE_SIFIVE_PLIC);

    qdev_prop_set_string(dev, "hart-config", hart_config);
    qdev_prop_set_uint32(dev, "hartid-base", hartid_base);
    qdev_prop_set_uint32(dev, "num-sources", num_sources);
    qdev_prop_set_uint32(dev, "num-priorities", num_priorities);
    qdev_prop_set_uint32(dev, "priority-base", priority_base);
    qdev_prop_set_uint32(dev, "pending-base", pending_base);
    qdev_prop_set_uint32(dev, "enable-base", enable_base);
    qdev_prop_set_uint32(dev, "enable-stride", enable_stride);
    qdev_prop_set_uint32(dev, "context-base", context_base);
    qdev_prop_set_uint32(dev, "context-stride", context_stride);
    qdev_prop_set_uint32(dev, "aperture-size", aperture_size);
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, addr);
    g_assert(SIFIVE_PLIC(dev)->num_harts == num_harts);
    return dev;
}

static const TypeInfo plic_info = {
    .name = TYPE_SIFIVE_PLIC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(SiFivePLICState),
    .class_init = plic_class_init,
};

static void plic_register_types(void)
{
    type_register_static(&plic_info);
}

type_init(plic_register_types)
