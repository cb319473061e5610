/*
 * test-qobject.c: QDict, QList, QNum, QString, QBool, QNull behaviour.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnull.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

static void test_refcount(void)
{
    QString *qs = qstring_from_str("abc");
    QDict *d = qdict_new();

    g_assert_cmpuint(qs->base.refcnt, ==, 1);
    qobject_ref(qs);
    g_assert_cmpuint(qs->base.refcnt, ==, 2);
    qdict_put(d, "s", qs);
    g_assert_cmpuint(qs->base.refcnt, ==, 2);
    qdict_del(d, "s");
    g_assert_cmpuint(qs->base.refcnt, ==, 1);
    g_assert_cmpstr(qstring_get_str(qs), ==, "abc");
    qobject_unref(qs);
    qobject_unref(d);
    qobject_unref((QDict *)NULL);
}

static void test_qobject_to(void)
{
    QObject *obj = QOBJECT(qnum_from_int(7));

    g_assert(qobject_type(obj) == QTYPE_QNUM);
    g_assert_nonnull(qobject_to(QNum, obj));
    g_assert_null(qobject_to(QDict, obj));
    g_assert_null(qobject_to(QString, obj));
    g_assert_null(qobject_to(QNum, NULL));
    qobject_unref(obj);
}

static void test_qdict_basic(void)
{
    QDict *d = qdict_new();

    qdict_put_int(d, "i", -5);
    qdict_put_bool(d, "b", true);
    qdict_put_str(d, "s", "text");
    qdict_put_null(d, "n");
    qdict_put(d, "d", qdict_new());
    qdict_put(d, "l", qlist_new());

    g_assert_cmpuint(qdict_size(d), ==, 6);
    g_assert_cmpint(qdict_get_int(d, "i"), ==, -5);
    g_assert_true(qdict_get_bool(d, "b"));
    g_assert_cmpstr(qdict_get_str(d, "s"), ==, "text");
    g_assert(qobject_type(qdict_get(d, "n")) == QTYPE_QNULL);
    g_assert_nonnull(qdict_get_qdict(d, "d"));
    g_assert_nonnull(qdict_get_qlist(d, "l"));
    g_assert_null(qdict_get_qdict(d, "l"));
    g_assert_null(qdict_get(d, "missing"));
    g_assert_true(qdict_haskey(d, "i"));
    g_assert_false(qdict_haskey(d, "I"));

    g_assert_cmpint(qdict_get_try_int(d, "i", 9), ==, -5);
    g_assert_cmpint(qdict_get_try_int(d, "s", 9), ==, 9);
    g_assert_cmpint(qdict_get_try_int(d, "x", 9), ==, 9);
    g_assert_false(qdict_get_try_bool(d, "x", false));
    g_assert_false(qdict_get_try_bool(d, "i", false));
    g_assert_true(qdict_get_try_bool(d, "b", false));
    g_assert_cmpstr(qdict_get_try_str(d, "s"), ==, "text");
    g_assert_null(qdict_get_try_str(d, "i"));
    qobject_unref(d);
}

static void test_qdict_order(void)
{
    static const char *const keys[] = { "zeta", "alpha", "mid", "beta" };
    QDict *d = qdict_new();
    const QDictEntry *e;
    int i = 0;

    for (i = 0; i < 4; i++) {
        qdict_put_int(d, keys[i], i);
    }
    /* Replacing keeps the position; deleting closes the gap. */
    qdict_put_str(d, "alpha", "replaced");
    qdict_del(d, "mid");
    qdict_del(d, "nonexistent");
    qdict_put_int(d, "mid", 10);

    i = 0;
    static const char *const expect[] = { "zeta", "alpha", "beta", "mid" };
    for (e = qdict_first(d); e; e = qdict_next(d, e)) {
        g_assert_cmpstr(qdict_entry_key(e), ==, expect[i++]);
    }
    g_assert_cmpint(i, ==, 4);
    g_assert_cmpstr(qdict_get_str(d, "alpha"), ==, "replaced");

    /* Delete the first and the last. */
    qdict_del(d, "zeta");
    qdict_del(d, "mid");
    e = qdict_first(d);
    g_assert_cmpstr(qdict_entry_key(e), ==, "alpha");
    e = qdict_next(d, e);
    g_assert_cmpstr(qdict_entry_key(e), ==, "beta");
    g_assert_null(qdict_next(d, e));
    qobject_unref(d);
}

static void test_qlist(void)
{
    QList *l = qlist_new();
    QListEntry *entry;
    QObject *obj;
    int n = 0;

    g_assert_true(qlist_empty(l));
    g_assert_null(qlist_peek(l));
    g_assert_null(qlist_pop(l));
    qlist_append_int(l, 1);
    qlist_append_str(l, "two");
    qlist_append_bool(l, false);
    qlist_append_null(l);
    g_assert_cmpuint(qlist_size(l), ==, 4);
    g_assert_false(qlist_empty(l));

    QLIST_FOREACH_ENTRY(l, entry) {
        n++;
    }
    g_assert_cmpint(n, ==, 4);

    obj = qlist_pop(l);
    g_assert_cmpint(qnum_get_int(qobject_to(QNum, obj)), ==, 1);
    qobject_unref(obj);
    g_assert_cmpstr(qstring_get_str(qobject_to(QString, qlist_peek(l))),
                    ==, "two");
    g_assert_cmpuint(qlist_size(l), ==, 3);
    while ((obj = qlist_pop(l))) {
        qobject_unref(obj);
    }
    g_assert_true(qlist_empty(l));
    qlist_append_int(l, 5);
    g_assert_cmpuint(qlist_size(l), ==, 1);
    qobject_unref(l);
}

static void test_qnum(void)
{
    QNum *i = qnum_from_int(-3);
    QNum *u = qnum_from_uint(UINT64_MAX);
    QNum *small_u = qnum_from_uint(42);
    QNum *d = qnum_from_double(2.5);
    int64_t i64;
    uint64_t u64;

    g_assert_cmpint(qnum_get_int(i), ==, -3);
    g_assert_false(qnum_get_try_uint(i, &u64));
    g_assert_false(qnum_get_try_int(u, &i64));
    g_assert_cmpuint(qnum_get_uint(u), ==, UINT64_MAX);
    g_assert_true(qnum_get_try_int(small_u, &i64));
    g_assert_cmpint(i64, ==, 42);
    g_assert_false(qnum_get_try_int(d, &i64));
    g_assert_false(qnum_get_try_uint(d, &u64));
    g_assert_cmpfloat(qnum_get_double(d), ==, 2.5);
    g_assert_cmpfloat(qnum_get_double(i), ==, -3.0);
    g_assert_cmpfloat(qnum_get_double(u), ==, 18446744073709551615.0);
    qobject_unref(i);
    qobject_unref(u);
    qobject_unref(small_u);
    qobject_unref(d);
}

static void test_qnum_to_string(void)
{
    static const struct {
        double value;
        const char *text;
    } cases[] = {
        { 1.0, "1.0" }, { -0.0, "-0.0" }, { 0.1, "0.10000000000000001" },
        { 1.5e300, "1.5000000000000001e+300" }, { 100000.0, "100000.0" },
        { 5e-324, "4.9406564584124654e-324" },
    };
    size_t k;

    for (k = 0; k < ARRAY_SIZE(cases); k++) {
        QNum *qn = qnum_from_double(cases[k].value);
        g_autofree char *str = qnum_to_string(qn);

        g_assert_cmpstr(str, ==, cases[k].text);
        qobject_unref(qn);
    }
}

static bool equal_and_free(QObject *a, QObject *b)
{
    bool eq = qobject_is_equal(a, b);

    g_assert_cmpint(eq, ==, qobject_is_equal(b, a));
    qobject_unref(a);
    qobject_unref(b);
    return eq;
}

static void test_is_equal_numbers(void)
{
    g_assert_true(equal_and_free(QOBJECT(qnum_from_int(1)),
                                 QOBJECT(qnum_from_double(1.0))));
    g_assert_false(equal_and_free(QOBJECT(qnum_from_int(1)),
                                  QOBJECT(qnum_from_double(1.1))));
    g_assert_true(equal_and_free(QOBJECT(qnum_from_int(7)),
                                 QOBJECT(qnum_from_uint(7))));
    g_assert_false(equal_and_free(QOBJECT(qnum_from_int(-1)),
                                  QOBJECT(qnum_from_uint(UINT64_MAX))));
    g_assert_true(equal_and_free(QOBJECT(qnum_from_uint(1ULL << 63)),
                                 QOBJECT(qnum_from_double(0x1p63))));
    /* 2^63 as a double is not INT64_MAX, though the cast might say so. */
    g_assert_false(equal_and_free(QOBJECT(qnum_from_int(INT64_MAX)),
                                  QOBJECT(qnum_from_double(0x1p63))));
}

static void test_is_equal_containers(void)
{
    QDict *a = qdict_new(), *b = qdict_new();
    QList *la = qlist_new(), *lb = qlist_new();

    qdict_put_int(a, "x", 1);
    qdict_put_str(a, "y", "s");
    qdict_put_str(b, "y", "s");
    qdict_put_int(b, "x", 1);
    g_assert_true(qobject_is_equal(QOBJECT(a), QOBJECT(b)));
    qdict_put_null(b, "z");
    g_assert_false(qobject_is_equal(QOBJECT(a), QOBJECT(b)));
    qdict_put_null(a, "w");
    g_assert_false(qobject_is_equal(QOBJECT(a), QOBJECT(b)));

    qlist_append_int(la, 1);
    qlist_append_int(la, 2);
    qlist_append_int(lb, 2);
    qlist_append_int(lb, 1);
    g_assert_false(qobject_is_equal(QOBJECT(la), QOBJECT(lb)));
    g_assert_true(equal_and_free(QOBJECT(qlist_copy(la)),
                                 QOBJECT(qobject_ref(la))));
    g_assert_false(qobject_is_equal(QOBJECT(la), QOBJECT(a)));
    g_assert_true(equal_and_free(QOBJECT(qnull()), QOBJECT(qnull())));
    g_assert_false(equal_and_free(QOBJECT(qbool_from_bool(true)),
                                  QOBJECT(qbool_from_bool(false))));
    g_assert_false(qobject_is_equal(QOBJECT(a), NULL));
    g_assert_true(qobject_is_equal(NULL, NULL));
    qobject_unref(a);
    qobject_unref(b);
    qobject_unref(la);
    qobject_unref(lb);
}

static void test_autoptr(void)
{
    g_autoptr(QDict) d = qdict_new();
    g_autoptr(QList) l = qlist_new();

    qdict_put_int(d, "a", 1);
    qlist_append_int(l, 1);
    g_assert_cmpuint(qdict_size(d), ==, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qobject/refcount", test_refcount);
    g_test_add_func("/qobject/qobject_to", test_qobject_to);
    g_test_add_func("/qobject/qdict/basic", test_qdict_basic);
    g_test_add_func("/qobject/qdict/order", test_qdict_order);
    g_test_add_func("/qobject/qlist", test_qlist);
    g_test_add_func("/qobject/qnum/get", test_qnum);
    g_test_add_func("/qobject/qnum/to_string", test_qnum_to_string);
    g_test_add_func("/qobject/is_equal/numbers", test_is_equal_numbers);
    g_test_add_func("/qobject/is_equal/containers",
                    test_is_equal_containers);
    g_test_add_func("/qobject/autoptr", test_autoptr);
    return g_test_run();
}
