/*
 * runstate.h: requests that change the VM's run state.
 *
 * Declared here for the chardev mux (Ctrl-a x); the integrator's
 * softmmu/runstate.c provides the definitions and the rest of the
 * run-state API.
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

/* Why a shutdown was requested (QAPI ShutdownCause, same order). */
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

/*
 * Ask the main loop to shut the VM down and exit; returns at once.
 * Thread-safe and callable from any context.
 */
void qemu_system_shutdown_request(ShutdownCause reason);

#endif /* SYSEMU_RUNSTATE_H */
