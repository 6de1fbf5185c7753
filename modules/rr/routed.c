/*
 * routed.c - the parameters of the route a request was routed by, and the
 * functions reading them: check_route_param() and is_direction().
 *
 * When loose_route() consumes a Route entry of ours (or our Record-Route
 * URI that a strict router put in the Request-URI), it remembers that
 * URI's parameters (";ftag=a1;nat=yes;lr"): what this proxy wrote with
 * record_route() when the dialog was set up.  The copy is per process (a
 * worker handles one message at a time) and tagged with the message id,
 * so a later message never sees it; it is replaced at each loose_route().
 */
#include "rr_mod.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/parser/msg.h"
#include "core/parser/params.h"
#include "core/parser/to_from.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

static struct {
	unsigned int msg_id;
	int valid; /* a route of ours was consumed for msg_id */
	char *buf; /* ";" + params + NUL */
	int size;
	int len;
} routed;

void rr_routed_free(void)
{
	free(routed.buf);
	memset(&routed, 0, sizeof(routed));
}

void rr_routed_reset(const struct sip_msg *msg)
{
	routed.msg_id = msg->id;
	routed.valid = 0;
	routed.len = 0;
}

int rr_routed_set(const struct sip_msg *msg, const str *params)
{
	int need = params->len + 2;
	char *nb;

	if (need > routed.size) {
		nb = realloc(routed.buf, (size_t)need);
		if (nb == NULL)
			return SV_ENOMEM;
		routed.buf = nb;
		routed.size = need;
	}
	routed.buf[0] = ';';
	memcpy(routed.buf + 1, params->s, (size_t)params->len);
	routed.buf[params->len + 1] = '\0';
	routed.len = params->len + 1;
	routed.msg_id = msg->id;
	routed.valid = 1;
	return SV_OK;
}

int rr_routed_get(const struct sip_msg *msg, str *params)
{
	if (!routed.valid || routed.msg_id != msg->id)
		return SV_ENOTFOUND;
	params->s = routed.buf;
	params->len = routed.len;
	return SV_OK;
}

int w_check_route_param(struct sip_msg *msg, void **params)
{
	str p;

	if (rr_routed_get(msg, &p) != SV_OK)
		return -1;
	return regexec(params[0], p.s, 0, NULL, 0) == 0 ? 1 : -1;
}

/* The value of the ftag parameter remembered for msg, or an empty str. */
static str routed_ftag(const struct sip_msg *msg)
{
	str p, name, value = STR_NULL;
	const char *s, *end, *semi, *eq;

	if (rr_routed_get(msg, &p) != SV_OK)
		return value;
	for (s = p.s + 1, end = p.s + p.len; s < end; s = semi + 1) {
		semi = memchr(s, ';', (size_t)(end - s));
		if (!semi)
			semi = end;
		eq = memchr(s, '=', (size_t)(semi - s));
		name.s = (char *)s;
		name.len = (int)((eq ? eq : semi) - s);
		str_trim(&name);
		if (eq && str_caseeq_lit(&name, "ftag")) {
			value.s = (char *)eq + 1;
			value.len = (int)(semi - eq - 1);
			str_trim(&value);
			return value;
		}
	}
	return value;
}

/*
 * is_direction("downstream"|"upstream"): the request goes downstream
 * (from the caller to the callee) when its From tag is the ftag we
 * recorded, upstream when it differs.  Without an ftag (no route of ours
 * consumed, append_fromtag off when the dialog was set up) or without a
 * From tag, the request counts as downstream, as in OpenSER.
 */
int w_is_direction(struct sip_msg *msg, void **params)
{
	int want = (int)(long)params[0], dir = RR_DOWNSTREAM;
	str ftag = routed_ftag(msg), *tag;

	if (ftag.len > 0 && parse_from_header(msg) == SV_OK) {
		tag = &get_from(msg)->tag_value;
		if (tag->len > 0 && !str_eq(tag, &ftag))
			dir = RR_UPSTREAM;
	}
	return dir == want ? 1 : -1;
}
