/*
 * tree.c - building, walking, copying and freeing MI trees (see tree.h).
 *
 * Each node and each attribute is one allocation that also holds copies of
 * its name and value, so a tree of N nodes costs N allocations and freeing
 * cannot miss a string.  A flat copy instead lays the root, the nodes, the
 * attributes and the strings out in one caller-supplied block (a bump
 * allocator over root->arena); the same building functions serve both,
 * they only ask the root where to allocate.
 */
#include "tree.h"
#include "shm/shm.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)
#define FMT_MAX   256

/* Allocates n bytes for root: from its arena, or from the heap. */
static void *tree_alloc(struct mi_root *root, size_t n)
{
	char *p;

	if (root->arena == NULL)
		return malloc(n);
	n = ALIGN8(n);
	if ((size_t)(root->arena_end - root->arena) < n)
		return NULL;
	p = root->arena;
	root->arena += n;
	return p;
}

/* Copies s (len bytes) to dst, NUL terminates it, sets *out; returns end. */
static char *put_str(char *dst, const char *s, int len, str *out)
{
	if (s == NULL) {
		out->s = NULL;
		out->len = 0;
		return dst;
	}
	memcpy(dst, s, (size_t)len);
	dst[len] = '\0';
	out->s = dst;
	out->len = len;
	return dst + len + 1;
}

static int str_len(const char *s, int len)
{
	if (s == NULL)
		return 0;
	return len < 0 ? (int)strlen(s) : len;
}

struct mi_root *mi_root_new(int code, const char *reason)
{
	int len = reason ? (int)strlen(reason) : 0;
	struct mi_root *root = calloc(1, sizeof(*root) + (size_t)len + 1);

	if (root == NULL)
		return NULL;
	root->code = code;
	root->node.root = root;
	put_str((char *)(root + 1), reason ? reason : "", len, &root->reason);
	return root;
}

struct mi_root *mi_root_newf(int code, const char *fmt, ...)
{
	char buf[FMT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return mi_root_new(code, buf);
}

struct mi_node *mi_add_child(struct mi_node *parent, const char *name,
                             int name_len, const char *value, int value_len)
{
	struct mi_node *n;
	char *p;

	name_len = str_len(name, name_len);
	value_len = str_len(value, value_len);
	n = tree_alloc(parent->root,
	               sizeof(*n) + (size_t)name_len + (size_t)value_len + 2);
	if (n == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	p = put_str((char *)(n + 1), name, name_len, &n->name);
	put_str(p, value, value_len, &n->value);
	n->parent = parent;
	n->root = parent->root;
	if (parent->last_kid)
		parent->last_kid->next = n;
	else
		parent->kids = n;
	parent->last_kid = n;
	return n;
}

/* Formats into buf, or into a heap buffer when longer (*heap then set). */
static char *format(char *buf, size_t size, char **heap, int *len,
                    const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(buf, size, fmt, ap);
	*heap = NULL;
	if (n >= 0 && (size_t)n >= size) {
		*heap = malloc((size_t)n + 1);
		if (*heap != NULL)
			vsnprintf(*heap, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	*len = n;
	if (n < 0 || ((size_t)n >= size && *heap == NULL))
		return NULL;
	return *heap ? *heap : buf;
}

struct mi_node *mi_add_childf(struct mi_node *parent, const char *name,
                              int name_len, const char *fmt, ...)
{
	char buf[FMT_MAX], *heap, *v;
	struct mi_node *n = NULL;
	va_list ap;
	int len;

	va_start(ap, fmt);
	v = format(buf, sizeof(buf), &heap, &len, fmt, ap);
	va_end(ap);
	if (v != NULL)
		n = mi_add_child(parent, name, name_len, v, len);
	free(heap);
	return n;
}

struct mi_attr *mi_add_attr(struct mi_node *node, const char *name,
                            int name_len, const char *value, int value_len)
{
	struct mi_attr *a;
	char *p;

	name_len = str_len(name, name_len);
	value_len = str_len(value, value_len);
	a = tree_alloc(node->root,
	               sizeof(*a) + (size_t)name_len + (size_t)value_len + 2);
	if (a == NULL)
		return NULL;
	a->next = NULL;
	p = put_str((char *)(a + 1), name, name_len, &a->name);
	put_str(p, value, value_len, &a->value);
	if (node->last_attr)
		node->last_attr->next = a;
	else
		node->attrs = a;
	node->last_attr = a;
	return a;
}

struct mi_attr *mi_add_attrf(struct mi_node *node, const char *name,
                             int name_len, const char *fmt, ...)
{
	char buf[FMT_MAX], *heap, *v;
	struct mi_attr *a = NULL;
	va_list ap;
	int len;

	va_start(ap, fmt);
	v = format(buf, sizeof(buf), &heap, &len, fmt, ap);
	va_end(ap);
	if (v != NULL)
		a = mi_add_attr(node, name, name_len, v, len);
	free(heap);
	return a;
}

struct mi_node *mi_node_next(const struct mi_node *top, struct mi_node *n,
                             int *depth)
{
	if (n->kids != NULL) {
		(*depth)++;
		return n->kids;
	}
	while (n != top && n != NULL) {
		if (n->next != NULL)
			return n->next;
		n = n->parent;
		(*depth)--;
	}
	return NULL;
}

int mi_arg_count(const struct mi_root *root)
{
	const struct mi_node *n;
	int count = 0;

	for (n = root->node.kids; n != NULL; n = n->next)
		count++;
	return count;
}

struct mi_node *mi_arg(const struct mi_root *root, int i)
{
	struct mi_node *n;

	for (n = root->node.kids; n != NULL && i > 0; n = n->next)
		i--;
	return i == 0 ? n : NULL;
}

static void free_attrs(struct mi_attr *a)
{
	struct mi_attr *next;

	for (; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
}

void mi_root_free(struct mi_root *root)
{
	struct mi_node *n, *up;

	if (root == NULL || root == MI_ROOT_ASYNC_RPL)
		return;
	if (root->in_shm) {
		shm_free(root);
		return;
	}
	if (root->arena != NULL)
		return; /* a flat copy in a caller's block: the caller frees */
	/* post-order without recursion: detach kids on the way down */
	n = root->node.kids;
	while (n != NULL) {
		if (n->kids != NULL) {
			struct mi_node *k = n->kids;

			n->kids = NULL;
			n = k;
			continue;
		}
		up = n->next ? n->next
		             : (n->parent == &root->node ? NULL : n->parent);
		free_attrs(n->attrs);
		free(n);
		n = up;
	}
	free_attrs(root->node.attrs);
	free(root);
}
