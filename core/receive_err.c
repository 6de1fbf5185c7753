/*
 * receive_err.c - what happens to a malformed request: statistics, then
 * error_route or the automatic reply (see receive.h).
 *
 * The automatic reply is built with build_reply() into a per-process
 * buffer and sent back the way every stateless reply goes
 * (send_reply_buf: RFC 3261 §18.2.2 / RFC 3581).  Its To tag is an MD5
 * of Call-ID, CSeq and From as received, so a retransmission of the same
 * bad request gets the same reply.
 */
#include "receive.h"

#include "errors.h"

#include <stdio.h>
#include <string.h>
#include "forward.h"
#include "log.h"
#include "md5.h"
#include "msg_builder.h"
#include "stats.h"
#include "cfg/cfg.h"
#include "cfg/interp.h"
#include "parser/method.h"
#include "parser/msg.h"
#include "parser/opt_tags.h"

static void count_bad_request(const struct sip_msg *msg)
{
	stat_update(core_stats.err_requests, 1);
	switch (msg->err.rc) {
	case SV_EBADURI:
		stat_update(core_stats.bad_URIs_rcvd, 1);
		break;
	case SV_ENOTIMPL:
		stat_update(core_stats.unsupported_methods, 1);
		break;
	case SV_EBADVER: /* the first line, not a header */
		break;
	default:
		stat_update(core_stats.bad_msg_hdr, 1);
	}
}

/* The To tag of serval's automatic replies: deterministic per request. */
static void auto_reply_tag(struct sip_msg *msg, char tag[32])
{
	str parts[3];
	int n = 0;

	if (msg->callid)
		parts[n++] = msg->callid->body;
	if (msg->cseq)
		parts[n++] = msg->cseq->body;
	if (msg->from)
		parts[n++] = msg->from->body;
	md5_hex_strs(tag, parts, n);
}

/* Sends code/reason (and extra header lines) as the automatic reply. */
static int auto_reply(struct sip_msg *msg, int code, const str *reason,
                      const str *hdrs)
{
	static char buf[SIP_MSG_MAX];
	struct reply_build rb = {0};
	char tag[32];
	str to_tag = {tag, 32};
	int len;

	auto_reply_tag(msg, tag);
	rb.code = code;
	rb.reason = reason;
	rb.to_tag = &to_tag;
	rb.hdrs = hdrs;
	len = build_reply(msg, &rb, buf, sizeof(buf));
	if (len < 0) {
		LM_DBG("cannot answer the request: %s\n", sv_strerror(len));
		return len;
	}
	return send_reply_buf(msg, buf, len);
}

/* Writes "Unsupported: a, b\r\n" for every tag of every Proxy-Require. */
static int unsupported_line(struct sip_msg *msg, char *buf, int size)
{
	struct hdr_field *h;
	int n = 0, i, first = 1;

	n = snprintf(buf, size, "Unsupported: ");
	for (h = msg->proxy_require; h && n < size; h = h->sibling) {
		struct opt_tags *t;

		if (parse_opt_tags_header(msg, h) != SV_OK)
			return SV_EBADMSG;
		t = h->parsed;
		for (i = 0; i < t->count && n < size; i++, first = 0)
			n += snprintf(buf + n, size - n, "%s%.*s",
			              first ? "" : ", ", STR_FMT(&t->tags[i]));
	}
	if (first || n + 2 >= size)
		return first ? 0 : SV_ETOOBIG;
	buf[n++] = '\r';
	buf[n++] = '\n';
	return n;
}

int receive_check_proxy_require(struct sip_msg *msg)
{
	static const str reason = STR_LIT("Bad Extension");
	char line[1024];
	str hdrs;
	int m = msg_method(msg);

	if (msg->proxy_require == NULL || m == METHOD_ACK || m == METHOD_CANCEL)
		return 0;
	hdrs.len = unsupported_line(msg, line, sizeof(line));
	if (hdrs.len <= 0)
		return hdrs.len < 0 ? 1 : 0;
	hdrs.s = line;
	LM_DBG("Proxy-Require with unsupported extensions: 420\n");
	auto_reply(msg, 420, &reason, &hdrs);
	return 1;
}

int receive_auto_reply(struct sip_msg *msg)
{
	static const str bad = STR_LIT("Bad Request");

	if (msg_method(msg) == METHOD_ACK ||
	    (!msg_is_request(msg) && msg->first_line.line.len >= 4 &&
	     memcmp(msg->first_line.line.s, "ACK ", 4) == 0))
		return SV_OK;
	if (msg->err.rcode && msg->err.rreason.len)
		return auto_reply(msg, msg->err.rcode, &msg->err.rreason, NULL);
	return auto_reply(msg, msg->err.rcode ? msg->err.rcode : 400, &bad,
	                  NULL);
}

int receive_bad_request(struct sip_msg *msg)
{
	const struct cfg_route *er = route_main(ERROR_ROUTE);

	count_bad_request(msg);
	LM_DBG("malformed request (%.*s, %d %.*s)\n", STR_FMT(&msg->err.info),
	       msg->err.rcode, STR_FMT(&msg->err.rreason));
	if (er && msg_is_request(msg)) {
		run_route(ERROR_ROUTE, er, msg);
		return SV_OK;
	}
	return receive_auto_reply(msg);
}
