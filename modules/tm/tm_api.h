/*
 * tm_api.h - the functions tm offers to other modules (OpenSER's
 * tm_load.h / struct tm_binds), obtained through the api export "load_tm":
 *
 *   load_tm_f load = module_find_api("tm", TM_LOAD_API);
 *   struct tm_binds tmb;
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
 * Status: the tm module does not exist yet.  This header holds what the sl
 * module needs for send_reply() (the transaction of the current message
 * and a stateful reply); the tm developer implements load_tm and appends
 * the rest of the API (register_tmcb, t_relay, t_newtran, ...).  Until a tm
 * exports load_tm, module_find_api() returns NULL and sl replies
 * statelessly.
 */
#ifndef SERVAL_MODULES_TM_TM_API_H
#define SERVAL_MODULES_TM_TM_API_H

#include "core/str.h"

struct sip_msg;
struct cell;

#define TM_API_VERSION 1
#define TM_LOAD_API    "load_tm"

/*
 * What t_gett() returns when the current message was not looked up yet
 * (OpenSER's T_UNDEFINED); NULL means "looked up, no transaction".
 */
#define T_UNDEFINED ((struct cell *)-1)

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
};

/*
 * The "load_tm" api export.  tmb->version must be TM_API_VERSION; fills
 * every other member.  Returns SV_OK, or SV_EINVAL for another version.
 */
typedef int (*load_tm_f)(struct tm_binds *tmb);

#endif /* SERVAL_MODULES_TM_TM_API_H */
