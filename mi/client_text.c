/*
 * client_text.c - the texts a FIFO client writes and reads: request
 * building, reply parsing and printing (declared in fifo_client.h).
 *
 * Pure functions over buffers, so they are tested without any FIFO.  The
 * quoting rule mirrors the server's parser (fifo_parser.h): only
 * arguments that would otherwise change meaning are quoted, everything
 * else goes out byte for byte as openserctl would send it.
 */
#include "fifo_client.h"
#include "core/errors.h"

#include <stdlib.h>
#include <string.h>

struct out {
	char *p, *end;
};

static int put(struct out *o, const char *s, size_t n)
{
	if ((size_t)(o->end - o->p) <= n)
		return SV_ETOOBIG;
	memcpy(o->p, s, n);
	o->p += n;
	return SV_OK;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int needs_quotes(const char *a, size_t n)
{
	return n == 0 || is_blank(a[0]) || is_blank(a[n - 1]) || a[0] == '"' ||
	       strpbrk(a, "\r\n") != NULL;
}

/* An empty line inside would end the request early. */
static int has_empty_line(const char *a)
{
	return strstr(a, "\n\n") != NULL || strstr(a, "\n\r\n") != NULL;
}

static int put_arg(struct out *o, const char *a)
{
	size_t n = strlen(a);
	int rc = SV_OK;

	if (!needs_quotes(a, n))
		return put(o, a, n) == SV_OK ? put(o, "\n", 1) : SV_ETOOBIG;
	if (has_empty_line(a) || (n > 0 && a[n - 1] == '\\'))
		return SV_EINVAL;
	rc = put(o, "\"", 1);
	for (; rc == SV_OK && *a; a++)
		rc = *a == '"' ? put(o, "\\\"", 2) : put(o, a, 1);
	return rc == SV_OK ? put(o, "\"\n", 2) : rc;
}

static int cmd_ok(const char *cmd)
{
	const char *p;

	if (cmd == NULL || *cmd == '\0')
		return 0;
	for (p = cmd; *p; p++)
		if (*p <= ' ' || *p == ':' || *p == 0x7f)
			return 0;
	return 1;
}

int mi_request_build(char *buf, size_t size, const char *cmd,
                     const char *reply_name, int argc, char *const argv[])
{
	struct out o = {buf, buf + size};
	int i, rc;

	if (!cmd_ok(cmd) || size == 0)
		return size ? SV_EINVAL : SV_ETOOBIG;
	rc = put(&o, ":", 1);
	if (rc == SV_OK)
		rc = put(&o, cmd, strlen(cmd));
	if (rc == SV_OK)
		rc = put(&o, ":", 1);
	if (rc == SV_OK && reply_name)
		rc = put(&o, reply_name, strlen(reply_name));
	if (rc == SV_OK)
		rc = put(&o, "\n", 1);
	for (i = 0; rc == SV_OK && i < argc; i++)
		rc = put_arg(&o, argv[i]);
	if (rc == SV_OK)
		rc = put(&o, "\n", 1);
	if (rc != SV_OK)
		return rc;
	*o.p = '\0';
	return (int)(o.p - buf);
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int mi_reply_parse(const char *text, size_t len, struct mi_reply *r)
{
	const char *nl = memchr(text, '\n', len), *p = text, *reason;
	size_t rlen, blen;
	int code = 0;

	memset(r, 0, sizeof(*r));
	if (nl == NULL)
		return SV_EINVAL;
	for (; p < nl && *p >= '0' && *p <= '9' && code < 1000; p++)
		code = code * 10 + (*p - '0');
	if (p == text || code < 100 || code > 999 || (p < nl && *p != ' '))
		return SV_EINVAL;
	reason = p < nl ? p + 1 : nl;
	rlen = (size_t)(nl - reason);
	if (rlen > 0 && reason[rlen - 1] == '\r')
		rlen--;
	blen = len - (size_t)(nl + 1 - text);
	/* drop the empty line that ends the reply */
	if (blen > 0 && text[len - 1] == '\n' &&
	    (blen == 1 || text[len - 2] == '\n'))
		blen--;
	r->code = code;
	r->reason = dup_n(reason, rlen);
	r->body = dup_n(nl + 1, blen);
	r->body_len = blen;
	if (r->reason == NULL || r->body == NULL) {
		mi_reply_free(r);
		return SV_ENOMEM;
	}
	return SV_OK;
}

void mi_reply_free(struct mi_reply *r)
{
	free(r->reason);
	free(r->body);
	r->reason = r->body = NULL;
}

int mi_reply_print(const struct mi_reply *r, FILE *out, FILE *err)
{
	int ok = r->code >= 200 && r->code < 300;

	if (r->body_len > 0)
		fwrite(r->body, 1, r->body_len, out);
	fflush(out);
	if (!ok)
		fprintf(err, "%d %s\n", r->code, r->reason ? r->reason : "");
	return ok ? 0 : 1;
}
