/*
 * sl.h - what the sl module offers to other modules, obtained through the
 * api export "load_sl" (OpenSER's load_sl / struct sl_binds):
 *
 *   load_sl_f load = module_find_api("sl", SL_LOAD_API);
 *   struct sl_binds slb = {.version = SL_API_VERSION};
 *   if (load == NULL || load(&slb) != SV_OK) ... sl is not loaded
 *   slb.reply(msg, 401, &reason);
 *
 * Bind in mod_init.  The struct has one layout; members are appended and
 * SL_API_VERSION raised when it grows.  Every function returns SV_OK or a
 * negative SV_E* code and behaves as its script counterpart (README.md):
 * replies are counted in the sl statistics and carry sl's to-tags, so the
 * ACK filter recognises their ACKs.
 */
#ifndef SERVAL_MODULES_SL_SL_H
#define SERVAL_MODULES_SL_SL_H

#include "core/str.h"

struct sip_msg;

#define SL_API_VERSION 1
#define SL_LOAD_API    "load_sl"

struct sl_binds {
	unsigned version; /* SL_API_VERSION, set by the caller */

	/* sl_send_reply(): stateless reply, sl's to-tag from 180 up. */
	int (*reply)(struct sip_msg *msg, int code, const str *reason);

	/*
	 * The same with the caller's to-tag (NULL: sl's), added only when
	 * the request's To has none.
	 */
	int (*reply_tagged)(struct sip_msg *msg, int code, const str *reason,
	                    const str *tag);

	/* send_reply(): within the transaction when tm has one for msg. */
	int (*send_reply)(struct sip_msg *msg, int code, const str *reason);

	/* sl_reply_error(): the reply describing the last error. */
	int (*reply_error)(struct sip_msg *msg);
};

/*
 * The "load_sl" api export.  slb->version must be SL_API_VERSION; fills
 * the other members.  Returns SV_OK, or SV_EINVAL for another version.
 */
typedef int (*load_sl_f)(struct sl_binds *slb);

#endif /* SERVAL_MODULES_SL_SL_H */
