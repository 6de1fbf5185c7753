/*
 * mi_core.c - which, ps, uptime, version, pwd, arg, kill, debug.
 *
 * Output lines follow OpenSER 1.3's mi_core.c so scripts written for
 * openserctl read serval the same way (see mi_core.h).  Everything these
 * commands read is either inherited from the master (start time, argv, the
 * registry) or in shm (the process table, the log level).
 */
#include "mi_core.h"
#include "mi.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/proc.h"
#include "core/version.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEBUG_MAX 9 /* OpenSER scripts say debug=9 for "everything" */

static time_t start_wall;
static struct timespec start_mono;
static char **arg_copy;
static int arg_count;

static struct mi_root *reply_ok(void)
{
	return mi_root_new(200, MI_OK_S);
}

static struct mi_root *mi_which(struct mi_root *cmd, void *param)
{
	struct mi_root *rpl = reply_ok();
	int i;

	for (i = 0; rpl != NULL && i < mi_cmd_count(); i++) {
		const struct mi_cmd *c = mi_cmd_at(i);

		if (!mi_add_child(&rpl->node, NULL, 0, c->name, c->name_len))
			goto oom;
	}
	return rpl;
oom:
	mi_root_free(rpl);
	return NULL;
}

static struct mi_root *mi_ps(struct mi_root *cmd, void *param)
{
	struct mi_root *rpl = reply_ok();
	struct mi_node *n;
	int i;

	for (i = 0; rpl != NULL && i < proc_count; i++) {
		n = mi_add_child(&rpl->node, "Process", -1, NULL, 0);
		if (n == NULL || !mi_add_attrf(n, "ID", -1, "%d", i) ||
		    !mi_add_attrf(n, "PID", -1, "%d", (int)proc_table[i].pid) ||
		    !mi_add_attr(n, "Type", -1, proc_table[i].desc, -1))
			goto oom;
	}
	return rpl;
oom:
	mi_root_free(rpl);
	return NULL;
}

/* ctime() without its newline. */
static void ctime_line(time_t t, char *buf)
{
	size_t len;

	ctime_r(&t, buf);
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
}

static struct mi_root *mi_uptime(struct mi_root *cmd, void *param)
{
	struct mi_root *rpl = reply_ok();
	char now_s[32], since_s[32];
	struct timespec mono;
	long up;

	if (rpl == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	ctime_line(time(NULL), now_s);
	ctime_line(start_wall, since_s);
	up = (long)(mono.tv_sec - start_mono.tv_sec);
	if (mono.tv_nsec < start_mono.tv_nsec)
		up--; /* whole seconds elapsed */
	if (!mi_add_child(&rpl->node, "Now", -1, now_s, -1) ||
	    !mi_add_child(&rpl->node, "Up since", -1, since_s, -1) ||
	    !mi_add_childf(&rpl->node, "Up time", -1, "%ld [sec]", up)) {
		mi_root_free(rpl);
		return NULL;
	}
	return rpl;
}

static struct mi_root *mi_version(struct mi_root *cmd, void *param)
{
	struct mi_root *rpl = reply_ok();

	if (rpl &&
	    !mi_add_child(&rpl->node, "Server", -1, SERVAL_FULL_VERSION, -1)) {
		mi_root_free(rpl);
		return NULL;
	}
	return rpl;
}

static struct mi_root *mi_pwd(struct mi_root *cmd, void *param)
{
	char cwd[PATH_MAX];
	struct mi_root *rpl;

	if (getcwd(cwd, sizeof(cwd)) == NULL) {
		LM_ERR("getcwd: %s\n", strerror(errno));
		return NULL;
	}
	rpl = reply_ok();
	if (rpl && !mi_add_child(&rpl->node, "WD", -1, cwd, -1)) {
		mi_root_free(rpl);
		return NULL;
	}
	return rpl;
}

static struct mi_root *mi_args(struct mi_root *cmd, void *param)
{
	struct mi_root *rpl = reply_ok();
	int i;

	for (i = 0; rpl != NULL && i < arg_count; i++) {
		if (!mi_add_child(&rpl->node, NULL, 0, arg_copy[i], -1)) {
			mi_root_free(rpl);
			return NULL;
		}
	}
	return rpl;
}

static struct mi_root *mi_kill(struct mi_root *cmd, void *param)
{
	LM_NOTICE("MI kill: stopping the server\n");
	proc_request_shutdown();
	return reply_ok();
}

/* Parses a whole decimal int in [min, max]; returns SV_OK or SV_EINVAL. */
static int parse_int(const str *s, int min, int max, int *out)
{
	char buf[16], *end;
	long v;

	if (s->s == NULL || s->len <= 0 || s->len >= (int)sizeof(buf))
		return SV_EINVAL;
	memcpy(buf, s->s, (size_t)s->len);
	buf[s->len] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return SV_EINVAL;
	*out = (int)v;
	return SV_OK;
}

static struct mi_root *mi_debug(struct mi_root *cmd, void *param)
{
	struct mi_node *arg = cmd->node.kids;
	struct mi_root *rpl;
	int level = log_get_level();

	if (arg != NULL && arg->next != NULL)
		return mi_root_new(400, MI_MISSING_PARM_S);
	if (arg && parse_int(&arg->value, L_ALERT, DEBUG_MAX, &level) != SV_OK)
		return mi_root_new(400, MI_BAD_PARM_S);
	rpl = reply_ok();
	if (rpl && !mi_add_childf(&rpl->node, "DEBUG", -1, "%d", level)) {
		mi_root_free(rpl);
		return NULL;
	}
	if (arg != NULL) {
		log_set_level(level);
		LM_NOTICE("MI debug: log level set to %d\n", level);
	}
	return rpl;
}

static const struct mi_export core_cmds[] = {
    {"which", mi_which, MI_NO_INPUT_FLAG, NULL, NULL},
    {"ps", mi_ps, MI_NO_INPUT_FLAG, NULL, NULL},
    {"uptime", mi_uptime, MI_NO_INPUT_FLAG, NULL, NULL},
    {"version", mi_version, MI_NO_INPUT_FLAG, NULL, NULL},
    {"pwd", mi_pwd, MI_NO_INPUT_FLAG, NULL, NULL},
    {"arg", mi_args, MI_NO_INPUT_FLAG, NULL, NULL},
    {"kill", mi_kill, MI_NO_INPUT_FLAG, NULL, NULL},
    {"debug", mi_debug, 0, NULL, NULL},
    {NULL, NULL, 0, NULL, NULL}};

static int copy_args(int argc, char **argv)
{
	int i;

	arg_copy = calloc((size_t)argc + 1, sizeof(*arg_copy));
	if (arg_copy == NULL)
		return SV_ENOMEM;
	for (i = 0; i < argc; i++) {
		arg_copy[i] = strdup(argv[i]);
		if (arg_copy[i] == NULL)
			return SV_ENOMEM;
		arg_count = i + 1;
	}
	return SV_OK;
}

int mi_core_init(int argc, char **argv)
{
	int rc;

	start_wall = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &start_mono);
	rc = copy_args(argc, argv);
	if (rc == SV_OK)
		rc = mi_register_module("core", core_cmds);
	if (rc == SV_OK)
		rc = mi_stats_init();
	return rc;
}

void mi_core_destroy(void)
{
	int i;

	for (i = 0; i < arg_count; i++)
		free(arg_copy[i]);
	free(arg_copy);
	arg_copy = NULL;
	arg_count = 0;
}
