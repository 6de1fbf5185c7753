/*
 * h_table.h - the transaction table, the transaction cell and its branches.
 *
 * Table.  65536 buckets in shm, indexed by a hash of the Call-ID and the
 * CSeq number (the method is left out so an INVITE, its ACK and its CANCEL
 * share a bucket).  Each bucket has a futex lock (one lock set, registered
 * as "tm buckets" so the master can name a dead holder) and a doubly linked
 * list of cells.  Insertion gives a cell its label (the bucket's counter,
 * seeded at random); (hash, label) identifies a transaction for MI and is
 * what our Via branch carries.
 *
 * Cell.  One shm allocation holds the struct and, after it, the request as
 * it will be relayed: the received buffer with the script's edits applied
 * (our Via not included), immutable once the cell is published.  The few
 * values matching needs are offsets into that copy (struct tm_key); when
 * the script edited the request before the transaction was created, the
 * key strings are copied after it instead, so matching always compares
 * what was received.  Branches are allocated one by one (struct + the
 * request sent, one allocation each) and hang from br[]; the last reply
 * sent upstream is a separate buffer that is resized in place when it can.
 *
 * Lifetime.  A reference count (atomic) keeps a cell alive: the table holds
 * one while the cell is linked, each process that looked it up holds one
 * until it is done with it, and each armed timer link holds one (the *_REF
 * bits below say which links hold one; they change under the reply lock).
 * The last tm_unref() frees the cell, through tm_cell_free() only.  A cell
 * is unlinked exactly once, by its wait timer (t_timer.c), which then keeps
 * re-checking it every delete_timer seconds while other holders remain and
 * reports it when that lasts too long.
 *
 * Script state.  A cell remembers what the routes of its transaction need
 * after the request route: the routes armed (on[], t_on_failure ...), the
 * message flags, each branch's flags, per-transaction timeouts from AVPs
 * and a copy of the request's AVPs (avps, the list failure routes and, with
 * onreply_avp_mode 1, onreply routes work on).  t_routes.h tells when each
 * is written and read.
 *
 * Locks (see LOCKING.md): the bucket lock guards the bucket list, labels and
 * the counters of the bucket; the cell's reply lock guards everything marked
 * "reply lock" below; its avp lock guards avps.  Fields marked "immutable" are
 * written before the cell or branch is published and never again, so they are
 * read without a lock.
 */
#ifndef SERVAL_MODULES_TM_H_TABLE_H
#define SERVAL_MODULES_TM_H_TABLE_H

#include <stdint.h>

#include "core/ip_addr.h"
#include "core/str.h"
#include "shm/atomic.h"
#include "shm/lock.h"
#include "timer/timer.h"

#define TM_TABLE_ENTRIES 65536u
#define TM_HASH_MASK     (TM_TABLE_ENTRIES - 1)
#define TM_MAX_BRANCHES  12
#define TM_MD5_LEN       32
/* bytes kept in the cell for the reply sent upstream (most fit) */
#define TM_UAS_INLINE 640

/* cell.flags (reply lock, except the immutable T_IS_* bits) */
#define T_IS_INVITE       0x0001 /* immutable: an INVITE transaction */
#define T_IS_CANCEL       0x0002 /* immutable: a CANCEL transaction */
#define T_CANCELLED       0x0004 /* a CANCEL for it was received */
#define T_COMPLETED       0x0008 /* a final reply was sent upstream */
#define T_LOCAL_FINAL     0x0010 /* ... and tm built it (t_reply, 408 ...) */
#define T_ACKED           0x0020 /* the ACK of our final reply came */
#define T_ON_WAIT         0x0040 /* terminated: only the wait timer is left */
#define T_UNLINKED        0x0080 /* removed from its bucket */
#define T_GOT_6XX         0x0100 /* a branch answered 6xx: forking is over */
#define T_NO_DNS_FAILOVER 0x0200 /* t_relay flag 0x04 */
#define T_IN_FAILURE      0x0400 /* a failure_route runs (see below) */
#define T_LAST_LOCAL      0x0800 /* the last reply sent upstream was tm's */
#define T_UAS_REF         0x1000 /* uas.tl holds a reference */
#define T_WAIT_REF        0x2000 /* wait_tl holds a reference */
#define T_IS_REPLICA      0x4000 /* immutable: t_replicate()'s (see below) */
/*
 * T_IN_FAILURE: nobody but the process running the failure route
 * completes the transaction meanwhile (t_routes.h).  T_IS_REPLICA: the
 * copies of t_replicate(): nothing goes upstream, and no request lookup
 * but t_replicate's finds it (t_replicate.h).
 */

/* tm_branch.flags (reply lock) */
#define TB_REPLIED     0x0001 /* some reply was received */
#define TB_PROV        0x0002 /* a provisional reply was received */
#define TB_FAKED       0x0004 /* status was decided locally (408, 487 ...) */
#define TB_TO_CANCEL   0x0008 /* send a CANCEL when a provisional comes */
#define TB_CANCEL_SENT 0x0010 /* our CANCEL went out */
#define TB_CANCEL_DONE 0x0020 /* it got its final reply */
#define TB_CTIMER      0x0040 /* fr_inv expired: cancelled, final awaited */
#define TB_SEND_FAILED 0x0080 /* the request could not be sent */
#define TB_RETR_REF    0x0100 /* retr_tl holds a reference */
#define TB_FR_REF      0x0200 /* fr_tl holds a reference */
#define TB_BLIND       0x0400 /* immutable: nothing sent (t_write; t_fwd.h) */

/* The routes a transaction can have armed (t_on_failure ...). */
enum tm_on { TM_ON_FAILURE, TM_ON_REPLY, TM_ON_BRANCH, TM_ON_COUNT };

struct cfg_route;
struct usr_avp;

/* Where a branch goes: a list that DNS failover will extend. */
struct tm_dsts {
	struct dest_info *v; /* v[0..n); points at first until it grows */
	uint16_t n;          /* addresses known */
	uint16_t cur;        /* the one in use */
	struct dest_info first;
};

struct cell;

struct tm_branch {
	/* immutable */
	struct cell *t; /* the transaction */
	char *buf;      /* the request as sent (after the struct) */
	uint32_t len;
	uint16_t idx;     /* index in t->br[] */
	uint16_t uri_off; /* Request-URI inside buf */
	uint16_t uri_len;
	struct tm_dsts dst; /* reply lock once failover exists */
	/* reply lock */
	unsigned bflags;   /* branch flags (setbflag ...): set when built,
	                      changed by the branch's onreply_route */
	int status;        /* last reply code received or decided, 0: none */
	unsigned flags;    /* TB_* */
	uint32_t retr_ms;  /* current retransmission interval */
	uint64_t retr_end; /* stop retransmitting the CANCEL at (ms) */
	char *reply;       /* final reply kept for the pick (printed for
	                      upstream), shm, NULL: none */
	uint32_t reply_len;
	char *cancel; /* our CANCEL for this branch, shm */
	uint32_t cancel_len;
	struct timer_link retr_tl; /* fast: request, then CANCEL, resent */
	struct timer_link fr_tl;   /* slow: fr_timer / fr_inv_timer */
	char data[];
};

/* The server side: what went upstream. All reply lock but dst. */
struct tm_uas {
	char *buf; /* last reply sent upstream (shm), NULL: none */
	uint32_t len;
	uint32_t cap;
	int status;           /* its code, 0: nothing sent yet */
	uint32_t retr_ms;     /* retransmission interval of a final reply */
	uint64_t end_ms;      /* when retransmitting it stops (Timer H) */
	struct timer_link tl; /* fast: final reply retransmission until ACK */
	struct dest_info
	    dst; /* immutable: where replies go (RFC 3261 18.2.2) */
};

/* A view into cell.buf. */
struct tm_key {
	uint16_t off;
	uint16_t len;
};

/* The keys kept for matching (see t_lookup.c). */
enum tm_key_id {
	TMK_METHOD, /* request method as written */
	TMK_RURI,   /* Request-URI as received */
	TMK_CALLID,
	TMK_FROM, /* From value */
	TMK_FROMTAG,
	TMK_TO, /* To value */
	TMK_TOURI,
	TMK_VIA1,    /* top Via value (via-parm) */
	TMK_BRANCH,  /* its branch parameter */
	TMK_VIAHOST, /* its sent-by host */
	TMK_MD5,     /* syn_branch=0: the branch's MD5 part, else empty */
	TMK_COUNT
};

struct cell {
	/* bucket lock */
	struct cell *next;
	struct cell *prev;
	uint8_t linked; /* in its bucket's list */
	/* immutable */
	uint32_t hash;
	uint32_t label;      /* set at insertion, under the bucket lock */
	int method;          /* METHOD_* of the request */
	unsigned core_flags; /* the request's MSG_CF_* at creation */
	/* atomic */
	atomic_counter_t ref;
	/* the routes armed (t_on_*), NULL: none; atomic loads and stores */
	const struct cfg_route *on[TM_ON_COUNT];
	/* reply lock */
	lock_t reply_lock;
	unsigned flags;      /* T_* */
	unsigned msg_flags;  /* message flags: the request's at creation,
	                        t_flush_flags(), what routes change */
	uint16_t failed_gen; /* first_branch + 1 of the generation whose
	                        failure_route ran (it runs once per
	                        generation), 0: none */
	int16_t fail_branch; /* T_IN_FAILURE: the winning branch */
	uint32_t fr_ms;      /* fr_timer_avp's value (ms), 0: fr_timer */
	uint32_t fr_inv_ms;  /* fr_inv_timer_avp's, 0: fr_inv_timer */
	/* avp lock (LOCKING.md): the AVPs routes of the transaction see */
	lock_t avp_lock;
	struct usr_avp *avps;
	uint16_t nr_branches;  /* br[0..nr) published; read unlocked by
	                          reply matching with an atomic load */
	uint16_t first_branch; /* branches competing in the next pick */
	struct tm_branch *br[TM_MAX_BRANCHES];
	struct tm_uas uas;
	/* wait timer: armed under the reply lock, then its handler's */
	struct timer_link wait_tl;
	uint64_t unlinked_ms;
	uint32_t wait_checks;
	/* immutable: the request */
	struct receive_info rcv; /* where it came from */
	uint32_t cseq;           /* CSeq number */
	uint16_t via_port;       /* top Via sent-by port, 0: absent */
	uint8_t via_proto;       /* its transport */
	uint8_t rfc3261;         /* its branch has the magic cookie */
	uint32_t req_len;        /* the request: buf[0..req_len) */
	uint32_t var_len;        /* request, keys; then the inline reply area */
	struct tm_key key[TMK_COUNT];
	char buf[];
};

/* A key as a str (never NUL terminated). */
static inline str tm_key_str(const struct cell *t, int k)
{
	str s = {(char *)t->buf + t->key[k].off, t->key[k].len};

	return s;
}

/* The cell's inline area for the reply sent upstream. */
static inline char *tm_uas_inline(const struct cell *t)
{
	return (char *)t->buf + ((t->var_len + 7u) & ~7u);
}

/* The request as a str. */
static inline str tm_req(const struct cell *t)
{
	str s = {(char *)t->buf, (int)t->req_len};

	return s;
}

static inline struct dest_info *tm_branch_dst(struct tm_branch *b)
{
	return &b->dst.v[b->dst.cur];
}

/* ------------------------------------------------------------ table -- */

/*
 * Creates the table (buckets and their lock set, labels seeded at random)
 * in shm and registers the locks.  Master, in mod_init.  Returns SV_OK or
 * SV_ENOMEM (logged).
 */
int tm_table_init(void);

/*
 * Frees every cell still linked, whatever its references, and the table.
 * Master at exit, tests; no other process may use tm any more.
 */
void tm_table_destroy(void);

/* The bucket of a Call-ID and CSeq number (0..65535). */
unsigned tm_hash(const str *callid, uint32_t cseq);

/* Bucket lock of hash.  Nothing else may be locked when taking it. */
void tm_bucket_lock(unsigned hash);
void tm_bucket_unlock(unsigned hash);

/* First cell of a bucket (bucket lock held). */
struct cell *tm_bucket_first(unsigned hash);

/* The pid holding bucket hash's lock, 0 when free (diagnostics, tests). */
pid_t tm_bucket_owner(unsigned hash);

/* Cells linked in bucket hash now, and ever (bucket lock not needed). */
void tm_bucket_counts(unsigned hash, unsigned *cur, unsigned *total);

/* ------------------------------------------------------------- cells -- */

/*
 * Allocates a cell with var_len bytes for the request and its keys and the
 * inline reply area: zeroed, one reference (the caller's), reply lock and
 * timer links initialised.
 * Counts tm:inuse_transactions.  Returns NULL when shm is exhausted.
 */
struct cell *tm_cell_alloc(unsigned hash, int method, uint32_t var_len);

/*
 * Links t into its bucket, giving it its label and the table's reference.
 * The caller holds the bucket lock (the lookup that found no match and this
 * insertion are one critical section).
 */
void tm_cell_insert_locked(struct cell *t);

/*
 * Unlinks t from its bucket (takes the bucket lock) and returns 1, or 0
 * when it was unlinked already.  The table's reference is then the
 * caller's to drop.  Called by the wait timer only; the reply lock must
 * not be held.
 */
int tm_cell_unlink(struct cell *t);

/* Takes one more reference (the caller already holds one, or the bucket
 * lock of a linked cell). */
static inline void tm_ref(struct cell *t)
{
	atomic_inc(&t->ref);
}

/*
 * Drops one reference; the last one frees the cell and everything it owns
 * (the one path that frees a cell).  No lock may be held on t.
 */
void tm_unref(struct cell *t);

/* Drops n references (n >= 0). */
void tm_unref_n(struct cell *t, int n);

/* ---------------------------------------------------------- branches -- */

/*
 * Allocates a branch for t with room for a request of len bytes (copied
 * from req): zeroed state, links initialised, not yet published.  Returns
 * NULL when shm is exhausted.
 */
struct tm_branch *tm_branch_alloc(struct cell *t, int idx, const char *req,
                                  uint32_t len);

/* Frees an unpublished branch (never sent, holds no reference). */
void tm_branch_free(struct tm_branch *b);

/* -------------------------------------------------------- reply lock -- */

/*
 * Takes t's reply lock, unless this process already holds it (code under
 * the lock may call a function that also serves callers without it):
 * returns 1 when it took the lock, 0 when it was held already.  Pass the
 * result to tm_unlock_reply().  A process holds at most one reply lock at
 * a time; no script route runs with one held.
 */
int tm_lock_reply(struct cell *t);
void tm_unlock_reply(struct cell *t, int taken);

/* 1 when this process holds t's reply lock. */
int tm_reply_locked(const struct cell *t);

/* 1 when this process holds any reply lock (diagnostics, tests). */
int tm_holds_reply_lock(void);

#endif /* SERVAL_MODULES_TM_H_TABLE_H */
