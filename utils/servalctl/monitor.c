/*
 * monitor.c - servalctl monitor: a refreshing view of the server.
 *
 * Every refresh asks version, uptime and get_statistics for the main
 * groups (core:, shmem:, and tm: / sl: when loaded) and redraws the
 * screen.  It stops at the first key pressed: stdin is switched to
 * non-canonical mode without echo for the duration (restored on exit and
 * on SIGINT/SIGTERM), and a poll() on stdin is the refresh timer.  When
 * serval stops answering the error is shown and the view keeps trying.
 */
#include "ctl.h"
#include "core/errors.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static struct termios saved;
static int raw_mode;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
}

static void term_raw(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0)
		return;
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		raw_mode = 1;
}

static void term_restore(void)
{
	if (raw_mode)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	raw_mode = 0;
}

/* Prints the lines of one MI command, or the error in their place. */
static void show(struct ctl *c, const char *cmd, int argc, char **argv)
{
	struct mi_reply r;

	if (mi_call(&c->mi, cmd, argc, argv, &r) != SV_OK) {
		printf("(%s: %s)\n", cmd, c->mi.err);
		return;
	}
	if (r.code >= 200 && r.code < 300)
		fwrite(r.body, 1, r.body_len, stdout);
	else if (r.code != 404)
		printf("(%s: %d %s)\n", cmd, r.code, r.reason);
	mi_reply_free(&r);
}

static void draw(struct ctl *c, int refresh_s, int round)
{
	char *groups[] = {"core:", "shmem:", "tm:", "sl:"};
	char now[32];
	time_t t = time(NULL);

	strftime(now, sizeof(now), "%H:%M:%S", localtime(&t));
	printf("\033[H\033[2J");
	printf("serval monitor  %s  [%s]  refresh %d s, round %d; press a key "
	       "to quit\n\n",
	       c->mi.fifo, now, refresh_s, round);
	show(c, "version", 0, NULL);
	show(c, "uptime", 0, NULL);
	printf("\n");
	show(c, "get_statistics", 4, groups);
	fflush(stdout);
}

int ctl_monitor(struct ctl *c, int refresh_s)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	struct sigaction sa, old_int, old_term;
	char key;
	int round = 0;

	if (refresh_s < 1)
		refresh_s = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	interrupted = 0;
	term_raw();
	while (!interrupted) {
		draw(c, refresh_s, ++round);
		if (poll(&p, 1, refresh_s * 1000) > 0) {
			/* a key (consumed), or stdin closed */
			ssize_t n = read(STDIN_FILENO, &key, 1);

			(void)n;
			break;
		}
	}
	term_restore();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	printf("\n");
	return 0;
}
