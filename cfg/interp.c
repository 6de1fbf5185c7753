/*
 * interp.c - the statement walker: run_route(), the route frame stack,
 * function calls, route(n), if/switch/while, assignments (see interp.h).
 *
 * exec_stmt() is one switch over the statement kinds; each case is short
 * and delegates.  A statement list stops as soon as a frame flag in
 * RUN_STOP is set: RUN_EXIT travels up to run_route(), RUN_RETURN to the
 * enclosing route boundary, RUN_BREAK to the enclosing switch.  Nothing is
 * allocated: frames live on the C stack, computed strings in the scratch
 * buffer (interp_expr.c) released after each statement.
 */
#include "interp.h"

#include "interp_priv.h"
#include "cfg.h"
#include "route.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/flags.h"
#include "core/log.h"
#include "core/pv_core.h"
#include "core/parser/msg.h"

static struct route_frame *frame_top;
static unsigned last_flags;
static struct cfg_script *active;
static const struct cfg_route *mains[5]; /* main route of each type */

static int exec_list(struct route_frame *f, const struct cfg_stmt *st);

void cfg_set_active(struct cfg_script *s)
{
	int i;

	active = s;
	for (i = 0; i < 5; i++)
		mains[i] = s ? cfg_main_route(s, 1 << i) : NULL;
}

const struct cfg_route *route_main(int type)
{
	return mains[cfg_route_type_index(type)];
}

struct cfg_script *cfg_active(void)
{
	return active;
}

const struct cfg_route *route_get(int type, const char *name)
{
	return active ? cfg_route_lookup(active, type, name) : NULL;
}

int route_type(void)
{
	return frame_top ? frame_top->type : 0;
}

unsigned route_last_flags(void)
{
	return last_flags;
}

/* Logs where a statement is, for run-time errors. */
static void stmt_error(const struct cfg_pos *pos, const char *what)
{
	LM_ERR("%s:%d:%d: %s\n", pos->file, pos->line, pos->col, what);
}

int interp_call(struct route_frame *f, const struct cfg_call *c)
{
	int ret;

	if (!c->cmd->function) { /* refused at fixup; never reached */
		stmt_error(&c->pos, "function without a body");
		return -1;
	}
	ret = c->cmd->function(f->msg, (void **)c->params);
	pv_retcode = ret;
	if (ret == 0)
		f->flags |= RUN_EXIT;
	if (f->type == REQUEST_ROUTE && f->err_before == ERR_CLASS_NONE &&
	    f->msg->err.eclass != ERR_CLASS_NONE) {
		LM_DBG("%s:%d:%d: %s left a message error (%.*s): stopping\n",
		       c->pos.file, c->pos.line, c->pos.col, c->name,
		       STR_FMT(&f->msg->err.info));
		f->flags |= RUN_EXIT | RUN_ERROR;
	}
	return ret;
}

int interp_route(struct route_frame *f, const struct cfg_route *r)
{
	int ret;

	if (f->depth >= INTERP_MAX_DEPTH) {
		LM_ERR("route[%s]: more than %d nested route() calls, "
		       "stopping the script\n",
		       r->name, INTERP_MAX_DEPTH);
		f->flags |= RUN_EXIT;
		return -1;
	}
	f->depth++;
	ret = exec_list(f, r->body);
	f->depth--;
	f->flags &= ~(RUN_RETURN | RUN_BREAK);
	pv_retcode = ret;
	if (ret == 0)
		f->flags |= RUN_EXIT;
	return ret;
}

static int exec_assign(struct route_frame *f, const struct cfg_stmt *st)
{
	const struct pv_spec *sp = st->u.assign.lhs.spec;
	int op = st->u.assign.op == TK_COLONEQ ? PV_OP_REPLACE : PV_OP_SET;
	struct pv_value v;
	int rc;

	if (st->u.assign.rhs) {
		eval_value(f, st->u.assign.rhs, &v);
		if (f->flags & RUN_EXIT)
			return 0;
		rc = pv_set(f->msg, sp, op, &v);
	} else {
		rc = pv_set(f->msg, sp, op, NULL);
	}
	if (rc == SV_OK)
		return 1;
	LM_ERR("%s:%d:%d: cannot assign %s: %s\n", st->pos.file, st->pos.line,
	       st->pos.col, st->u.assign.lhs.text, sv_strerror(rc));
	return -1;
}

static int exec_if(struct route_frame *f, const struct cfg_stmt *st)
{
	int c = eval_cond(f, st->u.ctl.cond);

	if (f->flags & RUN_EXIT)
		return 0;
	if (c)
		return exec_list(f, st->u.ctl.body);
	if (st->u.ctl.else_body)
		return exec_list(f, st->u.ctl.else_body);
	return 1;
}

/*
 * The condition's computed strings are released after each evaluation:
 * the whole loop is one statement for exec_list(), and a long loop would
 * otherwise fill the scratch buffer (which then made the condition false).
 */
static int loop_cond(struct route_frame *f, const struct cfg_expr *cond)
{
	int mark = scratch_mark(), c = eval_cond(f, cond);

	scratch_release(mark);
	return c;
}

static int exec_while(struct route_frame *f, const struct cfg_stmt *st)
{
	int n = 0, ret = 1;

	while (loop_cond(f, st->u.ctl.cond)) {
		if (++n > core_cfg.max_while_loops) {
			LM_WARN("%s:%d:%d: while loop stopped after %d "
			        "iterations (max_while_loops)\n",
			        st->pos.file, st->pos.line, st->pos.col,
			        core_cfg.max_while_loops);
			break;
		}
		ret = exec_list(f, st->u.ctl.body);
		if (f->flags & RUN_STOP)
			break;
	}
	return (f->flags & RUN_EXIT) ? 0 : ret;
}

/* Does the switch value v select case c? */
static int case_matches(const struct cfg_case *c, const struct pv_value *v)
{
	long n;

	if (v->flags & PV_VAL_NULL)
		return 0;
	if (c->is_str)
		return (v->flags & PV_VAL_STR) && str_eq(&v->rs, &c->s);
	return pv_value_to_int(v, &n) == SV_OK && n == c->num;
}

static int exec_switch(struct route_frame *f, const struct cfg_stmt *st)
{
	const struct cfg_case *c, *dflt = NULL;
	struct pv_value v;
	int ret = 1;

	pv_get(f->msg, st->u.sw.sel.spec, &v);
	for (c = st->u.sw.cases; c; c = c->next) {
		if (c->is_default)
			dflt = c;
		else if (case_matches(c, &v))
			break;
	}
	for (c = c ? c : dflt; c; c = c->next) {
		if (c->body)
			ret = exec_list(f, c->body);
		if (f->flags & RUN_STOP)
			break;
	}
	f->flags &= ~RUN_BREAK;
	return ret;
}

static int exec_return(struct route_frame *f, const struct cfg_stmt *st)
{
	struct pv_value v;
	long n = 1;

	if (st->u.value) {
		eval_value(f, st->u.value, &v);
		if (pv_value_to_int(&v, &n) != SV_OK)
			n = (v.flags & PV_VAL_NULL) ? -1 : 1;
	}
	f->flags |= RUN_RETURN;
	pv_retcode = (int)n;
	return (int)n;
}

static int exec_stmt(struct route_frame *f, const struct cfg_stmt *st)
{
	switch (st->kind) {
	case STMT_CALL:
		return interp_call(f, st->u.call);
	case STMT_ASSIGN:
		return exec_assign(f, st);
	case STMT_IF:
		return exec_if(f, st);
	case STMT_SWITCH:
		return exec_switch(f, st);
	case STMT_WHILE:
		return exec_while(f, st);
	case STMT_BLOCK:
		return exec_list(f, st->u.ctl.body);
	case STMT_ROUTE:
		return interp_route(f, st->u.route.target);
	case STMT_RETURN:
		return exec_return(f, st);
	case STMT_EXIT:
		f->flags |= RUN_EXIT;
		return 0;
	case STMT_DROP:
		f->flags |= RUN_EXIT | RUN_DROP;
		return 0;
	case STMT_BREAK:
		f->flags |= RUN_BREAK;
		return 1;
	}
	return 1;
}

static int exec_list(struct route_frame *f, const struct cfg_stmt *st)
{
	int ret = 1, mark;

	for (; st; st = st->next) {
		mark = scratch_mark();
		ret = exec_stmt(f, st);
		scratch_release(mark);
		if (f->flags & RUN_STOP)
			break;
	}
	return ret;
}

int run_route(int type, const struct cfg_route *route, struct sip_msg *msg)
{
	struct route_frame f = {
	    .type = type,
	    .route = route,
	    .msg = msg,
	    .err_before = msg->err.eclass,
	    .saved_sflags = script_flags,
	    .prev = frame_top,
	};
	int ret;

	if (!route) {
		last_flags = 0;
		return 1;
	}
	script_flags = 0;
	frame_top = &f;
	ret = exec_list(&f, route->body);
	frame_top = f.prev;
	if (f.prev) /* a nested run: give the outer route its flags back */
		script_flags = f.saved_sflags;
	last_flags = f.flags & (RUN_EXIT | RUN_DROP | RUN_ERROR);
	return (f.flags & RUN_EXIT) ? 0 : ret;
}
