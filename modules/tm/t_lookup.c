/*
 * t_lookup.c - matching requests and replies to transactions, creating
 * transactions, and the per-process current transaction (see t_lookup.h).
 *
 * A lookup walks one bucket under its lock and compares each cell's keys
 * (immutable, so no reply lock is needed) with the request's.  The reply
 * state an ACK lookup needs (the final code sent upstream, whether tm
 * built it) is read with atomic loads and checked again under the reply
 * lock before anything is changed.
 *
 * Creation prints the request copy and allocates the cell before taking
 * the bucket lock; under the lock the bucket is searched once more and the
 * cell inserted only when no match appeared, so a retransmission handled
 * by another process at the same moment finds either nothing or the whole
 * cell, and the bucket lock is held only for a search and an insertion.
 */
#include "t_lookup.h"
#include "t_funcs.h"
#include "t_msgbuilder.h"
#include "t_reply.h"
#include "t_routes.h"
#include "t_stats.h"
#include "t_timer.h"
#include "tm_cfg.h"

#include "core/errors.h"
#include "core/forward.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/msg_builder.h"
#include "core/parser/cseq.h"
#include "core/parser/method.h"
#include "core/parser/msg.h"
#include "core/parser/to_from.h"
#include "core/parser/via.h"
#include "shm/shm.h"
#include "timer/timer.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct tm_proc_ctx tm_ctx = {.t = T_UNDEFINED};

/* ---------------------------------------------------------------- keys -- */

int tm_mkeys_get(struct sip_msg *msg, struct tm_mkeys *k)
{
	struct via_body *v;
	struct cseq_body *cs;

	if (!msg_is_request(msg) || parse_via1(msg) != SV_OK ||
	    msg->callid == NULL || parse_from_header(msg) != SV_OK ||
	    parse_to_header(msg) != SV_OK || parse_cseq_header(msg) != SV_OK)
		return SV_EBADTUPLE;
	v = msg->via1;
	cs = get_cseq(msg);
	memset(k, 0, sizeof(*k));
	k->method = REQ_LINE(msg).method;
	k->method_id = REQ_LINE(msg).method_value;
	k->ruri = REQ_LINE(msg).uri;
	k->callid = msg->callid->body;
	k->from = msg->from->body;
	k->fromtag = get_from(msg)->tag_value;
	k->to = msg->to->body;
	k->touri = get_to(msg)->uri;
	k->totag = get_to(msg)->tag_value;
	k->via1 = v->hdr;
	if (v->branch)
		k->branch = v->branch->body;
	k->viahost = v->host;
	k->via_port = v->port;
	k->via_proto = (uint8_t)v->proto;
	k->cseq = cs->num;
	k->cseq_method = cs->method_id;
	k->rfc3261 = k->branch.len > MAGIC_COOKIE_LEN &&
	             memcmp(k->branch.s, MAGIC_COOKIE, MAGIC_COOKIE_LEN) == 0;
	return SV_OK;
}

/* Key k of t equals s (bytes). */
static int key_eq(const struct cell *t, int k, const str *s)
{
	return t->key[k].len == s->len &&
	       memcmp(t->buf + t->key[k].off, s->s, (size_t)s->len) == 0;
}

static int key_caseeq(const struct cell *t, int k, const str *s)
{
	return t->key[k].len == s->len &&
	       strncasecmp(t->buf + t->key[k].off, s->s, (size_t)s->len) == 0;
}

/* Same method as the request that created t (unknown ones by name). */
static int same_method(const struct cell *t, const struct tm_mkeys *k)
{
	if (t->method != k->method_id)
		return 0;
	return t->method != METHOD_OTHER || key_eq(t, TMK_METHOD, &k->method);
}

/* RFC 3261 §17.2.3: branch, sent-by. */
static int match_3261(const struct cell *t, const struct tm_mkeys *k)
{
	return t->rfc3261 && key_eq(t, TMK_BRANCH, &k->branch) &&
	       t->via_port == k->via_port &&
	       key_caseeq(t, TMK_VIAHOST, &k->viahost);
}

/* The optional parts of RFC 2543 matching. */
static int match_2543_opt(const struct cell *t, const struct tm_mkeys *k)
{
	if (tm_cfg.ruri_matching && !key_eq(t, TMK_RURI, &k->ruri))
		return 0;
	if (tm_cfg.via1_matching && !key_eq(t, TMK_VIA1, &k->via1))
		return 0;
	return 1;
}

/* RFC 2543: Call-ID, CSeq, From, To (+ R-URI, Via). */
static int match_2543(const struct cell *t, const struct tm_mkeys *k,
                      enum tm_match_kind kind)
{
	if (t->rfc3261 || t->cseq != k->cseq ||
	    !key_eq(t, TMK_CALLID, &k->callid) ||
	    !key_eq(t, TMK_FROM, &k->from))
		return 0;
	if (kind == TM_MATCH_REQ) {
		if (!key_eq(t, TMK_TO, &k->to))
			return 0;
	} else if (!key_eq(t, TMK_TOURI, &k->touri)) {
		return 0; /* ACK and CANCEL: To tags are not compared */
	}
	return match_2543_opt(t, k);
}

int tm_match_request(const struct cell *t, const struct tm_mkeys *k,
                     enum tm_match_kind kind)
{
	if ((kind == TM_MATCH_REPLICA) != ((t->flags & T_IS_REPLICA) != 0))
		return 0;
	if (kind == TM_MATCH_REPLICA)
		kind = TM_MATCH_REQ;
	if (kind == TM_MATCH_REQ) {
		if (!same_method(t, k))
			return 0;
	} else if (!(t->flags & T_IS_INVITE)) {
		return 0;
	}
	return k->rfc3261 ? match_3261(t, k) : match_2543(t, k, kind);
}

int tm_match_local_ack(const struct cell *t, const struct tm_mkeys *k)
{
	return (t->flags & T_IS_INVITE) && t->cseq == k->cseq &&
	       key_eq(t, TMK_CALLID, &k->callid) &&
	       key_eq(t, TMK_FROMTAG, &k->fromtag) &&
	       tm_is_our_tag(t, &k->totag);
}

/* ------------------------------------------------------------- lookups -- */

struct cell *tm_lookup_locked(unsigned hash, const struct tm_mkeys *k,
                              enum tm_match_kind kind)
{
	struct cell *t;

	for (t = tm_bucket_first(hash); t; t = t->next) {
		if (tm_match_request(t, k, kind)) {
			tm_ref(t);
			return t;
		}
	}
	return NULL;
}

struct cell *tm_lookup_invite(const struct tm_mkeys *k)
{
	unsigned hash = tm_hash(&k->callid, k->cseq);
	struct cell *t;

	tm_bucket_lock(hash);
	t = tm_lookup_locked(hash, k, TM_MATCH_CANCEL);
	tm_bucket_unlock(hash);
	return t;
}

/* How an ACK relates to INVITE transaction t, from its reply state. */
static enum tm_ack_kind ack_kind(const struct cell *t, const struct tm_mkeys *k)
{
	int st = __atomic_load_n(&t->uas.status, __ATOMIC_ACQUIRE);
	unsigned fl = __atomic_load_n(&t->flags, __ATOMIC_ACQUIRE);

	if (!(t->flags & T_IS_INVITE) || st < 200)
		return TM_ACK_NONE;
	if (st < 300)
		return (fl & T_LOCAL_FINAL) && tm_match_local_ack(t, k)
		           ? TM_ACK_LOCAL
		           : TM_ACK_NONE;
	return tm_match_request(t, k, TM_MATCH_ACK) ? TM_ACK_HOP : TM_ACK_NONE;
}

/* The ACK came: stop resending the final reply; the transaction ends. */
static void ack_received(struct cell *t, enum tm_ack_kind kind)
{
	struct tm_after a;
	int taken;

	tm_after_init(&a);
	taken = tm_lock_reply(t);
	if (!(t->flags & T_ACKED) && t->uas.status >= 200 &&
	    (kind == TM_ACK_HOP) == (t->uas.status >= 300)) {
		t->flags |= T_ACKED;
		tm_stop_uas_retr(t, &a);
		tm_put_on_wait(t, &a);
	}
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
}

enum tm_ack_kind tm_lookup_ack(struct sip_msg *msg, const struct tm_mkeys *k,
                               struct cell **found)
{
	unsigned hash = tm_hash(&k->callid, k->cseq);
	enum tm_ack_kind kind = TM_ACK_NONE;
	struct cell *t;

	tm_bucket_lock(hash);
	for (t = tm_bucket_first(hash); t; t = t->next) {
		kind = ack_kind(t, k);
		if (kind != TM_ACK_NONE) {
			tm_ref(t);
			break;
		}
	}
	tm_bucket_unlock(hash);
	*found = t;
	if (t)
		ack_received(t, kind);
	return kind;
}

/*
 * Finds the cell a reply of CSeq method with our branch id (hash, label
 * or md5, idx) belongs to; bucket lock held.  With syn_branch=0 an INVITE
 * and the CANCEL received for it have the same MD5, so every cell with the
 * id is tried: the one that has branch idx and the reply's method (a
 * reply to our CANCEL goes to the INVITE).
 */
static struct cell *find_by_id(unsigned hash, unsigned label, const str *md5,
                               unsigned idx, int method)
{
	struct cell *t;

	for (t = tm_bucket_first(hash); t; t = t->next) {
		if (!(md5->len
		          ? key_eq(t, TMK_MD5, md5)
		          : (t->label == label && t->key[TMK_MD5].len == 0)))
			continue;
		if (idx < __atomic_load_n(&t->nr_branches, __ATOMIC_ACQUIRE) &&
		    (method == t->method ||
		     (method == METHOD_CANCEL && (t->flags & T_IS_INVITE))))
			return t;
	}
	return NULL;
}

int tm_lookup_reply(struct sip_msg *msg, struct cell **found, int *branch,
                    int *to_cancel)
{
	unsigned hash, label, idx;
	struct cell *t;
	int method;
	str md5;

	if (parse_via1(msg) != SV_OK || msg->via1->branch == NULL ||
	    tm_parse_branch_id(&msg->via1->branch->body, &hash, &label, &md5,
	                       &idx) != SV_OK ||
	    parse_cseq_header(msg) != SV_OK)
		return SV_ENOTFOUND;
	method = get_cseq(msg)->method_id;
	tm_bucket_lock(hash);
	t = find_by_id(hash, label, &md5, idx, method);
	if (t)
		tm_ref(t);
	tm_bucket_unlock(hash);
	if (t == NULL)
		return SV_ENOTFOUND;
	*found = t;
	*branch = (int)idx;
	*to_cancel = method == METHOD_CANCEL && t->method != METHOD_CANCEL;
	return SV_OK;
}

/* ------------------------------------------------------------ creation -- */

/* The keys of k as (pointer, length) pairs in key order. */
static void key_strs(const struct tm_mkeys *k, str *s)
{
	s[TMK_METHOD] = k->method;
	s[TMK_RURI] = k->ruri;
	s[TMK_CALLID] = k->callid;
	s[TMK_FROM] = k->from;
	s[TMK_FROMTAG] = k->fromtag;
	s[TMK_TO] = k->to;
	s[TMK_TOURI] = k->touri;
	s[TMK_VIA1] = k->via1;
	s[TMK_BRANCH] = k->branch;
	s[TMK_VIAHOST] = k->viahost;
	s[TMK_MD5].s = NULL;
	s[TMK_MD5].len = 0;
}

/* The MD5 part of syn_branch=0 branch ids, into md5 (32 bytes). */
static void request_md5(const struct tm_mkeys *k, char *md5)
{
	char num[16];
	str parts[6] = {k->callid, {num, 0}, k->fromtag,
	                k->totag,  k->ruri,  k->via1};

	parts[1].len = snprintf(num, sizeof(num), "%u", k->cseq);
	tm_request_md5(parts, 6, md5);
}

/*
 * Fills t->buf and t->key: the printed request (pr, len) first; keys are
 * offsets into it when it is the received buffer itself (copied is 0),
 * else copies appended after it.  Then the MD5 part, if any.
 */
static void fill_request(struct cell *t, const struct sip_msg *msg,
                         const char *pr, uint32_t len, int copied,
                         const str *ks, const char *md5)
{
	uint32_t off = len;
	int i;

	memcpy(t->buf, pr, len);
	t->req_len = len;
	for (i = 0; i < TMK_MD5; i++) {
		if (!copied) {
			t->key[i].off =
			    ks[i].len ? (uint16_t)(ks[i].s - msg->buf) : 0;
		} else {
			memcpy(t->buf + off, ks[i].s, (size_t)ks[i].len);
			t->key[i].off = (uint16_t)off;
			off += (uint32_t)ks[i].len;
		}
		t->key[i].len = (uint16_t)ks[i].len;
	}
	if (md5) {
		memcpy(t->buf + off, md5, TM_MD5_LEN);
		t->key[TMK_MD5].off = (uint16_t)off;
		t->key[TMK_MD5].len = TM_MD5_LEN;
	}
}

/* The immutable request state of a new cell. */
static int fill_cell(struct cell *t, struct sip_msg *msg,
                     const struct tm_mkeys *k)
{
	t->core_flags = msg->core_flags;
	t->rcv = msg->rcv;
	t->cseq = k->cseq;
	t->via_port = k->via_port;
	t->via_proto = k->via_proto;
	t->rfc3261 = k->rfc3261;
	if (k->method_id == METHOD_INVITE)
		t->flags |= T_IS_INVITE;
	else if (k->method_id == METHOD_CANCEL)
		t->flags |= T_IS_CANCEL;
	return reply_dest(msg, &t->uas.dst) == SV_OK ? SV_OK : SV_EBADMSG;
}

struct cell *tm_cell_new(struct sip_msg *msg, const struct tm_mkeys *k,
                         unsigned hash, int *err)
{
	static char printed[SIP_MSG_MAX + 1];
	const char *pr = msg->buf;
	char md5[TM_MD5_LEN];
	str ks[TMK_COUNT];
	uint32_t len = (uint32_t)msg->len, var;
	struct cell *t;
	int i, copied = msg->lumps != NULL;

	key_strs(k, ks);
	if (copied) {
		int n = lumps_apply(msg, 0, msg->len, 0, printed, SIP_MSG_MAX);

		if (n < 0) {
			*err = n;
			return NULL;
		}
		pr = printed;
		len = (uint32_t)n;
	}
	var = len + (tm_cfg.syn_branch ? 0 : TM_MD5_LEN);
	for (i = 0; copied && i < TMK_MD5; i++)
		var += (uint32_t)ks[i].len;
	if (var > 0xffff) {
		*err = SV_ETOOBIG;
		return NULL;
	}
	t = tm_cell_alloc(hash, k->method_id, var);
	if (t == NULL) {
		*err = SV_ENOMEM;
		return NULL;
	}
	if (!tm_cfg.syn_branch)
		request_md5(k, md5);
	fill_request(t, msg, pr, len, copied, ks,
	             tm_cfg.syn_branch ? NULL : md5);
	*err = fill_cell(t, msg, k);
	if (*err != SV_OK) {
		tm_unref(t);
		return NULL;
	}
	return t;
}

/* --------------------------------------------------- current transaction */

static void set_current(struct sip_msg *msg, struct cell *t, enum tm_kr kr)
{
	tm_ctx.t = t;
	tm_ctx.kr = kr;
	tm_ctx.msg_id = msg->id;
}

void tm_retransmit_reply(struct cell *t)
{
	char *out = tm_upstream_buf();
	struct dest_info dst;
	int taken, len = 0;

	taken = tm_lock_reply(t);
	if (t->uas.buf && t->uas.status) {
		len = (int)t->uas.len;
		memcpy(out, t->uas.buf, (size_t)len);
		dst = t->uas.dst;
	}
	tm_unlock_reply(t, taken);
	if (len > 0)
		tm_send(&dst, out, len);
}

/* An ACK in t_newtran / t_relay: never creates a transaction. */
static int newtran_ack(struct sip_msg *msg, const struct tm_mkeys *k)
{
	struct cell *t;
	enum tm_ack_kind kind = tm_lookup_ack(msg, k, &t);

	set_current(msg, t, TM_KR_EXIST);
	return kind == TM_ACK_HOP ? 0 : 1;
}

/* Looks up (and when new, inserts) under the bucket lock. */
static struct cell *lookup_or_insert(unsigned hash, const struct tm_mkeys *k,
                                     struct cell *t)
{
	struct cell *old;

	tm_bucket_lock(hash);
	old = tm_lookup_locked(hash, k, TM_MATCH_REQ);
	if (old == NULL && t != NULL)
		tm_cell_insert_locked(t);
	tm_bucket_unlock(hash);
	return old;
}

int tm_newtran(struct sip_msg *msg)
{
	struct tm_mkeys k;
	struct cell *t, *old;
	unsigned hash;
	int rc;

	if (tm_ctx.t != T_UNDEFINED && tm_ctx.t != NULL) {
		LM_ERR(
		    "tm: t_newtran: the message already has a transaction\n");
		return SV_EEXIST;
	}
	if (tm_mkeys_get(msg, &k) != SV_OK)
		return sv_last_error = SV_EBADTUPLE;
	if (k.method_id == METHOD_ACK)
		return newtran_ack(msg, &k);
	hash = tm_hash(&k.callid, k.cseq);
	t = tm_cell_new(msg, &k, hash, &rc);
	if (t)
		tm_cell_init_script(t, msg);
	old = lookup_or_insert(hash, &k, t);
	if (old) {
		if (t)
			tm_unref(t);
		set_current(msg, old, TM_KR_EXIST);
		tm_retransmit_reply(old);
		return 0;
	}
	if (t == NULL)
		return sv_last_error = rc;
	tm_stat_add(TS_UAS, 1);
	set_current(msg, t, TM_KR_NONE);
	return 1;
}

/* t_check_trans() for a CANCEL: does its INVITE exist (kept for t_relay). */
static int check_cancel(const struct tm_mkeys *k)
{
	if (!tm_ctx.invite_done) {
		tm_ctx.invite_t = tm_lookup_invite(k);
		tm_ctx.invite_done = 1;
	}
	return tm_ctx.invite_t ? 1 : -1;
}

int tm_check_trans(struct sip_msg *msg)
{
	struct tm_mkeys k;
	struct cell *t;
	unsigned hash;

	if (tm_mkeys_get(msg, &k) != SV_OK)
		return -1;
	if (k.method_id == METHOD_CANCEL)
		return check_cancel(&k);
	if (tm_ctx.t != T_UNDEFINED && tm_ctx.t != NULL)
		return tm_ctx.kr == TM_KR_EXIST ? 1 : -1;
	if (k.method_id == METHOD_ACK) {
		switch (tm_lookup_ack(msg, &k, &t)) {
		case TM_ACK_HOP:
			set_current(msg, t, TM_KR_EXIST);
			return 0;
		case TM_ACK_LOCAL:
			set_current(msg, t, TM_KR_EXIST);
			return 1;
		default:
			set_current(msg, NULL, TM_KR_NONE);
			return -1;
		}
	}
	hash = tm_hash(&k.callid, k.cseq);
	t = lookup_or_insert(hash, &k, NULL);
	set_current(msg, t, t ? TM_KR_EXIST : TM_KR_NONE);
	if (t == NULL)
		return -1;
	tm_retransmit_reply(t);
	return 0;
}

/* ------------------------------------------------------ script hooks -- */

void tm_ctx_release(void)
{
	struct cell *t = tm_ctx.t;

	if (t != T_UNDEFINED && t != NULL) {
		if (tm_ctx.kr == TM_KR_NONE) {
			LM_WARN("tm: transaction %u:%u was created but neither "
			        "relayed, replied nor released by the script: "
			        "releasing it\n",
			        t->hash, t->label);
			tm_terminate(t, NULL, 0, 0);
		}
		tm_unref(t);
	}
	if (tm_ctx.invite_t)
		tm_unref(tm_ctx.invite_t);
	memset(&tm_ctx, 0, sizeof(tm_ctx));
	tm_ctx.t = T_UNDEFINED;
	tm_ctx.kr = TM_KR_NONE;
}

int tm_script_pre(struct sip_msg *msg, void *param)
{
	tm_ctx_release();
	tm_ctx.msg_id = msg->id;
	return 1;
}

int tm_script_post(struct sip_msg *msg, void *param)
{
	tm_ctx_release();
	return 1;
}
