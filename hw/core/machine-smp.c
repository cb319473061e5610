/*
 * machine-smp.c: -smp topology rules (see machine_parse_smp_config() in
 * hw/boards.h).  The rules and texts are QEMU 7.2's, checked against
 * qemu-system-riscv64 -M virt: e.g. "-smp 4,sockets=2,cores=3" computes
 * threads = 4 / (2 * 3) = 0 and reports that product.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "qemu/error-report.h"
#include "qapi/error.h"

char *cpu_hierarchy_to_string(MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "sockets (%u)", ms->smp.sockets);
    if (mc->smp_props.dies_supported) {
        g_string_append_printf(s, " * dies (%u)", ms->smp.dies);
    }
    if (mc->smp_props.clusters_supported) {
        g_string_append_printf(s, " * clusters (%u)", ms->smp.clusters);
    }
    g_string_append_printf(s, " * cores (%u)", ms->smp.cores);
    g_string_append_printf(s, " * threads (%u)", ms->smp.threads);
    return g_string_free(s, false);
}

/* A given value of 0 is deprecated and means "not given". */
static bool smp_has_zero(const SMPConfiguration *c)
{
    return (c->has_cpus && c->cpus == 0) ||
           (c->has_sockets && c->sockets == 0) ||
           (c->has_dies && c->dies == 0) ||
           (c->has_clusters && c->clusters == 0) ||
           (c->has_cores && c->cores == 0) ||
           (c->has_threads && c->threads == 0) ||
           (c->has_maxcpus && c->maxcpus == 0);
}

static bool smp_check_supported(MachineClass *mc,
                                const SMPConfiguration *c, Error **errp)
{
    if (!mc->smp_props.dies_supported && c->has_dies && c->dies > 1) {
        error_setg(errp, "dies not supported by this machine's CPU "
                   "topology");
        return false;
    }
    if (!mc->smp_props.clusters_supported && c->has_clusters &&
        c->clusters > 1) {
        error_setg(errp, "clusters not supported by this machine's CPU "
                   "topology");
        return false;
    }
    return true;
}

/* Value given (non-zero) or 0 for "compute it". */
#define GIVEN(c, f) ((c)->has_##f ? (uint64_t)(c)->f : 0)

/* Fill the omitted values from the given ones (7.2's order). */
static void smp_compute(MachineClass *mc, const SMPConfiguration *c,
                        CpuTopology *t, uint64_t *maxcpus)
{
    uint64_t cpus = GIVEN(c, cpus), sockets = GIVEN(c, sockets);
    uint64_t cores = GIVEN(c, cores), threads = GIVEN(c, threads);
    uint64_t dies = GIVEN(c, dies) ? GIVEN(c, dies) : 1;
    uint64_t clusters = GIVEN(c, clusters) ? GIVEN(c, clusters) : 1;

    *maxcpus = GIVEN(c, maxcpus);
    if (cpus == 0 && *maxcpus == 0) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        *maxcpus = *maxcpus ? *maxcpus : cpus;
        if (mc->smp_props.prefer_sockets) {
            if (sockets == 0) {
                cores = cores ? cores : 1;
                threads = threads ? threads : 1;
                sockets = *maxcpus / (dies * clusters * cores * threads);
            } else if (cores == 0) {
                threads = threads ? threads : 1;
                cores = *maxcpus / (sockets * dies * clusters * threads);
            }
        } else {
            if (cores == 0) {
                sockets = sockets ? sockets : 1;
                threads = threads ? threads : 1;
                cores = *maxcpus / (sockets * dies * clusters * threads);
            } else if (sockets == 0) {
                threads = threads ? threads : 1;
                sockets = *maxcpus / (dies * clusters * cores * threads);
            }
        }
        /* Only threads left to compute, if any. */
        if (threads == 0) {
            threads = *maxcpus / (sockets * dies * clusters * cores);
        }
    }

    t->sockets = sockets;
    t->dies = dies;
    t->clusters = clusters;
    t->cores = cores;
    t->threads = threads;
    t->cpus = cpus;
}

static bool smp_check_limits(MachineState *ms, MachineClass *mc,
                             Error **errp)
{
    int max = mc->max_cpus > 0 ? mc->max_cpus : 1;

    if (ms->smp.cpus < (unsigned int)mc->min_cpus) {
        error_setg(errp, "Invalid SMP CPUs %d. The min CPUs supported by "
                   "machine '%s' is %d", ms->smp.cpus, mc->name,
                   mc->min_cpus);
        return false;
    }
    if (ms->smp.max_cpus > (unsigned int)max) {
        error_setg(errp, "Invalid SMP CPUs %d. The max CPUs supported by "
                   "machine '%s' is %d", ms->smp.max_cpus, mc->name, max);
        return false;
    }
    return true;
}

bool machine_parse_smp_config(MachineState *ms,
                              const SMPConfiguration *config,
                              Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    g_autofree char *topo = NULL;
    uint64_t maxcpus, total;
    CpuTopology t;

    if (smp_has_zero(config)) {
        warn_report("Deprecated CPU topology (considered invalid): CPU "
                    "topology parameters must be greater than zero");
    }
    if (!smp_check_supported(mc, config, errp)) {
        return false;
    }
    smp_compute(mc, config, &t, &maxcpus);

    total = (uint64_t)t.sockets * t.dies * t.clusters * t.cores *
            t.threads;
    maxcpus = maxcpus ? maxcpus : total;
    ms->smp = t;
    ms->smp.cpus = t.cpus ? t.cpus : maxcpus;
    ms->smp.max_cpus = maxcpus;

    topo = cpu_hierarchy_to_string(ms);
    if (total != maxcpus) {
        error_setg(errp, "Invalid CPU topology: product of the hierarchy "
                   "must match maxcpus: %s != maxcpus (%u)", topo,
                   ms->smp.max_cpus);
        return false;
    }
    if (maxcpus < ms->smp.cpus) {
        error_setg(errp, "Invalid CPU topology: maxcpus must be equal to "
                   "or greater than smp: %s == maxcpus (%u) < smp_cpus "
                   "(%u)", topo, ms->smp.max_cpus, ms->smp.cpus);
        return false;
    }
    return smp_check_limits(ms, mc, errp);
}
