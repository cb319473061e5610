/*
 * error-report.c: one-line messages for the user, with the option prefix.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"

static Location *cur_loc;
static const char *progname;

void loc_push(Location *loc, const char *text)
{
    loc->text = text;
    loc->prev = cur_loc;
    cur_loc = loc;
}

void loc_pop(Location *loc)
{
    assert(cur_loc == loc);
    cur_loc = loc->prev;
}

void loc_set_text(const char *text)
{
    if (cur_loc) {
        cur_loc->text = text;
    }
}

const char *loc_get_text(void)
{
    return cur_loc ? cur_loc->text : NULL;
}

void error_set_progname(const char *name)
{
    const char *slash = strrchr(name, '/');

    progname = slash ? slash + 1 : name;
}

const char *error_get_progname(void)
{
    if (progname) {
        return progname;
    }
    return g_get_prgname() ? g_get_prgname() : "machina";
}

void error_vprintf(const char *fmt, va_list ap)
{
    vfprintf(stderr, fmt, ap);
}

void error_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vprintf(fmt, ap);
    va_end(ap);
}

/* Build the whole line first so that concurrent reporters do not mix. */
static void vreport(const char *kind, const char *fmt, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    GString *line = g_string_new(error_get_progname());

    g_string_append(line, ": ");
    if (cur_loc && cur_loc->text) {
        g_string_append_printf(line, "%s: ", cur_loc->text);
    }
    g_string_append(line, kind);
    g_string_append(line, msg);
    g_string_append_c(line, '\n');
    fputs(line->str, stderr);
    fflush(stderr);
    g_string_free(line, TRUE);
}

void error_vreport(const char *fmt, va_list ap)
{
    vreport("", fmt, ap);
}

void warn_vreport(const char *fmt, va_list ap)
{
    vreport("warning: ", fmt, ap);
}

void info_vreport(const char *fmt, va_list ap)
{
    vreport("info: ", fmt, ap);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_vreport(fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    warn_vreport(fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    info_vreport(fmt, ap);
    va_end(ap);
}
