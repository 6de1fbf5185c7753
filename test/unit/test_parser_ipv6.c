/*
 * test_parser_ipv6.c - IPv6 in Request-URIs, Via, Contact and To, after the
 * scenarios of RFC 5118 (SIP torture test messages for IPv6), section 4.
 *
 * Only 4.2 (an IPv6 address without brackets in the Request-URI) is
 * invalid (400); every other message must be accepted, including the
 * bracketed "received" parameter (4.5, be liberal) and the three-colon
 * IPv4-in-IPv6 form (4.10).
 */
#include "parser_testutil.h"

#include "core/parser/contact.h"
#include "core/parser/msg_check.h"
#include "core/parser/msg_uri.h"
#include "core/parser/to_from.h"
#include "core/parser/via.h"

#define COMMON                                                                 \
	"To: sip:user@example.com\r\n"                                         \
	"From: sip:user@example.com;tag=81x2\r\n"                              \
	"Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111\r\n"           \
	"Call-ID: SSG9559905523997077@hlau_4100\r\n"                           \
	"Max-Forwards: 70\r\n"                                                 \
	"Contact: \"Caller\" <sip:caller@[2001:db8::1]>\r\n"                   \
	"CSeq: 98176 REGISTER\r\n"                                             \
	"Content-Length: 0\r\n\r\n"

/* Parses and checks a request that must be accepted. */
static void accept_req(struct tmsg *t, const char *text)
{
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
	assert_int_equal(check_request(t->msg), SV_OK);
	assert_int_equal(check_ruri_scheme(t->msg), SV_OK);
}

static void t_41_valid_references(void **state)
{
	struct tmsg t;
	struct contact *c;
	struct sip_uri u;

	accept_req(&t, "REGISTER sip:[2001:db8::10] SIP/2.0\r\n" COMMON);
	assert_str(&t.msg->parsed_uri.host, "[2001:db8::10]");
	assert_int_equal(t.msg->parsed_uri.host_type, HOST_IPV6);
	assert_str(&t.msg->via1->host, "[2001:db8::9:1]");
	assert_int_equal(t.msg->via1->host_type, HOST_IPV6);
	assert_int_equal(t.msg->via1->port, 0);
	c = hdr_contact(t.msg->contact)->contacts;
	assert_int_equal(parse_uri(c->uri.s, c->uri.len, &u), SV_OK);
	assert_str(&u.host, "[2001:db8::1]");
	tmsg_free(&t);
}

static void t_42_no_brackets(void **state)
{
	struct tmsg t;

	tmsg_parse(&t, "REGISTER sip:2001:db8::10 SIP/2.0\r\n" COMMON);
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(check_request(t.msg), SV_EBADURI);
	assert_int_equal(t.msg->err.rcode, 400);
	tmsg_free(&t);
}

static void t_43_44_ports(void **state)
{
	struct tmsg t;

	/* ":5070" inside the brackets is part of the address, not a port */
	accept_req(&t, "REGISTER sip:[2001:db8::10:5070] SIP/2.0\r\n" COMMON);
	assert_str(&t.msg->parsed_uri.host, "[2001:db8::10:5070]");
	assert_int_equal(t.msg->parsed_uri.port_no, 0);
	tmsg_free(&t);
	accept_req(&t, "REGISTER sip:[2001:db8::10]:5070 SIP/2.0\r\n" COMMON);
	assert_str(&t.msg->parsed_uri.host, "[2001:db8::10]");
	assert_int_equal(t.msg->parsed_uri.port_no, 5070);
	tmsg_free(&t);
}

static void t_45_received(void **state)
{
	struct tmsg t;

	accept_req(&t, "BYE sip:[2001:db8::10] SIP/2.0\r\n"
	               "To: sip:user@example.com;tag=bd76ya\r\n"
	               "From: sip:user@example.com;tag=81x2\r\n"
	               "Via: SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:"
	               "255];branch=z9hG4bKas3-111\r\n"
	               "Call-ID: SSG9559905523997077@hlau_4100\r\n"
	               "Max-Forwards: 70\r\nCSeq: 321 BYE\r\n"
	               "Content-Length: 0\r\n\r\n");
	assert_str(&t.msg->via1->received->body, "[2001:db8::9:255]");
	tmsg_free(&t);
	accept_req(&t,
	           "OPTIONS sip:[2001:db8::10] SIP/2.0\r\n"
	           "To: sip:user@example.com\r\n"
	           "From: sip:user@example.com;tag=81x2\r\n"
	           "Via: SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255"
	           ";branch=z9hG4bKas3\r\n"
	           "Call-ID: SSG95523997077@hlau_4100\r\n"
	           "Max-Forwards: 70\r\n"
	           "Contact: \"Caller\" <sip:caller@[2001:db8::9:1]>\r\n"
	           "CSeq: 921 OPTIONS\r\nContent-Length: 0\r\n\r\n");
	assert_str(&t.msg->via1->received->body, "2001:db8::9:255");
	assert_str(&t.msg->via1->branch->body, "z9hG4bKas3");
	tmsg_free(&t);
}

static void t_47_mixed_vias(void **state)
{
	struct tmsg t;
	struct via_body *v;

	accept_req(&t,
	           "BYE sip:user@host.example.net SIP/2.0\r\n"
	           "Via: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-"
	           "111\r\n"
	           "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKjhja8781hjuaij65"
	           "144\r\n"
	           "Via: SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;"
	           "received=192.0.2.200\r\n"
	           "Call-ID: 997077@lau_4100\r\nMax-Forwards: 70\r\n"
	           "CSeq: 89187 BYE\r\n"
	           "To: sip:user@example.net;tag=9817--94\r\n"
	           "From: sip:user@example.com;tag=81x2\r\n"
	           "Content-Length: 0\r\n\r\n");
	assert_int_equal(t.msg->via1->port, 6050);
	assert_int_equal(parse_via2(t.msg), SV_OK);
	assert_int_equal(t.msg->via2->host_type, HOST_IPV4);
	v = hdr_via(t.msg->h_via1->sibling->sibling);
	assert_int_equal(v->proto, PROTO_TCP);
	assert_str(&v->host, "[2001:db8::9:255]");
	assert_str(&v->received->body, "192.0.2.200");
	tmsg_free(&t);
}

static void t_49_410_ipv4_in_ipv6(void **state)
{
	struct tmsg t;
	struct sip_uri *u;

	accept_req(&t,
	           "INVITE sip:user@example.com SIP/2.0\r\n"
	           "To: sip:user@example.com\r\n"
	           "From: sip:user@east.example.com;tag=81x2\r\n"
	           "Via: SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4"
	           "bKbh19\r\n"
	           "Via: SIP/2.0/UDP [::ffff:192.0.2.2];branch=z9hG4bKas3-111"
	           "\r\n"
	           "Call-ID: SSG9559905523997077@hlau_4100\r\n"
	           "Contact: \"T. desk phone\" <sip:ted@[::ffff:192.0.2.2]>\r\n"
	           "CSeq: 612 INVITE\r\nMax-Forwards: 70\r\n"
	           "Content-Length: 0\r\n\r\n");
	assert_str(&t.msg->via1->host, "[::ffff:192.0.2.10]");
	assert_int_equal(t.msg->via1->port, 19823);
	tmsg_free(&t);
	accept_req(&t,
	           "OPTIONS sip:user@[2001:db8:::192.0.2.1] SIP/2.0\r\n"
	           "To: sip:user@[2001:db8:::192.0.2.1]\r\n"
	           "From: sip:user@example.com;tag=810x2\r\n"
	           "Via: SIP/2.0/UDP lab1.east.example.com;branch=z9hG4bKas3"
	           "-111\r\n"
	           "Call-ID: G9559905523997077@hlau_4100\r\n"
	           "CSeq: 689 OPTIONS\r\nMax-Forwards: 70\r\n"
	           "Content-Length: 0\r\n\r\n");
	assert_int_equal(t.msg->parsed_uri.host_type, HOST_IPV6);
	assert_int_equal(parse_to_uri(t.msg, &u), SV_OK);
	assert_str(&u->host, "[2001:db8:::192.0.2.1]");
	tmsg_free(&t);
	accept_req(&t,
	           "OPTIONS sip:user@[2001:db8::192.0.2.1] SIP/2.0\r\n"
	           "To: sip:user@[2001:db8::192.0.2.1]\r\n"
	           "From: sip:user@example.com;tag=810x2\r\n"
	           "Via: SIP/2.0/UDP lab1.east.example.com;branch=z9hG4bKas3"
	           "-111\r\n"
	           "Call-ID: G9559905523997077@hlau_4100\r\n"
	           "CSeq: 689 OPTIONS\r\nMax-Forwards: 70\r\n"
	           "Content-Length: 0\r\n\r\n");
	assert_str(&t.msg->parsed_uri.host, "[2001:db8::192.0.2.1]");
	tmsg_free(&t);
}

/* Is "sip:[text]" a URI with an IPv6 host?  (exact-size buffer) */
static int is_ipv6_text_pub(const char *text)
{
	char tmp[128], *copy;
	struct sip_uri u;
	int n = snprintf(tmp, sizeof(tmp), "sip:[%s]", text), ok;

	copy = malloc((size_t)n);
	assert_non_null(copy);
	memcpy(copy, tmp, (size_t)n);
	ok = parse_uri(copy, n, &u) == SV_OK && u.host_type == HOST_IPV6;
	free(copy);
	return ok;
}

/* IPv6 address syntax, through URI hosts */
static void t_address_syntax(void **state)
{
	static const char *const good[] = {
	    "::",
	    "::1",
	    "1::",
	    "2001:db8::1",
	    "1:2:3:4:5:6:7:8",
	    "1:2:3:4:5:6:1.2.3.4",
	    "::ffff:1.2.3.4",
	    "fe80::1:2",
	    "2001:db8:::192.0.2.1",
	};
	static const char *const bad[] = {
	    "",
	    ":",
	    ":1",
	    "1:",
	    "1:::2",
	    "1::2::3",
	    "1:2:3:4:5:6:7:8:9",
	    "1:2:3:4:5:6:7",
	    "12345::",
	    "g::1",
	    "::1.2.3",
	    "1.2.3.4",
	    "::ffff:1.2.3.256",
	    "1:2:3:4:5:6:7:1.2.3.4",
	};
	unsigned i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!is_ipv6_text_pub(good[i]))
			fail_msg("rejected IPv6 [%s]", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (is_ipv6_text_pub(bad[i]))
			fail_msg("accepted IPv6 [%s]", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_41_valid_references),
	    cmocka_unit_test(t_42_no_brackets),
	    cmocka_unit_test(t_43_44_ports),
	    cmocka_unit_test(t_45_received),
	    cmocka_unit_test(t_47_mixed_vias),
	    cmocka_unit_test(t_49_410_ipv4_in_ipv6),
	    cmocka_unit_test(t_address_syntax),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
