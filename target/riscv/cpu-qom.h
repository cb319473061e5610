/*
 * cpu-qom.h: the hart as a QOM device, "rv64-riscv-cpu".
 *
 * Properties (set before realize): "hartid" (uint32), "resetvec"
 * (uint64, default 0x1000), "cpu" (string: "-cpu" text such as
 * "rv64,zba=off"; default "rv64").  GPIO inputs 0..11 are the mip bits
 * (IRQ_M_TIMER etc.): an interrupt controller connects its outputs there
 * with qdev_connect_gpio_out().  Reset puts the hart at "resetvec".
 * Realize creates the hart on address_space_memory; big lock held.
 */
#ifndef RISCV_CPU_QOM_H
#define RISCV_CPU_QOM_H

#include "hw/qdev-core.h"
#include "cpu.h"

#define RISCV_CPU_GPIO_IN 12

typedef struct RISCVCPUDevice {
    DeviceState parent_obj;

    uint32_t hartid;
    uint64_t resetvec;
    char *cpu_opts;
    RISCVCPU *cpu;              /* after realize */
} RISCVCPUDevice;

#define RISCV_CPU_DEVICE(obj) \
    OBJECT_CHECK(RISCVCPUDevice, obj, TYPE_RISCV_CPU_BASE64)

/* The hart behind a realized "rv64-riscv-cpu" device. */
RISCVCPU *riscv_cpu_device_get(DeviceState *dev);

#endif /* RISCV_CPU_QOM_H */
