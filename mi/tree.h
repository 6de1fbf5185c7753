/*
 * tree.h - MI requests and replies: a tree of named nodes with attributes.
 *
 * A request or reply is a struct mi_root: a status (code and reason, used
 * by replies: "200 OK", "400 Bad parameter") and a nameless top node whose
 * children are the arguments of a request, or the lines of a reply.  A
 * node has an optional name, an optional value, attributes (name=value
 * pairs) and children.  The FIFO transport renders a node as
 *
 *   <indent * depth>[name:: ]value[ attr=value]*
 *
 * (see render.h), e.g. "Process::  ID=0 PID=123 Type=attendant".
 *
 * Ownership: every string added to a tree is copied into it (NUL
 * terminated, so handlers may use value.s as a C string); a tree owns all
 * its parts and mi_root_free() releases them.  Trees are in pkg memory
 * (malloc), except flat copies made for deferred replies (async.h), which
 * are one shm block; mi_root_free() knows the difference.
 *
 * Nothing here recurses: traversal is iterative (parent pointers), so a
 * deep tree cannot exhaust the stack.
 */
#ifndef SERVAL_MI_TREE_H
#define SERVAL_MI_TREE_H

#include "core/str.h"

#include <stddef.h>

struct mi_async;

struct mi_attr {
	str name; /* name.s NULL: value only */
	str value;
	struct mi_attr *next;
};

struct mi_node {
	str name;  /* name.s NULL: the node has no name */
	str value; /* value.s NULL: no value */
	struct mi_attr *attrs, *last_attr;
	struct mi_node *kids, *last_kid;
	struct mi_node *next;   /* next sibling */
	struct mi_node *parent; /* NULL for the top node of a root */
	struct mi_root *root;   /* the tree this node belongs to */
};

struct mi_root {
	int code;               /* reply status (0 in requests) */
	str reason;             /* reply reason phrase */
	struct mi_node node;    /* top node: arguments / reply lines */
	struct mi_async *async; /* requests: set when the transport can take
	                           a deferred reply (see async.h) */
	/* internal: allocation of a flat copy */
	char *arena, *arena_end; /* bump region; NULL: nodes are malloc'ed */
	int in_shm;              /* the whole tree is one shm block */
};

/* A handler's "I will answer later" (see mi.h); never a real tree. */
#define MI_ROOT_ASYNC_RPL ((struct mi_root *)-1)

/* Canonical reasons. */
#define MI_OK_S           "OK"
#define MI_MISSING_PARM_S "Too few or too many arguments"
#define MI_BAD_PARM_S     "Bad parameter"
#define MI_INTERNAL_ERR_S "Server Internal Error"

/*
 * Returns a new empty tree with status code and reason (copied; NULL is
 * ""), or NULL when out of memory.
 */
struct mi_root *mi_root_new(int code, const char *reason);

/* Like mi_root_new() with a printf-formatted reason (max 256 bytes). */
struct mi_root *mi_root_newf(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Frees a tree and everything in it.  NULL and MI_ROOT_ASYNC_RPL are
 * ignored.  A shm flat copy is released with shm_free().
 */
void mi_root_free(struct mi_root *root);

/*
 * Appends a child to parent with an optional name and value (NULL: absent;
 * a length < 0 means NUL terminated).  Both are copied.  Returns the new
 * node, or NULL when out of memory (the tree stays valid).
 */
struct mi_node *mi_add_child(struct mi_node *parent, const char *name,
                             int name_len, const char *value, int value_len);

/* Like mi_add_child() with a printf-formatted value. */
struct mi_node *mi_add_childf(struct mi_node *parent, const char *name,
                              int name_len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Appends an attribute name=value to node (copied; lengths < 0 mean NUL
 * terminated).  Returns it, or NULL when out of memory.
 */
struct mi_attr *mi_add_attr(struct mi_node *node, const char *name,
                            int name_len, const char *value, int value_len);

/* Like mi_add_attr() with a printf-formatted value. */
struct mi_attr *mi_add_attrf(struct mi_node *node, const char *name,
                             int name_len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Depth-first (pre-order) successor of n within the subtree under top
 * (top itself is never returned).  *depth is the depth of n (0 for the
 * children of top) and is updated to the depth of the returned node.
 * Returns NULL after the last node.  Start with n = top->kids, depth 0.
 */
struct mi_node *mi_node_next(const struct mi_node *top, struct mi_node *n,
                             int *depth);

/* Number of children of the top node (the arguments of a request). */
int mi_arg_count(const struct mi_root *root);

/* The i-th (0-based) argument of a request, or NULL. */
struct mi_node *mi_arg(const struct mi_root *root, int i);

/* Bytes needed for a flat copy of root (mi_tree_flat_copy()). */
size_t mi_tree_flat_size(const struct mi_root *root);

/*
 * Copies root into block (size bytes, at least mi_tree_flat_size(),
 * 8-byte aligned) as one self-contained tree: pointers inside point into
 * the block.  in_shm marks a shm block (mi_root_free() then shm_free()s
 * it).  Returns the copy (== block), or NULL if size is too small.
 */
struct mi_root *mi_tree_flat_copy(const struct mi_root *root, void *block,
                                  size_t size, int in_shm);

#endif /* SERVAL_MI_TREE_H */
