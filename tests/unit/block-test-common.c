/*
 * block-test-common.c: helpers shared by the block unit tests.
 */
#include "block-test-common.h"

static char *scratch_dir;

static void remove_scratch(void)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", scratch_dir);

    if (system(cmd) != 0) {
        g_printerr("could not remove %s\n", scratch_dir);
    }
}

const char *test_dir(void)
{
    if (!scratch_dir) {
        scratch_dir = g_dir_make_tmp("machina-block-XXXXXX", NULL);
        g_assert_nonnull(scratch_dir);
        atexit(remove_scratch);
    }
    return scratch_dir;
}

char *test_path(const char *name)
{
    return g_build_filename(test_dir(), name, NULL);
}

bool have_qemu_tools(void)
{
    g_autofree char *img = g_find_program_in_path("qemu-img");
    g_autofree char *io = g_find_program_in_path("qemu-io");

    if (!img || !io) {
        g_test_skip("qemu-img/qemu-io not installed (Debian: qemu-utils)");
        return false;
    }
    return true;
}

int run_cmd(char **err_out, const char *fmt, ...)
{
    g_autofree char *cmd = NULL;
    g_autofree char *out = NULL;
    char *err = NULL;
    char *argv[] = { (char *)"/bin/sh", (char *)"-c", NULL, NULL };
    int status;
    va_list ap;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    argv[2] = cmd;
    g_assert_true(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, &out, &err,
                               &status, NULL));
    if (err_out) {
        *err_out = err;
    } else {
        if (status) {
            g_test_message("'%s' failed: %s%s", cmd, out, err);
        }
        g_free(err);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void fill_pattern(uint8_t *buf, size_t len, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;

    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = x >> 16;
    }
}

void make_raw_file(const char *path, size_t len, uint32_t seed)
{
    g_autofree uint8_t *buf = g_malloc(len);

    fill_pattern(buf, len, seed);
    g_assert_true(g_file_set_contents(path, (char *)buf, len, NULL));
}

void assert_blk_matches_file(BlockBackend *blk, const char *ref)
{
    g_autofree char *want = NULL;
    g_autofree uint8_t *got = NULL;
    gsize len;

    g_assert_true(g_file_get_contents(ref, &want, &len, NULL));
    g_assert_cmpint(blk_getlength(blk), ==, len);
    got = g_malloc(len);
    g_assert_cmpint(blk_pread(blk, 0, len, got, 0), ==, 0);
    for (gsize i = 0; i < len; i++) {
        if (got[i] != (uint8_t)want[i]) {
            g_test_message("first difference at byte %zu", (size_t)i);
            g_assert_cmphex(got[i], ==, (uint8_t)want[i]);
        }
    }
}

void assert_qemu_img_ok(const char *img, const char *ref)
{
    g_assert_cmpint(run_cmd(NULL, "qemu-img check -f qcow2 '%s'", img),
                    ==, 0);
    g_assert_cmpint(run_cmd(NULL, "qemu-img compare -f qcow2 -F raw "
                            "'%s' '%s'", img, ref), ==, 0);
}
