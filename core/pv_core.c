/*
 * pv_core.c - the table of core pseudo-variables and the parsers of the
 * names given to the containers $var(...), $avp(...) and $hdr(...).
 *
 * Getters and setters need a parsed SIP message and are added in phase 2;
 * until then the table gives names, types, writability and name syntax,
 * which is all that parsing and fixing up a script needs.
 *
 * Writable (assignable in the script), as in OpenSER 1.2/1.3: $ru/$ruri,
 * $rU, $rd, $rp, $du, $br, $fs, $avp(...), $var(...).
 */
#include "pv_core.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

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
	int i;

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

#define RO(n, t)                                                               \
	{                                                                      \
		n, t, 0, NULL, NULL, NULL                                      \
	}
#define RW(n, t)                                                               \
	{                                                                      \
		n, t, PV_WRITABLE, NULL, NULL, NULL                            \
	}

const struct pv_export pv_core_exports[] = {
    RW("ru", PVT_RURI),
    RW("ruri", PVT_RURI),
    RW("rU", PVT_RURI_USER),
    RW("rd", PVT_RURI_DOMAIN),
    RW("rp", PVT_RURI_PORT),
    RO("rP", PVT_RURI_PROTO),
    RO("ou", PVT_OURI),
    RO("oU", PVT_OURI_USER),
    RO("od", PVT_OURI_DOMAIN),
    RO("op", PVT_OURI_PORT),
    RO("oP", PVT_OURI_PROTO),
    RW("du", PVT_DSTURI),
    RO("dd", PVT_DSTURI_DOMAIN),
    RO("dp", PVT_DSTURI_PORT),
    RO("dP", PVT_DSTURI_PROTO),
    RO("ds", PVT_DSET),
    RW("br", PVT_BRANCH),
    RO("bR", PVT_BRANCHES),
    RO("fu", PVT_FROM),
    RO("from", PVT_FROM),
    RO("fU", PVT_FROM_USER),
    RO("from.user", PVT_FROM_USER),
    RO("fd", PVT_FROM_DOMAIN),
    RO("from.domain", PVT_FROM_DOMAIN),
    RO("fn", PVT_FROM_DISPLAY),
    RO("ft", PVT_FROM_TAG),
    RO("tu", PVT_TO),
    RO("to", PVT_TO),
    RO("tU", PVT_TO_USER),
    RO("to.user", PVT_TO_USER),
    RO("td", PVT_TO_DOMAIN),
    RO("to.domain", PVT_TO_DOMAIN),
    RO("tn", PVT_TO_DISPLAY),
    RO("tt", PVT_TO_TAG),
    RO("ci", PVT_CALLID),
    RO("cs", PVT_CSEQ),
    RO("rm", PVT_METHOD),
    RO("ct", PVT_CONTACT),
    RO("cT", PVT_CONTENT_TYPE),
    RO("cl", PVT_CONTENT_LENGTH),
    RO("ua", PVT_USER_AGENT),
    RO("rt", PVT_REFER_TO),
    RO("di", PVT_DIVERSION),
    RO("re", PVT_RPID),
    RO("ai", PVT_PAI),
    RO("pu", PVT_PPI),
    RO("pU", PVT_PPI_USER),
    RO("pd", PVT_PPI_DOMAIN),
    RO("pn", PVT_PPI_DISPLAY),
    RO("rb", PVT_BODY),
    RO("mb", PVT_MSG_BUF),
    RO("ml", PVT_MSG_LEN),
    RO("mi", PVT_MSG_ID),
    RO("rs", PVT_STATUS),
    RO("rr", PVT_REASON),
    RO("si", PVT_SRC_IP),
    RO("src_ip", PVT_SRC_IP),
    RO("sp", PVT_SRC_PORT),
    RO("Ri", PVT_RCV_IP),
    RO("Rp", PVT_RCV_PORT),
    RW("fs", PVT_FORCE_SOCK),
    RO("mf", PVT_MFLAGS),
    RO("mF", PVT_MFLAGS_HEX),
    RO("bf", PVT_BFLAGS),
    RO("bF", PVT_BFLAGS_HEX),
    RO("sf", PVT_SFLAGS),
    RO("sF", PVT_SFLAGS_HEX),
    RO("au", PVT_AUTH_USER),
    RO("ar", PVT_AUTH_REALM),
    RO("Au", PVT_AUTH_USERNAME),
    RO("rc", PVT_RETCODE),
    RO("retcode", PVT_RETCODE),
    RO("pp", PVT_PID),
    RO("Ts", PVT_TIME_S),
    RO("Tf", PVT_TIME_F),
    RO("err.class", PVT_ERR_CLASS),
    RO("err.level", PVT_ERR_LEVEL),
    RO("err.info", PVT_ERR_INFO),
    RO("err.rcode", PVT_ERR_RCODE),
    RO("err.rreason", PVT_ERR_RREASON),
    {"avp", PVT_AVP, PV_WRITABLE | PV_INDEXABLE, parse_avp_name, NULL, NULL},
    {"hdr", PVT_HDR, PV_INDEXABLE, parse_hdr_name, NULL, NULL},
    {"var", PVT_VAR, PV_WRITABLE, parse_var_name, NULL, NULL},
    {NULL, 0, 0, NULL, NULL, NULL}};
