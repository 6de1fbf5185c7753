/*
 * uri_escape.c - %HH escapes: decoding into a buffer, and comparing two
 * escaped strings without decoding them first.
 *
 * RFC 3261 §19.1.4: characters other than the reserved ones are equivalent
 * to their escaped form, so "sip:%61lice@h" and "sip:alice@h" name the same
 * user, while "a%3Bb" (escaped ';') is not "a;b".  The comparison reads both
 * sides through uri_esc_next(), which decodes one character at a time.
 * Decoded NUL bytes are ordinary characters: nothing here uses C strings.
 */
#include <string.h>

#include "../errors.h"
#include "lex.h"
#include "uri.h"
#include "uri_priv.h"

int uri_unescape(const str *in, char *out, int size)
{
	const char *p = in->s, *end = p ? p + in->len : p;
	int n = 0, hi, lo;

	while (p < end) {
		if (n >= size)
			return SV_ETOOBIG;
		if (*p == '%') {
			if (end - p < 3 || (hi = hex_val(p[1])) < 0 ||
			    (lo = hex_val(p[2])) < 0)
				return SV_EBADURI;
			out[n++] = (char)(hi << 4 | lo);
			p += 3;
		} else {
			out[n++] = *p++;
		}
	}
	return n;
}

int uri_esc_next(const char **p, const char *end, int *escaped)
{
	const char *s = *p;
	int hi, lo;

	if (s >= end)
		return -1;
	if (*s == '%' && end - s >= 3 && (hi = hex_val(s[1])) >= 0 &&
	    (lo = hex_val(s[2])) >= 0) {
		*p = s + 3;
		*escaped = 1;
		return hi << 4 | lo;
	}
	*p = s + 1;
	*escaped = 0;
	return (unsigned char)*s;
}

static int is_reserved(int c)
{
	return c > 0 && c < 128 && strchr(";/?:@&=+$,", c) != NULL;
}

static int fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int uri_esc_eq(const str *a, const str *b, int icase)
{
	const char *pa = a->s, *ea = pa ? pa + a->len : pa;
	const char *pb = b->s, *eb = pb ? pb + b->len : pb;
	int ca, cb, xa, xb;

	for (;;) {
		ca = uri_esc_next(&pa, ea, &xa);
		cb = uri_esc_next(&pb, eb, &xb);
		if (ca < 0 || cb < 0)
			return ca == cb;
		if (icase) {
			ca = fold(ca);
			cb = fold(cb);
		}
		if (ca != cb || (xa != xb && is_reserved(ca)))
			return 0;
	}
}

int uri_user_eq(const str *a, const str *b)
{
	return uri_esc_eq(a, b, 0);
}
