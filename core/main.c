/*
 * main.c - command line and the boot sequence of the master.
 *
 * main() is a list of named steps, each a short function: read options,
 * set up logging, create shared memory, open sockets, register the process
 * types, lay out the process table, detach (unless -D), fork and supervise,
 * clean up.  Every step logs its own failure; main only decides the exit
 * status.
 */
#include "config.h"
#include "errors.h"
#include "log.h"
#include "module.h"
#include "proc.h"
#include "socket.h"
#include "stats.h"
#include "udp.h"
#include "version.h"
#include "script_var.h"
#include "cfg/cfg.h"
#include "cfg/interp.h"
#include "mi/mi_core.h"
#include "shm/lock.h"
#include "shm/shm.h"
#include "timer/timer.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

struct options {
	char *cfg_file;
	char *pid_file;
	char *mpath;
	long shm_mb;
	int children;
	int check_only;
	int foreground;
	int log_stderr;
	int debug_delta;
	char **listen;   /* -l values, replacing the script's listen= */
	int nlisten;
};

static struct options opt = { .shm_mb = SHM_DEFAULT_MB };
static int daemon_ready_fd = -1;

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: serval [options]\n"
	        "  -f FILE  routing script (none: receive and drop)\n"
	        "  -c       check the script and exit (0 good, 1 bad)\n"
	        "  -m MB    shared memory size (default %d)\n"
	        "  -n N     UDP receivers per listen socket (default %d)\n"
	        "  -l ADDR  listen on [proto:]addr[:port], repeatable\n"
	        "  -L DIR   module path\n"
	        "  -D       stay in the foreground\n"
	        "  -E       log to stderr\n"
	        "  -d       more verbose logging (repeatable)\n"
	        "  -P FILE  pid file\n"
	        "  -V       version and build flags\n"
	        "  -h       this help\n",
	        SHM_DEFAULT_MB, UDP_DEFAULT_CHILDREN);
}

/* Parses a positive decimal option value; exits with 2 when invalid. */
static long number_arg(int c, const char *s, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v <= 0 || v > max) {
		fprintf(stderr, "serval: bad value '%s' for -%c\n", s, c);
		exit(2);
	}
	return v;
}

static void add_listen_arg(const char *spec)
{
	char **l = realloc(opt.listen, sizeof(char *) * (opt.nlisten + 1));

	if (l == NULL || (l[opt.nlisten] = strdup(spec)) == NULL) {
		fprintf(stderr, "serval: out of memory\n");
		exit(2);
	}
	opt.listen = l;
	opt.nlisten++;
}

/* -l options replace the script's listen= lines. Exits 2 when invalid. */
static void apply_listen_args(void)
{
	char err[128];
	int i;

	if (opt.nlisten == 0)
		return;
	listen_reset();
	for (i = 0; i < opt.nlisten; i++) {
		if (listen_add(opt.listen[i], err, sizeof(err)) != SV_OK) {
			fprintf(stderr, "serval: bad listen address '%s': "
			        "%s\n", opt.listen[i], err);
			exit(2);
		}
	}
}

/* Reads the command line; exits for -V, -h and errors. */
static void parse_options(int argc, char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, "f:cm:n:l:L:DEdP:Vh")) != -1) {
		switch (c) {
		case 'f': opt.cfg_file = strdup(optarg); break;
		case 'c': opt.check_only = 1; break;
		case 'm': opt.shm_mb = number_arg(c, optarg, 1 << 20); break;
		case 'n': opt.children = (int)number_arg(c, optarg, 1024); break;
		case 'l': add_listen_arg(optarg); break;
		case 'L': opt.mpath = strdup(optarg); break;
		case 'D': opt.foreground = 1; break;
		case 'E': opt.log_stderr = 1; break;
		case 'd': opt.debug_delta++; break;
		case 'P': opt.pid_file = strdup(optarg); break;
		case 'V': version_print(stdout); exit(0);
		case 'h': usage(stdout); exit(0);
		default:
			fprintf(stderr, "serval: unknown option or missing "
			        "value: -%c\n", optopt);
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "serval: unexpected argument '%s'\n",
		        argv[optind]);
		exit(2);
	}
}

/* Until the script is read, everything is logged to stderr. */
static void setup_early_logging(void)
{
	log_set_level(log_get_level() + opt.debug_delta);
	log_set_target(1, LOG_DAEMON, "serval");
}

/*
 * Reads the routing script: core parameters, modules, modparams.  The
 * command line then overrides what the script said (-n, -l, -E, -d).
 * Returns SV_OK or the (already reported) error.
 */
static int load_script(struct cfg_script **script)
{
	int rc = SV_OK;

	if (opt.mpath) {
		free(core_cfg.mpath);
		core_cfg.mpath = strdup(opt.mpath);
		core_cfg.mpath_fixed = 1;
	}
	if (opt.cfg_file)
		rc = cfg_load(opt.cfg_file, script);
	if (rc != SV_OK)
		return rc;
	apply_listen_args();
	if (opt.children == 0)
		opt.children = core_cfg.children;
	if (core_cfg.log_stderror)
		opt.log_stderr = 1;
	log_set_level(core_cfg.debug + opt.debug_delta);
	return SV_OK;
}

/* Switches to syslog unless -E or log_stderror asked for stderr. */
static void setup_logging(void)
{
	log_set_target(opt.log_stderr, core_cfg.log_facility,
	               core_cfg.log_name ? core_cfg.log_name : "serval");
}

/* Shared memory, and the log level moved into it. */
static int setup_shm(void)
{
	int *level;

	if (shm_init((size_t)opt.shm_mb * 1024 * 1024) != SV_OK)
		return SV_ENOMEM;
	level = shm_malloc(sizeof(*level));
	if (level == NULL)
		return SV_ENOMEM;
	log_share_level(level);
	return SV_OK;
}

/* The core's statistics (core:, shmem:) and MI commands, before modules. */
static int setup_management(void)
{
	if (stats_init() != SV_OK)
		return SV_ENOMEM;
	return mi_core_init(proc_argc, proc_argv);
}

static int one_process(void *arg)
{
	return 1;
}

static void role_desc(char *buf, int size, int rank, void *arg)
{
	snprintf(buf, size, "%s", (const char *)arg);
}

/* The core's process types: UDP receivers and the two timer processes. */
static int register_processes(void)
{
	static const struct proc_type timer_types[] = {
		{ ROLE_TIMER, one_process, role_desc, timer_main, "timer" },
		{ ROLE_TIMER_SLOW, one_process, role_desc, timer_slow_main,
		  "timer slow" },
	};

	if (opt.children)
		udp_set_children(opt.children);
	if (udp_register_processes() != SV_OK ||
	    proc_register(&timer_types[0]) != SV_OK ||
	    proc_register(&timer_types[1]) != SV_OK)
		return SV_ENOMEM;
	return SV_OK;
}

/*
 * Detaches from the terminal: the launching process waits on a pipe until
 * the master reports that its children run (exit 0) or the master dies
 * first (exit 1).  The master is the grandchild, in its own session.
 */
static int daemonize(void)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds) != 0)
		return SV_EIO;
	pid = fork();
	if (pid < 0)
		return SV_EIO;
	if (pid > 0) {
		close(fds[1]);
		exit(read(fds[0], &c, 1) == 1 ? 0 : 1);
	}
	close(fds[0]);
	setsid();
	pid = fork();
	if (pid < 0)
		return SV_EIO;
	if (pid > 0)
		_exit(0);
	daemon_ready_fd = fds[1];
	if (chdir("/") != 0)
		LM_WARN("chdir /: %s\n", strerror(errno));
	return SV_OK;
}

/* Points stdin/stdout (and stderr unless logging there) at /dev/null. */
static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	if (!opt.log_stderr)
		dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

static int write_pid_file(void)
{
	FILE *f;

	if (opt.pid_file == NULL)
		return SV_OK;
	f = fopen(opt.pid_file, "w");
	if (f == NULL) {
		LM_ERR("cannot write pid file %s: %s\n", opt.pid_file,
		       strerror(errno));
		return SV_EIO;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	return SV_OK;
}

/* Called by proc_run_all once every child was forked. */
static void on_started(void)
{
	LM_NOTICE("serval %s started, %d processes\n", SERVAL_VERSION,
	          proc_count);
	if (daemon_ready_fd >= 0) {
		if (write(daemon_ready_fd, "1", 1) != 1)
			LM_WARN("cannot notify the launching process\n");
		close(daemon_ready_fd);
		daemon_ready_fd = -1;
		detach_stdio();
	}
}

static int child_init(const struct proc_info *self)
{
	return modules_child_init(self);
}

static void cleanup(struct cfg_script *script)
{
	modules_destroy();
	sockets_close();
	if (opt.pid_file)
		unlink(opt.pid_file);
	cfg_set_active(NULL);
	cfg_free(script);
	modules_unload();
	script_vars_free();
}

/*
 * Everything serval -c checks: shared memory, timers, statistics, MI,
 * every module's mod_init, then every fixup of the script.
 */
static int init_all(struct cfg_script *script)
{
	if (sockets_resolve() != SV_OK)
		return SV_ERR;
	if (setup_shm() != SV_OK || timer_init() != SV_OK ||
	    setup_management() != SV_OK)
		return SV_ERR;
	if (modules_init() != SV_OK)
		return SV_ERR;
	if (script && cfg_fixup_all(script) != SV_OK)
		return SV_ERR;
	cfg_set_active(script);
	return SV_OK;
}

/*
 * fork=no, OpenSER's single-process debug mode: one UDP receiver, for the
 * first listen socket only (the others are still used to send from), and
 * no detaching from the terminal.  The timer processes and the module
 * processes (MI FIFO) still run: serval's master only supervises, it
 * never handles SIP itself.
 */
static void apply_fork_no(void)
{
	if (core_cfg.fork)
		return;
	opt.children = 1;
	opt.foreground = 1;
	udp_set_single_receiver();
	LM_NOTICE("fork=no: one UDP receiver on the first listen socket\n");
}

int main(int argc, char **argv)
{
	struct cfg_script *script = NULL;
	int status;

	proc_title_init(argc, argv);
	parse_options(argc, argv);
	setup_early_logging();
	proc_pid = getpid();
	if (load_script(&script) != SV_OK || init_all(script) != SV_OK) {
		cleanup(script);
		return 1;
	}
	if (opt.check_only) {
		LM_NOTICE("%s: the script is valid\n",
		          opt.cfg_file ? opt.cfg_file : "(no script)");
		cleanup(script);
		return 0;
	}
	apply_fork_no();
	if (sockets_open() != SV_OK || register_processes() != SV_OK ||
	    proc_table_init() != SV_OK ||
	    (!opt.foreground && daemonize() != SV_OK)) {
		cleanup(script);
		return 1;
	}
	setup_logging();
	proc_pid = getpid();
	proc_table[0].pid = proc_pid;
	if (write_pid_file() != SV_OK) {
		cleanup(script);
		return 1;
	}
	status = proc_run_all(child_init, on_started);
	cleanup(script);
	LM_NOTICE("serval stopped (exit status %d)\n", status);
	return status;
}
