/*
 * t_funcs.h - what the tm files share: the per-process current transaction
 * and the work done after a reply lock is released.
 *
 * Current transaction.  Each process handles one message at a time; the
 * transaction of that message is tm_ctx.t (OpenSER's T): T_UNDEFINED until
 * some tm function looked it up, NULL when it was looked up and there is
 * none, else a cell on which this process holds one reference.  A
 * pre-script callback resets it before each message, a post-script
 * callback drops the reference after the script (t_lookup.c).
 *
 * Route context.  The same struct says which script route of tm runs in
 * this process and what it needs: the routes the request route armed
 * before its transaction existed, the request a failure_route runs on and
 * its winning reply, the branch a branch_route runs for ($T_branch_idx).
 * A failure or onreply route saves the whole struct, sets its own and
 * restores the saved one when it ends (t_routes.c), so a failure_route
 * run from inside a request route (a CANCEL completing its INVITE) leaves
 * the request route's state as it was.
 *
 * After the lock.  Nothing is sent while a lock is held.  Code working
 * under a cell's reply lock records in a struct tm_after what must happen
 * once the lock is released: messages to send (each destination copied,
 * each buffer either immutable for the cell's lifetime, such as a branch
 * request or a local CANCEL, or a private copy), references to drop, and
 * whether the failure_route it decided on must run.  tm_after_run() does
 * it; the caller still holds its own reference then, so the buffers are
 * alive.
 */
#ifndef SERVAL_MODULES_TM_T_FUNCS_H
#define SERVAL_MODULES_TM_T_FUNCS_H

#include "h_table.h"
#include "tm_api.h"

#include "core/ip_addr.h"

/* What happened to the current transaction in this script run. */
enum tm_kr {
	TM_KR_NONE = 0, /* created here and not handled yet */
	TM_KR_EXIST,    /* found (retransmission, t_check_trans) */
	TM_KR_FWDED,    /* t_relay sent it on */
	TM_KR_RPLD,     /* t_reply answered it */
	TM_KR_RLSD,     /* t_release let it go */
};

struct tm_proc_ctx {
	struct cell *t;        /* T_UNDEFINED, NULL or a cell (referenced,
	                          except in a failure or onreply route) */
	enum tm_kr kr;         /* for t */
	unsigned msg_id;       /* the message t belongs to */
	struct cell *invite_t; /* CANCEL: its INVITE (referenced), or NULL */
	int invite_done;       /* invite_t was looked up for this message */
	/* request route: t_on_* called before the transaction existed */
	const struct cfg_route *armed[TM_ON_COUNT];
	/* failure_route: the request it runs on, its R-URI when it began,
	   the winning reply (code, 1 when tm decided it); else NULL/0 */
	struct sip_msg *fake;
	str fail_uri;
	int fail_code;
	int fail_local;
	int branch_idx; /* branch_route: index of its branch from 1, else 0 */
	int replicas;   /* replicas t_replicate() made for this message */
};

extern struct tm_proc_ctx tm_ctx;

/* --------------------------------------------------------- after lock -- */

#define TM_AFTER_MAX (TM_MAX_BRANCHES + 4)

struct tm_out {
	struct dest_info dst;
	const char *buf;
	int len;
};

struct tm_after {
	int unref;   /* references of the cell to drop */
	int failure; /* the cell's failure_route must run (T_IN_FAILURE) */
	int n;       /* messages to send */
	struct tm_out out[TM_AFTER_MAX];
};

static inline void tm_after_init(struct tm_after *a)
{
	a->unref = 0;
	a->failure = 0;
	a->n = 0;
}

/* Queues buf for dst (dst copied; buf must outlive tm_after_run()). */
void tm_after_send(struct tm_after *a, const struct dest_info *dst,
                   const char *buf, int len);

/*
 * With no lock held: sends everything queued (in order, counting send
 * failures in the log only), runs t's failure_route when a->failure says
 * so (t_routes.h: it may take t's avp lock and run the script), then drops
 * a->unref references of t.  The caller must still hold a reference of
 * its own and must not hold t's avp lock.
 */
void tm_after_run(struct cell *t, struct tm_after *a);

/*
 * Sends buf to dst.  Every message tm sends goes through here; unit tests
 * replace tm_send_hook to see them.  Returns SV_OK or the send error.
 */
typedef int (*tm_send_f)(const struct dest_info *dst, const char *buf, int len);
extern tm_send_f tm_send_hook;

static inline int tm_send(const struct dest_info *dst, const char *buf, int len)
{
	return tm_send_hook(dst, buf, len);
}

/*
 * Per-process buffers of SIP_MSG_MAX + 1 bytes: the reply sent upstream (a
 * private copy of the shm one), a hop-by-hop ACK, and a scratch buffer for
 * what is printed then copied into shm at once (never queued for sending).
 */
char *tm_upstream_buf(void);
char *tm_ack_buf(void);
char *tm_scratch_buf(void);

/* Maps an SV_E* code to t_relay's script return codes -1 ... -6. */
int tm_script_error(int rc);

#endif /* SERVAL_MODULES_TM_T_FUNCS_H */
