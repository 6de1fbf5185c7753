/*
 * pv_addr.c - the address headers: $fu $fU $fd $fn $ft (From), $tu $tU
 * $td $tn $tt (To), $rt (Refer-To URI), $di (Diversion URI), $re
 * (Remote-Party-ID URI), $ai (P-Asserted-Identity URI), $pu $pU $pd $pn
 * (P-Preferred-Identity).
 *
 * Each reads the first header of its kind through the To-style parser
 * (cached in the header).  From and To were validated by check_request();
 * the others are optional, so a value that does not parse reads as null
 * and leaves the message's error record alone (reading a variable must not
 * turn a request into a 400).
 */
#include "pv_core.h"
#include "pv_priv.h"
#include "parser/msg.h"
#include "parser/to_from.h"

enum addr_part { AP_URI, AP_USER, AP_DOMAIN, AP_DISPLAY, AP_TAG };

static const struct {
	int type;
	int part;
	int hdr; /* 0 From, 1 To, 2 Refer-To, 3 Diversion, 4 RPID, 5 PAI, 6 PPI
	          */
} addr_map[] = {
    {PVT_FROM, AP_URI, 0},
    {PVT_FROM_USER, AP_USER, 0},
    {PVT_FROM_DOMAIN, AP_DOMAIN, 0},
    {PVT_FROM_DISPLAY, AP_DISPLAY, 0},
    {PVT_FROM_TAG, AP_TAG, 0},
    {PVT_TO, AP_URI, 1},
    {PVT_TO_USER, AP_USER, 1},
    {PVT_TO_DOMAIN, AP_DOMAIN, 1},
    {PVT_TO_DISPLAY, AP_DISPLAY, 1},
    {PVT_TO_TAG, AP_TAG, 1},
    {PVT_REFER_TO, AP_URI, 2},
    {PVT_DIVERSION, AP_URI, 3},
    {PVT_RPID, AP_URI, 4},
    {PVT_PAI, AP_URI, 5},
    {PVT_PPI, AP_URI, 6},
    {PVT_PPI_USER, AP_USER, 6},
    {PVT_PPI_DOMAIN, AP_DOMAIN, 6},
    {PVT_PPI_DISPLAY, AP_DISPLAY, 6},
};

static struct hdr_field *addr_hdr(const struct sip_msg *msg, int which)
{
	switch (which) {
	case 0:
		return msg->from;
	case 1:
		return msg->to;
	case 2:
		return msg->refer_to;
	case 3:
		return msg->diversion;
	case 4:
		return msg->rpid;
	case 5:
		return msg->pai;
	default:
		return msg->ppi;
	}
}

/* Parses hdr (and its URI when uri != NULL) keeping msg->err on failure. */
static struct to_body *parse_quiet(struct sip_msg *msg, struct hdr_field *h,
                                   struct sip_uri **uri)
{
	struct msg_error saved = msg->err;
	int last = sv_last_error;
	struct to_body *tb = NULL;

	if (parse_to_body_hdr(msg, h) == SV_OK) {
		tb = h->parsed;
		if (uri && to_body_uri(msg, tb, uri) != SV_OK)
			tb = NULL;
	}
	if (!tb) {
		msg->err = saved;
		sv_last_error = last;
	}
	return tb;
}

static int addr_value(struct sip_msg *msg, struct hdr_field *h, int part,
                      struct pv_value *res)
{
	struct sip_uri *u = NULL;
	struct to_body *tb;
	int need_uri = part == AP_USER || part == AP_DOMAIN;

	tb = parse_quiet(msg, h, need_uri ? &u : NULL);
	if (!tb)
		return pv_null(res);
	switch (part) {
	case AP_URI:
		return pv_str(res, &tb->uri);
	case AP_USER:
		return u->user.len ? pv_str(res, &u->user) : pv_null(res);
	case AP_DOMAIN:
		return u->host.len ? pv_str(res, &u->host) : pv_null(res);
	case AP_DISPLAY:
		return tb->display.len ? pv_str(res, &tb->display)
		                       : pv_null(res);
	default:
		return tb->tag_value.len ? pv_str(res, &tb->tag_value)
		                         : pv_null(res);
	}
}

PV_GETTER(pv_get_addr)
{
	struct hdr_field *h;
	unsigned i;

	for (i = 0; i < sizeof(addr_map) / sizeof(addr_map[0]); i++) {
		if (addr_map[i].type != sp->exp->type)
			continue;
		h = addr_hdr(msg, addr_map[i].hdr);
		if (!h)
			return pv_null(res);
		return addr_value(msg, h, addr_map[i].part, res);
	}
	return pv_null(res);
}
