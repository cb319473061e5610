/*
 * riscv_hart.c: hart devices and per-socket hart arrays (see
 * hw/riscv/riscv_hart.h).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/riscv/riscv_hart.h"
#include "exec/memory.h"
#include "sysemu/accel.h"
#include "sysemu/cpus.h"
#include "sysemu/reset.h"

/* ---- one hart ---------------------------------------------------------- */

/* Device → CPU: a level change on local interrupt line @irq. */
static void riscv_hart_irq(void *opaque, int irq, int level)
{
    RISCVHartState *hart = opaque;

    if (level) {
        hart->irq_levels |= 1u << irq;
    } else {
        hart->irq_levels &= ~(1u << irq);
    }
    riscv_cpu_set_irq(hart->cpu, irq, level);
}

/*
 * The CPU's reset clears mip, but the lines from the interrupt
 * controllers keep their levels (QEMU 7.2 shows MTIP pending right after
 * reset, because mtimecmp resets to 0): re-apply them.
 */
static void riscv_hart_reset(void *opaque)
{
    RISCVHartState *hart = opaque;

    riscv_cpu_reset(hart->cpu, hart->resetvec);
    for (int irq = 0; irq < RISCV_HART_NUM_IRQS; irq++) {
        if (hart->irq_levels & (1u << irq)) {
            riscv_cpu_set_irq(hart->cpu, irq, 1);
        }
    }
}

static void riscv_hart_realize(DeviceState *dev, Error **errp)
{
    RISCVHartState *hart = RISCV_HART(dev);
    RISCVCPUConfig defaults;
    const RISCVCPUConfig *cfg = hart->config;

    if (!cfg) {
        riscv_cpu_config_default(&defaults);
        cfg = &defaults;
    }
    hart->cpu = riscv_cpu_new(cfg, hart->hartid, &address_space_memory,
                              errp);
    if (!hart->cpu) {
        return;
    }
    riscv_cpu_reset(hart->cpu, hart->resetvec);
    qemu_register_reset(riscv_hart_reset, hart);
    if (hart->start_vcpu) {
        qemu_init_vcpu(hart->cpu);
    } else {
        qemu_register_vcpu_idle(hart->cpu);
    }
}

static void riscv_hart_instance_init(Object *obj)
{
    RISCVHartState *hart = RISCV_HART(obj);

    qdev_init_gpio_in_named_with_opaque(DEVICE(obj), riscv_hart_irq, hart,
                                        NULL, RISCV_HART_NUM_IRQS);
}

static Property riscv_hart_props[] = {
    DEFINE_PROP_UINT32("hartid", RISCVHartState, hartid, 0),
    DEFINE_PROP_UINT64("resetvec", RISCVHartState, resetvec, 0x1000),
    DEFINE_PROP_END_OF_LIST(),
};

static void riscv_hart_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = riscv_hart_realize;
    dc->desc = "RISC-V hart (RV64GC)";
    dc->user_creatable = false;
    device_class_set_props(dc, riscv_hart_props);
}

/* ---- hart array (one socket) -------------------------------------------- */

void riscv_hart_array_set_config(RISCVHartArrayState *s,
                                 const RISCVCPUConfig *config)
{
    s->config = config;
}

RISCVHartState *riscv_hart_array_get(RISCVHartArrayState *s, unsigned i)
{
    return i < s->num_harts ? &s->harts[i] : NULL;
}

static void riscv_hart_array_realize(DeviceState *dev, Error **errp)
{
    RISCVHartArrayState *s = RISCV_HART_ARRAY(dev);

    if (!s->num_harts) {
        error_setg(errp, "riscv.hart_array: num-harts must be at least 1");
        return;
    }
    s->harts = g_new0(RISCVHartState, s->num_harts);
    for (unsigned i = 0; i < s->num_harts; i++) {
        g_autofree char *name = g_strdup_printf("harts[%u]", i);
        RISCVHartState *hart = &s->harts[i];

        object_initialize_child(OBJECT(s), name, hart, TYPE_RISCV_HART);
        hart->hartid = s->hartid_base + i;
        hart->resetvec = s->resetvec;
        hart->config = s->config;
        hart->start_vcpu = current_accel() != ACCEL_QTEST;
        if (!qdev_realize(DEVICE(hart), NULL, errp)) {
            return;
        }
    }
}

static Property riscv_hart_array_props[] = {
    DEFINE_PROP_UINT32("hartid-base", RISCVHartArrayState, hartid_base, 0),
    DEFINE_PROP_UINT32("num-harts", RISCVHartArrayState, num_harts, 1),
    DEFINE_PROP_UINT64("resetvec", RISCVHartArrayState, resetvec, 0x1000),
    DEFINE_PROP_STRING("cpu-type", RISCVHartArrayState, cpu_type),
    DEFINE_PROP_END_OF_LIST(),
};

static void riscv_hart_array_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = riscv_hart_array_realize;
    dc->desc = "RISC-V harts of one socket";
    dc->user_creatable = false;
    device_class_set_props(dc, riscv_hart_array_props);
}

static const TypeInfo riscv_hart_types[] = {
    {
        .name = TYPE_RISCV_HART,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(RISCVHartState),
        .instance_init = riscv_hart_instance_init,
        .class_init = riscv_hart_class_init,
    },
    {
        .name = TYPE_RISCV_HART_ARRAY,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(RISCVHartArrayState),
        .class_init = riscv_hart_array_class_init,
    },
};

DEFINE_TYPES(riscv_hart_types)
