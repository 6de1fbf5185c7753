/*
 * test_msg_builder.c - printing forwarded requests (Request-URI, our Via,
 * received/rport, Max-Forwards), local replies (Vias, to-tag, Record-Route,
 * Server, Content-Length), the stateless branch and reply destinations.
 */
#include "parser_testutil.h"

#include <arpa/inet.h>

#include "core/config.h"
#include "core/forward.h"
#include "core/lump.h"
#include "core/msg_builder.h"
#include "core/socket.h"
#include "core/parser/msg_uri.h"
#include "core/parser/via.h"

static char out[8192];
static struct socket_info sock;

static const char *INVITE =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP %s;branch=z9hG4bKabc%s\r\n"
	"Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bKold\r\n"
	"Max-Forwards: %s\r\n"
	"Record-Route: <sip:rr.example.com;lr>\r\n"
	"From: <sip:alice@example.org>;tag=f1\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: call-1\r\n"
	"CSeq: 7 INVITE\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/* Parses INVITE with the given sent-by, extra Via params and Max-Forwards,
 * received from 192.0.2.7:5099. */
static void parse_invite(struct tmsg *t, const char *sent_by,
                         const char *params, const char *mf)
{
	char text[2048];
	str ip = STR_LIT("192.0.2.7");

	snprintf(text, sizeof(text), INVITE, sent_by, params, mf);
	if (strcmp(mf, "none") == 0) {
		char *p = strstr(text, "Max-Forwards: none\r\n");

		memmove(p, p + 20, strlen(p + 20) + 1);
	}
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
	ip_addr_parse(&ip, &t->msg->rcv.src_ip);
	t->msg->rcv.src_port = 5099;
	t->msg->rcv.proto = PROTO_UDP;
	t->msg->rcv.bind_address = &sock;
}

static const char *forward_text(struct sip_msg *m)
{
	str br = STR_LIT("z9hG4bKtest");
	struct req_build rb = { .send_sock = &sock, .branch = &br };
	int n = build_request(m, &rb, out, sizeof(out) - 1);

	assert_true(n > 0);
	out[n] = '\0';
	return out;
}

static void test_request_via_and_maxfwd(void **state)
{
	struct tmsg t;

	parse_invite(&t, "192.0.2.7:5099", "", "70");
	forward_text(t.msg);
	assert_non_null(strstr(out, "INVITE sip:bob@example.com SIP/2.0\r\n"
	        "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtest\r\n"
	        "Via: SIP/2.0/UDP 192.0.2.7:5099;branch=z9hG4bKabc\r\n"));
	assert_non_null(strstr(out, "Max-Forwards: 69\r\n"));
	/* the edits of one print do not stay on the message */
	assert_string_equal(forward_text(t.msg), out);
	assert_null(t.msg->lumps);
	tmsg_free(&t);
}

static void test_request_new_uri(void **state)
{
	struct tmsg t;
	str nu = STR_LIT("sip:carol@10.1.1.1:5070");

	parse_invite(&t, "192.0.2.7:5099", "", "70");
	assert_int_equal(set_new_uri(t.msg, &nu), SV_OK);
	forward_text(t.msg);
	assert_true(strncmp(out, "INVITE sip:carol@10.1.1.1:5070 SIP/2.0\r\n",
	                    40) == 0);
	tmsg_free(&t);
}

static void test_received_rport(void **state)
{
	struct tmsg t;

	parse_invite(&t, "host.example.org", "", "70");
	forward_text(t.msg);
	assert_non_null(strstr(out, "UDP host.example.org;branch=z9hG4bKabc;"
	                            "received=192.0.2.7\r\n"));
	tmsg_free(&t);

	parse_invite(&t, "192.0.2.7:5099", ";rport", "70");
	forward_text(t.msg);
	assert_non_null(strstr(out, "branch=z9hG4bKabc;received=192.0.2.7;"
	                            "rport=5099\r\n"));
	tmsg_free(&t);

	/* a received already there is replaced by the real one */
	parse_invite(&t, "10.0.0.1", ";received=10.0.0.99;rport=1", "70");
	forward_text(t.msg);
	assert_non_null(strstr(out, "UDP 10.0.0.1;branch=z9hG4bKabc;"
	                            "received=192.0.2.7;rport=5099\r\n"));
	assert_null(strstr(out, "10.0.0.99"));
	tmsg_free(&t);

	/* force_rport() without rport in the Via */
	parse_invite(&t, "192.0.2.7:5099", "", "70");
	t.msg->core_flags |= MSG_CF_FORCE_RPORT;
	forward_text(t.msg);
	assert_non_null(strstr(out, ";received=192.0.2.7;rport=5099\r\n"));
	tmsg_free(&t);
}

static void test_maxfwd_cases(void **state)
{
	struct tmsg t;
	str br = STR_LIT("z9hG4bKtest");
	struct req_build rb = { .send_sock = &sock, .branch = &br };

	parse_invite(&t, "192.0.2.7:5099", "", "none");
	forward_text(t.msg);
	assert_non_null(strstr(out, "Content-Length: 0\r\nMax-Forwards: 70\r\n"
	                            "\r\n"));
	tmsg_free(&t);

	parse_invite(&t, "192.0.2.7:5099", "", "0");
	assert_int_equal(build_request(t.msg, &rb, out, sizeof(out)),
	                 SV_EHOPS);
	tmsg_free(&t);

	parse_invite(&t, "192.0.2.7:5099", "", "5");
	t.msg->core_flags |= MSG_CF_MAXFWD_DONE;
	forward_text(t.msg);
	assert_non_null(strstr(out, "Max-Forwards: 5\r\n"));
	tmsg_free(&t);
}

static const char *reply_text(struct sip_msg *m, int code, const char *tag)
{
	str reason = STR_LIT("Whatever"), totag = str_from_cstr(tag);
	struct reply_build rb = { .code = code, .reason = &reason,
	                          .to_tag = tag ? &totag : NULL };
	int n = build_reply(m, &rb, out, sizeof(out) - 1);

	assert_true(n > 0);
	out[n] = '\0';
	return out;
}

static const char expect[] = "SIP/2.0 404 Whatever\r\n"
	"Via: SIP/2.0/UDP 192.0.2.7:5099;branch=z9hG4bKabc;"
	"received=192.0.2.7;rport=5099\r\n"
	"Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bKold\r\n"
	"From: <sip:alice@example.org>;tag=f1\r\n"
	"To: <sip:bob@example.com>;tag=tt1\r\n"
	"Call-ID: call-1\r\nCSeq: 7 INVITE\r\n";

static void test_reply_basics(void **state)
{
	struct tmsg t;
	str hdr = STR_LIT("X-Script: 1\r\n");

	parse_invite(&t, "192.0.2.7:5099", ";rport", "70");
	assert_int_equal(lump_append_header(t.msg, &hdr, 0), SV_OK);
	reply_text(t.msg, 404, "tt1");
	assert_true(strncmp(out, expect, strlen(expect)) == 0);

	assert_null(strstr(out, "Record-Route"));
	assert_null(strstr(out, "X-Script"));
	assert_non_null(strstr(out, "Server: serval"));
	assert_non_null(strstr(out, "Content-Length: 0\r\n\r\n"));
	tmsg_free(&t);
}

static void test_reply_rr_and_existing_tag(void **state)
{
	struct tmsg t;
	char text[1024];

	parse_invite(&t, "192.0.2.7:5099", "", "70");
	reply_text(t.msg, 180, NULL);
	assert_non_null(strstr(out, "Record-Route: <sip:rr.example.com;lr>"));
	assert_non_null(strstr(out, "To: <sip:bob@example.com>\r\n"));
	tmsg_free(&t);

	snprintf(text, sizeof(text), "%s", "BYE sip:b@c SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 192.0.2.7:5099;branch=z9hG4bKx\r\n"
	         "From: <sip:a@b>;tag=1\r\nTo: <sip:b@c>;tag=2\r\n"
	         "Call-ID: c\r\nCSeq: 2 BYE\r\n\r\n");
	tmsg_parse(&t, text);
	t.msg->rcv.bind_address = &sock;
	reply_text(t.msg, 200, "other");
	assert_non_null(strstr(out, "To: <sip:b@c>;tag=2\r\n"));
	assert_null(strstr(out, "other"));
	tmsg_free(&t);
}

/* The top Via line of the reply to an INVITE with sent-by and params. */
static const char *reply_via(struct tmsg *t, const char *sent_by,
                             const char *params, const char *src)
{
	str ip = str_from_cstr(src);
	char *e;

	parse_invite(t, sent_by, params, "70");
	assert_int_equal(ip_addr_parse(&ip, &t->msg->rcv.src_ip), SV_OK);
	reply_text(t->msg, 200, "tt1");
	e = strstr(out + 1, "\r\nVia: SIP/2.0/UDP 10.9.9.9");
	assert_non_null(e);
	*e = '\0';
	return strstr(out, "\r\n") + 2;
}

static void test_reply_via_fix(void **state)
{
	struct tmsg t;

	/* received and rport already there, in either order, are replaced */
	assert_string_equal(
	    reply_via(&t, "10.0.0.1", ";rport;received=10.0.0.99", "192.0.2.7"),
	    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKabc;"
	    "received=192.0.2.7;rport=5099");
	tmsg_free(&t);
	assert_string_equal(
	    reply_via(&t, "10.0.0.1", ";received=10.0.0.99 ;rport=7",
	              "192.0.2.7"),
	    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKabc ;"
	    "received=192.0.2.7;rport=5099");
	tmsg_free(&t);
	/* sent-by is the source: a stale received goes, nothing is added */
	assert_string_equal(
	    reply_via(&t, "192.0.2.7:5099", ";received=10.0.0.99", "192.0.2.7"),
	    "Via: SIP/2.0/UDP 192.0.2.7:5099;branch=z9hG4bKabc");
	tmsg_free(&t);
	assert_string_equal(
	    reply_via(&t, "192.0.2.17", "", "192.0.2.7"),
	    "Via: SIP/2.0/UDP 192.0.2.17;branch=z9hG4bKabc;received=192.0.2.7");
	tmsg_free(&t);
	/* IPv6: brackets around received, any spelling of the source */
	assert_string_equal(
	    reply_via(&t, "[2001:db8::1]", "", "2001:db8::2"),
	    "Via: SIP/2.0/UDP [2001:db8::1];branch=z9hG4bKabc;"
	    "received=[2001:db8::2]");
	tmsg_free(&t);
	assert_string_equal(
	    reply_via(&t, "[2001:DB8:0::2]:5099", "", "2001:db8::2"),
	    "Via: SIP/2.0/UDP [2001:DB8:0::2]:5099;branch=z9hG4bKabc");
	tmsg_free(&t);
	assert_string_equal(
	    reply_via(&t, "[2001:db8::2]", "", "2001:db8::2"),
	    "Via: SIP/2.0/UDP [2001:db8::2];branch=z9hG4bKabc");
	tmsg_free(&t);
}

/* ip_addr_text_eq() agrees with ip_addr_parse() + ip_addr_eq() */
static void test_ip_text_eq(void **state)
{
	static const char *const texts[] = {
	    "192.0.2.7", "192.0.2.07", "192.0.2.70", "192.0.2.7.", "192.0.2",
	    "192.0.2.7.1", "192.00.2.7", "0.0.0.0", "255.255.255.255",
	    "256.0.0.0", "1922.0.2.7", "192.0.2.7a", "", "[::1]", "::1",
	    "2001:db8::7", "[2001:DB8:0::7]", "::ffff:192.0.2.7", "a.b.c.d",
	    "00.0.0.0", "0.0.0.00",
	};
	static const char *const addrs[] = {
	    "192.0.2.7", "192.0.2.70", "0.0.0.0", "255.255.255.255", "::1",
	    "2001:db8::7", "::ffff:192.0.2.7",
	};
	struct ip_addr ip, parsed;
	unsigned i, j;
	int want;

	for (j = 0; j < sizeof(addrs) / sizeof(addrs[0]); j++) {
		str a = str_from_cstr(addrs[j]);

		assert_int_equal(ip_addr_parse(&a, &ip), SV_OK);
		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			str t = str_from_cstr(texts[i]);

			want = ip_addr_parse(&t, &parsed) == SV_OK &&
			       ip_addr_eq(&parsed, &ip);
			if (ip_addr_text_eq(&t, &ip) != want)
				fail_msg("%s vs %s: want %d", texts[i],
				         addrs[j], want);
		}
	}
}

static void test_reply_limits(void **state)
{
	struct tmsg t;
	str reason = STR_LIT("Whatever");
	struct reply_build rb = { .code = 99, .reason = &reason };
	int n;

	parse_invite(&t, "192.0.2.7:5099", "", "70");
	assert_int_equal(build_reply(t.msg, &rb, out, sizeof(out)), SV_EINVAL);
	rb.code = 1000;
	assert_int_equal(build_reply(t.msg, &rb, out, sizeof(out)), SV_EINVAL);
	/* any three digits: tm's t_reply("999", ...) of the tm seed */
	rb.code = 999;
	assert_true(build_reply(t.msg, &rb, out, sizeof(out)) > 0);
	assert_memory_equal(out, "SIP/2.0 999 Whatever\r\n", 22);
	rb.code = 699;
	n = build_reply(t.msg, &rb, out, sizeof(out));
	assert_true(n > 0);
	assert_memory_equal(out, "SIP/2.0 699 Whatever\r\n", 22);
	/* one byte short of the whole reply */
	assert_int_equal(build_reply(t.msg, &rb, out, n - 1), SV_ETOOBIG);
	assert_int_equal(build_reply(t.msg, &rb, out, n), n);
	tmsg_free(&t);
}

static void test_stateless_branch(void **state)
{
	struct tmsg a, b, c;
	char ba[BRANCH_MAX], bb[BRANCH_MAX], bc[BRANCH_MAX];
	int la, lb, lc;

	parse_invite(&a, "192.0.2.7:5099", "", "70");
	parse_invite(&b, "192.0.2.7:5099", "", "69");
	parse_invite(&c, "192.0.2.7:5099", "2", "70");
	parse_via1(a.msg), parse_via1(b.msg), parse_via1(c.msg);
	la = stateless_branch(a.msg, ba);
	lb = stateless_branch(b.msg, bb);
	lc = stateless_branch(c.msg, bc);
	assert_true(la > MAGIC_COOKIE_LEN);
	assert_memory_equal(ba, MAGIC_COOKIE, MAGIC_COOKIE_LEN);
	assert_int_equal(la, lb);
	assert_memory_equal(ba, bb, la);
	assert_int_equal(la, lc);
	assert_memory_not_equal(ba, bc, la);
	tmsg_free(&a);
	tmsg_free(&b);
	tmsg_free(&c);
}

static void test_reply_dest(void **state)
{
	struct tmsg t;
	struct dest_info d;
	unsigned short port;
	struct ip_addr ip;

	parse_invite(&t, "192.0.2.7:5099", ";rport", "70");
	t.msg->rcv.src_port = 6000;
	assert_int_equal(reply_dest(t.msg, &d), SV_OK);
	su_to_ip(&d.to, &ip, &port);
	assert_int_equal(port, 6000);
	assert_ptr_equal(d.send_sock, &sock);
	tmsg_free(&t);

	parse_invite(&t, "192.0.2.7:5099", "", "70");
	t.msg->rcv.src_port = 6000;
	assert_int_equal(reply_dest(t.msg, &d), SV_OK);
	su_to_ip(&d.to, &ip, &port);
	assert_int_equal(port, 5099);
	tmsg_free(&t);

	parse_invite(&t, "192.0.2.7", "", "70");
	assert_int_equal(reply_dest(t.msg, &d), SV_OK);
	su_to_ip(&d.to, &ip, &port);
	assert_int_equal(port, 5060);
	assert_int_equal(d.to.sin.sin_addr.s_addr, inet_addr("192.0.2.7"));
	tmsg_free(&t);
}

static int setup(void **state)
{
	str a = STR_LIT("127.0.0.1");

	log_set_level(L_CRIT);
	core_cfg.server_signature = 1;
	sock.proto = PROTO_UDP;
	sock.port = 5060;
	ip_addr_parse(&a, &sock.address);
	sock.address_str = a;
	sock.port_str = (str)STR_LIT("5060");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_via_and_maxfwd),
		cmocka_unit_test(test_request_new_uri),
		cmocka_unit_test(test_received_rport),
		cmocka_unit_test(test_maxfwd_cases),
		cmocka_unit_test(test_reply_basics),
		cmocka_unit_test(test_reply_rr_and_existing_tag),
		cmocka_unit_test(test_reply_via_fix),
		cmocka_unit_test(test_ip_text_eq),
		cmocka_unit_test(test_reply_limits),
		cmocka_unit_test(test_stateless_branch),
		cmocka_unit_test(test_reply_dest),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
