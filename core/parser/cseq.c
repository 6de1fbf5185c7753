/*
 * cseq.c - parsing CSeq: number, LWS, method, nothing else.
 */
#include "cseq.h"

#include "lex.h"
#include "method.h"
#include "msg_priv.h"

static int fill_cseq(struct hdr_field *hdr, struct cseq_body *cb)
{
	char *p = hdr->body.s, *end = hdr_body_end(hdr), *q;
	unsigned long long num;

	q = skip_class(p, end, CT_DIGIT);
	if (parse_uint_range(p, q, 0xffffffffULL, &num) < 0)
		return SV_EBADMSG;
	cb->number.s = p;
	cb->number.len = (int)(q - p);
	cb->num = (unsigned int)num;
	p = skip_lws(q, end);
	if (p == q)
		return SV_EBADMSG; /* LWS between number and method */
	q = skip_class(p, end, CT_TOKEN);
	if (q == p || q != end)
		return SV_EBADMSG;
	cb->method.s = p;
	cb->method.len = (int)(q - p);
	cb->method_id = method_from_name(p, (int)(q - p));
	return SV_OK;
}

int parse_cseq_hdr(struct sip_msg *msg, struct hdr_field *hdr)
{
	struct cseq_body *cb;
	int rc;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	cb = msg_alloc(msg, sizeof(*cb));
	if (!cb)
		return hdr_store(hdr, NULL, SV_ENOMEM);
	rc = fill_cseq(hdr, cb);
	if (rc < 0)
		rc = msg_bad(msg, "malformed CSeq header");
	return hdr_store(hdr, cb, rc);
}

int parse_cseq_header(struct sip_msg *msg)
{
	if (!msg->cseq)
		return SV_ENOTFOUND;
	return parse_cseq_hdr(msg, msg->cseq);
}
