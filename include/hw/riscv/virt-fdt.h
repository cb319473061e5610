/*
 * virt-fdt.h: the device tree of the RISC-V "virt" board.
 *
 * virt_fdt_build() turns a VirtFdtConfig (CPUs, sockets, NUMA layout,
 * devices, /chosen data) into a flattened device tree that matches QEMU
 * 7.2's "virt" tree for the same command line, apart from the nodes of
 * devices the Machina board does not emulate (PCIe, fw_cfg, flash and
 * the platform bus), which are left out unless the config asks for them.
 * It is a pure function of its input (plus the random rng-seed when the
 * config gives none), callable from any thread without locks.
 *
 * NUMA goes beyond QEMU 7.2: a node may hold any set of harts (or none)
 * independently of sockets, and up to VIRT_FDT_MAX_NODES nodes exist.  The
 * tree then follows the Linux device-tree NUMA binding
 * (Documentation/devicetree/bindings/numa.txt): numa-node-id on each cpu
 * and memory node, distance-map when distances were given.
 */
#ifndef HW_RISCV_VIRT_FDT_H
#define HW_RISCV_VIRT_FDT_H

#include "exec/hwaddr.h"
#include "qapi/error.h"

#define VIRT_FDT_MAX_NODES      128
#define VIRT_FDT_RNG_SEED_LEN   32

/* Default CPU description, the one of QEMU 7.2's "-cpu rv64". */
#define VIRT_FDT_DEFAULT_ISA \
    "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc"
#define VIRT_FDT_DEFAULT_MMU    "riscv,sv48"

typedef struct VirtFdtHart {
    int node_id;            /* NUMA node; ignored when num_nodes == 0 */
    const char *isa;        /* riscv,isa; NULL = VIRT_FDT_DEFAULT_ISA */
    const char *mmu_type;   /* mmu-type; NULL = no property (bare) */
} VirtFdtHart;

/* A socket owns the contiguous harts [first_hart, first_hart + count). */
typedef struct VirtFdtSocket {
    unsigned first_hart;
    unsigned num_harts;
} VirtFdtSocket;

/* One RAM range of a NUMA node; size 0 marks a memory-less node. */
typedef struct VirtFdtMemRange {
    int node_id;            /* ignored when num_nodes == 0 */
    hwaddr base;
    uint64_t size;
} VirtFdtMemRange;

typedef struct VirtFdtConfig {
    /* Harts: the hart id of harts[i] is i. */
    unsigned num_harts;
    const VirtFdtHart *harts;

    /* Sockets, in hart order, covering every hart exactly once. */
    unsigned num_sockets;
    const VirtFdtSocket *sockets;

    /* RAM, in address order; one range per NUMA node (or one in all). */
    unsigned num_mem;
    const VirtFdtMemRange *mem;

    /*
     * NUMA: num_nodes == 0 means NUMA is off (no numa-node-id anywhere).
     * distance[src * num_nodes + dst], or NULL when no -numa dist was
     * given (then no /distance-map node, as QEMU).
     */
    unsigned num_nodes;
    const uint8_t *distance;

    /* Interrupt controllers: CLINT per socket, or ACLINT with aclint=on. */
    bool aclint;

    /* Nodes of devices the board may or may not emulate. */
    bool pmu;               /* /pmu with QEMU 7.2's event map */
    bool fw_cfg;            /* /fw-cfg@10100000 */
    bool flash;             /* /flash@20000000 */
    bool pcie;              /* /soc/pci@30000000 */
    bool platform_bus;      /* /platform-bus@4000000 */

    /* /chosen. */
    const char *bootargs;   /* NULL: no bootargs property */
    hwaddr initrd_start;    /* initrd_end == 0: no initrd properties */
    hwaddr initrd_end;
    const uint8_t *rng_seed; /* VIRT_FDT_RNG_SEED_LEN bytes; NULL: random */
} VirtFdtConfig;

/*
 * Fill @cfg with the Machina board's defaults: no harts, sockets or
 * memory yet, CLINT, PMU node on, non-emulated devices off.
 */
void virt_fdt_config_init(VirtFdtConfig *cfg);

/*
 * Build the tree.  Returns a g_malloc'ed blob (free with g_free) whose
 * fdt_totalsize() is stored in *fdt_size; the blob has free space so the
 * caller may add properties with libfdt's read-write API.  Returns NULL
 * and sets @errp when the config is inconsistent (a hart in no socket or
 * two, a node id out of range, too many sockets).
 */
void *virt_fdt_build(const VirtFdtConfig *cfg, int *fdt_size, Error **errp);

/*
 * Set /chosen linux,initrd-start/end in an existing tree @fdt (from
 * virt_fdt_build(), or a -dtb file opened with room to grow).
 */
bool virt_fdt_set_initrd(void *fdt, hwaddr start, hwaddr end, Error **errp);

#endif /* HW_RISCV_VIRT_FDT_H */
