/*
 * qdev-globals.h: "-global DRIVER.PROP=VALUE" default device properties.
 * Registered by the command line before the machine is built; applied
 * to each device of type DRIVER (or a subtype) as it is created.  Main
 * thread, big lock.
 */
#ifndef HW_QDEV_GLOBALS_H
#define HW_QDEV_GLOBALS_H

typedef struct Error Error;
typedef struct DeviceState DeviceState;

void qdev_prop_register_global(const char *driver, const char *property,
                               const char *value);
/* Parse and register "DRIVER.PROP=VALUE"; errors name the form. */
bool qdev_global_parse(const char *text, Error **errp);
/* Apply the matching globals to @dev (at creation; exits on a bad one,
 * as QEMU does). */
void qdev_prop_set_globals(DeviceState *dev);
/* Warn about globals no device used (after the machine is built). */
void qdev_prop_check_globals(void);

#endif /* HW_QDEV_GLOBALS_H */
