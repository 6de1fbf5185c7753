/*
 * params.c - header parameter lists.
 *
 * A value is a quoted-string or a run of token characters plus ':' '[' ']'
 * (so IPv6 addresses and references in received= and maddr= fit); anything
 * else where a value is expected is malformed.  Values are not checked
 * further here: Via checks its own (via.c).
 */
#include "params.h"

#include "lex.h"
#include "msg_priv.h"

static int value_char(char c)
{
	return ct_is(c, CT_TOKEN | CT_VALX);
}

/* The well-known names, grouped by class (see class_first). */
static const struct {
	unsigned char len;
	unsigned char type;
	const char *name; /* lower case */
} known[] = {
    /* PCLASS_VIA */
    {6, P_BRANCH, "branch"},
    {8, P_RECEIVED, "received"},
    {5, P_RPORT, "rport"},
    {1, P_I, "i"},
    {5, P_ALIAS, "alias"},
    {5, P_MADDR, "maddr"},
    {3, P_TTL, "ttl"},
    /* PCLASS_TO */
    {3, P_TAG, "tag"},
    /* PCLASS_CONTACT */
    {1, P_Q, "q"},
    {7, P_EXPIRES, "expires"},
    {7, P_METHODS, "methods"},
    {8, P_RECEIVED, "received"},
    {13, P_INSTANCE, "+sip.instance"},
};

/* known[class_first[c] .. class_first[c + 1]) are the names of class c */
static const unsigned char class_first[] = {
    [PCLASS_GENERIC] = 0, [PCLASS_VIA] = 0, [PCLASS_TO] = 7,
    [PCLASS_CONTACT] = 8, [PCLASS_CONTACT + 1] = 13,
};

_Static_assert(sizeof(known) / sizeof(known[0]) == 13,
               "class_first[] indexes known[]");

static int param_type_of(int pclass, const str *name)
{
	unsigned i;
	char c;

	if (pclass == PCLASS_GENERIC || name->len == 0)
		return P_OTHER;
	c = (char)ascii_lower(name->s[0]);
	for (i = class_first[pclass]; i < class_first[pclass + 1]; i++)
		if (known[i].len == name->len && known[i].name[0] == c &&
		    ascii_caseeq(name->s, known[i].name, name->len))
			return known[i].type;
	return P_OTHER;
}

/* The value after '=' at p (LWS skipped); sets body, quoted, *pp. */
static int parse_value(struct sip_param *prm, char **pp, char *end)
{
	char *p = *pp, *q;

	if (p < end && *p == '"') {
		q = scan_quoted(p, end);
		if (!q)
			return SV_EBADMSG;
		prm->body.s = p + 1;
		prm->body.len = (int)(q - p - 2);
		prm->quoted = 1;
	} else {
		for (q = p; q < end && value_char(*q); q++)
			;
		if (q == p)
			return SV_EBADMSG;
		prm->body.s = p;
		prm->body.len = (int)(q - p);
	}
	*pp = q;
	return SV_OK;
}

/* One "name [= value]" at *pp. */
static int parse_one(struct sip_param *prm, char **pp, char *end)
{
	char *p = *pp, *q;

	q = skip_class(p, end, CT_TOKEN);
	if (q == p)
		return SV_EBADMSG;
	prm->name.s = p;
	prm->name.len = (int)(q - p);
	prm->full = prm->name;
	p = skip_lws(q, end);
	if (p < end && *p == '=') {
		p = skip_lws(p + 1, end);
		if (parse_value(prm, &p, end) < 0)
			return SV_EBADMSG;
		prm->has_value = 1;
		prm->full.len = (int)(p - prm->full.s);
	} else {
		p = q;
	}
	*pp = p;
	return SV_OK;
}

int parse_params(struct sip_msg *msg, char **pp, char *end, int pclass,
                 struct sip_param **first, struct sip_param **last)
{
	char *p = *pp;
	struct sip_param *prm;

	for (;;) {
		p = skip_lws(p, end);
		if (p >= end || *p == ',')
			break;
		if (*p != ';')
			return SV_EBADMSG;
		p = skip_lws(p + 1, end);
		prm = msg_alloc(msg, sizeof(*prm));
		if (!prm)
			return SV_ENOMEM;
		if (parse_one(prm, &p, end) < 0)
			return SV_EBADMSG;
		prm->type = param_type_of(pclass, &prm->name);
		if (*last)
			(*last)->next = prm;
		else
			*first = prm;
		*last = prm;
	}
	*pp = p;
	return SV_OK;
}

struct sip_param *param_find(struct sip_param *list, const char *name)
{
	for (; list; list = list->next)
		if (str_caseeq_lit(&list->name, name))
			return list;
	return NULL;
}
