/*
 * memory-internal.h: the flattened view shared by memory.c (rendering)
 * and physmem.c (dispatch).  Not for devices.
 */
#ifndef SOFTMMU_MEMORY_INTERNAL_H
#define SOFTMMU_MEMORY_INTERNAL_H

#include "exec/memory.h"

/* Absolute addresses while rendering: 64-bit space plus its end. */
typedef __int128 Int128s;

/* One contiguous piece of a terminal region, at guest address @addr. */
typedef struct FlatRange {
    hwaddr addr;
    uint64_t size;
    MemoryRegion *mr;           /* RAM, ROM or I/O; never alias/container */
    hwaddr offset_in_region;
    bool readonly;
} FlatRange;

/* Immutable once published: readers use it without a lock. */
struct FlatView {
    MemoryRegion *root;
    FlatRange *ranges;          /* sorted by addr, non-overlapping */
    guint nr;
    guint nr_allocated;
};

FlatView *generate_memory_topology(MemoryRegion *root);
void flatview_insert(FlatView *view, guint pos, const FlatRange *fr);
void flatview_free(FlatView *view);
/* The range containing @addr, or NULL. */
const FlatRange *flatview_lookup(const FlatView *view, hwaddr addr);

/* Re-render @as and notify its topology listeners (big lock). */
void address_space_update_topology(AddressSpace *as);
/* Pin the current view for a lockless lookup; pair with _put_. */
FlatView *address_space_get_flatview(AddressSpace *as);
void address_space_put_flatview(AddressSpace *as);
/* Every initialised address space, in creation order. */
GPtrArray *memory_address_spaces(void);

#endif
