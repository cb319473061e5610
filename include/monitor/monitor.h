/*
 * monitor.h: the QMP and human (HMP) monitors on character devices.
 *
 * A monitor is a front end of a chardev.  A QMP monitor runs one
 * QmpSession (monitor/qmp.h) per connection: a new one, with its
 * greeting, each time the host side opens (a client connects to a socket
 * server), freed when it closes.  An HMP monitor prints a banner and the
 * "(qemu) " prompt when the host side opens, edits a line and runs it as
 * a human command (docs/monitor.md lists them).  Any number of monitors
 * may exist at once.
 *
 * Threads and locks: everything here runs in the main thread with the
 * big lock held (chardev handlers hold it; start-up code does too).
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include "qapi/error.h"
#include "chardev/char.h"
#include "hw/boards.h"

typedef struct Monitor Monitor;
typedef struct QemuOpts QemuOpts;
typedef struct QemuOptsList QemuOptsList;

/* ---- Creation (the command line: -qmp, -monitor, -mon, mon:) ---- */

/* -qmp / -qmp-pretty: a QMP monitor on @chr (which must be free). */
bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp);

/*
 * -monitor / mon:SPEC: a human monitor on @chr.  @use_readline: edit
 * lines and echo them (a terminal); without it input is taken as lines
 * and not echoed (a program talking to the monitor).
 */
void monitor_init_hmp(Chardev *chr, bool use_readline, Error **errp);

/*
 * -mon chardev=ID[,mode=readline|control][,pretty=on|off]: mode
 * "control" is QMP, "readline" (the default) HMP.  Errors name the
 * option: "chardev \"x\" not found", "Parameter 'mode' does not accept
 * value 'x'", "'pretty' is not compatible with HMP monitors".
 */
extern QemuOptsList qemu_mon_opts;
bool monitor_init_opts(QemuOpts *opts, Error **errp);

/*
 * Register the QMP commands of the monitor (query-status, qom-get, ...)
 * once; the monitor_init_* functions call it, and so may code that runs
 * a QmpSession of its own.
 */
void monitor_register_commands(void);

/* Destroy every monitor (at exit, before the chardevs go). */
void monitor_cleanup(void);

/* ---- Output of human commands ---- */

/*
 * Text to the monitor: "\n" becomes "\r\n" as QEMU writes it.  Goes to
 * the monitor's chardev, or, while human-monitor-command runs, into the
 * reply string.
 */
void monitor_puts(Monitor *mon, const char *str);
void monitor_printf(Monitor *mon, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/*
 * Run one human command line as if typed on a monitor with CPU
 * @cpu_index selected (human-monitor-command), returning everything it
 * printed (caller frees).  Errors of the command itself are text in the
 * result, as in QEMU; *errp is set only for a bad @cpu_index.
 */
char *hmp_run_command_line(const char *cmdline, int cpu_index, bool has_cpu,
                           Error **errp);

/* ---- What the CPU code provides ---- */

/* One vCPU as query-cpus-fast and "info cpus" show it. */
typedef struct MonitorCpuInfo {
    int64_t thread_id;          /* host thread id (gettid) */
    char *qom_path;             /* "/machine/soc0/harts[0]"; callee
                                   allocates, monitor frees; may be NULL */
    CpuInstanceProperties props;    /* core-id, node-id */
} MonitorCpuInfo;

/*
 * The vCPUs, numbered 0..count-1 (cpu_index).  Every hook is called from
 * the main thread with the big lock held; the monitor pauses nothing
 * itself, so dump_state and get_phys_addr must be safe to call while the
 * vCPUs run (they may read a slightly stale state, as QEMU's do).
 */
typedef struct MonitorCpuOps {
    int (*count)(void);
    void (*get_info)(int cpu_index, MonitorCpuInfo *info);
    /* "info registers": the register dump text, lines ending "\n". */
    void (*dump_state)(int cpu_index, GString *out);
    /*
     * "x": guest virtual @vaddr to physical through the hart's current
     * translation (satp, privilege mode); false when unmapped.
     */
    bool (*get_phys_addr)(int cpu_index, uint64_t vaddr, uint64_t *paddr);
    /*
     * Optional ("x /i"): disassemble the instruction at @pc whose bytes
     * are @insn (up to 4, little-endian) into @buf; return its length in
     * bytes (2 or 4).
     */
    int (*disas)(uint32_t insn, uint64_t pc, char *buf, size_t size);
} MonitorCpuOps;

/*
 * Set by the board or CPU code (NULL: the machine has no CPUs).  The
 * RISC-V harts' ops (monitor/cpu-riscv.c: the harts registered with
 * qemu_init_vcpu(), their hart devices' QOM paths, node-id from the
 * machine's possible CPUs) are installed at start-up;
 * monitor_use_riscv_cpu_ops() puts them back.
 */
void monitor_set_cpu_ops(const MonitorCpuOps *ops);
void monitor_use_riscv_cpu_ops(void);

#endif /* MONITOR_MONITOR_H */
