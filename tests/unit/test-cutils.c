/*
 * Unit tests of the number and size parsers (qemu/cutils.h).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"

static void test_strtosz_suffixes(void)
{
    static const struct {
        const char *text;
        uint64_t want;
    } rows[] = {
        { "0", 0 },
        { "4096", 4096 },
        { "0x1000", 0x1000 },
        { "1K", KiB },
        { "1k", KiB },
        { "512M", 512 * MiB },
        { "1G", GiB },
        { "2T", 2 * TiB },
        { "1.5G", GiB + 512 * MiB },
        { "16E", 0 },            /* placeholder row, checked below */
    };

    for (size_t i = 0; i + 1 < ARRAY_SIZE(rows); i++) {
        uint64_t got = 1;

        g_assert_cmpint(qemu_strtosz(rows[i].text, NULL, &got), ==, 0);
        g_assert_cmpuint(got, ==, rows[i].want);
    }
}

static void test_strtosz_errors(void)
{
    static const char *const invalid[] = {
        "", "abc", "-1", "1Q", "1.5", "0x10M", "12 ", "K",
    };
    uint64_t got;

    for (size_t i = 0; i < ARRAY_SIZE(invalid); i++) {
        g_assert_cmpint(qemu_strtosz(invalid[i], NULL, &got), ==, -EINVAL);
    }
    /* 16 EiB does not fit in 64 bits. */
    g_assert_cmpint(qemu_strtosz("16E", NULL, &got), ==, -ERANGE);
    g_assert_cmpint(qemu_strtosz("99999999999999999999", NULL, &got),
                    ==, -ERANGE);
}

static void test_strtosz_mib_default(void)
{
    uint64_t got;

    g_assert_cmpint(qemu_strtosz_MiB("256", NULL, &got), ==, 0);
    g_assert_cmpuint(got, ==, 256 * MiB);
    g_assert_cmpint(qemu_strtosz_MiB("1G", NULL, &got), ==, 0);
    g_assert_cmpuint(got, ==, GiB);
}

static void test_strtosz_end(void)
{
    const char *end;
    uint64_t got;

    g_assert_cmpint(qemu_strtosz("64M,rest", &end, &got), ==, 0);
    g_assert_cmpuint(got, ==, 64 * MiB);
    g_assert_cmpstr(end, ==, ",rest");
}

static void test_strtou64(void)
{
    uint64_t u;
    int64_t s;
    int i;

    g_assert_cmpint(qemu_strtou64("0x10", NULL, 0, &u), ==, 0);
    g_assert_cmpuint(u, ==, 16);
    g_assert_cmpint(qemu_strtou64("010", NULL, 0, &u), ==, 0);
    g_assert_cmpuint(u, ==, 8);
    g_assert_cmpint(qemu_strtou64("-1", NULL, 0, &u), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("18446744073709551616", NULL, 0, &u),
                    ==, -ERANGE);
    g_assert_cmpint(qemu_strtou64("12x", NULL, 0, &u), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoi64("-5", NULL, 0, &s), ==, 0);
    g_assert_cmpint(s, ==, -5);
    g_assert_cmpint(qemu_strtoi("3000000000", NULL, 0, &i), ==, -ERANGE);
}

static void test_parse_bool(void)
{
    static const char *const yes[] = { "on", "yes", "true" };
    static const char *const no[] = { "off", "no", "false" };
    bool b;

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        g_assert_cmpint(qemu_parse_bool(yes[i], &b), ==, 0);
        g_assert_true(b);
        g_assert_cmpint(qemu_parse_bool(no[i], &b), ==, 0);
        g_assert_false(b);
    }
    g_assert_cmpint(qemu_parse_bool("maybe", &b), ==, -EINVAL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/strtosz/suffixes", test_strtosz_suffixes);
    g_test_add_func("/cutils/strtosz/errors", test_strtosz_errors);
    g_test_add_func("/cutils/strtosz/mib-default", test_strtosz_mib_default);
    g_test_add_func("/cutils/strtosz/end", test_strtosz_end);
    g_test_add_func("/cutils/strtou64", test_strtou64);
    g_test_add_func("/cutils/parse-bool", test_parse_bool);
    return g_test_run();
}
