/*
 * cpu_helper.c: traps, interrupts, address translation (Sv39/Sv48), PMP,
 * the software TLB and the memory slow paths.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "internals.h"

/* ---- Software TLB ---- */

void riscv_tlb_flush(CPURISCVState *env)
{
    memset(env->tlb, 0xff, sizeof(env->tlb));
    env->tlb_large_lo = UINT64_MAX;
    env->tlb_large_hi = 0;
    riscv_tb_gen_bump(env);
}

/*
 * Superpages are cached as 4 KiB entries anywhere in the table, so a
 * flush of an address inside a superpage range we cached flushes all.
 */
void riscv_tlb_flush_page(CPURISCVState *env, uint64_t va)
{
    uint64_t vpage = va & TLB_PAGE_MASK;
    int i = (va >> TLB_PAGE_BITS) & (TLB_SIZE - 1);

    if (va >= env->tlb_large_lo && va < env->tlb_large_hi) {
        riscv_tlb_flush(env);
        return;
    }
    for (int m = 0; m < MMU_IDX_COUNT; m++) {
        CPUTLBEntry *e = &env->tlb[m][i];
        if (e->tag_read == vpage || e->tag_write == vpage ||
            e->tag_code == vpage) {
            e->tag_read = e->tag_write = e->tag_code = TLB_INVALID;
        }
    }
    riscv_tb_gen_bump(env);
}

void riscv_tlb_drop_writes_to(CPURISCVState *env, uint64_t ppage)
{
    for (int m = 0; m < MMU_IDX_COUNT; m++) {
        for (int i = 0; i < TLB_SIZE; i++) {
            if (env->tlb[m][i].paddr == ppage) {
                env->tlb[m][i].tag_write = TLB_INVALID;
            }
        }
    }
}

/* ---- PMP ---- */

/* Byte range [*lo, *hi) that entry @i matches; false when off. */
static bool pmp_range(CPURISCVState *env, int i, uint64_t *lo, uint64_t *hi)
{
    uint8_t cfg = env->pmp[i].cfg;
    uint64_t a = env->pmp[i].addr;

    switch ((cfg & PMP_A) >> PMP_A_SHIFT) {
    case PMP_AMATCH_TOR:
        *lo = i ? env->pmp[i - 1].addr << 2 : 0;
        *hi = a << 2;
        return *lo < *hi;
    case PMP_AMATCH_NA4:
        *lo = a << 2;
        *hi = *lo + 4;
        return true;
    case PMP_AMATCH_NAPOT: {
        /* Trailing ones of pmpaddr give the size: 2^(ones + 3) bytes. */
        int ones = __builtin_ctzll(~a);
        uint64_t size = ones >= 61 ? 0 : 8ULL << ones;
        *lo = size ? (a << 2) & ~(size - 1) : 0;
        *hi = size ? *lo + size : UINT64_MAX;
        return true;
    }
    }
    return false;
}

void riscv_pmp_update(CPURISCVState *env)
{
    env->pmp_active = false;
    for (int i = 0; i < MAX_RISCV_PMPS; i++) {
        if (env->pmp[i].cfg & PMP_A) {
            env->pmp_active = true;
        }
    }
    riscv_tlb_flush(env);
}

static bool pmp_allows(uint8_t cfg, MMUAccessType type, uint64_t priv)
{
    static const uint8_t need[3] = { PMP_READ, PMP_WRITE, PMP_EXEC };

    if (priv == PRV_M && !(cfg & PMP_LOCK)) {
        return true;
    }
    return (cfg & need[type]) != 0;
}

/*
 * Check an access against PMP.  *whole_page says whether the result
 * holds for the whole 4 KiB page around @addr (so the TLB may cache it).
 */
bool riscv_pmp_check(CPURISCVState *env, uint64_t addr, uint64_t size,
                     MMUAccessType type, uint64_t priv, bool *whole_page)
{
    uint64_t page = addr & TLB_PAGE_MASK, page_end = page + TLB_PAGE_SIZE;
    bool page_decided = false;

    *whole_page = true;
    if (!env->pmp_active) {
        return true;
    }
    for (int i = 0; i < MAX_RISCV_PMPS; i++) {
        uint64_t lo, hi;
        if (!pmp_range(env, i, &lo, &hi)) {
            continue;
        }
        /* Does the entry cover the page entirely, or only part of it? */
        if (!page_decided && lo < page_end && hi > page) {
            page_decided = true;
            *whole_page = lo <= page && hi >= page_end;
        }
        if (addr + size <= lo || addr >= hi) {
            continue;
        }
        if (addr < lo || addr + size > hi) {
            *whole_page = false;
            return false;       /* partial match fails */
        }
        return pmp_allows(env->pmp[i].cfg, type, priv);
    }
    return priv == PRV_M;
}

/* ---- Page-table walk ---- */

typedef struct Translation {
    uint64_t paddr;
    uint64_t page_size;         /* of the leaf PTE */
    bool writable;              /* D already set: stores may be cached */
    bool user_page;
} Translation;

static uint64_t *pte_host_ptr(CPURISCVState *env, uint64_t pa)
{
    hwaddr xlat, len = 8;
    MemoryRegion *mr = address_space_translate(env->as, pa, &xlat, &len,
                                               false, MEMTXATTRS_UNSPECIFIED);

    if (!mr || !memory_region_is_ram(mr) || len < 8 || (pa & 7)) {
        return NULL;
    }
    return (uint64_t *)((uint8_t *)memory_region_get_ram_ptr(mr) + xlat);
}

static int page_fault_cause(MMUAccessType type)
{
    static const int c[3] = {
        RISCV_EXCP_LOAD_PAGE_FAULT, RISCV_EXCP_STORE_PAGE_FAULT,
        RISCV_EXCP_INST_PAGE_FAULT,
    };
    return c[type];
}

static int access_fault_cause(MMUAccessType type)
{
    static const int c[3] = {
        RISCV_EXCP_LOAD_ACCESS_FAULT, RISCV_EXCP_STORE_AMO_ACCESS_FAULT,
        RISCV_EXCP_INST_ACCESS_FAULT,
    };
    return c[type];
}

/* Permission check of a leaf PTE; true when the access may proceed. */
static bool pte_allows(CPURISCVState *env, uint64_t pte, MMUAccessType type,
                       uint64_t priv, bool sum)
{
    bool mxr = env->mstatus & MSTATUS_MXR;

    if (pte & PTE_U) {
        if (priv == PRV_S && (type == MMU_INST_FETCH || !sum)) {
            return false;
        }
    } else if (priv == PRV_U) {
        return false;
    }
    switch (type) {
    case MMU_DATA_LOAD:
        return (pte & PTE_R) || (mxr && (pte & PTE_X));
    case MMU_DATA_STORE:
        return (pte & PTE_W) != 0;
    default:
        return (pte & PTE_X) != 0;
    }
}

/* Walk the page table; returns RISCV_EXCP_NONE or a fault cause. */
static int walk(CPURISCVState *env, uint64_t va, MMUAccessType type,
                uint64_t priv, bool sum, Translation *t)
{
    int mode = env->satp >> SATP_MODE_SHIFT;
    int levels = mode == VM_1_10_SV57 ? 5 : mode == VM_1_10_SV48 ? 4 : 3;
    int vabits = 12 + 9 * levels;
    uint64_t base = (env->satp & SATP_PPN) << 12;
    bool wp;

    /* Bits above the VA width must equal its top bit. */
    if ((int64_t)(va << (64 - vabits)) >> (64 - vabits) != (int64_t)va) {
        return page_fault_cause(type);
    }

    for (int lvl = levels - 1; lvl >= 0; lvl--) {
        uint64_t pte_pa = base + ((va >> (12 + 9 * lvl)) & 0x1ff) * 8;
        uint64_t *ptep, pte, ppn, newpte;

        if (!riscv_pmp_check(env, pte_pa, 8, MMU_DATA_LOAD, PRV_S, &wp)) {
            return access_fault_cause(type);
        }
        ptep = pte_host_ptr(env, pte_pa);
        if (!ptep) {
            return access_fault_cause(type);
        }
    retry:
        pte = __atomic_load_n(ptep, __ATOMIC_ACQUIRE);
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
            (pte & PTE_RESERVED)) {
            return page_fault_cause(type);
        }
        ppn = (pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT;
        if (!(pte & (PTE_R | PTE_X))) {
            if (pte & (PTE_A | PTE_D | PTE_U)) {
                return page_fault_cause(type);
            }
            base = ppn << 12;
            continue;
        }

        /* Leaf: alignment of superpages, permissions, then A/D. */
        if (ppn & ((1ULL << (9 * lvl)) - 1)) {
            return page_fault_cause(type);
        }
        if (!pte_allows(env, pte, type, priv, sum)) {
            return page_fault_cause(type);
        }
        newpte = pte | PTE_A | (type == MMU_DATA_STORE ? PTE_D : 0);
        if (newpte != pte &&
            !__atomic_compare_exchange_n(ptep, &pte, newpte, false,
                                         __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE)) {
            goto retry;
        }
        t->paddr = ((ppn << 12) & ~((1ULL << (12 + 9 * lvl)) - 1)) |
                   (va & ((1ULL << (12 + 9 * lvl)) - 1));
        t->writable = (newpte & PTE_D) && (newpte & PTE_W);
        t->page_size = 1ULL << (12 + 9 * lvl);
        t->user_page = pte & PTE_U;
        return RISCV_EXCP_NONE;
    }
    return page_fault_cause(type);
}

/* Effective privilege for an access of @type. */
static uint64_t access_priv(CPURISCVState *env, MMUAccessType type)
{
    if (type != MMU_INST_FETCH && env->priv == PRV_M &&
        (env->mstatus & MSTATUS_MPRV)) {
        return (env->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    }
    return env->priv;
}

/*
 * Translate @va and check PMP for @size bytes.  Returns RISCV_EXCP_NONE
 * and the physical address, or a fault cause.
 */
static int translate(CPURISCVState *env, uint64_t va, int size,
                     MMUAccessType type, Translation *t, bool *cacheable)
{
    uint64_t priv = access_priv(env, type);
    int mode = env->satp >> SATP_MODE_SHIFT, r;
    bool whole;

    t->page_size = TLB_PAGE_SIZE;
    if (priv == PRV_M || mode == VM_1_10_MBARE) {
        t->paddr = va;
        t->writable = true;
    } else {
        r = walk(env, va, type, priv, env->mstatus & MSTATUS_SUM, t);
        if (r != RISCV_EXCP_NONE) {
            return r;
        }
    }
    if (!riscv_pmp_check(env, t->paddr, size, type, priv, &whole)) {
        return access_fault_cause(type);
    }
    *cacheable = whole;
    return RISCV_EXCP_NONE;
}

/* ---- Memory slow paths ---- */

static MemoryRegion *phys_lookup(CPURISCVState *env, uint64_t pa,
                                 hwaddr *xlat, hwaddr *len)
{
    *len = TLB_PAGE_SIZE;
    return address_space_translate(env->as, pa, xlat, len, false,
                                   MEMTXATTRS_UNSPECIFIED);
}

/*
 * Install a TLB entry for the page of @va mapped at @t->paddr.  Returns
 * the host address of @va when the page is RAM the access may use
 * directly (not ROM for stores), else NULL.
 */
static uint8_t *tlb_fill(CPURISCVState *env, uint64_t va, Translation *t,
                         MMUAccessType type)
{
    uint64_t vpage = va & TLB_PAGE_MASK, ppage = t->paddr & TLB_PAGE_MASK;
    int idx = type == MMU_INST_FETCH ? riscv_code_mmu_idx(env)
                                     : riscv_data_mmu_idx(env);
    CPUTLBEntry *e = &env->tlb[idx][(va >> TLB_PAGE_BITS) & (TLB_SIZE - 1)];
    hwaddr xlat, len;
    MemoryRegion *mr = phys_lookup(env, ppage, &xlat, &len);

    if (!mr || !memory_region_is_ram(mr) || len < TLB_PAGE_SIZE) {
        return NULL;    /* MMIO or partial page: always the slow path */
    }
    if (e->tag_read != vpage && e->tag_write != vpage &&
        e->tag_code != vpage) {
        e->tag_read = e->tag_write = e->tag_code = TLB_INVALID;
    } else if (e->paddr != ppage) {
        e->tag_read = e->tag_write = e->tag_code = TLB_INVALID;
    }
    if (t->page_size > TLB_PAGE_SIZE) {
        uint64_t lo = va & ~(t->page_size - 1);
        env->tlb_large_lo = MIN(env->tlb_large_lo, lo);
        env->tlb_large_hi = MAX(env->tlb_large_hi, lo + t->page_size);
    }
    e->addend = (uintptr_t)memory_region_get_ram_ptr(mr) + xlat - vpage;
    e->paddr = ppage;
    switch (type) {
    case MMU_DATA_LOAD:
        e->tag_read = vpage;
        break;
    case MMU_DATA_STORE:
        if (t->writable && !memory_region_is_rom(mr) &&
            !riscv_tb_page_has_code(env, ppage)) {
            e->tag_write = vpage;
        }
        break;
    case MMU_INST_FETCH:
        e->tag_code = vpage;
        break;
    }
    if (type == MMU_DATA_STORE && memory_region_is_rom(mr)) {
        return NULL;
    }
    return (uint8_t *)(e->addend + va);
}

static void set_fault(CPURISCVState *env, int cause, uint64_t va)
{
    env->excp_cause = cause;
    env->excp_tval = va;
}

/* Access @size bytes at physical @pa (within one page); MMIO locked. */
static bool phys_access(CPURISCVState *env, uint64_t pa, int size,
                        uint64_t *val, bool is_write)
{
    hwaddr xlat, len;
    MemoryRegion *mr = phys_lookup(env, pa, &xlat, &len);
    MemTxResult r;

    if (mr && memory_region_is_ram(mr) && len >= (hwaddr)size) {
        uint8_t *p = (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
        if (!is_write) {
            *val = 0;
            memcpy(val, p, size);
        } else if (!memory_region_is_rom(mr)) {
            memcpy(p, val, size);
        }
        return true;
    }
    if (!mr) {
        return false;
    }

    /* Device code may use floating point: keep its flags out of fflags. */
    riscv_fpu_sync_flags(env);
    if (is_write) {
        r = address_space_write(env->as, pa, MEMTXATTRS_UNSPECIFIED,
                                val, size);
    } else {
        *val = 0;
        r = address_space_read(env->as, pa, MEMTXATTRS_UNSPECIFIED,
                               val, size);
    }
    riscv_fpu_clear_host_flags();
    return r == MEMTX_OK;
}

/* One access that does not cross a page. */
static bool access_one(CPURISCVState *env, uint64_t va, int size,
                       uint64_t *val, MMUAccessType type, bool *code_hit)
{
    Translation t;
    bool cacheable;
    int r = translate(env, va, size, type, &t, &cacheable);

    if (r != RISCV_EXCP_NONE) {
        set_fault(env, r, va);
        return false;
    }
    if (type == MMU_DATA_STORE && code_hit &&
        riscv_tb_invalidate_page(env, t.paddr & TLB_PAGE_MASK)) {
        *code_hit = true;
    }
    /* A RAM page just entered in the TLB is accessed directly. */
    if (cacheable && (va & (size - 1)) == 0) {
        uint8_t *host = tlb_fill(env, va, &t, type);
        if (host && type == MMU_DATA_STORE) {
            memcpy(host, val, size);
            return true;
        }
        if (host) {
            *val = 0;
            memcpy(val, host, size);
            return true;
        }
    }
    if (!phys_access(env, t.paddr, size, val, type == MMU_DATA_STORE)) {
        set_fault(env, access_fault_cause(type), va);
        return false;
    }
    return true;
}

/*
 * Misaligned accesses are split into bytes, so that a fault names the
 * first byte that faults, as QEMU 7.2 reports it.
 */
static bool access_split(CPURISCVState *env, uint64_t va, int size,
                         uint64_t *val, MMUAccessType type, bool *code_hit)
{
    uint64_t out = 0, b;

    /* Translate every byte first so a fault leaves memory untouched. */
    for (int i = 0; i < size; i++) {
        Translation t;
        bool c;
        int r = translate(env, va + i, 1, type, &t, &c);
        if (r != RISCV_EXCP_NONE) {
            set_fault(env, r, va + i);
            return false;
        }
    }
    for (int i = 0; i < size; i++) {
        b = type == MMU_DATA_STORE ? (*val >> (8 * i)) & 0xff : 0;
        if (!access_one(env, va + i, 1, &b, type, code_hit)) {
            return false;
        }
        out |= b << (8 * i);
    }
    if (type == MMU_DATA_LOAD) {
        *val = out;
    }
    return true;
}

bool riscv_ld_slow(CPURISCVState *env, uint64_t va, int size, uint64_t *val)
{
    if (va & (size - 1)) {
        return access_split(env, va, size, val, MMU_DATA_LOAD, NULL);
    }
    return access_one(env, va, size, val, MMU_DATA_LOAD, NULL);
}

bool riscv_st_slow(CPURISCVState *env, uint64_t va, int size, uint64_t val,
                   bool *code_hit)
{
    *code_hit = false;
    if (va & (size - 1)) {
        return access_split(env, va, size, &val, MMU_DATA_STORE, code_hit);
    }
    return access_one(env, va, size, &val, MMU_DATA_STORE, code_hit);
}

/*
 * QEMU 7.2 reports a misaligned AMO or LR as a misaligned load, and an
 * AMO on memory that is not RAM as a load access fault (it falls back to
 * a load then a store); software and traces agree with it, so do the
 * same.  Translation faults are reported as stores for AMO and SC.
 */
void *riscv_atomic_ptr(CPURISCVState *env, uint64_t va, int size,
                       bool is_store)
{
    MMUAccessType type = is_store ? MMU_DATA_STORE : MMU_DATA_LOAD;
    Translation t;
    bool cacheable;
    hwaddr xlat, len;
    MemoryRegion *mr;
    int r;

    if (va & (size - 1)) {
        set_fault(env, RISCV_EXCP_LOAD_ADDR_MIS, va);
        return NULL;
    }
    r = translate(env, va, size, type, &t, &cacheable);
    if (r != RISCV_EXCP_NONE) {
        set_fault(env, r, va);
        return NULL;
    }
    mr = phys_lookup(env, t.paddr, &xlat, &len);
    if (!mr || !memory_region_is_ram(mr) ||
        (is_store && memory_region_is_rom(mr))) {
        set_fault(env, RISCV_EXCP_LOAD_ACCESS_FAULT, va);
        return NULL;
    }
    if (is_store) {
        riscv_tb_invalidate_page(env, t.paddr & TLB_PAGE_MASK);
    }
    return (uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
}

const uint8_t *riscv_fetch_page(CPURISCVState *env, uint64_t va,
                                uint64_t *paddr)
{
    int idx = riscv_code_mmu_idx(env);
    CPUTLBEntry *e = &env->tlb[idx][(va >> TLB_PAGE_BITS) & (TLB_SIZE - 1)];
    Translation t;
    bool cacheable;
    hwaddr xlat, len;
    MemoryRegion *mr;
    int r;

    if (e->tag_code == (va & TLB_PAGE_MASK)) {
        *paddr = e->paddr;
        return (const uint8_t *)(e->addend + (va & TLB_PAGE_MASK));
    }
    r = translate(env, va, 2, MMU_INST_FETCH, &t, &cacheable);
    if (r != RISCV_EXCP_NONE) {
        set_fault(env, r, va);
        return NULL;
    }
    mr = phys_lookup(env, t.paddr & TLB_PAGE_MASK, &xlat, &len);
    if (!mr || !memory_region_is_ram(mr) || len < TLB_PAGE_SIZE) {
        /* Executing from MMIO is not supported. */
        set_fault(env, RISCV_EXCP_INST_ACCESS_FAULT, va);
        return NULL;
    }
    if (cacheable) {
        tlb_fill(env, va, &t, MMU_INST_FETCH);
    }
    *paddr = t.paddr & TLB_PAGE_MASK;
    return (const uint8_t *)memory_region_get_ram_ptr(mr) + xlat;
}

/* ---- Traps ---- */

void riscv_set_priv(CPURISCVState *env, uint64_t priv)
{
    /* Links were checked at one level; each level has its own. */
    env->priv = priv;
    env->tb_gen = env->tb_flush_gen << 2 | priv;
    env->load_res = UINT64_MAX;
}

static const char *const riscv_excp_names[] = {
    "misaligned_fetch", "fault_fetch", "illegal_instruction", "breakpoint",
    "misaligned_load", "fault_load", "misaligned_store", "fault_store",
    "user_ecall", "supervisor_ecall", "hypervisor_ecall", "machine_ecall",
    "exec_page_fault", "load_page_fault", "reserved", "store_page_fault",
};

static const char *const riscv_intr_names[] = {
    "u_software", "s_software", "vs_software", "m_software",
    "u_timer", "s_timer", "vs_timer", "m_timer",
    "u_external", "s_external", "vs_external", "m_external",
};

static void log_trap(CPURISCVState *env, uint64_t cause, bool irq,
                     uint64_t tval, uint64_t newpriv)
{
    const char *name = irq ? (cause < 12 ? riscv_intr_names[cause] : "?")
                           : (cause < 16 ? riscv_excp_names[cause] : "?");

    qemu_log("riscv_cpu_do_interrupt: hart:%" PRIu64 ", async:%d, "
             "cause:%016" PRIx64 ", epc:0x%016" PRIx64 ", tval:0x%016"
             PRIx64 ", desc=%s, priv:%" PRIu64 "->%" PRIu64 "\n",
             env->mhartid, irq, cause, env->pc, tval, name, env->priv,
             newpriv);
}

static void do_trap(CPURISCVState *env, uint64_t cause, bool irq,
                    uint64_t tval)
{
    uint64_t deleg = irq ? env->mideleg : env->medeleg;
    uint64_t s = env->mstatus, tvec;
    bool to_s = env->priv <= PRV_S && cause < 64 && ((deleg >> cause) & 1);

    if (qemu_loglevel_mask(CPU_LOG_INT)) {
        log_trap(env, cause, irq, tval, to_s ? PRV_S : PRV_M);
    }
    if (to_s) {
        env->scause = cause | (irq ? CAUSE_INTERRUPT : 0);
        env->sepc = env->pc;
        env->stval = tval;
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s = (s & ~(MSTATUS_SPP | MSTATUS_SIE)) |
            (env->priv == PRV_S ? MSTATUS_SPP : 0);
        tvec = env->stvec;
        env->mstatus = s;
        riscv_set_priv(env, PRV_S);
    } else {
        env->mcause = cause | (irq ? CAUSE_INTERRUPT : 0);
        env->mepc = env->pc;
        env->mtval = tval;
        s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        s = (s & ~(MSTATUS_MPP | MSTATUS_MIE)) |
            (env->priv << MSTATUS_MPP_SHIFT);
        tvec = env->mtvec;
        env->mstatus = s;
        riscv_set_priv(env, PRV_M);
    }
    env->pc = (tvec & ~3ULL) +
              ((irq && (tvec & 3) == TVEC_MODE_VECTORED) ? 4 * cause : 0);
}

void riscv_do_exception(CPURISCVState *env, uint64_t cause, uint64_t tval)
{
    do_trap(env, cause, false, tval);
}

uint64_t riscv_get_mip(CPURISCVState *env)
{
    return __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE);
}

uint64_t riscv_pending_irqs(CPURISCVState *env)
{
    return riscv_get_mip(env) & env->mie;
}

/*
 * Which interrupt of @bits to take.  The specification orders MEI, MSI,
 * MTI, SEI, SSI, STI; QEMU 7.2 (without AIA priorities) takes the
 * lowest-numbered pending one, and guests and traces agree with QEMU, so
 * do the same.  M-level interrupts still come before S-level ones.
 */
static int irq_pick(uint64_t bits)
{
    return bits ? __builtin_ctzll(bits) : -1;
}

bool riscv_exec_interrupt(CPURISCVState *env)
{
    uint64_t pending = riscv_pending_irqs(env);
    uint64_t m_pend = pending & ~env->mideleg;
    uint64_t s_pend = pending & env->mideleg;
    bool m_on = env->priv < PRV_M || (env->mstatus & MSTATUS_MIE);
    bool s_on = env->priv < PRV_S ||
                (env->priv == PRV_S && (env->mstatus & MSTATUS_SIE));
    int irq = -1;

    if (m_on && m_pend) {
        irq = irq_pick(m_pend);
    } else if (s_on && s_pend) {
        irq = irq_pick(s_pend);
    }
    if (irq < 0) {
        return false;
    }
    env->halted = false;
    do_trap(env, irq, true, 0);
    return true;
}

bool riscv_do_mret(CPURISCVState *env)
{
    uint64_t s = env->mstatus, mpp;

    if (env->priv != PRV_M) {
        return false;
    }
    mpp = (s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MPP;          /* MPP becomes U (least privileged) */
    if (mpp != PRV_M) {
        s &= ~MSTATUS_MPRV;
    }
    env->mstatus = s;
    env->pc = env->mepc;
    riscv_set_priv(env, mpp);
    return true;
}

bool riscv_do_sret(CPURISCVState *env)
{
    uint64_t s = env->mstatus, spp;

    if (env->priv < PRV_S ||
        (env->priv == PRV_S && (s & MSTATUS_TSR))) {
        return false;
    }
    spp = (s & MSTATUS_SPP) ? PRV_S : PRV_U;
    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    s &= ~MSTATUS_MPRV;         /* returning below M clears MPRV */
    env->mstatus = s;
    env->pc = env->sepc;
    riscv_set_priv(env, spp);
    return true;
}

/* ---- Sstc ---- */

void riscv_sstc_update(CPURISCVState *env, bool arm)
{
    uint64_t now;

    if (!env->cfg.ext_sstc || !(env->menvcfg & MENVCFG_STCE) ||
        !env->rdtime_fn) {
        return;
    }
    now = env->rdtime_fn(env->rdtime_opaque);
    if (now >= env->stimecmp) {
        __atomic_fetch_or(&env->mip, MIP_STIP, __ATOMIC_ACQ_REL);
        return;
    }
    __atomic_fetch_and(&env->mip, ~MIP_STIP, __ATOMIC_ACQ_REL);
    if (arm) {
        riscv_sstc_arm(env, now);
    }
}
