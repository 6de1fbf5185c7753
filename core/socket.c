/*
 * socket.c - listen specifications, opening sockets, "myself".
 *
 * listen_add() only records a specification; sockets_open() resolves names,
 * expands wildcard addresses (0.0.0.0, [::]) into one socket per local
 * interface address (as OpenSER did, so every socket has a concrete address
 * to put in Via and Record-Route), then binds.  The resulting list is built
 * in private memory in the master before fork and never changes afterwards,
 * so children read it without locks.
 */
#include "socket.h"
#include "errors.h"
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOCK_BUF_MAX (16 * 1024 * 1024)
#define SOCK_BUF_MIN (256 * 1024)

struct listen_spec {
	int proto;
	char *host;             /* as given, brackets stripped */
	unsigned short port;    /* 0: default port */
	struct listen_spec *next;
};

struct alias {
	str host;
	unsigned short port;
	struct alias *next;
};

struct socket_info *listen_list;
static struct listen_spec *specs, **specs_tail = &specs;
static struct alias *aliases;
static unsigned short default_port = SIP_DEFAULT_PORT;

void listen_reset(void)
{
	struct listen_spec *ls, *next;

	for (ls = specs; ls; ls = next) {
		next = ls->next;
		free(ls->host);
		free(ls);
	}
	specs = NULL;
	specs_tail = &specs;
}

void listen_set_default_port(unsigned short port)
{
	default_port = port;
}

/* Splits "[proto:]rest"; returns the proto and advances *p past it. */
static int spec_take_proto(const char **p)
{
	const char *colon = strchr(*p, ':');
	str word;
	int proto;

	if (colon == NULL)
		return PROTO_UDP;
	word.s = (char *)*p;
	word.len = (int)(colon - *p);
	proto = proto_from_str(&word);
	if (proto == PROTO_NONE)
		return PROTO_UDP;  /* no proto: "host:port" */
	*p = colon + 1;
	return proto;
}

/* Parses "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6. */
static int spec_take_host_port(const char *p, char **host,
                               unsigned short *port, char *err, int errlen)
{
	const char *end = p + strlen(p), *port_s = NULL, *h = p, *he = end;

	if (*p == '[') {
		he = strchr(p, ']');
		if (he == NULL) {
			snprintf(err, errlen, "missing ']' in IPv6 address");
			return SV_EINVAL;
		}
		h = p + 1;
		if (he[1] == ':')
			port_s = he + 2;
		else if (he[1] != '\0') {
			snprintf(err, errlen, "unexpected text after ']'");
			return SV_EINVAL;
		}
	} else {
		const char *c = strchr(p, ':');

		if (c && strchr(c + 1, ':') == NULL) {
			he = c;
			port_s = c + 1;
		}
	}
	if (he == h) {
		snprintf(err, errlen, "empty address");
		return SV_EINVAL;
	}
	*port = 0;
	if (port_s) {
		char *stop;
		long v = strtol(port_s, &stop, 10);

		if (*port_s == '\0' || *stop != '\0' || v <= 0 || v > 65535) {
			snprintf(err, errlen, "bad port '%s'", port_s);
			return SV_EINVAL;
		}
		*port = (unsigned short)v;
	}
	*host = strndup(h, (size_t)(he - h));
	return *host ? SV_OK : SV_ENOMEM;
}

int listen_add(const char *spec, char *err, int errlen)
{
	const char *p = spec;
	struct listen_spec *ls;
	int rc, proto = spec_take_proto(&p);

	if (proto != PROTO_UDP) {
		LM_WARN("listen %s: %s transport is not implemented yet, "
		        "not listening there\n", spec, proto_name(proto));
		return SV_OK;
	}
	ls = calloc(1, sizeof(*ls));
	if (ls == NULL)
		return SV_ENOMEM;
	rc = spec_take_host_port(p, &ls->host, &ls->port, err, errlen);
	if (rc != SV_OK) {
		free(ls);
		return rc;
	}
	ls->proto = proto;
	*specs_tail = ls;
	specs_tail = &ls->next;
	return SV_OK;
}

int alias_add(const str *host, unsigned short port)
{
	struct alias *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return SV_ENOMEM;
	a->host.s = strndup(host->s, (size_t)host->len);
	if (a->host.s == NULL) {
		free(a);
		return SV_ENOMEM;
	}
	a->host.len = host->len;
	a->port = port;
	a->next = aliases;
	aliases = a;
	return SV_OK;
}

/* Builds the printable names of a socket from its address. */
static int socket_fill_names(struct socket_info *si, const char *given)
{
	char ip[IP_ADDR_MAX_STR], buf[128];
	int n;

	if (ip_addr_print(&si->address, ip, sizeof(ip)) < 0)
		return SV_EINVAL;
	if (si->address.af == AF_INET6)
		n = snprintf(buf, sizeof(buf), "[%s]", ip);
	else
		n = snprintf(buf, sizeof(buf), "%s", ip);
	si->address_str.s = strdup(buf);
	si->address_str.len = n;
	n = snprintf(buf, sizeof(buf), "%u", si->port);
	si->port_str.s = strdup(buf);
	si->port_str.len = n;
	n = snprintf(buf, sizeof(buf), "%s:%s:%u", proto_name(si->proto),
	             si->address_str.s, si->port);
	si->name.s = strdup(buf);
	si->name.len = n;
	si->host_str.s = strdup(given);
	si->host_str.len = (int)strlen(given);
	if (!si->address_str.s || !si->port_str.s || !si->name.s ||
	    !si->host_str.s)
		return SV_ENOMEM;
	return SV_OK;
}

/* Appends a socket for one concrete address, skipping duplicates. */
static int socket_add_addr(int proto, const struct ip_addr *ip,
                           unsigned short port, const char *given)
{
	struct socket_info *si, **tail = &listen_list;

	for (si = listen_list; si; si = si->next) {
		if (si->proto == proto && si->port == port &&
		    ip_addr_eq(&si->address, ip))
			return SV_OK;
		tail = &si->next;
	}
	si = calloc(1, sizeof(*si));
	if (si == NULL)
		return SV_ENOMEM;
	si->fd = -1;
	si->proto = proto;
	si->address = *ip;
	si->port = port;
	su_from_ip(&si->su, ip, port);
	if (socket_fill_names(si, given) != SV_OK)
		return SV_ENOMEM;
	*tail = si;
	return SV_OK;
}

/* Adds one socket per local interface address of family af. */
static int socket_expand_wildcard(int proto, int af, unsigned short port)
{
	struct ifaddrs *ifa, *i;
	struct ip_addr ip;
	int rc = SV_OK;

	if (getifaddrs(&ifa) != 0) {
		LM_ERR("getifaddrs: %s\n", strerror(errno));
		return SV_EIO;
	}
	for (i = ifa; i && rc == SV_OK; i = i->ifa_next) {
		char name[IP_ADDR_MAX_STR];

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != af)
			continue;
		if (af == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(
		        &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr))
			continue;
		su_to_ip((union sockaddr_union *)i->ifa_addr, &ip, NULL);
		ip_addr_print(&ip, name, sizeof(name));
		rc = socket_add_addr(proto, &ip, port, name);
	}
	freeifaddrs(ifa);
	return rc;
}

/* Resolves a host name to its first address. */
static int resolve_host(const char *host, struct ip_addr *ip)
{
	struct addrinfo hints, *res;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		LM_ERR("cannot resolve listen address '%s': %s\n", host,
		       gai_strerror(rc));
		return SV_EBADADDR;
	}
	su_to_ip((union sockaddr_union *)res->ai_addr, ip, NULL);
	freeaddrinfo(res);
	return SV_OK;
}

/* Turns one specification into sockets. */
static int spec_expand(const struct listen_spec *ls)
{
	unsigned short port = ls->port ? ls->port : default_port;
	str h = str_from_cstr(ls->host);
	struct ip_addr ip;

	if (ip_addr_parse(&h, &ip) == SV_OK) {
		static const uint8_t zero[16];

		if (memcmp(ip.u.addr, zero, ip.len) == 0)
			return socket_expand_wildcard(ls->proto, (int)ip.af,
			                              port);
		return socket_add_addr(ls->proto, &ip, port, ls->host);
	}
	if (resolve_host(ls->host, &ip) != SV_OK)
		return SV_EBADADDR;
	return socket_add_addr(ls->proto, &ip, port, ls->host);
}

/* Grows a socket buffer as far as the kernel allows. */
static void socket_grow_buffer(int fd, int opt)
{
	int size;

	for (size = SOCK_BUF_MAX; size >= SOCK_BUF_MIN; size /= 2)
		if (setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size)) == 0)
			return;
}

static int socket_bind_udp(struct socket_info *si)
{
	int on = 1;

	si->fd = socket(si->address.af, SOCK_DGRAM, 0);
	if (si->fd < 0) {
		LM_ERR("socket for %.*s: %s\n", STR_FMT(&si->name),
		       strerror(errno));
		return SV_EIO;
	}
	if (si->address.af == AF_INET6)
		setsockopt(si->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	socket_grow_buffer(si->fd, SO_RCVBUF);
	socket_grow_buffer(si->fd, SO_SNDBUF);
	if (bind(si->fd, &si->su.s, su_len(&si->su)) != 0) {
		LM_ERR("cannot bind %.*s: %s\n", STR_FMT(&si->name),
		       strerror(errno));
		return SV_EIO;
	}
	return SV_OK;
}

int sockets_resolve(void)
{
	struct listen_spec *ls;
	char err[128];

	if (listen_list)
		return SV_OK;
	if (specs == NULL && listen_add("udp:0.0.0.0", err, sizeof(err)))
		return SV_EINVAL;
	for (ls = specs; ls; ls = ls->next)
		if (spec_expand(ls) != SV_OK)
			return SV_EIO;
	if (listen_list == NULL) {
		LM_ERR("no address to listen on\n");
		return SV_EIO;
	}
	return SV_OK;
}

struct socket_info *socket_from_spec(const char *spec, char *err, int errlen)
{
	const char *p = spec;
	int proto = spec_take_proto(&p);
	struct socket_info *si = NULL;
	unsigned short port;
	struct ip_addr ip;
	char *host;
	str h;

	if (spec_take_host_port(p, &host, &port, err, errlen) != SV_OK)
		return NULL;
	h = str_from_cstr(host);
	if (!port)
		port = default_port;
	if (ip_addr_parse(&h, &ip) == SV_OK) {
		si = socket_find(proto, &ip, port);
	} else { /* a name: the one given in listen=, no DNS */
		for (si = listen_list; si; si = si->next)
			if (si->proto == proto && si->port == port &&
			    str_caseeq(&h, &si->host_str))
				break;
	}
	if (!si)
		snprintf(err, errlen, "'%s' is not a listen socket", spec);
	free(host);
	return si;
}

int sockets_open(void)
{
	struct socket_info *si;
	int rc = sockets_resolve();

	if (rc != SV_OK)
		return rc;
	for (si = listen_list; si; si = si->next) {
		if (socket_bind_udp(si) != SV_OK)
			return SV_EIO;
		LM_INFO("listening on %.*s\n", STR_FMT(&si->name));
	}
	return SV_OK;
}

void sockets_close(void)
{
	struct socket_info *si;

	for (si = listen_list; si; si = si->next)
		if (si->fd >= 0) {
			close(si->fd);
			si->fd = -1;
		}
}

int sockets_udp_count(void)
{
	struct socket_info *si;
	int n = 0;

	for (si = listen_list; si; si = si->next)
		if (si->proto == PROTO_UDP)
			n++;
	return n;
}

struct socket_info *socket_find(int proto, const struct ip_addr *ip,
                                unsigned short port)
{
	struct socket_info *si;

	for (si = listen_list; si; si = si->next)
		if (si->proto == proto && si->port == port &&
		    ip_addr_eq(&si->address, ip))
			return si;
	return NULL;
}

struct socket_info *socket_for_dest(int proto, const union sockaddr_union *dst)
{
	struct socket_info *si;

	for (si = listen_list; si; si = si->next)
		if (si->proto == proto &&
		    si->address.af == (unsigned)dst->s.sa_family)
			return si;
	return NULL;
}

/* Compares a host text with a socket's address (IPs in binary form). */
static int host_is_socket(const str *host, const struct ip_addr *ip,
                          const struct socket_info *si)
{
	if (ip)
		return ip_addr_eq(ip, &si->address);
	return str_caseeq(host, &si->host_str);
}

int socket_is_myself(const str *host, unsigned short port)
{
	struct socket_info *si;
	struct alias *a;
	struct ip_addr ip, *ipp = NULL;

	if (host->len <= 0)
		return 0;
	if (ip_addr_parse(host, &ip) == SV_OK)
		ipp = &ip;
	for (si = listen_list; si; si = si->next)
		if ((port == 0 || port == si->port) &&
		    host_is_socket(host, ipp, si))
			return 1;
	for (a = aliases; a; a = a->next)
		if ((port == 0 || a->port == 0 || port == a->port) &&
		    str_caseeq(host, &a->host))
			return 1;
	return 0;
}
