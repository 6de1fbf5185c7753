/*
 * timer.c - the shared timer state: arming, disarming and firing.
 *
 * All state is one struct timer_shared in shm (timer_priv.h) under one
 * futex lock.  Critical sections are short and bounded: arm and disarm are
 * O(1); a pass of the timer process takes the lock once per
 * TIMER_EXPIRE_BUDGET links moved by the wheel, then once per handler (to
 * take the next due link and mark it FIRING), and never holds it while a
 * handler runs.
 *
 * Why a `due` list in shm: the wheel hands expired links to a list, and
 * another process must still be able to disarm a link there before its
 * handler starts.  Unlinking needs the list's neighbours, so the list head
 * must be reachable from every process: it lives in the shared struct, not
 * on the timer process's stack.
 *
 * Firing protocol (runner r = timer or slow process), under the lock:
 * clear running[r] (previous handler done), pop the next link, mark it not
 * armed, give it a fresh fire_seq, set running[r] = link; then unlock and
 * call the handler.  After the handler the runner does not look at the
 * link again, which is what lets handlers free their objects.
 */
#include "timer_priv.h"
#include "core/errors.h"
#include "core/log.h"
#include "shm/lock_registry.h"
#include "shm/shm.h"

#include <time.h>

struct timer_shared *timer_sh;

uint64_t timer_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* CLOCK_MONOTONIC in milliseconds rounded up. */
static uint64_t now_ms_ceil(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u +
	       ((uint64_t)ts.tv_nsec + 999999u) / 1000000u;
}

int timer_init(void)
{
	struct timer_shared *sh;

	if (timer_sh != NULL)
		return SV_EEXIST;
	sh = shm_calloc(sizeof(*sh));
	if (sh == NULL) {
		LM_ERR("no shared memory for the timer wheel (%zu bytes)\n",
		       sizeof(*sh));
		return SV_ENOMEM;
	}
	lock_init(&sh->lock);
	if (lock_register(&sh->lock, "timer wheel") != SV_OK) {
		LM_ERR("cannot register the timer wheel lock\n");
		shm_free(sh);
		return SV_ENOMEM;
	}
	wheel_init(&sh->wheel, timer_now_ms());
	wheel_list_init(&sh->due);
	wheel_list_init(&sh->slowq);
	timer_sh = sh; /* the rest is zero: nothing running, nobody asleep */
	return SV_OK;
}

void timer_destroy(void)
{
	if (timer_sh == NULL)
		return;
	lock_unregister(&timer_sh->lock);
	shm_free(timer_sh);
	timer_sh = NULL;
}

void timer_link_init(struct timer_link *tl, timer_handler_f h, unsigned flags)
{
	wheel_link_init(&tl->wl);
	tl->handler = h;
	tl->fire_seq = 0;
	tl->queued = TL_IDLE;
	tl->flags = (uint8_t)(flags & TIMER_SLOW);
}

/* 1 when tl's handler is running in some runner.  Lock held. */
static int is_firing(const struct timer_shared *sh, const struct timer_link *tl)
{
	int r;

	for (r = 0; r < TIMER_RUNNERS; r++)
		if (sh->running[r] == tl && sh->running_seq[r] == tl->fire_seq)
			return 1;
	return 0;
}

/* Takes an ARMED link off whatever list holds it.  Lock held. */
static void unqueue(struct timer_shared *sh, struct timer_link *tl)
{
	if (wheel_link_in_wheel(&tl->wl))
		wheel_del(&sh->wheel, &tl->wl);
	else
		wheel_list_unlink(&tl->wl.node); /* due or slowq */
	if (tl->queued == TL_SLOWQ)
		sh->slow_len--;
	tl->queued = TL_IDLE;
	sh->st.armed--;
}

int timer_arm_at(struct timer_link *tl, uint64_t when_ms)
{
	struct timer_shared *sh = timer_sh;
	int kick = 0;

	if (tl->handler == NULL) {
		LM_ERR("arming timer %p that has no handler\n", (void *)tl);
		return SV_EINVAL;
	}
	lock_get(&sh->lock);
	if (tl->queued != TL_IDLE)
		unqueue(sh, tl);
	wheel_add(&sh->wheel, &tl->wl, when_ms);
	tl->queued = TL_WHEEL;
	sh->st.armed++;
	if (when_ms < sh->sleep_until) {
		/* earlier than the timer process sleeps: wake it (once) */
		sh->sleep_until = when_ms;
		kick = 1;
	}
	lock_release(&sh->lock);
	if (kick)
		timer_futex_kick(&sh->wake_word);
	return SV_OK;
}

int timer_arm(struct timer_link *tl, uint64_t delay_ms)
{
	return timer_arm_at(tl, now_ms_ceil() + delay_ms);
}

int timer_disarm(struct timer_link *tl)
{
	struct timer_shared *sh = timer_sh;
	int rc = SV_ENOTFOUND;

	lock_get(&sh->lock);
	if (tl->queued != TL_IDLE) {
		unqueue(sh, tl);
		rc = SV_OK;
	}
	if (is_firing(sh, tl))
		rc = SV_EBUSY;
	lock_release(&sh->lock);
	return rc;
}

enum timer_state timer_state(struct timer_link *tl)
{
	struct timer_shared *sh = timer_sh;
	enum timer_state st = TIMER_IDLE;

	lock_get(&sh->lock);
	if (tl->queued != TL_IDLE)
		st = TIMER_ARMED;
	else if (is_firing(sh, tl))
		st = TIMER_FIRING;
	lock_release(&sh->lock);
	return st;
}

void timer_get_stats(struct timer_stats *st)
{
	struct timer_shared *sh = timer_sh;

	lock_get(&sh->lock);
	*st = sh->st;
	st->slow_queue = sh->slow_len;
	lock_release(&sh->lock);
}

/* Marks tl, just taken off its list, FIRING in runner r.  Lock held. */
static void start_firing(struct timer_shared *sh, int r, struct timer_link *tl)
{
	if (tl->queued == TL_SLOWQ)
		sh->slow_len--;
	tl->queued = TL_IDLE;
	tl->fire_seq = ++sh->fire_seq;
	sh->running[r] = tl;
	sh->running_seq[r] = tl->fire_seq;
	sh->st.armed--;
	if (r == TIMER_RUNNER_FAST)
		sh->st.fired++;
	else
		sh->st.fired_slow++;
}

/*
 * Moves a due TIMER_SLOW link to the slow queue.  Lock held.  Returns 1
 * when the slow process sleeps and must be kicked after unlocking.
 */
static int queue_slow(struct timer_shared *sh, struct timer_link *tl)
{
	wheel_list_append(&sh->slowq, &tl->wl.node);
	tl->queued = TL_SLOWQ;
	sh->slow_len++;
	if (!sh->slow_sleeping)
		return 0;
	sh->slow_sleeping = 0;
	return 1;
}

/*
 * Ends the timer process's previous firing and starts the next: pops due
 * links, moving TIMER_SLOW ones to the slow queue, until one that the
 * timer process runs itself.  Returns it (FIRING), NULL when none is left.
 * Lock held.
 */
static struct timer_link *next_fast(struct timer_shared *sh, uint64_t now,
                                    int *kick_slow)
{
	struct timer_link *tl;
	struct wheel_link *l;

	sh->running[TIMER_RUNNER_FAST] = NULL;
	while ((l = wheel_list_pop(&sh->due)) != NULL) {
		tl = container_of(l, struct timer_link, wl);
		if (now > tl->wl.expires &&
		    now - tl->wl.expires > sh->st.late_max_ms)
			sh->st.late_max_ms = now - tl->wl.expires;
		if (tl->flags & TIMER_SLOW) {
			*kick_slow |= queue_slow(sh, tl);
			continue;
		}
		start_firing(sh, TIMER_RUNNER_FAST, tl);
		return tl;
	}
	return NULL;
}

/* Runs the handlers of every link on the due list, one lock per link. */
static void run_due(struct timer_shared *sh, uint64_t now)
{
	struct timer_link *tl;
	timer_handler_f h;
	int kick;

	do {
		kick = 0;
		lock_get(&sh->lock);
		tl = next_fast(sh, now, &kick);
		h = tl ? tl->handler : NULL;
		lock_release(&sh->lock);
		if (kick)
			timer_futex_kick(&sh->slow_word);
		if (tl)
			h(tl, now);
	} while (tl);
}

uint64_t timer_run(uint64_t now)
{
	struct timer_shared *sh = timer_sh;
	uint64_t next;
	int rc;

	do {
		lock_get(&sh->lock);
		rc = wheel_expire(&sh->wheel, now, &sh->due,
		                  TIMER_EXPIRE_BUDGET);
		lock_release(&sh->lock);
		run_due(sh, now);
	} while (rc == SV_EAGAIN);
	lock_get(&sh->lock);
	next = wheel_next_expiry(&sh->wheel);
	lock_release(&sh->lock);
	return next;
}

/* Like next_fast() for the slow process and its queue.  Lock held. */
static struct timer_link *next_slow(struct timer_shared *sh, int more)
{
	struct wheel_link *l;
	struct timer_link *tl;

	sh->running[TIMER_RUNNER_SLOW] = NULL;
	if (!more || (l = wheel_list_pop(&sh->slowq)) == NULL)
		return NULL;
	tl = container_of(l, struct timer_link, wl);
	start_firing(sh, TIMER_RUNNER_SLOW, tl);
	return tl;
}

unsigned timer_slow_run(unsigned max)
{
	struct timer_shared *sh = timer_sh;
	struct timer_link *tl;
	timer_handler_f h;
	unsigned n = 0;

	do {
		lock_get(&sh->lock);
		tl = next_slow(sh, n < max);
		h = tl ? tl->handler : NULL;
		lock_release(&sh->lock);
		if (tl) {
			h(tl, timer_now_ms());
			n++;
		}
	} while (tl);
	return n;
}
