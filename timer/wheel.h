/*
 * wheel.h - a hierarchical timing wheel with millisecond resolution.
 *
 * This is a pure data structure: no locks, no clock, no shared memory.  Time
 * is a parameter (uint64_t milliseconds on any monotonic scale) and the
 * caller provides the locking (timer/timer.c keeps one wheel in shm under one
 * lock).  Links are intrusive: a struct wheel_link is embedded in the object
 * being timed, so arming never allocates.
 *
 * Layout.  Five levels, 512 slots, each slot a circular doubly linked list:
 *
 *   level 0   256 slots x 1 ms         deadlines <   256 ms ahead
 *   level 1    64 slots x 256 ms       deadlines <  16.4 s ahead
 *   level 2    64 slots x 16.384 s     deadlines <  17.5 min ahead
 *   level 3    64 slots x 17.48 min    deadlines <  18.6 h ahead
 *   level 4    64 slots x 18.64 h      deadlines <  49.7 days ahead
 *
 * The wheel clock `clk` is the first millisecond not yet processed: every
 * link due before clk has been handed out by wheel_expire().  A link due at
 * e, added when the clock reads clk, goes to the lowest level whose span
 * covers e - clk, in the slot that holds e's block at that level.  A link at
 * level L >= 1 sits there until the clock reaches the start of its block;
 * then the slot is "cascaded": each of its links is put back relative to
 * the new clock, necessarily at a lower level.  Level 0 slots hold exactly
 * the links due at one millisecond, so expiring a millisecond is taking its
 * slot.  A deadline beyond level 4's span (about 49.7 days) is placed as if
 * it were at the far end of the span and put back again when its slot
 * cascades, so any 64-bit deadline works.  A deadline already in the past
 * (e < clk) is placed at clk: it is handed out by the next wheel_expire().
 *
 * Time is never counted in ticks: wheel_expire(now) jumps straight to the
 * next millisecond that has work (found with per-level occupancy bitmaps),
 * so a long gap between two calls costs nothing and a late call hands out
 * everything that became due in between.
 *
 * Cost.  add and del are O(1).  Each link is cascaded at most four times in
 * its life (once per level it descends), plus once per 49.7 days for
 * clamped deadlines, so cascading is O(1) amortised per link.  A single
 * millisecond may however have to cascade a whole slot (every link due in
 * the same 16 s, 17 min ... block), so wheel_expire() takes a budget: it
 * stops after moving that many links and resumes exactly where it stopped
 * on the next call, which lets a caller bound the time it holds its lock.
 * wheel_next_expiry() is O(levels) bit operations.
 *
 * Ordering.  wheel_expire() appends links to its output list in
 * nondecreasing order of their effective deadline (the deadline, or the
 * clock at wheel_add() time for a deadline already past); links due in the
 * same millisecond come in no particular order.
 */
#ifndef SERVAL_TIMER_WHEEL_H
#define SERVAL_TIMER_WHEEL_H

#include <stddef.h>
#include <stdint.h>

#define WHEEL_L0_BITS 8
#define WHEEL_L0_SIZE (1u << WHEEL_L0_BITS) /* 256 slots x 1 ms */
#define WHEEL_LN_BITS 6
#define WHEEL_LN_SIZE (1u << WHEEL_LN_BITS) /* 64 slots per upper level */
#define WHEEL_UPPER   4                     /* levels above level 0 */
#define WHEEL_LEVELS  (WHEEL_UPPER + 1)
#define WHEEL_SLOTS   (WHEEL_L0_SIZE + WHEEL_UPPER * WHEEL_LN_SIZE)
/* deadlines at least this far ahead are clamped (2^32 ms, ~49.7 days) */
#define WHEEL_SPAN      (1ull << (WHEEL_L0_BITS + WHEEL_UPPER * WHEEL_LN_BITS))
#define WHEEL_SLOT_NONE 0xffffu    /* link not in the wheel */
#define WHEEL_UNBOUNDED (~0ul)     /* wheel_expire: no budget */
#define WHEEL_NEVER     UINT64_MAX /* no deadline */

#ifndef container_of
/* The object that holds member `member` at address ptr. */
#define container_of(ptr, type, member)                                        \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))
#endif

/* A list node; a node that is on no list has next == prev == NULL. */
struct wheel_node {
	struct wheel_node *next;
	struct wheel_node *prev;
};

/* A circular list with a sentinel head. */
struct wheel_list {
	struct wheel_node head;
};

/*
 * The intrusive link, embedded in the timed object.  All fields are owned
 * by whoever holds the wheel (the caller's lock); read them only through
 * the functions below.
 */
struct wheel_link {
	struct wheel_node node; /* in a wheel slot or an output list */
	uint64_t expires;       /* absolute deadline in ms, as requested */
	uint16_t slot;          /* slot index while in the wheel, else NONE */
};

struct wheel {
	uint64_t clk;                   /* first ms not yet processed */
	unsigned long count;            /* links in the wheel */
	uint64_t occ[WHEEL_SLOTS / 64]; /* bit set: slot not empty */
	struct wheel_list slot[WHEEL_SLOTS];
};

/* ---------------------------------------------------------------- lists -- */

/* Makes l an empty list. */
static inline void wheel_list_init(struct wheel_list *l)
{
	l->head.next = &l->head;
	l->head.prev = &l->head;
}

/* Returns 1 when l holds no node, else 0. */
static inline int wheel_list_empty(const struct wheel_list *l)
{
	return l->head.next == &l->head;
}

/* Appends n (on no list) at the tail of l. */
static inline void wheel_list_append(struct wheel_list *l, struct wheel_node *n)
{
	n->prev = l->head.prev;
	n->next = &l->head;
	l->head.prev->next = n;
	l->head.prev = n;
}

/* Removes n from whatever list holds it; n ends on no list. */
static inline void wheel_list_unlink(struct wheel_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = NULL;
	n->prev = NULL;
}

/* Removes and returns the first link of l, NULL when l is empty. */
static inline struct wheel_link *wheel_list_pop(struct wheel_list *l)
{
	struct wheel_node *n = l->head.next;

	if (n == &l->head)
		return NULL;
	wheel_list_unlink(n);
	return container_of(n, struct wheel_link, node);
}

/* ---------------------------------------------------------------- wheel -- */

/* Makes l a link that is on no list.  Call once before first use. */
void wheel_link_init(struct wheel_link *l);

/* Returns 1 when l is queued in a wheel (not on an output list), else 0. */
static inline int wheel_link_in_wheel(const struct wheel_link *l)
{
	return l->slot != WHEEL_SLOT_NONE;
}

/* Returns 1 when l is on any list (a wheel slot or another list). */
static inline int wheel_link_queued(const struct wheel_link *l)
{
	return l->node.next != NULL;
}

/* Empties w and sets its clock: the first millisecond to process is now. */
void wheel_init(struct wheel *w, uint64_t now);

/*
 * Queues l (which must be on no list) to be handed out by the first
 * wheel_expire(w, t) with t >= expires.  expires is kept as given; a
 * deadline before the wheel clock is due at the clock.  O(1), cannot fail.
 */
void wheel_add(struct wheel *w, struct wheel_link *l, uint64_t expires);

/*
 * Removes l from w.  Returns SV_OK, or SV_ENOTFOUND (nothing changed) when
 * l is not in the wheel (idle, or already handed out to an output list).
 */
int wheel_del(struct wheel *w, struct wheel_link *l);

/*
 * Appends to out every link of w due at or before now, in the order stated
 * at the top of this file, and advances the clock past now.  Each link
 * handed out leaves the wheel (wheel_link_in_wheel() becomes 0) and sits
 * on out.  budget bounds the links moved (cascaded or handed out) in this
 * call; WHEEL_UNBOUNDED for no limit.  Returns SV_OK when everything due at
 * now is on out, SV_EAGAIN when the budget ran out first: call again with
 * the same (or a later) now to continue.  now before the clock is a no-op.
 */
int wheel_expire(struct wheel *w, uint64_t now, struct wheel_list *out,
                 unsigned long budget);

/*
 * Returns the first millisecond at which wheel_expire() has work: the
 * earliest deadline in level 0 or the earliest start of an occupied upper
 * slot's block, whichever comes first; WHEEL_NEVER when w is empty.  The
 * result is >= the clock and <= every deadline in w (equal to the earliest
 * one unless a cascade comes first), so sleeping until it never oversleeps;
 * waking at a cascade time costs one call that hands out nothing.
 * O(levels).
 */
uint64_t wheel_next_expiry(const struct wheel *w);

/* Returns the wheel clock (the first millisecond not yet processed). */
static inline uint64_t wheel_clock(const struct wheel *w)
{
	return w->clk;
}

/* Returns the number of links in w. */
static inline unsigned long wheel_count(const struct wheel *w)
{
	return w->count;
}

#endif /* SERVAL_TIMER_WHEEL_H */
