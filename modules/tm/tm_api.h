/*
 * tm_api.h - the functions tm offers to other modules (OpenSER's
 * tm_load.h / struct tm_binds), obtained through the api export "load_tm":
 *
 *   load_tm_f load = module_find_api("tm", TM_LOAD_API);
 *   struct tm_binds tmb = {.version = TM_API_VERSION};
 *   if (load == NULL || load(&tmb) != SV_OK) ... tm is not available
 *
 * A module binds in its mod_init (every loadmodule has been read by then,
 * whatever the order; tm need not be initialised yet: load_tm only fills
 * function pointers).  The struct has one layout, no conditional members;
 * new members are appended and TM_API_VERSION is raised, and load_tm
 * refuses a caller built against another version.  All modules of one
 * server are built from the same tree (the loader checks the build
 * signature), so a mismatch means a stale object, never a supported mix.
 *
 * Every function works on the message the calling process is handling and
 * on that message's transaction (the one t_newtran/t_relay created or a
 * lookup found), exactly as the script functions of the same names do
 * (README.md).  Callbacks (register_tmcb), the local UAC (t_request ...)
 * and the other OpenSER members come with later parts of the module.
 */
#ifndef SERVAL_MODULES_TM_TM_API_H
#define SERVAL_MODULES_TM_TM_API_H

#include "core/ip_addr.h"
#include "core/str.h"

struct sip_msg;
struct cell;

#define TM_API_VERSION 2
#define TM_LOAD_API    "load_tm"

/*
 * What t_gett() returns when the current message was not looked up yet
 * (OpenSER's T_UNDEFINED); NULL means "looked up, no transaction".
 */
#define T_UNDEFINED ((struct cell *)-1)

/* t_relay flags (the script's, same values) */
#define TM_RELAY_NO_100          0x01 /* no automatic 100 Trying */
#define TM_RELAY_NO_ERR_REPLY    0x02 /* no internal reply on failure */
#define TM_RELAY_NO_DNS_FAILOVER 0x04

struct tm_binds {
	unsigned version; /* TM_API_VERSION, set by the caller */

	/*
	 * The transaction of the message being processed by this process:
	 * a cell, NULL when there is none, T_UNDEFINED when it was not
	 * looked up (no t_newtran/t_relay/t_check_trans ran for it).
	 */
	struct cell *(*t_gett)(void);

	/*
	 * Sends a reply to msg within its transaction (created before with
	 * t_newtran() or t_relay()): statefully, retransmitted as RFC 3261
	 * says, with tm's to-tag.  reason need not be NUL terminated.
	 * Returns SV_OK or a negative SV_E* code.
	 */
	int (*t_reply)(struct sip_msg *msg, int code, const str *reason);

	/*
	 * t_newtran(): creates the transaction of request msg.  Returns 1
	 * (created, or an ACK that creates none), 0 when msg was a
	 * retransmission and has been absorbed (stop processing it), or a
	 * negative SV_E* code.
	 */
	int (*t_newtran)(struct sip_msg *msg);

	/*
	 * t_relay(): relays msg statefully to dst (NULL: $du, else the
	 * Request-URI), flags TM_RELAY_*.  Returns 1, 0 (absorbed
	 * retransmission), or the script codes -1 ... -6 of the README.
	 */
	int (*t_relay)(struct sip_msg *msg, const struct dest_info *dst,
	               unsigned flags);

	/* t_release(): lets the transaction go.  1, or -1 when none. */
	int (*t_release)(struct sip_msg *msg);

	/*
	 * The MI identifier (hash index and label) of the current
	 * transaction.  Returns SV_OK, or SV_ENOTFOUND when there is none.
	 */
	int (*t_get_trans_ident)(struct sip_msg *msg, unsigned *hash_index,
	                         unsigned *label);
};

/*
 * The "load_tm" api export.  tmb->version must be TM_API_VERSION; fills
 * every other member.  Returns SV_OK, or SV_EINVAL for another version.
 */
typedef int (*load_tm_f)(struct tm_binds *tmb);

#endif /* SERVAL_MODULES_TM_TM_API_H */
