/* xlog.c - script-interface stand-in of xlog (see ../standin.h). */
#include "../standin.h"

/* xlog(format) or xlog(level, format) */
static int fixup_xlog(struct fixup_ctx *ctx, void **param, int idx)
{
	if (ctx->argc == 2 && idx == 0)
		return fixup_str(ctx, param, idx);
	return fixup_pvfmt(ctx, param, idx);
}

static void free_xlog2(void **param, int idx)
{
	if (idx == 0)
		fixup_free_str(param, idx);
	else
		fixup_free_pvfmt(param, idx);
}

static const struct cmd_export cmds[] = {
    {"xlog", standin_ok, 1, fixup_xlog, ANY_ROUTE, fixup_free_pvfmt},
    {"xlog", standin_ok, 2, fixup_xlog, ANY_ROUTE, free_xlog2},
    {"xdbg", standin_ok, 1, fixup_pvfmt, ANY_ROUTE, fixup_free_pvfmt},
    {NULL, NULL, 0, NULL, 0, NULL}};

static int buf_size = 4096, force_color;

static const struct param_export params[] = {
    {"buf_size", PARAM_INT, &buf_size},
    {"force_color", PARAM_INT, &force_color},
    {NULL, 0, NULL}};

STANDIN_EXPORTS("xlog", cmds, params, NULL);
