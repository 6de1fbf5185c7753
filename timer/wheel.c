/*
 * wheel.c - the hierarchical timing wheel (see wheel.h for the design).
 *
 * Slot numbering: level 0 uses slots 0..255 (index = deadline & 255);
 * level L >= 1 uses the 64 slots starting at 256 + (L - 1) * 64 (index =
 * (deadline >> shift(L)) & 63, shift(L) = 8 + 6 * (L - 1)).  occ[] has one
 * bit per slot: words 0..3 for level 0, word 3 + L for level L.
 *
 * Invariants (clk = first unprocessed millisecond):
 *  - a link in level 0 has its placement deadline in [clk, clk + 256);
 *  - a link in level L >= 1 has its placement deadline's block start
 *    (deadline rounded down to a multiple of 2^shift(L)) >= clk and less
 *    than 64 blocks ahead, so each occupied slot has exactly one "event
 *    time": the first block start >= clk whose index is the slot's;
 *  - the placement deadline is the link's deadline, raised to clk when
 *    past and lowered to clk + WHEEL_SPAN - 1 when beyond the top level.
 * Processing a millisecond t cascades, from the top level down, the slot
 * of every level whose block starts at t (its links are due in
 * [t, t + block) and land lower), then hands out level 0's slot t & 255.
 * A budget stop leaves clk at t; the next call redoes t, whose remaining
 * work still satisfies the invariants.
 */
#include "wheel.h"
#include "core/errors.h"

#include <assert.h>

static inline unsigned level_shift(unsigned level)
{
	return WHEEL_L0_BITS + (level - 1) * WHEEL_LN_BITS;
}

static inline unsigned slot_base(unsigned level)
{
	return WHEEL_L0_SIZE + (level - 1) * WHEEL_LN_SIZE;
}

static inline void occ_set(struct wheel *w, unsigned s)
{
	w->occ[s >> 6] |= 1ull << (s & 63);
}

static inline void occ_clear(struct wheel *w, unsigned s)
{
	w->occ[s >> 6] &= ~(1ull << (s & 63));
}

void wheel_link_init(struct wheel_link *l)
{
	l->node.next = NULL;
	l->node.prev = NULL;
	l->expires = 0;
	l->slot = WHEEL_SLOT_NONE;
}

void wheel_init(struct wheel *w, uint64_t now)
{
	unsigned i;

	w->clk = now;
	w->count = 0;
	for (i = 0; i < WHEEL_SLOTS / 64; i++)
		w->occ[i] = 0;
	for (i = 0; i < WHEEL_SLOTS; i++)
		wheel_list_init(&w->slot[i]);
}

/* The slot for a link due at e, relative to the clock. */
static unsigned slot_for(const struct wheel *w, uint64_t e)
{
	uint64_t delta;
	unsigned level;

	if (e < w->clk)
		e = w->clk;
	delta = e - w->clk;
	if (delta < WHEEL_L0_SIZE)
		return (unsigned)(e & (WHEEL_L0_SIZE - 1));
	if (delta >= WHEEL_SPAN) {
		e = w->clk + WHEEL_SPAN - 1;
		delta = WHEEL_SPAN - 1;
	}
	/* highest set bit 8..13 -> level 1, 14..19 -> level 2 ... */
	level = 1 + (unsigned)(63 - __builtin_clzll(delta) - WHEEL_L0_BITS) /
	                WHEEL_LN_BITS;
	return slot_base(level) +
	       (unsigned)((e >> level_shift(level)) & (WHEEL_LN_SIZE - 1));
}

/* Queues l into its slot; does not touch count. */
static void place(struct wheel *w, struct wheel_link *l)
{
	unsigned s = slot_for(w, l->expires);

	l->slot = (uint16_t)s;
	wheel_list_append(&w->slot[s], &l->node);
	occ_set(w, s);
}

void wheel_add(struct wheel *w, struct wheel_link *l, uint64_t expires)
{
	assert(!wheel_link_queued(l));
	l->expires = expires;
	place(w, l);
	w->count++;
}

int wheel_del(struct wheel *w, struct wheel_link *l)
{
	unsigned s = l->slot;

	if (s == WHEEL_SLOT_NONE)
		return SV_ENOTFOUND;
	wheel_list_unlink(&l->node);
	l->slot = WHEEL_SLOT_NONE;
	if (wheel_list_empty(&w->slot[s]))
		occ_clear(w, s);
	w->count--;
	return SV_OK;
}

/* Distance (0..255) from index i to the next occupied level-0 slot, -1. */
static int l0_next(const struct wheel *w, unsigned i)
{
	unsigned k, word = i >> 6;
	uint64_t bits = w->occ[word] & (~0ull << (i & 63));

	for (k = 0; k <= WHEEL_L0_SIZE / 64; k++) {
		if (bits) {
			unsigned idx =
			    ((word << 6) | (unsigned)__builtin_ctzll(bits));
			return (int)((idx - i) & (WHEEL_L0_SIZE - 1));
		}
		word = (word + 1) & (WHEEL_L0_SIZE / 64 - 1);
		bits = w->occ[word];
	}
	return -1;
}

/* The event time of the first occupied slot of upper level L, or NEVER. */
static uint64_t upper_next(const struct wheel *w, unsigned level)
{
	unsigned shift = level_shift(level);
	uint64_t bits = w->occ[(WHEEL_L0_SIZE / 64) - 1 + level];
	uint64_t b0, rot;
	unsigned i;

	if (bits == 0)
		return WHEEL_NEVER;
	b0 = (w->clk + (1ull << shift) - 1) >> shift; /* first block >= clk */
	i = (unsigned)(b0 & (WHEEL_LN_SIZE - 1));
	rot = i ? (bits >> i) | (bits << (64 - i)) : bits;
	return (b0 + (unsigned)__builtin_ctzll(rot)) << shift;
}

uint64_t wheel_next_expiry(const struct wheel *w)
{
	uint64_t t, best = WHEEL_NEVER;
	unsigned level;
	int d;

	d = l0_next(w, (unsigned)(w->clk & (WHEEL_L0_SIZE - 1)));
	if (d >= 0)
		best = w->clk + (unsigned)d;
	for (level = 1; level <= WHEEL_UPPER; level++) {
		t = upper_next(w, level);
		if (t < best)
			best = t;
	}
	return best;
}

/*
 * Moves the links of slot s: re-placed relative to the clock (cascade) or,
 * with out != NULL, handed out.  Returns SV_EAGAIN when *budget ran out.
 */
static int drain_slot(struct wheel *w, unsigned s, struct wheel_list *out,
                      unsigned long *budget)
{
	struct wheel_link *l;

	while (!wheel_list_empty(&w->slot[s])) {
		if (*budget == 0)
			return SV_EAGAIN;
		if (*budget != WHEEL_UNBOUNDED)
			(*budget)--;
		l = wheel_list_pop(&w->slot[s]);
		if (out) {
			l->slot = WHEEL_SLOT_NONE;
			wheel_list_append(out, &l->node);
			w->count--;
		} else {
			place(w, l);
		}
	}
	occ_clear(w, s);
	return SV_OK;
}

/* Does all the work of millisecond t == clk (cascades, then level 0). */
static int process_ms(struct wheel *w, uint64_t t, struct wheel_list *out,
                      unsigned long *budget)
{
	unsigned level, s;

	for (level = WHEEL_UPPER; level >= 1; level--) {
		unsigned shift = level_shift(level);

		if (t & ((1ull << shift) - 1))
			continue;
		s = slot_base(level) +
		    (unsigned)((t >> shift) & (WHEEL_LN_SIZE - 1));
		if (drain_slot(w, s, NULL, budget) != SV_OK)
			return SV_EAGAIN;
	}
	return drain_slot(w, (unsigned)(t & (WHEEL_L0_SIZE - 1)), out, budget);
}

int wheel_expire(struct wheel *w, uint64_t now, struct wheel_list *out,
                 unsigned long budget)
{
	uint64_t t;

	while (w->clk <= now) {
		t = wheel_next_expiry(w);
		if (t > now) {
			w->clk = now + 1;
			break;
		}
		w->clk = t;
		if (process_ms(w, t, out, &budget) != SV_OK)
			return SV_EAGAIN;
		w->clk = t + 1;
	}
	return SV_OK;
}
