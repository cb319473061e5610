/*
 * qapi-util.c: enum name tables (see qapi/util.h).
 */
#include "qemu/osdep.h"
#include "qapi/util.h"
#include "qapi/error.h"

const char *qapi_enum_lookup(const QEnumLookup *lookup, int val)
{
    g_assert(val >= 0 && val < lookup->size);
    return lookup->array[val];
}

int qapi_enum_parse(const QEnumLookup *lookup, const char *name, int def,
                    Error **errp)
{
    if (!name) {
        return def;
    }
    for (int i = 0; i < lookup->size; i++) {
        if (!strcmp(lookup->array[i], name)) {
            return i;
        }
    }
    error_setg(errp, "invalid parameter value: %s", name);
    return def;
}
