/*
 * core_cmds.c - the table of core script functions, their argument
 * fixups, and the bodies that need no SIP message.
 *
 * Argument conventions follow OpenSER 1.2's grammar: flags and counts are
 * numbers (a quoted number is accepted too), URIs and hosts are literal
 * strings (no pseudo-variables, as in 1.2), log levels are numbers.
 * No core function is restricted to some route types: OpenSER 1.2 did not
 * restrict them either.
 */
#include "core_cmds.h"

#include <stdlib.h>
#include <string.h>

#include "fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/pv.h"


static int fixup_flag(struct fixup_ctx *ctx, void **param, int idx)
{
	int rc = fixup_int(ctx, param, idx), v;

	if (rc != SV_OK)
		return rc;
	v = fixup_get_int(*param);
	if (v < 0 || v > CFG_MAX_FLAG)
		return fixup_error(ctx, "flag %d is out of range (0..%d)", v,
		                   CFG_MAX_FLAG);
	return SV_OK;
}

static int fixup_uint(struct fixup_ctx *ctx, void **param, int idx)
{
	int rc = fixup_int(ctx, param, idx);

	if (rc == SV_OK && fixup_get_int(*param) < 0)
		return fixup_error(ctx, "a number of 0 or more is expected");
	return rc;
}

/* setbflag(flag) or setbflag(branch, flag) */
static int fixup_bflag(struct fixup_ctx *ctx, void **param, int idx)
{
	if (ctx->argc == 2 && idx == 0)
		return fixup_uint(ctx, param, idx);
	return fixup_flag(ctx, param, idx);
}

/* log(level, text) */
static int fixup_log2(struct fixup_ctx *ctx, void **param, int idx)
{
	if (idx == 0)
		return fixup_int(ctx, param, idx);
	return fixup_str(ctx, param, idx);
}

static void free_log2(void **param, int idx)
{
	if (idx == 1)
		fixup_free_str(param, idx);
}

/* q value "0.5" -> 500 (0..1000) */
static int fixup_q(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param;
	char *end;
	double q;

	if (idx == 0)
		return fixup_str(ctx, param, idx);
	q = strtod(s, &end);
	if (end == s || *end || q < 0 || q > 1)
		return fixup_error(ctx, "bad q value \"%s\" (0 to 1 expected)",
		                   s);
	*param = (void *)(long)(q * 1000 + 0.5);
	return SV_OK;
}

static void free_q(void **param, int idx)
{
	if (idx == 0)
		fixup_free_str(param, idx);
}

/* pv_printf($pv, "format") */
static int fixup_pv_printf(struct fixup_ctx *ctx, void **param, int idx)
{
	int rc;

	if (idx == 1)
		return fixup_pvfmt(ctx, param, idx);
	rc = fixup_pvspec(ctx, param, idx);
	if (rc == SV_OK && !pv_is_writable(*param))
		return fixup_error(ctx, "%s cannot be written",
		                   ((struct pv_spec *)*param)->text.s);
	return rc;
}

static void free_pv_printf(void **param, int idx)
{
	if (idx == 1)
		fixup_free_pvfmt(param, idx);
	else
		fixup_free_pvspec(param, idx);
}

/* log("text") logs at L_DBG, as OpenSER's log() did */
static int w_log1(struct sip_msg *msg, void **params)
{
	const str *text = params[0];

	LOG(L_DBG, "%.*s", STR_FMT(text));
	return 1;
}

static int w_log2(struct sip_msg *msg, void **params)
{
	const str *text = params[1];

	LOG(fixup_get_int(params[0]), "%.*s", STR_FMT(text));
	return 1;
}

static int w_setsflag(struct sip_msg *msg, void **params)
{
	script_flags |= 1u << fixup_get_int(params[0]);
	return 1;
}

static int w_resetsflag(struct sip_msg *msg, void **params)
{
	script_flags &= ~(1u << fixup_get_int(params[0]));
	return 1;
}

static int w_issflagset(struct sip_msg *msg, void **params)
{
	return (script_flags & (1u << fixup_get_int(params[0]))) ? 1 : -1;
}

#define ANY ANY_ROUTE
/* name, body, arity, fixup, free, flags */
#define CMD(n, f, a, fx, fr, fl)                                               \
	{                                                                      \
		{n, f, a, fx, ANY, fr}, fl                                     \
	}
#define STR1(n)      CMD(n, NULL, 1, fixup_str, fixup_free_str, 0)
#define NOARG(n, fl) CMD(n, NULL, 0, NULL, NULL, fl)

const struct core_cmd core_cmds[] = {
    NOARG("forward", 0),
    STR1("forward"),
    NOARG("forward_udp", 0),
    STR1("forward_udp"),
    NOARG("forward_tcp", 0),
    STR1("forward_tcp"),
    NOARG("forward_tls", 0),
    STR1("forward_tls"),
    STR1("send"),
    STR1("send_tcp"),
    CMD("log", w_log1, 1, fixup_str, fixup_free_str, 0),
    CMD("log", w_log2, 2, fixup_log2, free_log2, 0),
    CMD("error", NULL, 2, fixup_str, fixup_free_str, 0),
    CMD("setflag", NULL, 1, fixup_flag, NULL, 0),
    CMD("resetflag", NULL, 1, fixup_flag, NULL, 0),
    CMD("isflagset", NULL, 1, fixup_flag, NULL, 0),
    CMD("setbflag", NULL, 1, fixup_bflag, NULL, 0),
    CMD("setbflag", NULL, 2, fixup_bflag, NULL, 0),
    CMD("setbranchflag", NULL, 1, fixup_bflag, NULL, 0),
    CMD("setbranchflag", NULL, 2, fixup_bflag, NULL, 0),
    CMD("resetbflag", NULL, 1, fixup_bflag, NULL, 0),
    CMD("resetbflag", NULL, 2, fixup_bflag, NULL, 0),
    CMD("resetbranchflag", NULL, 1, fixup_bflag, NULL, 0),
    CMD("resetbranchflag", NULL, 2, fixup_bflag, NULL, 0),
    CMD("isbflagset", NULL, 1, fixup_bflag, NULL, 0),
    CMD("isbflagset", NULL, 2, fixup_bflag, NULL, 0),
    CMD("isbranchflagset", NULL, 1, fixup_bflag, NULL, 0),
    CMD("isbranchflagset", NULL, 2, fixup_bflag, NULL, 0),
    CMD("setsflag", w_setsflag, 1, fixup_flag, NULL, 0),
    CMD("setscriptflag", w_setsflag, 1, fixup_flag, NULL, 0),
    CMD("resetsflag", w_resetsflag, 1, fixup_flag, NULL, 0),
    CMD("resetscriptflag", w_resetsflag, 1, fixup_flag, NULL, 0),
    CMD("issflagset", w_issflagset, 1, fixup_flag, NULL, 0),
    CMD("isscriptflagset", w_issflagset, 1, fixup_flag, NULL, 0),
    STR1("rewriteuri"),
    STR1("seturi"),
    STR1("rewritehost"),
    STR1("sethost"),
    STR1("seth"),
    STR1("rewritehostport"),
    STR1("sethostport"),
    STR1("sethp"),
    STR1("rewriteuser"),
    STR1("setuser"),
    STR1("setu"),
    STR1("rewriteuserpass"),
    STR1("setuserpass"),
    STR1("setup"),
    STR1("rewriteport"),
    STR1("setport"),
    STR1("setp"),
    STR1("prefix"),
    CMD("strip", NULL, 1, fixup_uint, NULL, 0),
    CMD("strip_tail", NULL, 1, fixup_uint, NULL, 0),
    NOARG("revert_uri", CORE_CMD_BARE),
    STR1("setdsturi"),
    STR1("setduri"),
    NOARG("resetdsturi", CORE_CMD_BARE),
    NOARG("resetduri", CORE_CMD_BARE),
    NOARG("isdsturiset", CORE_CMD_BARE),
    NOARG("isduriset", CORE_CMD_BARE),
    NOARG("append_branch", CORE_CMD_BARE),
    STR1("append_branch"),
    CMD("append_branch", NULL, 2, fixup_q, free_q, 0),
    NOARG("force_rport", CORE_CMD_BARE),
    NOARG("add_rport", CORE_CMD_BARE),
    NOARG("force_local_rport", CORE_CMD_BARE),
    NOARG("add_local_rport", CORE_CMD_BARE),
    NOARG("force_tcp_alias", CORE_CMD_BARE),
    NOARG("add_tcp_alias", CORE_CMD_BARE),
    CMD("force_tcp_alias", NULL, 1, fixup_uint, NULL, 0),
    CMD("add_tcp_alias", NULL, 1, fixup_uint, NULL, 0),
    STR1("set_advertised_address"),
    STR1("set_advertised_port"),
    STR1("force_send_socket"),
    CMD("serialize_branches", NULL, 1, fixup_uint, NULL, 0),
    NOARG("next_branches", 0),
    STR1("use_blacklist"),
    STR1("unuse_blacklist"),
    NOARG("setdebug", 0),
    CMD("setdebug", NULL, 1, fixup_int, NULL, 0),
    CMD("pv_printf", NULL, 2, fixup_pv_printf, free_pv_printf, 0),
    CMD("avp_printf", NULL, 2, fixup_pv_printf, free_pv_printf, 0),
    {{NULL, NULL, 0, NULL, 0, NULL}, 0}};

const struct cmd_export *core_cmd_find(const char *name, int argc,
                                       int *arity_mismatch)
{
	const struct core_cmd *c;

	*arity_mismatch = 0;
	for (c = core_cmds; c->e.name; c++) {
		if (strcmp(c->e.name, name) != 0)
			continue;
		if (c->e.param_no == argc)
			return &c->e;
		*arity_mismatch = 1;
	}
	return NULL;
}

unsigned core_cmd_arities(const char *name)
{
	const struct core_cmd *c;
	unsigned mask = 0;

	for (c = core_cmds; c->e.name; c++)
		if (strcmp(c->e.name, name) == 0)
			mask |= 1u << c->e.param_no;
	return mask;
}

int core_cmd_bare_ok(const char *name)
{
	const struct core_cmd *c;

	for (c = core_cmds; c->e.name; c++)
		if ((c->flags & CORE_CMD_BARE) && strcmp(c->e.name, name) == 0)
			return 1;
	return 0;
}
