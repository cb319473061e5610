/*
 * PMP: TOR, NA4 and NAPOT regions, priority between entries, M-mode
 * exemption for unlocked entries and locking.
 */
#include "priv.h"

static uint8_t tpage[4096] __attribute__((aligned(4096)));

#define INSN_LI_A0_7    0x00700513
#define INSN_RET        0x00008067

static uint64_t do_load(uint64_t pa)
{
    return *(volatile uint64_t *)pa;
}

static uint64_t do_store(uint64_t pa)
{
    *(volatile uint64_t *)pa = 0x55;
    return 0;
}

static uint64_t do_exec(uint64_t pa)
{
    return ((uint64_t (*)(void))pa)();
}

static uint64_t napot(uint64_t base, uint64_t size)
{
    return (base >> 2) | ((size >> 3) - 1);
}

static uint64_t cfg_byte(int entry, uint64_t cfg)
{
    return cfg << (8 * (entry & 7));
}

static uint64_t u_cause(uint64_t (*fn)(uint64_t), uint64_t pa)
{
    trap_reset();
    run_u(fn, pa);
    return mtrap.count ? mtrap.cause : ~0UL;
}

/*
 * Layout: entry 0 NA4 (no access) at +0x100, entry 1 NAPOT (RW) 256
 * bytes at +0x200, entries 2/3 TOR (R) over the page, entry 15 RWX for
 * everything else.
 */
static void setup(uint64_t base)
{
    csr_write(pmpaddr0, (base + 0x100) >> 2);
    csr_write(pmpaddr1, napot(base + 0x200, 0x100));
    csr_write(pmpaddr2, base >> 2);
    csr_write(pmpaddr3, (base + 4096) >> 2);
    csr_write(pmpcfg0, cfg_byte(0, PMP_A_NA4) |
                       cfg_byte(1, PMP_A_NAPOT | PMP_R | PMP_W) |
                       cfg_byte(2, PMP_A_OFF) |
                       cfg_byte(3, PMP_A_TOR | PMP_R));
    asm volatile("sfence.vma" ::: "memory");
}

static void test_regions(void)
{
    uint64_t base = (uint64_t)tpage;

    setup(base);
    CHECK_EQ(csr_read(pmpaddr0), (base + 0x100) >> 2);
    CHECK_EQ(csr_read(pmpcfg0) & 0xffffffff,
             cfg_byte(0, PMP_A_NA4) |
             cfg_byte(1, PMP_A_NAPOT | PMP_R | PMP_W) |
             cfg_byte(3, PMP_A_TOR | PMP_R));

    /* NA4: four bytes with no access */
    CHECK_EQ(u_cause(do_load, base + 0x100), CAUSE_LOAD_ACCESS);
    CHECK_EQ(mtrap.tval, base + 0x100);
    CHECK_EQ(u_cause(do_store, base + 0x100), CAUSE_STORE_ACCESS);
    /* next word falls through to the TOR entry: read-only */
    CHECK_EQ(u_cause(do_load, base + 0x108), ~0UL);
    CHECK_EQ(u_cause(do_store, base + 0x108), CAUSE_STORE_ACCESS);
    /* NAPOT: read-write */
    CHECK_EQ(u_cause(do_store, base + 0x200), ~0UL);
    CHECK_EQ(*(volatile uint64_t *)(tpage + 0x200), 0x55);
    CHECK_EQ(u_cause(do_store, base + 0x2f8), ~0UL);
    CHECK_EQ(u_cause(do_store, base + 0x300), CAUSE_STORE_ACCESS);
    CHECK_EQ(u_cause(do_load, base + 0x2f8), ~0UL);
    /* TOR lacks X */
    CHECK_EQ(u_cause(do_exec, base), CAUSE_FETCH_ACCESS);
    CHECK_EQ(mtrap.tval, base);
    CHECK_EQ(u_cause(do_load, base + 0xff8), ~0UL);
    /* above the TOR top: entry 15 allows execution */
    CHECK_EQ(u_cause(do_load, base + 0x1000), ~0UL);

    /* unlocked entries do not bind M-mode */
    trap_reset();
    *(volatile uint32_t *)(tpage + 0x100) = 1;
    CHECK_EQ(*(volatile uint32_t *)(tpage + 0x100), 1);
    CHECK_EQ(mtrap.count, 0);

    /*
     * but an access that only partly matches an entry fails, whatever
     * the privilege: 8 bytes over the 4-byte NA4 region
     */
    trap_reset();
    *(volatile uint64_t *)(tpage + 0x100) = 2;
    CHECK_EQ(mtrap.cause, CAUSE_STORE_ACCESS);
    CHECK_EQ(*(volatile uint32_t *)(tpage + 0x100), 1);

    /* an access straddling two regions with different rights faults */
    CHECK_EQ(u_cause(do_load, base + 0xfc), CAUSE_LOAD_ACCESS);
}

/* S-mode is checked the same way as U-mode. */
static void test_smode(void)
{
    uint64_t base = (uint64_t)tpage;

    trap_reset();
    run_s(do_store, base + 0x108);
    CHECK_EQ(mtrap.cause, CAUSE_STORE_ACCESS);
    trap_reset();
    CHECK_EQ(run_s(do_load, base + 0x200), 0x55);
    CHECK_EQ(mtrap.count, 0);
}

/* Entry 4 with X only holds code for U; the TOR entries are dropped. */
static void test_exec_only(void)
{
    uint64_t code = (uint64_t)tpage + 0x800;
    uint32_t *insn = (uint32_t *)code;

    csr_clear(pmpcfg0, cfg_byte(2, 0xff) | cfg_byte(3, 0xff));

    insn[0] = INSN_LI_A0_7;
    insn[1] = INSN_RET;
    asm volatile("fence.i" ::: "memory");
    csr_write(pmpaddr4, napot(code, 8));
    csr_set(pmpcfg0, cfg_byte(4, PMP_A_NAPOT | PMP_X));
    trap_reset();
    CHECK_EQ(run_u(do_exec, code), 7);
    CHECK_EQ(mtrap.count, 0);
    CHECK_EQ(u_cause(do_load, code), CAUSE_LOAD_ACCESS);
}

/* A locked entry binds M-mode and ignores writes until reset. */
static void test_lock(void)
{
    uint64_t base = (uint64_t)tpage + 0x400;
    uint64_t r;

    csr_write(pmpaddr5, napot(base, 8));
    csr_set(pmpcfg0, cfg_byte(5, PMP_A_NAPOT | PMP_R | PMP_L));
    trap_reset();
    r = *(volatile uint64_t *)base;
    CHECK_EQ(mtrap.count, 0);
    *(volatile uint64_t *)base = r + 1;
    CHECK_EQ(mtrap.cause, CAUSE_STORE_ACCESS);
    CHECK_EQ(mtrap.tval, base);

    /* writes to a locked entry's address and config are ignored */
    csr_write(pmpaddr5, 0);
    CHECK_EQ(csr_read(pmpaddr5), napot(base, 8));
    csr_clear(pmpcfg0, cfg_byte(5, 0xff));
    CHECK_EQ((csr_read(pmpcfg0) >> 40) & 0xff, PMP_A_NAPOT | PMP_R | PMP_L);

    /* but other entries in the same pmpcfg register still change */
    csr_clear(pmpcfg0, cfg_byte(4, 0xff));
    CHECK_EQ((csr_read(pmpcfg0) >> 32) & 0xff, 0);

    /* locking a TOR entry locks the address below it too */
    csr_write(pmpaddr6, (uint64_t)tpage >> 2);
    csr_write(pmpaddr7, ((uint64_t)tpage + 0x40) >> 2);
    csr_set(pmpcfg0, cfg_byte(7, PMP_A_TOR | PMP_R | PMP_W | PMP_L));
    csr_write(pmpaddr6, 0);
    CHECK_EQ(csr_read(pmpaddr6), (uint64_t)tpage >> 2);
}

int main(void)
{
    pmp_allow_all();
    test_regions();
    test_smode();
    test_exec_only();
    test_lock();
    return 0;
}
