/*
 * core_cmds.c - the table of core script functions (names, arities,
 * fixups, bodies) and its lookups.
 *
 * Argument conventions follow OpenSER 1.2's grammar: flags and counts are
 * numbers (a quoted number is accepted too), URIs and hosts are literal
 * strings (no pseudo-variables, as in 1.2), log levels are numbers.  No
 * core function is restricted to some route types: OpenSER 1.2 did not
 * restrict them either.
 */
#include "core_cmds.h"

#include <stddef.h>
#include <string.h>

#include "actions.h"
#include "fixup.h"

#define ANY ANY_ROUTE
/* name, body, arity, fixup, free, flags */
#define CMD(n, f, a, fx, fr, fl)                                               \
	{                                                                      \
		{n, f, a, fx, ANY, fr}, fl, NULL                               \
	}
#define STR1(n, f)      CMD(n, f, 1, fixup_str, fixup_free_str, 0)
#define NOARG(n, f, fl) CMD(n, f, 0, NULL, NULL, fl)
#define NOIMPL(n, a, why)                                                      \
	{                                                                      \
		{n, NULL, a, NULL, ANY, NULL}, 0, why                          \
	}
#define BARE CORE_CMD_BARE

#define NO_TCP    "the TCP and TLS transports are not implemented yet"
#define NO_BL     "destination blacklists are not implemented"
#define NO_SERIAL "serial forking by q value is not implemented yet"

const struct core_cmd core_cmds[] = {
    NOARG("forward", w_forward0, 0),
    CMD("forward", w_forward1, 1, fixup_fwd_dest, free_fwd_dest, 0),
    CMD("forward", w_forward2, 2, fixup_fwd_dest, free_fwd_dest, 0),
    NOARG("forward_udp", w_forward0, 0),
    CMD("forward_udp", w_forward1, 1, fixup_fwd_dest, free_fwd_dest, 0),
    CMD("forward_udp", w_forward2, 2, fixup_fwd_dest, free_fwd_dest, 0),
    NOIMPL("forward_tcp", 0, NO_TCP),
    NOIMPL("forward_tcp", 1, NO_TCP),
    NOIMPL("forward_tls", 0, NO_TCP),
    NOIMPL("forward_tls", 1, NO_TCP),
    CMD("send", w_send1, 1, fixup_fwd_dest, free_fwd_dest, 0),
    NOIMPL("send_tcp", 1, NO_TCP),
    CMD("log", w_log1, 1, fixup_str, fixup_free_str, 0),
    CMD("log", w_log2, 2, fixup_log2, free_log2, 0),
    NOIMPL("error", 2, "OpenSER 1.2 did not implement it either"),
    CMD("setflag", w_setflag, 1, fixup_flag, NULL, 0),
    CMD("resetflag", w_resetflag, 1, fixup_flag, NULL, 0),
    CMD("isflagset", w_isflagset, 1, fixup_flag, NULL, 0),
    CMD("setbflag", w_setbflag1, 1, fixup_bflag, NULL, 0),
    CMD("setbflag", w_setbflag2, 2, fixup_bflag, NULL, 0),
    CMD("setbranchflag", w_setbflag1, 1, fixup_bflag, NULL, 0),
    CMD("setbranchflag", w_setbflag2, 2, fixup_bflag, NULL, 0),
    CMD("resetbflag", w_resetbflag1, 1, fixup_bflag, NULL, 0),
    CMD("resetbflag", w_resetbflag2, 2, fixup_bflag, NULL, 0),
    CMD("resetbranchflag", w_resetbflag1, 1, fixup_bflag, NULL, 0),
    CMD("resetbranchflag", w_resetbflag2, 2, fixup_bflag, NULL, 0),
    CMD("isbflagset", w_isbflagset1, 1, fixup_bflag, NULL, 0),
    CMD("isbflagset", w_isbflagset2, 2, fixup_bflag, NULL, 0),
    CMD("isbranchflagset", w_isbflagset1, 1, fixup_bflag, NULL, 0),
    CMD("isbranchflagset", w_isbflagset2, 2, fixup_bflag, NULL, 0),
    CMD("setsflag", w_setsflag, 1, fixup_flag, NULL, 0),
    CMD("setscriptflag", w_setsflag, 1, fixup_flag, NULL, 0),
    CMD("resetsflag", w_resetsflag, 1, fixup_flag, NULL, 0),
    CMD("resetscriptflag", w_resetsflag, 1, fixup_flag, NULL, 0),
    CMD("issflagset", w_issflagset, 1, fixup_flag, NULL, 0),
    CMD("isscriptflagset", w_issflagset, 1, fixup_flag, NULL, 0),
    CMD("rewriteuri", w_seturi, 1, fixup_uri, fixup_free_str, 0),
    CMD("seturi", w_seturi, 1, fixup_uri, fixup_free_str, 0),
    STR1("rewritehost", w_sethost),
    STR1("sethost", w_sethost),
    STR1("seth", w_sethost),
    STR1("rewritehostport", w_sethostport),
    STR1("sethostport", w_sethostport),
    STR1("sethp", w_sethostport),
    STR1("rewriteuser", w_setuser),
    STR1("setuser", w_setuser),
    STR1("setu", w_setuser),
    STR1("rewriteuserpass", w_setuserpass),
    STR1("setuserpass", w_setuserpass),
    STR1("setup", w_setuserpass),
    CMD("rewriteport", w_setport, 1, fixup_port_str, fixup_free_str, 0),
    CMD("setport", w_setport, 1, fixup_port_str, fixup_free_str, 0),
    CMD("setp", w_setport, 1, fixup_port_str, fixup_free_str, 0),
    STR1("prefix", w_prefix),
    CMD("strip", w_strip, 1, fixup_uint, NULL, 0),
    CMD("strip_tail", w_strip_tail, 1, fixup_uint, NULL, 0),
    NOARG("revert_uri", w_revert_uri, BARE),
    CMD("setdsturi", w_setdsturi, 1, fixup_uri, fixup_free_str, 0),
    CMD("setduri", w_setdsturi, 1, fixup_uri, fixup_free_str, 0),
    NOARG("resetdsturi", w_resetdsturi, BARE),
    NOARG("resetduri", w_resetdsturi, BARE),
    NOARG("isdsturiset", w_isdsturiset, BARE),
    NOARG("isduriset", w_isdsturiset, BARE),
    NOARG("append_branch", w_append_branch0, BARE),
    CMD("append_branch", w_append_branch1, 1, fixup_uri, fixup_free_str, 0),
    CMD("append_branch", w_append_branch2, 2, fixup_q, free_q, 0),
    NOARG("force_rport", w_force_rport, BARE),
    NOARG("add_rport", w_force_rport, BARE),
    NOARG("force_local_rport", w_force_local_rport, BARE),
    NOARG("add_local_rport", w_force_local_rport, BARE),
    NOIMPL("force_tcp_alias", 0, NO_TCP),
    NOIMPL("add_tcp_alias", 0, NO_TCP),
    NOIMPL("force_tcp_alias", 1, NO_TCP),
    NOIMPL("add_tcp_alias", 1, NO_TCP),
    STR1("set_advertised_address", w_set_adv_address),
    CMD("set_advertised_port", w_set_adv_port, 1, fixup_port_str,
        fixup_free_str, 0),
    CMD("force_send_socket", w_force_send_socket, 1, fixup_send_socket, NULL,
        0),
    NOIMPL("serialize_branches", 1, NO_SERIAL),
    NOIMPL("next_branches", 0, NO_SERIAL),
    NOIMPL("use_blacklist", 1, NO_BL),
    NOIMPL("unuse_blacklist", 1, NO_BL),
    NOARG("setdebug", w_setdebug0, 0),
    CMD("setdebug", w_setdebug1, 1, fixup_int, NULL, 0),
    CMD("pv_printf", w_pv_printf, 2, fixup_pv_printf, free_pv_printf, 0),
    CMD("avp_printf", w_pv_printf, 2, fixup_pv_printf, free_pv_printf, 0),
    {{NULL, NULL, 0, NULL, 0, NULL}, 0, NULL}};

const char *core_cmd_unimplemented(const struct cmd_export *e)
{
	const struct core_cmd *c;

	for (c = core_cmds; c->e.name; c++)
		if (&c->e == e)
			return c->unimpl;
	return NULL;
}

const struct cmd_export *core_cmd_find(const char *name, int argc,
                                       int *arity_mismatch)
{
	const struct core_cmd *c;

	*arity_mismatch = 0;
	for (c = core_cmds; c->e.name; c++) {
		if (strcmp(c->e.name, name) != 0)
			continue;
		if (c->e.param_no == argc)
			return &c->e;
		*arity_mismatch = 1;
	}
	return NULL;
}

unsigned core_cmd_arities(const char *name)
{
	const struct core_cmd *c;
	unsigned mask = 0;

	for (c = core_cmds; c->e.name; c++)
		if (strcmp(c->e.name, name) == 0)
			mask |= 1u << c->e.param_no;
	return mask;
}

int core_cmd_bare_ok(const char *name)
{
	const struct core_cmd *c;

	for (c = core_cmds; c->e.name; c++)
		if ((c->flags & CORE_CMD_BARE) && strcmp(c->e.name, name) == 0)
			return 1;
	return 0;
}
