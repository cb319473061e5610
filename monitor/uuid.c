/*
 * uuid.c: the text form of -uuid (sysemu.h declares it; query-uuid and
 * "info uuid" print it).
 */
#include "qemu/osdep.h"
#include "sysemu/sysemu.h"

char *qemu_uuid_unparse_strdup(void)
{
    const uint8_t *u = qemu_uuid;

    return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-"
                           "%02x%02x-%02x%02x%02x%02x%02x%02x",
                           u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
                           u[8], u[9], u[10], u[11], u[12], u[13], u[14],
                           u[15]);
}
