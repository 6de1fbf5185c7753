/*
 * tinterp.c - a test module for the interpreter tests (never installed):
 * functions whose return value and side effects the tests choose, and a
 * stand-in for what tm does with the interpreter (run a branch_route from
 * inside the request route, look at the route type).
 *
 *   ti_ret(n)          returns n (0 stops the script)
 *   ti_count()         counts its calls in $var(ti_calls), returns 1
 *   ti_bad_hdr()       records a parse error in the message, returns 1
 *   ti_route_type()    returns the current route type
 *   ti_branch(route)   runs branch_route[route] nested; returns 2 when it
 *                      executed drop, else 1
 */
#include <stddef.h>

#include "cfg/fixup.h"
#include "cfg/interp.h"
#include "core/errors.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/parser/msg.h"

static int w_ret(struct sip_msg *msg, void **params)
{
	return fixup_get_int(params[0]);
}

static struct pv_spec *calls;

static int mod_init(void)
{
	str name = STR_LIT("$var(ti_calls)");
	char err[64];

	return pv_spec_parse(&name, &calls, err, sizeof(err));
}

static void destroy(void)
{
	pv_spec_free(calls);
	calls = NULL;
}

static int w_count(struct sip_msg *msg, void **params)
{
	struct pv_spec *sp = calls;
	struct pv_value v;
	long n = 0;

	pv_get(msg, sp, &v);
	pv_value_to_int(&v, &n);
	v.flags = PV_VAL_INT;
	v.ri = n + 1;
	pv_set(msg, sp, PV_OP_SET, &v);
	return 1;
}

static int w_bad_hdr(struct sip_msg *msg, void **params)
{
	msg_bad(msg, "bad header found by ti_bad_hdr");
	return 1;
}

static int w_route_type(struct sip_msg *msg, void **params)
{
	return route_type();
}

static int w_branch(struct sip_msg *msg, void **params)
{
	run_route(BRANCH_ROUTE, params[0], msg);
	return route_dropped() ? 2 : 1;
}

static const struct cmd_export cmds[] = {
    {"ti_ret", w_ret, 1, fixup_int, ANY_ROUTE, NULL},
    {"ti_count", w_count, 0, NULL, ANY_ROUTE, NULL},
    {"ti_bad_hdr", w_bad_hdr, 0, NULL, ANY_ROUTE, NULL},
    {"ti_route_type", w_route_type, 0, NULL, ANY_ROUTE, NULL},
    {"ti_branch", w_branch, 1, fixup_branch_route, REQUEST_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tinterp",
    .cmds = cmds,
    .mod_init = mod_init,
    .destroy = destroy,
};
