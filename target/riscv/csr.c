/*
 * csr.c: control and status registers (privileged specification 1.12).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "internals.h"

#define MSTATUS_WRITABLE (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | \
                          MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP | \
                          MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | \
                          MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | \
                          MSTATUS_TSR)
#define ALL_INTERRUPTS (S_MODE_INTERRUPTS | M_MODE_INTERRUPTS)
/* Exceptions that may be delegated to S-mode (not M-mode ecall). */
#define DELEGABLE_EXCPS ((1ULL << RISCV_EXCP_INST_ADDR_MIS) | \
    (1ULL << RISCV_EXCP_INST_ACCESS_FAULT) | \
    (1ULL << RISCV_EXCP_ILLEGAL_INST) | (1ULL << RISCV_EXCP_BREAKPOINT) | \
    (1ULL << RISCV_EXCP_LOAD_ADDR_MIS) | \
    (1ULL << RISCV_EXCP_LOAD_ACCESS_FAULT) | \
    (1ULL << RISCV_EXCP_STORE_AMO_ADDR_MIS) | \
    (1ULL << RISCV_EXCP_STORE_AMO_ACCESS_FAULT) | \
    (1ULL << RISCV_EXCP_U_ECALL) | (1ULL << RISCV_EXCP_S_ECALL) | \
    (1ULL << RISCV_EXCP_INST_PAGE_FAULT) | \
    (1ULL << RISCV_EXCP_LOAD_PAGE_FAULT) | \
    (1ULL << RISCV_EXCP_STORE_PAGE_FAULT))
#define PMPADDR_MASK ((1ULL << 54) - 1)

static uint64_t mstatus_read(CPURISCVState *env)
{
    uint64_t s = env->mstatus & ~MSTATUS_SD;

    if ((s & MSTATUS_FS) == MSTATUS_FS) {
        s |= MSTATUS_SD;
    }
    return s;
}

static void mstatus_write(CPURISCVState *env, uint64_t val)
{
    uint64_t old = env->mstatus, s;

    /* MPP is WARL: the reserved value 2 (and S without S-mode) keep it. */
    if (((val & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2) {
        val = (val & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
    }
    s = (old & ~MSTATUS_WRITABLE) | (val & MSTATUS_WRITABLE);
    s |= (MXL_RV64 << 32) | (MXL_RV64 << 34);     /* UXL, SXL */
    env->mstatus = s;
    if ((old ^ s) & MSTATUS_MXR) {
        riscv_tlb_flush(env);
    }
}

/* Counter access from S/U: mcounteren (and scounteren for U). */
static bool counter_allowed(CPURISCVState *env, int bit)
{
    if (env->priv < PRV_M && !(env->mcounteren & (1U << bit))) {
        return false;
    }
    if (env->priv < PRV_S && !(env->scounteren & (1U << bit))) {
        return false;
    }
    return true;
}

/*
 * cycle and instret count retired instructions (cycle = instret, as
 * there is no cycle model), offset by what software wrote, and stand
 * still while mcountinhibit.CY / .IR is set.
 */
static uint64_t counter_read(CPURISCVState *env, bool cycle,
                             uint64_t instret)
{
    uint32_t bit = cycle ? COUNTEREN_CY : COUNTEREN_IR;

    if (env->mcountinhibit & bit) {
        return cycle ? env->mcycle_frozen : env->minstret_frozen;
    }
    return instret + (cycle ? env->mcycle_delta : env->minstret_delta);
}

static void counter_write(CPURISCVState *env, bool cycle, uint64_t val,
                          uint64_t instret)
{
    uint32_t bit = cycle ? COUNTEREN_CY : COUNTEREN_IR;

    if (env->mcountinhibit & bit) {
        *(cycle ? &env->mcycle_frozen : &env->minstret_frozen) = val;
    } else if (cycle) {
        env->mcycle_delta = val - instret;
    } else {
        /* The csrw itself retires after the write: count it. */
        env->minstret_delta = val - instret - 1;
    }
}

static void countinhibit_write(CPURISCVState *env, uint64_t val,
                               uint64_t instret)
{
    for (int cycle = 0; cycle <= 1; cycle++) {
        uint32_t bit = cycle ? COUNTEREN_CY : COUNTEREN_IR;
        uint64_t now = counter_read(env, cycle, instret);
        if ((val & bit) && !(env->mcountinhibit & bit)) {
            *(cycle ? &env->mcycle_frozen : &env->minstret_frozen) = now;
        } else if (!(val & bit) && (env->mcountinhibit & bit)) {
            *(cycle ? &env->mcycle_delta : &env->minstret_delta) =
                now - instret;
        }
    }
    env->mcountinhibit = val & ~COUNTEREN_TM;   /* bit 1 is read-only 0 */
}

static uint64_t read_time(CPURISCVState *env)
{
    return env->rdtime_fn ? env->rdtime_fn(env->rdtime_opaque) : 0;
}

static bool pmpaddr_locked(CPURISCVState *env, int i)
{
    if (env->pmp[i].cfg & PMP_LOCK) {
        return true;
    }
    return i + 1 < MAX_RISCV_PMPS && (env->pmp[i + 1].cfg & PMP_LOCK) &&
           ((env->pmp[i + 1].cfg & PMP_A) >> PMP_A_SHIFT) == PMP_AMATCH_TOR;
}

static void pmpcfg_write(CPURISCVState *env, int reg, uint64_t val)
{
    for (int b = 0; b < 8; b++) {
        int i = reg * 4 + b;
        uint8_t c = val >> (8 * b);
        if (i >= MAX_RISCV_PMPS || (env->pmp[i].cfg & PMP_LOCK)) {
            continue;
        }
        /* R=0 W=1 is reserved: keep the entry unchanged. */
        if ((c & PMP_WRITE) && !(c & PMP_READ)) {
            continue;
        }
        env->pmp[i].cfg = c & (PMP_READ | PMP_WRITE | PMP_EXEC | PMP_A |
                               PMP_LOCK);
    }
    riscv_pmp_update(env);
}

static uint64_t pmpcfg_read(CPURISCVState *env, int reg)
{
    uint64_t v = 0;

    for (int b = 0; b < 8; b++) {
        int i = reg * 4 + b;
        if (i < MAX_RISCV_PMPS) {
            v |= (uint64_t)env->pmp[i].cfg << (8 * b);
        }
    }
    return v;
}

static void satp_write(CPURISCVState *env, uint64_t val)
{
    uint64_t mode = val >> SATP_MODE_SHIFT;
    bool ok = mode == VM_1_10_MBARE ||
              (env->cfg.mmu && mode >= VM_1_10_SV39 &&
               mode <= env->cfg.satp_mode_max);

    /* An unsupported mode leaves satp unchanged (WARL; Linux probes). */
    if (!ok) {
        return;
    }
    env->satp = val & (SATP_MODE | SATP_ASID | SATP_PPN);
    riscv_tlb_flush(env);
}

/* Is @csrno implemented at all?  (Extension-dependent ones too.) */
static bool csr_exists(CPURISCVState *env, int csrno)
{
    switch (csrno) {
    case CSR_FFLAGS: case CSR_FRM: case CSR_FCSR:
        return env->cfg.ext_f;
    case CSR_CYCLE: case CSR_TIME: case CSR_INSTRET:
        return env->cfg.ext_zicntr;
    case CSR_STIMECMP:
        return env->cfg.ext_sstc;
    case CSR_MTINST: case CSR_MTVAL2: case CSR_TSELECT: case CSR_TDATA1:
        return false;
    }
    if (csrno >= CSR_PMPCFG0 && csrno <= CSR_PMPCFG15) {
        return (csrno & 1) == 0;            /* RV64: even ones only */
    }
    return true;
}

/* Access checks beyond the privilege bits; true if allowed. */
static bool csr_predicate(CPURISCVState *env, int csrno)
{
    switch (csrno) {
    case CSR_FFLAGS: case CSR_FRM: case CSR_FCSR:
        return riscv_fs_enabled(env);
    case CSR_CYCLE:
        return counter_allowed(env, 0);
    case CSR_TIME:
        return env->rdtime_fn && counter_allowed(env, 1);
    case CSR_INSTRET:
        return counter_allowed(env, 2);
    case CSR_SATP:
        return !(env->priv == PRV_S && (env->mstatus & MSTATUS_TVM));
    case CSR_STIMECMP:
        if (env->priv == PRV_M) {
            return true;
        }
        return (env->mcounteren & COUNTEREN_TM) &&
               (env->menvcfg & MENVCFG_STCE);
    }
    if (csrno >= CSR_HPMCOUNTER3 && csrno <= CSR_HPMCOUNTER31) {
        return counter_allowed(env, csrno - CSR_CYCLE);
    }
    return true;
}

/* Read @csrno; false when it does not exist. */
static bool csr_read(CPURISCVState *env, int csrno, uint64_t *val,
                     uint64_t insns_done)
{
    uint64_t instret = env->instret + insns_done;

    switch (csrno) {
    case CSR_FFLAGS:
        riscv_fpu_sync_flags(env);
        *val = env->fflags;
        return true;
    case CSR_FRM:
        *val = env->frm;
        return true;
    case CSR_FCSR:
        riscv_fpu_sync_flags(env);
        *val = env->fflags | env->frm << FSR_RD_SHIFT;
        return true;
    case CSR_CYCLE: case CSR_MCYCLE:
        *val = counter_read(env, true, instret);
        return true;
    case CSR_INSTRET: case CSR_MINSTRET:
        *val = counter_read(env, false, instret);
        return true;
    case CSR_TIME:
        *val = read_time(env);
        return true;
    case CSR_SSTATUS:
        *val = mstatus_read(env) & SSTATUS_MASK;
        return true;
    case CSR_SIE:
        *val = env->mie & env->mideleg;
        return true;
    case CSR_SIP:
        *val = riscv_get_mip(env) & env->mideleg;
        return true;
    case CSR_STVEC: *val = env->stvec; return true;
    case CSR_SCOUNTEREN: *val = env->scounteren; return true;
    case CSR_SENVCFG: *val = env->senvcfg; return true;
    case CSR_SSCRATCH: *val = env->sscratch; return true;
    case CSR_SEPC: *val = env->sepc; return true;
    case CSR_SCAUSE: *val = env->scause; return true;
    case CSR_STVAL: *val = env->stval; return true;
    case CSR_STIMECMP: *val = env->stimecmp; return true;
    case CSR_SATP: *val = env->satp; return true;
    case CSR_MVENDORID: *val = env->cfg.mvendorid; return true;
    case CSR_MARCHID: *val = env->cfg.marchid; return true;
    case CSR_MIMPID: *val = env->cfg.mimpid; return true;
    case CSR_MHARTID: *val = env->mhartid; return true;
    case CSR_MCONFIGPTR: *val = 0; return true;
    case CSR_MSTATUS: *val = mstatus_read(env); return true;
    case CSR_MISA: *val = env->misa; return true;
    case CSR_MEDELEG: *val = env->medeleg; return true;
    case CSR_MIDELEG: *val = env->mideleg; return true;
    case CSR_MIE: *val = env->mie; return true;
    case CSR_MIP: *val = riscv_get_mip(env); return true;
    case CSR_MTVEC: *val = env->mtvec; return true;
    case CSR_MCOUNTEREN: *val = env->mcounteren; return true;
    case CSR_MENVCFG: *val = env->menvcfg; return true;
    case CSR_MCOUNTINHIBIT: *val = env->mcountinhibit; return true;
    case CSR_MSCRATCH: *val = env->mscratch; return true;
    case CSR_MEPC: *val = env->mepc; return true;
    case CSR_MCAUSE: *val = env->mcause; return true;
    case CSR_MTVAL: *val = env->mtval; return true;
    }
    if ((csrno >= CSR_HPMCOUNTER3 && csrno <= CSR_HPMCOUNTER31) ||
        (csrno >= CSR_MHPMCOUNTER3 && csrno <= CSR_MHPMCOUNTER31) ||
        (csrno >= CSR_MHPMEVENT3 && csrno <= CSR_MHPMEVENT31)) {
        *val = 0;       /* no hardware performance counters */
        return true;
    }
    if (csrno >= CSR_PMPCFG0 && csrno <= CSR_PMPCFG15) {
        *val = pmpcfg_read(env, csrno - CSR_PMPCFG0);
        return true;
    }
    if (csrno >= CSR_PMPADDR0 && csrno <= CSR_PMPADDR63) {
        int i = csrno - CSR_PMPADDR0;
        *val = i < MAX_RISCV_PMPS ? env->pmp[i].addr : 0;
        return true;
    }
    return false;
}

static void mip_update(CPURISCVState *env, uint64_t mask, uint64_t val)
{
    uint64_t old = __atomic_load_n(&env->mip, __ATOMIC_ACQUIRE), new;

    do {
        new = (old & ~mask) | (val & mask);
    } while (!__atomic_compare_exchange_n(&env->mip, &old, new, false,
                                          __ATOMIC_ACQ_REL,
                                          __ATOMIC_ACQUIRE));
}

static uint64_t mip_writable(CPURISCVState *env)
{
    uint64_t m = MIP_SSIP | MIP_STIP | MIP_SEIP;

    /* With Sstc enabled STIP follows stimecmp and is read-only. */
    if (env->cfg.ext_sstc && (env->menvcfg & MENVCFG_STCE)) {
        m &= ~MIP_STIP;
    }
    return m;
}

static void tvec_write(uint64_t *tvec, uint64_t val, const char *name)
{
    if ((val & 3) <= TVEC_MODE_VECTORED) {
        *tvec = val;
    } else {
        qemu_log_mask(LOG_UNIMP, "%s: reserved mode %d not supported\n",
                      name, (int)(val & 3));
    }
}

/* Write @csrno (already checked to exist and be writable). */
static void csr_write(CPURISCVState *env, int csrno, uint64_t val,
                      uint64_t insns_done)
{
    uint64_t instret = env->instret + insns_done;

    switch (csrno) {
    case CSR_FFLAGS:
        riscv_fpu_sync_flags(env);
        env->fflags = val & 0x1f;
        riscv_fs_dirty(env);
        return;
    case CSR_FRM:
        env->frm = val & 7;
        riscv_fs_dirty(env);
        return;
    case CSR_FCSR:
        riscv_fpu_sync_flags(env);
        env->fflags = val & 0x1f;
        env->frm = (val >> FSR_RD_SHIFT) & 7;
        riscv_fs_dirty(env);
        return;
    case CSR_MCYCLE:
        counter_write(env, true, val, instret);
        return;
    case CSR_MINSTRET:
        counter_write(env, false, val, instret);
        return;
    case CSR_SSTATUS:
        mstatus_write(env, (env->mstatus & ~SSTATUS_MASK) |
                           (val & SSTATUS_MASK & MSTATUS_WRITABLE));
        return;
    case CSR_SIE:
        env->mie = (env->mie & ~env->mideleg) | (val & env->mideleg);
        return;
    case CSR_SIP:
        mip_update(env, MIP_SSIP & env->mideleg, val);
        return;
    case CSR_STVEC: tvec_write(&env->stvec, val, "stvec"); return;
    case CSR_SCOUNTEREN: env->scounteren = val; return;
    case CSR_SENVCFG: env->senvcfg = val & MENVCFG_FIOM; return;
    case CSR_SSCRATCH: env->sscratch = val; return;
    case CSR_SEPC: env->sepc = val & ~1ULL; return;
    case CSR_SCAUSE: env->scause = val; return;
    case CSR_STVAL: env->stval = val; return;
    case CSR_STIMECMP:
        __atomic_store_n(&env->stimecmp, val, __ATOMIC_RELAXED);
        riscv_sstc_update(env, true);
        return;
    case CSR_SATP: satp_write(env, val); return;
    case CSR_MSTATUS: mstatus_write(env, val); return;
    case CSR_MISA: return;      /* extensions are fixed at start-up */
    case CSR_MEDELEG: env->medeleg = val & DELEGABLE_EXCPS; return;
    case CSR_MIDELEG: env->mideleg = val & S_MODE_INTERRUPTS; return;
    case CSR_MIE: env->mie = val & ALL_INTERRUPTS; return;
    case CSR_MIP: mip_update(env, mip_writable(env), val); return;
    case CSR_MTVEC: tvec_write(&env->mtvec, val, "mtvec"); return;
    case CSR_MCOUNTEREN: env->mcounteren = val; return;
    case CSR_MENVCFG:
        env->menvcfg = val & (MENVCFG_FIOM |
                              (env->cfg.ext_sstc ? MENVCFG_STCE : 0));
        riscv_sstc_update(env, true);
        return;
    case CSR_MCOUNTINHIBIT: countinhibit_write(env, val, instret); return;
    case CSR_MSCRATCH: env->mscratch = val; return;
    case CSR_MEPC: env->mepc = val & ~1ULL; return;
    case CSR_MCAUSE: env->mcause = val; return;
    case CSR_MTVAL: env->mtval = val; return;
    }
    if (csrno >= CSR_PMPCFG0 && csrno <= CSR_PMPCFG15) {
        pmpcfg_write(env, csrno - CSR_PMPCFG0, val);
        return;
    }
    if (csrno >= CSR_PMPADDR0 && csrno <= CSR_PMPADDR63) {
        int i = csrno - CSR_PMPADDR0;
        if (i < MAX_RISCV_PMPS && !pmpaddr_locked(env, i)) {
            env->pmp[i].addr = val & PMPADDR_MASK;
            riscv_pmp_update(env);
        }
        return;
    }
    /* mhpmcounter/mhpmevent: hard-wired to zero, writes ignored. */
}

bool riscv_csr_op(CPURISCVState *env, int csrno, int op, uint64_t src,
                  bool write_needed, uint64_t *old, uint64_t insns_done)
{
    int min_priv = (csrno >> 8) & 3;
    bool read_only = ((csrno >> 10) & 3) == 3;
    uint64_t val = 0, new;

    /* Existence, privilege and read-only checks: illegal instruction. */
    if (!csr_exists(env, csrno) || env->priv < (uint64_t)min_priv ||
        (read_only && write_needed) || !csr_predicate(env, csrno) ||
        !csr_read(env, csrno, &val, insns_done)) {
        env->excp_cause = RISCV_EXCP_ILLEGAL_INST;
        return false;
    }
    *old = val;
    if (!write_needed) {
        return true;
    }
    switch (op & 3) {
    case 1: new = src; break;               /* csrrw */
    case 2: new = val | src; break;         /* csrrs */
    default: new = val & ~src; break;       /* csrrc */
    }
    csr_write(env, csrno, new, insns_done);
    return true;
}
