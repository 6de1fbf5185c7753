/*
 * ast.h - the routing script as a tree.
 *
 * The parser builds it once in the master; the fixup pass (cfg/fixup.c)
 * resolves names in place; the interpreter (cfg/interp.c) walks it in every
 * worker, read-only.  Design points:
 *
 * - Every node keeps its struct cfg_pos, so any later check (fixups, route
 *   types, module fixups) can name file:line:col.
 * - Statements are a singly linked list per block (next); a statement is a
 *   tagged union whose tag is a small dense enum, so the interpreter's
 *   dispatch is one switch (a jump table) per node.
 * - A function call, core or module, is the same node: after fixup,
 *   call->cmd->function(msg, call->params) is the whole dispatch.  The
 *   literal arguments stay next to the fixed-up ones for messages.
 * - Expressions are one node type for conditions and values (assignment
 *   right-hand sides, [ ] arithmetic): logical, comparison, arithmetic and
 *   leaf operands.  Comparisons keep the OpenSER operand kinds (method,
 *   uri, src_ip ...) so the interpreter fetches the field directly;
 *   regexes against literals are compiled at fixup into the right operand.
 * - Everything is arena memory (cfg/arena.h) except the objects that own
 *   outside resources: compiled regexes, pseudo-variable specs and module
 *   fixup results, which cfg_free() releases through the script's lists
 *   and the modules' free_fixup hooks.
 *
 * Routes of all types live in one list; a route is identified by its type
 * (REQUEST_ROUTE ... from core/module.h) and its name ("0" for the main
 * route of a type, "1" for route[1], "foo" for route[foo]).
 */
#ifndef SERVAL_CFG_AST_H
#define SERVAL_CFG_AST_H

#include <regex.h>

#include "arena.h"
#include "diag.h"
#include "lexer.h"
#include "core/ip_addr.h"
#include "core/module.h"
#include "core/str.h"

struct pv_spec;
struct cfg_route;

/* A pseudo-variable as written, resolved by the fixup pass. */
struct cfg_pvref {
	const char *text; /* "$avp(s:x)" (arena) */
	struct cfg_pos pos;
	struct pv_spec *spec; /* NULL until fixed up */
};

/* How a call argument was written. */
enum cfg_arg_kind {
	ARG_STRING = 1, /* "text" or 'text' */
	ARG_NUMBER,     /* 10, 0x1, -1: text is the spelling */
	ARG_WORD,       /* bare word(s): INVITE, sip.example.com, 1.2.3.4 */
	ARG_PV          /* $var(x): text is the spec */
};

struct cfg_arg {
	enum cfg_arg_kind kind;
	char *text; /* NUL terminated (arena) */
	long num;   /* ARG_NUMBER */
	struct cfg_pos pos;
};

/* A function call (statement or condition). */
struct cfg_call {
	const char *name;
	struct cfg_pos pos;
	int argc;
	int bare; /* written without parentheses */
	struct cfg_arg args[CMD_MAX_PARAMS];
	const struct cmd_export *cmd; /* bound by the fixup pass */
	void *params[CMD_MAX_PARAMS]; /* what the fixups made of args */
	int fixed;                    /* arguments fixed up so far */
};

/* Leaf operands. */
enum cfg_opd_kind {
	OPD_NUMBER = 1, /* num */
	OPD_STRING,     /* s (string or bare word); re after fixup for =~ */
	OPD_PV,         /* pv */
	OPD_NET,        /* net: an IP address with a mask */
	OPD_NULL,       /* null */
	OPD_MYSELF,     /* myself */
	/* message fields (OpenSER's keyword operands) */
	OPD_METHOD,
	OPD_URI,
	OPD_STATUS,
	OPD_FROM_URI,
	OPD_TO_URI,
	OPD_SRC_IP,
	OPD_DST_IP,
	OPD_SRC_PORT,
	OPD_DST_PORT,
	OPD_PROTO,
	OPD_AF,
	OPD_MSGLEN
};

struct cfg_net {
	struct ip_addr ip;
	struct ip_addr mask;
	int bits;
};

struct cfg_operand {
	enum cfg_opd_kind kind;
	long num;
	str s; /* arena, NUL terminated */
	struct cfg_pvref pv;
	struct cfg_net net;
	regex_t *re; /* compiled s, when used with =~ / !~ */
};

enum cfg_expr_kind {
	EXPR_AND = 1,
	EXPR_OR,
	EXPR_NOT,    /* l, r (NOT: l only) */
	EXPR_CMP,    /* l op r, op one of the TK_EQ ... TK_NOMATCH below */
	EXPR_ARITH,  /* l op r, op TK_PLUS ... TK_RSHIFT */
	EXPR_NEG,    /* -l */
	EXPR_BNOT,   /* ~l */
	EXPR_CALL,   /* call */
	EXPR_ROUTE,  /* route(name) used as a value: its return code */
	EXPR_OPERAND /* opd */
};

/* Operators reuse the token numbers of cfg/lexer.h (TK_EQ, TK_PLUS ...). */
struct cfg_expr {
	enum cfg_expr_kind kind;
	int op;
	struct cfg_pos pos;
	union {
		struct {
			struct cfg_expr *l, *r;
		} bin;                 /* AND OR NOT CMP ARITH NEG BNOT */
		struct cfg_call *call; /* EXPR_CALL */
		struct {
			const char *name;
			struct cfg_pos pos;       /* of the name */
			struct cfg_route *target; /* bound by fixup */
		} route;                /* EXPR_ROUTE (e->pos: keyword) */
		struct cfg_operand opd; /* EXPR_OPERAND */
	} u;
};

enum cfg_stmt_kind {
	STMT_CALL = 1, /* call */
	STMT_ASSIGN,   /* lhs op(= or :=) rhs; rhs NULL means "= null" */
	STMT_IF,       /* cond, body, else_body */
	STMT_SWITCH,   /* sel, cases */
	STMT_WHILE,    /* cond, body */
	STMT_BLOCK,    /* body */
	STMT_ROUTE,    /* route(target) */
	STMT_RETURN,   /* value: NULL (return 1), number or pv operand */
	STMT_EXIT,
	STMT_DROP,
	STMT_BREAK /* leaves the innermost switch */
};

struct cfg_case {
	struct cfg_pos pos;
	int is_default;
	int is_str; /* label is s, else num */
	long num;
	str s;
	struct cfg_stmt *body; /* may be NULL (falls through) */
	struct cfg_case *next;
};

struct cfg_stmt {
	enum cfg_stmt_kind kind;
	struct cfg_pos pos;
	struct cfg_stmt *next;
	union {
		struct cfg_call *call; /* STMT_CALL */
		struct {
			struct cfg_pvref lhs;
			int op;               /* TK_ASSIGN or TK_COLONEQ */
			struct cfg_expr *rhs; /* NULL: "= null" */
		} assign;                     /* STMT_ASSIGN */
		struct {
			struct cfg_expr *cond;      /* IF, WHILE */
			struct cfg_stmt *body;      /* IF, WHILE, BLOCK */
			struct cfg_stmt *else_body; /* IF */
		} ctl;
		struct {
			struct cfg_pvref sel;
			struct cfg_case *cases; /* source order */
		} sw;                           /* STMT_SWITCH */
		struct {
			const char *name;
			struct cfg_pos pos;       /* of the name */
			struct cfg_route *target; /* bound by fixup */
		} route;                          /* STMT_ROUTE */
		struct cfg_expr *value;           /* STMT_RETURN, may be NULL */
	} u;
};

struct cfg_route {
	int type;           /* REQUEST_ROUTE, FAILURE_ROUTE ... */
	const char *name;   /* "0" main, "1", "foo" */
	struct cfg_pos pos; /* of the route keyword */
	struct cfg_stmt *body;
	int id; /* 0..n-1 in definition order */
	/* computed by the fixup pass */
	unsigned run_types;        /* route types it may run as */
	int referenced;            /* called or armed (t_on_failure ...) */
	struct cfg_route *via[5];  /* per type bit: first caller */
	struct cfg_pos via_pos[5]; /* ... and the call site */
	struct cfg_route *next;
};

/* An outside resource owned by the script, released by cfg_free(). */
struct cfg_owned {
	void (*release)(void *obj);
	void *obj;
	struct cfg_owned *next;
};

/* A listen= value, applied when the whole script was read. */
struct cfg_listen {
	const char *spec;
	struct cfg_pos pos;
	struct cfg_listen *next;
};

struct cfg_script {
	struct cfg_arena arena;
	const char *file;         /* the main file, as given */
	struct cfg_route *routes; /* definition order */
	struct cfg_route **route_tail;
	int nroutes;
	struct cfg_owned *owned;
	struct cfg_listen *listen, **listen_tail;
	char **sources; /* included files' bytes (malloc) */
	int nsources;
	int fixed;        /* cfg_fixup_all() succeeded */
	int fixup_failed; /* ... or failed (it is not retried) */
};

/* Returns the name used in messages: "route", "failure_route[1]" ... */
const char *cfg_route_label(const struct cfg_route *r, char *buf, int size);

/* Returns "request_route", "failure_route" ... for one type bit. */
const char *cfg_route_type_name(int type);

/* Index 0..4 of a single route type bit. */
int cfg_route_type_index(int type);

/*
 * Records obj for release(obj) by cfg_free().  Returns SV_OK or SV_ENOMEM
 * (obj is then released at once).
 */
int cfg_own(struct cfg_script *s, void (*release)(void *), void *obj);

#endif /* SERVAL_CFG_AST_H */
