/*
 * ctl.h - servalctl's parts: one-shot commands, the console, the monitor,
 * start/stop of the server.
 *
 * servalctl talks to a running serval only through the MI FIFO (the
 * client in mi/fifo_client.h), so every command is also something a user
 * could type as ":cmd:reply\n...\n\n" into the FIFO.  The same dispatch
 * (ctl_dispatch) serves the command line and the console.
 *
 *   main.c      options and environment, then one command or the console
 *   commands.c  dispatch, "fifo", the shortcuts, help
 *   control.c   start / stop / restart by pid file
 *   monitor.c   the refreshing view
 *   console.c   the readline console (history, completion)
 *   words.c     splitting a console line into arguments
 */
#ifndef SERVAL_UTILS_SERVALCTL_CTL_H
#define SERVAL_UTILS_SERVALCTL_CTL_H

#include "mi/fifo_client.h"

#define CTL_PIDFILE_DEFAULT "/tmp/serval.pid"
#define CTL_HISTORY_FILE    ".servalctl_history"
#define CTL_HISTORY_MAX     1000
#define CTL_STOP_WAIT_MS    10000
#define CTL_START_WAIT_MS   30000

struct ctl {
	struct mi_client mi;    /* FIFO, reply dir, timeout */
	const char *pidfile;    /* -P, SERVAL_PIDFILE */
	const char *serval_bin; /* -b, SERVAL_BIN, else next to servalctl */
	const char *cfg;        /* -f, SERVAL_CFG; NULL: none */
	const char *opts;       /* SERVAL_OPTS: more serval options */
	int interactive;        /* in the console */
};

/*
 * Runs one command (argv[0] is the command: fifo, ps, stats, start ...;
 * in the console an unknown word is sent as an MI command).  Returns the
 * exit status: 0 success, 1 failure (reported on stderr).
 */
int ctl_dispatch(struct ctl *c, int argc, char **argv);

/* Sends MI command argv[0] with argv[1..]; prints the reply. 0 or 1. */
int ctl_fifo(struct ctl *c, int argc, char **argv);

/* Prints the usage / the console's help on out. */
void ctl_help(FILE *out, int interactive);

/* start, stop, restart (control.c).  Return 0 or 1. */
int ctl_start(struct ctl *c);
int ctl_stop(struct ctl *c);
int ctl_restart(struct ctl *c);

/* The refreshing view until a key is pressed (monitor.c).  0 or 1. */
int ctl_monitor(struct ctl *c, int refresh_s);

/* The interactive console (console.c).  Returns the exit status. */
int ctl_console(struct ctl *c);

/*
 * Splits line into words (words.c): blanks separate; "..." keeps blanks
 * and understands \" \\ \n \r \t; '...' is literal.  *argv is a malloc'ed
 * array of malloc'ed strings (free with words_free()).  Returns the
 * number of words, or SV_EINVAL (unterminated quote), SV_ENOMEM.
 */
int words_split(const char *line, char ***argv);
void words_free(int argc, char **argv);

#endif /* SERVAL_UTILS_SERVALCTL_CTL_H */
