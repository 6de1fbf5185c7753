/*
 * test_cfg_errors.c - broken scripts: each must give exactly one error,
 * at the exact file:line:col, with the exact message, and a failure code;
 * never a crash (the suite also runs under ASan/UBSan).
 *
 * A case is a script and the message expected.  mpath="@" in a script is
 * replaced by the directory of the test modules (stand-ins of OpenSER's
 * modules, the real modules that replaced theirs such as sl, and tmod_*);
 * nothing after the '@' on that line matters.  Every case runs the whole
 * start-up sequence: cfg_load_buffer(), modules_init(), cfg_fixup_all();
 * real modules need shared memory for their statistics, so the suite runs
 * with a shm segment, and each case forgets the statistics and script
 * callbacks its modules registered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/script_cb.h"
#include "core/stats.h"
#include "shm/shm.h"

#define MDIR      SERVAL_TEST_MODULES
#define MODS(...) "mpath=\"@\"\n" __VA_ARGS__

struct error_case {
	const char *name;
	const char *script;
	const char *error;
};

#define OPEN10 "(((((((((("
#define OPEN100 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 OPEN10 \
	OPEN10 OPEN10
#define BRACES10 "{{{{{{{{{{"
#define BRACES100 BRACES10 BRACES10 BRACES10 BRACES10 BRACES10 BRACES10 \
	BRACES10 BRACES10 BRACES10 BRACES10

static const struct error_case cases[] = {
    /* ---- nesting bound (the parser recurses) ---- */
    {"expressions nested too deeply", "route {\n\tif (" OPEN100 "1",
     "t.cfg:2:" "104" ": error: statements or expressions nested more than "
     "100 deep"},
    {"blocks nested too deeply", "route {\n" BRACES100 BRACES10 "}\n",
     "t.cfg:2:101: error: statements or expressions nested more than 100 "
     "deep"},
    /* ---- lexical ---- */
    {"unterminated string", "route {\n\txlog(\"hello);\n}\n",
     "t.cfg:2:7: error: unterminated string: missing closing \" on this line"},
    {"unterminated comment", "debug=3\n/* start\nroute {}\n",
     "t.cfg:2:1: error: unterminated comment: '/*' is never closed by '*/'"},
    {"unexpected character", "route {\n\texit; @\n}\n",
     "t.cfg:2:8: error: unexpected character '@'"},
    {"bad pseudo-variable start", "route {\n\t$ = 1;\n}\n",
     "t.cfg:2:2: error: '$' must start a pseudo-variable name ($ru, "
     "$var(x), $avp(s:name) ...)"},
    {"unterminated pseudo-variable", "route {\n\t$var(x = 1;\n}\n",
     "t.cfg:2:2: error: unterminated pseudo-variable: missing ')' on "
     "this line"},
    {"invalid IPv4", "route {\n\tif (src_ip==10.0.0.256) exit;\n}\n",
     "t.cfg:2:14: error: invalid IPv4 address (a part is greater than 255)"},

    /* ---- syntax ---- */
    {"missing semicolon",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_send_reply(\"200\", \"OK\")\n"
          "\texit;\n}\n"),
     "t.cfg:5:2: error: expected ';' after statement, found 'exit'"},
    {"missing semicolon before }", "route {\n\texit\n}\n",
     "t.cfg:3:1: error: expected ';' after statement, found '}'"},
    {"unbalanced brace at end of file",
     "route {\n\tif (method==\"INVITE\") {\n\t\texit;\n}\n",
     "t.cfg:5:1: error: missing '}' at end of file: the '{' at t.cfg:1:7 "
     "is not closed"},
    {"unbalanced brace before a route",
     "route {\n\tif (method==\"INVITE\") {\n\t\texit;\n}\nroute[1] {\n}\n",
     "t.cfg:5:1: error: a route block cannot start inside another block: "
     "is a '}' missing before it?"},
    {"extra closing brace", "route {\n\texit;\n}\n}\n",
     "t.cfg:4:1: error: unexpected '}': no block is open"},
    {"missing closing parenthesis",
     "route {\n\tif (method==\"INVITE\" {\n\t\texit;\n\t}\n}\n",
     "t.cfg:2:23: error: expected ')' to close the '(', found '{'"},
    {"assignment in condition", "route {\n\tif ($var(x) = 1) exit;\n}\n",
     "t.cfg:2:14: error: '=' in a condition: use '==' to compare"},
    {"empty condition", "route {\n\tif () exit;\n}\n",
     "t.cfg:2:6: error: expected an expression, found ')'"},
    {"else without if", "route {\n\texit;\n\telse exit;\n}\n",
     "t.cfg:3:2: error: 'else' without a matching 'if'"},
    {"break outside switch",
     "route {\n\twhile ($var(i) < 3) {\n\t\tbreak;\n\t}\n}\n",
     "t.cfg:3:3: error: 'break' outside a switch"},
    {"case outside switch", "route {\n\tcase 1: exit;\n}\n",
     "t.cfg:2:2: error: 'case' outside a switch"},
    {"switch on a keyword",
     "route {\n\tswitch (method) {\n\tdefault: exit;\n\t}\n}\n",
     "t.cfg:2:10: error: expected a pseudo-variable (switch works on a "
     "pseudo-variable), found 'method'"},
    {"duplicate case label",
     "route {\n\tswitch ($rU) {\n\tcase \"a\": exit;\n\tcase \"a\": "
     "drop;\n\t}\n}\n",
     "t.cfg:4:2: error: duplicate case label (first at line 3)"},
    {"second default",
     "route {\n\tswitch ($rU) {\n\tdefault: exit;\n\tdefault: drop;\n\t}\n}\n",
     "t.cfg:4:2: error: second 'default' in switch (first at line 3)"},
    {"statement before case", "route {\n\tswitch ($rU) {\n\t\texit;\n\t}\n}\n",
     "t.cfg:3:3: error: expected 'case' or 'default', found 'exit'"},
    {"keyword as statement", "route {\n\tmethod == \"INVITE\";\n}\n",
     "t.cfg:2:2: error: expected a statement, found 'method'"},
    {"pseudo-variable statement without =", "route {\n\t$var(x) == 1;\n}\n",
     "t.cfg:2:10: error: expected '=' after '$var(x)' (a statement cannot "
     "start with a pseudo-variable otherwise), found '=='"},
    {"missing parenthesis after function",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_reply_error;\n}\n"),
     "t.cfg:4:16: error: expected '(' after 'sl_reply_error', found ';'"},
    {"too many arguments", "route {\n\tlog(1, 2, 3, 4, 5, 6, 7);\n}\n",
     "t.cfg:2:24: error: too many arguments to 'log' (at most 6)"},
    {"bad return value", "route {\n\treturn(\"x\");\n}\n",
     "t.cfg:2:9: error: expected a number or a pseudo-variable as the "
     "return value, found string \"x\""},
    {"bad route call argument", "route {\n\troute($var(x));\n}\n",
     "t.cfg:2:8: error: expected a route number or name, found '$var(x)'"},
    {"call outside a route", "sl_send_reply(\"200\", \"OK\");\n",
     "t.cfg:1:1: error: call of 'sl_send_reply' outside a route block"},
    {"garbage at top level", "debug=1\n42\n",
     "t.cfg:2:1: error: expected a global parameter, loadmodule, modparam "
     "or a route block, found number 42"},
    {"loadmodule inside a route",
     "route {\n\tif (1) {\n\t\texit;\n\t}\nloadmodule \"sl.so\"\n",
     "t.cfg:5:1: error: 'loadmodule' inside a route block: is a '}' "
     "missing before it?"},
    {"global parameter inside a route", "route {\n\tdebug=3;\n}\n",
     "t.cfg:2:2: error: global parameter 'debug' inside a route block: is "
     "a '}' missing before it?"},

    /* ---- route blocks ---- */
    {"duplicate route", "route[1] {\n}\nroute[1] {\n}\n",
     "t.cfg:3:1: error: route[1] is defined twice (first at t.cfg:1:1)"},
    {"duplicate main route", "route {\n}\nroute[0] {\n}\n",
     "t.cfg:3:1: error: route is defined twice (first at t.cfg:1:1)"},
    {"duplicate failure_route",
     "failure_route[1] {\n}\nfailure_route[01] {\n}\n",
     "t.cfg:3:1: error: failure_route[1] is defined twice (first at "
     "t.cfg:1:1)"},
    {"failure_route without index", "failure_route {\n}\n",
     "t.cfg:1:1: error: failure_route needs an index: failure_route[n] "
     "{ ... }"},
    {"error_route with index", "error_route[1] {\n}\n",
     "t.cfg:1:12: error: error_route takes no index"},
    {"failure_route index 0", "failure_route[0] {\n}\n",
     "t.cfg:1:15: error: invalid failure_route index 0 (use 1 or more)"},

    /* ---- global parameters ---- */
    {"unknown global parameter", "debug=3\nfoo_bar=1\n",
     "t.cfg:2:1: error: unknown global parameter 'foo_bar'"},
    {"global parameter type", "children=\"4\"\n",
     "t.cfg:1:10: error: 'children' expects a number, found a string"},
    {"global parameter range", "port=70000\n",
     "t.cfg:1:6: error: 'port' must be between 1 and 65535, not 70000"},
    {"missing = in global", "debug 3\n",
     "t.cfg:1:7: error: expected '=' after the parameter name, found number 3"},
    {"text glued to a value", "port=5060x\n",
     "t.cfg:1:10: error: expected a blank or ';' after the value of "
     "'port', found 'x'"},
    {"bad listen spec", "listen=udp:127.0.0.1:99999\n",
     "t.cfg:1:8: error: listen: bad port '99999'"},
    {"bad alias", "alias=example.com:abc\n",
     "t.cfg:1:7: error: invalid port in alias 'example.com:abc'"},
    {"bad syslog facility", "log_facility=LOG_FOO\n",
     "t.cfg:1:14: error: unknown syslog facility 'LOG_FOO' (LOG_DAEMON, "
     "LOG_LOCAL0 ... LOG_LOCAL7 ...)"},
    {"missing include file", "include_file \"nope.cfg\"\n",
     "t.cfg:1:14: error: cannot read include file 'nope.cfg': No such "
     "file or directory"},

    /* ---- modules ---- */
    {"unknown module", MODS("loadmodule \"nosuch.so\"\n"),
     "t.cfg:2:12: error: loadmodule: module 'nosuch.so' not found in '" MDIR
     "' (tried nosuch.so and nosuch/nosuch.so)"},
    {"loadmodule without a string", "loadmodule sl.so\n",
     "t.cfg:1:12: error: expected a string (the module file name) after "
     "'loadmodule', found 'sl'"},
    {"modparam before loadmodule",
     MODS("modparam(\"tm\", \"fr_timer\", 10)\nloadmodule \"tm\"\n"),
     "t.cfg:2:10: error: modparam: module 'tm' is not loaded (loadmodule "
     "must come before its modparam)"},
    {"unknown module parameter",
     MODS("loadmodule \"tm\"\nmodparam(\"tm\", \"fr_timeout\", 10)\n"),
     "t.cfg:3:16: error: modparam: module 'tm' has no parameter 'fr_timeout'"},
    {"module parameter type",
     MODS("loadmodule \"tm\"\nmodparam(\"tm\", \"fr_timer\", \"abc\")\n"),
     "t.cfg:3:28: error: modparam: parameter 'fr_timer' of module 'tm' "
     "expects an integer, found \"abc\""},
    {"module parameter refused",
     MODS("loadmodule \"tmod_a\"\nmodparam(\"tmod_a\", \"fi\", -5)\n"),
     "t.cfg:3:26: error: modparam: module 'tmod_a' refused the value of "
     "parameter 'fi'"},
    {"duplicate module", MODS("loadmodule \"tm.so\"\nloadmodule \"tm\"\n"),
     "t.cfg:3:12: error: loadmodule: module 'tm' is already loaded (from " MDIR
     "tm/tm.so)"},
    {"module of another ABI", MODS("loadmodule \"tmod_abi.so\"\n"),
     "t.cfg:2:12: error: loadmodule: module '" MDIR "tmod_abi/tmod_abi.so'"
     " has ABI version 2, this serval needs 1"},
    {"module built for another serval", MODS("loadmodule \"tmod_sig\"\n"),
     "t.cfg:2:12: error: loadmodule: module '" MDIR "tmod_sig/tmod_sig.so'"
     " was built for \"serval 0.0.1 abi1 OTHER_FLAGS\", this serval is "
     "\"" SERVAL_BUILD_SIGNATURE "\""},
    {"not a module", MODS("loadmodule \"tmod_nosym\"\n"),
     "t.cfg:2:12: error: loadmodule: '" MDIR "tmod_nosym/tmod_nosym.so' is"
     " not a serval module (no 'exports' symbol)"},

    /* ---- functions ---- */
    {"unknown function", "route {\n\tfoo_bar(\"x\");\n}\n",
     "t.cfg:2:2: error: unknown function 'foo_bar' (missing loadmodule?)"},
    {"wrong arity",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_send_reply(\"404\");\n}\n"),
     "t.cfg:4:2: error: 'sl_send_reply' takes 2 arguments, 1 given"},
    {"wrong arity, several forms",
     MODS("loadmodule \"tm\"\nroute {\n\tt_relay(\"a\", \"1\", \"x\");\n}\n"),
     "t.cfg:4:2: error: 't_relay' takes 0, 1 or 2 arguments, 3 given"},
    {"argument to a function without arguments",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_reply_error(\"x\");\n}\n"),
     "t.cfg:4:2: error: 'sl_reply_error' takes no arguments, 1 given"},
    {"function forbidden in failure_route",
     MODS("loadmodule \"sl\"\nfailure_route[1] {\n\tsl_reply_error();\n}\n"),
     "t.cfg:4:2: error: 'sl_reply_error' cannot be used in "
     "failure_route[1] (only in request_route, error_route)"},
    {"function forbidden through a sub-route",
     MODS("loadmodule \"sl\"\nroute {\n\troute(2);\n}\n"
          "failure_route[1] {\n\troute(2);\n}\nroute[2] {\n"
          "\tsl_reply_error();\n}\n"),
     "t.cfg:10:2: error: 'sl_reply_error' cannot be used in route[2], "
     "which runs as failure_route when called from failure_route[1] at "
     "t.cfg:7:2 (only in request_route, error_route)"},
    {"sl_send_reply: code below 100",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_send_reply(\"99\", \"x\");\n}\n"),
     "t.cfg:4:16: error: sl_send_reply: invalid reply code \"99\" (must "
     "be 100-699)"},
    {"sl_send_reply: code above 699",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_send_reply(700, \"x\");\n}\n"),
     "t.cfg:4:16: error: sl_send_reply: invalid reply code \"700\" (must "
     "be 100-699)"},
    {"send_reply: code not a number",
     MODS("loadmodule \"sl\"\nroute {\n\tsend_reply(\"4o4\", \"x\");\n}\n"),
     "t.cfg:4:13: error: send_reply: invalid reply code \"4o4\" (must be "
     "100-699)"},
    {"sl_send_reply: code with a space",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_send_reply(\" 404\", \"x\");\n"
          "}\n"),
     "t.cfg:4:16: error: sl_send_reply: invalid reply code \" 404\" (must "
     "be 100-699)"},
    {"sl_send_reply: unknown pseudo-variable in the reason",
     MODS("loadmodule \"sl\"\nroute {\n\tsl_send_reply(\"404\", \"no $foo\");"
          "\n}\n"),
     "t.cfg:4:23: error: sl_send_reply: unknown pseudo-variable '$foo'"},
    {"function forbidden in onreply_route",
     MODS("loadmodule \"tm\"\nonreply_route {\n\tt_relay();\n}\n"),
     "t.cfg:4:2: error: 't_relay' cannot be used in onreply_route (only "
     "in request_route, failure_route)"},
    {"function forbidden in branch_route",
     MODS("loadmodule \"sl\"\nbranch_route[1] {\n\tif (1) "
          "sl_send_reply(\"500\", \"x\");\n}\n"),
     "t.cfg:4:9: error: 'sl_send_reply' cannot be used in branch_route[1] "
     "(only in request_route, error_route)"},
    {"function forbidden in error_route",
     MODS("loadmodule \"tm\"\nerror_route {\n\tt_newtran();\n}\n"),
     "t.cfg:4:2: error: 't_newtran' cannot be used in error_route (only in "
     "request_route)"},
    {"unknown route", "route {\n\troute(5);\n}\n",
     "t.cfg:2:8: error: route[5] is not defined"},
    {"unknown route in a condition", "route {\n\tif (route(relay)) exit;\n}\n",
     "t.cfg:2:12: error: route[relay] is not defined"},
    {"unknown failure_route",
     MODS("loadmodule \"tm\"\nroute {\n\tt_on_failure(\"9\");\n"
          "\tt_relay();\n}\n"),
     "t.cfg:4:15: error: t_on_failure: failure_route[9] is not defined"},
    {"bad regular expression", "route {\n\tif (uri =~ \"sip:(foo\") exit;\n}\n",
     "t.cfg:2:13: error: bad regular expression \"sip:(foo\": Unmatched ( "
     "or \\("},
    {"bad regular expression argument",
     MODS("loadmodule \"tm\"\nroute {\n\tif (t_check_status(\"[0-9\")) "
          "exit;\n}\n"),
     "t.cfg:4:21: error: t_check_status: bad regular expression \"[0-9\": "
     "Unmatched [, [^, [:, [., or [="},
    {"unknown pseudo-variable", "route {\n\tif ($foo == 1) exit;\n}\n",
     "t.cfg:2:6: error: unknown pseudo-variable '$foo'"},
    {"unknown pseudo-variable in a format",
     MODS("loadmodule \"xlog\"\nroute {\n\txlog(\"x $bar y\\n\");\n}\n"),
     "t.cfg:4:7: error: xlog: unknown pseudo-variable '$bar'"},
    {"module pseudo-variable without its module",
     "route {\n\tif ($T_reply_code == 200) exit;\n}\n",
     "t.cfg:2:6: error: unknown pseudo-variable '$T_reply_code'"},
    {"pseudo-variable without its name", "route {\n\t$avp = 1;\n}\n",
     "t.cfg:2:2: error: $avp needs a name in parentheses, e.g. $avp(name)"},
    {"pseudo-variable with a name it does not take",
     "route {\n\t$ru(x) = 1;\n}\n",
     "t.cfg:2:2: error: $ru does not take a name in parentheses"},
    {"indexed pseudo-variable that cannot be",
     "route {\n\tif ($(var(x)[1]) == 1) exit;\n}\n",
     "t.cfg:2:6: error: $var cannot be indexed"},
    {"bad AVP name", "route {\n\t$avp(i:abc) = 1;\n}\n",
     "t.cfg:2:2: error: invalid AVP id 'i:abc' (i: needs a number)"},
    {"assignment to a read-only pseudo-variable",
     "route {\n\t$fu = \"sip:a@b\";\n}\n",
     "t.cfg:2:2: error: '$fu' cannot be assigned (it is read-only)"},
    {"flag out of range", "route {\n\tsetflag(40);\n}\n",
     "t.cfg:2:10: error: setflag: flag 40 is out of range (0..31)"},
    {"integer argument",
     MODS("loadmodule \"maxfwd\"\nroute {\n\t"
          "mf_process_maxfwd_header(\"ten\");\n}\n"),
     "t.cfg:4:27: error: mf_process_maxfwd_header: expected an integer, "
     "found \"ten\""},
    {"bad q value", "route {\n\tappend_branch(\"sip:a@b\", \"1.5\");\n}\n",
     "t.cfg:2:27: error: append_branch: bad q value \"1.5\" (0 to 1 expected)"},
    {"module fixup refusing silently",
     MODS("loadmodule \"tmod_a\"\nroute {\n\tta_picky(\"x\");\n}\n"),
     "t.cfg:4:11: error: ta_picky: invalid argument \"x\""},
    {"module fixup refusing with its message",
     MODS("loadmodule \"tmod_a\"\nroute {\n\tta_picky(\"good\");\n"
          "\tta_picky(\"bad\");\n}\n"),
     "t.cfg:5:11: error: ta_picky: 'bad' is not welcome here"},

    /* ---- comparisons ---- */
    {"port compared with a string",
     "route {\n\tif (src_port == \"abc\") exit;\n}\n",
     "t.cfg:2:18: error: 'src_port' can only be compared with a number"},
    {"myself matched as a regex", "route {\n\tif (uri =~ myself) exit;\n}\n",
     "t.cfg:2:13: error: myself can only be compared with uri, from_uri, "
     "to_uri, src_ip or dst_ip, using '==' or '!='"},
    {"method compared with a number", "route {\n\tif (method == 5) exit;\n}\n",
     "t.cfg:2:16: error: 'method' can only be compared with a string"},
    {"address ordered", "route {\n\tif (src_ip < 10.0.0.1) exit;\n}\n",
     "t.cfg:2:13: error: an address can only be compared with '==' or '!='"},
    {"invalid netmask", "route {\n\tif (src_ip == 10.0.0.0/33) exit;\n}\n",
     "t.cfg:2:25: error: invalid netmask /33 (0 to 32 bits)"},
    {"chained comparisons", "route {\n\tif ($var(a) == 1 == 2) exit;\n}\n",
     "t.cfg:2:19: error: comparisons cannot be chained: use '&&' or '||'"},
    {"null compared with a keyword", "route {\n\tif (uri == null) exit;\n}\n",
     "t.cfg:2:13: error: null can only be compared with a pseudo-variable, "
     "using '==' or '!='"},
    {"regex operator with a number", "route {\n\tif (uri =~ 5) exit;\n}\n",
     "t.cfg:2:13: error: the right side of '=~' must be a regular "
     "expression in a string"},
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

/* The script with mpath="@" pointing at the test modules. */
static char *expand(const char *script)
{
	const char *at = strstr(script, "mpath=\"@\"");
	size_t n = strlen(script) + strlen(MDIR) + 1;
	char *out = malloc(n);

	assert_non_null(out);
	if (!at) {
		snprintf(out, n, "%s", script);
		return out;
	}
	snprintf(out, n, "%.*smpath=\"%s%s", (int)(at - script), script, MDIR,
	         at + strlen("mpath=\"@"));
	return out;
}

/* Runs the start-up steps up to the first failure. */
static int start_up(const char *text, struct cfg_script **s)
{
	int rc = cfg_load_buffer("t.cfg", text, strlen(text), s);

	if (rc == SV_OK)
		rc = modules_init();
	if (rc == SV_OK)
		rc = cfg_fixup_all(*s);
	return rc;
}

static void check_case(void **state)
{
	const struct error_case *c = *state;
	struct cfg_script *s = NULL;
	char *text = expand(c->script);
	unsigned before = cfg_error_count();
	int rc = start_up(text, &s);

	free(text);
	cfg_free(s);
	if (rc == SV_OK)
		fail_msg("%s: accepted", c->name);
	assert_true(rc < 0);
	assert_string_equal(cfg_last_error(), c->error);
	assert_int_equal(cfg_error_count() - before, 1);
}

static int teardown(void **state)
{
	modules_destroy();
	modules_unload();
	core_config_reset();
	stats_destroy();
	script_cb_reset();
	return 0;
}

/* A failing mod_init stops start-up before any fixup. */
static void test_mod_init_failure(void **state)
{
	struct cfg_script *s = NULL;
	char *text = expand(MODS("loadmodule \"tmod_a\"\n"
	                         "modparam(\"tmod_a\", \"fail_init\", 1)\n"
	                         "route {\n\tta_count(\"x\");\n}\n"));

	assert_int_equal(cfg_load_buffer("t.cfg", text, strlen(text), &s),
	                 SV_OK);
	free(text);
	assert_int_equal(modules_init(), SV_EINVAL);
	cfg_free(s);
}

/* A failed fixup pass is not run again over half-fixed calls. */
static void test_fixup_not_retried(void **state)
{
	struct cfg_script *s = NULL;
	char *text = expand(MODS("loadmodule \"tmod_a\"\nroute {\n"
	                         "\tta_count(\"x\");\n\tnope();\n}\n"));

	assert_int_equal(start_up(text, &s), SV_EINVAL);
	free(text);
	assert_string_equal(cfg_last_error(), "t.cfg:5:2: error: unknown "
	                                      "function 'nope' (missing "
	                                      "loadmodule?)");
	assert_int_equal(cfg_fixup_all(s), SV_EINVAL);
	cfg_free(s);
}

/* The same script fixed: the cases are not failing for another reason. */
static void test_fixed_script_loads(void **state)
{
	struct cfg_script *s = NULL;
	char *text =
	    expand(MODS("loadmodule \"sl\"\nloadmodule \"tm\"\n"
	                "route {\n\troute(2);\n}\nfailure_route[1] {\n"
	                "\troute(2);\n}\nroute[2] {\n\tt_relay();\n}\n"));

	assert_int_equal(start_up(text, &s), SV_OK);
	free(text);
	cfg_free(s);
}

int main(void)
{
	struct CMUnitTest *tests = calloc(NCASES + 3, sizeof(*tests));
	int i, rc;

	assert_true(NCASES >= 30);
	for (i = 0; i < NCASES; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = check_case;
		tests[i].teardown_func = teardown;
		tests[i].initial_state = (void *)&cases[i];
	}
	tests[i].name = "mod_init failure";
	tests[i].test_func = test_mod_init_failure;
	tests[i++].teardown_func = teardown;
	tests[i].name = "fixup not retried";
	tests[i].test_func = test_fixup_not_retried;
	tests[i++].teardown_func = teardown;
	tests[i].name = "fixed script loads";
	tests[i].test_func = test_fixed_script_loads;
	tests[i++].teardown_func = teardown;
	log_set_level(L_ALERT - 1); /* every error here is expected */
	assert_int_equal(shm_init(8 << 20), SV_OK);
	rc = _cmocka_run_group_tests("cfg_errors", tests, i, NULL, NULL);
	shm_destroy();
	free(tests);
	return rc;
}
