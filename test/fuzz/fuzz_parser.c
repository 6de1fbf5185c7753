/*
 * fuzz_parser.c - libFuzzer target for the SIP message layer.
 *
 * Each input is parsed as a whole message from a heap buffer of exactly its
 * size (ASan sees any read past it); then the validity checks run, every
 * header body is parsed with the parser of its type, and everything parsed
 * is walked: Via values and parameters, To/From and Route/Contact URIs
 * (parsed, compared with each other, parameters looked up, userinfo
 * unescaped), lookups by name with positive and negative indexes, the
 * Request-URI before and after a rewrite.  The input is also fed to the URI
 * parser, the unescaper and the method-list parser on its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/parser/contact.h"
#include "core/parser/content_type.h"
#include "core/parser/cseq.h"
#include "core/parser/hdr_find.h"
#include "core/parser/method.h"
#include "core/parser/msg.h"
#include "core/parser/msg_check.h"
#include "core/parser/msg_uri.h"
#include "core/parser/num_hdr.h"
#include "core/parser/opt_tags.h"
#include "core/parser/rr.h"
#include "core/parser/to_from.h"
#include "core/parser/via.h"

static volatile unsigned sink;

/* Undefined behaviour is a finding: stop at the first report. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* Exercises one URI string: parse, compare, params, unescape. */
static void walk_uri(const str *s, const str *other)
{
	struct sip_uri u, o;
	struct uri_param_iter it;
	char buf[256];
	str n, v;

	if (parse_uri(s->s, s->len, &u) < 0)
		return;
	sink += (unsigned)uri_eq(&u, &u);
	if (other && parse_uri(other->s, other->len, &o) == SV_OK)
		sink += (unsigned)uri_eq(&u, &o) + (unsigned)uri_eq(&o, &u);
	uri_param_iter_init(&it, &u.params);
	while (uri_param_iter_next(&it, &n, &v))
		sink += (unsigned)n.len + (unsigned)v.len;
	sink += (unsigned)uri_find_param(&u, "lr", &v);
	sink += (unsigned)uri_unescape(&u.user, buf, sizeof(buf));
	sink += (unsigned)uri_unescape(&u.passwd, buf, sizeof(buf));
	sink += (unsigned)uri_user_eq(&u.user, &u.passwd);
}

static void walk_via(struct via_body *v)
{
	struct sip_param *p;

	for (; v; v = v->next)
		for (p = v->param_lst; p; p = p->next)
			sink += (unsigned)p->type + (unsigned)p->body.len;
}

static void walk_contacts(struct contact_body *cb, const str *ruri)
{
	struct contact *c;
	unsigned e;
	int q;

	for (c = cb->contacts; c; c = c->next) {
		walk_uri(&c->uri, ruri);
		sink += (unsigned)contact_q(c, &q) +
		        (unsigned)contact_expires(c, &e);
	}
}

static void walk_rr(struct sip_msg *msg, struct rr *r)
{
	struct sip_uri *u;

	for (; r; r = r->next)
		if (rr_uri(msg, r, &u) == SV_OK)
			sink += (unsigned)rr_is_loose(msg, r) + u->port_no;
}

/* Parses the body of h and walks what came out. */
static void walk_header(struct sip_msg *msg, struct hdr_field *h,
                        const str *ruri)
{
	struct sip_uri *u;

	sink += (unsigned)count_hdr_by_name(msg, &h->name);
	sink += get_hdr_by_name(msg, &h->name, -1) != NULL;
	if (parse_hdr_body(msg, h) != SV_OK || !h->parsed)
		return;
	switch (h->type) {
	case HDR_VIA_T:
		walk_via(hdr_via(h));
		break;
	case HDR_TO_T:
	case HDR_FROM_T:
	case HDR_REFER_TO_T:
	case HDR_REFERRED_BY_T:
		if (to_body_uri(msg, h->parsed, &u) == SV_OK)
			walk_uri(&u->text, ruri);
		break;
	case HDR_CONTACT_T:
		walk_contacts(hdr_contact(h), ruri);
		break;
	case HDR_ROUTE_T:
	case HDR_RECORDROUTE_T:
	case HDR_PATH_T:
		walk_rr(msg, hdr_rr(h));
		break;
	default:
		break;
	}
}

static void walk_msg(struct sip_msg *msg, size_t size)
{
	struct hdr_field *h;
	struct sip_uri *u;
	str *ruri = NULL;

	msg->rcv.proto = (size & 1) ? PROTO_UDP : PROTO_TCP;
	if (msg_is_request(msg)) {
		sink += (unsigned)check_request(msg);
		sink += (unsigned)check_ruri_scheme(msg);
		ruri = &REQ_LINE(msg).uri;
	} else {
		sink += (unsigned)check_reply(msg);
	}
	sink += (unsigned)parse_via2(msg);
	for (h = msg->headers; h; h = h->next)
		walk_header(msg, h, ruri);
	if (ruri && parse_to_uri(msg, &u) == SV_OK &&
	    set_new_uri(msg, &u->text) == SV_OK) {
		sink += (unsigned)parse_sip_msg_uri(msg);
		sink += (unsigned)check_ruri_scheme(msg);
		reset_new_uri(msg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_msg msg;
	char *buf;
	unsigned mask;
	str s;

	if (size > 65536)
		return 0;
	log_set_level(L_ALERT);
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (parse_msg(buf, (int)size, &msg) == SV_OK)
		walk_msg(&msg, size);
	free_sip_msg(&msg);
	s.s = buf;
	s.len = (int)size;
	walk_uri(&s, NULL);
	if (method_mask_parse(&s, &mask) == SV_OK)
		sink += mask;
	sink += (unsigned)hdr_type_from_name(buf, (int)size);
	free(buf);
	return 0;
}
