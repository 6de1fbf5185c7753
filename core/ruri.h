/*
 * ruri.h - rewriting the Request-URI (rewriteuser, sethost, prefix, strip
 * ... and the $rU/$rd/$rp setters).
 *
 * The current R-URI (msg_ruri()) is parsed, one part is replaced and the
 * URI is printed again in the order scheme ":" [user [":" password] "@"]
 * host [":" port] [";" params] ["?" headers]; the result becomes the new
 * R-URI (set_new_uri(): a private copy, the parse cache invalidated).  The
 * other parts are kept byte for byte, escapes included.  Only sip: and
 * sips: URIs can have their parts rewritten; RURI_WHOLE takes anything
 * that parses as a URI.
 */
#ifndef SERVAL_CORE_RURI_H
#define SERVAL_CORE_RURI_H

#include "str.h"

struct sip_msg;

enum ruri_part {
	RURI_WHOLE = 1, /* rewriteuri / seturi / $ru */
	RURI_USER,      /* rewriteuser / $rU: empty removes the user */
	RURI_USERPASS,  /* rewriteuserpass: "user:pass" */
	RURI_HOST,      /* rewritehost / $rd */
	RURI_HOSTPORT,  /* rewritehostport: "host[:port]" */
	RURI_PORT       /* rewriteport / $rp: empty removes the port */
};

#define RURI_MAX 1024 /* longest R-URI a rewrite produces */

/*
 * Replaces part of the R-URI of request msg with val.  Returns SV_OK;
 * SV_EBADURI when the current R-URI or the result does not parse (or is
 * not sip/sips for a part rewrite); SV_EINVAL for msg not a request or an
 * empty host; SV_ETOOBIG; SV_ENOMEM.  The R-URI is unchanged on error.
 */
int ruri_rewrite(struct sip_msg *msg, int part, const str *val);

/* Prepends p to the user part (prefix()).  Returns as ruri_rewrite(). */
int ruri_prefix(struct sip_msg *msg, const str *p);

/*
 * Removes the first (tail=0) or last (tail=1) n characters of the user
 * part (strip(), strip_tail()); a user of n characters or less is
 * removed.  Returns as ruri_rewrite().
 */
int ruri_strip(struct sip_msg *msg, int n, int tail);

#endif /* SERVAL_CORE_RURI_H */
