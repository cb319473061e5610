/* intloop.c: integer loop for measuring guest MIPS; checks its result. */
#include <stdint.h>

int main(void)
{
    uint64_t a = 1, b = 0, n = 200000000;

    for (uint64_t i = 0; i < n; i++) {
        b += a ^ i;
        a = (a << 1) | (b & 1);
    }
    /* Value computed natively on the host. */
    return b == EXPECTED ? 0 : 1;
}
