/*
 * fifo_parser.c - MI FIFO request framing and parsing (see fifo_parser.h).
 *
 * The server frames a request first (up to its empty line), so the parser
 * always works on a complete, bounded piece of text: it walks it once with
 * a cursor, line by line, and a quoted value simply keeps walking across
 * line breaks until its closing quote or the end of the request.  Values
 * are unescaped into one scratch buffer as large as the request, then
 * copied into the argument tree.  Every error names its line.
 */
#include "fifo_parser.h"
#include "core/errors.h"

#include <stdlib.h>
#include <string.h>

struct cursor {
	const char *p;   /* start of the next line */
	const char *end; /* end of the request body (before the empty line) */
	int line;        /* number of the line p is in (1-based) */
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_token(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* The '\n' ending the line at p, or end. */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

/* The end of a line's content: before a trailing '\r'. */
static const char *content_end(const char *s, const char *e)
{
	return (e > s && e[-1] == '\r') ? e - 1 : e;
}

static int fail(struct fifo_request *req, const char *error, int line)
{
	req->error = error;
	req->error_line = line;
	return SV_EINVAL;
}

size_t fifo_skip_blank_lines(const char *buf, size_t len)
{
	size_t i = 0;

	for (;;) {
		if (i < len && buf[i] == '\n')
			i++;
		else if (i + 1 < len && buf[i] == '\r' && buf[i + 1] == '\n')
			i += 2;
		else
			return i;
	}
}

size_t fifo_request_end(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (nl == p || (nl == p + 1 && p[0] == '\r'))
			return (size_t)(nl + 1 - buf);
		p = nl + 1;
	}
	return 0;
}

static int reply_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MI_FIFO_REPLY_MAX || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_token(s[i]))
			return 0;
	return 1;
}

/* Copies the command name for messages: bounded, non-printables as '?'. */
static void copy_cmd(struct fifo_request *req, const char *s, size_t n)
{
	size_t i;

	if (n > MI_CMD_NAME_MAX)
		n = MI_CMD_NAME_MAX;
	for (i = 0; i < n; i++)
		req->cmd[i] = (s[i] > ' ' && s[i] < 0x7f) ? s[i] : '?';
	req->cmd[n] = '\0';
}

static int cmd_name_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f)
			return 0;
	return 1;
}

/* ":command:reply" -> req->cmd, req->reply. */
static int parse_first_line(const char *s, size_t n, struct fifo_request *req)
{
	const char *colon, *r, *r_end;

	if (n > MI_FIFO_LINE1_MAX)
		return fail(req, "first line too long", 1);
	if (n == 0 || s[0] != ':')
		return fail(req, "request does not start with ':'", 1);
	colon = memchr(s + 1, ':', n - 1);
	if (colon == NULL)
		return fail(req, "missing ':' after the command name", 1);
	copy_cmd(req, s + 1, (size_t)(colon - s - 1));
	for (r = colon + 1, r_end = s + n; r < r_end && is_blank(*r); r++)
		;
	while (r_end > r && is_blank(r_end[-1]))
		r_end--;
	if (r_end > r) {
		if (!reply_name_ok(r, (size_t)(r_end - r)))
			return fail(req, "bad reply fifo name", 1);
		memcpy(req->reply, r, (size_t)(r_end - r));
		req->reply[r_end - r] = '\0';
	}
	if (colon == s + 1)
		return fail(req, "empty command name", 1);
	if (colon - s - 1 > MI_CMD_NAME_MAX)
		return fail(req, "command name too long", 1);
	if (!cmd_name_ok(s + 1, (size_t)(colon - s - 1)))
		return fail(req, "bad command name", 1);
	return SV_OK;
}

static int add_arg(struct fifo_request *req, const char *name, size_t nlen,
                   const char *value, size_t vlen)
{
	if (mi_add_child(&req->args->node, name, (int)nlen, value, (int)vlen) ==
	    NULL) {
		req->error = "out of memory";
		return SV_ENOMEM;
	}
	return SV_OK;
}

/* Moves the cursor past the line ending at e. */
static void next_line(struct cursor *c, const char *e)
{
	c->p = e < c->end ? e + 1 : c->end;
}

/* A quoted value whose text starts at q (after the opening quote). */
static int parse_quoted(struct cursor *c, const char *q, const char *name,
                        size_t nlen, char *scratch, struct fifo_request *req)
{
	const char *p = q, *e, *stop;
	char *out = scratch;
	int first_line = c->line;

	while (p < c->end && *p != '"') {
		if (*p == '\\' && p + 1 < c->end && p[1] == '"')
			p++;
		else if (*p == '\n')
			c->line++;
		*out++ = *p++;
	}
	if (p >= c->end)
		return fail(req, "unterminated quoted value", first_line);
	e = line_end(p + 1, c->end);
	for (stop = content_end(p + 1, e), p++; p < stop; p++)
		if (!is_blank(*p))
			return fail(req, "text after a closing quote", c->line);
	next_line(c, e);
	return add_arg(req, name, nlen, scratch, (size_t)(out - scratch));
}

/* One argument whose line content is s..stop (s not blank), line end e. */
static int parse_arg(struct cursor *c, const char *s, const char *stop,
                     const char *e, char *scratch, struct fifo_request *req)
{
	const char *name = NULL, *t;
	size_t nlen = 0;

	for (t = s; t < stop && is_token(*t); t++)
		;
	if (t > s && stop - t >= 2 && t[0] == ':' && t[1] == ':') {
		name = s;
		nlen = (size_t)(t - s);
		for (s = t + 2; s < stop && is_blank(*s); s++)
			;
	}
	if (s < stop && *s == '"')
		return parse_quoted(c, s + 1, name, nlen, scratch, req);
	while (stop > s && is_blank(stop[-1]))
		stop--;
	next_line(c, e);
	return add_arg(req, name, nlen, s, (size_t)(stop - s));
}

static int parse_args(struct cursor *c, char *scratch, struct fifo_request *req)
{
	const char *e, *s, *stop;
	int rc;

	while (c->p < c->end) {
		c->line++;
		e = line_end(c->p, c->end);
		stop = content_end(c->p, e);
		for (s = c->p; s < stop && is_blank(*s); s++)
			;
		if (s == stop) { /* a line of blanks: no argument */
			next_line(c, e);
			continue;
		}
		rc = parse_arg(c, s, stop, e, scratch, req);
		if (rc != SV_OK)
			return rc;
	}
	return SV_OK;
}

/* Checks every line after the first against MI_FIFO_LINE_MAX. */
static int check_lines(const char *p, const char *end, struct fifo_request *req)
{
	const char *e;
	int line = 2;

	for (; p < end; p = e + 1, line++) {
		e = line_end(p, end);
		if (content_end(p, e) - p > MI_FIFO_LINE_MAX)
			return fail(req, "argument line too long", line);
	}
	return SV_OK;
}

/* Length of the request without its terminating empty line, or 0. */
static size_t body_len(const char *text, size_t len)
{
	if (len >= 3 && text[len - 1] == '\n' && text[len - 2] == '\r' &&
	    text[len - 3] == '\n')
		return len - 2;
	if (len >= 2 && text[len - 1] == '\n' && text[len - 2] == '\n')
		return len - 1;
	return 0;
}

int fifo_parse_request(const char *text, size_t len, struct fifo_request *req)
{
	size_t blen = body_len(text, len);
	struct cursor c;
	const char *e;
	char *scratch;
	int rc;

	memset(req, 0, sizeof(*req));
	if (len > MI_FIFO_REQ_MAX)
		return fifo_parse_head(text, len, "request too big", req);
	if (blen == 0)
		return fifo_parse_head(text, len, "incomplete request", req);
	e = line_end(text, text + blen);
	rc = parse_first_line(text, (size_t)(content_end(text, e) - text), req);
	if (rc == SV_OK)
		rc = check_lines(e + 1, text + blen, req);
	if (rc != SV_OK)
		return rc;
	req->args = mi_root_new(0, NULL);
	scratch = malloc(blen + 1);
	if (req->args == NULL || scratch == NULL) {
		rc = SV_ENOMEM;
		req->error = "out of memory";
	} else {
		c = (struct cursor){e + 1, text + blen, 1};
		rc = parse_args(&c, scratch, req);
	}
	free(scratch);
	if (rc != SV_OK) {
		mi_root_free(req->args);
		req->args = NULL;
	}
	return rc;
}

int fifo_parse_head(const char *buf, size_t len, const char *reason,
                    struct fifo_request *req)
{
	size_t max = len < MI_FIFO_LINE1_MAX + 2 ? len : MI_FIFO_LINE1_MAX + 2;
	const char *nl = memchr(buf, '\n', max);

	memset(req, 0, sizeof(*req));
	if (nl != NULL)
		parse_first_line(buf, (size_t)(content_end(buf, nl) - buf),
		                 req);
	req->error = reason;
	req->error_line = 0;
	return SV_EINVAL;
}
