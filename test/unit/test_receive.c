/*
 * test_receive.c - the receive pipeline without sockets: requests through
 * the main route (per-message state cleared afterwards), malformed
 * requests to error_route with $err.*, errors found by a function, the
 * ACK that is never answered, pre/post-script callbacks, replies through
 * onreply_route (drop discards provisional replies only) and the modules'
 * response hooks, and the statistics of each path.
 */
#include "parser_testutil.h"

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "cfg/interp.h"
#include "core/avp.h"
#include "core/config.h"
#include "core/dset.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/receive.h"
#include "core/script_cb.h"
#include "core/script_var.h"
#include "core/stats.h"
#include "shm/shm.h"
#include "test/modules/tmod_a/tmod_a.h"

#define MDIR SERVAL_TEST_MODULES

static struct cfg_script *script;
static struct sip_msg dummy; /* for pv_get on non-message variables */
static int pre_calls, post_calls, pre_result = 1;

static const char *good_req =
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1\r\n"
    "From: <sip:alice@atlanta.com>;tag=1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Call-ID: r1\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

/* no Call-ID: check_request() gives 400 */
static const char *bad_req =
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK2\r\n"
    "From: <sip:alice@atlanta.com>;tag=1\r\n"
    "To: <sip:bob@example.com>\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char *bad_ack =
    "ACK sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK3\r\n"
    "From: <sip:alice@atlanta.com>;tag=1\r\n"
    "To: <sip:bob@example.com>;tag=2\r\n"
    "CSeq: 1 ACK\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char *reply_fmt =
    "SIP/2.0 %d Whatever\r\n"
    "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bK4\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK1\r\n"
    "From: <sip:alice@atlanta.com>;tag=1\r\n"
    "To: <sip:bob@example.com>;tag=2\r\n"
    "Call-ID: r1\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static int deliver(const char *text)
{
	struct receive_info ri;
	char buf[2048];
	int len = (int)strlen(text);

	memcpy(buf, text, len + 1);
	memset(&ri, 0, sizeof(ri));
	ri.src_ip.af = AF_INET;
	ri.src_ip.len = 4;
	memcpy(ri.src_ip.u.addr, "\x0a\x00\x00\x01", 4);
	ri.src_port = 5062;
	ri.proto = PROTO_UDP;
	return receive_msg(buf, len, &ri);
}

static void load(const char *text)
{
	char buf[8192];
	int n = snprintf(buf, sizeof(buf),
	                 "mpath=\"%s\"\nloadmodule \"tinterp\"\n"
	                 "loadmodule \"tmod_a\"\n%s",
	                 MDIR, text);

	if (cfg_load_buffer("r.cfg", buf, n, &script) != SV_OK ||
	    modules_init() != SV_OK || cfg_fixup_all(script) != SV_OK)
		fail_msg("script did not load: %s", cfg_last_error());
	cfg_set_active(script);
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
	script_cb_reset();
	pre_calls = post_calls = 0;
	pre_result = 1;
	return 0;
}

static long stat_val(const char *name)
{
	return stat_get(stat_find(name, -1));
}

static void reset_stats(void)
{
	struct stat_group *g;
	struct stat_var *v;

	for (g = stats_groups(); g; g = g->next)
		for (v = g->first; v; v = v->next)
			stat_reset(v);
}

static long var(const char *pv)
{
	str in = str_from_cstr(pv);
	struct pv_spec *sp;
	struct pv_value v;
	char err[64];
	long n = 0;

	assert_int_equal(pv_spec_parse(&in, &sp, err, sizeof(err)), SV_OK);
	pv_get(&dummy, sp, &v);
	pv_value_to_int(&v, &n);
	pv_spec_free(sp);
	return n;
}

static struct tmod_a_state *tmod_a(void)
{
	struct tmod_a_state *(*f)(void) = module_find_api("tmod_a", "state");

	assert_non_null(f);
	return f();
}

static void test_request_route(void **state)
{
	reset_stats();
	load("route { $var(seen) = $var(seen) + 1; $avp(s:a) = 1;"
	     " append_branch(\"sip:x@y\"); $var(cs) = $cs; }");
	assert_int_equal(deliver(good_req), SV_OK);
	assert_int_equal(var("$var(seen)"), 1);
	assert_int_equal(var("$var(cs)"), 1);
	assert_null(*avp_msg_list()); /* freed after the request */
	assert_int_equal(dset_count(), 0);
	assert_int_equal(stat_val("core:rcv_requests"), 1);
	assert_int_equal(stat_val("core:err_requests"), 0);
	assert_int_equal(stat_val("core:drop_requests"), 0);
}

static void test_drop_counted(void **state)
{
	reset_stats();
	load("route { drop; }");
	deliver(good_req);
	assert_int_equal(stat_val("core:drop_requests"), 1);
}

static void test_error_route(void **state)
{
	reset_stats();
	load("route { $var(main) = 1; }\n"
	     "error_route { $var(code) = $err.rcode; $var(cls) = $err.class;"
	     " $var(t) = ti_route_type(); }");
	deliver(bad_req);
	assert_int_equal(var("$var(main)"), 0);
	assert_int_equal(var("$var(code)"), 400);
	assert_int_equal(var("$var(cls)"), 1);
	assert_int_equal(var("$var(t)"), ERROR_ROUTE);
	assert_int_equal(stat_val("core:rcv_requests"), 1);
	assert_int_equal(stat_val("core:err_requests"), 1);
	assert_int_equal(stat_val("core:bad_msg_hdr"), 1);
}

static void test_error_found_by_function(void **state)
{
	reset_stats();
	load("route { ti_bad_hdr(); $var(after) = 1; }\n"
	     "error_route { $var(code) = $err.rcode; }");
	deliver(good_req);
	assert_int_equal(var("$var(after)"), 0);
	assert_int_equal(var("$var(code)"), 400);
	assert_int_equal(stat_val("core:err_requests"), 1);
}

static void test_auto_reply_not_for_ack(void **state)
{
	struct tmsg t;

	tmsg_parse(&t, bad_ack);
	assert_int_equal(t.rc, SV_OK);
	msg_bad(t.msg, "whatever");
	assert_int_equal(receive_auto_reply(t.msg), SV_OK); /* nothing sent */
	tmsg_free(&t);
	reset_stats();
	load("route { $var(main) = 1; }");
	deliver(bad_ack); /* no error_route, an ACK: dropped quietly */
	assert_int_equal(var("$var(main)"), 0);
	assert_int_equal(stat_val("core:err_requests"), 1);
}

static int pre_cb(struct sip_msg *msg, void *param)
{
	pre_calls++;
	return pre_result;
}

static int post_cb(struct sip_msg *msg, void *param)
{
	post_calls++;
	return 1;
}

static void test_script_callbacks(void **state)
{
	reset_stats();
	load("route { $var(main) = $var(main) + 1; }");
	register_script_cb(pre_cb, SCB_PRE | SCB_REQUEST, NULL);
	register_script_cb(post_cb, SCB_POST | SCB_REQUEST, NULL);
	deliver(good_req);
	assert_int_equal(var("$var(main)"), 1);
	pre_result = 0;
	deliver(good_req);
	assert_int_equal(var("$var(main)"), 1); /* the script did not run */
	assert_int_equal(pre_calls, 2);
	assert_int_equal(post_calls, 2);
	assert_int_equal(stat_val("core:drop_requests"), 1);
}

static void test_replies(void **state)
{
	char text[1024];

	reset_stats();
	load("onreply_route { $var(r) = $var(r) + 1; $var(s) = $rs;"
	     " if (status =~ \"^1\" || status == 200) drop; }");
	tmod_a()->responses = 0;
	snprintf(text, sizeof(text), reply_fmt, 183);
	deliver(text);
	assert_int_equal(var("$var(s)"), 183);
	assert_int_equal(tmod_a()->responses, 0); /* provisional dropped */
	assert_int_equal(stat_val("core:drop_replies"), 1);
	snprintf(text, sizeof(text), reply_fmt, 200);
	deliver(text);
	assert_int_equal(var("$var(s)"), 200);
	/* drop does not discard a final reply: modules see it, the relay
	 * refuses it (the top Via is not ours) and counts it */
	assert_int_equal(tmod_a()->responses, 1);
	assert_int_equal(stat_val("core:drop_replies"), 2);
	assert_int_equal(stat_val("core:rcv_replies"), 2);
	assert_int_equal(var("$var(r)"), 2);
}

static void test_bad_reply_dropped(void **state)
{
	reset_stats();
	load("onreply_route { $var(r) = 1; }");
	deliver("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 1.2.3.4\r\n"
	        "Content-Length: 0\r\n\r\n");
	assert_int_equal(var("$var(r)"), 0);
	assert_int_equal(stat_val("core:err_replies"), 1);
}

static void test_no_script(void **state)
{
	assert_int_equal(deliver(good_req), SV_OK);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_request_route),
	    T(test_drop_counted),
	    T(test_error_route),
	    T(test_error_found_by_function),
	    T(test_auto_reply_not_for_ack),
	    T(test_script_callbacks),
	    T(test_replies),
	    T(test_bad_reply_dropped),
	    T(test_no_script),
	};
	int rc;

	log_set_level(L_CRIT);
	if (shm_init(4 << 20) != SV_OK || stats_init() != SV_OK)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	stats_destroy();
	shm_destroy();
	return rc;
}
