/*
 * json-parser.h: the streaming JSON parser (lexer + streamer + parser).
 *
 * Bytes are fed in pieces of any size; the split may fall anywhere, even
 * inside a token or a UTF-8 sequence.  Each complete top-level value is
 * handed to the emit callback as soon as its last byte arrives; top-level
 * numbers and keywords are complete when the next byte (or a flush) ends
 * them.
 *
 * Errors do not stop the stream.  On a lexical error (a byte that cannot
 * start or continue a token) the parser reports the error, drops the
 * message collected so far, and skips input up to the next structural
 * character ('{', '}', '[', ']', ':', ','), ASCII control character other
 * than tab (a newline, say) or byte 0xFE/0xFF, where lexing resumes: a
 * client can always resynchronise by sending a newline.  On a grammar
 * error the tokens of the message are dropped and reported as one error.
 * A message that exceeds a limit (nesting deeper than JSON_MAX_NESTING,
 * more than JSON_MAX_TOKEN_BYTES of token text, or more than
 * JSON_MAX_TOKENS tokens) is reported once, and the rest of it is skipped
 * up to the bracket that closes it.
 *
 * Not thread-safe: one thread feeds a parser at a time.
 */
#ifndef QAPI_QMP_JSON_PARSER_H
#define QAPI_QMP_JSON_PARSER_H

#include "qapi/error.h"
#include "qapi/qmp/qobject.h"

#define JSON_MAX_NESTING      1024
#define JSON_MAX_TOKEN_BYTES  (64 * 1024 * 1024)
#define JSON_MAX_TOKENS       (2 * 1024 * 1024)

typedef enum JSONTokenType {
    JSON_LCURLY = 100,
    JSON_RCURLY,
    JSON_LSQUARE,
    JSON_RSQUARE,
    JSON_COLON,
    JSON_COMMA,
    JSON_INTEGER,
    JSON_FLOAT,
    JSON_KEYWORD,
    JSON_STRING,
    JSON_INTERP,
    JSON_ERROR,         /* bytes that form no token; text = those bytes */
    JSON_OVERSIZE,      /* one token longer than JSON_MAX_TOKEN_BYTES */
} JSONTokenType;

typedef struct JSONToken {
    JSONTokenType type;
    char *str;          /* NUL-terminated token text (owned) */
    size_t len;
} JSONToken;

/*
 * Called once per top-level value: either @json (a new reference, owned
 * by the callee) or @err (owned by the callee), never both.
 */
typedef void JSONMessageEmit(void *opaque, QObject *json, Error *err);

typedef struct JSONLexer {
    int state;
    bool interpolate;   /* '%' conversions allowed (format strings) */
    GString *token;
    bool token_oversize;
} JSONLexer;

typedef struct JSONMessageParser {
    JSONMessageEmit *emit;
    void *opaque;
    va_list *ap;        /* interpolation arguments, or NULL */
    JSONLexer lexer;
    GPtrArray *tokens;  /* JSONToken * of the message being collected */
    int brace_count;    /* open '{' minus closed '}' */
    int bracket_count;  /* open '[' minus closed ']' */
    size_t token_bytes;
    bool discarding;    /* skipping the rest of an over-limit message */
} JSONMessageParser;

/*
 * @ap: NULL for input from outside; a va_list for format strings, in
 * which case '%' conversions are recognised and consume arguments in
 * order.
 */
void json_message_parser_init(JSONMessageParser *parser,
                              JSONMessageEmit *emit, void *opaque,
                              va_list *ap);
void json_message_parser_feed(JSONMessageParser *parser,
                              const char *buffer, size_t size);
/*
 * End of input: completes a pending top-level number or keyword, and
 * reports an unfinished token or value as an error.  The parser is then
 * empty and can be fed again.
 */
void json_message_parser_flush(JSONMessageParser *parser);
void json_message_parser_destroy(JSONMessageParser *parser);

/* Internals shared by the lexer, streamer and parser files. */
void json_lexer_init(JSONLexer *lexer, bool interpolate);
void json_lexer_feed(JSONLexer *lexer, const char *buffer, size_t size,
                     JSONMessageParser *parser);
void json_lexer_flush(JSONLexer *lexer, JSONMessageParser *parser);
void json_lexer_destroy(JSONLexer *lexer);
void json_message_process_token(JSONMessageParser *parser,
                                JSONTokenType type, const char *text,
                                size_t len);
QObject *json_parser_parse(GPtrArray *tokens, va_list *ap, Error **errp);

#endif /* QAPI_QMP_JSON_PARSER_H */
