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
 *   - the branch goes to dst, else $du, else the Request-URI (resolved to
 *     its first A/AAAA address, without holding any lock), with the
 *     Request-URI and $du as they are now; the request itself is printed
 *     from the message when t_relay created the transaction, else from the
 *     transaction's copy made by t_newtran(), so edits made in between do
 *     not reach it (as the seed warns);
 *   - on failure, when t_relay created the transaction and flag 0x02 is not
 *     given, tm answers with the reply the error maps to and ends the
 *     transaction.
 * Branches of one call are published to reply processing together, under
 * the reply lock, with their timers armed, then sent.
 */
#ifndef SERVAL_MODULES_TM_T_FWD_H
#define SERVAL_MODULES_TM_T_FWD_H

#include "h_table.h"

struct sip_msg;

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
 * print the requests from msg (t was created from it in this call), else
 * from t's copy.  Returns SV_OK when at least one branch was sent, else the
 * error (SV_ENODEST when t was cancelled or got a 6xx, SV_ETOOMANY,
 * SV_EBADURI, SV_EBADADDR, SV_ENOMEM, SV_ESEND ...).  No lock held.
 */
int tm_forward(struct cell *t, struct sip_msg *msg,
               const struct tm_dst_spec *spec, int from_msg);

#endif /* SERVAL_MODULES_TM_T_FWD_H */
