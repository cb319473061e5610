/*
 * loader.h: loading guest images (ELF, raw, U-Boot uImage, Linux Image)
 * into guest memory before the machine starts.
 *
 * Loaders read the whole file into host memory, check it, and write its
 * bytes through a LoaderTarget callback, so they run (and are tested)
 * without the memory API; loader_target_rom() targets
 * address_space_write_rom() on the system address space.  They run at
 * machine creation, under the big lock, before any vCPU runs.  Errors
 * are one line naming the option (-kernel, -bios, -initrd) and the fix.
 */
#ifndef HW_CORE_LOADER_H
#define HW_CORE_LOADER_H

#include "exec/hwaddr.h"
#include "qapi/error.h"

/* Store @len bytes at guest physical @addr; false if it cannot. */
typedef bool (*LoaderWriteFn)(void *opaque, hwaddr addr,
                              const void *data, size_t len);

typedef struct LoaderTarget {
    LoaderWriteFn write;
    void *opaque;
    hwaddr ram_base;            /* images must lie in [base, base+size) */
    uint64_t ram_size;
} LoaderTarget;

/* What a loader placed: bytes [low, high) and where to jump. */
typedef struct LoadedImage {
    hwaddr entry;
    hwaddr low;
    hwaddr high;
} LoadedImage;

/* U-Boot legacy image header (64 bytes, big-endian fields). */
#define UIMAGE_MAGIC            0x27051956
#define UIMAGE_HEADER_SIZE      64
#define UIMAGE_OS_LINUX         5
#define UIMAGE_ARCH_RISCV       26
#define UIMAGE_TYPE_KERNEL      2
#define UIMAGE_COMP_NONE        0
#define UIMAGE_COMP_GZIP        1

/* Linux RISC-V Image header (Documentation/riscv/boot-image-header). */
#define RISCV_IMAGE_MAGIC2      0x05435352  /* "RSC\x05" little-endian */
#define RISCV_IMAGE_MAGIC2_OFFSET 0x38
#define RISCV_IMAGE_HEADER_SIZE 0x40

/*
 * Load an ELF64 little-endian RISC-V executable: each PT_LOAD segment at
 * its p_paddr, the bytes past p_filesz zeroed.  @out gets e_entry and the
 * lowest/highest loaded address.
 */
bool load_elf_riscv64(const char *option, const char *filename,
                      const LoaderTarget *t, LoadedImage *out, Error **errp);

/* Load @filename byte for byte at @addr (entry = @addr). */
bool load_image_raw(const char *option, const char *filename, hwaddr addr,
                    const LoaderTarget *t, LoadedImage *out, Error **errp);

/*
 * Load a legacy U-Boot uImage of type kernel, compression none or gzip,
 * at its header's load address; entry from the header.  Returns false
 * with no error set when the file is not a uImage at all.
 */
bool load_uimage(const char *option, const char *filename,
                 const LoaderTarget *t, LoadedImage *out, Error **errp);

/*
 * If @buf starts with a Linux RISC-V Image header, return true and its
 * image_size (the memory the kernel needs, bss included; 0 if unknown).
 */
bool riscv_image_header_parse(const uint8_t *buf, size_t len,
                              uint64_t *image_size);

/*
 * -kernel/-bios: ELF, else uImage, else (gzip-decompressed) raw image at
 * @raw_addr.  A raw Linux Image must fit RAM with its image_size.
 */
bool load_image_auto(const char *option, const char *filename,
                     hwaddr raw_addr, const LoaderTarget *t,
                     LoadedImage *out, Error **errp);

/* Fail if images @a (from @opt_a) and @b (from @opt_b) overlap. */
bool loader_check_overlap(const char *opt_a, const LoadedImage *a,
                          const char *opt_b, const LoadedImage *b,
                          Error **errp);

/*
 * A target writing through address_space_write_rom() on
 * address_space_memory (ROM included); big lock held.
 */
void loader_target_rom(LoaderTarget *t, hwaddr ram_base, uint64_t ram_size);

#endif /* HW_CORE_LOADER_H */
