/*
 * uri_priv.h - helpers shared by the files that implement uri.h; not for
 * use outside core/parser/uri*.c.
 */
#ifndef SERVAL_CORE_PARSER_URI_PRIV_H
#define SERVAL_CORE_PARSER_URI_PRIV_H

#include "uri.h"

/*
 * Returns 1 when every byte of [p, end) is of class cls (lex.h) or part of a
 * valid %HH escape, else 0.  An empty range is valid.
 */
int uri_chars_ok(const char *p, const char *end, unsigned cls);

/*
 * Validates u->params (";"-separated pname[=pvalue], names non-empty,
 * values non-empty when '=' is present) and fills the well-known parameter
 * views of u.  Returns SV_OK or SV_EBADURI.
 */
int uri_parse_params(struct sip_uri *u);

/*
 * Validates u->headers: hname "=" hvalue pairs separated by '&', hname
 * non-empty.  Returns SV_OK or SV_EBADURI.
 */
int uri_check_headers(const struct sip_uri *u);

/*
 * Reads the next character of [*p, end) with %HH escapes decoded: returns
 * the byte value (0-255) and sets *escaped when it came from an escape;
 * returns -1 at the end.  A malformed escape is read as a literal '%'.
 */
int uri_esc_next(const char **p, const char *end, int *escaped);

/*
 * Compares two escaped strings byte by byte after decoding, ignoring ASCII
 * case when icase is set.  An escaped reserved character differs from the
 * literal one.  Returns 1 when equal, else 0.
 */
int uri_esc_eq(const str *a, const str *b, int icase);

#endif /* SERVAL_CORE_PARSER_URI_PRIV_H */
