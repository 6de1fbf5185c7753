/*
 * sl.c - the sl module: stateless replies, as in OpenSER 1.2, with the
 * later SER/Kamailio additions (send_reply, default_code/default_reason,
 * bind_tm, per-code statistics).
 *
 *   loadmodule "sl.so"
 *   sl_send_reply("404", "Not here");
 *   send_reply("403", "Invalid user - $fU");
 *
 * This file holds only the module's tables, the fixups and the script
 * wrappers that turn fixed-up arguments into calls of sl_funcs.h, and the
 * set-up: mod_init() checks the parameters, makes the shared "last reply"
 * time, registers the ACK filter before the script and binds to tm;
 * child_init() computes the to-tag signature once the listen sockets are
 * open.  README.md documents the behaviour.
 *
 * Arguments: the code and the reason may both contain pseudo-variables.
 * A literal code is checked (100-699) when the script is loaded; a code
 * from pseudo-variables is read at run time: a value that is not a number
 * gives default_code (as Kamailio does), a number outside 100-699 fails the
 * call.  A reason that cannot be printed gives default_reason; a printed
 * reason has its control characters (CR, LF ...) replaced by spaces so a
 * value taken from the message cannot break the reply.
 */
#include <stdlib.h>
#include <string.h>

#include "sl.h"
#include "sl_funcs.h"
#include "sl_stats.h"
#include "sl_tag.h"
#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/script_cb.h"

static int default_code = 500;
static char *default_reason = "Internal Server Error";
static int bind_tm = 1;

/* What the fixup makes of the code argument. */
struct sl_code_arg {
	int code;              /* the literal code, when fmt is NULL */
	struct pv_format *fmt; /* the code from pseudo-variables */
};

/* Reads a reply code: 1 to 9 decimal digits.  Returns it, or -1. */
static int parse_code(const str *s)
{
	int i, v = 0;

	if (s->len < 1 || s->len > 9)
		return -1;
	for (i = 0; i < s->len; i++) {
		if (s->s[i] < '0' || s->s[i] > '9')
			return -1;
		v = v * 10 + (s->s[i] - '0');
	}
	return v;
}

/* Returns 1 when s holds a control character other than HTAB. */
static int has_ctl(const str *s)
{
	int i;

	for (i = 0; i < s->len; i++)
		if ((unsigned char)s->s[i] < 0x20 && s->s[i] != '\t')
			return 1;
	return 0;
}

static int fixup_code(struct fixup_ctx *ctx, void **param)
{
	void *text = *param;
	struct sl_code_arg *arg = calloc(1, sizeof(*arg));
	struct pv_format *fmt;
	int rc;

	if (arg == NULL)
		return fixup_error(ctx, "out of memory");
	rc = fixup_pvfmt(ctx, param, 0);
	if (rc != SV_OK) {
		free(arg);
		return rc;
	}
	fmt = *param;
	*param = text;
	if (fmt->has_pv) {
		arg->fmt = fmt;
	} else {
		arg->code = parse_code(&fmt->whole);
		pv_format_free(fmt);
		if (arg->code < 100 || arg->code > 699) {
			free(arg);
			return fixup_error(ctx,
			                   "invalid reply code \"%s\" "
			                   "(must be 100-699)",
			                   (char *)text);
		}
	}
	*param = arg;
	return SV_OK;
}

static int fixup_reason(struct fixup_ctx *ctx, void **param)
{
	void *text = *param;
	struct pv_format *fmt;
	int rc = fixup_pvfmt(ctx, param, 1);

	if (rc != SV_OK)
		return rc;
	fmt = *param;
	if (!fmt->has_pv && has_ctl(&fmt->whole)) {
		pv_format_free(fmt);
		*param = text;
		return fixup_error(ctx, "the reason phrase may not contain "
		                        "control characters");
	}
	return SV_OK;
}

/* sl_send_reply(code, reason), send_reply(code, reason) */
static int fixup_reply(struct fixup_ctx *ctx, void **param, int idx)
{
	return idx == 0 ? fixup_code(ctx, param) : fixup_reason(ctx, param);
}

static void free_reply(void **param, int idx)
{
	struct sl_code_arg *arg = *param;

	if (idx != 0) {
		fixup_free_pvfmt(param, idx);
		return;
	}
	if (arg != NULL)
		pv_format_free(arg->fmt);
	free(arg);
	*param = NULL;
}

/*
 * The code for this message: the literal, the printed number, or
 * default_code when the pseudo-variables give no number.  Returns SV_OK,
 * or SV_EINVAL (logged) for a number outside 100-699.
 */
static int arg_code(struct sip_msg *msg, const struct sl_code_arg *arg,
                    int *code)
{
	char buf[64];
	str out;

	*code = arg->code;
	if (arg->fmt == NULL)
		return SV_OK;
	if (pv_format_print(msg, arg->fmt, buf, sizeof(buf), &out) != SV_OK ||
	    (*code = parse_code(&out)) < 0) {
		LM_WARN("sl: reply code \"%.*s\" is not a number: sending %d\n",
		        STR_FMT(&arg->fmt->whole), sl_settings.default_code);
		*code = sl_settings.default_code;
		return SV_OK;
	}
	if (*code < 100 || *code > 699) {
		LM_ERR("sl: reply code %d from \"%.*s\" is not 100-699\n",
		       *code, STR_FMT(&arg->fmt->whole));
		return SV_EINVAL;
	}
	return SV_OK;
}

/* The reason for this message, printed into buf (SL_REASON_MAX bytes). */
static void arg_reason(struct sip_msg *msg, const struct pv_format *fmt,
                       char *buf, str *reason)
{
	int i;

	if (!fmt->has_pv) {
		*reason = fmt->whole;
		return;
	}
	if (pv_format_print(msg, fmt, buf, SL_REASON_MAX, reason) != SV_OK) {
		LM_WARN("sl: reason \"%.*s\" cannot be printed: sending "
		        "\"%.*s\"\n",
		        STR_FMT(&fmt->whole),
		        STR_FMT(&sl_settings.default_reason));
		*reason = sl_settings.default_reason;
		return;
	}
	for (i = 0; reason->s == buf && i < reason->len; i++)
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\t')
			buf[i] = ' ';
}

/* Evaluates both arguments; returns SV_OK or SV_EINVAL. */
static int reply_args(struct sip_msg *msg, void **params, char *buf, int *code,
                      str *reason)
{
	if (arg_code(msg, params[0], code) != SV_OK)
		return SV_EINVAL;
	arg_reason(msg, params[1], buf, reason);
	return SV_OK;
}

static int w_sl_send_reply(struct sip_msg *msg, void **params)
{
	char buf[SL_REASON_MAX];
	str reason;
	int code;

	if (reply_args(msg, params, buf, &code, &reason) != SV_OK)
		return -1;
	return sl_reply(msg, code, &reason) == SV_OK ? 1 : -1;
}

static int w_send_reply(struct sip_msg *msg, void **params)
{
	char buf[SL_REASON_MAX];
	str reason;
	int code;

	if (reply_args(msg, params, buf, &code, &reason) != SV_OK)
		return -1;
	return sl_reply_any(msg, code, &reason) == SV_OK ? 1 : -1;
}

static int w_sl_reply_error(struct sip_msg *msg, void **params)
{
	return sl_reply_error(msg) == SV_OK ? 1 : -1;
}

/* enable_stats is applied at once: the table is registered before
 * mod_init runs. */
static int set_enable_stats(int type, void *value)
{
	sl_stats_enable(*(int *)value != 0);
	return SV_OK;
}

/* The "load_sl" api (sl.h). */
static int load_sl(struct sl_binds *slb)
{
	if (slb == NULL || slb->version != SL_API_VERSION)
		return SV_EINVAL;
	slb->reply = sl_reply;
	slb->reply_tagged = sl_reply_tagged;
	slb->send_reply = sl_reply_any;
	slb->reply_error = sl_reply_error;
	return SV_OK;
}

/* Checks and applies default_code and default_reason. */
static int apply_defaults(void)
{
	str reason = str_from_cstr(default_reason);

	if (default_code < 100 || default_code > 699) {
		LM_ERR("sl: default_code %d is not 100-699\n", default_code);
		return SV_EINVAL;
	}
	if (has_ctl(&reason)) {
		LM_ERR("sl: default_reason may not contain control "
		       "characters\n");
		return SV_EINVAL;
	}
	sl_settings.default_code = default_code;
	sl_settings.default_reason = reason;
	return SV_OK;
}

static int mod_init(void)
{
	int rc = apply_defaults();

	if (rc == SV_OK)
		rc = sl_startup();
	if (rc == SV_OK)
		rc = register_script_cb(sl_filter_ack, SCB_PRE | SCB_REQUEST,
		                        NULL);
	if (rc != SV_OK)
		return rc;
	if (!bind_tm)
		return SV_OK;
	rc = sl_bind_tm();
	if (rc == SV_ENOTFOUND)
		LM_INFO("sl: tm does not offer load_tm: send_reply() replies "
		        "statelessly\n");
	return rc == SV_ENOTFOUND ? SV_OK : rc;
}

static int child_init(const struct proc_info *self)
{
	sl_tag_init_listen();
	return SV_OK;
}

static void mod_destroy(void)
{
	sl_set_tm(NULL);
	sl_shutdown();
}

#define R REQUEST_ROUTE
#define F FAILURE_ROUTE
#define B BRANCH_ROUTE
#define E ERROR_ROUTE

static const struct cmd_export cmds[] = {
    {"sl_send_reply", w_sl_send_reply, 2, fixup_reply, R | E, free_reply},
    {"send_reply", w_send_reply, 2, fixup_reply, R | F | B, free_reply},
    {"sl_reply_error", w_sl_reply_error, 0, NULL, R | E, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static const struct param_export params[] = {
    {"enable_stats", PARAM_INT | PARAM_USE_FUNC, (void *)set_enable_stats},
    {"default_code", PARAM_INT, &default_code},
    {"default_reason", PARAM_STR, &default_reason},
    {"bind_tm", PARAM_INT, &bind_tm},
    {NULL, 0, NULL}};

static const struct api_export apis[] = {{SL_LOAD_API, (void *)load_sl},
                                         {NULL, NULL}};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "sl",
    .cmds = cmds,
    .params = params,
    .stats = sl_stat_exports,
    .apis = apis,
    .mod_init = mod_init,
    .child_init = child_init,
    .destroy = mod_destroy,
};
