/*
 * num_hdr.h - headers whose value is one number: Content-Length,
 * Max-Forwards, Expires (and Min-Expires).
 *
 *   Content-Length = 1*DIGIT          (framing; parse_msg() parses it)
 *   Max-Forwards   = 1*DIGIT          0..255 (RFC 3261 §20.22)
 *   Expires        = delta-seconds    0..2**32-1 (§20.19)
 *
 * Leading zeros are fine ("0068" is 68).  A value out of range is an error
 * (RFC 4475 §3.1.2.4/§3.1.2.5): the caller decides whether that rejects the
 * message (check_request() does for Max-Forwards) or means a default (a
 * registrar may treat a bad Expires as 3600).
 */
#ifndef SERVAL_CORE_PARSER_NUM_HDR_H
#define SERVAL_CORE_PARSER_NUM_HDR_H

#include "msg.h"

struct num_body {
	unsigned int value;
};

/*
 * Parse hdr (of the type the name says) once and cache a struct num_body in
 * hdr->parsed.  Return SV_OK, or SV_EBADMSG with msg->err filled (400).
 */
int parse_content_length_header(struct sip_msg *msg, struct hdr_field *hdr);
int parse_max_forwards_header(struct sip_msg *msg, struct hdr_field *hdr);
int parse_expires_header(struct sip_msg *msg, struct hdr_field *hdr);

/* The value of a parsed numeric header. */
static inline unsigned int hdr_num(const struct hdr_field *h)
{
	return ((const struct num_body *)h->parsed)->value;
}

/*
 * Parses the first Max-Forwards header of msg.  Returns its value (0..255),
 * SV_ENOTFOUND when there is none, or the parse error.
 */
int get_max_forwards(struct sip_msg *msg);

#endif /* SERVAL_CORE_PARSER_NUM_HDR_H */
