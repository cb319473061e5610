/*
 * test-char.c: character device backends and the front-end API.
 *
 * The tests run main_loop_wait() with the big lock held, as the
 * emulator's main thread does, so chardev I/O runs exactly as there.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "chardev/char-fe.h"
#include "sysemu/runstate.h"

#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* Test front end */

typedef struct FeState {
    CharBackend be;
    int can_read;               /* what fd_can_read answers */
    GByteArray *rx;
    int max_chunk;              /* largest single delivery */
    int can_read_calls;
    int opened, closed, mux_in, mux_out, brk;
} FeState;

static int fe_can_read(void *opaque)
{
    ((FeState *)opaque)->can_read_calls++;
    return ((FeState *)opaque)->can_read;
}

static void fe_read(void *opaque, const uint8_t *buf, int size)
{
    FeState *fe = opaque;

    g_assert_cmpint(size, <=, fe->can_read);
    g_byte_array_append(fe->rx, buf, size);
    fe->max_chunk = MAX(fe->max_chunk, size);
}

static void fe_event(void *opaque, QEMUChrEvent event)
{
    FeState *fe = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        fe->opened++;
        break;
    case CHR_EVENT_CLOSED:
        fe->closed++;
        break;
    case CHR_EVENT_MUX_IN:
        fe->mux_in++;
        break;
    case CHR_EVENT_MUX_OUT:
        fe->mux_out++;
        break;
    case CHR_EVENT_BREAK:
        fe->brk++;
        break;
    }
}

static void fe_attach(FeState *fe, Chardev *chr)
{
    memset(fe, 0, sizeof(*fe));
    fe->can_read = 4096;
    fe->rx = g_byte_array_new();
    g_assert_true(qemu_chr_fe_init(&fe->be, chr, &error_abort));
    qemu_chr_fe_set_handlers(&fe->be, fe_can_read, fe_read, fe_event, NULL,
                             fe, NULL, true);
}

static void fe_detach(FeState *fe, bool del)
{
    qemu_chr_fe_deinit(&fe->be, del);
    g_byte_array_free(fe->rx, true);
}

static bool fe_rx_is(FeState *fe, const char *text)
{
    return fe->rx->len == strlen(text) &&
           (fe->rx->len == 0 || !memcmp(fe->rx->data, text, fe->rx->len));
}

/* Main loop helpers */

static gboolean tick(gpointer opaque)
{
    return G_SOURCE_CONTINUE;
}

/* Iterate the loop until @done(@opaque) or @timeout_ms passes. */
static bool loop_until(bool (*done)(void *), void *opaque, int timeout_ms)
{
    gint64 end = g_get_monotonic_time() + timeout_ms * 1000;
    guint t = g_timeout_add(10, tick, NULL);
    bool ok;

    while (!(ok = done(opaque)) && g_get_monotonic_time() < end) {
        main_loop_wait(false);
    }
    g_source_remove(t);
    return ok;
}

static bool never(void *opaque)
{
    return false;
}

static void loop_for(int ms)
{
    loop_until(never, NULL, ms);
}

typedef struct RxWait {
    FeState *fe;
    size_t len;
} RxWait;

static bool rx_reached(void *opaque)
{
    RxWait *w = opaque;

    return w->fe->rx->len >= w->len;
}

static void wait_rx(FeState *fe, size_t len)
{
    RxWait w = { fe, len };

    g_assert_true(loop_until(rx_reached, &w, 5000));
}

typedef struct CountWait {
    int *counter;
    int want;
} CountWait;

static bool count_reached(void *opaque)
{
    CountWait *w = opaque;

    return *w->counter >= w->want;
}

/* Wait until *@counter reaches @want, and check it went no further. */
static void wait_count(int *counter, int want)
{
    CountWait w = { counter, want };

    loop_until(count_reached, &w, 5000);
    g_assert_cmpint(*counter, ==, want);
}

/* Blocking read of exactly @len bytes from @fd (5 s limit). */
static void read_exact(int fd, char *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        /* The chardev writes from this thread: let the loop run too. */
        main_loop_wait(true);
        g_assert_cmpint(poll(&pfd, 1, 5000), ==, 1);
        n = read(fd, buf + got, len - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
}

static void write_str(int fd, const char *s)
{
    g_assert_cmpint(write(fd, s, strlen(s)), ==, strlen(s));
}

static char *tmp_path(const char *name)
{
    return g_strdup_printf("%s/machina-test-char-%d-%s", g_get_tmp_dir(),
                           getpid(), name);
}

/* The quit key of the mux ends up here. */
static int shutdown_requests;
static ShutdownCause shutdown_cause;

void qemu_system_shutdown_request(ShutdownCause reason)
{
    shutdown_requests++;
    shutdown_cause = reason;
}

/* ringbuf */

static void test_ringbuf_utf8(void)
{
    Chardev *chr = qemu_chr_new_from_string("ringbuf,id=rb0,size=16", NULL,
                                            &error_abort);
    FeState fe;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    fe_attach(&fe, chr);
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"hello", 5),
                    ==, 5);
    qmp_ringbuf_write("rb0", " world", false, 0, &error_abort);
    a = qmp_ringbuf_read("rb0", 8, true, DATA_FORMAT_UTF8, &error_abort);
    g_assert_cmpstr(a, ==, "hello wo");
    b = qmp_ringbuf_read("rb0", 100, false, 0, &error_abort);
    g_assert_cmpstr(b, ==, "rld");
    g_assert_cmpstr(chr->filename, ==, "ringbuf");
    fe_detach(&fe, true);
}

static void test_ringbuf_base64(void)
{
    Chardev *chr = qemu_chr_new_from_string("ringbuf,id=rb1", NULL,
                                            &error_abort);
    g_autofree char *out = NULL;
    g_autofree char *raw = NULL;
    Error *err = NULL;

    /* "\x00\xff\x01" round-trips as base64 and is not valid UTF-8. */
    qmp_ringbuf_write("rb1", "AP8B", true, DATA_FORMAT_BASE64, &error_abort);
    out = qmp_ringbuf_read("rb1", 3, true, DATA_FORMAT_BASE64, &error_abort);
    g_assert_cmpstr(out, ==, "AP8B");

    qmp_ringbuf_write("rb1", "!!", true, DATA_FORMAT_BASE64, &err);
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Base64 data contains invalid characters");
    error_free(err);

    /* Invalid UTF-8 read as utf8 becomes U+FFFD. */
    qmp_ringbuf_write("rb1", "/w==", true, DATA_FORMAT_BASE64, &error_abort);
    raw = qmp_ringbuf_read("rb1", 10, false, 0, &error_abort);
    g_assert_cmpstr(raw, ==, "\xef\xbf\xbd");
    qemu_chr_delete(chr);
}

static void test_ringbuf_wrap(void)
{
    Chardev *chr = qemu_chr_new_from_string("ringbuf,id=rb2,size=8", NULL,
                                            &error_abort);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *c = NULL;

    /* 11 bytes into 8: the oldest 3 are overwritten. */
    qmp_ringbuf_write("rb2", "0123456789A", false, 0, &error_abort);
    a = qmp_ringbuf_read("rb2", 100, false, 0, &error_abort);
    g_assert_cmpstr(a, ==, "3456789A");

    /* Reads and writes across the end of the array. */
    qmp_ringbuf_write("rb2", "abcde", false, 0, &error_abort);
    b = qmp_ringbuf_read("rb2", 3, false, 0, &error_abort);
    g_assert_cmpstr(b, ==, "abc");
    qmp_ringbuf_write("rb2", "fghij", false, 0, &error_abort);
    c = qmp_ringbuf_read("rb2", 100, false, 0, &error_abort);
    g_assert_cmpstr(c, ==, "defghij");
    qemu_chr_delete(chr);
}

static void test_ringbuf_errors(void)
{
    Error *err = NULL;
    Chardev *chr;

    chr = qemu_chr_new_from_string("ringbuf,id=rb3,size=1000", NULL, &err);
    g_assert_null(chr);
    g_assert_nonnull(strstr(error_get_pretty(err), "power of two"));
    g_clear_pointer(&err, error_free);

    chr = qemu_chr_new_from_string("null,id=nul0", NULL, &error_abort);
    g_assert_null(qmp_ringbuf_read("nul0", 1, false, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "nul0 is not a ringbuf device");
    g_clear_pointer(&err, error_free);
    g_assert_null(qmp_ringbuf_read("nosuch", 1, false, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Device 'nosuch' not found");
    g_clear_pointer(&err, error_free);
    qemu_chr_delete(chr);
}

/* Options and creation errors */

static void test_opts_errors(void)
{
    Error *err = NULL;

    g_assert_null(qemu_chr_new_from_string("null,id=x,bogus=1", NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'bogus'"));
    g_clear_pointer(&err, error_free);

    g_assert_null(qemu_chr_new_from_string("nosuch,id=x", NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "'nosuch' is not a valid char driver name "
                    "(see -chardev help)");
    g_clear_pointer(&err, error_free);

    g_assert_null(qemu_chr_new_from_string("null", NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "no id"));
    g_clear_pointer(&err, error_free);

    g_assert_null(qemu_chr_new_from_string(
                      "socket,id=x,path=/nonexistent/s,wait=off", NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "'wait' option is "
                    "incompatible with socket in client connect mode");
    g_clear_pointer(&err, error_free);

    g_assert_null(qemu_chr_new_from_string("file,id=x", NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "path="));
    g_clear_pointer(&err, error_free);
}

static void test_opts_duplicate(void)
{
    Chardev *chr = qemu_chr_new_from_string("null,id=dup", NULL,
                                            &error_abort);
    Error *err = NULL;

    g_assert_true(qemu_chr_find("dup") == chr);
    g_assert_null(qemu_chr_new_from_string("null,id=dup", NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Duplicate ID 'dup' for chardev");
    error_free(err);
    qemu_chr_delete(chr);
    g_assert_null(qemu_chr_find("dup"));
}

/* One front end per chardev unless it is a mux. */
static void test_fe_in_use(void)
{
    Chardev *chr = qemu_chr_new_from_string("null,id=busy", NULL,
                                            &error_abort);
    CharBackend a = { 0 }, b = { 0 };
    Error *err = NULL;

    g_assert_true(qemu_chr_fe_init(&a, chr, &error_abort));
    g_assert_false(qemu_chr_fe_init(&b, chr, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "already in use"));
    error_free(err);
    g_assert_true(qemu_chr_fe_backend_connected(&a));
    g_assert_true(qemu_chr_fe_get_driver(&a) == chr);
    g_assert_cmpint(qemu_chr_fe_write(&a, (const uint8_t *)"x", 1), ==, 1);
    qemu_chr_fe_deinit(&a, true);
    g_assert_false(qemu_chr_fe_backend_connected(&a));
}

typedef struct QueryState {
    int count;
    bool saw_ring, ring_fe_open;
} QueryState;

static void query_one(Chardev *chr, void *opaque)
{
    QueryState *q = opaque;

    q->count++;
    if (!strcmp(chr->label, "q1")) {
        q->saw_ring = !strcmp(chr->filename, "ringbuf");
        q->ring_fe_open = qemu_chr_frontend_open(chr);
    }
}

/* Chardevs are QOM objects under /chardevs. */
static void test_qom(void)
{
    Chardev *rb = qemu_chr_new_from_string("memory,id=qm0", NULL,
                                           &error_abort);
    Chardev *nul = qemu_chr_new_from_string("null,id=qm1", NULL,
                                            &error_abort);

    g_assert_true(object_resolve_path("/chardevs/qm0", NULL) == OBJECT(rb));
    g_assert_cmpstr(object_get_typename(OBJECT(rb)), ==, "chardev-memory");
    g_assert_true(qemu_chr_is_type(rb, "ringbuf"));
    g_assert_false(qemu_chr_is_type(nul, "ringbuf"));
    g_assert_nonnull(object_dynamic_cast(OBJECT(nul), TYPE_CHARDEV));
    qemu_chr_delete(rb);
    g_assert_null(object_resolve_path("/chardevs/qm0", NULL));
    qemu_chr_delete(nul);
}

/* -chardev help and -chardev BACKEND,help print and create nothing. */
static void test_help(void)
{
    if (g_test_subprocess()) {
        Error *err = NULL;

        g_assert_null(qemu_chr_new_from_string("help", NULL, &err));
        g_assert_null(err);
        g_assert_null(qemu_chr_new_from_string("socket,help", NULL, &err));
        g_assert_null(err);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("Available chardev backend types: \n*"
                              "  pty\n*  ringbuf\n*  socket\n*  stdio\n*"
                              "socket options:\n*  server\n*  reconnect\n*");
}

/* -chardev through QemuOpts, as the command line parses it. */
static void test_qemu_opts(void)
{
    QemuOpts *opts = qemu_opts_parse(&qemu_chardev_opts,
                                     "ringbuf,id=qo0,size=4K", true,
                                     &error_abort);
    Chardev *chr = qemu_chr_new_from_opts(opts, NULL, &error_abort);
    Error *err = NULL;

    g_assert_nonnull(chr);
    g_assert_true(qemu_chr_find("qo0") == chr);
    qemu_opts_del(opts);
    qemu_chr_delete(chr);

    opts = qemu_opts_parse(&qemu_chardev_opts, "pty,id=qo1,sizee=4", true,
                           &error_abort);
    g_assert_null(qemu_chr_new_from_opts(opts, NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'sizee'"));
    error_free(err);
    qemu_opts_del(opts);
}

static void test_query(void)
{
    Chardev *chr = qemu_chr_new_from_string("ringbuf,id=q1", NULL,
                                            &error_abort);
    QueryState q = { 0 };
    FeState fe;

    qemu_chr_foreach(query_one, &q);
    g_assert_cmpint(q.count, ==, 1);
    g_assert_true(q.saw_ring);
    g_assert_false(q.ring_fe_open);

    fe_attach(&fe, chr);
    memset(&q, 0, sizeof(q));
    qemu_chr_foreach(query_one, &q);
    g_assert_true(q.ring_fe_open);
    fe_detach(&fe, true);
}

/* file */

static char *slurp(const char *path)
{
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static void test_file(void)
{
    g_autofree char *path = tmp_path("file");
    g_autofree char *spec = g_strdup_printf("file,id=f0,path=%s", path);
    g_autofree char *spec_app = g_strdup_printf("%s,append=on", spec);
    g_autofree char *t1 = NULL;
    g_autofree char *t2 = NULL;
    g_autofree char *t3 = NULL;
    FeState fe;

    g_assert_true(g_file_set_contents(path, "old\n", -1, NULL));

    /* Without append the file is truncated. */
    fe_attach(&fe, qemu_chr_new_from_string(spec, NULL, &error_abort));
    g_assert_true(qemu_chr_fe_backend_open(&fe.be));
    qemu_chr_fe_printf(&fe.be, "one %d\n", 1);
    fe_detach(&fe, true);
    t1 = slurp(path);
    g_assert_cmpstr(t1, ==, "one 1\n");

    /* append=on keeps what is there. */
    fe_attach(&fe, qemu_chr_new_from_string(spec_app, NULL, &error_abort));
    g_assert_cmpint(qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"two\n",
                                          4), ==, 4);
    fe_detach(&fe, true);
    t2 = slurp(path);
    g_assert_cmpstr(t2, ==, "one 1\ntwo\n");

    /* The legacy spelling reaches the same backend. */
    g_autofree char *legacy = g_strdup_printf("file:%s", path);
    Chardev *chr = qemu_chr_new("f1", legacy, NULL);

    g_assert_nonnull(chr);
    g_assert_true(qemu_chr_is_type(chr, "file"));
    qemu_chr_delete(chr);
    t3 = slurp(path);
    g_assert_cmpstr(t3, ==, "");
    unlink(path);
}

/* pipe */

static void test_pipe(void)
{
    g_autofree char *base = tmp_path("pipe");
    g_autofree char *in = g_strdup_printf("%s.in", base);
    g_autofree char *out = g_strdup_printf("%s.out", base);
    g_autofree char *spec = g_strdup_printf("pipe,id=p0,path=%s", base);
    char buf[8] = "";
    int fd_in, fd_out;
    FeState fe;

    g_assert_cmpint(mkfifo(in, 0600), ==, 0);
    g_assert_cmpint(mkfifo(out, 0600), ==, 0);
    fe_attach(&fe, qemu_chr_new_from_string(spec, NULL, &error_abort));
    fd_in = open(in, O_WRONLY);
    fd_out = open(out, O_RDONLY);
    g_assert_cmpint(fd_in, >=, 0);
    g_assert_cmpint(fd_out, >=, 0);

    /* Host -> front end through PATH.in */
    write_str(fd_in, "ping");
    wait_rx(&fe, 4);
    g_assert_true(fe_rx_is(&fe, "ping"));

    /* Front end -> host through PATH.out */
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"pong", 4),
                    ==, 4);
    read_exact(fd_out, buf, 4);
    g_assert_cmpstr(buf, ==, "pong");

    close(fd_in);
    close(fd_out);
    fe_detach(&fe, true);
    unlink(in);
    unlink(out);
}

/* socket */

static int unix_client(const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    return fd;
}

static int tcp_client(int port)
{
    struct sockaddr_in in = {
        .sin_family = AF_INET,
        .sin_port = htons(port),
        .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
    };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(connect(fd, (struct sockaddr *)&in, sizeof(in)), ==, 0);
    return fd;
}

/* A connected client exchanges data both ways with the front end. */
static void exchange(FeState *fe, int fd)
{
    char buf[8] = "";

    g_byte_array_set_size(fe->rx, 0);
    write_str(fd, "hi!");
    wait_rx(fe, 3);
    g_assert_true(fe_rx_is(fe, "hi!"));
    g_assert_cmpint(qemu_chr_fe_write_all(&fe->be, (const uint8_t *)"ok",
                                          2), ==, 2);
    read_exact(fd, buf, 2);
    g_assert_cmpstr(buf, ==, "ok");
}

/* Server: client, data, peer closes -> CLOSED, a second client works. */
static void server_cycle(FeState *fe, int (*connect_fn)(const void *),
                         const void *addr)
{
    Chardev *chr = qemu_chr_fe_get_driver(&fe->be);
    int fd;

    g_assert_true(g_str_has_prefix(chr->filename, "disconnected:"));
    g_assert_false(qemu_chr_fe_backend_open(&fe->be));

    fd = connect_fn(addr);
    wait_count(&fe->opened, 1);
    g_assert_false(g_str_has_prefix(chr->filename, "disconnected:"));
    exchange(fe, fd);

    close(fd);
    wait_count(&fe->closed, 1);
    g_assert_true(g_str_has_prefix(chr->filename, "disconnected:"));

    fd = connect_fn(addr);
    wait_count(&fe->opened, 2);
    exchange(fe, fd);
    close(fd);
    wait_count(&fe->closed, 2);
}

static int connect_unix(const void *addr)
{
    return unix_client(addr);
}

static void test_socket_unix_server(void)
{
    g_autofree char *path = tmp_path("sock");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=s0,path=%s,server=on,wait=off", path);
    g_autofree char *want = g_strdup_printf(
        "disconnected:unix:%s,server=on", path);
    Chardev *chr = qemu_chr_new_from_string(spec, NULL, &error_abort);
    FeState fe;

    g_assert_cmpstr(chr->filename, ==, want);
    fe_attach(&fe, chr);
    server_cycle(&fe, connect_unix, path);
    fe_detach(&fe, true);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

static int connect_tcp(const void *addr)
{
    return tcp_client(*(const int *)addr);
}

static int filename_port(Chardev *chr)
{
    const char *colon = strrchr(chr->filename, ':');

    g_assert_nonnull(colon);
    return atoi(colon + 1);
}

static void test_socket_tcp_server(void)
{
    Chardev *chr = qemu_chr_new_from_string(
        "socket,id=s1,host=127.0.0.1,port=0,server=on,wait=off,nodelay=on",
        NULL, &error_abort);
    int port = filename_port(chr);
    FeState fe;

    g_assert_true(g_str_has_prefix(chr->filename,
                                   "disconnected:tcp:127.0.0.1:"));
    g_assert_true(g_str_has_suffix(chr->filename, ",server=on"));
    g_assert_cmpint(port, >, 0);
    fe_attach(&fe, chr);
    server_cycle(&fe, connect_tcp, &port);
    fe_detach(&fe, true);
}

/* A listening socket of the test's own, for client-mode chardevs. */
static int test_listen_unix(const char *path)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    unlink(path);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    return fd;
}

static void test_socket_client_reconnect(void)
{
    g_autofree char *path = tmp_path("srv");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=c0,path=%s,reconnect=1", path);
    int lfd = test_listen_unix(path);
    FeState fe;
    int fd;

    /* Connected at creation: the front end sees OPENED on attach. */
    fe_attach(&fe, qemu_chr_new_from_string(spec, NULL, &error_abort));
    g_assert_cmpint(fe.opened, ==, 1);
    fd = accept(lfd, NULL, NULL);
    exchange(&fe, fd);

    /* The server drops us: CLOSED, then a new connection within ~1 s. */
    close(fd);
    wait_count(&fe.closed, 1);
    g_assert_true(g_str_has_prefix(qemu_chr_fe_get_driver(&fe.be)->filename,
                                   "disconnected:unix:"));
    wait_count(&fe.opened, 2);
    fd = accept(lfd, NULL, NULL);
    exchange(&fe, fd);

    close(fd);
    close(lfd);
    fe_detach(&fe, true);
    unlink(path);
}

static void test_socket_client_fail(void)
{
    Error *err = NULL;

    g_assert_null(qemu_chr_new_from_string(
                      "socket,id=cfail,path=/nonexistent/machina.sock", NULL,
                      &err));
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(error_get_pretty(err),
                                   "chardev 'cfail': Failed to connect"));
    error_free(err);
}

/* server=on,wait=on blocks in creation until a client connects. */
static gpointer late_client(gpointer opaque)
{
    g_usleep(200 * 1000);
    return GINT_TO_POINTER(unix_client(opaque));
}

static void test_socket_server_wait(void)
{
    g_autofree char *path = tmp_path("wait");
    g_autofree char *spec = g_strdup_printf("socket,id=w0,path=%s,server=on",
                                            path);
    g_autofree char *want = g_strdup_printf("unix:%s,server=on", path);
    GThread *t = g_thread_new("client", late_client, path);
    Chardev *chr = qemu_chr_new_from_string(spec, NULL, &error_abort);
    int fd = GPOINTER_TO_INT(g_thread_join(t));
    FeState fe;

    g_assert_cmpstr(chr->filename, ==, want);
    fe_attach(&fe, chr);
    g_assert_cmpint(fe.opened, ==, 1);
    exchange(&fe, fd);
    close(fd);
    fe_detach(&fe, true);
}

/* Legacy specs as -serial / -qmp take them. */
static void test_legacy(void)
{
    g_autofree char *path = tmp_path("leg");
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            path);
    g_autofree char *want = g_strdup_printf("disconnected:unix:%s,server=on",
                                            path);
    Error *err = NULL;
    bool is_mon;
    Chardev *chr;

    chr = qemu_chr_new_legacy("l0", spec, &is_mon, NULL, &error_abort);
    g_assert_false(is_mon);
    g_assert_cmpstr(chr->filename, ==, want);
    g_assert_true(qemu_chr_new_legacy("l9", "chardev:l0", &is_mon, NULL,
                                      &error_abort) == chr);
    qemu_chr_delete(chr);

    chr = qemu_chr_new_legacy("l1", "tcp:127.0.0.1:0,server=on,wait=off",
                              &is_mon, NULL, &error_abort);
    g_assert_true(g_str_has_prefix(chr->filename,
                                   "disconnected:tcp:127.0.0.1:"));
    qemu_chr_delete(chr);

    /* mon: puts the backend behind a mux named after the label. */
    chr = qemu_chr_new_legacy("l2", "mon:null", &is_mon, NULL, &error_abort);
    g_assert_true(is_mon);
    g_assert_true(qemu_chr_is_type(chr, "mux"));
    g_assert_nonnull(qemu_chr_find("l2-base"));
    qemu_chr_cleanup();

    /* No monitor in this program: mon: fails and leaves nothing behind. */
    g_assert_null(qemu_chr_new("l4", "mon:null", NULL));
    g_assert_null(qemu_chr_find("l4"));
    g_assert_null(qemu_chr_find("l4-base"));

    g_assert_null(qemu_chr_new_legacy("l3", "vc:80x24", &is_mon, NULL, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "'vc:80x24'"));
    error_free(err);
}

/* pty */

static void test_pty(void)
{
    Chardev *chr = qemu_chr_new_from_string("pty,id=pt0", NULL,
                                            &error_abort);
    const char *slave_name = chr->filename + 4;
    char buf[8] = "";
    FeState fe;
    int fd;

    g_assert_true(g_str_has_prefix(chr->filename, "pty:/dev/pts/"));
    fe_attach(&fe, chr);
    g_assert_cmpint(fe.opened, ==, 0);

    /* Nobody on the slave: output is dropped, not queued. */
    g_assert_cmpint(qemu_chr_fe_write(&fe.be, (const uint8_t *)"lost", 4),
                    ==, 4);

    fd = open(slave_name, O_RDWR | O_NOCTTY);
    g_assert_cmpint(fd, >=, 0);
    wait_count(&fe.opened, 1);

    write_str(fd, "abc");
    wait_rx(&fe, 3);
    g_assert_true(fe_rx_is(&fe, "abc"));
    g_assert_cmpint(qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"xyz", 3),
                    ==, 3);
    read_exact(fd, buf, 3);
    g_assert_cmpstr(buf, ==, "xyz");

    close(fd);
    wait_count(&fe.closed, 1);
    fe_detach(&fe, true);
}

/* mux */

typedef struct MuxTest {
    Chardev *mux;
    Chardev *base;
    FeState a, b;               /* a: attached first (the "monitor") */
} MuxTest;

static void mux_setup(MuxTest *t)
{
    t->mux = qemu_chr_new_from_string("ringbuf,id=mx,mux=on", NULL,
                                      &error_abort);
    t->base = qemu_chr_find("mx-base");
    g_assert_true(qemu_chr_is_type(t->mux, "mux"));
    g_assert_nonnull(t->base);
    fe_attach(&t->a, t->mux);
    fe_attach(&t->b, t->mux);
}

static void mux_teardown(MuxTest *t)
{
    fe_detach(&t->a, false);
    fe_detach(&t->b, false);
    qemu_chr_cleanup();
}

/* Keys typed on the host side of the mux. */
static void mux_type(MuxTest *t, const char *keys)
{
    qemu_chr_be_write(t->base, (const uint8_t *)keys, strlen(keys));
}

static char *mux_output(void)
{
    return qmp_ringbuf_read("mx-base", 4096, false, 0, &error_abort);
}

static void test_mux_focus(void)
{
    MuxTest t;
    g_autofree char *out = NULL;

    mux_setup(&t);

    /* The last front end attached has the focus. */
    g_assert_cmpint(t.b.mux_in, ==, 1);
    g_assert_cmpint(t.a.mux_out, ==, 1);
    mux_type(&t, "ls");
    g_assert_true(fe_rx_is(&t.b, "ls"));
    g_assert_true(fe_rx_is(&t.a, ""));

    /* Ctrl-a c moves it; the escape itself reaches nobody. */
    mux_type(&t, "\001cinfo");
    g_assert_true(fe_rx_is(&t.a, "info"));
    g_assert_true(fe_rx_is(&t.b, "ls"));
    g_assert_cmpint(t.b.mux_out, ==, 1);
    g_assert_cmpint(t.a.mux_in, ==, 2);

    /* ... and back; Ctrl-a Ctrl-a is a literal Ctrl-a. */
    mux_type(&t, "\001c\001\001");
    g_assert_true(fe_rx_is(&t.b, "ls\001"));

    /* Ctrl-a b is a break to the front ends. */
    mux_type(&t, "\001b");
    g_assert_cmpint(t.b.brk, ==, 1);

    /* Both front ends' output reaches the shared backend. */
    qemu_chr_fe_write_all(&t.a.be, (const uint8_t *)"A", 1);
    qemu_chr_fe_write_all(&t.b.be, (const uint8_t *)"B", 1);
    out = mux_output();
    g_assert_cmpstr(out, ==, "AB");
    mux_teardown(&t);
}

static void test_mux_help_quit(void)
{
    MuxTest t;
    g_autofree char *help = NULL;
    g_autofree char *bye = NULL;

    mux_setup(&t);
    mux_type(&t, "\001h");
    help = mux_output();
    g_assert_cmpstr(help, ==,
                    "\n\r"
                    "C-a h    print this help\n\r"
                    "C-a x    exit emulator\n\r"
                    "C-a s    save disk data back to file (if -snapshot)\n\r"
                    "C-a t    toggle console timestamps\n\r"
                    "C-a b    send break (magic sysrq)\n\r"
                    "C-a c    switch between console and monitor\n\r"
                    "C-a C-a  sends C-a\n\r");
    g_assert_cmpint(t.b.rx->len, ==, 0);

    shutdown_requests = 0;
    mux_type(&t, "\001x");
    g_assert_cmpint(shutdown_requests, ==, 1);
    g_assert_cmpint(shutdown_cause, ==, SHUTDOWN_CAUSE_HOST_UI);
    bye = mux_output();
    g_assert_cmpstr(bye, ==, "QEMU: Terminated\n\r");
    mux_teardown(&t);
}

static void test_mux_timestamps(void)
{
    MuxTest t;
    g_autofree char *out = NULL;

    mux_setup(&t);
    mux_type(&t, "\001t");
    qemu_chr_fe_write_all(&t.b.be, (const uint8_t *)"a\nb", 3);
    out = mux_output();
    /* The first line continues; the next one gets a stamp. */
    g_assert_true(g_regex_match_simple(
                      "^a\n\\[00:00:00\\.\\d\\d\\d\\] b$", out, 0, 0));
    mux_teardown(&t);
}

/* A front end that cannot read gets input only once it can. */
static void test_mux_buffer(void)
{
    MuxTest t;

    mux_setup(&t);
    t.b.can_read = 0;
    mux_type(&t, "xyz");
    g_assert_cmpint(t.b.rx->len, ==, 0);
    t.b.can_read = 10;
    qemu_chr_fe_accept_input(&t.b.be);
    g_assert_true(fe_rx_is(&t.b, "xyz"));
    mux_teardown(&t);
}

/*
 * Front ends of a mux hear OPENED only once the machine is built
 * (qemu_chr_open_muxes), all of them, once.  In a subprocess: the
 * "machine built" state is global.
 */
static void test_mux_opened(void)
{
    MuxTest t;

    if (!g_test_subprocess()) {
        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_passed();
        return;
    }
    mux_setup(&t);
    loop_for(10);
    g_assert_cmpint(t.a.opened + t.b.opened, ==, 0);
    g_assert_false(qemu_chr_fe_backend_open(&t.a.be));

    qemu_chr_open_muxes();
    g_assert_cmpint(t.a.opened, ==, 1);
    g_assert_cmpint(t.b.opened, ==, 1);
    qemu_chr_open_muxes();
    g_assert_cmpint(t.a.opened, ==, 1);

    /* A front end attached later hears it at once. */
    FeState c;

    fe_attach(&c, t.mux);
    g_assert_cmpint(c.opened, ==, 1);
    g_assert_cmpint(t.a.opened + t.b.opened, ==, 2);
    fe_detach(&c, false);
    mux_teardown(&t);
}

static void test_mux_too_many(void)
{
    Chardev *chr = qemu_chr_new_from_string("null,id=m5,mux=on", NULL,
                                            &error_abort);
    CharBackend be[5] = { 0 };
    Error *err = NULL;

    for (int i = 0; i < 4; i++) {
        g_assert_true(qemu_chr_fe_init(&be[i], chr, &error_abort));
    }
    g_assert_false(qemu_chr_fe_init(&be[4], chr, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "maximum is 4"));
    error_free(err);
    for (int i = 0; i < 4; i++) {
        qemu_chr_fe_deinit(&be[i], false);
    }
    qemu_chr_cleanup();
}

/* Backpressure */

static void test_backpressure_read(void)
{
    g_autofree char *path = tmp_path("bp");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=bp0,path=%s,server=on,wait=off", path);
    FeState fe;
    int fd;

    fe_attach(&fe, qemu_chr_new_from_string(spec, NULL, &error_abort));
    fd = unix_client(path);
    wait_count(&fe.opened, 1);

    /*
     * can_read 0: the bytes stay in the socket, and the fd is out of the
     * poll set, so the loop sleeps instead of spinning on a readable fd
     * (the 10 ms tick of loop_for allows ~10 iterations; a spin makes
     * thousands).
     */
    fe.can_read = 0;
    write_str(fd, "0123456789");
    loop_for(20);
    fe.can_read_calls = 0;
    loop_for(100);
    g_assert_cmpint(fe.rx->len, ==, 0);
    g_assert_cmpint(fe.can_read_calls, <, 100);

    /* Room for 3 at a time: delivered in pieces of at most 3. */
    fe.can_read = 3;
    qemu_chr_fe_accept_input(&fe.be);
    wait_rx(&fe, 10);
    g_assert_true(fe_rx_is(&fe, "0123456789"));
    g_assert_cmpint(fe.max_chunk, ==, 3);

    close(fd);
    fe_detach(&fe, true);
}

static gboolean watch_fired(void *do_not_use, GIOCondition cond, void *data)
{
    *(int *)data += 1;
    return G_SOURCE_REMOVE;
}

static void test_backpressure_write(void)
{
    g_autofree char *path = tmp_path("bpw");
    g_autofree char *spec = g_strdup_printf(
        "socket,id=bp1,path=%s,server=on,wait=off", path);
    static uint8_t chunk[65536];
    uint8_t sink[65536];
    int fired = 0;
    long total = 0;
    FeState fe;
    int fd, n;

    fe_attach(&fe, qemu_chr_new_from_string(spec, NULL, &error_abort));
    fd = unix_client(path);
    wait_count(&fe.opened, 1);

    /* The client does not read: writes get short, then refused. */
    while ((n = qemu_chr_fe_write(&fe.be, chunk, sizeof(chunk))) > 0) {
        total += n;
        g_assert_cmpint(total, <, 64 * MiB);
    }
    g_assert_cmpint(n, ==, -1);
    g_assert_cmpint(errno, ==, EAGAIN);
    g_assert_cmpint(total, >, 0);

    /* The watch fires only once the client drains. */
    g_assert_cmpint(qemu_chr_fe_add_watch(&fe.be, G_IO_OUT | G_IO_HUP,
                                          watch_fired, &fired), >, 0);
    loop_for(50);
    g_assert_cmpint(fired, ==, 0);
    while (total > 0) {
        n = read(fd, sink, sizeof(sink));
        g_assert_cmpint(n, >, 0);
        total -= n;
    }
    wait_count(&fired, 1);

    close(fd);
    fe_detach(&fe, true);
}

/* stdio on a pty pair */

static void test_stdio_raw(void)
{
    struct termios before, during, after;
    int master, slave, saved0, saved1;
    Error *err = NULL;
    Chardev *chr;

    g_assert_cmpint(openpty(&master, &slave, NULL, NULL, NULL), ==, 0);
    tcgetattr(slave, &before);
    g_assert_true(before.c_lflag & ICANON);
    fflush(stdout);
    saved0 = dup(0);
    saved1 = dup(1);
    dup2(slave, 0);
    dup2(slave, 1);

    chr = qemu_chr_new_from_string("stdio,id=io0,signal=off", NULL,
                                   &error_abort);
    tcgetattr(slave, &during);
    g_assert_null(qemu_chr_new_from_string("stdio,id=io1", NULL, &err));
    qemu_chr_delete(chr);
    tcgetattr(slave, &after);

    dup2(saved0, 0);
    dup2(saved1, 1);
    close(saved0);
    close(saved1);

    /* Raw while open: no echo, no line editing, no signals, OPOST kept. */
    g_assert_false(during.c_lflag & (ICANON | ECHO | ISIG));
    g_assert_false(during.c_iflag & ICRNL);
    g_assert_true(during.c_oflag & OPOST);
    g_assert_nonnull(strstr(error_get_pretty(err), "multiple"));
    error_free(err);
    /* Restored afterwards. */
    g_assert_cmpint(after.c_lflag, ==, before.c_lflag);
    g_assert_cmpint(after.c_iflag, ==, before.c_iflag);
    close(master);
    close(slave);
}

/* stdio on pipes: no terminal calls, data both ways, EOF is CLOSED. */
static void test_stdio_pipe(void)
{
    int in[2], out[2], saved0, saved1;
    char buf[8] = "";
    bool got_key;
    FeState fe;

    g_assert_cmpint(pipe(in), ==, 0);
    g_assert_cmpint(pipe(out), ==, 0);
    fflush(stdout);
    saved0 = dup(0);
    saved1 = dup(1);
    dup2(in[0], 0);
    dup2(out[1], 1);

    fe_attach(&fe, qemu_chr_new_from_string("stdio,id=io3", NULL,
                                            &error_abort));
    write_str(in[1], "key");
    wait_rx(&fe, 3);
    got_key = fe_rx_is(&fe, "key");
    qemu_chr_fe_write_all(&fe.be, (const uint8_t *)"out", 3);
    close(in[1]);
    wait_count(&fe.closed, 1);
    fe_detach(&fe, true);

    dup2(saved0, 0);
    dup2(saved1, 1);
    close(saved0);
    close(saved1);
    g_assert_true(got_key);
    read_exact(out[0], buf, 3);
    g_assert_cmpstr(buf, ==, "out");
    close(in[0]);
    close(out[0]);
    close(out[1]);
}

/* Read from @fd until @want has been seen (5 s limit). */
static bool read_until(int fd, const char *want)
{
    g_autoptr(GString) got = g_string_new(NULL);
    gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    while (!strstr(got->str, want) && g_get_monotonic_time() < end) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        char buf[256];
        ssize_t n;

        main_loop_wait(true);
        if (poll(&pfd, 1, 10) == 1 && (n = read(fd, buf, sizeof(buf))) > 0) {
            g_string_append_len(got, buf, n);
        }
    }
    return strstr(got->str, want) != NULL;
}

/*
 * stdio,mux=on on a terminal, keys typed on the terminal: the path of
 * -serial mon:stdio, short of the monitor itself.
 */
static void test_stdio_mux_keys(void)
{
    int master, slave, saved0, saved1;
    bool keys_ok, help_seen, bye_seen;
    FeState serial, monitor;
    Chardev *chr;

    g_assert_cmpint(openpty(&master, &slave, NULL, NULL, NULL), ==, 0);
    fflush(stdout);
    saved0 = dup(0);
    saved1 = dup(1);
    dup2(slave, 0);
    dup2(slave, 1);

    chr = qemu_chr_new_from_string("stdio,id=con,mux=on,signal=off", NULL,
                                   &error_abort);
    fe_attach(&monitor, chr);
    fe_attach(&serial, chr);
    qemu_chr_open_muxes();

    /* Keys go to the serial port until Ctrl-a c. */
    write_str(master, "ab\001cq\003");
    wait_rx(&monitor, 2);
    keys_ok = fe_rx_is(&serial, "ab") && fe_rx_is(&monitor, "q\003");

    /* Help on the terminal ("\n" shows as "\r\n": output is cooked). */
    write_str(master, "\001h");
    help_seen = read_until(master, "C-a x    exit emulator");
    shutdown_requests = 0;
    write_str(master, "\001x");
    bye_seen = read_until(master, "QEMU: Terminated");

    fe_detach(&serial, false);
    fe_detach(&monitor, false);
    qemu_chr_cleanup();
    dup2(saved0, 0);
    dup2(saved1, 1);
    close(saved0);
    close(saved1);

    g_assert_true(keys_ok);
    g_assert_true(help_seen);
    g_assert_true(bye_seen);
    g_assert_cmpint(shutdown_requests, ==, 1);
    close(master);
    close(slave);
}

/* With signals allowed (the default), ISIG stays so Ctrl-C is SIGINT. */
static void test_stdio_signal(void)
{
    struct termios during;
    int master, slave, saved0;
    Chardev *chr;

    g_assert_cmpint(openpty(&master, &slave, NULL, NULL, NULL), ==, 0);
    saved0 = dup(0);
    dup2(slave, 0);
    chr = qemu_chr_new_from_string("stdio,id=io2", NULL, &error_abort);
    tcgetattr(slave, &during);
    qemu_chr_delete(chr);
    dup2(saved0, 0);
    close(saved0);

    g_assert_true(during.c_lflag & ISIG);
    g_assert_false(during.c_lflag & ICANON);
    close(master);
    close(slave);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    signal(SIGPIPE, SIG_IGN);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();

    g_test_add_func("/char/ringbuf/utf8", test_ringbuf_utf8);
    g_test_add_func("/char/ringbuf/base64", test_ringbuf_base64);
    g_test_add_func("/char/ringbuf/wrap", test_ringbuf_wrap);
    g_test_add_func("/char/ringbuf/errors", test_ringbuf_errors);
    g_test_add_func("/char/opts/errors", test_opts_errors);
    g_test_add_func("/char/opts/duplicate", test_opts_duplicate);
    g_test_add_func("/char/fe/in-use", test_fe_in_use);
    g_test_add_func("/char/query", test_query);
    g_test_add_func("/char/qom", test_qom);
    g_test_add_func("/char/help", test_help);
    g_test_add_func("/char/qemu-opts", test_qemu_opts);
    g_test_add_func("/char/legacy", test_legacy);
    g_test_add_func("/char/file", test_file);
    g_test_add_func("/char/pipe", test_pipe);
    g_test_add_func("/char/socket/unix-server", test_socket_unix_server);
    g_test_add_func("/char/socket/tcp-server", test_socket_tcp_server);
    g_test_add_func("/char/socket/server-wait", test_socket_server_wait);
    g_test_add_func("/char/socket/client-reconnect",
                    test_socket_client_reconnect);
    g_test_add_func("/char/socket/client-fail", test_socket_client_fail);
    g_test_add_func("/char/pty", test_pty);
    g_test_add_func("/char/mux/focus", test_mux_focus);
    g_test_add_func("/char/mux/help-quit", test_mux_help_quit);
    g_test_add_func("/char/mux/timestamps", test_mux_timestamps);
    g_test_add_func("/char/mux/buffer", test_mux_buffer);
    g_test_add_func("/char/mux/too-many", test_mux_too_many);
    g_test_add_func("/char/mux/opened", test_mux_opened);
    g_test_add_func("/char/backpressure/read", test_backpressure_read);
    g_test_add_func("/char/backpressure/write", test_backpressure_write);
    g_test_add_func("/char/stdio/raw", test_stdio_raw);
    g_test_add_func("/char/stdio/signal", test_stdio_signal);
    g_test_add_func("/char/stdio/pipe", test_stdio_pipe);
    g_test_add_func("/char/stdio/mux-keys", test_stdio_mux_keys);
    return g_test_run();
}
