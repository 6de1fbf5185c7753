/*
 * msg.h - a received SIP message and parse_msg().
 *
 * Parsing is zero-copy and lazy.  parse_msg() does, in one pass over the
 * buffer: the first line (request or status line), the boundaries, names
 * and types of all headers (folds joined, compact forms known), the
 * Content-Length value and the framing of the body.  It parses no header
 * body beyond that: Via, To, From, CSeq, Contact ... are parsed when someone
 * asks (parse_via1(), parse_to_header() ...), each at most once, and the
 * result is cached in the header record.  Every str points into `buf`,
 * which the caller owns and must keep, unmodified, until free_sip_msg().
 *
 * Framing: the body is what Content-Length says; bytes after it are ignored
 * (a UDP datagram may carry trailing junk, RFC 3261 §18.3).  Without
 * Content-Length the body is the rest of the buffer.  A Content-Length
 * larger than what arrived, negative, malformed or given twice with
 * different values makes the message malformed (400).
 *
 * Memory: the header records and every parsed structure come from the
 * message's arena (arena.h): no malloc per header, all freed at once by
 * free_sip_msg().  Because the arena's first block is inside the struct, a
 * parsed sip_msg must not be copied or moved.
 *
 * Errors: a malformed message gets its error record filled (msg->err, see
 * msg_err.h) with the reply code that fits, for error_route and
 * sl_reply_error().  The validity checks the receive path runs before
 * routing are in msg_check.h.
 *
 * A message is used by one process at a time; nothing here locks.
 */
#ifndef SERVAL_CORE_PARSER_MSG_H
#define SERVAL_CORE_PARSER_MSG_H

#include "../ip_addr.h"
#include "../str.h"
#include "arena.h"
#include "hdr.h"
#include "msg_err.h"
#include "uri.h"

enum sip_msg_type { SIP_INVALID = 0, SIP_REQUEST = 1, SIP_REPLY = 2 };

struct msg_start {
	int type; /* enum sip_msg_type; SIP_INVALID when the line is bad */
	int claimed; /* what a bad first line looked like: SIP_REQUEST
	              * unless it starts with "SIP/" (then SIP_REPLY) */
	str line; /* the whole first line, its CRLF included */
	union {
		struct {
			str method;       /* as written; case-sensitive */
			int method_value; /* METHOD_* (method.h) */
			str uri;          /* Request-URI as written */
			str version;      /* "SIP/2.0" */
		} request;
		struct {
			str version;
			str status;     /* the three digits */
			int statuscode; /* 100..699 */
			str reason;     /* may be empty */
		} reply;
	} u;
};

struct via_body;
struct lump;
struct socket_info;

/* core_flags: per-message decisions of the core and script functions */
#define MSG_CF_FORCE_RPORT 0x01   /* force_rport(): answer/relay as if rport */
#define MSG_CF_MAXFWD_DONE 0x02   /* Max-Forwards already decremented */
#define MSG_CF_LOCAL_RPORT 0x04   /* force_local_rport(): ;rport in our Via */

struct sip_msg {
	unsigned int id; /* per-process message number */
	struct msg_start first_line;
	char *buf; /* the message; owned by the caller */
	int len;   /* bytes of buf that belong to it */

	struct hdr_field *headers; /* all headers, in order */
	struct hdr_field *last_header;
	int hdr_count;
	char *eoh; /* the empty line ending the headers */
	str body;  /* framed by Content-Length */

	/* first header of each well-known type (siblings chain the rest) */
	struct hdr_field *h_via1, *h_via2;
	struct hdr_field *callid, *to, *from, *cseq;
	struct hdr_field *content_length, *content_type;
	struct hdr_field *max_forwards, *contact, *expires;
	struct hdr_field *route, *record_route, *path;
	struct hdr_field *require, *proxy_require, *supported, *unsupported;
	struct hdr_field *allow, *event, *accept, *accept_language;
	struct hdr_field *authorization, *proxy_auth;
	struct hdr_field *www_authenticate, *proxy_authenticate;
	struct hdr_field *user_agent, *server, *subject, *organization;
	struct hdr_field *priority, *date, *retry_after, *content_disposition;
	struct hdr_field *diversion, *rpid, *refer_to, *session_expires;
	struct hdr_field *min_se, *ppi, *pai, *privacy, *call_info;

	struct via_body *via1; /* top Via value, after parse_via1() */
	struct via_body *via2; /* second Via value, after parse_via2() */

	struct receive_info rcv; /* filled by the receive path */
	struct msg_error err;    /* what is wrong, if anything */

	/* filled by later layers */
	str new_uri;             /* R-URI rewritten by the script (owned) */
	str dst_uri;             /* next hop forced by the script (owned) */
	int parsed_uri_ok;       /* parsed_uri is valid for the current R-URI */
	int parsed_orig_ruri_ok; /* parsed_orig_ruri is valid */
	unsigned int flags;      /* message (script) flags */
	unsigned int ruri_bflags; /* branch flags of the R-URI branch */
	struct lump *lumps;      /* pending edits, core/lump.h (arena) */
	struct socket_info *force_send_socket; /* force_send_socket() */
	unsigned int core_flags; /* MSG_CF_* below */
	str adv_address;         /* set_advertised_address(): our Via host */
	str adv_port;            /* set_advertised_port(): our Via port */

	/*
	 * Not cleared per message (they are large): valid only while their
	 * *_ok flag above is set.
	 */
	struct sip_uri parsed_uri;       /* cache of parse_sip_msg_uri() */
	struct sip_uri parsed_orig_ruri; /* the R-URI as received */

	struct msg_arena arena; /* memory of everything parsed */
};

/*
 * Parses buf[0..len) into *msg: first line, header boundaries and types,
 * Content-Length and body framing.  msg is (re)initialised, rcv included
 * (the receive path sets msg->rcv afterwards); the two large URI caches are
 * only marked invalid.  buf must stay valid
 * and unmodified until free_sip_msg(); it needs no NUL terminator and is
 * never read past len.
 * Returns SV_OK; SV_EBADMSG or SV_ETOOBIG with msg->err filled when the
 * message is malformed; SV_ENOMEM.  In every case free_sip_msg() must be
 * called afterwards.  When only the first line is malformed, the headers
 * are still scanned (best effort, their own errors ignored) so that the
 * receive path can answer a broken request with a 400 that copies its
 * Via, From, To, Call-ID and CSeq; first_line.claimed says what it was.
 */
int parse_msg(char *buf, int len, struct sip_msg *msg);

/*
 * Releases everything parse_msg() and the lazy parsers allocated, and the
 * new_uri/dst_uri copies.  Does not free buf.  msg may then be reused.
 */
void free_sip_msg(struct sip_msg *msg);

/* Records an out-of-memory error in msg; returns NULL (for msg_alloc). */
void *msg_alloc_failed(struct sip_msg *msg);

/*
 * Returns size zeroed bytes from the message's arena (freed with the
 * message), or NULL after recording an out-of-memory error in msg.
 */
static inline void *msg_alloc(struct sip_msg *msg, size_t size)
{
	void *p = arena_alloc(&msg->arena, size);

	return p ? p : msg_alloc_failed(msg);
}

/* Is the message a request / a reply. */
static inline int msg_is_request(const struct sip_msg *msg)
{
	return msg->first_line.type == SIP_REQUEST;
}

static inline int msg_is_reply(const struct sip_msg *msg)
{
	return msg->first_line.type == SIP_REPLY;
}

/* The request method id (METHOD_*), METHOD_UNDEF for replies. */
static inline int msg_method(const struct sip_msg *msg)
{
	return msg_is_request(msg) ? msg->first_line.u.request.method_value : 0;
}

#define REQ_LINE(msg)   ((msg)->first_line.u.request)
#define REPLY_LINE(msg) ((msg)->first_line.u.reply)

/* Number of headers of known type t (walks the sibling chain). */
int msg_hdr_count(const struct sip_msg *msg, int type);

/* First header of known type t, or NULL. */
struct hdr_field *msg_first_hdr(const struct sip_msg *msg, int type);

#endif /* SERVAL_CORE_PARSER_MSG_H */
