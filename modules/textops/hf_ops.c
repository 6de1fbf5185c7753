/*
 * hf_ops.c - textops' header functions, is_method() and has_body().
 *
 * Header names are compared as the parser compares them: ignoring case,
 * with a compact form equal to its long name ("v" is "Via", "s" is
 * "Subject").  The checks look at the message as received: a header added
 * by append_hf() is not "present", one removed by remove_hf() still is
 * (edits are applied only when the message is printed), as in OpenSER.
 */
#include "textops.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/parser/content_type.h"
#include "core/parser/cseq.h"
#include "core/parser/method.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"
#include "core/pv.h"

#include <stdlib.h>
#include <string.h>

/* Longest header line append_hf() prints (pseudo-variables expanded). */
#define HF_LINE_MAX 16384

/* True when line ends with CR LF. */
static int ends_crlf(const str *line)
{
	return line->len >= 2 && line->s[line->len - 2] == '\r' &&
	       line->s[line->len - 1] == '\n';
}

/*
 * Prints the format (pseudo-variables expanded now) and adds it after the
 * last header.  The text must be whole header lines, CR LF included, as
 * the script writes them; a text that would not end with CR LF is refused
 * rather than glued to the next header.
 */
int w_append_hf(struct sip_msg *msg, void **params)
{
	static char buf[HF_LINE_MAX];
	str line;

	if (pv_format_print(msg, params[0], buf, sizeof(buf), &line) != SV_OK) {
		LM_ERR("textops: append_hf: header longer than %d bytes\n",
		       HF_LINE_MAX);
		return -1;
	}
	if (!ends_crlf(&line)) {
		LM_ERR("textops: append_hf: '%.*s' does not end with CR LF\n",
		       STR_FMT(&line));
		return -1;
	}
	if (lump_append_header(msg, &line, textops_edit_flags()) != SV_OK) {
		LM_ERR("textops: append_hf: out of memory\n");
		return -1;
	}
	return 1;
}

/* Appends prefix + R-URI + suffix as a header line after the last one. */
int w_append_urihf(struct sip_msg *msg, void **params)
{
	const str *pre = params[0], *suf = params[1];
	const str *ruri = msg_ruri(msg);
	str line;
	int rc;

	line.len = pre->len + ruri->len + suf->len;
	line.s = malloc((size_t)line.len);
	if (line.s == NULL) {
		LM_ERR("textops: append_urihf: out of memory\n");
		return -1;
	}
	memcpy(line.s, pre->s, (size_t)pre->len);
	memcpy(line.s + pre->len, ruri->s, (size_t)ruri->len);
	memcpy(line.s + pre->len + ruri->len, suf->s, (size_t)suf->len);
	rc = lump_append_header(msg, &line, 0);
	free(line.s);
	if (rc != SV_OK) {
		LM_ERR("textops: append_urihf: out of memory\n");
		return -1;
	}
	return 1;
}

/*
 * Deletes every header called name that is not deleted yet; true when at
 * least one was.
 */
int w_remove_hf(struct sip_msg *msg, void **params)
{
	const str *name = params[0];
	struct hdr_field *h;
	int n = 0;

	for (h = msg->headers; h; h = h->next) {
		if (!hdr_name_eq(&h->name, name) ||
		    lump_is_deleted(msg, (int)(hdr_start(h) - msg->buf),
		                    h->len))
			continue;
		if (lump_delete_header(msg, h, textops_edit_flags()) != SV_OK) {
			LM_ERR("textops: remove_hf: out of memory\n");
			return -1;
		}
		n++;
	}
	return n > 0 ? 1 : -1;
}

int w_is_present_hf(struct sip_msg *msg, void **params)
{
	const str *name = params[0];
	struct hdr_field *h;

	for (h = msg->headers; h; h = h->next)
		if (hdr_name_eq(&h->name, name))
			return 1;
	return -1;
}

/* The method of a request, or the CSeq method of a reply. */
static int msg_method_of(struct sip_msg *msg, int *id, str *name)
{
	if (msg_is_request(msg)) {
		*id = REQ_LINE(msg).method_value;
		*name = REQ_LINE(msg).method;
		return SV_OK;
	}
	if (parse_cseq_header(msg) != SV_OK)
		return SV_EBADMSG;
	*id = get_cseq(msg)->method_id;
	*name = get_cseq(msg)->method;
	return SV_OK;
}

int w_is_method(struct sip_msg *msg, void **params)
{
	const struct method_set *set = params[0];
	str name;
	int id, i;

	if (msg_method_of(msg, &id, &name) != SV_OK) {
		LM_ERR("textops: is_method: no method (bad CSeq)\n");
		return -1;
	}
	if (id != METHOD_OTHER)
		return (set->mask & (unsigned)id) ? 1 : -1;
	for (i = 0; i < set->n_names; i++)
		if (str_caseeq(&set->names[i], &name))
			return 1;
	return -1;
}

int w_has_body(struct sip_msg *msg, void **params)
{
	return msg->body.len > 0 ? 1 : -1;
}

/* params[0]: a str * "type/subtype" (checked by the fixup). */
int w_has_body_mime(struct sip_msg *msg, void **params)
{
	const str *mime = params[0];
	const char *slash = memchr(mime->s, '/', (size_t)mime->len);
	const struct content_type *ct;
	str type, sub;

	if (msg->body.len <= 0 || parse_content_type_header(msg) != SV_OK)
		return -1;
	ct = get_content_type(msg);
	type.s = mime->s;
	type.len = (int)(slash - mime->s);
	sub.s = (char *)slash + 1;
	sub.len = mime->len - type.len - 1;
	return str_caseeq(&ct->type, &type) && str_caseeq(&ct->subtype, &sub)
	           ? 1
	           : -1;
}
