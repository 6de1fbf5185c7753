/*
 * test_timer_wheel.c - the timing wheel in virtual time.
 *
 * Every test drives timer/wheel.c with explicit millisecond values; nothing
 * reads a clock.  Random deadlines come from a fixed-seed xorshift generator
 * so runs are reproducible.  Each timed object records when it was handed
 * out, so the tests check "exactly once, never early, never late by more
 * than the step" against the deadline it was given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/errors.h"
#include "timer/wheel.h"

struct obj {
	struct wheel_link wl;
	uint64_t due;      /* deadline it was armed with (0: not armed) */
	uint64_t fired_at; /* now of the expire call that handed it out */
	int fired;         /* times handed out */
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* A random value in [0, n). */
static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static struct wheel wh;

static void arm(struct obj *o, uint64_t due)
{
	o->due = due;
	wheel_add(&wh, &o->wl, due);
}

/*
 * Runs wheel_expire(now) and checks each link handed out: once, not early,
 * not due at the previous call (prev_now), in nondecreasing deadline order.
 * Every deadline must be after the wheel's initial clock.  Returns the
 * number handed out.
 */
static unsigned long expire_check(uint64_t now, uint64_t prev_now)
{
	struct wheel_list out;
	struct wheel_link *l;
	uint64_t last = 0;
	unsigned long n = 0;

	wheel_list_init(&out);
	assert_int_equal(wheel_expire(&wh, now, &out, WHEEL_UNBOUNDED), SV_OK);
	while ((l = wheel_list_pop(&out)) != NULL) {
		struct obj *o = container_of(l, struct obj, wl);

		assert_false(wheel_link_in_wheel(l));
		assert_int_equal(o->fired, 0);
		assert_true(o->due <= now);     /* never early */
		assert_true(o->due > prev_now); /* not held back from a call */
		assert_true(o->due >= last);    /* deadline order */
		last = o->due;
		o->fired++;
		o->fired_at = now;
		n++;
	}
	assert_true(wheel_clock(&wh) == now + 1);
	return n;
}

/*
 * Steps the wheel from its clock by following wheel_next_expiry() until it
 * is empty or passes `until`; returns the number of links handed out.
 * Every link must be handed out exactly at its deadline.
 */
static unsigned long step_exact(uint64_t until, unsigned long *calls)
{
	unsigned long n = 0;
	uint64_t t, prev = wheel_clock(&wh) - 1;

	while ((t = wheel_next_expiry(&wh)) != WHEEL_NEVER && t <= until) {
		struct wheel_list out;
		struct wheel_link *l;

		assert_true(t >= wheel_clock(&wh));
		wheel_list_init(&out);
		assert_int_equal(wheel_expire(&wh, t, &out, WHEEL_UNBOUNDED),
		                 SV_OK);
		while ((l = wheel_list_pop(&out)) != NULL) {
			struct obj *o = container_of(l, struct obj, wl);

			assert_int_equal(o->fired, 0);
			/* exact for future deadlines, at once for past ones */
			assert_true(o->due == t ||
			            (o->due <= prev && t == prev + 1));
			o->fired++;
			o->fired_at = t;
			n++;
		}
		prev = t;
		if (calls)
			(*calls)++;
	}
	return n;
}

static int setup(void **state)
{
	rng_state = 0x9e3779b97f4a7c15ull;
	return 0;
}

/* An empty wheel: nothing due, never any work, the clock still moves. */
static void test_empty(void **state)
{
	struct wheel_list out;

	wheel_init(&wh, 1000);
	assert_true(wheel_next_expiry(&wh) == WHEEL_NEVER);
	wheel_list_init(&out);
	assert_int_equal(wheel_expire(&wh, 5000000, &out, WHEEL_UNBOUNDED),
	                 SV_OK);
	assert_true(wheel_list_empty(&out));
	assert_true(wheel_clock(&wh) == 5000001);
	/* a call with a time before the clock changes nothing */
	assert_int_equal(wheel_expire(&wh, 10, &out, WHEEL_UNBOUNDED), SV_OK);
	assert_true(wheel_clock(&wh) == 5000001);
	assert_int_equal(wheel_count(&wh), 0);
}

/* One link per interesting distance, each level boundary and beyond. */
static void test_each_level_exact(void **state)
{
	static const uint64_t deltas[] = {0,
	                                  1,
	                                  255,
	                                  256,
	                                  257,
	                                  16383,
	                                  16384,
	                                  16385,
	                                  (1u << 20) - 1,
	                                  1u << 20,
	                                  (1u << 26) + 3,
	                                  WHEEL_SPAN - 1,
	                                  WHEEL_SPAN,
	                                  WHEEL_SPAN + 1,
	                                  3 * WHEEL_SPAN + 12345,
	                                  100000ull * 86400000};
	const uint64_t base = 987654321; /* not aligned to any block */
	size_t i;

	for (i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		struct obj o = {.due = 0};
		unsigned long calls = 0;

		wheel_init(&wh, base);
		wheel_link_init(&o.wl);
		arm(&o, base + deltas[i]);
		assert_int_equal(wheel_count(&wh), 1);
		assert_int_equal(step_exact(UINT64_MAX, &calls), 1);
		assert_int_equal(o.fired, 1);
		assert_true(o.fired_at == base + deltas[i]);
		assert_int_equal(wheel_count(&wh), 0);
		/*
		 * one call per level descended, plus one per 63/64 span for
		 * a clamped deadline (it re-cascades from the top level)
		 */
		assert_true(calls <= WHEEL_LEVELS + 1 +
		                         deltas[i] / (WHEEL_SPAN / 64 * 63));
	}
}

/* Many random deadlines, the clock advanced by random steps. */
static void test_random_steps(void **state)
{
	enum { N = 20000 };
	struct obj *o = calloc(N, sizeof(*o));
	uint64_t now = 50000, prev;
	unsigned long fired = 0;
	int i;

	assert_non_null(o);
	wheel_init(&wh, now);
	for (i = 0; i < N; i++) {
		wheel_link_init(&o[i].wl);
		arm(&o[i], now + rnd_below(90000));
	}
	prev = now - 1;
	while (fired < N) {
		now = prev + 1 + rnd_below(40);
		fired += expire_check(now, prev);
		prev = now;
	}
	for (i = 0; i < N; i++) {
		assert_int_equal(o[i].fired, 1);
		/* handed out by the first call at or after the deadline */
		assert_true(o[i].fired_at >= o[i].due);
		assert_true(o[i].fired_at - o[i].due < 40);
	}
	assert_true(wheel_next_expiry(&wh) == WHEEL_NEVER);
	free(o);
}

/* 100 000 timers spread over every level and beyond: each fires once. */
static void test_100k_all_levels(void **state)
{
	enum { N = 100000 };
	struct obj *o = calloc(N, sizeof(*o));
	const uint64_t base = 3000000007ull;
	unsigned long calls = 0;
	int i, lvl_seen[WHEEL_LEVELS + 1] = {0};

	assert_non_null(o);
	wheel_init(&wh, base);
	for (i = 0; i < N; i++) {
		/* log-uniform: 2^0 .. 2^35 ms ahead (clamped above 2^32) */
		unsigned bits = (unsigned)rnd_below(36);
		uint64_t d = rnd_below(1ull << bits);

		wheel_link_init(&o[i].wl);
		arm(&o[i], base + d);
		if (o[i].wl.slot < WHEEL_L0_SIZE)
			lvl_seen[0]++;
		else
			lvl_seen[1 + (o[i].wl.slot - WHEEL_L0_SIZE) /
			                 WHEEL_LN_SIZE]++;
		if (d >= WHEEL_SPAN)
			lvl_seen[WHEEL_LEVELS]++;
	}
	for (i = 0; i <= WHEEL_LEVELS; i++)
		assert_true(lvl_seen[i] > 100); /* every level, and clamped */
	assert_int_equal(wheel_count(&wh), N);
	assert_int_equal(step_exact(UINT64_MAX, &calls), N);
	for (i = 0; i < N; i++) {
		assert_int_equal(o[i].fired, 1);
		assert_true(o[i].fired_at == o[i].due);
	}
	assert_int_equal(wheel_count(&wh), 0);
	free(o);
}

/* Re-arming moves a timer, earlier or later. */
static void test_rearm_moves(void **state)
{
	struct obj a = {.due = 0}, b = {.due = 0};

	wheel_init(&wh, 0);
	wheel_link_init(&a.wl);
	wheel_link_init(&b.wl);
	arm(&a, 100000);
	arm(&b, 10);
	/* earlier */
	assert_int_equal(wheel_del(&wh, &a.wl), SV_OK);
	arm(&a, 50);
	assert_int_equal(step_exact(49, NULL), 1); /* b only */
	assert_int_equal(b.fired, 1);
	assert_int_equal(a.fired, 0);
	/* later again, from level 0 to level 2 */
	assert_int_equal(wheel_del(&wh, &a.wl), SV_OK);
	arm(&a, 40000);
	assert_int_equal(step_exact(39999, NULL), 0);
	assert_int_equal(step_exact(UINT64_MAX, NULL), 1);
	assert_true(a.fired_at == 40000);
}

/* Disarm while due: between two budgeted expire steps of the same ms. */
static void test_disarm_while_due(void **state)
{
	struct obj o[3];
	struct wheel_list out;
	int i;

	wheel_init(&wh, 0);
	for (i = 0; i < 3; i++) {
		o[i] = (struct obj){.due = 0};
		wheel_link_init(&o[i].wl);
		arm(&o[i], 700); /* level 1, cascades at 512 */
	}
	wheel_list_init(&out);
	/* budget 2: cascades two of the three links at 512, then stops */
	assert_int_equal(wheel_expire(&wh, 700, &out, 2), SV_EAGAIN);
	assert_true(wheel_list_empty(&out));
	assert_true(wheel_next_expiry(&wh) <= 700);
	/* all three are still in the wheel: any can be removed */
	assert_int_equal(wheel_del(&wh, &o[1].wl), SV_OK);
	assert_int_equal(wheel_expire(&wh, 700, &out, 1), SV_EAGAIN);
	assert_int_equal(wheel_expire(&wh, 700, &out, 1), SV_EAGAIN);
	/* one handed out, one still in the wheel */
	assert_int_equal(wheel_count(&wh), 1);
	assert_false(wheel_list_empty(&out));
	for (i = 0; i < 3; i++) {
		if (i == 1 || wheel_link_in_wheel(&o[i].wl))
			continue;
		/* handed out: not the wheel's any more */
		assert_int_equal(wheel_del(&wh, &o[i].wl), SV_ENOTFOUND);
		assert_true(wheel_link_queued(&o[i].wl));
	}
	for (i = 0; i < 3; i++)
		if (wheel_link_in_wheel(&o[i].wl))
			assert_int_equal(wheel_del(&wh, &o[i].wl), SV_OK);
	assert_int_equal(wheel_expire(&wh, 700, &out, 5), SV_OK);
	assert_int_equal(wheel_count(&wh), 0);
	assert_true(wheel_list_pop(&out) != NULL);
	assert_true(wheel_list_empty(&out));
	assert_true(wheel_next_expiry(&wh) == WHEEL_NEVER);
}

/* Disarming a link that is not armed is refused and harmless. */
static void test_disarm_not_armed(void **state)
{
	struct obj a = {.due = 0}, b = {.due = 0};

	wheel_init(&wh, 10);
	wheel_link_init(&a.wl);
	wheel_link_init(&b.wl);
	assert_int_equal(wheel_del(&wh, &a.wl), SV_ENOTFOUND);
	arm(&a, 20);
	arm(&b, 20);
	assert_int_equal(wheel_del(&wh, &a.wl), SV_OK);
	assert_int_equal(wheel_del(&wh, &a.wl), SV_ENOTFOUND);
	assert_int_equal(wheel_count(&wh), 1);
	/* the slot's other link is intact and still fires */
	assert_int_equal(step_exact(UINT64_MAX, NULL), 1);
	assert_int_equal(b.fired, 1);
	assert_int_equal(a.fired, 0);
}

/* Deadlines just around each level's block boundaries, unaligned clock. */
static void test_cascade_boundaries(void **state)
{
	enum { N = 4 * 7 * 3 };
	struct obj o[N];
	const uint64_t base = (1ull << 26) * 5 - 300; /* near many boundaries */
	unsigned long calls = 0;
	int n = 0, lvl, k, j;

	wheel_init(&wh, base);
	for (lvl = 1; lvl <= WHEEL_UPPER; lvl++) {
		uint64_t blk = 1ull
		               << (WHEEL_L0_BITS + (lvl - 1) * WHEEL_LN_BITS);
		uint64_t first = (base / blk + 1) * blk;

		for (k = 0; k < 7; k++) {
			uint64_t edge = first + (uint64_t)k * 9 * blk;

			for (j = -1; j <= 1; j++) {
				o[n] = (struct obj){.due = 0};
				wheel_link_init(&o[n].wl);
				arm(&o[n], edge + (uint64_t)(int64_t)j);
				n++;
			}
		}
	}
	assert_int_equal(step_exact(UINT64_MAX, &calls), N);
	for (k = 0; k < N; k++) {
		assert_int_equal(o[k].fired, 1);
		assert_true(o[k].fired_at == o[k].due);
	}
}

/* A deadline already past is due at once and keeps its value. */
static void test_past_deadline(void **state)
{
	struct obj a = {.due = 0}, b = {.due = 0};
	struct wheel_list out;

	wheel_init(&wh, 5000);
	wheel_link_init(&a.wl);
	wheel_link_init(&b.wl);
	arm(&b, 5001);
	arm(&a, 100);
	assert_true(wheel_next_expiry(&wh) == 5000);
	wheel_list_init(&out);
	assert_int_equal(wheel_expire(&wh, 5001, &out, WHEEL_UNBOUNDED), SV_OK);
	/* the past one first, its deadline unchanged */
	assert_ptr_equal(wheel_list_pop(&out), &a.wl);
	assert_true(a.wl.expires == 100);
	assert_ptr_equal(wheel_list_pop(&out), &b.wl);
	assert_null(wheel_list_pop(&out));
}

/* Brute-force minimum of the effective deadlines of armed objects. */
static uint64_t min_due(struct obj *o, int n)
{
	uint64_t m = WHEEL_NEVER, e;
	int i;

	for (i = 0; i < n; i++) {
		if (!wheel_link_in_wheel(&o[i].wl))
			continue;
		e = o[i].due < wheel_clock(&wh) ? wheel_clock(&wh) : o[i].due;
		if (e < m)
			m = e;
	}
	return m;
}

/* next_expiry: never after the earliest deadline, exact within 256 ms. */
static void test_next_expiry(void **state)
{
	enum { N = 300, ROUNDS = 4000 };
	struct obj o[N];
	uint64_t now = 123456, t, m;
	int i, r;

	wheel_init(&wh, now);
	for (i = 0; i < N; i++) {
		o[i] = (struct obj){.due = 0};
		wheel_link_init(&o[i].wl);
	}
	for (r = 0; r < ROUNDS; r++) {
		i = (int)rnd_below(N);
		if (wheel_link_in_wheel(&o[i].wl))
			assert_int_equal(wheel_del(&wh, &o[i].wl), SV_OK);
		else if (!wheel_link_queued(&o[i].wl))
			arm(&o[i], now + rnd_below(1ull << rnd_below(24)));
		t = wheel_next_expiry(&wh);
		m = min_due(o, N);
		assert_true(t >= wheel_clock(&wh));
		assert_true(t <= m);
		if (m != WHEEL_NEVER && m - wheel_clock(&wh) < WHEEL_L0_SIZE &&
		    wheel_count(&wh) == 1)
			assert_true(t == m);
		if (m == WHEEL_NEVER)
			assert_true(t == WHEEL_NEVER);
		if (r % 7 == 0) { /* advance: to the next event or a bit */
			struct wheel_list out;
			struct wheel_link *l;

			now = (r % 14 == 0 && t != WHEEL_NEVER) ? t : now + 37;
			wheel_list_init(&out);
			wheel_expire(&wh, now, &out, WHEEL_UNBOUNDED);
			while ((l = wheel_list_pop(&out)) != NULL)
				assert_true(
				    container_of(l, struct obj, wl)->due <=
				    now);
		}
	}
}

/* Only level-0 links: next_expiry is exactly the earliest deadline. */
static void test_next_expiry_exact_level0(void **state)
{
	struct obj o[64];
	int i;

	wheel_init(&wh, 1000);
	for (i = 0; i < 64; i++) {
		o[i] = (struct obj){.due = 0};
		wheel_link_init(&o[i].wl);
		arm(&o[i], 1000 + 1 + rnd_below(255));
	}
	while (wheel_count(&wh) > 0) {
		uint64_t m = min_due(o, 64);

		assert_true(wheel_next_expiry(&wh) == m);
		assert_int_equal(step_exact(m, NULL) > 0, 1);
	}
}

/* A budget bounds the links moved per call and gives the same result. */
static void test_budget(void **state)
{
	enum { N = 1000, BUDGET = 10 };
	struct obj *o = calloc(N, sizeof(*o));
	struct wheel_list out;
	unsigned long got = 0, calls = 0;
	int i, rc;

	assert_non_null(o);
	wheel_init(&wh, 0);
	for (i = 0; i < N; i++) {
		wheel_link_init(&o[i].wl);
		arm(&o[i], 20000 + rnd_below(1000)); /* level 2 then 1 then 0 */
	}
	wheel_list_init(&out);
	do {
		unsigned long n = 0;

		rc = wheel_expire(&wh, 30000, &out, BUDGET);
		while (wheel_list_pop(&out) != NULL)
			n++;
		assert_true(n <= BUDGET);
		got += n;
		calls++;
	} while (rc == SV_EAGAIN);
	assert_int_equal(got, N);
	/* at least one call per BUDGET moves; three moves per link at most */
	assert_true(calls >= N / BUDGET && calls <= 3 * N / BUDGET + 10);
	assert_int_equal(wheel_count(&wh), 0);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_empty, setup),
	    cmocka_unit_test_setup(test_each_level_exact, setup),
	    cmocka_unit_test_setup(test_random_steps, setup),
	    cmocka_unit_test_setup(test_100k_all_levels, setup),
	    cmocka_unit_test_setup(test_rearm_moves, setup),
	    cmocka_unit_test_setup(test_disarm_while_due, setup),
	    cmocka_unit_test_setup(test_disarm_not_armed, setup),
	    cmocka_unit_test_setup(test_cascade_boundaries, setup),
	    cmocka_unit_test_setup(test_past_deadline, setup),
	    cmocka_unit_test_setup(test_next_expiry, setup),
	    cmocka_unit_test_setup(test_next_expiry_exact_level0, setup),
	    cmocka_unit_test_setup(test_budget, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
