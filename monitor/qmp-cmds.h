/*
 * qmp-cmds.h: data the QMP commands build, shared with the human
 * commands that print the same facts.  Main thread, big lock.
 */
#ifndef MONITOR_QMP_CMDS_H
#define MONITOR_QMP_CMDS_H

#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"

/* query-status's dict. */
QDict *qmp_status_info(void);
/* One query-cpus-fast entry (CPU hooks must be set). */
QDict *qmp_cpu_info(int cpu_index);
/* query-memdev's list: every memory backend, members in QEMU's order. */
QList *qmp_memdev_list(void);
/* query-chardev's list. */
QList *qmp_chardev_list(void);

#endif /* MONITOR_QMP_CMDS_H */
