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

static void null_chr_class_init(ObjectClass *oc, void *data)
{
    ChardevClass *cc = CHARDEV_CLASS(oc);

    cc->open = null_chr_open;
    cc->chr_write = null_chr_write;
}

const TypeInfo chr_null_type_info = {
    .name = TYPE_CHARDEV_NULL,
    .parent = TYPE_CHARDEV,
    .instance_size = sizeof(Chardev),
    .class_init = null_chr_class_init,
};
