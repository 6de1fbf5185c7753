/*
 * test_tm_routes.c - tm's script routes end to end, in one process: a
 * routing script (below) is loaded with the tm module linked into this
 * test (its exports registered as a module, so its functions and
 * pseudo-variables are the real ones) and textops loaded from the build;
 * requests and replies go through the core's receive path
 * (receive_msg()), every message tm sends is captured (tm_send_hook), time
 * is virtual (tm_clock, timer_run, timer_slow_run).  Covered: serial
 * forking in failure routes (486, 408 on fr_timer, re-arming, t_reply from
 * the route, nothing done), parallel forking (2xx wins and cancels, best
 * final), branch routes (per-branch edits, $T_branch_idx, drop), branch
 * and message flags where the seed says they are seen, onreply routes
 * (drop of a provisional, flags), t_check_status / $T_reply_code /
 * t_local_replied / t_was_cancelled, t_replicate, timeouts from AVPs, the
 * AVPs a failure route sees, and a CANCEL arriving while a failure route
 * builds the next branch.  After each flow no transaction, shm or lock is
 * left.
 */
#include "parser_testutil.h"
#include "tm_testutil.h"

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "cfg/interp.h"
#include "cfg/fixup.h"
#include "core/avp.h"
#include "core/config.h"
#include "core/dset.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/receive.h"
#include "core/script_cb.h"
#include "core/script_var.h"
#include "core/socket.h"
#include "core/stats.h"
#include "modules/tm/h_table.h"
#include "modules/tm/t_funcs.h"
#include "modules/tm/t_stats.h"
#include "modules/tm/t_timer.h"
#include "modules/tm/tm_cfg.h"
#include "shm/shm.h"
#include "timer/timer.h"

#define UAC_PORT 5061
#define A_PORT   5070 /* a callee */
#define B_PORT   5072 /* another: the voicemail, the gateway */
#define C_PORT   5074 /* a third */
#define R_PORT   5076 /* t_replicate's copies */

/* tm's exports, linked into this test */
extern const struct module_exports exports;

static const char *script_text =
    "loadmodule \"textops\"\n"
    "modparam(\"tm\", \"fr_timer\", 5)\n"
    "modparam(\"tm\", \"fr_inv_timer\", 20)\n"
    "modparam(\"tm\", \"fr_timer_avp\", \"$avp(i:24)\")\n"
    "modparam(\"tm\", \"fr_inv_timer_avp\", \"i:25\")\n"
    "route {\n"
    "  if (method == \"CANCEL\") { if (t_check_trans()) t_relay(); exit; }\n"
    "  if (method == \"ACK\") { if (t_check_trans()) exit; t_relay(); exit; }\n"
    "  $du = \"sip:127.0.0.1:5070\";\n"
    "  switch ($rU) {\n"
    "  case \"serial\": route(serial); break;\n"
    "  case \"silo\": route(silo); break;\n"
    "  case \"nothing\": route(nothing); break;\n"
    "  case \"rounds\": route(rounds); break;\n"
    "  case \"fork\": route(fork); break;\n"
    "  case \"allbad\": route(allbad); break;\n"
    "  case \"query\": route(query); break;\n"
    "  case \"avp\": route(avp); break;\n"
    "  case \"avpinv\": route(avpinv); break;\n"
    "  case \"repl\": route(repl); break;\n"
    "  case \"race\": route(race); break;\n"
    "  case \"flush\": route(flush); break;\n"
    "  case \"avpmode\": route(avpmode); break;\n"
    "  case \"rewrite\": t_on_failure(\"rw\"); t_relay(); break;\n"
    "  case \"explicit\": t_on_failure(\"ex\"); t_relay(); break;\n"
    "  case \"unchanged\": t_on_failure(\"un\"); t_relay(); break;\n"
    "  }\n"
    "}\n"
    /* 1-31: serial forking to voicemail */
    "route[serial] { t_on_failure(\"1\"); t_relay(); }\n"
    "failure_route[1] {\n"
    "  seturi(\"sip:user@127.0.0.1:5072\");\n"
    "  append_branch();\n"
    "  t_relay();\n"
    "}\n"
    /* a message silo */
    "route[silo] { t_on_failure(\"2\"); t_relay(); }\n"
    "failure_route[2] { t_reply(\"202\", \"Accepted for delivery\"); }\n"
    /* a failure route that does nothing */
    "route[nothing] { t_on_failure(\"3\"); t_relay(); }\n"
    "failure_route[3] { $var(x) = 1; }\n"
    /* several rounds, re-armed */
    "route[rounds] { t_on_failure(\"4\"); t_relay(); }\n"
    "failure_route[4] {\n"
    "  if (t_check_status(\"486\")) {\n"
    "    append_branch(\"sip:second@127.0.0.1:5072\");\n"
    "    t_on_failure(\"4\");\n"
    "  } else {\n"
    "    append_branch(\"sip:third@127.0.0.1:5074\");\n"
    "  }\n"
    "  t_relay();\n"
    "}\n"
    /* parallel forking; branch route, branch flags, reply route */
    "route[fork] {\n"
    "  append_branch(\"sip:gw@127.0.0.1:5072\");\n"
    "  t_on_branch(\"1\"); t_on_reply(\"1\"); t_on_failure(\"5\");\n"
    "  t_relay();\n"
    "}\n"
    "branch_route[1] {\n"
    "  append_hf(\"X-Idx: $T_branch_idx\\r\\n\");\n"
    "  if (uri =~ \"gw@\") { setbflag(3); append_hf(\"X-GW: yes\\r\\n\"); }\n"
    "  if (uri =~ \"bad@\") drop;\n"
    "}\n"
    "onreply_route[1] {\n"
    "  if (isbflagset(3)) append_hf(\"X-Seen-GW: $T_reply_code\\r\\n\");\n"
    "  if (t_check_status(\"183\")) drop;\n"
    "  if (t_check_status(\"180\")) setflag(7);\n"
    "}\n"
    "failure_route[5] {\n"
    "  if (isbflagset(3)) $var(who) = \"gw\"; else $var(who) = \"user\";\n"
    "  if (isflagset(7)) $var(rang) = \"rang\"; else $var(rang) = \"quiet\";\n"
    "  t_reply(\"480\", \"$var(who) $var(rang) $T_reply_code\");\n"
    "}\n"
    /* every branch dropped */
    "route[allbad] {\n"
    "  $du = null; seturi(\"sip:bad@127.0.0.1:5070\");\n"
    "  append_branch(\"sip:bad@127.0.0.1:5072\");\n"
    "  t_on_branch(\"1\");\n"
    "  if (!t_relay()) { $var(rc) = $rc; }\n"
    "}\n"
    /* queries in a failure route */
    "route[query] { setflag(2); t_on_failure(\"6\"); t_relay(); }\n"
    "failure_route[6] {\n"
    "  $var(l) = \"-\";\n"
    "  if (t_local_replied(\"all\")) $var(l) = $var(l) + \"all\";\n"
    "  if (t_local_replied(\"last\")) $var(l) = $var(l) + \"last\";\n"
    "  if (t_was_cancelled()) $var(l) = $var(l) + \"cancelled\";\n"
    "  if (isflagset(2)) $var(l) = $var(l) + \"flag\";\n"
    "  if (t_check_status(\"4[0-9][0-9]\")) $var(l) = $var(l) + \"4xx\";\n"
    "  t_reply(\"500\", \"$T_reply_code $var(l) $avp(s:who) $rU\");\n"
    "}\n"
    /* AVPs: timeouts, seen by the failure route */
    "route[avp] {\n"
    "  $avp(i:24) = 2; $avp(s:who) = \"alice\";\n"
    "  t_on_failure(\"6\"); t_relay();\n"
    "  $avp(s:who) = \"after\";\n"
    "}\n"
    "route[avpinv] { $avp(i:25) = \"3\"; t_relay(); }\n"
    /* t_replicate */
    "route[repl] { t_replicate(\"sip:127.0.0.1:5076\"); t_relay(); }\n"
    /* a CANCEL while the failure route builds the next branch */
    "route[race] { t_on_failure(\"7\"); t_relay(); }\n"
    "failure_route[7] {\n"
    "  test_cancel_now();\n"
    "  append_branch(\"sip:next@127.0.0.1:5072\");\n"
    "  if (!t_relay()) $avp(s:rc) = $rc;\n"
    "}\n"
    /* onreply_avp_mode: which AVPs a reply route sees */
    "route[avpmode] {\n"
    "  $avp(s:req) = \"r\"; t_on_reply(\"m\"); t_on_failure(\"m\");\n"
    "  t_relay();\n"
    "}\n"
    "onreply_route[m] {\n"
    "  if ($avp(s:req) == \"r\") $avp(s:seen) = \"yes\";\n"
    "  $avp(s:fromreply) = $rs;\n"
    "}\n"
    "failure_route[m] {\n"
    "  t_reply(\"500\", \"$avp(s:req) $avp(s:seen) $avp(s:fromreply)\");\n"
    "}\n"
    /* t_relay in a failure route without append_branch */
    "failure_route[rw] { rewritehostport(\"127.0.0.1:5072\"); t_relay(); }\n"
    "failure_route[ex] { t_relay(\"udp:127.0.0.1:5074\"); }\n"
    "failure_route[un] {\n"
    "  if (!t_relay()) $var(rc) = $rc;\n"
    "  if ($var(rc) == -3) t_reply(\"480\", \"No branch\");\n"
    "}\n"
    /* t_newtran, then flags: t_flush_flags() */
    "route[flush] {\n"
    "  t_newtran(); setflag(2);\n"
    "  if ($hdr(X-Flush) == \"yes\") t_flush_flags();\n"
    "  t_on_failure(\"6\"); t_relay();\n"
    "}\n";

static struct socket_info sock;
static struct cfg_script *script;
static uint64_t vnow;
static unsigned long shm_base;
static int cseq = 100;

static uint64_t vclock(void)
{
	return vnow;
}

/* ------------------------------------------------------ sent messages -- */

struct sent {
	int port;
	char text[4096];
};

static struct sent sent[256];
static int nsent;

static int capture(const struct dest_info *dst, const char *buf, int len)
{
	struct sent *s = &sent[nsent < 255 ? nsent++ : 255];
	int n = len < 4095 ? len : 4095;

	s->port = ntohs(dst->to.sin.sin_port);
	memcpy(s->text, buf, (size_t)n);
	s->text[n] = '\0';
	return SV_OK;
}

static int count(int port, const char *prefix)
{
	int i, n = 0;

	for (i = 0; i < nsent; i++)
		if (sent[i].port == port &&
		    strncmp(sent[i].text, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static const char *last(int port, const char *prefix)
{
	int i;

	for (i = nsent - 1; i >= 0; i--)
		if (sent[i].port == port &&
		    strncmp(sent[i].text, prefix, strlen(prefix)) == 0)
			return sent[i].text;
	return NULL;
}

/* ----------------------------------------------------------- driving -- */

static void deliver(const char *text, int src_port)
{
	struct receive_info ri;
	static char buf[8192];
	str ip = STR_LIT("127.0.0.1");
	int len = (int)strlen(text);

	assert_true(len < (int)sizeof(buf));
	memcpy(buf, text, (size_t)len);
	memset(&ri, 0, sizeof(ri));
	ip_addr_parse(&ip, &ri.src_ip);
	ri.src_port = (unsigned short)src_port;
	ri.proto = PROTO_UDP;
	ri.bind_address = &sock;
	su_from_ip(&ri.src_su, &ri.src_ip, (unsigned short)src_port);
	receive_msg(buf, len, &ri);
	assert_false(tm_holds_reply_lock());
}

static char req_text[2048];

/* A request of method to user, with a fresh Call-ID and branch. */
static const char *request(const char *method, const char *user,
                           const char *extra)
{
	cseq++;
	snprintf(req_text, sizeof(req_text),
	         "%s sip:%s@example.com SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKu%d\r\n"
	         "Max-Forwards: 70\r\n"
	         "To: <sip:%s@example.com>\r\n"
	         "From: <sip:alice@example.org>;tag=a%d\r\n"
	         "Call-ID: call-%d@test\r\n"
	         "CSeq: %d %s\r\n"
	         "%s"
	         "Content-Length: 0\r\n"
	         "\r\n",
	         method, user, cseq, user, cseq, cseq, cseq, method,
	         extra ? extra : "");
	return req_text;
}

/* The CANCEL of the request last made by request(). */
static char cancel_text[2048];

static const char *cancel_of_last(void)
{
	snprintf(cancel_text, sizeof(cancel_text),
	         "CANCEL sip:race@example.com SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKu%d\r\n"
	         "Max-Forwards: 70\r\n"
	         "To: <sip:race@example.com>\r\n"
	         "From: <sip:alice@example.org>;tag=a%d\r\n"
	         "Call-ID: call-%d@test\r\n"
	         "CSeq: %d CANCEL\r\n"
	         "Content-Length: 0\r\n"
	         "\r\n",
	         cseq, cseq, cseq, cseq);
	return cancel_text;
}


/* Replies code to the last request sent to port. */
static void answer(int port, const char *method, int code, const char *reason)
{
	deliver(tm_make_reply(last(port, method), code, reason, "cl", NULL), port);
}

static void advance(uint64_t ms)
{
	uint64_t end = vnow + ms;

	while (vnow < end) {
		vnow += 5;
		timer_run(vnow);
		while (timer_slow_run(1000))
			;
	}
}



static void assert_all_gone(void)
{
	unsigned h;

	/* a negative final reply upstream is resent for fr_timer (nobody
	   ACKs it here), then wt_timer */
	advance(11000);
	assert_int_equal(tm_stat(TS_INUSE), 0);
	assert_int_equal(tm_shm_used(), shm_base);
	for (h = 0; h < TM_TABLE_ENTRIES; h++)
		assert_int_equal(tm_bucket_owner(h), 0);
	assert_false(tm_holds_reply_lock());
	assert_int_equal(dset_count(), 0);
}

/* The upstream final reply's first line, checked. */
static void assert_upstream(const char *status_line)
{
	const char *r = last(UAC_PORT, "SIP/2.0 ");

	assert_non_null(r);
	if (strncmp(r, status_line, strlen(status_line)) != 0)
		fail_msg("upstream got '%.60s', expected '%s'", r,
		         status_line);
}

/* ------------------------------------------ a CANCEL from "elsewhere" -- */

/*
 * test_cancel_now(): handles the CANCEL of the current call as another
 * worker would, in the middle of a failure route: on a message of its own
 * (the receive path's is in use when a reply started the route), with this
 * process's tm context and AVP list put aside meanwhile.
 */
static int w_cancel_now(struct sip_msg *msg, void **params)
{
	struct tm_proc_ctx saved = tm_ctx;
	avp_list_t *avps = avp_set_list(NULL);
	str ip = STR_LIT("127.0.0.1");
	struct tmsg c;

	memset(&tm_ctx, 0, sizeof(tm_ctx));
	tm_ctx.t = T_UNDEFINED;
	tmsg_parse(&c, cancel_of_last());
	assert_int_equal(c.rc, SV_OK);
	ip_addr_parse(&ip, &c.msg->rcv.src_ip);
	c.msg->rcv.src_port = UAC_PORT;
	c.msg->rcv.proto = PROTO_UDP;
	c.msg->rcv.bind_address = &sock;
	su_from_ip(&c.msg->rcv.src_su, &c.msg->rcv.src_ip, UAC_PORT);
	if (exec_pre_script_cb(c.msg, SCB_REQUEST))
		run_route(REQUEST_ROUTE, route_main(REQUEST_ROUTE), c.msg);
	exec_post_script_cb(c.msg, SCB_REQUEST);
	tmsg_free(&c);
	tm_ctx = saved;
	avp_set_list(avps);
	return 1;
}

static const struct cmd_export hook_cmds[] = {
    {"test_cancel_now", w_cancel_now, 0, NULL, FAILURE_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static const struct module_exports hook_exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tmtest",
    .cmds = hook_cmds,
};

/* ------------------------------------------------------ setup, checks -- */



static int group_setup(void **state)
{
	char buf[16384];
	int n;

	if (shm_init(32 << 20) != SV_OK || timer_init() != SV_OK ||
	    stats_init() != SV_OK)
		return -1;
	sock.fd = -1;
	sock.proto = PROTO_UDP;
	sock.port = 5060;
	sock.address_str = (str)STR_LIT("127.0.0.1");
	sock.port_str = (str)STR_LIT("5060");
	ip_addr_parse(&sock.address_str, &sock.address);
	su_from_ip(&sock.su, &sock.address, 5060);
	listen_list = &sock;
	add_static_module(&hook_exports);
	add_static_module(&exports);
	n = snprintf(buf, sizeof(buf), "mpath=\"%s\"\n%s", SERVAL_MODULES_DIR,
	             script_text);
	if (cfg_load_buffer("routes.cfg", buf, n, &script) != SV_OK ||
	    modules_init() != SV_OK || cfg_fixup_all(script) != SV_OK) {
		fprintf(stderr, "script did not load: %s\n",
		        cfg_last_error());
		return -1;
	}
	cfg_set_active(script);
	tm_send_hook = capture;
	tm_clock = vclock;
	tm_granule_ms = 1;
	vnow = timer_now_ms();
	return 0;
}

static int group_teardown(void **state)
{
	cfg_set_active(NULL);
	cfg_free(script);
	modules_destroy();
	remove_static_modules();
	modules_unload();
	core_config_reset();
	script_vars_free();
	script_cb_reset();
	return 0;
}

static int test_setup(void **state)
{
	tm_cfg.fr_timer = 5;
	tm_cfg.fr_inv_timer = 20;
	tm_cfg.onreply_avp_mode = 0;
	nsent = 0;
	shm_base = tm_shm_used();
	return 0;
}

/* ------------------------------------------------------------- flows -- */

/* 1-31: a 486, then voicemail; exactly one new branch. */
static void test_serial_busy_to_voicemail(void **state)
{
	const char *vm;

	deliver(request("INVITE", "serial", NULL), UAC_PORT);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 100"), 1);
	assert_int_equal(count(A_PORT, "INVITE"), 1);
	answer(A_PORT, "INVITE", 486, "Busy Here");
	assert_int_equal(count(A_PORT, "ACK"), 1);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 486"), 0);
	assert_int_equal(count(B_PORT, "INVITE"), 1);
	vm = last(B_PORT, "INVITE sip:user@127.0.0.1:5072 SIP/2.0\r\n");
	assert_non_null(vm);
	assert_non_null(strstr(vm, "branch=z9hG4bK"));
	assert_non_null(strstr(vm, "Max-Forwards: 69\r\n"));
	answer(B_PORT, "INVITE", 200, "OK");
	assert_upstream("SIP/2.0 200 OK");
	assert_int_equal(tm_stat(TS_2XX), 1);
	assert_all_gone();
}

/* No answer at all: 408 on fr_timer, from the timer slow process. */
static void test_serial_timeout(void **state)
{
	deliver(request("INVITE", "serial", NULL), UAC_PORT);
	advance(4900);
	assert_int_equal(count(B_PORT, "INVITE"), 0);
	advance(200);
	assert_int_equal(count(B_PORT, "INVITE"), 1);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 408"), 0);
	/* no provisional came: no CANCEL to the silent callee */
	assert_int_equal(count(A_PORT, "CANCEL"), 0);
	/* the failure route is not armed again: the 486 goes upstream */
	answer(B_PORT, "INVITE", 486, "Busy Here");
	assert_upstream("SIP/2.0 486 Busy Here");
	assert_all_gone();
}

static void test_failure_route_replies(void **state)
{
	deliver(request("MESSAGE", "silo", NULL), UAC_PORT);
	answer(A_PORT, "MESSAGE", 404, "Not Found");
	assert_upstream("SIP/2.0 202 Accepted for delivery");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 404"), 0);
	assert_all_gone();
}

static void test_failure_route_does_nothing(void **state)
{
	deliver(request("INVITE", "nothing", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy Here Now");
	assert_upstream("SIP/2.0 486 Busy Here Now");
	assert_all_gone();
}

/* Round 1 re-arms, round 2 does not: three rounds, then the last reply. */
static void test_rounds_rearmed(void **state)
{
	deliver(request("INVITE", "rounds", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_non_null(last(B_PORT, "INVITE sip:second@"));
	answer(B_PORT, "INVITE", 480, "Unavailable");
	assert_non_null(last(C_PORT, "INVITE sip:third@"));
	assert_int_equal(count(UAC_PORT, "SIP/2.0 4"), 0);
	answer(C_PORT, "INVITE", 486, "Busy Again");
	assert_upstream("SIP/2.0 486 Busy Again");
	/* each branch got its own index in our Via */
	assert_non_null(strstr(last(C_PORT, "INVITE"), ".2\r\n"));
	assert_all_gone();
}

/* Parallel forking: the 200 of one branch wins, the other is cancelled. */
static void test_parallel_2xx_wins(void **state)
{
	const char *a, *b;

	deliver(request("INVITE", "fork", NULL), UAC_PORT);
	a = last(A_PORT, "INVITE");
	b = last(B_PORT, "INVITE");
	assert_non_null(a);
	assert_non_null(b);
	/* each branch has its own index and only its own edits */
	assert_non_null(strstr(a, "X-Idx: 1\r\n"));
	assert_null(strstr(a, "X-GW"));
	assert_non_null(strstr(b, "X-Idx: 2\r\n"));
	assert_non_null(strstr(b, "X-GW: yes\r\n"));
	assert_non_null(strstr(b, "INVITE sip:gw@127.0.0.1:5072 SIP/2.0"));
	answer(A_PORT, "INVITE", 180, "Ringing");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 180"), 1);
	answer(B_PORT, "INVITE", 200, "OK");
	assert_upstream("SIP/2.0 200 OK");
	assert_int_equal(count(A_PORT, "CANCEL"), 1);
	deliver(tm_make_reply(last(A_PORT, "CANCEL"), 200, "OK", "x", NULL),
	        A_PORT);
	answer(A_PORT, "INVITE", 487, "Request Terminated");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 487"), 0);
	assert_all_gone();
}

/*
 * Branch flags: seen in the gateway branch's replies only, and in the
 * failure route when the gateway's reply wins; message flags set by the
 * reply route are seen by the failure route.
 */
static void test_branch_flags(void **state)
{
	const char *up;

	deliver(request("INVITE", "fork", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 180, "Ringing");
	up = last(UAC_PORT, "SIP/2.0 180");
	assert_non_null(up);
	assert_null(strstr(up, "X-Seen-GW"));
	answer(B_PORT, "INVITE", 180, "Ringing");
	up = last(UAC_PORT, "SIP/2.0 180");
	assert_non_null(strstr(up, "X-Seen-GW: 180\r\n"));
	/* 183 is dropped by the reply route */
	answer(B_PORT, "INVITE", 183, "Progress");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 183"), 0);
	answer(A_PORT, "INVITE", 503, "Unavailable");
	answer(B_PORT, "INVITE", 486, "Busy");
	assert_upstream("SIP/2.0 480 gw rang 486");
	assert_all_gone();

	nsent = 0;
	deliver(request("INVITE", "fork", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 404, "Not Found");
	answer(B_PORT, "INVITE", 503, "Unavailable");
	assert_upstream("SIP/2.0 480 user quiet 404");
	assert_all_gone();
}

static void test_branch_route_drops_all(void **state)
{
	deliver(request("INVITE", "allbad", NULL), UAC_PORT);
	assert_int_equal(count(A_PORT, "INVITE"), 0);
	assert_int_equal(count(B_PORT, "INVITE"), 0);
	/* t_relay created the transaction: tm answered the error itself */
	assert_int_equal(count(UAC_PORT, "SIP/2.0 100"), 1);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 "), 2);
	assert_all_gone();
}

static void test_queries_timeout(void **state)
{
	deliver(request("INVITE", "query", NULL), UAC_PORT);
	advance(5100);
	assert_upstream("SIP/2.0 500 408 -alllastflag4xx <null> query");
	assert_all_gone();
}

static void test_queries_received(void **state)
{
	deliver(request("INVITE", "query", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 100, "Trying");
	answer(A_PORT, "INVITE", 404, "Nobody");
	assert_upstream("SIP/2.0 500 404 -flag4xx <null> query");
	assert_all_gone();
}

static void test_queries_cancelled(void **state)
{
	deliver(request("INVITE", "query", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 180, "Ringing");
	deliver(cancel_of_last(), UAC_PORT);
	answer(A_PORT, "INVITE", 487, "Terminated");
	assert_upstream("SIP/2.0 500 487 -cancelledflag4xx <null> query");
	assert_all_gone();
}

/*
 * fr_inv_timer on a ringing callee with a failure route armed: 408 at once
 * (whatever noisy_ctimer says), the route runs, the callee is cancelled and
 * its 487 absorbed.
 */
static void test_queries_fr_inv(void **state)
{
	deliver(request("INVITE", "query", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 180, "Ringing");
	advance(19900);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 500"), 0);
	advance(200);
	assert_upstream("SIP/2.0 500 408 -lastflag4xx <null> query");
	assert_int_equal(count(A_PORT, "CANCEL"), 1);
	answer(A_PORT, "INVITE", 487, "Terminated");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 487"), 0);
	assert_all_gone();
}

/* fr_timer from $avp(i:24); the failure route sees the AVPs of t_relay. */
static void test_avp_timeout_and_list(void **state)
{
	deliver(request("INVITE", "avp", NULL), UAC_PORT);
	advance(1900);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 500"), 0);
	advance(200);
	assert_upstream("SIP/2.0 500 408 -alllast4xx alice avp");
	assert_all_gone();
}

/* fr_inv_timer from $avp(i:25) (a string): after the 180, 3 s. */
static void test_avp_inv_timeout(void **state)
{
	deliver(request("INVITE", "avpinv", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 180, "Ringing");
	advance(2900);
	assert_int_equal(count(A_PORT, "CANCEL"), 0);
	advance(200);
	assert_int_equal(count(A_PORT, "CANCEL"), 1);
	answer(A_PORT, "INVITE", 487, "Terminated");
	assert_upstream("SIP/2.0 487 Terminated");
	assert_all_gone();
}

/* t_replicate: a copy to R_PORT, nothing of it upstream. */
static void test_replicate(void **state)
{
	const char *copy;

	deliver(request("OPTIONS", "repl", NULL), UAC_PORT);
	copy = last(R_PORT, "OPTIONS sip:repl@example.com SIP/2.0\r\n");
	assert_non_null(copy);
	assert_int_equal(count(A_PORT, "OPTIONS"), 1);
	assert_int_equal(tm_stat(TS_UAC), 1);
	answer(R_PORT, "OPTIONS", 200, "Copy OK");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 "), 0);
	/* a retransmission makes no second copy */
	deliver(req_text, UAC_PORT);
	assert_int_equal(count(R_PORT, "OPTIONS"), 1);
	answer(A_PORT, "OPTIONS", 200, "Real OK");
	assert_upstream("SIP/2.0 200 Real OK");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 "), 1);
	assert_all_gone();
}

/* A copy nobody answers: retransmitted, timed out, never upstream. */
static void test_replicate_unanswered(void **state)
{
	deliver(request("OPTIONS", "repl", NULL), UAC_PORT);
	answer(A_PORT, "OPTIONS", 200, "Real OK");
	advance(6000);
	assert_true(count(R_PORT, "OPTIONS") >= 4);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 "), 1);
	assert_all_gone();
}

/*
 * A CANCEL handled while the failure route is about to build the next
 * branch: the CANCEL is answered, t_relay() refuses (-3), the caller
 * gets 487.
 */
static void test_cancel_during_failure_route(void **state)
{
	deliver(request("INVITE", "race", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy Here");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 200 canceling"), 1);
	assert_int_equal(count(B_PORT, "INVITE"), 0);
	assert_upstream("SIP/2.0 487 Request Terminated");
	assert_int_equal(count(UAC_PORT, "SIP/2.0 486"), 0);
	assert_all_gone();
}

/* The same on fr_timer: the route runs in the timer slow process. */
static void test_cancel_during_timeout_failure_route(void **state)
{
	deliver(request("INVITE", "race", NULL), UAC_PORT);
	advance(5100);
	assert_int_equal(count(UAC_PORT, "SIP/2.0 200 canceling"), 1);
	assert_int_equal(count(B_PORT, "INVITE"), 0);
	assert_upstream("SIP/2.0 487 Request Terminated");
	assert_all_gone();
}

/* t_flush_flags(): flags set after t_newtran reach the routes only so. */
static void test_flush_flags(void **state)
{
	deliver(request("INVITE", "flush", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_upstream("SIP/2.0 500 486 -4xx <null> flush");
	assert_all_gone();
	nsent = 0;
	deliver(request("INVITE", "flush", "X-Flush: yes\r\n"), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_upstream("SIP/2.0 500 486 -flag4xx <null> flush");
	assert_all_gone();
}

/* onreply_avp_mode 0: a list of the route's own; 1: the transaction's. */
static void test_onreply_avp_mode(void **state)
{
	deliver(request("INVITE", "avpmode", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 180, "Ringing");
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_upstream("SIP/2.0 500 r <null> <null>");
	assert_all_gone();
	nsent = 0;
	tm_cfg.onreply_avp_mode = 1;
	deliver(request("INVITE", "avpmode", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 180, "Ringing");
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_upstream("SIP/2.0 500 r yes 486");
	assert_all_gone();
}

/*
 * In a failure route with nothing appended, t_relay() sends the R-URI when
 * the route rewrote it or names a destination, and fails (-3) otherwise.
 */
static void test_failure_relay_without_append(void **state)
{
	deliver(request("INVITE", "rewrite", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_non_null(last(B_PORT, "INVITE sip:rewrite@127.0.0.1:5072 "));
	answer(B_PORT, "INVITE", 200, "OK");
	assert_upstream("SIP/2.0 200 OK");
	assert_all_gone();
	nsent = 0;
	deliver(request("INVITE", "explicit", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_non_null(last(C_PORT, "INVITE sip:explicit@example.com "));
	answer(C_PORT, "INVITE", 404, "Not Here");
	assert_upstream("SIP/2.0 404 Not Here");
	assert_all_gone();
	nsent = 0;
	deliver(request("INVITE", "unchanged", NULL), UAC_PORT);
	answer(A_PORT, "INVITE", 486, "Busy");
	assert_int_equal(count(A_PORT, "INVITE"), 1);
	assert_upstream("SIP/2.0 480 No branch");
	assert_all_gone();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
	    T(test_serial_busy_to_voicemail),
	    T(test_serial_timeout),
	    T(test_failure_route_replies),
	    T(test_failure_route_does_nothing),
	    T(test_rounds_rearmed),
	    T(test_parallel_2xx_wins),
	    T(test_branch_flags),
	    T(test_branch_route_drops_all),
	    T(test_queries_timeout),
	    T(test_queries_received),
	    T(test_queries_cancelled),
	    T(test_queries_fr_inv),
	    T(test_avp_timeout_and_list),
	    T(test_avp_inv_timeout),
	    T(test_replicate),
	    T(test_replicate_unanswered),
	    T(test_cancel_during_failure_route),
	    T(test_cancel_during_timeout_failure_route),
	    T(test_flush_flags),
	    T(test_onreply_avp_mode),
	    T(test_failure_relay_without_append),
	};

	log_set_level(getenv("TM_ROUTES_DEBUG") ? L_DBG : L_ERR);
	if (getenv("TM_ROUTES_ONLY"))
		cmocka_set_test_filter(getenv("TM_ROUTES_ONLY"));
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
