/*
 * t_reply.h - replies: those received from downstream and relayed (or
 * not), those tm builds itself, and the choice of the final reply.
 *
 * A reply matched to branch b of transaction t (RFC 3261 §16.7):
 *   - a negative final reply to an INVITE is acknowledged at once
 *     (hop-by-hop ACK), before anything else, retransmissions included;
 *   - 100 is never relayed (tm sends its own); other 1xx are relayed while
 *     no final reply went upstream; on an INVITE any reply stops the
 *     request's retransmissions and a 1xx moves the branch to fr_inv_timer
 *     (restart_fr_on_each_reply); on other requests a 1xx slows them to T2;
 *   - a 2xx is relayed at once, every 2xx of an INVITE, even after the
 *     transaction completed; the other pending branches are cancelled;
 *   - a negative final reply is held until every branch has a final
 *     reply; a 6xx cancels the others;  then the best one goes upstream:
 *     a 6xx if any, else one of the lowest class, preferring within it 487
 *     (when the INVITE was cancelled), then challenges (401, 407, with the
 *     WWW-/Proxy-Authenticate headers of every 401/407 received merged in),
 *     then 415, 420, 484, then received replies over internal ones, 503
 *     last; lowest code, then lowest branch, break ties;
 *   - anything arriving on a branch that already has its final reply is
 *     absorbed (its ACK still goes out for a negative INVITE reply).
 * A negative final INVITE reply sent upstream (relayed or local) and a 2xx
 * tm built itself are resent until their ACK (T1 doubling to T2, for
 * fr_timer); other final replies put the transaction on wait at once.
 */
#ifndef SERVAL_MODULES_TM_T_REPLY_H
#define SERVAL_MODULES_TM_T_REPLY_H

#include "h_table.h"

struct sip_msg;
struct tm_after;

/*
 * The best final reply among n branches with final codes[i] (faked[i]: 1
 * when decided by tm, not received), cancelled when the INVITE was
 * cancelled, by the rules above.  Returns its index, -1 when some code is
 * below 200 (still pending), -2 when n is 0.
 */
int tm_pick_best(const int *codes, const unsigned char *faked, int n,
                 int cancelled);

/*
 * The best branch of t's current generation (tm_pick_best over
 * [first_branch, nr_branches)), as an index of t->br, or -1 / -2.
 * Reply lock held.
 */
int tm_pick_branch(const struct cell *t);

/* A reason phrase for a code tm answers by itself. */
const char *tm_reason(int code);

/*
 * Builds a reply from the request (req, or t's copy when NULL), sends it
 * upstream and keeps it for retransmissions; a final reply completes t.
 * Reply lock held.  Returns SV_OK, SV_EINVAL (bad code, or t already has
 * its final reply), or a build error.
 */
int tm_reply_light(struct cell *t, struct sip_msg *req, int code,
                   const str *reason, struct tm_after *a);

/* The same, taking and releasing the reply lock (t_reply()). */
int tm_t_reply(struct cell *t, struct sip_msg *req, int code,
               const str *reason);

/*
 * Gives branch b the final code that tm decided (408 on timeout, 487 when
 * cancelled before any reply, 477 when it could not be sent): stops its
 * timers.  Does not pick; see tm_check_completion().  Reply lock held.
 */
void tm_branch_fake(struct cell *t, struct tm_branch *b, int code,
                    struct tm_after *a);

/*
 * b's fr timer expired: 408 (487 when t was cancelled), a CANCEL when it
 * had rung, then the pick.  Reply lock held.
 */
void tm_branch_timeout(struct cell *t, struct tm_branch *b, struct tm_after *a);

/* When every branch of t has its final reply, relays the best one. */
void tm_check_completion(struct cell *t, struct tm_after *a);

/*
 * Ends t after an error or when the script left it: when reply is set and
 * no final reply went upstream yet, answers with the reply that err maps to
 * (sv_err_reply), else puts t on wait.  req: the request being routed or
 * NULL.  No lock held.
 */
void tm_terminate(struct cell *t, struct sip_msg *req, int err, int reply);

/*
 * Processes reply rpl matched to branch idx of t (no lock held; the caller
 * holds a reference).  Returns SV_OK.
 */
int tm_reply_received(struct cell *t, int idx, struct sip_msg *rpl);

/*
 * The module's response hook: 0 when rpl belonged to a transaction (it has
 * been dealt with), 1 when not (the core relays it statelessly).
 */
int tm_response(struct sip_msg *rpl);

#endif /* SERVAL_MODULES_TM_T_REPLY_H */
