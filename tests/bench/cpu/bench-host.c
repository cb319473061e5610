/*
 * Host wrapper: run the kernel natively and print the same line as the
 * bare-metal build (without an instruction count).
 */
#include <stdio.h>
#include <inttypes.h>
#include "bench.h"

int main(void)
{
    uint64_t sum = bench_run();

    printf("bench %s checksum 0x%016" PRIx64 " instret 0\n",
           bench_name, sum);
    return 0;
}
