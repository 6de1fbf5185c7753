/*
 * script_var.c - the table of $var variables (see script_var.h).
 *
 * A plain array that grows while the script is fixed up; interning walks
 * it (a script names a few dozen variables at most, and only once).
 */
#include "script_var.h"

#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "log.h"

static struct script_var *vars;
static int nvars, cap_vars;

int script_var_intern(const str *name)
{
	struct script_var *n;
	int i;

	for (i = 0; i < nvars; i++)
		if ((int)strlen(vars[i].name) == name->len &&
		    memcmp(vars[i].name, name->s, name->len) == 0)
			return i;
	if (nvars == cap_vars) {
		int cap = cap_vars ? 2 * cap_vars : 16;

		n = realloc(vars, cap * sizeof(*vars));
		if (!n)
			return SV_ENOMEM;
		vars = n;
		cap_vars = cap;
	}
	n = &vars[nvars];
	memset(n, 0, sizeof(*n));
	n->name = malloc(name->len + 1);
	if (!n->name)
		return SV_ENOMEM;
	memcpy(n->name, name->s, name->len);
	n->name[name->len] = '\0';
	return nvars++;
}

struct script_var *script_var_get(int idx)
{
	return (idx >= 0 && idx < nvars) ? &vars[idx] : NULL;
}

void script_var_set_int(struct script_var *v, long n)
{
	v->is_str = 0;
	v->n = n;
	v->s.s = NULL;
	v->s.len = 0;
}

int script_var_set_str(struct script_var *v, const str *s)
{
	char *b;

	if (s->len + 1 > v->cap) {
		int cap = s->len + 1 < 64 ? 64 : s->len + 1;

		b = malloc(cap);
		if (!b) {
			LM_ERR("out of memory for $var(%s)\n", v->name);
			return SV_ENOMEM;
		}
		if (s->len) /* s may point into the old buffer */
			memcpy(b, s->s, s->len);
		free(v->buf);
		v->buf = b;
		v->cap = cap;
	} else if (s->len) {
		memmove(v->buf, s->s, s->len);
	}
	v->buf[s->len] = '\0';
	v->is_str = 1;
	v->n = 0;
	v->s.s = v->buf;
	v->s.len = s->len;
	return SV_OK;
}

void script_vars_free(void)
{
	int i;

	for (i = 0; i < nvars; i++) {
		free(vars[i].name);
		free(vars[i].buf);
	}
	free(vars);
	vars = NULL;
	nvars = cap_vars = 0;
}
