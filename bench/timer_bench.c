/*
 * timer_bench.c - firing lateness and cost of the real timer process.
 *
 * Creates shm and the timer state, forks the timer process (timer_main,
 * exactly as the server runs it), then from the parent arms N timers with
 * random delays in [0, SPREAD) ms.  Each handler stamps CLOCK_MONOTONIC in
 * ns into its object in shm; lateness is that stamp minus the deadline
 * (the start of the deadline's millisecond).  After every timer fired the
 * timer process is left idle with nothing armed for IDLE_S seconds and
 * its context switches are counted (/proc/<pid>/status), which is its
 * wake-ups.  Its CPU time comes from wait4() when it exits.
 *
 *   build/release/bench/timer_bench [timers [spread_ms [idle_s]]]
 *
 * Output: key=value lines.  Defaults: 100000 timers over 5000 ms, 2 s idle
 * (about 8 s in all).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"
#include "core/proc.h"
#include "shm/lock.h"
#include "shm/shm.h"
#include "timer/timer.h"

struct bobj {
	struct timer_link tl;
	uint64_t fired_ns; /* 0 until the handler ran */
};

static volatile long *fired_count; /* in shm */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void on_fire(struct timer_link *tl, uint64_t now_ms)
{
	struct bobj *o = container_of(tl, struct bobj, tl);

	o->fired_ns = now_ns();
	__atomic_fetch_add(fired_count, 1, __ATOMIC_RELEASE);
}

static void on_term(int sig)
{
	proc_stop = 1;
}

static pid_t fork_timer(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_term; /* no SA_RESTART, as proc.c does */
		sigaction(SIGTERM, &sa, NULL);
		proc_pid = getpid();
		timer_main(1, NULL);
		_exit(0);
	}
	return pid;
}

/* Voluntary + involuntary context switches of pid, -1 on error. */
static long ctx_switches(pid_t pid)
{
	char path[64], line[256];
	long total = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
			total += v;
	}
	fclose(f);
	return total;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Arms every timer; returns the ns spent. */
static uint64_t arm_all(struct bobj *o, long n, long spread_ms)
{
	uint64_t seed = 0x2545f4914f6cdd1dull, t0 = now_ns();
	long i;

	for (i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		timer_arm(&o[i].tl, seed % (uint64_t)spread_ms);
	}
	return now_ns() - t0;
}

/* Prints lateness percentiles; returns the number fired early. */
static long report_lateness(struct bobj *o, long n)
{
	int64_t *late = malloc((size_t)n * sizeof(*late));
	long i, early = 0, m = 0;

	if (late == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (o[i].fired_ns == 0)
			continue;
		late[m] = (int64_t)o[i].fired_ns -
		          (int64_t)(timer_expires(&o[i].tl) * 1000000u);
		if (late[m] < 0)
			early++;
		m++;
	}
	qsort(late, (size_t)m, sizeof(*late), cmp_i64);
	if (m > 0) {
		printf("late_p50_ms=%.3f\n", late[m / 2] / 1e6);
		printf("late_p99_ms=%.3f\n", late[m * 99 / 100] / 1e6);
		printf("late_max_ms=%.3f\n", late[m - 1] / 1e6);
	}
	printf("fired_early=%ld\n", early);
	free(late);
	return early;
}

/* Waits until n timers fired or deadline_ns passes. */
static void wait_fired(long n, uint64_t deadline_ns)
{
	while (__atomic_load_n(fired_count, __ATOMIC_ACQUIRE) < n &&
	       now_ns() < deadline_ns)
		usleep(10000);
}

static int run(long n, long spread_ms, long idle_s)
{
	struct bobj *o = shm_calloc((size_t)n * sizeof(*o));
	struct rusage ru;
	double cpu_ms;
	long i, sw0, sw1;
	pid_t pid;
	int status;

	fired_count = shm_calloc(sizeof(*fired_count));
	if (o == NULL || fired_count == NULL) {
		fprintf(stderr, "timer_bench: shm too small\n");
		return 1;
	}
	for (i = 0; i < n; i++)
		timer_link_init(&o[i].tl, on_fire, 0);
	pid = fork_timer();
	if (pid < 0)
		return 1;
	usleep(100000);
	printf("timers=%ld\nspread_ms=%ld\n", n, spread_ms);
	printf("arm_ns_per_timer=%.0f\n",
	       (double)arm_all(o, n, spread_ms) / (double)n);
	wait_fired(n, now_ns() + (uint64_t)(spread_ms + 3000) * 1000000u);
	printf("fired=%ld\n", __atomic_load_n(fired_count, __ATOMIC_ACQUIRE));
	report_lateness(o, n);

	usleep(200000); /* settle: nothing armed from here on */
	sw0 = ctx_switches(pid);
	sleep((unsigned)idle_s);
	sw1 = ctx_switches(pid);
	printf("idle_s=%ld\nidle_wakeups_per_s=%.2f\n", idle_s,
	       (double)(sw1 - sw0) / (double)idle_s);

	kill(pid, SIGTERM);
	timer_wake_all();
	if (wait4(pid, &status, 0, &ru) != pid)
		return 1;
	cpu_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	printf("timer_cpu_ms=%.1f\n", cpu_ms);
	printf("timer_cpu_us_per_timer=%.2f\n", cpu_ms * 1e3 / (double)n);
	printf("timer_exit=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	long spread = argc > 2 ? atol(argv[2]) : 5000;
	long idle = argc > 3 ? atol(argv[3]) : 2;
	int rc;

	if (n <= 0 || spread <= 0 || idle <= 0) {
		fprintf(stderr, "usage: %s [timers [spread_ms [idle_s]]]\n",
		        argv[0]);
		return 2;
	}
	proc_pid = getpid();
	if (shm_init((size_t)n * sizeof(struct bobj) + (16u << 20)) != SV_OK ||
	    timer_init() != SV_OK)
		return 1;
	rc = run(n, spread, idle);
	timer_destroy();
	shm_destroy();
	return rc;
}
