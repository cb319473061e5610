/*
 * sifive_plic.h: the SiFive / RISC-V Platform-Level Interrupt Controller.
 *
 * Sources 1 .. num-sources - 1 are the unnamed GPIO-in lines of the same
 * number (line 0 exists and is ignored: source 0 means "none").  Sources
 * are level-triggered.  Contexts (interrupt targets) come from
 * "hart-config": one comma-separated entry per hart, each a string of
 * modes ("MS" = an M-mode then an S-mode context), numbered in order, so
 * with "MS,MS" context 2h is hart h's M-mode and 2h+1 its S-mode.
 *
 * Unnamed GPIO-out lines, as QEMU 7.2 orders them: line i (0 <= i <
 * num_harts) is the S-mode external interrupt (SEIP) of hart
 * hartid-base + i, line num_harts + i its M-mode one (MEIP).  Lines of
 * modes a hart does not have stay low.
 *
 * Registers (32-bit accesses only), offsets from the region:
 *   priority-base + 4 * src           priority (num-priorities is a mask
 *                                     when 2^n - 1, else a maximum)
 *   pending-base + 4 * word           pending bits, read-only
 *   enable-base + ctx * enable-stride + 4 * word   enable bits
 *   context-base + ctx * context-stride + 0        threshold
 *   context-base + ctx * context-stride + 4        claim (read) /
 *                                                   complete (write)
 * Big lock held for everything.
 */
#ifndef HW_INTC_SIFIVE_PLIC_H
#define HW_INTC_SIFIVE_PLIC_H

#include "hw/sysbus.h"

#define TYPE_SIFIVE_PLIC "riscv.sifive.plic"

typedef struct SiFivePLICState SiFivePLICState;
DECLARE_INSTANCE_CHECKER(SiFivePLICState, SIFIVE_PLIC, TYPE_SIFIVE_PLIC)

typedef enum PLICMode {
    PLICMode_U,
    PLICMode_S,
    PLICMode_H,
    PLICMode_M,
} PLICMode;

typedef struct PLICAddr {
    uint32_t addrid;            /* context number */
    uint32_t hartid;
    PLICMode mode;
} PLICAddr;

struct SiFivePLICState {
    SysBusDevice parent_obj;

    MemoryRegion mmio;
    uint32_t num_addrs;         /* contexts */
    uint32_t num_harts;
    uint32_t bitfield_words;    /* 32-bit words of one source bitmap */
    PLICAddr *addr_config;      /* [num_addrs] */
    uint32_t *source_priority;  /* [num_sources] */
    uint32_t *target_priority;  /* threshold per context */
    uint32_t *pending;          /* [bitfield_words] */
    uint32_t *claimed;          /* in service: gateway closed */
    uint32_t *level;            /* input line levels */
    uint32_t *enable;           /* [num_addrs * bitfield_words] */
    qemu_irq *m_external_irqs;  /* [num_harts] */
    qemu_irq *s_external_irqs;

    /* properties */
    char *hart_config;
    uint32_t hartid_base;
    uint32_t num_sources;
    uint32_t num_priorities;
    uint32_t priority_base;
    uint32_t pending_base;
    uint32_t enable_base;
    uint32_t enable_stride;
    uint32_t context_base;
    uint32_t context_stride;
    uint32_t aperture_size;
};

/*
 * Create, realize and map a PLIC at @addr.  @hart_config is the property
 * text ("MS,MS,..."), @num_harts its number of entries.  The board
 * connects output i / num_harts + i to hart (hartid_base + i)'s SEIP /
 * MEIP input and devices to qdev_get_gpio_in(plic, source).
 */
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
                                uint32_t aperture_size);

#endif /* HW_INTC_SIFIVE_PLIC_H */
