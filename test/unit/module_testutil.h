/*
 * module_testutil.h - calling a module's script functions the way the
 * script does, for the unit tests of modules (static helpers; include it
 * after parser_testutil.h).
 *
 * A test is linked with the module's objects (test_<module>_*.c, see the
 * Makefile), so the module's `exports` table is visible.  mt_fixup() looks
 * a function up in that table by name and arity, runs its fixup over
 * literal arguments as the fixup pass does, and mt_run() calls it on a
 * parsed message.  mt_edited() prints the message with the script's edits
 * applied (lumps_apply over the whole buffer), which is what a test
 * compares with the text it expects.
 */
#ifndef SERVAL_TEST_MODULE_TESTUTIL_H
#define SERVAL_TEST_MODULE_TESTUTIL_H

#include "parser_testutil.h"

#include "cfg/diag.h"
#include "cfg/fixup.h"
#include "core/lump.h"
#include "core/module.h"

extern const struct module_exports exports;

struct mt_call {
	const struct cmd_export *cmd;
	void *params[CMD_MAX_PARAMS];
	int argc;
};

/* The exported function name/argc, or a test failure. */
static inline const struct cmd_export *mt_cmd(const char *name, int argc)
{
	const struct cmd_export *c;

	for (c = exports.cmds; c && c->name; c++)
		if (strcmp(c->name, name) == 0 && c->param_no == argc)
			return c;
	fail_msg("%s does not export %s/%d", exports.name, name, argc);
	return NULL;
}

/*
 * Fixes up a call of name with argc literal arguments (varargs, const
 * char *).  Returns what the fixups returned (SV_OK, or the first error,
 * whose text is then cfg_last_error()).
 */
static inline int mt_fixup_rc(struct mt_call *c, const char *name, int argc,
                              ...)
{
	va_list ap;
	int i, rc = SV_OK;

	memset(c, 0, sizeof(*c));
	c->cmd = mt_cmd(name, argc);
	c->argc = argc;
	va_start(ap, argc);
	for (i = 0; i < argc; i++)
		c->params[i] = (void *)va_arg(ap, const char *);
	va_end(ap);
	for (i = 0; i < argc && c->cmd->fixup && rc == SV_OK; i++) {
		struct fixup_ctx ctx = {
		    .func = name,
		    .idx = i,
		    .argc = argc,
		    .pos = {"t.cfg", 1, 1 + i},
		    .route_types = c->cmd->route_types,
		};
		rc = c->cmd->fixup(&ctx, &c->params[i], i);
		if (rc != SV_OK)
			c->argc = i; /* only the fixed ones are freed */
	}
	return rc;
}

#define mt_fixup(c, ...)                                                       \
	do {                                                                   \
		if (mt_fixup_rc((c), __VA_ARGS__) != SV_OK)                    \
			fail_msg("fixup failed: %s", cfg_last_error());        \
	} while (0)

static inline int mt_run(struct mt_call *c, struct sip_msg *msg)
{
	return c->cmd->function(msg, c->params);
}

static inline void mt_free(struct mt_call *c)
{
	int i;

	for (i = 0; i < c->argc && c->cmd->fixup; i++)
		if (c->cmd->free_fixup)
			c->cmd->free_fixup(&c->params[i], i);
	memset(c, 0, sizeof(*c));
}

/* Fixes up, runs once on msg, frees; returns the function's result. */
static inline int mt_call_once(struct sip_msg *msg, const char *name, int argc,
                               const char *a0, const char *a1)
{
	struct mt_call c;
	int rc;

	mt_fixup(&c, name, argc, a0, a1);
	rc = mt_run(&c, msg);
	mt_free(&c);
	return rc;
}

/* The message with the script's edits applied (static buffer). */
static inline const char *mt_edited(const struct sip_msg *msg)
{
	static char out[8192];
	int n = lumps_apply(msg, 0, msg->len, 0, out, sizeof(out) - 1);

	assert_true(n >= 0);
	out[n] = '\0';
	return out;
}

#endif /* SERVAL_TEST_MODULE_TESTUTIL_H */
