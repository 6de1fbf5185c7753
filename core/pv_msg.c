/*
 * pv_msg.c - message fields and headers: $ci $cs $rm $ct $cT $cl $ua $rb
 * $mb $ml $mi $rs $rr, and $hdr(Name) with its indexes.
 *
 * Header values are the header bodies as written (LWS-trimmed views into
 * the message).  $hdr(Name) is the first header of that name, [N] the
 * N-th (negative from the last), [*] all of them joined with ", " in a
 * per-process buffer.
 */
#include <string.h>

#include "msg_builder.h"
#include "pv_core.h"
#include "pv_priv.h"
#include "parser/cseq.h"
#include "parser/hdr_find.h"
#include "parser/msg.h"
#include "parser/num_hdr.h"

static int hdr_body(struct pv_value *res, const struct hdr_field *h)
{
	return h ? pv_str(res, &h->body) : pv_null(res);
}

static int cseq_value(struct sip_msg *msg, int want_method,
                      struct pv_value *res)
{
	struct cseq_body *cs;

	if (!msg->cseq || parse_cseq_header(msg) != SV_OK)
		return pv_null(res);
	cs = get_cseq(msg);
	if (want_method)
		return pv_str(res, &cs->method);
	return pv_int_str(res, cs->num, &cs->number);
}

static int status_value(struct sip_msg *msg, int reason, struct pv_value *res)
{
	if (!msg_is_reply(msg))
		return pv_null(res);
	if (reason)
		return pv_str(res, &REPLY_LINE(msg).reason);
	return pv_int_str(res, REPLY_LINE(msg).statuscode,
	                  &REPLY_LINE(msg).status);
}

PV_GETTER(pv_get_msg)
{
	str s;

	switch (sp->exp->type) {
	case PVT_CALLID:
		return hdr_body(res, msg->callid);
	case PVT_CSEQ:
		return cseq_value(msg, 0, res);
	case PVT_METHOD:
		if (msg_is_request(msg))
			return pv_str(res, &REQ_LINE(msg).method);
		return cseq_value(msg, 1, res);
	case PVT_CONTACT:
		return hdr_body(res, msg->contact);
	case PVT_CONTENT_TYPE:
		return hdr_body(res, msg->content_type);
	case PVT_CONTENT_LENGTH:
		if (!msg->content_length || !msg->content_length->parsed)
			return pv_null(res);
		return pv_int_str(res, hdr_num(msg->content_length),
		                  &msg->content_length->body);
	case PVT_USER_AGENT:
		return hdr_body(res, msg->user_agent);
	case PVT_BODY:
		return msg->body.len ? pv_str(res, &msg->body) : pv_null(res);
	case PVT_MSG_BUF:
		s.s = msg->buf;
		s.len = msg->len;
		return pv_str(res, &s);
	case PVT_MSG_LEN:
		return pv_int(res, msg->len);
	case PVT_MSG_ID:
		return pv_int(res, msg->id);
	case PVT_STATUS:
		return status_value(msg, 0, res);
	case PVT_REASON:
		return status_value(msg, 1, res);
	default:
		return pv_null(res);
	}
}

/* Every header called name, joined with ", ". */
static int hdr_all(const struct sip_msg *msg, const str *name,
                   struct pv_value *res)
{
	static char buf[SIP_MSG_MAX];
	struct hdr_field *h;
	int i, n = 0;
	str s;

	for (i = 0; (h = get_hdr_by_name(msg, name, i)) != NULL; i++) {
		if (n + 2 + h->body.len > (int)sizeof(buf))
			return pv_null(res);
		if (i) {
			memcpy(buf + n, ", ", 2);
			n += 2;
		}
		memcpy(buf + n, h->body.s, h->body.len);
		n += h->body.len;
	}
	if (i == 0)
		return pv_null(res);
	s.s = buf;
	s.len = n;
	return pv_str(res, &s);
}

PV_GETTER(pv_get_hdr)
{
	if (sp->idx_type == PV_IDX_ALL)
		return hdr_all(msg, &sp->name.s, res);
	return hdr_body(
	    res, get_hdr_by_name(msg, &sp->name.s,
	                         sp->idx_type == PV_IDX_INT ? sp->idx : 0));
}
