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
 * One Record-Route is inserted, with the receiving socket: serval does not
 * write a second one for the sending socket (OpenSER's enable_double_rr).
 * Calling it twice inserts two (as OpenSER).
 */
#include "rr_mod.h"

#include "core/errors.h"
#include "core/ip_addr.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/parser/msg.h"
#include "core/parser/to_from.h"
#include "core/socket.h"

#include <stdio.h>
#include <stdlib.h>

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
	rc = lump_prepend_header(msg, &line, 0);
	free(line.s);
	return rc;
}

/* record_route(): the receiving socket's address and port. */
int w_record_route(struct sip_msg *msg, void **params)
{
	const struct socket_info *si = msg->rcv.bind_address;
	char hp[IP_ADDR_MAX_STR + 8];
	str hostport = {hp, 0}, none = STR_NULL;

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
	              &none) != SV_OK) {
		LM_ERR("rr: record_route failed\n");
		return -1;
	}
	return 1;
}
