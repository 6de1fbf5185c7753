/*
 * test_module_loader.c - core/module.c: where modules are found, which are
 * refused (ABI, build signature, no exports, malformed, duplicate name or
 * pseudo-variable), lookups of functions and APIs, modparam with its
 * conversions and setters, and the order in which hooks run.
 *
 * The modules are the small ones under test/modules/, built for this
 * flavour into SERVAL_TEST_MODULES.  Every test unloads what it loaded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pv.h"
#include "test/modules/tmod_a/tmod_a.h"

#define MDIR SERVAL_TEST_MODULES

static char err[512];

static int load(const char *name)
{
	err[0] = '\0';
	return module_load(name, MDIR, err, sizeof(err));
}

static struct tmod_a_state *a_state(void)
{
	struct tmod_a_state *(*get)(void) = module_find_api("tmod_a", "state");

	assert_non_null(get);
	return get();
}

static const char *a_events(void)
{
	const char *(*get)(void) = module_find_api("tmod_a", "events");

	assert_non_null(get);
	return get();
}

static int teardown(void **state)
{
	modules_unload();
	return 0;
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[4096];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

static void test_mpath_rules(void **state)
{
	char dir[] = "/tmp/serval-mod.XXXXXX", path[600];
	const char *tail = "tmod_a/tmod_a.so";
	struct module *m;

	/* mpath/<name>/<name>.so, with or without ".so" */
	assert_int_equal(load("tmod_a.so"), SV_OK);
	m = module_find("tmod_a");
	assert_non_null(m);
	assert_string_equal(m->path + strlen(m->path) - strlen(tail), tail);
	assert_int_equal(load("tmod_b"), SV_OK);
	assert_ptr_equal(module_list->next, module_find("tmod_b"));
	modules_unload();
	assert_null(module_list);

	/* mpath/<name>.so first; mpath without a trailing slash */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/tmod_b.so", dir);
	copy_file(MDIR "tmod_b/tmod_b.so", path);
	err[0] = '\0';
	assert_int_equal(module_load("tmod_b.so", dir, err, sizeof(err)),
	                 SV_OK);
	assert_string_equal(module_find("tmod_b")->path, path);
	modules_unload();

	/* an absolute path ignores mpath */
	assert_int_equal(module_load(path, "/nonexistent/", err, sizeof(err)),
	                 SV_OK);
	modules_unload();
	unlink(path);
	rmdir(dir);
}

static void test_not_found(void **state)
{
	assert_int_equal(load("nope.so"), SV_ENOTFOUND);
	assert_string_equal(err, "module 'nope.so' not found in '" MDIR
	                         "' (tried nope.so and nope/nope.so)");
	assert_int_equal(
	    module_load("/nonexistent/x.so", MDIR, err, sizeof(err)),
	    SV_ENOTFOUND);
	assert_string_equal(err, "module file '/nonexistent/x.so' not found");
	assert_null(module_list);
}

static void test_refused(void **state)
{
	char expect[1024], dir[] = "/tmp/serval-mod.XXXXXX", path[600];
	FILE *f;

	assert_int_equal(load("tmod_abi"), SV_EINVAL);
	snprintf(expect, sizeof(expect),
	         "module '%stmod_abi/tmod_abi.so' has "
	         "ABI version %u, this serval needs %u",
	         MDIR, MODULE_ABI_VERSION + 1, MODULE_ABI_VERSION);
	assert_string_equal(err, expect);

	assert_int_equal(load("tmod_sig"), SV_EINVAL);
	snprintf(expect, sizeof(expect),
	         "module '%stmod_sig/tmod_sig.so' was "
	         "built for \"serval 0.0.1 abi1 OTHER_FLAGS\", this serval is "
	         "\"%s\"",
	         MDIR, SERVAL_BUILD_SIGNATURE);
	assert_string_equal(err, expect);

	assert_int_equal(load("tmod_nosym"), SV_EINVAL);
	snprintf(expect, sizeof(expect),
	         "'%stmod_nosym/tmod_nosym.so' is not "
	         "a serval module (no 'exports' symbol)",
	         MDIR);
	assert_string_equal(err, expect);

	assert_int_equal(load("tmod_bad"), SV_EINVAL);
	assert_string_equal(err, "module 'tmod_bad' exports a malformed "
	                         "function 'tbad'");

	assert_int_equal(load("tmod_pvdup"), SV_EEXIST);
	assert_string_equal(err, "pseudo-variable $ru is already exported by "
	                         "core");

	/* not a shared object at all */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/junk.so", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not an ELF file\n", f);
	fclose(f);
	assert_int_equal(module_load("junk", dir, err, sizeof(err)), SV_EINVAL);
	snprintf(expect, sizeof(expect), "cannot load module '%s': ", path);
	assert_memory_equal(err, expect, strlen(expect));
	unlink(path);
	rmdir(dir);
	assert_null(module_list);
}

static void test_duplicate(void **state)
{
	char expect[512];

	assert_int_equal(load("tmod_a"), SV_OK);
	assert_int_equal(load("tmod_a"), SV_EEXIST);
	snprintf(expect, sizeof(expect),
	         "module 'tmod_a' is already loaded (from %stmod_a/tmod_a.so)",
	         MDIR);
	assert_string_equal(err, expect);
	/* another file claiming the same name */
	assert_int_equal(load("tmod_dup"), SV_EEXIST);
	assert_string_equal(err, expect);
	assert_null(module_list->next);
	/* the first one still works */
	assert_non_null(module_find_api("tmod_a", "state"));
}

static void test_find_cmd(void **state)
{
	const struct cmd_export *c;
	int mm;

	assert_int_equal(load("tmod_a"), SV_OK);
	assert_int_equal(load("tmod_b"), SV_OK);
	c = module_find_cmd("ta_any", 0, &mm);
	assert_non_null(c);
	assert_int_equal(c->param_no, 0);
	assert_int_equal(mm, 0);
	c = module_find_cmd("ta_any", 1, &mm);
	assert_non_null(c);
	assert_ptr_equal(c, &module_find("tmod_b")->exports->cmds[0]);
	assert_null(module_find_cmd("ta_any", 2, &mm));
	assert_int_equal(mm, 1);
	assert_null(module_find_cmd("nothing", 0, &mm));
	assert_int_equal(mm, 0);
	assert_int_equal(module_cmd_arities("ta_any"), 0x3);
	assert_int_equal(module_cmd_arities("ta_opt"), 0x7);
	assert_int_equal(module_cmd_arities("nothing"), 0);
	assert_null(module_find_api("tmod_a", "nothing"));
	assert_null(module_find_api("nothing", "state"));
	assert_null(module_find("nothing"));
}

static int setp(const char *mod, const char *name, int type, const void *v,
                int *bad)
{
	err[0] = '\0';
	return module_set_param(mod, name, type, v, bad, err, sizeof(err));
}

static void test_modparam(void **state)
{
	struct tmod_a_state *st;
	int bad, v;

	assert_int_equal(load("tmod_a"), SV_OK);
	assert_int_equal(load("tmod_b"), SV_OK);
	st = a_state();
	assert_int_equal(st->p_int, 7);
	v = 12;
	assert_int_equal(setp("tmod_a", "i", PARAM_INT, &v, &bad), SV_OK);
	assert_int_equal(st->p_int, 12);
	assert_int_equal(setp("tmod_a", "i", PARAM_STR, "42", &bad), SV_OK);
	assert_int_equal(st->p_int, 42);
	assert_int_equal(setp("TMOD_A", "i", PARAM_STR, "0x10", &bad), SV_OK);
	assert_int_equal(st->p_int, 16);
	assert_int_equal(setp("tmod_a", "i", PARAM_STR, "12abc", &bad),
	                 SV_EINVAL);
	assert_int_equal(bad, 2);
	assert_string_equal(err, "parameter 'i' of module 'tmod_a' expects "
	                         "an integer, found \"12abc\"");
	assert_int_equal(st->p_int, 16);

	assert_int_equal(setp("tmod_a", "s", PARAM_STR, "one", &bad), SV_OK);
	assert_string_equal(st->p_str, "one");
	v = 5060;
	assert_int_equal(setp("tmod_a", "s", PARAM_INT, &v, &bad), SV_OK);
	assert_string_equal(st->p_str, "5060");

	v = -1;
	assert_int_equal(setp("tmod_a", "fi", PARAM_INT, &v, &bad), SV_EINVAL);
	assert_int_equal(bad, 2);
	assert_string_equal(err, "module 'tmod_a' refused the value of "
	                         "parameter 'fi'");
	v = 3;
	assert_int_equal(setp("tmod_a", "fi", PARAM_INT, &v, &bad), SV_OK);
	assert_int_equal(st->p_fint, 3);
	assert_int_equal(setp("tmod_a", "fs", PARAM_STR, "hello", &bad), SV_OK);
	assert_string_equal(st->p_fstr, "hello");

	assert_int_equal(setp("tmod_c", "i", PARAM_INT, &v, &bad),
	                 SV_ENOTFOUND);
	assert_int_equal(bad, 0);
	assert_string_equal(err, "module 'tmod_c' is not loaded (loadmodule "
	                         "must come before its modparam)");
	assert_int_equal(setp("tmod_a", "nope", PARAM_INT, &v, &bad),
	                 SV_ENOTFOUND);
	assert_int_equal(bad, 1);
	assert_string_equal(err, "module 'tmod_a' has no parameter 'nope'");

	/* module name as a regular expression, OpenSER style */
	assert_int_equal(setp("tmod_(a|b)", "i", PARAM_INT, &v, &bad), SV_OK);
	assert_int_equal(st->p_int, 3);
	assert_int_equal(setp("tmod_.*", "nope", PARAM_INT, &v, &bad),
	                 SV_ENOTFOUND);
	assert_string_equal(err, "module 'tmod_.*' has no parameter 'nope'");
	assert_int_equal(setp("x|y", "i", PARAM_INT, &v, &bad), SV_ENOTFOUND);
	assert_int_equal(setp("(", "i", PARAM_INT, &v, &bad), SV_EINVAL);
	assert_string_equal(err, "invalid module name expression '('");
}

static void test_hooks_order(void **state)
{
	assert_int_equal(load("tmod_a"), SV_OK);
	assert_int_equal(load("tmod_b"), SV_OK);
	assert_int_equal(modules_init(), SV_OK);
	assert_int_equal(modules_child_init(NULL), SV_OK);
	assert_int_equal(modules_response(NULL), 1);
	modules_destroy();
	assert_string_equal(a_events(), "a:init b:init a:child b:child "
	                                "b:destroy a:destroy");
	assert_int_equal(a_state()->responses, 1);
	/* destroy runs once */
	modules_destroy();
	assert_int_equal(a_state()->destroys, 1);
}

static void test_init_failure(void **state)
{
	int one = 1, bad, (*responses)(void);

	assert_int_equal(load("tmod_a"), SV_OK);
	assert_int_equal(load("tmod_b"), SV_OK);
	assert_int_equal(setp("tmod_a", "fail_init", PARAM_INT, &one, &bad),
	                 SV_OK);
	assert_int_equal(modules_init(), SV_EINVAL);
	modules_destroy(); /* nobody was initialised */
	assert_string_equal(a_events(), "a:init");
	/* a module consuming replies stops the walk */
	assert_int_equal(setp("tmod_a", "eat_replies", PARAM_INT, &one, &bad),
	                 SV_OK);
	assert_int_equal(modules_response(NULL), 0);
	responses = module_find_api("tmod_b", "responses");
	assert_int_equal(responses(), 0);
}

static void test_module_pvs(void **state)
{
	assert_null(pv_lookup("ta_pv", 5));
	assert_int_equal(load("tmod_a"), SV_OK);
	assert_int_equal(load("tmod_b"), SV_OK);
	assert_non_null(pv_lookup("ta_pv", 5));
	assert_non_null(pv_lookup("tb_pv", 5));
	modules_unload();
	assert_null(pv_lookup("ta_pv", 5));
	assert_null(pv_lookup("tb_pv", 5));
	assert_non_null(pv_lookup("ru", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_mpath_rules, teardown),
	    cmocka_unit_test_teardown(test_not_found, teardown),
	    cmocka_unit_test_teardown(test_refused, teardown),
	    cmocka_unit_test_teardown(test_duplicate, teardown),
	    cmocka_unit_test_teardown(test_find_cmd, teardown),
	    cmocka_unit_test_teardown(test_modparam, teardown),
	    cmocka_unit_test_teardown(test_hooks_order, teardown),
	    cmocka_unit_test_teardown(test_init_failure, teardown),
	    cmocka_unit_test_teardown(test_module_pvs, teardown),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
