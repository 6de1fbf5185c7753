/*
 * resolve.c - see resolve.h.
 */
#include "resolve.h"
#include "errors.h"
#include "log.h"
#include "socket.h"
#include "parser/uri.h"

#include <netdb.h>
#include <string.h>

int resolve_host(const str *host, struct ip_addr *ip)
{
	struct addrinfo hints, *res;
	char name[256];
	int rc;

	if (ip_addr_parse(host, ip) == SV_OK)
		return SV_OK;
	if (host->len <= 0 || host->len >= (int)sizeof(name))
		return SV_EBADADDR;
	memcpy(name, host->s, (size_t)host->len);
	name[host->len] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc != 0) {
		LM_NOTICE("cannot resolve '%s': %s\n", name, gai_strerror(rc));
		return SV_EBADADDR;
	}
	su_to_ip((union sockaddr_union *)res->ai_addr, ip, NULL);
	freeaddrinfo(res);
	return SV_OK;
}

int ip_is_forbidden_dest(const struct ip_addr *ip)
{
	static const uint8_t zero[16];

	if (memcmp(ip->u.addr, zero, ip->len) == 0)
		return 1;
	if (ip->af == AF_INET)
		return ip->u.addr32[0] == 0xffffffffu ||
		       (ip->u.addr[0] & 0xf0) == 0xe0;
	return ip->u.addr[0] == 0xff;
}

int uri_to_dest(const str *uri, struct dest_info *dst)
{
	struct sip_uri u;
	struct ip_addr ip;
	const str *host;

	if (parse_uri(uri->s, uri->len, &u) != SV_OK)
		return SV_EBADURI;
	if (u.type != URI_SIP && u.type != URI_SIPS)
		return SV_EBADSCHEME;
	if (u.type == URI_SIPS ||
	    (u.proto != PROTO_NONE && u.proto != PROTO_UDP)) {
		LM_NOTICE("cannot send to %.*s: transport not implemented "
		          "yet (UDP only)\n", STR_FMT(uri));
		return SV_EBADADDR;
	}
	host = u.maddr_val.len ? &u.maddr_val : &u.host;
	if (resolve_host(host, &ip) != SV_OK)
		return SV_EBADADDR;
	su_from_ip(&dst->to, &ip, u.port_no ? u.port_no : SIP_DEFAULT_PORT);
	dst->proto = PROTO_UDP;
	dst->send_sock = NULL;
	return SV_OK;
}
