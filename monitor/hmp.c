/*
 * hmp.c: the human monitor's parser: command lookup, arguments (words,
 * quoted strings, integer expressions, "/fmt"), help, and dispatch.
 * Texts follow QEMU 7.2's, since scripts match on them.
 */
#include "qemu/osdep.h"
#include "hmp.h"

typedef struct HmpParser {
    Monitor *mon;
    const char *p;              /* next character of the line */
    const char *cmd_name;       /* as the error messages name it */
    const char *help_name;      /* for 'Try "help X"' */
    bool failed;
} HmpParser;

static void hmp_skip_spaces(HmpParser *ps)
{
    while (g_ascii_isspace(*ps->p)) {
        ps->p++;
    }
}

static void hmp_parse_fail(HmpParser *ps, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void hmp_parse_fail(HmpParser *ps, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (ps->failed) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    monitor_printf(ps->mon, "%s\nTry \"help %s\" for more information\n",
                   msg, ps->help_name);
    ps->failed = true;
}

/* ---- Words ---- */

/* A word or a "quoted string" (with \n \r \t \\ \" escapes), or NULL. */
static char *hmp_parse_word(HmpParser *ps)
{
    GString *word = g_string_new(NULL);

    hmp_skip_spaces(ps);
    if (*ps->p == '"') {
        for (ps->p++; *ps->p && *ps->p != '"'; ps->p++) {
            char c = *ps->p;

            if (c == '\\' && ps->p[1]) {
                c = *++ps->p;
                c = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
            }
            g_string_append_c(word, c);
        }
        if (*ps->p != '"') {
            g_string_free(word, TRUE);
            hmp_parse_fail(ps, "unterminated string");
            return NULL;
        }
        ps->p++;
        return g_string_free(word, FALSE);
    }
    while (*ps->p && !g_ascii_isspace(*ps->p)) {
        g_string_append_c(word, *ps->p++);
    }
    if (!word->len) {
        g_string_free(word, TRUE);
        return NULL;
    }
    return g_string_free(word, FALSE);
}

/* ---- Integer expressions: + - * / % & | ^ ( ) and unary minus ---- */

static int64_t hmp_expr_sum(HmpParser *ps);

static int64_t hmp_expr_number(HmpParser *ps)
{
    const char *start = ps->p;
    char *end;
    uint64_t v;

    errno = 0;
    v = g_ascii_strtoull(start, &end, 0);
    if (end == start) {
        if (*start) {
            hmp_parse_fail(ps, "invalid char '%c' in expression", *start);
        } else {
            hmp_parse_fail(ps, "unexpected end of expression");
        }
        return 0;
    }
    if (errno == ERANGE) {
        hmp_parse_fail(ps, "number too large");
    }
    ps->p = end;
    return v;
}

static int64_t hmp_expr_unary(HmpParser *ps)
{
    int64_t v;

    hmp_skip_spaces(ps);
    if (*ps->p == '-') {
        ps->p++;
        return -hmp_expr_unary(ps);
    }
    if (*ps->p == '+') {
        ps->p++;
        return hmp_expr_unary(ps);
    }
    if (*ps->p != '(') {
        return hmp_expr_number(ps);
    }
    ps->p++;
    v = hmp_expr_sum(ps);
    hmp_skip_spaces(ps);
    if (*ps->p != ')') {
        hmp_parse_fail(ps, "')' expected");
        return 0;
    }
    ps->p++;
    return v;
}

static int64_t hmp_expr_product(HmpParser *ps)
{
    int64_t v = hmp_expr_unary(ps);

    for (;;) {
        char op;
        int64_t r;

        hmp_skip_spaces(ps);
        op = *ps->p;
        if (ps->failed || !strchr("*/%&", op) || !op) {
            return v;
        }
        ps->p++;
        r = hmp_expr_unary(ps);
        if ((op == '/' || op == '%') && r == 0) {
            hmp_parse_fail(ps, "division by zero");
            return 0;
        }
        v = op == '*' ? v * r : op == '/' ? v / r : op == '%' ? v % r
            : (v & r);
    }
}

static int64_t hmp_expr_sum(HmpParser *ps)
{
    int64_t v = hmp_expr_product(ps);

    for (;;) {
        char op;
        int64_t r;

        hmp_skip_spaces(ps);
        op = *ps->p;
        if (ps->failed || !strchr("+-|^", op) || !op) {
            return v;
        }
        ps->p++;
        r = hmp_expr_product(ps);
        v = op == '+' ? v + r : op == '-' ? v - r : op == '|' ? (v | r)
            : (v ^ r);
    }
}

/* ---- /fmt ---- */

static void hmp_parse_format(HmpParser *ps, HmpFormat *fmt)
{
    fmt->count = 1;
    fmt->format = 0;
    fmt->size = -1;
    hmp_skip_spaces(ps);
    if (*ps->p != '/') {
        return;
    }
    ps->p++;
    if (g_ascii_isdigit(*ps->p)) {
        fmt->count = 0;
        while (g_ascii_isdigit(*ps->p)) {
            fmt->count = fmt->count * 10 + (*ps->p++ - '0');
        }
    }
    for (;; ps->p++) {
        char c = *ps->p;

        if (strchr("xduoci", c) && c) {
            fmt->format = c;
        } else if (c == 'b' || c == 'h' || c == 'w' || c == 'g') {
            fmt->size = c == 'b' ? 1 : c == 'h' ? 2 : c == 'w' ? 4 : 8;
        } else {
            break;
        }
    }
    if (*ps->p && !g_ascii_isspace(*ps->p)) {
        hmp_parse_fail(ps, "invalid char in format: '%c'", *ps->p);
    }
}

/* ---- Arguments by spec ---- */

static void hmp_parse_one(HmpParser *ps, char kind, HmpArgs *args)
{
    int i = args->n;

    hmp_skip_spaces(ps);
    switch (kind) {
    case 's':
    case 'S':
        args->str[i] = hmp_parse_word(ps);
        if (!args->str[i] && kind == 's') {
            hmp_parse_fail(ps, "%s: string expected", ps->cmd_name);
        }
        break;
    case 'R':
        args->str[i] = *ps->p ? g_strdup(ps->p) : NULL;
        ps->p += strlen(ps->p);
        break;
    case 'i':
    case 'I':
        if (kind == 'i' || *ps->p) {
            args->num[i] = hmp_expr_sum(ps);
            args->has[i] = !ps->failed;
        }
        args->n++;
        return;
    case '/':
        hmp_parse_format(ps, &args->fmt);
        return;     /* the format has no positional slot */
    }
    args->has[i] = args->str[i] != NULL;
    args->n++;
}

static bool hmp_parse_args(HmpParser *ps, const char *spec, HmpArgs *args)
{
    memset(args, 0, sizeof(*args));
    for (const char *k = spec; *k && !ps->failed; k++) {
        hmp_parse_one(ps, *k, args);
    }
    hmp_skip_spaces(ps);
    if (!ps->failed && *ps->p) {
        hmp_parse_fail(ps, "%s: extraneous characters at the end of line",
                       ps->cmd_name);
    }
    return !ps->failed;
}

static void hmp_args_free(HmpArgs *args)
{
    for (int i = 0; i < HMP_MAX_ARGS; i++) {
        g_free((char *)args->str[i]);
    }
}

/* ---- Lookup and help ---- */

/* Does @name match one of the '|'-separated names of @cmd? */
static bool hmp_name_matches(const HmpCommand *cmd, const char *name)
{
    g_auto(GStrv) names = g_strsplit(cmd->name, "|", 0);

    for (int i = 0; names[i]; i++) {
        if (!strcmp(names[i], name)) {
            return true;
        }
    }
    return false;
}

static const HmpCommand *hmp_find(const HmpCommand *table, const char *name)
{
    for (const HmpCommand *cmd = table; cmd->name; cmd++) {
        if (hmp_name_matches(cmd, name)) {
            return cmd;
        }
    }
    return NULL;
}

static void hmp_help_line(Monitor *mon, const char *prefix,
                          const HmpCommand *cmd)
{
    monitor_printf(mon, "%s%s %s -- %s\n", prefix, cmd->name,
                   cmd->params ? cmd->params : "", cmd->help);
}

static void hmp_help_table(Monitor *mon, const char *prefix,
                           const HmpCommand *table)
{
    for (const HmpCommand *cmd = table; cmd->name; cmd++) {
        hmp_help_line(mon, prefix, cmd);
    }
}

/* "help", "help CMD", "help info", "help info SUB". */
void hmp_print_help(Monitor *mon, const char *name)
{
    g_auto(GStrv) words = g_strsplit_set(name ? name : "", " \t", 3);
    const HmpCommand *cmd;

    if (!words[0] || !*words[0]) {
        hmp_help_table(mon, "", hmp_cmds);
        return;
    }
    cmd = hmp_find(hmp_cmds, words[0]);
    if (!cmd) {
        monitor_printf(mon, "unknown command: '%s'\n", words[0]);
        return;
    }
    if (!cmd->sub) {
        hmp_help_line(mon, "", cmd);
        return;
    }
    if (!words[1] || !*words[1]) {
        hmp_help_table(mon, "info ", cmd->sub);
        return;
    }
    cmd = hmp_find(cmd->sub, words[1]);
    if (!cmd) {
        monitor_printf(mon, "unknown command: 'info %s'\n", words[1]);
        return;
    }
    hmp_help_line(mon, "info ", cmd);
}

/* ---- Dispatch ---- */

static void hmp_run(HmpParser *ps, const HmpCommand *cmd)
{
    HmpArgs args;

    if (hmp_parse_args(ps, cmd->args, &args)) {
        cmd->cmd(ps->mon, &args);
    }
    hmp_args_free(&args);
}

/* "info SUB ...": a missing or unknown SUB lists the subcommands. */
static void hmp_run_info(HmpParser *ps, const HmpCommand *info)
{
    g_autofree char *sub_name = hmp_parse_word(ps);
    g_autofree char *help_name = NULL;
    const HmpCommand *sub;

    if (!sub_name) {
        hmp_help_table(ps->mon, "info ", info->sub);
        return;
    }
    sub = hmp_find(info->sub, sub_name);
    if (!sub) {
        monitor_printf(ps->mon, "unknown command: 'info %s'\n", sub_name);
        return;
    }
    help_name = g_strdup_printf("info %s", sub_name);
    ps->cmd_name = sub->name;
    ps->help_name = help_name;
    hmp_run(ps, sub);
}

void hmp_handle_command(Monitor *mon, const char *cmdline)
{
    HmpParser ps = { .mon = mon, .p = cmdline };
    g_autofree char *name = hmp_parse_word(&ps);
    const HmpCommand *cmd;

    if (!name) {
        return;     /* an empty line */
    }
    cmd = hmp_find(hmp_cmds, name);
    if (!cmd) {
        monitor_printf(mon, "unknown command: '%s'\n", name);
        return;
    }
    ps.cmd_name = cmd->name;
    ps.help_name = name;
    if (cmd->sub) {
        hmp_run_info(&ps, cmd);
    } else {
        hmp_run(&ps, cmd);
    }
}
