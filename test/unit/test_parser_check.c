/*
 * test_parser_check.c - check_request(), check_reply(), check_ruri_scheme(),
 * the error record, and the R-URI rewrite cache.
 */
#include "parser_testutil.h"

#include "core/parser/msg_check.h"
#include "core/parser/msg_uri.h"

#define RLINE  "INVITE sip:bob@example.com SIP/2.0\r\n"
#define VIA    "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776\r\n"
#define FROM   "From: <sip:alice@example.com>;tag=1928\r\n"
#define TO     "To: <sip:bob@example.com>\r\n"
#define CALLID "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
#define CSEQ   "CSeq: 314159 INVITE\r\n"
#define CL     "Content-Length: 0\r\n"
#define END    "\r\n"

/* parse + check_request; returns the check's rc (parse must succeed) */
static int check(struct tmsg *t, const char *text, int proto)
{
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
	t->msg->rcv.proto = proto;
	return check_request(t->msg);
}

static void expect_req(const char *text, int rc, int rcode, const char *info)
{
	struct tmsg t;
	int got = check(&t, text, PROTO_UDP);

	if (got != rc)
		fail_msg("rc %d, want %d for:\n%s", got, rc, text);
	assert_int_equal(t.msg->err.rcode, rcode);
	if (info) {
		assert_int_equal(t.msg->err.info.len, (int)strlen(info));
		assert_memory_equal(t.msg->err.info.s, info, strlen(info));
	}
	tmsg_free(&t);
}

static void t_good_request(void **state)
{
	struct tmsg t;

	assert_int_equal(
	    check(&t, RLINE VIA FROM TO CALLID CSEQ CL END, PROTO_UDP), SV_OK);
	assert_int_equal(t.msg->err.eclass, ERR_CLASS_NONE);
	assert_int_equal(t.msg->err.rcode, 0);
	assert_non_null(t.msg->via1);
	assert_true(t.msg->parsed_orig_ruri_ok);
	tmsg_free(&t);
	/* SIP version is case-insensitive; no Content-Length over UDP */
	expect_req("INVITE sip:b@h sip/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	           SV_OK, 0, NULL);
}

static void t_version(void **state)
{
	struct tmsg t;

	expect_req("INVITE sip:b@h SIP/2.1\r\n" VIA FROM TO CALLID CSEQ END,
	           SV_EBADVER, 505, "unsupported SIP version");
	/* 505 wins over a missing header */
	check(&t, "INVITE sip:b@h SIP/3.0\r\n" VIA END, PROTO_UDP);
	assert_int_equal(t.msg->err.rcode, 505);
	assert_int_equal(t.msg->err.eclass, ERR_CLASS_PARSER);
	assert_int_equal(t.msg->err.level, ERR_LEVEL_MEDIUM);
	assert_int_equal(t.msg->err.rc, SV_EBADVER);
	assert_int_equal(sv_last_error, SV_EBADVER);
	tmsg_free(&t);
}

static void t_missing_headers(void **state)
{
	expect_req(RLINE FROM TO CALLID CSEQ END, SV_EBADMSG, 400,
	           "missing Via header");
	expect_req(RLINE VIA TO CALLID CSEQ END, SV_EBADMSG, 400,
	           "missing From header");
	expect_req(RLINE VIA FROM CALLID CSEQ END, SV_EBADMSG, 400,
	           "missing To header");
	expect_req(RLINE VIA FROM TO CSEQ END, SV_EBADMSG, 400,
	           "missing Call-ID header");
	expect_req(RLINE VIA FROM TO CALLID END, SV_EBADMSG, 400,
	           "missing CSeq header");
}

static void t_repeated_headers(void **state)
{
	expect_req(RLINE VIA FROM FROM TO CALLID CSEQ END, SV_EBADMSG, 400,
	           "more than one From header");
	expect_req(RLINE VIA FROM TO "t: <sip:x@y>\r\n" CALLID CSEQ END,
	           SV_EBADMSG, 400, "more than one To header");
	expect_req(RLINE VIA FROM TO CALLID "i: other\r\n" CSEQ END, SV_EBADMSG,
	           400, "more than one Call-ID header");
	expect_req(RLINE VIA FROM TO CALLID CSEQ CSEQ END, SV_EBADMSG, 400,
	           "more than one CSeq header");
	expect_req(RLINE VIA FROM TO CALLID CSEQ "Max-Forwards: 70\r\n"
	                                         "Max-Forwards: 70\r\n" END,
	           SV_EBADMSG, 400, "more than one Max-Forwards header");
	/* equal values frame the body, but the header is still repeated */
	expect_req(RLINE VIA FROM TO CALLID CSEQ CL CL END, SV_EBADMSG, 400,
	           "more than one Content-Length header");
	/* several Via headers are normal */
	expect_req(RLINE VIA VIA FROM TO CALLID CSEQ END, SV_OK, 0, NULL);
}

static void t_header_syntax(void **state)
{
	expect_req(RLINE "Via: SIP/2.0/UDP\r\n" FROM TO CALLID CSEQ END,
	           SV_EBADMSG, 400, "malformed Via header");
	expect_req(RLINE VIA "Via: SIP/2.0/UDP h;;\r\n" FROM TO CALLID CSEQ END,
	           SV_EBADMSG, 400, "malformed Via header");
	expect_req(RLINE VIA "From: <sip:a@b\r\n" TO CALLID CSEQ END,
	           SV_EBADMSG, 400, "malformed From header");
	expect_req(RLINE VIA FROM "To: x y\r\n" CALLID CSEQ END, SV_EBADMSG,
	           400, "malformed To header");
	expect_req(RLINE VIA FROM TO CALLID "CSeq: x INVITE\r\n" END,
	           SV_EBADMSG, 400, "malformed CSeq header");
	expect_req(RLINE VIA FROM TO "Call-ID: a b\r\n" CSEQ END, SV_EBADMSG,
	           400, "malformed Call-ID header");
	expect_req(RLINE VIA FROM TO "Call-ID: a@b@c\r\n" CSEQ END, SV_EBADMSG,
	           400, "malformed Call-ID header");
	expect_req(RLINE VIA FROM TO "Call-ID: @b\r\n" CSEQ END, SV_EBADMSG,
	           400, "malformed Call-ID header");
	expect_req(RLINE VIA FROM TO "Call-ID:\r\n" CSEQ END, SV_EBADMSG, 400,
	           "empty Call-ID header");
	expect_req(RLINE VIA FROM TO CALLID CSEQ "Max-Forwards: 256\r\n" END,
	           SV_EBADMSG, 400, "malformed Max-Forwards");
	/* Contact is checked in a REGISTER only (a registrar stores it) */
	expect_req("REGISTER sip:h SIP/2.0\r\n" VIA FROM TO CALLID
	           "CSeq: 1 REGISTER\r\nContact: <sip:a@b>;q=2\r\n" END,
	           SV_EBADMSG, 400, "malformed Contact header");
	expect_req(RLINE VIA FROM TO CALLID CSEQ
	           "Contact: <sip:a@b>;q=2\r\n" END,
	           SV_OK, 0, NULL);
}

static void t_stream_needs_content_length(void **state)
{
	struct tmsg t;

	assert_int_equal(
	    check(&t, RLINE VIA FROM TO CALLID CSEQ END, PROTO_TCP),
	    SV_EBADMSG);
	assert_int_equal(t.msg->err.rcode, 400);
	tmsg_free(&t);
	assert_int_equal(
	    check(&t, RLINE VIA FROM TO CALLID CSEQ CL END, PROTO_TLS), SV_OK);
	tmsg_free(&t);
}

static void t_cseq_method(void **state)
{
	struct tmsg t;

	expect_req("OPTIONS sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	           SV_EBADMSG, 400,
	           "CSeq method does not match the request method");
	expect_req("FOO sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	           SV_ENOTIMPL, 501, "unknown method, CSeq method differs");
	expect_req("ACK sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID
	           "CSeq: 314159 ACK\r\n" END,
	           SV_OK, 0, NULL);
	expect_req("ACK sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	           SV_EBADMSG, 400, NULL);
	expect_req("CANCEL sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID
	           "CSeq: 314159 CANCEL\r\n" END,
	           SV_OK, 0, NULL);
	/* methods are case-sensitive: "invite" is another method */
	expect_req("invite sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	           SV_ENOTIMPL, 501, NULL);
	expect_req("invite sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID
	           "CSeq: 1 invite\r\n" END,
	           SV_OK, 0, NULL);
	check(&t, "FOO sip:b@h SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	      PROTO_UDP);
	assert_int_equal(sv_last_error, SV_ENOTIMPL);
	assert_string_equal(sv_strerror(SV_ENOTIMPL), "not implemented");
	tmsg_free(&t);
}

static void t_request_uri(void **state)
{
	expect_req(
	    "INVITE sip:@example.com SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	    SV_EBADURI, 400, "malformed Request-URI");
	expect_req("INVITE sip:b@h?Route=%3Csip:x%3E SIP/2.0\r\n" VIA FROM TO
	               CALLID CSEQ END,
	           SV_EBADURI, 400, "escaped headers in the Request-URI");
	expect_req(
	    "INVITE tel:+1-555-0100 SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	    SV_OK, 0, NULL);
	expect_req(
	    "INVITE urn:service:sos SIP/2.0\r\n" VIA FROM TO CALLID CSEQ END,
	    SV_OK, 0, NULL);
}

static void t_ruri_scheme(void **state)
{
	struct tmsg t;
	str good = STR_LIT("sip:carol@chicago.example.com:5070");

	assert_int_equal(
	    check(&t,
	          "OPTIONS urn:service:sos SIP/2.0\r\n" VIA FROM TO CALLID
	          "CSeq: 1 OPTIONS\r\n" END,
	          PROTO_UDP),
	    SV_OK);
	assert_int_equal(check_ruri_scheme(t.msg), SV_EBADSCHEME);
	assert_int_equal(t.msg->err.rcode, 416);
	assert_int_equal(sv_last_error, SV_EBADSCHEME);
	/* a rewritten R-URI replaces the parsed one */
	assert_int_equal(set_new_uri(t.msg, &good), SV_OK);
	assert_false(t.msg->parsed_uri_ok);
	assert_int_equal(check_ruri_scheme(t.msg), SV_OK);
	assert_str(&t.msg->parsed_uri.host, "chicago.example.com");
	assert_int_equal(t.msg->parsed_uri.port_no, 5070);
	assert_ptr_equal(msg_ruri(t.msg), &t.msg->new_uri);
	assert_true(t.msg->new_uri.s != good.s); /* a private copy */
	reset_new_uri(t.msg);
	assert_null(t.msg->new_uri.s);
	assert_int_equal(check_ruri_scheme(t.msg), SV_EBADSCHEME);
	assert_str(&t.msg->parsed_uri.scheme, "urn");
	tmsg_free(&t);
	assert_int_equal(check(&t,
	                       "OPTIONS sips:b@h SIP/2.0\r\n" VIA FROM TO CALLID
	                       "CSeq: 1 OPTIONS\r\n" END,
	                       PROTO_UDP),
	                 SV_OK);
	assert_int_equal(check_ruri_scheme(t.msg), SV_OK);
	assert_int_equal(t.msg->parsed_uri.type, URI_SIPS);
	tmsg_free(&t);
}

static void t_dst_uri(void **state)
{
	struct tmsg t;
	str d = STR_LIT("sip:proxy.example.com;lr");

	check(&t, RLINE VIA FROM TO CALLID CSEQ END, PROTO_UDP);
	assert_int_equal(set_dst_uri(t.msg, &d), SV_OK);
	assert_str(&t.msg->dst_uri, "sip:proxy.example.com;lr");
	assert_int_equal(set_dst_uri(t.msg, &d), SV_OK); /* replace, no leak */
	reset_dst_uri(t.msg);
	assert_null(t.msg->dst_uri.s);
	assert_int_equal(set_dst_uri(t.msg, &d), SV_OK); /* freed by free */
	tmsg_free(&t);
}

static void t_replies(void **state)
{
	struct tmsg t;

	tmsg_parse(&t, "SIP/2.0 200 OK\r\n" VIA FROM TO CALLID CSEQ CL END);
	assert_int_equal(check_reply(t.msg), SV_OK);
	assert_int_equal(check_request(t.msg), SV_EINVAL);
	assert_int_equal(check_ruri_scheme(t.msg), SV_EINVAL);
	tmsg_free(&t);
	tmsg_parse(&t, RLINE VIA FROM TO CALLID CSEQ END);
	assert_int_equal(check_reply(t.msg), SV_EINVAL);
	tmsg_free(&t);
	tmsg_parse(&t, "SIP/2.0 200 OK\r\n" FROM TO CALLID CSEQ END);
	assert_int_equal(check_reply(t.msg), SV_EBADMSG);
	tmsg_free(&t);
	tmsg_parse(&t, "SIP/2.0 200 OK\r\n" VIA FROM TO CALLID CSEQ
	               "CSeq: 2 INVITE\r\n" END);
	assert_int_equal(check_reply(t.msg), SV_EBADMSG);
	tmsg_free(&t);
	tmsg_parse(&t, "SIP/3.0 200 OK\r\n" VIA FROM TO CALLID CSEQ END);
	assert_int_equal(check_reply(t.msg), SV_EBADVER);
	tmsg_free(&t);
	tmsg_parse(&t, "SIP/2.0 200 OK\r\n" VIA FROM TO CALLID
	               "CSeq: 9292394834772304023312 OPTIONS\r\n" END);
	assert_int_equal(check_reply(t.msg), SV_EBADMSG);
	tmsg_free(&t);
}

static void t_error_record(void **state)
{
	struct tmsg t;
	int code;
	const char *reason;

	tmsg_parse(&t, RLINE VIA FROM TO CALLID CSEQ END);
	assert_int_equal(msg_nomem(t.msg), SV_ENOMEM);
	assert_int_equal(t.msg->err.eclass, ERR_CLASS_PMEM);
	assert_int_equal(t.msg->err.level, ERR_LEVEL_HIGH);
	assert_int_equal(t.msg->err.rcode, 500);
	msg_error_reset(t.msg);
	assert_int_equal(t.msg->err.eclass, ERR_CLASS_NONE);
	assert_int_equal(t.msg->err.rcode, 0);
	assert_null(t.msg->err.info.s);
	tmsg_free(&t);
	sv_err_reply(SV_ENOTIMPL, &code, &reason);
	assert_int_equal(code, 501);
	assert_string_equal(reason, "Not Implemented");
	sv_err_reply(SV_EBADVER, &code, &reason);
	assert_int_equal(code, 505);
	sv_err_reply(SV_EBADSCHEME, &code, &reason);
	assert_int_equal(code, 416);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_good_request),
	    cmocka_unit_test(t_version),
	    cmocka_unit_test(t_missing_headers),
	    cmocka_unit_test(t_repeated_headers),
	    cmocka_unit_test(t_header_syntax),
	    cmocka_unit_test(t_stream_needs_content_length),
	    cmocka_unit_test(t_cseq_method),
	    cmocka_unit_test(t_request_uri),
	    cmocka_unit_test(t_ruri_scheme),
	    cmocka_unit_test(t_dst_uri),
	    cmocka_unit_test(t_replies),
	    cmocka_unit_test(t_error_record),
	};

	log_set_level(L_ALERT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
