/*
 * pv_avp.c - the containers $avp(i:N / s:name) and $var(name).
 *
 * $avp reads the newest value ([N]: the N-th newest, negative from the
 * oldest; [*]: every value, newest first, joined with ", ").  Assigning
 * adds a value ("="), or replaces every value (":=", and "=" on [*]);
 * "= null" deletes the newest value ([N]: that one, [*]: all).  A value
 * that carries an integer is stored as an integer, anything else as a
 * string.  The spec's name holds the integer id, or the string with its
 * hash in name.n (computed once when the script is fixed up).
 *
 * $var reads and writes the per-process variable interned at fixup
 * (name.n is its index); "= null" sets it back to 0.
 */
#include <string.h>

#include "avp.h"
#include "log.h"
#include "msg_builder.h"
#include "pv_core.h"
#include "pv_priv.h"
#include "script_var.h"

static void spec_avp_name(const struct pv_spec *sp, struct avp_name *n)
{
	if (sp->name.type == PV_NAME_INT) {
		avp_name_int(n, (unsigned int)sp->name.n);
		return;
	}
	n->is_str = 1;
	n->s = sp->name.s;
	n->id = (unsigned int)sp->name.n;
}

static int avp_value(const struct usr_avp *a, struct pv_value *res)
{
	struct avp_value v;

	avp_get_value(a, &v);
	return v.is_str ? pv_str(res, &v.s) : pv_int(res, v.n);
}

static int avp_all(const struct avp_name *n, struct pv_value *res)
{
	static char buf[SIP_MSG_MAX];
	struct usr_avp *a;
	struct pv_value v;
	int len = 0;
	str s;

	for (a = avp_search(n); a; a = avp_search_next(a)) {
		avp_value(a, &v);
		if (len + 2 + v.rs.len > (int)sizeof(buf))
			return pv_null(res);
		if (len) {
			memcpy(buf + len, ", ", 2);
			len += 2;
		}
		memcpy(buf + len, v.rs.s, v.rs.len);
		len += v.rs.len;
	}
	if (!len && !avp_search(n))
		return pv_null(res);
	s.s = buf;
	s.len = len;
	return pv_str(res, &s);
}

PV_GETTER(pv_get_avp)
{
	struct avp_name n;
	struct usr_avp *a;

	spec_avp_name(sp, &n);
	if (sp->idx_type == PV_IDX_ALL)
		return avp_all(&n, res);
	a = avp_search_index(&n, sp->idx_type == PV_IDX_INT ? sp->idx : 0);
	return a ? avp_value(a, res) : pv_null(res);
}

static void avp_delete_spec(const struct pv_spec *sp, const struct avp_name *n)
{
	struct usr_avp *a;

	if (sp->idx_type == PV_IDX_ALL) {
		avp_delete(n, 1);
		return;
	}
	a = avp_search_index(n, sp->idx_type == PV_IDX_INT ? sp->idx : 0);
	if (a)
		avp_destroy(a);
}

PV_SETTER(pv_set_avp)
{
	struct usr_avp *first, *old;
	struct avp_value v;
	struct avp_name n;
	int rc;

	spec_avp_name(sp, &n);
	if (!val) {
		avp_delete_spec(sp, &n);
		return SV_OK;
	}
	v.is_str = !(val->flags & PV_VAL_INT);
	v.n = val->ri;
	v.s = val->rs;
	if (v.is_str && !(val->flags & PV_VAL_STR))
		return SV_EINVAL;
	rc = avp_add(&n, &v);
	if (rc != SV_OK || (op != PV_OP_REPLACE && sp->idx_type != PV_IDX_ALL))
		return rc;
	/* the new value may have been read from an old one: delete after */
	first = avp_search(&n);
	while ((old = avp_search_next(first)) != NULL)
		avp_destroy(old);
	return SV_OK;
}

PV_GETTER(pv_get_var)
{
	struct script_var *v = script_var_get((int)sp->name.n);

	if (!v)
		return pv_null(res);
	return v->is_str ? pv_str(res, &v->s) : pv_int(res, v->n);
}

PV_SETTER(pv_set_var)
{
	struct script_var *v = script_var_get((int)sp->name.n);

	if (!v)
		return SV_EINVAL;
	if (!val || (val->flags & PV_VAL_INT)) {
		script_var_set_int(v, val ? val->ri : 0);
		return SV_OK;
	}
	if (!(val->flags & PV_VAL_STR))
		return SV_EINVAL;
	return script_var_set_str(v, &val->rs);
}
