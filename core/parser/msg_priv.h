/*
 * msg_priv.h - what the files of core/parser/ share about parsing a message
 * and caching header bodies; not for use outside core/parser/.
 */
#ifndef SERVAL_CORE_PARSER_MSG_PRIV_H
#define SERVAL_CORE_PARSER_MSG_PRIV_H

#include "../errors.h"
#include "msg.h"

/* At most this many headers per message (more: 513 Message Too Large). */
#define MSG_MAX_HEADERS 1024

/*
 * Parses the first line at *pp (leading CRLFs already skipped): request or
 * status line, up to and including its line end; *pp is left after it.
 * Returns SV_OK or SV_EBADMSG with msg->err filled.
 */
int parse_first_line(struct sip_msg *msg, char **pp, char *end);

/*
 * Finds every header between p and the empty line (or end): builds the
 * header list, the first-of-type pointers and the sibling chains, and sets
 * msg->eoh.  *body is set to the first byte after the empty line (end when
 * there is none).  Returns SV_OK, SV_EBADMSG (malformed header line),
 * SV_ETOOBIG (more than MSG_MAX_HEADERS) or SV_ENOMEM, with msg->err filled.
 */
int scan_headers(struct sip_msg *msg, char *p, char *end, char **body);

/*
 * The slot in msg that points at the first header of type t, or NULL for
 * types without a named slot (HDR_OTHER_T, HDR_MIN_EXPIRES_T ...).
 */
struct hdr_field **msg_first_slot(struct sip_msg *msg, int type);

/*
 * Parses the URI text once into a URI allocated from msg's arena and cached
 * in *cache, with the outcome in *state (0 not tried, 1 parsed, <0 error).
 * Sets *out.  Returns SV_OK, SV_EBADURI or SV_ENOMEM.
 */
int msg_cached_uri(struct sip_msg *msg, const str *text, struct sip_uri **cache,
                   int *state, struct sip_uri **out);

/* Lazy-parse caching: has hdr been parsed (successfully or not) already? */
static inline int hdr_tried(const struct hdr_field *h)
{
	return h->pstate != HDR_UNPARSED;
}

/* The cached outcome of an earlier parse: SV_OK or the error it gave. */
static inline int hdr_cached_rc(const struct hdr_field *h)
{
	return h->pstate == HDR_PARSED ? SV_OK : h->pstate;
}

/* Stores the outcome of a parse in hdr and returns rc. */
static inline int hdr_store(struct hdr_field *h, void *parsed, int rc)
{
	if (rc == SV_OK) {
		h->parsed = parsed;
		h->pstate = HDR_PARSED;
	} else {
		h->parsed = NULL;
		h->pstate = rc;
	}
	return rc;
}

/* The body of hdr as a [p, end) range. */
static inline char *hdr_body_end(const struct hdr_field *h)
{
	return h->body.s + h->body.len;
}

#endif /* SERVAL_CORE_PARSER_MSG_PRIV_H */
