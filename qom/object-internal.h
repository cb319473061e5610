/*
 * object-internal.h: hooks between object.c and object-property.c.
 */
#ifndef QOM_OBJECT_INTERNAL_H
#define QOM_OBJECT_INTERNAL_H

/* Apply the defaults of every class property to a new instance. */
void object_property_init_defaults(Object *obj);
/* Release and free every property (instance and class) at finalize. */
void object_property_del_all(Object *obj);

#endif /* QOM_OBJECT_INTERNAL_H */
