/*
 * fifo_server.h - the MI FIFO server: the body of the "mi fifo" process.
 *
 * One process serves the FIFO sequentially: it reads requests, frames
 * and parses them (fifo_parser.h), runs the command (mi.h), and writes the
 * reply into the client's reply FIFO (fifo_reply.h) or, for a request
 * without one, logs the result.  Commands that defer their reply
 * (MI_ASYNC_RPL_FLAG) get a handle (async.h); their replies are written
 * when they arrive, woken by the notify pipe, while other requests go on
 * being served.
 *
 * What keeps it alive and responsive:
 *  - every input is bounded (line, request and reply-name limits); a
 *    request too big is answered 400 and the rest of it skipped up to its
 *    empty line (or until none of it came for stall_ms); a partial
 *    request that stays incomplete for stall_ms (MI_FIFO_STALL_MS) is
 *    answered 400 and dropped, so a dead client cannot wedge the framing;
 *  - the parser does not recurse and is tested on malformed input;
 *  - writing a reply is bounded by reply_timeout_ms, a deferred reply by
 *    async_timeout_s (then "500 command '<x>' timed out");
 *  - a handler that fails yields a 500 reply, not a dead process;
 *  - the FIFO is recreated when something (a /tmp cleaner) removes it;
 *  - the loop wakes at least every second and returns when proc_stop is
 *    set.
 * A handler that crashes still kills the process, and with it the server
 * (the master's rule for any child); nothing here can catch that safely.
 */
#ifndef SERVAL_MI_FIFO_SERVER_H
#define SERVAL_MI_FIFO_SERVER_H

#define MI_FIFO_STALL_MS    5000
#define MI_FIFO_MAX_PENDING 64 /* deferred replies waiting at once */

struct fifo_server_cfg {
	const char *fifo_name;    /* absolute path of the request FIFO */
	int fifo_mode;            /* permissions when (re)creating it */
	const char *reply_dir;    /* absolute directory of reply FIFOs */
	const char *reply_indent; /* per depth level of reply lines */
	int reply_timeout_ms;     /* bound on delivering one reply */
	int async_timeout_s;      /* bound on waiting for a deferred reply */
	int stall_ms;             /* a partial request is dropped after it,
	                             the skipping of a request too big ends
	                             after as long without input
	                             (MI_FIFO_STALL_MS; checked each second) */
	int notify_rd, notify_wr; /* non-blocking wake-up pipe made before
	                             fork, or -1/-1 */
};

/*
 * Serves requests until proc_stop is set.  Runs the MI init hooks of
 * every command first.  Returns SV_OK when stopped, or an error (logged)
 * when it cannot serve at all (init hook failed, FIFO cannot be opened).
 * The FIFO must exist (fifo_create(), fifo_file.h).
 */
int fifo_server_run(const struct fifo_server_cfg *cfg);

#endif /* SERVAL_MI_FIFO_SERVER_H */
