/*
 * Sv39 and Sv48 paging: every R/W/X/U combination for loads, stores and
 * fetches from S and U mode, A/D updates, misaligned superpages,
 * canonical addresses, SUM, MXR, MPRV and satp WARL behaviour.
 */
#include "priv.h"

#define PAGE_SIZE   4096UL
#define TEST_VA     0x40000000UL        /* 1 GiB slot 1, 4 KiB pages */
#define MEGA_VA     0x40200000UL        /* a 2 MiB leaf in slot 1 */
#define DATA_OFF    0x100

#define INSN_LI_A0_0x5A 0x05a00513
#define INSN_RET        0x00008067
#define MAGIC_VALUE     0x5a

/*
 * Sv57 root, Sv48 root, Sv39 root (= Sv48 level 2), level 1 and level 0
 * tables.
 */
static uint64_t root57[512] __attribute__((aligned(4096)));
static uint64_t root48[512] __attribute__((aligned(4096)));
static uint64_t root39[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l0[512] __attribute__((aligned(4096)));
static uint8_t tpage[4096] __attribute__((aligned(4096)));

static uint64_t pte_table(void *table)
{
    return ((uint64_t)table >> 12) << PTE_PPN_SHIFT | PTE_V;
}

static uint64_t pte_leaf(uint64_t pa, uint64_t perms)
{
    return (pa >> 12) << PTE_PPN_SHIFT | perms | PTE_V;
}

static void flush(void)
{
    asm volatile("sfence.vma" ::: "memory");
}

static void set_satp(uint64_t mode)
{
    void *root = mode == SATP_MODE_SV48 ? root48 : root39;

    csr_write(satp, mode << SATP_MODE_SHIFT | (uint64_t)root >> 12);
    flush();
}

/* Identity map RAM (slot 2) with or without U; slot 1 holds the tests. */
static void build_tables(bool user_code)
{
    uint64_t ram = PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;

    root39[2] = pte_leaf(0x80000000UL, ram | (user_code ? PTE_U : 0));
    root39[1] = pte_table(l1);
    l1[0] = pte_table(l0);
    root48[0] = pte_table(root39);
    flush();
}

static void set_test_pte(uint64_t perms)
{
    l0[0] = perms ? pte_leaf((uint64_t)tpage, perms) : 0;
    flush();
}

static uint64_t do_load(uint64_t va)
{
    return *(volatile uint64_t *)va;
}

static uint64_t do_store(uint64_t va)
{
    *(volatile uint64_t *)va = 0x1234;
    return 0;
}

static uint64_t do_exec(uint64_t va)
{
    return ((uint64_t (*)(void))va)();
}

enum access { ACC_LOAD, ACC_STORE, ACC_EXEC };

/* What the specification says an access through a leaf PTE does. */
static bool access_allowed(uint64_t perms, int prv, enum access acc,
                           uint64_t mstatus)
{
    bool r = perms & PTE_R, w = perms & PTE_W, x = perms & PTE_X;
    bool u = perms & PTE_U;

    if (!(perms & PTE_V) || (w && !r) || !(r || x)) {
        return false;
    }
    if (prv == PRV_U && !u) {
        return false;
    }
    if (prv == PRV_S && u && (acc == ACC_EXEC || !(mstatus & MSTATUS_SUM))) {
        return false;
    }
    switch (acc) {
    case ACC_LOAD:
        return r || (x && (mstatus & MSTATUS_MXR));
    case ACC_STORE:
        return w;
    default:
        return x;
    }
}

static uint64_t fault_cause(enum access acc)
{
    static const uint64_t causes[] = {
        CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT, CAUSE_FETCH_PAGE_FAULT
    };
    return causes[acc];
}

/* Run one access at TEST_VA and check it against the rule. */
static void check_access(uint64_t perms, int prv, enum access acc)
{
    static uint64_t (*const fns[])(uint64_t) = {
        do_load, do_store, do_exec
    };
    uint64_t va = TEST_VA + (acc == ACC_EXEC ? 0 : DATA_OFF);
    bool ok = access_allowed(perms | PTE_V, prv, acc, csr_read(mstatus));
    uint64_t r;

    *(volatile uint64_t *)(tpage + DATA_OFF) = 0x77;
    trap_reset();
    r = run_in_mode(prv, fns[acc], va);
    if (ok) {
        CHECK_EQ(mtrap.count, 0);
        if (acc == ACC_LOAD) {
            CHECK_EQ(r, 0x77);
        } else if (acc == ACC_STORE) {
            CHECK_EQ(*(volatile uint64_t *)(tpage + DATA_OFF), 0x1234);
        } else {
            CHECK_EQ(r, MAGIC_VALUE);
        }
    } else {
        CHECK_EQ(mtrap.cause, fault_cause(acc));
        CHECK_EQ(mtrap.tval, va);
    }
}

static void permission_matrix(uint64_t satp_mode)
{
    set_satp(satp_mode);
    for (int prv = PRV_U; prv <= PRV_S; prv++) {
        build_tables(prv == PRV_U);
        for (uint64_t bits = 0; bits < 16; bits++) {
            uint64_t perms = (bits << 1) | PTE_A | PTE_D | PTE_V;

            set_test_pte(perms);
            check_access(perms, prv, ACC_LOAD);
            check_access(perms, prv, ACC_STORE);
            check_access(perms, prv, ACC_EXEC);
        }
    }
    csr_write(satp, 0);
}

/* An invalid PTE faults every access, even with all permissions. */
static void test_invalid(void)
{
    set_satp(SATP_MODE_SV39);
    build_tables(true);
    l0[0] = pte_leaf((uint64_t)tpage, PTE_R | PTE_W | PTE_X | PTE_U) &
            ~PTE_V;
    flush();
    for (int acc = ACC_LOAD; acc <= ACC_EXEC; acc++) {
        trap_reset();
        run_u(acc == ACC_LOAD ? do_load : acc == ACC_STORE ? do_store
              : do_exec, TEST_VA);
        CHECK_EQ(mtrap.cause, fault_cause(acc));
    }
    csr_write(satp, 0);
}

/* SUM opens U pages to S loads and stores, never to S fetches. */
static void test_sum_mxr(void)
{
    set_satp(SATP_MODE_SV39);
    build_tables(false);
    csr_set(mstatus, MSTATUS_SUM);
    set_test_pte(PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
    check_access(PTE_R | PTE_W | PTE_X | PTE_U, PRV_S, ACC_LOAD);
    check_access(PTE_R | PTE_W | PTE_X | PTE_U, PRV_S, ACC_STORE);
    check_access(PTE_R | PTE_W | PTE_X | PTE_U, PRV_S, ACC_EXEC);
    csr_clear(mstatus, MSTATUS_SUM);

    /* MXR makes execute-only pages readable, in S and U */
    csr_set(mstatus, MSTATUS_MXR);
    set_test_pte(PTE_X | PTE_A | PTE_D);
    check_access(PTE_X, PRV_S, ACC_LOAD);
    CHECK_EQ(mtrap.count, 0);
    check_access(PTE_X, PRV_S, ACC_STORE);
    build_tables(true);
    set_test_pte(PTE_X | PTE_U | PTE_A | PTE_D);
    check_access(PTE_X | PTE_U, PRV_U, ACC_LOAD);
    CHECK_EQ(mtrap.count, 0);
    csr_clear(mstatus, MSTATUS_MXR);
    check_access(PTE_X | PTE_U, PRV_U, ACC_LOAD);
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);
    csr_write(satp, 0);
}

/* QEMU 7.2 sets A on any access and D on stores, without faulting. */
static void test_accessed_dirty(void)
{
    set_satp(SATP_MODE_SV39);
    build_tables(false);
    set_test_pte(PTE_R | PTE_W);
    trap_reset();
    run_s(do_load, TEST_VA + DATA_OFF);
    CHECK_EQ(mtrap.count, 0);
    CHECK_EQ(l0[0] & (PTE_A | PTE_D), PTE_A);
    run_s(do_store, TEST_VA + DATA_OFF);
    CHECK_EQ(mtrap.count, 0);
    CHECK_EQ(l0[0] & (PTE_A | PTE_D), PTE_A | PTE_D);

    /* a faulting store sets neither */
    set_test_pte(PTE_R);
    run_s(do_store, TEST_VA + DATA_OFF);
    CHECK_EQ(mtrap.cause, CAUSE_STORE_PAGE_FAULT);
    CHECK_EQ(l0[0] & (PTE_A | PTE_D), 0);

    /* a fetch sets A only */
    set_test_pte(PTE_X);
    trap_reset();
    CHECK_EQ(run_s(do_exec, TEST_VA), MAGIC_VALUE);
    CHECK_EQ(l0[0] & (PTE_A | PTE_D), PTE_A);
    csr_write(satp, 0);
}

static void test_superpages(void)
{
    uint64_t perms = PTE_R | PTE_W | PTE_A | PTE_D;

    set_satp(SATP_MODE_SV39);
    build_tables(false);

    /* an aligned 2 MiB leaf maps RAM */
    l1[1] = pte_leaf(0x80000000UL, perms);
    flush();
    trap_reset();
    CHECK_EQ(run_s(do_load, MEGA_VA + ((uint64_t)tpage - 0x80000000UL)
                   + DATA_OFF), *(volatile uint64_t *)(tpage + DATA_OFF));
    CHECK_EQ(mtrap.count, 0);

    /* a 2 MiB leaf whose PPN[0] is not zero is misaligned: page fault */
    l1[1] = pte_leaf(0x80001000UL, perms);
    flush();
    trap_reset();
    run_s(do_load, MEGA_VA);
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);
    CHECK_EQ(mtrap.tval, MEGA_VA);

    /* the same for a 1 GiB leaf */
    root39[3] = pte_leaf(0x80200000UL, perms);
    flush();
    trap_reset();
    run_s(do_store, 0xc0000000UL);
    CHECK_EQ(mtrap.cause, CAUSE_STORE_PAGE_FAULT);
    root39[3] = 0;

    /* a non-leaf entry at level 0 is a fault too */
    l0[0] = pte_table(l0);
    flush();
    trap_reset();
    run_s(do_load, TEST_VA);
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);
    l1[1] = 0;
    csr_write(satp, 0);
}

static void test_canonical(void)
{
    /* bit 39 set but bit 38 clear: not canonical for Sv39 */
    uint64_t va = 0x0000008000000000UL | TEST_VA;
    uint64_t perms = PTE_R | PTE_W | PTE_A | PTE_D;

    build_tables(false);
    set_test_pte(perms);
    root48[1] = pte_table(root39);
    flush();

    set_satp(SATP_MODE_SV39);
    trap_reset();
    run_s(do_load, va + DATA_OFF);
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);
    CHECK_EQ(mtrap.tval, va + DATA_OFF);
    trap_reset();
    run_s(do_load, 0xffffffc000000000UL | TEST_VA);
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);

    /* the same address is canonical and mapped under Sv48 */
    set_satp(SATP_MODE_SV48);
    trap_reset();
    *(volatile uint64_t *)(tpage + DATA_OFF) = 0x99;
    CHECK_EQ(run_s(do_load, va + DATA_OFF), 0x99);
    CHECK_EQ(mtrap.count, 0);
    trap_reset();
    run_s(do_load, 0x0000800000000000UL | TEST_VA);
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);
    root48[1] = 0;
    csr_write(satp, 0);
}

/* MPRV makes M-mode loads and stores use MPP's translation. */
static void test_mprv(void)
{
    uint64_t r;

    set_satp(SATP_MODE_SV39);
    build_tables(false);
    set_test_pte(PTE_R | PTE_W | PTE_A | PTE_D);
    *(volatile uint64_t *)(tpage + DATA_OFF) = 0xabc;

    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, (PRV_S << 11) | MSTATUS_MPRV);
    r = *(volatile uint64_t *)(TEST_VA + DATA_OFF);
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK_EQ(r, 0xabc);

    /* a U page with MPP = S and SUM = 0 faults */
    set_test_pte(PTE_R | PTE_W | PTE_U | PTE_A | PTE_D);
    trap_reset();
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, (PRV_S << 11) | MSTATUS_MPRV);
    r = *(volatile uint64_t *)(TEST_VA + DATA_OFF);
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);

    /* MPRV with MPP = M translates nothing */
    csr_set(mstatus, MSTATUS_MPP | MSTATUS_MPRV);
    r = *(volatile uint64_t *)(tpage + DATA_OFF);
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK_EQ(r, 0xabc);

    /* fetches ignore MPRV: M keeps running untranslated code */
    trap_reset();
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, (PRV_U << 11) | MSTATUS_MPRV);
    asm volatile("nop");
    csr_clear(mstatus, MSTATUS_MPRV);
    CHECK_EQ(mtrap.count, 0);
    csr_write(satp, 0);
}

/* satp is WARL: an unsupported mode leaves the whole register unchanged. */
static void test_satp_warl(void)
{
    uint64_t sv39 = SATP_MODE_SV39 << SATP_MODE_SHIFT |
                    (uint64_t)root39 >> 12;

    csr_write(satp, sv39);
    CHECK_EQ(csr_read(satp), sv39);
    csr_write(satp, 5UL << SATP_MODE_SHIFT | 1);
    CHECK_EQ(csr_read(satp), sv39);
    csr_write(satp, 15UL << SATP_MODE_SHIFT | 1);
    CHECK_EQ(csr_read(satp), sv39);
    csr_write(satp, SATP_MODE_SV48 << SATP_MODE_SHIFT |
                    (uint64_t)root48 >> 12);
    CHECK_EQ(csr_read(satp) >> SATP_MODE_SHIFT, SATP_MODE_SV48);
    csr_write(satp, 0);
    CHECK_EQ(csr_read(satp), 0);
}

/*
 * QEMU 7.2's rv64 accepts Sv57 in satp (although its device tree says
 * riscv,sv48), and translates with five levels.
 */
static void test_sv57(void)
{
    uint64_t va = 0x0001000000000000UL | TEST_VA;     /* bit 48 set */

    build_tables(false);
    set_test_pte(PTE_R | PTE_W | PTE_A | PTE_D);
    root57[0] = pte_table(root48);
    root57[1] = pte_table(root48);
    csr_write(satp, SATP_MODE_SV57 << SATP_MODE_SHIFT |
                    (uint64_t)root57 >> 12);
    flush();
    CHECK_EQ(csr_read(satp) >> SATP_MODE_SHIFT, SATP_MODE_SV57);
    *(volatile uint64_t *)(tpage + DATA_OFF) = 0x57;
    trap_reset();
    CHECK_EQ(run_s(do_load, TEST_VA + DATA_OFF), 0x57);
    CHECK_EQ(run_s(do_load, va + DATA_OFF), 0x57);
    CHECK_EQ(mtrap.count, 0);
    run_s(do_load, 0x0100000000000000UL | TEST_VA);  /* not canonical */
    CHECK_EQ(mtrap.cause, CAUSE_LOAD_PAGE_FAULT);
    csr_write(satp, 0);
}

/* Page faults delegated to S arrive with scause and stval. */
static void test_delegated_faults(void)
{
    csr_write(stvec, (uint64_t)strap_entry);
    csr_write(medeleg, (1UL << CAUSE_LOAD_PAGE_FAULT) |
                       (1UL << CAUSE_STORE_PAGE_FAULT) |
                       (1UL << CAUSE_FETCH_PAGE_FAULT));
    set_satp(SATP_MODE_SV39);
    build_tables(false);
    set_test_pte(0);
    for (int acc = ACC_LOAD; acc <= ACC_EXEC; acc++) {
        uint64_t va = TEST_VA + 0x10 * acc;

        trap_reset();
        run_s(acc == ACC_LOAD ? do_load : acc == ACC_STORE ? do_store
              : do_exec, va);
        CHECK_EQ(mtrap.count, 0);
        CHECK_EQ(strap.cause, fault_cause(acc));
        CHECK_EQ(strap.tval, va);
        CHECK_EQ(strap.prev_priv, PRV_S);
    }
    csr_write(medeleg, 0);
    csr_write(satp, 0);
}

int main(void)
{
    uint32_t *code = (uint32_t *)tpage;

    pmp_allow_all();
    code[0] = INSN_LI_A0_0x5A;
    code[1] = INSN_RET;
    asm volatile("fence.i" ::: "memory");

    permission_matrix(SATP_MODE_SV39);
    permission_matrix(SATP_MODE_SV48);
    test_invalid();
    test_sum_mxr();
    test_accessed_dirty();
    test_superpages();
    test_canonical();
    test_mprv();
    test_satp_warl();
    test_sv57();
    test_delegated_faults();
    return 0;
}
