/*
 * main.c - servalctl: manage a running serval over its MI FIFO.
 *
 *   servalctl [options] fifo CMD [ARGS...]   one MI command
 *   servalctl [options] ps|uptime|stats ...  shortcuts (see help)
 *   servalctl [options] start|stop|restart   by the pid file
 *   servalctl [options]                      the console
 *
 * Settings come from the options, then the environment, then defaults
 * (see ctl_help()).  Exit status: 0 when the command succeeded (a 2xx
 * reply), 1 otherwise, 2 for a usage error.  An interrupted one-shot call
 * removes its reply FIFO before leaving.
 */
#include "ctl.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct ctl ctl;

static void on_interrupt(int sig)
{
	if (ctl.mi.reply_path[0])
		unlink(ctl.mi.reply_path);
	_exit(128 + sig);
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

static int timeout_ms(const char *s)
{
	char *end;
	double t = strtod(s, &end);

	if (end == s || *end != '\0' || t <= 0 || t > 3600) {
		fprintf(stderr, "servalctl: bad timeout '%s' (seconds)\n", s);
		exit(2);
	}
	return (int)(t * 1000);
}

static void defaults(void)
{
	mi_client_init(&ctl.mi, env_or("SERVAL_FIFO", NULL));
	ctl.mi.reply_dir = env_or("SERVAL_REPLY_DIR", ctl.mi.reply_dir);
	if (getenv("SERVAL_TIMEOUT"))
		ctl.mi.timeout_ms = timeout_ms(getenv("SERVAL_TIMEOUT"));
	ctl.pidfile = env_or("SERVAL_PIDFILE", CTL_PIDFILE_DEFAULT);
	ctl.serval_bin = env_or("SERVAL_BIN", NULL);
	ctl.cfg = env_or("SERVAL_CFG", NULL);
	ctl.opts = env_or("SERVAL_OPTS", NULL);
}

static void parse_options(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "+s:r:t:P:b:f:h")) != -1) {
		switch (c) {
		case 's':
			ctl.mi.fifo = optarg;
			break;
		case 'r':
			ctl.mi.reply_dir = optarg;
			break;
		case 't':
			ctl.mi.timeout_ms = timeout_ms(optarg);
			break;
		case 'P':
			ctl.pidfile = optarg;
			break;
		case 'b':
			ctl.serval_bin = optarg;
			break;
		case 'f':
			ctl.cfg = optarg;
			break;
		case 'h':
			ctl_help(stdout, 0);
			exit(0);
		default:
			ctl_help(stderr, 0);
			exit(2);
		}
	}
}

int main(int argc, char **argv)
{
	defaults();
	parse_options(argc, argv);
	if (optind >= argc)
		return ctl_console(&ctl);
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	return ctl_dispatch(&ctl, argc - optind, argv + optind);
}
