/*
 * numa.c: -numa parsing and checking, CPU-to-node mapping, and the
 * machine's RAM (see sysemu/numa.h for the order vl.c calls things in).
 *
 * The messages are QEMU 7.2's (tests/unit/test-numa.c holds them, checked
 * against qemu-system-riscv64 7.2).  Where 7.2 refused a sensible layout
 * on riscv virt (nodes tied to sockets, contiguous harts only, at most 4
 * nodes, a CPU for every node), Machina accepts it: the board describes
 * any node/CPU assignment in its device tree.
 */
#include "qemu/osdep.h"
#include "sysemu/numa.h"
#include "sysemu/hostmem.h"
#include "qapi/error.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"

QemuOptsList qemu_numa_opts = {
    .name = "numa",
    .implied_opt_name = "type",
    .desc = { { } },            /* keys are checked per type below */
};

NumaState *numa_state_get(MachineState *ms)
{
    if (!ms->numa_state) {
        ms->numa_state = g_new0(NumaState, 1);
        for (int i = 0; i < MAX_NODES; i++) {
            ms->numa_state->nodes[i].initiator = MAX_NODES;
        }
    }
    return ms->numa_state;
}

void numa_state_free(MachineState *ms)
{
    NumaState *ns = ms->numa_state;

    if (!ns) {
        return;
    }
    for (int i = 0; i < MAX_NODES; i++) {
        HostMemoryBackend *b = (HostMemoryBackend *)ns->nodes[i].node_memdev;

        if (!b) {
            continue;
        }
        if (ns->ram_container && b->mr_initialized &&
            b->mr.container == ns->ram_container) {
            memory_region_del_subregion(ns->ram_container, &b->mr);
        }
        host_memory_backend_set_mapped(b, false);
        object_unref(OBJECT(b));
    }
    if (ns->ram_container) {
        if (ms->ram == ns->ram_container) {
            ms->ram = NULL;
        }
        memory_region_finalize(ns->ram_container);
        g_free(ns->ram_container);
    }
    g_free(ns->ranges);
    g_free(ns->distance_matrix);
    g_free(ns);
    ms->numa_state = NULL;
}

/* ---- Possible CPUs ---- */

const CPUArchIdList *machine_possible_cpus(MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    unsigned n = ms->smp.max_cpus ? ms->smp.max_cpus : 1;

    if (mc->possible_cpu_arch_ids) {
        return mc->possible_cpu_arch_ids(ms);
    }
    if (ms->possible_cpus && ms->possible_cpus->len == (int)n) {
        return ms->possible_cpus;
    }

    /* QEMU 7.2 virt: one entry per hart, props {core-id: index}. */
    g_free(ms->possible_cpus);
    ms->possible_cpus = g_malloc0(sizeof(CPUArchIdList) +
                                  n * sizeof(CPUArchId));
    ms->possible_cpus->len = n;
    for (unsigned i = 0; i < n; i++) {
        CPUArchId *slot = &ms->possible_cpus->cpus[i];

        slot->arch_id = i;
        slot->vcpus_count = 1;
        slot->type = ms->cpu_type;
        slot->props.has_core_id = true;
        slot->props.core_id = i;
    }
    return ms->possible_cpus;
}

static CpuInstanceProperties *cpu_props(MachineState *ms, int idx)
{
    const CPUArchIdList *l = machine_possible_cpus(ms);

    return (CpuInstanceProperties *)&l->cpus[idx].props;
}

/* Put CPU @idx on @node unless an earlier option put it elsewhere. */
static bool set_cpu_node(MachineState *ms, int idx, int node, Error **errp)
{
    CpuInstanceProperties *props = cpu_props(ms, idx);

    if (props->has_node_id && props->node_id != node) {
        error_setg(errp, "CPU is already assigned to node-id: %" PRId64,
                   props->node_id);
        return false;
    }
    props->has_node_id = true;
    props->node_id = node;
    numa_state_get(ms)->nodes[node].has_cpu = true;
    return true;
}

/* ---- Value parsers (QEMU's opts-visitor words) ---- */

static bool parse_uint(const char *key, const char *text, uint64_t max,
                       const char *range_name, uint64_t *out, Error **errp)
{
    uint64_t v;

    if (qemu_strtou64(text, NULL, 0, &v) < 0) {
        error_setg(errp, "Parameter '%s' expects a uint64 value", key);
        return false;
    }
    if (v > max) {
        error_setg(errp, "Parameter '%s' expects %s", key, range_name);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_u16(const char *key, const char *text, uint64_t *out,
                      Error **errp)
{
    return parse_uint(key, text, UINT16_MAX, "uint16_t", out, errp);
}

static bool parse_node_id(const char *key, const char *text, uint64_t *out,
                          Error **errp)
{
    if (!parse_u16(key, text, out, errp)) {
        return false;
    }
    if (*out >= MAX_NODES) {
        error_setg(errp, "Parameter '%s' expects an integer between 0 and "
                   "%d", key, MAX_NODES - 1);
        return false;
    }
    return true;
}

static bool parse_i64(const char *key, const char *text, int64_t *out,
                      Error **errp)
{
    if (qemu_strtoi64(text, NULL, 0, out) < 0) {
        error_setg(errp, "Parameter '%s' expects an int64 value", key);
        return false;
    }
    return true;
}

static bool parse_size(const char *key, const char *text, uint64_t *out,
                       Error **errp)
{
    if (qemu_strtosz(text, NULL, out) < 0) {
        error_setg(errp, "Parameter '%s' expects a size value", key);
        return false;
    }
    return true;
}

/* "A" or "A-B" with A <= B, both within uint16. */
static bool parse_cpu_range(const char *text, uint64_t *first,
                            uint64_t *last, Error **errp)
{
    const char *end;

    if (qemu_strtou64(text, &end, 10, first) < 0 || end == text) {
        goto bad;
    }
    *last = *first;
    if (*end == '-' &&
        (qemu_strtou64(end + 1, NULL, 10, last) < 0 || *last < *first)) {
        goto bad;
    }
    if ((*end && *end != '-') || *last > UINT16_MAX) {
        goto bad;
    }
    return true;
bad:
    error_setg(errp, "Parameter 'cpus' expects a uint64 value or range");
    return false;
}

/* Every key of @opts must be in @keys (NULL-terminated). */
static bool check_keys(QemuOpts *opts, const char *const *keys,
                       Error **errp)
{
    for (guint i = 0; i < qemu_opt_count(opts); i++) {
        const char *name = qemu_opt_nth(opts, i)->name;

        if (!g_strv_contains(keys, name)) {
            error_setg(errp, "Invalid parameter '%s'", name);
            return false;
        }
    }
    return true;
}

static const char *need(QemuOpts *opts, const char *key, Error **errp)
{
    const char *v = qemu_opt_get(opts, key);

    if (!v) {
        error_setg(errp, "Parameter '%s' is missing", key);
    }
    return v;
}

static bool hmat_required(MachineState *ms, Error **errp)
{
    if (!ms->hmat) {
        error_setg(errp, "ACPI Heterogeneous Memory Attribute Table (HMAT) "
                   "is disabled, enable it with -machine hmat=on before "
                   "using any of hmat specific options");
        return false;
    }
    return true;
}

/* ---- -numa node ---- */

typedef struct NodeOpts {
    bool has_nodeid, has_mem, has_initiator;
    uint64_t nodeid, mem, initiator;
    const char *memdev;
    GArray *cpus;               /* pairs first, last */
} NodeOpts;

/* Parse every value first, as QEMU's visitor does, then the keys. */
static bool node_opts_read(QemuOpts *opts, NodeOpts *o, Error **errp)
{
    static const char *const keys[] = {
        "type", "nodeid", "cpus", "mem", "memdev", "initiator", NULL
    };
    const char *v;
    QemuOptsIter it;

    if ((v = qemu_opt_get(opts, "nodeid"))) {
        o->has_nodeid = true;
        if (!parse_u16("nodeid", v, &o->nodeid, errp)) {
            return false;
        }
    }
    qemu_opt_iter_init(&it, opts, "cpus");
    while ((v = qemu_opt_iter_next(&it))) {
        uint64_t range[2];

        if (!parse_cpu_range(v, &range[0], &range[1], errp)) {
            return false;
        }
        g_array_append_vals(o->cpus, range, 2);
    }
    if ((v = qemu_opt_get(opts, "mem"))) {
        o->has_mem = true;
        if (!parse_size("mem", v, &o->mem, errp)) {
            return false;
        }
    }
    o->memdev = qemu_opt_get(opts, "memdev");
    if ((v = qemu_opt_get(opts, "initiator"))) {
        o->has_initiator = true;
        if (!parse_u16("initiator", v, &o->initiator, errp)) {
            return false;
        }
    }
    return check_keys(opts, keys, errp);
}

static bool node_assign_cpus(MachineState *ms, NodeOpts *o, int node,
                             Error **errp)
{
    unsigned max_cpus = machine_possible_cpus(ms)->len;

    for (guint i = 0; i < o->cpus->len; i += 2) {
        uint64_t first = g_array_index(o->cpus, uint64_t, i);
        uint64_t last = g_array_index(o->cpus, uint64_t, i + 1);

        for (uint64_t cpu = first; cpu <= last; cpu++) {
            if (cpu >= max_cpus) {
                error_setg(errp, "CPU index (%" PRIu64 ") should be smaller "
                           "than maxcpus (%u)", cpu, max_cpus);
                return false;
            }
            if (!set_cpu_node(ms, cpu, node, errp)) {
                return false;
            }
        }
    }
    return true;
}

static bool node_set_memory(MachineState *ms, NodeOpts *o, NodeInfo *node,
                            Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    Object *backend;

    if (o->has_mem) {
        if (!mc->numa_mem_supported) {
            error_setg(errp, "Parameter -numa node,mem is not supported by "
                       "this machine type");
            error_append_hint(errp, "Use -numa node,memdev instead\n");
            return false;
        }
        warn_report("Parameter -numa node,mem is deprecated, use "
                    "-numa node,memdev instead");
        node->node_mem = o->mem;
    }
    if (o->memdev) {
        backend = object_resolve_path_type(o->memdev, TYPE_MEMORY_BACKEND,
                                           NULL);
        if (!backend) {
            error_setg(errp, "memdev=%s is ambiguous", o->memdev);
            return false;
        }
        node->node_memdev = object_ref(backend);
        node->node_mem = MEMORY_BACKEND(backend)->size;
    }
    return true;
}

static bool parse_numa_node(MachineState *ms, QemuOpts *opts, Error **errp)
{
    NumaState *ns = numa_state_get(ms);
    NodeOpts o = { .cpus = g_array_new(false, false, sizeof(uint64_t)) };
    bool ok = false;
    int nodenr;

    if (!node_opts_read(opts, &o, errp)) {
        goto out;
    }
    nodenr = o.has_nodeid ? (int)o.nodeid : ns->num_nodes;
    if (nodenr >= MAX_NODES) {
        error_setg(errp, "Max number of NUMA nodes reached: %d", nodenr);
        goto out;
    }
    if (ns->nodes[nodenr].present) {
        error_setg(errp, "Duplicate NUMA nodeid: %d", nodenr);
        goto out;
    }
    if (!node_assign_cpus(ms, &o, nodenr, errp)) {
        goto out;
    }

    /* mem= and memdev= can't be mixed, across nodes or in one. */
    ns->have_memdevs |= o.memdev != NULL;
    ns->have_mem |= o.has_mem;
    if ((o.has_mem && ns->have_memdevs) || (o.memdev && ns->have_mem)) {
        error_setg(errp, "numa configuration should use either mem= or "
                   "memdev=,mixing both is not allowed");
        goto out;
    }
    if (o.has_initiator) {
        if (!hmat_required(ms, errp)) {
            goto out;
        }
        if (o.initiator >= MAX_NODES) {
            error_setg(errp, "The initiator id %" PRIu64 " expects an "
                       "integer between 0 and %d", o.initiator,
                       MAX_NODES - 1);
            goto out;
        }
    }
    if (!node_set_memory(ms, &o, &ns->nodes[nodenr], errp)) {
        goto out;
    }
    ns->nodes[nodenr].present = true;
    ns->nodes[nodenr].initiator = o.has_initiator ? (int)o.initiator
                                                  : MAX_NODES;
    ns->num_nodes++;
    ok = true;
out:
    g_array_free(o.cpus, true);
    return ok;
}

/* ---- -numa dist ---- */

static bool parse_numa_dist(MachineState *ms, QemuOpts *opts, Error **errp)
{
    static const char *const keys[] = { "type", "src", "dst", "val", NULL };
    NumaState *ns = numa_state_get(ms);
    const char *s, *d, *v;
    uint64_t src, dst, val;

    /* Members in QAPI order: each must be there and parse. */
    if (!(s = need(opts, "src", errp)) ||
        !parse_node_id("src", s, &src, errp) ||
        !(d = need(opts, "dst", errp)) ||
        !parse_node_id("dst", d, &dst, errp) ||
        !(v = need(opts, "val", errp)) ||
        !parse_uint("val", v, UINT8_MAX, "uint8_t", &val, errp) ||
        !check_keys(opts, keys, errp)) {
        return false;
    }

    if (!ns->nodes[src].present || !ns->nodes[dst].present) {
        error_setg(errp, "Source/Destination NUMA node is missing. Please "
                   "use '-numa node' option to declare it first.");
        return false;
    }
    if (val < NUMA_DISTANCE_MIN) {
        error_setg(errp, "NUMA distance (%" PRIu64 ") is invalid, it "
                   "shouldn't be less than %d.", val, NUMA_DISTANCE_MIN);
        return false;
    }
    if (src == dst && val != NUMA_DISTANCE_MIN) {
        error_setg(errp, "Local distance of node %" PRIu64 " should be %d.",
                   src, NUMA_DISTANCE_MIN);
        return false;
    }
    ns->nodes[src].distance[dst] = val;
    ns->have_numa_distance = true;
    return true;
}

/* ---- -numa cpu ---- */

/*
 * A possible CPU's place in the -smp topology, counting threads fastest:
 * index = (((socket * dies + die) * clusters + cluster) * cores + core)
 * * threads + thread.  core-id stays the CPU index, as QEMU 7.2's virt
 * defines it, so that its -numa cpu,core-id=N lines keep working.
 */
typedef struct CpuPlace {
    int64_t socket, die, cluster, core, thread;
} CpuPlace;

static CpuPlace cpu_place(MachineState *ms, int idx)
{
    const CpuTopology *t = &ms->smp;
    unsigned threads = MAX(t->threads, 1), cores = MAX(t->cores, 1);
    unsigned clusters = MAX(t->clusters, 1), dies = MAX(t->dies, 1);
    CpuInstanceProperties *p = cpu_props(ms, idx);
    CpuPlace place = {
        .thread = idx % threads,
        .cluster = idx / (threads * cores) % clusters,
        .die = idx / (threads * cores * clusters) % dies,
        .socket = idx / (threads * cores * clusters * dies),
        .core = p->has_core_id ? p->core_id : idx,
    };

    /* A board's own ids win over the computed ones. */
    place.socket = p->has_socket_id ? p->socket_id : place.socket;
    place.thread = p->has_thread_id ? p->thread_id : place.thread;
    return place;
}

typedef struct CpuMatch {
    bool has[5];
    int64_t id[5];              /* socket, die, cluster, core, thread */
} CpuMatch;

static const char *const cpu_id_keys[5] = {
    "socket-id", "die-id", "cluster-id", "core-id", "thread-id"
};

static bool cpu_matches(MachineState *ms, int idx, const CpuMatch *m)
{
    CpuPlace p = cpu_place(ms, idx);
    int64_t have[5] = { p.socket, p.die, p.cluster, p.core, p.thread };

    for (int k = 0; k < 5; k++) {
        if (m->has[k] && m->id[k] != have[k]) {
            return false;
        }
    }
    return true;
}

static bool parse_numa_cpu(MachineState *ms, QemuOpts *opts, Error **errp)
{
    static const char *const keys[] = {
        "type", "node-id", "socket-id", "die-id", "cluster-id", "core-id",
        "thread-id", NULL
    };
    NumaState *ns = numa_state_get(ms);
    const char *v = qemu_opt_get(opts, "node-id");
    CpuMatch m = { };
    uint64_t node = 0;
    bool any = false;

    if (v && !parse_u16("node-id", v, &node, errp)) {
        return false;
    }
    for (int k = 0; k < 5; k++) {
        const char *t = qemu_opt_get(opts, cpu_id_keys[k]);

        m.has[k] = t != NULL;
        if (t && !parse_i64(cpu_id_keys[k], t, &m.id[k], errp)) {
            return false;
        }
    }
    if (!check_keys(opts, keys, errp)) {
        return false;
    }
    if (!v) {
        error_setg(errp, "Missing mandatory node-id property");
        return false;
    }
    if (node >= MAX_NODES || !ns->nodes[node].present) {
        error_setg(errp, "Invalid node-id=%" PRIu64 ", NUMA node must be "
                   "defined with -numa node,nodeid=ID before it's used with "
                   "-numa cpu,node-id=ID", node);
        return false;
    }

    /* Every CPU whose ids match goes to the node (no ids: all CPUs). */
    for (int i = 0; i < machine_possible_cpus(ms)->len; i++) {
        if (cpu_matches(ms, i, &m)) {
            if (!set_cpu_node(ms, i, node, errp)) {
                return false;
            }
            any = true;
        }
    }
    if (!any) {
        error_setg(errp, "no match found");
        return false;
    }
    return true;
}

/* ---- -numa hmat-lb / hmat-cache ---- */

static bool parse_enum(const char *key, const char *text,
                       const char *const *names, Error **errp)
{
    if (!g_strv_contains(names, text)) {
        error_setg(errp, "Parameter '%s' does not accept value '%s'", key,
                   text);
        return false;
    }
    return true;
}

static bool parse_hmat_lb(MachineState *ms, QemuOpts *opts, Error **errp)
{
    static const char *const keys[] = {
        "type", "initiator", "target", "hierarchy", "data-type", "latency",
        "bandwidth", NULL
    };
    static const char *const hierarchies[] = {
        "memory", "first-level", "second-level", "third-level", NULL
    };
    static const char *const types[] = {
        "access-latency", "read-latency", "write-latency",
        "access-bandwidth", "read-bandwidth", "write-bandwidth", NULL
    };
    NumaState *ns = numa_state_get(ms);
    const char *ini, *tgt, *hier, *type, *v;
    uint64_t initiator, target, latency = 0, bandwidth = 0;

    if (!(ini = need(opts, "initiator", errp)) ||
        !parse_u16("initiator", ini, &initiator, errp) ||
        !(tgt = need(opts, "target", errp)) ||
        !parse_u16("target", tgt, &target, errp) ||
        !(hier = need(opts, "hierarchy", errp)) ||
        !parse_enum("hierarchy", hier, hierarchies, errp) ||
        !(type = need(opts, "data-type", errp)) ||
        !parse_enum("data-type", type, types, errp)) {
        return false;
    }
    if (((v = qemu_opt_get(opts, "latency")) &&
         !parse_uint("latency", v, UINT64_MAX, "", &latency, errp)) ||
        ((v = qemu_opt_get(opts, "bandwidth")) &&
         !parse_size("bandwidth", v, &bandwidth, errp)) ||
        !check_keys(opts, keys, errp) || !hmat_required(ms, errp)) {
        return false;
    }

    if (initiator >= (uint64_t)ns->num_nodes) {
        error_setg(errp, "Invalid initiator=%" PRIu64 ", it should be less "
                   "than %d", initiator, ns->num_nodes);
        return false;
    }
    if (target >= (uint64_t)ns->num_nodes) {
        error_setg(errp, "Invalid target=%" PRIu64 ", it should be less "
                   "than %d", target, ns->num_nodes);
        return false;
    }
    if (!ns->nodes[initiator].has_cpu) {
        error_setg(errp, "Invalid initiator=%" PRIu64 ", it isn't an "
                   "initiator proximity domain", initiator);
        return false;
    }
    if (g_str_has_suffix(type, "latency") &&
        !qemu_opt_has(opts, "latency")) {
        error_setg(errp, "Missing 'latency' option");
        return false;
    }
    if (g_str_has_suffix(type, "bandwidth")) {
        if (!qemu_opt_has(opts, "bandwidth")) {
            error_setg(errp, "Missing 'bandwidth' option");
            return false;
        }
        if (bandwidth % (1 << 20)) {
            error_setg(errp, "Bandwidth %" PRIu64 " between initiator=%"
                       PRIu64 " and target=%" PRIu64 " should be 1MB aligned",
                       bandwidth, initiator, target);
            return false;
        }
    }
    ns->nodes[target].has_hmat_lb = true;
    return true;
}

static bool parse_hmat_cache(MachineState *ms, QemuOpts *opts,
                             Error **errp)
{
    static const char *const keys[] = {
        "type", "node-id", "size", "level", "associativity", "policy",
        "line", NULL
    };
    NumaState *ns = numa_state_get(ms);
    const char *v;
    uint64_t node, size, level, line;

    if (!(v = need(opts, "node-id", errp)) ||
        !parse_uint("node-id", v, UINT32_MAX, "uint32_t", &node, errp) ||
        !(v = need(opts, "size", errp)) ||
        !parse_size("size", v, &size, errp) ||
        !(v = need(opts, "level", errp)) ||
        !parse_uint("level", v, UINT8_MAX, "uint8_t", &level, errp) ||
        !need(opts, "associativity", errp) || !need(opts, "policy", errp) ||
        !(v = need(opts, "line", errp)) ||
        !parse_uint("line", v, UINT16_MAX, "uint16_t", &line, errp) ||
        !check_keys(opts, keys, errp) || !hmat_required(ms, errp)) {
        return false;
    }
    if (node >= (uint64_t)ns->num_nodes) {
        error_setg(errp, "Invalid node-id=%" PRIu64 ", it should be less "
                   "than %d", node, ns->num_nodes);
        return false;
    }
    if (!ns->nodes[node].has_hmat_lb) {
        error_setg(errp, "The latency and bandwidth information of "
                   "node-id=%" PRIu64 " should be provided before memory "
                   "side cache attributes", node);
        return false;
    }
    if (level < 1 || level > 3) {
        error_setg(errp, "Invalid level=%" PRIu64 ", it should be larger "
                   "than 0 and less than or equal to 3", level);
        return false;
    }
    return true;
}

/* ---- Dispatch ---- */

bool numa_parse_opts(MachineState *ms, QemuOpts *opts, Error **errp)
{
    const char *type = qemu_opt_get(opts, "type");

    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        return false;
    }
    if (!strcmp(type, "node")) {
        return parse_numa_node(ms, opts, errp);
    }
    if (!strcmp(type, "dist")) {
        return parse_numa_dist(ms, opts, errp);
    }
    if (!strcmp(type, "cpu")) {
        return parse_numa_cpu(ms, opts, errp);
    }
    if (!strcmp(type, "hmat-lb")) {
        return parse_hmat_lb(ms, opts, errp);
    }
    if (!strcmp(type, "hmat-cache")) {
        return parse_hmat_cache(ms, opts, errp);
    }
    error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
    return false;
}

bool numa_parse_text(MachineState *ms, const char *text, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&qemu_numa_opts, text, true, errp);
    bool ok;

    if (!opts) {
        return false;
    }
    ok = numa_parse_opts(ms, opts, errp);
    qemu_opts_del(opts);
    return ok;
}

/* ---- Completion ---- */

static bool check_node_ids(NumaState *ns, Error **errp)
{
    int max = 0;

    for (int i = 0; i < MAX_NODES; i++) {
        max = ns->nodes[i].present ? i + 1 : max;
    }
    for (int i = max - 1; i >= 0; i--) {
        if (!ns->nodes[i].present) {
            error_setg(errp, "numa: Node ID missing: %d", i);
            return false;
        }
    }
    return true;
}

static bool check_total_memory(MachineState *ms, Error **errp)
{
    NumaState *ns = ms->numa_state;
    uint64_t total = 0;

    for (int i = 0; i < ns->num_nodes; i++) {
        total += ns->nodes[i].node_mem;
    }
    if (total != ms->ram_size) {
        error_setg(errp, "total memory for NUMA nodes (0x%" PRIx64 ") should "
                   "equal RAM size (0x%" PRIx64 ")", total, ms->ram_size);
        return false;
    }
    return true;
}

/*
 * One missing pair is an error; when some pair differs by direction,
 * every pair must be given both ways (a one-way value is mirrored only
 * in a symmetric table).
 */
static bool check_distances(NumaState *ns, Error **errp)
{
    int n = ns->num_nodes;
    bool asymmetric = false;

    for (int s = 0; s < n; s++) {
        for (int d = s; d < n; d++) {
            uint8_t sd = ns->nodes[s].distance[d];
            uint8_t ds = ns->nodes[d].distance[s];

            if (s != d && !sd && !ds) {
                error_setg(errp, "The distance between node %d and %d is "
                           "missing, at least one distance value between "
                           "each nodes should be provided.", s, d);
                return false;
            }
            asymmetric |= sd && ds && sd != ds;
        }
    }
    for (int s = 0; asymmetric && s < n; s++) {
        for (int d = 0; d < n; d++) {
            if (s != d && !ns->nodes[s].distance[d]) {
                error_setg(errp, "At least one asymmetrical pair of "
                           "distances is given, please provide distances "
                           "for both directions of all node pairs.");
                return false;
            }
        }
    }
    return true;
}

static void fill_distances(NumaState *ns)
{
    int n = ns->num_nodes;

    ns->distance_matrix = g_new0(uint8_t, n * n);
    for (int s = 0; s < n; s++) {
        for (int d = 0; d < n; d++) {
            uint8_t v = ns->nodes[s].distance[d];

            if (!v) {
                v = s == d ? NUMA_DISTANCE_MIN : ns->nodes[d].distance[s];
                ns->nodes[s].distance[d] = v;
            }
            ns->distance_matrix[s * n + d] = v;
        }
    }
}

static bool check_initiators(MachineState *ms, Error **errp)
{
    NumaState *ns = ms->numa_state;

    for (int i = 0; ms->hmat && i < ns->num_nodes; i++) {
        int ini = ns->nodes[i].initiator;

        if (ini == MAX_NODES) {
            continue;
        }
        if (ns->nodes[i].has_cpu && ini != i) {
            error_setg(errp, "The initiator of CPU NUMA node %d should be "
                       "itself (got %d)", i, ini);
            return false;
        }
        if (!ns->nodes[ini].present) {
            error_setg(errp, "NUMA node %d is missing, use '-numa node' "
                       "option to declare it first", ini);
            return false;
        }
        if (!ns->nodes[ini].has_cpu) {
            error_setg(errp, "The initiator of NUMA node %d is invalid", i);
            return false;
        }
    }
    return true;
}

int64_t numa_default_cpu_node_id(const MachineState *ms, int idx)
{
    int nodes = ms->numa_state ? ms->numa_state->num_nodes : 0;
    int per_node;

    if (nodes <= 0) {
        return 0;
    }
    per_node = MAX(1, (int)ms->smp.cpus / nodes);
    return MIN(idx / per_node, nodes - 1);
}

/*
 * CPUs no option named go where the board's rule puts them.  If some
 * were named, the rest are listed in a warning, as 7.2 does (it calls a
 * partial mapping obsolete; Machina keeps accepting it).
 */
static void map_remaining_cpus(MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    const CPUArchIdList *cpus = machine_possible_cpus(ms);
    g_autoptr(GString) missing = g_string_new("");
    bool any_mapped = false;

    for (int i = 0; i < cpus->len; i++) {
        any_mapped |= cpus->cpus[i].props.has_node_id;
    }
    for (int i = 0; i < cpus->len; i++) {
        CpuInstanceProperties *p = cpu_props(ms, i);
        int64_t node;

        if (p->has_node_id) {
            continue;
        }
        if (any_mapped) {
            g_string_append_printf(missing, "%sCPU %d [core-id: %" PRId64
                                   "]", missing->len ? ", " : "", i,
                                   p->core_id);
        }
        node = mc->get_default_cpu_node_id ?
               mc->get_default_cpu_node_id(ms, i) :
               numa_default_cpu_node_id(ms, i);
        set_cpu_node(ms, i, node, &error_abort);
    }
    if (missing->len) {
        warn_report("CPU(s) not present in any NUMA nodes: %s",
                    missing->str);
        warn_report("All CPU(s) up to maxcpus should be described in NUMA "
                    "config, ability to start up with partial NUMA mappings "
                    "is obsoleted and will be removed in future");
    }
}

/* Claim each node's backend; a backend serves one consumer only. */
static bool claim_memdevs(NumaState *ns, Error **errp)
{
    int i;

    for (i = 0; i < ns->num_nodes; i++) {
        HostMemoryBackend *b = (HostMemoryBackend *)ns->nodes[i].node_memdev;

        if (!b) {
            continue;
        }
        if (host_memory_backend_is_mapped(b)) {
            error_setg(errp, "memory backend %s can't be used multiple "
                       "times.", host_memory_backend_name(b));
            goto undo;
        }
        host_memory_backend_set_mapped(b, true);
    }
    return true;
undo:
    while (--i >= 0) {
        if (ns->nodes[i].node_memdev) {
            host_memory_backend_set_mapped(
                (HostMemoryBackend *)ns->nodes[i].node_memdev, false);
        }
    }
    return false;
}

static void layout_ranges(MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    NumaState *ns = ms->numa_state;
    uint64_t offset = 0;

    ns->ranges = g_new0(NumaMemRange, ns->num_nodes);
    if (ns->have_memdevs) {
        ns->ram_container = g_new0(MemoryRegion, 1);
        memory_region_init(ns->ram_container, OBJECT(ms),
                           mc->default_ram_id ? mc->default_ram_id : "ram",
                           ms->ram_size);
    }
    for (int i = 0; i < ns->num_nodes; i++) {
        NodeInfo *node = &ns->nodes[i];

        ns->ranges[i] = (NumaMemRange) {
            .node_id = i, .offset = offset, .size = node->node_mem,
        };
        if (ns->ram_container && node->node_memdev) {
            memory_region_add_subregion(ns->ram_container, offset,
                host_memory_backend_get_memory(
                    (HostMemoryBackend *)node->node_memdev));
        }
        offset += node->node_mem;
    }
    if (ns->ram_container) {
        ms->ram = ns->ram_container;
    }
}

bool numa_complete_configuration(MachineState *ms, Error **errp)
{
    NumaState *ns = ms->numa_state;

    if (!ns || !ns->num_nodes) {
        return true;
    }
    if (!check_node_ids(ns, errp) || !check_total_memory(ms, errp)) {
        return false;
    }
    if (ns->have_memdevs && ms->ram_memdev_id) {
        error_setg(errp, "'-machine memory-backend' and '-numa memdev' "
                   "properties are mutually exclusive");
        return false;
    }
    if (!claim_memdevs(ns, errp)) {
        return false;
    }
    if ((ns->have_numa_distance && !check_distances(ns, errp)) ||
        !check_initiators(ms, errp)) {
        return false;
    }

    map_remaining_cpus(ms);
    if (ns->have_numa_distance) {
        fill_distances(ns);
    }
    layout_ranges(ms);
    ns->completed = true;
    return true;
}

/* ---- Machine RAM ---- */

static bool use_memory_backend(MachineState *ms, Error **errp)
{
    Object *o = object_resolve_path_type(ms->ram_memdev_id,
                                         TYPE_MEMORY_BACKEND, NULL);
    HostMemoryBackend *backend;

    if (!o) {
        error_setg(errp, "Memory backend '%s' not found", ms->ram_memdev_id);
        return false;
    }
    backend = MEMORY_BACKEND(o);
    if (backend->size != ms->ram_size) {
        error_setg(errp, "Machine memory size does not match the size of "
                   "the memory backend");
        return false;
    }
    if (host_memory_backend_is_mapped(backend)) {
        error_setg(errp, "memory backend %s can't be used multiple times.",
                   ms->ram_memdev_id);
        return false;
    }
    host_memory_backend_set_mapped(backend, true);
    ms->ram = host_memory_backend_get_memory(backend);
    return true;
}

/* QEMU's implicit backend: /objects/<default_ram_id>, -m bytes. */
static bool create_default_memdev(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    Object *obj = object_new(TYPE_MEMORY_BACKEND_RAM);
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (!object_property_set_uint(obj, "size", ms->ram_size, errp)) {
        object_unref(obj);
        return false;
    }
    object_property_add_child(object_get_objects_root(), mc->default_ram_id,
                              obj);
    object_unref(obj);
    if (!user_creatable_complete(USER_CREATABLE(obj), errp)) {
        object_unparent(obj);
        return false;
    }
    host_memory_backend_set_mapped(backend, true);
    ms->ram = host_memory_backend_get_memory(backend);
    return true;
}

bool machine_create_ram(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    if (ms->ram) {
        return true;                /* the NUMA container */
    }
    if (ms->ram_memdev_id) {
        return use_memory_backend(ms, errp);
    }
    if (!mc->default_ram_id || !ms->ram_size) {
        return true;
    }
    return create_default_memdev(ms, errp);
}

/* ---- -m ---- */

static QemuOptsList machine_mem_opts = {
    .name = "memory",
    .implied_opt_name = "size",
    .merge_lists = true,
    .desc = {
        { .name = "size", .type = QEMU_OPT_SIZE },
        { .name = "slots", .type = QEMU_OPT_NUMBER },
        { .name = "maxmem", .type = QEMU_OPT_SIZE },
        { }
    },
};

#define RAM_SIZE_ALIGN 8192

/* "512" means MiB, "512K" bytes with a suffix: -m's historic rule. */
static bool mem_size_from_text(const char *text, uint64_t *size,
                               Error **errp)
{
    size_t len = strlen(text);
    int ret;

    ret = len && g_ascii_isdigit(text[len - 1]) ?
          qemu_strtosz_MiB(text, NULL, size) : qemu_strtosz(text, NULL, size);
    if (ret < 0) {
        error_setg(errp, "Parameter 'size' expects a non-negative number "
                   "below 2^64");
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means "
                          "kilo-, mega-, giga-, tera-, peta-\nand exabytes, "
                          "respectively.\n");
        return false;
    }
    return true;
}

static bool check_maxmem(uint64_t size, uint64_t slots, bool has_maxmem,
                         uint64_t maxmem, Error **errp)
{
    if (!has_maxmem) {
        if (slots) {
            error_setg(errp, "slots specified but no max-size");
            return false;
        }
        return true;
    }
    if (maxmem < size) {
        error_setg(errp, "invalid value of maxmem: maximum memory size "
                   "(0x%" PRIx64 ") must be at least the initial memory "
                   "size (0x%" PRIx64 ")", maxmem, size);
        return false;
    }
    if (slots && maxmem == size) {
        error_setg(errp, "invalid value of maxmem: memory slots were "
                   "specified but maximum memory size (0x%" PRIx64 ") is "
                   "equal to the initial memory size (0x%" PRIx64 ")",
                   maxmem, size);
        return false;
    }
    return true;
}

bool machine_parse_memory_opts(MachineState *ms, const char *text,
                               Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    QemuOpts *opts = qemu_opts_parse(&machine_mem_opts, text, true, errp);
    const char *size_text, *maxmem_text;
    uint64_t size = 0, maxmem = 0, slots;
    bool ok = false;

    if (!opts) {
        return false;
    }
    size_text = qemu_opt_get(opts, "size");
    if (size_text && !mem_size_from_text(size_text, &size, errp)) {
        goto out;
    }
    size = size ? ROUND_UP(size, RAM_SIZE_ALIGN) : mc->default_ram_size;
    slots = qemu_opt_get_number(opts, "slots", 0);
    maxmem_text = qemu_opt_get(opts, "maxmem");
    maxmem = qemu_opt_get_size(opts, "maxmem", size);
    if (!check_maxmem(size, slots, maxmem_text != NULL, maxmem, errp)) {
        goto out;
    }
    ms->ram_size = size;
    ms->maxram_size = maxmem;
    ms->ram_slots = slots;
    ok = true;
out:
    qemu_opts_del(opts);
    return ok;
}

/* ---- For the board ---- */

int numa_num_nodes(MachineState *ms)
{
    return ms->numa_state ? ms->numa_state->num_nodes : 0;
}

int numa_cpu_node(MachineState *ms, int cpu_index)
{
    const CPUArchIdList *cpus;

    if (!numa_num_nodes(ms)) {
        return -1;
    }
    cpus = machine_possible_cpus(ms);
    if (cpu_index < 0 || cpu_index >= cpus->len ||
        !cpus->cpus[cpu_index].props.has_node_id) {
        return -1;
    }
    return cpus->cpus[cpu_index].props.node_id;
}

const NumaMemRange *numa_mem_ranges(MachineState *ms, int *count)
{
    NumaState *ns = ms->numa_state;

    if (!ns || !ns->completed) {
        *count = 0;
        return NULL;
    }
    *count = ns->num_nodes;
    return ns->ranges;
}

const uint8_t *numa_distance_matrix(MachineState *ms)
{
    return ms->numa_state ? ms->numa_state->distance_matrix : NULL;
}

/* ---- For the monitor ---- */

char *hmp_info_numa_text(MachineState *ms)
{
    int n = numa_num_nodes(ms);
    GString *out = g_string_new("");

    g_string_append_printf(out, "%d nodes\n", n);
    for (int i = 0; i < n; i++) {
        g_string_append_printf(out, "node %d cpus:", i);
        for (unsigned c = 0; c < ms->smp.cpus; c++) {
            if (numa_cpu_node(ms, c) == i) {
                g_string_append_printf(out, " %u", c);
            }
        }
        g_string_append_printf(out, "\nnode %d size: %" PRIu64 " MB\n", i,
                               ms->numa_state->nodes[i].node_mem >> 20);
        g_string_append_printf(out, "node %d plugged: 0 MB\n", i);
    }
    return g_string_free(out, false);
}
