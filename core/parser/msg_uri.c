/*
 * msg_uri.c - the current Request-URI, its parse cache and the owned
 * new_uri/dst_uri copies (plain malloc: per-process memory).
 */
#include "msg_uri.h"

#include <stdlib.h>
#include <string.h>

#include "msg_priv.h"

int parse_sip_msg_uri(struct sip_msg *msg)
{
	str *ruri;

	if (!msg_is_request(msg))
		return SV_EINVAL;
	if (msg->parsed_uri_ok)
		return SV_OK;
	ruri = msg_ruri(msg);
	if (parse_uri(ruri->s, ruri->len, &msg->parsed_uri) < 0)
		return msg_error(msg, SV_EBADURI, 400, "Bad Request-URI",
		                 "malformed Request-URI");
	msg->parsed_uri_ok = 1;
	return SV_OK;
}

int parse_orig_ruri(struct sip_msg *msg)
{
	str *ruri = &msg->first_line.u.request.uri;

	if (!msg_is_request(msg))
		return SV_EINVAL;
	if (msg->parsed_orig_ruri_ok)
		return SV_OK;
	if (parse_uri(ruri->s, ruri->len, &msg->parsed_orig_ruri) < 0)
		return msg_error(msg, SV_EBADURI, 400, "Bad Request-URI",
		                 "malformed Request-URI");
	msg->parsed_orig_ruri_ok = 1;
	return SV_OK;
}

/* Replaces *dst by a malloc'ed copy of src. */
static int set_owned(str *dst, const str *src)
{
	char *copy = malloc(src->len > 0 ? (size_t)src->len : 1);

	if (!copy)
		return SV_ENOMEM;
	if (src->len > 0)
		memcpy(copy, src->s, (size_t)src->len);
	free(dst->s);
	dst->s = copy;
	dst->len = src->len > 0 ? src->len : 0;
	return SV_OK;
}

static void drop_owned(str *s)
{
	free(s->s);
	s->s = NULL;
	s->len = 0;
}

int set_new_uri(struct sip_msg *msg, const str *uri)
{
	int rc = set_owned(&msg->new_uri, uri);

	if (rc == SV_OK)
		msg->parsed_uri_ok = 0;
	return rc;
}

void reset_new_uri(struct sip_msg *msg)
{
	drop_owned(&msg->new_uri);
	msg->parsed_uri_ok = 0;
}

int set_dst_uri(struct sip_msg *msg, const str *uri)
{
	return set_owned(&msg->dst_uri, uri);
}

void reset_dst_uri(struct sip_msg *msg)
{
	drop_owned(&msg->dst_uri);
}

/* A malloc'ed copy of src into *dst ({NULL, 0} when src has none). */
static int dup_owned(str *dst, const str *src)
{
	dst->s = NULL;
	dst->len = 0;
	return src->s ? set_owned(dst, src) : SV_OK;
}

int msg_branch_save(struct sip_msg *msg, struct msg_branch_state *st)
{
	if (dup_owned(&st->new_uri, &msg->new_uri) != SV_OK)
		return SV_ENOMEM;
	if (dup_owned(&st->dst_uri, &msg->dst_uri) != SV_OK) {
		drop_owned(&st->new_uri);
		return SV_ENOMEM;
	}
	st->bflags = msg->ruri_bflags;
	st->sock = msg->force_send_socket;
	return SV_OK;
}

void msg_branch_restore(struct sip_msg *msg, struct msg_branch_state *st)
{
	drop_owned(&msg->new_uri);
	drop_owned(&msg->dst_uri);
	msg->new_uri = st->new_uri;
	msg->dst_uri = st->dst_uri;
	msg->parsed_uri_ok = 0;
	msg->ruri_bflags = st->bflags;
	msg->force_send_socket = st->sock;
	st->new_uri.s = st->dst_uri.s = NULL;
	st->new_uri.len = st->dst_uri.len = 0;
}
