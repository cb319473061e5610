/*
 * block-test-common.h: helpers for the block unit tests: a scratch
 * directory, running qemu-img/qemu-io, and a raw reference file that is
 * written in step with the image under test.
 */
#ifndef BLOCK_TEST_COMMON_H
#define BLOCK_TEST_COMMON_H

#include "qemu/osdep.h"
#include "sysemu/block-backend.h"

/* Scratch directory (removed at exit); path of @name inside it. */
const char *test_dir(void);
char *test_path(const char *name);

/* True if qemu-img and qemu-io are on PATH; else g_test_skip(). */
bool have_qemu_tools(void);

/*
 * Run a shell command line (printf-style); return its exit status.
 * stderr is captured into *err_out when non-NULL.
 */
int run_cmd(char **err_out, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Fill @buf with a pattern derived from @seed. */
void fill_pattern(uint8_t *buf, size_t len, uint32_t seed);

/* Write @len bytes of pattern @seed to a new raw file. */
void make_raw_file(const char *path, size_t len, uint32_t seed);

/* Read all of @blk and compare with the contents of raw file @ref. */
void assert_blk_matches_file(BlockBackend *blk, const char *ref);

/* qemu-img check (no errors, no leaks) and compare against @ref. */
void assert_qemu_img_ok(const char *img, const char *ref);

#endif /* BLOCK_TEST_COMMON_H */
