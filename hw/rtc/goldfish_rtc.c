/*
 * goldfish_rtc.c: Goldfish real-time clock.
 *
 * Linux's rtc-goldfish driver reads TIME_LOW then TIME_HIGH, which is
 * why the low read latches the high half: the pair is one consistent
 * 64-bit value even if the low word wraps in between.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "sysemu/rtc.h"
#include "hw/rtc/goldfish_rtc.h"

enum {
    RTC_TIME_LOW = 0x00,
    RTC_TIME_HIGH = 0x04,
    RTC_ALARM_LOW = 0x08,
    RTC_ALARM_HIGH = 0x0c,
    RTC_IRQ_ENABLED = 0x10,
    RTC_CLEAR_ALARM = 0x14,
    RTC_ALARM_STATUS = 0x18,
    RTC_CLEAR_INTERRUPT = 0x1c,
};

#define RTC_IRQ_ENABLE_BIT 0x1

static uint64_t goldfish_rtc_count(GoldfishRTCState *s)
{
    return qemu_clock_get_ns(s->clock) + s->tick_offset;
}

static void goldfish_rtc_update(GoldfishRTCState *s)
{
    qemu_set_irq(s->irq, s->irq_pending && s->irq_enabled);
}

static void goldfish_rtc_clear_alarm(GoldfishRTCState *s)
{
    timer_del(s->timer);
    s->alarm_running = 0;
}

static void goldfish_rtc_fire(void *opaque)
{
    GoldfishRTCState *s = opaque;

    s->alarm_running = 0;
    s->irq_pending = 1;
    goldfish_rtc_update(s);
}

/* Arm at alarm_next, or fire now if that moment has passed. */
static void goldfish_rtc_set_alarm(GoldfishRTCState *s)
{
    uint64_t now = goldfish_rtc_count(s);

    if (s->alarm_next <= now) {
        goldfish_rtc_clear_alarm(s);
        goldfish_rtc_fire(s);
        return;
    }
    s->alarm_running = 1;
    timer_mod_ns(s->timer, s->alarm_next - s->tick_offset);
}

static uint64_t goldfish_rtc_read(void *opaque, hwaddr offset,
                                  unsigned size)
{
    GoldfishRTCState *s = opaque;
    uint64_t now;

    switch (offset) {
    case RTC_TIME_LOW:
        now = goldfish_rtc_count(s);
        s->time_high = now >> 32;
        return (uint32_t)now;
    case RTC_TIME_HIGH:
        return s->time_high;
    case RTC_ALARM_LOW:
        return (uint32_t)s->alarm_next;
    case RTC_ALARM_HIGH:
        return s->alarm_next >> 32;
    case RTC_IRQ_ENABLED:
        return s->irq_enabled;
    case RTC_ALARM_STATUS:
        return s->alarm_running;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: offset 0x%" PRIx64 " is not "
                      "a readable register\n", __func__, offset);
        return 0;
    }
}

/* Set the counter's 32-bit half at @shift to @val. */
static void goldfish_rtc_set_time_half(GoldfishRTCState *s, int shift,
                                       uint32_t val)
{
    uint64_t now = goldfish_rtc_count(s);
    uint64_t mask = UINT64_C(0xffffffff) << shift;
    uint64_t next = (now & ~mask) | ((uint64_t)val << shift);

    s->tick_offset += (int64_t)(next - now);
}

static void goldfish_rtc_write(void *opaque, hwaddr offset, uint64_t val,
                               unsigned size)
{
    GoldfishRTCState *s = opaque;

    switch (offset) {
    case RTC_TIME_LOW:
        goldfish_rtc_set_time_half(s, 0, val);
        break;
    case RTC_TIME_HIGH:
        goldfish_rtc_set_time_half(s, 32, val);
        break;
    case RTC_ALARM_LOW:
        s->alarm_next = (s->alarm_next & ~UINT64_C(0xffffffff))
                        | (uint32_t)val;
        goldfish_rtc_set_alarm(s);
        break;
    case RTC_ALARM_HIGH:
        s->alarm_next = (s->alarm_next & UINT64_C(0xffffffff))
                        | (uint64_t)(uint32_t)val << 32;
        break;
    case RTC_IRQ_ENABLED:
        s->irq_enabled = val & RTC_IRQ_ENABLE_BIT;
        goldfish_rtc_update(s);
        break;
    case RTC_CLEAR_ALARM:
        goldfish_rtc_clear_alarm(s);
        break;
    case RTC_CLEAR_INTERRUPT:
        s->irq_pending = 0;
        goldfish_rtc_update(s);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: offset 0x%" PRIx64 " is not "
                      "a writable register (value 0x%" PRIx64 ")\n",
                      __func__, offset, val);
        break;
    }
}

static const MemoryRegionOps goldfish_rtc_ops = {
    .read = goldfish_rtc_read,
    .write = goldfish_rtc_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid.min_access_size = 4,
    .valid.max_access_size = 4,
};

static void goldfish_rtc_init(Object *obj)
{
    GoldfishRTCState *s = GOLDFISH_RTC(obj);

    memory_region_init_io(&s->iomem, obj, &goldfish_rtc_ops, s,
                          TYPE_GOLDFISH_RTC, GOLDFISH_RTC_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
}

/* The counter starts at the -rtc date; it is not reset with the VM. */
static void goldfish_rtc_realize(DeviceState *dev, Error **errp)
{
    GoldfishRTCState *s = GOLDFISH_RTC(dev);

    s->clock = rtc_clock;
    s->timer = timer_new_ns(s->clock, goldfish_rtc_fire, s);
    s->tick_offset = qemu_rtc_now_ns() - qemu_clock_get_ns(s->clock);
}

static void goldfish_rtc_unrealize(DeviceState *dev)
{
    GoldfishRTCState *s = GOLDFISH_RTC(dev);

    timer_free(s->timer);
    s->timer = NULL;
}

static void goldfish_rtc_reset(DeviceState *dev)
{
    GoldfishRTCState *s = GOLDFISH_RTC(dev);

    goldfish_rtc_clear_alarm(s);
    s->alarm_next = 0;
    s->irq_pending = 0;
    s->irq_enabled = 0;
    s->time_high = 0;
    goldfish_rtc_update(s);
}

static void goldfish_rtc_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->realize = goldfish_rtc_realize;
    dc->unrealize = goldfish_rtc_unrealize;
    dc->user_creatable = false;
    device_class_set_legacy_reset(dc, goldfish_rtc_reset);
}

DeviceState *goldfish_rtc_create(hwaddr addr, qemu_irq irq)
{
    return sysbus_create_simple(TYPE_GOLDFISH_RTC, addr, irq);
}

static const TypeInfo goldfish_rtc_info = {
    .name = TYPE_GOLDFISH_RTC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(GoldfishRTCState),
    .instance_init = goldfish_rtc_init,
    .class_init = goldfish_rtc_class_init,
};

static void goldfish_rtc_register_types(void)
{
    type_register_static(&goldfish_rtc_info);
}

type_init(goldfish_rtc_register_types)
