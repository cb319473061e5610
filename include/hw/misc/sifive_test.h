/*
 * sifive_test.h: the SiFive test finisher ("riscv.sifive.test").
 *
 * One 32-bit register at offset 0 (accesses of 2 to 4 bytes):
 *   0x5555                    pass: the emulator exits with status 0
 *   (code << 16) | 0x3333     fail: exits with status code
 *   0x7777                    reset: a guest reset request (-no-reboot
 *                             turns it into a shutdown)
 * Anything else is logged under -d guest_errors and ignored.  Exits are
 * immediate (qemu_system_exit_request): no SHUTDOWN event, even with
 * -no-shutdown, as QEMU 7.2.  Reads return 0.  Big lock held.
 */
#ifndef HW_MISC_SIFIVE_TEST_H
#define HW_MISC_SIFIVE_TEST_H

#include "hw/sysbus.h"

#define TYPE_SIFIVE_TEST "riscv.sifive.test"

#define SIFIVE_TEST_SIZE 0x1000

enum {
    FINISHER_FAIL = 0x3333,
    FINISHER_PASS = 0x5555,
    FINISHER_RESET = 0x7777,
};

typedef struct SiFiveTestState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
} SiFiveTestState;

DECLARE_INSTANCE_CHECKER(SiFiveTestState, SIFIVE_TEST, TYPE_SIFIVE_TEST)

/* Create, realize and map a finisher at @addr. */
DeviceState *sifive_test_create(hwaddr addr);

#endif /* HW_MISC_SIFIVE_TEST_H */
