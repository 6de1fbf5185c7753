/*
 * uri_params.c - URI parameters and headers: validation, the well-known
 * parameters of struct sip_uri, lookup and iteration.
 *
 * uri-parameter = pname ["=" pvalue], both 1*paramchar (paramchar =
 * unreserved / param-unreserved / escaped); no LWS anywhere.  A name is
 * matched against the well-known ones after decoding its escapes, so
 * ";%6C%72" is the lr parameter (RFC 4475 §3.1.1.3).
 */
#include <string.h>
#include <strings.h>

#include "../errors.h"
#include "../ip_addr.h"
#include "lex.h"
#include "uri.h"
#include "uri_priv.h"

void uri_param_iter_init(struct uri_param_iter *it, const str *params)
{
	it->p = params->s;
	it->end = params->s ? params->s + params->len : NULL;
}

int uri_param_iter_next(struct uri_param_iter *it, str *name, str *value)
{
	const char *p = it->p, *semi, *eq;

	if (!p || p >= it->end)
		return 0;
	semi = memchr(p, ';', it->end - p);
	if (!semi)
		semi = it->end;
	eq = memchr(p, '=', semi - p);
	name->s = (char *)p;
	name->len = (int)((eq ? eq : semi) - p);
	if (eq) {
		value->s = (char *)eq + 1;
		value->len = (int)(semi - eq - 1);
	} else {
		value->s = NULL;
		value->len = 0;
	}
	it->p = semi < it->end ? semi + 1 : semi;
	return 1;
}

/* Decodes name into buf (size bytes); returns the length or -1. */
static int decoded_name(const str *name, char *buf, int size)
{
	str in = *name;

	if (!memchr(name->s, '%', name->len))
		return -1;
	return uri_unescape(&in, buf, size);
}

/* Returns 1 when param name n equals lit ignoring case and escapes. */
static int pname_is(const str *n, const char *lit)
{
	char buf[16];
	int len;
	str d;

	if (str_caseeq_lit(n, lit))
		return 1;
	len = decoded_name(n, buf, sizeof(buf));
	if (len < 0)
		return 0;
	d.s = buf;
	d.len = len;
	return str_caseeq_lit(&d, lit);
}

static int proto_of(const str *v)
{
	if (str_caseeq_lit(v, "udp"))
		return PROTO_UDP;
	if (str_caseeq_lit(v, "tcp"))
		return PROTO_TCP;
	if (str_caseeq_lit(v, "tls"))
		return PROTO_TLS;
	if (str_caseeq_lit(v, "sctp"))
		return PROTO_SCTP;
	if (str_caseeq_lit(v, "ws") || str_caseeq_lit(v, "wss"))
		return PROTO_WS;
	return PROTO_OTHER;
}

/* Fills the well-known view for one parameter; SV_EBADURI on bad value. */
static int classify(struct sip_uri *u, const str *n, const str *v,
                    const str *whole)
{
	unsigned long long ttl;

	if (pname_is(n, "transport")) {
		u->transport = *whole;
		u->transport_val = *v;
		u->proto = proto_of(v);
	} else if (pname_is(n, "lr")) {
		u->lr = *whole;
		u->lr_val = *v;
	} else if (pname_is(n, "maddr")) {
		if (host_kind(v->s, str_end(v)) < 0)
			return SV_EBADURI;
		u->maddr = *whole;
		u->maddr_val = *v;
	} else if (pname_is(n, "ttl")) {
		if (v->len > 3 || parse_uint_range(v->s, str_end(v), 255,
		                                   &ttl) < 0)
			return SV_EBADURI;
		u->ttl = *whole;
		u->ttl_val = *v;
	} else if (pname_is(n, "user")) {
		u->user_param = *whole;
		u->user_param_val = *v;
	} else if (pname_is(n, "method")) {
		u->method = *whole;
		u->method_val = *v;
	} else if (pname_is(n, "r2")) {
		u->r2 = *whole;
		u->r2_val = *v;
	}
	return SV_OK;
}

int uri_parse_params(struct sip_uri *u)
{
	struct uri_param_iter it;
	str n, v, whole;

	if (u->params.len == 0)
		return SV_EBADURI; /* a ';' with nothing after it */
	uri_param_iter_init(&it, &u->params);
	while (uri_param_iter_next(&it, &n, &v)) {
		if (n.len == 0 || !uri_chars_ok(n.s, n.s + n.len, CT_PARAM))
			return SV_EBADURI;
		if (v.s && (v.len == 0 ||
		            !uri_chars_ok(v.s, v.s + v.len, CT_PARAM)))
			return SV_EBADURI;
		whole.s = n.s;
		whole.len = v.s ? (int)(v.s + v.len - n.s) : n.len;
		if (classify(u, &n, &v, &whole) < 0)
			return SV_EBADURI;
	}
	/* a trailing ';' leaves an empty last parameter */
	if (u->params.s[u->params.len - 1] == ';')
		return SV_EBADURI;
	return SV_OK;
}

int uri_check_headers(const struct sip_uri *u)
{
	const char *p = u->headers.s, *end = p + u->headers.len, *amp, *eq;

	if (u->headers.len == 0)
		return SV_EBADURI;
	for (;;) {
		amp = memchr(p, '&', end - p);
		if (!amp)
			amp = end;
		eq = memchr(p, '=', amp - p);
		if (!eq || eq == p || !uri_chars_ok(p, eq, CT_HNV) ||
		    !uri_chars_ok(eq + 1, amp, CT_HNV))
			return SV_EBADURI;
		if (amp == end)
			return SV_OK;
		p = amp + 1;
	}
}

int uri_find_param(const struct sip_uri *u, const char *name, str *value)
{
	struct uri_param_iter it;
	str n, v;

	uri_param_iter_init(&it, &u->params);
	while (uri_param_iter_next(&it, &n, &v)) {
		if (pname_is(&n, name)) {
			*value = v;
			return SV_OK;
		}
	}
	return SV_ENOTFOUND;
}
