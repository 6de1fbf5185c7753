/*
 * pv_parse.c - turning "$avp(s:x[1])" into a struct pv_spec, and a format
 * string into literal and pseudo-variable parts.
 *
 * The two index notations are normalised: OpenSER 1.2 wrote the index
 * inside the name ($hdr(Via[1])), 1.3 outside ($(hdr(Via)[1])); both give
 * idx_type/idx.  Checks made here, each with its own message: the name is
 * registered, a container has its "(name)", a plain variable has none,
 * only indexable variables are indexed, the index is a number or '*'.
 */
#include "pv.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

/* The pieces of a spec before they are checked. */
struct spec_parts {
	str name;
	str inner; /* without parentheses; s == NULL when absent */
	str idx;   /* without brackets; s == NULL when absent */
};

static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Index of the ')' closing the '(' at s[open], or -1. */
static int match_paren(const char *s, int len, int open)
{
	int depth = 0, i;

	for (i = open; i < len; i++) {
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i;
	}
	return -1;
}

/* Splits "name[(inner)][[idx]]" (the 1.3 body or the whole 1.2 spec). */
static int split_body(const char *s, int len, struct spec_parts *p,
                      int outer_idx, char *err, int errlen)
{
	int i = 0, close;

	while (i < len && is_name_char(s[i]))
		i++;
	p->name.s = (char *)s;
	p->name.len = i;
	if (i == 0)
		return SV_EINVAL;
	if (i < len && s[i] == '(') {
		close = match_paren(s, len, i);
		if (close < 0)
			return SV_EINVAL;
		p->inner.s = (char *)s + i + 1;
		p->inner.len = close - i - 1;
		i = close + 1;
	}
	if (outer_idx && i < len && s[i] == '[' && s[len - 1] == ']') {
		p->idx.s = (char *)s + i + 1;
		p->idx.len = len - i - 2;
		i = len;
	}
	if (i < len && s[i] == '{') {
		snprintf(err, errlen, "transformations are not supported");
		return SV_EINVAL;
	}
	return i == len ? SV_OK : SV_EINVAL;
}

/* 1.2 notation: "Via[1]" inside the parentheses. */
static void split_inner_index(struct spec_parts *p)
{
	int i;

	if (!p->inner.s || p->inner.len < 3 ||
	    p->inner.s[p->inner.len - 1] != ']')
		return;
	for (i = p->inner.len - 2; i >= 0; i--)
		if (p->inner.s[i] == '[')
			break;
	if (i <= 0)
		return;
	p->idx.s = p->inner.s + i + 1;
	p->idx.len = p->inner.len - i - 2;
	p->inner.len = i;
}

static int parse_index(struct pv_spec *sp, const str *idx)
{
	char buf[24];
	char *end;
	long v;

	if (idx->len == 1 && idx->s[0] == '*') {
		sp->idx_type = PV_IDX_ALL;
		return SV_OK;
	}
	if (idx->len == 0 || idx->len >= (int)sizeof(buf))
		return SV_EINVAL;
	memcpy(buf, idx->s, idx->len);
	buf[idx->len] = '\0';
	v = strtol(buf, &end, 10);
	if (*end || v < -100000 || v > 100000)
		return SV_EINVAL;
	sp->idx_type = PV_IDX_INT;
	sp->idx = (int)v;
	return SV_OK;
}

static int split_spec(const str *in, struct spec_parts *p, char *err,
                      int errlen)
{
	int rc;

	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	if (in->len < 2 || in->s[0] != '$')
		return SV_EINVAL;
	if (in->s[1] == '(') {
		if (in->s[in->len - 1] != ')' ||
		    match_paren(in->s, in->len, 1) != in->len - 1)
			return SV_EINVAL;
		return split_body(in->s + 2, in->len - 3, p, 1, err, errlen);
	}
	rc = split_body(in->s + 1, in->len - 1, p, 0, err, errlen);
	if (rc == SV_OK)
		split_inner_index(p);
	return rc;
}

/* Checks the parts against the export and fills sp. */
static int check_parts(struct pv_spec *sp, const struct spec_parts *p,
                       char *err, int errlen)
{
	const struct pv_export *e = sp->exp;

	if (e->parse_name && !p->inner.s) {
		snprintf(err, errlen,
		         "$%s needs a name in parentheses, e.g. $%s(name)",
		         e->name, e->name);
		return SV_EINVAL;
	}
	if (!e->parse_name && p->inner.s) {
		snprintf(err, errlen, "$%s does not take a name in parentheses",
		         e->name);
		return SV_EINVAL;
	}
	if (p->idx.s && !(e->flags & PV_INDEXABLE)) {
		snprintf(err, errlen, "$%s cannot be indexed", e->name);
		return SV_EINVAL;
	}
	if (p->idx.s && parse_index(sp, &p->idx) != SV_OK) {
		snprintf(err, errlen,
		         "bad index '[%.*s]' in '%.*s' (a number "
		         "or '*' expected)",
		         STR_FMT(&p->idx), STR_FMT(&sp->text));
		return SV_EINVAL;
	}
	if (e->parse_name)
		return e->parse_name(sp, &p->inner, err, errlen);
	return SV_OK;
}

int pv_spec_parse(const str *in, struct pv_spec **out, char *err, int errlen)
{
	struct spec_parts p;
	struct pv_spec *sp;
	int rc;

	*out = NULL;
	if (split_spec(in, &p, err, errlen) != SV_OK) {
		if (err[0])
			snprintf(err, errlen,
			         "transformations are not supported ('%.*s')",
			         STR_FMT(in));
		else
			snprintf(err, errlen,
			         "malformed pseudo-variable '%.*s'",
			         STR_FMT(in));
		return SV_EINVAL;
	}
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return SV_ENOMEM;
	sp->text.s = strndup(in->s, in->len);
	if (!sp->text.s) {
		free(sp);
		return SV_ENOMEM;
	}
	sp->text.len = in->len;
	sp->exp = pv_lookup(p.name.s, p.name.len);
	if (!sp->exp) {
		snprintf(err, errlen, "unknown pseudo-variable '%.*s'",
		         STR_FMT(in));
		rc = SV_EINVAL;
	} else {
		rc = check_parts(sp, &p, err, errlen);
	}
	if (rc != SV_OK) {
		pv_spec_free(sp);
		return rc;
	}
	*out = sp;
	return SV_OK;
}

void pv_spec_free(struct pv_spec *sp)
{
	if (!sp)
		return;
	free(sp->name.s.s);
	free(sp->text.s);
	free(sp);
}

/* Counts the parts a format can have at most (literal/pv alternate). */
static int max_parts(const str *in)
{
	int i, n = 1;

	for (i = 0; i < in->len; i++)
		if (in->s[i] == '$')
			n += 2;
	return n;
}

static void add_literal(struct pv_format *f, char *s, int len)
{
	if (len <= 0)
		return;
	f->parts[f->n].text.s = s;
	f->parts[f->n].text.len = len;
	f->parts[f->n].spec = NULL;
	f->n++;
}

/* Parses the pseudo-variable of length n at f->whole.s + off. */
static int add_spec(struct pv_format *f, int off, int n, char *err, int errlen)
{
	str one = {f->whole.s + off, n};
	struct pv_spec *sp;
	int rc;

	rc = pv_spec_parse(&one, &sp, err, errlen);
	if (rc != SV_OK)
		return rc;
	f->parts[f->n].text = one;
	f->parts[f->n].spec = sp;
	f->n++;
	f->has_pv = 1;
	return SV_OK;
}

static int split_format(struct pv_format *f, int *err_off, char *err,
                        int errlen)
{
	char *s = f->whole.s;
	int len = f->whole.len, lit = 0, i = 0, n, rc;

	while (i < len) {
		if (s[i] != '$') {
			i++;
			continue;
		}
		n = pv_scan(s + i, len - i);
		if (n == 0) {
			i++;
			continue;
		}
		*err_off = i;
		if (n < 0) {
			snprintf(err, errlen,
			         "unterminated pseudo-variable '%.*s'",
			         len - i > 20 ? 20 : len - i, s + i);
			return SV_EINVAL;
		}
		add_literal(f, s + lit, i - lit);
		rc = add_spec(f, i, n, err, errlen);
		if (rc != SV_OK)
			return rc;
		i += n;
		lit = i;
	}
	add_literal(f, s + lit, len - lit);
	return SV_OK;
}

int pv_format_parse(const str *in, struct pv_format **out, int *err_off,
                    char *err, int errlen)
{
	struct pv_format *f;
	int rc;

	*out = NULL;
	*err_off = 0;
	f = calloc(1, sizeof(*f) + max_parts(in) * sizeof(f->parts[0]));
	if (!f)
		return SV_ENOMEM;
	f->whole.s = malloc(in->len + 1);
	if (!f->whole.s) {
		free(f);
		return SV_ENOMEM;
	}
	memcpy(f->whole.s, in->s, in->len);
	f->whole.s[in->len] = '\0';
	f->whole.len = in->len;
	rc = split_format(f, err_off, err, errlen);
	if (rc != SV_OK) {
		pv_format_free(f);
		return rc;
	}
	*out = f;
	return SV_OK;
}

void pv_format_free(struct pv_format *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		pv_spec_free(f->parts[i].spec);
	free(f->whole.s);
	free(f);
}
