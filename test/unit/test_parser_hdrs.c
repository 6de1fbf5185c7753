/*
 * test_parser_hdrs.c - the header body parsers, one group per header type:
 * Via, To/From, CSeq, Contact, Route/Record-Route/Path, the numeric headers,
 * option-tag lists, Content-Type, and the per-type dispatcher.
 *
 * Each case builds a small request around one header value, parses it from
 * an exact-size buffer and checks the parsed fields (or the 400 for bad
 * values).
 */
#include "parser_testutil.h"

#include "core/parser/contact.h"
#include "core/parser/content_type.h"
#include "core/parser/cseq.h"
#include "core/parser/hdr_find.h"
#include "core/parser/method.h"
#include "core/parser/num_hdr.h"
#include "core/parser/opt_tags.h"
#include "core/parser/rr.h"
#include "core/parser/to_from.h"
#include "core/parser/via.h"

/* Parses "OPTIONS ... \r\n<name>: <value>\r\n\r\n"; returns its header. */
static struct hdr_field *one_hdr(struct tmsg *t, const char *name,
                                 const char *value)
{
	char text[2048];

	snprintf(text, sizeof(text),
	         "OPTIONS sip:a@example.com SIP/2.0\r\n"
	         "%s: %s\r\n\r\n",
	         name, value);
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
	assert_non_null(t->msg->headers);
	return t->msg->headers;
}

/* The body parser of the header's type must refuse value with a 400. */
static void expect_bad(const char *name, const char *value)
{
	struct tmsg t;
	struct hdr_field *h = one_hdr(&t, name, value);
	int rc = parse_hdr_body(t.msg, h);

	if (rc != SV_EBADMSG)
		fail_msg("%s: accepted [%s] (rc %d)", name, value, rc);
	assert_int_equal(t.msg->err.rcode, 400);
	assert_int_equal(h->pstate, SV_EBADMSG);
	assert_int_equal(parse_hdr_body(t.msg, h), SV_EBADMSG); /* cached */
	tmsg_free(&t);
}

/* ----------------------------------------------------------------- Via -- */

static void t_via_all_params(void **state)
{
	struct tmsg t;
	struct hdr_field *h;
	struct via_body *v;

	h = one_hdr(&t, "Via",
	            "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;"
	            "rport;received=10.0.0.1;maddr=224.2.0.1;"
	            "ttl=16;alias;i=5;x=y");
	assert_int_equal(parse_via1(t.msg), SV_OK);
	v = t.msg->via1;
	assert_ptr_equal(v, hdr_via(h));
	assert_str(&v->name, "SIP");
	assert_str(&v->version, "2.0");
	assert_str(&v->transport, "UDP");
	assert_int_equal(v->proto, PROTO_UDP);
	assert_str(&v->host, "192.0.2.1");
	assert_int_equal(v->host_type, HOST_IPV4);
	assert_str(&v->port_str, "5060");
	assert_int_equal(v->port, 5060);
	assert_str(&v->branch->body, "z9hG4bK1");
	assert_non_null(v->rport);
	assert_false(v->rport->has_value);
	assert_str(&v->received->body, "10.0.0.1");
	assert_str(&v->maddr->body, "224.2.0.1");
	assert_str(&v->ttl->body, "16");
	assert_non_null(v->alias);
	assert_str(&v->i->body, "5");
	assert_str(&v->last_param->name, "x");
	assert_str(&v->params, "branch=z9hG4bK1;rport;received=10.0.0.1;"
	                       "maddr=224.2.0.1;ttl=16;alias;i=5;x=y");
	assert_str(&v->hdr, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport;"
	                    "received=10.0.0.1;maddr=224.2.0.1;ttl=16;alias;"
	                    "i=5;x=y");
	assert_null(v->next);
	assert_int_equal(parse_via2(t.msg), SV_ENOTFOUND);
	tmsg_free(&t);
}

static void t_via_ipv6_rport_value(void **state)
{
	struct tmsg t;
	struct via_body *v;

	one_hdr(&t, "v",
	        "SIP/2.0/TLS [2001:db8::9]:5061;branch=z9hG4bK2;"
	        "received=2001:db8::9;rport=5070");
	assert_int_equal(parse_via1(t.msg), SV_OK);
	v = t.msg->via1;
	assert_int_equal(v->proto, PROTO_TLS);
	assert_str(&v->host, "[2001:db8::9]");
	assert_int_equal(v->host_type, HOST_IPV6);
	assert_int_equal(v->port, 5061);
	assert_str(&v->received->body, "2001:db8::9");
	assert_true(v->rport->has_value);
	assert_str(&v->rport->body, "5070");
	tmsg_free(&t);
}

static void t_via_list_with_lws(void **state)
{
	struct tmsg t;
	struct via_body *v;

	one_hdr(&t, "Via",
	        "SIP / 2.0 / udp a.example.com ; branch = b1 ,\r\n"
	        " SIP/2.0/TCP b.example.com:5070 ,SIP/2.0/SCTP c");
	assert_int_equal(parse_via2(t.msg), SV_OK);
	v = t.msg->via1;
	assert_int_equal(v->proto, PROTO_UDP);
	assert_str(&v->transport, "udp");
	assert_str(&v->branch->body, "b1");
	assert_str(&v->hdr, "SIP / 2.0 / udp a.example.com ; branch = b1");
	assert_ptr_equal(t.msg->via2, v->next);
	assert_ptr_equal(t.msg->h_via2, t.msg->h_via1);
	v = v->next;
	assert_str(&v->host, "b.example.com");
	assert_int_equal(v->port, 5070);
	assert_null(v->param_lst);
	assert_str(&v->hdr, "SIP/2.0/TCP b.example.com:5070");
	v = v->next;
	assert_int_equal(v->proto, PROTO_SCTP);
	assert_str(&v->host, "c");
	assert_null(v->next);
	tmsg_free(&t);
}

static void t_via_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "SIP/2.0/UDP",
	    "SIP/2.0 host",
	    "SIP/2.0/UDPhost",
	    "SIP//UDP host",
	    "SIP/2.0/UDP host:70000",
	    "SIP/2.0/UDP host:",
	    "SIP/2.0/UDP ho st",
	    "SIP/2.0/UDP host;branch",
	    "SIP/2.0/UDP host;branch=\"q\"",
	    "SIP/2.0/UDP host;received=h.x",
	    "SIP/2.0/UDP host;rport=abc",
	    "SIP/2.0/UDP host;rport=123456",
	    "SIP/2.0/UDP host;ttl=300",
	    "SIP/2.0/UDP host;maddr=a b",
	    "SIP/2.0/UDP host;;branch=1",
	    "SIP/2.0/UDP host,",
	    "SIP/2.0/UDP host (comment)",
	    "SIP/2.0/UDP [::1",
	    "SIP/2.0/UDP 192.0.2.15;;,;,,",
	    "SIP/2.0/UDP h;x=",
	    "SIP/2.0/UDP h;x=\"open",
	    "SIP/2.0/UDP h x",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad("Via", bad[i]);
}

static void t_via_second_header(void **state)
{
	struct tmsg t;

	tmsg_parse(&t, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP one;branch=1\r\n"
	               "X: y\r\nVia: SIP/2.0/UDP two;branch=2\r\n\r\n");
	assert_int_equal(parse_via2(t.msg), SV_OK);
	assert_str(&t.msg->via2->host, "two");
	assert_ptr_equal(t.msg->h_via2, t.msg->h_via1->sibling);
	tmsg_free(&t);
	tmsg_parse(&t, "SIP/2.0 200 OK\r\nX: y\r\n\r\n");
	assert_int_equal(parse_via1(t.msg), SV_ENOTFOUND);
	tmsg_free(&t);
}

/* ------------------------------------------------------------- To/From -- */

static void t_to_forms(void **state)
{
	struct tmsg t;
	struct to_body *tb;
	struct sip_uri *u;

	one_hdr(&t, "To",
	        "\"Bob \\\"B\\\"\" <sip:bob@example.com;lr>"
	        " ; tag = a6c85cf ;foo=bar;flag");
	assert_int_equal(parse_to_header(t.msg), SV_OK);
	tb = get_to(t.msg);
	assert_str(&tb->display, "\"Bob \\\"B\\\"\"");
	assert_str(&tb->uri, "sip:bob@example.com;lr");
	assert_str(&tb->tag_value, "a6c85cf");
	assert_str(&tb->tag->full, "tag = a6c85cf");
	assert_str(&param_find(tb->param_lst, "FOO")->body, "bar");
	assert_str(&tb->last_param->name, "flag");
	assert_int_equal(parse_to_uri(t.msg, &u), SV_OK);
	assert_non_null(u->lr.s);
	assert_ptr_equal(u, tb->parsed_uri);
	tmsg_free(&t);

	one_hdr(&t, "f", "Alice Liddell <sips:alice@example.com>;tag=1");
	assert_int_equal(parse_from_header(t.msg), SV_OK);
	assert_str(&get_from(t.msg)->display, "Alice Liddell");
	assert_int_equal(parse_from_uri(t.msg, &u), SV_OK);
	assert_int_equal(u->type, URI_SIPS);
	tmsg_free(&t);

	one_hdr(&t, "To", "tel:+1-201-555-0123;tag=9");
	assert_int_equal(parse_to_header(t.msg), SV_OK);
	assert_str(&get_to(t.msg)->uri, "tel:+1-201-555-0123");
	assert_str(&get_to(t.msg)->tag_value, "9");
	assert_str_empty(&get_to(t.msg)->display);
	tmsg_free(&t);

	one_hdr(&t, "To", "<sip:b@h>");
	assert_int_equal(parse_to_header(t.msg), SV_OK);
	assert_null(get_to(t.msg)->tag);
	assert_str_empty(&get_to(t.msg)->tag_value);
	assert_null(t.msg->from);
	tmsg_free(&t);
}

static void t_to_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "\"Mr. J. User <sip:j.user@example.com>",
	    "< sip:a@b >",
	    "<sip:a@b",
	    "<sip:a@b> x",
	    "sip:a@b, sip:c@d",
	    "Bell, Alexander <sip:a@b>",
	    "<sip:a@b>;tag",
	    "<sip:a@b>;tag=\"x\"",
	    "sip:a@b?x=y",
	    "<>",
	    "\"x\"sip:a@b",
	    "<sip:a b@c>",
	    "<sip:a@b>;;tag=1",
	    "Name",
	    "<1sip:a@b>",
	    "<sip:a@b>>",
	    "name<:x>",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad("To", bad[i]);
}

static void t_to_bad_uri(void **state)
{
	struct tmsg t;
	struct sip_uri *u;

	one_hdr(&t, "From", "<sip:@bad>;tag=1");
	assert_int_equal(parse_from_header(t.msg), SV_OK);
	assert_int_equal(parse_from_uri(t.msg, &u), SV_EBADURI);
	assert_int_equal(t.msg->err.rcode, 400);
	assert_int_equal(parse_from_uri(t.msg, &u), SV_EBADURI);
	assert_int_equal(parse_to_uri(t.msg, &u), SV_ENOTFOUND);
	tmsg_free(&t);
}

/* ---------------------------------------------------------------- CSeq -- */

static void t_cseq(void **state)
{
	struct tmsg t;

	one_hdr(&t, "CSeq", "0009\r\n  INVITE");
	assert_int_equal(parse_cseq_header(t.msg), SV_OK);
	assert_int_equal(get_cseq(t.msg)->num, 9);
	assert_str(&get_cseq(t.msg)->number, "0009");
	assert_str(&get_cseq(t.msg)->method, "INVITE");
	assert_int_equal(get_cseq(t.msg)->method_id, METHOD_INVITE);
	tmsg_free(&t);
	one_hdr(&t, "CSeq", "4294967295 FOO");
	assert_int_equal(parse_cseq_header(t.msg), SV_OK);
	assert_int_equal(get_cseq(t.msg)->num, 4294967295u);
	assert_int_equal(get_cseq(t.msg)->method_id, METHOD_OTHER);
	tmsg_free(&t);
	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\nX: y\r\n\r\n");
	assert_int_equal(parse_cseq_header(t.msg), SV_ENOTFOUND);
	tmsg_free(&t);
}

static void t_cseq_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "INVITE",
	    "1",
	    "1INVITE",
	    "-1 INVITE",
	    "1 INVITE x",
	    "1 INV/ITE",
	    "4294967296 INVITE",
	    "36893488147419103232 REGISTER",
	    "1.0 INVITE",
	    "1 \"INVITE\"",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad("CSeq", bad[i]);
}

/* ------------------------------------------------------------- Contact -- */

static void t_contact_list(void **state)
{
	struct tmsg t;
	struct contact_body *cb;
	struct contact *c;
	unsigned int e;
	int q;

	one_hdr(&t, "m",
	        "\"Mr. W\" <sip:w@h1:5060;transport=tcp>;q=0.7;"
	        "expires=3600;methods=\"INVITE, BYE\";received="
	        "\"sip:1.2.3.4:5\";+sip.instance=\"<urn:uuid:1>\" ,"
	        " sip:x@h2;q=1, T <sip:t@h3>");
	assert_int_equal(parse_contacts(t.msg), 3);
	cb = hdr_contact(t.msg->contact);
	assert_false(cb->star);
	c = cb->contacts;
	assert_str(&c->display, "\"Mr. W\"");
	assert_str(&c->uri, "sip:w@h1:5060;transport=tcp");
	assert_int_equal(contact_q(c, &q), SV_OK);
	assert_int_equal(q, 700);
	assert_int_equal(contact_expires(c, &e), SV_OK);
	assert_int_equal(e, 3600);
	assert_str(&c->methods->body, "INVITE, BYE");
	assert_true(c->methods->quoted);
	assert_str(&c->received->body, "sip:1.2.3.4:5");
	assert_str(&c->instance->body, "<urn:uuid:1>");
	assert_memory_equal(c->full.s, "\"Mr. W\" <sip:w@h1", 17);
	assert_memory_equal(c->full.s + c->full.len - 13, "<urn:uuid:1>\"", 13);
	c = c->next;
	assert_str(&c->uri, "sip:x@h2");
	assert_int_equal(contact_q(c, &q), SV_OK);
	assert_int_equal(q, 1000);
	assert_int_equal(contact_expires(c, &e), SV_ENOTFOUND);
	c = c->next;
	assert_str(&c->display, "T");
	assert_int_equal(contact_q(c, &q), SV_ENOTFOUND);
	assert_null(c->next);
	tmsg_free(&t);
}

static void t_contact_star(void **state)
{
	struct tmsg t;

	one_hdr(&t, "Contact", "*");
	assert_int_equal(parse_contacts(t.msg), 0);
	assert_true(hdr_contact(t.msg->contact)->star);
	assert_null(hdr_contact(t.msg->contact)->contacts);
	tmsg_free(&t);
}

static void t_contact_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "*, <sip:a@b>",
	    "<sip:a@b>, *",
	    "<sip:a@b>;q=1.5",
	    "<sip:a@b>;q=0.1234",
	    "<sip:a@b>;q=abc",
	    "<sip:a@b>;q",
	    "<sip:a@b>;;",
	    "<sip:a@b>,",
	    "\"Joe\" <sip:joe@example.org>;;;;",
	    "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
	    "* ;expires=0",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad("Contact", bad[i]);
}

/* ------------------------------------------------ Route / Record-Route -- */

static void t_route_lists(void **state)
{
	struct tmsg t;
	struct rr *r;
	struct sip_uri *u;

	tmsg_parse(&t,
	           "INVITE sip:a@b SIP/2.0\r\n"
	           "Route: <sip:p1.example.com;lr>, \"n\" <sip:p2:5080>;x=y\r\n"
	           "Route: <sip:p3;lr=on>\r\n\r\n");
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(parse_rr_headers(t.msg, HDR_ROUTE_T), 3);
	r = hdr_rr(t.msg->route);
	assert_str(&r->uri, "sip:p1.example.com;lr");
	assert_int_equal(rr_is_loose(t.msg, r), 1);
	assert_str(&r->full, "<sip:p1.example.com;lr>");
	r = r->next;
	assert_str(&r->display, "\"n\"");
	assert_str(&r->full, "\"n\" <sip:p2:5080>;x=y");
	assert_str(&r->params->body, "y");
	assert_int_equal(rr_is_loose(t.msg, r), 0);
	assert_int_equal(rr_uri(t.msg, r, &u), SV_OK);
	assert_int_equal(u->port_no, 5080);
	r = hdr_rr(t.msg->route->sibling);
	assert_int_equal(rr_is_loose(t.msg, r), 1);
	assert_str(&r->parsed_uri->lr_val, "on");
	assert_int_equal(parse_rr_headers(t.msg, HDR_PATH_T), 0);
	tmsg_free(&t);
}

static void t_route_bad(void **state)
{
	static const char *const bad[] = {
	    "",           "sip:p1;lr", "<sip:p1>,",   "<sip:p1> <sip:p2>",
	    "<sip:p1>;;", "<sip:p1",   "name sip:p1",
	};
	struct tmsg t;
	struct rr *r;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad("Record-Route", bad[i]);
	one_hdr(&t, "Route", "<sip:@x>");
	assert_int_equal(parse_rr_header(t.msg, t.msg->route), SV_OK);
	r = hdr_rr(t.msg->route);
	assert_int_equal(rr_is_loose(t.msg, r), SV_EBADURI);
	tmsg_free(&t);
}

/* ----------------------------------------------------- numeric headers -- */

static void t_numbers(void **state)
{
	struct tmsg t;

	one_hdr(&t, "Max-Forwards", "0068");
	assert_int_equal(get_max_forwards(t.msg), 68);
	tmsg_free(&t);
	one_hdr(&t, "Max-Forwards", "255");
	assert_int_equal(get_max_forwards(t.msg), 255);
	tmsg_free(&t);
	one_hdr(&t, "Expires", "4294967295");
	assert_int_equal(parse_expires_header(t.msg, t.msg->expires), SV_OK);
	assert_int_equal(hdr_num(t.msg->expires), 4294967295u);
	tmsg_free(&t);
	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\nX: y\r\n\r\n");
	assert_int_equal(get_max_forwards(t.msg), SV_ENOTFOUND);
	tmsg_free(&t);
	expect_bad("Max-Forwards", "256");
	expect_bad("Max-Forwards", "300");
	expect_bad("Max-Forwards", "");
	expect_bad("Max-Forwards", "7 0");
	expect_bad("Expires", "4294967296");
	expect_bad("Expires", "1e3");
	expect_bad("Min-Expires", "-1");
	expect_bad("Expires", "Thu, 01 Dec 2040 16:00:00 GMT");
}

/* --------------------------------------------------------- option tags -- */

static void t_option_tags(void **state)
{
	struct tmsg t;
	struct opt_tags *o;

	one_hdr(&t, "Require", "100rel ,timer,\r\n precondition");
	assert_int_equal(parse_hdr_body(t.msg, t.msg->require), SV_OK);
	o = t.msg->require->parsed;
	assert_int_equal(o->count, 3);
	assert_str(&o->tags[0], "100rel");
	assert_str(&o->tags[1], "timer");
	assert_str(&o->tags[2], "precondition");
	assert_int_equal(opt_tags_has(o, "TIMER"), 1);
	assert_int_equal(opt_tags_has(o, "path"), 0);
	tmsg_free(&t);
	one_hdr(&t, "k", "");
	assert_int_equal(parse_hdr_body(t.msg, t.msg->supported), SV_OK);
	assert_int_equal(((struct opt_tags *)t.msg->supported->parsed)->count,
	                 0);
	tmsg_free(&t);
	expect_bad("Require", "");
	expect_bad("Proxy-Require", "a b");
	expect_bad("Proxy-Require", "a,,b");
	expect_bad("Unsupported", "a,");
	expect_bad("Supported", "a;b");
}

/* -------------------------------------------------------- Content-Type -- */

static void t_content_type(void **state)
{
	struct tmsg t;
	struct content_type *ct;

	one_hdr(&t, "c", "text / plain ; charset = utf-8;x=\"q v\"");
	assert_int_equal(parse_content_type_header(t.msg), SV_OK);
	ct = get_content_type(t.msg);
	assert_str(&ct->type, "text");
	assert_str(&ct->subtype, "plain");
	assert_true(content_type_is(ct, "TEXT", "Plain"));
	assert_false(content_type_is(ct, "text", "html"));
	assert_str(&param_find(ct->params, "charset")->body, "utf-8");
	assert_str(&param_find(ct->params, "x")->body, "q v");
	tmsg_free(&t);
	expect_bad("Content-Type", "application");
	expect_bad("Content-Type", "application/");
	expect_bad("Content-Type", "/sdp");
	expect_bad("Content-Type", "a/b c");
	expect_bad("Content-Type", "a/b, c/d");
	expect_bad("Content-Type", "");
}

/* ---------------------------------------------------------- dispatcher -- */

static void t_parse_all_bodies(void **state)
{
	struct tmsg t;
	struct hdr_field *h;

	tmsg_parse(
	    &t, "INVITE sip:b@example.com SIP/2.0\r\n"
	        "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	        "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
	        "Call-ID: c@h\r\nCSeq: 1 INVITE\r\nContact: <sip:a@h>\r\n"
	        "Route: <sip:r;lr>\r\nRecord-Route: <sip:rr;lr>\r\n"
	        "Path: <sip:p;lr>\r\nMax-Forwards: 70\r\nExpires: 30\r\n"
	        "Min-Expires: 20\r\nRequire: a\r\nProxy-Require: b\r\n"
	        "Supported: c\r\nUnsupported: d\r\n"
	        "Refer-To: <sip:x@y>\r\nReferred-By: <sip:z@y>\r\n"
	        "Content-Type: text/plain\r\nUser-Agent: t (x)\r\n"
	        "Content-Length: 0\r\n\r\n");
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(parse_all_hdr_bodies(t.msg), SV_OK);
	for (h = t.msg->headers; h; h = h->next) {
		if (h->type == HDR_CALLID_T || h->type == HDR_USERAGENT_T) {
			assert_int_equal(h->pstate, HDR_UNPARSED);
			continue;
		}
		assert_int_equal(h->pstate, HDR_PARSED);
		assert_non_null(h->parsed);
	}
	tmsg_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_via_all_params),
	    cmocka_unit_test(t_via_ipv6_rport_value),
	    cmocka_unit_test(t_via_list_with_lws),
	    cmocka_unit_test(t_via_bad),
	    cmocka_unit_test(t_via_second_header),
	    cmocka_unit_test(t_to_forms),
	    cmocka_unit_test(t_to_bad),
	    cmocka_unit_test(t_to_bad_uri),
	    cmocka_unit_test(t_cseq),
	    cmocka_unit_test(t_cseq_bad),
	    cmocka_unit_test(t_contact_list),
	    cmocka_unit_test(t_contact_star),
	    cmocka_unit_test(t_contact_bad),
	    cmocka_unit_test(t_route_lists),
	    cmocka_unit_test(t_route_bad),
	    cmocka_unit_test(t_numbers),
	    cmocka_unit_test(t_option_tags),
	    cmocka_unit_test(t_content_type),
	    cmocka_unit_test(t_parse_all_bodies),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
