/*
 * test-virt-devices.c: the virt board's devices created with their
 * helpers at QEMU 7.2's addresses (one socket, two harts), checked the
 * way users and qtest see them: "info mtree" lines, QOM paths and the
 * GPIO numbering that qtest's irq_intercept_out reports.
 */
#include "device-test.h"
#include "hw/char/serial.h"
#include "hw/intc/riscv_aclint.h"
#include "hw/intc/sifive_plic.h"
#include "hw/misc/sifive_test.h"
#include "hw/rtc/goldfish_rtc.h"
#include "hw/riscv/virt.h"
#include "sysemu/reset.h"

static DeviceState *plic, *swi, *mtimer, *finisher, *rtc;
static int intercepted[8];

static void build_board(void)
{
    hwaddr clint = virt_clint_base(0);

    swi = riscv_aclint_swi_create(clint, 0, 2, false);
    mtimer = riscv_aclint_mtimer_create(clint + RISCV_ACLINT_SWI_SIZE,
                                        RISCV_ACLINT_DEFAULT_MTIMER_SIZE,
                                        0, 2, RISCV_ACLINT_DEFAULT_MTIMECMP,
                                        RISCV_ACLINT_DEFAULT_MTIME,
                                        VIRT_TIMEBASE_FREQ, true);
    plic = sifive_plic_create(virt_plic_base(0), (char *)"MS,MS", 2, 0,
                              VIRT_IRQCHIP_NUM_SOURCES,
                              (1 << VIRT_IRQCHIP_NUM_PRIO_BITS) - 1,
                              VIRT_PLIC_PRIORITY_BASE,
                              VIRT_PLIC_PENDING_BASE,
                              VIRT_PLIC_ENABLE_BASE,
                              VIRT_PLIC_ENABLE_STRIDE,
                              VIRT_PLIC_CONTEXT_BASE,
                              VIRT_PLIC_CONTEXT_STRIDE,
                              virt_memmap[VIRT_PLIC].size);
    finisher = sifive_test_create(virt_memmap[VIRT_TEST].base);
    serial_mm_init(get_system_memory(), virt_memmap[VIRT_UART0].base, 0,
                   qdev_get_gpio_in(plic, UART0_IRQ), 399193, NULL,
                   DEVICE_LITTLE_ENDIAN);
    rtc = goldfish_rtc_create(virt_memmap[VIRT_RTC].base,
                              qdev_get_gpio_in(plic, RTC_IRQ));
}

static void test_mtree(void)
{
    static const char *const lines[] = {
        "0000000000100000-0000000000100fff (prio 0, i/o): riscv.sifive.test",
        "0000000000101000-0000000000101023 (prio 0, i/o): goldfish_rtc",
        "0000000002000000-0000000002003fff (prio 0, i/o): riscv.aclint.swi",
        "0000000002004000-000000000200bfff (prio 0, i/o): "
        "riscv.aclint.mtimer",
        "000000000c000000-000000000c5fffff (prio 0, i/o): riscv.sifive.plic",
        "0000000010000000-0000000010000007 (prio 0, i/o): serial",
    };
    g_autofree char *tree = memory_mtree_info(false);

    for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
        g_assert_nonnull(strstr(tree, lines[i]));
    }
}

static void test_system_memory_access(void)
{
    /* facts §3.3(a)/(b): LSR through system memory, mtime 0 at reset. */
    qemu_devices_reset();
    g_assert_cmphex(dt_rd8(&address_space_memory, 0x10000005), ==, 0x60);
    g_assert_cmphex(dt_rd64(&address_space_memory, 0x200bff8), ==, 0);
    dt_step_ns(1000000);
    g_assert_cmphex(dt_rd64(&address_space_memory, 0x200bff8), ==, 10000);
}

static void test_qom_paths(void)
{
    static const struct {
        DeviceState **dev;
        const char *type;
    } devs[] = {
        { &swi, "riscv.aclint.swi" },
        { &mtimer, "riscv.aclint.mtimer" },
        { &plic, "riscv.sifive.plic" },
        { &finisher, "riscv.sifive.test" },
        { &rtc, "goldfish_rtc" },
    };

    /* Unattached devices, numbered in creation order, as on 7.2. */
    for (size_t i = 0; i < G_N_ELEMENTS(devs); i++) {
        g_autofree char *path =
            object_get_canonical_path(OBJECT(*devs[i].dev));

        g_assert_true(g_str_has_prefix(path, "/machine/unattached/device["));
        g_assert_cmpstr(object_get_typename(OBJECT(*devs[i].dev)), ==,
                        devs[i].type);
    }
}

static void record_out(void *opaque, int n, int level)
{
    intercepted[n] = level;
}

/* facts §3.3(d): what qtest's irq_intercept_out on the PLIC reports. */
static void test_plic_intercept(void)
{
    AddressSpace *as = &address_space_memory;
    hwaddr base = virt_plic_base(0);

    g_assert_true(qdev_intercept_gpio_out(plic, record_out, NULL));
    dt_wr32(as, base + 4 * 10, 1);
    dt_wr32(as, base + VIRT_PLIC_ENABLE_BASE, 1 << 10);
    dt_wr32(as, base + VIRT_PLIC_CONTEXT_BASE, 0);
    qemu_set_irq(qdev_get_gpio_in(plic, 10), 1);
    g_assert_cmpint(intercepted[2], ==, 1);     /* context 0: line 2 */
    g_assert_cmphex(dt_rd32(as, base + VIRT_PLIC_PENDING_BASE), ==, 0x400);
    g_assert_cmpuint(dt_rd32(as, base + VIRT_PLIC_CONTEXT_BASE + 4), ==,
                     10);
    g_assert_cmpint(intercepted[2], ==, 0);
    qemu_set_irq(qdev_get_gpio_in(plic, 10), 0);
    dt_wr32(as, base + VIRT_PLIC_CONTEXT_BASE + 4, 10);

    /* The UART's interrupt reaches PLIC source 10. */
    dt_wr8(as, virt_memmap[VIRT_UART0].base + 1, 0x02);    /* ETBEI */
    g_assert_cmpint(intercepted[2], ==, 1);
    g_assert_cmpuint(dt_rd32(as, base + VIRT_PLIC_CONTEXT_BASE + 4), ==,
                     UART0_IRQ);
}

int main(int argc, char **argv)
{
    dt_init(&argc, &argv);
    build_board();
    g_test_add_func("/virt-devices/mtree", test_mtree);
    g_test_add_func("/virt-devices/system-memory",
                    test_system_memory_access);
    g_test_add_func("/virt-devices/qom-paths", test_qom_paths);
    g_test_add_func("/virt-devices/plic-intercept", test_plic_intercept);
    return g_test_run();
}
