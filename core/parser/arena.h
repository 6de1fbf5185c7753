/*
 * arena.h - the per-message memory arena.
 *
 * Everything the parser builds for one message (header records, Via bodies,
 * parameter lists, contacts ...) is carved out of the message's arena, so
 * parsing a header never calls malloc() for a typical message and the whole
 * parse is released by one arena_release() in free_sip_msg().
 *
 * Layout: the first block lives inside the arena itself (so inside struct
 * sip_msg: a message must not be moved in memory once parsed, since the
 * parsed structures point into it); when it is full, further blocks are
 * malloc'ed, each twice the previous one (capped), and chained for release.
 * Allocation is a pointer bump; memory is returned zeroed and aligned for any
 * type.  There is no per-object free.
 *
 * The arena is private to the process that parses the message (pkg memory);
 * no lock.
 */
#ifndef SERVAL_CORE_PARSER_ARENA_H
#define SERVAL_CORE_PARSER_ARENA_H

#include <stddef.h>
#include <string.h>

#define ARENA_INLINE_SIZE 4096
#define ARENA_ALIGN       16

struct arena_block;

struct msg_arena {
	char *cur;                  /* next free byte */
	char *end;                  /* end of the current block */
	struct arena_block *blocks; /* malloc'ed blocks, newest first */
	size_t next_size;           /* size of the next block to malloc */
	size_t total;               /* bytes handed out (statistics) */
	_Alignas(ARENA_ALIGN) char first[ARENA_INLINE_SIZE];
};

/* Makes an empty arena using its inline block.  Never fails. */
void arena_init(struct msg_arena *a);

/*
 * Slow path of arena_alloc(): gets a new block able to hold size bytes and
 * allocates from it.  Returns NULL when malloc failed.
 */
void *arena_alloc_slow(struct msg_arena *a, size_t size);

/*
 * Returns size zeroed bytes aligned to ARENA_ALIGN, valid until
 * arena_release(); NULL when malloc failed (the arena stays usable).
 * Inline so that the zeroing of a fixed-size object is a few stores.
 */
static inline void *arena_alloc(struct msg_arena *a, size_t size)
{
	void *p;

	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (size == 0)
		size = ARENA_ALIGN;
	if ((size_t)(a->end - a->cur) < size)
		return arena_alloc_slow(a, size);
	p = a->cur;
	a->cur += size;
	a->total += size;
	return memset(p, 0, size);
}

/* Frees every malloc'ed block and empties the arena (it may be reused). */
void arena_release(struct msg_arena *a);

#endif /* SERVAL_CORE_PARSER_ARENA_H */
