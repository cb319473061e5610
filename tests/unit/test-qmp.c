/*
 * test-qmp.c: QMP sessions, dispatch and events, transport-free.
 *
 * Expected replies are those of qemu-system-riscv64 7.2, byte for byte,
 * except where docs/devel/qmp.md says Machina deliberately differs.
 */
#include "qemu/osdep.h"
#include "monitor/qmp.h"
#include "qapi/qmp/dispatch.h"
#include "qapi/qmp/json-parser.h"
#include "qapi/qmp/qjson.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

typedef struct TestSession {
    QmpSession *s;
    GString *out;
} TestSession;

static void test_write(void *opaque, const char *data, size_t len)
{
    TestSession *ts = opaque;

    g_string_append_len(ts->out, data, len);
}

static void ts_open(TestSession *ts)
{
    ts->out = g_string_new(NULL);
    ts->s = qmp_session_new(test_write, ts);
    qmp_session_start(ts->s);
}

/* Output produced so far, cleared. */
static char *ts_take(TestSession *ts)
{
    char *str = g_strdup(ts->out->str);

    g_string_truncate(ts->out, 0);
    return str;
}

static void ts_close(TestSession *ts)
{
    qmp_session_free(ts->s);
    g_string_free(ts->out, TRUE);
}

static void feed_str(QmpSession *s, const char *str)
{
    qmp_session_feed(s, str, strlen(str));
}

/* Feed @in and expect exactly @expect as output. */
static void ts_expect(TestSession *ts, const char *in, const char *expect)
{
    g_autofree char *out = NULL;

    qmp_session_feed(ts->s, in, strlen(in));
    out = ts_take(ts);
    g_assert_cmpstr(out, ==, expect);
}

static void ts_negotiate(TestSession *ts)
{
    g_free(ts_take(ts));
    ts_expect(ts, "{\"execute\":\"qmp_capabilities\"}",
              "{\"return\": {}}\r\n");
}

/* --- Test commands --- */

static QmpSession *closing_session;

static void cmd_echo(QDict *args, QObject **ret, Error **errp)
{
    *ret = QOBJECT(qdict_clone_shallow(args));
}

static void cmd_fail(QDict *args, QObject **ret, Error **errp)
{
    error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
              qdict_get_str(args, "device"));
}

static void cmd_event(QDict *args, QObject **ret, Error **errp)
{
    qapi_event_emit("TEST_EVENT", qdict_from_jsonf_nofail(
                        "{'n': %" PRId64 "}", qdict_get_int(args, "n")));
    qapi_event_emit("TEST_PLAIN", NULL);
}

static int close_runs;

static void cmd_close(QDict *args, QObject **ret, Error **errp)
{
    close_runs++;
    qmp_session_free(closing_session);
}

static void register_test_commands(void)
{
    qmp_register_command("test-echo", cmd_echo,
                         "s:s,i:i?,u:u?,n:n?,b:b?,d:d?,l:l?,ls:l(s)?,"
                         "e:e(alpha|beta)?,o:o?", QCO_NO_OPTIONS);
    qmp_register_command("test-fail", cmd_fail, "device:s",
                         QCO_NO_OPTIONS);
    qmp_register_command("test-event", cmd_event, "n:i", QCO_NO_OPTIONS);
    qmp_register_command("test-close", cmd_close, "", QCO_NO_OPTIONS);
    qmp_register_command("test-any", cmd_echo, "a:s,*", QCO_NO_OPTIONS);
    qmp_register_command("test-oob", cmd_echo, "", QCO_ALLOW_OOB);
}

/* --- Tests --- */

static void test_greeting(void)
{
    TestSession ts;
    int major = -1, minor = -1, micro = -1;
    g_autofree char *expect = NULL;
    g_autofree char *out = NULL;

    g_assert_cmpint(sscanf(MACHINA_VERSION, "%d.%d.%d", &major, &minor,
                           &micro), ==, 3);
    expect = g_strdup_printf("{\"QMP\": {\"version\": {\"qemu\": "
                             "{\"micro\": %d, \"minor\": %d, \"major\": %d}, "
                             "\"package\": \"Machina %s\"}, "
                             "\"capabilities\": [\"oob\"]}}\r\n",
                             micro, minor, major, MACHINA_VERSION);
    ts_open(&ts);
    out = ts_take(&ts);
    g_assert_cmpstr(out, ==, expect);
    g_assert_false(qmp_session_is_negotiated(ts.s));
    ts_close(&ts);
}

/* Input line and the exact output it must produce. */
typedef struct Exchange {
    const char *in;
    const char *out;
} Exchange;

static void run_exchanges(TestSession *ts, const Exchange *ex, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        g_autofree char *shown = g_strescape(ex[i].in, NULL);

        g_test_message("-> %s", shown);
        ts_expect(ts, ex[i].in, ex[i].out);
    }
}

#define CNF(desc) \
    "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"" desc \
    "\"}}\r\n"
#define GE(desc) \
    "{\"error\": {\"class\": \"GenericError\", \"desc\": \"" desc "\"}}\r\n"

static const Exchange negotiation[] = {
    { "{\"execute\":\"query-status\"}\n",
      CNF("Expecting capabilities negotiation with 'qmp_capabilities'") },
    { "{\"execute\":\"nosuch\"}\n",
      CNF("Expecting capabilities negotiation with 'qmp_capabilities'") },
    { "{\"exec-oob\":\"qmp_capabilities\"}\n",
      GE("QMP input member 'exec-oob' is unexpected") },
    { "{\"foo\":1}\n", GE("QMP input member 'foo' is unexpected") },
    { "{\"execute\":\"qmp_capabilities\",\"arguments\":"
      "{\"enable\":\"oob\"}}\n",
      GE("Invalid parameter type for 'enable', expected: array") },
    { "{\"execute\":\"qmp_capabilities\",\"arguments\":"
      "{\"enable\":[1]}}\n",
      GE("Invalid parameter type for 'enable[0]', expected: string") },
    { "{\"execute\":\"qmp_capabilities\",\"arguments\":"
      "{\"enable\":[\"foo\"]}}\n",
      GE("Parameter 'enable[0]' does not accept value 'foo'") },
    { "{\"execute\":\"qmp_capabilities\",\"arguments\":{\"x\":1}}\n",
      GE("Parameter 'x' is unexpected") },
    { "{\"execute\":\"qmp_capabilities\",\"id\":\"a\"}\n",
      "{\"return\": {}, \"id\": \"a\"}\r\n" },
    { "{\"execute\":\"qmp_capabilities\",\"id\":{\"x\":[1]}}\n",
      "{\"id\": {\"x\": [1]}, \"error\": {\"class\": \"CommandNotFound\", "
      "\"desc\": \"Capabilities negotiation is already complete, command "
      "ignored\"}}\r\n" },
    { "{\"execute\":\"qmp_capabilities\"}\n",
      CNF("Capabilities negotiation is already complete, command "
          "ignored") },
    { "{\"exec-oob\":\"query-version\"}\n",
      GE("QMP input member 'exec-oob' is unexpected") },
};

static void test_negotiation(void)
{
    TestSession ts;

    ts_open(&ts);
    g_free(ts_take(&ts));
    run_exchanges(&ts, negotiation, ARRAY_SIZE(negotiation));
    g_assert_true(qmp_session_is_negotiated(ts.s));
    ts_close(&ts);
}

static const Exchange oob[] = {
    { "{\"execute\":\"qmp_capabilities\",\"arguments\":"
      "{\"enable\":[\"oob\"]}}\n", "{\"return\": {}}\r\n" },
    { "{\"exec-oob\":\"query-version\"}\n",
      GE("The command query-version does not support OOB") },
    { "{\"exec-oob\":\"query-version\",\"execute\":\"query-version\"}\n",
      GE("QMP input member 'execute' clashes with 'exec-oob'") },
    { "{\"exec-oob\":\"nosuch\"}\n",
      CNF("The command nosuch has not been found") },
    { "{\"exec-oob\":3}\n",
      GE("QMP input member 'exec-oob' must be a string") },
    { "{\"exec-oob\":\"test-oob\",\"id\":1}\n",
      "{\"return\": {}, \"id\": 1}\r\n" },
};

static void test_oob(void)
{
    TestSession ts;

    ts_open(&ts);
    g_free(ts_take(&ts));
    run_exchanges(&ts, oob, ARRAY_SIZE(oob));
    ts_close(&ts);
}

static const Exchange protocol_errors[] = {
    { "{]\n", GE("JSON parse error, expecting value") },
    { "\xff\n", GE("JSON parse error, stray '\\uFFFD'") },
    { "\x01\n", GE("JSON parse error, stray '\\u0001'") },
    { "%p\n", GE("JSON parse error, stray '%'") },
    { "not json\n", GE("JSON parse error, invalid keyword 'not'")
                    GE("JSON parse error, invalid keyword 'json'") },
    /* The newline ends the bad token, the next one resynchronises. */
    { "\"abc\n\n", GE("JSON parse error, stray '\\\"abc\\n'") },
    { "null\n", GE("QMP input must be a JSON object") },
    { "[1,2]\n", GE("QMP input must be a JSON object") },
    { "\"abc\"\n", GE("QMP input must be a JSON object") },
    { "{}\n", GE("QMP input lacks member 'execute'") },
    { "{\"arguments\":{}}\n", GE("QMP input lacks member 'execute'") },
    { "{\"execute\":1}\n",
      GE("QMP input member 'execute' must be a string") },
    { "{\"execute\":\"query-version\",\"arguments\":[]}\n",
      GE("QMP input member 'arguments' must be an object") },
    { "{\"execute\":\"query-version\",\"arguments\":{},\"foo\":1}\n",
      GE("QMP input member 'foo' is unexpected") },
    { "{\"execute\":\"query-version\",\"id\":1,\"foo\":1}\n",
      "{\"id\": 1, \"error\": {\"class\": \"GenericError\", \"desc\": "
      "\"QMP input member 'foo' is unexpected\"}}\r\n" },
    { "{\"execute\":\"query-version\",\"control\":{}}\n",
      GE("QMP input member 'control' is unexpected") },
    { "{\"execute\":\"nosuch\",\"id\":7}\n",
      "{\"id\": 7, \"error\": {\"class\": \"CommandNotFound\", \"desc\": "
      "\"The command nosuch has not been found\"}}\r\n" },
    { "{\"execute\":\"query-version\",\"arguments\":{\"x\":1}}\n",
      GE("Parameter 'x' is unexpected") },
    { "{\"execute\":\"query-commands\",\"arguments\":{\"a\":1,\"b\":2}}\n",
      GE("Parameter 'a' is unexpected") },
    { "{\"execute\":\"test-fail\",\"arguments\":{\"device\":\"d0\"},"
      "\"id\":\"f\"}\n",
      "{\"id\": \"f\", \"error\": {\"class\": \"DeviceNotFound\", "
      "\"desc\": \"Device 'd0' not found\"}}\r\n" },
    { "{\"execute\":\"test-fail\"}\n", GE("Parameter 'device' is missing") },
    /* Two requests on one line, one split over two lines. */
    { "{\"execute\":\"test-oob\"} {\"execute\":\"test-oob\",\n\"id\":2}\n",
      "{\"return\": {}}\r\n{\"return\": {}, \"id\": 2}\r\n" },
};

static void test_protocol_errors(void)
{
    TestSession ts;

    ts_open(&ts);
    ts_negotiate(&ts);
    run_exchanges(&ts, protocol_errors, ARRAY_SIZE(protocol_errors));
    ts_close(&ts);
}

static const Exchange ids[] = {
    { "{\"execute\":\"test-oob\",\"id\":null}",
      "{\"return\": {}, \"id\": null}\r\n" },
    { "{'execute':'test-oob','id':'x'}",
      "{\"return\": {}, \"id\": \"x\"}\r\n" },
    { "{\"execute\":\"test-oob\",\"id\":18446744073709551615}",
      "{\"return\": {}, \"id\": 18446744073709551615}\r\n" },
    { "{\"execute\":\"test-oob\",\"id\":-9223372036854775808}",
      "{\"return\": {}, \"id\": -9223372036854775808}\r\n" },
    { "{\"execute\":\"test-oob\",\"id\":0.1}",
      "{\"return\": {}, \"id\": 0.10000000000000001}\r\n" },
    { "{\"execute\":\"test-oob\",\"id\":\"\\u00e9\\ud83d\\ude00\\t\\\"\\\\"
      "\\/\"}",
      "{\"return\": {}, \"id\": \"\\u00E9\\uD83D\\uDE00\\t\\\"\\\\/\"}\r\n" },
    { "{\"execute\":\"test-oob\",\"id\":[true,false,null,{}]}",
      "{\"return\": {}, \"id\": [true, false, null, {}]}\r\n" },
    { "{\"execute\":\"test-oob\",\"id\":\"\\u0000x\"}",
      "{\"return\": {}, \"id\": \"\\u0000x\"}\r\n" },
};

static void test_id_echo(void)
{
    TestSession ts;

    ts_open(&ts);
    ts_negotiate(&ts);
    run_exchanges(&ts, ids, ARRAY_SIZE(ids));
    ts_close(&ts);
}

static const Exchange arguments[] = {
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"i\":-1,"
      "\"u\":18446744073709551615,\"n\":1.5,\"b\":true,\"d\":{},\"l\":[1],"
      "\"ls\":[\"a\"],\"e\":\"beta\",\"o\":null}}",
      "{\"return\": {\"s\": \"v\", \"i\": -1, \"u\": 18446744073709551615, "
      "\"n\": 1.5, \"b\": true, \"d\": {}, \"l\": [1], \"ls\": [\"a\"], "
      "\"e\": \"beta\", \"o\": null}}\r\n" },
    { "{\"execute\":\"test-echo\"}", GE("Parameter 's' is missing") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"zz\":1}}",
      GE("Parameter 's' is missing") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":null}}",
      GE("Invalid parameter type for 's', expected: string") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"i\":\"1\"}}",
      GE("Invalid parameter type for 'i', expected: integer") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"i\":1.5}}",
      GE("Invalid parameter type for 'i', expected: integer") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\","
      "\"i\":18446744073709551615}}",
      GE("Invalid parameter type for 'i', expected: integer") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"u\":-1}}",
      GE("Parameter 'u' expects a non-negative integer") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"n\":true}}",
      GE("Invalid parameter type for 'n', expected: number") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"b\":1}}",
      GE("Invalid parameter type for 'b', expected: boolean") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"d\":[]}}",
      GE("Invalid parameter type for 'd', expected: object") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"l\":{}}}",
      GE("Invalid parameter type for 'l', expected: array") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\","
      "\"ls\":[\"a\",2]}}",
      GE("Invalid parameter type for 'ls[1]', expected: string") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\","
      "\"e\":\"gamma\"}}",
      GE("Parameter 'e' does not accept value 'gamma'") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\","
      "\"e\":\"alph\"}}",
      GE("Parameter 'e' does not accept value 'alph'") },
    { "{\"execute\":\"test-echo\",\"arguments\":{\"s\":\"v\",\"x\":1}}",
      GE("Parameter 'x' is unexpected") },
    { "{\"execute\":\"test-any\",\"arguments\":{\"a\":\"v\",\"x\":1}}",
      "{\"return\": {\"a\": \"v\", \"x\": 1}}\r\n" },
    { "{\"execute\":\"test-any\",\"arguments\":{\"x\":1}}",
      GE("Parameter 'a' is missing") },
};

static void test_arguments(void)
{
    TestSession ts;

    ts_open(&ts);
    ts_negotiate(&ts);
    run_exchanges(&ts, arguments, ARRAY_SIZE(arguments));
    ts_close(&ts);
}

static void test_arg_spec_malformed(void)
{
    static const char *const bad[] = {
        "x", ":s", "x:", "x:q", "x:s??", "x:l(", "x:l(s", "x:e()", "x:e(a",
        "x:s,", "x:l(q)",
    };
    size_t k;

    for (k = 0; k < ARRAY_SIZE(bad); k++) {
        QDict *args = qdict_new();
        Error *err = NULL;

        g_assert_false(qmp_check_args(bad[k], args, &err));
        g_assert_true(g_str_has_prefix(error_get_pretty(err),
                                       "Malformed QMP argument spec"));
        error_free(err);
        qobject_unref(args);
    }
    if (g_test_subprocess()) {
        qmp_register_command("test-bad-spec", cmd_echo, "x:z", 0);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*test-bad-spec: malformed argument spec*");
}

static void test_query_commands(void)
{
    static const char *const want[] = {
        "qmp_capabilities", "query-version", "query-commands", "test-echo",
        "test-event",
    };
    TestSession ts;
    g_autofree char *out = NULL;
    QDict *resp;
    QList *list;
    const QListEntry *e;
    GPtrArray *names;
    size_t k;

    ts_open(&ts);
    ts_negotiate(&ts);
    feed_str(ts.s, "{\"execute\":\"query-commands\"}");
    out = ts_take(&ts);
    g_assert_true(g_str_has_suffix(out, "\r\n"));
    resp = qobject_to(QDict, qobject_from_json(out, &error_abort));
    list = qdict_get_qlist(resp, "return");
    names = qmp_command_names();
    g_assert_cmpuint(qlist_size(list), ==, names->len);
    g_ptr_array_unref(names);
    for (k = 0; k < ARRAY_SIZE(want); k++) {
        bool found = false;

        for (e = qlist_first(list); e; e = qlist_next(e)) {
            QDict *info = qobject_to(QDict, qlist_entry_obj(e));

            found |= !strcmp(qdict_get_str(info, "name"), want[k]);
        }
        g_assert_true(found);
    }
    qobject_unref(resp);
    ts_close(&ts);
}

static void test_query_version(void)
{
    TestSession ts;
    g_autofree char *out = NULL;
    g_autofree char *expect = NULL;
    QDict *info = qmp_version_info();
    GString *json = qobject_to_json(QOBJECT(info));

    expect = g_strdup_printf("{\"return\": %s}\r\n", json->str);
    ts_open(&ts);
    ts_negotiate(&ts);
    ts_expect(&ts, "{\"execute\":\"query-version\"}", expect);
    g_assert_cmpstr(qdict_get_str(info, "package"), ==,
                    "Machina " MACHINA_VERSION);
    g_string_free(json, TRUE);
    qobject_unref(info);
    ts_close(&ts);
}

/* Check one event line; returns its dict. */
static QDict *parse_event(const char *line, const char *name)
{
    QDict *ev = qobject_to(QDict, qobject_from_json(line, &error_abort));
    QDict *ts = qdict_get_qdict(ev, "timestamp");
    gint64 now_s = g_get_real_time() / G_USEC_PER_SEC;

    g_assert_cmpstr(qdict_get_str(ev, "event"), ==, name);
    g_assert_cmpint(qdict_get_int(ts, "seconds"), <=, now_s);
    g_assert_cmpint(qdict_get_int(ts, "seconds"), >=, now_s - 5);
    g_assert_cmpint(qdict_get_int(ts, "microseconds"), >=, 0);
    g_assert_cmpint(qdict_get_int(ts, "microseconds"), <, 1000000);
    return ev;
}

static void test_events(void)
{
    TestSession a, b;
    g_autofree char *out_a = NULL;
    g_autofree char *out_b = NULL;
    g_auto(GStrv) lines = NULL;
    QDict *ev;

    ts_open(&a);
    ts_open(&b);
    ts_negotiate(&a);
    g_free(ts_take(&b));

    /* Events precede the reply of the command that raised them. */
    feed_str(a.s, "{\"execute\":\"test-event\",\"arguments\":"
             "{\"n\":5},\"id\":9}");
    out_a = ts_take(&a);
    lines = g_strsplit(out_a, "\r\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 4);
    g_assert_true(g_str_has_prefix(lines[0],
                                   "{\"timestamp\": {\"seconds\": "));
    g_assert_true(g_str_has_suffix(lines[0], "}, \"event\": \"TEST_EVENT\", "
                                   "\"data\": {\"n\": 5}}"));
    ev = parse_event(lines[0], "TEST_EVENT");
    g_assert_cmpint(qdict_get_int(qdict_get_qdict(ev, "data"), "n"), ==, 5);
    qobject_unref(ev);
    ev = parse_event(lines[1], "TEST_PLAIN");
    g_assert_false(qdict_haskey(ev, "data"));
    qobject_unref(ev);
    g_assert_cmpstr(lines[2], ==, "{\"return\": {}, \"id\": 9}");
    g_assert_cmpstr(lines[3], ==, "");

    /* Not negotiated: no events. */
    out_b = ts_take(&b);
    g_assert_cmpstr(out_b, ==, "");

    /* Once negotiated, b gets events raised outside any command too. */
    ts_negotiate(&b);
    qapi_event_emit("STOP", NULL);
    g_free(out_b);
    out_b = ts_take(&b);
    g_assert_true(g_str_has_suffix(out_b, ", \"event\": \"STOP\"}\r\n"));
    g_free(out_a);
    out_a = ts_take(&a);
    g_assert_cmpstr(out_a, ==, out_b);
    ts_close(&a);
    ts_close(&b);
}

/* The same conversation fed at once and byte by byte: same output. */
static void test_byte_by_byte(void)
{
    GString *script = g_string_new("{\"execute\":\"qmp_capabilities\"}\n");
    TestSession whole, bytes;
    g_autofree char *out_whole = NULL;
    g_autofree char *out_bytes = NULL;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(protocol_errors); i++) {
        g_string_append(script, protocol_errors[i].in);
    }
    for (i = 0; i < ARRAY_SIZE(arguments); i++) {
        g_string_append(script, arguments[i].in);
    }

    ts_open(&whole);
    qmp_session_feed(whole.s, script->str, script->len);
    ts_open(&bytes);
    for (i = 0; i < script->len; i++) {
        qmp_session_feed(bytes.s, script->str + i, 1);
    }
    out_whole = ts_take(&whole);
    out_bytes = ts_take(&bytes);
    g_assert_cmpstr(out_whole, ==, out_bytes);
    g_assert_cmpuint(strlen(out_whole), >, 2000);
    ts_close(&whole);
    ts_close(&bytes);
    g_string_free(script, TRUE);
}

static void test_huge_message(void)
{
    GString *msg = g_string_new("{\"execute\":\"test-echo\",\"arguments\":"
                                "{\"s\":\"v\",\"o\":");
    TestSession ts;
    int i;

    for (i = 0; i < JSON_MAX_NESTING + 10; i++) {
        g_string_append_c(msg, '[');
    }
    for (i = 0; i < JSON_MAX_NESTING + 10; i++) {
        g_string_append_c(msg, ']');
    }
    g_string_append(msg, "}}\n");

    ts_open(&ts);
    ts_negotiate(&ts);
    ts_expect(&ts, msg->str, GE("JSON nesting depth limit exceeded"));
    ts_expect(&ts, "{\"execute\":\"test-oob\",\"id\":1}",
              "{\"return\": {}, \"id\": 1}\r\n");
    ts_close(&ts);
    g_string_free(msg, TRUE);
}

static void test_free_inside_command(void)
{
    TestSession ts;

    ts_open(&ts);
    ts_negotiate(&ts);
    closing_session = ts.s;
    /* The session closes mid-stream: nothing more is run or written. */
    close_runs = 0;
    ts_expect(&ts, "{\"execute\":\"test-close\"}"
              "{\"execute\":\"test-close\"}", "");
    g_assert_cmpint(close_runs, ==, 1);
    closing_session = NULL;
    g_string_free(ts.out, TRUE);
}

static void test_pretty(void)
{
    TestSession ts;

    ts_open(&ts);
    qmp_session_set_pretty(ts.s, true);
    g_free(ts_take(&ts));
    ts_expect(&ts, "{\"execute\":\"qmp_capabilities\"}",
              "{\r\n    \"return\": {}\r\n}\r\n");
    ts_expect(&ts, "{\"execute\":\"test-fail\",\"arguments\":"
              "{\"device\":\"x\"}}",
              "{\r\n    \"error\": {\r\n        \"class\": "
              "\"DeviceNotFound\",\r\n        \"desc\": \"Device 'x' not "
              "found\"\r\n    }\r\n}\r\n");
    ts_close(&ts);
}

static void test_dispatch_direct(void)
{
    QObject *req = qobject_from_jsonf_nofail("{'execute': 'test-echo', "
                                             "'arguments': {'s': %s}}",
                                             "direct");
    QDict *resp = qmp_dispatch(req, true, false);

    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(resp, "return"), "s"),
                    ==, "direct");
    qobject_unref(resp);

    /* qmp_capabilities needs a session. */
    qobject_unref(req);
    req = qobject_from_jsonf_nofail("{'execute': 'qmp_capabilities'}");
    resp = qmp_dispatch(req, false, false);
    g_assert_cmpstr(qdict_get_str(qdict_get_qdict(resp, "error"), "class"),
                    ==, "GenericError");
    qobject_unref(resp);
    qobject_unref(req);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    register_test_commands();
    g_test_add_func("/qmp/greeting", test_greeting);
    g_test_add_func("/qmp/negotiation", test_negotiation);
    g_test_add_func("/qmp/oob", test_oob);
    g_test_add_func("/qmp/protocol-errors", test_protocol_errors);
    g_test_add_func("/qmp/id-echo", test_id_echo);
    g_test_add_func("/qmp/arguments", test_arguments);
    g_test_add_func("/qmp/arg-spec-malformed", test_arg_spec_malformed);
    g_test_add_func("/qmp/query-commands", test_query_commands);
    g_test_add_func("/qmp/query-version", test_query_version);
    g_test_add_func("/qmp/events", test_events);
    g_test_add_func("/qmp/byte-by-byte", test_byte_by_byte);
    g_test_add_func("/qmp/huge-message", test_huge_message);
    g_test_add_func("/qmp/free-inside-command", test_free_inside_command);
    g_test_add_func("/qmp/pretty", test_pretty);
    g_test_add_func("/qmp/dispatch-direct", test_dispatch_direct);
    return g_test_run();
}
