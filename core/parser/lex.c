/*
 * lex.c - the character class table and the small scanners of lex.h.
 *
 * The table is written with GNU range designators so each line reads as the
 * ABNF rule it encodes; every byte appears once (no overriding designators).
 * Bytes not listed (controls, DEL, 8-bit) belong to no class.
 */
#include "lex.h"

#include <stddef.h>

#include "../errors.h"

/* unreserved characters are allowed in user, password, param and header */
#define U     (CT_UNRES | CT_USER | CT_PASSWD | CT_PARAM | CT_HNV)
#define ALNUM (CT_TOKEN | U | CT_WORD | CT_HOST | CT_SCHEME)

const unsigned short sip_ctype[256] = {
    ['0' ... '9'] = CT_DIGIT | CT_HEX | ALNUM,
    ['a' ... 'f'] = CT_ALPHA | CT_HEX | ALNUM,
    ['A' ... 'F'] = CT_ALPHA | CT_HEX | ALNUM,
    ['g' ... 'z'] = CT_ALPHA | ALNUM,
    ['G' ... 'Z'] = CT_ALPHA | ALNUM,
    /* mark = - _ . ! ~ * ' ( ) */
    ['-'] = CT_TOKEN | U | CT_WORD | CT_HOST | CT_SCHEME,
    ['.'] = CT_TOKEN | U | CT_WORD | CT_HOST | CT_SCHEME,
    ['_'] = CT_TOKEN | U | CT_WORD | CT_HOST,
    ['!'] = CT_TOKEN | U | CT_WORD,
    ['~'] = CT_TOKEN | U | CT_WORD,
    ['*'] = CT_TOKEN | U | CT_WORD,
    ['\''] = CT_TOKEN | U | CT_WORD,
    ['('] = U | CT_WORD,
    [')'] = U | CT_WORD,
    /* token only */
    ['%'] = CT_TOKEN | CT_WORD,
    ['`'] = CT_TOKEN | CT_WORD,
    ['+'] = CT_TOKEN | CT_USER | CT_PASSWD | CT_PARAM | CT_HNV | CT_WORD |
            CT_SCHEME,
    /* user-unreserved, password, param-unreserved, hnv-unreserved */
    ['&'] = CT_USER | CT_PASSWD | CT_PARAM,
    ['='] = CT_USER | CT_PASSWD,
    ['$'] = CT_USER | CT_PASSWD | CT_PARAM | CT_HNV,
    [','] = CT_USER | CT_PASSWD,
    [';'] = CT_USER,
    ['?'] = CT_USER | CT_HNV | CT_WORD,
    ['/'] = CT_USER | CT_PARAM | CT_HNV | CT_WORD,
    ['['] = CT_PARAM | CT_HNV | CT_WORD | CT_VALX,
    [']'] = CT_PARAM | CT_HNV | CT_WORD | CT_VALX,
    [':'] = CT_PARAM | CT_HNV | CT_WORD | CT_VALX,
    /* the rest of word */
    ['<'] = CT_WORD,
    ['>'] = CT_WORD,
    ['\\'] = CT_WORD,
    ['"'] = CT_WORD,
    ['{'] = CT_WORD,
    ['}'] = CT_WORD,
    [' '] = CT_WSP,
    ['\t'] = CT_WSP,
};

char *scan_quoted(char *p, char *end)
{
	char *q;

	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"')
			return p + 1;
		if (c == '\\') {
			if (p + 1 >= end || p[1] == '\r' || p[1] == '\n')
				return NULL;
			p++;
		} else if (c == '\r' || c == '\n') {
			q = skip_lws(p, end);
			if (q == p)
				return NULL;
			p = q - 1;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return NULL;
		}
	}
	return NULL;
}

int parse_uint_range(const char *p, const char *end, unsigned long long max,
                     unsigned long long *val)
{
	unsigned long long v = 0;
	unsigned d;

	if (p >= end)
		return SV_EINVAL;
	if (end - p <= 19) {
		/* 19 digits cannot overflow: compare with max once, at the end */
		for (; p < end; p++) {
			d = (unsigned)(unsigned char)*p - '0';
			if (d > 9)
				return SV_EINVAL;
			v = v * 10 + d;
		}
		if (v > max)
			return SV_EINVAL;
		*val = v;
		return SV_OK;
	}
	for (; p < end; p++) {
		if (!is_digit(*p))
			return SV_EINVAL;
		d = (unsigned)(*p - '0');
		if (v > max / 10 || (v == max / 10 && d > max % 10))
			return SV_EINVAL;
		v = v * 10 + d;
	}
	*val = v;
	return SV_OK;
}

/* One dotted-quad part at *pp: 1-3 digits, at most 255. */
static int ipv4_part(const char **pp, const char *end)
{
	const char *p = *pp;
	unsigned v, d;
	int n;

	for (v = 0, n = 0; p < end && n < 4; p++, n++) {
		d = (unsigned)(unsigned char)*p - '0';
		if (d > 9)
			break;
		v = v * 10 + d;
	}
	*pp = p;
	return n > 0 && n <= 3 && v <= 255;
}

int is_ipv4_text(const char *p, const char *end)
{
	int part;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (p >= end || *p != '.')
				return 0;
			p++;
		}
		if (!ipv4_part(&p, end))
			return 0;
	}
	return p == end;
}

/* One group of 1-4 hex digits at p; returns its end, or NULL. */
static const char *ipv6_group(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && hex_val(*q) >= 0 && q - p < 5)
		q++;
	if (q == p || q - p > 4)
		return NULL;
	return q;
}

int is_ipv6_text(const char *p, const char *end)
{
	int groups = 0, dcolon = 0;
	const char *q;

	while (p < end) {
		if (*p == ':') {
			if (p + 1 < end && p[1] == ':') {
				if (dcolon)
					return 0;
				dcolon = 1;
				p += 2;
				if (p < end && *p == ':') {
					/* "::" ":" IPv4, allowed by the old
					 * RFC 2373 grammar; RFC 5118 §4.10 asks
					 * to accept it */
					if (!is_ipv4_text(p + 1, end))
						return 0;
					groups += 2;
					break;
				}
				continue;
			}
			if (groups == 0 || ++p == end || *p == ':')
				return 0;
			continue;
		}
		q = ipv6_group(p, end);
		if (q && q < end && *q == '.')
			q = NULL;
		if (!q) {
			/* an IPv4 tail takes the place of two groups */
			if (!is_ipv4_text(p, end))
				return 0;
			groups += 2;
			break;
		}
		groups++;
		p = q;
		if (p < end && *p != ':')
			return 0;
	}
	return dcolon ? groups <= 7 : groups == 8;
}

/* Host names: labels of alphanum '-' '_', the last starting with a letter. */
static int is_hostname(const char *p, const char *end)
{
	const char *label = p;
	const char *s;

	if (p >= end)
		return 0;
	if (end[-1] == '.')
		end--; /* a fully qualified name may end with a dot */
	for (s = p; s < end; s++) {
		if (!ct_is(*s, CT_HOST))
			return 0;
		if (*s == '.') {
			if (s == label)
				return 0;
			label = s + 1;
		}
	}
	return label < end && !is_digit(*label);
}

int host_kind(const char *p, const char *end)
{
	if (p < end && *p == '[') {
		if (end - p < 3 || end[-1] != ']' ||
		    !is_ipv6_text(p + 1, end - 1))
			return SV_EINVAL;
		return HOST_IPV6;
	}
	if (is_ipv4_text(p, end))
		return HOST_IPV4;
	if (is_hostname(p, end))
		return HOST_NAME;
	return SV_EINVAL;
}
