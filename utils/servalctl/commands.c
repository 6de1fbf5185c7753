/*
 * commands.c - servalctl's command dispatch, "fifo", the MI shortcuts and
 * the help text.
 *
 * A shortcut is only a friendlier spelling of an MI command: "stats core"
 * sends "get_statistics core:", "ps" sends "ps".  Whatever the server
 * answers is printed as it came: the lines on stdout and, when the status
 * is not 2xx, the status line on stderr.
 */
#include "ctl.h"
#include "core/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ctl_fifo(struct ctl *c, int argc, char **argv)
{
	struct mi_reply r;
	int status;

	if (argc < 1) {
		fprintf(stderr, "servalctl: fifo needs an MI command\n");
		return 1;
	}
	if (mi_call(&c->mi, argv[0], argc - 1, argv + 1, &r) != SV_OK) {
		fprintf(stderr, "servalctl: %s\n", c->mi.err);
		return 1;
	}
	status = mi_reply_print(&r, stdout, stderr);
	mi_reply_free(&r);
	return status;
}

/*
 * stats [WORD...]: get_statistics; a word without ':' may name a group or
 * a statistic, so both WORD and WORD: are asked for.  No word: all.
 */
static int ctl_stats(struct ctl *c, int argc, char **argv)
{
	char **args = calloc((size_t)argc * 2 + 2, sizeof(*args));
	char **owned = calloc((size_t)argc + 1, sizeof(*owned));
	int i, n = 0, k = 0, status = 1;

	if (args == NULL || owned == NULL)
		goto out;
	args[n++] = "get_statistics";
	if (argc == 0)
		args[n++] = "all";
	for (i = 0; i < argc; i++) {
		args[n++] = argv[i];
		if (strchr(argv[i], ':') || strcmp(argv[i], "all") == 0)
			continue;
		owned[k] = malloc(strlen(argv[i]) + 2);
		if (owned[k] == NULL)
			goto out;
		sprintf(owned[k], "%s:", argv[i]);
		args[n++] = owned[k++];
	}
	status = ctl_fifo(c, n, args);
out:
	for (i = 0; i < k; i++)
		free(owned[i]);
	free(owned);
	free(args);
	return status;
}

static const char *const shortcuts[] = {"ps", "uptime", "version", "which",
                                        NULL};

static int is_shortcut(const char *word)
{
	int i;

	for (i = 0; shortcuts[i]; i++)
		if (strcmp(word, shortcuts[i]) == 0)
			return 1;
	return 0;
}

int ctl_dispatch(struct ctl *c, int argc, char **argv)
{
	const char *cmd = argv[0];

	if (strcmp(cmd, "fifo") == 0)
		return ctl_fifo(c, argc - 1, argv + 1);
	if (strcmp(cmd, "stats") == 0)
		return ctl_stats(c, argc - 1, argv + 1);
	if (strcmp(cmd, "monitor") == 0)
		return ctl_monitor(c, argc > 1 ? atoi(argv[1]) : 1);
	if (strcmp(cmd, "start") == 0)
		return ctl_start(c);
	if (strcmp(cmd, "stop") == 0)
		return ctl_stop(c);
	if (strcmp(cmd, "restart") == 0)
		return ctl_restart(c);
	if (strcmp(cmd, "help") == 0) {
		ctl_help(stdout, c->interactive);
		return 0;
	}
	if (is_shortcut(cmd) || c->interactive)
		return ctl_fifo(c, argc, argv);
	fprintf(stderr,
	        "servalctl: unknown command '%s' (try help, or "
	        "fifo %s)\n",
	        cmd, cmd);
	return 1;
}

void ctl_help(FILE *out, int interactive)
{
	if (!interactive)
		fputs("usage: servalctl [options] [command [args...]]\n"
		      "  -s FIFO     serval's MI FIFO\n"
		      "              (SERVAL_FIFO, "
		      "default " MI_CLIENT_FIFO_DEFAULT ")\n"
		      "  -r DIR      where reply FIFOs are made: the server's "
		      "reply_dir\n"
		      "              (SERVAL_REPLY_DIR, "
		      "default " MI_CLIENT_REPLY_DIR_DEFAULT ")\n"
		      "  -t SECONDS  how long to wait for a reply\n"
		      "              (SERVAL_TIMEOUT, default 10)\n"
		      "  -P FILE     pid file for start/stop\n"
		      "              (SERVAL_PIDFILE, "
		      "default " CTL_PIDFILE_DEFAULT ")\n"
		      "  -b PATH     serval binary for start (SERVAL_BIN,\n"
		      "              default: next to servalctl, else serval "
		      "in PATH)\n"
		      "  -f FILE     routing script for start\n"
		      "              (SERVAL_CFG, default: none)\n"
		      "  -h          this help\n"
		      "SERVAL_OPTS adds options to serval's command line at "
		      "start.\n"
		      "Without a command servalctl opens a console.\n\n",
		      out);
	fputs("commands:\n"
	      "  fifo CMD [ARGS...]   send MI command CMD, print the reply\n"
	      "  ps, uptime, version, which\n"
	      "                       the MI commands of the same name\n"
	      "  stats [GROUP|NAME]   get_statistics (all, a group, or one)\n"
	      "  monitor [SECONDS]    version, uptime and the main counters, "
	      "refreshed\n"
	      "                       until a key is pressed\n"
	      "  start, stop, restart the server, by its pid file\n"
	      "  help\n",
	      out);
	if (interactive)
		fputs("  CMD [ARGS...]        any other word is sent as an MI "
		      "command\n"
		      "  quit, exit, ^D       leave\n"
		      "Arguments: \"a b\" keeps blanks (\\n \\r \\t \\\" "
		      "\\\\ inside), 'a b' is literal.\n"
		      "TAB completes command names (from MI \"which\").\n",
		      out);
}
