/*
 * fifo_client.h - the client side of the MI FIFO protocol.
 *
 * What servalctl (and tests, and any tool) needs to talk to a running
 * serval: build a request, create a private reply FIFO, send, wait for
 * the reply with a deadline, parse and print it.  It speaks the plain
 * OpenSER protocol (see modules/mi_fifo/README.md), so it also talks to
 * anything else that does.
 *
 * A call never hangs: the server's FIFO is opened without blocking (no
 * FIFO: "serval is not running"; a FIFO nobody reads: "stale FIFO"), the
 * request is written and the reply read with poll() against one deadline.
 * The reply FIFO is opened for reading before the request is sent, so the
 * server finds a reader at once; the reply is read until the server
 * closes it (end of file), not up to the first empty line, because a
 * value may contain line breaks.
 *
 * Errors are reported with a return code and a sentence in client->err;
 * nothing is logged (a command-line tool prints its own messages).
 */
#ifndef SERVAL_MI_FIFO_CLIENT_H
#define SERVAL_MI_FIFO_CLIENT_H

#include <stddef.h>
#include <stdio.h>

#define MI_CLIENT_FIFO_DEFAULT      "/tmp/serval_fifo"
#define MI_CLIENT_REPLY_DIR_DEFAULT "/tmp"
#define MI_CLIENT_TIMEOUT_DEFAULT   10000      /* ms */
#define MI_CLIENT_REPLY_MAX         (16 << 20) /* bytes of one reply */

struct mi_client {
	const char *fifo;      /* the server's request FIFO */
	const char *reply_dir; /* where the reply FIFO is created */
	int timeout_ms;        /* for the whole call */
	char reply_path[4096]; /* the reply FIFO during a call, else "" (a
	                          signal handler may unlink it) */
	char err[512];         /* why the last call failed */
};

struct mi_reply {
	int code;     /* 200, 400, 404, 500 ... */
	char *reason; /* NUL terminated, malloc'ed */
	char *body;   /* the node lines, each ending in '\n',
	                 without the final empty line; "" when none;
	                 NUL terminated, malloc'ed */
	size_t body_len;
};

/* Fills c with the defaults and fifo (NULL: MI_CLIENT_FIFO_DEFAULT). */
void mi_client_init(struct mi_client *c, const char *fifo);

/*
 * Sends ":cmd:<reply fifo>" with argv as arguments and waits for the
 * reply.  Returns SV_OK with *r filled (whatever its code; free with
 * mi_reply_free()), or: SV_ENOTFOUND (no FIFO: serval not running),
 * SV_EAGAIN (stale FIFO: nobody reads it), SV_ETIMEOUT (no complete reply
 * in time), SV_EINVAL (bad command name or argument, malformed reply),
 * SV_ETOOBIG, SV_EIO; c->err says what happened.
 */
int mi_call(struct mi_client *c, const char *cmd, int argc, char *const argv[],
            struct mi_reply *r);

/*
 * Writes the request text for cmd and its arguments into buf (NUL
 * terminated).  An argument that needs it (empty, blanks at either end, a
 * leading quote, line breaks) is sent quoted, quotes escaped as \".
 * Returns the length, SV_ETOOBIG, or SV_EINVAL for a command name with
 * blanks or ':' or an argument the protocol cannot carry (an empty line
 * inside, or a trailing backslash in a quoted value).
 */
int mi_request_build(char *buf, size_t size, const char *cmd,
                     const char *reply_name, int argc, char *const argv[]);

/*
 * Parses reply text ("<code> <reason>\n" + lines + "\n").  Returns SV_OK,
 * SV_EINVAL when it does not start with a status line, SV_ENOMEM.
 */
int mi_reply_parse(const char *text, size_t len, struct mi_reply *r);

/* Frees what mi_reply_parse() allocated (r itself is the caller's). */
void mi_reply_free(struct mi_reply *r);

/*
 * Prints the reply as servalctl does: the lines on out; the status line
 * "<code> <reason>" on err when the code is not 2xx.  Returns the exit
 * status: 0 for 2xx, 1 otherwise.
 */
int mi_reply_print(const struct mi_reply *r, FILE *out, FILE *err);

#endif /* SERVAL_MI_FIFO_CLIENT_H */
