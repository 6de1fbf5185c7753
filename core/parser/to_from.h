/*
 * to_from.h - To, From and the other single-address headers (P-Asserted-
 * Identity, Refer-To, Remote-Party-ID, Diversion ... when single-valued):
 *
 *   To = ( "To" / "t" ) HCOLON ( name-addr / addr-spec ) *( SEMI to-param )
 *
 * The parsed body (struct to_body, OpenSER's name) keeps the display name,
 * the URI, the tag and every parameter as views into the message.  The URI
 * is parsed separately and on demand (parse_to_uri(), parse_from_uri()) so a
 * To of an unknown scheme (RFC 4475 §3.3.4) does not fail the header.
 * A second value after a ',' is malformed: these headers hold one address.
 */
#ifndef SERVAL_CORE_PARSER_TO_FROM_H
#define SERVAL_CORE_PARSER_TO_FROM_H

#include "msg.h"
#include "params.h"
#include "uri.h"

struct to_body {
	str body;      /* the whole header value */
	str display;   /* as written, quotes included */
	str uri;       /* without <> */
	str tag_value; /* empty when there is no tag */
	struct sip_param *param_lst;
	struct sip_param *last_param;
	struct sip_param *tag;      /* the tag parameter, or NULL */
	struct sip_uri *parsed_uri; /* after to_body_uri(); arena memory */
	int uri_state;              /* 0 not parsed, 1 parsed, <0 error */
};

/*
 * Parses an address header body (any To-like header) once; the result is
 * (struct to_body *)hdr->parsed.  Returns SV_OK, SV_EBADMSG (msg->err
 * filled, 400) or SV_ENOMEM.
 */
int parse_to_body_hdr(struct sip_msg *msg, struct hdr_field *hdr);

/*
 * Parse the first To / From header of msg.  Return SV_OK, SV_ENOTFOUND
 * when there is none, or the parse error.
 */
int parse_to_header(struct sip_msg *msg);
int parse_from_header(struct sip_msg *msg);

#define get_to(msg)   ((struct to_body *)(msg)->to->parsed)
#define get_from(msg) ((struct to_body *)(msg)->from->parsed)

/*
 * Parses the URI of a to_body of msg once, caching it in tb->parsed_uri,
 * and sets *uri.  Returns SV_OK, SV_EBADURI or SV_ENOMEM.
 */
int to_body_uri(struct sip_msg *msg, struct to_body *tb, struct sip_uri **uri);

/*
 * Parse the To / From header and its URI; *uri points at the cached parse.
 * Return SV_OK, SV_ENOTFOUND, SV_EBADMSG or SV_EBADURI (msg->err filled).
 */
int parse_to_uri(struct sip_msg *msg, struct sip_uri **uri);
int parse_from_uri(struct sip_msg *msg, struct sip_uri **uri);

#endif /* SERVAL_CORE_PARSER_TO_FROM_H */
