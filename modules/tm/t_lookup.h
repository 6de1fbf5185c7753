/*
 * t_lookup.h - finding the transaction of a message, creating it, and the
 * current transaction of this process.
 *
 * Requests (RFC 3261 §17.2.3).  A request whose top Via branch starts with
 * the magic cookie z9hG4bK is matched by that branch, the Via sent-by (host
 * ignoring case, port) and the method (an ACK matches its INVITE; a CANCEL
 * is a transaction of its own, and finds its INVITE by the same branch and
 * sent-by).  Any other request is matched the RFC 2543 way: Call-ID, CSeq,
 * From and To, plus the Request-URI when ruri_matching is on and the whole
 * top Via when via1_matching is on.  An ACK matches an INVITE transaction
 * only when its final reply was negative (the hop-by-hop ACK: same branch,
 * or Call-ID, CSeq number, From and To URI, To tags ignored, with the same
 * Request-URI/Via rules), or when that reply was a 2xx tm built itself (the
 * end-to-end ACK of a local transaction: Call-ID, CSeq number, From tag and
 * our To tag).  The ACK of a relayed 2xx matches nothing: it is a request
 * of its own that the script relays statelessly.
 *
 * Replies are matched only by the branch tm put in its Via
 * (t_msgbuilder.h): bucket and label (or MD5) and branch index, and the CSeq
 * method (a reply to our own CANCEL matches its INVITE transaction).
 *
 * Every function that returns a cell gives the caller one reference.
 */
#ifndef SERVAL_MODULES_TM_T_LOOKUP_H
#define SERVAL_MODULES_TM_T_LOOKUP_H

#include <stdint.h>

#include "h_table.h"

struct sip_msg;

/* What matching uses of a request, taken from the parsed message. */
struct tm_mkeys {
	str method;
	str ruri; /* as received */
	str callid;
	str from;
	str fromtag;
	str to;
	str touri;
	str totag;
	str via1; /* top via-parm */
	str branch;
	str viahost;
	uint32_t cseq;
	int cseq_method;
	int method_id;
	uint16_t via_port;
	uint8_t via_proto;
	uint8_t rfc3261;
};

/*
 * Parses what matching needs (top Via, From, To, Call-ID, CSeq) and fills
 * *k.  Returns SV_OK, or SV_EBADTUPLE when one is missing or malformed.
 */
int tm_mkeys_get(struct sip_msg *msg, struct tm_mkeys *k);

/* Which transactions a lookup is after. */
enum tm_match_kind {
	TM_MATCH_REQ,     /* a retransmission of the same request */
	TM_MATCH_ACK,     /* the INVITE of a hop-by-hop ACK */
	TM_MATCH_CANCEL,  /* the INVITE of a CANCEL */
	TM_MATCH_REPLICA, /* t_replicate's copies of the same request */
};

/*
 * Returns 1 when t (proxied or local UAS transaction) matches the request
 * whose keys are k for kind (RFC 3261 or RFC 2543 rules as above, by the
 * request's branch), else 0.  Replicas (t_replicate.h) match only
 * TM_MATCH_REPLICA, which matches as TM_MATCH_REQ.  Reads only t's
 * immutable parts.
 */
int tm_match_request(const struct cell *t, const struct tm_mkeys *k,
                     enum tm_match_kind kind);

/*
 * Returns 1 when ACK keys k are the end-to-end ACK of a 2xx that tm itself
 * sent for t (Call-ID, CSeq number, From tag, and tm's To tag of t).
 */
int tm_match_local_ack(const struct cell *t, const struct tm_mkeys *k);

/* Results of tm_lookup_ack() */
enum tm_ack_kind {
	TM_ACK_NONE = 0, /* no transaction: an end-to-end ACK to relay */
	TM_ACK_HOP,      /* ACK of a negative final reply: absorbed */
	TM_ACK_LOCAL,    /* ACK of tm's own 2xx: the transaction ends */
};

/*
 * Looks up the INVITE transaction of ACK msg (keys k).  TM_ACK_HOP and
 * TM_ACK_LOCAL stop the retransmissions of that final reply and end the
 * transaction; *t gets it (referenced).  Bucket lock taken and released.
 */
enum tm_ack_kind tm_lookup_ack(struct sip_msg *msg, const struct tm_mkeys *k,
                               struct cell **t);

/*
 * Looks up a transaction for request msg in bucket hash (kind REQ or
 * CANCEL).  The bucket lock must be held; the result is referenced.
 */
struct cell *tm_lookup_locked(unsigned hash, const struct tm_mkeys *k,
                              enum tm_match_kind kind);

/* The INVITE transaction a CANCEL (keys k) is for, referenced, or NULL. */
struct cell *tm_lookup_invite(const struct tm_mkeys *k);

/*
 * Matches reply msg to a transaction by our Via branch: *t (referenced),
 * *branch (index) and *to_cancel (1 when it answers our CANCEL).  Returns
 * SV_OK or SV_ENOTFOUND (not ours, or the transaction is gone).
 */
int tm_lookup_reply(struct sip_msg *msg, struct cell **t, int *branch,
                    int *to_cancel);

/*
 * Builds (not inserted, one reference: the caller's) the cell of request
 * msg whose keys are k: the printed request and its keys, where it came
 * from and where replies go.  Returns NULL with *err SV_ENOMEM (shm
 * exhausted), SV_ETOOBIG or SV_EBADMSG.
 */
struct cell *tm_cell_new(struct sip_msg *msg, const struct tm_mkeys *k,
                         unsigned hash, int *err);

/*
 * t_newtran(): creates the transaction of request msg and makes it the
 * current one.  Returns 1 (created; for an ACK: nothing to create, the
 * current transaction is then the local one it ended, or NULL), 0 when msg
 * is a retransmission (the last reply was resent) or a hop-by-hop ACK
 * (absorbed): the caller stops processing msg; or a negative SV_E* code
 * (SV_EEXIST when a transaction is already current).
 */
int tm_newtran(struct sip_msg *msg);

/*
 * t_check_trans(): 0 for a retransmission (last reply resent) and for a
 * hop-by-hop ACK (absorbed); 1 for a CANCEL whose INVITE exists and for
 * the ACK of tm's own 2xx; -1 otherwise.
 */
int tm_check_trans(struct sip_msg *msg);

/*
 * Resends the last reply sent upstream for t (nothing when none was sent
 * yet).  No lock held.
 */
void tm_retransmit_reply(struct cell *t);

/* The per-message hooks around the script (registered by mod_init). */
int tm_script_pre(struct sip_msg *msg, void *param);
int tm_script_post(struct sip_msg *msg, void *param);

/*
 * Ends the current transaction after the script: makes the process's
 * state T_UNDEFINED again and drops its references; a transaction created
 * for the message and left unanswered is terminated with a warning.
 */
void tm_ctx_release(void);

#endif /* SERVAL_MODULES_TM_T_LOOKUP_H */
