/*
 * tlsf.c - two-level segregated fit allocator (see tlsf.h for the contract).
 *
 * Free blocks are kept in FL_COUNT x SL_COUNT doubly linked lists.  The first
 * level splits sizes by powers of two, the second splits each power of two
 * into SL_COUNT equal ranges; below SMALL_BLOCK (256 bytes) the lists are
 * exact 8-byte size classes.  Two bitmaps say which lists are non-empty, so
 * finding a list with a block that is certain to fit is a couple of
 * find-first-set instructions (the request is first rounded up to the next
 * list boundary: "good fit", never a list scan).
 *
 * Each block starts with its size; the two low bits of the size are flags
 * (this block is free, the previous block is free).  A free block also
 * stores its list links at the start of its payload and its own address in
 * the last 8 bytes of its payload, where the next block reads it as
 * prev_phys (the boundary tag).  So a used block costs 8 bytes of header and
 * its neighbour can still find and merge it once it is free.  The region
 * ends with a sentinel: a used block of capacity 0 that stops merging and
 * walking.
 *
 *   struct tlsf | [size|payload....][size|payload..........][size=0]
 *                  first block                               sentinel
 *
 * Invariants (tlsf_check() verifies them): no two free blocks are adjacent;
 * a block's PREV_FREE bit equals its predecessor's FREE bit; a free block's
 * successor has prev_phys pointing at it; every free block is on the list
 * its capacity maps to; counters match the blocks.
 *
 * The layout assumes LP64 (8-byte size_t and pointers), like the rest of
 * serval's shm code.
 */
#include "tlsf.h"
#include "core/errors.h"
#include "core/log.h"

#include <stdint.h>
#include <string.h>

_Static_assert(sizeof(size_t) == 8 && sizeof(void *) == 8, "tlsf assumes LP64");

#define SL_LOG2     5
#define SL_COUNT    (1u << SL_LOG2)
#define ALIGN_LOG2  3
#define FL_SHIFT    (SL_LOG2 + ALIGN_LOG2)
#define FL_MAX      39
#define FL_COUNT    (FL_MAX - FL_SHIFT + 1)
#define SMALL_BLOCK ((size_t)1 << FL_SHIFT)
#define BLOCK_MAX   ((size_t)1 << FL_MAX)
/* requests at or above this are refused: their rounding would leave FL */
#define ALLOC_MAX (BLOCK_MAX >> 1)

#define BIT_FREE      ((size_t)1)
#define BIT_PREV_FREE ((size_t)2)
#define FLAG_MASK     (BIT_FREE | BIT_PREV_FREE)

_Static_assert((1u << ALIGN_LOG2) == TLSF_ALIGN, "alignment mismatch");
_Static_assert(FL_COUNT <= 32, "first-level bitmap is 32 bits");

struct block {
	struct block *prev_phys; /* valid only while the previous is free */
	size_t size;             /* capacity | BIT_FREE | BIT_PREV_FREE */
	struct block *next_free; /* free blocks only */
	struct block *prev_free; /* free blocks only */
};

#define HDR_SIZE       sizeof(size_t)
#define PAYLOAD_OFFSET offsetof(struct block, next_free)

_Static_assert(HDR_SIZE == TLSF_BLOCK_OVERHEAD, "overhead mismatch");
_Static_assert(sizeof(struct block) - sizeof(struct block *) ==
                   TLSF_MIN_PAYLOAD,
               "minimum payload mismatch");

struct tlsf {
	uint32_t fl_bitmap;           /* bit f: sl_bitmap[f] != 0 */
	uint32_t sl_bitmap[FL_COUNT]; /* bit s: heads[f][s] != NULL */
	struct block *heads[FL_COUNT][SL_COUNT];
	struct block *first;    /* first block of the pool */
	struct block *sentinel; /* capacity 0, always used */
	size_t total;
	size_t used;
	size_t free;
	size_t max_used;
	size_t fragments;
	/* the first block's prev_phys slot: never read nor written */
	struct block *first_prev_phys;
};

_Static_assert(offsetof(struct tlsf, first_prev_phys) +
                       sizeof(struct block *) ==
                   sizeof(struct tlsf),
               "the first block's prev_phys slot must end the instance");

/* ---------------------------------------------------------- blocks -- */

static inline size_t block_size(const struct block *b)
{
	return b->size & ~FLAG_MASK;
}

static inline int block_is_free(const struct block *b)
{
	return (b->size & BIT_FREE) != 0;
}

static inline void *block_payload(const struct block *b)
{
	return (char *)b + PAYLOAD_OFFSET;
}

static inline struct block *block_from_payload(const void *p)
{
	return (struct block *)((char *)p - PAYLOAD_OFFSET);
}

static inline struct block *block_next(const struct block *b)
{
	return (struct block *)((char *)b + HDR_SIZE + block_size(b));
}

/* Sets the FREE bit of b and the boundary tag / PREV_FREE bit after it. */
static void block_mark_free(struct block *b)
{
	struct block *n = block_next(b);

	b->size |= BIT_FREE;
	n->prev_phys = b;
	n->size |= BIT_PREV_FREE;
}

/* ----------------------------------------------------------- lists -- */

static inline int fls_size(size_t x)
{
	return 63 - __builtin_clzll(x);
}

/* The list a block of capacity cap belongs to. */
static void mapping_insert(size_t cap, unsigned *fl, unsigned *sl)
{
	int h;

	if (cap < SMALL_BLOCK) {
		*fl = 0;
		*sl = (unsigned)(cap >> ALIGN_LOG2);
		return;
	}
	h = fls_size(cap);
	*sl = (unsigned)(cap >> (h - SL_LOG2)) ^ SL_COUNT;
	*fl = (unsigned)(h - (FL_SHIFT - 1));
}

/* The first list whose every block can hold cap bytes. */
static void mapping_search(size_t cap, unsigned *fl, unsigned *sl)
{
	if (cap >= SMALL_BLOCK)
		cap += ((size_t)1 << (fls_size(cap) - SL_LOG2)) - 1;
	mapping_insert(cap, fl, sl);
}

/* A non-empty list at or above (fl, sl), or NULL; updates fl and sl. */
static struct block *find_suitable(const struct tlsf *t, unsigned *fl,
                                   unsigned *sl)
{
	uint32_t sl_map = t->sl_bitmap[*fl] & (~0u << *sl);

	if (sl_map == 0) {
		uint32_t fl_map = 0;

		if (*fl + 1 < FL_COUNT)
			fl_map = t->fl_bitmap & (~0u << (*fl + 1));
		if (fl_map == 0)
			return NULL;
		*fl = (unsigned)__builtin_ctz(fl_map);
		sl_map = t->sl_bitmap[*fl];
	}
	*sl = (unsigned)__builtin_ctz(sl_map);
	return t->heads[*fl][*sl];
}

static void list_remove(struct tlsf *t, struct block *b, unsigned fl,
                        unsigned sl)
{
	struct block *prev = b->prev_free, *next = b->next_free;

	if (next != NULL)
		next->prev_free = prev;
	if (prev != NULL) {
		prev->next_free = next;
	} else {
		t->heads[fl][sl] = next;
		if (next == NULL) {
			t->sl_bitmap[fl] &= ~(1u << sl);
			if (t->sl_bitmap[fl] == 0)
				t->fl_bitmap &= ~(1u << fl);
		}
	}
	t->free -= block_size(b);
	t->fragments--;
}

/* Takes the free block b off its list. */
static void block_unlink(struct tlsf *t, struct block *b)
{
	unsigned fl, sl;

	mapping_insert(block_size(b), &fl, &sl);
	list_remove(t, b, fl, sl);
}

/* Puts the free block b (FREE bit and boundary tag set) on its list. */
static void block_link(struct tlsf *t, struct block *b)
{
	unsigned fl, sl;
	struct block *head;

	mapping_insert(block_size(b), &fl, &sl);
	head = t->heads[fl][sl];
	b->prev_free = NULL;
	b->next_free = head;
	if (head != NULL)
		head->prev_free = b;
	t->heads[fl][sl] = b;
	t->sl_bitmap[fl] |= 1u << sl;
	t->fl_bitmap |= 1u << fl;
	t->free += block_size(b);
	t->fragments++;
}

/* ------------------------------------------------ split and merge -- */

/* Merges the free, unlisted block b with its successor if that is free. */
static struct block *merge_next(struct tlsf *t, struct block *b)
{
	struct block *n = block_next(b);

	if (block_is_free(n)) {
		block_unlink(t, n);
		b->size += HDR_SIZE + block_size(n);
		block_next(b)->prev_phys = b;
	}
	return b;
}

/* Merges the free, unlisted block b with its predecessor if that is free. */
static struct block *merge_prev(struct tlsf *t, struct block *b)
{
	struct block *p;

	if (!(b->size & BIT_PREV_FREE))
		return b;
	p = b->prev_phys;
	block_unlink(t, p);
	p->size += HDR_SIZE + block_size(b);
	block_next(p)->prev_phys = p;
	return p;
}

/*
 * Cuts b (unlisted, used or about to be) down to capacity cap when the rest
 * can form a block of its own; the rest is freed, merged with its successor
 * and listed.  b keeps its flags.
 */
static void release_tail(struct tlsf *t, struct block *b, size_t cap)
{
	struct block *rest;
	size_t size = block_size(b);

	if (size < cap + sizeof(struct block))
		return;
	rest = (struct block *)((char *)b + HDR_SIZE + cap);
	rest->size = size - cap - HDR_SIZE;
	b->size = cap | (b->size & FLAG_MASK);
	block_mark_free(rest);
	rest = merge_next(t, rest);
	block_link(t, rest);
}

static inline void note_max(struct tlsf *t)
{
	size_t real_used = t->total - t->free;

	if (real_used > t->max_used)
		t->max_used = real_used;
}

/* Turns the unlisted block b into an allocated one. */
static void block_mark_used(struct tlsf *t, struct block *b)
{
	b->size &= ~BIT_FREE;
	block_next(b)->size &= ~BIT_PREV_FREE;
	t->used += block_size(b);
	note_max(t);
}

/* The capacity serving a request of n bytes, 0 when n is too large. */
static size_t adjust_request(size_t n)
{
	if (n >= ALLOC_MAX)
		return 0;
	n = (n + TLSF_ALIGN - 1) & ~(size_t)(TLSF_ALIGN - 1);
	return n < TLSF_MIN_PAYLOAD ? TLSF_MIN_PAYLOAD : n;
}

/* ------------------------------------------------------------- API -- */

size_t tlsf_max_region(void)
{
	return BLOCK_MAX;
}

tlsf_t *tlsf_create(void *mem, size_t size)
{
	uintptr_t start =
	    ((uintptr_t)mem + TLSF_ALIGN - 1) & ~(uintptr_t)(TLSF_ALIGN - 1);
	size_t need = (start - (uintptr_t)mem) + sizeof(struct tlsf) +
	              2 * HDR_SIZE + TLSF_MIN_PAYLOAD + TLSF_ALIGN;
	struct tlsf *t = (struct tlsf *)start;
	char *end, *pool;
	struct block *b;

	if (mem == NULL || size < need || size > tlsf_max_region())
		return NULL;
	memset(t, 0, sizeof(*t));
	t->total = size;
	end = (char *)((uintptr_t)((char *)mem + size) &
	               ~(uintptr_t)(TLSF_ALIGN - 1));
	/* the first block's size word directly follows the instance */
	pool = (char *)(t + 1);
	b = (struct block *)(pool - sizeof(struct block *));
	b->size = (size_t)(end - pool) - 2 * HDR_SIZE;
	t->first = b;
	t->sentinel = block_next(b);
	t->sentinel->size = 0;
	block_mark_free(b);
	block_link(t, b);
	t->max_used = t->total - t->free;
	return t;
}

/*
 * The block to serve a request of capacity cap, or NULL; *fl and *sl get its
 * list.  Good fit first: the request rounded up to the next list boundary,
 * so any block found fits.  When that fails, the head of the request's own
 * list is tried, so that the largest block (e.g. the whole heap) can still
 * be handed out whole.  O(1) either way.
 */
static struct block *block_find(const struct tlsf *t, size_t cap, unsigned *fl,
                                unsigned *sl)
{
	struct block *b = NULL;

	mapping_search(cap, fl, sl);
	if (*fl < FL_COUNT)
		b = find_suitable(t, fl, sl);
	if (b != NULL)
		return b;
	mapping_insert(cap, fl, sl);
	b = t->heads[*fl][*sl];
	return b != NULL && block_size(b) >= cap ? b : NULL;
}

void *tlsf_malloc(tlsf_t *t, size_t n)
{
	size_t cap = adjust_request(n);
	unsigned fl, sl;
	struct block *b;

	if (cap == 0)
		return NULL;
	b = block_find(t, cap, &fl, &sl);
	if (b == NULL)
		return NULL;
	list_remove(t, b, fl, sl);
	release_tail(t, b, cap);
	block_mark_used(t, b);
	return block_payload(b);
}

/*
 * 1 when p can be the payload of an allocated block of t (bounds, alignment
 * and FREE bit); otherwise logs what op was attempted and returns 0.
 */
static int payload_valid(const struct tlsf *t, const void *p, const char *op)
{
	if ((const char *)p < (const char *)block_payload(t->first) ||
	    (const char *)p >= (const char *)block_payload(t->sentinel) ||
	    ((uintptr_t)p & (TLSF_ALIGN - 1)) != 0) {
		LM_CRIT("%s of %p: not a block of allocator %p\n", op, p,
		        (const void *)t);
		return 0;
	}
	if (block_is_free(block_from_payload(p))) {
		LM_CRIT("%s of %p: block already free (allocator %p)\n", op, p,
		        (const void *)t);
		return 0;
	}
	return 1;
}

void tlsf_free(tlsf_t *t, void *p)
{
	struct block *b;

	if (p == NULL || !payload_valid(t, p, "free"))
		return;
	b = block_from_payload(p);
	t->used -= block_size(b);
	block_mark_free(b);
	b = merge_prev(t, b);
	b = merge_next(t, b);
	block_link(t, b);
}

/* Grows the used block b in place by absorbing its free successor. */
static int grow_in_place(struct tlsf *t, struct block *b, size_t cap)
{
	struct block *n = block_next(b);
	size_t old = block_size(b);

	if (!block_is_free(n) || old + HDR_SIZE + block_size(n) < cap)
		return SV_ENOMEM;
	block_unlink(t, n);
	b->size += HDR_SIZE + block_size(n);
	block_next(b)->size &= ~BIT_PREV_FREE;
	release_tail(t, b, cap);
	t->used += block_size(b) - old;
	note_max(t);
	return SV_OK;
}

void *tlsf_realloc(tlsf_t *t, void *p, size_t n)
{
	size_t cap = adjust_request(n), old;
	struct block *b;
	void *q;

	if (p == NULL)
		return tlsf_malloc(t, n);
	if (cap == 0 || !payload_valid(t, p, "realloc"))
		return NULL;
	b = block_from_payload(p);
	old = block_size(b);
	if (cap <= old) {
		release_tail(t, b, cap);
		t->used -= old - block_size(b);
		return p;
	}
	if (grow_in_place(t, b, cap) == SV_OK)
		return p;
	q = tlsf_malloc(t, n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, old);
	tlsf_free(t, p);
	return q;
}

size_t tlsf_block_size(const void *p)
{
	return block_size(block_from_payload(p));
}

void tlsf_get_stats(const tlsf_t *t, struct tlsf_stats *st)
{
	st->total = t->total;
	st->used = t->used;
	st->free = t->free;
	st->real_used = t->total - t->free;
	st->max_used = t->max_used;
	st->fragments = t->fragments;
}

void tlsf_reset_max_used(tlsf_t *t)
{
	t->max_used = t->total - t->free;
}

void tlsf_walk(const tlsf_t *t,
               void (*fn)(void *p, size_t cap, int used, void *arg), void *arg)
{
	const struct block *b;

	for (b = t->first; b != t->sentinel; b = block_next(b))
		fn(block_payload(b), block_size(b), !block_is_free(b), arg);
}

/* ---------------------------------------------------------- checker -- */

struct walk_sums {
	size_t used;
	size_t free;
	size_t nfree;
};

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			LM_ERR("tlsf check: " __VA_ARGS__);                    \
			return SV_ERR;                                         \
		}                                                              \
	} while (0)

/* Checks one non-sentinel block against its predecessor. */
static int check_block(const struct tlsf *t, const struct block *b,
                       const struct block *prev, struct walk_sums *s)
{
	size_t cap = block_size(b);
	const struct block *head;
	unsigned fl, sl;

	CHECK(cap >= TLSF_MIN_PAYLOAD && cap % TLSF_ALIGN == 0,
	      "block %p has capacity %zu\n", (void *)b, cap);
	CHECK((const char *)block_next(b) <= (const char *)t->sentinel,
	      "block %p (capacity %zu) runs past the end\n", (void *)b, cap);
	if (!block_is_free(b)) {
		s->used += cap;
		return SV_OK;
	}
	CHECK(prev == NULL || !block_is_free(prev),
	      "free blocks %p and %p are adjacent\n", (void *)prev, (void *)b);
	mapping_insert(cap, &fl, &sl);
	head = t->heads[fl][sl];
	CHECK(b->prev_free != NULL ? b->prev_free->next_free == b : head == b,
	      "free block %p is not linked on list %u/%u\n", (void *)b, fl, sl);
	CHECK(b->next_free == NULL || b->next_free->prev_free == b,
	      "free block %p has a broken next link\n", (void *)b);
	s->free += cap;
	s->nfree++;
	return SV_OK;
}

/* Walks the blocks in address order. */
static int check_walk(const struct tlsf *t, struct walk_sums *s)
{
	const struct block *b, *prev = NULL;

	for (b = t->first;; prev = b, b = block_next(b)) {
		int prev_free = prev != NULL && block_is_free(prev);

		CHECK(((uintptr_t)block_payload(b) & (TLSF_ALIGN - 1)) == 0,
		      "block %p is misaligned\n", (void *)b);
		CHECK(((b->size & BIT_PREV_FREE) != 0) == prev_free,
		      "block %p has a wrong prev-free bit\n", (void *)b);
		CHECK(!prev_free || b->prev_phys == prev,
		      "block %p has a wrong boundary tag\n", (void *)b);
		if (b == t->sentinel)
			break;
		if (check_block(t, b, prev, s) != SV_OK)
			return SV_ERR;
	}
	CHECK(block_size(b) == 0 && !block_is_free(b), "sentinel %p damaged\n",
	      (void *)b);
	return SV_OK;
}

/* Walks every free list; *count gets the number of entries. */
static int check_lists(const struct tlsf *t, size_t limit, size_t *count)
{
	unsigned fl, sl, f, s;
	const struct block *e, *prev;

	*count = 0;
	for (fl = 0; fl < FL_COUNT; fl++) {
		CHECK(((t->fl_bitmap >> fl) & 1) == (t->sl_bitmap[fl] != 0),
		      "first-level bit %u wrong\n", fl);
		for (sl = 0; sl < SL_COUNT; sl++) {
			CHECK(((t->sl_bitmap[fl] >> sl) & 1) ==
			          (t->heads[fl][sl] != NULL),
			      "second-level bit %u/%u wrong\n", fl, sl);
			prev = NULL;
			for (e = t->heads[fl][sl]; e;
			     prev = e, e = e->next_free) {
				CHECK(++*count <= limit,
				      "more list entries than free blocks\n");
				CHECK(e >= t->first && e < t->sentinel &&
				          block_is_free(e) &&
				          e->prev_free == prev,
				      "bad entry %p on list %u/%u\n", (void *)e,
				      fl, sl);
				mapping_insert(block_size(e), &f, &s);
				CHECK(f == fl && s == sl,
				      "block %p (%zu) on "
				      "list %u/%u\n",
				      (void *)e, block_size(e), fl, sl);
			}
		}
	}
	return SV_OK;
}

int tlsf_check(const tlsf_t *t)
{
	struct walk_sums s = {0, 0, 0};
	size_t listed;

	if (check_walk(t, &s) != SV_OK ||
	    check_lists(t, s.nfree, &listed) != SV_OK)
		return SV_ERR;
	CHECK(listed == s.nfree, "%zu listed, %zu free blocks\n", listed,
	      s.nfree);
	CHECK(s.used == t->used, "used %zu, counter %zu\n", s.used, t->used);
	CHECK(s.free == t->free, "free %zu, counter %zu\n", s.free, t->free);
	CHECK(s.nfree == t->fragments, "%zu fragments, counter %zu\n", s.nfree,
	      t->fragments);
	CHECK(t->max_used >= t->total - t->free, "max_used %zu below %zu\n",
	      t->max_used, t->total - t->free);
	return SV_OK;
}
