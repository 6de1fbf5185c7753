/*
 * msg_check.c - request and reply validity checks.
 *
 * The order of the request checks decides which error a message with
 * several faults gets: the version first (505 is what RFC 4475 §3.1.2.16
 * expects even though the Via says SIP/7.0 too), then presence and
 * uniqueness of the mandatory headers, then their syntax, then the CSeq
 * method, then the Request-URI.
 */
#include "msg_check.h"

#include <stddef.h>

#include "../log.h"
#include "contact.h"
#include "cseq.h"
#include "lex.h"
#include "method.h"
#include "msg_priv.h"
#include "msg_uri.h"
#include "num_hdr.h"
#include "to_from.h"
#include "via.h"

struct required {
	unsigned short slot; /* offset of the first-of-type field */
	const char *missing;
	const char *repeated;
};

#define SLOT(field) offsetof(struct sip_msg, field)

static const struct required required_hdrs[] = {
    {SLOT(h_via1), "missing Via header", NULL},
    {SLOT(from), "missing From header", "more than one From header"},
    {SLOT(to), "missing To header", "more than one To header"},
    {SLOT(callid), "missing Call-ID header", "more than one Call-ID header"},
    {SLOT(cseq), "missing CSeq header", "more than one CSeq header"},
    {SLOT(max_forwards), NULL, "more than one Max-Forwards header"},
    {SLOT(content_length), NULL, "more than one Content-Length header"},
};

static int check_presence(struct sip_msg *msg)
{
	const struct required *r;
	struct hdr_field *h;
	unsigned i;

	for (i = 0; i < sizeof(required_hdrs) / sizeof(required_hdrs[0]); i++) {
		r = &required_hdrs[i];
		h = *(struct hdr_field **)((char *)msg + r->slot);
		if (!h && r->missing)
			return msg_bad(msg, r->missing);
		if (h && h->sibling && r->repeated)
			return msg_bad(msg, r->repeated);
	}
	return SV_OK;
}

/* callid = word [ "@" word ] */
static int check_callid(struct sip_msg *msg)
{
	const str *b = &msg->callid->body;
	int i, at = 0;

	for (i = 0; i < b->len; i++) {
		if (b->s[i] == '@' && i > 0 && i < b->len - 1 && !at++)
			continue;
		if (!ct_is(b->s[i], CT_WORD))
			return msg_bad(msg, "malformed Call-ID header");
	}
	return b->len > 0 ? SV_OK : msg_bad(msg, "empty Call-ID header");
}

static int is_stream(int proto)
{
	return proto == PROTO_TCP || proto == PROTO_TLS || proto == PROTO_WS;
}

/* Syntax of the headers every element relies on. */
static int check_syntax(struct sip_msg *msg)
{
	struct hdr_field *h;
	int rc;

	for (h = msg->h_via1; h; h = h->sibling)
		if ((rc = parse_via_header(msg, h)) < 0)
			return rc;
	if ((rc = parse_via1(msg)) < 0 || (rc = parse_from_header(msg)) < 0 ||
	    (rc = parse_to_header(msg)) < 0 ||
	    (rc = parse_cseq_header(msg)) < 0 || (rc = check_callid(msg)) < 0)
		return rc;
	if (msg->max_forwards &&
	    (rc = parse_max_forwards_header(msg, msg->max_forwards)) < 0)
		return rc;
	if (!msg->content_length && is_stream(msg->rcv.proto))
		return msg_bad(msg, "missing Content-Length on a stream");
	return SV_OK;
}

static int check_cseq_method(struct sip_msg *msg)
{
	struct cseq_body *cb = get_cseq(msg);

	if (str_eq(&cb->method, &REQ_LINE(msg).method))
		return SV_OK;
	if (REQ_LINE(msg).method_value == METHOD_OTHER)
		return msg_error(msg, SV_ENOTIMPL, 501, "Not Implemented",
		                 "unknown method, CSeq method differs");
	return msg_bad(msg, "CSeq method does not match the request method");
}

static int check_ruri_syntax(struct sip_msg *msg)
{
	struct sip_uri *u = &msg->parsed_orig_ruri;
	int rc = parse_orig_ruri(msg);

	if (rc < 0)
		return rc;
	if (u->headers.s)
		return msg_error(msg, SV_EBADURI, 400, "Bad Request-URI",
		                 "escaped headers in the Request-URI");
	return SV_OK;
}

/* The scheme of the received R-URI is one we parse (sip, sips, tel). */
static int ruri_scheme_known(const struct sip_msg *msg)
{
	const str *u = &msg->first_line.u.request.uri;
	str scheme = {u->s, 0};

	while (scheme.len < u->len && u->s[scheme.len] != ':')
		scheme.len++;
	return str_caseeq_lit(&scheme, "sip") ||
	       str_caseeq_lit(&scheme, "sips") ||
	       str_caseeq_lit(&scheme, "tel") ||
	       str_caseeq_lit(&scheme, "tels");
}

int check_request(struct sip_msg *msg)
{
	int rc;

	if (!msg_is_request(msg))
		return SV_EINVAL;
	if (!str_caseeq_lit(&REQ_LINE(msg).version, "SIP/2.0"))
		return msg_error(msg, SV_EBADVER, 505, "Version Not Supported",
		                 "unsupported SIP version");
	if ((rc = check_presence(msg)) < 0 || (rc = check_syntax(msg)) < 0)
		return rc;
	if (REQ_LINE(msg).method_value == METHOD_REGISTER &&
	    (rc = parse_contacts(msg)) < 0)
		return rc;
	if ((rc = check_cseq_method(msg)) < 0)
		return rc;
	if (ruri_scheme_known(msg))
		return check_ruri_syntax(msg);
	return SV_OK;
}

static int reply_faults(struct sip_msg *msg)
{
	int rc;

	if (!str_caseeq_lit(&REPLY_LINE(msg).version, "SIP/2.0"))
		return msg_error(msg, SV_EBADVER, 505, "Version Not Supported",
		                 "unsupported SIP version");
	if ((rc = check_presence(msg)) < 0)
		return rc;
	return check_syntax(msg);
}

int check_reply(struct sip_msg *msg)
{
	int rc;

	if (!msg_is_reply(msg))
		return SV_EINVAL;
	rc = reply_faults(msg);
	if (rc < 0)
		LM_WARN("dropping invalid reply %d (Call-ID %.*s): %.*s\n",
		        REPLY_LINE(msg).statuscode,
		        msg->callid ? msg->callid->body.len : 1,
		        msg->callid ? msg->callid->body.s : "-",
		        msg->err.info.len, msg->err.info.s);
	return rc;
}

int check_ruri_scheme(struct sip_msg *msg)
{
	int rc = parse_sip_msg_uri(msg);

	if (rc < 0)
		return rc;
	switch (msg->parsed_uri.type) {
	case URI_SIP:
	case URI_SIPS:
	case URI_TEL:
	case URI_TELS:
		return SV_OK;
	default:
		return msg_error(msg, SV_EBADSCHEME, 416,
		                 "Unsupported URI Scheme",
		                 "unsupported Request-URI scheme");
	}
}
