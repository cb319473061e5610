/*
 * libqtest.c: start the emulator under qtest and talk to it.
 *
 * Launch order (as QEMU's libqtest, so the same emulator options work):
 * listen on two UNIX sockets, spawn "$QTEST_QEMU_BINARY -qtest unix:A
 * -chardev socket,path=B,id=char0 -mon chardev=char0,mode=control ..."
 * through /bin/sh, then accept the qtest connection and the QMP one.
 * The emulator connects as a client while it parses its command line,
 * so both sockets must exist before it starts.
 */
#include "qemu/osdep.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "libqtest.h"
#include "qapi/qmp/json-parser.h"
#include "qapi/qmp/qjson.h"

/* How long to wait for the emulator to connect / to exit after SIGTERM. */
#define QTEST_CONNECT_TIMEOUT_MS 60000
#define QTEST_EXIT_TIMEOUT_MS 30000
/* Lines of intercepted GPIO tracked for qtest_get_irq(). */
#define QTEST_MAX_IRQ 256

struct QTestState {
    int fd;                     /* qtest protocol socket */
    int qmp_fd;
    pid_t qemu_pid;             /* -1 once reaped */
    int wstatus;                /* waitpid status once reaped */
    int expected_status;
    bool big_endian;
    bool irq_level[QTEST_MAX_IRQ];
    GString *rx;                /* qtest bytes received, not yet a line */

    JSONMessageParser qmp_parser;
    GQueue *qmp_msgs;           /* QDict *: parsed, not yet handed out */
    GList *pending_events;      /* QDict *: events qtest_qmp() skipped */
    QTestQMPEventCallback event_cb;
    void *event_cb_opaque;
};

static bool qtest_log_enabled(void)
{
    return getenv("QTEST_LOG") != NULL;
}

/* ---- abort handling: kill the emulator when the test aborts ---- */

static GHookList abrt_hooks;
static struct sigaction sigact_old;
static bool abrt_handler_installed;

static void sigabrt_handler(int signo)
{
    g_hook_list_invoke(&abrt_hooks, false);
}

static void setup_sigabrt_handler(void)
{
    struct sigaction sigact = { .sa_handler = sigabrt_handler };

    /* Runs once: SA_RESETHAND lets abort() terminate after the hooks. */
    sigact.sa_flags = SA_RESETHAND;
    sigemptyset(&sigact.sa_mask);
    sigaction(SIGABRT, &sigact, &sigact_old);
    abrt_handler_installed = true;
}

void qtest_add_abrt_handler(GHookFunc fn, const void *data)
{
    GHook *hook;

    if (!abrt_hooks.is_setup) {
        g_hook_list_init(&abrt_hooks, sizeof(GHook));
    }
    if (!abrt_handler_installed) {
        setup_sigabrt_handler();
    }
    hook = g_hook_alloc(&abrt_hooks);
    hook->func = fn;
    hook->data = (void *)data;
    g_hook_prepend(&abrt_hooks, hook);
}

void qtest_remove_abrt_handler(void *data)
{
    GHook *hook = g_hook_find_data(&abrt_hooks, true, data);

    if (hook) {
        g_hook_destroy_link(&abrt_hooks, hook);
    }
    if (abrt_hooks.hooks == NULL && abrt_handler_installed) {
        sigaction(SIGABRT, &sigact_old, NULL);
        abrt_handler_installed = false;
    }
}

/* Signal context: kill and reap, nothing else. */
static void kill_qemu_hook_func(void *opaque)
{
    QTestState *s = opaque;

    if (s->qemu_pid > 0) {
        kill(s->qemu_pid, SIGKILL);
        waitpid(s->qemu_pid, NULL, 0);
    }
}

/* ---- environment ---- */

static const char *qtest_qemu_binary(void)
{
    const char *qemu = getenv("QTEST_QEMU_BINARY");

    if (!qemu) {
        fprintf(stderr, "Environment variable QTEST_QEMU_BINARY required\n");
        exit(1);
    }
    return qemu;
}

const char *qtest_get_arch(void)
{
    const char *qemu = qtest_qemu_binary();
    const char *end = strrchr(qemu, '-');

    if (!end || !strstr(qemu, "-system-")) {
        fprintf(stderr, "QTEST_QEMU_BINARY must end with *-system-<arch> "
                "where 'arch' is the target architecture (riscv64)\n");
        exit(1);
    }
    return end + 1;
}

/* ---- sockets and process ---- */

static int qtest_socket_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpuint(strlen(path), <, sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 1) < 0) {
        fprintf(stderr, "libqtest: cannot listen on %s: %s\n", path,
                strerror(errno));
        abort();
    }
    return fd;
}

/* Reap the emulator if it exited; returns true if it did. */
static bool qtest_reap_nohang(QTestState *s)
{
    pid_t pid;

    if (s->qemu_pid <= 0) {
        return true;
    }
    pid = waitpid(s->qemu_pid, &s->wstatus, WNOHANG);
    if (pid == s->qemu_pid) {
        s->qemu_pid = -1;
        return true;
    }
    return false;
}

static void qtest_describe_exit(QTestState *s, const char *what)
{
    if (WIFEXITED(s->wstatus)) {
        fprintf(stderr, "libqtest: %s: the emulator exited with status %d\n",
                what, WEXITSTATUS(s->wstatus));
    } else if (WIFSIGNALED(s->wstatus)) {
        fprintf(stderr, "libqtest: %s: the emulator died of signal %d (%s)\n",
                what, WTERMSIG(s->wstatus), strsignal(WTERMSIG(s->wstatus)));
    }
}

/* Accept one connection, failing early if the emulator dies first. */
static int qtest_accept(QTestState *s, int listen_fd, const char *what)
{
    struct pollfd pfd = { .fd = listen_fd, .events = POLLIN };
    int waited_ms = 0;
    int fd;

    while (poll(&pfd, 1, 100) <= 0) {
        waited_ms += 100;
        if (qtest_reap_nohang(s)) {
            qtest_describe_exit(s, what);
            abort();
        }
        if (waited_ms >= QTEST_CONNECT_TIMEOUT_MS) {
            fprintf(stderr, "libqtest: %s: no connection after %d ms\n",
                    what, QTEST_CONNECT_TIMEOUT_MS);
            abort();
        }
    }
    do {
        fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    g_assert_cmpint(fd, >=, 0);
    return fd;
}

static pid_t qtest_spawn(const char *command)
{
    pid_t pid = fork();

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        /* Die with the test process, however it ends. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        setenv("QEMU_AUDIO_DRV", "none", true);
        execlp("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void qtest_qmp_emit(void *opaque, QObject *obj, Error *err);

QTestState *qtest_init_without_qmp_handshake(const char *extra_args)
{
    static int counter;
    QTestState *s = g_new0(QTestState, 1);
    char *sock_path, *qmp_path, *command, *endianness;
    int sock, qmpsock;

    sock_path = g_strdup_printf("%s/qtest-%d-%d.sock", g_get_tmp_dir(),
                                getpid(), counter);
    qmp_path = g_strdup_printf("%s/qtest-%d-%d.qmp", g_get_tmp_dir(),
                               getpid(), counter++);
    sock = qtest_socket_listen(sock_path);
    qmpsock = qtest_socket_listen(qmp_path);

    command = g_strdup_printf("exec %s -qtest unix:%s -qtest-log %s "
                              "-chardev socket,path=%s,id=char0 "
                              "-mon chardev=char0,mode=control "
                              "-display none %s -accel qtest",
                              qtest_qemu_binary(), sock_path,
                              qtest_log_enabled() ? "/dev/fd/2" : "/dev/null",
                              qmp_path, extra_args ? extra_args : "");
    if (qtest_log_enabled()) {
        fprintf(stderr, "starting QEMU: %s\n", command);
    }
    s->rx = g_string_new(NULL);
    s->qmp_msgs = g_queue_new();
    json_message_parser_init(&s->qmp_parser, qtest_qmp_emit, s, NULL);
    s->qemu_pid = qtest_spawn(command);
    qtest_add_abrt_handler(kill_qemu_hook_func, s);

    s->fd = qtest_accept(s, sock, "qtest connection");
    s->qmp_fd = qtest_accept(s, qmpsock, "QMP connection");
    close(sock);
    close(qmpsock);
    unlink(sock_path);
    unlink(qmp_path);
    g_free(sock_path);
    g_free(qmp_path);
    g_free(command);

    if (getenv("QTEST_STOP")) {
        kill(s->qemu_pid, SIGSTOP);
    }
    endianness = qtest_raw_command(s, "endianness");
    s->big_endian = g_str_equal(endianness, "OK big");
    g_free(endianness);
    return s;
}

QTestState *qtest_init(const char *extra_args)
{
    QTestState *s = qtest_init_without_qmp_handshake(extra_args);
    QDict *greeting = qtest_qmp_receive(s);

    /* The greeting announces QMP; then leave capabilities negotiation. */
    g_assert(qdict_haskey(greeting, "QMP"));
    qobject_unref(greeting);
    qobject_unref(qtest_qmp(s, "{ 'execute': 'qmp_capabilities' }"));
    return s;
}

QTestState *qtest_vinitf(const char *fmt, va_list ap)
{
    char *args = g_strdup_vprintf(fmt, ap);
    QTestState *s = qtest_init(args);

    g_free(args);
    return s;
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    QTestState *s;

    va_start(ap, fmt);
    s = qtest_vinitf(fmt, ap);
    va_end(ap);
    return s;
}

void qtest_set_expected_status(QTestState *s, int status)
{
    s->expected_status = status;
}

pid_t qtest_pid(QTestState *s)
{
    return s->qemu_pid;
}

/* Abort the test unless the reaped emulator exited as expected. */
static void qtest_check_status(QTestState *s)
{
    if (WIFEXITED(s->wstatus) &&
        WEXITSTATUS(s->wstatus) == s->expected_status) {
        return;
    }
    qtest_describe_exit(s, "unexpected end");
    fprintf(stderr, "libqtest: expected exit status %d\n",
            s->expected_status);
    abort();
}

static void qtest_wait_timeout(QTestState *s, int timeout_ms)
{
    int waited_ms = 0;

    while (!qtest_reap_nohang(s)) {
        if (timeout_ms >= 0 && waited_ms >= timeout_ms) {
            fprintf(stderr, "libqtest: the emulator did not exit within "
                    "%d ms of SIGTERM; killing it\n", timeout_ms);
            kill(s->qemu_pid, SIGKILL);
            waitpid(s->qemu_pid, &s->wstatus, 0);
            s->qemu_pid = -1;
            abort();
        }
        g_usleep(1000);
        waited_ms++;
    }
}

void qtest_wait_qemu(QTestState *s)
{
    if (s->qemu_pid > 0) {
        qtest_wait_timeout(s, -1);
        qtest_check_status(s);
    }
}

void qtest_kill_qemu(QTestState *s)
{
    if (s->qemu_pid > 0) {
        kill(s->qemu_pid, SIGTERM);
        qtest_wait_timeout(s, QTEST_EXIT_TIMEOUT_MS);
        qtest_check_status(s);
    }
}

bool qtest_probe_child(QTestState *s)
{
    if (s->qemu_pid <= 0) {
        return false;
    }
    if (!qtest_reap_nohang(s)) {
        return true;
    }
    qtest_check_status(s);
    return false;
}

void qtest_quit(QTestState *s)
{
    GList *l;

    qtest_kill_qemu(s);
    qtest_remove_abrt_handler(s);
    close(s->fd);
    close(s->qmp_fd);
    g_string_free(s->rx, true);
    json_message_parser_destroy(&s->qmp_parser);
    while (!g_queue_is_empty(s->qmp_msgs)) {
        qobject_unref((QDict *)g_queue_pop_head(s->qmp_msgs));
    }
    g_queue_free(s->qmp_msgs);
    for (l = s->pending_events; l; l = l->next) {
        qobject_unref((QDict *)l->data);
    }
    g_list_free(s->pending_events);
    g_free(s);
}

/* ---- the qtest protocol ---- */

static void qtest_send_all(QTestState *s, int fd, const char *buf,
                           size_t len)
{
    while (len) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fprintf(stderr, "libqtest: send failed: %s\n", strerror(errno));
            qtest_reap_nohang(s);
            qtest_describe_exit(s, "send");
            abort();
        }
        buf += n;
        len -= n;
    }
}

static void G_GNUC_PRINTF(2, 3) qtest_sendf(QTestState *s,
                                           const char *fmt, ...)
{
    va_list ap;
    char *line;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send_all(s, s->fd, line, strlen(line));
    g_free(line);
}

/* Read more bytes from @fd into @buf; aborts on EOF or error. */
static void qtest_read_more(QTestState *s, int fd, GString *buf)
{
    char chunk[4096];
    ssize_t n;

    do {
        n = recv(fd, chunk, sizeof(chunk), 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        fprintf(stderr, "libqtest: connection to the emulator %s\n",
                n == 0 ? "closed" : strerror(errno));
        g_usleep(100 * 1000);
        if (qtest_reap_nohang(s)) {
            qtest_describe_exit(s, "read");
        }
        abort();
    }
    g_string_append_len(buf, chunk, n);
}

/* Next line from the qtest socket, without its newline. */
static char *qtest_recv_line(QTestState *s)
{
    char *eol, *line;

    while (!(eol = memchr(s->rx->str, '\n', s->rx->len))) {
        qtest_read_more(s, s->fd, s->rx);
    }
    line = g_strndup(s->rx->str, eol - s->rx->str);
    g_string_erase(s->rx, 0, eol - s->rx->str + 1);
    return line;
}

/* An "IRQ raise|lower N" line updates irq_level; true if it was one. */
static bool qtest_take_irq_line(QTestState *s, const char *line)
{
    char **words;
    int n;

    if (!g_str_has_prefix(line, "IRQ ")) {
        return false;
    }
    words = g_strsplit(line, " ", 0);
    g_assert_cmpuint(g_strv_length(words), ==, 3);
    n = atoi(words[2]);
    g_assert_cmpint(n, >=, 0);
    g_assert_cmpint(n, <, QTEST_MAX_IRQ);
    if (g_str_equal(words[1], "raise")) {
        s->irq_level[n] = true;
    } else {
        g_assert_cmpstr(words[1], ==, "lower");
        s->irq_level[n] = false;
    }
    g_strfreev(words);
    return true;
}

/* The reply line of the last command, IRQ lines recorded on the way. */
static char *qtest_reply_line(QTestState *s)
{
    for (;;) {
        char *line = qtest_recv_line(s);

        if (!qtest_take_irq_line(s, line)) {
            return line;
        }
        g_free(line);
    }
}

/* Reply words; the reply must be "OK" with at least @nargs more words. */
static char **qtest_rsp_args(QTestState *s, int nargs)
{
    char *line = qtest_reply_line(s);
    char **words = g_strsplit(line, " ", 0);

    if (!g_str_equal(words[0], "OK") ||
        g_strv_length(words) < (guint)nargs + 1) {
        fprintf(stderr, "libqtest: unexpected reply '%s'\n", line);
        abort();
    }
    g_free(line);
    return words;
}

static void qtest_rsp(QTestState *s)
{
    g_strfreev(qtest_rsp_args(s, 0));
}

char *qtest_raw_command(QTestState *s, const char *fmt, ...)
{
    GString *reply = g_string_new(NULL);
    va_list ap;
    char *line;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_sendf(s, "%s\n", line);
    g_free(line);

    /* Keep IRQ lines in the text, and record them too. */
    for (;;) {
        bool irq;

        line = qtest_recv_line(s);
        irq = qtest_take_irq_line(s, line);
        g_string_append(reply, line);
        g_free(line);
        if (!irq) {
            return g_string_free(reply, false);
        }
        g_string_append_c(reply, '\n');
    }
}

bool qtest_big_endian(QTestState *s)
{
    return s->big_endian;
}

/* Send a command whose reply is "OK 0xVALUE"; return VALUE. */
static uint64_t G_GNUC_PRINTF(2, 3) qtest_query_u64(QTestState *s,
                                                   const char *fmt, ...)
{
    va_list ap;
    char *line, **words;
    uint64_t val;

    va_start(ap, fmt);
    line = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send_all(s, s->fd, line, strlen(line));
    g_free(line);
    words = qtest_rsp_args(s, 1);
    val = g_ascii_strtoull(words[1], NULL, 0);
    g_strfreev(words);
    return val;
}

uint8_t qtest_readb(QTestState *s, uint64_t addr)
{
    return qtest_query_u64(s, "readb 0x%" PRIx64 "\n", addr);
}

uint16_t qtest_readw(QTestState *s, uint64_t addr)
{
    return qtest_query_u64(s, "readw 0x%" PRIx64 "\n", addr);
}

uint32_t qtest_readl(QTestState *s, uint64_t addr)
{
    return qtest_query_u64(s, "readl 0x%" PRIx64 "\n", addr);
}

uint64_t qtest_readq(QTestState *s, uint64_t addr)
{
    return qtest_query_u64(s, "readq 0x%" PRIx64 "\n", addr);
}

static void qtest_write_sized(QTestState *s, const char *cmd, uint64_t addr,
                              uint64_t value)
{
    qtest_sendf(s, "%s 0x%" PRIx64 " 0x%" PRIx64 "\n", cmd, addr, value);
    qtest_rsp(s);
}

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t value)
{
    qtest_write_sized(s, "writeb", addr, value);
}

void qtest_writew(QTestState *s, uint64_t addr, uint16_t value)
{
    qtest_write_sized(s, "writew", addr, value);
}

void qtest_writel(QTestState *s, uint64_t addr, uint32_t value)
{
    qtest_write_sized(s, "writel", addr, value);
}

void qtest_writeq(QTestState *s, uint64_t addr, uint64_t value)
{
    qtest_write_sized(s, "writeq", addr, value);
}

static int hex_nibble(char c)
{
    return g_ascii_xdigit_value(c);
}

void qtest_memread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    uint8_t *bytes = data;
    char **words;
    size_t i;

    if (!size) {
        return;
    }
    qtest_sendf(s, "read 0x%" PRIx64 " 0x%zx\n", addr, size);
    words = qtest_rsp_args(s, 1);
    g_assert_cmpuint(strlen(words[1]), ==, 2 + 2 * size);
    for (i = 0; i < size; i++) {
        bytes[i] = hex_nibble(words[1][2 + 2 * i]) << 4 |
                   hex_nibble(words[1][3 + 2 * i]);
    }
    g_strfreev(words);
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size)
{
    const uint8_t *bytes = data;
    GString *hex;
    size_t i;

    if (!size) {
        return;
    }
    hex = g_string_sized_new(2 * size + 64);
    g_string_printf(hex, "write 0x%" PRIx64 " 0x%zx 0x", addr, size);
    for (i = 0; i < size; i++) {
        g_string_append_printf(hex, "%02x", bytes[i]);
    }
    g_string_append_c(hex, '\n');
    qtest_send_all(s, s->fd, hex->str, hex->len);
    g_string_free(hex, true);
    qtest_rsp(s);
}

void qtest_bufread(QTestState *s, uint64_t addr, void *data, size_t size)
{
    char **words;
    guchar *decoded;
    gsize len;

    if (!size) {
        return;
    }
    qtest_sendf(s, "b64read 0x%" PRIx64 " 0x%zx\n", addr, size);
    words = qtest_rsp_args(s, 1);
    decoded = g_base64_decode(words[1], &len);
    g_assert_cmpuint(len, ==, size);
    memcpy(data, decoded, size);
    g_free(decoded);
    g_strfreev(words);
}

void qtest_bufwrite(QTestState *s, uint64_t addr, const void *data,
                    size_t size)
{
    char *b64;

    if (!size) {
        return;
    }
    b64 = g_base64_encode(data, size);
    qtest_sendf(s, "b64write 0x%" PRIx64 " 0x%zx %s\n", addr, size, b64);
    g_free(b64);
    qtest_rsp(s);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t pattern,
                  size_t size)
{
    qtest_sendf(s, "memset 0x%" PRIx64 " 0x%zx 0x%02x\n", addr, size,
                pattern);
    qtest_rsp(s);
}

uint8_t qtest_inb(QTestState *s, uint16_t addr)
{
    return qtest_query_u64(s, "inb 0x%x\n", addr);
}

uint16_t qtest_inw(QTestState *s, uint16_t addr)
{
    return qtest_query_u64(s, "inw 0x%x\n", addr);
}

uint32_t qtest_inl(QTestState *s, uint16_t addr)
{
    return qtest_query_u64(s, "inl 0x%x\n", addr);
}

void qtest_outb(QTestState *s, uint16_t addr, uint8_t value)
{
    qtest_sendf(s, "outb 0x%x 0x%x\n", addr, value);
    qtest_rsp(s);
}

void qtest_outw(QTestState *s, uint16_t addr, uint16_t value)
{
    qtest_sendf(s, "outw 0x%x 0x%x\n", addr, value);
    qtest_rsp(s);
}

void qtest_outl(QTestState *s, uint16_t addr, uint32_t value)
{
    qtest_sendf(s, "outl 0x%x 0x%x\n", addr, value);
    qtest_rsp(s);
}

/* Clock replies are decimal: "OK 1050000". */
static int64_t qtest_clock_rsp(QTestState *s)
{
    char **words = qtest_rsp_args(s, 1);
    int64_t ns = g_ascii_strtoll(words[1], NULL, 0);

    g_strfreev(words);
    return ns;
}

int64_t qtest_clock_step_next(QTestState *s)
{
    qtest_sendf(s, "clock_step\n");
    return qtest_clock_rsp(s);
}

int64_t qtest_clock_step(QTestState *s, int64_t step)
{
    qtest_sendf(s, "clock_step %" PRIi64 "\n", step);
    return qtest_clock_rsp(s);
}

int64_t qtest_clock_set(QTestState *s, int64_t val)
{
    qtest_sendf(s, "clock_set %" PRIi64 "\n", val);
    return qtest_clock_rsp(s);
}

void qtest_irq_intercept_in(QTestState *s, const char *string)
{
    qtest_sendf(s, "irq_intercept_in %s\n", string);
    qtest_rsp(s);
}

void qtest_irq_intercept_out(QTestState *s, const char *string)
{
    qtest_sendf(s, "irq_intercept_out %s\n", string);
    qtest_rsp(s);
}

bool qtest_get_irq(QTestState *s, int num)
{
    g_assert_cmpint(num, >=, 0);
    g_assert_cmpint(num, <, QTEST_MAX_IRQ);

    /* A round trip drains IRQ lines the server sent since the last one. */
    qtest_inb(s, 0);
    return s->irq_level[num];
}

void qtest_set_irq_in(QTestState *s, const char *string, const char *name,
                      int num, int level)
{
    qtest_sendf(s, "set_irq_in %s %s %d %d\n", string,
                name ? name : "unnamed-gpio-in", num, level);
    qtest_rsp(s);
}

/* ---- QMP ---- */

static void qtest_qmp_emit(void *opaque, QObject *obj, Error *err)
{
    QTestState *s = opaque;
    QDict *dict;

    if (err) {
        fprintf(stderr, "libqtest: QMP: %s\n", error_get_pretty(err));
        abort();
    }
    dict = qobject_to(QDict, obj);
    if (!dict) {
        fprintf(stderr, "libqtest: QMP message is not a JSON object\n");
        abort();
    }
    g_queue_push_tail(s->qmp_msgs, dict);
}

QDict *qtest_qmp_receive_dict(QTestState *s)
{
    GString *chunk = g_string_new(NULL);
    QDict *msg;

    while (g_queue_is_empty(s->qmp_msgs)) {
        g_string_truncate(chunk, 0);
        qtest_read_more(s, s->qmp_fd, chunk);
        if (qtest_log_enabled()) {
            fprintf(stderr, "[QMP <] %.*s", (int)chunk->len, chunk->str);
        }
        json_message_parser_feed(&s->qmp_parser, chunk->str, chunk->len);
    }
    g_string_free(chunk, true);
    msg = g_queue_pop_head(s->qmp_msgs);
    return msg;
}

/* Queue or hand an event to the callback. */
static void qtest_qmp_note_event(QTestState *s, QDict *event)
{
    if (s->event_cb &&
        s->event_cb(s, qdict_get_str(event, "event"), event,
                    s->event_cb_opaque)) {
        qobject_unref(event);
        return;
    }
    s->pending_events = g_list_append(s->pending_events, event);
}

QDict *qtest_qmp_receive(QTestState *s)
{
    for (;;) {
        QDict *msg = qtest_qmp_receive_dict(s);

        if (!qdict_haskey(msg, "event")) {
            return msg;
        }
        qtest_qmp_note_event(s, msg);
    }
}

void qtest_qmp_set_event_callback(QTestState *s, QTestQMPEventCallback cb,
                                  void *opaque)
{
    s->event_cb = cb;
    s->event_cb_opaque = opaque;
}

void qtest_qmp_vsend(QTestState *s, const char *fmt, va_list ap)
{
    QObject *cmd = qobject_from_vjsonf_nofail(fmt, ap);
    GString *json = qobject_to_json(cmd);

    if (qtest_log_enabled()) {
        fprintf(stderr, "[QMP >] %s\n", json->str);
    }
    g_string_append_c(json, '\n');
    qtest_send_all(s, s->qmp_fd, json->str, json->len);
    g_string_free(json, true);
    qobject_unref(cmd);
}

void qtest_qmp_send(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qtest_qmp_vsend(s, fmt, ap);
    va_end(ap);
}

void qtest_qmp_send_raw(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_send_all(s, s->qmp_fd, text, strlen(text));
    g_free(text);
}

QDict *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
{
    qtest_qmp_vsend(s, fmt, ap);
    return qtest_qmp_receive(s);
}

QDict *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    QDict *rsp;

    va_start(ap, fmt);
    rsp = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return rsp;
}

static bool qtest_is_event(QDict *msg, const char *event)
{
    const char *name = qdict_get_try_str(msg, "event");

    return name && g_str_equal(name, event);
}

QDict *qtest_qmp_event_ref(QTestState *s, const char *event)
{
    GList *l;

    for (l = s->pending_events; l; l = l->next) {
        QDict *msg = l->data;

        if (qtest_is_event(msg, event)) {
            s->pending_events = g_list_delete_link(s->pending_events, l);
            return msg;
        }
    }
    return NULL;
}

QDict *qtest_qmp_eventwait_ref(QTestState *s, const char *event)
{
    QDict *msg = qtest_qmp_event_ref(s, event);

    /* Anything else that arrives meanwhile is dropped, as in QEMU. */
    while (!msg) {
        msg = qtest_qmp_receive_dict(s);
        if (!qtest_is_event(msg, event)) {
            qobject_unref(msg);
            msg = NULL;
        }
    }
    return msg;
}

void qtest_qmp_eventwait(QTestState *s, const char *event)
{
    qobject_unref(qtest_qmp_eventwait_ref(s, event));
}

static QDict *qtest_vqmp_assert_success(QTestState *s, const char *fmt,
                                        va_list ap)
{
    QDict *rsp = qtest_vqmp(s, fmt, ap);

    if (!qdict_haskey(rsp, "return")) {
        GString *json = qobject_to_json_pretty(QOBJECT(rsp), true);

        fprintf(stderr, "libqtest: QMP command failed:\n%s\n", json->str);
        g_string_free(json, true);
        abort();
    }
    return rsp;
}

void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qobject_unref(qtest_vqmp_assert_success(s, fmt, ap));
    va_end(ap);
}

QDict *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    QDict *rsp, *ret;

    va_start(ap, fmt);
    rsp = qtest_vqmp_assert_success(s, fmt, ap);
    va_end(ap);
    ret = qdict_get_qdict(rsp, "return");
    qobject_ref(ret);
    qobject_unref(rsp);
    return ret;
}

bool qmp_rsp_is_err(QDict *rsp)
{
    bool is_err = qdict_get_qdict(rsp, "error") != NULL;

    qobject_unref(rsp);
    return is_err;
}

void qmp_expect_error_and_unref(QDict *rsp, const char *class)
{
    QDict *error = qdict_get_qdict(rsp, "error");

    g_assert_nonnull(error);
    g_assert_cmpstr(qdict_get_try_str(error, "class"), ==, class);
    g_assert_nonnull(qdict_get_try_str(error, "desc"));
    g_assert_false(qdict_haskey(rsp, "return"));
    qobject_unref(rsp);
}

char *qtest_vhmp(QTestState *s, const char *fmt, va_list ap)
{
    char *cmd = g_strdup_vprintf(fmt, ap);
    QDict *rsp;
    char *out;

    rsp = qtest_qmp(s, "{'execute': 'human-monitor-command',"
                    " 'arguments': {'command-line': %s}}", cmd);
    out = g_strdup(qdict_get_try_str(rsp, "return"));
    if (!out) {
        fprintf(stderr, "libqtest: HMP '%s' got no text reply\n", cmd);
        abort();
    }
    qobject_unref(rsp);
    g_free(cmd);
    return out;
}

char *qtest_hmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *out;

    va_start(ap, fmt);
    out = qtest_vhmp(s, fmt, ap);
    va_end(ap);
    return out;
}

/* ---- test registration ---- */

void qtest_add_func(const char *str, void (*fn)(void))
{
    char *path = g_strdup_printf("/%s/%s", qtest_get_arch(), str);

    g_test_add_func(path, fn);
    g_free(path);
}

void qtest_add_data_func(const char *str, const void *data,
                         void (*fn)(const void *))
{
    char *path = g_strdup_printf("/%s/%s", qtest_get_arch(), str);

    g_test_add_data_func(path, data, fn);
    g_free(path);
}

void qtest_add_data_func_full(const char *str, void *data,
                              void (*fn)(const void *),
                              GDestroyNotify data_free_func)
{
    char *path = g_strdup_printf("/%s/%s", qtest_get_arch(), str);

    g_test_add_data_func_full(path, data, fn, data_free_func);
    g_free(path);
}

/*
 * Names listed by "BINARY -machine help" / "-device help", run once:
 * the first word of each machine line, the quoted name of each device.
 */
static char *qtest_help_output(const char *option)
{
    char *argv[] = { (char *)qtest_qemu_binary(), (char *)option,
                     (char *)"help", NULL };
    char *out = NULL;
    int wstatus;

    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                      NULL, &out, NULL, &wstatus, NULL)) {
        return g_strdup("");
    }
    return out;
}

bool qtest_has_machine(const char *machine)
{
    static char *help;
    char **lines;
    bool found = false;
    int i;

    if (!help) {
        help = qtest_help_output("-machine");
    }
    lines = g_strsplit(help, "\n", 0);
    for (i = 0; lines[i] && !found; i++) {
        char **words = g_strsplit_set(g_strstrip(lines[i]), " \t", 2);

        found = words[0] && g_str_equal(words[0], machine);
        g_strfreev(words);
    }
    g_strfreev(lines);
    return found;
}

bool qtest_has_device(const char *device)
{
    static char *help;
    char *quoted;
    bool found;

    if (!help) {
        help = qtest_help_output("-device");
    }
    quoted = g_strdup_printf("name \"%s\"", device);
    found = strstr(help, quoted) != NULL;
    g_free(quoted);
    return found;
}
