/*
 * Bare-metal wrapper: run the kernel once on hart 0, print its checksum
 * and the number of instructions it retired (instret delta), then exit
 * through the virt finisher.
 */
#include "runtime.h"
#include "bench.h"

int main(void)
{
    uint64_t i0, i1, sum;

    asm volatile("rdinstret %0" : "=r"(i0));
    sum = bench_run();
    asm volatile("rdinstret %0" : "=r"(i1));
    uart_puts("bench ");
    uart_puts(bench_name);
    uart_puts(" checksum ");
    uart_puthex(sum);
    uart_puts(" instret ");
    uart_putdec(i1 - i0);
    uart_puts("\n");
    finisher_exit(FINISHER_PASS);
}
