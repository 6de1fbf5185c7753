/*
 * core_cmds.h - the core's script functions (OpenSER 1.2 core actions).
 *
 * Core functions are described with the same struct cmd_export as module
 * functions, so binding, arity and route-type checks, fixups and the run
 * time dispatch (cmd->function(msg, params)) treat both alike.  The fixup
 * pass looks names up here first, then in the modules (a module cannot
 * override a core function, as the keywords of OpenSER's grammar could not
 * be overridden either).
 *
 * drop, exit, return, route(n), break, if/switch/while are statements,
 * not functions (cfg/ast.h).
 *
 * Bodies live in cfg/act_*.c (cfg/actions.h).  A few OpenSER 1.2 core
 * functions are listed without a body, with the reason in `unimpl`
 * (forward_tcp, forward_tls, send_tcp, force_tcp_alias: no TCP/TLS
 * transport yet; use_blacklist/unuse_blacklist: no destination
 * blacklists; serialize_branches/next_branches: no serial forking yet;
 * error(): OpenSER never implemented it either).  The fixup pass refuses a
 * call to one of them with that reason at the call's file:line:col, so a
 * script never starts with a function that would do nothing.
 */
#ifndef SERVAL_CFG_CORE_CMDS_H
#define SERVAL_CFG_CORE_CMDS_H

#include "core/flags.h"
#include "core/module.h"

/* core_cmd flags */
#define CORE_CMD_BARE 0x01 /* may be written without "()": force_rport; */

struct core_cmd {
	struct cmd_export e;
	unsigned flags;
	const char *unimpl; /* e.function NULL: why it is not implemented */
};

/* The table, terminated by an entry with a NULL name. */
extern const struct core_cmd core_cmds[];

/* Largest flag number of setflag/setsflag/setbflag (flags are 0..31). */
#define CFG_MAX_FLAG FLAG_MAX

/*
 * Finds a core function by name and arity.  Returns NULL when unknown;
 * *arity_mismatch is 1 when the name exists with other arities.
 */
const struct cmd_export *core_cmd_find(const char *name, int argc,
                                       int *arity_mismatch);

/* Arities of core function name as a bit mask (bit n: n arguments). */
unsigned core_cmd_arities(const char *name);

/* 1 when name is a core function that may be written without "()". */
int core_cmd_bare_ok(const char *name);

/*
 * When e is a core function without a body, returns why it is not
 * implemented; NULL otherwise (implemented, or not a core function).
 */
const char *core_cmd_unimplemented(const struct cmd_export *e);

#endif /* SERVAL_CFG_CORE_CMDS_H */
