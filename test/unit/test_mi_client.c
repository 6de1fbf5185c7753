/*
 * test_mi_client.c - the client side texts of the MI FIFO protocol:
 * building requests (quoting only what needs it), parsing replies, and
 * printing them the way servalctl does (lines on stdout, the status line
 * on stderr unless 2xx, exit status 0/1).  The I/O half (mi_call) is
 * exercised against a live server loop in test_mi_fifo_server.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "mi/fifo_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf[1024];

static int build(const char *cmd, const char *reply, int argc,
                 const char **argv)
{
	return mi_request_build(buf, sizeof(buf), cmd, reply, argc,
	                        (char *const *)argv);
}

static void request_plain(void **state)
{
	const char *args[] = {"core:", "name::value", "sip:a@b;x=\"y\""};

	assert_int_equal(build("uptime", "r1", 0, NULL), 12);
	assert_string_equal(buf, ":uptime:r1\n\n");
	assert_true(build("get_statistics", "r", 3, args) > 0);
	assert_string_equal(buf, ":get_statistics:r\ncore:\nname::value\n"
	                         "sip:a@b;x=\"y\"\n\n");
	assert_true(build("kill", NULL, 0, NULL) > 0);
	assert_string_equal(buf, ":kill:\n\n");
}

static void request_quoting(void **state)
{
	const char *args[] = {"", " lead", "trail\t", "\"q\" x",
	                      "From: a\r\nTo: b\r\n"};

	assert_true(build("t_uac_dlg", "r", 5, args) > 0);
	assert_string_equal(buf, ":t_uac_dlg:r\n\"\"\n\" lead\"\n\"trail\t\"\n"
	                         "\"\\\"q\\\" x\"\n\"From: a\r\nTo: b\r\n\"\n"
	                         "\n");
}

static void request_refused(void **state)
{
	const char *empty_line[] = {"a\n\nb"};
	const char *crlf_empty[] = {"a\n\r\nb"};
	const char *backslash[] = {" ends\\"};
	char small[8];

	assert_int_equal(build("x", "r", 1, empty_line), SV_EINVAL);
	assert_int_equal(build("x", "r", 1, crlf_empty), SV_EINVAL);
	assert_int_equal(build("x", "r", 1, backslash), SV_EINVAL);
	assert_int_equal(build("a:b", "r", 0, NULL), SV_EINVAL);
	assert_int_equal(build("a b", "r", 0, NULL), SV_EINVAL);
	assert_int_equal(build("", "r", 0, NULL), SV_EINVAL);
	assert_int_equal(
	    mi_request_build(small, sizeof(small), "uptime", "r", 0, NULL),
	    SV_ETOOBIG);
}

static void reply_parse(void **state)
{
	struct mi_reply r;
	const char *t;

	t = "200 OK\nNow:: x\nUp time:: 3 [sec]\n\n";
	assert_int_equal(mi_reply_parse(t, strlen(t), &r), SV_OK);
	assert_int_equal(r.code, 200);
	assert_string_equal(r.reason, "OK");
	assert_string_equal(r.body, "Now:: x\nUp time:: 3 [sec]\n");
	assert_int_equal(r.body_len, strlen(r.body));
	mi_reply_free(&r);
	t = "404 Statistics Not Found\n\n";
	assert_int_equal(mi_reply_parse(t, strlen(t), &r), SV_OK);
	assert_int_equal(r.code, 404);
	assert_string_equal(r.reason, "Statistics Not Found");
	assert_string_equal(r.body, "");
	mi_reply_free(&r);
	/* a value with an empty line inside survives: read to EOF */
	t = "200 OK\nbody:: a\n\nb\n\n";
	assert_int_equal(mi_reply_parse(t, strlen(t), &r), SV_OK);
	assert_string_equal(r.body, "body:: a\n\nb\n");
	mi_reply_free(&r);
	/* truncated (no final empty line): kept as it is */
	t = "200 OK\nx";
	assert_int_equal(mi_reply_parse(t, strlen(t), &r), SV_OK);
	assert_string_equal(r.body, "x");
	mi_reply_free(&r);
	t = "500\n\n";
	assert_int_equal(mi_reply_parse(t, strlen(t), &r), SV_OK);
	assert_string_equal(r.reason, "");
	mi_reply_free(&r);
}

static void reply_malformed(void **state)
{
	struct mi_reply r;
	const char *bad[] = {"",         "OK 200\n\n", "200",      "20x OK\n\n",
	                     "99 x\n\n", "1000 x\n\n", "200OK\n\n"};
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mi_reply_parse(bad[i], strlen(bad[i]), &r),
		                 SV_EINVAL);
}

/* Prints text's reply; returns the exit status, out/err captured. */
static int print(const char *text, char *out, char *err)
{
	struct mi_reply r;
	FILE *o, *e;
	int status;

	memset(out, 0, 256);
	memset(err, 0, 256);
	o = fmemopen(out, 256, "w");
	e = fmemopen(err, 256, "w");

	assert_int_equal(mi_reply_parse(text, strlen(text), &r), SV_OK);
	status = mi_reply_print(&r, o, e);
	fclose(o);
	fclose(e);
	mi_reply_free(&r);
	return status;
}

static void reply_print(void **state)
{
	char out[256], err[256];

	assert_int_equal(print("200 OK\nServer:: serval 0.1.0\n\n", out, err),
	                 0);
	assert_string_equal(out, "Server:: serval 0.1.0\n");
	assert_string_equal(err, "");
	assert_int_equal(print("204 Nothing\n\n", out, err), 0);
	assert_string_equal(out, "");
	assert_int_equal(print("404 Statistics Not Found\n\n", out, err), 1);
	assert_string_equal(out, "");
	assert_string_equal(err, "404 Statistics Not Found\n");
	assert_int_equal(print("400 parse error in command 'x'\nunterminated "
	                       "quoted value (line 2)\n\n",
	                       out, err),
	                 1);
	assert_string_equal(out, "unterminated quoted value (line 2)\n");
	assert_string_equal(err, "400 parse error in command 'x'\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(request_plain),
	    cmocka_unit_test(request_quoting),
	    cmocka_unit_test(request_refused),
	    cmocka_unit_test(reply_parse),
	    cmocka_unit_test(reply_malformed),
	    cmocka_unit_test(reply_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
