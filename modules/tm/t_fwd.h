/*
 * t_fwd.h - t_relay(): creating the transaction, its branches, and sending.
 *
 * t_relay([dst][, flags]) on a request:
 *   - an ACK never gets a transaction: the ACK of a negative reply is
 *     absorbed by its INVITE transaction (the script stops), the ACK of a
 *     2xx tm sent itself ends that transaction, any other ACK (end to end)
 *     is relayed statelessly to dst, $du or the Request-URI;
 *   - otherwise the transaction is created unless the script made it with
 *     t_newtran() (a retransmission is absorbed: the last reply is resent
 *     and the script stops);
 *   - a CANCEL whose INVITE exists is answered 200 and its INVITE
 *     cancelled (t_cancel.h); a CANCEL without one is relayed like any
 *     request;
 *   - an INVITE gets "100 Trying" at once (unless flag 0x01), before its
 *     destination is resolved;
 *   - the branches (parallel forking): in a request route the
 *     Request-URI's, then one per entry of the core's destination set
 *     (append_branch()); in a failure route only the entries appended
 *     there, or the Request-URI when there are none and the route rewrote
 *     it or $du, or t_relay names a destination (t_routes.h); at most
 *     TM_MAX_BRANCHES per transaction.  The set is used up (emptied);
 *   - each branch goes to dst, else its $du, else its Request-URI
 *     (resolved to the first A/AAAA address, without holding any lock)
 *     and runs the armed branch_route first, which may change it or drop
 *     it; a branch that cannot be built is skipped, the others go;
 *   - the request itself is printed from the message when t_relay created
 *     the transaction (in a failure route: from the request that route
 *     works on), else from the transaction's copy made by t_newtran(), so
 *     edits made in between do not reach it (as the seed warns);
 *   - on failure, when t_relay created the transaction and flag 0x02 is not
 *     given, tm answers with the reply the error maps to and ends the
 *     transaction.
 * Branches of one call are published to reply processing together, under
 * the reply lock, with their timers armed, then sent; before that, the
 * request route's AVPs are copied into the transaction and the timeouts of
 * fr_timer_avp/fr_inv_timer_avp taken (t_avp.h).
 */
#ifndef SERVAL_MODULES_TM_T_FWD_H
#define SERVAL_MODULES_TM_T_FWD_H

#include "h_table.h"

struct sip_msg;
struct socket_info;

/* t_relay("[proto:]host[:port]"): a destination fixed in the script. */
struct tm_dst_spec {
	int proto;           /* PROTO_UDP ... (udp when not given) */
	char *host;          /* as written, NUL terminated, malloc'ed */
	unsigned short port; /* 0: 5060 */
	int resolved;        /* host is an IP literal: dst is ready */
	struct dest_info dst;
};

/*
 * Parses s into *spec (host copied).  Returns SV_OK, SV_EINVAL (err says
 * why) or SV_ENOMEM.
 */
int tm_dst_spec_parse(const char *s, struct tm_dst_spec *spec, char *err,
                      int errlen);

/* Frees what tm_dst_spec_parse() allocated. */
void tm_dst_spec_free(struct tm_dst_spec *spec);

/*
 * The address of spec (resolved now when it is a name).  Returns SV_OK or
 * SV_EBADADDR.
 */
int tm_dst_spec_resolve(const struct tm_dst_spec *spec, struct dest_info *dst);

/*
 * t_relay() as described above; spec NULL: $du or the Request-URI; flags
 * TM_RELAY_*.  Returns the script's codes: 1 relayed, 0 absorbed (stop the
 * script), -1 ... -6 (README).
 */
int tm_t_relay(struct sip_msg *msg, const struct tm_dst_spec *spec,
               unsigned flags);

/*
 * Adds and sends the branches of msg to transaction t (current).  from_msg:
 * print the requests from msg (t was created from it in this call, or msg
 * is the request of t's failure route), else from t's copy.  Returns SV_OK
 * when at least one branch was sent, else the error (SV_ENODEST when t was
 * cancelled, completed or got a 6xx, or there was no branch or every one
 * was dropped; SV_ETOOMANY, SV_EBADURI, SV_EBADADDR, SV_ENOMEM, SV_ESEND
 * ...).  The destination set is emptied.  No lock held.
 */
int tm_forward(struct cell *t, struct sip_msg *msg,
               const struct tm_dst_spec *spec, int from_msg);

/* A branch to make: what it is sent to and with. */
struct tm_cand {
	str uri;         /* its Request-URI */
	str dst_uri;     /* its next hop ($du); len 0: the Request-URI */
	unsigned bflags; /* its branch flags */
	struct socket_info *sock; /* forced send socket, or NULL */
};

/*
 * The pieces of tm_forward() (t_replicate uses them too; no lock held):
 *
 * tm_next_branch: the index the next branch of t gets, or SV_ENODEST (t
 * cancelled, completed, 6xx) / SV_ETOOMANY.
 *
 * tm_build_branch: resolves c (or spec) and prints src as branch idx of
 * t into a new unpublished branch *out.  Returns SV_OK or the error.
 *
 * tm_publish: publishes nb[0..n) as t's branches from index first (a new
 * generation) with fr_timer/fr_inv_timer fr_ms/fr_inv_ms (0: the
 * parameters) and arms their timers; SV_ENODEST when t can take no branch
 * any more (the branches stay the caller's to free).
 *
 * tm_send_branches: sends published branches; one that cannot be sent
 * gets an internal 477.  Returns how many went out.
 */
int tm_next_branch(struct cell *t);
int tm_build_branch(struct cell *t, struct sip_msg *src, int idx,
                    const struct tm_cand *c, const struct tm_dst_spec *spec,
                    struct tm_branch **out);
int tm_publish(struct cell *t, struct tm_branch **nb, int n, int first,
               uint32_t fr_ms, uint32_t fr_inv_ms);
int tm_send_branches(struct cell *t, struct tm_branch **nb, int n);

/*
 * Adds a "blind" branch to t, as OpenSER's add_blind_uac() did for
 * t_write_req/t_write_unix: a new generation of one branch (TB_BLIND)
 * whose Request-URI is msg's (seen by a failure route if its 408 wins) and
 * on which nothing is sent; only its fr_timer is armed, so the caller gets
 * the internal 408 (487 when cancelled) unless something answers first
 * (t_reply, a failure route).  Replies matching it are absorbed.  The
 * request route's AVPs are stored in t as t_relay() does.  Returns SV_OK,
 * SV_ENODEST (t answered, cancelled or got a 6xx: it needs no branch),
 * SV_ETOOMANY or SV_ENOMEM.  No lock held; t is current.
 */
int tm_add_blind(struct cell *t, struct sip_msg *msg);

#endif /* SERVAL_MODULES_TM_T_FWD_H */
