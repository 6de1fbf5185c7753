/*
 * timer_priv.h - the shared timer state, private to timer.c and
 * timer_proc.c.
 *
 * One struct timer_shared lives in shm (timer_init()).  Everything in it is
 * guarded by `lock` except the two futex words, which are only changed
 * with atomic operations (and, for the wake-up protocol, under the lock as
 * well, so that a sleeper cannot miss a change; see timer_proc.c).
 *
 * A link is on exactly one of: a wheel slot, `due` (expired by the timer
 * process, handler not started yet), `slowq` (due TIMER_SLOW link waiting
 * for the slow process), or no list.  `running[r]`/`running_seq[r]` name
 * the firing in progress in runner r; a link is FIRING when one of them
 * matches it and its fire_seq (the sequence check keeps a link freed by
 * its handler and re-initialised at the same address from reading FIRING).
 */
#ifndef SERVAL_TIMER_TIMER_PRIV_H
#define SERVAL_TIMER_TIMER_PRIV_H

#include <stdint.h>

#include "shm/lock.h"
#include "timer/timer.h"
#include "timer/wheel.h"

/* struct timer_link.queued */
enum timer_queued {
	TL_IDLE = 0,  /* on no list */
	TL_WHEEL = 1, /* in the wheel, or on `due` once the wheel expired it */
	TL_SLOWQ = 2, /* on `slowq` */
};

enum timer_runner {
	TIMER_RUNNER_FAST = 0, /* the timer process */
	TIMER_RUNNER_SLOW,     /* the timer slow process */
	TIMER_RUNNERS
};

struct timer_shared {
	lock_t lock;             /* guards everything below but the words */
	struct wheel wheel;      /* armed links not yet due */
	struct wheel_list due;   /* due, handler not started */
	struct wheel_list slowq; /* due TIMER_SLOW links */
	struct timer_link *running[TIMER_RUNNERS];
	uint64_t running_seq[TIMER_RUNNERS];
	uint64_t fire_seq; /* last firing id handed out */

	/* timer process sleep: 0 while awake, else the deadline it sleeps to */
	uint64_t sleep_until;
	volatile uint32_t wake_word; /* futex: bumped to wake the timer proc */
	int slow_sleeping;           /* the slow process waits on slow_word */
	volatile uint32_t slow_word; /* futex: bumped to wake the slow proc */

	struct timer_stats st;  /* armed, fired ... (not slow_queue) */
	unsigned long slow_len; /* links on slowq */
};

/* The shared state; NULL before timer_init(). */
extern struct timer_shared *timer_sh;

/*
 * Bumps *word and wakes the processes sleeping on it.  Used by timer.c to
 * wake the timer and slow processes; the bump makes a sleeper that has not
 * reached its futex wait yet return at once.
 */
void timer_futex_kick(volatile uint32_t *word);

#endif /* SERVAL_TIMER_TIMER_PRIV_H */
