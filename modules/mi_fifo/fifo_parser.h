/*
 * fifo_parser.h - framing and parsing of MI FIFO requests.
 *
 * A request is text written to the server's FIFO (OpenSER's protocol):
 *
 *   :<command>:<reply_fifo>\n     reply_fifo: a bare file name in
 *                                  reply_dir, or empty for "no reply"
 *   <argument>\n                  zero or more: "value" or "name::value"
 *   \n                            an empty line ends the request
 *
 * Framing: a request ends at its first empty line ("\n" or "\r\n" alone),
 * always, even inside a quoted value; empty lines before a request are
 * skipped.  A line of blanks inside a request is skipped (no argument).
 *
 * Arguments: leading blanks are dropped.  A value starting with '"' is
 * quoted: it ends at the next '"' not preceded by '\', keeps blanks and
 * line breaks (it may span lines), \" stands for a quote, and nothing but
 * blanks may follow the closing quote.  Otherwise the value is the rest of
 * the line without trailing blanks.  "name::value" names an argument when
 * name is a token of letters, digits, '_', '-' or '.' (so "::1" or
 * "sip:[::1]" stay plain values); the value after "::" follows the same
 * rules.
 *
 * Limits: first line MI_FIFO_LINE1_MAX bytes, any other line
 * MI_FIFO_LINE_MAX, a whole request MI_FIFO_REQ_MAX, a reply name
 * MI_FIFO_REPLY_MAX bytes of [A-Za-z0-9._-] not starting with '.' (so it
 * cannot leave reply_dir).  The parser never recurses and never reads past
 * the length it is given.
 */
#ifndef SERVAL_MI_FIFO_PARSER_H
#define SERVAL_MI_FIFO_PARSER_H

#include "mi/mi.h"

#include <stddef.h>

#define MI_FIFO_LINE1_MAX 1024
#define MI_FIFO_LINE_MAX  8192
#define MI_FIFO_REQ_MAX   65536
#define MI_FIFO_REPLY_MAX 128

struct fifo_request {
	char cmd[MI_CMD_NAME_MAX + 1];     /* "" when not parsed */
	char reply[MI_FIFO_REPLY_MAX + 1]; /* "" when none or invalid */
	struct mi_root *args;              /* SV_OK: the arguments (owned) */
	const char *error;                 /* else: what was wrong (static) */
	int error_line;                    /* 1-based line of the error */
};

/* Bytes of empty lines at the start of buf (to be dropped). */
size_t fifo_skip_blank_lines(const char *buf, size_t len);

/*
 * Length of the first request in buf, terminating empty line included, or
 * 0 when buf holds no empty line yet.  buf must not start with an empty
 * line (see fifo_skip_blank_lines()).
 */
size_t fifo_request_end(const char *buf, size_t len);

/*
 * Parses one framed request (len from fifo_request_end()).  Returns SV_OK
 * with req->args set (free with mi_root_free()); SV_EINVAL for a malformed
 * request, with req->error, req->error_line, and req->cmd / req->reply
 * set as far as they could be read (the request can be answered when
 * req->reply is not empty); SV_ENOMEM.
 */
int fifo_parse_request(const char *text, size_t len, struct fifo_request *req);

/*
 * Reads only the first line of buf (a request too big to frame, or one
 * that never ended) to learn whom to answer: fills req->cmd and req->reply
 * when the line is complete and valid.  Always sets req->error to reason
 * and returns SV_EINVAL.
 */
int fifo_parse_head(const char *buf, size_t len, const char *reason,
                    struct fifo_request *req);

#endif /* SERVAL_MI_FIFO_PARSER_H */
