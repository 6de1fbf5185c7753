/*
 * tree_flat.c - one-block copies of MI trees.
 *
 * A deferred reply is built in the process that finishes the command (a
 * SIP worker, the timer) but rendered by the process that serves the
 * transport.  The tree therefore travels through shm, and copying it as
 * one block (root, nodes, attributes, strings) costs one allocation and
 * one free, with no allocator lock held per node.  The block is laid out
 * by the ordinary building functions of tree.c over a bump arena, so the
 * size computed here must follow their rounding: every piece is rounded
 * up to 8 bytes.
 */
#include "tree.h"

#include <string.h>

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

static size_t piece_size(size_t header, const str *a, const str *b)
{
	return ALIGN8(header + (size_t)a->len + (size_t)b->len + 2);
}

size_t mi_tree_flat_size(const struct mi_root *root)
{
	size_t size = ALIGN8(sizeof(*root) + (size_t)root->reason.len + 1);
	struct mi_node *n = root->node.kids;
	struct mi_attr *a;
	int depth = 0;

	for (a = root->node.attrs; a != NULL; a = a->next)
		size += piece_size(sizeof(*a), &a->name, &a->value);
	for (; n != NULL; n = mi_node_next(&root->node, n, &depth)) {
		size += piece_size(sizeof(*n), &n->name, &n->value);
		for (a = n->attrs; a != NULL; a = a->next)
			size += piece_size(sizeof(*a), &a->name, &a->value);
	}
	return size;
}

/* Copies src's name, value and attributes as a new child of parent. */
static struct mi_node *copy_node(struct mi_node *parent,
                                 const struct mi_node *src)
{
	struct mi_node *n;
	struct mi_attr *a;

	n = mi_add_child(parent, src->name.s, src->name.len, src->value.s,
	                 src->value.len);
	if (n == NULL)
		return NULL;
	for (a = src->attrs; a != NULL; a = a->next)
		if (mi_add_attr(n, a->name.s, a->name.len, a->value.s,
		                a->value.len) == NULL)
			return NULL;
	return n;
}

static struct mi_root *flat_root(const struct mi_root *src, char *block,
                                 size_t size)
{
	size_t head = ALIGN8(sizeof(*src) + (size_t)src->reason.len + 1);
	struct mi_root *dst = (struct mi_root *)block;
	struct mi_attr *a;

	if (size < head)
		return NULL;
	memset(dst, 0, sizeof(*dst));
	dst->node.root = dst;
	dst->code = src->code;
	dst->reason.s = block + sizeof(*dst);
	dst->reason.len = src->reason.len;
	memcpy(dst->reason.s, src->reason.s, (size_t)src->reason.len);
	dst->reason.s[src->reason.len] = '\0';
	dst->arena = block + head;
	dst->arena_end = block + size;
	for (a = src->node.attrs; a != NULL; a = a->next)
		if (mi_add_attr(&dst->node, a->name.s, a->name.len, a->value.s,
		                a->value.len) == NULL)
			return NULL;
	return dst;
}

struct mi_root *mi_tree_flat_copy(const struct mi_root *root, void *block,
                                  size_t size, int in_shm)
{
	struct mi_root *dst = flat_root(root, block, size);
	struct mi_node *n = root->node.kids, *parent, *last = NULL;
	int depth = 0, prev = 0;

	if (dst == NULL)
		return NULL;
	parent = &dst->node;
	while (n != NULL) {
		if (depth > prev)
			parent = last; /* one level down */
		for (; prev > depth; prev--)
			parent = parent->parent;
		prev = depth;
		last = copy_node(parent, n);
		if (last == NULL)
			return NULL;
		n = mi_node_next(&root->node, n, &depth);
	}
	dst->in_shm = in_shm;
	return dst;
}
