/*
 * shm_bench.c - shared-memory allocator throughput, 1 and 2 processes.
 *
 *   build/release/bench/shm_bench [seconds]     (default 2 per run)
 *
 * Each process loops: allocate a block of 64..4096 bytes (mostly small, as
 * tm's cells, clones and buffers are), touch its first and last byte, and
 * free a block: usually the one just allocated, but one time in eight the
 * new block replaces a random one of HELD blocks kept across iterations and
 * that older block is freed instead, so the heap stays fragmented the way a
 * server's is.  Every iteration is one shm_malloc + one shm_free through the
 * public (locking) API.  With procs=2 two forked processes hammer the same
 * segment at once, released together from a start line, and the figure is
 * their sum: it shows what the single allocator lock costs under contention.
 *
 * Output, one line per run (plain stdout, for scripts):
 *   shm_alloc_free_pairs_per_s procs=1 value=N
 *   shm_alloc_free_pairs_per_s procs=2 value=N
 * The heap is checked (shm_check) after each run; an inconsistency or an
 * allocation failure makes the program exit 1.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"
#include "shm/lock.h"
#include "shm/shm.h"

#define SEG_MB 64
#define HELD 256
#define MAX_PROCS 2

struct run {
	volatile int ready;
	volatile int go;
	volatile long pairs[MAX_PROCS];
	volatile int failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 70 % 64..511, 25 % 512..2047, 5 % 2048..4096 bytes. */
static size_t pick_size(uint64_t *s)
{
	uint64_t r = rng(s);
	unsigned pct = (unsigned)(r % 100);

	r >>= 8;
	if (pct < 70)
		return 64 + r % 448;
	if (pct < 95)
		return 512 + r % 1536;
	return 2048 + r % 2049;
}

/* The work of one process for secs seconds; returns pairs done, -1 on OOM. */
static long hammer(int rank, double secs)
{
	static char *held[HELD];
	uint64_t s = 0x9e3779b97f4a7c15ull * (uint64_t)(rank + 1);
	double end = now_s() + secs;
	long pairs = 0;
	int i;

	for (;;) {
		for (i = 0; i < 1024; i++, pairs++) {
			size_t n = pick_size(&s);
			char *p = shm_malloc(n), *old;

			if (p == NULL)
				return -1;
			p[0] = p[n - 1] = (char)n;
			if ((rng(&s) & 7) == 0) {
				unsigned k = (unsigned)(rng(&s) % HELD);

				old = held[k];
				held[k] = p;
				p = old;
			}
			shm_free(p);
		}
		if (now_s() >= end)
			break;
	}
	for (i = 0; i < HELD; i++) {
		shm_free(held[i]);
		held[i] = NULL;
	}
	return pairs;
}

static void child(struct run *r, int rank, double secs)
{
	long pairs;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	proc_pid = getpid();
	__atomic_fetch_add(&r->ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&r->go, __ATOMIC_ACQUIRE))
		sched_yield();
	pairs = hammer(rank, secs);
	if (pairs < 0)
		r->failed = 1;
	r->pairs[rank] = pairs;
	_exit(0);
}

/* Runs procs forked processes for secs; returns pairs per second or -1. */
static double run_procs(int procs, double secs)
{
	struct run *r = shm_calloc(sizeof(*r));
	long total = 0;
	double t0, t1;
	int i;

	if (r == NULL)
		return -1;
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0)
			child(r, i, secs);
	}
	while (__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE) < procs)
		sched_yield();
	t0 = now_s();
	__atomic_store_n(&r->go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < procs; i++)
		wait(NULL);
	t1 = now_s();
	for (i = 0; i < procs; i++)
		total += r->pairs[i];
	i = r->failed;
	shm_free(r);
	return i ? -1 : (double)total / (t1 - t0);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0, rate;
	int procs;

	if (secs <= 0)
		secs = 2.0;
	proc_pid = getpid();
	if (shm_init((size_t)SEG_MB << 20) != SV_OK)
		return 1;
	for (procs = 1; procs <= MAX_PROCS; procs++) {
		rate = run_procs(procs, secs);
		if (rate < 0 || shm_check() != SV_OK) {
			fprintf(stderr, "shm_bench: run with %d process(es) "
			        "failed\n", procs);
			return 1;
		}
		printf("shm_alloc_free_pairs_per_s procs=%d value=%.0f\n",
		       procs, rate);
		fflush(stdout);
	}
	shm_destroy();
	return 0;
}
