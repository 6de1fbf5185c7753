/*
 * timer_proc.c - the timer process and the timer slow process.
 *
 * The timer process loops: fire everything due (timer_run()), then sleep
 * until the next deadline.  The sleep is a futex wait on a word in shm with
 * an absolute CLOCK_MONOTONIC timeout (FUTEX_WAIT_BITSET), so deadlines are
 * met as measured by the clock, never by counting ticks, and an idle server
 * does not wake every millisecond.
 *
 * Early wake-up without lost wake-ups: under the wheel lock the sleeper
 * recomputes its deadline, publishes it in sleep_until and reads the futex
 * word; timer_arm_at() compares a new deadline with sleep_until under the
 * same lock and, when earlier, lowers sleep_until and (after unlocking)
 * bumps the word and wakes.  A bump that lands before the sleeper's
 * FUTEX_WAIT makes the wait return at once (the word changed); one that
 * lands after wakes it.  While the process is awake sleep_until is 0 and
 * arming costs no system call.  The slow process uses the same pattern with
 * slow_sleeping / slow_word, kicked by the timer process when it queues a
 * TIMER_SLOW link.
 *
 * Stopping: signals arrive without SA_RESTART, so a signal interrupts the
 * futex wait (EINTR) and the loop sees proc_stop.  A signal that lands
 * between the proc_stop check and the wait cannot be seen by the wait, so
 * no single sleep lasts longer than TIMER_MAX_SLEEP_MS (one wake-up per
 * second when idle), and timer_wake_all() lets the master end the sleeps
 * at once after signalling.
 */
#include "timer_priv.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/proc.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Most slow handlers run between two looks at proc_stop. */
#define TIMER_SLOW_BATCH 16

/*
 * Sleeps while *word == val, at most until deadline_ms (CLOCK_MONOTONIC,
 * absolute).  Returns on a wake-up, a signal, the deadline, or at once
 * when *word != val.
 */
static void futex_wait_until(volatile uint32_t *word, uint32_t val,
                             uint64_t deadline_ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(deadline_ms / 1000u);
	ts.tv_nsec = (long)(deadline_ms % 1000u) * 1000000L;
	if (syscall(SYS_futex, word, FUTEX_WAIT_BITSET, val, &ts, NULL,
	            FUTEX_BITSET_MATCH_ANY) < 0 &&
	    errno != ETIMEDOUT && errno != EINTR && errno != EAGAIN)
		LM_ERR("futex wait failed: %d\n", errno);
}

void timer_futex_kick(volatile uint32_t *word)
{
	__atomic_fetch_add(word, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void timer_wake_all(void)
{
	if (timer_sh == NULL)
		return;
	timer_futex_kick(&timer_sh->wake_word);
	timer_futex_kick(&timer_sh->slow_word);
}

/*
 * Sleeps until the wheel's next work, an earlier arm, a kick, a signal, or
 * TIMER_MAX_SLEEP_MS.  The next work is computed here, under the lock that
 * publishes sleep_until, so an arm made since timer_run() is not missed.
 */
static void timer_sleep(struct timer_shared *sh)
{
	uint64_t now = timer_now_ms(), until;
	uint32_t seq;

	lock_get(&sh->lock);
	until = wheel_next_expiry(&sh->wheel);
	if (until > now + TIMER_MAX_SLEEP_MS)
		until = now + TIMER_MAX_SLEEP_MS;
	if (until <= now) {
		lock_release(&sh->lock);
		return;
	}
	sh->sleep_until = until;
	seq = __atomic_load_n(&sh->wake_word, __ATOMIC_ACQUIRE);
	lock_release(&sh->lock);

	/* a stop signal handled before seq was read left no wake behind */
	if (!proc_stop)
		futex_wait_until(&sh->wake_word, seq, until);

	lock_get(&sh->lock);
	sh->sleep_until = 0;
	lock_release(&sh->lock);
}

void timer_main(int rank, void *arg)
{
	struct timer_shared *sh = timer_sh;

	if (sh == NULL) {
		LM_CRIT("timer process started before timer_init()\n");
		return;
	}
	LM_DBG("timer process running\n");
	while (!proc_stop) {
		timer_run(timer_now_ms());
		if (proc_stop)
			break;
		timer_sleep(sh);
	}
	LM_DBG("timer process stopping\n");
}

/* Sleeps while the slow queue is empty (or a kick, signal, max sleep). */
static void slow_sleep(struct timer_shared *sh)
{
	uint32_t seq;

	lock_get(&sh->lock);
	if (!wheel_list_empty(&sh->slowq)) {
		lock_release(&sh->lock);
		return;
	}
	sh->slow_sleeping = 1;
	seq = __atomic_load_n(&sh->slow_word, __ATOMIC_ACQUIRE);
	lock_release(&sh->lock);

	if (!proc_stop)
		futex_wait_until(&sh->slow_word, seq,
	                 timer_now_ms() + TIMER_MAX_SLEEP_MS);

	lock_get(&sh->lock);
	sh->slow_sleeping = 0;
	lock_release(&sh->lock);
}

void timer_slow_main(int rank, void *arg)
{
	struct timer_shared *sh = timer_sh;

	if (sh == NULL) {
		LM_CRIT("timer slow process started before timer_init()\n");
		return;
	}
	LM_DBG("timer slow process running\n");
	while (!proc_stop) {
		if (timer_slow_run(TIMER_SLOW_BATCH) == TIMER_SLOW_BATCH)
			continue;
		if (proc_stop)
			break;
		slow_sleep(sh);
	}
	LM_DBG("timer slow process stopping\n");
}
