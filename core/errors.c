/*
 * errors.c - names of the return codes and their SIP reply mapping.
 *
 * One table keyed by code keeps the name and the reply together, so a new
 * code cannot get a name without deciding what a client would be told.
 */
#include "errors.h"

int sv_last_error = SV_OK;

struct err_entry {
	int rc;
	const char *name;
	int sip_code;
	const char *sip_reason;
};

static const struct err_entry err_table[] = {
	{ SV_OK, "success", 200, "OK" },
	{ SV_ERR, "generic error", 500, "Server Internal Error" },
	{ SV_ENOMEM, "out of memory", 500, "Server Internal Error" },
	{ SV_EAGAIN, "try again", 500, "Server Internal Error" },
	{ SV_ENOTFOUND, "not found", 500, "Server Internal Error" },
	{ SV_EBUSY, "busy", 500, "Server Internal Error" },
	{ SV_EINVAL, "invalid argument", 500, "Server Internal Error" },
	{ SV_EEXIST, "already exists", 500, "Server Internal Error" },
	{ SV_EBADMSG, "bad message", 400, "Bad Request" },
	{ SV_EBADURI, "bad URI", 400, "Bad Request URI" },
	{ SV_EBADVER, "unsupported SIP version", 505, "Version Not Supported" },
	{ SV_EBADSCHEME, "unsupported URI scheme", 416, "Unsupported URI Scheme" },
	{ SV_EBADTUPLE, "transaction tuple incomplete", 400, "Transaction tuple incomplete" },
	{ SV_EBADTO, "bad To header", 400, "Bad To" },
	{ SV_EBADADDR, "unresolvable destination", 476, "Unresolvable destination" },
	{ SV_EBLOCKED, "destination filtered", 473, "Filtered destination" },
	{ SV_ESEND, "send failed", 477, "Send failed" },
	{ SV_ENODEST, "no destination", 500, "No destination available" },
	{ SV_ETOOMANY, "too many branches", 500, "Forking capacity exceeded" },
	{ SV_EEXEC, "error in external logic", 500, "Error in external logic" },
	{ SV_EQVALUE, "bad q value", 400, "Bad q value" },
	{ SV_ETOOBIG, "too big", 513, "Message Too Large" },
	{ SV_EIO, "I/O error", 500, "Server Internal Error" },
	{ SV_ETIMEOUT, "timed out", 500, "Server Internal Error" },
	{ SV_ENOTIMPL, "not implemented", 501, "Not Implemented" },
	{ SV_EHOPS, "Max-Forwards exhausted", 483, "Too Many Hops" },
};

static const struct err_entry *err_find(int rc)
{
	unsigned i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].rc == rc)
			return &err_table[i];
	return &err_table[1];
}

const char *sv_strerror(int rc)
{
	if (rc > 0 || rc < SV_ERC_MIN)
		return "unknown error";
	return err_find(rc)->name;
}

void sv_err_reply(int rc, int *code, const char **reason)
{
	const struct err_entry *e = err_find(rc);

	if (rc == SV_OK)
		e = &err_table[1];
	*code = e->sip_code;
	*reason = e->sip_reason;
}
