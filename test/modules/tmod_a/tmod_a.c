/*
 * tmod_a.c - a test module for the loader and the script tests (never
 * installed).  Its functions mimic the shapes of sl and tm: route-type
 * masks, several arities of one name, the common fixups (pseudo-variable
 * formats, integers, regexes, route references).  Parameters of every
 * kind; a pseudo-variable; hooks that record what happened, readable by
 * the tests through the "events" and "state" APIs.
 */
#include <stdio.h>
#include <string.h>

#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/module.h"
#include "core/pv.h"
#include "tmod_a.h"

static struct tmod_a_state st = {.p_int = 7};
static char events[256];

static void record(const char *ev)
{
	size_t n = strlen(events);

	snprintf(events + n, sizeof(events) - n, "%s%s", n ? " " : "", ev);
}

static const char *get_events(void)
{
	return events;
}

static struct tmod_a_state *get_state(void)
{
	return &st;
}

static int w_ok(struct sip_msg *msg, void **params)
{
	return 1;
}

/* counts fixups and frees so tests can check every one is released */
static int fixup_count(struct fixup_ctx *ctx, void **param, int idx)
{
	int rc = fixup_str(ctx, param, idx);

	if (rc == SV_OK)
		st.fixups++;
	return rc;
}

static void free_count(void **param, int idx)
{
	fixup_free_str(param, idx);
	st.frees++;
}

/* like t_relay([host[, flags]]): a string then an integer */
static int fixup_opt(struct fixup_ctx *ctx, void **param, int idx)
{
	return idx == 0 ? fixup_str(ctx, param, idx)
	                : fixup_int(ctx, param, idx);
}

static void free_opt(void **param, int idx)
{
	if (idx == 0)
		fixup_free_str(param, idx);
}

/* refuses "bad" with its own message, anything else silently */
static int fixup_picky(struct fixup_ctx *ctx, void **param, int idx)
{
	if (strcmp(*param, "bad") == 0)
		return fixup_error(ctx, "'bad' is not welcome here");
	if (strcmp(*param, "good") != 0)
		return SV_EINVAL;
	return SV_OK;
}

#define R REQUEST_ROUTE
#define F FAILURE_ROUTE
#define O ONREPLY_ROUTE
#define B BRANCH_ROUTE
#define E ERROR_ROUTE

static const struct cmd_export cmds[] = {
    {"ta_any", w_ok, 0, NULL, ANY_ROUTE, NULL},
    {"ta_req", w_ok, 0, NULL, R, NULL},
    {"ta_req_err", w_ok, 0, NULL, R | E, NULL},
    {"ta_fail", w_ok, 0, NULL, F | O, NULL},
    {"ta_two", w_ok, 2, fixup_pvfmt, R | E, fixup_free_pvfmt},
    {"ta_opt", w_ok, 0, NULL, R | F, NULL},
    {"ta_opt", w_ok, 1, fixup_opt, R | F, free_opt},
    {"ta_opt", w_ok, 2, fixup_opt, R | F, free_opt},
    {"ta_int", w_ok, 1, fixup_int, ANY_ROUTE, NULL},
    {"ta_re", w_ok, 1, fixup_regex, R | F | O | B, fixup_free_regex},
    {"ta_on_failure", w_ok, 1, fixup_failure_route, R | F | O | B, NULL},
    {"ta_on_reply", w_ok, 1, fixup_onreply_route, R | F | O | B, NULL},
    {"ta_on_branch", w_ok, 1, fixup_branch_route, R | F | O | B, NULL},
    {"ta_route", w_ok, 1, fixup_request_route, ANY_ROUTE, NULL},
    {"ta_pv", w_ok, 1, fixup_pvspec, ANY_ROUTE, fixup_free_pvspec},
    {"ta_count", w_ok, 1, fixup_count, ANY_ROUTE, free_count},
    {"ta_picky", w_ok, 1, fixup_picky, ANY_ROUTE, NULL},
    {"ta_raw", w_ok, 3, NULL, ANY_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static int set_fint(int type, void *value)
{
	if (*(int *)value < 0)
		return SV_EINVAL;
	st.p_fint = *(int *)value;
	return SV_OK;
}

static int set_fstr(int type, void *value)
{
	snprintf(st.p_fstr, sizeof(st.p_fstr), "%s", (char *)value);
	return SV_OK;
}

static const struct param_export params[] = {
    {"i", PARAM_INT, &st.p_int},
    {"s", PARAM_STR, &st.p_str},
    {"fi", PARAM_INT | PARAM_USE_FUNC, (void *)set_fint},
    {"fs", PARAM_STR | PARAM_USE_FUNC, (void *)set_fstr},
    {"fail_init", PARAM_INT, &st.fail_init},
    {"eat_replies", PARAM_INT, &st.eat_replies},
    {NULL, 0, NULL}};

static const struct pv_export pvs[] = {{"ta_pv", 1001, 0, NULL, NULL, NULL},
                                       {NULL, 0, 0, NULL, NULL, NULL}};

static const struct api_export apis[] = {{"events", (void *)get_events},
                                         {"state", (void *)get_state},
                                         {"record", (void *)record},
                                         {NULL, NULL}};

static int mod_init(void)
{
	st.inits++;
	record("a:init");
	return st.fail_init ? SV_EINVAL : SV_OK;
}

static int child_init(const struct proc_info *self)
{
	st.child_inits++;
	record("a:child");
	return SV_OK;
}

static void destroy(void)
{
	st.destroys++;
	record("a:destroy");
}

static int response(struct sip_msg *reply)
{
	st.responses++;
	return st.eat_replies ? 0 : 1;
}

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tmod_a",
    .cmds = cmds,
    .params = params,
    .pvs = pvs,
    .apis = apis,
    .mod_init = mod_init,
    .child_init = child_init,
    .destroy = destroy,
    .response_f = response,
};
