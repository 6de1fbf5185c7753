/*
 * record.c - Record-Route insertion (RFC 3261 §16.6 item 4).
 *
 * record_route() inserts, before the first header of the request,
 *
 *   Record-Route: <sip:ADDR:PORT[;transport=P][;ftag=TAG][PARAMS];lr>
 *
 * where ADDR:PORT is the listen socket the request arrived on (its text
 * form, an IPv6 address in brackets), transport is added for anything but
 * UDP, ftag is the From tag (append_fromtag) and ";lr" becomes ";lr=on"
 * with enable_full_lr.  This URI is what loose_route() later recognises as
 * ours: a listen address (or alias) and port, with lr.
 *
 * record_route(params) adds params (pseudo-variables expanded at run time,
 * starting with ';') before lr; record_route_preset(addr) writes addr (a
 * "host[:port]" with pseudo-variables) instead of the receiving socket.
 *
 * One Record-Route is inserted, with the receiving socket: serval does not
 * write a second one for the sending socket (OpenSER's enable_double_rr).
 * Calling it twice inserts two (as OpenSER).
 */
#include "rr_mod.h"

#include "cfg/interp.h"
#include "core/errors.h"
#include "core/ip_addr.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/module.h"
#include "core/parser/msg.h"
#include "core/parser/to_from.h"
#include "core/pv.h"
#include "core/socket.h"

#include <stdio.h>
#include <stdlib.h>

#define RR_ARG_MAX 4096 /* longest printed argument */

/* The From tag for ftag, or an empty str. */
static int from_tag(struct sip_msg *msg, str *tag)
{
	tag->s = NULL;
	tag->len = 0;
	if (!rr_append_fromtag)
		return SV_OK;
	if (parse_from_header(msg) != SV_OK) {
		LM_ERR("rr: no usable From header for the ftag parameter\n");
		return SV_EBADMSG;
	}
	*tag = get_from(msg)->tag_value;
	return SV_OK;
}

int rr_insert(struct sip_msg *msg, const str *hostport, const char *transport,
              const str *params)
{
	const char *lr = rr_enable_full_lr ? ";lr=on" : ";lr";
	str tag, line;
	int rc, n;

	if ((rc = from_tag(msg, &tag)) != SV_OK)
		return rc;
#define RR_FMT "Record-Route: <sip:%.*s%s%s%s%.*s%.*s%s>\r\n"
#define RR_ARGS                                                                \
	STR_FMT(hostport), transport ? ";transport=" : "",                     \
	    transport ? transport : "", tag.len ? ";ftag=" : "",               \
	    STR_FMT(&tag), STR_FMT(params), lr
	n = snprintf(NULL, 0, RR_FMT, RR_ARGS);
	line.s = malloc((size_t)n + 1);
	if (line.s == NULL)
		return SV_ENOMEM;
	line.len = snprintf(line.s, (size_t)n + 1, RR_FMT, RR_ARGS);
#undef RR_FMT
#undef RR_ARGS
	/* in a branch_route, the Record-Route belongs to that branch */
	rc = lump_prepend_header(
	    msg, &line, route_type() == BRANCH_ROUTE ? LUMP_BRANCH : 0);
	free(line.s);
	return rc;
}

/* Inserts our Record-Route (receiving socket) with params. */
static int record_here(struct sip_msg *msg, const str *params)
{
	const struct socket_info *si = msg->rcv.bind_address;
	char hp[IP_ADDR_MAX_STR + 8];
	str hostport = {hp, 0};

	if (si == NULL) {
		LM_ERR("rr: record_route: no receiving socket\n");
		return -1;
	}
	hostport.len =
	    snprintf(hp, sizeof(hp), "%.*s:%.*s", STR_FMT(&si->address_str),
	             STR_FMT(&si->port_str));
	if (hostport.len >= (int)sizeof(hp)) {
		LM_ERR("rr: record_route: socket name too long\n");
		return -1;
	}
	if (rr_insert(msg, &hostport,
	              si->proto == PROTO_UDP ? NULL : proto_name(si->proto),
	              params) != SV_OK) {
		LM_ERR("rr: record_route failed\n");
		return -1;
	}
	return 1;
}

/* record_route() */
int w_record_route(struct sip_msg *msg, void **params)
{
	str none = STR_NULL;

	return record_here(msg, &none);
}

/* Prints a format argument into a per-process buffer. */
static int print_arg(struct sip_msg *msg, const struct pv_format *f, str *out)
{
	static char buf[RR_ARG_MAX];

	if (pv_format_print(msg, f, buf, sizeof(buf), out) != SV_OK) {
		LM_ERR("rr: argument longer than %d bytes\n", RR_ARG_MAX);
		return SV_ETOOBIG;
	}
	return SV_OK;
}

/* record_route(params): params (pseudo-variables expanded) start with ';' */
int w_record_route_params(struct sip_msg *msg, void **params)
{
	str p;

	if (print_arg(msg, params[0], &p) != SV_OK)
		return -1;
	if (p.len > 0 && p.s[0] != ';') {
		LM_ERR("rr: record_route: parameters '%.*s' do not start with "
		       "';'\n",
		       STR_FMT(&p));
		return -1;
	}
	return record_here(msg, &p);
}

/* record_route_preset(hostport): the given address instead of ours. */
int w_record_route_preset(struct sip_msg *msg, void **params)
{
	str hp, none = STR_NULL;

	if (print_arg(msg, params[0], &hp) != SV_OK)
		return -1;
	if (hp.len == 0) {
		LM_ERR("rr: record_route_preset: empty address\n");
		return -1;
	}
	if (rr_insert(msg, &hp, NULL, &none) != SV_OK) {
		LM_ERR("rr: record_route_preset failed\n");
		return -1;
	}
	return 1;
}
