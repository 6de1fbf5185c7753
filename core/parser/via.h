/*
 * via.h - Via header bodies (RFC 3261 §20.42, §18.2.1, RFC 3581 rport).
 *
 *   Via = ( "Via" / "v" ) HCOLON via-parm *( COMMA via-parm )
 *   via-parm = sent-protocol LWS sent-by *( SEMI via-params )
 *   sent-protocol = protocol-name SLASH protocol-version SLASH transport
 *   sent-by = host [ COLON port ]
 *
 * LWS and folds are allowed around '/', ':', ';', '=' and ',' (RFC 4475
 * §3.1.1.1).  One header gives a list of struct via_body, one per value.
 * The well-known parameters are reachable directly (branch, received,
 * rport, i, alias, maddr, ttl); rport may come with or without a value.
 * Parameter values are checked: branch a token, received an IP address,
 * rport a port, ttl 0..255, maddr a host.  The transport is kept as written
 * and mapped to enum sip_proto (PROTO_OTHER for names not known, such as
 * "UNKNOWN" in RFC 4475 §3.1.1.10).
 *
 * msg->via1 is the first value of the first Via header, msg->via2 the next
 * value (same header after a ',' or the next Via header, msg->h_via2).
 */
#ifndef SERVAL_CORE_PARSER_VIA_H
#define SERVAL_CORE_PARSER_VIA_H

#include "msg.h"
#include "params.h"

struct via_body {
	str hdr;             /* this via-parm as written, params included */
	str name;            /* protocol name, "SIP" */
	str version;         /* "2.0" */
	str transport;       /* "UDP", as written */
	int proto;           /* enum sip_proto */
	str host;            /* sent-by host; IPv6 keeps its brackets */
	int host_type;       /* enum host_type */
	str port_str;        /* empty when absent */
	unsigned short port; /* 0 when absent */
	str params;          /* first parameter to the end of the last one */
	struct sip_param *param_lst;
	struct sip_param *last_param;
	struct sip_param *branch, *received, *rport, *i, *alias, *maddr, *ttl;
	struct via_body *next; /* next value of the same header */
};

/*
 * Parses a Via header once; (struct via_body *)hdr->parsed is then the list
 * of its values.  Returns SV_OK, SV_EBADMSG (msg->err filled, 400) or
 * SV_ENOMEM.
 */
int parse_via_header(struct sip_msg *msg, struct hdr_field *hdr);

/*
 * Sets msg->via1 (top Via value).  Returns SV_OK, SV_ENOTFOUND when the
 * message has no Via, or the parse error.
 */
int parse_via1(struct sip_msg *msg);

/*
 * Sets msg->via2 and msg->h_via2 (the second Via value, in the first Via
 * header or the next one).  Returns SV_OK, SV_ENOTFOUND, or the error.
 */
int parse_via2(struct sip_msg *msg);

/* The first value of a parsed Via header. */
static inline struct via_body *hdr_via(const struct hdr_field *h)
{
	return (struct via_body *)h->parsed;
}

#endif /* SERVAL_CORE_PARSER_VIA_H */
