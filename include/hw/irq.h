/*
 * irq.h: interrupt lines between devices.
 *
 * A qemu_irq is one input line of some device: setting its level calls
 * the handler the receiving device registered, with the line number.
 * Lines are level-triggered; qemu_irq_pulse() raises then lowers.
 * Setting a line requires the big lock (it touches device state), except
 * where the receiving device documents otherwise.  A NULL qemu_irq is a
 * line connected to nothing: setting it does nothing.
 */
#ifndef HW_IRQ_H
#define HW_IRQ_H

typedef struct IRQState *qemu_irq;
typedef void (*qemu_irq_handler)(void *opaque, int n, int level);

struct IRQState {
    qemu_irq_handler handler;
    void *opaque;
    int n;
};

static inline void qemu_set_irq(qemu_irq irq, int level)
{
    if (irq) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

static inline void qemu_irq_raise(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
}

static inline void qemu_irq_lower(qemu_irq irq)
{
    qemu_set_irq(irq, 0);
}

static inline void qemu_irq_pulse(qemu_irq irq)
{
    qemu_set_irq(irq, 1);
    qemu_set_irq(irq, 0);
}

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n);
/* @n lines numbered 0..n-1; free with qemu_free_irqs(). */
qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n);
void qemu_free_irq(qemu_irq irq);
void qemu_free_irqs(qemu_irq *irqs, int n);

#endif /* HW_IRQ_H */
