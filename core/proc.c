/*
 * proc.c - the process table, forking, and the master's supervision loop.
 *
 * Design
 *  - proc_types[] is the list of process types, filled by proc_register()
 *    (the core registers UDP receivers and the timer processes, modules
 *    register their own, e.g. mi_fifo).  proc_table_init() asks each type
 *    how many processes it wants and lays out proc_table[] in shm: entry 0
 *    is the master, then every process in type order.
 *  - The master blocks the signals it handles and waits in sigsuspend();
 *    the handlers only set flags, the loop acts: SIGCHLD reaps and, for any
 *    child of ours, logs how it died and stops the server (exit status 1);
 *    SIGTERM/SIGINT stop it in order (exit status 0).  Stopping sends
 *    SIGTERM to every child, waits up to PROC_STOP_GRACE_MS and then
 *    SIGKILLs what is left, so nothing outlives the master.
 *  - Children get PR_SET_PDEATHSIG(SIGTERM): if the master itself is
 *    killed they stop too.  Their handlers set proc_stop; signals are
 *    installed without SA_RESTART so blocking calls return with EINTR and
 *    the loops notice.
 */
#include "proc.h"
#include "errors.h"
#include "log.h"
#include "stats.h"
#include "shm/lock.h"
#include "shm/lock_registry.h"
#include "shm/shm.h"
#include "timer/timer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROC_TYPES_MAX 16
#define PROC_STOP_GRACE_MS 1500

struct proc_info *proc_table;
int proc_count;
struct proc_info *proc_self;
volatile sig_atomic_t proc_stop;

static struct proc_info master_info = { .role = ROLE_ATTENDANT,
                                        .desc = "attendant" };
static struct proc_type proc_types[PROC_TYPES_MAX];
static int proc_type_count;
static int type_first_id[PROC_TYPES_MAX];  /* table index of rank 1 */
static int type_nproc[PROC_TYPES_MAX];

static volatile sig_atomic_t sig_term, sig_chld;

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_ATTENDANT] = "attendant", [ROLE_UDP_RECEIVER] = "udp receiver",
	[ROLE_TIMER] = "timer", [ROLE_TIMER_SLOW] = "timer slow",
	[ROLE_MI_FIFO] = "mi fifo", [ROLE_TCP_MAIN] = "tcp main",
	[ROLE_TCP_WORKER] = "tcp worker", [ROLE_MODULE] = "module",
};

const char *proc_role_name(int role)
{
	if (role < 0 || role >= ROLE_COUNT)
		return "unknown";
	return role_names[role];
}

int proc_register(const struct proc_type *type)
{
	if (proc_type_count >= PROC_TYPES_MAX) {
		LM_ERR("too many process types\n");
		return SV_ENOMEM;
	}
	proc_types[proc_type_count++] = *type;
	return SV_OK;
}

int proc_table_init(void)
{
	int t, r, id = 1, total = 1;

	for (t = 0; t < proc_type_count; t++) {
		type_nproc[t] = proc_types[t].count(proc_types[t].arg);
		total += type_nproc[t];
	}
	proc_table = shm_calloc((size_t)total * sizeof(*proc_table));
	if (proc_table == NULL)
		return SV_ENOMEM;
	proc_count = total;
	proc_table[0] = master_info;
	proc_table[0].pid = getpid();
	for (t = 0; t < proc_type_count; t++) {
		type_first_id[t] = id;
		for (r = 1; r <= type_nproc[t]; r++, id++) {
			struct proc_info *pi = &proc_table[id];

			pi->role = proc_types[t].role;
			pi->rank = r;
			pi->id = id;
			proc_types[t].desc(pi->desc, PROC_DESC_MAX, r,
			                   proc_types[t].arg);
		}
	}
	proc_self = &proc_table[0];
	stats_init_rows(total); /* shared counters if it fails */
	return SV_OK;
}

/* ------------------------------------------------------------ signals -- */

static void master_handler(int sig)
{
	if (sig == SIGCHLD)
		sig_chld = 1;
	else
		sig_term = 1;
}

static void child_handler(int sig)
{
	(void)sig;
	proc_stop = 1;
}

static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;  /* no SA_RESTART: blocking calls see EINTR */
	sigaction(sig, &sa, NULL);
}

void proc_install_signals(int is_master)
{
	set_handler(SIGPIPE, SIG_IGN);
	set_handler(SIGHUP, SIG_IGN);
	set_handler(SIGUSR2, SIG_IGN);
	if (is_master) {
		set_handler(SIGCHLD, master_handler);
		set_handler(SIGTERM, master_handler);
		set_handler(SIGINT, master_handler);
		set_handler(SIGUSR1, SIG_IGN);
	} else {
		set_handler(SIGCHLD, SIG_DFL);
		set_handler(SIGTERM, child_handler);
		set_handler(SIGINT, child_handler);
		set_handler(SIGUSR1, SIG_IGN);
	}
}

void proc_request_shutdown(void)
{
	pid_t master = proc_table ? proc_table[0].pid : getpid();

	kill(master, SIGTERM);
}

/* ------------------------------------------------------------ forking -- */

static void child_start(struct proc_info *pi, const struct proc_type *type,
                        int (*child_init)(const struct proc_info *),
                        pid_t master_pid)
{
	sigset_t none;
	char ctx[32];

	proc_pid = getpid();
	pi->pid = proc_pid;
	proc_self = pi;
	stats_use_row(pi->id);
	proc_install_signals(0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (getppid() != master_pid)  /* master died before PDEATHSIG */
		_exit(1);
	proc_set_title(pi->desc);
	snprintf(ctx, sizeof(ctx), "%s#%d", proc_role_name(pi->role), pi->rank);
	log_set_context(ctx);
	if (child_init && child_init(pi) != SV_OK) {
		LM_ERR("initialisation of %s failed\n", pi->desc);
		exit(1);
	}
	if (!proc_stop)
		type->run(pi->rank, type->arg);
	exit(0);
}

/* Forks every process of the table. Returns SV_OK or SV_ERR. */
static int fork_all(int (*child_init)(const struct proc_info *))
{
	pid_t master_pid = getpid();
	int t, r;

	for (t = 0; t < proc_type_count; t++) {
		for (r = 0; r < type_nproc[t]; r++) {
			struct proc_info *pi = &proc_table[type_first_id[t] + r];
			pid_t pid = fork();

			if (pid < 0) {
				LM_CRIT("cannot fork %s: %s\n", pi->desc,
				        strerror(errno));
				return SV_ERR;
			}
			if (pid == 0)
				child_start(pi, &proc_types[t], child_init,
				            master_pid);
			pi->pid = pid;
		}
	}
	return SV_OK;
}

/* ------------------------------------------------------- supervision -- */

static struct proc_info *proc_by_pid(pid_t pid)
{
	int i;

	for (i = 1; i < proc_count; i++)
		if (proc_table[i].pid == pid)
			return &proc_table[i];
	return NULL;
}

/* Logs how a child ended. */
static void log_death(const struct proc_info *pi, int status, int expected)
{
	int lev = expected ? L_DBG : L_CRIT;

	if (WIFEXITED(status))
		LOG(lev, "process %d (%s) exited with status %d\n",
		    (int)pi->pid, pi->desc, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		LOG(lev, "process %d (%s) was killed by signal %d (%s)%s\n",
		    (int)pi->pid, pi->desc, WTERMSIG(status),
		    strsignal(WTERMSIG(status)),
		    WCOREDUMP(status) ? ", core dumped" : "");
}

/*
 * Reaps finished children without blocking.  Returns the number of our
 * children reaped; logs each (as a failure unless stopping).
 */
static int reap_children(int stopping)
{
	int status, n = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct proc_info *pi = proc_by_pid(pid);

		if (pi == NULL)
			continue;
		log_death(pi, status, stopping);
		if (!stopping)
			lock_break_owned_by(pid);
		pi->pid = -pi->pid;  /* reaped */
		n++;
	}
	return n;
}

static int children_alive(void)
{
	int i, n = 0;

	for (i = 1; i < proc_count; i++)
		if (proc_table[i].pid > 0)
			n++;
	return n;
}

static void signal_children(int sig)
{
	int i;

	for (i = 1; i < proc_count; i++)
		if (proc_table[i].pid > 0)
			kill(proc_table[i].pid, sig);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* SIGTERM to all, wait for the grace period, then SIGKILL the rest. */
static void stop_children(void)
{
	long deadline = now_ms() + PROC_STOP_GRACE_MS;
	struct timespec pause_ts = { 0, 5 * 1000000L };

	signal_children(SIGTERM);
	timer_wake_all();  /* timer processes re-check proc_stop now */
	while (children_alive() && now_ms() < deadline) {
		reap_children(1);
		if (children_alive())
			nanosleep(&pause_ts, NULL);
	}
	if (children_alive()) {
		LM_WARN("%d processes did not stop in %d ms, killing them\n",
		        children_alive(), PROC_STOP_GRACE_MS);
		signal_children(SIGKILL);
		while (children_alive()) {
			reap_children(1);
			if (children_alive())
				nanosleep(&pause_ts, NULL);
		}
	}
}

/*
 * Waits for a signal flag; returns the exit status once stopping.  A stop
 * request is looked at first: Ctrl-C in a terminal (or a signal to the
 * process group) reaches the children together with the master, and their
 * exits are then part of the shutdown, not a failure.
 */
static int supervise(const sigset_t *wait_mask)
{
	for (;;) {
		if (sig_term) {
			LM_NOTICE("shutting down\n");
			return 0;
		}
		if (sig_chld) {
			sig_chld = 0;
			if (reap_children(0) > 0) {
				LM_CRIT("a child process died, stopping "
				        "the server\n");
				return 1;
			}
		}
		sigsuspend(wait_mask);
	}
}

int proc_run_all(int (*child_init)(const struct proc_info *),
                 void (*on_started)(void))
{
	sigset_t handled, old;
	int status;

	sigemptyset(&handled);
	sigaddset(&handled, SIGCHLD);
	sigaddset(&handled, SIGTERM);
	sigaddset(&handled, SIGINT);
	sigprocmask(SIG_BLOCK, &handled, &old);
	proc_install_signals(1);
	proc_set_title(master_info.desc);
	if (fork_all(child_init) != SV_OK) {
		status = 1;
	} else {
		if (on_started)
			on_started();
		status = supervise(&old);
	}
	stop_children();
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}
