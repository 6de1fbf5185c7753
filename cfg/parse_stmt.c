/*
 * parse_stmt.c - statements inside route blocks.
 *
 *   stmt   := ';' | '{' stmt* '}' | call ';' | $pv ('='|':=') expr ';'
 *           | if expr stmt [else stmt] | while expr stmt
 *           | switch '(' $pv ')' '{' (case label ':' stmt* | default ':'
 *             stmt*)* '}'
 *           | route '(' name ')' ';' | return ['(' [value] ')'] ';'
 *           | exit ['(' ')'] ';' | drop ['(' ')'] ';' | break ';'
 *   call   := name '(' [arg (',' arg)*] ')' | name    (core bare forms)
 *
 * As in OpenSER the condition of if/while needs no parentheses of its own
 * (they are part of the expression).  break is accepted anywhere inside a
 * switch case and leaves the switch.  Several mistakes get a dedicated
 * message because they are what a missing '}' looks like: a route block,
 * loadmodule, modparam or a global assignment inside a block.
 */
#include "parse_int.h"

#include <stdio.h>
#include <string.h>

#include "core_cmds.h"
#include "core/config.h"
#include "core/errors.h"

static int parse_stmt(struct cfg_parser *p, struct cfg_stmt **out);

void *parse_alloc(struct cfg_parser *p, size_t n)
{
	void *x = cfg_alloc(p->a, n);

	if (!x)
		cfg_error(&p->last.pos, "out of memory");
	return x;
}

static struct cfg_stmt *new_stmt(struct cfg_parser *p, enum cfg_stmt_kind k,
                                 const struct cfg_pos *pos)
{
	struct cfg_stmt *st = parse_alloc(p, sizeof(*st));

	if (st) {
		st->kind = k;
		st->pos = *pos;
	}
	return st;
}

static int expect_semi(struct cfg_parser *p)
{
	return ps_expect(p, TK_SEMI, "after statement", NULL);
}

int parse_block(struct cfg_parser *p, const struct cfg_token *lbrace,
                struct cfg_stmt **out)
{
	struct cfg_stmt **tail = out, *st;
	struct cfg_token *t;
	int rc;

	*out = NULL;
	for (;;) {
		rc = ps_peek(p, 0, &t);
		if (rc != SV_OK)
			return rc;
		if (t->type == TK_RBRACE)
			return ps_next(p, NULL);
		if (t->type == TK_EOF)
			return cfg_error(&t->pos,
			                 "missing '}' at end of file: "
			                 "the '{' at %s:%d:%d is not closed",
			                 lbrace->pos.file, lbrace->pos.line,
			                 lbrace->pos.col);
		rc = parse_stmt(p, &st);
		if (rc != SV_OK)
			return rc;
		if (st) {
			*tail = st;
			tail = &st->next;
		}
	}
}

static int parse_arg(struct cfg_parser *p, struct cfg_arg *a)
{
	struct cfg_token *t, *n, tok;
	int rc = ps_peek(p, 0, &t);

	if (rc != SV_OK)
		return rc;
	a->pos = t->pos;
	if (t->type == TK_NUMBER &&
	    (ps_peek(p, 1, &n) != SV_OK || !ps_adjacent(t, n) ||
	     n->type == TK_COMMA || n->type == TK_RPAREN)) {
		ps_next(p, &tok);
		a->kind = ARG_NUMBER;
		a->text = tok.text;
		a->num = tok.num;
		return SV_OK;
	}
	if (t->type == TK_STRING || t->type == TK_PV) {
		ps_next(p, &tok);
		a->kind = tok.type == TK_STRING ? ARG_STRING : ARG_PV;
		a->text = tok.text;
		return SV_OK;
	}
	if (t->type == TK_WORD || t->type == TK_NUMBER || t->type == TK_IPV4 ||
	    t->type == TK_IPV6) {
		a->kind = ARG_WORD;
		return ps_word_run(p, &a->text, &a->pos);
	}
	return ps_unexpected(t, "an argument (a string, number or name)");
}

static int parse_args(struct cfg_parser *p, struct cfg_call *c)
{
	struct cfg_token *t;
	char what[96];
	int rc;

	ps_next(p, NULL); /* '(' */
	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK || t->type == TK_RPAREN)
		return rc == SV_OK ? ps_next(p, NULL) : rc;
	for (;;) {
		if (c->argc == CMD_MAX_PARAMS)
			return cfg_error(&t->pos,
			                 "too many arguments to '%s' "
			                 "(at most %d)",
			                 c->name, CMD_MAX_PARAMS);
		rc = parse_arg(p, &c->args[c->argc]);
		if (rc != SV_OK)
			return rc;
		c->argc++;
		rc = ps_peek(p, 0, &t);
		if (rc != SV_OK)
			return rc;
		if (t->type == TK_RPAREN)
			return ps_next(p, NULL);
		if (t->type != TK_COMMA) {
			snprintf(what, sizeof(what),
			         "',' or ')' in the arguments of '%s'",
			         c->name);
			return ps_unexpected(t, what);
		}
		ps_next(p, NULL);
		ps_peek(p, 0, &t);
	}
}

int parse_call(struct cfg_parser *p, const struct cfg_token *name,
               struct cfg_call **out)
{
	struct cfg_call *c = parse_alloc(p, sizeof(*c));
	struct cfg_token *t;
	char what[96];
	int rc;

	if (!c)
		return SV_ENOMEM;
	c->name = name->text;
	c->pos = name->pos;
	*out = c;
	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	if (t->type == TK_LPAREN)
		return parse_args(p, c);
	if (core_cmd_bare_ok(c->name)) {
		c->bare = 1;
		return SV_OK;
	}
	snprintf(what, sizeof(what), "'(' after '%s'", c->name);
	return ps_unexpected(t, what);
}

static int parse_if(struct cfg_parser *p, const struct cfg_token *kw,
                    struct cfg_stmt **out)
{
	struct cfg_stmt *st = new_stmt(p, STMT_IF, &kw->pos);
	struct cfg_token *t;
	int rc;

	if (!st)
		return SV_ENOMEM;
	*out = st;
	rc = parse_expr(p, &st->u.ctl.cond);
	if (rc == SV_OK)
		rc = parse_stmt(p, &st->u.ctl.body);
	if (rc == SV_OK)
		rc = ps_peek(p, 0, &t);
	if (rc != SV_OK || t->type != TK_WORD || t->kw != KW_ELSE)
		return rc;
	ps_next(p, NULL);
	return parse_stmt(p, &st->u.ctl.else_body);
}

static int parse_while(struct cfg_parser *p, const struct cfg_token *kw,
                       struct cfg_stmt **out)
{
	struct cfg_stmt *st = new_stmt(p, STMT_WHILE, &kw->pos);
	int rc;

	if (!st)
		return SV_ENOMEM;
	*out = st;
	rc = parse_expr(p, &st->u.ctl.cond);
	if (rc == SV_OK)
		rc = parse_stmt(p, &st->u.ctl.body);
	return rc;
}

static int parse_case_label(struct cfg_parser *p, struct cfg_case *c)
{
	struct cfg_token t;
	int rc = ps_next(p, &t);

	if (rc != SV_OK)
		return rc;
	if (t.type == TK_NUMBER) {
		c->num = t.num;
	} else if (t.type == TK_STRING) {
		c->is_str = 1;
		c->s.s = t.text;
		c->s.len = t.text_len;
	} else {
		return ps_unexpected(&t, "a case label (a number or a string)");
	}
	return SV_OK;
}

/* Refuses a label or default seen before in the same switch. */
static int check_case(const struct cfg_case *first, const struct cfg_case *c)
{
	for (; first; first = first->next) {
		if (c->is_default && first->is_default)
			return cfg_error(&c->pos,
			                 "second 'default' in switch "
			                 "(first at line %d)",
			                 first->pos.line);
		if (c->is_default || first->is_default ||
		    c->is_str != first->is_str)
			continue;
		if (c->is_str ? str_eq(&c->s, &first->s) : c->num == first->num)
			return cfg_error(&c->pos,
			                 "duplicate case label (first "
			                 "at line %d)",
			                 first->pos.line);
	}
	return SV_OK;
}

static int parse_case(struct cfg_parser *p, struct cfg_stmt *sw,
                      struct cfg_case ***tail, struct cfg_stmt ***body)
{
	struct cfg_case *c = parse_alloc(p, sizeof(*c));
	struct cfg_token kw;
	int rc;

	if (!c)
		return SV_ENOMEM;
	ps_next(p, &kw);
	c->pos = kw.pos;
	c->is_default = kw.kw == KW_DEFAULT;
	rc = c->is_default ? SV_OK : parse_case_label(p, c);
	if (rc == SV_OK)
		rc = check_case(sw->u.sw.cases, c);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_COLON,
		               c->is_default ? "after 'default'"
		                             : "after the case label",
		               NULL);
	**tail = c;
	*tail = &c->next;
	*body = &c->body;
	return rc;
}

static int parse_switch_body(struct cfg_parser *p, struct cfg_stmt *sw,
                             const struct cfg_token *lbrace)
{
	struct cfg_case **tail = &sw->u.sw.cases;
	struct cfg_stmt **body = NULL, *st;
	struct cfg_token *t;
	int rc;

	for (;;) {
		rc = ps_peek(p, 0, &t);
		if (rc != SV_OK)
			return rc;
		if (t->type == TK_RBRACE)
			return ps_next(p, NULL);
		if (t->type == TK_EOF)
			return cfg_error(&t->pos,
			                 "missing '}' at end of file: "
			                 "the '{' of the switch at %s:%d:%d is "
			                 "not closed",
			                 lbrace->pos.file, lbrace->pos.line,
			                 lbrace->pos.col);
		if (t->type == TK_WORD &&
		    (t->kw == KW_CASE || t->kw == KW_DEFAULT)) {
			rc = parse_case(p, sw, &tail, &body);
		} else if (!body) {
			rc = ps_unexpected(t, "'case' or 'default'");
		} else {
			rc = parse_stmt(p, &st);
			if (rc == SV_OK && st) {
				*body = st;
				body = &st->next;
			}
		}
		if (rc != SV_OK)
			return rc;
	}
}

static int parse_switch(struct cfg_parser *p, const struct cfg_token *kw,
                        struct cfg_stmt **out)
{
	struct cfg_stmt *st = new_stmt(p, STMT_SWITCH, &kw->pos);
	struct cfg_token pv, lbrace;
	int rc;

	if (!st)
		return SV_ENOMEM;
	*out = st;
	rc = ps_expect(p, TK_LPAREN, "after 'switch'", NULL);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_PV, "(switch works on a pseudo-variable)",
		               &pv);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_RPAREN, "after the switch variable", NULL);
	if (rc == SV_OK)
		rc =
		    ps_expect(p, TK_LBRACE, "to open the switch body", &lbrace);
	if (rc != SV_OK)
		return rc;
	st->u.sw.sel.text = pv.text;
	st->u.sw.sel.pos = pv.pos;
	p->switch_depth++;
	rc = parse_switch_body(p, st, &lbrace);
	p->switch_depth--;
	return rc;
}

/* route(name) after the consumed 'route' keyword. */
static int parse_route_call(struct cfg_parser *p, const struct cfg_token *kw,
                            struct cfg_stmt **out)
{
	struct cfg_stmt *st = new_stmt(p, STMT_ROUTE, &kw->pos);
	struct cfg_token t;
	char num[24];
	int rc;

	if (!st)
		return SV_ENOMEM;
	*out = st;
	rc = ps_expect(p, TK_LPAREN, "after 'route'", NULL);
	if (rc == SV_OK)
		rc = ps_next(p, &t);
	if (rc != SV_OK)
		return rc;
	if (t.type == TK_NUMBER) {
		snprintf(num, sizeof(num), "%ld", t.num);
		st->u.route.name = cfg_strndup(p->a, num, strlen(num));
	} else if (t.type == TK_WORD || t.type == TK_STRING) {
		st->u.route.name = t.text;
	} else {
		return ps_unexpected(&t, "a route number or name");
	}
	st->u.route.pos = t.pos;
	rc = ps_expect(p, TK_RPAREN, "after the route name", NULL);
	return rc == SV_OK ? expect_semi(p) : rc;
}

/* The value of return: a number or a pseudo-variable. */
static int return_value(struct cfg_parser *p, struct cfg_expr **out)
{
	struct cfg_token t;
	struct cfg_expr *e;
	int rc = ps_next(p, &t);

	if (rc != SV_OK)
		return rc;
	if (t.type != TK_NUMBER && t.type != TK_PV)
		return ps_unexpected(&t, "a number or a pseudo-variable as the "
		                         "return value");
	e = parse_alloc(p, sizeof(*e));
	if (!e)
		return SV_ENOMEM;
	e->kind = EXPR_OPERAND;
	e->pos = t.pos;
	e->u.opd.kind = t.type == TK_NUMBER ? OPD_NUMBER : OPD_PV;
	e->u.opd.num = t.num;
	e->u.opd.pv.text = t.text;
	e->u.opd.pv.pos = t.pos;
	*out = e;
	return SV_OK;
}

static int parse_return(struct cfg_parser *p, const struct cfg_token *kw,
                        struct cfg_stmt **out)
{
	struct cfg_stmt *st = new_stmt(p, STMT_RETURN, &kw->pos);
	struct cfg_token *t;
	int rc;

	if (!st)
		return SV_ENOMEM;
	*out = st;
	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	if (t->type == TK_LPAREN) {
		ps_next(p, NULL);
		rc = ps_peek(p, 0, &t);
		if (rc == SV_OK && t->type != TK_RPAREN)
			rc = return_value(p, &st->u.value);
		if (rc == SV_OK)
			rc = ps_expect(p, TK_RPAREN, "after the return value",
			               NULL);
	} else if (t->type == TK_NUMBER || t->type == TK_PV) {
		rc = return_value(p, &st->u.value);
	}
	return rc == SV_OK ? expect_semi(p) : rc;
}

/* exit, drop, break: an optional "()" then ';'. */
static int parse_simple(struct cfg_parser *p, const struct cfg_token *kw,
                        enum cfg_stmt_kind kind, struct cfg_stmt **out)
{
	struct cfg_token *t;
	int rc;

	*out = new_stmt(p, kind, &kw->pos);
	if (!*out)
		return SV_ENOMEM;
	rc = ps_peek(p, 0, &t);
	if (rc == SV_OK && t->type == TK_LPAREN && kind != STMT_BREAK) {
		ps_next(p, NULL);
		rc = ps_expect(p, TK_RPAREN, "(no arguments)", NULL);
	}
	return rc == SV_OK ? expect_semi(p) : rc;
}

static int parse_assign(struct cfg_parser *p, struct cfg_stmt **out)
{
	struct cfg_token pv, op, *t;
	struct cfg_stmt *st;
	char what[96];
	int rc;

	ps_next(p, &pv);
	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	if (t->type != TK_ASSIGN && t->type != TK_COLONEQ) {
		snprintf(what, sizeof(what),
		         "'=' after '%s' (a statement "
		         "cannot start with a pseudo-variable otherwise)",
		         pv.text);
		return ps_unexpected(t, what);
	}
	ps_next(p, &op);
	st = new_stmt(p, STMT_ASSIGN, &pv.pos);
	if (!st)
		return SV_ENOMEM;
	*out = st;
	st->u.assign.lhs.text = pv.text;
	st->u.assign.lhs.pos = pv.pos;
	st->u.assign.op = op.type;
	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	if (t->type == TK_WORD && t->kw == KW_NULL)
		ps_next(p, NULL);
	else
		rc = parse_expr(p, &st->u.assign.rhs);
	return rc == SV_OK ? expect_semi(p) : rc;
}

static int parse_call_stmt(struct cfg_parser *p, const struct cfg_token *name,
                           struct cfg_stmt **out)
{
	struct cfg_stmt *st = new_stmt(p, STMT_CALL, &name->pos);
	int rc;

	if (!st)
		return SV_ENOMEM;
	*out = st;
	rc = parse_call(p, name, &st->u.call);
	return rc == SV_OK ? expect_semi(p) : rc;
}

/* Words that cannot start a statement; most mean a '}' is missing. */
static int misplaced_word(struct cfg_parser *p, const struct cfg_token *t)
{
	struct cfg_token *n;

	switch (t->kw) {
	case KW_ROUTE:
	case KW_FAILURE_ROUTE:
	case KW_ONREPLY_ROUTE:
	case KW_BRANCH_ROUTE:
	case KW_ERROR_ROUTE:
		return cfg_error(&t->pos,
		                 "a route block cannot start inside "
		                 "another block: is a '}' missing before it?");
	case KW_LOADMODULE:
	case KW_MODPARAM:
		return cfg_error(&t->pos,
		                 "'%s' inside a route block: is a "
		                 "'}' missing before it?",
		                 t->text);
	case KW_ELSE:
		return cfg_error(&t->pos, "'else' without a matching 'if'");
	case KW_CASE:
	case KW_DEFAULT:
		return cfg_error(&t->pos, "'%s' outside a switch", t->text);
	case KW_NONE:
		if (ps_peek(p, 1, &n) == SV_OK && n->type == TK_ASSIGN &&
		    core_param_kind(t->text) >= 0)
			return cfg_error(&t->pos,
			                 "global parameter '%s' inside "
			                 "a route block: is a '}' missing "
			                 "before it?",
			                 t->text);
		return 0;
	default:
		return ps_unexpected(t, "a statement");
	}
}

static int parse_word_stmt(struct cfg_parser *p, struct cfg_stmt **out)
{
	struct cfg_token *t, *n, kw;
	int rc;

	ps_peek(p, 0, &t);
	if (t->kw == KW_ROUTE && ps_peek(p, 1, &n) == SV_OK &&
	    n->type == TK_LPAREN) {
		ps_next(p, &kw);
		return parse_route_call(p, &kw, out);
	}
	switch (t->kw) {
	case KW_IF:
		ps_next(p, &kw);
		return parse_if(p, &kw, out);
	case KW_WHILE:
		ps_next(p, &kw);
		return parse_while(p, &kw, out);
	case KW_SWITCH:
		ps_next(p, &kw);
		return parse_switch(p, &kw, out);
	case KW_RETURN:
		ps_next(p, &kw);
		return parse_return(p, &kw, out);
	case KW_EXIT:
		ps_next(p, &kw);
		return parse_simple(p, &kw, STMT_EXIT, out);
	case KW_DROP:
		ps_next(p, &kw);
		return parse_simple(p, &kw, STMT_DROP, out);
	case KW_BREAK:
		ps_next(p, &kw);
		if (p->switch_depth == 0)
			return cfg_error(&kw.pos, "'break' outside a switch");
		return parse_simple(p, &kw, STMT_BREAK, out);
	default:
		break;
	}
	rc = misplaced_word(p, t);
	if (rc != 0)
		return rc;
	ps_next(p, &kw);
	return parse_call_stmt(p, &kw, out);
}

static int parse_stmt_nested(struct cfg_parser *p, struct cfg_stmt **out);

/* Every nested statement passes here: depth bounded. */
static int parse_stmt(struct cfg_parser *p, struct cfg_stmt **out)
{
	int rc = ps_enter(p);

	*out = NULL;
	if (rc != SV_OK)
		return rc;
	rc = parse_stmt_nested(p, out);
	ps_leave(p);
	return rc;
}

static int parse_stmt_nested(struct cfg_parser *p, struct cfg_stmt **out)
{
	struct cfg_token *t, lb;
	int rc;

	*out = NULL;
	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	switch (t->type) {
	case TK_SEMI:
		return ps_next(p, NULL);
	case TK_LBRACE:
		ps_next(p, &lb);
		*out = new_stmt(p, STMT_BLOCK, &lb.pos);
		if (!*out)
			return SV_ENOMEM;
		return parse_block(p, &lb, &(*out)->u.ctl.body);
	case TK_PV:
		return parse_assign(p, out);
	case TK_WORD:
		return parse_word_stmt(p, out);
	default:
		return ps_unexpected(t, "a statement");
	}
}
