/*
 * boards.h: machines (boards).  A board is a subclass of TYPE_MACHINE
 * named "NAME-machine" (MACHINE_TYPE_NAME("virt")); its class_init fills
 * in the MachineClass (mc->init builds the board).  The machine instance
 * is /machine; everything the board creates hangs below it.
 *
 * Start-up order (the command-line code): pick the class
 * (machine_find_class / find_default_machine), object_new() it, add it
 * as "machine" under the root, set properties (-machine k=v), -m into
 * ram_size, machine_parse_smp_config() for -smp, then
 * machine_run_board_init().  Main thread, big lock.
 */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "hw/qdev-core.h"
#include "exec/memory.h"

#define TYPE_MACHINE_SUFFIX "-machine"
#define MACHINE_TYPE_NAME(machinename) (machinename TYPE_MACHINE_SUFFIX)
#define TYPE_MACHINE "machine"

OBJECT_DECLARE_TYPE(MachineState, MachineClass, MACHINE)

typedef struct NumaState NumaState;     /* owned by the NUMA code */

/* -smp as given: has_X says whether X was on the command line. */
typedef struct SMPConfiguration {
    bool has_cpus;
    int64_t cpus;
    bool has_sockets;
    int64_t sockets;
    bool has_dies;
    int64_t dies;
    bool has_clusters;
    int64_t clusters;
    bool has_cores;
    int64_t cores;
    bool has_threads;
    int64_t threads;
    bool has_maxcpus;
    int64_t maxcpus;
} SMPConfiguration;

/* The resulting topology (all fields >= 1). */
typedef struct CpuTopology {
    unsigned int cpus;
    unsigned int sockets;
    unsigned int dies;
    unsigned int clusters;
    unsigned int cores;
    unsigned int threads;
    unsigned int max_cpus;
} CpuTopology;

typedef struct SMPCompatProps {
    bool prefer_sockets;        /* fill sockets before cores (old types) */
    bool dies_supported;
    bool clusters_supported;
} SMPCompatProps;

/* One possible CPU (the NUMA code maps them to nodes). */
typedef struct CpuInstanceProperties {
    bool has_node_id;
    int64_t node_id;
    bool has_socket_id;
    int64_t socket_id;
    bool has_die_id;
    int64_t die_id;
    bool has_cluster_id;
    int64_t cluster_id;
    bool has_core_id;
    int64_t core_id;
    bool has_thread_id;
    int64_t thread_id;
} CpuInstanceProperties;

typedef struct CPUArchId {
    uint64_t arch_id;
    int64_t vcpus_count;
    CpuInstanceProperties props;
    Object *cpu;                /* NULL until created */
    const char *type;
} CPUArchId;

typedef struct CPUArchIdList {
    int len;
    CPUArchId cpus[];
} CPUArchIdList;

struct MachineClass {
    ObjectClass parent_class;

    const char *name;           /* type name minus "-machine" (base_init) */
    const char *alias;
    const char *desc;
    const char *deprecation_reason;

    void (*init)(MachineState *state);
    void (*reset)(MachineState *state);

    int max_cpus;               /* 0: 1 */
    int min_cpus;
    int default_cpus;
    bool is_default;
    uint64_t default_ram_size;    /* bytes */
    const char *default_ram_id;
    const char *default_cpu_type;
    bool numa_mem_supported;
    bool auto_enable_numa_with_memdev;
    SMPCompatProps smp_props;

    CpuInstanceProperties (*cpu_index_to_instance_props)(MachineState *ms,
                                                         unsigned cpu_index);
    const CPUArchIdList *(*possible_cpu_arch_ids)(MachineState *ms);
    int64_t (*get_default_cpu_node_id)(const MachineState *ms, int idx);
};

struct MachineState {
    Object parent_obj;

    /* -machine properties */
    char *dtb;
    char *dumpdtb;
    char *firmware;
    char *kernel_filename;
    char *kernel_cmdline;
    char *initrd_filename;
    char *ram_memdev_id;        /* memory-backend=ID */
    bool mem_merge;
    bool dump_guest_core;
    bool hmat;                  /* hmat=on (NUMA HMAT options allowed) */

    /* -m and -smp */
    uint64_t ram_size;          /* bytes */
    uint64_t maxram_size;
    uint64_t ram_slots;
    CpuTopology smp;
    bool smp_sockets_given;     /* -smp sockets= was on the command line */

    MemoryRegion *ram;          /* set by the memory backend code */
    const char *cpu_type;
    CPUArchIdList *possible_cpus;
    NumaState *numa_state;
};

/* ---- Classes ---- */

/* The machine named @name (or aliased so); NULL if none. */
MachineClass *machine_find_class(const char *name);
MachineClass *find_default_machine(void);
/* Every non-abstract machine class, sorted by name (g_slist_free). */
GSList *machine_class_list(void);
/*
 * "-machine help": "Supported machines are:" then one line per machine,
 * "%-20s %s" name and description, with " (default)" for the default.
 */
void machine_print_list(void);

/*
 * Apply -smp with QEMU 7.2's rules: omitted values are computed
 * (preferring cores over sockets unless smp_props.prefer_sockets), zero
 * values warn "Deprecated CPU topology (considered invalid): ..." and
 * count as omitted.  Errors: "dies not supported by this machine's CPU
 * topology", "Invalid CPU topology: product of the hierarchy must match
 * maxcpus: sockets (S) * cores (C) * threads (T) != maxcpus (M)",
 * "Invalid CPU topology: maxcpus must be equal to or greater than smp:
 * ... == maxcpus (M) < smp_cpus (N)", "Invalid SMP CPUs N. The min/max
 * CPUs supported by machine 'NAME' is X".
 */
bool machine_parse_smp_config(MachineState *ms,
                              const SMPConfiguration *config,
                              Error **errp);
/* "sockets (2) * cores (2) * threads (1)" for @ms's class. Caller frees. */
char *cpu_hierarchy_to_string(MachineState *ms);

/* Build the board: mc->init(ms). */
bool machine_run_board_init(MachineState *ms, Error **errp);

/* The machine (NULL before it is created). */
MachineState *qdev_get_machine_state(void);

#endif /* HW_BOARDS_H */
