/*
 * Zicsr, Zicntr, Zihintpause, Zifencei and self-modifying code.
 */
#include "runtime.h"

/* mscratch holds the trap stack: no trap may happen until restored. */
static void test_csr_rw(void)
{
    uint64_t saved = csr_read(mscratch);
    uint64_t old;

    csr_write(mscratch, 0x1234);
    asm volatile("csrrw %0, mscratch, %1" : "=r"(old) : "r"(0xff00UL));
    CHECK_EQ(old, 0x1234);
    CHECK_EQ(csr_read(mscratch), 0xff00);
    asm volatile("csrrs %0, mscratch, %1" : "=r"(old) : "r"(0x00ffUL));
    CHECK_EQ(old, 0xff00);
    CHECK_EQ(csr_read(mscratch), 0xffff);
    asm volatile("csrrc %0, mscratch, %1" : "=r"(old) : "r"(0x0f0fUL));
    CHECK_EQ(old, 0xffff);
    CHECK_EQ(csr_read(mscratch), 0xf0f0);
    asm volatile("csrrwi %0, mscratch, 31" : "=r"(old));
    CHECK_EQ(old, 0xf0f0);
    CHECK_EQ(csr_read(mscratch), 31);
    asm volatile("csrrsi %0, mscratch, 0" : "=r"(old));
    CHECK_EQ(old, 31);
    asm volatile("csrrci %0, mscratch, 3" : "=r"(old));
    CHECK_EQ(csr_read(mscratch), 28);
    asm volatile("csrrsi %0, mscratch, 3" : "=r"(old));
    CHECK_EQ(csr_read(mscratch), 31);

    /* csrrw with rd = x0 writes without reading */
    asm volatile("csrrw zero, mscratch, %0" :: "r"(-1UL));
    old = csr_read(mscratch);
    csr_write(mscratch, saved);
    CHECK_EQ(old, -1UL);
}

/*
 * Writes to a read-only CSR trap, but csrrs/csrrc with rs1 = x0 (and
 * the immediate forms with 0) do not write, so they are allowed.
 */
static void test_csr_readonly(void)
{
    uint64_t r;

    trap_reset();
    asm volatile("csrrs %0, mhartid, zero" : "=r"(r));
    CHECK_EQ(mtrap.count, 0);
    CHECK_EQ(r, 0);
    asm volatile("csrrc %0, mvendorid, zero" : "=r"(r));
    asm volatile("csrrsi %0, marchid, 0" : "=r"(r));
    asm volatile("csrrci %0, mimpid, 0" : "=r"(r));
    CHECK_EQ(mtrap.count, 0);

    /* csrrw zero, mhartid, x: writes, so illegal; mtval = the bits */
    asm volatile("1: csrrw zero, mhartid, %0\n"
                 ".pushsection .data\n .align 3\n ro_pc: .dword 1b\n"
                 ".popsection" :: "r"(0UL));
    CHECK_EQ(mtrap.count, 1);
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    extern uint64_t ro_pc;
    CHECK_EQ(mtrap.epc, ro_pc);
    CHECK_EQ(mtrap.tval, *(uint32_t *)ro_pc);

    trap_reset();
    asm volatile("csrrs %0, mhartid, %1" : "=r"(r) : "r"(1UL));
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    trap_reset();
    asm volatile("csrrsi %0, mimpid, 1" : "=r"(r));
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
    trap_reset();
    asm volatile("csrw cycle, %0" :: "r"(1UL));
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);

    /* a CSR number that does not exist */
    trap_reset();
    asm volatile("csrr %0, 0x7ff" : "=r"(r));
    CHECK_EQ(mtrap.cause, CAUSE_ILLEGAL_INSN);
}

static void test_counters(void)
{
    uint64_t c0, c1, t0, t1, i0, i1, mc;

    asm volatile("rdcycle %0" : "=r"(c0));
    asm volatile("rdtime %0" : "=r"(t0));
    for (volatile int i = 0; i < 20000; i++) {
    }
    asm volatile("rdcycle %0" : "=r"(c1));
    asm volatile("rdtime %0" : "=r"(t1));
    CHECK(c1 > c0);
    CHECK(t1 > t0);

    /* time is the CLINT's mtime */
    t0 = mmio_read64(CLINT_MTIME);
    asm volatile("rdtime %0" : "=r"(t1));
    CHECK(t1 >= t0);
    CHECK(t1 - t0 < 10000000);

    /* mcycle is readable and equals cycle's view */
    mc = csr_read(mcycle);
    CHECK(mc >= c1);

    /*
     * instret only has to advance: QEMU 7.2 without -icount derives
     * cycle and instret from the host tick counter, so an exact count
     * over a known sequence does not hold there (spec deviation).
     */
    asm volatile("rdinstret %0\n nop\n nop\n nop\n rdinstret %1"
                 : "=r"(i0), "=r"(i1));
    CHECK(i1 > i0);
    asm volatile("csrr %0, minstret\n nop\n csrr %1, minstret"
                 : "=r"(i0), "=r"(i1));
    CHECK(i1 > i0);

    /* hpm counters read zero on QEMU's rv64 */
    CHECK_EQ(csr_read(mhpmcounter3), 0);
}

static void test_pause(void)
{
    uint64_t r = 0;

    asm volatile("pause\n addi %0, %0, 1\n pause\n addi %0, %0, 1"
                 : "+r"(r));
    CHECK_EQ(r, 2);
}

/* A buffer in RAM that holds generated code. */
static uint32_t code_buf[16] __attribute__((aligned(64)));

#define INSN_ADDI_A0_ZERO(imm)  (((uint32_t)(imm) << 20) | (10 << 7) | 0x13)
#define INSN_RET                0x00008067

static uint64_t call_code(void)
{
    uint64_t (*fn)(void) = (uint64_t (*)(void))code_buf;
    return fn();
}

static void test_fence_i(void)
{
    code_buf[0] = INSN_ADDI_A0_ZERO(42);
    code_buf[1] = INSN_RET;
    asm volatile("fence.i" ::: "memory");
    CHECK_EQ(call_code(), 42);

    /* rewrite code that has run already */
    code_buf[0] = INSN_ADDI_A0_ZERO(-7);
    asm volatile("fence.i" ::: "memory");
    CHECK_EQ(call_code(), -7UL);

    /* modify in a loop: each iteration patches the immediate */
    uint64_t sum = 0;
    for (int i = 1; i <= 50; i++) {
        code_buf[0] = INSN_ADDI_A0_ZERO(i);
        asm volatile("fence.i" ::: "memory");
        sum += call_code();
    }
    CHECK_EQ(sum, 50 * 51 / 2);

    /*
     * Without fence.i the specification promises nothing, but QEMU 7.2
     * (like Machina) notices stores to pages holding translated code on
     * the same hart, so the new instruction runs.
     */
    sum = 0;
    for (int i = 1; i <= 20; i++) {
        code_buf[0] = INSN_ADDI_A0_ZERO(i * 2);
        sum += call_code();
    }
    CHECK_EQ(sum, 20 * 21);
}

/*
 * Code patching the very next instruction of the running block: after
 * fence.i the new instruction must execute.
 */
static void test_smc_same_block(void)
{
    extern uint32_t smc_target[];
    uint64_t r;

    asm volatile("la t0, smc_target\n sw %1, 0(t0)\n fence.i\n"
                 "li %0, 0\n"
                 ".option push\n .option norvc\n"
                 ".globl smc_target\n smc_target: addi %0, zero, 1\n"
                 ".option pop\n"
                 : "=&r"(r) : "r"(INSN_ADDI_A0_ZERO(0) & ~(31 << 7))
                 : "t0", "memory");
    /* the patched instruction writes x0 instead: r stays 0 */
    CHECK_EQ(r, 0);
    CHECK_EQ(smc_target[0], INSN_ADDI_A0_ZERO(0) & ~(31 << 7));
}

int main(void)
{
    test_csr_rw();
    test_csr_readonly();
    test_counters();
    test_pause();
    test_fence_i();
    test_smc_same_block();
    return 0;
}
