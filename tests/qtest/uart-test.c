/*
 * uart-test.c: the 16550A UART at 0x10000000 (PLIC source 10): reset
 * values, divisor latch, FIFOs and overrun in loopback, the interrupt
 * line (watched on the PLIC's input 10), and a round trip through a
 * socket chardev to the host.
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include "libqtest.h"
#include "riscv-virt.h"

#define UART_RBR    0   /* read; THR on write; DLL with DLAB */
#define UART_IER    1   /* DLM with DLAB */
#define UART_IIR    2   /* read; FCR on write */
#define UART_FCR    2
#define UART_LCR    3
#define UART_MCR    4
#define UART_LSR    5
#define UART_MSR    6
#define UART_SCR    7

#define UART_IER_RDI    0x01
#define UART_IER_THRI   0x02
#define UART_IIR_NO_INT 0x01
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_FIFO   0xc0
#define UART_FCR_ENABLE 0x01
#define UART_FCR_CLEAR  0x06
#define UART_LCR_DLAB   0x80
#define UART_LCR_8N1    0x03
#define UART_MCR_OUT2   0x08
#define UART_MCR_LOOP   0x10
#define UART_LSR_DR     0x01
#define UART_LSR_OE     0x02
#define UART_LSR_THRE   0x20
#define UART_LSR_TEMT   0x40

static uint8_t uart_in(QTestState *qts, int reg)
{
    return qtest_readb(qts, VIRT_UART0_BASE + reg);
}

static void uart_out(QTestState *qts, int reg, uint8_t val)
{
    qtest_writeb(qts, VIRT_UART0_BASE + reg, val);
}

static QTestState *start(const char *extra)
{
    QTestState *qts = qtest_initf("-M virt -nodefaults %s", extra);
    char *plic = virt_find_device(qts, "/machine/unattached",
                                  "riscv.sifive.plic");

    qtest_irq_intercept_in(qts, plic);
    g_free(plic);
    return qts;
}

static void test_reset_values(void)
{
    QTestState *qts = start("");

    g_assert_cmphex(uart_in(qts, UART_IER), ==, 0);
    g_assert_cmphex(uart_in(qts, UART_IIR), ==, UART_IIR_NO_INT);
    g_assert_cmphex(uart_in(qts, UART_LCR), ==, 0);
    g_assert_cmphex(uart_in(qts, UART_MCR), ==, UART_MCR_OUT2);
    g_assert_cmphex(uart_in(qts, UART_LSR), ==,
                    UART_LSR_THRE | UART_LSR_TEMT);
    g_assert_cmphex(uart_in(qts, UART_MSR), ==, 0xb0);
    g_assert_cmphex(uart_in(qts, UART_SCR), ==, 0);
    uart_out(qts, UART_SCR, 0xa5);
    g_assert_cmphex(uart_in(qts, UART_SCR), ==, 0xa5);

    /* Divisor latch behind DLAB; reset divisor 0x000c. */
    uart_out(qts, UART_LCR, UART_LCR_DLAB);
    g_assert_cmphex(uart_in(qts, UART_RBR), ==, 0x0c);
    g_assert_cmphex(uart_in(qts, UART_IER), ==, 0);
    uart_out(qts, UART_RBR, 0x34);
    uart_out(qts, UART_IER, 0x12);
    uart_out(qts, UART_LCR, UART_LCR_8N1);
    g_assert_cmphex(uart_in(qts, UART_IER), ==, 0);
    uart_out(qts, UART_LCR, UART_LCR_DLAB | UART_LCR_8N1);
    g_assert_cmphex(uart_in(qts, UART_RBR), ==, 0x34);
    g_assert_cmphex(uart_in(qts, UART_IER), ==, 0x12);
    qtest_quit(qts);
}

/* Loopback with FIFOs: 16 bytes kept in order, the 17th overruns. */
static void test_fifo_loopback(void)
{
    QTestState *qts = start("");
    int i;

    uart_out(qts, UART_LCR, UART_LCR_8N1);
    uart_out(qts, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR);
    g_assert_cmphex(uart_in(qts, UART_IIR) & UART_IIR_FIFO, ==,
                    UART_IIR_FIFO);
    uart_out(qts, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
    for (i = 0; i < 17; i++) {
        uart_out(qts, UART_RBR, 'a' + i);
    }
    g_assert_cmphex(uart_in(qts, UART_LSR) & (UART_LSR_DR | UART_LSR_OE),
                    ==, UART_LSR_DR | UART_LSR_OE);
    g_assert_cmphex(uart_in(qts, UART_LSR) & UART_LSR_OE, ==, 0);
    for (i = 0; i < 16; i++) {
        g_assert_cmphex(uart_in(qts, UART_RBR), ==, 'a' + i);
    }
    g_assert_cmphex(uart_in(qts, UART_LSR) & UART_LSR_DR, ==, 0);

    /* FCR with the FIFOs off: IIR loses its FIFO bits. */
    uart_out(qts, UART_FCR, 0);
    g_assert_cmphex(uart_in(qts, UART_IIR) & UART_IIR_FIFO, ==, 0);
    qtest_quit(qts);
}

/* Received data and THR empty drive the interrupt line to the PLIC. */
static void test_interrupts(void)
{
    QTestState *qts = start("");

    uart_out(qts, UART_LCR, UART_LCR_8N1);
    uart_out(qts, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
    g_assert_false(qtest_get_irq(qts, VIRT_UART0_IRQ));

    uart_out(qts, UART_IER, UART_IER_RDI);
    uart_out(qts, UART_RBR, 'x');
    g_assert_true(qtest_get_irq(qts, VIRT_UART0_IRQ));
    g_assert_cmphex(uart_in(qts, UART_IIR), ==, UART_IIR_RDI);
    g_assert_cmphex(uart_in(qts, UART_RBR), ==, 'x');
    g_assert_false(qtest_get_irq(qts, VIRT_UART0_IRQ));

    /* THRI: raised when enabled with THR empty, cleared by reading IIR. */
    uart_out(qts, UART_IER, UART_IER_THRI);
    g_assert_true(qtest_get_irq(qts, VIRT_UART0_IRQ));
    g_assert_cmphex(uart_in(qts, UART_IIR), ==, UART_IIR_THRI);
    g_assert_false(qtest_get_irq(qts, VIRT_UART0_IRQ));
    uart_out(qts, UART_IER, 0);
    g_assert_false(qtest_get_irq(qts, VIRT_UART0_IRQ));
    qtest_quit(qts);
}

/* Poll LSR.DR while the emulator's main loop reads the socket. */
static bool wait_rx(QTestState *qts)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (!(uart_in(qts, UART_LSR) & UART_LSR_DR)) {
        if (g_get_monotonic_time() > deadline) {
            return false;
        }
        g_usleep(1000);
    }
    return true;
}

/* Host -> guest and guest -> host through a socket chardev. */
static void test_chardev_roundtrip(void)
{
    char *dir = g_dir_make_tmp("uart-test-XXXXXX", NULL);
    char *path = g_build_filename(dir, "serial", NULL);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    char *args = g_strdup_printf("-chardev socket,id=s0,path=%s "
                                 "-serial chardev:s0", path);
    QTestState *qts;
    char buf[8];
    int fd, i;

    strcpy(addr.sun_path, path);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    qts = start(args);
    fd = accept(lfd, NULL, NULL);
    g_assert_cmpint(fd, >=, 0);

    /* Guest writes THR: the bytes come out of the socket in order. */
    uart_out(qts, UART_LCR, UART_LCR_8N1);
    for (i = 0; i < 4; i++) {
        uart_out(qts, UART_RBR, "ping"[i]);
    }
    g_assert_cmpint(recv(fd, buf, 4, MSG_WAITALL), ==, 4);
    g_assert_cmpmem(buf, 4, "ping", 4);

    /* Host sends: the guest reads them from RBR. */
    g_assert_cmpint(send(fd, "pong", 4, 0), ==, 4);
    for (i = 0; i < 4; i++) {
        g_assert_true(wait_rx(qts));
        g_assert_cmphex(uart_in(qts, UART_RBR), ==, "pong"[i]);
    }
    qtest_quit(qts);
    close(fd);
    close(lfd);
    unlink(path);
    rmdir(dir);
    g_free(args);
    g_free(path);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("uart/reset-values", test_reset_values);
    qtest_add_func("uart/fifo-loopback", test_fifo_loopback);
    qtest_add_func("uart/interrupts", test_interrupts);
    qtest_add_func("uart/chardev-roundtrip", test_chardev_roundtrip);
    return g_test_run();
}
