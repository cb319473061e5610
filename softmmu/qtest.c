/*
 * qtest.c: the qtest protocol server.
 *
 * A chardev front end that reads lines, splits each on single spaces
 * (two spaces make an empty word, as in QEMU) and runs it as a command;
 * see docs/qtest.md for the commands and their replies.  Commands run in
 * the main thread with the big lock held (the chardev handlers do), so
 * each one is atomic with respect to device callbacks and timers.
 *
 * Where QEMU 7.2 aborts on a malformed request (missing arguments,
 * unparsable numbers, read of length 0, unknown GPIO name), this server
 * answers "FAIL <reason>" and goes on reading.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/timer.h"
#include "qemu/error-report.h"
#include "chardev/char-fe.h"
#include "exec/memory.h"
#include "hw/qdev-core.h"
#include "hw/irq.h"
#include "qom/object.h"
#include "sysemu/qtest.h"

/* Longest request line kept; a longer one is answered FAIL. */
#define QTEST_MAX_LINE (64 * 1024 * 1024)
/* Bytes taken from the chardev per read, as QEMU. */
#define QTEST_READ_CHUNK 1024
/* Largest buffer read/write/memset will allocate in one request. */
#define QTEST_MAX_ACCESS (1024 * 1024 * 1024)

typedef struct QTestServer {
    CharBackend chr;
    GString *inbuf;             /* bytes of the line being received */
    bool inbuf_overflow;        /* dropping the rest of a too-long line */
    FILE *log;                  /* protocol log, NULL = none */
    int64_t opened_ns;          /* REALTIME when the peer connected */

    /* Interception: one device per process lifetime, as QEMU. */
    DeviceState *icpt_dev;
    GArray *irq_levels;         /* bool per line: last level reported */
} QTestServer;

static QTestServer *qtest_server;

bool qtest_driver(void)
{
    return qtest_server != NULL;
}

/* ---- log and replies ---- */

/* Seconds since the connection opened, for the log's timestamps. */
static double qtest_log_elapsed_s(QTestServer *s)
{
    return (get_clock() - s->opened_ns) / 1e9;
}

static void qtest_log_line(QTestServer *s, char tag, const char *text)
{
    if (!s->log) {
        return;
    }
    fprintf(s->log, "[%c +%.6f] %s\n", tag, qtest_log_elapsed_s(s), text);
}

/* Send one line (without its '\n') to the client, and log it. */
static void qtest_send_line(QTestServer *s, const char *text)
{
    GString *line = g_string_new(text);

    g_string_append_c(line, '\n');
    qemu_chr_fe_write_all(&s->chr, (const uint8_t *)line->str, line->len);
    g_string_free(line, true);
    qtest_log_line(s, 'S', text);
}

static void G_GNUC_PRINTF(2, 3) qtest_sendf(QTestServer *s,
                                           const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send_line(s, text);
    g_free(text);
}

/* ---- argument parsing (each returns false after replying FAIL) ---- */

static bool qtest_need_args(QTestServer *s, char **words, int n)
{
    int have = g_strv_length(words) - 1;

    if (have < n) {
        qtest_sendf(s, "FAIL '%s' needs %d argument%s, got %d",
                    words[0], n, n == 1 ? "" : "s", have);
        return false;
    }
    return true;
}

static bool qtest_parse_u64(QTestServer *s, const char *word,
                            const char *what, uint64_t *val)
{
    if (qemu_strtou64(word, NULL, 0, val) < 0) {
        qtest_sendf(s, "FAIL invalid %s '%s'", what, word);
        return false;
    }
    return true;
}

static bool qtest_parse_i64(QTestServer *s, const char *word,
                            const char *what, int64_t *val)
{
    if (qemu_strtoi64(word, NULL, 0, val) < 0) {
        qtest_sendf(s, "FAIL invalid %s '%s'", what, word);
        return false;
    }
    return true;
}

/* An access length: > 0 unless @zero_ok, and small enough to allocate. */
static bool qtest_parse_len(QTestServer *s, const char *word,
                            bool zero_ok, uint64_t *len)
{
    if (!qtest_parse_u64(s, word, "size", len)) {
        return false;
    }
    if (*len == 0 && !zero_ok) {
        qtest_send_line(s, "FAIL size must be greater than 0");
        return false;
    }
    if (*len > QTEST_MAX_ACCESS) {
        qtest_sendf(s, "FAIL size %" PRIu64 " is over the limit of %d "
                    "bytes per request", *len, QTEST_MAX_ACCESS);
        return false;
    }
    return true;
}

/* ---- memory commands ---- */

static const MemTxAttrs qtest_attrs = MEMTXATTRS_UNSPECIFIED;

/* Width in bytes from the last letter of readX / writeX. */
static unsigned qtest_width(const char *cmd)
{
    switch (cmd[strlen(cmd) - 1]) {
    case 'b':
        return 1;
    case 'w':
        return 2;
    case 'l':
        return 4;
    default:
        return 8;
    }
}

static void qtest_cmd_read_sized(QTestServer *s, char **words)
{
    uint64_t addr, val = 0;
    AddressSpace *as = &address_space_memory;

    if (!qtest_need_args(s, words, 1) ||
        !qtest_parse_u64(s, words[1], "address", &addr)) {
        return;
    }
    switch (qtest_width(words[0])) {
    case 1:
        val = address_space_ldub(as, addr, qtest_attrs, NULL);
        break;
    case 2:
        val = address_space_lduw_le(as, addr, qtest_attrs, NULL);
        break;
    case 4:
        val = address_space_ldl_le(as, addr, qtest_attrs, NULL);
        break;
    default:
        val = address_space_ldq_le(as, addr, qtest_attrs, NULL);
        break;
    }
    qtest_sendf(s, "OK 0x%016" PRIx64, val);
}

static void qtest_cmd_write_sized(QTestServer *s, char **words)
{
    uint64_t addr, val;
    AddressSpace *as = &address_space_memory;

    if (!qtest_need_args(s, words, 2) ||
        !qtest_parse_u64(s, words[1], "address", &addr) ||
        !qtest_parse_u64(s, words[2], "value", &val)) {
        return;
    }
    switch (qtest_width(words[0])) {
    case 1:
        address_space_stb(as, addr, val, qtest_attrs, NULL);
        break;
    case 2:
        address_space_stw_le(as, addr, val, qtest_attrs, NULL);
        break;
    case 4:
        address_space_stl_le(as, addr, val, qtest_attrs, NULL);
        break;
    default:
        address_space_stq_le(as, addr, val, qtest_attrs, NULL);
        break;
    }
    qtest_send_line(s, "OK");
}

/* Parse ADDR LEN of read/b64read/write/b64write/memset. */
static bool qtest_parse_range(QTestServer *s, char **words, int nargs,
                              bool zero_ok, uint64_t *addr, uint64_t *len)
{
    return qtest_need_args(s, words, nargs) &&
           qtest_parse_u64(s, words[1], "address", addr) &&
           qtest_parse_len(s, words[2], zero_ok, len);
}

/* Read @len bytes of guest memory into a new buffer (NULL: FAIL sent). */
static uint8_t *qtest_read_guest(QTestServer *s, uint64_t addr,
                                 uint64_t len)
{
    uint8_t *data = g_try_malloc(len);

    if (!data) {
        qtest_sendf(s, "FAIL cannot allocate %" PRIu64 " bytes", len);
        return NULL;
    }
    address_space_read(&address_space_memory, addr, qtest_attrs, data, len);
    return data;
}

static void qtest_cmd_read(QTestServer *s, char **words)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t addr, len, i;
    uint8_t *data;
    GString *reply;

    if (!qtest_parse_range(s, words, 2, false, &addr, &len) ||
        !(data = qtest_read_guest(s, addr, len))) {
        return;
    }
    reply = g_string_sized_new(2 * len + 8);
    g_string_append(reply, "OK 0x");
    for (i = 0; i < len; i++) {
        g_string_append_c(reply, hex[data[i] >> 4]);
        g_string_append_c(reply, hex[data[i] & 0xf]);
    }
    qtest_send_line(s, reply->str);
    g_string_free(reply, true);
    g_free(data);
}

static void qtest_cmd_b64read(QTestServer *s, char **words)
{
    uint64_t addr, len;
    uint8_t *data;
    char *b64;

    if (!qtest_parse_range(s, words, 2, false, &addr, &len) ||
        !(data = qtest_read_guest(s, addr, len))) {
        return;
    }
    b64 = g_base64_encode(data, len);
    qtest_sendf(s, "OK %s", b64);
    g_free(b64);
    g_free(data);
}

static int qtest_hex_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = g_ascii_tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * "0xHEX" to @len bytes; missing bytes are zero, as QEMU (a client may
 * send fewer digits than the length).  A trailing odd digit is ignored.
 */
static bool qtest_decode_hex(QTestServer *s, const char *text,
                             uint8_t *data, uint64_t len)
{
    size_t digits = strlen(text) - 2;
    uint64_t i;

    for (i = 0; i < len; i++) {
        int hi, lo;

        if (2 * i + 2 > digits) {
            data[i] = 0;
            continue;
        }
        hi = qtest_hex_nibble(text[2 + 2 * i]);
        lo = qtest_hex_nibble(text[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            qtest_sendf(s, "FAIL invalid hex data '%s'", text);
            return false;
        }
        data[i] = hi << 4 | lo;
    }
    return true;
}

static void qtest_cmd_write(QTestServer *s, char **words)
{
    uint64_t addr, len;
    uint8_t *data;

    if (!qtest_parse_range(s, words, 3, false, &addr, &len)) {
        return;
    }
    /* QEMU's exact reply, without OK/FAIL, for data such as "0x". */
    if (strlen(words[3]) < 3) {
        qtest_send_line(s, "ERR invalid argument size");
        return;
    }
    data = g_malloc(len);
    if (qtest_decode_hex(s, words[3], data, len)) {
        address_space_write(&address_space_memory, addr, qtest_attrs,
                            data, len);
        qtest_send_line(s, "OK");
    }
    g_free(data);
}

static void qtest_cmd_b64write(QTestServer *s, char **words)
{
    uint64_t addr, len;
    gsize decoded_len;
    guchar *decoded;
    uint8_t *data;

    if (!qtest_parse_range(s, words, 3, false, &addr, &len)) {
        return;
    }
    decoded = g_base64_decode(words[3], &decoded_len);

    /* LEN bytes are written; a length mismatch is only logged (QEMU). */
    if (decoded_len != len) {
        char *note = g_strdup_printf("b64write: decoded %zu bytes, size "
                                     "is %" PRIu64, (size_t)decoded_len,
                                     len);
        qtest_log_line(s, 'I', note);
        g_free(note);
    }
    data = g_malloc0(len);
    memcpy(data, decoded, MIN(len, decoded_len));
    address_space_write(&address_space_memory, addr, qtest_attrs, data, len);
    qtest_send_line(s, "OK");
    g_free(data);
    g_free(decoded);
}

static void qtest_cmd_memset(QTestServer *s, char **words)
{
    uint64_t addr, len, byte;
    uint8_t *data;

    if (!qtest_parse_range(s, words, 3, true, &addr, &len) ||
        !qtest_parse_u64(s, words[3], "byte", &byte)) {
        return;
    }
    if (len) {
        data = g_malloc(len);
        memset(data, byte & 0xff, len);
        address_space_write(&address_space_memory, addr, qtest_attrs,
                            data, len);
        g_free(data);
    }
    qtest_send_line(s, "OK");
}

/*
 * in/out: RISC-V has no I/O space, and QEMU's riscv I/O address space is
 * empty, where reads of nothing return all ones and writes are dropped.
 * libqtest's qtest_get_irq() sends "inb 0x0" to drain IRQ lines, so the
 * commands must answer.
 */
#define QTEST_IO_PORT_MAX 0xffff

static void qtest_cmd_in(QTestServer *s, char **words)
{
    uint64_t port;
    unsigned width = qtest_width(words[0]);

    if (!qtest_need_args(s, words, 1) ||
        !qtest_parse_u64(s, words[1], "port", &port)) {
        return;
    }
    if (port > QTEST_IO_PORT_MAX) {
        qtest_sendf(s, "FAIL port 0x%" PRIx64 " is above 0xffff", port);
        return;
    }
    qtest_sendf(s, "OK 0x%04" PRIx64, (uint64_t)-1 >> (64 - 8 * width));
}

static void qtest_cmd_out(QTestServer *s, char **words)
{
    uint64_t port, val;

    if (!qtest_need_args(s, words, 2) ||
        !qtest_parse_u64(s, words[1], "port", &port) ||
        !qtest_parse_u64(s, words[2], "value", &val)) {
        return;
    }
    if (port > QTEST_IO_PORT_MAX) {
        qtest_sendf(s, "FAIL port 0x%" PRIx64 " is above 0xffff", port);
        return;
    }
    qtest_send_line(s, "OK");
}

static void qtest_cmd_endianness(QTestServer *s, char **words)
{
    qtest_send_line(s, "OK little");
}

static void qtest_cmd_module_load(QTestServer *s, char **words)
{
    /* Machina is built without loadable modules. */
    qtest_send_line(s, "FAIL");
}

/* ---- virtual clock ---- */

/* clock_step [NS]: by NS, or to the next VIRTUAL deadline if any. */
static void qtest_cmd_clock_step(QTestServer *s, char **words)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    int64_t step, target;

    if (words[1]) {
        if (!qtest_parse_i64(s, words[1], "step", &step)) {
            return;
        }
        if (step < 0) {
            qtest_sendf(s, "FAIL step %" PRId64 " is negative", step);
            return;
        }
        target = step > INT64_MAX - now ? INT64_MAX : now + step;
    } else {
        target = qemu_clock_virtual_next_deadline_ns();
        if (target < now) {
            target = now;
        }
    }
    qtest_sendf(s, "OK %" PRId64, qemu_clock_advance_virtual_ns(target));
}

/* clock_set NS: forward to NS; never backwards (reply = the time). */
static void qtest_cmd_clock_set(QTestServer *s, char **words)
{
    int64_t target;

    if (!qtest_need_args(s, words, 1) ||
        !qtest_parse_i64(s, words[1], "time", &target)) {
        return;
    }
    qtest_sendf(s, "OK %" PRId64, qemu_clock_advance_virtual_ns(target));
}

/* ---- GPIO lines ---- */

static DeviceState *qtest_find_device(const char *path)
{
    Object *obj = object_resolve_path(path, NULL);

    return obj ? (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE)
               : NULL;
}

/* Observer of an intercepted line: report changes of level only. */
static void qtest_irq_observe(void *opaque, int n, int level)
{
    QTestServer *s = opaque;
    bool high = level != 0;

    if ((guint)n >= s->irq_levels->len) {
        g_array_set_size(s->irq_levels, n + 1);
    }
    if (g_array_index(s->irq_levels, bool, n) == high) {
        return;
    }
    g_array_index(s->irq_levels, bool, n) = high;
    qtest_sendf(s, "IRQ %s %d", high ? "raise" : "lower", n);
}

static void qtest_cmd_irq_intercept(QTestServer *s, char **words)
{
    bool out = g_str_equal(words[0], "irq_intercept_out");
    DeviceState *dev;

    if (!qtest_need_args(s, words, 1)) {
        return;
    }
    dev = qtest_find_device(words[1]);
    if (!dev) {
        qtest_send_line(s, "FAIL Unknown device");
        return;
    }
    if (s->icpt_dev) {
        qtest_send_line(s, s->icpt_dev == dev
                        ? "OK" : "FAIL IRQ intercept already enabled");
        return;
    }

    /* A device without unnamed lines is accepted, as in QEMU. */
    if (out) {
        qdev_intercept_gpio_out(dev, qtest_irq_observe, s);
    } else {
        qdev_intercept_gpio_in(dev, qtest_irq_observe, s);
    }
    s->icpt_dev = dev;
    qtest_send_line(s, "OK");
}

static void qtest_cmd_set_irq_in(QTestServer *s, char **words)
{
    const char *name;
    NamedGPIOList *gpio;
    DeviceState *dev;
    uint64_t n;
    int64_t level;

    if (!qtest_need_args(s, words, 4)) {
        return;
    }
    dev = qtest_find_device(words[1]);
    if (!dev) {
        qtest_send_line(s, "FAIL Unknown device");
        return;
    }
    if (!qtest_parse_u64(s, words[3], "line number", &n) ||
        !qtest_parse_i64(s, words[4], "level", &level)) {
        return;
    }
    name = g_str_equal(words[2], "unnamed-gpio-in") ? NULL : words[2];
    gpio = qdev_get_named_gpio_list(dev, name);
    if (!gpio || n >= (uint64_t)gpio->num_in) {
        qtest_sendf(s, "FAIL no input line '%s' %" PRIu64 " on %s",
                    words[2], n, words[1]);
        return;
    }
    qemu_set_irq(gpio->in[n], (int)level);
    qtest_send_line(s, "OK");
}

/* ---- dispatch ---- */

typedef struct QTestCommand {
    const char *name;
    void (*run)(QTestServer *s, char **words);
    bool needs_manual_clock;    /* unknown unless -accel qtest */
} QTestCommand;

static const QTestCommand qtest_commands[] = {
    { "readb", qtest_cmd_read_sized },
    { "readw", qtest_cmd_read_sized },
    { "readl", qtest_cmd_read_sized },
    { "readq", qtest_cmd_read_sized },
    { "writeb", qtest_cmd_write_sized },
    { "writew", qtest_cmd_write_sized },
    { "writel", qtest_cmd_write_sized },
    { "writeq", qtest_cmd_write_sized },
    { "read", qtest_cmd_read },
    { "write", qtest_cmd_write },
    { "b64read", qtest_cmd_b64read },
    { "b64write", qtest_cmd_b64write },
    { "memset", qtest_cmd_memset },
    { "inb", qtest_cmd_in },
    { "inw", qtest_cmd_in },
    { "inl", qtest_cmd_in },
    { "outb", qtest_cmd_out },
    { "outw", qtest_cmd_out },
    { "outl", qtest_cmd_out },
    { "endianness", qtest_cmd_endianness },
    { "module_load", qtest_cmd_module_load },
    { "clock_step", qtest_cmd_clock_step, true },
    { "clock_set", qtest_cmd_clock_set, true },
    { "irq_intercept_in", qtest_cmd_irq_intercept },
    { "irq_intercept_out", qtest_cmd_irq_intercept },
    { "set_irq_in", qtest_cmd_set_irq_in },
};

static void qtest_process_line(QTestServer *s, const char *line)
{
    char **words;
    size_t i;

    qtest_log_line(s, 'R', line);
    words = g_strsplit(line, " ", 0);
    if (!words[0]) {
        /* An empty line is no command and gets no reply, as in QEMU. */
        g_strfreev(words);
        return;
    }
    for (i = 0; i < G_N_ELEMENTS(qtest_commands); i++) {
        const QTestCommand *cmd = &qtest_commands[i];

        if (g_str_equal(words[0], cmd->name) &&
            (!cmd->needs_manual_clock || qemu_clock_virtual_is_manual())) {
            cmd->run(s, words);
            g_strfreev(words);
            return;
        }
    }
    qtest_sendf(s, "FAIL Unknown command '%s'", words[0]);
    g_strfreev(words);
}

/* ---- chardev front end ---- */

static int qtest_can_read(void *opaque)
{
    return QTEST_READ_CHUNK;
}

static void qtest_read(void *opaque, const uint8_t *buf, int size)
{
    QTestServer *s = opaque;
    int i;

    for (i = 0; i < size; i++) {
        if (buf[i] != '\n') {
            if (s->inbuf->len < QTEST_MAX_LINE) {
                g_string_append_c(s->inbuf, buf[i]);
            } else {
                s->inbuf_overflow = true;
            }
            continue;
        }

        /* A CR before the LF (a telnet-ish client) is not part of it. */
        if (s->inbuf->len && s->inbuf->str[s->inbuf->len - 1] == '\r') {
            g_string_truncate(s->inbuf, s->inbuf->len - 1);
        }
        if (s->inbuf_overflow) {
            qtest_sendf(s, "FAIL line longer than %d bytes",
                        QTEST_MAX_LINE);
        } else {
            qtest_process_line(s, s->inbuf->str);
        }
        g_string_truncate(s->inbuf, 0);
        s->inbuf_overflow = false;
    }

    /* One flush per chunk read rather than per line: the log is cheap. */
    if (s->log) {
        fflush(s->log);
    }
}

static void qtest_event(void *opaque, QEMUChrEvent event)
{
    QTestServer *s = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        /* Levels a new client sees changing start from all-low. */
        g_array_set_size(s->irq_levels, 0);
        g_string_truncate(s->inbuf, 0);
        s->inbuf_overflow = false;
        s->opened_ns = get_clock();
        if (s->log) {
            fprintf(s->log, "[I 0.000000] OPENED\n");
            fflush(s->log);
        }
        break;
    case CHR_EVENT_CLOSED:
        qtest_log_line(s, 'I', "CLOSED");
        if (s->log) {
            fflush(s->log);
        }
        break;
    default:
        break;
    }
}

static bool qtest_open_log(QTestServer *s, const char *qtest_log,
                           Error **errp)
{
    if (!qtest_log) {
        s->log = stderr;
    } else if (!g_str_equal(qtest_log, "none")) {
        s->log = fopen(qtest_log, "w");
        if (!s->log) {
            error_setg_errno(errp, errno, "-qtest-log %s: cannot open the "
                             "file (give a writable path or 'none')",
                             qtest_log);
            return false;
        }
    }
    return true;
}

static void qtest_server_free(QTestServer *s)
{
    if (s->log && s->log != stderr) {
        fclose(s->log);
    }
    g_string_free(s->inbuf, true);
    g_array_free(s->irq_levels, true);
    g_free(s);
}

bool qtest_server_init(const char *chardev_spec, const char *qtest_log,
                       Error **errp)
{
    QTestServer *s;
    Chardev *chr;
    bool is_mon;

    if (qtest_server) {
        error_setg(errp, "Only one instance of qtest can be created");
        return false;
    }
    s = g_new0(QTestServer, 1);
    s->inbuf = g_string_new(NULL);
    s->irq_levels = g_array_new(false, true, sizeof(bool));
    s->opened_ns = get_clock();
    if (!qtest_open_log(s, qtest_log, errp)) {
        qtest_server_free(s);
        return false;
    }

    /* A "unix:" client connects here; OPENED comes from set_handlers. */
    chr = qemu_chr_new_legacy("qtest", chardev_spec, &is_mon, NULL, errp);
    if (!chr || !qemu_chr_fe_init(&s->chr, chr, errp)) {
        if (chr) {
            qemu_chr_delete(chr);
        } else if (errp && !*errp) {
            error_setg(errp, "expected a chardev spec, not help");
        }
        error_prepend(errp, "-qtest %s: ", chardev_spec);
        qtest_server_free(s);
        return false;
    }
    qtest_server = s;
    qemu_chr_fe_set_handlers(&s->chr, qtest_can_read, qtest_read,
                             qtest_event, NULL, s, NULL, true);
    return true;
}
