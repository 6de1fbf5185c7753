/*
 * t_stats.c - the tm statistics (see t_stats.h).
 *
 * One shm counter per statistic, updated lock-free (core/stats.h).  The
 * export table, the names and the variables come from one list so an entry
 * cannot point at another statistic's variable.
 */
#include "t_stats.h"

#define TM_STATS(X)                                                            \
	X(TS_RECEIVED, "received_replies", 0)                                  \
	X(TS_RELAYED, "relayed_replies", 0)                                    \
	X(TS_LOCAL, "local_replies", 0)                                        \
	X(TS_UAS, "UAS_transactions", 0)                                       \
	X(TS_UAC, "UAC_transactions", 0)                                       \
	X(TS_2XX, "2xx_transactions", 0)                                       \
	X(TS_3XX, "3xx_transactions", 0)                                       \
	X(TS_4XX, "4xx_transactions", 0)                                       \
	X(TS_5XX, "5xx_transactions", 0)                                       \
	X(TS_6XX, "6xx_transactions", 0)                                       \
	X(TS_INUSE, "inuse_transactions", STAT_NO_RESET)

#define AS_NAME(idx, name, fl)   [idx] = name,
#define AS_EXPORT(idx, name, fl) {name, fl, &tm_stat_vars[idx]},

static const char *const stat_names[TS_COUNT] = {TM_STATS(AS_NAME)};

struct stat_var *tm_stat_vars[TS_COUNT];

struct stat_export tm_stat_exports[TS_COUNT + 1] = {
    TM_STATS(AS_EXPORT){NULL, 0, NULL}};

void tm_stats_enable(int on)
{
	int i;

	for (i = 0; i < TS_COUNT; i++)
		tm_stat_exports[i].name = on ? stat_names[i] : NULL;
}
