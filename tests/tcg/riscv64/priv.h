/*
 * Helpers shared by the privileged-architecture test programs.
 */
#ifndef TCG_PRIV_H
#define TCG_PRIV_H

#include "runtime.h"

#define PMP_R       0x01
#define PMP_W       0x02
#define PMP_X       0x04
#define PMP_A_OFF   0x00
#define PMP_A_TOR   0x08
#define PMP_A_NA4   0x10
#define PMP_A_NAPOT 0x18
#define PMP_L       0x80

#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  0UL
#define SATP_MODE_SV39  8UL
#define SATP_MODE_SV48  9UL
#define SATP_MODE_SV57  10UL

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_PPN_SHIFT 10

/*
 * S and U modes can only reach memory that a PMP entry grants once any
 * entry is in use; entry 15 (lowest priority) grants everything so the
 * tests can add more specific entries in front of it.
 */
static inline void pmp_allow_all(void)
{
    csr_write(pmpaddr15, -1UL);
    csr_write(pmpcfg2, (uint64_t)(PMP_A_NAPOT | PMP_R | PMP_W | PMP_X) << 56);
}

static inline uint64_t run_s(uint64_t (*fn)(uint64_t), uint64_t arg)
{
    return run_in_mode(PRV_S, fn, arg);
}

static inline uint64_t run_u(uint64_t (*fn)(uint64_t), uint64_t arg)
{
    return run_in_mode(PRV_U, fn, arg);
}

#endif
