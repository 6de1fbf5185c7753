/*
 * test_sl_reply.c - sl's replies as they would leave (modules/sl/
 * sl_funcs.h), captured through the sender seam, no socket: the reply text
 * for several codes and requests, to-tag rules, no reply to an ACK, the
 * statistics per code, class and xxx, failures, sl_reply_error()'s
 * mapping, the ACK filter, send_reply() with and without a transaction,
 * the load_sl api and the script wrappers.
 *
 * Each test gets a fresh shm segment with the sl statistics registered
 * (as modules_init() would) and sl_startup() done.
 */
#include "parser_testutil.h"

#include "cfg/fixup.h"
#include "core/config.h"
#include "core/dset.h"
#include "core/module.h"
#include "core/msg_builder.h"
#include "core/stats.h"
#include "core/parser/msg_check.h"
#include "core/parser/to_from.h"
#include "modules/sl/sl.h"
#include "modules/sl/sl_funcs.h"
#include "modules/sl/sl_stats.h"
#include "modules/sl/sl_tag.h"
#include "modules/tm/tm_api.h"
#include "shm/shm.h"

extern const struct module_exports exports; /* modules/sl/sl.c */

/* What the sender seam saw. */
static struct {
	char buf[SIP_MSG_MAX + 1];
	int len;
	int calls;
	int fail_with; /* returned instead of sending when != SV_OK */
} sent;

static int capture(struct sip_msg *req, const char *buf, int len)
{
	sent.calls++;
	if (sent.fail_with != SV_OK)
		return sent.fail_with;
	assert_true(len < (int)sizeof(sent.buf));
	memcpy(sent.buf, buf, (size_t)len);
	sent.buf[len] = '\0';
	sent.len = len;
	return SV_OK;
}

static long st(const char *name)
{
	char full[64];
	struct stat_var *v;

	snprintf(full, sizeof(full), "sl:%s", name);
	v = stat_find(full, -1);
	assert_non_null(v);
	return stat_get(v);
}

static int setup(void **state)
{
	str addr = STR_LIT("192.0.2.10"), port = STR_LIT("5060");

	if (shm_init(4 << 20) != SV_OK)
		return -1;
	sl_stats_enable(1);
	if (stats_register_module("sl", sl_stat_exports) != SV_OK ||
	    sl_startup() != SV_OK)
		return -1;
	sl_set_sender(capture);
	sl_set_tm(NULL);
	sl_tag_init(&addr, &port);
	memset(&sent, 0, sizeof(sent));
	sv_last_error = SV_OK;
	sl_settings.default_code = 500;
	sl_settings.default_reason = (str)STR_LIT("Internal Server Error");
	core_cfg.server_signature = 0;
	return 0;
}

static int teardown(void **state)
{
	sl_shutdown();
	stats_destroy();
	shm_destroy();
	return 0;
}

/* Parses a request that came from 192.0.2.1:5070 over UDP. */
static void request(struct tmsg *t, const char *text)
{
	str src = STR_LIT("192.0.2.1");

	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
	assert_int_equal(ip_addr_parse(&src, &t->msg->rcv.src_ip), SV_OK);
	t->msg->rcv.src_port = 5070;
	t->msg->rcv.proto = PROTO_UDP;
}

#define INVITE_HEAD                                                            \
	"INVITE sip:bob@example.com SIP/2.0\r\n"                               \
	"Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK74bf9\r\n"     \
	"Max-Forwards: 70\r\n"                                                 \
	"From: Alice <sip:alice@example.com>;tag=9fxced76sl\r\n"               \
	"Call-ID: 3848276298220188511@client.example.com\r\n"                  \
	"CSeq: 1 INVITE\r\n"                                                   \
	"Record-Route: <sip:p1.example.com;lr>\r\n"                            \
	"Contact: <sip:alice@192.0.2.1:5070>\r\n"

static const char invite[] = INVITE_HEAD "To: Bob <sip:bob@example.com>\r\n"
                                         "Content-Length: 0\r\n\r\n";

static const char invite_tagged[] =
    INVITE_HEAD "To: Bob <sip:bob@example.com>;tag=bobs\r\n"
                "Content-Length: 0\r\n\r\n";

static const char options[] =
    "OPTIONS sip:serval.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5070;rport;branch=z9hG4bKopt1\r\n"
    "From: <sip:mon@example.com>;tag=m1\r\n"
    "To: <sip:serval.example.com>\r\n"
    "Call-ID: opt1@192.0.2.1\r\n"
    "CSeq: 7 OPTIONS\r\n"
    "Content-Length: 0\r\n\r\n";

/* The to-tag sl gives msg. */
static str own_tag(struct sip_msg *msg, char *buf)
{
	str t = {buf, sl_tag_make(msg, buf)};

	return t;
}

static void reply_404_to_invite(void **state)
{
	struct tmsg t;
	char tag[SL_TAG_LEN + 1] = {0}, want[2048];
	str reason = STR_LIT("Not Found");

	request(&t, invite);
	own_tag(t.msg, tag);
	assert_int_equal(sl_reply(t.msg, 404, &reason), SV_OK);
	snprintf(want, sizeof(want),
	         "SIP/2.0 404 Not Found\r\n"
	         "Via: SIP/2.0/UDP client.example.com:5070;branch=z9hG4bK74bf9"
	         ";received=192.0.2.1\r\n"
	         "From: Alice <sip:alice@example.com>;tag=9fxced76sl\r\n"
	         "To: Bob <sip:bob@example.com>;tag=%s\r\n"
	         "Call-ID: 3848276298220188511@client.example.com\r\n"
	         "CSeq: 1 INVITE\r\n"
	         "Content-Length: 0\r\n\r\n",
	         tag);
	assert_string_equal(sent.buf, want);
	assert_int_equal(sent.calls, 1);
	tmsg_free(&t);
}

static void reply_180_keeps_record_route(void **state)
{
	struct tmsg t;
	str reason = STR_LIT("Ringing");

	request(&t, invite);
	assert_int_equal(sl_reply(t.msg, 180, &reason), SV_OK);
	assert_non_null(strstr(sent.buf, "SIP/2.0 180 Ringing\r\n"));
	assert_non_null(
	    strstr(sent.buf, "Record-Route: <sip:p1.example.com;lr>\r\n"));
	assert_non_null(strstr(sent.buf, ">;tag="));
	tmsg_free(&t);
}

static void reply_200_to_options(void **state)
{
	struct tmsg t;
	char tag[SL_TAG_LEN + 1] = {0}, want[2048];
	str reason = STR_LIT("OK");

	request(&t, options);
	own_tag(t.msg, tag);
	assert_int_equal(sl_reply(t.msg, 200, &reason), SV_OK);
	snprintf(want, sizeof(want),
	         "SIP/2.0 200 OK\r\n"
	         /* RFC 3581 §4: received even when equal to sent-by */
	         "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bKopt1"
	         ";received=192.0.2.1;rport=5070\r\n"
	         "From: <sip:mon@example.com>;tag=m1\r\n"
	         "To: <sip:serval.example.com>;tag=%s\r\n"
	         "Call-ID: opt1@192.0.2.1\r\n"
	         "CSeq: 7 OPTIONS\r\n"
	         "Content-Length: 0\r\n\r\n",
	         tag);
	assert_string_equal(sent.buf, want);
	tmsg_free(&t);
}

/* Below 180 no tag; a request that has one keeps it. */
static void to_tag_rules(void **state)
{
	struct tmsg t;
	str trying = STR_LIT("Trying"), busy = STR_LIT("Busy Here");
	str prog = STR_LIT("Session Progress");

	request(&t, invite);
	assert_int_equal(sl_reply(t.msg, 100, &trying), SV_OK);
	assert_non_null(strstr(sent.buf, "To: Bob <sip:bob@example.com>\r\n"));
	assert_int_equal(sl_reply(t.msg, 183, &prog), SV_OK);
	assert_non_null(strstr(sent.buf, "To: Bob <sip:bob@example.com>;tag="));
	tmsg_free(&t);

	request(&t, invite_tagged);
	assert_int_equal(sl_reply(t.msg, 486, &busy), SV_OK);
	assert_non_null(
	    strstr(sent.buf, "To: Bob <sip:bob@example.com>;tag=bobs\r\n"));
	assert_null(strstr(sent.buf, "tag=bobs;tag"));
	tmsg_free(&t);
}

/* A retransmitted INVITE gets the very same reply. */
static void retransmission_same_reply(void **state)
{
	struct tmsg t;
	char first[2048];
	str reason = STR_LIT("Forbidden");

	request(&t, invite);
	assert_int_equal(sl_reply(t.msg, 403, &reason), SV_OK);
	memcpy(first, sent.buf, (size_t)sent.len + 1);
	tmsg_free(&t);
	request(&t, invite);
	assert_int_equal(sl_reply(t.msg, 403, &reason), SV_OK);
	assert_string_equal(sent.buf, first);
	tmsg_free(&t);
}

/* A 3xx carries the destination set as Contact (OpenSER's print_dset). */
static void redirect_contacts(void **state)
{
	struct tmsg t;
	str moved = STR_LIT("Moved Temporarily"), busy = STR_LIT("Busy");
	str a = STR_LIT("sip:bob@192.0.2.7"), b = STR_LIT("sip:bob@pc.example");

	request(&t, invite);
	/* no branch appended: no Contact */
	assert_int_equal(sl_reply(t.msg, 302, &moved), SV_OK);
	assert_null(strstr(sent.buf, "Contact:"));
	assert_int_equal(dset_append(&a, NULL, 500, 0, NULL), SV_OK);
	assert_int_equal(dset_append(&b, NULL, DSET_Q_UNSPECIFIED, 0, NULL),
	                 SV_OK);
	assert_int_equal(sl_reply(t.msg, 302, &moved), SV_OK);
	assert_non_null(strstr(
	    sent.buf, "CSeq: 1 INVITE\r\n"
	              "Contact: <sip:bob@example.com>, "
	              "<sip:bob@192.0.2.7>;q=0.5, <sip:bob@pc.example>\r\n"
	              "Content-Length: 0\r\n\r\n"));
	/* only for 3xx */
	assert_int_equal(sl_reply(t.msg, 486, &busy), SV_OK);
	assert_null(strstr(sent.buf, "Contact:"));
	dset_clear();
	tmsg_free(&t);
}

static void given_tag(void **state)
{
	struct tmsg t;
	str reason = STR_LIT("OK"), tag = STR_LIT("mine");

	request(&t, invite);
	assert_int_equal(sl_reply_tagged(t.msg, 200, &reason, &tag), SV_OK);
	assert_non_null(
	    strstr(sent.buf, "To: Bob <sip:bob@example.com>;tag=mine\r\n"));
	tmsg_free(&t);
}

static void never_an_ack(void **state)
{
	struct tmsg t;
	str reason = STR_LIT("OK");

	request(&t, "ACK sip:bob@example.com SIP/2.0\r\n"
	            "Via: SIP/2.0/UDP client.example.com:5070;"
	            "branch=z9hG4bK74bf9\r\n"
	            "From: <sip:alice@example.com>;tag=9f\r\n"
	            "To: <sip:bob@example.com>;tag=x\r\n"
	            "Call-ID: c\r\nCSeq: 1 ACK\r\n\r\n");
	assert_int_equal(sl_reply(t.msg, 200, &reason), SV_EINVAL);
	assert_int_equal(sent.calls, 0);
	assert_int_equal(st("sent_replies"), 0);
	assert_int_equal(st("failures"), 0);
	tmsg_free(&t);
}

static void code_range(void **state)
{
	struct tmsg t;
	str reason = STR_LIT("x");

	request(&t, options);
	assert_int_equal(sl_reply(t.msg, 99, &reason), SV_EINVAL);
	assert_int_equal(sl_reply(t.msg, 700, &reason), SV_EINVAL);
	assert_int_equal(sl_reply(t.msg, 100, &reason), SV_OK);
	assert_int_equal(sl_reply(t.msg, 699, &reason), SV_OK);
	assert_int_equal(sent.calls, 2);
	assert_int_equal(st("sent_replies"), 2);
	tmsg_free(&t);
}

/* Every reply counts in its class; some codes in their own counter. */
static void statistics_per_code(void **state)
{
	static const int codes[] = {100, 180, 183, 200, 200, 202, 204, 300, 301,
	                            302, 302, 399, 400, 401, 403, 404, 404, 404,
	                            407, 408, 483, 486, 500, 503, 600, 603};
	struct tmsg t;
	str reason = STR_LIT("Whatever");
	unsigned i;

	request(&t, invite);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_int_equal(sl_reply(t.msg, codes[i], &reason), SV_OK);
	tmsg_free(&t);
	assert_int_equal(st("1xx_replies"), 3);
	assert_int_equal(st("2xx_replies"), 4);
	assert_int_equal(st("200_replies"), 2);
	assert_int_equal(st("202_replies"), 1);
	assert_int_equal(st("3xx_replies"), 5);
	assert_int_equal(st("300_replies"), 1);
	assert_int_equal(st("301_replies"), 1);
	assert_int_equal(st("302_replies"), 2);
	assert_int_equal(st("4xx_replies"), 10);
	assert_int_equal(st("400_replies"), 1);
	assert_int_equal(st("401_replies"), 1);
	assert_int_equal(st("403_replies"), 1);
	assert_int_equal(st("404_replies"), 3);
	assert_int_equal(st("407_replies"), 1);
	assert_int_equal(st("408_replies"), 1);
	assert_int_equal(st("483_replies"), 1);
	assert_int_equal(st("5xx_replies"), 2);
	assert_int_equal(st("500_replies"), 1);
	assert_int_equal(st("6xx_replies"), 2);
	assert_int_equal(st("xxx_replies"), 0);
	assert_int_equal(st("sent_replies"), 26);
	assert_int_equal(st("sent_err_replies"), 19);
	assert_int_equal(st("failures"), 0);
	assert_int_equal(st("received_ACKs"), 0);
}

/* Codes outside 100-699 are never sent; the accounting still sorts them. */
static void statistics_xxx(void **state)
{
	sl_stats_reply(99);
	sl_stats_reply(700);
	assert_int_equal(st("xxx_replies"), 2);
	assert_int_equal(st("1xx_replies"), 0);
	assert_int_equal(st("6xx_replies"), 0);
	assert_int_equal(st("sent_replies"), 2);
	assert_int_equal(st("sent_err_replies"), 1);
}

/* All sl statistics, in the document's order, and resettable. */
static void statistics_table(void **state)
{
	static const char *const names[] = {
	    "1xx_replies",  "200_replies",      "202_replies", "2xx_replies",
	    "300_replies",  "301_replies",      "302_replies", "3xx_replies",
	    "400_replies",  "401_replies",      "403_replies", "404_replies",
	    "407_replies",  "408_replies",      "483_replies", "4xx_replies",
	    "500_replies",  "5xx_replies",      "6xx_replies", "xxx_replies",
	    "sent_replies", "sent_err_replies", "failures",    "received_ACKs"};
	struct stat_group *g = stats_group_find("sl", -1);
	struct stat_var *v;
	unsigned i = 0;

	assert_non_null(g);
	assert_int_equal(g->count, 24);
	for (v = g->first; v; v = v->next, i++) {
		assert_string_equal(v->name, names[i]);
		assert_int_equal(v->flags, 0);
		stat_update(v, 3);
		assert_int_equal(stat_reset(v), SV_OK);
		assert_int_equal(stat_get(v), 0);
	}
	/* enable_stats=0 empties the exported table; 1 restores it */
	sl_stats_enable(0);
	assert_null(sl_stat_exports[0].name);
	sl_stats_enable(1);
	for (i = 0; i < 24; i++)
		assert_string_equal(sl_stat_exports[i].name, names[i]);
	assert_null(sl_stat_exports[24].name);
}

static void failures(void **state)
{
	struct tmsg t;
	str reason = STR_LIT("OK");

	request(&t, options);
	sent.fail_with = SV_ESEND;
	assert_int_equal(sl_reply(t.msg, 200, &reason), SV_ESEND);
	assert_int_equal(sv_last_error, SV_ESEND);
	assert_int_equal(st("failures"), 1);
	assert_int_equal(st("sent_replies"), 0);
	assert_int_equal(st("200_replies"), 0);
	tmsg_free(&t);

	/* no Via: the reply cannot be built (nowhere to send it) */
	sent.fail_with = SV_OK;
	request(&t, "OPTIONS sip:x SIP/2.0\r\n"
	            "To: <sip:x>\r\n"
	            "From: <sip:a@x>;tag=1\r\nCall-ID: c\r\n"
	            "CSeq: 1 OPTIONS\r\n\r\n");
	assert_int_equal(sl_reply(t.msg, 200, &reason), SV_EBADMSG);
	assert_int_equal(sent.calls, 1);
	assert_int_equal(st("failures"), 2);
	tmsg_free(&t);
}

/* The status line sl_reply_error() sent. */
static void assert_status(const char *line)
{
	assert_memory_equal(sent.buf, line, strlen(line));
	assert_memory_equal(sent.buf + strlen(line), "\r\n", 2);
}

static void reply_error_parser(void **state)
{
	struct tmsg t;

	/* CSeq method differs from the request method: 400 */
	request(&t, "OPTIONS sip:x@example.com SIP/2.0\r\n"
	            "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
	            "From: <sip:a@x>;tag=1\r\nTo: <sip:x@example.com>\r\n"
	            "Call-ID: c\r\nCSeq: 1 INVITE\r\n\r\n");
	assert_int_not_equal(check_request(t.msg), SV_OK);
	assert_int_equal(t.msg->err.rcode, 400);
	assert_int_equal(sl_reply_error(t.msg), SV_OK);
	{
		char line[128];

		snprintf(line, sizeof(line), "SIP/2.0 400 %.*s",
		         STR_FMT(&t.msg->err.rreason));
		assert_status(line);
	}
	assert_int_equal(st("400_replies"), 1);
	tmsg_free(&t);

	/* SIP/3.0: 505 */
	request(&t, "OPTIONS sip:x@example.com SIP/3.0\r\n"
	            "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
	            "From: <sip:a@x>;tag=1\r\nTo: <sip:x@example.com>\r\n"
	            "Call-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n");
	assert_int_equal(check_request(t.msg), SV_EBADVER);
	assert_int_equal(sl_reply_error(t.msg), SV_OK);
	assert_memory_equal(sent.buf, "SIP/2.0 505 ", 12);
	tmsg_free(&t);
}

static void reply_error_last_error(void **state)
{
	static const struct {
		int rc;
		const char *status;
	} map[] = {
	    {SV_EBADADDR, "SIP/2.0 476 Unresolvable destination"},
	    {SV_ESEND, "SIP/2.0 477 Send failed"},
	    {SV_EBLOCKED, "SIP/2.0 473 Filtered destination"},
	    {SV_EBADMSG, "SIP/2.0 400 Bad Request"},
	    {SV_EBADTO, "SIP/2.0 400 Bad To"},
	    {SV_ETOOMANY, "SIP/2.0 500 Forking capacity exceeded"},
	    {SV_ENOMEM, "SIP/2.0 500 Server Internal Error"},
	};
	struct tmsg t;
	unsigned i;

	request(&t, options);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		sv_last_error = map[i].rc;
		assert_int_equal(sl_reply_error(t.msg), SV_OK);
		assert_status(map[i].status);
	}
	/* nothing recorded: default_code and default_reason */
	sv_last_error = SV_OK;
	assert_int_equal(sl_reply_error(t.msg), SV_OK);
	assert_status("SIP/2.0 500 Internal Server Error");
	sl_settings.default_code = 505;
	sl_settings.default_reason = (str)STR_LIT("Server Error");
	assert_int_equal(sl_reply_error(t.msg), SV_OK);
	assert_status("SIP/2.0 505 Server Error");
	tmsg_free(&t);
}

/* An ACK with the given Via branch and To tag. */
static void parse_ack(struct tmsg *t, const char *branch, const char *tag)
{
	char text[1024];

	snprintf(text, sizeof(text),
	         "ACK sip:bob@example.com SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP client.example.com:5070;branch=%s\r\n"
	         "Max-Forwards: 70\r\n"
	         "From: Alice <sip:alice@example.com>;tag=9fxced76sl\r\n"
	         "To: Bob <sip:bob@example.com>%s%s\r\n"
	         "Call-ID: 3848276298220188511@client.example.com\r\n"
	         "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n",
	         branch, tag ? ";tag=" : "", tag ? tag : "");
	request(t, text);
}

static void ack_filter(void **state)
{
	struct tmsg inv, ack;
	char tag[SL_TAG_LEN + 1] = {0};
	str reason = STR_LIT("Not Here");

	/* no reply sent yet: the gate is closed, nothing is examined */
	request(&inv, invite);
	own_tag(inv.msg, tag);
	parse_ack(&ack, "z9hG4bK74bf9", tag);
	assert_int_equal(sl_filter_ack(ack.msg, NULL), 1);
	tmsg_free(&ack);

	assert_int_equal(sl_reply(inv.msg, 404, &reason), SV_OK);
	assert_non_null(strstr(sent.buf, tag));
	/* the ACK of that reply is absorbed */
	parse_ack(&ack, "z9hG4bK74bf9", tag);
	assert_int_equal(sl_filter_ack(ack.msg, NULL), 0);
	assert_int_equal(st("received_ACKs"), 1);
	tmsg_free(&ack);
	/* an ACK of another transaction (a 2xx ACK has its own branch) */
	parse_ack(&ack, "z9hG4bKnew", tag);
	assert_int_equal(sl_filter_ack(ack.msg, NULL), 1);
	tmsg_free(&ack);
	/* another tag, no tag */
	parse_ack(&ack, "z9hG4bK74bf9", "bobs");
	assert_int_equal(sl_filter_ack(ack.msg, NULL), 1);
	tmsg_free(&ack);
	parse_ack(&ack, "z9hG4bK74bf9", NULL);
	assert_int_equal(sl_filter_ack(ack.msg, NULL), 1);
	tmsg_free(&ack);
	/* not an ACK */
	assert_int_equal(sl_filter_ack(inv.msg, NULL), 1);
	assert_int_equal(st("received_ACKs"), 1);

	/* a fresh "last reply" word: the gate is closed again */
	sl_shutdown();
	assert_int_equal(sl_startup(), SV_OK);
	parse_ack(&ack, "z9hG4bK74bf9", tag);
	assert_int_equal(sl_filter_ack(ack.msg, NULL), 1);
	tmsg_free(&ack);
	tmsg_free(&inv);
	assert_int_equal(st("received_ACKs"), 1);
}

/* A tm stand-in for send_reply(): which transaction, what was replied. */
static struct cell *fake_t;
static int fake_code;
static char fake_reason[64];

static struct cell *fake_gett(void)
{
	return fake_t;
}

static int fake_reply(struct sip_msg *msg, int code, const str *reason)
{
	fake_code = code;
	snprintf(fake_reason, sizeof(fake_reason), "%.*s", STR_FMT(reason));
	return SV_OK;
}

static void send_reply_stateful_or_not(void **state)
{
	struct tm_binds tmb = {.version = TM_API_VERSION,
	                       .t_gett = fake_gett,
	                       .t_reply = fake_reply};
	struct tmsg t;
	str reason = STR_LIT("Not Found");
	int cell;

	request(&t, invite);
	/* no tm exports load_tm in this process: stateless */
	assert_int_equal(sl_bind_tm(), SV_ENOTFOUND);
	assert_int_equal(sl_reply_any(t.msg, 404, &reason), SV_OK);
	assert_int_equal(sent.calls, 1);

	sl_set_tm(&tmb);
	fake_t = NULL; /* no transaction */
	assert_int_equal(sl_reply_any(t.msg, 404, &reason), SV_OK);
	fake_t = T_UNDEFINED; /* not looked up */
	assert_int_equal(sl_reply_any(t.msg, 404, &reason), SV_OK);
	assert_int_equal(sent.calls, 3);
	assert_int_equal(fake_code, 0);

	fake_t = (struct cell *)&cell; /* a transaction: tm replies */
	assert_int_equal(sl_reply_any(t.msg, 404, &reason), SV_OK);
	assert_int_equal(sent.calls, 3);
	assert_int_equal(fake_code, 404);
	assert_string_equal(fake_reason, "Not Found");
	assert_int_equal(st("sent_replies"), 3); /* tm counts its own */
	sl_set_tm(NULL);
	tmsg_free(&t);
}

static const void *api(const char *name)
{
	const struct api_export *a;

	for (a = exports.apis; a && a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a->function;
	return NULL;
}

static void load_sl_api(void **state)
{
	load_sl_f load = (load_sl_f)api(SL_LOAD_API);
	struct sl_binds slb = {.version = SL_API_VERSION + 1};
	struct tmsg t;
	str reason = STR_LIT("Unauthorized");

	assert_non_null(load);
	assert_int_equal(load(&slb), SV_EINVAL);
	slb.version = SL_API_VERSION;
	assert_int_equal(load(&slb), SV_OK);
	request(&t, options);
	assert_int_equal(slb.reply(t.msg, 401, &reason), SV_OK);
	assert_status("SIP/2.0 401 Unauthorized");
	assert_int_equal(slb.send_reply(t.msg, 401, &reason), SV_OK);
	sv_last_error = SV_EBADADDR;
	assert_int_equal(slb.reply_error(t.msg), SV_OK);
	assert_status("SIP/2.0 476 Unresolvable destination");
	assert_non_null(slb.reply_tagged);
	tmsg_free(&t);
}

static const struct cmd_export *cmd(const char *name)
{
	const struct cmd_export *c;

	for (c = exports.cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	fail_msg("sl exports no %s", name);
	return NULL;
}

/* Fixes up literal arguments as the script loader would, and runs c. */
static int run_cmd(const struct cmd_export *c, struct sip_msg *msg,
                   const char *code, const char *reason)
{
	struct fixup_ctx ctx = {.func = c->name};
	void *params[2] = {(void *)code, (void *)reason};
	int i, r;

	for (i = 0; i < c->param_no; i++)
		assert_int_equal(c->fixup(&ctx, &params[i], i), SV_OK);
	r = c->function(msg, params);
	for (i = 0; i < c->param_no; i++)
		c->free_fixup(&params[i], i);
	return r;
}

static void script_functions(void **state)
{
	struct tmsg t;

	request(&t, options);
	assert_int_equal(run_cmd(cmd("sl_send_reply"), t.msg, "404", "Nope"),
	                 1);
	assert_status("SIP/2.0 404 Nope");
	assert_int_equal(run_cmd(cmd("send_reply"), t.msg, "403", "No"), 1);
	assert_status("SIP/2.0 403 No");
	sv_last_error = SV_ESEND;
	assert_int_equal(cmd("sl_reply_error")->function(t.msg, NULL), 1);
	assert_status("SIP/2.0 477 Send failed");
	/* a failure is -1 for the script */
	sent.fail_with = SV_ESEND;
	assert_int_equal(run_cmd(cmd("sl_send_reply"), t.msg, "200", "OK"), -1);
	tmsg_free(&t);

	/* route types: seed 000 for sl_send_reply, seed 001 for send_reply,
	 * and sl_reply_error also in error_route */
	assert_int_equal(cmd("sl_send_reply")->route_types,
	                 REQUEST_ROUTE | ERROR_ROUTE);
	assert_int_equal(cmd("send_reply")->route_types,
	                 REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE);
	assert_int_equal(cmd("sl_reply_error")->route_types,
	                 REQUEST_ROUTE | ERROR_ROUTE);
}

/* Code and reason from pseudo-variables, evaluated per message. */
static void pv_arguments(void **state)
{
	const struct cmd_export *c = cmd("sl_send_reply");
	struct tmsg t;
	char text[2048], big[400];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(text, sizeof(text),
	         "OPTIONS sip:x@example.com SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
	         "From: <sip:alice@example.com>;tag=1\r\n"
	         "To: <sip:x@example.com>\r\nCall-ID: c\r\n"
	         "CSeq: 1 OPTIONS\r\nX-Code: 486\r\nX-Low: 99\r\n"
	         "X-Folded: first\r\n second\r\nX-Big: %s\r\n\r\n",
	         big);
	request(&t, text);
	assert_int_equal(run_cmd(c, t.msg, "$hdr(X-Code)", "Busy - $fU"), 1);
	assert_status("SIP/2.0 486 Busy - alice");
	/* not a number: default_code, the reason as given */
	sl_settings.default_code = 503;
	assert_int_equal(run_cmd(c, t.msg, "$hdr(X-None)", "Fallback"), 1);
	assert_status("SIP/2.0 503 Fallback");
	/* a number outside 100-699: nothing is sent */
	sent.calls = 0;
	assert_int_equal(run_cmd(c, t.msg, "$hdr(X-Low)", "x"), -1);
	assert_int_equal(sent.calls, 0);
	/* a value from the message cannot break the status line */
	assert_int_equal(run_cmd(c, t.msg, "400", "$hdr(X-Folded)"), 1);
	/* the fold's CR LF became spaces: one status line */
	assert_status("SIP/2.0 400 first   second");
	/* a reason too long to print: default_reason */
	assert_int_equal(run_cmd(c, t.msg, "500", "$hdr(X-Big)"), 1);
	assert_status("SIP/2.0 500 Internal Server Error");
	tmsg_free(&t);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(reply_404_to_invite),
	    T(reply_180_keeps_record_route),
	    T(reply_200_to_options),
	    T(to_tag_rules),
	    T(retransmission_same_reply),
	    T(redirect_contacts),
	    T(given_tag),
	    T(never_an_ack),
	    T(code_range),
	    T(statistics_per_code),
	    T(statistics_xxx),
	    T(statistics_table),
	    T(failures),
	    T(reply_error_parser),
	    T(reply_error_last_error),
	    T(ack_filter),
	    T(send_reply_stateful_or_not),
	    T(load_sl_api),
	    T(script_functions),
	    T(pv_arguments),
	};

	log_set_level(L_CRIT); /* failures below are logged on purpose */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
