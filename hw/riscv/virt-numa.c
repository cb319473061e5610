/*
 * virt-numa.c: RAM and NUMA layout of the virt board (see
 * hw/riscv/virt-numa.h).  Without NUMA the board has one RAM region of
 * -m bytes named after the board, as QEMU's implicit RAM backend.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/riscv/virt-numa.h"

void virt_numa_class_init(MachineClass *mc)
{
}

bool virt_numa_create_ram(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    MemoryRegion *ram;

    if (ms->ram) {
        return true;
    }
    ram = g_new0(MemoryRegion, 1);
    if (!memory_region_init_ram(ram, OBJECT(ms), mc->default_ram_id,
                                ms->ram_size, errp)) {
        g_free(ram);
        return false;
    }
    ms->ram = ram;
    return true;
}

void virt_numa_layout(MachineState *ms, hwaddr dram_base,
                      VirtNumaLayout *layout)
{
    memset(layout, 0, sizeof(*layout));
    layout->num_ranges = 1;
    layout->ranges[0].base = dram_base;
    layout->ranges[0].size = ms->ram_size;
}

int virt_numa_cpu_node(MachineState *ms, unsigned cpu_index)
{
    return 0;
}
