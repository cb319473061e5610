/*
 * sifive_test.c: SiFive test finisher.
 *
 * OpenSBI's and Linux's syscon power-off/reboot drivers write here (the
 * device tree's /poweroff and /reboot nodes point at it).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "sysemu/runstate.h"
#include "hw/misc/sifive_test.h"

#define FINISHER_REG        0x0
#define FINISHER_CODE_MASK  0xffff

static uint64_t sifive_test_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void sifive_test_write(void *opaque, hwaddr addr, uint64_t val,
                              unsigned size)
{
    uint32_t status = val & FINISHER_CODE_MASK;
    uint32_t code = (val >> 16) & FINISHER_CODE_MASK;

    if (addr != FINISHER_REG) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: write to offset 0x%" PRIx64
                      " (only 0x0 is a register), value 0x%" PRIx64 "\n",
                      __func__, addr, val);
        return;
    }
    switch (status) {
    case FINISHER_FAIL:
        qemu_system_exit_request(code);
        return;
    case FINISHER_PASS:
        qemu_system_exit_request(0);
        return;
    case FINISHER_RESET:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "%s: unknown command 0x%" PRIx64
                      " (0x5555 pass, 0x3333 | code << 16 fail, 0x7777 "
                      "reset)\n", __func__, val);
        return;
    }
}

static const MemoryRegionOps sifive_test_ops = {
    .read = sifive_test_read,
    .write = sifive_test_write,
    .endianness = DEVICE_NATIVE_ENDIAN,
    .valid.min_access_size = 2,
    .valid.max_access_size = 4,
};

static void sifive_test_init(Object *obj)
{
    SiFiveTestState *s = SIFIVE_TEST(obj);

    memory_region_init_io(&s->mmio, obj, &sifive_test_ops, s,
                          TYPE_SIFIVE_TEST, SIFIVE_TEST_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->mmio);
}

static void sifive_test_class_init(ObjectClass *klass, void *data)
{
    DEVICE_CLASS(klass)->user_creatable = false;
}

DeviceState *sifive_test_create(hwaddr addr)
{
    return sysbus_create_simple(TYPE_SIFIVE_TEST, addr, NULL);
}

static const TypeInfo sifive_test_info = {
    .name = TYPE_SIFIVE_TEST,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(SiFiveTestState),
    .instance_init = sifive_test_init,
    .class_init = sifive_test_class_init,
};

static void sifive_test_register_types(void)
{
    type_register_static(&sifive_test_info);
}

type_init(sifive_test_register_types)
