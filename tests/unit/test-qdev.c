/*
 * test-qdev.c: device realize, properties, GPIO lines and interception,
 * buses and reset, the machine class and the -smp rules.
 */
#include "qemu/osdep.h"
#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/boards.h"
#include "hw/sysbus.h"
#include "sysemu/reset.h"
#include "qapi/error.h"

#define TYPE_TEST_DEV "test-dev"
#define TYPE_TEST_BUS "test-bus"
#define TYPE_TEST_SBD "test-sbd"
#define TYPE_TEST_BUSDEV "test-busdev"

typedef struct TestDev {
    DeviceState parent_obj;

    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    int32_t i32;
    bool flag;
    uint32_t bits;
    uint64_t size;
    char *label;
    Object *peer;
    uint32_t num_vals;
    uint32_t *vals;

    bool fail_realize;
    int resets;
    int in_level[4];
    qemu_irq out[2];
} TestDev;

#define TEST_DEV(obj) OBJECT_CHECK(TestDev, obj, TYPE_TEST_DEV)

static GString *events;

static Property test_dev_props[] = {
    DEFINE_PROP_UINT8("u8", TestDev, u8, 8),
    DEFINE_PROP_UINT16("u16", TestDev, u16, 16),
    DEFINE_PROP_UINT32("u32", TestDev, u32, 32),
    DEFINE_PROP_UINT64("u64", TestDev, u64, 64),
    DEFINE_PROP_INT32("i32", TestDev, i32, -32),
    DEFINE_PROP_BOOL("flag", TestDev, flag, true),
    DEFINE_PROP_BIT("bit3", TestDev, bits, 3, true),
    DEFINE_PROP_SIZE("size", TestDev, size, 4096),
    DEFINE_PROP_STRING("label", TestDev, label),
    DEFINE_PROP_LINK("peer", TestDev, peer, TYPE_TEST_DEV, Object *),
    DEFINE_PROP_ARRAY("vals", TestDev, num_vals, vals, qdev_prop_uint32,
                      uint32_t),
    DEFINE_PROP_BOOL("fail", TestDev, fail_realize, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void test_dev_in(void *opaque, int n, int level)
{
    TestDev *s = opaque;

    s->in_level[n] = level;
    g_string_append_printf(events, "in%d=%d;", n, level);
}

static void test_dev_init(Object *obj)
{
    TestDev *s = TEST_DEV(obj);

    qdev_init_gpio_in(DEVICE(s), test_dev_in, 2);
    qdev_init_gpio_in_named(DEVICE(s), test_dev_in, "extra", 4);
    qdev_init_gpio_out(DEVICE(s), s->out, 2);
}

static void test_dev_realize(DeviceState *dev, Error **errp)
{
    TestDev *s = TEST_DEV(dev);

    if (s->fail_realize) {
        error_setg(errp, "test-dev: realize refused");
        return;
    }
    g_string_append_printf(events, "realize:%u;", s->u32);
}

static void test_dev_unrealize(DeviceState *dev)
{
    g_string_append_printf(events, "unrealize:%u;", TEST_DEV(dev)->u32);
}

static void test_dev_reset(DeviceState *dev)
{
    TEST_DEV(dev)->resets++;
    g_string_append_printf(events, "reset:%u;", TEST_DEV(dev)->u32);
}

static void test_dev_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = test_dev_realize;
    dc->unrealize = test_dev_unrealize;
    device_class_set_legacy_reset(dc, test_dev_reset);
    device_class_set_props(dc, test_dev_props);
}

/* ---- A sysbus device: one register window and one interrupt ---- */

#define TEST_SBD_REG_ID     0x0     /* reads 0x5bd00000 + reset count */
#define TEST_SBD_REG_IRQ    0x4     /* writes set the interrupt level */

typedef struct TestSbd {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    qemu_irq irq;
    uint32_t resets;
} TestSbd;

#define TEST_SBD(obj) OBJECT_CHECK(TestSbd, obj, TYPE_TEST_SBD)

static uint64_t test_sbd_read(void *opaque, hwaddr addr, unsigned size)
{
    TestSbd *s = opaque;

    return addr == TEST_SBD_REG_ID ? 0x5bd00000 + s->resets : 0;
}

static void test_sbd_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    TestSbd *s = opaque;

    if (addr == TEST_SBD_REG_IRQ) {
        qemu_set_irq(s->irq, val != 0);
    }
}

static const MemoryRegionOps test_sbd_ops = {
    .read = test_sbd_read,
    .write = test_sbd_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void test_sbd_init(Object *obj)
{
    TestSbd *s = TEST_SBD(obj);

    memory_region_init_io(&s->iomem, obj, &test_sbd_ops, s, "test-sbd",
                          0x10);
    sysbus_init_mmio(SYS_BUS_DEVICE(s), &s->iomem);
    sysbus_init_irq(SYS_BUS_DEVICE(s), &s->irq);
}

/* MemoryRegions are not QOM objects here: their owner finalizes them. */
static void test_sbd_finalize(Object *obj)
{
    memory_region_finalize(&TEST_SBD(obj)->iomem);
}

static void test_sbd_reset(DeviceState *dev)
{
    TEST_SBD(dev)->resets++;
}

static void test_sbd_class_init(ObjectClass *oc, void *data)
{
    device_class_set_legacy_reset(DEVICE_CLASS(oc), test_sbd_reset);
}

/* ---- A bus holding one device, and a device that needs it ---- */

static void test_bus_class_init(ObjectClass *oc, void *data)
{
    BUS_CLASS(oc)->max_dev = 1;
}

static void test_busdev_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_TEST_BUS;
    dc->desc = "Test bus device";
    device_class_set_category(dc, DEVICE_CATEGORY_STORAGE);
    device_class_set_category(dc, DEVICE_CATEGORY_MISC);
}

/* ---- A test machine named like riscv's "virt" ---- */

static void test_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "Test board";
    mc->max_cpus = 512;
    mc->is_default = true;
    mc->default_ram_size = 128 * MiB;
}

static void other_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "Other board";
    mc->max_cpus = 8;
    mc->min_cpus = 2;
    mc->smp_props.dies_supported = true;
    mc->smp_props.prefer_sockets = true;
}

static const TypeInfo test_qdev_types[] = {
    {
        .name = TYPE_TEST_DEV,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(TestDev),
        .instance_init = test_dev_init,
        .class_init = test_dev_class_init,
    }, {
        .name = TYPE_TEST_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(BusState),
        .class_init = test_bus_class_init,
    }, {
        .name = TYPE_TEST_BUSDEV,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(DeviceState),
        .class_init = test_busdev_class_init,
    }, {
        .name = TYPE_TEST_SBD,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(TestSbd),
        .instance_init = test_sbd_init,
        .instance_finalize = test_sbd_finalize,
        .class_init = test_sbd_class_init,
    }, {
        .name = MACHINE_TYPE_NAME("virt"),
        .parent = TYPE_MACHINE,
        .class_init = test_machine_class_init,
    }, {
        .name = MACHINE_TYPE_NAME("other"),
        .parent = TYPE_MACHINE,
        .class_init = other_machine_class_init,
    },
};

DEFINE_TYPES(test_qdev_types)

static void assert_error(Error *err, const char *expected)
{
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, expected);
    error_free(err);
}

static TestDev *new_dev(uint32_t tag)
{
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);

    qdev_prop_set_uint32(dev, "u32", tag);
    return TEST_DEV(dev);
}

static void unparent_all_unattached(void)
{
    Object *obj = object_resolve_path("/machine", NULL);

    if (obj) {
        object_unparent(obj);
    }
}

/* ---- Properties ---- */

static void test_prop_defaults(void)
{
    TestDev *s = TEST_DEV(qdev_new(TYPE_TEST_DEV));
    g_autofree char *label = NULL;

    g_assert_cmpuint(s->u8, ==, 8);
    g_assert_cmpuint(s->u16, ==, 16);
    g_assert_cmpuint(s->u32, ==, 32);
    g_assert_cmpuint(s->u64, ==, 64);
    g_assert_cmpint(s->i32, ==, -32);
    g_assert_true(s->flag);
    g_assert_cmpuint(s->bits, ==, 1u << 3);
    g_assert_cmpuint(s->size, ==, 4096);
    g_assert_null(s->label);
    label = object_property_get_str(OBJECT(s), "label", &error_abort);
    g_assert_cmpstr(label, ==, "");
    object_unref(s);
}

static void test_prop_set(void)
{
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);
    TestDev *s = TEST_DEV(dev);
    Error *err = NULL;

    qdev_prop_set_uint8(dev, "u8", 0xff);
    qdev_prop_set_uint16(dev, "u16", 0xffff);
    qdev_prop_set_uint64(dev, "u64", UINT64_MAX);
    qdev_prop_set_int32(dev, "i32", INT32_MIN);
    qdev_prop_set_bit(dev, "bit3", false);
    qdev_prop_set_string(dev, "label", "uart0");
    object_property_parse(OBJECT(dev), "size", "2M", &error_abort);
    g_assert_cmpuint(s->u8, ==, 0xff);
    g_assert_cmpuint(s->u16, ==, 0xffff);
    g_assert_cmpuint(s->u64, ==, UINT64_MAX);
    g_assert_cmpint(s->i32, ==, INT32_MIN);
    g_assert_cmpuint(s->bits, ==, 0);
    g_assert_cmpstr(s->label, ==, "uart0");
    g_assert_cmpuint(s->size, ==, 2 * MiB);

    g_assert_false(object_property_parse(OBJECT(dev), "u16", "65536",
                                         &err));
    assert_error(err, "Parameter 'u16' expects uint16_t");
    err = NULL;
    g_assert_false(object_property_parse(OBJECT(dev), "i32", "2147483648",
                                         &err));
    assert_error(err, "Parameter 'i32' expects int32_t");
    object_unref(dev);
}

static void test_prop_array(void)
{
    DeviceState *dev = qdev_new(TYPE_TEST_DEV);
    TestDev *s = TEST_DEV(dev);
    Error *err = NULL;

    object_property_parse(OBJECT(dev), "len-vals", "3", &error_abort);
    object_property_parse(OBJECT(dev), "vals[2]", "7", &error_abort);
    qdev_prop_set_uint32(dev, "vals[0]", 5);
    g_assert_cmpuint(s->num_vals, ==, 3);
    g_assert_cmpuint(s->vals[0], ==, 5);
    g_assert_cmpuint(s->vals[1], ==, 0);
    g_assert_cmpuint(s->vals[2], ==, 7);
    g_assert_false(object_property_parse(OBJECT(dev), "len-vals", "4",
                                         &err));
    assert_error(err, "array size property len-vals may not be set more "
                 "than once");
    g_assert_null(object_property_find(OBJECT(dev), "vals[3]"));
    object_unref(dev);
}

static void test_prop_link(void)
{
    DeviceState *a = qdev_new(TYPE_TEST_DEV);
    Object *container = object_new(TYPE_CONTAINER);
    Error *err = NULL;

    object_property_set_link(OBJECT(a), "peer", OBJECT(a), &error_abort);
    g_assert_true(TEST_DEV(a)->peer == OBJECT(a));
    object_property_set_link(OBJECT(a), "peer", NULL, &error_abort);
    g_assert_false(object_property_set_link(OBJECT(a), "peer", container,
                                            &err));
    assert_error(err, "Invalid parameter type for 'peer', expected: "
                 "test-dev");
    object_unref(container);
    object_unref(a);
}

static void test_prop_after_realize(void)
{
    TestDev *s = new_dev(1);
    DeviceState *dev = DEVICE(s);
    Error *err = NULL;

    qdev_realize(dev, NULL, &error_abort);
    g_assert_false(object_property_set_uint(OBJECT(dev), "u8", 1, &err));
    assert_error(err, "Attempt to set property 'u8' on anonymous device "
                 "(type 'test-dev') after it was realized");
    err = NULL;
    dev->id = g_strdup("d0");
    g_assert_false(object_property_parse(OBJECT(dev), "flag", "off",
                                         &err));
    assert_error(err, "Attempt to set property 'flag' on device 'd0' "
                 "(type 'test-dev') after it was realized");
    g_assert_true(s->flag);
    object_unref(dev);
    unparent_all_unattached();
}

static void test_device_help(void)
{
    if (g_test_subprocess()) {
        g_assert_true(qdev_device_print_help(TYPE_TEST_DEV));
        g_assert_false(qdev_device_print_help(TYPE_CONTAINER));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("test-dev options:\n"
                              "  bit3=<bool>            - on/off "
                              "(default: true)\n"
                              "  fail=<bool>            - on/off "
                              "(default: false)\n"
                              "  flag=<bool>            - on/off "
                              "(default: true)\n"
                              "  i32=<int32>            -  (default: -32)\n"
                              "  label=<str>\n"
                              "  len-vals=<uint32>      -  (default: 0)\n"
                              "  peer=<link<test-dev>>\n"
                              "  size=<size>            -  "
                              "(default: 4096)\n"
                              "  u16=<uint16>           -  (default: 16)\n"
                              "  u32=<uint32>           -  (default: 32)\n"
                              "  u64=<uint64>           -  (default: 64)\n"
                              "  u8=<uint8>             -  (default: 8)\n");
}

/* ---- Realize ---- */

static void test_realize_order_and_paths(void)
{
    TestDev *a = new_dev(10), *b = new_dev(11), *c = new_dev(12), *d;
    g_autofree char *path_b = NULL;
    Error *err = NULL;

    g_string_truncate(events, 0);
    qdev_realize_and_unref(DEVICE(a), NULL, &error_abort);
    qdev_realize_and_unref(DEVICE(b), NULL, &error_abort);
    g_assert_cmpstr(events->str, ==, "realize:10;realize:11;");
    g_assert_true(DEVICE(a)->realized);
    g_assert_true(object_property_get_bool(OBJECT(a), "realized", NULL));
    path_b = object_get_canonical_path(OBJECT(b));
    g_assert_cmpstr(path_b, ==, "/machine/unattached/device[1]");

    /* A failing realize leaves no device[2] behind. */
    qdev_prop_set_bit(DEVICE(c), "fail", true);
    g_assert_false(qdev_realize(DEVICE(c), NULL, &err));
    assert_error(err, "test-dev: realize refused");
    g_assert_false(DEVICE(c)->realized);
    g_assert_null(object_resolve_path("/machine/unattached/device[2]",
                                      NULL));
    qdev_prop_set_bit(DEVICE(c), "fail", false);
    qdev_realize_and_unref(DEVICE(c), NULL, &error_abort);
    g_assert_true(object_resolve_path("/machine/unattached/device[2]",
                                      NULL) == OBJECT(c));

    /* Unparenting unrealizes. */
    g_string_truncate(events, 0);
    object_unparent(OBJECT(a));
    g_assert_cmpstr(events->str, ==, "unrealize:10;");

    /* As in QEMU, the counter does not reuse device[0]. */
    d = new_dev(13);
    qdev_realize_and_unref(DEVICE(d), NULL, &error_abort);
    g_assert_true(object_resolve_path("/machine/unattached/device[3]",
                                      NULL) == OBJECT(d));
    g_assert_null(object_resolve_path("/machine/unattached/device[0]",
                                      NULL));
    unparent_all_unattached();
}

/* ---- GPIO ---- */

static GString *observed;

static void observe(void *opaque, int n, int level)
{
    g_string_append_printf(observed, "%s%d=%d;", (char *)opaque, n, level);
}

static void test_gpio_connect(void)
{
    TestDev *src = new_dev(1), *dst = new_dev(2);
    NamedGPIOList *gl;

    qdev_connect_gpio_out(DEVICE(src), 1, qdev_get_gpio_in(DEVICE(dst), 0));
    qemu_set_irq(src->out[1], 1);
    g_assert_cmpint(dst->in_level[0], ==, 1);
    qemu_set_irq(qdev_get_gpio_in_named(DEVICE(dst), "extra", 3), 1);
    g_assert_cmpint(dst->in_level[3], ==, 1);
    g_assert_true(qdev_get_gpio_out_connector(DEVICE(src), NULL, 1) ==
                  qdev_get_gpio_in(DEVICE(dst), 0));

    gl = qdev_get_named_gpio_list(DEVICE(dst), NULL);
    g_assert_cmpint(gl->num_in, ==, 2);
    g_assert_cmpint(gl->num_out, ==, 2);
    g_assert_cmpint(qdev_get_named_gpio_list(DEVICE(dst), "extra")->num_in,
                    ==, 4);
    g_assert_null(qdev_get_named_gpio_list(DEVICE(dst), "nosuch"));
    object_unref(src);
    object_unref(dst);
}

static void test_gpio_intercept(void)
{
    TestDev *src = new_dev(1), *dst = new_dev(2);

    observed = g_string_new(NULL);
    g_string_truncate(events, 0);
    qdev_connect_gpio_out(DEVICE(src), 0, qdev_get_gpio_in(DEVICE(dst), 1));

    /* Outputs: the connection still gets the level, then the observer. */
    g_assert_true(qdev_intercept_gpio_out(DEVICE(src), observe,
                                          (char *)"out"));
    qemu_set_irq(src->out[0], 1);
    qemu_set_irq(src->out[1], 1);
    g_assert_cmpint(dst->in_level[1], ==, 1);
    g_assert_cmpstr(observed->str, ==, "out0=1;out1=1;");

    /* A connection made after interception is honoured. */
    qdev_connect_gpio_out(DEVICE(src), 1, qdev_get_gpio_in(DEVICE(dst), 0));
    qemu_set_irq(src->out[1], 0);
    g_assert_cmpstr(events->str, ==, "in1=1;in0=0;");

    /* Inputs: the device's handler runs, then the observer. */
    g_string_truncate(observed, 0);
    g_assert_true(qdev_intercept_gpio_in(DEVICE(dst), observe, (char *)"in"));
    qemu_set_irq(qdev_get_gpio_in(DEVICE(dst), 1), 0);
    g_assert_cmpint(dst->in_level[1], ==, 0);
    g_assert_cmpstr(observed->str, ==, "in1=0;");
    /* The named list is not intercepted. */
    qemu_set_irq(qdev_get_gpio_in_named(DEVICE(dst), "extra", 2), 1);
    g_assert_cmpstr(observed->str, ==, "in1=0;");

    object_unref(src);
    object_unref(dst);
    g_string_free(observed, true);
}

static void test_gpio_bad_line_aborts(void)
{
    if (g_test_subprocess()) {
        TestDev *s = new_dev(1);

        qdev_get_gpio_in_named(DEVICE(s), "foo", 0);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*device 'test-dev' has no GPIO input line "
                              "'foo'[0]*");
}

/* ---- Buses and reset ---- */

static void count_reset(void *opaque)
{
    g_string_append_printf(events, "handler:%s;", (char *)opaque);
}

static void test_bus_and_reset(void)
{
    TestDev *host = new_dev(1), *a = new_dev(2), *b = new_dev(3);
    BusState *bus = qbus_new(TYPE_TEST_BUS, DEVICE(host), "tbus.0");

    g_assert_true(qdev_get_child_bus(DEVICE(host), "tbus.0") == bus);
    qdev_realize_and_unref(DEVICE(host), NULL, &error_abort);
    qdev_realize_and_unref(DEVICE(a), bus, &error_abort);
    qdev_realize_and_unref(DEVICE(b), bus, &error_abort);
    g_assert_true(qdev_get_parent_bus(DEVICE(a)) == bus);
    g_assert_cmpint(bus->num_children, ==, 2);

    /* Bus children (newest first), then the device itself. */
    g_string_truncate(events, 0);
    qemu_register_reset(count_reset, (char *)"x");
    qemu_register_reset((QEMUResetHandler *)device_cold_reset, host);
    qemu_register_reset(count_reset, (char *)"y");
    qemu_devices_reset();
    g_assert_cmpstr(events->str, ==,
                    "handler:x;reset:3;reset:2;reset:1;handler:y;");
    qemu_unregister_reset(count_reset, (char *)"x");
    qemu_unregister_reset((QEMUResetHandler *)device_cold_reset, host);
    qemu_unregister_reset(count_reset, (char *)"y");
    g_string_truncate(events, 0);
    qemu_devices_reset();
    g_assert_cmpstr(events->str, ==, "");

    /* Unparenting the host unrealizes its bus's devices first. */
    object_unparent(OBJECT(host));
    g_assert_cmpstr(events->str, ==,
                    "unrealize:3;unrealize:2;unrealize:1;");
    unparent_all_unattached();
}

/* ---- Sysbus ---- */

static void test_sysbus(void)
{
    TestDev *sink = new_dev(7);
    DeviceState *dev;
    TestSbd *s;
    Error *err = NULL;

    qdev_realize_and_unref(DEVICE(sink), NULL, &error_abort);
    dev = sysbus_create_simple(TYPE_TEST_SBD, 0x10001000,
                               qdev_get_gpio_in(DEVICE(sink), 1));
    s = TEST_SBD(dev);
    g_assert_true(sysbus_mmio_get_region(SYS_BUS_DEVICE(s), 0) ==
                  &s->iomem);
    g_assert_true(qdev_get_parent_bus(dev) == sysbus_get_default());
    g_assert_true(object_resolve_path("/machine/unattached/sysbus", NULL)
                  == OBJECT(sysbus_get_default()));

    /* Registers answer at the mapped address; the line reaches sink. */
    g_assert_cmphex(address_space_ldl_le(&address_space_memory,
                                         0x10001000 + TEST_SBD_REG_ID,
                                         MEMTXATTRS_UNSPECIFIED, NULL),
                    ==, 0x5bd00000);
    address_space_stl_le(&address_space_memory,
                         0x10001000 + TEST_SBD_REG_IRQ, 1,
                         MEMTXATTRS_UNSPECIFIED, NULL);
    g_assert_cmpint(sink->in_level[1], ==, 1);
    g_assert_true(sysbus_get_connected_irq(SYS_BUS_DEVICE(s), 0) ==
                  qdev_get_gpio_in(DEVICE(sink), 1));
    g_assert_true(sysbus_has_irq(SYS_BUS_DEVICE(s), 0));
    g_assert_false(sysbus_has_irq(SYS_BUS_DEVICE(s), 1));

    /* Moving the window. */
    sysbus_mmio_map(SYS_BUS_DEVICE(s), 0, 0x10002000);
    g_assert_cmphex(address_space_ldl_le(&address_space_memory,
                                         0x10001000, MEMTXATTRS_UNSPECIFIED,
                                         NULL), ==, 0);
    g_assert_cmphex(address_space_ldl_le(&address_space_memory,
                                         0x10002000, MEMTXATTRS_UNSPECIFIED,
                                         NULL), ==, 0x5bd00000);

    /* The main system bus resets its devices at system reset. */
    qemu_devices_reset();
    g_assert_cmpuint(s->resets, ==, 1);

    /* A sysbus device needs the bus: qdev_realize(dev, NULL) refuses. */
    dev = qdev_new(TYPE_TEST_SBD);
    g_assert_false(qdev_realize(dev, NULL, &err));
    assert_error(err, "Device 'test-sbd' needs a bus of type 'System'");
    object_unref(dev);
    sysbus_mmio_unmap(SYS_BUS_DEVICE(s), 0);
}

/* ---- -device ---- */

static QemuOptsList device_opts = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { } },
};

/* A second list, so one id can be parsed twice. */
static QemuOptsList other_list = {
    .name = "device",
    .implied_opt_name = "driver",
    .desc = { { } },
};

static DeviceState *device_add(const char *text, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&device_opts, text, true,
                                     &error_abort);
    DeviceState *dev = qdev_device_add(opts, errp);

    qemu_opts_del(opts);
    return dev;
}

static void test_device_list(void)
{
    if (g_test_subprocess()) {
        qdev_print_device_list();
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    /* Like QEMU, a blank line before every category but the first. */
    g_test_trap_assert_stdout("\nStorage devices:\n"
                              "name \"test-busdev\", bus test-bus, desc "
                              "\"Test bus device\"\n"
                              "\n"
                              "Misc devices:\n"
                              "name \"test-busdev\", bus test-bus, desc "
                              "\"Test bus device\"\n"
                              "\n"
                              "Uncategorized devices:\n"
                              "name \"test-dev\"\n");
}

static void test_device_add_errors(void)
{
    static const struct {
        const char *text, *error;
    } rows[] = {
        { "id=x", "Parameter 'driver' is missing" },
        { "nosuch", "'nosuch' is not a valid device model name" },
        { "container", "'container' is not a valid device model name" },
        { "device", "Parameter 'driver' expects a non-abstract device "
          "type" },
        { "test-sbd", "Parameter 'driver' expects a pluggable device type" },
        { "test-dev,bus=nosuch", "Bus 'nosuch' not found" },
        { "test-dev,bogus=1", "Property 'test-dev.bogus' not found" },
        { "test-dev,u8=x", "Parameter 'u8' expects integer" },
        { "test-dev,u8=300", "Parameter 'u8' expects uint8_t" },
        { "test-dev,u16=-1", "Parameter 'u16' expects uint16_t" },
        { "test-dev,i32=1x", "Parameter 'i32' expects integer" },
        { "test-dev,size=x", "Parameter 'size' expects size" },
        { "test-dev,flag=x", "Parameter 'flag' expects 'on' or 'off'" },
        { "test-dev,fail=on", "test-dev: realize refused" },
        { "test-busdev", "No 'test-bus' bus found for device "
          "'test-busdev'" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        Error *err = NULL;

        g_test_message("row %zu", i);
        g_assert_null(device_add(rows[i].text, &err));
        assert_error(err, rows[i].error);
    }
    /* Failed devices leave nothing in the tree. */
    g_assert_null(object_resolve_path("/machine/peripheral-anon/device[0]",
                                      NULL));
    unparent_all_unattached();
}

static void test_device_add(void)
{
    DeviceState *sbd0 = sysbus_create_simple(TYPE_TEST_SBD, -1, NULL);
    DeviceState *sbd1 = sysbus_create_simple(TYPE_TEST_SBD, -1, NULL);
    BusState *bus0 = qbus_new(TYPE_TEST_BUS, sbd0, "tbus.0");
    BusState *bus1 = qbus_new(TYPE_TEST_BUS, sbd1, "tbus.1");
    DeviceState *a, *b, *c;
    Error *err = NULL;

    a = device_add("test-dev,id=a,u32=5,size=1M", &error_abort);
    g_assert_true(object_resolve_path("/machine/peripheral/a", NULL) ==
                  OBJECT(a));
    g_assert_cmpstr(a->id, ==, "a");
    g_assert_true(a->realized);
    g_assert_cmpuint(TEST_DEV(a)->size, ==, MiB);

    /* The newest transport's bus first, then the next one. */
    b = device_add("test-busdev", &error_abort);
    g_assert_true(qdev_get_parent_bus(b) == bus1);
    c = device_add("test-busdev", &error_abort);
    g_assert_true(qdev_get_parent_bus(c) == bus0);
    g_assert_true(object_resolve_path("/machine/peripheral-anon/device[1]",
                                      NULL) == OBJECT(c));
    g_assert_null(device_add("test-busdev", &err));
    assert_error(err, "No 'test-bus' bus found for device 'test-busdev'");
    err = NULL;
    g_assert_null(device_add("test-busdev,bus=tbus.0", &err));
    assert_error(err, "Bus 'tbus.0' is full");
    err = NULL;
    g_assert_null(device_add("test-dev,bus=tbus.0", &err));
    assert_error(err, "Device 'test-dev' can't go on test-bus bus");

    /* An id already in use (through a list that allows it). */
    {
        QemuOpts *opts = qemu_opts_parse(&other_list, "test-dev,id=a",
                                         true, &error_abort);

        err = NULL;
        g_assert_null(qdev_device_add(opts, &err));
        assert_error(err, "Duplicate ID 'a' for device");
        qemu_opts_reset(&other_list);
    }
    unparent_all_unattached();
}

/* ---- Machine ---- */

static MachineState *new_machine(const char *type)
{
    return MACHINE(object_new(type));
}

static void test_machine_class(void)
{
    MachineClass *mc = machine_find_class("virt");
    MachineState *ms;

    g_assert_nonnull(mc);
    g_assert_cmpstr(mc->name, ==, "virt");
    g_assert_true(find_default_machine() == mc);
    g_assert_null(machine_find_class("nosuch"));

    ms = new_machine(MACHINE_TYPE_NAME("virt"));
    g_assert_cmpuint(ms->ram_size, ==, 128 * MiB);
    g_assert_cmpuint(ms->smp.cpus, ==, 1);
    object_property_parse(OBJECT(ms), "dumpdtb", "x.dtb", &error_abort);
    object_property_parse(OBJECT(ms), "append", "console=ttyS0",
                          &error_abort);
    object_property_parse(OBJECT(ms), "mem-merge", "off", &error_abort);
    g_assert_cmpstr(ms->dumpdtb, ==, "x.dtb");
    g_assert_cmpstr(ms->kernel_cmdline, ==, "console=ttyS0");
    g_assert_false(ms->mem_merge);
    object_unref(ms);
}

static void test_machine_list(void)
{
    if (g_test_subprocess()) {
        machine_print_list();
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("Supported machines are:\n"
                              "other                Other board\n"
                              "virt                 Test board "
                              "(default)\n");
}

/*
 * -smp rows checked against qemu-system-riscv64 7.2 -M virt (error text,
 * or the topology qom-get /machine smp reports).  Keys absent are not
 * given; a value of -1 in the table means "not given".
 */
typedef struct SmpRow {
    const char *machine;
    int64_t cpus, sockets, dies, cores, threads, maxcpus, clusters;
    const char *error;
    unsigned r_cpus, r_sockets, r_cores, r_threads, r_max;
} SmpRow;

#define N (-1)

static const SmpRow smp_rows[] = {
    { "virt", 4, 3, N, N, N, N, N, "Invalid CPU topology: product of the "
      "hierarchy must match maxcpus: sockets (3) * cores (1) * threads (1)"
      " != maxcpus (4)" },
    { "virt", 4, N, N, N, N, 2, N, "Invalid CPU topology: maxcpus must be "
      "equal to or greater than smp: sockets (1) * cores (2) * threads (1)"
      " == maxcpus (2) < smp_cpus (4)" },
    { "virt", 513, N, N, N, N, N, N, "Invalid SMP CPUs 513. The max CPUs "
      "supported by machine 'virt' is 512" },
    { "virt", 4, 2, N, 3, N, N, N, "Invalid CPU topology: product of the "
      "hierarchy must match maxcpus: sockets (2) * cores (3) * threads (0)"
      " != maxcpus (4)" },
    { "virt", 4, N, 2, N, N, N, N, "dies not supported by this machine's "
      "CPU topology" },
    { "virt", 4, N, N, N, N, N, 2, "clusters not supported by this "
      "machine's CPU topology" },
    { "virt", 4, 2, N, 2, 2, N, N, "Invalid CPU topology: product of the "
      "hierarchy must match maxcpus: sockets (2) * cores (2) * threads (2)"
      " != maxcpus (4)" },
    { "virt", 2, N, N, N, 4, N, N, "Invalid CPU topology: product of the "
      "hierarchy must match maxcpus: sockets (1) * cores (0) * threads (4)"
      " != maxcpus (2)" },
    { "virt", 8, 2, N, N, N, 4, N, "Invalid CPU topology: maxcpus must be "
      "equal to or greater than smp: sockets (2) * cores (2) * threads (1)"
      " == maxcpus (4) < smp_cpus (8)" },
    { "virt", 4, 2, N, 2, 1, 8, N, "Invalid CPU topology: product of the "
      "hierarchy must match maxcpus: sockets (2) * cores (2) * threads (1)"
      " != maxcpus (8)" },
    { "virt", 4, N, N, N, N, 600, N, "Invalid SMP CPUs 600. The max CPUs "
      "supported by machine 'virt' is 512" },
    { "virt", N, 600, N, N, N, N, N, "Invalid SMP CPUs 600. The max CPUs "
      "supported by machine 'virt' is 512" },
    { "virt", 4, 1, N, N, N, 3, N, "Invalid CPU topology: maxcpus must be "
      "equal to or greater than smp: sockets (1) * cores (3) * threads (1)"
      " == maxcpus (3) < smp_cpus (4)" },
    { "virt", 6, 2, N, 2, 2, N, N, "Invalid CPU topology: product of the "
      "hierarchy must match maxcpus: sockets (2) * cores (2) * threads (2)"
      " != maxcpus (6)" },
    { "virt", N, 2, N, 2, 2, N, N, NULL, 8, 2, 2, 2, 8 },
    { "virt", 8, 2, N, N, N, N, N, NULL, 8, 2, 4, 1, 8 },
    { "virt", N, N, N, 3, N, N, N, NULL, 3, 1, 3, 1, 3 },
    { "virt", N, N, N, N, N, 8, N, NULL, 8, 1, 8, 1, 8 },
    { "virt", 0, N, N, N, N, N, N, NULL, 1, 1, 1, 1, 1 },
    { "virt", 4, 0, N, N, N, N, N, NULL, 4, 1, 4, 1, 4 },
    { "virt", 2, N, N, N, N, 8, N, NULL, 2, 1, 8, 1, 8 },
    { "virt", 6, N, N, N, 2, N, N, NULL, 6, 1, 3, 2, 6 },
    { "virt", 8, 4, N, N, N, 16, N, NULL, 8, 4, 4, 1, 16 },
    { "virt", 1, N, 1, N, N, N, 1, NULL, 1, 1, 1, 1, 1 },
    /* Rules that riscv virt does not exercise. */
    { "other", 1, N, N, N, N, N, N, "Invalid SMP CPUs 1. The min CPUs "
      "supported by machine 'other' is 2" },
    { "other", 8, N, N, N, N, N, N, NULL, 8, 8, 1, 1, 8 },
    { "other", 8, 2, 2, N, N, N, N, NULL, 8, 2, 2, 1, 8 },
    { "other", 8, 3, 2, N, N, N, N, "Invalid CPU topology: product of the "
      "hierarchy must match maxcpus: sockets (3) * dies (2) * cores (1) * "
      "threads (1) != maxcpus (8)" },
};

static SMPConfiguration smp_config_of(const SmpRow *r)
{
    SMPConfiguration c = {
        .has_cpus = r->cpus != N, .cpus = r->cpus,
        .has_sockets = r->sockets != N, .sockets = r->sockets,
        .has_dies = r->dies != N, .dies = r->dies,
        .has_clusters = r->clusters != N, .clusters = r->clusters,
        .has_cores = r->cores != N, .cores = r->cores,
        .has_threads = r->threads != N, .threads = r->threads,
        .has_maxcpus = r->maxcpus != N, .maxcpus = r->maxcpus,
    };

    return c;
}

static void test_smp_rules(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(smp_rows); i++) {
        const SmpRow *r = &smp_rows[i];
        g_autofree char *type = g_strconcat(r->machine,
                                            TYPE_MACHINE_SUFFIX, NULL);
        MachineState *ms = new_machine(type);
        SMPConfiguration c = smp_config_of(r);
        Error *err = NULL;
        bool ok = machine_parse_smp_config(ms, &c, &err);

        g_test_message("row %zu", i);
        if (r->error) {
            g_assert_false(ok);
            assert_error(err, r->error);
        } else {
            g_assert_true(ok);
            g_assert_cmpuint(ms->smp.cpus, ==, r->r_cpus);
            g_assert_cmpuint(ms->smp.sockets, ==, r->r_sockets);
            g_assert_cmpuint(ms->smp.cores, ==, r->r_cores);
            g_assert_cmpuint(ms->smp.threads, ==, r->r_threads);
            g_assert_cmpuint(ms->smp.max_cpus, ==, r->r_max);
        }
        object_unref(ms);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    events = g_string_new(NULL);
    g_test_add_func("/qdev/prop/defaults", test_prop_defaults);
    g_test_add_func("/qdev/prop/set", test_prop_set);
    g_test_add_func("/qdev/prop/array", test_prop_array);
    g_test_add_func("/qdev/prop/link", test_prop_link);
    g_test_add_func("/qdev/prop/after-realize", test_prop_after_realize);
    g_test_add_func("/qdev/prop/help", test_device_help);
    g_test_add_func("/qdev/realize/order-and-paths",
                    test_realize_order_and_paths);
    g_test_add_func("/qdev/gpio/connect", test_gpio_connect);
    g_test_add_func("/qdev/gpio/intercept", test_gpio_intercept);
    g_test_add_func("/qdev/gpio/bad-line-aborts",
                    test_gpio_bad_line_aborts);
    g_test_add_func("/qdev/bus-and-reset", test_bus_and_reset);
    g_test_add_func("/qdev/sysbus", test_sysbus);
    g_test_add_func("/qdev/device-add/errors", test_device_add_errors);
    g_test_add_func("/qdev/device-list", test_device_list);
    g_test_add_func("/qdev/device-add/placement", test_device_add);
    g_test_add_func("/machine/class", test_machine_class);
    g_test_add_func("/machine/list", test_machine_list);
    g_test_add_func("/machine/smp-rules", test_smp_rules);
    return g_test_run();
}
