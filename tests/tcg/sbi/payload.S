/*
 * payload.S: an S-mode next stage for OpenSBI: prints through the SBI
 * legacy console, reads an S-mode CSR and shuts down through SRST (which
 * OpenSBI turns into a finisher write).
 */
    .globl _start
_start:
    la s0, msg
1:  lbu a0, 0(s0)
    beqz a0, 2f
    li a7, 1            /* legacy console_putchar */
    ecall
    addi s0, s0, 1
    j 1b
2:  csrr t0, sstatus    /* S-mode CSR works */
    li a7, 0x53525354   /* SRST */
    li a6, 0
    li a0, 0            /* shutdown */
    li a1, 0
    ecall
3:  j 3b
msg: .asciz "S-mode payload running\n"
