/*
 * mtree-test.c: HMP "info mtree" of the virt board: every device region
 * at its QEMU 7.2 address with its type, RAM sized by -m, one CLINT and
 * PLIC per socket, and NUMA node memory laid out back to back in node
 * order inside the board's RAM container.
 */
#include "qemu/osdep.h"
#include "libqtest.h"

static char *mtree(const char *args, const char *hmp)
{
    QTestState *qts = qtest_init(args);
    char *text = qtest_hmp(qts, "%s", hmp);

    qtest_quit(qts);
    return text;
}

/* Each of @lines must appear as a whole line of @text. */
static void assert_lines(const char *text, const char *const *lines)
{
    for (; *lines; lines++) {
        char *needle = g_strdup_printf(" %s\r\n", *lines);

        if (!strstr(text, needle)) {
            g_error("line '%s' missing from:\n%s", *lines, text);
        }
        g_free(needle);
    }
}

static void test_default_layout(void)
{
    static const char *const lines[] = {
        "0000000000001000-000000000000ffff (prio 0, rom): "
        "riscv_virt_board.mrom",
        "0000000000100000-0000000000100fff (prio 0, i/o): riscv.sifive.test",
        "0000000000101000-0000000000101023 (prio 0, i/o): goldfish_rtc",
        "0000000002000000-0000000002003fff (prio 0, i/o): riscv.aclint.swi",
        "0000000002004000-000000000200bfff (prio 0, i/o): "
        "riscv.aclint.mtimer",
        "0000000010000000-0000000010000007 (prio 0, i/o): serial",
        "0000000010001000-00000000100011ff (prio 0, i/o): virtio-mmio",
        "0000000010008000-00000000100081ff (prio 0, i/o): virtio-mmio",
        "0000000080000000-0000000087ffffff (prio 0, ram): "
        "riscv_virt_board.ram",
        NULL,
    };
    char *text = mtree("-M virt -nodefaults", "info mtree");

    g_assert_true(g_str_has_prefix(text, "address-space: memory\r\n"));
    assert_lines(text, lines);
    g_assert_nonnull(strstr(text, " 000000000c000000-"));
    g_free(text);
}

static void test_ram_size(void)
{
    static const char *const lines[] = {
        "0000000080000000-00000000bfffffff (prio 0, ram): "
        "riscv_virt_board.ram",
        NULL,
    };
    char *text = mtree("-M virt -nodefaults -m 1G", "info mtree -f");

    g_assert_true(g_str_has_prefix(text, "FlatView #0\r\n"));
    assert_lines(text, lines);
    g_free(text);
}

static void test_sockets(void)
{
    static const char *const lines[] = {
        "0000000002010000-0000000002013fff (prio 0, i/o): riscv.aclint.swi",
        "0000000002014000-000000000201bfff (prio 0, i/o): "
        "riscv.aclint.mtimer",
        NULL,
    };
    char *text = mtree("-M virt -nodefaults -smp 4,sockets=2",
                       "info mtree -f");

    assert_lines(text, lines);
    g_assert_nonnull(strstr(text, " 000000000c600000-"));
    g_free(text);
}

static void test_numa_ram(void)
{
    static const char *const lines[] = {
        "0000000080000000-000000008fffffff (prio 0, i/o): "
        "riscv_virt_board.ram",
        "0000000080000000-0000000087ffffff (prio 0, ram): m0",
        "0000000088000000-000000008bffffff (prio 0, ram): m1",
        "000000008c000000-000000008fffffff (prio 0, ram): m2",
        NULL,
    };
    char *text = mtree("-M virt -nodefaults -m 256M -smp 3 "
                       "-object memory-backend-ram,id=m0,size=128M "
                       "-object memory-backend-ram,id=m1,size=64M "
                       "-object memory-backend-ram,id=m2,size=64M "
                       "-numa node,memdev=m0,cpus=0 "
                       "-numa node,memdev=m1,cpus=1 "
                       "-numa node,memdev=m2,cpus=2", "info mtree");

    assert_lines(text, lines);
    g_free(text);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("mtree/default-layout", test_default_layout);
    qtest_add_func("mtree/ram-size", test_ram_size);
    qtest_add_func("mtree/sockets", test_sockets);
    qtest_add_func("mtree/numa-ram", test_numa_ram);
    return g_test_run();
}
