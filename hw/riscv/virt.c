/*
 * virt.c: the RISC-V "virt" board, QEMU's memory map and interrupt
 * numbers (include/hw/riscv/virt.h), so that OpenSBI's generic
 * platform, U-Boot and Linux boot on it unchanged.
 *
 * Per socket: a hart array, a CLINT (ACLINT MSWI + MTIMER, plus SSWI
 * with aclint=on) and a PLIC wired to that socket's harts only.  Shared:
 * the mask ROM with the reset vector, the sifive_test finisher, the
 * goldfish RTC, a 16550A UART and eight virtio-mmio transports.  RAM
 * comes from -m or from the NUMA nodes' memory backends, laid out from
 * 0x80000000 in node order.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/error-report.h"
#include "qemu/cutils.h"
#include "hw/boards.h"
#include "hw/sysbus.h"
#include "hw/qdev-properties.h"
#include "hw/core/loader.h"
#include "hw/riscv/boot.h"
#include "hw/riscv/virt.h"
#include "hw/riscv/virt-fdt.h"
#include "hw/riscv/riscv_hart.h"
#include "hw/intc/riscv_aclint.h"
#include "hw/intc/sifive_plic.h"
#include "hw/char/serial.h"
#include "hw/riscv/virt-numa.h"
#include "sysemu/sysemu.h"
#include "sysemu/runstate.h"
#include "sysemu/cpus.h"
#include "sysemu/numa.h"

#include <libfdt.h>

#define TYPE_RISCV_VIRT_MACHINE MACHINE_TYPE_NAME("virt")
OBJECT_DECLARE_SIMPLE_TYPE(RISCVVirtState, RISCV_VIRT_MACHINE)

struct RISCVVirtState {
    MachineState parent_obj;

    bool aclint;                /* -machine aclint=on */
    char *aia;                  /* only "none" is modelled */

    RISCVCPUConfig cpu_config;
    /* Socket i owns harts [socket_first[i], + socket_harts[i]). */
    unsigned num_sockets;
    unsigned socket_first[VIRT_SOCKETS_MAX];
    unsigned socket_harts[VIRT_SOCKETS_MAX];
    RISCVHartArrayState soc[VIRT_SOCKETS_MAX];
    DeviceState *plic[VIRT_SOCKETS_MAX];
    DeviceState *mtimer[VIRT_SOCKETS_MAX];
    MemoryRegion mrom;
    MemoryRegion ram_container;

    void *fdt;
    int fdt_size;
};

/* ---- sockets ------------------------------------------------------------ */

/*
 * QEMU 7.2 makes one socket per NUMA node (harts of a node contiguous).
 * Machina does the same when -numa gives such a layout and -smp names
 * no sockets, so the guest sees QEMU's tree; otherwise sockets follow
 * the -smp hierarchy and nodes are described independently of them.
 */
static bool virt_sockets_from_numa(RISCVVirtState *s)
{
    MachineState *ms = MACHINE(s);
    int nodes = numa_num_nodes(ms);
    unsigned next = 0;

    if (ms->smp_sockets_given || nodes < 2 || nodes > VIRT_SOCKETS_MAX) {
        return false;
    }
    for (int node = 0; node < nodes; node++) {
        unsigned first = next;

        while (next < ms->smp.cpus && numa_cpu_node(ms, next) == node) {
            next++;
        }
        if (next == first) {
            return false;       /* a CPU-less node, or nodes out of order */
        }
        s->socket_first[node] = first;
        s->socket_harts[node] = next - first;
    }
    if (next != ms->smp.cpus) {
        return false;
    }
    s->num_sockets = nodes;
    return true;
}

/* Sockets of the -smp hierarchy: max_cpus / sockets harts each. */
static void virt_sockets_from_smp(RISCVVirtState *s)
{
    MachineState *ms = MACHINE(s);
    unsigned per_socket = ms->smp.max_cpus / ms->smp.sockets;

    s->num_sockets = 0;
    for (unsigned i = 0; i < ms->smp.sockets; i++) {
        unsigned first = i * per_socket;

        if (first >= ms->smp.cpus) {
            break;
        }
        s->socket_first[i] = first;
        s->socket_harts[i] = MIN(per_socket, ms->smp.cpus - first);
        s->num_sockets++;
    }
}

static RISCVHartState *virt_hart(RISCVVirtState *s, unsigned hartid)
{
    for (unsigned i = 0; i < s->num_sockets; i++) {
        RISCVHartArrayState *soc = &s->soc[i];

        if (hartid >= soc->hartid_base &&
            hartid < soc->hartid_base + soc->num_harts) {
            return riscv_hart_array_get(soc, hartid - soc->hartid_base);
        }
    }
    return NULL;
}

static uint64_t virt_rdtime(void *opaque)
{
    return riscv_aclint_mtimer_get_ticks(opaque);
}

static bool virt_create_socket(RISCVVirtState *s, unsigned i, Error **errp)
{
    RISCVHartArrayState *soc = &s->soc[i];
    g_autofree char *name = g_strdup_printf("soc%u", i);

    object_initialize_child(OBJECT(s), name, soc, TYPE_RISCV_HART_ARRAY);
    soc->hartid_base = s->socket_first[i];
    soc->num_harts = s->socket_harts[i];
    soc->resetvec = virt_memmap[VIRT_MROM].base;
    riscv_hart_array_set_config(soc, &s->cpu_config);
    return sysbus_realize(SYS_BUS_DEVICE(soc), errp);
}

/* CLINT (or ACLINT with aclint=on) of socket @i, wired to its harts. */
static void virt_create_clint(RISCVVirtState *s, unsigned i)
{
    RISCVHartArrayState *soc = &s->soc[i];
    hwaddr base = virt_clint_base(i);
    DeviceState *swi, *mtimer, *sswi = NULL;

    swi = riscv_aclint_swi_create(base, soc->hartid_base, soc->num_harts,
                                  false);
    mtimer = riscv_aclint_mtimer_create(base + VIRT_ACLINT_MTIMECMP_OFFSET,
                                        VIRT_ACLINT_MTIMER_SIZE,
                                        soc->hartid_base, soc->num_harts,
                                        0, VIRT_ACLINT_MTIME_OFFSET -
                                        VIRT_ACLINT_MTIMECMP_OFFSET,
                                        VIRT_TIMEBASE_FREQ, true);
    if (s->aclint) {
        sswi = riscv_aclint_swi_create(virt_sswi_base(i), soc->hartid_base,
                                       soc->num_harts, true);
    }
    s->mtimer[i] = mtimer;

    for (unsigned h = 0; h < soc->num_harts; h++) {
        RISCVHartState *hart = riscv_hart_array_get(soc, h);

        qdev_connect_gpio_out(swi, h, qdev_get_gpio_in(DEVICE(hart),
                                                       IRQ_M_SOFT));
        qdev_connect_gpio_out(mtimer, h, qdev_get_gpio_in(DEVICE(hart),
                                                          IRQ_M_TIMER));
        if (sswi) {
            qdev_connect_gpio_out(sswi, h, qdev_get_gpio_in(DEVICE(hart),
                                                            IRQ_S_SOFT));
        }
        riscv_cpu_set_rdtime_fn(hart->cpu, virt_rdtime, mtimer);
    }
}

/*
 * PLIC of socket @i: two contexts per hart (M then S).  Outputs
 * 0..n-1 are the S-mode external interrupts of harts 0..n-1, outputs
 * n..2n-1 the M-mode ones (QEMU's order, which qtest tests rely on).
 */
static void virt_create_plic(RISCVVirtState *s, unsigned i)
{
    RISCVHartArrayState *soc = &s->soc[i];
    GString *config = g_string_new(NULL);
    DeviceState *plic;

    for (unsigned h = 0; h < soc->num_harts; h++) {
        g_string_append(config, h ? ",MS" : "MS");
    }
    plic = sifive_plic_create(virt_plic_base(i), config->str,
                              soc->num_harts, soc->hartid_base,
                              /* riscv,ndev sources plus source 0 */
                              VIRT_IRQCHIP_NUM_SOURCES + 1,
                              (1 << VIRT_IRQCHIP_NUM_PRIO_BITS) - 1,
                              VIRT_PLIC_PRIORITY_BASE,
                              VIRT_PLIC_PENDING_BASE,
                              VIRT_PLIC_ENABLE_BASE,
                              VIRT_PLIC_ENABLE_STRIDE,
                              VIRT_PLIC_CONTEXT_BASE,
                              VIRT_PLIC_CONTEXT_STRIDE,
                              VIRT_PLIC_SIZE(2 * soc->num_harts));
    g_string_free(config, TRUE);

    for (unsigned h = 0; h < soc->num_harts; h++) {
        DeviceState *hart = DEVICE(riscv_hart_array_get(soc, h));

        qdev_connect_gpio_out(plic, h, qdev_get_gpio_in(hart, IRQ_S_EXT));
        qdev_connect_gpio_out(plic, soc->num_harts + h,
                              qdev_get_gpio_in(hart, IRQ_M_EXT));
    }
    s->plic[i] = plic;
}

/* ---- memory ------------------------------------------------------------- */

static bool virt_create_memory(RISCVVirtState *s, Error **errp)
{
    MachineState *ms = MACHINE(s);
    MemoryRegion *sys = get_system_memory();

    if (!virt_numa_create_ram(ms, errp)) {
        return false;
    }
    memory_region_add_subregion(sys, virt_memmap[VIRT_DRAM].base, ms->ram);

    if (!memory_region_init_rom(&s->mrom, OBJECT(s),
                                "riscv_virt_board.mrom",
                                virt_memmap[VIRT_MROM].size, errp)) {
        return false;
    }
    memory_region_add_subregion(sys, virt_memmap[VIRT_MROM].base,
                                &s->mrom);
    return true;
}

/* ---- platform devices --------------------------------------------------- */

/* Interrupt line @irq of the PLIC that serves platform devices. */
static qemu_irq virt_plic_irq(RISCVVirtState *s, unsigned socket, int irq)
{
    return qdev_get_gpio_in(s->plic[socket], irq);
}

static void virt_create_devices(RISCVVirtState *s)
{
    /* QEMU 7.2 puts virtio on socket 1's PLIC when there are several. */
    unsigned virtio_socket = s->num_sockets > 1 ? 1 : 0;

    sysbus_create_simple("riscv.sifive.test",
                         virt_memmap[VIRT_TEST].base, NULL);
    sysbus_create_simple("goldfish_rtc", virt_memmap[VIRT_RTC].base,
                         virt_plic_irq(s, 0, RTC_IRQ));
    serial_mm_init(get_system_memory(), virt_memmap[VIRT_UART0].base, 0,
                   virt_plic_irq(s, 0, UART0_IRQ), 399193, serial_hd(0),
                   DEVICE_LITTLE_ENDIAN);

    for (int i = 0; i < VIRTIO_COUNT; i++) {
        sysbus_create_simple("virtio-mmio",
                             virt_memmap[VIRT_VIRTIO].base +
                             i * virt_memmap[VIRT_VIRTIO].size,
                             virt_plic_irq(s, virtio_socket,
                                           VIRTIO_IRQ + i));
    }
}

/* ---- device tree and boot ----------------------------------------------- */

static bool virt_write_rom(hwaddr addr, const void *data, size_t len,
                           Error **errp)
{
    MemTxResult r = address_space_write_rom(&address_space_memory, addr,
                                            MEMTXATTRS_UNSPECIFIED, data,
                                            len);

    if (r != MEMTX_OK) {
        error_setg(errp, "cannot write %zu bytes at 0x%" HWADDR_PRIx
                   " (not RAM or ROM)", len, addr);
        return false;
    }
    return true;
}

static void *virt_build_fdt(RISCVVirtState *s, const RiscvBootInfo *boot,
                            int *size, Error **errp)
{
    MachineState *ms = MACHINE(s);
    unsigned nharts = ms->smp.cpus;
    g_autofree VirtFdtHart *harts = g_new0(VirtFdtHart, nharts);
    g_autofree VirtFdtSocket *sockets = g_new0(VirtFdtSocket,
                                               s->num_sockets);
    g_autofree char *isa = NULL;
    VirtNumaLayout numa;
    VirtFdtConfig cfg;

    virt_numa_layout(ms, virt_memmap[VIRT_DRAM].base, &numa);
    isa = riscv_isa_string(virt_hart(s, 0)->cpu);
    for (unsigned h = 0; h < nharts; h++) {
        harts[h].node_id = numa.num_nodes ? virt_numa_cpu_node(ms, h) : 0;
        harts[h].isa = isa;
        harts[h].mmu_type = VIRT_FDT_DEFAULT_MMU;
    }
    for (unsigned i = 0; i < s->num_sockets; i++) {
        sockets[i].first_hart = s->soc[i].hartid_base;
        sockets[i].num_harts = s->soc[i].num_harts;
    }

    virt_fdt_config_init(&cfg);
    cfg.num_harts = nharts;
    cfg.harts = harts;
    cfg.num_sockets = s->num_sockets;
    cfg.sockets = sockets;
    cfg.num_mem = numa.num_ranges;
    cfg.mem = numa.ranges;
    cfg.num_nodes = numa.num_nodes;
    cfg.distance = numa.distance;
    cfg.aclint = s->aclint;
    cfg.bootargs = ms->kernel_cmdline;
    if (boot->have_initrd) {
        cfg.initrd_start = boot->initrd.low;
        cfg.initrd_end = boot->initrd.high;
    }
    return virt_fdt_build(&cfg, size, errp);
}

/* -dtb FILE replaces the generated tree; /chosen is still updated. */
static void *virt_load_fdt_file(MachineState *ms, const RiscvBootInfo *boot,
                                int *size, Error **errp)
{
    g_autofree char *data = NULL;
    gsize len;
    void *fdt;
    int room;

    if (!g_file_get_contents(ms->dtb, &data, &len, NULL)) {
        error_setg(errp, "-dtb %s: cannot read the device tree file",
                   ms->dtb);
        return NULL;
    }
    if (fdt_check_header(data) != 0 || fdt_totalsize(data) > len) {
        error_setg(errp, "-dtb %s: not a valid flattened device tree",
                   ms->dtb);
        return NULL;
    }
    room = fdt_totalsize(data) + 4096 + (ms->kernel_cmdline ?
                                         strlen(ms->kernel_cmdline) : 0);
    fdt = g_malloc0(room);
    if (fdt_open_into(data, fdt, room) != 0 ||
        (ms->kernel_cmdline &&
         fdt_setprop_string(fdt, fdt_path_offset(fdt, "/chosen"),
                            "bootargs", ms->kernel_cmdline) != 0) ||
        (boot->have_initrd &&
         !virt_fdt_set_initrd(fdt, boot->initrd.low, boot->initrd.high,
                              errp))) {
        if (errp && !*errp) {
            error_setg(errp, "-dtb %s: cannot update /chosen", ms->dtb);
        }
        g_free(fdt);
        return NULL;
    }
    fdt_pack(fdt);
    *size = fdt_totalsize(fdt);
    return fdt;
}

static void virt_dump_fdt(MachineState *ms, void *fdt, int size)
{
    if (!g_file_set_contents(ms->dumpdtb, fdt, size, NULL)) {
        error_report("-machine dumpdtb=%s: cannot write the file",
                     ms->dumpdtb);
        exit(1);
    }
    info_report("dtb dumped to %s. Exiting.", ms->dumpdtb);
    exit(0);
}

static bool virt_boot(RISCVVirtState *s, Error **errp)
{
    MachineState *ms = MACHINE(s);
    hwaddr dram = virt_memmap[VIRT_DRAM].base;
    RiscvBootConfig cfg = {
        .bios = ms->firmware,
        .kernel = ms->kernel_filename,
        .initrd = ms->initrd_filename,
        .append = ms->kernel_cmdline,
        .dram_base = dram,
        .ram_size = ms->ram_size,
    };
    RiscvBootInfo boot;
    LoaderTarget target;
    uint8_t rom[RISCV_RESET_VEC_SIZE] = { 0 };
    hwaddr fdt_addr;

    loader_target_rom(&target, dram, ms->ram_size);
    if (!riscv_boot_load_images(&cfg, &target, &boot, errp)) {
        return false;
    }

    s->fdt = ms->dtb ? virt_load_fdt_file(ms, &boot, &s->fdt_size, errp)
                     : virt_build_fdt(s, &boot, &s->fdt_size, errp);
    if (!s->fdt) {
        return false;
    }
    if (ms->dumpdtb) {
        virt_dump_fdt(ms, s->fdt, s->fdt_size);
    }

    fdt_addr = riscv_compute_fdt_addr(dram, ms->ram_size, s->fdt_size,
                                      errp);
    if (!fdt_addr || !virt_write_rom(fdt_addr, s->fdt, s->fdt_size, errp)) {
        return false;
    }
    riscv_setup_rom_reset_vec(rom, sizeof(rom), boot.start_addr, fdt_addr,
                              boot.kernel_entry);
    return virt_write_rom(virt_memmap[VIRT_MROM].base, rom, sizeof(rom),
                          errp);
}

/* ---- machine ------------------------------------------------------------ */

static bool virt_check_config(RISCVVirtState *s, Error **errp)
{
    MachineState *ms = MACHINE(s);

    if (ms->smp.sockets > VIRT_SOCKETS_MAX) {
        error_setg(errp, "-smp sockets=%u: the virt board has at most %d "
                   "sockets", ms->smp.sockets, VIRT_SOCKETS_MAX);
        return false;
    }
    if (s->aia && strcmp(s->aia, "none") != 0) {
        error_setg(errp, "-machine aia=%s: only aia=none (PLIC) is "
                   "supported by Machina", s->aia);
        return false;
    }
    if (!virt_sockets_from_numa(s)) {
        virt_sockets_from_smp(s);
    }
    riscv_cpu_config_default(&s->cpu_config);
    return !ms->cpu_type ||
           riscv_cpu_parse_features(&s->cpu_config, ms->cpu_type, errp);
}

static void virt_machine_init(MachineState *ms)
{
    RISCVVirtState *s = RISCV_VIRT_MACHINE(ms);
    Error *err = NULL;

    if (!virt_check_config(s, &err) || !virt_create_memory(s, &err)) {
        goto fail;
    }
    for (unsigned i = 0; i < s->num_sockets; i++) {
        if (!virt_create_socket(s, i, &err)) {
            goto fail;
        }
        virt_create_clint(s, i);
        virt_create_plic(s, i);
    }
    virt_create_devices(s);
    if (!virt_boot(s, &err)) {
        goto fail;
    }
    return;

fail:
    error_report_err(err);
    exit(1);
}

static bool virt_get_aclint(Object *obj, Error **errp)
{
    return RISCV_VIRT_MACHINE(obj)->aclint;
}

static void virt_set_aclint(Object *obj, bool value, Error **errp)
{
    RISCV_VIRT_MACHINE(obj)->aclint = value;
}

static char *virt_get_aia(Object *obj, Error **errp)
{
    RISCVVirtState *s = RISCV_VIRT_MACHINE(obj);

    return g_strdup(s->aia ? s->aia : "none");
}

static void virt_set_aia(Object *obj, const char *value, Error **errp)
{
    RISCVVirtState *s = RISCV_VIRT_MACHINE(obj);

    g_free(s->aia);
    s->aia = g_strdup(value);
}

static void virt_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->desc = "RISC-V VirtIO board";
    mc->init = virt_machine_init;
    mc->max_cpus = 512;
    mc->default_cpus = 1;
    mc->is_default = true;
    mc->default_ram_size = 128 * MiB;
    mc->default_ram_id = "riscv_virt_board.ram";
    mc->default_cpu_type = TYPE_RISCV_CPU_BASE64;
    mc->numa_mem_supported = true;
    virt_numa_class_init(mc);

    object_class_property_add_bool(oc, "aclint", virt_get_aclint,
                                   virt_set_aclint);
    object_class_property_set_description(oc, "aclint",
        "Set on/off to enable/disable emulating ACLINT devices");
    object_class_property_add_str(oc, "aia", virt_get_aia, virt_set_aia);
    object_class_property_set_description(oc, "aia",
        "Set type of AIA interrupt controller (only none in Machina)");
}

static const TypeInfo virt_machine_typeinfo = {
    .name = TYPE_RISCV_VIRT_MACHINE,
    .parent = TYPE_MACHINE,
    .instance_size = sizeof(RISCVVirtState),
    .class_init = virt_machine_class_init,
};

static void virt_machine_register_types(void)
{
    type_register_static(&virt_machine_typeinfo);
}

type_init(virt_machine_register_types)
