/*
 * pv.c - pseudo-variable registry, spec parser and format-string splitter.
 *
 * The registry is the core table (pv_core.c, always present) plus a small
 * array of module exports; lookups are linear, which is fine because they
 * only happen while the script is fixed up.
 *
 * The extent of a pseudo-variable in running text (pv_scan) is shared with
 * the script lexer so that "$avp(s:x)==1" and "Invalid user - $fU." split
 * the same way everywhere: a name of letters, digits, '_' and inner dots
 * ("err.rcode"), then optionally one balanced "(...)"; or "$(" ... ")".
 */
#include "pv.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "pv_core.h"

struct pv_reg {
	const struct pv_export *exp;
	char *owner;
};

static struct pv_reg *regs;
static int nregs, regs_cap;

static int is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

const struct pv_export *pv_lookup(const char *name, int len)
{
	const struct pv_export *e;
	int i;

	for (e = pv_core_exports; e->name; e++)
		if ((int)strlen(e->name) == len &&
		    memcmp(e->name, name, len) == 0)
			return e;
	for (i = 0; i < nregs; i++)
		if ((int)strlen(regs[i].exp->name) == len &&
		    memcmp(regs[i].exp->name, name, len) == 0)
			return regs[i].exp;
	return NULL;
}

static const char *owner_of(const struct pv_export *e)
{
	int i;

	for (i = 0; i < nregs; i++)
		if (regs[i].exp == e)
			return regs[i].owner;
	return "core";
}

static int valid_export_name(const char *n)
{
	int i;

	if (!n || !is_name_start(n[0]))
		return 0;
	for (i = 1; n[i]; i++)
		if (!is_name_char(n[i]) &&
		    !(n[i] == '.' && is_name_char(n[i + 1])))
			return 0;
	return 1;
}

int pv_register(const struct pv_export *exp, const char *owner, char *err,
                int errlen)
{
	const struct pv_export *old;
	struct pv_reg *n;

	if (!valid_export_name(exp->name)) {
		snprintf(err, errlen, "invalid pseudo-variable name '%s'",
		         exp->name ? exp->name : "(null)");
		return SV_EINVAL;
	}
	old = pv_lookup(exp->name, (int)strlen(exp->name));
	if (old) {
		snprintf(err, errlen,
		         "pseudo-variable $%s is already exported by %s",
		         exp->name, owner_of(old));
		return SV_EEXIST;
	}
	if (nregs == regs_cap) {
		int cap = regs_cap ? regs_cap * 2 : 16;

		n = realloc(regs, cap * sizeof(*regs));
		if (!n)
			return SV_ENOMEM;
		regs = n;
		regs_cap = cap;
	}
	regs[nregs].owner = strdup(owner);
	if (!regs[nregs].owner)
		return SV_ENOMEM;
	regs[nregs].exp = exp;
	nregs++;
	return SV_OK;
}

int pv_register_table(const struct pv_export *tab, const char *owner, char *err,
                      int errlen)
{
	int rc;

	for (; tab && tab->name; tab++) {
		rc = pv_register(tab, owner, err, errlen);
		if (rc != SV_OK) {
			pv_unregister_owner(owner);
			return rc;
		}
	}
	return SV_OK;
}

void pv_unregister_owner(const char *owner)
{
	int i, j = 0;

	for (i = 0; i < nregs; i++) {
		if (strcmp(regs[i].owner, owner) == 0)
			free(regs[i].owner);
		else
			regs[j++] = regs[i];
	}
	nregs = j;
	if (nregs == 0) {
		free(regs);
		regs = NULL;
		regs_cap = 0;
	}
}

/* s[start] opens a bracket; returns the index after its match, or -1. */
static int balanced_end(const char *s, int len, int start)
{
	int depth = 0, i;

	for (i = start; i < len; i++) {
		char c = s[i];

		if (c == '\n' || c == '\r')
			return -1;
		if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return -1;
}

/* Length of a (possibly dotted) name at s, 0 if none. */
static int name_len(const char *s, int len)
{
	int i = 0;

	if (len < 1 || !is_name_start(s[0]))
		return 0;
	while (i < len && is_name_char(s[i]))
		i++;
	while (i + 1 < len && s[i] == '.' && is_name_char(s[i + 1])) {
		i++;
		while (i < len && is_name_char(s[i]))
			i++;
	}
	return i;
}

/* Cuts a dotted name back to its longest registered prefix, if any. */
static int name_backoff(const char *s, int n)
{
	int k = n;

	while (!pv_lookup(s, k)) {
		while (k > 0 && s[k - 1] != '.')
			k--;
		if (k == 0)
			return n;
		k--;
	}
	return k;
}

int pv_scan(const char *s, int len)
{
	int n, e;

	if (len < 2 || s[0] != '$')
		return 0;
	if (s[1] == '(')
		return balanced_end(s, len, 1);
	n = name_len(s + 1, len - 1);
	if (n == 0)
		return 0;
	n = name_backoff(s + 1, n);
	if (1 + n < len && s[1 + n] == '(') {
		e = balanced_end(s, len, 1 + n);
		return e;
	}
	return 1 + n;
}
