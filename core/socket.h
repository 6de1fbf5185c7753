/*
 * socket.h - listen sockets, aliases, and the "is this address me" test.
 *
 * The master collects listen specifications ("-l" options and the script's
 * listen= lines) with listen_add(), opens them all with sockets_open()
 * before forking (so every child inherits every socket and can send from
 * any of them), and the list then stays unchanged for the whole run.
 * alias= names and every listen address make up "myself".
 */
#ifndef SERVAL_CORE_SOCKET_H
#define SERVAL_CORE_SOCKET_H

#include "ip_addr.h"
#include "str.h"

#define SIP_DEFAULT_PORT 5060

struct socket_info {
	int fd;
	int proto;                   /* enum sip_proto */
	struct ip_addr address;
	unsigned short port;         /* host byte order */
	union sockaddr_union su;     /* bound address */
	str name;                    /* "udp:127.0.0.1:5060" */
	str address_str;             /* "127.0.0.1", IPv6 as "[::1]" */
	str port_str;                /* "5060" */
	str host_str;                /* as given: name or address */
	struct socket_info *next;
};

/* Every listen socket, in the order given; protocols mixed. */
extern struct socket_info *listen_list;

/*
 * Adds a listen specification "[proto:]addr[:port]" (IPv6 literal in
 * brackets when a port follows; proto defaults to udp, port to
 * SIP_DEFAULT_PORT or the script's port=).  The address may be a host
 * name (resolved when opened) or 0.0.0.0 / [::].  Master only, before
 * sockets_open().  Returns SV_OK or SV_EINVAL (err describes why).
 * Transports other than UDP are not implemented yet: they are logged as
 * such and skipped (SV_OK).
 */
int listen_add(const char *spec, char *err, int errlen);

/* Forgets every listen specification given so far (not opened sockets). */
void listen_reset(void);

/* Sets the default port used by later listen_add() without a port. */
void listen_set_default_port(unsigned short port);

/* Adds alias=host[:port] (port 0 = any). Returns SV_OK or SV_ENOMEM. */
int alias_add(const str *host, unsigned short port);

/*
 * Expands the listen specifications into listen_list (adding
 * udp:0.0.0.0:5060 when none was given; names resolved, wildcards
 * expanded to the interfaces' addresses) without opening anything, so the
 * script's fixups can check socket names (force_send_socket) and `serval
 * -c` binds nothing.  Does nothing once done.  Returns SV_OK, SV_EINVAL,
 * or SV_EIO after logging which specification failed.  Master only.
 */
int sockets_resolve(void);

/*
 * Returns the listen socket named by "[proto:]addr[:port]" (proto udp and
 * the default port when absent; addr an IP literal, or the name a listen=
 * gave, compared as text: nothing is resolved), or NULL with err saying
 * why.  After sockets_resolve().
 */
struct socket_info *socket_from_spec(const char *spec, char *err, int errlen);

/*
 * Opens and binds every listen socket (running sockets_resolve() first
 * if main did not), with large kernel buffers.  Returns SV_OK, or SV_EIO after
 * logging which socket failed and why.  Master only, before fork.
 */
int sockets_open(void);

/* Closes every socket (master at exit). */
void sockets_close(void);

/* Number of UDP listen sockets. */
int sockets_udp_count(void);

/* Returns the socket bound to exactly proto/ip/port, or NULL. */
struct socket_info *socket_find(int proto, const struct ip_addr *ip,
                                unsigned short port);

/*
 * Returns the socket to send to dst from: the first listen socket of the
 * same protocol and address family, or NULL when there is none.
 */
struct socket_info *socket_for_dest(int proto, const union sockaddr_union *dst);

/*
 * Returns 1 when host (name or IP literal, IPv6 with or without brackets)
 * and port name this server: a listen address, or an alias.  port 0 means
 * "any port"; callers checking a URI pass its port or SIP_DEFAULT_PORT when
 * it has none.  This is the script's "myself".
 */
int socket_is_myself(const str *host, unsigned short port);

#endif /* SERVAL_CORE_SOCKET_H */
