/*
 * sl_funcs.h - stateless replies, the ACK filter, sl_reply_error() and the
 * binding to tm: the logic of the sl module, free of script types (the
 * script wrappers in sl.c turn fixed-up arguments into these calls, and the
 * unit tests call them directly).
 *
 * C functions here return SV_OK or a negative SV_E* code; the script
 * wrappers turn that into OpenSER's 1 / -1.
 *
 * Sending goes through a replaceable function (sl_set_sender()), by default
 * core/forward.h's send_reply_buf(): from the socket the request arrived
 * on, to the address RFC 3261 §18.2.2 and RFC 3581 name.  Tests install
 * their own to capture what would be sent, with no socket.
 */
#ifndef SERVAL_MODULES_SL_SL_FUNCS_H
#define SERVAL_MODULES_SL_SL_FUNCS_H

#include "core/str.h"

struct sip_msg;
struct tm_binds;

/* The ACK filter looks at ACKs only this long after the last sl reply. */
#define SL_RPL_WAIT_TIME 2000 /* ms (OpenSER: 2 s) */
#define SL_RPL_STAMP_MS 100   /* resolution of the last-reply time */

/* Longest reason phrase sl prints from pseudo-variables. */
#define SL_REASON_MAX 256

/*
 * Module settings, from the default_code and default_reason parameters:
 * what sl_reply_error() sends when no error was recorded, and what the
 * script wrappers fall back to when a pseudo-variable argument gives no
 * usable value.
 */
struct sl_settings {
	int default_code;
	str default_reason;
};

extern struct sl_settings sl_settings;

/*
 * Sets up what sl shares between processes (the time of the last reply,
 * in shm).  Master, from mod_init.  Returns SV_OK or SV_ENOMEM.
 */
int sl_startup(void);

/* Releases what sl_startup() made (master, destroy).  Safe to repeat. */
void sl_shutdown(void);

/*
 * Sends a stateless reply to request msg: code (100..699) and reason; a
 * to-tag (sl_tag.h) is added when code >= 180 and the request's To has no
 * tag; a 3xx lists the destination set, if any, as its Contact.  Never replies
 * to an ACK.  Counts the statistics.  Returns SV_OK; SV_EINVAL (msg is an ACK
 * or a reply, or code out of range: nothing is sent or counted); a
 * build_reply() error (SV_EBADMSG, SV_ETOOBIG ...) or a send error (SV_ESEND
 * ...), both counted as failures and recorded in sv_last_error.
 */
int sl_reply(struct sip_msg *msg, int code, const str *reason);

/*
 * sl_reply() with the to-tag given (for a module that manages its own
 * dialogs); tag NULL means sl's own.  The tag is added only when the
 * request's To has none, as with sl_reply().
 */
int sl_reply_tagged(struct sip_msg *msg, int code, const str *reason,
                    const str *tag);

/*
 * Replies statelessly with what describes the last error: the parser's
 * record in msg->err when the message is malformed (its rcode and
 * rreason), else sv_err_reply(sv_last_error) when a function failed, else
 * sl_settings' default code and reason.  Returns as sl_reply().
 */
int sl_reply_error(struct sip_msg *msg);

/*
 * The code and reason sl_reply_error() would send for msg (reason points
 * to static or message memory).
 */
void sl_error_reply_for(const struct sip_msg *msg, int *code, str *reason);

/*
 * Replies within msg's transaction through tm when sl is bound to tm
 * (sl_bind_tm()) and tm has a transaction for msg; statelessly otherwise
 * (sl_reply()).  Returns SV_OK or the error of whichever path ran.
 */
int sl_reply_any(struct sip_msg *msg, int code, const str *reason);

/*
 * Looks up tm's "load_tm" api and binds to it.  Returns SV_OK when bound,
 * SV_ENOTFOUND when no loaded module exports it (sl stays stateless),
 * SV_EINVAL when load_tm refused the binding (logged).  Master, mod_init.
 */
int sl_bind_tm(void);

/*
 * Uses tmb for sl_reply_any() (a copy is kept); NULL unbinds.  For
 * sl_bind_tm() and for tests.
 */
void sl_set_tm(const struct tm_binds *tmb);

/*
 * The ACK filter, a pre-script callback for requests (core/script_cb.h):
 * returns 0 for an ACK carrying a to-tag of sl's own reply to the same
 * transaction (the ACK is absorbed and counted in received_ACKs), 1 for
 * every other message.  ACKs arriving within SL_RPL_WAIT_TIME of the last
 * sl reply are examined (and up to SL_RPL_STAMP_MS later), later ones
 * are not.
 */
int sl_filter_ack(struct sip_msg *msg, void *param);

/* How replies leave; returns SV_OK or a send error. */
typedef int (*sl_send_f)(struct sip_msg *req, const char *buf, int len);

/* Installs f as the sender; NULL restores send_reply_buf(). */
void sl_set_sender(sl_send_f f);

#endif /* SERVAL_MODULES_SL_SL_FUNCS_H */
