/*
 * parse_int.h - what the parser's files share (not for other users).
 *
 * The parser is recursive descent over a token stream with two tokens of
 * lookahead.  The stream is a stack of lexers: include_file/import_file
 * push one, its end of file pops it, so the grammar never sees includes.
 * Every parse function returns SV_OK or the error code of the first
 * problem, which it has already reported with cfg_error(); nothing is
 * retried or recovered (one precise message per broken script).
 */
#ifndef SERVAL_CFG_PARSE_INT_H
#define SERVAL_CFG_PARSE_INT_H

#include "ast.h"
#include "lexer.h"

#define CFG_INCLUDE_MAX 10

struct cfg_parser {
	struct cfg_script *s;
	struct cfg_arena *a;
	struct cfg_lexer lex[CFG_INCLUDE_MAX + 1];
	int depth;              /* index of the active lexer */
	struct cfg_token la[2]; /* lookahead */
	int nla;
	struct cfg_token last; /* last token consumed */
	int switch_depth;      /* > 0 inside a switch */
	int nest;              /* statements/expressions open (CFG_NEST_MAX) */
};

/*
 * How deeply statements and expressions may nest.  The parser, the fixups
 * and the interpreter recurse on nesting, so it is bounded well below what
 * the stack holds; a deeper script is refused at the token that goes past.
 */
#define CFG_NEST_MAX 100

/*
 * Enters one nesting level; returns SV_OK, or reports "nested too deeply"
 * at the next token and returns SV_EINVAL.  Every successful call is paired
 * with ps_leave().
 */
int ps_enter(struct cfg_parser *p);

static inline void ps_leave(struct cfg_parser *p)
{
	p->nest--;
}

/* --- token stream (parse_stream.c) --- */

/* Sets *t to lookahead token k (0 or 1).  Returns SV_OK or an error. */
int ps_peek(struct cfg_parser *p, int k, struct cfg_token **t);

/* Consumes the next token into *t (t may be NULL). */
int ps_next(struct cfg_parser *p, struct cfg_token *t);

/*
 * Consumes the next token if it has type; else reports "expected <type>
 * <context>, found <token>" at the token and returns SV_EINVAL.
 */
int ps_expect(struct cfg_parser *p, enum cfg_tok type, const char *context,
              struct cfg_token *t);

/* Reports "expected <what>, found <token>" at t; returns SV_EINVAL. */
int ps_unexpected(const struct cfg_token *t, const char *what);

/* 1 when b starts right where a ends (same file, no blank between). */
int ps_adjacent(const struct cfg_token *a, const struct cfg_token *b);

/*
 * Reads a run of adjacent word-like tokens (names, numbers, addresses,
 * ':', '.', '-', '[', ']', '/') as one text: "udp:127.0.0.1:5060",
 * "sip.example.com".  The first token must be a word, number or address.
 * *text is arena memory.  Returns SV_OK, or SV_EINVAL (reported).
 */
int ps_word_run(struct cfg_parser *p, char **text, struct cfg_pos *pos);

/* Starts reading buf as file on top of the include stack. */
int ps_push(struct cfg_parser *p, const char *file, const char *buf,
            size_t len);

/*
 * Reads a whole file into a malloc'ed, NUL-terminated buffer.  Returns
 * SV_OK, SV_ENOTFOUND (errno ENOENT) or SV_EIO; errno is preserved.
 */
int cfg_read_file(const char *path, char **buf, size_t *len);

/* --- top level (parse_top.c) --- */

/*
 * Parses the whole stream: global assignments (applied to core_cfg),
 * loadmodule (modules loaded), modparam (applied), route blocks (added to
 * p->s).  Returns SV_OK at end of file, or the first error (reported).
 */
int parse_script(struct cfg_parser *p);

/* --- statements (parse_stmt.c) --- */

/* Parses statements after a consumed '{' up to and including its '}'. */
int parse_block(struct cfg_parser *p, const struct cfg_token *lbrace,
                struct cfg_stmt **out);

/* Parses a call's arguments after its name (already consumed). */
int parse_call(struct cfg_parser *p, const struct cfg_token *name,
               struct cfg_call **out);

/* --- expressions (parse_expr.c) --- */

/*
 * Parses one expression (condition or value) into *out (arena memory);
 * comparisons are checked for OpenSER's operand rules on the way.
 * Returns SV_OK or the first error (reported).
 */
int parse_expr(struct cfg_parser *p, struct cfg_expr **out);

/*
 * Returns n zeroed bytes of the script arena, or NULL after reporting
 * "out of memory".
 */
void *parse_alloc(struct cfg_parser *p, size_t n);

#endif /* SERVAL_CFG_PARSE_INT_H */
