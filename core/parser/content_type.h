/*
 * content_type.h - the Content-Type header (RFC 3261 §20.15):
 *
 *   Content-Type = ( "Content-Type" / "c" ) HCOLON media-type
 *   media-type = m-type SLASH m-subtype *( SEMI m-parameter )
 *
 * Type and subtype are tokens kept as written (compare them ignoring case);
 * an unknown type is fine (RFC 4475 §3.3.6).
 */
#ifndef SERVAL_CORE_PARSER_CONTENT_TYPE_H
#define SERVAL_CORE_PARSER_CONTENT_TYPE_H

#include "msg.h"
#include "params.h"

struct content_type {
	str type;    /* "application" */
	str subtype; /* "sdp" */
	struct sip_param *params;
	struct sip_param *last_param;
};

/*
 * Parses the first Content-Type header of msg once.  Returns SV_OK,
 * SV_ENOTFOUND when there is none, SV_EBADMSG (msg->err filled, 400) or
 * SV_ENOMEM.
 */
int parse_content_type_header(struct sip_msg *msg);

/* Parses any Content-Type header; same results. */
int parse_content_type_hdr(struct sip_msg *msg, struct hdr_field *hdr);

/* Returns 1 when ct is type/subtype (ignoring case), else 0. */
int content_type_is(const struct content_type *ct, const char *type,
                    const char *subtype);

#define get_content_type(msg)                                                  \
	((struct content_type *)(msg)->content_type->parsed)

#endif /* SERVAL_CORE_PARSER_CONTENT_TYPE_H */
