/*
 * digest.c - username and realm of Digest credentials (see digest.h).
 *
 * A single pass over "Digest name=value, name="value", ...": each
 * parameter name is a token, each value a token or a quoted-string.
 */
#include "digest.h"

#include "../errors.h"
#include "lex.h"

/* Reads one value at p: a quoted-string (inside returned) or a token. */
static char *take_value(char *p, char *end, str *v)
{
	char *q;

	if (p < end && *p == '"') {
		q = scan_quoted(p, end);
		if (!q)
			return NULL;
		v->s = p + 1;
		v->len = (int)(q - p - 2);
		return q;
	}
	q = skip_class(p, end, CT_TOKEN | CT_VALX);
	if (q == p)
		return NULL;
	v->s = p;
	v->len = (int)(q - p);
	return q;
}

/* Reads "name = value" at p; returns the end, or NULL when malformed. */
static char *take_param(char *p, char *end, str *name, str *value)
{
	char *q = skip_class(p, end, CT_TOKEN);

	if (q == p)
		return NULL;
	name->s = p;
	name->len = (int)(q - p);
	p = skip_lws(q, end);
	if (p >= end || *p != '=')
		return NULL;
	return take_value(skip_lws(p + 1, end), end, value);
}

int parse_digest_cred(const str *body, struct digest_cred *cred)
{
	char *p = body->s, *end = body->s + body->len;
	str name, value;

	cred->username.s = cred->realm.s = NULL;
	cred->username.len = cred->realm.len = 0;
	if (body->len < 7 || !ascii_caseeq(p, "Digest", 6) || !is_wsp(p[6]))
		return SV_ENOTFOUND;
	p = skip_lws(p + 6, end);
	while (p < end) {
		p = take_param(p, end, &name, &value);
		if (!p)
			return SV_EBADMSG;
		if (str_ci_lit(&name, "username", 8))
			cred->username = value;
		else if (str_ci_lit(&name, "realm", 5))
			cred->realm = value;
		p = skip_lws(p, end);
		if (p < end && *p != ',')
			return SV_EBADMSG;
		if (p < end)
			p = skip_lws(p + 1, end);
	}
	return SV_OK;
}
