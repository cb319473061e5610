/*
 * numa.h: guest NUMA topology (-numa) and the machine's RAM (-m,
 * -machine memory-backend).
 *
 * Start-up order (softmmu/vl.c, main thread, big lock):
 *   1. machine object created, -smp applied (machine_parse_smp_config);
 *   2. machine_parse_memory_opts(ms, "-m text")        (-m, optional);
 *   3. -object memory backends created (user_creatable_add_opts);
 *   4. numa_parse_opts(ms, opts) for each -numa, in command-line order,
 *      with the option's text as error location;
 *   5. numa_complete_configuration(ms)   (post-parse checks, CPU default
 *      mapping, distances, the NUMA RAM container);
 *   6. machine_create_ram(ms)            (implicit or -machine
 *      memory-backend RAM when step 5 did not build it);
 *   7. board init: ms->ram is the RAM to map at the DRAM base;
 *      numa_mem_ranges(), numa_cpu_node(), numa_distance_matrix() describe
 *      the topology.
 * Errors carry QEMU 7.2's words (docs/numa.md lists them); vl.c prints
 * them with error_report_err and exits 1.
 *
 * Beyond QEMU 7.2: up to MAX_NODES nodes on every board, any set of CPUs
 * per node (non-contiguous, or none), memory-less nodes, and -numa cpu
 * matching socket-id/core-id/thread-id against the -smp topology.
 */
#ifndef SYSEMU_NUMA_H
#define SYSEMU_NUMA_H

#include "hw/boards.h"
#include "qemu/option.h"

#define MAX_NODES           128
#define NUMA_DISTANCE_MIN   10      /* local distance */
#define NUMA_DISTANCE_DEFAULT 20
#define NUMA_DISTANCE_MAX   255

typedef struct NodeInfo {
    bool present;               /* declared with -numa node */
    uint64_t node_mem;          /* bytes */
    Object *node_memdev;        /* memory backend (referenced) or NULL */
    int initiator;              /* MAX_NODES: none given */
    bool has_cpu;
    bool has_hmat_lb;           /* an hmat-lb targets this node */
    uint8_t distance[MAX_NODES]; /* 0: not given (filled at completion) */
} NodeInfo;

/* One node's share of guest RAM, as an offset into ms->ram. */
typedef struct NumaMemRange {
    int node_id;
    uint64_t offset;            /* bytes from the start of ms->ram */
    uint64_t size;              /* bytes; 0 for a memory-less node */
} NumaMemRange;

struct NumaState {
    int num_nodes;              /* nodes declared */
    bool have_numa_distance;    /* some -numa dist was given */
    bool have_mem;              /* some node used mem= (legacy) */
    bool have_memdevs;          /* some node used memdev= */
    bool completed;             /* numa_complete_configuration() done */
    NodeInfo nodes[MAX_NODES];

    /* Filled by numa_complete_configuration(). */
    NumaMemRange *ranges;       /* num_nodes entries, node order */
    uint8_t *distance_matrix;   /* num_nodes^2 or NULL */
    MemoryRegion *ram_container; /* the "ram" container (memdevs only) */
};

/* -numa's option list (implied key "type"; keys checked per type). */
extern QemuOptsList qemu_numa_opts;

/* The machine's NUMA state, created empty on first use. */
NumaState *numa_state_get(MachineState *ms);

/*
 * Apply one -numa option: node, dist, cpu, hmat-lb or hmat-cache.
 * Memory backends named by memdev= must exist already.  Errors (the
 * caller prefixes the option text): "Parameter 'type' does not accept
 * value 'x'", "Invalid parameter 'x'", "Duplicate NUMA nodeid: N",
 * "Max number of NUMA nodes reached: N", "CPU index (N) should be smaller
 * than maxcpus (M)", "CPU is already assigned to node-id: N", "numa
 * configuration should use either mem= or memdev=,mixing both is not
 * allowed", "memdev=x is ambiguous" (also for a missing one, as 7.2),
 * distance and HMAT messages.  -numa node,mem= warns that it is
 * deprecated.
 */
bool numa_parse_opts(MachineState *ms, QemuOpts *opts, Error **errp);
/* The same from text ("node,nodeid=0,cpus=0-1"); used by tests. */
bool numa_parse_text(MachineState *ms, const char *text, Error **errp);

/*
 * Post-parse checks in QEMU 7.2's order: "numa: Node ID missing: N"
 * (largest first), "total memory for NUMA nodes (0x..) should equal RAM
 * size (0x..)", "'-machine memory-backend' and '-numa memdev' properties
 * are mutually exclusive", "memory backend ID can't be used multiple
 * times.", distance completeness/symmetry, then HMAT initiators.  Then
 * maps CPUs no option named with the board's default rule (warning "CPU(s)
 * not present in any NUMA nodes: ..." when some were named), fills the
 * distance matrix (mirroring one-way values, 10 on the diagonal) and,
 * with memdev= nodes, builds ms->ram: a container holding each node's
 * backend back to back from offset 0 in node order.  Without -numa it
 * only returns true.
 */
bool numa_complete_configuration(MachineState *ms, Error **errp);

/*
 * Give the machine its RAM (ms->ram) unless the NUMA step did:
 * -machine memory-backend=ID (the backend's size must equal -m:
 * "Machine memory size does not match the size of the memory backend";
 * unknown: "Memory backend 'ID' not found"), else an implicit
 * memory-backend-ram /objects/<default_ram_id> of -m bytes (it shows in
 * query-memdev, as QEMU's).  Boards without default_ram_id get nothing.
 */
bool machine_create_ram(MachineState *ms, Error **errp);

/*
 * -m: "512" (MiB when no suffix), "1G", "size=1G,slots=2,maxmem=4G".
 * 0 or no size keeps the board default; sizes round up to 8 KiB.
 * Errors as QEMU 7.2: "Parameter 'size' expects a non-negative number
 * below 2^64" (+ suffix hint), "Invalid parameter 'x'", "Parameter
 * 'slots' expects a number", "slots specified but no max-size",
 * "invalid value of maxmem: ...".
 */
bool machine_parse_memory_opts(MachineState *ms, const char *text,
                               Error **errp);

/* ---- For the board ---- */

/* Number of nodes (0: NUMA off). */
int numa_num_nodes(MachineState *ms);
/* Node of CPU @cpu_index, or -1 when NUMA is off. */
int numa_cpu_node(MachineState *ms, int cpu_index);
/*
 * Per-node RAM ranges in node order (offsets into ms->ram; add the DRAM
 * base), *count = number of nodes; NULL and 0 when NUMA is off.
 */
const NumaMemRange *numa_mem_ranges(MachineState *ms, int *count);
/*
 * distance[src * n + dst] for n = numa_num_nodes(), complete and
 * mirrored; NULL when no -numa dist was given (then the guest gets no
 * distance-map, as with QEMU).
 */
const uint8_t *numa_distance_matrix(MachineState *ms);

/*
 * The possible CPUs (-smp maxcpus of them): mc->possible_cpu_arch_ids
 * when the board has one, else built here with QEMU 7.2 virt's props
 * {core-id: index} (plus node-id once NUMA mapped it).  This is what
 * query-cpus-fast shows as "props".
 */
const CPUArchIdList *machine_possible_cpus(MachineState *ms);

/*
 * QEMU virt's rule for CPUs no option placed: contiguous blocks,
 * node = idx / (cpus / nodes), clamped to the last node (and a block of
 * one CPU when there are more nodes than CPUs).
 */
int64_t numa_default_cpu_node_id(const MachineState *ms, int idx);

/* ---- For the monitor ---- */

/*
 * HMP info numa: "N nodes\n" then per node "node %d cpus: 0 1\n",
 * "node %d size: %d MB\n", "node %d plugged: 0 MB\n" (CPUs 0..smp.cpus-1
 * of that node).  "0 nodes\n" without NUMA.  Caller frees.
 */
char *hmp_info_numa_text(MachineState *ms);

/* Drop the NUMA state (tests; frees ms->numa_state). */
void numa_state_free(MachineState *ms);

#endif /* SYSEMU_NUMA_H */
