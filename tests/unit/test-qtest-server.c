/*
 * test-qtest-server.c: the qtest protocol server in-process, without a
 * board: RAM at 0x80000000, a device with GPIO lines, VIRTUAL timers.
 * The test is the client: it listens on a socket, the server connects
 * ("-qtest unix:PATH"), and each command is answered while the test
 * turns the main loop (the server runs in it with the big lock).
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "exec/memory.h"
#include "hw/qdev-core.h"
#include "hw/irq.h"
#include "qom/object.h"
#include "sysemu/qtest.h"

#include <sys/socket.h>
#include <sys/un.h>

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE 0x10000

/* ---- a device with 4 unnamed inputs, 2 outputs, 2 named inputs ---- */

#define TYPE_GPIO_DEV "qtest-gpio-dev"

typedef struct GpioDev {
    DeviceState parent_obj;
    int in_level[4];
    qemu_irq out[2];
} GpioDev;

#define GPIO_DEV(obj) OBJECT_CHECK(GpioDev, obj, TYPE_GPIO_DEV)

/* Input n is passed through to output n % 2. */
static void gpio_dev_in(void *opaque, int n, int level)
{
    GpioDev *s = opaque;

    s->in_level[n] = level;
    qemu_set_irq(s->out[n % 2], level);
}

static void gpio_dev_named_in(void *opaque, int n, int level)
{
    GpioDev *s = opaque;

    s->in_level[2 + n] = level + 100;
}

static void gpio_dev_init(Object *obj)
{
    GpioDev *s = GPIO_DEV(obj);

    qdev_init_gpio_in(DEVICE(s), gpio_dev_in, 4);
    qdev_init_gpio_in_named(DEVICE(s), gpio_dev_named_in, "aux", 2);
    qdev_init_gpio_out(DEVICE(s), s->out, 2);
}

static const TypeInfo gpio_dev_types[] = {
    {
        .name = TYPE_GPIO_DEV,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(GpioDev),
        .instance_init = gpio_dev_init,
    },
};

DEFINE_TYPES(gpio_dev_types)

/* ---- the client side ---- */

static int client_fd = -1;
static GString *client_rx;
static GpioDev *gpio_dev;
static char *log_path;

/* Send a line; return the reply lines (IRQ lines included) up to OK/FAIL. */
static char *cmd(const char *line)
{
    GString *reply = g_string_new(NULL);
    char *nl;

    g_assert_cmpint(send(client_fd, line, strlen(line), 0), ==,
                    strlen(line));
    g_assert_cmpint(send(client_fd, "\n", 1, 0), ==, 1);
    for (;;) {
        char buf[4096];
        ssize_t n;

        while ((nl = strchr(client_rx->str, '\n'))) {
            size_t len = nl - client_rx->str;
            bool irq = g_str_has_prefix(client_rx->str, "IRQ ");

            g_string_append_len(reply, client_rx->str, len);
            g_string_erase(client_rx, 0, len + 1);
            if (!irq) {
                return g_string_free(reply, false);
            }
            g_string_append_c(reply, '\n');
        }
        main_loop_wait(false);
        n = recv(client_fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (n > 0) {
            g_string_append_len(client_rx, buf, n);
        }
    }
}

static void expect(const char *line, const char *reply)
{
    char *got = cmd(line);

    g_assert_cmpstr(got, ==, reply);
    g_free(got);
}

static void expect_fail(const char *line)
{
    char *got = cmd(line);

    if (!g_str_has_prefix(got, "FAIL ")) {
        g_error("'%s' got '%s', expected FAIL <reason>", line, got);
    }
    g_free(got);
}

/* ---- timers that record when they ran ---- */

static GString *timer_log;

static void log_timer(void *opaque)
{
    g_string_append_printf(timer_log, "%s@%" PRId64 ";", (char *)opaque,
                           qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

static QEMUTimer *rearm_timer;

/* Re-arms itself 300 ns later, twice: chained deadlines in one step. */
static void rearm_cb(void *opaque)
{
    static int runs;

    log_timer(opaque);
    if (++runs < 3) {
        timer_mod_ns(rearm_timer,
                     qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + 300);
    }
}

/* ---- tests ---- */

static void test_memory(void)
{
    expect("endianness", "OK little");
    expect("writeq 0x80000000 0x1122334455667788", "OK");
    expect("readq 0x80000000", "OK 0x1122334455667788");
    expect("readl 0x80000000", "OK 0x0000000055667788");
    expect("readw 0x80000002", "OK 0x0000000000005566");
    expect("readb 0x80000007", "OK 0x0000000000000011");
    expect("read 0x80000000 8", "OK 0x8877665544332211");
    expect("b64read 0x80000000 8", "OK iHdmVUQzIhE=");
    expect("write 0x80000010 4 0xdeadbeef", "OK");
    expect("read 0x80000010 4", "OK 0xdeadbeef");
    expect("b64write 0x80000020 4 3q2+7w==", "OK");
    expect("read 0x80000020 4", "OK 0xdeadbeef");
    expect("memset 0x80000030 4 0xab", "OK");
    expect("read 0x80000030 6", "OK 0xabababab0000");
    expect("write 0x80000040 4 0xaa", "OK");
    expect("read 0x80000040 4", "OK 0xaa000000");
    expect("write 0x80001000 1 0x", "ERR invalid argument size");
    expect("writel 0x80000050 0x1ffffffff", "OK");
    expect("readq 0x80000050", "OK 0x00000000ffffffff");
    expect("writeb 2147483744 010", "OK");
    expect("readb 0x80000060", "OK 0x0000000000000008");

    /* b64write writes LEN bytes, zero-filling short data. */
    expect("memset 0x80000070 8 0xff", "OK");
    expect("b64write 0x80000070 4 qg==", "OK");
    expect("read 0x80000070 8", "OK 0xaa000000ffffffff");

    /* Unmapped memory reads as 0 here (no region); writes are dropped. */
    expect("writel 0x1000 5", "OK");
    expect("readl 0x1000", "OK 0x0000000000000000");
    expect("inb 0x0", "OK 0x00ff");
    expect("inw 0x2", "OK 0xffff");
    expect("inl 0x4", "OK 0xffffffff");
    expect("outl 0x4 0x1234", "OK");
}

static void test_malformed(void)
{
    expect_fail("readl");
    expect_fail("readl banana");
    expect_fail("readl 0x10zz");
    expect_fail("writel 0x80000000");
    expect_fail("read 0x80000000 0");
    expect_fail("read 0x80000000 -1");
    expect_fail("b64read 0x80000000 0");
    expect_fail("write 0x80000000 2 0xzz11");
    expect_fail("memset 0x80000000 2");
    expect_fail("inb 0x10000");
    expect_fail("clock_step -1");
    expect_fail("clock_step 1x");
    expect_fail("clock_set");
    expect_fail("set_irq_in /machine/unattached/device[0] unnamed-gpio-in");
    expect_fail("set_irq_in /machine/unattached/device[0] nosuch 0 1");
    expect_fail("set_irq_in /machine/unattached/device[0] "
                "unnamed-gpio-in 4 1");
    expect("bogus 1 2", "FAIL Unknown command 'bogus'");
    expect("module_load ui- curses", "FAIL");
    expect("set_irq_in /nosuch unnamed-gpio-in 0 1", "FAIL Unknown device");
    expect("irq_intercept_in /nosuch", "FAIL Unknown device");
    /* Two spaces make an empty word, as in QEMU. */
    expect_fail("readl  0x80000000");
    expect("readl 0x80000000\r", "OK 0x0000000055667788");
}

static void test_clock(void)
{
    QEMUTimer *a = timer_new_ns(QEMU_CLOCK_VIRTUAL, log_timer, (char *)"a");
    QEMUTimer *b = timer_new_ns(QEMU_CLOCK_VIRTUAL, log_timer, (char *)"b");

    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, 0);
    expect("clock_step", "OK 0");
    timer_mod_ns(a, 1000);
    timer_mod_ns(b, 2500);
    rearm_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, rearm_cb, (char *)"r");
    timer_mod_ns(rearm_timer, 1200);

    /* No argument: exactly to the next deadline, running that timer. */
    expect("clock_step", "OK 1000");
    g_assert_cmpstr(timer_log->str, ==, "a@1000;");

    /* Every timer due on the way, in deadline order, at its deadline. */
    expect("clock_step 2000", "OK 3000");
    g_assert_cmpstr(timer_log->str, ==,
                    "a@1000;r@1200;r@1500;r@1800;b@2500;");
    expect("clock_step", "OK 3000");
    expect("clock_set 2000", "OK 3000");
    expect("clock_set 0x2000", "OK 8192");
    expect("clock_step 10", "OK 8202");
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, 8202);
    expect("clock_step 9223372036854775807", "OK 9223372036854775807");
    timer_free(a);
    timer_free(b);
    timer_free(rearm_timer);
}

static void test_gpio(void)
{
    const char *path = "/machine/unattached/device[0]";
    char *line;

    expect("set_irq_in /machine/unattached/device[0] unnamed-gpio-in 3 1",
           "OK");
    g_assert_cmpint(gpio_dev->in_level[3], ==, 1);
    expect("set_irq_in /machine/unattached/device[0] aux 1 -7", "OK");
    g_assert_cmpint(gpio_dev->in_level[3], ==, 93);

    /* Outputs: 1 follows input 3 (already high: reported on change). */
    line = g_strdup_printf("irq_intercept_out %s", path);
    expect(line, "OK");
    expect(line, "OK");
    g_free(line);
    expect("irq_intercept_in /machine/unattached/device[1]",
           "FAIL IRQ intercept already enabled");
    expect("set_irq_in /machine/unattached/device[0] unnamed-gpio-in 0 1",
           "IRQ raise 0\nOK");
    expect("set_irq_in /machine/unattached/device[0] unnamed-gpio-in 2 1",
           "OK");
    expect("set_irq_in /machine/unattached/device[0] unnamed-gpio-in 3 5",
           "IRQ raise 1\nOK");
    expect("set_irq_in /machine/unattached/device[0] unnamed-gpio-in 3 0",
           "IRQ lower 1\nOK");
    expect("set_irq_in /machine/unattached/device[0] unnamed-gpio-in 0 0",
           "IRQ lower 0\nOK");
}

static void test_log(void)
{
    char *text;

    expect("readb 0x80000007", "OK 0x0000000000000011");
    g_assert_true(g_file_get_contents(log_path, &text, NULL, NULL));
    g_assert_true(g_str_has_prefix(text, "[I 0.000000] OPENED\n"));
    g_assert_true(g_regex_match_simple(
        "\\[R \\+[0-9]+\\.[0-9]{6}\\] readb 0x80000007\n"
        "\\[S \\+[0-9]+\\.[0-9]{6}\\] OK 0x0000000000000011\n$",
        text, 0, 0));
    g_assert_nonnull(strstr(text, "] IRQ raise 0\n"));
    g_free(text);
}

static void start_server(void)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char *dir = g_dir_make_tmp("qtest-server-XXXXXX", NULL);
    char *sock_path = g_build_filename(dir, "sock", NULL);
    char *spec = g_strdup_printf("unix:%s", sock_path);
    int listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    Error *err = NULL;

    strcpy(addr.sun_path, sock_path);
    g_assert_cmpint(bind(listen_fd, (void *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(listen_fd, 1), ==, 0);
    log_path = g_build_filename(dir, "log", NULL);

    g_assert_false(qtest_driver());
    g_assert_true(qtest_server_init(spec, log_path, &error_abort));
    g_assert_true(qtest_driver());
    client_fd = accept(listen_fd, NULL, NULL);
    g_assert_cmpint(client_fd, >=, 0);
    g_assert_false(qtest_server_init(spec, NULL, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Only one instance of qtest can be created");
    error_free(err);
    close(listen_fd);
    unlink(sock_path);
    g_free(sock_path);
    g_free(spec);
    g_free(dir);
}

static void make_board(void)
{
    static MemoryRegion ram;
    DeviceState *dev;

    memory_region_init_ram(&ram, NULL, "ram", RAM_SIZE, &error_abort);
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &ram);
    dev = qdev_new(TYPE_GPIO_DEV);
    qdev_realize(dev, NULL, &error_abort);
    gpio_dev = GPIO_DEV(dev);
    qdev_realize(qdev_new(TYPE_GPIO_DEV), NULL, &error_abort);
    g_assert_true(object_resolve_path("/machine/unattached/device[0]",
                                      NULL) == OBJECT(dev));
}

int main(int argc, char **argv)
{
    Error *err = NULL;

    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();
    client_rx = g_string_new(NULL);
    timer_log = g_string_new(NULL);

    /* A bad log path is refused before anything is opened. */
    g_assert_false(qtest_server_init("null", "/nonexistent/dir/log", &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "-qtest-log"));
    error_free(err);

    g_assert_false(qtest_enabled());
    qtest_accel_init();
    g_assert_true(qtest_enabled());
    make_board();
    start_server();

    /* Order matters: the tests share one server and one clock. */
    g_test_add_func("/qtest-server/memory", test_memory);
    g_test_add_func("/qtest-server/malformed", test_malformed);
    g_test_add_func("/qtest-server/clock", test_clock);
    g_test_add_func("/qtest-server/gpio", test_gpio);
    g_test_add_func("/qtest-server/log", test_log);
    return g_test_run();
}
