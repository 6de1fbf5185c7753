/*
 * tm.c - script-interface stand-in of the tm module (see ../standin.h):
 * the functions, parameters and pseudo-variables of the tm seed document,
 * plus t_relay_to_udp/t_relay_to_tcp of older scripts.
 */
#include "../standin.h"

/* t_relay(host_or_flags) / t_relay(host, flags): a string then flags */
static int fixup_relay(struct fixup_ctx *ctx, void **param, int idx)
{
	return idx == 1 ? fixup_int(ctx, param, idx)
	                : fixup_str(ctx, param, idx);
}

static void free_relay(void **param, int idx)
{
	if (idx == 0)
		fixup_free_str(param, idx);
}

#define ANYTM (R | F | O | B)

static const struct cmd_export cmds[] = {
    {"t_newtran", standin_ok, 0, NULL, R, NULL},
    {"t_relay", standin_ok, 0, NULL, R | F, NULL},
    {"t_relay", standin_ok, 1, fixup_relay, R | F, free_relay},
    {"t_relay", standin_ok, 2, fixup_relay, R | F, free_relay},
    {"t_relay_to_udp", standin_ok, 2, fixup_str, R | F, fixup_free_str},
    {"t_relay_to_tcp", standin_ok, 2, fixup_str, R | F, fixup_free_str},
    {"t_reply", standin_ok, 2, fixup_pvfmt, R | F, fixup_free_pvfmt},
    {"t_replicate", standin_ok, 1, fixup_str, R, fixup_free_str},
    {"t_replicate", standin_ok, 2, fixup_relay, R, free_relay},
    {"t_release", standin_ok, 0, NULL, R, NULL},
    {"t_check_status", standin_ok, 1, fixup_regex, ANYTM, fixup_free_regex},
    {"t_flush_flags", standin_ok, 0, NULL, R | B, NULL},
    {"t_local_replied", standin_ok, 1, fixup_str, ANYTM, fixup_free_str},
    {"t_write_req", standin_ok, 2, fixup_str, R | F | B, fixup_free_str},
    {"t_write_unix", standin_ok, 2, fixup_str, R | F | B, fixup_free_str},
    {"t_check_trans", standin_ok, 0, NULL, R | B, NULL},
    {"t_was_cancelled", standin_ok, 0, NULL, O | F, NULL},
    {"t_on_failure", standin_ok, 1, fixup_failure_route, ANYTM, NULL},
    {"t_on_reply", standin_ok, 1, fixup_onreply_route, ANYTM, NULL},
    {"t_on_branch", standin_ok, 1, fixup_branch_route, ANYTM, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static int fr_timer = 30, fr_inv_timer = 120, wt_timer = 5, delete_timer = 2;
static int t1 = 500, t2 = 4000, noisy_ctimer, ruri_matching = 1;
static int via1_matching = 1, unix_tx_timeout = 2, restart_fr = 1;
static int enable_stats = 1, pass_prov, syn_branch = 1, onreply_avp_mode;
static char *fr_timer_avp, *fr_inv_timer_avp, *tw_append;

static const struct param_export params[] = {
    {"fr_timer", PARAM_INT, &fr_timer},
    {"fr_inv_timer", PARAM_INT, &fr_inv_timer},
    {"wt_timer", PARAM_INT, &wt_timer},
    {"delete_timer", PARAM_INT, &delete_timer},
    {"T1_timer", PARAM_INT, &t1},
    {"T2_timer", PARAM_INT, &t2},
    {"noisy_ctimer", PARAM_INT, &noisy_ctimer},
    {"ruri_matching", PARAM_INT, &ruri_matching},
    {"via1_matching", PARAM_INT, &via1_matching},
    {"unix_tx_timeout", PARAM_INT, &unix_tx_timeout},
    {"restart_fr_on_each_reply", PARAM_INT, &restart_fr},
    {"fr_timer_avp", PARAM_STR, &fr_timer_avp},
    {"fr_inv_timer_avp", PARAM_STR, &fr_inv_timer_avp},
    {"tw_append", PARAM_STR, &tw_append},
    {"enable_stats", PARAM_INT, &enable_stats},
    {"pass_provisional_replies", PARAM_INT, &pass_prov},
    {"syn_branch", PARAM_INT, &syn_branch},
    {"onreply_avp_mode", PARAM_INT, &onreply_avp_mode},
    {NULL, 0, NULL}};

static const struct pv_export pvs[] = {
    {"T_branch_idx", 2001, 0, NULL, NULL, NULL},
    {"T_reply_code", 2002, 0, NULL, NULL, NULL},
    {NULL, 0, 0, NULL, NULL, NULL}};

STANDIN_EXPORTS("tm", cmds, params, pvs);
