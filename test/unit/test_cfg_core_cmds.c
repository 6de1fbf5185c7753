/*
 * test_cfg_core_cmds.c - the core function table: well formed, lookups by
 * name and arity, bare forms, and the bodies that need no SIP message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/core_cmds.h"
#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/flags.h"
#include "core/log.h"

static void test_table_well_formed(void **state)
{
	const struct core_cmd *c, *d;

	for (c = core_cmds; c->e.name; c++) {
		assert_true(c->e.param_no >= 0);
		assert_true(c->e.param_no <= CMD_MAX_PARAMS);
		assert_int_equal(c->e.route_types, ANY_ROUTE);
		for (d = c + 1; d->e.name; d++)
			if (strcmp(c->e.name, d->e.name) == 0)
				assert_int_not_equal(c->e.param_no,
				                     d->e.param_no);
		/* without a body: refused at fixup, with a reason */
		if (!c->e.function) {
			assert_non_null(c->unimpl);
			assert_ptr_equal(core_cmd_unimplemented(&c->e),
			                 c->unimpl);
			continue;
		}
		assert_null(core_cmd_unimplemented(&c->e));
		/* every argument is converted; frees only for allocations */
		if (c->e.param_no > 0)
			assert_non_null(c->e.fixup);
		if (c->flags & CORE_CMD_BARE)
			assert_int_equal(c->e.param_no, 0);
	}
}

static void test_lookup(void **state)
{
	const struct cmd_export *c;
	int mm;

	c = core_cmd_find("log", 2, &mm);
	assert_non_null(c);
	assert_int_equal(c->param_no, 2);
	assert_null(core_cmd_find("log", 3, &mm));
	assert_int_equal(mm, 1);
	assert_null(core_cmd_find("sl_send_reply", 2, &mm));
	assert_int_equal(mm, 0);
	assert_int_equal(core_cmd_arities("log"), 0x6);
	assert_int_equal(core_cmd_arities("append_branch"), 0x7);
	assert_int_equal(core_cmd_arities("nothing"), 0);
	assert_true(core_cmd_bare_ok("force_rport"));
	assert_true(core_cmd_bare_ok("append_branch"));
	assert_false(core_cmd_bare_ok("forward"));
	assert_false(core_cmd_bare_ok("nothing"));
}

static void test_script_flags(void **state)
{
	const struct cmd_export *set, *reset, *is;
	void *params[CMD_MAX_PARAMS] = {(void *)5L};
	int mm;

	set = core_cmd_find("setsflag", 1, &mm);
	reset = core_cmd_find("resetscriptflag", 1, &mm);
	is = core_cmd_find("issflagset", 1, &mm);
	script_flags = 0;
	assert_int_equal(is->function(NULL, params), -1);
	assert_int_equal(set->function(NULL, params), 1);
	assert_int_equal(script_flags, 1u << 5);
	assert_int_equal(is->function(NULL, params), 1);
	assert_int_equal(reset->function(NULL, params), 1);
	assert_int_equal(script_flags, 0);
}

static void test_log(void **state)
{
	const struct cmd_export *l1, *l2;
	str text = STR_LIT("hello from the script\n");
	void *p1[CMD_MAX_PARAMS] = {&text};
	void *p2[CMD_MAX_PARAMS] = {(void *)(long)L_DBG, &text};
	int mm;

	l1 = core_cmd_find("log", 1, &mm);
	l2 = core_cmd_find("log", 2, &mm);
	assert_int_equal(l1->function(NULL, p1), 1);
	assert_int_equal(l2->function(NULL, p2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_well_formed),
	    cmocka_unit_test(test_lookup),
	    cmocka_unit_test(test_script_flags),
	    cmocka_unit_test(test_log),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
