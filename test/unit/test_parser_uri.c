/*
 * test_parser_uri.c - parse_uri(), URI parameters, escapes and equality.
 *
 * URIs are parsed from exact-size heap copies (no NUL after them).  The
 * equality cases are the examples of RFC 3261 §19.1.4.
 */
#include "parser_testutil.h"

#include "core/parser/uri.h"

/* Parses text from an exact-size copy; returns the rc, keeps *copy. */
static int uparse(const char *text, struct sip_uri *u, char **copy)
{
	size_t n = strlen(text);

	*copy = malloc(n ? n : 1);
	assert_non_null(*copy);
	memcpy(*copy, text, n);
	return parse_uri(*copy, (int)n, u);
}

static void expect_bad(const char *text)
{
	struct sip_uri u;
	char *c;

	if (uparse(text, &u, &c) != SV_EBADURI)
		fail_msg("accepted bad URI [%s]", text);
	free(c);
}

static int eq(const char *a, const char *b)
{
	str sa = str_from_cstr(a), sb = str_from_cstr(b);

	return uri_str_eq(&sa, &sb);
}

static void t_full_sip_uri(void **state)
{
	struct sip_uri u;
	char *c;

	assert_int_equal(uparse("sip:alice:secret@atlanta.example.com:5061;"
	                        "transport=tcp;lr;maddr=10.0.0.1;ttl=15;"
	                        "user=phone;method=INVITE;r2=on;x=y"
	                        "?subject=hi&priority=urgent",
	                        &u, &c),
	                 SV_OK);
	assert_int_equal(u.type, URI_SIP);
	assert_str(&u.scheme, "sip");
	assert_str(&u.user, "alice");
	assert_str(&u.passwd, "secret");
	assert_str(&u.host, "atlanta.example.com");
	assert_int_equal(u.host_type, HOST_NAME);
	assert_str(&u.port, "5061");
	assert_int_equal(u.port_no, 5061);
	assert_str(&u.transport, "transport=tcp");
	assert_str(&u.transport_val, "tcp");
	assert_int_equal(u.proto, PROTO_TCP);
	assert_str(&u.lr, "lr");
	assert_str_empty(&u.lr_val);
	assert_str(&u.maddr_val, "10.0.0.1");
	assert_str(&u.ttl_val, "15");
	assert_str(&u.user_param_val, "phone");
	assert_str(&u.method_val, "INVITE");
	assert_str(&u.r2_val, "on");
	assert_str(&u.params, "transport=tcp;lr;maddr=10.0.0.1;ttl=15;"
	                      "user=phone;method=INVITE;r2=on;x=y");
	assert_str(&u.headers, "subject=hi&priority=urgent");
	free(c);
}

static void t_hosts(void **state)
{
	struct sip_uri u;
	char *c;

	assert_int_equal(uparse("sips:[2001:db8::1]:5061", &u, &c), SV_OK);
	assert_int_equal(u.type, URI_SIPS);
	assert_str(&u.host, "[2001:db8::1]");
	assert_int_equal(u.host_type, HOST_IPV6);
	assert_int_equal(u.port_no, 5061);
	assert_str_empty(&u.user);
	free(c);
	assert_int_equal(uparse("sip:bob@[::ffff:192.0.2.1]", &u, &c), SV_OK);
	assert_int_equal(u.host_type, HOST_IPV6);
	free(c);
	assert_int_equal(uparse("SIP:192.0.2.4", &u, &c), SV_OK);
	assert_int_equal(u.type, URI_SIP);
	assert_int_equal(u.host_type, HOST_IPV4);
	assert_int_equal(u.port_no, 0);
	assert_null(u.port.s);
	free(c);
	assert_int_equal(uparse("sip:h.example.com.", &u, &c), SV_OK);
	assert_int_equal(u.host_type, HOST_NAME);
	free(c);
}

static void t_userinfo(void **state)
{
	struct sip_uri u;
	char *c;

	/* user may hold ; ? / (RFC 4475 3.1.1.9) */
	assert_int_equal(
	    uparse("sip:user;par=u%40example.net@example.com", &u, &c), SV_OK);
	assert_str(&u.user, "user;par=u%40example.net");
	assert_null(u.params.s);
	free(c);
	assert_int_equal(
	    uparse("sip:+1-212-555-1212:1234@gw.com;user=phone", &u, &c),
	    SV_OK);
	assert_str(&u.user, "+1-212-555-1212");
	assert_str(&u.passwd, "1234");
	assert_str(&u.user_param_val, "phone");
	free(c);
	assert_int_equal(uparse("sip:user:@host", &u, &c), SV_OK);
	assert_str_empty(&u.passwd);
	assert_non_null(u.passwd.s);
	free(c);
}

static void t_tel_and_other(void **state)
{
	struct sip_uri u;
	char *c;

	assert_int_equal(
	    uparse("tel:+1-201-555-0123;phone-context=example.com", &u, &c),
	    SV_OK);
	assert_int_equal(u.type, URI_TEL);
	assert_str(&u.user, "+1-201-555-0123");
	assert_str(&u.params, "phone-context=example.com");
	assert_str_empty(&u.host);
	free(c);
	assert_int_equal(
	    uparse("nobodyKnowsThisScheme:totallyopaquecontent", &u, &c),
	    SV_OK);
	assert_int_equal(u.type, URI_OTHER);
	assert_str(&u.opaque, "totallyopaquecontent");
	free(c);
	assert_int_equal(uparse("soap.beep://192.0.2.103:3002", &u, &c), SV_OK);
	assert_str(&u.scheme, "soap.beep");
	free(c);
	assert_int_equal(uparse("urn:uuid:f81d4fae-7dec", &u, &c), SV_OK);
	assert_int_equal(u.type, URI_OTHER);
	free(c);
}

static void t_bad_uris(void **state)
{
	static const char *const bad[] = {
	    "",
	    "sip",
	    "sip:",
	    ":x",
	    "1sip:host",
	    "sip:user@",
	    "sip:@host",
	    "sip:host:",
	    "sip:host:65536",
	    "sip:host:123456",
	    "sip:host:12a",
	    "sip:[2001:db8::1",
	    "sip:[2001:db8:::1]",
	    "sip:[1:2:3:4:5:6:7:8:9]",
	    "sip:host name",
	    "sip:host;",
	    "sip:host;;lr",
	    "sip:host;=x",
	    "sip:host;x=",
	    "sip:host?",
	    "sip:host?x",
	    "sip:host?=y",
	    "sip:us%2@host",
	    "sip:us%zzr@host",
	    "sip:user@host%41",
	    "sip:ho st",
	    "sip:host>",
	    "sip:1.2.3.256",
	    "sip:host;ttl=256",
	    "sip:host;maddr=bad host",
	    "sip:a@b@c",
	    "tel:",
	    "tel:123?x=y",
	    "tel:12 3",
	    "unknown:",
	    "unknown:has space",
	    "sip:host;transport=tcp x",
	    "sip:<host>",
	};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad(bad[i]);
	assert_int_equal(parse_uri(NULL, 0, &(struct sip_uri){0}), SV_EBADURI);
}

static void t_escaped_params(void **state)
{
	struct sip_uri u;
	char *c, buf[32];
	str v;
	int n;

	/* RFC 4475 3.1.1.3: ;%6C%72 is lr, value%41 is not valueA */
	assert_int_equal(uparse("sip:cal%6Cer@host5.example.net;%6C%72;"
	                        "n%61me=v%61lue%25%34%31",
	                        &u, &c),
	                 SV_OK);
	assert_str(&u.lr, "%6C%72");
	assert_int_equal(uri_find_param(&u, "name", &v), SV_OK);
	assert_str(&v, "v%61lue%25%34%31");
	n = uri_unescape(&v, buf, sizeof(buf));
	assert_int_equal(n, 8);
	assert_memory_equal(buf, "value%41", 8);
	assert_int_equal(uri_find_param(&u, "nope", &v), SV_ENOTFOUND);
	free(c);
}

static void t_param_iter(void **state)
{
	struct sip_uri u;
	struct uri_param_iter it;
	char *c;
	str n, v;
	int count = 0;

	assert_int_equal(uparse("sip:h;a=1;b;c=three", &u, &c), SV_OK);
	uri_param_iter_init(&it, &u.params);
	assert_int_equal(uri_param_iter_next(&it, &n, &v), 1);
	assert_str(&n, "a");
	assert_str(&v, "1");
	assert_int_equal(uri_param_iter_next(&it, &n, &v), 1);
	assert_str(&n, "b");
	assert_null(v.s);
	assert_int_equal(uri_param_iter_next(&it, &n, &v), 1);
	assert_str(&v, "three");
	assert_int_equal(uri_param_iter_next(&it, &n, &v), 0);
	free(c);
	assert_int_equal(uparse("sip:h", &u, &c), SV_OK);
	uri_param_iter_init(&it, &u.params);
	while (uri_param_iter_next(&it, &n, &v))
		count++;
	assert_int_equal(count, 0);
	free(c);
}

static void t_unescape(void **state)
{
	char buf[8];
	str in = STR_LIT("%00a%41%7e");
	str bad1 = STR_LIT("ab%4"), bad2 = STR_LIT("%g0"), empty = STR_NULL;

	assert_int_equal(uri_unescape(&in, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "\0aA~", 4);
	assert_int_equal(uri_unescape(&in, buf, 3), SV_ETOOBIG);
	assert_int_equal(uri_unescape(&bad1, buf, sizeof(buf)), SV_EBADURI);
	assert_int_equal(uri_unescape(&bad2, buf, sizeof(buf)), SV_EBADURI);
	assert_int_equal(uri_unescape(&empty, buf, sizeof(buf)), 0);
}

static void t_user_eq(void **state)
{
	str a = STR_LIT("%61lice"), b = STR_LIT("alice"), c = STR_LIT("Alice");
	str d = STR_LIT("a%3Bb"), e = STR_LIT("a;b"), f = STR_LIT("a%3bb");
	str n1 = STR_LIT("null-%00-null"), n2 = STR_LIT("null-");

	assert_int_equal(uri_user_eq(&a, &b), 1);
	assert_int_equal(uri_user_eq(&b, &c), 0);   /* case-sensitive */
	assert_int_equal(uri_user_eq(&d, &e), 0);   /* reserved stays escaped */
	assert_int_equal(uri_user_eq(&d, &f), 1);   /* hex digits any case */
	assert_int_equal(uri_user_eq(&n1, &n2), 0); /* NUL does not end it */
}

static void t_rfc3261_equal(void **state)
{
	assert_int_equal(eq("sip:%61lice@atlanta.com;transport=TCP",
	                    "sip:alice@AtLanTa.CoM;Transport=tcp"),
	                 1);
	assert_int_equal(
	    eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"), 1);
	assert_int_equal(
	    eq("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"),
	    1);
	assert_int_equal(eq("sip:carol@chicago.com;newparam=5",
	                    "sip:carol@chicago.com;security=on"),
	                 1);
	assert_int_equal(eq("sip:biloxi.com;transport=tcp;method=REGISTER"
	                    "?to=sip:bob%40biloxi.com",
	                    "sip:biloxi.com;method=REGISTER;transport=tcp"
	                    "?to=sip:bob%40biloxi.com"),
	                 1);
	assert_int_equal(
	    eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
	       "sip:alice@atlanta.com?priority=urgent&subject=project%20x"),
	    1);
}

static void t_rfc3261_not_equal(void **state)
{
	assert_int_equal(eq("SIP:ALICE@AtLanTa.CoM;Transport=udp",
	                    "sip:alice@AtLanTa.CoM;Transport=UDP"),
	                 0);
	assert_int_equal(eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),
	                 0);
	assert_int_equal(
	    eq("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"), 0);
	assert_int_equal(
	    eq("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"),
	    0);
	assert_int_equal(eq("sip:carol@chicago.com",
	                    "sip:carol@chicago.com?Subject=next%20meeting"),
	                 0);
	assert_int_equal(
	    eq("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"), 0);
	assert_int_equal(eq("sip:carol@chicago.com;security=on",
	                    "sip:carol@chicago.com;security=off"),
	                 0);
	assert_int_equal(eq("sip:a@h", "sips:a@h"), 0);
	assert_int_equal(eq("sip:a@h", "sip:a:pw@h"), 0);
	assert_int_equal(eq("sip:a@h", "sip:@h"), SV_EBADURI);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_full_sip_uri),
	    cmocka_unit_test(t_hosts),
	    cmocka_unit_test(t_userinfo),
	    cmocka_unit_test(t_tel_and_other),
	    cmocka_unit_test(t_bad_uris),
	    cmocka_unit_test(t_escaped_params),
	    cmocka_unit_test(t_param_iter),
	    cmocka_unit_test(t_unescape),
	    cmocka_unit_test(t_user_eq),
	    cmocka_unit_test(t_rfc3261_equal),
	    cmocka_unit_test(t_rfc3261_not_equal),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
