/*
 * mi.h - the Management Interface: registry of commands and their running.
 *
 * MI is transport-agnostic.  A transport (the mi_fifo module, later
 * mi_xmlrpc) turns a request into a tree (tree.h), looks the command up
 * here, runs it with mi_execute() and renders the reply tree its own way.
 * The core registers its commands (mi_core.h), modules theirs through the
 * mi_cmds table of their exports (the loader calls mi_register_module()).
 *
 * A handler is   struct mi_root *f(struct mi_root *cmd, void *param)
 *   cmd    the request: its arguments are the children of cmd->node, in
 *          order (value, and name for "name::value" arguments); owned by
 *          the transport, valid only during the call
 *   param  the param of the registration
 * and returns
 *   a reply tree (owned by the caller from then on), e.g.
 *          mi_root_new(200, MI_OK_S) with children for the output lines
 *   NULL   failure: the transport answers "500 command '<name>' failed"
 *   MI_ROOT_ASYNC_RPL  (MI_ASYNC_RPL_FLAG commands only, and only when
 *          cmd->async is set): the reply will come later from any process
 *          through mi_async_complete(cmd->async, tree) (async.h)
 *
 * The registry is built by the master before it forks and is read-only
 * afterwards: every process has the same table, no lock is needed.  Each
 * process that serves MI calls mi_init_child() once to run the commands'
 * init hooks there.
 */
#ifndef SERVAL_MI_MI_H
#define SERVAL_MI_MI_H

#include "core/module.h"
#include "tree.h"

#define MI_CMD_NAME_MAX 64

struct mi_cmd {
	const char *name; /* NUL terminated copy */
	int name_len;
	const char *module; /* "core" or the module's name */
	mi_cmd_function f;
	unsigned flags; /* MI_ASYNC_RPL_FLAG, MI_NO_INPUT_FLAG */
	void *param;
	int (*init)(void); /* per serving process, optional */
};

/*
 * Registers one command for module (the name is copied).  Master only,
 * before forking.  Returns SV_OK, SV_EINVAL (empty, too long or not
 * printable name, no handler, called in a child), SV_EEXIST (name taken),
 * SV_ENOMEM.
 */
int mi_register(const char *module, const struct mi_export *e);

/*
 * Registers a NULL-name-terminated table (NULL table: SV_OK).  Stops at
 * the first failure and returns its code.  Master only.
 */
int mi_register_module(const char *module, const struct mi_export *table);

/* Finds a command; len < 0 means NUL terminated.  NULL when unknown. */
const struct mi_cmd *mi_lookup(const char *name, int len);

/* Number of registered commands, and the i-th in registration order. */
int mi_cmd_count(void);
const struct mi_cmd *mi_cmd_at(int i);

/*
 * Runs the init hook of every command, in registration order, in the
 * calling process (the one that serves MI).  Returns SV_OK or SV_ERR after
 * logging which command failed.
 */
int mi_init_child(void);

/*
 * Runs cmd with the request req.  Returns the reply tree (the caller frees
 * it), MI_ROOT_ASYNC_RPL, or NULL only when even an error reply could not
 * be built (out of memory: the transport answers 500 from static text).
 * A handler returning NULL gives "500 command '<name>' failed"; a handler
 * returning MI_ROOT_ASYNC_RPL while req->async is NULL is a bug answered
 * with 500.
 */
struct mi_root *mi_execute(const struct mi_cmd *cmd, struct mi_root *req);

/* The reply to an unknown command: "500 command '<name>' not available". */
struct mi_root *mi_reply_unknown(const char *name, int len);

/* Forgets every command (tests, master at exit). */
void mi_registry_destroy(void);

#endif /* SERVAL_MI_MI_H */
