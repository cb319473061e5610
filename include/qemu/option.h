/*
 * option.h: QemuOpts, the "key=value,key=value" option parser.
 *
 * A QemuOptsList describes one command-line option group (-m, -numa,
 * -object, ...): its name, the key implied by a leading bare value
 * ("-machine virt" means type=virt), and the keys it accepts.  Each
 * occurrence of the option parses into one QemuOpts, kept in the list in
 * command-line order; a QemuOpts holds its key/value pairs in the order
 * given, repeats included ("cpus=0-1,cpus=4" keeps both).
 *
 * Syntax: elements separated by ','; ",," stands for a literal comma
 * inside a value.  A bare element is the implied key's value when it is
 * first, otherwise a short-form boolean ("key" = key=on, "nokey" =
 * key=off, both deprecated with a warning as in QEMU 7.2).  "id=X" names
 * the QemuOpts (letters, digits, '-', '.', '_', starting with a letter).
 *
 * An empty desc[] accepts any key without checking its value; otherwise
 * unknown keys are refused ("Invalid parameter 'x'") and values are
 * checked against their type when parsed.
 *
 * Not thread-safe: used from the main thread during start-up and from
 * monitor commands under the big lock.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

typedef struct Error Error;

enum QemuOptType {
    QEMU_OPT_STRING = 0,    /* no parsing (use string as-is) */
    QEMU_OPT_BOOL,          /* on|off|yes|no|true|false */
    QEMU_OPT_NUMBER,        /* unsigned, base 0 (0x.., 0.., decimal) */
    QEMU_OPT_SIZE,          /* qemu_strtosz(): 512, 4K, 1.5G */
};

typedef struct QemuOptDesc {
    const char *name;
    enum QemuOptType type;
    const char *help;
    const char *def_value_str;  /* returned by qemu_opt_get() if unset */
} QemuOptDesc;

typedef struct QemuOpt QemuOpt;
typedef struct QemuOpts QemuOpts;

typedef struct QemuOptsList {
    const char *name;
    const char *implied_opt_name;
    bool merge_lists;           /* one QemuOpts per id, later ones merge */
    GPtrArray *head;            /* QemuOpts *, private; NULL until used */
    QemuOptDesc desc[];         /* ends with an entry whose name is NULL */
} QemuOptsList;

/* One key/value pair; read through the accessors below. */
struct QemuOpt {
    char *name;
    char *str;
    const QemuOptDesc *desc;    /* NULL for lists accepting any key */
    union {
        bool boolean;
        uint64_t uint;
    } value;
    QemuOpts *opts;
};

struct QemuOpts {
    char *id;
    QemuOptsList *list;
    GPtrArray *opts;            /* QemuOpt *, in the order given */
};

/* "help" or "?" */
bool is_help_option(const char *s);
/* True for a valid id: [A-Za-z][A-Za-z0-9._-]* */
bool id_wellformed(const char *id);

/* Registry of option groups, for qemu_find_opts("numa") and friends. */
void qemu_add_opts(QemuOptsList *list);
/* NULL (with an error_report) when there is no group @group. */
QemuOptsList *qemu_find_opts(const char *group);
QemuOptsList *qemu_find_opts_err(const char *group, Error **errp);

/*
 * Parse @params into a new QemuOpts appended to @list.  With
 * @permit_abbrev a leading bare value is list->implied_opt_name's value.
 * Errors: "Invalid parameter 'k'", "Parameter 'k' expects ...",
 * "Duplicate ID 'x' for LIST", "Parameter 'id' expects an identifier".
 */
QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp);
/*
 * Like qemu_opts_parse() but reports the error with error_report_err().
 * When the text asks for help ("help" or "?") and @list has a desc[],
 * prints qemu_opts_print_help() instead and returns NULL.  For lists that
 * accept any key, "help" is kept as the key help=on: test it with
 * qemu_opt_has_help_opt().
 */
QemuOpts *qemu_opts_parse_noisily(QemuOptsList *list, const char *params,
                                  bool permit_abbrev);
/* Parse more "k=v,..." text into existing @opts. */
bool qemu_opts_do_parse(QemuOpts *opts, const char *params,
                        const char *firstname, Error **errp);

/*
 * A new empty QemuOpts with @id (may be NULL).  When a QemuOpts with the
 * same id exists: error if @fail_if_exists, else that one is returned
 * (merge_lists semantics).
 */
QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           int fail_if_exists, Error **errp);
/* The QemuOpts with @id (NULL id: the first one without an id). */
QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id);
const char *qemu_opts_id(QemuOpts *opts);
void qemu_opts_set_id(QemuOpts *opts, char *id);   /* takes ownership */
void qemu_opts_del(QemuOpts *opts);
/* Delete every QemuOpts of @list. */
void qemu_opts_reset(QemuOptsList *list);

/*
 * Getters return the LAST value given for @name (so "-m 1G,size=2G"
 * means 2G), or the desc's def_value_str, or NULL / @defval.  Strings
 * are owned by @opts.
 */
const char *qemu_opt_get(QemuOpts *opts, const char *name);
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval);
uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval);
uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name,
                           uint64_t defval);
/* Return a copy of the last value (caller frees) and remove every value
 * of @name from @opts. */
char *qemu_opt_get_del(QemuOpts *opts, const char *name);
bool qemu_opt_get_bool_del(QemuOpts *opts, const char *name, bool defval);
uint64_t qemu_opt_get_number_del(QemuOpts *opts, const char *name,
                                 uint64_t defval);
uint64_t qemu_opt_get_size_del(QemuOpts *opts, const char *name,
                               uint64_t defval);
/* True if @name was given (defaults do not count). */
bool qemu_opt_has(QemuOpts *opts, const char *name);
int qemu_opt_unset(QemuOpts *opts, const char *name);

/* Append a value (checked like a parsed one). */
bool qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp);
bool qemu_opt_set_bool(QemuOpts *opts, const char *name, bool val,
                       Error **errp);
bool qemu_opt_set_number(QemuOpts *opts, const char *name, int64_t val,
                         Error **errp);

/* Iterate over every value of one key, in order ("cpus=0-1,cpus=4"). */
typedef struct QemuOptsIter {
    QemuOpts *opts;
    guint index;
    const char *name;
} QemuOptsIter;
void qemu_opt_iter_init(QemuOptsIter *iter, QemuOpts *opts,
                        const char *name);
/* The next value of the key, or NULL at the end. */
const char *qemu_opt_iter_next(QemuOptsIter *iter);

/*
 * Call @func on every (name, value) pair of @opts in order; stop at the
 * first non-zero return and return it.  @func may set *errp.
 */
typedef int (*qemu_opt_loopfunc)(void *opaque, const char *name,
                                 const char *value, Error **errp);
int qemu_opt_foreach(QemuOpts *opts, qemu_opt_loopfunc func, void *opaque,
                     Error **errp);
/* Same over every QemuOpts of @list in command-line order. */
typedef int (*qemu_opts_loopfunc)(void *opaque, QemuOpts *opts,
                                  Error **errp);
int qemu_opts_foreach(QemuOptsList *list, qemu_opts_loopfunc func,
                      void *opaque, Error **errp);

/* Number of QemuOpts in @list / pairs in @opts, and positional access. */
guint qemu_opts_count(QemuOptsList *list);
guint qemu_opt_count(QemuOpts *opts);
const QemuOpt *qemu_opt_nth(QemuOpts *opts, guint n);

/* True if some key of @opts is a help option ("help=on", "?"). */
bool qemu_opt_has_help_opt(QemuOpts *opts);

/* "id=x,k=v,..." with ",," escaping (caller frees); @sep between pairs. */
char *qemu_opts_to_string(QemuOpts *opts, const char *sep);
/* Print qemu_opts_to_string(opts, sep) to stdout with a newline. */
void qemu_opts_print(QemuOpts *opts, const char *sep);
/*
 * "-boot help" output: "LIST options:" (if @print_caption) then one
 * line per key, sorted: "  name=<type>" padded to 24 columns and
 * " - help" when the key has help text.  Type names: str, bool (on/off),
 * num, size.
 */
void qemu_opts_print_help(QemuOptsList *list, bool print_caption);

#endif /* QEMU_OPTION_H */
