/*
 * tmod_bad.c - a test module with a malformed function table (more
 * arguments than CMD_MAX_PARAMS): the loader must refuse it.
 */
#include <stddef.h>

#include "core/module.h"

static int w_ok(struct sip_msg *msg, void **params)
{
	return 1;
}

static const struct cmd_export cmds[] = {
    {"tbad", w_ok, CMD_MAX_PARAMS + 1, NULL, REQUEST_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tmod_bad",
    .cmds = cmds,
};
