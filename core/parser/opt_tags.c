/*
 * opt_tags.c - option-tag lists: counted first, then stored in one array.
 */
#include "opt_tags.h"

#include "lex.h"
#include "msg_priv.h"

/*
 * Walks the list; stores tags into out (when not NULL).  Returns the number
 * of tags or SV_EBADMSG.
 */
static int walk_tags(const struct hdr_field *hdr, str *out)
{
	char *p = hdr->body.s, *end = hdr_body_end(hdr), *q;
	int n = 0;

	if (p >= end)
		return 0;
	for (;;) {
		p = skip_lws(p, end);
		q = skip_class(p, end, CT_TOKEN);
		if (q == p)
			return SV_EBADMSG;
		if (out) {
			out[n].s = p;
			out[n].len = (int)(q - p);
		}
		n++;
		p = skip_lws(q, end);
		if (p >= end)
			return n;
		if (*p != ',')
			return SV_EBADMSG;
		p++;
	}
}

int parse_opt_tags_header(struct sip_msg *msg, struct hdr_field *hdr)
{
	struct opt_tags *t;
	int n;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	n = walk_tags(hdr, NULL);
	if (n < 0 || (n == 0 && hdr->type != HDR_SUPPORTED_T))
		return hdr_store(hdr, NULL,
		                 msg_bad(msg, "malformed option-tag list"));
	t = msg_alloc(msg, sizeof(*t) + (size_t)n * sizeof(str));
	if (!t)
		return hdr_store(hdr, NULL, SV_ENOMEM);
	t->tags = (str *)(t + 1);
	t->count = walk_tags(hdr, t->tags);
	return hdr_store(hdr, t, SV_OK);
}

int opt_tags_has(const struct opt_tags *tags, const char *tag)
{
	int i;

	for (i = 0; i < tags->count; i++)
		if (str_caseeq_lit(&tags->tags[i], tag))
			return 1;
	return 0;
}
