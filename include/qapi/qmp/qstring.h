/*
 * qstring.h: an immutable JSON string.
 *
 * The text is a NUL-terminated UTF-8 C string.  A NUL character inside a
 * JSON string ("\u0000") is stored as the two bytes 0xC0 0x80 (modified
 * UTF-8), which the JSON writer turns back into "\u0000".
 */
#ifndef QAPI_QMP_QSTRING_H
#define QAPI_QMP_QSTRING_H

#include "qapi/qmp/qobject.h"

struct QString {
    struct QObjectBase_ base;
    const char *string;
};

QString *qstring_new(void);
QString *qstring_from_str(const char *str);
/* The first @end - @start bytes of @str. */
QString *qstring_from_substr(const char *str, size_t start, size_t end);
/* Takes ownership of the buffer of @gstr (which is freed). */
QString *qstring_from_gstring(GString *gstr);
QString *qstring_from_fmt(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
const char *qstring_get_str(const QString *qstring);
bool qstring_is_equal(const QObject *x, const QObject *y);
void qstring_destroy_obj(QObject *obj);

QOBJECT_DEFINE_AUTOPTR(QString)

#endif /* QAPI_QMP_QSTRING_H */
