/*
 * test-plic.c: SiFive PLIC device model, configured as on virt with two
 * harts ("MS,MS": context 0 hart0 M, 1 hart0 S, 2 hart1 M, 3 hart1 S).
 * Output lines, as QEMU 7.2: 0 hart0 SEIP, 1 hart1 SEIP, 2 hart0 MEIP,
 * 3 hart1 MEIP.
 */
#include "device-test.h"
#include "qemu/log.h"
#include "hw/intc/sifive_plic.h"
#include "hw/riscv/virt.h"

#define PRIORITY(src)       (VIRT_PLIC_PRIORITY_BASE + 4 * (src))
#define PENDING(word)       (VIRT_PLIC_PENDING_BASE + 4 * (word))
#define ENABLE(ctx, word)   (VIRT_PLIC_ENABLE_BASE + \
                             (ctx) * VIRT_PLIC_ENABLE_STRIDE + 4 * (word))
#define THRESHOLD(ctx)      (VIRT_PLIC_CONTEXT_BASE + \
                             (ctx) * VIRT_PLIC_CONTEXT_STRIDE)
#define CLAIM(ctx)          (THRESHOLD(ctx) + 4)

enum { OUT_S0, OUT_S1, OUT_M0, OUT_M1 };

typedef struct PlicFixture {
    DeviceState *dev;
    AddressSpace *as;
    IrqProbe out;
} PlicFixture;

static void plic_setup(PlicFixture *f)
{
    static hwaddr next_base = 0x60000000;

    memset(&f->out, 0, sizeof(f->out));
    f->dev = sifive_plic_create(next_base, (char *)"MS,MS", 2, 0,
                                VIRT_IRQCHIP_NUM_SOURCES,
                                (1 << VIRT_IRQCHIP_NUM_PRIO_BITS) - 1,
                                VIRT_PLIC_PRIORITY_BASE,
                                VIRT_PLIC_PENDING_BASE,
                                VIRT_PLIC_ENABLE_BASE,
                                VIRT_PLIC_ENABLE_STRIDE,
                                VIRT_PLIC_CONTEXT_BASE,
                                VIRT_PLIC_CONTEXT_STRIDE,
                                VIRT_PLIC_SIZE(4));
    next_base += 0x1000000;
    dt_probe_gpio_out(&f->out, f->dev, 4);
    f->as = dt_private_as(SYS_BUS_DEVICE(f->dev), 0);
    device_cold_reset(f->dev);
}

static void set_source(PlicFixture *f, int src, int level)
{
    qemu_set_irq(qdev_get_gpio_in(f->dev, src), level);
}

/* The transcript of facts §3.3(d), plus the level re-assertion. */
static void test_claim_complete(void)
{
    PlicFixture f;

    plic_setup(&f);
    dt_wr32(f.as, PRIORITY(10), 1);
    dt_wr32(f.as, ENABLE(0, 0), 1 << 10);
    dt_wr32(f.as, THRESHOLD(0), 0);

    set_source(&f, 10, 1);
    g_assert_cmpint(f.out.level[OUT_M0], ==, 1);
    g_assert_cmphex(dt_rd32(f.as, PENDING(0)), ==, 0x400);

    /* Claim: source 10, pending cleared, output drops. */
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(0)), ==, 10);
    g_assert_cmpint(f.out.level[OUT_M0], ==, 0);
    g_assert_cmphex(dt_rd32(f.as, PENDING(0)), ==, 0);

    /* In service: nothing more to claim even though the line is high. */
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(0)), ==, 0);

    /* Complete with the line still high: requests again. */
    dt_wr32(f.as, CLAIM(0), 10);
    g_assert_cmphex(dt_rd32(f.as, PENDING(0)), ==, 0x400);
    g_assert_cmpint(f.out.level[OUT_M0], ==, 1);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(0)), ==, 10);

    /* Line low before completing: completion leaves it idle. */
    set_source(&f, 10, 0);
    dt_wr32(f.as, CLAIM(0), 10);
    g_assert_cmphex(dt_rd32(f.as, PENDING(0)), ==, 0);
    g_assert_cmpint(f.out.level[OUT_M0], ==, 0);
    g_assert_cmpint(f.out.raises[OUT_M0], ==, 2);
}

static void test_priority_order(void)
{
    PlicFixture f;

    plic_setup(&f);
    dt_wr32(f.as, PRIORITY(3), 2);
    dt_wr32(f.as, PRIORITY(5), 5);
    dt_wr32(f.as, PRIORITY(40), 5);
    dt_wr32(f.as, ENABLE(1, 0), (1 << 3) | (1 << 5));
    dt_wr32(f.as, ENABLE(1, 1), 1 << (40 - 32));
    set_source(&f, 40, 1);
    set_source(&f, 3, 1);
    set_source(&f, 5, 1);
    g_assert_cmpint(f.out.level[OUT_S0], ==, 1);
    g_assert_cmpint(f.out.level[OUT_M0], ==, 0);

    /* Highest priority first; equal priorities: lowest id first. */
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(1)), ==, 5);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(1)), ==, 40);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(1)), ==, 3);
    g_assert_cmpint(f.out.level[OUT_S0], ==, 0);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(1)), ==, 0);
}

static void test_threshold(void)
{
    PlicFixture f;

    plic_setup(&f);
    dt_wr32(f.as, PRIORITY(7), 3);
    dt_wr32(f.as, ENABLE(2, 0), 1 << 7);
    dt_wr32(f.as, THRESHOLD(2), 3);
    set_source(&f, 7, 1);

    /* Priority must exceed the threshold. */
    g_assert_cmpint(f.out.level[OUT_M1], ==, 0);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(2)), ==, 0);
    dt_wr32(f.as, THRESHOLD(2), 2);
    g_assert_cmpint(f.out.level[OUT_M1], ==, 1);
    g_assert_cmphex(dt_rd32(f.as, THRESHOLD(2)), ==, 2);

    /* Priority 0 never interrupts. */
    dt_wr32(f.as, PRIORITY(7), 0);
    dt_wr32(f.as, THRESHOLD(2), 0);
    g_assert_cmpint(f.out.level[OUT_M1], ==, 0);
}

static void test_context_lines(void)
{
    static const int line_of_ctx[4] = { OUT_M0, OUT_S0, OUT_M1, OUT_S1 };
    PlicFixture f;

    plic_setup(&f);
    dt_wr32(f.as, PRIORITY(1), 1);
    set_source(&f, 1, 1);
    for (int ctx = 0; ctx < 4; ctx++) {
        dt_wr32(f.as, ENABLE(ctx, 0), 1 << 1);
        for (int line = 0; line < 4; line++) {
            g_assert_cmpint(f.out.level[line], ==,
                            line == line_of_ctx[ctx]);
        }
        dt_wr32(f.as, ENABLE(ctx, 0), 0);
    }
}

static void test_enable_clear_lowers(void)
{
    PlicFixture f;

    plic_setup(&f);
    dt_wr32(f.as, PRIORITY(9), 1);
    dt_wr32(f.as, ENABLE(3, 0), 1 << 9);
    set_source(&f, 9, 1);
    g_assert_cmpint(f.out.level[OUT_S1], ==, 1);

    /* QEMU 7.2 kept the line high here; the output follows enables. */
    dt_wr32(f.as, ENABLE(3, 0), 0);
    g_assert_cmpint(f.out.level[OUT_S1], ==, 0);
}

static void test_level_withdraw(void)
{
    PlicFixture f;

    plic_setup(&f);
    dt_wr32(f.as, PRIORITY(12), 1);
    dt_wr32(f.as, ENABLE(0, 0), 1 << 12);
    set_source(&f, 12, 1);
    set_source(&f, 12, 0);
    g_assert_cmphex(dt_rd32(f.as, PENDING(0)), ==, 0);
    g_assert_cmpint(f.out.level[OUT_M0], ==, 0);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(0)), ==, 0);
}

static void test_complete_not_enabled(void)
{
    PlicFixture f;

    plic_setup(&f);
    dt_wr32(f.as, PRIORITY(4), 1);
    dt_wr32(f.as, ENABLE(0, 0), 1 << 4);
    set_source(&f, 4, 1);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(0)), ==, 4);

    /* Context 1 does not have source 4 enabled: ignored. */
    dt_wr32(f.as, CLAIM(1), 4);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(0)), ==, 0);
    dt_wr32(f.as, CLAIM(0), 4);
    g_assert_cmpuint(dt_rd32(f.as, CLAIM(0)), ==, 4);
}

static void test_registers(void)
{
    PlicFixture f;

    plic_setup(&f);

    /* 3 priority bits: values are masked to 7. */
    dt_wr32(f.as, PRIORITY(95), 0xff);
    g_assert_cmphex(dt_rd32(f.as, PRIORITY(95)), ==, 7);
    dt_wr32(f.as, THRESHOLD(0), 9);
    g_assert_cmphex(dt_rd32(f.as, THRESHOLD(0)), ==, 1);

    /* Pending is read-only; out-of-range registers read 0. */
    dt_wr32(f.as, PENDING(0), 0xffffffff);
    g_assert_cmphex(dt_rd32(f.as, PENDING(0)), ==, 0);
    dt_wr32(f.as, PRIORITY(96), 5);
    g_assert_cmphex(dt_rd32(f.as, PRIORITY(96)), ==, 0);
    dt_wr32(f.as, ENABLE(0, 3), 1);
    g_assert_cmphex(dt_rd32(f.as, ENABLE(0, 3)), ==, 0);
    g_assert_cmphex(dt_rd32(f.as, THRESHOLD(0) + 8), ==, 0);
    g_assert_cmphex(dt_rd32(f.as, THRESHOLD(4)), ==, 0);

    /* Enables read back; reset clears everything. */
    dt_wr32(f.as, ENABLE(3, 2), 0x80000001);
    g_assert_cmphex(dt_rd32(f.as, ENABLE(3, 2)), ==, 0x80000001);
    device_cold_reset(f.dev);
    g_assert_cmphex(dt_rd32(f.as, ENABLE(3, 2)), ==, 0);
    g_assert_cmphex(dt_rd32(f.as, PRIORITY(95)), ==, 0);
}

static void test_bad_hart_config(void)
{
    DeviceState *dev = qdev_new(TYPE_SIFIVE_PLIC);
    Error *err = NULL;

    qdev_prop_set_string(dev, "hart-config", "MS,MX");
    g_assert_false(sysbus_realize(SYS_BUS_DEVICE(dev), &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "invalid mode 'X'"));
    error_free(err);
    object_unref(OBJECT(dev));
}

static void test_hartid_base(void)
{
    DeviceState *dev = qdev_new(TYPE_SIFIVE_PLIC);
    SiFivePLICState *s = SIFIVE_PLIC(dev);

    /* A second socket: harts 4..5, contexts still numbered from 0. */
    qdev_prop_set_string(dev, "hart-config", "MS,MS");
    qdev_prop_set_uint32(dev, "hartid-base", 4);
    sysbus_realize(SYS_BUS_DEVICE(dev), &error_abort);
    g_assert_cmpuint(s->num_harts, ==, 2);
    g_assert_cmpuint(s->addr_config[3].hartid, ==, 5);
    g_assert_cmpint(s->addr_config[3].mode, ==, PLICMode_S);
    g_assert_nonnull(qdev_get_named_gpio_list(dev, NULL));
    g_assert_cmpint(qdev_get_named_gpio_list(dev, NULL)->num_out, ==, 4);
    g_assert_cmpint(qdev_get_named_gpio_list(dev, NULL)->num_in, ==, 96);
}

int main(int argc, char **argv)
{
    dt_init(&argc, &argv);
    g_test_add_func("/plic/claim-complete", test_claim_complete);
    g_test_add_func("/plic/priority-order", test_priority_order);
    g_test_add_func("/plic/threshold", test_threshold);
    g_test_add_func("/plic/context-lines", test_context_lines);
    g_test_add_func("/plic/enable-clear-lowers", test_enable_clear_lowers);
    g_test_add_func("/plic/level-withdraw", test_level_withdraw);
    g_test_add_func("/plic/complete-not-enabled",
                    test_complete_not_enabled);
    g_test_add_func("/plic/registers", test_registers);
    g_test_add_func("/plic/bad-hart-config", test_bad_hart_config);
    g_test_add_func("/plic/hartid-base", test_hartid_base);
    return g_test_run();
}
