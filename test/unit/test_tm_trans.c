/*
 * test_tm_trans.c - tm's transactions end to end, in one process: requests
 * go through the per-message hooks and t_relay/t_newtran/t_reply/
 * t_check_trans, replies through the module's response hook, every message
 * tm sends is captured (tm_send_hook) instead of sent, and time is virtual
 * (tm_clock, timer_run, timer_slow_run), so retransmission schedules and
 * timeouts are checked exactly.  After each flow the transaction must be
 * gone: tm:inuse_transactions 0, shm back to its baseline, no lock held.
 * An out-of-memory sweep fails each shm allocation of a call in turn.
 */
#include "parser_testutil.h"
#include "tm_testutil.h"

#include "core/lump.h"
#include "core/msg_builder.h"
#include "core/pv.h"
#include "core/socket.h"
#include "core/stats.h"
#include "core/parser/to_from.h"
#include "core/parser/via.h"
#include "modules/tm/h_table.h"
#include "modules/tm/t_fwd.h"
#include "modules/tm/t_funcs.h"
#include "modules/tm/t_lookup.h"
#include "modules/tm/t_msgbuilder.h"
#include "modules/tm/t_reply.h"
#include "modules/tm/t_stats.h"
#include "modules/tm/t_timer.h"
#include "modules/tm/tm_cfg.h"
#include "shm/shm.h"
#include "timer/timer.h"

#define UAC_PORT  5061
#define UAS_PORT  5070
#define UAS2_PORT 5072

static struct socket_info sock;
static struct tm_dst_spec to_uas, to_uas2;
static uint64_t vnow;
static unsigned long shm_base;
static unsigned msg_ids;

static uint64_t vclock(void)
{
	return vnow;
}

/* ------------------------------------------------------ sent messages -- */

struct sent {
	int port;
	int len;
	char text[4096];
};

static struct sent sent[512];
static int nsent;
static int fail_port; /* sends to this port fail */

static int capture(const struct dest_info *dst, const char *buf, int len)
{
	struct sent *s = &sent[nsent < 511 ? nsent++ : 511];

	s->port = ntohs(dst->to.sin.sin_port);
	if (s->port == fail_port)
		return SV_ESEND;
	s->len = len < 4095 ? len : 4095;
	memcpy(s->text, buf, (size_t)s->len);
	s->text[s->len] = '\0';
	return SV_OK;
}

/* Messages sent to port starting with prefix since index from. */
static int count(int from, int port, const char *prefix)
{
	int i, n = 0;

	for (i = from; i < nsent; i++)
		if (sent[i].port == port &&
		    strncmp(sent[i].text, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

/* The last message sent to port starting with prefix, or NULL. */
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

typedef int (*action_f)(struct sip_msg *msg);

/* One request from the UAC through the per-message hooks and act. */
static int request(const char *text, action_f act)
{
	str ip = STR_LIT("192.0.2.10");
	struct tmsg t;
	int rc;

	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	t.msg->id = ++msg_ids;
	ip_addr_parse(&ip, &t.msg->rcv.src_ip);
	t.msg->rcv.src_port = UAC_PORT;
	t.msg->rcv.proto = PROTO_UDP;
	t.msg->rcv.bind_address = &sock;
	su_from_ip(&t.msg->rcv.src_su, &t.msg->rcv.src_ip, UAC_PORT);
	tm_script_pre(t.msg, NULL);
	rc = act(t.msg);
	tm_script_post(t.msg, NULL);
	assert_false(tm_holds_reply_lock());
	tmsg_free(&t);
	return rc;
}

/* One reply from downstream: 0 taken by tm, 1 not (stateless relay). */
static int reply(const char *text)
{
	struct tmsg t;
	int rc;

	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	rc = tm_response(t.msg);
	assert_false(tm_holds_reply_lock());
	tmsg_free(&t);
	return rc;
}

/* Advances virtual time by ms, running both timer processes' work. */
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

static int a_relay(struct sip_msg *m)
{
	return tm_t_relay(m, &to_uas, 0);
}

static int a_check(struct sip_msg *m)
{
	return tm_check_trans(m);
}

static int a_check_relay(struct sip_msg *m)
{
	int rc = tm_check_trans(m);

	return rc > 0 ? tm_t_relay(m, &to_uas, 0) : rc;
}

static int a_newtran(struct sip_msg *m)
{
	return tm_newtran(m);
}

static int reply_code;

static int a_newtran_reply(struct sip_msg *m)
{
	str r = STR_LIT("Here");
	int rc = tm_newtran(m);

	if (rc <= 0)
		return rc;
	rc = tm_t_reply(tm_ctx.t, m, reply_code, &r);
	tm_ctx.kr = TM_KR_RPLD;
	return rc == SV_OK ? 1 : -1;
}

static int a_reply_twice(struct sip_msg *m)
{
	str r = STR_LIT("Busy");

	assert_int_equal(tm_newtran(m), 1);
	assert_int_equal(tm_t_reply(tm_ctx.t, m, 486, &r), SV_OK);
	assert_int_equal(tm_t_reply(tm_ctx.t, m, 202, &r), SV_EINVAL);
	tm_ctx.kr = TM_KR_RPLD;
	return 1;
}

static int a_relay_ruri(struct sip_msg *m)
{
	return tm_t_relay(m, NULL, TM_RELAY_NO_100);
}

/* ---------------------------------------------------------- messages -- */

#define CALLID "Call-ID: a84b4c76e66710@pc33\r\n"

static char inv_text[2048];

static const char *invite(const char *branch, const char *ruri)
{
	snprintf(inv_text, sizeof(inv_text),
	         "INVITE %s SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 192.0.2.10:5061;branch=%s\r\n"
	         "Max-Forwards: 70\r\n"
	         "To: Bob <sip:bob@example.com>\r\n"
	         "From: Alice <sip:alice@example.org>;tag=1928301774\r\n" CALLID
	         "CSeq: 314159 INVITE\r\n"
	         "Contact: <sip:alice@192.0.2.10:5061>\r\n"
	         "Content-Type: application/sdp\r\n"
	         "Content-Length: 4\r\n"
	         "\r\n"
	         "v=0\n",
	         ruri ? ruri : "sip:bob@example.com", branch);
	return inv_text;
}

static char req_text[2048];

/* ACK, CANCEL or a non-INVITE request of the same call. */
static const char *req(const char *method, const char *branch,
                       const char *to_tag, int cseq)
{
	snprintf(req_text, sizeof(req_text),
	         "%s sip:bob@example.com SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 192.0.2.10:5061;branch=%s\r\n"
	         "Max-Forwards: 70\r\n"
	         "To: Bob <sip:bob@example.com>%s%s\r\n"
	         "From: Alice <sip:alice@example.org>;tag=1928301774\r\n" CALLID
	         "CSeq: %d %s\r\n"
	         "Content-Length: 0\r\n"
	         "\r\n",
	         method, branch, to_tag ? ";tag=" : "", to_tag ? to_tag : "",
	         cseq, method);
	return req_text;
}


/* The Via branch of the top Via of text (pkg copy in out). */
static void top_branch(const char *text, char *out, int size)
{
	struct tmsg t;

	tmsg_parse(&t, text);
	assert_int_equal(parse_via1(t.msg), SV_OK);
	snprintf(out, size, "%.*s", STR_FMT(&t.msg->via1->branch->body));
	tmsg_free(&t);
}

/* ------------------------------------------------------ setup, checks -- */



/* Everything of the flow is gone once its timers ran out. */
static void assert_all_gone(void)
{
	unsigned h;

	advance(7000); /* wt_timer 5 s + margin */
	assert_int_equal(tm_stat(TS_INUSE), 0);
	assert_int_equal(tm_shm_used(), shm_base);
	for (h = 0; h < TM_TABLE_ENTRIES; h++)
		assert_int_equal(tm_bucket_owner(h), 0);
	assert_false(tm_holds_reply_lock());
}

static int group_setup(void **state)
{
	char err[64];

	if (shm_init(32 << 20) != SV_OK || timer_init() != SV_OK ||
	    stats_init() != SV_OK ||
	    stats_register_module("tm", tm_stat_exports) != SV_OK ||
	    tm_table_init() != SV_OK)
		return -1;
	sock.fd = -1;
	sock.proto = PROTO_UDP;
	sock.port = 5060;
	sock.address_str = (str)STR_LIT("127.0.0.1");
	sock.port_str = (str)STR_LIT("5060");
	ip_addr_parse(&sock.address_str, &sock.address);
	su_from_ip(&sock.su, &sock.address, 5060);
	listen_list = &sock;
	tm_send_hook = capture;
	tm_clock = vclock;
	tm_granule_ms = 1;
	vnow = timer_now_ms();
	if (tm_dst_spec_parse("udp:127.0.0.1:5070", &to_uas, err, 64) ||
	    tm_dst_spec_parse("127.0.0.1:5072", &to_uas2, err, 64))
		return -1;
	return 0;
}

static int test_setup(void **state)
{
	tm_cfg.fr_timer = 30;
	tm_cfg.fr_inv_timer = 120;
	tm_cfg.wt_timer = 5;
	tm_cfg.t1 = 500;
	tm_cfg.t2 = 4000;
	tm_cfg.noisy_ctimer = 0;
	tm_cfg.restart_fr = 1;
	tm_cfg.syn_branch = 1;
	fail_port = 0;
	nsent = 0;
	shm_base = tm_shm_used();
	return 0;
}

/* ------------------------------------------------------------- flows -- */

static void test_call_2xx(void **state)
{
	const char *down, *up;

	assert_int_equal(request(invite("z9hG4bK776asdhds", NULL), a_relay), 1);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 100 Trying"), 1);
	down = last(UAS_PORT, "INVITE sip:bob@example.com SIP/2.0\r\n"
	                      "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK");
	assert_non_null(down);
	assert_non_null(strstr(down, "Max-Forwards: 69\r\n"));
	assert_int_equal(tm_stat(TS_INUSE), 1);
	assert_int_equal(tm_stat(TS_UAS), 1);

	/* 100 absorbed, 180 relayed without our Via, 200 relayed */
	assert_int_equal(reply(tm_make_reply(down, 100, "Trying", NULL, NULL)), 0);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 100"), 1);
	assert_int_equal(reply(tm_make_reply(down, 180, "Ringing", "b1", NULL)),
	                 0);
	up = last(UAC_PORT, "SIP/2.0 180 Ringing\r\n"
	                    "Via: SIP/2.0/UDP 192.0.2.10:5061;branch=z9hG4bK7");
	assert_non_null(up);
	assert_null(strstr(up, "127.0.0.1"));
	assert_int_equal(reply(tm_make_reply(down, 200, "OK", "b1", NULL)), 0);
	assert_non_null(last(UAC_PORT, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP "
	                               "192.0.2.10"));
	/* the UAS retransmits its 200: relayed again */
	assert_int_equal(reply(tm_make_reply(down, 200, "OK", "b1", NULL)), 0);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200 OK"), 2);
	assert_int_equal(tm_stat(TS_RELAYED), 3);
	assert_int_equal(tm_stat(TS_2XX), 1);

	/* the ACK of a relayed 2xx is no business of the transaction */
	assert_int_equal(
	    request(req("ACK", "z9hG4bKack1", "b1", 314159), a_check), -1);
	/* an INVITE retransmission gets the last reply again */
	assert_int_equal(request(invite("z9hG4bK776asdhds", NULL), a_relay), 0);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200 OK"), 3);
	assert_int_equal(count(0, UAS_PORT, "INVITE"), 1);

	/* BYE: a non-INVITE transaction */
	assert_int_equal(
	    request(req("BYE", "z9hG4bKbye1", "b1", 314160), a_relay), 1);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 100"), 1);
	down = last(UAS_PORT, "BYE ");
	assert_int_equal(reply(tm_make_reply(down, 200, "OK", NULL, NULL)), 0);
	assert_non_null(last(UAC_PORT, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP "
	                               "192.0.2.10:5061;branch=z9hG4bKbye1"));
	assert_int_equal(tm_stat(TS_INUSE), 2);
	assert_all_gone();
	/* a reply for a transaction that is gone: the core's business */
	assert_int_equal(reply(tm_make_reply(down, 200, "OK", NULL, NULL)), 1);
}

/* A reply larger than the cell's inline area gets a buffer of its own. */
static void test_big_reply(void **state)
{
	char extra[1200];
	const char *down;

	memset(extra, 'x', sizeof(extra));
	memcpy(extra, "X-Big: ", 7);
	memcpy(extra + sizeof(extra) - 3, "\r\n", 3);
	request(invite("z9hG4bKbig", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 183, "Progress", "g1", extra));
	assert_non_null(strstr(last(UAC_PORT, "SIP/2.0 183"), "X-Big: xxx"));
	/* a retransmission of the INVITE gets it again, whole */
	request(invite("z9hG4bKbig", NULL), a_relay);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 183"), 2);
	assert_true(strlen(last(UAC_PORT, "SIP/2.0 183")) > sizeof(extra));
	reply(tm_make_reply(down, 200, "OK", "g1", NULL));
	assert_all_gone();
}

static void test_call_rejected(void **state)
{
	const char *down, *ack;
	char br[128];
	int mark;

	request(invite("z9hG4bKrej1", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	top_branch(down, br, sizeof(br));
	assert_int_equal(reply(tm_make_reply(down, 486, "Busy Here", "u1", NULL)),
	                 0);
	/* hop-by-hop ACK downstream: our branch, the reply's To tag */
	ack = last(UAS_PORT, "ACK sip:bob@example.com SIP/2.0\r\n");
	assert_non_null(ack);
	assert_non_null(strstr(ack, br));
	assert_non_null(strstr(ack, ";tag=u1\r\n"));
	assert_non_null(strstr(ack, "CSeq: 314159 ACK\r\n"));
	assert_null(strstr(ack, "192.0.2.10:5061;branch"));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 486 Busy Here"), 1);
	/* a retransmitted 486 is absorbed, and acknowledged again */
	reply(tm_make_reply(down, 486, "Busy Here", "u1", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 486"), 1);
	assert_int_equal(count(0, UAS_PORT, "ACK "), 2);
	/* our 486 is resent until the ACK comes: after T1, 2*T1 */
	mark = nsent;
	advance(520);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 486"), 1);
	advance(1000);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 486"), 2);
	assert_int_equal(
	    request(req("ACK", "z9hG4bKrej1", "u1", 314159), a_relay), 0);
	mark = nsent;
	advance(8000);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 486"), 0);
	assert_int_equal(count(mark, UAS_PORT, "ACK"), 0);
	assert_int_equal(tm_stat(TS_4XX), 1);
	assert_all_gone();
}

static void test_cancel_after_180(void **state)
{
	const char *down, *cancel;
	char br[128];
	long uas = tm_stat(TS_UAS);

	request(invite("z9hG4bKcan1", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	top_branch(down, br, sizeof(br));
	reply(tm_make_reply(down, 180, "Ringing", "u2", NULL));
	assert_int_equal(
	    request(req("CANCEL", "z9hG4bKcan1", NULL, 314159), a_check_relay),
	    1);
	assert_int_equal(tm_stat(TS_UAS), uas + 2);
	assert_non_null(last(UAC_PORT, "SIP/2.0 200 canceling\r\n"
	                               "Via: SIP/2.0/UDP 192.0.2.10:5061;"
	                               "branch=z9hG4bKcan1"));
	cancel = last(UAS_PORT, "CANCEL sip:bob@example.com SIP/2.0\r\n");
	assert_non_null(cancel);
	assert_non_null(strstr(cancel, br));
	assert_non_null(strstr(cancel, "CSeq: 314159 CANCEL\r\n"));
	/* its 200 is absorbed, the 487 relayed */
	assert_int_equal(reply(tm_make_reply(cancel, 200, "OK", NULL, NULL)), 0);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200 OK"), 0);
	reply(tm_make_reply(down, 487, "Request Terminated", "u2", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 487"), 1);
	assert_int_equal(count(0, UAS_PORT, "ACK"), 1);
	assert_int_equal(
	    request(req("ACK", "z9hG4bKcan1", "u2", 314159), a_check), 0);
	assert_all_gone();
}

static void test_cancel_before_reply(void **state)
{
	const char *down;
	int mark;

	request(invite("z9hG4bKcan2", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	/* no reply yet: 200 to the CANCEL, 487 at once, no CANCEL yet */
	request(req("CANCEL", "z9hG4bKcan2", NULL, 314159), a_check_relay);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200 canceling"), 1);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 487 Request Terminated"),
	                 1);
	assert_int_equal(count(0, UAS_PORT, "CANCEL"), 0);
	/* the INVITE is no longer resent */
	mark = nsent;
	advance(2000);
	assert_int_equal(count(mark, UAS_PORT, "INVITE"), 0);
	/* a late provisional: now the CANCEL goes */
	reply(tm_make_reply(down, 180, "Ringing", "u3", NULL));
	assert_int_equal(count(0, UAS_PORT, "CANCEL"), 1);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 180"), 0);
	request(req("ACK", "z9hG4bKcan2", NULL, 314159), a_relay);
	assert_all_gone();
}

static void test_cancel_unknown(void **state)
{
	assert_int_equal(
	    request(req("CANCEL", "z9hG4bKnone", NULL, 1), a_check), -1);
	/* relayed like any request when the script insists */
	assert_int_equal(
	    request(req("CANCEL", "z9hG4bKnone", NULL, 1), a_relay), 1);
	assert_int_equal(count(0, UAS_PORT, "CANCEL"), 1);
	reply(tm_make_reply(last(UAS_PORT, "CANCEL"), 481, "No Transaction", NULL,
	                 NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 481"), 1);
	assert_all_gone();
}

static void test_invite_timeout(void **state)
{
	const char *up;
	int mark;

	tm_cfg.fr_timer = 2;
	tm_cfg.t1 = 100;
	request(invite("z9hG4bKto1", NULL), a_relay);
	mark = nsent;
	/* Timer A: 100, 200, 400, 800 ms ... (no cap) until fr_timer */
	advance(1990);
	assert_int_equal(count(mark, UAS_PORT, "INVITE"), 4);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 408"), 0);
	advance(20);
	up = last(UAC_PORT, "SIP/2.0 408 Request Timeout\r\n");
	assert_non_null(up);
	assert_non_null(strstr(up, ";tag=")); /* tm's To tag */
	assert_int_equal(count(mark, UAS_PORT, "INVITE"), 4);
	assert_int_equal(count(mark, UAS_PORT, "CANCEL"), 0);
	request(req("ACK", "z9hG4bKto1", "x", 314159), a_relay);
	assert_all_gone();
}

/* Long timers fire on granule boundaries (never early). */
static void test_granule(void **state)
{
	uint64_t t0, fired = 0;

	tm_cfg.fr_timer = 2;
	tm_cfg.t1 = 100;
	tm_granule_ms = 100;
	request(invite("z9hG4bKgr1", NULL), a_relay);
	t0 = vnow;
	while (!fired && vnow < t0 + 3000) {
		advance(5);
		if (count(0, UAC_PORT, "SIP/2.0 408"))
			fired = vnow;
	}
	tm_granule_ms = 1;
	assert_true(fired >= t0 + 2000 && fired < t0 + 2105);
	assert_true(fired % 100 < 5);
	request(req("ACK", "z9hG4bKgr1", "x", 314159), a_relay);
	assert_all_gone();
}

static void test_non_invite_timeout(void **state)
{
	int mark;

	tm_cfg.fr_timer = 2;
	tm_cfg.t1 = 100;
	tm_cfg.t2 = 400;
	request(req("OPTIONS", "z9hG4bKopt1", NULL, 5), a_relay);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 100"), 0);
	mark = nsent;
	/* Timer E: 100, 200, 400, 400 ... */
	advance(1990);
	assert_int_equal(count(mark, UAS_PORT, "OPTIONS"), 6);
	advance(20);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 408"), 1);
	assert_all_gone();
}

static void test_non_invite_provisional_t2(void **state)
{
	const char *down;
	int mark;

	tm_cfg.t1 = 100;
	tm_cfg.t2 = 1000;
	request(req("MESSAGE", "z9hG4bKmsg1", NULL, 6), a_relay);
	down = last(UAS_PORT, "MESSAGE");
	reply(tm_make_reply(down, 180, "Queued", NULL, NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 180"), 1);
	mark = nsent;
	advance(2100); /* after a provisional: every T2 */
	assert_int_equal(count(mark, UAS_PORT, "MESSAGE"), 2);
	reply(tm_make_reply(down, 202, "Accepted", NULL, NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 202"), 1);
	/* a retransmission of the request gets the 202 */
	request(req("MESSAGE", "z9hG4bKmsg1", NULL, 6), a_relay);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 202"), 2);
	assert_all_gone();
}

static void test_fr_inv_quiet(void **state)
{
	const char *down, *cancel;
	int mark;

	tm_cfg.fr_inv_timer = 3;
	request(invite("z9hG4bKinv1", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 180, "Ringing", "u4", NULL));
	mark = nsent;
	advance(2990);
	assert_int_equal(count(mark, UAS_PORT, "CANCEL"), 0);
	advance(20);
	/* noisy_ctimer=0: the branch is cancelled, its final awaited */
	cancel = last(UAS_PORT, "CANCEL");
	assert_non_null(cancel);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 408"), 0);
	reply(tm_make_reply(cancel, 200, "OK", NULL, NULL));
	reply(tm_make_reply(down, 487, "Request Terminated", "u4", NULL));
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 487"), 1);
	request(req("ACK", "z9hG4bKinv1", "u4", 314159), a_relay);
	assert_all_gone();
}

static void test_fr_inv_quiet_no_final(void **state)
{
	const char *down;
	int mark;

	tm_cfg.fr_inv_timer = 3;
	tm_cfg.fr_timer = 2;
	request(invite("z9hG4bKinv3", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 180, "Ringing", "u6", NULL));
	mark = nsent;
	advance(3010);
	assert_int_equal(count(mark, UAS_PORT, "CANCEL"), 1);
	/* the UAS ignores everything: 408 after fr_timer more */
	advance(2010);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 408"), 1);
	request(req("ACK", "z9hG4bKinv3", "u6", 314159), a_relay);
	assert_all_gone();
}

static void test_fr_inv_noisy(void **state)
{
	const char *down;
	int mark;

	tm_cfg.fr_inv_timer = 3;
	tm_cfg.noisy_ctimer = 1;
	request(invite("z9hG4bKinv2", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 183, "Progress", "u5", NULL));
	mark = nsent;
	advance(3010);
	assert_int_equal(count(mark, UAS_PORT, "CANCEL"), 1);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 408"), 1);
	/* the 487 that follows is acknowledged and absorbed */
	reply(tm_make_reply(down, 487, "Request Terminated", "u5", NULL));
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 487"), 0);
	assert_int_equal(count(mark, UAS_PORT, "ACK"), 1);
	request(req("ACK", "z9hG4bKinv2", "u5", 314159), a_relay);
	assert_all_gone();
}

static void test_restart_fr(void **state)
{
	const char *down;
	int mark;

	tm_cfg.fr_inv_timer = 3;
	tm_cfg.noisy_ctimer = 1;
	request(invite("z9hG4bKrs1", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 180, "Ringing", "u7", NULL));
	mark = nsent;
	advance(2000);
	reply(tm_make_reply(down, 180, "Ringing", "u7", NULL)); /* restarts */
	advance(2000);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 408"), 0);
	advance(1020);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 408"), 1);
	request(req("ACK", "z9hG4bKrs1", "u7", 314159), a_relay);
	assert_all_gone();

	/* restart_fr_on_each_reply=0: the same 180 does not restart it */
	tm_cfg.restart_fr = 0;
	nsent = 0;
	request(invite("z9hG4bKrs2", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 180, "Ringing", "u8", NULL));
	advance(2000);
	reply(tm_make_reply(down, 180, "Ringing", "u8", NULL));
	advance(1020);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 408"), 1);
	request(req("ACK", "z9hG4bKrs2", "u8", 314159), a_relay);
	assert_all_gone();
}

static void test_local_replies(void **state)
{
	char tag[TM_TAG_MAX + 1];
	const char *up;
	char *p;
	int mark;

	/* negative: resent until the ACK, which is absorbed */
	reply_code = 404;
	assert_int_equal(request(invite("z9hG4bKloc1", NULL), a_newtran_reply),
	                 1);
	assert_non_null(last(UAC_PORT, "SIP/2.0 404 Here\r\n"));
	mark = nsent;
	advance(600);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 404"), 1);
	assert_int_equal(
	    request(req("ACK", "z9hG4bKloc1", "x", 314159), a_check), 0);
	assert_all_gone();

	/* 2xx: resent until the end-to-end ACK with our To tag */
	nsent = 0;
	reply_code = 200;
	request(invite("z9hG4bKloc2", NULL), a_newtran_reply);
	up = last(UAC_PORT, "SIP/2.0 200 Here\r\n");
	assert_non_null(up);
	p = strstr(up, "tag=");
	assert_non_null(p = strstr(p + 4, ";tag=")); /* To's, after From's */
	snprintf(tag, sizeof(tag), "%.*s", (int)strcspn(p + 5, "\r;>"), p + 5);
	advance(1600);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200"), 3);
	assert_int_equal(
	    request(req("ACK", "z9hG4bKe2e", "not-ours", 314159), a_check), -1);
	assert_int_equal(
	    request(req("ACK", "z9hG4bKe2e", tag, 314159), a_check), 1);
	mark = nsent;
	advance(4000);
	assert_int_equal(count(mark, UAC_PORT, "SIP/2.0 200"), 0);
	assert_all_gone();

	/* a second final reply is refused */
	assert_int_equal(
	    request(req("OPTIONS", "z9hG4bKloc3", NULL, 9), a_reply_twice), 1);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 486"), 1);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 202"), 0);
	assert_all_gone();
}

static void test_newtran_copy(void **state)
{
	str hdr = STR_LIT("X-Late: 1\r\n");
	struct tmsg t;

	/* what the script changes after t_newtran() is not relayed */
	tmsg_parse(&t, invite("z9hG4bKcopy", NULL));
	t.msg->id = ++msg_ids;
	t.msg->rcv.proto = PROTO_UDP;
	t.msg->rcv.bind_address = &sock;
	tm_script_pre(t.msg, NULL);
	assert_int_equal(tm_newtran(t.msg), 1);
	lump_append_header(t.msg, &hdr, 0);
	assert_int_equal(tm_t_relay(t.msg, &to_uas, 0), 1);
	tm_script_post(t.msg, NULL);
	tmsg_free(&t);
	assert_null(strstr(last(UAS_PORT, "INVITE"), "X-Late"));
	/* t_newtran() twice is refused */
	tmsg_parse(&t, invite("z9hG4bKcopy2", NULL));
	t.msg->rcv.bind_address = &sock;
	tm_script_pre(t.msg, NULL);
	assert_int_equal(tm_newtran(t.msg), 1);
	assert_int_equal(tm_newtran(t.msg), SV_EEXIST);
	tm_script_post(t.msg, NULL); /* never handled: released */
	tmsg_free(&t);
	reply(tm_make_reply(last(UAS_PORT, "INVITE"), 500, "Err", "z", NULL));
	request(req("ACK", "z9hG4bKcopy", "z", 314159), a_relay);
	assert_all_gone();
}

static void test_errors(void **state)
{
	/* unusable destination: -4, 476 upstream (t_relay made the
	 * transaction and no 0x02) */
	assert_int_equal(
	    request(invite("z9hG4bKerr1", "tel:+123"), a_relay_ruri), -4);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 100"), 0);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 4"), 1);
	request(req("ACK", "z9hG4bKerr1", "x", 314159), a_relay);
	/* send failure: -6, 477 */
	fail_port = UAS_PORT;
	assert_int_equal(request(invite("z9hG4bKerr2", NULL), a_relay), -6);
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 477"), 1);
	fail_port = 0;
	request(req("ACK", "z9hG4bKerr2", "x", 314159), a_relay);
	assert_all_gone();
}

/* Challenges of every 401/407 are merged into the one relayed. */
static int a_fork2(struct sip_msg *m)
{
	int rc = tm_t_relay(m, &to_uas, 0), taken;

	assert_int_equal(tm_forward(tm_ctx.t, m, &to_uas2, 0), SV_OK);
	taken = tm_lock_reply(tm_ctx.t);
	tm_ctx.t->first_branch = 0; /* both branches in one generation */
	tm_unlock_reply(tm_ctx.t, taken);
	return rc;
}

static void test_merge_challenges(void **state)
{
	const char *d1, *d2, *up;

	request(invite("z9hG4bKauth", NULL), a_fork2);
	d1 = last(UAS_PORT, "INVITE");
	d2 = last(UAS2_PORT, "INVITE");
	assert_non_null(d1);
	assert_non_null(d2);
	reply(tm_make_reply(d2, 407, "Proxy Auth", "p2",
	                 "Proxy-Authenticate: Digest realm=\"two\"\r\n"));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 4"), 0); /* held */
	reply(tm_make_reply(d1, 401, "Unauthorized", "p1",
	                 "WWW-Authenticate: Digest realm=\"one\"\r\n"));
	up = last(UAC_PORT, "SIP/2.0 401 Unauthorized");
	assert_non_null(up);
	assert_non_null(strstr(up, "WWW-Authenticate: Digest realm=\"one\""));
	assert_non_null(strstr(up, "Proxy-Authenticate: Digest realm=\"two\""));
	assert_null(strstr(up, "127.0.0.1"));
	request(req("ACK", "z9hG4bKauth", "p1", 314159), a_relay);
	assert_all_gone();
}

static void test_2xx_cancels_others(void **state)
{
	const char *d1, *d2;

	request(invite("z9hG4bKfork", NULL), a_fork2);
	d1 = last(UAS_PORT, "INVITE");
	d2 = last(UAS2_PORT, "INVITE");
	reply(tm_make_reply(d2, 180, "Ringing", "q2", NULL));
	reply(tm_make_reply(d1, 200, "OK", "q1", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200"), 1);
	assert_int_equal(count(0, UAS2_PORT, "CANCEL"), 1);
	reply(tm_make_reply(d2, 487, "Terminated", "q2", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 487"), 0);
	/* a 200 from the cancelled branch too: still relayed */
	reply(tm_make_reply(d2, 200, "OK", "q2", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200"), 2);
	assert_all_gone();
}

static void test_pre3261(void **state)
{
	const char *down;

	request(invite("old-branch-1", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	assert_int_equal(request(invite("old-branch-1", NULL), a_check), 0);
	reply(tm_make_reply(down, 603, "Decline", "d1", NULL));
	/* the ACK's To has a tag the INVITE had not: still its ACK */
	assert_int_equal(
	    request(req("ACK", "old-branch-1", "d1", 314159), a_check), 0);
	assert_all_gone();
}

static void test_syn_branch_md5(void **state)
{
	const char *down;

	tm_cfg.syn_branch = 0;
	request(invite("z9hG4bKmd5", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 180, "Ringing", "m1", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 180"), 1);
	reply(tm_make_reply(down, 200, "OK", "m1", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 200"), 1);
	assert_all_gone();
}

/*
 * syn_branch=0: the CANCEL received for an INVITE has the same MD5 as the
 * INVITE, so the 200 to the CANCEL serval sends downstream carries a
 * branch id both transactions have: it must reach the INVITE and stop the
 * CANCEL's retransmissions.
 */
static void test_syn_branch_md5_cancel(void **state)
{
	const char *down, *cancel;
	int mark;

	tm_cfg.syn_branch = 0;
	request(invite("z9hG4bKmd5c", NULL), a_relay);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 180, "Ringing", "m2", NULL));
	request(req("CANCEL", "z9hG4bKmd5c", NULL, 314159), a_check_relay);
	cancel = last(UAS_PORT, "CANCEL");
	assert_non_null(cancel);
	assert_int_equal(reply(tm_make_reply(cancel, 200, "OK", NULL, NULL)), 0);
	mark = nsent;
	advance(2000);
	assert_int_equal(count(mark, UAS_PORT, "CANCEL"), 0);
	reply(tm_make_reply(down, 487, "Request Terminated", "m2", NULL));
	assert_int_equal(count(0, UAC_PORT, "SIP/2.0 487"), 1);
	request(req("ACK", "z9hG4bKmd5c", "m2", 314159), a_check);
	assert_all_gone();
}

static void test_abandoned(void **state)
{
	assert_int_equal(request(invite("z9hG4bKaband", NULL), a_newtran), 1);
	assert_int_equal(tm_stat(TS_INUSE), 1);
	assert_all_gone();
}

static struct cell *held;

static int a_relay_hold(struct sip_msg *m)
{
	int rc = tm_t_relay(m, &to_uas, 0);

	held = tm_ctx.t;
	tm_ref(held); /* as a process still working on it would */
	return rc;
}

/*
 * delete_timer: a transaction still referenced when its wait timer fires
 * is unlinked (nothing finds it any more) and checked again every
 * delete_timer until its last user lets it go.
 */
static void test_delete_timer(void **state)
{
	const char *down;

	tm_cfg.wt_timer = 1;
	tm_cfg.delete_timer = 2;
	request(invite("z9hG4bKdel", NULL), a_relay_hold);
	down = last(UAS_PORT, "INVITE");
	reply(tm_make_reply(down, 200, "OK", "d1", NULL));
	advance(1100);
	assert_int_equal(tm_stat(TS_INUSE), 1);
	/* unlinked: a retransmission does not find it */
	assert_int_equal(request(invite("z9hG4bKdel", NULL), a_check), -1);
	tm_unref(held);
	advance(1000);
	assert_int_equal(tm_stat(TS_INUSE), 1); /* next check not yet due */
	advance(1100);
	assert_int_equal(tm_stat(TS_INUSE), 0);
	tm_cfg.delete_timer = 2;
	assert_all_gone();
}

/* Every shm allocation of a call failing in turn: clean errors, no leak. */
static void test_oom_sweep(void **state)
{
	const char *down;
	int n, rc, bad = 0;

	for (n = 0; n < 12; n++) {
		nsent = 0;
		shm_fail_after(n);
		rc = request(invite("z9hG4bKoom", NULL), a_relay);
		shm_fail_after(-1);
		down = last(UAS_PORT, "INVITE");
		if (rc == 1 && down) {
			reply(tm_make_reply(down, 200, "OK", "o1", NULL));
		} else {
			bad++;
			assert_true(rc < 0);
			if (count(0, UAC_PORT, "SIP/2.0 5"))
				request(req("ACK", "z9hG4bKoom", "x", 314159),
				        a_relay);
		}
		assert_all_gone();
	}
	assert_true(bad >= 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
	    T(test_call_2xx),
	    T(test_big_reply),
	    T(test_call_rejected),
	    T(test_cancel_after_180),
	    T(test_cancel_before_reply),
	    T(test_cancel_unknown),
	    T(test_invite_timeout),
	    T(test_granule),
	    T(test_non_invite_timeout),
	    T(test_non_invite_provisional_t2),
	    T(test_fr_inv_quiet),
	    T(test_fr_inv_quiet_no_final),
	    T(test_fr_inv_noisy),
	    T(test_restart_fr),
	    T(test_local_replies),
	    T(test_newtran_copy),
	    T(test_errors),
	    T(test_merge_challenges),
	    T(test_2xx_cancels_others),
	    T(test_pre3261),
	    T(test_syn_branch_md5),
	    T(test_syn_branch_md5_cancel),
	    T(test_abandoned),
	    T(test_delete_timer),
	    T(test_oom_sweep),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
