/*
 * physmem.c: accesses through address spaces and MMIO dispatch.
 *
 * RAM is copied through host pointers.  MMIO is cut into accesses the
 * region accepts (valid sizes and alignment) and then adjusted to what
 * its callbacks implement (impl sizes), little-endian on the guest side.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "exec/memory.h"
#include "memory-internal.h"

static unsigned valid_min(const MemoryRegionOps *ops)
{
    return ops->valid.min_access_size ? ops->valid.min_access_size : 1;
}

static unsigned valid_max(const MemoryRegionOps *ops)
{
    return ops->valid.max_access_size ? ops->valid.max_access_size : 4;
}

static unsigned impl_min(const MemoryRegionOps *ops)
{
    return ops->impl.min_access_size ? ops->impl.min_access_size
                                     : valid_min(ops);
}

static unsigned impl_max(const MemoryRegionOps *ops)
{
    return ops->impl.max_access_size ? ops->impl.max_access_size
                                     : valid_max(ops);
}

static bool access_valid(MemoryRegion *mr, hwaddr addr, unsigned size,
                         bool is_write, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    const char *why = NULL;

    if (size < valid_min(ops) || size > valid_max(ops)) {
        why = "invalid size";
    } else if (!ops->valid.unaligned && (addr & (size - 1))) {
        why = "unaligned";
    } else if (ops->valid.accepts
               && !ops->valid.accepts(mr->opaque, addr, size, is_write,
                                      attrs)) {
        why = "rejected";
    }
    if (why) {
        qemu_log_mask(LOG_GUEST_ERROR, "Invalid %s at addr 0x%" PRIx64
                      ", size %u, region '%s', reason: %s\n",
                      is_write ? "write" : "read", addr, size, mr->name,
                      why);
        return false;
    }
    return true;
}

static MemTxResult call_read(MemoryRegion *mr, hwaddr addr, uint64_t *val,
                             unsigned size, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;

    if (ops->read_with_attrs) {
        return ops->read_with_attrs(mr->opaque, addr, val, size, attrs);
    }
    *val = ops->read ? ops->read(mr->opaque, addr, size) : 0;
    return MEMTX_OK;
}

static MemTxResult call_write(MemoryRegion *mr, hwaddr addr, uint64_t val,
                              unsigned size, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;

    if (ops->write_with_attrs) {
        return ops->write_with_attrs(mr->opaque, addr, val, size, attrs);
    }
    if (ops->write) {
        ops->write(mr->opaque, addr, val, size);
    }
    return MEMTX_OK;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (size * 8)) - 1;
}

/*
 * Fit one valid access to the callbacks: wider accesses are split into
 * impl_max pieces (little-endian order), narrower ones are widened to an
 * aligned impl_min access and the wanted bytes extracted or shifted in.
 */
static MemTxResult access_adjusted(MemoryRegion *mr, hwaddr addr,
                                   uint64_t *val, unsigned size,
                                   bool is_write, MemTxAttrs attrs)
{
    const MemoryRegionOps *ops = mr->ops;
    unsigned access = MIN(MAX(size, impl_min(ops)), impl_max(ops));
    MemTxResult r = MEMTX_OK;

    if (access > size) {
        hwaddr base = ops->impl.unaligned ? addr : addr & ~(hwaddr)(access - 1);
        unsigned shift = (addr - base) * 8;
        uint64_t tmp = 0;

        if (is_write) {
            return call_write(mr, base, (*val & size_mask(size)) << shift,
                              access, attrs);
        }
        r = call_read(mr, base, &tmp, access, attrs);
        *val = (tmp >> shift) & size_mask(size);
        return r;
    }

    if (!is_write) {
        *val = 0;
    }
    for (unsigned done = 0; done < size; done += access) {
        uint64_t piece = is_write ? (*val >> (done * 8)) & size_mask(access)
                                  : 0;

        if (is_write) {
            r |= call_write(mr, addr + done, piece, access, attrs);
        } else {
            r |= call_read(mr, addr + done, &piece, access, attrs);
            *val |= (piece & size_mask(access)) << (done * 8);
        }
    }
    return r;
}

static uint64_t swap_for_device(MemoryRegion *mr, uint64_t val,
                                unsigned size)
{
    if (mr->ops->endianness != DEVICE_BIG_ENDIAN) {
        return val;
    }
    switch (size) {
    case 2:
        return __builtin_bswap16(val);
    case 4:
        return __builtin_bswap32(val);
    case 8:
        return __builtin_bswap64(val);
    default:
        return val;
    }
}

/*
 * Run @fn under the big lock if the region needs it and this thread does
 * not hold it already (vCPU threads reach MMIO without it).
 */
static MemTxResult dispatch_locked(MemoryRegion *mr, hwaddr addr,
                                   uint64_t *val, unsigned size,
                                   bool is_write, MemTxAttrs attrs)
{
    bool take = mr->global_locking && !qemu_mutex_iothread_locked();
    MemTxResult r;

    if (take) {
        qemu_mutex_lock_iothread();
    }
    r = access_adjusted(mr, addr, val, size, is_write, attrs);
    if (take) {
        qemu_mutex_unlock_iothread();
    }
    return r;
}

MemTxResult memory_region_dispatch_read(MemoryRegion *mr, hwaddr addr,
                                        uint64_t *pval, unsigned size,
                                        MemTxAttrs attrs)
{
    MemTxResult r;

    if (!access_valid(mr, addr, size, false, attrs)) {
        *pval = 0;
        return MEMTX_ACCESS_ERROR;
    }
    r = dispatch_locked(mr, addr, pval, size, false, attrs);
    *pval = swap_for_device(mr, *pval, size);
    return r;
}

MemTxResult memory_region_dispatch_write(MemoryRegion *mr, hwaddr addr,
                                         uint64_t val, unsigned size,
                                         MemTxAttrs attrs)
{
    if (!access_valid(mr, addr, size, true, attrs)) {
        return MEMTX_ACCESS_ERROR;
    }
    val = swap_for_device(mr, val, size);
    return dispatch_locked(mr, addr, &val, size, true, attrs);
}

/* ---- address space accesses --------------------------------------------- */

MemoryRegion *address_space_translate(AddressSpace *as, hwaddr addr,
                                      hwaddr *xlat, hwaddr *plen,
                                      bool is_write, MemTxAttrs attrs)
{
    FlatView *view = address_space_get_flatview(as);
    const FlatRange *fr = flatview_lookup(view, addr);
    MemoryRegion *mr = NULL;

    if (fr) {
        hwaddr delta = addr - fr->addr;

        mr = fr->mr;
        *xlat = fr->offset_in_region + delta;
        *plen = fr->size - delta;
    } else {
        *xlat = 0;
        *plen = 0;
    }
    address_space_put_flatview(as);
    return mr;
}

/* Largest access ≤ @len that the region accepts at @addr. */
static unsigned mmio_access_size(MemoryRegion *mr, hwaddr addr, hwaddr len)
{
    unsigned l = valid_max(mr->ops);

    while (l > len) {
        l >>= 1;
    }
    if (!mr->ops->valid.unaligned) {
        while (l > 1 && (addr & (l - 1))) {
            l >>= 1;
        }
    }
    return MAX(l, 1u);
}

static MemTxResult mmio_rw(MemoryRegion *mr, hwaddr offset, uint8_t *buf,
                           hwaddr len, bool is_write, MemTxAttrs attrs)
{
    MemTxResult r = MEMTX_OK;

    while (len) {
        unsigned l = mmio_access_size(mr, offset, len);
        uint64_t val = 0;

        if (is_write) {
            for (unsigned i = 0; i < l; i++) {
                val |= (uint64_t)buf[i] << (i * 8);
            }
            r |= memory_region_dispatch_write(mr, offset, val, l, attrs);
        } else {
            r |= memory_region_dispatch_read(mr, offset, &val, l, attrs);
            for (unsigned i = 0; i < l; i++) {
                buf[i] = val >> (i * 8);
            }
        }
        offset += l;
        buf += l;
        len -= l;
    }
    return r;
}

/* Distance from @addr to the next mapped range (or @len if none). */
static hwaddr unassigned_len(const FlatView *view, hwaddr addr, hwaddr len)
{
    for (guint i = 0; i < view->nr; i++) {
        if (view->ranges[i].addr > addr) {
            return MIN(len, view->ranges[i].addr - addr);
        }
    }
    return len;
}

static MemTxResult flatview_rw(FlatView *view, hwaddr addr,
                               MemTxAttrs attrs, uint8_t *buf, hwaddr len,
                               bool is_write, bool write_rom)
{
    MemTxResult r = MEMTX_OK;

    while (len) {
        const FlatRange *fr = flatview_lookup(view, addr);
        hwaddr l, off;

        if (!fr) {
            l = unassigned_len(view, addr, len);
            qemu_log_mask(LOG_GUEST_ERROR, "%s: unassigned %s at 0x%"
                          PRIx64 ", size %" PRIu64 "\n", __func__,
                          is_write ? "write" : "read", addr, l);
            if (!is_write) {
                memset(buf, 0, l);
            }
            r |= MEMTX_DECODE_ERROR;
        } else {
            off = fr->offset_in_region + (addr - fr->addr);
            l = MIN(len, fr->size - (addr - fr->addr));
            if (fr->mr->kind == MR_KIND_IO) {
                r |= mmio_rw(fr->mr, off, buf, l, is_write, attrs);
            } else if (!is_write) {
                memcpy(buf, (uint8_t *)fr->mr->ram_ptr + off, l);
            } else if (!fr->readonly || write_rom) {
                memcpy((uint8_t *)fr->mr->ram_ptr + off, buf, l);
            }
        }
        addr += l;
        buf += l;
        len -= l;
    }
    return r;
}

static MemTxResult as_rw(AddressSpace *as, hwaddr addr, MemTxAttrs attrs,
                         void *buf, hwaddr len, bool is_write,
                         bool write_rom)
{
    FlatView *view = address_space_get_flatview(as);
    MemTxResult r = flatview_rw(view, addr, attrs, buf, len, is_write,
                                write_rom);

    address_space_put_flatview(as);
    return r;
}

MemTxResult address_space_rw(AddressSpace *as, hwaddr addr,
                             MemTxAttrs attrs, void *buf, hwaddr len,
                             bool is_write)
{
    return as_rw(as, addr, attrs, buf, len, is_write, false);
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len)
{
    return as_rw(as, addr, attrs, buf, len, false, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf,
                                hwaddr len)
{
    return as_rw(as, addr, attrs, (void *)buf, len, true, false);
}

MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    MemTxAttrs attrs, const void *buf,
                                    hwaddr len)
{
    return as_rw(as, addr, attrs, (void *)buf, len, true, true);
}

/*
 * Sized accesses: when the whole access falls in one MMIO range it
 * reaches the device as one access of that size (devices care); other
 * cases go byte-wise through address_space_rw.
 */
static uint64_t as_load(AddressSpace *as, hwaddr addr, unsigned size,
                        MemTxAttrs attrs, MemTxResult *result)
{
    hwaddr xlat, plen;
    MemoryRegion *mr = address_space_translate(as, addr, &xlat, &plen,
                                               false, attrs);
    uint8_t buf[8];
    uint64_t val = 0;
    MemTxResult r;

    if (mr && mr->kind == MR_KIND_IO && plen >= size) {
        r = memory_region_dispatch_read(mr, xlat, &val, size, attrs);
    } else {
        r = address_space_read(as, addr, attrs, buf, size);
        for (unsigned i = 0; i < size; i++) {
            val |= (uint64_t)buf[i] << (i * 8);
        }
    }
    if (result) {
        *result = r;
    }
    return val;
}

static void as_store(AddressSpace *as, hwaddr addr, uint64_t val,
                     unsigned size, MemTxAttrs attrs, MemTxResult *result)
{
    hwaddr xlat, plen;
    MemoryRegion *mr = address_space_translate(as, addr, &xlat, &plen,
                                               true, attrs);
    uint8_t buf[8];
    MemTxResult r;

    if (mr && mr->kind == MR_KIND_IO && plen >= size) {
        r = memory_region_dispatch_write(mr, xlat, val, size, attrs);
    } else {
        for (unsigned i = 0; i < size; i++) {
            buf[i] = val >> (i * 8);
        }
        r = address_space_write(as, addr, attrs, buf, size);
    }
    if (result) {
        *result = r;
    }
}

uint32_t address_space_ldub(AddressSpace *as, hwaddr addr,
                            MemTxAttrs attrs, MemTxResult *result)
{
    return as_load(as, addr, 1, attrs, result);
}

uint32_t address_space_lduw_le(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, MemTxResult *result)
{
    return as_load(as, addr, 2, attrs, result);
}

uint32_t address_space_ldl_le(AddressSpace *as, hwaddr addr,
                              MemTxAttrs attrs, MemTxResult *result)
{
    return as_load(as, addr, 4, attrs, result);
}

uint64_t address_space_ldq_le(AddressSpace *as, hwaddr addr,
                              MemTxAttrs attrs, MemTxResult *result)
{
    return as_load(as, addr, 8, attrs, result);
}

void address_space_stb(AddressSpace *as, hwaddr addr, uint32_t val,
                       MemTxAttrs attrs, MemTxResult *result)
{
    as_store(as, addr, val, 1, attrs, result);
}

void address_space_stw_le(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxAttrs attrs, MemTxResult *result)
{
    as_store(as, addr, val, 2, attrs, result);
}

void address_space_stl_le(AddressSpace *as, hwaddr addr, uint32_t val,
                          MemTxAttrs attrs, MemTxResult *result)
{
    as_store(as, addr, val, 4, attrs, result);
}

void address_space_stq_le(AddressSpace *as, hwaddr addr, uint64_t val,
                          MemTxAttrs attrs, MemTxResult *result)
{
    as_store(as, addr, val, 8, attrs, result);
}

void cpu_physical_memory_read(hwaddr addr, void *buf, hwaddr len)
{
    address_space_read(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                       buf, len);
}

void cpu_physical_memory_write(hwaddr addr, const void *buf, hwaddr len)
{
    address_space_write(&address_space_memory, addr, MEMTXATTRS_UNSPECIFIED,
                        buf, len);
}
