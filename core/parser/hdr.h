/*
 * hdr.h - header fields: their types, names and the record parse_msg() keeps
 * for each header line.
 *
 * A struct hdr_field is a set of views into the receive buffer:
 *
 *     name.s                 body.s              body.s+body.len
 *     v                      v                   v
 *     Via  :  SIP/2.0/UDP h1;branch=z9hG4bK1   \r\n
 *     ^------------------------------------------^ len (incl. the line end)
 *
 * The whole field, folds and its CRLF included, is [name.s, name.s + len),
 * which is what a rewriter deletes or inserts around.  The body is trimmed
 * of LWS on both sides; folded lines stay inside it as they were written.
 *
 * The body is parsed only on demand (parse_via_header(), parse_to_header()
 * ...) and at most once: the result is cached in `parsed` (arena memory) and
 * `pstate` remembers success or the error so a bad header is not parsed
 * twice either.
 *
 * Header names are case-insensitive and several have a compact form (RFC
 * 3261 §7.3.3 and later RFCs): i Call-ID, m Contact, e Content-Encoding,
 * l Content-Length, c Content-Type, f From, s Subject, k Supported, t To,
 * v Via, o Event, r Refer-To, b Referred-By, u Allow-Events, x
 * Session-Expires, y Identity, n Identity-Info, a Accept-Contact,
 * j Reject-Contact, d Request-Disposition.
 */
#ifndef SERVAL_CORE_PARSER_HDR_H
#define SERVAL_CORE_PARSER_HDR_H

#include "../str.h"

enum hdr_type {
	HDR_ERROR_T = -1,
	HDR_OTHER_T = 0, /* any header not listed here */
	HDR_VIA_T,
	HDR_TO_T,
	HDR_FROM_T,
	HDR_CSEQ_T,
	HDR_CALLID_T,
	HDR_CONTACT_T,
	HDR_MAXFORWARDS_T,
	HDR_ROUTE_T,
	HDR_RECORDROUTE_T,
	HDR_PATH_T,
	HDR_CONTENTTYPE_T,
	HDR_CONTENTLENGTH_T,
	HDR_CONTENTENCODING_T,
	HDR_CONTENTDISPOSITION_T,
	HDR_AUTHORIZATION_T,
	HDR_PROXYAUTH_T,
	HDR_WWW_AUTHENTICATE_T,
	HDR_PROXY_AUTHENTICATE_T,
	HDR_EXPIRES_T,
	HDR_MIN_EXPIRES_T,
	HDR_SUPPORTED_T,
	HDR_REQUIRE_T,
	HDR_PROXYREQUIRE_T,
	HDR_UNSUPPORTED_T,
	HDR_ALLOW_T,
	HDR_EVENT_T,
	HDR_ALLOW_EVENTS_T,
	HDR_ACCEPT_T,
	HDR_ACCEPTLANGUAGE_T,
	HDR_ACCEPTENCODING_T,
	HDR_ORGANIZATION_T,
	HDR_PRIORITY_T,
	HDR_SUBJECT_T,
	HDR_USERAGENT_T,
	HDR_SERVER_T,
	HDR_DATE_T,
	HDR_RETRY_AFTER_T,
	HDR_WARNING_T,
	HDR_CALL_INFO_T,
	HDR_DIVERSION_T,
	HDR_RPID_T,
	HDR_REFER_TO_T,
	HDR_REFERRED_BY_T,
	HDR_SESSION_EXPIRES_T,
	HDR_MIN_SE_T,
	HDR_PPI_T,
	HDR_PAI_T,
	HDR_PRIVACY_T,
	HDR_RSEQ_T,
	HDR_RACK_T,
	HDR_IDENTITY_T,
	HDR_IDENTITY_INFO_T,
	HDR_NUM_T /* number of types, not a type */
};

/* pstate of a header: not parsed yet, parsed; negative = the parse error. */
#define HDR_UNPARSED 0
#define HDR_PARSED   1

struct hdr_field {
	int type;                  /* enum hdr_type */
	str name;                  /* as written, without LWS and ':' */
	str body;                  /* value, LWS-trimmed, folds kept */
	int len;                   /* whole field, line end included */
	int pstate;                /* HDR_UNPARSED, HDR_PARSED or SV_E* */
	void *parsed;              /* parsed body (arena), type-specific */
	struct hdr_field *next;    /* next header in message order */
	struct hdr_field *sibling; /* next header of the same known type */
};

/* First byte of the whole field. */
static inline char *hdr_start(const struct hdr_field *h)
{
	return h->name.s;
}

/* One past the last byte of the field (after its CRLF). */
static inline char *hdr_end(const struct hdr_field *h)
{
	return h->name.s + h->len;
}

/*
 * Returns the type of a header name (any case, compact forms included),
 * HDR_OTHER_T for names that are not known.
 */
int hdr_type_from_name(const char *name, int len);

/*
 * Returns the canonical long name of a known type ("Call-ID"), or NULL for
 * HDR_OTHER_T and invalid values.
 */
const char *hdr_type_name(int type);

/*
 * Returns 1 when two header names denote the same header: equal ignoring
 * case, or one is the compact form of the other ("v" and "Via", "s" and
 * "subject" ...).  Returns 0 otherwise.
 */
int hdr_name_eq(const str *a, const str *b);

#endif /* SERVAL_CORE_PARSER_HDR_H */
