/* harness.h: the CPU developer harness's memory map. */
#ifndef TESTS_TCG_HARNESS_H
#define TESTS_TCG_HARNESS_H

#include "exec/memory.h"

/* Map @mr at @base in the harness's flat address space. */
void harness_map(MemoryRegion *mr, hwaddr base);

#endif
