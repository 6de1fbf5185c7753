/*
 * fifo_client.c - one MI call over the FIFO, never hanging (see
 * fifo_client.h).
 *
 * Every descriptor is non-blocking and every wait is a poll() bounded by
 * the call's deadline.  The reply FIFO is named servalctl_<pid>_<n>
 * inside reply_dir, created mode 0622 as openserctl does (a server
 * running as another user must be able to open it), and removed when the
 * call ends whatever happened.  SIGPIPE is blocked around the write of
 * the request, so a server that vanishes mid-write gives an error, not a
 * dead client.
 */
#include "fifo_client.h"
#include "core/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REQ_MAX      65536 /* the server's limit (MI_FIFO_REQ_MAX) */
#define NAME_MAX_LEN 64

void mi_client_init(struct mi_client *c, const char *fifo)
{
	memset(c, 0, sizeof(*c));
	c->fifo = fifo ? fifo : MI_CLIENT_FIFO_DEFAULT;
	c->reply_dir = MI_CLIENT_REPLY_DIR_DEFAULT;
	c->timeout_ms = MI_CLIENT_TIMEOUT_DEFAULT;
}

static int fail(struct mi_client *c, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct mi_client *c, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return rc;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int open_server(struct mi_client *c)
{
	struct stat st;
	int fd = open(c->fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return fail(c, SV_ENOTFOUND,
		            "serval is not running (no FIFO %s)", c->fifo);
	if (fd < 0 && errno == ENXIO)
		return fail(c, SV_EAGAIN,
		            "stale FIFO %s: it exists but no serval reads it "
		            "(serval is not running?)",
		            c->fifo);
	if (fd < 0)
		return fail(c, SV_EIO, "cannot open FIFO %s: %s", c->fifo,
		            strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		return fail(c, SV_EINVAL, "%s is not a FIFO", c->fifo);
	}
	return fd;
}

/* Creates and opens (for reading) the reply FIFO c->reply_path. */
static int open_reply(struct mi_client *c)
{
	int fd;

	unlink(c->reply_path); /* left by an earlier process of our pid */
	if (mkfifo(c->reply_path, 0600) != 0 ||
	    chmod(c->reply_path, 0622) != 0) {
		fail(c, SV_EIO, "cannot create reply FIFO %s: %s",
		     c->reply_path, strerror(errno));
		unlink(c->reply_path);
		c->reply_path[0] = '\0';
		return SV_EIO;
	}
	fd = open(c->reply_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(c, SV_EIO, "cannot open reply FIFO %s: %s",
		            c->reply_path, strerror(errno));
	return fd;
}

/* Writes the request, SIGPIPE blocked (EPIPE: the server went away). */
static int write_request(struct mi_client *c, int fd, const char *buf,
                         size_t len, long long deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	struct timespec zero = {0, 0};
	sigset_t pipe_set, old;
	int rc = SV_OK;
	ssize_t n;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	while (len > 0 && rc == SV_OK) {
		n = write(fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno == EPIPE) {
			sigtimedwait(&pipe_set, NULL, &zero);
			rc = fail(c, SV_EIO, "serval stopped reading %s",
			          c->fifo);
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			rc = fail(c, SV_EIO, "writing %s: %s", c->fifo,
			          strerror(errno));
		} else if (now_ms() >= deadline) {
			rc = fail(c, SV_ETIMEOUT, "serval does not read %s",
			          c->fifo);
		} else {
			poll(&p, 1, (int)(deadline - now_ms()));
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct buffer {
	char *data;
	size_t len, size;
};

/* Makes room for 4 KiB more in b.  SV_OK or SV_ETOOBIG. */
static int grow(struct buffer *b)
{
	size_t size;
	char *d;

	if (b->size - b->len >= 4096)
		return SV_OK;
	size = b->size ? b->size * 2 : 8192;
	if (size > MI_CLIENT_REPLY_MAX + 4096)
		return SV_ETOOBIG;
	d = realloc(b->data, size);
	if (d == NULL)
		return SV_ETOOBIG;
	b->data = d;
	b->size = size;
	return SV_OK;
}

/* Reads until the server closes the reply FIFO. */
static int read_reply(struct mi_client *c, int fd, long long deadline,
                      struct buffer *b)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	long long left;
	ssize_t n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return fail(c, SV_ETIMEOUT,
			            "no reply from serval within %d ms",
			            c->timeout_ms);
		if (poll(&p, 1, (int)left) <= 0 || !p.revents)
			continue;
		if (grow(b) != SV_OK)
			return fail(c, SV_ETOOBIG, "reply too big");
		n = read(fd, b->data + b->len, b->size - b->len);
		if (n > 0)
			b->len += (size_t)n;
		else if (n == 0)
			return b->len ? SV_OK
			              : fail(c, SV_EINVAL, "empty reply");
		else if (errno != EAGAIN && errno != EINTR)
			return fail(c, SV_EIO, "reading the reply: %s",
			            strerror(errno));
	}
}

/* Sends the request text and collects the reply text. */
static int exchange(struct mi_client *c, const char *req, size_t len,
                    struct buffer *b)
{
	long long deadline = now_ms() + c->timeout_ms;
	int sfd, rfd, rc;

	sfd = open_server(c);
	if (sfd < 0)
		return sfd;
	rfd = open_reply(c);
	if (rfd < 0) {
		close(sfd);
		return rfd;
	}
	rc = write_request(c, sfd, req, len, deadline);
	close(sfd);
	if (rc == SV_OK)
		rc = read_reply(c, rfd, deadline, b);
	close(rfd);
	return rc;
}

static int build(struct mi_client *c, char *req, const char *cmd, int argc,
                 char *const argv[], char *name)
{
	static unsigned counter;
	size_t dlen = strlen(c->reply_dir);
	int n;

	snprintf(name, NAME_MAX_LEN, "servalctl_%d_%u", (int)getpid(),
	         counter++);
	n = snprintf(c->reply_path, sizeof(c->reply_path), "%s%s%s",
	             c->reply_dir,
	             dlen && c->reply_dir[dlen - 1] == '/' ? "" : "/", name);
	if (n < 0 || n >= (int)sizeof(c->reply_path))
		return fail(c, SV_EINVAL, "reply directory name too long");
	n = mi_request_build(req, REQ_MAX + 1, cmd, name, argc, argv);
	if (n == SV_ETOOBIG)
		return fail(c, n, "request longer than %d bytes", REQ_MAX);
	if (n < 0)
		return fail(c, n,
		            "bad command name or an argument the FIFO "
		            "protocol cannot carry");
	return n;
}

int mi_call(struct mi_client *c, const char *cmd, int argc, char *const argv[],
            struct mi_reply *r)
{
	struct buffer b = {0};
	char name[NAME_MAX_LEN], *req = malloc(REQ_MAX + 1);
	int n, rc;

	memset(r, 0, sizeof(*r));
	c->err[0] = '\0';
	if (req == NULL)
		return fail(c, SV_ENOMEM, "out of memory");
	n = build(c, req, cmd, argc, argv, name);
	rc = n < 0 ? n : exchange(c, req, (size_t)n, &b);
	if (c->reply_path[0])
		unlink(c->reply_path);
	c->reply_path[0] = '\0';
	if (rc == SV_OK && mi_reply_parse(b.data, b.len, r) != SV_OK)
		rc = fail(c, SV_EINVAL, "malformed reply from serval");
	free(b.data);
	free(req);
	return rc;
}
