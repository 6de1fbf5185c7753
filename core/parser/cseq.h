/*
 * cseq.h - the CSeq header (RFC 3261 §20.16):
 *
 *   CSeq = "CSeq" HCOLON 1*DIGIT LWS Method
 *
 * The number must fit 32 bits (2**32-1, RFC 4475 §3.1.2.4); leading zeros
 * are fine ("0009").  The method is a token, compared case-sensitively to
 * the request method by check_request().
 */
#ifndef SERVAL_CORE_PARSER_CSEQ_H
#define SERVAL_CORE_PARSER_CSEQ_H

#include "msg.h"

struct cseq_body {
	str number;       /* digits as written */
	unsigned int num; /* their value */
	str method;       /* as written */
	int method_id;    /* METHOD_* (method.h) */
};

/*
 * Parses the first CSeq header of msg once.  Returns SV_OK, SV_ENOTFOUND
 * when there is none, SV_EBADMSG (msg->err filled, 400) or SV_ENOMEM.
 */
int parse_cseq_header(struct sip_msg *msg);

/* Parses any CSeq header; same results as parse_cseq_header(). */
int parse_cseq_hdr(struct sip_msg *msg, struct hdr_field *hdr);

#define get_cseq(msg) ((struct cseq_body *)(msg)->cseq->parsed)

#endif /* SERVAL_CORE_PARSER_CSEQ_H */
