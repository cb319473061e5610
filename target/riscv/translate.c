/*
 * translate.c: decode guest code into blocks of pre-decoded instructions.
 *
 * Compressed instructions are first expanded to the 32-bit instruction
 * they stand for, so one decoder serves both; the block keeps the raw
 * bits for mtval.  A block ends after any instruction that changes
 * control flow or machine state the interpreter keeps in locals (CSR
 * accesses, fences, traps), at the end of the guest page, or after
 * TB_MAX_INSNS instructions.
 */
#include "qemu/osdep.h"
#include "internals.h"

/* ---- Field extraction ---- */

static inline uint32_t f_rd(uint32_t i)  { return (i >> 7) & 31; }
static inline uint32_t f_rs1(uint32_t i) { return (i >> 15) & 31; }
static inline uint32_t f_rs2(uint32_t i) { return (i >> 20) & 31; }
static inline uint32_t f_rs3(uint32_t i) { return i >> 27; }
static inline uint32_t f_f3(uint32_t i)  { return (i >> 12) & 7; }
static inline uint32_t f_f7(uint32_t i)  { return i >> 25; }

static inline int64_t imm_i(uint32_t i) { return (int32_t)i >> 20; }

static inline int64_t imm_s(uint32_t i)
{
    return (int32_t)(((uint32_t)((int32_t)i >> 25) << 5) | f_rd(i));
}

static inline int64_t imm_b(uint32_t i)
{
    return (int32_t)(((uint32_t)((int32_t)i >> 31) << 12) |
                     (((i >> 7) & 1) << 11) | (((i >> 25) & 0x3f) << 5) |
                     (((i >> 8) & 0xf) << 1));
}

static inline int64_t imm_u(uint32_t i) { return (int32_t)(i & 0xfffff000); }

static inline int64_t imm_j(uint32_t i)
{
    return (int32_t)(((uint32_t)((int32_t)i >> 31) << 20) | (i & 0xff000) |
                     (((i >> 20) & 1) << 11) | (((i >> 21) & 0x3ff) << 1));
}

/* ---- 32-bit encoders used by the RVC expander ---- */

enum {
    OPC_LOAD = 0x03, OPC_LOAD_FP = 0x07, OPC_MISC_MEM = 0x0f,
    OPC_OP_IMM = 0x13, OPC_AUIPC = 0x17, OPC_OP_IMM_32 = 0x1b,
    OPC_STORE = 0x23, OPC_STORE_FP = 0x27, OPC_AMO = 0x2f, OPC_OP = 0x33,
    OPC_LUI = 0x37, OPC_OP_32 = 0x3b, OPC_MADD = 0x43, OPC_MSUB = 0x47,
    OPC_NMSUB = 0x4b, OPC_NMADD = 0x4f, OPC_OP_FP = 0x53,
    OPC_BRANCH = 0x63, OPC_JALR = 0x67, OPC_JAL = 0x6f, OPC_SYSTEM = 0x73,
};

static uint32_t enc_i(uint32_t op, uint32_t f3, uint32_t rd, uint32_t rs1,
                      int32_t imm)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 |
           rd << 7 | op;
}

static uint32_t enc_s(uint32_t op, uint32_t f3, uint32_t rs1, uint32_t rs2,
                      int32_t imm)
{
    return (((uint32_t)imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 |
           f3 << 12 | ((uint32_t)imm & 0x1f) << 7 | op;
}

static uint32_t enc_r(uint32_t op, uint32_t f3, uint32_t f7, uint32_t rd,
                      uint32_t rs1, uint32_t rs2)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    uint32_t u = imm;

    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 |
           rs1 << 15 | f3 << 12 | ((u >> 1) & 0xf) << 8 |
           ((u >> 11) & 1) << 7 | OPC_BRANCH;
}

static uint32_t enc_j(uint32_t rd, int32_t imm)
{
    uint32_t u = imm;

    return ((u >> 20) & 1) << 31 | ((u >> 1) & 0x3ff) << 21 |
           ((u >> 11) & 1) << 20 | ((u >> 12) & 0xff) << 12 | rd << 7 |
           OPC_JAL;
}

/* ---- RVC expansion ---- */

static inline uint32_t cbits(uint32_t c, int hi, int lo)
{
    return (c >> lo) & ((1u << (hi - lo + 1)) - 1);
}

/* Sign-extend the low @bits of @v. */
static inline int32_t sext(uint32_t v, int bits)
{
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

static uint32_t expand_q0(uint32_t c)
{
    uint32_t rdp = 8 + cbits(c, 4, 2), rs1p = 8 + cbits(c, 9, 7);
    uint32_t uimm_w = cbits(c, 12, 10) << 3 | cbits(c, 6, 6) << 2 |
                      cbits(c, 5, 5) << 6;
    uint32_t uimm_d = cbits(c, 12, 10) << 3 | cbits(c, 6, 5) << 6;

    switch (cbits(c, 15, 13)) {
    case 0: {   /* c.addi4spn */
        uint32_t nz = cbits(c, 12, 11) << 4 | cbits(c, 10, 7) << 6 |
                      cbits(c, 6, 6) << 2 | cbits(c, 5, 5) << 3;
        return nz ? enc_i(OPC_OP_IMM, 0, rdp, 2, nz) : 0;
    }
    case 1: return enc_i(OPC_LOAD_FP, 3, rdp, rs1p, uimm_d);   /* c.fld */
    case 2: return enc_i(OPC_LOAD, 2, rdp, rs1p, uimm_w);      /* c.lw */
    case 3: return enc_i(OPC_LOAD, 3, rdp, rs1p, uimm_d);      /* c.ld */
    case 5: return enc_s(OPC_STORE_FP, 3, rs1p, rdp, uimm_d);  /* c.fsd */
    case 6: return enc_s(OPC_STORE, 2, rs1p, rdp, uimm_w);     /* c.sw */
    case 7: return enc_s(OPC_STORE, 3, rs1p, rdp, uimm_d);     /* c.sd */
    }
    return 0;
}

static uint32_t expand_q1_alu(uint32_t c)
{
    uint32_t rd = 8 + cbits(c, 9, 7), rs2 = 8 + cbits(c, 4, 2);
    uint32_t shamt = cbits(c, 12, 12) << 5 | cbits(c, 6, 2);
    int32_t imm = sext(cbits(c, 12, 12) << 5 | cbits(c, 6, 2), 6);
    static const uint32_t f3s[4] = { 0, 4, 6, 7 };   /* sub xor or and */

    switch (cbits(c, 11, 10)) {
    case 0: return enc_i(OPC_OP_IMM, 5, rd, rd, shamt);          /* srli */
    case 1: return enc_i(OPC_OP_IMM, 5, rd, rd, shamt | 0x400);  /* srai */
    case 2: return enc_i(OPC_OP_IMM, 7, rd, rd, imm);            /* andi */
    }
    if (!cbits(c, 12, 12)) {
        uint32_t k = cbits(c, 6, 5);
        return enc_r(OPC_OP, f3s[k], k == 0 ? 0x20 : 0, rd, rd, rs2);
    }
    switch (cbits(c, 6, 5)) {
    case 0: return enc_r(OPC_OP_32, 0, 0x20, rd, rd, rs2);       /* subw */
    case 1: return enc_r(OPC_OP_32, 0, 0, rd, rd, rs2);          /* addw */
    }
    return 0;
}

static uint32_t expand_q1(uint32_t c)
{
    uint32_t rd = cbits(c, 11, 7);
    int32_t imm6 = sext(cbits(c, 12, 12) << 5 | cbits(c, 6, 2), 6);
    int32_t jimm = sext(cbits(c, 12, 12) << 11 | cbits(c, 11, 11) << 4 |
                        cbits(c, 10, 9) << 8 | cbits(c, 8, 8) << 10 |
                        cbits(c, 7, 7) << 6 | cbits(c, 6, 6) << 7 |
                        cbits(c, 5, 3) << 1 | cbits(c, 2, 2) << 5, 12);
    int32_t bimm = sext(cbits(c, 12, 12) << 8 | cbits(c, 11, 10) << 3 |
                        cbits(c, 6, 5) << 6 | cbits(c, 4, 3) << 1 |
                        cbits(c, 2, 2) << 5, 9);

    switch (cbits(c, 15, 13)) {
    case 0: return enc_i(OPC_OP_IMM, 0, rd, rd, imm6);           /* addi */
    case 1: return rd ? enc_i(OPC_OP_IMM_32, 0, rd, rd, imm6) : 0;
    case 2: return enc_i(OPC_OP_IMM, 0, rd, 0, imm6);            /* li */
    case 3:
        if (rd == 2) {      /* c.addi16sp */
            int32_t imm = sext(cbits(c, 12, 12) << 9 | cbits(c, 6, 6) << 4 |
                               cbits(c, 5, 5) << 6 | cbits(c, 4, 3) << 7 |
                               cbits(c, 2, 2) << 5, 10);
            return imm ? enc_i(OPC_OP_IMM, 0, 2, 2, imm) : 0;
        }
        return imm6 ? ((uint32_t)imm6 << 12) | rd << 7 | OPC_LUI : 0;
    case 4: return expand_q1_alu(c);
    case 5: return enc_j(0, jimm);                                /* c.j */
    case 6: return enc_b(0, 8 + cbits(c, 9, 7), 0, bimm);        /* beqz */
    case 7: return enc_b(1, 8 + cbits(c, 9, 7), 0, bimm);        /* bnez */
    }
    return 0;
}

static uint32_t expand_q2(uint32_t c)
{
    uint32_t rd = cbits(c, 11, 7), rs2 = cbits(c, 6, 2);
    uint32_t shamt = cbits(c, 12, 12) << 5 | cbits(c, 6, 2);
    uint32_t lw = cbits(c, 12, 12) << 5 | cbits(c, 6, 4) << 2 |
                  cbits(c, 3, 2) << 6;
    uint32_t ld = cbits(c, 12, 12) << 5 | cbits(c, 6, 5) << 3 |
                  cbits(c, 4, 2) << 6;
    uint32_t sw = cbits(c, 12, 9) << 2 | cbits(c, 8, 7) << 6;
    uint32_t sd = cbits(c, 12, 10) << 3 | cbits(c, 9, 7) << 6;

    switch (cbits(c, 15, 13)) {
    case 0: return enc_i(OPC_OP_IMM, 1, rd, rd, shamt);          /* slli */
    case 1: return enc_i(OPC_LOAD_FP, 3, rd, 2, ld);             /* fldsp */
    case 2: return rd ? enc_i(OPC_LOAD, 2, rd, 2, lw) : 0;       /* lwsp */
    case 3: return rd ? enc_i(OPC_LOAD, 3, rd, 2, ld) : 0;       /* ldsp */
    case 4:
        if (!cbits(c, 12, 12)) {
            if (rs2 == 0) {     /* c.jr */
                return rd ? enc_i(OPC_JALR, 0, 0, rd, 0) : 0;
            }
            return enc_r(OPC_OP, 0, 0, rd, 0, rs2);               /* mv */
        }
        if (rs2 == 0) {
            return rd ? enc_i(OPC_JALR, 0, 1, rd, 0)              /* jalr */
                      : 0x00100073;                               /* ebreak */
        }
        return enc_r(OPC_OP, 0, 0, rd, rd, rs2);                  /* add */
    case 5: return enc_s(OPC_STORE_FP, 3, 2, rs2, sd);           /* fsdsp */
    case 6: return enc_s(OPC_STORE, 2, 2, rs2, sw);              /* swsp */
    case 7: return enc_s(OPC_STORE, 3, 2, rs2, sd);              /* sdsp */
    }
    return 0;
}

/* The 32-bit instruction a compressed one stands for; 0 if reserved. */
static uint32_t expand_rvc(uint32_t c)
{
    switch (c & 3) {
    case 0: return expand_q0(c);
    case 1: return expand_q1(c);
    case 2: return expand_q2(c);
    }
    return 0;
}

/* ---- 32-bit decoding ---- */

typedef struct DecodeCtx {
    CPURISCVState *env;
    const RISCVCPUConfig *cfg;
    DecodedInsn *d;
    uint32_t insn;
    bool ends_block;
} DecodeCtx;

static inline uint8_t xd(uint32_t r)
{
    return r ? r : 32;
}

/* Emit register-register op @op. */
static int r_type(DecodeCtx *s, int op)
{
    s->d->rd = xd(f_rd(s->insn));
    s->d->rs1 = f_rs1(s->insn);
    s->d->rs2 = f_rs2(s->insn);
    return op;
}

static int i_type(DecodeCtx *s, int op, int64_t imm)
{
    s->d->rd = xd(f_rd(s->insn));
    s->d->rs1 = f_rs1(s->insn);
    s->d->imm = imm;
    return op;
}

static int decode_op_imm(DecodeCtx *s)
{
    uint32_t i = s->insn, f6 = i >> 26, shamt = (i >> 20) & 63;
    uint32_t imm12 = i >> 20;
    static const int ops[8] = {
        OP_addi, -1, OP_slti, OP_sltiu, OP_xori, -1, OP_ori, OP_andi,
    };

    switch (f_f3(i)) {
    case 1:
        if (f6 == 0) {
            return i_type(s, OP_slli, shamt);
        }
        if (s->cfg->ext_zbb && f6 == 0x18 && shamt < 8) {
            static const int un[8] = {
                OP_clz, OP_ctz, OP_cpop, -1, OP_sext_b, OP_sext_h, -1, -1,
            };
            return un[shamt] < 0 ? OP_illegal : i_type(s, un[shamt], 0);
        }
        if (s->cfg->ext_zbs) {
            switch (f6) {
            case 0x12: return i_type(s, OP_bclri, shamt);
            case 0x1a: return i_type(s, OP_binvi, shamt);
            case 0x0a: return i_type(s, OP_bseti, shamt);
            }
        }
        return OP_illegal;
    case 5:
        if (f6 == 0) {
            return i_type(s, OP_srli, shamt);
        }
        if (f6 == 0x10) {
            return i_type(s, OP_srai, shamt);
        }
        if (s->cfg->ext_zbb) {
            if (f6 == 0x18) {
                return i_type(s, OP_rori, shamt);
            }
            if (imm12 == 0x287) {
                return i_type(s, OP_orc_b, 0);
            }
            if (imm12 == 0x6b8) {
                return i_type(s, OP_rev8, 0);
            }
        }
        if (s->cfg->ext_zbs && f6 == 0x12) {
            return i_type(s, OP_bexti, shamt);
        }
        return OP_illegal;
    }
    if (f_f3(i) == 0 && f_rs1(i) == 0) {
        return i_type(s, OP_li, imm_i(i));
    }
    return i_type(s, ops[f_f3(i)], imm_i(i));
}

static int decode_op_imm_32(DecodeCtx *s)
{
    uint32_t i = s->insn, f7 = f_f7(i), shamt = f_rs2(i);

    switch (f_f3(i)) {
    case 0:
        return i_type(s, OP_addiw, imm_i(i));
    case 1:
        if (f7 == 0) {
            return i_type(s, OP_slliw, shamt);
        }
        if (s->cfg->ext_zba && (i >> 26) == 0x02) {
            return i_type(s, OP_slli_uw, (i >> 20) & 63);
        }
        if (s->cfg->ext_zbb && f7 == 0x30 && shamt <= 2) {
            static const int un[3] = { OP_clzw, OP_ctzw, OP_cpopw };
            return i_type(s, un[shamt], 0);
        }
        return OP_illegal;
    case 5:
        if (f7 == 0) {
            return i_type(s, OP_srliw, shamt);
        }
        if (f7 == 0x20) {
            return i_type(s, OP_sraiw, shamt);
        }
        if (s->cfg->ext_zbb && f7 == 0x30) {
            return i_type(s, OP_roriw, shamt);
        }
    }
    return OP_illegal;
}

static int decode_op(DecodeCtx *s)
{
    uint32_t i = s->insn, f7 = f_f7(i), f3 = f_f3(i);
    static const int base[8] = {
        OP_add, OP_sll, OP_slt, OP_sltu, OP_xor, OP_srl, OP_or, OP_and,
    };
    static const int muldiv[8] = {
        OP_mul, OP_mulh, OP_mulhsu, OP_mulhu,
        OP_div, OP_divu, OP_rem, OP_remu,
    };

    if (f7 == 0) {
        if (f3 == 0 && f_rs1(i) == 0) {
            return r_type(s, OP_mv);
        }
        return r_type(s, base[f3]);
    }
    if (f7 == 0x20 && f3 == 0) {
        return r_type(s, OP_sub);
    }
    if (f7 == 0x20 && f3 == 5) {
        return r_type(s, OP_sra);
    }
    if (f7 == 1 && s->cfg->ext_m) {
        return r_type(s, muldiv[f3]);
    }
    if (s->cfg->ext_zba && f7 == 0x10 && (f3 & 1) == 0 && f3) {
        return r_type(s, f3 == 2 ? OP_sh1add : f3 == 4 ? OP_sh2add
                                                       : OP_sh3add);
    }
    if (s->cfg->ext_zbb) {
        if (f7 == 0x20 && f3 >= 4 && f3 != 5) {
            return r_type(s, f3 == 4 ? OP_xnor : f3 == 6 ? OP_orn : OP_andn);
        }
        if (f7 == 0x05 && f3 >= 4) {
            static const int mm[4] = { OP_min, OP_minu, OP_max, OP_maxu };
            return r_type(s, mm[f3 - 4]);
        }
        if (f7 == 0x30 && (f3 == 1 || f3 == 5)) {
            return r_type(s, f3 == 1 ? OP_rol : OP_ror);
        }
    }
    if (s->cfg->ext_zbs && (f3 == 1 || f3 == 5)) {
        if (f7 == 0x24) {
            return r_type(s, f3 == 1 ? OP_bclr : OP_bext);
        }
        if (f7 == 0x34 && f3 == 1) {
            return r_type(s, OP_binv);
        }
        if (f7 == 0x14 && f3 == 1) {
            return r_type(s, OP_bset);
        }
    }
    return OP_illegal;
}

static int decode_op_32(DecodeCtx *s)
{
    uint32_t i = s->insn, f7 = f_f7(i), f3 = f_f3(i);

    switch (f7 << 3 | f3) {
    case 0x00 << 3 | 0: return r_type(s, OP_addw);
    case 0x20 << 3 | 0: return r_type(s, OP_subw);
    case 0x00 << 3 | 1: return r_type(s, OP_sllw);
    case 0x00 << 3 | 5: return r_type(s, OP_srlw);
    case 0x20 << 3 | 5: return r_type(s, OP_sraw);
    }
    if (f7 == 1 && s->cfg->ext_m) {
        static const int ops[8] = {
            OP_mulw, -1, -1, -1, OP_divw, OP_divuw, OP_remw, OP_remuw,
        };
        return ops[f3] < 0 ? OP_illegal : r_type(s, ops[f3]);
    }
    if (s->cfg->ext_zba) {
        if (f7 == 0x04 && f3 == 0) {
            return r_type(s, OP_add_uw);
        }
        if (f7 == 0x10 && f3 && (f3 & 1) == 0) {
            return r_type(s, f3 == 2 ? OP_sh1add_uw : f3 == 4 ? OP_sh2add_uw
                                                            : OP_sh3add_uw);
        }
    }
    if (s->cfg->ext_zbb) {
        if (f7 == 0x04 && f3 == 4 && f_rs2(i) == 0) {
            return r_type(s, OP_zext_h);
        }
        if (f7 == 0x30 && (f3 == 1 || f3 == 5)) {
            return r_type(s, f3 == 1 ? OP_rolw : OP_rorw);
        }
    }
    return OP_illegal;
}

static int decode_amo(DecodeCtx *s)
{
    uint32_t i = s->insn, f5 = i >> 27, f3 = f_f3(i);

    if (!s->cfg->ext_a || (f3 != 2 && f3 != 3)) {
        return OP_illegal;
    }
    r_type(s, 0);
    s->d->sub = f5;
    switch (f5) {
    case 0x02:
        return f_rs2(i) ? OP_illegal : f3 == 2 ? OP_lr_w : OP_lr_d;
    case 0x03:
        return f3 == 2 ? OP_sc_w : OP_sc_d;
    case 0x00: case 0x01: case 0x04: case 0x08: case 0x0c:
    case 0x10: case 0x14: case 0x18: case 0x1c:
        return f3 == 2 ? OP_amo_w : OP_amo_d;
    }
    return OP_illegal;
}

static int decode_system(DecodeCtx *s)
{
    uint32_t i = s->insn, f3 = f_f3(i);

    s->ends_block = true;
    if (f3 == 0) {
        if (f_rd(i) != 0) {
            return OP_illegal;
        }
        if (f_f7(i) == 0x09) {
            s->d->rs1 = f_rs1(i);
            s->d->rs2 = f_rs2(i);
            return OP_sfence_vma;
        }
        if (f_rs1(i) != 0) {
            return OP_illegal;
        }
        switch (i >> 20) {
        case 0x000: return OP_ecall;
        case 0x001: return OP_ebreak;
        case 0x102: return OP_sret;
        case 0x302: return OP_mret;
        case 0x105: return OP_wfi;
        }
        return OP_illegal;
    }
    if (f3 == 4 || !s->cfg->ext_icsr) {
        return OP_illegal;
    }
    s->d->rd = xd(f_rd(i));
    s->d->rs1 = f_rs1(i);
    s->d->sub = f3;
    s->d->imm = i >> 20;
    return OP_csr;
}

static bool fp_allowed(DecodeCtx *s, uint32_t fmt)
{
    return fmt == 0 ? s->cfg->ext_f : fmt == 1 ? s->cfg->ext_d : false;
}

static int decode_fp(DecodeCtx *s)
{
    uint32_t i = s->insn, op = i & 0x7f, f3 = f_f3(i);

    s->d->rd = f_rd(i);
    s->d->rs1 = f_rs1(i);
    s->d->rs2 = f_rs2(i);
    s->d->rs3 = f_rs3(i);
    switch (op) {
    case OPC_LOAD_FP:
        s->d->imm = imm_i(i);
        return (f3 == 2 && s->cfg->ext_f) ? OP_flw :
               (f3 == 3 && s->cfg->ext_d) ? OP_fld : OP_illegal;
    case OPC_STORE_FP:
        s->d->imm = imm_s(i);
        return (f3 == 2 && s->cfg->ext_f) ? OP_fsw :
               (f3 == 3 && s->cfg->ext_d) ? OP_fsd : OP_illegal;
    case OPC_OP_FP:
        if (!fp_allowed(s, (i >> 25) & 3)) {
            return OP_illegal;
        }
        break;
    default:
        if (!fp_allowed(s, (i >> 25) & 3)) {
            return OP_illegal;
        }
        break;
    }

    /* Common double-precision operations with a static RNE rounding. */
    if (op == OPC_OP_FP && f3 == RISCV_FRM_RNE) {
        switch (f_f7(i)) {
        case 0x01: return OP_fadd_d;
        case 0x05: return OP_fsub_d;
        case 0x09: return OP_fmul_d;
        }
    }
    if (op == OPC_MADD && f3 == RISCV_FRM_RNE && ((i >> 25) & 3) == 1) {
        return OP_fmadd_d;
    }
    return OP_fp;
}

/* Decode s->insn into s->d; returns the OP_* value. */
static int decode32(DecodeCtx *s, uint64_t pc)
{
    uint32_t i = s->insn, f3 = f_f3(i);

    switch (i & 0x7f) {
    case OPC_LUI:
        return i_type(s, OP_lui, imm_u(i));
    case OPC_AUIPC:
        return i_type(s, OP_auipc, imm_u(i));
    case OPC_JAL:
        s->ends_block = true;
        return i_type(s, OP_jal, imm_j(i));
    case OPC_JALR:
        s->ends_block = true;
        return f3 ? OP_illegal : i_type(s, OP_jalr, imm_i(i));
    case OPC_BRANCH: {
        static const int ops[8] = {
            OP_beq, OP_bne, -1, -1, OP_blt, OP_bge, OP_bltu, OP_bgeu,
        };
        s->ends_block = true;
        if (ops[f3] < 0) {
            return OP_illegal;
        }
        s->d->rs1 = f_rs1(i);
        s->d->rs2 = f_rs2(i);
        s->d->imm = imm_b(i);
        return ops[f3];
    }
    case OPC_LOAD: {
        static const int ops[8] = {
            OP_lb, OP_lh, OP_lw, OP_ld, OP_lbu, OP_lhu, OP_lwu, -1,
        };
        return ops[f3] < 0 ? OP_illegal : i_type(s, ops[f3], imm_i(i));
    }
    case OPC_STORE: {
        static const int ops[8] = { OP_sb, OP_sh, OP_sw, OP_sd };
        if (f3 > 3) {
            return OP_illegal;
        }
        s->d->rs1 = f_rs1(i);
        s->d->rs2 = f_rs2(i);
        s->d->imm = imm_s(i);
        return ops[f3];
    }
    case OPC_OP_IMM:
        return decode_op_imm(s);
    case OPC_OP_IMM_32:
        return decode_op_imm_32(s);
    case OPC_OP:
        return decode_op(s);
    case OPC_OP_32:
        return decode_op_32(s);
    case OPC_MISC_MEM:
        if (f3 == 0) {
            return OP_fence;    /* also pause (Zihintpause) */
        }
        if (f3 == 1 && s->cfg->ext_ifencei) {
            s->ends_block = true;
            return OP_fence_i;
        }
        return OP_illegal;
    case OPC_AMO:
        return decode_amo(s);
    case OPC_SYSTEM:
        return decode_system(s);
    case OPC_LOAD_FP: case OPC_STORE_FP: case OPC_OP_FP:
    case OPC_MADD: case OPC_MSUB: case OPC_NMSUB: case OPC_NMADD:
        return decode_fp(s);
    }
    return OP_illegal;
}

/* ---- Block building ---- */

static uint32_t fetch16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

/*
 * Decode one instruction at @pc whose first byte is at page offset
 * @off.  Returns its length, or 0 if it would cross into a page we
 * cannot read (@host2 NULL).
 */
static int decode_one(DecodeCtx *s, uint64_t pc, uint32_t off,
                      const uint8_t *host1, const uint8_t *host2)
{
    uint32_t lo = fetch16(host1 + off), raw;
    int len = (lo & 3) == 3 ? 4 : 2, op;

    if (len == 4) {
        uint32_t hi;
        if (off + 2 >= TLB_PAGE_SIZE) {
            if (!host2) {
                return 0;
            }
            hi = fetch16(host2);
        } else {
            hi = fetch16(host1 + off + 2);
        }
        raw = lo | hi << 16;
        s->insn = raw;
    } else {
        raw = lo;
        s->insn = s->cfg->ext_c ? expand_rvc(lo) : 0;
    }

    memset(s->d, 0, sizeof(*s->d));
    s->d->raw = raw;
    s->d->len = len;
    s->d->insn = s->insn;
    op = s->insn ? decode32(s, pc) : OP_illegal;
    if (op == OP_illegal) {
        s->ends_block = true;
    }
    s->d->handler = riscv_interp_labels[op];
    return len;
}

TranslationBlock *riscv_tb_decode(CPURISCVState *env, uint64_t pc,
                                  uint64_t paddr, const uint8_t *host1,
                                  const uint8_t *host2, uint64_t paddr2)
{
    DecodedInsn buf[TB_MAX_INSNS + 1];
    DecodeCtx s = { .env = env, .cfg = &env->cfg };
    uint32_t off = pc & ~TLB_PAGE_MASK, start = off;
    uint64_t page2 = TB_NO_PAGE2;
    TranslationBlock *tb;
    int n = 0;

    /* Decode until a block-ending instruction or the page end. */
    while (n < TB_MAX_INSNS && off < TLB_PAGE_SIZE && !s.ends_block) {
        int len;
        s.d = &buf[n];
        len = decode_one(&s, pc + (off - start), off, host1,
                         n == 0 ? host2 : NULL);
        if (len == 0) {
            break;
        }
        buf[n].off = off - start;
        if (off + len > TLB_PAGE_SIZE) {
            page2 = paddr2;
        }
        off += len;
        n++;
    }

    /* A block that does not end in a jump continues at the next pc. */
    if (!s.ends_block) {
        memset(&buf[n], 0, sizeof(buf[n]));
        buf[n].off = off - start;
        buf[n].handler = riscv_interp_labels[OP_fallthrough];
        n++;
    }

    tb = g_malloc0(sizeof(*tb) + n * sizeof(DecodedInsn));
    memcpy(tb->ops, buf, n * sizeof(DecodedInsn));
    tb->paddr = paddr;
    tb->paddr2_page = page2;
    tb->ninsns = s.ends_block ? n : n - 1;
    tb->size = off - start;
    return tb;
}

int riscv_decode_insn(const RISCVCPUConfig *cfg, uint32_t raw,
                      DecodedInsn *d)
{
    DecodeCtx s = { .cfg = cfg, .d = d };
    int op;

    memset(d, 0, sizeof(*d));
    d->raw = raw;
    if ((raw & 3) == 3) {
        s.insn = raw;
        d->len = 4;
    } else {
        s.insn = cfg->ext_c ? expand_rvc(raw & 0xffff) : 0;
        d->len = 2;
    }
    d->insn = s.insn;
    op = s.insn ? decode32(&s, 0) : OP_illegal;
    return op;
}
