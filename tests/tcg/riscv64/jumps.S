/*
 * Control transfer at the edges of the encodings, in plain assembly:
 * branches and jumps at their largest offsets in both directions,
 * compressed branches and jumps at theirs, a 32-bit instruction that
 * straddles a page boundary, and straight-line code that falls through
 * from one page into the next.
 */

/* Count a check; on mismatch report the line, the register and value. */
#define CHECK_REG(reg, val) \
    li t6, val; \
    la t5, checks_run; ld t4, 0(t5); addi t4, t4, 1; sd t4, 0(t5); \
    beq reg, t6, 99f; \
    mv a2, reg; li a3, val; li a0, __LINE__; la a1, check_msg; \
    call check_failed; \
99:

    .section .rodata
check_msg:
    .asciz "register == expected"

    .text
    .globl main
main:
    addi sp, sp, -16
    sd ra, 8(sp)

    /* beq at +4094 is not encodable (even offsets up to 4094 are) */
    li s0, 0
    beq zero, zero, b_fwd_target
    li s0, 99
    .skip 4082
b_fwd_target:
    addi s0, s0, 1
    CHECK_REG(s0, 1)

    /* bne backward by -4096 (the most negative offset) */
    li s0, 0
    li s1, 2
    j b_back_start
b_back_target:
    addi s0, s0, 1
    addi s1, s1, -1
    j b_back_check
    .skip 4088
b_back_start:
    .option push
    .option norvc
    bne s1, zero, b_back_target     /* b_back_target is 4096 bytes back */
    .option pop
b_back_check:
    bne s1, zero, b_back_start
    CHECK_REG(s0, 2)

    /* jal forward by nearly 1 MiB, back by as much */
    li s0, 0
    jal ra, jal_far
    addi s0, s0, 10
    CHECK_REG(s0, 11)
    j after_jal_far

    /* compressed: c.j and c.beqz/c.bnez near their limits */
c_tests:
    li s0, 0
    c.j cj_target
    li s0, 99
    .skip 2030
cj_target:
    c.addi s0, 1
    CHECK_REG(s0, 1)
    li a4, 0
    li s0, 0
    c.beqz a4, cb_target
    li s0, 99
    .skip 240
cb_target:
    c.addi s0, 2
    CHECK_REG(s0, 2)
    li a5, 1
    li s0, 0
    c.bnez a5, cbn_target
    li s0, 99
    .skip 240
cbn_target:
    c.addi s0, 3
    CHECK_REG(s0, 3)
    j page_tests

after_jal_far:
    j c_tests

    /* a 32-bit instruction split across a page boundary */
page_tests:
    li s0, 5
    jal ra, straddle
    CHECK_REG(s0, 12)

    /* straight-line code running from one page into the next */
    li s0, 0
    jal ra, fallthrough
    CHECK_REG(s0, 4)

    /* auipc+jalr (call) to the far function and an indirect jalr */
    li s0, 0
    call jal_far
    CHECK_REG(s0, 1)
    la t0, jal_far
    li s0, 0
    jalr ra, 0(t0)
    CHECK_REG(s0, 1)

    ld ra, 8(sp)
    addi sp, sp, 16
    li a0, 0
    ret

    .balign 4096
    .skip 4092
fallthrough:
    .option push
    .option norvc
    addi s0, s0, 1          /* last word of the page */
    addi s0, s0, 1          /* first word of the next page */
    .option pop
    c.addi s0, 1
    c.addi s0, 1
    ret

    .balign 4096
    .skip 4094
straddle:
    .option push
    .option norvc
    addi s0, s0, 7          /* bytes 4094..4097: crosses the boundary */
    .option pop
    ret

    .skip 0xf8000
jal_far:
    addi s0, s0, 1
    ret
