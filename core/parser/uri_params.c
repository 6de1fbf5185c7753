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

/* The name of a parameter with its escapes decoded (into buf if needed). */
static str plain_name(const str *name, char *buf, int size)
{
	str d = *name;
	int len;

	if (memchr(name->s, '%', name->len)) {
		len = uri_unescape(name, buf, size);
		d.s = buf;
		d.len = len < 0 ? 0 : len;
	}
	return d;
}

/* Returns 1 when param name n equals lit ignoring case and escapes. */
static int pname_is(const str *n, const char *lit)
{
	char buf[16];
	str d = plain_name(n, buf, sizeof(buf));

	return str_ci_lit(&d, lit, (int)strlen(lit));
}

static int proto_of(const str *v)
{
	if (str_ci_lit(v, "udp", 3))
		return PROTO_UDP;
	if (str_ci_lit(v, "tcp", 3))
		return PROTO_TCP;
	if (str_ci_lit(v, "tls", 3))
		return PROTO_TLS;
	if (str_ci_lit(v, "sctp", 4))
		return PROTO_SCTP;
	if (str_ci_lit(v, "ws", 2) || str_ci_lit(v, "wss", 3))
		return PROTO_WS;
	return PROTO_OTHER;
}

/* Fills the well-known view for one parameter; SV_EBADURI on bad value. */
static int classify(struct sip_uri *u, const str *name, const str *v,
                    const str *whole)
{
	unsigned long long ttl;
	char buf[16];
	str n = plain_name(name, buf, sizeof(buf));

	if (str_ci_lit(&n, "transport", 9)) {
		u->transport = *whole;
		u->transport_val = *v;
		u->proto = proto_of(v);
	} else if (str_ci_lit(&n, "lr", 2)) {
		u->lr = *whole;
		u->lr_val = *v;
	} else if (str_ci_lit(&n, "maddr", 5)) {
		if (host_kind(v->s, str_end(v)) < 0)
			return SV_EBADURI;
		u->maddr = *whole;
		u->maddr_val = *v;
	} else if (str_ci_lit(&n, "ttl", 3)) {
		if (v->len > 3 ||
		    parse_uint_range(v->s, str_end(v), 255, &ttl) < 0)
			return SV_EBADURI;
		u->ttl = *whole;
		u->ttl_val = *v;
	} else if (str_ci_lit(&n, "user", 4)) {
		u->user_param = *whole;
		u->user_param_val = *v;
	} else if (str_ci_lit(&n, "method", 6)) {
		u->method = *whole;
		u->method_val = *v;
	} else if (str_ci_lit(&n, "r2", 2)) {
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
		if (v.s &&
		    (v.len == 0 || !uri_chars_ok(v.s, v.s + v.len, CT_PARAM)))
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
