/*
 * test_parser_rfc4475.c - every RFC 4475 torture message through the parser
 * and the validity checks, as the RFC expects.
 *
 * Messages come from test/corpus/rfc4475/ (the shared, byte-exact copy) and
 * test/corpus/rfc4475-more/ (the rest of RFC 4475, rebuilt from its text).
 * Each is parsed from a heap buffer of exactly its size (no NUL after it),
 * so ASan catches any read past the message.  Valid messages are checked
 * field by field; invalid ones must be refused at the stage and with the
 * reply code the RFC asks for: parse_msg() (400), check_request() (400,
 * 505, 501), check_ruri_scheme() (416), or check_reply() (dropped).
 */
#include "parser_testutil.h"

#include "core/parser/contact.h"
#include "core/parser/content_type.h"
#include "core/parser/cseq.h"
#include "core/parser/hdr_find.h"
#include "core/parser/method.h"
#include "core/parser/msg_check.h"
#include "core/parser/msg_uri.h"
#include "core/parser/num_hdr.h"
#include "core/parser/opt_tags.h"
#include "core/parser/rr.h"
#include "core/parser/to_from.h"
#include "core/parser/via.h"

#define A "test/corpus/rfc4475/"
#define B "test/corpus/rfc4475-more/"

/* Loads, parses and checks a valid request; the message stays loaded. */
static void load_ok_request(struct tmsg *t, const char *path)
{
	tmsg_load(t, path);
	assert_int_equal(t->rc, SV_OK);
	assert_true(msg_is_request(t->msg));
	assert_int_equal(check_request(t->msg), SV_OK);
	assert_int_equal(t->msg->err.eclass, ERR_CLASS_NONE);
}

static void load_ok_reply(struct tmsg *t, const char *path)
{
	tmsg_load(t, path);
	assert_int_equal(t->rc, SV_OK);
	assert_true(msg_is_reply(t->msg));
	assert_int_equal(check_reply(t->msg), SV_OK);
}

/* The message must fail parse_msg() with a 400. */
static void expect_parse_400(const char *path)
{
	struct tmsg t;

	tmsg_load(&t, path);
	assert_int_equal(t.rc, SV_EBADMSG);
	assert_int_equal(t.msg->err.eclass, ERR_CLASS_PARSER);
	assert_int_equal(t.msg->err.level, ERR_LEVEL_MEDIUM);
	assert_int_equal(t.msg->err.rcode, 400);
	assert_true(t.msg->err.info.len > 0);
	tmsg_free(&t);
}

/* The request parses but check_request() answers rcode (rc). */
static void expect_check_rc(const char *path, int rc, int rcode)
{
	struct tmsg t;

	tmsg_load(&t, path);
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(check_request(t.msg), rc);
	assert_int_equal(t.msg->err.rcode, rcode);
	assert_int_equal(sv_last_error, rc);
	tmsg_free(&t);
}

static struct via_body *nth_via(struct sip_msg *msg, int n)
{
	struct hdr_field *h;
	struct via_body *v;

	for (h = msg->h_via1; h; h = h->sibling) {
		assert_int_equal(parse_via_header(msg, h), SV_OK);
		for (v = hdr_via(h); v; v = v->next)
			if (n-- == 0)
				return v;
	}
	fail_msg("no Via number %d", n);
	return NULL;
}

/* ------------------------------------------------ 3.1.1 valid messages -- */

static void t_wsinv(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct to_body *to, *from;
	struct via_body *v;
	struct contact *c;
	struct hdr_field *h;
	struct rr *r;
	str name = STR_LIT("NewFangledHeader");
	int q;

	load_ok_request(&t, A "wsinv.dat");
	m = t.msg;
	assert_int_equal(REQ_LINE(m).method_value, METHOD_INVITE);
	assert_str(&REQ_LINE(m).uri,
	           "sip:vivekg@chair-dnrc.example.com;unknownparam");
	assert_int_equal(parse_sip_msg_uri(m), SV_OK);
	assert_str(&m->parsed_uri.user, "vivekg");
	assert_str(&m->parsed_uri.host, "chair-dnrc.example.com");
	assert_str(&m->parsed_uri.params, "unknownparam");
	to = get_to(m);
	from = get_from(m);
	assert_str(&to->uri, "sip:vivekg@chair-dnrc.example.com");
	assert_str(&to->tag_value, "1918181833n");
	assert_str(&from->display, "\"J Rosenberg \\\\\\\"\"");
	assert_str(&from->uri, "sip:jdrosen@example.com");
	assert_str(&from->tag_value, "98asjd8");
	assert_int_equal(get_max_forwards(m), 68);
	assert_str(&m->callid->body, "wsinv.ndaksdj@192.0.2.1");
	assert_int_equal(hdr_num(m->content_length), 150);
	assert_int_equal(get_cseq(m)->num, 9);
	assert_str(&get_cseq(m)->method, "INVITE");
	assert_int_equal(msg_hdr_count(m, HDR_VIA_T), 2);
	v = nth_via(m, 0);
	assert_int_equal(v->proto, PROTO_UDP);
	assert_str(&v->host, "192.0.2.2");
	assert_str(&v->branch->body, "390skdjuw");
	v = nth_via(m, 1);
	assert_int_equal(v->proto, PROTO_TCP);
	assert_str(&v->host, "spindle.example.com");
	assert_str(&v->branch->body, "z9hG4bK9ikj8");
	v = nth_via(m, 2);
	assert_int_equal(v->proto, PROTO_UDP);
	assert_str(&v->host, "192.168.255.111");
	assert_str(&v->branch->body, "z9hG4bK30239");
	assert_int_equal(parse_via2(m), SV_OK);
	assert_ptr_equal(m->via2, nth_via(m, 1));
	assert_ptr_equal(m->h_via2, m->h_via1->sibling);
	assert_non_null(m->subject);
	assert_str_empty(&m->subject->body);
	h = get_hdr_by_name(m, &name, 0);
	assert_non_null(h);
	assert_str(&h->body, "newfangled value\r\n continued newfangled value");
	assert_int_equal(parse_content_type_header(m), SV_OK);
	assert_true(content_type_is(get_content_type(m), "application", "sdp"));
	assert_int_equal(parse_rr_header(m, m->route), SV_OK);
	r = hdr_rr(m->route);
	assert_str(&r->uri, "sip:services.example.com;lr;unknownwith=value;"
	                    "unknown-no-value");
	assert_int_equal(rr_is_loose(m, r), 1);
	assert_int_equal(parse_contacts(m), 1);
	c = hdr_contact(m->contact)->contacts;
	assert_str(&c->display, "\"Quoted string \\\"\\\"\"");
	assert_str(&c->uri, "sip:jdrosen@example.com");
	assert_str(&param_find(c->params, "newparam")->body, "newvalue");
	assert_non_null(param_find(c->params, "secondparam"));
	assert_int_equal(contact_q(c, &q), SV_OK);
	assert_int_equal(q, 330);
	assert_int_equal(m->body.len, 150);
	assert_memory_equal(m->body.s, "v=0\r\n", 5);
	assert_int_equal(check_ruri_scheme(m), SV_OK);
	tmsg_free(&t);
}

static void t_intmeth(void **state)
{
	static const char meth[] =
	    "!interesting-Method0123456789_*+`.%indeed'~";
	struct tmsg t;
	struct sip_msg *m;
	struct sip_uri *u;
	struct to_body *to, *from;
	struct sip_param *p;
	struct hdr_field *h;
	str ext = STR_LIT("extensionHeader-!.%*+_`'~");

	load_ok_request(&t, B "intmeth.dat");
	m = t.msg;
	assert_str(&REQ_LINE(m).method, meth);
	assert_int_equal(REQ_LINE(m).method_value, METHOD_OTHER);
	assert_int_equal(parse_sip_msg_uri(m), SV_OK);
	assert_str(&m->parsed_uri.user,
	           "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
	assert_str(&m->parsed_uri.passwd,
	           "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
	assert_str(&m->parsed_uri.host, "example.com");
	assert_str(&m->via1->branch->body, "z9hG4bK-.!%66*_+`'~");
	assert_int_equal(m->via1->proto, PROTO_TCP);
	to = get_to(m);
	assert_str(&to->display, "\"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\"");
	assert_int_equal(parse_to_uri(m, &u), SV_OK);
	assert_str(&u->user,
	           "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
	from = get_from(m);
	assert_str(&from->display, "token1~` token2'+_ token3*%!.-");
	assert_str(&from->tag_value, "_token~1'+`*%!-.");
	p = param_find(from->param_lst, "fromParam''~+*_!.-%");
	assert_non_null(p);
	assert_true(p->quoted);
	assert_str(&p->body, "\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0"
	                     "\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9");
	assert_str(&m->callid->body, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"]"
	                             "[?}{");
	assert_int_equal(get_cseq(m)->num, 139122385);
	assert_str(&get_cseq(m)->method, meth);
	assert_int_equal(get_cseq(m)->method_id, METHOD_OTHER);
	assert_int_equal(get_max_forwards(m), 255);
	h = get_hdr_by_name(m, &ext, 0);
	assert_non_null(h);
	assert_int_equal(h->type, HDR_OTHER_T);
	assert_str(&h->body,
	           "\xef\xbb\xbf\xe5\xa4\xa7\xe5\x81\x9c\xe9\x9b\xbb");
	assert_int_equal(m->body.len, 0);
	tmsg_free(&t);
}

static void t_esc01(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct sip_uri *u, cu;
	struct contact *c;
	char buf[64];
	str v, plain = STR_LIT("user"), caller = STR_LIT("caller");
	int n;

	load_ok_request(&t, A "esc01.dat");
	m = t.msg;
	assert_int_equal(parse_sip_msg_uri(m), SV_OK);
	assert_str(&m->parsed_uri.user, "sips%3Auser%40example.com");
	assert_str(&m->parsed_uri.host, "example.net");
	n = uri_unescape(&m->parsed_uri.user, buf, sizeof(buf));
	assert_int_equal(n, 21);
	assert_memory_equal(buf, "sips:user@example.com", 21);
	assert_int_equal(parse_to_uri(m, &u), SV_OK);
	assert_str(&u->user, "%75se%72");
	assert_int_equal(uri_user_eq(&u->user, &plain), 1);
	assert_int_equal(parse_from_uri(m, &u), SV_OK);
	assert_str(&u->user, "I%20have%20spaces");
	assert_str(&get_from(m)->tag_value, "938");
	assert_int_equal(m->callid->type, HDR_CALLID_T);
	assert_str(&m->callid->name, "i");
	assert_str(&m->content_type->name, "C");
	/* check_request() leaves the Contact of an INVITE alone */
	assert_int_equal(parse_contacts(m), 1);
	c = hdr_contact(m->contact)->contacts;
	assert_int_equal(parse_uri(c->uri.s, c->uri.len, &cu), SV_OK);
	assert_int_equal(uri_user_eq(&cu.user, &caller), 1);
	assert_non_null(cu.lr.s); /* ";%6C%72" is lr */
	assert_int_equal(uri_find_param(&cu, "name", &v), SV_OK);
	assert_str(&v, "v%61lue%25%34%31");
	n = uri_unescape(&v, buf, sizeof(buf));
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "value%41", 8); /* not "valueA" */
	assert_int_equal(m->body.len, 150);
	tmsg_free(&t);
}

static void t_escnull(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct sip_uri *u;
	struct contact *c1, *c2;
	char buf[32];
	int n;

	load_ok_request(&t, B "escnull.dat");
	m = t.msg;
	assert_int_equal(parse_to_uri(m, &u), SV_OK);
	assert_str(&u->user, "null-%00-null");
	n = uri_unescape(&u->user, buf, sizeof(buf));
	assert_int_equal(n, 11); /* the NUL does not truncate */
	assert_memory_equal(buf, "null-\0-null", 11);
	assert_str(&get_from(m)->tag_value, "839923423");
	assert_int_equal(parse_contacts(m), 2);
	c1 = hdr_contact(m->contact)->contacts;
	c2 = hdr_contact(m->contact->sibling)->contacts;
	assert_str(&c1->uri, "sip:%00@host5.example.com");
	assert_str(&c2->uri, "sip:%00%00@host5.example.com");
	assert_int_equal(uri_str_eq(&c1->uri, &c2->uri), 0);
	assert_int_equal(uri_str_eq(&c1->uri, &c1->uri), 1);
	assert_str(&m->content_length->name, "L");
	assert_int_equal(hdr_num(m->content_length), 0);
	tmsg_free(&t);
}

static void t_esc02(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct hdr_field *h;
	str fake = STR_LIT("C%6Fntact"), contact = STR_LIT("contact");

	load_ok_request(&t, A "esc02.dat");
	m = t.msg;
	assert_str(&REQ_LINE(m).method, "RE%47IST%45R");
	assert_int_equal(REQ_LINE(m).method_value, METHOD_OTHER);
	assert_int_equal(get_cseq(m)->method_id, METHOD_OTHER);
	assert_str(&get_to(m)->display, "\"%Z%45\"");
	assert_str(&get_from(m)->display, "\"%Z%45\"");
	assert_str(&m->via1->branch->body, "z9hG4bK209%fzsnel234");
	/* two Contact values, not three */
	assert_int_equal(parse_contacts(m), 2);
	assert_int_equal(count_hdr_by_name(m, &contact), 2);
	assert_str(&hdr_contact(m->contact)->contacts->uri,
	           "sip:alias1@host1.example.com");
	assert_str(&hdr_contact(m->contact->sibling)->contacts->uri,
	           "sip:alias3@host3.example.com");
	h = get_hdr_by_name(m, &fake, 0);
	assert_non_null(h);
	assert_int_equal(h->type, HDR_OTHER_T);
	assert_str(&h->body, "<sip:alias2@host2.example.com>");
	assert_int_equal(check_ruri_scheme(m), SV_OK);
	tmsg_free(&t);
}

static void t_lwsdisp(void **state)
{
	struct tmsg t;
	struct to_body *from;

	load_ok_request(&t, B "lwsdisp.dat");
	from = get_from(t.msg);
	assert_str(&from->display, "caller");
	assert_str(&from->uri, "sip:caller@example.com");
	assert_str(&from->tag_value, "323");
	assert_int_equal(REQ_LINE(t.msg).method_value, METHOD_OPTIONS);
	tmsg_free(&t);
}

static void t_longreq(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct sip_uri *u;
	struct via_body *v;
	struct to_body *from;
	struct hdr_field *h;
	str lname = STR_LIT("Unknown-LongLongLongLongLongLongLongLongLongLong"
	                    "LongLongLongLongLongLongLongLongLongLong-Name");
	str val;
	char host[32];
	int i;

	load_ok_request(&t, A "longreq.dat");
	m = t.msg;
	assert_int_equal(msg_hdr_count(m, HDR_VIA_T), 34);
	for (i = 0; i < 33; i++) {
		v = nth_via(m, i);
		snprintf(host, sizeof(host), "sip%d.example.com", 33 - i);
		assert_int_equal(v->host.len, (int)strlen(host));
		assert_memory_equal(v->host.s, host, strlen(host));
		assert_int_equal(v->proto, PROTO_TCP);
	}
	v = nth_via(m, 33);
	assert_str(&v->host, "host.example.com");
	assert_str(&v->received->body, "192.0.2.5");
	assert_int_equal(v->branch->body.len, 215);
	assert_int_equal(parse_to_uri(m, &u), SV_OK);
	assert_int_equal(u->port_no, 6000);
	assert_int_equal(uri_find_param(u, "unknownparam1", &val), SV_OK);
	assert_int_equal(val.len, 89);
	assert_true(get_to(m)->display.len > 100);
	from = get_from(m);
	assert_int_equal(from->tag_value.len, 155);
	assert_memory_equal(from->tag_value.s + 151, "2424", 4);
	assert_str(&m->callid->body,
	           "longreq.onereallyreallyreallyreallyreally"
	           "reallyreallyreallyreallyreallyreallyreallyreallyreally"
	           "reallyreallyreallyreallyreallyreallylongcallid");
	assert_int_equal(get_cseq(m)->num, 3882340);
	h = get_hdr_by_name(m, &lname, 0);
	assert_non_null(h);
	assert_memory_equal(h->body.s, "unknown-longlong", 16);
	assert_int_equal(get_max_forwards(m), 70);
	assert_int_equal(m->body.len, 150);
	tmsg_free(&t);
}

static void t_dblreq(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	str t_hdr = STR_LIT("t");

	load_ok_request(&t, B "dblreq.dat");
	m = t.msg;
	assert_int_equal(REQ_LINE(m).method_value, METHOD_REGISTER);
	assert_int_equal(m->body.len, 0);
	assert_ptr_equal(m->last_header, m->content_length);
	assert_int_equal(m->hdr_count, 8);
	assert_int_equal(msg_hdr_count(m, HDR_VIA_T), 1);
	/* "t" is To: only the REGISTER's own To is found */
	assert_int_equal(count_hdr_by_name(m, &t_hdr), 1);
	assert_ptr_equal(get_hdr_by_name(m, &t_hdr, 0), m->to);
	assert_str(&m->callid->body, "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
	assert_str(&m->via1->branch->body, "z9hG4bKkdjuw23492");
	/* the INVITE behind the REGISTER starts right after the body */
	assert_memory_equal(m->body.s, "INVITE ", 7);
	tmsg_free(&t);
}

static void t_semiuri(void **state)
{
	struct tmsg t;
	struct sip_msg *m;

	load_ok_request(&t, A "semiuri.dat");
	m = t.msg;
	assert_int_equal(parse_sip_msg_uri(m), SV_OK);
	assert_str(&m->parsed_uri.user, "user;par=u%40example.net");
	assert_str(&m->parsed_uri.host, "example.com");
	assert_str_empty(&m->parsed_uri.params);
	assert_null(m->parsed_uri.params.s);
	assert_str(&m->accept->body,
	           "application/sdp, application/pkcs7-mime,"
	           "\r\n        multipart/mixed, multipart/signed,"
	           "\r\n        message/sip, message/sipfrag");
	tmsg_free(&t);
}

static void t_transports(void **state)
{
	static const int protos[] = {PROTO_UDP, PROTO_SCTP, PROTO_TLS,
	                             PROTO_OTHER, PROTO_TCP};
	struct tmsg t;
	struct via_body *v;
	char host[32];
	int i;

	load_ok_request(&t, B "transports.dat");
	for (i = 0; i < 5; i++) {
		v = nth_via(t.msg, i);
		assert_int_equal(v->proto, protos[i]);
		snprintf(host, sizeof(host), "t%d.example.com", i + 1);
		assert_memory_equal(v->host.s, host, strlen(host));
		assert_non_null(v->branch);
	}
	assert_str(&nth_via(t.msg, 3)->transport, "UNKNOWN");
	assert_str(&t.msg->callid->body, "transports.kijh4akdnaqjkwendsasfdj");
	tmsg_free(&t);
}

static void t_mpart01(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct content_type *ct;
	struct sip_uri *u;

	load_ok_request(&t, A "mpart01.dat");
	m = t.msg;
	assert_int_equal(REQ_LINE(m).method_value, METHOD_MESSAGE);
	assert_int_equal(m->body.len, 553);
	assert_ptr_equal(m->body.s + m->body.len, t.buf + t.len);
	assert_non_null(memchr(m->body.s, '\0', m->body.len));
	assert_int_equal(parse_content_type_header(m), SV_OK);
	ct = get_content_type(m);
	assert_true(content_type_is(ct, "multipart", "mixed"));
	assert_str(&param_find(ct->params, "boundary")->body,
	           "7a9cbec02ceef655");
	assert_str(&m->via1->host, "127.0.0.1");
	assert_int_equal(m->via1->host_type, HOST_IPV4);
	assert_int_equal(m->via1->port, 5070);
	assert_non_null(m->via1->rport);
	assert_int_equal(m->via1->rport->has_value, 0);
	assert_int_equal(parse_rr_header(m, m->route), SV_OK);
	assert_int_equal(rr_uri(m, hdr_rr(m->route), &u), SV_OK);
	assert_int_equal(u->port_no, 5080);
	assert_int_equal(rr_is_loose(m, hdr_rr(m->route)), 0);
	tmsg_free(&t);
}

static void t_unreason(void **state)
{
	struct tmsg t;

	load_ok_reply(&t, B "unreason.dat");
	assert_int_equal(REPLY_LINE(t.msg).statuscode, 200);
	assert_str(&REPLY_LINE(t.msg).reason,
	           "= 2**3 * 5**2 \xd0\xbd\xd0\xbe \xd1\x81\xd1\x82\xd0\xbe "
	           "\xd0\xb4\xd0\xb5\xd0\xb2\xd1\x8f\xd0\xbd\xd0\xbe\xd1\x81"
	           "\xd1\x82\xd0\xbe \xd0\xb4\xd0\xb5\xd0\xb2\xd1\x8f\xd1\x82"
	           "\xd1\x8c - \xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe"
	           "\xd0\xb5");
	assert_int_equal(t.msg->body.len, 154);
	tmsg_free(&t);
}

static void t_noreason(void **state)
{
	struct tmsg t;

	load_ok_reply(&t, A "noreason.dat");
	assert_int_equal(REPLY_LINE(t.msg).statuscode, 100);
	assert_str(&REPLY_LINE(t.msg).status, "100");
	assert_str_empty(&REPLY_LINE(t.msg).reason);
	assert_str(&t.msg->first_line.line, "SIP/2.0 100 \r\n");
	tmsg_free(&t);
}

/* ---------------------------------------------- 3.1.2 invalid messages -- */

static void t_badinv01(void **state)
{
	expect_check_rc(B "badinv01.dat", SV_EBADMSG, 400);
}

static void t_clerr(void **state)
{
	expect_parse_400(A "clerr.dat");
}

static void t_ncl(void **state)
{
	expect_parse_400(B "ncl.dat");
}

static void t_scalar02(void **state)
{
	struct tmsg t;
	struct contact *c;
	unsigned int e;

	expect_check_rc(A "scalar02.dat", SV_EBADMSG, 400);
	tmsg_load(&t, A "scalar02.dat");
	assert_int_equal(parse_cseq_header(t.msg), SV_EBADMSG);
	assert_int_equal(get_max_forwards(t.msg), SV_EBADMSG);
	assert_int_equal(parse_expires_header(t.msg, t.msg->expires),
	                 SV_EBADMSG);
	assert_int_equal(parse_contacts(t.msg), 1);
	c = hdr_contact(t.msg->contact)->contacts;
	assert_str(&c->expires->body, "280297596632815");
	assert_int_equal(contact_expires(c, &e), SV_EINVAL);
	tmsg_free(&t);
}

static void t_scalarlg(void **state)
{
	struct tmsg t;

	tmsg_load(&t, B "scalarlg.dat");
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(REPLY_LINE(t.msg).statuscode, 503);
	assert_int_equal(check_reply(t.msg), SV_EBADMSG); /* dropped */
	tmsg_free(&t);
}

static void t_quotbal(void **state)
{
	expect_check_rc(A "quotbal.dat", SV_EBADMSG, 400);
}

static void t_ltgtruri(void **state)
{
	expect_parse_400(B "ltgtruri.dat");
}

static void t_lwsruri(void **state)
{
	expect_parse_400(A "lwsruri.dat");
}

static void t_lwsstart(void **state)
{
	expect_parse_400(B "lwsstart.dat");
}

static void t_trws(void **state)
{
	expect_parse_400(A "trws.dat");
}

static void t_escruri(void **state)
{
	struct tmsg t;

	expect_check_rc(B "escruri.dat", SV_EBADURI, 400);
	tmsg_load(&t, B "escruri.dat");
	assert_int_equal(check_request(t.msg), SV_EBADURI);
	assert_str(&t.msg->parsed_orig_ruri.headers,
	           "Route=%3Csip:example.com%3E");
	tmsg_free(&t);
}

static void t_baddate(void **state)
{
	struct tmsg t;

	/* a proxy does not use Date: it may forward the message */
	load_ok_request(&t, A "baddate.dat");
	assert_str(&t.msg->date->body, "Fri, 01 Jan 2010 16:00:00 EST");
	assert_int_equal(t.msg->body.len, 150);
	tmsg_free(&t);
}

static void t_regbadct(void **state)
{
	expect_check_rc(B "regbadct.dat", SV_EBADMSG, 400);
}

static void t_badaspec(void **state)
{
	expect_check_rc(A "badaspec.dat", SV_EBADMSG, 400);
}

static void t_baddn(void **state)
{
	expect_check_rc(B "baddn.dat", SV_EBADMSG, 400);
}

static void t_badvers(void **state)
{
	struct tmsg t;

	expect_check_rc(A "badvers.dat", SV_EBADVER, 505);
	tmsg_load(&t, A "badvers.dat");
	assert_str(&REQ_LINE(t.msg).version, "SIP/7.0");
	assert_int_equal(check_request(t.msg), SV_EBADVER);
	assert_str(&t.msg->err.rreason, "Version Not Supported");
	tmsg_free(&t);
}

static void t_mismatch01(void **state)
{
	expect_check_rc(B "mismatch01.dat", SV_EBADMSG, 400);
}

static void t_mismatch02(void **state)
{
	struct tmsg t;

	expect_check_rc(A "mismatch02.dat", SV_ENOTIMPL, 501);
	tmsg_load(&t, A "mismatch02.dat");
	assert_str(&REQ_LINE(t.msg).method, "NEWMETHOD");
	assert_int_equal(check_request(t.msg), SV_ENOTIMPL);
	assert_str(&t.msg->err.rreason, "Not Implemented");
	tmsg_free(&t);
}

static void t_bigcode(void **state)
{
	expect_parse_400(B "bigcode.dat");
}

/* ------------------------------------ 3.2 transaction layer semantics -- */

static void t_badbranch(void **state)
{
	struct tmsg t;

	load_ok_request(&t, A "badbranch.dat");
	assert_str(&t.msg->via1->branch->body, "z9hG4bK");
	tmsg_free(&t);
}

/* ------------------------------------ 3.3 application-layer semantics -- */

static void t_insuf(void **state)
{
	struct tmsg t;

	expect_check_rc(B "insuf.dat", SV_EBADMSG, 400);
	tmsg_load(&t, B "insuf.dat");
	assert_null(t.msg->callid);
	assert_null(t.msg->from);
	assert_null(t.msg->to);
	tmsg_free(&t);
}

static void expect_416(const char *path, const char *scheme)
{
	struct tmsg t;

	load_ok_request(&t, path);
	assert_int_equal(check_ruri_scheme(t.msg), SV_EBADSCHEME);
	assert_int_equal(t.msg->err.rcode, 416);
	assert_str(&t.msg->err.rreason, "Unsupported URI Scheme");
	assert_int_equal(t.msg->parsed_uri.type, URI_OTHER);
	assert_int_equal(t.msg->parsed_uri.scheme.len, (int)strlen(scheme));
	assert_memory_equal(t.msg->parsed_uri.scheme.s, scheme, strlen(scheme));
	tmsg_free(&t);
}

static void t_unkscm(void **state)
{
	expect_416(A "unkscm.dat", "nobodyKnowsThisScheme");
}

static void t_novelsc(void **state)
{
	expect_416(B "novelsc.dat", "soap.beep");
}

static void t_unksm2(void **state)
{
	struct tmsg t;
	struct sip_uri *u;
	struct contact *c;
	struct sip_uri cu;

	load_ok_request(&t, A "unksm2.dat");
	assert_int_equal(check_ruri_scheme(t.msg), SV_OK);
	assert_int_equal(parse_to_uri(t.msg, &u), SV_OK);
	assert_int_equal(u->type, URI_OTHER);
	assert_str(&u->opaque, "2983792873");
	assert_int_equal(parse_from_uri(t.msg, &u), SV_OK);
	assert_str(&u->scheme, "http");
	c = hdr_contact(t.msg->contact)->contacts;
	assert_int_equal(parse_uri(c->uri.s, c->uri.len, &cu), SV_OK);
	assert_str(&cu.scheme, "name");
	tmsg_free(&t);
}

static void t_bext01(void **state)
{
	struct tmsg t;
	struct opt_tags *req, *preq;

	load_ok_request(&t, B "bext01.dat");
	assert_int_equal(parse_opt_tags_header(t.msg, t.msg->require), SV_OK);
	assert_int_equal(parse_opt_tags_header(t.msg, t.msg->proxy_require),
	                 SV_OK);
	req = t.msg->require->parsed;
	preq = t.msg->proxy_require->parsed;
	assert_int_equal(req->count, 2);
	assert_str(&req->tags[0], "nothingSupportsThis");
	assert_str(&req->tags[1], "nothingSupportsThisEither");
	assert_int_equal(preq->count, 2);
	assert_str(&preq->tags[0], "noProxiesSupportThis");
	assert_str(&preq->tags[1], "norDoAnyProxiesSupportThis");
	assert_int_equal(t.msg->via1->proto, PROTO_TLS);
	tmsg_free(&t);
}

static void t_invut(void **state)
{
	struct tmsg t;

	load_ok_request(&t, A "invut.dat");
	assert_int_equal(parse_content_type_header(t.msg), SV_OK);
	assert_true(content_type_is(get_content_type(t.msg), "application",
	                            "unknownformat"));
	assert_int_equal(t.msg->body.len, 40);
	tmsg_free(&t);
}

static void t_regaut01(void **state)
{
	struct tmsg t;

	load_ok_request(&t, B "regaut01.dat");
	assert_str(&t.msg->authorization->body,
	           "NoOneKnowsThisScheme opaque-data=here");
	assert_int_equal(hdr_num(t.msg->content_length), 0);
	tmsg_free(&t);
}

static void t_multi01(void **state)
{
	struct tmsg t;

	expect_check_rc(A "multi01.dat", SV_EBADMSG, 400);
	tmsg_load(&t, A "multi01.dat");
	assert_int_equal(msg_hdr_count(t.msg, HDR_CALLID_T), 2);
	assert_int_equal(msg_hdr_count(t.msg, HDR_CSEQ_T), 2);
	assert_int_equal(msg_hdr_count(t.msg, HDR_TO_T), 2);
	assert_int_equal(msg_hdr_count(t.msg, HDR_FROM_T), 2);
	assert_int_equal(msg_hdr_count(t.msg, HDR_MAXFORWARDS_T), 2);
	tmsg_free(&t);
}

static void t_mcl01(void **state)
{
	expect_parse_400(B "mcl01.dat");
}

static void t_bcast(void **state)
{
	struct tmsg t;

	load_ok_reply(&t, A "bcast.dat");
	assert_int_equal(parse_via2(t.msg), SV_OK);
	assert_str(&t.msg->via2->host, "255.255.255.255");
	assert_int_equal(t.msg->via2->host_type, HOST_IPV4);
	assert_int_equal(t.msg->body.len, 154);
	tmsg_free(&t);
}

static void t_zeromf(void **state)
{
	struct tmsg t;

	load_ok_request(&t, B "zeromf.dat");
	assert_int_equal(get_max_forwards(t.msg), 0);
	tmsg_free(&t);
}

static void t_cparam01(void **state)
{
	struct tmsg t;
	struct contact *c;
	struct sip_uri u;

	load_ok_request(&t, A "cparam01.dat");
	c = hdr_contact(t.msg->contact)->contacts;
	assert_str(&c->uri, "sip:+19725552222@gw1.example.net");
	assert_str(&c->params->name, "unknownparam");
	assert_int_equal(parse_uri(c->uri.s, c->uri.len, &u), SV_OK);
	assert_null(u.params.s);
	tmsg_free(&t);
}

static void t_cparam02(void **state)
{
	struct tmsg t;
	struct contact *c;
	struct sip_uri u;
	str v;

	load_ok_request(&t, B "cparam02.dat");
	c = hdr_contact(t.msg->contact)->contacts;
	assert_str(&c->uri, "sip:+19725552222@gw1.example.net;unknownparam");
	assert_null(c->params);
	assert_int_equal(parse_uri(c->uri.s, c->uri.len, &u), SV_OK);
	assert_int_equal(uri_find_param(&u, "unknownparam", &v), SV_OK);
	tmsg_free(&t);
}

static void t_regescrt(void **state)
{
	struct tmsg t;
	struct contact *c;
	struct sip_uri u;

	load_ok_request(&t, A "regescrt.dat");
	c = hdr_contact(t.msg->contact)->contacts;
	assert_int_equal(parse_uri(c->uri.s, c->uri.len, &u), SV_OK);
	assert_str(&u.headers, "Route=%3Csip:sip.example.com%3E");
	assert_str(&u.host, "example.com");
	tmsg_free(&t);
}

static void t_sdp01(void **state)
{
	struct tmsg t;

	load_ok_request(&t, B "sdp01.dat");
	assert_str(&t.msg->accept->body, "text/nobodyKnowsThis");
	assert_int_equal(t.msg->body.len, 150);
	tmsg_free(&t);
}

/* ------------------------------------------ 3.4 backward compatibility -- */

static void t_inv2543(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct rr *r;
	struct sip_uri *u;

	load_ok_request(&t, A "inv2543.dat");
	m = t.msg;
	assert_null(m->via1->branch);
	assert_null(get_from(m)->tag);
	assert_null(m->content_length);
	assert_null(m->max_forwards);
	assert_ptr_equal(m->body.s + m->body.len, t.buf + t.len);
	assert_memory_equal(m->body.s, "v=0\r\n", 5);
	assert_int_equal(parse_rr_header(m, m->record_route), SV_OK);
	r = hdr_rr(m->record_route);
	assert_int_equal(rr_uri(m, r, &u), SV_OK);
	assert_str(&u->maddr_val, "ss1.example.com");
	/* From has ;user=phone inside <>: a URI parameter */
	assert_int_equal(parse_from_uri(m, &u), SV_OK);
	assert_str(&u->user_param_val, "phone");
	/* To is an addr-spec: there ;user=phone is a header parameter */
	assert_int_equal(parse_to_uri(m, &u), SV_OK);
	assert_null(u->user_param.s);
	assert_str(&param_find(get_to(m)->param_lst, "user")->body, "phone");
	tmsg_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_wsinv),      cmocka_unit_test(t_intmeth),
	    cmocka_unit_test(t_esc01),      cmocka_unit_test(t_escnull),
	    cmocka_unit_test(t_esc02),      cmocka_unit_test(t_lwsdisp),
	    cmocka_unit_test(t_longreq),    cmocka_unit_test(t_dblreq),
	    cmocka_unit_test(t_semiuri),    cmocka_unit_test(t_transports),
	    cmocka_unit_test(t_mpart01),    cmocka_unit_test(t_unreason),
	    cmocka_unit_test(t_noreason),   cmocka_unit_test(t_badinv01),
	    cmocka_unit_test(t_clerr),      cmocka_unit_test(t_ncl),
	    cmocka_unit_test(t_scalar02),   cmocka_unit_test(t_scalarlg),
	    cmocka_unit_test(t_quotbal),    cmocka_unit_test(t_ltgtruri),
	    cmocka_unit_test(t_lwsruri),    cmocka_unit_test(t_lwsstart),
	    cmocka_unit_test(t_trws),       cmocka_unit_test(t_escruri),
	    cmocka_unit_test(t_baddate),    cmocka_unit_test(t_regbadct),
	    cmocka_unit_test(t_badaspec),   cmocka_unit_test(t_baddn),
	    cmocka_unit_test(t_badvers),    cmocka_unit_test(t_mismatch01),
	    cmocka_unit_test(t_mismatch02), cmocka_unit_test(t_bigcode),
	    cmocka_unit_test(t_badbranch),  cmocka_unit_test(t_insuf),
	    cmocka_unit_test(t_unkscm),     cmocka_unit_test(t_novelsc),
	    cmocka_unit_test(t_unksm2),     cmocka_unit_test(t_bext01),
	    cmocka_unit_test(t_invut),      cmocka_unit_test(t_regaut01),
	    cmocka_unit_test(t_multi01),    cmocka_unit_test(t_mcl01),
	    cmocka_unit_test(t_bcast),      cmocka_unit_test(t_zeromf),
	    cmocka_unit_test(t_cparam01),   cmocka_unit_test(t_cparam02),
	    cmocka_unit_test(t_regescrt),   cmocka_unit_test(t_sdp01),
	    cmocka_unit_test(t_inv2543),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
