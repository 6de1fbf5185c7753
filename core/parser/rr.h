/*
 * rr.h - Route, Record-Route and Path headers (RFC 3261 §20.30, §20.34,
 * RFC 3327): comma-separated lists of name-addr (the URI always in <>),
 * each with header parameters.
 *
 * Each header gives a list of struct rr.  The URI of an entry is parsed on
 * demand and cached in the entry (rr_uri()), which is how loose routing
 * finds the lr parameter: rr_uri(msg, r, &u) then u->lr.s != NULL.
 */
#ifndef SERVAL_CORE_PARSER_RR_H
#define SERVAL_CORE_PARSER_RR_H

#include "msg.h"
#include "params.h"
#include "uri.h"

struct rr {
	str display; /* as written, quotes included */
	str uri;     /* without <> */
	str full;    /* the whole route-param as written */
	struct sip_param *params;
	struct sip_param *last_param;
	struct sip_uri *parsed_uri; /* after rr_uri(); arena memory */
	int uri_state;              /* 0 not parsed, 1 parsed, <0 error */
	struct rr *next;            /* next entry of the same header */
};

/*
 * Parses a Route, Record-Route or Path header once; the result is the list
 * (struct rr *)hdr->parsed.  Returns SV_OK, SV_EBADMSG (msg->err filled,
 * 400) or SV_ENOMEM.
 */
int parse_rr_header(struct sip_msg *msg, struct hdr_field *hdr);

/*
 * Parses every header of type (HDR_ROUTE_T, HDR_RECORDROUTE_T or
 * HDR_PATH_T).  Returns the number of entries, or the first error.
 */
int parse_rr_headers(struct sip_msg *msg, int type);

/*
 * Parses the URI of an entry of msg once (cached in the entry) and sets
 * *uri.  Returns SV_OK, SV_EBADURI or SV_ENOMEM.
 */
int rr_uri(struct sip_msg *msg, struct rr *r, struct sip_uri **uri);

/*
 * Returns 1 when the entry's URI has the lr parameter, 0 when not, or the
 * error of rr_uri().
 */
int rr_is_loose(struct sip_msg *msg, struct rr *r);

static inline struct rr *hdr_rr(const struct hdr_field *h)
{
	return (struct rr *)h->parsed;
}

#endif /* SERVAL_CORE_PARSER_RR_H */
