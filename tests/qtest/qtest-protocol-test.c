/*
 * qtest-protocol-test.c: the qtest line protocol as QEMU 7.2 speaks it on
 * the riscv virt board: every command and reply form, Machina's FAIL
 * answers to malformed requests, clock_step / clock_set semantics
 * against the CLINT timer, and GPIO interception on harts and the PLIC.
 * Expected values are the transcripts of docs/qtest.md (taken from
 * qemu-system-riscv64 7.2).
 */
#include "qemu/osdep.h"
#include "libqtest.h"

#define VIRT_ARGS       "-M virt -smp 2 -nodefaults -bios none"
#define DRAM_BASE       0x80000000ULL
#define UART_LSR        0x10000005ULL
#define UART_LSR_THRE_TEMT 0x60
#define CLINT_MSIP0     0x2000000ULL
#define CLINT_MTIMECMP0 0x2004000ULL
#define CLINT_MTIME     0x200bff8ULL
#define VIRTIO0         0x10001000ULL
#define HART0           "/machine/soc0/harts[0]"
#define HART1           "/machine/soc0/harts[1]"
#define IRQ_MSIP        3
#define IRQ_MTIP        7

/* Send @cmd and check the reply line is exactly @reply. */
static void expect(QTestState *qts, const char *cmd, const char *reply)
{
    char *got = qtest_raw_command(qts, "%s", cmd);

    g_assert_cmpstr(got, ==, reply);
    g_free(got);
}

static void test_memory_commands(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);

    expect(qts, "endianness", "OK little");
    expect(qts, "writeq 0x80000000 0x1122334455667788", "OK");
    expect(qts, "readq 0x80000000", "OK 0x1122334455667788");
    expect(qts, "readl 0x80000000", "OK 0x0000000055667788");
    expect(qts, "readw 0x80000002", "OK 0x0000000000005566");
    expect(qts, "readb 0x80000007", "OK 0x0000000000000011");
    expect(qts, "read 0x80000000 8", "OK 0x8877665544332211");
    expect(qts, "b64read 0x80000000 8", "OK iHdmVUQzIhE=");
    expect(qts, "write 0x80000010 4 0xdeadbeef", "OK");
    expect(qts, "read 0x80000010 4", "OK 0xdeadbeef");
    expect(qts, "b64write 0x80000020 4 3q2+7w==", "OK");
    expect(qts, "read 0x80000020 4", "OK 0xdeadbeef");
    expect(qts, "memset 0x80000030 4 0xab", "OK");
    expect(qts, "read 0x80000030 4", "OK 0xabababab");
    expect(qts, "memset 0x80000030 0 0xcd", "OK");
    expect(qts, "read 0x80000030 4", "OK 0xabababab");

    /* Short data is zero-filled; data under 3 characters is refused. */
    expect(qts, "write 0x80000040 4 0xaa", "OK");
    expect(qts, "read 0x80000040 4", "OK 0xaa000000");
    expect(qts, "write 0x80000040 1 0x", "ERR invalid argument size");

    /* Numbers in base 0: decimal and octal too. */
    expect(qts, "writeb 2147483712 255", "OK");
    expect(qts, "readb 020000000100", "OK 0x00000000000000ff");

    /* Values are truncated to the access width. */
    expect(qts, "writeb 0x80000050 0x1ff", "OK");
    expect(qts, "readw 0x80000050", "OK 0x00000000000000ff");
    qtest_quit(qts);
}

static void test_board_reads(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);

    expect(qts, "readb 0x10000005", "OK 0x0000000000000060");
    expect(qts, "readl 0x10001000", "OK 0x0000000074726976");
    expect(qts, "readl 0x1000100c", "OK 0x00000000554d4551");
    expect(qts, "readl 0x10001008", "OK 0x0000000000000000");
    expect(qts, "readl 0x200bff8", "OK 0x0000000000000000");
    expect(qts, "inb 0x0", "OK 0x00ff");
    expect(qts, "inw 0x10", "OK 0xffff");
    expect(qts, "inl 0x20", "OK 0xffffffff");
    expect(qts, "outb 0x0 1", "OK");
    expect(qts, "outw 0x0 1", "OK");
    expect(qts, "outl 0x0 1", "OK");
    qtest_quit(qts);
}

/* The typed libqtest calls against the same memory. */
static void test_libqtest_calls(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);
    uint8_t out[300], in[300];
    size_t i;

    g_assert_false(qtest_big_endian(qts));
    qtest_writeq(qts, DRAM_BASE, 0x0102030405060708ULL);
    g_assert_cmphex(qtest_readq(qts, DRAM_BASE), ==, 0x0102030405060708ULL);
    g_assert_cmphex(qtest_readl(qts, DRAM_BASE + 4), ==, 0x01020304);
    g_assert_cmphex(qtest_readw(qts, DRAM_BASE + 2), ==, 0x0506);
    g_assert_cmphex(qtest_readb(qts, DRAM_BASE + 1), ==, 0x07);
    qtest_writel(qts, DRAM_BASE, 0xcafef00d);
    qtest_writew(qts, DRAM_BASE + 4, 0xbeef);
    qtest_writeb(qts, DRAM_BASE + 6, 0x42);
    g_assert_cmphex(qtest_readq(qts, DRAM_BASE), ==, 0x0142beefcafef00dULL);

    for (i = 0; i < sizeof(out); i++) {
        out[i] = i * 7 + 3;
    }
    qtest_memwrite(qts, DRAM_BASE + 0x1000, out, sizeof(out));
    qtest_bufread(qts, DRAM_BASE + 0x1000, in, sizeof(in));
    g_assert_cmpmem(in, sizeof(in), out, sizeof(out));
    qtest_bufwrite(qts, DRAM_BASE + 0x2000, out, sizeof(out));
    memset(in, 0, sizeof(in));
    qtest_memread(qts, DRAM_BASE + 0x2000, in, sizeof(in));
    g_assert_cmpmem(in, sizeof(in), out, sizeof(out));
    qtest_memset(qts, DRAM_BASE + 0x2000, 0x5a, 16);
    g_assert_cmphex(qtest_readq(qts, DRAM_BASE + 0x2008), ==,
                    0x5a5a5a5a5a5a5a5aULL);
    g_assert_cmphex(qtest_readb(qts, DRAM_BASE + 0x2010), ==, out[16]);

    g_assert_cmphex(qtest_inb(qts, 0), ==, 0xff);
    g_assert_cmphex(qtest_inw(qts, 0), ==, 0xffff);
    g_assert_cmphex(qtest_inl(qts, 0), ==, 0xffffffff);
    qtest_quit(qts);
}

/* Machina answers FAIL where QEMU 7.2 aborts, and keeps going. */
static void test_malformed(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);
    static const char *const bad[] = {
        "readl", "readl zz", "readl 0x10junk", "writel 0x80000000",
        "writel 0x80000000 0xg", "read 0x80000000 0", "read 0x80000000",
        "write 0x80000000 2 0xzzzz", "memset 0x80000000 4",
        "clock_step -5", "clock_step x", "clock_set", "inb 0x10000",
        "irq_intercept_in", "set_irq_in " HART0,
        "set_irq_in " HART0 " nosuch 0 1",
        "set_irq_in " HART0 " unnamed-gpio-in 999 1",
        "b64read 0x80000000 0",
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(bad); i++) {
        char *reply = qtest_raw_command(qts, "%s", bad[i]);

        if (!g_str_has_prefix(reply, "FAIL ")) {
            g_error("'%s' got '%s', expected FAIL <reason>", bad[i], reply);
        }
        g_free(reply);
    }

    expect(qts, "foo", "FAIL Unknown command 'foo'");
    expect(qts, "csr get_csr 0 0xf11 0", "FAIL Unknown command 'csr'");
    expect(qts, "module_load ui- curses", "FAIL");
    expect(qts, "set_irq_in /machine/nosuch unnamed-gpio-in 0 1",
           "FAIL Unknown device");
    expect(qts, "irq_intercept_in /machine/nosuch", "FAIL Unknown device");

    /* The session is still usable. */
    expect(qts, "writel 0x80000000 0x12345678", "OK");
    expect(qts, "readl 0x80000000", "OK 0x0000000012345678");
    qtest_quit(qts);
}

/* Transcript (b): clock commands against CLINT mtime (10 MHz). */
static void test_clock(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);

    /* Nothing armed yet (mtimecmp resets to 0: MTIP is a level). */
    g_assert_cmpint(qtest_clock_step_next(qts), ==, 0);
    g_assert_cmphex(qtest_readq(qts, CLINT_MTIME), ==, 0);
    g_assert_cmpint(qtest_clock_step(qts, 1000000), ==, 1000000);
    g_assert_cmphex(qtest_readq(qts, CLINT_MTIME), ==, 10000);
    g_assert_cmpint(qtest_clock_set(qts, 5000000), ==, 5000000);
    g_assert_cmpint(qtest_clock_set(qts, 1000), ==, 5000000);
    g_assert_cmphex(qtest_readq(qts, CLINT_MTIME), ==, 50000);
    g_assert_cmpint(qtest_clock_step(qts, 0), ==, 5000000);
    expect(qts, "clock_step 10", "OK 5000010");
    expect(qts, "clock_set 0x1000000", "OK 16777216");
    qtest_quit(qts);
}

/* Transcripts (b) and (c): interception of hart 0's inputs. */
static void test_intercept_harts(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);

    qtest_clock_set(qts, 5000000);
    qtest_irq_intercept_in(qts, HART0);
    qtest_irq_intercept_in(qts, HART0);
    expect(qts, "irq_intercept_out " HART1,
           "FAIL IRQ intercept already enabled");
    g_assert_false(qtest_get_irq(qts, IRQ_MTIP));

    /* mtimecmp <= mtime: MTIP rises at once; the IRQ line comes first. */
    expect(qts, "writeq 0x2004000 0xc350", "IRQ raise 7\nOK");
    g_assert_true(qtest_get_irq(qts, IRQ_MTIP));
    expect(qts, "clock_step", "OK 5000000");
    qtest_writeq(qts, CLINT_MTIMECMP0, UINT64_MAX);
    g_assert_false(qtest_get_irq(qts, IRQ_MTIP));

    /* Software interrupt through msip. */
    qtest_writel(qts, CLINT_MSIP0, 1);
    g_assert_true(qtest_get_irq(qts, IRQ_MSIP));
    g_assert_cmphex(qtest_readl(qts, CLINT_MSIP0), ==, 1);
    qtest_writel(qts, CLINT_MSIP0, 0);
    g_assert_false(qtest_get_irq(qts, IRQ_MSIP));
    qtest_quit(qts);
}

/* Transcript (c): clock_step without argument lands on the deadline. */
static void test_deadline_stepping(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);

    qtest_irq_intercept_in(qts, HART0);
    qtest_writeq(qts, CLINT_MTIMECMP0, INT64_MAX);
    g_assert_cmpint(qtest_clock_set(qts, 1000000), ==, 1000000);
    qtest_writeq(qts, CLINT_MTIMECMP0, 10500);
    g_assert_false(qtest_get_irq(qts, IRQ_MTIP));
    g_assert_cmpint(qtest_clock_step_next(qts), ==, 1050000);
    g_assert_true(qtest_get_irq(qts, IRQ_MTIP));
    g_assert_cmphex(qtest_readq(qts, CLINT_MTIME), ==, 10500);

    qtest_writeq(qts, CLINT_MTIMECMP0, 20000);
    g_assert_false(qtest_get_irq(qts, IRQ_MTIP));
    g_assert_cmpint(qtest_clock_step(qts, 900000), ==, 1950000);
    g_assert_false(qtest_get_irq(qts, IRQ_MTIP));
    g_assert_cmpint(qtest_clock_step(qts, 200000), ==, 2150000);
    g_assert_true(qtest_get_irq(qts, IRQ_MTIP));
    qtest_quit(qts);
}

/*
 * IRQ lines arrive before the reply of the command that caused them, and
 * only on a change of level; the cache starts low, so a line already high
 * before interception is reported at its next change only (MTIP is high
 * from reset: mtimecmp resets to 0).
 */
static void test_irq_line_order(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);

    qtest_irq_intercept_in(qts, HART0);
    expect(qts, "writeq 0x2004000 0x7fffffffffffffff", "OK");
    expect(qts, "writel 0x2000000 1", "IRQ raise 3\nOK");
    expect(qts, "writel 0x2000000 1", "OK");
    expect(qts, "writel 0x2000000 0", "IRQ lower 3\nOK");
    expect(qts, "clock_set 1000", "OK 1000");
    expect(qts, "writeq 0x2004000 5", "IRQ raise 7\nOK");
    expect(qts, "writeq 0x2004000 0xffffffffffffffff", "IRQ lower 7\nOK");
    qtest_quit(qts);
}

/* Transcript (d): PLIC outputs via set_irq_in + irq_intercept_out. */
static void test_plic_gpio(void)
{
    QTestState *qts = qtest_init(VIRT_ARGS);
    QDict *rsp;
    const char *plic;
    char *path;

    /* Find the PLIC by type: numbering under /unattached may shift. */
    rsp = qtest_qmp(qts, "{'execute': 'qom-list', 'arguments': "
                    "{'path': '/machine/unattached'}}");
    path = NULL;
    {
        QList *list = qdict_get_qlist(rsp, "return");
        QListEntry *e;

        QLIST_FOREACH_ENTRY(list, e) {
            QDict *prop = qobject_to(QDict, qlist_entry_obj(e));

            if (g_str_equal(qdict_get_str(prop, "type"),
                            "child<riscv.sifive.plic>")) {
                path = g_strdup_printf("/machine/unattached/%s",
                                       qdict_get_str(prop, "name"));
            }
        }
    }
    qobject_unref(rsp);
    g_assert_nonnull(path);
    plic = path;

    qtest_irq_intercept_out(qts, plic);
    qtest_writel(qts, 0xc000028, 1);         /* priority[10] = 1 */
    qtest_writel(qts, 0xc002000, 1 << 10);   /* context 0 enables 10 */
    qtest_writel(qts, 0xc200000, 0);         /* context 0 threshold 0 */
    qtest_set_irq_in(qts, plic, NULL, 10, 1);
    /* Output 2 is context 0 (hart 0 M-mode), after the S-mode lines. */
    g_assert_true(qtest_get_irq(qts, 2));
    g_assert_cmphex(qtest_readl(qts, 0xc001000), ==, 1 << 10);
    g_assert_cmpuint(qtest_readl(qts, 0xc200004), ==, 10);  /* claim */
    g_assert_false(qtest_get_irq(qts, 2));
    qtest_set_irq_in(qts, plic, "unnamed-gpio-in", 10, 0);
    qtest_writel(qts, 0xc200004, 10);        /* complete */
    g_assert_false(qtest_get_irq(qts, 2));
    g_free(path);
    qtest_quit(qts);
}

/* Under TCG (no qtest accelerator) the clock commands do not exist. */
static void test_clock_needs_qtest_accel(void)
{
    /* The first -accel is used; libqtest's "-accel qtest" comes last. */
    QTestState *qts = qtest_init(VIRT_ARGS " -S -accel tcg");

    expect(qts, "clock_step 1000000", "FAIL Unknown command 'clock_step'");
    expect(qts, "clock_set 1000000", "FAIL Unknown command 'clock_set'");
    expect(qts, "readb 0x10000005", "OK 0x0000000000000060");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("qtest/protocol/memory", test_memory_commands);
    qtest_add_func("qtest/protocol/board-reads", test_board_reads);
    qtest_add_func("qtest/protocol/libqtest-calls", test_libqtest_calls);
    qtest_add_func("qtest/protocol/malformed", test_malformed);
    qtest_add_func("qtest/protocol/clock", test_clock);
    qtest_add_func("qtest/protocol/intercept-harts", test_intercept_harts);
    qtest_add_func("qtest/protocol/deadline-stepping",
                   test_deadline_stepping);
    qtest_add_func("qtest/protocol/irq-line-order", test_irq_line_order);
    qtest_add_func("qtest/protocol/plic-gpio", test_plic_gpio);
    qtest_add_func("qtest/protocol/tcg-no-clock",
                   test_clock_needs_qtest_accel);
    return g_test_run();
}
