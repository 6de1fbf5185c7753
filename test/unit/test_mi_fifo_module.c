/*
 * test_mi_fifo_module.c - the mi_fifo module as the loader sees it: its
 * exports, its parameters (set through the params table as modparam
 * does), mod_init creating the FIFO and asking the core for the "mi fifo"
 * process, the refusals (bad reply_dir, bad mode, a FIFO another server
 * reads, a path that is not a FIFO), the replacement of a stale FIFO, and
 * destroy removing it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/proc.h"
#include "modules/mi_fifo/fifo_file.h"
#include "shm/lock.h"
#include "shm/shm.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct module_exports exports;

static char dir[64], fifo[128];

/* modparam(mi_fifo, name, value) through the params table. */
static void set_param(const char *name, int type, const void *value)
{
	const struct param_export *p;

	for (p = exports.params; p->name; p++) {
		if (strcmp(p->name, name) != 0)
			continue;
		assert_int_equal(p->type, type);
		if (type == PARAM_INT)
			*(int *)p->value = *(const int *)value;
		else
			*(char **)p->value = (char *)value;
		return;
	}
	fail_msg("no parameter %s", name);
}

static int setup(void **state)
{
	int mode = 0600, timeout = 1000;

	proc_pid = getpid();
	log_set_level(L_ALERT);
	strcpy(dir, "/tmp/serval-mif-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	set_param("fifo_name", PARAM_STR, fifo);
	set_param("reply_dir", PARAM_STR, dir);
	set_param("fifo_mode", PARAM_INT, &mode);
	set_param("reply_timeout", PARAM_INT, &timeout);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	exports.destroy();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void describes_itself(void **state)
{
	assert_int_equal(exports.abi_version, MODULE_ABI_VERSION);
	assert_string_equal(exports.build_signature, SERVAL_BUILD_SIGNATURE);
	assert_string_equal(exports.name, "mi_fifo");
	assert_non_null(exports.mod_init);
	assert_non_null(exports.destroy);
	assert_null(exports.cmds);
	assert_null(exports.child_init);
}

static void init_creates_fifo_and_process(void **state)
{
	int mode = 600; /* what a lexer reading "0600" as decimal gives */
	struct stat st;

	set_param("fifo_mode", PARAM_INT, &mode);
	assert_int_equal(shm_init(1 << 20), SV_OK);
	assert_int_equal(exports.mod_init(), SV_OK);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(proc_table_init(), SV_OK);
	assert_int_equal(proc_count, 2); /* the master and "mi fifo" */
	assert_int_equal(proc_table[1].role, ROLE_MI_FIFO);
	assert_int_equal(proc_table[1].rank, 1);
	assert_string_equal(proc_table[1].desc, "mi fifo");
	exports.destroy();
	assert_int_equal(lstat(fifo, &st), -1); /* removed */
	shm_destroy();
}

static void refusals(void **state)
{
	int bad_mode = 999, mode = 0640, timeout = 5;
	char missing[128];
	int fd;

	snprintf(missing, sizeof(missing), "%s/nodir", dir);
	set_param("reply_dir", PARAM_STR, missing);
	assert_int_equal(exports.mod_init(), SV_EINVAL);
	set_param("reply_dir", PARAM_STR, dir);
	set_param("fifo_mode", PARAM_INT, &bad_mode);
	assert_int_equal(exports.mod_init(), SV_EINVAL);
	set_param("fifo_mode", PARAM_INT, &mode);
	set_param("reply_timeout", PARAM_INT, &timeout);
	assert_int_equal(exports.mod_init(), SV_EINVAL);
	timeout = 1000;
	set_param("reply_timeout", PARAM_INT, &timeout);
	set_param("fifo_name", PARAM_STR, "");
	assert_int_equal(exports.mod_init(), SV_EINVAL);
	set_param("fifo_name", PARAM_STR, fifo);
	/* a regular file where the FIFO should be */
	fd = open(fifo, O_WRONLY | O_CREAT, 0600);
	close(fd);
	assert_int_equal(exports.mod_init(), SV_EIO);
	unlink(fifo);
}

static void stale_and_busy_fifos(void **state)
{
	struct stat st;
	int fd;

	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(chmod(fifo, 0644), 0);
	/* nobody reads it: replaced (inode numbers may be reused: the mode
	   tells the new FIFO from the old) */
	assert_int_equal(fifo_create(fifo, 0620), SV_OK);
	assert_int_equal(stat(fifo, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0620);
	/* read by another process (here: us): refused, left alone */
	fd = open(fifo, O_RDONLY | O_NONBLOCK);
	assert_int_equal(fifo_create(fifo, 0600), SV_EBUSY);
	assert_int_equal(stat(fifo, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0620);
	close(fd);
	unlink(fifo);
}

static void relative_paths_become_absolute(void **state)
{
	char cwd[4096], path[160];
	struct stat st;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	set_param("fifo_name", PARAM_STR, "rel_fifo");
	set_param("reply_dir", PARAM_STR, ".");
	assert_int_equal(exports.mod_init(), SV_OK);
	assert_int_equal(lstat("rel_fifo", &st), 0);
	assert_int_equal(chdir("/"), 0); /* as a detaching master does */
	exports.destroy();               /* finds it by its absolute path */
	assert_int_equal(chdir(cwd), 0);
	snprintf(path, sizeof(path), "%s/rel_fifo", dir);
	assert_int_not_equal(lstat(path, &st), 0);
	set_param("fifo_name", PARAM_STR, fifo);
	set_param("reply_dir", PARAM_STR, dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(describes_itself),
	    T(init_creates_fifo_and_process),
	    T(refusals),
	    T(stale_and_busy_fifos),
	    T(relative_paths_become_absolute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
