/*
 * actions.h - the bodies and argument fixups of the core script
 * functions, one family per file:
 *
 *   act_fwd.c     forward, forward_udp, send (stateless relay, raw send)
 *   act_uri.c     rewriteuri/seturi and the other R-URI rewrites, prefix,
 *                 strip, strip_tail, revert_uri, setdsturi, resetdsturi,
 *                 isdsturiset
 *   act_flags.c   message, branch and script flags
 *   act_branch.c  append_branch, force_send_socket, force_rport,
 *                 force_local_rport, set_advertised_address/port
 *   act_misc.c    log, setdebug, pv_printf/avp_printf
 *
 * cfg/core_cmds.c ties them to names and arities.  All bodies follow the
 * script convention: > 0 success/true, < 0 failure/false (the SV_E* code
 * of the failure), never 0 (which would stop the script).
 */
#ifndef SERVAL_CFG_ACTIONS_H
#define SERVAL_CFG_ACTIONS_H

#include "core/module.h"

struct fixup_ctx;

#define ACTION(name)     int name(struct sip_msg *msg, void **params)
#define FIXUP(name)      int name(struct fixup_ctx *ctx, void **param, int idx)
#define FIXUP_FREE(name) void name(void **param, int idx)

/* act_fwd.c */
FIXUP(fixup_fwd_dest); /* "host[:port]" (idx 0), port (idx 1) */
FIXUP_FREE(free_fwd_dest);
ACTION(w_forward0);
ACTION(w_forward1);
ACTION(w_forward2);
ACTION(w_send1);

/* act_uri.c */
FIXUP(fixup_uri);      /* a string that must parse as a URI */
FIXUP(fixup_port_str); /* "5060" or "" */
ACTION(w_seturi);
ACTION(w_sethost);
ACTION(w_sethostport);
ACTION(w_setuser);
ACTION(w_setuserpass);
ACTION(w_setport);
ACTION(w_prefix);
ACTION(w_strip);
ACTION(w_strip_tail);
ACTION(w_revert_uri);
ACTION(w_setdsturi);
ACTION(w_resetdsturi);
ACTION(w_isdsturiset);

/* act_flags.c */
FIXUP(fixup_flag);  /* 0..31 */
FIXUP(fixup_bflag); /* flag, or branch index then flag */
FIXUP(fixup_uint);  /* 0 or more */
ACTION(w_setflag);
ACTION(w_resetflag);
ACTION(w_isflagset);
ACTION(w_setbflag1);
ACTION(w_setbflag2);
ACTION(w_resetbflag1);
ACTION(w_resetbflag2);
ACTION(w_isbflagset1);
ACTION(w_isbflagset2);
ACTION(w_setsflag);
ACTION(w_resetsflag);
ACTION(w_issflagset);

/* act_branch.c */
FIXUP(fixup_q); /* uri (idx 0), q "0.5" (idx 1) -> 0..1000 */
FIXUP_FREE(free_q);
FIXUP(fixup_send_socket); /* "proto:ip:port" of a listen socket */
ACTION(w_append_branch0);
ACTION(w_append_branch1);
ACTION(w_append_branch2);
ACTION(w_force_rport);
ACTION(w_force_local_rport);
ACTION(w_force_send_socket);
ACTION(w_set_adv_address);
ACTION(w_set_adv_port);

/* act_misc.c */
FIXUP(fixup_log2);
FIXUP_FREE(free_log2);
FIXUP(fixup_pv_printf);
FIXUP_FREE(free_pv_printf);
ACTION(w_log1);
ACTION(w_log2);
ACTION(w_setdebug0);
ACTION(w_setdebug1);
ACTION(w_pv_printf);

#endif /* SERVAL_CFG_ACTIONS_H */
