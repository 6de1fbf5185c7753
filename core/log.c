/*
 * log.c - formatting and output of log lines.
 *
 * A line is built in a stack buffer and written with a single write(2) so
 * lines of different processes never interleave mid-line (stderr is a pipe or
 * a tty; writes up to PIPE_BUF are atomic).  With syslog the same text minus
 * the pid (syslog adds it) goes through syslog(3).
 */
#include "log.h"
#include "errors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static int local_level = L_NOTICE;
volatile int *log_level_ptr = &local_level;

static int use_stderr = 1;
static char log_ctx[32] = "attendant";

static const char *level_names[] = {
	"ALERT", "CRITICAL", "ERROR", "NOTICE", "WARNING", "NOTICE", "INFO", "DEBUG"
};

const char *log_level_name(int lev)
{
	if (lev < L_ALERT)
		lev = L_ALERT;
	if (lev > L_DBG)
		lev = L_DBG;
	return level_names[lev - L_ALERT];
}

static int syslog_priority(int lev)
{
	switch (lev) {
	case L_ALERT: return LOG_ALERT;
	case L_CRIT: return LOG_CRIT;
	case L_ERR: return LOG_ERR;
	case L_DEFAULT: return LOG_NOTICE;
	case L_WARN: return LOG_WARNING;
	case L_NOTICE: return LOG_NOTICE;
	case L_INFO: return LOG_INFO;
	default: return LOG_DEBUG;
	}
}

static const char *base_name(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash ? slash + 1 : file;
}

/* Writes the whole buffer, retrying on EINTR and short writes. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

void log_emit(int lev, const char *file, int line, const char *fmt, ...)
{
	char buf[4096];
	int saved_errno = errno;
	int n = 0, m;
	va_list ap;

	if (use_stderr) {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		n = snprintf(buf, sizeof(buf), "%02d:%02d:%02d.%03ld [%d] ",
		             tm.tm_hour, tm.tm_min, tm.tm_sec,
		             ts.tv_nsec / 1000000, (int)getpid());
	}
	m = snprintf(buf + n, sizeof(buf) - n, "%s: %s %s:%d: ",
	             log_level_name(lev), log_ctx, base_name(file), line);
	if (m > 0)
		n += m;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (m > 0)
		n += m;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	if (use_stderr) {
		buf[n++] = '\n';
		write_all(STDERR_FILENO, buf, (size_t)n);
	} else {
		buf[n] = '\0';
		syslog(syslog_priority(lev), "%s", buf);
	}
	errno = saved_errno;
}

void log_set_level(int level)
{
	*log_level_ptr = level;
}

int log_get_level(void)
{
	return *log_level_ptr;
}

static volatile int *shared_level;
static int proc_level;

void log_share_level(int *shared)
{
	*shared = *log_level_ptr;
	log_level_ptr = shared;
	shared_level = shared;
}

void log_set_proc_level(int level)
{
	proc_level = level;
	log_level_ptr = &proc_level;
}

void log_reset_proc_level(void)
{
	log_level_ptr = shared_level ? shared_level : &local_level;
}

void log_set_target(int to_stderr, int facility, const char *name)
{
	use_stderr = to_stderr;
	if (!to_stderr)
		openlog(name ? name : "serval", LOG_PID | LOG_NDELAY, facility);
}

int log_to_stderr(void)
{
	return use_stderr;
}

void log_set_context(const char *ctx)
{
	snprintf(log_ctx, sizeof(log_ctx), "%s", ctx);
}

static const struct {
	const char *name;
	int value;
} facilities[] = {
	{ "LOG_AUTH", LOG_AUTH }, { "LOG_CRON", LOG_CRON },
	{ "LOG_DAEMON", LOG_DAEMON }, { "LOG_KERN", LOG_KERN },
	{ "LOG_LOCAL0", LOG_LOCAL0 }, { "LOG_LOCAL1", LOG_LOCAL1 },
	{ "LOG_LOCAL2", LOG_LOCAL2 }, { "LOG_LOCAL3", LOG_LOCAL3 },
	{ "LOG_LOCAL4", LOG_LOCAL4 }, { "LOG_LOCAL5", LOG_LOCAL5 },
	{ "LOG_LOCAL6", LOG_LOCAL6 }, { "LOG_LOCAL7", LOG_LOCAL7 },
	{ "LOG_LPR", LOG_LPR }, { "LOG_MAIL", LOG_MAIL },
	{ "LOG_NEWS", LOG_NEWS }, { "LOG_USER", LOG_USER },
	{ "LOG_UUCP", LOG_UUCP },
};

int log_facility_from_name(const char *name)
{
	unsigned i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcasecmp(name, facilities[i].name) == 0)
			return facilities[i].value;
	return SV_EINVAL;
}
