/*
 * pv_ruri.c - $ru $rU $rd $rp $rP (the current R-URI), $ou $oU $od $op
 * $oP (the R-URI as received), $du $dd $dp $dP (the destination URI), and
 * the setters of $ru $rU $rd $rp $du.
 *
 * A missing port reads as 5060 and a missing transport as "UDP", as in
 * OpenSER.  All of them are null for replies; $dd $dp $dP are null when
 * no destination URI is set.
 */
#include <string.h>

#include "pv_core.h"
#include "pv_priv.h"
#include "ruri.h"
#include "parser/msg.h"
#include "parser/msg_uri.h"
#include "parser/uri.h"

static const str s_5060 = STR_LIT("5060");
static const str s_udp = STR_LIT("UDP");

enum uri_attr { UA_USER, UA_DOMAIN, UA_PORT, UA_PROTO };

static int uri_attr(struct pv_value *res, const struct sip_uri *u, int which)
{
	switch (which) {
	case UA_USER:
		return u->user.len ? pv_str(res, &u->user) : pv_null(res);
	case UA_DOMAIN:
		return u->host.len ? pv_str(res, &u->host) : pv_null(res);
	case UA_PORT:
		if (!u->port.len)
			return pv_int_str(res, 5060, &s_5060);
		return pv_int_str(res, u->port_no, &u->port);
	default:
		if (!u->transport_val.len)
			return pv_int_str(res, PROTO_UDP, &s_udp);
		return pv_int_str(res, u->proto, &u->transport_val);
	}
}

/* Which attribute a $rX / $oX / $dX type reads. */
static int attr_of(int type)
{
	switch (type) {
	case PVT_RURI_USER:
	case PVT_OURI_USER:
		return UA_USER;
	case PVT_RURI_DOMAIN:
	case PVT_OURI_DOMAIN:
	case PVT_DSTURI_DOMAIN:
		return UA_DOMAIN;
	case PVT_RURI_PORT:
	case PVT_OURI_PORT:
	case PVT_DSTURI_PORT:
		return UA_PORT;
	default:
		return UA_PROTO;
	}
}

PV_GETTER(pv_get_ruri)
{
	if (!msg_is_request(msg))
		return pv_null(res);
	return pv_str(res, msg_ruri(msg));
}

PV_GETTER(pv_get_ruri_attr)
{
	if (!msg_is_request(msg) || parse_sip_msg_uri(msg) != SV_OK)
		return pv_null(res);
	return uri_attr(res, &msg->parsed_uri, attr_of(sp->exp->type));
}

PV_GETTER(pv_get_ouri)
{
	if (!msg_is_request(msg))
		return pv_null(res);
	return pv_str(res, &REQ_LINE(msg).uri);
}

PV_GETTER(pv_get_ouri_attr)
{
	if (!msg_is_request(msg) || parse_orig_ruri(msg) != SV_OK)
		return pv_null(res);
	return uri_attr(res, &msg->parsed_orig_ruri, attr_of(sp->exp->type));
}

PV_GETTER(pv_get_dsturi)
{
	if (!msg->dst_uri.len)
		return pv_null(res);
	return pv_str(res, &msg->dst_uri);
}

PV_GETTER(pv_get_dsturi_attr)
{
	struct sip_uri u; /* res points into msg->dst_uri, not into u */

	if (!msg->dst_uri.len ||
	    parse_uri(msg->dst_uri.s, msg->dst_uri.len, &u) != SV_OK)
		return pv_null(res);
	return uri_attr(res, &u, attr_of(sp->exp->type));
}

/* The value as a string to store: ints are printed. */
static const str *value_text(const struct pv_value *val, char *buf, str *tmp)
{
	if (!val)
		return NULL;
	if (val->flags & PV_VAL_STR)
		return &val->rs;
	tmp->s = buf;
	tmp->len = pv_itoa(val->ri, buf);
	return tmp;
}

PV_SETTER(pv_set_ruri)
{
	char num[24];
	str tmp;

	if (!val) {
		reset_new_uri(msg); /* $ru = null: back to the received one */
		return SV_OK;
	}
	return ruri_rewrite(msg, RURI_WHOLE, value_text(val, num, &tmp));
}

PV_SETTER(pv_set_ruri_part)
{
	char num[24];
	str tmp;
	int part = sp->exp->type == PVT_RURI_USER     ? RURI_USER
	           : sp->exp->type == PVT_RURI_DOMAIN ? RURI_HOST
	                                              : RURI_PORT;

	if (!val && part == RURI_HOST)
		return SV_EINVAL;
	return ruri_rewrite(msg, part, value_text(val, num, &tmp));
}

PV_SETTER(pv_set_dsturi)
{
	char num[24];
	struct sip_uri u;
	const str *s;
	str tmp;

	if (!val) {
		reset_dst_uri(msg);
		return SV_OK;
	}
	s = value_text(val, num, &tmp);
	if (s->len == 0 || parse_uri(s->s, s->len, &u) != SV_OK)
		return SV_EBADURI;
	return set_dst_uri(msg, s);
}
