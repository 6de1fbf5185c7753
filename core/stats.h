/*
 * stats.h - named statistics in groups, counted in shared memory.
 *
 * A statistic is "group:name" (core:rcv_requests, shmem:used_size,
 * tm:UAS_transactions).  The registry (names, groups, flags) is built in
 * the master before it forks and lives in pkg memory: every child inherits
 * an identical read-only copy, so lookups need no lock.  Only the counters
 * are shared, in shm.  Once the process table is known, every process gets
 * a row of its own (stats_init_rows(), stats_use_row()): it counts there
 * with plain (relaxed) loads and stores, no atomic read-modify-write and
 * no cache line taken from the other workers, as in Kamailio; a value is
 * the statistic's shared counter plus every row, summed when read.  A
 * process without a row (before fork, unit tests) adds to the shared
 * counter atomically.
 *
 * Two kinds:
 *   counter   an atomic long in shm; STAT_NO_RESET makes it a gauge that
 *             reset_statistics leaves alone (tm:inuse_transactions)
 *   function  STAT_IS_FUNC: computed on read by a stat_func (shmem:*);
 *             updates are ignored, resets too unless the core gave it a
 *             reset hook (shmem:max_used_size resets the high-water mark)
 *
 * A statistic is named "name" or "group:name"; a bare name matches the
 * first statistic of that name in registration order (names are unique
 * within a group, not across groups).  Registration order is kept, so
 * listings are stable.
 *
 * stat_update() on a NULL var does nothing: code may count before the
 * registry exists (unit tests, -c) without checks of its own.
 */
#ifndef SERVAL_CORE_STATS_H
#define SERVAL_CORE_STATS_H

#include "module.h"
#include "shm/atomic.h"

#define STAT_NAME_MAX 64 /* longest group or statistic name */

struct stat_group;

struct stat_var {
	const char *name; /* pkg, NUL terminated */
	int name_len;
	unsigned flags;        /* STAT_NO_RESET, STAT_IS_FUNC */
	atomic_counter_t *val; /* shm counter; NULL for STAT_IS_FUNC */
	int idx;               /* column in the per-process rows */
	stat_func func;        /* STAT_IS_FUNC only */
	void (*reset_f)(void); /* optional reset of a STAT_IS_FUNC */
	struct stat_group *group;
	struct stat_var *next; /* next in the group */
};

struct stat_group {
	const char *name; /* pkg, NUL terminated ("core") */
	int name_len;
	struct stat_var *first, *last;
	int count;
	struct stat_group *next; /* registration order */
};

/* This process's row of counters (NULL: none) and its length. */
extern atomic_counter_t *stat_row;
extern int stat_row_len;

/* Adds delta to a counter (any process, lock-free). NULL var: no-op. */
static inline void stat_update(struct stat_var *var, long delta)
{
	if (var == NULL || var->val == NULL)
		return;
	if (stat_row != NULL && var->idx < stat_row_len)
		/* only this process writes its row: no read-modify-write */
		atomic_set(&stat_row[var->idx],
		           atomic_get(&stat_row[var->idx]) + delta);
	else
		atomic_add(var->val, delta);
}

/* Returns the current value (a counter's, or the function's result). */
long stat_get(const struct stat_var *var);

/*
 * Resets var to 0 unless it is STAT_NO_RESET, or a STAT_IS_FUNC without a
 * reset hook.  Returns SV_OK when reset, SV_EINVAL when it cannot be.
 */
int stat_reset(struct stat_var *var);

/*
 * Registers group:name.  For a counter, *var gets the new statistic; for
 * STAT_IS_FUNC pass the function in func (var may be NULL).  Master only,
 * after shm_init() and before forking.  Returns SV_OK, SV_EINVAL (bad or
 * too long name, no shm yet, called in a child, STAT_IS_FUNC without
 * func), SV_EEXIST
 * (group:name already registered), SV_ENOMEM.
 */
int stat_register(const char *group, const char *name, unsigned flags,
                  struct stat_var **var, stat_func func);

/*
 * Registers a module's table in the group named after the module: each
 * counter's *entry->var is filled; a STAT_IS_FUNC entry carries its
 * stat_func in entry->var (OpenSER's convention).  NULL table: SV_OK.
 * Stops at the first failure and returns its code.  Master only.
 */
int stats_register_module(const char *module, const struct stat_export *table);

/*
 * Finds a statistic by "name" (first match in registration order) or by
 * "group:name".  len < 0 means NUL terminated.  Returns NULL when unknown.
 */
struct stat_var *stat_find(const char *name, int len);

/* Finds a group by name (without the colon).  NULL when unknown. */
struct stat_group *stats_group_find(const char *name, int len);

/* The first group in registration order (then ->next); NULL when none. */
struct stat_group *stats_groups(void);

/*
 * Calls cb for each statistic that spec selects, in registration order:
 *   "all"          every statistic
 *   "group:"       every statistic of the group
 *   "group:name"   that statistic
 *   "name"         every statistic called name, in any group
 * len < 0 means NUL terminated.  cb returns SV_OK to go on, or a negative
 * code that stops the walk and is returned.  Returns the number of
 * statistics visited (>= 0) or cb's error.
 */
typedef int (*stat_visit_f)(struct stat_var *var, void *arg);
int stats_match(const char *spec, int len, stat_visit_f cb, void *arg);

/*
 * The core's own statistics, updated by the receive and forward paths:
 * stat_update(core_stats.rcv_requests, 1).  NULL until stats_init().
 */
struct core_stats {
	struct stat_var *rcv_requests;
	struct stat_var *rcv_replies;
	struct stat_var *fwd_requests;
	struct stat_var *fwd_replies;
	struct stat_var *drop_requests;
	struct stat_var *drop_replies;
	struct stat_var *err_requests;
	struct stat_var *err_replies;
	struct stat_var *bad_URIs_rcvd;
	struct stat_var *unsupported_methods;
	struct stat_var *bad_msg_hdr;
};

extern struct core_stats core_stats;

/*
 * Registers the core: group (the counters above) and the shmem: group
 * (total_size, used_size, real_used_size, max_used_size, free_size,
 * fragments: read from shm_get_stats(); max_used_size can be reset).
 * Master only, after shm_init(), before modules register theirs.  Returns
 * SV_OK or the first registration error.
 */
int stats_init(void);

/*
 * Gives each of nrows processes a row of counters (one per counter
 * registered so far; later ones stay shared), rows on cache lines of
 * their own.  Master, after every statistic is registered and before
 * forking; the master takes row 0.  Returns SV_OK, or SV_ENOMEM (the
 * counters then stay shared, which is slower but exact).
 */
int stats_init_rows(int nrows);

/* The calling process counts in row `row` from now on (its proc id). */
void stats_use_row(int row);

/*
 * Forgets every statistic and frees the counters (master at exit, tests).
 * core_stats is cleared.  No process may still update a counter.
 */
void stats_destroy(void);

#endif /* SERVAL_CORE_STATS_H */
