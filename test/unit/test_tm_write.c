/*
 * test_tm_write.c - t_write_req / t_write_unix and tw_append: the
 * tw_append parser (good and bad definitions, duplicates), the twenty
 * lines printed for requests with and without Contact, Record-Route
 * (loose and strict), body, tags; and, end to end in one process as
 * test_tm_routes.c does it (the tm module linked in, requests through the
 * core's receive path, tm's sends captured, virtual time), a script that
 * writes to a FIFO and to a unix datagram socket this test reads: the
 * bytes, the blind branch's 408 on fr_timer, t_reply winning over it, a
 * CANCEL's 487, a failure route seeing the 408, and no reader (-1, yet a
 * final reply), a reader that reads nothing (-1 after unix_tx_timeout).
 * After each flow no transaction, shm or lock is left.
 */
#include "parser_testutil.h"
#include "tm_testutil.h"

#include "cfg/cfg.h"
#include "cfg/fixup.h"
#include "cfg/interp.h"
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
#include "modules/tm/t_write.h"
#include "modules/tm/tm_cfg.h"
#include "shm/shm.h"
#include "timer/timer.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define UAC_PORT 5061

extern const struct module_exports exports;

static char dir[32], fifo_path[64], sock_path[64], nofifo_path[64];
static char full_path[64];
static struct socket_info sock;
static struct cfg_script *script;
static uint64_t vnow;
static unsigned long shm_base;
static int cseq = 100;

static uint64_t vclock(void)
{
	return vnow;
}

/* ----------------------------------------------------------- parser -- */

static struct tw_append *parse_ok(const char *s)
{
	struct tw_append *a = NULL;
	char err[256] = "";

	if (tw_append_parse(s, &a, err, sizeof(err)) != SV_OK)
		fail_msg("'%s' refused: %s", s, err);
	return a;
}

static void parse_bad(const char *s, const char *why)
{
	struct tw_append *a = NULL;
	char err[256] = "";

	if (tw_append_parse(s, &a, err, sizeof(err)) == SV_OK)
		fail_msg("'%s' accepted", s);
	if (strstr(err, why) == NULL)
		fail_msg("'%s': '%s' does not say '%s'", s, err, why);
	assert_null(a);
}

static void assert_elem(const struct tw_elem *e, const char *title,
                        const char *spec)
{
	assert_non_null(e);
	assert_string_equal(e->title, title);
	assert_int_equal(e->spec->text.len, (int)strlen(spec));
	assert_memory_equal(e->spec->text.s, spec, strlen(spec));
}

/* 1-14 and 1-28 as written. */
static void test_parse_seed(void **state)
{
	struct tw_append *a;

	a = parse_ok("test: ua=$hdr(User-Agent) ;avp=$avp(i:10);$rb;time=$Ts");
	assert_string_equal(a->name, "test");
	assert_true(a->add_body);
	assert_elem(a->elems, "ua", "$hdr(User-Agent)");
	assert_elem(a->elems->next, "avp", "$avp(i:10)");
	assert_elem(a->elems->next->next, "time", "$Ts");
	assert_null(a->elems->next->next->next);
	tw_append_free(a);

	a = parse_ok("append1:Email=avp[i:12];UA=hdr[User-Agent]");
	assert_false(a->add_body);
	assert_elem(a->elems, "Email", "$avp(i:12)");
	assert_elem(a->elems->next, "UA", "$hdr(User-Agent)");
	tw_append_free(a);

	a = parse_ok("append2:body=msg[body]");
	assert_true(a->add_body);
	assert_null(a->elems);
	tw_append_free(a);
}

/* Bracket titles default to the AVP's number or name, the header's name. */
static void test_parse_defaults(void **state)
{
	struct tw_append *a =
	    parse_ok(" x : avp[i:12] ; avp[s:email];hdr[Subject] ;msg[body]");

	assert_string_equal(a->name, "x");
	assert_elem(a->elems, "12", "$avp(i:12)");
	assert_elem(a->elems->next, "email", "$avp(s:email)");
	assert_elem(a->elems->next->next, "Subject", "$hdr(Subject)");
	assert_true(a->add_body);
	tw_append_free(a);
}

static void test_parse_errors(void **state)
{
	parse_bad("", "no list name");
	parse_bad("name", "expected ':'");
	parse_bad("name:", "no element");
	parse_bad("n:$hdr(X)", "needs a title");
	parse_bad("n:b=$rb", "$rb takes no title");
	parse_bad("n:a=$nosuch", "unknown pseudo-variable");
	parse_bad("n:a=$hdr(X);", "empty element");
	parse_bad("n:a=$hdr(X);;b=$ci", "empty element");
	parse_bad("n:a=$hdr(X) b=$ci", "expected ';'");
	parse_bad("n:a=foo[x]", "unknown element type");
	parse_bad("n:msg[head]", "msg[] knows only body");
	parse_bad("n:avp[i:12", "expected name]");
	parse_bad("n:title", "expected '='");
	parse_bad("n:t=plain", "expected a pseudo-variable");
}

/* The modparam: lists registered, duplicate names (any case) refused. */
static void test_param_duplicates(void **state)
{
	assert_non_null(tw_append_find("append1", 7));
	assert_non_null(tw_append_find("APPEND1", 7));
	assert_null(tw_append_find("nosuch", 6));
	assert_int_equal(tw_append_param(PARAM_STR, "Append1:x=$ci"),
	                 SV_EINVAL);
	assert_int_equal(tw_append_param(PARAM_STR, "bad"), SV_EINVAL);
	assert_null(tw_append_find("bad", 3));
}

/* t_write's argument: unknown list, empty action, at file:line:col. */
static void test_fixup_errors(void **state)
{
	static const char *bad[][2] = {
	    {"route {\n  t_newtran(); t_write_req(\"vm/nosuch\", \"/tmp/f\");\n}\n",
	     "bad.cfg:2:28: error: t_write_req: unknown tw_append list "
	     "\"nosuch\""},
	    {"route {\n  t_write_unix(\"/append1\", \"/tmp/s\");\n}\n",
	     "bad.cfg:2:16: error: t_write_unix: empty action"},
	};
	struct cfg_script *s;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = NULL;
		if (cfg_load_buffer("bad.cfg", bad[i][0],
		                    (int)strlen(bad[i][0]), &s) == SV_OK) {
			assert_int_not_equal(cfg_fixup_all(s), SV_OK);
			cfg_free(s);
		}
		if (strstr(cfg_last_error(), bad[i][1]) == NULL)
			fail_msg("'%s' does not say '%s'", cfg_last_error(),
			         bad[i][1]);
	}
}

/* ---------------------------------------------------------- printing -- */

static char out[70000];

/* Prints text's lines with info "act[/list]" into out; returns out. */
static const char *print(const char *text, const char *list, unsigned flags)
{
	struct tw_info ti = {STR_LIT("act"), NULL};
	struct tmsg t;
	int n;

	if (list)
		ti.app = tw_append_find(list, (int)strlen(list));
	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	t.msg->rcv.bind_address = &sock;
	t.msg->rcv.dst_port = sock.port;
	t.msg->flags = flags;
	n = tw_print(t.msg, &ti, 77, 12345, out, sizeof(out));
	assert_true(n > 0);
	out[n] = '\0';
	tmsg_free(&t);
	return out;
}

static void assert_lines(const char *got, const char *expected)
{
	if (strcmp(got, expected) != 0)
		fail_msg("got:\n%s\nexpected:\n%s", got, expected);
}

#define REQ_HEAD                                                               \
	"Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bKx\r\n"                   \
	"From: \"Al\" <sip:al@a.org>;tag=ft1\r\n"                              \
	"To: <sip:bob@b.org>\r\n"                                              \
	"Call-ID: cid-1@a\r\n"

/* An INVITE with Contact, no Record-Route, a body, an append list. */
static void test_print_invite(void **state)
{
	sock.port = 5060;
	print("INVITE sip:bob@b.org;x=1 SIP/2.0\r\n" REQ_HEAD
	      "CSeq: 7 INVITE\r\n"
	      "Contact: \"Al\" <sip:al@10.0.0.1:5062;transport=udp>\r\n"
	      "User-Agent: phone 1.0\r\n"
	      "Content-Length: 6\r\n\r\nv=0\r\nx",
	      "append1", 0x12);
	assert_lines(out, "0.3\n"
	                  "sip_request.act\n"
	                  "INVITE\n"
	                  "bob\n"
	                  "b.org\n"
	                  "127.0.0.1\n"
	                  ".\n"
	                  "sip:bob@b.org;x=1\n"
	                  "sip:al@10.0.0.1:5062;transport=udp\n"
	                  "\"Al\" <sip:al@a.org>;tag=ft1\n"
	                  "<sip:bob@b.org>\n"
	                  "cid-1@a\n"
	                  "ft1\n"
	                  "\n"
	                  "7\n"
	                  "77:12345\n"
	                  ".\n"
	                  ".\n"
	                  "P-MsgFlags: 12\n"
	                  "UA: phone 1.0\n"
	                  ".\n"
	                  "v=0\r\nx\n");
}

/*
 * A MESSAGE: no Contact (the From URI), loose Record-Route in two headers
 * (next hop, route set of all), a port other than 5060, no body written.
 */
static void test_print_loose_rr(void **state)
{
	sock.port = 5070;
	sock.port_str = (str)STR_LIT("5070");
	print("MESSAGE sip:bob@b.org SIP/2.0\r\n" REQ_HEAD "CSeq: 2 MESSAGE\r\n"
	      "Record-Route: <sip:p1.b.org;lr>, <sip:p2.b.org;lr>\r\n"
	      "Record-Route: <sip:p3.b.org;lr>\r\n"
	      "Content-Length: 2\r\n\r\nhi",
	      NULL, 0);
	sock.port = 5060;
	sock.port_str = (str)STR_LIT("5060");
	assert_lines(out, "0.3\nsip_request.act\nMESSAGE\nbob\nb.org\n"
	                  "127.0.0.1\n5070\nsip:bob@b.org\n"
	                  "sip:al@a.org\n"
	                  "\"Al\" <sip:al@a.org>;tag=ft1\n<sip:bob@b.org>\n"
	                  "cid-1@a\nft1\n\n2\n77:12345\n"
	                  "<sip:p1.b.org;lr>,<sip:p2.b.org;lr>,<sip:p3.b.org;lr>\n"
	                  "sip:p1.b.org;lr\n"
	                  "P-MsgFlags: 0\n.\n"
	                  ".\n");
}

/*
 * Strict routing: line 8 is the first RR URI, the route set the others
 * plus the Contact; To tag present; msg[body] writes a MESSAGE's body.
 */
static void test_print_strict_rr(void **state)
{
	print("MESSAGE sip:bob@b.org SIP/2.0\r\n"
	      "Via: SIP/2.0/UDP 10.0.0.1:5062;branch=z9hG4bKx\r\n"
	      "From: <sip:al@a.org>;tag=ft1\r\n"
	      "To: <sip:bob@b.org>;tag=tt2\r\n"
	      "Call-ID: cid-2@a\r\n"
	      "CSeq: 3 MESSAGE\r\n"
	      "Contact: <sip:al@10.0.0.1>\r\n"
	      "Record-Route: <sip:s1.b.org>, <sip:s2.b.org;lr>\r\n"
	      "Content-Length: 2\r\n\r\nhi",
	      "append2", 0);
	assert_lines(out, "0.3\nsip_request.act\nMESSAGE\nbob\nb.org\n"
	                  "127.0.0.1\n.\nsip:bob@b.org\n"
	                  "sip:s1.b.org\n"
	                  "<sip:al@a.org>;tag=ft1\n<sip:bob@b.org>;tag=tt2\n"
	                  "cid-2@a\nft1\ntt2\n3\n77:12345\n"
	                  "<sip:s2.b.org;lr>,<sip:al@10.0.0.1>\n"
	                  ".\n"
	                  "P-MsgFlags: 0\n"
	                  ".\n"
	                  "hi\n");
}

/* ---------------------------------------------- end to end: driving -- */

struct sent {
	int port;
	char text[4096];
};

static struct sent sent[64];
static int nsent;

static int capture(const struct dest_info *dst, const char *buf, int len)
{
	struct sent *s = &sent[nsent < 63 ? nsent++ : 63];
	int n = len < 4095 ? len : 4095;

	s->port = ntohs(dst->to.sin.sin_port);
	memcpy(s->text, buf, (size_t)n);
	s->text[n] = '\0';
	return SV_OK;
}

static int count_sent(const char *prefix)
{
	int i, n = 0;

	for (i = 0; i < nsent; i++)
		if (strncmp(sent[i].text, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static const char *last_final(void)
{
	int i;

	for (i = nsent - 1; i >= 0; i--)
		if (strncmp(sent[i].text, "SIP/2.0 1", 9) != 0)
			return sent[i].text;
	return "";
}

static void assert_final(const char *status_line)
{
	const char *r = last_final();

	if (strncmp(r, status_line, strlen(status_line)) != 0)
		fail_msg("upstream got '%.60s', expected '%s'", r,
		         status_line);
}

static void deliver(const char *text)
{
	struct receive_info ri;
	static char buf[8192];
	str ip = STR_LIT("127.0.0.1");
	int len = (int)strlen(text);

	memcpy(buf, text, (size_t)len);
	memset(&ri, 0, sizeof(ri));
	ip_addr_parse(&ip, &ri.src_ip);
	ri.src_port = UAC_PORT;
	ri.dst_port = 5060;
	ri.proto = PROTO_UDP;
	ri.bind_address = &sock;
	su_from_ip(&ri.src_su, &ri.src_ip, UAC_PORT);
	receive_msg(buf, len, &ri);
	assert_false(tm_holds_reply_lock());
}

static char req_text[2048];

static const char *request(const char *method, const char *user)
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
	         "User-Agent: ua-%d\r\n"
	         "Content-Length: 4\r\n"
	         "\r\n"
	         "body",
	         method, user, cseq, user, cseq, cseq, cseq, method, cseq);
	return req_text;
}

static const char *cancel_of_last(void)
{
	static char text[1024];

	snprintf(text, sizeof(text),
	         "CANCEL sip:fifo@example.com SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKu%d\r\n"
	         "Max-Forwards: 70\r\n"
	         "To: <sip:fifo@example.com>\r\n"
	         "From: <sip:alice@example.org>;tag=a%d\r\n"
	         "Call-ID: call-%d@test\r\n"
	         "CSeq: %d CANCEL\r\n"
	         "Content-Length: 0\r\n\r\n",
	         cseq, cseq, cseq, cseq);
	return text;
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

	advance(11000);
	assert_int_equal(tm_stat(TS_INUSE), 0);
	assert_int_equal(tm_shm_used(), shm_base);
	for (h = 0; h < TM_TABLE_ENTRIES; h++)
		assert_int_equal(tm_bucket_owner(h), 0);
	assert_false(tm_holds_reply_lock());
}

/* ---------------------------------------------- end to end: readers -- */

static int fifo_rd = -1, sock_rd = -1;
static char got[8192];

/* What the FIFO holds now ("" when nothing). */
static const char *read_fifo(void)
{
	ssize_t n = read(fifo_rd, got, sizeof(got) - 1);

	got[n > 0 ? n : 0] = '\0';
	return got;
}

static const char *read_sock(void)
{
	ssize_t n = recv(sock_rd, got, sizeof(got) - 1, MSG_DONTWAIT);

	got[n > 0 ? n : 0] = '\0';
	return got;
}

/* Line i (0-based) of the 20 of text, into buf. */
static const char *line_of(const char *text, int i, char *buf, int size)
{
	const char *e;

	while (i-- > 0) {
		text = strchr(text, '\n');
		assert_non_null(text);
		text++;
	}
	e = strchr(text, '\n');
	assert_non_null(e);
	snprintf(buf, (size_t)size, "%.*s", (int)(e - text), text);
	return buf;
}

/* The hash:label written is that of the transaction tm made. */
static void assert_written(const char *text, const char *action,
                           const char *method)
{
	char l[256], want[64];
	struct cell *t;
	unsigned h;
	int found = 0;

	assert_string_equal(line_of(text, 0, l, sizeof(l)), "0.3");
	assert_string_equal(line_of(text, 1, l, sizeof(l)), action);
	assert_string_equal(line_of(text, 2, l, sizeof(l)), method);
	line_of(text, 15, l, sizeof(l));
	for (h = 0; h < TM_TABLE_ENTRIES && !found; h++)
		for (t = tm_bucket_first(h); t && !found; t = t->next) {
			snprintf(want, sizeof(want), "%u:%u", t->hash,
			         t->label);
			found = strcmp(want, l) == 0;
		}
	if (!found)
		fail_msg("no transaction %s", l);
}

/* ------------------------------------------------------------ setup -- */

static const char *script_fmt =
    "modparam(\"tm\", \"fr_timer\", 5)\n"
    "modparam(\"tm\", \"tw_append\",\n"
    "  \"test: ua=$hdr(User-Agent) ;avp=$avp(i:10);$rb;time=$Ts\")\n"
    "modparam(\"tm\", \"tw_append\", "
    "\"append1:Email=avp[i:12];UA=hdr[User-Agent]\")\n"
    "modparam(\"tm\", \"tw_append\", \"append2:body=msg[body]\")\n"
    "modparam(\"tm\", \"unix_tx_timeout\", 1)\n"
    "route {\n"
    "  if (method == \"CANCEL\") { if (t_check_trans()) t_relay(); exit; }\n"
    "  if (method == \"ACK\") { t_check_trans(); exit; }\n"
    "  $avp(i:12) = \"al@example.org\";\n"
    "  switch ($rU) {\n"
    "  case \"fifo\": t_newtran(); t_write_req(\"voicemail/append1\", "
    "\"%s\"); break;\n"
    "  case \"unix\": t_newtran(); t_write_unix(\"logger/append2\", "
    "\"%s\"); break;\n"
    "  case \"reply\": t_newtran();\n"
    "    if (t_write_req(\"vm\", \"%s\")) t_reply(\"202\", \"Queued\");\n"
    "    break;\n"
    "  case \"failure\": t_newtran(); t_on_failure(\"1\");\n"
    "    t_write_unix(\"x/test\", \"%s\"); break;\n"
    "  case \"noreader\": t_newtran();\n"
    "    if (!t_write_req(\"vm\", \"%s\")) $var(rc) = \"failed\";\n"
    "    break;\n"
    "  case \"full\": t_newtran();\n"
    "    if (!t_write_unix(\"vm\", \"%s\")) $var(rc) = \"failed\";\n"
    "    break;\n"
    "  case \"notrans\":\n"
    "    if (!t_write_req(\"vm\", \"%s\")) sl_send_reply(\"500\", \"no\");\n"
    "    break;\n"
    "  }\n"
    "}\n"
    "failure_route[1] { t_reply(\"480\", \"$T_reply_code $rU\"); }\n";



static int open_readers(void)
{
	struct sockaddr_un su;

	if (mkfifo(fifo_path, 0600) != 0)
		return -1;
	fifo_rd = open(fifo_path, O_RDONLY | O_NONBLOCK);
	sock_rd = socket(AF_UNIX, SOCK_DGRAM, 0);
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", sock_path);
	if (fifo_rd < 0 || sock_rd < 0 ||
	    bind(sock_rd, (struct sockaddr *)&su, sizeof(su)) != 0)
		return -1;
	return mkfifo(nofifo_path, 0600);
}

static int group_setup(void **state)
{
	char buf[16384], body[8192];
	int n;

	snprintf(dir, sizeof(dir), "/tmp/tmwrite.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(fifo_path, sizeof(fifo_path), "%s/fifo", dir);
	snprintf(sock_path, sizeof(sock_path), "%s/sock", dir);
	snprintf(nofifo_path, sizeof(nofifo_path), "%s/noreader", dir);
	snprintf(full_path, sizeof(full_path), "%s/full", dir);
	if (open_readers() != 0 || shm_init(32 << 20) != SV_OK ||
	    timer_init() != SV_OK || stats_init() != SV_OK)
		return -1;
	sock.fd = -1;
	sock.proto = PROTO_UDP;
	sock.port = 5060;
	sock.address_str = (str)STR_LIT("127.0.0.1");
	sock.port_str = (str)STR_LIT("5060");
	ip_addr_parse(&sock.address_str, &sock.address);
	su_from_ip(&sock.su, &sock.address, 5060);
	listen_list = &sock;
	add_static_module(&exports);
	snprintf(body, sizeof(body), script_fmt, fifo_path, sock_path,
	         fifo_path, sock_path, nofifo_path, full_path, fifo_path);
	n = snprintf(buf, sizeof(buf),
	             "mpath=\"%s\"\nloadmodule \"sl\"\n%s", SERVAL_MODULES_DIR,
	             body);
	if (cfg_load_buffer("write.cfg", buf, n, &script) != SV_OK ||
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
	close(fifo_rd);
	close(sock_rd);
	unlink(fifo_path);
	unlink(sock_path);
	unlink(nofifo_path);
	unlink(full_path);
	rmdir(dir);
	return 0;
}

static int test_setup(void **state)
{
	nsent = 0;
	shm_base = tm_shm_used();
	return 0;
}

/* ------------------------------------------------------------- flows -- */

/* 1-28: the FIFO gets the 20 lines; the caller gets 408 on fr_timer. */
static void test_fifo_then_408(void **state)
{
	char l[256];
	const char *w;

	deliver(request("INVITE", "fifo"));
	w = read_fifo();
	assert_written(w, "sip_request.voicemail", "INVITE");
	assert_string_equal(line_of(w, 3, l, sizeof(l)), "fifo");
	assert_string_equal(line_of(w, 18, l, sizeof(l)), "P-MsgFlags: 0");
	assert_string_equal(line_of(w, 19, l, sizeof(l)),
	                    "Email: al@example.org");
	snprintf(l, sizeof(l), "UA: ua-%d\n.\nbody\n", cseq);
	assert_non_null(strstr(w, l));
	assert_int_equal(count_sent("INVITE"), 0); /* the branch is blind */
	assert_int_equal(tm_stat(TS_INUSE), 1);
	advance(4900);
	assert_int_equal(count_sent("SIP/2.0 408"), 0);
	advance(200);
	assert_final("SIP/2.0 408 ");
	assert_all_gone();
}

/* 1-28's unix socket: one datagram, the same format; msg[body]. */
static void test_unix_datagram(void **state)
{
	char l[256];
	const char *w;

	deliver(request("MESSAGE", "unix"));
	w = read_sock();
	assert_written(w, "sip_request.logger", "MESSAGE");
	assert_non_null(strstr(w, "\nP-MsgFlags: 0\n.\nbody\n"));
	assert_string_equal(line_of(w, 6, l, sizeof(l)), ".");
	assert_string_equal(read_sock(), ""); /* one datagram only */
	advance(5100);
	assert_final("SIP/2.0 408 ");
	assert_all_gone();
}

/* t_reply from the script wins over the blind branch. */
static void test_reply_wins(void **state)
{
	deliver(request("INVITE", "reply"));
	assert_written(read_fifo(), "sip_request.vm", "INVITE");
	assert_final("SIP/2.0 202 Queued");
	assert_int_equal(count_sent("SIP/2.0 408"), 0);
	assert_all_gone();
	assert_int_equal(count_sent("SIP/2.0 408"), 0);
}

/* A CANCEL while the application has not answered: 487. */
static void test_cancel(void **state)
{
	deliver(request("INVITE", "fifo"));
	read_fifo();
	deliver(cancel_of_last());
	assert_int_equal(count_sent("SIP/2.0 200 canceling"), 1);
	assert_final("SIP/2.0 487 ");
	assert_all_gone();
}

/* The failure route runs on the blind branch's 408, with its R-URI. */
static void test_failure_route(void **state)
{
	const char *w;

	deliver(request("INVITE", "failure"));
	w = read_sock();
	assert_written(w, "sip_request.x", "INVITE");
	assert_non_null(strstr(w, "\nP-MsgFlags: 0\nua: ua-"));
	assert_non_null(strstr(w, "\ntime: "));
	advance(5100);
	assert_final("SIP/2.0 480 408 failure");
	assert_all_gone();
}

/* Nobody reads: -1 at once, the blind branch still answers 408. */
static void test_no_reader(void **state)
{
	deliver(request("INVITE", "noreader"));
	assert_int_equal(tm_stat(TS_INUSE), 1);
	advance(5100);
	assert_final("SIP/2.0 408 ");
	assert_all_gone();
}

/* A unix socket bound at path whose queue is full (nobody reads it). */
static int full_socket(const char *path, int *writer)
{
	struct sockaddr_un su;
	int r = socket(AF_UNIX, SOCK_DGRAM, 0);

	*writer = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
	assert_int_equal(bind(r, (struct sockaddr *)&su, sizeof(su)), 0);
	assert_int_equal(connect(*writer, (struct sockaddr *)&su, sizeof(su)),
	                 0);
	while (send(*writer, "x", 1, 0) == 1)
		;
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	return r;
}

/* A reader that reads nothing: -1 after unix_tx_timeout (1 s), no more. */
static void test_unix_timeout(void **state)
{
	int w, r = full_socket(full_path, &w);
	long long t0 = (long long)timer_now_ms(), el;

	deliver(request("MESSAGE", "full"));
	el = (long long)timer_now_ms() - t0;
	close(r);
	close(w);
	if (el < 900 || el > 1900)
		fail_msg("t_write_unix took %lld ms, unix_tx_timeout is 1 s",
		         el);
	advance(5100);
	assert_final("SIP/2.0 408 ");
	assert_all_gone();
}

/* Without a transaction: -1, nothing written. */
static void test_no_transaction(void **state)
{
	deliver(request("MESSAGE", "notrans"));
	assert_string_equal(read_fifo(), "");
	assert_int_equal(tm_stat(TS_INUSE), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, test_setup)
	const struct CMUnitTest tests[] = {
	    T(test_parse_seed),       T(test_parse_defaults),
	    T(test_parse_errors),     T(test_param_duplicates),
	    T(test_fixup_errors),
	    T(test_print_invite),     T(test_print_loose_rr),
	    T(test_print_strict_rr),  T(test_fifo_then_408),
	    T(test_unix_datagram),    T(test_reply_wins),
	    T(test_cancel),           T(test_failure_route),
	    T(test_no_reader),        T(test_unix_timeout),
	    T(test_no_transaction),
	};

	log_set_level(getenv("TM_WRITE_DEBUG") ? L_DBG : L_CRIT);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
