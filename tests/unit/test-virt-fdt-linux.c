/*
 * test-virt-fdt-linux.c: NUMA trees that QEMU 7.2 cannot generate, read
 * by a real Linux.
 *
 * Our tree for a layout QEMU refuses (harts of a node not contiguous, a
 * CPU-less node, a memory-less node in the middle, 8 nodes) is handed to
 * QEMU 7.2 with -dtb on a one-socket machine (so the devices it lists are
 * the ones QEMU has), and the shared Linux guest's report must show
 * exactly the configured topology.  Skipped when qemu-system-riscv64,
 * OpenSBI's fw_jump.bin or the guest ($MACHINA_GUEST_DIR, default
 * ../shared/guest next to the source tree) is missing.  Each case boots
 * Linux once (a few seconds).
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/riscv/virt-fdt.h"

#define DRAM_BASE       0x80000000ULL
#define MAX_NODES       8
#define FW_JUMP \
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"

typedef struct LinuxCase {
    const char *name;
    unsigned harts;
    unsigned nodes;
    int node_of_hart[8];
    uint64_t node_mib[MAX_NODES];
    const char *harts_list[MAX_NODES];  /* as the guest prints them */
    uint8_t dist[MAX_NODES][MAX_NODES]; /* all zero: no distance-map */
} LinuxCase;

static const LinuxCase linux_cases[] = {
    {
        .name = "noncontiguous-cpuless-asym", .harts = 4, .nodes = 3,
        .node_of_hart = { 0, 1, 0, 1 }, .node_mib = { 256, 256, 512 },
        .harts_list = { "0,2", "1,3", "none" },
        .dist = { { 10, 20, 30 }, { 21, 10, 25 }, { 31, 26, 10 } },
    },
    {
        .name = "memless-middle", .harts = 3, .nodes = 3,
        .node_of_hart = { 0, 1, 2 }, .node_mib = { 256, 0, 256 },
        .harts_list = { "0", "1", "2" },
    },
    {
        .name = "8-nodes", .harts = 8, .nodes = 8,
        .node_of_hart = { 7, 6, 5, 4, 3, 2, 1, 0 },
        .node_mib = { 64, 64, 64, 64, 64, 64, 64, 64 },
        .harts_list = { "7", "6", "5", "4", "3", "2", "1", "0" },
        .dist = {
            { 10, 12, 14, 16, 18, 20, 22, 24 },
            { 12, 10, 12, 14, 16, 18, 20, 22 },
            { 14, 12, 10, 12, 14, 16, 18, 20 },
            { 16, 14, 12, 10, 12, 14, 16, 18 },
            { 18, 16, 14, 12, 10, 12, 14, 16 },
            { 20, 18, 16, 14, 12, 10, 12, 14 },
            { 22, 20, 18, 16, 14, 12, 10, 12 },
            { 24, 22, 20, 18, 16, 14, 12, 10 },
        },
    },
};

static uint64_t total_mib(const LinuxCase *c)
{
    uint64_t mib = 0;

    for (unsigned n = 0; n < c->nodes; n++) {
        mib += c->node_mib[n];
    }
    return mib;
}

/* Our tree for @c on one socket, as the Machina board would build it. */
static void *build_tree(const LinuxCase *c)
{
    VirtFdtHart harts[8];
    VirtFdtSocket socket = { 0, c->harts };
    VirtFdtMemRange mem[MAX_NODES];
    uint8_t dist[MAX_NODES * MAX_NODES];
    VirtFdtConfig cfg;
    hwaddr base = DRAM_BASE;
    int size;

    virt_fdt_config_init(&cfg);
    for (unsigned i = 0; i < c->harts; i++) {
        harts[i] = (VirtFdtHart) { c->node_of_hart[i], NULL,
                                   VIRT_FDT_DEFAULT_MMU };
    }
    for (unsigned n = 0; n < c->nodes; n++) {
        mem[n] = (VirtFdtMemRange) { n, base, c->node_mib[n] * MiB };
        base += mem[n].size;
        for (unsigned m = 0; m < c->nodes; m++) {
            dist[n * c->nodes + m] = c->dist[n][m];
        }
    }
    cfg.num_harts = c->harts;
    cfg.harts = harts;
    cfg.num_sockets = 1;
    cfg.sockets = &socket;
    cfg.num_mem = c->nodes;
    cfg.mem = mem;
    cfg.num_nodes = c->nodes;
    cfg.distance = c->dist[0][0] ? dist : NULL;
    return virt_fdt_build(&cfg, &size, &error_abort);
}

/*
 * $MACHINA_GUEST_DIR, else ../shared/guest beside the source tree (or
 * beside its parent, for a git worktree one level deeper).
 */
static char *guest_dir(void)
{
    const char *env = g_getenv("MACHINA_GUEST_DIR");
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *exe_dir = g_path_get_dirname(exe);
    g_autofree char *unit = g_path_get_dirname(__FILE__);
    g_autofree char *src = NULL, *first = NULL;

    if (env) {
        return g_strdup(env);
    }
    /* __FILE__ is relative to the build root, <exe dir>/../.. */
    src = g_path_is_absolute(unit)
          ? g_build_filename(unit, "..", "..", NULL)
          : g_build_filename(exe_dir, "..", "..", unit, "..", "..", NULL);
    first = g_build_filename(src, "..", "shared", "guest", NULL);
    if (g_file_test(first, G_FILE_TEST_IS_DIR)) {
        return g_steal_pointer(&first);
    }
    return g_build_filename(src, "..", "..", "shared", "guest", NULL);
}

static char *boot_guest(const char *guest, const char *dtb,
                        const LinuxCase *c)
{
    g_autofree char *image = g_build_filename(guest, "Image", NULL);
    g_autofree char *smp = g_strdup_printf("%u", c->harts);
    g_autofree char *mem = g_strdup_printf("%" PRIu64 "M", total_mib(c));
    char *argv[] = {
        (char *)"timeout", (char *)"120", (char *)"qemu-system-riscv64",
        (char *)"-M", (char *)"virt", (char *)"-nographic",
        (char *)"-no-reboot", (char *)"-bios", (char *)FW_JUMP,
        (char *)"-kernel", image, (char *)"-append",
        (char *)"console=ttyS0 panic=-1", (char *)"-smp", smp,
        (char *)"-m", mem, (char *)"-dtb", (char *)dtb, NULL,
    };
    char *out = NULL;
    int status;

    g_assert_true(g_spawn_sync(NULL, argv, NULL,
                               G_SPAWN_SEARCH_PATH |
                               G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, NULL));
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    return out;
}

/* The guest's "node N ..." line for @node, or NULL. */
static const char *find_line(char **lines, const char *prefix)
{
    for (char **l = lines; *l; l++) {
        g_strchomp(*l);
        if (g_str_has_prefix(*l, prefix)) {
            return *l + strlen(prefix);
        }
    }
    return NULL;
}

static void check_node(char **lines, const LinuxCase *c, unsigned n)
{
    g_autofree char *pfx = g_strdup_printf("node %u cpus: ", n);
    g_autofree char *dpfx = g_strdup_printf("node %u distance: ", n);
    g_autoptr(GString) want = g_string_new("");
    const char *line = find_line(lines, pfx);
    const char *harts;
    uint64_t kb, node_kb = c->node_mib[n] * 1024;

    g_assert_nonnull(line);
    harts = strstr(line, "harts: ");
    g_assert_nonnull(harts);
    harts += strlen("harts: ");
    g_assert_cmpint(strncmp(harts, c->harts_list[n],
                            strlen(c->harts_list[n])), ==, 0);
    g_assert_cmpint(harts[strlen(c->harts_list[n])], ==, ' ');

    /*
     * MemTotal of the node: its RAM less what firmware and kernel
     * reserve (the kernel image itself on the first node).
     */
    g_assert_cmpint(sscanf(strstr(line, "mem_kb: "), "mem_kb: %" SCNu64,
                           &kb), ==, 1);
    g_assert_cmpuint(kb, <=, node_kb);
    g_assert_cmpuint(kb + MAX(node_kb / 5, 24 * 1024), >=, node_kb);

    if (c->dist[0][0]) {
        for (unsigned m = 0; m < c->nodes; m++) {
            g_string_append_printf(want, "%s%u", m ? " " : "",
                                   c->dist[n][m]);
        }
        g_assert_cmpstr(find_line(lines, dpfx), ==, want->str);
    }
}

static void test_linux_sees_layout(gconstpointer opaque)
{
    const LinuxCase *c = opaque;
    g_autofree char *guest = guest_dir();
    g_autofree char *image = g_build_filename(guest, "Image", NULL);
    g_autofree char *qemu = g_find_program_in_path("qemu-system-riscv64");
    g_autofree char *dtb = NULL, *out = NULL, *nodes = NULL;
    g_autofree void *fdt = NULL;
    g_auto(GStrv) lines = NULL;

    if (!qemu || !g_file_test(FW_JUMP, G_FILE_TEST_EXISTS) ||
        !g_file_test(image, G_FILE_TEST_EXISTS)) {
        g_test_skip("needs qemu-system-riscv64, opensbi and the Linux "
                    "guest (set MACHINA_GUEST_DIR)");
        return;
    }
    fdt = build_tree(c);
    dtb = g_strdup_printf("%s/virt-fdt-linux-%d.dtb", g_get_tmp_dir(),
                          getpid());
    g_assert_true(g_file_set_contents(dtb, fdt, fdt_totalsize(fdt), NULL));
    out = boot_guest(guest, dtb, c);
    unlink(dtb);

    lines = g_strsplit(out, "\n", -1);
    g_assert_nonnull(find_line(lines, "GUEST-OK"));
    nodes = g_strdup_printf("%u", c->nodes);
    g_assert_cmpstr(find_line(lines, "nodes: "), ==, nodes);
    for (unsigned n = 0; n < c->nodes; n++) {
        check_node(lines, c, n);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < ARRAY_SIZE(linux_cases); i++) {
        g_autofree char *path = g_strdup_printf("/virt-fdt/linux/%s",
                                                linux_cases[i].name);

        g_test_add_data_func(path, &linux_cases[i], test_linux_sees_layout);
    }
    return g_test_run();
}
