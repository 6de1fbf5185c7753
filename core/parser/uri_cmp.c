/*
 * uri_cmp.c - URI equality (RFC 3261 §19.1.4).
 *
 * Parameters: a parameter present in both URIs must have equal values
 * (ignoring case and escapes); user, ttl, method, maddr and transport must
 * moreover be present in both or in neither; any other parameter present in
 * one only is ignored.  Headers: every header of one must be present in the
 * other with an equal value.  The scans are quadratic in the number of
 * parameters, which is a handful.
 */
#include <string.h>

#include "../errors.h"
#include "uri.h"
#include "uri_priv.h"

static const char *const strict_params[] = {"user", "ttl", "method", "maddr",
                                            "transport"};

static int is_strict_param(const str *name)
{
	unsigned i;
	str lit;

	for (i = 0; i < sizeof(strict_params) / sizeof(strict_params[0]); i++) {
		lit = str_from_cstr(strict_params[i]);
		if (uri_esc_eq(name, &lit, 1))
			return 1;
	}
	return 0;
}

/* Finds the parameter called name in params; value and presence out. */
static int find_param(const str *params, const str *name, str *value)
{
	struct uri_param_iter it;
	str n, v;

	uri_param_iter_init(&it, params);
	while (uri_param_iter_next(&it, &n, &v)) {
		if (uri_esc_eq(&n, name, 1)) {
			*value = v;
			return 1;
		}
	}
	return 0;
}

/* Every parameter of a is compatible with b (one direction). */
static int params_match_one_way(const str *a, const str *b)
{
	struct uri_param_iter it;
	str n, v, w;

	uri_param_iter_init(&it, a);
	while (uri_param_iter_next(&it, &n, &v)) {
		if (!find_param(b, &n, &w)) {
			if (is_strict_param(&n))
				return 0;
			continue;
		}
		if (!uri_esc_eq(&v, &w, 1))
			return 0;
	}
	return 1;
}

/* Looks for header name=value of [p, end) in the header list hs. */
static int header_in(const char *p, const char *end, const str *hs)
{
	const char *q = hs->s, *qend = q ? q + hs->len : q, *amp, *eq, *eq2;
	str n1, v1, n2, v2;

	eq = memchr(p, '=', end - p);
	if (!eq)
		return 0;
	n1.s = (char *)p, n1.len = (int)(eq - p);
	v1.s = (char *)eq + 1, v1.len = (int)(end - eq - 1);
	while (q && q < qend) {
		amp = memchr(q, '&', qend - q);
		if (!amp)
			amp = qend;
		eq2 = memchr(q, '=', amp - q);
		if (eq2) {
			n2.s = (char *)q, n2.len = (int)(eq2 - q);
			v2.s = (char *)eq2 + 1, v2.len = (int)(amp - eq2 - 1);
			if (uri_esc_eq(&n1, &n2, 1) && uri_esc_eq(&v1, &v2, 0))
				return 1;
		}
		q = amp + 1;
	}
	return 0;
}

static int headers_match_one_way(const str *a, const str *b)
{
	const char *p = a->s, *end = p ? p + a->len : p, *amp;

	while (p && p < end) {
		amp = memchr(p, '&', end - p);
		if (!amp)
			amp = end;
		if (!header_in(p, amp, b))
			return 0;
		p = amp + 1;
	}
	return 1;
}

int uri_eq(const struct sip_uri *a, const struct sip_uri *b)
{
	if (a->type != b->type || !str_caseeq(&a->scheme, &b->scheme))
		return 0;
	if (a->type == URI_OTHER)
		return uri_esc_eq(&a->opaque, &b->opaque, 0);
	if (!uri_user_eq(&a->user, &b->user) ||
	    !uri_user_eq(&a->passwd, &b->passwd) ||
	    (a->passwd.s == NULL) != (b->passwd.s == NULL))
		return 0;
	if (!str_caseeq(&a->host, &b->host) || a->port_no != b->port_no ||
	    (a->port.len == 0) != (b->port.len == 0))
		return 0;
	if (!params_match_one_way(&a->params, &b->params) ||
	    !params_match_one_way(&b->params, &a->params))
		return 0;
	return headers_match_one_way(&a->headers, &b->headers) &&
	       headers_match_one_way(&b->headers, &a->headers);
}

int uri_str_eq(const str *a, const str *b)
{
	struct sip_uri ua, ub;

	if (parse_uri(a->s, a->len, &ua) < 0 ||
	    parse_uri(b->s, b->len, &ub) < 0)
		return SV_EBADURI;
	return uri_eq(&ua, &ub);
}
