/*
 * textops.c - the textops module of OpenSER 1.2: text operations on the
 * message from the script.  This file holds the tables and the fixups;
 * re_ops.c and hf_ops.c the functions (see textops.h).
 *
 *   if (is_method("INVITE|SUBSCRIBE")) ...
 *   if (search("^User-Agent:.*softphone")) ...
 *   replace_all("[Pp]rivate", "public");
 *   remove_hf("P-Preferred-Identity");
 *   append_hf("P-hint: relayed by $Ri\r\n");
 *
 * Arguments are converted once, at fixup: regular expressions compiled
 * (POSIX extended, case-insensitive, REG_NEWLINE, as OpenSER), header
 * names and texts copied, is_method()'s list turned into a method mask plus
 * the names of methods serval does not know, append_hf()'s text split into
 * literal and pseudo-variable parts.
 */
#include "textops.h"

#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/module.h"
#include "core/parser/method.h"
#include "core/pv.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#define ANY_BUT_ERR                                                            \
	(REQUEST_ROUTE | FAILURE_ROUTE | ONREPLY_ROUTE | BRANCH_ROUTE)

/* Compiles *param with flags into a malloc'ed regex_t. */
static int fixup_re_flags(struct fixup_ctx *ctx, void **param, int flags)
{
	const char *s = *param;
	regex_t *re = malloc(sizeof(*re));
	char msg[160];
	int rc;

	if (!re)
		return fixup_error(ctx, "out of memory");
	rc = regcomp(re, s, flags);
	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		free(re);
		return fixup_error(ctx, "bad regular expression \"%s\": %s", s,
		                   msg);
	}
	*param = re;
	return SV_OK;
}

/* search(re): only whether it matches. */
static int fixup_search(struct fixup_ctx *ctx, void **param, int idx)
{
	return fixup_re_flags(
	    ctx, param, REG_EXTENDED | REG_ICASE | REG_NEWLINE | REG_NOSUB);
}

/* (re, text): where it matches, and a text. */
static int fixup_re_text(struct fixup_ctx *ctx, void **param, int idx)
{
	if (idx == 0)
		return fixup_re_flags(ctx, param,
		                      REG_EXTENDED | REG_ICASE | REG_NEWLINE);
	return fixup_str(ctx, param, idx);
}

static void free_re_text(void **param, int idx)
{
	if (idx == 0)
		fixup_free_regex(param, idx);
	else
		fixup_free_str(param, idx);
}

/* A header name: a non-empty token (no blanks, no ':'). */
static int fixup_hname(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param, *p;

	if (*s == '\0')
		return fixup_error(ctx, "empty header name");
	for (p = s; *p; p++)
		if (*p == ':' || isspace((unsigned char)*p))
			return fixup_error(ctx, "bad header name \"%s\"", s);
	return fixup_str(ctx, param, idx);
}

/* "type/subtype" for has_body(mime). */
static int fixup_mime(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param, *slash = strchr(s, '/');

	if (!slash || slash == s || slash[1] == '\0' || strchr(slash + 1, '/'))
		return fixup_error(ctx,
		                   "expected \"type/subtype\", found "
		                   "\"%s\"",
		                   s);
	return fixup_str(ctx, param, idx);
}

/*
 * append_hf(txt): a format with pseudo-variables.  When it ends with
 * literal text, that text must end the line with "\r\n" (OpenSER wrote
 * whatever it was given, gluing a line without CR LF to the next header).
 */
static int fixup_hf_line(struct fixup_ctx *ctx, void **param, int idx)
{
	const struct pv_format *f;
	const str *last;
	int rc = fixup_pvfmt(ctx, param, idx);

	if (rc != SV_OK)
		return rc;
	f = *param;
	last = f->has_pv ? &f->parts[f->n - 1].text : &f->whole;
	if ((!f->has_pv || f->parts[f->n - 1].spec == NULL) &&
	    (last->len < 2 || last->s[last->len - 2] != '\r' ||
	     last->s[last->len - 1] != '\n')) {
		fixup_free_pvfmt(param, idx);
		return fixup_error(ctx, "the header must end with \"\\r\\n\"");
	}
	return SV_OK;
}

/* Counts the elements of "A|B|C"; 0 when one of them is empty. */
static int count_methods(const char *s)
{
	int n = 1;
	const char *p;

	if (*s == '\0' || *s == '|')
		return 0;
	for (p = s; *p; p++)
		if (*p == '|') {
			if (p[1] == '\0' || p[1] == '|')
				return 0;
			n++;
		}
	return n;
}

/* Adds one element to the set: a known method's bit, or its name. */
static int add_method(struct fixup_ctx *ctx, struct method_set *set,
                      char **names, const char *s, int len)
{
	str e = {(char *)s, len};
	unsigned m;
	int i;

	if (method_mask_parse(&e, &m) == SV_OK) {
		set->mask |= m;
		return SV_OK;
	}
	for (i = 0; i < len; i++)
		if (isspace((unsigned char)s[i]) ||
		    !isprint((unsigned char)s[i]))
			return fixup_error(ctx, "bad method name \"%.*s\"", len,
			                   s);
	memcpy(*names, s, (size_t)len);
	set->names[set->n_names].s = *names;
	set->names[set->n_names++].len = len;
	*names += len;
	return SV_OK;
}

/*
 * is_method("INVITE|BYE|FOO"): a struct method_set (one block: the set,
 * its str array, then the characters of the unknown names).
 */
static int fixup_methods(struct fixup_ctx *ctx, void **param, int idx)
{
	const char *s = *param, *p, *bar;
	int n = count_methods(s), rc;
	struct method_set *set;
	char *names;

	if (n == 0)
		return fixup_error(ctx, "empty method name in \"%s\"", s);
	set = calloc(1, sizeof(*set) + (size_t)n * sizeof(str) + strlen(s));
	if (!set)
		return fixup_error(ctx, "out of memory");
	names = (char *)(set->names + n);
	for (p = s; *p; p = *bar ? bar + 1 : bar) {
		bar = strchr(p, '|');
		if (!bar)
			bar = p + strlen(p);
		rc = add_method(ctx, set, &names, p, (int)(bar - p));
		if (rc != SV_OK) {
			free(set);
			return rc;
		}
	}
	*param = set;
	return SV_OK;
}

static void free_methods(void **param, int idx)
{
	free(*param);
	*param = NULL;
}

static const struct cmd_export cmds[] = {
    {"search", w_search, 1, fixup_search, ANY_BUT_ERR, fixup_free_regex},
    {"search_append", w_search_append, 2, fixup_re_text,
     REQUEST_ROUTE | FAILURE_ROUTE | BRANCH_ROUTE, free_re_text},
    {"replace", w_replace, 2, fixup_re_text, ANY_BUT_ERR, free_re_text},
    {"replace_all", w_replace_all, 2, fixup_re_text, ANY_BUT_ERR, free_re_text},
    {"append_hf", w_append_hf, 1, fixup_hf_line, ANY_BUT_ERR, fixup_free_pvfmt},
    {"append_urihf", w_append_urihf, 2, fixup_str,
     REQUEST_ROUTE | FAILURE_ROUTE, fixup_free_str},
    {"remove_hf", w_remove_hf, 1, fixup_hname, ANY_BUT_ERR, fixup_free_str},
    {"is_present_hf", w_is_present_hf, 1, fixup_hname, ANY_BUT_ERR,
     fixup_free_str},
    {"is_method", w_is_method, 1, fixup_methods, ANY_BUT_ERR, free_methods},
    {"has_body", w_has_body, 0, NULL, ANY_BUT_ERR, NULL},
    {"has_body", w_has_body_mime, 1, fixup_mime, ANY_BUT_ERR, fixup_free_str},
    {NULL, NULL, 0, NULL, 0, NULL},
};

static void mod_destroy(void)
{
	textops_re_free();
}

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "textops",
    .cmds = cmds,
    .destroy = mod_destroy,
};
