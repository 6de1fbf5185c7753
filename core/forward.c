/*
 * forward.c - see forward.h.
 *
 * Outgoing messages are printed into one static buffer per process (each
 * process handles one message at a time), then handed to msg_send().
 */
#include "forward.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "lump.h"
#include "msg_builder.h"
#include "resolve.h"
#include "socket.h"
#include "stats.h"
#include "udp.h"
#include "parser/msg.h"
#include "parser/msg_uri.h"
#include "parser/num_hdr.h"
#include "parser/via.h"

#include <string.h>

static char out_buf[SIP_MSG_MAX + 1];

int msg_send(const struct dest_info *dst, const char *buf, int len)
{
	if (dst->proto != PROTO_UDP && dst->proto != PROTO_NONE) {
		LM_ERR("cannot send over %s: not implemented yet\n",
		       proto_name(dst->proto));
		return SV_EBADADDR;
	}
	return udp_send(dst, buf, len);
}

/* The socket to send from: the forced one if it fits, else by family. */
static struct socket_info *send_socket(struct sip_msg *msg,
                                       const struct dest_info *dst)
{
	struct socket_info *si = msg->force_send_socket;

	if (si && si->proto == PROTO_UDP &&
	    si->address.af == (unsigned)dst->to.s.sa_family)
		return si;
	return socket_for_dest(PROTO_UDP, &dst->to);
}

static int request_dest(struct sip_msg *msg, struct dest_info *dst)
{
	const str *uri = msg->dst_uri.len ? &msg->dst_uri : msg_ruri(msg);

	return uri_to_dest(uri, dst);
}

int forward_request(struct sip_msg *msg, const struct dest_info *explicit_dst)
{
	struct dest_info dst;
	struct req_build rb;
	char branch[BRANCH_MAX];
	str br;
	int rc, len;

	if (!(msg->core_flags & MSG_CF_MAXFWD_DONE) && msg->max_forwards &&
	    get_max_forwards(msg) == 0) {
		rc = SV_EHOPS;  /* before any DNS lookup */
		goto error;
	}
	if (explicit_dst)
		dst = *explicit_dst;
	else if ((rc = request_dest(msg, &dst)) != SV_OK)
		goto error;
	dst.send_sock = send_socket(msg, &dst);
	if (dst.send_sock == NULL) {
		rc = SV_EBADADDR;
		goto error;
	}
	if (parse_via1(msg) != SV_OK) {
		rc = SV_EBADMSG;
		goto error;
	}
	br.s = branch;
	br.len = stateless_branch(msg, branch);
	memset(&rb, 0, sizeof(rb));
	rb.send_sock = dst.send_sock;
	rb.branch = &br;
	len = build_request(msg, &rb, out_buf, SIP_MSG_MAX);
	if (len < 0) {
		rc = len;
		goto error;
	}
	rc = msg_send(&dst, out_buf, len);
	if (rc != SV_OK)
		goto error;
	stat_update(core_stats.fwd_requests, 1);
	return SV_OK;
error:
	sv_last_error = rc;
	return rc;
}

/* The address a reply for via goes to: received/rport over sent-by. */
static int via_dest(const struct via_body *v, struct dest_info *dst)
{
	const str *host = v->received ? &v->received->body : &v->host;
	unsigned short port = v->port ? v->port : SIP_DEFAULT_PORT;
	struct ip_addr ip;
	unsigned long p;
	int i;

	if (v->rport && v->rport->body.len > 0) {
		for (i = 0, p = 0; i < v->rport->body.len; i++)
			p = p * 10 + (unsigned)(v->rport->body.s[i] - '0');
		if (p > 0 && p <= 65535)
			port = (unsigned short)p;
	}
	if (resolve_host(host, &ip) != SV_OK)
		return SV_EBADADDR;
	if (ip_is_forbidden_dest(&ip)) {
		LM_NOTICE("refusing to send to %.*s\n", STR_FMT(host));
		return SV_EBADADDR;
	}
	su_from_ip(&dst->to, &ip, port);
	dst->proto = PROTO_UDP;
	dst->send_sock = NULL;
	return SV_OK;
}

/* Deletes our (top) Via value: the whole line when it is alone in it. */
static int remove_top_via(struct sip_msg *msg)
{
	struct via_body *v = msg->via1;
	const char *start, *end;

	if (v->next == NULL && hdr_via(msg->h_via1) == v)
		return lump_delete_header(msg, msg->h_via1, LUMP_BRANCH);
	start = v->hdr.s;
	end = v->next ? v->next->hdr.s : v->hdr.s + v->hdr.len;
	return lump_delete(msg, (int)(start - msg->buf), (int)(end - start),
	                   LUMP_BRANCH);
}

/* Returns 1 when the top Via names one of our sockets or aliases. */
static int top_via_is_ours(const struct via_body *v)
{
	return socket_is_myself(&v->host, v->port ? v->port
	                                          : SIP_DEFAULT_PORT);
}

int forward_reply(struct sip_msg *msg)
{
	struct dest_info dst;
	int rc, len;

	if (parse_via1(msg) != SV_OK || !top_via_is_ours(msg->via1) ||
	    parse_via2(msg) != SV_OK) {
		LM_DBG("reply not to be relayed (top Via not ours or no "
		       "second Via), dropped\n");
		stat_update(core_stats.drop_replies, 1);
		return SV_ENOTFOUND;
	}
	rc = via_dest(msg->via2, &dst);
	if (rc == SV_OK)
		dst.send_sock = socket_for_dest(PROTO_UDP, &dst.to);
	if (rc == SV_OK && dst.send_sock == NULL)
		rc = SV_EBADADDR;
	if (rc == SV_OK)
		rc = remove_top_via(msg);
	len = rc == SV_OK ? lumps_apply(msg, 0, msg->len, 1, out_buf,
	                                SIP_MSG_MAX) : rc;
	lumps_drop_branch(msg);
	rc = len < 0 ? len : msg_send(&dst, out_buf, len);
	if (rc != SV_OK) {
		stat_update(core_stats.drop_replies, 1);
		return rc;
	}
	stat_update(core_stats.fwd_replies, 1);
	return SV_OK;
}

int reply_dest(struct sip_msg *req, struct dest_info *dst)
{
	struct via_body *v;

	if (req->h_via1 == NULL)
		return SV_EBADMSG;
	if (parse_via1(req) != SV_OK) {
		/* a malformed Via: the source is all that is known */
		dst->to = req->rcv.src_su;
		dst->proto = req->rcv.proto;
		dst->send_sock = req->rcv.bind_address;
		return SV_OK;
	}
	v = req->via1;
	if (core_cfg.reply_to_via) {
		if (via_dest(v, dst) != SV_OK)
			return SV_EBADMSG;
	} else {
		unsigned short port = v->port ? v->port : SIP_DEFAULT_PORT;

		if (v->rport || (req->core_flags & MSG_CF_FORCE_RPORT))
			port = req->rcv.src_port;
		su_from_ip(&dst->to, &req->rcv.src_ip, port);
		dst->proto = req->rcv.proto;
	}
	dst->send_sock = req->rcv.bind_address;
	return SV_OK;
}

int send_reply_buf(struct sip_msg *req, const char *buf, int len)
{
	struct dest_info dst;
	int rc = reply_dest(req, &dst);

	return rc == SV_OK ? msg_send(&dst, buf, len) : rc;
}
