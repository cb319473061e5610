/*
 * virt.h: memory map and interrupt numbers of the RISC-V "virt" board.
 *
 * The values are those of QEMU 7.2's "virt" machine, which guests
 * (OpenSBI, U-Boot, Linux) and users' scripts rely on.  Per-socket
 * devices (CLINT/ACLINT, PLIC) repeat at a fixed stride from their base.
 */
#ifndef HW_RISCV_VIRT_H
#define HW_RISCV_VIRT_H

#include "exec/hwaddr.h"

/* Index into virt_memmap[]. */
enum {
    VIRT_DEBUG,
    VIRT_MROM,
    VIRT_TEST,
    VIRT_RTC,
    VIRT_CLINT,
    VIRT_ACLINT_SSWI,
    VIRT_PCIE_PIO,
    VIRT_PLATFORM_BUS,
    VIRT_PLIC,
    VIRT_UART0,
    VIRT_VIRTIO,
    VIRT_FW_CFG,
    VIRT_FLASH,
    VIRT_PCIE_ECAM,
    VIRT_PCIE_MMIO,
    VIRT_DRAM,
    VIRT_MEMMAP_COUNT,
};

typedef struct MemMapEntry {
    hwaddr base;
    hwaddr size;
} MemMapEntry;

/* Base and size of each region; per-socket regions give socket 0's. */
extern const MemMapEntry virt_memmap[VIRT_MEMMAP_COUNT];

/* Limits of the board. */
#define VIRT_CPUS_MAX           512
#define VIRT_SOCKETS_MAX        8

/* PLIC interrupt source numbers of the platform devices. */
enum {
    UART0_IRQ = 10,
    RTC_IRQ = 11,
    VIRTIO_IRQ = 1,     /* virtio-mmio slot n uses VIRTIO_IRQ + n */
    VIRTIO_COUNT = 8,
    PCIE_IRQ = 0x20,    /* INTA..INTD use PCIE_IRQ + 0..3 */
    VIRT_PLATFORM_BUS_IRQ = 64, /* 64..95, for dynamic sysbus devices */
    VIRT_PLATFORM_BUS_NUM_IRQS = 32,
};

/* Number of PLIC sources; the device tree says riscv,ndev = <0x60>. */
#define VIRT_IRQCHIP_NUM_SOURCES        96
/* Priority bits per source, as QEMU's virt PLIC. */
#define VIRT_IRQCHIP_NUM_PRIO_BITS      3

/* PLIC register layout (offsets from the socket's PLIC base). */
#define VIRT_PLIC_PRIORITY_BASE         0x0
#define VIRT_PLIC_PRIORITY_STRIDE       0x4
#define VIRT_PLIC_PENDING_BASE          0x1000
#define VIRT_PLIC_ENABLE_BASE           0x2000
#define VIRT_PLIC_ENABLE_STRIDE         0x80
#define VIRT_PLIC_CONTEXT_BASE          0x200000
#define VIRT_PLIC_CONTEXT_STRIDE        0x1000
#define VIRT_PLIC_CONTEXT_THRESHOLD     0x0
#define VIRT_PLIC_CONTEXT_CLAIM         0x4
/* Each hart has an M-mode then an S-mode context ("MS"). */
#define VIRT_PLIC_HART_CONFIG           "MS"
/* Distance between two sockets' PLICs. */
#define VIRT_PLIC_SIZE(num_contexts) \
    (VIRT_PLIC_CONTEXT_BASE + (num_contexts) * VIRT_PLIC_CONTEXT_STRIDE)

/* CLINT / ACLINT layout (offsets from the socket's CLINT base). */
#define VIRT_CLINT_SOCKET_STRIDE        0x10000
#define VIRT_ACLINT_MSWI_SIZE           0x4000
#define VIRT_ACLINT_MTIMECMP_OFFSET     0x4000
#define VIRT_ACLINT_MTIME_OFFSET        0xbff8
#define VIRT_ACLINT_MTIMER_SIZE         0x8000
#define VIRT_ACLINT_SSWI_SIZE           0x4000
/* mtime counts at 10 MHz; /cpus/timebase-frequency. */
#define VIRT_TIMEBASE_FREQ              10000000

/* 16550A input clock; /soc/serial/clock-frequency. */
#define VIRT_UART_CLOCK_HZ              3686400

/* sifive_test finisher values, used by /poweroff and /reboot. */
#define VIRT_TEST_FINISHER_PASS         0x5555
#define VIRT_TEST_FINISHER_FAIL         0x3333
#define VIRT_TEST_FINISHER_RESET        0x7777

/* High PCIe MMIO window (RV64): 16 GiB aligned above RAM. */
#define VIRT64_HIGH_PCIE_MMIO_SIZE      (16 * GiB)

/* Bases of socket @s's interrupt controllers. */
static inline hwaddr virt_clint_base(unsigned s)
{
    return virt_memmap[VIRT_CLINT].base + s * VIRT_CLINT_SOCKET_STRIDE;
}

static inline hwaddr virt_sswi_base(unsigned s)
{
    return virt_memmap[VIRT_ACLINT_SSWI].base + s * VIRT_ACLINT_SSWI_SIZE;
}

static inline hwaddr virt_plic_base(unsigned s)
{
    return virt_memmap[VIRT_PLIC].base + s * virt_memmap[VIRT_PLIC].size;
}

#endif /* HW_RISCV_VIRT_H */
