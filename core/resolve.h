/*
 * resolve.h - from a host name or a SIP URI to an address to send to.
 *
 * IP literals need no lookup.  Names are resolved to their first A/AAAA
 * address with getaddrinfo(3), which blocks the calling process for as
 * long as the system resolver takes (bounded by resolv.conf's timeout and
 * attempts).  RFC 3263 NAPTR/SRV resolution, a shared cache and failover
 * over several addresses are not implemented yet (milestone 2).
 */
#ifndef SERVAL_CORE_RESOLVE_H
#define SERVAL_CORE_RESOLVE_H

#include "ip_addr.h"
#include "str.h"

/*
 * Resolves host (a name, an IPv4 literal or an IPv6 reference with or
 * without brackets) into *ip.  Returns SV_OK or SV_EBADADDR (logged).
 */
int resolve_host(const str *host, struct ip_addr *ip);

/*
 * Computes where a request for uri goes: the maddr parameter or the host,
 * the port or 5060, the transport (UDP only for now).  Fills dst->to and
 * dst->proto; dst->send_sock is left NULL.  Returns SV_OK, SV_EBADURI
 * (unparsable), SV_EBADSCHEME (not sip:), SV_EBADADDR (unresolvable or a
 * transport serval does not implement yet).
 */
int uri_to_dest(const str *uri, struct dest_info *dst);

/*
 * Returns 1 for addresses a SIP message must never be sent to: the
 * unspecified address, IPv4 broadcast, multicast.
 */
int ip_is_forbidden_dest(const struct ip_addr *ip);

#endif /* SERVAL_CORE_RESOLVE_H */
