/*
 * arena.c - bump allocation over an inline block plus malloc'ed blocks.
 *
 * Block sizes start at 8 KiB and double up to 256 KiB; an allocation larger
 * than the next block size gets a block of its own size.  Memory is zeroed
 * at allocation time (cheaper than zeroing whole blocks that may stay
 * mostly unused).
 */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_BLOCK 8192
#define ARENA_MAX_BLOCK   (256 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t size;
	_Alignas(ARENA_ALIGN) char data[];
};

void arena_init(struct msg_arena *a)
{
	a->cur = a->first;
	a->end = a->first + sizeof(a->first);
	a->blocks = NULL;
	a->next_size = ARENA_FIRST_BLOCK;
	a->total = 0;
}

static int arena_grow(struct msg_arena *a, size_t need)
{
	size_t size = a->next_size;
	struct arena_block *b;

	if (size < need)
		size = need;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return -1;
	b->next = a->blocks;
	b->size = size;
	a->blocks = b;
	a->cur = b->data;
	a->end = b->data + size;
	if (a->next_size < ARENA_MAX_BLOCK)
		a->next_size *= 2;
	return 0;
}

void *arena_alloc_slow(struct msg_arena *a, size_t size)
{
	if (arena_grow(a, size) < 0)
		return NULL;
	return arena_alloc(a, size);
}

void arena_release(struct msg_arena *a)
{
	struct arena_block *b, *next;

	for (b = a->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	arena_init(a);
}
