/*
 * Start-up code and trap entry for the bare-metal test programs.
 *
 * Every hart enters _start in M-mode with a0 = hartid.  Each gets a
 * 16 KiB stack and an 8 KiB trap stack (M handler at the top, S handler
 * 4 KiB below); mscratch/sscratch hold the trap stack pointers.
 * Hart 0 clears .bss and calls main; the others count themselves in and
 * wait for start_hart() to hand them a function.
 */

#define FRAME_SIZE  288
#define F_CAUSE     256
#define F_EPC       264
#define F_TVAL      272
#define F_STATUS    280

/* Value of a7 on the ecall that ends a run_in_mode() call. */
#define RUN_EXIT_MAGIC  0x4d524554

    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    csrr a0, mhartid
    li t0, 8
    bgeu a0, t0, park_forever

    /* stack and trap stacks for this hart */
    la sp, __stack_top
    slli t0, a0, 14
    sub sp, sp, t0
    la t1, __trap_stack_top
    slli t0, a0, 13
    sub t1, t1, t0
    csrw mscratch, t1
    li t0, 4096
    sub t1, t1, t0
    csrw sscratch, t1

    la t0, mtrap_entry
    csrw mtvec, t0
    li t0, (1 << 13)            /* mstatus.FS = Initial */
    csrs mstatus, t0
    csrwi fcsr, 0
    bnez a0, secondary

    /* hart 0: clear .bss, run main, exit with the summary */
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call main
    call finish

secondary:
    la t0, harts_booted
    li t1, 1
    amoadd.w zero, t1, (t0)
    la t2, hart_fn
    slli t3, a0, 3
    add t2, t2, t3
3:  ld t4, 0(t2)
    bnez t4, 4f
    pause
    j 3b
4:  mv s0, a0
    mv s1, t2
    jalr t4
    fence rw, rw
    sd zero, 0(s1)
    mv a0, s0
    la t0, hart_done
    slli t3, s0, 3
    add t0, t0, t3
    li t1, 1
    sd t1, 0(t0)
    j secondary_wait
secondary_wait:
    la t2, hart_fn
    slli t3, a0, 3
    add t2, t2, t3
    j 3b

park_forever:
    wfi
    j park_forever

/* Save x1..x31 and the trap CSRs into a frame at sp. */
.macro SAVE_REGS scratch
    sd x1, 8(sp)
    sd x3, 24(sp)
    sd x4, 32(sp)
    sd x5, 40(sp)
    sd x6, 48(sp)
    sd x7, 56(sp)
    sd x8, 64(sp)
    sd x9, 72(sp)
    sd x10, 80(sp)
    sd x11, 88(sp)
    sd x12, 96(sp)
    sd x13, 104(sp)
    sd x14, 112(sp)
    sd x15, 120(sp)
    sd x16, 128(sp)
    sd x17, 136(sp)
    sd x18, 144(sp)
    sd x19, 152(sp)
    sd x20, 160(sp)
    sd x21, 168(sp)
    sd x22, 176(sp)
    sd x23, 184(sp)
    sd x24, 192(sp)
    sd x25, 200(sp)
    sd x26, 208(sp)
    sd x27, 216(sp)
    sd x28, 224(sp)
    sd x29, 232(sp)
    sd x30, 240(sp)
    sd x31, 248(sp)
    csrr t0, \scratch
    sd t0, 16(sp)
.endm

.macro RESTORE_REGS
    ld x1, 8(sp)
    ld x3, 24(sp)
    ld x4, 32(sp)
    ld x5, 40(sp)
    ld x6, 48(sp)
    ld x7, 56(sp)
    ld x8, 64(sp)
    ld x9, 72(sp)
    ld x10, 80(sp)
    ld x11, 88(sp)
    ld x12, 96(sp)
    ld x13, 104(sp)
    ld x14, 112(sp)
    ld x15, 120(sp)
    ld x16, 128(sp)
    ld x17, 136(sp)
    ld x18, 144(sp)
    ld x19, 152(sp)
    ld x20, 160(sp)
    ld x21, 168(sp)
    ld x22, 176(sp)
    ld x23, 184(sp)
    ld x24, 192(sp)
    ld x25, 200(sp)
    ld x26, 208(sp)
    ld x27, 216(sp)
    ld x28, 224(sp)
    ld x29, 232(sp)
    ld x30, 240(sp)
    ld x31, 248(sp)
.endm

    .text
    .align 6
    .globl mtrap_entry
mtrap_entry:
    csrrw sp, mscratch, sp
    addi sp, sp, -FRAME_SIZE
    SAVE_REGS mscratch
    csrr t0, mcause
    sd t0, F_CAUSE(sp)
    csrr t0, mepc
    sd t0, F_EPC(sp)
    csrr t0, mtval
    sd t0, F_TVAL(sp)
    csrr t0, mstatus
    sd t0, F_STATUS(sp)
    mv a0, sp
    li a1, 0
    call trap_handler
    bnez a0, m_run_exit
    ld t0, F_EPC(sp)
    csrw mepc, t0
    ld t0, F_STATUS(sp)
    csrw mstatus, t0
    RESTORE_REGS
    addi sp, sp, FRAME_SIZE
    csrrw sp, mscratch, sp
    mret

/* The function run by run_in_mode() returned: resume its M-mode caller. */
m_run_exit:
    ld a0, 80(sp)
    addi sp, sp, FRAME_SIZE
    csrw mscratch, sp
    la t0, run_saved_sp
    ld sp, 0(t0)
    ld ra, 0(sp)
    ld s0, 8(sp)
    ld s1, 16(sp)
    ld s2, 24(sp)
    ld s3, 32(sp)
    ld s4, 40(sp)
    ld s5, 48(sp)
    ld s6, 56(sp)
    ld s7, 64(sp)
    ld s8, 72(sp)
    ld s9, 80(sp)
    ld s10, 88(sp)
    ld s11, 96(sp)
    ld gp, 104(sp)
    ld tp, 112(sp)
    addi sp, sp, 128
    ret

    .align 6
    .globl strap_entry
strap_entry:
    csrrw sp, sscratch, sp
    addi sp, sp, -FRAME_SIZE
    SAVE_REGS sscratch
    csrr t0, scause
    sd t0, F_CAUSE(sp)
    csrr t0, sepc
    sd t0, F_EPC(sp)
    csrr t0, stval
    sd t0, F_TVAL(sp)
    csrr t0, sstatus
    sd t0, F_STATUS(sp)
    mv a0, sp
    li a1, 1
    call trap_handler
    bnez a0, s_run_exit
    ld t0, F_EPC(sp)
    csrw sepc, t0
    ld t0, F_STATUS(sp)
    csrw sstatus, t0
    RESTORE_REGS
    addi sp, sp, FRAME_SIZE
    csrrw sp, sscratch, sp
    sret

/* A delegated exit ecall from U: pass it on to M from S-mode. */
s_run_exit:
    ld a0, 80(sp)
    addi sp, sp, FRAME_SIZE
    csrw sscratch, sp
    li a7, RUN_EXIT_MAGIC
    ecall
1:  j 1b

/* uint64_t run_in_mode_asm(uint64_t mstatus_mpp, fn, arg) */
    .globl run_in_mode_asm
run_in_mode_asm:
    addi sp, sp, -128
    sd ra, 0(sp)
    sd s0, 8(sp)
    sd s1, 16(sp)
    sd s2, 24(sp)
    sd s3, 32(sp)
    sd s4, 40(sp)
    sd s5, 48(sp)
    sd s6, 56(sp)
    sd s7, 64(sp)
    sd s8, 72(sp)
    sd s9, 80(sp)
    sd s10, 88(sp)
    sd s11, 96(sp)
    sd gp, 104(sp)
    sd tp, 112(sp)
    la t0, run_saved_sp
    sd sp, 0(t0)
    li t0, (3 << 11)
    csrc mstatus, t0
    csrs mstatus, a0
    csrw mepc, a1
    mv a0, a2
    la ra, run_exit_stub
    mret

    .globl run_exit_stub
run_exit_stub:
    li a7, RUN_EXIT_MAGIC
    ecall
1:  j 1b

    .data
    .align 3
    .globl harts_booted, hart_fn, hart_done
harts_booted:
    .dword 0
hart_fn:
    .fill 8, 8, 0
hart_done:
    .fill 8, 8, 0
run_saved_sp:
    .dword 0
