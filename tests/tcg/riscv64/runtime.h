/*
 * Runtime of the bare-metal RISC-V test programs.
 *
 * Every program defines main(), which runs on hart 0 in M-mode with
 * mstatus.FS enabled and the runtime's trap vector installed.  Checks
 * are counted; the first failure's source line becomes the finisher
 * code.  Other harts park until start_hart() hands them a function.
 */
#ifndef TCG_RUNTIME_H
#define TCG_RUNTIME_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* virt board addresses */
#define VIRT_TEST_BASE      0x100000UL
#define VIRT_UART0_BASE     0x10000000UL
#define VIRT_CLINT_BASE     0x2000000UL
#define CLINT_MSIP(h)       (VIRT_CLINT_BASE + 4 * (h))
#define CLINT_MTIMECMP(h)   (VIRT_CLINT_BASE + 0x4000 + 8 * (h))
#define CLINT_MTIME         (VIRT_CLINT_BASE + 0xbff8)

#define FINISHER_PASS       0x5555
#define FINISHER_FAIL       0x3333

#define MAX_HARTS           8

/* Privilege levels as encoded in mstatus.MPP */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* mstatus / sstatus fields */
#define MSTATUS_SIE     (1UL << 1)
#define MSTATUS_MIE     (1UL << 3)
#define MSTATUS_SPIE    (1UL << 5)
#define MSTATUS_MPIE    (1UL << 7)
#define MSTATUS_SPP     (1UL << 8)
#define MSTATUS_MPP     (3UL << 11)
#define MSTATUS_FS      (3UL << 13)
#define MSTATUS_FS_INITIAL (1UL << 13)
#define MSTATUS_FS_CLEAN (2UL << 13)
#define MSTATUS_FS_DIRTY (3UL << 13)
#define MSTATUS_MPRV    (1UL << 17)
#define MSTATUS_SUM     (1UL << 18)
#define MSTATUS_MXR     (1UL << 19)
#define MSTATUS_TVM     (1UL << 20)
#define MSTATUS_TW      (1UL << 21)
#define MSTATUS_TSR     (1UL << 22)
#define MSTATUS_SD      (1UL << 63)

/* Interrupt numbers (mip/mie bits and mcause codes) */
#define IRQ_S_SOFT      1
#define IRQ_M_SOFT      3
#define IRQ_S_TIMER     5
#define IRQ_M_TIMER     7
#define IRQ_S_EXT       9
#define IRQ_M_EXT       11
#define MIP_SSIP        (1UL << IRQ_S_SOFT)
#define MIP_MSIP        (1UL << IRQ_M_SOFT)
#define MIP_STIP        (1UL << IRQ_S_TIMER)
#define MIP_MTIP        (1UL << IRQ_M_TIMER)
#define CAUSE_INTERRUPT (1UL << 63)

/* Exception causes */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_USER_ECALL        8
#define CAUSE_SUPERVISOR_ECALL  9
#define CAUSE_MACHINE_ECALL     11
#define CAUSE_FETCH_PAGE_FAULT  12
#define CAUSE_LOAD_PAGE_FAULT   13
#define CAUSE_STORE_PAGE_FAULT  15

#define STR_(x) #x
#define STR(x) STR_(x)

#define csr_read(csr) ({ unsigned long v_; \
    asm volatile("csrr %0, " STR(csr) : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, val) ({ \
    asm volatile("csrw " STR(csr) ", %0" :: "rK"(val) : "memory"); })
#define csr_set(csr, val) ({ \
    asm volatile("csrs " STR(csr) ", %0" :: "rK"(val) : "memory"); })
#define csr_clear(csr, val) ({ \
    asm volatile("csrc " STR(csr) ", %0" :: "rK"(val) : "memory"); })
#define csr_swap(csr, val) ({ unsigned long v_; \
    asm volatile("csrrw %0, " STR(csr) ", %1" : "=r"(v_) : "rK"(val) \
                 : "memory"); v_; })

static inline void mmio_write32(unsigned long addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(unsigned long addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write64(unsigned long addr, uint64_t v)
{
    *(volatile uint64_t *)addr = v;
}

static inline uint64_t mmio_read64(unsigned long addr)
{
    return *(volatile uint64_t *)addr;
}

/* UART output (hart 0 only; no locking) */
void uart_putc(char c);
void uart_puts(const char *s);
void uart_puthex(uint64_t v);
void uart_putdec(uint64_t v);

/* Checks */
extern unsigned long checks_run;
extern unsigned long checks_failed;
void check_failed(int line, const char *expr, uint64_t got, uint64_t want);

#define CHECK(cond) do { \
    checks_run++; \
    if (!(cond)) { \
        check_failed(__LINE__, #cond, 0, 1); \
    } \
} while (0)

#define CHECK_EQ(got, want) do { \
    uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want); \
    checks_run++; \
    if (got_ != want_) { \
        check_failed(__LINE__, #got " == " #want, got_, want_); \
    } \
} while (0)

/* Print the summary and leave through the finisher; never returns. */
void __attribute__((noreturn)) finish(void);
void __attribute__((noreturn)) finisher_exit(uint32_t value);

/*
 * Trap record.  The runtime's M-mode (and, when installed, S-mode) trap
 * handler stores what it saw here.  For an exception it resumes at
 * trap_resume_pc when non-zero (cleared after use), else after the
 * faulting instruction.  For an interrupt it calls irq_hook when set,
 * else clears the interrupt's enable bit so it does not fire again.
 */
struct trap_frame {
    uint64_t regs[32];      /* x0..x31 at trap time (regs[0] unused) */
    uint64_t cause;
    uint64_t epc;
    uint64_t tval;
    uint64_t status;
};

struct trap_record {
    volatile uint64_t count;
    volatile uint64_t cause;
    volatile uint64_t epc;
    volatile uint64_t tval;
    volatile uint64_t prev_priv;    /* privilege the trap came from */
    volatile uint64_t level;        /* PRV_M or PRV_S: who took it */
};

extern struct trap_record mtrap, strap;
extern volatile uint64_t trap_resume_pc;
extern void (*volatile irq_hook)(struct trap_frame *f, bool smode);

void trap_reset(void);

/* S-mode trap entry, for stvec (direct mode). */
void strap_entry(void);

/*
 * Run fn(arg) in privilege mode prv (PRV_U or PRV_S) with whatever
 * mstatus/satp the caller set up; return fn's result once fn returns.
 * fn returns through an ecall that the M-mode handler recognises.
 */
uint64_t run_in_mode(int prv, uint64_t (*fn)(uint64_t), uint64_t arg);

/* SMP: run fn(hartid) on hart h; wait for it; hart count. */
void start_hart(int h, void (*fn)(int hartid));
void wait_hart(int h);
int hart_count(void);
int hart_id(void);

int main(void);

#endif
