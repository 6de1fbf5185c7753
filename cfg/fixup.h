/*
 * fixup.h - what a script function's fixup sees, and the common fixups.
 *
 * The fixup pass (cfg_fixup_all) calls, for every call of a function with
 * a fixup, fixup(ctx, &params[i], i) for each argument i.  *param holds
 * the literal text (char *, NUL terminated, owned by the script); the
 * fixup replaces it with whatever the function wants at run time.  It may
 * read ctx (read-only) and reports problems with fixup_error(), which
 * prefixes the argument's file:line:col and the function's name:
 *
 *     t.cfg:12:15: error: t_on_failure: failure_route[5] is not defined
 *
 * The common fixups below cover what most functions need; a module with
 * different argument kinds writes a fixup that dispatches on idx and calls
 * them.  Each allocating fixup has a matching free function with the
 * free_fixup signature, to be put in cmd_export.free_fixup.
 *
 * Fixups run in the master after modules_init(), so module state set up
 * by mod_init is available, and every route of the script is known.
 */
#ifndef SERVAL_CFG_FIXUP_H
#define SERVAL_CFG_FIXUP_H

#include "ast.h"

struct fixup_ctx {
	struct cfg_script *script;
	const struct cfg_call *call;
	const char *func; /* function name */
	int idx;          /* argument being fixed, 0-based */
	int argc;
	struct cfg_pos pos;   /* of argument idx */
	int arg_kind;         /* ARG_STRING, ARG_NUMBER, ARG_WORD, ARG_PV */
	unsigned route_types; /* route types the call may run in */
};

/*
 * Reports "file:line:col: error: <func>: <message>" at the argument.
 * Returns SV_EINVAL, for `return fixup_error(...)`.
 */
int fixup_error(struct fixup_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Integer (decimal, 0x hex, negative): stored in the pointer itself. */
int fixup_int(struct fixup_ctx *ctx, void **param, int idx);

/* Reads back what fixup_int stored. */
static inline int fixup_get_int(void *param)
{
	return (int)(long)param;
}

/* Plain string: a str * (its s is NUL terminated).  Free: fixup_free_str */
int fixup_str(struct fixup_ctx *ctx, void **param, int idx);
void fixup_free_str(void **param, int idx);

/*
 * String with pseudo-variables ("Invalid user - $fU"): a struct
 * pv_format * (core/pv.h).  Unknown pseudo-variables are errors.
 * Free: fixup_free_pvfmt.
 */
int fixup_pvfmt(struct fixup_ctx *ctx, void **param, int idx);
void fixup_free_pvfmt(void **param, int idx);

/* One pseudo-variable ("$avp(s:x)"): a struct pv_spec *.  Free below. */
int fixup_pvspec(struct fixup_ctx *ctx, void **param, int idx);
void fixup_free_pvspec(void **param, int idx);

/*
 * POSIX extended regular expression, case-insensitive, no sub-matches
 * (REG_EXTENDED | REG_ICASE | REG_NOSUB): a regex_t *.  A bad expression
 * is reported with regerror()'s text.  Free: fixup_free_regex.
 */
int fixup_regex(struct fixup_ctx *ctx, void **param, int idx);
void fixup_free_regex(void **param, int idx);

/*
 * Route references ("1", "relay"): a struct cfg_route * of the named type
 * (t_on_failure("1") -> failure_route[1]).  An undefined route is an error.
 * Nothing to free.
 */
int fixup_request_route(struct fixup_ctx *ctx, void **param, int idx);
int fixup_failure_route(struct fixup_ctx *ctx, void **param, int idx);
int fixup_onreply_route(struct fixup_ctx *ctx, void **param, int idx);
int fixup_branch_route(struct fixup_ctx *ctx, void **param, int idx);

/*
 * The same for any route type (one of REQUEST_ROUTE ... ERROR_ROUTE):
 * resolves name, marks the route referenced.  Returns the route, or NULL
 * after reporting it is not defined.
 */
struct cfg_route *fixup_route_ref(struct fixup_ctx *ctx, int type,
                                  const char *name);

#endif /* SERVAL_CFG_FIXUP_H */
