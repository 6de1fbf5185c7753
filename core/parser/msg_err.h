/*
 * msg_err.h - what is wrong with a message, as the script and sl see it.
 *
 * When parsing or checking finds a message malformed, it records one error
 * in the message: its class and level (OpenSER's numbers), a short English
 * description and the SIP reply that fits (400, 505, 416, 501 ...).  The
 * script reads them as $err.class, $err.level, $err.info, $err.rcode and
 * $err.rreason in error_route, and sl_reply_error() answers with rcode and
 * rreason.  The same failure also sets sv_last_error (core/errors.h) to the
 * SV_E* code, which is kept in `rc`.
 *
 * All strings are static: an error record never owns memory.
 */
#ifndef SERVAL_CORE_PARSER_MSG_ERR_H
#define SERVAL_CORE_PARSER_MSG_ERR_H

#include "../str.h"

/* $err.class */
enum err_class {
	ERR_CLASS_NONE = 0,
	ERR_CLASS_PARSER = 1, /* the message is malformed */
	ERR_CLASS_PMEM = 2,   /* out of private memory while parsing */
	ERR_CLASS_SMEM = 3    /* out of shared memory */
};

/* $err.level */
enum err_level {
	ERR_LEVEL_NONE = 0,
	ERR_LEVEL_CRIT = 1,
	ERR_LEVEL_HIGH = 2,
	ERR_LEVEL_MEDIUM = 3, /* parse errors */
	ERR_LEVEL_NORMAL = 4,
	ERR_LEVEL_LOW = 5
};

struct msg_error {
	int eclass;  /* enum err_class; ERR_CLASS_NONE when nothing is wrong */
	int level;   /* enum err_level */
	int rc;      /* the SV_E* code of the failure */
	int rcode;   /* SIP status to answer with (400, 505 ...) */
	str info;    /* what is wrong ("bad Via header") */
	str rreason; /* reason phrase of the reply */
};

struct sip_msg;

/*
 * Records an error in msg (replacing an earlier one) and sets sv_last_error
 * to rc.  rcode/rreason are the reply to send; info and rreason must be
 * static strings.  The class follows rc: SV_ENOMEM is ERR_CLASS_PMEM at
 * ERR_LEVEL_HIGH, anything else ERR_CLASS_PARSER at ERR_LEVEL_MEDIUM.
 * Returns rc, so callers can write `return msg_error(...)`.
 */
int msg_error(struct sip_msg *msg, int rc, int rcode, const char *rreason,
              const char *info);

/* Shorthand for the common case: SV_EBADMSG, 400 "Bad Request", info. */
int msg_bad(struct sip_msg *msg, const char *info);

/* Records an out-of-memory failure (500); returns SV_ENOMEM. */
int msg_nomem(struct sip_msg *msg);

/* Clears the error record of msg (sv_last_error is left alone). */
void msg_error_reset(struct sip_msg *msg);

#endif /* SERVAL_CORE_PARSER_MSG_ERR_H */
