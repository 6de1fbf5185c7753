/*
 * config.c - the table of core parameters and its setters.
 *
 * One row per name (aliases get their own row pointing at the same field):
 * the kind of value the script must give, where it goes, the accepted
 * range, and whether serval acts on it.  Rows marked NOEFFECT are OpenSER
 * 1.x parameters that serval accepts so that old scripts load (TLS, SCTP,
 * multicast, DNS tuning, privileges ...); the parser logs a notice for
 * each one used.  dns, rev_dns and auto_aliases are stored but not acted
 * on yet, and are marked NOEFFECT too.
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "errors.h"
#include "log.h"
#include "socket.h"

#define CORE_DEFAULTS                                                          \
	{                                                                      \
		.debug = L_NOTICE, .fork = 1, .log_stderror = 0,               \
		.log_facility = LOG_DAEMON, .children = 8, .port = 5060,       \
		.server_signature = 1, .max_while_loops = 100,                 \
		.auto_aliases = 1, .adaptive_receivers = 1,                    \
	}

struct core_config core_cfg = CORE_DEFAULTS;

/* where a value goes */
enum cp_target {
	T_INT,      /* int field, range checked */
	T_STR,      /* char * field, copied */
	T_FACILITY, /* syslog facility name -> int field */
	T_LISTEN,   /* appended to core_cfg.listen */
	T_ALIAS,    /* alias_add() */
	T_NONE      /* accepted, not stored */
};

#define NOEFFECT 0x01

struct core_param {
	const char *name;
	int kind;
	enum cp_target target;
	size_t off;
	long min, max;
	unsigned flags;
};

#define F(x) offsetof(struct core_config, x)
#define INT(n, f, lo, hi)                                                      \
	{                                                                      \
		n, CP_INT, T_INT, F(f), lo, hi, 0                              \
	}
#define BOOL(n, f)                                                             \
	{                                                                      \
		n, CP_BOOL, T_INT, F(f), LONG_MIN, LONG_MAX, 0                 \
	}
#define STRP(n, f)                                                             \
	{                                                                      \
		n, CP_STR, T_STR, F(f), 0, 0, 0                                \
	}
#define IGN(n, k)                                                              \
	{                                                                      \
		n, k, T_NONE, 0, 0, 0, NOEFFECT                                \
	}

static const struct core_param params[] = {
    INT("debug", debug, INT_MIN, INT_MAX),
    BOOL("fork", fork),
    BOOL("log_stderror", log_stderror),
    {"log_facility", CP_STR, T_FACILITY, F(log_facility), 0, 0, 0},
    STRP("log_name", log_name),
    INT("children", children, 1, 1024),
    BOOL("adaptive_receivers", adaptive_receivers),
    INT("tcp_children", tcp_children, 1, 1024),
    BOOL("disable_tcp", disable_tcp),
    INT("port", port, 1, 65535),
    {"listen", CP_SPEC, T_LISTEN, 0, 0, 0, 0},
    {"alias", CP_SPEC, T_ALIAS, 0, 0, 0, 0},
    BOOL("check_via", check_via),
    BOOL("reply_to_via", reply_to_via),
    BOOL("server_signature", server_signature),
    BOOL("sip_warning", sip_warning),
    STRP("server_header", server_header),
    STRP("user_agent_header", user_agent_header),
    INT("max_while_loops", max_while_loops, 0, INT_MAX),
    BOOL("disable_dns_failover", disable_dns_failover),
    {"dns", CP_BOOL, T_INT, F(dns), LONG_MIN, LONG_MAX, NOEFFECT},
    {"rev_dns", CP_BOOL, T_INT, F(rev_dns), LONG_MIN, LONG_MAX, NOEFFECT},
    {"auto_aliases", CP_BOOL, T_INT, F(auto_aliases), LONG_MIN, LONG_MAX,
     NOEFFECT},
    STRP("mpath", mpath),
    /* accepted for compatibility, no effect */
    IGN("avp_aliases", CP_STR),
    IGN("dns_try_ipv6", CP_BOOL),
    IGN("dns_retr_time", CP_INT),
    IGN("dns_retr_no", CP_INT),
    IGN("dns_servers_no", CP_INT),
    IGN("dns_use_search_list", CP_BOOL),
    IGN("disable_dns_blacklist", CP_BOOL),
    IGN("maxbuffer", CP_INT),
    IGN("mhomed", CP_BOOL),
    IGN("memlog", CP_INT),
    IGN("mem_log", CP_INT),
    IGN("user", CP_STR),
    IGN("uid", CP_STR),
    IGN("group", CP_STR),
    IGN("gid", CP_STR),
    IGN("chroot", CP_STR),
    IGN("workdir", CP_STR),
    IGN("wdir", CP_STR),
    IGN("tcp_accept_aliases", CP_BOOL),
    IGN("tcp_send_timeout", CP_INT),
    IGN("tcp_connect_timeout", CP_INT),
    IGN("tcp_connection_lifetime", CP_INT),
    IGN("tcp_poll_method", CP_STR),
    IGN("tcp_max_connections", CP_INT),
    IGN("disable_tls", CP_BOOL),
    IGN("tls_port_no", CP_INT),
    IGN("tls_method", CP_STR),
    IGN("tls_verify", CP_BOOL),
    IGN("tls_verify_client", CP_BOOL),
    IGN("tls_verify_server", CP_BOOL),
    IGN("tls_require_certificate", CP_BOOL),
    IGN("tls_require_client_certificate", CP_BOOL),
    IGN("tls_certificate", CP_STR),
    IGN("tls_private_key", CP_STR),
    IGN("tls_ca_list", CP_STR),
    IGN("tls_ciphers_list", CP_STR),
    IGN("tls_handshake_timeout", CP_INT),
    IGN("tls_send_timeout", CP_INT),
    IGN("tls_log", CP_INT),
    IGN("tlslog", CP_INT),
    IGN("disable_sctp", CP_BOOL),
    IGN("sctp_children", CP_INT),
    IGN("advertised_address", CP_SPEC),
    IGN("advertised_port", CP_INT),
    IGN("disable_core_dump", CP_BOOL),
    IGN("open_files_limit", CP_INT),
    IGN("mcast_loopback", CP_BOOL),
    IGN("mcast_ttl", CP_INT),
    IGN("tos", CP_ANY),
    IGN("unix_sock", CP_STR),
    IGN("unix_sock_children", CP_INT),
    IGN("unix_tx_timeout", CP_INT),
    IGN("sock_mode", CP_INT),
    IGN("sock_user", CP_STR),
    IGN("sock_group", CP_STR),
    IGN("disable_stateless_fwd", CP_BOOL),
};

static const struct core_param *find_param(const char *name)
{
	unsigned i;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strcmp(params[i].name, name) == 0)
			return &params[i];
	return NULL;
}

int core_param_kind(const char *name)
{
	const struct core_param *p = find_param(name);

	return p ? p->kind : SV_ENOTFOUND;
}

int core_param_noeffect(const char *name)
{
	const struct core_param *p = find_param(name);

	return p && (p->flags & NOEFFECT);
}

static const char *kind_expected(int kind)
{
	switch (kind) {
	case CP_INT:
		return "a number";
	case CP_BOOL:
		return "a number or yes/no";
	case CP_STR:
		return "a string";
	case CP_SPEC:
		return "an address or host name";
	default:
		return "a value";
	}
}

static const char *value_found(const struct core_value *v)
{
	switch (v->kind) {
	case CORE_VAL_INT:
		return "a number";
	case CORE_VAL_STR:
		return "a string";
	default:
		return "a word";
	}
}

/* Is the value's kind acceptable for the parameter's kind? */
static int kind_ok(int kind, const struct core_value *v)
{
	switch (kind) {
	case CP_INT:
	case CP_BOOL:
		return v->kind == CORE_VAL_INT;
	case CP_STR:
	case CP_SPEC:
		return v->kind == CORE_VAL_STR || v->kind == CORE_VAL_WORD;
	default:
		return 1;
	}
}

static int set_str(char **field, const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		return SV_ENOMEM;
	free(*field);
	*field = copy;
	return SV_OK;
}

static int add_listen(const char *s)
{
	char **n =
	    realloc(core_cfg.listen, (core_cfg.nlisten + 1) * sizeof(char *));

	if (!n)
		return SV_ENOMEM;
	core_cfg.listen = n;
	n[core_cfg.nlisten] = strdup(s);
	if (!n[core_cfg.nlisten])
		return SV_ENOMEM;
	core_cfg.nlisten++;
	return SV_OK;
}

/* Skips an optional "udp:" / "tcp:" / "tls:" / "sctp:" prefix. */
static const char *skip_proto(const char *s)
{
	static const char *const protos[] = {"udp:", "tcp:", "tls:", "sctp:"};
	unsigned i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strncasecmp(s, protos[i], strlen(protos[i])) == 0 &&
		    s[strlen(protos[i])] != ':')
			return s + strlen(protos[i]);
	return s;
}

/* alias = [proto:]host[:port], IPv6 in brackets when a port follows */
static int set_alias(const char *spec, char *err, int errlen)
{
	const char *s = skip_proto(spec), *colon = NULL, *p;
	str host;
	long port = 0;
	char *end;

	if (s[0] == '[') {
		p = strchr(s, ']');
		if (!p)
			goto bad;
		colon = (p[1] == ':') ? p + 1 : NULL;
		if (p[1] && !colon)
			goto bad;
	} else if ((p = strchr(s, ':')) && !strchr(p + 1, ':')) {
		colon = p;
	}
	host.s = (char *)s;
	host.len = colon ? (int)(colon - s) : (int)strlen(s);
	if (host.len == 0)
		goto bad;
	if (colon) {
		port = strtol(colon + 1, &end, 10);
		if (*end || colon[1] == '\0' || port < 1 || port > 65535) {
			snprintf(err, errlen, "invalid port in alias '%s'",
			         spec);
			return SV_EINVAL;
		}
	}
	if (alias_add(&host, (unsigned short)port) != SV_OK)
		return SV_ENOMEM;
	return SV_OK;
bad:
	snprintf(err, errlen, "invalid alias '%s' (expected host[:port])",
	         spec);
	return SV_EINVAL;
}

static int set_int(const struct core_param *p, long v, char *err, int errlen)
{
	if (v < p->min || v > p->max) {
		snprintf(err, errlen,
		         "'%s' must be between %ld and %ld, not %ld", p->name,
		         p->min, p->max, v);
		return SV_EINVAL;
	}
	*(int *)((char *)&core_cfg + p->off) = (int)v;
	return SV_OK;
}

static int set_facility(const struct core_param *p, const char *s, char *err,
                        int errlen)
{
	int f = log_facility_from_name(s);

	if (f < 0) {
		snprintf(err, errlen,
		         "unknown syslog facility '%s' "
		         "(LOG_DAEMON, LOG_LOCAL0 ... LOG_LOCAL7 ...)",
		         s);
		return SV_EINVAL;
	}
	*(int *)((char *)&core_cfg + p->off) = f;
	return SV_OK;
}

int core_param_set(const char *name, const struct core_value *v, char *err,
                   int errlen)
{
	const struct core_param *p = find_param(name);

	if (!p) {
		snprintf(err, errlen, "unknown global parameter '%s'", name);
		return SV_ENOTFOUND;
	}
	if (!kind_ok(p->kind, v)) {
		snprintf(err, errlen, "'%s' expects %s, found %s", name,
		         kind_expected(p->kind), value_found(v));
		return SV_EINVAL;
	}
	if (core_cfg.mpath_fixed && strcmp(name, "mpath") == 0)
		return SV_OK;  /* the command line (-L) wins */
	switch (p->target) {
	case T_INT:
		return set_int(p, v->i, err, errlen);
	case T_STR:
		return set_str((char **)((char *)&core_cfg + p->off), v->s);
	case T_FACILITY:
		return set_facility(p, v->s, err, errlen);
	case T_LISTEN:
		return add_listen(v->s);
	case T_ALIAS:
		return set_alias(v->s, err, errlen);
	default:
		return SV_OK;
	}
}

int core_config_apply_listen(int *bad, char *err, int errlen)
{
	int i, rc;

	listen_set_default_port((unsigned short)core_cfg.port);
	for (i = 0; i < core_cfg.nlisten; i++) {
		rc = listen_add(core_cfg.listen[i], err, errlen);
		if (rc != SV_OK) {
			*bad = i;
			return rc;
		}
	}
	return SV_OK;
}

void core_config_reset(void)
{
	static const struct core_config defaults = CORE_DEFAULTS;
	int i;

	for (i = 0; i < core_cfg.nlisten; i++)
		free(core_cfg.listen[i]);
	free(core_cfg.listen);
	free(core_cfg.log_name);
	free(core_cfg.server_header);
	free(core_cfg.user_agent_header);
	free(core_cfg.mpath);
	core_cfg = defaults;
}
