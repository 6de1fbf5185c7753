/*
 * test_cfg_parser.c - real scripts through cfg_load + cfg_fixup_all, and
 * the shape of what the parser builds.
 *
 * The scripts live in test/unit/scripts/ (OpenSER 1.2's default script,
 * the tm and sl documents' examples, the benchmark anchors, a script using
 * every construct); their mpath= lines are pointed at the test modules
 * directory: stand-ins of test/modules/ that export OpenSER 1.2's script
 * interfaces, and the real modules that replaced theirs (sl, maxfwd,
 * textops, uri, xlog, rr).  Real modules register statistics and script
 * callbacks: the suite runs with a shm segment, and each test forgets what
 * its modules registered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <cmocka.h>

#include "cfg/ast.h"
#include "cfg/cfg.h"
#include "cfg/fixup.h"
#include "cfg/route.h"
#include "core/config.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/script_cb.h"
#include "core/stats.h"
#include "shm/shm.h"
#include "test/modules/tmod_a/tmod_a.h"

#include <unistd.h>

#define MDIR SERVAL_TEST_MODULES
#define SDIR "test/unit/scripts/"

static struct cfg_script *script;

/* Replaces every "mpath=..." line with the stand-ins' directory. */
static char *with_test_mpath(const char *text)
{
	size_t cap = strlen(text) + 4096, n = 0;
	char *out = malloc(cap);
	const char *line = text, *eol, *p;

	assert_non_null(out);
	for (; *line; line = eol) {
		eol = strchr(line, '\n');
		eol = eol ? eol + 1 : line + strlen(line);
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (strncmp(p, "mpath", 5) == 0 && (p[5] == '=' || p[5] == ' '))
			n += snprintf(out + n, cap - n, "mpath=\"%s\"\n", MDIR);
		else
			n += snprintf(out + n, cap - n, "%.*s",
			              (int)(eol - line), line);
	}
	return out;
}

static int load_text(const char *name, const char *text)
{
	char *t = with_test_mpath(text);
	int rc = cfg_load_buffer(name, t, strlen(t), &script);

	free(t);
	if (rc == SV_OK)
		rc = modules_init();
	if (rc == SV_OK)
		rc = cfg_fixup_all(script);
	return rc;
}

static void load_ok(const char *name, const char *text)
{
	int rc = load_text(name, text);

	if (rc != SV_OK)
		fail_msg("%s did not load: %s", name, cfg_last_error());
}

static void load_file_ok(const char *file)
{
	FILE *f = fopen(file, "r");
	char *buf = malloc(65536);
	size_t n;

	assert_non_null(f);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	load_ok(file, buf);
	free(buf);
}

static int teardown(void **state)
{
	cfg_free(script);
	script = NULL;
	modules_destroy();
	modules_unload();
	core_config_reset();
	stats_destroy();
	script_cb_reset();
	return 0;
}

static struct cfg_route *route(int type, const char *name)
{
	struct cfg_route *r = cfg_route_lookup(script, type, name);

	if (!r)
		fail_msg("route %d/%s missing", type, name);
	return r;
}

/* The n-th statement (0-based) of a list. */
static struct cfg_stmt *nth(struct cfg_stmt *st, int n)
{
	while (st && n-- > 0)
		st = st->next;
	assert_non_null(st);
	return st;
}

static int count_stmts(const struct cfg_stmt *st)
{
	int n = 0;

	for (; st; st = st->next)
		n++;
	return n;
}

static int count_routes(void)
{
	struct cfg_route *r;
	int n = 0;

	for (r = script->routes; r; r = r->next)
		n++;
	return n;
}

static void test_bench_stateless(void **state)
{
	struct cfg_stmt *st;

	load_file_ok(SDIR "kamailio_stateless.cfg");
	assert_int_equal(core_cfg.debug, 0);
	assert_int_equal(core_cfg.log_stderror, 1);
	assert_int_equal(core_cfg.fork, 1);
	assert_int_equal(core_cfg.children, 2);
	assert_int_equal(core_cfg.nlisten, 1);
	assert_string_equal(core_cfg.listen[0], "udp:127.0.0.1:5060");
	assert_int_equal(core_cfg.disable_tcp, 1);
	assert_int_equal(core_cfg.auto_aliases, 0);
	assert_int_equal(count_routes(), 1);
	st = cfg_main_route(script, REQUEST_ROUTE)->body;
	assert_int_equal(count_stmts(st), 3);
	assert_int_equal(st->kind, STMT_IF);
	assert_int_equal(st->u.ctl.cond->kind, EXPR_CMP);
	assert_int_equal(st->u.ctl.body->kind, STMT_BLOCK);
	assert_int_equal(st->u.ctl.body->u.ctl.body->kind, STMT_DROP);
	assert_int_equal(nth(st, 1)->kind, STMT_CALL);
	assert_string_equal(nth(st, 1)->u.call->cmd->name, "sl_send_reply");
	assert_int_equal(nth(st, 2)->kind, STMT_EXIT);
}

static void test_bench_stateful(void **state)
{
	struct cfg_route *f;

	load_file_ok(SDIR "kamailio_stateful.cfg");
	teardown(state);
	load_file_ok(SDIR "kamailio_stateful_failure.cfg");
	f = route(FAILURE_ROUTE, "1");
	assert_int_equal(f->run_types, FAILURE_ROUTE);
	assert_true(f->referenced);
	assert_ptr_equal(cfg_main_route(script, REQUEST_ROUTE)->next, f);
}

static void test_openser_default(void **state)
{
	struct cfg_stmt *st;
	struct cfg_expr *e;

	load_file_ok(SDIR "openser12_default.cfg");
	assert_int_equal(core_cfg.debug, 3);
	assert_int_equal(core_cfg.children, 4);
	assert_int_equal(core_cfg.port, 5060);
	assert_int_equal(count_routes(), 2);
	assert_int_equal(route(REQUEST_ROUTE, "1")->run_types, REQUEST_ROUTE);
	st = cfg_main_route(script, REQUEST_ROUTE)->body;
	/* if (!mf_process_maxfwd_header("10")) ...  then ';' */
	e = st->u.ctl.cond;
	assert_int_equal(e->kind, EXPR_NOT);
	assert_int_equal(e->u.bin.l->kind, EXPR_CALL);
	assert_int_equal(fixup_get_int(e->u.bin.l->u.call->params[0]), 10);
	/* if (msg:len >= 2048) */
	e = nth(st, 1)->u.ctl.cond;
	assert_int_equal(e->op, TK_GE);
	assert_int_equal(e->u.bin.l->u.opd.kind, OPD_MSGLEN);
	assert_int_equal(e->u.bin.r->u.opd.num, 2048);
	/* if (!method=="REGISTER") record_route(); */
	e = nth(st, 2)->u.ctl.cond;
	assert_int_equal(e->kind, EXPR_NOT);
	assert_int_equal(e->u.bin.l->kind, EXPR_CMP);
	assert_int_equal(e->u.bin.l->u.bin.l->u.opd.kind, OPD_METHOD);
	assert_string_equal(e->u.bin.l->u.bin.r->u.opd.s.s, "REGISTER");
	/* if (!uri==myself) */
	e = nth(st, 4)->u.ctl.cond->u.bin.l;
	assert_int_equal(e->u.bin.l->u.opd.kind, OPD_URI);
	assert_int_equal(e->u.bin.r->u.opd.kind, OPD_MYSELF);
	/* route(1) resolved */
	assert_int_equal(nth(st, 6)->kind, STMT_ROUTE);
	assert_ptr_equal(nth(st, 6)->u.route.target, route(REQUEST_ROUTE, "1"));
}

static void test_tm_examples(void **state)
{
	struct cfg_call *c;
	char name[16];
	int i;

	load_file_ok(SDIR "tm_examples.cfg");
	for (i = 19; i <= 29; i++) {
		snprintf(name, sizeof(name), "%d", i);
		assert_int_equal(route(REQUEST_ROUTE, name)->run_types,
		                 REQUEST_ROUTE);
	}
	assert_true(route(FAILURE_ROUTE, "30")->referenced);
	/* 1-21: t_relay("tcp:192.168.1.10:5060") */
	c = route(REQUEST_ROUTE, "21")->body->u.call;
	assert_string_equal(c->name, "t_relay");
	assert_int_equal(c->argc, 1);
	assert_int_equal(c->args[0].kind, ARG_STRING);
	assert_string_equal(c->args[0].text, "tcp:192.168.1.10:5060");
	assert_string_equal(((str *)c->params[0])->s, "tcp:192.168.1.10:5060");
	/* t_relay("mydomain.com:5070","0x1"): flags fixed up to 1 */
	c = route(REQUEST_ROUTE, "21")->body->next->u.call;
	assert_int_equal(fixup_get_int(c->params[1]), 1);
	/* 1-25: the regex is compiled by the module's fixup */
	c = route(REQUEST_ROUTE, "25")->body->u.ctl.cond->u.call;
	assert_string_equal(c->name, "t_check_status");
	assert_non_null(c->params[0]);
	assert_int_equal(regexec(c->params[0], "408", 0, NULL, 0), 0);
	assert_int_equal(regexec(c->params[0], "200", 0, NULL, 0), REG_NOMATCH);
	/* 1-19: if ... else sl_reply_error(); */
	assert_non_null(route(REQUEST_ROUTE, "19")->body->u.ctl.else_body);
}

static void test_tm_route_examples(void **state)
{
	struct cfg_route *fr, *rr, *br;
	struct cfg_expr *e;

	load_file_ok(SDIR "tm_failure.cfg");
	fr = route(FAILURE_ROUTE, "1");
	assert_ptr_equal(
	    cfg_main_route(script, REQUEST_ROUTE)->body->u.call->params[0], fr);
	assert_string_equal(nth(fr->body, 1)->u.call->name, "append_branch");
	teardown(state);

	load_file_ok(SDIR "tm_reply.cfg");
	rr = route(ONREPLY_ROUTE, "1");
	assert_int_equal(rr->run_types, ONREPLY_ROUTE);
	assert_null(cfg_main_route(script, ONREPLY_ROUTE));
	teardown(state);

	load_file_ok(SDIR "tm_branch.cfg");
	br = route(BRANCH_ROUTE, "1");
	e = br->body->u.ctl.cond;
	assert_int_equal(e->op, TK_MATCH);
	assert_non_null(e->u.bin.r->u.opd.re);
	assert_int_equal(
	    regexec(e->u.bin.r->u.opd.re, "sip:BAD_URI@x", 0, NULL, 0), 0);
}

static void test_sl_examples(void **state)
{
	struct cfg_stmt *st;
	struct pv_format *f;

	load_file_ok(SDIR "sl_examples.cfg");
	/* the code argument is sl's own object; the reason a format */
	st = cfg_main_route(script, ERROR_ROUTE)->body;
	assert_ptr_not_equal(st->u.call->params[0], st->u.call->args[0].text);
	f = st->u.call->params[1];
	assert_int_equal(f->has_pv, 1);
	assert_int_equal(f->n, 1);
	assert_string_equal(f->parts[0].spec->exp->name, "err.rreason");
	/* send_reply("403", "Invalid user - $fU") */
	st = cfg_main_route(script, REQUEST_ROUTE)->body;
	f = nth(st, 2)->u.ctl.body->u.ctl.body->u.call->params[1];
	assert_int_equal(f->n, 2);
	assert_null(f->parts[0].spec);
	assert_int_equal(f->parts[0].text.len, 15);
	assert_memory_equal(f->parts[0].text.s, "Invalid user - ", 15);
	assert_string_equal(f->parts[1].spec->exp->name, "fU");
	f = nth(st, 0)->u.ctl.body->u.ctl.body->u.call->params[1];
	assert_int_equal(f->has_pv, 0);
}

static struct cfg_stmt *find_kind(struct cfg_stmt *st, enum cfg_stmt_kind k)
{
	for (; st; st = st->next)
		if (st->kind == k)
			return st;
	fail_msg("no statement of kind %d", k);
	return NULL;
}

static void check_features_globals(void)
{
	assert_int_equal(core_cfg.debug, 4);
	assert_int_equal(core_cfg.fork, 0);
	assert_int_equal(core_cfg.log_stderror, 1);
	assert_int_equal(core_cfg.log_facility, LOG_LOCAL0);
	assert_string_equal(core_cfg.log_name, "serval-test");
	assert_int_equal(core_cfg.children, 2);
	assert_int_equal(core_cfg.nlisten, 2);
	assert_string_equal(core_cfg.listen[0], "udp:127.0.0.1:5080");
	assert_string_equal(core_cfg.listen[1], "udp:127.0.0.1:5082");
	assert_string_equal(core_cfg.server_header, "Server: test");
	assert_string_equal(core_cfg.user_agent_header, "User-Agent: test");
	assert_int_equal(core_cfg.server_signature, 0);
	assert_int_equal(core_cfg.sip_warning, 1);
	assert_int_equal(core_cfg.disable_tcp, 1);
	assert_int_equal(core_cfg.tcp_children, 3);
	assert_int_equal(core_cfg.max_while_loops, 50);
}

static void check_features_nets(struct cfg_stmt *main)
{
	struct cfg_expr *e = nth(main, 2)->u.ctl.cond, *cmp;

	/* ((((a || b) || c) || d) || e): walk down the left spine */
	while (e->kind == EXPR_OR)
		e = e->u.bin.l;
	assert_int_equal(e->u.bin.r->u.opd.kind, OPD_NET);
	assert_int_equal(e->u.bin.r->u.opd.net.bits, 8);
	cmp = nth(main, 2)->u.ctl.cond;
	/* the last alternative is src_ip==myself */
	assert_int_equal(cmp->u.bin.r->u.bin.r->u.opd.kind, OPD_MYSELF);
	e = cmp->u.bin.l->u.bin.l->u.bin.r; /* dst_ip==[::1] */
	assert_int_equal(e->u.bin.l->u.opd.kind, OPD_DST_IP);
	assert_int_equal(e->u.bin.r->u.opd.net.ip.af, AF_INET6);
	assert_int_equal(e->u.bin.r->u.opd.net.bits, 128);
}

static void check_features_switch(struct cfg_stmt *main)
{
	struct cfg_stmt *sw = find_kind(main, STMT_SWITCH);
	struct cfg_case *c = sw->u.sw.cases;

	assert_string_equal(sw->u.sw.sel.spec->exp->name, "rU");
	assert_true(c->is_str);
	assert_string_equal(c->s.s, "alice");
	assert_int_equal(count_stmts(c->body), 2);
	assert_int_equal(nth(c->body, 1)->kind, STMT_BREAK);
	c = c->next;
	assert_int_equal(c->num, 5);
	assert_null(c->body);
	c = c->next;
	assert_int_equal(c->num, -1);
	c = c->next;
	assert_true(c->is_default);
	assert_null(c->next);
}

static void test_features(void **state)
{
	struct cfg_route *relay, *r3;
	struct cfg_stmt *main, *st;

	load_file_ok(SDIR "features.cfg");
	check_features_globals();
	relay = route(REQUEST_ROUTE, "relay");
	assert_string_equal(relay->pos.file, SDIR "features_inc.cfg");
	assert_int_equal(relay->pos.line, 4);
	r3 = route(REQUEST_ROUTE, "3");
	assert_int_equal(r3->run_types, FAILURE_ROUTE);
	assert_ptr_equal(r3->via[1], route(FAILURE_ROUTE, "1"));
	assert_int_equal(route(REQUEST_ROUTE, "2")->run_types, REQUEST_ROUTE);
	assert_non_null(cfg_main_route(script, ONREPLY_ROUTE));
	main = cfg_main_route(script, REQUEST_ROUTE)->body;
	check_features_nets(main);
	check_features_switch(main);
	st = find_kind(main, STMT_ASSIGN);
	assert_string_equal(st->u.assign.lhs.spec->exp->name, "var");
	assert_string_equal(st->u.assign.lhs.spec->name.s.s, "i");
	st = nth(st, 2); /* $avp(i:24) = 1 + 2 * 3 - (4 / 2) % 3; */
	assert_int_equal(st->u.assign.lhs.spec->name.type, PV_NAME_INT);
	assert_int_equal(st->u.assign.lhs.spec->name.n, 24);
	assert_int_equal(st->u.assign.rhs->op, TK_MINUS);
	assert_int_equal(st->u.assign.rhs->u.bin.l->op, TK_PLUS);
	assert_int_equal(st->u.assign.rhs->u.bin.l->u.bin.r->op, TK_STAR);
	st = nth(st, 2); /* $avp(s:x) := null; */
	assert_int_equal(st->u.assign.op, TK_COLONEQ);
	assert_null(st->u.assign.rhs);
}

/* A script of the given routes with the stand-ins loaded. */
static void load_routes(const char *routes)
{
	char text[4096];

	snprintf(text, sizeof(text),
	         "mpath=\"x\"\nloadmodule \"sl\"\n"
	         "loadmodule \"tm\"\nloadmodule \"tmod_a\"\n%s",
	         routes);
	load_ok("t.cfg", text);
}

static void test_route_forms(void **state)
{
	load_routes("route[0] { exit; }\nroute[01] {}\nroute[\"q\"] {}\n"
	            "route[name] { route(\"q\"); }\n"
	            "failure_route[007] { ta_on_failure(\"7\"); }\n"
	            "onreply_route {} onreply_route[2] {}\n"
	            "branch_route[b] {}\nerror_route {}\n");
	assert_int_equal(count_routes(), 9);
	assert_int_equal(cfg_main_route(script, REQUEST_ROUTE)->body->kind,
	                 STMT_EXIT);
	assert_null(route(REQUEST_ROUTE, "1")->body);
	assert_true(route(REQUEST_ROUTE, "q")->referenced);
	assert_false(route(REQUEST_ROUTE, "1")->referenced);
	assert_ptr_equal(route(FAILURE_ROUTE, "7")->body->u.call->params[0],
	                 route(FAILURE_ROUTE, "7"));
	assert_non_null(route(BRANCH_ROUTE, "b"));
	assert_non_null(route(ONREPLY_ROUTE, "2"));
	assert_non_null(cfg_main_route(script, ERROR_ROUTE));
}

static void test_statement_forms(void **state)
{
	struct cfg_stmt *st;

	load_routes("route {\n  ;; { } { ta_any(); ; }\n"
	            "  if method==\"INVITE\" { drop(); } else if (uri=~\"a\")"
	            " exit(); else { return(-2); }\n"
	            "  while ($var(x) < 3) $var(x) = $var(x) + 1;\n"
	            "  return 5;\n  return($var(x));\n  return;\n"
	            "  force_rport; revert_uri();\n"
	            "  if (isdsturiset) resetdsturi;\n"
	            "  ta_raw(1, $ru, sip.example.com);\n}\n");
	st = cfg_main_route(script, REQUEST_ROUTE)->body;
	assert_int_equal(st->kind, STMT_BLOCK);
	assert_null(st->u.ctl.body);
	st = st->next;
	assert_int_equal(count_stmts(st->u.ctl.body), 1);
	st = st->next;
	assert_int_equal(st->kind, STMT_IF);
	assert_int_equal(st->u.ctl.else_body->kind, STMT_IF);
	assert_int_equal(st->u.ctl.else_body->u.ctl.body->kind, STMT_EXIT);
	st = st->next;
	assert_int_equal(st->kind, STMT_WHILE);
	assert_int_equal(st->u.ctl.body->kind, STMT_ASSIGN);
	st = st->next;
	assert_int_equal(st->u.value->u.opd.num, 5);
	st = st->next;
	assert_int_equal(st->u.value->u.opd.kind, OPD_PV);
	assert_non_null(st->u.value->u.opd.pv.spec);
	st = st->next;
	assert_null(st->u.value);
	st = st->next;
	assert_true(st->u.call->bare);
	st = st->next->next;
	assert_true(st->u.ctl.cond->u.call->bare);
	st = st->next;
	assert_int_equal(st->u.call->argc, 3);
	assert_int_equal(st->u.call->args[0].kind, ARG_NUMBER);
	assert_int_equal(st->u.call->args[1].kind, ARG_PV);
	assert_int_equal(st->u.call->args[2].kind, ARG_WORD);
	assert_string_equal(st->u.call->args[2].text, "sip.example.com");
	assert_string_equal(st->u.call->params[2], "sip.example.com");
}

static void test_fixups_freed(void **state)
{
	struct tmod_a_state *(*get)(void);
	struct tmod_a_state *st;

	load_routes("route { ta_count(\"a\"); if (ta_count(\"b\")) "
	            "ta_count(\"c\"); }\n");
	get = module_find_api("tmod_a", "state");
	st = get();
	assert_int_equal(st->fixups, 3);
	assert_int_equal(st->frees, 0);
	/* a second call does nothing */
	assert_int_equal(cfg_fixup_all(script), SV_OK);
	assert_int_equal(st->fixups, 3);
	cfg_free(script);
	script = NULL;
	assert_int_equal(st->frees, 3);
}

/*
 * features.cfg names mpath="modules/": relative to the working directory,
 * where a build may have put real modules.  It is loaded from an empty
 * directory, by absolute path, so no module is found whatever was built.
 */
static void test_include_paths(void **state)
{
	char top[4096], path[4200], want[4400], dir[] = "/tmp/serval-cfg.XXXXXX";
	int rc;

	assert_non_null(getcwd(top, sizeof(top)));
	snprintf(path, sizeof(path), "%s/" SDIR "features.cfg", top);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chdir(dir), 0);
	/* cfg_load() reads the file itself; includes are found next to it */
	rc = cfg_load(path, &script);
	assert_int_equal(chdir(top), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(rc, SV_EINVAL);
	snprintf(want, sizeof(want),
	         "%s:23:12: error: loadmodule: module 'sl.so' not found in "
	         "'modules/' (tried sl.so and sl/sl.so)",
	         path);
	assert_string_equal(cfg_last_error(), want);
	assert_int_equal(cfg_load(SDIR "nonexistent.cfg", &script),
	                 SV_ENOTFOUND);
	assert_string_equal(cfg_last_error(),
	                    "error: cannot read script '" SDIR
	                    "nonexistent.cfg': No such file or directory");
	assert_null(script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_bench_stateless, teardown),
	    cmocka_unit_test_teardown(test_bench_stateful, teardown),
	    cmocka_unit_test_teardown(test_openser_default, teardown),
	    cmocka_unit_test_teardown(test_tm_examples, teardown),
	    cmocka_unit_test_teardown(test_tm_route_examples, teardown),
	    cmocka_unit_test_teardown(test_sl_examples, teardown),
	    cmocka_unit_test_teardown(test_features, teardown),
	    cmocka_unit_test_teardown(test_route_forms, teardown),
	    cmocka_unit_test_teardown(test_statement_forms, teardown),
	    cmocka_unit_test_teardown(test_fixups_freed, teardown),
	    cmocka_unit_test_teardown(test_include_paths, teardown),
	};

	int rc;

	log_set_level(L_CRIT);
	if (shm_init(8 << 20) != SV_OK)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	shm_destroy();
	return rc;
}
