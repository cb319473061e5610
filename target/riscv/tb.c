/*
 * tb.c: the per-hart cache of decoded blocks.
 *
 * Blocks are found by the physical address of their first instruction;
 * a small jump cache maps virtual pcs to blocks in front of it.  The
 * jump cache and the links between blocks are only trusted while
 * env->tb_gen is unchanged: every TLB flush and block invalidation bumps
 * it, and each privilege level has its own values, so nothing stale or
 * checked at another level is ever followed.
 *
 * A block dropped while the hart may be executing it (a store into its
 * page, fence.i) becomes a zombie and is freed by riscv_tb_reap() at the
 * next entry to the execution loop.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "internals.h"

#define JC_BITS     12
#define JC_SIZE     (1 << JC_BITS)
/* Decoded blocks kept before the whole cache is dropped. */
#define TB_CACHE_MAX_BLOCKS 262144

typedef struct JumpCacheEntry {
    uint64_t vpc;
    uint64_t gen;
    TranslationBlock *tb;
} JumpCacheEntry;

struct TBCache {
    GHashTable *by_paddr;       /* &tb->paddr -> tb */
    GHashTable *pages;          /* uint64_t *ppage -> GPtrArray of tb */
    GPtrArray *zombies;
    size_t count;
    bool flush_pending;
    JumpCacheEntry jc[JC_SIZE];
};

static TBCache *tbc_get(CPURISCVState *env)
{
    if (!env->tbc) {
        TBCache *c = g_new0(TBCache, 1);
        c->by_paddr = g_hash_table_new(g_int64_hash, g_int64_equal);
        c->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal,
                                         g_free,
                                         (GDestroyNotify)g_ptr_array_unref);
        c->zombies = g_ptr_array_new();
        env->tbc = c;
    }
    return env->tbc;
}

static void tb_kill(TBCache *c, TranslationBlock *tb)
{
    if (tb->invalid) {
        return;
    }
    tb->invalid = true;
    if (g_hash_table_lookup(c->by_paddr, &tb->paddr) == tb) {
        g_hash_table_remove(c->by_paddr, &tb->paddr);
    }
    g_ptr_array_add(c->zombies, tb);
    c->count--;
}

static void page_add(CPURISCVState *env, TBCache *c, uint64_t ppage,
                     TranslationBlock *tb)
{
    GPtrArray *a = g_hash_table_lookup(c->pages, &ppage);

    if (!a) {
        uint64_t *key = g_new(uint64_t, 1);
        *key = ppage;
        a = g_ptr_array_new();
        g_hash_table_insert(c->pages, key, a);
        /* Stores into this page must now take the slow path. */
        riscv_tlb_drop_writes_to(env, ppage);
    }
    g_ptr_array_add(a, tb);
}

static void page_remove(TBCache *c, uint64_t ppage, TranslationBlock *tb)
{
    GPtrArray *a = g_hash_table_lookup(c->pages, &ppage);

    if (a) {
        g_ptr_array_remove_fast(a, tb);
        if (a->len == 0) {
            g_hash_table_remove(c->pages, &ppage);
        }
    }
}

void riscv_tb_reap(CPURISCVState *env)
{
    TBCache *c = tbc_get(env);

    if (!c->flush_pending && c->zombies->len == 0) {
        return;
    }
    riscv_fpu_sync_flags(env);      /* GLib may use floating point */

    if (c->flush_pending) {
        c->flush_pending = false;
        riscv_tb_flush(env);
    }
    for (guint i = 0; i < c->zombies->len; i++) {
        TranslationBlock *tb = g_ptr_array_index(c->zombies, i);
        page_remove(c, tb->paddr & TLB_PAGE_MASK, tb);
        if (tb->paddr2_page != TB_NO_PAGE2) {
            page_remove(c, tb->paddr2_page, tb);
        }
        g_free(tb);
    }
    g_ptr_array_set_size(c->zombies, 0);
    riscv_fpu_clear_host_flags();
}

void riscv_tb_flush(CPURISCVState *env)
{
    TBCache *c = tbc_get(env);
    GHashTableIter it;
    gpointer key, value;

    riscv_fpu_sync_flags(env);      /* GLib may use floating point */
    g_hash_table_iter_init(&it, c->by_paddr);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        TranslationBlock *tb = value;
        tb->invalid = true;
        g_ptr_array_add(c->zombies, tb);
        g_hash_table_iter_remove(&it);
    }
    c->count = 0;
    riscv_tb_gen_bump(env);
    riscv_fpu_clear_host_flags();
}

bool riscv_tb_page_has_code(CPURISCVState *env, uint64_t ppage)
{
    return g_hash_table_contains(tbc_get(env)->pages, &ppage);
}

bool riscv_tb_invalidate_page(CPURISCVState *env, uint64_t ppage)
{
    TBCache *c = tbc_get(env);
    GPtrArray *a = g_hash_table_lookup(c->pages, &ppage);

    if (!a) {
        return false;
    }
    riscv_fpu_sync_flags(env);      /* GLib may use floating point */
    for (guint i = 0; i < a->len; i++) {
        tb_kill(c, g_ptr_array_index(a, i));
    }
    riscv_tb_gen_bump(env);
    riscv_fpu_clear_host_flags();
    return true;
}

void riscv_tb_cache_free(CPURISCVState *env)
{
    if (env->tbc) {
        riscv_tb_flush(env);
        riscv_tb_reap(env);
        g_hash_table_destroy(env->tbc->by_paddr);
        g_hash_table_destroy(env->tbc->pages);
        g_ptr_array_free(env->tbc->zombies, true);
        g_free(env->tbc);
        env->tbc = NULL;
    }
}

/* Decode and insert the block at @pc (physical @paddr). */
static TranslationBlock *tb_create(CPURISCVState *env, TBCache *c,
                                   uint64_t pc, uint64_t paddr,
                                   const uint8_t *host)
{
    const uint8_t *host2 = NULL;
    uint64_t paddr2 = TB_NO_PAGE2;
    TranslationBlock *tb;

    /* GLib's hash tables use floating point: keep its flags out. */
    riscv_fpu_sync_flags(env);

    /* A 32-bit instruction in the last two bytes of the page. */
    if ((pc & ~TLB_PAGE_MASK) == TLB_PAGE_SIZE - 2 &&
        (host[TLB_PAGE_SIZE - 2] & 3) == 3) {
        host2 = riscv_fetch_page(env, pc + 2, &paddr2);
        if (!host2) {
            riscv_fpu_clear_host_flags();
            return NULL;
        }
    }
    tb = riscv_tb_decode(env, pc, paddr, host, host2, paddr2);
    if (qemu_loglevel_mask(CPU_LOG_TB_IN_ASM)) {
        riscv_log_block(env, tb, pc, host, host2);
    }
    g_hash_table_insert(c->by_paddr, &tb->paddr, tb);
    page_add(env, c, paddr & TLB_PAGE_MASK, tb);
    if (tb->paddr2_page != TB_NO_PAGE2) {
        page_add(env, c, tb->paddr2_page, tb);
    }
    if (++c->count > TB_CACHE_MAX_BLOCKS) {
        c->flush_pending = true;
    }
    riscv_fpu_clear_host_flags();
    return tb;
}

/* "-d cpu" and "-d exec": the state and pc before each block runs. */
static void log_exec(CPURISCVState *env, uint64_t pc)
{
    if (qemu_loglevel_mask(CPU_LOG_TB_CPU)) {
        g_autoptr(GString) s = g_string_new(NULL);
        riscv_cpu_dump_state(riscv_env_cpu(env), s);
        qemu_log("%s", s->str);
    }
    if (qemu_loglevel_mask(CPU_LOG_EXEC)) {
        qemu_log("Trace %" PRIu64 ": [%016" PRIx64 "]\n", env->mhartid,
                 pc);
    }
}

TranslationBlock *riscv_tb_lookup(CPURISCVState *env, uint64_t pc)
{
    TBCache *c = tbc_get(env);
    JumpCacheEntry *j = &c->jc[(pc >> 1) & (JC_SIZE - 1)];
    TranslationBlock *tb;
    const uint8_t *host;
    uint64_t ppage, paddr;

    if (unlikely(qemu_loglevel_mask(CPU_LOG_EXEC | CPU_LOG_TB_CPU))) {
        log_exec(env, pc);
    }
    if (j->vpc == pc && j->gen == env->tb_gen) {
        return j->tb;
    }

    /* Translate the pc, then look for a block at that physical address. */
    host = riscv_fetch_page(env, pc, &ppage);
    if (!host) {
        return NULL;
    }
    paddr = ppage | (pc & ~TLB_PAGE_MASK);
    tb = g_hash_table_lookup(c->by_paddr, &paddr);
    if (tb && tb->paddr2_page != TB_NO_PAGE2) {
        uint64_t p2;
        if (!riscv_fetch_page(env, pc + 2, &p2)) {
            return NULL;
        }
        if (p2 != tb->paddr2_page) {
            riscv_fpu_sync_flags(env);
            tb_kill(c, tb);
            riscv_fpu_clear_host_flags();
            riscv_tb_gen_bump(env);
            tb = NULL;
        }
    }
    if (!tb) {
        tb = tb_create(env, c, pc, paddr, host);
        if (!tb) {
            return NULL;
        }
    }
    j->vpc = pc;
    j->gen = env->tb_gen;
    j->tb = tb;
    return tb;
}
