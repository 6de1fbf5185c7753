/*
 * tlsf.h - a two-level segregated fit allocator over a caller's region.
 *
 * tlsf_create() lays an allocator instance (struct tlsf: bitmaps, free-list
 * heads and counters) at the start of a memory region and turns the rest into
 * one free block.  Everything the allocator knows is inside that region, so
 * an instance in a MAP_SHARED mapping is usable by every process that maps
 * it at the same address, and an instance on a malloc'd buffer is usable by
 * a unit test.  There is no global state and no locking: callers serialise
 * access (shm.c does it with its futex lock).
 *
 * Costs: tlsf_malloc and tlsf_free are O(1) (two bitmap scans and a constant
 * number of list operations); tlsf_realloc is O(1) plus a memcpy when it has
 * to move.  Free neighbours are merged at once, so no two free blocks are
 * ever adjacent.
 *
 * Block layout (64-bit):
 *
 *   +-----------+---------------------------------------------+
 *   | size|bits | payload (capacity bytes, 8-byte aligned)    |
 *   +-----------+---------------------------------------------+
 *     8 bytes     the last 8 bytes double as the next block's
 *                 "previous block" pointer while this block is free
 *
 * The per-block overhead of an allocated block is one size_t (8 bytes on
 * 64-bit).  A request is rounded up to a multiple of 8 and to at least
 * TLSF_MIN_PAYLOAD bytes (a free block stores two list links and the
 * boundary tag in its payload).
 *
 * Accounting (struct tlsf_stats) is in block capacities, i.e. requests as
 * rounded, not as asked:
 *   used       sum of the capacities of allocated blocks
 *   free       sum of the capacities of free blocks (what could be handed out)
 *   real_used  total - free: used plus every block header, the instance
 *              header and the end sentinel
 *   max_used   high-water mark of real_used
 *   fragments  number of free blocks
 */
#ifndef SERVAL_SHM_TLSF_H
#define SERVAL_SHM_TLSF_H

#include <stddef.h>

/* Payload alignment and granularity. */
#define TLSF_ALIGN 8
/* Smallest payload capacity of a block. */
#define TLSF_MIN_PAYLOAD 24
/* Bytes of header per allocated block. */
#define TLSF_BLOCK_OVERHEAD 8

struct tlsf;
typedef struct tlsf tlsf_t;

struct tlsf_stats {
	size_t total;     /* bytes of the region given to tlsf_create() */
	size_t used;      /* capacities of allocated blocks */
	size_t real_used; /* total - free */
	size_t max_used;  /* high-water mark of real_used */
	size_t free;      /* capacities of free blocks */
	size_t fragments; /* number of free blocks */
};

/*
 * Builds an allocator over [mem, mem + size).  The region's start is aligned
 * up to TLSF_ALIGN.  Returns the instance (which sits at the start of the
 * region; the caller keeps owning the memory), or NULL when the region is
 * too small to hold the instance and one minimal block, or larger than
 * tlsf_max_region().
 */
tlsf_t *tlsf_create(void *mem, size_t size);

/* The largest region tlsf_create() accepts (blocks are below 2^39 bytes). */
size_t tlsf_max_region(void);

/*
 * Allocates n bytes, TLSF_ALIGN-aligned.  n = 0 gives a minimal block (a
 * valid, unique pointer).  Returns NULL when no free block is large enough.
 */
void *tlsf_malloc(tlsf_t *t, size_t n);

/*
 * Frees p (NULL is ignored) and merges it with free neighbours.  p must come
 * from this instance.  A pointer outside the pool, misaligned, or to a block
 * that is already free is detected, logged (LM_CRIT) and ignored; a pointer
 * into the middle of a block is not detected.
 */
void tlsf_free(tlsf_t *t, void *p);

/*
 * Resizes p to n bytes keeping min(n, old capacity) bytes of content.
 * Shrinks in place (the tail becomes free); grows in place when the next
 * block is free and large enough; otherwise allocates, copies and frees.
 * p = NULL behaves as tlsf_malloc(t, n); n = 0 shrinks to a minimal block.
 * Returns the (possibly moved) block, or NULL when exhausted (or when p is
 * rejected as in tlsf_free), in which case p is untouched.
 */
void *tlsf_realloc(tlsf_t *t, void *p, size_t n);

/* Returns the capacity of the allocated block p (>= the size asked). */
size_t tlsf_block_size(const void *p);

/* Copies the counters (see the top of this file) into *st. */
void tlsf_get_stats(const tlsf_t *t, struct tlsf_stats *st);

/* Sets max_used to the current real_used. */
void tlsf_reset_max_used(tlsf_t *t);

/*
 * Calls fn(payload, capacity, used, arg) for every block in address order
 * (the end sentinel excluded).  fn must not allocate or free.
 */
void tlsf_walk(const tlsf_t *t,
               void (*fn)(void *p, size_t cap, int used, void *arg), void *arg);

/*
 * Verifies the whole heap: block sizes and bounds, the prev-free bits and
 * boundary tags, that no two free blocks are adjacent, that every free block
 * is on the list its size maps to and every list entry is a free block, that
 * the bitmaps match the lists, and that the counters equal what the walk
 * finds.  Returns SV_OK, or SV_ERR after logging the first problem (LM_ERR).
 * O(number of blocks); for tests and debugging.
 */
int tlsf_check(const tlsf_t *t);

#endif /* SERVAL_SHM_TLSF_H */
