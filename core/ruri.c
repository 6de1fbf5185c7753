/*
 * ruri.c - Request-URI rewriting (see ruri.h).
 *
 * Every operation computes the new user/password/host/port views, then
 * print_uri() assembles the URI in a stack buffer, checks it parses, and
 * hands it to set_new_uri().  The views may point into the old R-URI
 * (msg->new_uri): set_new_uri() copies before it frees, so that is safe.
 */
#include "ruri.h"

#include <string.h>

#include "errors.h"
#include "log.h"
#include "parser/msg.h"
#include "parser/msg_uri.h"
#include "parser/uri.h"

struct uri_parts {
	str user, passwd, host, port;
};

static int out(char *buf, int *n, const char *s, int len)
{
	if (len < 0 || *n + len > RURI_MAX)
		return SV_ETOOBIG;
	if (len)
		memcpy(buf + *n, s, len);
	*n += len;
	return SV_OK;
}

/* The printed URI, or an error; the result is checked to parse. */
static int print_uri(struct sip_msg *msg, const struct sip_uri *u,
                     const struct uri_parts *np)
{
	char buf[RURI_MAX];
	struct sip_uri check;
	int n = 0, rc;
	str res;

	rc = out(buf, &n, u->scheme.s, u->scheme.len);
	rc = rc ? rc : out(buf, &n, ":", 1);
	if (!rc && np->user.len) {
		rc = out(buf, &n, np->user.s, np->user.len);
		if (!rc && np->passwd.len)
			rc = out(buf, &n, ":", 1) ||
			     out(buf, &n, np->passwd.s, np->passwd.len);
		rc = rc ? SV_ETOOBIG : out(buf, &n, "@", 1);
	}
	rc = rc ? rc : out(buf, &n, np->host.s, np->host.len);
	if (!rc && np->port.len)
		rc = out(buf, &n, ":", 1) ||
		     out(buf, &n, np->port.s, np->port.len);
	if (!rc && u->params.len)
		rc = out(buf, &n, ";", 1) ||
		     out(buf, &n, u->params.s, u->params.len);
	if (!rc && u->headers.len)
		rc = out(buf, &n, "?", 1) ||
		     out(buf, &n, u->headers.s, u->headers.len);
	if (rc)
		return SV_ETOOBIG;
	if (parse_uri(buf, n, &check) != SV_OK) {
		LM_ERR("rewriting the R-URI gives a bad URI: %.*s\n", n, buf);
		return SV_EBADURI;
	}
	res.s = buf;
	res.len = n;
	return set_new_uri(msg, &res);
}

/* Parses the current R-URI for a part rewrite (sip/sips only). */
static int current(struct sip_msg *msg, struct sip_uri **u, struct uri_parts *p)
{
	if (!msg_is_request(msg))
		return SV_EINVAL;
	if (parse_sip_msg_uri(msg) != SV_OK)
		return SV_EBADURI;
	*u = &msg->parsed_uri;
	if ((*u)->type != URI_SIP && (*u)->type != URI_SIPS) {
		LM_ERR("only the parts of a sip: or sips: R-URI can be "
		       "rewritten\n");
		return SV_EBADURI;
	}
	p->user = (*u)->user;
	p->passwd = (*u)->passwd;
	p->host = (*u)->host;
	p->port = (*u)->port;
	return SV_OK;
}

/* "a:b" -> a, b (b empty when there is no ':'); last=1 splits at the last */
static void split(const str *v, int last, str *a, str *b)
{
	int i;

	*a = *v;
	b->s = NULL;
	b->len = 0;
	for (i = last ? v->len - 1 : 0; i >= 0 && i < v->len;
	     i += last ? -1 : 1)
		if (v->s[i] == ':')
			break;
	if (i < 0 || i >= v->len)
		return;
	if (last && v->s[0] == '[' && v->s[v->len - 1] == ']')
		return; /* an IPv6 reference without port */
	a->len = i;
	b->s = v->s + i + 1;
	b->len = v->len - i - 1;
}

static int rewrite_whole(struct sip_msg *msg, const str *val)
{
	struct sip_uri check;

	if (!msg_is_request(msg))
		return SV_EINVAL;
	if (!val || val->len == 0 ||
	    parse_uri(val->s, val->len, &check) != SV_OK) {
		LM_ERR("cannot set the R-URI to '%.*s': not a URI\n",
		       val ? val->len : 0, val ? val->s : "");
		return SV_EBADURI;
	}
	return set_new_uri(msg, val);
}

int ruri_rewrite(struct sip_msg *msg, int part, const str *val)
{
	static const str empty = STR_NULL;
	struct uri_parts np;
	struct sip_uri *u;
	int rc;

	if (part == RURI_WHOLE)
		return rewrite_whole(msg, val);
	if (!val)
		val = &empty;
	rc = current(msg, &u, &np);
	if (rc != SV_OK)
		return rc;
	switch (part) {
	case RURI_USER:
		np.user = *val;
		if (!val->len)
			np.passwd = empty;
		break;
	case RURI_USERPASS:
		split(val, 0, &np.user, &np.passwd);
		break;
	case RURI_HOST:
		np.host = *val;
		break;
	case RURI_HOSTPORT:
		split(val, 1, &np.host, &np.port);
		break;
	case RURI_PORT:
		np.port = *val;
		break;
	default:
		return SV_EINVAL;
	}
	if (np.host.len == 0)
		return SV_EINVAL;
	return print_uri(msg, u, &np);
}

int ruri_prefix(struct sip_msg *msg, const str *p)
{
	char user[RURI_MAX];
	struct uri_parts np;
	struct sip_uri *u;
	int rc = current(msg, &u, &np);

	if (rc != SV_OK)
		return rc;
	if (p->len + np.user.len > RURI_MAX)
		return SV_ETOOBIG;
	memcpy(user, p->s, p->len);
	memcpy(user + p->len, np.user.s, np.user.len);
	np.user.s = user;
	np.user.len += p->len;
	return print_uri(msg, u, &np);
}

int ruri_strip(struct sip_msg *msg, int n, int tail)
{
	struct uri_parts np;
	struct sip_uri *u;
	int rc = current(msg, &u, &np);

	if (rc != SV_OK)
		return rc;
	if (n < 0)
		return SV_EINVAL;
	if (n >= np.user.len) {
		np.user.len = 0;
		np.passwd.len = 0;
	} else {
		if (!tail)
			np.user.s += n;
		np.user.len -= n;
	}
	return print_uri(msg, u, &np);
}
