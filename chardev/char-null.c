/*
 * char-null.c: the null backend: output is discarded, no input ever.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"

static bool null_chr_open(Chardev *chr, ChardevOpts *opts, bool *be_opened,
                          Error **errp)
{
    /* QEMU's null backend never reports OPENED; keep that. */
    *be_opened = false;
    return true;
}

static int null_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    return len;
}

const ChardevClass chr_null_class = {
    .name = "null",
    .instance_size = sizeof(Chardev),
    .open = null_chr_open,
    .chr_write = null_chr_write,
};
