/*
 * internals.h: what the files of target/riscv share and nobody else uses.
 */
#ifndef RISCV_INTERNALS_H
#define RISCV_INTERNALS_H

#include "cpu.h"

/* ---- Pre-decoded blocks (translate.c, interp.c) ---- */

/*
 * One decoded instruction.  Register numbers are final indexes into
 * env->gpr / env->fpr: a write to x0 is redirected to the sink x[32].
 */
typedef struct DecodedInsn {
    const void *handler;        /* label in the interpreter loop */
    int64_t imm;                /* sign-extended immediate */
    uint8_t rd, rs1, rs2, rs3;
    uint16_t off;               /* byte offset from the block start */
    uint8_t len;                /* 2 or 4 */
    uint8_t sub;                /* rounding mode, CSR funct3, AMO op... */
    uint32_t insn;              /* raw bits (expanded for RVC) */
    uint32_t raw;               /* raw bits as fetched (for mtval) */
} DecodedInsn;

typedef struct TranslationBlock TranslationBlock;

/* A cached link from the end of a block to its successor. */
typedef struct TBLink {
    uint64_t gen;               /* env->tb_gen when filled */
    uint64_t vpc;               /* successor's virtual pc */
    TranslationBlock *tb;
} TBLink;

struct TranslationBlock {
    uint64_t paddr;             /* physical address of the first byte */
    uint64_t paddr2_page;       /* second page when an insn straddles */
    uint32_t ninsns;
    uint32_t size;              /* bytes of guest code covered */
    TBLink link[2];             /* [0] taken / jump, [1] fall-through */
    TranslationBlock *hash_next;
    bool invalid;
    DecodedInsn ops[];
};

#define TB_MAX_INSNS    128
#define TB_NO_PAGE2     UINT64_MAX

/* The operations the decoder emits and the interpreter implements. */
#include "insn-ops.h"

enum {
#define DEF_OP(name) OP_##name,
    RISCV_OPS(DEF_OP)
#undef DEF_OP
    OP_COUNT
};

/* Labels of the interpreter loop, indexed by OP_*. */
extern const void *const *riscv_interp_labels;
void riscv_interp_init(void);

/*
 * Decode the block at virtual @pc whose code starts at host @host1
 * (physical @paddr); @host2 is the next page's host pointer or NULL
 * (then decoding stops before an instruction that would cross into it).
 * Returns a new block the caller owns.
 */
TranslationBlock *riscv_tb_decode(CPURISCVState *env, uint64_t pc,
                                  uint64_t paddr, const uint8_t *host1,
                                  const uint8_t *host2, uint64_t paddr2);
/* Find or make the block at @pc; NULL with env->excp_* set on a fault. */
TranslationBlock *riscv_tb_lookup(CPURISCVState *env, uint64_t pc);
/* Drop every decoded block (fence.i, reset). */
void riscv_tb_flush(CPURISCVState *env);
/* A store hit physical page @ppage: drop its blocks; true if any. */
bool riscv_tb_invalidate_page(CPURISCVState *env, uint64_t ppage);
bool riscv_tb_page_has_code(CPURISCVState *env, uint64_t ppage);
void riscv_tb_cache_free(CPURISCVState *env);
/* Free blocks dropped while running (no block is executing). */
void riscv_tb_reap(CPURISCVState *env);
/* Decode one instruction (for the disassembler); returns OP_*. */
int riscv_decode_insn(const RISCVCPUConfig *cfg, uint32_t raw,
                      DecodedInsn *d);
void riscv_log_block(CPURISCVState *env, TranslationBlock *tb, uint64_t pc,
                     const uint8_t *host1, const uint8_t *host2);

/* Invalidate every link and jump-cache entry (see CPURISCVState). */
static inline void riscv_tb_gen_bump(CPURISCVState *env)
{
    env->tb_flush_gen++;
    env->tb_gen = env->tb_flush_gen << 2 | env->priv;
}

/* ---- Memory (cpu_helper.c) ---- */

typedef enum MMUAccessType {
    MMU_DATA_LOAD = 0,
    MMU_DATA_STORE = 1,
    MMU_INST_FETCH = 2,
} MMUAccessType;

static inline int riscv_data_mmu_idx(CPURISCVState *env)
{
    uint64_t priv = env->priv;

    if (priv == PRV_M && (env->mstatus & MSTATUS_MPRV)) {
        priv = (env->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
    }
    if (priv == PRV_M) {
        return MMU_IDX_M;
    }
    if (priv == PRV_U) {
        return MMU_IDX_U;
    }
    return (env->mstatus & MSTATUS_SUM) ? MMU_IDX_S_SUM : MMU_IDX_S;
}

static inline int riscv_code_mmu_idx(CPURISCVState *env)
{
    return env->priv == PRV_M ? MMU_IDX_M :
           env->priv == PRV_U ? MMU_IDX_U : MMU_IDX_S;
}

void riscv_tlb_flush(CPURISCVState *env);
/* sfence.vma with an address: drop the translations of @va's page. */
void riscv_tlb_flush_page(CPURISCVState *env, uint64_t va);
/* Drop TLB write entries whose physical page is @ppage. */
void riscv_tlb_drop_writes_to(CPURISCVState *env, uint64_t ppage);

/*
 * Slow paths: translate, check, fill the TLB, access.  They return false
 * with env->excp_cause/excp_tval set when the access faults.  Misaligned
 * accesses are performed byte by byte (QEMU 7.2 does not trap them).
 */
bool riscv_ld_slow(CPURISCVState *env, uint64_t va, int size, uint64_t *val);
bool riscv_st_slow(CPURISCVState *env, uint64_t va, int size, uint64_t val,
                   bool *code_hit);
/* Host pointer to @size bytes of RAM at @va for an atomic; faults as a
 * store (AMO) or load (LR). */
void *riscv_atomic_ptr(CPURISCVState *env, uint64_t va, int size,
                       bool is_store);
/* Fetch translation: host pointer of the page holding @va, or NULL. */
const uint8_t *riscv_fetch_page(CPURISCVState *env, uint64_t va,
                                uint64_t *paddr);
bool riscv_pmp_check(CPURISCVState *env, uint64_t addr, uint64_t size,
                     MMUAccessType type, uint64_t priv, bool *whole_page);
void riscv_pmp_update(CPURISCVState *env);

/* ---- Traps (cpu_helper.c) ---- */

/* Enter the trap handler for exception @cause at env->pc. */
void riscv_do_exception(CPURISCVState *env, uint64_t cause, uint64_t tval);
/* Take the highest-priority pending enabled interrupt; true if taken. */
bool riscv_exec_interrupt(CPURISCVState *env);
uint64_t riscv_pending_irqs(CPURISCVState *env);
void riscv_set_priv(CPURISCVState *env, uint64_t priv);
/* mret/sret; false with excp set when not allowed here. */
bool riscv_do_mret(CPURISCVState *env);
bool riscv_do_sret(CPURISCVState *env);
/*
 * Recompute the Sstc STIP level from time and stimecmp; with @arm, also
 * (re)arm the timer that raises STIP when time reaches stimecmp.
 */
void riscv_sstc_update(CPURISCVState *env, bool arm);
/* Arm the Sstc timer for stimecmp, @now_ticks being the current time. */
void riscv_sstc_arm(CPURISCVState *env, uint64_t now_ticks);
uint64_t riscv_get_mip(CPURISCVState *env);
RISCVCPU *riscv_env_cpu(CPURISCVState *env);

/* ---- CSRs (csr.c) ---- */

/*
 * csrrw/csrrs/csrrc family: @op is funct3 (1-3 register, 5-7 immediate),
 * @src the register value or zimm, @write_needed whether rs1/zimm != 0
 * (for set/clear).  @insns_done: instructions of the block retired
 * before this one, for exact cycle/instret.  False with excp set.
 */
bool riscv_csr_op(CPURISCVState *env, int csrno, int op, uint64_t src,
                  bool write_needed, uint64_t *old, uint64_t insns_done);

/* ---- Floating point (fpu_helper.c) ---- */

/* Execute the F/D instruction @insn (not loads/stores); false = illegal. */
bool riscv_fpu_exec(CPURISCVState *env, uint32_t insn);
/* Fold the host FPU's accrued flags into env->fflags. */
void riscv_fpu_sync_flags(CPURISCVState *env);
void riscv_fpu_clear_host_flags(void);

static inline bool riscv_fs_enabled(CPURISCVState *env)
{
    return (env->mstatus & MSTATUS_FS) != 0;
}

static inline void riscv_fs_dirty(CPURISCVState *env)
{
    env->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

#endif /* RISCV_INTERNALS_H */
