/*
 * t_cancel.c - received CANCELs and the CANCELs tm sends (see t_cancel.h).
 *
 * The two transactions involved (the CANCEL's and its INVITE's) are never
 * locked together: the CANCEL is answered under its own reply lock, then
 * the INVITE is marked and its branches cancelled under the INVITE's.
 */
#include "t_cancel.h"
#include "t_funcs.h"
#include "t_lookup.h"
#include "t_msgbuilder.h"
#include "t_reply.h"
#include "t_stats.h"
#include "t_timer.h"
#include "tm_cfg.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/msg_builder.h"
#include "shm/shm.h"

#include <string.h>

/* Builds and sends b's CANCEL (b has had a provisional reply). */
static void send_cancel(struct cell *t, struct tm_branch *b, struct tm_after *a)
{
	char *out = tm_scratch_buf();
	int n = tm_build_cancel(b, out, SIP_MSG_MAX);

	if (n < 0 || (b->cancel = shm_malloc((size_t)n)) == NULL) {
		LM_ERR("tm: %u:%u: cannot build the CANCEL of branch %d (%s)\n",
		       t->hash, t->label, b->idx,
		       sv_strerror(n < 0 ? n : SV_ENOMEM));
		return;
	}
	memcpy(b->cancel, out, (size_t)n);
	b->cancel_len = (uint32_t)n;
	b->flags |= TB_CANCEL_SENT;
	tm_after_send(a, tm_branch_dst(b), b->cancel, n);
	if (tm_branch_dst(b)->proto == PROTO_UDP) {
		b->retr_end = tm_now() + tm_fr_ms();
		tm_arm_retr(b, (uint32_t)tm_cfg.t1);
	}
	if (b->status < 200)
		tm_arm_fr(b, tm_fr_ms()); /* the INVITE's final, at most */
}

void tm_cancel_branch(struct cell *t, struct tm_branch *b, struct tm_after *a)
{
	if (b->flags & TB_CANCEL_SENT)
		return;
	if (b->flags & TB_PROV) {
		send_cancel(t, b, a);
		return;
	}
	b->flags |= TB_TO_CANCEL;
	if (b->status < 200)
		tm_branch_fake(t, b, 487, a);
}

void tm_cancel_pending(struct cell *t, int except, struct tm_after *a)
{
	struct tm_branch *b;
	int i;

	for (i = 0; i < t->nr_branches; i++) {
		b = t->br[i];
		if (i != except && b->status < 200 &&
		    !(b->flags & TB_SEND_FAILED))
			tm_cancel_branch(t, b, a);
	}
}

/* Marks INVITE transaction t cancelled and cancels its branches. */
static void cancel_invite(struct cell *t)
{
	struct tm_after a;
	int taken;

	tm_after_init(&a);
	taken = tm_lock_reply(t);
	t->flags |= T_CANCELLED;
	if (!(t->flags & T_COMPLETED)) {
		tm_cancel_pending(t, -1, &a);
		tm_check_completion(t, &a);
	}
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
}

int tm_relay_cancel(struct cell *ct, struct sip_msg *msg)
{
	static const str canceling = STR_LIT("canceling");
	struct cell *inv = tm_ctx.invite_t;
	struct tm_mkeys k;

	if (!tm_ctx.invite_done) {
		if (tm_mkeys_get(msg, &k) != SV_OK)
			return SV_EBADTUPLE;
		inv = tm_ctx.invite_t = tm_lookup_invite(&k);
		tm_ctx.invite_done = 1;
	}
	if (inv == NULL)
		return SV_ENOTFOUND;
	tm_t_reply(ct, msg, 200, &canceling);
	cancel_invite(inv);
	return SV_OK;
}

void tm_cancel_reply(struct cell *t, int idx, int code)
{
	struct tm_branch *b = t->br[idx];
	struct tm_after a;
	int taken;

	tm_stat_add(TS_RECEIVED, 1);
	if (code < 200)
		return;
	tm_after_init(&a);
	taken = tm_lock_reply(t);
	if ((b->flags & TB_CANCEL_SENT) && !(b->flags & TB_CANCEL_DONE)) {
		b->flags |= TB_CANCEL_DONE;
		tm_stop_retr(b, &a);
	}
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
}
