/*
 * act_branch.c - append_branch(), append_branch(uri), append_branch(uri,
 * q), force_send_socket("proto:ip:port"), force_rport()/add_rport(),
 * force_local_rport()/add_local_rport(), set_advertised_address(addr),
 * set_advertised_port(port).
 *
 * append_branch() appends the current R-URI with its destination URI, q,
 * branch flags and forced socket (the R-URI itself stays: the script then
 * usually rewrites it for the next target); with a URI it appends that URI
 * alone (no destination URI, flags 0).  force_send_socket names a listen
 * socket, checked at fixup.  The advertised address and port replace the
 * socket's in the Via serval adds when it forwards this message.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "fixup.h"
#include "core/dset.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/socket.h"
#include "core/parser/msg.h"

/* append_branch(uri, q): q "0.5" -> 500 (0..1000) */
FIXUP(fixup_q)
{
	const char *s = *param;
	char *end;
	double q;

	if (idx == 0)
		return fixup_uri(ctx, param, idx);
	q = strtod(s, &end);
	if (end == s || *end || q < 0 || q > 1)
		return fixup_error(ctx, "bad q value \"%s\" (0 to 1 expected)",
		                   s);
	*param = (void *)(long)(q * 1000 + 0.5);
	return SV_OK;
}

FIXUP_FREE(free_q)
{
	if (idx == 0)
		fixup_free_str(param, idx);
}

FIXUP(fixup_send_socket)
{
	char err[160];
	struct socket_info *si = socket_from_spec(*param, err, sizeof(err));

	if (!si)
		return fixup_error(ctx, "%s", err);
	*param = si;
	return SV_OK;
}

static int appended(int rc)
{
	if (rc == SV_OK)
		return 1;
	LM_ERR("append_branch: %s\n", sv_strerror(rc));
	return rc;
}

ACTION(w_append_branch0)
{
	if (!msg_is_request(msg))
		return SV_EINVAL;
	return appended(dset_append_ruri(msg));
}

ACTION(w_append_branch1)
{
	return appended(
	    dset_append(params[0], NULL, DSET_Q_UNSPECIFIED, 0, NULL));
}

ACTION(w_append_branch2)
{
	return appended(
	    dset_append(params[0], NULL, (int)(long)params[1], 0, NULL));
}

ACTION(w_force_rport)
{
	msg->core_flags |= MSG_CF_FORCE_RPORT;
	return 1;
}

ACTION(w_force_local_rport)
{
	msg->core_flags |= MSG_CF_LOCAL_RPORT;
	return 1;
}

ACTION(w_force_send_socket)
{
	msg->force_send_socket = params[0];
	return 1;
}

ACTION(w_set_adv_address)
{
	msg->adv_address = *(str *)params[0];
	return 1;
}

ACTION(w_set_adv_port)
{
	msg->adv_port = *(str *)params[0];
	return 1;
}
