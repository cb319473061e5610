/*
 * machine.c: the abstract machine type (see hw/boards.h).
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "qapi/error.h"

/* ---- String and bool properties of -machine ---- */

#define MACHINE_STR_PROP(field, fname) \
    static char *machine_get_##fname(Object *obj, Error **errp) \
    { \
        return g_strdup(MACHINE(obj)->field); \
    } \
    static void machine_set_##fname(Object *obj, const char *value, \
                                    Error **errp) \
    { \
        MachineState *ms = MACHINE(obj); \
        g_free(ms->field); \
        ms->field = g_strdup(value); \
    }

MACHINE_STR_PROP(kernel_filename, kernel)
MACHINE_STR_PROP(initrd_filename, initrd)
MACHINE_STR_PROP(kernel_cmdline, append)
MACHINE_STR_PROP(dtb, dtb)
MACHINE_STR_PROP(dumpdtb, dumpdtb)
MACHINE_STR_PROP(firmware, firmware)
MACHINE_STR_PROP(ram_memdev_id, memdev)

#define MACHINE_BOOL_PROP(field) \
    static bool machine_get_##field(Object *obj, Error **errp) \
    { \
        return MACHINE(obj)->field; \
    } \
    static void machine_set_##field(Object *obj, bool value, \
                                    Error **errp) \
    { \
        MACHINE(obj)->field = value; \
    }

MACHINE_BOOL_PROP(mem_merge)
MACHINE_BOOL_PROP(dump_guest_core)
MACHINE_BOOL_PROP(hmat)

static void add_str(ObjectClass *oc, const char *name,
                    char *(*get)(Object *, Error **),
                    void (*set)(Object *, const char *, Error **),
                    const char *desc)
{
    object_class_property_add_str(oc, name, get, set);
    object_class_property_set_description(oc, name, desc);
}

static void add_bool(ObjectClass *oc, const char *name,
                     bool (*get)(Object *, Error **),
                     void (*set)(Object *, bool, Error **),
                     const char *desc)
{
    object_class_property_add_bool(oc, name, get, set);
    object_class_property_set_description(oc, name, desc);
}

static void machine_class_init(ObjectClass *oc, void *data)
{
    add_str(oc, "kernel", machine_get_kernel, machine_set_kernel,
            "Linux kernel image file");
    add_str(oc, "initrd", machine_get_initrd, machine_set_initrd,
            "Linux initial ramdisk file");
    add_str(oc, "append", machine_get_append, machine_set_append,
            "Linux kernel command line");
    add_str(oc, "dtb", machine_get_dtb, machine_set_dtb,
            "Linux kernel device tree file");
    add_str(oc, "dumpdtb", machine_get_dumpdtb, machine_set_dumpdtb,
            "Dump current dtb to a file and quit");
    add_str(oc, "firmware", machine_get_firmware, machine_set_firmware,
            "Firmware image");
    add_str(oc, "memory-backend", machine_get_memdev, machine_set_memdev,
            "Set RAM backend"
            "Valid value is ID of hostmem based backend");
    add_bool(oc, "mem-merge", machine_get_mem_merge,
             machine_set_mem_merge, "Enable/disable memory merge support");
    add_bool(oc, "dump-guest-core", machine_get_dump_guest_core,
             machine_set_dump_guest_core,
             "Include guest memory in a core dump");
    add_bool(oc, "hmat", machine_get_hmat, machine_set_hmat,
             "Set on/off to enable/disable ACPI Heterogeneous Memory "
             "Attribute Table (HMAT)");
}

/* The class name is the type name without "-machine". */
static void machine_class_base_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);
    const char *cname = object_class_get_name(oc);

    if (g_str_has_suffix(cname, TYPE_MACHINE_SUFFIX)) {
        mc->name = g_strndup(cname,
                             strlen(cname) - strlen(TYPE_MACHINE_SUFFIX));
    }
}

static void machine_initfn(Object *obj)
{
    MachineState *ms = MACHINE(obj);
    MachineClass *mc = MACHINE_GET_CLASS(obj);
    unsigned int cpus = mc->default_cpus > 0 ? mc->default_cpus : 1;

    ms->mem_merge = true;
    ms->dump_guest_core = true;
    ms->ram_size = mc->default_ram_size;
    ms->maxram_size = mc->default_ram_size;
    ms->cpu_type = mc->default_cpu_type;
    ms->smp = (CpuTopology) {
        .cpus = cpus, .max_cpus = cpus, .sockets = 1, .dies = 1,
        .clusters = 1, .cores = cpus, .threads = 1,
    };
}

static void machine_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->kernel_filename);
    g_free(ms->initrd_filename);
    g_free(ms->kernel_cmdline);
    g_free(ms->dtb);
    g_free(ms->dumpdtb);
    g_free(ms->firmware);
    g_free(ms->ram_memdev_id);
    g_free(ms->possible_cpus);
}

/* ---- Class lookup ---- */

GSList *machine_class_list(void)
{
    return object_class_get_list_sorted(TYPE_MACHINE, false);
}

MachineClass *machine_find_class(const char *name)
{
    GSList *list = machine_class_list();
    MachineClass *found = NULL;

    for (GSList *l = list; l && !found; l = l->next) {
        MachineClass *mc = l->data;

        if (!g_strcmp0(mc->name, name) || !g_strcmp0(mc->alias, name)) {
            found = mc;
        }
    }
    g_slist_free(list);
    return found;
}

MachineClass *find_default_machine(void)
{
    GSList *list = machine_class_list();
    MachineClass *found = NULL;

    for (GSList *l = list; l && !found; l = l->next) {
        if (((MachineClass *)l->data)->is_default) {
            found = l->data;
        }
    }
    g_slist_free(list);
    return found;
}

void machine_print_list(void)
{
    GSList *list = machine_class_list();

    printf("Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;

        if (mc->alias) {
            printf("%-20s %s (alias of %s)\n", mc->alias, mc->desc,
                   mc->name);
        }
        printf("%-20s %s%s%s\n", mc->name, mc->desc,
               mc->is_default ? " (default)" : "",
               mc->deprecation_reason ? " (deprecated)" : "");
    }
    g_slist_free(list);
}

MachineState *qdev_get_machine_state(void)
{
    Object *obj = object_resolve_path_component(object_get_root(),
                                                "machine");

    return obj ? (MachineState *)object_dynamic_cast(obj, TYPE_MACHINE)
               : NULL;
}

bool machine_run_board_init(MachineState *ms, Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);

    if (!mc->init) {
        error_setg(errp, "machine '%s' cannot be started", mc->name);
        return false;
    }
    mc->init(ms);
    return true;
}

static const TypeInfo machine_info = {
    .name = TYPE_MACHINE,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .class_size = sizeof(MachineClass),
    .class_init = machine_class_init,
    .class_base_init = machine_class_base_init,
    .instance_size = sizeof(MachineState),
    .instance_init = machine_initfn,
    .instance_finalize = machine_finalize,
};

static void machine_register_types(void)
{
    type_register_static(&machine_info);
}

type_init(machine_register_types)
