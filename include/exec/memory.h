/*
 * memory.h: the memory API.
 *
 * A board builds a tree of MemoryRegions (RAM, ROM, MMIO, aliases and
 * containers whose subregions may overlap, resolved by priority) under the
 * system memory root.  Each AddressSpace flattens its tree into a sorted,
 * immutable FlatView whenever the tree changes; lookups are a binary
 * search over that view.
 *
 * Threads and locking:
 *  - Building or changing the tree (init, add/del subregion, set_enabled,
 *    set_address, transactions) requires the big lock.
 *  - address_space_translate() and address_space_read/write() may be
 *    called from vCPU threads WITHOUT the big lock: the FlatView they use
 *    is replaced atomically and an old view is freed only when no reader
 *    can still hold it.
 *  - MMIO callbacks (MemoryRegionOps) of regions with global locking (the
 *    default) always run with the big lock held: address_space_read/write
 *    and memory_region_dispatch_read/write take it around the callback
 *    when the calling thread does not already hold it.
 *  - RAM is accessed through host pointers and never takes the lock.
 *
 * Unassigned addresses read as 0, ignore writes, are logged under
 * "-d guest_errors", and return MEMTX_DECODE_ERROR (which a CPU turns
 * into an access fault where the board asks for that).
 */
#ifndef EXEC_MEMORY_H
#define EXEC_MEMORY_H

#include "exec/hwaddr.h"

typedef struct Object Object;
typedef struct Error Error;
typedef struct MemoryRegion MemoryRegion;
typedef struct MemoryRegionOps MemoryRegionOps;
typedef struct AddressSpace AddressSpace;
typedef struct FlatView FlatView;

/* Attributes of a transaction (who is asking); mostly unused on RISC-V. */
typedef struct MemTxAttrs {
    unsigned int unspecified:1;
    unsigned int secure:1;
    unsigned int user:1;
    unsigned int requester_id:16;
} MemTxAttrs;

#define MEMTXATTRS_UNSPECIFIED ((MemTxAttrs) { .unspecified = 1 })

typedef uint32_t MemTxResult;
#define MEMTX_OK           0
#define MEMTX_ERROR        (1U << 0)   /* device returned an error */
#define MEMTX_DECODE_ERROR (1U << 1)   /* nothing at that address */
#define MEMTX_ACCESS_ERROR (1U << 2)   /* access size/alignment refused */

enum device_endian {
    DEVICE_NATIVE_ENDIAN,   /* the target's: little for RISC-V */
    DEVICE_BIG_ENDIAN,
    DEVICE_LITTLE_ENDIAN,
};

/*
 * Access sizes are in bytes (1, 2, 4, 8).
 * valid: what the guest may do; other accesses are refused (logged under
 *        guest_errors, MEMTX_ACCESS_ERROR; reads return 0).
 * impl:  what the callbacks implement; the core splits or widens accesses
 *        within valid to fit impl.  Zero means "same as valid" (and, for
 *        both, 1..4 bytes).
 */
struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t data, unsigned size);
    MemTxResult (*read_with_attrs)(void *opaque, hwaddr addr,
                                   uint64_t *data, unsigned size,
                                   MemTxAttrs attrs);
    MemTxResult (*write_with_attrs)(void *opaque, hwaddr addr,
                                    uint64_t data, unsigned size,
                                    MemTxAttrs attrs);
    enum device_endian endianness;
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned;
        bool (*accepts)(void *opaque, hwaddr addr, unsigned size,
                        bool is_write, MemTxAttrs attrs);
    } valid;
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
        bool unaligned;
    } impl;
};

typedef enum MemoryRegionKind {
    MR_KIND_CONTAINER,      /* no content of its own; holds subregions */
    MR_KIND_RAM,
    MR_KIND_ROM,            /* RAM the guest cannot write */
    MR_KIND_IO,             /* MMIO through ops */
    MR_KIND_ALIAS,          /* a window onto part of another region */
} MemoryRegionKind;

/*
 * A node of the memory tree.  Callers allocate it (usually embedded in a
 * device state) and initialise it with one memory_region_init_*().
 * Fields are private to softmmu/memory.c; use the accessors.
 */
struct MemoryRegion {
    MemoryRegionKind kind;
    Object *owner;
    char *name;
    uint64_t size;
    bool enabled;
    bool readonly;          /* for RAM: guest writes are dropped */
    bool global_locking;    /* MMIO callbacks need the big lock (default) */

    /* RAM and ROM */
    void *ram_ptr;          /* host memory; not owned for _ram_ptr */
    bool ram_owned;         /* mmap'ed by memory_region_init_ram() */

    /* MMIO */
    const MemoryRegionOps *ops;
    void *opaque;

    /* Alias */
    MemoryRegion *alias;
    hwaddr alias_offset;

    /* Position in the parent container */
    MemoryRegion *container;
    hwaddr addr;
    int priority;
    bool may_overlap;
    GPtrArray *subregions;  /* MemoryRegion *, sorted by priority desc */

    /* Address spaces whose root is this region (for re-flattening). */
    GSList *address_spaces;

    /* RAM dirty tracking is left for later (migration, display). */
};

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatView *current_map;      /* atomically replaced, see above */
    unsigned readers;           /* lockless readers of current_map */
    GSList *retired;            /* old views waiting for readers == 0 */
    GArray *notifiers;          /* topology notifiers; big lock */
};

/* The system bus and its address space (for the CPUs and DMA). */
MemoryRegion *get_system_memory(void);
extern AddressSpace address_space_memory;

/* Initialisers.  Names appear in "info mtree". */
void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size);
void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
/* RAM on caller-provided host memory (e.g. from a memory backend). */
void memory_region_init_ram_ptr(MemoryRegion *mr, Object *owner,
                                const char *name, uint64_t size, void *ptr);
/* Anonymous RAM, zero-filled; false with errp set if mmap fails. */
bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp);
/* ROM: guest-read-only RAM; the board fills it with memcpy into
 * memory_region_get_ram_ptr() or rom loaders. */
bool memory_region_init_rom(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp);
void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
/* Undo an init (region must not be mapped). */
void memory_region_finalize(MemoryRegion *mr);

/* Tree edits (big lock). */
void memory_region_add_subregion(MemoryRegion *mr, hwaddr offset,
                                 MemoryRegion *subregion);
void memory_region_add_subregion_overlap(MemoryRegion *mr, hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority);
void memory_region_del_subregion(MemoryRegion *mr, MemoryRegion *subregion);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_readonly(MemoryRegion *mr, bool readonly);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);
void memory_region_set_size(MemoryRegion *mr, uint64_t size);
void memory_region_set_alias_offset(MemoryRegion *mr, hwaddr offset);
/* Lockless MMIO (callbacks do their own locking). */
void memory_region_clear_global_locking(MemoryRegion *mr);

/* Batch several edits into one re-flattening (nestable). */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);

/* Queries */
uint64_t memory_region_size(MemoryRegion *mr);
const char *memory_region_name(const MemoryRegion *mr);
bool memory_region_is_ram(MemoryRegion *mr);     /* RAM or ROM */
/* True for ROM and for RAM made read-only: guest writes are dropped, so
 * a CPU must not cache a writable host pointer for it. */
bool memory_region_is_rom(MemoryRegion *mr);
bool memory_region_is_mapped(MemoryRegion *mr);
void *memory_region_get_ram_ptr(MemoryRegion *mr);
Object *memory_region_owner(MemoryRegion *mr);

/* Direct dispatch into one region (offset relative to it). */
MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr addr,
                                        uint64_t *pval, unsigned size,
                                        MemTxAttrs attrs);
MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr addr,
                                         uint64_t val, unsigned size,
                                         MemTxAttrs attrs);

/* Address spaces */
void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name);
void address_space_destroy(AddressSpace *as);

/*
 * Find what backs @addr: returns the terminal region (RAM, ROM or MMIO;
 * aliases resolved) with *xlat = offset inside it and *plen clipped to
 * the end of that flat range.  Returns NULL where nothing is mapped.
 * For RAM, memory_region_get_ram_ptr(mr) + *xlat is the host pointer,
 * valid for *plen bytes.  Safe without the big lock.
 */
MemoryRegion *address_space_translate(AddressSpace *as, hwaddr addr,
                                      hwaddr *xlat, hwaddr *plen,
                                      bool is_write, MemTxAttrs attrs);

/* Byte-wise access of any length across regions (little-endian guest). */
MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf,
                                hwaddr len);
MemTxResult address_space_rw(AddressSpace *as, hwaddr addr,
                             MemTxAttrs attrs, void *buf, hwaddr len,
                             bool is_write);
/* Write into ROM too (loaders, qtest "write" does not: it follows the
 * guest's view). */
MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    MemTxAttrs attrs, const void *buf,
                                    hwaddr len);

/* Sized accesses, little-endian; *result may be NULL. */
uint32_t address_space_ldub(AddressSpace *as, hwaddr addr,
                            MemTxAttrs attrs, MemTxResult *result);
uint32_t address_space_lduw_le(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, MemTxResult *result);
uint32_t address_space_ldl_le(AddressSpace *as, hwaddr addr,
                              MemTxAttrs attrs, MemTxResult *result);
uint64_t address_space_ldq_le(AddressSpace *as, hwaddr addr,
                              MemTxAttrs attrs, MemTxResult *result);
void address_space_stb(AddressSpace *as, hwaddr addr, uint32_t val,
                       MemTxAttrs attrs, MemTxResult *result);
void address_space_stw_le(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxAttrs attrs, MemTxResult *result);
void address_space_stl_le(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxAttrs attrs, MemTxResult *result);
void address_space_stq_le(AddressSpace *as, hwaddr addr, uint64_t val,
                          MemTxAttrs attrs, MemTxResult *result);

/* Convenience on address_space_memory, ignoring errors. */
void cpu_physical_memory_read(hwaddr addr, void *buf, hwaddr len);
void cpu_physical_memory_write(hwaddr addr, const void *buf, hwaddr len);

/*
 * Notifier for vCPUs: called (big lock held) after the flat view of
 * @as changed, so software TLBs holding host pointers can be flushed.
 */
typedef void (*MemoryTopologyNotify)(AddressSpace *as, void *opaque);
void address_space_add_topology_notifier(AddressSpace *as,
                                         MemoryTopologyNotify fn,
                                         void *opaque);

/* "info mtree [-f]" text, in QEMU's format (caller frees). */
char *memory_mtree_info(bool flatview);

#endif /* EXEC_MEMORY_H */
