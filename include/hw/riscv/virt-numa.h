/*
 * virt-numa.h: how the virt board turns the machine's RAM and NUMA
 * configuration into its memory map and device-tree description.
 * Main thread, big lock, during board init.
 */
#ifndef HW_RISCV_VIRT_NUMA_H
#define HW_RISCV_VIRT_NUMA_H

#include "hw/boards.h"
#include "hw/riscv/virt-fdt.h"

typedef struct VirtNumaLayout {
    unsigned num_nodes;         /* 0: NUMA off */
    unsigned num_ranges;
    VirtFdtMemRange ranges[VIRT_FDT_MAX_NODES];
    const uint8_t *distance;    /* num_nodes^2, or NULL */
} VirtNumaLayout;

/* Set the board's NUMA rules in its class (default CPU split). */
void virt_numa_class_init(MachineClass *mc);
/* Make ms->ram: the machine's RAM, all nodes back to back. */
bool virt_numa_create_ram(MachineState *ms, Error **errp);
/* Per-node RAM ranges from @dram_base, node count and distances. */
void virt_numa_layout(MachineState *ms, hwaddr dram_base,
                      VirtNumaLayout *layout);
/* The node of hart @cpu_index (0 when NUMA is off). */
int virt_numa_cpu_node(MachineState *ms, unsigned cpu_index);

#endif /* HW_RISCV_VIRT_NUMA_H */
