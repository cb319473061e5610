/*
 * virt-numa.c: RAM and NUMA layout of the virt board (see
 * hw/riscv/virt-numa.h), on top of the machine-independent NUMA state
 * (sysemu/numa.h).  Nodes are independent of sockets: a node may hold
 * any set of harts, or none.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/riscv/virt-numa.h"
#include "sysemu/numa.h"

/* QEMU virt's rule for CPUs no -numa option placed: contiguous blocks. */
void virt_numa_class_init(MachineClass *mc)
{
    mc->get_default_cpu_node_id = numa_default_cpu_node_id;
}

bool virt_numa_create_ram(MachineState *ms, Error **errp)
{
    if (!ms->ram) {
        error_setg(errp, "virt: the machine has no RAM (the command line "
                   "did not create it)");
        return false;
    }
    return true;
}

void virt_numa_layout(MachineState *ms, hwaddr dram_base,
                      VirtNumaLayout *layout)
{
    int count = 0;
    const NumaMemRange *ranges = numa_mem_ranges(ms, &count);

    memset(layout, 0, sizeof(*layout));
    if (!ranges || count == 0) {
        layout->num_ranges = 1;
        layout->ranges[0].base = dram_base;
        layout->ranges[0].size = ms->ram_size;
        return;
    }
    layout->num_nodes = count;
    layout->num_ranges = count;
    for (int i = 0; i < count && i < VIRT_FDT_MAX_NODES; i++) {
        layout->ranges[i].node_id = ranges[i].node_id;
        layout->ranges[i].base = dram_base + ranges[i].offset;
        layout->ranges[i].size = ranges[i].size;
    }
    layout->distance = numa_distance_matrix(ms);
}

int virt_numa_cpu_node(MachineState *ms, unsigned cpu_index)
{
    int node = numa_cpu_node(ms, cpu_index);

    return node < 0 ? 0 : node;
}
