/*
 * xlog.c - the xlog module of OpenSER 1.2: log lines formatted with
 * pseudo-variables, from the script.
 *
 *   xlog("L_NOTICE", "$rm from $fu ($si:$sp)\n");
 *   xlog("relaying to $du\n");          level L_ERR, as OpenSER
 *   xdbg("branch $T_branch_idx\n");     level L_DBG
 *
 * The format is split into literal and pseudo-variable parts once, at
 * fixup (fixup_pvfmt); at run time the level is checked first (a disabled
 * line costs one compare, nothing is formatted), then pv_format_print()
 * fills a per-process buffer of buf_size bytes and the line goes through
 * core/log.h's log_emit(), the same path as every other log line.  In
 * place of a C file and line, a line carries the script file and line of
 * the call ("serval.cfg:42").
 *
 * $C(xy) (foreground x, background y) gives ANSI colour escapes when the
 * log goes to stderr, or always with force_color; to syslog it is empty.
 * The escape sequence is computed when the script is parsed.
 */
#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pv.h"
#include "core/pv_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XLOG_BUF_MIN   64
#define XLOG_BUF_MAX   (1 << 20)
#define PVT_XLOG_COLOR PVT_MODULE

static int buf_size = 4096;
static int force_color;

static char *xbuf; /* per process, allocated at first use */

/* What the fixup makes of a format argument. */
struct xlog_fmt {
	struct pv_format *fmt;
	const char *file; /* script file, owned by the script */
	int line;
};

static int mod_init(void)
{
	if (buf_size < XLOG_BUF_MIN || buf_size > XLOG_BUF_MAX) {
		LM_ERR("xlog: buf_size %d is out of range %d..%d\n", buf_size,
		       XLOG_BUF_MIN, XLOG_BUF_MAX);
		return SV_EINVAL;
	}
	return SV_OK;
}

static void mod_destroy(void)
{
	free(xbuf);
	xbuf = NULL;
}

static int emit(struct sip_msg *msg, int level, const struct xlog_fmt *x)
{
	str out;

	if (!LOG_ENABLED(level))
		return 1;
	if (xbuf == NULL && (xbuf = malloc((size_t)buf_size)) == NULL) {
		LM_ERR("xlog: out of memory\n");
		return -1;
	}
	if (pv_format_print(msg, x->fmt, xbuf, buf_size, &out) != SV_OK) {
		LM_ERR("xlog: %s:%d: the line is longer than buf_size (%d)\n",
		       x->file, x->line, buf_size);
		return -1;
	}
	log_emit(level, x->file, x->line, "%.*s", STR_FMT(&out));
	return 1;
}

static int w_xlog1(struct sip_msg *msg, void **params)
{
	return emit(msg, L_ERR, params[0]);
}

static int w_xlog2(struct sip_msg *msg, void **params)
{
	return emit(msg, fixup_get_int(params[0]), params[1]);
}

static int w_xdbg(struct sip_msg *msg, void **params)
{
	return emit(msg, L_DBG, params[0]);
}

/* The level names OpenSER scripts use. */
static const struct {
	const char *name;
	int level;
} levels[] = {
    {"L_ALERT", L_ALERT},   {"L_CRIT", L_CRIT}, {"L_ERR", L_ERR},
    {"L_ERROR", L_ERR},     {"L_WARN", L_WARN}, {"L_WARNING", L_WARN},
    {"L_NOTICE", L_NOTICE}, {"L_INFO", L_INFO}, {"L_DBG", L_DBG},
    {"L_DEBUG", L_DBG},
};

static int fixup_level(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param;
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcmp(s, levels[i].name) == 0) {
			*param = (void *)(long)levels[i].level;
			return SV_OK;
		}
	return fixup_error(ctx,
	                   "unknown log level \"%s\" (L_ALERT, L_CRIT, "
	                   "L_ERR, L_WARN, L_NOTICE, L_INFO, L_DBG)",
	                   s);
}

static int fixup_format(struct fixup_ctx *ctx, void **param, int idx)
{
	struct xlog_fmt *x = malloc(sizeof(*x));
	int rc;

	if (x == NULL)
		return fixup_error(ctx, "out of memory");
	rc = fixup_pvfmt(ctx, param, idx);
	if (rc != SV_OK) {
		free(x);
		return rc;
	}
	x->fmt = *param;
	x->file = ctx->pos.file;
	x->line = ctx->pos.line;
	*param = x;
	return SV_OK;
}

static void free_format(void **param, int idx)
{
	struct xlog_fmt *x = *param;

	if (x)
		pv_format_free(x->fmt);
	free(x);
	*param = NULL;
}

/* xlog(format) or xlog(level, format) */
static int fixup_xlog(struct fixup_ctx *ctx, void **param, int idx)
{
	if (ctx->argc == 2 && idx == 0)
		return fixup_level(ctx, param, idx);
	return fixup_format(ctx, param, idx);
}

static void free_xlog2(void **param, int idx)
{
	if (idx == 1)
		free_format(param, idx);
}

/* ----------------------------------------------------------- $C(xy) -- */

/* ANSI colour digit of a colour letter; -1 when not one. */
static int color_digit(char c)
{
	static const char letters[] = "srgybpcw"; /* 0..7, x: default 9 */
	const char *p;

	c = (char)(c | 0x20);
	if (c == 'x')
		return 9;
	p = c ? strchr(letters, c) : NULL;
	return p ? (int)(p - letters) : -1;
}

/*
 * "xy": x the foreground (upper case: bold), y the background; the
 * escape sequence is kept as the spec's name.
 */
static int parse_color(struct pv_spec *sp, const str *in, char *err, int errlen)
{
	int fg, bg;
	char seq[32];

	if (in->len != 2 || (fg = color_digit(in->s[0])) < 0 ||
	    (bg = color_digit(in->s[1])) < 0 ||
	    (in->s[1] >= 'A' && in->s[1] <= 'Z')) {
		snprintf(err, (size_t)errlen,
		         "invalid colour '%.*s' (two letters of xsrgybpcw, the "
		         "first in upper case for bold)",
		         STR_FMT(in));
		return SV_EINVAL;
	}
	sp->name.s.len = snprintf(seq, sizeof(seq), "\033[%d;3%d;4%dm",
	                          in->s[0] >= 'a' ? 0 : 1, fg, bg);
	sp->name.s.s = strdup(seq);
	if (sp->name.s.s == NULL)
		return SV_ENOMEM;
	sp->name.type = PV_NAME_STR;
	return SV_OK;
}

static int get_color(struct sip_msg *msg, const struct pv_spec *sp,
                     struct pv_value *res)
{
	static char empty[] = "";

	res->flags = PV_VAL_STR;
	if (log_to_stderr() || force_color) {
		res->rs = sp->name.s;
	} else {
		res->rs.s = empty;
		res->rs.len = 0;
	}
	return SV_OK;
}

static const struct pv_export pvs[] = {
    {"C", PVT_XLOG_COLOR, 0, parse_color, get_color, NULL},
    {NULL, 0, 0, NULL, NULL, NULL},
};

static const struct cmd_export cmds[] = {
    {"xlog", w_xlog1, 1, fixup_xlog, ANY_ROUTE, free_format},
    {"xlog", w_xlog2, 2, fixup_xlog, ANY_ROUTE, free_xlog2},
    {"xdbg", w_xdbg, 1, fixup_format, ANY_ROUTE, free_format},
    {NULL, NULL, 0, NULL, 0, NULL},
};

static const struct param_export params[] = {
    {"buf_size", PARAM_INT, &buf_size},
    {"force_color", PARAM_INT, &force_color},
    {NULL, 0, NULL},
};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "xlog",
    .cmds = cmds,
    .params = params,
    .pvs = pvs,
    .mod_init = mod_init,
    .destroy = mod_destroy,
};
