/*
 * test_shm_tlsf.c - the TLSF allocator on a plain malloc'd buffer.
 *
 * The main test drives seeded random malloc/free/realloc sequences against
 * a model: every live block is filled with a pattern derived from its own
 * seed and re-verified (on free, on realloc, and all of them periodically),
 * live blocks must not overlap, and tlsf_check() must pass every CHECK_EVERY
 * operations.  The other tests pin down single behaviours: coalescing in
 * every order, exhaustion, in-place realloc, stats against a walk, and the
 * misuse the allocator promises to survive.
 *
 * Everything is deterministic: a fixed xorshift generator, fixed seeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "shm/tlsf.h"

#define REGION_SIZE (4u << 20)
#define MAX_LIVE 512
#define RANDOM_OPS 20000
#define CHECK_EVERY 64
#define VERIFY_EVERY 512

/* ------------------------------------------------------------ helpers -- */

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static size_t rng_below(size_t n)
{
	return (size_t)(rng() % n);
}

/* Mostly small requests, some medium, a few large. */
static size_t random_size(void)
{
	size_t r = rng_below(100);

	if (r < 60)
		return rng_below(257);
	if (r < 90)
		return 257 + rng_below(4096 - 257);
	if (r < 98)
		return 4096 + rng_below(65536 - 4096);
	return 65536 + rng_below(512 * 1024 - 65536);
}

struct live {
	unsigned char *p;
	size_t n;
	unsigned seed;
};

static unsigned char pattern(unsigned seed, size_t i)
{
	return (unsigned char)(seed * 131u + i * 7u + (i >> 8));
}

static void fill(const struct live *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		l->p[i] = pattern(l->seed, i);
}

/* Asserts the first n bytes of l still hold l's pattern. */
static void verify_prefix(const struct live *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l->p[i] != pattern(l->seed, i))
			fail_msg("block %p byte %zu of %zu overwritten",
			         (void *)l->p, i, l->n);
}

static void *region_new(size_t size)
{
	void *mem = malloc(size);

	assert_non_null(mem);
	return mem;
}

static int cmp_live(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

/* Asserts that the n live blocks lie in the region and do not overlap. */
static void verify_layout(struct live *lv, size_t n, const char *mem,
                          size_t size)
{
	struct live sorted[MAX_LIVE];
	size_t i;

	memcpy(sorted, lv, n * sizeof(*lv));
	qsort(sorted, n, sizeof(*sorted), cmp_live);
	for (i = 0; i < n; i++) {
		const unsigned char *end = sorted[i].p +
		                           tlsf_block_size(sorted[i].p);

		assert_true((const char *)sorted[i].p > mem);
		assert_true((const char *)end <= mem + size);
		if (i + 1 < n)
			assert_true(end + TLSF_BLOCK_OVERHEAD <= sorted[i + 1].p);
	}
}

struct walk_totals {
	size_t used, free, nfree, nblocks, largest_free;
};

static void walk_sum(void *p, size_t cap, int used, void *arg)
{
	struct walk_totals *w = arg;

	(void)p;
	w->nblocks++;
	if (used) {
		w->used += cap;
	} else {
		w->free += cap;
		w->nfree++;
		if (cap > w->largest_free)
			w->largest_free = cap;
	}
}

static struct walk_totals walk(const tlsf_t *t)
{
	struct walk_totals w = { 0, 0, 0, 0, 0 };

	tlsf_walk(t, walk_sum, &w);
	return w;
}

/* Asserts a NULL from malloc(n) was forced: no free block fits n well. */
static void assert_no_fit(const tlsf_t *t, size_t n)
{
	struct walk_totals w = walk(t);
	size_t need = (n + 7) & ~(size_t)7;

	assert_true(w.largest_free < need + need / 16 + TLSF_MIN_PAYLOAD);
}

/* ------------------------------------------------------ random model -- */

struct model {
	tlsf_t *t;
	char *mem;
	struct live lv[MAX_LIVE];
	size_t n;
	unsigned next_seed;
};

static void model_malloc(struct model *m)
{
	struct live l;

	l.n = random_size();
	l.p = tlsf_malloc(m->t, l.n);
	if (l.p == NULL) {
		assert_no_fit(m->t, l.n);
		return;
	}
	assert_int_equal((uintptr_t)l.p % TLSF_ALIGN, 0);
	assert_true(tlsf_block_size(l.p) >= l.n);
	l.seed = m->next_seed++;
	fill(&l);
	m->lv[m->n++] = l;
}

static void model_free(struct model *m)
{
	size_t i = rng_below(m->n);

	verify_prefix(&m->lv[i], m->lv[i].n);
	tlsf_free(m->t, m->lv[i].p);
	m->lv[i] = m->lv[--m->n];
}

static void model_realloc(struct model *m)
{
	struct live *l = &m->lv[rng_below(m->n)];
	size_t n = random_size();
	unsigned char *q = tlsf_realloc(m->t, l->p, n);

	if (q == NULL) {
		assert_no_fit(m->t, n);
		verify_prefix(l, l->n);
		return;
	}
	assert_true(tlsf_block_size(q) >= n);
	l->p = q;
	verify_prefix(l, n < l->n ? n : l->n);
	l->n = n;
	l->seed = m->next_seed++;
	fill(l);
}

static void model_step(struct model *m)
{
	size_t r = rng_below(100);

	if (m->n == 0 || (r < 45 && m->n < MAX_LIVE))
		model_malloc(m);
	else if (r < 80)
		model_free(m);
	else
		model_realloc(m);
}

static void run_model(uint64_t seed)
{
	static struct model m;
	struct tlsf_stats before, after;
	size_t op, i;

	memset(&m, 0, sizeof(m));
	rng_state = seed;
	m.mem = region_new(REGION_SIZE);
	m.t = tlsf_create(m.mem, REGION_SIZE);
	assert_non_null(m.t);
	tlsf_get_stats(m.t, &before);
	for (op = 1; op <= RANDOM_OPS; op++) {
		model_step(&m);
		if (op % CHECK_EVERY == 0)
			assert_int_equal(tlsf_check(m.t), SV_OK);
		if (op % VERIFY_EVERY == 0) {
			for (i = 0; i < m.n; i++)
				verify_prefix(&m.lv[i], m.lv[i].n);
			verify_layout(m.lv, m.n, m.mem, REGION_SIZE);
		}
	}
	while (m.n > 0)
		model_free(&m);
	assert_int_equal(tlsf_check(m.t), SV_OK);
	tlsf_get_stats(m.t, &after);
	assert_int_equal(after.used, 0);
	assert_int_equal(after.fragments, 1);
	assert_int_equal(after.free, before.free);
	assert_true(after.max_used > before.max_used);
	free(m.mem);
}

static void test_random_sequences(void **state)
{
	(void)state;
	run_model(0x9e3779b97f4a7c15ull);
	run_model(12345);
	run_model(0xdeadbeefcafef00dull);
}

/* ------------------------------------------------------- coalescing -- */

/*
 * Frees three adjacent blocks a, b, c (a guard block d keeps them apart
 * from the free tail) in the order given, then checks they became exactly
 * one free block covering a..c, and that freeing d gives back the single
 * block the heap started with, which can be allocated whole again.
 */
static void coalesce_in_order(const int order[3])
{
	char *mem = region_new(64 * 1024);
	tlsf_t *t = tlsf_create(mem, 64 * 1024);
	struct tlsf_stats st0, st;
	struct walk_totals w;
	char *blk[3], *d, *whole;
	size_t caps = 0;
	int i;

	assert_non_null(t);
	tlsf_get_stats(t, &st0);
	blk[0] = tlsf_malloc(t, 100);
	blk[1] = tlsf_malloc(t, 200);
	blk[2] = tlsf_malloc(t, 300);
	d = tlsf_malloc(t, 50);
	for (i = 0; i < 3; i++) {
		char *next = i < 2 ? blk[i + 1] : d;

		assert_ptr_equal(blk[i] + tlsf_block_size(blk[i]) +
		                 TLSF_BLOCK_OVERHEAD, next);
		caps += tlsf_block_size(blk[i]);
	}
	for (i = 0; i < 3; i++) {
		tlsf_free(t, blk[order[i]]);
		assert_int_equal(tlsf_check(t), SV_OK);
	}
	w = walk(t);
	assert_int_equal(w.nfree, 2);
	assert_int_equal(w.nblocks, 3);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.fragments, 2);
	/* the merged block is served again from the same place */
	assert_ptr_equal(tlsf_malloc(t, caps + 2 * TLSF_BLOCK_OVERHEAD), blk[0]);
	tlsf_free(t, blk[0]);
	tlsf_free(t, d);
	assert_int_equal(tlsf_check(t), SV_OK);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.fragments, 1);
	assert_int_equal(st.free, st0.free);
	assert_int_equal(st.used, 0);
	whole = tlsf_malloc(t, st0.free);
	assert_ptr_equal(whole, blk[0]);
	assert_int_equal(tlsf_check(t), SV_OK);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.fragments, 0);
	assert_null(tlsf_malloc(t, 1));
	tlsf_free(t, whole);
	free(mem);
}

static void test_coalesce_all_orders(void **state)
{
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
		{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 },
	};
	int i;

	(void)state;
	for (i = 0; i < 6; i++)
		coalesce_in_order(orders[i]);
}

/* ------------------------------------------------------- exhaustion -- */

static void test_exhaustion(void **state)
{
	enum { SIZE = 256 * 1024, N = 1000 };
	static char *blocks[SIZE / N];
	char *mem = region_new(SIZE);
	tlsf_t *t = tlsf_create(mem, SIZE);
	struct tlsf_stats st0, st;
	size_t count = 0, i;

	(void)state;
	tlsf_get_stats(t, &st0);
	while ((blocks[count] = tlsf_malloc(t, N)) != NULL) {
		memset(blocks[count], (int)count, N);
		count++;
	}
	assert_int_equal(tlsf_check(t), SV_OK);
	tlsf_get_stats(t, &st);
	/* everything but a remnant smaller than one block was handed out */
	assert_true(count > (st0.free - N) / (N + TLSF_BLOCK_OVERHEAD));
	assert_true(st.free < N);
	assert_null(tlsf_malloc(t, SIZE));
	assert_null(tlsf_malloc(t, (size_t)-1));
	assert_null(tlsf_realloc(t, blocks[0], 2 * N));
	for (i = 0; i < N; i++)
		assert_int_equal((unsigned char)blocks[0][i], 0);
	assert_int_equal(tlsf_check(t), SV_OK);
	/* free every other block, then the rest: all merges back */
	for (i = 0; i < count; i += 2)
		tlsf_free(t, blocks[i]);
	assert_int_equal(tlsf_check(t), SV_OK);
	for (i = 1; i < count; i += 2)
		tlsf_free(t, blocks[i]);
	assert_int_equal(tlsf_check(t), SV_OK);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.fragments, 1);
	assert_int_equal(st.free, st0.free);
	free(mem);
}

/* ---------------------------------------------------------- realloc -- */

static void test_realloc_in_place(void **state)
{
	char *mem = region_new(64 * 1024);
	tlsf_t *t = tlsf_create(mem, 64 * 1024);
	struct tlsf_stats st;
	char *p, *g, *q;
	int i;

	(void)state;
	p = tlsf_malloc(t, 1000);
	g = tlsf_malloc(t, 16);
	for (i = 0; i < 1000; i++)
		p[i] = (char)i;
	/* shrink: same place, the tail becomes a free block of its own */
	assert_ptr_equal(tlsf_realloc(t, p, 100), p);
	assert_int_equal(tlsf_block_size(p), 104);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.fragments, 2);
	assert_int_equal(tlsf_check(t), SV_OK);
	/* grow into part of the free successor: same place, content kept */
	assert_ptr_equal(tlsf_realloc(t, p, 900), p);
	for (i = 0; i < 100; i++)
		assert_int_equal(p[i], (char)i);
	assert_int_equal(tlsf_block_size(p), 904);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.fragments, 2);
	assert_int_equal(tlsf_check(t), SV_OK);
	/* and into all of it (the 96 bytes left are too few to split) */
	assert_ptr_equal(tlsf_realloc(t, p, 1000), p);
	assert_int_equal(tlsf_block_size(p), 1000);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.fragments, 1);
	assert_int_equal(tlsf_check(t), SV_OK);
	/* the successor (g) is used: the block moves, content kept */
	q = tlsf_realloc(t, p, 5000);
	assert_non_null(q);
	assert_ptr_not_equal(q, p);
	for (i = 0; i < 100; i++)
		assert_int_equal(q[i], (char)i);
	assert_int_equal(tlsf_check(t), SV_OK);
	/* NULL pointer is malloc; n = 0 shrinks to a minimal block */
	p = tlsf_realloc(t, NULL, 10);
	assert_non_null(p);
	assert_ptr_equal(tlsf_realloc(t, q, 0), q);
	assert_int_equal(tlsf_block_size(q), TLSF_MIN_PAYLOAD);
	tlsf_free(t, p);
	tlsf_free(t, q);
	tlsf_free(t, g);
	assert_int_equal(tlsf_check(t), SV_OK);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.used, 0);
	free(mem);
}

/* ------------------------------------------------------------- stats -- */

static void test_stats_match_walk(void **state)
{
	char *mem = region_new(REGION_SIZE);
	tlsf_t *t = tlsf_create(mem, REGION_SIZE);
	struct tlsf_stats st0, st;
	struct walk_totals w;
	void *p[300];
	size_t fixed, i;

	(void)state;
	tlsf_get_stats(t, &st0);
	assert_int_equal(st0.total, REGION_SIZE);
	assert_int_equal(st0.fragments, 1);
	assert_int_equal(st0.real_used, st0.total - st0.free);
	/* instance header + sentinel header: real_used with one block */
	fixed = st0.real_used - TLSF_BLOCK_OVERHEAD;
	rng_state = 777;
	for (i = 0; i < 300; i++)
		p[i] = tlsf_malloc(t, random_size() / 4);
	for (i = 0; i < 300; i += 3)
		tlsf_free(t, p[i]);
	tlsf_get_stats(t, &st);
	w = walk(t);
	assert_int_equal(st.used, w.used);
	assert_int_equal(st.free, w.free);
	assert_int_equal(st.fragments, w.nfree);
	assert_int_equal(st.real_used, st.total - st.free);
	assert_int_equal(st.real_used - st.used,
	                 fixed + w.nblocks * TLSF_BLOCK_OVERHEAD);
	/* max_used is a high-water mark until reset */
	assert_true(st.max_used >= st.real_used);
	for (i = 1; i < 300; i++)
		if (i % 3 != 0)
			tlsf_free(t, p[i]);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.used, 0);
	assert_true(st.max_used > st.real_used);
	tlsf_reset_max_used(t);
	tlsf_get_stats(t, &st);
	assert_int_equal(st.max_used, st.real_used);
	assert_int_equal(st.real_used, st0.real_used);
	free(mem);
}

/* ------------------------------------------------------------- edges -- */

static void test_create_limits(void **state)
{
	char *mem = region_new(64 * 1024);
	tlsf_t *t;
	char *a, *b;

	(void)state;
	assert_null(tlsf_create(NULL, 4096));
	assert_null(tlsf_create(mem, 64));
	/* a misaligned region still yields aligned payloads */
	t = tlsf_create(mem + 3, 64 * 1024 - 3);
	assert_non_null(t);
	a = tlsf_malloc(t, 0);
	b = tlsf_malloc(t, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal((uintptr_t)a % TLSF_ALIGN, 0);
	assert_int_equal(tlsf_block_size(a), TLSF_MIN_PAYLOAD);
	assert_int_equal(tlsf_check(t), SV_OK);
	free(mem);
}

static void test_bad_free_survives(void **state)
{
	char *mem = region_new(64 * 1024);
	tlsf_t *t = tlsf_create(mem, 64 * 1024);
	int local, level = log_get_level();
	struct tlsf_stats st0, st;
	char *a, *b;

	(void)state;
	a = tlsf_malloc(t, 40);
	b = tlsf_malloc(t, 40);
	tlsf_free(t, a);
	tlsf_get_stats(t, &st0);
	log_set_level(L_ALERT);  /* the misuse below is logged as CRIT */
	tlsf_free(t, a);
	tlsf_free(t, &local);
	tlsf_free(t, b + 1);
	assert_null(tlsf_realloc(t, a, 80));
	log_set_level(level);
	tlsf_get_stats(t, &st);
	assert_memory_equal(&st, &st0, sizeof(st));
	assert_int_equal(tlsf_check(t), SV_OK);
	tlsf_free(t, b);
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_sequences),
		cmocka_unit_test(test_coalesce_all_orders),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_realloc_in_place),
		cmocka_unit_test(test_stats_match_walk),
		cmocka_unit_test(test_create_limits),
		cmocka_unit_test(test_bad_free_survives),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
