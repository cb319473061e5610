/*
 * runstate.c: run state, and the reset/shutdown/powerdown requests that
 * the main thread carries out (see sysemu/runstate.h).
 */
#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "qemu/error-report.h"
#include "qapi/qmp/qdict.h"
#include "monitor/qmp.h"
#include "sysemu/reset.h"
#include "sysemu/runstate.h"

bool no_reboot;
bool no_shutdown;

static RunState current_run_state = RUN_STATE_PRELAUNCH;
static const RunstateCpuOps *cpu_ops;

/*
 * Pending requests, written by any thread (atomics) and consumed by the
 * main thread.  A cause of SHUTDOWN_CAUSE_NONE means nothing pending.
 */
static int reset_requested;
static int shutdown_requested;
static int powerdown_requested;
static int vmstop_requested = RUN_STATE__MAX;
static int exit_requested = -1;

typedef struct VMChangeEntry {
    VMChangeStateHandler cb;
    void *opaque;
} VMChangeEntry;

static GArray *vm_change_handlers;

static const char *const run_state_names[RUN_STATE__MAX] = {
    [RUN_STATE_DEBUG] = "debug",
    [RUN_STATE_INMIGRATE] = "inmigrate",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [RUN_STATE_IO_ERROR] = "io-error",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_POSTMIGRATE] = "postmigrate",
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_FINISH_MIGRATE] = "finish-migrate",
    [RUN_STATE_RESTORE_VM] = "restore-vm",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_SAVE_VM] = "save-vm",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_SUSPENDED] = "suspended",
    [RUN_STATE_WATCHDOG] = "watchdog",
    [RUN_STATE_GUEST_PANICKED] = "guest-panicked",
    [RUN_STATE_COLO] = "colo",
};

static const char *const shutdown_cause_names[SHUTDOWN_CAUSE__MAX] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_HOST_UI] = "host-ui",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_GUEST_PANIC] = "guest-panic",
    [SHUTDOWN_CAUSE_SUBSYSTEM_RESET] = "subsystem-reset",
};

const char *RunState_str(RunState state)
{
    return state < RUN_STATE__MAX ? run_state_names[state] : "unknown";
}

const char *ShutdownCause_str(ShutdownCause cause)
{
    return cause < SHUTDOWN_CAUSE__MAX ? shutdown_cause_names[cause]
                                       : "unknown";
}

RunState runstate_get(void)
{
    return current_run_state;
}

bool runstate_check(RunState state)
{
    return current_run_state == state;
}

bool runstate_is_running(void)
{
    return current_run_state == RUN_STATE_RUNNING;
}

void runstate_set(RunState state)
{
    current_run_state = state;
}

void runstate_set_cpu_ops(const RunstateCpuOps *ops)
{
    cpu_ops = ops;
}

void qemu_add_vm_change_state_handler(VMChangeStateHandler cb,
                                      void *opaque)
{
    VMChangeEntry e = { .cb = cb, .opaque = opaque };

    if (!vm_change_handlers) {
        vm_change_handlers = g_array_new(FALSE, FALSE,
                                         sizeof(VMChangeEntry));
    }
    g_array_append_val(vm_change_handlers, e);
}

static void vm_state_notify(bool running, RunState state)
{
    for (guint i = 0; vm_change_handlers && i < vm_change_handlers->len;
         i++) {
        VMChangeEntry *e = &g_array_index(vm_change_handlers,
                                          VMChangeEntry, i);

        e->cb(e->opaque, running, state);
    }
}

/* ---- start and stop ----------------------------------------------------- */

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    runstate_set(RUN_STATE_RUNNING);
    vm_state_notify(true, RUN_STATE_RUNNING);
    qapi_event_emit("RESUME", NULL);
    if (cpu_ops) {
        cpu_ops->resume_all();
    }
}

/*
 * Pausing from the prelaunch state keeps "prelaunch" (QEMU reports -S
 * followed by "stop" as prelaunch).  Stopping is idempotent and emits
 * STOP only when the VM was running.
 */
int vm_stop(RunState state)
{
    if (!qemu_mutex_iothread_locked()) {
        qemu_system_vmstop_request(state);
        return 0;
    }
    if (!runstate_is_running()) {
        if (state != RUN_STATE_PAUSED) {
            runstate_set(state);
        }
        return 0;
    }
    if (cpu_ops) {
        cpu_ops->pause_all();
    }
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, false);
    runstate_set(state);
    vm_state_notify(false, state);
    qapi_event_emit("STOP", NULL);
    return 0;
}

/* ---- requests (any thread) ---------------------------------------------- */

void qemu_system_reset_request(ShutdownCause reason)
{
    if (no_reboot && reason != SHUTDOWN_CAUSE_SUBSYSTEM_RESET) {
        qatomic_store_release(&shutdown_requested, reason);
    } else {
        qatomic_store_release(&reset_requested, reason);
    }
    qemu_notify_event();
}

void qemu_system_shutdown_request(ShutdownCause reason)
{
    qatomic_store_release(&shutdown_requested, reason);
    qemu_notify_event();
}

void qemu_system_powerdown_request(void)
{
    qatomic_store_release(&powerdown_requested, 1);
    qemu_notify_event();
}

void qemu_system_vmstop_request(RunState state)
{
    qatomic_store_release(&vmstop_requested, state);
    qemu_notify_event();
}

void qemu_system_exit_request(int code)
{
    qatomic_store_release(&exit_requested, code);
    qemu_notify_event();
}

void qemu_system_guest_panicked(void)
{
    qemu_system_vmstop_request(RUN_STATE_GUEST_PANICKED);
}

/* ---- carrying them out (main thread) ------------------------------------ */

static QDict *cause_data(ShutdownCause cause)
{
    QDict *data = qdict_new();

    qdict_put_bool(data, "guest", cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN ||
                   cause == SHUTDOWN_CAUSE_GUEST_RESET ||
                   cause == SHUTDOWN_CAUSE_GUEST_PANIC);
    qdict_put_str(data, "reason", ShutdownCause_str(cause));
    return data;
}

void qemu_system_reset(ShutdownCause reason)
{
    qemu_devices_reset();
    if (cpu_ops && cpu_ops->reset_all) {
        cpu_ops->reset_all();
    }
    if (reason != SHUTDOWN_CAUSE_NONE) {
        qapi_event_emit("RESET", cause_data(reason));
    }
}

static bool handle_shutdown(int *status)
{
    ShutdownCause cause = qatomic_xchg(&shutdown_requested, 0);

    if (!cause) {
        return false;
    }
    if (no_shutdown && cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN) {
        vm_stop(RUN_STATE_SHUTDOWN);
        qapi_event_emit("SHUTDOWN", cause_data(cause));
        return false;
    }
    qapi_event_emit("SHUTDOWN", cause_data(cause));
    *status = 0;
    return true;
}

static void handle_reset(void)
{
    ShutdownCause cause = qatomic_xchg(&reset_requested, 0);
    bool was_running;

    if (!cause) {
        return;
    }
    was_running = runstate_is_running();
    if (was_running && cpu_ops) {
        cpu_ops->pause_all();
    }
    qemu_system_reset(cause);
    if (was_running && cpu_ops) {
        cpu_ops->resume_all();
    } else if (!was_running && !runstate_check(RUN_STATE_SHUTDOWN)) {
        /* QEMU: a reset while not running leaves the VM in prelaunch. */
        runstate_set(RUN_STATE_PRELAUNCH);
    }
}

bool main_loop_should_exit(int *status)
{
    int code = qatomic_xchg(&exit_requested, -1);
    int stop;

    if (code >= 0) {
        *status = code;
        return true;
    }
    if (handle_shutdown(status)) {
        return true;
    }
    handle_reset();
    if (qatomic_xchg(&powerdown_requested, 0)) {
        qapi_event_emit("POWERDOWN", NULL);
    }
    stop = qatomic_xchg(&vmstop_requested, RUN_STATE__MAX);
    if (stop != RUN_STATE__MAX) {
        vm_stop(stop);
    }
    return false;
}
