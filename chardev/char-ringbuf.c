/*
 * char-ringbuf.c: the ringbuf (alias memory) backend.
 *
 * Output is kept in a power-of-two ring in memory; once full, the oldest
 * bytes are overwritten.  The monitor reads it with ringbuf-read and may
 * add to it with ringbuf-write.  The front end never gets input.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "chardev-internal.h"

#define RINGBUF_DEFAULT_SIZE (64 * KiB)

typedef struct RingBufChardev {
    Chardev parent;
    size_t size;                /* power of two */
    size_t prod;                /* bytes ever written (free-running) */
    size_t cons;                /* bytes ever read */
    uint8_t *cbuf;
} RingBufChardev;

static size_t ringbuf_count(RingBufChardev *d)
{
    return d->prod - d->cons;
}

static int ringbuf_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    RingBufChardev *d = (RingBufChardev *)chr;

    for (int i = 0; i < len; i++) {
        d->cbuf[d->prod++ & (d->size - 1)] = buf[i];
        /* Full: drop the oldest byte. */
        if (ringbuf_count(d) > d->size) {
            d->cons++;
        }
    }
    return len;
}

static size_t ringbuf_get(RingBufChardev *d, uint8_t *buf, size_t len)
{
    size_t n = 0;

    g_mutex_lock(&d->parent.chr_write_lock);
    for (; n < len && d->cons != d->prod; n++) {
        buf[n] = d->cbuf[d->cons++ & (d->size - 1)];
    }
    g_mutex_unlock(&d->parent.chr_write_lock);
    return n;
}

static bool ringbuf_chr_open(Chardev *chr, ChardevOpts *opts,
                             bool *be_opened, Error **errp)
{
    RingBufChardev *d = (RingBufChardev *)chr;
    uint64_t size;

    if (!chardev_opts_get_size(opts, "size", RINGBUF_DEFAULT_SIZE, &size,
                               errp)) {
        return false;
    }
    if (!is_power_of_2(size) || size > 1 * GiB) {
        error_setg(errp, "size of ringbuf chardev must be power of two "
                   "(got %" PRIu64 ", at most 1G)", size);
        return false;
    }
    d->size = size;
    d->cbuf = g_malloc0(size);
    return true;
}

static void ringbuf_chr_finalize(Chardev *chr)
{
    g_free(((RingBufChardev *)chr)->cbuf);
}

static const char *const ringbuf_opts[] = { "size", NULL };

static void ringbuf_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->opts = ringbuf_opts;
    cc->open = ringbuf_chr_open;
    cc->chr_write = ringbuf_chr_write;
    cc->finalize = ringbuf_chr_finalize;
}

const TypeInfo chr_ringbuf_type_info = {
    .name = TYPE_CHARDEV_RINGBUF,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(RingBufChardev),
    .class_init = ringbuf_chr_class_init,
};

/* Older name of the same backend: a subtype, so it is a ringbuf too. */
const TypeInfo chr_memory_type_info = {
    .name = TYPE_CHARDEV_MEMORY,
    .parent = TYPE_CHARDEV_RINGBUF,
};

static RingBufChardev *ringbuf_find(const char *device, Error **errp)
{
    Chardev *chr = qemu_chr_find(device);

    if (!chr) {
        error_setg(errp, "Device '%s' not found", device);
        return NULL;
    }
    if (!qemu_chr_is_type(chr, "ringbuf")) {
        error_setg(errp, "%s is not a ringbuf device", device);
        return NULL;
    }
    return (RingBufChardev *)chr;
}

/* Strict base64: the alphabet, '=' padding only at the end. */
static bool base64_valid(const char *data)
{
    size_t len = strlen(data);
    size_t body = strspn(data, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "abcdefghijklmnopqrstuvwxyz0123456789+/");
    size_t pad = strspn(data + body, "=");

    return body + pad == len && pad <= 2 && len % 4 == 0;
}

void qmp_ringbuf_write(const char *device, const char *data,
                       bool has_format, DataFormat format, Error **errp)
{
    RingBufChardev *d = ringbuf_find(device, errp);
    g_autofree uint8_t *decoded = NULL;
    const uint8_t *bytes = (const uint8_t *)data;
    size_t len = strlen(data);

    if (!d) {
        return;
    }
    if (has_format && format == DATA_FORMAT_BASE64) {
        if (!base64_valid(data)) {
            error_setg(errp, "Base64 data contains invalid characters");
            return;
        }
        decoded = g_base64_decode(data, &len);
        bytes = decoded;
    }
    qemu_chr_write(&d->parent, bytes, len, true);
}

char *qmp_ringbuf_read(const char *device, int64_t size, bool has_format,
                       DataFormat format, Error **errp)
{
    RingBufChardev *d = ringbuf_find(device, errp);
    g_autofree uint8_t *buf = NULL;
    size_t n;

    if (!d) {
        return NULL;
    }
    if (size <= 0) {
        error_setg(errp, "size must be greater than zero");
        return NULL;
    }
    buf = g_malloc(MIN((size_t)size, d->size) + 1);
    n = ringbuf_get(d, buf, MIN((size_t)size, d->size));
    if (has_format && format == DATA_FORMAT_BASE64) {
        return g_base64_encode(buf, n);
    }
    return g_utf8_make_valid((const char *)buf, n);
}
