/*
 * test_rr_routing.c - the rr module on parsed requests: record_route()
 * (receiving socket, ftag, lr / lr=on, transport, IPv6, parameters with
 * pseudo-variables), record_route_preset() and loose_route()
 * in the cases RFC 3261 §16.4/§16.6 and OpenSER distinguish: no Route, a
 * Route that is not ours, our Route then a loose next hop (one Route line
 * with several values, or several lines), a strict next hop (the R-URI
 * goes to the end of the route set), a strict previous hop (our
 * Record-Route in the R-URI), only our Route in and out of a dialog,
 * aliases and ports; then check_route_param() and is_direction() over the
 * route loose_route() consumed.  Each case compares the message printed
 * with the edits, the Request-URI and the destination URI.
 */
#include "module_testutil.h"

#include "core/msg_builder.h"
#include "core/parser/msg_uri.h"
#include "core/socket.h"
#include "modules/rr/rr_mod.h"

static struct socket_info sock = {
    .fd = -1,
    .proto = PROTO_UDP,
    .port = 5060,
    .name = STR_LIT("udp:192.0.2.10:5060"),
    .address_str = STR_LIT("192.0.2.10"),
    .port_str = STR_LIT("5060"),
    .host_str = STR_LIT("192.0.2.10"),
};

static struct tmsg t;

static int group_setup(void **state)
{
	str alias = STR_LIT("proxy.example.com");

	assert_int_equal(ip_addr_parse(&sock.address_str, &sock.address),
	                 SV_OK);
	listen_list = &sock;
	assert_int_equal(alias_add(&alias, 0), SV_OK);
	log_set_level(L_ALERT);
	return 0;
}

static int teardown(void **state)
{
	if (t.msg)
		tmsg_free(&t);
	rr_enable_full_lr = 0;
	rr_append_fromtag = 1;
	return 0;
}

#define VIA    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
#define FROM   "From: <sip:a@example.com>;tag=f1\r\n"
#define TO_TAG "To: <sip:b@example.com>;tag=t1\r\n"
#define TO     "To: <sip:b@example.com>\r\n"
#define TAIL   "Call-ID: c1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"

/* "BYE <ruri> SIP/2.0" + headers, parsed, received on sock. */
static void req(const char *ruri, const char *hdrs)
{
	char text[2048];

	snprintf(text, sizeof(text), "BYE %s SIP/2.0\r\n%s", ruri, hdrs);
	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	t.msg->rcv.bind_address = &sock;
	t.msg->rcv.proto = PROTO_UDP;
}

static int call0(const char *f)
{
	return mt_call_once(t.msg, f, 0, NULL, NULL);
}

static int call1(const char *f, const char *a)
{
	return mt_call_once(t.msg, f, 1, a, NULL);
}

static void expect_ruri_du(const char *ruri, const char *du)
{
	str *r = msg_ruri(t.msg);

	if (r->len != (int)strlen(ruri) || memcmp(r->s, ruri, r->len) != 0)
		fail_msg("R-URI [%.*s], want [%s]", r->len, r->s, ruri);
	if (du == NULL) {
		if (t.msg->dst_uri.s)
			fail_msg("$du [%.*s], want none",
			         STR_FMT(&t.msg->dst_uri));
	} else if (!t.msg->dst_uri.s || t.msg->dst_uri.len != (int)strlen(du) ||
	           memcmp(t.msg->dst_uri.s, du, strlen(du)) != 0) {
		fail_msg("$du [%.*s], want [%s]",
		         t.msg->dst_uri.s ? t.msg->dst_uri.len : 0,
		         t.msg->dst_uri.s ? t.msg->dst_uri.s : "", du);
	}
}

/* ------------------------------------------------------ record_route -- */

static void t_record_route(void **state)
{
	req("sip:b@10.0.0.5", VIA FROM TO TAIL);
	assert_int_equal(call0("record_route"), 1);
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:b@10.0.0.5 SIP/2.0\r\n"
	    "Record-Route: <sip:192.0.2.10:5060;ftag=f1;lr>\r\n" VIA FROM TO
	        TAIL);
}

static void t_record_route_options(void **state)
{
	rr_enable_full_lr = 1;
	req("sip:b@10.0.0.5", VIA FROM TO TAIL);
	assert_int_equal(call0("record_route"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    "BYE sip:b@10.0.0.5 SIP/2.0\r\n"
	                    "Record-Route: <sip:192.0.2.10:5060;ftag=f1;"
	                    "lr=on>\r\n" VIA FROM TO TAIL);
	tmsg_free(&t);

	rr_enable_full_lr = 0;
	rr_append_fromtag = 0;
	req("sip:b@10.0.0.5", VIA FROM TO TAIL);
	assert_int_equal(call0("record_route"), 1);
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:b@10.0.0.5 SIP/2.0\r\n"
	    "Record-Route: <sip:192.0.2.10:5060;lr>\r\n" VIA FROM TO TAIL);
	tmsg_free(&t);

	/* no From tag: no ftag */
	rr_append_fromtag = 1;
	req("sip:b@10.0.0.5", VIA "From: <sip:a@example.com>\r\n" TO TAIL);
	assert_int_equal(call0("record_route"), 1);
	assert_non_null(strstr(mt_edited(t.msg),
	                       "Record-Route: <sip:192.0.2.10:5060;lr>\r\n"));
	tmsg_free(&t);

	/* no From at all: an error */
	req("sip:b@10.0.0.5", VIA TO TAIL);
	assert_int_equal(call0("record_route"), -1);
}

static void t_record_route_params(void **state)
{
	struct mt_call c;

	req("sip:b@10.0.0.5", VIA FROM TO TAIL);
	assert_int_equal(call1("record_route", ";nat=yes;cid=$ci"), 1);
	assert_int_equal(call1("record_route_preset", "$fd:5090"), 1);
	assert_int_equal(call1("record_route_preset", "edge.example.net"), 1);
	/* a parameter text that does not start with ';' when printed */
	assert_int_equal(call1("record_route", "$ci"), -1);
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:b@10.0.0.5 SIP/2.0\r\n"
	    "Record-Route: <sip:192.0.2.10:5060;ftag=f1;nat=yes;cid=c1;lr>\r\n"
	    "Record-Route: <sip:example.com:5090;ftag=f1;lr>\r\n"
	    "Record-Route: <sip:edge.example.net;ftag=f1;lr>\r\n" VIA FROM TO
	        TAIL);

	assert_int_equal(mt_fixup_rc(&c, "record_route", 1, "nat=yes"),
	                 SV_EINVAL);
	assert_string_equal(cfg_last_error(),
	                    "t.cfg:1:1: error: record_route: the parameters "
	                    "must start with ';'");
	mt_fixup(&c, "record_route", 1, "");
	mt_free(&c);
}

static void t_record_route_sockets(void **state)
{
	struct socket_info tcp6 = {
	    .proto = PROTO_TCP,
	    .port = 5070,
	    .address_str = STR_LIT("[2001:db8::1]"),
	    .port_str = STR_LIT("5070"),
	};

	req("sip:b@10.0.0.5", VIA FROM TO TAIL);
	t.msg->rcv.bind_address = &tcp6;
	assert_int_equal(call0("record_route"), 1);
	assert_non_null(strstr(mt_edited(t.msg),
	                       "\r\nRecord-Route: <sip:[2001:db8::1]:5070;"
	                       "transport=tcp;ftag=f1;lr>\r\nVia:"));
	tmsg_free(&t);

	req("sip:b@10.0.0.5", VIA FROM TO TAIL);
	t.msg->rcv.bind_address = NULL;
	assert_int_equal(call0("record_route"), -1);
}

/* ------------------------------------------------------- loose_route -- */

static void t_no_route(void **state)
{
	req("sip:b@10.0.0.5", VIA FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), -1);
	expect_ruri_du("sip:b@10.0.0.5", NULL);
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA FROM TO_TAG TAIL);
}

static void t_route_not_ours(void **state)
{
	req("sip:b@10.0.0.5", VIA
	    "Route: <sip:other.example.com;lr>, <sip:192.0.2.10;lr>\r\n" FROM
	        TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:b@10.0.0.5", "sip:other.example.com;lr");
	assert_string_equal(mt_edited(t.msg),
	                    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA
	                    "Route: <sip:other.example.com;lr>, "
	                    "<sip:192.0.2.10;lr>\r\n" FROM TO_TAG TAIL);
}

/* Our route then a loose next hop, in one Route line. */
static void t_ours_then_loose_one_line(void **state)
{
	req("sip:b@10.0.0.5",
	    VIA "Route: <sip:192.0.2.10;ftag=f1;lr>,\r\n"
	        "  \"P2\" <sip:p2.example.com;lr>;x=1 , "
	        "<sip:p3.example.com;lr>\r\n" FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:b@10.0.0.5", "sip:p2.example.com;lr");
	assert_string_equal(mt_edited(t.msg),
	                    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA
	                    "Route: \"P2\" <sip:p2.example.com;lr>;x=1 , "
	                    "<sip:p3.example.com;lr>\r\n" FROM TO_TAG TAIL);
}

/* Our route alone on its line, the next hop on the following lines. */
static void t_ours_then_loose_lines(void **state)
{
	req("sip:b@10.0.0.5",
	    VIA "Route: <sip:192.0.2.10:5060;lr>\r\n" FROM
	        "Route: <sip:p2.example.com;lr>\r\n"
	        "Route: <sip:p3.example.com;lr>\r\n" TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:b@10.0.0.5", "sip:p2.example.com;lr");
	assert_string_equal(mt_edited(t.msg),
	                    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA FROM
	                    "Route: <sip:p2.example.com;lr>\r\n"
	                    "Route: <sip:p3.example.com;lr>\r\n" TO_TAG TAIL);
}

/*
 * Strict next hop: the R-URI becomes the last Route value, the strict
 * route the R-URI.
 */
static void t_strict_next_hop(void **state)
{
	req("sip:b@10.0.0.5", VIA
	    "Route: <sip:192.0.2.10;lr>\r\n"
	    "Route: <sip:strict.example.com>, <sip:p3.example.com;lr>\r\n" FROM
	        TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:strict.example.com", NULL);
	assert_string_equal(mt_edited(t.msg),
	                    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA
	                    "Route: <sip:p3.example.com;lr>\r\n"
	                    "Route: <sip:b@10.0.0.5>\r\n" FROM TO_TAG TAIL);
}

/* The strict hop is the last route: the whole line goes, ours follows. */
static void t_strict_next_hop_last(void **state)
{
	req("sip:b@10.0.0.5",
	    VIA "Route: <sip:192.0.2.10;lr>, <sip:strict.example.com>\r\n" FROM
	        TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:strict.example.com", NULL);
	assert_string_equal(mt_edited(t.msg),
	                    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA
	                    "Route: <sip:b@10.0.0.5>\r\n" FROM TO_TAG TAIL);
}

/*
 * Strict previous hop: our Record-Route URI is the R-URI; the last Route
 * value (the remote target) becomes the R-URI, the next loose hop $du.
 */
static void t_strict_previous_hop(void **state)
{
	req("sip:192.0.2.10;ftag=f1;lr",
	    VIA "Route: <sip:p2.example.com;lr>, <sip:b@10.0.0.5:5062>\r\n" FROM
	        TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:b@10.0.0.5:5062", "sip:p2.example.com;lr");
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:192.0.2.10;ftag=f1;lr SIP/2.0\r\n" VIA
	    "Route: <sip:p2.example.com;lr>\r\n" FROM TO_TAG TAIL);
	/* the parameters we recorded came back in the R-URI */
	assert_int_equal(call1("check_route_param", "ftag=f1"), 1);
	tmsg_free(&t);

	/* ... and the remote target was the only route left */
	req("sip:192.0.2.10;lr",
	    VIA "Route: <sip:b@10.0.0.5>\r\n" FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:b@10.0.0.5", NULL);
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:192.0.2.10;lr SIP/2.0\r\n" VIA FROM TO_TAG TAIL);
	tmsg_free(&t);

	/* our address without lr is a request for us, not a strict hop */
	req("sip:192.0.2.10",
	    VIA "Route: <sip:p2.example.com;lr>\r\n" FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:192.0.2.10", "sip:p2.example.com;lr");
}

/* Only our route: true in a dialog, false for a preloaded route. */
static void t_only_ours(void **state)
{
	req("sip:b@10.0.0.5",
	    VIA "Route: <sip:192.0.2.10;lr>\r\n" FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:b@10.0.0.5", NULL);
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA FROM TO_TAG TAIL);
	tmsg_free(&t);

	req("sip:b@example.com",
	    VIA "Route: <sip:proxy.example.com;lr>\r\n" FROM TO TAIL);
	assert_int_equal(call0("loose_route"), -1);
	expect_ruri_du("sip:b@example.com", NULL);
	assert_string_equal(
	    mt_edited(t.msg),
	    "BYE sip:b@example.com SIP/2.0\r\n" VIA FROM TO TAIL);
}

/* What "ours" means: listen address and port (5060 by default), alias. */
static void t_myself(void **state)
{
	static const struct {
		const char *route;
		int ours;
	} cases[] = {
	    {"<sip:192.0.2.10;lr>", 1},
	    {"<sip:192.0.2.10:5060;lr>", 1},
	    {"<sip:192.0.2.10:5070;lr>", 0},
	    {"<sips:192.0.2.10;lr>", 0},            /* 5061 */
	    {"<sip:PROXY.example.com:5090;lr>", 1}, /* alias, any port */
	    {"<sip:192.0.2.11;lr>", 0},
	    {"<sip:u@192.0.2.10;lr;transport=udp>", 1},
	};
	char hdrs[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(
		    hdrs, sizeof(hdrs),
		    VIA
		    "Route: %s, <sip:next.example.com;lr>\r\n" FROM TO_TAG TAIL,
		    cases[i].route);
		req("sip:b@10.0.0.5", hdrs);
		assert_int_equal(call0("loose_route"), 1);
		if (cases[i].ours)
			expect_ruri_du("sip:b@10.0.0.5",
			               "sip:next.example.com;lr");
		else if (strncmp(t.msg->dst_uri.s, cases[i].route + 1,
		                 strlen(cases[i].route) - 2) != 0)
			fail_msg("%s taken as ours", cases[i].route);
		tmsg_free(&t);
	}
}

static void t_bad_route(void **state)
{
	req("sip:b@10.0.0.5", VIA "Route: <sip:@@bad;lr>\r\n" FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), -1);
	assert_string_equal(mt_edited(t.msg),
	                    "BYE sip:b@10.0.0.5 SIP/2.0\r\n" VIA
	                    "Route: <sip:@@bad;lr>\r\n" FROM TO_TAG TAIL);
	tmsg_free(&t);
	req("sip:b@10.0.0.5",
	    VIA "Route: sip:no-brackets\r\n" FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), -1);
}

/* The request as it leaves: build_request applies R-URI and edits. */
static void t_printed_request(void **state)
{
	str branch = STR_LIT("z9hG4bKsl1");
	struct req_build rb = {.send_sock = &sock, .branch = &branch};
	str src = STR_LIT("10.0.0.1");
	char out[2048];
	int n;

	req("sip:b@10.0.0.5",
	    VIA "Route: <sip:192.0.2.10;lr>, <sip:strict.example.com>\r\n" FROM
	        TO_TAG TAIL);
	assert_int_equal(ip_addr_parse(&src, &t.msg->rcv.src_ip), SV_OK);
	assert_int_equal(call0("loose_route"), 1);
	assert_int_equal(call0("record_route"), 1);
	n = build_request(t.msg, &rb, out, sizeof(out) - 1);
	assert_true(n > 0);
	out[n] = '\0';
	assert_string_equal(
	    out, "BYE sip:strict.example.com SIP/2.0\r\n"
	         "Record-Route: <sip:192.0.2.10:5060;ftag=f1;lr>\r\n"
	         "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKsl1\r\n" VIA
	         "Route: <sip:b@10.0.0.5>\r\n" FROM TO_TAG
	         "Call-ID: c1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n"
	         "Max-Forwards: 70\r\n\r\n");
}

/* A Record-Route we wrote is recognised as ours by loose_route(). */
static void t_round_trip(void **state)
{
	char hdrs[512], rr[128];
	const char *p, *e;

	req("sip:b@10.0.0.5", VIA FROM TO TAIL);
	assert_int_equal(call0("record_route"), 1);
	p = strstr(mt_edited(t.msg), "Record-Route: ") + 14;
	e = strstr(p, "\r\n");
	snprintf(rr, sizeof(rr), "%.*s", (int)(e - p), p);
	tmsg_free(&t);

	snprintf(hdrs, sizeof(hdrs),
	         VIA "Route: %s, <sip:uas.example.com;lr>\r\n" FROM TO_TAG TAIL,
	         rr);
	req("sip:b@10.0.0.5", hdrs);
	assert_int_equal(call0("loose_route"), 1);
	expect_ruri_du("sip:b@10.0.0.5", "sip:uas.example.com;lr");
	assert_int_equal(call1("is_direction", "downstream"), 1);
}

/* ------------------------------------ check_route_param, is_direction -- */

static void t_route_params(void **state)
{
	req("sip:b@10.0.0.5", VIA
	    "Route: <sip:192.0.2.10;ftag=f1;nat=yes;lr>\r\n" FROM TO_TAG TAIL);
	/* nothing consumed yet */
	assert_int_equal(call1("check_route_param", "nat=yes"), -1);
	assert_int_equal(call1("is_direction", "downstream"), 1);
	assert_int_equal(call0("loose_route"), 1);
	assert_int_equal(call1("check_route_param", "nat=yes"), 1);
	assert_int_equal(call1("check_route_param", "^;ftag=f1;"), 1);
	assert_int_equal(call1("check_route_param", "NAT=YES"), 1);
	assert_int_equal(call1("check_route_param", "nat=no"), -1);
	assert_int_equal(call1("is_direction", "downstream"), 1);
	assert_int_equal(call1("is_direction", "upstream"), -1);
	tmsg_free(&t);

	/* the callee's request: its From tag is the dialog's To tag */
	req("sip:a@10.0.0.1", VIA "Route: <sip:192.0.2.10;ftag=f1;lr>\r\n"
	                          "From: <sip:b@example.com>;tag=t1\r\n"
	                          "To: <sip:a@example.com>;tag=f1\r\n" TAIL);
	assert_int_equal(call0("loose_route"), 1);
	assert_int_equal(call1("is_direction", "upstream"), 1);
	assert_int_equal(call1("is_direction", "downstream"), -1);
	tmsg_free(&t);

	/* a route that was not ours leaves nothing to check */
	req("sip:b@10.0.0.5", VIA
	    "Route: <sip:other.example.com;nat=yes;lr>\r\n" FROM TO_TAG TAIL);
	assert_int_equal(call0("loose_route"), 1);
	assert_int_equal(call1("check_route_param", "nat=yes"), -1);
}

static void t_fixups(void **state)
{
	struct mt_call c;

	assert_int_equal(mt_fixup_rc(&c, "is_direction", 1, "sideways"),
	                 SV_EINVAL);
	assert_string_equal(cfg_last_error(),
	                    "t.cfg:1:1: error: is_direction: expected "
	                    "\"downstream\" or \"upstream\", found "
	                    "\"sideways\"");
	mt_fixup(&c, "is_direction", 1, "UpStream");
	mt_free(&c);
	assert_int_equal(mt_fixup_rc(&c, "check_route_param", 1, "(x"),
	                 SV_EINVAL);
}

static void t_double_rr_param(void **state)
{
	const struct param_export *p;
	int zero = 0, one = 1;

	for (p = exports.params; p->name; p++)
		if (strcmp(p->name, "enable_double_rr") == 0)
			break;
	assert_non_null(p->name);
	assert_int_equal(((param_setter)p->value)(PARAM_INT, &zero), SV_OK);
	assert_int_equal(((param_setter)p->value)(PARAM_INT, &one), SV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(t_record_route, teardown),
	    cmocka_unit_test_teardown(t_record_route_options, teardown),
	    cmocka_unit_test_teardown(t_record_route_params, teardown),
	    cmocka_unit_test_teardown(t_record_route_sockets, teardown),
	    cmocka_unit_test_teardown(t_no_route, teardown),
	    cmocka_unit_test_teardown(t_route_not_ours, teardown),
	    cmocka_unit_test_teardown(t_ours_then_loose_one_line, teardown),
	    cmocka_unit_test_teardown(t_ours_then_loose_lines, teardown),
	    cmocka_unit_test_teardown(t_strict_next_hop, teardown),
	    cmocka_unit_test_teardown(t_strict_next_hop_last, teardown),
	    cmocka_unit_test_teardown(t_strict_previous_hop, teardown),
	    cmocka_unit_test_teardown(t_only_ours, teardown),
	    cmocka_unit_test_teardown(t_myself, teardown),
	    cmocka_unit_test_teardown(t_bad_route, teardown),
	    cmocka_unit_test_teardown(t_printed_request, teardown),
	    cmocka_unit_test_teardown(t_round_trip, teardown),
	    cmocka_unit_test_teardown(t_route_params, teardown),
	    cmocka_unit_test(t_fixups),
	    cmocka_unit_test(t_double_rr_param),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
