/*
 * via.c - parsing Via values: sent-protocol, sent-by, parameters.
 */
#include "via.h"

#include <string.h>

#include "lex.h"
#include "msg_priv.h"

/* token SWS at *pp, then optionally the separator sep (SWS around it) */
static int via_token(char **pp, char *end, str *out, char sep)
{
	char *p = skip_lws(*pp, end), *q = skip_class(p, end, CT_TOKEN);

	if (q == p)
		return SV_EBADMSG;
	out->s = p;
	out->len = (int)(q - p);
	p = skip_lws(q, end);
	if (sep) {
		if (p >= end || *p != sep)
			return SV_EBADMSG;
		p++;
	}
	*pp = sep ? p : q;
	return SV_OK;
}

static int via_proto(const str *t)
{
	if (str_ci_lit(t, "UDP", 3))
		return PROTO_UDP;
	if (str_ci_lit(t, "TCP", 3))
		return PROTO_TCP;
	if (str_ci_lit(t, "TLS", 3))
		return PROTO_TLS;
	if (str_ci_lit(t, "SCTP", 4))
		return PROTO_SCTP;
	if (str_ci_lit(t, "WS", 2))
		return PROTO_WS;
	return PROTO_OTHER;
}

/* sent-by = host [ COLON port ] */
static int via_sent_by(struct via_body *vb, char **pp, char *end)
{
	char *p = skip_lws(*pp, end), *q;
	unsigned long long port;

	if (p < end && *p == '[') {
		q = memchr(p, ']', end - p);
		q = q ? q + 1 : end;
	} else {
		q = skip_class(p, end, CT_HOST);
	}
	vb->host_type = host_kind(p, q);
	if (vb->host_type < 0)
		return SV_EBADMSG;
	vb->host.s = p;
	vb->host.len = (int)(q - p);
	p = skip_lws(q, end);
	if (p < end && *p == ':') {
		p = skip_lws(p + 1, end);
		q = skip_class(p, end, CT_DIGIT);
		if (q - p > 5 || parse_uint_range(p, q, 65535, &port) < 0)
			return SV_EBADMSG;
		vb->port_str.s = p;
		vb->port_str.len = (int)(q - p);
		vb->port = (unsigned short)port;
	} else {
		q = vb->host.s + vb->host.len;
	}
	*pp = q;
	return SV_OK;
}

/* Checks the value of a well-known parameter and hooks it into vb. */
static int via_known_param(struct via_body *vb, struct sip_param *prm)
{
	const char *v = prm->body.s, *ve = str_end(&prm->body);
	unsigned long long n;

	switch (prm->type) {
	case P_BRANCH:
		vb->branch = prm;
		return prm->has_value && !prm->quoted ? SV_OK : SV_EBADMSG;
	case P_RECEIVED:
		vb->received = prm;
		return prm->has_value &&
		               (is_ipv4_text(v, ve) || is_ipv6_text(v, ve) ||
		                host_kind(v, ve) == HOST_IPV6)
		           ? SV_OK
		           : SV_EBADMSG;
	case P_RPORT:
		vb->rport = prm;
		return !prm->has_value ||
		               (prm->body.len <= 5 &&
		                parse_uint_range(v, ve, 65535, &n) == SV_OK)
		           ? SV_OK
		           : SV_EBADMSG;
	case P_TTL:
		vb->ttl = prm;
		return prm->has_value && prm->body.len <= 3 &&
		               parse_uint_range(v, ve, 255, &n) == SV_OK
		           ? SV_OK
		           : SV_EBADMSG;
	case P_MADDR:
		vb->maddr = prm;
		return prm->has_value && host_kind(v, ve) > 0 ? SV_OK
		                                              : SV_EBADMSG;
	case P_I:
		vb->i = prm;
		return SV_OK;
	case P_ALIAS:
		vb->alias = prm;
		return SV_OK;
	default:
		return SV_OK;
	}
}

/* One via-parm at *pp; *pp is left at the ',' or the end. */
static int via_parm(struct sip_msg *msg, struct via_body *vb, char **pp,
                    char *end)
{
	char *p = skip_lws(*pp, end), *vend;
	struct sip_param *prm;
	int rc;

	vb->hdr.s = p;
	if (via_token(&p, end, &vb->name, '/') < 0 ||
	    via_token(&p, end, &vb->version, '/') < 0 ||
	    via_token(&p, end, &vb->transport, 0) < 0)
		return SV_EBADMSG;
	vb->proto = via_proto(&vb->transport);
	if (p >= end || (!is_wsp(*p) && *p != '\r' && *p != '\n'))
		return SV_EBADMSG; /* LWS before sent-by is mandatory */
	if (via_sent_by(vb, &p, end) < 0)
		return SV_EBADMSG;
	vend = p;
	rc = parse_params(msg, &p, end, PCLASS_VIA, &vb->param_lst,
	                  &vb->last_param);
	if (rc < 0)
		return rc;
	for (prm = vb->param_lst; prm; prm = prm->next)
		if (via_known_param(vb, prm) < 0)
			return SV_EBADMSG;
	if (vb->last_param) {
		vb->params.s = vb->param_lst->full.s;
		vend = vb->last_param->full.s + vb->last_param->full.len;
		vb->params.len = (int)(vend - vb->params.s);
	}
	vb->hdr.len = (int)(vend - vb->hdr.s);
	*pp = p;
	return SV_OK;
}

static int via_list(struct sip_msg *msg, struct hdr_field *hdr,
                    struct via_body **first)
{
	char *p = hdr->body.s, *end = hdr_body_end(hdr);
	struct via_body *vb, *last = NULL;
	int rc;

	for (;;) {
		vb = msg_alloc(msg, sizeof(*vb));
		if (!vb)
			return SV_ENOMEM;
		rc = via_parm(msg, vb, &p, end);
		if (rc < 0)
			return rc;
		if (last)
			last->next = vb;
		else
			*first = vb;
		last = vb;
		if (p >= end)
			return SV_OK;
		p++; /* the ',' */
	}
}

int parse_via_header(struct sip_msg *msg, struct hdr_field *hdr)
{
	struct via_body *first = NULL;
	int rc;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	rc = via_list(msg, hdr, &first);
	if (rc == SV_EBADMSG)
		rc = msg_bad(msg, "malformed Via header");
	return hdr_store(hdr, first, rc);
}

int parse_via1(struct sip_msg *msg)
{
	int rc;

	if (!msg->h_via1)
		return SV_ENOTFOUND;
	rc = parse_via_header(msg, msg->h_via1);
	if (rc < 0)
		return rc;
	msg->via1 = hdr_via(msg->h_via1);
	return SV_OK;
}

int parse_via2(struct sip_msg *msg)
{
	struct hdr_field *h;
	int rc = parse_via1(msg);

	if (rc < 0)
		return rc;
	if (msg->via1->next) {
		msg->h_via2 = msg->h_via1;
		msg->via2 = msg->via1->next;
		return SV_OK;
	}
	h = msg->h_via1->sibling;
	if (!h)
		return SV_ENOTFOUND;
	rc = parse_via_header(msg, h);
	if (rc < 0)
		return rc;
	msg->h_via2 = h;
	msg->via2 = hdr_via(h);
	return SV_OK;
}
