/*
 * Branchy kernel: a small bytecode interpreter with switch dispatch and
 * a recursive quicksort of pseudo-random keys.
 */
#include "bench.h"

#define SORT_N      (256 * 1024)
#define SORT_ROUNDS 16
#define VM_LOOPS    8000000

const char bench_name[] = "branchy";

enum op { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ,
          OP_DEC, OP_XOR, OP_DROP, OP_HALT };

static uint32_t keys[SORT_N];

static void quicksort(uint32_t *a, long lo, long hi)
{
    while (lo < hi) {
        uint32_t pivot = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;

        while (i <= j) {
            while (a[i] < pivot) {
                i++;
            }
            while (a[j] > pivot) {
                j--;
            }
            if (i <= j) {
                uint32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

/* stack: [acc, counter]; loop: acc = (acc * 3 + counter) ^ 5 */
static const int32_t program[] = {
    OP_PUSH, 1, OP_PUSH, VM_LOOPS,
    /* 4: */ OP_SWAP, OP_PUSH, 3, OP_MUL, OP_SWAP, OP_DUP,
    OP_PUSH, 0, OP_ADD, OP_SWAP, OP_DROP, OP_SWAP,
    OP_PUSH, 5, OP_XOR, OP_SWAP, OP_DEC, OP_DUP, OP_JNZ, 4,
    OP_DROP, OP_HALT,
};

static uint64_t run_vm(void)
{
    int64_t stack[16];
    int sp = 0, pc = 0;

    for (;;) {
        switch (program[pc++]) {
        case OP_PUSH:
            stack[sp++] = program[pc++];
            break;
        case OP_ADD:
            sp--;
            stack[sp - 1] += stack[sp];
            break;
        case OP_SUB:
            sp--;
            stack[sp - 1] -= stack[sp];
            break;
        case OP_MUL:
            sp--;
            stack[sp - 1] *= stack[sp];
            break;
        case OP_XOR:
            sp--;
            stack[sp - 1] ^= stack[sp];
            break;
        case OP_DUP:
            stack[sp] = stack[sp - 1];
            sp++;
            break;
        case OP_SWAP: {
            int64_t t = stack[sp - 1];
            stack[sp - 1] = stack[sp - 2];
            stack[sp - 2] = t;
            break;
        }
        case OP_DEC:
            stack[sp - 1]--;
            break;
        case OP_DROP:
            sp--;
            break;
        case OP_JNZ:
            if (stack[--sp]) {
                pc = program[pc];
            } else {
                pc++;
            }
            break;
        default:
            return stack[sp - 1];
        }
    }
}

uint64_t bench_run(void)
{
    uint64_t seed = 99, sum = 0;

    for (int r = 0; r < SORT_ROUNDS; r++) {
        for (long i = 0; i < SORT_N; i++) {
            keys[i] = (uint32_t)bench_rand(&seed);
        }
        quicksort(keys, 0, SORT_N - 1);
        for (long i = 1; i < SORT_N; i++) {
            sum += keys[i] < keys[i - 1];        /* 0 when sorted */
        }
        sum = sum * 7 + keys[SORT_N / 2];
    }
    return sum ^ run_vm();
}
