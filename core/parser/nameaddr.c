/*
 * nameaddr.c - display name and URI of an address header value.
 *
 * The value is classified by its first characters: '"' starts a quoted
 * display name, '<' a bracketed URI, and a run of token characters is either
 * the scheme of a bare addr-spec (when ':' follows it) or the first word of
 * an unquoted display name (then only tokens and LWS may follow until '<').
 */
#include "nameaddr.h"

#include <string.h>

#include "../errors.h"
#include "lex.h"

/* [p, end) starts with scheme ":" and has something after it */
static int has_scheme(const char *p, const char *end)
{
	if (p >= end || !ct_is(*p, CT_ALPHA))
		return 0;
	for (p++; p < end && ct_is(*p, CT_SCHEME); p++)
		;
	return p < end - 1 && *p == ':';
}

/* Bytes that end a bracketed URI: '>' and those it may not hold. */
static const unsigned char uri_stop[256] = {
    [0 ... 0x20] = 1, [0x7f] = 1, ['<'] = 1, ['>'] = 1,
};

/* "<" URI ">" at *pp; no LWS or control characters inside. */
static int parse_bracketed(char **pp, char *end, struct name_addr *na)
{
	char *p = *pp + 1, *q = p;

	while (q < end && !uri_stop[(unsigned char)*q])
		q++;
	if (q >= end || *q != '>' || !has_scheme(p, q))
		return SV_EBADMSG;
	na->uri.s = p;
	na->uri.len = (int)(q - p);
	na->bracketed = 1;
	*pp = q + 1;
	return SV_OK;
}

/* A bare addr-spec at *pp: up to LWS, ';' or ','. */
static int parse_addr_spec(char **pp, char *end, struct name_addr *na)
{
	char *p = *pp, *q;

	for (q = p; q < end && *q != ';' && *q != ','; q++) {
		unsigned char c = (unsigned char)*q;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' ||
		    c == '?')
			return SV_EBADMSG;
	}
	if (!has_scheme(p, q))
		return SV_EBADMSG;
	na->uri.s = p;
	na->uri.len = (int)(q - p);
	*pp = q;
	return SV_OK;
}

/* Unquoted display name: tokens separated by LWS, then '<'. */
static int parse_token_display(char **pp, char *end, struct name_addr *na)
{
	char *start = *pp, *q = *pp, *p;

	for (;;) {
		q = skip_class(q, end, CT_TOKEN);
		p = skip_lws(q, end);
		if (p < end && *p == '<') {
			na->display.s = start;
			na->display.len = (int)(q - start);
			*pp = p;
			return parse_bracketed(pp, end, na);
		}
		if (p == q || p >= end || !is_token_char(*p))
			return SV_EBADMSG;
		q = p;
	}
}

int parse_nameaddr(char **pp, char *end, struct name_addr *na,
                   int allow_addr_spec)
{
	char *p = skip_lws(*pp, end), *q;

	memset(na, 0, sizeof(*na));
	if (p >= end)
		return SV_EBADMSG;
	if (*p == '"') {
		q = scan_quoted(p, end);
		if (!q)
			return SV_EBADMSG;
		na->display.s = p;
		na->display.len = (int)(q - p);
		p = skip_lws(q, end);
		if (p >= end || *p != '<')
			return SV_EBADMSG;
	}
	if (*p == '<') {
		*pp = p;
		return parse_bracketed(pp, end, na);
	}
	q = skip_class(p, end, CT_TOKEN);
	if (q == p)
		return SV_EBADMSG;
	*pp = p;
	if (q < end && *q == ':')
		return allow_addr_spec ? parse_addr_spec(pp, end, na)
		                       : SV_EBADMSG;
	return parse_token_display(pp, end, na);
}
