/*
 * osdep.h: the first header every Machina source file includes.
 *
 * It pulls in the C library, POSIX and GLib headers that the whole tree
 * uses, and defines the handful of macros (container_of, alignment,
 * compiler hints) that QEMU-style code expects to find everywhere.
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <inttypes.h>
#include <limits.h>
#include <errno.h>
#include <assert.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <glib.h>

#ifndef container_of
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#ifndef likely
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#ifndef MIN
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#endif

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/* Alignment helpers; @n must be a power of two for the _POW2 forms. */
#define QEMU_ALIGN_DOWN(n, m) ((n) / (m) * (m))
#define QEMU_ALIGN_UP(n, m)   QEMU_ALIGN_DOWN((n) + (m) - 1, (m))
#define QEMU_IS_ALIGNED(n, m) (((n) % (m)) == 0)
#define ROUND_UP(n, d)        QEMU_ALIGN_UP(n, d)
#define DIV_ROUND_UP(n, d)    (((n) + (d) - 1) / (d))

#define QEMU_NORETURN      __attribute__((noreturn))
#define QEMU_PACKED        __attribute__((packed))
#define QEMU_ALWAYS_INLINE __attribute__((always_inline))
#define QEMU_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#define QEMU_FALLTHROUGH   __attribute__((fallthrough))

#define KiB (INT64_C(1) << 10)
#define MiB (INT64_C(1) << 20)
#define GiB (INT64_C(1) << 30)
#define TiB (INT64_C(1) << 40)

#define NANOSECONDS_PER_SECOND 1000000000LL

#define QEMU_BUILD_BUG_ON(x) _Static_assert(!(x), #x)

/* Stringify after macro expansion. */
#define stringify(s)  tostring(s)
#define tostring(s)   #s

#endif /* QEMU_OSDEP_H */
