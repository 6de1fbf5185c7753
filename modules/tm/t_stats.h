/*
 * t_stats.h - the tm statistics (group "tm").
 *
 *   received_replies    replies matched to a transaction (retransmissions
 *                       and replies to our own CANCELs included)
 *   relayed_replies     received replies relayed upstream
 *   local_replies       replies tm built and sent upstream (100 Trying,
 *                       t_reply, 200 to a CANCEL, internal 408/487 ...)
 *   UAS_transactions    transactions created by received requests (a
 *                       CANCEL is one, an ACK never is)
 *   UAC_transactions    transactions of locally generated requests (none
 *                       exist yet: the local UAC is not implemented)
 *   2xx_transactions ... 6xx_transactions
 *                       transactions completed with a final reply of that
 *                       class, counted once, when it is sent upstream
 *   inuse_transactions  cells in memory now (a gauge: reset leaves it)
 *
 * The table is exported through the module's exports and registered by
 * the core before mod_init; enable_stats=0 (applied at modparam time)
 * empties it, so nothing is registered and every update is a no-op.
 */
#ifndef SERVAL_MODULES_TM_T_STATS_H
#define SERVAL_MODULES_TM_T_STATS_H

#include "core/module.h"
#include "core/stats.h"

/* The exported table (tm.c); terminated by a NULL name. */
extern struct stat_export tm_stat_exports[];

/* Keeps (on) or empties (0) the exported table.  Master, at modparam. */
void tm_stats_enable(int on);

enum tm_stat {
	TS_RECEIVED,
	TS_RELAYED,
	TS_LOCAL,
	TS_UAS,
	TS_UAC,
	TS_2XX,
	TS_3XX,
	TS_4XX,
	TS_5XX,
	TS_6XX,
	TS_INUSE,
	TS_COUNT
};

extern struct stat_var *tm_stat_vars[TS_COUNT];

static inline void tm_stat_add(enum tm_stat s, long delta)
{
	stat_update(tm_stat_vars[s], delta);
}

/* Counts a transaction completed upstream with code (200..699). */
static inline void tm_stat_completed(int code)
{
	if (code >= 200 && code < 700)
		tm_stat_add((enum tm_stat)(TS_2XX + code / 100 - 2), 1);
}

#endif /* SERVAL_MODULES_TM_T_STATS_H */
