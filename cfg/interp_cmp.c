/*
 * interp_cmp.c - comparisons and OpenSER's keyword operands.
 *
 * The keyword operands are read straight from the message: method (the
 * CSeq method for replies), uri (the current R-URI), status, from_uri,
 * to_uri, src_ip, dst_ip, src_port, dst_port, proto, af, msg:len.
 *
 * Comparison rules:
 *   - X == null / != null: whether X (a pseudo-variable) has no value;
 *   - uri/from_uri/to_uri == myself: the URI's host and port (5060 when
 *     absent) are one of our listen sockets or aliases; src_ip/dst_ip ==
 *     myself: the address is one of our listen addresses; a
 *     pseudo-variable == myself: its value as a URI, or else as a host;
 *   - src_ip/dst_ip == address[/mask]: network match; == "name": the
 *     name resolved (first address) and compared;
 *   - =~ and !~: POSIX extended regex, case-insensitive, against the left
 *     side's text; the regex was compiled at fixup when written as a
 *     literal, else it comes from the run-time cache;
 *   - otherwise values: numerically when one side is an integer and the
 *     other reads as one, else as strings - ignoring case for the keyword
 *     operands method, uri, from_uri and to_uri (OpenSER compared those
 *     with strncasecmp), exactly for everything else.  A null side is
 *     only equal to another null.
 */
#include <string.h>
#include <strings.h>

#include "interp_priv.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/pv_core.h"
#include "core/resolve.h"
#include "core/socket.h"
#include "core/parser/cseq.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"
#include "core/parser/to_from.h"

static void v_null(struct pv_value *v)
{
	v->flags = PV_VAL_NULL;
	v->ri = 0;
	v->rs.s = NULL;
	v->rs.len = 0;
}

static void v_int(struct pv_value *v, long n)
{
	v->flags = PV_VAL_INT;
	v->ri = n;
	v->rs.s = NULL;
	v->rs.len = 0;
}

static void v_str(struct pv_value *v, const str *s)
{
	if (!s || !s->s)
		return v_null(v);
	v->flags = PV_VAL_STR;
	v->rs = *s;
	v->ri = 0;
}

static void ip_text(const struct ip_addr *ip, struct pv_value *v)
{
	char *p = scratch_alloc(IP_ADDR_MAX_STR);
	str s;

	if (!p || (s.len = ip_addr_print(ip, p, IP_ADDR_MAX_STR)) < 0)
		return v_null(v);
	s.s = p;
	v_str(v, &s);
}

static void method_value(struct sip_msg *msg, struct pv_value *v)
{
	if (msg_is_request(msg))
		return v_str(v, &REQ_LINE(msg).method);
	if (msg->cseq && parse_cseq_header(msg) == SV_OK)
		return v_str(v, &get_cseq(msg)->method);
	v_null(v);
}

static void addr_uri_value(struct sip_msg *msg, int to, struct pv_value *v)
{
	int rc = to ? parse_to_header(msg) : parse_from_header(msg);

	if (rc != SV_OK)
		return v_null(v);
	v_str(v, to ? &get_to(msg)->uri : &get_from(msg)->uri);
}

void operand_value(struct route_frame *f, const struct cfg_operand *o,
                   struct pv_value *v)
{
	struct sip_msg *msg = f->msg;

	switch (o->kind) {
	case OPD_NUMBER:
		return v_int(v, o->num);
	case OPD_STRING:
		return v_str(v, &o->s);
	case OPD_PV:
		pv_get(msg, o->pv.spec, v);
		return;
	case OPD_NET:
		return ip_text(&o->net.ip, v);
	case OPD_METHOD:
		return method_value(msg, v);
	case OPD_URI:
		return msg_is_request(msg) ? v_str(v, msg_ruri(msg))
		                           : v_null(v);
	case OPD_STATUS:
		if (!msg_is_reply(msg))
			return v_null(v);
		v_str(v, &REPLY_LINE(msg).status);
		v->flags |= PV_VAL_INT;
		v->ri = REPLY_LINE(msg).statuscode;
		return;
	case OPD_FROM_URI:
	case OPD_TO_URI:
		return addr_uri_value(msg, o->kind == OPD_TO_URI, v);
	case OPD_SRC_IP:
		return ip_text(&msg->rcv.src_ip, v);
	case OPD_DST_IP:
		return ip_text(&msg->rcv.dst_ip, v);
	case OPD_SRC_PORT:
		return v_int(v, msg->rcv.src_port);
	case OPD_DST_PORT:
		return v_int(v, msg->rcv.dst_port);
	case OPD_PROTO:
		return v_int(v, msg->rcv.proto);
	case OPD_AF:
		return v_int(v, msg->rcv.src_ip.af);
	case OPD_MSGLEN:
		return v_int(v, msg->len);
	default: /* null, myself */
		return v_null(v);
	}
}

/* A URI (or, failing that, a host) names this server. */
static int text_is_myself(const str *s)
{
	struct sip_uri u;

	if (s->len <= 0)
		return 0;
	if (parse_uri(s->s, s->len, &u) == SV_OK) {
		if (u.type != URI_SIP && u.type != URI_SIPS)
			return 0;
		return socket_is_myself(&u.host, u.port_no ? u.port_no
		                                           : SIP_DEFAULT_PORT);
	}
	return socket_is_myself(s, 0);
}

static int uri_is_myself(struct route_frame *f, enum cfg_opd_kind k)
{
	struct sip_msg *msg = f->msg;
	struct sip_uri *u;
	int rc;

	if (k == OPD_URI) {
		if (parse_sip_msg_uri(msg) != SV_OK)
			return 0;
		u = &msg->parsed_uri;
	} else {
		rc = k == OPD_TO_URI ? parse_to_uri(msg, &u)
		                     : parse_from_uri(msg, &u);
		if (rc != SV_OK)
			return 0;
	}
	if (u->type != URI_SIP && u->type != URI_SIPS)
		return 0;
	return socket_is_myself(&u->host,
	                        u->port_no ? u->port_no : SIP_DEFAULT_PORT);
}

static int is_myself(struct route_frame *f, const struct cfg_expr *l)
{
	enum cfg_opd_kind k = l->kind == EXPR_OPERAND ? l->u.opd.kind : 0;
	struct pv_value v;

	switch (k) {
	case OPD_URI:
	case OPD_FROM_URI:
	case OPD_TO_URI:
		return uri_is_myself(f, k);
	case OPD_SRC_IP:
	case OPD_DST_IP:
	default:
		eval_value(f, l, &v);
		return (v.flags & PV_VAL_STR) && text_is_myself(&v.rs);
	}
}

static int net_match(const struct ip_addr *ip, const struct cfg_net *n)
{
	unsigned i;

	if (ip->af != n->ip.af)
		return 0;
	for (i = 0; i < ip->len; i++)
		if ((ip->u.addr[i] & n->mask.u.addr[i]) !=
		    (n->ip.u.addr[i] & n->mask.u.addr[i]))
			return 0;
	return 1;
}

/* src_ip/dst_ip == network, or == "host name" (resolved). */
static int ip_equals(struct route_frame *f, enum cfg_opd_kind k,
                     const struct cfg_operand *r)
{
	const struct ip_addr *ip =
	    k == OPD_SRC_IP ? &f->msg->rcv.src_ip : &f->msg->rcv.dst_ip;
	struct ip_addr addr;

	if (r->kind == OPD_NET)
		return net_match(ip, &r->net);
	if (resolve_host(&r->s, &addr) != SV_OK)
		return 0;
	return ip_addr_eq(ip, &addr);
}

/* s1 <=> s2 as bytes (ci: ignoring ASCII case), then by length. */
static int str_cmp(const str *a, const str *b, int ci)
{
	int n = a->len < b->len ? a->len : b->len;
	int c =
	    n ? (ci ? strncasecmp(a->s, b->s, n) : memcmp(a->s, b->s, n)) : 0;

	return c ? c : a->len - b->len;
}

static int cmp_result(int op, long c)
{
	switch (op) {
	case TK_EQ:
		return c == 0;
	case TK_NE:
		return c != 0;
	case TK_LT:
		return c < 0;
	case TK_GT:
		return c > 0;
	case TK_LE:
		return c <= 0;
	default:
		return c >= 0;
	}
}

/* Text of a value; integers printed into scratch. */
static int value_text(const struct pv_value *v, str *s)
{
	char *p;

	if (v->flags & PV_VAL_STR) {
		*s = v->rs;
		return 1;
	}
	if (!(v->flags & PV_VAL_INT) || !(p = scratch_alloc(24)))
		return 0;
	s->s = p;
	s->len = pv_itoa(v->ri, p);
	return 1;
}

static int cmp_values(int op, const struct pv_value *l,
                      const struct pv_value *r, int ci)
{
	long a, b;
	str x, y;

	if ((l->flags & PV_VAL_NULL) || (r->flags & PV_VAL_NULL)) {
		int both = (l->flags & r->flags & PV_VAL_NULL) != 0;

		return op == TK_EQ ? both : op == TK_NE ? !both : 0;
	}
	if (((l->flags | r->flags) & PV_VAL_INT) &&
	    pv_value_to_int(l, &a) == SV_OK && pv_value_to_int(r, &b) == SV_OK)
		return cmp_result(op, a < b ? -1 : a > b);
	if (!value_text(l, &x) || !value_text(r, &y))
		return 0;
	if ((op == TK_EQ || op == TK_NE) && x.len != y.len)
		return op == TK_NE; /* the usual method == "ACK": no compare */
	return cmp_result(op, str_cmp(&x, &y, ci));
}

static int eval_match(struct route_frame *f, const struct cfg_expr *e,
                      const struct pv_value *l)
{
	const struct cfg_expr *r = e->u.bin.r;
	struct pv_value rv;
	str text, pat;
	int m;

	if (!value_text(l, &text))
		return e->op == TK_NOMATCH;
	if (r->kind == EXPR_OPERAND && r->u.opd.re) {
		m = regex_match(r->u.opd.re, &text);
	} else {
		eval_value(f, r, &rv);
		m = value_text(&rv, &pat) && re_cache_match(&pat, &text);
	}
	return e->op == TK_MATCH ? m : !m;
}

static int keep(struct pv_value *v)
{
	char *p;

	if (!(v->flags & PV_VAL_STR) || v->rs.len == 0)
		return 1;
	if (!(p = scratch_alloc(v->rs.len)))
		return 0;
	memcpy(p, v->rs.s, v->rs.len);
	v->rs.s = p;
	return 1;
}

static int is_ci_kind(enum cfg_opd_kind k)
{
	return k == OPD_METHOD || k == OPD_URI || k == OPD_FROM_URI ||
	       k == OPD_TO_URI;
}

int eval_cmp(struct route_frame *f, const struct cfg_expr *e)
{
	const struct cfg_expr *l = e->u.bin.l, *r = e->u.bin.r;
	enum cfg_opd_kind lk = l->kind == EXPR_OPERAND ? l->u.opd.kind : 0;
	enum cfg_opd_kind rk = r->kind == EXPR_OPERAND ? r->u.opd.kind : 0;
	struct pv_value lv, rv;
	int eq = e->op == TK_EQ;

	if (rk == OPD_MYSELF)
		return is_myself(f, l) == eq;
	if ((lk == OPD_SRC_IP || lk == OPD_DST_IP) &&
	    (rk == OPD_NET || rk == OPD_STRING) &&
	    (e->op == TK_EQ || e->op == TK_NE))
		return ip_equals(f, lk, &r->u.opd) == eq;
	eval_value(f, l, &lv);
	if (f->flags & RUN_EXIT)
		return 0;
	if (e->op == TK_MATCH || e->op == TK_NOMATCH)
		return eval_match(f, e, &lv);
	if (rk != OPD_NUMBER && rk != OPD_STRING && rk != OPD_NULL &&
	    !keep(&lv))
		return 0;
	eval_value(f, r, &rv);
	if (f->flags & RUN_EXIT)
		return 0;
	return cmp_values(e->op, &lv, &rv, is_ci_kind(lk) || is_ci_kind(rk));
}
