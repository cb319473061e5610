/* hwaddr.h: guest physical addresses. */
#ifndef EXEC_HWADDR_H
#define EXEC_HWADDR_H

typedef uint64_t hwaddr;
#define HWADDR_MAX UINT64_MAX
#define HWADDR_PRIx PRIx64
#define HWADDR_PRId PRId64
#define TARGET_FMT_plx "%016" PRIx64

#endif
