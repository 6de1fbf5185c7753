/*
 * uri.c - the uri module of OpenSER 1.2: checks on the To header and the
 * Request-URI.
 *
 *   if (has_totag()) { ...in-dialog... }
 *   if (uri_param("transport", "tcp")) ...
 *   add_uri_param("user=phone");
 *
 * has_totag() reads the To tag (in-dialog requests carry one).  uri_param()
 * and add_uri_param() work on the current Request-URI (msg_ruri(): the one
 * the script may have rewritten).  add_uri_param() replaces the R-URI with
 * a copy carrying the new parameter before any "?headers" part, through
 * set_new_uri(), so every later reader sees it and the printer writes it.
 *
 * Parameter names are compared ignoring case and with escapes decoded, and
 * values ignoring case, as RFC 3261 §19.1.4 compares URIs (OpenSER compared
 * both byte for byte).  The first parameter of that name decides.
 */
#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"
#include "core/parser/to_from.h"
#include "core/parser/uri.h"

#include <stdlib.h>
#include <string.h>

static int w_has_totag(struct sip_msg *msg, void **params)
{
	int rc = parse_to_header(msg);

	if (rc == SV_ENOTFOUND)
		return -1;
	if (rc != SV_OK) {
		LM_ERR("uri: has_totag: bad To header\n");
		return -1;
	}
	return get_to(msg)->tag_value.len > 0 ? 1 : -1;
}

/* value NULL: the parameter must have no value. */
static int ruri_has_param(struct sip_msg *msg, const str *name,
                          const str *value)
{
	str found;

	if (parse_sip_msg_uri(msg) != SV_OK) {
		LM_ERR("uri: uri_param: bad Request-URI\n");
		return -1;
	}
	if (uri_find_param(&msg->parsed_uri, name->s, &found) != SV_OK)
		return -1;
	if (value == NULL)
		return found.len == 0 ? 1 : -1;
	return str_caseeq(&found, value) ? 1 : -1;
}

static int w_uri_param_1(struct sip_msg *msg, void **params)
{
	return ruri_has_param(msg, params[0], NULL);
}

static int w_uri_param_2(struct sip_msg *msg, void **params)
{
	return ruri_has_param(msg, params[0], params[1]);
}

static int w_add_uri_param(struct sip_msg *msg, void **params)
{
	const str *param = params[0];
	const str *ruri;
	char *buf;
	str nu;
	int at, rc;

	if (parse_sip_msg_uri(msg) != SV_OK) {
		LM_ERR("uri: add_uri_param: bad Request-URI\n");
		return -1;
	}
	ruri = &msg->parsed_uri.text;
	/* before "?headers", else at the end */
	at = msg->parsed_uri.headers.s
	         ? (int)(msg->parsed_uri.headers.s - ruri->s - 1)
	         : ruri->len;
	nu.len = ruri->len + 1 + param->len;
	buf = malloc((size_t)nu.len);
	if (buf == NULL) {
		LM_ERR("uri: add_uri_param: out of memory\n");
		return -1;
	}
	memcpy(buf, ruri->s, (size_t)at);
	buf[at] = ';';
	memcpy(buf + at + 1, param->s, (size_t)param->len);
	memcpy(buf + at + 1 + param->len, ruri->s + at,
	       (size_t)(ruri->len - at));
	nu.s = buf;
	rc = set_new_uri(msg, &nu);
	free(buf);
	if (rc != SV_OK) {
		LM_ERR("uri: add_uri_param: out of memory\n");
		return -1;
	}
	return 1;
}

/* A parameter name (uri_param) or a parameter to add: not empty. */
static int fixup_nonempty(struct fixup_ctx *ctx, void **param, int idx)
{
	if (((const char *)*param)[0] == '\0')
		return fixup_error(ctx, "the parameter must not be empty");
	return fixup_str(ctx, param, idx);
}

/* uri_param(name, value): the value may be empty. */
static int fixup_param_value(struct fixup_ctx *ctx, void **param, int idx)
{
	return idx == 0 ? fixup_nonempty(ctx, param, idx)
	                : fixup_str(ctx, param, idx);
}

static const struct cmd_export cmds[] = {
    {"has_totag", w_has_totag, 0, NULL, REQUEST_ROUTE, NULL},
    {"uri_param", w_uri_param_1, 1, fixup_nonempty, REQUEST_ROUTE,
     fixup_free_str},
    {"uri_param", w_uri_param_2, 2, fixup_param_value, REQUEST_ROUTE,
     fixup_free_str},
    {"add_uri_param", w_add_uri_param, 1, fixup_nonempty, REQUEST_ROUTE,
     fixup_free_str},
    {NULL, NULL, 0, NULL, 0, NULL},
};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "uri",
    .cmds = cmds,
};
