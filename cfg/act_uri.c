/*
 * act_uri.c - the R-URI and destination URI functions: rewriteuri/seturi,
 * rewritehost/sethost/seth, rewritehostport/sethostport/sethp,
 * rewriteuser/setuser/setu, rewriteuserpass/setuserpass/setup,
 * rewriteport/setport/setp, prefix, strip, strip_tail, revert_uri,
 * setdsturi/setduri, resetdsturi/resetduri, isdsturiset/isduriset.
 *
 * The work is core/ruri.c's; these wrappers only pick the part.  A whole
 * URI given to seturi/setdsturi must parse (checked at fixup); a port must
 * be a number from 1 to 65535 or empty (setport("") removes the port).
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "fixup.h"
#include "core/errors.h"
#include "core/ruri.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"
#include "core/parser/uri.h"

FIXUP(fixup_uri)
{
	struct sip_uri u;
	const char *s = *param;

	if (parse_uri(s, (int)strlen(s), &u) != SV_OK)
		return fixup_error(ctx, "\"%s\" is not a valid URI", s);
	return fixup_str(ctx, param, idx);
}

FIXUP(fixup_port_str)
{
	const char *s = *param;
	char *stop;
	long p;

	if (*s) {
		p = strtol(s, &stop, 10);
		if (*stop || p < 1 || p > 65535)
			return fixup_error(ctx, "bad port \"%s\"", s);
	}
	return fixup_str(ctx, param, idx);
}

static int done(int rc)
{
	return rc == SV_OK ? 1 : rc;
}

ACTION(w_seturi)
{
	return done(ruri_rewrite(msg, RURI_WHOLE, params[0]));
}

ACTION(w_sethost)
{
	return done(ruri_rewrite(msg, RURI_HOST, params[0]));
}

ACTION(w_sethostport)
{
	return done(ruri_rewrite(msg, RURI_HOSTPORT, params[0]));
}

ACTION(w_setuser)
{
	return done(ruri_rewrite(msg, RURI_USER, params[0]));
}

ACTION(w_setuserpass)
{
	return done(ruri_rewrite(msg, RURI_USERPASS, params[0]));
}

ACTION(w_setport)
{
	return done(ruri_rewrite(msg, RURI_PORT, params[0]));
}

ACTION(w_prefix)
{
	return done(ruri_prefix(msg, params[0]));
}

ACTION(w_strip)
{
	return done(ruri_strip(msg, fixup_get_int(params[0]), 0));
}

ACTION(w_strip_tail)
{
	return done(ruri_strip(msg, fixup_get_int(params[0]), 1));
}

ACTION(w_revert_uri)
{
	if (!msg_is_request(msg))
		return SV_EINVAL;
	reset_new_uri(msg);
	return 1;
}

ACTION(w_setdsturi)
{
	return done(set_dst_uri(msg, params[0]));
}

ACTION(w_resetdsturi)
{
	reset_dst_uri(msg);
	return 1;
}

ACTION(w_isdsturiset)
{
	return msg->dst_uri.len ? 1 : -1;
}
