/*
 * boot.c: reset vector, placement rules and firmware search for the
 * RISC-V "virt" board.
 */
#include "qemu/osdep.h"
#include "hw/riscv/boot.h"
#include "hw/riscv/riscv-paths.h"

/* RISC-V register numbers and CSR used by the reset vector. */
#define REG_T0          5
#define REG_A0          10
#define REG_A1          11
#define REG_A2          12
#define CSR_MHARTID     0xf14

/* Opcodes and funct3 values (unprivileged spec, RV32I/RV64I base). */
#define OPC_AUIPC       0x17
#define OPC_OP_IMM      0x13
#define OPC_LOAD        0x03
#define OPC_JALR        0x67
#define OPC_SYSTEM      0x73
#define F3_ADDI         0
#define F3_LD           3
#define F3_CSRRS        2

static uint32_t insn_i(uint32_t opc, uint32_t f3, unsigned rd,
                       unsigned rs1, int32_t imm)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 |
           rd << 7 | opc;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = v >> (8 * i);
    }
}

static void put_le64(uint8_t *p, uint64_t v)
{
    put_le32(p, v);
    put_le32(p + 4, v >> 32);
}

size_t riscv_setup_rom_reset_vec(uint8_t *rom, size_t rom_size,
                                 hwaddr start_addr, hwaddr fdt_addr,
                                 hwaddr kernel_entry)
{
    const uint32_t code[RISCV_RESET_VEC_CODE_WORDS] = {
        /* auipc t0, 0: t0 = address of this blob */
        OPC_AUIPC | REG_T0 << 7,
        /* addi a2, t0, DINFO: a2 = &fw_dynamic_info */
        insn_i(OPC_OP_IMM, F3_ADDI, REG_A2, REG_T0,
               RISCV_RESET_VEC_DINFO_OFFSET),
        /* csrr a0, mhartid (csrrs a0, mhartid, x0) */
        insn_i(OPC_SYSTEM, F3_CSRRS, REG_A0, 0, CSR_MHARTID),
        /* ld a1, FDT(t0) */
        insn_i(OPC_LOAD, F3_LD, REG_A1, REG_T0, RISCV_RESET_VEC_FDT_OFFSET),
        /* ld t0, START(t0) */
        insn_i(OPC_LOAD, F3_LD, REG_T0, REG_T0,
               RISCV_RESET_VEC_START_OFFSET),
        /* jr t0 (jalr x0, 0(t0)) */
        insn_i(OPC_JALR, 0, 0, REG_T0, 0),
    };
    uint8_t *dinfo = rom + RISCV_RESET_VEC_DINFO_OFFSET;

    if (rom_size < RISCV_RESET_VEC_SIZE) {
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(code); i++) {
        put_le32(rom + i * 4, code[i]);
    }
    put_le64(rom + RISCV_RESET_VEC_START_OFFSET, start_addr);
    put_le64(rom + RISCV_RESET_VEC_FDT_OFFSET, fdt_addr);

    /* fw_dynamic_info: magic, version, next_addr, next_mode, options,
     * boot_hart (0: OpenSBI 1.x ignores it with cold-boot lottery). */
    put_le64(dinfo + 0, FW_DYNAMIC_INFO_MAGIC_VALUE);
    put_le64(dinfo + 8, FW_DYNAMIC_INFO_VERSION);
    put_le64(dinfo + 16, kernel_entry);
    put_le64(dinfo + 24, FW_DYNAMIC_INFO_NEXT_MODE_S);
    put_le64(dinfo + 32, 0);
    put_le64(dinfo + 40, 0);
    return RISCV_RESET_VEC_SIZE;
}

hwaddr riscv_compute_fdt_addr(hwaddr dram_base, uint64_t dram_size,
                              uint64_t fdt_size, Error **errp)
{
    hwaddr end = MIN(dram_base + dram_size, (hwaddr)RISCV_FDT_MAX_END);

    if (end < dram_base + fdt_size) {
        error_setg(errp, "-m: %" PRIu64 " bytes of RAM below 3 GiB cannot "
                   "hold the %" PRIu64 "-byte device tree; give more -m",
                   end > dram_base ? end - dram_base : 0, fdt_size);
        return 0;
    }
    return QEMU_ALIGN_DOWN(end - fdt_size, RISCV_FDT_ALIGN);
}

hwaddr riscv_kernel_load_addr(hwaddr dram_base, hwaddr firmware_end)
{
    if (firmware_end <= dram_base) {
        return dram_base;
    }
    return ROUND_UP(firmware_end, RISCV_KERNEL_ALIGN);
}

hwaddr riscv_initrd_addr(hwaddr kernel_entry, uint64_t ram_size)
{
    return kernel_entry + MIN(ram_size / 2, (uint64_t)RISCV_INITRD_MAX_OFFSET);
}

/* Try @dir/@name; returns the path if it is a regular file. */
static char *try_dir(const char *dir, const char *name)
{
    char *path = g_build_filename(dir, name, NULL);

    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        return path;
    }
    g_free(path);
    return NULL;
}

/* -L directories, searched first, in command-line order; big lock. */
static GPtrArray *firmware_dirs;

void riscv_firmware_add_dir(const char *dir)
{
    if (!firmware_dirs) {
        firmware_dirs = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(firmware_dirs, g_strdup(dir));
}

char *riscv_find_firmware(const char *name, Error **errp)
{
    const char *env = g_getenv("MACHINA_FIRMWARE_PATH");
    g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *tried = NULL;
    char *path;

    /* The name as a path first (as QEMU); a path is not searched for. */
    if (g_file_test(name, G_FILE_TEST_IS_REGULAR)) {
        return g_strdup(name);
    }
    if (strchr(name, '/')) {
        error_setg(errp, "-bios %s: no such file; check the path", name);
        return NULL;
    }

    /* Search path: -L, environment, install prefix, Debian's opensbi. */
    for (guint i = 0; firmware_dirs && i < firmware_dirs->len; i++) {
        g_ptr_array_add(dirs, g_strdup(g_ptr_array_index(firmware_dirs, i)));
    }
    if (env && *env) {
        g_auto(GStrv) parts = g_strsplit(env, ":", -1);

        for (char **p = parts; *p; p++) {
            if (**p) {
                g_ptr_array_add(dirs, g_strdup(*p));
            }
        }
    }
    g_ptr_array_add(dirs, g_strdup(MACHINA_FIRMWARE_DIR));
    g_ptr_array_add(dirs, g_strdup(RISCV_DEBIAN_FIRMWARE_DIR));
    g_ptr_array_add(dirs, NULL);

    for (guint i = 0; i + 1 < dirs->len; i++) {
        path = try_dir(g_ptr_array_index(dirs, i), name);
        if (path) {
            return path;
        }
    }
    tried = g_strjoinv(":", (char **)dirs->pdata);
    error_setg(errp, "-bios: firmware '%s' not found in %s; install "
               "Debian's opensbi package, set MACHINA_FIRMWARE_PATH, or "
               "give -bios FILE", name, tried);
    return NULL;
}

/* -bios: nothing for "none", OpenSBI for NULL/"default", else FILE. */
static bool boot_load_firmware(const RiscvBootConfig *cfg,
                               const LoaderTarget *t, RiscvBootInfo *info,
                               Error **errp)
{
    g_autofree char *path = NULL;

    if (cfg->bios && !strcmp(cfg->bios, "none")) {
        return true;
    }
    if (!cfg->bios || !strcmp(cfg->bios, "default")) {
        path = riscv_find_firmware(RISCV_DEFAULT_FIRMWARE, errp);
    } else {
        path = riscv_find_firmware(cfg->bios, errp);
    }
    if (!path || !load_image_auto("-bios", path, cfg->dram_base, t,
                                  &info->firmware, errp)) {
        return false;
    }
    info->have_firmware = true;
    info->start_addr = info->firmware.entry;
    return true;
}

static bool boot_load_kernel(const RiscvBootConfig *cfg,
                             const LoaderTarget *t, RiscvBootInfo *info,
                             Error **errp)
{
    hwaddr fw_end = info->have_firmware ? info->firmware.high
                                        : cfg->dram_base;
    hwaddr addr = riscv_kernel_load_addr(cfg->dram_base, fw_end);

    if (!load_image_auto("-kernel", cfg->kernel, addr, t, &info->kernel,
                         errp)) {
        return false;
    }
    if (info->have_firmware &&
        !loader_check_overlap("-bios", &info->firmware, "-kernel",
                              &info->kernel, errp)) {
        return false;
    }
    info->have_kernel = true;
    info->kernel_entry = info->kernel.entry;
    if (!info->have_firmware) {
        info->start_addr = info->kernel.entry;
    }
    return true;
}

static bool boot_load_initrd(const RiscvBootConfig *cfg,
                             const LoaderTarget *t, RiscvBootInfo *info,
                             Error **errp)
{
    hwaddr addr = riscv_initrd_addr(info->kernel_entry, cfg->ram_size);

    if (!load_image_raw("-initrd", cfg->initrd, addr, t, &info->initrd,
                        errp)) {
        return false;
    }
    info->have_initrd = true;
    return loader_check_overlap("-kernel", &info->kernel, "-initrd",
                                &info->initrd, errp) &&
           (!info->have_firmware ||
            loader_check_overlap("-bios", &info->firmware, "-initrd",
                                 &info->initrd, errp));
}

bool riscv_boot_load_images(const RiscvBootConfig *cfg,
                            const LoaderTarget *t, RiscvBootInfo *info,
                            Error **errp)
{
    memset(info, 0, sizeof(*info));
    info->start_addr = cfg->dram_base;

    if (!cfg->kernel && (cfg->initrd || cfg->append)) {
        error_setg(errp, "%s only allowed with -kernel option",
                   cfg->initrd ? "-initrd" : "-append");
        return false;
    }
    if (!boot_load_firmware(cfg, t, info, errp)) {
        return false;
    }
    if (cfg->kernel && !boot_load_kernel(cfg, t, info, errp)) {
        return false;
    }
    return !cfg->initrd || boot_load_initrd(cfg, t, info, errp);
}
