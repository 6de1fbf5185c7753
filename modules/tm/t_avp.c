/*
 * t_avp.c - the AVPs a transaction keeps, and the timeouts read from AVPs
 * (see t_avp.h).
 */
#include "t_avp.h"
#include "tm_cfg.h"

#include "core/avp.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/pv.h"
#include "core/pv_core.h"

#include <stdio.h>
#include <string.h>

/* Longest timeout an AVP may give, in seconds (as fr_timer's range). */
#define TM_AVP_TIMEOUT_MAX 86400

static struct pv_spec *fr_spec, *fr_inv_spec;

/*
 * Parses the AVP named by parameter name (value s) into *out; NULL or ""
 * leaves it NULL (not used).
 */
static int parse_avp_param(const char *name, const char *s,
                           struct pv_spec **out)
{
	char buf[256], err[128];
	str in;

	*out = NULL;
	if (s == NULL || *s == '\0')
		return SV_OK;
	if (*s == '$')
		snprintf(buf, sizeof(buf), "%s", s);
	else /* OpenSER 1.1's bare form: "i:24", "s:name" */
		snprintf(buf, sizeof(buf), "$avp(%s)", s);
	in = str_from_cstr(buf);
	if (pv_spec_parse(&in, out, err, sizeof(err)) != SV_OK) {
		LM_ERR("tm: %s: %s\n", name, err);
		return SV_EINVAL;
	}
	if ((*out)->exp->type != PVT_AVP || (*out)->idx_type != PV_IDX_NONE) {
		LM_ERR("tm: %s: '%s' is not an AVP\n", name, s);
		pv_spec_free(*out);
		*out = NULL;
		return SV_EINVAL;
	}
	return SV_OK;
}

int tm_avp_params_init(void)
{
	if (parse_avp_param("fr_timer_avp", tm_cfg.fr_timer_avp, &fr_spec) !=
	    SV_OK)
		return SV_EINVAL;
	return parse_avp_param("fr_inv_timer_avp", tm_cfg.fr_inv_timer_avp,
	                       &fr_inv_spec);
}

void tm_avp_params_free(void)
{
	pv_spec_free(fr_spec);
	pv_spec_free(fr_inv_spec);
	fr_spec = fr_inv_spec = NULL;
}

/* The timeout held by sp's AVP, in ms; 0 when none or unusable. */
static uint32_t avp_timeout(struct sip_msg *msg, const struct pv_spec *sp)
{
	struct pv_value v;
	long n;

	if (sp == NULL || pv_get(msg, sp, &v) != SV_OK ||
	    (v.flags & PV_VAL_NULL))
		return 0;
	if (pv_value_to_int(&v, &n) != SV_OK || n < 0 ||
	    n > TM_AVP_TIMEOUT_MAX) {
		LM_WARN("tm: %.*s does not hold a timeout in seconds (0..%d): "
		        "the parameter's value is used\n",
		        STR_FMT(&sp->text), TM_AVP_TIMEOUT_MAX);
		return 0;
	}
	return (uint32_t)n * 1000u;
}

void tm_avp_timeouts(struct sip_msg *msg, uint32_t *fr_ms, uint32_t *fr_inv_ms)
{
	*fr_ms = avp_timeout(msg, fr_spec);
	*fr_inv_ms = avp_timeout(msg, fr_inv_spec);
}

int tm_avp_store(struct cell *t)
{
	avp_list_t *cur = avp_get_list();
	int rc;

	if (cur == &t->avps)
		return SV_OK;
	/* nothing to store, nothing stored: no lock (the usual case) */
	if (*cur == NULL && __atomic_load_n(&t->avps, __ATOMIC_ACQUIRE) == NULL)
		return SV_OK;
	lock_get(&t->avp_lock);
	avp_list_free(&t->avps);
	rc = avp_list_copy(*cur, &t->avps);
	lock_release(&t->avp_lock);
	return rc;
}
