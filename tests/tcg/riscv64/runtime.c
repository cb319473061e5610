/*
 * Runtime of the bare-metal RISC-V test programs: UART output, check
 * bookkeeping, finisher exit, trap recording and hart start-up.
 */
#include "runtime.h"

#define UART_THR    0
#define UART_LSR    5
#define UART_LSR_THRE 0x20

#define RUN_EXIT_MAGIC  0x4d524554
#define REG_RA  1
#define REG_A0  10
#define REG_A7  17

unsigned long checks_run;
unsigned long checks_failed;
static int first_failed_line;

struct trap_record mtrap, strap;
volatile uint64_t trap_resume_pc;
void (*volatile irq_hook)(struct trap_frame *f, bool smode);

extern volatile uint64_t harts_booted;
extern volatile uint64_t hart_fn[MAX_HARTS];
extern volatile uint64_t hart_done[MAX_HARTS];
uint64_t run_in_mode_asm(uint64_t mpp, uint64_t (*fn)(uint64_t),
                         uint64_t arg);

void uart_putc(char c)
{
    volatile uint8_t *uart = (volatile uint8_t *)VIRT_UART0_BASE;

    while (!(uart[UART_LSR] & UART_LSR_THRE)) {
        /* wait for the transmit holding register to empty */
    }
    uart[UART_THR] = c;
}

void uart_puts(const char *s)
{
    while (*s) {
        if (*s == '\n') {
            uart_putc('\r');
        }
        uart_putc(*s++);
    }
}

void uart_puthex(uint64_t v)
{
    uart_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4) {
        uart_putc("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

void uart_putdec(uint64_t v)
{
    char buf[24];
    int n = 0;

    do {
        buf[n++] = '0' + v % 10;
        v /= 10;
    } while (v);
    while (n) {
        uart_putc(buf[--n]);
    }
}

void check_failed(int line, const char *expr, uint64_t got, uint64_t want)
{
    checks_failed++;
    if (!first_failed_line) {
        first_failed_line = line;
    }
    uart_puts("FAIL line ");
    uart_putdec(line);
    uart_puts(": ");
    uart_puts(expr);
    uart_puts(" got ");
    uart_puthex(got);
    uart_puts(" want ");
    uart_puthex(want);
    uart_puts("\n");
}

void finisher_exit(uint32_t value)
{
    mmio_write32(VIRT_TEST_BASE, value);
    for (;;) {
        asm volatile("wfi");
    }
}

void finish(void)
{
    uint32_t code;

    uart_puts("checks: ");
    uart_putdec(checks_run);
    uart_puts(" failed: ");
    uart_putdec(checks_failed);
    uart_puts("\n");
    if (checks_failed == 0 && checks_run > 0) {
        uart_puts("PASS\n");
        finisher_exit(FINISHER_PASS);
    }

    /*
     * The code is the first failing line.  QEMU exits with the code as
     * the process status, so keep its low byte non-zero.
     */
    code = first_failed_line & 0xffff;
    if ((code & 0xff) == 0) {
        code |= 1;
    }
    uart_puts("FAILED\n");
    finisher_exit((code << 16) | FINISHER_FAIL);
}

void trap_reset(void)
{
    mtrap.count = 0;
    mtrap.cause = ~0UL;
    mtrap.epc = 0;
    mtrap.tval = 0;
    strap.count = 0;
    strap.cause = ~0UL;
    strap.epc = 0;
    strap.tval = 0;
    trap_resume_pc = 0;
}

/* Length of the instruction at pc, read with the handler's own view. */
static unsigned insn_length(uint64_t pc, bool smode)
{
    uint16_t parcel;

    if (smode) {
        /* U pages and execute-only pages must be readable here */
        unsigned long old = csr_read(sstatus);
        csr_set(sstatus, MSTATUS_SUM | MSTATUS_MXR);
        parcel = *(volatile uint16_t *)pc;
        csr_write(sstatus, old);
    } else {
        parcel = *(volatile uint16_t *)pc;
    }
    return (parcel & 3) == 3 ? 4 : 2;
}

static bool is_fetch_fault(uint64_t cause)
{
    return cause == CAUSE_MISALIGNED_FETCH || cause == CAUSE_FETCH_ACCESS ||
           cause == CAUSE_FETCH_PAGE_FAULT;
}

static void handle_interrupt(struct trap_frame *f, bool smode)
{
    uint64_t bit = 1UL << (f->cause & 63);

    if (irq_hook) {
        irq_hook(f, smode);
    } else if (smode) {
        csr_clear(sie, bit);
    } else {
        csr_clear(mie, bit);
    }
}

/*
 * Where an exception resumes: an explicit resume address, else the
 * caller of a faulting fetch (ra), else the next instruction.
 */
static void resume_exception(struct trap_frame *f, bool smode)
{
    if (trap_resume_pc) {
        f->epc = trap_resume_pc;
        trap_resume_pc = 0;
    } else if (is_fetch_fault(f->cause)) {
        f->epc = f->regs[REG_RA];
    } else {
        f->epc += insn_length(f->epc, smode);
    }
}

static bool is_run_exit(struct trap_frame *f)
{
    return (f->cause == CAUSE_USER_ECALL ||
            f->cause == CAUSE_SUPERVISOR_ECALL) &&
           f->regs[REG_A7] == RUN_EXIT_MAGIC;
}

/* Called from the trap entries; non-zero ends a run_in_mode() call. */
int trap_handler(struct trap_frame *f, long smode)
{
    struct trap_record *r = smode ? &strap : &mtrap;

    if (is_run_exit(f)) {
        return 1;
    }
    r->count++;
    r->cause = f->cause;
    r->epc = f->epc;
    r->tval = f->tval;
    r->level = smode ? PRV_S : PRV_M;
    if (smode) {
        r->prev_priv = (f->status & MSTATUS_SPP) ? PRV_S : PRV_U;
    } else {
        r->prev_priv = (f->status & MSTATUS_MPP) >> 11;
    }
    if (f->cause & CAUSE_INTERRUPT) {
        handle_interrupt(f, smode);
    } else {
        resume_exception(f, smode);
    }
    return 0;
}

uint64_t run_in_mode(int prv, uint64_t (*fn)(uint64_t), uint64_t arg)
{
    unsigned long mie_was = csr_read(mstatus) & MSTATUS_MIE;
    uint64_t ret;

    csr_clear(mstatus, MSTATUS_MIE);
    ret = run_in_mode_asm((uint64_t)prv << 11, fn, arg);
    csr_set(mstatus, mie_was);
    return ret;
}

int hart_id(void)
{
    return csr_read(mhartid);
}

int hart_count(void)
{
    uint64_t start = mmio_read64(CLINT_MTIME);

    /*
     * Secondaries count themselves in.  Give them 2 s to arrive: on a
     * loaded host, vCPU threads can start late.
     */
    while (harts_booted < MAX_HARTS - 1 &&
           mmio_read64(CLINT_MTIME) - start < 20000000) {
        asm volatile("pause");
    }
    return harts_booted + 1;
}

void start_hart(int h, void (*fn)(int hartid))
{
    hart_done[h] = 0;
    asm volatile("fence rw, rw" ::: "memory");
    hart_fn[h] = (uint64_t)fn;
}

void wait_hart(int h)
{
    while (!hart_done[h]) {
        asm volatile("pause");
    }
    asm volatile("fence rw, rw" ::: "memory");
}
