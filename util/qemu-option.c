/*
 * qemu-option.c: QemuOpts parser (see qemu/option.h).
 *
 * Error texts are QEMU 7.2's, checked against qemu-system-riscv64, since
 * scripts and tests compare them.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qapi/error.h"

static GPtrArray *opts_registry;

bool is_help_option(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

bool id_wellformed(const char *id)
{
    if (!id || !g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

void qemu_add_opts(QemuOptsList *list)
{
    if (!opts_registry) {
        opts_registry = g_ptr_array_new();
    }
    g_ptr_array_add(opts_registry, list);
}

QemuOptsList *qemu_find_opts_err(const char *group, Error **errp)
{
    for (guint i = 0; opts_registry && i < opts_registry->len; i++) {
        QemuOptsList *list = g_ptr_array_index(opts_registry, i);

        if (!strcmp(list->name, group)) {
            return list;
        }
    }
    error_setg(errp, "There is no option group '%s'", group);
    return NULL;
}

QemuOptsList *qemu_find_opts(const char *group)
{
    Error *err = NULL;
    QemuOptsList *list = qemu_find_opts_err(group, &err);

    if (!list) {
        error_report_err(err);
    }
    return list;
}

static const QemuOptDesc *find_desc(const QemuOptsList *list,
                                    const char *name)
{
    for (const QemuOptDesc *d = list->desc; d->name; d++) {
        if (!strcmp(d->name, name)) {
            return d;
        }
    }
    return NULL;
}

static bool list_accepts_any(const QemuOptsList *list)
{
    return list->desc[0].name == NULL;
}

/* ---- Values ---- */

static bool parse_bool_value(const char *name, const char *value,
                             bool *ret, Error **errp)
{
    if (qemu_parse_bool(value, ret) < 0) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
        return false;
    }
    return true;
}

static bool parse_number_value(const char *name, const char *value,
                               uint64_t *ret, Error **errp)
{
    int err = qemu_strtou64(value, NULL, 0, ret);

    if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is too large for parameter '%s'",
                   value, name);
        return false;
    }
    if (err) {
        error_setg(errp, "Parameter '%s' expects a number", name);
        return false;
    }
    return true;
}

static bool parse_size_value(const char *name, const char *value,
                             uint64_t *ret, Error **errp)
{
    int err = qemu_strtosz(value, NULL, ret);

    if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'",
                   value, name);
        return false;
    }
    if (err) {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", name);
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means"
                          " kilo-, mega-, giga-, tera-, peta-\n"
                          "and exabytes, respectively.\n");
        return false;
    }
    return true;
}

/* Check @opt->str against its desc and fill opt->value. */
static bool opt_parse(QemuOpt *opt, Error **errp)
{
    if (!opt->desc) {
        return true;
    }
    switch (opt->desc->type) {
    case QEMU_OPT_STRING:
        return true;
    case QEMU_OPT_BOOL:
        return parse_bool_value(opt->name, opt->str, &opt->value.boolean,
                                errp);
    case QEMU_OPT_NUMBER:
        return parse_number_value(opt->name, opt->str, &opt->value.uint,
                                  errp);
    case QEMU_OPT_SIZE:
        return parse_size_value(opt->name, opt->str, &opt->value.uint,
                                errp);
    }
    g_assert_not_reached();
}

static void opt_free(QemuOpt *opt)
{
    g_free(opt->name);
    g_free(opt->str);
    g_free(opt);
}

/* Append name=value (both copied) after validation. */
static bool opt_append(QemuOpts *opts, const char *name, const char *value,
                       Error **errp)
{
    const QemuOptDesc *desc = find_desc(opts->list, name);
    QemuOpt *opt;

    if (!desc && !list_accepts_any(opts->list)) {
        error_setg(errp, "Invalid parameter '%s'", name);
        return false;
    }

    opt = g_new0(QemuOpt, 1);
    opt->name = g_strdup(name);
    opt->str = g_strdup(value);
    opt->desc = desc;
    opt->opts = opts;
    if (!opt_parse(opt, errp)) {
        opt_free(opt);
        return false;
    }
    g_ptr_array_add(opts->opts, opt);
    return true;
}

/* ---- Lookup ---- */

static QemuOpt *opt_find_last(QemuOpts *opts, const char *name)
{
    for (guint i = opts->opts->len; i > 0; i--) {
        QemuOpt *opt = g_ptr_array_index(opts->opts, i - 1);

        if (!strcmp(opt->name, name)) {
            return opt;
        }
    }
    return NULL;
}

const char *qemu_opt_get(QemuOpts *opts, const char *name)
{
    QemuOpt *opt;
    const QemuOptDesc *desc;

    if (!opts) {
        return NULL;
    }
    opt = opt_find_last(opts, name);
    if (opt) {
        return opt->str;
    }
    desc = find_desc(opts->list, name);
    return desc ? desc->def_value_str : NULL;
}

bool qemu_opt_has(QemuOpts *opts, const char *name)
{
    return opts && opt_find_last(opts, name) != NULL;
}

/*
 * Typed getters: a value that does not parse (only possible for lists
 * that accept any key) yields @defval, like an unset one.
 */
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval)
{
    const char *str = qemu_opt_get(opts, name);
    bool val;

    if (!str || qemu_parse_bool(str, &val) < 0) {
        return defval;
    }
    return val;
}

uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval)
{
    const char *str = qemu_opt_get(opts, name);
    uint64_t val;

    if (!str || qemu_strtou64(str, NULL, 0, &val) < 0) {
        return defval;
    }
    return val;
}

uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name,
                           uint64_t defval)
{
    const char *str = qemu_opt_get(opts, name);
    uint64_t val;

    if (!str || qemu_strtosz(str, NULL, &val) < 0) {
        return defval;
    }
    return val;
}

int qemu_opt_unset(QemuOpts *opts, const char *name)
{
    int removed = 0;

    for (guint i = opts->opts->len; i > 0; i--) {
        QemuOpt *opt = g_ptr_array_index(opts->opts, i - 1);

        if (!strcmp(opt->name, name)) {
            g_ptr_array_remove_index(opts->opts, i - 1);   /* frees */
            removed++;
        }
    }
    return removed ? 0 : -ENOENT;
}

char *qemu_opt_get_del(QemuOpts *opts, const char *name)
{
    char *str = g_strdup(qemu_opt_get(opts, name));

    if (opts) {
        qemu_opt_unset(opts, name);
    }
    return str;
}

bool qemu_opt_get_bool_del(QemuOpts *opts, const char *name, bool defval)
{
    bool val = qemu_opt_get_bool(opts, name, defval);

    if (opts) {
        qemu_opt_unset(opts, name);
    }
    return val;
}

uint64_t qemu_opt_get_number_del(QemuOpts *opts, const char *name,
                                 uint64_t defval)
{
    uint64_t val = qemu_opt_get_number(opts, name, defval);

    if (opts) {
        qemu_opt_unset(opts, name);
    }
    return val;
}

uint64_t qemu_opt_get_size_del(QemuOpts *opts, const char *name,
                               uint64_t defval)
{
    uint64_t val = qemu_opt_get_size(opts, name, defval);

    if (opts) {
        qemu_opt_unset(opts, name);
    }
    return val;
}

bool qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp)
{
    return opt_append(opts, name, value, errp);
}

bool qemu_opt_set_bool(QemuOpts *opts, const char *name, bool val,
                       Error **errp)
{
    return opt_append(opts, name, val ? "on" : "off", errp);
}

bool qemu_opt_set_number(QemuOpts *opts, const char *name, int64_t val,
                         Error **errp)
{
    g_autofree char *str = g_strdup_printf("%" PRId64, val);

    return opt_append(opts, name, str, errp);
}

void qemu_opt_iter_init(QemuOptsIter *iter, QemuOpts *opts,
                        const char *name)
{
    iter->opts = opts;
    iter->index = 0;
    iter->name = name;
}

const char *qemu_opt_iter_next(QemuOptsIter *iter)
{
    GPtrArray *arr = iter->opts->opts;

    while (iter->index < arr->len) {
        QemuOpt *opt = g_ptr_array_index(arr, iter->index++);

        if (!iter->name || !strcmp(opt->name, iter->name)) {
            return opt->str;
        }
    }
    return NULL;
}

int qemu_opt_foreach(QemuOpts *opts, qemu_opt_loopfunc func, void *opaque,
                     Error **errp)
{
    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->opts, i);
        int rc = func(opaque, opt->name, opt->str, errp);

        if (rc) {
            return rc;
        }
    }
    return 0;
}

guint qemu_opt_count(QemuOpts *opts)
{
    return opts->opts->len;
}

const QemuOpt *qemu_opt_nth(QemuOpts *opts, guint n)
{
    return n < opts->opts->len ? g_ptr_array_index(opts->opts, n) : NULL;
}

bool qemu_opt_has_help_opt(QemuOpts *opts)
{
    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->opts, i);

        if (is_help_option(opt->name)) {
            return true;
        }
    }
    return false;
}

/* ---- QemuOpts ---- */

static GPtrArray *list_head(QemuOptsList *list)
{
    if (!list->head) {
        list->head = g_ptr_array_new();
    }
    return list->head;
}

QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id)
{
    GPtrArray *head = list_head(list);

    for (guint i = 0; i < head->len; i++) {
        QemuOpts *opts = g_ptr_array_index(head, i);

        if (!opts->id ? !id : (id && !strcmp(opts->id, id))) {
            return opts;
        }
    }
    return NULL;
}

QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           int fail_if_exists, Error **errp)
{
    QemuOpts *opts;

    if (id) {
        if (!id_wellformed(id)) {
            error_setg(errp, "Parameter 'id' expects an identifier");
            error_append_hint(errp, "Identifiers consist of letters, "
                              "digits, '-', '.', '_', starting with a "
                              "letter.\n");
            return NULL;
        }
        opts = qemu_opts_find(list, id);
        if (opts && fail_if_exists) {
            error_setg(errp, "Duplicate ID '%s' for %s", id, list->name);
            return NULL;
        }
        if (opts) {
            return opts;
        }
    } else if (list->merge_lists) {
        opts = qemu_opts_find(list, NULL);
        if (opts) {
            return opts;
        }
    }

    opts = g_new0(QemuOpts, 1);
    opts->id = g_strdup(id);
    opts->list = list;
    opts->opts = g_ptr_array_new_with_free_func((GDestroyNotify)opt_free);
    g_ptr_array_add(list_head(list), opts);
    return opts;
}

const char *qemu_opts_id(QemuOpts *opts)
{
    return opts->id;
}

void qemu_opts_set_id(QemuOpts *opts, char *id)
{
    g_free(opts->id);
    opts->id = id;
}

void qemu_opts_del(QemuOpts *opts)
{
    if (!opts) {
        return;
    }
    g_ptr_array_remove(list_head(opts->list), opts);
    g_ptr_array_free(opts->opts, true);
    g_free(opts->id);
    g_free(opts);
}

void qemu_opts_reset(QemuOptsList *list)
{
    while (list_head(list)->len) {
        qemu_opts_del(g_ptr_array_index(list->head, 0));
    }
}

int qemu_opts_foreach(QemuOptsList *list, qemu_opts_loopfunc func,
                      void *opaque, Error **errp)
{
    GPtrArray *head = list_head(list);

    for (guint i = 0; i < head->len; i++) {
        int rc = func(opaque, g_ptr_array_index(head, i), errp);

        if (rc) {
            return rc;
        }
    }
    return 0;
}

guint qemu_opts_count(QemuOptsList *list)
{
    return list_head(list)->len;
}

/* ---- Text ---- */

/*
 * Copy text from @p up to an unescaped @stop character (or ',') into
 * @out, turning ",," into ','.  Returns the position of the delimiter.
 */
static const char *get_opt_text(GString *out, const char *p, char stop)
{
    g_string_truncate(out, 0);
    while (*p) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        } else if (*p == stop) {
            break;
        }
        g_string_append_c(out, *p++);
    }
    return p;
}

/* Split @params into (key, value) pairs; bare elements have value NULL. */
static GPtrArray *split_params(const char *params)
{
    GPtrArray *pairs = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) buf = g_string_new(NULL);
    const char *p = params;

    while (*p) {
        char *key, *value = NULL;

        p = get_opt_text(buf, p, '=');
        key = g_strdup(buf->str);
        if (*p == '=') {
            p = get_opt_text(buf, p + 1, 0);
            value = g_strdup(buf->str);
        }
        g_ptr_array_add(pairs, key);
        g_ptr_array_add(pairs, value);
        if (*p == ',') {
            p++;
        }
    }
    return pairs;
}

/* "key" and "nokey" mean key=on / key=off, with QEMU's warning. */
static const char *short_form_bool(const char *element, const char **key)
{
    const char *value = "on";

    *key = element;
    if (g_str_has_prefix(element, "no")) {
        *key = element + 2;
        value = "off";
    }
    warn_report("short-form boolean option '%s' deprecated", element);
    error_printf("Please use %s=%s instead\n", *key, value);
    return value;
}

static bool do_parse_pairs(QemuOpts *opts, GPtrArray *pairs,
                           const char *firstname, Error **errp)
{
    for (guint i = 0; i < pairs->len; i += 2) {
        const char *key = g_ptr_array_index(pairs, i);
        const char *value = g_ptr_array_index(pairs, i + 1);

        if (!value && i == 0 && firstname) {
            value = key;
            key = firstname;
        } else if (!value && is_help_option(key)) {
            value = "on";
        } else if (!value && *key) {
            value = short_form_bool(key, &key);
        }
        if (!strcmp(key, "id") && value) {
            continue;   /* taken by qemu_opts_create() */
        }
        if (!value) {
            value = "";
        }
        if (!opt_append(opts, key, value, errp)) {
            return false;
        }
    }
    return true;
}

bool qemu_opts_do_parse(QemuOpts *opts, const char *params,
                        const char *firstname, Error **errp)
{
    g_autoptr(GPtrArray) pairs = split_params(params);

    return do_parse_pairs(opts, pairs, firstname, errp);
}

static const char *pairs_find_id(GPtrArray *pairs)
{
    const char *id = NULL;

    for (guint i = 0; i < pairs->len; i += 2) {
        const char *value = g_ptr_array_index(pairs, i + 1);

        if (value && !strcmp(g_ptr_array_index(pairs, i), "id")) {
            id = value;
        }
    }
    return id;
}

static bool pairs_want_help(GPtrArray *pairs)
{
    for (guint i = 0; i < pairs->len; i += 2) {
        if (!g_ptr_array_index(pairs, i + 1) &&
            is_help_option(g_ptr_array_index(pairs, i))) {
            return true;
        }
    }
    return false;
}

static QemuOpts *opts_parse(QemuOptsList *list, GPtrArray *pairs,
                            bool permit_abbrev, Error **errp)
{
    const char *firstname = permit_abbrev ? list->implied_opt_name : NULL;
    QemuOpts *opts;

    opts = qemu_opts_create(list, pairs_find_id(pairs), !list->merge_lists,
                            errp);
    if (!opts) {
        return NULL;
    }
    if (!do_parse_pairs(opts, pairs, firstname, errp)) {
        qemu_opts_del(opts);
        return NULL;
    }
    return opts;
}

QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp)
{
    g_autoptr(GPtrArray) pairs = split_params(params);

    return opts_parse(list, pairs, permit_abbrev, errp);
}

QemuOpts *qemu_opts_parse_noisily(QemuOptsList *list, const char *params,
                                  bool permit_abbrev)
{
    g_autoptr(GPtrArray) pairs = split_params(params);
    Error *err = NULL;
    QemuOpts *opts;

    if (!list_accepts_any(list) && pairs_want_help(pairs)) {
        qemu_opts_print_help(list, true);
        return NULL;
    }
    opts = opts_parse(list, pairs, permit_abbrev, &err);
    if (!opts) {
        error_report_err(err);
    }
    return opts;
}

static void append_escaped(GString *out, const char *s)
{
    for (; *s; s++) {
        if (*s == ',') {
            g_string_append_c(out, ',');
        }
        g_string_append_c(out, *s);
    }
}

char *qemu_opts_to_string(QemuOpts *opts, const char *sep)
{
    GString *out = g_string_new(NULL);

    if (opts->id) {
        g_string_append_printf(out, "id=%s", opts->id);
    }
    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *opt = g_ptr_array_index(opts->opts, i);

        if (out->len) {
            g_string_append(out, sep);
        }
        g_string_append_printf(out, "%s=", opt->name);
        append_escaped(out, opt->str);
    }
    return g_string_free(out, false);
}

void qemu_opts_print(QemuOpts *opts, const char *sep)
{
    g_autofree char *str = qemu_opts_to_string(opts, sep);

    printf("%s\n", str);
}

static const char *opt_type_to_str(enum QemuOptType type)
{
    switch (type) {
    case QEMU_OPT_STRING:
        return "str";
    case QEMU_OPT_BOOL:
        return "bool (on/off)";
    case QEMU_OPT_NUMBER:
        return "num";
    case QEMU_OPT_SIZE:
        return "size";
    }
    g_assert_not_reached();
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void qemu_opts_print_help(QemuOptsList *list, bool print_caption)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);

    for (const QemuOptDesc *d = list->desc; d->name; d++) {
        GString *line = g_string_new(NULL);

        g_string_append_printf(line, "  %s=<%s>", d->name,
                               opt_type_to_str(d->type));
        if (d->help) {
            g_string_append_printf(line, "%*s - %s",
                                   MAX(0, 24 - (int)line->len), "", d->help);
        }
        g_ptr_array_add(lines, g_string_free(line, false));
    }
    g_ptr_array_sort(lines, compare_strings);

    if (print_caption && lines->len) {
        printf("%s options:\n", list->name);
    } else if (!lines->len) {
        printf("There are no options for %s.\n", list->name);
    }
    for (guint i = 0; i < lines->len; i++) {
        printf("%s\n", (char *)g_ptr_array_index(lines, i));
    }
}
