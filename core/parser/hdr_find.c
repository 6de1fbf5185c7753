/*
 * hdr_find.c - header lookup by name, and the per-type body dispatcher.
 *
 * A name of a known type is resolved to the type once and the sibling
 * chain is walked; other names are compared against every header of type
 * HDR_OTHER_T with hdr_name_eq().
 */
#include "hdr_find.h"

#include "../errors.h"

#include "contact.h"
#include "content_type.h"
#include "cseq.h"
#include "num_hdr.h"
#include "opt_tags.h"
#include "rr.h"
#include "to_from.h"
#include "via.h"

/* Number of headers called name. */
static int count_matches(const struct sip_msg *msg, const str *name)
{
	int type = hdr_type_from_name(name->s, name->len), n = 0;
	struct hdr_field *h;

	if (type != HDR_OTHER_T)
		return msg_hdr_count(msg, type);
	for (h = msg->headers; h; h = h->next)
		if (h->type == HDR_OTHER_T && hdr_name_eq(&h->name, name))
			n++;
	return n;
}

int count_hdr_by_name(const struct sip_msg *msg, const str *name)
{
	if (!name->s || name->len <= 0)
		return 0;
	return count_matches(msg, name);
}

struct hdr_field *get_hdr_by_name(const struct sip_msg *msg, const str *name,
                                  int idx)
{
	struct hdr_field *h;
	int type, i;

	if (!name->s || name->len <= 0)
		return NULL;
	if (idx < 0) {
		idx += count_matches(msg, name);
		if (idx < 0)
			return NULL;
	}
	type = hdr_type_from_name(name->s, name->len);
	if (type != HDR_OTHER_T) {
		h = msg_first_hdr(msg, type);
		for (i = 0; h && i < idx; i++)
			h = h->sibling;
		return h;
	}
	for (h = msg->headers, i = 0; h; h = h->next) {
		if (h->type != HDR_OTHER_T || !hdr_name_eq(&h->name, name))
			continue;
		if (i++ == idx)
			return h;
	}
	return NULL;
}

int parse_hdr_body(struct sip_msg *msg, struct hdr_field *hdr)
{
	switch (hdr->type) {
	case HDR_VIA_T:
		return parse_via_header(msg, hdr);
	case HDR_TO_T:
	case HDR_FROM_T:
	case HDR_REFER_TO_T:
	case HDR_REFERRED_BY_T:
		return parse_to_body_hdr(msg, hdr);
	case HDR_CSEQ_T:
		return parse_cseq_hdr(msg, hdr);
	case HDR_CONTACT_T:
		return parse_contact_header(msg, hdr);
	case HDR_ROUTE_T:
	case HDR_RECORDROUTE_T:
	case HDR_PATH_T:
		return parse_rr_header(msg, hdr);
	case HDR_CONTENTLENGTH_T:
		return parse_content_length_header(msg, hdr);
	case HDR_MAXFORWARDS_T:
		return parse_max_forwards_header(msg, hdr);
	case HDR_EXPIRES_T:
	case HDR_MIN_EXPIRES_T:
		return parse_expires_header(msg, hdr);
	case HDR_REQUIRE_T:
	case HDR_PROXYREQUIRE_T:
	case HDR_SUPPORTED_T:
	case HDR_UNSUPPORTED_T:
		return parse_opt_tags_header(msg, hdr);
	case HDR_CONTENTTYPE_T:
		return parse_content_type_hdr(msg, hdr);
	default:
		return SV_OK;
	}
}

int parse_all_hdr_bodies(struct sip_msg *msg)
{
	struct hdr_field *h;
	int rc;

	for (h = msg->headers; h; h = h->next) {
		rc = parse_hdr_body(msg, h);
		if (rc < 0)
			return rc;
	}
	return SV_OK;
}
