/*
 * reset.c: the system reset handler list (see sysemu/reset.h).
 */
#include "qemu/osdep.h"
#include "sysemu/reset.h"

typedef struct ResetEntry {
    QEMUResetHandler *func;
    void *opaque;
} ResetEntry;

static GArray *reset_handlers;

void qemu_register_reset(QEMUResetHandler *func, void *opaque)
{
    ResetEntry entry = { func, opaque };

    if (!reset_handlers) {
        reset_handlers = g_array_new(false, false, sizeof(ResetEntry));
    }
    g_array_append_val(reset_handlers, entry);
}

void qemu_unregister_reset(QEMUResetHandler *func, void *opaque)
{
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        ResetEntry *e = &g_array_index(reset_handlers, ResetEntry, i);

        if (e->func == func && e->opaque == opaque) {
            g_array_remove_index(reset_handlers, i);
            return;
        }
    }
}

void qemu_devices_reset(void)
{
    /* Index loop: a handler may register more handlers (appended). */
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        ResetEntry e = g_array_index(reset_handlers, ResetEntry, i);

        e.func(e.opaque);
    }
}
