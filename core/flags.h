/*
 * flags.h - the three kinds of script flags, 0..31 each.
 *
 *   message flags  msg->flags: setflag/resetflag/isflagset, $mf.  tm saves
 *                  them in the transaction, so a failure_route sees them.
 *   branch flags   per branch: the R-URI branch's in msg->ruri_bflags
 *                  (branch index 0), each appended branch's in its
 *                  struct dset_branch (index 1.. in append order):
 *                  setbflag/resetbflag/isbflagset, $bf (the R-URI's).
 *   script flags   script_flags, per process, not attached to the message:
 *                  setsflag/resetsflag/issflagset, $sf; the interpreter
 *                  clears them when a top-level route starts and restores
 *                  the outer route's flags when a nested one (tm's
 *                  branch_route inside t_relay) ends.
 */
#ifndef SERVAL_CORE_FLAGS_H
#define SERVAL_CORE_FLAGS_H

struct sip_msg;

#define FLAG_MAX 31

extern unsigned int script_flags;

/*
 * Returns a pointer to the flags of branch idx of msg (0: the R-URI's,
 * n: the n-th appended branch), or NULL when there is no such branch.
 */
unsigned int *branch_flags_ptr(struct sip_msg *msg, int idx);

#endif /* SERVAL_CORE_FLAGS_H */
