/*
 * t_query.c - the script's questions about its transaction (see
 * t_query.h).  Everything here reads; the reply lock is taken where a
 * branch's state is read.
 */
#include "t_query.h"
#include "t_funcs.h"

#include "cfg/interp.h"
#include "core/errors.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/parser/msg.h"

/* The current transaction, or NULL. */
static struct cell *current(void)
{
	struct cell *t = tm_ctx.t;

	return t == T_UNDEFINED ? NULL : t;
}

/* The last reply sent upstream for the current transaction, 0: none. */
static int last_sent(void)
{
	struct cell *t = current();

	return t ? __atomic_load_n(&t->uas.status, __ATOMIC_ACQUIRE) : 0;
}

int tm_route_reply_code(struct sip_msg *msg)
{
	switch (route_type()) {
	case ONREPLY_ROUTE:
		return msg_is_reply(msg) ? REPLY_LINE(msg).statuscode : 0;
	case FAILURE_ROUTE:
		return tm_ctx.fail_code;
	case REQUEST_ROUTE:
		return last_sent();
	default:
		return 0;
	}
}

int tm_check_status(struct sip_msg *msg, const regex_t *re)
{
	int code = route_type() == BRANCH_ROUTE ? last_sent()
	                                        : tm_route_reply_code(msg);
	char s[4];

	if (code < 100 || code > 999)
		return -1;
	s[0] = (char)('0' + code / 100);
	s[1] = (char)('0' + code / 10 % 10);
	s[2] = (char)('0' + code % 10);
	s[3] = '\0';
	return regexec(re, s, 0, NULL, 0) == 0 ? 1 : -1;
}

/* 1 when no branch of t received any reply. */
static int none_received(struct cell *t)
{
	int i, taken, none = 1;

	taken = tm_lock_reply(t);
	for (i = 0; i < t->nr_branches; i++)
		if (t->br[i]->flags & TB_REPLIED)
			none = 0;
	tm_unlock_reply(t, taken);
	return none;
}

int tm_local_replied(struct sip_msg *msg, int all)
{
	struct cell *t = current();
	unsigned fl;

	if (t == NULL)
		return -1;
	if (all)
		return none_received(t) ? 1 : -1;
	switch (route_type()) {
	case FAILURE_ROUTE:
		return tm_ctx.fail_local ? 1 : -1;
	case ONREPLY_ROUTE:
		return -1;
	default:
		fl = __atomic_load_n(&t->flags, __ATOMIC_ACQUIRE);
		return last_sent() && (fl & T_LAST_LOCAL) ? 1 : -1;
	}
}

int tm_was_cancelled(struct sip_msg *msg)
{
	struct cell *t = current();
	unsigned fl;

	if (t == NULL)
		return -1;
	fl = __atomic_load_n(&t->flags, __ATOMIC_ACQUIRE);
	return (fl & T_IS_INVITE) && (fl & T_CANCELLED) ? 1 : -1;
}

/* An integer value with its text (a small ring of buffers). */
static int int_value(struct pv_value *res, long n)
{
	static char bufs[4][24];
	static unsigned next;
	char *b = bufs[next++ % 4];

	res->flags = PV_VAL_INT | PV_VAL_STR;
	res->ri = n;
	res->rs.s = b;
	res->rs.len = pv_itoa(n, b);
	return SV_OK;
}

int tm_pv_reply_code(struct sip_msg *msg, const struct pv_spec *sp,
                     struct pv_value *res)
{
	return int_value(res, tm_route_reply_code(msg));
}

int tm_pv_branch_idx(struct sip_msg *msg, const struct pv_spec *sp,
                     struct pv_value *res)
{
	return int_value(res,
	                 route_type() == BRANCH_ROUTE ? tm_ctx.branch_idx : 0);
}
