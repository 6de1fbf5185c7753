/*
 * contact.c - parsing Contact header bodies.
 */
#include "contact.h"

#include "lex.h"
#include "msg_priv.h"
#include "nameaddr.h"

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
static int qvalue(const str *v, int *q)
{
	const char *p = v->s, *end = str_end(v);
	int val, scale;

	if (v->len <= 0 || (*p != '0' && *p != '1'))
		return SV_EQVALUE;
	val = (*p++ - '0') * 1000;
	if (p < end) {
		if (*p++ != '.' || end - p > 3)
			return SV_EQVALUE;
		for (scale = 100; p < end; p++, scale /= 10) {
			if (!is_digit(*p))
				return SV_EQVALUE;
			val += (*p - '0') * scale;
		}
	}
	if (val > 1000)
		return SV_EQVALUE;
	*q = val;
	return SV_OK;
}

static void hook_params(struct contact *c)
{
	struct sip_param *p;

	for (p = c->params; p; p = p->next) {
		if (p->type == P_Q && !c->q)
			c->q = p;
		else if (p->type == P_EXPIRES && !c->expires)
			c->expires = p;
		else if (p->type == P_METHODS && !c->methods)
			c->methods = p;
		else if (p->type == P_RECEIVED && !c->received)
			c->received = p;
		else if (p->type == P_INSTANCE && !c->instance)
			c->instance = p;
	}
}

/* One contact-param at *pp; *pp is left at the ',' or the end. */
static int contact_param(struct sip_msg *msg, struct contact *c, char **pp,
                         char *end)
{
	struct name_addr na;
	char *start = skip_lws(*pp, end), *p = start;
	int rc, q;

	if (parse_nameaddr(&p, end, &na, 1) < 0)
		return SV_EBADMSG;
	c->display = na.display;
	c->uri = na.uri;
	c->full.s = start;
	c->full.len = (int)(p - start);
	rc = parse_params(msg, &p, end, PCLASS_CONTACT, &c->params,
	                  &c->last_param);
	if (rc < 0)
		return rc;
	if (c->last_param)
		c->full.len = (int)(c->last_param->full.s +
		                    c->last_param->full.len - start);
	hook_params(c);
	if (c->q && (!c->q->has_value || qvalue(&c->q->body, &q) < 0))
		return SV_EBADMSG;
	*pp = p;
	return SV_OK;
}

static int contact_list(struct sip_msg *msg, struct hdr_field *hdr,
                        struct contact_body *cb)
{
	char *p = hdr->body.s, *end = hdr_body_end(hdr);
	struct contact *c, *last = NULL;
	int rc;

	if (hdr->body.len == 1 && *p == '*') {
		cb->star = 1;
		return SV_OK;
	}
	for (;;) {
		c = msg_alloc(msg, sizeof(*c));
		if (!c)
			return SV_ENOMEM;
		rc = contact_param(msg, c, &p, end);
		if (rc < 0)
			return rc;
		if (last)
			last->next = c;
		else
			cb->contacts = c;
		last = c;
		if (p >= end)
			return SV_OK;
		p++; /* the ',' */
	}
}

int parse_contact_header(struct sip_msg *msg, struct hdr_field *hdr)
{
	struct contact_body *cb;
	int rc;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	cb = msg_alloc(msg, sizeof(*cb));
	if (!cb)
		return hdr_store(hdr, NULL, SV_ENOMEM);
	rc = contact_list(msg, hdr, cb);
	if (rc == SV_EBADMSG)
		rc = msg_bad(msg, "malformed Contact header");
	return hdr_store(hdr, cb, rc);
}

int parse_contacts(struct sip_msg *msg)
{
	struct hdr_field *h;
	struct contact *c;
	int rc, n = 0;

	for (h = msg->contact; h; h = h->sibling) {
		rc = parse_contact_header(msg, h);
		if (rc < 0)
			return rc;
		for (c = hdr_contact(h)->contacts; c; c = c->next)
			n++;
	}
	return n;
}

int contact_q(const struct contact *c, int *q)
{
	if (!c->q)
		return SV_ENOTFOUND;
	return qvalue(&c->q->body, q) < 0 ? SV_EINVAL : SV_OK;
}

int contact_expires(const struct contact *c, unsigned int *expires)
{
	unsigned long long v;
	const char *s;

	if (!c->expires)
		return SV_ENOTFOUND;
	s = c->expires->body.s;
	if (!c->expires->has_value ||
	    parse_uint_range(s, s + c->expires->body.len, 0xffffffffULL, &v) <
	        0)
		return SV_EINVAL;
	*expires = (unsigned int)v;
	return SV_OK;
}
