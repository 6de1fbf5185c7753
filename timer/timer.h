/*
 * timer.h - millisecond timers shared by every process.
 *
 * One timing wheel (timer/wheel.h) lives in shared memory under one futex
 * lock.  Any process arms and disarms timers; the timer process fires them.
 * Deadlines are absolute CLOCK_MONOTONIC milliseconds, never counted ticks,
 * so a busy or descheduled timer process is late only by its own delay and
 * that lateness never accumulates.
 *
 * A struct timer_link is embedded in the object it times (a transaction, a
 * branch ...); arming never allocates.  The handler finds its object with
 * container_of(tl, struct my_obj, member).
 *
 * States (all changes under the wheel lock):
 *
 *   IDLE    not armed, handler not running
 *   ARMED   queued: in the wheel, or due and waiting for its handler to
 *           start; timer_disarm() still wins
 *   FIRING  its handler is running now (in the timer or the timer slow
 *           process) and it has not been armed again
 *
 *   timer_arm:   IDLE|ARMED|FIRING -> ARMED (re-arm: the old deadline goes)
 *   firing:      ARMED -> FIRING (the timer process, lock taken then
 *                dropped: handlers run with no timer lock held)
 *   return:      FIRING -> IDLE; ARMED stays ARMED (re-armed meanwhile)
 *   timer_disarm: ARMED -> IDLE, or stays FIRING
 *
 * After the handler returns the timer code never touches the link again,
 * so a handler may free its own object (a wait/delete timer does).
 *
 * Slow handlers.  A link flagged TIMER_SLOW is not run by the timer
 * process: when due it is moved (under the lock, intrusively) to a queue
 * served by the "timer slow" process, so a long handler (a failure route
 * on fr timeout) never delays retransmission timers.  While queued it is
 * still ARMED; disarm removes it.
 *
 * Locking: every function below takes and releases the wheel lock itself;
 * none may be called with it held.  Handlers may call any of them,
 * including on their own link.  The wheel lock is a leaf: nothing else is
 * locked or allocated while it is held, so callers may arm and disarm
 * while holding their own locks (a tm bucket or reply lock): lock order is
 * "any lock, then the wheel lock".
 */
#ifndef SERVAL_TIMER_TIMER_H
#define SERVAL_TIMER_TIMER_H

#include <stdint.h>

#include "timer/wheel.h"

enum timer_state {
	TIMER_IDLE = 0,
	TIMER_ARMED,
	TIMER_FIRING,
};

/* timer_link_init() flags */
#define TIMER_SLOW 0x01u /* run by the timer slow process (long handler) */

struct timer_link;

/*
 * A timer handler.  now_ms is the time at which the timer was found due
 * (for TIMER_SLOW handlers: when the slow process picked it up).  It runs
 * with no timer lock held and may arm, re-arm or disarm any timer, its own
 * included, and may free its own object.
 */
typedef void (*timer_handler_f)(struct timer_link *tl, uint64_t now_ms);

/* Embed in the timed object; fields are private to timer.c. */
struct timer_link {
	struct wheel_link wl;    /* wheel slot, due list or slow queue */
	timer_handler_f handler; /* set once by timer_link_init() */
	uint64_t fire_seq;       /* id of its latest firing, 0: never */
	uint8_t queued;          /* 0, or ARMED: 1 wheel/due, 2 slow queue */
	uint8_t flags;           /* TIMER_SLOW */
};

/* Counters since timer_init(); a snapshot taken under the lock. */
struct timer_stats {
	unsigned long armed;      /* links ARMED now (wheel + due + slow) */
	unsigned long fired;      /* handlers started by the timer process */
	unsigned long fired_slow; /* handlers started by the slow process */
	unsigned long slow_queue; /* slow links due, waiting for the process */
	uint64_t late_max_ms;     /* worst "found due" minus deadline seen */
};

/*
 * Creates the shared timer state (wheel, lock, queues) in shm, its clock
 * starting at timer_now_ms(), and registers the lock as "timer wheel" (so
 * the master can name and free it if a child dies holding it).  Master
 * only, after shm_init(), before forking.  Returns SV_OK, SV_ENOMEM
 * (logged: out of shm or the lock registry is full), or SV_EEXIST when
 * called twice.
 */
int timer_init(void);

/*
 * Unregisters the lock and frees the shared state (master at exit, tests).
 * No process may use a timer afterwards; links still armed are simply
 * forgotten.  No-op before timer_init().
 */
void timer_destroy(void);

/* Returns CLOCK_MONOTONIC in whole milliseconds (rounded down). */
uint64_t timer_now_ms(void);

/*
 * Prepares tl: IDLE, with handler h and flags (0 or TIMER_SLOW).  Call
 * once before the first arm, and never on a link that may be ARMED or
 * FIRING.  No lock needed (the link is not yet shared).
 */
void timer_link_init(struct timer_link *tl, timer_handler_f h, unsigned flags);

/*
 * Arms tl to fire delay_ms from now: the handler never starts before
 * delay_ms have elapsed since this call (the deadline is rounded up to the
 * next whole millisecond).  An ARMED link is re-armed (its old deadline is
 * dropped, it fires once); a FIRING link is armed again and fires once
 * more after its current run.  Wakes the timer process when the new
 * deadline is earlier than the one it sleeps until.  Returns SV_OK, or
 * SV_EINVAL when tl has no handler (timer_link_init() was not called).
 */
int timer_arm(struct timer_link *tl, uint64_t delay_ms);

/*
 * Like timer_arm() with an absolute deadline in timer_now_ms() units, for
 * periodic timers that must not drift (next = previous deadline + period,
 * see timer_expires()).  A deadline already past fires on the next pass.
 */
int timer_arm_at(struct timer_link *tl, uint64_t when_ms);

/*
 * Cancels tl.  Returns:
 *   SV_OK         it was ARMED and is now IDLE: the handler did not start
 *                 and will not run for that arming.  The timer code holds
 *                 no reference to tl any more: the caller may free the
 *                 object (unless another process may arm it again).
 *   SV_ENOTFOUND  it was not armed and no handler is running: same
 *                 guarantees as SV_OK (it had fired and finished, or was
 *                 never armed).
 *   SV_EBUSY      its handler is running right now.  A pending re-arm, if
 *                 any, was cancelled, so it will not fire again unless
 *                 armed again, but the running handler still uses the
 *                 object: the caller must not free it; the handler (or
 *                 whoever it hands the object to) owns the cleanup, e.g.
 *                 by dropping a reference count.  A handler disarming its
 *                 own link gets SV_EBUSY.
 */
int timer_disarm(struct timer_link *tl);

/*
 * Returns tl's state at the moment of the call (taken under the lock; it
 * may change right after unless the caller coordinates otherwise).  A link
 * re-armed while its handler still runs reads TIMER_ARMED.
 */
enum timer_state timer_state(struct timer_link *tl);

/* The deadline of tl's latest arming (ms).  Meaningful to its owner. */
static inline uint64_t timer_expires(const struct timer_link *tl)
{
	return tl->wl.expires;
}

/* Fills *st with a snapshot of the counters. */
void timer_get_stats(struct timer_stats *st);

/*
 * One pass of the timer process: fires every timer due at now (handlers
 * of TIMER_SLOW links are queued for the slow process instead), taking
 * the lock for at most TIMER_EXPIRE_BUDGET links at a time and never
 * while a handler runs.  Returns the first time at which there may be
 * more work (see wheel_next_expiry()), WHEEL_NEVER when nothing is armed.
 * Called in a loop by timer_main(); tests call it with virtual times (any
 * now >= the previous one).  Only one process may run passes.
 */
uint64_t timer_run(uint64_t now);

/*
 * Runs up to max handlers from the slow queue, in the order they became
 * due.  Returns how many ran.  Called by timer_slow_main(); only one
 * process may call it.
 */
unsigned timer_slow_run(unsigned max);

/* Links moved per lock hold by timer_run(). */
#define TIMER_EXPIRE_BUDGET 1024

/* ------------------------------------------------ processes (timer_proc.c) */

/* Longest single sleep of the timer processes (see timer_proc.c). */
#define TIMER_MAX_SLEEP_MS 1000

/*
 * The body of the timer process (ROLE_TIMER): runs timer_run() and sleeps
 * until the next deadline in a futex wait with an absolute CLOCK_MONOTONIC
 * timeout, woken early by timer_arm() of an earlier deadline.  Returns when
 * proc_stop is set.  rank and arg are unused.
 */
void timer_main(int rank, void *arg);

/*
 * The body of the timer slow process (ROLE_TIMER_SLOW): runs the handlers
 * of due TIMER_SLOW links, sleeping in a futex wait while there are none.
 * Returns when proc_stop is set.  rank and arg are unused.
 */
void timer_slow_main(int rank, void *arg);

/*
 * Wakes both timer processes at once (they re-check proc_stop).  For the
 * master at shutdown, after signalling them, so that they stop without
 * waiting out their current sleep.  Safe from any process.
 */
void timer_wake_all(void);

#endif /* SERVAL_TIMER_TIMER_H */
