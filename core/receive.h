/*
 * receive.h - the entry point for every received SIP message.
 *
 * A transport (udp.c) calls receive_msg() with the datagram and where it
 * came from.  With a routing script active (cfg_set_active()):
 *
 *   requests  parse_msg, check_request; pre-script callbacks; the main
 *             route; post-script callbacks.  A malformed request, or one a
 *             function of the main route found malformed (msg->err set
 *             while the route ran), goes to error_route when the script
 *             has one ($err.* describe the problem), else serval answers
 *             it with msg->err's code and reason (never an ACK).
 *   replies   parse_msg, check_reply (a bad reply is dropped); pre-script
 *             callbacks; the global onreply_route (`drop` there discards
 *             a provisional reply only); the modules' response hooks
 *             (tm); unless one consumed it, stateless relay to the second
 *             Via; post-script callbacks.
 *
 * After each message the per-message AVP list (unless a module took it)
 * and the destination set are cleared.  Without a script every message is
 * dropped with a debug line.
 *
 * Statistics (core:): rcv_requests/rcv_replies for every message whose
 * first line parsed; err_requests/err_replies for malformed ones, with
 * bad_URIs_rcvd (bad Request-URI), unsupported_methods (501) or
 * bad_msg_hdr (any other malformed request but a bad SIP version);
 * drop_requests for requests stopped by a pre-script callback or by
 * `drop` in the main route; drop_replies for replies dropped by
 * check_reply or onreply_route (the relay counts its own
 * fwd_replies/drop_replies).
 *
 * The buffer belongs to the transport and stays valid (and is followed by
 * a NUL byte) for the duration of the call.
 */
#ifndef SERVAL_CORE_RECEIVE_H
#define SERVAL_CORE_RECEIVE_H

#include "ip_addr.h"

struct sip_msg;

/*
 * Processes one message.  Returns SV_OK when it was handled or dropped on
 * purpose, an error code when it could not be processed (already logged
 * and counted).
 */
int receive_msg(char *buf, int len, struct receive_info *ri);

/*
 * Handles a malformed request (msg->err says what is wrong): counts it,
 * then runs error_route if the active script has one, else answers with
 * msg->err's rcode/rreason (400 when none) unless it is an ACK.  Returns
 * SV_OK, or the error of building/sending the reply.  receive.c, tests.
 */
int receive_bad_request(struct sip_msg *msg);

/*
 * Sends the automatic reply to a malformed request: msg->err.rcode and
 * rreason (400 "Bad Request" when unset), a To tag derived from the
 * request.  Nothing is sent for an ACK (SV_OK).  Returns SV_OK, SV_EBADMSG
 * when the request lacks what a reply copies (Via, From, To, Call-ID,
 * CSeq), SV_ETOOBIG, SV_ESEND.
 */
int receive_auto_reply(struct sip_msg *msg);

/*
 * RFC 3261 §16.3 step 4: serval supports no extension a Proxy-Require can
 * name, so a request (not ACK or CANCEL) carrying one is answered
 * 420 Bad Extension with an Unsupported header listing its tags, before
 * the script runs.  Returns 1 when the request was answered (or could not
 * be: its Proxy-Require is malformed), 0 when it goes on.
 */
int receive_check_proxy_require(struct sip_msg *msg);

#endif /* SERVAL_CORE_RECEIVE_H */
