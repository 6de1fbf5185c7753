/*
 * msg_err.c - filling the error record of a message.
 *
 * Errors are logged at debug level only: a malformed message is a normal
 * event on a public port, and the layer that decides what to do with it
 * (reply 400, drop a reply) logs what it does.
 */
#include "msg_err.h"

#include "../errors.h"
#include "../log.h"
#include "msg.h"

int msg_error(struct sip_msg *msg, int rc, int rcode, const char *rreason,
              const char *info)
{
	struct msg_error *e = &msg->err;

	if (rc == SV_ENOMEM) {
		e->eclass = ERR_CLASS_PMEM;
		e->level = ERR_LEVEL_HIGH;
	} else {
		e->eclass = ERR_CLASS_PARSER;
		e->level = ERR_LEVEL_MEDIUM;
	}
	e->rc = rc;
	e->rcode = rcode;
	e->info = str_from_cstr(info);
	e->rreason = str_from_cstr(rreason);
	sv_last_error = rc;
	LM_DBG("message %u: %s (%d %s)\n", msg->id, info, rcode, rreason);
	return rc;
}

int msg_bad(struct sip_msg *msg, const char *info)
{
	return msg_error(msg, SV_EBADMSG, 400, "Bad Request", info);
}

int msg_nomem(struct sip_msg *msg)
{
	return msg_error(msg, SV_ENOMEM, 500, "Server Internal Error",
	                 "out of memory while parsing");
}

void msg_error_reset(struct sip_msg *msg)
{
	struct msg_error *e = &msg->err;

	e->eclass = ERR_CLASS_NONE;
	e->level = ERR_LEVEL_NONE;
	e->rc = SV_OK;
	e->rcode = 0;
	e->info.s = NULL;
	e->info.len = 0;
	e->rreason.s = NULL;
	e->rreason.len = 0;
}
