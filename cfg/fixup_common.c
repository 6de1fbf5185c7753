/*
 * fixup_common.c - fixup_error() and the fixups modules share.
 *
 * Each converts the literal argument in *param (script memory, never
 * freed here) into its run-time form.  Integers are kept in the pointer
 * itself so reading them costs nothing; everything else is malloc'ed and
 * released by the matching fixup_free_* when the script is freed.
 */
#include "fixup.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"
#include "core/errors.h"
#include "core/pv.h"

int fixup_error(struct fixup_ctx *ctx, const char *fmt, ...)
{
	char msg[CFG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cfg_error(&ctx->pos, "%s: %s", ctx->func, msg);
}

int fixup_int(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param;
	const char *d = (s[0] == '-') ? s + 1 : s;
	int base = (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) ? 16 : 10;
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, base);
	if (!isdigit((unsigned char)d[0]) || *end)
		return fixup_error(ctx, "expected an integer, found \"%s\"", s);
	if (errno == ERANGE || v < -2147483648L || v > 2147483647L)
		return fixup_error(ctx, "integer \"%s\" is out of range", s);
	*param = (void *)v;
	return SV_OK;
}

int fixup_str(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param;
	str *v = malloc(sizeof(*v) + strlen(s) + 1);

	if (!v)
		return fixup_error(ctx, "out of memory");
	v->s = (char *)(v + 1);
	v->len = (int)strlen(s);
	memcpy(v->s, s, v->len + 1);
	*param = v;
	return SV_OK;
}

void fixup_free_str(void **param, int idx)
{
	free(*param);
	*param = NULL;
}

int fixup_pvfmt(struct fixup_ctx *ctx, void **param, int idx)
{
	str in = str_from_cstr(*param);
	struct pv_format *f;
	char err[CFG_ERR_MAX];
	int off, rc;

	rc = pv_format_parse(&in, &f, &off, err, sizeof(err));
	if (rc == SV_ENOMEM)
		return fixup_error(ctx, "out of memory");
	if (rc != SV_OK)
		return fixup_error(ctx, "%s", err);
	*param = f;
	return SV_OK;
}

void fixup_free_pvfmt(void **param, int idx)
{
	pv_format_free(*param);
	*param = NULL;
}

int fixup_pvspec(struct fixup_ctx *ctx, void **param, int idx)
{
	str in = str_from_cstr(*param);
	struct pv_spec *sp;
	char err[CFG_ERR_MAX];
	int rc;

	if (in.len == 0 || in.s[0] != '$')
		return fixup_error(
		    ctx, "expected a pseudo-variable, found \"%s\"", in.s);
	rc = pv_spec_parse(&in, &sp, err, sizeof(err));
	if (rc == SV_ENOMEM)
		return fixup_error(ctx, "out of memory");
	if (rc != SV_OK)
		return fixup_error(ctx, "%s", err);
	*param = sp;
	return SV_OK;
}

void fixup_free_pvspec(void **param, int idx)
{
	pv_spec_free(*param);
	*param = NULL;
}

int fixup_regex(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param;
	regex_t *re = malloc(sizeof(*re));
	char msg[160];
	int rc;

	if (!re)
		return fixup_error(ctx, "out of memory");
	rc = regcomp(re, s, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		free(re);
		return fixup_error(ctx, "bad regular expression \"%s\": %s", s,
		                   msg);
	}
	*param = re;
	return SV_OK;
}

void fixup_free_regex(void **param, int idx)
{
	if (*param) {
		regfree(*param);
		free(*param);
	}
	*param = NULL;
}

/* "01" and "1" name the same numbered route. */
static const char *route_key(const char *name, char *buf, int size)
{
	const char *p = name;
	char *end;

	while (isdigit((unsigned char)*p))
		p++;
	if (p == name || *p)
		return name;
	snprintf(buf, size, "%ld", strtol(name, &end, 10));
	return buf;
}

struct cfg_route *fixup_route_ref(struct fixup_ctx *ctx, int type,
                                  const char *name)
{
	static const char *const blocks[] = {"route", "failure_route",
	                                     "onreply_route", "branch_route",
	                                     "error_route"};
	struct cfg_route *r;
	char key[32];

	r = cfg_route_lookup(ctx->script, type,
	                     route_key(name, key, sizeof(key)));
	if (!r) {
		fixup_error(ctx, "%s[%s] is not defined",
		            blocks[cfg_route_type_index(type)], name);
		return NULL;
	}
	r->referenced = 1;
	return r;
}

static int route_fixup(struct fixup_ctx *ctx, void **param, int type)
{
	struct cfg_route *r = fixup_route_ref(ctx, type, *param);

	if (!r)
		return SV_EINVAL;
	*param = r;
	return SV_OK;
}

int fixup_request_route(struct fixup_ctx *ctx, void **param, int idx)
{
	return route_fixup(ctx, param, REQUEST_ROUTE);
}

int fixup_failure_route(struct fixup_ctx *ctx, void **param, int idx)
{
	return route_fixup(ctx, param, FAILURE_ROUTE);
}

int fixup_onreply_route(struct fixup_ctx *ctx, void **param, int idx)
{
	return route_fixup(ctx, param, ONREPLY_ROUTE);
}

int fixup_branch_route(struct fixup_ctx *ctx, void **param, int idx)
{
	return route_fixup(ctx, param, BRANCH_ROUTE);
}
