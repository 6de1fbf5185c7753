/*
 * nameaddr.h - the address part of To, From, Contact, Route, Record-Route
 * (RFC 3261 §20.10, §25.1):
 *
 *   name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
 *   display-name = *(token LWS) / quoted-string
 *   LAQUOT = SWS "<",  RAQUOT = ">" SWS
 *
 * or, where the header allows it, a bare addr-spec, which then ends at LWS,
 * ';' or ','.  A bare addr-spec holding a '?' is malformed: a URI with
 * headers (or with ';' or ',') must be written in <> (RFC 4475 §3.1.2.13).
 * The display name may be followed directly by '<' (RFC 4475 §3.1.1.6); an
 * unquoted display name must be tokens (§3.1.2.15), a quoted one must be
 * terminated (§3.1.2.6), and there is no LWS inside the brackets (§3.1.2.14).
 * The URI itself is only checked for a well-formed scheme here; its syntax
 * is checked when it is parsed (parse_uri()).
 */
#ifndef SERVAL_CORE_PARSER_NAMEADDR_H
#define SERVAL_CORE_PARSER_NAMEADDR_H

#include "../str.h"

struct name_addr {
	str display;   /* as written, quotes included; empty when absent */
	str uri;       /* without the brackets */
	int bracketed; /* the URI was in <> */
};

/*
 * Parses one name-addr (or addr-spec when allow_addr_spec) starting at *pp
 * (LWS before it allowed); *pp is left right after '>' or the addr-spec.
 * Returns SV_OK or SV_EBADMSG.
 */
int parse_nameaddr(char **pp, char *end, struct name_addr *na,
                   int allow_addr_spec);

#endif /* SERVAL_CORE_PARSER_NAMEADDR_H */
