/*
 * test-numa.c: -numa, -m and -machine memory-backend checking through
 * the API vl.c calls (numa_parse_opts, numa_complete_configuration,
 * machine_create_ram), table-driven.
 *
 * Bad configurations carry QEMU 7.2's exact message, checked against
 * qemu-system-riscv64 7.2 with "-M virt -display none -S -monitor none
 * -serial none -nodefaults" (TEST_NUMA_PRINT_QEMU=1 prints each case as a
 * QEMU command line with the expected message, for re-checking).  Rows
 * marked MACHINA are configurations 7.2 handles badly on virt (crash,
 * refusal of a sensible layout, or a bug) where Machina differs on
 * purpose.  Good configurations give the expected "info numa" text.
 */
#include "qemu/osdep.h"
#include "sysemu/numa.h"
#include "sysemu/hostmem.h"
#include "hw/riscv/virt-numa.h"
#include "qom/object_interfaces.h"
#include "qapi/error.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qdict.h"

#define TYPE_NUMA_TEST_MACHINE MACHINE_TYPE_NAME("numa-test")

static void numa_test_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "NUMA test board (virt's memory and CPU rules)";
    mc->max_cpus = 512;
    mc->default_ram_size = 128 * 1024 * 1024;
    mc->default_ram_id = "riscv_virt_board.ram";
    mc->numa_mem_supported = true;
}

static const TypeInfo numa_test_machine_info = {
    .name = TYPE_NUMA_TEST_MACHINE,
    .parent = TYPE_MACHINE,
    .class_init = numa_test_machine_class_init,
};

static QemuOptsList object_opts = {
    .name = "object",
    .implied_opt_name = "qom-type",
    .desc = { { } },
};

/* One command line: -smp, -m, -machine, -object..., -numa... */
typedef struct NumaCase {
    const char *name;
    unsigned cpus, maxcpus, sockets, cores, threads;  /* 0: omitted */
    const char *mem;            /* -m text, NULL: board default */
    const char *memdev;         /* -machine memory-backend= */
    bool hmat;
    const char *objects[8];
    const char *numa[12];
    const char *error;          /* expected message, NULL: success */
    const char *info_numa;      /* expected on success (NULL: not checked) */
} NumaCase;

#define M0_512 "memory-backend-ram,id=m0,size=512M"
#define M1_512 "memory-backend-ram,id=m1,size=512M"
#define M0_1G "memory-backend-ram,id=m0,size=1G"
#define M1_1G "memory-backend-ram,id=m1,size=1G"
#define M0_64 "memory-backend-ram,id=m0,size=64M"
#define M1_64 "memory-backend-ram,id=m1,size=64M"
#define RAM128 "memory-backend-ram,id=ram,size=128M"

static const NumaCase bad_cases[] = {
    { "mix-mem-memdev", .cpus = 2, .mem = "1G", .objects = { M0_512 },
      .numa = { "node,nodeid=0,mem=512M", "node,nodeid=1,memdev=m0" },
      .error = "numa configuration should use either mem= or memdev=,mixing"
               " both is not allowed" },
    { "mix-in-one-node", .mem = "1G", .objects = { M0_1G },
      .numa = { "node,mem=1G,memdev=m0" },
      .error = "numa configuration should use either mem= or memdev=,mixing"
               " both is not allowed" },
    { "total-short", .cpus = 2, .mem = "1G",
      .objects = { M0_512, "memory-backend-ram,id=m1,size=256M" },
      .numa = { "node,memdev=m0", "node,memdev=m1" },
      .error = "total memory for NUMA nodes (0x30000000) should equal RAM "
               "size (0x40000000)" },
    { "total-default-ram", .objects = { M0_1G }, .numa = { "node,memdev=m0" },
      .error = "total memory for NUMA nodes (0x40000000) should equal RAM "
               "size (0x8000000)" },
    { "no-memory", .cpus = 2, .mem = "1G", .numa = { "node", "node" },
      .error = "total memory for NUMA nodes (0x0) should equal RAM size "
               "(0x40000000)" },
    { "duplicate-id", .mem = "1G", .numa = { "node,nodeid=0",
                                             "node,nodeid=0" },
      .error = "Duplicate NUMA nodeid: 0" },
    { "cpu-range-max", .cpus = 2, .mem = "1G", .numa = { "node,cpus=0-3" },
      .error = "CPU index (2) should be smaller than maxcpus (2)" },
    { "cpu-max", .cpus = 2, .numa = { "node,cpus=5" },
      .error = "CPU index (5) should be smaller than maxcpus (2)" },
    { "cpu-twice", .cpus = 2, .mem = "1G", .objects = { M0_512, M1_512 },
      .numa = { "node,nodeid=0,memdev=m0,cpus=0-1",
                "node,nodeid=1,memdev=m1,cpus=1" },
      .error = "CPU is already assigned to node-id: 0" },
    { "memdev-missing", .numa = { "node,memdev=nosuch" },
      .error = "memdev=nosuch is ambiguous" },
    { "memdev-empty", .numa = { "node,memdev=" },
      .error = "memdev= is ambiguous" },
    { "nodeid-128", .numa = { "node,nodeid=128" },
      .error = "Max number of NUMA nodes reached: 128" },
    { "nodeid-200", .numa = { "node,nodeid=200" },
      .error = "Max number of NUMA nodes reached: 200" },
    { "nodeid-127-alone", .numa = { "node,nodeid=127" },
      .error = "numa: Node ID missing: 126" },
    { "nodeid-1-alone", .numa = { "node,nodeid=1" },
      .error = "numa: Node ID missing: 0" },
    { "nodeid-negative", .numa = { "node,nodeid=-1" },
      .error = "Parameter 'nodeid' expects a uint64 value" },
    { "nodeid-70000", .numa = { "node,nodeid=70000" },
      .error = "Parameter 'nodeid' expects uint16_t" },
    { "nodeid-last-wins", .numa = { "node,nodeid=0,nodeid=1" },
      .error = "numa: Node ID missing: 0" },
    { "cpus-reversed", .numa = { "node,cpus=1-0" },
      .error = "Parameter 'cpus' expects a uint64 value or range" },
    { "cpus-empty", .numa = { "node,cpus=" },
      .error = "Parameter 'cpus' expects a uint64 value or range" },
    { "cpus-word", .numa = { "node,cpus=foo" },
      .error = "Parameter 'cpus' expects a uint64 value or range" },
    { "cpus-huge-range", .numa = { "node,cpus=0-70000" },
      .error = "Parameter 'cpus' expects a uint64 value or range" },
    { "mem-word", .numa = { "node,mem=foo" },
      .error = "Parameter 'mem' expects a size value" },
    { "bogus-key", .numa = { "node,bogus=1" },
      .error = "Invalid parameter 'bogus'" },
    { "bad-type", .numa = { "foo,x=1" },
      .error = "Parameter 'type' does not accept value 'foo'" },
    { "memdev-twice", .mem = "1G", .objects = { M0_512 },
      .numa = { "node,memdev=m0", "node,memdev=m0" },
      .error = "memory backend m0 can't be used multiple times." },
    { "dist-below-10", .cpus = 2, .mem = "2G", .objects = { M0_1G, M1_1G },
      .numa = { "node,memdev=m0", "node,memdev=m1",
                "dist,src=0,dst=1,val=5" },
      .error = "NUMA distance (5) is invalid, it shouldn't be less than 10." },
    { "dist-local", .numa = { "node", "dist,src=0,dst=0,val=11" },
      .error = "Local distance of node 0 should be 10." },
    { "dist-absent-node", .numa = { "node", "node",
                                    "dist,src=0,dst=2,val=20" },
      .error = "Source/Destination NUMA node is missing. Please use '-numa "
               "node' option to declare it first." },
    { "dist-dst-200", .numa = { "node", "dist,src=0,dst=200,val=20" },
      .error = "Parameter 'dst' expects an integer between 0 and 127" },
    { "dist-no-val", .numa = { "node", "node", "dist,src=0,dst=1" },
      .error = "Parameter 'val' is missing" },
    { "dist-no-dst", .numa = { "node", "node", "dist,src=0,val=20" },
      .error = "Parameter 'dst' is missing" },
    { "dist-val-300", .numa = { "node", "node", "dist,src=0,dst=1,val=300" },
      .error = "Parameter 'val' expects uint8_t" },
    { "dist-src-word", .numa = { "node", "node",
                                 "dist,src=foo,dst=1,val=20" },
      .error = "Parameter 'src' expects a uint64 value" },
    { "dist-asymmetric", .cpus = 3, .mem = "3G",
      .objects = { M0_1G, M1_1G, "memory-backend-ram,id=m2,size=1G" },
      .numa = { "node,memdev=m0", "node,memdev=m1", "node,memdev=m2",
                "dist,src=0,dst=1,val=20", "dist,src=1,dst=0,val=30",
                "dist,src=0,dst=2,val=20", "dist,src=1,dst=2,val=20" },
      .error = "At least one asymmetrical pair of distances is given, please "
               "provide distances for both directions of all node pairs." },
    { "dist-missing-pair", .cpus = 3, .mem = "3G",
      .objects = { M0_1G, M1_1G, "memory-backend-ram,id=m2,size=1G" },
      .numa = { "node,memdev=m0", "node,memdev=m1", "node,memdev=m2",
                "dist,src=0,dst=1,val=20", "dist,src=0,dst=2,val=20" },
      .error = "The distance between node 1 and 2 is missing, at least one "
               "distance value between each nodes should be provided." },
    { "initiator-no-hmat", .numa = { "node,initiator=0" },
      .error = "ACPI Heterogeneous Memory Attribute Table (HMAT) is "
               "disabled, enable it with -machine hmat=on before using any "
               "of hmat specific options" },
    { "hmat-lb-no-hmat", .numa = { "node",
        "hmat-lb,initiator=0,target=0,hierarchy=memory,"
        "data-type=access-latency,latency=5" },
      .error = "ACPI Heterogeneous Memory Attribute Table (HMAT) is "
               "disabled, enable it with -machine hmat=on before using any "
               "of hmat specific options" },
    { "initiator-cpu-node", .cpus = 2, .mem = "1G", .hmat = true,
      .objects = { M0_512, M1_512 },
      .numa = { "node,nodeid=0,memdev=m0,cpus=0,initiator=0",
                "node,nodeid=1,memdev=m1,cpus=1,initiator=0" },
      .error = "The initiator of CPU NUMA node 1 should be itself (got 0)" },
    { "initiator-cpuless", .cpus = 2, .mem = "1G", .hmat = true,
      .objects = { M0_512, M1_512 },
      .numa = { "node,nodeid=0,memdev=m0,cpus=0-1",
                "node,nodeid=1,memdev=m1,initiator=1" },
      .error = "The initiator of NUMA node 1 is invalid" },
    { "initiator-absent", .cpus = 2, .mem = "1G", .hmat = true,
      .objects = { M0_512, M1_512 },
      .numa = { "node,nodeid=0,memdev=m0,cpus=0-1",
                "node,nodeid=1,memdev=m1,initiator=5" },
      .error = "NUMA node 5 is missing, use '-numa node' option to declare "
               "it first" },
    /* MACHINA: 7.2 prints this and goes on parsing; we stop here. */
    { "initiator-200", .hmat = true, .numa = { "node,initiator=200" },
      .error = "The initiator id 200 expects an integer between 0 and 127" },
    { "hmat-lb-cpuless-initiator", .cpus = 2, .mem = "1G", .hmat = true,
      .objects = { M0_512, M1_512 },
      .numa = { "node,nodeid=0,memdev=m0,cpus=0-1",
                "node,nodeid=1,memdev=m1",
                "hmat-lb,initiator=1,target=0,hierarchy=memory,"
                "data-type=access-latency,latency=5" },
      .error = "Invalid initiator=1, it isn't an initiator proximity domain" },
    { "hmat-lb-no-latency", .cpus = 2, .mem = "1G", .hmat = true,
      .objects = { M0_1G }, .numa = { "node,memdev=m0,cpus=0-1",
        "hmat-lb,initiator=0,target=0,hierarchy=memory,"
        "data-type=access-latency" },
      .error = "Missing 'latency' option" },
    { "hmat-lb-bandwidth-align", .cpus = 2, .mem = "1G", .hmat = true,
      .objects = { M0_1G }, .numa = { "node,memdev=m0,cpus=0-1",
        "hmat-lb,initiator=0,target=0,hierarchy=memory,"
        "data-type=access-bandwidth,bandwidth=100K" },
      .error = "Bandwidth 102400 between initiator=0 and target=0 should be "
               "1MB aligned" },
    { "hmat-cache-before-lb", .cpus = 2, .mem = "1G", .hmat = true,
      .objects = { M0_1G }, .numa = { "node,memdev=m0,cpus=0-1",
        "hmat-cache,node-id=0,size=10K,level=1,associativity=direct,"
        "policy=write-back,line=8" },
      .error = "The latency and bandwidth information of node-id=0 should be "
               "provided before memory side cache attributes" },
    { "cpu-undeclared-node", .numa = { "cpu,node-id=5,socket-id=0" },
      .error = "Invalid node-id=5, NUMA node must be defined with -numa "
               "node,nodeid=ID before it's used with -numa cpu,node-id=ID" },
    { "cpu-no-match", .cpus = 2, .numa = { "node", "node",
                                           "cpu,node-id=1,core-id=5" },
      .error = "no match found" },
    { "cpu-no-node-id", .cpus = 2, .numa = { "node", "cpu,core-id=1" },
      .error = "Missing mandatory node-id property" },
    { "cpu-all-taken", .cpus = 2, .numa = { "node,cpus=0", "node",
                                            "cpu,node-id=1" },
      .error = "CPU is already assigned to node-id: 0" },
    { "cpu-core-id-word", .numa = { "node,nodeid=0",
                                    "cpu,node-id=0,core-id=foo" },
      .error = "Parameter 'core-id' expects an int64 value" },
    { "memory-backend-size", .mem = "1G", .memdev = "m0",
      .objects = { M0_512 },
      .error = "Machine memory size does not match the size of the memory "
               "backend" },
    { "memory-backend-and-numa", .mem = "1G", .memdev = "m0",
      .objects = { M0_1G }, .numa = { "node,memdev=m0" },
      .error = "'-machine memory-backend' and '-numa memdev' properties are "
               "mutually exclusive" },
    { "memory-backend-missing", .memdev = "nosuch",
      .error = "Memory backend 'nosuch' not found" },
    { "m-word", .mem = "foo",
      .error = "Parameter 'size' expects a non-negative number below 2^64" },
    { "m-maxmem-small", .mem = "1G,maxmem=512M",
      .error = "invalid value of maxmem: maximum memory size (0x20000000) "
               "must be at least the initial memory size (0x40000000)" },
    { "m-slots-no-maxmem", .mem = "1G,slots=2",
      .error = "slots specified but no max-size" },
    { "m-slots-equal", .mem = "1G,maxmem=1G,slots=2",
      .error = "invalid value of maxmem: memory slots were specified but "
               "maximum memory size (0x40000000) is equal to the initial "
               "memory size (0x40000000)" },
    { "m-slots-word", .mem = "1G,slots=foo",
      .error = "Parameter 'slots' expects a number" },
    { "m-bogus", .mem = "1G,bogus=1",
      .error = "Invalid parameter 'bogus'" },
};

/* Info numa for N nodes, each "cpus" list given (NULL-terminated). */
static const NumaCase good_cases[] = {
    { "no-numa", .cpus = 2, .info_numa = "0 nodes\n" },
    { "two-nodes-dist", .cpus = 4, .mem = "2G", .objects = { M0_1G, M1_1G },
      .numa = { "node,nodeid=0,cpus=0-1,memdev=m0",
                "node,nodeid=1,cpus=2-3,memdev=m1",
                "dist,src=0,dst=1,val=20" },
      .info_numa = "2 nodes\nnode 0 cpus: 0 1\nnode 0 size: 1024 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 2 3\n"
                   "node 1 size: 1024 MB\nnode 1 plugged: 0 MB\n" },
    { "default-split-8", .cpus = 8, .sockets = 8, .objects = { RAM128 },
      .numa = { "node,memdev=ram", "node" },
      .info_numa = "2 nodes\nnode 0 cpus: 0 1 2 3\nnode 0 size: 128 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 4 5 6 7\n"
                   "node 1 size: 0 MB\nnode 1 plugged: 0 MB\n" },
    { "default-split-7", .cpus = 7, .sockets = 7, .objects = { RAM128 },
      .numa = { "node,memdev=ram", "node" },
      .info_numa = "2 nodes\nnode 0 cpus: 0 1 2\nnode 0 size: 128 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 3 4 5 6\n"
                   "node 1 size: 0 MB\nnode 1 plugged: 0 MB\n" },
    /* MACHINA: 7.2 fails with "discontinuous hartids in socket0". */
    { "partial", .cpus = 8, .objects = { RAM128 },
      .numa = { "node,memdev=ram,cpus=0-1", "node,cpus=4-5" },
      .info_numa = "2 nodes\nnode 0 cpus: 0 1 2 3\nnode 0 size: 128 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 4 5 6 7\n"
                   "node 1 size: 0 MB\nnode 1 plugged: 0 MB\n" },
    /* MACHINA: non-contiguous CPU sets. */
    { "interleaved-cpus", .cpus = 4, .mem = "128M",
      .objects = { M0_64, M1_64 },
      .numa = { "node,memdev=m0,cpus=0,cpus=2",
                "node,memdev=m1,cpus=1,cpus=3" },
      .info_numa = "2 nodes\nnode 0 cpus: 0 2\nnode 0 size: 64 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 1 3\n"
                   "node 1 size: 64 MB\nnode 1 plugged: 0 MB\n" },
    /* MACHINA: a memory-only node (7.2: discontinuous hartids). */
    { "cpu-less-node", .cpus = 2, .mem = "128M", .objects = { M0_64, M1_64 },
      .numa = { "node,memdev=m0,cpus=0-1", "node,memdev=m1" },
      .info_numa = "2 nodes\nnode 0 cpus: 0 1\nnode 0 size: 64 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus:\nnode 1 size: 64 MB\n"
                   "node 1 plugged: 0 MB\n" },
    /* MACHINA: -numa cpu by socket, reversed (7.2: socket-id refused). */
    { "cpu-by-socket", .cpus = 8, .sockets = 2, .cores = 2, .threads = 2,
      .objects = { RAM128 },
      .numa = { "node,memdev=ram", "node", "cpu,node-id=1,socket-id=0",
                "cpu,node-id=0,socket-id=1" },
      .info_numa = "2 nodes\nnode 0 cpus: 4 5 6 7\nnode 0 size: 128 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 0 1 2 3\n"
                   "node 1 size: 0 MB\nnode 1 plugged: 0 MB\n" },
    { "cpu-by-thread", .cpus = 4, .sockets = 1, .cores = 2, .threads = 2,
      .objects = { RAM128 },
      .numa = { "node,memdev=ram", "node", "cpu,node-id=0,thread-id=0",
                "cpu,node-id=1,thread-id=1" },
      .info_numa = "2 nodes\nnode 0 cpus: 0 2\nnode 0 size: 128 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 1 3\n"
                   "node 1 size: 0 MB\nnode 1 plugged: 0 MB\n" },
    /* MACHINA: 7.2 segfaults on an out-of-order core-id mapping. */
    { "cpu-core-id-reversed", .cpus = 4, .objects = { RAM128 },
      .numa = { "node,memdev=ram", "node", "cpu,node-id=1,core-id=0",
                "cpu,node-id=1,core-id=1", "cpu,node-id=0,core-id=2",
                "cpu,node-id=0,core-id=3" },
      .info_numa = "2 nodes\nnode 0 cpus: 2 3\nnode 0 size: 128 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 0 1\n"
                   "node 1 size: 0 MB\nnode 1 plugged: 0 MB\n" },
    { "legacy-mem", .cpus = 2, .mem = "1G",
      .numa = { "node,mem=512M,cpus=0", "node,mem=512M,cpus=1" },
      .info_numa = "2 nodes\nnode 0 cpus: 0\nnode 0 size: 512 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 1\n"
                   "node 1 size: 512 MB\nnode 1 plugged: 0 MB\n" },
    /* MACHINA: 3 nodes of one CPU (7.2 aborts in the PLIC code). */
    { "three-single-cpu", .cpus = 3, .mem = "192M",
      .objects = { M0_64, M1_64, "memory-backend-ram,id=m2,size=64M" },
      .numa = { "node,memdev=m0,cpus=0", "node,memdev=m1,cpus=1",
                "node,memdev=m2,cpus=2" },
      .info_numa = "3 nodes\nnode 0 cpus: 0\nnode 0 size: 64 MB\n"
                   "node 0 plugged: 0 MB\nnode 1 cpus: 1\n"
                   "node 1 size: 64 MB\nnode 1 plugged: 0 MB\n"
                   "node 2 cpus: 2\nnode 2 size: 64 MB\n"
                   "node 2 plugged: 0 MB\n" },
    { "memory-backend", .cpus = 1, .mem = "64M", .memdev = "m0",
      .objects = { M0_64 }, .info_numa = "0 nodes\n" },
};

/* ---- Running a case ---- */

static MachineState *machine_for(const NumaCase *c, Error **errp)
{
    Object *obj = object_new(TYPE_NUMA_TEST_MACHINE);
    MachineState *ms = MACHINE(obj);
    SMPConfiguration smp = {
        .has_cpus = c->cpus > 0, .cpus = c->cpus,
        .has_maxcpus = c->maxcpus > 0, .maxcpus = c->maxcpus,
        .has_sockets = c->sockets > 0, .sockets = c->sockets,
        .has_cores = c->cores > 0, .cores = c->cores,
        .has_threads = c->threads > 0, .threads = c->threads,
    };

    object_property_add_child(object_get_root(), "machine", obj);
    object_unref(obj);
    ms->hmat = c->hmat;
    ms->ram_memdev_id = g_strdup(c->memdev);
    machine_parse_smp_config(ms, &smp, &error_abort);
    if (c->mem && !machine_parse_memory_opts(ms, c->mem, errp)) {
        return ms;
    }
    for (int i = 0; i < 8 && c->objects[i]; i++) {
        QemuOpts *opts = qemu_opts_parse(&object_opts, c->objects[i], true,
                                         &error_abort);
        Object *o = user_creatable_add_opts(opts, errp);

        qemu_opts_del(opts);
        if (!o) {
            return ms;
        }
    }
    return ms;
}

/* Apply the whole command line; false with @errp at the first error. */
static bool run_case(const NumaCase *c, MachineState **pms, Error **errp)
{
    MachineState *ms = machine_for(c, errp);

    *pms = ms;
    if (*errp) {
        return false;
    }
    for (int i = 0; i < 12 && c->numa[i]; i++) {
        if (!numa_parse_text(ms, c->numa[i], errp)) {
            return false;
        }
    }
    return numa_complete_configuration(ms, errp) &&
           machine_create_ram(ms, errp);
}

static void teardown(MachineState *ms)
{
    numa_state_free(ms);
    user_creatable_cleanup();
    object_unparent(OBJECT(ms));
}

static void test_bad_case(gconstpointer data)
{
    const NumaCase *c = data;
    MachineState *ms;
    Error *err = NULL;

    g_assert_false(run_case(c, &ms, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, c->error);
    error_free(err);
    teardown(ms);
}

static void test_good_case(gconstpointer data)
{
    const NumaCase *c = data;
    g_autofree char *info = NULL;
    MachineState *ms;
    Error *err = NULL;

    if (!run_case(c, &ms, &err)) {
        g_error("%s: %s", c->name, error_get_pretty(err));
    }
    info = hmp_info_numa_text(ms);
    g_assert_cmpstr(info, ==, c->info_numa);
    g_assert_nonnull(ms->ram);
    g_assert_cmpuint(memory_region_size(ms->ram), ==, ms->ram_size);
    teardown(ms);
}

/* ---- Focused checks ---- */

static MachineState *good_machine(const NumaCase *c)
{
    MachineState *ms;
    Error *err = NULL;

    if (!run_case(c, &ms, &err)) {
        g_error("%s: %s", c->name, error_get_pretty(err));
    }
    return ms;
}

/* The board's view: ranges, CPU nodes, distances, the RAM container. */
static void test_board_view(void)
{
    MachineState *ms = good_machine(&good_cases[1]);
    const NumaMemRange *r;
    const uint8_t *dist;
    int count;

    r = numa_mem_ranges(ms, &count);
    g_assert_cmpint(count, ==, 2);
    g_assert_cmpint(r[0].node_id, ==, 0);
    g_assert_cmpuint(r[0].offset, ==, 0);
    g_assert_cmpuint(r[0].size, ==, 1ULL << 30);
    g_assert_cmpint(r[1].node_id, ==, 1);
    g_assert_cmpuint(r[1].offset, ==, 1ULL << 30);
    g_assert_cmpint(numa_cpu_node(ms, 1), ==, 0);
    g_assert_cmpint(numa_cpu_node(ms, 2), ==, 1);

    dist = numa_distance_matrix(ms);
    g_assert_nonnull(dist);
    g_assert_cmpint(dist[0], ==, 10);
    g_assert_cmpint(dist[1], ==, 20);
    g_assert_cmpint(dist[2], ==, 20);       /* mirrored */
    g_assert_cmpint(dist[3], ==, 10);

    /* ms->ram is the container "riscv_virt_board.ram" over both nodes. */
    g_assert_cmpstr(memory_region_name(ms->ram), ==, "riscv_virt_board.ram");
    g_assert_true(host_memory_backend_is_mapped(MEMORY_BACKEND(
        object_resolve_path("/objects/m1", NULL))));
    teardown(ms);
}

/* The virt board's adapter: ranges from the DRAM base, hart nodes. */
static void test_virt_layout(void)
{
    MachineState *ms = good_machine(&good_cases[1]);
    VirtNumaLayout layout;

    virt_numa_layout(ms, 0x80000000, &layout);
    g_assert_cmpuint(layout.num_nodes, ==, 2);
    g_assert_cmpuint(layout.num_ranges, ==, 2);
    g_assert_cmphex(layout.ranges[0].base, ==, 0x80000000);
    g_assert_cmphex(layout.ranges[1].base, ==, 0xc0000000);
    g_assert_cmphex(layout.ranges[1].size, ==, 0x40000000);
    g_assert_cmpint(layout.ranges[1].node_id, ==, 1);
    g_assert_true(layout.distance == numa_distance_matrix(ms));
    g_assert_cmpint(virt_numa_cpu_node(ms, 3), ==, 1);
    teardown(ms);

    /* NUMA off: one range of -m bytes, no nodes. */
    ms = good_machine(&good_cases[0]);
    virt_numa_layout(ms, 0x80000000, &layout);
    g_assert_cmpuint(layout.num_nodes, ==, 0);
    g_assert_cmpuint(layout.num_ranges, ==, 1);
    g_assert_cmphex(layout.ranges[0].size, ==, 128 << 20);
    g_assert_null(layout.distance);
    teardown(ms);
}

static void test_asymmetric_distances(void)
{
    static const NumaCase c = {
        "asym", .cpus = 2, .mem = "2G", .objects = { M0_1G, M1_1G },
        .numa = { "node,memdev=m0,cpus=0", "node,memdev=m1,cpus=1",
                  "dist,src=0,dst=1,val=20", "dist,src=1,dst=0,val=30" },
    };
    MachineState *ms = good_machine(&c);
    const uint8_t *d = numa_distance_matrix(ms);

    g_assert_cmpint(d[1], ==, 20);
    g_assert_cmpint(d[2], ==, 30);
    teardown(ms);
}

static void test_no_distance_no_matrix(void)
{
    MachineState *ms = good_machine(&good_cases[2]);

    g_assert_null(numa_distance_matrix(ms));
    g_assert_cmpint(numa_num_nodes(ms), ==, 2);
    teardown(ms);
}

/* Without -numa: the implicit backend named after the board, off NUMA. */
static void test_implicit_backend(void)
{
    MachineState *ms = good_machine(&good_cases[0]);
    g_autoptr(QList) list = qmp_query_memdev_list();
    QDict *d;
    int count;

    g_assert_cmpint(numa_cpu_node(ms, 0), ==, -1);
    g_assert_null(numa_mem_ranges(ms, &count));
    g_assert_cmpint(count, ==, 0);
    g_assert_cmpstr(memory_region_name(ms->ram), ==, "riscv_virt_board.ram");
    g_assert_cmpuint(memory_region_size(ms->ram), ==, 128 << 20);
    g_assert_cmpuint(qlist_size(list), ==, 1);
    d = qobject_to(QDict, qlist_peek(list));
    g_assert_cmpstr(qdict_get_str(d, "id"), ==, "riscv_virt_board.ram");
    g_assert_cmpint(qdict_get_int(d, "size"), ==, 128 << 20);
    teardown(ms);
}

/* 64 nodes of one CPU and 1M each; then 128 nodes, most without CPUs. */
static void test_many_nodes(void)
{
    for (int nodes = 64; nodes <= 128; nodes += 64) {
        NumaCase c = { "many", .cpus = 64, .mem = "128M" };
        g_autoptr(GString) expect = g_string_new("");
        g_autofree char *info = NULL;
        g_autofree char *first = NULL;
        MachineState *ms;
        Error *err = NULL;

        ms = machine_for(&c, &err);
        g_assert_null(err);
        for (int i = 0; i < nodes; i++) {
            g_autofree char *obj = g_strdup_printf(
                "memory-backend-ram,id=n%d,size=%dK", i, 128 * 1024 / nodes);
            g_autofree char *text = g_strdup_printf("node,memdev=n%d", i);
            QemuOpts *opts = qemu_opts_parse(&object_opts, obj, true,
                                             &error_abort);

            user_creatable_add_opts(opts, &error_abort);
            qemu_opts_del(opts);
            numa_parse_text(ms, text, &error_abort);
        }
        numa_complete_configuration(ms, &error_abort);
        g_assert_cmpint(numa_num_nodes(ms), ==, nodes);

        /* Default rule with more nodes than CPUs: one CPU per node. */
        for (int cpu = 0; cpu < 64; cpu++) {
            g_assert_cmpint(numa_cpu_node(ms, cpu), ==, cpu);
        }
        info = hmp_info_numa_text(ms);
        first = g_strdup_printf("%d nodes\nnode 0 cpus: 0\n", nodes);
        g_assert_true(g_str_has_prefix(info, first));
        g_assert_nonnull(strstr(info, "node 63 cpus: 63\n"));
        if (nodes == 128) {
            g_assert_nonnull(strstr(info, "node 127 cpus:\nnode 127 size: "
                                    "1 MB\n"));
        }
        teardown(ms);
    }
}

/* The warning for CPUs a partial mapping left out, in a subprocess. */
static void test_partial_warning(void)
{
    if (g_test_subprocess()) {
        MachineState *ms = good_machine(&good_cases[4]);

        teardown(ms);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: CPU(s) not present in any NUMA "
                              "nodes: CPU 2 [core-id: 2], CPU 3 [core-id: 3]"
                              ", CPU 6 [core-id: 6], CPU 7 [core-id: 7]\n*"
                              "warning: All CPU(s) up to maxcpus should be "
                              "described in NUMA config, ability to start up"
                              " with partial NUMA mappings is obsoleted and "
                              "will be removed in future\n*");
}

static void test_mem_deprecated_warning(void)
{
    if (g_test_subprocess()) {
        MachineState *ms = good_machine(&good_cases[10]);

        teardown(ms);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*warning: Parameter -numa node,mem is "
                              "deprecated, use -numa node,memdev instead*");
}

/* -m: MiB without suffix, 8 KiB rounding, 0 keeps the default. */
static void test_memory_opts(void)
{
    static const struct {
        const char *text;
        uint64_t size, maxmem, slots;
    } rows[] = {
        { "512", 512ULL << 20, 512ULL << 20, 0 },
        { "1G", 1ULL << 30, 1ULL << 30, 0 },
        { "1000K", 1024000, 1024000, 0 },
        { "1001K", 1032192, 1032192, 0 },
        { "0", 128ULL << 20, 128ULL << 20, 0 },
        { "size=1G,slots=2,maxmem=4G", 1ULL << 30, 4ULL << 30, 2 },
        { "1G,maxmem=4G", 1ULL << 30, 4ULL << 30, 0 },
        { "slots=2,maxmem=4G", 128ULL << 20, 4ULL << 30, 2 },
        { "1.5G", 3ULL << 29, 3ULL << 29, 0 },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        NumaCase c = { "m", .mem = rows[i].text };
        MachineState *ms;
        Error *err = NULL;

        g_test_message("-m %s", rows[i].text);
        g_assert_true(run_case(&c, &ms, &err));
        g_assert_cmpuint(ms->ram_size, ==, rows[i].size);
        g_assert_cmpuint(ms->maxram_size, ==, rows[i].maxmem);
        g_assert_cmpuint(ms->ram_slots, ==, rows[i].slots);
        teardown(ms);
    }
}

/* ---- Printing the cases as QEMU command lines ---- */

static void print_qemu_case(const NumaCase *c)
{
    g_autoptr(GString) cmd = g_string_new("-M virt");

    g_string_append(cmd, c->hmat ? ",hmat=on" : "");
    if (c->memdev) {
        g_string_append_printf(cmd, ",memory-backend=%s", c->memdev);
    }
    if (c->cpus) {
        g_string_append_printf(cmd, " -smp %u", c->cpus);
        if (c->sockets) {
            g_string_append_printf(cmd, ",sockets=%u", c->sockets);
        }
    }
    if (c->mem) {
        g_string_append_printf(cmd, " -m %s", c->mem);
    }
    for (int i = 0; i < 8 && c->objects[i]; i++) {
        g_string_append_printf(cmd, " -object %s", c->objects[i]);
    }
    for (int i = 0; i < 12 && c->numa[i]; i++) {
        g_string_append_printf(cmd, " -numa %s", c->numa[i]);
    }
    printf("%s\t%s\t%s\n", c->name, c->error, cmd->str);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    type_register_static(&numa_test_machine_info);

    if (getenv("TEST_NUMA_PRINT_QEMU")) {
        for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
            print_qemu_case(&bad_cases[i]);
        }
        return 0;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *path = g_strdup_printf("/numa/bad/%s",
                                                bad_cases[i].name);

        g_test_add_data_func(path, &bad_cases[i], test_bad_case);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(good_cases); i++) {
        g_autofree char *path = g_strdup_printf("/numa/good/%s",
                                                good_cases[i].name);

        g_test_add_data_func(path, &good_cases[i], test_good_case);
    }
    g_test_add_func("/numa/board-view", test_board_view);
    g_test_add_func("/numa/asymmetric-distances", test_asymmetric_distances);
    g_test_add_func("/numa/virt-layout", test_virt_layout);
    g_test_add_func("/numa/no-distance", test_no_distance_no_matrix);
    g_test_add_func("/numa/implicit-backend", test_implicit_backend);
    g_test_add_func("/numa/many-nodes", test_many_nodes);
    g_test_add_func("/numa/partial-warning", test_partial_warning);
    g_test_add_func("/numa/mem-deprecated", test_mem_deprecated_warning);
    g_test_add_func("/numa/memory-opts", test_memory_opts);
    return g_test_run();
}
