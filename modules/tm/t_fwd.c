/*
 * t_fwd.c - t_relay(), branch creation and sending (see t_fwd.h), and the
 * deferred work of a reply lock (t_funcs.h).
 *
 * A branch is built completely before it is published: destination
 * resolved, request printed into this process's scratch buffer with our
 * Via, then copied into the branch's one shm allocation.  Publication and
 * the arming of its timers happen in one reply-lock section, and only then
 * is the request sent: a reply racing back from a fast next hop always
 * finds its branch.
 */
#include "t_fwd.h"
#include "t_avp.h"
#include "t_cancel.h"
#include "t_funcs.h"
#include "t_lookup.h"
#include "t_msgbuilder.h"
#include "t_reply.h"
#include "t_routes.h"
#include "t_timer.h"
#include "tm_cfg.h"

#include "core/dset.h"
#include "core/errors.h"
#include "core/forward.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/msg_builder.h"
#include "core/resolve.h"
#include "core/socket.h"
#include "core/parser/method.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- after lock -- */

static char upstream_buf[SIP_MSG_MAX + 1];
static char ack_buf[SIP_MSG_MAX + 1];
static char scratch_buf[SIP_MSG_MAX + 1];

char *tm_upstream_buf(void)
{
	return upstream_buf;
}

char *tm_ack_buf(void)
{
	return ack_buf;
}

char *tm_scratch_buf(void)
{
	return scratch_buf;
}

tm_send_f tm_send_hook = msg_send;

void tm_after_send(struct tm_after *a, const struct dest_info *dst,
                   const char *buf, int len)
{
	if (a->n >= TM_AFTER_MAX) {
		LM_CRIT("tm: too many messages to send at once, one dropped\n");
		return;
	}
	a->out[a->n].dst = *dst;
	a->out[a->n].buf = buf;
	a->out[a->n].len = len;
	a->n++;
}

void tm_after_run(struct cell *t, struct tm_after *a)
{
	int i, rc;

	for (i = 0; i < a->n; i++) {
		rc = tm_send(&a->out[i].dst, a->out[i].buf, a->out[i].len);
		if (rc != SV_OK)
			LM_NOTICE(
			    "tm: %u:%u: a message could not be sent (%s)\n",
			    t->hash, t->label, sv_strerror(rc));
	}
	a->n = 0;
	if (a->failure) {
		a->failure = 0;
		tm_failure_run(t);
	}
	tm_unref_n(t, a->unref);
	a->unref = 0;
}

int tm_script_error(int rc)
{
	switch (rc) {
	case SV_EBADMSG:
	case SV_EBADTUPLE:
	case SV_EBADTO:
	case SV_EBADVER:
		return -2;
	case SV_ENODEST:
		return -3;
	case SV_EBADADDR:
	case SV_EBADURI:
	case SV_EBADSCHEME:
		return -4;
	case SV_EBLOCKED:
		return -5;
	case SV_ESEND:
		return -6;
	default:
		return -1;
	}
}

/* -------------------------------------------------------- destination -- */

/* Splits a leading "proto:" off s; PROTO_NONE when there is none. */
static int spec_proto(const char **s)
{
	const char *colon = strchr(*s, ':');
	str p;
	int proto;

	if (colon == NULL || colon == *s)
		return PROTO_NONE;
	p.s = (char *)*s;
	p.len = (int)(colon - *s);
	proto = proto_from_str(&p);
	if (proto != PROTO_NONE)
		*s = colon + 1;
	return proto;
}

/* Reads the port after ':'; 0 when malformed. */
static unsigned short spec_port(const char *p)
{
	char *end;
	long v = strtol(p, &end, 10);

	return (*p && *end == '\0' && v > 0 && v <= 65535) ? (unsigned short)v
	                                                   : 0;
}

int tm_dst_spec_parse(const char *s, struct tm_dst_spec *spec, char *err,
                      int errlen)
{
	const char *host, *end, *colon;
	struct ip_addr ip;
	str h;

	memset(spec, 0, sizeof(*spec));
	spec->proto = spec_proto(&s);
	if (spec->proto == PROTO_NONE)
		spec->proto = PROTO_UDP;
	host = s;
	end = *s == '[' ? strchr(s, ']') : NULL;
	colon = strchr(end ? end : s, ':');
	if (*s == '[' && (end == NULL || (end[1] && end[1] != ':'))) {
		snprintf(err, errlen, "bad IPv6 reference in '%s'", host);
		return SV_EINVAL;
	}
	if (colon && (spec->port = spec_port(colon + 1)) == 0) {
		snprintf(err, errlen, "bad port in '%s'", host);
		return SV_EINVAL;
	}
	h.s = (char *)host;
	h.len = colon ? (int)(colon - host) : (int)strlen(host);
	if (h.len == 0) {
		snprintf(err, errlen, "no host in '%s'", host);
		return SV_EINVAL;
	}
	spec->host = strndup(h.s, (size_t)h.len);
	if (spec->host == NULL)
		return SV_ENOMEM;
	if (ip_addr_parse(&h, &ip) == SV_OK) {
		su_from_ip(&spec->dst.to, &ip,
		           spec->port ? spec->port : SIP_DEFAULT_PORT);
		spec->dst.proto = spec->proto;
		spec->resolved = 1;
	}
	return SV_OK;
}

void tm_dst_spec_free(struct tm_dst_spec *spec)
{
	free(spec->host);
	spec->host = NULL;
}

int tm_dst_spec_resolve(const struct tm_dst_spec *spec, struct dest_info *dst)
{
	struct ip_addr ip;
	str h;

	if (spec->resolved) {
		*dst = spec->dst;
		return SV_OK;
	}
	h = str_from_cstr(spec->host);
	if (resolve_host(&h, &ip) != SV_OK)
		return SV_EBADADDR;
	memset(dst, 0, sizeof(*dst));
	su_from_ip(&dst->to, &ip, spec->port ? spec->port : SIP_DEFAULT_PORT);
	dst->proto = spec->proto;
	return SV_OK;
}

/* Where branch c goes: spec, else its $du, else its Request-URI. */
static int cand_dest(const struct tm_cand *c, const struct tm_dst_spec *spec,
                     struct dest_info *dst)
{
	struct socket_info *si = c->sock;
	int rc;

	if (spec)
		rc = tm_dst_spec_resolve(spec, dst);
	else
		rc = uri_to_dest(c->dst_uri.len ? &c->dst_uri : &c->uri, dst);
	if (rc != SV_OK)
		return rc;
	if (dst->proto != PROTO_UDP) {
		LM_NOTICE("tm: cannot relay over %s: transport not implemented "
		          "yet (UDP only)\n",
		          proto_name(dst->proto));
		return SV_EBADADDR;
	}
	if (si && si->proto == dst->proto &&
	    si->address.af == (unsigned)dst->to.s.sa_family)
		dst->send_sock = si;
	else
		dst->send_sock = socket_for_dest(dst->proto, &dst->to);
	if (dst->send_sock == NULL) {
		LM_ERR("tm: no socket to send from to that address family\n");
		return SV_EBADADDR;
	}
	return SV_OK;
}

/* The branch msg itself describes: its R-URI, $du, flags, socket. */
static void cand_of_msg(struct sip_msg *msg, struct tm_cand *c)
{
	c->uri = *msg_ruri(msg);
	c->dst_uri = msg->dst_uri;
	c->bflags = msg->ruri_bflags;
	c->sock = msg->force_send_socket;
}

/* Makes branch c msg's R-URI, $du, branch flags and socket. */
static int cand_apply(struct sip_msg *msg, const struct tm_cand *c)
{
	int rc = set_new_uri(msg, &c->uri);

	if (rc == SV_OK && c->dst_uri.len)
		rc = set_dst_uri(msg, &c->dst_uri);
	else if (rc == SV_OK)
		reset_dst_uri(msg);
	msg->ruri_bflags = c->bflags;
	msg->force_send_socket = c->sock;
	return rc;
}

/* ---------------------------------------------------------- branches -- */

int tm_build_branch(struct cell *t, struct sip_msg *src, int idx,
                    const struct tm_cand *c, const struct tm_dst_spec *spec,
                    struct tm_branch **out)
{
	char id[TM_BRANCH_MAX];
	char *buf = tm_scratch_buf();
	struct req_build rb;
	str branch = {id, 0};
	struct dest_info dst;
	struct tm_branch *b;
	int n = cand_dest(c, spec, &dst);

	if (n != SV_OK)
		return n;
	branch.len = tm_branch_id(t, idx, id);
	memset(&rb, 0, sizeof(rb));
	rb.ruri = &c->uri;
	rb.send_sock = dst.send_sock;
	rb.branch = &branch;
	n = build_request(src, &rb, buf, SIP_MSG_MAX);
	if (n < 0)
		return n == SV_EINVAL ? SV_EBADMSG : n;
	b = tm_branch_alloc(t, idx, buf, (uint32_t)n);
	if (b == NULL)
		return SV_ENOMEM;
	b->dst.first = dst;
	b->uri_off = (uint16_t)(REQ_LINE(src).method.len + 1);
	b->uri_len = (uint16_t)c->uri.len;
	b->bflags = c->bflags;
	*out = b;
	return SV_OK;
}

/*
 * Branch c through branch_route r: the route runs on src made into the
 * branch; what it leaves (R-URI, $du, flags, socket, header edits) is what
 * the branch is built with, then src is given back its own.  *out NULL:
 * the route dropped the branch.
 */
static int build_routed(struct cell *t, struct sip_msg *src, int idx,
                        const struct tm_cand *c, const struct tm_dst_spec *spec,
                        const struct cfg_route *r, struct tm_branch **out)
{
	struct msg_branch_state saved;
	struct tm_cand now;
	unsigned mark = lump_mark();
	int rc = msg_branch_save(src, &saved);

	if (rc != SV_OK)
		return rc;
	*out = NULL;
	rc = cand_apply(src, c);
	if (rc == SV_OK && !tm_branch_route(t, r, src, idx)) {
		cand_of_msg(src, &now);
		rc = tm_build_branch(t, src, idx, &now, spec, out);
	}
	lumps_drop_since(src, mark);
	msg_branch_restore(src, &saved);
	return rc;
}

/*
 * The branches t_relay makes: the R-URI's (with_ruri) then the
 * destination set's, at most max.  Returns how many.
 */
static int collect(struct sip_msg *msg, int with_ruri, struct tm_cand *c,
                   int max)
{
	struct dset_branch *d;
	int i, n = 0;

	if (with_ruri && n < max)
		cand_of_msg(msg, &c[n++]);
	for (i = 0; (d = dset_branch(i)) != NULL; i++) {
		if (n >= max) {
			LM_WARN("tm: more than %d branches: the last %d of the "
			        "destination set are not relayed\n",
			        TM_MAX_BRANCHES, dset_count() - i);
			break;
		}
		c[n].uri = d->uri;
		c[n].dst_uri = d->dst_uri;
		c[n].bflags = d->flags;
		c[n].sock = d->force_send_socket;
		n++;
	}
	return n;
}

/*
 * Builds the branches of cands c[0..nc) into nb from index first.
 * Returns how many were built (a branch that cannot be built, or that its
 * branch route drops, is skipped), or when none: the last error, or
 * SV_ENODEST when every one was dropped.
 */
static int build_all(struct cell *t, struct sip_msg *src,
                     const struct tm_dst_spec *spec, const struct tm_cand *c,
                     int nc, int first, struct tm_branch **nb)
{
	const struct cfg_route *r = tm_armed(t, TM_ON_BRANCH);
	int i, n = 0, rc, err = SV_ENODEST;

	for (i = 0; i < nc; i++) {
		nb[n] = NULL;
		if (r)
			rc = build_routed(t, src, first + n, &c[i], spec, r,
			                  &nb[n]);
		else
			rc = tm_build_branch(t, src, first + n, &c[i], spec,
			                     &nb[n]);
		if (rc != SV_OK) {
			LM_NOTICE(
			    "tm: %u:%u: branch to %.*s not relayed (%s)\n",
			    t->hash, t->label, STR_FMT(&c[i].uri),
			    sv_strerror(rc));
			err = rc;
		} else if (nb[n]) {
			n++;
		}
	}
	return n > 0 ? n : err;
}

int tm_publish(struct cell *t, struct tm_branch **nb, int n, int first,
               uint32_t fr_ms, uint32_t fr_inv_ms)
{
	struct tm_branch *b;
	int taken, i, rc = SV_OK;

	taken = tm_lock_reply(t);
	if ((t->flags & (T_CANCELLED | T_GOT_6XX | T_COMPLETED)) ||
	    t->nr_branches != first) {
		rc = SV_ENODEST;
	} else {
		t->fr_ms = fr_ms;
		t->fr_inv_ms = fr_inv_ms;
		for (i = 0; i < n; i++) {
			b = nb[i];
			t->br[first + i] = b;
			if (tm_branch_dst(b)->proto == PROTO_UDP)
				tm_arm_retr(b, (uint32_t)tm_cfg.t1);
			tm_arm_fr(b, tm_t_fr_ms(t));
		}
		t->first_branch = (uint16_t)first;
		__atomic_store_n(&t->nr_branches, (uint16_t)(first + n),
		                 __ATOMIC_RELEASE);
	}
	tm_unlock_reply(t, taken);
	return rc;
}

int tm_send_branches(struct cell *t, struct tm_branch **nb, int n)
{
	struct tm_after a;
	int i, sent = 0, taken;

	for (i = 0; i < n; i++) {
		if (tm_send(tm_branch_dst(nb[i]), nb[i]->buf,
		            (int)nb[i]->len) == SV_OK) {
			sent++;
			continue;
		}
		tm_after_init(&a);
		taken = tm_lock_reply(t);
		nb[i]->flags |= TB_SEND_FAILED;
		if (nb[i]->status < 200)
			tm_branch_fake(t, nb[i], 477, &a);
		tm_unlock_reply(t, taken);
		tm_after_run(t, &a);
	}
	return sent;
}

int tm_next_branch(struct cell *t)
{
	int taken, rc;

	taken = tm_lock_reply(t);
	if (t->flags & (T_CANCELLED | T_GOT_6XX | T_COMPLETED))
		rc = SV_ENODEST;
	else if (t->nr_branches >= TM_MAX_BRANCHES)
		rc = SV_ETOOMANY;
	else
		rc = t->nr_branches;
	tm_unlock_reply(t, taken);
	return rc;
}

int tm_add_blind(struct cell *t, struct sip_msg *msg)
{
	const str *uri = msg_ruri(msg);
	struct tm_branch *b;
	uint32_t fr_ms, fr_inv_ms;
	int first = tm_next_branch(t), rc;

	if (first < 0)
		return first;
	b = tm_branch_alloc(t, first, uri->s, (uint32_t)uri->len);
	if (b == NULL)
		return SV_ENOMEM;
	b->uri_len = (uint16_t)uri->len; /* buf holds the URI only */
	b->bflags = msg->ruri_bflags;
	b->flags = TB_BLIND; /* dst stays PROTO_NONE: no retransmission */
	tm_avp_timeouts(msg, &fr_ms, &fr_inv_ms);
	rc = tm_avp_store(t);
	if (rc == SV_OK)
		rc = tm_publish(t, &b, 1, first, fr_ms, fr_inv_ms);
	if (rc != SV_OK)
		tm_branch_free(b);
	return rc;
}

/*
 * Whether the R-URI is a branch of this t_relay: always in a request
 * route; in a failure route only when no branch was appended and the
 * route rewrote the R-URI or $du, or t_relay names a destination.
 */
static int with_ruri(struct sip_msg *msg, const struct tm_dst_spec *spec)
{
	if (msg != tm_ctx.fake)
		return 1;
	if (dset_count() > 0)
		return 0;
	return spec || msg->dst_uri.len ||
	       !str_eq(msg_ruri(msg), &tm_ctx.fail_uri);
}

/* Builds, publishes and sends the branches of src; see tm_forward(). */
static int fork_branches(struct cell *t, struct sip_msg *msg,
                         struct sip_msg *src, const struct tm_dst_spec *spec)
{
	struct tm_cand c[TM_MAX_BRANCHES];
	struct tm_branch *nb[TM_MAX_BRANCHES];
	uint32_t fr_ms, fr_inv_ms;
	int first, nc, n, rc;

	first = tm_next_branch(t);
	if (first < 0)
		return first;
	nc = collect(msg, with_ruri(msg, spec), c, TM_MAX_BRANCHES - first);
	if (nc == 0)
		return SV_ENODEST;
	n = build_all(t, src, spec, c, nc, first, nb);
	if (n < 0)
		return n;
	tm_avp_timeouts(src, &fr_ms, &fr_inv_ms);
	rc = tm_avp_store(t);
	if (rc == SV_OK)
		rc = tm_publish(t, nb, n, first, fr_ms, fr_inv_ms);
	if (rc != SV_OK) {
		while (n-- > 0)
			tm_branch_free(nb[n]);
		return rc;
	}
	return tm_send_branches(t, nb, n) > 0 ? SV_OK : SV_ESEND;
}

/*
 * The request t's copy holds, with msg's per-branch state and flags (the
 * script may have changed them since t_newtran()).
 */
static int copy_request(struct cell *t, struct sip_msg *msg,
                        struct sip_msg *src)
{
	struct tm_cand c;
	int rc = tm_parse_request(t, src);

	if (rc != SV_OK)
		return rc;
	cand_of_msg(msg, &c);
	src->flags = msg->flags;
	return cand_apply(src, &c);
}

int tm_forward(struct cell *t, struct sip_msg *msg,
               const struct tm_dst_spec *spec, int from_msg)
{
	struct sip_msg copy;
	int rc;

	if (from_msg) {
		rc = fork_branches(t, msg, msg, spec);
	} else {
		rc = copy_request(t, msg, &copy);
		if (rc == SV_OK) {
			rc = fork_branches(t, msg, &copy, spec);
			msg->flags = copy.flags; /* a branch route's setflag */
		} else if (rc == SV_EINVAL) {
			rc = SV_EBADMSG;
		}
		free_sip_msg(&copy);
	}
	dset_clear(); /* the destination set is used up */
	return rc;
}

/* ----------------------------------------------------------- t_relay -- */

/* An ACK: absorbed, consumed, or relayed statelessly. */
static int relay_ack(struct sip_msg *msg, const struct tm_dst_spec *spec)
{
	struct dest_info dst;
	int rc;

	if (tm_ctx.t == T_UNDEFINED) {
		rc = tm_newtran(msg);
		if (rc <= 0)
			return rc == 0 ? 0 : tm_script_error(rc);
	}
	if (tm_ctx.t != NULL)
		return 1; /* the ACK of our own 2xx: it ends there */
	if (spec == NULL)
		rc = forward_request(msg, NULL);
	else if ((rc = tm_dst_spec_resolve(spec, &dst)) == SV_OK)
		rc = forward_request(msg, &dst);
	if (rc != SV_OK)
		sv_last_error = rc;
	return rc == SV_OK ? 1 : tm_script_error(rc);
}

/* 100 Trying for a new INVITE, before anything may block. */
static void send_trying(struct cell *t, struct sip_msg *msg)
{
	static const str trying = STR_LIT("Trying");

	tm_t_reply(t, msg, 100, &trying);
}

int tm_t_relay(struct sip_msg *msg, const struct tm_dst_spec *spec,
               unsigned flags)
{
	struct cell *t;
	int rc, created = 0;

	if (!msg_is_request(msg))
		return -1;
	if (msg_method(msg) == METHOD_ACK)
		return relay_ack(msg, spec);
	if (tm_ctx.t == T_UNDEFINED || tm_ctx.t == NULL) {
		rc = tm_newtran(msg);
		if (rc <= 0)
			return rc == 0 ? 0 : tm_script_error(rc);
		created = 1;
	}
	t = tm_ctx.t;
	rc = SV_ENOTFOUND;
	if (t->flags & T_IS_CANCEL)
		rc = tm_relay_cancel(t, msg);
	if (rc == SV_ENOTFOUND) {
		if (created && (t->flags & T_IS_INVITE) &&
		    !(flags & TM_RELAY_NO_100))
			send_trying(t, msg);
		if (flags & TM_RELAY_NO_DNS_FAILOVER)
			__atomic_fetch_or(&t->flags, T_NO_DNS_FAILOVER,
			                  __ATOMIC_RELAXED);
		rc = tm_forward(t, msg, spec, created || msg == tm_ctx.fake);
	}
	if (rc == SV_OK) {
		tm_ctx.kr = TM_KR_FWDED;
		return 1;
	}
	sv_last_error = rc;
	if (created && !(flags & TM_RELAY_NO_ERR_REPLY)) {
		tm_terminate(t, msg, rc, 1);
		tm_ctx.kr = TM_KR_RPLD;
	}
	return tm_script_error(rc);
}
