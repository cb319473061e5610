/*
 * plic-test.c: the PLIC of the virt board under qtest.  Sources are
 * driven with set_irq_in on the PLIC's unnamed inputs; the context
 * outputs are watched with irq_intercept_out.  With -smp 2 the outputs
 * are [S hart0, S hart1, M hart0, M hart1] and contexts 0..3 are
 * hart0 M, hart0 S, hart1 M, hart1 S (QEMU 7.2's layout).
 */
#include "qemu/osdep.h"
#include "libqtest.h"
#include "riscv-virt.h"

#define PLIC_PRIORITY(src)      (VIRT_PLIC_BASE + 4 * (src))
#define PLIC_PENDING            (VIRT_PLIC_BASE + 0x1000)
#define PLIC_ENABLE(ctx)        (VIRT_PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx)     (VIRT_PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)         (PLIC_THRESHOLD(ctx) + 4)

/* Output line of each context with -smp 2. */
static const int ctx_line[] = { 2, 0, 3, 1 };

typedef struct Plic {
    QTestState *qts;
    char *path;
} Plic;

static void plic_start(Plic *p)
{
    p->qts = qtest_init("-M virt -smp 2 -nodefaults");
    p->path = virt_find_device(p->qts, "/machine/unattached",
                               "riscv.sifive.plic");
    g_assert_nonnull(p->path);
    qtest_irq_intercept_out(p->qts, p->path);
}

static void plic_end(Plic *p)
{
    qtest_quit(p->qts);
    g_free(p->path);
}

static void set_source(Plic *p, int src, int level)
{
    qtest_set_irq_in(p->qts, p->path, NULL, src, level);
}

static bool ctx_out(Plic *p, int ctx)
{
    return qtest_get_irq(p->qts, ctx_line[ctx]);
}

/* Claim order: highest priority first; equal priorities by lowest id. */
static void test_priorities(void)
{
    Plic p;

    plic_start(&p);
    qtest_writel(p.qts, PLIC_PRIORITY(5), 1);
    qtest_writel(p.qts, PLIC_PRIORITY(9), 3);
    qtest_writel(p.qts, PLIC_PRIORITY(12), 3);
    qtest_writel(p.qts, PLIC_ENABLE(0), 1 << 5 | 1 << 9 | 1 << 12);
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_PRIORITY(9)), ==, 3);

    /* Priorities are 3 bits. */
    qtest_writel(p.qts, PLIC_PRIORITY(20), 0xff);
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_PRIORITY(20)), ==, 7);

    set_source(&p, 5, 1);
    set_source(&p, 12, 1);
    set_source(&p, 9, 1);
    g_assert_true(ctx_out(&p, 0));
    g_assert_cmphex(qtest_readl(p.qts, PLIC_PENDING), ==,
                    1 << 5 | 1 << 9 | 1 << 12);
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(0)), ==, 9);
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(0)), ==, 12);
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(0)), ==, 5);
    g_assert_false(ctx_out(&p, 0));
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(0)), ==, 0);
    plic_end(&p);
}

/* Only priorities above the threshold interrupt; priority 0 never. */
static void test_threshold(void)
{
    Plic p;

    plic_start(&p);
    qtest_writel(p.qts, PLIC_PRIORITY(10), 2);
    qtest_writel(p.qts, PLIC_ENABLE(0), 1 << 10);
    qtest_writel(p.qts, PLIC_THRESHOLD(0), 2);
    set_source(&p, 10, 1);
    g_assert_false(ctx_out(&p, 0));
    g_assert_cmphex(qtest_readl(p.qts, PLIC_PENDING), ==, 1 << 10);
    qtest_writel(p.qts, PLIC_THRESHOLD(0), 1);
    g_assert_true(ctx_out(&p, 0));
    qtest_writel(p.qts, PLIC_PRIORITY(10), 0);
    g_assert_false(ctx_out(&p, 0));
    qtest_writel(p.qts, PLIC_PRIORITY(10), 7);
    g_assert_true(ctx_out(&p, 0));

    /* Disabling the source lowers the output at once. */
    qtest_writel(p.qts, PLIC_ENABLE(0), 0);
    g_assert_false(ctx_out(&p, 0));
    plic_end(&p);
}

/*
 * Claim clears pending and holds the source until complete; a line
 * still high then makes it pending again (level gateway).
 */
static void test_claim_complete(void)
{
    Plic p;

    plic_start(&p);
    qtest_writel(p.qts, PLIC_PRIORITY(10), 1);
    qtest_writel(p.qts, PLIC_ENABLE(0), 1 << 10);
    set_source(&p, 10, 1);
    g_assert_true(ctx_out(&p, 0));
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(0)), ==, 10);
    g_assert_false(ctx_out(&p, 0));
    g_assert_cmphex(qtest_readl(p.qts, PLIC_PENDING), ==, 0);

    /* In service: toggling the line does not re-pend it. */
    set_source(&p, 10, 0);
    set_source(&p, 10, 1);
    g_assert_false(ctx_out(&p, 0));
    qtest_writel(p.qts, PLIC_CLAIM(0), 10);
    g_assert_true(ctx_out(&p, 0));
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(0)), ==, 10);

    /* Line low at complete: nothing more. */
    set_source(&p, 10, 0);
    qtest_writel(p.qts, PLIC_CLAIM(0), 10);
    g_assert_false(ctx_out(&p, 0));
    g_assert_cmphex(qtest_readl(p.qts, PLIC_PENDING), ==, 0);
    plic_end(&p);
}

/* Each context drives its own hart line; enables are per context. */
static void test_contexts(void)
{
    Plic p;
    int ctx;

    plic_start(&p);
    qtest_writel(p.qts, PLIC_PRIORITY(3), 1);
    set_source(&p, 3, 1);
    for (ctx = 0; ctx < 4; ctx++) {
        int other;

        qtest_writel(p.qts, PLIC_ENABLE(ctx), 1 << 3);
        for (other = 0; other < 4; other++) {
            g_assert_cmpint(ctx_out(&p, other), ==, other == ctx);
        }
        qtest_writel(p.qts, PLIC_ENABLE(ctx), 0);
    }

    /* A context claims only what it has enabled. */
    qtest_writel(p.qts, PLIC_ENABLE(3), 1 << 3);
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(1)), ==, 0);
    g_assert_cmpuint(qtest_readl(p.qts, PLIC_CLAIM(3)), ==, 3);
    plic_end(&p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("plic/priorities", test_priorities);
    qtest_add_func("plic/threshold", test_threshold);
    qtest_add_func("plic/claim-complete", test_claim_complete);
    qtest_add_func("plic/contexts", test_contexts);
    return g_test_run();
}
