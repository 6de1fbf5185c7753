/*
 * sl_funcs.c - stateless replies, the ACK filter, sl_reply_error() and the
 * tm binding (see sl_funcs.h).
 *
 * A reply is printed by core/msg_builder.h's build_reply() into one static
 * buffer per process (a process handles one message at a time) and handed
 * to the sender; a 3xx reply gets the destination set (core/dset.h) as its
 * Contact, printed into another static buffer.  Nothing is allocated per
 * reply.
 *
 * The ACK gate: the ACK of a negative stateless reply arrives within a few
 * round-trips of the reply.  One shm word holds the time of the last reply
 * any process sent; an ACK arriving more than SL_RPL_WAIT_TIME after it is
 * let through without parsing its To header.  The word is read with a
 * relaxed load and written with a relaxed store, only when it is
 * SL_RPL_STAMP_MS old or more: every worker reads that cache line, and a
 * store per reply would take it away from all of them on every reply.  The
 * gate stays open SL_RPL_STAMP_MS longer to make up for it, so every ACK
 * within SL_RPL_WAIT_TIME of a reply is examined (and a few more).  A stale
 * read only means one ACK is examined, or let through, needlessly.  As in
 * OpenSER, an ACK that comes later than that (a UA retransmitting an ACK
 * long after) reaches the script, which should drop it.
 *
 * tm binding: send_reply() needs the transaction of the message and a way
 * to reply in it; tm gives both through its "load_tm" api
 * (modules/tm/tm_api.h).  Bound or not is decided once in mod_init.
 */
#include "sl_funcs.h"

#include <stdint.h>
#include <string.h>

#include "sl_stats.h"
#include "sl_tag.h"
#include "core/dset.h"
#include "core/errors.h"
#include "core/forward.h"
#include "core/log.h"
#include "core/module.h"
#include "core/msg_builder.h"
#include "core/parser/method.h"
#include "core/parser/msg.h"
#include "core/parser/to_from.h"
#include "modules/tm/tm_api.h"
#include "shm/atomic.h"
#include "shm/shm.h"
#include "timer/timer.h"

struct sl_settings sl_settings = {
    .default_code = 500,
    .default_reason = STR_LIT("Internal Server Error"),
};

static atomic_counter_t *last_reply_ms; /* shm; 0: no reply yet */
static sl_send_f sender = send_reply_buf;
static struct tm_binds tmb;
static int tm_bound;

int sl_startup(void)
{
	if (last_reply_ms != NULL)
		return SV_OK;
	last_reply_ms = shm_calloc(sizeof(*last_reply_ms));
	if (last_reply_ms == NULL) {
		LM_ERR("sl: out of shared memory\n");
		return SV_ENOMEM;
	}
	return SV_OK;
}

void sl_shutdown(void)
{
	if (last_reply_ms != NULL)
		shm_free((void *)last_reply_ms);
	last_reply_ms = NULL;
}

void sl_set_sender(sl_send_f f)
{
	sender = f ? f : send_reply_buf;
}

/* Returns 1 when sl sent a reply less than SL_RPL_WAIT_TIME ago. */
static int replied_recently(void)
{
	long last;

	if (last_reply_ms == NULL)
		return 0;
	last = atomic_get(last_reply_ms);
	return last != 0 && (long)timer_now_ms() - last <
	                        SL_RPL_WAIT_TIME + SL_RPL_STAMP_MS;
}

/* Records that a reply was sent now (see the ACK gate above). */
static void note_reply_time(void)
{
	long now;

	if (last_reply_ms == NULL)
		return;
	now = (long)timer_now_ms();
	if (now - atomic_get(last_reply_ms) >= SL_RPL_STAMP_MS)
		atomic_set(last_reply_ms, now);
}

/* The tag to put in the reply, or NULL when the request's To has one. */
static const str *reply_tag(struct sip_msg *msg, int code, const str *given,
                            str *own)
{
	if (code < 180 || parse_to_header(msg) != SV_OK ||
	    get_to(msg)->tag_value.len > 0)
		return NULL;
	if (given != NULL)
		return given;
	own->len = sl_tag_make(msg, own->s);
	return own;
}

/* "Contact: " + the destination set + CRLF, with room for every branch. */
#define CONTACT_HDR_MAX (DSET_MAX_BRANCHES * (DSET_MAX_URI + 16) + 16)

/*
 * The Contact header of a 3xx reply: the destination set, when the script
 * appended branches (OpenSER's print_dset).  Sets hdrs (empty when there
 * is none).  Returns SV_OK or SV_ETOOBIG.
 */
static int redirect_contact(struct sip_msg *msg, int code, str *hdrs)
{
	static char buf[CONTACT_HDR_MAX];
	static const char name[] = "Contact: ";
	int n;

	hdrs->s = buf;
	hdrs->len = 0;
	if (code < 300 || code > 399)
		return SV_OK;
	memcpy(buf, name, sizeof(name) - 1);
	n = dset_print(msg, buf + sizeof(name) - 1,
	               sizeof(buf) - sizeof(name) - 1);
	if (n <= 0)
		return n;
	n += sizeof(name) - 1;
	buf[n++] = '\r';
	buf[n++] = '\n';
	hdrs->len = n;
	return SV_OK;
}

/* Counts and records a reply that could not be built or sent. */
static int reply_failed(struct sip_msg *msg, int code, int rc, const char *what)
{
	str callid = msg->callid ? msg->callid->body : (str)STR_NULL;

	LM_ERR("sl: cannot %s the %d reply to %.*s (Call-ID %.*s): %s\n", what,
	       code, STR_FMT(&REQ_LINE(msg).method), STR_FMT(&callid),
	       sv_strerror(rc));
	sl_stats_failure();
	sv_last_error = rc;
	return rc;
}

int sl_reply_tagged(struct sip_msg *msg, int code, const str *reason,
                    const str *tag)
{
	static char buf[SIP_MSG_MAX + 1];
	char tag_buf[SL_TAG_LEN];
	str own = {tag_buf, 0}, contact;
	struct reply_build rb = {.code = code, .reason = reason};
	int len, rc;

	if (!msg_is_request(msg) || msg_method(msg) == METHOD_ACK) {
		LM_DBG("sl: no reply to an ACK or a reply\n");
		return SV_EINVAL;
	}
	if (code < 100 || code > 699) {
		LM_ERR("sl: invalid reply code %d (must be 100-699)\n", code);
		return SV_EINVAL;
	}
	rb.to_tag = reply_tag(msg, code, tag, &own);
	rc = redirect_contact(msg, code, &contact);
	rb.hdrs = contact.len > 0 ? &contact : NULL;
	len = rc == SV_OK ? build_reply(msg, &rb, buf, sizeof(buf)) : rc;
	if (len < 0)
		return reply_failed(msg, code, len, "build");
	rc = sender(msg, buf, len);
	if (rc != SV_OK)
		return reply_failed(msg, code, rc, "send");
	note_reply_time();
	sl_stats_reply(code);
	return SV_OK;
}

int sl_reply(struct sip_msg *msg, int code, const str *reason)
{
	return sl_reply_tagged(msg, code, reason, NULL);
}

void sl_error_reply_for(const struct sip_msg *msg, int *code, str *reason)
{
	const char *phrase;

	if (msg->err.eclass != ERR_CLASS_NONE && msg->err.rcode >= 100 &&
	    msg->err.rcode <= 699) {
		*code = msg->err.rcode;
		*reason = msg->err.rreason;
	} else if (sv_last_error != SV_OK) {
		sv_err_reply(sv_last_error, code, &phrase);
		*reason = str_from_cstr(phrase);
	} else {
		*code = sl_settings.default_code;
		*reason = sl_settings.default_reason;
	}
}

int sl_reply_error(struct sip_msg *msg)
{
	str reason;
	int code;

	sl_error_reply_for(msg, &code, &reason);
	LM_DBG("sl: reply_error sends %d %.*s\n", code, STR_FMT(&reason));
	return sl_reply(msg, code, &reason);
}

void sl_set_tm(const struct tm_binds *b)
{
	tm_bound = b != NULL;
	if (b != NULL)
		tmb = *b;
}

int sl_bind_tm(void)
{
	load_tm_f load = (load_tm_f)module_find_api("tm", TM_LOAD_API);
	struct tm_binds b = {.version = TM_API_VERSION};

	if (load == NULL) {
		sl_set_tm(NULL);
		return SV_ENOTFOUND;
	}
	if (load(&b) != SV_OK || b.t_gett == NULL || b.t_reply == NULL) {
		LM_ERR("sl: tm refused the binding (tm_api.h version %u)\n",
		       TM_API_VERSION);
		sl_set_tm(NULL);
		return SV_EINVAL;
	}
	sl_set_tm(&b);
	return SV_OK;
}

int sl_reply_any(struct sip_msg *msg, int code, const str *reason)
{
	struct cell *t;

	if (tm_bound) {
		t = tmb.t_gett();
		if (t != NULL && t != T_UNDEFINED) {
			LM_DBG("sl: replying %d within the transaction\n",
			       code);
			return tmb.t_reply(msg, code, reason);
		}
	}
	return sl_reply(msg, code, reason);
}

int sl_filter_ack(struct sip_msg *msg, void *param)
{
	if (msg_method(msg) != METHOD_ACK || !replied_recently())
		return 1;
	if (parse_to_header(msg) != SV_OK)
		return 1; /* the script decides what to do with it */
	if (!sl_tag_is_ours(msg, &get_to(msg)->tag_value))
		return 1;
	LM_DBG("sl: ACK of a stateless reply absorbed\n");
	sl_stats_ack();
	return 0;
}
