/*
 * proc.h - the process table, roles, and the master's supervision loop.
 *
 * The master (the "attendant") forks every other process from one table of
 * process types (proc.c: proc_types[]).  A row names a role, how many
 * processes of it to start and the function each runs; adding a process type
 * is adding a row (modules add rows through proc_register()).  Each process
 * gets a role, a rank (1..N within its role), a descriptive name shown by
 * ps(1) ("serval: udp receiver #1 udp:127.0.0.1:5060") and by MI "ps", and a
 * slot in proc_table[], which lives in shared memory.
 *
 * Signals only set flags.  Children stop when proc_stop is set (SIGTERM or
 * SIGINT): every blocking loop of a child must return to check it (signals
 * are installed without SA_RESTART, so blocking calls fail with EINTR).  The
 * master reaps children; the death of any child stops the whole server.
 */
#ifndef SERVAL_CORE_PROC_H
#define SERVAL_CORE_PROC_H

#include <signal.h>
#include <sys/types.h>

enum proc_role {
	ROLE_ATTENDANT = 0,  /* the master */
	ROLE_UDP_RECEIVER,
	ROLE_TIMER,          /* fires timer handlers */
	ROLE_TIMER_SLOW,     /* runs long timer handlers handed over by ROLE_TIMER */
	ROLE_MI_FIFO,
	ROLE_TCP_MAIN,
	ROLE_TCP_WORKER,
	ROLE_MODULE,         /* a process a module asked for */
	ROLE_COUNT
};

#define PROC_DESC_MAX 64

struct proc_info {
	pid_t pid;                 /* 0 until forked */
	int role;                  /* enum proc_role */
	int rank;                  /* 1..N within the role; 0 for the master */
	int id;                    /* index in proc_table */
	char desc[PROC_DESC_MAX];  /* "udp receiver #1 udp:127.0.0.1:5060" */
};

/* All processes, in shm once proc_table_init() ran; proc_count entries. */
extern struct proc_info *proc_table;
extern int proc_count;

/* This process's entry (the master's before forking). */
extern struct proc_info *proc_self;

/* Set by SIGTERM/SIGINT: every loop of a child must return when set. */
extern volatile sig_atomic_t proc_stop;

/*
 * A process type.  count() is asked once in the master after the script was
 * read; run(rank, arg) is the body of each process, returning makes the
 * process exit normally (which the master treats as a failure unless it is
 * stopping).  desc() writes the process description for a rank.
 */
struct proc_type {
	int role;
	int (*count)(void *arg);
	void (*desc)(char *buf, int size, int rank, void *arg);
	void (*run)(int rank, void *arg);
	void *arg;
};

/*
 * Adds a process type (modules call this from mod_init, e.g. mi_fifo).
 * Master only, before proc_table_init().  Returns SV_OK or SV_ENOMEM.
 */
int proc_register(const struct proc_type *type);

/*
 * Counts every process, allocates proc_table in shm and fills the static
 * parts.  Master only, after shm_init() and the sockets were opened.
 * Returns SV_OK, SV_ENOMEM.
 */
int proc_table_init(void);

/*
 * Forks every process of the table, calls on_started() (may be NULL) in the
 * master once all run, then supervises until shutdown.  Returns the
 * master's exit status: 0 after an orderly SIGTERM/SIGINT or MI kill, 1
 * after a child died or forking failed.  child_init(self) runs in each
 * child before its body; a failure there stops the server.
 */
int proc_run_all(int (*child_init)(const struct proc_info *self),
                 void (*on_started)(void));

/*
 * Sets the process title seen by ps(1) to "serval: <desc>" (argv rewrite and
 * prctl(PR_SET_NAME)).  proc_title_init() must be called with main's argv
 * before the first proc_set_title(); afterwards the original argv strings
 * are overwritten, so main must copy (not point to) what it keeps of them.
 * proc_argc/proc_argv keep a private copy of the command line.
 */
extern int proc_argc;
extern char **proc_argv;

void proc_title_init(int argc, char **argv);
void proc_set_title(const char *desc);

/* Installs this process's signal handlers (no SA_RESTART). */
void proc_install_signals(int is_master);

/* Asks the master to stop the server (MI kill). Safe from any process. */
void proc_request_shutdown(void);

/* Returns the role name ("udp receiver", "timer" ...). */
const char *proc_role_name(int role);

#endif /* SERVAL_CORE_PROC_H */
