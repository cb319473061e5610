/*
 * monitor-internal.h: what the monitor's files share.  Main thread, big
 * lock, like everything in monitor/.
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "chardev/char-fe.h"

#define HMP_HISTORY_MAX 64

struct Monitor {
    CharBackend chr;            /* not connected for a capture monitor */
    bool is_qmp;
    bool pretty;                /* QMP: -qmp-pretty / pretty=on */
    QmpSession *qmp;            /* QMP: the open connection, or NULL */

    bool use_readline;          /* HMP: echo and edit (a terminal) */
    GString *capture;           /* human-monitor-command's output */
    GString *line;              /* HMP: the line being typed */
    size_t cursor;              /* HMP: insertion point in line */
    int esc_state;              /* HMP: inside an ANSI escape sequence */
    bool last_was_cr;           /* HMP: swallow the '\n' of "\r\n" */
    GPtrArray *history;         /* HMP: earlier lines, oldest first */
    guint history_pos;          /* HMP: browsing position (len: none) */
    bool opened;                /* host side open */
    bool banner_shown;          /* since the host side opened */
    bool mux_out;               /* HMP on a mux: another front end has
                                   the focus */

    int cpu_index;              /* the "cpu" command's choice */

    Monitor *next;              /* in the list of all monitors */
};

/* Run one human command line on @mon (hmp.c). */
void hmp_handle_command(Monitor *mon, const char *cmdline);
/* "help [CMD [SUB]]" text (hmp.c). */
void hmp_print_help(Monitor *mon, const char *name);

/* Hooks set by the CPU code (monitor.c); may be NULL. */
const MonitorCpuOps *monitor_cpu_ops(void);
int monitor_cpu_count(void);

/*
 * Carry out the run-state requests a command just posted (reset,
 * powerdown, shutdown) now, so that their events precede the command's
 * reply as in QEMU (qmp-cmds.c).
 */
void monitor_run_requests(void);


#endif /* MONITOR_INTERNAL_H */
