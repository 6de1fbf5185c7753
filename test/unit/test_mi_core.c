/*
 * test_mi_core.c - the MI command registry and the core commands.
 *
 * Registry rules (names, duplicates, module tables, init hooks),
 * mi_execute()'s error replies, and every core command run through the
 * registry as a transport would, checked on the rendered text.  The
 * process table is a local array standing in for the shm one; "kill" is
 * checked on a forked stand-in for the master.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/proc.h"
#include "core/stats.h"
#include "mi/mi.h"
#include "mi/mi_core.h"
#include "mi/render.h"
#include "shm/lock.h"
#include "shm/shm.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char out[16384];
static struct proc_info procs[2];
static struct stat_var *gauge;
static int init_calls[3];

static int setup(void **state)
{
	char *argv[] = {"serval", "-f", "x.cfg", NULL};

	proc_pid = getpid();
	log_set_level(L_ALERT); /* error paths below log on purpose */
	if (shm_init(4 << 20) != SV_OK || stats_init() != SV_OK ||
	    mi_core_init(3, argv) != SV_OK)
		return -1;
	stat_register("tm", "inuse", STAT_NO_RESET, &gauge, NULL);
	procs[0] = (struct proc_info){.pid = 100, .desc = "attendant"};
	procs[1] = (struct proc_info){.pid = 101,
	                              .role = ROLE_UDP_RECEIVER,
	                              .rank = 1,
	                              .id = 1,
	                              .desc = "udp receiver #1 "
	                                      "udp:127.0.0.1:5060"};
	proc_table = procs;
	proc_count = 2;
	return 0;
}

static int teardown(void **state)
{
	mi_registry_destroy();
	mi_core_destroy();
	stats_destroy();
	shm_destroy();
	proc_table = NULL;
	proc_count = 0;
	return 0;
}

/* Runs command name with the given arguments; returns the rendered reply. */
static const char *run(const char *name, int argc, const char **argv)
{
	const struct mi_cmd *cmd = mi_lookup(name, -1);
	struct mi_root *req = mi_root_new(0, NULL), *rpl;
	int i;

	assert_non_null(req);
	for (i = 0; i < argc; i++)
		assert_non_null(mi_add_child(&req->node, NULL, 0, argv[i], -1));
	rpl = cmd ? mi_execute(cmd, req) : mi_reply_unknown(name, -1);
	assert_non_null(rpl);
	assert_true(mi_render_text_buf(rpl, NULL, out, sizeof(out)) >= 0);
	mi_root_free(rpl);
	mi_root_free(req);
	return out;
}

#define RUN0(name) run(name, 0, NULL)
#define RUNV(name, ...)                                                        \
	run(name, sizeof((const char *[]){__VA_ARGS__}) / sizeof(char *),      \
	    (const char *[]){__VA_ARGS__})

static struct mi_root *h_ok(struct mi_root *cmd, void *param)
{
	return mi_root_new(200, (const char *)param);
}

static struct mi_root *h_fail(struct mi_root *cmd, void *param)
{
	return NULL;
}

static struct mi_root *h_async(struct mi_root *cmd, void *param)
{
	return MI_ROOT_ASYNC_RPL;
}

static int init_a(void)
{
	init_calls[0] = ++init_calls[2];
	return SV_OK;
}

static int init_b(void)
{
	init_calls[1] = ++init_calls[2];
	return SV_OK;
}

static int init_bad(void)
{
	return SV_ERR;
}

static void registry(void **state)
{
	const struct mi_export table[] = {
	    {"t_one", h_ok, 0, "one", init_a},
	    {"t_two", h_ok, MI_ASYNC_RPL_FLAG, "two", init_b},
	    {NULL, NULL, 0, NULL, NULL},
	};
	const struct mi_export bad[] = {
	    {"has space", h_ok, 0, NULL, NULL},
	    {"a:b", h_ok, 0, NULL, NULL},
	    {"", h_ok, 0, NULL, NULL},
	    {"nohandler", NULL, 0, NULL, NULL},
	};
	const struct mi_export failing = {"t_bad", h_ok, 0, NULL, init_bad};
	int n = mi_cmd_count(), i;
	const struct mi_cmd *c;

	assert_int_equal(mi_register_module("tm", table), SV_OK);
	assert_int_equal(mi_register_module("tm", NULL), SV_OK);
	assert_int_equal(mi_cmd_count(), n + 2);
	c = mi_lookup("t_two", -1);
	assert_non_null(c);
	assert_string_equal(c->module, "tm");
	assert_int_equal(c->flags, MI_ASYNC_RPL_FLAG);
	assert_ptr_equal(mi_cmd_at(n + 1), c);
	assert_null(mi_cmd_at(n + 2));
	assert_null(mi_lookup("t_tw", -1));
	assert_ptr_equal(mi_lookup("t_twoX", 5), c);
	assert_int_equal(mi_register_module("sl", table), SV_EEXIST);
	assert_int_equal(mi_register("core", &table[0]), SV_EEXIST);
	for (i = 0; i < 4; i++)
		assert_int_equal(mi_register("x", &bad[i]), SV_EINVAL);
	assert_int_equal(mi_init_child(), SV_OK);
	assert_int_equal(init_calls[0], 1); /* registration order */
	assert_int_equal(init_calls[1], 2);
	procs[1].role = ROLE_UDP_RECEIVER;
	proc_self = &procs[1]; /* in a child: refused */
	assert_int_equal(mi_register("x", &failing), SV_EINVAL);
	proc_self = NULL;
	assert_int_equal(mi_register("x", &failing), SV_OK);
	assert_int_equal(mi_init_child(), SV_ERR);
	assert_string_equal(RUN0("t_one"), "200 one\n\n");
}

static void execute_errors(void **state)
{
	const struct mi_export e[] = {
	    {"t_fail", h_fail, 0, NULL, NULL},
	    {"t_async", h_async, MI_ASYNC_RPL_FLAG, NULL, NULL},
	};

	assert_int_equal(mi_register("tm", &e[0]), SV_OK);
	assert_int_equal(mi_register("tm", &e[1]), SV_OK);
	assert_string_equal(RUN0("t_fail"), "500 command 't_fail' failed\n\n");
	/* deferring without a handle from the transport is refused */
	assert_string_equal(RUN0("t_async"),
	                    "500 command 't_async' failed\n\n");
	assert_string_equal(RUN0("nosuch"),
	                    "500 command 'nosuch' not available\n\n");
}

static void which(void **state)
{
	assert_string_equal(RUN0("which"),
	                    "200 OK\nwhich\nps\nuptime\nversion\npwd\narg\n"
	                    "kill\ndebug\nget_statistics\nreset_statistics\n"
	                    "\n");
}

static void ps(void **state)
{
	assert_string_equal(RUN0("ps"),
	                    "200 OK\n"
	                    "Process::  ID=0 PID=100 Type=attendant\n"
	                    "Process::  ID=1 PID=101 Type=udp receiver #1 "
	                    "udp:127.0.0.1:5060\n\n");
}

static void uptime(void **state)
{
	const char *r = RUN0("uptime");
	char now[64], since[64];
	long up = -1;

	assert_int_equal(sscanf(r,
	                        "200 OK\nNow:: %63[^\n]\nUp since:: "
	                        "%63[^\n]\nUp time:: %ld [sec]\n",
	                        now, since, &up),
	                 3);
	assert_true(up >= 0 && up < 5);
	assert_int_equal(strlen(now), 24); /* "Sat Nov 21 06:47:21 2026" */
	assert_int_equal(strlen(since), 24);
	assert_string_equal(r + strlen(r) - 8, " [sec]\n\n");
}

static void version(void **state)
{
	assert_string_equal(RUN0("version"),
	                    "200 OK\nServer:: serval " SERVAL_VERSION
	                    " (" SERVAL_ARCH "/" SERVAL_OS ")\n\n");
}

static void pwd_and_arg(void **state)
{
	char expect[4200], cwd[4096];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(expect, sizeof(expect), "200 OK\nWD:: %s\n\n", cwd);
	assert_string_equal(RUN0("pwd"), expect);
	assert_string_equal(RUN0("arg"), "200 OK\nserval\n-f\nx.cfg\n\n");
}

static void debug(void **state)
{
	log_set_level(L_ERR);
	assert_string_equal(RUN0("debug"), "200 OK\nDEBUG:: -1\n\n");
	assert_string_equal(RUNV("debug", "-3"), "200 OK\nDEBUG:: -3\n\n");
	assert_int_equal(log_get_level(), L_ALERT);
	assert_string_equal(RUNV("debug", "9"), "200 OK\nDEBUG:: 9\n\n");
	assert_string_equal(RUNV("debug", "10"), "400 Bad parameter\n\n");
	assert_string_equal(RUNV("debug", "-4"), "400 Bad parameter\n\n");
	assert_string_equal(RUNV("debug", "x"), "400 Bad parameter\n\n");
	assert_string_equal(RUNV("debug", "3x"), "400 Bad parameter\n\n");
	assert_string_equal(RUNV("debug", ""), "400 Bad parameter\n\n");
	assert_string_equal(RUNV("debug", "1", "2"),
	                    "400 Too few or too many arguments\n\n");
	assert_int_equal(log_get_level(), 9);
	log_set_level(L_ALERT);
}

static void get_statistics(void **state)
{
	const char *r;

	stat_update(core_stats.rcv_requests, 5);
	stat_update(gauge, 2);
	assert_string_equal(RUNV("get_statistics", "rcv_requests"),
	                    "200 OK\ncore:rcv_requests = 5\n\n");
	assert_string_equal(RUNV("get_statistics", "tm:", "core:fwd_replies"),
	                    "200 OK\ntm:inuse = 2\ncore:fwd_replies = 0\n\n");
	assert_string_equal(RUNV("get_statistics", "nosuch", "tm:inuse"),
	                    "200 OK\ntm:inuse = 2\n\n");
	assert_string_equal(RUNV("get_statistics", "nosuch", "x:"),
	                    "404 Statistics Not Found\n\n");
	assert_string_equal(RUN0("get_statistics"),
	                    "400 Too few or too many arguments\n\n");
	r = RUNV("get_statistics", "core:");
	assert_non_null(strstr(r, "\ncore:rcv_requests = 5\ncore:rcv_replies"
	                          " = 0\n"));
	assert_non_null(strstr(r, "\ncore:bad_msg_hdr = 0\n\n"));
	r = RUNV("get_statistics", "all");
	assert_non_null(strstr(r, "\nshmem:total_size = 4"));
	assert_non_null(strstr(r, "\nshmem:fragments = "));
	assert_non_null(strstr(r, "\ntm:inuse = 2\n\n"));
}

static void reset_statistics(void **state)
{
	stat_update(core_stats.rcv_requests, 5);
	stat_update(core_stats.fwd_requests, 6);
	stat_update(gauge, 2);
	assert_string_equal(
	    RUNV("reset_statistics", "rcv_requests", "tm:inuse"), "200 OK\n\n");
	assert_int_equal(stat_get(core_stats.rcv_requests), 0);
	assert_int_equal(stat_get(core_stats.fwd_requests), 6);
	assert_int_equal(stat_get(gauge), 2); /* STAT_NO_RESET */
	assert_string_equal(RUNV("reset_statistics", "core:"), "200 OK\n\n");
	assert_int_equal(stat_get(core_stats.fwd_requests), 0);
	assert_string_equal(RUNV("reset_statistics", "nosuch"),
	                    "404 Statistics Not Found\n\n");
	assert_string_equal(RUN0("reset_statistics"),
	                    "400 Too few or too many arguments\n\n");
}

static void kill_asks_master(void **state)
{
	pid_t master = fork();
	int status;

	assert_true(master >= 0);
	if (master == 0) {
		pause();
		_exit(0);
	}
	procs[0].pid = master;
	assert_string_equal(RUN0("kill"), "200 OK\n\n");
	assert_int_equal(waitpid(master, &status, 0), master);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(registry),
	    T(execute_errors),
	    T(which),
	    T(ps),
	    T(uptime),
	    T(version),
	    T(pwd_and_arg),
	    T(debug),
	    T(get_statistics),
	    T(reset_statistics),
	    T(kill_asks_master),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
