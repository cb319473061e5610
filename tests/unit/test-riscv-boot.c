/*
 * test-riscv-boot.c: reset vector, placement rules, firmware search and
 * image loaders of the virt board.
 */
#include "qemu/osdep.h"
#include <elf.h>
#include <zlib.h>
#include "hw/riscv/boot.h"
#include "hw/core/loader.h"
#include "exec/memory.h"
#include "qemu/main-loop.h"

#define DRAM_BASE   0x80000000ULL

/* ---- A fake RAM that records what loaders write ---- */

typedef struct FakeRam {
    hwaddr base;
    size_t size;
    uint8_t *bytes;
    unsigned writes;
} FakeRam;

static bool fake_write(void *opaque, hwaddr addr, const void *data,
                       size_t len)
{
    FakeRam *r = opaque;

    if (addr < r->base || addr - r->base > r->size - len) {
        return false;
    }
    memcpy(r->bytes + (addr - r->base), data, len);
    r->writes++;
    return true;
}

static LoaderTarget fake_target(FakeRam *r, size_t size)
{
    r->base = DRAM_BASE;
    r->size = size;
    r->bytes = g_malloc(size);
    memset(r->bytes, 0xee, size);
    r->writes = 0;
    return (LoaderTarget) { fake_write, r, DRAM_BASE, size };
}

static char *tmp_file(const char *name, const void *data, size_t len)
{
    char *path = g_build_filename(g_get_tmp_dir(), name, NULL);
    g_autofree char *unique = g_strdup_printf("%s.%d", path, getpid());

    g_free(path);
    g_assert_true(g_file_set_contents(unique, data, len, NULL));
    return g_steal_pointer(&unique);
}

static void expect_error(Error **errp, const char *a, const char *b)
{
    Error *err = *errp;

    *errp = NULL;
    g_assert_nonnull(err);
    g_test_message("%s", error_get_pretty(err));
    g_assert_nonnull(strstr(error_get_pretty(err), a));
    if (b) {
        g_assert_nonnull(strstr(error_get_pretty(err), b));
    }
    error_free(err);
}

/* ---- Reset vector ---- */

static uint32_t le32_at(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The 22 words QEMU 7.2 shows at 0x1000 (xp /22wx 0x1000). */
static void test_reset_vec(void)
{
    static const uint32_t expect[22] = {
        0x00000297, 0x02828613, 0xf1402573, 0x0202b583, 0x0182b283,
        0x00028067, 0x80000000, 0x00000000, 0x87e00000, 0x00000000,
        0x4942534f, 0x00000000, 0x00000002, 0x00000000, 0x80200000,
        0x00000000, 0x00000001, 0x00000000, 0x00000000, 0x00000000,
        0x00000000, 0x00000000,
    };
    uint8_t rom[0x100];
    size_t n;

    memset(rom, 0xff, sizeof(rom));
    n = riscv_setup_rom_reset_vec(rom, sizeof(rom), 0x80000000, 0x87e00000,
                                  0x80200000);
    g_assert_cmpuint(n, ==, sizeof(expect));
    for (size_t i = 0; i < ARRAY_SIZE(expect); i++) {
        g_assert_cmphex(le32_at(rom + i * 4), ==, expect[i]);
    }
    /* Nothing written past the blob. */
    g_assert_cmphex(rom[n], ==, 0xff);
    /* Too small a ROM is refused. */
    g_assert_cmpuint(riscv_setup_rom_reset_vec(rom, n - 1, 0, 0, 0), ==, 0);
}

/* 64-bit addresses land in both halves of the dwords. */
static void test_reset_vec_high(void)
{
    uint8_t rom[RISCV_RESET_VEC_SIZE];

    riscv_setup_rom_reset_vec(rom, sizeof(rom), 0x123456789aULL,
                              0xfedcba9876ULL, 0x400000000ULL);
    g_assert_cmphex(le32_at(rom + 0x18), ==, 0x3456789a);
    g_assert_cmphex(le32_at(rom + 0x1c), ==, 0x12);
    g_assert_cmphex(le32_at(rom + 0x20), ==, 0xdcba9876);
    g_assert_cmphex(le32_at(rom + 0x24), ==, 0xfe);
    g_assert_cmphex(le32_at(rom + 0x38), ==, 0);
    g_assert_cmphex(le32_at(rom + 0x3c), ==, 4);
}

/* ---- Placement ---- */

static void test_fdt_addr(void)
{
    Error *err = NULL;

    g_assert_cmphex(riscv_compute_fdt_addr(DRAM_BASE, 128 * MiB, 1 * MiB,
                                           &error_abort), ==, 0x87e00000);
    g_assert_cmphex(riscv_compute_fdt_addr(DRAM_BASE, 512 * MiB, 1 * MiB,
                                           &error_abort), ==, 0x9fe00000);
    g_assert_cmphex(riscv_compute_fdt_addr(DRAM_BASE, 4 * GiB, 1 * MiB,
                                           &error_abort), ==, 0xbfe00000);
    g_assert_cmphex(riscv_compute_fdt_addr(DRAM_BASE, 128 * MiB, 0x2000,
                                           &error_abort), ==, 0x87e00000);
    /* A tree larger than 2 MiB moves down a further step. */
    g_assert_cmphex(riscv_compute_fdt_addr(DRAM_BASE, 128 * MiB, 3 * MiB,
                                           &error_abort), ==, 0x87c00000);
    g_assert_cmphex(riscv_compute_fdt_addr(DRAM_BASE, 1 * MiB, 2 * MiB,
                                           &err), ==, 0);
    expect_error(&err, "-m", NULL);
}

static void test_kernel_initrd_addr(void)
{
    /* After OpenSBI (ends below 2 MiB) and with -bios none. */
    g_assert_cmphex(riscv_kernel_load_addr(DRAM_BASE, 0x8001c280), ==,
                    0x80200000);
    g_assert_cmphex(riscv_kernel_load_addr(DRAM_BASE, 0x80200000), ==,
                    0x80200000);
    g_assert_cmphex(riscv_kernel_load_addr(DRAM_BASE, 0x80200001), ==,
                    0x80400000);
    g_assert_cmphex(riscv_kernel_load_addr(DRAM_BASE, DRAM_BASE), ==,
                    DRAM_BASE);
    /* Observed on QEMU 7.2: 512 MiB -> 0x88200000, 128 MiB -> 0x84200000 */
    g_assert_cmphex(riscv_initrd_addr(0x80200000, 512 * MiB), ==,
                    0x88200000);
    g_assert_cmphex(riscv_initrd_addr(0x80200000, 128 * MiB), ==,
                    0x84200000);
    g_assert_cmphex(riscv_initrd_addr(0x80000000, 8 * GiB), ==, 0x88000000);
}

/* ---- Firmware search ---- */

static void test_find_firmware(void)
{
    g_autofree char *dir = g_dir_make_tmp("machina-fw-XXXXXX", NULL);
    g_autofree char *file = g_build_filename(dir, "my-fw.bin", NULL);
    g_autofree char *env = g_strdup_printf("/nonexistent:%s", dir);
    g_autofree char *found = NULL;
    Error *err = NULL;

    g_assert_true(g_file_set_contents(file, "x", 1, NULL));
    g_setenv("MACHINA_FIRMWARE_PATH", env, TRUE);
    found = riscv_find_firmware("my-fw.bin", &error_abort);
    g_assert_cmpstr(found, ==, file);
    g_free(found);

    /* A path is taken as is. */
    found = riscv_find_firmware(file, &error_abort);
    g_assert_cmpstr(found, ==, file);

    /* A bare name that exists in the current directory is used as is. */
    {
        g_autofree char *cwd = g_get_current_dir();

        g_free(found);
        g_assert_cmpint(chdir(dir), ==, 0);
        found = riscv_find_firmware("my-fw.bin", &error_abort);
        g_assert_cmpstr(found, ==, "my-fw.bin");
        g_free(found);
        found = NULL;
        g_assert_cmpint(chdir(cwd), ==, 0);
    }

    g_assert_null(riscv_find_firmware("no-such-fw.bin", &err));
    expect_error(&err, "-bios", "MACHINA_FIRMWARE_PATH");
    g_unsetenv("MACHINA_FIRMWARE_PATH");
    unlink(file);
    rmdir(dir);
}

static void test_find_debian_opensbi(void)
{
    g_autofree char *want = g_build_filename(RISCV_DEBIAN_FIRMWARE_DIR,
                                             RISCV_DEFAULT_FIRMWARE, NULL);
    g_autofree char *found = NULL;

    if (!g_file_test(want, G_FILE_TEST_IS_REGULAR)) {
        g_test_skip("Debian's opensbi package is not installed");
        return;
    }
    g_unsetenv("MACHINA_FIRMWARE_PATH");
    found = riscv_find_firmware(RISCV_DEFAULT_FIRMWARE, &error_abort);
    g_assert_cmpstr(found, ==, want);
}

/* ---- ELF: hand-made images ---- */

typedef struct TinyElf {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[2];
    uint8_t text[16];
    uint8_t data[8];
} TinyElf;

/* Text at 0x80000000 (16 bytes), data+bss at 0x80001000 (8 + 24). */
static void tiny_elf(TinyElf *e)
{
    memset(e, 0, sizeof(*e));
    memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
    e->eh.e_ident[EI_CLASS] = ELFCLASS64;
    e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    e->eh.e_ident[EI_VERSION] = EV_CURRENT;
    e->eh.e_type = ET_EXEC;
    e->eh.e_machine = EM_RISCV;
    e->eh.e_version = EV_CURRENT;
    e->eh.e_entry = 0x80000004;
    e->eh.e_phoff = offsetof(TinyElf, ph);
    e->eh.e_ehsize = sizeof(Elf64_Ehdr);
    e->eh.e_phentsize = sizeof(Elf64_Phdr);
    e->eh.e_phnum = 2;
    e->ph[0] = (Elf64_Phdr) {
        .p_type = PT_LOAD, .p_offset = offsetof(TinyElf, text),
        .p_vaddr = 0xffffffff80000000ULL, .p_paddr = 0x80000000,
        .p_filesz = 16, .p_memsz = 16,
    };
    e->ph[1] = (Elf64_Phdr) {
        .p_type = PT_LOAD, .p_offset = offsetof(TinyElf, data),
        .p_vaddr = 0x80001000, .p_paddr = 0x80001000,
        .p_filesz = 8, .p_memsz = 32,
    };
    memset(e->text, 0x13, sizeof(e->text));
    memset(e->data, 0x5a, sizeof(e->data));
}

static bool load_tiny(const TinyElf *e, size_t len, FakeRam *r,
                      LoadedImage *img, Error **errp)
{
    LoaderTarget t = fake_target(r, 64 * KiB);
    g_autofree char *path = tmp_file("tiny.elf", e, len);
    bool ok = load_elf_riscv64("-kernel", path, &t, img, errp);

    unlink(path);
    return ok;
}

static void test_elf_tiny(void)
{
    TinyElf e;
    FakeRam r;
    LoadedImage img;

    tiny_elf(&e);
    g_assert_true(load_tiny(&e, sizeof(e), &r, &img, &error_abort));
    g_assert_cmphex(img.entry, ==, 0x80000004);
    g_assert_cmphex(img.low, ==, 0x80000000);
    g_assert_cmphex(img.high, ==, 0x80001020);
    /* p_paddr, not p_vaddr, places the text. */
    g_assert_cmphex(r.bytes[0], ==, 0x13);
    g_assert_cmphex(r.bytes[0x1000 + 7], ==, 0x5a);
    /* bss zero-filled, bytes past it untouched. */
    g_assert_cmphex(r.bytes[0x1000 + 8], ==, 0);
    g_assert_cmphex(r.bytes[0x1000 + 31], ==, 0);
    g_assert_cmphex(r.bytes[0x1000 + 32], ==, 0xee);
    g_free(r.bytes);
}

static void check_bad_elf(TinyElf *e, size_t len, const char *needle)
{
    FakeRam r;
    LoadedImage img;
    Error *err = NULL;

    g_assert_false(load_tiny(e, len, &r, &img, &err));
    expect_error(&err, "-kernel", needle);
    g_free(r.bytes);
}

static void test_elf_malformed(void)
{
    TinyElf e;

    tiny_elf(&e);
    e.eh.e_ident[EI_CLASS] = ELFCLASS32;
    check_bad_elf(&e, sizeof(e), "64-bit");

    tiny_elf(&e);
    e.eh.e_machine = EM_AARCH64;
    check_bad_elf(&e, sizeof(e), "EM_RISCV");

    tiny_elf(&e);
    e.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    check_bad_elf(&e, sizeof(e), "little-endian");

    tiny_elf(&e);
    e.eh.e_phnum = 1000;
    check_bad_elf(&e, sizeof(e), "truncated");

    tiny_elf(&e);
    check_bad_elf(&e, offsetof(TinyElf, data) + 4, "truncated");

    tiny_elf(&e);
    e.ph[1].p_filesz = 64;
    check_bad_elf(&e, sizeof(e), "segment");

    tiny_elf(&e);
    e.ph[0].p_paddr = 0x1000;
    check_bad_elf(&e, sizeof(e), "do not fit in RAM");

    tiny_elf(&e);
    e.ph[1].p_memsz = UINT64_MAX;
    check_bad_elf(&e, sizeof(e), "do not fit in RAM");

    tiny_elf(&e);
    e.ph[0].p_type = e.ph[1].p_type = PT_NOTE;
    check_bad_elf(&e, sizeof(e), "no loadable segment");

    check_bad_elf(&e, 10, "not an ELF");
}

static void test_elf_missing_file(void)
{
    FakeRam r;
    LoaderTarget t = fake_target(&r, 4 * KiB);
    LoadedImage img;
    Error *err = NULL;

    g_assert_false(load_elf_riscv64("-bios", "/nonexistent/fw.elf", &t, &img,
                                    &err));
    expect_error(&err, "-bios /nonexistent/fw.elf", "check the path");
    g_free(r.bytes);
}

/* ---- ELF built by the cross toolchain ---- */

static void test_elf_gcc(void)
{
    static const char src[] =
        ".option norvc\n.section .text\n.globl _start\n"
        "_start:\n  nop\n  j _start\n"
        ".section .data\nval: .dword 0x1122334455667788\n"
        ".section .bss\n.skip 4096\n";
    g_autofree char *gcc = g_find_program_in_path("riscv64-unknown-elf-gcc");
    g_autofree char *dir = NULL, *s = NULL, *elf = NULL, *err_out = NULL;
    FakeRam r;
    LoaderTarget t;
    LoadedImage img;
    int status;

    if (!gcc) {
        g_test_skip("riscv64-unknown-elf-gcc not installed");
        return;
    }
    dir = g_dir_make_tmp("machina-elf-XXXXXX", NULL);
    s = g_build_filename(dir, "t.S", NULL);
    elf = g_build_filename(dir, "t.elf", NULL);
    g_assert_true(g_file_set_contents(s, src, -1, NULL));
    {
        char *argv[] = { gcc, (char *)"-nostdlib", (char *)"-static",
                         (char *)"-Wl,-Ttext=0x80200000", (char *)"-o", elf,
                         s, NULL };

        g_assert_true(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, NULL,
                                   &err_out, &status, NULL));
        g_assert_cmpint(status, ==, 0);
    }

    t = fake_target(&r, 16 * MiB);
    g_assert_true(load_image_auto("-kernel", elf, DRAM_BASE, &t, &img,
                                  &error_abort));
    g_assert_cmphex(img.entry, ==, 0x80200000);
    /* The first segment may start a page early with the ELF headers. */
    g_assert_cmphex(img.low, <=, 0x80200000);
    g_assert_cmphex(img.low, >=, 0x80200000 - 64 * KiB);
    g_assert_cmphex(img.high, >=, 0x80200000 + 4096 + 8);
    g_assert_cmphex(le32_at(r.bytes + 0x200000), ==, 0x00000013); /* nop */
    g_free(r.bytes);
    unlink(s);
    unlink(elf);
    rmdir(dir);
}

/* ---- Raw, Linux Image, gzip, uImage ---- */

static void test_raw(void)
{
    uint8_t img_data[100];
    g_autofree char *path = NULL;
    FakeRam r;
    LoaderTarget t = fake_target(&r, 4 * KiB);
    LoadedImage img;
    Error *err = NULL;

    memset(img_data, 0x42, sizeof(img_data));
    path = tmp_file("raw.bin", img_data, sizeof(img_data));
    g_assert_true(load_image_raw("-initrd", path, DRAM_BASE + 0x100, &t,
                                 &img, &error_abort));
    g_assert_cmphex(img.low, ==, DRAM_BASE + 0x100);
    g_assert_cmphex(img.high, ==, DRAM_BASE + 0x100 + 100);
    g_assert_cmphex(r.bytes[0x100 + 99], ==, 0x42);

    /* Ends 1 byte past RAM. */
    g_assert_false(load_image_raw("-initrd", path, DRAM_BASE + 4 * KiB - 99,
                                  &t, &img, &err));
    expect_error(&err, "-initrd", "give more -m");
    unlink(path);
    g_free(r.bytes);
}

/* A Linux Image whose image_size (bss included) exceeds RAM is refused. */
static void test_linux_image_header(void)
{
    uint8_t hdr[RISCV_IMAGE_HEADER_SIZE] = { 0 };
    g_autofree char *path = NULL;
    uint64_t size = 0;
    FakeRam r;
    LoaderTarget t = fake_target(&r, 64 * KiB);
    LoadedImage img;
    Error *err = NULL;

    hdr[16] = 0x00;
    hdr[17] = 0x00;
    hdr[18] = 0x01;                     /* image_size = 0x10000 */
    memcpy(hdr + RISCV_IMAGE_MAGIC2_OFFSET, "RSC\x05", 4);
    g_assert_true(riscv_image_header_parse(hdr, sizeof(hdr), &size));
    g_assert_cmphex(size, ==, 0x10000);
    g_assert_false(riscv_image_header_parse(hdr, 0x3b, &size));

    path = tmp_file("Image", hdr, sizeof(hdr));
    g_assert_true(load_image_auto("-kernel", path, DRAM_BASE, &t, &img,
                                  &error_abort));
    g_assert_false(load_image_auto("-kernel", path, DRAM_BASE + 0x100, &t,
                                   &img, &err));
    expect_error(&err, "-kernel", "do not fit");
    unlink(path);
    g_free(r.bytes);
}

static size_t gzip_buf(const uint8_t *in, size_t len, uint8_t *out,
                       size_t cap)
{
    z_stream zs = { 0 };

    g_assert_cmpint(deflateInit2(&zs, 9, Z_DEFLATED, MAX_WBITS + 16, 8,
                                 Z_DEFAULT_STRATEGY), ==, Z_OK);
    zs.next_in = (Bytef *)in;
    zs.avail_in = len;
    zs.next_out = out;
    zs.avail_out = cap;
    g_assert_cmpint(deflate(&zs, Z_FINISH), ==, Z_STREAM_END);
    deflateEnd(&zs);
    return zs.total_out;
}

static void test_gzip_image(void)
{
    g_autofree uint8_t *plain = g_malloc(300 * KiB);
    g_autofree uint8_t *gz = g_malloc(300 * KiB);
    g_autofree char *path = NULL, *bad = NULL;
    size_t gz_len;
    FakeRam r;
    LoaderTarget t = fake_target(&r, 1 * MiB);
    LoadedImage img;
    Error *err = NULL;

    for (size_t i = 0; i < 300 * KiB; i++) {
        plain[i] = i * 7 / 1024;
    }
    gz_len = gzip_buf(plain, 300 * KiB, gz, 300 * KiB);
    path = tmp_file("Image.gz", gz, gz_len);
    g_assert_true(load_image_auto("-kernel", path, DRAM_BASE, &t, &img,
                                  &error_abort));
    g_assert_cmphex(img.high - img.low, ==, 300 * KiB);
    g_assert_cmpint(memcmp(r.bytes, plain, 300 * KiB), ==, 0);

    /* Truncated stream. */
    bad = tmp_file("bad.gz", gz, gz_len / 2);
    g_assert_false(load_image_auto("-kernel", bad, DRAM_BASE, &t, &img,
                                   &err));
    expect_error(&err, "-kernel", "gzip");
    unlink(path);
    unlink(bad);
    g_free(r.bytes);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static size_t make_uimage(uint8_t *buf, const uint8_t *payload,
                          size_t len, uint8_t type)
{
    memset(buf, 0, UIMAGE_HEADER_SIZE);
    put_be32(buf + 0, UIMAGE_MAGIC);
    put_be32(buf + 12, len);
    put_be32(buf + 16, 0x80200000);     /* load */
    put_be32(buf + 20, 0x80200040);     /* entry */
    put_be32(buf + 24, crc32(0, payload, len));
    buf[28] = UIMAGE_OS_LINUX;
    buf[29] = UIMAGE_ARCH_RISCV;
    buf[30] = type;
    buf[31] = UIMAGE_COMP_NONE;
    memcpy(buf + UIMAGE_HEADER_SIZE, payload, len);
    put_be32(buf + 4, crc32(0, buf, UIMAGE_HEADER_SIZE));
    return UIMAGE_HEADER_SIZE + len;
}

static void test_uimage(void)
{
    uint8_t payload[256], buf[UIMAGE_HEADER_SIZE + 256];
    g_autofree char *path = NULL, *bad = NULL, *notu = NULL;
    size_t len;
    FakeRam r;
    LoaderTarget t = fake_target(&r, 4 * MiB);
    LoadedImage img;
    Error *err = NULL;

    memset(payload, 0x77, sizeof(payload));
    len = make_uimage(buf, payload, sizeof(payload), UIMAGE_TYPE_KERNEL);
    path = tmp_file("uImage", buf, len);
    g_assert_true(load_image_auto("-kernel", path, DRAM_BASE, &t, &img,
                                  &error_abort));
    g_assert_cmphex(img.entry, ==, 0x80200040);
    g_assert_cmphex(img.low, ==, 0x80200000);
    g_assert_cmphex(r.bytes[0x200000 + 255], ==, 0x77);

    /* Corrupted header: checksum catches it. */
    buf[20] ^= 1;
    bad = tmp_file("uImage.bad", buf, len);
    g_assert_false(load_uimage("-kernel", bad, &t, &img, &err));
    expect_error(&err, "-kernel", "checksum");

    /* A ramdisk uImage is not a kernel. */
    len = make_uimage(buf, payload, sizeof(payload), 3);
    g_assert_true(g_file_set_contents(bad, (char *)buf, len, NULL));
    g_assert_false(load_uimage("-kernel", bad, &t, &img, &err));
    expect_error(&err, "-kernel", "kernel");

    /* Not a uImage at all: false without an error. */
    notu = tmp_file("not-uimage", payload, sizeof(payload));
    g_assert_false(load_uimage("-kernel", notu, &t, &img, &err));
    g_assert_null(err);
    unlink(path);
    unlink(bad);
    unlink(notu);
    g_free(r.bytes);
}

static void test_overlap(void)
{
    LoadedImage fw = { 0x80000000, 0x80000000, 0x80040000 };
    LoadedImage k1 = { 0x80200000, 0x80200000, 0x80300000 };
    LoadedImage k2 = { 0x80020000, 0x80020000, 0x80100000 };
    Error *err = NULL;

    g_assert_true(loader_check_overlap("-bios", &fw, "-kernel", &k1,
                                       &error_abort));
    g_assert_false(loader_check_overlap("-bios", &fw, "-kernel", &k2,
                                        &err));
    expect_error(&err, "-kernel [0x80020000", "overlaps -bios");
}

/* ---- The whole -bios/-kernel/-initrd sequence ---- */

static bool have_opensbi(void)
{
    g_autofree char *fw = riscv_find_firmware(RISCV_DEFAULT_FIRMWARE, NULL);

    if (!fw) {
        g_test_skip("OpenSBI's fw_dynamic.bin not found");
    }
    return fw != NULL;
}

static void test_boot_opensbi_kernel_initrd(void)
{
    uint8_t data[4096] = { 0 };
    g_autofree char *k = tmp_file("kernel.bin", data, sizeof(data));
    g_autofree char *i = tmp_file("initrd.img", data, 1000);
    RiscvBootConfig cfg = {
        .kernel = k, .initrd = i, .append = "console=ttyS0",
        .dram_base = DRAM_BASE, .ram_size = 512 * MiB,
    };
    FakeRam r;
    LoaderTarget t = fake_target(&r, 512 * MiB);
    RiscvBootInfo info;

    if (have_opensbi()) {
        g_assert_true(riscv_boot_load_images(&cfg, &t, &info,
                                             &error_abort));
        g_assert_true(info.have_firmware);
        g_assert_cmphex(info.start_addr, ==, DRAM_BASE);
        /* OpenSBI's fw_dynamic.bin starts with its own code. */
        g_assert_cmphex(r.bytes[0], !=, 0xee);
        g_assert_cmphex(info.kernel_entry, ==, 0x80200000);
        g_assert_cmphex(info.initrd.low, ==, 0x88200000);
        g_assert_cmphex(info.initrd.high, ==, 0x88200000 + 1000);
    }
    unlink(k);
    unlink(i);
    g_free(r.bytes);
}

static void test_boot_bios_none(void)
{
    uint8_t data[64];
    g_autofree char *k = NULL;
    RiscvBootConfig cfg = {
        .bios = "none",
        .dram_base = DRAM_BASE, .ram_size = 128 * MiB,
    };
    FakeRam r;
    LoaderTarget t = fake_target(&r, 128 * MiB);
    RiscvBootInfo info;

    memset(data, 0x3c, sizeof(data));
    k = tmp_file("kernel-m.bin", data, sizeof(data));
    cfg.kernel = k;
    g_assert_true(riscv_boot_load_images(&cfg, &t, &info, &error_abort));
    g_assert_false(info.have_firmware);
    g_assert_cmphex(info.start_addr, ==, DRAM_BASE);
    g_assert_cmphex(info.kernel_entry, ==, DRAM_BASE);
    g_assert_cmphex(r.bytes[63], ==, 0x3c);

    /* Nothing at all: the reset vector jumps to DRAM. */
    cfg.kernel = NULL;
    g_assert_true(riscv_boot_load_images(&cfg, &t, &info, &error_abort));
    g_assert_cmphex(info.start_addr, ==, DRAM_BASE);
    g_assert_cmphex(info.kernel_entry, ==, 0);
    unlink(k);
    g_free(r.bytes);
}

static void test_boot_errors(void)
{
    TinyElf e;
    g_autofree char *elf = NULL;
    RiscvBootConfig cfg = {
        .initrd = "/tmp/x", .dram_base = DRAM_BASE, .ram_size = 128 * MiB,
    };
    FakeRam r;
    LoaderTarget t = fake_target(&r, 128 * MiB);
    RiscvBootInfo info;
    Error *err = NULL;

    g_assert_false(riscv_boot_load_images(&cfg, &t, &info, &err));
    expect_error(&err, "-initrd only allowed with -kernel option", NULL);

    cfg = (RiscvBootConfig) { .append = "x", .dram_base = DRAM_BASE,
                              .ram_size = 128 * MiB };
    g_assert_false(riscv_boot_load_images(&cfg, &t, &info, &err));
    expect_error(&err, "-append only allowed with -kernel option", NULL);

    cfg.append = NULL;
    cfg.bios = "/nonexistent/fw.bin";
    g_assert_false(riscv_boot_load_images(&cfg, &t, &info, &err));
    expect_error(&err, "-bios /nonexistent/fw.bin", "check the path");

    /* An ELF kernel linked at DRAM base collides with the firmware. */
    if (have_opensbi()) {
        tiny_elf(&e);
        elf = tmp_file("overlap.elf", &e, sizeof(e));
        cfg = (RiscvBootConfig) { .kernel = elf, .dram_base = DRAM_BASE,
                                  .ram_size = 128 * MiB };
        g_assert_false(riscv_boot_load_images(&cfg, &t, &info, &err));
        expect_error(&err, "-kernel", "overlaps -bios");
        unlink(elf);
    }
    g_free(r.bytes);
}

/* ---- Through the memory API: ROM at 0x1000, RAM at DRAM base ---- */

static void test_rom_target(void)
{
    MemoryRegion rom, ram;
    LoaderTarget t;
    LoadedImage img;
    uint8_t vec[RISCV_RESET_VEC_SIZE], back[RISCV_RESET_VEC_SIZE];
    uint8_t data[300];
    g_autofree char *path = NULL;
    uint8_t got[300];

    memory_region_init_rom(&rom, NULL, "test.mrom", 0xf000, &error_abort);
    memory_region_init_ram(&ram, NULL, "test.ram", 1 * MiB, &error_abort);
    memory_region_add_subregion(get_system_memory(), 0x1000, &rom);
    memory_region_add_subregion(get_system_memory(), DRAM_BASE, &ram);
    loader_target_rom(&t, DRAM_BASE, 1 * MiB);

    /* The reset vector lands in ROM, which guest writes cannot change. */
    riscv_setup_rom_reset_vec(vec, sizeof(vec), DRAM_BASE, 0x87e00000, 0);
    g_assert_true(t.write(t.opaque, 0x1000, vec, sizeof(vec)));
    address_space_read(&address_space_memory, 0x1000,
                       MEMTXATTRS_UNSPECIFIED, back, sizeof(back));
    g_assert_cmpmem(back, sizeof(back), vec, sizeof(vec));

    /* A raw image through the loader lands in RAM. */
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = i;
    }
    path = tmp_file("rom-target.bin", data, sizeof(data));
    g_assert_true(load_image_raw("-kernel", path, DRAM_BASE + 0x1000, &t,
                                 &img, &error_abort));
    address_space_read(&address_space_memory, DRAM_BASE + 0x1000,
                       MEMTXATTRS_UNSPECIFIED, got, sizeof(got));
    g_assert_cmpmem(got, sizeof(got), data, sizeof(data));
    unlink(path);

    memory_region_del_subregion(get_system_memory(), &rom);
    memory_region_del_subregion(get_system_memory(), &ram);
    memory_region_finalize(&rom);
    memory_region_finalize(&ram);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* Memory-map edits are made under the big lock, as at machine init. */
    qemu_mutex_lock_iothread();
    g_test_add_func("/loader/rom-target", test_rom_target);
    g_test_add_func("/riscv-boot/reset-vec/qemu-7.2", test_reset_vec);
    g_test_add_func("/riscv-boot/reset-vec/high", test_reset_vec_high);
    g_test_add_func("/riscv-boot/fdt-addr", test_fdt_addr);
    g_test_add_func("/riscv-boot/kernel-initrd-addr",
                    test_kernel_initrd_addr);
    g_test_add_func("/riscv-boot/find-firmware", test_find_firmware);
    g_test_add_func("/riscv-boot/find-debian-opensbi",
                    test_find_debian_opensbi);
    g_test_add_func("/loader/elf/tiny", test_elf_tiny);
    g_test_add_func("/loader/elf/malformed", test_elf_malformed);
    g_test_add_func("/loader/elf/missing-file", test_elf_missing_file);
    g_test_add_func("/loader/elf/gcc", test_elf_gcc);
    g_test_add_func("/loader/raw", test_raw);
    g_test_add_func("/loader/linux-image-header", test_linux_image_header);
    g_test_add_func("/loader/gzip", test_gzip_image);
    g_test_add_func("/loader/uimage", test_uimage);
    g_test_add_func("/loader/overlap", test_overlap);
    g_test_add_func("/riscv-boot/load/opensbi-kernel-initrd",
                    test_boot_opensbi_kernel_initrd);
    g_test_add_func("/riscv-boot/load/bios-none", test_boot_bios_none);
    g_test_add_func("/riscv-boot/load/errors", test_boot_errors);
    return g_test_run();
}
