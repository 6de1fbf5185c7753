/*
 * config.h - the core settings a script's global assignments set.
 *
 * All of them live in one struct, core_cfg, initialised with OpenSER's
 * defaults.  The script parser hands every "name = value" to
 * core_param_set(), which finds the name in one table (config.c) that maps
 * it to a typed field or a handler; there is no other way in.  Unknown
 * names are errors.  Parameters that serval accepts for compatibility but
 * does not act on are marked and core_param_noeffect() says so, so the
 * parser can log it where they are used.
 *
 * Order of effect: main may preset fields before the script is read (e.g.
 * a module path option); the script then overrides them; main applies its
 * command-line options last (OpenSER did the same: -n beats children=).
 * listen= specifications are collected here and handed to listen_add()
 * only when the whole script was read (core_config_apply_listen()), so
 * port= applies to every listen without a port, wherever it appears.
 *
 * Master only; read by everybody after fork (never written again).
 */
#ifndef SERVAL_CORE_CONFIG_H
#define SERVAL_CORE_CONFIG_H

struct core_config {
	int debug;        /* log level, L_NOTICE (2) */
	int fork;         /* 1; 0: OpenSER's single-process mode */
	int log_stderror; /* 0: syslog */
	int log_facility; /* LOG_DAEMON */
	char *log_name;   /* syslog ident; NULL: "serval" */
	int children;     /* UDP receivers per listen socket, 8 */
	int adaptive_receivers; /* 1: idle receivers park (udp_pool.h) */
	int tcp_children; /* TCP workers; 0: same as children */
	int disable_tcp;  /* 0 */
	int port;         /* default port for listen/alias, 5060 */
	char **listen;    /* listen= values in order */
	int nlisten;
	int check_via;            /* 0: check the Via of replies against us */
	int reply_to_via;         /* 0: stateless replies to the Via, not src */
	int server_signature;     /* 1: Server header in local replies */
	int sip_warning;          /* 0: Warning header in local replies */
	char *server_header;      /* NULL: "Server: serval (<version>)" */
	char *user_agent_header;  /* NULL: "User-Agent: serval (<version>)" */
	int max_while_loops;      /* 100 */
	int disable_dns_failover; /* 0 */
	int dns;                  /* 0, accepted, no effect */
	int rev_dns;              /* 0, accepted, no effect */
	int auto_aliases;         /* 1, accepted, no effect */
	char *mpath;              /* module path; NULL: SERVAL_DEFAULT_MPATH */
	int mpath_fixed;          /* set by -L: the script's mpath= is ignored */
};

extern struct core_config core_cfg;

/* Kinds of values the script parser hands over. */
#define CORE_VAL_INT  1 /* a number, or yes/no/on/off/true/false... */
#define CORE_VAL_STR  2 /* a quoted string */
#define CORE_VAL_WORD 3 /* unquoted text: name, host, address, spec */

struct core_value {
	int kind;
	long i;        /* CORE_VAL_INT */
	const char *s; /* CORE_VAL_STR / CORE_VAL_WORD, NUL terminated */
};

/* How a parameter's value is written (what the parser should read). */
#define CP_INT  1 /* a number */
#define CP_BOOL 2 /* a number or yes/no */
#define CP_STR  3 /* a string or a word */
#define CP_SPEC 4 /* a host/address spec, possibly several per line */
#define CP_ANY  5 /* a number, string or word */

/*
 * Returns the CP_* kind of parameter name, or SV_ENOTFOUND when there is
 * no such core parameter.
 */
int core_param_kind(const char *name);

/* Returns 1 when name is accepted but has no effect in serval. */
int core_param_noeffect(const char *name);

/*
 * Applies name = v.  Returns SV_OK; SV_ENOTFOUND for an unknown name;
 * SV_EINVAL for a value of the wrong kind or out of range (err says what
 * was expected); SV_ENOMEM.  Copies strings.  Master only.
 */
int core_param_set(const char *name, const struct core_value *v, char *err,
                   int errlen);

/*
 * Hands the collected listen= values to listen_add() after setting the
 * default port (listen_set_default_port(core_cfg.port)).  Returns SV_OK,
 * or SV_EINVAL with err from listen_add() and *bad set to the index of
 * the failing value.  Master only, once the script was read.
 */
int core_config_apply_listen(int *bad, char *err, int errlen);

/* Frees owned strings and restores every default (tests, reload). */
void core_config_reset(void);

#endif /* SERVAL_CORE_CONFIG_H */
