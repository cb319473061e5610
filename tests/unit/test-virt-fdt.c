/*
 * test-virt-fdt.c: the virt board's device tree against QEMU 7.2, and
 * NUMA layouts QEMU refuses checked against the device-tree NUMA binding.
 *
 * The comparison cases run Debian's qemu-system-riscv64 with
 * "-machine dumpdtb=" and tests/functional/dtcompare.py; they are skipped
 * (with a message) when either is missing.
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/riscv/virt.h"
#include "hw/riscv/virt-fdt.h"
#include "hw/riscv/boot.h"
#include "hw/core/loader.h"

#define MAX_TEST_NODES  64
#define DRAM_BASE       0x80000000ULL

/* A machine description that both sides can be built from. */
typedef struct DtCase {
    const char *name;
    unsigned harts;
    uint64_t ram_mib;           /* without NUMA */
    unsigned nodes;             /* 0: no -numa */
    unsigned node_harts[4];     /* contiguous, QEMU's only accepted form */
    uint64_t node_mib[4];       /* 0: memory-less node */
    const char *dist;           /* "src,dst,val;..." or NULL */
    bool aclint;
    const char *append;         /* with a raw -kernel and an -initrd */
} DtCase;

static const DtCase dt_cases[] = {
    { .name = "default", .harts = 1, .ram_mib = 128 },
    { .name = "smp4", .harts = 4, .ram_mib = 256 },
    { .name = "smp2-aclint", .harts = 2, .ram_mib = 512, .aclint = true },
    { .name = "numa1", .harts = 4, .nodes = 1, .node_harts = { 4 },
      .node_mib = { 512 } },
    { .name = "numa2-dist-kernel", .harts = 4, .nodes = 2,
      .node_harts = { 2, 2 }, .node_mib = { 1024, 1024 },
      .dist = "0,1,20", .append = "console=ttyS0 root=/dev/vda" },
    { .name = "numa2-asym", .harts = 4, .nodes = 2,
      .node_harts = { 2, 2 }, .node_mib = { 1024, 1024 },
      .dist = "0,1,20;1,0,30" },
    { .name = "numa2-memless", .harts = 2, .nodes = 2,
      .node_harts = { 1, 1 }, .node_mib = { 1024, 0 } },
    { .name = "numa2-uneven-aclint", .harts = 4, .nodes = 2,
      .node_harts = { 1, 3 }, .node_mib = { 256, 768 }, .aclint = true,
      .dist = "0,1,15" },
    { .name = "numa2-smp8-small-kernel", .harts = 8, .nodes = 2,
      .node_harts = { 4, 4 }, .node_mib = { 64, 64 },
      .append = "quiet" },
};

/* Storage for a VirtFdtConfig built by a test. */
typedef struct TestMachine {
    VirtFdtConfig cfg;
    VirtFdtHart harts[VIRT_CPUS_MAX];
    VirtFdtSocket sockets[VIRT_SOCKETS_MAX];
    VirtFdtMemRange mem[MAX_TEST_NODES];
    uint8_t dist[MAX_TEST_NODES * MAX_TEST_NODES];
    uint8_t seed[VIRT_FDT_RNG_SEED_LEN];
} TestMachine;

static void tm_init(TestMachine *m, unsigned harts)
{
    memset(m, 0, sizeof(*m));
    virt_fdt_config_init(&m->cfg);
    m->cfg.num_harts = harts;
    m->cfg.harts = m->harts;
    m->cfg.sockets = m->sockets;
    m->cfg.mem = m->mem;
    m->cfg.rng_seed = m->seed;
    for (unsigned i = 0; i < harts; i++) {
        m->harts[i].mmu_type = VIRT_FDT_DEFAULT_MMU;
    }
}

static void tm_add_socket(TestMachine *m, unsigned first, unsigned count)
{
    m->sockets[m->cfg.num_sockets++] = (VirtFdtSocket) { first, count };
}

static hwaddr tm_add_mem(TestMachine *m, int node, uint64_t size)
{
    hwaddr base = DRAM_BASE;

    if (m->cfg.num_mem) {
        const VirtFdtMemRange *last = &m->mem[m->cfg.num_mem - 1];

        base = last->base + last->size;
    }
    m->mem[m->cfg.num_mem++] = (VirtFdtMemRange) { node, base, size };
    return base + size;
}

/* Parse "s,d,v;..." into the matrix, mirroring one-way pairs as QEMU. */
static void tm_set_dist(TestMachine *m, const char *spec)
{
    unsigned n = m->cfg.num_nodes;
    g_auto(GStrv) items = g_strsplit(spec, ";", -1);
    uint8_t *d = m->dist;

    for (unsigned i = 0; i < n; i++) {
        d[i * n + i] = 10;
    }
    for (char **it = items; *it; it++) {
        unsigned s, t, v;

        g_assert_cmpint(sscanf(*it, "%u,%u,%u", &s, &t, &v), ==, 3);
        d[s * n + t] = v;
    }
    for (unsigned s = 0; s < n; s++) {
        for (unsigned t = 0; t < n; t++) {
            if (!d[s * n + t]) {
                d[s * n + t] = d[t * n + s];
            }
        }
    }
    m->cfg.distance = d;
}

static uint64_t case_ram(const DtCase *c)
{
    uint64_t mib = c->ram_mib;

    for (unsigned i = 0; i < c->nodes; i++) {
        mib += c->node_mib[i];
    }
    return mib * MiB;
}

/* QEMU 7.2's view: one socket per NUMA node (or one socket). */
static void tm_from_case(TestMachine *m, const DtCase *c)
{
    unsigned first = 0;

    tm_init(m, c->harts);
    m->cfg.aclint = c->aclint;
    m->cfg.bootargs = c->append;
    if (!c->nodes) {
        tm_add_socket(m, 0, c->harts);
        tm_add_mem(m, 0, c->ram_mib * MiB);
        return;
    }
    m->cfg.num_nodes = c->nodes;
    for (unsigned n = 0; n < c->nodes; n++) {
        for (unsigned h = 0; h < c->node_harts[n]; h++) {
            m->harts[first + h].node_id = n;
        }
        tm_add_socket(m, first, c->node_harts[n]);
        tm_add_mem(m, n, c->node_mib[n] * MiB);
        first += c->node_harts[n];
    }
    if (c->dist) {
        tm_set_dist(m, c->dist);
    }
}

static void *build_ok(const VirtFdtConfig *cfg)
{
    Error *err = NULL;
    int size = 0;
    void *fdt = virt_fdt_build(cfg, &size, &err);

    if (!fdt) {
        g_test_message("%s", error_get_pretty(err));
        error_free(err);
    }
    g_assert_nonnull(fdt);
    g_assert_cmpint(fdt_check_header(fdt), ==, 0);
    g_assert_cmpint(size, ==, fdt_totalsize(fdt));
    return fdt;
}

/* ---- Comparison with QEMU 7.2 ---- */

/* Source tree root: $MACHINA_SRCDIR or <build>/ + __FILE__'s prefix. */
static char *source_path(const char *rel)
{
    const char *env = g_getenv("MACHINA_SRCDIR");
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *unit_dir = NULL;

    if (env) {
        return g_build_filename(env, rel, NULL);
    }
    if (g_path_is_absolute(__FILE__)) {
        unit_dir = g_path_get_dirname(__FILE__);
    } else {
        g_autofree char *exe_dir = g_path_get_dirname(exe);
        g_autofree char *file_dir = g_path_get_dirname(__FILE__);

        /* __FILE__ is relative to the build root, <exe dir>/../.. */
        unit_dir = g_build_filename(exe_dir, "..", "..", file_dir, NULL);
    }
    return g_build_filename(unit_dir, "..", "..", rel, NULL);
}

static bool write_blob(const char *path, const void *data, size_t len)
{
    return g_file_set_contents(path, data, len, NULL);
}

static bool null_write(void *opaque, hwaddr addr, const void *data,
                       size_t len)
{
    return true;
}

/* Load firmware, kernel and initrd as the board will; fill /chosen. */
static void place_kernel_initrd(TestMachine *m, const DtCase *c,
                                const char *kernel, const char *initrd)
{
    RiscvBootConfig boot = {
        .kernel = kernel, .initrd = initrd, .append = c->append,
        .dram_base = DRAM_BASE, .ram_size = case_ram(c),
    };
    LoaderTarget t = { null_write, NULL, DRAM_BASE, case_ram(c) };
    RiscvBootInfo info;

    g_assert_true(riscv_boot_load_images(&boot, &t, &info, &error_abort));
    g_assert_true(info.have_initrd);
    m->cfg.initrd_start = info.initrd.low;
    m->cfg.initrd_end = info.initrd.high;
}

static void G_GNUC_PRINTF(2, 3) arg(GPtrArray *a, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_ptr_array_add(a, g_strdup_vprintf(fmt, ap));
    va_end(ap);
}

/* The qemu-system-riscv64 command line equivalent to @c. */
static GPtrArray *qemu_argv(const DtCase *c, const char *dtb,
                            const char *kernel, const char *initrd)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(g_free);
    unsigned first = 0;

    arg(a, "qemu-system-riscv64");
    arg(a, "-M");
    arg(a, "virt%s,dumpdtb=%s", c->aclint ? ",aclint=on" : "", dtb);
    arg(a, "-display");
    arg(a, "none");
    arg(a, "-nodefaults");
    arg(a, "-smp");
    arg(a, "%u", c->harts);
    arg(a, "-m");
    arg(a, "%" PRIu64 "M", case_ram(c) / MiB);
    for (unsigned n = 0; n < c->nodes; n++) {
        unsigned last = first + c->node_harts[n] - 1;

        arg(a, "-numa");
        if (c->node_mib[n]) {
            arg(a, "node,nodeid=%u,cpus=%u-%u,memdev=m%u", n, first, last, n);
            arg(a, "-object");
            arg(a, "memory-backend-ram,id=m%u,size=%" PRIu64 "M", n,
                c->node_mib[n]);
        } else {
            arg(a, "node,nodeid=%u,cpus=%u-%u", n, first, last);
        }
        first = last + 1;
    }
    if (c->dist) {
        g_auto(GStrv) items = g_strsplit(c->dist, ";", -1);

        for (char **it = items; *it; it++) {
            unsigned s, t, v;

            g_assert_cmpint(sscanf(*it, "%u,%u,%u", &s, &t, &v), ==, 3);
            arg(a, "-numa");
            arg(a, "dist,src=%u,dst=%u,val=%u", s, t, v);
        }
    }
    if (c->append) {
        arg(a, "-kernel");
        arg(a, "%s", kernel);
        arg(a, "-initrd");
        arg(a, "%s", initrd);
        arg(a, "-append");
        arg(a, "%s", c->append);
    }
    g_ptr_array_add(a, NULL);
    return a;
}

static bool run(char **argv, const char *what)
{
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GError) gerr = NULL;
    int status;

    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                      &out, &err, &status, &gerr)) {
        g_test_message("%s: %s", what, gerr->message);
        return false;
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_test_message("%s failed:\n%s%s", what, out, err);
        return false;
    }
    return true;
}

static bool have_tools(char **script)
{
    g_autofree char *qemu = g_find_program_in_path("qemu-system-riscv64");
    g_autofree char *py = g_find_program_in_path("python3");
    g_autofree char *fw = riscv_find_firmware(RISCV_DEFAULT_FIRMWARE, NULL);

    *script = source_path("tests/functional/dtcompare.py");
    if (!qemu || !py || !fw ||
        !g_file_test(*script, G_FILE_TEST_IS_REGULAR)) {
        g_test_skip("needs qemu-system-riscv64, python3, OpenSBI's "
                    "fw_dynamic.bin and tests/functional/dtcompare.py");
        return false;
    }
    return true;
}

/* Build our tree for @c, optionally with every QEMU node, and compare. */
static bool compare_case(const DtCase *c, const char *dir,
                         const char *script, bool board)
{
    g_autofree char *ours = g_build_filename(dir, "ours.dtb", NULL);
    g_autofree char *theirs = g_build_filename(dir, "qemu.dtb", NULL);
    g_autofree char *kernel = g_build_filename(dir, "Image", NULL);
    g_autofree char *initrd = g_build_filename(dir, "initrd", NULL);
    g_autoptr(GPtrArray) qargv = NULL;
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    uint8_t payload[4096] = { 0 };
    g_autofree void *fdt = NULL;
    char *cmp[] = { (char *)"python3", (char *)script, (char *)"--board",
                    ours, theirs,
                    NULL };

    g_assert_true(write_blob(kernel, payload, sizeof(payload)));
    g_assert_true(write_blob(initrd, payload, 1000));
    tm_from_case(m, c);
    if (c->append) {
        place_kernel_initrd(m, c, kernel, initrd);
    }
    m->cfg.fw_cfg = m->cfg.flash = m->cfg.pcie = m->cfg.platform_bus =
        !board;
    fdt = build_ok(&m->cfg);
    g_assert_true(write_blob(ours, fdt, fdt_totalsize(fdt)));

    qargv = qemu_argv(c, theirs, kernel, initrd);
    if (!run((char **)qargv->pdata, "qemu-system-riscv64 dumpdtb")) {
        return false;
    }
    if (!board) {
        memmove(&cmp[2], &cmp[3], 3 * sizeof(char *));
    }
    return run(cmp, board ? "dtcompare --board" : "dtcompare");
}

static void remove_tmp_dir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(dir, name, NULL);

        unlink(path);
    }
    rmdir(dir);
}

static void test_qemu_compare(gconstpointer opaque)
{
    const DtCase *c = opaque;
    g_autofree char *script = NULL;
    g_autofree char *dir = NULL;

    if (!have_tools(&script)) {
        return;
    }
    dir = g_dir_make_tmp("virt-fdt-XXXXXX", NULL);
    g_assert_nonnull(dir);
    /* Full tree (every QEMU node) and the board's tree. */
    g_assert_true(compare_case(c, dir, script, false));
    g_assert_true(compare_case(c, dir, script, true));
    remove_tmp_dir(dir);
}

/* ---- Tree checks through libfdt (what fdtget would print) ---- */

static uint32_t get_u32(const void *fdt, const char *path, const char *prop)
{
    int node = fdt_path_offset(fdt, path);
    int len = 0;
    const fdt32_t *val;

    g_assert_cmpint(node, >=, 0);
    val = fdt_getprop(fdt, node, prop, &len);
    g_assert_nonnull(val);
    g_assert_cmpint(len, ==, 4);
    return fdt32_to_cpu(*val);
}

static bool has_prop(const void *fdt, const char *path, const char *prop)
{
    int node = fdt_path_offset(fdt, path);

    g_assert_cmpint(node, >=, 0);
    return fdt_getprop(fdt, node, prop, NULL) != NULL;
}

static bool has_node(const void *fdt, const char *path)
{
    return fdt_path_offset(fdt, path) >= 0;
}

static int cpu_node_id(const void *fdt, unsigned hart)
{
    g_autofree char *path = g_strdup_printf("/cpus/cpu@%u", hart);

    return get_u32(fdt, path, "numa-node-id");
}

/* Count memory@ nodes of @node and sum their sizes. */
static unsigned memory_of_node(const void *fdt, int node, uint64_t *size)
{
    unsigned count = 0;
    int off;

    *size = 0;
    fdt_for_each_subnode(off, fdt, 0) {
        const char *name = fdt_get_name(fdt, off, NULL);
        const fdt32_t *reg, *nid;
        int len;

        if (!g_str_has_prefix(name, "memory@")) {
            continue;
        }
        nid = fdt_getprop(fdt, off, "numa-node-id", NULL);
        g_assert_nonnull(nid);
        if (fdt32_to_cpu(*nid) != node) {
            continue;
        }
        reg = fdt_getprop(fdt, off, "reg", &len);
        g_assert_cmpint(len, ==, 16);
        *size += (uint64_t)fdt32_to_cpu(reg[2]) << 32 | fdt32_to_cpu(reg[3]);
        count++;
    }
    return count;
}

/* Default machine: the nodes and values of QEMU 7.2's default tree. */
static void test_default_tree(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;
    uint32_t plic;

    tm_from_case(m, &dt_cases[0]);
    fdt = build_ok(&m->cfg);
    g_assert_cmpuint(get_u32(fdt, "/cpus", "timebase-frequency"), ==,
                     10000000);
    g_assert_cmpuint(get_u32(fdt, "/soc/serial@10000000",
                             "clock-frequency"), ==, 3686400);
    g_assert_cmpuint(get_u32(fdt, "/soc/serial@10000000", "interrupts"), ==,
                     UART0_IRQ);
    g_assert_cmpuint(get_u32(fdt, "/soc/plic@c000000", "riscv,ndev"), ==,
                     0x60);
    plic = get_u32(fdt, "/soc/plic@c000000", "phandle");
    g_assert_cmpuint(get_u32(fdt, "/soc/virtio_mmio@10008000",
                             "interrupt-parent"), ==, plic);
    g_assert_cmpuint(get_u32(fdt, "/soc/virtio_mmio@10008000",
                             "interrupts"), ==, 8);
    g_assert_false(has_prop(fdt, "/cpus/cpu@0", "numa-node-id"));
    g_assert_false(has_node(fdt, "/distance-map"));
    g_assert_true(has_node(fdt, "/pmu"));
    /* Nodes of devices the board does not emulate are absent. */
    g_assert_false(has_node(fdt, "/soc/pci@30000000"));
    g_assert_false(has_node(fdt, "/fw-cfg@10100000"));
    g_assert_false(has_node(fdt, "/flash@20000000"));
    g_assert_false(has_node(fdt, "/platform-bus@4000000"));
}

/* Two sockets: virtio on socket 1's PLIC, UART/RTC on socket 0's. */
static void test_two_socket_routing(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;

    tm_from_case(m, &dt_cases[5]);
    fdt = build_ok(&m->cfg);
    g_assert_cmpuint(get_u32(fdt, "/soc/serial@10000000",
                             "interrupt-parent"), ==,
                     get_u32(fdt, "/soc/plic@c000000", "phandle"));
    g_assert_cmpuint(get_u32(fdt, "/soc/rtc@101000", "interrupt-parent"),
                     ==, get_u32(fdt, "/soc/plic@c000000", "phandle"));
    g_assert_cmpuint(get_u32(fdt, "/soc/virtio_mmio@10001000",
                             "interrupt-parent"), ==,
                     get_u32(fdt, "/soc/plic@c600000", "phandle"));
    g_assert_cmpuint(get_u32(fdt, "/soc/plic@c600000", "numa-node-id"), ==,
                     1);
    g_assert_cmpuint(get_u32(fdt, "/soc/clint@2010000", "numa-node-id"), ==,
                     1);
}

/* The distance-map holds all N x N triplets in row order. */
static void check_distance_map(const void *fdt, const uint8_t *dist,
                               unsigned n)
{
    int node = fdt_path_offset(fdt, "/distance-map");
    const fdt32_t *cells;
    int len;

    g_assert_cmpint(node, >=, 0);
    cells = fdt_getprop(fdt, node, "distance-matrix", &len);
    g_assert_cmpint(len, ==, n * n * 3 * 4);
    for (unsigned i = 0; i < n * n; i++) {
        g_assert_cmpuint(fdt32_to_cpu(cells[i * 3]), ==, i / n);
        g_assert_cmpuint(fdt32_to_cpu(cells[i * 3 + 1]), ==, i % n);
        g_assert_cmpuint(fdt32_to_cpu(cells[i * 3 + 2]), ==, dist[i]);
    }
}

/*
 * Non-contiguous harts per node, independent of sockets (QEMU 7.2:
 * "discontinuous hartids"): 8 harts in 2 sockets, nodes by parity.
 */
static void test_numa_noncontiguous(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;
    uint64_t size;

    tm_init(m, 8);
    tm_add_socket(m, 0, 4);
    tm_add_socket(m, 4, 4);
    m->cfg.num_nodes = 2;
    for (unsigned i = 0; i < 8; i++) {
        m->harts[i].node_id = i % 2;
    }
    tm_add_mem(m, 0, 512 * MiB);
    tm_add_mem(m, 1, 512 * MiB);
    tm_set_dist(m, "0,1,25");
    fdt = build_ok(&m->cfg);

    for (unsigned i = 0; i < 8; i++) {
        g_assert_cmpint(cpu_node_id(fdt, i), ==, i % 2);
    }
    g_assert_cmpuint(memory_of_node(fdt, 1, &size), ==, 1);
    g_assert_cmpuint(size, ==, 512 * MiB);
    /* Sockets keep their own cluster; the PLIC takes its first hart's node */
    g_assert_true(has_node(fdt, "/cpus/cpu-map/cluster1/core3"));
    g_assert_false(has_node(fdt, "/cpus/cpu-map/cluster2"));
    g_assert_cmpuint(get_u32(fdt, "/soc/plic@c600000", "numa-node-id"), ==,
                     0);
    check_distance_map(fdt, m->dist, 2);
}

/* A CPU-less (memory-only) node: only a memory@ node names it. */
static void test_numa_cpuless(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;
    uint64_t size;

    tm_init(m, 2);
    tm_add_socket(m, 0, 2);
    m->cfg.num_nodes = 2;
    tm_add_mem(m, 0, 256 * MiB);
    tm_add_mem(m, 1, 768 * MiB);
    tm_set_dist(m, "0,1,40");
    fdt = build_ok(&m->cfg);

    g_assert_cmpint(cpu_node_id(fdt, 0), ==, 0);
    g_assert_cmpint(cpu_node_id(fdt, 1), ==, 0);
    g_assert_cmpuint(memory_of_node(fdt, 1, &size), ==, 1);
    g_assert_cmpuint(size, ==, 768 * MiB);
    g_assert_cmpuint(get_u32(fdt, "/memory@90000000", "numa-node-id"), ==,
                     1);
    check_distance_map(fdt, m->dist, 2);
}

/*
 * Many nodes (QEMU 7.2 allows 4): @nodes nodes of one hart and 64 MiB
 * each, in @sockets sockets, with a distance growing with |i - j|.
 */
static void check_many_nodes(unsigned nodes, unsigned sockets)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;
    unsigned per = nodes / sockets;
    uint64_t size;

    tm_init(m, nodes);
    for (unsigned s = 0; s < sockets; s++) {
        tm_add_socket(m, s * per, per);
    }
    m->cfg.num_nodes = nodes;
    for (unsigned i = 0; i < nodes; i++) {
        m->harts[i].node_id = nodes - 1 - i;   /* reversed on purpose */
        tm_add_mem(m, i, 64 * MiB);
        for (unsigned j = 0; j < nodes; j++) {
            int hops = abs((int)i - (int)j);

            m->dist[i * nodes + j] = 10 + 2 * hops;
        }
    }
    m->cfg.distance = m->dist;
    fdt = build_ok(&m->cfg);

    for (unsigned i = 0; i < nodes; i++) {
        g_assert_cmpint(cpu_node_id(fdt, i), ==, nodes - 1 - i);
        g_assert_cmpuint(memory_of_node(fdt, i, &size), ==, 1);
        g_assert_cmpuint(size, ==, 64 * MiB);
    }
    check_distance_map(fdt, m->dist, nodes);
}

static void test_numa_8_nodes(void)
{
    check_many_nodes(8, 8);
}

static void test_numa_64_nodes(void)
{
    check_many_nodes(64, 8);
}

/* Memory-less node whose base clashes with the next node's memory@. */
static void test_numa_memless_name_clash(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;
    uint64_t size;

    tm_init(m, 3);
    tm_add_socket(m, 0, 3);
    m->cfg.num_nodes = 3;
    for (unsigned i = 0; i < 3; i++) {
        m->harts[i].node_id = i;
    }
    tm_add_mem(m, 0, 256 * MiB);
    tm_add_mem(m, 1, 0);
    tm_add_mem(m, 2, 256 * MiB);
    fdt = build_ok(&m->cfg);

    g_assert_cmpuint(memory_of_node(fdt, 1, &size), ==, 0);
    g_assert_cmpuint(memory_of_node(fdt, 2, &size), ==, 1);
    g_assert_cmpint(cpu_node_id(fdt, 1), ==, 1);
}

static void test_64_harts_8_sockets(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;
    int len;
    const void *ie;

    tm_init(m, 64);
    for (unsigned s = 0; s < 8; s++) {
        tm_add_socket(m, s * 8, 8);
    }
    tm_add_mem(m, 0, 1 * GiB);
    fdt = build_ok(&m->cfg);

    g_assert_true(has_node(fdt, "/cpus/cpu@63"));
    g_assert_true(has_node(fdt, "/cpus/cpu-map/cluster7/core7"));
    g_assert_true(has_node(fdt, "/soc/plic@ea00000"));    /* 7 * 0x600000 */
    g_assert_true(has_node(fdt, "/soc/clint@2070000"));
    ie = fdt_getprop(fdt, fdt_path_offset(fdt, "/soc/plic@ea00000"),
                     "interrupts-extended", &len);
    g_assert_nonnull(ie);
    g_assert_cmpint(len, ==, 8 * 2 * 2 * 4);
}

static void expect_build_error(TestMachine *m, const char *needle)
{
    Error *err = NULL;
    int size;

    g_assert_null(virt_fdt_build(&m->cfg, &size, &err));
    g_assert_nonnull(err);
    g_assert_nonnull(strstr(error_get_pretty(err), needle));
    error_free(err);
}

static void test_bad_configs(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);

    /* A hart no socket owns. */
    tm_init(m, 4);
    tm_add_socket(m, 0, 3);
    tm_add_mem(m, 0, 128 * MiB);
    expect_build_error(m, "-smp");

    /* Sockets with a gap. */
    tm_init(m, 4);
    tm_add_socket(m, 0, 2);
    tm_add_socket(m, 3, 1);
    tm_add_mem(m, 0, 128 * MiB);
    expect_build_error(m, "socket 1");

    /* A CPU in an undeclared node. */
    tm_init(m, 2);
    tm_add_socket(m, 0, 2);
    tm_add_mem(m, 0, 128 * MiB);
    m->cfg.num_nodes = 1;
    m->harts[1].node_id = 3;
    expect_build_error(m, "-numa node,nodeid=3");

    /* A distance Linux would reject. */
    tm_init(m, 2);
    tm_add_socket(m, 0, 2);
    tm_add_mem(m, 0, 128 * MiB);
    m->cfg.num_nodes = 2;
    tm_set_dist(m, "0,1,20");
    m->dist[3] = 11;
    expect_build_error(m, "-numa dist,src=1,dst=1");

    /* No RAM. */
    tm_init(m, 1);
    tm_add_socket(m, 0, 1);
    expect_build_error(m, "-m");
}

/* /chosen: bootargs, initrd cells and the given seed. */
static void test_chosen(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *fdt = NULL;
    const char *args;
    const uint8_t *seed;
    int len;

    tm_from_case(m, &dt_cases[0]);
    memset(m->seed, 0xa5, sizeof(m->seed));
    m->cfg.bootargs = "console=ttyS0";
    m->cfg.initrd_start = 0x84200000;
    m->cfg.initrd_end = 0x84300000;
    fdt = build_ok(&m->cfg);

    args = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs",
                       NULL);
    g_assert_cmpstr(args, ==, "console=ttyS0");
    g_assert_cmpuint(get_u32(fdt, "/chosen", "linux,initrd-start"), ==,
                     0x84200000);
    g_assert_cmpuint(get_u32(fdt, "/chosen", "linux,initrd-end"), ==,
                     0x84300000);
    seed = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "rng-seed",
                       &len);
    g_assert_cmpint(len, ==, 32);
    g_assert_cmpuint(seed[31], ==, 0xa5);

    /* Later update by the boot code, e.g. on a -dtb tree. */
    g_assert_true(virt_fdt_set_initrd(fdt, 0x88200000, 0x88201000,
                                      &error_abort));
    g_assert_cmpuint(get_u32(fdt, "/chosen", "linux,initrd-start"), ==,
                     0x88200000);
}

/* Without a given seed, two trees get different random seeds. */
static void test_random_seed(void)
{
    g_autofree TestMachine *m = g_new(TestMachine, 1);
    g_autofree void *a = NULL, *b = NULL;
    const void *sa, *sb;

    tm_from_case(m, &dt_cases[0]);
    m->cfg.rng_seed = NULL;
    a = build_ok(&m->cfg);
    b = build_ok(&m->cfg);
    sa = fdt_getprop(a, fdt_path_offset(a, "/chosen"), "rng-seed", NULL);
    sb = fdt_getprop(b, fdt_path_offset(b, "/chosen"), "rng-seed", NULL);
    g_assert_cmpint(memcmp(sa, sb, 32), !=, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/virt-fdt/default-tree", test_default_tree);
    g_test_add_func("/virt-fdt/two-socket-routing", test_two_socket_routing);
    g_test_add_func("/virt-fdt/chosen", test_chosen);
    g_test_add_func("/virt-fdt/random-seed", test_random_seed);
    g_test_add_func("/virt-fdt/bad-configs", test_bad_configs);
    g_test_add_func("/virt-fdt/64-harts-8-sockets", test_64_harts_8_sockets);
    g_test_add_func("/virt-fdt/numa/noncontiguous", test_numa_noncontiguous);
    g_test_add_func("/virt-fdt/numa/cpuless", test_numa_cpuless);
    g_test_add_func("/virt-fdt/numa/8-nodes", test_numa_8_nodes);
    g_test_add_func("/virt-fdt/numa/64-nodes", test_numa_64_nodes);
    g_test_add_func("/virt-fdt/numa/memless-name-clash",
                    test_numa_memless_name_clash);
    for (size_t i = 0; i < ARRAY_SIZE(dt_cases); i++) {
        g_autofree char *path = g_strdup_printf("/virt-fdt/qemu-7.2/%s",
                                                dt_cases[i].name);

        g_test_add_data_func(path, &dt_cases[i], test_qemu_compare);
    }
    return g_test_run();
}
