/*
 * udp_pool.c - see udp_pool.h.
 *
 * The shared part of a pool is the futex word `active` and, per receiver
 * on a cache line of its own, the time its current datagram arrived (0
 * while it waits), read by the stall check in the timer process.  The
 * rest of the accounting (the window, the busy time) is private to each
 * receiver.
 */
#include "udp_pool.h"
#include "errors.h"
#include "log.h"
#include "stats.h"
#include "shm/shm.h"
#include "timer/timer.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS 1000000ull

struct udp_pool_slot {
	volatile uint64_t busy_since_ns; /* 0: waiting for a datagram */
	char pad[64 - sizeof(uint64_t)];
};

struct udp_pool {
	volatile uint32_t active; /* futex word: receivers 0..active-1 listen */
	int size;
	int adaptive;                /* 0: all listen, always */
	struct udp_pool_slot *slots; /* size of them */
};

static struct udp_pool *pools; /* shm, npools of them */
static int npools;

enum udp_pool_verdict udp_pool_verdict(int index, int active, int size,
                                       uint64_t busy_ns, uint64_t window_ns)
{
	if (window_ns == 0 || index != active - 1)
		return UDP_POOL_STAY;
	if (active < size && busy_ns * 100 >= window_ns * UDP_POOL_GROW_PCT)
		return UDP_POOL_GROW;
	if (index > 0 && busy_ns * 100 < window_ns * UDP_POOL_PARK_PCT)
		return UDP_POOL_PARK;
	return UDP_POOL_STAY;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t active_of(const struct udp_pool *p)
{
	return __atomic_load_n(&p->active, __ATOMIC_ACQUIRE);
}

/* active: from -> to, when nobody changed it meanwhile.  Returns 1 if so. */
static int active_cas(struct udp_pool *p, uint32_t from, uint32_t to)
{
	return __atomic_compare_exchange_n(&p->active, &from, to, 0,
	                                   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* One more receiver listens (when one is parked). */
static void pool_grow(struct udp_pool *p, uint32_t from)
{
	if ((int)from >= p->size || !active_cas(p, from, from + 1))
		return;
	syscall(SYS_futex, &p->active, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

int udp_pool_wait_turn(struct udp_pool *p, int index)
{
	uint32_t a = active_of(p);

	if ((int)a > index)
		return 1;
	/* sleeps while active is still a; EINTR, EAGAIN: the caller loops */
	syscall(SYS_futex, &p->active, FUTEX_WAIT, a, NULL, NULL, 0);
	return (int)active_of(p) > index;
}

void udp_pool_self_init(struct udp_pool_self *s, struct udp_pool *p, int index)
{
	memset(s, 0, sizeof(*s));
	s->pool = p;
	s->index = index;
	s->window_start_ns = now_ns();
}

/*
 * Ends s's window when it is over: decides, then starts the next one.
 * Checked when a datagram arrives too, so that idle time before a burst
 * does not dilute the burst's window.
 */
static void window_check(struct udp_pool_self *s, uint64_t now)
{
	struct udp_pool *p = s->pool;
	uint64_t window = now - s->window_start_ns;
	uint32_t a;

	if (window < UDP_POOL_WINDOW_MS * NS_PER_MS)
		return;
	a = active_of(p);
	switch (
	    udp_pool_verdict(s->index, (int)a, p->size, s->busy_ns, window)) {
	case UDP_POOL_GROW:
		pool_grow(p, a);
		break;
	case UDP_POOL_PARK:
		active_cas(p, a, a - 1);
		break;
	case UDP_POOL_STAY:
		break;
	}
	s->window_start_ns = now;
	s->busy_ns = 0;
}

void udp_pool_busy(struct udp_pool_self *s)
{
	if (!s->pool->adaptive)
		return;
	s->busy_start_ns = now_ns();
	window_check(s, s->busy_start_ns);
	s->pool->slots[s->index].busy_since_ns = s->busy_start_ns;
}

void udp_pool_idle(struct udp_pool_self *s)
{
	uint64_t now;

	if (!s->pool->adaptive)
		return;
	now = now_ns();
	s->pool->slots[s->index].busy_since_ns = 0;
	s->busy_ns += now - s->busy_start_ns;
	window_check(s, now);
}

/* Whether every listening receiver of p is stuck in one datagram. */
static int pool_stalled(const struct udp_pool *p, uint32_t active, uint64_t now)
{
	uint64_t since;
	uint32_t i;

	for (i = 0; i < active; i++) {
		since = p->slots[i].busy_since_ns;
		if (since == 0 || now - since < UDP_POOL_STALL_MS * NS_PER_MS)
			return 0;
	}
	return 1;
}

/* The timer process's look at every pool, each UDP_POOL_WINDOW_MS. */
static void stall_check(struct timer_link *tl, uint64_t now_ms)
{
	uint64_t now = now_ns();
	uint32_t a;
	int i;

	for (i = 0; i < npools; i++) {
		a = active_of(&pools[i]);
		if ((int)a < pools[i].size && pool_stalled(&pools[i], a, now)) {
			LM_INFO(
			    "UDP receivers of socket %d all busy for %d ms: "
			    "%u listen now\n",
			    i, UDP_POOL_STALL_MS, a + 1);
			pool_grow(&pools[i], a);
		}
	}
	timer_arm_at(tl, timer_expires(tl) + UDP_POOL_WINDOW_MS);
	(void)now_ms;
}

long udp_pools_listening(void)
{
	long n = 0;
	int i;

	for (i = 0; i < npools; i++)
		n += active_of(&pools[i]);
	return n;
}

struct udp_pool *udp_pool_get(int sock)
{
	return sock >= 0 && sock < npools ? &pools[sock] : NULL;
}

/* The timer's look at the pools, every UDP_POOL_WINDOW_MS. */
static int arm_stall_check(void)
{
	struct timer_link *stall_timer = shm_malloc(sizeof(*stall_timer));

	if (stall_timer == NULL)
		return SV_ENOMEM;
	timer_link_init(stall_timer, stall_check, 0);
	return timer_arm_at(stall_timer, timer_now_ms() + UDP_POOL_WINDOW_MS);
}

int udp_pools_init(int nsockets, int size, int adaptive)
{
	int i;

	if (nsockets <= 0)
		return SV_OK;
	adaptive = adaptive && size > 1; /* one receiver: nothing to adapt */
	pools = shm_malloc(sizeof(*pools) * (size_t)nsockets);
	if (pools == NULL)
		return SV_ENOMEM;
	for (i = 0; i < nsockets; i++) {
		pools[i].active = adaptive ? 1u : (uint32_t)size;
		pools[i].size = size;
		pools[i].adaptive = adaptive;
		pools[i].slots =
		    shm_calloc(sizeof(struct udp_pool_slot) * (size_t)size);
		if (pools[i].slots == NULL)
			return SV_ENOMEM;
	}
	npools = nsockets;
	if (stat_register("core", "udp_receivers", STAT_IS_FUNC | STAT_NO_RESET,
	                  NULL, udp_pools_listening) != SV_OK)
		return SV_ENOMEM;
	if (adaptive && arm_stall_check() != SV_OK)
		return SV_ENOMEM;
	return SV_OK;
}
