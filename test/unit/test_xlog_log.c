/*
 * test_xlog_log.c - the xlog module through its exports table: lines
 * printed at the level asked (L_ERR for xlog(format), L_DBG for xdbg),
 * pseudo-variables expanded, the script position in place of a C file,
 * nothing formatted when the level is off, buf_size honoured, the level
 * names refused or accepted at fixup, and $C(xy) colours (escapes on
 * stderr or with force_color, nothing otherwise).
 *
 * Log lines go to stderr, which the test points at a temporary file for
 * the duration of each call (cmocka reports on the real one).
 */
#include "module_testutil.h"

#include "core/pv.h"

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#define REQ                                                                    \
	"INVITE sip:bob@example.com SIP/2.0\r\n"                               \
	"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"                        \
	"From: \"Alice\" <sip:alice@example.com>;tag=f1\r\n"                   \
	"To: <sip:bob@example.com>\r\n"                                        \
	"Call-ID: call-1234567890-abcdefghijklmnopqrstuvwxyz-0123456789\r\n"   \
	"CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"

static struct tmsg t;
static char logpath[64];
static int saved_stderr = -1;

/* modparam, then mod_init's verdict (its complaints not shown). */
static int set_int_param(const char *name, int value)
{
	const struct param_export *p;
	int level = log_get_level(), rc;

	for (p = exports.params; p->name; p++)
		if (strcmp(p->name, name) == 0) {
			*(int *)p->value = value;
			log_set_level(L_ALERT);
			rc = exports.mod_init();
			log_set_level(level);
			return rc;
		}
	fail_msg("no parameter %s", name);
	return SV_ERR;
}

static int setup(void **state)
{
	char err[128];
	int fd;

	strcpy(logpath, "/tmp/serval-xlog-XXXXXX");
	fd = mkstemp(logpath);
	assert_true(fd >= 0);
	close(fd);
	saved_stderr = dup(STDERR_FILENO);
	log_set_target(1, LOG_DAEMON, "test");
	log_set_level(L_INFO);
	assert_int_equal(
	    pv_register_table(exports.pvs, "xlog", err, sizeof(err)), SV_OK);
	tmsg_parse(&t, REQ);
	assert_int_equal(t.rc, SV_OK);
	return 0;
}

static int teardown(void **state)
{
	tmsg_free(&t);
	pv_unregister_owner("xlog");
	if (exports.destroy)
		exports.destroy();
	close(saved_stderr);
	unlink(logpath);
	return 0;
}

/* Runs one call with stderr going to the (emptied) log file. */
static int xcall(struct mt_call *c)
{
	int fd = open(logpath, O_WRONLY | O_TRUNC), rc;

	assert_true(fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rc = mt_run(c, t.msg);
	dup2(saved_stderr, STDERR_FILENO);
	return rc;
}

/* Fixes up, runs with the log captured, frees. */
static int xlog_call(const char *f, int argc, const char *a, const char *b)
{
	struct mt_call c;
	int rc;

	mt_fixup(&c, f, argc, a, b);
	rc = xcall(&c);
	mt_free(&c);
	return rc;
}

/* What the last xcall() logged. */
static const char *logged(void)
{
	static char buf[8192];
	int fd = open(logpath, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void expect_logged(const char *want)
{
	const char *got = logged();

	if (strstr(got, want) == NULL)
		fail_msg("expected [%s] in the log, got [%s]", want, got);
}

static void t_levels(void **state)
{
	assert_int_equal(xlog_call("xlog", 1, "$rm from $fu\n", NULL), 1);
	expect_logged("ERROR: ");
	expect_logged("INVITE from sip:alice@example.com\n");
	assert_int_equal(
	    xlog_call("xlog", 2, "L_NOTICE", "$rm from $fu to $ru\n"), 1);
	expect_logged("NOTICE: ");
	assert_int_equal(
	    xlog_call("xlog", 2, "L_INFO", "$rm from $fn <$fu> to $ru\n"), 1);
	expect_logged("INFO: ");
	expect_logged(" t.cfg:1: INVITE from \"Alice\" "
	              "<sip:alice@example.com> to sip:bob@example.com\n");
	/* below the current level: nothing */
	assert_int_equal(xlog_call("xlog", 2, "L_DBG", "hidden\n"), 1);
	assert_string_equal(logged(), "");
	assert_int_equal(xlog_call("xdbg", 1, "hidden too\n", NULL), 1);
	assert_string_equal(logged(), "");
	log_set_level(L_DBG);
	assert_int_equal(xlog_call("xdbg", 1, "seen $cs\n", NULL), 1);
	expect_logged("DEBUG: ");
	expect_logged(" t.cfg:1: seen 1\n");
	log_set_level(L_INFO);
}

/* A disabled line is not formatted: an over-long one does not fail. */
static void t_level_checked_first(void **state)
{
	assert_int_equal(set_int_param("buf_size", 64), SV_OK);
	assert_int_equal(xlog_call("xlog", 2, "L_DBG", "$ci $ci\n"), 1);
	assert_int_equal(xlog_call("xlog", 2, "L_INFO", "$ci $ci\n"), -1);
	expect_logged("longer than buf_size (64)");
	assert_int_equal(xlog_call("xlog", 2, "L_INFO", "$cs\n"), 1);
	expect_logged("t.cfg:1: 1\n");
	assert_int_equal(set_int_param("buf_size", 10), SV_EINVAL);
	assert_int_equal(set_int_param("buf_size", 4096), SV_OK);
}

static void t_fixups(void **state)
{
	struct mt_call c;

	log_set_level(L_ALERT); /* the fixup errors are read back below */
	assert_int_equal(mt_fixup_rc(&c, "xlog", 2, "L_LOUD", "x\n"),
	                 SV_EINVAL);
	assert_string_equal(cfg_last_error(),
	                    "t.cfg:1:1: error: xlog: unknown log level "
	                    "\"L_LOUD\" (L_ALERT, L_CRIT, L_ERR, L_WARN, "
	                    "L_NOTICE, L_INFO, L_DBG)");
	assert_int_equal(mt_fixup_rc(&c, "xlog", 1, "x $nosuch y\n"),
	                 SV_EINVAL);
	assert_string_equal(cfg_last_error(),
	                    "t.cfg:1:1: error: xlog: unknown pseudo-variable "
	                    "'$nosuch'");
	assert_int_equal(mt_fixup_rc(&c, "xlog", 2, "L_ERR", "$C(zz)\n"),
	                 SV_EINVAL);
	mt_fixup(&c, "xlog", 2, "L_ERROR", "ok\n");
	assert_int_equal(fixup_get_int(c.params[0]), L_ERR);
	mt_free(&c);
	mt_fixup(&c, "xlog", 2, "L_ALERT", "ok\n");
	assert_int_equal(fixup_get_int(c.params[0]), L_ALERT);
	mt_free(&c);
	log_set_level(L_INFO);
}

static void t_colors(void **state)
{
	struct pv_spec *sp;
	struct pv_value v;
	str in = STR_LIT("$C(rx)");
	char err[128];

	assert_int_equal(xlog_call("xlog", 2, "L_INFO",
	                           "$C(rx)red$C(xx) $C(Gb)bold$C(xx)\n"),
	                 1);
	expect_logged("\033[0;31;49mred\033[0;39;49m "
	              "\033[1;32;44mbold\033[0;39;49m\n");

	/* to syslog: no escapes, unless force_color */
	assert_int_equal(pv_spec_parse(&in, &sp, err, sizeof(err)), SV_OK);
	log_set_target(0, LOG_DAEMON, "test");
	assert_int_equal(pv_get(t.msg, sp, &v), SV_OK);
	assert_int_equal(v.rs.len, 0);
	assert_int_equal(set_int_param("force_color", 1), SV_OK);
	assert_int_equal(pv_get(t.msg, sp, &v), SV_OK);
	assert_str(&v.rs, "\033[0;31;49m");
	assert_int_equal(set_int_param("force_color", 0), SV_OK);
	log_set_target(1, LOG_DAEMON, "test");
	pv_spec_free(sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_levels),
	    cmocka_unit_test(t_level_checked_first),
	    cmocka_unit_test(t_fixups),
	    cmocka_unit_test(t_colors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
