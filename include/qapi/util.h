/*
 * util.h: enum name tables shared by QOM enum properties and options.
 */
#ifndef QAPI_UTIL_H
#define QAPI_UTIL_H

typedef struct Error Error;

/* Names of the values 0..size-1 of a C enum. */
typedef struct QEnumLookup {
    const char *const *array;
    int size;
} QEnumLookup;

/* The name of @val; asserts 0 <= val < size. */
const char *qapi_enum_lookup(const QEnumLookup *lookup, int val);
/* The value named @name; @def for NULL; error "Parameter ... does not
 * accept value" is left to callers, which know the parameter name. */
int qapi_enum_parse(const QEnumLookup *lookup, const char *name, int def,
                    Error **errp);

#endif /* QAPI_UTIL_H */
