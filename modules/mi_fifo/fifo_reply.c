/*
 * fifo_reply.c - time-bounded delivery of a reply to a reply FIFO.
 *
 * One deadline covers the whole delivery: the open retries (every
 * OPEN_RETRY_MS while the client has not opened its end yet) and every
 * wait for room in the pipe.  The descriptor stays non-blocking
 * throughout, so no single system call can outlast the deadline.
 */
#include "fifo_reply.h"
#include "core/errors.h"
#include "core/log.h"
#include "mi/render.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OPEN_RETRY_MS 10

long long fifo_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* 1 when path is a FIFO itself (not a link, not a file or device). */
static int is_fifo(const char *path, struct stat *st)
{
	if (lstat(path, st) != 0) {
		LM_ERR("reply fifo %s: %s\n", path, strerror(errno));
		return 0;
	}
	if (!S_ISFIFO(st->st_mode)) {
		LM_ERR("reply fifo %s is not a fifo, not writing\n", path);
		return 0;
	}
	return 1;
}

/*
 * Opens path for writing, retrying on ENXIO until deadline.  The path is
 * checked before (so opening cannot touch a device or a file) and the
 * descriptor after (it must be the FIFO that was checked).
 */
static int open_reply(const char *path, long long deadline)
{
	struct stat before, after;
	int fd;

	if (!is_fifo(path, &before))
		return SV_EINVAL;
	for (;;) {
		fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			break;
		if (errno != ENXIO && errno != EINTR) {
			LM_ERR("cannot open reply fifo %s: %s\n", path,
			       strerror(errno));
			return SV_EIO;
		}
		if (fifo_now_ms() >= deadline) {
			LM_ERR("nobody reads reply fifo %s\n", path);
			return SV_ETIMEOUT;
		}
		sleep_ms(OPEN_RETRY_MS);
	}
	if (fstat(fd, &after) != 0 || !S_ISFIFO(after.st_mode) ||
	    after.st_dev != before.st_dev || after.st_ino != before.st_ino) {
		LM_ERR("reply fifo %s changed while opening it\n", path);
		close(fd);
		return SV_EINVAL;
	}
	return fd;
}

struct writer {
	int fd;
	long long deadline;
	const char *path;
};

/* mi_write_f: writes everything before the deadline. */
static int write_all(void *ctx, const char *buf, size_t len)
{
	struct writer *w = ctx;
	struct pollfd p = {.fd = w->fd, .events = POLLOUT};
	long long left;
	ssize_t n;

	while (len > 0) {
		n = write(w->fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			LM_ERR("writing reply fifo %s: %s\n", w->path,
			       strerror(errno));
			return SV_EIO;
		}
		left = w->deadline - fifo_now_ms();
		if (left <= 0) {
			LM_ERR("reply fifo %s not read in time\n", w->path);
			return SV_ETIMEOUT;
		}
		poll(&p, 1, (int)left);
	}
	return SV_OK;
}

int fifo_reply_send(const char *dir, const char *name,
                    const struct mi_root *rpl, const char *indent,
                    int timeout_ms)
{
	struct writer w = {.deadline = fifo_now_ms() + timeout_ms};
	char path[PATH_MAX];
	size_t dlen = strlen(dir);
	int n, rc;

	n = snprintf(path, sizeof(path), "%s%s%s", dir,
	             dlen && dir[dlen - 1] == '/' ? "" : "/", name);
	if (n < 0 || n >= (int)sizeof(path))
		return SV_EINVAL;
	w.fd = open_reply(path, w.deadline);
	if (w.fd < 0)
		return w.fd;
	w.path = path;
	if (rpl != NULL)
		rc = mi_render_text(rpl, indent, write_all, &w);
	else
		rc = write_all(&w, MI_FIFO_OOM_REPLY,
		               sizeof(MI_FIFO_OOM_REPLY) - 1);
	close(w.fd);
	return rc;
}
