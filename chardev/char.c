/*
 * char.c: chardev creation, lookup, options, and the backend-side calls.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "chardev-internal.h"

#include <poll.h>

/* Every chardev, in creation order (query-chardev lists them so). */
static GQueue chardevs = G_QUEUE_INIT;

const char *const chardev_common_opts[] = {
    "backend", "id", "mux", NULL
};

#define CHARDEV_TYPE_PREFIX "chardev-"

/* The backend name of a chardev type: "chardev-pty" -> "pty". */
static const char *chr_class_backend(const ChardevClass *cc)
{
    const char *type = object_class_get_name(OBJECT_CLASS(cc));

    return type + strlen(CHARDEV_TYPE_PREFIX);
}

/* The class of backend @name, or NULL if there is no such backend. */
static ChardevClass *chr_find_class(const char *name)
{
    g_autofree char *type = g_strdup_printf(CHARDEV_TYPE_PREFIX "%s", name);
    ObjectClass *oc = object_class_by_name(type);

    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_CHARDEV)) {
        return NULL;
    }
    return CHARDEV_CLASS(oc);
}

/* Options: an ordered list of key/value pairs. */

ChardevOpts *chardev_opts_new(void)
{
    ChardevOpts *opts = g_new0(ChardevOpts, 1);

    opts->keys = g_ptr_array_new_with_free_func(g_free);
    opts->values = g_ptr_array_new_with_free_func(g_free);
    return opts;
}

void chardev_opts_free(ChardevOpts *opts)
{
    if (opts) {
        g_ptr_array_free(opts->keys, true);
        g_ptr_array_free(opts->values, true);
        g_free(opts);
    }
}

static int chardev_opts_index(ChardevOpts *opts, const char *key)
{
    for (guint i = 0; i < opts->keys->len; i++) {
        if (!strcmp(g_ptr_array_index(opts->keys, i), key)) {
            return i;
        }
    }
    return -1;
}

void chardev_opts_set(ChardevOpts *opts, const char *key, const char *value)
{
    int i = chardev_opts_index(opts, key);

    if (i >= 0) {
        g_free(opts->values->pdata[i]);
        opts->values->pdata[i] = g_strdup(value);
        return;
    }
    g_ptr_array_add(opts->keys, g_strdup(key));
    g_ptr_array_add(opts->values, g_strdup(value));
}

const char *chardev_opts_get(ChardevOpts *opts, const char *key)
{
    int i = chardev_opts_index(opts, key);

    return i < 0 ? NULL : g_ptr_array_index(opts->values, i);
}

bool chardev_opts_get_bool(ChardevOpts *opts, const char *key, bool defval,
                           bool *result, Error **errp)
{
    const char *v = chardev_opts_get(opts, key);

    *result = defval;
    if (v && qemu_parse_bool(v, result) < 0) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    return true;
}

bool chardev_opts_get_number(ChardevOpts *opts, const char *key,
                             uint64_t defval, uint64_t *result, Error **errp)
{
    const char *v = chardev_opts_get(opts, key);

    *result = defval;
    if (v && qemu_strtou64(v, NULL, 0, result) < 0) {
        error_setg(errp, "Parameter '%s' expects a number", key);
        return false;
    }
    return true;
}

bool chardev_opts_get_size(ChardevOpts *opts, const char *key,
                           uint64_t defval, uint64_t *result, Error **errp)
{
    const char *v = chardev_opts_get(opts, key);

    *result = defval;
    if (v && qemu_strtosz(v, NULL, result) < 0) {
        error_setg(errp, "Parameter '%s' expects a size (e.g. 64K)", key);
        return false;
    }
    return true;
}

/* Split off the next comma-separated item, turning ",," into ",". */
static char *chardev_opts_next_item(const char **p)
{
    GString *item = g_string_new(NULL);
    const char *s = *p;

    for (; *s; s++) {
        if (*s == ',' && s[1] == ',') {
            g_string_append_c(item, ',');
            s++;
        } else if (*s == ',') {
            s++;
            break;
        } else {
            g_string_append_c(item, *s);
        }
    }
    *p = s;
    return g_string_free(item, false);
}

ChardevOpts *chardev_opts_parse(const char *str, Error **errp)
{
    ChardevOpts *opts = chardev_opts_new();
    const char *p = str;
    bool first = true;

    while (*p) {
        g_autofree char *item = chardev_opts_next_item(&p);
        char *eq = strchr(item, '=');

        if (eq) {
            *eq = '\0';
            chardev_opts_set(opts, item, eq + 1);
        } else if (first) {
            chardev_opts_set(opts, "backend", item);
        } else if (g_str_has_prefix(item, "no") && item[2]) {
            chardev_opts_set(opts, item + 2, "off");
        } else if (*item) {
            chardev_opts_set(opts, item, "on");
        }
        first = false;
    }
    return opts;
}

/* Creation */

GMainContext *qemu_chr_context(Chardev *chr)
{
    return chr->gcontext ? chr->gcontext : g_main_context_default();
}

Chardev *qemu_chr_find(const char *id)
{
    for (GList *l = chardevs.head; l; l = l->next) {
        Chardev *chr = l->data;

        if (!strcmp(chr->label, id)) {
            return chr;
        }
    }
    return NULL;
}

static bool chr_key_known(const char *const *list, const char *key)
{
    for (; list && *list; list++) {
        if (!strcmp(*list, key)) {
            return true;
        }
    }
    return false;
}

/* Refuse keys the backend does not know: never silently ignore one. */
static bool chr_check_opts(const ChardevClass *cls, ChardevOpts *opts,
                           Error **errp)
{
    for (guint i = 0; i < opts->keys->len; i++) {
        const char *key = g_ptr_array_index(opts->keys, i);

        if (!chr_key_known(chardev_common_opts, key) &&
            !chr_key_known(cls->opts, key)) {
            error_setg(errp, "Invalid parameter '%s' for chardev backend "
                       "'%s' (see -chardev %s,help)", key,
                       chr_class_backend(cls), chr_class_backend(cls));
            return false;
        }
    }
    return true;
}

static void chr_instance_init(Object *obj)
{
    Chardev *chr = CHARDEV(obj);

    chr->cls = CHARDEV_GET_CLASS(obj);
    g_mutex_init(&chr->chr_write_lock);
}

static void chr_instance_finalize(Object *obj)
{
    Chardev *chr = CHARDEV(obj);

    if (chr->cls->finalize) {
        chr->cls->finalize(chr);
    }
    g_mutex_clear(&chr->chr_write_lock);
    g_free(chr->label);
    g_free(chr->filename);
}

static Chardev *chr_alloc(const ChardevClass *cls, const char *id,
                          GMainContext *context)
{
    Object *obj = object_new(object_class_get_name(OBJECT_CLASS(cls)));
    Chardev *chr = CHARDEV(obj);

    chr->label = g_strdup(id);
    chr->filename = g_strdup(chr_class_backend(cls));
    chr->gcontext = context;
    return chr;
}

/* The /chardevs container of the composition tree. */
static Object *chr_container(void)
{
    return container_get(object_get_root(), "/chardevs");
}

/* Create one chardev of backend @cls, without any mux. */
static Chardev *chr_create(const ChardevClass *cls, const char *id,
                           ChardevOpts *opts, GMainContext *context,
                           Error **errp)
{
    Chardev *chr = chr_alloc(cls, id, context);
    bool be_opened = true;

    if (!cls->open(chr, opts, &be_opened, errp)) {
        /* finalize copes with a half-opened chardev */
        object_unref(chr);
        return NULL;
    }
    g_queue_push_tail(&chardevs, chr);
    /* The tree holds the only reference from now on. */
    object_property_add_child(chr_container(), chr->label, OBJECT(chr));
    object_unref(chr);
    if (be_opened) {
        qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    }
    return chr;
}

static bool chr_check_id(const char *id, Error **errp)
{
    if (!id || !*id) {
        error_setg(errp, "chardev: no id specified (add id=NAME)");
        return false;
    }
    if (!g_ascii_isalpha(id[0]) ||
        strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789-._") != strlen(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier (a letter "
                   "then letters, digits, '-', '.', '_'), got '%s'", id);
        return false;
    }
    if (qemu_chr_find(id)) {
        error_setg(errp, "Duplicate ID '%s' for chardev", id);
        return false;
    }
    return true;
}

Chardev *qemu_chardev_new_opts(ChardevOpts *opts, GMainContext *context,
                               Error **errp)
{
    const char *backend = chardev_opts_get(opts, "backend");
    const char *id = chardev_opts_get(opts, "id");
    ChardevClass *cls;
    bool mux;

    /* -chardev help, -chardev BACKEND,help */
    if (backend && (!strcmp(backend, "help") || !strcmp(backend, "?"))) {
        qemu_chr_print_backends();
        return NULL;
    }
    if (backend && chardev_opts_get(opts, "help")) {
        qemu_chr_print_backend_options(backend, errp);
        return NULL;
    }
    if (!backend) {
        error_setg(errp, "chardev: \"%s\" missing backend",
                   id ? id : "(null)");
        return NULL;
    }
    cls = chr_find_class(backend);
    if (!cls || cls->internal) {
        error_setg(errp, "'%s' is not a valid char driver name "
                   "(see -chardev help)", backend);
        return NULL;
    }
    if (!chr_check_id(id, errp) || !chr_check_opts(cls, opts, errp) ||
        !chardev_opts_get_bool(opts, "mux", false, &mux, errp)) {
        return NULL;
    }
    if (!mux) {
        return chr_create(cls, id, opts, context, errp);
    }

    /* mux=on: the backend becomes ID-base, the mux takes ID. */
    g_autofree char *base_id = g_strdup_printf("%s-base", id);
    Chardev *base;
    Chardev *chr;

    if (!chr_check_id(base_id, errp)) {
        return NULL;
    }
    base = chr_create(cls, base_id, opts, context, errp);
    if (!base) {
        return NULL;
    }
    chr = mux_chr_new(id, base, context, errp);
    if (!chr) {
        qemu_chr_delete(base);
    }
    return chr;
}

Chardev *qemu_chr_new_from_string(const char *optstr, GMainContext *context,
                                  Error **errp)
{
    ChardevOpts *opts = chardev_opts_parse(optstr, errp);
    Chardev *chr;

    if (!opts) {
        return NULL;
    }
    chr = qemu_chardev_new_opts(opts, context, errp);
    chardev_opts_free(opts);
    return chr;
}

void qemu_chr_delete(Chardev *chr)
{
    if (chr->be) {
        chr->be->chr = NULL;
    }
    g_queue_remove(&chardevs, chr);
    object_unparent(OBJECT(chr));
}

void qemu_chr_cleanup(void)
{
    Chardev *chr;

    /* Newest first: a mux goes before the base it sits on. */
    while ((chr = g_queue_peek_tail(&chardevs))) {
        qemu_chr_delete(chr);
    }
}

void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque)
{
    for (GList *l = chardevs.head; l; l = l->next) {
        fn(l->data, opaque);
    }
}

bool qemu_chr_frontend_open(Chardev *chr)
{
    return chr->be && chr->be->fe_open;
}

bool qemu_chr_is_type(Chardev *chr, const char *name)
{
    g_autofree char *type = g_strdup_printf(CHARDEV_TYPE_PREFIX "%s", name);

    return object_dynamic_cast(OBJECT(chr), type) != NULL;
}

void qemu_chr_set_filename(Chardev *chr, const char *filename)
{
    g_free(chr->filename);
    chr->filename = g_strdup(filename);
}

/* Help */

void qemu_chr_print_backends(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_CHARDEV, false);

    printf("Available chardev backend types: \n");
    for (GSList *l = list; l; l = l->next) {
        ChardevClass *cc = CHARDEV_CLASS(l->data);

        if (!cc->internal) {
            printf("  %s\n", chr_class_backend(cc));
        }
    }
    g_slist_free(list);
}

bool qemu_chr_print_backend_options(const char *backend, Error **errp)
{
    const ChardevClass *cls = chr_find_class(backend);

    if (!cls || cls->internal) {
        error_setg(errp, "'%s' is not a valid char driver name "
                   "(see -chardev help)", backend);
        return false;
    }
    printf("%s options:\n", backend);
    for (const char *const *o = chardev_common_opts; *o; o++) {
        printf("  %s\n", *o);
    }
    for (const char *const *o = cls->opts; o && *o; o++) {
        printf("  %s\n", *o);
    }
    return true;
}

/* Backend side */

int qemu_chr_be_can_write(Chardev *chr)
{
    CharBackend *be = chr->be;

    if (!be || !be->chr_can_read) {
        return 0;
    }
    return be->chr_can_read(be->opaque);
}

void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len)
{
    CharBackend *be = chr->be;

    if (be && be->chr_read) {
        be->chr_read(be->opaque, buf, len);
    }
}

void qemu_chr_be_event(Chardev *chr, QEMUChrEvent event)
{
    CharBackend *be = chr->be;

    if (event == CHR_EVENT_OPENED) {
        chr->be_open = 1;
    } else if (event == CHR_EVENT_CLOSED) {
        chr->be_open = 0;
    }
    if (chr->cls->chr_be_event) {
        chr->cls->chr_be_event(chr, event);
    } else if (be && be->chr_event) {
        be->chr_event(be->opaque, event);
    }
}

/* Wait until the host side may take more output (at most 100 ms). */
static void chr_wait_writable(Chardev *chr)
{
    int fd = chr->cls->chr_get_write_fd ? chr->cls->chr_get_write_fd(chr)
                                        : -1;
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };

    if (fd < 0 || poll(&pfd, 1, 100) < 0) {
        g_usleep(100);
    }
}

int qemu_chr_write(Chardev *chr, const uint8_t *buf, int len, bool write_all)
{
    int done = 0;
    int res = 0;

    if (!chr->cls->chr_write) {
        return len;
    }
    g_mutex_lock(&chr->chr_write_lock);
    while (done < len) {
        res = chr->cls->chr_write(chr, buf + done, len - done);
        if (res < 0 && errno == EAGAIN && write_all) {
            chr_wait_writable(chr);
            continue;
        }
        if (res <= 0) {
            break;
        }
        done += res;
        if (!write_all) {
            break;
        }
    }
    g_mutex_unlock(&chr->chr_write_lock);
    return done > 0 ? done : res;
}

/* Types */

static const TypeInfo chr_type_info = {
    .name = TYPE_CHARDEV,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(Chardev),
    .instance_init = chr_instance_init,
    .instance_finalize = chr_instance_finalize,
    .abstract = true,
    .class_size = sizeof(ChardevClass),
};

/*
 * All backends are registered from here, not from constructors in their
 * own files: a program that uses chardevs then links every backend even
 * from a static library that only pulls in referenced objects.
 */
static void chr_register_types(void)
{
    static const TypeInfo *const infos[] = {
        &chr_type_info, &chr_null_type_info, &chr_file_type_info,
        &chr_pipe_type_info, &chr_stdio_type_info, &chr_pty_type_info,
        &chr_socket_type_info, &chr_ringbuf_type_info,
        &chr_memory_type_info, &chr_mux_type_info,
    };

    for (int i = 0; i < ARRAY_SIZE(infos); i++) {
        type_register_static(infos[i]);
    }
}

type_init(chr_register_types)
