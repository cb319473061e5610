/*
 * interp.c: the threaded interpreter and the hart's execution loop.
 *
 * Each decoded instruction carries the address of the label that
 * implements it; an instruction ends by jumping straight to the next
 * one's label (computed goto), so there is no central dispatch switch.
 * A block ends in a jump to "chain", which follows the block's cached
 * link to its successor while env->tb_gen has not changed.
 *
 * Loads and stores look up the software TLB of the current data MMU
 * index; a hit gives the host address directly (RAM).  Misses,
 * misaligned accesses, MMIO and stores into pages holding decoded code
 * go to the slow paths in cpu_helper.c.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include <math.h>
#include "internals.h"

const void *const *riscv_interp_labels;

typedef enum InterpExit {
    INTERP_RELOAD,      /* state changed: re-enter through the outer loop */
    INTERP_HALT,        /* wfi with nothing pending */
} InterpExit;

static inline int64_t sx32(uint64_t v)
{
    return (int32_t)v;
}

static uint64_t mulhu64(uint64_t a, uint64_t b)
{
    return ((unsigned __int128)a * b) >> 64;
}

static int64_t mulh64(int64_t a, int64_t b)
{
    return ((__int128)a * b) >> 64;
}

static int64_t mulhsu64(int64_t a, uint64_t b)
{
    return ((__int128)a * (unsigned __int128)b) >> 64;
}

static int64_t div64(int64_t a, int64_t b)
{
    if (b == 0) {
        return -1;
    }
    if (a == INT64_MIN && b == -1) {
        return a;
    }
    return a / b;
}

static int64_t rem64(int64_t a, int64_t b)
{
    if (b == 0) {
        return a;
    }
    if (a == INT64_MIN && b == -1) {
        return 0;
    }
    return a % b;
}

static int32_t div32(int32_t a, int32_t b)
{
    if (b == 0) {
        return -1;
    }
    if (a == INT32_MIN && b == -1) {
        return a;
    }
    return a / b;
}

static int32_t rem32(int32_t a, int32_t b)
{
    if (b == 0) {
        return a;
    }
    if (a == INT32_MIN && b == -1) {
        return 0;
    }
    return a % b;
}

static uint64_t orc_b(uint64_t v)
{
    uint64_t r = 0;

    for (int i = 0; i < 64; i += 8) {
        if ((v >> i) & 0xff) {
            r |= 0xffULL << i;
        }
    }
    return r;
}

static inline uint64_t rol64(uint64_t v, unsigned s)
{
    s &= 63;
    return s ? (v << s) | (v >> (64 - s)) : v;
}

static inline uint64_t ror64(uint64_t v, unsigned s)
{
    s &= 63;
    return s ? (v >> s) | (v << (64 - s)) : v;
}

static inline uint32_t rol32(uint32_t v, unsigned s)
{
    s &= 31;
    return s ? (v << s) | (v >> (32 - s)) : v;
}

static inline uint32_t ror32(uint32_t v, unsigned s)
{
    s &= 31;
    return s ? (v >> s) | (v << (32 - s)) : v;
}

/* AMO arithmetic on the old value; @w: 32-bit operation. */
static uint64_t amo_compute(int f5, uint64_t old, uint64_t src, bool w)
{
    int64_t so = w ? (int32_t)old : (int64_t)old;
    int64_t ss = w ? (int32_t)src : (int64_t)src;
    uint64_t uo = w ? (uint32_t)old : old, us = w ? (uint32_t)src : src;

    switch (f5) {
    case 0x00: return old + src;
    case 0x01: return src;
    case 0x04: return old ^ src;
    case 0x08: return old | src;
    case 0x0c: return old & src;
    case 0x10: return so < ss ? old : src;
    case 0x14: return so > ss ? old : src;
    case 0x18: return uo < us ? old : src;
    default:   return uo > us ? old : src;
    }
}

/* Execute an AMO; false with excp set on a fault. */
static bool do_amo(CPURISCVState *env, const DecodedInsn *d, bool w)
{
    uint64_t va = env->gpr[d->rs1], src = env->gpr[d->rs2], old;
    void *p = riscv_atomic_ptr(env, va, w ? 4 : 8, true);

    if (!p) {
        return false;
    }
    if (w) {
        uint32_t o = __atomic_load_n((uint32_t *)p, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(
                   (uint32_t *)p, &o, (uint32_t)amo_compute(d->sub, o, src,
                                                            true),
                   false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        }
        old = (int64_t)(int32_t)o;
    } else {
        uint64_t o = __atomic_load_n((uint64_t *)p, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(
                   (uint64_t *)p, &o, amo_compute(d->sub, o, src, false),
                   false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
        }
        old = o;
    }
    env->gpr[d->rd] = old;
    return true;
}

static bool do_lr(CPURISCVState *env, const DecodedInsn *d, bool w)
{
    uint64_t va = env->gpr[d->rs1];
    void *p = riscv_atomic_ptr(env, va, w ? 4 : 8, false);

    if (!p) {
        return false;
    }
    env->load_val = w ? (uint64_t)(int64_t)__atomic_load_n((int32_t *)p,
                                                           __ATOMIC_SEQ_CST)
                      : __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST);
    env->load_res = va;
    env->gpr[d->rd] = env->load_val;
    return true;
}

/*
 * SC succeeds when the reservation is for this address and memory still
 * holds the value LR saw (compare-and-swap), so a store by another hart
 * in between makes it fail.
 */
static bool do_sc(CPURISCVState *env, const DecodedInsn *d, bool w)
{
    uint64_t va = env->gpr[d->rs1], src = env->gpr[d->rs2];
    bool ok = false;
    void *p;

    /* Like QEMU 7.2, an SC without a matching reservation does not
     * access memory at all (so it cannot fault). */
    if (env->load_res == va) {
        p = riscv_atomic_ptr(env, va, w ? 4 : 8, true);
        if (!p) {
            return false;
        }
        if (w) {
            uint32_t exp = env->load_val;
            ok = __atomic_compare_exchange_n((uint32_t *)p, &exp,
                                             (uint32_t)src, false,
                                             __ATOMIC_SEQ_CST,
                                             __ATOMIC_SEQ_CST);
        } else {
            uint64_t exp = env->load_val;
            ok = __atomic_compare_exchange_n((uint64_t *)p, &exp, src, false,
                                             __ATOMIC_SEQ_CST,
                                             __ATOMIC_SEQ_CST);
        }
    }
    env->load_res = UINT64_MAX;
    env->gpr[d->rd] = !ok;
    return true;
}

static const uint64_t canonical_nan_d = 0x7ff8000000000000ULL;

static inline double f2d(uint64_t v)
{
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static inline uint64_t d2f(double d)
{
    uint64_t v;

    if (unlikely(isnan(d))) {
        return canonical_nan_d;
    }
    memcpy(&v, &d, 8);
    return v;
}

/*
 * The interpreter.  Called once with env == NULL to publish the label
 * table.  Runs blocks until the hart must return to the outer loop.
 */
static InterpExit interp(CPURISCVState *env, uint64_t stop_at)
{
#define LABEL_ADDR(name) &&L_##name,
    static const void *const labels[] = { RISCV_OPS(LABEL_ADDR) };
#undef LABEL_ADDR
    uint64_t *x, *f, bpc, next;
    const DecodedInsn *ip;
    TranslationBlock *tb;
    CPUTLBEntry *dtlb;
    bool no_rvc;
    int slot;

    if (!env) {
        riscv_interp_labels = labels;
        return INTERP_RELOAD;
    }
    x = env->gpr;
    f = env->fpr;
    dtlb = env->tlb[riscv_data_mmu_idx(env)];
    no_rvc = !(env->misa & RVC);

    tb = riscv_tb_lookup(env, env->pc);
    if (!tb) {
        riscv_do_exception(env, env->excp_cause, env->excp_tval);
        return INTERP_RELOAD;
    }
    bpc = env->pc;
    ip = tb->ops;
    goto *ip->handler;

#define NEXT        do { ip++; goto *ip->handler; } while (0)
#define PC          (bpc + ip->off)
#define NPC         (bpc + ip->off + ip->len)
#define RD          x[ip->rd]
#define RS1         x[ip->rs1]
#define RS2         x[ip->rs2]
#define IMM         ip->imm
#define DONE_BEFORE ((uint64_t)(ip - tb->ops))
#define JUMP(target, s) do { next = (target); slot = (s); goto chain; } \
                        while (0)
    /* Without C, a jump to a 2-byte aligned target traps on the jump. */
#define CHECK_TARGET(t) do { \
        if (unlikely(((t) & 2) && no_rvc)) { \
            env->excp_cause = RISCV_EXCP_INST_ADDR_MIS; \
            env->excp_tval = (t); \
            goto excp; \
        } \
    } while (0)
#define TAKEN(target) do { uint64_t t_ = (target); CHECK_TARGET(t_); \
                           JUMP(t_, 0); } while (0)

    /* ---- Block end: follow or fill the link to the next block ---- */
chain: {
        TBLink *l = &tb->link[slot];
        env->instret += tb->ninsns;
        if (unlikely(env->instret >= stop_at ||
                     __atomic_load_n(&env->exit_request, __ATOMIC_RELAXED))) {
            env->pc = next;
            return INTERP_RELOAD;
        }
        if (likely(l->gen == env->tb_gen && l->vpc == next)) {
            tb = l->tb;
        } else {
            TranslationBlock *n;
            env->pc = next;
            n = riscv_tb_lookup(env, next);
            if (!n) {
                riscv_do_exception(env, env->excp_cause, env->excp_tval);
                return INTERP_RELOAD;
            }
            /* Logging every block needs every block to come here. */
            if (!qemu_loglevel_mask(CPU_LOG_EXEC | CPU_LOG_TB_CPU)) {
                l->gen = env->tb_gen;
                l->vpc = next;
                l->tb = n;
            }
            tb = n;
        }
        bpc = next;
        ip = tb->ops;
        goto *ip->handler;
    }

    /* ---- Leaving mid-block ---- */
excp:
    /* The faulting instruction does not retire. */
    env->pc = PC;
    env->instret += DONE_BEFORE;
    riscv_do_exception(env, env->excp_cause, env->excp_tval);
    return INTERP_RELOAD;
illegal:
    env->excp_cause = RISCV_EXCP_ILLEGAL_INST;
    env->excp_tval = ip->raw;
    goto excp;
leave_after:
    /* This instruction retired; continue at the next one from outside. */
    env->pc = NPC;
    env->instret += DONE_BEFORE + 1;
    return INTERP_RELOAD;

L_illegal:
    goto illegal;
L_fallthrough:
    JUMP(PC, 1);

    /* ---- RV64I ---- */
L_lui:   RD = IMM; NEXT;
L_auipc: RD = PC + IMM; NEXT;
L_li:    RD = IMM; NEXT;
L_mv:    RD = RS2; NEXT;
L_nop:   NEXT;
L_jal: {
        uint64_t t = PC + IMM;
        CHECK_TARGET(t);
        RD = NPC;
        JUMP(t, 0);
    }
L_jalr: {
        uint64_t t = (RS1 + IMM) & ~1ULL;
        CHECK_TARGET(t);
        RD = NPC;
        JUMP(t, 0);
    }
L_beq:  if (RS1 == RS2) { TAKEN(PC + IMM); } JUMP(NPC, 1);
L_bne:  if (RS1 != RS2) { TAKEN(PC + IMM); } JUMP(NPC, 1);
L_blt:  if ((int64_t)RS1 < (int64_t)RS2) { TAKEN(PC + IMM); }
        JUMP(NPC, 1);
L_bge:  if ((int64_t)RS1 >= (int64_t)RS2) { TAKEN(PC + IMM); }
        JUMP(NPC, 1);
L_bltu: if (RS1 < RS2) { TAKEN(PC + IMM); } JUMP(NPC, 1);
L_bgeu: if (RS1 >= RS2) { TAKEN(PC + IMM); } JUMP(NPC, 1);

    /* Loads: TLB hit = aligned access to a cached RAM page. */
#define LOAD(type, size, dest) do { \
        uint64_t va_ = RS1 + IMM, v_; \
        CPUTLBEntry *e_ = &dtlb[(va_ >> TLB_PAGE_BITS) & (TLB_SIZE - 1)]; \
        if (likely(e_->tag_read == (va_ & (TLB_PAGE_MASK | (size - 1))))) { \
            dest = *(type *)(uintptr_t)(va_ + e_->addend); \
        } else { \
            if (!riscv_ld_slow(env, va_, size, &v_)) { \
                goto excp; \
            } \
            dest = (type)v_; \
        } \
    } while (0)

L_lb:  LOAD(int8_t, 1, RD); NEXT;
L_lh:  LOAD(int16_t, 2, RD); NEXT;
L_lw:  LOAD(int32_t, 4, RD); NEXT;
L_ld:  LOAD(uint64_t, 8, RD); NEXT;
L_lbu: LOAD(uint8_t, 1, RD); NEXT;
L_lhu: LOAD(uint16_t, 2, RD); NEXT;
L_lwu: LOAD(uint32_t, 4, RD); NEXT;

    /* Stores: a slow-path store into decoded code ends the block. */
#define STORE(type, size, val) do { \
        uint64_t va_ = RS1 + IMM; \
        CPUTLBEntry *e_ = &dtlb[(va_ >> TLB_PAGE_BITS) & (TLB_SIZE - 1)]; \
        if (likely(e_->tag_write == (va_ & (TLB_PAGE_MASK | (size - 1))))) { \
            *(type *)(uintptr_t)(va_ + e_->addend) = (type)(val); \
        } else { \
            bool hit_; \
            if (!riscv_st_slow(env, va_, size, (val), &hit_)) { \
                goto excp; \
            } \
            if (hit_) { \
                goto leave_after; \
            } \
        } \
    } while (0)

L_sb: STORE(uint8_t, 1, RS2); NEXT;
L_sh: STORE(uint16_t, 2, RS2); NEXT;
L_sw: STORE(uint32_t, 4, RS2); NEXT;
L_sd: STORE(uint64_t, 8, RS2); NEXT;

L_addi:  RD = RS1 + IMM; NEXT;
L_slti:  RD = (int64_t)RS1 < IMM; NEXT;
L_sltiu: RD = RS1 < (uint64_t)IMM; NEXT;
L_xori:  RD = RS1 ^ IMM; NEXT;
L_ori:   RD = RS1 | IMM; NEXT;
L_andi:  RD = RS1 & IMM; NEXT;
L_slli:  RD = RS1 << IMM; NEXT;
L_srli:  RD = RS1 >> IMM; NEXT;
L_srai:  RD = (int64_t)RS1 >> IMM; NEXT;
L_add:   RD = RS1 + RS2; NEXT;
L_sub:   RD = RS1 - RS2; NEXT;
L_sll:   RD = RS1 << (RS2 & 63); NEXT;
L_slt:   RD = (int64_t)RS1 < (int64_t)RS2; NEXT;
L_sltu:  RD = RS1 < RS2; NEXT;
L_xor:   RD = RS1 ^ RS2; NEXT;
L_srl:   RD = RS1 >> (RS2 & 63); NEXT;
L_sra:   RD = (int64_t)RS1 >> (RS2 & 63); NEXT;
L_or:    RD = RS1 | RS2; NEXT;
L_and:   RD = RS1 & RS2; NEXT;
L_addiw: RD = sx32(RS1 + IMM); NEXT;
L_slliw: RD = sx32(RS1 << IMM); NEXT;
L_srliw: RD = sx32((uint32_t)RS1 >> IMM); NEXT;
L_sraiw: RD = (int32_t)RS1 >> IMM; NEXT;
L_addw:  RD = sx32(RS1 + RS2); NEXT;
L_subw:  RD = sx32(RS1 - RS2); NEXT;
L_sllw:  RD = sx32((uint32_t)RS1 << (RS2 & 31)); NEXT;
L_srlw:  RD = sx32((uint32_t)RS1 >> (RS2 & 31)); NEXT;
L_sraw:  RD = (int32_t)RS1 >> (RS2 & 31); NEXT;

    /* ---- System ---- */
L_fence:
    /*
     * The host (x86: TSO) may still reorder a store before a later load
     * of another address, which a guest "fence rw,rw" (or w,r) forbids;
     * Dekker-style handshakes between harts (OpenSBI's IPI and TLB
     * syncs, Linux's wake-ups) depend on it.  A full host barrier covers
     * every predecessor/successor set; fences are rare enough not to
     * matter for speed.
     */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    NEXT;
L_fence_i:
    riscv_tb_flush(env);
    goto leave_after;
L_ecall:
    env->excp_cause = RISCV_EXCP_U_ECALL + env->priv;
    env->excp_tval = 0;
    goto excp;
L_ebreak:
    env->excp_cause = RISCV_EXCP_BREAKPOINT;
    env->excp_tval = 0;
    goto excp;
L_mret:
    env->pc = PC;
    if (!riscv_do_mret(env)) {
        goto illegal;
    }
    env->instret += DONE_BEFORE + 1;
    return INTERP_RELOAD;
L_sret:
    env->pc = PC;
    if (!riscv_do_sret(env)) {
        goto illegal;
    }
    env->instret += DONE_BEFORE + 1;
    return INTERP_RELOAD;
L_wfi:
    if (env->priv == PRV_U ||
        (env->priv < PRV_M && (env->mstatus & MSTATUS_TW))) {
        goto illegal;
    }
    env->pc = NPC;
    env->instret += DONE_BEFORE + 1;
    if (!riscv_pending_irqs(env)) {
        env->halted = true;
        return INTERP_HALT;
    }
    return INTERP_RELOAD;
L_sfence_vma:
    if (env->priv == PRV_U ||
        (env->priv == PRV_S && (env->mstatus & MSTATUS_TVM))) {
        goto illegal;
    }
    if (ip->rs1) {
        riscv_tlb_flush_page(env, RS1);
    } else {
        riscv_tlb_flush(env);
    }
    goto leave_after;
L_csr: {
        uint64_t src = (ip->sub & 4) ? ip->rs1 : RS1, old;
        bool write = (ip->sub & 3) == 1 || ip->rs1 != 0;
        env->pc = PC;
        if (!riscv_csr_op(env, IMM, ip->sub, src, write, &old,
                          DONE_BEFORE)) {
            goto illegal;
        }
        RD = old;
        goto leave_after;
    }

    /* ---- M ---- */
L_mul:    RD = RS1 * RS2; NEXT;
L_mulh:   RD = mulh64(RS1, RS2); NEXT;
L_mulhsu: RD = mulhsu64(RS1, RS2); NEXT;
L_mulhu:  RD = mulhu64(RS1, RS2); NEXT;
L_div:    RD = div64(RS1, RS2); NEXT;
L_divu:   RD = RS2 ? RS1 / RS2 : UINT64_MAX; NEXT;
L_rem:    RD = rem64(RS1, RS2); NEXT;
L_remu:   RD = RS2 ? RS1 % RS2 : RS1; NEXT;
L_mulw:   RD = sx32(RS1 * RS2); NEXT;
L_divw:   RD = div32(RS1, RS2); NEXT;
L_divuw:  RD = (uint32_t)RS2 ? sx32((uint32_t)RS1 / (uint32_t)RS2)
                              : UINT64_MAX; NEXT;
L_remw:   RD = rem32(RS1, RS2); NEXT;
L_remuw:  RD = (uint32_t)RS2 ? sx32((uint32_t)RS1 % (uint32_t)RS2)
                              : sx32(RS1); NEXT;

    /* ---- A ---- */
L_lr_w:  if (!do_lr(env, ip, true)) { goto excp; } NEXT;
L_lr_d:  if (!do_lr(env, ip, false)) { goto excp; } NEXT;
L_sc_w:  if (!do_sc(env, ip, true)) { goto excp; } NEXT;
L_sc_d:  if (!do_sc(env, ip, false)) { goto excp; } NEXT;
L_amo_w: if (!do_amo(env, ip, true)) { goto excp; } NEXT;
L_amo_d: if (!do_amo(env, ip, false)) { goto excp; } NEXT;

    /* ---- F/D ---- */
#define FP_CHECK() do { \
        if (unlikely(!riscv_fs_enabled(env))) { \
            goto illegal; \
        } \
    } while (0)

L_flw: {
        uint32_t v;
        FP_CHECK();
        LOAD(uint32_t, 4, v);
        f[ip->rd] = 0xffffffff00000000ULL | v;     /* NaN-boxed */
        riscv_fs_dirty(env);
        NEXT;
    }
L_fld:
    FP_CHECK();
    LOAD(uint64_t, 8, f[ip->rd]);
    riscv_fs_dirty(env);
    NEXT;
L_fsw:
    FP_CHECK();
    STORE(uint32_t, 4, f[ip->rs2]);
    NEXT;
L_fsd:
    FP_CHECK();
    STORE(uint64_t, 8, f[ip->rs2]);
    NEXT;
L_fp:
    FP_CHECK();
    if (!riscv_fpu_exec(env, ip->insn)) {
        goto illegal;
    }
    NEXT;
    /* Round-to-nearest double arithmetic straight on the host FPU. */
L_fadd_d:
    FP_CHECK();
    f[ip->rd] = d2f(f2d(f[ip->rs1]) + f2d(f[ip->rs2]));
    riscv_fs_dirty(env);
    NEXT;
L_fsub_d:
    FP_CHECK();
    f[ip->rd] = d2f(f2d(f[ip->rs1]) - f2d(f[ip->rs2]));
    riscv_fs_dirty(env);
    NEXT;
L_fmul_d:
    FP_CHECK();
    f[ip->rd] = d2f(f2d(f[ip->rs1]) * f2d(f[ip->rs2]));
    riscv_fs_dirty(env);
    NEXT;
L_fmadd_d:
    FP_CHECK();
    if (!riscv_fpu_exec(env, ip->insn)) {
        goto illegal;
    }
    NEXT;

    /* ---- Zba ---- */
L_sh1add:    RD = (RS1 << 1) + RS2; NEXT;
L_sh2add:    RD = (RS1 << 2) + RS2; NEXT;
L_sh3add:    RD = (RS1 << 3) + RS2; NEXT;
L_add_uw:    RD = (uint32_t)RS1 + RS2; NEXT;
L_sh1add_uw: RD = ((uint64_t)(uint32_t)RS1 << 1) + RS2; NEXT;
L_sh2add_uw: RD = ((uint64_t)(uint32_t)RS1 << 2) + RS2; NEXT;
L_sh3add_uw: RD = ((uint64_t)(uint32_t)RS1 << 3) + RS2; NEXT;
L_slli_uw:   RD = (uint64_t)(uint32_t)RS1 << IMM; NEXT;

    /* ---- Zbb ---- */
L_andn:   RD = RS1 & ~RS2; NEXT;
L_orn:    RD = RS1 | ~RS2; NEXT;
L_xnor:   RD = ~(RS1 ^ RS2); NEXT;
L_clz:    RD = RS1 ? __builtin_clzll(RS1) : 64; NEXT;
L_clzw:   RD = (uint32_t)RS1 ? __builtin_clz((uint32_t)RS1) : 32; NEXT;
L_ctz:    RD = RS1 ? __builtin_ctzll(RS1) : 64; NEXT;
L_ctzw:   RD = (uint32_t)RS1 ? __builtin_ctz((uint32_t)RS1) : 32; NEXT;
L_cpop:   RD = __builtin_popcountll(RS1); NEXT;
L_cpopw:  RD = __builtin_popcount((uint32_t)RS1); NEXT;
L_max:    RD = (int64_t)RS1 > (int64_t)RS2 ? RS1 : RS2; NEXT;
L_maxu:   RD = RS1 > RS2 ? RS1 : RS2; NEXT;
L_min:    RD = (int64_t)RS1 < (int64_t)RS2 ? RS1 : RS2; NEXT;
L_minu:   RD = RS1 < RS2 ? RS1 : RS2; NEXT;
L_sext_b: RD = (int8_t)RS1; NEXT;
L_sext_h: RD = (int16_t)RS1; NEXT;
L_zext_h: RD = (uint16_t)RS1; NEXT;
L_rol:    RD = rol64(RS1, RS2); NEXT;
L_ror:    RD = ror64(RS1, RS2); NEXT;
L_rori:   RD = ror64(RS1, IMM); NEXT;
L_rolw:   RD = sx32(rol32(RS1, RS2)); NEXT;
L_rorw:   RD = sx32(ror32(RS1, RS2)); NEXT;
L_roriw:  RD = sx32(ror32(RS1, IMM)); NEXT;
L_orc_b:  RD = orc_b(RS1); NEXT;
L_rev8:   RD = __builtin_bswap64(RS1); NEXT;

    /* ---- Zbs ---- */
L_bclr:  RD = RS1 & ~(1ULL << (RS2 & 63)); NEXT;
L_bclri: RD = RS1 & ~(1ULL << IMM); NEXT;
L_bext:  RD = (RS1 >> (RS2 & 63)) & 1; NEXT;
L_bexti: RD = (RS1 >> IMM) & 1; NEXT;
L_binv:  RD = RS1 ^ (1ULL << (RS2 & 63)); NEXT;
L_binvi: RD = RS1 ^ (1ULL << IMM); NEXT;
L_bset:  RD = RS1 | (1ULL << (RS2 & 63)); NEXT;
L_bseti: RD = RS1 | (1ULL << IMM); NEXT;
}

void riscv_interp_init(void)
{
    if (!riscv_interp_labels) {
        interp(NULL, 0);
    }
}

void riscv_cpu_exit_request(RISCVCPU *cpu)
{
    __atomic_store_n(&cpu->env.exit_request, 1, __ATOMIC_RELEASE);
}

RISCVExecResult riscv_cpu_exec(RISCVCPU *cpu, uint64_t max_insns)
{
    CPURISCVState *env = &cpu->env;
    uint64_t stop_at = env->instret + max_insns;

    riscv_interp_init();
    riscv_tb_reap(env);
    riscv_fpu_clear_host_flags();   /* the host FPU now accrues for us */
    for (;;) {
        /* A kick (pause, interrupt) ends this slice. */
        if (__atomic_exchange_n(&env->exit_request, 0, __ATOMIC_ACQ_REL)) {
            stop_at = env->instret;
        }
        if (__atomic_exchange_n(&env->flush_request, 0, __ATOMIC_ACQ_REL)) {
            riscv_cpu_flush_all(cpu);
            riscv_tb_reap(env);
        }
        if (env->cfg.ext_sstc && (env->menvcfg & MENVCFG_STCE)) {
            riscv_sstc_update(env, false);
        }
        if (riscv_pending_irqs(env)) {
            env->halted = false;
            riscv_exec_interrupt(env);
        }
        if (env->halted) {
            riscv_fpu_sync_flags(env);
            return EXEC_HALTED;
        }
        if (env->instret >= stop_at) {
            riscv_fpu_sync_flags(env);
            return EXEC_BUDGET;
        }
        if (interp(env, stop_at) == INTERP_HALT) {
            riscv_fpu_sync_flags(env);
            return EXEC_HALTED;
        }
        riscv_tb_reap(env);
    }
}
