/*
 * boot.h: boot flow data of the RISC-V "virt" board.
 *
 * Pure functions (no device or memory state) that compute what the board
 * places in guest memory before the first instruction: the reset vector
 * in the mask ROM with OpenSBI's fw_dynamic_info, where the device tree,
 * kernel and initrd go, and where the default firmware is on the host.
 * All addresses are guest physical; callable from any thread.
 */
#ifndef HW_RISCV_BOOT_H
#define HW_RISCV_BOOT_H

#include "exec/hwaddr.h"
#include "qapi/error.h"
#include "hw/core/loader.h"

/* OpenSBI fw_dynamic protocol (docs/firmware/fw_dynamic.md). */
#define FW_DYNAMIC_INFO_MAGIC_VALUE     0x4942534fULL   /* "OSBI" */
#define FW_DYNAMIC_INFO_VERSION         2
#define FW_DYNAMIC_INFO_NEXT_MODE_U     0
#define FW_DYNAMIC_INFO_NEXT_MODE_S     1
#define FW_DYNAMIC_INFO_NEXT_MODE_M     3

/* Layout of the RV64 reset vector blob placed at the MROM base. */
#define RISCV_RESET_VEC_CODE_WORDS      6
#define RISCV_RESET_VEC_START_OFFSET    0x18    /* .dword start_addr */
#define RISCV_RESET_VEC_FDT_OFFSET      0x20    /* .dword fdt_addr */
#define RISCV_RESET_VEC_DINFO_OFFSET    0x28    /* fw_dynamic_info */
#define RISCV_FW_DYNAMIC_INFO_SIZE      (6 * 8) /* six XLEN fields */
#define RISCV_RESET_VEC_SIZE \
    (RISCV_RESET_VEC_DINFO_OFFSET + RISCV_FW_DYNAMIC_INFO_SIZE)

/* Placement rules (RV64). */
#define RISCV_KERNEL_ALIGN              (2 * MiB)
#define RISCV_FDT_ALIGN                 (2 * MiB)
#define RISCV_FDT_MAX_END               (3 * GiB)
#define RISCV_INITRD_MAX_OFFSET         (128 * MiB)

/* Name of the default firmware and the Debian package's copy. */
#define RISCV_DEFAULT_FIRMWARE          "fw_dynamic.bin"
#define RISCV_DEBIAN_FIRMWARE_DIR \
    "/usr/lib/riscv64-linux-gnu/opensbi/generic"

/*
 * Write the RV64 reset vector into @rom (little-endian): code that sets
 * a0 = mhartid, a1 = @fdt_addr, a2 = address of fw_dynamic_info and
 * jumps to @start_addr, followed by fw_dynamic_info {magic, version 2,
 * next_addr = @kernel_entry, next_mode S, options 0, boot_hart 0}.
 * @rom_base is where the blob will sit (the code is position independent
 * but a2 depends on it only through auipc, so any base works).  Returns
 * the number of bytes written, or 0 when @rom_size is too small.
 */
size_t riscv_setup_rom_reset_vec(uint8_t *rom, size_t rom_size,
                                 hwaddr start_addr, hwaddr fdt_addr,
                                 hwaddr kernel_entry);

/*
 * Where the DTB goes: the highest 2 MiB-aligned address that keeps the
 * @fdt_size bytes inside DRAM and below 3 GiB (so 32-bit code reaches
 * it).  Returns 0 and sets @errp if DRAM is too small.
 */
hwaddr riscv_compute_fdt_addr(hwaddr dram_base, uint64_t dram_size,
                              uint64_t fdt_size, Error **errp);

/* Load address of a raw kernel: after the firmware, 2 MiB aligned. */
hwaddr riscv_kernel_load_addr(hwaddr dram_base, hwaddr firmware_end);

/* initrd start: @kernel_entry + min(@ram_size / 2, 128 MiB). */
hwaddr riscv_initrd_addr(hwaddr kernel_entry, uint64_t ram_size);

/*
 * Find firmware file @name: if it names an existing file (from the
 * current directory) it is used as is; a name with a '/' is never
 * searched for; otherwise the -L directories, $MACHINA_FIRMWARE_PATH
 * (colon-separated), then
 * <prefix>/share/machina, then RISCV_DEBIAN_FIRMWARE_DIR.  Returns a
 * g_malloc'ed path, or NULL with @errp naming the places searched.
 */
char *riscv_find_firmware(const char *name, Error **errp);
/* -L DIR: search @dir first (before $MACHINA_FIRMWARE_PATH). */
void riscv_firmware_add_dir(const char *dir);

/* What the user asked for on the command line. */
typedef struct RiscvBootConfig {
    const char *bios;       /* NULL or "default": OpenSBI; "none": none */
    const char *kernel;     /* -kernel FILE or NULL */
    const char *initrd;     /* -initrd FILE or NULL (needs -kernel) */
    const char *append;     /* -append, only checked (needs -kernel) */
    hwaddr dram_base;
    uint64_t ram_size;      /* total RAM, all NUMA nodes */
} RiscvBootConfig;

/* What was loaded, for the device tree and the reset vector. */
typedef struct RiscvBootInfo {
    bool have_firmware;
    LoadedImage firmware;
    bool have_kernel;
    LoadedImage kernel;
    bool have_initrd;
    LoadedImage initrd;     /* /chosen/linux,initrd-start and -end */
    hwaddr start_addr;      /* where the reset vector jumps */
    hwaddr kernel_entry;    /* fw_dynamic_info next_addr; 0: no kernel */
} RiscvBootInfo;

/*
 * Load firmware, kernel and initrd through @t the way QEMU 7.2's virt
 * does: firmware (ELF or raw) at DRAM base; kernel as ELF, uImage or raw
 * at riscv_kernel_load_addr(); initrd at riscv_initrd_addr().  Without
 * firmware the reset vector jumps to the kernel (M-mode) or DRAM base.
 * Refuses -initrd/-append without -kernel, images that overlap or do not
 * fit in RAM.  The caller then builds the tree, places it with
 * riscv_compute_fdt_addr() and writes the reset vector.
 */
bool riscv_boot_load_images(const RiscvBootConfig *cfg,
                            const LoaderTarget *t, RiscvBootInfo *info,
                            Error **errp);

#endif /* HW_RISCV_BOOT_H */
