/*
 * t_cancel.h - CANCEL: received from upstream, and sent downstream by tm.
 *
 * A received CANCEL is a transaction of its own.  When its INVITE
 * transaction exists, t_relay() answers the CANCEL with 200 at once, marks
 * the INVITE cancelled (it then takes no new branch) and cancels its
 * pending branches; the INVITE completes through the normal reply path,
 * normally with the 487s of its branches, and is never freed early.  When
 * the INVITE is unknown, the CANCEL is relayed like any other request.
 *
 * Cancelling a branch (RFC 3261 §9.1): when it has received a provisional
 * reply, a CANCEL built from its request goes out at once and is resent
 * (T1 doubling to T2, over UDP) until its final reply, for at most
 * fr_timer; the branch then waits at most fr_timer for the INVITE's final
 * reply.  When it has received nothing yet, the CANCEL is kept for the
 * first provisional reply (which may never come) and the branch counts as
 * answered with an internal 487, so the transaction can complete.  Replies
 * to our CANCELs are absorbed.
 */
#ifndef SERVAL_MODULES_TM_T_CANCEL_H
#define SERVAL_MODULES_TM_T_CANCEL_H

#include "h_table.h"

struct sip_msg;
struct tm_after;

/* Cancels branch b of INVITE transaction t as above.  Reply lock held. */
void tm_cancel_branch(struct cell *t, struct tm_branch *b, struct tm_after *a);

/*
 * Cancels every branch of t without a final reply except branch except
 * (-1: none).  Reply lock held.
 */
void tm_cancel_pending(struct cell *t, int except, struct tm_after *a);

/*
 * t_relay() of CANCEL request msg whose own transaction is ct: finds the
 * INVITE (the one t_check_trans() found, else looked up now), answers the
 * CANCEL with 200 and cancels the INVITE.  Returns SV_OK, or SV_ENOTFOUND
 * when there is no such INVITE (the caller relays the CANCEL itself).
 */
int tm_relay_cancel(struct cell *ct, struct sip_msg *msg);

/*
 * A reply (code) to our CANCEL on branch idx of t: a final one stops the
 * CANCEL's retransmissions.  Never relayed.  No lock held.
 */
void tm_cancel_reply(struct cell *t, int idx, int code);

#endif /* SERVAL_MODULES_TM_T_CANCEL_H */
