/*
 * module_param.c - modparam(): finding the parameter, converting the value,
 * storing it.
 *
 * A PARAM_STR parameter without a setter receives a private copy of the
 * string; the copies are remembered per module (struct module_strparam)
 * so that setting the parameter again, or unloading the module, frees the
 * previous one.  Conversions are documented in module.h.
 */
#include "module.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errors.h"

struct module_strparam {
	void *target; /* the module's char * variable */
	char *copy;
	struct module_strparam *next;
};

void module_free_strparams(struct module *m)
{
	struct module_strparam *p = m->strs, *next;

	for (; p; p = next) {
		next = p->next;
		free(p->copy);
		free(p);
	}
	m->strs = NULL;
}

static const struct param_export *find_param(const struct module *m,
                                             const char *name)
{
	const struct param_export *p;

	for (p = m->exports->params; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* Strict integer: optional '-', decimal or 0x hex, nothing else. */
static int str_to_int(const char *s, int *out)
{
	const char *d = (s[0] == '-') ? s + 1 : s;
	int base = (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) ? 16 : 10;
	char *end;
	long v;

	if (!isdigit((unsigned char)d[0]))
		return SV_EINVAL;
	errno = 0;
	v = strtol(s, &end, base);
	if (*end || errno == ERANGE || v < -2147483648L || v > 2147483647L)
		return SV_EINVAL;
	*out = (int)v;
	return SV_OK;
}

static int store_str(struct module *m, const struct param_export *p,
                     const char *s)
{
	struct module_strparam *sp;
	char *copy = strdup(s);

	if (!copy)
		return SV_ENOMEM;
	for (sp = m->strs; sp; sp = sp->next)
		if (sp->target == p->value)
			break;
	if (!sp) {
		sp = calloc(1, sizeof(*sp));
		if (!sp) {
			free(copy);
			return SV_ENOMEM;
		}
		sp->target = p->value;
		sp->next = m->strs;
		m->strs = sp;
	}
	free(sp->copy);
	sp->copy = copy;
	*(char **)p->value = copy;
	return SV_OK;
}

/* Converts value (of type) to what p wants and stores or hands it over. */
static int apply_param(struct module *m, const struct param_export *p, int type,
                       const void *value, char *err, int errlen)
{
	int base = p->type & ~PARAM_USE_FUNC, ival = 0, rc;
	const char *sval = NULL;
	char num[16];
	param_setter setter;

	if (base == PARAM_INT && type == PARAM_INT) {
		ival = *(const int *)value;
	} else if (base == PARAM_INT) {
		if (str_to_int(value, &ival) != SV_OK) {
			snprintf(err, errlen,
			         "parameter '%s' of module '%s' "
			         "expects an integer, found \"%s\"",
			         p->name, m->exports->name,
			         (const char *)value);
			return SV_EINVAL;
		}
	} else if (type == PARAM_STR) {
		sval = value;
	} else {
		snprintf(num, sizeof(num), "%d", *(const int *)value);
		sval = num;
	}
	if (!(p->type & PARAM_USE_FUNC)) {
		if (base == PARAM_INT) {
			*(int *)p->value = ival;
			return SV_OK;
		}
		return store_str(m, p, sval);
	}
	setter = (param_setter)p->value;
	rc = setter(base, base == PARAM_INT ? (void *)&ival : (void *)sval);
	if (rc < 0) {
		snprintf(err, errlen,
		         "module '%s' refused the value of parameter '%s'",
		         m->exports->name, p->name);
		return SV_EINVAL;
	}
	return SV_OK;
}

static int is_regex(const char *s)
{
	return strpbrk(s, "|*+?()[]{}^$\\.") != NULL;
}

/* Does module m match name (plain, case-insensitive) or regex re? */
static int module_matches(const struct module *m, const char *name,
                          const regex_t *re)
{
	if (re)
		return regexec(re, m->exports->name, 0, NULL, 0) == 0;
	return strcasecmp(m->exports->name, name) == 0;
}

static int compile_name(const char *module, regex_t *re, char *err, int errlen)
{
	char *pat;
	size_t n = strlen(module) + 5;
	int rc;

	pat = malloc(n);
	if (!pat)
		return SV_ENOMEM;
	snprintf(pat, n, "^(%s)$", module);
	rc = regcomp(re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	free(pat);
	if (rc != 0) {
		snprintf(err, errlen, "invalid module name expression '%s'",
		         module);
		return SV_EINVAL;
	}
	return SV_OK;
}

int module_set_param(const char *module, const char *param, int type,
                     const void *value, int *bad_arg, char *err, int errlen)
{
	const struct param_export *p;
	int matched = 0, applied = 0, rc = SV_OK;
	regex_t re, *rep = NULL;
	struct module *m;

	*bad_arg = 0;
	if (is_regex(module)) {
		rc = compile_name(module, &re, err, errlen);
		if (rc != SV_OK)
			return rc;
		rep = &re;
	}
	for (m = module_list; m && rc == SV_OK; m = m->next) {
		if (!module_matches(m, module, rep))
			continue;
		matched++;
		p = find_param(m, param);
		if (!p)
			continue;
		applied++;
		rc = apply_param(m, p, type, value, err, errlen);
		if (rc != SV_OK)
			*bad_arg = 2;
	}
	if (rep)
		regfree(rep);
	if (rc != SV_OK)
		return rc;
	if (!matched) {
		snprintf(err, errlen,
		         "module '%s' is not loaded (loadmodule "
		         "must come before its modparam)",
		         module);
		return SV_ENOTFOUND;
	}
	if (!applied) {
		*bad_arg = 1;
		snprintf(err, errlen, "module '%s' has no parameter '%s'",
		         module, param);
		return SV_ENOTFOUND;
	}
	return SV_OK;
}
