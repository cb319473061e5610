/*
 * memory-info.c: "info mtree" text in QEMU's layout.
 *
 * The tree view prints each address space's root once (address spaces
 * sharing a root are listed together), then every region that is the
 * target of an alias but not otherwise reachable.  The flat view prints
 * one FlatView per distinct root.
 */
#include "qemu/osdep.h"
#include "exec/memory.h"
#include "memory-internal.h"

static const char *mr_kind_name(MemoryRegion *mr)
{
    while (mr->kind == MR_KIND_ALIAS) {
        mr = mr->alias;
    }
    switch (mr->kind) {
    case MR_KIND_RAM:
        return mr->readonly ? "rom" : "ram";
    case MR_KIND_ROM:
        return "rom";
    default:
        return "i/o";
    }
}

static uint64_t range_last(hwaddr start, uint64_t size)
{
    return size == UINT64_MAX ? UINT64_MAX : start + size - 1;
}

static gint cmp_by_addr(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *x = *(MemoryRegion *const *)a;
    const MemoryRegion *y = *(MemoryRegion *const *)b;

    if (x->addr != y->addr) {
        return x->addr < y->addr ? -1 : 1;
    }
    return y->priority - x->priority;
}

static void print_region(GString *out, MemoryRegion *mr, hwaddr base,
                         int depth, GPtrArray *alias_targets)
{
    g_autoptr(GPtrArray) subs = NULL;

    g_string_append_printf(out, "%*s%016" PRIx64 "-%016" PRIx64
                           " (prio %d, %s%s): ", depth * 2, "", base,
                           range_last(base, mr->size), mr->priority,
                           mr_kind_name(mr), mr->enabled ? "" : ", disabled");
    if (mr->kind == MR_KIND_ALIAS) {
        g_string_append_printf(out, "alias %s @%s %016" PRIx64 "-%016"
                               PRIx64 "\n", mr->name, mr->alias->name,
                               mr->alias_offset,
                               range_last(mr->alias_offset, mr->size));
        if (!g_ptr_array_find(alias_targets, mr->alias, NULL)) {
            g_ptr_array_add(alias_targets, mr->alias);
        }
        return;
    }
    g_string_append_printf(out, "%s\n", mr->name);

    subs = g_ptr_array_copy(mr->subregions, NULL, NULL);
    g_ptr_array_sort(subs, cmp_by_addr);
    for (guint i = 0; i < subs->len; i++) {
        MemoryRegion *sub = g_ptr_array_index(subs, i);

        print_region(out, sub, base + sub->addr, depth + 1, alias_targets);
    }
}

/* Is @mr reachable from @root through containment (not aliases)? */
static bool contains(MemoryRegion *root, MemoryRegion *mr)
{
    if (root == mr) {
        return true;
    }
    for (guint i = 0; i < root->subregions->len; i++) {
        if (contains(g_ptr_array_index(root->subregions, i), mr)) {
            return true;
        }
    }
    return false;
}

static void print_tree(GString *out, GPtrArray *spaces)
{
    g_autoptr(GPtrArray) targets = g_ptr_array_new();

    for (guint i = 0; i < spaces->len; i++) {
        AddressSpace *as = g_ptr_array_index(spaces, i);
        AddressSpace *next = i + 1 < spaces->len ?
                             g_ptr_array_index(spaces, i + 1) : NULL;

        g_string_append_printf(out, "address-space: %s\n", as->name);
        if (next && next->root == as->root) {
            continue;           /* same tree follows under the next name */
        }
        if (as->root) {
            print_region(out, as->root, 0, 1, targets);
        }
        g_string_append_c(out, '\n');
    }

    /* Alias targets outside every address space get their own section. */
    for (guint i = 0; i < targets->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(targets, i);
        bool reachable = false;

        for (guint j = 0; j < spaces->len && !reachable; j++) {
            AddressSpace *as = g_ptr_array_index(spaces, j);

            reachable = as->root && contains(as->root, mr);
        }
        if (!reachable) {
            g_string_append_printf(out, "memory-region: %s\n", mr->name);
            print_region(out, mr, 0, 1, targets);
            g_string_append_c(out, '\n');
        }
    }
}

static void print_flat(GString *out, GPtrArray *spaces)
{
    g_autoptr(GPtrArray) roots = g_ptr_array_new();
    int n = 0;

    for (guint i = 0; i < spaces->len; i++) {
        AddressSpace *as = g_ptr_array_index(spaces, i);
        FlatView *view;

        if (g_ptr_array_find(roots, as->root, NULL)) {
            continue;
        }
        g_ptr_array_add(roots, as->root);
        g_string_append_printf(out, "FlatView #%d\n", n++);
        for (guint j = i; j < spaces->len; j++) {
            AddressSpace *other = g_ptr_array_index(spaces, j);

            if (other->root == as->root) {
                g_string_append_printf(out, " AS \"%s\", root: %s\n",
                                       other->name,
                                       as->root ? as->root->name : "(none)");
            }
        }
        g_string_append_printf(out, " Root memory region: %s\n",
                               as->root ? as->root->name : "(none)");

        view = address_space_get_flatview(as);
        if (view->nr == 0) {
            g_string_append(out, "  No rendered FlatView\n");
        }
        for (guint k = 0; k < view->nr; k++) {
            const FlatRange *fr = &view->ranges[k];

            g_string_append_printf(out, "  %016" PRIx64 "-%016" PRIx64
                                   " (prio %d, %s%s): %s", fr->addr,
                                   range_last(fr->addr, fr->size),
                                   fr->mr->priority, mr_kind_name(fr->mr),
                                   fr->readonly && fr->mr->kind ==
                                   MR_KIND_RAM ? " [ro]" : "",
                                   fr->mr->name);
            if (fr->offset_in_region) {
                g_string_append_printf(out, " @%016" PRIx64,
                                       fr->offset_in_region);
            }
            g_string_append_c(out, '\n');
        }
        address_space_put_flatview(as);
        g_string_append_c(out, '\n');
    }
}

char *memory_mtree_info(bool flatview)
{
    GString *out = g_string_new(NULL);
    GPtrArray *spaces = memory_address_spaces();

    if (spaces) {
        if (flatview) {
            print_flat(out, spaces);
        } else {
            print_tree(out, spaces);
        }
    }
    return g_string_free(out, FALSE);
}
