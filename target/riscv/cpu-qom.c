/*
 * cpu-qom.c: "rv64-riscv-cpu", the QOM device wrapping a hart.
 */
#include "qemu/osdep.h"
#include "hw/qdev-properties.h"
#include "cpu-qom.h"

static Property riscv_cpu_props[] = {
    DEFINE_PROP_UINT32("hartid", RISCVCPUDevice, hartid, 0),
    DEFINE_PROP_UINT64("resetvec", RISCVCPUDevice, resetvec, 0x1000),
    DEFINE_PROP_STRING("cpu", RISCVCPUDevice, cpu_opts),
    DEFINE_PROP_END_OF_LIST(),
};

/* GPIO input @n drives mip bit @n. */
static void riscv_cpu_gpio_in(void *opaque, int n, int level)
{
    RISCVCPUDevice *s = opaque;

    if (s->cpu) {
        riscv_cpu_set_irq(s->cpu, n, level);
    }
}

static void riscv_cpu_dev_init(Object *obj)
{
    qdev_init_gpio_in(DEVICE(obj), riscv_cpu_gpio_in, RISCV_CPU_GPIO_IN);
}

static void riscv_cpu_dev_realize(DeviceState *dev, Error **errp)
{
    RISCVCPUDevice *s = RISCV_CPU_DEVICE(dev);
    RISCVCPUConfig cfg;

    if (!riscv_cpu_parse_features(&cfg, s->cpu_opts ? s->cpu_opts : "rv64",
                                  errp)) {
        return;
    }
    s->cpu = riscv_cpu_new(&cfg, s->hartid, &address_space_memory, errp);
    if (s->cpu) {
        s->cpu->parent_obj = s;
        riscv_cpu_reset(s->cpu, s->resetvec);
    }
}

static void riscv_cpu_dev_unrealize(DeviceState *dev)
{
    RISCVCPUDevice *s = RISCV_CPU_DEVICE(dev);

    riscv_cpu_free(s->cpu);
    s->cpu = NULL;
}

static void riscv_cpu_dev_reset(DeviceState *dev)
{
    RISCVCPUDevice *s = RISCV_CPU_DEVICE(dev);

    if (s->cpu) {
        riscv_cpu_reset(s->cpu, s->resetvec);
    }
}

static void riscv_cpu_dev_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "RISC-V RV64GC hart";
    dc->realize = riscv_cpu_dev_realize;
    dc->unrealize = riscv_cpu_dev_unrealize;
    dc->user_creatable = false;
    device_class_set_category(dc, DEVICE_CATEGORY_CPU);
    device_class_set_legacy_reset(dc, riscv_cpu_dev_reset);
    device_class_set_props(dc, riscv_cpu_props);
}

RISCVCPU *riscv_cpu_device_get(DeviceState *dev)
{
    return RISCV_CPU_DEVICE(dev)->cpu;
}

static const TypeInfo riscv_cpu_types[] = {
    {
        .name = TYPE_RISCV_CPU_BASE64,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(RISCVCPUDevice),
        .instance_init = riscv_cpu_dev_init,
        .class_init = riscv_cpu_dev_class_init,
    },
};

DEFINE_TYPES(riscv_cpu_types)
