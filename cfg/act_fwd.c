/*
 * act_fwd.c - forward(), forward_udp() and send(): stateless relay of the
 * request (core/forward.c) and raw sending of the message as received.
 *
 *   forward()                   to $du, else the R-URI
 *   forward("host[:port]")      to that host (port 5060 when absent)
 *   forward("host", port)
 *   send("host[:port]")         the received bytes, unchanged (no Via)
 *
 * forward_udp is forward restricted to UDP - the only transport serval
 * has today, so both are the same; a "udp:" prefix is accepted, "tcp:",
 * "tls:" and "sctp:" are refused at fixup (not implemented yet), as are
 * forward_tcp, forward_tls and send_tcp.  An IP literal is kept as an
 * address at fixup; a host name is resolved when the function runs (first
 * A/AAAA address, core/resolve.c).
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "fixup.h"
#include "core/errors.h"
#include "core/forward.h"
#include "core/log.h"
#include "core/resolve.h"
#include "core/socket.h"
#include "core/parser/msg.h"

struct fwd_dest {
	unsigned short port; /* 0: 5060 */
	int is_ip;
	struct ip_addr ip;
	str host; /* NUL terminated, inside this block */
};

/* Splits "[udp:]host[:port]" ("[v6]:port" for IPv6). */
static int parse_dest(struct fixup_ctx *ctx, const char *s, str *host,
                      long *port)
{
	const char *colon, *end = s + strlen(s);
	char *stop;

	if (strncasecmp(s, "udp:", 4) == 0)
		s += 4;
	else if (!strncasecmp(s, "tcp:", 4) || !strncasecmp(s, "tls:", 4) ||
	         !strncasecmp(s, "sctp:", 5))
		return fixup_error(ctx, "only UDP is implemented: the TCP, TLS "
		                        "and SCTP transports are not yet");
	host->s = (char *)s;
	*port = 0;
	colon = strrchr(s, ':');
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		colon = (rb && rb[1] == ':') ? rb + 1 : NULL;
	} else if (colon && strchr(s, ':') != colon) {
		colon = NULL; /* a bare IPv6 address */
	}
	host->len = (int)((colon ? colon : end) - s);
	if (colon) {
		*port = strtol(colon + 1, &stop, 10);
		if (colon[1] == '\0' || *stop || *port < 1 || *port > 65535)
			return fixup_error(ctx, "bad port in \"%s\"", s);
	}
	if (host->len == 0)
		return fixup_error(ctx, "no host in \"%s\"", s);
	return SV_OK;
}

static int dest_fixup(struct fixup_ctx *ctx, void **param)
{
	struct fwd_dest *d;
	long port = 0;
	str host = STR_NULL;
	int rc = parse_dest(ctx, *param, &host, &port);

	if (rc != SV_OK)
		return rc;
	d = calloc(1, sizeof(*d) + host.len + 1);
	if (!d)
		return fixup_error(ctx, "out of memory");
	d->host.s = (char *)(d + 1);
	memcpy(d->host.s, host.s, host.len);
	d->host.len = host.len;
	d->port = (unsigned short)port;
	d->is_ip = ip_addr_parse(&d->host, &d->ip) == SV_OK;
	*param = d;
	return SV_OK;
}

FIXUP(fixup_fwd_dest)
{
	char *stop;
	long port;

	if (idx == 0)
		return dest_fixup(ctx, param);
	port = strtol(*param, &stop, 10);
	if (*stop || port < 1 || port > 65535)
		return fixup_error(ctx, "bad port \"%s\"", (char *)*param);
	*param = (void *)port;
	return SV_OK;
}

FIXUP_FREE(free_fwd_dest)
{
	if (idx == 0)
		free(*param);
	*param = NULL;
}

/* The destination of a call; port overrides the one written. */
static int make_dest(const struct fwd_dest *d, long port, struct dest_info *dst)
{
	struct ip_addr ip = d->ip;

	if (!d->is_ip && resolve_host(&d->host, &ip) != SV_OK)
		return SV_EBADADDR;
	if (!port)
		port = d->port ? d->port : 5060;
	memset(dst, 0, sizeof(*dst));
	su_from_ip(&dst->to, &ip, (unsigned short)port);
	dst->proto = PROTO_UDP;
	return SV_OK;
}

static int relay(struct sip_msg *msg, const struct dest_info *dst)
{
	int rc;

	if (!msg_is_request(msg)) {
		LM_ERR("forward() relays requests; replies are relayed by "
		       "the core after onreply_route\n");
		return SV_EINVAL;
	}
	rc = forward_request(msg, dst);
	return rc == SV_OK ? 1 : rc;
}

ACTION(w_forward0)
{
	return relay(msg, NULL);
}

ACTION(w_forward1)
{
	struct dest_info dst;
	int rc = make_dest(params[0], 0, &dst);

	return rc == SV_OK ? relay(msg, &dst) : rc;
}

ACTION(w_forward2)
{
	struct dest_info dst;
	int rc = make_dest(params[0], (long)params[1], &dst);

	return rc == SV_OK ? relay(msg, &dst) : rc;
}

ACTION(w_send1)
{
	struct dest_info dst;
	int rc = make_dest(params[0], 0, &dst);

	if (rc == SV_OK) {
		if (msg->force_send_socket &&
		    msg->force_send_socket->address.af ==
		        (unsigned)dst.to.s.sa_family)
			dst.send_sock = msg->force_send_socket;
		rc = msg_send(&dst, msg->buf, msg->len);
	}
	if (rc != SV_OK)
		sv_last_error = rc;
	return rc == SV_OK ? 1 : rc;
}
