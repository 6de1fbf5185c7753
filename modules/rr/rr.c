/*
 * rr.c - the rr module of OpenSER 1.2: record routing and routing by the
 * Route header.  This file holds the tables, the parameters and the
 * fixups; record.c, loose.c and routed.c the functions (rr_mod.h).
 *
 *   modparam("rr", "enable_full_lr", 1)
 *   ...
 *   if (loose_route()) { ... relay ... }
 *   if (is_method("INVITE")) record_route();
 *
 * Edits (the Record-Route line, consumed Route entries, the Route line a
 * strict next hop needs) are message edits applied when the request is
 * printed; Request-URI and destination URI changes go through
 * set_new_uri()/set_dst_uri(), which the forwarder reads.
 */
#include "rr_mod.h"

#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pv.h"

#include <string.h>

int rr_enable_full_lr = 0;
int rr_append_fromtag = 1;

/* enable_double_rr: serval records one route; only 0 is accepted. */
static int set_double_rr(int type, void *value)
{
	if (*(int *)value != 0) {
		LM_ERR("rr: enable_double_rr: serval inserts one Record-Route "
		       "(the receiving socket); only 0 is accepted\n");
		return SV_EINVAL;
	}
	return SV_OK;
}

/*
 * record_route(params): a format whose literal start, if it starts with
 * text, must be ';' (the parameters follow the URI's host:port).
 */
static int fixup_rr_params(struct fixup_ctx *ctx, void **param, int idx)
{
	const struct pv_format *f;
	const str *first;
	int rc = fixup_pvfmt(ctx, param, idx);

	if (rc != SV_OK)
		return rc;
	f = *param;
	first = f->has_pv ? &f->parts[0].text : &f->whole;
	if ((!f->has_pv || f->parts[0].spec == NULL) && first->len > 0 &&
	    first->s[0] != ';') {
		fixup_free_pvfmt(param, idx);
		return fixup_error(ctx, "the parameters must start with ';'");
	}
	return SV_OK;
}

/* is_direction("downstream"|"upstream"): stored in the pointer. */
static int fixup_direction(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param;

	if (strcasecmp(s, "downstream") == 0)
		*param = (void *)(long)RR_DOWNSTREAM;
	else if (strcasecmp(s, "upstream") == 0)
		*param = (void *)(long)RR_UPSTREAM;
	else
		return fixup_error(ctx,
		                   "expected \"downstream\" or "
		                   "\"upstream\", found \"%s\"",
		                   s);
	return SV_OK;
}

static const struct cmd_export cmds[] = {
    {"loose_route", w_loose_route, 0, NULL, REQUEST_ROUTE, NULL},
    {"record_route", w_record_route, 0, NULL,
     REQUEST_ROUTE | BRANCH_ROUTE | FAILURE_ROUTE, NULL},
    {"record_route", w_record_route_params, 1, fixup_rr_params,
     REQUEST_ROUTE | BRANCH_ROUTE | FAILURE_ROUTE, fixup_free_pvfmt},
    {"record_route_preset", w_record_route_preset, 1, fixup_pvfmt,
     REQUEST_ROUTE | BRANCH_ROUTE | FAILURE_ROUTE, fixup_free_pvfmt},
    {"check_route_param", w_check_route_param, 1, fixup_regex, REQUEST_ROUTE,
     fixup_free_regex},
    {"is_direction", w_is_direction, 1, fixup_direction, REQUEST_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

static const struct param_export params[] = {
    {"enable_full_lr", PARAM_INT, &rr_enable_full_lr},
    {"append_fromtag", PARAM_INT, &rr_append_fromtag},
    {"enable_double_rr", PARAM_INT | PARAM_USE_FUNC, (void *)set_double_rr},
    {NULL, 0, NULL},
};

static void mod_destroy(void)
{
	rr_routed_free();
}

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "rr",
    .cmds = cmds,
    .params = params,
    .destroy = mod_destroy,
};
