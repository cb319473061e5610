/*
 * log.h: the -d / -D debug log.
 *
 * Items are selected with "-d item[,item]" (see "-d help") and written to
 * stderr or to the file named by "-D".  Device models report guest
 * misbehaviour with
 *     qemu_log_mask(LOG_GUEST_ERROR, "%s: bad offset 0x%" PRIx64 "\n",
 *                   __func__, offset);
 * and features they do not model with LOG_UNIMP.  qemu_log() and friends
 * are thread-safe: each call writes whole lines under a lock.
 */
#ifndef QEMU_LOG_H
#define QEMU_LOG_H

typedef struct Error Error;

#define CPU_LOG_TB_OUT_ASM  (1 << 0)
#define CPU_LOG_TB_IN_ASM   (1 << 1)
#define CPU_LOG_TB_OP       (1 << 2)
#define CPU_LOG_TB_OP_OPT   (1 << 3)
#define CPU_LOG_INT         (1 << 4)
#define CPU_LOG_EXEC        (1 << 5)
#define CPU_LOG_PCALL       (1 << 6)
#define CPU_LOG_TB_CPU      (1 << 8)
#define CPU_LOG_RESET       (1 << 9)
#define LOG_UNIMP           (1 << 10)
#define LOG_GUEST_ERROR     (1 << 11)
#define CPU_LOG_MMU         (1 << 12)
#define CPU_LOG_PAGE        (1 << 14)
#define LOG_STRACE          (1 << 19)

/* Mask of enabled items; read without a lock on hot paths. */
extern int qemu_loglevel;

static inline bool qemu_loglevel_mask(int mask)
{
    return (qemu_loglevel & mask) != 0;
}

void qemu_log(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void qemu_log_vprintf(const char *fmt, va_list ap) G_GNUC_PRINTF(1, 0);

#define qemu_log_mask(mask, fmt, ...)                 \
    do {                                              \
        if (unlikely(qemu_loglevel_mask(mask))) {     \
            qemu_log(fmt, ## __VA_ARGS__);            \
        }                                             \
    } while (0)

/* Hold the log for several calls that must stay together. */
FILE *qemu_log_trylock(void);
void qemu_log_unlock(FILE *logfile);

typedef struct QEMULogItem {
    int mask;
    const char *name;
    const char *help;
} QEMULogItem;

extern const QEMULogItem qemu_log_items[];

/*
 * Parse "-d" text ("guest_errors,unimp"); returns the mask, or 0 with
 * *errp set for an unknown item.  "help" must be handled by the caller.
 */
int qemu_str_to_log_mask(const char *str, Error **errp);
/* Set the mask and the file ("-D"; NULL = stderr).  False with errp set
 * when the file cannot be opened. */
bool qemu_set_log_filename_flags(const char *filename, int log_flags,
                                 Error **errp);
/* Print the "-d help" list to @f. */
void qemu_print_log_usage(FILE *f);

#endif /* QEMU_LOG_H */
