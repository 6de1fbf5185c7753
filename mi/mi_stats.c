/*
 * mi_stats.c - get_statistics and reset_statistics.
 *
 * Each argument is a selector of stats_match() (all, group:, group:name,
 * name).  get_statistics answers one line "group:name = value" per
 * selected statistic, in argument order and registration order within an
 * argument; reset_statistics resets the selected ones that can be reset
 * (STAT_NO_RESET gauges and plain function statistics are left alone, as
 * in OpenSER).  Either answers 404 when no argument selected anything.
 */
#include "mi_core.h"
#include "mi.h"
#include "core/errors.h"
#include "core/stats.h"

#define MI_STATS_NOT_FOUND_S "Statistics Not Found"

static int add_stat_line(struct stat_var *v, void *arg)
{
	struct mi_root *rpl = arg;

	if (!mi_add_childf(&rpl->node, NULL, 0, "%s:%s = %ld", v->group->name,
	                   v->name, stat_get(v)))
		return SV_ENOMEM;
	return SV_OK;
}

static struct mi_root *mi_get_statistics(struct mi_root *cmd, void *param)
{
	struct mi_root *rpl;
	struct mi_node *arg;
	int found = 0, n;

	if (cmd->node.kids == NULL)
		return mi_root_new(400, MI_MISSING_PARM_S);
	rpl = mi_root_new(200, MI_OK_S);
	if (rpl == NULL)
		return NULL;
	for (arg = cmd->node.kids; arg != NULL; arg = arg->next) {
		if (arg->value.s == NULL)
			continue;
		n = stats_match(arg->value.s, arg->value.len, add_stat_line,
		                rpl);
		if (n < 0) {
			mi_root_free(rpl);
			return NULL;
		}
		found += n;
	}
	if (found == 0) {
		mi_root_free(rpl);
		return mi_root_new(404, MI_STATS_NOT_FOUND_S);
	}
	return rpl;
}

static int reset_one(struct stat_var *v, void *arg)
{
	stat_reset(v); /* non-resettable ones are skipped silently */
	return SV_OK;
}

static struct mi_root *mi_reset_statistics(struct mi_root *cmd, void *param)
{
	struct mi_node *arg;
	int found = 0, n;

	if (cmd->node.kids == NULL)
		return mi_root_new(400, MI_MISSING_PARM_S);
	for (arg = cmd->node.kids; arg != NULL; arg = arg->next) {
		if (arg->value.s == NULL)
			continue;
		n = stats_match(arg->value.s, arg->value.len, reset_one, NULL);
		if (n > 0)
			found += n;
	}
	if (found == 0)
		return mi_root_new(404, MI_STATS_NOT_FOUND_S);
	return mi_root_new(200, MI_OK_S);
}

static const struct mi_export stats_cmds[] = {
    {"get_statistics", mi_get_statistics, 0, NULL, NULL},
    {"reset_statistics", mi_reset_statistics, 0, NULL, NULL},
    {NULL, NULL, 0, NULL, NULL}};

int mi_stats_init(void)
{
	return mi_register_module("core", stats_cmds);
}
