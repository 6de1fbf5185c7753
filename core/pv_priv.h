/*
 * pv_priv.h - what the files implementing the core pseudo-variables share:
 * value helpers and the getter/setter declarations the table in
 * pv_core.c points to.  Not for modules (they use pv.h).
 *
 * Getters never fail on a missing field: they return SV_OK with a null
 * value ($fn of a From without display name, $rs of a request ...).  A
 * header that does not parse also reads as null; the parser has then
 * recorded the error in msg->err, which the interpreter notices after the
 * statement (error_route).  Strings are views into the message, into the
 * owning object ($var, AVP), or into a per-process buffer (numbers printed,
 * $si, $ds, $hdr(..[*]) ...) valid until the same getter runs again.
 */
#ifndef SERVAL_CORE_PV_PRIV_H
#define SERVAL_CORE_PV_PRIV_H

#include "errors.h"
#include "pv.h"

struct sip_msg;

static inline int pv_null(struct pv_value *res)
{
	res->flags = PV_VAL_NULL;
	res->rs.s = NULL;
	res->rs.len = 0;
	res->ri = 0;
	return SV_OK;
}

/* A string value (a view; NULL or absent gives null). */
static inline int pv_str(struct pv_value *res, const str *s)
{
	if (!s || !s->s)
		return pv_null(res);
	res->flags = PV_VAL_STR;
	res->rs = *s;
	res->ri = 0;
	return SV_OK;
}

/*
 * An integer value with its decimal text (in a small per-process ring of
 * buffers, so a few values may be alive at once).
 */
int pv_int(struct pv_value *res, long n);

/* An integer with its text already known (a view, e.g. "5060" of a URI). */
static inline int pv_int_str(struct pv_value *res, long n, const str *s)
{
	res->flags = PV_VAL_INT | PV_VAL_STR;
	res->ri = n;
	res->rs = *s;
	return SV_OK;
}

#define PV_GETTER(name)                                                        \
	int name(struct sip_msg *msg, const struct pv_spec *sp,                \
	         struct pv_value *res)
#define PV_SETTER(name)                                                        \
	int name(struct sip_msg *msg, const struct pv_spec *sp, int op,        \
	         const struct pv_value *val)

/* pv_ruri.c: R-URI, original R-URI, destination URI */
PV_GETTER(pv_get_ruri);
PV_GETTER(pv_get_ruri_attr);
PV_GETTER(pv_get_ouri);
PV_GETTER(pv_get_ouri_attr);
PV_GETTER(pv_get_dsturi);
PV_GETTER(pv_get_dsturi_attr);
PV_SETTER(pv_set_ruri);
PV_SETTER(pv_set_ruri_part);
PV_SETTER(pv_set_dsturi);

/* pv_addr.c: From, To and the other address headers */
PV_GETTER(pv_get_addr);

/* pv_msg.c: headers and message fields */
PV_GETTER(pv_get_msg);
PV_GETTER(pv_get_hdr);

/* pv_misc.c: network, flags, time, errors, branches */
PV_GETTER(pv_get_misc);
PV_GETTER(pv_get_flags);
PV_GETTER(pv_get_err);
PV_GETTER(pv_get_branch);
PV_SETTER(pv_set_branch);
PV_SETTER(pv_set_force_sock);

/* pv_auth.c: credentials */
PV_GETTER(pv_get_auth);

/* pv_avp.c: containers */
PV_GETTER(pv_get_avp);
PV_SETTER(pv_set_avp);
PV_GETTER(pv_get_var);
PV_SETTER(pv_set_var);

#endif /* SERVAL_CORE_PV_PRIV_H */
