/*
 * riscv-harness.c: run a bare-metal RV64 ELF on Machina's CPU without a
 * board: RAM at 0x80000000, the virt reset ROM at 0x1000, a CLINT at
 * 0x2000000, the sifive_test finisher at 0x100000 and a UART THR at
 * 0x10000000.  Exits with the finisher's code.  Harts run round-robin on
 * one thread.
 *
 * Usage: riscv-harness [-smp N] [-d ITEMS] [-cpu MODEL,FLAGS]
 *                      [-max-insns N] [-mips] PROG.elf
 * "-M virt -bios none -kernel PROG.elf -nographic" is accepted too, so
 * tests/tcg/run-elf.sh can drive it like an emulator.
 * "-bios FW.elf -kernel KERNEL.elf -dtb FILE" boots firmware such as
 * OpenSBI fw_dynamic the way the virt board does (fw_dynamic_info at
 * 0x1028, the kernel as next stage in S-mode, the device tree below
 * the end of RAM); the PLIC and virtio-mmio windows are plain RAM so
 * firmware and kernels can probe them (no interrupts, no devices).
 * "-accel tcg,thread=multi|single" runs the harts on vCPU threads
 * (softmmu/cpus.c) instead of the harness's own round-robin loop.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "sysemu/cpus.h"
#include <elf.h>
#include <sys/mman.h>
#include "../../target/riscv/cpu.h"

#define RAM_BASE    0x80000000ULL
#define RAM_SIZE    (256 * MiB)
#define ROM_BASE    0x1000
#define FINISHER    0x100000
#define CLINT_BASE  0x2000000
#define UART_BASE   0x10000000
#define KERNEL_BASE 0x80200000       /* raw images, as with OpenSBI */
#define PLIC_BASE   0xc000000
#define PLIC_SIZE   0x600000
#define FW_DYN_MAGIC   0x4942534f       /* "OSBI" */
#define FW_DYN_VERSION 2
#define FW_DYN_NEXT_MODE_S 1
#define MAX_HARTS   8

#define FINISHER_FAIL  0x3333
#define FINISHER_PASS  0x5555
#define FINISHER_RESET 0x7777

#define CLINT_MSIP      0x0
#define CLINT_MTIMECMP  0x4000
#define CLINT_MTIME     0xbff8

static RISCVCPU *harts[MAX_HARTS];
static int nharts = 1;
static uint64_t mtimecmp[MAX_HARTS];
static int64_t start_ns;
static bool finished;
static int exit_code;

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

/* 10 MHz, like the virt board's timebase. */
static uint64_t read_mtime(void *opaque)
{
    return (now_ns() - start_ns) / 100;
}

static void update_timers(void)
{
    uint64_t t = read_mtime(NULL);

    for (int i = 0; i < nharts; i++) {
        riscv_cpu_set_irq(harts[i], IRQ_M_TIMER, t >= mtimecmp[i]);
    }
}

static uint64_t clint_read(void *opaque, hwaddr addr, unsigned size)
{
    if (addr >= CLINT_MTIME) {
        return read_mtime(NULL) >> (8 * (addr - CLINT_MTIME));
    }
    if (addr >= CLINT_MTIMECMP) {
        int h = (addr - CLINT_MTIMECMP) / 8;
        return h < nharts ? mtimecmp[h] >> (8 * (addr & 7)) : 0;
    }
    if (addr / 4 < (hwaddr)nharts) {
        return (riscv_cpu_has_work(harts[addr / 4]) &&
                (__atomic_load_n(&harts[addr / 4]->env.mip,
                                 __ATOMIC_ACQUIRE) & MIP_MSIP)) ? 1 : 0;
    }
    return 0;
}

static void clint_write(void *opaque, hwaddr addr, uint64_t val,
                        unsigned size)
{
    if (addr >= CLINT_MTIMECMP && addr < CLINT_MTIME) {
        int h = (addr - CLINT_MTIMECMP) / 8;
        if (h < nharts) {
            if (size == 8) {
                mtimecmp[h] = val;
            } else {
                int sh = 8 * (addr & 7);
                mtimecmp[h] = (mtimecmp[h] & ~(0xffffffffULL << sh)) |
                              (val << sh);
            }
            update_timers();
        }
        return;
    }
    if (addr < CLINT_MTIMECMP && addr / 4 < (hwaddr)nharts) {
        riscv_cpu_set_irq(harts[addr / 4], IRQ_M_SOFT, val & 1);
    }
}

static const MemoryRegionOps clint_ops = {
    .read = clint_read, .write = clint_write,
};

static uint64_t finisher_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void finisher_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    switch (val & 0xffff) {
    case FINISHER_PASS:
        finished = true;
        exit_code = 0;
        break;
    case FINISHER_FAIL:
        finished = true;
        exit_code = (val >> 16) & 0xffff;
        break;
    case FINISHER_RESET:
        finished = true;
        exit_code = 0;
        break;
    }
    for (int i = 0; i < nharts && finished; i++) {
        riscv_cpu_exit_request(harts[i]);
    }
}

static const MemoryRegionOps finisher_ops = {
    .read = finisher_read, .write = finisher_write,
};

static uint64_t uart_read(void *opaque, hwaddr addr, unsigned size)
{
    return addr == 5 ? 0x60 : 0;    /* LSR: transmitter empty */
}

static void uart_write(void *opaque, hwaddr addr, uint64_t val,
                       unsigned size)
{
    if (addr == 0) {
        fputc((int)val, stdout);
        fflush(stdout);
    }
}

static const MemoryRegionOps uart_ops = {
    .read = uart_read, .write = uart_write,
};

static MemoryRegion ram_mr, rom_mr, clint_mr, fin_mr, uart_mr, plic_mr;
static MemoryRegion virtio_mr, background_mr;
static uint8_t *rom;

static void map_io(MemoryRegion *mr, const MemoryRegionOps *ops,
                   hwaddr base, uint64_t size, const char *name)
{
    memory_region_init_io(mr, NULL, ops, NULL, name, size);
    memory_region_add_subregion(get_system_memory(), base, mr);
}

static void build_rom(uint64_t entry, uint64_t fdt, uint64_t next)
{
    uint64_t info[6] = {
        FW_DYN_MAGIC, FW_DYN_VERSION, next, FW_DYN_NEXT_MODE_S, 0, 0,
    };

    static const uint32_t code[] = {
        0x00000297,     /* auipc t0, 0 */
        0x02828613,     /* addi a2, t0, 40 */
        0xf1402573,     /* csrr a0, mhartid */
        0x0202b583,     /* ld a1, 32(t0) */
        0x0182b283,     /* ld t0, 24(t0) */
        0x00028067,     /* jr t0 */
    };

    /* Same layout as the virt board's reset vector. */
    memcpy(rom, code, sizeof(code));
    memcpy(rom + 0x18, &entry, 8);
    memcpy(rom + 0x20, &fdt, 8);
    memcpy(rom + 0x28, info, sizeof(info));
}

static bool load_elf(const char *path, uint64_t *entry)
{
    g_autofree char *buf = NULL;
    gsize len;
    Elf64_Ehdr *eh;

    if (!g_file_get_contents(path, &buf, &len, NULL) || len < sizeof(*eh)) {
        fprintf(stderr, "riscv-harness: cannot read %s\n", path);
        return false;
    }
    eh = (Elf64_Ehdr *)buf;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
        /* A raw image (e.g. Linux's Image) goes where virt puts kernels. */
        if (len > RAM_SIZE - (KERNEL_BASE - RAM_BASE)) {
            fprintf(stderr, "riscv-harness: %s does not fit\n", path);
            return false;
        }
        memcpy((uint8_t *)memory_region_get_ram_ptr(&ram_mr) +
               (KERNEL_BASE - RAM_BASE), buf, len);
        *entry = KERNEL_BASE;
        return true;
    }
    if (eh->e_machine != EM_RISCV) {
        fprintf(stderr, "riscv-harness: %s is not a RISC-V ELF\n", path);
        return false;
    }
    for (int i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr *ph = (Elf64_Phdr *)(buf + eh->e_phoff +
                                        i * eh->e_phentsize);
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0) {
            continue;
        }
        if (ph->p_paddr < RAM_BASE ||
            ph->p_paddr + ph->p_memsz > RAM_BASE + RAM_SIZE) {
            fprintf(stderr, "riscv-harness: segment outside RAM\n");
            return false;
        }
        memcpy((uint8_t *)memory_region_get_ram_ptr(&ram_mr) +
               (ph->p_paddr - RAM_BASE),
               buf + ph->p_offset, ph->p_filesz);
    }
    *entry = eh->e_entry;
    return true;
}

/* Run on vCPU threads; the main thread plays the timer device. */
static int run_threaded(const char *accel)
{
    Error *err = NULL;

    if (!cpus_parse_accel_opts(accel, &err)) {
        error_report_err(err);
        return 2;
    }
    qemu_mutex_lock_iothread();
    for (int i = 0; i < nharts; i++) {
        qemu_init_vcpu(harts[i]);
    }
    resume_all_vcpus();
    while (!finished) {
        qemu_mutex_unlock_iothread();
        g_usleep(100);
        qemu_mutex_lock_iothread();
        update_timers();
    }
    pause_all_vcpus();
    qemu_mutex_unlock_iothread();
    return exit_code;
}

int main(int argc, char **argv)
{
    const char *prog = NULL, *cpu_opt = "rv64", *log = NULL, *accel = NULL;
    const char *bios = NULL, *dtb = NULL;
    uint64_t fdt_addr = 0, next_addr = 0;
    uint64_t max_insns = 20ULL * 1000 * 1000 * 1000, entry, total = 0;
    RISCVCPUConfig cfg;
    bool mips = false;
    uint64_t slice;
    int64_t t0;
    Error *err = NULL;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-smp") && i + 1 < argc) {
            int n = atoi(argv[++i]);
            nharts = MIN(MAX(n, 1), MAX_HARTS);
        } else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
            log = argv[++i];
        } else if (!strcmp(argv[i], "-cpu") && i + 1 < argc) {
            cpu_opt = argv[++i];
        } else if (!strcmp(argv[i], "-max-insns") && i + 1 < argc) {
            max_insns = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "-mips")) {
            mips = true;
        } else if (!strcmp(argv[i], "-kernel") && i + 1 < argc) {
            prog = argv[++i];
        } else if (!strcmp(argv[i], "-bios") && i + 1 < argc) {
            bios = strcmp(argv[++i], "none") ? argv[i] : NULL;
        } else if (!strcmp(argv[i], "-dtb") && i + 1 < argc) {
            dtb = argv[++i];
        } else if (!strcmp(argv[i], "-M") && i + 1 < argc) {
            i++;        /* "-M virt": what the harness is */
        } else if (!strcmp(argv[i], "-accel") && i + 1 < argc) {
            accel = argv[++i];
        } else if (!strcmp(argv[i], "-nographic")) {
            continue;
        } else {
            prog = argv[i];
        }
    }
    if (!prog) {
        fprintf(stderr, "usage: riscv-harness [-smp N] [-d ITEMS] "
                "[-cpu MODEL] [-max-insns N] [-mips] PROG.elf\n");
        return 2;
    }
    if (log) {
        int mask = qemu_str_to_log_mask(log, &err);
        if (!mask || !qemu_set_log_filename_flags(NULL, mask, &err)) {
            error_report_err(err);
            return 2;
        }
    }
    if (!riscv_cpu_parse_features(&cfg, cpu_opt, &err)) {
        error_report_err(err);
        return 2;
    }

    /* Memory map. */
    memory_region_init_ram(&ram_mr, NULL, "riscv.ram", RAM_SIZE,
                           &error_abort);
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &ram_mr);
    memory_region_init_rom(&rom_mr, NULL, "riscv.mrom", 0x1000,
                           &error_abort);
    memory_region_add_subregion(get_system_memory(), ROM_BASE, &rom_mr);
    rom = memory_region_get_ram_ptr(&rom_mr);
    map_io(&clint_mr, &clint_ops, CLINT_BASE, 0x10000, "clint");
    map_io(&fin_mr, &finisher_ops, FINISHER, 0x1000, "finisher");
    map_io(&uart_mr, &uart_ops, UART_BASE, 0x100, "uart");
    memory_region_init_ram(&plic_mr, NULL, "plic-as-ram", PLIC_SIZE,
                           &error_abort);
    memory_region_add_subregion(get_system_memory(), PLIC_BASE, &plic_mr);
    /* Empty virtio-mmio slots: magic reads 0, so drivers skip them. */
    memory_region_init_ram(&virtio_mr, NULL, "virtio-as-ram", 0x8000,
                           &error_abort);
    memory_region_add_subregion(get_system_memory(), 0x10001000,
                                &virtio_mr);
    if (bios) {
        /*
         * Booting a kernel: let it probe the virt devices we lack (RTC,
         * PCIe, flash...) as zero-filled memory below RAM.
         */
        memory_region_init_ram(&background_mr, NULL, "background",
                               RAM_BASE, &error_abort);
        memory_region_add_subregion_overlap(get_system_memory(), 0,
                                            &background_mr, -1);
    }
    if (!load_elf(prog, &entry)) {
        return 2;
    }
    if (bios) {
        /* Firmware first; the program becomes its S-mode next stage. */
        next_addr = entry;
        if (!load_elf(bios, &entry)) {
            return 2;
        }
    }
    if (dtb) {
        g_autofree char *blob = NULL;
        gsize len;
        if (!g_file_get_contents(dtb, &blob, &len, NULL) || len > 2 * MiB) {
            fprintf(stderr, "riscv-harness: cannot load %s\n", dtb);
            return 2;
        }
        fdt_addr = RAM_BASE + RAM_SIZE - 2 * MiB;
        memcpy((uint8_t *)memory_region_get_ram_ptr(&ram_mr) +
               (fdt_addr - RAM_BASE), blob, len);
    }
    build_rom(entry, fdt_addr, next_addr);

    /* Harts. */
    start_ns = now_ns();
    for (int i = 0; i < nharts; i++) {
        harts[i] = riscv_cpu_new(&cfg, i, &address_space_memory,
                                 &error_abort);
        riscv_cpu_set_rdtime_fn(harts[i], read_mtime, NULL);
        riscv_cpu_reset(harts[i], ROM_BASE);
    }
    update_timers();

    if (accel) {
        return run_threaded(accel);
    }

    /*
     * Round-robin until the finisher is hit or the budget runs out; short
     * slices with several harts so that time-bounded waits see the others.
     */
    slice = nharts > 1 ? 10000 : 1000000;
    t0 = now_ns();
    while (!finished && total < max_insns) {
        bool all_halted = true;
        for (int i = 0; i < nharts && !finished; i++) {
            uint64_t before = harts[i]->env.instret;
            if (riscv_cpu_exec(harts[i], slice) != EXEC_HALTED) {
                all_halted = false;
            }
            total += harts[i]->env.instret - before;
        }
        update_timers();
        if (all_halted && !finished) {
            g_usleep(50);
        }
    }
    if (mips) {
        double s = (now_ns() - t0) / 1e9;
        fprintf(stderr, "riscv-harness: %" PRIu64 " instructions in %.3f s "
                "= %.1f MIPS\n", total, s, total / s / 1e6);
    }
    if (!finished) {
        GString *st = g_string_new(NULL);
        riscv_cpu_dump_state(harts[0], st);
        fprintf(stderr, "riscv-harness: instruction budget exhausted\n%s",
                st->str);
        g_string_free(st, true);
        return 124;
    }
    return exit_code;
}
