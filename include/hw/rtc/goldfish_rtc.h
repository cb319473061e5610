/*
 * goldfish_rtc.h: the Goldfish (Android emulator) RTC, "goldfish_rtc".
 *
 * A 64-bit nanosecond counter: the date from -rtc base= at realize,
 * then following rtc_clock (-rtc clock=, host by default).  32-bit
 * registers:
 *   0x00 TIME_LOW        read: low half, latches the high half
 *   0x04 TIME_HIGH       read: the latched high half; writes to either
 *                        half set the counter
 *   0x08 ALARM_LOW       write arms the alarm at ALARM_HIGH:ALARM_LOW
 *   0x0c ALARM_HIGH      (write before ALARM_LOW)
 *   0x10 IRQ_ENABLED     bit 0
 *   0x14 CLEAR_ALARM     write: disarm
 *   0x18 ALARM_STATUS    read: 1 while armed
 *   0x1c CLEAR_INTERRUPT write: lower the interrupt
 * The unnamed sysbus IRQ 0 is high while an alarm has fired and
 * IRQ_ENABLED is set.  Big lock held.
 */
#ifndef HW_RTC_GOLDFISH_RTC_H
#define HW_RTC_GOLDFISH_RTC_H

#include "hw/sysbus.h"
#include "qemu/timer.h"

#define TYPE_GOLDFISH_RTC "goldfish_rtc"
#define GOLDFISH_RTC_MMIO_SIZE 0x24

typedef struct GoldfishRTCState {
    SysBusDevice parent_obj;

    MemoryRegion iomem;
    QEMUTimer *timer;           /* on the rtc_clock of realize time */
    QEMUClockType clock;
    qemu_irq irq;

    int64_t tick_offset;        /* counter = clock ns + tick_offset */
    uint64_t alarm_next;
    uint32_t alarm_running;
    uint32_t irq_pending;
    uint32_t irq_enabled;
    uint32_t time_high;         /* latched by a TIME_LOW read */
} GoldfishRTCState;

DECLARE_INSTANCE_CHECKER(GoldfishRTCState, GOLDFISH_RTC, TYPE_GOLDFISH_RTC)

/* Create, realize, map at @addr and connect the interrupt to @irq. */
DeviceState *goldfish_rtc_create(hwaddr addr, qemu_irq irq);

#endif /* HW_RTC_GOLDFISH_RTC_H */
