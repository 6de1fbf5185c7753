/*
 * lex.h - the lexical building blocks of the SIP grammar (RFC 3261 §25).
 *
 * Every parser in core/parser/ walks a byte range [p, end) of the receive
 * buffer with a char pointer; nothing assumes NUL termination, and no helper
 * here reads at or past `end`.  Character classes come from one 256-entry
 * table (lex.c) so a class test is one load and one AND.
 *
 * Linear white space: inside a header body the only line breaks left are
 * folds (the header scanner cut the body before its own CRLF), so LWS is any
 * run of SP/HTAB and CRLF or LF followed by SP/HTAB.  skip_lws() consumes it.
 */
#ifndef SERVAL_CORE_PARSER_LEX_H
#define SERVAL_CORE_PARSER_LEX_H

#include <stdint.h>
#include <string.h>

#include "uri.h" /* enum host_type */

enum sip_ctype {
	CT_ALPHA = 1 << 0,
	CT_DIGIT = 1 << 1,
	CT_HEX = 1 << 2,     /* 0-9 a-f A-F */
	CT_TOKEN = 1 << 3,   /* token: alphanum - . ! % * _ + ` ' ~ */
	CT_WSP = 1 << 4,     /* SP, HTAB */
	CT_UNRES = 1 << 5,   /* unreserved: alphanum mark */
	CT_USER = 1 << 6,    /* user: unreserved / user-unreserved */
	CT_PASSWD = 1 << 7,  /* password: unreserved & = + $ , */
	CT_PARAM = 1 << 8,   /* paramchar: unreserved / param-unreserved */
	CT_HNV = 1 << 9,     /* hname/hvalue: unreserved / hnv-unreserved */
	CT_WORD = 1 << 10,   /* word (Call-ID) */
	CT_HOST = 1 << 11,   /* host name: alphanum - . _ */
	CT_SCHEME = 1 << 12, /* scheme after the first char: alnum + - . */
	CT_VALX = 1 << 13,   /* ':' '[' ']': extra characters of gen-value */
};

extern const unsigned short sip_ctype[256];

static inline int ct_is(char c, unsigned cls)
{
	return (sip_ctype[(unsigned char)c] & cls) != 0;
}

static inline int is_token_char(char c)
{
	return ct_is(c, CT_TOKEN);
}

static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Value 0-15 of a hex digit, or -1. */
static inline int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Skips LWS (SP/HTAB and folds) from p; returns the first other byte. */
static inline char *skip_lws(char *p, char *end)
{
	while (p < end) {
		if (is_wsp(*p)) {
			p++;
		} else if (*p == '\r' && end - p >= 3 && p[1] == '\n' &&
		           is_wsp(p[2])) {
			p += 3;
		} else if (*p == '\n' && end - p >= 2 && is_wsp(p[1])) {
			p += 2;
		} else {
			break;
		}
	}
	return p;
}

/* ASCII lower case (no locale). */
static inline int ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : (unsigned char)c;
}

/* Returns 1 when the n bytes at a and b are equal ignoring ASCII case. */
static inline int ascii_caseeq(const char *a, const char *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i]))
			return 0;
	return 1;
}

/*
 * Unaligned loads of 2, 4 and 8 bytes in host order (memcpy compiles to one
 * load), for comparing short names a word at a time.
 */
static inline uint16_t load_u16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t load_u32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t load_u64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Compares the len (>= 2) bytes at s with a known name, ignoring case,
 * without a byte loop.  lc is the name in lower case and mask has 0x20
 * where the name has a letter and 0 elsewhere, so (s | mask) == lc holds
 * exactly when every letter matches in either case and every other byte
 * matches as is.  Words overlap at the end instead of reading past len.
 */
static inline int name_caseeq(const char *s, const char *lc,
                              const char *mask, int len)
{
	int i;

	if (len >= 8) {
		for (i = 0; i + 8 < len; i += 8)
			if ((load_u64(s + i) | load_u64(mask + i)) !=
			    load_u64(lc + i))
				return 0;
		i = len - 8;
		return (load_u64(s + i) | load_u64(mask + i)) ==
		       load_u64(lc + i);
	}
	if (len >= 4) {
		i = len - 4;
		return (load_u32(s) | load_u32(mask)) == load_u32(lc) &&
		       (load_u32(s + i) | load_u32(mask + i)) ==
		           load_u32(lc + i);
	}
	i = len - 2;
	return (load_u16(s) | load_u16(mask)) == load_u16(lc) &&
	       (load_u16(s + i) | load_u16(mask + i)) == load_u16(lc + i);
}

/* Returns 1 when s equals the literal lit of length n ignoring case. */
static inline int str_ci_lit(const str *s, const char *lit, int n)
{
	return s->len == n && ascii_caseeq(s->s, lit, n);
}

/* One past the last byte of s; NULL for an absent (NULL) string. */
static inline char *str_end(const str *s)
{
	return s->s ? s->s + s->len : s->s;
}

/* Returns the end of the run of bytes of class cls starting at p. */
static inline char *skip_class(char *p, char *end, unsigned cls)
{
	while (p < end && ct_is(*p, cls))
		p++;
	return p;
}

/*
 * Returns the byte after the closing quote of the quoted-string that starts
 * at p (which must point at '"'), or NULL when it is unterminated or holds a
 * control character that is neither escaped (quoted-pair) nor folding LWS.
 */
char *scan_quoted(char *p, char *end);

/*
 * Parses 1*DIGIT in [p, end) (the whole range) into *val; leading zeros are
 * allowed.  Returns SV_OK, or SV_EINVAL when the range is empty, holds a
 * non-digit, or the value exceeds max.
 */
int parse_uint_range(const char *p, const char *end, unsigned long long max,
                     unsigned long long *val);

/*
 * Checks that [p, end) is a host as RFC 3261 writes it: a host name
 * (alphanum, '-', '.', '_' accepted), an IPv4 address, or an IPv6 reference
 * "[...]".  Returns the host kind (HOST_NAME, HOST_IPV4, HOST_IPV6) or
 * SV_EINVAL.
 */
int host_kind(const char *p, const char *end);

/*
 * Returns 1 when [p, end) is an IPv6 address (no brackets), else 0.  Also
 * accepts "x::" ":" IPv4 (three colons before an IPv4 tail), which the
 * grammar RFC 3261 took from RFC 2373 allowed (RFC 5118 §4.10).
 */
int is_ipv6_text(const char *p, const char *end);

/* Returns 1 when [p, end) is a dotted-quad IPv4 address, else 0. */
int is_ipv4_text(const char *p, const char *end);

#endif /* SERVAL_CORE_PARSER_LEX_H */
