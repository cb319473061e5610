/*
 * test-qom.c: types, casts, interfaces, properties, paths and user
 * creatable objects.
 */
#include "qemu/osdep.h"
#include "qom/object.h"
#include "qom/object_interfaces.h"
#include "qapi/error.h"

/* ---- Test types ---- */

#define TYPE_TEST_IFACE "test-iface"
#define TYPE_TEST_BASE "test-base"
#define TYPE_TEST_DERIVED "test-derived"
#define TYPE_TEST_OTHER "test-other"
#define TYPE_TEST_BACKEND "test-backend"

typedef struct TestIfaceClass {
    InterfaceClass parent_class;
    int (*answer)(Object *obj);
} TestIfaceClass;

typedef struct TestBaseClass {
    ObjectClass parent_class;
    int base_init_calls;
    const char *tag;
} TestBaseClass;

typedef struct TestBase {
    Object parent_obj;
    GString *log;
} TestBase;

typedef enum TestMode { MODE_OFF, MODE_FAST, MODE_SLOW, MODE__MAX } TestMode;

static const char *const mode_names[] = { "off", "fast", "slow" };
static const QEnumLookup mode_lookup = { mode_names, MODE__MAX };

typedef struct TestDerived {
    TestBase parent_obj;
    char *name;
    bool on;
    int64_t level;
    uint64_t size;
    uint8_t small;
    int mode;
    GArray *nodes;
    Object *peer;
    Object *strong;
} TestDerived;

#define TEST_BASE(obj) OBJECT_CHECK(TestBase, obj, TYPE_TEST_BASE)
#define TEST_DERIVED(obj) OBJECT_CHECK(TestDerived, obj, TYPE_TEST_DERIVED)
#define TEST_BASE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(TestBaseClass, obj, TYPE_TEST_BASE)
#define TEST_IFACE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(TestIfaceClass, obj, TYPE_TEST_IFACE)

static int finalized;

static void base_class_base_init(ObjectClass *oc, void *data)
{
    ((TestBaseClass *)oc)->base_init_calls++;
}

static void base_class_init(ObjectClass *oc, void *data)
{
    ((TestBaseClass *)oc)->tag = "base";
}

static void base_init(Object *obj)
{
    TEST_BASE(obj)->log = g_string_new("base;");
}

static void base_finalize(Object *obj)
{
    g_string_free(TEST_BASE(obj)->log, true);
    finalized++;
}

static char *get_name(Object *obj, Error **errp)
{
    return g_strdup(TEST_DERIVED(obj)->name);
}

static void set_name(Object *obj, const char *value, Error **errp)
{
    if (!strcmp(value, "bad")) {
        error_setg(errp, "name 'bad' refused");
        return;
    }
    g_free(TEST_DERIVED(obj)->name);
    TEST_DERIVED(obj)->name = g_strdup(value);
}

static bool get_on(Object *obj, Error **errp)
{
    return TEST_DERIVED(obj)->on;
}

static void set_on(Object *obj, bool value, Error **errp)
{
    TEST_DERIVED(obj)->on = value;
}

static int64_t get_level(Object *obj, Error **errp)
{
    return TEST_DERIVED(obj)->level;
}

static void set_level(Object *obj, int64_t value, Error **errp)
{
    TEST_DERIVED(obj)->level = value;
}

static uint64_t get_size(Object *obj, Error **errp)
{
    return TEST_DERIVED(obj)->size;
}

static void set_size(Object *obj, uint64_t value, Error **errp)
{
    TEST_DERIVED(obj)->size = value;
}

static int get_mode(Object *obj, Error **errp)
{
    return TEST_DERIVED(obj)->mode;
}

static void set_mode(Object *obj, int value, Error **errp)
{
    TEST_DERIVED(obj)->mode = value;
}

static GArray *get_nodes(Object *obj, Error **errp)
{
    GArray *src = TEST_DERIVED(obj)->nodes;
    GArray *copy = g_array_new(false, false, sizeof(uint64_t));

    if (src) {
        g_array_append_vals(copy, src->data, src->len);
    }
    return copy;
}

static void set_nodes(Object *obj, GArray *value, Error **errp)
{
    TestDerived *d = TEST_DERIVED(obj);

    if (!d->nodes) {
        d->nodes = g_array_new(false, false, sizeof(uint64_t));
    }
    g_array_set_size(d->nodes, 0);
    g_array_append_vals(d->nodes, value->data, value->len);
}

static int derived_answer(Object *obj)
{
    return 42;
}

static void derived_class_init(ObjectClass *oc, void *data)
{
    TestIfaceClass *ic = OBJECT_CLASS_CHECK(TestIfaceClass, oc,
                                            TYPE_TEST_IFACE);
    ObjectProperty *op;

    ((TestBaseClass *)oc)->tag = "derived";
    ic->answer = derived_answer;

    op = object_class_property_add_str(oc, "name", get_name, set_name);
    object_property_set_default_str(op, "anon");
    object_class_property_set_description(oc, "name", "The name");
    op = object_class_property_add_bool(oc, "on", get_on, set_on);
    object_property_set_default_bool(op, true);
    object_class_property_add_int(oc, "level", "int32", get_level,
                                  set_level);
    object_class_property_add_uint(oc, "size", "size", true, get_size,
                                   set_size);
    object_class_property_add_enum(oc, "mode", "TestMode", &mode_lookup,
                                   get_mode, set_mode);
    object_class_property_add_uint_list(oc, "nodes", "uint16List",
                                        get_nodes, set_nodes);
    object_class_property_add_link(oc, "strong", TYPE_TEST_BASE,
                                   offsetof(TestDerived, strong),
                                   object_property_allow_set_link,
                                   OBJ_PROP_LINK_STRONG);
}

static void derived_init(Object *obj)
{
    TestDerived *d = TEST_DERIVED(obj);

    g_string_append(TEST_BASE(obj)->log, "derived;");
    object_property_add_uint8_ptr(obj, "small", &d->small,
                                  OBJ_PROP_FLAG_READWRITE);
    object_property_add_link(obj, "peer", TYPE_TEST_OTHER, &d->peer,
                             object_property_allow_set_link, 0);
}

static void derived_post_init(Object *obj)
{
    g_string_append(TEST_BASE(obj)->log, "post;");
}

static void derived_finalize(Object *obj)
{
    TestDerived *d = TEST_DERIVED(obj);

    g_free(d->name);
    if (d->nodes) {
        g_array_free(d->nodes, true);
    }
}

/* ---- A user creatable backend ---- */

typedef struct TestBackend {
    Object parent_obj;
    uint64_t size;
    bool share;
    bool in_use;
    bool completed;
} TestBackend;

#define TEST_BACKEND(obj) OBJECT_CHECK(TestBackend, obj, TYPE_TEST_BACKEND)

static uint64_t backend_get_size(Object *obj, Error **errp)
{
    return TEST_BACKEND(obj)->size;
}

static void backend_set_size(Object *obj, uint64_t value, Error **errp)
{
    if (!value) {
        error_setg(errp, "property 'size' of %s doesn't take value '0'",
                   object_get_typename(obj));
        return;
    }
    TEST_BACKEND(obj)->size = value;
}

static bool backend_get_share(Object *obj, Error **errp)
{
    return TEST_BACKEND(obj)->share;
}

static void backend_set_share(Object *obj, bool value, Error **errp)
{
    TEST_BACKEND(obj)->share = value;
}

static void backend_complete(UserCreatable *uc, Error **errp)
{
    TEST_BACKEND(uc)->completed = true;
}

static bool backend_can_be_deleted(UserCreatable *uc)
{
    return !TEST_BACKEND(uc)->in_use;
}

static void backend_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = backend_complete;
    ucc->can_be_deleted = backend_can_be_deleted;
    object_class_property_add_uint(oc, "size", "int", true,
                                   backend_get_size, backend_set_size);
    object_class_property_set_description(oc, "size",
                                          "Size of the memory region");
    object_class_property_set_required(oc, "size");
    object_class_property_add_bool(oc, "share", backend_get_share,
                                   backend_set_share);
}

static const TypeInfo test_types[] = {
    {
        .name = TYPE_TEST_IFACE,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(TestIfaceClass),
    }, {
        .name = TYPE_TEST_BASE,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(TestBase),
        .instance_init = base_init,
        .instance_finalize = base_finalize,
        .class_size = sizeof(TestBaseClass),
        .class_init = base_class_init,
        .class_base_init = base_class_base_init,
    }, {
        .name = TYPE_TEST_DERIVED,
        .parent = TYPE_TEST_BASE,
        .instance_size = sizeof(TestDerived),
        .instance_init = derived_init,
        .instance_post_init = derived_post_init,
        .instance_finalize = derived_finalize,
        .class_init = derived_class_init,
        .interfaces = (InterfaceInfo[]) { { TYPE_TEST_IFACE }, { } },
    }, {
        .name = TYPE_TEST_OTHER,
        .parent = TYPE_TEST_BASE,
    }, {
        .name = TYPE_TEST_BACKEND,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(TestBackend),
        .class_init = backend_class_init,
        .interfaces = (InterfaceInfo[]) { { TYPE_USER_CREATABLE }, { } },
    },
};

DEFINE_TYPES(test_types)

static char *error_text(Error *err)
{
    char *msg;

    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

#define assert_error(err, expected) do { \
        g_autofree char *msg_ = error_text(err); \
        g_assert_cmpstr(msg_, ==, (expected)); \
        (err) = NULL; \
    } while (0)

/* ---- Types and casts ---- */

static void test_type_init_order(void)
{
    Object *obj = object_new(TYPE_TEST_DERIVED);
    TestBaseClass *bc = TEST_BASE_GET_CLASS(obj);
    int before = finalized;

    g_assert_cmpstr(TEST_BASE(obj)->log->str, ==, "base;derived;post;");
    g_assert_cmpstr(bc->tag, ==, "derived");
    /* The base's class_base_init ran once, for the derived class. */
    g_assert_cmpint(bc->base_init_calls, ==, 1);
    g_assert_cmpstr(object_get_typename(obj), ==, TYPE_TEST_DERIVED);
    g_assert_cmpstr(object_class_get_name(
                        object_class_get_parent(obj->class)), ==,
                    TYPE_TEST_BASE);
    object_ref(obj);
    object_unref(obj);
    g_assert_cmpint(finalized, ==, before);
    object_unref(obj);
    g_assert_cmpint(finalized, ==, before + 1);
}

static void test_casts_and_interfaces(void)
{
    Object *obj = object_new(TYPE_TEST_DERIVED);
    Object *other = object_new(TYPE_TEST_OTHER);
    ObjectClass *ic;
    GSList *list;

    g_assert_true(object_dynamic_cast(obj, TYPE_TEST_BASE) == obj);
    g_assert_true(object_dynamic_cast(obj, TYPE_TEST_IFACE) == obj);
    g_assert_null(object_dynamic_cast(other, TYPE_TEST_IFACE));
    g_assert_null(object_dynamic_cast(obj, TYPE_TEST_OTHER));
    g_assert_null(object_dynamic_cast(obj, "no-such-type"));

    ic = object_class_dynamic_cast(obj->class, TYPE_TEST_IFACE);
    g_assert_nonnull(ic);
    g_assert_true(((InterfaceClass *)ic)->concrete_class == obj->class);
    g_assert_cmpint(TEST_IFACE_GET_CLASS(obj)->answer(obj), ==, 42);

    list = object_class_get_list(TYPE_TEST_IFACE, false);
    g_assert_cmpuint(g_slist_length(list), ==, 1);
    g_assert_true(list->data == obj->class);
    g_slist_free(list);
    list = object_class_get_list_sorted(TYPE_TEST_BASE, true);
    g_assert_cmpuint(g_slist_length(list), ==, 3);
    g_assert_cmpstr(object_class_get_name(list->data), ==, TYPE_TEST_BASE);
    g_slist_free(list);
    g_assert_null(object_class_by_name("no-such-type"));

    object_unref(obj);
    object_unref(other);
}

static void test_bad_cast_aborts(void)
{
    if (g_test_subprocess()) {
        Object *obj = object_new(TYPE_TEST_OTHER);

        TEST_DERIVED(obj);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*Object * of type 'test-other' is not an "
                              "instance of type 'test-derived'*");
}

/* ---- Properties ---- */

static void test_defaults_and_typed_access(void)
{
    Object *obj = object_new(TYPE_TEST_DERIVED);
    TestDerived *d = TEST_DERIVED(obj);
    g_autofree char *name = NULL;
    Error *err = NULL;

    /* Defaults were applied before instance_init. */
    g_assert_cmpstr(d->name, ==, "anon");
    g_assert_true(d->on);

    g_assert_true(object_property_set_str(obj, "name", "x", &error_abort));
    name = object_property_get_str(obj, "name", &error_abort);
    g_assert_cmpstr(name, ==, "x");
    g_assert_false(object_property_set_str(obj, "name", "bad", &err));
    assert_error(err, "name 'bad' refused");

    object_property_set_bool(obj, "on", false, &error_abort);
    g_assert_false(object_property_get_bool(obj, "on", &error_abort));
    object_property_set_int(obj, "level", -7, &error_abort);
    g_assert_cmpint(object_property_get_int(obj, "level", NULL), ==, -7);
    g_assert_false(object_property_set_int(obj, "level", 1LL << 40, &err));
    assert_error(err, "Parameter 'level' expects int32_t");
    object_property_set_uint(obj, "small", 200, &error_abort);
    g_assert_cmpuint(d->small, ==, 200);
    g_assert_false(object_property_set_uint(obj, "small", 256, &err));
    assert_error(err, "Parameter 'small' expects uint8_t");

    g_assert_false(object_property_set_bool(obj, "name", true, &err));
    assert_error(err, "Invalid parameter type for 'name', expected: "
                 "string");
    g_assert_false(object_property_set_bool(obj, "nosuch", true, &err));
    assert_error(err, "Property 'test-derived.nosuch' not found");
    object_unref(obj);
}

static void test_parse_and_print(void)
{
    static const struct {
        const char *prop, *text, *printed, *error;
    } cases[] = {
        { "name", "hello", "hello", NULL },
        { "on", "yes", "on", NULL },
        { "on", "maybe", NULL, "Parameter 'on' expects 'on' or 'off'" },
        { "level", "-0x10", "-16", NULL },
        { "level", "abc", NULL, "Parameter 'level' expects an int64 value" },
        { "level", "3000000000", NULL, "Parameter 'level' expects int32_t" },
        { "size", "64M", "67108864", NULL },
        { "size", "abc", NULL, "Parameter 'size' expects a size value" },
        { "small", "255", "255", NULL },
        { "small", "256", NULL, "Parameter 'small' expects uint8_t" },
        { "small", "-1", NULL, "Parameter 'small' expects a uint64 value" },
        { "mode", "slow", "slow", NULL },
        { "mode", "foo", NULL,
          "Parameter 'mode' does not accept value 'foo'" },
        { "nodes", "0-2,5", "0,1,2,5", NULL },
        { "nodes", "2-1", NULL,
          "Parameter 'nodes' expects a uint64 value or range" },
        { "bogus", "1", NULL, "Property 'test-derived.bogus' not found" },
    };
    Object *obj = object_new(TYPE_TEST_DERIVED);

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        Error *err = NULL;
        bool ok = object_property_parse(obj, cases[i].prop, cases[i].text,
                                        &err);

        if (cases[i].error) {
            g_assert_false(ok);
            assert_error(err, cases[i].error);
        } else {
            g_autofree char *out = object_property_print(obj, cases[i].prop,
                                                         false,
                                                         &error_abort);
            g_assert_true(ok);
            g_assert_cmpstr(out, ==, cases[i].printed);
        }
    }
    g_assert_cmpint(object_property_get_enum(obj, "mode", "TestMode",
                                             &error_abort), ==, MODE_SLOW);
    object_unref(obj);
}

static void test_types_and_iteration(void)
{
    static const char *const expected[][2] = {
        { "small", "uint8" }, { "peer", "link<test-other>" },
        { "name", "string" }, { "on", "bool" }, { "level", "int32" },
        { "size", "size" }, { "mode", "TestMode" },
        { "nodes", "uint16List" }, { "strong", "link<test-base>" },
        { "type", "string" },
    };
    Object *obj = object_new(TYPE_TEST_DERIVED);
    ObjectPropertyIterator iter;
    ObjectProperty *prop;
    g_autofree char *type = NULL;
    size_t n = 0;

    object_property_iter_init(&iter, obj);
    while ((prop = object_property_iter_next(&iter))) {
        g_assert_cmpuint(n, <, ARRAY_SIZE(expected));
        g_assert_cmpstr(prop->name, ==, expected[n][0]);
        g_assert_cmpstr(prop->type, ==, expected[n][1]);
        n++;
    }
    g_assert_cmpuint(n, ==, ARRAY_SIZE(expected));
    g_assert_cmpstr(object_property_get_type(obj, "mode", NULL), ==,
                    "TestMode");
    type = object_property_print(obj, "type", false, &error_abort);
    g_assert_cmpstr(type, ==, TYPE_TEST_DERIVED);
    object_unref(obj);
}

static void test_help_text(void)
{
    static const char *const skip[] = { "nodes", "type", NULL };
    g_autofree char *help = object_class_properties_help(
        object_class_by_name(TYPE_TEST_DERIVED), skip);

    g_assert_cmpstr(help, ==,
                    "  level=<int32>\n"
                    "  mode=<TestMode>\n"
                    "  name=<string>          - The name "
                    "(default: \"anon\")\n"
                    "  on=<bool>              -  (default: true)\n"
                    "  size=<size>\n"
                    "  strong=<link<test-base>>\n");
}

static void test_links(void)
{
    Object *obj = object_new(TYPE_TEST_DERIVED);
    Object *other = object_new(TYPE_TEST_OTHER);
    Object *derived2 = object_new(TYPE_TEST_DERIVED);
    Error *err = NULL;

    object_property_add_child(object_get_root(), "other0", other);
    object_property_set_link(obj, "peer", other, &error_abort);
    g_assert_true(object_property_get_link(obj, "peer", NULL) == other);
    g_assert_false(object_property_set_link(obj, "peer", derived2, &err));
    assert_error(err, "Invalid parameter type for 'peer', expected: "
                 "test-other");

    /* By path, and a strong link holding a reference. */
    object_property_set_link(obj, "peer", NULL, &error_abort);
    g_assert_true(object_property_parse(obj, "peer", "/other0",
                                        &error_abort));
    g_assert_true(TEST_DERIVED(obj)->peer == other);
    g_assert_false(object_property_parse(obj, "peer", "/nosuch", &err));
    assert_error(err, "Device '/nosuch' not found");
    object_property_set_link(obj, "strong", derived2, &error_abort);
    g_assert_cmpuint(derived2->ref, ==, 2);

    object_unref(obj);
    g_assert_cmpuint(derived2->ref, ==, 1);
    object_unref(derived2);
    object_unparent(other);
    object_unref(other);
}

static void test_alias(void)
{
    Object *target = object_new(TYPE_TEST_DERIVED);
    Object *front = object_new(TYPE_TEST_DERIVED);

    object_property_add_alias(front, "target-level", target, "level");
    object_property_parse(front, "target-level", "9", &error_abort);
    g_assert_cmpint(TEST_DERIVED(target)->level, ==, 9);
    g_assert_cmpstr(object_property_get_type(front, "target-level", NULL),
                    ==, "int32");
    object_unref(front);
    object_unref(target);
}

/* ---- Composition tree ---- */

static int record_path(Object *child, void *opaque)
{
    g_autofree char *path = object_get_canonical_path(child);

    g_string_append_printf(opaque, "%s;", path);
    return 0;
}

static void test_paths(void)
{
    Object *box = container_get(object_get_root(), "/tp/box");
    Object *a = object_new(TYPE_TEST_DERIVED);
    Object *b = object_new(TYPE_TEST_OTHER);
    Object *c = object_new(TYPE_TEST_DERIVED);
    g_autoptr(GString) walk = g_string_new(NULL);
    g_autofree char *path = NULL;
    bool ambiguous = false;
    int before;

    object_property_add_child(box, "dev[*]", a);
    object_property_add_child(box, "dev[*]", b);
    object_property_add_child(a, "inner", c);
    path = object_get_canonical_path(c);
    g_assert_cmpstr(path, ==, "/tp/box/dev[0]/inner");
    g_assert_cmpstr(object_get_canonical_path_component(b), ==, "dev[1]");
    g_assert_true(container_get(object_get_root(), "/tp/box") == box);

    g_assert_true(object_resolve_path("/tp/box/dev[1]", NULL) == b);
    g_assert_true(object_resolve_path("dev[0]/inner", NULL) == c);
    g_assert_true(object_resolve_path("inner", &ambiguous) == c);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path_type("", TYPE_TEST_OTHER, NULL) ==
                  b);
    g_assert_null(object_resolve_path_type("", TYPE_TEST_DERIVED,
                                           &ambiguous));
    g_assert_true(ambiguous);
    g_assert_null(object_resolve_path("/tp/nosuch", NULL));
    g_assert_true(object_resolve_path_component(box, "dev[0]") == a);

    object_child_foreach_recursive(box, record_path, walk);
    g_assert_cmpstr(walk->str, ==, "/tp/box/dev[0];/tp/box/dev[0]/inner;"
                    "/tp/box/dev[1];");

    /* Unparenting the last reference frees the subtree. */
    object_unref(a);
    object_unref(b);
    object_unref(c);
    before = finalized;
    object_unparent(a);
    g_assert_cmpint(finalized, ==, before + 2);
    g_assert_null(object_resolve_path("/tp/box/dev[0]", NULL));
    object_unparent(b);
    g_assert_cmpint(finalized, ==, before + 3);
    object_unparent(object_resolve_path("/tp", NULL));
}

static void test_initialize_child(void)
{
    TestDerived embedded;
    Object *parent = object_new(TYPE_TEST_DERIVED);
    int before = finalized;

    object_initialize_child(parent, "embedded", &embedded,
                            TYPE_TEST_DERIVED);
    g_assert_cmpuint(OBJECT(&embedded)->ref, ==, 1);
    g_assert_true(OBJECT(&embedded)->parent == parent);
    g_assert_cmpstr(embedded.name, ==, "anon");
    object_unref(parent);
    g_assert_cmpint(finalized, ==, before + 2);
}

/* ---- User creatable ---- */

static QemuOptsList object_opts = {
    .name = "object",
    .implied_opt_name = "qom-type",
    .desc = { { } },
};

static Object *add_object(const char *text, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(&object_opts, text, true,
                                     &error_abort);
    Object *obj = user_creatable_add_opts(opts, errp);

    qemu_opts_del(opts);
    return obj;
}

static void test_user_creatable(void)
{
    static const struct {
        const char *text, *error;
    } failures[] = {
        { "test-nosuch,id=m0,size=1M",
          "Parameter 'qom-type' does not accept value 'test-nosuch'" },
        { "test-derived,id=m0",
          "Parameter 'qom-type' does not accept value 'test-derived'" },
        { "test-backend,size=1M", "Parameter 'id' is missing" },
        { "test-backend,id=m0", "Parameter 'size' is missing" },
        { "test-backend,id=m0,bogus=1", "Parameter 'size' is missing" },
        { "test-backend,id=m0,size=1M,bogus=1",
          "Invalid parameter 'bogus'" },
        { "test-backend,id=m0,size=abc",
          "Parameter 'size' expects a size value" },
        { "test-backend,id=m0,size=0",
          "property 'size' of test-backend doesn't take value '0'" },
        { "test-backend,id=m0,size=1M,share=maybe",
          "Parameter 'share' expects 'on' or 'off'" },
    };
    Object *m0;
    Error *err = NULL;

    for (size_t i = 0; i < ARRAY_SIZE(failures); i++) {
        g_assert_null(add_object(failures[i].text, &err));
        assert_error(err, failures[i].error);
    }
    g_assert_null(object_resolve_path("/objects/m0", NULL));

    m0 = add_object("test-backend,id=m0,size=64M,share=on", &error_abort);
    g_assert_true(object_resolve_path("/objects/m0", NULL) == m0);
    g_assert_cmpuint(TEST_BACKEND(m0)->size, ==, 64 * MiB);
    g_assert_true(TEST_BACKEND(m0)->share);
    g_assert_true(TEST_BACKEND(m0)->completed);
    g_assert_null(add_object("test-backend,id=m0,size=1M", &err));
    assert_error(err, "Duplicate ID 'm0' for object");

    TEST_BACKEND(m0)->in_use = true;
    g_assert_false(user_creatable_del("m0", &err));
    assert_error(err, "object 'm0' is in use, can not be deleted");
    TEST_BACKEND(m0)->in_use = false;
    g_assert_true(user_creatable_del("m0", &error_abort));
    g_assert_null(object_resolve_path("/objects/m0", NULL));
    g_assert_false(user_creatable_del("m0", &err));
    assert_error(err, "object 'm0' not found");
}

static void test_user_creatable_help(void)
{
    if (g_test_subprocess()) {
        QemuOpts *opts = qemu_opts_parse(&object_opts,
                                         "test-backend,help", true,
                                         &error_abort);

        g_assert_true(user_creatable_print_help("test-backend", opts));
        g_assert_true(user_creatable_print_help("help", NULL));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("test-backend options:\n"
                              "  share=<bool>\n"
                              "  size=<int>             - Size of the "
                              "memory region\n"
                              "List of user creatable objects:\n"
                              "  test-backend\n");
}

static void test_new_with_props(void)
{
    Object *obj = object_new_with_props(TYPE_TEST_BACKEND,
                                        object_get_objects_root(), "np0",
                                        &error_abort, "size", "4K",
                                        "share", "on", NULL);
    Error *err = NULL;

    g_assert_cmpuint(TEST_BACKEND(obj)->size, ==, 4096);
    g_assert_true(object_resolve_path("np0", NULL) == obj);
    g_assert_null(object_new_with_props(TYPE_TEST_BACKEND,
                                        object_get_objects_root(), "np1",
                                        &err, "size", "x", NULL));
    assert_error(err, "Parameter 'size' expects a size value");
    object_unparent(obj);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qom/type/init-order", test_type_init_order);
    g_test_add_func("/qom/type/casts-and-interfaces",
                    test_casts_and_interfaces);
    g_test_add_func("/qom/type/bad-cast-aborts", test_bad_cast_aborts);
    g_test_add_func("/qom/prop/defaults-and-typed-access",
                    test_defaults_and_typed_access);
    g_test_add_func("/qom/prop/parse-and-print", test_parse_and_print);
    g_test_add_func("/qom/prop/types-and-iteration",
                    test_types_and_iteration);
    g_test_add_func("/qom/prop/help-text", test_help_text);
    g_test_add_func("/qom/prop/links", test_links);
    g_test_add_func("/qom/prop/alias", test_alias);
    g_test_add_func("/qom/tree/paths", test_paths);
    g_test_add_func("/qom/tree/initialize-child", test_initialize_child);
    g_test_add_func("/qom/user-creatable/add-del", test_user_creatable);
    g_test_add_func("/qom/user-creatable/help", test_user_creatable_help);
    g_test_add_func("/qom/user-creatable/new-with-props",
                    test_new_with_props);
    return g_test_run();
}
