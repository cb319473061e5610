/*
 * hmp-cmds.c: the human monitor's commands and their table.  Output
 * follows QEMU 7.2's text where tools parse it (info status, info numa,
 * info memdev, info cpus, x/xp).
 */
#include "qemu/osdep.h"
#include "qemu/atomic.h"
#include "qemu/log.h"
#include "qapi/qmp/qjson.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"
#include "qom/object_interfaces.h"
#include "exec/memory.h"
#include "hw/sysbus.h"
#include "hw/qdev-properties.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "sysemu/block-backend.h"
#include "sysemu/hostmem.h"
#include "sysemu/numa.h"
#include "hmp.h"
#include "qmp-cmds.h"
#include "qom-qmp.h"

/* Print @err as QEMU's human commands do, and free it. */
static void hmp_handle_error(Monitor *mon, Error *err)
{
    if (err) {
        monitor_printf(mon, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    }
}

/* ---- Run state ---- */

static void hmp_quit(Monitor *mon, const HmpArgs *a)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    monitor_run_requests();
}

static void hmp_stop(Monitor *mon, const HmpArgs *a)
{
    vm_stop(RUN_STATE_PAUSED);
}

static void hmp_cont(Monitor *mon, const HmpArgs *a)
{
    vm_start();
}

static void hmp_system_reset(Monitor *mon, const HmpArgs *a)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    monitor_run_requests();
}

static void hmp_system_powerdown(Monitor *mon, const HmpArgs *a)
{
    qemu_system_powerdown_request();
    monitor_run_requests();
}

static void hmp_help(Monitor *mon, const HmpArgs *a)
{
    hmp_print_help(mon, a->str[0]);
}

static void hmp_cpu(Monitor *mon, const HmpArgs *a)
{
    if (a->num[0] < 0 || a->num[0] >= monitor_cpu_count()) {
        monitor_printf(mon, "invalid CPU index\n");
        return;
    }
    mon->cpu_index = a->num[0];
}

/* ---- log ---- */

static void hmp_log_usage(Monitor *mon)
{
    monitor_printf(mon, "Log items (comma separated):\n");
    monitor_printf(mon, "%-15s %s\n", "none", "remove all logs");
    for (const QEMULogItem *item = qemu_log_items; item->mask; item++) {
        monitor_printf(mon, "%-15s %s\n", item->name, item->help);
    }
}

static void hmp_log(Monitor *mon, const HmpArgs *a)
{
    Error *err = NULL;
    int mask = 0;

    if (strcmp(a->str[0], "none")) {
        mask = qemu_str_to_log_mask(a->str[0], &err);
        if (err) {
            error_free(err);
            hmp_log_usage(mon);
            return;
        }
    }
    /* Only the mask: the -D file stays as it is. */
    qatomic_set(&qemu_loglevel, mask);
}

/* ---- Memory dump: x, xp ---- */

/* A character as 'c', with QEMU's escapes. */
static void hmp_print_char(Monitor *mon, uint8_t c)
{
    switch (c) {
    case '\'':
        monitor_puts(mon, "'\\''");
        break;
    case '\\':
        monitor_puts(mon, "'\\\\'");
        break;
    case '\n':
        monitor_puts(mon, "'\\n'");
        break;
    case '\r':
        monitor_puts(mon, "'\\r'");
        break;
    default:
        if (c >= 32 && c <= 126) {
            monitor_printf(mon, "'%c'", c);
        } else {
            monitor_printf(mon, "'\\x%02x'", c);
        }
        break;
    }
}

/* Read guest memory, physical or through the selected hart's MMU. */
static bool hmp_read_mem(Monitor *mon, bool physical, uint64_t addr,
                         uint8_t *buf, int len)
{
    const MonitorCpuOps *ops = monitor_cpu_ops();

    if (physical) {
        return address_space_read(&address_space_memory, addr,
                                  MEMTXATTRS_UNSPECIFIED, buf, len)
               == MEMTX_OK;
    }
    /* Page by page: neighbouring virtual pages need not be adjacent. */
    while (len > 0) {
        uint64_t page_left = 0x1000 - (addr & 0xfff);
        int l = len < page_left ? len : page_left;
        uint64_t paddr;

        if (!ops || !ops->get_phys_addr ||
            !ops->get_phys_addr(mon->cpu_index, addr, &paddr) ||
            address_space_read(&address_space_memory, paddr,
                               MEMTXATTRS_UNSPECIFIED, buf, l)
            != MEMTX_OK) {
            return false;
        }
        addr += l;
        buf += l;
        len -= l;
    }
    return true;
}

static void hmp_print_value(Monitor *mon, char format, int wsize,
                            int digits, uint64_t v)
{
    monitor_puts(mon, " ");
    switch (format) {
    case 'o':
        monitor_printf(mon, "%#*" PRIo64, digits, v);
        break;
    case 'u':
        monitor_printf(mon, "%*" PRIu64, digits, v);
        break;
    case 'd':
        /* QEMU loads bytes, halves and words unsigned: only g is signed */
        monitor_printf(mon, "%*" PRId64, digits, (int64_t)v);
        break;
    case 'c':
        hmp_print_char(mon, v);
        break;
    default:
        monitor_printf(mon, "0x%0*" PRIx64, digits, v);
        break;
    }
}

static uint64_t hmp_load(const uint8_t *p, int wsize)
{
    uint64_t v = 0;

    for (int i = wsize - 1; i >= 0; i--) {
        v = v << 8 | p[i];      /* the guest is little-endian */
    }
    return v;
}

static void hmp_dump_insns(Monitor *mon, bool physical, uint64_t addr,
                           int count)
{
    const MonitorCpuOps *ops = monitor_cpu_ops();

    if (!ops || !ops->disas) {
        monitor_printf(mon, "no disassembler for this machine\n");
        return;
    }
    for (int i = 0; i < count; i++) {
        uint8_t buf[4] = { 0 };
        char text[128];
        uint32_t insn;
        int len;

        if (!hmp_read_mem(mon, physical, addr, buf, 2) ||
            ((buf[0] & 3) == 3 &&
             !hmp_read_mem(mon, physical, addr + 2, buf + 2, 2))) {
            monitor_printf(mon, "0x%016" PRIx64 ": Cannot access memory\n",
                           addr);
            return;
        }
        insn = hmp_load(buf, 4);
        len = ops->disas(insn, addr, text, sizeof(text));
        monitor_printf(mon, "0x%016" PRIx64 ":  %0*" PRIx32 "  %s\n", addr,
                       len * 2, len == 2 ? insn & 0xffff : insn, text);
        addr += len;
    }
}

/* Digits of a value of @wsize bytes, as QEMU pads them. */
static int hmp_digits(char format, int wsize)
{
    switch (format) {
    case 'o':
        return DIV_ROUND_UP(wsize * 8, 3);
    case 'u':
    case 'd':
        return DIV_ROUND_UP(wsize * 8 * 10, 33);
    case 'c':
        return 0;
    default:
        return wsize * 2;
    }
}

static void hmp_memory_dump(Monitor *mon, bool physical, uint64_t addr,
                            const HmpFormat *fmt)
{
    int wsize = fmt->size;
    int line_size = wsize == 1 ? 8 : 16;
    int digits = hmp_digits(fmt->format, wsize);
    int64_t len = (int64_t)wsize * fmt->count;
    uint8_t buf[16];

    if (fmt->format == 'c') {
        wsize = 1;
    }
    while (len > 0) {
        int l = len < line_size ? len : line_size;

        monitor_printf(mon, "%016" PRIx64 ":", addr);
        if (!hmp_read_mem(mon, physical, addr, buf, l)) {
            monitor_puts(mon, " Cannot access memory\n");
            return;
        }
        for (int i = 0; i < l; i += wsize) {
            hmp_print_value(mon, fmt->format, wsize, digits,
                            hmp_load(buf + i, wsize));
        }
        monitor_puts(mon, "\n");
        addr += l;
        len -= l;
    }
}

/*
 * The format and size of the last x/xp, shared by every monitor and
 * every human-monitor-command as in QEMU.  Big lock.
 */
static char last_format = 'x';
static int last_size = 4;

/* Fill in the format and size not given from the last ones used. */
static void hmp_memory_command(Monitor *mon, const HmpArgs *a,
                               bool physical)
{
    HmpFormat fmt = a->fmt;

    if (!fmt.format) {
        fmt.format = last_format;
    }
    if (fmt.format != 'i') {
        if (fmt.size < 0) {
            fmt.size = last_size;
        }
        last_size = fmt.size;
    }
    last_format = fmt.format;
    if (fmt.format == 'i') {
        hmp_dump_insns(mon, physical, a->num[0], fmt.count);
    } else {
        hmp_memory_dump(mon, physical, a->num[0], &fmt);
    }
}

static void hmp_x(Monitor *mon, const HmpArgs *a)
{
    hmp_memory_command(mon, a, false);
}

static void hmp_xp(Monitor *mon, const HmpArgs *a)
{
    hmp_memory_command(mon, a, true);
}

/* ---- QOM ---- */

static void hmp_qom_list(Monitor *mon, const HmpArgs *a)
{
    g_autoptr(GPtrArray) props = NULL;
    Error *err = NULL;
    Object *obj;

    if (!a->str[0]) {
        monitor_printf(mon, "/\n");
        return;
    }
    obj = qom_resolve(a->str[0], &err);
    if (!obj) {
        hmp_handle_error(mon, err);
        return;
    }
    props = qom_property_list(obj);
    for (guint i = 0; i < props->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(props, i);

        monitor_printf(mon, "%s (%s)\n", prop->name, prop->type);
    }
}

static void hmp_qom_get(Monitor *mon, const HmpArgs *a)
{
    Error *err = NULL;
    Object *obj = qom_resolve(a->str[0], &err);
    QObject *value = obj ? qom_get_json(obj, a->str[1], &err) : NULL;
    GString *json;

    if (!value) {
        hmp_handle_error(mon, err);
        return;
    }
    json = qobject_to_json_pretty(value, true);
    monitor_printf(mon, "%s\n", json->str);
    g_string_free(json, TRUE);
    qobject_unref(value);
}

/* qom-set [-j] PATH PROPERTY VALUE: -j takes VALUE as JSON. */
static void hmp_qom_set(Monitor *mon, const HmpArgs *a)
{
    bool json = !strcmp(a->str[0], "-j");
    g_autofree char *prop = NULL;
    const char *path, *text;
    Error *err = NULL;
    Object *obj;
    QObject *value;

    /* Arguments "s s R": with -j the property starts the rest. */
    if (json) {
        path = a->str[1];
        text = a->str[2] ? a->str[2] + strcspn(a->str[2], " \t") : NULL;
        prop = a->str[2] ? g_strndup(a->str[2], text - a->str[2]) : NULL;
        text = text ? text + strspn(text, " \t") : NULL;
    } else {
        path = a->str[0];
        prop = g_strdup(a->str[1]);
        text = a->str[2];
    }
    if (!text || !*text) {
        monitor_printf(mon, "qom-set: string expected\n"
                       "Try \"help qom-set\" for more information\n");
        return;
    }
    obj = qom_resolve(path, &err);
    if (obj && !json) {
        object_property_parse(obj, prop, text, &err);
    } else if (obj) {
        value = qobject_from_json(text, &err);
        if (value) {
            qom_set_json(obj, prop, value, &err);
            qobject_unref(value);
        }
    }
    hmp_handle_error(mon, err);
}

static void hmp_object_add(Monitor *mon, const HmpArgs *a)
{
    Error *err = NULL;

    qom_object_add_text(a->str[0], &err);
    hmp_handle_error(mon, err);
}

static void hmp_object_del(Monitor *mon, const HmpArgs *a)
{
    Error *err = NULL;

    user_creatable_del(a->str[0], &err);
    hmp_handle_error(mon, err);
}

/* ---- Ring buffers ---- */

static void hmp_ringbuf_write(Monitor *mon, const HmpArgs *a)
{
    Error *err = NULL;

    qmp_ringbuf_write(a->str[0], a->str[1], false, 0, &err);
    hmp_handle_error(mon, err);
}

/* Control characters but \n and \t as \uXXXX (QEMU's rendering). */
static void hmp_ringbuf_read(Monitor *mon, const HmpArgs *a)
{
    Error *err = NULL;
    g_autofree char *data = qmp_ringbuf_read(a->str[0], a->num[1], false,
                                             0, &err);

    if (!data) {
        hmp_handle_error(mon, err);
        return;
    }
    for (const char *p = data; *p; p++) {
        uint8_t c = *p;

        if (c == '\\') {
            monitor_puts(mon, "\\\\");
        } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
            monitor_printf(mon, "\\u%04X", c);
        } else {
            monitor_printf(mon, "%c", c);
        }
    }
    monitor_puts(mon, "\n");
}

/* ---- info ---- */

static void hmp_info_version(Monitor *mon, const HmpArgs *a)
{
    monitor_printf(mon, "%s Machina\n", MACHINA_VERSION);
}

static void hmp_info_status(Monitor *mon, const HmpArgs *a)
{
    RunState state = runstate_get();
    bool running = runstate_is_running();

    monitor_printf(mon, "VM status: %s", running ? "running" : "paused");
    if (!running && state != RUN_STATE_PAUSED) {
        monitor_printf(mon, " (%s)", RunState_str(state));
    }
    monitor_puts(mon, "\n");
}

static void hmp_info_name(Monitor *mon, const HmpArgs *a)
{
    if (qemu_name) {
        monitor_printf(mon, "%s\n", qemu_name);
    }
}

static void hmp_info_uuid(Monitor *mon, const HmpArgs *a)
{
    g_autofree char *uuid = qemu_uuid_unparse_strdup();

    monitor_printf(mon, "%s\n", uuid);
}

static void hmp_info_kvm(Monitor *mon, const HmpArgs *a)
{
    monitor_printf(mon, "kvm support: not compiled\n");
}

static void hmp_info_chardev(Monitor *mon, const HmpArgs *a)
{
    QList *list = qmp_chardev_list();

    for (const QListEntry *e = qlist_first(list); e; e = qlist_next(e)) {
        QDict *info = qobject_to(QDict, qlist_entry_obj(e));

        monitor_printf(mon, "%s: filename=%s\n",
                       qdict_get_str(info, "label"),
                       qdict_get_str(info, "filename"));
    }
    qobject_unref(list);
}

static void hmp_info_cpus(Monitor *mon, const HmpArgs *a)
{
    int n = monitor_cpu_count();

    for (int i = 0; i < n; i++) {
        QDict *info = qmp_cpu_info(i);

        monitor_printf(mon, "%c CPU #%d: thread_id=%" PRId64 "\n",
                       i == mon->cpu_index ? '*' : ' ', i,
                       qdict_get_int(info, "thread-id"));
        qobject_unref(info);
    }
}

static void hmp_info_registers(Monitor *mon, const HmpArgs *a)
{
    const MonitorCpuOps *ops = monitor_cpu_ops();
    bool all = a->str[0] && !strcmp(a->str[0], "-a");
    int first = mon->cpu_index, last = mon->cpu_index;
    GString *out = g_string_new(NULL);

    if (all) {
        first = 0;
        last = monitor_cpu_count() - 1;
    } else if (a->str[0]) {
        first = last = atoi(a->str[0]);
    }
    if (!all && (first < 0 || first >= monitor_cpu_count() || !ops ||
                 !ops->dump_state)) {
        monitor_printf(mon, "CPU#%d not available\n", first);
        g_string_free(out, TRUE);
        return;
    }
    for (int i = first; i <= last && ops && ops->dump_state; i++) {
        g_string_append_printf(out, "\nCPU#%d\n", i);
        ops->dump_state(i, out);
    }
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
}

static void hmp_info_numa(Monitor *mon, const HmpArgs *a)
{
    MachineState *ms = qdev_get_machine_state();
    g_autofree char *text = ms ? hmp_info_numa_text(ms) : NULL;

    monitor_puts(mon, text ? text : "0 nodes\n");
}

static void hmp_info_memdev(Monitor *mon, const HmpArgs *a)
{
    g_autofree char *text = hmp_info_memdev_text();

    monitor_puts(mon, text);
}

static void hmp_info_mtree(Monitor *mon, const HmpArgs *a)
{
    g_autofree char *text = NULL;

    if (a->str[0] && strcmp(a->str[0], "-f")) {
        monitor_printf(mon, "mtree: unsupported option %s\n", a->str[0]);
        return;
    }
    text = memory_mtree_info(a->str[0] != NULL);
    monitor_puts(mon, text);
}

static void hmp_info_block(Monitor *mon, const HmpArgs *a)
{
    g_autofree char *text = blk_hmp_info_block();

    monitor_puts(mon, text);
}

static void hmp_info_history(Monitor *mon, const HmpArgs *a)
{
    for (guint i = 0; i < mon->history->len; i++) {
        monitor_printf(mon, "%d: '%s'\n", i,
                       (char *)g_ptr_array_index(mon->history, i));
    }
}

static void hmp_info_memory_size_summary(Monitor *mon, const HmpArgs *a)
{
    MachineState *ms = qdev_get_machine_state();

    monitor_printf(mon, "base memory: %" PRIu64 "\n",
                   ms ? ms->ram_size : 0);
}

/* ---- info qtree ---- */

static void qtree_print_bus(Monitor *mon, BusState *bus, int indent);

/*
 * qdev properties as QEMU prints them: numbers "N (0xN)", booleans
 * true/false, strings quoted.
 */
static void qtree_print_props(Monitor *mon, DeviceState *dev, int indent)
{
    ObjectClass *oc = object_get_class(OBJECT(dev));

    for (; oc && object_class_dynamic_cast(oc, TYPE_DEVICE);
         oc = object_class_get_parent(oc)) {
        const Property *p = DEVICE_CLASS(oc)->props_;

        for (; p && p->name; p++) {
            g_autofree char *v = object_property_print(OBJECT(dev),
                                                       p->name, true, NULL);
            ObjectPropertyKind kind = p->info->kind;

            if (!v) {
                continue;
            }
            if (kind == OBJ_PROP_KIND_INT || kind == OBJ_PROP_KIND_UINT ||
                kind == OBJ_PROP_KIND_SIZE) {
                monitor_printf(mon, "%*s%s = %s (0x%" PRIx64 ")\n", indent,
                               "", p->name, v,
                               (uint64_t)g_ascii_strtoll(v, NULL, 10));
            } else if (kind == OBJ_PROP_KIND_BOOL) {
                monitor_printf(mon, "%*s%s = %s\n", indent, "", p->name,
                               !strcmp(v, "on") ? "true" : "false");
            } else if (kind == OBJ_PROP_KIND_STR) {
                monitor_printf(mon, "%*s%s = \"%s\"\n", indent, "",
                               p->name, v);
            } else {
                monitor_printf(mon, "%*s%s = %s\n", indent, "", p->name,
                               v);
            }
        }
    }
}

static void qtree_print_dev(Monitor *mon, DeviceState *dev, int indent)
{
    monitor_printf(mon, "%*sdev: %s, id \"%s\"\n", indent, "",
                   object_get_typename(OBJECT(dev)), dev->id ? dev->id : "");
    qtree_print_props(mon, dev, indent + 2);
    for (GSList *l = dev->child_bus; l; l = l->next) {
        qtree_print_bus(mon, l->data, indent + 2);
    }
}

static void qtree_print_bus(Monitor *mon, BusState *bus, int indent)
{
    monitor_printf(mon, "%*sbus: %s\n", indent, "", bus->name);
    monitor_printf(mon, "%*stype %s\n", indent + 2, "",
                   object_get_typename(OBJECT(bus)));
    for (GList *l = bus->children; l; l = l->next) {
        BusChild *kid = l->data;

        qtree_print_dev(mon, kid->child, indent + 2);
    }
}

static void hmp_info_qtree(Monitor *mon, const HmpArgs *a)
{
    BusState *bus = sysbus_get_default();

    if (bus) {
        qtree_print_bus(mon, bus, 0);
    }
}

/* ---- Tables ---- */

const HmpCommand hmp_info_cmds[] = {
    { "block", "", "", "show info of one block device or all block devices",
      hmp_info_block },
    { "chardev", "", "", "show the character devices", hmp_info_chardev },
    { "cpus", "", "", "show infos for each CPU", hmp_info_cpus },
    { "history", "", "", "show the command line history",
      hmp_info_history },
    { "kvm", "", "", "show KVM information", hmp_info_kvm },
    { "memdev", "", "", "show memory backends", hmp_info_memdev },
    { "memory_size_summary", "", "", "show the amount of initially "
      "allocated and present hotpluggable (if enabled) memory in bytes.",
      hmp_info_memory_size_summary },
    { "mtree", "S", "[-f]", "show memory tree (-f: dump flat view for "
      "address spaces)", hmp_info_mtree },
    { "name", "", "", "show the current VM name", hmp_info_name },
    { "numa", "", "", "show NUMA information", hmp_info_numa },
    { "qtree", "", "", "show device tree", hmp_info_qtree },
    { "registers", "S", "[-a|vcpu]", "show the cpu registers (-a: show "
      "register info for all cpus; vcpu: specific vCPU to query; show the "
      "current CPU's registers if no argument is specified)",
      hmp_info_registers },
    { "status", "", "", "show the current VM status (running|paused)",
      hmp_info_status },
    { "uuid", "", "", "show the current VM UUID", hmp_info_uuid },
    { "version", "", "", "show the version of QEMU", hmp_info_version },
    { NULL },
};

const HmpCommand hmp_cmds[] = {
    { "cont|c", "", "", "resume emulation", hmp_cont },
    { "cpu", "i", "index", "set the default CPU", hmp_cpu },
    { "help|?", "R", "[cmd]", "show the help", hmp_help },
    { "info", "", "[subcommand]", "show various information about the "
      "system state", NULL, hmp_info_cmds },
    { "log", "s", "item1[,...]", "activate logging of the specified items",
      hmp_log },
    { "object_add", "s", "[qom-type=]type,id=str[,prop=value][,...]",
      "create QOM object", hmp_object_add },
    { "object_del", "s", "id", "destroy QOM object", hmp_object_del },
    { "qom-get", "ss", "path property", "print QOM property", hmp_qom_get },
    { "qom-list", "S", "path", "list QOM properties", hmp_qom_list },
    { "qom-set", "ssR", "[-j] path property value", "set QOM property.\n"
      "\t\t\t -j: the value is specified in json format.", hmp_qom_set },
    { "quit|q", "", "", "quit the emulator", hmp_quit },
    { "ringbuf_read", "si", "device size", "Read from a ring buffer "
      "character device", hmp_ringbuf_read },
    { "ringbuf_write", "ss", "device data", "Write to a ring buffer "
      "character device", hmp_ringbuf_write },
    { "stop|s", "", "", "stop emulation", hmp_stop },
    { "system_powerdown", "", "", "send system power down event",
      hmp_system_powerdown },
    { "system_reset", "", "", "reset the system", hmp_system_reset },
    { "x", "/i", "/fmt addr", "virtual memory dump starting at 'addr'",
      hmp_x },
    { "xp", "/i", "/fmt addr", "physical memory dump starting at 'addr'",
      hmp_xp },
    { NULL },
};
