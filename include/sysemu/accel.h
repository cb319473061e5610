/*
 * accel.h: which execution engine runs the guest, chosen by -accel (or
 * -machine accel=) before the machine is built; read-only afterwards.
 */
#ifndef SYSEMU_ACCEL_H
#define SYSEMU_ACCEL_H

typedef enum AccelType {
    ACCEL_TCG,      /* the interpreter runs guest code */
    ACCEL_QTEST,    /* no guest code runs; qtest drives the machine */
} AccelType;

AccelType current_accel(void);
/* -accel tcg,thread=single|multi is kept by the vCPU code:
 * cpus_thread_is_multi() in sysemu/cpus.h. */

#endif /* SYSEMU_ACCEL_H */
