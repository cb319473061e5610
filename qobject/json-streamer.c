/*
 * json-streamer.c: group tokens into top-level messages.
 *
 * Tokens are collected until the braces and brackets opened since the
 * message began are all closed (or one closes more than was opened);
 * the collected tokens then go to the parser, and its value or error to
 * the emit callback.  The limits of json-parser.h are enforced here, so
 * that no single message can make the parser hold unbounded memory or
 * recurse without bound.
 */
#include "qemu/osdep.h"
#include "qapi/qmp/json-parser.h"

static void streamer_reset_tokens(JSONMessageParser *parser)
{
    g_ptr_array_set_size(parser->tokens, 0);
    parser->token_bytes = 0;
}

static void streamer_reset(JSONMessageParser *parser)
{
    streamer_reset_tokens(parser);
    parser->brace_count = 0;
    parser->bracket_count = 0;
    parser->discarding = false;
}

static void streamer_emit_error(JSONMessageParser *parser, Error *err)
{
    parser->emit(parser->opaque, NULL, err);
}

/* A message ends when nothing is left open or something closed too much. */
static bool streamer_message_closed(JSONMessageParser *parser)
{
    return parser->brace_count < 0 || parser->bracket_count < 0 ||
           (parser->brace_count == 0 && parser->bracket_count == 0);
}

static void streamer_count(JSONMessageParser *parser, JSONTokenType type)
{
    switch (type) {
    case JSON_LCURLY:
        parser->brace_count++;
        break;
    case JSON_RCURLY:
        parser->brace_count--;
        break;
    case JSON_LSQUARE:
        parser->bracket_count++;
        break;
    case JSON_RSQUARE:
        parser->bracket_count--;
        break;
    default:
        break;
    }
}

/* The message broke a limit: report it and skip the rest of it. */
static void streamer_limit_exceeded(JSONMessageParser *parser,
                                    const char *what)
{
    Error *err = NULL;

    streamer_reset_tokens(parser);
    parser->discarding = !streamer_message_closed(parser);
    if (!parser->discarding) {
        streamer_reset(parser);
    }
    error_setg(&err, "JSON %s limit exceeded", what);
    streamer_emit_error(parser, err);
}

static bool streamer_check_limits(JSONMessageParser *parser, size_t len)
{
    if (parser->brace_count + parser->bracket_count > JSON_MAX_NESTING) {
        streamer_limit_exceeded(parser, "nesting depth");
        return false;
    }
    if (parser->token_bytes + len > JSON_MAX_TOKEN_BYTES) {
        streamer_limit_exceeded(parser, "token size");
        return false;
    }
    if (parser->tokens->len + 1 > JSON_MAX_TOKENS) {
        streamer_limit_exceeded(parser, "token count");
        return false;
    }
    return true;
}

static void streamer_lexical_error(JSONMessageParser *parser,
                                   JSONTokenType type, const char *text)
{
    Error *err = NULL;

    streamer_reset(parser);
    if (type == JSON_OVERSIZE) {
        error_setg(&err, "JSON token size limit exceeded");
    } else {
        error_setg(&err, "JSON parse error, stray '%s'", text);
    }
    streamer_emit_error(parser, err);
}

static void streamer_append(JSONMessageParser *parser, JSONTokenType type,
                            const char *text, size_t len)
{
    JSONToken *token = g_malloc(sizeof(*token) + len + 1);

    token->type = type;
    token->len = len;
    token->str = (char *)(token + 1);
    memcpy(token->str, text, len + 1);
    g_ptr_array_add(parser->tokens, token);
    parser->token_bytes += len;
}

/* Parse the collected message and hand the result on. */
static void streamer_complete(JSONMessageParser *parser)
{
    Error *err = NULL;
    QObject *json = json_parser_parse(parser->tokens, parser->ap, &err);

    streamer_reset(parser);
    parser->emit(parser->opaque, json, err);
}

void json_message_process_token(JSONMessageParser *parser,
                                JSONTokenType type, const char *text,
                                size_t len)
{
    if (type == JSON_ERROR || type == JSON_OVERSIZE) {
        streamer_lexical_error(parser, type, text);
        return;
    }

    streamer_count(parser, type);
    if (parser->discarding) {
        if (streamer_message_closed(parser)) {
            streamer_reset(parser);
        }
        return;
    }
    if (!streamer_check_limits(parser, len)) {
        return;
    }

    streamer_append(parser, type, text, len);
    if (streamer_message_closed(parser)) {
        streamer_complete(parser);
    }
}

void json_message_parser_init(JSONMessageParser *parser,
                              JSONMessageEmit *emit, void *opaque,
                              va_list *ap)
{
    parser->emit = emit;
    parser->opaque = opaque;
    parser->ap = ap;
    json_lexer_init(&parser->lexer, ap != NULL);
    parser->tokens = g_ptr_array_new_with_free_func(g_free);
    streamer_reset(parser);
}

void json_message_parser_feed(JSONMessageParser *parser,
                              const char *buffer, size_t size)
{
    json_lexer_feed(&parser->lexer, buffer, size, parser);
}

void json_message_parser_flush(JSONMessageParser *parser)
{
    Error *err = NULL;

    json_lexer_flush(&parser->lexer, parser);
    if (parser->tokens->len == 0) {
        streamer_reset(parser);
        return;
    }
    streamer_reset(parser);
    error_setg(&err, "JSON parse error, premature end of input");
    streamer_emit_error(parser, err);
}

void json_message_parser_destroy(JSONMessageParser *parser)
{
    json_lexer_destroy(&parser->lexer);
    g_ptr_array_free(parser->tokens, TRUE);
    parser->tokens = NULL;
}
