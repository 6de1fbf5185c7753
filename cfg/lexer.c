/*
 * lexer.c - tokens of the OpenSER 1.x routing script.
 *
 * Hand-written, one pass over an in-memory buffer.  Notes on the choices:
 *
 * - Positions are counted in bytes from the line start (tab = 1 column),
 *   1-based; a token's position is its first character, a string's its
 *   opening quote.
 * - Strings may not span lines (except through a \<newline> continuation)
 *   so that a missing quote is reported on its own line rather than at the
 *   next quote somewhere below.  Unknown escapes keep their backslash
 *   ("\+" stays "\+", "\1" stays "\1") as OpenSER did, so regexes and
 *   substitutions need no double escaping.
 * - Keywords are case sensitive like OpenSER's (lower case), except the
 *   value words udp, tcp, tls, sctp, inet, inet6, null which OpenSER also
 *   took in upper case.
 * - An IPv6 literal is recognised when a run of hex digits, ':' and '.'
 *   holds at least two ':' and inet_pton() accepts it; "case 1:" or
 *   "udp:1.2.3.4:5060" therefore stay separate tokens.
 * - OpenSER read a leading-zero number as octal ("010" is 8); so does this.
 */
#include "lexer.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/pv.h"

static const struct {
	const char *name;
	enum cfg_kw kw;
} keywords[] = {
    {"if", KW_IF},
    {"else", KW_ELSE},
    {"switch", KW_SWITCH},
    {"case", KW_CASE},
    {"default", KW_DEFAULT},
    {"break", KW_BREAK},
    {"esac", KW_BREAK},
    {"while", KW_WHILE},
    {"route", KW_ROUTE},
    {"failure_route", KW_FAILURE_ROUTE},
    {"onreply_route", KW_ONREPLY_ROUTE},
    {"branch_route", KW_BRANCH_ROUTE},
    {"error_route", KW_ERROR_ROUTE},
    {"loadmodule", KW_LOADMODULE},
    {"modparam", KW_MODPARAM},
    {"include_file", KW_INCLUDE_FILE},
    {"import_file", KW_IMPORT_FILE},
    {"return", KW_RETURN},
    {"exit", KW_EXIT},
    {"drop", KW_DROP},
    {"method", KW_METHOD},
    {"uri", KW_URI},
    {"status", KW_STATUS},
    {"from_uri", KW_FROM_URI},
    {"to_uri", KW_TO_URI},
    {"src_ip", KW_SRC_IP},
    {"src_port", KW_SRC_PORT},
    {"dst_ip", KW_DST_IP},
    {"dst_port", KW_DST_PORT},
    {"proto", KW_PROTO},
    {"af", KW_AF},
    {"myself", KW_MYSELF},
    {"max_len", KW_MAX_LEN},
    {"null", KW_NULL},
    {"NULL", KW_NULL},
    {"yes", KW_YES},
    {"true", KW_YES},
    {"on", KW_YES},
    {"enable", KW_YES},
    {"no", KW_NO},
    {"false", KW_NO},
    {"off", KW_NO},
    {"disable", KW_NO},
    {"udp", KW_UDP},
    {"UDP", KW_UDP},
    {"tcp", KW_TCP},
    {"TCP", KW_TCP},
    {"tls", KW_TLS},
    {"TLS", KW_TLS},
    {"sctp", KW_SCTP},
    {"SCTP", KW_SCTP},
    {"inet", KW_INET},
    {"INET", KW_INET},
    {"inet6", KW_INET6},
    {"INET6", KW_INET6},
};

enum cfg_kw cfg_keyword(const char *s, int len)
{
	unsigned i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if ((int)strlen(keywords[i].name) == len &&
		    memcmp(keywords[i].name, s, len) == 0)
			return keywords[i].kw;
	return KW_NONE;
}

int cfg_lexer_init(struct cfg_lexer *lx, const char *file, const char *buf,
                   size_t len, struct cfg_arena *arena)
{
	memset(lx, 0, sizeof(*lx));
	lx->file = cfg_strndup(arena, file, strlen(file));
	if (!lx->file)
		return SV_ENOMEM;
	lx->buf = lx->p = lx->line_start = buf;
	lx->end = buf + len;
	lx->line = 1;
	lx->prev = TK_EOF;
	lx->arena = arena;
	return SV_OK;
}

static void pos_here(const struct cfg_lexer *lx, const char *at,
                     struct cfg_pos *pos)
{
	pos->file = lx->file;
	pos->line = lx->line;
	pos->col = (int)(at - lx->line_start) + 1;
}

static void newline(struct cfg_lexer *lx, const char *after)
{
	lx->line++;
	lx->line_start = after;
}

/* Skips a nestable block comment starting at lx->p ("/ *"). */
static int skip_block_comment(struct cfg_lexer *lx)
{
	struct cfg_pos open;
	int depth = 0;

	pos_here(lx, lx->p, &open);
	while (lx->p < lx->end) {
		if (lx->p + 1 < lx->end && lx->p[0] == '/' && lx->p[1] == '*') {
			depth++;
			lx->p += 2;
		} else if (lx->p + 1 < lx->end && lx->p[0] == '*' &&
		           lx->p[1] == '/') {
			lx->p += 2;
			if (--depth == 0)
				return SV_OK;
		} else {
			if (*lx->p == '\n')
				newline(lx, lx->p + 1);
			lx->p++;
		}
	}
	return cfg_error(&open, "unterminated comment: '/*' is never closed "
	                        "by '*/'");
}

/* Skips blanks, newlines, comments and \<newline>. */
static int skip_space(struct cfg_lexer *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == '\n') {
			lx->p++;
			newline(lx, lx->p);
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		           c == '\v') {
			lx->p++;
		} else if (c == '\\' && lx->p + 1 < lx->end &&
		           lx->p[1] == '\n') {
			lx->p += 2;
			newline(lx, lx->p);
		} else if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
			if (skip_block_comment(lx) != SV_OK)
				return SV_EINVAL;
		} else {
			break;
		}
	}
	return SV_OK;
}

static int set_text(struct cfg_lexer *lx, struct cfg_token *t, const char *s,
                    int len)
{
	t->text = cfg_strndup(lx->arena, s, len);
	if (!t->text)
		return SV_ENOMEM;
	t->text_len = len;
	return SV_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes one escape at s (s[0] == '\\'); writes the byte(s) to *out and
 * returns how many source bytes were used.
 */
static int decode_escape(const char *s, const char *end, char **out)
{
	int n, v;

	switch (s[1]) {
	case 'n':
		*(*out)++ = '\n';
		return 2;
	case 'r':
		*(*out)++ = '\r';
		return 2;
	case 't':
		*(*out)++ = '\t';
		return 2;
	case 'a':
		*(*out)++ = '\a';
		return 2;
	case '\\':
		*(*out)++ = '\\';
		return 2;
	case '"':
		*(*out)++ = '"';
		return 2;
	case 'x':
		if (s + 2 < end && hexval(s[2]) >= 0) {
			v = hexval(s[2]);
			n = 3;
			if (s + 3 < end && hexval(s[3]) >= 0)
				v = v * 16 + hexval(s[n++]);
			*(*out)++ = (char)v;
			return n;
		}
		break;
	default:
		if (s + 2 < end && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' &&
		    s[2] <= '7') {
			v = (s[1] - '0') * 8 + (s[2] - '0');
			n = 3;
			if (s + 3 < end && s[3] >= '0' && s[3] <= '7')
				v = v * 8 + (s[n++] - '0');
			*(*out)++ = (char)v;
			return n;
		}
		break;
	}
	*(*out)++ = '\\';
	return 1;
}

/* Where the string whose text starts at s ends (its quote, or not). */
static const char *string_end(const char *s, const char *end, char quote)
{
	while (s < end && *s != quote && *s != '\n') {
		if (quote == '"' && *s == '\\' && s + 1 < end)
			s += 2; /* an escape, including \<newline> */
		else
			s++;
	}
	return s;
}

static int lex_string(struct cfg_lexer *lx, struct cfg_token *t)
{
	char quote = *lx->p;
	const char *s = lx->p + 1, *e = string_end(s, lx->end, quote);
	char *buf, *o;

	if (e >= lx->end || *e != quote)
		return cfg_error(&t->pos,
		                 "unterminated string: missing closing %c on "
		                 "this line",
		                 quote);
	/* decoded text is never longer than the raw text */
	buf = cfg_alloc(lx->arena, (size_t)(e - s) + 1);
	if (!buf)
		return SV_ENOMEM;
	for (o = buf; s < e;) {
		if (quote == '"' && *s == '\\' && s[1] == '\n') {
			s += 2;
			newline(lx, s);
		} else if (quote == '"' && *s == '\\') {
			s += decode_escape(s, e, &o);
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	t->type = TK_STRING;
	t->text = buf;
	t->text_len = (int)(o - buf);
	lx->p = e + 1;
	return SV_OK;
}

static int is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int lex_word(struct cfg_lexer *lx, struct cfg_token *t)
{
	const char *s = lx->p;
	int len;

	while (lx->p < lx->end && is_word_char(*lx->p))
		lx->p++;
	len = (int)(lx->p - s);
	if (len == 3 && memcmp(s, "msg", 3) == 0 && lx->end - lx->p >= 4 &&
	    memcmp(lx->p, ":len", 4) == 0 &&
	    (lx->p + 4 == lx->end || !is_word_char(lx->p[4]))) {
		lx->p += 4;
		t->type = TK_MSGLEN;
		return set_text(lx, t, s, 7);
	}
	if ((len == 3 && memcmp(s, "and", 3) == 0)) {
		t->type = TK_AND;
	} else if (len == 2 && memcmp(s, "or", 2) == 0) {
		t->type = TK_OR;
	} else if (len == 3 && memcmp(s, "not", 3) == 0) {
		t->type = TK_NOT;
	} else {
		t->type = TK_WORD;
		t->kw = cfg_keyword(s, len);
	}
	return set_text(lx, t, s, len);
}

/* Length of an IPv6 literal at lx->p, 0 if there is none. */
static int ipv6_len(const struct cfg_lexer *lx)
{
	const char *s = lx->p;
	char buf[64];
	unsigned char addr[16];
	int n = 0, colons = 0;

	while (s + n < lx->end &&
	       (hexval(s[n]) >= 0 || s[n] == ':' || s[n] == '.')) {
		colons += s[n] == ':';
		n++;
	}
	/* "::1." is not an address followed by a dot: trim trailing dots */
	while (n > 0 && s[n - 1] == '.')
		n--;
	if (colons < 2 || n >= (int)sizeof(buf))
		return 0;
	if (s + n < lx->end && is_word_char(s[n]))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(AF_INET6, buf, addr) == 1 ? n : 0;
}

/* Length of a dotted quad at lx->p, 0 if none; -1 if a part is > 255. */
static int ipv4_len(const struct cfg_lexer *lx)
{
	const char *s = lx->p;
	int n = 0, part, digits, bad = 0;

	for (part = 0; part < 4; part++) {
		long v = 0;

		if (part > 0) {
			if (s + n >= lx->end || s[n] != '.')
				return 0;
			n++;
		}
		for (digits = 0;
		     s + n < lx->end && isdigit((unsigned char)s[n]);
		     digits++, n++)
			if (digits < 4) /* more is refused below; no overflow */
				v = v * 10 + (s[n] - '0');
		if (digits == 0 || digits > 3)
			return 0;
		bad |= v > 255;
	}
	if (s + n < lx->end && (is_word_char(s[n]) || s[n] == '.'))
		return 0;
	return bad ? -1 : n;
}

static int lex_number(struct cfg_lexer *lx, struct cfg_token *t)
{
	const char *s = lx->p, *d;
	char buf[40];
	char *end;
	int base = 10, len;

	d = (*s == '-') ? s + 1 : s;
	if (d[0] == '0' && d + 1 < lx->end && (d[1] == 'x' || d[1] == 'X')) {
		base = 16;
		lx->p = d + 2;
		while (lx->p < lx->end && hexval(*lx->p) >= 0)
			lx->p++;
		if (lx->p == d + 2)
			return cfg_error(&t->pos, "invalid hexadecimal number");
	} else {
		lx->p = d;
		while (lx->p < lx->end && isdigit((unsigned char)*lx->p))
			lx->p++;
		if (d[0] == '0' && lx->p - d > 1)
			base = 8;
	}
	len = (int)(lx->p - s);
	if (len >= (int)sizeof(buf))
		return cfg_error(&t->pos, "number '%.*s' is too long", len, s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	t->num = strtol(buf, &end, base);
	if (*end)
		return cfg_error(&t->pos, "invalid octal number '%s'", buf);
	if (errno == ERANGE)
		return cfg_error(&t->pos, "number '%s' is out of range", buf);
	t->type = TK_NUMBER;
	return set_text(lx, t, s, len);
}

static int lex_pv(struct cfg_lexer *lx, struct cfg_token *t)
{
	int n = pv_scan(lx->p, (int)(lx->end - lx->p));

	if (n == 0)
		return cfg_error(&t->pos,
		                 "'$' must start a pseudo-variable "
		                 "name ($ru, $var(x), $avp(s:name) ...)");
	if (n < 0)
		return cfg_error(&t->pos, "unterminated pseudo-variable: "
		                          "missing ')' on this line");
	t->type = TK_PV;
	if (set_text(lx, t, lx->p, n) != SV_OK)
		return SV_ENOMEM;
	lx->p += n;
	return SV_OK;
}

static const struct {
	const char *op;
	enum cfg_tok type;
} operators[] = {
    /* longest first where one is a prefix of another */
    {"==", TK_EQ},    {"=~", TK_MATCH},  {"!=", TK_NE},      {"!~", TK_NOMATCH},
    {"<=", TK_LE},    {"<<", TK_LSHIFT}, {">=", TK_GE},      {">>", TK_RSHIFT},
    {"&&", TK_AND},   {"||", TK_OR},     {":=", TK_COLONEQ}, {"=", TK_ASSIGN},
    {"!", TK_NOT},    {"<", TK_LT},      {">", TK_GT},       {"&", TK_BAND},
    {"|", TK_BOR},    {":", TK_COLON},   {"+", TK_PLUS},     {"-", TK_MINUS},
    {"*", TK_STAR},   {"/", TK_SLASH},   {"%", TK_PERCENT},  {"^", TK_BXOR},
    {"~", TK_BNOT},   {"(", TK_LPAREN},  {")", TK_RPAREN},   {"{", TK_LBRACE},
    {"}", TK_RBRACE}, {"[", TK_LBRACK},  {"]", TK_RBRACK},   {";", TK_SEMI},
    {",", TK_COMMA},  {".", TK_DOT},
};

static int lex_operator(struct cfg_lexer *lx, struct cfg_token *t)
{
	unsigned i;
	size_t n;

	for (i = 0; i < sizeof(operators) / sizeof(operators[0]); i++) {
		n = strlen(operators[i].op);
		if ((size_t)(lx->end - lx->p) >= n &&
		    memcmp(lx->p, operators[i].op, n) == 0) {
			t->type = operators[i].type;
			lx->p += n;
			return SV_OK;
		}
	}
	if (isprint((unsigned char)*lx->p))
		return cfg_error(&t->pos, "unexpected character '%c'", *lx->p);
	return cfg_error(&t->pos, "unexpected byte 0x%02x",
	                 (unsigned char)*lx->p);
}

/* Does the previous token end a value (so '-' is a binary minus)? */
static int prev_ends_value(enum cfg_tok prev, enum cfg_kw kw)
{
	switch (prev) {
	case TK_WORD:
		return kw != KW_CASE && kw != KW_RETURN;
	case TK_NUMBER:
	case TK_STRING:
	case TK_PV:
	case TK_IPV4:
	case TK_IPV6:
	case TK_RPAREN:
	case TK_RBRACK:
	case TK_MSGLEN:
		return 1;
	default:
		return 0;
	}
}

static int lex_address(struct cfg_lexer *lx, struct cfg_token *t, int *done)
{
	int n;

	*done = 1;
	n = ipv6_len(lx);
	if (n > 0) {
		t->type = TK_IPV6;
		goto found;
	}
	if (!isdigit((unsigned char)*lx->p)) {
		*done = 0;
		return SV_OK;
	}
	n = ipv4_len(lx);
	if (n < 0)
		return cfg_error(&t->pos, "invalid IPv4 address (a part is "
		                          "greater than 255)");
	if (n == 0) {
		*done = 0;
		return SV_OK;
	}
	t->type = TK_IPV4;
found:
	if (set_text(lx, t, lx->p, n) != SV_OK)
		return SV_ENOMEM;
	lx->p += n;
	return SV_OK;
}

static int lex_one(struct cfg_lexer *lx, struct cfg_token *t)
{
	char c = *lx->p;
	int done, rc;

	if (c == '"' || c == '\'')
		return lex_string(lx, t);
	if (c == '$')
		return lex_pv(lx, t);
	if (isxdigit((unsigned char)c) || c == ':') {
		rc = lex_address(lx, t, &done);
		if (rc != SV_OK || done)
			return rc;
	}
	if (isdigit((unsigned char)c))
		return lex_number(lx, t);
	if (c == '-' && lx->p + 1 < lx->end &&
	    isdigit((unsigned char)lx->p[1]) &&
	    !prev_ends_value(lx->prev, lx->prev_kw))
		return lex_number(lx, t);
	if (isalpha((unsigned char)c) || c == '_')
		return lex_word(lx, t);
	return lex_operator(lx, t);
}

int cfg_lex(struct cfg_lexer *lx, struct cfg_token *t)
{
	const char *start;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = skip_space(lx);
	if (rc != SV_OK)
		return rc;
	pos_here(lx, lx->p, &t->pos);
	start = lx->p;
	t->raw = start;
	if (lx->p >= lx->end) {
		t->type = TK_EOF;
		t->line_end = t->pos.line;
		return SV_OK;
	}
	rc = lex_one(lx, t);
	if (rc != SV_OK)
		return rc;
	t->raw_len = (int)(lx->p - start);
	t->line_end = lx->line;
	lx->prev = t->type;
	lx->prev_kw = t->kw;
	return SV_OK;
}

static const char *const tok_names[TK_COUNT] = {
    [TK_EOF] = "end of file",
    [TK_WORD] = "a name",
    [TK_NUMBER] = "a number",
    [TK_STRING] = "a string",
    [TK_PV] = "a pseudo-variable",
    [TK_IPV4] = "an IPv4 address",
    [TK_IPV6] = "an IPv6 address",
    [TK_LPAREN] = "'('",
    [TK_RPAREN] = "')'",
    [TK_LBRACE] = "'{'",
    [TK_RBRACE] = "'}'",
    [TK_LBRACK] = "'['",
    [TK_RBRACK] = "']'",
    [TK_SEMI] = "';'",
    [TK_COMMA] = "','",
    [TK_COLON] = "':'",
    [TK_DOT] = "'.'",
    [TK_SLASH] = "'/'",
    [TK_ASSIGN] = "'='",
    [TK_COLONEQ] = "':='",
    [TK_EQ] = "'=='",
    [TK_NE] = "'!='",
    [TK_LT] = "'<'",
    [TK_GT] = "'>'",
    [TK_LE] = "'<='",
    [TK_GE] = "'>='",
    [TK_MATCH] = "'=~'",
    [TK_NOMATCH] = "'!~'",
    [TK_AND] = "'&&'",
    [TK_OR] = "'||'",
    [TK_NOT] = "'!'",
    [TK_PLUS] = "'+'",
    [TK_MINUS] = "'-'",
    [TK_STAR] = "'*'",
    [TK_PERCENT] = "'%'",
    [TK_BAND] = "'&'",
    [TK_BOR] = "'|'",
    [TK_BXOR] = "'^'",
    [TK_BNOT] = "'~'",
    [TK_LSHIFT] = "'<<'",
    [TK_RSHIFT] = "'>>'",
    [TK_MSGLEN] = "'msg:len'",
};

const char *cfg_tok_name(enum cfg_tok type)
{
	if (type < 0 || type >= TK_COUNT || !tok_names[type])
		return "a token";
	return tok_names[type];
}

const char *cfg_tok_describe(const struct cfg_token *t, char *buf, int size)
{
	switch (t->type) {
	case TK_WORD:
	case TK_IPV4:
	case TK_IPV6:
	case TK_PV:
		snprintf(buf, size, "'%s'", t->text);
		break;
	case TK_NUMBER:
		snprintf(buf, size, "number %.*s", t->raw_len, t->raw);
		break;
	case TK_STRING:
		snprintf(buf, size, "string \"%.40s\"%s", t->text,
		         t->text_len > 40 ? "..." : "");
		break;
	case TK_AND:
	case TK_OR:
	case TK_NOT:
		snprintf(buf, size, "'%.*s'", t->raw_len, t->raw);
		break;
	default:
		snprintf(buf, size, "%s", cfg_tok_name(t->type));
		break;
	}
	return buf;
}
