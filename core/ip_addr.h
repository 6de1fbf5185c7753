/*
 * ip_addr.h - IP addresses, socket addresses and where a message came from
 * or goes to.
 *
 * struct ip_addr holds an IPv4 or IPv6 address in network byte order and is
 * what the script compares (src_ip == 10.0.0.1); union sockaddr_union is what
 * the kernel wants.  struct receive_info describes where a received message
 * came from and on which of our sockets; struct dest_info where a message is
 * sent.  All are plain values (no pointers into buffers) except the socket
 * pointers, which point into the listen list that lives for the whole run.
 */
#ifndef SERVAL_CORE_IP_ADDR_H
#define SERVAL_CORE_IP_ADDR_H

#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#include "str.h"

enum sip_proto {
	PROTO_NONE = 0,
	PROTO_UDP,
	PROTO_TCP,
	PROTO_TLS,
	PROTO_SCTP,
	PROTO_WS,
	PROTO_OTHER
};

struct ip_addr {
	unsigned af;   /* AF_INET or AF_INET6 */
	unsigned len;  /* 4 or 16 */
	union {
		uint8_t addr[16];
		uint32_t addr32[4];
	} u;
};

union sockaddr_union {
	struct sockaddr s;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

struct socket_info;

struct receive_info {
	struct ip_addr src_ip;
	struct ip_addr dst_ip;
	unsigned short src_port;  /* host byte order */
	unsigned short dst_port;
	int proto;                /* enum sip_proto */
	union sockaddr_union src_su;  /* the source, ready for sendto() */
	struct socket_info *bind_address;  /* socket it arrived on */
};

struct dest_info {
	int proto;
	union sockaddr_union to;
	struct socket_info *send_sock;
};

/* Returns 1 when both addresses are equal (family and bytes). */
int ip_addr_eq(const struct ip_addr *a, const struct ip_addr *b);

/*
 * Parses a textual IPv4 or IPv6 address (IPv6 with or without brackets)
 * into *ip.  Returns SV_OK or SV_EINVAL when s is not an IP literal.
 */
int ip_addr_parse(const str *s, struct ip_addr *ip);

/*
 * Returns 1 when text is an address equal to ip (as ip_addr_parse() and
 * ip_addr_eq() would say: IPv6 in brackets or not, any spelling; IPv4 as a
 * dotted quad), else 0.  IPv4 is compared without conversion.
 */
int ip_addr_text_eq(const str *text, const struct ip_addr *ip);

/*
 * Prints ip into buf (IPv6 without brackets); returns the length written
 * (buf is NUL terminated) or SV_ETOOBIG when size is too small (use
 * IP_ADDR_MAX_STR).
 */
int ip_addr_print(const struct ip_addr *ip, char *buf, int size);
#define IP_ADDR_MAX_STR 48

/* Returns 1 when ip matches net/mask_bits (same family), else 0. */
int ip_addr_match_net(const struct ip_addr *ip, const struct ip_addr *net,
                      unsigned mask_bits);

/* Fills su from ip and port (host byte order). */
void su_from_ip(union sockaddr_union *su, const struct ip_addr *ip,
                unsigned short port);

/* Extracts ip and port (host byte order) from su. */
void su_to_ip(const union sockaddr_union *su, struct ip_addr *ip,
              unsigned short *port);

/* Returns sizeof the concrete sockaddr in su (for sendto/bind). */
socklen_t su_len(const union sockaddr_union *su);

/* Returns "udp", "tcp", ... for a proto; "none" for unknown. */
const char *proto_name(int proto);

/* Parses "udp"/"tcp"/"tls"/"sctp"/"ws" (any case); PROTO_NONE if unknown. */
int proto_from_str(const str *s);

#endif /* SERVAL_CORE_IP_ADDR_H */
