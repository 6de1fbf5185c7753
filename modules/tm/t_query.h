/*
 * t_query.h - what a script asks about its transaction: t_check_status(),
 * t_local_replied(), t_was_cancelled(), $T_reply_code and $T_branch_idx.
 *
 * "The reply code" depends on the route (the seed's definition):
 *   request_route   the last reply sent upstream statefully (100 Trying
 *                   included), 0 when none was sent or there is no
 *                   transaction;
 *   onreply_route   the reply being processed (also in the core's global
 *                   onreply_route, transaction or not);
 *   failure_route   the winning negative reply (a 408 or 487 tm decided
 *                   included);
 *   branch_route    $T_reply_code is 0 there (the seed defines no code);
 *                   t_check_status() looks at the last reply sent
 *                   upstream, as in the request route;
 *   error_route     0.
 * t_check_status() matches its regular expression (POSIX extended, case
 * insensitive, anywhere in the three digits, as OpenSER did with regexec)
 * against that code; with no code it is false.
 *
 * t_local_replied("all"): true when no reply at all was received from any
 * branch of the transaction (every reply, if any, was tm's own).
 * t_local_replied("last"): true when the last reply was tm's own: in a
 * failure route the winning one (a timeout, a CANCEL), in an onreply route
 * never (a reply was just received), elsewhere the last reply sent
 * upstream.  Both are false without a transaction.
 *
 * t_was_cancelled(): true for an INVITE transaction a CANCEL was received
 * for.
 */
#ifndef SERVAL_MODULES_TM_T_QUERY_H
#define SERVAL_MODULES_TM_T_QUERY_H

#include <regex.h>

struct sip_msg;
struct pv_spec;
struct pv_value;

/* The reply code of the current route as above, 0 when none. */
int tm_route_reply_code(struct sip_msg *msg);

/* t_check_status(re): 1 when re matches the code, else -1. */
int tm_check_status(struct sip_msg *msg, const regex_t *re);

/* t_local_replied(): all 1 for "all", 0 for "last".  1 or -1. */
int tm_local_replied(struct sip_msg *msg, int all);

/* t_was_cancelled(): 1 or -1. */
int tm_was_cancelled(struct sip_msg *msg);

/* The getters of $T_reply_code and $T_branch_idx (integers). */
int tm_pv_reply_code(struct sip_msg *msg, const struct pv_spec *sp,
                     struct pv_value *res);
int tm_pv_branch_idx(struct sip_msg *msg, const struct pv_spec *sp,
                     struct pv_value *res);

#endif /* SERVAL_MODULES_TM_T_QUERY_H */
