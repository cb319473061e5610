/*
 * qmp-dispatch.c: the QMP command registry, argument checking and the
 * dispatch of one request.
 *
 * Reply and error texts follow QEMU 7.2 as observed on the wire, since
 * QMP clients and tests compare them.  Members of a reply are inserted in
 * the order QEMU prints them ("return" then "id"; "id" then "error").
 */
#include "qemu/osdep.h"
#include "qapi/qmp/dispatch.h"
#include "qapi/qmp/qbool.h"
#include "qapi/qmp/qlist.h"
#include "qapi/qmp/qnum.h"
#include "qapi/qmp/qstring.h"

typedef struct QmpArgSpec {
    char *name;
    char *type;         /* a TYPE of dispatch.h, e.g. "i" or "l(s)" */
    bool optional;
} QmpArgSpec;

typedef struct QmpCommand {
    char *name;
    QmpCommandFunc *fn;
    GPtrArray *args;    /* QmpArgSpec *, parsed args_spec */
    unsigned options;
} QmpCommand;

/* Registered commands by name, and their names in registration order. */
static GHashTable *qmp_commands;
static GPtrArray *qmp_command_order;

static void qmp_command_free(gpointer data)
{
    QmpCommand *cmd = data;

    g_free(cmd->name);
    g_ptr_array_unref(cmd->args);
    g_free(cmd);
}

static GHashTable *qmp_command_table(void)
{
    if (!qmp_commands) {
        qmp_commands = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                             qmp_command_free);
        qmp_command_order = g_ptr_array_new();
    }
    return qmp_commands;
}

/* --- Argument specs --- */

/* Skip one TYPE at *@p; false if it is malformed. */
static bool qmp_type_skip(const char **p)
{
    const char *s = *p;

    switch (*s) {
    case 's': case 'i': case 'u': case 'n': case 'b': case 'd': case 'o':
        *p = s + 1;
        return true;
    case 'l':
        if (s[1] != '(') {
            *p = s + 1;
            return true;
        }
        *p = s + 2;
        if (!qmp_type_skip(p) || **p != ')') {
            return false;
        }
        (*p)++;
        return true;
    case 'e':
        if (s[1] != '(' || s[2] == ')' || !strchr(s, ')')) {
            return false;
        }
        *p = strchr(s, ')') + 1;
        return true;
    }
    return false;
}

static void qmp_arg_spec_free(gpointer data)
{
    QmpArgSpec *arg = data;

    g_free(arg->name);
    g_free(arg->type);
    g_free(arg);
}

/* One "name:TYPE[?]" or "*" entry; NULL if malformed. */
static QmpArgSpec *qmp_arg_spec_parse_one(const char *entry)
{
    const char *colon = strchr(entry, ':');
    const char *type_end;
    QmpArgSpec *arg;

    if (!strcmp(entry, "*")) {
        arg = g_new0(QmpArgSpec, 1);
        arg->name = g_strdup("*");
        return arg;
    }
    if (!colon || colon == entry) {
        return NULL;
    }
    type_end = colon + 1;
    if (!qmp_type_skip(&type_end) ||
        (*type_end && strcmp(type_end, "?"))) {
        return NULL;
    }
    arg = g_new0(QmpArgSpec, 1);
    arg->name = g_strndup(entry, colon - entry);
    arg->type = g_strndup(colon + 1, type_end - colon - 1);
    arg->optional = *type_end == '?';
    return arg;
}

/* Parse @spec into QmpArgSpecs; NULL (and *@bad set) if malformed. */
static GPtrArray *qmp_args_spec_parse(const char *spec, const char **bad)
{
    GPtrArray *args = g_ptr_array_new_with_free_func(qmp_arg_spec_free);
    g_auto(GStrv) entries = g_strsplit(spec, ",", -1);
    int i;

    for (i = 0; *spec && entries[i]; i++) {
        QmpArgSpec *arg = qmp_arg_spec_parse_one(entries[i]);

        if (!arg) {
            *bad = spec;
            g_ptr_array_unref(args);
            return NULL;
        }
        g_ptr_array_add(args, arg);
    }
    return args;
}

static const char *qmp_type_name(char type)
{
    switch (type) {
    case 's':
    case 'e':
        return "string";
    case 'i':
    case 'u':
        return "integer";
    case 'n':
        return "number";
    case 'b':
        return "boolean";
    case 'd':
        return "object";
    case 'l':
        return "array";
    }
    g_assert_not_reached();
}

/* Is @value one of the '|'-separated names of "e(a|b)" at @type? */
static bool qmp_enum_has(const char *type, const char *value)
{
    const char *p = type + 2;
    size_t len = strlen(value);

    for (;;) {
        size_t n = strcspn(p, "|)");

        if (n == len && !strncmp(p, value, len)) {
            return true;
        }
        if (p[n] != '|') {
            return false;
        }
        p += n + 1;
    }
}

static bool qmp_check_value(const char *type, const char *path,
                            QObject *value, Error **errp);

static bool qmp_check_list(const char *type, const char *path,
                           QList *list, Error **errp)
{
    const QListEntry *e;
    int i = 0;

    if (type[1] != '(') {
        return true;
    }
    for (e = qlist_first(list); e; e = qlist_next(e), i++) {
        g_autofree char *elem_path = g_strdup_printf("%s[%d]", path, i);

        if (!qmp_check_value(type + 2, elem_path, qlist_entry_obj(e),
                             errp)) {
            return false;
        }
    }
    return true;
}

/* Does @value (member @path of the arguments) have type @type? */
static bool qmp_check_value(const char *type, const char *path,
                            QObject *value, Error **errp)
{
    QNum *num = qobject_to(QNum, value);
    int64_t i64;
    uint64_t u64;
    bool ok;

    switch (*type) {
    case 'o':
        return true;
    case 's':
    case 'e':
        ok = qobject_to(QString, value);
        break;
    case 'i':
        ok = num && qnum_get_try_int(num, &i64);
        break;
    case 'u':
        ok = num && (qnum_get_try_uint(num, &u64) ||
                     qnum_get_try_int(num, &i64));
        if (ok && !qnum_get_try_uint(num, &u64)) {
            error_setg(errp, "Parameter '%s' expects a non-negative integer",
                       path);
            return false;
        }
        break;
    case 'n':
        ok = num;
        break;
    case 'b':
        ok = qobject_to(QBool, value);
        break;
    case 'd':
        ok = qobject_to(QDict, value);
        break;
    case 'l':
        ok = qobject_to(QList, value);
        break;
    default:
        g_assert_not_reached();
    }

    if (!ok) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   path, qmp_type_name(*type));
        return false;
    }
    if (*type == 'e') {
        const char *str = qstring_get_str(qobject_to(QString, value));

        if (!qmp_enum_has(type, str)) {
            error_setg(errp, "Parameter '%s' does not accept value '%s'",
                       path, str);
            return false;
        }
    }
    return *type != 'l' || qmp_check_list(type, path,
                                          qobject_to(QList, value), errp);
}

static const QmpArgSpec *qmp_args_find(GPtrArray *specs, const char *name)
{
    guint i;

    for (i = 0; i < specs->len; i++) {
        const QmpArgSpec *arg = g_ptr_array_index(specs, i);

        if (!strcmp(arg->name, name)) {
            return arg;
        }
    }
    return NULL;
}

/* Members in spec order (missing, wrong type), then unexpected ones. */
static bool qmp_check_args_parsed(GPtrArray *specs, const QDict *args,
                                  Error **errp)
{
    const QDictEntry *e;
    guint i;

    for (i = 0; i < specs->len; i++) {
        const QmpArgSpec *arg = g_ptr_array_index(specs, i);
        QObject *value = qdict_get(args, arg->name);

        if (!arg->type) {
            continue;
        }
        if (!value && !arg->optional) {
            error_setg(errp, "Parameter '%s' is missing", arg->name);
            return false;
        }
        if (value && !qmp_check_value(arg->type, arg->name, value, errp)) {
            return false;
        }
    }

    if (qmp_args_find(specs, "*")) {
        return true;
    }
    for (e = qdict_first(args); e; e = qdict_next(args, e)) {
        if (!qmp_args_find(specs, qdict_entry_key(e))) {
            error_setg(errp, "Parameter '%s' is unexpected",
                       qdict_entry_key(e));
            return false;
        }
    }
    return true;
}

bool qmp_check_args(const char *args_spec, const QDict *args, Error **errp)
{
    const char *bad = NULL;
    GPtrArray *specs = qmp_args_spec_parse(args_spec, &bad);
    bool ok;

    if (!specs) {
        error_setg(errp, "Malformed QMP argument spec '%s'", bad);
        return false;
    }
    ok = qmp_check_args_parsed(specs, args, errp);
    g_ptr_array_unref(specs);
    return ok;
}

/* --- Registry --- */

void qmp_register_command(const char *name, QmpCommandFunc *fn,
                          const char *args_spec, unsigned options)
{
    GHashTable *table = qmp_command_table();
    const char *bad = NULL;
    GPtrArray *specs = qmp_args_spec_parse(args_spec, &bad);
    QmpCommand *cmd;

    if (!specs) {
        g_error("QMP command %s: malformed argument spec '%s'", name, bad);
    }
    if (g_hash_table_contains(table, name)) {
        g_error("QMP command %s registered twice", name);
    }

    cmd = g_new0(QmpCommand, 1);
    cmd->name = g_strdup(name);
    cmd->fn = fn;
    cmd->args = specs;
    cmd->options = options;
    g_hash_table_insert(table, cmd->name, cmd);
    g_ptr_array_add(qmp_command_order, cmd->name);
}

void qmp_unregister_command(const char *name)
{
    QmpCommand *cmd = g_hash_table_lookup(qmp_command_table(), name);

    if (cmd) {
        g_ptr_array_remove(qmp_command_order, cmd->name);
        g_hash_table_remove(qmp_commands, name);
    }
}

bool qmp_command_is_registered(const char *name)
{
    return g_hash_table_contains(qmp_command_table(), name);
}

GPtrArray *qmp_command_names(void)
{
    GPtrArray *names;

    qmp_command_table();
    names = g_ptr_array_sized_new(qmp_command_order->len);
    g_ptr_array_extend(names, qmp_command_order, NULL, NULL);
    return names;
}

/* --- Dispatch --- */

const char *qmp_error_class_name(ErrorClass cls)
{
    switch (cls) {
    case ERROR_CLASS_GENERIC_ERROR:
        return "GenericError";
    case ERROR_CLASS_COMMAND_NOT_FOUND:
        return "CommandNotFound";
    case ERROR_CLASS_DEVICE_NOT_ACTIVE:
        return "DeviceNotActive";
    case ERROR_CLASS_DEVICE_NOT_FOUND:
        return "DeviceNotFound";
    case ERROR_CLASS_KVM_MISSING_CAP:
        return "KVMMissingCap";
    }
    g_assert_not_reached();
}

QDict *qmp_error_response(Error *err, QObject *id)
{
    QDict *resp = qdict_new();
    QDict *error = qdict_new();

    qdict_put_str(error, "class",
                  qmp_error_class_name(error_get_class(err)));
    qdict_put_str(error, "desc", error_get_pretty(err));
    if (id) {
        qdict_put_obj(resp, "id", qobject_ref(id));
    }
    qdict_put(resp, "error", error);
    error_free(err);
    return resp;
}

/* The request's members: what may appear, and with which type. */
static bool qmp_check_request(QDict *dict, bool allow_oob, bool *oob,
                              Error **errp)
{
    const QDictEntry *e;
    bool has_exec, has_oob;

    for (e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        const char *key = qdict_entry_key(e);
        QObject *value = qdict_entry_value(e);

        if (!strcmp(key, "execute") ||
            (allow_oob && !strcmp(key, "exec-oob"))) {
            if (!qobject_to(QString, value)) {
                error_setg(errp, "QMP input member '%s' must be a string",
                           key);
                return false;
            }
        } else if (!strcmp(key, "arguments")) {
            if (!qobject_to(QDict, value)) {
                error_setg(errp, "QMP input member 'arguments' must be "
                           "an object");
                return false;
            }
        } else if (strcmp(key, "id")) {
            error_setg(errp, "QMP input member '%s' is unexpected", key);
            return false;
        }
    }

    has_exec = qdict_haskey(dict, "execute");
    has_oob = qdict_haskey(dict, "exec-oob");
    if (has_exec && has_oob) {
        error_setg(errp, "QMP input member 'execute' clashes with "
                   "'exec-oob'");
        return false;
    }
    if (!has_exec && !has_oob) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return false;
    }
    *oob = has_oob;
    return true;
}

/* Negotiation first, then the registry, then OOB permission. */
static QmpCommand *qmp_find_command(const char *name, bool negotiated,
                                    bool oob, Error **errp)
{
    bool is_caps = !strcmp(name, "qmp_capabilities");
    QmpCommand *cmd;

    if (!negotiated && !is_caps) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Expecting capabilities negotiation with "
                  "'qmp_capabilities'");
        return NULL;
    }
    if (negotiated && is_caps) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Capabilities negotiation is already complete, "
                  "command ignored");
        return NULL;
    }
    cmd = g_hash_table_lookup(qmp_command_table(), name);
    if (!cmd) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (oob && !(cmd->options & QCO_ALLOW_OOB)) {
        error_setg(errp, "The command %s does not support OOB", name);
        return NULL;
    }
    return cmd;
}

static QObject *qmp_run(QDict *dict, bool negotiated, bool allow_oob,
                        Error **errp)
{
    QmpCommand *cmd;
    QDict *args;
    QObject *ret = NULL;
    Error *err = NULL;
    bool oob;

    if (!qmp_check_request(dict, allow_oob, &oob, errp)) {
        return NULL;
    }
    cmd = qmp_find_command(qdict_get_str(dict, oob ? "exec-oob"
                                                    : "execute"),
                           negotiated, oob, errp);
    if (!cmd) {
        return NULL;
    }

    args = qdict_get_qdict(dict, "arguments");
    args = args ? qobject_ref(args) : qdict_new();
    if (qmp_check_args_parsed(cmd->args, args, &err)) {
        cmd->fn(args, &ret, &err);
    }
    qobject_unref(args);

    if (err) {
        qobject_unref(ret);
        error_propagate(errp, err);
        return NULL;
    }
    return ret ? ret : QOBJECT(qdict_new());
}

QDict *qmp_dispatch(QObject *request, bool negotiated, bool allow_oob)
{
    QDict *dict = qobject_to(QDict, request);
    QObject *id = dict ? qdict_get(dict, "id") : NULL;
    Error *err = NULL;
    QObject *ret;
    QDict *resp;

    if (!dict) {
        error_setg(&err, "QMP input must be a JSON object");
        return qmp_error_response(err, NULL);
    }
    ret = qmp_run(dict, negotiated, allow_oob, &err);
    if (!ret) {
        return qmp_error_response(err, id);
    }

    resp = qdict_new();
    qdict_put_obj(resp, "return", ret);
    if (id) {
        qdict_put_obj(resp, "id", qobject_ref(id));
    }
    return resp;
}
