/*
 * json-writer.c: QObject to JSON text.
 *
 * The output matches QEMU's byte for byte where QMP clients see it:
 * ", " and ": " separators, pure ASCII with uppercase \uXXXX escapes for
 * everything else, '/' left unescaped.  Doubles are the one deliberate
 * difference (see qnum.c).
 */
#include "qemu/osdep.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qdict.h"
#include "qapi/qmp/qjson.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

#define JSON_INDENT_STEP 4

static void json_write_char_escape(GString *out, char c)
{
    static const char plain[] = "\"\\\b\f\n\r\t";
    static const char code[] = "\"\\bfnrt";
    const char *p = c ? strchr(plain, c) : NULL;

    if (p) {
        g_string_append_c(out, '\\');
        g_string_append_c(out, code[p - plain]);
    } else if ((unsigned char)c < 0x20 || c == 0x7F) {
        g_string_append_printf(out, "\\u%04X", (unsigned char)c);
    } else {
        g_string_append_c(out, c);
    }
}

/* The non-ASCII character at @p as \u escapes; returns its length. */
static int json_write_unicode(GString *out, const char *p, const char *end)
{
    gunichar cp;

    /* Modified UTF-8 NUL (see qstring.h). */
    if ((unsigned char)p[0] == 0xC0 && p + 1 < end &&
        (unsigned char)p[1] == 0x80) {
        g_string_append(out, "\\u0000");
        return 2;
    }
    cp = g_utf8_get_char_validated(p, end - p);
    if (cp == (gunichar)-1 || cp == (gunichar)-2) {
        /* Not UTF-8 (only program-made strings can be): replace it. */
        g_string_append(out, "\\uFFFD");
        return 1;
    }
    if (cp >= 0x10000) {
        cp -= 0x10000;
        g_string_append_printf(out, "\\u%04X\\u%04X",
                               0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
    } else {
        g_string_append_printf(out, "\\u%04X", cp);
    }
    return g_utf8_next_char(p) - p;
}

static void json_write_string(GString *out, const char *str)
{
    const char *p = str, *end = str + strlen(str);

    g_string_append_c(out, '"');
    while (p < end) {
        if ((unsigned char)*p < 0x80) {
            json_write_char_escape(out, *p++);
        } else {
            p += json_write_unicode(out, p, end);
        }
    }
    g_string_append_c(out, '"');
}

static void json_write_newline(GString *out, int indent)
{
    if (indent >= 0) {
        g_string_append_c(out, '\n');
        g_string_append_printf(out, "%*s", indent, "");
    }
}

/* Between members: ", " compact, ",\n<indent>" pretty. */
static void json_write_separator(GString *out, int indent)
{
    g_string_append_c(out, ',');
    if (indent < 0) {
        g_string_append_c(out, ' ');
    }
    json_write_newline(out, indent);
}

static void json_write(GString *out, const QObject *obj, int indent);

static void json_write_dict(GString *out, const QDict *dict, int indent)
{
    int inner = indent < 0 ? -1 : indent + JSON_INDENT_STEP;
    const QDictEntry *e;

    g_string_append_c(out, '{');
    for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        if (e == qdict_first(dict)) {
            json_write_newline(out, inner);
        } else {
            json_write_separator(out, inner);
        }
        json_write_string(out, qdict_entry_key(e));
        g_string_append(out, ": ");
        json_write(out, qdict_entry_value(e), inner);
    }
    if (qdict_size(dict)) {
        json_write_newline(out, indent);
    }
    g_string_append_c(out, '}');
}

static void json_write_list(GString *out, const QList *list, int indent)
{
    int inner = indent < 0 ? -1 : indent + JSON_INDENT_STEP;
    const QListEntry *e;

    g_string_append_c(out, '[');
    for (e = qlist_first(list); e; e = qlist_next(e)) {
        if (e == qlist_first(list)) {
            json_write_newline(out, inner);
        } else {
            json_write_separator(out, inner);
        }
        json_write(out, qlist_entry_obj(e), inner);
    }
    if (!qlist_empty(list)) {
        json_write_newline(out, indent);
    }
    g_string_append_c(out, ']');
}

/* @indent: current indentation in pretty mode, -1 for compact output. */
static void json_write(GString *out, const QObject *obj, int indent)
{
    char *num;

    switch (qobject_type(obj)) {
    case QTYPE_QNULL:
        g_string_append(out, "null");
        break;
    case QTYPE_QNUM:
        num = qnum_to_string(qobject_to(QNum, obj));
        g_string_append(out, num);
        g_free(num);
        break;
    case QTYPE_QSTRING:
        json_write_string(out, qstring_get_str(qobject_to(QString, obj)));
        break;
    case QTYPE_QDICT:
        json_write_dict(out, qobject_to(QDict, obj), indent);
        break;
    case QTYPE_QLIST:
        json_write_list(out, qobject_to(QList, obj), indent);
        break;
    case QTYPE_QBOOL:
        g_string_append(out, qbool_get_bool(qobject_to(QBool, obj))
                             ? "true" : "false");
        break;
    default:
        g_assert_not_reached();
    }
}

GString *qobject_to_json_pretty(const QObject *obj, bool pretty)
{
    GString *out = g_string_new(NULL);

    json_write(out, obj, pretty ? 0 : -1);
    return out;
}

GString *qobject_to_json(const QObject *obj)
{
    return qobject_to_json_pretty(obj, false);
}
