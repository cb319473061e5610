/*
 * numa-test.c: NUMA configurations of the riscv virt board as a user
 * checks them through the monitors: HMP "info numa", QMP
 * query-cpus-fast node ids, the device tree's distance-map, and the
 * error exits of bad configurations.  The scenarios are those of QEMU's
 * tests/qtest/numa-test.c, with riscv virt's default CPU split
 * (contiguous blocks, not round-robin) and Machina's documented
 * extensions beyond QEMU 7.2 (docs/numa.md): CPU-less nodes and any CPU
 * set per node.
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "libqtest.h"

#define RAM_PREFIX \
    "-M virt -nodefaults -object memory-backend-ram,id=ram,size=128M "

static char *make_cli(const char *args)
{
    return g_strdup_printf("%s%s", RAM_PREFIX, args);
}

/* "info numa" of a VM started with @args. */
static char *info_numa(const char *args, QTestState **out)
{
    char *cli = make_cli(args);
    QTestState *qts = qtest_init(cli);
    char *text = qtest_hmp(qts, "info numa");

    g_free(cli);
    if (out) {
        *out = qts;
    } else {
        qtest_quit(qts);
    }
    return text;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle)) {
        g_error("'%s' not found in:\n%s", needle, text);
    }
}

/* CPUs no option placed: virt's contiguous default split. */
static void test_def_cpu_split(void)
{
    char *s = info_numa("-smp 8 -numa node,memdev=ram -numa node", NULL);

    assert_contains(s, "2 nodes\r\n");
    assert_contains(s, "node 0 cpus: 0 1 2 3\r\n");
    assert_contains(s, "node 0 size: 128 MB\r\n");
    assert_contains(s, "node 1 cpus: 4 5 6 7\r\n");
    assert_contains(s, "node 1 size: 0 MB\r\n");
    g_free(s);

    s = info_numa("-smp 7 -numa node,memdev=ram -numa node", NULL);
    assert_contains(s, "node 0 cpus: 0 1 2\r\n");
    assert_contains(s, "node 1 cpus: 3 4 5 6\r\n");
    g_free(s);
}

static void test_mon_explicit(void)
{
    char *s = info_numa("-smp 8 -numa node,nodeid=0,memdev=ram,cpus=0-3 "
                        "-numa node,nodeid=1,cpus=4-7", NULL);

    assert_contains(s, "node 0 cpus: 0 1 2 3\r\n");
    assert_contains(s, "node 1 cpus: 4 5 6 7\r\n");
    assert_contains(s, "node 0 plugged: 0 MB\r\n");
    g_free(s);
}

/*
 * Partial mapping: QEMU 7.2's virt refuses it (discontinuous hartids);
 * Machina places the unmapped CPUs by the default split and warns.
 */
static void test_mon_partial(void)
{
    char *s = info_numa("-smp 8 -numa node,nodeid=0,memdev=ram,cpus=0-1 "
                        "-numa node,nodeid=1,cpus=4-5", NULL);

    assert_contains(s, "node 0 cpus: 0 1 2 3\r\n");
    assert_contains(s, "node 1 cpus: 4 5 6 7\r\n");
    g_free(s);
}

/* Any CPU set per node (beyond 7.2, docs/numa.md). */
static void test_mon_interleaved(void)
{
    char *s = info_numa("-smp 4 -numa node,memdev=ram,cpus=0,cpus=2 "
                        "-numa node,cpus=1,cpus=3", NULL);

    assert_contains(s, "node 0 cpus: 0 2\r\n");
    assert_contains(s, "node 1 cpus: 1 3\r\n");
    g_free(s);
}

/* Node id of each CPU, by cpu-index, from query-cpus-fast. */
static void check_cpu_nodes(QTestState *qts, const int *nodes, int ncpus)
{
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-cpus-fast' }");
    QList *cpus = qdict_get_qlist(rsp, "return");
    QListEntry *e;
    int seen = 0;

    g_assert_nonnull(cpus);
    QLIST_FOREACH_ENTRY(cpus, e) {
        QDict *cpu = qobject_to(QDict, qlist_entry_obj(e));
        QDict *props = qdict_get_qdict(cpu, "props");
        int64_t idx = qdict_get_int(cpu, "cpu-index");

        g_assert_cmpint(idx, >=, 0);
        g_assert_cmpint(idx, <, ncpus);
        g_assert_true(qdict_haskey(props, "node-id"));
        g_assert_cmpint(qdict_get_int(props, "core-id"), ==, idx);
        g_assert_cmpint(qdict_get_int(props, "node-id"), ==, nodes[idx]);
        seen++;
    }
    g_assert_cmpint(seen, ==, ncpus);
    qobject_unref(rsp);
}

static void test_query_cpus(void)
{
    static const int nodes[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
    char *cli = make_cli("-smp 8 -numa node,nodeid=0,memdev=ram,cpus=0-3 "
                         "-numa node,nodeid=1,cpus=4-7");
    QTestState *qts = qtest_init(cli);

    check_cpu_nodes(qts, nodes, 8);
    qtest_quit(qts);
    g_free(cli);
}

/* -numa cpu by core-id (virt's CPU index). */
static void test_numa_cpu(void)
{
    static const int nodes[] = { 0, 0, 0, 1 };
    char *cli = make_cli("-smp 4 -numa node,nodeid=0,memdev=ram "
                         "-numa node,nodeid=1 "
                         "-numa cpu,node-id=0,core-id=0 "
                         "-numa cpu,node-id=0,core-id=1 "
                         "-numa cpu,node-id=0,core-id=2 "
                         "-numa cpu,node-id=1,core-id=3");
    QTestState *qts = qtest_init(cli);
    char *s;

    check_cpu_nodes(qts, nodes, 4);
    s = qtest_hmp(qts, "info numa");
    assert_contains(s, "node 0 cpus: 0 1 2\r\n");
    assert_contains(s, "node 1 cpus: 3\r\n");
    g_free(s);
    qtest_quit(qts);
    g_free(cli);
}

/* Without NUMA options: no nodes, and no node-id in the CPU props. */
static void test_no_numa(void)
{
    QTestState *qts = qtest_init("-M virt -nodefaults -smp 2");
    QDict *rsp;
    QListEntry *e;
    char *s = qtest_hmp(qts, "info numa");

    g_assert_cmpstr(s, ==, "0 nodes\r\n");
    g_free(s);
    rsp = qtest_qmp(qts, "{ 'execute': 'query-cpus-fast' }");
    QLIST_FOREACH_ENTRY(qdict_get_qlist(rsp, "return"), e) {
        QDict *cpu = qobject_to(QDict, qlist_entry_obj(e));

        g_assert_false(qdict_haskey(qdict_get_qdict(cpu, "props"),
                                    "node-id"));
    }
    qobject_unref(rsp);
    qtest_quit(qts);
}

/* Memory-less node (CPUs only) and CPU-less node (memory only). */
static void test_memless_cpuless(void)
{
    char *s = info_numa("-m 256M -smp 2 "
                        "-object memory-backend-ram,id=m1,size=128M "
                        "-numa node,nodeid=0,memdev=ram,cpus=0-1 "
                        "-numa node,nodeid=1 "
                        "-numa node,nodeid=2,memdev=m1", NULL);

    assert_contains(s, "3 nodes\r\n");
    assert_contains(s, "node 0 cpus: 0 1\r\nnode 0 size: 128 MB\r\n");
    assert_contains(s, "node 1 cpus:\r\nnode 1 size: 0 MB\r\n");
    assert_contains(s, "node 2 cpus:\r\nnode 2 size: 128 MB\r\n");
    g_free(s);
}

/* Run the emulator with @args; return its exit status and stderr. */
static int run_emulator(const char *args, char **err_out)
{
    char *cmd = g_strdup_printf("%s -display none -S -nodefaults %s",
                                getenv("QTEST_QEMU_BINARY"), args);
    char **argv = NULL;
    int wstatus = -1;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL,
                               NULL, NULL, err_out, &wstatus, NULL));
    g_strfreev(argv);
    g_free(cmd);
    g_assert_true(WIFEXITED(wstatus));
    return WEXITSTATUS(wstatus);
}

/* Distances: read back from the device tree's distance-map. */
static void test_distances(void)
{
    char *dir = g_dir_make_tmp("numa-test-XXXXXX", NULL);
    char *dtb_path = g_build_filename(dir, "virt.dtb", NULL);
    char *args = g_strdup_printf(
        "-M virt,dumpdtb=%s -m 256M -smp 3 "
        "-object memory-backend-ram,id=m0,size=128M "
        "-object memory-backend-ram,id=m1,size=128M "
        "-numa node,memdev=m0,cpus=0 -numa node,memdev=m1,cpus=1 "
        "-numa node,cpus=2 "
        "-numa dist,src=0,dst=1,val=21 -numa dist,src=0,dst=2,val=31 "
        "-numa dist,src=1,dst=2,val=41", dtb_path);
    static const uint32_t expect[3][3] = {
        { 10, 21, 31 }, { 21, 10, 41 }, { 31, 41, 10 },
    };
    char *err = NULL, *fdt;
    const fdt32_t *cells;
    int node, len, i;

    g_assert_cmpint(run_emulator(args, &err), ==, 0);
    g_assert_true(g_file_get_contents(dtb_path, &fdt, NULL, NULL));
    node = fdt_path_offset(fdt, "/distance-map");
    g_assert_cmpint(node, >=, 0);
    cells = fdt_getprop(fdt, node, "distance-matrix", &len);
    g_assert_nonnull(cells);
    g_assert_cmpint(len, ==, 9 * 3 * 4);

    /* Triplets <src dst distance> for all pairs; one-way values mirrored. */
    for (i = 0; i < 9; i++) {
        uint32_t src = fdt32_to_cpu(cells[3 * i]);
        uint32_t dst = fdt32_to_cpu(cells[3 * i + 1]);

        g_assert_cmpuint(src, <, 3);
        g_assert_cmpuint(dst, <, 3);
        g_assert_cmpuint(fdt32_to_cpu(cells[3 * i + 2]), ==,
                         expect[src][dst]);
    }
    unlink(dtb_path);
    rmdir(dir);
    g_free(fdt);
    g_free(err);
    g_free(args);
    g_free(dtb_path);
    g_free(dir);
}

typedef struct BadConfig {
    const char *args;
    const char *message;        /* whole line after "PROG: " */
} BadConfig;

static const BadConfig bad_configs[] = {
    { "-m 1G -numa node,nodeid=0 -numa node,nodeid=0",
      "-numa node,nodeid=0: Duplicate NUMA nodeid: 0" },
    { "-smp 2 -numa node,cpus=5",
      "-numa node,cpus=5: CPU index (5) should be smaller than maxcpus (2)" },
    { "-numa node,nodeid=1", "numa: Node ID missing: 0" },
    { "-numa node,nodeid=128",
      "-numa node,nodeid=128: Max number of NUMA nodes reached: 128" },
    { "-m 1G -smp 2 -numa node -numa node",
      "total memory for NUMA nodes (0x0) should equal RAM size "
      "(0x40000000)" },
    { "-numa node,memdev=nosuch",
      "-numa node,memdev=nosuch: memdev=nosuch is ambiguous" },
    { "-numa node,bogus=1", "-numa node,bogus=1: Invalid parameter 'bogus'" },
    { "-numa foo,x=1",
      "-numa foo,x=1: Parameter 'type' does not accept value 'foo'" },
    { "-m 1G -smp 2 -object memory-backend-ram,id=m0,size=512M "
      "-object memory-backend-ram,id=m1,size=512M "
      "-numa node,nodeid=0,memdev=m0,cpus=0-1 "
      "-numa node,nodeid=1,memdev=m1,cpus=1",
      "-numa node,nodeid=1,memdev=m1,cpus=1: CPU is already assigned to "
      "node-id: 0" },
    { "-m 1G -smp 2 -object memory-backend-ram,id=m0,size=512M "
      "-object memory-backend-ram,id=m1,size=512M "
      "-numa node,memdev=m0 -numa node,memdev=m1 "
      "-numa dist,src=0,dst=1,val=5",
      "-numa dist,src=0,dst=1,val=5: NUMA distance (5) is invalid, it "
      "shouldn't be less than 10." },
    { "-m 1G -smp 2 -object memory-backend-ram,id=m0,size=512M "
      "-object memory-backend-ram,id=m1,size=512M "
      "-numa node,memdev=m0 -numa node,memdev=m1 "
      "-numa dist,src=0,dst=0,val=11",
      "-numa dist,src=0,dst=0,val=11: Local distance of node 0 should "
      "be 10." },
    { "-m 1G -object memory-backend-ram,id=m0,size=512M "
      "-numa node,memdev=m0 -numa node,memdev=m0",
      "memory backend m0 can't be used multiple times." },
    { "-smp 2 -numa node,cpus=0 -numa cpu,node-id=5,core-id=1",
      "-numa cpu,node-id=5,core-id=1: Invalid node-id=5, NUMA node must "
      "be defined with -numa node,nodeid=ID before it's used with -numa "
      "cpu,node-id=ID" },
};

static void test_bad_config(const void *data)
{
    const BadConfig *bad = data;
    char *args = g_strdup_printf("-M virt %s", bad->args);
    char *err = NULL;
    char *line;

    g_assert_cmpint(run_emulator(args, &err), ==, 1);
    line = strchr(err, ':');
    g_assert_nonnull(line);
    if (!strstr(line + 2, bad->message)) {
        g_error("expected '%s' in stderr:\n%s", bad->message, err);
    }
    g_free(err);
    g_free(args);
}

int main(int argc, char **argv)
{
    size_t i;

    g_test_init(&argc, &argv, NULL);
    qtest_add_func("numa/mon/cpus/default", test_def_cpu_split);
    qtest_add_func("numa/mon/cpus/explicit", test_mon_explicit);
    qtest_add_func("numa/mon/cpus/partial", test_mon_partial);
    qtest_add_func("numa/mon/cpus/interleaved", test_mon_interleaved);
    qtest_add_func("numa/mon/none", test_no_numa);
    qtest_add_func("numa/mon/memless-cpuless", test_memless_cpuless);
    qtest_add_func("numa/qmp/cpus/query-cpus", test_query_cpus);
    qtest_add_func("numa/riscv/cpu/explicit", test_numa_cpu);
    qtest_add_func("numa/dtb/distances", test_distances);
    for (i = 0; i < G_N_ELEMENTS(bad_configs); i++) {
        char *path = g_strdup_printf("numa/error/%zu", i);

        qtest_add_data_func(path, &bad_configs[i], test_bad_config);
        g_free(path);
    }
    return g_test_run();
}
