/*
 * pv_core.c - the table of core pseudo-variables and the parsers of the
 * names given to the containers $var(...), $avp(...) and $hdr(...).
 *
 * The getters and setters live in pv_ruri.c, pv_addr.c, pv_msg.c,
 * pv_misc.c, pv_auth.c and pv_avp.c (one family per file); this table
 * ties names, types, writability and name syntax to them.  The name
 * parsers do the run-time lookups once: an AVP string name gets its hash
 * (name.n), a $var name its slot in the per-process table (name.n).
 *
 * Writable (assignable in the script), as in OpenSER 1.2/1.3: $ru/$ruri,
 * $rU, $rd, $rp, $du, $br, $fs, $avp(...), $var(...).
 */
#include "pv_core.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "avp.h"
#include "errors.h"
#include "pv_priv.h"
#include "script_var.h"

static int name_copy(struct pv_name *n, const char *s, int len)
{
	n->s.s = malloc(len + 1);
	if (!n->s.s)
		return SV_ENOMEM;
	memcpy(n->s.s, s, len);
	n->s.s[len] = '\0';
	n->s.len = len;
	n->type = PV_NAME_STR;
	return SV_OK;
}

/* $var(name): letters, digits, '_' */
static int parse_var_name(struct pv_spec *sp, const str *in, char *err,
                          int errlen)
{
	int i, idx;

	for (i = 0; i < in->len; i++)
		if (!isalnum((unsigned char)in->s[i]) && in->s[i] != '_')
			break;
	if (in->len == 0 || i < in->len) {
		snprintf(err, errlen,
		         "invalid variable name '%.*s' "
		         "(letters, digits and '_' only)",
		         STR_FMT(in));
		return SV_EINVAL;
	}
	idx = script_var_intern(in);
	if (idx < 0)
		return idx;
	sp->name.n = idx;
	return name_copy(&sp->name, in->s, in->len);
}

static int is_avp_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* $avp(i:24), $avp(s:name), $avp(name) (a name or an avp_aliases alias) */
static int parse_avp_name(struct pv_spec *sp, const str *in, char *err,
                          int errlen)
{
	const char *s = in->s;
	int len = in->len, i;
	char *end;

	if (len >= 2 && s[1] == ':' && (s[0] == 'i' || s[0] == 'I')) {
		if (len == 2)
			goto bad_id;
		for (i = 2; i < len; i++)
			if (!isdigit((unsigned char)s[i]))
				goto bad_id;
		sp->name.type = PV_NAME_INT;
		sp->name.n = strtol(s + 2, &end, 10);
		return SV_OK;
	}
	if (len >= 2 && s[1] == ':' && (s[0] == 's' || s[0] == 'S')) {
		s += 2;
		len -= 2;
	}
	for (i = 0; i < len; i++)
		if (!is_avp_char(s[i]))
			break;
	if (len == 0 || i < len) {
		snprintf(err, errlen, "invalid AVP name '%.*s'", STR_FMT(in));
		return SV_EINVAL;
	}
	sp->name.n = avp_name_hash(s, len);
	return name_copy(&sp->name, s, len);
bad_id:
	snprintf(err, errlen, "invalid AVP id '%.*s' (i: needs a number)",
	         STR_FMT(in));
	return SV_EINVAL;
}

/* RFC 3261 token characters */
static int is_token_char(char c)
{
	return isalnum((unsigned char)c) || strchr("-.!%*_+`'~", c) != NULL;
}

/* $hdr(Name): a header name (a token) */
static int parse_hdr_name(struct pv_spec *sp, const str *in, char *err,
                          int errlen)
{
	int i;

	for (i = 0; i < in->len; i++)
		if (!is_token_char(in->s[i]))
			break;
	if (in->len == 0 || i < in->len) {
		snprintf(err, errlen, "invalid header name '%.*s'",
		         STR_FMT(in));
		return SV_EINVAL;
	}
	return name_copy(&sp->name, in->s, in->len);
}

#define RO(n, t, g)                                                            \
	{                                                                      \
		n, t, 0, NULL, g, NULL                                         \
	}
#define RW(n, t, g, st)                                                        \
	{                                                                      \
		n, t, PV_WRITABLE, NULL, g, st                                 \
	}

const struct pv_export pv_core_exports[] = {
    RW("ru", PVT_RURI, pv_get_ruri, pv_set_ruri),
    RW("ruri", PVT_RURI, pv_get_ruri, pv_set_ruri),
    RW("rU", PVT_RURI_USER, pv_get_ruri_attr, pv_set_ruri_part),
    RW("rd", PVT_RURI_DOMAIN, pv_get_ruri_attr, pv_set_ruri_part),
    RW("rp", PVT_RURI_PORT, pv_get_ruri_attr, pv_set_ruri_part),
    RO("rP", PVT_RURI_PROTO, pv_get_ruri_attr),
    RO("ou", PVT_OURI, pv_get_ouri),
    RO("oU", PVT_OURI_USER, pv_get_ouri_attr),
    RO("od", PVT_OURI_DOMAIN, pv_get_ouri_attr),
    RO("op", PVT_OURI_PORT, pv_get_ouri_attr),
    RO("oP", PVT_OURI_PROTO, pv_get_ouri_attr),
    RW("du", PVT_DSTURI, pv_get_dsturi, pv_set_dsturi),
    RO("dd", PVT_DSTURI_DOMAIN, pv_get_dsturi_attr),
    RO("dp", PVT_DSTURI_PORT, pv_get_dsturi_attr),
    RO("dP", PVT_DSTURI_PROTO, pv_get_dsturi_attr),
    RO("ds", PVT_DSET, pv_get_branch),
    RW("br", PVT_BRANCH, pv_get_branch, pv_set_branch),
    RO("bR", PVT_BRANCHES, pv_get_branch),
    RO("fu", PVT_FROM, pv_get_addr),
    RO("from", PVT_FROM, pv_get_addr),
    RO("fU", PVT_FROM_USER, pv_get_addr),
    RO("from.user", PVT_FROM_USER, pv_get_addr),
    RO("fd", PVT_FROM_DOMAIN, pv_get_addr),
    RO("from.domain", PVT_FROM_DOMAIN, pv_get_addr),
    RO("fn", PVT_FROM_DISPLAY, pv_get_addr),
    RO("ft", PVT_FROM_TAG, pv_get_addr),
    RO("tu", PVT_TO, pv_get_addr),
    RO("to", PVT_TO, pv_get_addr),
    RO("tU", PVT_TO_USER, pv_get_addr),
    RO("to.user", PVT_TO_USER, pv_get_addr),
    RO("td", PVT_TO_DOMAIN, pv_get_addr),
    RO("to.domain", PVT_TO_DOMAIN, pv_get_addr),
    RO("tn", PVT_TO_DISPLAY, pv_get_addr),
    RO("tt", PVT_TO_TAG, pv_get_addr),
    RO("ci", PVT_CALLID, pv_get_msg),
    RO("cs", PVT_CSEQ, pv_get_msg),
    RO("rm", PVT_METHOD, pv_get_msg),
    RO("ct", PVT_CONTACT, pv_get_msg),
    RO("cT", PVT_CONTENT_TYPE, pv_get_msg),
    RO("cl", PVT_CONTENT_LENGTH, pv_get_msg),
    RO("ua", PVT_USER_AGENT, pv_get_msg),
    RO("rt", PVT_REFER_TO, pv_get_addr),
    RO("di", PVT_DIVERSION, pv_get_addr),
    RO("re", PVT_RPID, pv_get_addr),
    RO("ai", PVT_PAI, pv_get_addr),
    RO("pu", PVT_PPI, pv_get_addr),
    RO("pU", PVT_PPI_USER, pv_get_addr),
    RO("pd", PVT_PPI_DOMAIN, pv_get_addr),
    RO("pn", PVT_PPI_DISPLAY, pv_get_addr),
    RO("rb", PVT_BODY, pv_get_msg),
    RO("mb", PVT_MSG_BUF, pv_get_msg),
    RO("ml", PVT_MSG_LEN, pv_get_msg),
    RO("mi", PVT_MSG_ID, pv_get_msg),
    RO("rs", PVT_STATUS, pv_get_msg),
    RO("rr", PVT_REASON, pv_get_msg),
    RO("si", PVT_SRC_IP, pv_get_misc),
    RO("src_ip", PVT_SRC_IP, pv_get_misc),
    RO("sp", PVT_SRC_PORT, pv_get_misc),
    RO("Ri", PVT_RCV_IP, pv_get_misc),
    RO("Rp", PVT_RCV_PORT, pv_get_misc),
    RW("fs", PVT_FORCE_SOCK, pv_get_misc, pv_set_force_sock),
    RO("mf", PVT_MFLAGS, pv_get_flags),
    RO("mF", PVT_MFLAGS_HEX, pv_get_flags),
    RO("bf", PVT_BFLAGS, pv_get_flags),
    RO("bF", PVT_BFLAGS_HEX, pv_get_flags),
    RO("sf", PVT_SFLAGS, pv_get_flags),
    RO("sF", PVT_SFLAGS_HEX, pv_get_flags),
    RO("au", PVT_AUTH_USER, pv_get_auth),
    RO("ar", PVT_AUTH_REALM, pv_get_auth),
    RO("Au", PVT_AUTH_USERNAME, pv_get_auth),
    RO("rc", PVT_RETCODE, pv_get_misc),
    RO("retcode", PVT_RETCODE, pv_get_misc),
    RO("pp", PVT_PID, pv_get_misc),
    RO("Ts", PVT_TIME_S, pv_get_misc),
    RO("Tf", PVT_TIME_F, pv_get_misc),
    RO("err.class", PVT_ERR_CLASS, pv_get_err),
    RO("err.level", PVT_ERR_LEVEL, pv_get_err),
    RO("err.info", PVT_ERR_INFO, pv_get_err),
    RO("err.rcode", PVT_ERR_RCODE, pv_get_err),
    RO("err.rreason", PVT_ERR_RREASON, pv_get_err),
    {"avp", PVT_AVP, PV_WRITABLE | PV_INDEXABLE, parse_avp_name, pv_get_avp,
     pv_set_avp},
    {"hdr", PVT_HDR, PV_INDEXABLE, parse_hdr_name, pv_get_hdr, NULL},
    {"var", PVT_VAR, PV_WRITABLE, parse_var_name, pv_get_var, pv_set_var},
    {NULL, 0, 0, NULL, NULL, NULL}};
