/*
 * console.c - servalctl's interactive console (GNU readline).
 *
 * Each line is split into words (words.c) and handed to ctl_dispatch, so
 * the console knows the same commands as the command line, plus any MI
 * command typed directly.  History is kept in ~/.servalctl_history (the
 * last CTL_HISTORY_MAX lines).  TAB completes the first word (and the
 * word after "fifo") from servalctl's own commands and the server's MI
 * commands, fetched once with "which" when the console opens.  Ctrl-C
 * clears the line, Ctrl-D or quit leaves.
 */
#include "ctl.h"
#include "core/errors.h"

#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define QUIT 2

static char **names; /* completion candidates */
static int name_count, name_alloc;

static const char *const own_commands[] = {
    "fifo", "stats", "monitor", "start",  "stop",    "restart", "help",
    "quit", "exit",  "ps",      "uptime", "version", "which",   NULL};

static void add_name(const char *s, size_t len)
{
	char **grown;
	int i;

	for (i = 0; i < name_count; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], s, len))
			return;
	if (name_count == name_alloc) {
		grown =
		    realloc(names, (size_t)(name_alloc + 32) * sizeof(*names));
		if (grown == NULL)
			return;
		names = grown;
		name_alloc += 32;
	}
	names[name_count] = strndup(s, len);
	if (names[name_count] != NULL)
		name_count++;
}

/* Our commands, then the server's (one name per line of "which"). */
static void load_names(struct ctl *c)
{
	struct mi_reply r;
	const char *p, *nl;
	int i;

	for (i = 0; own_commands[i]; i++)
		add_name(own_commands[i], strlen(own_commands[i]));
	if (mi_call(&c->mi, "which", 0, NULL, &r) != SV_OK) {
		printf("(%s: TAB completes servalctl's own commands only)\n",
		       c->mi.err);
		return;
	}
	for (p = r.body; r.code == 200 && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		if (nl > p)
			add_name(p, (size_t)(nl - p));
	}
	mi_reply_free(&r);
}

static char *generate(const char *text, int state)
{
	static int i;
	static size_t len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (i < name_count) {
		const char *n = names[i++];

		if (strncmp(n, text, len) == 0)
			return strdup(n);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	int first = strspn(rl_line_buffer, " \t");

	rl_attempted_completion_over = 1; /* never file names */
	if (start == first ||
	    (strncmp(rl_line_buffer + first, "fifo ", 5) == 0 &&
	     (int)strspn(rl_line_buffer + first + 4, " \t") + first + 4 ==
	         start))
		return rl_completion_matches(text, generate);
	return NULL;
}

static void history_path(char *buf, size_t size)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home == NULL && (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	snprintf(buf, size, "%s/%s", home ? home : ".", CTL_HISTORY_FILE);
}

static void on_sigint(int sig)
{
	/* the usual readline idiom: drop the line, show a fresh prompt */
	ssize_t n = write(STDOUT_FILENO, "\n", 1);

	(void)n;
	rl_on_new_line();
	rl_replace_line("", 0);
	rl_redisplay();
}

static int run_line(struct ctl *c, const char *line)
{
	char **argv;
	int argc = words_split(line, &argv), status;

	if (argc == SV_EINVAL) {
		fprintf(stderr, "servalctl: unterminated quote\n");
		return 1;
	}
	if (argc <= 0)
		return argc == 0 ? 0 : 1;
	add_history(line);
	if (!strcmp(argv[0], "quit") || !strcmp(argv[0], "exit"))
		status = QUIT;
	else
		status = ctl_dispatch(c, argc, argv);
	words_free(argc, argv);
	return status;
}

static void greet(struct ctl *c)
{
	struct mi_reply r;

	if (mi_call(&c->mi, "version", 0, NULL, &r) == SV_OK) {
		printf("%s: %s", c->mi.fifo, r.body);
		mi_reply_free(&r);
	} else {
		printf("%s\n", c->mi.err);
	}
	printf("type help for the commands, quit or ^D to leave\n");
}

int ctl_console(struct ctl *c)
{
	char hist[4096], *line;
	int quit = 0;

	c->interactive = 1;
	rl_readline_name = "servalctl";
	rl_attempted_completion_function = complete;
	rl_catch_signals = 0;
	signal(SIGINT, on_sigint);
	using_history();
	stifle_history(CTL_HISTORY_MAX);
	history_path(hist, sizeof(hist));
	read_history(hist);
	greet(c);
	load_names(c);
	while (!quit && (line = readline("servalctl> ")) != NULL) {
		quit = run_line(c, line) == QUIT;
		free(line);
	}
	if (!quit)
		printf("\n"); /* ^D left the cursor after the prompt */
	write_history(hist);
	history_truncate_file(hist, CTL_HISTORY_MAX);
	return 0;
}
