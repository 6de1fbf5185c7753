/*
 * t_replicate.h - t_replicate(uri[, flags]): copies of the request sent,
 * statefully, to other destinations, of which upstream hears nothing.
 *
 * The copies form a transaction of their own (a replica, T_IS_REPLICA),
 * beside the transaction the request itself may get from t_relay():
 *   - one branch to uri's address, with the request's Request-URI left as
 *     it is (as t_relay("host:port") does), then one per entry of the
 *     destination set, to its $du or URI with its URI as Request-URI (the
 *     seed: further destinations "have to be set as branches"); the set is
 *     used up, as by t_relay();
 *   - nothing goes upstream: no 100 Trying, no reply is relayed; replies
 *     are absorbed (negative INVITE replies acknowledged downstream),
 *     requests are retransmitted over UDP and timed out (fr_timer) like
 *     any branch, then the replica waits wt_timer and is freed;
 *   - each call makes one replica (the seed's example 1-23 calls it three
 *     times for one request); but when the request is a retransmission
 *     (a replica of it exists, made for an earlier message) t_replicate
 *     sends nothing: the replicas retransmit by themselves.  Only
 *     t_replicate's lookup finds replicas: t_relay, t_newtran,
 *     t_check_trans, ACK and CANCEL matching never do;
 *   - no branch, failure or onreply route runs for it; of the flags only
 *     0x04 (no DNS failover) applies, and is recorded;
 *   - its Via branches carry its label even with syn_branch=0 (an MD5 of
 *     the request would be the same for all the request's transactions);
 *   - it counts in tm:UAC_transactions (a client transaction serval starts
 *     itself) once a copy went out, and in tm:inuse_transactions, not in
 *     the per-class counters.
 */
#ifndef SERVAL_MODULES_TM_T_REPLICATE_H
#define SERVAL_MODULES_TM_T_REPLICATE_H

#include "core/str.h"

struct sip_msg;

/*
 * t_replicate(): replicates request msg to uri (and the destination set)
 * as above.  Returns 1 (sent, or a retransmission absorbed) or the script
 * codes of t_relay: -1 generic (out of memory, an ACK), -2 bad message,
 * -3 no destination, -4 bad destination (unresolvable, a transport not
 * implemented), -6 send failed.
 */
int tm_replicate(struct sip_msg *msg, const str *uri, unsigned flags);

#endif /* SERVAL_MODULES_TM_T_REPLICATE_H */
