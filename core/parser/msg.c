/*
 * msg.c - parse_msg(): first line, headers, framing; and the life cycle of
 * a struct sip_msg.
 *
 * Leading CRLFs are skipped (RFC 3261 §7.5; also what keep-alives look
 * like).  Framing needs Content-Length, so that one header body is parsed
 * here already; every Content-Length header must parse and agree (RFC 4475
 * §3.3.9: two different values leave no way to frame the body).
 */
#include "msg.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg_priv.h"
#include "num_hdr.h"

static unsigned int msg_counter;

void *msg_alloc_failed(struct sip_msg *msg)
{
	msg_nomem(msg);
	return NULL;
}

/* The Content-Length value all CL headers agree on, into *cl. */
static int content_length_value(struct sip_msg *msg, unsigned int *cl)
{
	struct hdr_field *h;
	int rc;

	for (h = msg->content_length; h; h = h->sibling) {
		rc = parse_content_length_header(msg, h);
		if (rc < 0)
			return rc;
		if (h != msg->content_length && hdr_num(h) != *cl)
			return msg_bad(msg,
			               "conflicting Content-Length values");
		*cl = hdr_num(h);
	}
	return SV_OK;
}

static int frame_body(struct sip_msg *msg, char *body, char *end)
{
	unsigned int cl = 0;
	int rc;

	msg->body.s = body;
	msg->body.len = (int)(end - body);
	if (!msg->content_length)
		return SV_OK;
	rc = content_length_value(msg, &cl);
	if (rc < 0)
		return rc;
	if (cl > (unsigned int)msg->body.len)
		return msg_bad(msg, "Content-Length larger than the message");
	msg->body.len = (int)cl;
	return SV_OK;
}

/*
 * The first line of [p, end) was refused with rc: scan the headers anyway
 * so a reply can copy them, keeping the first line's error.  Returns rc.
 */
static int scan_after_bad_first_line(struct sip_msg *msg, char *p,
                                     char *end, int rc)
{
	struct msg_error first = msg->err;
	char *eol = memchr(p, '\n', (size_t)(end - p)), *body;

	msg->first_line.claimed = (end - p >= 4 && strncasecmp(p, "SIP/", 4) ==
	                           0) ? SIP_REPLY : SIP_REQUEST;
	if (eol && eol + 1 < end)
		(void)scan_headers(msg, eol + 1, end, &body);
	msg->err = first;
	return rc;
}

int parse_msg(char *buf, int len, struct sip_msg *msg)
{
	char *p = buf, *end, *body;
	int rc;

	memset(msg, 0, offsetof(struct sip_msg, parsed_uri));
	arena_init(&msg->arena);
	msg->id = ++msg_counter;
	msg->buf = buf;
	msg->len = len > 0 ? len : 0;
	if (!buf || len <= 0)
		return msg_bad(msg, "empty message");
	end = buf + len;
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	if (p == end)
		return msg_bad(msg, "empty message");
	rc = parse_first_line(msg, &p, end);
	if (rc < 0)
		return scan_after_bad_first_line(msg, p, end, rc);
	rc = scan_headers(msg, p, end, &body);
	if (rc < 0)
		return rc;
	return frame_body(msg, body, end);
}

void free_sip_msg(struct sip_msg *msg)
{
	arena_release(&msg->arena);
	free(msg->new_uri.s);
	free(msg->dst_uri.s);
	memset(msg, 0, offsetof(struct sip_msg, parsed_uri));
}

int msg_cached_uri(struct sip_msg *msg, const str *text, struct sip_uri **cache,
                   int *state, struct sip_uri **out)
{
	if (*state == 0) {
		*cache = msg_alloc(msg, sizeof(**cache));
		if (!*cache)
			return SV_ENOMEM;
		*state =
		    parse_uri(text->s, text->len, *cache) < 0 ? SV_EBADURI : 1;
	}
	if (*state < 0)
		return *state;
	*out = *cache;
	return SV_OK;
}

int msg_hdr_count(const struct sip_msg *msg, int type)
{
	struct hdr_field *h = msg_first_hdr(msg, type);
	int n = 0;

	for (; h; h = h->sibling)
		n++;
	return n;
}

struct hdr_field *msg_first_hdr(const struct sip_msg *msg, int type)
{
	struct hdr_field **slot, *h;

	if (type <= HDR_OTHER_T || type >= HDR_NUM_T)
		return NULL;
	slot = msg_first_slot((struct sip_msg *)msg, type);
	if (slot)
		return *slot;
	for (h = msg->headers; h; h = h->next)
		if (h->type == type)
			return h;
	return NULL;
}
