/*
 * pv_misc.c - $si $sp $Ri $Rp $fs (network), $mf $mF $bf $bF $sf $sF
 * (flags), $rc/$retcode, $pp, $Ts, $Tf, $err.*, and the destination set:
 * $ds, $br, $bR.
 *
 * Flags in hexadecimal print as eight upper-case digits ("0000001A").
 * $br is the URI of the first appended branch and may be assigned (it
 * replaces that URI, or appends a branch when there is none); $bR lists
 * every appended branch as "uri[;q=x], ..."; $ds the whole set, R-URI
 * first, as a Contact list (null when nothing was appended).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dset.h"
#include "log.h"
#include "flags.h"
#include "ip_addr.h"
#include "msg_builder.h"
#include "pv_core.h"
#include "pv_priv.h"
#include "socket.h"
#include "parser/msg.h"

int pv_retcode;

static int ip_value(const struct ip_addr *ip, struct pv_value *res)
{
	static char buf[4][IP_ADDR_MAX_STR];
	static unsigned next;
	char *b = buf[next++ % 4];
	str s;

	s.len = ip_addr_print(ip, b, IP_ADDR_MAX_STR);
	if (s.len < 0)
		return pv_null(res);
	s.s = b;
	return pv_str(res, &s);
}

static int time_value(struct pv_value *res)
{
	static char buf[32];
	time_t now = time(NULL);
	str s;

	if (!ctime_r(&now, buf))
		return pv_null(res);
	s.s = buf;
	s.len = (int)strlen(buf);
	if (s.len && buf[s.len - 1] == '\n')
		s.len--;
	return pv_str(res, &s);
}

PV_GETTER(pv_get_misc)
{
	switch (sp->exp->type) {
	case PVT_SRC_IP:
		return ip_value(&msg->rcv.src_ip, res);
	case PVT_SRC_PORT:
		return pv_int(res, msg->rcv.src_port);
	case PVT_RCV_IP:
		return ip_value(&msg->rcv.dst_ip, res);
	case PVT_RCV_PORT:
		return pv_int(res, msg->rcv.dst_port);
	case PVT_FORCE_SOCK:
		if (!msg->force_send_socket)
			return pv_null(res);
		return pv_str(res, &msg->force_send_socket->name);
	case PVT_RETCODE:
		return pv_int(res, pv_retcode);
	case PVT_PID:
		return pv_int(res, (long)getpid());
	case PVT_TIME_S:
		return pv_int(res, (long)time(NULL));
	case PVT_TIME_F:
		return time_value(res);
	default:
		return pv_null(res);
	}
}

static int hex_value(unsigned int v, struct pv_value *res)
{
	static char buf[4][12];
	static unsigned next;
	char *b = buf[next++ % 4];

	res->flags = PV_VAL_INT | PV_VAL_STR;
	res->ri = v;
	res->rs.s = b;
	res->rs.len = snprintf(b, 12, "%08X", v);
	return SV_OK;
}

PV_GETTER(pv_get_flags)
{
	switch (sp->exp->type) {
	case PVT_MFLAGS:
		return pv_int(res, msg->flags);
	case PVT_MFLAGS_HEX:
		return hex_value(msg->flags, res);
	case PVT_BFLAGS:
		return pv_int(res, msg->ruri_bflags);
	case PVT_BFLAGS_HEX:
		return hex_value(msg->ruri_bflags, res);
	case PVT_SFLAGS:
		return pv_int(res, script_flags);
	default:
		return hex_value(script_flags, res);
	}
}

PV_GETTER(pv_get_err)
{
	const struct msg_error *e = &msg->err;

	switch (sp->exp->type) {
	case PVT_ERR_CLASS:
		return pv_int(res, e->eclass);
	case PVT_ERR_LEVEL:
		return pv_int(res, e->level);
	case PVT_ERR_INFO:
		return e->info.len ? pv_str(res, &e->info) : pv_null(res);
	case PVT_ERR_RCODE:
		return pv_int(res, e->rcode);
	default:
		return e->rreason.len ? pv_str(res, &e->rreason) : pv_null(res);
	}
}

/* "uri1;q=0.5, uri2" */
static int branches_value(struct pv_value *res)
{
	static char buf[DSET_MAX_BRANCHES * (DSET_MAX_URI + 16)];
	struct dset_branch *b;
	char q[8];
	int i, n = 0;
	str s;

	for (i = 0; (b = dset_branch(i)) != NULL; i++) {
		n += snprintf(buf + n, sizeof(buf) - n, "%s%.*s", i ? ", " : "",
		              STR_FMT(&b->uri));
		if (b->q != DSET_Q_UNSPECIFIED) {
			dset_print_q(b->q, q);
			n += snprintf(buf + n, sizeof(buf) - n, ";q=%s", q);
		}
	}
	if (i == 0)
		return pv_null(res);
	s.s = buf;
	s.len = n;
	return pv_str(res, &s);
}

PV_GETTER(pv_get_branch)
{
	static char buf[DSET_MAX_BRANCHES * (DSET_MAX_URI + 16)];
	struct dset_branch *b;
	str s;

	switch (sp->exp->type) {
	case PVT_BRANCH:
		b = dset_branch(0);
		return b ? pv_str(res, &b->uri) : pv_null(res);
	case PVT_BRANCHES:
		return branches_value(res);
	default: /* $ds */
		if (!msg_is_request(msg))
			return pv_null(res);
		s.len = dset_print(msg, buf, sizeof(buf));
		if (s.len <= 0)
			return pv_null(res);
		s.s = buf;
		return pv_str(res, &s);
	}
}

PV_SETTER(pv_set_branch)
{
	if (!val || !(val->flags & PV_VAL_STR) || val->rs.len == 0)
		return SV_EINVAL;
	if (dset_count() == 0)
		return dset_append(&val->rs, NULL, DSET_Q_UNSPECIFIED, 0, NULL);
	return dset_set_uri(0, &val->rs);
}

PV_SETTER(pv_set_force_sock)
{
	char spec[128], err[128];
	struct socket_info *si;

	if (!val) {
		msg->force_send_socket = NULL;
		return SV_OK;
	}
	if (!(val->flags & PV_VAL_STR) || val->rs.len >= (int)sizeof(spec))
		return SV_EINVAL;
	memcpy(spec, val->rs.s, val->rs.len);
	spec[val->rs.len] = '\0';
	si = socket_from_spec(spec, err, sizeof(err));
	if (!si) {
		LM_ERR("$fs: %s\n", err);
		return SV_EINVAL;
	}
	msg->force_send_socket = si;
	return SV_OK;
}
