/*
 * hmp.h: the human monitor's command table and argument parsing, shared
 * by hmp.c (parser, help, dispatch) and hmp-cmds.c (the commands).
 */
#ifndef MONITOR_HMP_H
#define MONITOR_HMP_H

#include "monitor-internal.h"

#define HMP_MAX_ARGS 4

/* "/4xw": count, format letter, unit size in bytes (-1: not given). */
typedef struct HmpFormat {
    int count;
    char format;
    int size;
} HmpFormat;

/* A command's parsed arguments, in the order of its spec. */
typedef struct HmpArgs {
    int n;
    const char *str[HMP_MAX_ARGS];  /* string arguments (NULL: absent) */
    int64_t num[HMP_MAX_ARGS];      /* number arguments */
    bool has[HMP_MAX_ARGS];
    HmpFormat fmt;                  /* the /fmt argument, if any */
} HmpArgs;

typedef struct HmpCommand HmpCommand;

/*
 * One command.  @args lists its arguments, one letter each:
 *   s  a word or "quoted string"       S  the same, optional
 *   R  the rest of the line, optional
 *   i  an integer expression           I  the same, optional
 *   /  an optional "/fmt" (x, xp)
 * Parse errors print QEMU's texts ("NAME: string expected", "unexpected
 * end of expression", "invalid char 'c' in expression", "NAME:
 * extraneous characters at the end of line") and the hint line.
 */
struct HmpCommand {
    const char *name;           /* "q|quit": aliases separated by '|' */
    const char *args;
    const char *params;         /* for help: "/fmt addr" */
    const char *help;
    void (*cmd)(Monitor *mon, const HmpArgs *args);
    const HmpCommand *sub;      /* "info": its subcommands */
};

extern const HmpCommand hmp_cmds[];
extern const HmpCommand hmp_info_cmds[];

#endif /* MONITOR_HMP_H */
