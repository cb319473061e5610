/*
 * qom-qmp.h: QOM values as JSON, for the QMP and human QOM commands.
 * Main thread, big lock.
 */
#ifndef MONITOR_QOM_QMP_H
#define MONITOR_QOM_QMP_H

#include "qom/object.h"
#include "qapi/qmp/qdict.h"

/*
 * The object at @path (absolute or partial).  Errors: DeviceNotFound
 * "Device 'P' not found", GenericError "Path 'P' is ambiguous".
 */
Object *qom_resolve(const char *path, Error **errp);
/*
 * @obj's properties (borrowed) in the order qom-list shows them: those
 * of the base class first, the instance's own last, as QEMU 7.2 lists
 * them.  Free with g_ptr_array_unref().
 */
GPtrArray *qom_property_list(Object *obj);
/* A property's value as JSON (new reference): see docs/devel/qom.md. */
QObject *qom_get_json(Object *obj, const char *name, Error **errp);
/* Set a property from JSON of the matching kind (borrows @value). */
bool qom_set_json(Object *obj, const char *name, QObject *value,
                  Error **errp);
/* object-add's arguments (qom-type, id, properties) / HMP object_add. */
Object *qom_object_add_qdict(QDict *args, Error **errp);
Object *qom_object_add_text(const char *text, Error **errp);

void qom_qmp_register_commands(void);

#endif /* MONITOR_QOM_QMP_H */
