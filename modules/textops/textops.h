/*
 * textops.h - what the textops module's files share (module-internal; the
 * module exports only its `exports` table).
 *
 * textops.c holds the tables and the fixups; re_ops.c the functions that
 * work with regular expressions over the whole message; hf_ops.c the
 * header functions, is_method() and has_body().
 */
#ifndef SERVAL_MODULES_TEXTOPS_H
#define SERVAL_MODULES_TEXTOPS_H

#include "cfg/interp.h"
#include "core/lump.h"
#include "core/module.h"
#include "core/str.h"

struct sip_msg;

/*
 * Flags for the edits a function makes now: those made in a branch_route
 * belong to the branch being built and are dropped once it is printed
 * (core/lump.h), the others to the message.
 */
static inline unsigned textops_edit_flags(void)
{
	return route_type() == BRANCH_ROUTE ? LUMP_BRANCH : 0;
}

/*
 * A parsed is_method() argument: the known methods as a METHOD_* mask and
 * the other names, compared ignoring case.
 */
struct method_set {
	unsigned mask;
	int n_names;
	str names[];
};

/*
 * Script functions (cmd_function signature).  params[] hold what the
 * fixups in textops.c made of the arguments: a regex_t * for a regular
 * expression, a str * for text, a struct method_set * for is_method(), a
 * struct pv_format * for append_hf().
 */
int w_search(struct sip_msg *msg, void **params);
int w_search_append(struct sip_msg *msg, void **params);
int w_replace(struct sip_msg *msg, void **params);
int w_replace_all(struct sip_msg *msg, void **params);

int w_append_hf(struct sip_msg *msg, void **params);
int w_append_urihf(struct sip_msg *msg, void **params);
int w_remove_hf(struct sip_msg *msg, void **params);
int w_is_present_hf(struct sip_msg *msg, void **params);
int w_is_method(struct sip_msg *msg, void **params);
int w_has_body(struct sip_msg *msg, void **params);
int w_has_body_mime(struct sip_msg *msg, void **params);

/* Frees re_ops.c's per-process copy of the message (module destroy). */
void textops_re_free(void);

#endif /* SERVAL_MODULES_TEXTOPS_H */
