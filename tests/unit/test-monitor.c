/*
 * test-monitor.c: the QMP and human monitors in-process, on socket
 * chardevs driven by the main loop, and through human-monitor-command.
 *
 * Expected texts are qemu-system-riscv64 7.2's unless docs/monitor.md
 * lists a difference.  The tests hold the big lock and run
 * main_loop_wait(), as the emulator's main thread does.
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "qemu/log.h"
#include "qapi/qmp/qjson.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qstring.h"
#include "qom/object_interfaces.h"
#include "exec/memory.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "sysemu/cpus.h"
#include "../../target/riscv/cpu.h"
#include "../../target/riscv/cpu_bits.h"

/* ---- A client socket that reads lines ---- */

typedef struct Client {
    int fd;
    GString *buf;               /* received, not yet consumed */
} Client;

static gboolean tick(gpointer opaque)
{
    return G_SOURCE_CONTINUE;
}

/* Run the loop and collect what the peer sent until @stop is in it. */
static void client_pump_until(Client *c, const char *stop)
{
    gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    guint t = g_timeout_add(5, tick, NULL);

    while (!strstr(c->buf->str, stop) && g_get_monotonic_time() < end) {
        char tmp[4096];
        ssize_t n;

        main_loop_wait(false);
        n = recv(c->fd, tmp, sizeof(tmp), MSG_DONTWAIT);
        if (n > 0) {
            g_string_append_len(c->buf, tmp, n);
        }
    }
    g_source_remove(t);
    g_assert_nonnull(strstr(c->buf->str, stop));
}

/* The next line (without "\r\n"). */
static char *client_line(Client *c)
{
    char *eol;
    char *line;

    client_pump_until(c, "\r\n");
    eol = strstr(c->buf->str, "\r\n");
    line = g_strndup(c->buf->str, eol - c->buf->str);
    g_string_erase(c->buf, 0, eol - c->buf->str + 2);
    return line;
}

static void client_send(Client *c, const char *text)
{
    g_assert_cmpint(write(c->fd, text, strlen(text)), ==, strlen(text));
}

/* Send @req, expect @reply as the next line. */
static void client_expect(Client *c, const char *req, const char *reply)
{
    g_autofree char *line = NULL;

    client_send(c, req);
    line = client_line(c);
    g_assert_cmpstr(line, ==, reply);
}

static void client_connect(Client *c, struct sockaddr *addr, socklen_t len)
{
    c->fd = socket(addr->sa_family, SOCK_STREAM, 0);
    g_assert_cmpint(connect(c->fd, addr, len), ==, 0);
    c->buf = g_string_new(NULL);
}

static void client_unix(Client *c, const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };

    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    client_connect(c, (struct sockaddr *)&un, sizeof(un));
}

static void client_tcp(Client *c, int port)
{
    struct sockaddr_in in = {
        .sin_family = AF_INET,
        .sin_port = htons(port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };

    client_connect(c, (struct sockaddr *)&in, sizeof(in));
}

static void client_close(Client *c)
{
    close(c->fd);
    g_string_free(c->buf, TRUE);
}

static char *tmp_path(const char *name)
{
    return g_strdup_printf("%s/machina-test-monitor-%d-%s",
                           g_get_tmp_dir(), getpid(), name);
}

static Chardev *unix_server(const char *id, const char *path)
{
    g_autofree char *spec = g_strdup_printf(
        "socket,id=%s,path=%s,server=on,wait=off", id, path);

    return qemu_chr_new_from_string(spec, NULL, &error_abort);
}

/* Greeting, then negotiation. */
static void qmp_handshake(Client *c)
{
    g_autofree char *greeting = client_line(c);

    g_assert_true(g_str_has_prefix(greeting, "{\"QMP\": {\"version\": "));
    g_assert_true(g_str_has_suffix(greeting, "\"capabilities\": "
                                   "[\"oob\"]}}"));
    client_expect(c, "{\"execute\": \"qmp_capabilities\"}",
                  "{\"return\": {}}");
}

/* Drop the timestamp: {"timestamp": {...}, "event": ...} -> {"event"... */
static char *strip_timestamp(const char *line)
{
    const char *ev = strstr(line, "\"event\"");

    g_assert_true(g_str_has_prefix(line, "{\"timestamp\": {\"seconds\": "));
    g_assert_nonnull(ev);
    return g_strdup_printf("{%s", ev);
}

/* ---- QMP on sockets ---- */

static void test_qmp_reconnect(void)
{
    g_autofree char *path = tmp_path("qmp");
    Chardev *chr = unix_server("qmp0", path);
    Client c;

    g_assert_true(monitor_init_qmp(chr, false, &error_abort));

    /* First connection: a full conversation. */
    client_unix(&c, path);
    qmp_handshake(&c);
    client_expect(&c, "{\"execute\": \"query-target\"}",
                  "{\"return\": {\"arch\": \"riscv64\"}}");
    client_expect(&c, "{\"execute\": \"query-kvm\", \"id\": 7}",
                  "{\"return\": {\"enabled\": false, \"present\": false}, "
                  "\"id\": 7}");
    client_close(&c);

    /* A new connection is a new session: greeting, negotiation again. */
    client_unix(&c, path);
    g_free(client_line(&c));
    client_expect(&c, "{\"execute\": \"query-name\"}",
                  "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                  "\"Expecting capabilities negotiation with "
                  "'qmp_capabilities'\"}}");
    client_close(&c);
}

static void test_qmp_errors_keep_session(void)
{
    g_autofree char *path = tmp_path("qmperr");
    Chardev *chr = unix_server("qmp1", path);
    g_autofree char *huge = NULL;
    GString *big = g_string_new("{\"execute\": \"query-name\", "
                                "\"arguments\": {\"x\": [");
    Client c;

    g_assert_true(monitor_init_qmp(chr, false, &error_abort));
    client_unix(&c, path);
    qmp_handshake(&c);

    client_expect(&c, "{\"execute\": \"nosuch\"}",
                  "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                  "\"The command nosuch has not been found\"}}");
    client_expect(&c, "{\"execute\": \"ringbuf-read\", \"arguments\": "
                  "{\"device\": \"rb\", \"size\": \"x\"}}",
                  "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                  "\"Invalid parameter type for 'size', expected: "
                  "integer\"}}");
    client_expect(&c, "{]\n",
                  "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                  "\"JSON parse error, expecting value\"}}");

    /* Nesting deeper than the parser's limit: one error, then usable. */
    for (int i = 0; i < 2000; i++) {
        g_string_append_c(big, '[');
    }
    for (int i = 0; i < 2000; i++) {
        g_string_append_c(big, ']');
    }
    g_string_append(big, "]}}");
    huge = g_string_free(big, FALSE);
    client_send(&c, huge);
    g_free(client_line(&c));
    client_expect(&c, "{\"execute\": \"query-target\"}",
                  "{\"return\": {\"arch\": \"riscv64\"}}");
    client_close(&c);
}

/* Two monitors, unix and TCP: both see the events of either's commands */
static void test_qmp_two_monitors(void)
{
    g_autofree char *path = tmp_path("qmp2");
    Chardev *a = unix_server("qmpa", path);
    Chardev *b = qemu_chr_new_from_string(
        "socket,id=qmpb,host=127.0.0.1,port=0,server=on,wait=off", NULL,
        &error_abort);
    int port = atoi(strrchr(b->filename, ':') + 1);
    g_autofree char *ev1 = NULL, *ev2 = NULL, *r = NULL;
    Client ca, cb;

    g_assert_true(monitor_init_qmp(a, false, &error_abort));
    g_assert_true(monitor_init_qmp(b, true, &error_abort));
    client_unix(&ca, path);
    client_tcp(&cb, port);
    qmp_handshake(&ca);
    client_pump_until(&cb, "\r\n}\r\n");     /* pretty greeting */
    g_string_truncate(cb.buf, 0);
    client_send(&cb, "{\"execute\": \"qmp_capabilities\"}");
    client_pump_until(&cb, "}\r\n");
    /* (QEMU 7.2 writes an empty dict as "{\r\n    }" here.) */
    g_assert_cmpstr(cb.buf->str, ==, "{\r\n    \"return\": {}\r\n}\r\n");
    g_string_truncate(cb.buf, 0);

    /* cont on A: RESUME to both, before A's reply. */
    vm_stop(RUN_STATE_PAUSED);
    client_send(&ca, "{\"execute\": \"cont\"}");
    ev1 = client_line(&ca);
    r = client_line(&ca);
    g_free(ev2);
    ev2 = strip_timestamp(ev1);
    g_assert_cmpstr(ev2, ==, "{\"event\": \"RESUME\"}");
    g_assert_cmpstr(r, ==, "{\"return\": {}}");
    client_pump_until(&cb, "\"RESUME\"\r\n}\r\n");
    g_assert_true(runstate_is_running());

    client_close(&ca);
    client_close(&cb);
}

/* ---- QMP commands (a session without a transport) ---- */

static GString *sess_out;

static void sess_write(void *opaque, const char *data, size_t len)
{
    g_string_append_len(sess_out, data, len);
}

static QmpSession *sess_open(void)
{
    QmpSession *s;

    monitor_register_commands();
    sess_out = g_string_new(NULL);
    s = qmp_session_new(sess_write, NULL);
    qmp_session_start(s);
    qmp_session_feed(s, "{\"execute\": \"qmp_capabilities\"}", 31);
    g_string_truncate(sess_out, 0);
    return s;
}

static void sess_close(QmpSession *s)
{
    qmp_session_free(s);
    g_string_free(sess_out, TRUE);
}

/* Run @req; its output (events stripped of timestamps) must be @want. */
static void sess_expect(QmpSession *s, const char *req, const char *want)
{
    g_auto(GStrv) lines = NULL;
    GString *got = g_string_new(NULL);

    qmp_session_feed(s, req, strlen(req));
    lines = g_strsplit(sess_out->str, "\r\n", 0);
    for (int i = 0; lines[i] && *lines[i]; i++) {
        if (g_str_has_prefix(lines[i], "{\"timestamp\"")) {
            g_autofree char *ev = strip_timestamp(lines[i]);

            g_string_append_printf(got, "%s\n", ev);
        } else {
            g_string_append_printf(got, "%s\n", lines[i]);
        }
    }
    g_string_truncate(sess_out, 0);
    g_assert_cmpstr(got->str, ==, want);
    g_string_free(got, TRUE);
}

/* A human command line through human-monitor-command. */
static char *hmp(QmpSession *s, const char *cmdline)
{
    g_autoptr(QDict) args = qdict_new();
    g_autoptr(QDict) req = qdict_new();
    g_autoptr(QObject) reply = NULL;
    g_autoptr(GString) json = NULL;
    QDict *rd;
    char *text;

    qdict_put_str(args, "command-line", cmdline);
    qdict_put_str(req, "execute", "human-monitor-command");
    qdict_put(req, "arguments", qobject_ref(args));
    json = qobject_to_json(QOBJECT(req));
    qmp_session_feed(s, json->str, json->len);

    /* The reply is the last line; events the command caused precede it. */
    g_string_truncate(sess_out, sess_out->len - 2);
    reply = qobject_from_json(strrchr(sess_out->str, '\n') ?
                              strrchr(sess_out->str, '\n') + 1 :
                              sess_out->str, &error_abort);
    g_string_truncate(sess_out, 0);
    rd = qobject_to(QDict, reply);
    g_assert_nonnull(rd);
    text = g_strdup(qdict_get_try_str(rd, "return"));
    g_assert_nonnull(text);
    return text;
}

static void hmp_expect(QmpSession *s, const char *cmdline, const char *want)
{
    g_autofree char *got = hmp(s, cmdline);

    g_assert_cmpstr(got, ==, want);
}

static void test_qmp_runstate(void)
{
    QmpSession *s = sess_open();
    int status = -1;

    vm_start();
    sess_expect(s, "{\"execute\": \"query-status\"}",
                "{\"return\": {\"status\": \"running\", \"singlestep\": "
                "false, \"running\": true}}\n");
    sess_expect(s, "{\"execute\": \"stop\"}",
                "{\"event\": \"STOP\"}\n{\"return\": {}}\n");
    hmp_expect(s, "info status", "VM status: paused\r\n");
    sess_expect(s, "{\"execute\": \"stop\"}", "{\"return\": {}}\n");

    /* A reset while paused: event first, then prelaunch. */
    sess_expect(s, "{\"execute\": \"system_reset\"}",
                "{\"event\": \"RESET\", \"data\": {\"guest\": false, "
                "\"reason\": \"host-qmp-system-reset\"}}\n"
                "{\"return\": {}}\n");
    hmp_expect(s, "info status", "VM status: paused (prelaunch)\r\n");
    sess_expect(s, "{\"execute\": \"system_powerdown\"}",
                "{\"event\": \"POWERDOWN\"}\n{\"return\": {}}\n");
    hmp_expect(s, "c", "");
    hmp_expect(s, "info status", "VM status: running\r\n");

    /* quit: SHUTDOWN before the reply; the main loop then exits 0. */
    sess_expect(s, "{\"execute\": \"quit\"}",
                "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": false, "
                "\"reason\": \"host-qmp-quit\"}}\n{\"return\": {}}\n");
    g_assert_true(main_loop_should_exit(&status));
    g_assert_cmpint(status, ==, 0);
    sess_close(s);
}

static void test_qmp_identity(void)
{
    QmpSession *s = sess_open();
    static const uint8_t uuid[16] = {
        0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x12, 0x34,
        0x12, 0x34, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
    };

    sess_expect(s, "{\"execute\": \"query-name\"}", "{\"return\": {}}\n");
    hmp_expect(s, "info name", "");
    hmp_expect(s, "info uuid", "00000000-0000-0000-0000-000000000000\r\n");
    qemu_name = "guest1";
    memcpy(qemu_uuid, uuid, sizeof(uuid));
    qemu_uuid_set = true;
    sess_expect(s, "{\"execute\": \"query-name\"}",
                "{\"return\": {\"name\": \"guest1\"}}\n");
    sess_expect(s, "{\"execute\": \"query-uuid\"}",
                "{\"return\": {\"UUID\": "
                "\"12345678-1234-1234-1234-123456789abc\"}}\n");
    hmp_expect(s, "info name", "guest1\r\n");
    sess_expect(s, "{\"execute\": \"query-hotpluggable-cpus\"}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"The "
                "feature 'query-hotpluggable-cpus' is not enabled\"}}\n");
    hmp_expect(s, "info kvm", "kvm support: not compiled\r\n");
    sess_close(s);
}

/* ---- CPUs and NUMA through the hooks ---- */

static int fake_count(void)
{
    return 4;
}

static void fake_info(int i, MonitorCpuInfo *info)
{
    info->thread_id = 1000 + i;
    info->qom_path = g_strdup_printf("/machine/soc%d/harts[%d]", i / 2,
                                     i % 2);
    info->props.has_core_id = true;
    info->props.core_id = i;
    info->props.has_node_id = true;
    info->props.node_id = i / 2;
}

static void fake_dump(int i, GString *out)
{
    g_string_append_printf(out, " pc       %016x\n", 0x1000 + i);
}

/* Virtual page N maps to physical 0x80000000 + N * 0x1000, reversed. */
static bool fake_phys(int i, uint64_t vaddr, uint64_t *paddr)
{
    if (vaddr >= 0x2000) {
        return false;
    }
    *paddr = 0x80000000 + (0x1000 - (vaddr & ~0xfffULL)) + (vaddr & 0xfff);
    return true;
}

static const MonitorCpuOps fake_cpu_ops = {
    .count = fake_count,
    .get_info = fake_info,
    .dump_state = fake_dump,
    .get_phys_addr = fake_phys,
};

static void test_cpus(void)
{
    QmpSession *s = sess_open();

    hmp_expect(s, "info numa", "0 nodes\r\n");
    monitor_set_cpu_ops(&fake_cpu_ops);

    sess_expect(s, "{\"execute\": \"query-cpus-fast\"}",
                "{\"return\": [{\"thread-id\": 1000, \"props\": "
                "{\"core-id\": 0, \"node-id\": 0}, \"qom-path\": "
                "\"/machine/soc0/harts[0]\", \"cpu-index\": 0, \"target\": "
                "\"riscv64\"}, {\"thread-id\": 1001, \"props\": "
                "{\"core-id\": 1, \"node-id\": 0}, \"qom-path\": "
                "\"/machine/soc0/harts[1]\", \"cpu-index\": 1, \"target\": "
                "\"riscv64\"}, {\"thread-id\": 1002, \"props\": "
                "{\"core-id\": 2, \"node-id\": 1}, \"qom-path\": "
                "\"/machine/soc1/harts[0]\", \"cpu-index\": 2, \"target\": "
                "\"riscv64\"}, {\"thread-id\": 1003, \"props\": "
                "{\"core-id\": 3, \"node-id\": 1}, \"qom-path\": "
                "\"/machine/soc1/harts[1]\", \"cpu-index\": 3, \"target\": "
                "\"riscv64\"}]}\n");
    hmp_expect(s, "info cpus",
               "* CPU #0: thread_id=1000\r\n  CPU #1: thread_id=1001\r\n"
               "  CPU #2: thread_id=1002\r\n  CPU #3: thread_id=1003\r\n");
    hmp_expect(s, "info registers", "\r\nCPU#0\r\n pc       "
               "0000000000001000\r\n");
    hmp_expect(s, "info registers 2", "\r\nCPU#2\r\n pc       "
               "0000000000001002\r\n");
    hmp_expect(s, "info registers 9", "CPU#9 not available\r\n");
    hmp_expect(s, "cpu 9", "invalid CPU index\r\n");

    /* cpu-index selects the CPU for that one command. */
    sess_expect(s, "{\"execute\": \"human-monitor-command\", \"arguments\": "
                "{\"command-line\": \"info cpus\", \"cpu-index\": 2}}",
                "{\"return\": \"  CPU #0: thread_id=1000\\r\\n  CPU #1: "
                "thread_id=1001\\r\\n* CPU #2: thread_id=1002\\r\\n  CPU #3: "
                "thread_id=1003\\r\\n\"}\n");
    sess_expect(s, "{\"execute\": \"human-monitor-command\", \"arguments\": "
                "{\"command-line\": \"info cpus\", \"cpu-index\": 5}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                "\"Parameter 'cpu-index' expects a CPU number\"}}\n");
    sess_close(s);
}

/* ---- Memory backends ---- */

static void test_memdev(void)
{
    QmpSession *s = sess_open();

    sess_expect(s, "{\"execute\": \"query-memdev\"}", "{\"return\": []}\n");
    sess_expect(s, "{\"execute\": \"object-add\", \"arguments\": "
                "{\"qom-type\": \"memory-backend-ram\", \"id\": \"mb0\", "
                "\"size\": 1048576, \"merge\": false}}", "{\"return\": {}}\n");
    sess_expect(s, "{\"execute\": \"query-memdev\"}",
                "{\"return\": [{\"share\": false, \"reserve\": true, "
                "\"prealloc\": false, \"host-nodes\": [], \"size\": 1048576, "
                "\"merge\": false, \"dump\": true, \"policy\": \"default\", "
                "\"id\": \"mb0\"}]}\n");
    hmp_expect(s, "info memdev", "memory backend: mb0\r\n"
               "  size:  1048576\r\n  merge: false\r\n  dump: true\r\n"
               "  prealloc: false\r\n  share: false\r\n  reserve: true\r\n"
               "  policy: default\r\n  host nodes: \r\n\r\n");
    hmp_expect(s, "object_del mb0", "");
    sess_expect(s, "{\"execute\": \"query-memdev\"}", "{\"return\": []}\n");
    sess_close(s);
}

/* ---- x / xp ---- */

static MemoryRegion test_ram;

static void map_test_ram(void)
{
    static const uint8_t code[] = {
        0x97, 0x02, 0x00, 0x00, 0x13, 0x86, 0x82, 0x02,
        0x73, 0x25, 0x40, 0xf1, 0x83, 0xb5, 0x02, 0x02,
        0x83, 0xb2, 0x82, 0x01, 'A', '\n', '\'', 0xff,
    };
    uint8_t *ram;

    if (memory_region_size(&test_ram)) {
        return;
    }
    g_assert_true(memory_region_init_ram(&test_ram, NULL, "test.ram",
                                         0x2000, &error_abort));
    memory_region_add_subregion(get_system_memory(), 0x80000000, &test_ram);
    ram = memory_region_get_ram_ptr(&test_ram);
    memcpy(ram + 0x1000, code, sizeof(code));
    memcpy(ram, code, sizeof(code));
}

static void test_memory_dump(void)
{
    QmpSession *s = sess_open();

    map_test_ram();
    monitor_set_cpu_ops(&fake_cpu_ops);

    hmp_expect(s, "xp /4xw 0x80001000", "0000000080001000: 0x00000297 "
               "0x02828613 0xf1402573 0x0202b583\r\n");
    hmp_expect(s, "xp /3dh 0x80001000",
               "0000000080001000:   663     0 34323\r\n");
    hmp_expect(s, "xp /2ug 0x80001000", "0000000080001000:   "
               "180854351210742423   144877716322133363\r\n");
    hmp_expect(s, "xp /5cb 0x80001010",
               "0000000080001010: '\\x83' '\\xb2' '\\x82' '\\x01' 'A'\r\n");
    hmp_expect(s, "xp /3c 0x80001015", "0000000080001015: '\\n' '\\'' "
               "'\\xff'\r\n");
    /* Format and size not given: the last ones (bytes, hex). */
    hmp_expect(s, "xp /2x 0x80001000", "0000000080001000: 0x97 0x02\r\n");
    hmp_expect(s, "xp 0x80001000", "0000000080001000: 0x97\r\n");
    hmp_expect(s, "xp /10xb 0x80000ffc + 4",
               "0000000080001000: 0x97 0x02 0x00 0x00 0x13 0x86 0x82 0x02"
               "\r\n0000000080001008: 0x73 0x25\r\n");
    hmp_expect(s, "xp /2xw 0x10", "0000000000000010: Cannot access "
               "memory\r\n");
    hmp_expect(s, "xp /4q 0x1000", "invalid char in format: 'q'\r\n"
               "Try \"help xp\" for more information\r\n");
    hmp_expect(s, "xp /4xw", "unexpected end of expression\r\n"
               "Try \"help xp\" for more information\r\n");
    hmp_expect(s, "x /4xw zz", "invalid char 'z' in expression\r\n"
               "Try \"help x\" for more information\r\n");
    hmp_expect(s, "xp /1xw 0x1000 extra", "xp: extraneous characters at "
               "the end of line\r\nTry \"help xp\" for more "
               "information\r\n");

    /* x: virtual 0x1000.. is physical 0x80000000.. through the hook. */
    hmp_expect(s, "x /2xw 0x1004", "0000000000001004: 0x02828613 "
               "0xf1402573\r\n");
    hmp_expect(s, "x /1xw 0x3000", "0000000000003000: Cannot access "
               "memory\r\n");
    sess_close(s);
}

/* ---- The RISC-V hart ops: registers, x through Sv39 page tables ---- */

#define PT_BASE 0x90000000ULL       /* root, then level 1 and 0 tables */

static void put_pte(uint8_t *ram, uint64_t addr, uint64_t pte)
{
    for (int i = 0; i < 8; i++) {
        ram[addr - PT_BASE + i] = pte >> (8 * i);
    }
}

static uint64_t pte_to(uint64_t pa, uint64_t flags)
{
    return (pa >> 12) << PTE_PPN_SHIFT | flags | PTE_V;
}

/*
 * Virtual 0x1000 -> 0x80001000 through a 4 KiB page (three levels);
 * virtual 0x40000000.. -> 0x80000000.. through a 1 GiB leaf at the root;
 * 0x2000 is unmapped.
 */
static void map_sv39(RISCVCPU *cpu)
{
    static MemoryRegion pt_ram;
    uint8_t *ram;

    memory_region_init_ram(&pt_ram, NULL, "test.pt", 0x3000, &error_abort);
    memory_region_add_subregion(get_system_memory(), PT_BASE, &pt_ram);
    ram = memory_region_get_ram_ptr(&pt_ram);
    put_pte(ram, PT_BASE + 0 * 8, pte_to(PT_BASE + 0x1000, 0));
    put_pte(ram, PT_BASE + 1 * 8, pte_to(0x80000000, PTE_R | PTE_X));
    put_pte(ram, PT_BASE + 0x1000, pte_to(PT_BASE + 0x2000, 0));
    put_pte(ram, PT_BASE + 0x2000 + 1 * 8, pte_to(0x80001000, PTE_R));
    cpu->env.satp = (uint64_t)VM_1_10_SV39 << SATP_MODE_SHIFT |
                    PT_BASE >> 12;
    cpu->env.priv = PRV_S;
}

static void test_riscv_cpu_ops(void)
{
    QmpSession *s = sess_open();
    RISCVCPUConfig cfg;
    RISCVCPU *cpu;
    g_autofree char *regs = NULL;
    g_autofree char *cpus = NULL;
    g_autofree char *insns = NULL;

    map_test_ram();
    riscv_cpu_config_default(&cfg);
    cpu = riscv_cpu_new(&cfg, 0, &address_space_memory, &error_abort);
    riscv_cpu_reset(cpu, 0x1000);
    qemu_init_vcpu(cpu);
    monitor_use_riscv_cpu_ops();

    cpus = hmp(s, "info cpus");
    g_assert_true(g_str_has_prefix(cpus, "* CPU #0: thread_id="));
    regs = hmp(s, "info registers");
    g_assert_true(g_str_has_prefix(regs, "\r\nCPU#0\r\n"));
    g_assert_nonnull(strstr(regs, " pc       0000000000001000\r\n"));

    insns = hmp(s, "xp /2i 0x80001000");
    g_test_message("%s", insns);
    g_assert_true(g_str_has_prefix(insns, "0x0000000080001000:  00000297  "
                                   "auipc"));
    g_assert_nonnull(strstr(insns, "\r\n0x0000000080001004:  02828613  "
                            "addi"));

    /* M-mode: virtual is physical. */
    hmp_expect(s, "x /1xw 0x80001000", "0000000080001000: 0x00000297\r\n");
    map_sv39(cpu);
    hmp_expect(s, "x /2xw 0x1000", "0000000000001000: 0x00000297 "
               "0x02828613\r\n");
    hmp_expect(s, "x /1xw 0x40001004", "0000000040001004: 0x02828613\r\n");
    hmp_expect(s, "x /1xw 0x2000", "0000000000002000: Cannot access "
               "memory\r\n");
    monitor_set_cpu_ops(NULL);
    sess_close(s);
}

/* ---- Human commands: parsing, help, QOM, chardevs ---- */

static void test_hmp_basics(void)
{
    QmpSession *s = sess_open();
    g_autofree char *help = NULL;
    g_autofree char *info = NULL;

    hmp_expect(s, "nosuchcmd", "unknown command: 'nosuchcmd'\r\n");
    hmp_expect(s, "info foo", "unknown command: 'info foo'\r\n");
    hmp_expect(s, "help xp", "xp /fmt addr -- physical memory dump "
               "starting at 'addr'\r\n");
    hmp_expect(s, "help stop", "stop|s  -- stop emulation\r\n");
    hmp_expect(s, "help info status", "info status  -- show the current VM "
               "status (running|paused)\r\n");
    hmp_expect(s, "stop extra", "stop|s: extraneous characters at the end "
               "of line\r\nTry \"help stop\" for more information\r\n");
    hmp_expect(s, "info status extra", "status: extraneous characters at "
               "the end of line\r\nTry \"help info status\" for more "
               "information\r\n");
    hmp_expect(s, "qom-get", "qom-get: string expected\r\n"
               "Try \"help qom-get\" for more information\r\n");
    help = hmp(s, "help");
    g_assert_nonnull(strstr(help, "\r\ninfo [subcommand] -- show various "
                            "information about the system state\r\n"));
    info = hmp(s, "info");
    g_assert_true(g_str_has_prefix(info, "info block  -- "));
    g_assert_nonnull(strstr(info, "\r\ninfo numa  -- show NUMA "
                            "information\r\n"));
    hmp_expect(s, "log guest_errors,unimp", "");
    g_assert_true(qemu_loglevel_mask(LOG_GUEST_ERROR));
    hmp_expect(s, "log none", "");
    g_assert_false(qemu_loglevel_mask(LOG_GUEST_ERROR));
    hmp_expect(s, "log", "log: string expected\r\n"
               "Try \"help log\" for more information\r\n");
    sess_close(s);
}

static void test_chardev_ringbuf(void)
{
    QmpSession *s = sess_open();
    g_autofree char *list = NULL;

    qemu_chr_new_from_string("ringbuf,id=rbm,size=64", NULL, &error_abort);
    sess_expect(s, "{\"execute\": \"ringbuf-write\", \"arguments\": "
                "{\"device\": \"rbm\", \"data\": \"hello\"}}",
                "{\"return\": {}}\n");
    sess_expect(s, "{\"execute\": \"ringbuf-read\", \"arguments\": "
                "{\"device\": \"rbm\", \"size\": 3}}",
                "{\"return\": \"hel\"}\n");
    hmp_expect(s, "ringbuf_write rbm a\\b", "");
    hmp_expect(s, "ringbuf_read rbm 100", "loa\\\\b\r\n");
    sess_expect(s, "{\"execute\": \"ringbuf-read\", \"arguments\": "
                "{\"device\": \"zz\", \"size\": 3}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                "\"Device 'zz' not found\"}}\n");
    hmp_expect(s, "ringbuf_read zz 1", "Error: Device 'zz' not found\r\n");
    hmp_expect(s, "ringbuf_read rbm x", "invalid char 'x' in expression"
               "\r\nTry \"help ringbuf_read\" for more information\r\n");
    list = hmp(s, "info chardev");
    g_assert_nonnull(strstr(list, "rbm: filename=ringbuf\r\n"));
    sess_close(s);
}

/* A user-creatable type with one property of each JSON shape. */
#define TYPE_TEST_OBJ "test-mon-obj"

typedef struct TestObj {
    Object parent;
    int64_t level;
    bool on;
    char *label;
    GArray *nodes;
} TestObj;

static bool testobj_get(Object *obj, ObjectProperty *prop,
                        ObjectPropertyValue *v, Error **errp)
{
    TestObj *t = (TestObj *)obj;

    switch (prop->kind) {
    case OBJ_PROP_KIND_INT:
        v->i = t->level;
        break;
    case OBJ_PROP_KIND_BOOL:
        v->b = t->on;
        break;
    case OBJ_PROP_KIND_STR:
        v->str = g_strdup(t->label ? t->label : "");
        break;
    default:
        v->list = g_array_copy(t->nodes);
        break;
    }
    return true;
}

static bool testobj_set(Object *obj, ObjectProperty *prop,
                        const ObjectPropertyValue *v, Error **errp)
{
    TestObj *t = (TestObj *)obj;

    switch (prop->kind) {
    case OBJ_PROP_KIND_INT:
        t->level = v->i;
        break;
    case OBJ_PROP_KIND_BOOL:
        t->on = v->b;
        break;
    case OBJ_PROP_KIND_STR:
        g_free(t->label);
        t->label = g_strdup(v->str);
        break;
    default:
        g_array_set_size(t->nodes, 0);
        g_array_append_vals(t->nodes, v->list->data, v->list->len);
        break;
    }
    return true;
}

static void testobj_init(Object *obj)
{
    ((TestObj *)obj)->nodes = g_array_new(FALSE, FALSE, sizeof(uint64_t));
}

static void testobj_finalize(Object *obj)
{
    g_array_unref(((TestObj *)obj)->nodes);
    g_free(((TestObj *)obj)->label);
}

static void testobj_class_init(ObjectClass *oc, void *data)
{
    object_class_property_add(oc, "level", "int", OBJ_PROP_KIND_INT,
                              testobj_get, testobj_set, NULL, NULL);
    object_class_property_add(oc, "on", "bool", OBJ_PROP_KIND_BOOL,
                              testobj_get, testobj_set, NULL, NULL);
    object_class_property_add(oc, "label", "str", OBJ_PROP_KIND_STR,
                              testobj_get, testobj_set, NULL, NULL);
    object_class_property_add(oc, "nodes", "uint16List",
                              OBJ_PROP_KIND_UINT_LIST, testobj_get,
                              testobj_set, NULL, NULL);
}

static const TypeInfo testobj_info = {
    .name = TYPE_TEST_OBJ,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(TestObj),
    .instance_init = testobj_init,
    .instance_finalize = testobj_finalize,
    .class_init = testobj_class_init,
    .interfaces = (InterfaceInfo[]) { { TYPE_USER_CREATABLE }, { } },
};

static void test_qom_commands(void)
{
    QmpSession *s = sess_open();

    type_register_static(&testobj_info);
    sess_expect(s, "{\"execute\": \"object-add\", \"arguments\": "
                "{\"qom-type\": \"" TYPE_TEST_OBJ "\", \"id\": \"t0\", "
                "\"level\": -3, \"on\": true, \"label\": \"x y\", "
                "\"nodes\": [0, 2]}}", "{\"return\": {}}\n");
    sess_expect(s, "{\"execute\": \"qom-get\", \"arguments\": "
                "{\"path\": \"/objects/t0\", \"property\": \"nodes\"}}",
                "{\"return\": [0, 2]}\n");
    sess_expect(s, "{\"execute\": \"qom-get\", \"arguments\": "
                "{\"path\": \"t0\", \"property\": \"level\"}}",
                "{\"return\": -3}\n");
    sess_expect(s, "{\"execute\": \"qom-set\", \"arguments\": "
                "{\"path\": \"t0\", \"property\": \"on\", \"value\": \"x\"}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                "\"Invalid parameter type for 'on', expected: boolean\"}}\n");
    sess_expect(s, "{\"execute\": \"qom-set\", \"arguments\": "
                "{\"path\": \"t0\", \"property\": \"on\"}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                "\"Parameter 'value' is missing\"}}\n");
    sess_expect(s, "{\"execute\": \"qom-get\", \"arguments\": "
                "{\"path\": \"/nope\", \"property\": \"x\"}}",
                "{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": "
                "\"Device '/nope' not found\"}}\n");
    sess_expect(s, "{\"execute\": \"qom-list\", \"arguments\": "
                "{\"path\": \"/objects/t0\"}}",
                "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}, "
                "{\"name\": \"level\", \"type\": \"int\"}, {\"name\": \"on\", "
                "\"type\": \"bool\"}, {\"name\": \"label\", \"type\": "
                "\"str\"}, {\"name\": \"nodes\", \"type\": \"uint16List\"}]}"
                "\n");
    sess_expect(s, "{\"execute\": \"object-add\", \"arguments\": "
                "{\"qom-type\": \"nope\", \"id\": \"t1\"}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": "
                "\"Parameter 'qom-type' does not accept value 'nope'\"}}\n");

    /* The human forms. */
    hmp_expect(s, "qom-set t0 level 12", "");
    hmp_expect(s, "qom-set t0 label two words", "");
    hmp_expect(s, "qom-get t0 label", "\"two words\"\r\n");
    hmp_expect(s, "qom-set t0 label", "qom-set: string expected\r\n"
               "Try \"help qom-set\" for more information\r\n");
    hmp_expect(s, "qom-get t0 level", "12\r\n");
    hmp_expect(s, "qom-set -j t0 label \"quoted\"", "");
    hmp_expect(s, "qom-get t0 label", "\"quoted\"\r\n");
    hmp_expect(s, "qom-get /nope x", "Error: Device '/nope' not found\r\n");
    hmp_expect(s, "object_add " TYPE_TEST_OBJ ",id=t2,level=5", "");
    hmp_expect(s, "qom-get /objects/t2 level", "5\r\n");
    hmp_expect(s, "object_del t2", "");
    hmp_expect(s, "object_del t2", "Error: object 't2' not found\r\n");
    sess_expect(s, "{\"execute\": \"object-del\", \"arguments\": "
                "{\"id\": \"t0\"}}", "{\"return\": {}}\n");
    sess_close(s);
}

/* ---- HMP on a socket: banner, prompt, echo, editing, history ---- */

static void test_hmp_socket(void)
{
    g_autofree char *path = tmp_path("hmp");
    Chardev *chr = unix_server("hmp0", path);
    g_autofree char *banner = NULL;
    Error *err = NULL;
    Client c;

    vm_start();
    monitor_init_hmp(chr, true, &err);
    g_assert_null(err);
    client_unix(&c, path);
    banner = client_line(&c);
    g_assert_cmpstr(banner, ==, "Machina " MACHINA_VERSION " monitor - "
                    "type 'help' for more information");
    client_pump_until(&c, "(qemu) ");
    g_string_truncate(c.buf, 0);

    /* Typed with a mistake fixed by backspace. */
    client_send(&c, "info statuz\x7fs\r");
    client_pump_until(&c, "VM status: running\r\n(qemu) ");

    /* Up arrow recalls the line; Enter runs it again. */
    g_string_truncate(c.buf, 0);
    client_send(&c, "\033[A\r");
    client_pump_until(&c, "VM status: running\r\n(qemu) ");

    /* Ctrl-U erases the line. */
    g_string_truncate(c.buf, 0);
    client_send(&c, "garbage\x15info name\r");
    client_pump_until(&c, "(qemu) ");
    g_assert_null(strstr(c.buf->str, "unknown command"));
    client_close(&c);
}

/* ---- -mon ---- */

static void mon_opts_error(const char *text, const char *want)
{
    QemuOpts *opts = qemu_opts_parse(&qemu_mon_opts, text, true,
                                     &error_abort);
    Error *err = NULL;

    g_assert_false(monitor_init_opts(opts, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, want);
    error_free(err);
    qemu_opts_del(opts);
}

static void test_mon_opts(void)
{
    g_autofree char *path = tmp_path("mon");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=monq,path=%s,server=on,wait=off", path);
    QemuOpts *opts;
    Client c;

    qemu_chr_new_from_string("null,id=monn", NULL, &error_abort);
    mon_opts_error("chardev=nope", "chardev \"nope\" not found");
    mon_opts_error("mode=control", "Parameter 'chardev' is missing");
    mon_opts_error("chardev=monn,mode=x",
                   "Parameter 'mode' does not accept value 'x'");
    mon_opts_error("chardev=monn,pretty=on",
                   "'pretty' is not compatible with HMP monitors");

    /* mode=control is QMP. */
    qemu_chr_new_from_string(spec, NULL, &error_abort);
    opts = qemu_opts_parse(&qemu_mon_opts, "chardev=monq,mode=control",
                           true, &error_abort);
    g_assert_true(monitor_init_opts(opts, &error_abort));
    qemu_opts_del(opts);
    client_unix(&c, path);
    qmp_handshake(&c);
    client_close(&c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    signal(SIGPIPE, SIG_IGN);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();

    g_test_add_func("/monitor/qmp/reconnect", test_qmp_reconnect);
    g_test_add_func("/monitor/qmp/errors", test_qmp_errors_keep_session);
    g_test_add_func("/monitor/qmp/two-monitors", test_qmp_two_monitors);
    g_test_add_func("/monitor/qmp/runstate", test_qmp_runstate);
    g_test_add_func("/monitor/qmp/identity", test_qmp_identity);
    g_test_add_func("/monitor/qmp/qom", test_qom_commands);
    g_test_add_func("/monitor/cpus", test_cpus);
    g_test_add_func("/monitor/memdev", test_memdev);
    g_test_add_func("/monitor/hmp/memory-dump", test_memory_dump);
    g_test_add_func("/monitor/hmp/riscv-cpu", test_riscv_cpu_ops);
    g_test_add_func("/monitor/hmp/basics", test_hmp_basics);
    g_test_add_func("/monitor/hmp/ringbuf", test_chardev_ringbuf);
    g_test_add_func("/monitor/hmp/socket", test_hmp_socket);
    g_test_add_func("/monitor/mon-opts", test_mon_opts);
    return g_test_run();
}
