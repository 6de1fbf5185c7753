/*
 * interp_expr.c - expressions as conditions and as values: logic,
 * arithmetic, string concatenation, calls and route() in expressions,
 * and the scratch buffer computed strings live in.
 *
 * Values are struct pv_value (null, integer, string, or an integer with
 * its text).  Arithmetic works on integers (a string operand is read as a
 * decimal number, else 0 with an error); `+` concatenates when either
 * side is a string that is not a number.  Division or modulo by zero is
 * an error and gives null.  As a condition a value is true when it is a
 * non-zero integer or a non-empty string; null is false.
 */
#include <string.h>

#include "interp_priv.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/pv_core.h"

static char scratch[SCRATCH_SIZE];
static int scratch_used;

char *scratch_alloc(int len)
{
	char *p;

	if (len < 0 || len > SCRATCH_SIZE - scratch_used)
		return NULL;
	p = scratch + scratch_used;
	scratch_used += len;
	return p;
}

int scratch_mark(void)
{
	return scratch_used;
}

void scratch_release(int mark)
{
	scratch_used = mark;
}

static void val_int(struct pv_value *v, long n)
{
	v->flags = PV_VAL_INT;
	v->ri = n;
	v->rs.s = NULL;
	v->rs.len = 0;
}

static void val_null(struct pv_value *v)
{
	v->flags = PV_VAL_NULL;
	v->ri = 0;
	v->rs.s = NULL;
	v->rs.len = 0;
}

/* Copies a string value into scratch (it may live in a reused buffer). */
static int val_keep(struct pv_value *v)
{
	char *p;

	if (!(v->flags & PV_VAL_STR) || v->rs.len == 0)
		return SV_OK;
	p = scratch_alloc(v->rs.len);
	if (!p)
		return SV_ETOOBIG;
	memcpy(p, v->rs.s, v->rs.len);
	v->rs.s = p;
	return SV_OK;
}

/* The text of a value (integers printed into scratch). */
static int val_text(struct pv_value *v, str *out)
{
	char num[24];
	int n;

	if (v->flags & PV_VAL_STR) {
		*out = v->rs;
		return SV_OK;
	}
	if (!(v->flags & PV_VAL_INT)) {
		out->s = NULL;
		out->len = 0;
		return SV_OK;
	}
	n = pv_itoa(v->ri, num);
	out->s = scratch_alloc(n);
	if (!out->s)
		return SV_ETOOBIG;
	memcpy(out->s, num, n);
	out->len = n;
	return SV_OK;
}

static void concat(const struct cfg_expr *e, struct pv_value *l,
                   struct pv_value *r, struct pv_value *v)
{
	str a, b;
	char *p;

	if (val_text(l, &a) != SV_OK || val_text(r, &b) != SV_OK ||
	    !(p = scratch_alloc(a.len + b.len))) {
		LM_ERR("%s:%d:%d: string too long\n", e->pos.file, e->pos.line,
		       e->pos.col);
		val_null(v);
		return;
	}
	memcpy(p, a.s, a.len);
	memcpy(p + a.len, b.s, b.len);
	v->flags = PV_VAL_STR;
	v->rs.s = p;
	v->rs.len = a.len + b.len;
	v->ri = 0;
}

/* An integer operand; logs and gives 0 for a non-number. */
static long as_int(const struct cfg_expr *e, const struct pv_value *v)
{
	long n;

	if (pv_value_to_int(v, &n) == SV_OK)
		return n;
	if (!(v->flags & PV_VAL_NULL))
		LM_ERR("%s:%d:%d: '%.*s' is not a number\n", e->pos.file,
		       e->pos.line, e->pos.col, STR_FMT(&v->rs));
	return 0;
}

static int is_text(const struct pv_value *v)
{
	long n;

	return (v->flags & PV_VAL_STR) && !(v->flags & PV_VAL_INT) &&
	       pv_value_to_int(v, &n) != SV_OK;
}

/*
 * Script arithmetic wraps around like the machine's (two's complement)
 * instead of being undefined: the operands can come from a message, and
 * LONG_MIN / -1 would otherwise trap and kill the process.
 */
static long wrap(unsigned long u)
{
	return (long)u;
}

static void arith(const struct cfg_expr *e, long a, long b, struct pv_value *v)
{
	unsigned long ua = (unsigned long)a, ub = (unsigned long)b;

	switch (e->op) {
	case TK_PLUS:
		return val_int(v, wrap(ua + ub));
	case TK_MINUS:
		return val_int(v, wrap(ua - ub));
	case TK_STAR:
		return val_int(v, wrap(ua * ub));
	case TK_SLASH:
	case TK_PERCENT:
		if (b == 0) {
			LM_ERR("%s:%d:%d: division by zero\n", e->pos.file,
			       e->pos.line, e->pos.col);
			return val_null(v);
		}
		if (b == -1)  /* a / -1 == -a, wrapping; a % -1 == 0 */
			return val_int(v, e->op == TK_SLASH ? wrap(0UL - ua)
			                                    : 0);
		return val_int(v, e->op == TK_SLASH ? a / b : a % b);
	case TK_BAND:
		return val_int(v, a & b);
	case TK_BOR:
		return val_int(v, a | b);
	case TK_BXOR:
		return val_int(v, a ^ b);
	case TK_LSHIFT:
		return val_int(v, (long)((unsigned long)a << (b & 63)));
	default: /* TK_RSHIFT */
		return val_int(v, a >> (b & 63));
	}
}

static void eval_arith(struct route_frame *f, const struct cfg_expr *e,
                       struct pv_value *v)
{
	struct pv_value l, r;

	eval_value(f, e->u.bin.l, &l);
	if (e->op == TK_PLUS && val_keep(&l) != SV_OK)
		return val_null(v);
	eval_value(f, e->u.bin.r, &r);
	if (f->flags & RUN_EXIT)
		return val_null(v);
	if (e->op == TK_PLUS && (is_text(&l) || is_text(&r)))
		return concat(e, &l, &r, v);
	arith(e, as_int(e->u.bin.l, &l), as_int(e->u.bin.r, &r), v);
}

void eval_value(struct route_frame *f, const struct cfg_expr *e,
                struct pv_value *v)
{
	struct pv_value x;

	switch (e->kind) {
	case EXPR_OPERAND:
		return operand_value(f, &e->u.opd, v);
	case EXPR_ARITH:
		return eval_arith(f, e, v);
	case EXPR_NEG:
	case EXPR_BNOT:
		eval_value(f, e->u.bin.l, &x);
		if (x.flags & PV_VAL_NULL)
			return val_null(v);
		return val_int(v, e->kind == EXPR_NEG
		                      ? wrap(0UL - (unsigned long)as_int(e, &x))
		                      : ~as_int(e, &x));
	case EXPR_CALL:
		return val_int(v, interp_call(f, e->u.call));
	case EXPR_ROUTE:
		return val_int(v, interp_route(f, e->u.route.target));
	default: /* logic and comparisons give 1 or 0 */
		return val_int(v, eval_cond(f, e));
	}
}

/* A value as a condition. */
static int truth(const struct pv_value *v)
{
	if (v->flags & PV_VAL_INT)
		return v->ri != 0;
	if (v->flags & PV_VAL_STR)
		return v->rs.len > 0;
	return 0;
}

int eval_cond(struct route_frame *f, const struct cfg_expr *e)
{
	struct pv_value v;
	int c;

	switch (e->kind) {
	case EXPR_AND:
		c = eval_cond(f, e->u.bin.l);
		return c && !(f->flags & RUN_EXIT) ? eval_cond(f, e->u.bin.r)
		                                   : 0;
	case EXPR_OR:
		c = eval_cond(f, e->u.bin.l);
		if (c || (f->flags & RUN_EXIT))
			return c && !(f->flags & RUN_EXIT);
		return eval_cond(f, e->u.bin.r);
	case EXPR_NOT:
		c = eval_cond(f, e->u.bin.l);
		return (f->flags & RUN_EXIT) ? 0 : !c;
	case EXPR_CMP:
		return eval_cmp(f, e);
	case EXPR_CALL:
		return interp_call(f, e->u.call) > 0;
	case EXPR_ROUTE:
		return interp_route(f, e->u.route.target) > 0;
	default:
		eval_value(f, e, &v);
		return (f->flags & RUN_EXIT) ? 0 : truth(&v);
	}
}
