/*
 * test_modules_script.c - the everyday modules (maxfwd, textops, rr, uri,
 * xlog) as a script uses them: real script text loaded with cfg_load_buffer
 * (the built modules, copied next to the test stand-ins), run by the
 * interpreter on parsed messages.  Checks what the other unit tests cannot:
 * return values seen by `if`, edits made in a branch_route belonging to
 * that branch only (dropped once it is printed) while the request route's
 * stay, and loose_route() driving forward()'s destination.
 */
#include "module_testutil.h"

#include "cfg/cfg.h"
#include "cfg/interp.h"
#include "cfg/route.h"
#include "core/config.h"
#include "core/module.h"
#include "core/parser/msg_uri.h"
#include "core/pv.h"
#include "core/script_var.h"
#include "core/socket.h"

#define MDIR SERVAL_TEST_MODULES

static struct cfg_script *script;
static struct tmsg t;

static struct socket_info sock = {
    .fd = -1,
    .proto = PROTO_UDP,
    .port = 5060,
    .name = STR_LIT("udp:127.0.0.1:5060"),
    .address_str = STR_LIT("127.0.0.1"),
    .port_str = STR_LIT("5060"),
    .host_str = STR_LIT("127.0.0.1"),
};

static const char *invite = "INVITE sip:bob@example.com SIP/2.0\r\n"
                            "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                            "Max-Forwards: 70\r\n"
                            "From: <sip:alice@example.com>;tag=f1\r\n"
                            "To: <sip:bob@example.com>\r\n"
                            "Call-ID: c1\r\n"
                            "CSeq: 1 INVITE\r\n"
                            "Subject: hi\r\n"
                            "X-Secret: s\r\n"
                            "Content-Length: 0\r\n"
                            "\r\n";

static const char *script_text =
    "loadmodule \"maxfwd\"\nloadmodule \"textops\"\nloadmodule \"rr\"\n"
    "loadmodule \"uri\"\nloadmodule \"xlog\"\n"
    "route {\n"
    "	if (!mf_process_maxfwd_header(\"10\")) return(-5);\n"
    "	xdbg(\"$rm $ru\\n\");\n"
    "	if (has_totag()) {\n"
    "		if (loose_route()) return(3);\n"
    "		return(-3);\n"
    "	}\n"
    "	if (is_method(\"INVITE|SUBSCRIBE\")) record_route(\";c=$ci\");\n"
    "	remove_hf(\"X-Secret\");\n"
    "	append_hf(\"X-Method: $rm\\r\\n\");\n"
    "	if (!is_present_hf(\"X-Secret\") || !search(\"^X-Secret:\"))\n"
    "		return(-4);\n"
    "	return(1);\n"
    "}\n"
    "branch_route[1] {\n"
    "	append_hf(\"X-Branch: $ci\\r\\n\");\n"
    "	remove_hf(\"Subject\");\n"
    "	replace(\"alice@\", \"carol@\");\n"
    "	record_route();\n"
    "}\n";

static int setup(void **state)
{
	assert_int_equal(ip_addr_parse(&sock.address_str, &sock.address),
	                 SV_OK);
	listen_list = &sock;
	log_set_level(L_ALERT);
	return 0;
}

static void load(const char *text)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "mpath=\"%s\"\n%s", MDIR, text);

	if (cfg_load_buffer("t.cfg", buf, n, &script) != SV_OK ||
	    modules_init() != SV_OK || cfg_fixup_all(script) != SV_OK)
		fail_msg("script did not load: %s", cfg_last_error());
	cfg_set_active(script);
}

static void parse(const char *text)
{
	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	t.msg->rcv.bind_address = &sock;
	t.msg->rcv.proto = PROTO_UDP;
}

static int teardown(void **state)
{
	cfg_set_active(NULL);
	cfg_free(script);
	script = NULL;
	modules_destroy();
	modules_unload();
	core_config_reset();
	script_vars_free();
	if (t.msg)
		tmsg_free(&t);
	return 0;
}

static int run(int type, const char *name)
{
	const struct cfg_route *r = type == REQUEST_ROUTE
	                                ? cfg_main_route(script, REQUEST_ROUTE)
	                                : cfg_route_lookup(script, type, name);

	assert_non_null(r);
	return run_route(type, r, t.msg);
}

/* The message printed with the branch's edits too (with_branch). */
static const char *printed(int with_branch)
{
	static char out[8192];
	int n = lumps_apply(t.msg, 0, t.msg->len, with_branch, out,
	                    sizeof(out) - 1);

	assert_true(n >= 0);
	out[n] = '\0';
	return out;
}

/* The request route's edits stay; the branch route's go with the branch. */
static void t_request_and_branch(void **state)
{
	load(script_text);
	parse(invite);
	assert_int_equal(run(REQUEST_ROUTE, NULL), 1);
	assert_int_equal(route_last_flags(), 0);
	assert_int_equal(run(BRANCH_ROUTE, "1"), 1);
	/* the branch being built: both routes' edits */
	assert_string_equal(
	    printed(1), "INVITE sip:bob@example.com SIP/2.0\r\n"
	                "Record-Route: <sip:127.0.0.1:5060;ftag=f1;c=c1;lr>\r\n"
	                "Record-Route: <sip:127.0.0.1:5060;ftag=f1;lr>\r\n"
	                "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
	                "Max-Forwards: 69\r\n"
	                "From: <sip:carol@example.com>;tag=f1\r\n"
	                "To: <sip:bob@example.com>\r\n"
	                "Call-ID: c1\r\n"
	                "CSeq: 1 INVITE\r\n"
	                "Content-Length: 0\r\n"
	                "X-Method: INVITE\r\n"
	                "X-Branch: c1\r\n"
	                "\r\n");
	/* ... which are dropped once it is printed */
	lumps_drop_branch(t.msg);
	assert_string_equal(
	    printed(1), "INVITE sip:bob@example.com SIP/2.0\r\n"
	                "Record-Route: <sip:127.0.0.1:5060;ftag=f1;c=c1;lr>\r\n"
	                "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
	                "Max-Forwards: 69\r\n"
	                "From: <sip:alice@example.com>;tag=f1\r\n"
	                "To: <sip:bob@example.com>\r\n"
	                "Call-ID: c1\r\n"
	                "CSeq: 1 INVITE\r\n"
	                "Subject: hi\r\n"
	                "Content-Length: 0\r\n"
	                "X-Method: INVITE\r\n"
	                "\r\n");
}

/* In a dialog: loose_route() sets the destination forward() will use. */
static void t_in_dialog(void **state)
{
	load(script_text);
	parse("BYE sip:bob@10.0.0.9:5070 SIP/2.0\r\n"
	      "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK2\r\n"
	      "Route: <sip:127.0.0.1;ftag=f1;lr>, <sip:edge.example.net;lr>\r\n"
	      "From: <sip:alice@example.com>;tag=f1\r\n"
	      "To: <sip:bob@example.com>;tag=t1\r\n"
	      "Call-ID: c1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(run(REQUEST_ROUTE, NULL), 3);
	assert_str(&t.msg->dst_uri, "sip:edge.example.net;lr");
	assert_str(msg_ruri(t.msg), "sip:bob@10.0.0.9:5070");
	assert_non_null(strstr(printed(0), "\r\nRoute: <sip:edge.example.net;"
	                                   "lr>\r\nFrom:"));
	assert_non_null(strstr(printed(0), "\r\nMax-Forwards: 10\r\n"));
}

/* Out of hops: the script sees false. */
static void t_no_hops_left(void **state)
{
	load(script_text);
	parse("OPTIONS sip:bob@example.com SIP/2.0\r\n"
	      "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK3\r\n"
	      "Max-Forwards: 0\r\n"
	      "From: <sip:alice@example.com>;tag=f1\r\n"
	      "To: <sip:bob@example.com>\r\n"
	      "Call-ID: c3\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(run(REQUEST_ROUTE, NULL), -5);
	assert_null(t.msg->lumps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(t_request_and_branch, teardown),
	    cmocka_unit_test_teardown(t_in_dialog, teardown),
	    cmocka_unit_test_teardown(t_no_hops_left, teardown),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
