/*
 * fmt.h - printing numbers and strings into a buffer, without printf.
 *
 * The per-message paths (replies, Via parameters, to-tags) print a few
 * numbers and copy a few strings; snprintf() costs several hundred
 * instructions a call for that (format parsing, FILE emulation), these
 * helpers a few per byte.  They write no NUL and check no bounds: the
 * caller makes sure the room is there (FMT_UINT_MAX bytes for a number).
 */
#ifndef SERVAL_CORE_FMT_H
#define SERVAL_CORE_FMT_H

#include <string.h>

#include "str.h"

#define FMT_UINT_MAX 10 /* digits of the largest unsigned int */

/* Writes v in decimal at out; returns the number of digits written. */
static inline int fmt_uint(char *out, unsigned v)
{
	char tmp[FMT_UINT_MAX];
	int n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* Copies len bytes of s to p; returns the byte after them. */
static inline char *fmt_mem(char *p, const char *s, int len)
{
	memcpy(p, s, (size_t)len);
	return p + len;
}

/* Copies the string literal lit to p; returns the byte after it. */
#define fmt_lit(p, lit) fmt_mem((p), (lit), (int)sizeof(lit) - 1)

/* Copies *s to p; returns the byte after it. */
static inline char *fmt_str(char *p, const str *s)
{
	return fmt_mem(p, s->s, s->len);
}

#endif /* SERVAL_CORE_FMT_H */
