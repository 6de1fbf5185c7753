/*
 * act_flags.c - setflag/resetflag/isflagset (message flags),
 * setbflag/resetbflag/isbflagset and their *branchflag spellings (branch
 * flags: of the R-URI branch, or with two arguments of branch idx, 0
 * being the R-URI and 1.. the appended branches), setsflag/resetsflag/
 * issflagset and *scriptflag (script flags).  Flags are 0..31, checked at
 * fixup.  A branch index that does not exist makes the function fail.
 */
#include "actions.h"
#include "core_cmds.h"
#include "fixup.h"
#include "core/errors.h"
#include "core/flags.h"
#include "core/parser/msg.h"

FIXUP(fixup_flag)
{
	int rc = fixup_int(ctx, param, idx), v;

	if (rc != SV_OK)
		return rc;
	v = fixup_get_int(*param);
	if (v < 0 || v > CFG_MAX_FLAG)
		return fixup_error(ctx, "flag %d is out of range (0..%d)", v,
		                   CFG_MAX_FLAG);
	return SV_OK;
}

FIXUP(fixup_uint)
{
	int rc = fixup_int(ctx, param, idx);

	if (rc == SV_OK && fixup_get_int(*param) < 0)
		return fixup_error(ctx, "a number of 0 or more is expected");
	return rc;
}

/* setbflag(flag) or setbflag(branch, flag) */
FIXUP(fixup_bflag)
{
	if (ctx->argc == 2 && idx == 0)
		return fixup_uint(ctx, param, idx);
	return fixup_flag(ctx, param, idx);
}

static unsigned bit(void *param)
{
	return 1u << fixup_get_int(param);
}

ACTION(w_setflag)
{
	msg->flags |= bit(params[0]);
	return 1;
}

ACTION(w_resetflag)
{
	msg->flags &= ~bit(params[0]);
	return 1;
}

ACTION(w_isflagset)
{
	return (msg->flags & bit(params[0])) ? 1 : -1;
}

/* op: 1 set, 0 reset, 2 test */
static int bflag_op(struct sip_msg *msg, int branch, unsigned mask, int op)
{
	unsigned *fl = branch_flags_ptr(msg, branch);

	if (!fl)
		return SV_ENOTFOUND;
	if (op == 2)
		return (*fl & mask) ? 1 : -1;
	if (op)
		*fl |= mask;
	else
		*fl &= ~mask;
	return 1;
}

ACTION(w_setbflag1)
{
	return bflag_op(msg, 0, bit(params[0]), 1);
}

ACTION(w_setbflag2)
{
	return bflag_op(msg, fixup_get_int(params[0]), bit(params[1]), 1);
}

ACTION(w_resetbflag1)
{
	return bflag_op(msg, 0, bit(params[0]), 0);
}

ACTION(w_resetbflag2)
{
	return bflag_op(msg, fixup_get_int(params[0]), bit(params[1]), 0);
}

ACTION(w_isbflagset1)
{
	return bflag_op(msg, 0, bit(params[0]), 2);
}

ACTION(w_isbflagset2)
{
	return bflag_op(msg, fixup_get_int(params[0]), bit(params[1]), 2);
}

ACTION(w_setsflag)
{
	script_flags |= bit(params[0]);
	return 1;
}

ACTION(w_resetsflag)
{
	script_flags &= ~bit(params[0]);
	return 1;
}

ACTION(w_issflagset)
{
	return (script_flags & bit(params[0])) ? 1 : -1;
}
