/*
 * test_textops_ops.c - the textops module on parsed messages, through its
 * exports table: search() (case-insensitive, per line, NUL bytes in a body,
 * never the edits), search_append(), replace(), replace_all() (empty
 * matches skipped), append_hf() (pseudo-variables expanded, CR LF
 * required), append_urihf(), remove_hf() (compact forms, every
 * occurrence, not twice), is_present_hf(), is_method() (known methods as a
 * mask, other names, replies by their CSeq) and has_body() with and
 * without a MIME type; the fixups' refusals.
 */
#include "module_testutil.h"

#include "core/parser/msg_uri.h"

#define RL   "OPTIONS sip:b@example.com SIP/2.0\r\n"
#define VIA1 "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
#define VIA2 "v: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2\r\n"
#define HDRS                                                                   \
	"From: <sip:a@example.com>;tag=f\r\n"                                  \
	"To: <sip:b@example.com>\r\n"                                          \
	"Call-ID: c1\r\n"                                                      \
	"CSeq: 7 OPTIONS\r\n"                                                  \
	"Subject: hello\r\n"                                                   \
	"X-Custom: one\r\n"
#define NOBODY "Content-Length: 0\r\n\r\n"

static struct tmsg t;

static void parse(const char *text, int len)
{
	tmsg_parse_n(&t, text, len);
	assert_int_equal(t.rc, SV_OK);
}

static int teardown(void **state)
{
	if (t.msg)
		tmsg_free(&t);
	return 0;
}

static int call1(const char *f, const char *a)
{
	return mt_call_once(t.msg, f, 1, a, NULL);
}

static int call2(const char *f, const char *a, const char *b)
{
	return mt_call_once(t.msg, f, 2, a, b);
}

static void t_search(void **state)
{
	static const char msg[] = RL VIA1 HDRS
	    "Content-Type: text/plain\r\nContent-Length: 9\r\n\r\nab\0cd\r\nEF";

	parse(msg, (int)sizeof(msg) - 1);
	/* a SIP line ends in CR LF: '$' is after the CR */
	assert_int_equal(call1("search", "^subject: *HELLO$"), -1);
	assert_int_equal(call1("search", "^subject: *HELLO\r$"), 1);
	assert_int_equal(call1("search", "x-custom"), 1);
	assert_int_equal(call1("search", "^via:.*z9hG4bK1"), 1);
	/* '.' does not cross a line end, '^' is a line start */
	assert_int_equal(call1("search", "OPTIONS.*Via"), -1);
	assert_int_equal(call1("search", "^hello"), -1);
	/* the whole buffer, a NUL byte in the body included */
	assert_int_equal(call1("search", "cd"), 1);
	assert_int_equal(call1("search", "^ef$"), 1);
	assert_int_equal(call1("search", "P-Asserted"), -1);
	/* edits are not seen */
	assert_int_equal(call1("remove_hf", "Subject"), 1);
	assert_int_equal(call1("search", "^Subject"), 1);
}

static void t_search_append(void **state)
{
	parse(RL VIA1 HDRS NOBODY, -1);
	assert_int_equal(call2("search_append", "subject: *hel", "(lo)"), 1);
	assert_string_equal(
	    mt_edited(t.msg), RL VIA1
	    "From: <sip:a@example.com>;tag=f\r\nTo: <sip:b@example.com>\r\n"
	    "Call-ID: c1\r\nCSeq: 7 OPTIONS\r\nSubject: hel(lo)lo\r\n"
	    "X-Custom: one\r\n" NOBODY);
	assert_int_equal(call2("search_append", "nowhere", "x"), -1);
}

static void t_replace(void **state)
{
	parse(RL VIA1 "X-A: aaa\r\nX-B: bab\r\n" NOBODY, -1);
	assert_int_equal(call2("replace", "a{3}", "Z"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA1 "X-A: Z\r\nX-B: bab\r\n" NOBODY);
	tmsg_free(&t);

	parse(RL VIA1 "X-A: aaa\r\nX-B: bab\r\n" NOBODY, -1);
	assert_int_equal(call2("replace_all", "^x-", ""), 1);
	assert_int_equal(call2("replace_all", "ba|aa", "_"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA1 "A: _a\r\nB: _b\r\n" NOBODY);
	assert_int_equal(call2("replace_all", "nowhere", "x"), -1);
	tmsg_free(&t);

	/* "q*" matches empty strings everywhere: only real matches count */
	parse(RL VIA1 "X-Q: aqqa\r\n" NOBODY, -1);
	assert_int_equal(call2("replace_all", "q*", "-"), 1);
	assert_string_equal(mt_edited(t.msg), RL VIA1 "X--: a-a\r\n" NOBODY);
}

static void t_append_hf(void **state)
{
	struct mt_call c;

	parse(RL VIA1 HDRS NOBODY, -1);
	assert_int_equal(call1("append_hf", "P-hint: rr-enforced\r\n"), 1);
	assert_int_equal(call1("append_hf", "X-Call: $ci/$cs ($fu)\r\n"), 1);
	/* a whole line from a variable: checked when printed */
	assert_int_equal(call1("append_hf", "X-Bad: $ci"), -1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA1 HDRS "Content-Length: 0\r\n"
	                                 "P-hint: rr-enforced\r\n"
	                                 "X-Call: c1/7 (sip:a@example.com)\r\n"
	                                 "\r\n");

	assert_int_equal(mt_fixup_rc(&c, "append_hf", 1, "X-A: 1"), SV_EINVAL);
	assert_string_equal(cfg_last_error(),
	                    "t.cfg:1:1: error: append_hf: the header must end "
	                    "with \"\\r\\n\"");
	assert_int_equal(mt_fixup_rc(&c, "append_hf", 1, "X-$ci: 1\n"),
	                 SV_EINVAL);
	assert_int_equal(mt_fixup_rc(&c, "append_hf", 1, "X: $nope\r\n"),
	                 SV_EINVAL);
}

static void t_append_urihf(void **state)
{
	str nu = STR_LIT("sip:c@example.net");

	parse(RL VIA1 HDRS NOBODY, -1);
	assert_int_equal(call2("append_urihf", "CC-Diversion: <", ">\r\n"), 1);
	assert_int_equal(set_new_uri(t.msg, &nu), SV_OK);
	assert_int_equal(call2("append_urihf", "X-New: ", "\r\n"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA1 HDRS "Content-Length: 0\r\n"
	                                 "CC-Diversion: <sip:b@example.com>\r\n"
	                                 "X-New: sip:c@example.net\r\n\r\n");
}

static void t_remove_hf(void **state)
{
	parse(RL VIA1 "x-custom: zero\r\n" VIA2 HDRS NOBODY, -1);
	assert_int_equal(call1("remove_hf", "VIA"), 1);
	assert_int_equal(call1("remove_hf", "X-Custom"), 1);
	assert_string_equal(
	    mt_edited(t.msg),
	    RL "From: <sip:a@example.com>;tag=f\r\nTo: <sip:b@example.com>\r\n"
	       "Call-ID: c1\r\nCSeq: 7 OPTIONS\r\nSubject: hello\r\n" NOBODY);
	/* nothing left to remove */
	assert_int_equal(call1("remove_hf", "v"), -1);
	assert_int_equal(call1("remove_hf", "P-Nothing"), -1);
	/* compact name given, long name in the message */
	assert_int_equal(call1("remove_hf", "s"), 1);
	assert_int_equal(call1("remove_hf", "Subject"), -1);
}

static void t_is_present_hf(void **state)
{
	parse(RL VIA2 HDRS NOBODY, -1);
	assert_int_equal(call1("is_present_hf", "Via"), 1);
	assert_int_equal(call1("is_present_hf", "v"), 1);
	assert_int_equal(call1("is_present_hf", "s"), 1);
	assert_int_equal(call1("is_present_hf", "x-CUSTOM"), 1);
	assert_int_equal(call1("is_present_hf", "X-Custo"), -1);
	assert_int_equal(call1("is_present_hf", "Route"), -1);
}

static void is_method_on(const char *method, const char *list, int want)
{
	char text[512];

	snprintf(text, sizeof(text),
	         "%s sip:b@example.com SIP/2.0\r\n" VIA1
	         "CSeq: 1 %s\r\n" NOBODY,
	         method, method);
	parse(text, -1);
	if (call1("is_method", list) != want)
		fail_msg("is_method(\"%s\") on %s: expected %d", list, method,
		         want);
	tmsg_free(&t);
}

static void t_is_method(void **state)
{
	is_method_on("INVITE", "INVITE", 1);
	is_method_on("INVITE", "BYE|INVITE|ACK", 1);
	is_method_on("INVITE", "invite", 1);
	is_method_on("INVITE", "BYE|CANCEL", -1);
	is_method_on("PUBLISH", "SUBSCRIBE|PUBLISH", 1);
	/* methods serval does not know: by name, ignoring case */
	is_method_on("FOO", "BYE|foo", 1);
	is_method_on("FOO", "FOOBAR|BYE", -1);
	is_method_on("FOO", "INVITE", -1);
	/* RFC 3261: methods are case-sensitive, "invite" is not INVITE */
	is_method_on("invite", "INVITE", -1);
	is_method_on("invite", "invite|foo", -1);

	/* a reply: its CSeq method */
	parse("SIP/2.0 200 OK\r\n" VIA1 "CSeq: 3 BYE\r\n" NOBODY, -1);
	assert_int_equal(call1("is_method", "BYE"), 1);
	assert_int_equal(call1("is_method", "INVITE"), -1);
	tmsg_free(&t);
	parse("SIP/2.0 200 OK\r\n" VIA1 "CSeq: 3 Foo\r\n" NOBODY, -1);
	assert_int_equal(call1("is_method", "INVITE|FOO"), 1);
}

static void t_has_body(void **state)
{
	parse(RL VIA1 HDRS NOBODY, -1);
	assert_int_equal(mt_call_once(t.msg, "has_body", 0, NULL, NULL), -1);
	assert_int_equal(call1("has_body", "application/sdp"), -1);
	tmsg_free(&t);

	parse(RL VIA1 HDRS "c: Application/SDP;x=1\r\nl: 4\r\n\r\nv=0\n", -1);
	assert_int_equal(mt_call_once(t.msg, "has_body", 0, NULL, NULL), 1);
	assert_int_equal(call1("has_body", "application/sdp"), 1);
	assert_int_equal(call1("has_body", "text/plain"), -1);
	assert_int_equal(call1("has_body", "application/sd"), -1);
	tmsg_free(&t);

	/* a body without Content-Type */
	parse(RL VIA1 HDRS "l: 4\r\n\r\nv=0\n", -1);
	assert_int_equal(mt_call_once(t.msg, "has_body", 0, NULL, NULL), 1);
	assert_int_equal(call1("has_body", "application/sdp"), -1);
}

static void expect_fixup_error(const char *f, int argc, const char *a,
                               const char *b, const char *error)
{
	struct mt_call c;

	assert_int_equal(mt_fixup_rc(&c, f, argc, a, b), SV_EINVAL);
	if (error)
		assert_string_equal(cfg_last_error(), error);
	mt_free(&c);
}

static void t_fixups(void **state)
{
	expect_fixup_error("search", 1, "(a", NULL,
	                   "t.cfg:1:1: error: search: bad regular expression "
	                   "\"(a\": Unmatched ( or \\(");
	expect_fixup_error("replace", 2, "a[", "x", NULL);
	expect_fixup_error("is_method", 1, "INVITE||BYE", NULL,
	                   "t.cfg:1:1: error: is_method: empty method name in "
	                   "\"INVITE||BYE\"");
	expect_fixup_error("is_method", 1, "", NULL, NULL);
	expect_fixup_error("is_method", 1, "BYE|", NULL, NULL);
	expect_fixup_error("is_method", 1, "A B", NULL,
	                   "t.cfg:1:1: error: is_method: bad method name "
	                   "\"A B\"");
	expect_fixup_error("remove_hf", 1, "", NULL,
	                   "t.cfg:1:1: error: remove_hf: empty header name");
	expect_fixup_error("is_present_hf", 1, "Via:", NULL, NULL);
	expect_fixup_error("has_body", 1, "sdp", NULL,
	                   "t.cfg:1:1: error: has_body: expected "
	                   "\"type/subtype\", found \"sdp\"");
	expect_fixup_error("has_body", 1, "a/b/c", NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(t_search, teardown),
	    cmocka_unit_test_teardown(t_search_append, teardown),
	    cmocka_unit_test_teardown(t_replace, teardown),
	    cmocka_unit_test_teardown(t_append_hf, teardown),
	    cmocka_unit_test_teardown(t_append_urihf, teardown),
	    cmocka_unit_test_teardown(t_remove_hf, teardown),
	    cmocka_unit_test_teardown(t_is_present_hf, teardown),
	    cmocka_unit_test_teardown(t_is_method, teardown),
	    cmocka_unit_test_teardown(t_has_body, teardown),
	    cmocka_unit_test(t_fixups),
	};

	log_set_level(L_ALERT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
