/*
 * test-block-aio.c: asynchronous block requests completing through the
 * main loop: the callback runs from main_loop_wait(), in the main thread,
 * with the big lock held.
 */
#include "block-test-common.h"
#include "qemu/main-loop.h"

typedef struct AioState {
    GThread *main_thread;
    int done;
    int errors;
    bool wrong_context;
} AioState;

static void aio_done(void *opaque, int ret)
{
    AioState *st = opaque;

    st->done++;
    st->errors += ret < 0;
    st->wrong_context |= g_thread_self() != st->main_thread ||
                         !qemu_mutex_iothread_locked();
}

/* Run the main loop until @st has seen @n completions (or 10 s pass). */
static void loop_until(AioState *st, int n)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

    while (st->done < n && g_get_monotonic_time() < deadline) {
        main_loop_wait(false);
    }
    g_assert_cmpint(st->done, ==, n);
}

static void run_async(const char *fmt, const char *img)
{
    enum { N = 48, LEN = 5000, STRIDE = 23000 };
    static uint8_t wbuf[N][LEN], rbuf[N][LEN];
    QEMUIOVector wq[N], rq[N];
    AioState st = { .main_thread = g_thread_self() };
    GHashTable *opts = bdrv_opts_new();
    Error *err = NULL;
    BlockBackend *blk;

    bdrv_opts_set(opts, "driver", fmt);
    blk = blk_new_open(img, opts, BDRV_O_RDWR, &err);
    g_assert_null(err);

    /* Writes in flight together; nothing completes outside the loop. */
    for (int i = 0; i < N; i++) {
        fill_pattern(wbuf[i], LEN, 300 + i);
        qemu_iovec_init_buf(&wq[i], wbuf[i], LEN);
        blk_aio_pwritev(blk, (int64_t)i * STRIDE, &wq[i], 0, aio_done, &st);
    }
    g_usleep(50000);
    g_assert_cmpint(st.done, ==, 0);
    loop_until(&st, N);

    blk_aio_flush(blk, aio_done, &st);
    blk_aio_pwrite_zeroes(blk, (int64_t)N * STRIDE, 65536, 0, aio_done,
                          &st);
    blk_aio_pdiscard(blk, (int64_t)(N + 4) * STRIDE, 65536, aio_done, &st);
    loop_until(&st, N + 3);

    for (int i = 0; i < N; i++) {
        qemu_iovec_init_buf(&rq[i], rbuf[i], LEN);
        blk_aio_preadv(blk, (int64_t)i * STRIDE, &rq[i], 0, aio_done, &st);
    }
    loop_until(&st, 2 * N + 3);
    g_assert_cmpint(st.errors, ==, 0);
    g_assert_false(st.wrong_context);
    for (int i = 0; i < N; i++) {
        g_assert_cmpmem(rbuf[i], LEN, wbuf[i], LEN);
        qemu_iovec_destroy(&wq[i]);
        qemu_iovec_destroy(&rq[i]);
    }
    blk_unref(blk);
}

static void test_aio_raw(void)
{
    g_autofree char *img = test_path("aio.raw");

    make_raw_file(img, 2 * 1024 * 1024, 1);
    run_async("raw", img);
}

static void test_aio_qcow2(void)
{
    g_autofree char *img = test_path("aio.qcow2");

    if (!have_qemu_tools()) {
        return;
    }
    g_assert_cmpint(run_cmd(NULL, "qemu-img create -q -f qcow2 '%s' 2M",
                            img), ==, 0);
    run_async("qcow2", img);
    g_assert_cmpint(run_cmd(NULL, "qemu-img check -q '%s'", img), ==, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qemu_init_main_loop(&error_abort);
    qemu_mutex_lock_iothread();
    g_test_add_func("/block/aio/main-loop/raw", test_aio_raw);
    g_test_add_func("/block/aio/main-loop/qcow2", test_aio_qcow2);
    return g_test_run();
}
