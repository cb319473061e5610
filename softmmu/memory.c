/*
 * memory.c: the memory region tree and its flattening (see exec/memory.h).
 *
 * Rendering walks the tree from an address space's root and produces a
 * FlatView: a sorted array of non-overlapping ranges, each pointing at a
 * terminal region (RAM, ROM or MMIO) and the offset inside it.  Within a
 * container, subregions are visited from the highest priority down and
 * each one only fills what is still uncovered; a terminal region's own
 * content comes after its subregions, so subregions overlay it.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "exec/memory.h"
#include "memory-internal.h"

#include <sys/mman.h>

static MemoryRegion system_memory;
static bool system_memory_initialized;
AddressSpace address_space_memory;

/* All address spaces, for re-rendering after a change; big lock. */
static GPtrArray *address_spaces;

/* Nesting depth of memory_region_transaction_begin(); big lock. */
static unsigned transaction_depth;
static bool transaction_pending;

MemoryRegion *get_system_memory(void)
{
    if (!system_memory_initialized) {
        system_memory_initialized = true;
        memory_region_init(&system_memory, NULL, "system", UINT64_MAX);
        address_space_init(&address_space_memory, &system_memory, "memory");
    }
    return &system_memory;
}

/* ---- initialisation ---------------------------------------------------- */

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->kind = MR_KIND_CONTAINER;
    mr->owner = owner;
    mr->name = g_strdup(name);
    mr->size = size;
    mr->enabled = true;
    mr->global_locking = true;
    mr->subregions = g_ptr_array_new();
}

void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->kind = MR_KIND_IO;
    mr->ops = ops;
    mr->opaque = opaque;
}

void memory_region_init_ram_ptr(MemoryRegion *mr, Object *owner,
                                const char *name, uint64_t size, void *ptr)
{
    memory_region_init(mr, owner, name, size);
    mr->kind = MR_KIND_RAM;
    mr->ram_ptr = ptr;
}

/*
 * Anonymous private mappings with MAP_NORESERVE: the host commits a page
 * only when the guest first touches it, so an idle guest costs little.
 */
static void *ram_mmap(const char *name, uint64_t size, Error **errp)
{
    void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    if (ptr == MAP_FAILED) {
        error_setg_errno(errp, errno,
                         "cannot allocate %" PRIu64 " bytes for '%s'",
                         size, name);
        return NULL;
    }
    return ptr;
}

bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp)
{
    void *ptr = ram_mmap(name, size, errp);

    if (!ptr) {
        return false;
    }
    memory_region_init_ram_ptr(mr, owner, name, size, ptr);
    mr->ram_owned = true;
    return true;
}

bool memory_region_init_rom(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp)
{
    if (!memory_region_init_ram(mr, owner, name, size, errp)) {
        return false;
    }
    mr->kind = MR_KIND_ROM;
    mr->readonly = true;
    return true;
}

void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size)
{
    memory_region_init(mr, owner, name, size);
    mr->kind = MR_KIND_ALIAS;
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_finalize(MemoryRegion *mr)
{
    assert(!mr->container);
    assert(mr->subregions->len == 0);
    if (mr->ram_owned) {
        munmap(mr->ram_ptr, mr->size);
    }
    g_ptr_array_free(mr->subregions, TRUE);
    g_free(mr->name);
    memset(mr, 0, sizeof(*mr));
}

/* ---- tree edits --------------------------------------------------------- */

static void memory_region_update(void)
{
    if (transaction_depth) {
        transaction_pending = true;
        return;
    }
    for (guint i = 0; address_spaces && i < address_spaces->len; i++) {
        address_space_update_topology(g_ptr_array_index(address_spaces, i));
    }
}

void memory_region_transaction_begin(void)
{
    transaction_depth++;
}

void memory_region_transaction_commit(void)
{
    assert(transaction_depth > 0);
    if (--transaction_depth == 0 && transaction_pending) {
        transaction_pending = false;
        memory_region_update();
    }
}

/* Keep subregions sorted by descending priority, stable for equal ones. */
static void insert_sorted(MemoryRegion *mr, MemoryRegion *sub)
{
    guint i;

    for (i = 0; i < mr->subregions->len; i++) {
        MemoryRegion *other = g_ptr_array_index(mr->subregions, i);

        if (sub->priority > other->priority) {
            break;
        }
    }
    g_ptr_array_insert(mr->subregions, i, sub);
}

static void add_subregion_common(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *sub)
{
    assert(!sub->container);
    sub->container = mr;
    sub->addr = offset;
    insert_sorted(mr, sub);
    memory_region_update();
}

void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion)
{
    subregion->may_overlap = false;
    subregion->priority = 0;
    add_subregion_common(mr, offset, subregion);
}

void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority)
{
    subregion->may_overlap = true;
    subregion->priority = priority;
    add_subregion_common(mr, offset, subregion);
}

void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion)
{
    assert(subregion->container == mr);
    g_ptr_array_remove(mr->subregions, subregion);
    subregion->container = NULL;
    memory_region_update();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        memory_region_update();
    }
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    if (mr->readonly != readonly) {
        mr->readonly = readonly;
        memory_region_update();
    }
}

void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    MemoryRegion *container = mr->container;

    if (!container) {
        mr->addr = addr;
        return;
    }
    memory_region_transaction_begin();
    g_ptr_array_remove(container->subregions, mr);
    mr->addr = addr;
    insert_sorted(container, mr);
    memory_region_update();
    memory_region_transaction_commit();
}

void memory_region_set_size(MemoryRegion *mr, uint64_t size)
{
    mr->size = size;
    memory_region_update();
}

void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset)
{
    assert(mr->kind == MR_KIND_ALIAS);
    mr->alias_offset = offset;
    memory_region_update();
}

void memory_region_clear_global_locking(MemoryRegion *mr)
{
    mr->global_locking = false;
}

/* ---- queries ------------------------------------------------------------ */

uint64_t memory_region_size(MemoryRegion *mr)
{
    return mr->size;
}

const char *memory_region_name(const MemoryRegion *mr)
{
    return mr->name;
}

bool memory_region_is_ram(MemoryRegion *mr)
{
    return mr->kind == MR_KIND_RAM || mr->kind == MR_KIND_ROM;
}

bool memory_region_is_rom(MemoryRegion *mr)
{
    return mr->kind == MR_KIND_ROM || mr->readonly;
}

bool memory_region_is_mapped(MemoryRegion *mr)
{
    return mr->container != NULL;
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    while (mr->kind == MR_KIND_ALIAS) {
        mr = mr->alias;
    }
    return mr->ram_ptr;
}

Object *memory_region_owner(MemoryRegion *mr)
{
    return mr->owner;
}

/* ---- flattening --------------------------------------------------------- */

/*
 * Insert [start, end) of @mr (whose offset 0 sits at absolute @base) into
 * the gaps of @view that are still uncovered.  Ranges are kept sorted.
 */
static void flatview_fill_gaps(FlatView *view, MemoryRegion *mr,
                               Int128s base, Int128s start, Int128s end,
                               bool readonly)
{
    guint i = 0;

    while (start < end) {
        FlatRange *fr = NULL;
        Int128s gap_end = end;

        /* Skip ranges that end before @start. */
        while (i < view->nr) {
            fr = &view->ranges[i];
            if ((Int128s)fr->addr + fr->size > start) {
                break;
            }
            i++;
        }
        if (i < view->nr) {
            fr = &view->ranges[i];
            if ((Int128s)fr->addr <= start) {
                /* Covered already: move past this range. */
                start = (Int128s)fr->addr + fr->size;
                i++;
                continue;
            }
            gap_end = MIN(end, (Int128s)fr->addr);
        }
        flatview_insert(view, i, &(FlatRange) {
            .addr = (hwaddr)start,
            .size = (uint64_t)(gap_end - start),
            .mr = mr,
            .offset_in_region = (hwaddr)(start - base),
            .readonly = readonly,
        });
        i++;
        start = gap_end;
    }
}

/*
 * Render @mr placed at absolute @base, clipped to [clip_start, clip_end).
 * Sizes of UINT64_MAX mean "to the end of the 64-bit space", so absolute
 * arithmetic is done in 128 bits.
 */
static void render_region(FlatView *view, MemoryRegion *mr, Int128s base,
                          Int128s clip_start, Int128s clip_end,
                          bool readonly)
{
    Int128s start, end;
    Int128s size = mr->size == UINT64_MAX ? ((Int128s)1 << 64)
                                          : (Int128s)mr->size;

    if (!mr->enabled) {
        return;
    }
    start = MAX(base, clip_start);
    end = MIN(base + size, clip_end);
    if (start >= end) {
        return;
    }
    readonly |= mr->readonly;

    if (mr->kind == MR_KIND_ALIAS) {
        render_region(view, mr->alias, base - (Int128s)mr->alias_offset,
                      start, end, readonly);
        return;
    }

    for (guint i = 0; i < mr->subregions->len; i++) {
        MemoryRegion *sub = g_ptr_array_index(mr->subregions, i);

        render_region(view, sub, base + (Int128s)sub->addr, start, end,
                      readonly);
    }

    if (mr->kind != MR_KIND_CONTAINER) {
        flatview_fill_gaps(view, mr, base, start, end, readonly);
    }
}

/* Merge neighbours that continue the same region (fewer, larger ranges). */
static void flatview_simplify(FlatView *view)
{
    guint out = 0;

    for (guint i = 0; i < view->nr; i++) {
        FlatRange *prev = out ? &view->ranges[out - 1] : NULL;
        FlatRange *fr = &view->ranges[i];

        if (prev && prev->mr == fr->mr && prev->readonly == fr->readonly
            && prev->addr + prev->size == fr->addr
            && prev->offset_in_region + prev->size == fr->offset_in_region) {
            prev->size += fr->size;
            continue;
        }
        view->ranges[out++] = *fr;
    }
    view->nr = out;
}

FlatView *generate_memory_topology(MemoryRegion *root)
{
    FlatView *view = g_new0(FlatView, 1);

    view->root = root;
    if (root) {
        render_region(view, root, 0, 0, (Int128s)1 << 64, false);
        flatview_simplify(view);
    }
    return view;
}

void flatview_insert(FlatView *view, guint pos, const FlatRange *fr)
{
    if (view->nr == view->nr_allocated) {
        view->nr_allocated = MAX(16, view->nr_allocated * 2);
        view->ranges = g_renew(FlatRange, view->ranges, view->nr_allocated);
    }
    memmove(&view->ranges[pos + 1], &view->ranges[pos],
            (view->nr - pos) * sizeof(FlatRange));
    view->ranges[pos] = *fr;
    view->nr++;
}

void flatview_free(FlatView *view)
{
    g_free(view->ranges);
    g_free(view);
}

const FlatRange *flatview_lookup(const FlatView *view, hwaddr addr)
{
    guint lo = 0, hi = view->nr;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        const FlatRange *fr = &view->ranges[mid];

        if (addr < fr->addr) {
            hi = mid;
        } else if (addr - fr->addr >= fr->size) {
            lo = mid + 1;
        } else {
            return fr;
        }
    }
    return NULL;
}

/* ---- address spaces ----------------------------------------------------- */

typedef struct TopologyNotifier {
    MemoryTopologyNotify fn;
    void *opaque;
} TopologyNotifier;

/*
 * Readers (possibly vCPU threads without the big lock) bump as->readers
 * before loading current_map and drop it when done.  The writer publishes
 * the new view first and only then looks at the count: with sequentially
 * consistent atomics, a reader that the writer saw as absent must load
 * the new pointer, so old views can be freed once the count reads zero.
 * Views retired while readers were active wait on as->retired.
 */
FlatView *address_space_get_flatview(AddressSpace *as)
{

    __atomic_add_fetch(&as->readers, 1, __ATOMIC_SEQ_CST);
    return __atomic_load_n(&as->current_map, __ATOMIC_SEQ_CST);
}

void address_space_put_flatview(AddressSpace *as)
{

    __atomic_sub_fetch(&as->readers, 1, __ATOMIC_SEQ_CST);
}

static void address_space_reclaim(AddressSpace *as)
{

    if (__atomic_load_n(&as->readers, __ATOMIC_SEQ_CST) != 0) {
        return;
    }
    g_slist_free_full(as->retired, (GDestroyNotify)flatview_free);
    as->retired = NULL;
}

void address_space_update_topology(AddressSpace *as)
{
    FlatView *old = as->current_map;
    FlatView *view = generate_memory_topology(as->root);

    __atomic_store_n(&as->current_map, view, __ATOMIC_SEQ_CST);
    if (old) {
        as->retired = g_slist_prepend(as->retired, old);
    }
    address_space_reclaim(as);

    for (guint i = 0; i < as->notifiers->len; i++) {
        TopologyNotifier *n = &g_array_index(as->notifiers,
                                             TopologyNotifier, i);

        n->fn(as, n->opaque);
    }
}

void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name)
{
    memset(as, 0, sizeof(*as));
    as->name = g_strdup(name);
    as->root = root;
    as->notifiers = g_array_new(FALSE, TRUE, sizeof(TopologyNotifier));
    if (!address_spaces) {
        address_spaces = g_ptr_array_new();
    }
    g_ptr_array_add(address_spaces, as);
    address_space_update_topology(as);
}

void address_space_destroy(AddressSpace *as)
{

    g_ptr_array_remove(address_spaces, as);
    assert(as->readers == 0);
    address_space_reclaim(as);
    flatview_free(as->current_map);
    g_array_free(as->notifiers, TRUE);
    g_free(as->name);
    memset(as, 0, sizeof(*as));
}

void address_space_add_topology_notifier(AddressSpace *as,
                                         MemoryTopologyNotify fn,
                                         void *opaque)
{
    TopologyNotifier n = { .fn = fn, .opaque = opaque };

    g_array_append_val(as->notifiers, n);
}

GPtrArray *memory_address_spaces(void)
{
    return address_spaces;
}
