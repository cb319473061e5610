/*
 * char-socket.c: the socket backend (unix and tcp, server or client).
 *
 * One connection at a time.  A server (server=on) accepts a client,
 * stops listening while it is connected, and listens again when the
 * client goes away; with wait=on (the default) the emulator blocks at
 * start until the first client connects.  A client connects at start and
 * fails if it cannot, unless reconnect=SECONDS is given: then it keeps
 * trying every SECONDS, also after the server drops the connection.
 * While nothing is connected, output is dropped, as in QEMU.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "chardev-internal.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

typedef struct SocketChardev {
    Chardev parent;
    bool is_unix;
    bool is_listen;
    bool nodelay;
    int family;                 /* AF_UNSPEC, or AF_INET/AF_INET6 forced */
    char *path;                 /* unix */
    char *host;                 /* tcp */
    char *port;
    uint64_t reconnect_s;       /* client: retry period, 0 = never */
    bool connect_error_reported;

    int listen_fd;              /* -1 unless a server */
    int fd;                     /* the connection, -1 if none */
    char *addr_desc;            /* "unix:/p,server=on" for filenames */
    GSource *listen_src;
    GSource *read_src;
    GSource *reconnect_src;
    GSource *disconnect_src;    /* disconnect deferred out of a write */
} SocketChardev;

static SocketChardev *sock(Chardev *chr)
{
    return (SocketChardev *)chr;
}

static void tcp_chr_listen(Chardev *chr);
static void tcp_chr_start_reconnect(Chardev *chr);

/* "HOST:PORT" of a socket address, numeric. */
static char *sockaddr_to_str(struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], port[NI_MAXSERV];

    if (getnameinfo(sa, len, host, sizeof(host), port, sizeof(port),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return g_strdup("?:?");
    }
    return g_strdup_printf("%s:%s", host, port);
}

static char *sock_local_str(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    getsockname(fd, (struct sockaddr *)&ss, &len);
    return sockaddr_to_str((struct sockaddr *)&ss, len);
}

static char *sock_peer_str(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    getpeername(fd, (struct sockaddr *)&ss, &len);
    return sockaddr_to_str((struct sockaddr *)&ss, len);
}

/* query-chardev filename, in QEMU's spelling. */
static void tcp_chr_update_filename(Chardev *chr)
{
    SocketChardev *s = sock(chr);
    g_autofree char *name = NULL;

    if (s->fd < 0) {
        name = g_strdup_printf("disconnected:%s", s->addr_desc);
    } else if (s->is_unix) {
        name = g_strdup(s->addr_desc);
    } else {
        g_autofree char *local = sock_local_str(s->fd);
        g_autofree char *peer = sock_peer_str(s->fd);

        name = g_strdup_printf("tcp:%s%s <-> %s", local,
                               s->is_listen ? ",server=on" : "", peer);
    }
    qemu_chr_set_filename(chr, name);
}

/* Connection state */

static void tcp_chr_disconnect(Chardev *chr)
{
    SocketChardev *s = sock(chr);

    if (s->fd < 0) {
        return;
    }
    chr_source_remove(&s->read_src);
    chr_source_remove(&s->disconnect_src);
    close(s->fd);
    s->fd = -1;
    tcp_chr_update_filename(chr);
    qemu_chr_be_event(chr, CHR_EVENT_CLOSED);

    if (s->is_listen) {
        tcp_chr_listen(chr);
    } else if (s->reconnect_s) {
        tcp_chr_start_reconnect(chr);
    }
}

static gboolean tcp_chr_read(Chardev *chr, GIOCondition cond)
{
    SocketChardev *s = sock(chr);
    uint8_t buf[CHR_READ_BUF_LEN];
    int len = MIN(qemu_chr_be_can_write(chr), (int)sizeof(buf));
    ssize_t n;

    if (len <= 0) {
        return G_SOURCE_CONTINUE;
    }
    n = recv(s->fd, buf, len, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        /* The peer closed or reset: an event, never a fatal error. */
        g_source_unref(s->read_src);
        s->read_src = NULL;
        tcp_chr_disconnect(chr);
        return G_SOURCE_REMOVE;
    }
    qemu_chr_be_write(chr, buf, n);
    return G_SOURCE_CONTINUE;
}

static void tcp_chr_update_read_handler(Chardev *chr)
{
    SocketChardev *s = sock(chr);

    chr_source_remove(&s->read_src);
    if (s->fd >= 0) {
        s->read_src = chr_fd_source_add(chr, s->fd, G_IO_IN, true,
                                        tcp_chr_read);
    }
}

/* Take @fd as the connection; @emit reports OPENED now. */
static void tcp_chr_new_client(Chardev *chr, int fd, bool emit)
{
    SocketChardev *s = sock(chr);
    int one = 1;

    chr_set_nonblock(fd, true);
    if (!s->is_unix && s->nodelay) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    s->fd = fd;
    s->connect_error_reported = false;
    tcp_chr_update_filename(chr);
    tcp_chr_update_read_handler(chr);
    if (emit) {
        qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    }
}

/* Server side */

static gboolean tcp_chr_accept(Chardev *chr, GIOCondition cond)
{
    SocketChardev *s = sock(chr);
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    /* One client at a time: stop listening until it leaves. */
    g_source_unref(s->listen_src);
    s->listen_src = NULL;
    tcp_chr_new_client(chr, fd, true);
    return G_SOURCE_REMOVE;
}

static void tcp_chr_listen(Chardev *chr)
{
    SocketChardev *s = sock(chr);

    chr_source_remove(&s->listen_src);
    s->listen_src = chr_fd_source_add(chr, s->listen_fd, G_IO_IN, false,
                                      tcp_chr_accept);
}

static int unix_addr(const char *path, struct sockaddr_un *un, Error **errp)
{
    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(un->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long (at most %zu "
                   "bytes)", path, sizeof(un->sun_path) - 1);
        return -1;
    }
    strcpy(un->sun_path, path);
    return 0;
}

static int unix_listen(const char *path, Error **errp)
{
    struct sockaddr_un un;
    int fd;

    if (unix_addr(path, &un, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0 ||
        listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static struct addrinfo *tcp_resolve(SocketChardev *s, bool passive,
                                    Error **errp)
{
    struct addrinfo hints = {
        .ai_family = s->family,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = passive ? AI_PASSIVE : 0,
    };
    struct addrinfo *res = NULL;
    const char *host = s->host && *s->host ? s->host : NULL;
    int rc = getaddrinfo(host, s->port, &hints, &res);

    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   s->host, s->port, gai_strerror(rc));
        return NULL;
    }
    return res;
}

static int tcp_listen(SocketChardev *s, Error **errp)
{
    struct addrinfo *res = tcp_resolve(s, true, errp);
    int one = 1, err = 0, fd = -1;

    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    if (res && fd < 0) {
        error_setg_errno(errp, err, "Failed to bind socket on %s:%s",
                         s->host, s->port);
    }
    if (res) {
        freeaddrinfo(res);
    }
    return fd;
}

static bool tcp_chr_open_server(Chardev *chr, bool wait, bool *be_opened,
                                Error **errp)
{
    SocketChardev *s = sock(chr);
    struct pollfd pfd;

    s->listen_fd = s->is_unix ? unix_listen(s->path, errp)
                              : tcp_listen(s, errp);
    if (s->listen_fd < 0) {
        return false;
    }
    if (s->is_unix) {
        s->addr_desc = g_strdup_printf("unix:%s,server=on", s->path);
    } else {
        g_autofree char *local = sock_local_str(s->listen_fd);

        s->addr_desc = g_strdup_printf("tcp:%s,server=on", local);
    }
    chr_set_nonblock(s->listen_fd, true);
    tcp_chr_update_filename(chr);
    *be_opened = false;
    if (!wait) {
        tcp_chr_listen(chr);
        return true;
    }

    /* wait=on: block the start-up until the first client is there. */
    info_report("QEMU waiting for connection on: %s", chr->filename);
    pfd = (struct pollfd) { .fd = s->listen_fd, .events = POLLIN };
    for (;;) {
        int fd;

        poll(&pfd, 1, -1);
        fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            tcp_chr_new_client(chr, fd, false);
            *be_opened = true;
            return true;
        }
    }
}

/* Client side */

static int unix_connect(const char *path, Error **errp)
{
    struct sockaddr_un un;
    int fd;

    if (unix_addr(path, &un, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&un, sizeof(un)) < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s'", path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

static int tcp_connect(SocketChardev *s, Error **errp)
{
    struct addrinfo *res = tcp_resolve(s, false, errp);
    int err = 0, fd = -1;

    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    if (res && fd < 0) {
        error_setg_errno(errp, err, "Failed to connect to '%s:%s'",
                         s->host, s->port);
    }
    if (res) {
        freeaddrinfo(res);
    }
    return fd;
}

static int tcp_chr_connect(Chardev *chr, Error **errp)
{
    SocketChardev *s = sock(chr);

    return s->is_unix ? unix_connect(s->path, errp) : tcp_connect(s, errp);
}

static gboolean tcp_chr_reconnect(gpointer opaque)
{
    Chardev *chr = opaque;
    SocketChardev *s = sock(chr);
    Error *err = NULL;
    int fd = tcp_chr_connect(chr, &err);

    if (fd < 0) {
        /* Say it once per outage, not at every retry. */
        if (!s->connect_error_reported) {
            error_report("Unable to connect character device %s: %s",
                         chr->label, error_get_pretty(err));
            s->connect_error_reported = true;
        }
        error_free(err);
        return G_SOURCE_CONTINUE;
    }
    g_source_unref(s->reconnect_src);
    s->reconnect_src = NULL;
    tcp_chr_new_client(chr, fd, true);
    return G_SOURCE_REMOVE;
}

static void tcp_chr_start_reconnect(Chardev *chr)
{
    SocketChardev *s = sock(chr);

    chr_source_remove(&s->reconnect_src);
    s->reconnect_src = g_timeout_source_new_seconds(s->reconnect_s);
    g_source_set_callback(s->reconnect_src, tcp_chr_reconnect, chr, NULL);
    g_source_attach(s->reconnect_src, qemu_chr_context(chr));
}

static bool tcp_chr_open_client(Chardev *chr, bool *be_opened,
                                Error **errp)
{
    SocketChardev *s = sock(chr);
    Error *err = NULL;
    int fd;

    s->addr_desc = s->is_unix ? g_strdup_printf("unix:%s", s->path)
                              : g_strdup_printf("tcp:%s:%s", s->host,
                                                s->port);
    tcp_chr_update_filename(chr);
    *be_opened = false;
    fd = tcp_chr_connect(chr, &err);
    if (fd >= 0) {
        tcp_chr_new_client(chr, fd, false);
        *be_opened = true;
        return true;
    }
    if (!s->reconnect_s) {
        error_propagate_prepend(errp, err, "chardev '%s': ", chr->label);
        return false;
    }
    error_report("Unable to connect character device %s: %s", chr->label,
                 error_get_pretty(err));
    error_free(err);
    s->connect_error_reported = true;
    tcp_chr_start_reconnect(chr);
    return true;
}

/* Output */

static gboolean tcp_chr_deferred_disconnect(gpointer opaque)
{
    Chardev *chr = opaque;

    g_source_unref(sock(chr)->disconnect_src);
    sock(chr)->disconnect_src = NULL;
    tcp_chr_disconnect(chr);
    return G_SOURCE_REMOVE;
}

static int tcp_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    SocketChardev *s = sock(chr);
    ssize_t n;

    if (s->fd < 0) {
        return len;
    }
    do {
        n = send(s->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n >= 0 || errno == EAGAIN) {
        return n;
    }

    /*
     * The peer is gone.  Disconnect from the main loop, not from inside
     * the front end's write, which must not see its CLOSED event reenter.
     */
    if (!s->disconnect_src) {
        s->disconnect_src = g_idle_source_new();
        g_source_set_callback(s->disconnect_src,
                              tcp_chr_deferred_disconnect, chr, NULL);
        g_source_attach(s->disconnect_src, qemu_chr_context(chr));
    }
    return len;
}

static GSource *tcp_chr_add_watch(Chardev *chr, GIOCondition cond)
{
    SocketChardev *s = sock(chr);

    return s->fd >= 0 ? chr_fd_watch_new(s->fd, cond) : NULL;
}

static int tcp_chr_get_write_fd(Chardev *chr)
{
    return sock(chr)->fd;
}

/* Options */

static bool tcp_chr_parse(Chardev *chr, ChardevOpts *opts, bool *wait,
                          Error **errp)
{
    SocketChardev *s = sock(chr);
    bool ipv4, ipv6;

    s->path = g_strdup(chardev_opts_get(opts, "path"));
    s->host = g_strdup(chardev_opts_get(opts, "host"));
    s->port = g_strdup(chardev_opts_get(opts, "port"));
    s->is_unix = s->path != NULL;
    if (!chardev_opts_get_bool(opts, "server", false, &s->is_listen, errp) ||
        !chardev_opts_get_bool(opts, "wait", true, wait, errp) ||
        !chardev_opts_get_bool(opts, "nodelay", false, &s->nodelay, errp) ||
        !chardev_opts_get_bool(opts, "ipv4", false, &ipv4, errp) ||
        !chardev_opts_get_bool(opts, "ipv6", false, &ipv6, errp) ||
        !chardev_opts_get_number(opts, "reconnect", 0, &s->reconnect_s,
                                 errp)) {
        return false;
    }
    s->family = ipv4 && !ipv6 ? AF_INET : ipv6 && !ipv4 ? AF_INET6
                                                       : AF_UNSPEC;
    return true;
}

static bool tcp_chr_check(Chardev *chr, ChardevOpts *opts, Error **errp)
{
    SocketChardev *s = sock(chr);

    if (s->is_unix && (s->host || s->port)) {
        error_setg(errp, "chardev: socket: give either path= (unix) or "
                   "host=,port= (tcp), not both");
        return false;
    }
    if (!s->is_unix && !s->port) {
        error_setg(errp, "chardev: socket: no port given (add port=N, or "
                   "path=FILE for a unix socket)");
        return false;
    }
    if (!s->is_listen && chardev_opts_get(opts, "wait")) {
        error_setg(errp, "'wait' option is incompatible with socket in "
                   "client connect mode");
        return false;
    }
    if (s->is_listen && s->reconnect_s) {
        error_setg(errp, "'reconnect' option is incompatible with socket "
                   "in server listen mode");
        return false;
    }
    if (!s->host) {
        s->host = g_strdup(s->is_listen ? "0.0.0.0" : "localhost");
    }
    return true;
}

static bool tcp_chr_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                         Error **errp)
{
    SocketChardev *s = sock(chr);
    bool wait;

    s->listen_fd = -1;
    s->fd = -1;
    if (!tcp_chr_parse(chr, opts, &wait, errp) ||
        !tcp_chr_check(chr, opts, errp)) {
        return false;
    }
    if (s->is_listen) {
        return tcp_chr_open_server(chr, wait, be_opened, errp);
    }
    return tcp_chr_open_client(chr, be_opened, errp);
}

static void tcp_chr_finalize(Chardev *chr)
{
    SocketChardev *s = sock(chr);

    chr_source_remove(&s->listen_src);
    chr_source_remove(&s->read_src);
    chr_source_remove(&s->reconnect_src);
    chr_source_remove(&s->disconnect_src);
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        if (s->is_unix) {
            unlink(s->path);
        }
    }
    g_free(s->path);
    g_free(s->host);
    g_free(s->port);
    g_free(s->addr_desc);
}

static const char *const socket_opts[] = {
    "path", "host", "port", "server", "wait", "nodelay", "reconnect",
    "ipv4", "ipv6", NULL
};

static void socket_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->opts = socket_opts;
    cc->open = tcp_chr_open;
    cc->chr_write = tcp_chr_write;
    cc->chr_add_watch = tcp_chr_add_watch;
    cc->chr_update_read_handler = tcp_chr_update_read_handler;
    cc->chr_get_write_fd = tcp_chr_get_write_fd;
    cc->finalize = tcp_chr_finalize;
}

const TypeInfo chr_socket_type_info = {
    .name = TYPE_CHARDEV_SOCKET,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(SocketChardev),
    .class_init = socket_chr_class_init,
};
