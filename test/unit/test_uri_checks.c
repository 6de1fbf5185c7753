/*
 * test_uri_checks.c - the uri module on parsed requests: has_totag() with
 * and without a To tag, uri_param() with one and two arguments (names
 * ignoring case, escapes decoded, values ignoring case, "no value"), and
 * add_uri_param() placing the parameter before any "?headers" of the
 * current Request-URI (the rewritten one when the script changed it).
 */
#include "module_testutil.h"

#include "core/parser/msg_uri.h"

static void parse_req(struct tmsg *t, const char *ruri, const char *to)
{
	char text[1024];

	snprintf(text, sizeof(text),
	         "INVITE %s SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
	         "To: %s\r\n"
	         "From: <sip:a@example.com>;tag=f1\r\n"
	         "Call-ID: c1\r\nCSeq: 1 INVITE\r\n"
	         "Content-Length: 0\r\n\r\n",
	         ruri, to);
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
}

static void t_has_totag(void **state)
{
	struct tmsg t;

	parse_req(&t, "sip:b@example.com", "<sip:b@example.com>;tag=x9");
	assert_int_equal(mt_call_once(t.msg, "has_totag", 0, NULL, NULL), 1);
	tmsg_free(&t);
	parse_req(&t, "sip:b@example.com", "sip:b@example.com;TAG=x9");
	assert_int_equal(mt_call_once(t.msg, "has_totag", 0, NULL, NULL), 1);
	tmsg_free(&t);
	parse_req(&t, "sip:b@example.com", "<sip:b@example.com;tag=uri>");
	assert_int_equal(mt_call_once(t.msg, "has_totag", 0, NULL, NULL), -1);
	tmsg_free(&t);
	parse_req(&t, "sip:b@example.com", "\"B\" <sip:b@example.com>;x=1");
	assert_int_equal(mt_call_once(t.msg, "has_totag", 0, NULL, NULL), -1);
	tmsg_free(&t);
}

static int uri_param(struct sip_msg *msg, const char *name, const char *val)
{
	return mt_call_once(msg, "uri_param", val ? 2 : 1, name, val);
}

static void t_uri_param(void **state)
{
	struct tmsg t;

	parse_req(&t,
	          "sip:b@example.com;transport=TCP;lr;%6d%61ddr=10.0.0.9;"
	          "flag",
	          "<sip:b@example.com>");
	assert_int_equal(uri_param(t.msg, "transport", "tcp"), 1);
	assert_int_equal(uri_param(t.msg, "Transport", "TCP"), 1);
	assert_int_equal(uri_param(t.msg, "transport", "udp"), -1);
	assert_int_equal(uri_param(t.msg, "transport", NULL), -1);
	assert_int_equal(uri_param(t.msg, "lr", NULL), 1);
	assert_int_equal(uri_param(t.msg, "lr", "on"), -1);
	assert_int_equal(uri_param(t.msg, "maddr", "10.0.0.9"), 1);
	assert_int_equal(uri_param(t.msg, "FLAG", NULL), 1);
	assert_int_equal(uri_param(t.msg, "flag", ""), 1);
	assert_int_equal(uri_param(t.msg, "flag", "x"), -1);
	assert_int_equal(uri_param(t.msg, "ttl", NULL), -1);
	tmsg_free(&t);

	/* the current R-URI, not the received one */
	parse_req(&t, "sip:b@example.com", "<sip:b@example.com>");
	assert_int_equal(uri_param(t.msg, "x", NULL), -1);
	str nu = STR_LIT("sip:c@example.net;x");
	assert_int_equal(set_new_uri(t.msg, &nu), SV_OK);
	assert_int_equal(uri_param(t.msg, "x", NULL), 1);
	tmsg_free(&t);
}

static void t_add_uri_param(void **state)
{
	struct tmsg t;

	parse_req(&t, "sip:b@example.com;lr", "<sip:b@example.com>");
	assert_int_equal(
	    mt_call_once(t.msg, "add_uri_param", 1, "user=phone", NULL), 1);
	assert_str(msg_ruri(t.msg), "sip:b@example.com;lr;user=phone");
	assert_int_equal(uri_param(t.msg, "user", "phone"), 1);
	/* twice: the second goes after the first */
	assert_int_equal(mt_call_once(t.msg, "add_uri_param", 1, "x", NULL), 1);
	assert_str(msg_ruri(t.msg), "sip:b@example.com;lr;user=phone;x");
	tmsg_free(&t);

	parse_req(&t, "sip:b@example.com:5070?Subject=hi&X=1",
	          "<sip:b@example.com>");
	assert_int_equal(mt_call_once(t.msg, "add_uri_param", 1, "n=1", NULL),
	                 1);
	assert_str(msg_ruri(t.msg),
	           "sip:b@example.com:5070;n=1?Subject=hi&X=1");
	/* the message itself is not edited: the printer writes new_uri */
	assert_int_equal(strlen(mt_edited(t.msg)), t.len);
	assert_memory_equal(mt_edited(t.msg), t.buf, t.len);
	tmsg_free(&t);
}

static void t_fixups(void **state)
{
	struct mt_call c;

	assert_int_equal(mt_fixup_rc(&c, "uri_param", 1, ""), SV_EINVAL);
	assert_string_equal(cfg_last_error(), "t.cfg:1:1: error: uri_param: "
	                                      "the parameter must not be "
	                                      "empty");
	assert_int_equal(mt_fixup_rc(&c, "add_uri_param", 1, ""), SV_EINVAL);
	mt_fixup(&c, "uri_param", 2, "a", "");
	mt_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_has_totag),
	    cmocka_unit_test(t_uri_param),
	    cmocka_unit_test(t_add_uri_param),
	    cmocka_unit_test(t_fixups),
	};

	log_set_level(L_ALERT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
