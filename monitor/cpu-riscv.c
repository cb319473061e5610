/*
 * cpu-riscv.c: the monitor's view of the RISC-V harts (MonitorCpuOps):
 * info cpus, info registers, query-cpus-fast, x (through the hart's page
 * tables) and x /i.  Installed at start-up; a board may replace it with
 * monitor_set_cpu_ops().
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/boards.h"
#include "hw/riscv/riscv_hart.h"
#include "sysemu/cpus.h"
#include "sysemu/numa.h"
#include "target/riscv/cpu.h"
#include "target/riscv/cpu_bits.h"
#include "monitor/monitor.h"

#define PAGE_BITS 12
#define VPN_BITS 9
#define PTE_SIZE 8

static int riscv_mon_count(void)
{
    return cpus_count();
}

typedef struct HartSearch {
    RISCVCPU *cpu;
    Object *found;
} HartSearch;

static int find_hart(Object *obj, void *opaque)
{
    HartSearch *hs = opaque;
    RISCVHartState *hart = (RISCVHartState *)
        object_dynamic_cast(obj, TYPE_RISCV_HART);

    if (hart && hart->cpu == hs->cpu) {
        hs->found = obj;
        return 1;
    }
    return 0;
}

/* "/machine/soc0/harts[0]": the hart device wrapping @cpu. */
static char *hart_qom_path(RISCVCPU *cpu)
{
    HartSearch hs = { .cpu = cpu };
    Object *machine = qdev_get_machine();

    if (machine) {
        object_child_foreach_recursive(machine, find_hart, &hs);
    }
    return hs.found ? object_get_canonical_path(hs.found) : NULL;
}

/* props as the machine's possible CPUs have them (core-id, node-id). */
static void riscv_mon_get_info(int index, MonitorCpuInfo *info)
{
    RISCVCPU *cpu = qemu_get_cpu(index);
    MachineState *ms = qdev_get_machine_state();
    const CPUArchIdList *possible = ms ? machine_possible_cpus(ms) : NULL;

    info->thread_id = cpu ? qemu_cpu_thread_id(cpu) : 0;
    info->qom_path = cpu ? hart_qom_path(cpu) : NULL;
    if (possible && index < possible->len) {
        info->props = possible->cpus[index].props;
    } else {
        info->props.has_core_id = true;
        info->props.core_id = index;
    }
}

static void riscv_mon_dump_state(int index, GString *out)
{
    RISCVCPU *cpu = qemu_get_cpu(index);

    if (cpu) {
        riscv_cpu_dump_state(cpu, out);
    }
}

static bool read_pte(uint64_t addr, uint64_t *pte)
{
    uint8_t buf[PTE_SIZE];

    if (address_space_read(&address_space_memory, addr,
                           MEMTXATTRS_UNSPECIFIED, buf, PTE_SIZE)
        != MEMTX_OK) {
        return false;
    }
    *pte = 0;
    for (int i = PTE_SIZE - 1; i >= 0; i--) {
        *pte = *pte << 8 | buf[i];      /* PTEs are little-endian */
    }
    return true;
}

/*
 * A side-effect-free walk of the hart's page table (no A/D updates, no
 * TLB fill, no permission check: the monitor may look at any mapping).
 */
static bool riscv_mon_get_phys(int index, uint64_t va, uint64_t *pa)
{
    RISCVCPU *cpu = qemu_get_cpu(index);
    uint64_t mode, base;
    int levels;

    if (!cpu) {
        return false;
    }
    mode = (cpu->env.satp & SATP_MODE) >> SATP_MODE_SHIFT;
    if (cpu->env.priv == PRV_M || mode == VM_1_10_MBARE) {
        *pa = va;
        return true;
    }
    if (mode < VM_1_10_SV39 || mode > VM_1_10_SV57) {
        return false;
    }
    levels = 3 + (mode - VM_1_10_SV39);
    base = (cpu->env.satp & SATP_PPN) << PAGE_BITS;
    for (int lvl = levels - 1; lvl >= 0; lvl--) {
        int shift = PAGE_BITS + VPN_BITS * lvl;
        uint64_t pte, page;

        if (!read_pte(base + ((va >> shift) & 0x1ff) * PTE_SIZE, &pte) ||
            !(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R))) {
            return false;
        }
        page = ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_BITS;
        if (pte & (PTE_R | PTE_X)) {
            /* A leaf; a misaligned superpage maps nothing. */
            if (page & ((1ULL << shift) - 1)) {
                return false;
            }
            *pa = page | (va & ((1ULL << shift) - 1));
            return true;
        }
        base = page;
    }
    return false;
}

static const MonitorCpuOps riscv_monitor_cpu_ops = {
    .count = riscv_mon_count,
    .get_info = riscv_mon_get_info,
    .dump_state = riscv_mon_dump_state,
    .get_phys_addr = riscv_mon_get_phys,
    .disas = riscv_disas_insn,
};

void monitor_use_riscv_cpu_ops(void)
{
    monitor_set_cpu_ops(&riscv_monitor_cpu_ops);
}

static void __attribute__((constructor)) riscv_monitor_init(void)
{
    monitor_use_riscv_cpu_ops();
}
