/*
 * t_routes.c - arming and running the failure, onreply and branch routes
 * of a transaction (see t_routes.h).
 *
 * A failure or onreply route runs in a process that may be in the middle
 * of something else: a worker handling a reply, the timer slow process,
 * or a worker inside a request route (a CANCEL that completes its INVITE
 * runs the INVITE's failure route from the CANCEL's t_relay).  Before the
 * route runs, everything of this process that the route uses is saved and
 * replaced (struct tm_env): tm's process context, the current AVP list
 * and the core's destination set; the interpreter saves the route type
 * and script flags itself (cfg/interp.h).  All of it is put back when the
 * route ends, whatever it did.
 *
 * The destination set is saved only when it is not empty (a request route
 * that appended branches and then caused a failure route, which is rare),
 * into a malloc'ed copy; the common case costs nothing.
 */
#include "t_routes.h"
#include "t_funcs.h"
#include "t_msgbuilder.h"
#include "t_reply.h"
#include "tm_cfg.h"

#include "cfg/interp.h"
#include "core/avp.h"
#include "core/dset.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ arming -- */

void tm_arm_route(enum tm_on which, const struct cfg_route *r)
{
	struct cell *t = tm_ctx.t;

	tm_ctx.armed[which] = r;
	if (t != T_UNDEFINED && t != NULL)
		__atomic_store_n(&t->on[which], r, __ATOMIC_RELEASE);
}

void tm_cell_init_script(struct cell *t, const struct sip_msg *msg)
{
	int i;

	for (i = 0; i < TM_ON_COUNT; i++)
		t->on[i] = tm_ctx.armed[i];
	t->msg_flags = msg->flags;
}

/* ------------------------------------------------------------- flags -- */

void tm_flags_merge(unsigned *flags, unsigned before, unsigned after)
{
	unsigned set = after & ~before, cleared = before & ~after;

	*flags = (*flags | set) & ~cleared;
}

int tm_flush_flags(struct sip_msg *msg)
{
	struct cell *t = tm_ctx.t;
	int taken;

	if (t == T_UNDEFINED || t == NULL) {
		LM_ERR("tm: t_flush_flags: no transaction\n");
		return -1;
	}
	taken = tm_lock_reply(t);
	t->msg_flags = msg->flags;
	tm_unlock_reply(t, taken);
	return 1;
}

/* ------------------------------------------------------- environment -- */

/* What a failure or onreply route replaces in this process. */
struct tm_env {
	struct tm_proc_ctx ctx;
	avp_list_t *avps;
	struct dset_branch *ds; /* the saved destination set, or NULL */
	int nds;
	int ruri_q;
};

/* Moves the destination set aside (a copy) and empties it. */
static void dset_stash(struct tm_env *e)
{
	struct dset_branch *d;
	int i;

	e->ds = NULL;
	e->nds = dset_count();
	e->ruri_q = dset_get_ruri_q();
	if (e->nds == 0) {
		dset_clear();
		return;
	}
	e->ds = malloc((size_t)e->nds * sizeof(*e->ds));
	if (e->ds == NULL) {
		LM_ERR("tm: out of memory saving the destination set: the "
		       "route sees it\n");
		e->nds = -1;
		return;
	}
	for (i = 0; i < e->nds; i++) {
		d = dset_branch(i);
		memcpy(&e->ds[i], d, sizeof(*d));
		e->ds[i].uri.s = e->ds[i].uri_buf;
		e->ds[i].dst_uri.s = e->ds[i].dst_buf;
	}
	dset_clear();
}

/* Puts the destination set saved by dset_stash() back. */
static void dset_unstash(struct tm_env *e)
{
	struct dset_branch *d;
	int i;

	if (e->nds < 0)
		return;
	dset_clear();
	for (i = 0; i < e->nds; i++) {
		d = &e->ds[i];
		dset_append(&d->uri, &d->dst_uri, d->q, d->flags,
		            d->force_send_socket);
	}
	dset_set_ruri_q(e->ruri_q);
	free(e->ds);
	e->ds = NULL;
}

/* Makes t the current transaction and avps the current AVP list. */
static void env_enter(struct tm_env *e, struct cell *t, avp_list_t *avps)
{
	e->ctx = tm_ctx;
	memset(&tm_ctx, 0, sizeof(tm_ctx));
	tm_ctx.t = t;
	tm_ctx.kr = TM_KR_EXIST;
	tm_ctx.invite_done = 1;
	e->avps = avp_set_list(avps);
	dset_stash(e);
}

static void env_leave(struct tm_env *e)
{
	dset_unstash(e);
	avp_set_list(e->avps);
	tm_ctx = e->ctx;
}

/* ------------------------------------------------------ branch route -- */

int tm_branch_route(struct cell *t, const struct cfg_route *r,
                    struct sip_msg *msg, int idx)
{
	int saved = tm_ctx.branch_idx, dropped;

	tm_ctx.branch_idx = idx + 1;
	run_route(BRANCH_ROUTE, r, msg);
	dropped = route_dropped();
	tm_ctx.branch_idx = saved;
	if (dropped)
		LM_DBG("tm: %u:%u: branch_route dropped branch %d\n", t->hash,
		       t->label, idx + 1);
	return dropped;
}

/* ----------------------------------------------------- onreply route -- */

int tm_onreply_route(struct cell *t, struct tm_branch *b,
                     const struct cfg_route *r, struct sip_msg *rpl)
{
	int mode1 = tm_cfg.onreply_avp_mode, taken, dropped;
	avp_list_t own = NULL;
	unsigned mf, bf;
	struct tm_env e;

	taken = tm_lock_reply(t);
	mf = t->msg_flags;
	bf = b->bflags;
	tm_unlock_reply(t, taken);
	rpl->flags = mf;
	rpl->ruri_bflags = bf;
	if (mode1)
		lock_get(&t->avp_lock);
	env_enter(&e, t, mode1 ? &t->avps : &own);
	run_route(ONREPLY_ROUTE, r, rpl);
	dropped = route_dropped();
	env_leave(&e);
	if (mode1)
		lock_release(&t->avp_lock);
	else
		avp_list_free(&own);
	taken = tm_lock_reply(t);
	tm_flags_merge(&t->msg_flags, mf, rpl->flags);
	tm_flags_merge(&b->bflags, bf, rpl->ruri_bflags);
	tm_unlock_reply(t, taken);
	return dropped;
}

/* ----------------------------------------------------- failure route -- */

/* What a failure route starts from, taken under the reply lock. */
struct fail_snap {
	const struct cfg_route *route;
	int cancelled; /* the INVITE was cancelled before the route */
	int nr;        /* branches before the route */
	int w;         /* the winning branch */
	int code;      /* its final reply */
	int local;     /* decided by tm (408, 487 ...) */
	unsigned bflags;
	unsigned mflags;
	str uri; /* its R-URI (in its immutable request) */
};

/* Consumes the armed failure route; SV_ENOTFOUND when there is none. */
static int fail_snapshot(struct cell *t, struct fail_snap *s)
{
	struct tm_branch *b;
	int taken;

	taken = tm_lock_reply(t);
	s->w = t->fail_branch;
	s->route =
	    __atomic_exchange_n(&t->on[TM_ON_FAILURE], NULL, __ATOMIC_ACQ_REL);
	s->mflags = t->msg_flags;
	s->cancelled = (t->flags & T_CANCELLED) != 0;
	s->nr = t->nr_branches;
	if (s->w >= 0) {
		b = t->br[s->w];
		s->code = b->status;
		s->local = (b->flags & TB_FAKED) != 0;
		s->bflags = b->bflags;
		s->uri.s = b->buf + b->uri_off;
		s->uri.len = b->uri_len;
	}
	tm_unlock_reply(t, taken);
	return s->route && s->w >= 0 ? SV_OK : SV_ENOTFOUND;
}

/* The request the failure route works on (free_sip_msg() it). */
static int fake_request(struct cell *t, const struct fail_snap *s,
                        struct sip_msg *m)
{
	int rc = tm_parse_request(t, m);

	if (rc == SV_OK)
		rc = set_new_uri(m, &s->uri);
	m->flags = s->mflags;
	m->ruri_bflags = s->bflags;
	return rc;
}

/*
 * Runs the failure route once (avp lock taken and released).  Returns 1
 * when a CANCEL came while it ran and it added no branch (the caller is
 * then answered 487), else 0.
 */
static int failure_once(struct cell *t)
{
	struct fail_snap s;
	struct tm_env e;
	struct sip_msg m;
	int taken, rc, cancelled = 0;

	if (fail_snapshot(t, &s) != SV_OK)
		return 0;
	LM_DBG("tm: %u:%u: failure_route for the %d of branch %d\n", t->hash,
	       t->label, s.code, s.w);
	lock_get(&t->avp_lock);
	rc = fake_request(t, &s, &m);
	if (rc == SV_OK) {
		env_enter(&e, t, &t->avps);
		tm_ctx.fake = &m;
		tm_ctx.fail_uri = s.uri;
		tm_ctx.fail_code = s.code;
		tm_ctx.fail_local = s.local;
		run_route(FAILURE_ROUTE, s.route, &m);
		env_leave(&e);
		taken = tm_lock_reply(t);
		tm_flags_merge(&t->msg_flags, s.mflags, m.flags);
		cancelled = !s.cancelled && (t->flags & T_CANCELLED) &&
		            t->nr_branches == s.nr;
		tm_unlock_reply(t, taken);
	} else {
		LM_ERR("tm: %u:%u: cannot rebuild the request for the failure "
		       "route (%s): not run\n",
		       t->hash, t->label, sv_strerror(rc));
	}
	lock_release(&t->avp_lock);
	free_sip_msg(&m);
	return cancelled;
}

void tm_failure_run(struct cell *t)
{
	static const str terminated = STR_LIT("Request Terminated");
	struct tm_after a;
	int again, taken, cancelled;

	do {
		cancelled = failure_once(t);
		tm_after_init(&a);
		taken = tm_lock_reply(t);
		t->flags &= ~T_IN_FAILURE;
		t->fail_branch = -1;
		if (cancelled && !(t->flags & T_COMPLETED))
			tm_reply_light(t, NULL, 487, &terminated, &a);
		else
			tm_check_completion(t, &a);
		tm_unlock_reply(t, taken);
		again = a.failure;
		a.failure = 0;
		tm_after_run(t, &a);
	} while (again);
}
