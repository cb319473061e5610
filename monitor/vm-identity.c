/*
 * vm-identity.c: the VM's name (-name) and UUID (-uuid), as query-name,
 * query-uuid, "info name" and "info uuid" report them.
 */
#include "qemu/osdep.h"
#include "monitor/monitor.h"

#define UUID_LEN 16

/* Set at start-up by the command line; big lock afterwards. */
static char *vm_name;
static uint8_t vm_uuid[UUID_LEN];

void qemu_set_vm_name(const char *name)
{
    g_free(vm_name);
    vm_name = g_strdup(name);
}

const char *qemu_get_vm_name(void)
{
    return vm_name;
}

/* Two hex digits at @p, or -1. */
static int uuid_hex_byte(const char *p)
{
    int hi = g_ascii_xdigit_value(p[0]);
    int lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[1]);

    return lo < 0 ? -1 : hi << 4 | lo;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", hex digits of either case. */
bool qemu_set_vm_uuid(const char *str, Error **errp)
{
    uint8_t uuid[UUID_LEN];
    const char *p = str;

    for (int i = 0; i < UUID_LEN; i++) {
        int byte;

        if (i == 4 || i == 6 || i == 8 || i == 10) {
            if (*p++ != '-') {
                goto bad;
            }
        }
        byte = uuid_hex_byte(p);
        if (byte < 0) {
            goto bad;
        }
        uuid[i] = byte;
        p += 2;
    }
    if (*p) {
        goto bad;
    }
    memcpy(vm_uuid, uuid, UUID_LEN);
    return true;

bad:
    error_setg(errp, "failed to parse UUID string: wrong format");
    return false;
}

char *qemu_get_vm_uuid_str(void)
{
    const uint8_t *u = vm_uuid;

    return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-"
                           "%02x%02x-%02x%02x%02x%02x%02x%02x",
                           u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
                           u[8], u[9], u[10], u[11], u[12], u[13], u[14],
                           u[15]);
}
