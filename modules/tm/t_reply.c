/*
 * t_reply.c - reply processing, the relay decision, the best-reply pick,
 * local replies (see t_reply.h).
 *
 * Hot path of a relayed reply: match it (bucket lock, by our Via branch),
 * take the reply lock, update the branch, decide; when it goes upstream,
 * print it once into this process's buffer with our Via removed and the
 * edits of the reply applied, copy that into the transaction's reply
 * buffer (kept for retransmissions of the request; reused, grown in place
 * when possible), unlock, send.
 *
 * Negative final replies that cannot be relayed yet (another branch is
 * still pending) are kept already printed for upstream, so the winner goes
 * out as it is unless challenges must be merged into it.
 *
 * The reply sent upstream is kept in the cell itself (TM_UAS_INLINE bytes,
 * enough for most), so a call usually allocates nothing for it; a larger
 * one gets a buffer of its own, grown in place when possible.
 */
#include "t_reply.h"
#include "t_cancel.h"
#include "t_routes.h"
#include "t_funcs.h"
#include "t_lookup.h"
#include "t_msgbuilder.h"
#include "t_stats.h"
#include "t_timer.h"
#include "tm_cfg.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/msg_builder.h"
#include "core/parser/msg.h"
#include "core/parser/via.h"
#include "shm/shm.h"

#include <string.h>

/* Extra room given to a provisional reply's buffer so a final one fits. */
#define TM_UAS_SLACK 256

/* ----------------------------------------------------------- the pick -- */

/* Preference inside the chosen class: lower is better. */
static int preference(int code, int faked, int cancelled)
{
	if (cancelled && code == 487)
		return 0;
	if (code == 401 || code == 407)
		return 1;
	if (code == 415 || code == 420 || code == 484)
		return 2;
	if (code == 503)
		return 5;
	return faked ? 4 : 3;
}

int tm_pick_best(const int *codes, const unsigned char *faked, int n,
                 int cancelled)
{
	int i, cls = 7, best = -1, bp = 0, p;

	if (n <= 0)
		return -2;
	for (i = 0; i < n; i++) {
		if (codes[i] < 200)
			return -1;
		if (codes[i] / 100 < cls)
			cls = codes[i] / 100;
	}
	for (i = 0; i < n; i++)
		if (codes[i] >= 600)
			return i;
	for (i = 0; i < n; i++) {
		if (codes[i] / 100 != cls)
			continue;
		p = preference(codes[i], faked[i], cancelled);
		if (best < 0 || p < bp || (p == bp && codes[i] < codes[best])) {
			best = i;
			bp = p;
		}
	}
	return best;
}

int tm_pick_branch(const struct cell *t)
{
	int codes[TM_MAX_BRANCHES];
	unsigned char faked[TM_MAX_BRANCHES];
	int i, n = 0, w;

	for (i = t->first_branch; i < t->nr_branches; i++, n++) {
		codes[n] = t->br[i]->status;
		faked[n] = (t->br[i]->flags & TB_FAKED) != 0;
	}
	w = tm_pick_best(codes, faked, n, (t->flags & T_CANCELLED) != 0);
	return w < 0 ? w : w + t->first_branch;
}

const char *tm_reason(int code)
{
	switch (code) {
	case 100:
		return "Trying";
	case 200:
		return "OK";
	case 408:
		return "Request Timeout";
	case 476:
		return "Unresolvable destination";
	case 477:
		return "Send failed";
	case 487:
		return "Request Terminated";
	case 503:
		return "Service Unavailable";
	}
	if (code < 200)
		return "Session Progress";
	if (code < 300)
		return "OK";
	if (code < 400)
		return "Redirection";
	if (code < 500)
		return "Request Failure";
	if (code < 600)
		return "Server Internal Error";
	return "Global Failure";
}

/* ------------------------------------------------------------ upstream -- */

/*
 * Sends out[0..len) (this process's upstream buffer) as t's reply of code
 * (local: built by tm) and keeps a copy for retransmissions.  Reply lock
 * held.
 */
static void uas_send(struct cell *t, char *out, int len, int code, int local,
                     struct tm_after *a)
{
	uint32_t cap;
	char *nb;

	if ((uint32_t)len > t->uas.cap) {
		cap = (uint32_t)len + (code < 200 ? TM_UAS_SLACK : 0);
		nb = t->uas.buf == tm_uas_inline(t)
		         ? shm_malloc(cap)
		         : shm_realloc(t->uas.buf, cap);
		if (nb == NULL) {
			LM_ERR("tm: %u:%u: no shared memory to keep the %d "
			       "reply: sent once, not retransmitted\n",
			       t->hash, t->label, code);
			t->uas.len = 0;
		} else {
			t->uas.buf = nb;
			t->uas.cap = cap;
		}
	}
	if ((uint32_t)len <= t->uas.cap) {
		memcpy(t->uas.buf, out, (size_t)len);
		t->uas.len = (uint32_t)len;
	}
	if (local)
		t->flags |= T_LAST_LOCAL;
	else
		t->flags &= ~T_LAST_LOCAL;
	__atomic_store_n(&t->uas.status, code, __ATOMIC_RELEASE);
	tm_after_send(a, &t->uas.dst, out, len);
}

/* The final reply code went upstream (local: built by tm).  Lock held. */
static void completed(struct cell *t, int code, int local, struct tm_after *a)
{
	unsigned fl = T_COMPLETED | (local ? T_LOCAL_FINAL : 0);

	if (!(t->flags & T_COMPLETED))
		tm_stat_completed(code);
	__atomic_fetch_or(&t->flags, fl, __ATOMIC_RELEASE);
	if ((t->flags & T_IS_INVITE) && (code >= 300 || local))
		tm_start_uas_retr(t);
	else
		tm_put_on_wait(t, a);
}

/* Removes our Via (the top one) from a received reply. */
static int strip_our_via(struct sip_msg *rpl)
{
	struct via_body *v = rpl->via1;
	const char *start, *end;

	if (v->next == NULL && hdr_via(rpl->h_via1) == v)
		return lump_delete_header(rpl, rpl->h_via1, LUMP_BRANCH);
	start = v->hdr.s;
	end = v->next ? v->next->hdr.s : v->hdr.s + v->hdr.len;
	return lump_delete(rpl, (int)(start - rpl->buf), (int)(end - start),
	                   LUMP_BRANCH);
}

/*
 * The common case of print_reply(): no edit on the reply, our Via alone on
 * its line: the bytes around that line.
 */
static int print_unedited(struct sip_msg *rpl, char *out)
{
	const struct hdr_field *h = rpl->h_via1;
	int head = (int)(hdr_start(h) - rpl->buf);
	int tail = rpl->len - (int)(hdr_end(h) - rpl->buf);

	if (head + tail > SIP_MSG_MAX)
		return SV_ETOOBIG;
	memcpy(out, rpl->buf, (size_t)head);
	memcpy(out + head, hdr_end(h), (size_t)tail);
	return head + tail;
}

/* Prints rpl for upstream (strip: remove our Via) into out.  Length. */
static int print_reply(struct sip_msg *rpl, int strip, char *out)
{
	int rc;

	if (strip && rpl->lumps == NULL && rpl->via1->next == NULL &&
	    hdr_via(rpl->h_via1) == rpl->via1)
		return print_unedited(rpl, out);
	rc = strip ? strip_our_via(rpl) : SV_OK;

	if (rc == SV_OK)
		rc = lumps_apply(rpl, 0, rpl->len, 1, out, SIP_MSG_MAX);
	lumps_drop_branch(rpl);
	return rc;
}

/* Relays received reply rpl upstream as t's last reply.  Lock held. */
static void relay_received(struct cell *t, struct sip_msg *rpl, int code,
                           struct tm_after *a)
{
	char *out = tm_upstream_buf();
	int n = print_reply(rpl, 1, out);

	if (n < 0) {
		LM_ERR("tm: %u:%u: cannot relay the %d reply (%s)\n", t->hash,
		       t->label, code, sv_strerror(n));
		return;
	}
	uas_send(t, out, n, code, 0, a);
	tm_stat_add(TS_RELAYED, 1);
}

/* A 2xx after completion: relayed, the transaction state untouched. */
static void relay_late_2xx(struct cell *t, struct sip_msg *rpl,
                           struct tm_after *a)
{
	char *out = tm_upstream_buf();
	int n = print_reply(rpl, 1, out);

	if (n < 0)
		return;
	tm_after_send(a, &t->uas.dst, out, n);
	tm_stat_add(TS_RELAYED, 1);
}

/* ---------------------------------------------------- local replies -- */

int tm_reply_light(struct cell *t, struct sip_msg *req, int code,
                   const str *reason, struct tm_after *a)
{
	char *out = tm_upstream_buf();
	int n;

	if (code < 100 || code > 999)
		return SV_EINVAL;
	if (t->flags & T_COMPLETED) {
		LM_ERR("tm: %u:%u already has its final reply (%d): not "
		       "sending %d\n",
		       t->hash, t->label, t->uas.status, code);
		return SV_EINVAL;
	}
	n = tm_build_local_reply(t, req, code, reason, out);
	if (n < 0)
		return n;
	uas_send(t, out, n, code, 1, a);
	tm_stat_add(TS_LOCAL, 1);
	if (code >= 200) {
		completed(t, code, 1, a);
		if (t->flags & T_IS_INVITE)
			tm_cancel_pending(t, -1, a);
	}
	return SV_OK;
}

int tm_t_reply(struct cell *t, struct sip_msg *req, int code, const str *reason)
{
	struct tm_after a;
	int taken, rc;

	tm_after_init(&a);
	taken = tm_lock_reply(t);
	rc = tm_reply_light(t, req, code, reason, &a);
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
	return rc;
}

void tm_terminate(struct cell *t, struct sip_msg *req, int err, int reply)
{
	struct tm_after a;
	const char *reason;
	int taken, code, rc = SV_ERR;
	str r;

	tm_after_init(&a);
	taken = tm_lock_reply(t);
	if (reply && !(t->flags & T_COMPLETED)) {
		sv_err_reply(err, &code, &reason);
		r = str_from_cstr(reason);
		rc = tm_reply_light(t, req, code, &r, &a);
	}
	if (rc != SV_OK)
		tm_put_on_wait(t, &a);
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
}

/* ------------------------------------------------------------ winners -- */

/* Appends the challenges of a 401/407 reply m to winner w.  */
static void copy_challenges(struct sip_msg *m, struct sip_msg *w)
{
	struct hdr_field *h;
	str line;

	for (h = m->headers; h; h = h->next) {
		if (h->type != HDR_WWW_AUTHENTICATE_T &&
		    h->type != HDR_PROXY_AUTHENTICATE_T)
			continue;
		line.s = hdr_start(h);
		line.len = h->len;
		lump_append_header(w, &line, LUMP_BRANCH);
	}
}

/* Merges into winner wm (branch w) the challenges of the other branches. */
static void merge_challenges(struct cell *t, int w, struct tm_branch *cur,
                             struct sip_msg *rpl, struct sip_msg *wm)
{
	struct tm_branch *b;
	struct sip_msg m;
	int i;

	for (i = t->first_branch; i < t->nr_branches; i++) {
		b = t->br[i];
		if (i == w || (b->status != 401 && b->status != 407))
			continue;
		if (b == cur && rpl) {
			copy_challenges(rpl, wm);
		} else if (b->reply) {
			if (parse_msg(b->reply, (int)b->reply_len, &m) == SV_OK)
				copy_challenges(&m, wm);
			free_sip_msg(&m);
		}
	}
}

/* 1 when another branch than w answered 401/407 too. */
static int other_challenges(const struct cell *t, int w)
{
	int i, s;

	for (i = t->first_branch; i < t->nr_branches; i++) {
		s = t->br[i]->status;
		if (i != w && (s == 401 || s == 407))
			return 1;
	}
	return 0;
}

/* Prints the kept reply of winner w (challenges merged) into out. */
static int print_kept(struct cell *t, int w, struct tm_branch *cur,
                      struct sip_msg *rpl, char *out)
{
	struct tm_branch *b = t->br[w];
	struct sip_msg m;
	int n;

	if (!((b->status == 401 || b->status == 407) &&
	      other_challenges(t, w))) {
		memcpy(out, b->reply, b->reply_len);
		return (int)b->reply_len;
	}
	n = parse_msg(b->reply, (int)b->reply_len, &m);
	if (n == SV_OK) {
		merge_challenges(t, w, cur, rpl, &m);
		n = print_reply(&m, 0, out);
	}
	free_sip_msg(&m);
	return n;
}

/* Sends winner w upstream and completes t.  Lock held. */
static void relay_winner(struct cell *t, int w, struct tm_branch *cur,
                         struct sip_msg *rpl, struct tm_after *a)
{
	struct tm_branch *b = t->br[w];
	char *out = tm_upstream_buf();
	int n = -1, code = b->status, local = 0;
	str reason;

	if (b == cur && rpl) {
		if ((code == 401 || code == 407) && other_challenges(t, w))
			merge_challenges(t, w, NULL, NULL, rpl);
		n = print_reply(rpl, 1, out);
	} else if (b->reply) {
		n = print_kept(t, w, cur, rpl, out);
	}
	if (n < 0) {
		reason = str_from_cstr(tm_reason(code));
		n = tm_build_local_reply(t, NULL, code, &reason, out);
		local = 1;
	}
	if (n < 0) {
		LM_ERR("tm: %u:%u: cannot send the final %d reply upstream "
		       "(%s)\n",
		       t->hash, t->label, code, sv_strerror(n));
		tm_put_on_wait(t, a);
		return;
	}
	uas_send(t, out, n, code, local, a);
	tm_stat_add(local ? TS_LOCAL : TS_RELAYED, 1);
	completed(t, code, local, a);
}

/* Keeps negative reply rpl of b, printed for upstream.  Lock held. */
static void keep_reply(struct cell *t, struct tm_branch *b, struct sip_msg *rpl)
{
	char *out = tm_scratch_buf();
	int n = print_reply(rpl, 1, out);

	if (n < 0 || (b->reply = shm_malloc((size_t)n)) == NULL) {
		LM_ERR("tm: %u:%u: cannot keep the %d reply of branch %d: an "
		       "internal one replaces it\n",
		       t->hash, t->label, b->status, b->idx);
		return;
	}
	memcpy(b->reply, out, (size_t)n);
	b->reply_len = (uint32_t)n;
}

/*
 * A failure route is due for winner w: one is armed, the reply is
 * negative, and none ran for this generation of branches yet.
 */
static int failure_due(const struct cell *t, int w)
{
	return tm_armed(t, TM_ON_FAILURE) && t->br[w]->status >= 300 &&
	       t->failed_gen != t->first_branch + 1;
}

/*
 * Hands the completion of t to its failure route (t_routes.h): the reply
 * being processed is kept, so that it can still go upstream afterwards.
 */
static void defer_to_failure(struct cell *t, int w, struct tm_branch *cur,
                             struct sip_msg *rpl, struct tm_after *a)
{
	if (cur && rpl && cur->reply == NULL)
		keep_reply(t, cur, rpl);
	t->flags |= T_IN_FAILURE;
	t->fail_branch = (int16_t)w;
	t->failed_gen = (uint16_t)(t->first_branch + 1);
	a->failure = 1;
}

/*
 * Picks and relays when every branch is final (cur/rpl: the reply now),
 * unless a failure route takes over; a replica just ends.
 */
static void complete_with(struct cell *t, struct tm_branch *cur,
                          struct sip_msg *rpl, struct tm_after *a)
{
	int w;

	if (t->flags & (T_COMPLETED | T_IN_FAILURE))
		return;
	w = tm_pick_branch(t);
	if (w < 0)
		return;
	if (t->flags & T_IS_REPLICA) {
		t->flags |= T_COMPLETED;
		tm_put_on_wait(t, a);
	} else if (failure_due(t, w)) {
		defer_to_failure(t, w, cur, rpl, a);
	} else {
		relay_winner(t, w, cur, rpl, a);
	}
}

void tm_check_completion(struct cell *t, struct tm_after *a)
{
	complete_with(t, NULL, NULL, a);
}

void tm_branch_fake(struct cell *t, struct tm_branch *b, int code,
                    struct tm_after *a)
{
	b->status = code;
	b->flags |= TB_FAKED;
	if (!(b->flags & TB_CANCEL_SENT))
		tm_stop_retr(b, a);
	tm_stop_fr(b, a);
}

void tm_branch_timeout(struct cell *t, struct tm_branch *b, struct tm_after *a)
{
	int code = (t->flags & T_CANCELLED) ? 487 : 408;

	LM_DBG("tm: %u:%u branch %d timed out (%d)\n", t->hash, t->label,
	       b->idx, code);
	tm_branch_fake(t, b, code, a);
	if (t->flags & T_IS_INVITE)
		tm_cancel_branch(t, b, a);
	tm_check_completion(t, a);
}

/* ------------------------------------------------------ received ----- */

static int branch_udp(const struct tm_branch *b)
{
	return b->dst.v[b->dst.cur].proto == PROTO_UDP;
}

/* Any other branch of the current generation still without a final? */
static int others_pending(const struct cell *t, const struct tm_branch *b)
{
	int i;

	for (i = t->first_branch; i < t->nr_branches; i++)
		if (t->br[i] != b && t->br[i]->status < 200)
			return 1;
	return 0;
}

/* A 1xx on pending branch b (dropped: by the onreply route). */
static void provisional(struct cell *t, struct tm_branch *b,
                        struct sip_msg *rpl, int code, int dropped,
                        struct tm_after *a)
{
	int prev = b->status;
	int restart =
	    tm_cfg.restart_fr || (code > prev && (code >= 180 || prev == 0));

	b->status = code;
	b->flags |= TB_PROV;
	if (restart && !(b->flags & (TB_CTIMER | TB_CANCEL_SENT))) {
		if (t->flags & T_IS_INVITE)
			tm_arm_fr(b, tm_t_fr_inv_ms(t));
		else if (branch_udp(b) && !(t->flags & T_ON_WAIT))
			tm_arm_retr(b, (uint32_t)tm_cfg.t2);
	}
	if ((b->flags & TB_TO_CANCEL) && !(b->flags & TB_CANCEL_SENT))
		tm_cancel_branch(t, b, a);
	if (code == 100 || dropped || (t->flags & (T_COMPLETED | T_IS_REPLICA)))
		return;
	relay_received(t, rpl, code, a);
}

static void final_2xx(struct cell *t, struct tm_branch *b, struct sip_msg *rpl,
                      int code, struct tm_after *a)
{
	if (t->flags & T_COMPLETED) {
		if (t->flags & T_IS_INVITE)
			relay_late_2xx(t, rpl, a);
		return;
	}
	relay_received(t, rpl, code, a);
	completed(t, code, 0, a);
	if (t->flags & T_IS_INVITE)
		tm_cancel_pending(t, b->idx, a);
}

static void final_negative(struct cell *t, struct tm_branch *b,
                           struct sip_msg *rpl, int code, struct tm_after *a)
{
	if (t->flags & T_COMPLETED)
		return;
	if (code >= 600) {
		t->flags |= T_GOT_6XX;
		tm_cancel_pending(t, b->idx, a);
	}
	if (others_pending(t, b) || (t->flags & T_IN_FAILURE)) {
		keep_reply(t, b, rpl); /* for the pick to come */
		return;
	}
	complete_with(t, b, rpl, a);
}

/* A reply on a branch that has its final reply already. */
static void late_reply(struct cell *t, struct tm_branch *b, struct sip_msg *rpl,
                       int code, struct tm_after *a)
{
	if (code < 200) {
		b->flags |= TB_PROV;
		if ((b->flags & TB_TO_CANCEL) && !(b->flags & TB_CANCEL_SENT))
			tm_cancel_branch(t, b, a);
		return;
	}
	if (code < 300 && (t->flags & T_IS_INVITE) &&
	    !(t->flags & T_IS_REPLICA)) {
		if (b->flags & TB_FAKED) {
			b->status = code;
			b->flags &= ~TB_FAKED;
		}
		if (t->flags & T_COMPLETED) {
			relay_late_2xx(t, rpl, a);
		} else { /* after a timeout, during or after a failure route */
			relay_received(t, rpl, code, a);
			completed(t, code, 0, a);
			tm_cancel_pending(t, b->idx, a);
		}
	}
	/* else a retransmitted final reply: absorbed */
}

/*
 * The state machine of branch b for reply rpl (code; dropped by the
 * onreply route).  Lock held.
 */
static void branch_reply(struct cell *t, struct tm_branch *b,
                         struct sip_msg *rpl, int code, int dropped,
                         struct tm_after *a)
{
	int invite = (t->flags & T_IS_INVITE) != 0;

	b->flags |= TB_REPLIED;
	if (invite && (code >= 200 || !(b->flags & TB_CANCEL_SENT)))
		tm_stop_retr(b, a);
	if (b->status >= 200) {
		late_reply(t, b, rpl, code, a);
		return;
	}
	if (code < 200) {
		provisional(t, b, rpl, code, dropped, a);
		return;
	}
	b->status = code;
	tm_stop_retr(b, a);
	tm_stop_fr(b, a);
	if (t->flags & T_IS_REPLICA)
		tm_check_completion(t, a);
	else if (code < 300)
		final_2xx(t, b, rpl, code, a);
	else
		final_negative(t, b, rpl, code, a);
}

/* Builds and queues the ACK of negative INVITE reply rpl on b. */
static void queue_ack(struct tm_branch *b, struct sip_msg *rpl,
                      struct tm_after *a)
{
	char *out = tm_ack_buf();
	int n = tm_build_ack(b, rpl, out, SIP_MSG_MAX);

	if (n < 0) {
		LM_ERR("tm: %u:%u: cannot build the ACK of a %d reply (%s)\n",
		       b->t->hash, b->t->label, REPLY_LINE(rpl).statuscode,
		       sv_strerror(n));
		return;
	}
	tm_after_send(a, tm_branch_dst(b), out, n);
}

int tm_reply_received(struct cell *t, int idx, struct sip_msg *rpl)
{
	struct tm_branch *b = t->br[idx];
	int code = REPLY_LINE(rpl).statuscode;
	const struct cfg_route *r = tm_armed(t, TM_ON_REPLY);
	struct tm_after a;
	int taken, dropped = 0;

	tm_after_init(&a);
	tm_stat_add(TS_RECEIVED, 1);
	if ((t->flags & T_IS_INVITE) && code >= 300)
		queue_ack(b, rpl, &a);
	if (r)
		dropped = tm_onreply_route(t, b, r, rpl) && code < 200;
	taken = tm_lock_reply(t);
	branch_reply(t, b, rpl, code, dropped, &a);
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
	return SV_OK;
}

int tm_response(struct sip_msg *rpl)
{
	struct cell *t;
	int idx, to_cancel;

	if (tm_lookup_reply(rpl, &t, &idx, &to_cancel) != SV_OK)
		return 1;
	if (to_cancel)
		tm_cancel_reply(t, idx, REPLY_LINE(rpl).statuscode);
	else if (__atomic_load_n(&t->br[idx]->flags, __ATOMIC_RELAXED) &
	         TB_BLIND)
		tm_stat_add(TS_RECEIVED, 1); /* t_write's: nothing was sent */
	else
		tm_reply_received(t, idx, rpl);
	tm_unref(t);
	return 0;
}
