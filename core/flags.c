/*
 * flags.c - where each kind of flag lives (see flags.h).
 */
#include "flags.h"

#include "dset.h"
#include "parser/msg.h"

unsigned int script_flags;

unsigned int *branch_flags_ptr(struct sip_msg *msg, int idx)
{
	struct dset_branch *b;

	if (idx == 0)
		return &msg->ruri_bflags;
	b = dset_branch(idx - 1);
	return b ? &b->flags : NULL;
}
