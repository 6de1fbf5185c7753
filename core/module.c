/*
 * module.c - loading modules, looking up what they export, running their
 * hooks.
 *
 * module_list keeps the modules in load order (appended at the tail).
 * Loading happens while the script is parsed, in the master; after fork the
 * list is only read.  Path rules, ABI checks and the modparam conversions
 * are described in module.h; modparam itself is in module_param.c.
 *
 * Statistics and MI commands of a module are registered by modules_init()
 * right before its mod_init, through the registries of core/stats.h and
 * mi/mi.h (see the note in modules_init()).
 */
#include "module.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "log.h"
#include "pv.h"
#include "stats.h"
#include "mi/mi.h"

struct module *module_list;

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Joins dir (may be "") and rest into out; returns 0 if it did not fit. */
static int join(char *out, int size, const char *dir, const char *a,
                const char *b)
{
	int n;
	const char *sep = (dir[0] && dir[strlen(dir) - 1] != '/') ? "/" : "";

	if (!dir[0] && !strchr(a, '/'))
		dir = "./";
	n = snprintf(out, size, "%s%s%s%s", dir, sep, a, b);
	return n > 0 && n < size;
}

/* A relative path with a '/': under mpath, else relative to the cwd. */
static int find_relative(const char *name, const char *mpath, char *out,
                         int size, char *err, int errlen)
{
	if (mpath[0] && join(out, size, mpath, name, "") && is_file(out))
		return SV_OK;
	snprintf(out, size, "%s", name);
	if (is_file(out))
		return SV_OK;
	snprintf(err, errlen, "module file '%s' not found", name);
	return SV_ENOTFOUND;
}

/*
 * Finds the file of module name: absolute as is; a relative path with a
 * '/' under mpath (or the cwd); else mpath/<base>.so then
 * mpath/<base>/<base>.so.
 */
static int find_module_file(const char *name, const char *mpath, char *out,
                            int size, char *err, int errlen)
{
	char base[256], dir[1024];
	size_t n = strlen(name);

	if (!mpath)
		mpath = "";
	if (name[0] == '/') {
		snprintf(out, size, "%s", name);
		if (is_file(out))
			return SV_OK;
		snprintf(err, errlen, "module file '%s' not found", name);
		return SV_ENOTFOUND;
	}
	if (strchr(name, '/'))
		return find_relative(name, mpath, out, size, err, errlen);
	if (n > 3 && strcmp(name + n - 3, ".so") == 0)
		n -= 3;
	if (n == 0 || n >= sizeof(base)) {
		snprintf(err, errlen, "invalid module name '%s'", name);
		return SV_EINVAL;
	}
	memcpy(base, name, n);
	base[n] = '\0';
	if (join(out, size, mpath, base, ".so") && is_file(out))
		return SV_OK;
	if (join(dir, sizeof(dir), mpath, base, "/") &&
	    join(out, size, dir, base, ".so") && is_file(out))
		return SV_OK;
	snprintf(err, errlen,
	         "module '%s' not found in '%s' (tried %s.so and %s/%s.so)",
	         name, mpath[0] ? mpath : ".", base, base, base);
	return SV_ENOTFOUND;
}

struct module *module_find(const char *name)
{
	struct module *m;

	for (m = module_list; m; m = m->next)
		if (strcmp(m->exports->name, name) == 0)
			return m;
	return NULL;
}

static int check_cmds(const struct module_exports *e, char *err, int errlen)
{
	const struct cmd_export *c;

	for (c = e->cmds; c && c->name; c++) {
		if (!c->function || c->param_no < 0 ||
		    c->param_no > CMD_MAX_PARAMS || !c->route_types ||
		    (c->route_types & ~ANY_ROUTE)) {
			snprintf(err, errlen,
			         "module '%s' exports a malformed "
			         "function '%s'",
			         e->name, c->name);
			return SV_EINVAL;
		}
	}
	return SV_OK;
}

static int check_params(const struct module_exports *e, char *err, int errlen)
{
	const struct param_export *p;
	int base;

	for (p = e->params; p && p->name; p++) {
		base = p->type & ~PARAM_USE_FUNC;
		if ((base != PARAM_INT && base != PARAM_STR) || !p->value) {
			snprintf(err, errlen,
			         "module '%s' exports a malformed "
			         "parameter '%s'",
			         e->name, p->name);
			return SV_EINVAL;
		}
	}
	return SV_OK;
}

/* The checks that need nothing but the exports struct. */
static int check_exports(const struct module_exports *e, const char *path,
                         char *err, int errlen)
{
	struct module *old;

	if (e->abi_version != MODULE_ABI_VERSION) {
		snprintf(err, errlen,
		         "module '%s' has ABI version %u, this serval needs %u",
		         path, e->abi_version, MODULE_ABI_VERSION);
		return SV_EINVAL;
	}
	if (!e->build_signature ||
	    strcmp(e->build_signature, SERVAL_BUILD_SIGNATURE) != 0) {
		snprintf(err, errlen,
		         "module '%s' was built for \"%s\", this "
		         "serval is \"%s\"",
		         path,
		         e->build_signature ? e->build_signature : "(none)",
		         SERVAL_BUILD_SIGNATURE);
		return SV_EINVAL;
	}
	if (!e->name || !e->name[0]) {
		snprintf(err, errlen, "module '%s' has no name", path);
		return SV_EINVAL;
	}
	old = module_find(e->name);
	if (old) {
		snprintf(err, errlen, "module '%s' is already loaded (from %s)",
		         e->name, old->path);
		return SV_EEXIST;
	}
	if (check_cmds(e, err, errlen) != SV_OK)
		return SV_EINVAL;
	return check_params(e, err, errlen);
}

static int open_module(const char *path, void **handle,
                       const struct module_exports **exp, char *err, int errlen)
{
	*handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	if (!*handle) {
		snprintf(err, errlen, "cannot load module '%s': %s", path,
		         dlerror());
		return SV_EINVAL;
	}
	*exp = dlsym(*handle, "exports");
	if (!*exp) {
		snprintf(err, errlen,
		         "'%s' is not a serval module (no 'exports' symbol)",
		         path);
		dlclose(*handle);
		return SV_EINVAL;
	}
	return SV_OK;
}

static void append_module(struct module *m)
{
	struct module **pp = &module_list;

	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
}

int module_load(const char *path, const char *mpath, char *err, int errlen)
{
	const struct module_exports *e;
	char file[1024];
	struct module *m;
	void *handle;
	int rc;

	rc = find_module_file(path, mpath, file, sizeof(file), err, errlen);
	if (rc != SV_OK)
		return rc;
	rc = open_module(file, &handle, &e, err, errlen);
	if (rc != SV_OK)
		return rc;
	rc = check_exports(e, file, err, errlen);
	if (rc == SV_OK)
		rc = pv_register_table(e->pvs, e->name, err, errlen);
	if (rc == SV_OK) {
		rc = SV_ENOMEM;
		m = calloc(1, sizeof(*m));
		if (m && (m->path = strdup(file))) {
			m->exports = e;
			m->handle = handle;
			append_module(m);
			LM_DBG("loaded module %s from %s\n", e->name, file);
			return SV_OK;
		}
		free(m);
		pv_unregister_owner(e->name);
		snprintf(err, errlen, "out of memory");
	}
	dlclose(handle);
	return rc == SV_EEXIST ? SV_EEXIST : rc;
}

const struct cmd_export *module_find_cmd(const char *name, int param_no,
                                         int *arity_mismatch)
{
	const struct cmd_export *c;
	struct module *m;

	*arity_mismatch = 0;
	for (m = module_list; m; m = m->next) {
		for (c = m->exports->cmds; c && c->name; c++) {
			if (strcmp(c->name, name) != 0)
				continue;
			if (c->param_no == param_no)
				return c;
			*arity_mismatch = 1;
		}
	}
	return NULL;
}

unsigned module_cmd_arities(const char *name)
{
	const struct cmd_export *c;
	struct module *m;
	unsigned mask = 0;

	for (m = module_list; m; m = m->next)
		for (c = m->exports->cmds; c && c->name; c++)
			if (strcmp(c->name, name) == 0)
				mask |= 1u << c->param_no;
	return mask;
}

void *module_find_api(const char *module, const char *name)
{
	const struct api_export *a;
	struct module *m = module_find(module);

	if (!m)
		return NULL;
	for (a = m->exports->apis; a && a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a->function;
	return NULL;
}

/* Registers a module's statistics and MI commands (before mod_init). */
static int module_register_tables(struct module *m)
{
	const char *name = m->exports->name;
	int rc = SV_OK;

	if (m->exports->stats)
		rc = stats_register_module(name, m->exports->stats);
	if (rc == SV_OK && m->exports->mi_cmds)
		rc = mi_register_module(name, m->exports->mi_cmds);
	if (rc != SV_OK)
		LM_ERR("module %s: cannot register its statistics or MI "
		       "commands (%s)\n", name, sv_strerror(rc));
	return rc;
}

int modules_init(void)
{
	struct module *m;
	int rc;

	for (m = module_list; m; m = m->next) {
		rc = module_register_tables(m);
		if (rc != SV_OK)
			return rc;
		if (m->exports->mod_init) {
			rc = m->exports->mod_init();
			if (rc < 0) {
				LM_ERR("module %s: initialisation failed "
				       "(%s)\n",
				       m->exports->name, sv_strerror(rc));
				return rc;
			}
		}
		m->initialized = 1;
	}
	return SV_OK;
}

int modules_child_init(const struct proc_info *self)
{
	struct module *m;
	int rc;

	for (m = module_list; m; m = m->next) {
		if (!m->exports->child_init)
			continue;
		rc = m->exports->child_init(self);
		if (rc < 0) {
			LM_ERR("module %s: child initialisation failed (%s)\n",
			       m->exports->name, sv_strerror(rc));
			return rc;
		}
	}
	return SV_OK;
}

/* Calls f on every module, last loaded first. */
static void for_each_reverse(struct module *m, void (*f)(struct module *))
{
	if (!m)
		return;
	for_each_reverse(m->next, f);
	f(m);
}

static void destroy_one(struct module *m)
{
	if (m->initialized && m->exports->destroy)
		m->exports->destroy();
	m->initialized = 0;
}

void modules_destroy(void)
{
	for_each_reverse(module_list, destroy_one);
}

int modules_response(struct sip_msg *reply)
{
	struct module *m;

	for (m = module_list; m; m = m->next)
		if (m->exports->response_f &&
		    m->exports->response_f(reply) == 0)
			return 0;
	return 1;
}

static void unload_one(struct module *m)
{
	pv_unregister_owner(m->exports->name);
	module_free_strparams(m);
	dlclose(m->handle);
	free(m->path);
	free(m);
}

void modules_unload(void)
{
	struct module *list = module_list;

	module_list = NULL;
	for_each_reverse(list, unload_one);
}
