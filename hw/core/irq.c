/*
 * irq.c: allocation of interrupt lines (see hw/irq.h).
 */
#include "qemu/osdep.h"
#include "hw/irq.h"

qemu_irq qemu_allocate_irq(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq irq = g_new0(struct IRQState, 1);

    irq->handler = handler;
    irq->opaque = opaque;
    irq->n = n;
    return irq;
}

qemu_irq *qemu_allocate_irqs(qemu_irq_handler handler, void *opaque, int n)
{
    qemu_irq *irqs = g_new0(qemu_irq, n);

    for (int i = 0; i < n; i++) {
        irqs[i] = qemu_allocate_irq(handler, opaque, i);
    }
    return irqs;
}

void qemu_free_irq(qemu_irq irq)
{
    g_free(irq);
}

void qemu_free_irqs(qemu_irq *irqs, int n)
{
    for (int i = 0; i < n; i++) {
        qemu_free_irq(irqs[i]);
    }
    g_free(irqs);
}
