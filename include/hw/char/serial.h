/*
 * serial.h: 16550A UART, memory-mapped ("serial-mm").
 *
 * Eight 1-byte registers, register n at offset n << regshift; an access
 * of any valid width reads or writes the one register it starts at (the
 * low byte), as QEMU's serial-mm does:
 *   0 RBR (read) / THR (write) / DLL (LCR.DLAB = 1)
 *   1 IER / DLM (DLAB = 1)
 *   2 IIR (read) / FCR (write)
 *   3 LCR   4 MCR   5 LSR   6 MSR   7 SCR
 * 16-byte receive and transmit FIFOs (FCR.FE), receive trigger levels 1,
 * 4, 8, 14, character-timeout interrupt, loopback (MCR.LOOP), modem
 * status deltas.  The interrupt is sysbus IRQ 0, level, high while IIR
 * reports a source.
 *
 * Output goes to the chardev one byte at a time; when the host side is
 * full the byte is held in the transmitter, the FIFO keeps the rest and
 * LSR.THRE stays clear, and transmission resumes from a G_IO_OUT watch:
 * no byte is dropped while the host side is slow.  With "tx-pacing" the
 * transmitter also takes one character time (from the divisor, LCR and
 * baudbase) per byte on QEMU_CLOCK_VIRTUAL, as a real line does.
 *
 * Properties: "regshift" (uint8, 0), "baudbase" (uint32, 115200: input
 * clock / 16), "endianness" (uint8, enum device_endian), "chardev"
 * (chardev id), "tx-pacing" (bool, off).  Big lock held throughout.
 */
#ifndef HW_CHAR_SERIAL_H
#define HW_CHAR_SERIAL_H

#include "hw/sysbus.h"
#include "chardev/char-fe.h"
#include "qemu/timer.h"

#define TYPE_SERIAL_MM "serial-mm"

#define UART_FIFO_LENGTH 16

/* A 16-byte ring. */
typedef struct SerialFifo {
    uint8_t data[UART_FIFO_LENGTH];
    unsigned head;
    unsigned num;
} SerialFifo;

typedef enum SerialTxState {
    SERIAL_TX_IDLE,         /* nothing in the shift register */
    SERIAL_TX_BLOCKED,      /* tsr waits for the host side (watch) */
    SERIAL_TX_SHIFTING,     /* tsr sent; pacing for one character time */
} SerialTxState;

typedef struct SerialState {
    uint16_t divider;
    uint8_t rbr;            /* non-FIFO receive buffer */
    uint8_t thr;            /* non-FIFO transmit holding register */
    uint8_t tsr;            /* transmit shift register */
    uint8_t ier;
    uint8_t iir;
    uint8_t fcr;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr;
    uint8_t msr;
    uint8_t scr;
    bool thr_ipending;      /* THRE interrupt latched, until IIR/THR */
    bool timeout_ipending;  /* character timeout */
    bool rx_starved;        /* can_read said 0: call accept_input */
    unsigned rx_trigger;
    int64_t char_time_ns;
    SerialFifo rx_fifo;
    SerialFifo tx_fifo;

    SerialTxState tx_state;
    bool tsr_full;
    guint watch_tag;
    QEMUTimer tx_timer;
    QEMUTimer timeout_timer;

    qemu_irq irq;
    CharBackend chr;
    uint32_t baudbase;
    bool tx_pacing;
} SerialState;

typedef struct SerialMM {
    SysBusDevice parent_obj;

    SerialState serial;
    MemoryRegion io;
    uint8_t regshift;
    uint8_t endianness;
    char *chardev_id;       /* "chardev" property */
    Chardev *chr_to_attach; /* set by serial_mm_init() */
} SerialMM;

DECLARE_INSTANCE_CHECKER(SerialMM, SERIAL_MM, TYPE_SERIAL_MM)

/*
 * Create a serial-mm on @chr (NULL: output discarded, no input), realize
 * it, map its registers at @base in @address_space and connect its
 * interrupt to @irq.  Aborts on error (a board bug, or @chr in use).
 */
SerialMM *serial_mm_init(MemoryRegion *address_space, hwaddr base,
                         int regshift, qemu_irq irq, int baudbase,
                         Chardev *chr, enum device_endian end);

#endif /* HW_CHAR_SERIAL_H */
