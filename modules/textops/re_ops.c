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
 * regexec() runs with REG_STARTEND over [0, msg->len), so a NUL byte
 * inside a message is an ordinary character instead of an early end, and
 * matching from an offset keeps the bytes before it as context ('^' still
 * means "after a line end" there).  The message is not NUL terminated and
 * its buffer may not be written past its end, while sanitizers' regexec()
 * wrappers measure the string with strlen(): so the function works on a
 * NUL-terminated copy (a per-process buffer that grows to the largest
 * message seen), made once per call.  Offsets in the copy are offsets in
 * msg->buf.
 *
 * Changes are message edits (core/lump.h), applied when the message is
 * printed; in a branch_route they belong to that branch only.
 */
#include "textops.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/parser/msg.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#ifndef REG_STARTEND
#error "textops needs regexec() with REG_STARTEND (glibc, the BSDs)"
#endif

static char *subject_buf; /* per process, grown to the largest message */
static int subject_size;

void textops_re_free(void)
{
	free(subject_buf);
	subject_buf = NULL;
	subject_size = 0;
}

/* A NUL-terminated copy of msg's bytes (valid until the next call). */
static const char *subject(const struct sip_msg *msg)
{
	char *nb;

	if (msg->len + 1 > subject_size) {
		nb = realloc(subject_buf, (size_t)msg->len + 1);
		if (nb == NULL) {
			LM_ERR("textops: out of memory\n");
			return NULL;
		}
		subject_buf = nb;
		subject_size = msg->len + 1;
	}
	memcpy(subject_buf, msg->buf, (size_t)msg->len);
	subject_buf[msg->len] = '\0';
	return subject_buf;
}

/*
 * Finds the first match of re in text (msg->len bytes) at or after offset
 * from.  Returns 1 and sets *m, or 0 when there is none.
 */
static int find(const char *text, int len, const regex_t *re, int from,
                regmatch_t *m)
{
	regmatch_t pm[1];

	if (from > len)
		return 0;
	pm[0].rm_so = from;
	pm[0].rm_eo = len;
	if (regexec(re, text, 1, pm, REG_STARTEND) != 0)
		return 0;
	*m = pm[0];
	return 1;
}

/* The first match of re in msg; 1 found, 0 not, -1 out of memory. */
static int find_first(const struct sip_msg *msg, const regex_t *re,
                      regmatch_t *m)
{
	const char *text = subject(msg);

	if (text == NULL)
		return -1;
	return find(text, msg->len, re, 0, m);
}

int w_search(struct sip_msg *msg, void **params)
{
	regmatch_t m;

	return find_first(msg, params[0], &m) == 1 ? 1 : -1;
}

int w_search_append(struct sip_msg *msg, void **params)
{
	const str *txt = params[1];
	regmatch_t m;

	if (find_first(msg, params[0], &m) != 1)
		return -1;
	if (lump_insert(msg, (int)m.rm_eo, txt, textops_edit_flags()) !=
	    SV_OK) {
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
	unsigned fl = textops_edit_flags();

	if ((len > 0 && lump_delete(msg, so, len, fl) != SV_OK) ||
	    (txt->len > 0 && lump_insert(msg, so, txt, fl) != SV_OK)) {
		LM_ERR("textops: replace: out of memory\n");
		return SV_ENOMEM;
	}
	return SV_OK;
}

int w_replace(struct sip_msg *msg, void **params)
{
	regmatch_t m;

	if (find_first(msg, params[0], &m) != 1)
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
	const char *text = subject(msg);
	int from = 0, n = 0;
	regmatch_t m;

	if (text == NULL)
		return -1;
	while (find(text, msg->len, params[0], from, &m)) {
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
