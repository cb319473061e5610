/*
 * virt-fdt.c: device tree of the RISC-V "virt" board.
 *
 * The tree is written with libfdt's sequential-write API, so nodes appear
 * in the order written here; that order is the one QEMU 7.2's dumpdtb
 * shows, which keeps `dtc -O dts` of both trees easy to compare.  Phandles
 * are numbered as QEMU numbers them (harts from the highest down, then
 * PLICs from the highest socket down, then the test device) although no
 * guest depends on the numbers.
 */
#include "qemu/osdep.h"
#include <sys/random.h>
#include <libfdt.h>
#include "hw/riscv/virt.h"
#include "hw/riscv/virt-fdt.h"

/* Local interrupt numbers of a hart (mip bits), the cells used in DT. */
#define IRQ_S_SOFT      1
#define IRQ_M_SOFT      3
#define IRQ_M_TIMER     7
#define IRQ_S_EXT       9
#define IRQ_M_EXT       11

/*
 * QEMU 7.2's riscv,event-to-mhpmcounters for its default PMU (counters
 * 3..18): triplets <first event, last event, counter mask>.  Data observed
 * with dumpdtb; OpenSBI reads it to route SBI PMU events.
 */
static const uint32_t virt_pmu_event_map[] = {
    0x00001, 0x00001, 0x7fff9,     /* cycles */
    0x00002, 0x00002, 0x7fffc,     /* instructions */
    0x10019, 0x10019, 0x7fff8,     /* DTLB read miss */
    0x1001b, 0x1001b, 0x7fff8,     /* DTLB write miss */
    0x10021, 0x10021, 0x7fff8,     /* ITLB read miss */
    0, 0, 0, 0, 0,                 /* end of table, as QEMU writes it */
};

typedef struct FdtBuilder {
    const VirtFdtConfig *cfg;
    void *fdt;
    int err;                    /* first libfdt error, 0 if none */
    uint32_t *cpu_phandle;      /* per hart */
    uint32_t *intc_phandle;     /* per hart */
    uint32_t plic_phandle[VIRT_SOCKETS_MAX];
    uint32_t test_phandle;
} FdtBuilder;

/* ---- Small writers that remember the first libfdt error ---- */

static void fb_check(FdtBuilder *b, int ret)
{
    if (ret < 0 && !b->err) {
        b->err = ret;
    }
}

static void G_GNUC_PRINTF(2, 3) fb_begin(FdtBuilder *b, const char *fmt, ...)
{
    va_list ap;
    char *name;

    va_start(ap, fmt);
    name = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fb_check(b, fdt_begin_node(b->fdt, name));
    g_free(name);
}

static void fb_end(FdtBuilder *b)
{
    fb_check(b, fdt_end_node(b->fdt));
}

static void fb_u32(FdtBuilder *b, const char *name, uint32_t val)
{
    fb_check(b, fdt_property_u32(b->fdt, name, val));
}

static void fb_str(FdtBuilder *b, const char *name, const char *str)
{
    fb_check(b, fdt_property_string(b->fdt, name, str));
}

/* A string list: @len counts the embedded and final NULs. */
static void fb_strlist(FdtBuilder *b, const char *name,
                       const char *list, size_t len)
{
    fb_check(b, fdt_property(b->fdt, name, list, len));
}

static void fb_empty(FdtBuilder *b, const char *name)
{
    fb_check(b, fdt_property(b->fdt, name, NULL, 0));
}

/* @n cells given in host order, stored big-endian. */
static void fb_cells(FdtBuilder *b, const char *name,
                     const uint32_t *cells, size_t n)
{
    g_autofree fdt32_t *be = g_new(fdt32_t, MAX(n, 1));

    for (size_t i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    fb_check(b, fdt_property(b->fdt, name, be, n * sizeof(fdt32_t)));
}

/* reg with #address-cells = #size-cells = 2 for @n (base, size) pairs. */
static void fb_reg64(FdtBuilder *b, const uint64_t *pairs, size_t n)
{
    uint32_t cells[16];

    assert(n * 4 <= ARRAY_SIZE(cells));
    for (size_t i = 0; i < n * 2; i++) {
        cells[i * 2] = pairs[i] >> 32;
        cells[i * 2 + 1] = (uint32_t)pairs[i];
    }
    fb_cells(b, "reg", cells, n * 4);
}

static void fb_reg(FdtBuilder *b, uint64_t base, uint64_t size)
{
    const uint64_t pair[] = { base, size };

    fb_reg64(b, pair, 1);
}

#define fb_compat(b, lit) fb_strlist((b), "compatible", (lit), sizeof(lit))

/* ---- Configuration checks ---- */

static bool numa_on(const FdtBuilder *b)
{
    return b->cfg->num_nodes > 0;
}

static bool check_sockets(const VirtFdtConfig *cfg, Error **errp)
{
    unsigned next = 0;

    if (cfg->num_sockets < 1 || cfg->num_sockets > VIRT_SOCKETS_MAX) {
        error_setg(errp, "-smp sockets=%u: the virt board supports 1 to %d "
                   "sockets", cfg->num_sockets, VIRT_SOCKETS_MAX);
        return false;
    }
    for (unsigned s = 0; s < cfg->num_sockets; s++) {
        const VirtFdtSocket *sk = &cfg->sockets[s];

        if (sk->first_hart != next || sk->num_harts == 0) {
            error_setg(errp, "-smp: socket %u must own harts from %u on; "
                       "give every socket at least one hart", s, next);
            return false;
        }
        next += sk->num_harts;
    }
    if (next != cfg->num_harts) {
        error_setg(errp, "-smp: sockets hold %u harts but there are %u; "
                   "make sockets*cores*threads equal cpus", next,
                   cfg->num_harts);
        return false;
    }
    return true;
}

/* The values Linux accepts: 10 to self, at least 10 elsewhere. */
static bool check_distances(const VirtFdtConfig *cfg, Error **errp)
{
    unsigned n = cfg->num_nodes;

    for (unsigned src = 0; src < n; src++) {
        for (unsigned dst = 0; dst < n; dst++) {
            unsigned d = cfg->distance[src * n + dst];

            if (src == dst ? d != 10 : d < 10) {
                error_setg(errp, "-numa dist,src=%u,dst=%u: distance %u is "
                           "invalid; use 10 to self and 10..255 elsewhere",
                           src, dst, d);
                return false;
            }
        }
    }
    return true;
}

static bool check_numa(const VirtFdtConfig *cfg, Error **errp)
{
    if (cfg->num_nodes > VIRT_FDT_MAX_NODES) {
        error_setg(errp, "-numa: %u nodes given, at most %d are supported",
                   cfg->num_nodes, VIRT_FDT_MAX_NODES);
        return false;
    }
    if (cfg->num_nodes == 0) {
        return true;
    }
    for (unsigned i = 0; i < cfg->num_harts; i++) {
        if (cfg->harts[i].node_id < 0 ||
            cfg->harts[i].node_id >= (int)cfg->num_nodes) {
            error_setg(errp, "-numa: CPU %u is in node %d, which is not "
                       "declared; add -numa node,nodeid=%d", i,
                       cfg->harts[i].node_id, cfg->harts[i].node_id);
            return false;
        }
    }
    for (unsigned i = 0; i < cfg->num_mem; i++) {
        if (cfg->mem[i].node_id < 0 ||
            cfg->mem[i].node_id >= (int)cfg->num_nodes) {
            error_setg(errp, "-numa: memory range %u belongs to undeclared "
                       "node %d", i, cfg->mem[i].node_id);
            return false;
        }
    }
    return !cfg->distance || check_distances(cfg, errp);
}

static bool check_config(const VirtFdtConfig *cfg, Error **errp)
{
    if (cfg->num_harts < 1 || cfg->num_harts > VIRT_CPUS_MAX ||
        !cfg->harts) {
        error_setg(errp, "-smp: the virt board needs 1 to %d CPUs, got %u",
                   VIRT_CPUS_MAX, cfg->num_harts);
        return false;
    }
    if (cfg->num_mem < 1 || !cfg->mem) {
        error_setg(errp, "-m: the virt board needs RAM; give -m SIZE");
        return false;
    }
    return check_sockets(cfg, errp) && check_numa(cfg, errp);
}

/* ---- Phandles ---- */

static void alloc_phandles(FdtBuilder *b)
{
    const VirtFdtConfig *cfg = b->cfg;
    uint32_t next = 1;

    /* Harts from the highest id down, as QEMU: cpu then its intc. */
    for (int i = cfg->num_harts - 1; i >= 0; i--) {
        b->cpu_phandle[i] = next++;
        b->intc_phandle[i] = next++;
    }
    for (int s = cfg->num_sockets - 1; s >= 0; s--) {
        b->plic_phandle[s] = next++;
    }
    b->test_phandle = next++;
}

/* ---- Helpers on the topology ---- */

static int socket_node(const FdtBuilder *b, unsigned s)
{
    return b->cfg->harts[b->cfg->sockets[s].first_hart].node_id;
}

static void fb_node_id(FdtBuilder *b, int node)
{
    if (numa_on(b)) {
        fb_u32(b, "numa-node-id", node);
    }
}

/* interrupts-extended of socket @s: <intc irq> per (hart, irq) pair. */
static void fb_hart_irqs(FdtBuilder *b, unsigned s,
                         const uint32_t *irqs, size_t nirqs)
{
    const VirtFdtSocket *sk = &b->cfg->sockets[s];
    g_autofree uint32_t *cells = g_new(uint32_t, sk->num_harts * nirqs * 2);
    size_t n = 0;

    for (unsigned h = 0; h < sk->num_harts; h++) {
        for (size_t k = 0; k < nirqs; k++) {
            cells[n++] = b->intc_phandle[sk->first_hart + h];
            cells[n++] = irqs[k];
        }
    }
    fb_cells(b, "interrupts-extended", cells, n);
}

static uint32_t plic_of(const FdtBuilder *b, unsigned want_socket)
{
    unsigned s = MIN(want_socket, b->cfg->num_sockets - 1);

    return b->plic_phandle[s];
}

static uint64_t ram_end(const VirtFdtConfig *cfg)
{
    uint64_t end = 0;

    for (unsigned i = 0; i < cfg->num_mem; i++) {
        end = MAX(end, cfg->mem[i].base + cfg->mem[i].size);
    }
    return end;
}

/* ---- Root-level nodes ---- */

static void fdt_add_pmu(FdtBuilder *b)
{
    fb_begin(b, "pmu");
    fb_cells(b, "riscv,event-to-mhpmcounters", virt_pmu_event_map,
             ARRAY_SIZE(virt_pmu_event_map));
    fb_compat(b, "riscv,pmu");
    fb_end(b);
}

static void fdt_add_fw_cfg(FdtBuilder *b)
{
    const MemMapEntry *m = &virt_memmap[VIRT_FW_CFG];

    fb_begin(b, "fw-cfg@%" HWADDR_PRIx, m->base);
    fb_empty(b, "dma-coherent");
    fb_reg(b, m->base, m->size);
    fb_compat(b, "qemu,fw-cfg-mmio");
    fb_end(b);
}

static void fdt_add_flash(FdtBuilder *b)
{
    const MemMapEntry *m = &virt_memmap[VIRT_FLASH];
    uint64_t bank = m->size / 2;
    const uint64_t banks[] = { m->base, bank, m->base + bank, bank };

    fb_begin(b, "flash@%" HWADDR_PRIx, m->base);
    fb_u32(b, "bank-width", 4);
    fb_reg64(b, banks, 2);
    fb_compat(b, "cfi-flash");
    fb_end(b);
}

static void fb_initrd_props(FdtBuilder *b)
{
    const VirtFdtConfig *cfg = b->cfg;

    /* 32-bit cells as QEMU when they fit; Linux reads either width. */
    if (cfg->initrd_end <= UINT32_MAX) {
        fb_u32(b, "linux,initrd-end", cfg->initrd_end);
        fb_u32(b, "linux,initrd-start", cfg->initrd_start);
    } else {
        fb_check(b, fdt_property_u64(b->fdt, "linux,initrd-end",
                                     cfg->initrd_end));
        fb_check(b, fdt_property_u64(b->fdt, "linux,initrd-start",
                                     cfg->initrd_start));
    }
}

static void fdt_add_chosen(FdtBuilder *b)
{
    const VirtFdtConfig *cfg = b->cfg;
    uint8_t seed[VIRT_FDT_RNG_SEED_LEN];

    if (cfg->rng_seed) {
        memcpy(seed, cfg->rng_seed, sizeof(seed));
    } else if (getrandom(seed, sizeof(seed), 0) != sizeof(seed)) {
        for (size_t i = 0; i < sizeof(seed); i++) {
            seed[i] = g_random_int();
        }
    }

    fb_begin(b, "chosen");
    fb_check(b, fdt_property(b->fdt, "rng-seed", seed, sizeof(seed)));
    fb_str(b, "stdout-path", "/soc/serial@10000000");
    if (cfg->initrd_end) {
        fb_initrd_props(b);
    }
    if (cfg->bootargs) {
        fb_str(b, "bootargs", cfg->bootargs);
    }
    fb_end(b);
}

static void fdt_add_syscon(FdtBuilder *b, const char *name,
                           uint32_t value, const char *compat)
{
    fb_begin(b, "%s", name);
    fb_u32(b, "value", value);
    fb_u32(b, "offset", 0);
    fb_u32(b, "regmap", b->test_phandle);
    fb_str(b, "compatible", compat);
    fb_end(b);
}

/* All N x N <src dst distance> triplets, as QEMU and the binding. */
static void fdt_add_distance_map(FdtBuilder *b)
{
    unsigned n = b->cfg->num_nodes;
    g_autofree uint32_t *cells = g_new(uint32_t, n * n * 3);
    size_t k = 0;

    for (unsigned src = 0; src < n; src++) {
        for (unsigned dst = 0; dst < n; dst++) {
            cells[k++] = src;
            cells[k++] = dst;
            cells[k++] = b->cfg->distance[src * n + dst];
        }
    }
    fb_begin(b, "distance-map");
    fb_cells(b, "distance-matrix", cells, k);
    fb_compat(b, "numa-distance-map-v1");
    fb_end(b);
}

static void fdt_add_platform_bus(FdtBuilder *b)
{
    const MemMapEntry *m = &virt_memmap[VIRT_PLATFORM_BUS];
    const uint32_t ranges[] = { 0, 0, m->base, m->size };

    fb_begin(b, "platform-bus@%" HWADDR_PRIx, m->base);
    fb_u32(b, "interrupt-parent", plic_of(b, 0));
    fb_cells(b, "ranges", ranges, ARRAY_SIZE(ranges));
    fb_u32(b, "#address-cells", 1);
    fb_u32(b, "#size-cells", 1);
    fb_compat(b, "qemu,platform\0simple-bus");
    fb_end(b);
}

/*
 * A memory-less node gets a memory@ node with size 0, as QEMU 7.2 writes
 * it, unless another range starts at the same address: the node names
 * would clash, and the binding only needs the cpu nodes' numa-node-id to
 * describe a memory-less node.
 */
static bool mem_range_named_elsewhere(const VirtFdtConfig *cfg, unsigned i)
{
    for (unsigned j = 0; j < cfg->num_mem; j++) {
        if (j != i && cfg->mem[j].base == cfg->mem[i].base &&
            (cfg->mem[j].size || j < i)) {
            return true;
        }
    }
    return false;
}

static void fdt_add_memory(FdtBuilder *b)
{
    const VirtFdtConfig *cfg = b->cfg;

    for (unsigned i = 0; i < cfg->num_mem; i++) {
        const VirtFdtMemRange *r = &cfg->mem[i];

        if (r->size == 0 && mem_range_named_elsewhere(cfg, i)) {
            continue;
        }
        fb_begin(b, "memory@%" HWADDR_PRIx, r->base);
        fb_node_id(b, r->node_id);
        fb_str(b, "device_type", "memory");
        fb_reg(b, r->base, r->size);
        fb_end(b);
    }
}

/* ---- /cpus ---- */

static void fdt_add_cpu(FdtBuilder *b, unsigned hart)
{
    const VirtFdtHart *h = &b->cfg->harts[hart];

    fb_begin(b, "cpu@%u", hart);
    fb_u32(b, "phandle", b->cpu_phandle[hart]);
    fb_node_id(b, h->node_id);
    fb_str(b, "device_type", "cpu");
    fb_u32(b, "reg", hart);
    fb_str(b, "status", "okay");
    fb_str(b, "compatible", "riscv");
    fb_str(b, "riscv,isa", h->isa ? h->isa : VIRT_FDT_DEFAULT_ISA);
    if (h->mmu_type) {
        fb_str(b, "mmu-type", h->mmu_type);
    }

    fb_begin(b, "interrupt-controller");
    fb_u32(b, "#interrupt-cells", 1);
    fb_empty(b, "interrupt-controller");
    fb_str(b, "compatible", "riscv,cpu-intc");
    fb_u32(b, "phandle", b->intc_phandle[hart]);
    fb_end(b);

    fb_end(b);
}

/* cpu-map: one cluster per socket, one core per hart of the socket. */
static void fdt_add_cpu_map(FdtBuilder *b)
{
    fb_begin(b, "cpu-map");
    for (unsigned s = 0; s < b->cfg->num_sockets; s++) {
        const VirtFdtSocket *sk = &b->cfg->sockets[s];

        fb_begin(b, "cluster%u", s);
        for (unsigned c = 0; c < sk->num_harts; c++) {
            fb_begin(b, "core%u", c);
            fb_u32(b, "cpu", b->cpu_phandle[sk->first_hart + c]);
            fb_end(b);
        }
        fb_end(b);
    }
    fb_end(b);
}

static void fdt_add_cpus(FdtBuilder *b)
{
    fb_begin(b, "cpus");
    fb_u32(b, "#address-cells", 1);
    fb_u32(b, "#size-cells", 0);
    fb_u32(b, "timebase-frequency", VIRT_TIMEBASE_FREQ);
    for (unsigned i = 0; i < b->cfg->num_harts; i++) {
        fdt_add_cpu(b, i);
    }
    fdt_add_cpu_map(b);
    fb_end(b);
}

/* ---- /soc devices ---- */

static void fdt_add_rtc(FdtBuilder *b)
{
    const MemMapEntry *m = &virt_memmap[VIRT_RTC];

    fb_begin(b, "rtc@%" HWADDR_PRIx, m->base);
    fb_u32(b, "interrupts", RTC_IRQ);
    fb_u32(b, "interrupt-parent", plic_of(b, 0));
    fb_reg(b, m->base, m->size);
    fb_str(b, "compatible", "google,goldfish-rtc");
    fb_end(b);
}

static void fdt_add_uart(FdtBuilder *b)
{
    const MemMapEntry *m = &virt_memmap[VIRT_UART0];

    fb_begin(b, "serial@%" HWADDR_PRIx, m->base);
    fb_u32(b, "interrupts", UART0_IRQ);
    fb_u32(b, "interrupt-parent", plic_of(b, 0));
    fb_u32(b, "clock-frequency", VIRT_UART_CLOCK_HZ);
    fb_reg(b, m->base, m->size);
    fb_str(b, "compatible", "ns16550a");
    fb_end(b);
}

static void fdt_add_test(FdtBuilder *b)
{
    const MemMapEntry *m = &virt_memmap[VIRT_TEST];

    fb_begin(b, "test@%" HWADDR_PRIx, m->base);
    fb_u32(b, "phandle", b->test_phandle);
    fb_reg(b, m->base, m->size);
    fb_compat(b, "sifive,test1\0sifive,test0\0syscon");
    fb_end(b);
}

/*
 * PCIe INTx: slot s, pin p (0..3 for INTA..INTD) raises PLIC source
 * PCIE_IRQ + (s + p) % 4, the usual swizzle, for the 4 slots the mask
 * distinguishes.
 */
static void fb_pci_interrupt_map(FdtBuilder *b, uint32_t plic)
{
    uint32_t cells[4 * 4 * 6];
    size_t k = 0;

    for (unsigned slot = 0; slot < 4; slot++) {
        for (unsigned pin = 0; pin < 4; pin++) {
            cells[k++] = slot << 11;        /* devfn in phys.hi */
            cells[k++] = 0;
            cells[k++] = 0;
            cells[k++] = pin + 1;
            cells[k++] = plic;
            cells[k++] = PCIE_IRQ + (slot + pin) % 4;
        }
    }
    fb_cells(b, "interrupt-map", cells, k);
}

static void fdt_add_pcie(FdtBuilder *b)
{
    const MemMapEntry *ecam = &virt_memmap[VIRT_PCIE_ECAM];
    const MemMapEntry *pio = &virt_memmap[VIRT_PCIE_PIO];
    const MemMapEntry *mmio = &virt_memmap[VIRT_PCIE_MMIO];
    uint64_t high = ROUND_UP(ram_end(b->cfg), VIRT64_HIGH_PCIE_MMIO_SIZE);
    uint64_t hsize = VIRT64_HIGH_PCIE_MMIO_SIZE;
    const uint32_t mask[] = { 0x1800, 0, 0, 7 };
    const uint32_t bus_range[] = { 0, 0xff };
    const uint32_t ranges[] = {
        0x1000000, 0, 0, pio->base >> 32, (uint32_t)pio->base,
        pio->size >> 32, (uint32_t)pio->size,
        0x2000000, mmio->base >> 32, (uint32_t)mmio->base,
        mmio->base >> 32, (uint32_t)mmio->base,
        mmio->size >> 32, (uint32_t)mmio->size,
        0x3000000, high >> 32, (uint32_t)high, high >> 32, (uint32_t)high,
        hsize >> 32, (uint32_t)hsize,
    };

    fb_begin(b, "pci@%" HWADDR_PRIx, ecam->base);
    fb_cells(b, "interrupt-map-mask", mask, ARRAY_SIZE(mask));
    fb_pci_interrupt_map(b, plic_of(b, 2));
    fb_cells(b, "ranges", ranges, ARRAY_SIZE(ranges));
    fb_reg(b, ecam->base, ecam->size);
    fb_empty(b, "dma-coherent");
    fb_cells(b, "bus-range", bus_range, ARRAY_SIZE(bus_range));
    fb_u32(b, "linux,pci-domain", 0);
    fb_str(b, "device_type", "pci");
    fb_str(b, "compatible", "pci-host-ecam-generic");
    fb_u32(b, "#size-cells", 2);
    fb_u32(b, "#interrupt-cells", 1);
    fb_u32(b, "#address-cells", 3);
    fb_end(b);
}

/*
 * virtio-mmio, highest address first as QEMU lists them.  With two or
 * more sockets QEMU 7.2 routes them to socket 1's PLIC; we keep that for
 * tree parity (the board wires each PLIC's contexts to its own harts).
 */
static void fdt_add_virtio(FdtBuilder *b)
{
    const MemMapEntry *m = &virt_memmap[VIRT_VIRTIO];

    for (int i = VIRTIO_COUNT - 1; i >= 0; i--) {
        hwaddr base = m->base + i * m->size;

        fb_begin(b, "virtio_mmio@%" HWADDR_PRIx, base);
        fb_u32(b, "interrupts", VIRTIO_IRQ + i);
        fb_u32(b, "interrupt-parent", plic_of(b, 1));
        fb_reg(b, base, m->size);
        fb_str(b, "compatible", "virtio,mmio");
        fb_end(b);
    }
}

static void fdt_add_plic(FdtBuilder *b, unsigned s)
{
    static const uint32_t irqs[] = { IRQ_M_EXT, IRQ_S_EXT };
    hwaddr base = virt_plic_base(s);

    fb_begin(b, "plic@%" HWADDR_PRIx, base);
    fb_u32(b, "phandle", b->plic_phandle[s]);
    fb_node_id(b, socket_node(b, s));
    fb_u32(b, "riscv,ndev", VIRT_IRQCHIP_NUM_SOURCES);
    fb_reg(b, base, virt_memmap[VIRT_PLIC].size);
    fb_hart_irqs(b, s, irqs, ARRAY_SIZE(irqs));
    fb_empty(b, "interrupt-controller");
    fb_compat(b, "sifive,plic-1.0.0\0riscv,plic0");
    fb_u32(b, "#address-cells", 0);
    fb_u32(b, "#interrupt-cells", 1);
    fb_end(b);
}

static void fdt_add_clint(FdtBuilder *b, unsigned s)
{
    static const uint32_t irqs[] = { IRQ_M_SOFT, IRQ_M_TIMER };
    hwaddr base = virt_clint_base(s);

    fb_begin(b, "clint@%" HWADDR_PRIx, base);
    fb_node_id(b, socket_node(b, s));
    fb_hart_irqs(b, s, irqs, ARRAY_SIZE(irqs));
    fb_reg(b, base, virt_memmap[VIRT_CLINT].size);
    fb_compat(b, "sifive,clint0\0riscv,clint0");
    fb_end(b);
}

static void fdt_add_aclint_swi(FdtBuilder *b, unsigned s, const char *name,
                               hwaddr base, uint32_t irq, const char *compat)
{
    fb_begin(b, "%s@%" HWADDR_PRIx, name, base);
    fb_node_id(b, socket_node(b, s));
    fb_u32(b, "#interrupt-cells", 0);
    fb_empty(b, "interrupt-controller");
    fb_hart_irqs(b, s, &irq, 1);
    fb_reg(b, base, VIRT_ACLINT_MSWI_SIZE);
    fb_str(b, "compatible", compat);
    fb_end(b);
}

/*
 * ACLINT MTIMER: reg gives mtime first (to the end of the socket's CLINT
 * window, 0x4008 bytes, as QEMU 7.2 writes it), then the mtimecmp array.
 */
static void fdt_add_aclint_mtimer(FdtBuilder *b, unsigned s)
{
    static const uint32_t irq = IRQ_M_TIMER;
    hwaddr clint = virt_clint_base(s);
    hwaddr base = clint + VIRT_ACLINT_MTIMECMP_OFFSET;
    const uint64_t regs[] = {
        clint + VIRT_ACLINT_MTIME_OFFSET,
        VIRT_CLINT_SOCKET_STRIDE - VIRT_ACLINT_MTIME_OFFSET,
        base, VIRT_ACLINT_MTIME_OFFSET - VIRT_ACLINT_MTIMECMP_OFFSET,
    };

    fb_begin(b, "mtimer@%" HWADDR_PRIx, base);
    fb_node_id(b, socket_node(b, s));
    fb_hart_irqs(b, s, &irq, 1);
    fb_reg64(b, regs, 2);
    fb_str(b, "compatible", "riscv,aclint-mtimer");
    fb_end(b);
}

static void fdt_add_socket_intcs(FdtBuilder *b, unsigned s)
{
    if (b->cfg->aclint) {
        fdt_add_aclint_swi(b, s, "sswi", virt_sswi_base(s), IRQ_S_SOFT,
                           "riscv,aclint-sswi");
        fdt_add_aclint_mtimer(b, s);
        fdt_add_aclint_swi(b, s, "mswi", virt_clint_base(s), IRQ_M_SOFT,
                           "riscv,aclint-mswi");
    } else {
        fdt_add_clint(b, s);
    }
}

static void fdt_add_soc(FdtBuilder *b)
{
    fb_begin(b, "soc");
    fb_u32(b, "#address-cells", 2);
    fb_u32(b, "#size-cells", 2);
    fb_str(b, "compatible", "simple-bus");
    fb_empty(b, "ranges");

    fdt_add_rtc(b);
    fdt_add_uart(b);
    fdt_add_test(b);
    if (b->cfg->pcie) {
        fdt_add_pcie(b);
    }
    fdt_add_virtio(b);
    for (unsigned s = 0; s < b->cfg->num_sockets; s++) {
        fdt_add_plic(b, s);
    }
    for (unsigned s = 0; s < b->cfg->num_sockets; s++) {
        fdt_add_socket_intcs(b, s);
    }
    fb_end(b);
}

/* ---- The whole tree ---- */

static void fdt_add_root(FdtBuilder *b)
{
    const VirtFdtConfig *cfg = b->cfg;

    fb_begin(b, "%s", "");
    fb_u32(b, "#address-cells", 2);
    fb_u32(b, "#size-cells", 2);
    fb_str(b, "compatible", "riscv-virtio");
    fb_str(b, "model", "riscv-virtio,qemu");

    if (cfg->pmu) {
        fdt_add_pmu(b);
    }
    if (cfg->fw_cfg) {
        fdt_add_fw_cfg(b);
    }
    if (cfg->flash) {
        fdt_add_flash(b);
    }
    fdt_add_chosen(b);
    fdt_add_syscon(b, "poweroff", VIRT_TEST_FINISHER_PASS,
                   "syscon-poweroff");
    fdt_add_syscon(b, "reboot", VIRT_TEST_FINISHER_RESET, "syscon-reboot");
    if (numa_on(b) && cfg->distance) {
        fdt_add_distance_map(b);
    }
    if (cfg->platform_bus) {
        fdt_add_platform_bus(b);
    }
    fdt_add_memory(b);
    fdt_add_cpus(b);
    fdt_add_soc(b);
    fb_end(b);
}

/* One sequential-write pass into a buffer of @size bytes. */
static int build_into(FdtBuilder *b, void *buf, int size)
{
    b->fdt = buf;
    b->err = 0;
    fb_check(b, fdt_create(buf, size));
    fb_check(b, fdt_finish_reservemap(buf));
    fdt_add_root(b);
    fb_check(b, fdt_finish(buf));
    return b->err;
}

void virt_fdt_config_init(VirtFdtConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->pmu = true;
}

void *virt_fdt_build(const VirtFdtConfig *cfg, int *fdt_size, Error **errp)
{
    FdtBuilder b = { .cfg = cfg };
    g_autofree uint32_t *cpu_ph = NULL, *intc_ph = NULL;
    int size = 64 * KiB + cfg->num_harts * 1 * KiB +
               cfg->num_nodes * cfg->num_nodes * 12;
    void *seq = NULL, *out;
    int ret;

    if (!check_config(cfg, errp)) {
        return NULL;
    }
    cpu_ph = b.cpu_phandle = g_new0(uint32_t, cfg->num_harts);
    intc_ph = b.intc_phandle = g_new0(uint32_t, cfg->num_harts);
    alloc_phandles(&b);

    /* Grow the buffer until the tree fits. */
    do {
        g_free(seq);
        seq = g_malloc0(size);
        ret = build_into(&b, seq, size);
        size *= 2;
    } while (ret == -FDT_ERR_NOSPACE);
    if (ret < 0) {
        g_free(seq);
        error_setg(errp, "device tree: %s", fdt_strerror(ret));
        return NULL;
    }

    /*
     * Reopen read-write with room for the boot code's additions; 1 MiB
     * at least, as QEMU, so the DTB placement rule gives the same address.
     */
    size = MAX(1 * MiB, fdt_totalsize(seq) * 2);
    out = g_malloc0(size);
    ret = fdt_open_into(seq, out, size);
    g_free(seq);
    if (ret < 0) {
        g_free(out);
        error_setg(errp, "device tree: %s", fdt_strerror(ret));
        return NULL;
    }
    *fdt_size = fdt_totalsize(out);
    return out;
}

bool virt_fdt_set_initrd(void *fdt, hwaddr start, hwaddr end, Error **errp)
{
    int node = fdt_path_offset(fdt, "/chosen");
    int ret;

    if (node < 0) {
        node = fdt_add_subnode(fdt, 0, "chosen");
    }
    if (node < 0) {
        error_setg(errp, "-initrd: cannot add /chosen to the device tree: "
                   "%s", fdt_strerror(node));
        return false;
    }
    if (end <= UINT32_MAX) {
        ret = fdt_setprop_u32(fdt, node, "linux,initrd-start", start);
        if (!ret) {
            ret = fdt_setprop_u32(fdt, node, "linux,initrd-end", end);
        }
    } else {
        ret = fdt_setprop_u64(fdt, node, "linux,initrd-start", start);
        if (!ret) {
            ret = fdt_setprop_u64(fdt, node, "linux,initrd-end", end);
        }
    }
    if (ret < 0) {
        error_setg(errp, "-initrd: cannot set /chosen/linux,initrd-*: %s; "
                   "give a -dtb with free space", fdt_strerror(ret));
        return false;
    }
    return true;
}
