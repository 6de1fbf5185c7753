/*
 * test_lump.c - message edits: ordering at one offset, deletions and their
 * union, insertions inside deletions, header helpers, branch edits.
 */
#include "parser_testutil.h"

#include "core/lump.h"

static const char *REQ =
	"OPTIONS sip:a@b SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
	"From: <sip:x@y>;tag=1\r\n"
	"To: <sip:a@b>\r\n"
	"Call-ID: c1\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static char out[4096];

static const char *print(struct sip_msg *m, int with_branch)
{
	int n = lumps_apply(m, 0, m->len, with_branch, out, sizeof(out) - 1);

	assert_true(n >= 0);
	out[n] = '\0';
	return out;
}

static int off(struct sip_msg *m, const char *needle)
{
	char *p = memmem(m->buf, (size_t)m->len, needle, strlen(needle));

	assert_non_null(p);
	return (int)(p - m->buf);
}

static void test_no_edits_copies(void **state)
{
	struct tmsg t;

	tmsg_parse(&t, REQ);
	assert_int_equal(t.rc, SV_OK);
	assert_string_equal(print(t.msg, 1), REQ);
	tmsg_free(&t);
}

static void test_insert_order_and_delete(void **state)
{
	struct tmsg t;
	str a = STR_LIT("A"), b = STR_LIT("B");
	int o;

	tmsg_parse(&t, REQ);
	o = off(t.msg, "c1");
	assert_int_equal(lump_delete(t.msg, o, 2, 0), SV_OK);
	assert_int_equal(lump_insert(t.msg, o, &a, 0), SV_OK);
	assert_int_equal(lump_insert(t.msg, o, &b, 0), SV_OK);
	assert_non_null(strstr(print(t.msg, 1), "Call-ID: AB\r\n"));
	tmsg_free(&t);
}

static void test_overlapping_deletes_union(void **state)
{
	struct tmsg t;
	str x = STR_LIT("X");
	int o;

	tmsg_parse(&t, REQ);
	o = off(t.msg, "Call-ID");
	assert_int_equal(lump_delete(t.msg, o, 5, 0), SV_OK);
	assert_int_equal(lump_delete(t.msg, o + 3, 6, 0), SV_OK);
	assert_int_equal(lump_insert(t.msg, o + 4, &x, 0), SV_OK);
	assert_non_null(strstr(print(t.msg, 1), "\r\nXc1\r\nCSeq"));
	assert_true(lump_is_deleted(t.msg, o + 1, 4));
	assert_false(lump_is_deleted(t.msg, o + 1, 20));
	tmsg_free(&t);
}

static void test_header_helpers(void **state)
{
	struct tmsg t;
	str h1 = STR_LIT("X-First: 1\r\n"), h2 = STR_LIT("X-Last: 2\r\n");

	tmsg_parse(&t, REQ);
	assert_int_equal(lump_delete_header(t.msg, t.msg->callid, 0), SV_OK);
	assert_int_equal(lump_prepend_header(t.msg, &h1, 0), SV_OK);
	assert_int_equal(lump_append_header(t.msg, &h2, 0), SV_OK);
	print(t.msg, 1);
	assert_null(strstr(out, "Call-ID"));
	assert_non_null(strstr(out, "SIP/2.0\r\nX-First: 1\r\nVia:"));
	assert_non_null(strstr(out, "Content-Length: 0\r\nX-Last: 2\r\n\r\n"));
	tmsg_free(&t);
}

static void test_branch_edits(void **state)
{
	struct tmsg t;
	str b = STR_LIT("X-Branch: 1\r\n"), k = STR_LIT("X-Keep: 1\r\n");

	tmsg_parse(&t, REQ);
	assert_int_equal(lump_append_header(t.msg, &k, 0), SV_OK);
	assert_int_equal(lump_append_header(t.msg, &b, LUMP_BRANCH), SV_OK);
	assert_non_null(strstr(print(t.msg, 1), "X-Branch"));
	assert_null(strstr(print(t.msg, 0), "X-Branch"));
	lumps_drop_branch(t.msg);
	print(t.msg, 1);
	assert_null(strstr(out, "X-Branch"));
	assert_non_null(strstr(out, "X-Keep"));
	tmsg_free(&t);
}

static void test_drop_since_mark(void **state)
{
	struct tmsg t;
	str k = STR_LIT("X-Keep: 1\r\n"), b = STR_LIT("X-Scoped: 1\r\n");
	unsigned mark;

	tmsg_parse(&t, REQ);
	assert_int_equal(lump_append_header(t.msg, &k, 0), SV_OK);
	mark = lump_mark();
	assert_int_equal(lump_append_header(t.msg, &b, 0), SV_OK);
	assert_int_equal(lump_delete_header(t.msg, t.msg->callid, 0), SV_OK);
	print(t.msg, 1);
	assert_non_null(strstr(out, "X-Scoped"));
	assert_null(strstr(out, "Call-ID"));
	lumps_drop_since(t.msg, mark);
	print(t.msg, 1);
	assert_null(strstr(out, "X-Scoped"));
	assert_non_null(strstr(out, "Call-ID: c1"));
	assert_non_null(strstr(out, "X-Keep"));
	lumps_drop_since(t.msg, lump_mark()); /* nothing newer: no change */
	assert_non_null(strstr(print(t.msg, 1), "X-Keep"));
	tmsg_free(&t);
}

static void test_bounds(void **state)
{
	struct tmsg t;
	str x = STR_LIT("X");
	char small[10];

	tmsg_parse(&t, REQ);
	assert_int_equal(lump_insert(t.msg, -1, &x, 0), SV_EINVAL);
	assert_int_equal(lump_insert(t.msg, t.msg->len + 1, &x, 0), SV_EINVAL);
	assert_int_equal(lump_delete(t.msg, t.msg->len - 1, 2, 0), SV_EINVAL);
	assert_int_equal(lump_insert(t.msg, t.msg->len, &x, 0), SV_OK);
	assert_int_equal(lumps_apply(t.msg, 0, t.msg->len, 1, small,
	                             sizeof(small)), SV_ETOOBIG);
	print(t.msg, 1);
	assert_int_equal(out[t.msg->len], 'X');
	tmsg_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_edits_copies),
		cmocka_unit_test(test_insert_order_and_delete),
		cmocka_unit_test(test_overlapping_deletes_union),
		cmocka_unit_test(test_header_helpers),
		cmocka_unit_test(test_branch_edits),
		cmocka_unit_test(test_drop_since_mark),
		cmocka_unit_test(test_bounds),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
