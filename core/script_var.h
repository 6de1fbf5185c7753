/*
 * script_var.h - script variables, $var(name): per process, no locking.
 *
 * A $var is not attached to a message: it keeps its value across messages
 * handled by the same process (OpenSER 1.2 semantics), and each process
 * has its own copy.  Names are interned once, when the script is fixed up
 * in the master (the spec keeps the index in name.n), so reading or
 * writing a variable at run time is an array access with no lookup.  The
 * table is built before fork, so every child inherits the names and gets
 * private values.
 *
 * A variable holds an integer or a string; it starts as the integer 0 and
 * "= null" sets it back to 0.  A string value is copied into a buffer the
 * variable owns (malloc), which only grows: a script that assigns strings
 * of similar sizes allocates nothing after the first message.
 */
#ifndef SERVAL_CORE_SCRIPT_VAR_H
#define SERVAL_CORE_SCRIPT_VAR_H

#include "str.h"

struct script_var {
	char *name; /* NUL terminated (malloc) */
	int is_str;
	long n;
	str s; /* s.s is buf when is_str */
	char *buf;
	int cap;
};

/*
 * Returns the index of variable name, adding it (value 0) when new;
 * SV_ENOMEM when it cannot be added.  Master only, while fixing up.
 */
int script_var_intern(const str *name);

/* Returns variable idx (from script_var_intern), or NULL. */
struct script_var *script_var_get(int idx);

/* Sets an integer value. */
void script_var_set_int(struct script_var *v, long n);

/*
 * Sets a string value (copied).  Returns SV_OK, or SV_ENOMEM with the
 * previous value kept.
 */
int script_var_set_str(struct script_var *v, const str *s);

/* Frees every variable (master at exit, tests). */
void script_vars_free(void);

#endif /* SERVAL_CORE_SCRIPT_VAR_H */
