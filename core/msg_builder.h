/*
 * msg_builder.h - printing outgoing requests and local replies.
 *
 * build_request() turns a received request (with the edits recorded on it,
 * core/lump.h) into the request to send on: the Request-URI replaced when
 * the script rewrote it, our Via inserted on top (with the branch the caller
 * chose), received/rport added to the previous top Via as RFC 3261 §18.2.1
 * and RFC 3581 say, Max-Forwards decremented (or added with 70) unless a
 * script function already did it.
 *
 * build_reply() makes a reply to a received request: status line, every Via
 * in order (the top one with received/rport as for forwarding), From, To
 * (with a to-tag added when the request had none), Call-ID, CSeq,
 * Record-Route for 180-299, the caller's extra headers, Server, Content-
 * Length and body.
 *
 * Both write into a caller-supplied buffer (pkg or stack) and return its
 * length; nothing is allocated outside the message arena.
 */
#ifndef SERVAL_CORE_MSG_BUILDER_H
#define SERVAL_CORE_MSG_BUILDER_H

#include "str.h"

struct sip_msg;
struct socket_info;

#define MAX_FORWARDS_DEFAULT 70
#define SIP_MSG_MAX 65535       /* largest message serval prints */
#define BRANCH_MAX 128          /* longest Via branch value serval makes */
#define MAGIC_COOKIE "z9hG4bK"
#define MAGIC_COOKIE_LEN 7

struct req_build {
	const str *ruri;         /* Request-URI to write; NULL: msg_ruri() */
	const struct socket_info *send_sock;  /* its address goes in our Via */
	const str *branch;       /* our Via's branch parameter value */
	int keep_maxfwd;         /* 1: leave Max-Forwards alone */
};

/*
 * Prints the request to forward into out (capacity size).  Returns its
 * length; SV_EINVAL when the message has no Via; SV_EHOPS when its
 * Max-Forwards is already 0 (483); SV_ETOOBIG; SV_ENOMEM.
 * Every LUMP_BRANCH edit (the ones this call adds, and a tm branch_route's)
 * is applied and then dropped; the script's other edits stay.
 */
int build_request(struct sip_msg *msg, const struct req_build *rb, char *out,
                  int size);

struct reply_build {
	int code;                /* 100..999 (sl allows 100..699) */
	const str *reason;
	const str *to_tag;       /* added when To has no tag; NULL: none */
	const str *hdrs;         /* extra header lines, each ending in CRLF */
	const str *body;         /* NULL or empty: no body */
};

/*
 * Prints a reply to request req into out.  Returns its length, SV_EBADMSG
 * when req has no Via, SV_EINVAL when the code is not 100..999 (three
 * digits, the Status-Code grammar of RFC 3261 §25.1; callers restrict it
 * to the classes they allow),
 * SV_ETOOBIG.  A malformed request is answered too: headers it lacks are
 * left out, a To or top Via that does not parse is copied without to-tag
 * or received/rport.  req is not changed (beyond the parse of its top Via
 * and To).
 */
int build_reply(struct sip_msg *req, const struct reply_build *rb, char *out,
                int size);

/*
 * Writes into out the parameters to append to the top Via of req: the
 * ";received=<ip>" it needs (sent-by differs from the source address, or
 * rport asked) and ";rport=<port>" (rport asked or forced).  Existing
 * received/rport parameters of that Via are recorded as deleted on the
 * message (flags as given, e.g. LUMP_BRANCH) so the new ones replace them.
 * Returns the length written (0: nothing to add) or an error code.
 */
int via_received_params(struct sip_msg *req, char *out, int size,
                        unsigned lump_flags);

/*
 * Computes the branch a stateless proxy puts in its Via (RFC 3261 §16.11):
 * a function of the top Via's branch and sent-by when it carries the magic
 * cookie, else of Call-ID, CSeq number, From tag, original R-URI and top
 * Via, so a retransmission, its CANCEL and the ACK of a negative reply get
 * the same one.  Writes it into out (BRANCH_MAX) and returns its length.
 */
int stateless_branch(struct sip_msg *msg, char *out);

/*
 * Writes "Server: ...\r\n" as configured (server_signature, server_header)
 * into out; returns the length (0 when disabled) or SV_ETOOBIG.
 */
int server_header_line(char *out, int size);

#endif /* SERVAL_CORE_MSG_BUILDER_H */
