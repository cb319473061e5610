/*
 * cpu_bits.h: RISC-V architectural constants (CSR numbers, register
 * fields, trap causes, page-table bits), named as in the privileged
 * specification 1.12 and the unprivileged specification 20191213.
 */
#ifndef RISCV_CPU_BITS_H
#define RISCV_CPU_BITS_H

/* Privilege levels */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* Unprivileged CSRs */
#define CSR_FFLAGS      0x001
#define CSR_FRM         0x002
#define CSR_FCSR        0x003
#define CSR_CYCLE       0xc00
#define CSR_TIME        0xc01
#define CSR_INSTRET     0xc02
#define CSR_HPMCOUNTER3 0xc03
#define CSR_HPMCOUNTER31 0xc1f

/* Supervisor CSRs */
#define CSR_SSTATUS     0x100
#define CSR_SIE         0x104
#define CSR_STVEC       0x105
#define CSR_SCOUNTEREN  0x106
#define CSR_SENVCFG     0x10a
#define CSR_SSCRATCH    0x140
#define CSR_SEPC        0x141
#define CSR_SCAUSE      0x142
#define CSR_STVAL       0x143
#define CSR_SIP         0x144
#define CSR_STIMECMP    0x14d
#define CSR_SATP        0x180

/* Machine CSRs */
#define CSR_MVENDORID   0xf11
#define CSR_MARCHID     0xf12
#define CSR_MIMPID      0xf13
#define CSR_MHARTID     0xf14
#define CSR_MCONFIGPTR  0xf15
#define CSR_MSTATUS     0x300
#define CSR_MISA        0x301
#define CSR_MEDELEG     0x302
#define CSR_MIDELEG     0x303
#define CSR_MIE         0x304
#define CSR_MTVEC       0x305
#define CSR_MCOUNTEREN  0x306
#define CSR_MENVCFG     0x30a
#define CSR_MCOUNTINHIBIT 0x320
#define CSR_MHPMEVENT3  0x323
#define CSR_MHPMEVENT31 0x33f
#define CSR_MSCRATCH    0x340
#define CSR_MEPC        0x341
#define CSR_MCAUSE      0x342
#define CSR_MTVAL       0x343
#define CSR_MIP         0x344
#define CSR_MTINST      0x34a
#define CSR_MTVAL2      0x34b
#define CSR_PMPCFG0     0x3a0
#define CSR_PMPCFG15    0x3af
#define CSR_PMPADDR0    0x3b0
#define CSR_PMPADDR63   0x3ef
#define CSR_MCYCLE      0xb00
#define CSR_MINSTRET    0xb02
#define CSR_MHPMCOUNTER3  0xb03
#define CSR_MHPMCOUNTER31 0xb1f
#define CSR_TSELECT     0x7a0
#define CSR_TDATA1      0x7a1

/* mstatus / sstatus fields */
#define MSTATUS_SIE     (1ULL << 1)
#define MSTATUS_MIE     (1ULL << 3)
#define MSTATUS_SPIE    (1ULL << 5)
#define MSTATUS_UBE     (1ULL << 6)
#define MSTATUS_MPIE    (1ULL << 7)
#define MSTATUS_SPP     (1ULL << 8)
#define MSTATUS_VS      (3ULL << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP     (3ULL << MSTATUS_MPP_SHIFT)
#define MSTATUS_FS_SHIFT 13
#define MSTATUS_FS      (3ULL << MSTATUS_FS_SHIFT)
#define MSTATUS_XS      (3ULL << 15)
#define MSTATUS_MPRV    (1ULL << 17)
#define MSTATUS_SUM     (1ULL << 18)
#define MSTATUS_MXR     (1ULL << 19)
#define MSTATUS_TVM     (1ULL << 20)
#define MSTATUS_TW      (1ULL << 21)
#define MSTATUS_TSR     (1ULL << 22)
#define MSTATUS_UXL     (3ULL << 32)
#define MSTATUS_SXL     (3ULL << 34)
#define MSTATUS_SBE     (1ULL << 36)
#define MSTATUS_MBE     (1ULL << 37)
#define MSTATUS_SD      (1ULL << 63)

#define MXL_RV64        2ULL
#define FS_OFF          0
#define FS_INITIAL      1
#define FS_CLEAN        2
#define FS_DIRTY        3

#define SSTATUS_MASK (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | \
                      MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS | \
                      MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | \
                      MSTATUS_UXL | MSTATUS_SD)

/* misa */
#define MISA_MXL_SHIFT  62
#define RVA (1ULL << ('A' - 'A'))
#define RVC (1ULL << ('C' - 'A'))
#define RVD (1ULL << ('D' - 'A'))
#define RVF (1ULL << ('F' - 'A'))
#define RVI (1ULL << ('I' - 'A'))
#define RVM (1ULL << ('M' - 'A'))
#define RVS (1ULL << ('S' - 'A'))
#define RVU (1ULL << ('U' - 'A'))

/* Interrupt numbers (bits of mip/mie) */
#define IRQ_S_SOFT      1
#define IRQ_M_SOFT      3
#define IRQ_S_TIMER     5
#define IRQ_M_TIMER     7
#define IRQ_S_EXT       9
#define IRQ_M_EXT       11

#define MIP_SSIP        (1ULL << IRQ_S_SOFT)
#define MIP_MSIP        (1ULL << IRQ_M_SOFT)
#define MIP_STIP        (1ULL << IRQ_S_TIMER)
#define MIP_MTIP        (1ULL << IRQ_M_TIMER)
#define MIP_SEIP        (1ULL << IRQ_S_EXT)
#define MIP_MEIP        (1ULL << IRQ_M_EXT)

#define S_MODE_INTERRUPTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
#define M_MODE_INTERRUPTS (MIP_MSIP | MIP_MTIP | MIP_MEIP)

/* Exception causes */
#define RISCV_EXCP_NONE                   -1
#define RISCV_EXCP_INST_ADDR_MIS          0
#define RISCV_EXCP_INST_ACCESS_FAULT      1
#define RISCV_EXCP_ILLEGAL_INST           2
#define RISCV_EXCP_BREAKPOINT             3
#define RISCV_EXCP_LOAD_ADDR_MIS          4
#define RISCV_EXCP_LOAD_ACCESS_FAULT      5
#define RISCV_EXCP_STORE_AMO_ADDR_MIS     6
#define RISCV_EXCP_STORE_AMO_ACCESS_FAULT 7
#define RISCV_EXCP_U_ECALL                8
#define RISCV_EXCP_S_ECALL                9
#define RISCV_EXCP_M_ECALL                11
#define RISCV_EXCP_INST_PAGE_FAULT        12
#define RISCV_EXCP_LOAD_PAGE_FAULT        13
#define RISCV_EXCP_STORE_PAGE_FAULT       15

#define CAUSE_INTERRUPT (1ULL << 63)

/* mtvec/stvec modes */
#define TVEC_MODE_DIRECT   0
#define TVEC_MODE_VECTORED 1

/* satp */
#define SATP_MODE_SHIFT 60
#define SATP_MODE       (0xfULL << SATP_MODE_SHIFT)
#define SATP_ASID       (0xffffULL << 44)
#define SATP_PPN        ((1ULL << 44) - 1)
#define VM_1_10_MBARE   0
#define VM_1_10_SV39    8
#define VM_1_10_SV48    9
#define VM_1_10_SV57    10

/* Page-table entries */
#define PTE_V           (1ULL << 0)
#define PTE_R           (1ULL << 1)
#define PTE_W           (1ULL << 2)
#define PTE_X           (1ULL << 3)
#define PTE_U           (1ULL << 4)
#define PTE_G           (1ULL << 5)
#define PTE_A           (1ULL << 6)
#define PTE_D           (1ULL << 7)
#define PTE_PPN_SHIFT   10
#define PTE_PPN_MASK    0x003ffffffffffc00ULL
#define PTE_RESERVED    0xffc0000000000000ULL  /* N, PBMT, reserved */

/* PMP configuration byte */
#define PMP_READ        (1 << 0)
#define PMP_WRITE       (1 << 1)
#define PMP_EXEC        (1 << 2)
#define PMP_A_SHIFT     3
#define PMP_A           (3 << PMP_A_SHIFT)
#define PMP_AMATCH_OFF   0
#define PMP_AMATCH_TOR   1
#define PMP_AMATCH_NA4   2
#define PMP_AMATCH_NAPOT 3
#define PMP_LOCK        (1 << 7)
#define MAX_RISCV_PMPS  16

/* menvcfg / senvcfg */
#define MENVCFG_FIOM    (1ULL << 0)
#define MENVCFG_CBIE    (3ULL << 4)
#define MENVCFG_CBCFE   (1ULL << 6)
#define MENVCFG_CBZE    (1ULL << 7)
#define MENVCFG_PBMTE   (1ULL << 62)
#define MENVCFG_STCE    (1ULL << 63)

/* mcounteren bits */
#define COUNTEREN_CY    (1U << 0)
#define COUNTEREN_TM    (1U << 1)
#define COUNTEREN_IR    (1U << 2)

/* fcsr */
#define FSR_RD_SHIFT    5
#define FSR_NXA         (1 << 0)
#define FSR_UFA         (1 << 1)
#define FSR_OFA         (1 << 2)
#define FSR_DZA         (1 << 3)
#define FSR_NVA         (1 << 4)
#define RISCV_FRM_RNE   0
#define RISCV_FRM_RTZ   1
#define RISCV_FRM_RDN   2
#define RISCV_FRM_RUP   3
#define RISCV_FRM_RMM   4
#define RISCV_FRM_DYN   7

#endif /* RISCV_CPU_BITS_H */
