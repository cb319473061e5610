/*
 * sysemu.h: global settings of the running emulator, set once by the
 * command line (softmmu/vl.c) before the machine is built and read-only
 * afterwards.
 */
#ifndef SYSEMU_SYSEMU_H
#define SYSEMU_SYSEMU_H

typedef struct Chardev Chardev;

#define MAX_SERIAL_PORTS 4

/* -name guest name, or NULL. */
extern const char *qemu_name;
/* -uuid; all zero unless given. */
extern uint8_t qemu_uuid[16];
extern bool qemu_uuid_set;
/* "-S": do not start the vCPUs. */
extern bool autostart;

/* The chardev behind serial port @i (-serial, -nographic), or NULL. */
Chardev *serial_hd(int i);

/* "00000000-0000-0000-0000-000000000000" form of qemu_uuid (caller
 * frees). */
char *qemu_uuid_unparse_strdup(void);

/* The emulator's own program entry, called by main(). */
void qemu_init(int argc, char **argv);
int qemu_main_loop(void);
void qemu_cleanup(void);

#endif /* SYSEMU_SYSEMU_H */
