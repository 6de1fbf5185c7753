/*
 * arena.c - bump allocation in chunks.
 *
 * A chunk is a malloc'ed block; allocations are carved from its end of use
 * and rounded up to 16 bytes.  A request larger than a quarter of the chunk
 * size gets a chunk of its own so big strings do not waste the tail of a
 * shared chunk.  Nothing is ever freed individually.
 */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 16384
#define ARENA_ALIGN 16

struct cfg_arena_chunk {
	struct cfg_arena_chunk *next;
	size_t size; /* usable bytes in data[] */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static struct cfg_arena_chunk *chunk_new(size_t size)
{
	struct cfg_arena_chunk *c = malloc(sizeof(*c) + size);

	if (!c)
		return NULL;
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *cfg_alloc(struct cfg_arena *a, size_t n)
{
	struct cfg_arena_chunk *c = a->head;
	void *p;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if (n > ARENA_CHUNK / 4) {
		/* a private chunk, linked behind the current one */
		c = chunk_new(n);
		if (!c)
			return NULL;
		c->used = n;
		if (a->head) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			a->head = c;
		}
		a->total += n;
		memset(c->data, 0, n);
		return c->data;
	}
	if (!c || c->size - c->used < n) {
		c = chunk_new(ARENA_CHUNK);
		if (!c)
			return NULL;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *cfg_strndup(struct cfg_arena *a, const char *s, size_t n)
{
	char *d = cfg_alloc(a, n + 1);

	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void cfg_arena_free(struct cfg_arena *a)
{
	struct cfg_arena_chunk *c = a->head, *next;

	while (c) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
