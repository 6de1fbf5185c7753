/*
 * msg_builder.c - see msg_builder.h.
 *
 * Every change made while printing (new Request-URI, our Via, received/
 * rport, Max-Forwards, a reply's to-tag) is recorded as a LUMP_BRANCH edit
 * and applied by the one printer in lump.c, then dropped again, so the
 * message keeps only the edits of the script.  A reply is assembled from
 * copies of the request's header lines; only the edits made for the reply
 * apply to them (the script's edits belong to the request).
 */
#include "msg_builder.h"
#include "config.h"
#include "errors.h"
#include "log.h"
#include "lump.h"
#include "md5.h"
#include "socket.h"
#include "version.h"
#include "parser/cseq.h"
#include "parser/msg.h"
#include "parser/msg_uri.h"
#include "parser/num_hdr.h"
#include "parser/to_from.h"
#include "parser/via.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int offset_of(const struct sip_msg *msg, const char *p)
{
	return (int)(p - msg->buf);
}

/* Deletes one Via parameter with its leading ';' (and blanks before it). */
static int delete_via_param(struct sip_msg *msg, const struct sip_param *p,
                            unsigned flags)
{
	const char *start = p->full.s;

	while (start > msg->buf && start[-1] != ';')
		start--;
	if (start > msg->buf)
		start--;
	return lump_delete(msg, offset_of(msg, start),
	                   (int)(p->full.s + p->full.len - start), flags);
}

/* Returns 1 when the sent-by host is the source address, textually. */
static int sent_by_is_source(const struct via_body *v,
                             const struct receive_info *rcv)
{
	struct ip_addr ip;

	if (v->host_type != HOST_IPV4 && v->host_type != HOST_IPV6)
		return 0;
	if (ip_addr_parse(&v->host, &ip) != SV_OK)
		return 0;
	return ip_addr_eq(&ip, &rcv->src_ip);
}

int via_received_params(struct sip_msg *req, char *out, int size,
                        unsigned lump_flags)
{
	struct via_body *v;
	char ip[IP_ADDR_MAX_STR];
	int rport, n = 0, rc;

	if (parse_via1(req) != SV_OK)
		return SV_EBADMSG;
	v = req->via1;
	rport = v->rport != NULL || (req->core_flags & MSG_CF_FORCE_RPORT);
	if (!rport && sent_by_is_source(v, &req->rcv) && !v->received)
		return 0;
	if (v->received && (rc = delete_via_param(req, v->received, lump_flags)))
		return rc;
	if (v->rport && (rc = delete_via_param(req, v->rport, lump_flags)))
		return rc;
	if (rport || !sent_by_is_source(v, &req->rcv)) {
		ip_addr_print(&req->rcv.src_ip, ip, sizeof(ip));
		n = snprintf(out, size, req->rcv.src_ip.af == AF_INET6 ?
		             ";received=[%s]" : ";received=%s", ip);
	}
	if (rport && n < size)
		n += snprintf(out + n, size - n, ";rport=%u", req->rcv.src_port);
	return n < size ? n : SV_ETOOBIG;
}

/* Records the received/rport parameters at the end of the top Via value. */
static int edit_top_via(struct sip_msg *msg)
{
	char params[IP_ADDR_MAX_STR + 32];
	int n = via_received_params(msg, params, sizeof(params), LUMP_BRANCH);
	str s = { params, n };

	if (n <= 0)
		return n;
	return lump_insert(msg, offset_of(msg, msg->via1->hdr.s +
	                                  msg->via1->hdr.len), &s, LUMP_BRANCH);
}

static int edit_ruri(struct sip_msg *msg, const str *ruri)
{
	str *orig = &REQ_LINE(msg).uri;
	int off = offset_of(msg, orig->s), rc;

	if (ruri == NULL || str_eq(ruri, orig))
		return SV_OK;
	rc = lump_delete(msg, off, orig->len, LUMP_BRANCH);
	return rc ? rc : lump_insert(msg, off, ruri, LUMP_BRANCH);
}

/*
 * Our Via: the sending socket's address and port, or what the script
 * advertised (set_advertised_address/port), with ";rport" when it asked
 * for replies to come back to the source port (force_local_rport).
 */
static int edit_our_via(struct sip_msg *msg, const struct req_build *rb)
{
	char line[512];
	const struct socket_info *si = rb->send_sock;
	const str *addr = msg->adv_address.len ? &msg->adv_address
	                                       : &si->address_str;
	const str *port = msg->adv_port.len ? &msg->adv_port : &si->port_str;
	str s;

	s.len = snprintf(line, sizeof(line),
	                 "Via: SIP/2.0/%s %.*s:%.*s;branch=%.*s%s\r\n",
	                 si->proto == PROTO_UDP ? "UDP" : "TCP",
	                 STR_FMT(addr), STR_FMT(port), STR_FMT(rb->branch),
	                 (msg->core_flags & MSG_CF_LOCAL_RPORT) ? ";rport"
	                                                         : "");
	if (s.len >= (int)sizeof(line))
		return SV_ETOOBIG;
	s.s = line;
	return lump_insert(msg, offset_of(msg, hdr_start(msg->h_via1)), &s,
	                   LUMP_BRANCH);
}

/* Decrements Max-Forwards, or adds it with the default value. */
static int edit_max_forwards(struct sip_msg *msg)
{
	char num[16];
	str s;
	int v;

	if (msg->max_forwards == NULL) {
		s = (str)STR_LIT("Max-Forwards: 70\r\n");
		return lump_append_header(msg, &s, LUMP_BRANCH);
	}
	v = get_max_forwards(msg);
	if (v < 0)
		return SV_EBADMSG;
	if (v == 0) {
		LM_NOTICE("not forwarding a request with Max-Forwards 0\n");
		return SV_EHOPS;
	}
	s.s = num;
	s.len = snprintf(num, sizeof(num), "%d", v - 1);
	v = offset_of(msg, msg->max_forwards->body.s);
	if (lump_delete(msg, v, msg->max_forwards->body.len, LUMP_BRANCH))
		return SV_ENOMEM;
	return lump_insert(msg, v, &s, LUMP_BRANCH);
}

int build_request(struct sip_msg *msg, const struct req_build *rb, char *out,
                  int size)
{
	int rc;

	if (parse_via1(msg) != SV_OK || msg->h_via1 == NULL)
		return SV_EINVAL;
	rc = edit_ruri(msg, rb->ruri ? rb->ruri : msg_ruri(msg));
	if (rc == SV_OK)
		rc = edit_our_via(msg, rb);
	if (rc == SV_OK)
		rc = edit_top_via(msg);
	if (rc == SV_OK && !rb->keep_maxfwd &&
	    !(msg->core_flags & MSG_CF_MAXFWD_DONE))
		rc = edit_max_forwards(msg);
	if (rc == SV_OK)
		rc = lumps_apply(msg, 0, msg->len, 1, out, size);
	lumps_drop_branch(msg);
	return rc;
}

/* ------------------------------------------------------------ replies -- */

int server_header_line(char *out, int size)
{
	int n;

	if (!core_cfg.server_signature)
		return 0;
	if (core_cfg.server_header)
		n = snprintf(out, size, "%s\r\n", core_cfg.server_header);
	else
		n = snprintf(out, size, "Server: %s\r\n", SERVAL_FULL_VERSION);
	return n < size ? n : SV_ETOOBIG;
}

struct outbuf {
	char *p;
	int n, size;
};

static int out_put(struct outbuf *o, const char *s, int len)
{
	if (len < 0 || o->n + len > o->size)
		return SV_ETOOBIG;
	memcpy(o->p + o->n, s, (size_t)len);
	o->n += len;
	return SV_OK;
}

/* Copies one header line of the request with the reply's edits applied. */
static int out_header(struct outbuf *o, const struct sip_msg *req,
                      const struct hdr_field *h)
{
	int n = lumps_apply(req, offset_of(req, hdr_start(h)),
	                    offset_of(req, hdr_end(h)), 1, o->p + o->n,
	                    o->size - o->n);

	if (n < 0)
		return n;
	o->n += n;
	return SV_OK;
}

/* Copies every header of a type, in order. */
static int out_headers(struct outbuf *o, const struct sip_msg *req,
                       const struct hdr_field *first)
{
	const struct hdr_field *h;
	int rc;

	for (h = first; h; h = h->sibling)
		if ((rc = out_header(o, req, h)) != SV_OK)
			return rc;
	return SV_OK;
}

/* Records ";tag=..." at the end of the To value when it has no tag. */
static int edit_to_tag(struct sip_msg *req, const str *to_tag)
{
	struct to_body *to = get_to(req);
	char buf[BRANCH_MAX + 8];
	str s;

	if (to_tag == NULL || to_tag->len == 0 || to->tag_value.len > 0)
		return SV_OK;
	if (to_tag->len > BRANCH_MAX)
		return SV_ETOOBIG;
	s.s = buf;
	s.len = snprintf(buf, sizeof(buf), ";tag=%.*s", STR_FMT(to_tag));
	return lump_insert(req, offset_of(req, req->to->body.s +
	                                  req->to->body.len), &s, LUMP_BRANCH);
}

static int reply_status_line(struct outbuf *o, const struct reply_build *rb)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "SIP/2.0 %03d ", rb->code);

	if (out_put(o, line, n) || out_put(o, rb->reason->s, rb->reason->len))
		return SV_ETOOBIG;
	return out_put(o, "\r\n", 2);
}

static int reply_tail(struct outbuf *o, const struct reply_build *rb)
{
	char line[128];
	int n, blen = rb->body ? rb->body->len : 0;

	if (rb->hdrs && out_put(o, rb->hdrs->s, rb->hdrs->len))
		return SV_ETOOBIG;
	n = server_header_line(line, sizeof(line));
	if (n < 0 || out_put(o, line, n))
		return SV_ETOOBIG;
	n = snprintf(line, sizeof(line), "Content-Length: %d\r\n\r\n", blen);
	if (out_put(o, line, n))
		return SV_ETOOBIG;
	return blen ? out_put(o, rb->body->s, blen) : SV_OK;
}

/* The header lines of the reply, in the usual order. */
static int reply_headers(struct outbuf *o, struct sip_msg *req, int code)
{
	int rc = out_headers(o, req, req->h_via1);

	if (rc == SV_OK && req->from)
		rc = out_header(o, req, req->from);
	if (rc == SV_OK && req->to)
		rc = out_header(o, req, req->to);
	if (rc == SV_OK && req->callid)
		rc = out_header(o, req, req->callid);
	if (rc == SV_OK && req->cseq)
		rc = out_header(o, req, req->cseq);
	if (rc == SV_OK && code >= 180 && code < 300)
		rc = out_headers(o, req, req->record_route);
	return rc;
}

int build_reply(struct sip_msg *req, const struct reply_build *rb, char *out,
                int size)
{
	struct outbuf o = { out, 0, size };
	struct lump *script_lumps = req->lumps;
	int rc;

	if (!req->h_via1)
		return SV_EBADMSG;
	req->lumps = NULL;  /* only the reply's own edits apply */
	rc = SV_OK;
	/* a malformed request is answered too: what cannot be parsed is
	 * copied as it is (no to-tag, no received/rport) */
	if (req->to && parse_to_header(req) == SV_OK)
		rc = edit_to_tag(req, rb->to_tag);
	if (rc == SV_OK && parse_via1(req) == SV_OK)
		rc = edit_top_via(req);
	if (rc >= SV_OK)
		rc = reply_status_line(&o, rb);
	if (rc == SV_OK)
		rc = reply_headers(&o, req, rb->code);
	if (rc == SV_OK)
		rc = reply_tail(&o, rb);
	req->lumps = script_lumps;
	return rc == SV_OK ? o.n : rc;
}

/* ----------------------------------------------------- stateless branch -- */

int stateless_branch(struct sip_msg *msg, char *out)
{
	struct via_body *v = msg->via1;
	str parts[6];
	char digest[32];
	int n = 0, i;

	if (v && v->branch && v->branch->body.len > MAGIC_COOKIE_LEN &&
	    memcmp(v->branch->body.s, MAGIC_COOKIE, MAGIC_COOKIE_LEN) == 0) {
		parts[n++] = v->branch->body;
		parts[n++] = v->host;
		parts[n++] = v->port_str;
	} else {
		if (msg->callid)
			parts[n++] = msg->callid->body;
		if (msg->cseq && parse_cseq_header(msg) == SV_OK)
			parts[n++] = ((struct cseq_body *)msg->cseq->parsed)->number;
		if (msg->from && parse_from_header(msg) == SV_OK)
			parts[n++] = get_from(msg)->tag_value;
		parts[n++] = REQ_LINE(msg).uri;
		if (v)
			parts[n++] = v->hdr;
	}
	md5_hex_strs(digest, parts, n);
	memcpy(out, MAGIC_COOKIE "sl", MAGIC_COOKIE_LEN + 2);
	for (i = 0; i < 24; i++)
		out[MAGIC_COOKIE_LEN + 2 + i] = digest[i];
	return MAGIC_COOKIE_LEN + 2 + 24;
}
