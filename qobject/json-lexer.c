/*
 * json-lexer.c: split a byte stream into JSON tokens.
 *
 * A byte-at-a-time state machine, so that input may be split anywhere.
 * The lexer checks only the shape of tokens; what a string contains
 * (escape sequences, UTF-8) and which keywords exist is the parser's
 * business, so that those errors name the whole offending value.
 *
 * Recovery follows QEMU: after a byte that cannot continue the token,
 * that byte ends an error token, and input is skipped up to a byte at
 * which tokens are likely to be in step again (see json-parser.h).  Tools
 * written for QEMU rely on a newline resetting a confused parser.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/json-parser.h"

enum {
    LEX_START,
    LEX_RECOVERY,
    LEX_DQ_STRING,
    LEX_DQ_ESCAPE,
    LEX_SQ_STRING,
    LEX_SQ_ESCAPE,
    LEX_NEG,
    LEX_ZERO,
    LEX_NONZERO,
    LEX_FRAC_START,
    LEX_FRAC,
    LEX_EXP_START,
    LEX_EXP_SIGN,
    LEX_EXP,
    LEX_KEYWORD,
    LEX_INTERP,
    LEX_INTERP_L,
    LEX_INTERP_LL,
};

/* What the current byte does to the token being built. */
typedef enum {
    LEX_TAKE,           /* append and stay in (possibly new) state */
    LEX_DONE,           /* append, token complete */
    LEX_END,            /* token complete before this byte: reprocess it */
    LEX_BAD,            /* append, the token is an error */
} LexAction;

void json_lexer_init(JSONLexer *lexer, bool interpolate)
{
    lexer->state = LEX_START;
    lexer->interpolate = interpolate;
    lexer->token = g_string_sized_new(64);
    lexer->token_oversize = false;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Bytes at which recovery from an error stops: JSON's structural
 * characters, control characters other than tab, and 0xFE/0xFF, which
 * UTF-8 never uses.
 */
static bool is_resync_byte(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c >= 0xFE ||
           (c && strchr("{}[]:,", c));
}

/* Bytes that may appear raw inside a string or right after a backslash. */
static bool is_string_byte(unsigned char c)
{
    return c >= 0x20 && c < 0xFE;
}

static void lexer_emit(JSONLexer *lexer, JSONMessageParser *parser,
                       JSONTokenType type)
{
    json_message_process_token(parser, type, lexer->token->str,
                               lexer->token->len);
    g_string_truncate(lexer->token, 0);
}

static LexAction lex_start(JSONLexer *lexer, unsigned char c,
                           JSONTokenType *type)
{
    static const char structural[] = "{}[]:,";
    static const JSONTokenType structural_type[] = {
        JSON_LCURLY, JSON_RCURLY, JSON_LSQUARE, JSON_RSQUARE,
        JSON_COLON, JSON_COMMA,
    };
    const char *p = c ? strchr(structural, c) : NULL;

    if (p) {
        *type = structural_type[p - structural];
        return LEX_DONE;
    }
    switch (c) {
    case '"':
        lexer->state = LEX_DQ_STRING;
        return LEX_TAKE;
    case '\'':
        lexer->state = LEX_SQ_STRING;
        return LEX_TAKE;
    case '-':
        lexer->state = LEX_NEG;
        return LEX_TAKE;
    case '0':
        lexer->state = LEX_ZERO;
        return LEX_TAKE;
    case '%':
        lexer->state = LEX_INTERP;
        return lexer->interpolate ? LEX_TAKE : LEX_BAD;
    }
    if (is_digit(c)) {
        lexer->state = LEX_NONZERO;
        return LEX_TAKE;
    }
    if (c >= 'a' && c <= 'z') {
        lexer->state = LEX_KEYWORD;
        return LEX_TAKE;
    }
    return LEX_BAD;
}

static LexAction lex_string(JSONLexer *lexer, unsigned char c,
                            unsigned char quote, int escape_state)
{
    if (c == quote) {
        return LEX_DONE;
    }
    if (c == '\\') {
        lexer->state = escape_state;
        return LEX_TAKE;
    }
    return is_string_byte(c) ? LEX_TAKE : LEX_BAD;
}

/* One byte of a number; *type is what the token is if it ends here. */
static LexAction lex_number(JSONLexer *lexer, unsigned char c,
                            JSONTokenType *type)
{
    switch (lexer->state) {
    case LEX_NEG:
        if (!is_digit(c)) {
            return LEX_BAD;
        }
        lexer->state = c == '0' ? LEX_ZERO : LEX_NONZERO;
        return LEX_TAKE;
    case LEX_ZERO:
    case LEX_NONZERO:
        if (is_digit(c)) {
            return lexer->state == LEX_ZERO ? LEX_BAD : LEX_TAKE;
        }
        if (c == '.') {
            lexer->state = LEX_FRAC_START;
            return LEX_TAKE;
        }
        *type = JSON_INTEGER;
        break;
    case LEX_FRAC_START:
        lexer->state = LEX_FRAC;
        return is_digit(c) ? LEX_TAKE : LEX_BAD;
    case LEX_FRAC:
        if (is_digit(c)) {
            return LEX_TAKE;
        }
        *type = JSON_FLOAT;
        break;
    case LEX_EXP_START:
        if (c == '+' || c == '-') {
            lexer->state = LEX_EXP_SIGN;
            return LEX_TAKE;
        }
        /* fall through */
    case LEX_EXP_SIGN:
        lexer->state = LEX_EXP;
        return is_digit(c) ? LEX_TAKE : LEX_BAD;
    case LEX_EXP:
        if (is_digit(c)) {
            return LEX_TAKE;
        }
        *type = JSON_FLOAT;
        return LEX_END;
    }

    /* After the integer or fraction part, an exponent may follow. */
    if (c == 'e' || c == 'E') {
        lexer->state = LEX_EXP_START;
        return LEX_TAKE;
    }
    return LEX_END;
}

/* %d %i %u %s %p %f, %ld %li %lu, %lld %lli %llu */
static LexAction lex_interp(JSONLexer *lexer, unsigned char c)
{
    if (c == 'l' && lexer->state != LEX_INTERP_LL) {
        lexer->state++;
        return LEX_TAKE;
    }
    if (c == 'd' || c == 'i' || c == 'u') {
        return LEX_DONE;
    }
    if (lexer->state == LEX_INTERP && (c == 's' || c == 'p' || c == 'f')) {
        return LEX_DONE;
    }
    return LEX_BAD;
}

/* The action for @c in the current state; may change the state. */
static LexAction lex_byte(JSONLexer *lexer, unsigned char c,
                          JSONTokenType *type)
{
    switch (lexer->state) {
    case LEX_START:
        return lex_start(lexer, c, type);
    case LEX_DQ_STRING:
        *type = JSON_STRING;
        return lex_string(lexer, c, '"', LEX_DQ_ESCAPE);
    case LEX_SQ_STRING:
        *type = JSON_STRING;
        return lex_string(lexer, c, '\'', LEX_SQ_ESCAPE);
    case LEX_DQ_ESCAPE:
    case LEX_SQ_ESCAPE:
        lexer->state = lexer->state == LEX_DQ_ESCAPE ? LEX_DQ_STRING
                                                     : LEX_SQ_STRING;
        return is_string_byte(c) ? LEX_TAKE : LEX_BAD;
    case LEX_KEYWORD:
        *type = JSON_KEYWORD;
        return c >= 'a' && c <= 'z' ? LEX_TAKE : LEX_END;
    case LEX_INTERP:
    case LEX_INTERP_L:
    case LEX_INTERP_LL:
        *type = JSON_INTERP;
        return lex_interp(lexer, c);
    default:
        return lex_number(lexer, c, type);
    }
}

static void lexer_append(JSONLexer *lexer, JSONMessageParser *parser,
                         unsigned char c)
{
    /* A token too long to keep ends here; skip the rest of it. */
    if (lexer->token->len >= JSON_MAX_TOKEN_BYTES) {
        lexer_emit(lexer, parser, JSON_OVERSIZE);
        lexer->state = LEX_RECOVERY;
        return;
    }
    g_string_append_c(lexer->token, c);
}

static void lexer_feed_byte(JSONLexer *lexer, JSONMessageParser *parser,
                            unsigned char c)
{
    JSONTokenType type = JSON_ERROR;

    for (;;) {
        if (lexer->state == LEX_RECOVERY) {
            if (!is_resync_byte(c)) {
                return;
            }
            lexer->state = LEX_START;
        }
        if (lexer->state == LEX_START &&
            (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
            return;
        }

        switch (lex_byte(lexer, c, &type)) {
        case LEX_TAKE:
            lexer_append(lexer, parser, c);
            return;
        case LEX_DONE:
            g_string_append_c(lexer->token, c);
            lexer->state = LEX_START;
            lexer_emit(lexer, parser, type);
            return;
        case LEX_BAD:
            g_string_append_c(lexer->token, c);
            lexer->state = LEX_RECOVERY;
            lexer_emit(lexer, parser, JSON_ERROR);
            return;
        case LEX_END:
            /* The token ended before @c: emit it, then look at @c again. */
            lexer->state = LEX_START;
            lexer_emit(lexer, parser, type);
            break;
        }
    }
}

void json_lexer_feed(JSONLexer *lexer, const char *buffer, size_t size,
                     JSONMessageParser *parser)
{
    size_t i;

    for (i = 0; i < size; i++) {
        lexer_feed_byte(lexer, parser, buffer[i]);
    }
}

void json_lexer_flush(JSONLexer *lexer, JSONMessageParser *parser)
{
    switch (lexer->state) {
    case LEX_START:
    case LEX_RECOVERY:
        break;
    case LEX_ZERO:
    case LEX_NONZERO:
        lexer_emit(lexer, parser, JSON_INTEGER);
        break;
    case LEX_FRAC:
    case LEX_EXP:
        lexer_emit(lexer, parser, JSON_FLOAT);
        break;
    case LEX_KEYWORD:
        lexer_emit(lexer, parser, JSON_KEYWORD);
        break;
    default:
        /* An unfinished string, number or conversion. */
        lexer_emit(lexer, parser, JSON_ERROR);
        break;
    }
    lexer->state = LEX_START;
    g_string_truncate(lexer->token, 0);
}

void json_lexer_destroy(JSONLexer *lexer)
{
    g_string_free(lexer->token, TRUE);
    lexer->token = NULL;
}
