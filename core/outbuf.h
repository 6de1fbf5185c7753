/*
 * outbuf.h - printing a message piece by piece into a bounded buffer.
 *
 * Every builder that assembles text (replies, tm's CANCEL and ACK, the
 * t_write lines) appends with outbuf_put() and friends without checking
 * each call: a write that does not fit sets `full`, later writes are
 * dropped, and outbuf_result() gives the length or SV_ETOOBIG at the end.
 * No NUL is written.
 */
#ifndef SERVAL_CORE_OUTBUF_H
#define SERVAL_CORE_OUTBUF_H

#include <string.h>

#include "errors.h"
#include "str.h"

struct outbuf {
	char *p;  /* the buffer (caller's) */
	int n;    /* bytes written */
	int size; /* its size */
	int full; /* a write did not fit */
};

#define OUTBUF_INIT(buf, sz)                                                   \
	{                                                                      \
		(buf), 0, (sz), 0                                              \
	}

/* Appends len bytes of s (nothing once full). */
static inline void outbuf_put(struct outbuf *o, const char *s, int len)
{
	if (o->full || len < 0 || len > o->size - o->n) {
		o->full = 1;
		return;
	}
	if (len)
		memcpy(o->p + o->n, s, (size_t)len);
	o->n += len;
}

/* Appends the bytes [s, e). */
static inline void outbuf_range(struct outbuf *o, const char *s, const char *e)
{
	outbuf_put(o, s, (int)(e - s));
}

static inline void outbuf_str(struct outbuf *o, const str *s)
{
	outbuf_put(o, s->s, s->len);
}

/* Appends a NUL-terminated string. */
static inline void outbuf_cstr(struct outbuf *o, const char *s)
{
	outbuf_put(o, s, (int)strlen(s));
}

/* Appends a string literal. */
#define outbuf_lit(o, lit) outbuf_put((o), (lit), (int)sizeof(lit) - 1)

/* The length written, or SV_ETOOBIG when something did not fit. */
static inline int outbuf_result(const struct outbuf *o)
{
	return o->full ? SV_ETOOBIG : o->n;
}

#endif /* SERVAL_CORE_OUTBUF_H */
