/*
 * cpu.c: creating, configuring and resetting harts; "-cpu" parsing; the
 * ISA string; interrupt lines; "info registers".
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "internals.h"

/* QEMU 7.2 reports its version (7.2.0) as marchid and mimpid. */
#define RISCV_CPU_MARCHID 0x70200
#define RISCV_CPU_MIMPID  0x70200

typedef struct FeatureFlag {
    const char *name;
    size_t offset;
    bool rv64_default;
} FeatureFlag;

#define FLAG(n, field, def) { n, offsetof(RISCVCPUConfig, field), def }

static const FeatureFlag feature_flags[] = {
    FLAG("i", ext_i, true), FLAG("m", ext_m, true), FLAG("a", ext_a, true),
    FLAG("f", ext_f, true), FLAG("d", ext_d, true), FLAG("c", ext_c, true),
    FLAG("s", ext_s, true), FLAG("u", ext_u, true),
    FLAG("Zicsr", ext_icsr, true), FLAG("Zifencei", ext_ifencei, true),
    FLAG("zicntr", ext_zicntr, true),
    FLAG("Zihintpause", ext_zihintpause, true),
    FLAG("zba", ext_zba, true), FLAG("zbb", ext_zbb, true),
    FLAG("zbs", ext_zbs, true), FLAG("sstc", ext_sstc, true),
    FLAG("mmu", mmu, true), FLAG("pmp", pmp, true),
};

void riscv_cpu_config_default(RISCVCPUConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < ARRAY_SIZE(feature_flags); i++) {
        *(bool *)((char *)cfg + feature_flags[i].offset) =
            feature_flags[i].rv64_default;
    }
    /* QEMU 7.2's rv64 accepts Sv57 although its device tree says sv48. */
    cfg->satp_mode_max = VM_1_10_SV57;
    cfg->marchid = RISCV_CPU_MARCHID;
    cfg->mimpid = RISCV_CPU_MIMPID;
}

static const FeatureFlag *find_flag(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(feature_flags); i++) {
        if (!g_ascii_strcasecmp(feature_flags[i].name, name)) {
            return &feature_flags[i];
        }
    }
    return NULL;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes")) {
        *out = true;
        return true;
    }
    if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no")) {
        *out = false;
        return true;
    }
    return false;
}

static bool apply_flag(RISCVCPUConfig *cfg, const char *item, Error **errp)
{
    g_autofree char *name = g_strdup(item);
    char *eq = strchr(name, '=');
    const FeatureFlag *fl;
    bool val = true;

    if (eq) {
        *eq = '\0';
        if (!parse_bool(eq + 1, &val)) {
            error_setg(errp, "-cpu: property '%s' value '%s' is not a "
                       "boolean; use on or off", name, eq + 1);
            return false;
        }
    } else if (name[0] == '+' || name[0] == '-') {
        val = name[0] == '+';
        memmove(name, name + 1, strlen(name));
    }
    fl = find_flag(name);
    if (!fl) {
        error_setg(errp, "-cpu: can't apply global rv64-riscv-cpu.%s=%s: "
                   "property not found (see -cpu help)", name,
                   val ? "on" : "off");
        return false;
    }
    *(bool *)((char *)cfg + fl->offset) = val;
    return true;
}

bool riscv_cpu_parse_features(RISCVCPUConfig *cfg, const char *model_flags,
                              Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(model_flags ? model_flags : "rv64",
                                     ",", -1);

    if (strcmp(parts[0], "rv64") && strcmp(parts[0], "any") &&
        parts[0][0] != '\0') {
        error_setg(errp, "-cpu %s: unable to find CPU model '%s' "
                   "(see -cpu help)", parts[0], parts[0]);
        return false;
    }
    riscv_cpu_config_default(cfg);
    for (int i = 1; parts[i]; i++) {
        if (parts[i][0] && !apply_flag(cfg, parts[i], errp)) {
            return false;
        }
    }
    if (cfg->ext_d && !cfg->ext_f) {
        error_setg(errp, "-cpu: D extension requires F extension; "
                   "use f=on or d=off");
        return false;
    }
    if (cfg->ext_s && !cfg->ext_u) {
        error_setg(errp, "-cpu: Setting S extension without U extension "
                   "is illegal; use u=on");
        return false;
    }
    if (!cfg->ext_i) {
        error_setg(errp, "-cpu: RV64 without the I extension is not "
                   "supported; use i=on");
        return false;
    }
    return true;
}

void riscv_cpu_list(FILE *f)
{
    fprintf(f, "Available CPUs:\n  any\n  rv64 (default)\n\n");
    fprintf(f, "rv64 flags (default):\n");
    for (size_t i = 0; i < ARRAY_SIZE(feature_flags); i++) {
        fprintf(f, "  %s=%s\n", feature_flags[i].name,
                feature_flags[i].rv64_default ? "on" : "off");
    }
}

char *riscv_isa_string(RISCVCPU *cpu)
{
    const RISCVCPUConfig *c = &cpu->env.cfg;
    GString *s = g_string_new("rv64");
    static const struct { size_t off; const char *name; } multi[] = {
        { offsetof(RISCVCPUConfig, ext_icsr), "zicsr" },
        { offsetof(RISCVCPUConfig, ext_ifencei), "zifencei" },
        { offsetof(RISCVCPUConfig, ext_zihintpause), "zihintpause" },
        { offsetof(RISCVCPUConfig, ext_zba), "zba" },
        { offsetof(RISCVCPUConfig, ext_zbb), "zbb" },
        { offsetof(RISCVCPUConfig, ext_zbs), "zbs" },
        { offsetof(RISCVCPUConfig, ext_sstc), "sstc" },
    };

    /* Single-letter extensions in canonical order. */
    if (c->ext_i) g_string_append_c(s, 'i');
    if (c->ext_m) g_string_append_c(s, 'm');
    if (c->ext_a) g_string_append_c(s, 'a');
    if (c->ext_f) g_string_append_c(s, 'f');
    if (c->ext_d) g_string_append_c(s, 'd');
    if (c->ext_c) g_string_append_c(s, 'c');
    for (size_t i = 0; i < ARRAY_SIZE(multi); i++) {
        if (*(const bool *)((const char *)c + multi[i].off)) {
            g_string_append_printf(s, "_%s", multi[i].name);
        }
    }
    return g_string_free(s, false);
}

static uint64_t misa_from_cfg(const RISCVCPUConfig *c)
{
    return (MXL_RV64 << MISA_MXL_SHIFT) | (c->ext_i ? RVI : 0) |
           (c->ext_m ? RVM : 0) | (c->ext_a ? RVA : 0) |
           (c->ext_f ? RVF : 0) | (c->ext_d ? RVD : 0) |
           (c->ext_c ? RVC : 0) | (c->ext_s ? RVS : 0) |
           (c->ext_u ? RVU : 0);
}

/*
 * The memory map changed (big lock held, any thread): host pointers in
 * the hart's TLB may be stale.  The hart flushes at its next exit.
 */
static void topology_changed(AddressSpace *as, void *opaque)
{
    RISCVCPU *cpu = *(RISCVCPU **)opaque;

    if (!cpu) {
        return;     /* the hart was freed; notifiers cannot be removed */
    }
    __atomic_store_n(&cpu->env.flush_request, 1, __ATOMIC_RELEASE);
    riscv_cpu_exit_request(cpu);
}

RISCVCPU *riscv_cpu_new(const RISCVCPUConfig *cfg, uint32_t hartid,
                        AddressSpace *as, Error **errp)
{
    RISCVCPU *cpu;

    if (!as) {
        error_setg(errp, "riscv_cpu_new: hart %u needs an address space",
                   hartid);
        return NULL;
    }
    riscv_interp_init();
    cpu = g_new0(RISCVCPU, 1);
    cpu->hartid = hartid;
    cpu->env.cfg = *cfg;
    cpu->env.as = as;
    cpu->env.mhartid = hartid;
    riscv_cpu_reset(cpu, 0x1000);
    cpu->topology_hook = g_new(RISCVCPU *, 1);
    *cpu->topology_hook = cpu;
    address_space_add_topology_notifier(as, topology_changed,
                                        cpu->topology_hook);
    return cpu;
}

void riscv_cpu_free(RISCVCPU *cpu)
{
    if (cpu) {
        *cpu->topology_hook = NULL;     /* kept: still registered */
        if (cpu->sstc_timer) {
            timer_free(cpu->sstc_timer);
        }
        riscv_tb_cache_free(&cpu->env);
        g_free(cpu);
    }
}

void riscv_cpu_flush_all(RISCVCPU *cpu)
{
    riscv_tlb_flush(&cpu->env);
    riscv_tb_flush(&cpu->env);
}

void riscv_cpu_reset(RISCVCPU *cpu, uint64_t resetvec)
{
    CPURISCVState *env = &cpu->env;
    RISCVRdtimeFn fn = env->rdtime_fn;
    void *opaque = env->rdtime_opaque;

    /* Keep identity, configuration and the wiring; clear the rest. */
    memset(env->gpr, 0, sizeof(env->gpr));
    memset(env->fpr, 0, sizeof(env->fpr));
    memset(env->pmp, 0, sizeof(env->pmp));
    env->pc = resetvec;
    cpu->resetvec = resetvec;
    env->priv = PRV_M;
    env->misa = misa_from_cfg(&env->cfg);
    env->mstatus = (MXL_RV64 << 32) | (MXL_RV64 << 34);
    __atomic_store_n(&env->mip, 0, __ATOMIC_RELEASE);
    env->mie = env->mideleg = env->medeleg = 0;
    env->mtvec = env->stvec = env->mepc = env->sepc = 0;
    env->mcause = env->scause = env->mtval = env->stval = 0;
    env->mscratch = env->sscratch = env->satp = 0;
    env->menvcfg = env->senvcfg = 0;
    env->mcounteren = env->scounteren = env->mcountinhibit = 0;
    env->stimecmp = 0;
    if (cpu->sstc_timer) {
        timer_del(cpu->sstc_timer);
    }
    env->instret = 0;
    env->mcycle_delta = env->minstret_delta = 0;
    env->mcycle_frozen = env->minstret_frozen = 0;
    env->fflags = env->frm = 0;
    env->pmp_active = false;
    env->load_res = UINT64_MAX;
    env->halted = false;
    env->rdtime_fn = fn;
    env->rdtime_opaque = opaque;
    riscv_cpu_flush_all(cpu);
    if (env->tbc) {
        riscv_tb_reap(env);
    }
}

/*
 * Sstc timer (main loop, big lock held): raise STIP once time has
 * reached stimecmp; the hart may have moved stimecmp meanwhile, so check
 * again and re-arm when it is still in the future.
 */
static void sstc_timer_cb(void *opaque)
{
    RISCVCPU *cpu = opaque;
    CPURISCVState *env = &cpu->env;
    uint64_t cmp = __atomic_load_n(&env->stimecmp, __ATOMIC_RELAXED);
    uint64_t now;

    if (!env->rdtime_fn || !(env->menvcfg & MENVCFG_STCE)) {
        return;
    }
    now = env->rdtime_fn(env->rdtime_opaque);
    if (now >= cmp) {
        riscv_cpu_set_irq(cpu, IRQ_S_TIMER, 1);
    } else {
        riscv_sstc_arm(env, now);
    }
}

/* Hart thread: timer_mod_ns() may be called from any thread. */
void riscv_sstc_arm(CPURISCVState *env, uint64_t now_ticks)
{
    RISCVCPU *cpu = riscv_env_cpu(env);
    const uint64_t ns_per_tick = NANOSECONDS_PER_SECOND / RISCV_TIMEBASE_FREQ;
    uint64_t delta = env->stimecmp - now_ticks;
    int64_t now_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (!cpu->sstc_timer) {
        return;
    }
    if (delta > (uint64_t)(INT64_MAX - now_ns) / ns_per_tick) {
        timer_del(cpu->sstc_timer);     /* effectively never */
        return;
    }
    timer_mod_ns(cpu->sstc_timer, now_ns + delta * ns_per_tick);
}

void riscv_cpu_set_rdtime_fn(RISCVCPU *cpu, RISCVRdtimeFn fn, void *opaque)
{
    cpu->env.rdtime_fn = fn;
    cpu->env.rdtime_opaque = opaque;
    if (cpu->env.cfg.ext_sstc && !cpu->sstc_timer) {
        cpu->sstc_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, sstc_timer_cb,
                                       cpu);
    }
}

bool riscv_cpu_has_work(RISCVCPU *cpu)
{
    return riscv_pending_irqs(&cpu->env) != 0;
}

void riscv_cpu_set_irq(RISCVCPU *cpu, int irq, int level)
{
    CPURISCVState *env = &cpu->env;
    uint64_t bit = 1ULL << irq, old;

    if (!level) {
        __atomic_fetch_and(&env->mip, ~bit, __ATOMIC_ACQ_REL);
        return;
    }

    /* Only a newly raised line needs the hart's attention. */
    old = __atomic_fetch_or(&env->mip, bit, __ATOMIC_ACQ_REL);
    if (!(old & bit)) {
        riscv_cpu_exit_request(cpu);
        if (cpu->kick) {
            cpu->kick(cpu);
        }
    }
}

RISCVCPU *riscv_env_cpu(CPURISCVState *env)
{
    return container_of(env, RISCVCPU, env);
}

/* ---- info registers ---- */

static const char *const gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const fpr_names[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

void riscv_cpu_dump_state(RISCVCPU *cpu, GString *out)
{
    CPURISCVState *env = &cpu->env;
    uint64_t mstatus = env->mstatus;
    struct { const char *name; uint64_t val; } csrs[] = {
        { "mhartid", env->mhartid },
        { "mstatus", (mstatus & MSTATUS_FS) == MSTATUS_FS
                     ? mstatus | MSTATUS_SD : mstatus },
        { "hstatus", 0 }, { "vsstatus", 0 },
        { "mip", riscv_get_mip(env) }, { "mie", env->mie },
        { "mideleg", env->mideleg }, { "hideleg", 0 },
        { "medeleg", env->medeleg }, { "hedeleg", 0 },
        { "mtvec", env->mtvec }, { "stvec", env->stvec },
        { "vstvec", 0 }, { "mepc", env->mepc }, { "sepc", env->sepc },
        { "vsepc", 0 }, { "mcause", env->mcause },
        { "scause", env->scause }, { "vscause", 0 },
        { "mtval", env->mtval }, { "stval", env->stval },
        { "htval", 0 }, { "mtval2", 0 },
        { "mscratch", env->mscratch }, { "sscratch", env->sscratch },
        { "satp", env->satp },
    };

    /* No H extension: V is always 0 and the H registers read as 0. */
    g_string_append_printf(out, " %s %3d\n", "V      =", 0);
    g_string_append_printf(out, " %-8s %016" PRIx64 "\n", "pc", env->pc);
    for (size_t i = 0; i < ARRAY_SIZE(csrs); i++) {
        g_string_append_printf(out, " %-8s %016" PRIx64 "\n",
                               csrs[i].name, csrs[i].val);
    }
    for (int i = 0; i < 32; i++) {
        char name[16];
        snprintf(name, sizeof(name), "x%d/%s", i, gpr_names[i]);
        g_string_append_printf(out, " %-8s %016" PRIx64 "%s", name,
                               env->gpr[i], (i & 3) == 3 ? "\n" : "");
    }
    for (int i = 0; i < 32; i++) {
        char name[16];
        snprintf(name, sizeof(name), "f%d/%s", i, fpr_names[i]);
        g_string_append_printf(out, " %-8s %016" PRIx64 "%s", name,
                               env->fpr[i], (i & 3) == 3 ? "\n" : "");
    }
}
