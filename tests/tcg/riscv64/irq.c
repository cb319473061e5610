/*
 * Interrupts: CLINT timer (MTIP) and software (MSIP) interrupts, their
 * priority, wfi wake-up, interrupts taken from lower modes, delegated
 * supervisor interrupts and the Sstc stimecmp timer.
 */
#include "priv.h"

#define MENVCFG_STCE    (1UL << 63)
#define TIMEOUT_TICKS   10000000UL     /* 1 s at 10 MHz */

static volatile uint64_t irq_order[8];
static volatile int irq_n;

static uint64_t now(void)
{
    return mmio_read64(CLINT_MTIME);
}

/* Record the cause and silence the source at the device. */
static void record_hook(struct trap_frame *f, bool smode)
{
    uint64_t code = f->cause & 63;

    if (irq_n < 8) {
        irq_order[irq_n] = code | (smode ? 0x100 : 0);
    }
    irq_n++;
    switch (code) {
    case IRQ_M_SOFT:
        mmio_write32(CLINT_MSIP(0), 0);
        break;
    case IRQ_M_TIMER:
        mmio_write64(CLINT_MTIMECMP(0), -1UL);
        break;
    case IRQ_S_TIMER:
        csr_write(stimecmp, -1UL);
        break;
    case IRQ_S_SOFT:
        if (smode) {
            csr_clear(sip, MIP_SSIP);
        } else {
            csr_clear(mip, MIP_SSIP);
        }
        break;
    }
}

/* Without Sstc, M clears a supervisor timer interrupt through mip. */
static void stip_clearing_hook(struct trap_frame *f, bool smode)
{
    if ((f->cause & 63) == IRQ_S_TIMER && !smode) {
        csr_clear(mip, MIP_STIP);
        irq_order[irq_n++ & 7] = IRQ_S_TIMER;
        return;
    }
    record_hook(f, smode);
}

static void reset_irqs(void)
{
    irq_n = 0;
    for (int i = 0; i < 8; i++) {
        irq_order[i] = 0;
    }
    trap_reset();
    irq_hook = record_hook;
}

static bool wait_irqs(int n)
{
    uint64_t start = now();

    while (irq_n < n) {
        if (now() - start > TIMEOUT_TICKS) {
            return false;
        }
    }
    return true;
}

static void test_reset_state(void)
{
    /* mtimecmp resets to 0, so MTIP is pending from the start */
    CHECK(csr_read(mip) & MIP_MTIP);
    mmio_write64(CLINT_MTIMECMP(0), -1UL);
    CHECK_EQ(csr_read(mip) & MIP_MTIP, 0);
    CHECK_EQ(mmio_read64(CLINT_MTIMECMP(0)), -1UL);
    CHECK_EQ(mmio_read32(CLINT_MSIP(0)), 0);
}

static void test_timer(void)
{
    uint64_t start;

    reset_irqs();
    csr_write(mie, MIP_MTIP);
    start = now();
    mmio_write64(CLINT_MTIMECMP(0), start + TIMEOUT_TICKS);
    CHECK_EQ(csr_read(mip) & MIP_MTIP, 0);
    mmio_write64(CLINT_MTIMECMP(0), start + 20000);    /* 2 ms */
    csr_set(mstatus, MSTATUS_MIE);
    CHECK(wait_irqs(1));
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_order[0], IRQ_M_TIMER);
    CHECK_EQ(mtrap.cause, CAUSE_INTERRUPT | IRQ_M_TIMER);
    CHECK(now() >= start + 20000);
    CHECK_EQ(csr_read(mip) & MIP_MTIP, 0);
}

static void test_software(void)
{
    reset_irqs();
    csr_write(mie, MIP_MSIP);
    mmio_write32(CLINT_MSIP(0), 1);
    CHECK_EQ(mmio_read32(CLINT_MSIP(0)), 1);
    CHECK(csr_read(mip) & MIP_MSIP);
    CHECK_EQ(irq_n, 0);                 /* mstatus.MIE is clear */
    csr_set(mstatus, MSTATUS_MIE);
    CHECK(wait_irqs(1));
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_order[0], IRQ_M_SOFT);
    CHECK_EQ(csr_read(mip) & MIP_MSIP, 0);

    /* only bit 0 of msip is writable */
    mmio_write32(CLINT_MSIP(0), 0xfffffffe);
    CHECK_EQ(mmio_read32(CLINT_MSIP(0)), 0);
}

/* MSI outranks MTI when both are pending. */
static void test_priority(void)
{
    reset_irqs();
    csr_write(mie, MIP_MSIP | MIP_MTIP);
    mmio_write32(CLINT_MSIP(0), 1);
    mmio_write64(CLINT_MTIMECMP(0), 0);
    CHECK_EQ(csr_read(mip) & (MIP_MSIP | MIP_MTIP), MIP_MSIP | MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    CHECK(wait_irqs(2));
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_order[0], IRQ_M_SOFT);
    CHECK_EQ(irq_order[1], IRQ_M_TIMER);
}

/*
 * With nothing delegated, the specification orders MSI, MTI, SSI, STI.
 * QEMU 7.2 without AIA takes the lowest-numbered pending interrupt first
 * (SSI 1, MSI 3, STI 5, MTI 7); the checks follow QEMU.
 */
static void test_priority_all(void)
{
    reset_irqs();
    csr_write(menvcfg, 0);
    csr_write(mideleg, 0);
    csr_write(mie, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP);
    csr_set(mip, MIP_SSIP | MIP_STIP);
    mmio_write64(CLINT_MTIMECMP(0), 0);
    mmio_write32(CLINT_MSIP(0), 1);
    irq_hook = stip_clearing_hook;
    csr_set(mstatus, MSTATUS_MIE);
    CHECK(wait_irqs(4));
    csr_clear(mstatus, MSTATUS_MIE);
    CHECK_EQ(irq_order[0], IRQ_S_SOFT);
    CHECK_EQ(irq_order[1], IRQ_M_SOFT);
    CHECK_EQ(irq_order[2], IRQ_S_TIMER);
    CHECK_EQ(irq_order[3], IRQ_M_TIMER);
    csr_write(mie, 0);
}

/* wfi returns once an enabled interrupt is pending, even with MIE clear. */
static void test_wfi(void)
{
    uint64_t start;

    reset_irqs();
    csr_write(mie, MIP_MTIP);
    start = now();
    mmio_write64(CLINT_MTIMECMP(0), start + 10000);
    while (!(csr_read(mip) & MIP_MTIP)) {
        asm volatile("wfi");
    }
    CHECK(now() >= start + 10000);
    CHECK_EQ(irq_n, 0);
    mmio_write64(CLINT_MTIMECMP(0), -1UL);
    csr_write(mie, 0);
}

static uint64_t spin_until(uint64_t target)
{
    while (*(volatile int *)&irq_n < (int)target) {
    }
    return 0;
}

/* Machine interrupts preempt S and U whatever mstatus.MIE says. */
static void test_from_lower_modes(void)
{
    reset_irqs();
    csr_write(mie, MIP_MSIP);
    mmio_write32(CLINT_MSIP(0), 1);
    run_u(spin_until, 1);
    CHECK_EQ(irq_order[0], IRQ_M_SOFT);
    CHECK_EQ(mtrap.prev_priv, PRV_U);

    reset_irqs();
    mmio_write64(CLINT_MTIMECMP(0), now() + 1000);
    csr_write(mie, MIP_MTIP);
    run_s(spin_until, 1);
    CHECK_EQ(irq_order[0], IRQ_M_TIMER);
    CHECK_EQ(mtrap.prev_priv, PRV_S);
    csr_write(mie, 0);
}

static uint64_t s_enable_and_spin(uint64_t n)
{
    csr_set(sstatus, MSTATUS_SIE);
    spin_until(n);
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}

/* A delegated S timer raised by M through mip.STIP (no Sstc). */
static void s_timer_hook(struct trap_frame *f, bool smode)
{
    record_hook(f, smode);
}

static void test_delegated_stip(void)
{
    csr_write(stvec, (uint64_t)strap_entry);
    csr_write(mideleg, MIP_STIP | MIP_SSIP);
    csr_write(menvcfg, 0);
    reset_irqs();
    irq_hook = s_timer_hook;
    csr_write(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    run_s(s_enable_and_spin, 1);
    CHECK_EQ(irq_order[0], 0x100 | IRQ_S_SOFT);
    CHECK_EQ(strap.cause, CAUSE_INTERRUPT | IRQ_S_SOFT);
    CHECK_EQ(mtrap.count, 0);

    /* delegated interrupts are not taken while in M */
    reset_irqs();
    csr_set(mip, MIP_SSIP);
    csr_set(mstatus, MSTATUS_MIE | MSTATUS_SIE);
    for (volatile int i = 0; i < 1000; i++) {
    }
    csr_clear(mstatus, MSTATUS_MIE | MSTATUS_SIE);
    CHECK_EQ(irq_n, 0);
    csr_clear(mip, MIP_SSIP);
    csr_write(mie, 0);
}

static uint64_t s_read_stimecmp(uint64_t arg)
{
    return csr_read(stimecmp) + arg;
}

static uint64_t s_arm_stimecmp(uint64_t delta)
{
    uint64_t t;

    asm volatile("rdtime %0" : "=r"(t));
    csr_write(stimecmp, t + delta);
    csr_set(sie, MIP_STIP);
    return s_enable_and_spin(1);
}

/* Sstc: stimecmp drives STIP once menvcfg.STCE is set. */
static void test_sstc(void)
{
    csr_write(mcounteren, 7);
    csr_write(menvcfg, 0);
    trap_reset();
    run_s(s_read_stimecmp, 0);
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);

    csr_write(menvcfg, MENVCFG_STCE);
    CHECK(csr_read(menvcfg) & MENVCFG_STCE);
    trap_reset();
    run_s(s_read_stimecmp, 0);
    CHECK_EQ(mtrap.count, 0);

    /* stimecmp in M, then let S arm it */
    csr_write(stimecmp, -1UL);
    CHECK_EQ(csr_read(mip) & MIP_STIP, 0);
    csr_write(stimecmp, 0);
    CHECK(csr_read(mip) & MIP_STIP);
    csr_write(stimecmp, -1UL);

    csr_write(mideleg, MIP_STIP);
    reset_irqs();
    run_s(s_arm_stimecmp, 10000);
    CHECK_EQ(irq_order[0], 0x100 | IRQ_S_TIMER);
    CHECK_EQ(strap.cause, CAUSE_INTERRUPT | IRQ_S_TIMER);
    CHECK_EQ(csr_read(mip) & MIP_STIP, 0);
    csr_write(mideleg, 0);
    csr_write(sie, 0);
    csr_write(menvcfg, 0);
}

int main(void)
{
    pmp_allow_all();
    test_reset_state();
    test_timer();
    test_software();
    test_priority();
    test_priority_all();
    test_wfi();
    test_from_lower_modes();
    test_delegated_stip();
    test_sstc();
    irq_hook = 0;
    return 0;
}
