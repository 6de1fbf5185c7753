/*
 * str.h - counted strings.
 *
 * Every piece of text serval handles is a view: a pointer and a length into
 * a buffer owned by somebody else (the receive buffer, a shm clone, a script
 * literal).  Nothing here allocates and nothing assumes NUL termination, so
 * a header value can be handed around without copying it.  The owner of the
 * underlying buffer is always the owner of the bytes; a str never frees.
 */
#ifndef SERVAL_CORE_STR_H
#define SERVAL_CORE_STR_H

#include <stddef.h>
#include <string.h>
#include <strings.h>

typedef struct str {
	char *s;  /* first byte, not necessarily NUL terminated */
	int len;  /* number of bytes */
} str;

/* A str initialiser for a string literal: str x = STR_LIT("INVITE"); */
#define STR_LIT(lit) { (char *)(lit), (int)sizeof(lit) - 1 }
/* The empty/absent string. */
#define STR_NULL { NULL, 0 }
/* printf("%.*s", STR_FMT(&x)) */
#define STR_FMT(p) ((p)->len), ((p)->s)

/* Returns 1 when both strings hold the same bytes, else 0. */
static inline int str_eq(const str *a, const str *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

/* Returns 1 when the strings are equal ignoring ASCII case, else 0. */
static inline int str_caseeq(const str *a, const str *b)
{
	return a->len == b->len &&
	       (a->len == 0 || strncasecmp(a->s, b->s, a->len) == 0);
}

/* Returns 1 when s equals the NUL terminated literal lit (exact case). */
static inline int str_eq_lit(const str *s, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)s->len == n && (n == 0 || memcmp(s->s, lit, n) == 0);
}

/* Returns 1 when s equals lit ignoring ASCII case. */
static inline int str_caseeq_lit(const str *s, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)s->len == n && (n == 0 || strncasecmp(s->s, lit, n) == 0);
}

/* Builds a view over a NUL terminated C string (no copy). */
static inline str str_from_cstr(const char *c)
{
	str r = { (char *)c, c ? (int)strlen(c) : 0 };
	return r;
}

/* Removes leading and trailing SP/HTAB/CR/LF in place (the view shrinks). */
static inline void str_trim(str *s)
{
	while (s->len > 0 && (s->s[0] == ' ' || s->s[0] == '\t' ||
	                      s->s[0] == '\r' || s->s[0] == '\n')) {
		s->s++;
		s->len--;
	}
	while (s->len > 0 && (s->s[s->len - 1] == ' ' || s->s[s->len - 1] == '\t' ||
	                      s->s[s->len - 1] == '\r' || s->s[s->len - 1] == '\n'))
		s->len--;
}

#endif /* SERVAL_CORE_STR_H */
