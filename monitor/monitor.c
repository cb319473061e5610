/*
 * monitor.c: monitors as chardev front ends.  A QMP monitor turns each
 * connection into a QmpSession; a human monitor edits lines (a small
 * readline) and hands them to hmp.c.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "monitor-internal.h"

/* Every monitor, newest first.  Big lock. */
static Monitor *monitors;

static const MonitorCpuOps *cpu_ops;

void monitor_set_cpu_ops(const MonitorCpuOps *ops)
{
    cpu_ops = ops;
}

const MonitorCpuOps *monitor_cpu_ops(void)
{
    return cpu_ops;
}

int monitor_cpu_count(void)
{
    return cpu_ops && cpu_ops->count ? cpu_ops->count() : 0;
}

/* ---- Output ---- */

static void monitor_write(Monitor *mon, const char *data, size_t len)
{
    if (mon->capture) {
        g_string_append_len(mon->capture, data, len);
    } else if (qemu_chr_fe_backend_connected(&mon->chr)) {
        qemu_chr_fe_write_all(&mon->chr, (const uint8_t *)data, len);
    }
}

void monitor_puts(Monitor *mon, const char *str)
{
    GString *out = g_string_sized_new(strlen(str) + 16);

    for (const char *p = str; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    monitor_write(mon, out->str, out->len);
    g_string_free(out, TRUE);
}

void monitor_printf(Monitor *mon, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *str = NULL;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    monitor_puts(mon, str);
}

/* ---- Monitor objects ---- */

static Monitor *monitor_new(bool is_qmp)
{
    Monitor *mon = g_new0(Monitor, 1);

    monitor_register_commands();
    mon->is_qmp = is_qmp;
    mon->line = g_string_new(NULL);
    mon->history = g_ptr_array_new_with_free_func(g_free);
    return mon;
}

static void monitor_free(Monitor *mon)
{
    qmp_session_free(mon->qmp);
    g_string_free(mon->line, TRUE);
    g_ptr_array_unref(mon->history);
    g_free(mon);
}

static void monitor_link(Monitor *mon)
{
    mon->next = monitors;
    monitors = mon;
}

void monitor_cleanup(void)
{
    while (monitors) {
        Monitor *mon = monitors;

        monitors = mon->next;
        qemu_chr_fe_deinit(&mon->chr, false);
        monitor_free(mon);
    }
}

/* ---- QMP on a chardev ---- */

static void monitor_qmp_write(void *opaque, const char *data, size_t len)
{
    Monitor *mon = opaque;

    qemu_chr_fe_write_all(&mon->chr, (const uint8_t *)data, len);
}

/* Requests run synchronously, so there is always room for more. */
static int monitor_qmp_can_read(void *opaque)
{
    return 4096;
}

static void monitor_qmp_read(void *opaque, const uint8_t *buf, int size)
{
    Monitor *mon = opaque;

    if (mon->qmp) {
        qmp_session_feed(mon->qmp, buf, size);
    }
}

static void monitor_qmp_event(void *opaque, QEMUChrEvent event)
{
    Monitor *mon = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        /* A new connection is a new conversation: fresh greeting. */
        qmp_session_free(mon->qmp);
        mon->qmp = qmp_session_new(monitor_qmp_write, mon);
        qmp_session_set_pretty(mon->qmp, mon->pretty);
        qmp_session_start(mon->qmp);
        break;
    case CHR_EVENT_CLOSED:
        qmp_session_free(mon->qmp);
        mon->qmp = NULL;
        break;
    default:
        break;
    }
}

bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp)
{
    Monitor *mon = monitor_new(true);

    if (!qemu_chr_fe_init(&mon->chr, chr, errp)) {
        monitor_free(mon);
        return false;
    }
    mon->pretty = pretty;
    monitor_link(mon);
    qemu_chr_fe_set_handlers(&mon->chr, monitor_qmp_can_read,
                             monitor_qmp_read, monitor_qmp_event, NULL,
                             mon, NULL, true);
    return true;
}

/* ---- HMP on a chardev: a small line editor ---- */

#define HMP_PROMPT "(qemu) "

#define KEY_CTRL_A 0x01
#define KEY_CTRL_B 0x02
#define KEY_CTRL_D 0x04
#define KEY_CTRL_E 0x05
#define KEY_CTRL_F 0x06
#define KEY_CTRL_K 0x0b
#define KEY_CTRL_U 0x15
#define KEY_BACKSPACE 0x08
#define KEY_ESC 0x1b
#define KEY_DEL 0x7f

/* Escape sequence states: ESC seen, then ESC '[' (CSI) seen. */
enum { ESC_NONE, ESC_ESC, ESC_CSI };

static void hmp_show_prompt(Monitor *mon)
{
    monitor_puts(mon, HMP_PROMPT);
}

/* Redraw the line from the prompt, leaving the cursor in place. */
static void hmp_redraw(Monitor *mon)
{
    GString *out = g_string_new("\r" HMP_PROMPT);

    if (!mon->use_readline) {
        g_string_free(out, TRUE);
        return;
    }
    g_string_append_len(out, mon->line->str, mon->line->len);
    g_string_append(out, "\033[K");
    for (size_t i = mon->cursor; i < mon->line->len; i++) {
        g_string_append_c(out, '\b');
    }
    monitor_write(mon, out->str, out->len);
    g_string_free(out, TRUE);
}

static void hmp_history_add(Monitor *mon, const char *line)
{
    GPtrArray *h = mon->history;

    if (!*line || (h->len &&
                   !strcmp(g_ptr_array_index(h, h->len - 1), line))) {
        return;
    }
    if (h->len == HMP_HISTORY_MAX) {
        g_ptr_array_remove_index(h, 0);
    }
    g_ptr_array_add(h, g_strdup(line));
}

/* Up (@delta -1) or down (+1) in the history. */
static void hmp_history_move(Monitor *mon, int delta)
{
    GPtrArray *h = mon->history;
    const char *text;

    if ((delta < 0 && mon->history_pos == 0) ||
        (delta > 0 && mon->history_pos >= h->len)) {
        return;
    }
    mon->history_pos += delta;
    text = mon->history_pos < h->len ?
           g_ptr_array_index(h, mon->history_pos) : "";
    g_string_assign(mon->line, text);
    mon->cursor = mon->line->len;
    hmp_redraw(mon);
}

static void hmp_enter(Monitor *mon)
{
    g_autofree char *cmdline = g_strdup(mon->line->str);

    if (mon->use_readline) {
        monitor_puts(mon, "\n");
    }
    hmp_history_add(mon, cmdline);
    mon->history_pos = mon->history->len;
    g_string_truncate(mon->line, 0);
    mon->cursor = 0;

    hmp_handle_command(mon, cmdline);
    hmp_show_prompt(mon);
}

static void hmp_insert(Monitor *mon, char c)
{
    g_string_insert_c(mon->line, mon->cursor++, c);
    if (!mon->use_readline) {
        return;
    }
    if (mon->cursor == mon->line->len) {
        monitor_write(mon, &c, 1);
    } else {
        hmp_redraw(mon);
    }
}

static void hmp_backspace(Monitor *mon)
{
    if (mon->cursor == 0) {
        return;
    }
    g_string_erase(mon->line, --mon->cursor, 1);
    hmp_redraw(mon);
}

/* The final byte of "ESC [ ..." : arrows, Home, End. */
static void hmp_csi(Monitor *mon, char c)
{
    switch (c) {
    case 'A':
        hmp_history_move(mon, -1);
        break;
    case 'B':
        hmp_history_move(mon, 1);
        break;
    case 'C':
        if (mon->cursor < mon->line->len) {
            mon->cursor++;
            hmp_redraw(mon);
        }
        break;
    case 'D':
        if (mon->cursor > 0) {
            mon->cursor--;
            hmp_redraw(mon);
        }
        break;
    case 'H':
        mon->cursor = 0;
        hmp_redraw(mon);
        break;
    case 'F':
        mon->cursor = mon->line->len;
        hmp_redraw(mon);
        break;
    }
}

static bool hmp_escape(Monitor *mon, char c)
{
    if (mon->esc_state == ESC_ESC) {
        mon->esc_state = c == '[' || c == 'O' ? ESC_CSI : ESC_NONE;
        return true;
    }
    if (mon->esc_state == ESC_CSI) {
        /* Parameters (digits, ';') until the final byte. */
        if (c >= 0x40 && c <= 0x7e) {
            mon->esc_state = ESC_NONE;
            hmp_csi(mon, c);
        }
        return true;
    }
    return false;
}

static void hmp_control(Monitor *mon, char c)
{
    switch (c) {
    case KEY_CTRL_A:
        mon->cursor = 0;
        break;
    case KEY_CTRL_E:
        mon->cursor = mon->line->len;
        break;
    case KEY_CTRL_B:
        mon->cursor -= mon->cursor > 0;
        break;
    case KEY_CTRL_F:
        mon->cursor += mon->cursor < mon->line->len;
        break;
    case KEY_CTRL_K:
        g_string_truncate(mon->line, mon->cursor);
        break;
    case KEY_CTRL_U:
        g_string_erase(mon->line, 0, mon->cursor);
        mon->cursor = 0;
        break;
    case KEY_CTRL_D:
        if (mon->cursor < mon->line->len) {
            g_string_erase(mon->line, mon->cursor, 1);
        }
        break;
    default:
        return;     /* other control characters are ignored */
    }
    hmp_redraw(mon);
}

static void hmp_key(Monitor *mon, char c)
{
    bool was_cr = mon->last_was_cr;

    mon->last_was_cr = c == '\r';
    if (hmp_escape(mon, c)) {
        return;
    }
    if (c == '\r' || (c == '\n' && !was_cr)) {
        hmp_enter(mon);
    } else if (c == '\n') {
        /* the second half of "\r\n" */
    } else if (c == KEY_ESC) {
        mon->esc_state = ESC_ESC;
    } else if (c == KEY_BACKSPACE || c == KEY_DEL) {
        hmp_backspace(mon);
    } else if ((unsigned char)c < 0x20) {
        hmp_control(mon, c);
    } else {
        hmp_insert(mon, c);
    }
}

/* One byte at a time: a command may switch the focus or quit. */
static int monitor_hmp_can_read(void *opaque)
{
    return 1;
}

static void monitor_hmp_read(void *opaque, const uint8_t *buf, int size)
{
    Monitor *mon = opaque;

    for (int i = 0; i < size; i++) {
        hmp_key(mon, buf[i]);
    }
}

static void hmp_greet(Monitor *mon)
{
    if (!mon->banner_shown) {
        monitor_printf(mon, "Machina %s monitor - type 'help' for more "
                       "information\n", MACHINA_VERSION);
        mon->banner_shown = true;
    }
    g_string_truncate(mon->line, 0);
    mon->cursor = 0;
    hmp_show_prompt(mon);
}

/*
 * On a mux (mon:stdio) the monitor speaks only while it has the focus,
 * as in QEMU: when the serial console has it at start, the banner and
 * prompt wait for the first Ctrl-a c; leaving the monitor ends its line.
 */
static void monitor_hmp_event(void *opaque, QEMUChrEvent event)
{
    Monitor *mon = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        mon->opened = true;
        mon->banner_shown = false;
        if (!mon->mux_out) {
            hmp_greet(mon);
        }
        break;
    case CHR_EVENT_MUX_IN:
        mon->mux_out = false;
        if (mon->opened) {
            hmp_greet(mon);
        }
        break;
    case CHR_EVENT_MUX_OUT:
        if (mon->opened && !mon->mux_out) {
            monitor_puts(mon, "\n");
        }
        mon->mux_out = true;
        break;
    case CHR_EVENT_CLOSED:
        mon->opened = false;
        break;
    default:
        break;
    }
}

void monitor_init_hmp(Chardev *chr, bool use_readline, Error **errp)
{
    Monitor *mon = monitor_new(false);

    if (!qemu_chr_fe_init(&mon->chr, chr, errp)) {
        monitor_free(mon);
        return;
    }
    mon->use_readline = use_readline;
    monitor_link(mon);
    qemu_chr_fe_set_handlers(&mon->chr, monitor_hmp_can_read,
                             monitor_hmp_read, monitor_hmp_event, NULL,
                             mon, NULL, true);
}

/* ---- human-monitor-command ---- */

char *hmp_run_command_line(const char *cmdline, int cpu_index, bool has_cpu,
                           Error **errp)
{
    Monitor *mon;
    char *out;

    if (has_cpu && (cpu_index < 0 || cpu_index >= monitor_cpu_count())) {
        error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
        return NULL;
    }
    mon = monitor_new(false);
    mon->capture = g_string_new(NULL);
    mon->cpu_index = has_cpu ? cpu_index : 0;

    hmp_handle_command(mon, cmdline);

    out = g_string_free(mon->capture, FALSE);
    monitor_free(mon);
    return out;
}

/* ---- -mon ---- */

QemuOptsList qemu_mon_opts = {
    .name = "mon",
    .implied_opt_name = "chardev",
    .desc = {
        { .name = "mode", .type = QEMU_OPT_STRING,
          .help = "readline (human monitor) or control (QMP)" },
        { .name = "chardev", .type = QEMU_OPT_STRING,
          .help = "the chardev id to run the monitor on" },
        { .name = "pretty", .type = QEMU_OPT_BOOL,
          .help = "QMP output indented (mode=control only)" },
        { NULL }
    },
};

/* mode=readline|control (default readline): true for QMP. */
static bool mon_opts_mode(QemuOpts *opts, bool *qmp, Error **errp)
{
    const char *mode = qemu_opt_get(opts, "mode");

    *qmp = mode && !strcmp(mode, "control");
    if (mode && !*qmp && strcmp(mode, "readline")) {
        error_setg(errp, "Parameter 'mode' does not accept value '%s'",
                   mode);
        return false;
    }
    return true;
}

bool monitor_init_opts(QemuOpts *opts, Error **errp)
{
    const char *id = qemu_opt_get(opts, "chardev");
    Error *err = NULL;
    Chardev *chr;
    bool qmp;

    if (!mon_opts_mode(opts, &qmp, errp)) {
        return false;
    }
    if (!id) {
        error_setg(errp, "Parameter 'chardev' is missing");
        return false;
    }
    chr = qemu_chr_find(id);
    if (!chr) {
        error_setg(errp, "chardev \"%s\" not found", id);
        return false;
    }
    if (qmp) {
        return monitor_init_qmp(chr, qemu_opt_get_bool(opts, "pretty",
                                                       false), errp);
    }
    if (qemu_opt_has(opts, "pretty")) {
        error_setg(errp, "'pretty' is not compatible with HMP monitors");
        return false;
    }
    monitor_init_hmp(chr, true, &err);
    if (err) {
        error_propagate(errp, err);
        return false;
    }
    return true;
}
