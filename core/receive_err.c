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
#include "forward.h"
#include "log.h"
#include "md5.h"
#include "msg_builder.h"
#include "stats.h"
#include "cfg/cfg.h"
#include "cfg/interp.h"
#include "parser/method.h"
#include "parser/msg.h"

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

int receive_auto_reply(struct sip_msg *msg)
{
	static char buf[SIP_MSG_MAX];
	static const str bad = STR_LIT("Bad Request");
	struct reply_build rb = {0};
	char tag[32];
	str parts[3], to_tag = {tag, 32};
	int n = 0, len;

	if (msg_method(msg) == METHOD_ACK)
		return SV_OK;
	if (msg->callid)
		parts[n++] = msg->callid->body;
	if (msg->cseq)
		parts[n++] = msg->cseq->body;
	if (msg->from)
		parts[n++] = msg->from->body;
	md5_hex_strs(tag, parts, n);
	rb.code = msg->err.rcode ? msg->err.rcode : 400;
	rb.reason =
	    msg->err.rcode && msg->err.rreason.len ? &msg->err.rreason : &bad;
	rb.to_tag = &to_tag;
	len = build_reply(msg, &rb, buf, sizeof(buf));
	if (len < 0) {
		LM_DBG("cannot answer the malformed request: %s\n",
		       sv_strerror(len));
		return len;
	}
	return send_reply_buf(msg, buf, len);
}

int receive_bad_request(struct sip_msg *msg)
{
	const struct cfg_route *er = route_main(ERROR_ROUTE);

	count_bad_request(msg);
	LM_DBG("malformed request (%.*s, %d %.*s)\n", STR_FMT(&msg->err.info),
	       msg->err.rcode, STR_FMT(&msg->err.rreason));
	if (er) {
		run_route(ERROR_ROUTE, er, msg);
		return SV_OK;
	}
	return receive_auto_reply(msg);
}
