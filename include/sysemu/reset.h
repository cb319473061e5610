/*
 * reset.h: the system reset handler list.
 *
 * qemu_devices_reset() (system_reset, guest reset, start-up) calls every
 * registered handler in registration order.  The main system bus
 * registers itself when created, so every sysbus device's reset runs
 * from there; objects outside the bus tree (CPUs) register their own.
 * Main thread, big lock held.
 */
#ifndef SYSEMU_RESET_H
#define SYSEMU_RESET_H

typedef void QEMUResetHandler(void *opaque);

void qemu_register_reset(QEMUResetHandler *func, void *opaque);
/* Remove the first registration of (@func, @opaque), if any. */
void qemu_unregister_reset(QEMUResetHandler *func, void *opaque);
void qemu_devices_reset(void);

#endif /* SYSEMU_RESET_H */
