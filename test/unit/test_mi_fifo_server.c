/*
 * test_mi_fifo_server.c - the FIFO transport end to end: a forked server
 * loop (fifo_server_run) and clients in the test process.
 *
 * Clients use the library servalctl uses (mi_call) or write raw protocol
 * text.  Covered: core and test commands with plain, named, quoted and
 * multi-line arguments; unknown and failing commands; malformed requests
 * answered 400 and garbage skipped; a request without reply FIFO (result
 * logged); a reply FIFO nobody opens (bounded delay); reply names that
 * try to leave reply_dir; a request too big, also one never finished; a
 * request left incomplete; a deferred reply completed by another process
 * and one that times out; the FIFO removed under the server; concurrent
 * clients; clean stop on SIGTERM.  The server's log goes to a file the
 * tests read.
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
#include "mi/async.h"
#include "mi/fifo_client.h"
#include "mi/mi.h"
#include "mi/mi_core.h"
#include "modules/mi_fifo/fifo_file.h"
#include "modules/mi_fifo/fifo_reply.h"
#include "modules/mi_fifo/fifo_server.h"
#include "shm/lock.h"
#include "shm/shm.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPLY_TIMEOUT_MS 300

static char dir[64], fifo[128], logfile[128];
static pid_t server;
static struct fifo_server_cfg cfg;
static struct mi_client client;

/* ------------------------------------------------------ test commands -- */

/* Answers one line per argument: "[name:: ]value". */
static struct mi_root *t_echo(struct mi_root *cmd, void *param)
{
	struct mi_root *rpl = mi_root_new(200, MI_OK_S);
	struct mi_node *n;

	for (n = cmd->node.kids; rpl && n; n = n->next)
		mi_add_child(&rpl->node, n->name.s, n->name.len, n->value.s,
		             n->value.len);
	return rpl;
}

static struct mi_root *t_fail(struct mi_root *cmd, void *param)
{
	return NULL;
}

/* Completes from another process 100 ms later, as tm would. */
static struct mi_root *t_async(struct mi_root *cmd, void *param)
{
	struct mi_async *a = cmd->async;
	struct mi_root *rpl;

	if (a == NULL)
		return mi_root_new(500, "no async");
	if (fork() == 0) {
		proc_pid = getpid();
		usleep(100000);
		rpl = mi_root_new(200, "done");
		mi_add_child(&rpl->node, "later", -1, "yes", -1);
		mi_async_complete(a, rpl);
		_exit(0);
	}
	return MI_ROOT_ASYNC_RPL;
}

static struct mi_root *t_never(struct mi_root *cmd, void *param)
{
	return cmd->async ? MI_ROOT_ASYNC_RPL : NULL;
}

static const struct mi_export test_cmds[] = {
    {"t_echo", t_echo, 0, NULL, NULL},
    {"t_fail", t_fail, 0, NULL, NULL},
    {"t_async", t_async, MI_ASYNC_RPL_FLAG, NULL, NULL},
    {"t_never", t_never, MI_ASYNC_RPL_FLAG, NULL, NULL},
    {NULL, NULL, 0, NULL, NULL},
};

/* ------------------------------------------------------------- server -- */

static void on_term(int sig)
{
	proc_stop = 1;
}

static void server_main(void)
{
	struct sigaction sa;
	int fd = open(logfile, O_WRONLY | O_CREAT | O_APPEND, 0600);

	dup2(fd, STDERR_FILENO);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
	signal(SIGCHLD, SIG_IGN);         /* t_async's helpers reap */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term; /* no SA_RESTART, as proc.c does */
	sigaction(SIGTERM, &sa, NULL);
	proc_pid = getpid();
	log_set_level(L_INFO);
	_exit(fifo_server_run(&cfg) == SV_OK ? 0 : 1);
}

/* Waits (up to 5 s) until the server has the FIFO open. */
static int wait_ready(void)
{
	int i, fd;

	for (i = 0; i < 500; i++) {
		fd = open(fifo, O_WRONLY | O_NONBLOCK);
		if (fd >= 0) {
			close(fd);
			return SV_OK;
		}
		usleep(10000);
	}
	return SV_ETIMEOUT;
}

static int setup(void **state)
{
	char *argv[] = {"serval", NULL};
	int fds[2];

	proc_pid = getpid();
	log_set_level(L_ALERT);
	strcpy(dir, "/tmp/serval-mi-XXXXXX");
	if (mkdtemp(dir) == NULL || shm_init(4 << 20) != SV_OK ||
	    stats_init() != SV_OK || mi_core_init(1, argv) != SV_OK ||
	    mi_register_module("test", test_cmds) != SV_OK ||
	    pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
		return -1;
	snprintf(fifo, sizeof(fifo), "%s/serval_fifo", dir);
	snprintf(logfile, sizeof(logfile), "%s/server.log", dir);
	cfg = (struct fifo_server_cfg){
	    .fifo_name = fifo,
	    .fifo_mode = 0600,
	    .reply_dir = dir,
	    .reply_indent = "\t",
	    .reply_timeout_ms = REPLY_TIMEOUT_MS,
	    .async_timeout_s = 1,
	    .stall_ms = 300,
	    .notify_rd = fds[0],
	    .notify_wr = fds[1],
	};
	if (fifo_create(fifo, 0600) != SV_OK)
		return -1;
	server = fork();
	if (server == 0)
		server_main();
	mi_client_init(&client, fifo);
	client.reply_dir = dir;
	client.timeout_ms = 5000;
	return server > 0 && wait_ready() == SV_OK ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[200];
	int status = -1;

	kill(server, SIGTERM);
	waitpid(server, &status, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return -1;
	close(cfg.notify_rd);
	close(cfg.notify_wr);
	mi_registry_destroy();
	mi_core_destroy();
	stats_destroy();
	shm_destroy();
	/* the server stopped on SIGTERM, cleanly */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------ helpers -- */

static struct mi_reply rpl;

static void call(const char *cmd, int argc, char *const argv[])
{
	int rc = mi_call(&client, cmd, argc, argv, &rpl);

	if (rc != SV_OK)
		fail_msg("mi_call %s: %d %s", cmd, rc, client.err);
}

static void expect(int code, const char *reason, const char *body)
{
	assert_int_equal(rpl.code, code);
	assert_string_equal(rpl.reason, reason);
	if (body)
		assert_string_equal(rpl.body, body);
	mi_reply_free(&rpl);
}

static void write_server(const char *text, size_t len)
{
	int fd = open(fifo, O_WRONLY); /* blocking: the server reads */

	assert_true(fd >= 0);
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		assert_true(n > 0);
		text += n;
		len -= (size_t)n;
	}
	close(fd);
}

/* Reads a reply FIFO opened earlier until end of file (or 3 s). */
static char *read_all(int fd)
{
	static char buf[8192];
	struct pollfd p = {.fd = fd, .events = POLLIN};
	size_t len = 0;
	ssize_t n;

	while (poll(&p, 1, 3000) == 1) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/* Makes reply FIFO dir/name and opens it for reading. */
static int reply_fifo(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkfifo(path, 0600), 0);
	return open(path, O_RDONLY | O_NONBLOCK);
}

/* Sends raw text (which names reply FIFO "raw") and returns the reply. */
static char *raw_call(const char *text, size_t len)
{
	char path[256];
	int fd = reply_fifo("raw");
	char *r;

	assert_true(fd >= 0);
	write_server(text, len);
	r = read_all(fd);
	close(fd);
	snprintf(path, sizeof(path), "%s/raw", dir);
	unlink(path);
	return r;
}

static int log_has(const char *what)
{
	char buf[65536];
	int fd = open(logfile, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strstr(buf, what) != NULL;
}

static long long now_ms(void)
{
	return fifo_now_ms();
}

/* -------------------------------------------------------------- tests -- */

static void core_commands(void **state)
{
	char *stat[] = {"core:rcv_requests", "nosuch"};
	char *none[] = {"nosuch"};

	call("uptime", 0, NULL);
	assert_int_equal(rpl.code, 200);
	assert_non_null(strstr(rpl.body, "\nUp time:: "));
	mi_reply_free(&rpl);
	call("get_statistics", 2, stat);
	expect(200, "OK", "core:rcv_requests = 0\n");
	call("get_statistics", 1, none);
	expect(404, "Statistics Not Found", "");
	call("which", 0, NULL);
	assert_non_null(strstr(rpl.body, "\nt_never\n"));
	expect(200, "OK", NULL);
}

static void arguments(void **state)
{
	char *args[] = {"a", "n::v", "  sp  ", "l1\r\nl2", "say \"x\"", ""};

	call("t_echo", 6, args);
	expect(200, "OK", "a\nn:: v\n  sp  \nl1\r\nl2\nsay \"x\"\n\n");
}

static void errors(void **state)
{
	call("nosuch", 0, NULL);
	expect(500, "command 'nosuch' not available", "");
	call("t_fail", 0, NULL);
	expect(500, "command 't_fail' failed", "");
}

static void malformed_and_garbage(void **state)
{
	static const char bad[] = ":t_echo:raw\n\"open\n\n";
	static const char garbage[] = "garbage\nmore\n\n\n:t_echo:raw\nok\n\n";

	assert_string_equal(raw_call(bad, sizeof(bad) - 1),
	                    "400 parse error in command 't_echo'\n"
	                    "unterminated quoted value (line 2)\n\n");
	assert_string_equal(raw_call(garbage, sizeof(garbage) - 1),
	                    "200 OK\nok\n\n");
	assert_true(log_has("request does not start with ':'"));
}

static void no_reply_fifo(void **state)
{
	static const char text[] = ":t_echo:\nlogged\n\n";

	write_server(text, sizeof(text) - 1);
	call("t_echo", 0, NULL); /* served after it */
	expect(200, "OK", "");
	assert_true(log_has("MI 't_echo' (no reply fifo): 200 OK|logged"));
}

static void reply_fifo_never_opened(void **state)
{
	static const char text[] = ":uptime:ghost\n\n";
	char path[256];
	long long t0;

	snprintf(path, sizeof(path), "%s/ghost", dir);
	assert_int_equal(mkfifo(path, 0600), 0); /* nobody will read it */
	t0 = now_ms();
	write_server(text, sizeof(text) - 1);
	call("t_echo", 0, NULL);
	expect(200, "OK", "");
	assert_true(now_ms() - t0 < REPLY_TIMEOUT_MS + 1000);
	assert_true(log_has("nobody reads reply fifo"));
}

static void reply_names_cannot_escape(void **state)
{
	static const char up[] = ":uptime:../escape\n\n";
	static const char abs[] = ":uptime:/tmp/escape\n\n";
	char path[256];
	int fd;

	/* a reader waiting where the escape would lead gets nothing */
	snprintf(path, sizeof(path), "%s/../escape", dir);
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	fd = open(path, O_RDONLY | O_NONBLOCK);
	write_server(up, sizeof(up) - 1);
	write_server(abs, sizeof(abs) - 1);
	call("t_echo", 0, NULL);
	expect(200, "OK", "");
	assert_int_equal(read(fd, path, 1), 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/../escape", dir);
	unlink(path);
	assert_true(log_has("bad reply fifo name"));
}

static void reply_target_not_a_fifo(void **state)
{
	static const char plain[] = ":uptime:plain\n\n";
	static const char link[] = ":uptime:link\n\n";
	char path[256], target[256], buf[16];
	int fd;

	snprintf(path, sizeof(path), "%s/plain", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	snprintf(target, sizeof(target), "%s/target", dir);
	assert_int_equal(mkfifo(target, 0600), 0);
	fd = open(target, O_RDONLY | O_NONBLOCK);
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink(target, path), 0);
	write_server(plain, sizeof(plain) - 1);
	write_server(link, sizeof(link) - 1);
	call("t_echo", 0, NULL);
	expect(200, "OK", "");
	assert_int_equal(read(fd, buf, sizeof(buf)), 0); /* nothing came */
	close(fd);
	snprintf(path, sizeof(path), "%s/plain", dir);
	fd = open(path, O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf)), 4);
	close(fd);
	assert_true(log_has("plain is not a fifo"));
	assert_true(log_has("link is not a fifo"));
}

static void request_too_big(void **state)
{
	size_t size = 100000, len;
	char *text = malloc(size);

	len = (size_t)sprintf(text, ":t_echo:raw\n");
	while (len + 1002 < size - 100)
		len += (size_t)sprintf(text + len, "%01000d\n", 7);
	len += (size_t)sprintf(text + len, "\n");
	assert_string_equal(raw_call(text, len),
	                    "400 parse error in command 't_echo'\n"
	                    "request too big\n\n");
	free(text);
	call("t_echo", 0, NULL); /* in step again */
	expect(200, "OK", "");
	/* the tail was skipped up to its empty line, not parsed */
	assert_false(log_has("does not start with"));
}

/*
 * A request too big whose empty line never comes: the server skips its
 * rest only until no byte of it came for stall_ms, so a dead client
 * cannot make it swallow the next request.
 */
static void request_too_big_left_incomplete(void **state)
{
	size_t size = 70000, len;
	char *text = malloc(size);

	len = (size_t)sprintf(text, ":t_echo:raw\n");
	while (len + 1002 < size)
		len += (size_t)sprintf(text + len, "%01000d\n", 7);
	assert_string_equal(raw_call(text, len),
	                    "400 parse error in command 't_echo'\n"
	                    "request too big\n\n");
	free(text);
	usleep((cfg.stall_ms + 1000 + 200) * 1000); /* checked each second */
	client.timeout_ms = 2000;
	call("t_echo", 0, NULL); /* answered, not taken for the tail */
	expect(200, "OK", "");
}

static void incomplete_request(void **state)
{
	static const char text[] = ":t_echo:raw\nnever ends\n";

	assert_string_equal(raw_call(text, sizeof(text) - 1),
	                    "400 parse error in command 't_echo'\n"
	                    "incomplete request\n\n");
	call("t_echo", 0, NULL);
	expect(200, "OK", "");
}

static void deferred_reply(void **state)
{
	call("t_async", 0, NULL);
	expect(200, "done", "later:: yes\n");
	call("t_never", 0, NULL); /* async_timeout_s = 1 */
	expect(500, "command 't_never' timed out", "");
}

static void fifo_removed(void **state)
{
	struct stat st;
	int i;

	assert_int_equal(unlink(fifo), 0);
	for (i = 0; i < 40 && stat(fifo, &st) != 0; i++)
		usleep(100000);
	assert_int_equal(stat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	call("t_echo", 0, NULL);
	expect(200, "OK", "");
}

#define CLIENTS 4
#define CALLS   25

static void concurrent_clients(void **state)
{
	pid_t pids[CLIENTS];
	int i, status;

	for (i = 0; i < CLIENTS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			char arg[32], expect_body[40], *argv[] = {arg};
			struct mi_reply r;
			int k, bad = 0;

			for (k = 0; k < CALLS; k++) {
				snprintf(arg, sizeof(arg), "c%d-%d", i, k);
				snprintf(expect_body, sizeof(expect_body),
				         "%s\n", arg);
				if (mi_call(&client, "t_echo", 1, argv, &r) ||
				    r.code != 200 ||
				    strcmp(r.body, expect_body))
					bad++;
				mi_reply_free(&r);
			}
			_exit(bad);
		}
	}
	for (i = 0; i < CLIENTS; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
}

static void client_errors(void **state)
{
	struct mi_client c;
	struct mi_reply r;
	char path[256];

	mi_client_init(&c, "/nonexistent/serval_fifo");
	assert_int_equal(mi_call(&c, "uptime", 0, NULL, &r), SV_ENOTFOUND);
	assert_non_null(strstr(c.err, "not running"));
	snprintf(path, sizeof(path), "%s/stale", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	mi_client_init(&c, path);
	c.reply_dir = dir;
	assert_int_equal(mi_call(&c, "uptime", 0, NULL, &r), SV_EAGAIN);
	assert_non_null(strstr(c.err, "stale"));
	assert_int_equal(c.reply_path[0], '\0');
	assert_int_equal(mi_call(&client, "bad:name", 0, NULL, &r), SV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(core_commands),
	    T(arguments),
	    T(errors),
	    T(malformed_and_garbage),
	    T(no_reply_fifo),
	    T(reply_fifo_never_opened),
	    T(reply_names_cannot_escape),
	    T(reply_target_not_a_fifo),
	    T(request_too_big),
	    T(incomplete_request),
	    T(request_too_big_left_incomplete),
	    T(deferred_reply),
	    T(fifo_removed),
	    T(concurrent_clients),
	    T(client_errors),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
