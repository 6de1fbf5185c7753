/*
 * proc_title.c - what ps(1) shows for each process.
 *
 * Linux shows /proc/<pid>/cmdline, which is the memory of the original argv
 * strings.  proc_title_init() measures the contiguous block that argv and
 * the environment strings occupy, moves the environment elsewhere (so
 * getenv keeps working) and remembers the block; proc_set_title() then
 * writes "serval: <desc>" into it, padding with NULs.  The short kernel name
 * (comm, 15 bytes, shown by top and ps -o comm) is set with PR_SET_NAME.
 */
#include "proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

extern char **environ;

static char *title_area;
static size_t title_size;
int proc_argc;
char **proc_argv;

/* Keeps a private copy of the command line (MI "arg" shows it). */
static void save_argv(int argc, char **argv)
{
	int i;

	proc_argv = calloc((size_t)argc + 1, sizeof(char *));
	if (proc_argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		proc_argv[i] = strdup(argv[i]);
	proc_argc = argc;
}

/* Copies the environment to the heap so its old space can be reused. */
static void move_environ(void)
{
	char **new_env;
	int i, n;

	for (n = 0; environ[n]; n++)
		;
	new_env = malloc(sizeof(char *) * (size_t)(n + 1));
	if (new_env == NULL)
		return;
	for (i = 0; i < n; i++)
		new_env[i] = strdup(environ[i]);
	new_env[n] = NULL;
	environ = new_env;
}

void proc_title_init(int argc, char **argv)
{
	char *end;
	int i;

	if (argc <= 0 || argv[0] == NULL)
		return;
	save_argv(argc, argv);
	end = argv[0] + strlen(argv[0]) + 1;
	for (i = 1; i < argc; i++)
		if (argv[i] == end)
			end = argv[i] + strlen(argv[i]) + 1;
	for (i = 0; environ[i]; i++)
		if (environ[i] == end)
			end = environ[i] + strlen(environ[i]) + 1;
	move_environ();
	title_area = argv[0];
	title_size = (size_t)(end - argv[0]);
}

void proc_set_title(const char *desc)
{
	char comm[16];

	if (title_area && title_size > 1) {
		memset(title_area, 0, title_size);
		snprintf(title_area, title_size - 1, "serval: %s", desc);
	}
	snprintf(comm, sizeof(comm), "serval %s", desc);
	prctl(PR_SET_NAME, comm, 0, 0, 0);
}
