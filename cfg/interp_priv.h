/*
 * interp_priv.h - what the interpreter's files share: the route frame,
 * the run flags, the scratch buffer for computed strings, and the
 * expression entry points.
 */
#ifndef SERVAL_CFG_INTERP_PRIV_H
#define SERVAL_CFG_INTERP_PRIV_H

#include <regex.h>

#include "ast.h"
#include "core/pv.h"

/* frame flags: why the statement list stops */
#define RUN_EXIT   0x01 /* stop the whole script */
#define RUN_DROP   0x02 /* ... and it was `drop` */
#define RUN_ERROR  0x04 /* ... because a function set msg->err */
#define RUN_RETURN 0x08 /* leave the current route */
#define RUN_BREAK  0x10 /* leave the innermost switch */
#define RUN_STOP   (RUN_EXIT | RUN_RETURN | RUN_BREAK)

/* One run_route(): lives on the C stack of run_route(). */
struct route_frame {
	int type;
	const struct cfg_route *route;
	struct sip_msg *msg;
	unsigned flags;
	int depth;             /* route(n) nesting inside this run */
	int err_before;        /* msg->err.eclass when the run started */
	unsigned saved_sflags; /* the caller's script flags */
	struct route_frame *prev;
};

/*
 * Scratch space for strings an expression computes ("a" + $var(x),
 * numbers printed for a comparison).  A statement takes a mark before
 * evaluating and releases it after, so nested routes run from inside an
 * expression allocate above the outer statement's strings.
 */
#define SCRATCH_SIZE 65536
char *scratch_alloc(int len);
int scratch_mark(void);
void scratch_release(int mark);

/*
 * Evaluates e as a condition: returns 1 true, 0 false.  When a function
 * or route inside stops the script, RUN_EXIT is set in f->flags and 0 is
 * returned.
 */
int eval_cond(struct route_frame *f, const struct cfg_expr *e);

/*
 * Evaluates e as a value into *v (strings may point into the message,
 * the scratch buffer or a pseudo-variable's storage).  Never fails: a
 * value that cannot be computed is null (and logged when it is an error).
 */
void eval_value(struct route_frame *f, const struct cfg_expr *e,
                struct pv_value *v);

/* Evaluates a comparison node (interp_cmp.c): 1 true, 0 false. */
int eval_cmp(struct route_frame *f, const struct cfg_expr *e);

/* Reads a keyword operand (method, uri, src_port ...) as a value. */
void operand_value(struct route_frame *f, const struct cfg_operand *o,
                   struct pv_value *v);

/* Runs a function call; handles the 0 return and msg->err. */
int interp_call(struct route_frame *f, const struct cfg_call *c);

/* Runs route(r) inside frame f; handles depth, return and 0. */
int interp_route(struct route_frame *f, const struct cfg_route *r);

/*
 * Matches the text s against the POSIX ERE (case-insensitive) pattern,
 * compiling it through a small per-process cache (a pattern taken from a
 * pseudo-variable at run time).  Returns 1 match, 0 no match or a bad
 * pattern (logged).
 */
int re_cache_match(const str *pattern, const str *s);

/* Matches s against a compiled regex (s needs no NUL). 1 match, else 0. */
int regex_match(const regex_t *re, const str *s);

/* Frees the cache (tests). */
void re_cache_flush(void);

#endif /* SERVAL_CFG_INTERP_PRIV_H */
