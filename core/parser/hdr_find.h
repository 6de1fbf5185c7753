/*
 * hdr_find.h - finding headers by name ($hdr(Name), $(hdr(Name)[i])) and
 * parsing any header body by its type.
 *
 * Names are compared ignoring case and with compact forms equal to their
 * long names, so $hdr(Via) finds "v:" headers and $hdr(s) finds "Subject".
 */
#ifndef SERVAL_CORE_PARSER_HDR_FIND_H
#define SERVAL_CORE_PARSER_HDR_FIND_H

#include "msg.h"

/*
 * Returns header number idx (0 = first) of those called name, or with a
 * negative idx counted from the last (-1 = last); NULL when there is no such
 * header.  Uses the type chains for known names, so it is cheap for them.
 */
struct hdr_field *get_hdr_by_name(const struct sip_msg *msg, const str *name,
                                  int idx);

/* Returns how many headers are called name. */
int count_hdr_by_name(const struct sip_msg *msg, const str *name);

/*
 * Parses the body of hdr with the parser of its type (Via, To/From/Refer-To/
 * Referred-By, CSeq, Contact, Route/Record-Route/Path,
 * Content-Length, Max-Forwards, Expires, Require/Proxy-Require/Supported/
 * Unsupported, Content-Type).  Returns SV_OK (also for types that have no
 * body parser), or the parse error (msg->err filled).
 */
int parse_hdr_body(struct sip_msg *msg, struct hdr_field *hdr);

/*
 * Parses the body of every header of msg that has a parser.  Returns SV_OK
 * or the first error.
 */
int parse_all_hdr_bodies(struct sip_msg *msg);

#endif /* SERVAL_CORE_PARSER_HDR_FIND_H */
