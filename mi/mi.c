/*
 * mi.c - the MI command registry and command execution (see mi.h).
 *
 * The table is a pkg array grown by doubling, in registration order (which
 * is what "which" lists).  Lookup is a linear scan comparing lengths first:
 * a few dozen commands, one lookup per request.  Command names must be
 * printable, without blanks or ':' (the FIFO protocol's separator).
 */
#include "mi.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/proc.h"

#include <stdlib.h>
#include <string.h>

static struct mi_cmd *cmds;
static int cmd_count, cmd_alloc;

static int name_ok(const char *name, int len)
{
	int i;

	if (len <= 0 || len > MI_CMD_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] >= 0x7f || name[i] == ':')
			return 0;
	return 1;
}

const struct mi_cmd *mi_lookup(const char *name, int len)
{
	int i;

	if (name == NULL)
		return NULL;
	if (len < 0)
		len = (int)strlen(name);
	for (i = 0; i < cmd_count; i++)
		if (cmds[i].name_len == len &&
		    memcmp(cmds[i].name, name, (size_t)len) == 0)
			return &cmds[i];
	return NULL;
}

static int table_grow(void)
{
	int n = cmd_alloc ? cmd_alloc * 2 : 32;
	struct mi_cmd *t = realloc(cmds, (size_t)n * sizeof(*t));

	if (t == NULL)
		return SV_ENOMEM;
	cmds = t;
	cmd_alloc = n;
	return SV_OK;
}

int mi_register(const char *module, const struct mi_export *e)
{
	struct mi_cmd *c;
	int len = e->name ? (int)strlen(e->name) : 0;

	if (!name_ok(e->name, len) || e->cmd == NULL) {
		LM_ERR("bad MI command '%s' of %s\n", e->name ? e->name : "",
		       module);
		return SV_EINVAL;
	}
	if (proc_self != NULL && proc_self->role != ROLE_ATTENDANT) {
		LM_CRIT("MI command '%s' registered after fork, in %s\n",
		        e->name, proc_self->desc);
		return SV_EINVAL;
	}
	if (mi_lookup(e->name, len) != NULL) {
		LM_ERR("MI command '%s' of %s already registered\n", e->name,
		       module);
		return SV_EEXIST;
	}
	if (cmd_count == cmd_alloc && table_grow() != SV_OK)
		return SV_ENOMEM;
	c = &cmds[cmd_count];
	c->name = strdup(e->name);
	c->module = strdup(module ? module : "core");
	if (c->name == NULL || c->module == NULL) {
		free((void *)c->name);
		free((void *)c->module);
		return SV_ENOMEM;
	}
	c->name_len = len;
	c->f = e->cmd;
	c->flags = e->flags;
	c->param = e->param;
	c->init = e->init;
	cmd_count++;
	return SV_OK;
}

int mi_register_module(const char *module, const struct mi_export *table)
{
	int rc;

	for (; table != NULL && table->name != NULL; table++) {
		rc = mi_register(module, table);
		if (rc != SV_OK)
			return rc;
	}
	return SV_OK;
}

int mi_cmd_count(void)
{
	return cmd_count;
}

const struct mi_cmd *mi_cmd_at(int i)
{
	return i >= 0 && i < cmd_count ? &cmds[i] : NULL;
}

int mi_init_child(void)
{
	int i;

	for (i = 0; i < cmd_count; i++) {
		if (cmds[i].init == NULL || cmds[i].init() == SV_OK)
			continue;
		LM_ERR("init of MI command '%s' (%s) failed\n", cmds[i].name,
		       cmds[i].module);
		return SV_ERR;
	}
	return SV_OK;
}

struct mi_root *mi_execute(const struct mi_cmd *cmd, struct mi_root *req)
{
	struct mi_root *rpl = cmd->f(req, cmd->param);

	if (rpl == MI_ROOT_ASYNC_RPL && req->async == NULL) {
		LM_CRIT("MI command '%s' deferred its reply without a "
		        "handle\n",
		        cmd->name);
		rpl = NULL;
	}
	if (rpl == NULL) {
		LM_ERR("MI command '%s' failed\n", cmd->name);
		rpl = mi_root_newf(500, "command '%s' failed", cmd->name);
	}
	return rpl;
}

struct mi_root *mi_reply_unknown(const char *name, int len)
{
	if (len < 0)
		len = (int)strlen(name);
	if (len > MI_CMD_NAME_MAX)
		len = MI_CMD_NAME_MAX;
	return mi_root_newf(500, "command '%.*s' not available", len, name);
}

void mi_registry_destroy(void)
{
	int i;

	for (i = 0; i < cmd_count; i++) {
		free((void *)cmds[i].name);
		free((void *)cmds[i].module);
	}
	free(cmds);
	cmds = NULL;
	cmd_count = cmd_alloc = 0;
}
