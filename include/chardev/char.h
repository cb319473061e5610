/*
 * char.h: character devices (the host side of serial ports and monitors).
 *
 * A Chardev is a byte stream to the host: a terminal, a file, a pipe, a
 * pty, a socket, a ring buffer in memory, or a multiplexer that lets
 * several front ends share one of those.  Devices and monitors talk to it
 * through a CharBackend (see char-fe.h); this header is the backend side:
 * creation from the command line, lookup by id, and the calls a backend
 * makes to hand input to its front end.
 *
 * Threads: creation, lookup, events and input delivery run in the main
 * loop thread with the big lock held.  Output (qemu_chr_write and the
 * qemu_chr_fe_write family) may come from any thread that holds the big
 * lock; chr_write_lock serialises it against the backend's own state
 * changes.  All I/O is driven by GSources attached to the chardev's
 * GMainContext (NULL means GLib's default context, which the main loop
 * iterates).
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qapi/error.h"
#include "qom/object.h"

/* Events a backend reports to its front end. */
typedef enum QEMUChrEvent {
    CHR_EVENT_BREAK,    /* serial break (Ctrl-a b on a mux) */
    CHR_EVENT_OPENED,   /* host side connected / ready */
    CHR_EVENT_MUX_IN,   /* this front end got the mux focus */
    CHR_EVENT_MUX_OUT,  /* this front end lost the mux focus */
    CHR_EVENT_CLOSED,   /* host side went away (peer closed, pty hung up) */
} QEMUChrEvent;

/* Data formats of ringbuf-read / ringbuf-write (QAPI DataFormat). */
#ifndef QAPI_DATA_FORMAT_DEFINED
#define QAPI_DATA_FORMAT_DEFINED
typedef enum DataFormat {
    DATA_FORMAT_UTF8,
    DATA_FORMAT_BASE64,
} DataFormat;
#endif

typedef struct ChardevOpts ChardevOpts;
typedef struct CharBackend CharBackend;

/*
 * QOM types: the abstract base "chardev" and one subtype per backend,
 * named "chardev-" + the backend name that -chardev takes.  Every
 * chardev is a child of /chardevs, named by its id (qom-list /chardevs).
 */
#define TYPE_CHARDEV "chardev"
#define TYPE_CHARDEV_NULL "chardev-null"
#define TYPE_CHARDEV_FILE "chardev-file"
#define TYPE_CHARDEV_PIPE "chardev-pipe"
#define TYPE_CHARDEV_STDIO "chardev-stdio"
#define TYPE_CHARDEV_PTY "chardev-pty"
#define TYPE_CHARDEV_SOCKET "chardev-socket"
#define TYPE_CHARDEV_RINGBUF "chardev-ringbuf"
#define TYPE_CHARDEV_MEMORY "chardev-memory"   /* alias of ringbuf */
#define TYPE_CHARDEV_MUX "chardev-mux"

OBJECT_DECLARE_TYPE(Chardev, ChardevClass, CHARDEV)

/* Owned by the chardev; guarded by the big lock unless noted. */
struct Chardev {
    Object parent_obj;
    const ChardevClass *cls;    /* CHARDEV_GET_CLASS(chr), cached */
    GMutex chr_write_lock;      /* serialises output to the host */
    CharBackend *be;            /* the front end, NULL if none (not mux) */
    char *label;                /* the id: "serial0", "charmonitor" */
    char *filename;             /* shown by query-chardev: "pty:/dev/pts/3" */
    int be_open;                /* host side is open (last OPENED/CLOSED) */
    GMainContext *gcontext;     /* where I/O sources live; NULL = default */
};

/*
 * A backend type.  Every hook but open is optional.  Hooks run with the
 * big lock held; chr_write also holds chr->chr_write_lock.
 */
struct ChardevClass {
    ObjectClass parent_class;
    bool internal;              /* not creatable with -chardev (none yet) */
    const char *const *opts;    /* NULL-terminated list of accepted keys */

    /* Open the host side; set *be_opened = false if not connected yet. */
    bool (*open)(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                 Error **errp);
    /* Non-blocking write: bytes taken, or -1 with errno (EAGAIN = full). */
    int (*chr_write)(Chardev *chr, const uint8_t *buf, int len);
    /* A source that fires when @cond (G_IO_OUT, G_IO_HUP) holds; or NULL. */
    GSource *(*chr_add_watch)(Chardev *chr, GIOCondition cond);
    /* The front end or the context changed: re-attach input sources. */
    void (*chr_update_read_handler)(Chardev *chr);
    /* The front end can take input again. */
    void (*chr_accept_input)(Chardev *chr);
    /* The front end opened or closed its side. */
    void (*chr_set_fe_open)(Chardev *chr, int fe_open);
    /* Deliver @event instead of the default (mux: to all front ends). */
    void (*chr_be_event)(Chardev *chr, QEMUChrEvent event);
    /* Fd to wait on (POLLOUT) when a blocking write finds it full. */
    int (*chr_get_write_fd)(Chardev *chr);
    /*
     * Release host resources; called from the base type's
     * instance_finalize.  Also runs when open fails, so it must cope with
     * a half-opened chardev.
     */
    void (*finalize)(Chardev *chr);
};

/*
 * Creation.  Every path ends in qemu_chardev_new_opts(); the others only
 * build its options.  Errors name the chardev and the option at fault.
 * A NULL result with no error set means help was asked for and printed
 * (backend "help" or "?", or a "help" key): the caller should exit 0.
 */

/*
 * Create from "-chardev" syntax: "BACKEND,id=ID,key=value,...", with ",,"
 * for a literal comma and a bare "key" meaning key=on.  Used by tests and
 * by code that has no QemuOpts at hand.
 */
Chardev *qemu_chr_new_from_string(const char *optstr, GMainContext *context,
                                  Error **errp);

/*
 * Create from a legacy spec as -serial / -monitor / -qmp take it: "stdio",
 * "null", "pty", "file:PATH", "pipe:PATH", "unix:PATH[,opts]",
 * "tcp:HOST:PORT[,opts]", "mon:SPEC" (SPEC behind a mux, with an HMP
 * monitor on it), or "chardev:ID" (an existing chardev).  Reports errors
 * with error_report() and returns NULL.
 */
Chardev *qemu_chr_new(const char *label, const char *filename,
                      GMainContext *context);
/* Same, with the error returned; *is_mon tells whether "mon:" was used. */
Chardev *qemu_chr_new_legacy(const char *label, const char *filename,
                             bool *is_mon, GMainContext *context,
                             Error **errp);

/*
 * Create from a parsed -chardev option group: every option of @opts is
 * passed on, its id becomes the label.  Defined when the option parser
 * (qemu/option.h) is part of the build.
 */
typedef struct QemuOpts QemuOpts;
typedef struct QemuOptsList QemuOptsList;
/* The -chardev option group: any key, first item is "backend". */
extern QemuOptsList qemu_chardev_opts;
Chardev *qemu_chr_new_from_opts(QemuOpts *opts, GMainContext *context,
                                Error **errp);

/*
 * Tell the front ends of every mux that the host side is open (OPENED to
 * all of them, in attach order), as QEMU does once the machine is built.
 * Until this is called, front ends of a mux get no OPENED, so that a
 * monitor sharing mon:stdio with a serial port does not print its
 * greeting before the serial port has taken the focus.  Call it once
 * after creating the machine and its devices; muxes made later open at
 * once.
 */
void qemu_chr_open_muxes(void);

/* Look up by id; NULL if there is none. */
Chardev *qemu_chr_find(const char *id);

/* Destroy (closes host resources, detaches from the front end). */
void qemu_chr_delete(Chardev *chr);

/* Destroy every chardev (at exit; restores the terminal). */
void qemu_chr_cleanup(void);

/* Visit every chardev in creation order (query-chardev, info chardev). */
void qemu_chr_foreach(void (*fn)(Chardev *chr, void *opaque), void *opaque);

/* The front end of @chr has opened its side (query-chardev frontend-open). */
bool qemu_chr_frontend_open(Chardev *chr);

/*
 * True if @chr is of backend type @name ("ringbuf", "mux", ...) or a
 * subtype of it (a "memory" chardev is a "ringbuf").
 */
bool qemu_chr_is_type(Chardev *chr, const char *name);

/*
 * "-chardev help": print the backend names, one per line, to stdout, as
 * QEMU does.  "-chardev BACKEND,help": print that backend's options.
 * Returns false (with @errp set) for an unknown backend.
 */
void qemu_chr_print_backends(void);
bool qemu_chr_print_backend_options(const char *backend, Error **errp);

/* Backend side: the calls a backend makes. */

/* How many bytes the front end can take now (0: hold input back). */
int qemu_chr_be_can_write(Chardev *chr);
/* Hand @len bytes of input to the front end (at most can_write). */
void qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len);
/* Report an event to the front end; OPENED/CLOSED also set be_open. */
void qemu_chr_be_event(Chardev *chr, QEMUChrEvent event);
/* Replace the filename shown by query-chardev (copies @filename). */
void qemu_chr_set_filename(Chardev *chr, const char *filename);
/* The context I/O sources belong in (never NULL). */
GMainContext *qemu_chr_context(Chardev *chr);

/*
 * Write to the host side from inside chardev code (the mux help text, the
 * monitor).  @write_all blocks until every byte is taken or an error
 * other than EAGAIN; otherwise it is one non-blocking attempt.  Returns
 * bytes written, or -1 with errno.
 */
int qemu_chr_write(Chardev *chr, const uint8_t *buf, int len, bool write_all);

/* Options of one chardev, as key=value pairs in command-line order. */

ChardevOpts *chardev_opts_new(void);
void chardev_opts_free(ChardevOpts *opts);
/* Parse "BACKEND,key=value,..." (the first item, if bare, is "backend"). */
ChardevOpts *chardev_opts_parse(const char *str, Error **errp);
/* Set @key (a later set replaces an earlier one). */
void chardev_opts_set(ChardevOpts *opts, const char *key, const char *value);
const char *chardev_opts_get(ChardevOpts *opts, const char *key);
/* on|off|yes|no|true|false; absent gives @defval. */
bool chardev_opts_get_bool(ChardevOpts *opts, const char *key, bool defval,
                           bool *result, Error **errp);
/* Decimal/hex number; absent gives @defval. */
bool chardev_opts_get_number(ChardevOpts *opts, const char *key,
                             uint64_t defval, uint64_t *result, Error **errp);
/* Size with an optional K/M/G suffix; absent gives @defval. */
bool chardev_opts_get_size(ChardevOpts *opts, const char *key,
                           uint64_t defval, uint64_t *result, Error **errp);

/* Create from already-built options; keys "backend" and "id" required. */
Chardev *qemu_chardev_new_opts(ChardevOpts *opts, GMainContext *context,
                               Error **errp);

/*
 * Put the terminal that the stdio backend made raw back as it was.
 * Async-signal-safe: fatal-signal handlers call it before dying.  Also
 * runs at exit and when the stdio chardev is deleted.
 */
void qemu_chr_stdio_restore_tty(void);

/* Ring buffer access for the QMP commands ringbuf-write / ringbuf-read. */

/*
 * Append @data to ring buffer chardev @device (utf8: as is; base64:
 * decoded first).  Old bytes are overwritten when the ring is full.
 */
void qmp_ringbuf_write(const char *device, const char *data,
                       bool has_format, DataFormat format, Error **errp);
/*
 * Remove and return up to @size bytes from ring buffer chardev @device, as
 * a NUL-terminated string the caller frees: base64 encoded, or (utf8) the
 * bytes with invalid UTF-8 sequences replaced by U+FFFD.
 */
char *qmp_ringbuf_read(const char *device, int64_t size, bool has_format,
                       DataFormat format, Error **errp);

#endif /* CHARDEV_CHAR_H */
