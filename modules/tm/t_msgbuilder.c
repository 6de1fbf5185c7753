/*
 * t_msgbuilder.c - branch ids, To tags, CANCEL, ACK and local replies (see
 * t_msgbuilder.h).
 *
 * CANCEL and ACK are assembled from header lines of the branch request,
 * parsed again from its shm copy (the copy is immutable, the parse is
 * private), which is cheaper than keeping offsets for the few messages
 * that need them: one per negative INVITE reply and per cancelled branch.
 */
#include "t_msgbuilder.h"
#include "tm_cfg.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/md5.h"
#include "core/msg_builder.h"
#include "core/outbuf.h"
#include "core/socket.h"
#include "core/parser/cseq.h"
#include "core/parser/msg.h"
#include "core/parser/to_from.h"

#include <string.h>

static char tag_sig[TM_TAG_SIG_LEN];
static int tag_sig_ready;

static const char hexdig[] = "0123456789abcdef";

/* Writes v in lowercase hex, no leading zeros; returns the length. */
static int put_hex(char *out, unsigned v)
{
	char tmp[8];
	int n = 0, i;

	do {
		tmp[n++] = hexdig[v & 0xf];
		v >>= 4;
	} while (v);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

/* Reads 1..max hex digits ending at end or at a '.'; -1 when malformed. */
static int get_hex(const char **pp, const char *end, int max, unsigned *v)
{
	const char *p = *pp;
	unsigned x = 0;
	int n = 0;

	for (; p < end && *p != '.'; p++, n++) {
		int d = (*p >= '0' && *p <= '9')   ? *p - '0'
		        : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10
		        : (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10
		                                   : -1;

		if (d < 0 || n >= max)
			return -1;
		x = (x << 4) | (unsigned)d;
	}
	if (n == 0)
		return -1;
	*pp = p;
	*v = x;
	return n;
}

int tm_branch_id(const struct cell *t, int idx, char *out)
{
	int n = MAGIC_COOKIE_LEN;

	memcpy(out, MAGIC_COOKIE, MAGIC_COOKIE_LEN);
	n += put_hex(out + n, t->hash);
	out[n++] = '.';
	if (t->key[TMK_MD5].len) {
		memcpy(out + n, t->buf + t->key[TMK_MD5].off, TM_MD5_LEN);
		n += TM_MD5_LEN;
	} else {
		n += put_hex(out + n, t->label);
	}
	out[n++] = '.';
	n += put_hex(out + n, (unsigned)idx);
	return n;
}

/* The md5 part: exactly 32 hex digits up to the next '.'. */
static int get_md5(const char **pp, const char *end, str *md5)
{
	const char *p = *pp;
	int i;

	if (end - p <= TM_MD5_LEN || p[TM_MD5_LEN] != '.')
		return -1;
	for (i = 0; i < TM_MD5_LEN; i++)
		if (!strchr(hexdig, p[i]) || p[i] == '\0')
			return -1;
	md5->s = (char *)p;
	md5->len = TM_MD5_LEN;
	*pp = p + TM_MD5_LEN;
	return TM_MD5_LEN;
}

int tm_parse_branch_id(const str *branch, unsigned *hash, unsigned *label,
                       str *md5, unsigned *idx)
{
	const char *p = branch->s + MAGIC_COOKIE_LEN;
	const char *end = branch->s + branch->len;

	if (branch->len <= MAGIC_COOKIE_LEN ||
	    memcmp(branch->s, MAGIC_COOKIE, MAGIC_COOKIE_LEN) != 0)
		return SV_ENOTFOUND;
	if (get_hex(&p, end, 4, hash) < 0 || p == end || *hash > TM_HASH_MASK)
		return SV_ENOTFOUND;
	p++;
	md5->s = NULL;
	md5->len = 0;
	if (end - p > TM_MD5_LEN && p[TM_MD5_LEN] == '.') {
		if (get_md5(&p, end, md5) < 0)
			return SV_ENOTFOUND;
		*label = 0;
	} else if (get_hex(&p, end, 8, label) < 0) {
		return SV_ENOTFOUND;
	}
	if (p == end)
		return SV_ENOTFOUND;
	p++;
	if (get_hex(&p, end, 2, idx) < 0 || p != end || *idx >= TM_MAX_BRANCHES)
		return SV_ENOTFOUND;
	return SV_OK;
}

void tm_request_md5(const str *parts, int n, char *out)
{
	md5_hex_strs(out, parts, n);
}

void tm_tag_init(void)
{
	str parts[3] = {STR_LIT("serval-tm"), STR_NULL, STR_NULL};

	if (listen_list) {
		parts[1] = listen_list->address_str;
		parts[2] = listen_list->port_str;
	}
	md5_hex_strs(tag_sig, parts, 3);
	tag_sig_ready = 1;
}

int tm_to_tag(const struct cell *t, char *out)
{
	int n = TM_TAG_SIG_LEN;

	if (!tag_sig_ready)
		tm_tag_init();
	memcpy(out, tag_sig, TM_TAG_SIG_LEN);
	out[n++] = '-';
	n += put_hex(out + n, t->hash);
	out[n++] = '.';
	n += put_hex(out + n, t->label);
	return n;
}

int tm_is_our_tag(const struct cell *t, const str *tag)
{
	char buf[TM_TAG_MAX];
	int n;

	if (tag->len <= TM_TAG_SIG_LEN || tag->len > TM_TAG_MAX)
		return 0;
	n = tm_to_tag(t, buf);
	return n == tag->len && memcmp(buf, tag->s, (size_t)n) == 0;
}

int tm_parse_request(const struct cell *t, struct sip_msg *msg)
{
	int rc = parse_msg((char *)t->buf, (int)t->req_len, msg);

	msg->rcv = t->rcv;
	msg->core_flags = t->core_flags;
	return rc;
}

int tm_build_branch_req(struct cell *t, struct sip_msg *msg, int from_msg,
                        const struct req_build *rb, char *out)
{
	struct sip_msg m;
	int n;

	if (from_msg)
		return build_request(msg, rb, out, SIP_MSG_MAX);
	n = tm_parse_request(t, &m);
	if (n == SV_OK)
		n = build_request(&m, rb, out, SIP_MSG_MAX);
	free_sip_msg(&m);
	return n;
}

static void put_hdr(struct outbuf *o, const struct hdr_field *h)
{
	outbuf_put(o, hdr_start(h), h->len);
}

/*
 * The request line, our Via, From, To (of the request or of the reply)
 * Call-ID, CSeq and Route headers of a CANCEL or ACK for request m.
 */
static int build_local_req(struct sip_msg *m, const char *method,
                           const struct hdr_field *to, char *buf, int size)
{
	struct outbuf o = OUTBUF_INIT(buf, size);
	const struct hdr_field *h;

	outbuf_cstr(&o, method);
	outbuf_cstr(&o, " ");
	outbuf_put(&o, REQ_LINE(m).uri.s, REQ_LINE(m).uri.len);
	outbuf_cstr(&o, " SIP/2.0\r\n");
	put_hdr(&o, m->h_via1);
	put_hdr(&o, m->from);
	put_hdr(&o, to);
	put_hdr(&o, m->callid);
	outbuf_cstr(&o, "CSeq: ");
	outbuf_put(&o, get_cseq(m)->number.s, get_cseq(m)->number.len);
	outbuf_cstr(&o, " ");
	outbuf_cstr(&o, method);
	outbuf_cstr(&o, "\r\n");
	for (h = m->route; h; h = h->sibling)
		put_hdr(&o, h);
	outbuf_cstr(&o, "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
	return outbuf_result(&o);
}

/* Parses a branch request; SV_OK when it has what CANCEL/ACK need. */
static int parse_branch(const struct tm_branch *b, struct sip_msg *m)
{
	int rc = parse_msg(b->buf, (int)b->len, m);

	if (rc != SV_OK)
		return rc;
	if (!m->h_via1 || !m->from || !m->to || !m->callid || !m->cseq ||
	    parse_cseq_header(m) != SV_OK)
		return SV_EBADMSG;
	return SV_OK;
}

int tm_build_cancel(const struct tm_branch *b, char *out, int size)
{
	struct sip_msg m;
	int rc = parse_branch(b, &m);

	if (rc == SV_OK)
		rc = build_local_req(&m, "CANCEL", m.to, out, size);
	free_sip_msg(&m);
	return rc;
}

int tm_build_ack(const struct tm_branch *b, struct sip_msg *rpl, char *out,
                 int size)
{
	struct sip_msg m;
	int rc;

	if (rpl->to == NULL)
		return SV_EBADMSG;
	rc = parse_branch(b, &m);
	if (rc == SV_OK)
		rc = build_local_req(&m, "ACK", rpl->to, out, size);
	free_sip_msg(&m);
	return rc;
}

int tm_build_local_reply(struct cell *t, struct sip_msg *req, int code,
                         const str *reason, char *out)
{
	struct reply_build rb = {.code = code, .reason = reason};
	struct sip_msg m;
	char tag[TM_TAG_MAX];
	str tagv;
	int rc;

	if (code >= 180) {
		tagv.s = tag;
		tagv.len = tm_to_tag(t, tag);
		rb.to_tag = &tagv;
	}
	if (req)
		return build_reply(req, &rb, out, SIP_MSG_MAX);
	rc = tm_parse_request(t, &m);
	if (rc == SV_OK)
		rc = build_reply(&m, &rb, out, SIP_MSG_MAX);
	free_sip_msg(&m);
	return rc;
}
