/*
 * test-qemu-opts.c: QemuOpts parsing, with QEMU 7.2's error texts.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qapi/error.h"

static QemuOptsList opts_list_typed = {
    .name = "typed",
    .implied_opt_name = "type",
    .desc = {
        { .name = "type", .type = QEMU_OPT_STRING },
        { .name = "str", .type = QEMU_OPT_STRING, .help = "a string",
          .def_value_str = "dflt" },
        { .name = "size", .type = QEMU_OPT_SIZE },
        { .name = "n", .type = QEMU_OPT_NUMBER, .help = "a number" },
        { .name = "flag", .type = QEMU_OPT_BOOL },
        { /* end */ }
    },
};

static QemuOptsList opts_list_any = {
    .name = "object",
    .implied_opt_name = "qom-type",
    .desc = { { /* any key */ } },
};

static QemuOptsList opts_list_merge = {
    .name = "machine",
    .implied_opt_name = "type",
    .merge_lists = true,
    .desc = { { } },
};

/* Parse expecting failure; return the message (caller frees). */
static char *parse_error(QemuOptsList *list, const char *text)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse(list, text, true, &err);
    char *msg;

    g_assert_null(opts);
    g_assert_nonnull(err);
    msg = g_strdup(error_get_pretty(err));
    error_free(err);
    return msg;
}

static void assert_parse_error(QemuOptsList *list, const char *text,
                               const char *expected)
{
    g_autofree char *msg = parse_error(list, text);

    g_assert_cmpstr(msg, ==, expected);
    g_assert_cmpuint(qemu_opts_count(list), ==, 0);
}

static void test_implied_and_escape(void)
{
    QemuOpts *opts = qemu_opts_parse(&opts_list_typed,
                                     "virt,str=a,,b,,,n=0x10",
                                     true, &error_abort);

    g_assert_cmpstr(qemu_opt_get(opts, "type"), ==, "virt");
    g_assert_cmpstr(qemu_opt_get(opts, "str"), ==, "a,b,");
    g_assert_cmpuint(qemu_opt_get_number(opts, "n", 0), ==, 16);
    qemu_opts_del(opts);

    /* Without permit_abbrev a bare first word is a short-form bool. */
    assert_parse_error(&opts_list_typed, "size=1,virt",
                       "Invalid parameter 'virt'");
}

static void test_repeated_keys(void)
{
    QemuOpts *opts = qemu_opts_parse(&opts_list_any,
                                     "node,cpus=0-1,mem=1G,cpus=4", true,
                                     &error_abort);
    QemuOptsIter it;

    g_assert_cmpstr(qemu_opt_get(opts, "qom-type"), ==, "node");
    g_assert_cmpstr(qemu_opt_get(opts, "cpus"), ==, "4");
    qemu_opt_iter_init(&it, opts, "cpus");
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "0-1");
    g_assert_cmpstr(qemu_opt_iter_next(&it), ==, "4");
    g_assert_null(qemu_opt_iter_next(&it));
    g_assert_cmpuint(qemu_opt_count(opts), ==, 4);
    g_assert_cmpstr(qemu_opt_nth(opts, 2)->name, ==, "mem");
    qemu_opts_del(opts);
}

static int collect_pairs(void *opaque, const char *name, const char *value,
                         Error **errp)
{
    g_string_append_printf(opaque, "%s=%s;", name, value);
    return 0;
}

static void test_foreach_order(void)
{
    QemuOpts *opts = qemu_opts_parse(&opts_list_any, "b=1,a=2,b=3", false,
                                     &error_abort);
    g_autoptr(GString) out = g_string_new(NULL);

    g_assert_cmpint(qemu_opt_foreach(opts, collect_pairs, out, NULL), ==, 0);
    g_assert_cmpstr(out->str, ==, "b=1;a=2;b=3;");
    qemu_opts_del(opts);
}

static void test_sizes(void)
{
    QemuOpts *opts = qemu_opts_parse(&opts_list_typed, "size=1.5G", false,
                                     &error_abort);

    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 0), ==,
                     3 * GiB / 2);
    qemu_opts_del(opts);

    assert_parse_error(&opts_list_typed, "size=foo",
                       "Parameter 'size' expects a non-negative number "
                       "below 2^64");
    assert_parse_error(&opts_list_typed, "size=16E",
                       "Value '16E' is out of range for parameter 'size'");
}

static void test_numbers(void)
{
    QemuOpts *opts = qemu_opts_parse(&opts_list_typed, "n=010", false,
                                     &error_abort);

    g_assert_cmpuint(qemu_opt_get_number(opts, "n", 0), ==, 8);
    g_assert_cmpuint(qemu_opt_get_number(opts, "missing", 42), ==, 42);
    qemu_opts_del(opts);

    assert_parse_error(&opts_list_typed, "n=x",
                       "Parameter 'n' expects a number");
    assert_parse_error(&opts_list_typed, "n=99999999999999999999",
                       "Value '99999999999999999999' is too large for "
                       "parameter 'n'");
}

static void test_booleans(void)
{
    static const struct {
        const char *text;
        bool value;
    } cases[] = {
        { "flag=on", true }, { "flag=off", false }, { "flag=yes", true },
        { "flag=no", false }, { "flag=true", true }, { "flag=false", false },
        { "flag", true }, { "noflag", false },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        QemuOpts *opts = qemu_opts_parse(&opts_list_typed, cases[i].text,
                                         false, &error_abort);

        g_assert_cmpint(qemu_opt_get_bool(opts, "flag", !cases[i].value),
                        ==, cases[i].value);
        qemu_opts_del(opts);
    }
    assert_parse_error(&opts_list_typed, "flag=maybe",
                       "Parameter 'flag' expects 'on' or 'off'");
}

static void test_invalid_keys(void)
{
    assert_parse_error(&opts_list_typed, "bogus=1",
                       "Invalid parameter 'bogus'");
    assert_parse_error(&opts_list_typed, "flag=on,=x",
                       "Invalid parameter ''");
}

static void test_defaults_and_del(void)
{
    QemuOpts *opts = qemu_opts_parse(&opts_list_typed, "n=5,n=6", false,
                                     &error_abort);
    g_autofree char *n = NULL;

    g_assert_cmpstr(qemu_opt_get(opts, "str"), ==, "dflt");
    g_assert_false(qemu_opt_has(opts, "str"));
    n = qemu_opt_get_del(opts, "n");
    g_assert_cmpstr(n, ==, "6");
    g_assert_false(qemu_opt_has(opts, "n"));
    g_assert_cmpuint(qemu_opt_count(opts), ==, 0);
    g_assert_true(qemu_opt_set(opts, "size", "4K", &error_abort));
    g_assert_cmpuint(qemu_opt_get_size(opts, "size", 0), ==, 4096);
    qemu_opts_del(opts);
}

static void test_ids(void)
{
    QemuOpts *a = qemu_opts_parse(&opts_list_any, "ram,id=m0,size=1M",
                                  true, &error_abort);
    g_autofree char *msg = NULL;

    g_assert_cmpstr(qemu_opts_id(a), ==, "m0");
    g_assert_false(qemu_opt_has(a, "id"));
    g_assert_true(qemu_opts_find(&opts_list_any, "m0") == a);

    msg = parse_error(&opts_list_any, "ram,id=m0");
    g_assert_cmpstr(msg, ==, "Duplicate ID 'm0' for object");
    g_free(msg);
    msg = parse_error(&opts_list_any, "ram,id=0m");
    g_assert_cmpstr(msg, ==, "Parameter 'id' expects an identifier");
    qemu_opts_del(a);
    g_assert_cmpuint(qemu_opts_count(&opts_list_any), ==, 0);
}

static void test_merge_lists(void)
{
    QemuOpts *a = qemu_opts_parse(&opts_list_merge, "virt", true,
                                  &error_abort);
    QemuOpts *b = qemu_opts_parse(&opts_list_merge, "dumpdtb=x.dtb", true,
                                  &error_abort);

    g_assert_true(a == b);
    g_assert_cmpstr(qemu_opt_get(a, "type"), ==, "virt");
    g_assert_cmpstr(qemu_opt_get(a, "dumpdtb"), ==, "x.dtb");
    qemu_opts_reset(&opts_list_merge);
}

static void test_help(void)
{
    QemuOpts *opts;

    g_assert_true(is_help_option("help"));
    g_assert_true(is_help_option("?"));
    g_assert_false(is_help_option("helpme"));

    /* Any-key lists keep help as a key for the caller to act on. */
    opts = qemu_opts_parse(&opts_list_any, "memory-backend-ram,help", true,
                           &error_abort);
    g_assert_true(qemu_opt_has_help_opt(opts));
    qemu_opts_del(opts);
    opts = qemu_opts_parse(&opts_list_any, "memory-backend-ram,size=1",
                           true, &error_abort);
    g_assert_false(qemu_opt_has_help_opt(opts));
    qemu_opts_del(opts);
}

static void test_help_print(void)
{
    if (g_test_subprocess()) {
        g_assert_null(qemu_opts_parse_noisily(&opts_list_typed,
                                              "n=1,help", false));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("typed options:\n"
                              "  flag=<bool (on/off)>\n"
                              "  n=<num>                - a number\n"
                              "  size=<size>\n"
                              "  str=<str>              - a string\n"
                              "  type=<str>\n");
}

static void test_noisily_reports(void)
{
    if (g_test_subprocess()) {
        g_assert_null(qemu_opts_parse_noisily(&opts_list_typed, "n=z",
                                              false));
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("*Parameter 'n' expects a number\n");
}

static void test_to_string_and_registry(void)
{
    QemuOpts *opts = qemu_opts_parse(&opts_list_any, "id=x1,a=b,,c,d=e",
                                     false, &error_abort);
    g_autofree char *text = qemu_opts_to_string(opts, ",");
    Error *err = NULL;

    g_assert_cmpstr(text, ==, "id=x1,a=b,,c,d=e");
    qemu_opts_del(opts);

    qemu_add_opts(&opts_list_typed);
    g_assert_true(qemu_find_opts_err("typed", &error_abort) ==
                  &opts_list_typed);
    g_assert_null(qemu_find_opts_err("nosuch", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "There is no option group 'nosuch'");
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qemu-opts/implied-and-escape",
                    test_implied_and_escape);
    g_test_add_func("/qemu-opts/repeated-keys", test_repeated_keys);
    g_test_add_func("/qemu-opts/foreach-order", test_foreach_order);
    g_test_add_func("/qemu-opts/sizes", test_sizes);
    g_test_add_func("/qemu-opts/numbers", test_numbers);
    g_test_add_func("/qemu-opts/booleans", test_booleans);
    g_test_add_func("/qemu-opts/invalid-keys", test_invalid_keys);
    g_test_add_func("/qemu-opts/defaults-and-del", test_defaults_and_del);
    g_test_add_func("/qemu-opts/ids", test_ids);
    g_test_add_func("/qemu-opts/merge-lists", test_merge_lists);
    g_test_add_func("/qemu-opts/help", test_help);
    g_test_add_func("/qemu-opts/help-print", test_help_print);
    g_test_add_func("/qemu-opts/noisily-reports", test_noisily_reports);
    g_test_add_func("/qemu-opts/to-string-and-registry",
                    test_to_string_and_registry);
    return g_test_run();
}
