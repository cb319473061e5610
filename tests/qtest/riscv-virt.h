/*
 * riscv-virt.h: the riscv virt board as qtest programs see it: the
 * memory map of QEMU 7.2's virt (docs/virt.md), interrupt numbers, and a
 * lookup of a device's QOM path by type.
 */
#ifndef QTEST_RISCV_VIRT_H
#define QTEST_RISCV_VIRT_H

#include "libqtest.h"

#define VIRT_TEST_BASE          0x100000ULL     /* sifive_test finisher */
#define VIRT_RTC_BASE           0x101000ULL
#define VIRT_CLINT_BASE         0x2000000ULL
#define VIRT_CLINT_STRIDE       0x10000ULL      /* per socket */
#define VIRT_PLIC_BASE          0xc000000ULL
#define VIRT_UART0_BASE         0x10000000ULL
#define VIRT_DRAM_BASE          0x80000000ULL

/* PLIC sources of the board's devices. */
#define VIRT_UART0_IRQ          10
#define VIRT_RTC_IRQ            11
#define VIRT_VIRTIO_IRQ(n)      (1 + (n))

/* Hart GPIO inputs: mip bit numbers. */
#define HART_IRQ_SSIP           1
#define HART_IRQ_MSIP           3
#define HART_IRQ_MTIP           7
#define HART_IRQ_SEIP           9
#define HART_IRQ_MEIP           11

/*
 * QOM path of the first device of type @type among the children of
 * @parent (e.g. "/machine/unattached"), or NULL; caller frees.  Device
 * numbering shifts with options, so tests look devices up by type.
 */
static inline char *virt_find_device(QTestState *qts, const char *parent,
                                     const char *type)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'qom-list', "
                           "'arguments': {'path': %s}}", parent);
    char *want = g_strdup_printf("child<%s>", type);
    QListEntry *e;
    char *path = NULL;

    QLIST_FOREACH_ENTRY(qdict_get_qlist(rsp, "return"), e) {
        QDict *prop = qobject_to(QDict, qlist_entry_obj(e));

        if (!path && g_str_equal(qdict_get_str(prop, "type"), want)) {
            path = g_strdup_printf("%s/%s", parent,
                                   qdict_get_str(prop, "name"));
        }
    }
    qobject_unref(rsp);
    g_free(want);
    return path;
}

#endif /* QTEST_RISCV_VIRT_H */
