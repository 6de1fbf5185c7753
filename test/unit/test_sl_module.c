/*
 * test_sl_module.c - the sl module as the loader sees it: its exports, its
 * parameters set through the params table as modparam does (enable_stats
 * through its setter), the statistics registered or not, mod_init's
 * checks of default_code and default_reason, the ACK filter registered
 * before the script, start-up without tm, child_init and destroy.
 */
#include "parser_testutil.h"

#include "core/module.h"
#include "core/proc.h"
#include "core/script_cb.h"
#include "core/stats.h"
#include "modules/sl/sl_funcs.h"
#include "modules/sl/sl_tag.h"
#include "shm/lock.h"
#include "shm/shm.h"

#include <unistd.h>

extern const struct module_exports exports;

static const struct param_export *param(const char *name)
{
	const struct param_export *p;

	for (p = exports.params; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	fail_msg("no parameter %s", name);
	return NULL;
}

/* modparam("sl", name, int) */
static int set_int(const char *name, int v)
{
	const struct param_export *p = param(name);

	assert_int_equal(p->type & ~PARAM_USE_FUNC, PARAM_INT);
	if (p->type & PARAM_USE_FUNC)
		return ((param_setter)p->value)(PARAM_INT, &v);
	*(int *)p->value = v;
	return SV_OK;
}

/* modparam("sl", name, "string") (the loader stores a copy; a literal
 * lives long enough here) */
static void set_str(const char *name, const char *v)
{
	const struct param_export *p = param(name);

	assert_int_equal(p->type, PARAM_STR);
	*(const char **)p->value = v;
}

static int setup(void **state)
{
	proc_pid = getpid();
	if (shm_init(4 << 20) != SV_OK)
		return -1;
	assert_int_equal(set_int("enable_stats", 1), SV_OK);
	set_int("default_code", 500);
	set_str("default_reason", "Internal Server Error");
	set_int("bind_tm", 1);
	return 0;
}

static int teardown(void **state)
{
	exports.destroy();
	script_cb_reset();
	stats_destroy();
	shm_destroy();
	return 0;
}

/* What modules_init() does for sl: the table, then mod_init. */
static int init(void)
{
	int rc = stats_register_module(exports.name, exports.stats);

	return rc == SV_OK ? exports.mod_init() : rc;
}

static void tables(void **state)
{
	static const char *const cmds[] = {"sl_send_reply", "send_reply",
	                                   "sl_reply_error"};
	static const int argc[] = {2, 2, 0};
	static const char *const params[] = {"enable_stats", "default_code",
	                                     "default_reason", "bind_tm"};
	int i;

	assert_string_equal(exports.name, "sl");
	assert_int_equal(exports.abi_version, MODULE_ABI_VERSION);
	for (i = 0; i < 3; i++) {
		assert_string_equal(exports.cmds[i].name, cmds[i]);
		assert_int_equal(exports.cmds[i].param_no, argc[i]);
	}
	assert_null(exports.cmds[3].name);
	for (i = 0; i < 4; i++)
		assert_string_equal(exports.params[i].name, params[i]);
	assert_null(exports.params[4].name);
	assert_string_equal(exports.apis[0].name, "load_sl");
	assert_null(exports.mi_cmds);
	assert_null(exports.pvs);
}

static void defaults(void **state)
{
	assert_int_equal(init(), SV_OK);
	assert_int_equal(sl_settings.default_code, 500);
	assert_true(
	    str_eq_lit(&sl_settings.default_reason, "Internal Server Error"));
	assert_non_null(stat_find("sl:200_replies", -1));
	assert_non_null(stat_find("sl:received_ACKs", -1));
	assert_int_equal(stats_group_find("sl", -1)->count, 24);
}

static void stats_disabled(void **state)
{
	assert_int_equal(set_int("enable_stats", 0), SV_OK);
	assert_int_equal(init(), SV_OK);
	assert_null(stats_group_find("sl", -1));
	assert_null(stat_find("sl:sent_replies", -1));
	assert_int_equal(set_int("enable_stats", 1), SV_OK);
}

static void custom_defaults(void **state)
{
	set_int("default_code", 505);
	set_str("default_reason", "Server Error");
	assert_int_equal(init(), SV_OK);
	assert_int_equal(sl_settings.default_code, 505);
	assert_true(str_eq_lit(&sl_settings.default_reason, "Server Error"));
}

static void bad_defaults(void **state)
{
	set_int("default_code", 99);
	assert_int_equal(init(), SV_EINVAL);
	stats_destroy();
	set_int("default_code", 700);
	assert_int_equal(init(), SV_EINVAL);
	stats_destroy();
	set_int("default_code", 699);
	set_str("default_reason", "Bad\r\nX-Injected: 1");
	assert_int_equal(init(), SV_EINVAL);
}

/* A sender that sends nothing (the reply's content is test_sl_reply's). */
static int swallow(struct sip_msg *req, const char *buf, int len)
{
	return SV_OK;
}

/* The filter runs before the script: an ACK of sl's reply stops there. */
static void filter_registered(void **state)
{
	struct tmsg inv, ack;
	char tag[SL_TAG_LEN + 1] = {0}, text[1024];
	str reason = STR_LIT("Not Found");
	const char *head = "sip:b@example.com SIP/2.0\r\n"
	                   "Via: SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1\r\n"
	                   "From: <sip:a@example.com>;tag=f\r\n"
	                   "Call-ID: c1\r\n";

	/* no tm module is loaded: sl starts, stateless only */
	assert_int_equal(init(), SV_OK);
	assert_int_equal(exports.child_init(NULL), SV_OK);
	assert_true(sl_tag_ready());
	snprintf(text, sizeof(text),
	         "INVITE %sTo: <sip:b@example.com>\r\nCSeq: 1 INVITE\r\n\r\n",
	         head);
	tmsg_parse(&inv, text);
	sl_tag_make(inv.msg, tag);
	snprintf(text, sizeof(text),
	         "ACK %sTo: <sip:b@example.com>;tag=%s\r\nCSeq: 1 ACK\r\n\r\n",
	         head, tag);
	tmsg_parse(&ack, text);
	/* no reply yet: the gate is closed, the ACK goes to the script */
	assert_int_equal(exec_pre_script_cb(ack.msg, SCB_REQUEST), 1);
	/* after the 404, its ACK is absorbed before the script */
	sl_set_sender(swallow);
	assert_int_equal(sl_reply(inv.msg, 404, &reason), SV_OK);
	sl_set_sender(NULL);
	assert_int_equal(exec_pre_script_cb(ack.msg, SCB_REQUEST), 0);
	assert_int_equal(stat_get(stat_find("sl:received_ACKs", -1)), 1);
	assert_int_equal(stat_get(stat_find("sl:404_replies", -1)), 1);
	/* the INVITE itself goes on */
	assert_int_equal(exec_pre_script_cb(inv.msg, SCB_REQUEST), 1);
	tmsg_free(&ack);
	tmsg_free(&inv);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(tables),          T(defaults),     T(stats_disabled),
	    T(custom_defaults), T(bad_defaults), T(filter_registered),
	};

	log_set_level(L_ALERT - 1); /* the refusals are logged on purpose */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
