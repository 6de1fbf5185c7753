/*
 * module.h - what a module exports, and the loader's registry.
 *
 * A module is a shared object (modules/<name>/<name>.so) that exports exactly
 * one symbol, `exports`, of type struct module_exports (built with hidden
 * visibility; mark it SERVAL_MODULE_EXPORT).  The loader (core/module.c)
 * dlopens it when the script says loadmodule, checks the ABI version and the
 * build signature (a module built for another serval is refused), refuses a
 * duplicate name, and records the tables:
 *
 *   cmds      script functions: name, handler, arity, fixup, allowed routes
 *   params    modparam targets: name, type, address or setter
 *   stats     statistics registered in the module's group ("sl:", "tm:")
 *   mi_cmds   MI commands
 *   pvs       pseudo-variables ($T_branch_idx ...)
 *   apis      functions other modules bind to (tm's "load_tm")
 *
 * and the hooks: mod_init() once in the master after the whole script was
 * read and every modparam applied (in load order); child_init() in each
 * child after fork; destroy() once in the master at shutdown; response_f()
 * for every received SIP reply (tm uses it to match replies).
 *
 * Tables are arrays terminated by an entry whose name is NULL.  A script
 * function name may appear several times with different arities (OpenSER's
 * t_relay() / t_relay(flags)).  A module's pseudo-variables are registered
 * as soon as it is loaded, so the script can name them; its statistics and
 * MI commands are registered by modules_init().
 *
 * Load rules (module_load): a name ("sl.so" or "sl") is looked up as
 * mpath/sl.so, then mpath/sl/sl.so (so mpath="modules/" works in the build
 * tree); an absolute path is used as it is.  The module is opened with
 * RTLD_NOW | RTLD_GLOBAL; a missing `exports` symbol, another ABI version
 * or build signature, a malformed table or a name already loaded refuses
 * it (and it is closed again).
 *
 * modparam types (module_set_param): an int given to a PARAM_STR parameter
 * is converted to its decimal text (OpenSER let "5060" and 5060 mean the
 * same); a string given to a PARAM_INT parameter is accepted only when it
 * is entirely a decimal or 0x hex integer ("10", "0x1f"), anything else is
 * a type error.  The module name of a modparam may be a POSIX extended
 * regular expression ("usrloc|registrar"), matched case-insensitively
 * against whole module names, as in OpenSER.
 */
#ifndef SERVAL_CORE_MODULE_H
#define SERVAL_CORE_MODULE_H

#include "str.h"

struct sip_msg;
struct proc_info;
struct mi_root;
struct pv_export;
struct fixup_ctx;

#define MODULE_ABI_VERSION 1
#define SERVAL_MODULE_EXPORT __attribute__((visibility("default")))

/* Route types, as bits: where a script function may be used. */
#define REQUEST_ROUTE 0x01
#define FAILURE_ROUTE 0x02
#define ONREPLY_ROUTE 0x04
#define BRANCH_ROUTE 0x08
#define ERROR_ROUTE 0x10
#define ANY_ROUTE 0x1f

#define CMD_MAX_PARAMS 6

/*
 * A script function.  params[i] holds what the fixup made of argument i (or
 * the literal char* when there is no fixup).  Returns > 0 true, < 0 false,
 * 0 stop the script (OpenSER convention).
 */
typedef int (*cmd_function)(struct sip_msg *msg, void **params);

/*
 * Converts argument idx (0-based) of a call at fixup time, in the master:
 * *param holds the literal (char *, NUL terminated, owned by the script);
 * the fixup replaces it with its own object.  Returns SV_OK, or an error
 * code after reporting the problem with fixup_error(ctx, ...), which
 * prefixes file:line:col of the argument.  struct fixup_ctx, fixup_error()
 * and the common fixups (integers, strings, strings with pseudo-variables,
 * regexes, route references) are in cfg/fixup.h.
 */
typedef int (*fixup_function)(struct fixup_ctx *ctx, void **param, int idx);

/*
 * Releases what fixup made of argument idx (when the script is freed: at
 * shutdown, and in tests).  NULL when the fixup allocates nothing.
 */
typedef void (*fixup_free_function)(void **param, int idx);

struct cmd_export {
	const char *name;
	cmd_function function;
	int param_no;            /* exact number of arguments */
	fixup_function fixup;    /* NULL: arguments stay literal strings */
	unsigned route_types;    /* REQUEST_ROUTE | ... */
	fixup_free_function free_fixup; /* NULL: nothing to release */
};

/* modparam types */
#define PARAM_INT 1          /* value points to an int */
#define PARAM_STR 2          /* value points to a char* (set to a copy) */
#define PARAM_USE_FUNC 0x100 /* value is a setter: int f(int type, void *v) */

/*
 * A PARAM_USE_FUNC setter: called once per modparam line, in script
 * order.  type is PARAM_INT (value points to an int) or PARAM_STR (value
 * is the NUL-terminated string, valid during the call only: copy it).
 * Returns SV_OK, or a negative code to refuse the value (the script is
 * then rejected at that modparam).
 */
typedef int (*param_setter)(int type, void *value);

struct param_export {
	const char *name;
	int type;                /* PARAM_INT or PARAM_STR, | PARAM_USE_FUNC */
	void *value;
};

struct stat_var;
typedef long (*stat_func)(void);

/* statistic flags */
#define STAT_NO_RESET 0x01   /* a gauge: reset_statistics leaves it alone */
#define STAT_IS_FUNC 0x02    /* computed on read: var is a stat_func */

struct stat_export {
	const char *name;
	unsigned flags;
	struct stat_var **var;   /* filled at registration; or the stat_func */
};

typedef struct mi_root *(*mi_cmd_function)(struct mi_root *cmd, void *param);

/* MI command flags */
#define MI_ASYNC_RPL_FLAG 0x01  /* the handler may answer later */
#define MI_NO_INPUT_FLAG 0x02   /* arguments are not parsed */

struct mi_export {
	const char *name;
	mi_cmd_function cmd;
	unsigned flags;
	void *param;
	int (*init)(void);       /* run in the process serving MI, optional */
};

struct api_export {
	const char *name;
	void *function;
};

struct module_exports {
	unsigned abi_version;          /* MODULE_ABI_VERSION */
	const char *build_signature;   /* SERVAL_BUILD_SIGNATURE */
	const char *name;
	const struct cmd_export *cmds;
	const struct param_export *params;
	const struct stat_export *stats;
	const struct mi_export *mi_cmds;
	const struct pv_export *pvs;
	const struct api_export *apis;
	int (*mod_init)(void);
	int (*child_init)(const struct proc_info *self);
	void (*destroy)(void);
	int (*response_f)(struct sip_msg *reply); /* 1: core relays it */
};

/* What every module and the core must agree on to link safely. */
#define SERVAL_BUILD_SIGNATURE "serval " SERVAL_VERSION " abi1 " SERVAL_BUILD_FLAGS

struct module_strparam;

struct module {
	const struct module_exports *exports;
	void *handle;            /* dlopen handle, NULL for built-in */
	char *path;
	struct module_strparam *strs; /* PARAM_STR copies to free at unload */
	int initialized;         /* mod_init() succeeded */
	struct module *next;
};

/* Loaded modules in load order. */
extern struct module *module_list;

/*
 * Loads a module: path is absolute; a relative path with a '/' (looked
 * up under mpath, then from the working directory); or a name looked up
 * as mpath/<name>.so then mpath/<name>/<name>.so ("sl.so" or "sl").
 * On error writes a human-readable reason into err (size errlen) and
 * returns SV_ENOTFOUND (no file), SV_EINVAL (not a serval module, ABI or
 * signature mismatch, malformed tables), SV_EEXIST (a module of that name
 * is loaded, or one of its pseudo-variable names is taken), SV_ENOMEM.
 * Master only.
 */
int module_load(const char *path, const char *mpath, char *err, int errlen);

/* Returns the loaded module named name, or NULL. */
struct module *module_find(const char *name);

/*
 * Finds a script function by name and arity across all modules, in load
 * order (the first module exporting it wins).  The core's own functions
 * are in cfg/core_cmds.h; the fixup pass looks there first.  Returns NULL
 * when unknown; *arity_mismatch is set to 1 when the name exists with
 * other arities (0 otherwise).
 */
const struct cmd_export *module_find_cmd(const char *name, int param_no,
                                         int *arity_mismatch);

/*
 * Returns the arities a module function accepts, as a bit mask (bit n set:
 * n arguments); 0 when no module exports name.
 */
unsigned module_cmd_arities(const char *name);

/*
 * Applies modparam(module, param, value).  type is PARAM_INT (value points
 * to an int) or PARAM_STR (value is a NUL-terminated string); see the
 * conversion rules above.  Returns SV_OK; SV_ENOTFOUND when no loaded
 * module matches or it has no such parameter; SV_EINVAL for a type
 * mismatch or a setter that refused the value; SV_ENOMEM.  On error err
 * says why and *bad_arg which argument is at fault (0 module, 1 parameter,
 * 2 value).  Master only.
 */
int module_set_param(const char *module, const char *param, int type,
                     const void *value, int *bad_arg, char *err,
                     int errlen);

/* Returns the API function name exported by module, or NULL. */
void *module_find_api(const char *module, const char *name);

/*
 * Runs every mod_init in load order, registering the statistics and MI
 * commands of each module first.  Returns SV_OK or the first failure
 * (logged with the module's name).  Master only.
 */
int modules_init(void);

/* Runs every child_init in load order. Returns SV_OK or the first error. */
int modules_child_init(const struct proc_info *self);

/*
 * Runs the destroy hook of every module whose mod_init succeeded (reverse
 * load order).  Master only.
 */
void modules_destroy(void);

/*
 * Frees the PARAM_STR copies module_set_param() made for m (module_param.c;
 * used by modules_unload()).
 */
void module_free_strparams(struct module *m);

/*
 * Unregisters the modules' pseudo-variables, frees parameter copies and
 * closes every module (reverse load order); module_list is empty after.
 * The script must have been freed first (it points into module tables).
 * Master at exit, and tests.
 */
void modules_unload(void);

/*
 * Gives a received reply to every module's response_f.  Returns 1 when no
 * module consumed it (the core relays it statelessly), 0 otherwise.
 */
int modules_response(struct sip_msg *reply);

#endif /* SERVAL_CORE_MODULE_H */
