/*
 * ip_addr.c - conversions between textual, binary and sockaddr addresses.
 *
 * Parsing uses inet_pton on a bounded stack copy (the input is a str view,
 * not NUL terminated).  IPv4 is printed here (the receive path prints the
 * source address of many messages); IPv6 by inet_ntop.  Nothing here
 * allocates.
 */
#include "ip_addr.h"
#include "errors.h"
#include "fmt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int ip_addr_eq(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->af == b->af && a->len == b->len &&
	       memcmp(a->u.addr, b->u.addr, a->len) == 0;
}

int ip_addr_parse(const str *s, struct ip_addr *ip)
{
	char buf[IP_ADDR_MAX_STR];
	const char *p = s->s;
	int len = s->len;

	if (len >= 2 && p[0] == '[' && p[len - 1] == ']') {
		p++;
		len -= 2;
	}
	if (len <= 0 || len >= (int)sizeof(buf))
		return SV_EINVAL;
	memcpy(buf, p, len);
	buf[len] = '\0';
	memset(ip, 0, sizeof(*ip));
	if (memchr(buf, ':', len)) {
		if (inet_pton(AF_INET6, buf, ip->u.addr) != 1)
			return SV_EINVAL;
		ip->af = AF_INET6;
		ip->len = 16;
		return SV_OK;
	}
	if (inet_pton(AF_INET, buf, ip->u.addr) != 1)
		return SV_EINVAL;
	ip->af = AF_INET;
	ip->len = 4;
	return SV_OK;
}

/*
 * Is [p, end) the dotted quad of a (4 bytes)?  Exactly what inet_pton()
 * accepts: four decimal parts of at most 255 without leading zeros.
 */
static int ip4_text_eq(const char *p, const char *end, const uint8_t *a)
{
	unsigned v, d;
	int i, n;

	for (i = 0; i < 4; i++) {
		if (i > 0 && (p >= end || *p++ != '.'))
			return 0;
		for (v = 0, n = 0; p < end && n < 4; p++, n++) {
			d = (unsigned)(unsigned char)*p - '0';
			if (d > 9)
				break;
			v = v * 10 + d;
		}
		if (n == 0 || n > 3 || (n > 1 && p[-n] == '0') || v != a[i])
			return 0;
	}
	return p == end;
}

int ip_addr_text_eq(const str *text, const struct ip_addr *ip)
{
	struct ip_addr other;

	if (ip->af == AF_INET)
		return ip4_text_eq(text->s, text->s + text->len, ip->u.addr);
	return ip_addr_parse(text, &other) == SV_OK && ip_addr_eq(&other, ip);
}

/* Dotted quad of an IPv4 address (inet_ntop goes through sprintf). */
static int ip4_print(const uint8_t *a, char *buf)
{
	int n = 0, i;

	for (i = 0; i < 4; i++) {
		if (i)
			buf[n++] = '.';
		n += fmt_uint(buf + n, a[i]);
	}
	buf[n] = '\0';
	return n;
}

int ip_addr_print(const struct ip_addr *ip, char *buf, int size)
{
	if (size < IP_ADDR_MAX_STR)
		return SV_ETOOBIG;
	if (ip->af == AF_INET)
		return ip4_print(ip->u.addr, buf);
	if (inet_ntop((int)ip->af, ip->u.addr, buf, (socklen_t)size) == NULL)
		return SV_EINVAL;
	return (int)strlen(buf);
}

int ip_addr_match_net(const struct ip_addr *ip, const struct ip_addr *net,
                      unsigned mask_bits)
{
	unsigned full = mask_bits / 8, rest = mask_bits % 8;

	if (ip->af != net->af || mask_bits > ip->len * 8)
		return 0;
	if (memcmp(ip->u.addr, net->u.addr, full) != 0)
		return 0;
	if (rest) {
		uint8_t m = (uint8_t)(0xff << (8 - rest));

		if ((ip->u.addr[full] & m) != (net->u.addr[full] & m))
			return 0;
	}
	return 1;
}

void su_from_ip(union sockaddr_union *su, const struct ip_addr *ip,
                unsigned short port)
{
	memset(su, 0, sizeof(*su));
	if (ip->af == AF_INET6) {
		su->sin6.sin6_family = AF_INET6;
		su->sin6.sin6_port = htons(port);
		memcpy(&su->sin6.sin6_addr, ip->u.addr, 16);
	} else {
		su->sin.sin_family = AF_INET;
		su->sin.sin_port = htons(port);
		memcpy(&su->sin.sin_addr, ip->u.addr, 4);
	}
}

void su_to_ip(const union sockaddr_union *su, struct ip_addr *ip,
              unsigned short *port)
{
	memset(ip, 0, sizeof(*ip));
	if (su->s.sa_family == AF_INET6) {
		ip->af = AF_INET6;
		ip->len = 16;
		memcpy(ip->u.addr, &su->sin6.sin6_addr, 16);
		if (port)
			*port = ntohs(su->sin6.sin6_port);
	} else {
		ip->af = AF_INET;
		ip->len = 4;
		memcpy(ip->u.addr, &su->sin.sin_addr, 4);
		if (port)
			*port = ntohs(su->sin.sin_port);
	}
}

socklen_t su_len(const union sockaddr_union *su)
{
	return su->s.sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
	                                   : sizeof(struct sockaddr_in);
}

static const char *const proto_names[] = {
	[PROTO_NONE] = "none", [PROTO_UDP] = "udp", [PROTO_TCP] = "tcp",
	[PROTO_TLS] = "tls", [PROTO_SCTP] = "sctp", [PROTO_WS] = "ws",
	[PROTO_OTHER] = "other",
};

const char *proto_name(int proto)
{
	if (proto < 0 || proto > PROTO_OTHER)
		return "none";
	return proto_names[proto];
}

int proto_from_str(const str *s)
{
	int p;

	for (p = PROTO_UDP; p < PROTO_OTHER; p++)
		if (str_caseeq_lit(s, proto_names[p]))
			return p;
	return PROTO_NONE;
}
