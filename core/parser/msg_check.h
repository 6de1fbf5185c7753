/*
 * msg_check.h - the validity checks the receive path runs on a parsed
 * message before routing it (requests) or relaying it (replies).
 *
 * check_request() makes sure the request can be handled at all (RFC 3261
 * §8.2, §16.3): SIP/2.0 (else 505), the mandatory headers Via, From, To,
 * Call-ID and CSeq present (RFC 4475 §3.3.1), single-valued headers not
 * repeated (§3.3.8), every Via, From, To, CSeq and Max-Forwards parsing,
 * and the Contact of a REGISTER (§3.1.2.13: a registrar stores it; other
 * requests carry it end to end and whoever uses it parses it, so a
 * stateless reply does not pay for it), Content-Length present on stream
 * transports, the CSeq method equal
 * to the request method (§3.1.2.17: 400; for an unknown method, §3.1.2.18:
 * 501 Not Implemented), and a sip/sips/tel Request-URI well-formed and
 * without escaped headers (§3.1.2.11).  It leaves the URI scheme alone: a
 * request for an unknown scheme is well formed, and only routing rejects it
 * (check_ruri_scheme(), 416, §3.3.2/§3.3.3).
 *
 * check_reply() makes sure a reply can be matched and relayed; an invalid
 * reply is not answered, it is dropped, and the check logs why.
 *
 * All fill msg->err (and sv_last_error) on failure so error_route and
 * sl_reply_error() can answer.  They parse headers as a side effect (cached,
 * so later users pay nothing).
 */
#ifndef SERVAL_CORE_PARSER_MSG_CHECK_H
#define SERVAL_CORE_PARSER_MSG_CHECK_H

#include "msg.h"

/*
 * Checks a parsed request as above.  Set msg->rcv first (the transport
 * decides whether Content-Length is mandatory).  Returns SV_OK; SV_EBADVER
 * (505); SV_EBADMSG or SV_EBADURI (400); SV_ENOTIMPL (501); SV_ENOMEM;
 * SV_EINVAL when msg is not a request.
 */
int check_request(struct sip_msg *msg);

/*
 * Checks a parsed reply: SIP/2.0, Via/From/To/Call-ID/CSeq present, single
 * and parsing.  Returns SV_OK, or an error after logging (LM_WARN) that the
 * reply is dropped and why.  SV_EINVAL when msg is not a reply.
 */
int check_reply(struct sip_msg *msg);

/*
 * Checks that the current Request-URI (new_uri if set) is one routing can
 * handle: sip, sips or tel.  Returns SV_OK; SV_EBADSCHEME with msg->err set
 * to 416 Unsupported URI Scheme; SV_EBADURI (400) when it does not parse.
 */
int check_ruri_scheme(struct sip_msg *msg);

#endif /* SERVAL_CORE_PARSER_MSG_CHECK_H */
