/*
 * loader.c: guest image loaders (ELF64 RISC-V, raw, uImage, Linux Image).
 *
 * Every length and offset read from a file is checked against the file's
 * size before use: the files come from the user and may be truncated or
 * hostile.
 */
#include "qemu/osdep.h"
#include <elf.h>
#include <zlib.h>
#include "hw/core/loader.h"

/* Largest gzip-decompressed image we accept (bounded by RAM as well). */
#define LOADER_GUNZIP_MAX       (1 * GiB)

static bool read_file(const char *option, const char *filename,
                      uint8_t **data, size_t *len, Error **errp)
{
    int fd = open(filename, O_RDONLY | O_CLOEXEC);
    struct stat st;
    size_t done = 0;
    ssize_t n = 0;

    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        error_setg(errp, "%s %s: cannot read: %s; check the path", option,
                   filename, fd < 0 ? strerror(errno) : "not a regular file");
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }

    /* Read it all; the size is known, short reads are retried. */
    *data = g_malloc(MAX(st.st_size, 1));
    while (done < (size_t)st.st_size &&
           ((n = read(fd, *data + done, st.st_size - done)) > 0 ||
            (n < 0 && errno == EINTR))) {
        done += n > 0 ? n : 0;
    }
    close(fd);
    if (done < (size_t)st.st_size) {
        error_setg(errp, "%s %s: cannot read: %s", option, filename,
                   n < 0 ? strerror(errno) : "file shrank while reading");
        g_free(*data);
        *data = NULL;
        return false;
    }
    *len = done;
    return true;
}

/* Whether [addr, addr + len) lies inside RAM. */
static bool in_ram(const LoaderTarget *t, hwaddr addr, uint64_t len)
{
    return addr >= t->ram_base && len <= t->ram_size &&
           addr - t->ram_base <= t->ram_size - len;
}

static bool check_fits(const char *option, const char *filename,
                       const LoaderTarget *t, hwaddr addr, uint64_t len,
                       Error **errp)
{
    if (in_ram(t, addr, len)) {
        return true;
    }
    error_setg(errp, "%s %s: 0x%" PRIx64 " bytes at 0x%" HWADDR_PRIx
               " do not fit in RAM [0x%" HWADDR_PRIx ", 0x%" HWADDR_PRIx
               "); give more -m or a smaller image", option, filename,
               len, addr, t->ram_base, t->ram_base + t->ram_size);
    return false;
}

static bool put(const char *option, const char *filename,
                const LoaderTarget *t, hwaddr addr, const void *data,
                size_t len, Error **errp)
{
    if (len && !t->write(t->opaque, addr, data, len)) {
        error_setg(errp, "%s %s: cannot write 0x%zx bytes at 0x%"
                   HWADDR_PRIx "; load it inside RAM", option, filename,
                   len, addr);
        return false;
    }
    return true;
}

static bool put_zeros(const char *option, const char *filename,
                      const LoaderTarget *t, hwaddr addr, uint64_t len,
                      Error **errp)
{
    static const uint8_t zeros[4096];

    while (len) {
        size_t chunk = MIN(len, sizeof(zeros));

        if (!put(option, filename, t, addr, zeros, chunk, errp)) {
            return false;
        }
        addr += chunk;
        len -= chunk;
    }
    return true;
}

/* ---- ELF ---- */

static bool elf_check_header(const char *option, const char *filename,
                             const uint8_t *buf, size_t len, Error **errp)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
    const char *why = NULL;

    if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
        why = "not an ELF file";
    } else if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
        why = "not a 64-bit ELF (ELFCLASS64 needed for riscv64)";
    } else if (eh->e_ident[EI_DATA] != ELFDATA2LSB) {
        why = "not little-endian";
    } else if (eh->e_machine != EM_RISCV) {
        why = "built for another machine (e_machine is not EM_RISCV)";
    } else if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
        why = "not an executable (e_type must be EXEC or DYN)";
    } else if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
               eh->e_phoff > len ||
               (len - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum) {
        why = "program headers are truncated or malformed";
    }
    if (why) {
        error_setg(errp, "%s %s: %s; give a RISC-V 64-bit executable",
                   option, filename, why);
        return false;
    }
    return true;
}

static bool elf_load_segment(const char *option, const char *filename,
                             const uint8_t *buf, size_t len,
                             const Elf64_Phdr *ph, const LoaderTarget *t,
                             Error **errp)
{
    if (ph->p_filesz > ph->p_memsz || ph->p_offset > len ||
        len - ph->p_offset < ph->p_filesz) {
        error_setg(errp, "%s %s: segment at 0x%" PRIx64 " is truncated "
                   "or malformed; rebuild the ELF", option, filename,
                   (uint64_t)ph->p_paddr);
        return false;
    }
    if (!check_fits(option, filename, t, ph->p_paddr, ph->p_memsz, errp)) {
        return false;
    }
    return put(option, filename, t, ph->p_paddr, buf + ph->p_offset,
               ph->p_filesz, errp) &&
           put_zeros(option, filename, t, ph->p_paddr + ph->p_filesz,
                     ph->p_memsz - ph->p_filesz, errp);
}

static bool elf_load_buf(const char *option, const char *filename,
                         const uint8_t *buf, size_t len,
                         const LoaderTarget *t, LoadedImage *out,
                         Error **errp)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
    const Elf64_Phdr *ph;
    hwaddr low = HWADDR_MAX, high = 0;

    if (!elf_check_header(option, filename, buf, len, errp)) {
        return false;
    }
    ph = (const Elf64_Phdr *)(buf + eh->e_phoff);
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0) {
            continue;
        }
        if (!elf_load_segment(option, filename, buf, len, &ph[i], t, errp)) {
            return false;
        }
        low = MIN(low, ph[i].p_paddr);
        high = MAX(high, ph[i].p_paddr + ph[i].p_memsz);
    }
    if (high == 0) {
        error_setg(errp, "%s %s: the ELF has no loadable segment; give a "
                   "linked executable", option, filename);
        return false;
    }
    *out = (LoadedImage) { .entry = eh->e_entry, .low = low, .high = high };
    return true;
}

bool load_elf_riscv64(const char *option, const char *filename,
                      const LoaderTarget *t, LoadedImage *out, Error **errp)
{
    g_autofree uint8_t *buf = NULL;
    size_t len;

    return read_file(option, filename, &buf, &len, errp) &&
           elf_load_buf(option, filename, buf, len, t, out, errp);
}

static bool is_elf(const uint8_t *buf, size_t len)
{
    return len >= SELFMAG && !memcmp(buf, ELFMAG, SELFMAG);
}

/* ---- gzip ---- */

static bool is_gzip(const uint8_t *buf, size_t len)
{
    return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

/* Inflate a gzip stream; at most @max bytes of output. */
static bool gunzip(const char *option, const char *filename,
                   const uint8_t *in, size_t in_len, uint64_t max,
                   uint8_t **out, size_t *out_len, Error **errp)
{
    z_stream zs = { .next_in = (Bytef *)in, .avail_in = in_len };
    size_t cap = MIN(MAX(in_len * 4, 64 * KiB), max);
    uint8_t *dst = g_malloc(cap);
    int ret;

    if (inflateInit2(&zs, MAX_WBITS + 16) != Z_OK) {
        g_free(dst);
        error_setg(errp, "%s %s: zlib init failed", option, filename);
        return false;
    }
    for (;;) {
        zs.next_out = dst + zs.total_out;
        zs.avail_out = cap - zs.total_out;
        ret = inflate(&zs, Z_NO_FLUSH);
        if (ret != Z_OK) {
            break;                      /* end of stream or error */
        }
        if (zs.avail_out == 0) {
            if (cap >= max) {
                break;                  /* too big: ret stays Z_OK */
            }
            cap = MIN(cap * 2, max);
            dst = g_realloc(dst, cap);
        } else if (zs.avail_in == 0) {
            ret = Z_DATA_ERROR;         /* truncated stream */
            break;
        }
    }
    *out_len = zs.total_out;
    inflateEnd(&zs);

    if (ret != Z_STREAM_END) {
        g_free(dst);
        error_setg(errp, "%s %s: bad or oversized gzip data (%s); give an "
                   "uncompressed image", option, filename,
                   ret == Z_OK ? "larger than RAM" : "corrupt");
        return false;
    }
    *out = dst;
    return true;
}

/* ---- raw and Linux Image ---- */

static uint32_t get_le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
    return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

bool riscv_image_header_parse(const uint8_t *buf, size_t len,
                              uint64_t *image_size)
{
    if (len < RISCV_IMAGE_HEADER_SIZE ||
        get_le32(buf + RISCV_IMAGE_MAGIC2_OFFSET) != RISCV_IMAGE_MAGIC2) {
        return false;
    }
    *image_size = get_le64(buf + 16);
    return true;
}

static bool raw_load_buf(const char *option, const char *filename,
                         const uint8_t *buf, size_t len, hwaddr addr,
                         const LoaderTarget *t, LoadedImage *out,
                         Error **errp)
{
    uint64_t need = len;
    uint64_t image_size;

    /* A Linux Image also needs room for its bss, given in the header. */
    if (riscv_image_header_parse(buf, len, &image_size)) {
        need = MAX(need, image_size);
    }
    if (!check_fits(option, filename, t, addr, need, errp) ||
        !put(option, filename, t, addr, buf, len, errp)) {
        return false;
    }
    *out = (LoadedImage) { .entry = addr, .low = addr, .high = addr + len };
    return true;
}

bool load_image_raw(const char *option, const char *filename, hwaddr addr,
                    const LoaderTarget *t, LoadedImage *out, Error **errp)
{
    g_autofree uint8_t *buf = NULL;
    size_t len;

    return read_file(option, filename, &buf, &len, errp) &&
           raw_load_buf(option, filename, buf, len, addr, t, out, errp);
}

/* ---- U-Boot legacy uImage ---- */

enum {
    UIH_MAGIC = 0, UIH_HCRC = 4, UIH_SIZE = 12, UIH_LOAD = 16, UIH_EP = 20,
    UIH_OS = 28, UIH_ARCH = 29, UIH_TYPE = 30, UIH_COMP = 31,
};

static bool is_uimage(const uint8_t *buf, size_t len)
{
    return len >= UIMAGE_HEADER_SIZE &&
           get_be32(buf + UIH_MAGIC) == UIMAGE_MAGIC;
}

static bool uimage_check(const char *option, const char *filename,
                         const uint8_t *buf, size_t len, Error **errp)
{
    uint8_t hdr[UIMAGE_HEADER_SIZE];
    const char *why = NULL;

    /* The header CRC is computed with its own field zeroed. */
    memcpy(hdr, buf, sizeof(hdr));
    memset(hdr + UIH_HCRC, 0, 4);
    if (crc32(0, hdr, sizeof(hdr)) != get_be32(buf + UIH_HCRC)) {
        why = "header checksum mismatch";
    } else if (buf[UIH_ARCH] != UIMAGE_ARCH_RISCV) {
        why = "not built for RISC-V";
    } else if (buf[UIH_TYPE] != UIMAGE_TYPE_KERNEL) {
        why = "not a kernel image (mkimage -T kernel)";
    } else if (buf[UIH_COMP] != UIMAGE_COMP_NONE &&
               buf[UIH_COMP] != UIMAGE_COMP_GZIP) {
        why = "compression other than none or gzip";
    } else if (len - UIMAGE_HEADER_SIZE < get_be32(buf + UIH_SIZE)) {
        why = "data shorter than the header says";
    }
    if (why) {
        error_setg(errp, "%s %s: uImage %s; rebuild it with mkimage",
                   option, filename, why);
        return false;
    }
    return true;
}

static bool uimage_load_buf(const char *option, const char *filename,
                            const uint8_t *buf, size_t len,
                            const LoaderTarget *t, LoadedImage *out,
                            Error **errp)
{
    const uint8_t *data = buf + UIMAGE_HEADER_SIZE;
    size_t data_len = get_be32(buf + UIH_SIZE);
    hwaddr load = get_be32(buf + UIH_LOAD);
    g_autofree uint8_t *plain = NULL;

    if (!uimage_check(option, filename, buf, len, errp)) {
        return false;
    }
    if (buf[UIH_COMP] == UIMAGE_COMP_GZIP) {
        if (!gunzip(option, filename, data, data_len,
                    MIN(t->ram_size, LOADER_GUNZIP_MAX), &plain, &data_len,
                    errp)) {
            return false;
        }
        data = plain;
    }
    if (!check_fits(option, filename, t, load, data_len, errp) ||
        !put(option, filename, t, load, data, data_len, errp)) {
        return false;
    }
    *out = (LoadedImage) {
        .entry = get_be32(buf + UIH_EP), .low = load,
        .high = load + data_len,
    };
    return true;
}

bool load_uimage(const char *option, const char *filename,
                 const LoaderTarget *t, LoadedImage *out, Error **errp)
{
    g_autofree uint8_t *buf = NULL;
    size_t len;

    if (!read_file(option, filename, &buf, &len, errp)) {
        return false;
    }
    if (!is_uimage(buf, len)) {
        return false;
    }
    return uimage_load_buf(option, filename, buf, len, t, out, errp);
}

/* ---- Dispatch ---- */

bool load_image_auto(const char *option, const char *filename,
                     hwaddr raw_addr, const LoaderTarget *t,
                     LoadedImage *out, Error **errp)
{
    g_autofree uint8_t *buf = NULL;
    g_autofree uint8_t *plain = NULL;
    size_t len;

    if (!read_file(option, filename, &buf, &len, errp)) {
        return false;
    }
    if (is_elf(buf, len)) {
        return elf_load_buf(option, filename, buf, len, t, out, errp);
    }
    if (is_uimage(buf, len)) {
        return uimage_load_buf(option, filename, buf, len, t, out, errp);
    }
    if (is_gzip(buf, len)) {
        if (!gunzip(option, filename, buf, len,
                    MIN(t->ram_size, LOADER_GUNZIP_MAX), &plain, &len,
                    errp)) {
            return false;
        }
        return raw_load_buf(option, filename, plain, len, raw_addr, t, out,
                            errp);
    }
    return raw_load_buf(option, filename, buf, len, raw_addr, t, out, errp);
}

bool loader_check_overlap(const char *opt_a, const LoadedImage *a,
                          const char *opt_b, const LoadedImage *b,
                          Error **errp)
{
    if (a->low < b->high && b->low < a->high) {
        error_setg(errp, "%s [0x%" HWADDR_PRIx ", 0x%" HWADDR_PRIx
                   ") overlaps %s [0x%" HWADDR_PRIx ", 0x%" HWADDR_PRIx
                   "); load one of them elsewhere or give more -m",
                   opt_b, b->low, b->high, opt_a, a->low, a->high);
        return false;
    }
    return true;
}
