/*
 * riscv_aclint.h: the RISC-V ACLINT (and legacy SiFive CLINT) devices.
 *
 * "riscv.aclint.mtimer": a 64-bit mtime counter at timebase-freq Hz read
 * from QEMU_CLOCK_VIRTUAL, and one mtimecmp per hart.  Unnamed GPIO-out
 * line i is hart (hartid-base + i)'s MTIP: high while mtime >= mtimecmp.
 * It changes synchronously on register writes and by a VIRTUAL timer at
 * the exact deadline (no polling).  Registers (offsets from the region):
 *   timecmp-base + 8 * i   mtimecmp of hart hartid-base + i
 *   time-base              mtime
 * Both are 64-bit, accessible as 8-byte or aligned 4-byte halves.
 *
 * "riscv.aclint.swi": one 32-bit register per hart at 4 * i.  MSWI
 * (sswi=false): bit 0 is msip, read/write; the unnamed GPIO-out line i
 * follows it (MSIP).  SSWI (sswi=true): writing 1 to bit 0 raises line i
 * (SSIP) and writing 0 does nothing; reads return 0.
 *
 * The legacy CLINT of the virt board is an MSWI at +0 (0x4000 bytes) and
 * an MTIMER at +0x4000 (0x8000 bytes, timecmp-base 0, time-base 0x7ff8).
 * Everything but riscv_aclint_mtimer_get_ticks() needs the big lock.
 */
#ifndef HW_INTC_RISCV_ACLINT_H
#define HW_INTC_RISCV_ACLINT_H

#include "hw/sysbus.h"
#include "qemu/timer.h"

#define TYPE_RISCV_ACLINT_MTIMER "riscv.aclint.mtimer"
#define TYPE_RISCV_ACLINT_SWI "riscv.aclint.swi"

#define RISCV_ACLINT_MAX_HARTS          4095
#define RISCV_ACLINT_SWI_SIZE           0x4000
#define RISCV_ACLINT_DEFAULT_MTIMECMP   0x0
#define RISCV_ACLINT_DEFAULT_MTIME      0x7ff8
#define RISCV_ACLINT_DEFAULT_MTIMER_SIZE 0x8000
#define RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ 10000000

typedef struct RISCVAclintMTimerState RISCVAclintMTimerState;
typedef struct RISCVAclintSwiState RISCVAclintSwiState;

DECLARE_INSTANCE_CHECKER(RISCVAclintMTimerState, RISCV_ACLINT_MTIMER,
                         TYPE_RISCV_ACLINT_MTIMER)
DECLARE_INSTANCE_CHECKER(RISCVAclintSwiState, RISCV_ACLINT_SWI,
                         TYPE_RISCV_ACLINT_SWI)

/* One hart's comparator and the timer that fires at its deadline. */
typedef struct RISCVAclintMTimerHart {
    RISCVAclintMTimerState *mtimer;
    uint64_t timecmp;
    QEMUTimer timer;
} RISCVAclintMTimerHart;

struct RISCVAclintMTimerState {
    SysBusDevice parent_obj;

    MemoryRegion mmio;
    /* mtime = ticks(VIRTUAL ns) + time_delta; atomic (read lock-free). */
    int64_t time_delta;
    RISCVAclintMTimerHart *harts;
    qemu_irq *timer_irqs;
    bool provide_rdtime;

    /* properties */
    uint32_t hartid_base;
    uint32_t num_harts;
    uint32_t timecmp_base;
    uint32_t time_base;
    uint32_t aperture_size;
    uint32_t timebase_freq;
};

struct RISCVAclintSwiState {
    SysBusDevice parent_obj;

    MemoryRegion mmio;
    uint8_t *pending;           /* MSWI: msip per hart */
    qemu_irq *soft_irqs;

    /* properties */
    uint32_t hartid_base;
    uint32_t num_harts;
    bool sswi;
};

/*
 * Create, realize and map at @addr an MTIMER for harts hartid_base ..
 * hartid_base + num_harts - 1.  The board connects output line i to the
 * hart's MTIP input.  With @provide_rdtime, the device is registered as
 * the time source of those harts (riscv_aclint_mtimer_find()).
 */
DeviceState *riscv_aclint_mtimer_create(hwaddr addr, hwaddr size,
                                        uint32_t hartid_base,
                                        uint32_t num_harts,
                                        uint32_t timecmp_base,
                                        uint32_t time_base,
                                        uint32_t timebase_freq,
                                        bool provide_rdtime);

/* Create, realize and map an MSWI (or SSWI with @sswi) at @addr. */
DeviceState *riscv_aclint_swi_create(hwaddr addr, uint32_t hartid_base,
                                     uint32_t num_harts, bool sswi);

/*
 * The current mtime of @mtimer (the `time` CSR).  Any thread, no lock:
 * reads the virtual clock and an atomic offset.  @mtimer must be a
 * riscv.aclint.mtimer; the type is not checked (a hot path).
 */
uint64_t riscv_aclint_mtimer_get_ticks(DeviceState *mtimer);

/*
 * The QEMU_CLOCK_VIRTUAL time in ns at which @mtimer's mtime reaches
 * @ticks (e.g. for the Sstc stimecmp timer): 0 if it already has (before
 * the clock started), -1 if never (past INT64_MAX ns).  Any thread, no
 * lock; a later mtime write by the guest moves the answer.
 */
int64_t riscv_aclint_mtimer_deadline_ns(DeviceState *mtimer,
                                        uint64_t ticks);

/*
 * The MTIMER created with provide_rdtime that serves @hartid, or NULL.
 * Any thread once the board is built (the table is filled at realize).
 */
DeviceState *riscv_aclint_mtimer_find(uint32_t hartid);

#endif /* HW_INTC_RISCV_ACLINT_H */
