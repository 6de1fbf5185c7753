/*
 * render.c - the text renderer of MI trees (see render.h).
 *
 * Output goes through a 4 KiB staging buffer flushed to the writer when
 * full; a piece larger than the buffer is passed straight through.  The
 * first writer error sticks and ends the rendering.
 */
#include "render.h"
#include "core/errors.h"

#include <stdio.h>
#include <string.h>

#define RENDER_BUF 4096

struct out {
	char buf[RENDER_BUF];
	size_t len;
	mi_write_f w;
	void *ctx;
	int rc;
};

static void flush(struct out *o)
{
	if (o->rc == SV_OK && o->len > 0)
		o->rc = o->w(o->ctx, o->buf, o->len);
	o->len = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (o->rc != SV_OK || n == 0)
		return;
	if (o->len + n > sizeof(o->buf))
		flush(o);
	if (n > sizeof(o->buf)) {
		if (o->rc == SV_OK)
			o->rc = o->w(o->ctx, s, n);
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_str(struct out *o, const str *s)
{
	if (s->s != NULL)
		put(o, s->s, (size_t)s->len);
}

static void put_node(struct out *o, const struct mi_node *n, int depth,
                     const char *indent, size_t indent_len)
{
	const struct mi_attr *a;

	for (; depth > 0; depth--)
		put(o, indent, indent_len);
	if (n->name.s != NULL) {
		put_str(o, &n->name);
		put(o, ":: ", 3);
	}
	put_str(o, &n->value);
	for (a = n->attrs; a != NULL; a = a->next) {
		if (a->name.s != NULL) {
			put(o, " ", 1);
			put_str(o, &a->name);
			put(o, "=", 1);
		}
		put_str(o, &a->value);
	}
	put(o, "\n", 1);
}

static void put_nodes(struct out *o, const struct mi_root *root,
                      const char *indent)
{
	struct mi_node *n = root->node.kids;
	size_t indent_len;
	int depth = 0;

	if (indent == NULL)
		indent = MI_DEFAULT_INDENT;
	indent_len = strlen(indent);
	for (; n != NULL; n = mi_node_next(&root->node, n, &depth))
		put_node(o, n, depth, indent, indent_len);
}

int mi_render_nodes(const struct mi_root *root, const char *indent,
                    mi_write_f w, void *ctx)
{
	struct out o = {.w = w, .ctx = ctx, .rc = SV_OK};

	put_nodes(&o, root, indent);
	flush(&o);
	return o.rc;
}

int mi_render_text(const struct mi_root *root, const char *indent, mi_write_f w,
                   void *ctx)
{
	struct out o = {.w = w, .ctx = ctx, .rc = SV_OK};
	char code[16];
	int n;

	n = snprintf(code, sizeof(code), "%d ", root->code);
	put(&o, code, (size_t)n);
	put_str(&o, &root->reason);
	put(&o, "\n", 1);
	put_nodes(&o, root, indent);
	put(&o, "\n", 1);
	flush(&o);
	return o.rc;
}

struct buf_ctx {
	char *buf;
	size_t size, len;
};

static int buf_write(void *ctx, const char *s, size_t n)
{
	struct buf_ctx *b = ctx;
	size_t room = b->size - 1 - b->len;

	if (n > room) {
		memcpy(b->buf + b->len, s, room);
		b->len += room;
		return SV_ETOOBIG;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	return SV_OK;
}

int mi_render_text_buf(const struct mi_root *root, const char *indent,
                       char *buf, size_t size)
{
	struct buf_ctx b = {buf, size, 0};
	int rc;

	if (size == 0)
		return SV_ETOOBIG;
	rc = mi_render_text(root, indent, buf_write, &b);
	buf[b.len] = '\0';
	return rc == SV_OK ? (int)b.len : rc;
}
