/*
 * sl_stats.h - the sl statistics (group "sl").
 *
 * Counted for every stateless reply sl sends (replies sent statefully
 * through tm by send_reply() are tm's to count):
 *
 *   1xx_replies ... 6xx_replies   every reply of the class
 *   200, 202, 300, 301, 302, 400, 401, 403, 404, 407, 408, 483, 500
 *                                 (<code>_replies) replies of that code
 *   xxx_replies                   codes outside 100-699 (sl refuses to
 *                                 send those, so it stays 0: kept because
 *                                 the module documents list it)
 *   sent_replies                  every reply sent
 *   sent_err_replies              replies with code >= 300
 *   failures                      replies that could not be built or sent
 *   received_ACKs                 ACKs of sl's replies absorbed by the filter
 *
 * All are plain counters (resettable).  The table is exported through the
 * module's exports and registered by the core before mod_init; the
 * enable_stats parameter (applied earlier, at modparam time) empties the
 * table when it is 0, so nothing is registered and every update is a
 * no-op (stat_update() ignores a NULL statistic).
 */
#ifndef SERVAL_MODULES_SL_SL_STATS_H
#define SERVAL_MODULES_SL_SL_STATS_H

#include "core/module.h"

/*
 * The exported table (sl.c puts it in exports.stats).  Mutable only for
 * sl_stats_enable(); terminated by a NULL name.
 */
extern struct stat_export sl_stat_exports[];

/*
 * Keeps (on != 0) or removes (on == 0) every statistic from the exported
 * table.  Master only, before modules_init() registers the table.
 */
void sl_stats_enable(int on);

/* Counts one reply of code sent: its code, class, sent and error counts. */
void sl_stats_reply(int code);

/* Counts a reply that could not be built or sent. */
void sl_stats_failure(void);

/* Counts one absorbed ACK. */
void sl_stats_ack(void);

#endif /* SERVAL_MODULES_SL_SL_STATS_H */
