/*
 * t_avp.h - AVPs and transactions: the AVPs a transaction keeps for its
 * routes, and the per-transaction timeouts of fr_timer_avp and
 * fr_inv_timer_avp.
 *
 * Kept AVPs.  The request route works on the per-message AVP list, which
 * the core frees after the request.  Each t_relay() there copies that list
 * into the transaction (replacing an earlier copy) after its branch routes
 * ran and before any branch is published, so the failure routes and, with
 * onreply_avp_mode 1, the onreply routes of the transaction see the AVPs
 * of the request route, and of its branch routes, as they were when the
 * request was relayed.  A failure route works on the transaction's list
 * itself (t_routes.h), so what it sets is seen by the routes that follow.
 * AVPs set in the request route after its last t_relay() stay in the
 * request route.  The list is guarded by the cell's avp lock.
 *
 * Timeouts.  fr_timer_avp / fr_inv_timer_avp name an AVP ("$avp(i:24)",
 * "$avp(s:fr)", or OpenSER's bare "i:24"); when it holds a positive number
 * of seconds (an integer, or a string of digits) at t_relay() time, it
 * replaces fr_timer / fr_inv_timer for the branches of the transaction
 * from then on (a later t_relay() in a failure route reads it again).  An
 * empty string, or no such parameter, disables the mechanism; an AVP that
 * is absent, zero or not a number leaves the parameter's value (a value
 * that is not a positive number is logged).
 */
#ifndef SERVAL_MODULES_TM_T_AVP_H
#define SERVAL_MODULES_TM_T_AVP_H

#include <stdint.h>

#include "h_table.h"

struct sip_msg;

/*
 * Parses fr_timer_avp and fr_inv_timer_avp (mod_init).  Returns SV_OK, or
 * SV_EINVAL after logging a value that is not an AVP.
 */
int tm_avp_params_init(void);

/* Frees what tm_avp_params_init() made (destroy). */
void tm_avp_params_free(void);

/*
 * Reads the timeout AVPs from the current AVP list (msg is the request
 * being relayed): *fr_ms, *fr_inv_ms in ms, 0 when not given.
 */
void tm_avp_timeouts(struct sip_msg *msg, uint32_t *fr_ms, uint32_t *fr_inv_ms);

/*
 * Copies the current AVP list into t (takes t's avp lock), unless the
 * current list is t's own.  Returns SV_OK, or SV_ENOMEM (t's AVPs are
 * then empty).  No reply lock may be held.
 */
int tm_avp_store(struct cell *t);

#endif /* SERVAL_MODULES_TM_T_AVP_H */
