/*
 * interp_bench.c - the cost of running the routing script.
 *
 * Prints key=value lines (nanoseconds per message):
 *   route_simple_ns     run_route() of `if (method == "INVITE") setflag(1);
 *                       else setflag(2);` on a parsed INVITE: the
 *                       interpreter's fixed cost (frame, dispatch, one
 *                       comparison, one core function)
 *   route_typical_ns    a short proxy-style script: message length, three
 *                       method tests, uri == myself, a regex on from_uri,
 *                       an AVP set from $fU, route(1) with a regex on $rU
 *                       and prefix() (an R-URI rewrite), return; plus the
 *                       per-message cleanup of the AVP and the new R-URI
 *   receive_simple_ns   receive_msg() of the INVITE with the simple script
 *                       and `drop`: parse, check_request, pre/post
 *                       callbacks, the route, cleanup (no reply is sent)
 *   check_only_ns       parse_msg() + check_request() + free, for
 *                       comparison: receive_simple_ns minus this is what
 *                       the routing layer adds
 *
 * With an argument, only the figure of that name is measured.  Each
 * figure is the best of 25 rounds of about 20 ms.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cfg/cfg.h"
#include "cfg/diag.h"
#include "cfg/interp.h"
#include "core/avp.h"
#include "core/dset.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/receive.h"
#include "core/socket.h"
#include "core/parser/msg.h"
#include "core/parser/msg_check.h"
#include "core/parser/msg_uri.h"
#include "shm/shm.h"

static char invite[] =
    "INVITE sip:0123456@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP "
    "pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:0123456@127.0.0.1>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "User-Agent: SoftPhone/1.0\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static const char simple_cfg[] =
    "route {\n"
    "  if (method == \"INVITE\") setflag(1); else setflag(2);\n"
    "}\n";

static const char typical_cfg[] =
    "route {\n"
    "  if (msg:len >= max_len) { drop; }\n"
    "  if (method == \"REGISTER\") { drop; }\n"
    "  if (method == \"CANCEL\" || method == \"ACK\") { exit; }\n"
    "  if (uri == myself) { setflag(2); }\n"
    "  if (from_uri =~ \"^sip:alice@\") { setflag(3); }\n"
    "  $avp(s:caller) = $fU;\n"
    "  route(1);\n"
    "}\n"
    "route[1] {\n"
    "  if (method == \"INVITE\" && $rU =~ \"^[0-9]+$\") prefix(\"00\");\n"
    "  return(1);\n"
    "}\n";

static const char drop_cfg[] =
    "route {\n"
    "  if (method == \"INVITE\") setflag(1); else setflag(2);\n"
    "  drop;\n"
    "}\n";

#define ROUNDS        25
#define ROUND_SECONDS 0.02

enum work { ROUTE, ROUTE_CLEAN, RECEIVE, CHECK };

static struct sip_msg msg;
static struct cfg_script *script;
static const struct cfg_route *main_route;
static struct receive_info ri;
static volatile unsigned sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void one(enum work w)
{
	switch (w) {
	case ROUTE:
		sink += (unsigned)run_route(REQUEST_ROUTE, main_route, &msg);
		break;
	case ROUTE_CLEAN:
		sink += (unsigned)run_route(REQUEST_ROUTE, main_route, &msg);
		avp_reset_msg_list();
		reset_new_uri(&msg);
		break;
	case RECEIVE:
		sink += (unsigned)receive_msg(invite, sizeof(invite) - 1, &ri);
		break;
	case CHECK:
		parse_msg(invite, sizeof(invite) - 1, &msg);
		msg.rcv = ri;
		sink += (unsigned)check_request(&msg);
		free_sip_msg(&msg);
		break;
	}
}

static double ns_per_msg(enum work w)
{
	long n = 1000, i;
	double t0, dt, best = 1e30;
	int round;

	for (;;) {
		t0 = now();
		for (i = 0; i < n; i++)
			one(w);
		dt = now() - t0;
		if (dt > ROUND_SECONDS / 2)
			break;
		n *= 2;
	}
	n = (long)((double)n * ROUND_SECONDS / dt) + 1;
	for (round = 0; round < ROUNDS; round++) {
		t0 = now();
		for (i = 0; i < n; i++)
			one(w);
		dt = (now() - t0) * 1e9 / (double)n;
		if (dt < best)
			best = dt;
	}
	return best;
}

static int load(const char *text)
{
	if (script) {
		cfg_set_active(NULL);
		cfg_free(script);
	}
	if (cfg_load_buffer("bench.cfg", text, strlen(text), &script) !=
	        SV_OK ||
	    cfg_fixup_all(script) != SV_OK) {
		fprintf(stderr, "script: %s\n", cfg_last_error());
		return SV_EINVAL;
	}
	cfg_set_active(script);
	main_route = cfg_main_route(script, REQUEST_ROUTE);
	return SV_OK;
}

static void report(const char *only, const char *key, const char *cfg,
                   enum work w)
{
	if (only && strcmp(only, key) != 0)
		return;
	if (load(cfg) != SV_OK)
		return;
	printf("%s=%.0f\n", key, ns_per_msg(w));
}

static void setup_rcv(void)
{
	ri.src_ip.af = AF_INET;
	ri.src_ip.len = 4;
	memcpy(ri.src_ip.u.addr, "\x0a\x00\x00\x01", 4);
	ri.src_port = 5060;
	ri.dst_ip = listen_list->address;
	ri.dst_port = listen_list->port;
	ri.proto = PROTO_UDP;
	ri.bind_address = listen_list;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	char err[128];

	log_set_level(L_ALERT);
	if (shm_init(16 << 20) != SV_OK ||
	    listen_add("udp:127.0.0.1:5060", err, sizeof(err)) != SV_OK ||
	    sockets_resolve() != SV_OK)
		return 1;
	setup_rcv();
	if (parse_msg(invite, sizeof(invite) - 1, &msg) != SV_OK)
		return 1;
	msg.rcv = ri;
	report(only, "route_simple_ns", simple_cfg, ROUTE);
	report(only, "route_typical_ns", typical_cfg, ROUTE_CLEAN);
	free_sip_msg(&msg);
	report(only, "receive_simple_ns", drop_cfg, RECEIVE);
	report(only, "check_only_ns", drop_cfg, CHECK);
	cfg_set_active(NULL);
	cfg_free(script);
	return sink == 0xdeadbeef;
}
