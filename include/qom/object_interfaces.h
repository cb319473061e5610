/*
 * object_interfaces.h: user creatable objects (-object, object-add).
 *
 * A type implementing TYPE_USER_CREATABLE can be created by the user:
 * user_creatable_add_type() makes an instance, sets each given property
 * from its text, calls complete() (where the object checks its
 * configuration and acquires resources) and adds it as /objects/ID.
 * Properties a type cannot do without are marked with
 * object_class_property_set_required() and give "Parameter 'x' is
 * missing" when absent.
 */
#ifndef QOM_OBJECT_INTERFACES_H
#define QOM_OBJECT_INTERFACES_H

#include "qom/object.h"
#include "qemu/option.h"

#define TYPE_USER_CREATABLE "user-creatable"

typedef struct UserCreatable UserCreatable;
typedef struct UserCreatableClass UserCreatableClass;
DECLARE_CLASS_CHECKERS(UserCreatableClass, USER_CREATABLE,
                       TYPE_USER_CREATABLE)
#define USER_CREATABLE(obj) \
    INTERFACE_CHECK(UserCreatable, (obj), TYPE_USER_CREATABLE)

struct UserCreatableClass {
    InterfaceClass parent_class;

    /* Finish creation after properties are set; NULL: nothing to do. */
    void (*complete)(UserCreatable *uc, Error **errp);
    /* False while something uses the object (NULL: always true). */
    bool (*can_be_deleted)(UserCreatable *uc);
};

/* Call complete() if @uc has one. */
bool user_creatable_complete(UserCreatable *uc, Error **errp);
bool user_creatable_can_be_deleted(UserCreatable *uc);

/*
 * Create an object of @type with id @id under /objects, setting every
 * pair of @opts (may be NULL) with object_property_parse() in order,
 * keys "qom-type" and "id" excepted; repeated keys of a list property
 * are joined (host-nodes=0,host-nodes=2).  Errors, in QEMU 7.2's order
 * and words: "Parameter 'qom-type' does not accept value 'T'" (unknown,
 * abstract or not user creatable), "Parameter 'id' expects an
 * identifier", "Duplicate ID 'x' for object", "Parameter 'p' is missing"
 * (required property), "Invalid parameter 'p'", then property and
 * complete() errors.  Returns the object (owned by /objects) or NULL.
 */
Object *user_creatable_add_type(const char *type, const char *id,
                                QemuOpts *opts, Error **errp);
/*
 * The same with the type and id taken from @opts ("qom-type" key, then
 * the QemuOpts id or an "id" key): "Parameter 'qom-type' is missing",
 * "Parameter 'id' is missing".
 */
Object *user_creatable_add_opts(QemuOpts *opts, Error **errp);

/*
 * Remove /objects/@id.  Errors: "object 'x' not found", "object 'x' is
 * in use, can not be deleted".
 */
bool user_creatable_del(const char *id, Error **errp);
/* Unparent everything under /objects (at exit). */
void user_creatable_cleanup(void);

/*
 * -object help handling: "help" as the type prints "List of user
 * creatable objects:" and the sorted names; "TYPE,help" prints
 * "TYPE options:" and the property lines.  Returns true if help was
 * printed (the caller then exits), false if @type/@opts ask for none.
 */
bool user_creatable_print_help(const char *type, QemuOpts *opts);

#endif /* QOM_OBJECT_INTERFACES_H */
