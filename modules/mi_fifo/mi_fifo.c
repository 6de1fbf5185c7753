/*
 * mi_fifo.c - the mi_fifo module: MI over a named pipe, as in OpenSER.
 *
 *   loadmodule "mi_fifo.so"
 *   modparam("mi_fifo", "fifo_name", "/tmp/serval_fifo")
 *
 * This file holds only the module's tables and its set-up in the master:
 * mod_init() checks the parameters, makes relative paths absolute (the
 * master may chdir("/") when it detaches), creates the FIFO (so a bad path
 * or a FIFO held by another running server stops start-up with a clear
 * error), makes the wake-up pipe for deferred replies, and asks the core
 * for one process of role ROLE_MI_FIFO ("mi fifo") whose body is
 * fifo_server_run().  The module never forks by itself; the master forks
 * and supervises that process like any other.  destroy() removes the FIFO.
 * See README.md for the parameters and the protocol.
 */
#include "fifo_file.h"
#include "fifo_server.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *fifo_name = "/tmp/serval_fifo";
static int fifo_mode = 0600;
static char *reply_dir = "/tmp/";
static char *reply_indent = "\t";
static int reply_timeout = 1000; /* ms */
static int async_timeout = 300;  /* s */

static char fifo_path[PATH_MAX], reply_path[PATH_MAX];
static struct fifo_server_cfg cfg = {.notify_rd = -1, .notify_wr = -1};
static int fifo_created;

/* Makes p absolute (relative to the current directory) into out. */
static int absolute(const char *p, char *out, size_t size)
{
	char cwd[PATH_MAX];
	int n;

	if (p[0] == '/')
		n = snprintf(out, size, "%s", p);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		n = snprintf(out, size, "%s/%s", cwd, p);
	else
		return SV_EINVAL;
	return n > 0 && (size_t)n < size ? SV_OK : SV_EINVAL;
}

/*
 * fifo_mode is meant in octal (0600).  A script lexer that reads "0600"
 * as decimal 600 gives a value whose decimal digits are all octal digits:
 * read those digits as octal.
 */
static int octal_mode(int mode)
{
	int digits = mode, result = 0, scale = 1;

	if (mode <= 0777)
		return mode;
	for (; digits > 0; digits /= 10, scale *= 8) {
		if (digits % 10 > 7)
			return -1;
		result += (digits % 10) * scale;
	}
	return result <= 0777 ? result : -1;
}

static int check_reply_dir(void)
{
	struct stat st;

	if (absolute(reply_dir, reply_path, sizeof(reply_path)) != SV_OK ||
	    stat(reply_path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		LM_ERR("mi_fifo: reply_dir '%s' is not a directory\n",
		       reply_dir);
		return SV_EINVAL;
	}
	return SV_OK;
}

static int check_params(void)
{
	int mode = octal_mode(fifo_mode);

	if (fifo_name == NULL || fifo_name[0] == '\0' ||
	    absolute(fifo_name, fifo_path, sizeof(fifo_path)) != SV_OK) {
		LM_ERR("mi_fifo: bad fifo_name '%s'\n",
		       fifo_name ? fifo_name : "");
		return SV_EINVAL;
	}
	if (mode < 0) {
		LM_ERR("mi_fifo: fifo_mode %d is not a permission (e.g. "
		       "0600)\n",
		       fifo_mode);
		return SV_EINVAL;
	}
	if (reply_timeout < 10 || reply_timeout > 60000 || async_timeout < 1) {
		LM_ERR("mi_fifo: reply_timeout must be 10..60000 ms and "
		       "async_timeout at least 1 s\n");
		return SV_EINVAL;
	}
	cfg = (struct fifo_server_cfg){
	    .fifo_name = fifo_path,
	    .fifo_mode = mode,
	    .reply_dir = reply_path,
	    .reply_indent = reply_indent ? reply_indent : "",
	    .reply_timeout_ms = reply_timeout,
	    .async_timeout_s = async_timeout,
	    .stall_ms = MI_FIFO_STALL_MS,
	    .notify_rd = -1,
	    .notify_wr = -1,
	};
	return check_reply_dir();
}

static int fifo_proc_count(void *arg)
{
	return 1;
}

static void fifo_proc_desc(char *buf, int size, int rank, void *arg)
{
	snprintf(buf, (size_t)size, "mi fifo");
}

static void fifo_proc_run(int rank, void *arg)
{
	if (fifo_server_run(&cfg) != SV_OK)
		LM_CRIT("mi_fifo: cannot serve %s\n", cfg.fifo_name);
}

static const struct proc_type fifo_proc = {
    .role = ROLE_MI_FIFO,
    .count = fifo_proc_count,
    .desc = fifo_proc_desc,
    .run = fifo_proc_run,
};

static int mod_init(void)
{
	int fds[2];

	if (check_params() != SV_OK)
		return SV_EINVAL;
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
		LM_ERR("mi_fifo: pipe: %s\n", strerror(errno));
		return SV_EIO;
	}
	cfg.notify_rd = fds[0];
	cfg.notify_wr = fds[1];
	if (fifo_create(cfg.fifo_name, cfg.fifo_mode) != SV_OK) {
		close(fds[0]);
		close(fds[1]);
		cfg.notify_rd = cfg.notify_wr = -1;
		return SV_EIO;
	}
	fifo_created = 1;
	return proc_register(&fifo_proc);
}

static void mod_destroy(void)
{
	struct stat st;

	if (fifo_created && lstat(fifo_path, &st) == 0 && S_ISFIFO(st.st_mode))
		unlink(fifo_path);
	fifo_created = 0;
	if (cfg.notify_rd >= 0) {
		close(cfg.notify_rd);
		close(cfg.notify_wr);
		cfg.notify_rd = cfg.notify_wr = -1;
	}
}

static const struct param_export params[] = {
    {"fifo_name", PARAM_STR, &fifo_name},
    {"fifo_mode", PARAM_INT, &fifo_mode},
    {"reply_dir", PARAM_STR, &reply_dir},
    {"reply_indent", PARAM_STR, &reply_indent},
    {"reply_timeout", PARAM_INT, &reply_timeout},
    {"async_timeout", PARAM_INT, &async_timeout},
    {NULL, 0, NULL},
};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "mi_fifo",
    .params = params,
    .mod_init = mod_init,
    .destroy = mod_destroy,
};
