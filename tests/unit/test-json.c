/*
 * test-json.c: the streaming JSON parser and the writer.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/json-parser.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qjson.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnull.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

/* QMP traffic of QEMU 7.2 (reference facts, section 6) and extras. */
static const char *const qmp_messages[] = {
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, "
    "\"major\": 7}, \"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, "
    "\"capabilities\": [\"oob\"]}}",
    "{\"execute\":\"query-status\"}",
    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting "
    "capabilities negotiation with 'qmp_capabilities'\"}}",
    "{\"execute\":\"qmp_capabilities\"}",
    "{\"return\": {}}",
    "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, "
    "\"running\": false}}",
    "{\"timestamp\": {\"seconds\": 1796311894, \"microseconds\": 305610}, "
    "\"event\": \"RESUME\"}",
    "{\"timestamp\": {\"seconds\": 1796311894, \"microseconds\": 305610}, "
    "\"event\": \"RESET\", \"data\": {\"guest\": false, \"reason\": "
    "\"host-qmp-system-reset\"}}",
    "{\"execute\":\"cont\",\"id\":42}",
    "{\"return\": {}, \"id\": 42}",
    "{\"execute\":\"human-monitor-command\",\"arguments\":"
    "{\"command-line\":\"info status\"}}",
    "{\"return\": \"VM status: running\\r\\n\"}",
    "{\"return\": \"* CPU #0: thread_id=23582\\r\\n  CPU #1: "
    "thread_id=23583\\r\\n\"}",
    "{\"return\": [{\"thread-id\": 23582, \"props\": {\"core-id\": 0}, "
    "\"qom-path\": \"/machine/soc0/harts[0]\", \"cpu-index\": 0, "
    "\"target\": \"riscv64\"}, {\"thread-id\": 23583, \"props\": "
    "{\"core-id\": 1}, \"qom-path\": \"/machine/soc0/harts[1]\", "
    "\"cpu-index\": 1, \"target\": \"riscv64\"}]}",
    "{\"return\": [{\"share\": false, \"reserve\": true, \"prealloc\": "
    "false, \"host-nodes\": [], \"size\": 268435456, \"merge\": true, "
    "\"dump\": true, \"policy\": \"default\", \"id\": "
    "\"riscv_virt_board.ram\"}]}",
    "{\"execute\":\"query-status\",\"arguments\":{\"x\":1}}",
    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'x' "
    "is unexpected\"}}",
    "{'execute': 'query-version', 'id': 'it\\'s \"quoted\"'}",
    "{\"id\": [1, -2, 3.5, -4.25e-3, 18446744073709551615, "
    "-9223372036854775808, 1E+2, true, false, null, \"\\u00e9\\ud83d"
    "\\ude00\\t\\\"\\\\\\/\\b\\f\\n\\r\", \"\xc3\xa9\xf0\x9f\x98\x80\"]}",
    "[[[[{\"a\": [[], {}, [{}], {\"b\": {\"c\": [1, [2, [3, [4]]]]}}]}]]]]",
    "  \r\n\t{ \"spaced\" : [ 1 , 2 ] , \"x\" : { } }  ",
};

typedef struct Collected {
    GPtrArray *values;      /* QObject * */
    GPtrArray *errors;      /* char *, the error messages */
    GString *order;         /* 'v' per value, 'e' per error */
} Collected;

static void collect(void *opaque, QObject *json, Error *err)
{
    Collected *c = opaque;

    g_assert_true(!json != !err);
    if (json) {
        g_ptr_array_add(c->values, json);
        g_string_append_c(c->order, 'v');
    } else {
        g_ptr_array_add(c->errors, g_strdup(error_get_pretty(err)));
        g_string_append_c(c->order, 'e');
        error_free(err);
    }
}

static void collected_init(Collected *c)
{
    c->values = g_ptr_array_new_with_free_func(
        (GDestroyNotify)qobject_unref_impl);
    c->errors = g_ptr_array_new_with_free_func(g_free);
    c->order = g_string_new(NULL);
}

static void collected_destroy(Collected *c)
{
    g_ptr_array_unref(c->values);
    g_ptr_array_unref(c->errors);
    g_string_free(c->order, TRUE);
}

/* Feed @buf in pieces cut at @cuts (ascending offsets), then flush. */
static void parse_pieces(Collected *c, const char *buf, size_t len,
                         const size_t *cuts, int ncuts)
{
    JSONMessageParser parser;
    size_t start = 0;
    int i;

    collected_init(c);
    json_message_parser_init(&parser, collect, c, NULL);
    for (i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : len;

        json_message_parser_feed(&parser, buf + start, end - start);
        start = end;
    }
    json_message_parser_flush(&parser);
    json_message_parser_destroy(&parser);
}

static void parse_whole(Collected *c, const char *buf, size_t len)
{
    parse_pieces(c, buf, len, NULL, 0);
}

static void assert_same_values(Collected *a, Collected *b)
{
    guint i;

    g_assert_cmpstr(a->order->str, ==, b->order->str);
    for (i = 0; i < a->values->len; i++) {
        g_assert_true(qobject_is_equal(g_ptr_array_index(a->values, i),
                                       g_ptr_array_index(b->values, i)));
    }
}

/* Each message, cut once at every offset, parses to the same object. */
static void test_split_every_byte(void)
{
    size_t k, cut;

    for (k = 0; k < ARRAY_SIZE(qmp_messages); k++) {
        const char *msg = qmp_messages[k];
        size_t len = strlen(msg);
        Collected whole;

        parse_whole(&whole, msg, len);
        g_assert_cmpstr(whole.order->str, ==, "v");
        for (cut = 0; cut <= len; cut++) {
            Collected split;

            parse_pieces(&split, msg, len, &cut, 1);
            assert_same_values(&whole, &split);
            collected_destroy(&split);
        }
        collected_destroy(&whole);
    }
}

/* All messages as one stream, cut at every offset and byte by byte. */
static void test_stream_every_byte(void)
{
    GString *stream = g_string_new(NULL);
    Collected whole, bytewise;
    size_t k, cut;
    size_t *cuts;

    for (k = 0; k < ARRAY_SIZE(qmp_messages); k++) {
        g_string_append(stream, qmp_messages[k]);
        g_string_append(stream, k % 2 ? "\r\n" : "");
    }
    parse_whole(&whole, stream->str, stream->len);
    g_assert_cmpuint(whole.values->len, ==, ARRAY_SIZE(qmp_messages));
    g_assert_cmpuint(whole.errors->len, ==, 0);

    for (cut = 0; cut <= stream->len; cut++) {
        Collected split;

        parse_pieces(&split, stream->str, stream->len, &cut, 1);
        assert_same_values(&whole, &split);
        collected_destroy(&split);
    }

    cuts = g_new(size_t, stream->len);
    for (cut = 0; cut < stream->len; cut++) {
        cuts[cut] = cut + 1;
    }
    parse_pieces(&bytewise, stream->str, stream->len, cuts, stream->len - 1);
    assert_same_values(&whole, &bytewise);
    collected_destroy(&bytewise);
    collected_destroy(&whole);
    g_free(cuts);
    g_string_free(stream, TRUE);
}

static const struct {
    const char *input;
    const char *errors;     /* messages separated by '|' */
} malformed[] = {
    { "{]", "JSON parse error, expecting value" },
    { "[}", "JSON parse error, expecting value" },
    { "}", "JSON parse error, expecting value" },
    { "\xff", "JSON parse error, stray '\xff'" },
    { "\x01", "JSON parse error, stray '\x01'" },
    { "%p", "JSON parse error, stray '%'" },
    { "{\"a\":%p}", "JSON parse error, stray '%'|"
                    "JSON parse error, expecting value" },
    { "not json", "JSON parse error, invalid keyword 'not'|"
                  "JSON parse error, invalid keyword 'json'" },
    { "True", "JSON parse error, stray 'T'" },
    { "\"abc\n", "JSON parse error, stray '\"abc\n'" },
    { "\"a\tb\"", "JSON parse error, stray '\"a\t'" },
    { "\"\\ud800\"", "JSON parse error, \\ud800 is not a valid Unicode "
                     "character" },
    { "\"\\udc00\"", "JSON parse error, \\udc00 is not a valid Unicode "
                     "character" },
    { "\"\\ud800\\u0041\"", "JSON parse error, \\ud800 is not a valid "
                            "Unicode character" },
    /* Lexing resumes at any structural character, ':' and ',' too. */
    { "\xa9\"x\":}", "JSON parse error, stray '\xa9'|"
                     "JSON parse error, expecting value|"
                     "JSON parse error, expecting value" },
    { "\"\\uz0e9\"", "JSON parse error, \\uz0e9 is not a valid Unicode "
                     "character" },
    { "\"\\u12\"", "JSON parse error, \\u12\" is not a valid Unicode "
                   "character" },
    { "\"\\uffff\"", "JSON parse error, \\uffff is not a valid Unicode "
                     "character" },
    { "\"\\udbff\\udfff\"", "JSON parse error, \\udbff\\udfff is not a "
                            "valid Unicode character" },
    { "\"\xed\xa0\x80\"", "JSON parse error, invalid UTF-8 sequence in "
                          "string" },
    { "\"\xc3\"", "JSON parse error, invalid UTF-8 sequence in string" },
    { "\"\xe0\x80\xaf\"", "JSON parse error, invalid UTF-8 sequence in "
                          "string" },
    { "\"\xef\xbf\xbf\"", "JSON parse error, invalid UTF-8 sequence in "
                          "string" },
    { "\"\xf4\x90\x80\x80\"", "JSON parse error, invalid UTF-8 sequence "
                              "in string" },
    { "\"\xfe\"", "JSON parse error, stray '\"\xfe'" },
    { "\"a\\xb\"", "JSON parse error, invalid escape sequence in string" },
    { "{\"a\" 1}", "JSON parse error, missing : in object pair" },
    { "{1:2}", "JSON parse error, key is not a string in object" },
    { "[1 2]", "JSON parse error, expected separator in list" },
    { "{\"a\":1 \"b\":2}", "JSON parse error, expected separator in dict" },
    { "{\"a\":1,\"a\":2}", "JSON parse error, duplicate key" },
    { "[1,]", "JSON parse error, expecting value" },
    { "{\"a\":1,}", "JSON parse error, expecting value" },
    { "01", "JSON parse error, stray '01'" },
    { "-x", "JSON parse error, stray '-x'" },
    { "1.e5", "JSON parse error, stray '1.e'" },
    { ".5", "JSON parse error, stray '.'" },
    { "1e400", "JSON parse error, number '1e400' is out of range" },
    { "-1e400", "JSON parse error, number '-1e400' is out of range" },
};

/* Each bad input gives its errors, and a following message parses. */
static void test_malformed(void)
{
    size_t k;

    for (k = 0; k < ARRAY_SIZE(malformed); k++) {
        g_autofree char *input = g_strdup_printf("%s\n{\"ok\": [1]}",
                                                 malformed[k].input);
        g_auto(GStrv) expect = g_strsplit(malformed[k].errors, "|", -1);
        guint nexpect = g_strv_length(expect), i;
        Collected c;
        g_autofree char *shown = g_strescape(malformed[k].input, NULL);

        parse_whole(&c, input, strlen(input));
        g_test_message("input: %s", shown);
        g_assert_cmpuint(c.errors->len, ==, nexpect);
        for (i = 0; i < nexpect; i++) {
            g_assert_cmpstr(g_ptr_array_index(c.errors, i), ==, expect[i]);
        }
        g_assert_cmpuint(c.values->len, ==, 1);
        g_assert_nonnull(qdict_get_qlist(g_ptr_array_index(c.values, 0),
                                         "ok"));
        collected_destroy(&c);
    }
}

/* An unclosed value swallows what follows, as in QEMU. */
static void test_unclosed(void)
{
    const char *input = "[1,\n{\"a\":1}\n";
    Collected c;

    parse_whole(&c, input, strlen(input));
    g_assert_cmpstr(c.order->str, ==, "e");
    g_assert_cmpstr(g_ptr_array_index(c.errors, 0), ==,
                    "JSON parse error, premature end of input");
    collected_destroy(&c);
}

static void test_flush_completes_scalar(void)
{
    Collected c;

    parse_whole(&c, "42", 2);
    g_assert_cmpstr(c.order->str, ==, "v");
    g_assert_cmpint(qnum_get_int(g_ptr_array_index(c.values, 0)), ==, 42);
    collected_destroy(&c);

    /* Without flush, a number at the end of the input may continue. */
    collected_init(&c);
    {
        JSONMessageParser p;

        json_message_parser_init(&p, collect, &c, NULL);
        json_message_parser_feed(&p, "12", 2);
        g_assert_cmpuint(c.values->len, ==, 0);
        json_message_parser_feed(&p, "3 ", 2);
        g_assert_cmpuint(c.values->len, ==, 1);
        json_message_parser_destroy(&p);
    }
    g_assert_cmpint(qnum_get_int(g_ptr_array_index(c.values, 0)), ==, 123);
    collected_destroy(&c);
}

static QObject *parse_ok(const char *text)
{
    Error *err = NULL;
    QObject *obj = qobject_from_json(text, &err);

    g_assert_null(err);
    g_assert_nonnull(obj);
    return obj;
}

static void test_numbers(void)
{
    static const struct {
        const char *text;
        QNumKind kind;
        const char *written;
    } cases[] = {
        { "0", QNUM_I64, "0" },
        { "-0", QNUM_I64, "0" },
        { "9223372036854775807", QNUM_I64, "9223372036854775807" },
        { "-9223372036854775808", QNUM_I64, "-9223372036854775808" },
        { "9223372036854775808", QNUM_U64, "9223372036854775808" },
        { "18446744073709551615", QNUM_U64, "18446744073709551615" },
        { "18446744073709551616", QNUM_DOUBLE, "1.8446744073709552e+19" },
        { "-9223372036854775809", QNUM_DOUBLE, "-9.2233720368547758e+18" },
        { "1.0", QNUM_DOUBLE, "1.0" },
        { "-0.0", QNUM_DOUBLE, "-0.0" },
        { "0.1", QNUM_DOUBLE, "0.10000000000000001" },
        { "1E2", QNUM_DOUBLE, "100.0" },
        { "1.5e300", QNUM_DOUBLE, "1.5000000000000001e+300" },
        { "5e-324", QNUM_DOUBLE, "4.9406564584124654e-324" },
        { "123.456e-7", QNUM_DOUBLE, "1.2345599999999999e-05" },
    };
    size_t k;

    for (k = 0; k < ARRAY_SIZE(cases); k++) {
        QObject *obj = parse_ok(cases[k].text);
        QNum *qn = qobject_to(QNum, obj);
        GString *json = qobject_to_json(obj);
        QObject *again = parse_ok(json->str);

        g_assert_nonnull(qn);
        g_assert_cmpint(qn->kind, ==, cases[k].kind);
        g_assert_cmpstr(json->str, ==, cases[k].written);
        /* Same value and same representation after the round trip. */
        g_assert_true(qobject_is_equal(obj, again));
        g_assert_cmpint(qobject_to(QNum, again)->kind, ==, qn->kind);
        g_string_free(json, TRUE);
        qobject_unref(obj);
        qobject_unref(again);
    }
}

static void test_doubles_round_trip(void)
{
    double values[] = { 0.1, 1.0 / 3, -2.5e-310, 1.7976931348623157e308,
                        123456789.125, -1e-5, 3.0 };
    size_t k;

    for (k = 0; k < ARRAY_SIZE(values); k++) {
        QNum *qn = qnum_from_double(values[k]);
        GString *json = qobject_to_json(QOBJECT(qn));
        QObject *back = parse_ok(json->str);

        g_assert_cmpfloat(qnum_get_double(qobject_to(QNum, back)), ==,
                          values[k]);
        g_assert_cmpint(qobject_to(QNum, back)->kind, ==, QNUM_DOUBLE);
        g_string_free(json, TRUE);
        qobject_unref(qn);
        qobject_unref(back);
    }
}

static void test_strings(void)
{
    QObject *obj = parse_ok("[\"\\u00e9\\ud83d\\ude00\\t\\\"\\\\\\/\", "
                            "'\\'\"', \"\\u0000x\", \"\xc0\x80\", "
                            "\"\\u20ac\xe2\x82\xac\", \"\\u001f\\u007f\"]");
    QList *list = qobject_to(QList, obj);
    GString *json = qobject_to_json(obj);
    QObject *back = parse_ok(json->str);
    const QListEntry *e = qlist_first(list);

    g_assert_cmpstr(qstring_get_str(qobject_to(QString, qlist_entry_obj(e))),
                    ==, "\xc3\xa9\xf0\x9f\x98\x80\t\"\\/");
    e = qlist_next(e);
    g_assert_cmpstr(qstring_get_str(qobject_to(QString, qlist_entry_obj(e))),
                    ==, "'\"");
    e = qlist_next(e);
    g_assert_cmpstr(qstring_get_str(qobject_to(QString, qlist_entry_obj(e))),
                    ==, "\xc0\x80x");

    /* QEMU's output: ASCII only, uppercase escapes, '/' not escaped. */
    g_assert_cmpstr(json->str, ==,
                    "[\"\\u00E9\\uD83D\\uDE00\\t\\\"\\\\/\", \"'\\\"\", "
                    "\"\\u0000x\", \"\\u0000\", \"\\u20AC\\u20AC\", "
                    "\"\\u001F\\u007F\"]");
    g_assert_true(qobject_is_equal(obj, back));
    g_string_free(json, TRUE);
    qobject_unref(obj);
    qobject_unref(back);
}

static void test_writer_invalid_utf8(void)
{
    QString *qs = qstring_from_str("a\xff" "b");
    GString *json = qobject_to_json(QOBJECT(qs));

    g_assert_cmpstr(json->str, ==, "\"a\\uFFFDb\"");
    g_string_free(json, TRUE);
    qobject_unref(qs);
}

static void test_writer_format(void)
{
    QObject *obj = parse_ok("{\"a\": 1, \"b\": [1, 2], \"c\": {}, "
                            "\"d\": [], \"e\": {\"f\": null}}");
    GString *compact = qobject_to_json(obj);
    GString *pretty = qobject_to_json_pretty(obj, true);

    g_assert_cmpstr(compact->str, ==,
                    "{\"a\": 1, \"b\": [1, 2], \"c\": {}, \"d\": [], "
                    "\"e\": {\"f\": null}}");
    g_assert_cmpstr(pretty->str, ==,
                    "{\n"
                    "    \"a\": 1,\n"
                    "    \"b\": [\n"
                    "        1,\n"
                    "        2\n"
                    "    ],\n"
                    "    \"c\": {},\n"
                    "    \"d\": [],\n"
                    "    \"e\": {\n"
                    "        \"f\": null\n"
                    "    }\n"
                    "}");
    g_string_free(compact, TRUE);
    g_string_free(pretty, TRUE);
    qobject_unref(obj);
}

/* Build a value nested @depth deep, write it, parse it back. */
static void test_nesting_round_trip(void)
{
    QObject *obj = QOBJECT(qnum_from_int(1));
    QObject *back;
    GString *json;
    int i;

    for (i = 0; i < JSON_MAX_NESTING; i++) {
        if (i % 2) {
            QDict *d = qdict_new();

            qdict_put_obj(d, "k", obj);
            obj = QOBJECT(d);
        } else {
            QList *l = qlist_new();

            qlist_append_obj(l, obj);
            qlist_append_str(l, "x");
            obj = QOBJECT(l);
        }
    }
    json = qobject_to_json(obj);
    back = parse_ok(json->str);
    g_assert_true(qobject_is_equal(obj, back));
    g_string_free(json, TRUE);
    qobject_unref(obj);
    qobject_unref(back);
}

/* Errors of a stream, as "msg|msg", with values counted in @nvalues. */
static char *stream_errors(const char *buf, size_t len, guint *nvalues)
{
    Collected c;
    char *joined;

    parse_whole(&c, buf, len);
    g_ptr_array_add(c.errors, NULL);
    joined = g_strjoinv("|", (char **)c.errors->pdata);
    *nvalues = c.values->len;
    g_ptr_array_remove_index(c.errors, c.errors->len - 1);
    collected_destroy(&c);
    return joined;
}

static void test_depth_limit(void)
{
    GString *s = g_string_new(NULL);
    g_autofree char *errors = NULL;
    guint nvalues;
    int i;

    /* At the limit: accepted. */
    for (i = 0; i < JSON_MAX_NESTING; i++) {
        g_string_append_c(s, '[');
    }
    for (i = 0; i < JSON_MAX_NESTING; i++) {
        g_string_append_c(s, ']');
    }
    errors = stream_errors(s->str, s->len, &nvalues);
    g_assert_cmpstr(errors, ==, "");
    g_assert_cmpuint(nvalues, ==, 1);
    g_free(errors);

    /* One deeper: one error, the rest skipped, the next message parses. */
    g_string_prepend_c(s, '[');
    g_string_append(s, "]{\"next\": 1}");
    errors = stream_errors(s->str, s->len, &nvalues);
    g_assert_cmpstr(errors, ==, "JSON nesting depth limit exceeded");
    g_assert_cmpuint(nvalues, ==, 1);
    g_string_free(s, TRUE);
}

static void test_token_count_limit(void)
{
    GString *s = g_string_new("{\"a\": [");
    g_autofree char *errors = NULL;
    guint nvalues;
    int i;

    for (i = 0; i < JSON_MAX_TOKENS / 2; i++) {
        g_string_append(s, "1,");
    }
    g_string_append(s, "1]}\n{\"next\": 1}");
    errors = stream_errors(s->str, s->len, &nvalues);
    g_assert_cmpstr(errors, ==, "JSON token count limit exceeded");
    g_assert_cmpuint(nvalues, ==, 1);
    g_string_free(s, TRUE);
}

static void test_size_limits(void)
{
    GString *s = g_string_new("[\"");
    g_autofree char *errors = NULL;
    guint nvalues;

    /* One string token over the limit. */
    g_string_set_size(s, JSON_MAX_TOKEN_BYTES + 2);
    memset(s->str + 2, 'x', JSON_MAX_TOKEN_BYTES);
    g_string_append(s, "\"]\n{\"next\": 1}");
    errors = stream_errors(s->str, s->len, &nvalues);
    g_assert_cmpstr(errors, ==, "JSON token size limit exceeded|"
                    "JSON parse error, expecting value");
    g_assert_cmpuint(nvalues, ==, 1);
    g_free(errors);

    /* Many tokens that together exceed it. */
    g_string_assign(s, "[");
    for (int i = 0; i < 33; i++) {
        size_t at = s->len;

        g_string_set_size(s, at + 2 * MiB + 3);
        s->str[at] = '"';
        memset(s->str + at + 1, 'y', 2 * MiB);
        memcpy(s->str + at + 1 + 2 * MiB, "\",", 2);
    }
    g_string_append(s, "0]\n{\"next\": 1}");
    errors = stream_errors(s->str, s->len, &nvalues);
    g_assert_cmpstr(errors, ==, "JSON token size limit exceeded");
    g_assert_cmpuint(nvalues, ==, 1);
    g_string_free(s, TRUE);
}

static void test_from_json(void)
{
    Error *err = NULL;
    QObject *obj;

    obj = qobject_from_json("  ", &err);
    g_assert_null(obj);
    g_assert_null(err);

    obj = qobject_from_json("1 2", &err);
    g_assert_null(obj);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Expecting at most one JSON value");
    error_free(err);
    err = NULL;

    obj = qobject_from_json("[1,", &err);
    g_assert_null(obj);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "JSON parse error, premature end of input");
    error_free(err);
    err = NULL;

    obj = qobject_from_json("\"unterminated", &err);
    g_assert_null(obj);
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "JSON parse error, stray '\"unterminated'");
    error_free(err);
}

static void test_interpolation(void)
{
    QString *inner = qstring_from_str("inner");
    QDict *d = qdict_from_jsonf_nofail(
        "{'d': %d, 'i': %i, 'u': %u, 'ld': %ld, 'lu': %lu, 'lld': %lld, "
        "'llu': %llu, 'i64': %" PRId64 ", 'u64': %" PRIu64 ", 'f': %f, "
        "'s': %s, 'p': %p, 'pct': '100%%', 'list': [%d, %s]}",
        -1, true, 3u, -4L, 5UL, -6LL, 18446744073709551615ULL, INT64_MIN,
        UINT64_MAX, 0.5, "str", inner, 7, "eight");
    QList *list;

    g_assert_cmpint(qdict_get_int(d, "d"), ==, -1);
    /* %i is a bool, as in QEMU's libqtest format strings. */
    g_assert_true(qdict_get_bool(d, "i"));
    g_assert_cmpint(qdict_get_int(d, "u"), ==, 3);
    g_assert_cmpint(qdict_get_int(d, "ld"), ==, -4);
    g_assert_cmpint(qdict_get_int(d, "lu"), ==, 5);
    g_assert_cmpint(qdict_get_int(d, "lld"), ==, -6);
    g_assert_cmpuint(qnum_get_uint(qobject_to(QNum, qdict_get(d, "llu"))),
                     ==, UINT64_MAX);
    g_assert_cmpint(qdict_get_int(d, "i64"), ==, INT64_MIN);
    g_assert_cmpuint(qnum_get_uint(qobject_to(QNum, qdict_get(d, "u64"))),
                     ==, UINT64_MAX);
    g_assert_cmpfloat(qnum_get_double(qobject_to(QNum, qdict_get(d, "f"))),
                      ==, 0.5);
    g_assert_cmpstr(qdict_get_str(d, "s"), ==, "str");
    /* %p hands over the caller's reference. */
    g_assert_true(qdict_get(d, "p") == QOBJECT(inner));
    g_assert_cmpuint(inner->base.refcnt, ==, 1);
    g_assert_cmpstr(qdict_get_str(d, "pct"), ==, "100%");
    list = qdict_get_qlist(d, "list");
    g_assert_cmpuint(qlist_size(list), ==, 2);
    qobject_unref(d);
}

static void test_interpolation_bad_string(void)
{
    if (g_test_subprocess()) {
        qobject_from_jsonf_nofail("['50%']");
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*can't interpolate into string*");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json/split/every-byte", test_split_every_byte);
    g_test_add_func("/json/split/stream", test_stream_every_byte);
    g_test_add_func("/json/malformed", test_malformed);
    g_test_add_func("/json/unclosed", test_unclosed);
    g_test_add_func("/json/flush", test_flush_completes_scalar);
    g_test_add_func("/json/numbers", test_numbers);
    g_test_add_func("/json/doubles", test_doubles_round_trip);
    g_test_add_func("/json/strings", test_strings);
    g_test_add_func("/json/writer/invalid-utf8", test_writer_invalid_utf8);
    g_test_add_func("/json/writer/format", test_writer_format);
    g_test_add_func("/json/nesting", test_nesting_round_trip);
    g_test_add_func("/json/limit/depth", test_depth_limit);
    g_test_add_func("/json/limit/tokens", test_token_count_limit);
    g_test_add_func("/json/limit/size", test_size_limits);
    g_test_add_func("/json/from_json", test_from_json);
    g_test_add_func("/json/interpolation", test_interpolation);
    g_test_add_func("/json/interpolation/bad-string",
                    test_interpolation_bad_string);
    return g_test_run();
}
