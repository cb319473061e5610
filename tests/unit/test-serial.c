/*
 * test-serial.c: the 16550A UART (serial-mm) device model.
 *
 * Registers are driven through a private address space (regshift 0,
 * register n at offset n); input is injected with qemu_chr_be_write()
 * honouring what the UART says it can take, as a backend does.
 */
#include "device-test.h"
#include "hw/char/serial.h"
#include "chardev/char.h"

enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define THR RBR
#define FCR IIR
#define DLL RBR
#define DLM IER

#define IER_ERBFI 0x01
#define IER_ETBEI 0x02
#define IER_ELSI  0x04
#define IER_EDSSI 0x08
#define IIR_NONE  0x01
#define IIR_MSI   0x00
#define IIR_THRI  0x02
#define IIR_RDI   0x04
#define IIR_RLSI  0x06
#define IIR_CTI   0x0c
#define IIR_FIFO  0xc0
#define FCR_FE    0x01
#define FCR_RFR   0x02
#define FCR_XFR   0x04
#define FCR_TRIG8 0x80
#define LCR_8N1   0x03
#define LCR_DLAB  0x80
#define MCR_LOOP  0x10
#define LSR_DR    0x01
#define LSR_OE    0x02
#define LSR_THRE  0x20
#define LSR_TEMT  0x40

typedef struct SerialFixture {
    SerialMM *smm;
    Chardev *chr;
    MemoryRegion *root;
    AddressSpace *as;
    IrqProbe irq;
    qemu_irq irq_line;
} SerialFixture;

/* A UART on chardev @spec (NULL: none), in a private address space. */
static void serial_setup(SerialFixture *f, const char *spec,
                         bool tx_pacing)
{
    MemoryRegion *root = g_new0(MemoryRegion, 1);
    DeviceState *dev;

    memset(&f->irq, 0, sizeof(f->irq));
    f->chr = spec ? qemu_chr_new_from_string(spec, NULL, &error_abort)
                  : NULL;
    memory_region_init(root, NULL, "serial-test", 0x1000);
    f->irq_line = dt_probe_line(&f->irq, 0);
    if (!tx_pacing) {
        f->smm = serial_mm_init(root, 0, 0, f->irq_line, 115200, f->chr,
                                DEVICE_LITTLE_ENDIAN);
    } else {
        dev = qdev_new(TYPE_SERIAL_MM);
        qdev_prop_set_bit(dev, "tx-pacing", true);
        if (f->chr) {
            qdev_prop_set_string(dev, "chardev", f->chr->label);
        }
        sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_abort);
        sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, f->irq_line);
        memory_region_add_subregion(root, 0,
                                    sysbus_mmio_get_region(
                                        SYS_BUS_DEVICE(dev), 0));
        f->smm = SERIAL_MM(dev);
    }
    f->root = root;
    f->as = g_new0(AddressSpace, 1);
    address_space_init(f->as, root, "serial-test");
}

/* Unmap before the device (and its region) goes away. */
static void serial_teardown(SerialFixture *f)
{
    address_space_destroy(f->as);
    memory_region_del_subregion(f->root, &f->smm->io);
    object_unparent(OBJECT(f->smm));
    if (f->chr) {
        qemu_chr_delete(f->chr);
    }
    memory_region_finalize(f->root);
    g_free(f->root);
    g_free(f->as);
    qemu_free_irq(f->irq_line);
}

static uint8_t rd(SerialFixture *f, int reg)
{
    return dt_rd8(f->as, reg);
}

static void wr(SerialFixture *f, int reg, uint8_t val)
{
    dt_wr8(f->as, reg, val);
}

/* Feed @s as host input, as much as the UART accepts; returns that. */
static int feed(SerialFixture *f, const char *s)
{
    int len = strlen(s), done = 0;

    while (done < len && qemu_chr_be_can_write(f->chr) > 0) {
        int n = MIN(len - done, qemu_chr_be_can_write(f->chr));

        qemu_chr_be_write(f->chr, (const uint8_t *)s + done, n);
        done += n;
    }
    return done;
}

static char *ringbuf_take(const char *id)
{
    return qmp_ringbuf_read(id, 4096, false, 0, &error_abort);
}

static void test_reset_values(void)
{
    SerialFixture f;

    serial_setup(&f, NULL, false);
    g_assert_cmphex(rd(&f, RBR), ==, 0);
    g_assert_cmphex(rd(&f, IER), ==, 0);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_NONE);
    g_assert_cmphex(rd(&f, LCR), ==, 0);
    g_assert_cmphex(rd(&f, MCR), ==, 0x08);
    g_assert_cmphex(rd(&f, LSR), ==, 0x60);
    g_assert_cmphex(rd(&f, MSR), ==, 0xb0);
    g_assert_cmphex(rd(&f, SCR), ==, 0);
    wr(&f, LCR, LCR_DLAB);
    g_assert_cmphex(rd(&f, DLL), ==, 0x0c);
    g_assert_cmphex(rd(&f, DLM), ==, 0);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    serial_teardown(&f);
}

static void test_divisor_latch(void)
{
    SerialFixture f;

    serial_setup(&f, NULL, false);
    wr(&f, IER, IER_ERBFI);
    wr(&f, LCR, LCR_DLAB | LCR_8N1);
    wr(&f, DLL, 0x34);
    wr(&f, DLM, 0x12);
    g_assert_cmphex(rd(&f, DLL), ==, 0x34);
    g_assert_cmphex(rd(&f, DLM), ==, 0x12);
    wr(&f, LCR, LCR_8N1);
    g_assert_cmphex(rd(&f, IER), ==, IER_ERBFI);
    g_assert_cmphex(rd(&f, LCR), ==, LCR_8N1);
    wr(&f, SCR, 0x5a);
    g_assert_cmphex(rd(&f, SCR), ==, 0x5a);
    wr(&f, IER, 0xff);
    g_assert_cmphex(rd(&f, IER), ==, 0x0f);
    serial_teardown(&f);
}

static void test_thre_interrupt(void)
{
    SerialFixture f;
    g_autofree char *out = NULL;

    serial_setup(&f, "ringbuf,id=thre,size=64", false);

    /* Enabling ETBEI with THR empty raises THRE. */
    wr(&f, IER, IER_ETBEI);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_THRI);

    /* Reading IIR while THRE is the source clears it. */
    g_assert_cmpint(f.irq.level[0], ==, 0);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_NONE);

    /* Re-enabling ETBEI raises it again (Linux starts TX this way). */
    wr(&f, IER, 0);
    wr(&f, IER, IER_ETBEI);
    g_assert_cmpint(f.irq.level[0], ==, 1);

    /* A THR write clears it; the byte leaves and THRE comes back. */
    wr(&f, THR, 'A');
    g_assert_cmpint(f.irq.level[0], ==, 1);
    g_assert_cmpint(f.irq.raises[0], ==, 3);
    g_assert_cmphex(rd(&f, LSR), ==, LSR_THRE | LSR_TEMT);
    out = ringbuf_take("thre");
    g_assert_cmpstr(out, ==, "A");
    serial_teardown(&f);
}

static void test_rx_fifo_and_overrun(void)
{
    SerialFixture f;

    serial_setup(&f, "ringbuf,id=rxf,size=64", false);
    wr(&f, FCR, FCR_FE);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_NONE);

    /* The FIFO takes 16 bytes; the host side keeps the rest. */
    g_assert_cmpint(feed(&f, "0123456789abcdefXYZ"), ==, 16);
    g_assert_cmphex(rd(&f, LSR) & (LSR_DR | LSR_OE), ==, LSR_DR);
    for (int i = 0; i < 16; i++) {
        g_assert_cmpint(rd(&f, RBR), ==, "0123456789abcdef"[i]);
    }
    g_assert_cmphex(rd(&f, LSR) & LSR_DR, ==, 0);

    /* Overrun through loopback (which bypasses flow control). */
    wr(&f, MCR, MCR_LOOP);
    for (int i = 0; i < 17; i++) {
        wr(&f, THR, 'a' + i);
    }
    g_assert_cmphex(rd(&f, LSR) & (LSR_DR | LSR_OE), ==, LSR_DR | LSR_OE);
    g_assert_cmphex(rd(&f, LSR) & LSR_OE, ==, 0);
    for (int i = 0; i < 16; i++) {
        g_assert_cmpint(rd(&f, RBR), ==, 'a' + i);
    }
    serial_teardown(&f);
}

static void test_iir_priorities(void)
{
    SerialFixture f;

    serial_setup(&f, NULL, false);
    wr(&f, FCR, FCR_FE | FCR_RFR | FCR_XFR);
    wr(&f, MCR, MCR_LOOP);
    (void)rd(&f, MSR);
    for (int i = 0; i < 17; i++) {
        wr(&f, THR, i);
    }
    (void)rd(&f, IIR);      /* THRE consumed */
    wr(&f, THR, 0x55);      /* overrun again, THRE pending again */
    wr(&f, MCR, MCR_LOOP | 0x02);       /* RTS -> CTS: delta */
    wr(&f, IER, IER_ERBFI | IER_ETBEI | IER_ELSI | IER_EDSSI);

    /* Line status > received data > THR empty > modem status. */
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_RLSI);
    (void)rd(&f, LSR);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_RDI);
    for (int i = 0; i < 16; i++) {
        (void)rd(&f, RBR);
    }
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_THRI);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_MSI);
    g_assert_cmphex(rd(&f, MSR), ==, 0x10 | 0x01);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_NONE);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    serial_teardown(&f);
}

static void test_char_timeout(void)
{
    SerialFixture f;
    /* Divisor 1 at 115200 baudbase, 8N1: 10 bits = 86805 ns a char. */
    const int64_t char_ns = 1000000000LL * 10 / 115200;

    serial_setup(&f, "ringbuf,id=cto,size=64", false);
    wr(&f, LCR, LCR_DLAB | LCR_8N1);
    wr(&f, DLL, 1);
    wr(&f, LCR, LCR_8N1);
    wr(&f, FCR, FCR_FE | FCR_TRIG8);
    wr(&f, IER, IER_ERBFI);

    /* 3 bytes < trigger level 8: no RDA, but a timeout after 4 chars. */
    g_assert_cmpint(feed(&f, "abc"), ==, 3);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(4 * char_ns - 1);
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(1);
    g_assert_cmpint(f.irq.level[0], ==, 1);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_CTI);

    /* Reading a byte clears it and restarts the wait. */
    g_assert_cmpint(rd(&f, RBR), ==, 'a');
    g_assert_cmpint(f.irq.level[0], ==, 0);
    dt_step_ns(4 * char_ns);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_CTI);

    /*
     * A pending timeout survives new input (only a read clears it);
     * after one, reaching the trigger level is a received-data interrupt.
     */
    g_assert_cmpint(rd(&f, RBR), ==, 'b');
    g_assert_cmpint(feed(&f, "defghij"), ==, 7);
    g_assert_cmphex(rd(&f, IIR), ==, IIR_FIFO | IIR_RDI);
    serial_teardown(&f);
}

static void test_loopback_modem(void)
{
    SerialFixture f;
    g_autofree char *out = NULL;

    serial_setup(&f, "ringbuf,id=loop,size=64", false);

    /*
     * RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD, with their deltas (RI's
     * only on its falling edge).  Entering loopback with MCR outputs off
     * drops the idle line's CTS, DSR and DCD.
     */
    wr(&f, MCR, MCR_LOOP);
    g_assert_cmphex(rd(&f, MSR), ==, 0x0b);
    wr(&f, MCR, MCR_LOOP | 0x0f);
    g_assert_cmphex(rd(&f, MSR), ==, 0xf0 | 0x0b);
    g_assert_cmphex(rd(&f, MSR), ==, 0xf0);
    wr(&f, MCR, MCR_LOOP);
    g_assert_cmphex(rd(&f, MSR), ==, 0x0f);

    /* Transmitted bytes come back and do not reach the chardev. */
    wr(&f, THR, 'z');
    g_assert_cmphex(rd(&f, LSR) & LSR_DR, ==, LSR_DR);
    g_assert_cmpint(rd(&f, RBR), ==, 'z');
    out = ringbuf_take("loop");
    g_assert_cmpstr(out, ==, "");

    /* Host input is held off during loopback. */
    g_assert_cmpint(feed(&f, "q"), ==, 0);
    wr(&f, MCR, 0);
    g_assert_cmpint(feed(&f, "q"), ==, 1);
    serial_teardown(&f);
}

static void test_chardev_roundtrip(void)
{
    SerialFixture f;
    const char *msg = "hello, world";
    g_autofree char *out = NULL;
    GString *in = g_string_new(NULL);

    serial_setup(&f, "ringbuf,id=rt,size=256", false);
    wr(&f, FCR, FCR_FE);
    for (const char *p = msg; *p; p++) {
        while (!(rd(&f, LSR) & LSR_THRE)) {
            main_loop_wait(true);
        }
        wr(&f, THR, *p);
    }
    out = ringbuf_take("rt");
    g_assert_cmpstr(out, ==, msg);

    g_assert_cmpint(feed(&f, "input"), ==, 5);
    while (rd(&f, LSR) & LSR_DR) {
        g_string_append_c(in, rd(&f, RBR));
    }
    g_assert_cmpstr(in->str, ==, "input");
    g_string_free(in, true);
    serial_teardown(&f);
}

/*
 * A chardev that takes one byte, then refuses (EAGAIN) until its
 * G_IO_OUT watch has been dispatched once by the main loop.
 */
#define TYPE_CHARDEV_SLOWTEST "chardev-slowtest"

typedef struct SlowChardev {
    Chardev parent;
    GByteArray *out;
    int budget;
    int refusals;
} SlowChardev;

typedef struct SlowSource {
    GSource src;
    SlowChardev *chr;
} SlowSource;

static bool slow_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                      Error **errp)
{
    SlowChardev *s = (SlowChardev *)chr;

    s->out = g_byte_array_new();
    s->budget = 1;
    return true;
}

static int slow_write(Chardev *chr, const uint8_t *buf, int len)
{
    SlowChardev *s = (SlowChardev *)chr;

    if (!s->budget) {
        s->refusals++;
        errno = EAGAIN;
        return -1;
    }
    s->budget--;
    g_byte_array_append(s->out, buf, 1);
    return 1;
}

static gboolean slow_prepare(GSource *src, gint *timeout)
{
    *timeout = 0;
    return TRUE;
}

static gboolean slow_check(GSource *src)
{
    return TRUE;
}

static gboolean slow_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    ((SlowSource *)src)->chr->budget = 1;
    return ((FEWatchFunc)(void (*)(void))cb)(NULL, G_IO_OUT, data);
}

static GSourceFuncs slow_source_funcs = {
    .prepare = slow_prepare,
    .check = slow_check,
    .dispatch = slow_dispatch,
};

static GSource *slow_add_watch(Chardev *chr, GIOCondition cond)
{
    GSource *src = g_source_new(&slow_source_funcs, sizeof(SlowSource));

    ((SlowSource *)src)->chr = (SlowChardev *)chr;
    return src;
}

static void slow_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->open = slow_open;
    cc->chr_write = slow_write;
    cc->chr_add_watch = slow_add_watch;
}

static const TypeInfo slow_chardev_info = {
    .name = TYPE_CHARDEV_SLOWTEST,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(SlowChardev),
    .class_init = slow_class_init,
};

static void test_backpressure(void)
{
    SerialFixture f;
    SlowChardev *slow;
    char expect[200];
    int sent = 0;

    serial_setup(&f, "slowtest,id=slow", false);
    slow = (SlowChardev *)f.chr;
    wr(&f, FCR, FCR_FE);

    /* A driver: wait for THRE, then fill the 16-byte FIFO. */
    for (int i = 0; i < (int)sizeof(expect); i++) {
        expect[i] = ' ' + i % 90;
    }
    while (sent < (int)sizeof(expect)) {
        while (!(rd(&f, LSR) & LSR_THRE)) {
            main_loop_wait(false);
        }
        for (int n = 0; n < 16 && sent < (int)sizeof(expect); n++) {
            wr(&f, THR, expect[sent++]);
        }
    }
    while (!(rd(&f, LSR) & LSR_TEMT)) {
        main_loop_wait(false);
    }

    /* Every byte arrived, in order, though most writes were refused. */
    g_assert_cmpint(slow->refusals, >=, (int)sizeof(expect) - 1);
    g_assert_cmpint(slow->out->len, ==, sizeof(expect));
    g_assert_cmpmem(slow->out->data, slow->out->len, expect,
                    sizeof(expect));
    serial_teardown(&f);
}

static void test_tx_pacing(void)
{
    SerialFixture f;
    const int64_t char_ns = 1000000000LL * 10 / 115200;
    g_autofree char *out = NULL;

    serial_setup(&f, "ringbuf,id=pace,size=64", true);
    wr(&f, LCR, LCR_DLAB | LCR_8N1);
    wr(&f, DLL, 1);
    wr(&f, LCR, LCR_8N1);

    /* The first byte goes straight to the shift register. */
    wr(&f, THR, 'a');
    g_assert_cmphex(rd(&f, LSR) & (LSR_THRE | LSR_TEMT), ==, LSR_THRE);
    wr(&f, THR, 'b');
    g_assert_cmphex(rd(&f, LSR) & (LSR_THRE | LSR_TEMT), ==, 0);

    /* THR empties after one character time, TEMT after two. */
    dt_step_ns(char_ns - 1);
    g_assert_cmphex(rd(&f, LSR) & LSR_THRE, ==, 0);
    dt_step_ns(1);
    g_assert_cmphex(rd(&f, LSR) & (LSR_THRE | LSR_TEMT), ==, LSR_THRE);
    dt_step_ns(char_ns);
    g_assert_cmphex(rd(&f, LSR) & (LSR_THRE | LSR_TEMT), ==,
                    LSR_THRE | LSR_TEMT);
    out = ringbuf_take("pace");
    g_assert_cmpstr(out, ==, "ab");
    serial_teardown(&f);
}

int main(int argc, char **argv)
{
    dt_init(&argc, &argv);
    type_register_static(&slow_chardev_info);
    g_test_add_func("/serial/reset-values", test_reset_values);
    g_test_add_func("/serial/divisor-latch", test_divisor_latch);
    g_test_add_func("/serial/thre-interrupt", test_thre_interrupt);
    g_test_add_func("/serial/rx-fifo-overrun", test_rx_fifo_and_overrun);
    g_test_add_func("/serial/iir-priorities", test_iir_priorities);
    g_test_add_func("/serial/char-timeout", test_char_timeout);
    g_test_add_func("/serial/loopback-modem", test_loopback_modem);
    g_test_add_func("/serial/chardev-roundtrip", test_chardev_roundtrip);
    g_test_add_func("/serial/backpressure", test_backpressure);
    g_test_add_func("/serial/tx-pacing", test_tx_pacing);
    return g_test_run();
}
