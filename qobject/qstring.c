/*
 * qstring.c: immutable JSON strings.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/qstring.h"

/* Wrap @str, which the new object owns. */
static QString *qstring_take(char *str)
{
    QString *qs = g_new(QString, 1);

    qobject_init(QOBJECT(qs), QTYPE_QSTRING);
    qs->string = str;
    return qs;
}

QString *qstring_new(void)
{
    return qstring_take(g_strdup(""));
}

QString *qstring_from_str(const char *str)
{
    return qstring_take(g_strdup(str));
}

QString *qstring_from_substr(const char *str, size_t start, size_t end)
{
    assert(start <= end);
    return qstring_take(g_strndup(str + start, end - start));
}

QString *qstring_from_gstring(GString *gstr)
{
    return qstring_take(g_string_free(gstr, FALSE));
}

QString *qstring_from_fmt(const char *fmt, ...)
{
    va_list ap;
    char *str;

    va_start(ap, fmt);
    str = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qstring_take(str);
}

const char *qstring_get_str(const QString *qstring)
{
    return qstring->string;
}

bool qstring_is_equal(const QObject *x, const QObject *y)
{
    return !strcmp(qobject_to(QString, x)->string,
                   qobject_to(QString, y)->string);
}

void qstring_destroy_obj(QObject *obj)
{
    QString *qs = qobject_to(QString, obj);

    g_free((char *)qs->string);
    g_free(qs);
}
