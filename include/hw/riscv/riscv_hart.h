/*
 * riscv_hart.h: harts as devices, grouped in per-socket hart arrays.
 *
 * A hart array ("riscv.hart_array", QEMU's type name) is one socket of
 * the board: /machine/socN, with its harts as children
 * /machine/socN/harts[i] of type "rv64-riscv-cpu".  A hart device wraps
 * one RISCVCPU (target/riscv) and exposes its local interrupt lines as
 * unnamed GPIO inputs numbered by mip bit (IRQ_M_SOFT = 3, IRQ_M_TIMER =
 * 7, IRQ_S_EXT = 9, IRQ_M_EXT = 11, ...), so interrupt controllers
 * connect with qdev_connect_gpio_out() and qtest can intercept them.
 *
 * Creation and configuration: main thread, big lock.
 */
#ifndef HW_RISCV_RISCV_HART_H
#define HW_RISCV_RISCV_HART_H

#include "hw/sysbus.h"
#include "target/riscv/cpu.h"

#define TYPE_RISCV_HART_ARRAY "riscv.hart_array"
#define TYPE_RISCV_HART       TYPE_RISCV_CPU_BASE64

OBJECT_DECLARE_SIMPLE_TYPE(RISCVHartState, RISCV_HART)
OBJECT_DECLARE_SIMPLE_TYPE(RISCVHartArrayState, RISCV_HART_ARRAY)

/* Local interrupt lines per hart (mip bits 0..15). */
#define RISCV_HART_NUM_IRQS 16

struct RISCVHartState {
    DeviceState parent_obj;

    uint32_t hartid;
    uint64_t resetvec;
    const RISCVCPUConfig *config;   /* set before realize; not owned */
    bool start_vcpu;                /* false under -accel qtest */
    RISCVCPU *cpu;                  /* after realize */
    uint32_t irq_levels;            /* input line levels, by mip bit */
};

struct RISCVHartArrayState {
    SysBusDevice parent_obj;

    uint32_t hartid_base;
    uint32_t num_harts;
    uint64_t resetvec;
    char *cpu_type;
    const RISCVCPUConfig *config;   /* set before realize; not owned */
    RISCVHartState *harts;          /* num_harts, after realize */
};

/* The hart configuration every hart of @s is created with. */
void riscv_hart_array_set_config(RISCVHartArrayState *s,
                                 const RISCVCPUConfig *config);

/* Hart @i of the array (0-based within the socket). */
RISCVHartState *riscv_hart_array_get(RISCVHartArrayState *s, unsigned i);

#endif /* HW_RISCV_RISCV_HART_H */
