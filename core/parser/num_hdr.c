/*
 * num_hdr.c - numeric header bodies, parsed once and cached.
 */
#include "num_hdr.h"

#include "lex.h"
#include "msg_priv.h"

static int parse_num_header(struct sip_msg *msg, struct hdr_field *hdr,
                            unsigned long long max, const char *what)
{
	unsigned long long v;
	struct num_body *nb;

	if (hdr_tried(hdr))
		return hdr_cached_rc(hdr);
	if (parse_uint_range(hdr->body.s, hdr_body_end(hdr), max, &v) < 0)
		return hdr_store(hdr, NULL, msg_bad(msg, what));
	nb = msg_alloc(msg, sizeof(*nb));
	if (!nb)
		return hdr_store(hdr, NULL, SV_ENOMEM);
	nb->value = (unsigned int)v;
	return hdr_store(hdr, nb, SV_OK);
}

int parse_content_length_header(struct sip_msg *msg, struct hdr_field *hdr)
{
	return parse_num_header(msg, hdr, 0xffffffffULL,
	                        "malformed Content-Length");
}

int parse_max_forwards_header(struct sip_msg *msg, struct hdr_field *hdr)
{
	return parse_num_header(msg, hdr, 255, "malformed Max-Forwards");
}

int parse_expires_header(struct sip_msg *msg, struct hdr_field *hdr)
{
	return parse_num_header(msg, hdr, 0xffffffffULL, "malformed Expires");
}

int get_max_forwards(struct sip_msg *msg)
{
	int rc;

	if (!msg->max_forwards)
		return SV_ENOTFOUND;
	rc = parse_max_forwards_header(msg, msg->max_forwards);
	return rc < 0 ? rc : (int)hdr_num(msg->max_forwards);
}
