/*
 * maxfwd.c - the maxfwd module of OpenSER 1.2: Max-Forwards from the script.
 *
 *   if (!mf_process_maxfwd_header("10")) {
 *           sl_send_reply("483", "Too Many Hops");
 *           exit;
 *   }
 *
 * mf_process_maxfwd_header(max) adds "Max-Forwards: max" to a request that
 * has none, decrements the value of one that has it, and is false when the
 * value is already 0 (the request must not be forwarded, RFC 3261 §16.3
 * item 2).  A received value above max_limit is first lowered to it.
 *
 * The change is a message edit (core/lump.h) made once: the function marks
 * the message MSG_CF_MAXFWD_DONE so the core's printer (core/msg_builder.c),
 * which otherwise decrements Max-Forwards itself, leaves it alone.  A second
 * call on the same message edits nothing and gives the first call's answer,
 * so a script that calls it in two routes does not decrement twice.
 *
 * Only the first Max-Forwards header counts, as in the core.  A value that
 * does not parse (not digits, above 255) is an error (-2); such a request
 * normally never reaches the script, the receive checks answer 400 first.
 */
#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/module.h"
#include "core/parser/msg.h"
#include "core/parser/num_hdr.h"

#include <stdio.h>

#define MAXFWD_MAX       255 /* RFC 3261 §20.22: 0..255 */
#define MAXFWD_LIMIT_MAX 256 /* OpenSER's range for max_limit: 1..256 */

/* Return codes of mf_process_maxfwd_header, as OpenSER documents them. */
#define MF_ADDED       2
#define MF_DECREMENTED 1
#define MF_ZERO        -1
#define MF_ERROR       -2

static int max_limit = MAXFWD_LIMIT_MAX;

static int mod_init(void)
{
	if (max_limit < 1 || max_limit > MAXFWD_LIMIT_MAX) {
		LM_ERR("maxfwd: max_limit %d is out of range 1..%d\n",
		       max_limit, MAXFWD_LIMIT_MAX);
		return SV_EINVAL;
	}
	return SV_OK;
}

/* The argument: an integer 1..255. */
static int fixup_maxfwd(struct fixup_ctx *ctx, void **param, int idx)
{
	int rc = fixup_int(ctx, param, idx), v;

	if (rc != SV_OK)
		return rc;
	v = fixup_get_int(*param);
	if (v < 1 || v > MAXFWD_MAX)
		return fixup_error(ctx,
		                   "Max-Forwards value %d is out of "
		                   "range 1..%d",
		                   v, MAXFWD_MAX);
	return SV_OK;
}

static int add_maxfwd(struct sip_msg *msg, int value)
{
	char line[32];
	str s = {line, 0};

	s.len = snprintf(line, sizeof(line), "Max-Forwards: %d\r\n", value);
	if (lump_append_header(msg, &s, 0) != SV_OK) {
		LM_ERR("maxfwd: cannot add Max-Forwards (out of memory)\n");
		return MF_ERROR;
	}
	return MF_ADDED;
}

/* Replaces the value of the first Max-Forwards header with value. */
static int set_maxfwd(struct sip_msg *msg, int value)
{
	struct hdr_field *h = msg->max_forwards;
	int off = (int)(h->body.s - msg->buf);
	char num[16];
	str s = {num, 0};

	s.len = snprintf(num, sizeof(num), "%d", value);
	if (lump_delete(msg, off, h->body.len, 0) != SV_OK ||
	    lump_insert(msg, off, &s, 0) != SV_OK) {
		LM_ERR("maxfwd: cannot edit Max-Forwards (out of memory)\n");
		return MF_ERROR;
	}
	return MF_DECREMENTED;
}

static int w_process_maxfwd(struct sip_msg *msg, void **params)
{
	int value, rc;

	if (msg->core_flags & MSG_CF_MAXFWD_DONE)
		return msg->max_forwards ? MF_DECREMENTED : MF_ADDED;
	if (msg->max_forwards == NULL) {
		rc = add_maxfwd(msg, fixup_get_int(params[0]));
	} else {
		value = get_max_forwards(msg);
		if (value < 0) {
			LM_ERR("maxfwd: bad Max-Forwards value '%.*s'\n",
			       STR_FMT(&msg->max_forwards->body));
			return MF_ERROR;
		}
		if (value == 0)
			return MF_ZERO;
		if (value > max_limit) {
			LM_DBG("maxfwd: Max-Forwards %d lowered to %d\n", value,
			       max_limit);
			value = max_limit + 1;
		}
		rc = set_maxfwd(msg, value - 1);
	}
	if (rc > 0)
		msg->core_flags |= MSG_CF_MAXFWD_DONE;
	return rc;
}

static const struct cmd_export cmds[] = {
    {"mf_process_maxfwd_header", w_process_maxfwd, 1, fixup_maxfwd,
     REQUEST_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

static const struct param_export params[] = {
    {"max_limit", PARAM_INT, &max_limit},
    {NULL, 0, NULL},
};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "maxfwd",
    .cmds = cmds,
    .params = params,
    .mod_init = mod_init,
};
