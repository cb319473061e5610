/*
 * vl.c: the command line of machina-system-riscv64, and start-up.
 *
 * Start-up runs in phases, each over every option of its kind in
 * command-line order, so that an option may name an object another
 * option creates later on the line:
 *   1. parse: every option is checked and recorded (QemuOpts lists or
 *      plain variables); -h, -version and "help" requests print and exit;
 *   2. logging, daemonizing, the main loop and the big lock;
 *   3. the machine object, its -machine properties, -m, -smp;
 *   4. chardevs, serial ports, -object, drives (everything the board and
 *      devices refer to);
 *   5. the board, then -device, then monitors and qtest;
 *   6. -S or start, then the main loop.
 * Every error is one line naming the option (the Location prefix) and
 * ends the process with status 1.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/option.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"
#include "hw/boards.h"
#include "hw/qdev-core.h"
#include "hw/qdev-globals.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "sysemu/block-backend.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "sysemu/accel.h"
#include "sysemu/cpus.h"
#include "sysemu/numa.h"
#include "sysemu/rtc.h"
#include "sysemu/qtest.h"
#include "target/riscv/cpu.h"
#include "hw/riscv/boot.h"

#include <sys/file.h>

const char *qemu_name;
uint8_t qemu_uuid[16];
bool qemu_uuid_set;
bool autostart = true;

static Chardev *serial_hds[MAX_SERIAL_PORTS];

/* What the parse phase recorded (main thread only). */
static struct {
    const char *machine_type;
    const char *cpu_model;
    const char *mem_text;
    char *mem_loc_text;
    const char *log_items;
    const char *log_file;
    const char *pidfile;
    const char *accel;
    const char *qtest_log;
    bool qtest;
    const char *bios;
    const char *kernel;
    const char *initrd;
    const char *append;
    const char *dtb;
    GPtrArray *serials;         /* -serial specs */
    GPtrArray *blockdevs;       /* -blockdev texts, with locations */
    bool nographic;
    bool display_none;
    bool nodefaults;
    bool daemonize;
} vl;

/*
 * Options handled after the machine exists (NUMA, monitors, qtest, RTC,
 * -blockdev), kept in command-line order with their location text.
 */
typedef struct VlLateOption {
    int index;                  /* VlOptionIndex */
    const char *arg;
    char *loc_text;
} VlLateOption;

static GPtrArray *late_options;
/* QemuOpts * -> the option text that created it, for error prefixes. */
static GHashTable *opts_text;

/* ---- option tables ------------------------------------------------------ */

static QemuOptsList qemu_machine_opts = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .desc = { { 0 } },
};

static QemuOptsList qemu_accel_opts = {
    .name = "accel",
    .implied_opt_name = "accel",
    .desc = {
        { .name = "accel", .type = QEMU_OPT_STRING,
          .help = "Select the type of accelerator (tcg, qtest)" },
        { .name = "thread", .type = QEMU_OPT_STRING,
          .help = "Enable/disable multi-threaded TCG (single|multi)" },
        { 0 }
    },
};

static QemuOptsList qemu_smp_opts = {
    .name = "smp-opts",
    .implied_opt_name = "cpus",
    .merge_lists = true,
    .desc = {
        { .name = "cpus", .type = QEMU_OPT_NUMBER },
        { .name = "sockets", .type = QEMU_OPT_NUMBER },
        { .name = "dies", .type = QEMU_OPT_NUMBER },
        { .name = "clusters", .type = QEMU_OPT_NUMBER },
        { .name = "cores", .type = QEMU_OPT_NUMBER },
        { .name = "threads", .type = QEMU_OPT_NUMBER },
        { .name = "maxcpus", .type = QEMU_OPT_NUMBER },
        { 0 }
    },
};

static QemuOptsList qemu_object_opts = {
    .name = "object",
    .implied_opt_name = "qom-type",
    .desc = { { 0 } },
};

static QemuOptsList qemu_device_opts = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { 0 } },
};

static QemuOptsList qemu_drive_opts = {
    .name = "drive",
    .desc = { { 0 } },
};

static QemuOptsList qemu_name_opts = {
    .name = "name",
    .implied_opt_name = "guest",
    .merge_lists = true,
    .desc = {
        { .name = "guest", .type = QEMU_OPT_STRING,
          .help = "Sets the name of the guest" },
        { .name = "process", .type = QEMU_OPT_STRING,
          .help = "Sets the name of the emulator process" },
        { .name = "debug-threads", .type = QEMU_OPT_BOOL,
          .help = "Name the emulator's threads (always on in Machina)" },
        { 0 }
    },
};

static QemuOptsList qemu_display_opts = {
    .name = "display",
    .implied_opt_name = "type",
    .merge_lists = true,
    .desc = { { .name = "type", .type = QEMU_OPT_STRING }, { 0 } },
};

/*
 * The options.  HAS_ARG options take the next argv element.  Options
 * QEMU has but Machina does not implement are listed in
 * unsupported_options[] below so that they are refused by name.
 */
typedef enum VlOptionIndex {
    OPT_HELP, OPT_VERSION, OPT_MACHINE, OPT_ACCEL, OPT_CPU, OPT_SMP,
    OPT_M, OPT_OBJECT, OPT_NUMA, OPT_DEVICE, OPT_CHARDEV, OPT_SERIAL,
    OPT_MONITOR, OPT_QMP, OPT_QMP_PRETTY, OPT_MON, OPT_NOGRAPHIC,
    OPT_DISPLAY, OPT_S, OPT_NAME, OPT_UUID, OPT_NO_REBOOT,
    OPT_NO_SHUTDOWN, OPT_D, OPT_DLOGFILE, OPT_DAEMONIZE, OPT_PIDFILE,
    OPT_KERNEL, OPT_INITRD, OPT_APPEND, OPT_BIOS, OPT_DTB, OPT_QTEST,
    OPT_QTEST_LOG, OPT_RTC, OPT_NODEFAULTS, OPT_DRIVE, OPT_BLOCKDEV,
    OPT_GLOBAL, OPT_L,
} VlOptionIndex;

typedef struct VlOption {
    const char *name;
    bool has_arg;
    VlOptionIndex index;
    const char *args;           /* for -h */
    const char *help;
} VlOption;

static const VlOption options[] = {
    { "h", false, OPT_HELP, "", "display this help and exit" },
    { "help", false, OPT_HELP, "", "display this help and exit" },
    { "version", false, OPT_VERSION, "", "display version information "
      "and exit" },
    { "M", true, OPT_MACHINE, "TYPE[,prop=value...]", "same as -machine" },
    { "machine", true, OPT_MACHINE, "[type=]NAME[,prop=value...]",
      "select the board (-machine help lists them)" },
    { "accel", true, OPT_ACCEL, "[accel=]tcg|qtest[,thread=single|multi]",
      "select the accelerator" },
    { "cpu", true, OPT_CPU, "MODEL[,ext=on|off...]",
      "select the CPU model (-cpu help lists them)" },
    { "smp", true, OPT_SMP, "[cpus=]N[,maxcpus=M][,sockets=S][,cores=C]"
      "[,threads=T]", "set the number of CPUs and their topology" },
    { "m", true, OPT_M, "[size=]SIZE[,slots=N][,maxmem=SIZE]",
      "set the guest RAM size (default suffix MiB)" },
    { "object", true, OPT_OBJECT, "TYPE,id=ID[,prop=value...]",
      "create an object (-object help lists the types)" },
    { "numa", true, OPT_NUMA, "node|dist|cpu,...",
      "describe the NUMA topology (see docs/numa.md)" },
    { "device", true, OPT_DEVICE, "DRIVER[,prop=value...]",
      "add a device (-device help lists them)" },
    { "chardev", true, OPT_CHARDEV, "BACKEND,id=ID[,...]",
      "create a character device (-chardev help lists backends)" },
    { "serial", true, OPT_SERIAL, "DEV",
      "redirect the next serial port to DEV (stdio, pty, null, ...)" },
    { "monitor", true, OPT_MONITOR, "DEV", "human monitor on DEV" },
    { "qmp", true, OPT_QMP, "DEV", "QMP monitor on DEV" },
    { "qmp-pretty", true, OPT_QMP_PRETTY, "DEV",
      "QMP monitor on DEV with pretty-printed JSON" },
    { "mon", true, OPT_MON, "[chardev=]ID[,mode=readline|control]"
      "[,pretty=on|off]", "monitor on an existing chardev" },
    { "nographic", false, OPT_NOGRAPHIC, "",
      "no display; serial port and monitor on stdio" },
    { "display", true, OPT_DISPLAY, "none", "select the display (only "
      "none: Machina has no graphical display)" },
    { "S", false, OPT_S, "", "do not start the CPUs at start-up" },
    { "name", true, OPT_NAME, "[guest=]NAME[,process=NAME]",
      "set the guest name" },
    { "uuid", true, OPT_UUID, "%08x-%04x-%04x-%04x-%012x",
      "set the system UUID" },
    { "no-reboot", false, OPT_NO_REBOOT, "", "exit instead of rebooting" },
    { "no-shutdown", false, OPT_NO_SHUTDOWN, "",
      "stop instead of exiting when the guest shuts down" },
    { "d", true, OPT_D, "ITEM[,...]", "enable logging of ITEMs "
      "(-d help lists them)" },
    { "D", true, OPT_DLOGFILE, "FILE", "write the -d log to FILE" },
    { "daemonize", false, OPT_DAEMONIZE, "",
      "detach from the terminal after start-up" },
    { "pidfile", true, OPT_PIDFILE, "FILE", "write the process id to FILE" },
    { "kernel", true, OPT_KERNEL, "FILE", "kernel image (ELF, Image, "
      "uImage or raw)" },
    { "initrd", true, OPT_INITRD, "FILE", "initial RAM disk" },
    { "append", true, OPT_APPEND, "CMDLINE", "kernel command line" },
    { "bios", true, OPT_BIOS, "FILE|default|none", "firmware" },
    { "dtb", true, OPT_DTB, "FILE", "use FILE as the device tree" },
    { "qtest", true, OPT_QTEST, "DEV", "qtest protocol on DEV" },
    { "qtest-log", true, OPT_QTEST_LOG, "FILE|none", "qtest log" },
    { "rtc", true, OPT_RTC, "[base=utc|localtime|DATE][,clock=host|rt|vm]",
      "set the real-time clock" },
    { "nodefaults", false, OPT_NODEFAULTS, "",
      "no default serial port or monitor" },
    { "drive", true, OPT_DRIVE, "file=FILE[,if=none|virtio][,format=F]"
      "[,id=ID][,...]", "add a drive (see docs/block.md)" },
    { "blockdev", true, OPT_BLOCKDEV, "driver=D,node-name=N[,...]",
      "add a block node (see docs/block.md)" },
    { "global", true, OPT_GLOBAL, "DRIVER.PROP=VALUE",
      "set a default device property" },
    { "L", true, OPT_L, "DIR", "add DIR to the firmware search path" },
};

/* QEMU options Machina recognises but does not implement. */
static const char *const unsupported_options[] = {
    "netdev", "nic", "net", "vga", "usb", "usbdevice", "audiodev",
    "soundhw", "spice", "vnc", "sdl", "curses", "full-screen", "g",
    "icount", "gdb", "s", "snapshot", "hda", "hdb", "hdc", "hdd", "cdrom",
    "fda", "fdb", "pflash", "mtdblock", "sd", "boot", "k", "incoming",
    "loadvm", "enable-kvm", "no-acpi", "smbios", "fw_cfg", "semihosting",
    "semihosting-config", "overcommit", "msg", "sandbox", "plugin",
    "trace", "preconfig", "readconfig", "writeconfig", "nodefconfig",
    "no-user-config", "runas", "chroot", "watchdog", "watchdog-action",
    "action", "echr", "virtfs", "fsdev", "iscsi", "add-fd", "mem-path",
    "mem-prealloc", "parallel", "debugcon", "tb-size", "singlestep",
    "seed", "bt", "option-rom", "acpitable", "device-tree",
    "set", "portrait", "rotate", "alt-grab", "ctrl-grab", "no-quit",
    "no-frame", "no-hpet", "win2k-hack", "prom-env", "old-param",
    "xen-domid", "xen-attach", "compat", "async-teardown", "dfilter",
    "enable-sync-profile", "object-add",
};

/* ---- help and version --------------------------------------------------- */

static void print_version(void)
{
    printf("Machina emulator version " MACHINA_VERSION "\n"
           "Copyright (c) 2026 the Machina authors\n");
}

static void print_help(void)
{
    print_version();
    printf("usage: machina-system-riscv64 [options]\n\n");
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const VlOption *o = &options[i];
        g_autofree char *left = g_strdup_printf("-%s%s%s", o->name,
                                                *o->args ? " " : "",
                                                o->args);

        if (!strcmp(o->name, "help") || !strcmp(o->name, "M")) {
            continue;
        }
        if (strlen(left) > 30) {
            printf("%s\n%31s %s\n", left, "", o->help);
        } else {
            printf("%-31s %s\n", left, o->help);
        }
    }
    printf("\nDuring emulation with -nographic, Ctrl-a h lists the "
           "console keys.\nSee docs/ for the user manual.\n");
}

/* ---- parse phase -------------------------------------------------------- */

static const VlOption *lookup_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        if (!strcmp(options[i].name, name)) {
            return &options[i];
        }
    }
    return NULL;
}

static bool is_unsupported_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(unsupported_options); i++) {
        if (!strcmp(unsupported_options[i], name)) {
            return true;
        }
    }
    return false;
}

/* Parse @arg into @list, or report and exit (the location is set). */
static QemuOpts *parse_opts_or_exit(QemuOptsList *list, const char *arg)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse(list, arg, list->implied_opt_name != NULL,
                                     &err);

    if (!opts) {
        error_report_err(err);
        exit(1);
    }
    if (!g_hash_table_contains(opts_text, opts)) {
        g_hash_table_insert(opts_text, opts, g_strdup(loc_get_text()));
    }
    return opts;
}

/* The text of the option that created @opts ("-device virtio-..."). */
static const char *opts_loc_text(QemuOpts *opts)
{
    return g_hash_table_lookup(opts_text, opts);
}

static void parse_uuid_or_exit(const char *text)
{
    static const int groups[] = { 8, 4, 4, 4, 12 };
    const char *p = text;

    for (size_t g = 0, byte = 0; g < ARRAY_SIZE(groups); g++) {
        for (int i = 0; i < groups[g]; i += 2, byte++) {
            if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1])) {
                goto bad;
            }
            qemu_uuid[byte] = g_ascii_xdigit_value(p[0]) << 4 |
                              g_ascii_xdigit_value(p[1]);
            p += 2;
        }
        if (g + 1 < ARRAY_SIZE(groups) && *p++ != '-') {
            goto bad;
        }
    }
    if (*p) {
        goto bad;
    }
    qemu_uuid_set = true;
    return;
bad:
    error_report("failed to parse UUID string: wrong format, expected "
                 "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex digits)");
    exit(1);
}

static void handle_display(const char *arg)
{
    QemuOpts *opts = parse_opts_or_exit(&qemu_display_opts, arg);
    const char *type = qemu_opt_get(opts, "type");

    if (!type || strcmp(type, "none") != 0) {
        error_report("Display '%s' is not available: Machina has no "
                     "graphical display; use -display none or -nographic",
                     type ? type : "");
        exit(1);
    }
    vl.display_none = true;
}

/* Record one option; "help"/"?" requests are answered later, in order. */
static void handle_option(const VlOption *o, const char *arg)
{
    switch (o->index) {
    case OPT_HELP:
        print_help();
        exit(0);
    case OPT_VERSION:
        print_version();
        exit(0);
    case OPT_MACHINE:
        parse_opts_or_exit(&qemu_machine_opts, arg);
        break;
    case OPT_ACCEL:
        parse_opts_or_exit(&qemu_accel_opts, arg);
        break;
    case OPT_CPU:
        vl.cpu_model = arg;
        break;
    case OPT_SMP:
        parse_opts_or_exit(&qemu_smp_opts, arg);
        break;
    case OPT_M:
        vl.mem_text = arg;
        g_free(vl.mem_loc_text);
        vl.mem_loc_text = g_strdup(loc_get_text());
        break;
    case OPT_OBJECT:
        parse_opts_or_exit(&qemu_object_opts, arg);
        break;
    case OPT_NUMA:
        parse_opts_or_exit(&qemu_numa_opts, arg);
        break;
    case OPT_DEVICE:
        parse_opts_or_exit(&qemu_device_opts, arg);
        break;
    case OPT_CHARDEV:
        parse_opts_or_exit(&qemu_chardev_opts, arg);
        break;
    case OPT_DRIVE:
        parse_opts_or_exit(&qemu_drive_opts, arg);
        break;
    case OPT_RTC: {
        Error *err = NULL;

        if (!rtc_parse_option(arg, &err)) {
            error_report_err(err);
            exit(1);
        }
        break;
    }
    case OPT_BLOCKDEV:
        g_ptr_array_add(vl.blockdevs, g_strdup(loc_get_text()));
        break;
    case OPT_GLOBAL: {
        Error *err = NULL;

        if (!qdev_global_parse(arg, &err)) {
            error_report_err(err);
            exit(1);
        }
        break;
    }
    case OPT_SERIAL:
        g_ptr_array_add(vl.serials, (gpointer)arg);
        break;
    case OPT_NOGRAPHIC:
        vl.nographic = true;
        vl.display_none = true;
        break;
    case OPT_DISPLAY:
        handle_display(arg);
        break;
    case OPT_S:
        autostart = false;
        break;
    case OPT_NAME: {
        QemuOpts *opts = parse_opts_or_exit(&qemu_name_opts, arg);

        qemu_name = qemu_opt_get(opts, "guest");
        break;
    }
    case OPT_UUID:
        parse_uuid_or_exit(arg);
        break;
    case OPT_NO_REBOOT:
        no_reboot = true;
        break;
    case OPT_NO_SHUTDOWN:
        no_shutdown = true;
        break;
    case OPT_D:
        vl.log_items = arg;
        break;
    case OPT_DLOGFILE:
        vl.log_file = arg;
        break;
    case OPT_DAEMONIZE:
        vl.daemonize = true;
        break;
    case OPT_PIDFILE:
        vl.pidfile = arg;
        break;
    case OPT_KERNEL:
        vl.kernel = arg;
        break;
    case OPT_INITRD:
        vl.initrd = arg;
        break;
    case OPT_APPEND:
        vl.append = arg;
        break;
    case OPT_BIOS:
        vl.bios = arg;
        break;
    case OPT_DTB:
        vl.dtb = arg;
        break;
    case OPT_L:
        riscv_firmware_add_dir(arg);
        break;
    case OPT_QTEST_LOG:
        vl.qtest_log = arg;
        break;
    case OPT_NODEFAULTS:
        vl.nodefaults = true;
        break;
    default: {
        VlLateOption *late = g_new0(VlLateOption, 1);

        late->index = o->index;
        late->arg = arg;
        late->loc_text = g_strdup(loc_get_text());
        g_ptr_array_add(late_options, late);
        break;
    }
    }
}

static void parse_command_line(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        const VlOption *o;
        const char *arg = NULL;
        Location loc;
        g_autofree char *text = NULL;

        if (name[0] != '-') {
            error_report("%s: unexpected argument (options start with "
                         "'-'; see -help)", name);
            exit(1);
        }
        name += name[1] == '-' ? 2 : 1;
        o = lookup_option(name);
        if (!o) {
            if (is_unsupported_option(name)) {
                error_report("-%s: option not supported by Machina "
                             "(see -help for what is)", name);
            } else {
                error_report("-%s: invalid option", name);
            }
            exit(1);
        }
        if (o->has_arg) {
            if (i + 1 >= argc) {
                error_report("-%s: requires an argument", name);
                exit(1);
            }
            arg = argv[++i];
        }
        text = arg ? g_strdup_printf("-%s %s", name, arg)
                   : g_strdup_printf("-%s", name);
        loc_push(&loc, text);
        handle_option(o, arg);
        loc_pop(&loc);
    }
}

/* ---- help requests ------------------------------------------------------ */

static int object_help_func(void *opaque, QemuOpts *opts, Error **errp)
{
    if (user_creatable_print_help(qemu_opt_get(opts, "qom-type"), opts)) {
        exit(0);
    }
    return 0;
}

static int device_help_func(void *opaque, QemuOpts *opts, Error **errp)
{
    const char *driver = qemu_opt_get(opts, "driver");

    if (driver && is_help_option(driver)) {
        qdev_print_device_list();
        exit(0);
    }
    if (driver && qemu_opt_has_help_opt(opts)) {
        Location loc;

        loc_push(&loc, opts_loc_text(opts));
        if (!qdev_device_print_help(driver)) {
            error_report("'%s' is not a valid device model name; use "
                         "-device help to list them", driver);
            exit(1);
        }
        exit(0);
    }
    return 0;
}

static int chardev_help_func(void *opaque, QemuOpts *opts, Error **errp)
{
    const char *backend = qemu_opt_get(opts, "backend");
    Error *err = NULL;

    if (backend && is_help_option(backend)) {
        qemu_chr_print_backends();
        exit(0);
    }
    if (backend && qemu_opt_has_help_opt(opts)) {
        Location loc;

        loc_push(&loc, opts_loc_text(opts));
        if (!qemu_chr_print_backend_options(backend, &err)) {
            error_report_err(err);
            exit(1);
        }
        exit(0);
    }
    return 0;
}

static int accel_help_func(void *opaque, QemuOpts *opts, Error **errp)
{
    const char *accel = qemu_opt_get(opts, "accel");

    if (accel && is_help_option(accel)) {
        printf("Accelerators supported in Machina binary:\ntcg\nqtest\n");
        exit(0);
    }
    return 0;
}

static void answer_help_requests(void)
{
    QemuOpts *opts;

    opts = qemu_opts_find(&qemu_machine_opts, NULL);
    if (opts && is_help_option(qemu_opt_get(opts, "type"))) {
        machine_print_list();
        exit(0);
    }
    if (vl.cpu_model && (is_help_option(vl.cpu_model) ||
                         g_str_has_suffix(vl.cpu_model, ",help"))) {
        riscv_cpu_list(stdout);
        exit(0);
    }
    if (vl.log_items && is_help_option(vl.log_items)) {
        qemu_print_log_usage(stdout);
        exit(0);
    }
    qemu_opts_foreach(&qemu_object_opts, object_help_func, NULL, NULL);
    qemu_opts_foreach(&qemu_device_opts, device_help_func, NULL, NULL);
    qemu_opts_foreach(&qemu_chardev_opts, chardev_help_func, NULL, NULL);
    qemu_opts_foreach(&qemu_accel_opts, accel_help_func, NULL, NULL);
}

/* ---- logging, daemon, pid file ------------------------------------------ */

static void setup_logging(void)
{
    Error *err = NULL;
    int mask = 0;

    if (vl.log_items) {
        mask = qemu_str_to_log_mask(vl.log_items, &err);
        if (err) {
            error_report_err(err);
            exit(1);
        }
    }
    if (!qemu_set_log_filename_flags(vl.log_file, mask, &err)) {
        error_report_err(err);
        exit(1);
    }
}

/*
 * The pid file is created and locked; a second emulator using the same
 * file fails instead of overwriting it (QEMU does the same).
 */
static void write_pidfile(void)
{
    g_autofree char *pid = NULL;
    int fd;

    if (!vl.pidfile) {
        return;
    }
    fd = open(vl.pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error_report("-pidfile %s: cannot create PID file: %s", vl.pidfile,
                     g_strerror(errno));
        exit(1);
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        error_report("-pidfile %s: cannot lock the PID file: another "
                     "process holds it", vl.pidfile);
        exit(1);
    }
    pid = g_strdup_printf("%d\n", (int)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, pid, strlen(pid)) < 0) {
        error_report("-pidfile %s: cannot write the PID file: %s",
                     vl.pidfile, g_strerror(errno));
        exit(1);
    }
    /* The descriptor stays open (and locked) until exit. */
}

/*
 * -daemonize: the parent waits on a pipe until the child has finished
 * start-up, so that start-up errors still reach the terminal and the
 * parent's exit status tells whether the VM started.
 */
static int daemon_pipe = -1;

static bool spec_uses_stdio(const char *spec)
{
    return spec && (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio"));
}

static int chardev_is_stdio(void *opaque, QemuOpts *opts, Error **errp)
{
    const char *backend = qemu_opt_get(opts, "backend");

    return backend && !strcmp(backend, "stdio");
}

/* A daemon has no terminal: refuse whatever would use it. */
static void check_daemonize_stdio(void)
{
    if (vl.nographic) {
        error_report("-nographic cannot be used with -daemonize (use "
                     "-display none and a pty or socket chardev)");
        exit(1);
    }
    for (guint i = 0; i < vl.serials->len; i++) {
        if (spec_uses_stdio(g_ptr_array_index(vl.serials, i))) {
            error_report("-serial stdio cannot be used with -daemonize");
            exit(1);
        }
    }
    for (guint i = 0; i < late_options->len; i++) {
        VlLateOption *late = g_ptr_array_index(late_options, i);

        if ((late->index == OPT_MONITOR || late->index == OPT_QMP ||
             late->index == OPT_QMP_PRETTY || late->index == OPT_QTEST) &&
            spec_uses_stdio(late->arg)) {
            error_report("%s: stdio cannot be used with -daemonize",
                         late->loc_text);
            exit(1);
        }
    }
    if (qemu_opts_foreach(&qemu_chardev_opts, chardev_is_stdio, NULL,
                          NULL)) {
        error_report("-chardev stdio cannot be used with -daemonize");
        exit(1);
    }
}

static void daemonize_start(void)
{
    int fds[2];
    pid_t pid;
    char status = 1;

    if (!vl.daemonize) {
        return;
    }
    check_daemonize_stdio();
    if (pipe(fds) < 0) {
        error_report("-daemonize: pipe: %s", g_strerror(errno));
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        error_report("-daemonize: fork: %s", g_strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        close(fds[1]);
        if (read(fds[0], &status, 1) != 1) {
            status = 1;
        }
        _exit(status);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();
}

static void daemonize_finish(void)
{
    int null_fd;
    char ok = 0;

    if (daemon_pipe < 0) {
        return;
    }
    null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        close(null_fd);
    }
    if (write(daemon_pipe, &ok, 1) != 1) {
        /* The parent is gone; nothing to tell. */
    }
    close(daemon_pipe);
    daemon_pipe = -1;
}

/* ---- signals ------------------------------------------------------------ */

static volatile sig_atomic_t term_signal;
static volatile pid_t term_pid;

static void termsig_handler(int sig, siginfo_t *info, void *ctx)
{
    term_signal = sig;
    term_pid = info ? info->si_pid : 0;
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
}

static void install_signal_handlers(void)
{
    struct sigaction sa = { 0 };

    sa.sa_sigaction = termsig_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* "terminating on signal 15 from pid 1234 (name)", as QEMU prints. */
static void report_termination(void)
{
    g_autofree char *comm = NULL;
    g_autofree char *path = NULL;

    if (!term_signal) {
        return;
    }
    path = g_strdup_printf("/proc/%d/comm", (int)term_pid);
    if (term_pid && g_file_get_contents(path, &comm, NULL, NULL)) {
        g_strchomp(comm);
        error_report("terminating on signal %d from pid %d (%s)",
                     (int)term_signal, (int)term_pid, comm);
    } else if (term_pid) {
        error_report("terminating on signal %d from pid %d",
                     (int)term_signal, (int)term_pid);
    } else {
        error_report("terminating on signal %d", (int)term_signal);
    }
}

/* ---- machine ------------------------------------------------------------ */

static MachineClass *select_machine(void)
{
    QemuOpts *opts = qemu_opts_find(&qemu_machine_opts, NULL);
    const char *type = opts ? qemu_opt_get(opts, "type") : NULL;
    MachineClass *mc;

    vl.machine_type = type;
    if (!type) {
        mc = find_default_machine();
        if (!mc) {
            error_report("no machine type given and no default machine; "
                         "use -machine help to list them");
            exit(1);
        }
        return mc;
    }
    mc = machine_find_class(type);
    if (!mc) {
        error_report("-machine %s: unsupported machine type; use "
                     "-machine help to list supported machines", type);
        exit(1);
    }
    return mc;
}

/* Apply every -machine key but "type" (and "accel") as a property. */
static int set_machine_prop(void *opaque, const char *name,
                            const char *value, Error **errp)
{
    Object *machine = opaque;

    if (!strcmp(name, "type") || !strcmp(name, "accel")) {
        return 0;
    }
    if (g_str_has_prefix(name, "smp.")) {
        /* -machine smp.cpus=N,... is the dotted form of -smp (QEMU 6.2+) */
        QemuOpts *smp = qemu_opts_find(&qemu_smp_opts, NULL);

        if (!smp) {
            smp = qemu_opts_create(&qemu_smp_opts, NULL, 0, &error_abort);
            g_hash_table_insert(opts_text, smp,
                                g_strdup_printf("-machine %s=%s", name,
                                                value));
        }
        return qemu_opt_set(smp, name + 4, value, errp) ? 0 : -1;
    }
    if (!object_property_find(machine, name)) {
        error_setg(errp, "-machine: property '%s' not found on machine "
                   "type '%s'", name, object_get_typename(machine));
        return -1;
    }
    if (!object_property_parse(machine, name, value, errp)) {
        error_prepend(errp, "-machine %s=%s: ", name, value);
        return -1;
    }
    return 0;
}

static MachineState *create_machine(MachineClass *mc)
{
    Object *obj = object_new(object_class_get_name(OBJECT_CLASS(mc)));
    QemuOpts *opts = qemu_opts_find(&qemu_machine_opts, NULL);
    Error *err = NULL;

    object_property_add_child(object_get_root(), "machine", obj);
    object_unref(obj);
    if (opts && qemu_opt_foreach(opts, set_machine_prop, obj, &err)) {
        error_report_err(err);
        exit(1);
    }
    return MACHINE(obj);
}

/* -kernel & co. become machine properties, as in QEMU. */
static void set_boot_props(MachineState *ms)
{
    if (vl.initrd && !vl.kernel) {
        error_report("-initrd only allowed with -kernel option");
        exit(1);
    }
    if (vl.append && !vl.kernel) {
        error_report("-append only allowed with -kernel option");
        exit(1);
    }
    if (vl.kernel) {
        g_free(ms->kernel_filename);
        ms->kernel_filename = g_strdup(vl.kernel);
    }
    if (vl.initrd) {
        g_free(ms->initrd_filename);
        ms->initrd_filename = g_strdup(vl.initrd);
    }
    if (vl.append) {
        g_free(ms->kernel_cmdline);
        ms->kernel_cmdline = g_strdup(vl.append);
    }
    if (vl.bios) {
        g_free(ms->firmware);
        ms->firmware = g_strdup(vl.bios);
    }
    if (vl.dtb) {
        g_free(ms->dtb);
        ms->dtb = g_strdup(vl.dtb);
    }
}

static void apply_smp(MachineState *ms)
{
    QemuOpts *opts = qemu_opts_find(&qemu_smp_opts, NULL);
    SMPConfiguration cfg = { 0 };
    Error *err = NULL;
    Location loc;

    if (!opts) {
        cfg.has_cpus = true;
        cfg.cpus = MACHINE_GET_CLASS(ms)->default_cpus ?
                   MACHINE_GET_CLASS(ms)->default_cpus : 1;
    }
#define SMP_FIELD(f)                                                    \
    if (opts && qemu_opt_has(opts, #f)) {                               \
        cfg.has_##f = true;                                             \
        cfg.f = qemu_opt_get_number(opts, #f, 0);                       \
    }
    SMP_FIELD(cpus)
    SMP_FIELD(sockets)
    SMP_FIELD(dies)
    SMP_FIELD(clusters)
    SMP_FIELD(cores)
    SMP_FIELD(threads)
    SMP_FIELD(maxcpus)
#undef SMP_FIELD

    ms->smp_sockets_given = cfg.has_sockets;
    loc_push(&loc, opts ? opts_loc_text(opts) : NULL);
    if (!machine_parse_smp_config(ms, &cfg, &err)) {
        error_report_err(err);
        exit(1);
    }
    loc_pop(&loc);
}

/* ---- accelerator and memory --------------------------------------------- */

static AccelType accel_type = ACCEL_TCG;

AccelType current_accel(void)
{
    return accel_type;
}

static void set_accel(const char *name, const char *thread)
{
    if (!strcmp(name, "tcg")) {
        accel_type = ACCEL_TCG;
    } else if (!strcmp(name, "qtest")) {
        accel_type = ACCEL_QTEST;
    } else {
        error_report("invalid accelerator %s (Machina has tcg and qtest)",
                     name);
        exit(1);
    }
    if (thread && strcmp(thread, "single") != 0 &&
        strcmp(thread, "multi") != 0) {
        error_report("Invalid 'thread' setting %s (use single or multi)",
                     thread);
        exit(1);
    }
    if (thread) {
        g_autofree char *tcg_opts = g_strdup_printf("tcg,thread=%s",
                                                    thread);

        cpus_parse_accel_opts(tcg_opts, &error_abort);
    }
}

static bool vl_has_late_option(int index)
{
    for (guint i = 0; i < late_options->len; i++) {
        VlLateOption *late = g_ptr_array_index(late_options, i);

        if (late->index == index) {
            return true;
        }
    }
    return false;
}

/* -accel, or the legacy -machine accel=NAME. */
static void configure_accel(MachineState *ms)
{
    QemuOpts *mopts = qemu_opts_find(&qemu_machine_opts, NULL);
    const char *legacy = mopts ? qemu_opt_get(mopts, "accel") : NULL;
    QemuOpts *opts = qemu_opts_find(&qemu_accel_opts, NULL);
    Location loc;

    if (opts) {
        loc_push(&loc, opts_loc_text(opts));
        set_accel(qemu_opt_get(opts, "accel") ?: "tcg",
                  qemu_opt_get(opts, "thread"));
        loc_pop(&loc);
    } else if (legacy) {
        loc_push(&loc, opts_loc_text(mopts));
        set_accel(legacy, NULL);
        loc_pop(&loc);
    } else if (vl_has_late_option(OPT_QTEST)) {
        /* -qtest without an accelerator selects qtest, as QEMU does. */
        accel_type = ACCEL_QTEST;
    }
    if (accel_type == ACCEL_QTEST) {
        qtest_accel_init();
    }
}

static void configure_memory(MachineState *ms)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    Error *err = NULL;
    Location loc;

    ms->ram_size = mc->default_ram_size;
    ms->maxram_size = ms->ram_size;
    if (!vl.mem_text) {
        return;
    }
    loc_push(&loc, vl.mem_loc_text);
    if (!machine_parse_memory_opts(ms, vl.mem_text, &err)) {
        error_report_err(err);
        exit(1);
    }
    loc_pop(&loc);
}

/* ---- backends: chardevs, serial ports, objects, drives ------------------ */

static int chardev_init_func(void *opaque, QemuOpts *opts, Error **errp)
{
    Error *err = NULL;
    Location loc;

    loc_push(&loc, opts_loc_text(opts));
    if (!qemu_chr_new_from_opts(opts, NULL, &err)) {
        if (err) {
            error_report_err(err);
            exit(1);
        }
        exit(0);        /* help was printed */
    }
    loc_pop(&loc);
    return 0;
}

static void create_serial_ports(void)
{
    for (guint i = 0; i < vl.serials->len; i++) {
        const char *spec = g_ptr_array_index(vl.serials, i);
        g_autofree char *label = g_strdup_printf("serial%u", i);
        g_autofree char *text = g_strdup_printf("-serial %s", spec);
        Location loc;

        if (i >= MAX_SERIAL_PORTS) {
            error_report("-serial: too many serial ports (at most %d)",
                         MAX_SERIAL_PORTS);
            exit(1);
        }
        if (!strcmp(spec, "none")) {
            continue;
        }
        loc_push(&loc, text);
        serial_hds[i] = qemu_chr_new(label, spec, NULL);
        if (!serial_hds[i]) {
            exit(1);
        }
        loc_pop(&loc);
    }
}

Chardev *serial_hd(int i)
{
    return i >= 0 && i < MAX_SERIAL_PORTS ? serial_hds[i] : NULL;
}

static int object_init_func(void *opaque, QemuOpts *opts, Error **errp)
{
    Error *err = NULL;
    Location loc;

    loc_push(&loc, opts_loc_text(opts));
    if (!user_creatable_add_opts(opts, &err)) {
        error_report_err(err);
        exit(1);
    }
    loc_pop(&loc);
    return 0;
}

/* -drive if=virtio drives, in order, for which the board adds a disk. */
static GPtrArray *virtio_drives;

static int drive_init_func(void *opaque, QemuOpts *opts, Error **errp)
{
    Error *err = NULL;
    BlockBackend *blk;
    Location loc;

    loc_push(&loc, opts_loc_text(opts));
    blk = drive_new_from_qemu_opts(opts, &err);
    if (!blk) {
        error_report_err(err);
        exit(1);
    }
    if (blk_get_if_type(blk) == IF_VIRTIO) {
        g_ptr_array_add(virtio_drives, blk);
    }
    loc_pop(&loc);
    return 0;
}

/*
 * -drive if=virtio: a virtio-blk-device for the drive, queued after the
 * -device options as QEMU does (so they take the slots first).  QEMU's
 * "virtio-blk" alias picks virtio-blk-pci on virt; the Machina board has
 * no PCI, so it is the virtio-mmio device.
 */
static void queue_virtio_drive_devices(void)
{
    for (guint i = 0; i < virtio_drives->len; i++) {
        BlockBackend *blk = g_ptr_array_index(virtio_drives, i);
        g_autofree char *text = g_strdup_printf("virtio-blk-device,drive=%s",
                                                blk_name(blk));
        g_autofree char *loc_text = g_strdup_printf("-drive id=%s,if=virtio",
                                                    blk_name(blk));
        Location loc;

        loc_push(&loc, loc_text);
        parse_opts_or_exit(&qemu_device_opts, text);
        loc_pop(&loc);
    }
}

/* -blockdev TEXT, kept as the option text ("-blockdev " + TEXT). */
static void create_blockdevs(void)
{
    for (guint i = 0; i < vl.blockdevs->len; i++) {
        const char *text = g_ptr_array_index(vl.blockdevs, i);
        Error *err = NULL;
        Location loc;

        loc_push(&loc, text);
        if (!blockdev_new_from_opts(text + strlen("-blockdev "), &err)) {
            error_report_err(err);
            exit(1);
        }
        loc_pop(&loc);
    }
}

static int numa_init_func(void *opaque, QemuOpts *opts, Error **errp)
{
    MachineState *ms = opaque;
    Error *err = NULL;
    Location loc;

    loc_push(&loc, opts_loc_text(opts));
    if (!numa_parse_opts(ms, opts, &err)) {
        error_report_err(err);
        exit(1);
    }
    loc_pop(&loc);
    return 0;
}

/*
 * NUMA after the memory backends exist (nodes name them), then the
 * machine's RAM: the nodes' backends, -machine memory-backend=, or an
 * implicit backend of -m bytes.
 */
static void configure_numa_and_ram(MachineState *ms)
{
    Error *err = NULL;

    qemu_opts_foreach(&qemu_numa_opts, numa_init_func, ms, NULL);
    if (!numa_complete_configuration(ms, &err)) {
        error_report_err(err);
        exit(1);
    }
    if (!machine_create_ram(ms, &err)) {
        /* The implicit backend's failure is about -m's size. */
        Location loc;

        loc_push(&loc, numa_num_nodes(ms) ? NULL : vl.mem_loc_text);
        error_report_err(err);
        exit(1);
    }
}

static int device_init_func(void *opaque, QemuOpts *opts, Error **errp)
{
    Error *err = NULL;
    Location loc;

    loc_push(&loc, opts_loc_text(opts));
    if (!qdev_device_add(opts, &err)) {
        error_report_err(err);
        exit(1);
    }
    loc_pop(&loc);
    return 0;
}

/*
 * Defaults as QEMU: -nographic puts the first serial port and the human
 * monitor together on a mux on stdio ("mon:stdio"); without a display
 * and without -nographic the serial port goes nowhere.
 */
static void add_default_backends(void)
{
    if (vl.nodefaults || vl.serials->len) {
        return;
    }
    if (vl.nographic) {
        g_ptr_array_add(vl.serials, (gpointer)"mon:stdio");
    }
}

/* ---- options handled after the board ------------------------------------ */

/* -monitor, -qmp, -qmp-pretty: a monitor on a new chardev. */
static void configure_monitor(int index, const char *spec)
{
    static int count;
    g_autofree char *label = g_strdup_printf("compat_monitor%d", count++);
    Error *err = NULL;
    bool is_mon;
    Chardev *chr = qemu_chr_new_legacy(label, spec, &is_mon, NULL, &err);

    if (chr && index == OPT_MONITOR) {
        monitor_init_hmp(chr, true, &err);
    } else if (chr) {
        monitor_init_qmp(chr, index == OPT_QMP_PRETTY, &err);
    }
    if (err) {
        error_report_err(err);
        exit(1);
    }
}

/* -mon [chardev=]ID[,mode=readline|control][,pretty=on|off] */
static void configure_mon(const char *arg)
{
    QemuOpts *opts = qemu_opts_parse_noisily(&qemu_mon_opts, arg, true);
    Error *err = NULL;

    if (!opts) {
        exit(1);
    }
    if (!monitor_init_opts(opts, &err)) {
        error_report_err(err);
        exit(1);
    }
}

static void configure_late_option(MachineState *ms, VlLateOption *late)
{
    switch (late->index) {
    case OPT_MONITOR:
    case OPT_QMP:
    case OPT_QMP_PRETTY:
        configure_monitor(late->index, late->arg);
        break;
    case OPT_MON:
        configure_mon(late->arg);
        break;
    case OPT_QTEST: {
        Error *err = NULL;

        if (!qtest_server_init(late->arg, vl.qtest_log, &err)) {
            error_report_err(err);
            exit(1);
        }
        break;
    }
    default:
        /* handle_option() queues only the options handled above. */
        g_assert_not_reached();
    }
}

static void configure_late_options(MachineState *ms)
{
    for (guint i = 0; i < late_options->len; i++) {
        VlLateOption *late = g_ptr_array_index(late_options, i);
        Location loc;

        loc_push(&loc, late->loc_text);
        configure_late_option(ms, late);
        loc_pop(&loc);
    }
}

/* ---- start-up ----------------------------------------------------------- */

static void init_main_loop_or_exit(void)
{
    Error *err = NULL;

    if (qemu_init_main_loop(&err) < 0) {
        error_report_err(err);
        exit(1);
    }
    qemu_mutex_lock_iothread();
}

static const RunstateCpuOps vcpu_ops = {
    .pause_all = pause_all_vcpus,
    .resume_all = resume_all_vcpus,
};

void qemu_init(int argc, char **argv)
{
    MachineClass *mc;
    MachineState *ms;
    Error *err = NULL;

    error_set_progname(argv[0]);
    vl.serials = g_ptr_array_new();
    vl.blockdevs = g_ptr_array_new();
    virtio_drives = g_ptr_array_new();
    late_options = g_ptr_array_new();
    opts_text = g_hash_table_new_full(NULL, NULL, NULL, g_free);

    parse_command_line(argc, argv);
    answer_help_requests();
    setup_logging();
    mc = select_machine();

    daemonize_start();
    init_main_loop_or_exit();
    runstate_set_cpu_ops(&vcpu_ops);
    install_signal_handlers();
    write_pidfile();

    ms = create_machine(mc);
    set_boot_props(ms);
    configure_accel(ms);
    configure_memory(ms);
    ms->cpu_type = vl.cpu_model;
    apply_smp(ms);

    add_default_backends();
    qemu_opts_foreach(&qemu_chardev_opts, chardev_init_func, NULL, NULL);
    create_serial_ports();
    qemu_opts_foreach(&qemu_object_opts, object_init_func, NULL, NULL);
    configure_numa_and_ram(ms);
    create_blockdevs();
    qemu_opts_foreach(&qemu_drive_opts, drive_init_func, NULL, NULL);

    if (!machine_run_board_init(ms, &err)) {
        error_report_err(err);
        exit(1);
    }
    queue_virtio_drive_devices();
    qemu_opts_foreach(&qemu_device_opts, device_init_func, NULL, NULL);
    configure_late_options(ms);
    qdev_prop_check_globals();
    qemu_chr_open_muxes();

    qemu_system_reset(SHUTDOWN_CAUSE_NONE);
    daemonize_finish();
    if (autostart) {
        vm_start();
    }
}

int qemu_main_loop(void)
{
    int status = 0;

    while (!main_loop_should_exit(&status)) {
        main_loop_wait(false);
    }
    report_termination();
    return status;
}

void qemu_cleanup(void)
{
    /* Monitors first: QEMU sends no STOP event for the final stop. */
    monitor_cleanup();
    vm_stop(RUN_STATE_SHUTDOWN);
    blk_drain_all();
    blk_flush_all();
    qemu_chr_cleanup();
    /* Memory backends with discard-data=on drop their files' contents. */
    user_creatable_cleanup();
}
