/*
 * rr.c - parsing Route/Record-Route/Path lists.
 */
#include "rr.h"

#include "lex.h"
#include "msg_priv.h"
#include "nameaddr.h"

static int rr_entry(struct sip_msg *msg, struct rr *r, char **pp, char *end)
{
	struct name_addr na;
	char *start = skip_lws(*pp, end), *p = start;
	int rc;

	if (parse_nameaddr(&p, end, &na, 0) < 0)
		return SV_EBADMSG;
	r->display = na.display;
	r->uri = na.uri;
	r->full.s = start;
	r->full.len = (int)(p - start);
	rc = parse_params(msg, &p, end, PCLASS_GENERIC, &r->params,
	                  &r->last_param);
	if (rc < 0)
		return rc;
	if (r->last_param)
		r->full.len = (int)(r->last_param->full.s +
		                    r->last_param->full.len - start);
	*pp = p;
	return SV_OK;
}

static int rr_list(struct sip_msg *msg, struct hdr_field *hdr,
                   struct rr **first)
{
	char *p = hdr->body.s, *end = hdr_body_end(hdr);
	struct rr *r, *last = NULL;
	int rc;

	for (;;) {
		r = msg_alloc(msg, sizeof(*r));
		if (!r)
			return SV_ENOMEM;
		rc = rr_entry(msg, r, &p, end);
		if (rc < 0)
			return rc;
		if (last)
			last->next = r;
		else
			*first = r;
		last = r;
		if (p >= end)
			return SV_OK;
		p++; /* the ',' */
	}
}

int parse_rr_header(struct sip_msg *msg, struct hdr_field *hdr)
{
	struct rr *first = NULL;
	int rc;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	rc = rr_list(msg, hdr, &first);
	if (rc == SV_EBADMSG)
		rc = msg_bad(msg, hdr->type == HDR_ROUTE_T
		                      ? "malformed Route header"
		                      : "malformed Record-Route/Path header");
	return hdr_store(hdr, first, rc);
}

int parse_rr_headers(struct sip_msg *msg, int type)
{
	struct hdr_field *h;
	struct rr *r;
	int rc, n = 0;

	for (h = msg_first_hdr(msg, type); h; h = h->sibling) {
		rc = parse_rr_header(msg, h);
		if (rc < 0)
			return rc;
		for (r = hdr_rr(h); r; r = r->next)
			n++;
	}
	return n;
}

int rr_uri(struct sip_msg *msg, struct rr *r, struct sip_uri **uri)
{
	return msg_cached_uri(msg, &r->uri, &r->parsed_uri, &r->uri_state, uri);
}

int rr_is_loose(struct sip_msg *msg, struct rr *r)
{
	struct sip_uri *u;
	int rc = rr_uri(msg, r, &u);

	if (rc < 0)
		return rc;
	return u->lr.s != NULL;
}
