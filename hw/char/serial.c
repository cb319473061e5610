/*
 * serial.c: 16550A UART.
 *
 * Interrupt sources, highest priority first (IIR identification):
 * receiver line status (OE, PE, FE, BI), received data at the trigger
 * level or character timeout, transmitter holding register empty, modem
 * status.  THRE is latched (thr_ipending) when the holding register or
 * TX FIFO empties and is cleared by reading IIR while it is the reported
 * source or by writing THR; enabling IER.ETBEI while THR is empty latches
 * it again, which Linux's 8250 driver relies on to start transmission.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/char/serial.h"

/* Register numbers (offset >> regshift). */
enum {
    UART_RBR = 0,   /* THR on write, DLL with DLAB */
    UART_IER = 1,   /* DLM with DLAB */
    UART_IIR = 2,   /* FCR on write */
    UART_LCR = 3,
    UART_MCR = 4,
    UART_LSR = 5,
    UART_MSR = 6,
    UART_SCR = 7,
};
#define UART_THR UART_RBR
#define UART_DLL UART_RBR
#define UART_DLM UART_IER
#define UART_FCR UART_IIR

#define UART_IER_ERBFI  0x01    /* received data available */
#define UART_IER_ETBEI  0x02    /* transmitter holding register empty */
#define UART_IER_ELSI   0x04    /* receiver line status */
#define UART_IER_EDSSI  0x08    /* modem status */
#define UART_IER_MASK   0x0f

#define UART_IIR_NO_INT 0x01
#define UART_IIR_ID     0x0e
#define UART_IIR_MSI    0x00
#define UART_IIR_THRI   0x02
#define UART_IIR_RDI    0x04
#define UART_IIR_RLSI   0x06
#define UART_IIR_CTI    0x0c
#define UART_IIR_FE     0xc0    /* FIFOs enabled */

#define UART_FCR_FE     0x01    /* FIFO enable */
#define UART_FCR_RFR    0x02    /* receive FIFO reset */
#define UART_FCR_XFR    0x04    /* transmit FIFO reset */
#define UART_FCR_DMS    0x08    /* DMA mode select */
#define UART_FCR_ITL    0xc0    /* receive trigger level */
#define UART_FCR_STORED (UART_FCR_FE | UART_FCR_DMS | UART_FCR_ITL)

#define UART_LCR_WLS    0x03    /* word length - 5 */
#define UART_LCR_STB    0x04    /* 2 stop bits */
#define UART_LCR_PEN    0x08    /* parity enable */
#define UART_LCR_DLAB   0x80    /* divisor latch access */

#define UART_MCR_DTR    0x01
#define UART_MCR_RTS    0x02
#define UART_MCR_OUT1   0x04
#define UART_MCR_OUT2   0x08
#define UART_MCR_LOOP   0x10
#define UART_MCR_MASK   0x1f

#define UART_LSR_DR     0x01    /* data ready */
#define UART_LSR_OE     0x02    /* overrun error */
#define UART_LSR_PE     0x04    /* parity error */
#define UART_LSR_FE     0x08    /* framing error */
#define UART_LSR_BI     0x10    /* break interrupt */
#define UART_LSR_THRE   0x20    /* holding register / TX FIFO empty */
#define UART_LSR_TEMT   0x40    /* transmitter empty */
#define UART_LSR_INT_ANY (UART_LSR_OE | UART_LSR_PE | UART_LSR_FE | \
                          UART_LSR_BI)

#define UART_MSR_DCTS   0x01
#define UART_MSR_DDSR   0x02
#define UART_MSR_TERI   0x04    /* RI went from on to off */
#define UART_MSR_DDCD   0x08
#define UART_MSR_ANY_DELTA 0x0f
#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_RI     0x40
#define UART_MSR_DCD    0x80

#define UART_RESET_DIVIDER 0x0c /* 9600 baud at 115200 baudbase */
#define UART_TIMEOUT_CHARS 4    /* character timeout: 4 character times */
#define NS_PER_SEC UINT64_C(1000000000)

/* ---- FIFO ----------------------------------------------------------- */

static void fifo_reset(SerialFifo *f)
{
    f->head = f->num = 0;
}

static void fifo_push(SerialFifo *f, uint8_t b)
{
    f->data[(f->head + f->num) % UART_FIFO_LENGTH] = b;
    f->num++;
}

static uint8_t fifo_pop(SerialFifo *f)
{
    uint8_t b = f->data[f->head];

    f->head = (f->head + 1) % UART_FIFO_LENGTH;
    f->num--;
    return b;
}

/* ---- interrupts ----------------------------------------------------- */

static bool serial_fifo_enabled(SerialState *s)
{
    return s->fcr & UART_FCR_FE;
}

static uint8_t serial_pending_source(SerialState *s)
{
    if ((s->ier & UART_IER_ELSI) && (s->lsr & UART_LSR_INT_ANY)) {
        return UART_IIR_RLSI;
    }
    if ((s->ier & UART_IER_ERBFI) && s->timeout_ipending) {
        return UART_IIR_CTI;
    }
    if ((s->ier & UART_IER_ERBFI) && (s->lsr & UART_LSR_DR) &&
        (!serial_fifo_enabled(s) || s->rx_fifo.num >= s->rx_trigger)) {
        return UART_IIR_RDI;
    }
    if ((s->ier & UART_IER_ETBEI) && s->thr_ipending) {
        return UART_IIR_THRI;
    }
    if ((s->ier & UART_IER_EDSSI) && (s->msr & UART_MSR_ANY_DELTA)) {
        return UART_IIR_MSI;
    }
    return UART_IIR_NO_INT;
}

static void serial_update_irq(SerialState *s)
{
    uint8_t id = serial_pending_source(s);

    s->iir = id | (serial_fifo_enabled(s) ? UART_IIR_FE : 0);
    qemu_set_irq(s->irq, id != UART_IIR_NO_INT);
}

/* ---- line parameters ------------------------------------------------ */

/* One frame: start bit, 5-8 data bits, optional parity, 1 or 2 stops. */
static void serial_update_parameters(SerialState *s)
{
    unsigned bits = 1 + 5 + (s->lcr & UART_LCR_WLS)
                    + ((s->lcr & UART_LCR_PEN) ? 1 : 0)
                    + ((s->lcr & UART_LCR_STB) ? 2 : 1);
    uint16_t div = s->divider ? s->divider : 1;

    s->char_time_ns = NS_PER_SEC * div * bits / MAX(s->baudbase, 1u);
}

/* ---- receive -------------------------------------------------------- */

static void serial_receive_byte(SerialState *s, uint8_t b)
{
    int64_t now_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    if (!serial_fifo_enabled(s)) {
        if (s->lsr & UART_LSR_DR) {
            s->lsr |= UART_LSR_OE;
        }
        s->rbr = b;
    } else if (s->rx_fifo.num == UART_FIFO_LENGTH) {
        s->lsr |= UART_LSR_OE;          /* the new byte is lost */
    } else {
        fifo_push(&s->rx_fifo, b);
        timer_mod_ns(&s->timeout_timer,
                     now_ns + s->char_time_ns * UART_TIMEOUT_CHARS);
    }
    s->lsr |= UART_LSR_DR;
    serial_update_irq(s);
}

static int serial_can_receive(void *opaque)
{
    SerialState *s = opaque;
    int room;

    /* In loopback the receiver is cut off from the line. */
    if (s->mcr & UART_MCR_LOOP) {
        room = 0;
    } else if (serial_fifo_enabled(s)) {
        room = UART_FIFO_LENGTH - s->rx_fifo.num;
    } else {
        room = (s->lsr & UART_LSR_DR) ? 0 : 1;
    }
    s->rx_starved |= room == 0;
    return room;
}

static void serial_receive(void *opaque, const uint8_t *buf, int size)
{
    for (int i = 0; i < size; i++) {
        serial_receive_byte(opaque, buf[i]);
    }
}

static void serial_event(void *opaque, QEMUChrEvent event)
{
    SerialState *s = opaque;

    if (event == CHR_EVENT_BREAK) {
        /* A break reads as a NUL character with LSR.BI. */
        serial_receive_byte(s, 0);
        s->lsr |= UART_LSR_BI;
        serial_update_irq(s);
    }
}

static void serial_accept_input(SerialState *s)
{
    if (s->rx_starved) {
        s->rx_starved = false;
        qemu_chr_fe_accept_input(&s->chr);
    }
}

static void serial_timeout_cb(void *opaque)
{
    SerialState *s = opaque;

    if (s->rx_fifo.num) {
        s->timeout_ipending = true;
        serial_update_irq(s);
    }
}

static uint8_t serial_read_rbr(SerialState *s)
{
    int64_t now_ns = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    uint8_t b = s->rbr;

    if (serial_fifo_enabled(s)) {
        b = s->rx_fifo.num ? fifo_pop(&s->rx_fifo) : 0;
        if (s->rx_fifo.num) {
            timer_mod_ns(&s->timeout_timer,
                         now_ns + s->char_time_ns * UART_TIMEOUT_CHARS);
        }
    }
    if (!serial_fifo_enabled(s) || !s->rx_fifo.num) {
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
        timer_del(&s->timeout_timer);
    }
    s->timeout_ipending = false;
    serial_update_irq(s);
    serial_accept_input(s);
    return b;
}

/* ---- transmit ------------------------------------------------------- */

static void serial_tx_pump(SerialState *s);

static gboolean serial_watch_cb(void *do_not_use, GIOCondition cond,
                                void *opaque)
{
    SerialState *s = opaque;

    s->watch_tag = 0;
    s->tx_state = SERIAL_TX_IDLE;
    serial_tx_pump(s);
    return G_SOURCE_REMOVE;
}

static void serial_tx_timer_cb(void *opaque)
{
    SerialState *s = opaque;

    s->tx_state = SERIAL_TX_IDLE;
    serial_tx_pump(s);
}

/* Move the next byte into the shift register; false if none. */
static bool serial_tx_load(SerialState *s)
{
    if (serial_fifo_enabled(s)) {
        if (!s->tx_fifo.num) {
            return false;
        }
        s->tsr = fifo_pop(&s->tx_fifo);
        if (s->tx_fifo.num) {
            return true;
        }
    } else {
        if (s->lsr & UART_LSR_THRE) {
            return false;
        }
        s->tsr = s->thr;
    }
    s->lsr |= UART_LSR_THRE;
    s->thr_ipending = true;
    serial_update_irq(s);
    return true;
}

/*
 * Hand tsr to the line.  False when the host side cannot take it now:
 * the byte stays in tsr and a watch resumes transmission.  A host side
 * that has nothing to wait for (disconnected, or an error) drops it.
 */
static bool serial_tx_send(SerialState *s)
{
    int rc;

    if (s->mcr & UART_MCR_LOOP) {
        serial_receive_byte(s, s->tsr);
        return true;
    }
    if (!qemu_chr_fe_backend_connected(&s->chr)) {
        return true;
    }
    rc = qemu_chr_fe_write(&s->chr, &s->tsr, 1);
    if (rc == 1 || (rc < 0 && errno != EAGAIN)) {
        return true;
    }
    s->watch_tag = qemu_chr_fe_add_watch(&s->chr, G_IO_OUT | G_IO_HUP,
                                         serial_watch_cb, s);
    if (!s->watch_tag) {
        return true;
    }
    s->tx_state = SERIAL_TX_BLOCKED;
    return false;
}

/* Transmit until the holding side is empty, blocked, or pacing. */
static void serial_tx_pump(SerialState *s)
{
    while (s->tx_state == SERIAL_TX_IDLE) {
        if (!s->tsr_full) {
            if (!serial_tx_load(s)) {
                s->lsr |= UART_LSR_TEMT;
                return;
            }
            s->tsr_full = true;
        }
        if (!serial_tx_send(s)) {
            return;
        }
        s->tsr_full = false;
        if (s->tx_pacing) {
            s->tx_state = SERIAL_TX_SHIFTING;
            timer_mod_ns(&s->tx_timer,
                         qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)
                         + s->char_time_ns);
        }
    }
}

static void serial_write_thr(SerialState *s, uint8_t val)
{
    if (serial_fifo_enabled(s)) {
        if (s->tx_fifo.num == UART_FIFO_LENGTH) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: THR written with the "
                          "transmit FIFO full; 0x%02x dropped\n", __func__,
                          val);
            return;
        }
        fifo_push(&s->tx_fifo, val);
    } else {
        if (!(s->lsr & UART_LSR_THRE)) {
            qemu_log_mask(LOG_GUEST_ERROR, "%s: THR written while not "
                          "empty; 0x%02x replaces 0x%02x\n", __func__, val,
                          s->thr);
        }
        s->thr = val;
    }
    s->thr_ipending = false;
    s->lsr &= ~(UART_LSR_THRE | UART_LSR_TEMT);
    serial_update_irq(s);
    serial_tx_pump(s);
}

/* Drop everything queued; a byte already on the line finishes. */
static void serial_tx_flush(SerialState *s)
{
    fifo_reset(&s->tx_fifo);
    s->lsr |= UART_LSR_THRE;
    s->thr_ipending = true;
    if (s->tx_state == SERIAL_TX_IDLE) {
        s->lsr |= UART_LSR_TEMT;
    }
}

/* ---- modem lines ---------------------------------------------------- */

/* What the modem inputs read: MCR looped back, or the idle line. */
static uint8_t serial_modem_inputs(SerialState *s)
{
    uint8_t m = 0;

    if (!(s->mcr & UART_MCR_LOOP)) {
        return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    }
    m |= (s->mcr & UART_MCR_RTS) ? UART_MSR_CTS : 0;
    m |= (s->mcr & UART_MCR_DTR) ? UART_MSR_DSR : 0;
    m |= (s->mcr & UART_MCR_OUT1) ? UART_MSR_RI : 0;
    m |= (s->mcr & UART_MCR_OUT2) ? UART_MSR_DCD : 0;
    return m;
}

static void serial_update_msr(SerialState *s)
{
    uint8_t now = serial_modem_inputs(s);
    uint8_t changed = (now ^ s->msr) & ~UART_MSR_ANY_DELTA;
    uint8_t delta = s->msr & UART_MSR_ANY_DELTA;

    delta |= (changed & UART_MSR_CTS) ? UART_MSR_DCTS : 0;
    delta |= (changed & UART_MSR_DSR) ? UART_MSR_DDSR : 0;
    delta |= (changed & UART_MSR_DCD) ? UART_MSR_DDCD : 0;
    delta |= ((changed & UART_MSR_RI) && !(now & UART_MSR_RI))
             ? UART_MSR_TERI : 0;
    s->msr = now | delta;
    serial_update_irq(s);
}

/* ---- register access ------------------------------------------------ */

static uint8_t serial_read_reg(SerialState *s, unsigned reg)
{
    uint8_t val;

    switch (reg) {
    case UART_RBR:
        return (s->lcr & UART_LCR_DLAB) ? s->divider & 0xff
                                        : serial_read_rbr(s);
    case UART_IER:
        return (s->lcr & UART_LCR_DLAB) ? s->divider >> 8 : s->ier;
    case UART_IIR:
        val = s->iir;
        if ((val & UART_IIR_ID) == UART_IIR_THRI) {
            s->thr_ipending = false;
            serial_update_irq(s);
        }
        return val;
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        val = s->lsr;
        s->lsr &= ~UART_LSR_INT_ANY;
        serial_update_irq(s);
        return val;
    case UART_MSR:
        val = s->msr;
        s->msr &= ~UART_MSR_ANY_DELTA;
        serial_update_irq(s);
        return val;
    default:
        return s->scr;
    }
}

static void serial_write_ier(SerialState *s, uint8_t val)
{
    uint8_t changed = (s->ier ^ val) & UART_IER_MASK;

    s->ier = val & UART_IER_MASK;
    if (changed & UART_IER_ETBEI) {
        s->thr_ipending = (s->ier & UART_IER_ETBEI) &&
                          (s->lsr & UART_LSR_THRE);
    }
    serial_update_irq(s);
}

static void serial_write_fcr(SerialState *s, uint8_t val)
{
    static const unsigned trigger[4] = { 1, 4, 8, 14 };

    /* Switching the FIFOs on or off empties them. */
    if ((val ^ s->fcr) & UART_FCR_FE) {
        val |= UART_FCR_RFR | UART_FCR_XFR;
    }
    if (val & UART_FCR_RFR) {
        fifo_reset(&s->rx_fifo);
        timer_del(&s->timeout_timer);
        s->timeout_ipending = false;
        s->lsr &= ~(UART_LSR_DR | UART_LSR_BI);
        serial_accept_input(s);
    }
    if (val & UART_FCR_XFR) {
        serial_tx_flush(s);
    }
    s->fcr = val & UART_FCR_STORED;
    s->rx_trigger = trigger[(s->fcr & UART_FCR_ITL) >> 6];
    serial_update_irq(s);
}

static void serial_write_mcr(SerialState *s, uint8_t val)
{
    bool was_loop = s->mcr & UART_MCR_LOOP;

    s->mcr = val & UART_MCR_MASK;
    serial_update_msr(s);
    if (was_loop && !(s->mcr & UART_MCR_LOOP)) {
        s->rx_starved = true;
        serial_accept_input(s);
    }
}

static void serial_write_reg(SerialState *s, unsigned reg, uint8_t val)
{
    bool dlab = s->lcr & UART_LCR_DLAB;

    switch (reg) {
    case UART_THR:
        if (dlab) {
            s->divider = (s->divider & 0xff00) | val;
            serial_update_parameters(s);
        } else {
            serial_write_thr(s, val);
        }
        break;
    case UART_IER:
        if (dlab) {
            s->divider = (s->divider & 0x00ff) | (val << 8);
            serial_update_parameters(s);
        } else {
            serial_write_ier(s, val);
        }
        break;
    case UART_FCR:
        serial_write_fcr(s, val);
        break;
    case UART_LCR:
        s->lcr = val;
        serial_update_parameters(s);
        break;
    case UART_MCR:
        serial_write_mcr(s, val);
        break;
    case UART_LSR:
    case UART_MSR:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: register %u is read-only "
                      "(value 0x%02x)\n", __func__, reg, val);
        break;
    default:
        s->scr = val;
        break;
    }
}

static uint64_t serial_mm_read(void *opaque, hwaddr addr, unsigned size)
{
    SerialMM *smm = opaque;

    return serial_read_reg(&smm->serial, (addr >> smm->regshift) & 7);
}

static void serial_mm_write(void *opaque, hwaddr addr, uint64_t val,
                            unsigned size)
{
    SerialMM *smm = opaque;

    serial_write_reg(&smm->serial, (addr >> smm->regshift) & 7, val);
}

#define SERIAL_MM_OPS(endian) { \
    .read = serial_mm_read, \
    .write = serial_mm_write, \
    .endianness = (endian), \
    .valid.min_access_size = 1, \
    .valid.max_access_size = 8, \
    .impl.min_access_size = 1, \
    .impl.max_access_size = 8, \
}

static const MemoryRegionOps serial_mm_ops[] = {
    [DEVICE_NATIVE_ENDIAN] = SERIAL_MM_OPS(DEVICE_NATIVE_ENDIAN),
    [DEVICE_BIG_ENDIAN] = SERIAL_MM_OPS(DEVICE_BIG_ENDIAN),
    [DEVICE_LITTLE_ENDIAN] = SERIAL_MM_OPS(DEVICE_LITTLE_ENDIAN),
};

/* ---- device --------------------------------------------------------- */

static void serial_reset(SerialState *s)
{
    if (s->watch_tag) {
        g_source_remove(s->watch_tag);
        s->watch_tag = 0;
    }
    timer_del(&s->tx_timer);
    timer_del(&s->timeout_timer);
    s->tx_state = SERIAL_TX_IDLE;
    s->tsr_full = false;

    s->rbr = s->thr = s->tsr = 0;
    s->ier = s->fcr = s->lcr = s->scr = 0;
    s->mcr = UART_MCR_OUT2;
    s->lsr = UART_LSR_TEMT | UART_LSR_THRE;
    s->msr = serial_modem_inputs(s);
    s->divider = UART_RESET_DIVIDER;
    s->thr_ipending = s->timeout_ipending = false;
    s->rx_trigger = 1;
    fifo_reset(&s->rx_fifo);
    fifo_reset(&s->tx_fifo);
    serial_update_parameters(s);
    serial_update_irq(s);
    s->rx_starved = true;
    serial_accept_input(s);
}

static void serial_mm_reset(DeviceState *dev)
{
    serial_reset(&SERIAL_MM(dev)->serial);
}

static void serial_mm_init_obj(Object *obj)
{
    SerialMM *smm = SERIAL_MM(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &smm->serial.irq);
}

static Chardev *serial_mm_find_chardev(SerialMM *smm, Error **errp)
{
    Chardev *chr;

    if (smm->chr_to_attach || !smm->chardev_id) {
        return smm->chr_to_attach;
    }
    chr = qemu_chr_find(smm->chardev_id);
    if (!chr) {
        error_setg(errp, "Property 'serial-mm.chardev' can't find value "
                   "'%s'", smm->chardev_id);
    }
    return chr;
}

static void serial_mm_realize(DeviceState *dev, Error **errp)
{
    SerialMM *smm = SERIAL_MM(dev);
    SerialState *s = &smm->serial;
    Error *err = NULL;
    Chardev *chr = serial_mm_find_chardev(smm, &err);

    if (err || smm->endianness > DEVICE_LITTLE_ENDIAN || smm->regshift > 8) {
        if (!err) {
            error_setg(&err, "serial-mm: 'endianness' must be 0-2 and "
                       "'regshift' at most 8");
        }
        error_propagate(errp, err);
        return;
    }
    if (!qemu_chr_fe_init(&s->chr, chr, errp)) {
        return;
    }
    timer_init_ns(&s->tx_timer, QEMU_CLOCK_VIRTUAL, serial_tx_timer_cb, s);
    timer_init_ns(&s->timeout_timer, QEMU_CLOCK_VIRTUAL, serial_timeout_cb,
                  s);
    qemu_chr_fe_set_handlers(&s->chr, serial_can_receive, serial_receive,
                             serial_event, NULL, s, NULL, true);

    memory_region_init_io(&smm->io, OBJECT(dev),
                          &serial_mm_ops[smm->endianness], smm, "serial",
                          8 << smm->regshift);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &smm->io);
    serial_reset(s);
}

static void serial_mm_unrealize(DeviceState *dev)
{
    SerialState *s = &SERIAL_MM(dev)->serial;

    if (s->watch_tag) {
        g_source_remove(s->watch_tag);
        s->watch_tag = 0;
    }
    qemu_chr_fe_deinit(&s->chr, false);
    timer_deinit(&s->tx_timer);
    timer_deinit(&s->timeout_timer);
    /* Still mapped: the memory tree keeps it (and the device) alive. */
    if (!memory_region_is_mapped(&SERIAL_MM(dev)->io)) {
        memory_region_finalize(&SERIAL_MM(dev)->io);
    }
}

static Property serial_mm_props[] = {
    DEFINE_PROP_UINT8("regshift", SerialMM, regshift, 0),
    DEFINE_PROP_UINT8("endianness", SerialMM, endianness,
                      DEVICE_NATIVE_ENDIAN),
    DEFINE_PROP_UINT32("baudbase", SerialMM, serial.baudbase, 115200),
    DEFINE_PROP_STRING("chardev", SerialMM, chardev_id),
    DEFINE_PROP_BOOL("tx-pacing", SerialMM, serial.tx_pacing, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void serial_mm_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = serial_mm_realize;
    dc->unrealize = serial_mm_unrealize;
    dc->user_creatable = false;
    device_class_set_legacy_reset(dc, serial_mm_reset);
    device_class_set_props(dc, serial_mm_props);
}

SerialMM *serial_mm_init(MemoryRegion *address_space, hwaddr base,
                         int regshift, qemu_irq irq, int baudbase,
                         Chardev *chr, enum device_endian end)
{
    DeviceState *dev = qdev_new(TYPE_SERIAL_MM);
    SerialMM *smm = SERIAL_MM(dev);

    qdev_prop_set_uint8(dev, "regshift", regshift);
    qdev_prop_set_uint32(dev, "baudbase", baudbase);
    qdev_prop_set_uint8(dev, "endianness", end);
    smm->chr_to_attach = chr;
    sysbus_realize_and_unref(SYS_BUS_DEVICE(dev), &error_fatal);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, irq);
    memory_region_add_subregion(address_space, base,
                                sysbus_mmio_get_region(SYS_BUS_DEVICE(dev),
                                                       0));
    return smm;
}

static const TypeInfo serial_mm_info = {
    .name = TYPE_SERIAL_MM,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(SerialMM),
    .instance_init = serial_mm_init_obj,
    .class_init = serial_mm_class_init,
};

static void serial_register_types(void)
{
    type_register_static(&serial_mm_info);
}

type_init(serial_register_types)
