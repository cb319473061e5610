/*
 * qmp-cmds.c: the QMP commands about the VM: run state, identity,
 * machines, CPUs, memory backends, chardevs, block devices, and
 * human-monitor-command.  Reply members are built in the order QEMU 7.2
 * prints them, so replies match byte for byte.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/dispatch.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "sysemu/block-backend.h"
#include "sysemu/hostmem.h"
#include "monitor-internal.h"
#include "qmp-cmds.h"
#include "qom-qmp.h"

#define TARGET_NAME "riscv64"

/* ---- Run state ---- */

void monitor_run_requests(void)
{
    int status;

    /*
     * QEMU's replies leave through a queue, so the RESET, POWERDOWN or
     * SHUTDOWN event of a request reaches the client first.  Carry the
     * request out now for the same order; a shutdown decided here is
     * handed back to the main loop as an exit request.
     */
    if (main_loop_should_exit(&status)) {
        qemu_system_exit_request(status);
    }
}

QDict *qmp_status_info(void)
{
    QDict *info = qdict_new();

    qdict_put_str(info, "status", RunState_str(runstate_get()));
    qdict_put_bool(info, "singlestep", false);
    qdict_put_bool(info, "running", runstate_is_running());
    return info;
}

static void qmp_query_status(QDict *args, QObject **ret, Error **errp)
{
    *ret = QOBJECT(qmp_status_info());
}

static void qmp_stop(QDict *args, QObject **ret, Error **errp)
{
    vm_stop(RUN_STATE_PAUSED);
}

static void qmp_cont(QDict *args, QObject **ret, Error **errp)
{
    vm_start();
}

static void qmp_system_reset(QDict *args, QObject **ret, Error **errp)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    monitor_run_requests();
}

static void qmp_system_powerdown(QDict *args, QObject **ret, Error **errp)
{
    qemu_system_powerdown_request();
    monitor_run_requests();
}

static void qmp_quit(QDict *args, QObject **ret, Error **errp)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    monitor_run_requests();
}

/* ---- Identity ---- */

static void qmp_query_name(QDict *args, QObject **ret, Error **errp)
{
    QDict *info = qdict_new();

    if (qemu_name) {
        qdict_put_str(info, "name", qemu_name);
    }
    *ret = QOBJECT(info);
}

static void qmp_query_uuid(QDict *args, QObject **ret, Error **errp)
{
    g_autofree char *uuid = qemu_uuid_unparse_strdup();
    QDict *info = qdict_new();

    qdict_put_str(info, "UUID", uuid);
    *ret = QOBJECT(info);
}

static void qmp_query_target(QDict *args, QObject **ret, Error **errp)
{
    QDict *info = qdict_new();

    qdict_put_str(info, "arch", TARGET_NAME);
    *ret = QOBJECT(info);
}

/* Machina has no KVM support: neither compiled in nor enabled. */
static void qmp_query_kvm(QDict *args, QObject **ret, Error **errp)
{
    QDict *info = qdict_new();

    qdict_put_bool(info, "enabled", false);
    qdict_put_bool(info, "present", false);
    *ret = QOBJECT(info);
}

/* ---- Machines ---- */

static QDict *machine_info(MachineClass *mc)
{
    QDict *info = qdict_new();

    qdict_put_bool(info, "hotpluggable-cpus", false);
    qdict_put_str(info, "name", mc->name);
    qdict_put_bool(info, "numa-mem-supported", mc->numa_mem_supported);
    if (mc->default_cpu_type) {
        qdict_put_str(info, "default-cpu-type", mc->default_cpu_type);
    }
    if (mc->is_default) {
        qdict_put_bool(info, "is-default", true);
    }
    qdict_put_int(info, "cpu-max", mc->max_cpus ? mc->max_cpus : 1);
    qdict_put_bool(info, "deprecated", mc->deprecation_reason != NULL);
    if (mc->default_ram_id) {
        qdict_put_str(info, "default-ram-id", mc->default_ram_id);
    }
    if (mc->alias) {
        qdict_put_str(info, "alias", mc->alias);
    }
    return info;
}

static void qmp_query_machines(QDict *args, QObject **ret, Error **errp)
{
    GSList *classes = machine_class_list();
    QList *list = qlist_new();

    for (GSList *l = classes; l; l = l->next) {
        qlist_append(list, machine_info(l->data));
    }
    g_slist_free(classes);
    *ret = QOBJECT(list);
}

/* ---- CPUs ---- */

QDict *qmp_cpu_info(int cpu_index)
{
    const MonitorCpuOps *ops = monitor_cpu_ops();
    MonitorCpuInfo ci = { 0 };
    QDict *info = qdict_new();
    QDict *props = qdict_new();

    ops->get_info(cpu_index, &ci);
    qdict_put_int(info, "thread-id", ci.thread_id);
    if (ci.props.has_core_id) {
        qdict_put_int(props, "core-id", ci.props.core_id);
    }
    if (ci.props.has_node_id) {
        qdict_put_int(props, "node-id", ci.props.node_id);
    }
    qdict_put(info, "props", props);
    if (ci.qom_path) {
        qdict_put_str(info, "qom-path", ci.qom_path);
    }
    qdict_put_int(info, "cpu-index", cpu_index);
    qdict_put_str(info, "target", TARGET_NAME);
    g_free(ci.qom_path);
    return info;
}

static void qmp_query_cpus_fast(QDict *args, QObject **ret, Error **errp)
{
    QList *list = qlist_new();
    int n = monitor_cpu_count();

    for (int i = 0; i < n; i++) {
        qlist_append(list, qmp_cpu_info(i));
    }
    *ret = QOBJECT(list);
}

static void qmp_query_hotpluggable_cpus(QDict *args, QObject **ret,
                                        Error **errp)
{
    error_setg(errp, "The feature 'query-hotpluggable-cpus' is not enabled");
}

static void qmp_query_memory_size_summary(QDict *args, QObject **ret,
                                          Error **errp)
{
    MachineState *ms = qdev_get_machine_state();
    QDict *info = qdict_new();

    qdict_put_int(info, "base-memory", ms ? ms->ram_size : 0);
    *ret = QOBJECT(info);
}

/* ---- Memory backends ---- */

/* Members in the order QEMU 7.2 prints them. */
static const char *const memdev_keys[] = {
    "share", "reserve", "prealloc", "host-nodes", "size", "merge", "dump",
    "policy", "id",
};

QList *qmp_memdev_list(void)
{
    QList *backends = qmp_query_memdev_list();
    QList *list = qlist_new();

    for (const QListEntry *e = qlist_first(backends); e;
         e = qlist_next(e)) {
        QDict *from = qobject_to(QDict, qlist_entry_obj(e));
        QDict *info = qdict_new();

        for (size_t i = 0; i < G_N_ELEMENTS(memdev_keys); i++) {
            QObject *v = qdict_get(from, memdev_keys[i]);

            if (v) {
                qdict_put_obj(info, memdev_keys[i], qobject_ref(v));
            }
        }
        qlist_append(list, info);
    }
    qobject_unref(backends);
    return list;
}

static void qmp_query_memdev(QDict *args, QObject **ret, Error **errp)
{
    *ret = QOBJECT(qmp_memdev_list());
}

/* ---- Chardevs ---- */

static void chardev_info(Chardev *chr, void *opaque)
{
    QDict *info = qdict_new();

    qdict_put_bool(info, "frontend-open", qemu_chr_frontend_open(chr));
    qdict_put_str(info, "filename", chr->filename ? chr->filename : "");
    qdict_put_str(info, "label", chr->label);
    qlist_append(opaque, info);
}

QList *qmp_chardev_list(void)
{
    QList *list = qlist_new();

    qemu_chr_foreach(chardev_info, list);
    return list;
}

static void qmp_query_chardev(QDict *args, QObject **ret, Error **errp)
{
    *ret = QOBJECT(qmp_chardev_list());
}

static void qmp_ringbuf_write_cmd(QDict *args, QObject **ret, Error **errp)
{
    const char *format = qdict_get_try_str(args, "format");

    qmp_ringbuf_write(qdict_get_str(args, "device"),
                      qdict_get_str(args, "data"), format != NULL,
                      format && !strcmp(format, "base64") ?
                      DATA_FORMAT_BASE64 : DATA_FORMAT_UTF8, errp);
}

static void qmp_ringbuf_read_cmd(QDict *args, QObject **ret, Error **errp)
{
    const char *format = qdict_get_try_str(args, "format");
    char *data;

    data = qmp_ringbuf_read(qdict_get_str(args, "device"),
                            qdict_get_int(args, "size"), format != NULL,
                            format && !strcmp(format, "base64") ?
                            DATA_FORMAT_BASE64 : DATA_FORMAT_UTF8, errp);
    if (data) {
        *ret = QOBJECT(qstring_from_str(data));
        g_free(data);
    }
}

/* ---- Block devices ---- */

static QDict *block_inserted(const BlockInfo *bi)
{
    QDict *ins = qdict_new();
    QDict *cache = qdict_new();

    qdict_put_str(ins, "file", bi->file);
    qdict_put_str(ins, "node-name", bi->node_name);
    qdict_put_bool(ins, "ro", bi->read_only);
    qdict_put_str(ins, "drv", bi->format);
    if (bi->backing_file) {
        qdict_put_str(ins, "backing_file", bi->backing_file);
    }
    qdict_put_int(ins, "backing_file_depth", bi->backing_depth);
    qdict_put_bool(ins, "encrypted", bi->encrypted);
    qdict_put_bool(cache, "writeback", bi->cache_writeback);
    qdict_put_bool(cache, "direct", bi->cache_direct);
    qdict_put_bool(cache, "no-flush", bi->cache_no_flush);
    qdict_put(ins, "cache", cache);
    return ins;
}

static void qmp_query_block(QDict *args, QObject **ret, Error **errp)
{
    GList *infos = blk_query_all();
    QList *list = qlist_new();

    for (GList *l = infos; l; l = l->next) {
        const BlockInfo *bi = l->data;
        QDict *info = qdict_new();

        qdict_put_str(info, "device", bi->device);
        qdict_put_bool(info, "locked", false);
        qdict_put_bool(info, "removable", false);
        if (bi->file) {
            qdict_put(info, "inserted", block_inserted(bi));
        }
        if (bi->attached_to) {
            qdict_put_str(info, "qdev", bi->attached_to);
        }
        qdict_put_str(info, "type", "unknown");
        qlist_append(list, info);
    }
    block_info_list_free(infos);
    *ret = QOBJECT(list);
}

/* ---- human-monitor-command ---- */

static void qmp_human_monitor_command(QDict *args, QObject **ret,
                                      Error **errp)
{
    char *out = hmp_run_command_line(qdict_get_str(args, "command-line"),
                                     qdict_get_try_int(args, "cpu-index",
                                                       0),
                                     qdict_haskey(args, "cpu-index"),
                                     errp);

    if (out) {
        *ret = QOBJECT(qstring_from_str(out));
        g_free(out);
    }
}

/* ---- Registration ---- */

static const struct {
    const char *name;
    QmpCommandFunc *fn;
    const char *args;
} qmp_vm_cmds[] = {
    { "query-status", qmp_query_status, "" },
    { "query-name", qmp_query_name, "" },
    { "query-uuid", qmp_query_uuid, "" },
    { "query-target", qmp_query_target, "" },
    { "query-kvm", qmp_query_kvm, "" },
    { "query-machines", qmp_query_machines, "" },
    { "query-cpus-fast", qmp_query_cpus_fast, "" },
    { "query-hotpluggable-cpus", qmp_query_hotpluggable_cpus, "" },
    { "query-memory-size-summary", qmp_query_memory_size_summary, "" },
    { "query-memdev", qmp_query_memdev, "" },
    { "query-chardev", qmp_query_chardev, "" },
    { "query-block", qmp_query_block, "" },
    { "stop", qmp_stop, "" },
    { "cont", qmp_cont, "" },
    { "system_reset", qmp_system_reset, "" },
    { "system_powerdown", qmp_system_powerdown, "" },
    { "quit", qmp_quit, "" },
    { "human-monitor-command", qmp_human_monitor_command,
      "command-line:s,cpu-index:i?" },
    { "ringbuf-write", qmp_ringbuf_write_cmd,
      "device:s,data:s,format:e(utf8|base64)?" },
    { "ringbuf-read", qmp_ringbuf_read_cmd,
      "device:s,size:i,format:e(utf8|base64)?" },
};

void monitor_register_commands(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    for (size_t i = 0; i < G_N_ELEMENTS(qmp_vm_cmds); i++) {
        qmp_register_command(qmp_vm_cmds[i].name, qmp_vm_cmds[i].fn,
                             qmp_vm_cmds[i].args, QCO_NO_OPTIONS);
    }
    qom_qmp_register_commands();
}
