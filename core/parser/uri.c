/*
 * uri.c - parse_uri(): scheme, userinfo, hostport, then parameters and
 * headers (uri_params.c).
 *
 * SIP/SIPS:  sip: [user [":" password] "@"] host [":" port] [";" params]
 *            ["?" headers]
 * The userinfo ends at the first '@' of the whole URI: user may contain
 * ';', '?' and '/' (RFC 3261 user-unreserved, RFC 4475 §3.1.1.9), and '@'
 * is legal nowhere else unescaped.
 * tel/tels:  tel: number [";" params]   (number kept in `user`)
 * other:     scheme ":" opaque          (visible ASCII, nothing more known)
 */
#include "uri.h"

#include <string.h>

#include "../errors.h"
#include "../ip_addr.h"
#include "lex.h"
#include "uri_priv.h"

int uri_chars_ok(const char *p, const char *end, unsigned cls)
{
	while (p < end) {
		if (*p == '%') {
			if (end - p < 3 || hex_val(p[1]) < 0 ||
			    hex_val(p[2]) < 0)
				return 0;
			p += 3;
		} else if (ct_is(*p, cls)) {
			p++;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Scheme "sip", "sips", "tel", "tels" or other; p..end is the name. */
static int scheme_type(const str *s)
{
	if (str_ci_lit(s, "sip", 3))
		return URI_SIP;
	if (str_ci_lit(s, "sips", 4))
		return URI_SIPS;
	if (str_ci_lit(s, "tel", 3))
		return URI_TEL;
	if (str_ci_lit(s, "tels", 4))
		return URI_TELS;
	return URI_OTHER;
}

/* Userinfo [p, at): user [":" password]. */
static int parse_userinfo(struct sip_uri *u, char *p, char *at)
{
	char *colon = memchr(p, ':', at - p);
	char *uend = colon ? colon : at;

	if (uend == p || !uri_chars_ok(p, uend, CT_USER))
		return SV_EBADURI;
	u->user.s = p;
	u->user.len = (int)(uend - p);
	if (colon) {
		if (!uri_chars_ok(colon + 1, at, CT_PASSWD))
			return SV_EBADURI;
		u->passwd.s = colon + 1;
		u->passwd.len = (int)(at - colon - 1);
	}
	return SV_OK;
}

/* host [":" port] at *pp; leaves *pp after it. */
static int parse_hostport(struct sip_uri *u, char **pp, char *end)
{
	char *p = *pp, *h = p, *q;
	unsigned long long port;
	int kind;

	if (p < end && *p == '[') {
		q = memchr(p, ']', end - p);
		if (!q)
			return SV_EBADURI;
		p = q + 1;
	} else {
		p = skip_class(p, end, CT_HOST);
	}
	kind = host_kind(h, p);
	if (kind < 0)
		return SV_EBADURI;
	u->host.s = h;
	u->host.len = (int)(p - h);
	u->host_type = kind;
	if (p < end && *p == ':') {
		q = skip_class(++p, end, CT_DIGIT);
		if (q - p > 5 || parse_uint_range(p, q, 65535, &port) < 0)
			return SV_EBADURI;
		u->port.s = p;
		u->port.len = (int)(q - p);
		u->port_no = (unsigned short)port;
		p = q;
	}
	*pp = p;
	return SV_OK;
}

/* ";" params and "?" headers after the host (or tel number) at p. */
static int parse_tail(struct sip_uri *u, char *p, char *end, int headers_ok)
{
	char *q;

	if (p < end && *p == ';') {
		q = memchr(p, '?', end - p);
		if (!q)
			q = end;
		u->params.s = p + 1;
		u->params.len = (int)(q - p - 1);
		if (uri_parse_params(u) < 0)
			return SV_EBADURI;
		p = q;
	}
	if (p < end && *p == '?' && headers_ok) {
		u->headers.s = p + 1;
		u->headers.len = (int)(end - p - 1);
		if (uri_check_headers(u) < 0)
			return SV_EBADURI;
		p = end;
	}
	return p == end ? SV_OK : SV_EBADURI;
}

static int parse_sip_part(struct sip_uri *u, char *p, char *end)
{
	char *at = memchr(p, '@', end - p);

	if (at) {
		if (parse_userinfo(u, p, at) < 0)
			return SV_EBADURI;
		p = at + 1;
	}
	if (parse_hostport(u, &p, end) < 0)
		return SV_EBADURI;
	return parse_tail(u, p, end, 1);
}

/* tel: the subscriber number runs to the first ';' (RFC 3966). */
static int parse_tel_part(struct sip_uri *u, char *p, char *end)
{
	char *q = memchr(p, ';', end - p);

	if (!q)
		q = end;
	if (q == p || memchr(p, '?', q - p) || !uri_chars_ok(p, q, CT_USER))
		return SV_EBADURI;
	u->user.s = p;
	u->user.len = (int)(q - p);
	return parse_tail(u, q, end, 0);
}

/* Opaque part of an unknown scheme: non-empty visible ASCII. */
static int parse_other_part(struct sip_uri *u, char *p, char *end)
{
	char *q;

	if (p == end)
		return SV_EBADURI;
	for (q = p; q < end; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return SV_EBADURI;
	u->opaque.s = p;
	u->opaque.len = (int)(end - p);
	return SV_OK;
}

int parse_uri(const char *s, int len, struct sip_uri *u)
{
	char *p = (char *)s, *end, *q;

	memset(u, 0, sizeof(*u));
	u->proto = PROTO_NONE;
	if (!s || len <= 0)
		return SV_EBADURI;
	end = p + len;
	u->text.s = p;
	u->text.len = len;
	if (!ct_is(*p, CT_ALPHA))
		return SV_EBADURI;
	q = skip_class(p + 1, end, CT_SCHEME);
	if (q >= end || *q != ':')
		return SV_EBADURI;
	u->scheme.s = p;
	u->scheme.len = (int)(q - p);
	u->type = scheme_type(&u->scheme);
	p = q + 1;
	switch (u->type) {
	case URI_SIP:
	case URI_SIPS:
		return parse_sip_part(u, p, end);
	case URI_TEL:
	case URI_TELS:
		return parse_tel_part(u, p, end);
	default:
		return parse_other_part(u, p, end);
	}
}
