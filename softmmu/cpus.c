/*
 * cpus.c: vCPU threads, kicking, pausing and resuming harts.
 *
 * Locking: every field below is protected by the big lock, except
 * current_cpu (thread-local).  A vCPU thread holds the lock while it
 * decides whether to run and while it sleeps (qemu_cond_wait_iothread
 * drops it), and releases it around riscv_cpu_exec(), so guest code runs
 * unlocked; MMIO takes the lock in the memory API.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include "sysemu/cpus.h"
#include "../target/riscv/cpu.h"

/* Instructions a hart runs between looks at its thread's state. */
#define VCPU_SLICE_MULTI  (4 * 1000 * 1000)
/* Per hart per turn with thread=single: small, so harts interleave. */
#define VCPU_SLICE_SINGLE (100 * 1000)

typedef struct VCPUThread {
    RISCVCPU *cpu;
    QemuThread thread;
    QemuCond *halt_cond;        /* shared by all harts with thread=single */
    int thread_id;
    bool created;
    bool stopped;               /* parked because the VM is paused */
} VCPUThread;

static GPtrArray *vcpus;                /* VCPUThread * in hart order */
static bool multi_thread = true;
static bool vcpus_running;
static bool single_thread_started;
static QemuCond created_cond;
static QemuCond pause_cond;
static QemuCond single_halt_cond;
static VCPUThread *single_first;
static __thread RISCVCPU *current_cpu;

bool cpus_parse_accel_opts(const char *opts, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(opts ? opts : "tcg", ",", -1);

    if (strcmp(parts[0], "tcg")) {
        error_setg(errp, "-accel %s: only tcg is supported; use -accel tcg",
                   parts[0]);
        return false;
    }
    for (int i = 1; parts[i]; i++) {
        if (!strcmp(parts[i], "thread=single")) {
            multi_thread = false;
        } else if (!strcmp(parts[i], "thread=multi")) {
            multi_thread = true;
        } else if (parts[i][0]) {
            error_setg(errp, "-accel tcg: unknown option '%s'; "
                       "use thread=single or thread=multi", parts[i]);
            return false;
        }
    }
    return true;
}

bool cpus_thread_is_multi(void)
{
    return multi_thread;
}

static void cpus_init_once(void)
{
    if (!vcpus) {
        vcpus = g_ptr_array_new();
        qemu_cond_init(&created_cond);
        qemu_cond_init(&pause_cond);
        qemu_cond_init(&single_halt_cond);
    }
}

static VCPUThread *vcpu_of(RISCVCPU *cpu)
{
    return cpu->cpu_state;
}

static bool vcpu_idle(RISCVCPU *cpu)
{
    return cpu->env.halted && !riscv_cpu_has_work(cpu);
}

/* Park while the VM is paused; report being parked. */
static void vcpu_park_while_paused_locked(VCPUThread *vt)
{
    while (!vcpus_running) {
        if (!vt->stopped) {
            vt->stopped = true;
            qemu_cond_broadcast(&pause_cond);
        }
        qemu_cond_wait_iothread(vt->halt_cond);
    }
    vt->stopped = false;
}

static void vcpu_started_locked(VCPUThread *vt)
{
    vt->thread_id = qemu_get_thread_id();
    vt->created = true;
    qemu_cond_broadcast(&created_cond);
}

static void *vcpu_thread_multi(void *opaque)
{
    VCPUThread *vt = opaque;
    RISCVCPU *cpu = vt->cpu;

    current_cpu = cpu;
    qemu_mutex_lock_iothread();
    vcpu_started_locked(vt);
    for (;;) {
        /* Sleep while paused or in wfi with nothing pending. */
        vcpu_park_while_paused_locked(vt);
        if (vcpu_idle(cpu)) {
            qemu_cond_wait_iothread(vt->halt_cond);
            continue;
        }

        qemu_mutex_unlock_iothread();
        riscv_cpu_exec(cpu, VCPU_SLICE_MULTI);
        qemu_mutex_lock_iothread();
    }
    return NULL;
}

static bool all_idle_locked(void)
{
    for (guint i = 0; i < vcpus->len; i++) {
        VCPUThread *vt = g_ptr_array_index(vcpus, i);
        if (!vcpu_idle(vt->cpu)) {
            return false;
        }
    }
    return true;
}

static void single_mark_stopped_locked(bool stopped)
{
    for (guint i = 0; i < vcpus->len; i++) {
        VCPUThread *vt = g_ptr_array_index(vcpus, i);
        vt->stopped = stopped;
    }
    qemu_cond_broadcast(&pause_cond);
}

/* thread=single: every hart in turn, in hart order (deterministic). */
static void *vcpu_thread_single(void *opaque)
{
    qemu_mutex_lock_iothread();
    vcpu_started_locked(opaque);
    for (;;) {
        while (!vcpus_running) {
            single_mark_stopped_locked(true);
            qemu_cond_wait_iothread(&single_halt_cond);
        }
        single_mark_stopped_locked(false);
        if (all_idle_locked()) {
            qemu_cond_wait_iothread(&single_halt_cond);
            continue;
        }

        qemu_mutex_unlock_iothread();
        for (guint i = 0; i < vcpus->len; i++) {
            VCPUThread *vt = g_ptr_array_index(vcpus, i);
            if (!vcpu_idle(vt->cpu)) {
                current_cpu = vt->cpu;
                riscv_cpu_exec(vt->cpu, VCPU_SLICE_SINGLE);
            }
        }
        current_cpu = NULL;
        qemu_mutex_lock_iothread();
    }
    return NULL;
}

static void kick_hook(RISCVCPU *cpu)
{
    qemu_cpu_kick(cpu);
}

void qemu_init_vcpu(RISCVCPU *cpu)
{
    VCPUThread *vt = g_new0(VCPUThread, 1);
    char name[32];

    cpus_init_once();
    vt->cpu = cpu;
    cpu->cpu_state = vt;
    cpu->kick = kick_hook;
    g_ptr_array_add(vcpus, vt);

    if (!multi_thread) {
        vt->halt_cond = &single_halt_cond;
        if (single_thread_started) {
            vt->thread_id = single_first->thread_id;
            vt->created = true;
            return;
        }
        single_thread_started = true;
        single_first = vt;
        qemu_thread_create(&vt->thread, "CPU 0-N/TCG", vcpu_thread_single,
                           vt, QEMU_THREAD_JOINABLE);
    } else {
        vt->halt_cond = g_new0(QemuCond, 1);
        qemu_cond_init(vt->halt_cond);
        snprintf(name, sizeof(name), "CPU %u/TCG", cpu->hartid);
        qemu_thread_create(&vt->thread, name, vcpu_thread_multi, vt,
                           QEMU_THREAD_JOINABLE);
    }

    /* Wait until the thread runs, so its id is known. */
    while (!vt->created) {
        qemu_cond_wait_iothread(&created_cond);
    }
}

/*
 * Under the qtest accelerator no guest code runs, but the harts still
 * exist for the monitors (query-cpus-fast, info cpus): register them
 * without a thread, permanently parked, with the main thread's id.
 */
void qemu_register_vcpu_idle(RISCVCPU *cpu)
{
    VCPUThread *vt = g_new0(VCPUThread, 1);

    cpus_init_once();
    vt->cpu = cpu;
    vt->thread_id = qemu_get_thread_id();
    vt->created = true;
    vt->stopped = true;
    cpu->cpu_state = vt;
    g_ptr_array_add(vcpus, vt);
}

int cpus_count(void)
{
    return vcpus ? (int)vcpus->len : 0;
}

RISCVCPU *qemu_get_cpu(int index)
{
    if (!vcpus || index < 0 || index >= (int)vcpus->len) {
        return NULL;
    }
    return ((VCPUThread *)g_ptr_array_index(vcpus, index))->cpu;
}

int qemu_cpu_thread_id(RISCVCPU *cpu)
{
    return vcpu_of(cpu) ? vcpu_of(cpu)->thread_id : -1;
}

RISCVCPU *current_cpu_get(void)
{
    return current_cpu;
}

/*
 * Wake the hart.  Interrupt sources call this with the big lock held
 * (the same lock the sleeper checks its condition under), so a wake-up
 * cannot fall between the check and the wait.
 */
void qemu_cpu_kick(RISCVCPU *cpu)
{
    VCPUThread *vt = vcpu_of(cpu);

    riscv_cpu_exit_request(cpu);
    if (vt && vt->halt_cond) {
        qemu_cond_broadcast(vt->halt_cond);
    }
}

bool all_vcpus_paused(void)
{
    for (guint i = 0; vcpus && i < vcpus->len; i++) {
        VCPUThread *vt = g_ptr_array_index(vcpus, i);
        /* A vCPU thread pausing the VM stops when it returns. */
        if (!vt->stopped && vt->cpu != current_cpu) {
            return false;
        }
    }
    return true;
}

void pause_all_vcpus(void)
{
    cpus_init_once();
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, false);
    vcpus_running = false;
    for (guint i = 0; i < vcpus->len; i++) {
        qemu_cpu_kick(((VCPUThread *)g_ptr_array_index(vcpus, i))->cpu);
    }
    while (!all_vcpus_paused()) {
        qemu_cond_wait_iothread(&pause_cond);
    }
}

void resume_all_vcpus(void)
{
    cpus_init_once();
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    vcpus_running = true;
    for (guint i = 0; i < vcpus->len; i++) {
        qemu_cpu_kick(((VCPUThread *)g_ptr_array_index(vcpus, i))->cpu);
    }
}

void cpu_stop_current(void)
{
    if (current_cpu) {
        riscv_cpu_exit_request(current_cpu);
    }
}
