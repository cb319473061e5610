/*
 * runstate.h: the VM's run state and the requests that change it.
 *
 * Devices and vCPUs never stop, reset or end the VM directly: they post
 * a request (qemu_system_*_request), which is thread-safe and wakes the
 * main loop; the main thread then carries it out between iterations with
 * the big lock held (main_loop_should_exit()).  Everything else here
 * requires the big lock.
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

typedef enum RunState {
    RUN_STATE_DEBUG,
    RUN_STATE_INMIGRATE,
    RUN_STATE_INTERNAL_ERROR,
    RUN_STATE_IO_ERROR,
    RUN_STATE_PAUSED,
    RUN_STATE_POSTMIGRATE,
    RUN_STATE_PRELAUNCH,
    RUN_STATE_FINISH_MIGRATE,
    RUN_STATE_RESTORE_VM,
    RUN_STATE_RUNNING,
    RUN_STATE_SAVE_VM,
    RUN_STATE_SHUTDOWN,
    RUN_STATE_SUSPENDED,
    RUN_STATE_WATCHDOG,
    RUN_STATE_GUEST_PANICKED,
    RUN_STATE_COLO,
    RUN_STATE__MAX,
} RunState;

/* Why a shutdown or reset was requested (QMP "reason" strings). */
typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_HOST_UI,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_GUEST_PANIC,
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,
    SHUTDOWN_CAUSE__MAX,
} ShutdownCause;

const char *RunState_str(RunState state);
const char *ShutdownCause_str(ShutdownCause cause);

RunState runstate_get(void);
bool runstate_check(RunState state);
bool runstate_is_running(void);
void runstate_set(RunState state);

/*
 * Start or resume guest execution: resume the virtual clock and the
 * vCPUs, state "running", QMP RESUME.  No-op when already running.
 */
void vm_start(void);
/*
 * Pause: stop the vCPUs (waits until they are parked) and the virtual
 * clock, enter @state, QMP STOP.  From a vCPU thread the stop is
 * requested and carried out by the main thread.
 */
int vm_stop(RunState state);

/* Requests (thread-safe, async-signal-safe for shutdown). */
void qemu_system_reset_request(ShutdownCause reason);
void qemu_system_shutdown_request(ShutdownCause reason);
void qemu_system_powerdown_request(void);
/* -no-shutdown: a guest shutdown pauses instead of exiting. */
void qemu_system_guest_panicked(void);
/* Ask the main thread to stop the VM (e.g. a vCPU hitting an error). */
void qemu_system_vmstop_request(RunState state);
/* Ask for an immediate exit with status @code (sifive_test fail/pass). */
void qemu_system_exit_request(int code);

/* Reset every device and hart now (main thread, big lock). */
void qemu_system_reset(ShutdownCause reason);

/*
 * Handle pending requests; true when the main loop must end.  Main
 * thread, big lock.
 */
bool main_loop_should_exit(int *status);

/* -no-reboot / -no-shutdown */
extern bool no_reboot;
extern bool no_shutdown;

/*
 * vCPU control, provided by the CPU layer (softmmu/cpus.c); a machine
 * without vCPUs (qtest) makes them no-ops.
 */
typedef struct RunstateCpuOps {
    void (*pause_all)(void);
    void (*resume_all)(void);
    void (*reset_all)(void);
} RunstateCpuOps;
void runstate_set_cpu_ops(const RunstateCpuOps *ops);

/*
 * Notifier for run-state changes (e.g. the RTC alarm, block werror=stop),
 * called with the big lock held after the state changed.
 */
typedef void (*VMChangeStateHandler)(void *opaque, bool running,
                                     RunState state);
void qemu_add_vm_change_state_handler(VMChangeStateHandler cb,
                                      void *opaque);

#endif /* SYSEMU_RUNSTATE_H */
