/*
 * qtest.c: the qtest accelerator.
 *
 * An accelerator that runs no guest code: the machine's devices are
 * driven by the qtest protocol (softmmu/qtest.c) instead, and virtual
 * time moves only when the test says so.  vl.c asks qtest_enabled() to
 * skip starting vCPU threads and to start the VM without -S.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "sysemu/qtest.h"

/* Written once by vl.c before any other thread exists. */
static bool qtest_accel_selected;

bool qtest_enabled(void)
{
    return qtest_accel_selected;
}

void qtest_accel_init(void)
{
    qtest_accel_selected = true;
    qemu_clock_set_virtual_manual(true);
}
