/*
 * content_type.c - parsing Content-Type.
 */
#include "content_type.h"

#include "lex.h"
#include "msg_priv.h"

static int fill_ct(struct sip_msg *msg, struct hdr_field *hdr,
                   struct content_type *ct)
{
	char *p = hdr->body.s, *end = hdr_body_end(hdr), *q;
	int rc;

	q = skip_class(p, end, CT_TOKEN);
	if (q == p)
		return SV_EBADMSG;
	ct->type.s = p;
	ct->type.len = (int)(q - p);
	p = skip_lws(q, end);
	if (p >= end || *p != '/')
		return SV_EBADMSG;
	p = skip_lws(p + 1, end);
	q = skip_class(p, end, CT_TOKEN);
	if (q == p)
		return SV_EBADMSG;
	ct->subtype.s = p;
	ct->subtype.len = (int)(q - p);
	rc = parse_params(msg, &q, end, PCLASS_GENERIC, &ct->params,
	                  &ct->last_param);
	if (rc < 0)
		return rc;
	return q == end ? SV_OK : SV_EBADMSG;
}

int parse_content_type_hdr(struct sip_msg *msg, struct hdr_field *hdr)
{
	struct content_type *ct;
	int rc;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	ct = msg_alloc(msg, sizeof(*ct));
	if (!ct)
		return hdr_store(hdr, NULL, SV_ENOMEM);
	rc = fill_ct(msg, hdr, ct);
	if (rc == SV_EBADMSG)
		rc = msg_bad(msg, "malformed Content-Type header");
	return hdr_store(hdr, ct, rc);
}

int parse_content_type_header(struct sip_msg *msg)
{
	if (!msg->content_type)
		return SV_ENOTFOUND;
	return parse_content_type_hdr(msg, msg->content_type);
}

int content_type_is(const struct content_type *ct, const char *type,
                    const char *subtype)
{
	return str_caseeq_lit(&ct->type, type) &&
	       str_caseeq_lit(&ct->subtype, subtype);
}
