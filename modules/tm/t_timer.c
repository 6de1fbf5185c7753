/*
 * t_timer.c - arming, stopping and firing tm's timers (see t_timer.h).
 *
 * Every handler follows the same shape: take the cell's reply lock, look
 * at the state to decide whether there is still something to do (a reply
 * may have won the race), record the sends in a struct tm_after, settle
 * the link's reference, unlock, then send and drop references.
 *
 * The wait handler is the only code that unlinks a cell.  Unlinked, a cell
 * can gain no reference any more (lookups cannot find it and no timer may
 * be armed on it), so once the wait link's reference is the only one left
 * the handler drops it and the cell is freed.  While others still hold it,
 * the handler comes back every delete_timer seconds and reports a cell that
 * stays referenced for longer than TM_LEAK_REPORT_MS (a leak watchdog).
 */
#include "t_timer.h"
#include "t_cancel.h"
#include "t_funcs.h"
#include "t_reply.h"
#include "t_routes.h"
#include "tm_cfg.h"

#include "core/errors.h"
#include "core/log.h"

#include <stddef.h>
#include <string.h>

/* An unlinked cell still used after this long is reported. */
#define TM_LEAK_REPORT_MS 60000u

#define container_of_field(p, type, member)                                    \
	((type *)(void *)((char *)(p)-offsetof(type, member)))

uint64_t (*tm_clock)(void) = timer_now_ms;

uint64_t tm_now(void)
{
	return tm_clock();
}

unsigned tm_granule_ms = TM_GRANULE_MS;

/* Arms tl ms from now. */
static void arm(struct timer_link *tl, uint64_t ms)
{
	timer_arm_at(tl, tm_now() + ms);
}

/* now + ms rounded up to the granule (long timers). */
static uint64_t coarse(uint64_t now, uint64_t ms)
{
	uint64_t at = now + ms, g = tm_granule_ms ? tm_granule_ms : 1;

	return (at + g - 1) / g * g;
}

/* Arms a long timer: on a granule boundary, never early. */
static void arm_coarse(struct timer_link *tl, uint64_t ms)
{
	timer_arm_at(tl, coarse(tm_now(), ms));
}

/*
 * Arms tl (coarse: a long timer), taking a reference for it unless it
 * holds one (bit).
 */
static void link_arm(struct cell *t, struct timer_link *tl, unsigned *flags,
                     unsigned bit, uint64_t ms, int long_timer)
{
	if (t->flags & T_UNLINKED)
		return;
	if (!(*flags & bit)) {
		tm_ref(t);
		*flags |= bit;
	}
	if (long_timer)
		arm_coarse(tl, ms);
	else
		arm(tl, ms);
}

/* Disarms tl; its reference goes to a when the disarm won. */
static void link_stop(struct timer_link *tl, unsigned *flags, unsigned bit,
                      struct tm_after *a)
{
	int rc;

	if (!(*flags & bit))
		return;
	rc = timer_disarm(tl);
	if (rc == SV_EBUSY)
		return; /* its handler runs and will give the reference back */
	/*
	 * SV_OK: cancelled.  SV_ENOTFOUND: a previous stop got SV_EBUSY just
	 * after the handler had finished (the timer code reports a handler
	 * as running until it takes the next one), so the reference stayed
	 * here: it is given back now.
	 */
	*flags &= ~bit;
	a->unref++;
}

/*
 * End of a handler of tl: keeps the reference when tl is armed again
 * (by the handler itself: rearmed, or by another process), else gives it
 * back through a.
 */
static void link_fired(struct timer_link *tl, unsigned *flags, unsigned bit,
                       int rearmed, struct tm_after *a)
{
	if (!(*flags & bit))
		return;
	if (rearmed || timer_state(tl) == TIMER_ARMED)
		return;
	*flags &= ~bit;
	a->unref++;
}

void tm_arm_retr(struct tm_branch *b, uint32_t ms)
{
	b->retr_ms = ms;
	link_arm(b->t, &b->retr_tl, &b->flags, TB_RETR_REF, ms, 0);
}

void tm_arm_fr(struct tm_branch *b, unsigned long ms)
{
	link_arm(b->t, &b->fr_tl, &b->flags, TB_FR_REF, ms, 1);
}

void tm_stop_retr(struct tm_branch *b, struct tm_after *a)
{
	link_stop(&b->retr_tl, &b->flags, TB_RETR_REF, a);
}

void tm_stop_fr(struct tm_branch *b, struct tm_after *a)
{
	link_stop(&b->fr_tl, &b->flags, TB_FR_REF, a);
}

void tm_start_uas_retr(struct cell *t)
{
	t->uas.retr_ms = (uint32_t)tm_cfg.t1;
	t->uas.end_ms = tm_now() + tm_fr_ms();
	link_arm(t, &t->uas.tl, &t->flags, T_UAS_REF, t->uas.retr_ms, 0);
}

void tm_stop_uas_retr(struct cell *t, struct tm_after *a)
{
	link_stop(&t->uas.tl, &t->flags, T_UAS_REF, a);
}

/* Stops every timer of t but the wait timer. */
static void stop_all(struct cell *t, struct tm_after *a)
{
	struct tm_branch *b;
	int i;

	for (i = 0; i < t->nr_branches; i++) {
		b = t->br[i];
		tm_stop_retr(b, a);
		tm_stop_fr(b, a);
	}
	tm_stop_uas_retr(t, a);
}

void tm_put_on_wait(struct cell *t, struct tm_after *a)
{
	if (t->flags & (T_ON_WAIT | T_UNLINKED))
		return;
	t->flags |= T_ON_WAIT;
	stop_all(t, a);
	link_arm(t, &t->wait_tl, &t->flags, T_WAIT_REF, tm_wt_ms(), 1);
}

/* The next interval: doubled, capped at T2 unless uncapped. */
static uint32_t next_interval(uint32_t cur, int uncapped)
{
	uint32_t n = cur * 2;

	if (n < cur)
		n = UINT32_MAX / 2;
	if (!uncapped && n > (uint32_t)tm_cfg.t2)
		n = (uint32_t)tm_cfg.t2;
	return n;
}

/* Decides what b's retransmission timer resends now; 1 when re-armed. */
static int retr_fire(struct cell *t, struct tm_branch *b, uint64_t now,
                     struct tm_after *a)
{
	int invite = (t->flags & T_IS_INVITE) != 0;

	if (b->flags & TB_CANCEL_SENT) {
		if ((b->flags & TB_CANCEL_DONE) || now >= b->retr_end)
			return 0;
		tm_after_send(a, tm_branch_dst(b), b->cancel,
		              (int)b->cancel_len);
		tm_arm_retr(b, next_interval(b->retr_ms, 0));
		return 1;
	}
	if (b->status >= 200 || (t->flags & T_ON_WAIT) ||
	    (b->flags & TB_SEND_FAILED) || (invite && (b->flags & TB_REPLIED)))
		return 0;
	tm_after_send(a, tm_branch_dst(b), b->buf, (int)b->len);
	if (!invite && (b->flags & TB_PROV))
		tm_arm_retr(b, (uint32_t)tm_cfg.t2);
	else
		tm_arm_retr(b, next_interval(b->retr_ms, invite));
	return 1;
}

void tm_retr_timer(struct timer_link *tl, uint64_t now)
{
	struct tm_branch *b = container_of_field(tl, struct tm_branch, retr_tl);
	struct cell *t = b->t;
	struct tm_after a;
	int taken, rearmed = 0;

	now = tm_now(); /* tm's clock (virtual in tests) */
	tm_after_init(&a);
	taken = tm_lock_reply(t);
	if (!(t->flags & T_UNLINKED))
		rearmed = retr_fire(t, b, now, &a);
	link_fired(tl, &b->flags, TB_RETR_REF, rearmed, &a);
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
}

/*
 * fr_inv_timer expired on a single-branch INVITE that rang, noisy_ctimer
 * off, no failure route armed: the branch is cancelled and its own final
 * reply (a 487, normally) awaited for fr_timer more, instead of answering
 * 408 at once.  With a failure route armed the 408 comes at once, so the
 * route runs on the timeout ("ring 30 s, then voicemail"), as in OpenSER.
 */
static int quiet_ctimer(const struct cell *t, const struct tm_branch *b)
{
	return !tm_cfg.noisy_ctimer && (t->flags & T_IS_INVITE) &&
	       (b->flags & TB_PROV) && !(b->flags & TB_CTIMER) &&
	       t->nr_branches == 1 && !tm_armed(t, TM_ON_FAILURE);
}

void tm_fr_timer(struct timer_link *tl, uint64_t now)
{
	struct tm_branch *b = container_of_field(tl, struct tm_branch, fr_tl);
	struct cell *t = b->t;
	struct tm_after a;
	int taken, rearmed = 0;

	tm_after_init(&a);
	taken = tm_lock_reply(t);
	if (!(t->flags & (T_UNLINKED | T_ON_WAIT)) && b->status < 200) {
		if (quiet_ctimer(t, b)) {
			b->flags |= TB_CTIMER;
			tm_cancel_branch(t, b, &a);
			tm_arm_fr(b, tm_fr_ms());
			rearmed = 1;
		} else {
			tm_branch_timeout(t, b, &a);
		}
	}
	link_fired(tl, &b->flags, TB_FR_REF, rearmed, &a);
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
}

/* Resends the final reply upstream, or gives up (Timer H). */
static int uas_fire(struct cell *t, uint64_t now, struct tm_after *a)
{
	char *out;
	uint64_t left;

	if ((t->flags & (T_ON_WAIT | T_ACKED)) || t->uas.status < 200)
		return 0;
	if (now >= t->uas.end_ms) {
		LM_DBG("tm: %u:%u: no ACK for our %d reply, giving up\n",
		       t->hash, t->label, t->uas.status);
		tm_put_on_wait(t, a);
		return 0;
	}
	if (t->uas.buf && t->uas.len) { /* kept (shm permitting) */
		out = tm_upstream_buf();
		memcpy(out, t->uas.buf, t->uas.len);
		tm_after_send(a, &t->uas.dst, out, (int)t->uas.len);
	}
	t->uas.retr_ms = next_interval(t->uas.retr_ms, 0);
	left = t->uas.end_ms - now;
	arm(&t->uas.tl, left < t->uas.retr_ms ? left : t->uas.retr_ms);
	return 1;
}

void tm_uas_timer(struct timer_link *tl, uint64_t now)
{
	struct cell *t = container_of_field(tl, struct cell, uas.tl);
	struct tm_after a;
	int taken, rearmed = 0;

	now = tm_now(); /* tm's clock (virtual in tests) */
	tm_after_init(&a);
	taken = tm_lock_reply(t);
	if (!(t->flags & T_UNLINKED))
		rearmed = uas_fire(t, now, &a);
	link_fired(tl, &t->flags, T_UAS_REF, rearmed, &a);
	tm_unlock_reply(t, taken);
	tm_after_run(t, &a);
}

/*
 * The wait timer fired: stop every other timer of t (again at each
 * re-check: a stop that found a handler finishing leaves that link's
 * reference for the next stop), and unlink t the first time.  Returns the
 * references to drop.
 */
static int wait_stop(struct cell *t, uint64_t now)
{
	struct tm_after a;
	int taken, first;

	tm_after_init(&a);
	taken = tm_lock_reply(t);
	first = !(t->flags & T_UNLINKED);
	t->flags |= T_UNLINKED;
	stop_all(t, &a);
	tm_unlock_reply(t, taken);
	if (first) {
		t->unlinked_ms = now;
		if (tm_cell_unlink(t))
			a.unref++; /* the table's reference */
	}
	return a.unref;
}

void tm_wait_timer(struct timer_link *tl, uint64_t now)
{
	struct cell *t = container_of_field(tl, struct cell, wait_tl);
	uint64_t age;

	now = tm_now(); /* tm's clock (virtual in tests) */
	tm_unref_n(t, wait_stop(t, now));
	/* unlinked: references can only go now, none can be taken */
	if (atomic_get(&t->ref) == 1) {
		tm_unref(t); /* the wait link's: frees the cell */
		return;
	}
	age = now - t->unlinked_ms;
	t->wait_checks++;
	if (age >= TM_LEAK_REPORT_MS &&
	    (t->wait_checks & (t->wait_checks - 1)) == 0)
		LM_WARN("tm: transaction %u:%u unlinked %lu s ago is still "
		        "referenced %ld time(s)\n",
		        t->hash, t->label, (unsigned long)(age / 1000),
		        (long)atomic_get(&t->ref) - 1);
	timer_arm_at(&t->wait_tl, coarse(now, tm_delete_ms()));
}
