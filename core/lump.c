/*
 * lump.c - recording and applying message edits (see lump.h).
 *
 * The list on the message is kept sorted by (offset, seq), so applying it is
 * one merge-like pass over the buffer; insertion into the list is linear in
 * its length, which stays small (a handful of edits per message).
 */
#include "lump.h"
#include "errors.h"
#include "parser/msg.h"

#include <string.h>

static unsigned lump_seq;

/* Links l into msg->lumps keeping (offset, seq) order. */
static void lump_link(struct sip_msg *msg, struct lump *l)
{
	struct lump **pp = &msg->lumps;

	while (*pp && (*pp)->offset <= l->offset)
		pp = &(*pp)->next;
	l->next = *pp;
	*pp = l;
}

static struct lump *lump_new(struct sip_msg *msg, int offset, unsigned flags)
{
	struct lump *l;

	if (offset < 0 || offset > msg->len)
		return NULL;
	l = msg_alloc(msg, sizeof(*l));
	if (l == NULL)
		return NULL;
	l->offset = offset;
	l->flags = flags;
	l->seq = ++lump_seq;
	return l;
}

int lump_insert(struct sip_msg *msg, int offset, const str *text,
                unsigned flags)
{
	struct lump *l;

	if (offset < 0 || offset > msg->len)
		return SV_EINVAL;
	l = lump_new(msg, offset, flags);
	if (l == NULL)
		return SV_ENOMEM;
	if (text->len > 0) {
		l->ins.s = msg_alloc(msg, (size_t)text->len);
		if (l->ins.s == NULL)
			return SV_ENOMEM;
		memcpy(l->ins.s, text->s, (size_t)text->len);
		l->ins.len = text->len;
	}
	lump_link(msg, l);
	return SV_OK;
}

int lump_delete(struct sip_msg *msg, int offset, int len, unsigned flags)
{
	struct lump *l;

	if (offset < 0 || len < 0 || offset + len > msg->len)
		return SV_EINVAL;
	if (len == 0)
		return SV_OK;
	l = lump_new(msg, offset, flags);
	if (l == NULL)
		return SV_ENOMEM;
	l->del_len = len;
	lump_link(msg, l);
	return SV_OK;
}

int lump_delete_header(struct sip_msg *msg, const struct hdr_field *hdr,
                       unsigned flags)
{
	int off = (int)(hdr_start(hdr) - msg->buf);

	return lump_delete(msg, off, hdr->len, flags);
}

int lump_append_header(struct sip_msg *msg, const str *line, unsigned flags)
{
	int off;

	if (msg->eoh == NULL)
		return SV_EINVAL;
	off = (int)(msg->eoh - msg->buf);
	return lump_insert(msg, off, line, flags);
}

int lump_prepend_header(struct sip_msg *msg, const str *line, unsigned flags)
{
	int off;

	if (msg->headers)
		off = (int)(hdr_start(msg->headers) - msg->buf);
	else if (msg->eoh)
		off = (int)(msg->eoh - msg->buf);
	else
		return SV_EINVAL;
	return lump_insert(msg, off, line, flags);
}

int lump_is_deleted(const struct sip_msg *msg, int offset, int len)
{
	const struct lump *l;

	for (l = msg->lumps; l && l->offset <= offset; l = l->next)
		if (l->del_len && l->offset + l->del_len >= offset + len)
			return 1;
	return 0;
}

void lumps_drop_branch(struct sip_msg *msg)
{
	struct lump **pp = &msg->lumps;

	while (*pp) {
		if ((*pp)->flags & LUMP_BRANCH)
			*pp = (*pp)->next;
		else
			pp = &(*pp)->next;
	}
}

unsigned lump_mark(void)
{
	return lump_seq;
}

void lumps_drop_since(struct sip_msg *msg, unsigned mark)
{
	struct lump **pp = &msg->lumps;

	while (*pp) {
		if ((*pp)->seq > mark)
			*pp = (*pp)->next;
		else
			pp = &(*pp)->next;
	}
}

/* Appends src[0..len) to out at *n; returns SV_OK or SV_ETOOBIG. */
static int put(char *out, int size, int *n, const char *src, int len)
{
	if (len <= 0)
		return SV_OK;
	if (*n + len > size)
		return SV_ETOOBIG;
	memcpy(out + *n, src, (size_t)len);
	*n += len;
	return SV_OK;
}

int lumps_apply(const struct sip_msg *msg, int from, int to, int with_branch,
                char *out, int size)
{
	const struct lump *l;
	int pos = from, del_end = from, n = 0, start;
	int last = to == msg->len ? to : to - 1;  /* offsets included */

	for (l = msg->lumps; l && l->offset <= last; l = l->next) {
		if (l->offset < from ||
		    (!with_branch && (l->flags & LUMP_BRANCH)))
			continue;
		start = pos > del_end ? pos : del_end;
		if (start < l->offset &&
		    put(out, size, &n, msg->buf + start, l->offset - start))
			return SV_ETOOBIG;
		if (l->offset > pos)
			pos = l->offset;
		if (put(out, size, &n, l->ins.s, l->ins.len))
			return SV_ETOOBIG;
		if (l->del_len && l->offset + l->del_len > del_end)
			del_end = l->offset + l->del_len;
	}
	start = pos > del_end ? pos : del_end;
	if (start < to && put(out, size, &n, msg->buf + start, to - start))
		return SV_ETOOBIG;
	return n;
}
