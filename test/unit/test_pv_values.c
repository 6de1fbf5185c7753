/*
 * test_pv_values.c - every core pseudo-variable read on parsed messages
 * (values checked), the setters, pv_format_print, and the branch and
 * flag variables.
 */
#include "parser_testutil.h"

#include <unistd.h>

#include "core/avp.h"
#include "core/dset.h"
#include "core/flags.h"
#include "core/pv.h"
#include "core/pv_core.h"
#include "core/ruri.h"
#include "core/parser/digest.h"
#include "core/script_var.h"
#include "core/socket.h"
#include "core/parser/msg_uri.h"
#include "shm/shm.h"

static const char *invite =
    "INVITE sip:bob@example.com:5070;transport=tcp SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776\r\n"
    "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK111\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Alice A\" <sip:alice@atlanta.com>;tag=1928\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@10.0.0.1>\r\n"
    "User-Agent: softphone 1.0\r\n"
    "Refer-To: <sip:carol@chicago.com>\r\n"
    "Diversion: <sip:dave@denver.com>;reason=busy\r\n"
    "Remote-Party-ID: <sip:erin@e.com>;party=calling\r\n"
    "P-Asserted-Identity: <sip:frank@f.com>\r\n"
    "P-Preferred-Identity: \"Gina\" <sip:gina@g.com>\r\n"
    "Proxy-Authorization: Digest username=\"alice@atlanta.com\", "
    "realm=\"atlanta.com\", nonce=\"abc\", uri=\"sip:bob@example.com\", "
    "response=\"0123\"\r\n"
    "X-Foo: one\r\n"
    "X-Foo: two\r\n"
    "x-foo: three\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

static const char *reply =
    "SIP/2.0 486 Busy Here\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776\r\n"
    "From: <sip:alice@atlanta.com>;tag=1928\r\n"
    "To: <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

static struct tmsg t;

static struct pv_spec *spec(const char *text)
{
	static struct pv_spec *specs[64];
	static int n;
	char err[256];
	str in = str_from_cstr(text);
	struct pv_spec *sp;

	if (pv_spec_parse(&in, &sp, err, sizeof(err)) != SV_OK)
		fail_msg("%s: %s", text, err);
	if (n == 64) {
		for (n = 0; n < 64; n++)
			pv_spec_free(specs[n]);
		n = 0;
	}
	specs[n++] = sp;
	return sp;
}

static void check_str(const char *pv, const char *want)
{
	struct pv_value v;

	assert_int_equal(pv_get(t.msg, spec(pv), &v), SV_OK);
	if (!(v.flags & PV_VAL_STR))
		fail_msg("%s: no string value (want '%s')", pv, want);
	if ((int)strlen(want) != v.rs.len ||
	    memcmp(want, v.rs.s, v.rs.len) != 0)
		fail_msg("%s: got '%.*s', want '%s'", pv, v.rs.len, v.rs.s,
		         want);
}

static void check_int(const char *pv, long want)
{
	struct pv_value v;

	assert_int_equal(pv_get(t.msg, spec(pv), &v), SV_OK);
	if (!(v.flags & PV_VAL_INT))
		fail_msg("%s: no integer value", pv);
	if (v.ri != want)
		fail_msg("%s: got %ld, want %ld", pv, v.ri, want);
}

static void check_null(const char *pv)
{
	struct pv_value v;

	assert_int_equal(pv_get(t.msg, spec(pv), &v), SV_OK);
	if (!(v.flags & PV_VAL_NULL))
		fail_msg("%s: not null ('%.*s')", pv, v.rs.len, v.rs.s);
}

static void set_str(const char *pv, const char *val, int want_rc)
{
	struct pv_value v = {PV_VAL_STR, str_from_cstr(val), 0};

	assert_int_equal(pv_set(t.msg, spec(pv), PV_OP_SET, &v), want_rc);
}

static void set_int(const char *pv, long val, int op)
{
	struct pv_value v = {PV_VAL_INT, STR_NULL, val};

	assert_int_equal(pv_set(t.msg, spec(pv), op, &v), SV_OK);
}

static void set_null(const char *pv)
{
	assert_int_equal(pv_set(t.msg, spec(pv), PV_OP_SET, NULL), SV_OK);
}

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

static int setup(void **state)
{
	parse(invite);
	return 0;
}

static int teardown(void **state)
{
	tmsg_free(&t);
	dset_clear();
	avp_reset_msg_list();
	return 0;
}

static void test_ruri(void **state)
{
	check_str("$ru", "sip:bob@example.com:5070;transport=tcp");
	check_str("$ruri", "sip:bob@example.com:5070;transport=tcp");
	check_str("$rU", "bob");
	check_str("$rd", "example.com");
	check_int("$rp", 5070);
	check_str("$rp", "5070");
	check_str("$rP", "tcp");
	check_str("$ou", "sip:bob@example.com:5070;transport=tcp");
	check_str("$oU", "bob");
	check_str("$od", "example.com");
	check_int("$op", 5070);
	check_str("$oP", "tcp");
	check_null("$du");
	check_null("$dd");
	check_null("$dp");
	check_null("$dP");
}

static void test_ruri_setters(void **state)
{
	set_str("$rU", "carol", SV_OK);
	check_str("$ru", "sip:carol@example.com:5070;transport=tcp");
	set_str("$rd", "chicago.com", SV_OK);
	check_str("$ru", "sip:carol@chicago.com:5070;transport=tcp");
	set_int("$rp", 5080, PV_OP_SET);
	check_str("$ru", "sip:carol@chicago.com:5080;transport=tcp");
	set_null("$rp");
	check_str("$ru", "sip:carol@chicago.com;transport=tcp");
	check_int("$rp", 5060);
	set_null("$rU");
	check_str("$ru", "sip:chicago.com;transport=tcp");
	check_null("$rU");
	/* the original stays */
	check_str("$ou", "sip:bob@example.com:5070;transport=tcp");
	set_str("$ru", "sip:x@y.org", SV_OK);
	check_str("$ru", "sip:x@y.org");
	check_str("$rd", "y.org");
	check_int("$rp", 5060);
	check_str("$rP", "UDP");
	set_str("$ru", "not a uri", SV_EBADURI);
	check_str("$ru", "sip:x@y.org");
	set_null("$ru");
	check_str("$ru", "sip:bob@example.com:5070;transport=tcp");
	set_str("$du", "sip:10.1.1.1:5090;transport=udp", SV_OK);
	check_str("$du", "sip:10.1.1.1:5090;transport=udp");
	check_str("$dd", "10.1.1.1");
	check_int("$dp", 5090);
	check_str("$dP", "udp");
	set_str("$du", "garbage", SV_EBADURI);
	set_null("$du");
	check_null("$du");
}

static void test_addr(void **state)
{
	check_str("$fu", "sip:alice@atlanta.com");
	check_str("$from", "sip:alice@atlanta.com");
	check_str("$fU", "alice");
	check_str("$from.user", "alice");
	check_str("$fd", "atlanta.com");
	check_str("$from.domain", "atlanta.com");
	check_str("$fn", "\"Alice A\"");
	check_str("$ft", "1928");
	check_str("$tu", "sip:bob@biloxi.com");
	check_str("$to", "sip:bob@biloxi.com");
	check_str("$tU", "bob");
	check_str("$to.user", "bob");
	check_str("$td", "biloxi.com");
	check_str("$to.domain", "biloxi.com");
	check_str("$tn", "Bob");
	check_null("$tt");
	check_str("$rt", "sip:carol@chicago.com");
	check_str("$di", "sip:dave@denver.com");
	check_str("$re", "sip:erin@e.com");
	check_str("$ai", "sip:frank@f.com");
	check_str("$pu", "sip:gina@g.com");
	check_str("$pU", "gina");
	check_str("$pd", "g.com");
	check_str("$pn", "\"Gina\"");
}

static void test_msg_fields(void **state)
{
	check_str("$ci", "a84b4c76e66710");
	check_int("$cs", 314159);
	check_str("$cs", "314159");
	check_str("$rm", "INVITE");
	check_str("$ct", "<sip:alice@10.0.0.1>");
	check_str("$cT", "application/sdp");
	check_int("$cl", 4);
	check_str("$ua", "softphone 1.0");
	check_str("$rb", "v=0\n");
	check_int("$ml", (long)strlen(invite));
	check_str("$mb", invite);
	check_int("$mi", t.msg->id);
	check_null("$rs");
	check_null("$rr");
	check_str("$hdr(X-Foo)", "one");
	check_str("$hdr(x-foo[1])", "two");
	check_str("$(hdr(X-Foo)[-1])", "three");
	check_str("$(hdr(X-Foo)[*])", "one, two, three");
	check_null("$(hdr(X-Foo)[3])");
	check_null("$hdr(X-Bar)");
	check_str("$hdr(v)", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776");
	check_str("$(hdr(Via)[1])", "SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK111");
	check_str("$hdr(call-id)", "a84b4c76e66710");
}

static void test_reply_fields(void **state)
{
	tmsg_free(&t);
	parse(reply);
	check_int("$rs", 486);
	check_str("$rs", "486");
	check_str("$rr", "Busy Here");
	check_str("$rm", "INVITE");
	check_null("$ru");
	check_null("$rU");
	check_null("$ou");
	check_null("$ds");
	check_str("$tt", "a6c85cf");
	check_null("$rb");
	check_int("$cl", 0);
	check_null("$au");
}

static void test_network(void **state)
{
	check_str("$si", "10.0.0.1");
	check_str("$src_ip", "10.0.0.1");
	check_int("$sp", 5062);
	check_str("$Ri", "127.0.0.1");
	check_int("$Rp", 5060);
	check_null("$fs");
}

static void test_auth(void **state)
{
	check_str("$au", "alice");
	check_str("$ar", "atlanta.com");
	check_str("$Au", "alice@atlanta.com");
	tmsg_free(&t);
	parse(reply);
	check_str("$Au", "sip:alice@atlanta.com"); /* no credentials: $fu */
}

static void test_digest_parser(void **state)
{
	static const struct {
		const char *body;
		int rc;
		const char *user, *realm;
	} cases[] = {
	    {"Digest username=\"bob\", realm=\"b.com\"", SV_OK, "bob", "b.com"},
	    {"digest REALM=b.com ,USERNAME = \"a\\\"b\"", SV_OK, "a\\\"b",
	     "b.com"},
	    {"Digest nonce=\"x\"", SV_OK, "", ""},
	    {"Basic YWxhZGRpbjpvcGVuc2VzYW1l", SV_ENOTFOUND, "", ""},
	    {"Digest username=\"unterminated", SV_EBADMSG, "", ""},
	    {"Digest username", SV_EBADMSG, "", ""},
	    {"Digest a=b c=d", SV_EBADMSG, "", ""},
	    {"Digest", SV_ENOTFOUND, "", ""},
	};
	struct digest_cred c;
	unsigned i;
	str b;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		b = str_from_cstr(cases[i].body);
		assert_int_equal(parse_digest_cred(&b, &c), cases[i].rc);
		if (cases[i].rc != SV_OK)
			continue;
		assert_true(str_eq_lit(&c.username, cases[i].user));
		assert_true(str_eq_lit(&c.realm, cases[i].realm));
	}
}

static void test_ruri_rewrite_edges(void **state)
{
	str v = STR_LIT("[::1]:5070"), tel = STR_LIT("tel:+1234"),
	    h = STR_LIT("h"), empty = STR_NULL;

	assert_int_equal(ruri_rewrite(t.msg, RURI_HOSTPORT, &v), SV_OK);
	check_str("$ru", "sip:bob@[::1]:5070;transport=tcp");
	v = (str)STR_LIT("[::1]");
	assert_int_equal(ruri_rewrite(t.msg, RURI_HOSTPORT, &v), SV_OK);
	check_str("$ru", "sip:bob@[::1];transport=tcp");
	assert_int_equal(ruri_rewrite(t.msg, RURI_HOST, &empty), SV_EINVAL);
	v = (str)STR_LIT("a b");
	assert_int_equal(ruri_rewrite(t.msg, RURI_USER, &v), SV_EBADURI);
	check_str("$ru", "sip:bob@[::1];transport=tcp");
	assert_int_equal(ruri_rewrite(t.msg, RURI_WHOLE, &tel), SV_OK);
	assert_int_equal(ruri_rewrite(t.msg, RURI_HOST, &h), SV_EBADURI);
	assert_int_equal(ruri_prefix(t.msg, &h), SV_EBADURI);
	check_str("$ru", "tel:+1234");
	tmsg_free(&t);
	parse(reply);
	assert_int_equal(ruri_rewrite(t.msg, RURI_HOST, &h), SV_EINVAL);
}

static void test_flags(void **state)
{
	t.msg->flags = 0x1a;
	t.msg->ruri_bflags = 3;
	script_flags = 0x100;
	check_int("$mf", 26);
	check_str("$mF", "0000001A");
	check_int("$bf", 3);
	check_str("$bF", "00000003");
	check_int("$sf", 256);
	check_str("$sF", "00000100");
	script_flags = 0;
}

static void test_misc(void **state)
{
	struct pv_value v;

	pv_retcode = -2;
	check_int("$rc", -2);
	check_int("$retcode", -2);
	pv_retcode = 0;
	check_int("$pp", getpid());
	assert_int_equal(pv_get(t.msg, spec("$Ts"), &v), SV_OK);
	assert_true(v.ri > 1600000000);
	assert_int_equal(pv_get(t.msg, spec("$Tf"), &v), SV_OK);
	assert_true(v.rs.len >= 24); /* "Thu Jan  1 00:00:00 1970" */
	assert_true(v.rs.s[v.rs.len - 1] != '\n');
}

static void test_err(void **state)
{
	check_int("$err.class", 0);
	check_int("$err.rcode", 0);
	check_null("$err.info");
	msg_bad(t.msg, "bad Via header");
	check_int("$err.class", 1);
	check_int("$err.level", 3);
	check_str("$err.info", "bad Via header");
	check_int("$err.rcode", 400);
	check_str("$err.rreason", "Bad Request");
}

static void test_branches(void **state)
{
	str u1 = STR_LIT("sip:a@1.1.1.1"), u2 = STR_LIT("sip:b@2.2.2.2");
	struct pv_value v;

	check_null("$br");
	check_null("$bR");
	check_null("$ds");
	assert_int_equal(dset_append(&u1, NULL, 500, 0, NULL), SV_OK);
	assert_int_equal(dset_append(&u2, NULL, DSET_Q_UNSPECIFIED, 0, NULL),
	                 SV_OK);
	check_str("$br", "sip:a@1.1.1.1");
	check_str("$bR", "sip:a@1.1.1.1;q=0.5, sip:b@2.2.2.2");
	check_str("$ds", "<sip:bob@example.com:5070;transport=tcp>, "
	                 "<sip:a@1.1.1.1>;q=0.5, <sip:b@2.2.2.2>");
	set_str("$br", "sip:c@3.3.3.3", SV_OK);
	check_str("$br", "sip:c@3.3.3.3");
	assert_int_equal(dset_count(), 2);
	dset_clear();
	set_str("$br", "sip:d@4.4.4.4", SV_OK);
	assert_int_equal(dset_count(), 1);
	v.flags = PV_VAL_NULL;
	assert_int_equal(pv_set(t.msg, spec("$br"), PV_OP_SET, &v), SV_EINVAL);
}

static void test_dset_limits(void **state)
{
	str u = STR_LIT("sip:x@h");
	char big[DSET_MAX_URI + 2];
	str b = {big, sizeof(big)};
	char q[8];
	int i;

	for (i = 0; i < DSET_MAX_BRANCHES - 1; i++)
		assert_int_equal(dset_append(&u, NULL, -1, 0, NULL), SV_OK);
	assert_int_equal(dset_append(&u, NULL, -1, 0, NULL), SV_ETOOMANY);
	dset_clear();
	memset(big, 'a', sizeof(big));
	assert_int_equal(dset_append(&b, NULL, -1, 0, NULL), SV_ETOOBIG);
	assert_int_equal(dset_append(&u, NULL, 1001, 0, NULL), SV_EQVALUE);
	assert_int_equal(dset_count(), 0);
	dset_print_q(1000, q);
	assert_string_equal(q, "1");
	dset_print_q(0, q);
	assert_string_equal(q, "0");
	dset_print_q(250, q);
	assert_string_equal(q, "0.25");
	dset_print_q(7, q);
	assert_string_equal(q, "0.007");
}

static void test_branch_flags(void **state)
{
	str u = STR_LIT("sip:x@h");

	assert_ptr_equal(branch_flags_ptr(t.msg, 0), &t.msg->ruri_bflags);
	assert_null(branch_flags_ptr(t.msg, 1));
	dset_append(&u, NULL, -1, 5, NULL);
	assert_int_equal(*branch_flags_ptr(t.msg, 1), 5);
	t.msg->ruri_bflags = 9;
	assert_int_equal(dset_append_ruri(t.msg), SV_OK);
	assert_int_equal(dset_branch(1)->flags, 9);
	assert_true(str_eq(&dset_branch(1)->uri, msg_ruri(t.msg)));
}

static void test_var(void **state)
{
	check_int("$var(a)", 0);
	set_str("$var(a)", "hello", SV_OK);
	check_str("$var(a)", "hello");
	set_int("$var(a)", 42, PV_OP_SET);
	check_int("$var(a)", 42);
	check_str("$var(a)", "42");
	set_null("$var(a)");
	check_int("$var(a)", 0);
	set_str("$var(b)", "x", SV_OK);
	check_str("$var(b)", "x");
	check_int("$var(a)", 0);
}

static void test_avp(void **state)
{
	check_null("$avp(s:x)");
	set_str("$avp(s:x)", "first", SV_OK);
	set_int("$avp(s:x)", 2, PV_OP_SET);
	set_str("$avp(s:x)", "third", SV_OK);
	check_str("$avp(s:x)", "third");
	check_str("$avp(x)", "third"); /* s: is optional */
	check_int("$avp(s:x[1])", 2);
	check_str("$(avp(s:x)[-1])", "first");
	check_str("$(avp(s:x)[*])", "third, 2, first");
	check_null("$(avp(s:x)[3])");
	set_int("$avp(i:24)", 7, PV_OP_SET);
	check_int("$avp(i:24)", 7);
	check_null("$avp(s:y)");
	set_null("$avp(s:x)"); /* the newest only */
	check_int("$avp(s:x)", 2);
	set_int("$avp(s:x)", 9, PV_OP_REPLACE);
	check_str("$(avp(s:x)[*])", "9");
	set_str("$avp(s:x)", "z", SV_OK);
	set_null("$(avp(s:x)[*])");
	check_null("$avp(s:x)");
	check_int("$avp(i:24)", 7);
}

static void test_avp_replace_from_self(void **state)
{
	struct pv_value v;

	set_str("$avp(s:r)", "keep me", SV_OK);
	assert_int_equal(pv_get(t.msg, spec("$avp(s:r)"), &v), SV_OK);
	/* v points into the AVP that := deletes */
	assert_int_equal(pv_set(t.msg, spec("$avp(s:r)"), PV_OP_REPLACE, &v),
	                 SV_OK);
	check_str("$(avp(s:r)[*])", "keep me");
}

static void test_avp_list_copy(void **state)
{
	avp_list_t copy = NULL, *old;

	set_str("$avp(s:x)", "first", SV_OK);
	set_int("$avp(i:24)", 7, PV_OP_SET);
	set_str("$avp(s:x)", "second", SV_OK);
	assert_int_equal(avp_list_copy(*avp_get_list(), &copy), SV_OK);
	set_null("$(avp(s:x)[*])"); /* the original changes, the copy not */
	old = avp_set_list(&copy);
	check_str("$(avp(s:x)[*])", "second, first");
	check_int("$avp(i:24)", 7);
	set_str("$avp(s:y)", "only in the copy", SV_OK);
	avp_set_list(old);
	check_null("$avp(s:y)");
	check_null("$avp(s:x)");
	avp_list_free(&copy);
	assert_null(copy);
	assert_int_equal(avp_list_copy(NULL, &copy), SV_OK);
	assert_null(copy);
}

static void test_msg_branch_state(void **state)
{
	struct msg_branch_state st;
	str u = STR_LIT("sip:saved@h"), d = STR_LIT("sip:proxy:5080");
	str other = STR_LIT("sip:other@h");

	assert_int_equal(set_new_uri(t.msg, &u), SV_OK);
	assert_int_equal(set_dst_uri(t.msg, &d), SV_OK);
	t.msg->ruri_bflags = 3;
	assert_int_equal(msg_branch_save(t.msg, &st), SV_OK);
	assert_int_equal(set_new_uri(t.msg, &other), SV_OK);
	reset_dst_uri(t.msg);
	t.msg->ruri_bflags = 8;
	check_str("$ru", "sip:other@h");
	msg_branch_restore(t.msg, &st);
	check_str("$ru", "sip:saved@h");
	check_str("$du", "sip:proxy:5080");
	assert_int_equal(t.msg->ruri_bflags, 3);
	assert_null(st.new_uri.s);
	/* nothing rewritten: restored to nothing */
	reset_new_uri(t.msg);
	reset_dst_uri(t.msg);
	assert_int_equal(msg_branch_save(t.msg, &st), SV_OK);
	assert_int_equal(set_new_uri(t.msg, &other), SV_OK);
	msg_branch_restore(t.msg, &st);
	assert_null(t.msg->new_uri.s);
	assert_null(t.msg->dst_uri.s);
}

static void test_format(void **state)
{
	static const char *fmt = "$rm from $fU ($si:$sp) rc=$rc $avp(s:no)";
	str in = str_from_cstr(fmt), out;
	struct pv_format *f;
	char err[128], buf[256];
	int off;

	assert_int_equal(pv_format_parse(&in, &f, &off, err, sizeof(err)),
	                 SV_OK);
	assert_int_equal(pv_format_print(t.msg, f, buf, sizeof(buf), &out),
	                 SV_OK);
	assert_int_equal(out.len,
	                 (int)strlen("INVITE from alice (10.0.0.1:5062) rc=0 "
	                             "<null>"));
	assert_memory_equal(
	    out.s, "INVITE from alice (10.0.0.1:5062) rc=0 <null>", out.len);
	assert_int_equal(pv_format_print(t.msg, f, buf, 10, &out), SV_ETOOBIG);
	pv_format_free(f);
	in = (str)STR_LIT("no variables");
	assert_int_equal(pv_format_parse(&in, &f, &off, err, sizeof(err)),
	                 SV_OK);
	assert_int_equal(pv_format_print(t.msg, f, buf, sizeof(buf), &out),
	                 SV_OK);
	assert_ptr_equal(out.s, f->whole.s);
	pv_format_free(f);
}

static void test_readonly(void **state)
{
	struct pv_value v = {PV_VAL_STR, STR_LIT("x"), 0};

	assert_int_equal(pv_set(t.msg, spec("$fU"), PV_OP_SET, &v), SV_EINVAL);
	assert_int_equal(pv_set(t.msg, spec("$hdr(X)"), PV_OP_SET, &v),
	                 SV_EINVAL);
}

static void test_force_sock(void **state)
{
	char err[128];

	assert_int_equal(listen_add("udp:127.0.0.1:5999", err, sizeof(err)),
	                 SV_OK);
	assert_int_equal(sockets_resolve(), SV_OK);
	set_str("$fs", "udp:127.0.0.1:5999", SV_OK);
	check_str("$fs", "udp:127.0.0.1:5999");
	set_str("$fs", "udp:127.0.0.1:6000", SV_EINVAL);
	set_null("$fs");
	check_null("$fs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ruri, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ruri_setters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_addr, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_msg_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reply_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_network, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_auth, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_digest_parser, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_ruri_rewrite_edges, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_misc, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_err, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_branches, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dset_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_branch_flags, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_var, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_avp, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_avp_replace_from_self, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_avp_list_copy, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_msg_branch_state, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_format, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_force_sock, setup, teardown),
	};
	int rc;

	log_set_level(L_CRIT);
	if (shm_init(1 << 20) != SV_OK)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	script_vars_free();
	shm_destroy();
	return rc;
}
