/*
 * forward.h - stateless relaying of requests and replies, and sending
 * replies back to where a request came from.
 *
 * Requests go to an explicit destination, else the destination URI ($du,
 * set by the script or loose_route), else the Request-URI.  Replies are
 * relayed to the second Via once ours (the top one) is removed.  Local
 * replies go back per RFC 3261 §18.2.2 and RFC 3581: over the socket the
 * request arrived on, to its source address, at the source port when the
 * request asked for rport (or force_rport() was called), else at the Via's
 * sent-by port (5060 when absent).  reply_to_via=1 sends to the Via's
 * received/sent-by address instead of the source address.
 */
#ifndef SERVAL_CORE_FORWARD_H
#define SERVAL_CORE_FORWARD_H

#include "ip_addr.h"
#include "str.h"

struct sip_msg;

/*
 * Relays request msg statelessly: to *dst when given (dst->send_sock may be
 * NULL), else to $du or the Request-URI.  Adds our Via with a stateless
 * branch, received/rport, Max-Forwards.  Returns SV_OK; SV_EBADURI,
 * SV_EBADSCHEME, SV_EBADADDR (no route to the destination), SV_EHOPS
 * (Max-Forwards 0), SV_EINVAL (no Via), SV_ESEND, SV_ETOOBIG.  Sets sv_last_error and
 * counts core:fwd_requests on success.
 */
int forward_request(struct sip_msg *msg, const struct dest_info *dst);

/*
 * Relays reply msg statelessly to its second Via after removing the top
 * one, which must be ours.  Returns SV_OK, SV_ENOTFOUND (not for us to
 * relay: the top Via is not ours, or there is no second Via), SV_EBADADDR,
 * SV_ESEND.  Counts core:fwd_replies / drop_replies.
 */
int forward_reply(struct sip_msg *msg);

/* Fills *dst with where replies to req go (see above; a top Via that does
 * not parse: the source address).  Returns SV_OK or SV_EBADMSG (no Via). */
int reply_dest(struct sip_msg *req, struct dest_info *dst);

/* Sends a reply buffer for req to reply_dest(). SV_OK, SV_ESEND ... */
int send_reply_buf(struct sip_msg *req, const char *buf, int len);

/* Sends buf to dst over its transport (UDP). SV_OK, SV_ESEND, SV_EBADADDR. */
int msg_send(const struct dest_info *dst, const char *buf, int len);

#endif /* SERVAL_CORE_FORWARD_H */
