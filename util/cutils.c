/*
 * cutils.c: number and size parsers (see qemu/cutils.h).
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include <math.h>

/* Common tail: reject empty input and junk, translate strtoX errno. */
static int check_strtox_error(const char *nptr, const char *ep,
                              const char **endptr, bool check_junk,
                              int libc_errno)
{
    if (ep == nptr) {
        libc_errno = EINVAL;
    }
    if (!endptr && check_junk && *ep) {
        libc_errno = EINVAL;
    }
    if (endptr) {
        *endptr = ep;
    }
    return -libc_errno;
}

static bool has_minus(const char *nptr)
{
    while (g_ascii_isspace(*nptr)) {
        nptr++;
    }
    return *nptr == '-';
}

int qemu_strtoi64(const char *nptr, const char **endptr, int base,
                  int64_t *result)
{
    char *ep;
    long long v;

    if (!nptr) {
        return -EINVAL;
    }
    errno = 0;
    v = strtoll(nptr, &ep, base);
    if (errno == 0) {
        *result = v;
    }
    return check_strtox_error(nptr, ep, endptr, true, errno);
}

int qemu_strtou64(const char *nptr, const char **endptr, int base,
                  uint64_t *result)
{
    char *ep;
    unsigned long long v;

    if (!nptr) {
        return -EINVAL;
    }
    if (has_minus(nptr)) {
        if (endptr) {
            *endptr = nptr;
        }
        return -EINVAL;
    }
    errno = 0;
    v = strtoull(nptr, &ep, base);
    if (errno == 0) {
        *result = v;
    }
    return check_strtox_error(nptr, ep, endptr, true, errno);
}

int qemu_strtol(const char *nptr, const char **endptr, int base,
                long *result)
{
    int64_t v;
    int ret = qemu_strtoi64(nptr, endptr, base, &v);

    if (ret == 0) {
        *result = v;
    }
    return ret;
}

int qemu_strtoul(const char *nptr, const char **endptr, int base,
                 unsigned long *result)
{
    uint64_t v;
    int ret = qemu_strtou64(nptr, endptr, base, &v);

    if (ret == 0) {
        *result = v;
    }
    return ret;
}

int qemu_strtoi(const char *nptr, const char **endptr, int base,
                int *result)
{
    int64_t v;
    int ret = qemu_strtoi64(nptr, endptr, base, &v);

    if (ret == 0 && (v < INT_MIN || v > INT_MAX)) {
        return -ERANGE;
    }
    if (ret == 0) {
        *result = v;
    }
    return ret;
}

int qemu_strtoui(const char *nptr, const char **endptr, int base,
                 unsigned int *result)
{
    uint64_t v;
    int ret = qemu_strtou64(nptr, endptr, base, &v);

    if (ret == 0 && v > UINT_MAX) {
        return -ERANGE;
    }
    if (ret == 0) {
        *result = v;
    }
    return ret;
}

static int suffix_shift(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B':
        return 0;
    case 'K':
        return 10;
    case 'M':
        return 20;
    case 'G':
        return 30;
    case 'T':
        return 40;
    case 'P':
        return 50;
    case 'E':
        return 60;
    default:
        return -1;
    }
}

/*
 * Integer part first (exact for hex and for large decimals), then an
 * optional decimal fraction, which is only meaningful with a suffix.
 */
static int do_strtosz(const char *nptr, const char **end,
                      int default_shift, uint64_t unit_base,
                      uint64_t *result)
{
    const char *p = nptr, *frac_end;
    uint64_t ival, mul = 1;
    double frac = 0;
    int shift = default_shift, ret;
    bool hex;

    if (!nptr || has_minus(nptr)) {
        goto invalid;
    }
    hex = !g_ascii_strncasecmp(p, "0x", 2);
    ret = qemu_strtou64(p, &p, 0, &ival);
    if (ret) {
        if (end) {
            *end = nptr;
        }
        return ret;
    }
    if (*p == '.' && !hex) {
        char *ep;

        frac = g_ascii_strtod(p, &ep);
        frac_end = ep;
        if (frac_end == p + 1 && !g_ascii_isdigit(p[1])) {
            goto invalid;
        }
        p = frac_end;
    }
    if (*p && suffix_shift(*p) >= 0 && !hex) {
        shift = suffix_shift(*p);
        p++;
    } else if (*p && hex && g_ascii_toupper(*p) != 'B'
               && suffix_shift(*p) > 0) {
        /* "0x10M" is ambiguous; QEMU refuses it too. */
        goto invalid;
    }
    if (frac && shift == 0) {
        goto invalid;
    }
    if (!end && *p) {
        goto invalid;
    }

    for (int i = 0; i < shift / 10; i++) {
        mul *= unit_base;
    }
    if (ival && mul > UINT64_MAX / ival) {
        goto range;
    }
    ival *= mul;
    if (frac) {
        double extra = frac * (double)mul;

        if ((double)ival + extra >= 18446744073709551616.0) {
            goto range;
        }
        ival += (uint64_t)extra;
    }
    *result = ival;
    if (end) {
        *end = p;
    }
    return 0;

range:
    if (end) {
        *end = p;
    }
    return -ERANGE;
invalid:
    if (end) {
        *end = nptr;
    }
    return -EINVAL;
}

int qemu_strtosz(const char *nptr, const char **end, uint64_t *result)
{
    return do_strtosz(nptr, end, 0, 1024, result);
}

int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result)
{
    return do_strtosz(nptr, end, 20, 1024, result);
}

int qemu_strtosz_metric(const char *nptr, const char **end,
                        uint64_t *result)
{
    return do_strtosz(nptr, end, 0, 1000, result);
}

int qemu_parse_bool(const char *str, bool *result)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(str, yes[i])) {
            *result = true;
            return 0;
        }
        if (!strcmp(str, no[i])) {
            *result = false;
            return 0;
        }
    }
    return -EINVAL;
}

char *size_to_str(uint64_t val)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
                                         "PiB", "EiB" };
    int i = 0;
    double v = val;

    while (v >= 1024 && i < (int)ARRAY_SIZE(units) - 1) {
        v /= 1024;
        i++;
    }
    return g_strdup_printf("%0.3g %s", v, units[i]);
}
