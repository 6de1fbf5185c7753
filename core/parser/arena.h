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

#define ARENA_INLINE_SIZE 4096
#define ARENA_ALIGN 16

struct arena_block;

struct msg_arena {
	char *cur;                    /* next free byte */
	char *end;                    /* end of the current block */
	struct arena_block *blocks;   /* malloc'ed blocks, newest first */
	size_t next_size;             /* size of the next block to malloc */
	size_t total;                 /* bytes handed out (statistics) */
	_Alignas(ARENA_ALIGN) char first[ARENA_INLINE_SIZE];
};

/* Makes an empty arena using its inline block.  Never fails. */
void arena_init(struct msg_arena *a);

/*
 * Returns size zeroed bytes aligned to ARENA_ALIGN, valid until
 * arena_release(); NULL when malloc failed (the arena stays usable).
 */
void *arena_alloc(struct msg_arena *a, size_t size);

/* Frees every malloc'ed block and empties the arena (it may be reused). */
void arena_release(struct msg_arena *a);

#endif /* SERVAL_CORE_PARSER_ARENA_H */
