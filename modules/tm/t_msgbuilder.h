/*
 * t_msgbuilder.h - the messages tm writes itself.
 *
 * Branch ids.  Each branch request carries our Via with
 *
 *   branch=z9hG4bK<hash>.<label>.<index>       syn_branch=1 (default)
 *   branch=z9hG4bK<hash>.<md5>.<index>         syn_branch=0
 *
 * hash, label and index in lowercase hex; md5 is 32 hex digits computed
 * from the request (Call-ID, CSeq number, From tag, To tag, Request-URI and
 * top Via), so the same request always gets the same branch (a restarted
 * server recognises nothing either way, but a syn branch cannot even look
 * valid).  A reply is matched back to its transaction by this value alone.
 *
 * To tags.  A reply tm builds from 180 up, for a request without a To tag,
 * gets <signature>-<hash>.<label>: 32 hex digits of MD5 over "serval-tm"
 * and the first listen address and port (the same in every process), then
 * the transaction id.  sl's tags use another signature, so sl's ACK filter
 * never takes the ACK of a tm reply.
 *
 * CANCEL and hop-by-hop ACK (RFC 3261 §9.1, §17.1.1.3) are built from the
 * branch request as sent: its Request-URI, our Via (the only one), From,
 * Call-ID, CSeq number and Route headers, with To from the request (CANCEL)
 * or from the reply being acknowledged (ACK), Max-Forwards 70, no body.
 *
 * Branch requests and local replies are printed from the request being
 * routed when tm has it, else from the transaction's copy (after
 * t_newtran(), in the timer process).
 */
#ifndef SERVAL_MODULES_TM_T_MSGBUILDER_H
#define SERVAL_MODULES_TM_T_MSGBUILDER_H

#include "h_table.h"

struct sip_msg;
struct req_build;

#define TM_TAG_SIG_LEN 32
#define TM_TAG_MAX     (TM_TAG_SIG_LEN + 1 + 8 + 1 + 8)
#define TM_BRANCH_MAX  (7 + 8 + 1 + TM_MD5_LEN + 1 + 2)

/* Writes t's branch id for branch idx into out (TM_BRANCH_MAX); length. */
int tm_branch_id(const struct cell *t, int idx, char *out);

/*
 * Parses a branch id of ours.  Fills *hash, *idx and either *label (syn
 * form, md5->len == 0) or md5 (32 hex digits).  Returns SV_OK or
 * SV_ENOTFOUND when branch is not in one of the two forms.
 */
int tm_parse_branch_id(const str *branch, unsigned *hash, unsigned *label,
                       str *md5, unsigned *idx);

/* Computes the MD5 part of syn_branch=0 ids into out (32 hex digits). */
void tm_request_md5(const str *parts, int n, char *out);

/* Computes this process's To-tag signature (child_init; tests). */
void tm_tag_init(void);

/* Writes tm's To tag for t into out (TM_TAG_MAX); returns its length. */
int tm_to_tag(const struct cell *t, char *out);

/* 1 when tag is tm's To tag of t. */
int tm_is_our_tag(const struct cell *t, const str *tag);

/*
 * Builds the CANCEL of branch b into out (size bytes).  Returns its
 * length, or SV_EBADMSG / SV_ETOOBIG / SV_ENOMEM.
 */
int tm_build_cancel(const struct tm_branch *b, char *out, int size);

/*
 * Builds the ACK of reply rpl (a negative final reply to the INVITE sent on
 * branch b) into out.  Returns its length or an error code.
 */
int tm_build_ack(const struct tm_branch *b, struct sip_msg *rpl, char *out,
                 int size);

/*
 * Prints a reply of t with code and reason into out (SIP_MSG_MAX bytes),
 * from req when given (the request being routed), else from t's copy of
 * the request; tm's To tag is added from 180 up.  Returns the length or an
 * error code.
 */
int tm_build_local_reply(struct cell *t, struct sip_msg *req, int code,
                         const str *reason, char *out);

/*
 * Prints the request of a branch (our Via with rb->branch, rb->ruri, the
 * previous hop's received/rport, Max-Forwards) into out (SIP_MSG_MAX
 * bytes): from msg when from_msg (t was just made from it), else from t's
 * copy of the request with the source and core decisions it was received
 * with.  Returns the length or the error of build_request().
 */
int tm_build_branch_req(struct cell *t, struct sip_msg *msg, int from_msg,
                        const struct req_build *rb, char *out);

/*
 * Parses t's copy of the request into msg (private memory, freed with
 * free_sip_msg()), as it was received: source, receiving socket and the
 * core's per-message decisions restored.  Returns SV_OK or the parse error.
 */
int tm_parse_request(const struct cell *t, struct sip_msg *msg);

#endif /* SERVAL_MODULES_TM_T_MSGBUILDER_H */
