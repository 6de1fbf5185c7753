/*
 * msg_builder.c - see msg_builder.h.
 *
 * Requests: every change made while printing (new Request-URI, our Via,
 * received/rport, Max-Forwards) is recorded as a LUMP_BRANCH edit and
 * applied by the one printer in lump.c, then dropped again, so the message
 * keeps only the edits of the script.
 *
 * Replies are on the path of every stateless answer, so they take no
 * detour through edits: the request's header lines are copied as received
 * (the script's edits belong to the request, not to the reply) and the
 * two changes a reply makes, the to-tag and received/rport on the top Via,
 * are written while copying.  Nothing per reply goes through printf.
 */
#include "msg_builder.h"
#include "config.h"
#include "errors.h"
#include "fmt.h"
#include "log.h"
#include "lump.h"
#include "md5.h"
#include "outbuf.h"
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

/*
 * The span of one Via parameter with its leading ';' (blanks before the
 * ';' stay): [*s, *e).
 */
static void via_param_span(const struct sip_msg *msg,
                           const struct sip_param *p, const char **s,
                           const char **e)
{
	const char *start = p->full.s;

	while (start > msg->buf && start[-1] != ';')
		start--;
	if (start > msg->buf)
		start--;
	*s = start;
	*e = p->full.s + p->full.len;
}

/* Returns 1 when the sent-by host is the source address. */
static int sent_by_is_source(const struct via_body *v,
                             const struct receive_info *rcv)
{
	if (v->host_type != HOST_IPV4 && v->host_type != HOST_IPV6)
		return 0;
	return ip_addr_text_eq(&v->host, &rcv->src_ip);
}

/*
 * What the top Via of a request needs before it is sent on or answered
 * (RFC 3261 §18.2.1, RFC 3581): the parameters to append at the end of its
 * value, and the received/rport parameters already there that they
 * replace.
 */
struct via_fix {
	const struct sip_param *del[2]; /* to delete, in message order */
	int len;                        /* of text */
	char text[IP_ADDR_MAX_STR + 32];
};

/* ";received=<source>" and/or ";rport=<port>" into f->text. */
static void via_fix_text(const struct sip_msg *req, int rport, int src,
                         struct via_fix *f)
{
	char ip[IP_ADDR_MAX_STR], *p = f->text;
	int v6 = req->rcv.src_ip.af == AF_INET6, n;

	n = ip_addr_print(&req->rcv.src_ip, ip, sizeof(ip));
	if ((!src || rport) && n > 0) {
		p = fmt_lit(p, ";received=");
		if (v6)
			*p++ = '[';
		p = fmt_mem(p, ip, n);
		if (v6)
			*p++ = ']';
	}
	if (rport) {
		p = fmt_lit(p, ";rport=");
		p += fmt_uint(p, req->rcv.src_port);
	}
	f->len = (int)(p - f->text);
}

/* Fills f for req's top Via.  Returns SV_OK or SV_EBADMSG. */
static int via_fix_plan(struct sip_msg *req, struct via_fix *f)
{
	const struct via_body *v;
	int rport, src;

	f->del[0] = f->del[1] = NULL;
	f->len = 0;
	if (parse_via1(req) != SV_OK)
		return SV_EBADMSG;
	v = req->via1;
	rport = v->rport != NULL || (req->core_flags & MSG_CF_FORCE_RPORT);
	src = sent_by_is_source(v, &req->rcv);
	if (!rport && src && !v->received)
		return SV_OK;
	f->del[0] = v->received ? v->received : v->rport;
	f->del[1] = v->received ? v->rport : NULL;
	if (f->del[1] && f->del[1]->full.s < f->del[0]->full.s) {
		f->del[1] = f->del[0];
		f->del[0] = v->rport;
	}
	via_fix_text(req, rport, src, f);
	return SV_OK;
}

int via_received_params(struct sip_msg *req, char *out, int size,
                        unsigned lump_flags)
{
	struct via_fix f;
	const char *s, *e;
	int i, rc;

	if ((rc = via_fix_plan(req, &f)) != SV_OK)
		return rc;
	for (i = 0; i < 2 && f.del[i]; i++) {
		via_param_span(req, f.del[i], &s, &e);
		rc = lump_delete(req, offset_of(req, s), (int)(e - s),
		                 lump_flags);
		if (rc)
			return rc;
	}
	if (f.len >= size)
		return SV_ETOOBIG;
	memcpy(out, f.text, (size_t)f.len);
	return f.len;
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
	int rport = (msg->core_flags & MSG_CF_LOCAL_RPORT) != 0;
	char *p = line;
	str s;

	if (addr->len + port->len + rb->branch->len + 48 > (int)sizeof(line))
		return SV_ETOOBIG;
	p = fmt_lit(p, "Via: SIP/2.0/");
	p = si->proto == PROTO_UDP ? fmt_lit(p, "UDP ") : fmt_lit(p, "TCP ");
	p = fmt_str(p, addr);
	*p++ = ':';
	p = fmt_str(p, port);
	p = fmt_lit(p, ";branch=");
	p = fmt_str(p, rb->branch);
	if (rport)
		p = fmt_lit(p, ";rport");
	p = fmt_lit(p, "\r\n");
	s.s = line;
	s.len = (int)(p - line);
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
	s.len = fmt_uint(num, (unsigned)(v - 1));
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
	static const char dflt[] = "Server: " SERVAL_FULL_VERSION "\r\n";
	const char *hdr = dflt;
	int n = (int)sizeof(dflt) - 1;

	if (!core_cfg.server_signature)
		return 0;
	if (core_cfg.server_header) {
		hdr = core_cfg.server_header;
		n = (int)strlen(hdr);
	}
	if (n + 2 >= size)
		return SV_ETOOBIG;
	memcpy(out, hdr, (size_t)n);
	if (hdr != dflt) {
		out[n++] = '\r';
		out[n++] = '\n';
	}
	out[n] = '\0';
	return n;
}

/* Copies a header line of the request, whole (nothing when h is NULL). */
static void out_header(struct outbuf *o, const struct hdr_field *h)
{
	if (h)
		outbuf_range(o, hdr_start(h), hdr_end(h));
}

/* Copies every header of a type, in order. */
static void out_headers(struct outbuf *o, const struct hdr_field *first)
{
	const struct hdr_field *h;

	for (h = first; h; h = h->sibling)
		out_header(o, h);
}

/* The first Via header line, its top value fixed as f says. */
static void out_top_via(struct outbuf *o, const struct sip_msg *req,
                        const struct via_fix *f)
{
	const struct hdr_field *h = req->h_via1;
	const char *p = hdr_start(h), *s, *e;
	const char *vend = req->via1->hdr.s + req->via1->hdr.len;
	int i;

	for (i = 0; i < 2 && f->del[i]; i++) {
		via_param_span(req, f->del[i], &s, &e);
		outbuf_range(o, p, s);
		p = e;
	}
	outbuf_range(o, p, vend);
	outbuf_put(o, f->text, f->len);
	outbuf_range(o, vend, hdr_end(h));
}

/* The To header line, with ";tag=" to_tag at the end of its value. */
static void out_to(struct outbuf *o, const struct sip_msg *req,
                   const str *to_tag)
{
	const struct hdr_field *h = req->to;
	const char *vend;

	if (h == NULL)
		return;
	vend = h->body.s + h->body.len;
	if (to_tag == NULL) {
		out_header(o, h);
		return;
	}
	outbuf_range(o, hdr_start(h), vend);
	outbuf_lit(o, ";tag=");
	outbuf_put(o, to_tag->s, to_tag->len);
	outbuf_range(o, vend, hdr_end(h));
}

static void reply_status_line(struct outbuf *o, const struct reply_build *rb)
{
	char code[3] = { (char)('0' + rb->code / 100),
		         (char)('0' + rb->code / 10 % 10),
		         (char)('0' + rb->code % 10) };

	outbuf_lit(o, "SIP/2.0 ");
	outbuf_put(o, code, 3);
	outbuf_lit(o, " ");
	outbuf_put(o, rb->reason->s, rb->reason->len);
	outbuf_lit(o, "\r\n");
}

static void reply_tail(struct outbuf *o, const struct reply_build *rb)
{
	char line[FMT_UINT_MAX];
	int n, blen = rb->body ? rb->body->len : 0;

	if (rb->hdrs)
		outbuf_put(o, rb->hdrs->s, rb->hdrs->len);
	n = server_header_line(o->p + o->n, o->size - o->n);
	if (n < 0)
		o->full = 1;
	else
		o->n += n;
	outbuf_lit(o, "Content-Length: ");
	outbuf_put(o, line, fmt_uint(line, (unsigned)blen));
	outbuf_lit(o, "\r\n\r\n");
	if (blen)
		outbuf_put(o, rb->body->s, blen);
}

/* The to-tag the reply adds: NULL when none is asked or To has one. */
static int reply_to_tag(struct sip_msg *req, const struct reply_build *rb,
                        const str **tag)
{
	*tag = NULL;
	if (rb->to_tag == NULL || rb->to_tag->len == 0 ||
	    get_to(req)->tag_value.len > 0)
		return SV_OK;
	if (rb->to_tag->len > BRANCH_MAX)
		return SV_ETOOBIG;
	*tag = rb->to_tag;
	return SV_OK;
}

/*
 * The request's own header lines are copied as received: the script's
 * edits (lumps) belong to the request, not to the reply.  The two changes
 * a reply makes (the to-tag, received/rport on the top Via) are written
 * directly while copying.
 */
int build_reply(struct sip_msg *req, const struct reply_build *rb, char *out,
                int size)
{
	struct outbuf o = OUTBUF_INIT(out, size);
	struct via_fix f;
	const str *tag;
	int rc;

	if (!req->h_via1)
		return SV_EBADMSG;
	if (rb->code < 100 || rb->code > 999)
		return SV_EINVAL;
	/* a malformed request is answered too: what cannot be parsed is
	 * copied as it is (no to-tag, no received/rport) */
	tag = NULL;
	if (req->to && parse_to_header(req) == SV_OK &&
	    (rc = reply_to_tag(req, rb, &tag)) != SV_OK)
		return rc;
	reply_status_line(&o, rb);
	if (via_fix_plan(req, &f) == SV_OK) {
		out_top_via(&o, req, &f);
		out_headers(&o, req->h_via1->sibling);
	} else {
		out_headers(&o, req->h_via1);
	}
	out_header(&o, req->from);
	out_to(&o, req, tag);
	out_header(&o, req->callid);
	out_header(&o, req->cseq);
	if (rb->code >= 180 && rb->code < 300)
		out_headers(&o, req->record_route);
	reply_tail(&o, rb);
	return outbuf_result(&o);
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
