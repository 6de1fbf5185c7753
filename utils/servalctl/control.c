/*
 * control.c - servalctl start, stop, restart.
 *
 * The pid file (-P, SERVAL_PIDFILE, default /tmp/serval.pid) is the only
 * link to a running server; a pid is trusted only if /proc says that
 * process is serval (its command line, rewritten by serval to
 * "serval: attendant", starts with serval), so a stale pid file never
 * gets an unrelated process killed.
 *
 * start runs "<serval> [-f CFG] -P PIDFILE [SERVAL_OPTS...]" and waits for
 * the launching process to exit: serval detaches and that process exits
 * 0 once every serval process runs, or non-zero when start-up failed.
 * stop sends SIGTERM to the master and waits until it is gone.
 */
#include "ctl.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 64
#define STEP_MS  100

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* The pid in file, or 0 when there is no valid one. */
static pid_t read_pid(const char *file)
{
	FILE *f = fopen(file, "r");
	long pid = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 1 || pid > INT_MAX)
		pid = 0;
	fclose(f);
	return (pid_t)pid;
}

/* 1 while pid exists and is not a zombie. */
static int alive(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p == NULL || p[1] == '\0' || p[2] != 'Z';
}

/* 1 when pid is a live serval process (not servalctl, not another). */
static int is_serval(pid_t pid)
{
	char path[64], cmd[256], *base;
	FILE *f;
	size_t n;

	if (!alive(pid))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	n = fread(cmd, 1, sizeof(cmd) - 1, f);
	fclose(f);
	cmd[n] = '\0';
	base = strrchr(cmd, '/');
	base = base ? base + 1 : cmd;
	return strncmp(base, "serval", 6) == 0 &&
	       (base[6] == '\0' || base[6] == ':' || base[6] == ' ');
}

/* -b, SERVAL_BIN, else "serval" next to this binary, else from PATH. */
static const char *serval_path(const struct ctl *c, char *buf, size_t size)
{
	ssize_t n;
	char *slash;

	if (c->serval_bin)
		return c->serval_bin;
	n = readlink("/proc/self/exe", buf, size - 8);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash != NULL) {
			strcpy(slash + 1, "serval");
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	return "serval";
}

/* Fills argv for start; opts is a writable copy of SERVAL_OPTS. */
static int start_argv(const struct ctl *c, const char *bin, char *opts,
                      char **argv)
{
	int n = 0;
	char *w;

	argv[n++] = (char *)bin;
	if (c->cfg) {
		argv[n++] = "-f";
		argv[n++] = (char *)c->cfg;
	}
	argv[n++] = "-P";
	argv[n++] = (char *)c->pidfile;
	for (w = strtok(opts, " \t"); w && n < MAX_ARGS - 1;
	     w = strtok(NULL, " \t"))
		argv[n++] = w;
	argv[n] = NULL;
	return n;
}

/* Waits for the launcher; returns its exit status, or -1 on timeout. */
static int wait_launcher(pid_t launcher)
{
	int status, waited;

	for (waited = 0; waited < CTL_START_WAIT_MS; waited += STEP_MS) {
		if (waitpid(launcher, &status, WNOHANG) == launcher)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		sleep_ms(STEP_MS);
	}
	return -1;
}

static int launch(const struct ctl *c, char *const argv[])
{
	pid_t launcher = fork();
	int status;

	if (launcher < 0) {
		perror("servalctl: fork");
		return 1;
	}
	if (launcher == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "servalctl: cannot run %s: %s\n", argv[0],
		        strerror(errno));
		_exit(127);
	}
	status = wait_launcher(launcher);
	if (status < 0) {
		fprintf(stderr,
		        "servalctl: serval did not detach within %d s "
		        "(SERVAL_OPTS with -D?)\n",
		        CTL_START_WAIT_MS / 1000);
		return 1;
	}
	if (status != 0) {
		fprintf(stderr,
		        "servalctl: serval failed to start (exit "
		        "status %d); see its log\n",
		        status);
		return 1;
	}
	printf("serval started (pid %d)\n", (int)read_pid(c->pidfile));
	return 0;
}

int ctl_start(struct ctl *c)
{
	char bin[PATH_MAX], *argv[MAX_ARGS], *opts;
	pid_t pid = read_pid(c->pidfile);
	int rc;

	if (pid > 0 && is_serval(pid)) {
		fprintf(stderr,
		        "servalctl: serval is already running (pid "
		        "%d)\n",
		        (int)pid);
		return 1;
	}
	opts = strdup(c->opts ? c->opts : "");
	if (opts == NULL)
		return 1;
	start_argv(c, serval_path(c, bin, sizeof(bin)), opts, argv);
	rc = launch(c, argv);
	free(opts);
	return rc;
}

int ctl_stop(struct ctl *c)
{
	pid_t pid = read_pid(c->pidfile);
	int waited;

	if (pid == 0 || !is_serval(pid)) {
		fprintf(stderr, "servalctl: serval is not running (%s %s)\n",
		        pid ? "stale pid file" : "no pid in", c->pidfile);
		return 1;
	}
	if (kill(pid, SIGTERM) != 0) {
		fprintf(stderr, "servalctl: cannot signal pid %d: %s\n",
		        (int)pid, strerror(errno));
		return 1;
	}
	for (waited = 0; waited < CTL_STOP_WAIT_MS; waited += STEP_MS) {
		if (!alive(pid)) {
			printf("serval stopped\n");
			return 0;
		}
		sleep_ms(STEP_MS);
	}
	fprintf(stderr,
	        "servalctl: serval (pid %d) did not stop within "
	        "%d s\n",
	        (int)pid, CTL_STOP_WAIT_MS / 1000);
	return 1;
}

int ctl_restart(struct ctl *c)
{
	pid_t pid = read_pid(c->pidfile);

	if (pid > 0 && is_serval(pid) && ctl_stop(c) != 0)
		return 1;
	return ctl_start(c);
}
