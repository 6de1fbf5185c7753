/*
 * uri.h - SIP, SIPS, tel and other URIs (RFC 3261 §19.1, RFC 3966).
 *
 * parse_uri() fills a struct sip_uri with views into the URI text; it never
 * allocates, so it works on any buffer (the receive buffer, a script string,
 * a shm clone).  Components keep their escapes as written: "sip:%75ser@h"
 * has user "%75ser".  Comparing userinfo (uri_user_eq()) or whole URIs
 * (uri_eq(), RFC 3261 §19.1.4) decodes escapes on the fly, so an escaped
 * component equals its unescaped form, and uri_unescape() decodes into a
 * caller buffer with a length (a %00 stays a NUL byte inside the length; it
 * never truncates).
 *
 * Well-known parameters are located during the parse in OpenSER's layout:
 * `transport` is the whole "transport=tcp" span, `transport_val` its value
 * (both empty when absent).  A parameter name written with escapes
 * (";%6C%72") is recognised by its decoded name.  Other parameters are found
 * with uri_find_param() or walked with struct uri_param_iter.
 *
 * Schemes other than sip/sips/tel are accepted as URI_OTHER with their
 * opaque part, so a message carrying them parses; whether such a Request-URI
 * can be routed is decided elsewhere (check_ruri_scheme(), 416).
 */
#ifndef SERVAL_CORE_PARSER_URI_H
#define SERVAL_CORE_PARSER_URI_H

#include "../str.h"

/* what a host (of a URI, a Via sent-by ...) is */
enum host_type { HOST_NONE = 0, HOST_NAME = 1, HOST_IPV4 = 2, HOST_IPV6 = 3 };

enum uri_type { URI_NONE = 0, URI_SIP, URI_SIPS, URI_TEL, URI_TELS, URI_OTHER };

struct sip_uri {
	int type;               /* enum uri_type */
	str text;               /* the whole URI */
	str scheme;             /* without the ':' */
	str user;               /* as written (escaped); tel: the number */
	str passwd;             /* as written; empty when absent */
	str host;               /* IPv6 references keep their brackets */
	int host_type;          /* enum host_type */
	str port;               /* digits as written; empty when absent */
	unsigned short port_no; /* 0 when absent */
	str params;             /* after the ';', up to '?' or the end */
	str headers;            /* after the '?' */
	str opaque;             /* URI_OTHER: everything after "scheme:" */
	str transport, transport_val;
	str ttl, ttl_val;
	str user_param, user_param_val;
	str maddr, maddr_val;
	str method, method_val;
	str lr, lr_val;
	str r2, r2_val;
	int proto; /* transport_val as enum sip_proto, or PROTO_NONE */
};

/*
 * Parses the URI [s, s+len) into *u (fully overwritten).  Returns SV_OK, or
 * SV_EBADURI when it is malformed (bad scheme, bad characters or escapes in
 * a component, empty host, port > 65535, bad IPv6 reference, LWS ...).
 */
int parse_uri(const char *s, int len, struct sip_uri *u);

/* Walks the parameters of a URI: name and value (empty when absent). */
struct uri_param_iter {
	const char *p;
	const char *end;
};

/* Starts a walk over params (a struct sip_uri's `params`). */
void uri_param_iter_init(struct uri_param_iter *it, const str *params);

/*
 * Fetches the next parameter into *name and *value (value.len 0 and
 * value.s NULL when there is no '=').  Returns 1 when one was fetched, 0 at
 * the end.  The params must have been validated by parse_uri().
 */
int uri_param_iter_next(struct uri_param_iter *it, str *name, str *value);

/*
 * Looks up parameter `name` (compared ignoring case, escapes decoded) in
 * u->params.  Returns SV_OK and sets *value (may be empty) when present,
 * SV_ENOTFOUND otherwise.
 */
int uri_find_param(const struct sip_uri *u, const char *name, str *value);

/*
 * Decodes %HH escapes of in into out (size bytes).  Returns the decoded
 * length (out is not NUL terminated; decoded NULs are kept), SV_EBADURI on a
 * '%' not followed by two hex digits, SV_ETOOBIG when out is too small.
 */
int uri_unescape(const str *in, char *out, int size);

/*
 * Compares two userinfo components (user or password) as RFC 3261 §19.1.4
 * says: case-sensitively, with an escaped character equal to the character
 * itself unless it is a reserved one (";/?:@&=+$,").  Returns 1 when equal,
 * 0 when not (a malformed escape compares as the literal bytes).
 */
int uri_user_eq(const str *a, const str *b);

/*
 * Compares two parsed URIs by RFC 3261 §19.1.4: same scheme; userinfo with
 * uri_user_eq(); host, scheme and parameters ignoring case; an explicit port
 * differs from an absent one; user, ttl, method, maddr and transport
 * parameters must be in both or neither, other parameters must match where
 * both have them; headers must all match.  Returns 1 equal, 0 different.
 */
int uri_eq(const struct sip_uri *a, const struct sip_uri *b);

/*
 * Parses both strings and compares them with uri_eq().  Returns 1 equal,
 * 0 different, SV_EBADURI when either does not parse.
 */
int uri_str_eq(const str *a, const str *b);

#endif /* SERVAL_CORE_PARSER_URI_H */
