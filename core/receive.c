/*
 * receive.c - dispatch of received messages (see receive.h).
 *
 * One message at a time per process: the parsed message is a static
 * struct (a sip_msg must not move once parsed, and its first arena block
 * is inside it, so keeping it off the stack also keeps the receive path's
 * stack small).  Everything a message leaves behind - its parse, the
 * AVPs it created, its destination set, the last error - is released or
 * reset before the next one.
 */
#include "receive.h"

#include <string.h>

#include "avp.h"
#include "dset.h"
#include "errors.h"
#include "forward.h"
#include "log.h"
#include "module.h"
#include "script_cb.h"
#include "stats.h"
#include "cfg/cfg.h"
#include "cfg/interp.h"
#include "parser/msg.h"
#include "parser/msg_check.h"

static struct sip_msg rcv_msg;

/* Length of the first line of buf (up to CR or LF), at most 80. */
static int first_line_len(const char *buf, int len)
{
	int i;

	for (i = 0; i < len && i < 80; i++)
		if (buf[i] == '\r' || buf[i] == '\n')
			break;
	return i;
}

static void drop_unrouted(const char *buf, int len,
                          const struct receive_info *ri, const char *why)
{
	char ip[IP_ADDR_MAX_STR];

	if (!LOG_ENABLED(L_DBG))
		return;
	ip_addr_print(&ri->src_ip, ip, sizeof(ip));
	LM_DBG("%s: dropping %d bytes from %s:%u: %.*s\n", why, len, ip,
	       ri->src_port, first_line_len(buf, len), buf);
}

static void handle_request(struct sip_msg *msg)
{
	const struct cfg_route *main_route = route_main(REQUEST_ROUTE);

	stat_update(core_stats.rcv_requests, 1);
	if (check_request(msg) != SV_OK) {
		receive_bad_request(msg);
		return;
	}
	if (receive_check_proxy_require(msg)) {
		stat_update(core_stats.err_requests, 1);
		return;
	}
	if (!exec_pre_script_cb(msg, SCB_REQUEST)) {
		stat_update(core_stats.drop_requests, 1);
	} else if (main_route) {
		run_route(REQUEST_ROUTE, main_route, msg);
		if (route_last_flags() & ROUTE_F_ERROR)
			receive_bad_request(msg);
		else if (route_last_flags() & ROUTE_F_DROP)
			stat_update(core_stats.drop_requests, 1);
	} else {
		LM_DBG("the script has no request route: request dropped\n");
	}
	exec_post_script_cb(msg, SCB_REQUEST);
}

static void handle_reply(struct sip_msg *msg)
{
	const struct cfg_route *r = route_main(ONREPLY_ROUTE);

	stat_update(core_stats.rcv_replies, 1);
	if (check_reply(msg) != SV_OK) {
		stat_update(core_stats.err_replies, 1);
		stat_update(core_stats.drop_replies, 1);
		return;
	}
	if (!exec_pre_script_cb(msg, SCB_REPLY)) {
		stat_update(core_stats.drop_replies, 1);
		goto post;
	}
	if (r) {
		run_route(ONREPLY_ROUTE, r, msg);
		if (route_dropped() && REPLY_LINE(msg).statuscode < 200) {
			LM_DBG("onreply_route dropped a %d reply\n",
			       REPLY_LINE(msg).statuscode);
			stat_update(core_stats.drop_replies, 1);
			goto post;
		}
	}
	if (modules_response(msg) == 1)
		forward_reply(msg);
post:
	exec_post_script_cb(msg, SCB_REPLY);
}

/*
 * A message parse_msg() refused: answer requests when possible (a request
 * whose first line is broken is still answered from its headers).
 */
static void handle_unparsable(struct sip_msg *msg)
{
	int claimed = msg->first_line.claimed;

	if (msg_is_request(msg) ||
	    (!msg_is_reply(msg) && claimed == SIP_REQUEST)) {
		stat_update(core_stats.rcv_requests, 1);
		receive_bad_request(msg);
	} else if (msg_is_reply(msg) || claimed == SIP_REPLY) {
		stat_update(core_stats.rcv_replies, 1);
		stat_update(core_stats.err_replies, 1);
		stat_update(core_stats.drop_replies, 1);
	}
}

int receive_msg(char *buf, int len, struct receive_info *ri)
{
	struct cfg_script *s = cfg_active();
	struct sip_msg *msg = &rcv_msg;
	int rc;

	if (!s) {
		drop_unrouted(buf, len, ri, "no routing script");
		return SV_OK;
	}
	sv_last_error = SV_OK;
	rc = parse_msg(buf, len, msg);
	msg->rcv = *ri;
	if (rc != SV_OK) {
		drop_unrouted(buf, len, ri, "malformed message");
		handle_unparsable(msg);
	} else if (msg_is_request(msg)) {
		handle_request(msg);
	} else {
		handle_reply(msg);
	}
	free_sip_msg(msg);
	avp_reset_msg_list();
	dset_clear();
	return rc;
}
