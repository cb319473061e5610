/*
 * harness-mem.c: a flat physical address space for the CPU harness,
 * standing in for softmmu/memory.c until that lands: a fixed list of
 * RAM, ROM and MMIO regions, looked up linearly.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "harness.h"

static MemoryRegion *regions[16];
static hwaddr bases[16];
static int nregions;

void harness_map(MemoryRegion *mr, hwaddr base)
{
    g_assert(nregions < 16);
    regions[nregions] = mr;
    bases[nregions++] = base;
}

MemoryRegion *address_space_translate(AddressSpace *as, hwaddr addr,
                                      hwaddr *xlat, hwaddr *plen,
                                      bool is_write, MemTxAttrs attrs)
{
    for (int i = 0; i < nregions; i++) {
        if (addr >= bases[i] && addr - bases[i] < regions[i]->size) {
            *xlat = addr - bases[i];
            *plen = MIN(*plen, regions[i]->size - *xlat);
            return regions[i];
        }
    }
    return NULL;
}

bool memory_region_is_ram(MemoryRegion *mr)
{
    return mr->kind == MR_KIND_RAM || mr->kind == MR_KIND_ROM;
}

bool memory_region_is_rom(MemoryRegion *mr)
{
    return mr->kind == MR_KIND_ROM;
}

void *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    return mr->ram_ptr;
}

static MemTxResult rw(hwaddr addr, void *buf, hwaddr len, bool is_write)
{
    hwaddr xlat, l = len;
    MemoryRegion *mr = address_space_translate(NULL, addr, &xlat, &l,
                                               is_write,
                                               MEMTXATTRS_UNSPECIFIED);
    uint64_t v = 0;

    if (!mr || l < len) {
        return MEMTX_DECODE_ERROR;
    }
    if (memory_region_is_ram(mr)) {
        if (is_write) {
            memcpy((uint8_t *)mr->ram_ptr + xlat, buf, len);
        } else {
            memcpy(buf, (uint8_t *)mr->ram_ptr + xlat, len);
        }
        return MEMTX_OK;
    }
    if (is_write) {
        memcpy(&v, buf, len);
        mr->ops->write(mr->opaque, xlat, v, len);
    } else {
        v = mr->ops->read(mr->opaque, xlat, len);
        memcpy(buf, &v, len);
    }
    return MEMTX_OK;
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr,
                               MemTxAttrs attrs, void *buf, hwaddr len)
{
    return rw(addr, buf, len, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                MemTxAttrs attrs, const void *buf,
                                hwaddr len)
{
    return rw(addr, (void *)buf, len, true);
}
