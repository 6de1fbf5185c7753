/*
 * test_cfg_interp.c - the interpreter: every statement kind, the return
 * convention, while bounds, the recursion limit, switch, expressions and
 * every operand kind, regexes with literal and pseudo-variable patterns,
 * assignments, the route context stack (nested runs, script flags, route
 * type), errors found by functions, and the refusal of unimplemented core
 * functions.  Scripts are real text loaded through cfg_load_buffer with
 * the tinterp test module (test/modules/tinterp).
 */
#include "parser_testutil.h"

#include <limits.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "cfg/interp.h"
#include "cfg/interp_priv.h"
#include "cfg/route.h"
#include "core/avp.h"
#include "core/config.h"
#include "core/dset.h"
#include "core/flags.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/pv_core.h"
#include "core/script_var.h"
#include "core/socket.h"
#include "shm/shm.h"

#define MDIR SERVAL_TEST_MODULES

static const char *invite =
    "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK776\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:alice@atlanta.com>;tag=1928\r\n"
    "To: <sip:bob@127.0.0.1:5060>\r\n"
    "Call-ID: c1\r\n"
    "CSeq: 1 INVITE\r\n"
    "X-Pattern: ^sip:bob@\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char *reply =
    "SIP/2.0 183 Session Progress\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bK776\r\n"
    "From: <sip:alice@atlanta.com>;tag=1928\r\n"
    "To: <sip:bob@127.0.0.1>;tag=x\r\n"
    "Call-ID: c1\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static struct cfg_script *script;
static struct tmsg t;

static void parse(const char *text)
{
	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	t.msg->rcv.src_ip.af = AF_INET;
	t.msg->rcv.src_ip.len = 4;
	memcpy(t.msg->rcv.src_ip.u.addr, "\x0a\x00\x00\x01", 4);
	t.msg->rcv.src_port = 5062;
	t.msg->rcv.dst_ip.af = AF_INET;
	t.msg->rcv.dst_ip.len = 4;
	memcpy(t.msg->rcv.dst_ip.u.addr, "\x7f\x00\x00\x01", 4);
	t.msg->rcv.dst_port = 5060;
	t.msg->rcv.proto = PROTO_UDP;
}

static int try_load(const char *text)
{
	char buf[16384];
	int n, rc;

	n = snprintf(buf, sizeof(buf),
	             "mpath=\"%s\"\nloadmodule \"tinterp\"\n%s", MDIR, text);
	rc = cfg_load_buffer("t.cfg", buf, n, &script);
	if (rc == SV_OK)
		rc = modules_init();
	if (rc == SV_OK)
		rc = cfg_fixup_all(script);
	return rc;
}

static void load(const char *text)
{
	if (try_load(text) != SV_OK)
		fail_msg("script did not load: %s", cfg_last_error());
	cfg_set_active(script);
}

static int run_main(void)
{
	return run_route(REQUEST_ROUTE, cfg_main_route(script, REQUEST_ROUTE),
	                 t.msg);
}

static int setup(void **state)
{
	parse(invite);
	return 0;
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
	re_cache_flush();
	tmsg_free(&t);
	avp_reset_msg_list();
	dset_clear();
	script_flags = 0;
	return 0;
}

static void get(const char *pv, struct pv_value *v)
{
	str in = str_from_cstr(pv);
	struct pv_spec *sp;
	char err[128];

	if (pv_spec_parse(&in, &sp, err, sizeof(err)) != SV_OK)
		fail_msg("%s: %s", pv, err);
	pv_get(t.msg, sp, v);
	pv_spec_free(sp);
}

static long ival(const char *pv)
{
	struct pv_value v;

	get(pv, &v);
	if (!(v.flags & PV_VAL_INT))
		fail_msg("%s is not an integer", pv);
	return v.ri;
}

static void check_sval(const char *pv, const char *want)
{
	struct pv_value v;

	get(pv, &v);
	if (!(v.flags & PV_VAL_STR) || v.rs.len != (int)strlen(want) ||
	    memcmp(v.rs.s, want, v.rs.len) != 0)
		fail_msg("%s: got '%.*s', want '%s'", pv, v.rs.len,
		         v.rs.s ? v.rs.s : "", want);
}

static void check_null_val(const char *pv)
{
	struct pv_value v;

	get(pv, &v);
	if (!(v.flags & PV_VAL_NULL))
		fail_msg("%s is not null", pv);
}

/* ------------------------------------------------------ statements -- */

static void test_return_values(void **state)
{
	load("route { $var(a) = 1; return(3); $var(a) = 2; }");
	assert_int_equal(run_main(), 3);
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$rc"), 3);
	assert_int_equal(route_last_flags(), 0);
}

static void test_fall_off_end(void **state)
{
	load("route { ti_ret(-4); }");
	assert_int_equal(run_main(), -4);
	teardown(state);
	parse(invite);
	load("route { }");
	assert_int_equal(run_main(), 1);
	teardown(state);
	parse(invite);
	load("route { return; }");
	assert_int_equal(run_main(), 1);
}

static void test_subroute_return(void **state)
{
	load("route { route(1); $var(r) = $rc; $var(after) = 1;\n"
	     "  if (route(2)) $var(t) = 1; else $var(t) = 2;\n"
	     "  $var(v) = route(1) + 1; }\n"
	     "route[1] { return(5); $var(no) = 1; }\n"
	     "route[2] { return(-1); }\n");
	assert_int_equal(run_main(), 1);
	assert_int_equal(ival("$var(r)"), 5);
	assert_int_equal(ival("$var(after)"), 1);
	assert_int_equal(ival("$var(no)"), 0);
	assert_int_equal(ival("$var(t)"), 2);
	assert_int_equal(ival("$var(v)"), 6);
}

static void test_exit_and_drop(void **state)
{
	load("route { route(1); $var(x) = 1; }\n"
	     "route[1] { $var(y) = 1; exit; }\n");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(x)"), 0);
	assert_int_equal(ival("$var(y)"), 1);
	assert_int_equal(route_last_flags(), ROUTE_F_EXIT);
	assert_false(route_dropped());
	teardown(state);
	parse(invite);
	load("route { if (1) { drop; } $var(x) = 1; }");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(x)"), 0);
	assert_true(route_dropped());
	assert_int_equal(route_last_flags(), ROUTE_F_EXIT | ROUTE_F_DROP);
	/* no route to run: nothing dropped, whatever ran before */
	assert_int_equal(run_route(BRANCH_ROUTE, NULL, t.msg), 1);
	assert_int_equal(route_last_flags(), 0);
}

static void test_zero_stops(void **state)
{
	load("route { ti_ret(0); $var(x) = 1; }");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(x)"), 0);
	assert_int_equal(route_last_flags(), ROUTE_F_EXIT);
	teardown(state);
	parse(invite);
	load("route { if (ti_ret(0)) $var(x) = 1; else $var(x) = 2;"
	     " $var(y) = 1; }");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(x)"), 0);
	assert_int_equal(ival("$var(y)"), 0);
	teardown(state);
	parse(invite);
	load("route { route(1); $var(x) = 1; } route[1] { return(0); }");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(x)"), 0);
	teardown(state);
	parse(invite);
	load("route { if (ti_ret(-1) || ti_ret(0)) $var(x) = 1;"
	     " $var(y) = 2; }");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(y)"), 0);
}

static void test_if_else(void **state)
{
	load("route {\n"
	     " if (ti_ret(1)) $var(a) = 1; else $var(a) = 2;\n"
	     " if (ti_ret(-1)) $var(b) = 1; else $var(b) = 2;\n"
	     " if (!ti_ret(-1)) { $var(c) = 3; }\n"
	     " if (ti_ret(1) && ti_ret(-1)) $var(d) = 1; else $var(d) = 4;\n"
	     " if (ti_ret(-1) or ti_ret(1)) $var(e) = 5;\n"
	     " if (not (1 == 2) and 2 > 1) $var(f) = 6;\n"
	     " if ([ 2 * 3 - 6 ]) $var(g) = 1; else $var(g) = 7;\n"
	     " if ($var(nothing)) $var(h) = 1; else $var(h) = 8;\n"
	     " if (\"text\") $var(i) = 9;\n"
	     "}");
	run_main();
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$var(b)"), 2);
	assert_int_equal(ival("$var(c)"), 3);
	assert_int_equal(ival("$var(d)"), 4);
	assert_int_equal(ival("$var(e)"), 5);
	assert_int_equal(ival("$var(f)"), 6);
	assert_int_equal(ival("$var(g)"), 7);
	assert_int_equal(ival("$var(h)"), 8);
	assert_int_equal(ival("$var(i)"), 9);
}

static void test_short_circuit(void **state)
{
	load("route {\n"
	     " if (ti_ret(-1) && ti_count()) $var(x) = 1;\n"
	     " if (ti_ret(1) || ti_count()) $var(x) = 2;\n"
	     " if (ti_ret(1) && ti_count()) $var(x) = 3;\n"
	     "}");
	run_main();
	assert_int_equal(ival("$var(ti_calls)"), 1);
	assert_int_equal(ival("$var(x)"), 3);
}

static void test_while(void **state)
{
	load("route { $var(i) = 0; $var(s) = 0;\n"
	     " while ($var(i) < 5) { $var(i) = $var(i) + 1;"
	     " $var(s) = $var(s) + $var(i); }\n"
	     " $var(j) = 0; while (1) { $var(j) = $var(j) + 1; } }");
	run_main();
	assert_int_equal(ival("$var(i)"), 5);
	assert_int_equal(ival("$var(s)"), 15);
	assert_int_equal(ival("$var(j)"), core_cfg.max_while_loops);
}

static void test_while_bound_configurable(void **state)
{
	load("max_while_loops = 7\n"
	     "route { $var(j) = 0; while ($var(j) < 1000)"
	     " $var(j) = $var(j) + 1; }");
	run_main();
	assert_int_equal(ival("$var(j)"), 7);
}

/* A condition that computes strings, evaluated more often than the
 * scratch buffer could hold them all at once. */
static void test_while_long_string_condition(void **state)
{
	load("max_while_loops = 100000\n"
	     "route { $var(j) = 0;"
	     " while ($var(j) + \"\" != \"20000\") $var(j) = $var(j) + 1; }");
	run_main();
	assert_int_equal(ival("$var(j)"), 20000);
}

static void test_recursion_limit(void **state)
{
	load("route { route(1); $var(after) = 1; }\n"
	     "route[1] { $var(d) = $var(d) + 1; route(1); }");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(d)"), INTERP_MAX_DEPTH);
	assert_int_equal(ival("$var(after)"), 0);
	assert_int_equal(route_last_flags(), ROUTE_F_EXIT);
}

static void test_switch_int(void **state)
{
	static const struct {
		int in;
		const char *out;
	} cases[] = {{1, "one"}, {2, "twothree"}, {3, "three"}, {9, "other"}};
	unsigned i;

	load("route { $var(out) = \"\";\n"
	     " switch ($var(in)) {\n"
	     " case 1: $var(out) = \"one\"; break;\n"
	     " case 2: $var(out) = \"two\";\n"
	     " case 3: $var(out) = $var(out) + \"three\"; break;\n"
	     " default: $var(out) = \"other\";\n"
	     " } }");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		script_var_set_int(
		    script_var_get(script_var_intern(&(str)STR_LIT("in"))),
		    cases[i].in);
		run_main();
		check_sval("$var(out)", cases[i].out);
	}
}

static void test_switch_string(void **state)
{
	load("route { switch ($rm) {\n"
	     " case \"REGISTER\": $var(m) = 1; break;\n"
	     " case \"INVITE\": $var(m) = 2; break;\n"
	     " default: $var(m) = 3; }\n"
	     " switch ($var(none)) { case \"x\": $var(n) = 1; }\n"
	     " switch ($fU) { default: $var(d) = 1; case \"alice\":"
	     " $var(d) = $var(d) + 10; } }");
	run_main();
	assert_int_equal(ival("$var(m)"), 2);
	assert_int_equal(ival("$var(n)"), 0);
	assert_int_equal(ival("$var(d)"), 10);
}

static void test_break_in_while_in_switch(void **state)
{
	load("route { switch ($var(z)) {\n"
	     " case 0: $var(i) = 0;\n"
	     "  while (1) { $var(i) = $var(i) + 1;"
	     "   if ($var(i) == 3) break; }\n"
	     "  $var(after) = 1;\n"
	     " case 1: $var(fall) = 1;\n"
	     " } $var(end) = 1; }");
	run_main();
	assert_int_equal(ival("$var(i)"), 3);
	assert_int_equal(ival("$var(after)"), 0); /* break left the switch */
	assert_int_equal(ival("$var(fall)"), 0);
	assert_int_equal(ival("$var(end)"), 1);
}

static void test_block_and_retcode(void **state)
{
	load("route { { ti_ret(7); $var(a) = $rc; } ti_ret(-2);"
	     " $var(b) = $retcode; }");
	run_main();
	assert_int_equal(ival("$var(a)"), 7);
	assert_int_equal(ival("$var(b)"), -2);
}

/* ----------------------------------------------------- expressions -- */

static void test_arithmetic(void **state)
{
	load("route {\n"
	     " $var(a) = 2 + 3 * 4;\n"
	     " $var(b) = (2 + 3) * 4;\n"
	     " $var(c) = 17 % 5 - 10 / 3;\n"
	     " $var(d) = 6 | 9 ^ 3 & 1;\n"
	     " $var(e) = ~0;\n"
	     " $var(f) = -$var(a);\n"
	     " $var(g) = 1 << 4 >> 2;\n"
	     " $var(h) = 5 / 0;\n"
	     " $var(i) = \"12\" + 3;\n"
	     " $var(j) = \"ab\" + \"cd\" + 1;\n"
	     " $var(k) = $fU + \"@\" + $fd;\n"
	     " $var(l) = $var(k) + $var(k);\n"
	     "}");
	run_main();
	assert_int_equal(ival("$var(a)"), 14);
	assert_int_equal(ival("$var(b)"), 20);
	assert_int_equal(ival("$var(c)"), -1);
	assert_int_equal(ival("$var(d)"), 6 | (9 ^ (3 & 1)));
	assert_int_equal(ival("$var(e)"), -1);
	assert_int_equal(ival("$var(f)"), -14);
	assert_int_equal(ival("$var(g)"), 4);
	assert_int_equal(ival("$var(h)"), 0); /* null: back to 0 */
	assert_int_equal(ival("$var(i)"), 15);
	check_sval("$var(j)", "abcd1");
	check_sval("$var(k)", "alice@atlanta.com");
	check_sval("$var(l)", "alice@atlanta.comalice@atlanta.com");
}

/* Values from messages can be anything: arithmetic must never trap. */
static void test_arithmetic_edges(void **state)
{
	load("route {\n"
	     " $var(min) = -9223372036854775807 - 1;\n"
	     " $var(a) = $var(min) / -1;\n"
	     " $var(b) = $var(min) % -1;\n"
	     " $var(c) = -$var(min);\n"
	     " $var(d) = 9223372036854775807 + 1;\n"
	     " $var(e) = $var(min) * -1;\n"
	     " $var(f) = \"99999999999999999999999\" + 1;\n"
	     "}");
	run_main();
	assert_int_equal(ival("$var(a)"), LONG_MIN);
	assert_int_equal(ival("$var(b)"), 0);
	assert_int_equal(ival("$var(c)"), LONG_MIN);
	assert_int_equal(ival("$var(d)"), LONG_MIN);
	assert_int_equal(ival("$var(e)"), LONG_MIN);
	/* not a number: the + concatenates */
	check_sval("$var(f)", "999999999999999999999991");
}

static void test_comparisons(void **state)
{
	load("route {\n"
	     " if (3 < 4 && 4 <= 4 && 5 > 4 && 5 >= 5 && 1 != 2) $var(a) = 1;\n"
	     " if ($var(none) == 0) $var(b) = 1;\n"
	     " if ($var(s) == null) $var(c) = 1;\n"
	     " $var(s) = \"abc\";\n"
	     " if ($var(s) == \"abc\" && $var(s) != \"ABC\") $var(d) = 1;\n"
	     " if ($var(s) < \"abd\" && $var(s) > \"ab\") $var(e) = 1;\n"
	     " if ($avp(s:none) == null && $fU != null) $var(f) = 1;\n"
	     " if ($avp(s:none) != \"x\") $var(g) = 1;\n"
	     " if ($cs == 1 && $cs == \"1\") $var(h) = 1;\n"
	     " if ($var(s) == 0) $var(i) = 1; else $var(i) = 2;\n"
	     " if ($fU == $tU) $var(j) = 1; else $var(j) = 2;\n"
	     "}");
	run_main();
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$var(b)"), 1);
	assert_int_equal(ival("$var(c)"), 0); /* $var is 0, never null */
	assert_int_equal(ival("$var(d)"), 1);
	assert_int_equal(ival("$var(e)"), 1);
	assert_int_equal(ival("$var(f)"), 1);
	assert_int_equal(ival("$var(g)"), 1);
	assert_int_equal(ival("$var(h)"), 1);
	assert_int_equal(ival("$var(i)"), 2);
	assert_int_equal(ival("$var(j)"), 2);
}

static void test_regex(void **state)
{
	load("route {\n"
	     " if (uri =~ \"^SIP:BOB@\") $var(a) = 1;\n"
	     " if (uri !~ \"^sip:carol\") $var(b) = 1;\n"
	     " if ($fd =~ \"atlanta\\.(com|org)$\") $var(c) = 1;\n"
	     " if (uri =~ $hdr(X-Pattern)) $var(d) = 1;\n"
	     " $var(p) = \"^sip:alice\";\n"
	     " if (uri =~ $var(p)) $var(e) = 1; else $var(e) = 2;\n"
	     " if (from_uri =~ $var(p)) $var(f) = 1;\n"
	     " if (uri =~ $var(p)) $var(g) = 1; else $var(g) = 2;\n"
	     " $var(p) = \"(\";\n"
	     " if (uri =~ $var(p)) $var(h) = 1; else $var(h) = 2;\n"
	     " if ($cs =~ \"^1$\") $var(i) = 1;\n"
	     "}");
	run_main();
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$var(b)"), 1);
	assert_int_equal(ival("$var(c)"), 1);
	assert_int_equal(ival("$var(d)"), 1);
	assert_int_equal(ival("$var(e)"), 2);
	assert_int_equal(ival("$var(f)"), 1);
	assert_int_equal(ival("$var(g)"), 2); /* from the cache */
	assert_int_equal(ival("$var(h)"), 2); /* bad pattern: no match */
	assert_int_equal(ival("$var(i)"), 1);
}

static void test_regex_cache_churn(void **state)
{
	load("route { $var(i) = 0; $var(n) = 0;\n"
	     " while ($var(i) < 30) {\n"
	     "  $var(p) = \"^sip:bob@127\\.0\\.0\\.\" + ($var(i) % 11);\n"
	     "  if (uri =~ $var(p)) $var(n) = $var(n) + 1;\n"
	     "  $var(i) = $var(i) + 1; } }");
	run_main();
	assert_int_equal(ival("$var(n)"), 3); /* i = 1, 12, 23 */
}

static void test_operands(void **state)
{
	load("route {\n"
	     " if (method == \"INVITE\" && method == \"invite\") $var(a) = 1;\n"
	     " if (method != \"BYE\") $var(b) = 1;\n"
	     " if (uri == \"sip:bob@127.0.0.1\") $var(c) = 1;\n"
	     " if (uri == myself && to_uri == myself) $var(d) = 1;\n"
	     " if (from_uri != myself) $var(e) = 1;\n"
	     " if (src_ip == 10.0.0.0/8 && src_ip != 10.0.0.2) $var(f) = 1;\n"
	     " if (src_ip == 10.0.0.1/255.255.255.0) $var(g) = 1;\n"
	     " if (dst_ip == myself && src_ip != myself) $var(h) = 1;\n"
	     " if (dst_ip == 127.0.0.1 && dst_ip == \"localhost\") $var(i) = "
	     "1;\n"
	     " if (src_port == 5062 && dst_port == 5060) $var(j) = 1;\n"
	     " if (proto == UDP && proto != TCP) $var(k) = 1;\n"
	     " if (af == INET && af != INET6) $var(l) = 1;\n"
	     " if (msg:len < max_len && msg:len > 100) $var(m) = 1;\n"
	     " if (from_uri == \"SIP:alice@atlanta.com\") $var(n) = 1;\n"
	     " if (to_uri =~ \"5060\") $var(o) = 1;\n"
	     " if (src_ip =~ \"^10\\.\") $var(p) = 1;\n"
	     " $var(q) = src_ip + \":\" + src_port;\n"
	     " if ($var(u) == myself) $var(r) = 1;\n"
	     " $var(u) = \"sip:x@127.0.0.1:5060\";\n"
	     " if ($var(u) == myself) $var(r) = 2;\n"
	     " if (status == 200) $var(s) = 1; else $var(s) = 2;\n"
	     "}");
	run_main();
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$var(b)"), 1);
	assert_int_equal(ival("$var(c)"), 1);
	assert_int_equal(ival("$var(d)"), 1);
	assert_int_equal(ival("$var(e)"), 1);
	assert_int_equal(ival("$var(f)"), 1);
	assert_int_equal(ival("$var(g)"), 1);
	assert_int_equal(ival("$var(h)"), 1);
	assert_int_equal(ival("$var(i)"), 1);
	assert_int_equal(ival("$var(j)"), 1);
	assert_int_equal(ival("$var(k)"), 1);
	assert_int_equal(ival("$var(l)"), 1);
	assert_int_equal(ival("$var(m)"), 1);
	assert_int_equal(ival("$var(n)"), 1);
	assert_int_equal(ival("$var(o)"), 1);
	assert_int_equal(ival("$var(p)"), 1);
	check_sval("$var(q)", "10.0.0.1:5062");
	assert_int_equal(ival("$var(r)"), 2);
	assert_int_equal(ival("$var(s)"), 2); /* a request has no status */
}

static void test_reply_operands(void **state)
{
	tmsg_free(&t);
	parse(reply);
	load("onreply_route {\n"
	     " if (status == 183 && status =~ \"^1[0-9][0-9]$\") $var(a) = 1;\n"
	     " if (status >= 100 && status < 200) $var(b) = 1;\n"
	     " if (method == \"INVITE\") $var(c) = 1;\n"
	     " if (uri == \"x\") $var(d) = 1; else $var(d) = 2;\n"
	     " if ($rs == 183 && $rr == \"Session Progress\") $var(e) = 1;\n"
	     " drop;\n"
	     "}");
	run_route(ONREPLY_ROUTE, cfg_main_route(script, ONREPLY_ROUTE), t.msg);
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$var(b)"), 1);
	assert_int_equal(ival("$var(c)"), 1);
	assert_int_equal(ival("$var(d)"), 2);
	assert_int_equal(ival("$var(e)"), 1);
	assert_true(route_dropped());
}

/* ----------------------------------------------------- assignments -- */

static void test_assignments(void **state)
{
	load("route {\n"
	     " $avp(s:a) = 1; $avp(s:a) = \"two\";\n"
	     " $avp(i:5) := 3; $avp(i:5) := 4;\n"
	     " $avp(s:gone) = 1; $avp(s:gone) = null;\n"
	     " $rU = \"carol\"; $rd = \"chicago.com\"; $rp = 5070;\n"
	     " $du = \"sip:10.1.1.1:5090\";\n"
	     " $var(v) = \"x\"; $var(v) = null;\n"
	     " $br = \"sip:branch@b.com\";\n"
	     "}");
	run_main();
	check_sval("$(avp(s:a)[*])", "two, 1");
	check_sval("$(avp(i:5)[*])", "4");
	check_null_val("$avp(s:gone)");
	check_sval("$ru", "sip:carol@chicago.com:5070");
	check_sval("$du", "sip:10.1.1.1:5090");
	assert_int_equal(ival("$var(v)"), 0);
	check_sval("$br", "sip:branch@b.com");
}

static void test_assign_failure(void **state)
{
	load("route { $ru = \"not a uri\"; $var(x) = $rc;"
	     " $avp(s:m) = \"v\"; }");
	shm_fail_after(0);
	run_main();
	shm_fail_after(-1);
	check_sval("$ru", "sip:bob@127.0.0.1");
	check_null_val("$avp(s:m)"); /* out of shm: nothing added */
	assert_null(*avp_msg_list());
}

static void test_avp_out_of_shm(void **state)
{
	struct avp_name n;
	struct avp_value v = {0, 7, STR_NULL};
	str name = STR_LIT("k");

	avp_name_str(&n, &name);
	assert_int_equal(avp_add(&n, &v), SV_OK);
	shm_fail_after(0);
	assert_int_equal(avp_add(&n, &v), SV_ENOMEM);
	shm_fail_after(-1);
	assert_int_equal(avp_count(&n), 1);
}

static void test_avp_list_switch(void **state)
{
	avp_list_t trans = NULL, *old;

	load("route { $avp(s:x) = \"msg\"; }\n"
	     "failure_route[1] { $var(seen) = $avp(s:x);"
	     " $avp(s:y) = \"t\"; }");
	run_main();
	/* what tm does at t_relay: the request's AVPs move to the cell */
	trans = avp_list_detach(avp_msg_list());
	assert_null(*avp_msg_list());
	old = avp_set_list(&trans);
	run_route(FAILURE_ROUTE, cfg_route_lookup(script, FAILURE_ROUTE, "1"),
	          t.msg);
	avp_set_list(old);
	check_sval("$var(seen)", "msg");
	check_null_val("$avp(s:y)"); /* went into the transaction's list */
	assert_ptr_equal(avp_get_list(), avp_msg_list());
	avp_list_free(&trans);
}

/* ---------------------------------------------- context and flags -- */

static void test_script_flags_and_nesting(void **state)
{
	load("route { setsflag(3); $var(t1) = ti_route_type();\n"
	     " $var(b) = ti_branch(\"1\");\n"
	     " if (issflagset(3)) $var(kept) = 1;\n"
	     " if (issflagset(4)) $var(leak) = 1;\n"
	     " $var(t2) = ti_route_type(); }\n"
	     "branch_route[1] { if (issflagset(3)) $var(inherited) = 1;\n"
	     " setsflag(4); $var(tb) = ti_route_type(); drop; }");
	script_flags = 0xff00;
	run_main();
	assert_int_equal(ival("$var(t1)"), REQUEST_ROUTE);
	assert_int_equal(ival("$var(tb)"), BRANCH_ROUTE);
	assert_int_equal(ival("$var(t2)"), REQUEST_ROUTE);
	assert_int_equal(ival("$var(b)"), 2); /* the branch route dropped */
	assert_int_equal(ival("$var(inherited)"), 0);
	assert_int_equal(ival("$var(kept)"), 1);
	assert_int_equal(ival("$var(leak)"), 0);
	assert_int_equal(route_last_flags(), 0); /* the outer run's */
	assert_int_equal(route_type(), 0);
	assert_int_equal(script_flags, 1u << 3);
}

static void test_error_from_function(void **state)
{
	load("route { $var(a) = 1; ti_bad_hdr(); $var(b) = 1; }");
	assert_int_equal(run_main(), 0);
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$var(b)"), 0);
	assert_int_equal(route_last_flags(), ROUTE_F_EXIT | ROUTE_F_ERROR);
	/* an error present before the route started is not a new one */
	teardown(state);
	parse(invite);
	msg_bad(t.msg, "old");
	load("route { ti_bad_hdr(); $var(b) = 1; }");
	run_main();
	assert_int_equal(ival("$var(b)"), 1);
	assert_int_equal(route_last_flags(), 0);
}

static void test_unimplemented_refused(void **state)
{
	assert_int_equal(try_load("route {\n\tforward_tcp(\"h\");\n}"),
	                 SV_EINVAL);
	assert_string_equal(cfg_last_error(),
	                    "t.cfg:4:2: error: 'forward_tcp' is not "
	                    "implemented: the TCP and TLS transports are not "
	                    "implemented yet");
	teardown(state);
	parse(invite);
	assert_int_equal(try_load("route { error(\"a\", \"b\"); }"), SV_EINVAL);
	teardown(state);
	parse(invite);
	assert_int_equal(try_load("route { forward(\"tcp:1.2.3.4\"); }"),
	                 SV_EINVAL);
	assert_non_null(strstr(cfg_last_error(), "only UDP is implemented"));
	teardown(state);
	parse(invite);
	assert_int_equal(
	    try_load("route { force_send_socket(\"udp:127.0.0.1:1\"); }"),
	    SV_EINVAL);
	assert_non_null(strstr(cfg_last_error(), "is not a listen socket"));
}

/* ------------------------------------------------------ core actions -- */

static void check_rewrite(const char *action, const char *want)
{
	char text[256];

	snprintf(text, sizeof(text), "route { %s; }", action);
	load(text);
	assert_int_equal(run_main(), 1);
	check_sval("$ru", want);
	teardown(NULL);
	parse(invite);
}

static void test_uri_rewriting(void **state)
{
	check_rewrite("seturi(\"sip:x@y.org;lr\")", "sip:x@y.org;lr");
	check_rewrite("rewriteuri(\"tel:+123\")", "tel:+123");
	check_rewrite("sethost(\"h.net\")", "sip:bob@h.net");
	check_rewrite("rewritehost(\"[::1]\")", "sip:bob@[::1]");
	check_rewrite("sethostport(\"h.net:5070\")", "sip:bob@h.net:5070");
	check_rewrite("rewritehostport(\"h.net\")", "sip:bob@h.net");
	check_rewrite("setuser(\"carol\")", "sip:carol@127.0.0.1");
	check_rewrite("rewriteuser(\"\")", "sip:127.0.0.1");
	check_rewrite("setuserpass(\"u:pw\")", "sip:u:pw@127.0.0.1");
	check_rewrite("setport(\"5080\")", "sip:bob@127.0.0.1:5080");
	check_rewrite("setport(\"5080\"); setport(\"\")", "sip:bob@127.0.0.1");
	check_rewrite("prefix(\"00\")", "sip:00bob@127.0.0.1");
	check_rewrite("strip(1)", "sip:ob@127.0.0.1");
	check_rewrite("strip(5)", "sip:127.0.0.1");
	check_rewrite("strip_tail(2)", "sip:b@127.0.0.1");
	check_rewrite("sethost(\"x.org\"); revert_uri()", "sip:bob@127.0.0.1");
	check_rewrite("seth(\"a.b\"); setu(\"c\"); setp(\"1\")", "sip:c@a.b:1");
}

static void test_dst_uri_actions(void **state)
{
	load("route { if (isdsturiset()) $var(a) = 1;\n"
	     " setdsturi(\"sip:10.9.9.9:5099\");\n"
	     " if (isdsturiset) $var(b) = $du;\n"
	     " resetdsturi(); if (!isduriset()) $var(c) = 1; }");
	run_main();
	assert_int_equal(ival("$var(a)"), 0);
	check_sval("$var(b)", "sip:10.9.9.9:5099");
	assert_int_equal(ival("$var(c)"), 1);
	check_null_val("$du");
}

static void test_flag_actions(void **state)
{
	load("route { setflag(1); setflag(31); resetflag(31);\n"
	     " if (isflagset(1) && !isflagset(31)) $var(a) = 1;\n"
	     " setbflag(2); append_branch(\"sip:x@b\");\n"
	     " setbflag(1, 5); if (isbflagset(1, 5) && !isbflagset(0, 5))"
	     " $var(b) = 1;\n"
	     " if (!isbflagset(2, 1)) $var(c) = 1;\n"
	     " resetbranchflag(2); setsflag(7); }");
	run_main();
	assert_int_equal(t.msg->flags, 1u << 1);
	assert_int_equal(t.msg->ruri_bflags, 0);
	assert_int_equal(dset_branch(0)->flags, 1u << 5);
	assert_int_equal(ival("$var(a)"), 1);
	assert_int_equal(ival("$var(b)"), 1);
	assert_int_equal(ival("$var(c)"), 1);
	assert_int_equal(ival("$sf"), 1 << 7);
	assert_int_equal(ival("$mf"), 2);
}

static void test_branch_actions(void **state)
{
	load("route { setbflag(3); setdsturi(\"sip:1.1.1.1\");\n"
	     " append_branch(); append_branch(\"sip:a@b\");\n"
	     " append_branch(\"sip:c@d\", \"0.25\"); }");
	run_main();
	assert_int_equal(dset_count(), 3);
	assert_true(str_eq_lit(&dset_branch(0)->uri, "sip:bob@127.0.0.1"));
	assert_true(str_eq_lit(&dset_branch(0)->dst_uri, "sip:1.1.1.1"));
	assert_int_equal(dset_branch(0)->flags, 1u << 3);
	assert_true(str_eq_lit(&dset_branch(1)->uri, "sip:a@b"));
	assert_int_equal(dset_branch(1)->dst_uri.len, 0);
	assert_int_equal(dset_branch(1)->q, DSET_Q_UNSPECIFIED);
	assert_int_equal(dset_branch(2)->q, 250);
	check_sval("$bR", "sip:bob@127.0.0.1, sip:a@b, sip:c@d;q=0.25");
}

static void test_misc_actions(void **state)
{
	load("route { force_rport(); force_local_rport;\n"
	     " force_send_socket(\"udp:127.0.0.1:5060\");\n"
	     " set_advertised_address(\"pub.example.com\");\n"
	     " set_advertised_port(\"5099\");\n"
	     " pv_printf($var(p), \"$rm to $rU\");\n"
	     " avp_printf($avp(s:p), \"<$fU>\");\n"
	     " setdebug(4); $var(l1) = 1; setdebug(); log(\"x\");"
	     " log(1, \"y\"); }");
	log_set_level(L_CRIT);
	run_main();
	assert_true(t.msg->core_flags & MSG_CF_FORCE_RPORT);
	assert_true(t.msg->core_flags & MSG_CF_LOCAL_RPORT);
	assert_non_null(t.msg->force_send_socket);
	assert_true(
	    str_eq_lit(&t.msg->force_send_socket->name, "udp:127.0.0.1:5060"));
	assert_true(str_eq_lit(&t.msg->adv_address, "pub.example.com"));
	assert_true(str_eq_lit(&t.msg->adv_port, "5099"));
	check_sval("$var(p)", "INVITE to bob");
	check_sval("$avp(s:p)", "<alice>");
	assert_int_equal(log_get_level(), L_CRIT); /* setdebug() restored */
	check_sval("$fs", "udp:127.0.0.1:5060");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_return_values),
	    T(test_fall_off_end),
	    T(test_subroute_return),
	    T(test_exit_and_drop),
	    T(test_zero_stops),
	    T(test_if_else),
	    T(test_short_circuit),
	    T(test_while),
	    T(test_while_bound_configurable),
	    T(test_while_long_string_condition),
	    T(test_recursion_limit),
	    T(test_switch_int),
	    T(test_switch_string),
	    T(test_break_in_while_in_switch),
	    T(test_block_and_retcode),
	    T(test_arithmetic),
	    T(test_arithmetic_edges),
	    T(test_comparisons),
	    T(test_regex),
	    T(test_regex_cache_churn),
	    T(test_operands),
	    T(test_reply_operands),
	    T(test_assignments),
	    T(test_assign_failure),
	    T(test_avp_out_of_shm),
	    T(test_avp_list_switch),
	    T(test_script_flags_and_nesting),
	    T(test_error_from_function),
	    T(test_unimplemented_refused),
	    T(test_uri_rewriting),
	    T(test_dst_uri_actions),
	    T(test_flag_actions),
	    T(test_branch_actions),
	    T(test_misc_actions),
	};
	char err[128];
	int rc;

	log_set_level(L_CRIT);
	if (shm_init(4 << 20) != SV_OK)
		return 1;
	if (listen_add("udp:127.0.0.1:5060", err, sizeof(err)) != SV_OK ||
	    sockets_resolve() != SV_OK)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	shm_destroy();
	return rc;
}
