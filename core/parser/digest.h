/*
 * digest.h - the parts of Authorization / Proxy-Authorization credentials
 * (RFC 3261 §22.4, RFC 2617 §3.2.2) that routing scripts read: username
 * and realm ($au, $ar, $Au).
 *
 *   Authorization = "Authorization" HCOLON credentials
 *   credentials   = ("Digest" LWS digest-response) / other-response
 *   digest-response = dig-resp *(COMMA dig-resp)
 *   dig-resp      = username / realm / nonce / ... / auth-param
 *
 * Only the Digest scheme is understood; the other parameters are skipped
 * without checking them (an authentication module, when there is one,
 * parses the whole set).  Values are views inside the quotes, escapes
 * (quoted-pair) kept as written.  Nothing is cached or allocated.
 */
#ifndef SERVAL_CORE_PARSER_DIGEST_H
#define SERVAL_CORE_PARSER_DIGEST_H

#include "../str.h"

struct digest_cred {
	str username; /* empty when absent */
	str realm;    /* empty when absent */
};

/*
 * Parses credentials (a header body).  Returns SV_OK; SV_ENOTFOUND for a
 * scheme other than Digest; SV_EBADMSG when malformed.
 */
int parse_digest_cred(const str *body, struct digest_cred *cred);

#endif /* SERVAL_CORE_PARSER_DIGEST_H */
