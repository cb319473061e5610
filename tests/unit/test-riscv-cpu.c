/*
 * test-riscv-cpu.c: the hart's configuration, CSR rules and a few
 * instructions run from RAM through the interpreter.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "exec/memory.h"
#include "../../target/riscv/internals.h"

#define RAM_BASE 0x80000000ULL

static MemoryRegion ram;

static RISCVCPU *make_cpu(const char *model)
{
    RISCVCPUConfig cfg;

    if (!memory_region_is_mapped(&ram)) {
        memory_region_init_ram(&ram, NULL, "test.ram", 1 * MiB,
                               &error_abort);
        memory_region_add_subregion(get_system_memory(), RAM_BASE, &ram);
    }
    g_assert_true(riscv_cpu_parse_features(&cfg, model, &error_abort));
    return riscv_cpu_new(&cfg, 0, &address_space_memory, &error_abort);
}

static void test_isa_string(void)
{
    RISCVCPU *cpu = make_cpu("rv64");
    g_autofree char *isa = riscv_isa_string(cpu);
    RISCVCPU *nozba = make_cpu("rv64,zba=off,c=off");
    g_autofree char *isa2 = riscv_isa_string(nozba);

    g_assert_cmpstr(isa, ==, "rv64imafdc_zicsr_zifencei_zihintpause_zba_"
                    "zbb_zbs_sstc");
    g_assert_cmpstr(isa2, ==, "rv64imafd_zicsr_zifencei_zihintpause_zbb_"
                    "zbs_sstc");
    g_assert_cmphex(nozba->env.misa & RVC, ==, 0);
    g_assert_cmphex(cpu->env.misa & RVC, ==, RVC);
    riscv_cpu_free(cpu);
    riscv_cpu_free(nozba);
}

static void test_bad_options(void)
{
    RISCVCPUConfig cfg;
    Error *err = NULL;

    g_assert_false(riscv_cpu_parse_features(&cfg, "rv64,zfoo=on", &err));
    g_assert_nonnull(err);
    error_free(err);
    err = NULL;
    g_assert_false(riscv_cpu_parse_features(&cfg, "rv64,f=off", &err));
    g_assert_nonnull(err);      /* D needs F */
    error_free(err);
    err = NULL;
    g_assert_false(riscv_cpu_parse_features(&cfg, "sifive-u99", &err));
    g_assert_nonnull(err);
    error_free(err);
}

static void test_satp_warl(void)
{
    RISCVCPU *cpu = make_cpu("rv64");
    CPURISCVState *env = &cpu->env;
    uint64_t old;
    uint64_t sv48 = (uint64_t)VM_1_10_SV48 << SATP_MODE_SHIFT | 0x1234;
    uint64_t sv64 = (uint64_t)11 << SATP_MODE_SHIFT | 0x99;

    g_assert_true(riscv_csr_op(env, CSR_SATP, 1, sv48, true, &old, 0));
    g_assert_true(riscv_csr_op(env, CSR_SATP, 1, sv64, true, &old, 0));
    g_assert_cmphex(old, ==, sv48);
    g_assert_cmphex(env->satp, ==, sv48);     /* reserved mode ignored */
    riscv_cpu_free(cpu);
}

static void test_csr_privilege(void)
{
    RISCVCPU *cpu = make_cpu("rv64");
    CPURISCVState *env = &cpu->env;
    uint64_t old;

    /* Read-only CSR written: illegal. */
    g_assert_false(riscv_csr_op(env, CSR_MHARTID, 1, 5, true, &old, 0));
    g_assert_cmpint(env->excp_cause, ==, RISCV_EXCP_ILLEGAL_INST);
    /* M-mode CSR from S-mode: illegal. */
    env->priv = PRV_S;
    g_assert_false(riscv_csr_op(env, CSR_MSTATUS, 2, 0, false, &old, 0));
    /* sstatus is a view of mstatus. */
    g_assert_true(riscv_csr_op(env, CSR_SSTATUS, 2, MSTATUS_SUM, true,
                               &old, 0));
    g_assert_cmphex(env->mstatus & MSTATUS_SUM, ==, MSTATUS_SUM);
    riscv_cpu_free(cpu);
}

/* Run @words at RAM_BASE until ebreak; returns the hart. */
static RISCVCPU *run_code_on(const char *model, const uint32_t *words,
                             size_t n)
{
    RISCVCPU *cpu = make_cpu(model);
    uint32_t *p = memory_region_get_ram_ptr(&ram);

    memcpy(p, words, n * 4);
    riscv_cpu_reset(cpu, RAM_BASE);
    cpu->env.mtvec = RAM_BASE + 0x800;
    p[0x800 / 4] = 0x0000006f;      /* trap handler: j . */
    riscv_cpu_exec(cpu, 1000);
    return cpu;
}

static RISCVCPU *run_code(const uint32_t *words, size_t n)
{
    return run_code_on("rv64", words, n);
}

/* Without C, jumping to a 2-byte aligned target traps on the jump. */
static void test_exec_misaligned_jump(void)
{
    static const uint32_t code[] = {
        0x0060006f,     /* jal x0, +6 */
        0x00100073,     /* ebreak */
    };
    RISCVCPU *cpu = run_code_on("rv64,c=off", code, ARRAY_SIZE(code));

    g_assert_cmpuint(cpu->env.mcause, ==, RISCV_EXCP_INST_ADDR_MIS);
    g_assert_cmphex(cpu->env.mepc, ==, RAM_BASE);
    g_assert_cmphex(cpu->env.mtval, ==, RAM_BASE + 6);
    riscv_cpu_free(cpu);
}

/* minstret counts exactly and stops while mcountinhibit.IR is set. */
static void test_counters(void)
{
    static const uint32_t code[] = {
        0xb0201073,     /* csrw minstret, zero */
        0x00000013,     /* nop */
        0x00000013,     /* nop */
        0xb02020f3,     /* csrr x1, minstret */
        0x00400293,     /* li t0, 4 */
        0x3202a073,     /* csrs mcountinhibit, t0 */
        0x00000013,     /* nop */
        0xb0202173,     /* csrr x2, minstret */
        0x00100073,     /* ebreak */
    };
    RISCVCPU *cpu = run_code(code, ARRAY_SIZE(code));

    /* The write replaces the csrw's own increment: nop, nop. */
    g_assert_cmpuint(cpu->env.gpr[1], ==, 2);
    g_assert_cmpuint(cpu->env.gpr[2], ==, 4);   /* frozen at the csrs */
    riscv_cpu_free(cpu);
}

static void test_exec_basic(void)
{
    static const uint32_t code[] = {
        0x00500093,     /* li x1, 5 */
        0x00700113,     /* li x2, 7 */
        0x022081b3,     /* mul x3, x1, x2 */
        0x00100073,     /* ebreak */
    };
    RISCVCPU *cpu = run_code(code, ARRAY_SIZE(code));

    g_assert_cmpuint(cpu->env.gpr[3], ==, 35);
    g_assert_cmpuint(cpu->env.mcause, ==, RISCV_EXCP_BREAKPOINT);
    g_assert_cmphex(cpu->env.mepc, ==, RAM_BASE + 12);
    g_assert_cmpuint(cpu->env.mtval, ==, 0);
    g_assert_cmpuint(cpu->env.instret, >=, 3);
    riscv_cpu_free(cpu);
}

static void test_exec_illegal(void)
{
    static const uint32_t code[] = {
        0x00000013,     /* nop */
        0xffffffff,     /* illegal */
    };
    RISCVCPU *cpu = run_code(code, ARRAY_SIZE(code));

    g_assert_cmpuint(cpu->env.mcause, ==, RISCV_EXCP_ILLEGAL_INST);
    g_assert_cmphex(cpu->env.mtval, ==, 0xffffffff);
    g_assert_cmphex(cpu->env.mepc, ==, RAM_BASE + 4);
    riscv_cpu_free(cpu);
}

static void test_dump_layout(void)
{
    RISCVCPU *cpu = make_cpu("rv64");
    g_autoptr(GString) s = g_string_new(NULL);

    riscv_cpu_reset(cpu, 0x1000);
    riscv_cpu_dump_state(cpu, s);
    g_assert_nonnull(strstr(s->str, " pc       0000000000001000\n"));
    g_assert_nonnull(strstr(s->str, " mstatus  0000000a00000000\n"));
    g_assert_nonnull(strstr(s->str, " x0/zero  0000000000000000 x1/ra    "));
    g_assert_nonnull(strstr(s->str, " f31/ft11 0000000000000000\n"));
    riscv_cpu_free(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/riscv-cpu/isa-string", test_isa_string);
    g_test_add_func("/riscv-cpu/bad-options", test_bad_options);
    g_test_add_func("/riscv-cpu/satp-warl", test_satp_warl);
    g_test_add_func("/riscv-cpu/csr-privilege", test_csr_privilege);
    g_test_add_func("/riscv-cpu/exec-basic", test_exec_basic);
    g_test_add_func("/riscv-cpu/exec-illegal", test_exec_illegal);
    g_test_add_func("/riscv-cpu/counters", test_counters);
    g_test_add_func("/riscv-cpu/exec-misaligned-jump",
                    test_exec_misaligned_jump);
    g_test_add_func("/riscv-cpu/dump-layout", test_dump_layout);
    return g_test_run();
}
