/*
 * log.c: the -d / -D debug log (see qemu/log.h).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"

int qemu_loglevel;

static GMutex log_lock;
static FILE *log_file;          /* NULL means stderr; protected by log_lock */

const QEMULogItem qemu_log_items[] = {
    { CPU_LOG_TB_OUT_ASM, "out_asm", "show generated host assembly code" },
    { CPU_LOG_TB_IN_ASM, "in_asm", "show target assembly code for each "
      "decoded block" },
    { CPU_LOG_TB_OP, "op", "show micro ops for each compiled block" },
    { CPU_LOG_TB_OP_OPT, "op_opt", "show micro ops after optimization" },
    { CPU_LOG_INT, "int", "show interrupts/exceptions in short format" },
    { CPU_LOG_EXEC, "exec", "show trace before each executed block" },
    { CPU_LOG_TB_CPU, "cpu", "show CPU registers before entering a block" },
    { CPU_LOG_MMU, "mmu", "log MMU-related activities" },
    { CPU_LOG_PCALL, "pcall", "x86 only: show protected mode far calls" },
    { CPU_LOG_RESET, "cpu_reset", "show CPU state before CPU resets" },
    { LOG_UNIMP, "unimp", "log unimplemented functionality" },
    { LOG_GUEST_ERROR, "guest_errors", "log when the guest OS does "
      "something invalid (eg accessing a non-existent register)" },
    { CPU_LOG_PAGE, "page", "dump pages at beginning of user mode "
      "emulation" },
    { LOG_STRACE, "strace", "log every user-mode syscall, its input, "
      "and its result" },
    { 0, NULL, NULL },
};

void qemu_log_vprintf(const char *fmt, va_list ap)
{
    FILE *f = qemu_log_trylock();

    vfprintf(f, fmt, ap);
    qemu_log_unlock(f);
}

void qemu_log(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qemu_log_vprintf(fmt, ap);
    va_end(ap);
}

FILE *qemu_log_trylock(void)
{
    g_mutex_lock(&log_lock);
    return log_file ? log_file : stderr;
}

void qemu_log_unlock(FILE *logfile)
{
    fflush(logfile);
    g_mutex_unlock(&log_lock);
}

int qemu_str_to_log_mask(const char *str, Error **errp)
{
    g_auto(GStrv) parts = g_strsplit(str, ",", -1);
    int mask = 0;

    for (char **p = parts; *p; p++) {
        const QEMULogItem *item;

        if (!strcmp(*p, "all")) {
            for (item = qemu_log_items; item->mask; item++) {
                mask |= item->mask;
            }
            continue;
        }
        if (!strcmp(*p, "none")) {
            continue;
        }
        for (item = qemu_log_items; item->mask; item++) {
            if (!strcmp(item->name, *p)) {
                break;
            }
        }
        if (!item->mask) {
            error_setg(errp, "-d: unknown log item '%s' "
                       "(use -d help for a list)", *p);
            return 0;
        }
        mask |= item->mask;
    }
    return mask;
}

bool qemu_set_log_filename_flags(const char *filename, int log_flags,
                                 Error **errp)
{
    FILE *f = NULL;

    if (filename) {
        f = fopen(filename, "a");
        if (!f) {
            error_setg_errno(errp, errno, "-D: cannot open log file '%s'",
                             filename);
            return false;
        }
        setvbuf(f, NULL, _IOLBF, 0);
    }

    g_mutex_lock(&log_lock);
    if (log_file) {
        fclose(log_file);
    }
    log_file = f;
    qemu_loglevel = log_flags;
    g_mutex_unlock(&log_lock);
    return true;
}

void qemu_print_log_usage(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (const QEMULogItem *item = qemu_log_items; item->mask; item++) {
        fprintf(f, "%-15s %s\n", item->name, item->help);
    }
}
