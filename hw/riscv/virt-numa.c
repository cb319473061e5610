/*
 * virt-numa.c: RAM and NUMA layout of the virt board (see
 * hw/riscv/virt-numa.h), on top of the generic NUMA code
 * (sysemu/numa.h).  Without NUMA the RAM is the implicit backend
 * "riscv_virt_board.ram" of -m bytes, as QEMU's; with memdev= nodes it is
 * the container numa_complete_configuration() built.
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
    return machine_create_ram(ms, errp);
}

void virt_numa_layout(MachineState *ms, hwaddr dram_base,
                      VirtNumaLayout *layout)
{
    int count;
    const NumaMemRange *r = numa_mem_ranges(ms, &count);

    memset(layout, 0, sizeof(*layout));
    if (!r) {
        layout->num_ranges = 1;
        layout->ranges[0].base = dram_base;
        layout->ranges[0].size = ms->ram_size;
        return;
    }
    layout->num_nodes = count;
    layout->num_ranges = count;
    for (int i = 0; i < count; i++) {
        layout->ranges[i].node_id = r[i].node_id;
        layout->ranges[i].base = dram_base + r[i].offset;
        layout->ranges[i].size = r[i].size;
    }
    layout->distance = numa_distance_matrix(ms);
}

int virt_numa_cpu_node(MachineState *ms, unsigned cpu_index)
{
    int node = numa_cpu_node(ms, cpu_index);

    return node < 0 ? 0 : node;
}
