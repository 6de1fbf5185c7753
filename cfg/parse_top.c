/*
 * parse_top.c - the top level of a script: global parameters, loadmodule,
 * modparam and route blocks.
 *
 * Side effects happen as soon as a line is read, like OpenSER: loadmodule
 * loads the module (so a later modparam finds it), modparam sets the
 * parameter, a global assignment sets core_cfg.  listen= values are kept
 * with their positions and handed to listen_add() by cfg_load() at the
 * end, so that port= anywhere applies to all of them.
 *
 * Global values: numbers (yes/no/on/off/true/false/enable/disable count as
 * 1/0), strings, and unquoted runs of adjacent tokens such as
 * udp:127.0.0.1:5060 or sip.example.com.  listen= and alias= accept several
 * values on one line.  A ';' after any top-level statement is optional.
 */
#include "parse_int.h"

#include <stdio.h>
#include <string.h>

#include "route.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/module.h"

#ifndef SERVAL_DEFAULT_MPATH
#define SERVAL_DEFAULT_MPATH "/usr/local/lib/serval/modules/"
#endif

static int skip_semicolon(struct cfg_parser *p)
{
	struct cfg_token *t;
	int rc = ps_peek(p, 0, &t);

	if (rc == SV_OK && t->type == TK_SEMI)
		rc = ps_next(p, NULL);
	return rc;
}

/* Refuses text glued to a value: "port=5060x". */
static int check_value_end(struct cfg_parser *p, const char *name)
{
	struct cfg_token *t;
	char what[96];
	int rc = ps_peek(p, 0, &t);

	if (rc != SV_OK)
		return rc;
	if (t->type != TK_SEMI && ps_adjacent(&p->last, t)) {
		snprintf(what, sizeof(what),
		         "a blank or ';' after the value of '%s'", name);
		return ps_unexpected(t, what);
	}
	return SV_OK;
}

/* Reads one value of a global parameter. */
static int global_value(struct cfg_parser *p, int kind, const char *name,
                        struct core_value *v, struct cfg_pos *pos)
{
	struct cfg_token *t, tok;
	char what[96];
	char *text;
	int rc = ps_peek(p, 0, &t),
	    numeric = kind == CP_INT || kind == CP_BOOL || kind == CP_ANY;

	if (rc != SV_OK)
		return rc;
	*pos = t->pos;
	if (t->type == TK_STRING || (numeric && t->type == TK_NUMBER) ||
	    (numeric && t->type == TK_WORD &&
	     (t->kw == KW_YES || t->kw == KW_NO))) {
		ps_next(p, &tok);
		v->kind = tok.type == TK_STRING ? CORE_VAL_STR : CORE_VAL_INT;
		v->s = tok.text;
		v->i = tok.type == TK_NUMBER ? tok.num : tok.kw == KW_YES;
		return check_value_end(p, name);
	}
	if (t->type == TK_WORD || t->type == TK_NUMBER || t->type == TK_IPV4 ||
	    t->type == TK_IPV6 || t->type == TK_LBRACK) {
		rc = ps_word_run(p, &text, pos);
		v->kind = CORE_VAL_WORD;
		v->s = text;
		return rc;
	}
	snprintf(what, sizeof(what), "a value for '%s'", name);
	return ps_unexpected(t, what);
}

static int keep_listen(struct cfg_parser *p, const char *spec,
                       const struct cfg_pos *pos)
{
	struct cfg_listen *l = parse_alloc(p, sizeof(*l));

	if (!l)
		return SV_ENOMEM;
	l->spec = spec;
	l->pos = *pos;
	*p->s->listen_tail = l;
	p->s->listen_tail = &l->next;
	return SV_OK;
}

static int set_one(struct cfg_parser *p, const char *name,
                   const struct core_value *v, const struct cfg_pos *pos)
{
	char err[CFG_ERR_MAX];
	int rc = core_param_set(name, v, err, sizeof(err));

	if (rc == SV_ENOMEM)
		return cfg_error(pos, "out of memory");
	if (rc != SV_OK)
		return cfg_error_str(pos, err);
	if (strcmp(name, "listen") == 0)
		return keep_listen(p, v->s, pos);
	return SV_OK;
}

/* Is there another value on the same line (listen = a b c)? */
static int more_values(struct cfg_parser *p, int line)
{
	struct cfg_token *t;

	if (ps_peek(p, 0, &t) != SV_OK || t->pos.line != line ||
	    t->pos.file != p->last.pos.file)
		return 0;
	if (t->type == TK_STRING || t->type == TK_IPV4 || t->type == TK_IPV6 ||
	    t->type == TK_LBRACK)
		return 1;
	/* a word followed by '=' starts the next assignment */
	if (t->type == TK_WORD) {
		struct cfg_token *n;

		return ps_peek(p, 1, &n) == SV_OK && n->type != TK_ASSIGN;
	}
	return 0;
}

static int parse_global(struct cfg_parser *p, const struct cfg_token *name)
{
	struct core_value v;
	struct cfg_pos pos;
	int kind = core_param_kind(name->text), rc;

	if (kind == SV_ENOTFOUND)
		return cfg_error(&name->pos, "unknown global parameter '%s'",
		                 name->text);
	rc = ps_expect(p, TK_ASSIGN, "after the parameter name", NULL);
	do {
		if (rc == SV_OK)
			rc = global_value(p, kind, name->text, &v, &pos);
		if (rc == SV_OK)
			rc = set_one(p, name->text, &v, &pos);
	} while (rc == SV_OK && kind == CP_SPEC &&
	         more_values(p, p->last.pos.line));
	if (rc != SV_OK)
		return rc;
	if (core_param_noeffect(name->text))
		cfg_notice(&name->pos,
		           "'%s' is accepted for compatibility "
		           "but has no effect in serval",
		           name->text);
	return skip_semicolon(p);
}

static int parse_loadmodule(struct cfg_parser *p)
{
	struct cfg_token t;
	char err[CFG_ERR_MAX];
	const char *mpath =
	    core_cfg.mpath ? core_cfg.mpath : SERVAL_DEFAULT_MPATH;
	int rc;

	rc = ps_expect(p, TK_STRING,
	               "(the module file name) after 'loadmodule'", &t);
	if (rc != SV_OK)
		return rc;
	rc = module_load(t.text, mpath, err, sizeof(err));
	if (rc != SV_OK)
		return cfg_error(&t.pos, "loadmodule: %s", err);
	return skip_semicolon(p);
}

/* modparam's third argument: a string, a number or yes/no. */
static int modparam_value(struct cfg_parser *p, struct cfg_token *v)
{
	struct cfg_token *t;
	int rc = ps_peek(p, 0, &t);

	if (rc != SV_OK)
		return rc;
	if (t->type == TK_STRING || t->type == TK_NUMBER)
		return ps_next(p, v);
	if (t->type == TK_WORD && (t->kw == KW_YES || t->kw == KW_NO)) {
		ps_next(p, v);
		v->type = TK_NUMBER;
		v->num = v->kw == KW_YES;
		return SV_OK;
	}
	return ps_unexpected(t, "a string or a number as the value of "
	                        "modparam");
}

static int apply_modparam(const struct cfg_token *mod,
                          const struct cfg_token *par,
                          const struct cfg_token *val)
{
	char err[CFG_ERR_MAX];
	int bad, rc, ival;
	const struct cfg_pos *pos[3] = {&mod->pos, &par->pos, &val->pos};

	if (val->type == TK_NUMBER) {
		if (val->num < -2147483648L || val->num > 2147483647L)
			return cfg_error(&val->pos, "modparam: number out of "
			                            "range");
		ival = (int)val->num;
		rc = module_set_param(mod->text, par->text, PARAM_INT, &ival,
		                      &bad, err, sizeof(err));
	} else {
		rc = module_set_param(mod->text, par->text, PARAM_STR,
		                      val->text, &bad, err, sizeof(err));
	}
	if (rc == SV_ENOMEM)
		return cfg_error(pos[bad], "out of memory");
	if (rc != SV_OK)
		return cfg_error(pos[bad], "modparam: %s", err);
	return SV_OK;
}

static int parse_modparam(struct cfg_parser *p)
{
	struct cfg_token mod, par, val;
	int rc;

	rc = ps_expect(p, TK_LPAREN, "after 'modparam'", NULL);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_STRING, "(the module name) in modparam",
		               &mod);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_COMMA, "after the module name", NULL);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_STRING, "(the parameter name) in modparam",
		               &par);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_COMMA, "after the parameter name", NULL);
	if (rc == SV_OK)
		rc = modparam_value(p, &val);
	if (rc == SV_OK)
		rc = ps_expect(p, TK_RPAREN, "to close modparam", NULL);
	if (rc == SV_OK)
		rc = apply_modparam(&mod, &par, &val);
	if (rc == SV_OK)
		rc = skip_semicolon(p);
	return rc;
}

static int route_type_of(enum cfg_kw kw)
{
	switch (kw) {
	case KW_ROUTE:
		return REQUEST_ROUTE;
	case KW_FAILURE_ROUTE:
		return FAILURE_ROUTE;
	case KW_ONREPLY_ROUTE:
		return ONREPLY_ROUTE;
	case KW_BRANCH_ROUTE:
		return BRANCH_ROUTE;
	case KW_ERROR_ROUTE:
		return ERROR_ROUTE;
	default:
		return 0;
	}
}

/* Reads "[n]" / "[name]" after a route keyword into name. */
static int route_index(struct cfg_parser *p, const struct cfg_token *kw,
                       char *name, int size)
{
	struct cfg_token t;
	int rc;

	ps_next(p, NULL); /* '[' */
	if (kw->kw == KW_ERROR_ROUTE)
		return cfg_error(&p->last.pos, "error_route takes no index");
	rc = ps_next(p, &t);
	if (rc != SV_OK)
		return rc;
	if (t.type == TK_NUMBER) {
		if (t.num < 0 || (t.num == 0 && kw->kw != KW_ROUTE))
			return cfg_error(&t.pos,
			                 "invalid %s index %ld (use 1 or more)",
			                 kw->text, t.num);
		snprintf(name, size, "%ld", t.num);
	} else if (t.type == TK_WORD || t.type == TK_STRING) {
		if (t.text_len == 0 || t.text_len >= size)
			return cfg_error(&t.pos, "invalid route name");
		snprintf(name, size, "%s", t.text);
	} else {
		return ps_unexpected(&t, "a route number or name");
	}
	return ps_expect(p, TK_RBRACK, "after the route index", NULL);
}

static int check_duplicate(struct cfg_parser *p, const struct cfg_token *kw,
                           int type, const char *name)
{
	struct cfg_route *old = cfg_route_lookup(p->s, type, name);
	char label[96];

	if (!old)
		return SV_OK;
	return cfg_error(&kw->pos, "%s is defined twice (first at %s:%d:%d)",
	                 cfg_route_label(old, label, sizeof(label)),
	                 old->pos.file, old->pos.line, old->pos.col);
}

static int parse_route_block(struct cfg_parser *p, const struct cfg_token *kw)
{
	int type = route_type_of(kw->kw), rc;
	struct cfg_token *t, lbrace;
	struct cfg_route *r;
	char name[128] = "0";

	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	if (t->type == TK_LBRACK) {
		rc = route_index(p, kw, name, sizeof(name));
		if (rc != SV_OK)
			return rc;
	} else if (type == FAILURE_ROUTE || type == BRANCH_ROUTE) {
		return cfg_error(&kw->pos, "%s needs an index: %s[n] { ... }",
		                 kw->text, kw->text);
	}
	rc = check_duplicate(p, kw, type, name);
	if (rc == SV_OK)
		rc =
		    ps_expect(p, TK_LBRACE, "to open the route block", &lbrace);
	if (rc != SV_OK)
		return rc;
	r = cfg_route_add(p->s, type, name, &kw->pos);
	if (!r)
		return SV_ENOMEM;
	return parse_block(p, &lbrace, &r->body);
}

static int top_unexpected(struct cfg_parser *p, const struct cfg_token *t)
{
	struct cfg_token *n;

	if (t->type == TK_RBRACE)
		return cfg_error(&t->pos, "unexpected '}': no block is open");
	if (t->type == TK_WORD && ps_peek(p, 1, &n) == SV_OK &&
	    n->type == TK_LPAREN)
		return cfg_error(&t->pos, "call of '%s' outside a route block",
		                 t->text);
	return ps_unexpected(t, "a global parameter, loadmodule, modparam "
	                        "or a route block");
}

static int parse_top_item(struct cfg_parser *p, const struct cfg_token *t)
{
	struct cfg_token *n, tok;
	int rc;

	if (t->type == TK_WORD && route_type_of(t->kw)) {
		ps_next(p, &tok);
		return parse_route_block(p, &tok);
	}
	if (t->type == TK_WORD && t->kw == KW_LOADMODULE) {
		ps_next(p, NULL);
		return parse_loadmodule(p);
	}
	if (t->type == TK_WORD && t->kw == KW_MODPARAM) {
		ps_next(p, NULL);
		return parse_modparam(p);
	}
	if (t->type == TK_WORD) {
		rc = ps_peek(p, 1, &n);
		if (rc != SV_OK)
			return rc;
		if (n->type == TK_ASSIGN || core_param_kind(t->text) >= 0) {
			ps_next(p, &tok);
			return parse_global(p, &tok);
		}
	}
	if (t->type == TK_SEMI)
		return ps_next(p, NULL);
	return top_unexpected(p, t);
}

int parse_script(struct cfg_parser *p)
{
	struct cfg_token *t;
	int rc;

	for (;;) {
		rc = ps_peek(p, 0, &t);
		if (rc != SV_OK)
			return rc;
		if (t->type == TK_EOF)
			return SV_OK;
		rc = parse_top_item(p, t);
		if (rc != SV_OK)
			return rc;
	}
}
