/*
 * opt_tags.h - headers that list option tags: Require, Proxy-Require,
 * Supported, Unsupported (RFC 3261 §20.29, §20.32, §20.37, §20.40):
 *
 *   Require = "Require" HCOLON option-tag *(COMMA option-tag)
 *   Supported = ( "Supported" / "k" ) HCOLON [option-tag *(COMMA option-tag)]
 *
 * A proxy answers 420 Bad Extension listing the Proxy-Require tags it does
 * not know (RFC 4475 §3.3.5); this gives it the tags.  Only Supported may be
 * empty.
 */
#ifndef SERVAL_CORE_PARSER_OPT_TAGS_H
#define SERVAL_CORE_PARSER_OPT_TAGS_H

#include "msg.h"

struct opt_tags {
	int count; /* number of tags */
	str *tags; /* count views, in order */
};

/*
 * Parses an option-tag list header once; the result is (struct opt_tags *)
 * hdr->parsed.  Returns SV_OK, SV_EBADMSG (msg->err filled, 400) or
 * SV_ENOMEM.
 */
int parse_opt_tags_header(struct sip_msg *msg, struct hdr_field *hdr);

/* Returns 1 when tags holds tag (ignoring case), else 0. */
int opt_tags_has(const struct opt_tags *tags, const char *tag);

#endif /* SERVAL_CORE_PARSER_OPT_TAGS_H */
