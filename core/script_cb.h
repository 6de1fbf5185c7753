/*
 * script_cb.h - callbacks run around the routing script.
 *
 * Modules register, in mod_init, functions to run before and after the
 * script for each request or reply: sl filters the ACKs of its own replies
 * before the script (returning 0 drops the message), tm resets its
 * per-message state before and releases it after.  Callbacks run in
 * registration order; the first pre-callback returning 0 stops the message
 * (the script does not run, post-callbacks still do).
 */
#ifndef SERVAL_CORE_SCRIPT_CB_H
#define SERVAL_CORE_SCRIPT_CB_H

struct sip_msg;

#define SCB_PRE 0x01      /* before the script */
#define SCB_POST 0x02     /* after the script (whatever it returned) */
#define SCB_REQUEST 0x04  /* for requests (main route) */
#define SCB_REPLY 0x08    /* for replies (global onreply_route) */

/*
 * Returns 1 to go on, 0 to stop processing the message (pre only; the
 * return of a post-callback is ignored).
 */
typedef int (*script_cb_f)(struct sip_msg *msg, void *param);

/*
 * Registers cb for when (SCB_PRE or SCB_POST) | (SCB_REQUEST and/or
 * SCB_REPLY).  Master only, before fork.  Returns SV_OK, SV_EINVAL,
 * SV_ENOMEM.
 */
int register_script_cb(script_cb_f cb, unsigned when, void *param);

/*
 * Runs the pre-callbacks for a request (SCB_REQUEST) or reply (SCB_REPLY).
 * Returns 1 when the message goes on to the script, 0 when one stopped it.
 */
int exec_pre_script_cb(struct sip_msg *msg, unsigned type);

/* Runs the post-callbacks for a request or reply. */
void exec_post_script_cb(struct sip_msg *msg, unsigned type);

/* Forgets every callback (tests). */
void script_cb_reset(void);

#endif /* SERVAL_CORE_SCRIPT_CB_H */
