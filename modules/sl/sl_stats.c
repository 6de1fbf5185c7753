/*
 * sl_stats.c - the sl statistics (see sl_stats.h).
 *
 * One shm counter per statistic (core/stats.h), updated lock-free by
 * whichever worker sends the reply.  A reply updates at most five
 * counters: its class, its code when the code has a counter of its own,
 * sent_replies and, from 300 up, sent_err_replies.
 *
 * The export table, the names and the array of variables all come from
 * one list (SL_STATS), so an entry cannot point at another statistic's
 * variable.  The names are also kept apart (stat_names) so that
 * sl_stats_enable(1) can restore a table sl_stats_enable(0) emptied.
 */
#include "sl_stats.h"

#include "core/stats.h"

/* Every statistic: its index and name, in the SER/Kamailio document's order. */
#define SL_STATS(X)                                                            \
	X(ST_1XX, "1xx_replies")                                               \
	X(ST_200, "200_replies")                                               \
	X(ST_202, "202_replies")                                               \
	X(ST_2XX, "2xx_replies")                                               \
	X(ST_300, "300_replies")                                               \
	X(ST_301, "301_replies")                                               \
	X(ST_302, "302_replies")                                               \
	X(ST_3XX, "3xx_replies")                                               \
	X(ST_400, "400_replies")                                               \
	X(ST_401, "401_replies")                                               \
	X(ST_403, "403_replies")                                               \
	X(ST_404, "404_replies")                                               \
	X(ST_407, "407_replies")                                               \
	X(ST_408, "408_replies")                                               \
	X(ST_483, "483_replies")                                               \
	X(ST_4XX, "4xx_replies")                                               \
	X(ST_500, "500_replies")                                               \
	X(ST_5XX, "5xx_replies")                                               \
	X(ST_6XX, "6xx_replies")                                               \
	X(ST_XXX, "xxx_replies")                                               \
	X(ST_SENT, "sent_replies")                                             \
	X(ST_SENT_ERR, "sent_err_replies")                                     \
	X(ST_FAILURES, "failures")                                             \
	X(ST_ACKS, "received_ACKs")

#define AS_ENUM(idx, name)   idx,
#define AS_NAME(idx, name)   [idx] = name,
#define AS_EXPORT(idx, name) {name, 0, &vars[idx]},

enum sl_stat { SL_STATS(AS_ENUM) ST_COUNT };

static const char *const stat_names[ST_COUNT] = {SL_STATS(AS_NAME)};

static struct stat_var *vars[ST_COUNT];

struct stat_export sl_stat_exports[ST_COUNT + 1] = {
    SL_STATS(AS_EXPORT){NULL, 0, NULL}};

void sl_stats_enable(int on)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		sl_stat_exports[i].name = on ? stat_names[i] : NULL;
}

/* The counter of code itself, or -1 when it has none. */
static int code_stat(int code)
{
	static const struct {
		short code;
		short idx;
	} own[] = {
	    {200, ST_200}, {202, ST_202}, {300, ST_300}, {301, ST_301},
	    {302, ST_302}, {400, ST_400}, {401, ST_401}, {403, ST_403},
	    {404, ST_404}, {407, ST_407}, {408, ST_408}, {483, ST_483},
	    {500, ST_500},
	};
	unsigned i;

	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (own[i].code == code)
			return own[i].idx;
	return -1;
}

void sl_stats_reply(int code)
{
	static const int class_stat[7] = {ST_XXX, ST_1XX, ST_2XX, ST_3XX,
	                                  ST_4XX, ST_5XX, ST_6XX};
	int idx;

	if (code >= 100 && code <= 699)
		stat_update(vars[class_stat[code / 100]], 1);
	else
		stat_update(vars[ST_XXX], 1);
	idx = code_stat(code);
	if (idx >= 0)
		stat_update(vars[idx], 1);
	stat_update(vars[ST_SENT], 1);
	if (code >= 300)
		stat_update(vars[ST_SENT_ERR], 1);
}

void sl_stats_failure(void)
{
	stat_update(vars[ST_FAILURES], 1);
}

void sl_stats_ack(void)
{
	stat_update(vars[ST_ACKS], 1);
}
