/*
 * json-parser.c: build a QObject from the tokens of one message.
 *
 * Recursive descent; the streamer bounds the nesting depth, so the
 * recursion is bounded too.  Error texts follow QEMU's, because QMP
 * clients and tests match on them.
 */
#include "qemu/osdep.h"
#include <math.h>
#include "qapi/qmp/json-parser.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnull.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

typedef struct JSONParserContext {
    GPtrArray *tokens;
    guint pos;
    va_list *ap;
    Error *err;
} JSONParserContext;

static void G_GNUC_PRINTF(2, 3)
parse_error(JSONParserContext *ctxt, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    /* Only the first error is reported. */
    if (ctxt->err) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(&ctxt->err, "JSON parse error, %s", msg);
    g_free(msg);
}

static JSONToken *parser_peek(JSONParserContext *ctxt)
{
    if (ctxt->pos >= ctxt->tokens->len) {
        return NULL;
    }
    return g_ptr_array_index(ctxt->tokens, ctxt->pos);
}

static JSONToken *parser_next(JSONParserContext *ctxt)
{
    JSONToken *token = parser_peek(ctxt);

    if (token) {
        ctxt->pos++;
    }
    return token;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Code points a JSON string may carry: not surrogates, not beyond
 * U+10FFFF, and not the noncharacters U+FDD0..U+FDEF and U+xxFFFE/F.
 */
static bool is_valid_codepoint(gunichar cp)
{
    return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF) &&
           (cp < 0xFDD0 || cp > 0xFDEF) && (cp & 0xFFFE) != 0xFFFE;
}

/* Append @cp as UTF-8; NUL becomes 0xC0 0x80 (see qstring.h). */
static void append_codepoint(GString *out, gunichar cp)
{
    if (cp == 0) {
        g_string_append_len(out, "\xC0\x80", 2);
    } else {
        g_string_append_unichar(out, cp);
    }
}

/* Four hex digits at @p; -1 when one is not hex. */
static int parse_hex4(const char *p)
{
    int i, value = 0;

    for (i = 0; i < 4; i++) {
        int digit = hex_value(p[i]);

        if (digit < 0) {
            return -1;
        }
        value = value << 4 | digit;
    }
    return value;
}

/*
 * The escape "\uXXXX" (maybe a surrogate pair) at @p, just past the 'u'.
 * Returns the number of bytes after the 'u' consumed, or -1 on error.
 */
static int parse_unicode_escape(JSONParserContext *ctxt, const char *p,
                                GString *out)
{
    int hi = parse_hex4(p), lo;
    gunichar cp;

    /* The message shows the four bytes after "\u" (fewer at the end). */
    if (hi < 0) {
        parse_error(ctxt, "\\u%.4s is not a valid Unicode character", p);
        return -1;
    }
    cp = hi;
    if (hi >= 0xD800 && hi <= 0xDBFF && p[4] == '\\' && p[5] == 'u') {
        lo = parse_hex4(p + 6);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            if (!is_valid_codepoint(cp)) {
                parse_error(ctxt, "\\u%.10s is not a valid Unicode "
                            "character", p);
                return -1;
            }
            append_codepoint(out, cp);
            return 10;
        }
    }
    if (!is_valid_codepoint(cp)) {
        parse_error(ctxt, "\\u%.4s is not a valid Unicode character", p);
        return -1;
    }
    append_codepoint(out, cp);
    return 4;
}

/*
 * Length of the valid UTF-8 sequence at @p (at most @avail bytes), or 0.
 * Accepts 0xC0 0x80 for NUL, rejects other overlong forms, surrogates
 * and noncharacters.
 */
static int utf8_sequence_length(const unsigned char *p, size_t avail)
{
    int len, i;
    gunichar cp;

    if (p[0] == 0xC0 && avail >= 2 && p[1] == 0x80) {
        return 2;
    }
    if (p[0] < 0x80) {
        return 1;
    }
    if (p[0] < 0xC2 || p[0] > 0xF4) {
        return 0;
    }
    len = p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    if ((size_t)len > avail) {
        return 0;
    }
    cp = p[0] & (0x7F >> len);
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            return 0;
        }
        cp = cp << 6 | (p[i] & 0x3F);
    }
    /* Overlong encodings: the shortest form would have fewer bytes. */
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
        return 0;
    }
    return is_valid_codepoint(cp) ? len : 0;
}

static char simple_escape(char c)
{
    switch (c) {
    case '"':
    case '\'':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    }
    return 0;
}

/* One escape sequence at @p (just past the backslash); bytes consumed. */
static int parse_escape(JSONParserContext *ctxt, const char *p,
                        GString *out)
{
    char c = simple_escape(*p);
    int n;

    if (c) {
        g_string_append_c(out, c);
        return 1;
    }
    if (*p != 'u') {
        parse_error(ctxt, "invalid escape sequence in string");
        return -1;
    }
    n = parse_unicode_escape(ctxt, p + 1, out);
    return n < 0 ? -1 : n + 1;
}

static QString *parse_string(JSONParserContext *ctxt, JSONToken *token)
{
    const char *p = token->str + 1;
    const char *end = token->str + token->len - 1;   /* closing quote */
    GString *out = g_string_sized_new(token->len);
    int n;

    while (p < end) {
        if (*p == '\\') {
            n = parse_escape(ctxt, p + 1, out);
            n = n < 0 ? -1 : n + 1;
        } else if (*p == '%' && ctxt->ap) {
            /* In a format string, "%%" is a literal '%'. */
            n = p[1] == '%' ? 2 : -1;
            if (n < 0) {
                parse_error(ctxt, "can't interpolate into string");
            } else {
                g_string_append_c(out, '%');
            }
        } else {
            n = utf8_sequence_length((const unsigned char *)p, end - p);
            if (!n) {
                parse_error(ctxt, "invalid UTF-8 sequence in string");
                n = -1;
            } else {
                g_string_append_len(out, p, n);
            }
        }
        if (n < 0) {
            g_string_free(out, TRUE);
            return NULL;
        }
        p += n;
    }
    return qstring_from_gstring(out);
}

static QObject *parse_double(JSONParserContext *ctxt, JSONToken *token)
{
    double value = g_ascii_strtod(token->str, NULL);

    if (isinf(value)) {
        parse_error(ctxt, "number '%.40s' is out of range", token->str);
        return NULL;
    }
    return QOBJECT(qnum_from_double(value));
}

/* int64 if it fits, else uint64 if positive and it fits, else double. */
static QObject *parse_number(JSONParserContext *ctxt, JSONToken *token)
{
    gint64 i64;
    guint64 u64;

    if (token->type == JSON_INTEGER) {
        errno = 0;
        i64 = g_ascii_strtoll(token->str, NULL, 10);
        if (errno == 0) {
            return QOBJECT(qnum_from_int(i64));
        }
        if (token->str[0] != '-') {
            errno = 0;
            u64 = g_ascii_strtoull(token->str, NULL, 10);
            if (errno == 0) {
                return QOBJECT(qnum_from_uint(u64));
            }
        }
    }
    return parse_double(ctxt, token);
}

static QObject *parse_keyword(JSONParserContext *ctxt, JSONToken *token)
{
    if (!strcmp(token->str, "true")) {
        return QOBJECT(qbool_from_bool(true));
    }
    if (!strcmp(token->str, "false")) {
        return QOBJECT(qbool_from_bool(false));
    }
    if (!strcmp(token->str, "null")) {
        return QOBJECT(qnull());
    }
    parse_error(ctxt, "invalid keyword '%s'", token->str);
    return NULL;
}

static QObject *parse_interpolation(JSONParserContext *ctxt,
                                    JSONToken *token)
{
    va_list *ap = ctxt->ap;
    const char *conv = token->str + 1;

    if (!strcmp(conv, "p")) {
        return va_arg(*ap, QObject *);
    }
    if (!strcmp(conv, "s")) {
        return QOBJECT(qstring_from_str(va_arg(*ap, const char *)));
    }
    if (!strcmp(conv, "f")) {
        return QOBJECT(qnum_from_double(va_arg(*ap, double)));
    }
    if (!strcmp(conv, "i")) {
        /* QEMU's convention: %i interpolates a bool (passed as int). */
        return QOBJECT(qbool_from_bool(va_arg(*ap, int)));
    }
    if (!strcmp(conv, "d")) {
        return QOBJECT(qnum_from_int(va_arg(*ap, int)));
    }
    if (!strcmp(conv, "u")) {
        return QOBJECT(qnum_from_uint(va_arg(*ap, unsigned int)));
    }
    if (!strcmp(conv, "ld") || !strcmp(conv, "li")) {
        return QOBJECT(qnum_from_int(va_arg(*ap, long)));
    }
    if (!strcmp(conv, "lu")) {
        return QOBJECT(qnum_from_uint(va_arg(*ap, unsigned long)));
    }
    if (!strcmp(conv, "lld") || !strcmp(conv, "lli")) {
        return QOBJECT(qnum_from_int(va_arg(*ap, long long)));
    }
    assert(!strcmp(conv, "llu"));
    return QOBJECT(qnum_from_uint(va_arg(*ap, unsigned long long)));
}

static QObject *parse_value(JSONParserContext *ctxt);

/* One "key": value member into @dict. */
static bool parse_pair(JSONParserContext *ctxt, QDict *dict)
{
    QObject *key_obj = parse_value(ctxt);
    QString *key = qobject_to(QString, key_obj);
    JSONToken *token;
    QObject *value;

    if (!key_obj) {
        return false;
    }
    if (!key) {
        parse_error(ctxt, "key is not a string in object");
        goto fail;
    }
    token = parser_next(ctxt);
    if (!token || token->type != JSON_COLON) {
        parse_error(ctxt, "missing : in object pair");
        goto fail;
    }
    value = parse_value(ctxt);
    if (!value) {
        goto fail;
    }
    if (qdict_haskey(dict, qstring_get_str(key))) {
        qobject_unref(value);
        parse_error(ctxt, "duplicate key");
        goto fail;
    }
    qdict_put_obj(dict, qstring_get_str(key), value);
    qobject_unref(key_obj);
    return true;

fail:
    qobject_unref(key_obj);
    return false;
}

/* After '{'. */
static QObject *parse_object(JSONParserContext *ctxt)
{
    QDict *dict = qdict_new();
    JSONToken *token = parser_peek(ctxt);

    if (token && token->type == JSON_RCURLY) {
        parser_next(ctxt);
        return QOBJECT(dict);
    }
    for (;;) {
        if (!parse_pair(ctxt, dict)) {
            break;
        }
        token = parser_next(ctxt);
        if (token && token->type == JSON_RCURLY) {
            return QOBJECT(dict);
        }
        if (!token || token->type != JSON_COMMA) {
            parse_error(ctxt, "expected separator in dict");
            break;
        }
    }
    qobject_unref(dict);
    return NULL;
}

/* After '['. */
static QObject *parse_array(JSONParserContext *ctxt)
{
    QList *list = qlist_new();
    JSONToken *token = parser_peek(ctxt);
    QObject *value;

    if (token && token->type == JSON_RSQUARE) {
        parser_next(ctxt);
        return QOBJECT(list);
    }
    for (;;) {
        value = parse_value(ctxt);
        if (!value) {
            break;
        }
        qlist_append_obj(list, value);
        token = parser_next(ctxt);
        if (token && token->type == JSON_RSQUARE) {
            return QOBJECT(list);
        }
        if (!token || token->type != JSON_COMMA) {
            parse_error(ctxt, "expected separator in list");
            break;
        }
    }
    qobject_unref(list);
    return NULL;
}

static QObject *parse_value(JSONParserContext *ctxt)
{
    JSONToken *token = parser_next(ctxt);

    if (!token) {
        parse_error(ctxt, "premature end of input");
        return NULL;
    }
    switch (token->type) {
    case JSON_LCURLY:
        return parse_object(ctxt);
    case JSON_LSQUARE:
        return parse_array(ctxt);
    case JSON_STRING:
        return QOBJECT(parse_string(ctxt, token));
    case JSON_INTEGER:
    case JSON_FLOAT:
        return parse_number(ctxt, token);
    case JSON_KEYWORD:
        return parse_keyword(ctxt, token);
    case JSON_INTERP:
        return parse_interpolation(ctxt, token);
    default:
        parse_error(ctxt, "expecting value");
        return NULL;
    }
}

QObject *json_parser_parse(GPtrArray *tokens, va_list *ap, Error **errp)
{
    JSONParserContext ctxt = {
        .tokens = tokens,
        .ap = ap,
    };
    QObject *result = parse_value(&ctxt);

    if (result && ctxt.pos < tokens->len) {
        qobject_unref(result);
        result = NULL;
        parse_error(&ctxt, "expecting end of input");
    }
    if (!result) {
        assert(ctxt.err);
        error_propagate(errp, ctxt.err);
    }
    return result;
}
