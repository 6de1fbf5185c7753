/*
 * tm.c - the tm module: its exports, parameters and the thin wrappers that
 * turn fixed-up script arguments into calls of the logic files.
 *
 * What lives where:
 *   h_table.c      the table, cells, references, the one free path
 *   t_lookup.c     matching, t_newtran, t_check_trans, current transaction
 *   t_fwd.c        t_relay, forking, branches, sending
 *   t_reply.c      replies received and local, the best-reply pick
 *   t_cancel.c     CANCEL received and sent
 *   t_timer.c      retransmission, fr, wait timers
 *   t_routes.c     failure, onreply and branch routes; arming; flags
 *   t_query.c      t_check_status, t_local_replied, t_was_cancelled, PVs
 *   t_avp.c        AVPs kept by transactions, timeouts from AVPs
 *   t_replicate.c  t_replicate
 *   t_write.c      t_write_req, t_write_unix, tw_append
 *   t_msgbuilder.c branch ids, tags, CANCEL, ACK, local replies
 *   t_stats.c      the tm: statistics
 * LOCKING.md gives the lock order, README.md the user's view.
 *
 * The MI commands, the local UAC and callbacks are not implemented yet
 * and are not exported (README.md lists them).
 */
#include "t_avp.h"
#include "t_fwd.h"
#include "t_funcs.h"
#include "t_lookup.h"
#include "t_msgbuilder.h"
#include "t_query.h"
#include "t_replicate.h"
#include "t_reply.h"
#include "t_routes.h"
#include "t_stats.h"
#include "t_write.h"
#include "tm_api.h"
#include "tm_cfg.h"

#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/parser/uri.h"
#include "core/script_cb.h"

#include <stdlib.h>
#include <string.h>

struct tm_config tm_cfg = {
    .fr_timer = 30,
    .fr_inv_timer = 120,
    .wt_timer = 5,
    .delete_timer = 2,
    .t1 = 500,
    .t2 = 4000,
    .noisy_ctimer = 0,
    .ruri_matching = 1,
    .via1_matching = 1,
    .restart_fr = 1,
    .enable_stats = 1,
    .syn_branch = 1,
    .unix_tx_timeout = 2,
};

/* A positive number of units, at most max. */
static int check_range(const char *name, int v, int min, int max)
{
	if (v >= min && v <= max)
		return SV_OK;
	LM_ERR("tm: %s must be between %d and %d (is %d)\n", name, min, max, v);
	return SV_EINVAL;
}

int tm_cfg_check(void)
{
	int rc = SV_OK;

	rc |= check_range("fr_timer", tm_cfg.fr_timer, 1, 86400);
	rc |= check_range("fr_inv_timer", tm_cfg.fr_inv_timer, 1, 86400);
	rc |= check_range("wt_timer", tm_cfg.wt_timer, 1, 3600);
	rc |= check_range("delete_timer", tm_cfg.delete_timer, 1, 3600);
	rc |= check_range("T1_timer", tm_cfg.t1, 1, 60000);
	rc |= check_range("T2_timer", tm_cfg.t2, tm_cfg.t1, 600000);
	rc |= check_range("noisy_ctimer", tm_cfg.noisy_ctimer, 0, 1);
	rc |= check_range("ruri_matching", tm_cfg.ruri_matching, 0, 1);
	rc |= check_range("via1_matching", tm_cfg.via1_matching, 0, 1);
	rc |= check_range("restart_fr_on_each_reply", tm_cfg.restart_fr, 0, 1);
	rc |= check_range("syn_branch", tm_cfg.syn_branch, 0, 1);
	rc |= check_range("onreply_avp_mode", tm_cfg.onreply_avp_mode, 0, 1);
	rc |= check_range("pass_provisional_replies", tm_cfg.pass_prov, 0, 1);
	rc |= check_range("unix_tx_timeout", tm_cfg.unix_tx_timeout, 0, 60);
	return rc ? SV_EINVAL : SV_OK;
}

/* ------------------------------------------------------------ fixups -- */

/* t_relay's first argument: flags (a number) or a destination. */
struct tm_relay_arg {
	unsigned flags;
	int has_dst;
	struct tm_dst_spec dst;
};

/* 1 when s is a whole decimal or 0x hex number. */
static int is_number(const char *s, long *v)
{
	char *end;

	if (*s == '\0')
		return 0;
	*v = strtol(s, &end, 0);
	return *end == '\0';
}

static int fixup_relay(struct fixup_ctx *ctx, void **param, int idx)
{
	struct tm_relay_arg *ra;
	char err[128];
	long v;

	if (idx == 1)
		return fixup_int(ctx, param, idx);
	ra = calloc(1, sizeof(*ra));
	if (ra == NULL)
		return fixup_error(ctx, "out of memory");
	if (ctx->argc == 1 && is_number(*param, &v)) {
		ra->flags = (unsigned)v;
	} else if (tm_dst_spec_parse(*param, &ra->dst, err, sizeof(err)) ==
	           SV_OK) {
		ra->has_dst = 1;
	} else {
		free(ra);
		return fixup_error(ctx, "%s", err);
	}
	*param = ra;
	return SV_OK;
}

static void free_relay(void **param, int idx)
{
	struct tm_relay_arg *ra = *param;

	if (idx != 0 || ra == NULL)
		return;
	tm_dst_spec_free(&ra->dst);
	free(ra);
	*param = NULL;
}

/* ---------------------------------------------------------- wrappers -- */

static int w_t_newtran(struct sip_msg *msg, void **params)
{
	int rc = tm_newtran(msg);

	return rc < 0 ? tm_script_error(rc) : rc;
}

static int w_t_relay(struct sip_msg *msg, void **params)
{
	return tm_t_relay(msg, NULL, 0);
}

static int w_t_relay1(struct sip_msg *msg, void **params)
{
	const struct tm_relay_arg *ra = params[0];

	return tm_t_relay(msg, ra->has_dst ? &ra->dst : NULL, ra->flags);
}

static int w_t_relay2(struct sip_msg *msg, void **params)
{
	const struct tm_relay_arg *ra = params[0];

	return tm_t_relay(msg, &ra->dst, (unsigned)fixup_get_int(params[1]));
}

/* The current transaction, or NULL after logging who needed one. */
static struct cell *current(const char *func)
{
	struct cell *t = tm_ctx.t;

	if (t == T_UNDEFINED || t == NULL) {
		LM_ERR("tm: %s: no transaction (call t_newtran() first)\n",
		       func);
		return NULL;
	}
	return t;
}

/*
 * Parses a reply code from s: three digits, 100..999 (RFC 3261 defines
 * classes 1..6 only, but the seed's example 1-19 replies "999 hello").
 */
static int reply_code(const str *s)
{
	int i, code = 0;

	if (s->len != 3)
		return -1;
	for (i = 0; i < 3; i++) {
		if (s->s[i] < '0' || s->s[i] > '9')
			return -1;
		code = code * 10 + s->s[i] - '0';
	}
	return code >= 100 ? code : -1;
}

static int w_t_reply(struct sip_msg *msg, void **params)
{
	char cbuf[32], rbuf[256];
	struct cell *t = current("t_reply");
	str code_s, reason;
	int code;

	if (t == NULL)
		return -1;
	if (pv_format_print(msg, params[0], cbuf, sizeof(cbuf), &code_s) ||
	    pv_format_print(msg, params[1], rbuf, sizeof(rbuf), &reason))
		return -1;
	code = reply_code(&code_s);
	if (code < 0) {
		LM_ERR("tm: t_reply: bad reply code '%.*s'\n",
		       STR_FMT(&code_s));
		return -1;
	}
	if (tm_t_reply(t, msg, code, &reason) != SV_OK)
		return -1;
	tm_ctx.kr = TM_KR_RPLD;
	return 1;
}

static int w_t_release(struct sip_msg *msg, void **params)
{
	struct cell *t = current("t_release");

	if (t == NULL)
		return -1;
	tm_terminate(t, NULL, 0, 0);
	tm_ctx.kr = TM_KR_RLSD;
	return 1;
}

static int w_t_check_trans(struct sip_msg *msg, void **params)
{
	return tm_check_trans(msg);
}

static int w_t_on_failure(struct sip_msg *msg, void **params)
{
	tm_arm_route(TM_ON_FAILURE, params[0]);
	return 1;
}

static int w_t_on_reply(struct sip_msg *msg, void **params)
{
	tm_arm_route(TM_ON_REPLY, params[0]);
	return 1;
}

static int w_t_on_branch(struct sip_msg *msg, void **params)
{
	tm_arm_route(TM_ON_BRANCH, params[0]);
	return 1;
}

static int w_t_check_status(struct sip_msg *msg, void **params)
{
	return tm_check_status(msg, params[0]);
}

static int w_t_flush_flags(struct sip_msg *msg, void **params)
{
	return tm_flush_flags(msg);
}

/* t_local_replied("all" | "last"): 1 for all, 0 for last. */
static int fixup_local_replied(struct fixup_ctx *ctx, void **param, int idx)
{
	if (strcmp(*param, "all") == 0)
		*param = (void *)1L;
	else if (strcmp(*param, "last") == 0)
		*param = (void *)0L;
	else
		return fixup_error(ctx, "\"all\" or \"last\", not \"%s\"",
		                   (const char *)*param);
	return SV_OK;
}

static int w_t_local_replied(struct sip_msg *msg, void **params)
{
	return tm_local_replied(msg, params[0] != NULL);
}

static int w_t_was_cancelled(struct sip_msg *msg, void **params)
{
	return tm_was_cancelled(msg);
}

/* t_replicate(uri[, flags]): a SIP URI, then flags. */
static int fixup_replicate(struct fixup_ctx *ctx, void **param, int idx)
{
	struct sip_uri u;
	const char *s = *param;

	if (idx == 1)
		return fixup_int(ctx, param, idx);
	if (parse_uri(s, (int)strlen(s), &u) != SV_OK)
		return fixup_error(ctx, "\"%s\" is not a valid URI", s);
	return fixup_str(ctx, param, idx);
}

static void free_replicate(void **param, int idx)
{
	if (idx == 0)
		fixup_free_str(param, idx);
}

static int w_t_replicate1(struct sip_msg *msg, void **params)
{
	return tm_replicate(msg, params[0], 0);
}

static int w_t_replicate2(struct sip_msg *msg, void **params)
{
	return tm_replicate(msg, params[0], (unsigned)fixup_get_int(params[1]));
}

static int w_t_write_req(struct sip_msg *msg, void **params)
{
	return tm_t_write(msg, params[0], params[1], TW_FIFO);
}

static int w_t_write_unix(struct sip_msg *msg, void **params)
{
	return tm_t_write(msg, params[0], params[1], TW_UNIX);
}

#define R  REQUEST_ROUTE
#define F  FAILURE_ROUTE
#define O  ONREPLY_ROUTE
#define B  BRANCH_ROUTE
#define RF (R | F)

static const struct cmd_export cmds[] = {
    {"t_newtran", w_t_newtran, 0, NULL, R, NULL},
    {"t_relay", w_t_relay, 0, NULL, RF, NULL},
    {"t_relay", w_t_relay1, 1, fixup_relay, RF, free_relay},
    {"t_relay", w_t_relay2, 2, fixup_relay, RF, free_relay},
    {"t_reply", w_t_reply, 2, fixup_pvfmt, RF, fixup_free_pvfmt},
    {"t_replicate", w_t_replicate1, 1, fixup_replicate, R, free_replicate},
    {"t_replicate", w_t_replicate2, 2, fixup_replicate, R, free_replicate},
    {"t_release", w_t_release, 0, NULL, R, NULL},
    {"t_check_status", w_t_check_status, 1, fixup_regex, R | O | F | B,
     fixup_free_regex},
    {"t_flush_flags", w_t_flush_flags, 0, NULL, R | B, NULL},
    {"t_local_replied", w_t_local_replied, 1, fixup_local_replied,
     R | B | F | O, NULL},
    {"t_check_trans", w_t_check_trans, 0, NULL, R | B, NULL},
    {"t_was_cancelled", w_t_was_cancelled, 0, NULL, O | F, NULL},
    {"t_on_failure", w_t_on_failure, 1, fixup_failure_route, R | B | O | F,
     NULL},
    {"t_on_reply", w_t_on_reply, 1, fixup_onreply_route, R | B | O | F, NULL},
    {"t_on_branch", w_t_on_branch, 1, fixup_branch_route, R | B | O | F, NULL},
    {"t_write_req", w_t_write_req, 2, tw_fixup, R | F | B, tw_fixup_free},
    {"t_write_unix", w_t_write_unix, 2, tw_fixup, R | F | B, tw_fixup_free},
    {NULL, NULL, 0, NULL, 0, NULL}};

static const struct pv_export pvs[] = {
    {"T_branch_idx", 2001, 0, NULL, tm_pv_branch_idx, NULL},
    {"T_reply_code", 2002, 0, NULL, tm_pv_reply_code, NULL},
    {NULL, 0, 0, NULL, NULL, NULL}};

/* enable_stats: applied at once, before the core registers the table. */
static int set_enable_stats(int type, void *value)
{
	if (type != PARAM_INT)
		return SV_EINVAL;
	tm_cfg.enable_stats = *(int *)value != 0;
	tm_stats_enable(tm_cfg.enable_stats);
	return SV_OK;
}

static const struct param_export params[] = {
    {"fr_timer", PARAM_INT, &tm_cfg.fr_timer},
    {"fr_inv_timer", PARAM_INT, &tm_cfg.fr_inv_timer},
    {"wt_timer", PARAM_INT, &tm_cfg.wt_timer},
    {"delete_timer", PARAM_INT, &tm_cfg.delete_timer},
    {"T1_timer", PARAM_INT, &tm_cfg.t1},
    {"T2_timer", PARAM_INT, &tm_cfg.t2},
    {"noisy_ctimer", PARAM_INT, &tm_cfg.noisy_ctimer},
    {"ruri_matching", PARAM_INT, &tm_cfg.ruri_matching},
    {"via1_matching", PARAM_INT, &tm_cfg.via1_matching},
    {"restart_fr_on_each_reply", PARAM_INT, &tm_cfg.restart_fr},
    {"enable_stats", PARAM_INT | PARAM_USE_FUNC, (void *)set_enable_stats},
    {"syn_branch", PARAM_INT, &tm_cfg.syn_branch},
    {"fr_timer_avp", PARAM_STR, &tm_cfg.fr_timer_avp},
    {"fr_inv_timer_avp", PARAM_STR, &tm_cfg.fr_inv_timer_avp},
    {"onreply_avp_mode", PARAM_INT, &tm_cfg.onreply_avp_mode},
    {"pass_provisional_replies", PARAM_INT, &tm_cfg.pass_prov},
    {"unix_tx_timeout", PARAM_INT, &tm_cfg.unix_tx_timeout},
    {"tw_append", PARAM_STR | PARAM_USE_FUNC, (void *)tw_append_param},
    {NULL, 0, NULL}};

/* --------------------------------------------------------------- API -- */

static struct cell *api_t_gett(void)
{
	return tm_ctx.t;
}

static int api_t_reply(struct sip_msg *msg, int code, const str *reason)
{
	struct cell *t = tm_ctx.t;
	int rc;

	if (t == T_UNDEFINED || t == NULL)
		return SV_ENOTFOUND;
	rc = tm_t_reply(t, msg, code, reason);
	if (rc == SV_OK)
		tm_ctx.kr = TM_KR_RPLD;
	return rc;
}

static int api_t_relay(struct sip_msg *msg, const struct dest_info *dst,
                       unsigned flags)
{
	struct tm_dst_spec spec;

	if (dst == NULL)
		return tm_t_relay(msg, NULL, flags);
	memset(&spec, 0, sizeof(spec));
	spec.proto = dst->proto;
	spec.resolved = 1;
	spec.dst = *dst;
	return tm_t_relay(msg, &spec, flags);
}

static int api_t_get_trans_ident(struct sip_msg *msg, unsigned *hash_index,
                                 unsigned *label)
{
	struct cell *t = tm_ctx.t;

	if (t == T_UNDEFINED || t == NULL)
		return SV_ENOTFOUND;
	*hash_index = t->hash;
	*label = t->label;
	return SV_OK;
}

static int api_t_release(struct sip_msg *msg)
{
	return w_t_release(msg, NULL);
}

static int load_tm(struct tm_binds *tmb)
{
	if (tmb == NULL || tmb->version != TM_API_VERSION) {
		LM_ERR("tm: load_tm: caller built for API version %u, tm has "
		       "%u\n",
		       tmb ? tmb->version : 0, TM_API_VERSION);
		return SV_EINVAL;
	}
	tmb->t_gett = api_t_gett;
	tmb->t_reply = api_t_reply;
	tmb->t_newtran = tm_newtran;
	tmb->t_relay = api_t_relay;
	tmb->t_release = api_t_release;
	tmb->t_get_trans_ident = api_t_get_trans_ident;
	return SV_OK;
}

static const struct api_export apis[] = {{TM_LOAD_API, (void *)load_tm},
                                         {NULL, NULL}};

/* ----------------------------------------------------------- hooks -- */

static int mod_init(void)
{
	int rc = tm_cfg_check();

	if (rc == SV_OK)
		rc = tm_avp_params_init();
	if (rc == SV_OK)
		rc = tm_table_init();
	if (rc == SV_OK)
		rc = register_script_cb(tm_script_pre, SCB_PRE | SCB_REQUEST,
		                        NULL);
	if (rc == SV_OK)
		rc = register_script_cb(tm_script_post, SCB_POST | SCB_REQUEST,
		                        NULL);
	return rc;
}

static int child_init(const struct proc_info *self)
{
	tm_tag_init();
	return tw_child_init();
}

static void destroy(void)
{
	tm_table_destroy();
	tm_avp_params_free();
	tw_appends_free();
}

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tm",
    .cmds = cmds,
    .params = params,
    .stats = tm_stat_exports,
    .pvs = pvs,
    .apis = apis,
    .mod_init = mod_init,
    .child_init = child_init,
    .destroy = destroy,
    .response_f = tm_response,
};
