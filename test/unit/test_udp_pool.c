/*
 * test_udp_pool.c - the adaptive pool of UDP receivers (core/udp_pool.h).
 *
 * The policy as a table of cases; then the shared state in one process:
 * a busy first receiver lets a second one listen, an idle second one parks
 * itself, the first never parks, a stalled receiver makes the timer's
 * check grow the pool, a non-adaptive pool never changes; and a parked
 * receiver in a forked process is woken when the pool grows (the unit is
 * about processes waiting on each other).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/proc.h"
#include "core/stats.h"
#include "core/udp_pool.h"
#include "shm/lock.h"
#include "shm/shm.h"
#include "timer/timer.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ull

static int setup(void **state)
{
	proc_pid = getpid();
	log_set_level(L_CRIT);
	if (shm_init(4 << 20) != SV_OK || timer_init() != SV_OK ||
	    stats_init() != SV_OK)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	stats_destroy();
	timer_destroy();
	shm_destroy();
	return 0;
}

static void verdicts(void **state)
{
	uint64_t w = 20 * MS;

	/* only the highest listening receiver decides */
	assert_int_equal(udp_pool_verdict(0, 2, 4, w, w), UDP_POOL_STAY);
	/* busy at or above half its window: grow, if one is parked */
	assert_int_equal(udp_pool_verdict(0, 1, 2, w / 2, w), UDP_POOL_GROW);
	assert_int_equal(udp_pool_verdict(0, 1, 2, w / 2 - 1, w),
	                 UDP_POOL_STAY);
	assert_int_equal(udp_pool_verdict(1, 2, 2, w, w), UDP_POOL_STAY);
	/* busy under a fifth: park, never the first */
	assert_int_equal(udp_pool_verdict(1, 2, 2, w / 5 - 1, w),
	                 UDP_POOL_PARK);
	assert_int_equal(udp_pool_verdict(1, 2, 2, w / 5, w), UDP_POOL_STAY);
	assert_int_equal(udp_pool_verdict(0, 1, 2, 0, w), UDP_POOL_STAY);
	/* an empty window decides nothing */
	assert_int_equal(udp_pool_verdict(0, 1, 2, 0, 0), UDP_POOL_STAY);
}

/* One datagram for s, after a window of win_ms busy busy_ms. */
static void one_datagram(struct udp_pool_self *s, uint64_t win_ms,
                         uint64_t busy_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->window_start_ns = (uint64_t)ts.tv_sec * 1000000000ull +
	                     (uint64_t)ts.tv_nsec - win_ms * MS;
	s->busy_ns = busy_ms * MS;
	udp_pool_busy(s);
	udp_pool_idle(s);
}

static void grow_and_park(void **state)
{
	struct udp_pool_self r0, r1;
	struct udp_pool *p;

	assert_int_equal(udp_pools_init(1, 2, 1), SV_OK);
	p = udp_pool_get(0);
	assert_non_null(p);
	assert_null(udp_pool_get(1));
	assert_int_equal(udp_pools_listening(), 1);
	assert_int_equal(udp_pool_wait_turn(p, 0), 1);
	udp_pool_self_init(&r0, p, 0);
	udp_pool_self_init(&r1, p, 1);

	one_datagram(&r0, 30, 5); /* light: nothing changes */
	assert_int_equal(udp_pools_listening(), 1);
	one_datagram(&r0, 30, 25); /* busy: the second listens */
	assert_int_equal(udp_pools_listening(), 2);
	assert_int_equal(udp_pool_wait_turn(p, 1), 1);
	one_datagram(&r0, 30, 0); /* the first never parks */
	assert_int_equal(udp_pools_listening(), 2);
	one_datagram(&r1, 5, 0); /* a window not yet over: no decision */
	assert_int_equal(udp_pools_listening(), 2);
	one_datagram(&r1, 30, 1); /* idle: the second parks */
	assert_int_equal(udp_pools_listening(), 1);
	one_datagram(&r0, 30, 30);
	assert_int_equal(udp_pools_listening(), 2);
	one_datagram(&r0, 30, 30); /* full: no third to wake */
	assert_int_equal(udp_pools_listening(), 2);
}

static void fixed_pool(void **state)
{
	struct udp_pool_self r1;

	assert_int_equal(udp_pools_init(2, 3, 0), SV_OK);
	assert_int_equal(udp_pools_listening(), 6);
	udp_pool_self_init(&r1, udp_pool_get(1), 2);
	one_datagram(&r1, 30, 0);
	assert_int_equal(udp_pools_listening(), 6);
}

static void stalled_receiver_grows(void **state)
{
	struct udp_pool_self r0;
	struct timespec ts = { 0, (long)(UDP_POOL_STALL_MS + 5) * 1000000L };

	assert_int_equal(udp_pools_init(1, 3, 1), SV_OK);
	udp_pool_self_init(&r0, udp_pool_get(0), 0);
	/* not busy: the timer's look changes nothing */
	timer_run(timer_now_ms() + UDP_POOL_WINDOW_MS);
	assert_int_equal(udp_pools_listening(), 1);
	udp_pool_busy(&r0); /* a datagram that takes long */
	nanosleep(&ts, NULL);
	timer_run(timer_now_ms() + UDP_POOL_WINDOW_MS);
	assert_int_equal(udp_pools_listening(), 2);
	udp_pool_idle(&r0);
}

static void parked_process_woken(void **state)
{
	struct udp_pool_self r0;
	struct udp_pool *p;
	int status = -1, i;
	pid_t pid, w = 0;

	assert_int_equal(udp_pools_init(1, 2, 1), SV_OK);
	p = udp_pool_get(0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(10);
		while (!udp_pool_wait_turn(p, 1))
			;
		_exit(0);
	}
	/* the child is parked (or about to be): grow wakes it */
	udp_pool_self_init(&r0, p, 0);
	one_datagram(&r0, 30, 30);
	for (i = 0; i < 1000 && w == 0; i++) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == 0)
			usleep(10000);
	}
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		fail_msg("parked receiver not woken");
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(verdicts),
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(grow_and_park),
	    T(fixed_pool),
	    T(stalled_receiver_grows),
	    T(parked_process_woken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
