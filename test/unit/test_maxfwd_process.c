/*
 * test_maxfwd_process.c - mf_process_maxfwd_header() on parsed requests:
 * the header added when absent, decremented when present (as an edit of
 * the message, marked so the core does not decrement again), the value 0
 * refused, max_limit lowering a large value, a second call not editing
 * twice, and the fixup and mod_init refusing values out of range.
 */
#include "module_testutil.h"

#include "core/parser/msg.h"

#define RL  "OPTIONS sip:b@example.com SIP/2.0\r\n"
#define VIA "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
#define HDRS                                                                   \
	"Call-ID: c1\r\n"                                                      \
	"CSeq: 1 OPTIONS\r\n"                                                  \
	"Content-Length: 0\r\n"
#define END "\r\n"

/* modparam("maxfwd", "max_limit", value), then mod_init's verdict. */
static int set_limit(int value)
{
	const struct param_export *p;

	for (p = exports.params; p->name; p++)
		if (strcmp(p->name, "max_limit") == 0) {
			*(int *)p->value = value;
			return exports.mod_init();
		}
	fail_msg("no max_limit");
	return SV_ERR;
}

static int teardown(void **state)
{
	set_limit(256);
	return 0;
}

static int process(struct tmsg *t, const char *text, const char *max)
{
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
	return mt_call_once(t->msg, "mf_process_maxfwd_header", 1, max, NULL);
}

static void t_absent_is_added(void **state)
{
	struct tmsg t;

	assert_int_equal(process(&t, RL VIA HDRS END, "10"), 2);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA HDRS "Max-Forwards: 10\r\n" END);
	assert_true(t.msg->core_flags & MSG_CF_MAXFWD_DONE);
	tmsg_free(&t);
}

static void t_present_is_decremented(void **state)
{
	struct tmsg t;

	assert_int_equal(
	    process(&t, RL VIA "Max-Forwards:  070 \r\n" HDRS END, "10"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA "Max-Forwards:  69 \r\n" HDRS END);
	assert_true(t.msg->core_flags & MSG_CF_MAXFWD_DONE);
	tmsg_free(&t);
}

static void t_one_becomes_zero(void **state)
{
	struct tmsg t;

	assert_int_equal(
	    process(&t, RL VIA "max-forwards: 1\r\n" HDRS END, "70"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA "max-forwards: 0\r\n" HDRS END);
	tmsg_free(&t);
}

static void t_zero_is_false(void **state)
{
	struct tmsg t;

	assert_int_equal(
	    process(&t, RL VIA "Max-Forwards: 0\r\n" HDRS END, "10"), -1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA "Max-Forwards: 0\r\n" HDRS END);
	assert_false(t.msg->core_flags & MSG_CF_MAXFWD_DONE);
	tmsg_free(&t);
}

/* Only the first header counts (the core does the same). */
static void t_first_header_counts(void **state)
{
	struct tmsg t;

	assert_int_equal(process(&t,
	                         RL VIA "Max-Forwards: 5\r\n" HDRS
	                                "Max-Forwards: 0\r\n" END,
	                         "10"),
	                 1);
	assert_string_equal(mt_edited(t.msg), RL VIA "Max-Forwards: 4\r\n" HDRS
	                                             "Max-Forwards: 0\r\n" END);
	tmsg_free(&t);
}

static void t_second_call_edits_nothing(void **state)
{
	struct tmsg t;
	struct mt_call c;

	tmsg_parse(&t, RL VIA "Max-Forwards: 9\r\n" HDRS END);
	mt_fixup(&c, "mf_process_maxfwd_header", 1, "10");
	assert_int_equal(mt_run(&c, t.msg), 1);
	assert_int_equal(mt_run(&c, t.msg), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA "Max-Forwards: 8\r\n" HDRS END);
	tmsg_free(&t);

	tmsg_parse(&t, RL VIA HDRS END);
	assert_int_equal(mt_run(&c, t.msg), 2);
	assert_int_equal(mt_run(&c, t.msg), 2);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA HDRS "Max-Forwards: 10\r\n" END);
	tmsg_free(&t);
	mt_free(&c);
}

static void t_max_limit(void **state)
{
	struct tmsg t;

	assert_int_equal(set_limit(16), SV_OK);
	assert_int_equal(
	    process(&t, RL VIA "Max-Forwards: 70\r\n" HDRS END, "10"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA "Max-Forwards: 16\r\n" HDRS END);
	tmsg_free(&t);

	/* at or below the limit: a plain decrement */
	assert_int_equal(
	    process(&t, RL VIA "Max-Forwards: 16\r\n" HDRS END, "10"), 1);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA "Max-Forwards: 15\r\n" HDRS END);
	tmsg_free(&t);

	/* the added header keeps the function's value (OpenSER) */
	assert_int_equal(process(&t, RL VIA HDRS END, "70"), 2);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA HDRS "Max-Forwards: 70\r\n" END);
	tmsg_free(&t);
}

static void t_bad_values(void **state)
{
	struct tmsg t;
	struct mt_call c;

	assert_int_equal(set_limit(0), SV_EINVAL);
	assert_int_equal(set_limit(257), SV_EINVAL);
	assert_int_equal(set_limit(1), SV_OK);
	assert_int_equal(set_limit(256), SV_OK);

	assert_int_equal(mt_fixup_rc(&c, "mf_process_maxfwd_header", 1, "0"),
	                 SV_EINVAL);
	assert_string_equal(cfg_last_error(),
	                    "t.cfg:1:1: error: mf_process_maxfwd_header: "
	                    "Max-Forwards value 0 is out of range 1..255");
	assert_int_equal(mt_fixup_rc(&c, "mf_process_maxfwd_header", 1, "256"),
	                 SV_EINVAL);
	assert_int_equal(mt_fixup_rc(&c, "mf_process_maxfwd_header", 1, "ten"),
	                 SV_EINVAL);

	/* a value the receive checks would have refused: an error, no edit */
	assert_int_equal(
	    process(&t, RL VIA "Max-Forwards: 300\r\n" HDRS END, "10"), -2);
	assert_string_equal(mt_edited(t.msg),
	                    RL VIA "Max-Forwards: 300\r\n" HDRS END);
	tmsg_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_absent_is_added),
	    cmocka_unit_test(t_present_is_decremented),
	    cmocka_unit_test(t_one_becomes_zero),
	    cmocka_unit_test(t_zero_is_false),
	    cmocka_unit_test(t_first_header_counts),
	    cmocka_unit_test(t_second_call_edits_nothing),
	    cmocka_unit_test_teardown(t_max_limit, teardown),
	    cmocka_unit_test_teardown(t_bad_values, teardown),
	};

	log_set_level(L_ALERT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
