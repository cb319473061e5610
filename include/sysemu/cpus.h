/*
 * cpus.h: vCPU threads.
 *
 * Each hart runs on a vCPU thread (one per hart with thread=multi, the
 * default; all harts in turn on one thread with thread=single).  Guest
 * code runs WITHOUT the big lock; a vCPU thread holds the lock while it
 * decides what to do and while it sleeps (halted in wfi, or paused).
 *
 * Unless stated otherwise, functions here require the big lock and are
 * called from the main thread (monitor, reset, qtest, board set-up).
 */
#ifndef SYSEMU_CPUS_H
#define SYSEMU_CPUS_H

#include "qapi/error.h"

typedef struct RISCVCPU RISCVCPU;

/* "-accel tcg,thread=single|multi" (before any vCPU is created). */
bool cpus_parse_accel_opts(const char *opts, Error **errp);
bool cpus_thread_is_multi(void);

/*
 * Register @cpu and create its thread (or join the single thread).  The
 * hart stays paused until resume_all_vcpus() (so "-S" simply does not
 * call it).  Harts are numbered in the order they are registered.
 */
void qemu_init_vcpu(RISCVCPU *cpu);
/* Register @cpu without a thread (qtest: no guest code ever runs). */
void qemu_register_vcpu_idle(RISCVCPU *cpu);

/* Number of registered harts and the hart with @index (or NULL). */
int cpus_count(void);
RISCVCPU *qemu_get_cpu(int index);
/* Host thread id (gettid) running @cpu, for query-cpus-fast. */
int qemu_cpu_thread_id(RISCVCPU *cpu);
/* The hart this vCPU thread is running now, or NULL (any thread). */
RISCVCPU *current_cpu_get(void);

/*
 * Make @cpu notice new work: wake it from wfi and make a running hart
 * leave its block loop soon.  Any thread, lock or not.
 */
void qemu_cpu_kick(RISCVCPU *cpu);

/*
 * Stop every hart and wait until all are parked; the virtual clock
 * stops.  From a vCPU thread, the calling hart stops at its next exit.
 */
void pause_all_vcpus(void);
/* Restart every hart and the virtual clock. */
void resume_all_vcpus(void);
bool all_vcpus_paused(void);
/* Ask the calling vCPU thread's hart to stop (e.g. on shutdown). */
void cpu_stop_current(void);

#endif /* SYSEMU_CPUS_H */
