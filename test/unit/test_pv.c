/*
 * test_pv.c - core/pv: the pseudo-variable registry, pv_scan (the extent
 * of a pseudo-variable in text), spec parsing in every OpenSER notation,
 * and format strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/pv.h"
#include "core/pv_core.h"

static char err[256];

static struct pv_spec *parse_ok(const char *text)
{
	str in = str_from_cstr(text);
	struct pv_spec *sp;

	if (pv_spec_parse(&in, &sp, err, sizeof(err)) != SV_OK)
		fail_msg("%s: %s", text, err);
	assert_string_equal(sp->text.s, text);
	return sp;
}

static void parse_bad(const char *text, const char *msg)
{
	str in = str_from_cstr(text);
	struct pv_spec *sp = (void *)1;

	assert_int_equal(pv_spec_parse(&in, &sp, err, sizeof(err)), SV_EINVAL);
	assert_null(sp);
	assert_string_equal(err, msg);
}

static void test_scan(void **state)
{
	static const struct {
		const char *text;
		int len;
	} cases[] = {
	    {"$ru;", 3},
	    {"$var(x)==1", 7},
	    {"$avp(s:x) ", 9},
	    {"$(hdr(Via)[1])x", 14},
	    {"$err.rcode)", 10},
	    {"$fU.", 3},
	    {"$fU.x", 3},
	    {"$from.user.", 10},
	    {"$T_reply_code\n", 13},
	    {"$5", 0},
	    {"$ ", 0},
	    {"$", 0},
	    {"$var(x", -1},
	    {"$(hdr(a)", -1},
	    {"$var(\nx)", -1},
	    {"$unknown.thing", 14},
	};
	unsigned i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(
		    pv_scan(cases[i].text, (int)strlen(cases[i].text)),
		    cases[i].len);
}

static void test_spec_forms(void **state)
{
	struct pv_spec *sp;

	sp = parse_ok("$ru");
	assert_int_equal(sp->exp->type, PVT_RURI);
	assert_true(pv_is_writable(sp));
	assert_int_equal(sp->idx_type, PV_IDX_NONE);
	pv_spec_free(sp);

	sp = parse_ok("$var(counter_1)");
	assert_int_equal(sp->exp->type, PVT_VAR);
	assert_int_equal(sp->name.type, PV_NAME_STR);
	assert_string_equal(sp->name.s.s, "counter_1");
	pv_spec_free(sp);

	sp = parse_ok("$avp(i:24)");
	assert_int_equal(sp->name.type, PV_NAME_INT);
	assert_int_equal(sp->name.n, 24);
	pv_spec_free(sp);

	sp = parse_ok("$avp(s:caller-id)");
	assert_int_equal(sp->name.type, PV_NAME_STR);
	assert_string_equal(sp->name.s.s, "caller-id");
	pv_spec_free(sp);

	sp = parse_ok("$avp(alias)");
	assert_string_equal(sp->name.s.s, "alias");
	pv_spec_free(sp);

	sp = parse_ok("$hdr(Name)");
	assert_int_equal(sp->exp->type, PVT_HDR);
	assert_string_equal(sp->name.s.s, "Name");
	assert_false(pv_is_writable(sp));
	pv_spec_free(sp);

	sp = parse_ok("$err.rreason");
	assert_int_equal(sp->exp->type, PVT_ERR_RREASON);
	pv_spec_free(sp);

	sp = parse_ok("$from.user");
	assert_int_equal(sp->exp->type, PVT_FROM_USER);
	pv_spec_free(sp);
}

static void test_spec_indexes(void **state)
{
	struct pv_spec *sp;

	/* OpenSER 1.2: inside the name */
	sp = parse_ok("$hdr(Name[1])");
	assert_string_equal(sp->name.s.s, "Name");
	assert_int_equal(sp->idx_type, PV_IDX_INT);
	assert_int_equal(sp->idx, 1);
	pv_spec_free(sp);
	sp = parse_ok("$avp(s:x[*])");
	assert_string_equal(sp->name.s.s, "x");
	assert_int_equal(sp->idx_type, PV_IDX_ALL);
	pv_spec_free(sp);
	/* OpenSER 1.3: outside */
	sp = parse_ok("$(hdr(Name)[1])");
	assert_string_equal(sp->name.s.s, "Name");
	assert_int_equal(sp->idx, 1);
	pv_spec_free(sp);
	sp = parse_ok("$(avp(i:3)[-1])");
	assert_int_equal(sp->name.n, 3);
	assert_int_equal(sp->idx, -1);
	pv_spec_free(sp);
	sp = parse_ok("$(ru)");
	assert_int_equal(sp->exp->type, PVT_RURI);
	pv_spec_free(sp);
}

static void test_spec_errors(void **state)
{
	parse_bad("$nothing", "unknown pseudo-variable '$nothing'");
	parse_bad("$avp", "$avp needs a name in parentheses, e.g. $avp(name)");
	parse_bad("$ru(x)", "$ru does not take a name in parentheses");
	parse_bad("$var(x[1])", "$var cannot be indexed");
	parse_bad("$(var(x)[1])", "$var cannot be indexed");
	parse_bad("$hdr(Via[a])", "bad index '[a]' in '$hdr(Via[a])' (a number "
	                          "or '*' expected)");
	parse_bad("$(hdr(Via)[])", "bad index '[]' in '$(hdr(Via)[])' (a "
	                           "number or '*' expected)");
	parse_bad("$var(a b)",
	          "invalid variable name 'a b' (letters, digits and '_' only)");
	parse_bad("$avp(i:x)", "invalid AVP id 'i:x' (i: needs a number)");
	parse_bad("$avp(s:)", "invalid AVP name 's:'");
	parse_bad("$hdr(a:b)", "invalid header name 'a:b'");
	parse_bad("$(ru{s.len})", "transformations are not supported "
	                          "('$(ru{s.len})')");
	parse_bad("$(ru", "malformed pseudo-variable '$(ru'");
	parse_bad("$ru x", "malformed pseudo-variable '$ru x'");
	parse_bad("ru", "malformed pseudo-variable 'ru'");
}

static void test_format(void **state)
{
	str in =
	    STR_LIT("Invalid user - $fU ($si:$sp) costs $5 $$ $(hdr(X)[1]).");
	struct pv_format *f;
	int off;

	assert_int_equal(pv_format_parse(&in, &f, &off, err, sizeof(err)),
	                 SV_OK);
	assert_true(f->has_pv);
	assert_int_equal(f->n, 9);
	assert_null(f->parts[0].spec);
	assert_memory_equal(f->parts[0].text.s, "Invalid user - ", 15);
	assert_int_equal(f->parts[1].spec->exp->type, PVT_FROM_USER);
	assert_int_equal(f->parts[2].text.len, 2); /* " (" */
	assert_int_equal(f->parts[3].spec->exp->type, PVT_SRC_IP);
	assert_int_equal(f->parts[4].text.len, 1); /* ":" */
	assert_int_equal(f->parts[5].spec->exp->type, PVT_SRC_PORT);
	assert_memory_equal(f->parts[6].text.s, ") costs $5 $$ ", 14);
	assert_int_equal(f->parts[7].spec->idx, 1);
	assert_int_equal(f->parts[8].text.len, 1); /* "." */
	pv_format_free(f);

	in = (str)STR_LIT("no variables");
	assert_int_equal(pv_format_parse(&in, &f, &off, err, sizeof(err)),
	                 SV_OK);
	assert_false(f->has_pv);
	assert_int_equal(f->n, 1);
	pv_format_free(f);

	in = (str)STR_LIT("");
	assert_int_equal(pv_format_parse(&in, &f, &off, err, sizeof(err)),
	                 SV_OK);
	assert_int_equal(f->n, 0);
	pv_format_free(f);

	in = (str)STR_LIT("x $bad y");
	assert_int_equal(pv_format_parse(&in, &f, &off, err, sizeof(err)),
	                 SV_EINVAL);
	assert_null(f);
	assert_int_equal(off, 2);
	assert_string_equal(err, "unknown pseudo-variable '$bad'");

	in = (str)STR_LIT("ab $var(x");
	assert_int_equal(pv_format_parse(&in, &f, &off, err, sizeof(err)),
	                 SV_EINVAL);
	assert_int_equal(off, 3);
	assert_string_equal(err, "unterminated pseudo-variable '$var(x'");
}

static const struct pv_export mod_pvs[] = {
    {"m_one", PVT_MODULE, 0, NULL, NULL, NULL},
    {"m_two", PVT_MODULE + 1, PV_WRITABLE, NULL, NULL, NULL},
    {NULL, 0, 0, NULL, NULL, NULL}};

static const struct pv_export clash[] = {
    {"m_three", PVT_MODULE + 2, 0, NULL, NULL, NULL},
    {"m_one", PVT_MODULE + 3, 0, NULL, NULL, NULL},
    {NULL, 0, 0, NULL, NULL, NULL}};

static void test_registry(void **state)
{
	static const struct pv_export bad = {"9x", 1, 0, NULL, NULL, NULL};
	struct pv_spec *sp;

	assert_int_equal(pv_register_table(mod_pvs, "modx", err, sizeof(err)),
	                 SV_OK);
	sp = parse_ok("$m_two");
	assert_true(pv_is_writable(sp));
	pv_spec_free(sp);
	/* a clash refuses the whole table */
	assert_int_equal(pv_register_table(clash, "mody", err, sizeof(err)),
	                 SV_EEXIST);
	assert_string_equal(err, "pseudo-variable $m_one is already exported "
	                         "by modx");
	assert_null(pv_lookup("m_three", 7));
	assert_int_equal(pv_register(&bad, "modz", err, sizeof(err)),
	                 SV_EINVAL);
	assert_string_equal(err, "invalid pseudo-variable name '9x'");
	pv_unregister_owner("modx");
	assert_null(pv_lookup("m_one", 5));
	assert_non_null(pv_lookup("ru", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_scan),
	    cmocka_unit_test(test_spec_forms),
	    cmocka_unit_test(test_spec_indexes),
	    cmocka_unit_test(test_spec_errors),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_registry),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
