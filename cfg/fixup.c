/*
 * fixup.c - the fixup pass: everything that must be resolved once before
 * the script can run, each failure reported at its own position.
 *
 *   1. route references: route(n) statements and values find their route
 *      (an undefined one is an error at the name); the calls make a graph.
 *   2. route types: each route starts with the type of its block (the
 *      main route[0] is a request route); route(n) propagates the caller's
 *      types to the callee until nothing changes, remembering for each
 *      type which caller brought it (for messages).  A route[n] nobody
 *      calls is checked as a request route, as OpenSER did.
 *   3. a walk over every route, in source order: each call is bound to a
 *      core or module function (unknown name, wrong arity and a function
 *      not allowed in a route type the route can run as are errors), its
 *      fixups run; pseudo-variables are parsed (unknown ones are errors;
 *      assigned ones must be writable); regexes compared against literal
 *      strings are compiled (REG_EXTENDED | REG_ICASE | REG_NOSUB).
 *
 * Everything allocated here is recorded with cfg_own() and released by
 * cfg_free().
 */
#include "fixup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "core_cmds.h"
#include "route.h"
#include "core/errors.h"
#include "core/pv.h"

/* A generic pre-order walk over statements and expressions. */
struct walk {
	struct cfg_script *s;
	struct cfg_route *route;
	unsigned types; /* route types the current route may run as */
	int (*on_stmt)(struct walk *w, struct cfg_stmt *st);
	int (*on_expr)(struct walk *w, struct cfg_expr *e);
	/* route call graph (pass 1) */
	struct edge {
		struct cfg_route *from, *to;
		struct cfg_pos pos;
	} * edges;
	int nedges, cap;
};

static int walk_stmts(struct walk *w, struct cfg_stmt *st);

static int walk_expr(struct walk *w, struct cfg_expr *e)
{
	int rc;

	if (!e)
		return SV_OK;
	rc = w->on_expr(w, e);
	if (rc != SV_OK)
		return rc;
	switch (e->kind) {
	case EXPR_AND:
	case EXPR_OR:
	case EXPR_CMP:
	case EXPR_ARITH:
		rc = walk_expr(w, e->u.bin.l);
		return rc == SV_OK ? walk_expr(w, e->u.bin.r) : rc;
	case EXPR_NOT:
	case EXPR_NEG:
	case EXPR_BNOT:
		return walk_expr(w, e->u.bin.l);
	default:
		return SV_OK;
	}
}

static int walk_children(struct walk *w, struct cfg_stmt *st)
{
	struct cfg_case *c;
	int rc = SV_OK;

	switch (st->kind) {
	case STMT_ASSIGN:
		return walk_expr(w, st->u.assign.rhs);
	case STMT_IF:
	case STMT_WHILE:
	case STMT_BLOCK:
		rc = walk_expr(w, st->u.ctl.cond);
		if (rc == SV_OK)
			rc = walk_stmts(w, st->u.ctl.body);
		if (rc == SV_OK && st->kind == STMT_IF)
			rc = walk_stmts(w, st->u.ctl.else_body);
		return rc;
	case STMT_SWITCH:
		for (c = st->u.sw.cases; c && rc == SV_OK; c = c->next)
			rc = walk_stmts(w, c->body);
		return rc;
	case STMT_RETURN:
		return walk_expr(w, st->u.value);
	default:
		return SV_OK;
	}
}

static int walk_stmts(struct walk *w, struct cfg_stmt *st)
{
	int rc;

	for (; st; st = st->next) {
		rc = w->on_stmt(w, st);
		if (rc == SV_OK)
			rc = walk_children(w, st);
		if (rc != SV_OK)
			return rc;
	}
	return SV_OK;
}

static int walk_routes(struct walk *w)
{
	struct cfg_route *r;
	int rc;

	for (r = w->s->routes; r; r = r->next) {
		w->route = r;
		w->types = r->run_types ? r->run_types : REQUEST_ROUTE;
		rc = walk_stmts(w, r->body);
		if (rc != SV_OK)
			return rc;
	}
	return SV_OK;
}

/* ---- pass 1: route references ---- */

static int add_edge(struct walk *w, struct cfg_route *to,
                    const struct cfg_pos *pos)
{
	struct edge *n;

	if (w->nedges == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		n = realloc(w->edges, w->cap * sizeof(*n));
		if (!n)
			return cfg_error(pos, "out of memory");
		w->edges = n;
	}
	w->edges[w->nedges].from = w->route;
	w->edges[w->nedges].to = to;
	w->edges[w->nedges].pos = *pos;
	w->nedges++;
	return SV_OK;
}

/* route(name) at call: an undefined name is reported at name_pos. */
static int bind_route(struct walk *w, const char *name,
                      const struct cfg_pos *name_pos,
                      const struct cfg_pos *call, struct cfg_route **target)
{
	*target = cfg_route_lookup(w->s, REQUEST_ROUTE, name);
	if (!*target)
		return cfg_error(name_pos, "route[%s] is not defined", name);
	(*target)->referenced = 1;
	return add_edge(w, *target, call);
}

static int refs_stmt(struct walk *w, struct cfg_stmt *st)
{
	if (st->kind != STMT_ROUTE)
		return SV_OK;
	return bind_route(w, st->u.route.name, &st->u.route.pos, &st->pos,
	                  &st->u.route.target);
}

static int refs_expr(struct walk *w, struct cfg_expr *e)
{
	if (e->kind != EXPR_ROUTE)
		return SV_OK;
	return bind_route(w, e->u.route.name, &e->u.route.pos, &e->pos,
	                  &e->u.route.target);
}

/* ---- pass 2: route types ---- */

static void propagate_types(struct walk *w)
{
	struct cfg_route *r;
	unsigned add;
	int i, b, changed = 1;

	for (r = w->s->routes; r; r = r->next)
		r->run_types =
		    (r->type != REQUEST_ROUTE || strcmp(r->name, "0") == 0)
		        ? (unsigned)r->type
		        : 0;
	while (changed) {
		changed = 0;
		for (i = 0; i < w->nedges; i++) {
			struct edge *e = &w->edges[i];

			add = e->from->run_types & ~e->to->run_types;
			if (!add)
				continue;
			e->to->run_types |= add;
			changed = 1;
			for (b = 0; b < 5; b++) {
				if (!(add & (1u << b)) || e->to->via[b])
					continue;
				e->to->via[b] = e->from;
				e->to->via_pos[b] = e->pos;
			}
		}
	}
}

/* ---- pass 3: calls, pseudo-variables, regexes ---- */

static void release_call(void *obj)
{
	struct cfg_call *c = obj;
	int i;

	if (c->cmd && c->cmd->free_fixup)
		for (i = c->fixed - 1; i >= 0; i--)
			c->cmd->free_fixup(&c->params[i], i);
	c->fixed = 0;
}

static void release_regex(void *obj)
{
	regfree(obj);
	free(obj);
}

static void release_spec(void *obj)
{
	pv_spec_free(obj);
}

/* "2 arguments", "0, 1 or 2 arguments", "no arguments" */
static void arities_text(unsigned mask, char *buf, int size)
{
	int i, n = 0, last = -1, count = 0, len = 0;

	for (i = 0; i <= CMD_MAX_PARAMS; i++)
		if (mask & (1u << i))
			count++;
	if (mask == 1) {
		snprintf(buf, size, "no arguments");
		return;
	}
	for (i = 0; i <= CMD_MAX_PARAMS; i++) {
		if (!(mask & (1u << i)))
			continue;
		n++;
		len += snprintf(buf + len, size - len, "%s%d",
		                n == 1       ? ""
		                : n == count ? " or "
		                             : ", ",
		                i);
		last = i;
	}
	snprintf(buf + len, size - len, " argument%s",
	         (count == 1 && last == 1) ? "" : "s");
}

static int bind_call(struct cfg_call *c)
{
	char text[64];
	unsigned mask;
	int mm1, mm2;

	c->cmd = core_cmd_find(c->name, c->argc, &mm1);
	if (!c->cmd)
		c->cmd = module_find_cmd(c->name, c->argc, &mm2);
	if (c->cmd)
		return SV_OK;
	if (!mm1 && !mm2)
		return cfg_error(&c->pos,
		                 "unknown function '%s' (missing loadmodule?)",
		                 c->name);
	mask = core_cmd_arities(c->name) | module_cmd_arities(c->name);
	arities_text(mask, text, sizeof(text));
	return cfg_error(&c->pos, "'%s' takes %s, %d given", c->name, text,
	                 c->argc);
}

/* "request_route, failure_route" */
static void types_text(unsigned types, char *buf, int size)
{
	int b, len = 0;

	buf[0] = '\0';
	for (b = 0; b < 5; b++)
		if (types & (1u << b))
			len += snprintf(buf + len, size - len, "%s%s",
			                len ? ", " : "",
			                cfg_route_type_name(1 << b));
}

static int check_route_type(struct walk *w, const struct cfg_call *c)
{
	unsigned bad = w->types & ~c->cmd->route_types;
	struct cfg_route *r = w->route, *via;
	char where[96], from[96], allowed[96];
	int b;

	if (!bad)
		return SV_OK;
	for (b = 0; !(bad & (1u << b)); b++)
		;
	cfg_route_label(r, where, sizeof(where));
	types_text(c->cmd->route_types, allowed, sizeof(allowed));
	via = r->via[b];
	if (!via)
		return cfg_error(&c->pos,
		                 "'%s' cannot be used in %s (only in %s)",
		                 c->name, where, allowed);
	return cfg_error(&c->pos,
	                 "'%s' cannot be used in %s, which runs as "
	                 "%s when called from %s at %s:%d:%d (only in %s)",
	                 c->name, where, cfg_route_type_name(1 << b),
	                 cfg_route_label(via, from, sizeof(from)),
	                 r->via_pos[b].file, r->via_pos[b].line,
	                 r->via_pos[b].col, allowed);
}

static int run_fixups(struct walk *w, struct cfg_call *c)
{
	struct fixup_ctx ctx = {
	    .script = w->s,
	    .call = c,
	    .func = c->name,
	    .argc = c->argc,
	    .route_types = w->types,
	};
	unsigned errors;
	int i, rc;

	if (cfg_own(w->s, release_call, c) != SV_OK)
		return cfg_error(&c->pos, "out of memory");
	for (i = 0; i < c->argc; i++) {
		ctx.idx = i;
		ctx.pos = c->args[i].pos;
		ctx.arg_kind = c->args[i].kind;
		errors = cfg_error_count();
		rc = c->cmd->fixup(&ctx, &c->params[i], i);
		if (rc != SV_OK) {
			if (errors == cfg_error_count())
				fixup_error(&ctx, "invalid argument \"%s\"",
				            c->args[i].text);
			return rc < 0 ? rc : SV_EINVAL;
		}
		c->fixed = i + 1;
	}
	return SV_OK;
}

static int fix_call(struct walk *w, struct cfg_call *c)
{
	int i, rc = bind_call(c);

	if (rc == SV_OK)
		rc = check_route_type(w, c);
	if (rc != SV_OK)
		return rc;
	if (!c->cmd->function) {
		const char *why = core_cmd_unimplemented(c->cmd);

		return cfg_error(&c->pos, "'%s' is not implemented: %s",
		                 c->name, why ? why : "it has no body");
	}
	for (i = 0; i < c->argc; i++)
		c->params[i] = c->args[i].text;
	if (!c->cmd->fixup)
		return SV_OK;
	return run_fixups(w, c);
}

static int fix_pv(struct walk *w, struct cfg_pvref *pv)
{
	str text = str_from_cstr(pv->text);
	char err[CFG_ERR_MAX];
	int rc;

	rc = pv_spec_parse(&text, &pv->spec, err, sizeof(err));
	if (rc == SV_OK && cfg_own(w->s, release_spec, pv->spec) != SV_OK)
		rc = SV_ENOMEM;
	if (rc == SV_ENOMEM)
		return cfg_error(&pv->pos, "out of memory");
	if (rc != SV_OK)
		return cfg_error_str(&pv->pos, err);
	return SV_OK;
}

static int fix_regex(struct walk *w, struct cfg_operand *o,
                     const struct cfg_pos *pos)
{
	regex_t *re = malloc(sizeof(*re));
	char msg[160];
	int rc;

	if (!re)
		return cfg_error(pos, "out of memory");
	rc = regcomp(re, o->s.s, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		free(re);
		return cfg_error(pos, "bad regular expression \"%s\": %s",
		                 o->s.s, msg);
	}
	if (cfg_own(w->s, release_regex, re) != SV_OK)
		return cfg_error(pos, "out of memory");
	o->re = re;
	return SV_OK;
}

static int fix_stmt(struct walk *w, struct cfg_stmt *st)
{
	int rc;

	switch (st->kind) {
	case STMT_CALL:
		return fix_call(w, st->u.call);
	case STMT_SWITCH:
		return fix_pv(w, &st->u.sw.sel);
	case STMT_ASSIGN:
		rc = fix_pv(w, &st->u.assign.lhs);
		if (rc == SV_OK && !pv_is_writable(st->u.assign.lhs.spec))
			return cfg_error(&st->u.assign.lhs.pos,
			                 "'%s' cannot be "
			                 "assigned (it is read-only)",
			                 st->u.assign.lhs.text);
		return rc;
	default:
		return SV_OK;
	}
}

static int fix_expr(struct walk *w, struct cfg_expr *e)
{
	struct cfg_expr *r;

	switch (e->kind) {
	case EXPR_CALL:
		return fix_call(w, e->u.call);
	case EXPR_OPERAND:
		if (e->u.opd.kind == OPD_PV)
			return fix_pv(w, &e->u.opd.pv);
		return SV_OK;
	case EXPR_CMP:
		r = e->u.bin.r;
		if ((e->op == TK_MATCH || e->op == TK_NOMATCH) &&
		    r->kind == EXPR_OPERAND && r->u.opd.kind == OPD_STRING)
			return fix_regex(w, &r->u.opd, &r->pos);
		return SV_OK;
	default:
		return SV_OK;
	}
}

/* Notes sub-routes that nothing calls. */
static void note_unused(const struct cfg_script *s)
{
	const struct cfg_route *r;
	char label[96];

	for (r = s->routes; r; r = r->next)
		if (r->type == REQUEST_ROUTE && strcmp(r->name, "0") != 0 &&
		    !r->referenced)
			cfg_notice(&r->pos, "%s is never called",
			           cfg_route_label(r, label, sizeof(label)));
}

int cfg_fixup_all(struct cfg_script *s)
{
	struct walk w = {.s = s, .on_stmt = refs_stmt, .on_expr = refs_expr};
	int rc;

	if (s->fixed)
		return SV_OK;
	if (s->fixup_failed) /* half fixed up: a second pass would redo it */
		return SV_EINVAL;
	rc = walk_routes(&w);
	if (rc == SV_OK) {
		propagate_types(&w);
		w.on_stmt = fix_stmt;
		w.on_expr = fix_expr;
		rc = walk_routes(&w);
	}
	free(w.edges);
	if (rc != SV_OK) {
		s->fixup_failed = 1;
		return rc;
	}
	note_unused(s);
	s->fixed = 1;
	return SV_OK;
}
