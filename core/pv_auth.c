/*
 * pv_auth.c - $au (user part of the credentials' username), $ar (their
 * realm) and $Au (the accounting user: "$au@$ar" from the credentials
 * when present, else the From URI), from the Digest
 * credentials of a request.
 *
 * Which header: Authorization for REGISTER, Proxy-Authorization for
 * other requests (RFC 3261 §22.2/§22.3); when that one is absent the
 * other is used.  Credentials of another scheme, or malformed ones, read
 * as null.
 */
#include <stdio.h>

#include "pv_core.h"
#include "pv_priv.h"
#include "parser/digest.h"
#include "parser/method.h"
#include "parser/msg.h"

static struct hdr_field *cred_hdr(const struct sip_msg *msg)
{
	struct hdr_field *first = msg->proxy_auth, *second = msg->authorization;

	if (msg_method(msg) == METHOD_REGISTER) {
		first = msg->authorization;
		second = msg->proxy_auth;
	}
	return first ? first : second;
}

static int acc_user(struct sip_msg *msg, const struct digest_cred *c,
                    struct pv_value *res)
{
	static char buf[512];
	const struct pv_export *fu;
	struct pv_spec sp = {0};
	str s;

	if (c && c->username.len) {
		s.len = snprintf(buf, sizeof(buf), "%.*s%s%.*s",
		                 STR_FMT(&c->username), c->realm.len ? "@" : "",
		                 STR_FMT(&c->realm));
		if (s.len >= (int)sizeof(buf))
			return pv_null(res);
		s.s = buf;
		return pv_str(res, &s);
	}
	fu = pv_lookup("fu", 2);
	sp.exp = fu;
	return fu->get(msg, &sp, res);
}

PV_GETTER(pv_get_auth)
{
	struct hdr_field *h = msg_is_request(msg) ? cred_hdr(msg) : NULL;
	struct digest_cred c;
	int i, ok = h && parse_digest_cred(&h->body, &c) == SV_OK;

	if (ok) { /* the user part of the username */
		for (i = 0; i < c.username.len && c.username.s[i] != '@'; i++)
			;
		c.username.len = i;
	}
	switch (sp->exp->type) {
	case PVT_AUTH_USER:
		return ok && c.username.len ? pv_str(res, &c.username)
		                            : pv_null(res);
	case PVT_AUTH_REALM:
		return ok && c.realm.len ? pv_str(res, &c.realm) : pv_null(res);
	default:
		return acc_user(msg, ok ? &c : NULL, res);
	}
}
