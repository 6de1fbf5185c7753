/*
 * re_ops.c - textops' regular-expression functions over the whole message:
 * search(), search_append(), replace(), replace_all().
 *
 * The expression runs over the received buffer (first line, headers and
 * body), not over the message as edited so far: edits made by earlier
 * functions are not seen, as in OpenSER.  Expressions are POSIX extended,
 * case-insensitive, with REG_NEWLINE ('.' does not match a line end, '^'
 * and '$' match at every line), compiled once at fixup (textops.c).
 *
 * The buffer is not NUL terminated, so regexec() runs with REG_STARTEND
 * over [0, msg->len): no copy, and a NUL byte inside a message is an
 * ordinary character instead of an early end.  Matching from an offset
 * keeps the bytes before it as context, so '^' still means "after a line
 * end" there.
 *
 * Changes are message edits (core/lump.h), applied when the message is
 * printed.
 */
#include "textops.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/parser/msg.h"

#include <regex.h>

#ifndef REG_STARTEND
#error "textops needs regexec() with REG_STARTEND (glibc, the BSDs)"
#endif

/*
 * Finds the first match of re in msg at or after offset from.  Returns 1
 * and sets *m (offsets into msg->buf), or 0 when there is none.
 */
static int find(const struct sip_msg *msg, const regex_t *re, int from,
                regmatch_t *m)
{
	regmatch_t pm[1];

	if (from > msg->len)
		return 0;
	pm[0].rm_so = from;
	pm[0].rm_eo = msg->len;
	if (regexec(re, msg->buf, 1, pm, REG_STARTEND) != 0)
		return 0;
	*m = pm[0];
	return 1;
}

int w_search(struct sip_msg *msg, void **params)
{
	regmatch_t m;

	return find(msg, params[0], 0, &m) ? 1 : -1;
}

int w_search_append(struct sip_msg *msg, void **params)
{
	const str *txt = params[1];
	regmatch_t m;

	if (!find(msg, params[0], 0, &m))
		return -1;
	if (lump_insert(msg, (int)m.rm_eo, txt, 0) != SV_OK) {
		LM_ERR("textops: search_append: out of memory\n");
		return -1;
	}
	return 1;
}

/* Replaces [m.rm_so, m.rm_eo) with txt. */
static int replace_match(struct sip_msg *msg, const regmatch_t *m,
                         const str *txt)
{
	int so = (int)m->rm_so, len = (int)(m->rm_eo - m->rm_so);

	if ((len > 0 && lump_delete(msg, so, len, 0) != SV_OK) ||
	    (txt->len > 0 && lump_insert(msg, so, txt, 0) != SV_OK)) {
		LM_ERR("textops: replace: out of memory\n");
		return SV_ENOMEM;
	}
	return SV_OK;
}

int w_replace(struct sip_msg *msg, void **params)
{
	regmatch_t m;

	if (!find(msg, params[0], 0, &m))
		return -1;
	return replace_match(msg, &m, params[1]) == SV_OK ? 1 : -1;
}

/*
 * Every non-overlapping, non-empty match, left to right.  An empty match
 * ("x*" where there is no x) replaces nothing: the search goes on one byte
 * further (OpenSER gave up with an error).
 */
int w_replace_all(struct sip_msg *msg, void **params)
{
	int from = 0, n = 0;
	regmatch_t m;

	while (find(msg, params[0], from, &m)) {
		if (m.rm_eo == m.rm_so) {
			from = (int)m.rm_eo + 1;
			continue;
		}
		if (replace_match(msg, &m, params[1]) != SV_OK)
			return -1;
		n++;
		from = (int)m.rm_eo;
	}
	return n > 0 ? 1 : -1;
}
