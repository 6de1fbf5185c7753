/*
 * tmod_b.c - a second test module: a function name shared with tmod_a
 * under another arity, a pseudo-variable, and hooks that record into
 * tmod_a's event list (found through module_find_api) so tests can see
 * the order in which the loader runs them.
 */
#include <stddef.h>

#include "core/errors.h"
#include "core/module.h"
#include "core/pv.h"

static int responses;

static void record(const char *ev)
{
	void (*rec)(const char *) = module_find_api("tmod_a", "record");

	if (rec)
		rec(ev);
}

static int w_ok(struct sip_msg *msg, void **params)
{
	return 1;
}

static int get_responses(void)
{
	return responses;
}

static const struct cmd_export cmds[] = {
    {"ta_any", w_ok, 1, NULL, ANY_ROUTE, NULL},
    {"tb_cmd", w_ok, 1, NULL, REQUEST_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static const struct pv_export pvs[] = {{"tb_pv", 1002, 0, NULL, NULL, NULL},
                                       {NULL, 0, 0, NULL, NULL, NULL}};

static const struct api_export apis[] = {{"responses", (void *)get_responses},
                                         {NULL, NULL}};

static int mod_init(void)
{
	record("b:init");
	return SV_OK;
}

static int child_init(const struct proc_info *self)
{
	record("b:child");
	return SV_OK;
}

static void destroy(void)
{
	record("b:destroy");
}

static int response(struct sip_msg *reply)
{
	responses++;
	return 1;
}

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tmod_b",
    .cmds = cmds,
    .pvs = pvs,
    .apis = apis,
    .mod_init = mod_init,
    .child_init = child_init,
    .destroy = destroy,
    .response_f = response,
};
