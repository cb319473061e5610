/*
 * cpu.h: the RISC-V hart (RV64GC, M/S/U, Sv39/Sv48) and its public API.
 *
 * Threads and locking:
 *  - A hart's CPURISCVState is owned by the thread that runs it (its vCPU
 *    thread); nobody else reads or writes it while it runs, except the
 *    fields marked "atomic" below.
 *  - riscv_cpu_set_irq() is called by devices with the big lock held, from
 *    any thread: it updates mip atomically and kicks the hart.
 *  - Everything else here is called with the hart stopped (board set-up,
 *    reset, "info registers") or from the hart's own thread.
 */
#ifndef RISCV_CPU_H
#define RISCV_CPU_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "exec/memory.h"
#include "cpu_bits.h"

#define TYPE_RISCV_CPU "riscv-cpu"
#define TYPE_RISCV_CPU_BASE64 "rv64-riscv-cpu"
#define TYPE_RISCV_CPU_ANY "any-riscv-cpu"

/* Extensions a -cpu option can switch; see riscv_cpu_parse_features(). */
typedef struct RISCVCPUConfig {
    bool ext_i, ext_m, ext_a, ext_f, ext_d, ext_c, ext_s, ext_u;
    bool ext_icsr, ext_ifencei, ext_zicntr, ext_zihintpause;
    bool ext_zba, ext_zbb, ext_zbs, ext_sstc;
    bool mmu, pmp;
    uint8_t satp_mode_max;      /* VM_1_10_SV39, _SV48 or _SV57 */
    uint64_t mvendorid, marchid, mimpid;
} RISCVCPUConfig;

/* Software TLB: one set per MMU index, direct mapped. */
#define TLB_BITS        10
#define TLB_SIZE        (1 << TLB_BITS)
#define TLB_PAGE_BITS   12
#define TLB_PAGE_SIZE   (1ULL << TLB_PAGE_BITS)
#define TLB_PAGE_MASK   (~(TLB_PAGE_SIZE - 1))
#define TLB_INVALID     1ULL      /* a tag that no aligned address has */

enum {
    MMU_IDX_U,          /* user */
    MMU_IDX_S,          /* supervisor, SUM clear */
    MMU_IDX_S_SUM,      /* supervisor, SUM set */
    MMU_IDX_M,          /* machine (bare) */
    MMU_IDX_COUNT,
};

/*
 * A tag is the virtual page address when the access kind is allowed and
 * the page is RAM that may be reached through host pointer
 * (vaddr + addend); TLB_INVALID otherwise (the slow path decides).
 */
typedef struct CPUTLBEntry {
    uint64_t tag_read;
    uint64_t tag_write;
    uint64_t tag_code;
    uintptr_t addend;
    uint64_t paddr;             /* physical page, for code invalidation */
} CPUTLBEntry;

typedef struct PMPEntry {
    uint8_t cfg;
    uint64_t addr;              /* pmpaddr register (address >> 2) */
} PMPEntry;

typedef struct TBCache TBCache;

/* The "time" CSR counts at this rate (the virt board's ACLINT). */
#define RISCV_TIMEBASE_FREQ 10000000

typedef uint64_t (*RISCVRdtimeFn)(void *opaque);

typedef struct CPURISCVState {
    /* x[0] is always 0; x[32] is the sink that writes to x0 go to. */
    uint64_t gpr[33];
    uint64_t fpr[32];
    uint64_t pc;

    /* Machine state */
    uint64_t priv;
    uint64_t misa;
    uint64_t mstatus;
    uint64_t mip;               /* atomic: devices set bits from any thread */
    uint64_t mie;
    uint64_t mideleg, medeleg;
    uint64_t mtvec, stvec;
    uint64_t mepc, sepc;
    uint64_t mcause, scause;
    uint64_t mtval, stval;
    uint64_t mscratch, sscratch;
    uint64_t satp;
    uint64_t menvcfg, senvcfg;
    uint32_t mcounteren, scounteren, mcountinhibit;
    uint64_t stimecmp;
    uint64_t mhartid;
    uint64_t instret;           /* retired instructions (exact) */
    int64_t mcycle_delta, minstret_delta;   /* written minus counted */
    uint64_t mcycle_frozen, minstret_frozen;  /* while mcountinhibit */

    /* Floating point: flags not yet folded in live in the host FPU. */
    uint32_t fflags, frm;

    PMPEntry pmp[MAX_RISCV_PMPS];
    bool pmp_active;            /* some entry has A != OFF */

    /* LR/SC reservation: address and the value loaded (-1 = none). */
    uint64_t load_res;
    uint64_t load_val;

    /* Pending trap being raised from a helper. */
    int64_t excp_cause;
    uint64_t excp_tval;

    /* Time source (the ACLINT timer); 10 MHz ticks. */
    RISCVRdtimeFn rdtime_fn;
    void *rdtime_opaque;

    /* Execution engine */
    int exit_request;           /* atomic: leave the block loop */
    int flush_request;          /* atomic: memory map changed, flush */
    /* Virtual range [lo, hi) that superpage TLB fills came from since
     * the last full flush (an sfence.vma inside it flushes everything). */
    uint64_t tlb_large_lo, tlb_large_hi;
    bool halted;                /* in wfi, waiting for mip & mie */
    /*
     * Links between blocks and jump-cache entries are valid while tb_gen
     * is unchanged.  tb_gen = tb_flush_gen << 2 | priv: flushes bump
     * tb_flush_gen, and each privilege level keeps its own links, so a
     * trap and the return from it lose nothing.
     */
    uint64_t tb_gen;
    uint64_t tb_flush_gen;
    CPUTLBEntry tlb[MMU_IDX_COUNT][TLB_SIZE];
    TBCache *tbc;
    AddressSpace *as;

    RISCVCPUConfig cfg;
} CPURISCVState;

typedef struct RISCVCPU {
    void *parent_obj;           /* reserved for the QOM wrapper */
    CPURISCVState env;
    uint32_t hartid;
    uint64_t resetvec;
    void *cpu_state;            /* vCPU thread bookkeeping (cpus.c) */
    /* Sstc: QEMU_CLOCK_VIRTUAL timer raising STIP at stimecmp. */
    struct QEMUTimer *sstc_timer;
    /* Opaque of the address space's topology notifier. */
    struct RISCVCPU **topology_hook;
    /* Kick hook: wake the hart's thread (set by cpus.c). */
    void (*kick)(struct RISCVCPU *cpu);
} RISCVCPU;

/* ---- Creation and configuration (big lock held, hart stopped) ---- */

/* Fill @cfg with the defaults of model "rv64". */
void riscv_cpu_config_default(RISCVCPUConfig *cfg);
/*
 * Parse "-cpu" text "MODEL[,flag=on|off,...]" (models: rv64, any).
 * False with errp set for an unknown model or flag.
 */
bool riscv_cpu_parse_features(RISCVCPUConfig *cfg, const char *model_flags,
                              Error **errp);
/* "-cpu help" text. */
void riscv_cpu_list(FILE *f);

RISCVCPU *riscv_cpu_new(const RISCVCPUConfig *cfg, uint32_t hartid,
                        AddressSpace *as, Error **errp);
void riscv_cpu_free(RISCVCPU *cpu);
/* Architectural reset: M-mode at @resetvec, mip cleared. */
void riscv_cpu_reset(RISCVCPU *cpu, uint64_t resetvec);
/* "rv64imafdc_zicsr_..." for the device tree (caller frees). */
char *riscv_isa_string(RISCVCPU *cpu);
/*
 * Install the time source for the "time" CSR and Sstc (ticks at
 * RISCV_TIMEBASE_FREQ).  Also creates the Sstc timer, which runs in the
 * main loop.
 */
void riscv_cpu_set_rdtime_fn(RISCVCPU *cpu, RISCVRdtimeFn fn, void *opaque);

/* ---- Interrupts (big lock held, any thread) ---- */

/* Set or clear mip bit @irq (IRQ_M_TIMER etc.) and kick the hart. */
void riscv_cpu_set_irq(RISCVCPU *cpu, int irq, int level);
/* Interrupt pending and enabled in mie (what ends wfi). */
bool riscv_cpu_has_work(RISCVCPU *cpu);
/* Ask the hart to leave its block loop soon (any thread). */
void riscv_cpu_exit_request(RISCVCPU *cpu);

/* ---- Execution (hart's own thread) ---- */

typedef enum RISCVExecResult {
    EXEC_BUDGET,        /* ran out of instructions or exit requested */
    EXEC_HALTED,        /* entered wfi; nothing pending */
} RISCVExecResult;

/* Run up to about @max_insns instructions. */
RISCVExecResult riscv_cpu_exec(RISCVCPU *cpu, uint64_t max_insns);

/* Drop every TLB entry and decoded block (topology change, reset). */
void riscv_cpu_flush_all(RISCVCPU *cpu);

/* ---- Introspection ---- */

/* "info registers" text in QEMU's layout. */
void riscv_cpu_dump_state(RISCVCPU *cpu, GString *out);
/* Disassemble one instruction into @buf; returns its length. */
int riscv_disas_insn(uint32_t insn, uint64_t pc, char *buf, size_t size);

#endif /* RISCV_CPU_H */
