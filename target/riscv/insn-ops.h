/*
 * insn-ops.h: the list of decoded operations (an X-macro).  The decoder
 * (translate.c) emits OP_<name>; the interpreter (interp.c) has a label
 * L_<name> for each.  To add an instruction: add its name here, decode it
 * in translate.c and implement the label in interp.c.
 */
#ifndef RISCV_INSN_OPS_H
#define RISCV_INSN_OPS_H

#define RISCV_OPS(X) \
    X(illegal) X(fallthrough) \
    X(lui) X(auipc) X(jal) X(jalr) \
    X(beq) X(bne) X(blt) X(bge) X(bltu) X(bgeu) \
    X(lb) X(lh) X(lw) X(ld) X(lbu) X(lhu) X(lwu) \
    X(sb) X(sh) X(sw) X(sd) \
    X(addi) X(slti) X(sltiu) X(xori) X(ori) X(andi) \
    X(slli) X(srli) X(srai) \
    X(add) X(sub) X(sll) X(slt) X(sltu) X(xor) X(srl) X(sra) X(or) X(and) \
    X(addiw) X(slliw) X(srliw) X(sraiw) \
    X(addw) X(subw) X(sllw) X(srlw) X(sraw) \
    X(mv) X(li) X(nop) \
    X(fence) X(fence_i) X(ecall) X(ebreak) X(mret) X(sret) X(wfi) \
    X(sfence_vma) X(csr) \
    X(mul) X(mulh) X(mulhsu) X(mulhu) X(div) X(divu) X(rem) X(remu) \
    X(mulw) X(divw) X(divuw) X(remw) X(remuw) \
    X(lr_w) X(lr_d) X(sc_w) X(sc_d) X(amo_w) X(amo_d) \
    X(flw) X(fld) X(fsw) X(fsd) X(fp) \
    X(fadd_d) X(fsub_d) X(fmul_d) X(fmadd_d) \
    X(sh1add) X(sh2add) X(sh3add) X(add_uw) \
    X(sh1add_uw) X(sh2add_uw) X(sh3add_uw) X(slli_uw) \
    X(andn) X(orn) X(xnor) X(clz) X(clzw) X(ctz) X(ctzw) X(cpop) X(cpopw) \
    X(max) X(maxu) X(min) X(minu) X(sext_b) X(sext_h) X(zext_h) \
    X(rol) X(rolw) X(ror) X(rori) X(roriw) X(rorw) X(orc_b) X(rev8) \
    X(bclr) X(bclri) X(bext) X(bexti) X(binv) X(binvi) X(bset) X(bseti)

#endif /* RISCV_INSN_OPS_H */
