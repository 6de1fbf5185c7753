/*
 * act_misc.c - log([level,] text), setdebug([level]), pv_printf($pv,
 * "format") and its older name avp_printf.
 *
 * log("text") logs at L_DBG, as OpenSER's did.  setdebug(level) gives the
 * calling process its own log level (OpenSER 1.3); setdebug() returns it
 * to the server-wide level (MI "debug").  pv_printf prints the format
 * (pseudo-variables expanded) and assigns the result as "=" would.
 */
#include "actions.h"
#include "fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/msg_builder.h"
#include "core/pv.h"

/* log(level, text) */
FIXUP(fixup_log2)
{
	if (idx == 0)
		return fixup_int(ctx, param, idx);
	return fixup_str(ctx, param, idx);
}

FIXUP_FREE(free_log2)
{
	if (idx == 1)
		fixup_free_str(param, idx);
}

/* pv_printf($pv, "format") */
FIXUP(fixup_pv_printf)
{
	int rc;

	if (idx == 1)
		return fixup_pvfmt(ctx, param, idx);
	rc = fixup_pvspec(ctx, param, idx);
	if (rc == SV_OK && !pv_is_writable(*param))
		return fixup_error(ctx, "%s cannot be written",
		                   ((struct pv_spec *)*param)->text.s);
	return rc;
}

FIXUP_FREE(free_pv_printf)
{
	if (idx == 1)
		fixup_free_pvfmt(param, idx);
	else
		fixup_free_pvspec(param, idx);
}

ACTION(w_log1)
{
	const str *text = params[0];

	LOG(L_DBG, "%.*s", STR_FMT(text));
	return 1;
}

ACTION(w_log2)
{
	const str *text = params[1];

	LOG(fixup_get_int(params[0]), "%.*s", STR_FMT(text));
	return 1;
}

ACTION(w_setdebug0)
{
	log_reset_proc_level();
	return 1;
}

ACTION(w_setdebug1)
{
	log_set_proc_level(fixup_get_int(params[0]));
	return 1;
}

ACTION(w_pv_printf)
{
	static char buf[SIP_MSG_MAX];
	struct pv_value v;
	int rc;

	rc = pv_format_print(msg, params[1], buf, sizeof(buf), &v.rs);
	if (rc == SV_OK) {
		v.flags = PV_VAL_STR;
		v.ri = 0;
		rc = pv_set(msg, params[0], PV_OP_SET, &v);
	}
	if (rc != SV_OK)
		LM_ERR("pv_printf: %s\n", sv_strerror(rc));
	return rc == SV_OK ? 1 : rc;
}
