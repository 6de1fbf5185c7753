/*
 * to_from.c - parsing To/From-like header bodies.
 */
#include "to_from.h"

#include "lex.h"
#include "msg_priv.h"
#include "nameaddr.h"

static int fill_to_body(struct sip_msg *msg, struct hdr_field *hdr,
                        struct to_body *tb)
{
	char *p = hdr->body.s, *end = hdr_body_end(hdr);
	struct name_addr na;
	struct sip_param *prm;
	int rc;

	tb->body = hdr->body;
	if (parse_nameaddr(&p, end, &na, 1) < 0)
		return SV_EBADMSG;
	tb->display = na.display;
	tb->uri = na.uri;
	rc = parse_params(msg, &p, end, PCLASS_TO, &tb->param_lst,
	                  &tb->last_param);
	if (rc < 0)
		return rc;
	if (p != end)
		return SV_EBADMSG; /* a second value after ',' */
	for (prm = tb->param_lst; prm && !tb->tag; prm = prm->next)
		if (prm->type == P_TAG)
			tb->tag = prm;
	if (tb->tag) {
		if (!tb->tag->has_value || tb->tag->quoted)
			return SV_EBADMSG;
		tb->tag_value = tb->tag->body;
	}
	return SV_OK;
}

/* info text for errors, by header type */
static const char *bad_what(int type)
{
	switch (type) {
	case HDR_TO_T:
		return "malformed To header";
	case HDR_FROM_T:
		return "malformed From header";
	default:
		return "malformed address header";
	}
}

int parse_to_body_hdr(struct sip_msg *msg, struct hdr_field *hdr)
{
	struct to_body *tb;
	int rc;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	tb = msg_alloc(msg, sizeof(*tb));
	if (!tb)
		return hdr_store(hdr, NULL, SV_ENOMEM);
	rc = fill_to_body(msg, hdr, tb);
	if (rc == SV_EBADMSG)
		rc = msg_bad(msg, bad_what(hdr->type));
	return hdr_store(hdr, tb, rc);
}

int parse_to_header(struct sip_msg *msg)
{
	if (!msg->to)
		return SV_ENOTFOUND;
	return parse_to_body_hdr(msg, msg->to);
}

int parse_from_header(struct sip_msg *msg)
{
	if (!msg->from)
		return SV_ENOTFOUND;
	return parse_to_body_hdr(msg, msg->from);
}

int to_body_uri(struct sip_msg *msg, struct to_body *tb, struct sip_uri **uri)
{
	return msg_cached_uri(msg, &tb->uri, &tb->parsed_uri, &tb->uri_state,
	                      uri);
}

static int parse_addr_uri(struct sip_msg *msg, struct hdr_field *hdr,
                          struct sip_uri **uri, const char *what)
{
	int rc;

	if (!hdr)
		return SV_ENOTFOUND;
	rc = parse_to_body_hdr(msg, hdr);
	if (rc < 0)
		return rc;
	rc = to_body_uri(msg, hdr->parsed, uri);
	if (rc == SV_EBADURI)
		return msg_error(msg, SV_EBADURI, 400, "Bad Request", what);
	return rc;
}

int parse_to_uri(struct sip_msg *msg, struct sip_uri **uri)
{
	return parse_addr_uri(msg, msg->to, uri, "malformed To URI");
}

int parse_from_uri(struct sip_msg *msg, struct sip_uri **uri)
{
	return parse_addr_uri(msg, msg->from, uri, "malformed From URI");
}
