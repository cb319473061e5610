/*
 * cutils.h: number and size parsers.
 *
 * All parsers return 0 on success and a negative errno on failure:
 * -EINVAL for text that is not a number (or has trailing junk when @endptr
 * is NULL), -ERANGE for a value that does not fit.  They never accept a
 * leading '-' for unsigned results.  Base 0 means C rules (0x.., 0.., dec).
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

int qemu_strtoi(const char *nptr, const char **endptr, int base,
                int *result);
int qemu_strtoui(const char *nptr, const char **endptr, int base,
                 unsigned int *result);
int qemu_strtol(const char *nptr, const char **endptr, int base,
                long *result);
int qemu_strtoul(const char *nptr, const char **endptr, int base,
                 unsigned long *result);
int qemu_strtoi64(const char *nptr, const char **endptr, int base,
                  int64_t *result);
int qemu_strtou64(const char *nptr, const char **endptr, int base,
                  uint64_t *result);

/*
 * Sizes: a number (decimal, or 0x hex without fraction) with an optional
 * suffix B, K, M, G, T, P, E (powers of 1024; case-insensitive).  A
 * decimal fraction is allowed with a suffix ("1.5G").  qemu_strtosz()
 * defaults to bytes, qemu_strtosz_MiB() to MiB (as -m does).
 */
int qemu_strtosz(const char *nptr, const char **end, uint64_t *result);
int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result);
int qemu_strtosz_metric(const char *nptr, const char **end,
                        uint64_t *result);

/* "on|off|yes|no|true|false" -> 0 and *result; -EINVAL otherwise. */
int qemu_parse_bool(const char *str, bool *result);

/* "1 GiB", "512 MiB", ... (caller frees). */
char *size_to_str(uint64_t val);

static inline bool is_power_of_2(uint64_t value)
{
    return value && !(value & (value - 1));
}

static inline uint64_t pow2ceil(uint64_t value)
{
    int n = value <= 1 ? 0 : 64 - __builtin_clzll(value - 1);

    return n >= 64 ? 0 : UINT64_C(1) << n;
}

#endif /* QEMU_CUTILS_H */
