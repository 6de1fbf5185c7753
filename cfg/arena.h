/*
 * arena.h - the routing script's memory.
 *
 * Everything the parser builds (tokens' decoded text, AST nodes, route
 * names, file names) lives as long as the script: it is allocated from one
 * arena and released in one call by cfg_free().  That keeps the parser free
 * of per-node ownership rules and error-path frees, and packs a route's
 * nodes close together, which the tree-walking interpreter likes.
 *
 * Objects that own resources outside the arena (compiled regexes, module
 * fixup results, pseudo-variable specs) are not arena memory: the script
 * records them and releases them explicitly (see cfg/ast.h).
 *
 * Memory is plain per-process heap (pkg); the arena is not thread-safe and
 * is only used in the master while the script is read.
 */
#ifndef SERVAL_CFG_ARENA_H
#define SERVAL_CFG_ARENA_H

#include <stddef.h>

struct cfg_arena_chunk;

struct cfg_arena {
	struct cfg_arena_chunk *head; /* newest chunk first */
	size_t total;                 /* bytes handed out, for diagnostics */
};

/*
 * Returns n bytes of zeroed memory aligned for any object, owned by the
 * arena, or NULL when out of memory.
 */
void *cfg_alloc(struct cfg_arena *a, size_t n);

/*
 * Copies n bytes of s and a terminating NUL into the arena.  Returns the
 * copy, or NULL when out of memory.
 */
char *cfg_strndup(struct cfg_arena *a, const char *s, size_t n);

/* Frees every chunk; the arena is empty (and reusable) afterwards. */
void cfg_arena_free(struct cfg_arena *a);

#endif /* SERVAL_CFG_ARENA_H */
