/*
 * loader-rom.c: LoaderTarget that writes into the system address space,
 * ROM included, for the board's use once the memory API is linked.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "hw/core/loader.h"

static bool write_rom(void *opaque, hwaddr addr, const void *data,
                      size_t len)
{
    return address_space_write_rom(opaque, addr, MEMTXATTRS_UNSPECIFIED,
                                   data, len) == MEMTX_OK;
}

void loader_target_rom(LoaderTarget *t, hwaddr ram_base, uint64_t ram_size)
{
    *t = (LoaderTarget) {
        .write = write_rom,
        .opaque = &address_space_memory,
        .ram_base = ram_base,
        .ram_size = ram_size,
    };
}
