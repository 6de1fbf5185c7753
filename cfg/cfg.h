/*
 * cfg.h - the routing script: what main calls.
 *
 * Start-up order (OpenSER's: modules are initialised before the script's
 * actions are fixed up, because module fixups may need module state):
 *
 *   1. main presets core_cfg fields it takes from options that the script
 *      may override (e.g. a module path), then
 *   2. cfg_load(path, &script): reads and parses the script; global
 *      parameters go to core_cfg as they are read, loadmodule loads each
 *      module at once (and registers its pseudo-variables), modparam sets
 *      parameters; finally the listen= values are handed to listen_add().
 *   3. main applies the command-line options that beat the script (-n, -E,
 *      -D, -l ...), sets the log level from core_cfg.debug, creates shm.
 *   4. modules_init(): every mod_init, in load order.
 *   5. cfg_fixup_all(script): route references, binding of every function
 *      call, arity, route types, regexes, pseudo-variables, module fixups.
 *   6. `serval -c` stops here: modules_destroy(), cfg_free(), exit 0.
 *      Otherwise sockets are opened and the processes forked; workers run
 *      the script read-only.
 *
 * Any step that fails has logged one "file:line:col: error: ..." line (also
 * available as cfg_last_error()) and main exits with status 1.  At exit:
 * modules_destroy(), cfg_free(script), modules_unload().
 */
#ifndef SERVAL_CFG_CFG_H
#define SERVAL_CFG_CFG_H

#include <stddef.h>

#include "diag.h"

struct cfg_script;
struct cfg_route;

/*
 * Reads the script at path (the name used in messages, as given) and does
 * step 2 above.  On success *out is the script (cfg_free) and SV_OK is
 * returned; otherwise the error was reported, *out is NULL and the code is
 * SV_EINVAL (a mistake in the script), SV_ENOTFOUND / SV_EIO (unreadable
 * file) or SV_ENOMEM.  Modules loaded before an error stay loaded.
 * Master only.
 */
int cfg_load(const char *path, struct cfg_script **out);

/*
 * The same for a script held in memory; name is used in messages and to
 * find relative include files.  buf need not be NUL terminated and is not
 * kept.
 */
int cfg_load_buffer(const char *name, const char *buf, size_t len,
                    struct cfg_script **out);

/*
 * Step 5: fixes up the whole script.  Returns SV_OK, or the code of the
 * first problem after reporting it.  Calling it again after success does
 * nothing; after a failure it returns SV_EINVAL at once (the script can
 * only be freed).  Master only, after modules_init().
 */
int cfg_fixup_all(struct cfg_script *s);

/*
 * Returns the main route of type (REQUEST_ROUTE: route {}, ONREPLY_ROUTE:
 * onreply_route {}, ERROR_ROUTE: error_route {}), or NULL if the script has
 * none.
 */
struct cfg_route *cfg_main_route(const struct cfg_script *s, int type);

/*
 * Frees the script: module fixup results (free_fixup), compiled regexes,
 * pseudo-variable specs, the tree.  NULL is fine.  Must run before
 * modules_unload().
 */
void cfg_free(struct cfg_script *s);

#endif /* SERVAL_CFG_CFG_H */
