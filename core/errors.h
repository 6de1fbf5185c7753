/*
 * errors.h - the one return-code vocabulary of serval's C code.
 *
 * Every C function that can fail returns an int from this list: SV_OK (0) on
 * success, a negative SV_E* code on failure, and, where a function documents
 * it, a positive count or index on success.  Nothing else (no 1/0 booleans for
 * failure, no library-local code sets).
 *
 * Script functions are different and keep OpenSER's convention, which is not
 * expressed with these codes: > 0 true, < 0 false, 0 stop the script (see
 * cfg/interp.h).
 *
 * The codes that describe why a request could not be handled (bad message,
 * unresolvable destination, send failure ...) are also what a worker records
 * as its "last error" (sv_last_error) so that sl_reply_error() and tm can turn
 * them into a SIP reply: sv_err_reply() below gives the status and reason.
 */
#ifndef SERVAL_CORE_ERRORS_H
#define SERVAL_CORE_ERRORS_H

enum sv_rc {
	SV_OK = 0,
	SV_ERR = -1,          /* generic failure, already logged */
	SV_ENOMEM = -2,       /* out of pkg or shm memory */
	SV_EAGAIN = -3,       /* would block / try again later */
	SV_ENOTFOUND = -4,    /* no such object */
	SV_EBUSY = -5,        /* object in use (e.g. timer firing) */
	SV_EINVAL = -6,       /* invalid argument or configuration */
	SV_EEXIST = -7,       /* already exists */
	SV_EBADMSG = -8,      /* malformed SIP message */
	SV_EBADURI = -9,      /* malformed or unsupported URI */
	SV_EBADVER = -10,     /* unsupported SIP version */
	SV_EBADSCHEME = -11,  /* unsupported URI scheme */
	SV_EBADTUPLE = -12,   /* transaction tuple incomplete */
	SV_EBADTO = -13,      /* bad To header */
	SV_EBADADDR = -14,    /* unresolvable destination */
	SV_EBLOCKED = -15,    /* destination filtered / blacklisted */
	SV_ESEND = -16,       /* sending failed */
	SV_ENODEST = -17,     /* no destination (no branch, cancelled) */
	SV_ETOOMANY = -18,    /* too many branches */
	SV_EEXEC = -19,       /* error in external logic */
	SV_EQVALUE = -20,     /* bad q value */
	SV_ETOOBIG = -21,     /* message or buffer too big */
	SV_EIO = -22,         /* I/O error (errno logged) */
	SV_ETIMEOUT = -23,    /* timed out */
	SV_ENOTIMPL = -24,    /* request method not implemented */
	SV_EHOPS = -25,       /* Max-Forwards exhausted */
	SV_ERC_MIN = -25
};

/*
 * Returns a short constant English name for rc ("out of memory" ...), never
 * NULL; unknown codes give "unknown error".
 */
const char *sv_strerror(int rc);

/*
 * Maps an error code to the SIP reply a server should send for it (the
 * sl_reply_error()/tm rule): *code gets the status, *reason the phrase
 * (static storage).  Memory exhaustion is deliberately reported as a plain
 * 500 "Server Internal Error".  Always succeeds.
 */
void sv_err_reply(int rc, int *code, const char **reason);

/*
 * The last request-processing error of this process (per process, not
 * shared): set by the function that failed, read by sl_reply_error().
 * SV_OK when nothing failed since the current message was received.
 */
extern int sv_last_error;

#endif /* SERVAL_CORE_ERRORS_H */
