/*
 * lexer.h - the routing script's tokens.
 *
 * The lexer works on one file held in memory and hands out one token at a
 * time, each with its position (file:line:col of its first character) and
 * a view of its raw text in the buffer.  Two tokens are adjacent when the
 * second starts where the first ends; the parser uses that to glue
 * "udp:127.0.0.1:5060" or "sip.example.com" back together.
 *
 * What it recognises (OpenSER 1.2 cfg.lex, see DESIGN notes in lexer.c):
 *   - '#' comments to end of line, nestable block comments
 *   - "strings" with escapes \n \r \t \a \\ \" \xHH \NNN and \<newline>;
 *     'strings' taken literally; neither may span lines
 *   - numbers: decimal, 0x hex, 0 octal; a '-' directly before a digit is
 *     part of the number unless the previous token ends a value (a name,
 *     number, string, address, pseudo-variable, ')' or ']'; but not the
 *     keywords case and return)
 *   - words (identifiers); keywords are words with kw set (lower case, as
 *     OpenSER; udp/tcp/tls/sctp/inet/inet6/null also upper case)
 *   - IPv4 (a.b.c.d) and IPv6 literals
 *   - pseudo-variables in every OpenSER form, as one token ($avp(s:x))
 *   - operators, including "and"/"or"/"not" and the single token msg:len
 *
 * Errors (unterminated string or comment, bad character, bad number) are
 * reported with cfg_error() at the position of the offending text.
 */
#ifndef SERVAL_CFG_LEXER_H
#define SERVAL_CFG_LEXER_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

enum cfg_tok {
	TK_EOF = 0,
	TK_WORD,   /* identifier or keyword (kw) */
	TK_NUMBER, /* num */
	TK_STRING, /* text (decoded) */
	TK_PV,     /* text = "$..." as written */
	TK_IPV4,   /* text as written */
	TK_IPV6,
	TK_LPAREN,
	TK_RPAREN,
	TK_LBRACE,
	TK_RBRACE,
	TK_LBRACK,
	TK_RBRACK,
	TK_SEMI,
	TK_COMMA,
	TK_COLON,
	TK_DOT,
	TK_SLASH,
	TK_ASSIGN,  /* = */
	TK_COLONEQ, /* := */
	TK_EQ,
	TK_NE,
	TK_LT,
	TK_GT,
	TK_LE,
	TK_GE,
	TK_MATCH,
	TK_NOMATCH,
	TK_AND,
	TK_OR,
	TK_NOT,
	TK_PLUS,
	TK_MINUS,
	TK_STAR,
	TK_PERCENT,
	TK_BAND,
	TK_BOR,
	TK_BXOR,
	TK_BNOT,
	TK_LSHIFT,
	TK_RSHIFT,
	TK_MSGLEN, /* msg:len */
	TK_COUNT
};

enum cfg_kw {
	KW_NONE = 0,
	KW_IF,
	KW_ELSE,
	KW_SWITCH,
	KW_CASE,
	KW_DEFAULT,
	KW_BREAK,
	KW_WHILE,
	KW_ROUTE,
	KW_FAILURE_ROUTE,
	KW_ONREPLY_ROUTE,
	KW_BRANCH_ROUTE,
	KW_ERROR_ROUTE,
	KW_LOADMODULE,
	KW_MODPARAM,
	KW_INCLUDE_FILE,
	KW_IMPORT_FILE,
	KW_RETURN,
	KW_EXIT,
	KW_DROP,
	KW_METHOD,
	KW_URI,
	KW_STATUS,
	KW_FROM_URI,
	KW_TO_URI,
	KW_SRC_IP,
	KW_SRC_PORT,
	KW_DST_IP,
	KW_DST_PORT,
	KW_PROTO,
	KW_AF,
	KW_MYSELF,
	KW_MAX_LEN,
	KW_NULL,
	KW_YES,
	KW_NO,
	KW_UDP,
	KW_TCP,
	KW_TLS,
	KW_SCTP,
	KW_INET,
	KW_INET6,
	KW_COUNT
};

struct cfg_token {
	enum cfg_tok type;
	enum cfg_kw kw; /* TK_WORD only */
	struct cfg_pos pos;
	const char *raw; /* in the source buffer */
	int raw_len;
	char *text; /* NUL terminated, arena: word, string, pv, ip */
	int text_len;
	long num;     /* TK_NUMBER */
	int line_end; /* line of the token's last character */
};

struct cfg_lexer {
	const char *buf, *p, *end;
	const char *file; /* arena copy */
	int line;
	const char *line_start;
	enum cfg_tok prev; /* previous token, for negative numbers */
	enum cfg_kw prev_kw;
	struct cfg_arena *arena;
};

/*
 * Prepares lx to read len bytes of buf (kept, not copied; it must outlive
 * the lexer and the tokens' raw views).  file is copied into the arena.
 * Returns SV_OK or SV_ENOMEM.
 */
int cfg_lexer_init(struct cfg_lexer *lx, const char *file, const char *buf,
                   size_t len, struct cfg_arena *arena);

/*
 * Reads the next token into *t (TK_EOF at the end, repeatedly).  Returns
 * SV_OK, or SV_EINVAL after reporting a lexical error with cfg_error(),
 * or SV_ENOMEM.
 */
int cfg_lex(struct cfg_lexer *lx, struct cfg_token *t);

/*
 * Describes a token for messages: "'route'", "string \"x\"", "number 5",
 * "end of file" ... into buf.  Returns buf.
 */
const char *cfg_tok_describe(const struct cfg_token *t, char *buf, int size);

/* Returns the spelling of a token type ("';'", "'=='" ...). */
const char *cfg_tok_name(enum cfg_tok type);

/* Returns the keyword of a word, KW_NONE if it is none. */
enum cfg_kw cfg_keyword(const char *s, int len);

#endif /* SERVAL_CFG_LEXER_H */
