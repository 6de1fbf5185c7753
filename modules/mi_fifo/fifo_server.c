/*
 * fifo_server.c - the MI FIFO serving loop (see fifo_server.h).
 *
 * Input is accumulated in one buffer of MI_FIFO_REQ_MAX bytes; after each
 * read every complete request in it is handled in order, then the rest is
 * moved to the front.  A buffer that fills up without an empty line holds
 * a request too big: it is answered (if its first line names a reply
 * FIFO) and the server discards input up to the next empty line, even
 * across reads (nl_state remembers where a line started), or until no
 * byte came for stall_ms: a client that died in the middle of a request
 * too big must not make the server swallow the next request.
 *
 * Deferred replies wait in a short list with their reply FIFO name and a
 * deadline; they are collected whenever the notify pipe wakes the loop,
 * and at least once a second.
 */
#include "fifo_server.h"
#include "fifo_file.h"
#include "fifo_parser.h"
#include "fifo_reply.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/proc.h"
#include "mi/async.h"
#include "mi/render.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POLL_MS        1000
#define READS_PER_WAKE 16
#define LOG_REPLY_MAX  1024

struct pending {
	struct mi_async *a;
	char reply[MI_FIFO_REPLY_MAX + 1];
	char cmd[MI_CMD_NAME_MAX + 1];
	long long deadline;
	struct pending *next;
};

struct server {
	const struct fifo_server_cfg *cfg;
	struct fifo_file file;
	char buf[MI_FIFO_REQ_MAX];
	size_t len;
	int discard;             /* skipping a too big request */
	long long discard_since; /* when the last byte was skipped (ms) */
	int nl_state;            /* 0 mid-line, 1 line start, 2 start + CR */
	long long partial_since; /* a partial request waits since (ms) */
	struct pending *pending;
	int npending;
	long long next_tick;
};

static void drop(struct server *s, size_t n)
{
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
}

/* Logs the result of a request that named no reply FIFO. */
static void log_result(const char *cmd, const struct mi_root *rpl)
{
	char text[LOG_REPLY_MAX];
	size_t i, len;

	if (rpl == NULL) {
		LM_NOTICE("MI '%s' (no reply fifo): %s", cmd,
		          MI_FIFO_OOM_REPLY);
		return;
	}
	mi_render_text_buf(rpl, " ", text, sizeof(text));
	len = strlen(text);
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	for (i = 0; i < len; i++) /* one log line: "200 OK | a:: b" */
		if (text[i] == '\n' || text[i] == '\r')
			text[i] = '|';
	LM_NOTICE("MI '%s' (no reply fifo): %s\n", cmd, text);
}

/* Sends (or logs) a reply; frees it. */
static void deliver(struct server *s, const char *reply, const char *cmd,
                    struct mi_root *rpl)
{
	const struct fifo_server_cfg *cfg = s->cfg;

	if (reply[0] == '\0')
		log_result(cmd, rpl);
	else
		fifo_reply_send(cfg->reply_dir, reply, rpl, cfg->reply_indent,
		                cfg->reply_timeout_ms);
	mi_root_free(rpl);
}

/* Answers a malformed request (if it can be answered) and logs it. */
static void reject(struct server *s, const struct fifo_request *req)
{
	struct mi_root *rpl;

	LM_ERR("malformed MI request '%s' (line %d): %s%s\n", req->cmd,
	       req->error_line, req->error,
	       req->reply[0] ? "" : "; no reply fifo to answer");
	if (req->reply[0] == '\0')
		return;
	rpl = mi_root_newf(400, "parse error in command '%s'", req->cmd);
	if (rpl != NULL && req->error_line > 0)
		mi_add_childf(&rpl->node, NULL, 0, "%s (line %d)", req->error,
		              req->error_line);
	else if (rpl != NULL)
		mi_add_child(&rpl->node, NULL, 0, req->error, -1);
	deliver(s, req->reply, req->cmd, rpl);
}

static int pending_add(struct server *s, struct mi_async *a,
                       const struct fifo_request *req)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return SV_ENOMEM;
	p->a = a;
	memcpy(p->reply, req->reply, sizeof(p->reply));
	memcpy(p->cmd, req->cmd, sizeof(p->cmd));
	p->deadline = fifo_now_ms() + s->cfg->async_timeout_s * 1000LL;
	p->next = s->pending;
	s->pending = p;
	s->npending++;
	return SV_OK;
}

/* Delivers completed deferred replies; times out (or, stopping, drops)
 * the others. */
static void pending_check(struct server *s, int stopping)
{
	struct pending **pp = &s->pending, *p;
	long long now = fifo_now_ms();
	struct mi_root *rpl;

	while ((p = *pp) != NULL) {
		rpl = NULL;
		if (mi_async_take(p->a, &rpl) == SV_OK) {
			if (rpl == NULL)
				rpl = mi_root_newf(500, "command '%s' failed",
				                   p->cmd);
			deliver(s, p->reply, p->cmd, rpl);
		} else if (stopping) {
			mi_async_abandon(p->a);
			LM_NOTICE("MI '%s' still running at shutdown\n",
			          p->cmd);
		} else if (now >= p->deadline) {
			mi_async_abandon(p->a);
			LM_ERR("MI '%s' timed out\n", p->cmd);
			deliver(s, p->reply, p->cmd,
			        mi_root_newf(500, "command '%s' timed out",
			                     p->cmd));
		} else {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		free(p);
		s->npending--;
	}
}

/* Runs a parsed request: returns the reply or MI_ROOT_ASYNC_RPL. */
static struct mi_root *run_command(struct server *s, struct fifo_request *req)
{
	const struct mi_cmd *cmd = mi_lookup(req->cmd, -1);
	struct mi_async *a = NULL;
	struct mi_root *rpl;

	if (cmd == NULL)
		return mi_reply_unknown(req->cmd, -1);
	if (cmd->flags & MI_NO_INPUT_FLAG) {
		mi_root_free(req->args); /* arguments are ignored */
		req->args = mi_root_new(0, NULL);
		if (req->args == NULL)
			return NULL;
	}
	if ((cmd->flags & MI_ASYNC_RPL_FLAG) &&
	    s->npending < MI_FIFO_MAX_PENDING)
		a = mi_async_new(s->cfg->notify_wr);
	req->args->async = a;
	rpl = mi_execute(cmd, req->args);
	if (rpl != MI_ROOT_ASYNC_RPL) {
		if (a != NULL)
			mi_async_free(a);
		return rpl;
	}
	if (pending_add(s, a, req) == SV_OK)
		return MI_ROOT_ASYNC_RPL;
	mi_async_abandon(a);
	return NULL;
}

static void handle_request(struct server *s, const char *text, size_t len)
{
	struct fifo_request req;
	struct mi_root *rpl;
	int rc = fifo_parse_request(text, len, &req);

	if (rc == SV_EINVAL) {
		reject(s, &req);
		return;
	}
	rpl = rc == SV_OK ? run_command(s, &req) : NULL;
	mi_root_free(req.args);
	if (rpl != MI_ROOT_ASYNC_RPL)
		deliver(s, req.reply, req.cmd, rpl);
}

/* Answers what can be answered of the buffered bytes, then drops them. */
static void drop_all(struct server *s, const char *reason)
{
	struct fifo_request req;

	fifo_parse_head(s->buf, s->len, reason, &req);
	reject(s, &req);
	s->len = 0;
	s->partial_since = 0;
}

/*
 * Advances the discard state over p[0..n); returns the offset just past
 * an empty line, or n when there is none (all of it is to be dropped).
 */
static size_t scan_discard(struct server *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n' && s->nl_state) {
			s->discard = 0;
			return i + 1;
		}
		if (p[i] == '\n')
			s->nl_state = 1;
		else if (p[i] == '\r' && s->nl_state == 1)
			s->nl_state = 2;
		else
			s->nl_state = 0;
	}
	return n;
}

static void process_buffer(struct server *s)
{
	size_t end;

	for (;;) {
		drop(s, fifo_skip_blank_lines(s->buf, s->len));
		if (s->len == 0) {
			s->partial_since = 0;
			return;
		}
		end = fifo_request_end(s->buf, s->len);
		if (end == 0)
			break;
		handle_request(s, s->buf, end);
		drop(s, end);
		s->partial_since = 0;
	}
	if (s->len == sizeof(s->buf)) {
		s->nl_state = 0;
		scan_discard(s, s->buf, s->len); /* where the line stands */
		s->discard = 1;
		s->discard_since = fifo_now_ms();
		drop_all(s, "request too big");
	} else if (s->partial_since == 0) {
		s->partial_since = fifo_now_ms();
	}
}

/*
 * Reads what is available (at most READS_PER_WAKE buffers, so deferred
 * replies and stop requests are not starved by a flood) and handles what
 * is complete.
 */
static void read_input(struct server *s)
{
	ssize_t n;
	size_t skip;
	int reads;

	for (reads = 0; reads < READS_PER_WAKE && !proc_stop; reads++) {
		n = read(s->file.rd, s->buf + s->len, sizeof(s->buf) - s->len);
		if (n < 0 && errno == EINTR && !proc_stop)
			continue;
		if (n <= 0)
			return;
		if (s->discard) {
			s->discard_since = fifo_now_ms();
			skip = scan_discard(s, s->buf + s->len, (size_t)n);
			memmove(s->buf + s->len, s->buf + s->len + skip,
			        (size_t)n - skip);
			n -= (ssize_t)skip;
		}
		s->len += (size_t)n;
		process_buffer(s);
	}
}

static void drain(int fd)
{
	char junk[64];

	while (read(fd, junk, sizeof(junk)) > 0)
		;
}

/*
 * Once a second: stalled partial request, stalled request too big, FIFO
 * still there.
 */
static void tick(struct server *s)
{
	long long now = fifo_now_ms();

	if (now < s->next_tick)
		return;
	s->next_tick = now + POLL_MS;
	if (s->partial_since && now - s->partial_since >= s->cfg->stall_ms)
		drop_all(s, "incomplete request");
	if (s->discard && now - s->discard_since >= s->cfg->stall_ms) {
		LM_ERR("the rest of a request too big did not come within "
		       "%d ms; reading requests again\n",
		       s->cfg->stall_ms);
		s->discard = 0;
	}
	fifo_file_check(&s->file);
}

static void serve(struct server *s)
{
	const struct fifo_server_cfg *cfg = s->cfg;
	struct pollfd p[2];

	while (!proc_stop) {
		p[0] = (struct pollfd){.fd = s->file.rd, .events = POLLIN};
		p[1] = (struct pollfd){.fd = cfg->notify_rd, .events = POLLIN};
		if (poll(p, 2, POLL_MS) > 0) {
			if (p[0].revents)
				read_input(s);
			if (p[1].revents)
				drain(cfg->notify_rd);
		}
		pending_check(s, 0);
		tick(s);
	}
}

int fifo_server_run(const struct fifo_server_cfg *cfg)
{
	static struct server s;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.file.path = cfg->fifo_name;
	s.file.mode = cfg->fifo_mode;
	/* a client that closes its reply fifo early must not kill us */
	signal(SIGPIPE, SIG_IGN);
	if (mi_init_child() != SV_OK)
		return SV_ERR;
	if (fifo_file_open(&s.file) != SV_OK)
		return SV_EIO;
	LM_INFO("serving MI requests on %s\n", cfg->fifo_name);
	serve(&s);
	pending_check(&s, 1);
	fifo_file_close(&s.file);
	return SV_OK;
}
