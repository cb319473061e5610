/*
 * disas.c: RV64GC disassembler for "-d in_asm", built on the decoder so
 * that what is printed is what the interpreter runs.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "internals.h"

static const char *const op_names[] = {
#define OP_NAME(n) #n,
    RISCV_OPS(OP_NAME)
#undef OP_NAME
};

static const char *const xregs[33] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6", "zero",
};

static const char *const fregs[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7",
    "fs0", "fs1", "fa0", "fa1", "fa2", "fa3", "fa4", "fa5",
    "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Operand layouts. */
enum { F_NONE, F_RRR, F_RRI, F_RI, F_LOAD, F_STORE, F_BRANCH, F_JAL,
       F_JALR, F_RR, F_CSR, F_AMO, F_FLOAD, F_FSTORE, F_FP };

static int op_format(int op)
{
    switch (op) {
    case OP_lui: case OP_auipc: case OP_li:
        return F_RI;
    case OP_jal:
        return F_JAL;
    case OP_jalr:
        return F_JALR;
    case OP_beq: case OP_bne: case OP_blt: case OP_bge: case OP_bltu:
    case OP_bgeu:
        return F_BRANCH;
    case OP_lb: case OP_lh: case OP_lw: case OP_ld: case OP_lbu:
    case OP_lhu: case OP_lwu:
        return F_LOAD;
    case OP_sb: case OP_sh: case OP_sw: case OP_sd:
        return F_STORE;
    case OP_addi: case OP_slti: case OP_sltiu: case OP_xori: case OP_ori:
    case OP_andi: case OP_slli: case OP_srli: case OP_srai: case OP_addiw:
    case OP_slliw: case OP_srliw: case OP_sraiw: case OP_slli_uw:
    case OP_rori: case OP_roriw: case OP_bclri: case OP_bexti:
    case OP_binvi: case OP_bseti:
        return F_RRI;
    case OP_clz: case OP_clzw: case OP_ctz: case OP_ctzw: case OP_cpop:
    case OP_cpopw: case OP_sext_b: case OP_sext_h: case OP_zext_h:
    case OP_orc_b: case OP_rev8:
        return F_RR;
    case OP_mv:
        return F_RR;
    case OP_csr:
        return F_CSR;
    case OP_lr_w: case OP_lr_d: case OP_sc_w: case OP_sc_d:
    case OP_amo_w: case OP_amo_d:
        return F_AMO;
    case OP_flw: case OP_fld:
        return F_FLOAD;
    case OP_fsw: case OP_fsd:
        return F_FSTORE;
    case OP_fp: case OP_fadd_d: case OP_fsub_d: case OP_fmul_d:
    case OP_fmadd_d:
        return F_FP;
    case OP_illegal: case OP_fallthrough: case OP_nop: case OP_fence:
    case OP_fence_i: case OP_ecall: case OP_ebreak: case OP_mret:
    case OP_sret: case OP_wfi: case OP_sfence_vma:
        return F_NONE;
    }
    return F_RRR;
}

static void op_name(int op, char *buf, size_t size)
{
    g_strlcpy(buf, op_names[op], size);
    for (char *p = buf; *p; p++) {
        if (*p == '_') {
            *p = '.';
        }
    }
}

static const char *amo_name(const DecodedInsn *d)
{
    static const char *const n[32] = {
        [0x00] = "amoadd", [0x01] = "amoswap", [0x02] = "lr", [0x03] = "sc",
        [0x04] = "amoxor", [0x08] = "amoor", [0x0c] = "amoand",
        [0x10] = "amomin", [0x14] = "amomax", [0x18] = "amominu",
        [0x1c] = "amomaxu",
    };
    return n[d->sub] ? n[d->sub] : "amo?";
}

static const char *fp_name(uint32_t insn)
{
    uint32_t opc = insn & 0x7f, f7 = insn >> 25, f3 = (insn >> 12) & 7;
    uint32_t rs2 = (insn >> 20) & 31;
    static const char *const cvt_i[4] = { "w", "wu", "l", "lu" };
    static char buf[32];
    char t = (f7 & 1) ? 'd' : 's';

    switch (opc) {
    case 0x43: snprintf(buf, sizeof(buf), "fmadd.%c", t); return buf;
    case 0x47: snprintf(buf, sizeof(buf), "fmsub.%c", t); return buf;
    case 0x4b: snprintf(buf, sizeof(buf), "fnmsub.%c", t); return buf;
    case 0x4f: snprintf(buf, sizeof(buf), "fnmadd.%c", t); return buf;
    }
    switch (f7 >> 2) {
    case 0x00: snprintf(buf, sizeof(buf), "fadd.%c", t); break;
    case 0x01: snprintf(buf, sizeof(buf), "fsub.%c", t); break;
    case 0x02: snprintf(buf, sizeof(buf), "fmul.%c", t); break;
    case 0x03: snprintf(buf, sizeof(buf), "fdiv.%c", t); break;
    case 0x0b: snprintf(buf, sizeof(buf), "fsqrt.%c", t); break;
    case 0x04: snprintf(buf, sizeof(buf), "fsgnj%s.%c",
                        f3 == 0 ? "" : f3 == 1 ? "n" : "x", t); break;
    case 0x05: snprintf(buf, sizeof(buf), "f%s.%c", f3 ? "max" : "min", t);
        break;
    case 0x08: snprintf(buf, sizeof(buf), "fcvt.%c.%c", t,
                        t == 'd' ? 's' : 'd'); break;
    case 0x14: snprintf(buf, sizeof(buf), "f%s.%c",
                        f3 == 2 ? "eq" : f3 == 1 ? "lt" : "le", t); break;
    case 0x18: snprintf(buf, sizeof(buf), "fcvt.%s.%c", cvt_i[rs2 & 3], t);
        break;
    case 0x1a: snprintf(buf, sizeof(buf), "fcvt.%c.%s", t, cvt_i[rs2 & 3]);
        break;
    case 0x1c: snprintf(buf, sizeof(buf), f3 ? "fclass.%c" : "fmv.x.%c",
                        t == 'd' ? 'd' : 'w'); break;
    case 0x1e: snprintf(buf, sizeof(buf), "fmv.%c.x", t == 'd' ? 'd' : 'w');
        break;
    default: snprintf(buf, sizeof(buf), "fp?");
    }
    return buf;
}

int riscv_disas_insn(uint32_t insn, uint64_t pc, char *buf, size_t size)
{
    RISCVCPUConfig cfg;
    DecodedInsn d;
    char name[24];
    int op;

    riscv_cpu_config_default(&cfg);
    op = riscv_decode_insn(&cfg, insn, &d);
    op_name(op, name, sizeof(name));
    switch (op_format(op)) {
    case F_RRR:
        snprintf(buf, size, "%-8s %s,%s,%s", name, xregs[d.rd],
                 xregs[d.rs1], xregs[d.rs2]);
        break;
    case F_RR:
        snprintf(buf, size, "%-8s %s,%s", name, xregs[d.rd],
                 xregs[op == OP_mv ? d.rs2 : d.rs1]);
        break;
    case F_RRI:
        snprintf(buf, size, "%-8s %s,%s,%" PRId64, name, xregs[d.rd],
                 xregs[d.rs1], d.imm);
        break;
    case F_RI:
        snprintf(buf, size, "%-8s %s,%" PRId64, name, xregs[d.rd],
                 op == OP_li ? d.imm : d.imm >> 12);
        break;
    case F_LOAD:
        snprintf(buf, size, "%-8s %s,%" PRId64 "(%s)", name, xregs[d.rd],
                 d.imm, xregs[d.rs1]);
        break;
    case F_STORE:
        snprintf(buf, size, "%-8s %s,%" PRId64 "(%s)", name, xregs[d.rs2],
                 d.imm, xregs[d.rs1]);
        break;
    case F_BRANCH:
        snprintf(buf, size, "%-8s %s,%s,0x%" PRIx64, name, xregs[d.rs1],
                 xregs[d.rs2], pc + d.imm);
        break;
    case F_JAL:
        snprintf(buf, size, "%-8s %s,0x%" PRIx64, name, xregs[d.rd],
                 pc + d.imm);
        break;
    case F_JALR:
        snprintf(buf, size, "%-8s %s,%" PRId64 "(%s)", name, xregs[d.rd],
                 d.imm, xregs[d.rs1]);
        break;
    case F_CSR: {
        static const char *const ops[8] = {
            "", "csrrw", "csrrs", "csrrc", "", "csrrwi", "csrrsi", "csrrci",
        };
        if (d.sub & 4) {
            snprintf(buf, size, "%-8s %s,0x%03" PRIx64 ",%d", ops[d.sub],
                     xregs[d.rd], d.imm, d.rs1);
        } else {
            snprintf(buf, size, "%-8s %s,0x%03" PRIx64 ",%s", ops[d.sub],
                     xregs[d.rd], d.imm, xregs[d.rs1]);
        }
        break;
    }
    case F_AMO:
        snprintf(buf, size, "%s.%c %s,%s,(%s)", amo_name(&d),
                 op == OP_lr_w || op == OP_sc_w || op == OP_amo_w ? 'w' : 'd',
                 xregs[d.rd], xregs[d.rs2], xregs[d.rs1]);
        break;
    case F_FLOAD:
        snprintf(buf, size, "%-8s %s,%" PRId64 "(%s)", name, fregs[d.rd],
                 d.imm, xregs[d.rs1]);
        break;
    case F_FSTORE:
        snprintf(buf, size, "%-8s %s,%" PRId64 "(%s)", name, fregs[d.rs2],
                 d.imm, xregs[d.rs1]);
        break;
    case F_FP:
        snprintf(buf, size, "%-8s %s,%s,%s", fp_name(d.insn), fregs[d.rd],
                 fregs[d.rs1], fregs[d.rs2]);
        break;
    default:
        if (op == OP_illegal) {
            snprintf(buf, size, "illegal");
        } else {
            snprintf(buf, size, "%s", name);
        }
    }
    return d.len;
}

void riscv_log_block(CPURISCVState *env, TranslationBlock *tb, uint64_t pc,
                     const uint8_t *host1, const uint8_t *host2)
{
    FILE *f = qemu_log_trylock();
    char text[80];

    if (!f) {
        return;
    }
    fprintf(f, "IN: \n");
    for (uint32_t i = 0; i < tb->ninsns; i++) {
        const DecodedInsn *d = &tb->ops[i];
        riscv_disas_insn(d->raw, pc + d->off, text, sizeof(text));
        fprintf(f, "0x%016" PRIx64 ":  %0*x          %s\n", pc + d->off,
                d->len * 2, d->raw, text);
    }
    fprintf(f, "\n");
    qemu_log_unlock(f);
}
