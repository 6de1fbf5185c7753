/*
 * t_routes.h - the script routes tm runs for a transaction: failure_route,
 * onreply_route[n] and branch_route, and what the script sees in them
 * (flags, AVPs, the request, the reply).
 *
 * Arming.  t_on_failure(n), t_on_reply(n) and t_on_branch(n) arm a route
 * for the current transaction; the last call wins.  In a request route
 * before the transaction exists the choice waits in the process context
 * and is copied into the cell when the transaction is created; once a
 * transaction is current (request route after t_newtran/t_relay, and
 * every failure, onreply and branch route, where the current transaction
 * is the one the route runs for) the call writes the cell directly.  A
 * failure route is consumed when it starts: to run again (for the next
 * round of serial forking) it must be armed again.  The reply and branch
 * routes stay armed for the transaction.
 *
 * failure_route.  When every branch of the current generation (the
 * branches added by the last t_relay) has a final reply and the best of
 * them is negative, and a failure route is armed and has not run for this
 * generation yet, the process that found out (a worker handling the last
 * reply, the timer slow process on fr_timer, a worker handling a CANCEL)
 * marks the transaction T_IN_FAILURE under the reply lock and, once the
 * lock is released, runs the route:
 *   - on a private parse of the transaction's request (as relayed: the
 *     script's edits made before the transaction existed included) with
 *     the R-URI of the winning branch, no $du, the transaction's message
 *     flags and the winning branch's branch flags;
 *   - with the transaction's AVPs as the current list, holding its avp
 *     lock;
 *   - without the reply lock: replies (a late 2xx, the replies of new
 *     branches), CANCELs and timers of the transaction go on meanwhile,
 *     but T_IN_FAILURE keeps anyone else from sending a final reply
 *     upstream, and a timer never waits for the route.
 * t_relay() there sends the branches appended since the route began
 * (append_branch(), the core's destination set), or when there are none,
 * the R-URI if the route rewrote it or $du, or t_relay was given a
 * destination; t_reply() sends the final reply itself.  When the route
 * ends, the message flags it changed are written back to the transaction,
 * T_IN_FAILURE is cleared and the completion is checked again: with new
 * branches pending nothing happens, otherwise the best reply goes
 * upstream, or the failure route runs again when it was re-armed and new
 * branches came to an end in the meantime.  When a CANCEL came while the
 * route ran and the route added no branch (t_relay() is refused once the
 * INVITE is cancelled), the caller gets 487 Request Terminated: it asked
 * to end a call attempt that serval had not ended yet.
 *
 * On fr_timer the route runs in the timer slow process (see t_timer.h):
 * the timer process that retransmits and ends transactions never runs a
 * script, and no timer lock is held while the route runs.
 *
 * onreply_route[n].  For every reply received for the transaction (not the
 * replies tm makes itself, not the replies to its own CANCELs), after the
 * core's global onreply_route, before tm processes it: with the
 * transaction's message flags and the branch's branch flags (both written
 * back when the route ends) and, with onreply_avp_mode 1, the
 * transaction's AVPs (avp lock held), with mode 0 an empty list of its own
 * that is discarded afterwards.  `drop` on a provisional reply keeps it
 * from being relayed (tm still takes note of it: timers, CANCEL).
 *
 * branch_route.  For each branch t_relay builds, before it is sent, on the
 * request being relayed with the branch's R-URI, $du, branch flags and
 * send socket; what the route changes (those, headers it adds or removes)
 * goes into that branch only.  `drop` discards the branch.
 *
 * Flags.  Message flags live in the transaction (msg_flags): taken when it
 * is created, re-taken by t_flush_flags(), seen and changed by its failure
 * and onreply routes.  Branch flags live in each branch (bflags): taken
 * from the R-URI or the destination set entry when it is built, seen and
 * changed by its branch route and its replies' onreply routes, seen by the
 * failure route when that branch's reply won.  Script flags belong to each
 * route run and are never stored (cfg/interp.h).
 *
 * Locks: no function here may be called with a reply lock held, except
 * tm_flags_merge().
 */
#ifndef SERVAL_MODULES_TM_T_ROUTES_H
#define SERVAL_MODULES_TM_T_ROUTES_H

#include "h_table.h"

struct sip_msg;

/* The route armed on t for which (an atomic load), or NULL. */
static inline const struct cfg_route *tm_armed(const struct cell *t,
                                               enum tm_on which)
{
	return __atomic_load_n(&t->on[which], __ATOMIC_ACQUIRE);
}

/*
 * t_on_failure/t_on_reply/t_on_branch: arms r for the current transaction
 * as described above.  No lock needed.
 */
void tm_arm_route(enum tm_on which, const struct cfg_route *r);

/*
 * Gives new cell t (not yet inserted) what the request route armed and
 * the message flags of msg.
 */
void tm_cell_init_script(struct cell *t, const struct sip_msg *msg);

/*
 * Applies to *flags the bits a route changed (those that differ between
 * before and after), keeping the bits others changed meanwhile.  Reply
 * lock held.
 */
void tm_flags_merge(unsigned *flags, unsigned before, unsigned after);

/*
 * t_flush_flags(): the transaction takes msg's message flags.  Returns 1,
 * or -1 when there is no current transaction.
 */
int tm_flush_flags(struct sip_msg *msg);

/*
 * Runs branch_route r for branch idx (0-based) of t on msg, whose R-URI,
 * $du, branch flags and socket are the branch's.  Returns 1 when the route
 * dropped the branch, else 0.  t is the current transaction.
 */
int tm_branch_route(struct cell *t, const struct cfg_route *r,
                    struct sip_msg *msg, int idx);

/*
 * Runs onreply_route r for reply rpl received on branch b of t (the caller
 * holds a reference).  Returns 1 when the route executed `drop`, else 0.
 */
int tm_onreply_route(struct cell *t, struct tm_branch *b,
                     const struct cfg_route *r, struct sip_msg *rpl);

/*
 * Runs t's failure_route (T_IN_FAILURE is set; see above) and what follows
 * it, until no failure route is due any more.  The caller holds a
 * reference and no lock of t.
 */
void tm_failure_run(struct cell *t);

#endif /* SERVAL_MODULES_TM_T_ROUTES_H */
